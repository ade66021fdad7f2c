-- Попытка подменить методы строк через getmetatable("").__index.
-- expect: :4: getmetatable: метатаблица значения типа «string» недоступна в описании школы: строки и числа нельзя переделывать
-- expect-errors: 1
getmetatable("").__index = { upper = function() return "взлом" end }
return organisation {
  full_name = "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 1»",
  short_name = "МБОУ «СШ № 1»",
}
