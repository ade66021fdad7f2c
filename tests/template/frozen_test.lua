-- Frozen values of a view (pdf.freeze; generator/view/view.h: view_freeze): what the reader
-- makes of a frozen row, cell or block is kept from one document to the next. A frozen value
-- gives the same bytes as the same value not frozen (PDF, DOCX, ODT); a value not frozen is
-- read afresh for each document, a change seen; a frozen one is read once (a change — which
-- its maker promises never to make — is not seen); a new field is refused; a frozen value
-- collected leaves nothing a new value could be taken for.
local template = require "nastavnik.template"
local pdf = require "nastavnik.pdf"
local t = require "template_test_lib"
local fixtures, out = arg[1], arg[2]

local function para(text) return { type = "para", align = "left", runs = { { text = text, bold = true } } } end
local function cell(text) return { blocks = { para(text) }, valign = "bottom" } end
local function row(a, b) return { cells = { a, b } } end
local function table_value(rows)
  return { type = "table", columns = { { width = 20 }, {} }, header_rows = 1,
    rows = { row("№", "Текст"), table.unpack(rows) } }
end
local function view_of(value) return { table = value, small = "", more = {} } end

local DOCX, ODT = "table.docx", "table_odt.odt"
local MAIN = { [DOCX] = "word/document.xml", [ODT] = "content.xml" }
local made = 0
local function fill(file, view)
  made = made + 1
  local share <close> = template.share() -- (a document of its own, as the build makes them)
  return t.fill(fixtures .. "/" .. file, view, out .. "/" .. made .. "-" .. file, MAIN[file], nil,
    { share = share })
end
local function render(blocks)
  local share <close> = template.share()
  template.use(share)
  local bytes = pdf.render({ blocks = blocks })
  template.use(nil)
  return bytes
end
-- All three made of a value: the table among the PDF's blocks, after a frozen paragraph.
local function outputs(heading, value)
  return { render({ heading, value }), fill(DOCX, view_of(value)), fill(ODT, view_of(value)) }
end
local function same(a, b)
  for i = 1, 3 do t.eq(a[i], b[i]) end
end

-- Frozen and not: the same bytes, and again the second time (taken from the kept reads).
local plain = outputs(para("Заголовок"),
  table_value({ row("1", cell("Строка")), { cells = { "2", cell("Ячейка") }, keep_together = true } }))
t.has(plain[2], "Строка")
local frozen_cell = pdf.freeze(cell("Ячейка"))
local frozen_row = pdf.freeze(row("1", cell("Строка")))
local frozen_para = pdf.freeze(para("Заголовок"))
local function with_frozen()
  return outputs(frozen_para, table_value({ frozen_row, { cells = { "2", frozen_cell }, keep_together = true } }))
end
same(with_frozen(), plain)
same(with_frozen(), plain)
-- a frozen table of a block (its rows frozen too)
local frozen_table = pdf.freeze(table_value({ frozen_row, { cells = { "2", frozen_cell }, keep_together = true } }))
same(outputs(frozen_para, frozen_table), plain)
same(outputs(frozen_para, frozen_table), plain)

-- Not frozen: each document reads it again, a change is seen.
local loose = cell("Прежняя")
t.has(fill(DOCX, view_of(table_value({ row("1", loose) }))), "Прежняя")
loose.blocks[1].runs[1].text = "Новая"
local again = fill(DOCX, view_of(table_value({ row("1", loose) })))
t.has(again, "Новая")
t.lacks(again, "Прежняя")
t.eq(type(render({ table_value({ row("1", loose) }) })), "string")

-- Frozen: read once, kept for the next documents (a change is the maker's broken promise: it
-- shows where the model comes from).
local kept = pdf.freeze(cell("Прежняя"))
t.has(fill(ODT, view_of(table_value({ row("1", kept) }))), "Прежняя")
kept.blocks[1].runs[1].text = "Новая"
local from_kept = fill(ODT, view_of(table_value({ row("1", kept) })))
t.has(from_kept, "Прежняя")
t.lacks(from_kept, "Новая")

-- A new field of a frozen value is refused; its metatable cannot be changed; a value with a
-- metatable of its own cannot be frozen; freezing twice is freezing.
local ok, err = pcall(function() frozen_row.keep_together = true end)
t.eq(ok, false)
t.has(err, "поле «keep_together» ему не задать")
ok = pcall(setmetatable, frozen_row, nil)
t.eq(ok, false)
t.eq(getmetatable(frozen_row), false)
ok, err = pcall(pdf.freeze, setmetatable({}, {}))
t.eq(ok, false)
t.has(err, "уже есть метатаблица")
t.eq(pdf.freeze(frozen_row), frozen_row)

-- A bad frozen value is not kept: each read says what is wrong.
local bad_cell = pdf.freeze({ text = "1", colspan = 0 })
for _, file in ipairs { DOCX, ODT } do
  local messages = t.fails(fixtures .. "/" .. file, view_of(table_value({ row(bad_cell, "x") })),
    out .. "/bad-" .. file, nil, nil)
  t.has(messages, "colspan = 0: допустимо от 1 до 1000")
end

-- Frozen values made and let go, one after another (their memory reused): each document shows
-- its own text, never a collected one's.
for i = 1, 60 do
  local text = "Текст " .. i .. " из шестидесяти"
  local value = table_value({ pdf.freeze(row(tostring(i), pdf.freeze(cell(text)))) })
  local docx = fill(DOCX, view_of(value))
  t.has(docx, text)
  value = nil
  collectgarbage()
  collectgarbage()
end
print("frozen: a frozen value is read once across documents, the same bytes as not frozen")
