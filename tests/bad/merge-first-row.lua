-- «Как выше» в первой строке пункта: выше нет ячейки, с которой её объединить.
-- expect: :14: дорожная карта: этап №1: пункт 1.1: строка 1: поле responsible = above в первой строке пункта: выше нет строки этого пункта; «как выше» пишут со второй строки: rows = { row { responsible = "…" }, row { responsible = above } }
-- expect-errors: 1
return organisation {
  full_name = "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 1»",
  short_name = "МБОУ «СШ № 1»",
  roadmap = roadmap {
    title = "Дорожная карта", year = "2025–2026", approval = false,
    stage { "Организационный этап",
      item {
        number = "1.1",
        title = "Формирование наставнических пар",
        rows = {
          row { content = "Издание приказа", due = "Сентябрь 2025 года", responsible = above },
          row { content = "Составление программ наставничества", due = above, responsible = "Куратор" },
        },
      },
    },
  },
}
