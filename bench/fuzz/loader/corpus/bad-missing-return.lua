-- Забыто слово return: описание ничего не возвращает.
-- expect: :7: описание не возвращено: последней строкой файла должно быть «return organisation { … }» или «return municipality { … }» (нет слова return?)
-- expect-errors: 1
organisation {
  full_name = "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 1»",
  short_name = "МБОУ «СШ № 1»",
}
