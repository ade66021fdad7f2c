-- Попытка снять защиту окружения описания: setmetatable(_G, nil).
-- expect: :4: setmetatable: метатаблица этой таблицы защищена, менять её нельзя
-- expect-errors: 1
setmetatable(_G, nil)
os.execute("touch /tmp/nastavnik-sandbox-escaped")
return organisation {
  full_name = "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 1»",
  short_name = "МБОУ «СШ № 1»",
}
