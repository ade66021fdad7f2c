-- A table made only of loop rows: repeated for a list, gone (not left without rows, which
-- Word refuses) for an empty one.
local template = require "nastavnik.template"
local t = require "template_test_lib"
local fixtures, out = arg[1], arg[2]

t.ok(template.fill(fixtures .. "/loop_table.docx",
  { pairs = { { mentor = "Иванова", mentee = "Петров" }, { mentor = "Сидоров", mentee = "Козлова" } } },
  out .. "/pairs.docx"))
local xml = assert(read_entry(out .. "/pairs.docx", "word/document.xml"))
t.has(t.text(xml), "До таблицы.|Иванова|Петров|Сидоров|Козлова|После таблицы.")
t.count(xml, "<w:tr>", 2)

t.ok(template.fill(fixtures .. "/loop_table.docx", { pairs = {} }, out .. "/no-pairs.docx"))
xml = assert(read_entry(out .. "/no-pairs.docx", "word/document.xml"))
t.has(t.text(xml), "До таблицы.|После таблицы.")
t.lacks(xml, "<w:tbl>")
print("loop_table: all assertions hold")
