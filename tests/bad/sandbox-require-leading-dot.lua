-- Имя модуля с точкой в начале стало бы абсолютным путём: чужой файл с другого места диска.
-- expect: :4: require: недопустимое имя файла «.tmp.other.school»: пишите имя файла без «.lua», латинскими буквами и цифрами, папки через точку, например require "sosnovsky.school-1" (файл sosnovsky/school-1.lua рядом с описанием)
-- expect-errors: 1
local other = require ".tmp.other.school"
return organisation {
  full_name = "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 1»",
  short_name = other and "МБОУ «СШ № 1»",
}
