-- Попытка подключить модуль генератора nastavnik.host, который пишет файлы.
-- expect: :4: require: модуль «nastavnik.host» недоступен в описании школы; можно подключить только nastavnik.text, nastavnik.dates, nastavnik.richtext, nastavnik.forms, nastavnik.due, nastavnik.people
-- expect-errors: 1
local host = require "nastavnik.host"
host.write_file("/tmp/nastavnik-sandbox-escaped", "x")
return organisation {
  full_name = "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 1»",
  short_name = "МБОУ «СШ № 1»",
}
