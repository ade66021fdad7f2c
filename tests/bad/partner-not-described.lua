-- Партнёр назван в ячейке «Ответственные», но в partners описан под другим именем.
-- expect: :15: дорожная карта: этап №1: пункт 1.1: поле responsible: партнёр «ООО «Лесхос»» не описан в списке partners; может быть, «ООО «Лесхоз»»?; партнёра описывают в организации так: partners = { partner { short_name = "ООО «Лесхос»", people = { … } } }
-- expect-errors: 1
return organisation {
  full_name = "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 1»",
  short_name = "МБОУ «СШ № 1»",
  partners = {
    partner { short_name = "ООО «Лесхоз»", people = { person { "Егоров Сергей Анатольевич", post = "мастер участка" } } },
  },
  roadmap = roadmap {
    title = "Дорожная карта", year = "2025–2026", approval = false,
    stage { "Основной этап",
      item {
        number = "1.1", title = "Профориентационные пробы", due = "Октябрь 2025 года",
        responsible = { "Куратор", partner "ООО «Лесхос»" },
      },
    },
  },
}
