-- Every part with text is filled or named (issue 11): docProps core/app/custom, comments,
-- footnotes, customXml data, charts and SmartArt; the main part found through _rels and
-- [Content_Types].xml (word/document2.xml); a part not filled that holds a tag is a warning.
local t = require "template_test_lib"
local template = require "nastavnik.template"
local out = arg[2]
local view = { title = "План наставничества", org = "МБОУ «СШ № 1»", date = "01.09.2024", n = 3,
  author = "Иванова М.П.", note = "Примечание" }
local function P(s) return "<w:p><w:r><w:t>" .. s .. "</w:t></w:r></w:p>" end
local XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

local core = XML .. '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
  .. 'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{title}</dc:title><dc:creator>{author}</dc:creator></cp:coreProperties>'
local app = XML .. '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
  .. '<Company>{org}</Company><Pages>1</Pages></Properties>'
local custom = XML .. '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
  .. 'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property '
  .. 'fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Дата"><vt:lpwstr>{date}</vt:lpwstr></property></Properties>'
local comments = XML .. '<w:comments ' .. t.W .. '><w:comment w:id="0" w:author="Секретарь">' .. P("Проверить {date}")
  .. '</w:comment></w:comments>'
local cover = XML .. '<CoverPageProperties xmlns="http://schemas.microsoft.com/office/2006/coverPageProps">'
  .. '<PublishDate>{date}</PublishDate><Abstract>{title}</Abstract></CoverPageProperties>'
local chart = XML .. '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
  .. 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><c:chart><c:title><c:tx><c:rich>'
  .. '<a:p><a:r><a:t>Пары: {org}</a:t></a:r></a:p></c:rich></c:tx></c:title><c:plotArea><c:barChart><c:ser>'
  .. '<c:cat><c:strRef><c:strCache><c:pt idx="0"><c:v>{date}</c:v></c:pt></c:strCache></c:strRef></c:cat>'
  .. '</c:ser></c:barChart></c:plotArea></c:chart></c:chartSpace>'
local smartart = XML .. '<dgm:dataModel xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram" '
  .. 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><dgm:ptLst><dgm:pt modelId="1"><dgm:t>'
  .. '<a:bodyPr/><a:p><a:r><a:t>Наставник {author}</a:t></a:r></a:p></dgm:t></dgm:pt></dgm:ptLst></dgm:dataModel>'
-- building blocks (a glossary document) are not filled: said in a warning; settings and styles
-- never hold document text and are not even read for it
local glossary = XML .. '<w:glossaryDocument ' .. t.W .. '><w:docParts><w:docPart><w:docPartBody>' .. P("{org}")
  .. '</w:docPartBody></w:docPart></w:docParts></w:glossaryDocument>'
local settings = XML .. '<w:settings ' .. t.W .. '><w:docVars><w:docVar w:name="x" w:val="{org}"/></w:docVars></w:settings>'
local types = '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
  .. '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
  .. '<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/>'
  .. '<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>'
  .. '<Override PartName="/word/charts/chart1.xml" ContentType="application/vnd.openxmlformats-officedocument.drawingml.chart+xml"/>'
  .. '<Override PartName="/word/diagrams/data1.xml" ContentType="application/vnd.openxmlformats-officedocument.drawingml.diagramData+xml"/>'
  .. '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
  .. '<Override PartName="/word/glossary/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.glossary+xml"/>'

-- the main part named word/document2.xml, as Office 365 may name it
local src = t.docx(out .. "/parts-template.docx", P("{title}"), {
  ["docProps/core.xml"] = core, ["docProps/app.xml"] = app, ["docProps/custom.xml"] = custom,
  ["word/comments.xml"] = comments, ["customXml/item1.xml"] = cover, ["word/charts/chart1.xml"] = chart,
  ["word/diagrams/data1.xml"] = smartart, ["word/settings.xml"] = settings,
  ["word/glossary/document.xml"] = glossary,
}, "word/document2.xml", types)
local path = out .. "/parts.docx"
local ok, warnings = template.fill(src, view, path)
t.ok(ok, warnings)
t.has(assert(read_entry(path, "word/document2.xml")), "<w:t xml:space=\"preserve\">План наставничества</w:t>")
t.has(assert(read_entry(path, "docProps/core.xml")), "<dc:title>План наставничества</dc:title><dc:creator>Иванова М.П.</dc:creator>")
t.has(assert(read_entry(path, "docProps/app.xml")), "<Company>МБОУ «СШ № 1»</Company>")
t.has(assert(read_entry(path, "docProps/custom.xml")), "<vt:lpwstr>01.09.2024</vt:lpwstr>")
-- a GUID in braces is not a tag: it stays
t.has(assert(read_entry(path, "docProps/custom.xml")), 'fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"')
t.has(assert(read_entry(path, "word/comments.xml")), "Проверить 01.09.2024")
t.has(assert(read_entry(path, "customXml/item1.xml")), "<PublishDate>01.09.2024</PublishDate><Abstract>План наставничества</Abstract>")
t.has(assert(read_entry(path, "word/charts/chart1.xml")), "<a:t>Пары: МБОУ «СШ № 1»</a:t>")
t.has(assert(read_entry(path, "word/charts/chart1.xml")), "<c:v>01.09.2024</c:v>")
t.has(assert(read_entry(path, "word/diagrams/data1.xml")), "<a:t>Наставник Иванова М.П.</a:t>")
t.eq(#warnings, 1)
t.has(warnings[1], "часть word/glossary/document.xml не заполняется")
t.has(assert(read_entry(path, "word/glossary/document.xml")), "{org}")
t.has(assert(read_entry(path, "word/settings.xml")), 'w:val="{org}"')

-- a name missing in docProps is reported like any other, with its part
local ok2, errors = template.fill(src, { title = "x" }, out .. "/parts-missing.docx")
t.eq(ok2, nil)
t.has(table.concat(errors, "\n"), "docProps/app.xml, абзац «{org}», символ 1: в данных нет поля «org» (тег {org})")

-- ODT: meta.xml (document properties) is filled too
local meta = XML .. '<office:document-meta ' .. t.ODT_NS .. '><office:meta><dc:title>{title}</dc:title>'
  .. '<meta:user-defined meta:name="Организация">{org}</meta:user-defined></office:meta></office:document-meta>'
local osrc = t.odt(out .. "/parts-template.odt", "<text:p>{title}</text:p>", nil, { ["meta.xml"] = meta })
local m = t.fill(osrc, view, out .. "/parts.odt", "meta.xml")
t.has(m, "<dc:title>План наставничества</dc:title>")
t.has(m, '<meta:user-defined meta:name="Организация">МБОУ «СШ № 1»</meta:user-defined>')

-- without _rels/.rels and an override, word/document.xml is still the main part
write_zip(out .. "/bare-template.zip", { { "word/document.xml", XML .. "<w:document " .. t.W
  .. "><w:body>" .. P("{title}") .. "</w:body></w:document>" } })
t.has(t.fill(out .. "/bare-template.zip", view, out .. "/bare.zip"), "План наставничества")
print("parts: all assertions hold")
