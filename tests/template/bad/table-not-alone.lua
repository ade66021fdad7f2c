-- A table value whose tag shares its paragraph.
-- template: <w:p><w:r><w:t>Таблица: {t}</w:t></w:r></w:p>
-- expect: значение «t» — таблица: её тег должен стоять один в своём абзаце (тег {t})
-- expect-errors: 1
return { t = { type = "table", columns = { 1 }, rows = { { cells = { "a" } } } } }
