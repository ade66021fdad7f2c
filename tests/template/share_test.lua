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

-- A fitted form's trial (pdf.trial, common.fit_one_page) reads its tables into a share of its
-- own; trial:render under the document's share gives them to it (render.pdf), so the fills take
-- the tables the trial read; without a share in use nothing is given, and the trial leaves no
-- share in use behind it.
do
  local fresh = view_of(table_value("Пробная"))
  local trial = pdf.trial({ blocks = { { type = "para", runs = { "Форма" } }, fresh.table } }, 8)
  t.eq(trial:pages(nil), 1)
  fresh.table.rows[2].cells[2].blocks[1].runs[1].text = "После пробы"
  -- (the change is not the caller's to make: it shows where the fills' model comes from)
  local share <close> = template.share()
  t.has(fill(DOCX, fresh, share), "После пробы") -- nothing given yet: the fill read it
  local later <close> = template.share()
  template.use(later)
  local bytes = trial:render(nil)
  template.use(nil)
  t.eq(type(bytes), "string")
  t.has(fill(DOCX, fresh, later), "Пробная")
  t.has(fill(ODT, fresh, later), "Пробная")
  -- the next document's share forgets it
  local next_share <close> = template.share()
  t.has(fill(ODT, fresh, next_share), "После пробы")

  local other = view_of(table_value("Без общего"))
  local alone_trial = pdf.trial({ blocks = { other.table } }, 8)
  other.table.rows[2].cells[2].blocks[1].runs[1].text = "Свежая"
  local none <close> = template.share()
  t.eq(type(alone_trial:render(nil)), "string")
  t.has(fill(DOCX, other, none), "Свежая")
  -- (no share was left in use by the trial: a PDF read now keeps nothing in it)
  local third = view_of(table_value("Третья"))
  t.eq(type(pdf.render({ blocks = { third.table } })), "string")
  third.table.rows[2].cells[2].blocks[1].runs[1].text = "Третья изменённая"
  t.has(fill(DOCX, third, none), "Третья изменённая")
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

-- A table's layout (rich.c) is made once for the DOCX and the ODT beside its kept model; one
-- whose cells do not fit its columns is not kept, so each fill says so.
local wide = table_value("Широкая")
wide.rows[2].cells[3] = "лишняя"
do
  local share <close> = template.share()
  for _, file in ipairs { DOCX, ODT } do
    local messages = t.fails(fixtures .. "/" .. file, view_of(wide), out .. "/wide-" .. file, nil,
      { share = share })
    t.has(messages, "не помещаются в 2 столбцов")
  end
end

-- options.share is the share and nothing else.
local ok, err = pcall(template.fill, fixtures .. "/" .. DOCX, view, out .. "/wrong.docx", nil,
  { share = {} })
t.eq(ok, false)
t.has(err, "options.share: ожидалось значение template.share()")
print("share: a document's fills read its view once, and the same is made")
