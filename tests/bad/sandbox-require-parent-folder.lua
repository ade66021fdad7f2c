-- Две точки подряд в имени модуля вели бы из папки описания вверх.
-- expect: :4: require: недопустимое имя файла «lib..bad.lib.school-with-error»
-- expect-errors: 1
local other = require "lib..bad.lib.school-with-error"
return organisation {
  full_name = "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 1»",
  short_name = other and "МБОУ «СШ № 1»",
}
