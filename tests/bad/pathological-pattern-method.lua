-- Образцы с несколькими повторами через string.gsub из таблицы string (и через gmatch): отвергаются.
-- expect: :5: string.gsub: образец «a*a*a*b» слишком сложен для текста длиной 5000 байт
-- expect-errors: 1
local s = ("a"):rep(5000)
local t = string.gsub(s, "a*a*a*b", "")
for _ in s:gmatch("a-a-a-a-b") do end
return organisation { full_name = "Школа", short_name = "Школа" }
