-- Метатаблица с бесконечным __index: проверка не должна её вызывать (и находит пропущенное short_name).
-- expect: :4: не указано: краткое наименование (поле short_name)
-- expect-errors: 1
local school = organisation {
  full_name = "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 1»",
}
setmetatable(school, { __index = function() while true do end end })
return school
