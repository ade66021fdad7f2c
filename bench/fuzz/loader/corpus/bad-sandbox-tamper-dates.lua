-- Попытка подменить проверку дат через модуль nastavnik.dates: несуществующая дата всё равно найдена.
-- expect: :11: приказ №12: поле date (дата приказа): несуществующая дата «31.02.2024»: в феврале 2024 года 29 дней
-- expect-errors: 1
local dates = require "nastavnik.dates"
dates.parse = function() return "2024-02-31" end
dates.valid = function() return true end
return organisation {
  full_name = "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 1»",
  short_name = "МБОУ «СШ № 1»",
  orders = {
    order { number = "12", date = "31.02.2024", kind = "pairs" },
  },
}
