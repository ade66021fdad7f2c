-- Косая черта в имени модуля: путь вместо имени.
-- expect: :4: require: недопустимое имя файла «/etc/passwd»
-- expect-errors: 1
local other = require "/etc/passwd"
return organisation {
  full_name = "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 1»",
  short_name = other and "МБОУ «СШ № 1»",
}
