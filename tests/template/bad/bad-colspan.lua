-- A table value with a bad span: the field is named.
-- template: <w:p><w:r><w:t>{t}</w:t></w:r></w:p>
-- expect: значение {t}.rows[2].cells[1].colspan = 0: допустимо от 1 до 1000
-- expect-errors: 1
return { t = { type = "table", columns = { { weight = 1 } },
  rows = { { cells = { "a" } }, { cells = { { blocks = "b", colspan = 0 } } } } } }
