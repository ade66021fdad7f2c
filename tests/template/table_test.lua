-- Table values ({type = "table", ...}, the roadmap's table): a tag alone in its paragraph
-- becomes a native table in DOCX and ODT. A 5-column table with a header row, a stage row
-- spanning all columns, an item whose number and title span its two sub-rows, rich cells
-- (bullets, bold), borders; a loop over tables; a table in a cell; a table ending the body;
-- a table value where a text is expected is an error. table_test_check.py opens the outputs
-- with python-docx and odfpy and, where LibreOffice is installed, prints them to PDF.
local template = require "nastavnik.template"
local richtext = require "nastavnik.richtext"
local t = require "template_test_lib"
local fixtures, out = arg[1], arg[2]

local function head(text)
  return { blocks = { { type = "para", align = "center", runs = { { text = text, bold = true } } } },
    valign = "middle" }
end
local function cell(text, extra)
  local c = { blocks = richtext.parse(text) }
  for k, v in pairs(extra or {}) do c[k] = v end
  return c
end

local roadmap = {
  type = "table",
  columns = { { width = 14 }, { weight = 3.2 }, { weight = 4.5 }, { weight = 2 }, { weight = 2.6 } },
  header_rows = 1,
  size = 12,
  rows = {
    { cells = { head("№"), head("Этапы и мероприятия"), head("Содержание деятельности"),
                head("Сроки"), head("Ответственные") } },
    { cells = { cell("1 этап. Подготовка условий", { colspan = 5, align = "center", bold = true }) } },
    -- an item the layout calls short (common.fit_columns): its rows never split, the first
    -- keeps with the second
    { keep_together = true, cells = {
      cell("1.1.", { rowspan = 2, align = "center" }),
      cell("Информирование педагогов", { rowspan = 2 }),
      { blocks = { { type = "para", runs = { { text = "Совещания:" } } },
                   { type = "space", height = 2 },
                   { type = "list", ordered = false, items = {
                     { label = "•", level = 1, runs = { { text = "августовское совещание;" } } },
                     { label = "•", level = 1, runs = { { text = "педсоветы в ОО" } } } } } } },
      cell("Август 2024", { align = "left" }),
      cell("Заместитель начальника", { valign = "bottom" }) } },
    -- the second sub-row: the number and the title are covered, not listed
    { keep_together = true,
      cells = { cell("Приказ **№ 390** от 16.09.2024"), cell("Сентябрь 2024"), cell("Руководители ОО") } },
    { cells = { cell("2", { align = "center", bold = true }), cell("2 этап. Реализация", { colspan = 4, bold = true }) } },
  },
}
local small = { type = "table", columns = { { weight = 1 }, { weight = 2 } }, borders = false,
  padding = 0.5, keep_together = true, rows = { { cells = { "Ключ", "Значение" } } } }
local view = { table = roadmap, more = { small, small }, small = small }

-- DOCX ---------------------------------------------------------------------------------
local path = out .. "/table.docx"
t.ok(template.fill(fixtures .. "/table.docx", view, path))
local xml = assert(read_entry(path, "word/document.xml"))
t.lacks(xml, "{")
t.count(xml, "<w:tbl>", 1 + 1 + 2 + 1 + 1) -- roadmap, the template's table and its nested one, two in the loop, the last
-- grid: 14 mm = 794 twips; the weights share the landscape text width less 14 mm
-- (16838 - 1134 - 850 = 14854 twips in all)
t.has(xml, '<w:tblGrid><w:gridCol w:w="794"/><w:gridCol w:w="3658"/><w:gridCol w:w="5144"/><w:gridCol w:w="2286"/><w:gridCol w:w="2972"/></w:tblGrid>')
t.has(xml, '<w:tblPr><w:tblW w:w="14854" w:type="dxa"/><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/>')
-- the cells' margins are the view's padding (1 mm unless it says, as in the PDF): 57 twips
t.has(xml, '<w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/></w:tblBorders><w:tblLayout w:type="fixed"/>'
  .. '<w:tblCellMar><w:top w:w="57" w:type="dxa"/><w:left w:w="57" w:type="dxa"/><w:bottom w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr>')
-- the header row repeats on every page
t.count(xml, "<w:tblHeader/>", 1)
t.has(xml, '<w:tr><w:trPr><w:tblHeader/></w:trPr><w:tc><w:tcPr><w:tcW w:w="794" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>')
-- the stage row: one cell over five columns; stage 2: a cell over four
t.has(xml, '<w:tcW w:w="14854" w:type="dxa"/><w:gridSpan w:val="5"/>')
t.has(xml, '<w:tcW w:w="14060" w:type="dxa"/><w:gridSpan w:val="4"/>')
-- number and title span two rows: restart, then a covered cell in the next row
t.count(xml, '<w:vMerge w:val="restart"/>', 2)
t.count(xml, "<w:vMerge/>", 2)
t.has(xml, '<w:tc><w:tcPr><w:tcW w:w="794" w:type="dxa"/><w:vMerge/></w:tcPr><w:p>')
t.has(xml, '<w:vAlign w:val="bottom"/>')
-- how rows break: the short item's two rows never split, the stage row and the item's first
-- row keep with the next (every paragraph of theirs), cells are never hyphenated
t.count(xml, "<w:trPr><w:cantSplit/></w:trPr>", 2 + 1 + 2 + 1) -- the item's rows, the nested one, two in the loop, the last
t.count(xml, "<w:keepNext/><w:suppressAutoHyphens/>", 1 + 8)
t.has(xml, '<w:p><w:pPr><w:keepNext/><w:suppressAutoHyphens/><w:spacing w:after="0"/><w:ind w:left="0" w:right="0" w:firstLine="0"/><w:jc w:val="center"/></w:pPr><w:r>'
  .. '<w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman"/><w:b/><w:bCs/><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr><w:t xml:space="preserve">1 этап. Подготовка условий</w:t>')
-- cell paragraphs: the template's pPr without its indent and keep-with-next, the align of the
-- block or the cell, the tag run's rPr at the table's size, bold from runs and cells
local rpr12 = '<w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman"/><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr>'
local rpr12b = '<w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman"/><w:b/><w:bCs/><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr>'
t.has(xml, '<w:p><w:pPr><w:suppressAutoHyphens/><w:spacing w:after="0"/><w:ind w:left="0" w:right="0" w:firstLine="0"/><w:jc w:val="center"/></w:pPr><w:r>'
  .. rpr12b .. '<w:t xml:space="preserve">Этапы и мероприятия</w:t></w:r></w:p>')
t.has(xml, '<w:p><w:pPr><w:keepNext/><w:suppressAutoHyphens/><w:spacing w:after="0"/><w:ind w:left="0" w:right="0" w:firstLine="0"/><w:jc w:val="both"/></w:pPr><w:r>'
  .. rpr12 .. '<w:t xml:space="preserve">Совещания:</w:t></w:r></w:p>')
t.has(xml, '<w:jc w:val="left"/></w:pPr><w:r>' .. rpr12 .. '<w:t xml:space="preserve">Август 2024</w:t>')
t.has(xml, '<w:r>' .. rpr12b .. '<w:t xml:space="preserve">№ 390</w:t></w:r>')
-- a bullet: label, tab, hanging indent
t.has(xml, '<w:ind w:left="425" w:hanging="425"/><w:jc w:val="both"/></w:pPr><w:r>' .. rpr12
  .. '<w:t xml:space="preserve">•</w:t></w:r><w:r>' .. rpr12 .. '<w:tab/></w:r><w:r>' .. rpr12
  .. '<w:t xml:space="preserve">августовское совещание;</w:t></w:r></w:p>')
-- a space block: an empty line of exactly 2 mm
t.has(xml, '<w:spacing w:before="0" w:after="0" w:line="113" w:lineRule="exact"/>')
t.lacks(xml, "<w:keepNext/><w:spacing")
-- no borders: nil lines
t.has(xml, '<w:top w:val="nil"/>')
t.has(xml, '<w:tblCellMar><w:top w:w="28" w:type="dxa"/>') -- padding = 0.5
-- the nested table takes the cell's width (6000 less the cell margins = 5784 twips)
t.has(xml, '<w:tblW w:w="5784" w:type="dxa"/>')
-- the two tables of the loop are kept apart by a paragraph; the last table is followed by one
t.lacks(xml, "</w:tbl><w:tbl>")
t.has(xml, '</w:tbl><w:p/>\n<w:sectPr>')
-- a cell holding only the nested table still ends with a paragraph
t.has(xml, '</w:tbl><w:p/></w:tc>')
local text = t.text(xml)
t.has(text, "Дорожная карта|№|Этапы и мероприятия|Содержание деятельности|Сроки|Ответственные|1 этап. Подготовка условий|1.1.|Информирование педагогов|Совещания:||•августовское совещание;|•педсоветы в ОО|Август 2024|Заместитель начальника|||Приказ № 390 от 16.09.2024|Сентябрь 2024|Руководители ОО|2|2 этап. Реализация|Между таблицами.")

-- ODT ----------------------------------------------------------------------------------
local opath = out .. "/table.odt"
t.ok(template.fill(fixtures .. "/table_odt.odt", view, opath))
local oxml = assert(read_entry(opath, "content.xml"))
t.lacks(oxml, "{")
-- text width from styles.xml's page layout: 297 - 20 - 15 = 262 mm
t.has(oxml, '<style:style style:name="NstTable1" style:family="table"><style:table-properties style:width="262.00mm" table:align="margins"/></style:style>')
t.has(oxml, '<style:table-column-properties style:column-width="14.00mm" style:rel-column-width="1400*"/>')
t.has(oxml, '<table:table table:name="NstTable1" table:style-name="NstTable1"><table:table-column table:style-name="NstTable1.C1"/>')
t.count(oxml, "<table:table-header-rows>", 1)
t.has(oxml, '<table:table-header-rows><table:table-row><table:table-cell table:style-name="NstCellBm" office:value-type="string">')
t.has(oxml, '</table:table-row></table:table-header-rows><table:table-row><table:table-cell table:style-name="NstCellB" table:number-columns-spanned="5" office:value-type="string">')
t.has(oxml, 'table:number-columns-spanned="5" office:value-type="string"><text:p text:style-name="NstCellcs120KH_P1"><text:span text:style-name="NstBold">1 этап. Подготовка условий</text:span></text:p></table:table-cell><table:covered-table-cell/><table:covered-table-cell/><table:covered-table-cell/><table:covered-table-cell/></table:table-row>')
t.count(oxml, 'table:number-rows-spanned="2"', 2)
-- the sub-row: two covered cells where the number and the title go on
t.has(oxml, '<table:table-row table:style-name="NstRowKeep"><table:covered-table-cell/><table:covered-table-cell/><table:table-cell table:style-name="NstCellB" office:value-type="string"><text:p text:style-name="NstCells120H_P1">Приказ <text:span text:style-name="NstBold">№ 390</text:span> от 16.09.2024</text:p>')
t.has(oxml, 'table:number-columns-spanned="4"')
t.count(oxml, "<table:covered-table-cell/>", 4 + 2 + 3)
-- cell styles and paragraph styles
t.has(oxml, '<style:style style:name="NstCellB" style:family="table-cell"><style:table-cell-properties fo:padding="0.1cm" fo:border="0.5pt solid #000000"/></style:style>')
t.has(oxml, '<style:table-cell-properties style:vertical-align="middle" fo:padding="0.1cm" fo:border="0.5pt solid #000000"/>')
t.has(oxml, '<style:style style:name="NstCellNp50" style:family="table-cell"><style:table-cell-properties fo:padding="0.50mm" fo:border="none"/>')
t.has(oxml, '<style:style style:name="NstCellcs120H_P1" style:family="paragraph" style:parent-style-name="Standard"><style:paragraph-properties fo:text-align="center" fo:text-indent="0cm" fo:margin-left="0cm" fo:margin-right="0cm" style:auto-text-indent="false"/><style:text-properties fo:font-size="12pt" fo:hyphenate="false"')
t.has(oxml, '<text:p text:style-name="NstList1Ts120KH_P1">•<text:tab/>августовское совещание;</text:p>')
-- how rows break: the item's rows never split (a row style), the stage row and the item's first
-- row keep with the next, a table kept together does not break between rows
t.count(oxml, 'table:style-name="NstRowKeep"', 2 + 1 + 2 + 1)
t.has(oxml, '<style:style style:name="NstRowKeep" style:family="table-row"><style:table-row-properties fo:keep-together="always"/></style:style>')
t.has(oxml, 'fo:keep-with-next="always"')
t.has(oxml, 'style:may-break-between-rows="false"')
t.has(oxml, 'style:name="NstSpace20s120KH_P1"')
-- the loop's two tables and the nested one are there, with names of their own
t.has(oxml, 'table:name="NstTable2"')
t.has(oxml, 'table:name="NstTable5"')
t.lacks(oxml, 'table:name="NstTable6"')
local otext = t.text(oxml) -- (t.text skips empty, self-closed text:p)
t.has(otext, "Дорожная карта|№|Этапы и мероприятия|Содержание деятельности|Сроки|Ответственные|1 этап. Подготовка условий|1.1.|Информирование педагогов|Совещания:|•\tавгустовское совещание;|•\tпедсоветы в ОО|Август 2024|Заместитель начальника|Приказ № 390 от 16.09.2024|Сентябрь 2024|Руководители ОО|2|2 этап. Реализация|Между таблицами.")

-- A centred list item outside a table and a list item in a cell (a table without a size) have
-- styles of their own: the one a centred item, the other an item without indents at the right.
local centred = { { type = "list", ordered = false, align = "center",
  items = { { label = "•", level = 1, runs = { { text = "по центру" } } } } } }
local listed = { type = "table", columns = { { weight = 1 } }, rows = { { cells = { { blocks = {
  { type = "list", ordered = false, items = { { label = "•", level = 1, runs = { { text = "в ячейке" } } } } } } } } } } }
t.ok(template.fill(fixtures .. "/table_odt.odt", { table = listed, more = { centred }, small = small }, out .. "/lists.odt"))
local lxml = assert(read_entry(out .. "/lists.odt", "content.xml"))
t.has(lxml, '<text:p text:style-name="NstList1TH_P1">•<text:tab/>в ячейке</text:p>')
t.has(lxml, '<text:p text:style-name="NstList1cH_">•<text:tab/>по центру</text:p>')
t.has(lxml:match('<style:style style:name="NstList1cH_".-</style:style>'), 'fo:text-align="center"')
t.lacks(lxml:match('<style:style style:name="NstList1TH_P1".-</style:style>'), "center")

-- errors ---------------------------------------------------------------------------------
-- rich.docx has {content} alone in its paragraph and once inside a sentence
local ok, errors = template.fill(fixtures .. "/rich.docx", {
  content = small, empty = {}, sections = {}, tail = "x" }, out .. "/bad.docx")
t.eq(ok, nil)
t.eq(#errors, 1)
t.has(errors[1], "word/document.xml, абзац «Описание: {content} (в строку)», символ 11: значение «content» — таблица: её тег должен стоять один в своём абзаце")
t.eq(file_exists(out .. "/bad.docx"), false)
local bad = { type = "table", columns = { { weight = 1 }, { weight = 1 } },
  rows = { { cells = { { blocks = {}, rowspan = 2 }, "b" } }, { cells = { "c", "d" } } } }
ok, errors = template.fill(fixtures .. "/table.docx", { table = bad, more = {}, small = small }, out .. "/bad.docx")
t.eq(ok, nil)
t.has(errors[1], "в таблице «table» ячейки строки 2 не помещаются в 2 столбцов")
ok, errors = template.fill(fixtures .. "/table.docx", { table = { type = "table", rows = {} }, more = {}, small = small }, out .. "/bad.docx")
t.eq(ok, nil)
t.has(errors[1], "абзац «{table}», символ 1: значение {table}.columns: у таблицы нет столбцов")
-- a table without rows takes its paragraph away, like empty rich text
t.ok(template.fill(fixtures .. "/table.docx", { table = { type = "table", columns = { { weight = 1 } }, rows = {} },
  more = {}, small = small }, out .. "/empty.docx"))
local empty = assert(read_entry(out .. "/empty.docx", "word/document.xml"))
t.has(t.text(empty), "Дорожная карта|Между таблицами.|")
t.lacks(empty, 'w:firstLine="709"')
print("table: all assertions hold")
