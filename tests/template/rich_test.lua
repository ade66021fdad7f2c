-- Rich text (scripts/nastavnik/richtext.lua) in DOCX: real paragraphs with the template
-- paragraph's pPr and the tag run's rPr, bold/italic runs, list items as label + tab with a
-- hanging indent; flattened to line breaks when the tag shares its paragraph; nested row loops
-- with rich values in cells; a section break survives.
local template = require "nastavnik.template"
local richtext = require "nastavnik.richtext"
local t = require "template_test_lib"
local fixtures, out = arg[1], arg[2]

local content = richtext.parse([[
Организация работы **наставнических пар**:
• встреча-знакомство; *пробная* встреча;
1. приказ № 390
1.1. от 16.09.2024 г.]])
local view = {
  content = content,
  empty = {},
  sections = {
    { title = "Сентябрь", items = {
      { n = 1, cell = richtext.parse("Знакомство\n- беседа") },
      { n = 2, cell = "Простой текст" } } },
    { title = "Октябрь", items = { { n = 3, cell = richtext.parse("**Итоги**") },
                                  { n = 4, cell = {} } } }, -- the cell keeps an empty paragraph
  },
  tail = richtext.parse("Хвост"),
}
local path = out .. "/rich.docx"
t.ok(template.fill(fixtures .. "/rich.docx", view, path))
local xml = assert(read_entry(path, "word/document.xml"))
local text = t.text(xml)

local ppr = '<w:pPr><w:pStyle w:val="Body"/><w:jc w:val="both"/></w:pPr>'
local rpr = '<w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial"/><w:sz w:val="24"/></w:rPr>'
local rpr_b = '<w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial"/><w:b/><w:bCs/><w:sz w:val="24"/></w:rPr>'
local rpr_i = '<w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial"/><w:i/><w:iCs/><w:sz w:val="24"/></w:rPr>'
t.has(xml, '<w:p>' .. ppr .. '<w:r>' .. rpr .. '<w:t xml:space="preserve">Организация работы </w:t></w:r><w:r>'
  .. rpr_b .. '<w:t xml:space="preserve">наставнических пар</w:t></w:r><w:r>' .. rpr .. '<w:t xml:space="preserve">:</w:t></w:r></w:p>')
-- list items: label, tab, hanging indent by level
t.has(xml, '<w:pPr><w:pStyle w:val="Body"/><w:ind w:left="425" w:hanging="425"/><w:jc w:val="both"/></w:pPr><w:r>'
  .. rpr .. '<w:t xml:space="preserve">•</w:t></w:r><w:r>' .. rpr .. '<w:tab/></w:r>')
t.has(xml, '<w:r>' .. rpr_i .. '<w:t xml:space="preserve">пробная</w:t></w:r>')
t.has(xml, '<w:ind w:left="850" w:hanging="425"/>')
t.has(text, "Организация работы наставнических пар:|•встреча-знакомство; пробная встреча;|1.приказ № 390|1.1.от 16.09.2024 г.|")
-- not alone: the text, with line breaks
t.has(xml, 'Описание: Организация работы наставнических пар:</w:t><w:br/><w:t xml:space="preserve">• встреча-знакомство; пробная встреча;</w:t><w:br/>')
-- an empty rich value takes its paragraph away
t.has(text, "(в строку)|Перед таблицей.")
-- nested row loops: section rows, item rows; the {/sections} row leaves nothing
t.has(text, "Перед таблицей.|Сентябрь|1|Знакомство|-беседа|2|Простой текст|Октябрь|3|Итоги|4||Хвост")
t.count(xml, "<w:tr>", 6)
t.count(xml, '<w:gridSpan w:val="2"/>', 2)
-- a rich value in a cell keeps the cell paragraph's pPr
t.has(xml, '<w:p><w:pPr><w:spacing w:after="0"/></w:pPr><w:r><w:t xml:space="preserve">Знакомство</w:t></w:r></w:p>')
-- the paragraph that carried a section break keeps it
t.count(xml, "<w:sectPr>", 2)
t.has(xml, 'Хвост</w:t></w:r></w:p><w:p><w:pPr><w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:pPr></w:p>')
t.lacks(xml, "{")
print("rich: all assertions hold")
