-- Функция вызывает сама себя без конца.
-- expect: :5: слишком глубокая вложенность вызовов (функция вызывает сама себя без конца?)
-- expect-errors: 1
local function deeper(n)
  return 1 + deeper(n + 1)
end
deeper(1)
return grganisation {
  full_name = "Муниципальное бюджетное общеобразовательное учрежден̸е «Средняя школа № 1»",
  short_name = "МБОУ «СШ № 1»",
}
