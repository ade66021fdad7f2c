-- A template that declares its namespace again on the paragraphs (not only on the root), as
-- some editors save: the paragraph of a table, rich or loop tag gives its declaration to the
-- nodes made from it, and then goes. The fill once freed the declaration with the paragraph
-- (the writer then read freed memory: a crash); now every fill (the first, and the later ones
-- from the prepared tree) writes the table, the paragraphs and the copies, and run.py opens
-- what was written.
local richtext = require "nastavnik.richtext"
local t = require "template_test_lib"
local out = arg[2]

local W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
local TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"

local table_value = { type = "table", columns = { { weight = 1 }, { weight = 2 } }, header_rows = 1,
  rows = { { cells = { "№", "Мероприятие" } }, { cells = { "1", "Встреча **наставников**" } },
    { cells = { "2", "Отчёт" } } } }
local view = {
  table = table_value,
  rich = richtext.parse("Первый абзац\n\n**второй**"),
  items = { { name = "Иванов" }, { name = "Петров" } },
}

local docx = t.docx(out .. "/nsdecl-template.docx",
  '<w:p xmlns:w="' .. W .. '"><w:pPr><w:jc w:val="both"/></w:pPr><w:r><w:rPr><w:b/></w:rPr>'
  .. "<w:t>{table}</w:t></w:r></w:p>"
  .. '<w:p xmlns:w="' .. W .. '"><w:r><w:rPr><w:i/></w:rPr><w:t>{rich}</w:t></w:r></w:p>'
  .. '<w:p xmlns:w="' .. W .. '"><w:r><w:t>{#items}</w:t></w:r></w:p>'
  .. '<w:p xmlns:w="' .. W .. '"><w:r><w:rPr><w:u w:val="single"/></w:rPr><w:t>{name}</w:t></w:r></w:p>'
  .. '<w:p xmlns:w="' .. W .. '"><w:r><w:t>{/items}</w:t></w:r></w:p>'
  .. "<w:p><w:r><w:t>Конец.</w:t></w:r></w:p>")
local odt = t.odt(out .. "/nsdecl-template.odt",
  '<text:p xmlns:text="' .. TEXT .. '">{table}</text:p>'
  .. '<text:p xmlns:text="' .. TEXT .. '"><text:span>{rich}</text:span></text:p>'
  .. '<text:p xmlns:text="' .. TEXT .. '">{#items}</text:p>'
  .. '<text:p xmlns:text="' .. TEXT .. '">{name}</text:p>'
  .. '<text:p xmlns:text="' .. TEXT .. '">{/items}</text:p>'
  .. "<text:p>Конец.</text:p>")

for round = 1, 2 do
  local xml = t.fill(docx, view, out .. "/nsdecl-" .. round .. ".docx")
  t.lacks(xml, "{")
  t.count(xml, "<w:tbl>", 1)
  t.count(xml, "<w:tc>", 6)
  t.has(xml, "наставников")
  t.has(xml, "Первый абзац")
  t.has(xml, "Иванов")
  t.has(xml, "Петров")
  xml = t.fill(odt, view, out .. "/nsdecl-" .. round .. ".odt", "content.xml")
  t.lacks(xml, "{")
  t.count(xml, "<table:table ", 1)
  t.count(xml, "<table:table-cell ", 6)
  t.has(xml, "второй")
  t.has(xml, "Петров")
end
-- A prefix declared on the table's paragraph only (never on the root): the cells made from the
-- paragraph keep its run properties, which use the prefix; the paragraph goes, and each use
-- gets the declaration again where it is written (the part was not XML before: «x» undeclared).
local only_here = t.docx(out .. "/nsdecl-only-here-template.docx",
  '<w:p xmlns:x="urn:x"><w:r><w:rPr><w:b/><x:mark x:v="1"/></w:rPr><w:t>{table}</w:t></w:r></w:p>'
  .. "<w:p><w:r><w:t>Конец.</w:t></w:r></w:p>")
for round = 1, 2 do
  local xml = t.fill(only_here, view, out .. "/nsdecl-only-here-" .. round .. ".docx")
  t.count(xml, "<w:tc>", 6)
  t.count(xml, "<x:mark", 6)
  t.count(xml, '<x:mark xmlns:x="urn:x" x:v="1"/>', 6)
end
print("nsdecl: ok")
