-- Ошибка-таблица с __tostring, бесконечным при печати сообщения.
-- expect: :4: описание остановлено ошибкой без текста (значение вида «таблица»)
-- expect-errors: 1
error(setmetatable({}, { __tostring = function() while true do end end }))
return organisation {
  full_name = "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 1»",
  short_name = "МБОУ «СШ № 1»",
}
