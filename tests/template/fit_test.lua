-- A form kept on one page (options.fit, the sizes the PDF layout chose: view.fit): every font
-- size the document sets changes by fit.size, its line spacing becomes fit.leading times
-- single (or what it was, times fit.leading), the space around paragraphs and an empty line's
-- exact height fit.space times as much. DOCX: w:sz/w:szCs, w:spacing; ODT: the automatic
-- styles of content.xml (fo:font-size, fo:line-height, fo:margin-top/-bottom).
local t = require "template_test_lib"
local out = arg[2]
local fit = { fit = { size = -1, leading = 0.92, space = 0.5 } }

local docx = t.docx(out .. "/fit.docx",
  '<w:p><w:pPr><w:spacing w:before="0" w:after="60"/><w:jc w:val="both"/></w:pPr>'
  .. '<w:r><w:rPr><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr><w:t>{text}</w:t></w:r></w:p>'
  .. '<w:p><w:r><w:t>Без своих размеров</w:t></w:r></w:p>'
  .. '<w:p><w:pPr><w:spacing w:line="200" w:lineRule="exact"/></w:pPr></w:p>')
local view = { text = "согласие" }
local xml = t.fill(docx, view, out .. "/fit-out.docx", nil, nil, fit)
t.has(xml, '<w:pPr><w:spacing w:before="0" w:after="30" w:line="221" w:lineRule="auto"/><w:jc w:val="both"/></w:pPr>')
t.has(xml, '<w:sz w:val="22"/><w:szCs w:val="22"/>')
t.has(xml, '<w:p><w:pPr><w:spacing w:line="221" w:lineRule="auto"/></w:pPr><w:r><w:t>Без своих размеров')
t.has(xml, '<w:spacing w:line="100" w:lineRule="exact"/>')
-- without the option nothing changes
local plain = t.fill(docx, view, out .. "/fit-plain.docx")
t.has(plain, '<w:sz w:val="24"/>')
t.lacks(plain, 'w:line="221"')

local odt = t.odt(out .. "/fit.odt",
  '<text:p text:style-name="P1">{text}</text:p><text:p text:style-name="P2"/>',
  '<style:style style:name="P1" style:family="paragraph"><style:paragraph-properties fo:margin-bottom="3pt"/>'
  .. '<style:text-properties fo:font-size="12pt" style:font-size-complex="12pt"/></style:style>'
  .. '<style:style style:name="P2" style:family="paragraph"><style:paragraph-properties fo:line-height="2.00mm"/></style:style>'
  .. '<style:style style:name="T1" style:family="text"><style:text-properties fo:font-size="9pt"/></style:style>')
local oxml = t.fill(odt, view, out .. "/fit-out.odt", "content.xml", nil, fit)
t.has(oxml, '<style:style style:name="P1" style:family="paragraph"><style:paragraph-properties fo:margin-bottom="1.50pt" fo:line-height="92%"/>'
  .. '<style:text-properties fo:font-size="11.00pt" style:font-size-complex="11.00pt"/></style:style>')
t.has(oxml, '<style:paragraph-properties fo:line-height="1.00mm"/>')
t.has(oxml, '<style:text-properties fo:font-size="8.00pt"/>')
print("fit: all assertions hold")
