-- Описание, которое возвращает не organisation { … }, а таблицу с поддельными полями узла.
-- expect: :6: файл должен возвращать organisation { … } или municipality { … }, а возвращает значение вида «таблица»
-- expect-errors: 1
local fake = { __kind = "organisation", __file = "/etc/passwd", __line = 1,
  full_name = "Школа", short_name = "Школа" }
return fake
