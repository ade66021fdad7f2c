-- Nothing in a template is lost (issue 11): what a loop's tag paragraphs hold besides their tags
-- stays (page breaks, section breaks, drawings, bookmarks, fields), copies get unique ids,
-- repeated section breaks become continuous, cells end with a paragraph; and paragraph loops
-- whose tags share their paragraph with text (docxtemplater's).
local t = require "template_test_lib"
local out = arg[2]
local items = { x = { { v = "one" }, { v = "two" } } }
local function P(s) return "<w:p><w:r><w:t xml:space=\"preserve\">" .. s .. "</w:t></w:r></w:p>" end
local function body(xml) return (xml:gsub("^.-<w:body>", ""):gsub("</w:body>.*", "")) end
local function fill(name, xml, view, parts)
  local src = t.docx(out .. "/" .. name .. "-template.docx", xml, parts)
  return body(t.fill(src, view or items, out .. "/" .. name .. ".docx"))
end

-- a page break in the opening tag paragraph repeats before each item (docxtemplater's way)
local x = fill("break-open", '<w:p><w:r><w:br w:type="page"/></w:r><w:r><w:t>{#x}</w:t></w:r></w:p>'
  .. P("{v}") .. P("{/x}") .. P("after"))
t.eq(x, '<w:p><w:r><w:br w:type="page"/></w:r></w:p>' .. P("one"):gsub(' xml:space="preserve"', '')
  :gsub("<w:t>", '<w:t xml:space="preserve">') .. '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
  .. '<w:p><w:r><w:t xml:space="preserve">two</w:t></w:r></w:p>' .. P("after"))

-- a page break in the closing tag paragraph goes to the end of the last item, once
x = fill("break-close", P("{#x}") .. P("{v}")
  .. '<w:p><w:r><w:t>{/x}</w:t></w:r><w:r><w:br w:type="page"/></w:r></w:p>' .. P("after"))
t.eq(x, P("one") .. '<w:p><w:r><w:t xml:space="preserve">two</w:t></w:r><w:r><w:br w:type="page"/></w:r></w:p>'
  .. P("after"))
-- … and with nothing to repeat, to the paragraph before the loop
x = fill("break-close-empty", P("before") .. P("{#x}") .. P("{v}")
  .. '<w:p><w:r><w:t>{/x}</w:t></w:r><w:r><w:br w:type="column"/></w:r></w:p>', { x = {} })
t.eq(x, '<w:p><w:r><w:t xml:space="preserve">before</w:t></w:r><w:r><w:br w:type="column"/></w:r></w:p>')

-- a section break (its footer, its margins) moves to the paragraph that takes its place
local sect = '<w:sectPr><w:footerReference w:type="default" r:id="rId9"/><w:pgSz w:w="11906" w:h="16838"/>'
  .. '<w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr>'
-- (the footer the section names is in the package, so that LibreOffice opens it: keep_test_check.py)
local footer = {
  ["word/_rels/document.xml.rels"] = '<?xml version="1.0" encoding="UTF-8"?>\n<Relationships '
    .. 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId9" '
    .. 'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>'
    .. '</Relationships>',
  ["word/footer1.xml"] = '<?xml version="1.0" encoding="UTF-8"?>\n<w:ftr ' .. t.W .. '>' .. P("Подвал")
    .. '</w:ftr>',
}
x = fill("section-close", P("{#x}") .. P("{v}") .. '<w:p><w:pPr>' .. sect .. '</w:pPr><w:r><w:t>{/x}</w:t></w:r></w:p>'
  .. P("after") .. '<w:sectPr><w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/></w:sectPr>', nil, footer)
t.eq(x, P("one") .. '<w:p><w:pPr>' .. sect .. '</w:pPr><w:r><w:t xml:space="preserve">two</w:t></w:r></w:p>'
  .. P("after") .. '<w:sectPr><w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/></w:sectPr>')
x = fill("section-open", P("before") .. '<w:p><w:pPr>' .. sect .. '</w:pPr><w:r><w:t>{#x}</w:t></w:r></w:p>'
  .. P("{v}") .. P("{/x}"))
t.eq(x, '<w:p><w:pPr>' .. sect .. '</w:pPr><w:r><w:t xml:space="preserve">before</w:t></w:r></w:p>' .. P("one") .. P("two"))
-- with no paragraph before it, the section break keeps its (emptied) paragraph
x = fill("section-first", '<w:p><w:pPr>' .. sect .. '</w:pPr><w:r><w:t>{#x}</w:t></w:r></w:p>' .. P("{v}") .. P("{/x}"))
t.eq(x, '<w:p><w:pPr>' .. sect .. '</w:pPr></w:p>' .. P("one") .. P("two"))
-- and in an empty loop, to the paragraph before the loop
x = fill("section-close-empty", P("before") .. P("{#x}") .. P("{v}")
  .. '<w:p><w:pPr>' .. sect .. '</w:pPr><w:r><w:t>{/x}</w:t></w:r></w:p>', { x = false })
t.eq(x, '<w:p><w:pPr>' .. sect .. '</w:pPr><w:r><w:t xml:space="preserve">before</w:t></w:r></w:p>')

-- bookmarks of a tag paragraph stay, beside the loop, once
x = fill("bookmark", '<w:p><w:bookmarkStart w:id="5" w:name="Приложение"/><w:r><w:t>{#x}</w:t></w:r></w:p>'
  .. P("{v}") .. '<w:p><w:r><w:t>{/x}</w:t></w:r><w:bookmarkEnd w:id="5"/></w:p>')
t.eq(x, '<w:bookmarkStart w:id="5" w:name="Приложение"/>' .. P("one") .. P("two") .. '<w:bookmarkEnd w:id="5"/>')

-- a drawing in the opening tag paragraph repeats with each item, with an id of its own
local drawing = '<w:r><w:drawing><wp:inline><wp:extent cx="9525" cy="9525"/><wp:docPr id="1" name="Рисунок 1"/>'
  .. '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"/></a:graphic>'
  .. '</wp:inline></w:drawing></w:r>'
x = fill("drawing-open", '<w:p>' .. drawing .. '<w:r><w:t>{#x}</w:t></w:r></w:p>' .. P("{v}") .. P("{/x}"))
t.count(x, "<w:drawing>", 2)
t.has(x, '<wp:docPr id="1" name="Рисунок 1"/>')
t.has(x, '<wp:docPr id="2" name="Рисунок 1"/>')
-- in the closing one it stays once, after the loop (its paragraph stays)
x = fill("drawing-close", P("{#x}") .. P("{v}") .. '<w:p><w:r><w:t>{/x}</w:t></w:r>' .. drawing .. '</w:p>')
t.eq(x, P("one") .. P("two") .. '<w:p>' .. drawing .. '</w:p>')
-- a field (fldSimple) in a tag paragraph stays with it
x = fill("field", P("{#x}") .. P("{v}") .. '<w:p><w:r><w:t>{/x}</w:t></w:r><w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p>')
t.has(x, '<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>')

-- images and bookmarks repeated by a loop: ids unique across the document (a header's too),
-- bookmark names unique (Word's _GoBack in repeated rows), ends paired with their starts
local header = '<?xml version="1.0" encoding="UTF-8"?>\n<w:hdr ' .. t.W .. '><w:p>'
  .. drawing:gsub('id="1"', 'id="7"') .. '</w:p></w:hdr>'
x = fill("ids", '<w:tbl><w:tblPr/><w:tblGrid><w:gridCol w:w="9000"/></w:tblGrid><w:tr><w:tc>' .. P("{#x}") .. '</w:tc></w:tr><w:tr><w:tc><w:p>' .. drawing
  .. '<w:bookmarkStart w:id="3" w:name="_GoBack"/><w:r><w:t>{v}</w:t></w:r><w:bookmarkEnd w:id="3"/></w:p></w:tc></w:tr>'
  .. '<w:tr><w:tc>' .. P("{/x}") .. '</w:tc></w:tr></w:tbl>' .. P("after"), { x = { { v = 1 }, { v = 2 }, { v = 3 } } },
  { ["word/header1.xml"] = header })
t.has(x, '<wp:docPr id="1" name="Рисунок 1"/>')
t.has(x, '<wp:docPr id="8" name="Рисунок 1"/>') -- above the header's 7
t.has(x, '<wp:docPr id="9" name="Рисунок 1"/>')
t.has(x, '<w:bookmarkStart w:id="3" w:name="_GoBack"/><w:r><w:t xml:space="preserve">1</w:t></w:r><w:bookmarkEnd w:id="3"/>')
t.has(x, '<w:bookmarkStart w:id="100000" w:name="_GoBack_2"/><w:r><w:t xml:space="preserve">2</w:t></w:r><w:bookmarkEnd w:id="100000"/>')
t.has(x, '<w:bookmarkStart w:id="100001" w:name="_GoBack_3"/><w:r><w:t xml:space="preserve">3</w:t></w:r><w:bookmarkEnd w:id="100001"/>')

-- a row loop's tag row holding a bookmark besides its tag is not dropped as a tag-only row
-- would be: it is the first row of what repeats (its bookmark renamed in the copies)
x = fill("row-bookmark", '<w:tbl><w:tblPr/><w:tblGrid><w:gridCol w:w="9000"/></w:tblGrid><w:tr><w:tc><w:p>'
  .. '<w:bookmarkStart w:id="1" w:name="Таблица"/><w:r><w:t>{#x}</w:t></w:r><w:bookmarkEnd w:id="1"/></w:p></w:tc></w:tr>'
  .. '<w:tr><w:tc>' .. P("{v}") .. '</w:tc></w:tr><w:tr><w:tc>' .. P("{/x}") .. '</w:tc></w:tr></w:tbl>' .. P("after"))
t.has(x, '<w:tr><w:tc><w:p><w:bookmarkStart w:id="1" w:name="Таблица"/><w:bookmarkEnd w:id="1"/></w:p></w:tc></w:tr>')
t.has(x, '<w:bookmarkStart w:id="100000" w:name="Таблица_2"/>')
t.count(x, "<w:tr>", 4) -- twice the bookmark's row and the item; the closing row held only its tag
-- a section break inside a loop body: the copies after the first are continuous
x = fill("sections", P("{#x}") .. P("{v}") .. '<w:p><w:pPr><w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:pPr></w:p>'
  .. P("{/x}"), { x = { { v = 1 }, { v = 2 }, { v = 3 } } })
t.count(x, '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr>', 1)
t.count(x, '<w:sectPr><w:type w:val="continuous"/><w:pgSz w:w="11906" w:h="16838"/></w:sectPr>', 2)

-- a cell whose loop leaves a nested table last gets its closing paragraph
local GRID = '<w:tblPr/><w:tblGrid><w:gridCol w:w="9000"/></w:tblGrid>'
x = fill("nested-table", '<w:tbl>' .. GRID .. '<w:tr><w:tc>' .. P("{#x}") .. '<w:tbl>' .. GRID .. '<w:tr><w:tc>' .. P("{v}")
  .. '</w:tc></w:tr></w:tbl>' .. P("{/x}") .. '</w:tc></w:tr></w:tbl>' .. P("after"))
t.eq(x, '<w:tbl>' .. GRID .. '<w:tr><w:tc><w:tbl>' .. GRID .. '<w:tr><w:tc>' .. P("one") .. '</w:tc></w:tr></w:tbl><w:p/><w:tbl>' .. GRID .. '<w:tr><w:tc>'
  .. P("two") .. '</w:tc></w:tr></w:tbl><w:p/></w:tc></w:tr></w:tbl>' .. P("after"))
-- a header whose only paragraphs were a loop's keeps one
local hdr = '<?xml version="1.0" encoding="UTF-8"?>\n<w:hdr ' .. t.W .. '>' .. P("{#x}") .. P("{v}") .. P("{/x}") .. '</w:hdr>'
local src = t.docx(out .. "/header-template.docx", P("body"), { ["word/header1.xml"] = hdr })
t.has(t.fill(src, { x = {} }, out .. "/header.docx", "word/header1.xml"), '<w:hdr ' .. t.W .. '><w:p/></w:hdr>')

-- loops whose tags share their paragraph with text: the text before the opening tag stays in
-- the first paragraph, the text after the closing one in the last; copies join end to start
local split = '<w:p><w:pPr><w:jc w:val="left"/></w:pPr><w:r><w:t xml:space="preserve">ABC {#x}</w:t></w:r></w:p>'
  .. P("{v}") .. '<w:p><w:pPr><w:jc w:val="right"/></w:pPr><w:r><w:t xml:space="preserve">{/x} DEF</w:t></w:r></w:p>'
x = fill("split", split)
t.eq(x, '<w:p><w:pPr><w:jc w:val="left"/></w:pPr><w:r><w:t xml:space="preserve">ABC </w:t></w:r></w:p>' .. P("one")
  .. '<w:p><w:pPr><w:jc w:val="right"/></w:pPr></w:p>' .. P("two")
  .. '<w:p><w:pPr><w:jc w:val="right"/></w:pPr><w:r><w:t xml:space="preserve"> DEF</w:t></w:r></w:p>')
x = fill("split-empty", split, { x = {} })
t.eq(x, '<w:p><w:pPr><w:jc w:val="left"/></w:pPr><w:r><w:t xml:space="preserve">ABC </w:t></w:r><w:r><w:t xml:space="preserve"> DEF</w:t></w:r></w:p>')
x = fill("split-one", split, { x = { { v = "one" } } })
t.eq(x, '<w:p><w:pPr><w:jc w:val="left"/></w:pPr><w:r><w:t xml:space="preserve">ABC </w:t></w:r></w:p>' .. P("one")
  .. '<w:p><w:pPr><w:jc w:val="right"/></w:pPr><w:r><w:t xml:space="preserve"> DEF</w:t></w:r></w:p>')
-- three identical paragraphs: an error would quote the right one; here they all fill
x = fill("split-three", P("Итог {#x}") .. P("{v}") .. P("{/x} конец") .. P("Итог {#x}") .. P("{v}") .. P("{/x} конец"))
t.count(x, "one", 2)
-- the same in ODT
local osrc = t.odt(out .. "/split-template.odt", '<text:p text:style-name="P1">ABC {#x}</text:p><text:p>{v}</text:p>'
  .. '<text:p text:style-name="P2">{/x} DEF</text:p>')
local ox = t.fill(osrc, items, out .. "/split.odt", "content.xml")
t.has(ox, '<text:p text:style-name="P1">ABC </text:p><text:p>one</text:p><text:p text:style-name="P2"></text:p>'
  .. '<text:p>two</text:p><text:p text:style-name="P2"> DEF</text:p>')

-- ODT: a tag paragraph whose style breaks the page stays; a frame's name stays unique
osrc = t.odt(out .. "/odt-break-template.odt", '<text:p text:style-name="PB">{#x}</text:p><text:p>{v}'
  .. '<draw:frame draw:name="Рамка" xml:id="f1"><draw:image xlink:href="Pictures/a.png"/></draw:frame></text:p>'
  .. '<text:p>{/x}</text:p>',
  '<style:style style:name="PB" style:family="paragraph"><style:paragraph-properties fo:break-before="page"/></style:style>')
ox = t.fill(osrc, items, out .. "/odt-break.odt", "content.xml")
t.count(ox, '<text:p text:style-name="PB"></text:p>', 2)
t.has(ox, 'draw:name="Рамка" xml:id="f1"')
t.has(ox, 'draw:name="Рамка_2"')
t.count(ox, 'xml:id="f1"', 1)
print("keep: all assertions hold")
