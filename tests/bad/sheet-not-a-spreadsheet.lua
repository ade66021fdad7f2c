-- Файл с именем .xlsx, который не таблица (текст).
-- expect: :11: tests/bad/sheets/not-a-sheet.xlsx: это не таблица: ни книга Excel (.xlsx), ни таблица Calc (.ods), ни текст CSV
-- expect-errors: 1
return organisation {
  full_name = "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 1»",
  short_name = "МБОУ «СШ № 1»",
  people = {
    person { "Иванова Мария Петровна", post = "учитель математики" },
    person { "Кузнецова Анна Викторовна", post = "учитель истории" },
  },
  pairs = sheet "sheets/not-a-sheet.xlsx",
}
