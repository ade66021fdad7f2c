-- Опечатка в ключе столбца дорожной карты: «responsibel» вместо «responsible».
-- expect: :10: дорожная карта: поле columns, столбец 3: неизвестный столбец «responsibel»; может быть, «responsible»?; бывают: number, title, content, due, result, responsible; свой столбец пишется с заголовком и ключом, непохожим на эти: { key = "events", header = "Мероприятия" }
-- expect-errors: 1
return organisation {
  full_name = "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 1»",
  short_name = "МБОУ «СШ № 1»",
  roadmap = roadmap {
    title = "Дорожная карта реализации целевой модели наставничества",
    year = "2023–2024",
    columns = {
      { "content", "Содержание" },
      { "due", "Сроки" },
      { "responsibel", "Ответственный" },
    },
    stage { "Организационный этап",
      item { content = "Формирование наставнических пар", due = "Октябрь 2023" },
    },
  },
}
