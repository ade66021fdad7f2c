-- Бесконечный цикл внутри pcall, который пытается поймать ошибку о пределе времени.
-- expect: :6: описание выполняется слишком долго (бесконечный цикл?): превышен предел в 400000000 инструкций Lua
-- expect-errors: 1
local caught = 0
while true do
  pcall(function() while true do end end)
  caught = caught + 1
end
return organisation {
  full_name = "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 1»",
  short_name = "МБОУ «СШ № 1»",
}
