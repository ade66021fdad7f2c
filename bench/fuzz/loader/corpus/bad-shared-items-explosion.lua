-- Одни и те же пункты подставлены сами в себя дважды на 25 уровнях: 2^25 пунктов при проверке.
-- expect: :5: описание слишком велико: больше 300000 таблиц
-- expect-errors: 1
local item_tree = item { content = "Встреча" }
for _ = 1, 25 do item_tree = item { content = "Встреча", items = { item_tree, item_tree } } end
return organisation {
  full_name = "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 1»",
  short_name = "МБОУ «СШ № 1»",
  roadmap = roadmap {
    title = "Дорожная карта реализации целевой модели наставничества",
    year = "2023–2024",
    stage { "Организационный этап", item_tree },
  },
}
