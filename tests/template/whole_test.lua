-- Words kept whole (options.protect, whole.c): the PDF layout's hyphenation policy carried to
-- the word processor. In a paragraph that may be hyphenated every capitalised word, number,
-- date, address and word of a protected stem stands in a run of no language (DOCX w:lang zxx
-- and w:noProof, ODT a span of style NstWhole, fo:language zxx); paragraphs never hyphenated (w:suppressAutoHyphens,
-- an automatic style with fo:hyphenate false) and fills without the option are left alone.
local t = require "template_test_lib"
local out = arg[2]

local view = {
  text = "Назначить Гончаренко Оксану Петровну куратором 01.09.2025, e-mail goncharenko.op@sosnovka-edu.ru, "
    .. "КГБПОУ «Сосновский аграрный техникум», в сентябре, с Ивановой-Петровой и учебно-методической работой",
}
local protect = { protect = { "аграрн", "сентябр" } }

-- DOCX ---------------------------------------------------------------------------------
local docx = t.docx(out .. "/whole.docx",
  '<w:p><w:r><w:rPr><w:sz w:val="24"/><w:lang w:val="ru-RU"/></w:rPr><w:t>{text}</w:t></w:r></w:p>'
  .. '<w:p><w:pPr><w:suppressAutoHyphens/></w:pPr><w:r><w:t>Подпись: {text}</w:t></w:r></w:p>')
local xml = t.fill(docx, view, out .. "/whole-out.docx", nil, nil, protect)
local WHOLE = '<w:r><w:rPr><w:noProof/><w:sz w:val="24"/><w:lang w:val="zxx"/></w:rPr><w:t xml:space="preserve">'
local PLAIN = '<w:r><w:rPr><w:sz w:val="24"/><w:lang w:val="ru-RU"/></w:rPr><w:t xml:space="preserve">'
t.has(xml, WHOLE .. 'Назначить</w:t></w:r>' .. PLAIN .. ' </w:t></w:r>' .. WHOLE .. 'Гончаренко</w:t></w:r>')
t.has(xml, WHOLE .. '01.09.2025,</w:t></w:r>')
t.has(xml, PLAIN .. ' куратором </w:t></w:r>') -- a lower-case word of no protected stem
t.has(xml, WHOLE .. 'goncharenko.op@sosnovka-edu.ru,</w:t></w:r>')
t.has(xml, WHOLE .. '«Сосновский</w:t></w:r>' .. PLAIN .. ' </w:t></w:r>' .. WHOLE .. 'аграрный</w:t></w:r>')
t.has(xml, WHOLE .. 'сентябре,</w:t></w:r>')
t.has(xml, WHOLE .. 'Ивановой-Петровой</w:t></w:r>')
t.has(xml, PLAIN .. ' и учебно-методической работой</w:t></w:r>') -- a compound breaks at its hyphen
-- a short word (fewer than five letters) is not worth a run: «КГБПОУ» is, «с» is not
t.has(xml, PLAIN .. ' с </w:t></w:r>')
-- the paragraph never hyphenated keeps its one run
t.has(xml, '<w:r><w:t xml:space="preserve">Подпись: Назначить Гончаренко')
t.has(t.text(xml), view.text)
-- without the option nothing changes
local plain = t.fill(docx, view, out .. "/plain.docx")
t.lacks(plain, "zxx")

-- ODT ----------------------------------------------------------------------------------
local odt = t.odt(out .. "/whole.odt",
  '<text:p text:style-name="P1">{text}</text:p><text:p text:style-name="P2">Подпись: {text}</text:p>',
  '<style:style style:name="P1" style:family="paragraph"/>'
  .. '<style:style style:name="P2" style:family="paragraph"><style:text-properties fo:hyphenate="false"/></style:style>')
local oxml = t.fill(odt, view, out .. "/whole-out.odt", "content.xml", nil, protect)
local SPAN = '<text:span text:style-name="NstWhole">'
t.has(oxml, '<text:p text:style-name="P1">' .. SPAN .. 'Назначить</text:span> ' .. SPAN .. 'Гончаренко</text:span>')
t.has(oxml, ' куратором ' .. SPAN .. '01.09.2025,</text:span>')
t.has(oxml, SPAN .. 'goncharenko.op@sosnovka-edu.ru,</text:span>')
t.has(oxml, SPAN .. '«Сосновский</text:span> ' .. SPAN .. 'аграрный</text:span>')
t.has(oxml, ' и учебно-методической работой</text:p>')
t.has(oxml, '<text:p text:style-name="P2">Подпись: Назначить Гончаренко')
t.has(oxml, '<style:style style:name="NstWhole" style:family="text"><style:text-properties fo:language="zxx" fo:country="none"/></style:style>')
local oplain = t.fill(odt, view, out .. "/plain.odt", "content.xml")
t.lacks(oplain, "NstWhole")
print("whole: all assertions hold")
