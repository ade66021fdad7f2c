-- Адрес электронной почты без «@».
-- expect: :8: поле email: в адресе «ivanova.school1.ru» нет «@»
-- expect-errors: 1
return organisation {
  full_name = "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 1»",
  short_name = "МБОУ «СШ № 1»",
  people = {
    person { "Иванова Мария Петровна", post = "учитель математики", email = "ivanova.school1.ru" },
  },
}
