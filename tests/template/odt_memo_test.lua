-- ODT paragraphs whose words are kept whole are remembered per process as they were written
-- (odt.c odt_keep_whole, rowmemo.c), as DOCX ones are: a fill whose paragraphs were all cut
-- before gives the bytes its first fill gave, the automatic style of the words kept whole
-- (NstWhole) included though no paragraph of it was cut; other stems cut it afresh; a
-- paragraph holding a note (a paragraph of its own) is always cut.
local t = require "template_test_lib"
local out = arg[2]

local odt = t.odt(out .. "/memo.odt",
  '<text:p text:style-name="Standard">Договор {what} заключён в Сосновском районе 12.09.2024</text:p>'
  .. '<text:p text:style-name="Standard">без слов целиком</text:p>'
  .. '<text:p text:style-name="Standard">Примечание<text:note text:id="n1" text:note-class="footnote">'
  .. '<text:note-citation>1</text:note-citation><text:note-body>'
  .. '<text:p text:style-name="Standard">сосновского района</text:p></text:note-body></text:note></text:p>')
local stems = { protect = { "сосновск" } }

local first = t.fill(odt, { what = "аренды" }, out .. "/memo-1.odt", "content.xml", nil, stems)
t.has(first, 'style:name="NstWhole"')
t.has(first, '<text:span text:style-name="NstWhole">Сосновском</text:span>')
t.has(first, '<text:span text:style-name="NstWhole">сосновского</text:span>')
t.has(first, '<text:p text:style-name="Standard">без слов целиком</text:p>')

-- The same again: the paragraph remembered, the style made all the same, the same bytes.
t.eq(t.fill(odt, { what = "аренды" }, out .. "/memo-2.odt", "content.xml", nil, stems), first)

-- Another paragraph text: cut for itself.
local other = t.fill(odt, { what = "подряда" }, out .. "/memo-3.odt", "content.xml", nil, stems)
t.has(other, "</text:span> подряда заключён в <text:span")

-- Other stems: the note's lower-case word left as it is, the capitalised one still whole.
local aside = t.fill(odt, { what = "аренды" }, out .. "/memo-4.odt", "content.xml", nil,
  { protect = { "аграрн" } })
t.has(aside, '<text:p text:style-name="Standard">сосновского района</text:p>')
t.has(aside, '<text:span text:style-name="NstWhole">Сосновском</text:span>')

-- And the first stems again: the first bytes.
t.eq(t.fill(odt, { what = "аренды" }, out .. "/memo-5.odt", "content.xml", nil, stems), first)

-- No words kept whole at all (no protection asked): no NstWhole.
t.lacks(t.fill(odt, { what = "аренды" }, out .. "/memo-6.odt", "content.xml"), "NstWhole")

-- A paragraph holding a note is never remembered: the note's own paragraph is cut as its
-- style says, and two templates may say otherwise of the same XML.
local note = '<text:p text:style-name="Standard">Примечание{x}<text:note text:id="n1" text:note-class="footnote">'
  .. '<text:note-citation>1</text:note-citation><text:note-body>'
  .. '<text:p text:style-name="N">сосновского района</text:p></text:note-body></text:note></text:p>'
local never = t.odt(out .. "/never.odt", note, '<style:style style:name="N" style:family="paragraph">'
  .. '<style:text-properties fo:hyphenate="false"/></style:style>')
local may = t.odt(out .. "/may.odt", note, '<style:style style:name="N" style:family="paragraph"/>')
t.has(t.fill(never, { x = "" }, out .. "/never-1.odt", "content.xml", nil, stems),
  '<text:p text:style-name="N">сосновского района</text:p>')
t.has(t.fill(may, { x = "" }, out .. "/may-1.odt", "content.xml", nil, stems),
  '<text:span text:style-name="NstWhole">сосновского</text:span>')
t.has(t.fill(never, { x = "" }, out .. "/never-2.odt", "content.xml", nil, stems),
  '<text:p text:style-name="N">сосновского района</text:p>')
print("ok")
