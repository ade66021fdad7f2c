-- The fills of one document sharing their reads of the view (template.share;
-- generator/view/view.h: view_share_new): what a DOCX and an ODT are made of is the same with
-- a share as without; the second fill takes a table's model from the share (a change made
-- while it serves is not seen: the caller promises none); a new share forgets the last
-- document's reads; the PDF's reads go through it too (template.use); a large value is not
-- kept; a bad value is not kept, so each fill says what is wrong; options.share must be the
-- share.
local template = require "nastavnik.template"
local t = require "template_test_lib"
local fixtures, out = arg[1], arg[2]

local function table_value(text, rows)
  local v = { type = "table", columns = { { width = 20 }, {} }, header_rows = 1,
    rows = { { cells = { "№", "Текст" } } } }
  for i = 1, rows or 1 do
    v.rows[#v.rows + 1] = { cells = { tostring(i),
      { blocks = { { type = "para", runs = { { text = text, bold = true } } } } } } }
  end
  return v
end
local function view_of(value) return { table = value, small = "", more = {} } end

local DOCX, ODT = "table.docx", "table_odt.odt"
local MAIN = { [DOCX] = "word/document.xml", [ODT] = "content.xml" }
local made = 0
local function fill(file, view, share)
  made = made + 1
  return t.fill(fixtures .. "/" .. file, view, out .. "/" .. made .. "-" .. file, MAIN[file], nil,
    share and { share = share } or nil)
end

-- The same parts with a share as without it.
local view = view_of(table_value("Первая"))
local alone = { [DOCX] = fill(DOCX, view), [ODT] = fill(ODT, view) }
t.has(alone[DOCX], "Первая")
t.has(alone[ODT], "Первая")
do
  local share <close> = template.share()
  t.eq(fill(DOCX, view, share), alone[DOCX])
  t.eq(fill(ODT, view, share), alone[ODT])
end

-- The ODT takes the table the DOCX read from the share: a change after the DOCX is not seen.
local cell_runs = view.table.rows[2].cells[2].blocks[1].runs
do
  local share <close> = template.share()
  t.has(fill(DOCX, view, share), "Первая")
  cell_runs[1].text = "Вторая"
  t.eq(fill(ODT, view, share), alone[ODT])
  -- a new share (the next document) reads it again
  local next_share <close> = template.share()
  local odt = fill(ODT, view, next_share)
  t.has(odt, "Вторая")
  t.lacks(odt, "Первая")
end
-- without a share every fill reads the view
t.has(fill(DOCX, view), "Вторая")

-- The PDF's reads go through the share in use (template.use, as render.pdf does): the fills
-- take the table the PDF read, and a document's blocks (a list made for each layout) are not
-- kept; template.use(nil) ends it.
local pdf = require "nastavnik.pdf"
do
  local share <close> = template.share()
  local fresh = view_of(table_value("Печатная"))
  local doc = { blocks = { { type = "para", runs = { "Заголовок" } }, fresh.table } }
  template.use(share)
  local bytes = pdf.render(doc)
  template.use(nil)
  t.eq(type(bytes), "string")
  fresh.table.rows[2].cells[2].blocks[1].runs[1].text = "Другая"
  t.has(fill(DOCX, fresh, share), "Печатная")
  t.has(fill(ODT, fresh, share), "Печатная")
  local ok, err = pcall(template.use, {})
  t.eq(ok, false)
  t.has(err, "template.use: ожидалось значение template.share() или nil")
end

-- A table of more than 4,000 cells is not kept (it dies with its fill, as without a share).
local big = view_of(table_value("Большая", 1400))
do
  local share <close> = template.share()
  t.has(fill(DOCX, big, share), "Большая")
  big.table.rows[2].cells[2].blocks[1].runs[1].text = "Изменённая"
  t.has(fill(ODT, big, share), "Изменённая")
end

-- A bad value is not kept: each fill reads it and says what is wrong, naming its own tag.
local bad = table_value("Плохая")
bad.rows[2].cells[1] = { text = "1", colspan = 0 }
do
  local share <close> = template.share()
  for _, file in ipairs { DOCX, ODT } do
    local messages = t.fails(fixtures .. "/" .. file, view_of(bad), out .. "/bad-" .. file, nil,
      { share = share })
    t.has(messages, "значение {table}.rows[2].cells[1].colspan = 0: допустимо от 1 до 1000")
  end
end

-- options.share is the share and nothing else.
local ok, err = pcall(template.fill, fixtures .. "/" .. DOCX, view, out .. "/wrong.docx", nil,
  { share = {} })
t.eq(ok, false)
t.has(err, "options.share: ожидалось значение template.share()")
print("share: a document's fills read its view once, and the same is made")
