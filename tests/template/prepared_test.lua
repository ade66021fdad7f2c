-- A template is prepared once per process and reused (generator/template/prepared.c): the
-- next fills of the same file give what a fresh fill gives; a file rewritten at the same path
-- (same size, same second) is read again, and so is one whose stat() changed after it was
-- trusted; the filters are the fill's own each time; a template with errors says them every
-- time; a warning is said by every fill.
local template = require "nastavnik.template"
local host = require "nastavnik.host"
local t = require "template_test_lib"
local fixtures, out = arg[1], arg[2] -- templates made here go to fixtures (run.py opens every output)

local filters = { up = function(s) return "[" .. s .. "]" end }
local view = { name = "Иванов", rows = { { n = "1" }, { n = "2" } } }
local body = '<w:p><w:r><w:t>Имя: {name|up}</w:t></w:r></w:p>'
  .. '<w:tbl><w:tblGrid><w:gridCol w:w="2000"/></w:tblGrid><w:tr><w:tc><w:p><w:r><w:t>{#rows}{n}{/rows}</w:t></w:r></w:p></w:tc></w:tr></w:tbl>'

-- The same template filled three times: the same document each time.
local tpl = t.docx(fixtures .. "/prepared-same.docx", body)
local first = t.fill(tpl, view, out .. "/1.docx", nil, filters)
t.has(t.text(first), "Имя: [Иванов]|12")
for i = 2, 3 do
  t.eq(t.fill(tpl, { name = "Петров", rows = { { n = "7" } } }, out .. "/" .. i .. ".docx", nil, filters)
    :find("[Петров]", 1, true) ~= nil, true)
end
t.eq(t.fill(tpl, view, out .. "/4.docx", nil, filters), first)
t.eq(host.read_file(out .. "/4.docx"), host.read_file(out .. "/1.docx"))

-- The filters are this fill's: one the tags name and this fill lacks is an error again.
t.has(t.fails(tpl, view, out .. "/nofilter.docx", {}), "неизвестный фильтр «up»")
t.fill(tpl, view, out .. "/5.docx", nil, filters)

-- The file rewritten at once, the same length, other text: the new text is filled.
local changed = body:gsub("Имя", "Фам")
t.docx(tpl, changed)
t.has(t.text(t.fill(tpl, view, out .. "/6.docx", nil, filters)), "Фам: [Иванов]|12")

-- A template with errors says them on every fill.
local broken = t.docx(fixtures .. "/prepared-broken.docx", '<w:p><w:r><w:t>{#rows}без конца</w:t></w:r></w:p>')
for i = 1, 2 do
  t.has(t.fails(broken, view, out .. "/broken" .. i .. ".docx", filters), "цикл {#rows} не закрыт")
end

-- A part the engine does not fill that holds a tag: warned by every fill, not only the first.
local warned = t.docx(fixtures .. "/prepared-warned.docx", body, { ["word/other.xml"] = "<x>{name}</x>" })
for i = 1, 2 do
  local _, warnings = t.fill(warned, view, out .. "/warned" .. i .. ".docx", nil, filters)
  t.eq(#warnings, 1)
  t.has(warnings[1], "часть word/other.xml не заполняется")
end

-- Two templates in turn (the cache keeps both): each fills its own.
local odt = t.odt(fixtures .. "/prepared-same.odt", '<text:p>ОДТ {name}</text:p>')
for i = 1, 2 do
  t.has(t.text(t.fill(odt, view, out .. "/o" .. i .. ".odt", "content.xml")), "ОДТ Иванов")
  t.has(t.text(t.fill(tpl, view, out .. "/d" .. i .. ".docx", nil, filters)), "Фам: [Иванов]")
end

-- A template whose last change was old when it was read (prepared_test_prepare.py waited):
-- later fills trust a stat() that gives the same file, size and times without reading it. The
-- file replaced by one of the same size is read again, its word filled.
-- Loops of three items and more: the prepared fills copy their bodies from a stamp made once
-- (treecopy.c), and give what the first fill gives, which copied each item from the body: rows,
-- runs, paragraphs, and a paragraph loop whose copies' nested loop opens with a section break
-- (moved into the paragraph before, the body's last: such bodies are not stamped).
local function P(s) return "<w:p><w:r><w:t xml:space=\"preserve\">" .. s .. "</w:t></w:r></w:p>" end
local SECT = '<w:p><w:pPr><w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:pPr>'
  .. '<w:r><w:t>{#y}</w:t></w:r></w:p>'
local loops = P("{#x}") .. P("{v} &lt;{v}&gt;") .. P("{/x}")
  .. '<w:tbl><w:tblGrid><w:gridCol w:w="2000"/><w:gridCol w:w="2000"/></w:tblGrid>'
  .. '<w:tr><w:tc>' .. P("{#x}{v}") .. '</w:tc><w:tc>' .. P("{#y}[{w}]{/y}") .. '</w:tc></w:tr>'
  .. '<w:tr><w:tc>' .. P("&amp; {v}") .. '</w:tc><w:tc>' .. P("{/x}") .. '</w:tc></w:tr></w:tbl>'
  .. P("a{#x} b{v}c {/x}d")
  .. P("{#x}") .. SECT .. P("{w}") .. P("{/y}") .. P("{/x}") .. P("after")
local items = { x = {}, }
for i = 1, 5 do
  local y = {}
  for k = 1, i do y[k] = { w = i .. "." .. k } end
  items.x[i] = { v = "v" .. i, y = y }
end
local ltpl = t.docx(fixtures .. "/prepared-loops.docx", loops)
local lfirst = t.fill(ltpl, items, out .. "/loops1.docx")
t.has(lfirst, "v5")
for i = 2, 3 do
  t.eq(t.fill(ltpl, items, out .. "/loops" .. i .. ".docx"), lfirst)
  t.eq(host.read_file(out .. "/loops" .. i .. ".docx"), host.read_file(out .. "/loops1.docx"))
end
local lodt = t.odt(fixtures .. "/prepared-loops.odt", '<text:p>{#x}</text:p><text:p>{v} <text:span>{v}</text:span></text:p>'
  .. '<text:p>{/x}</text:p><text:p>a{#x} <text:span>b{v}</text:span>c {/x}d</text:p>')
local ofirst = t.fill(lodt, items, out .. "/oloops1.odt", "content.xml")
for i = 2, 3 do
  t.eq(t.fill(lodt, items, out .. "/oloops" .. i .. ".odt", "content.xml"), ofirst)
end

local settled = fixtures .. "/settled-first.docx"
t.has(t.text(t.fill(settled, view, out .. "/settled1.docx")), "Имя: Иванов")
t.has(t.text(t.fill(settled, view, out .. "/settled2.docx")), "Имя: Иванов")
local second = assert(host.read_file(fixtures .. "/settled-second.docx"))
t.eq(#second, #assert(host.read_file(settled)))
assert(host.write_file(settled, second))
t.has(t.text(t.fill(settled, view, out .. "/settled3.docx")), "Фам: Иванов")

-- A file replaced by something that is no document is said so, not filled from memory.
assert(host.write_file(tpl, "не архив"))
t.has(t.fails(tpl, view, out .. "/gone.docx", filters), "файл не zip-архив")
print("ok")
