-- Table rows and paragraphs kept whole are remembered per process as they were written
-- (generator/template/rowmemo.c) and written again where the same stand: a fill whose rows were
-- all written before gives the bytes its first fill gave; a row is not taken for one of other
-- cells, another boldness or another fit, nor a paragraph for one cut with other stems; an ODT
-- row remembered makes the automatic styles building it makes, in the same order.
local t = require "template_test_lib"
local out = arg[2]

-- one cell a row; runs = { text, "b" | "i" | nil } a row
local function form(rows)
  local made = {}
  for i, r in ipairs(rows) do
    made[i] = { cells = { { blocks = { { runs = { { text = r[1], bold = r[2] == "b", italic = r[2] == "i" } } } } } } }
  end
  return { form = { type = "table", columns = { { weight = 1 } }, borders = false, size = 11, rows = made } }
end

-- the row of the table that holds text
local function row_of(xml, text)
  for row in xml:gmatch("<w:tr>.-</w:tr>") do
    if row:find(text, 1, true) then return row end
  end
  error("no row holds " .. text)
end

local fit = { size = -1, leading = 0.92, space = 0.5 }
local docx = t.docx(out .. "/rows.docx",
  '<w:p><w:pPr><w:jc w:val="both"/></w:pPr><w:r><w:rPr><w:sz w:val="24"/></w:rPr><w:t>{form}</w:t></w:r></w:p>'
  .. '<w:p><w:r><w:t>конец сосновского района</w:t></w:r></w:p>')
local first_rows = { { "Первая" }, { "Вторая", "b" }, { "Третья" } }
local first = t.fill(docx, form(first_rows), out .. "/rows-1.docx", nil, nil,
  { fit = fit, protect = { "сосновск" } })
t.has(row_of(first, "Вторая"), "<w:b/>")
t.has(row_of(first, "Первая"), '<w:sz w:val="20"/>') -- 11 pt less the fit's 1 pt
t.has(first, '<w:lang w:val="zxx"/></w:rPr><w:t xml:space="preserve">сосновского</w:t>')

-- The same again: every row and the paragraph remembered, the same bytes.
t.eq(t.fill(docx, form(first_rows), out .. "/rows-2.docx", nil, nil, { fit = fit, protect = { "сосновск" } }),
  first)

-- Rows in another order, one new, one of the same text made bold: each as its own cells say.
local mixed = t.fill(docx, form({ { "Третья" }, { "Первая", "b" }, { "Четвёртая" } }),
  out .. "/rows-3.docx", nil, nil, { fit = fit, protect = { "сосновск" } })
local a, b, c = mixed:find("Третья", 1, true), mixed:find("Первая", 1, true), mixed:find("Четвёртая", 1, true)
assert(a and b and c and a < b and b < c, "rows out of order")
t.has(row_of(mixed, "Первая"), "<w:b/>")
t.lacks(row_of(mixed, "Третья"), "<w:b/>")
t.lacks(row_of(mixed, "Четвёртая"), "<w:b/>")

-- Another fit: the sizes it says, not the ones remembered.
local smaller = t.fill(docx, form(first_rows), out .. "/rows-4.docx", nil, nil,
  { fit = { size = -2, leading = 0.92, space = 0.5 }, protect = { "сосновск" } })
t.has(row_of(smaller, "Первая"), '<w:sz w:val="18"/>')
t.lacks(smaller, '<w:sz w:val="20"/>')
local unfitted = t.fill(docx, form(first_rows), out .. "/rows-5.docx", nil, nil, { protect = { "сосновск" } })
t.has(row_of(unfitted, "Первая"), '<w:sz w:val="22"/>')

-- Other stems: the paragraph cut for them, then for the first ones again.
t.lacks(t.fill(docx, form(first_rows), out .. "/rows-6.docx", nil, nil, { fit = fit, protect = { "аграрн" } }),
  'w:val="zxx"')
t.eq(t.fill(docx, form(first_rows), out .. "/rows-7.docx", nil, nil, { fit = fit, protect = { "сосновск" } }),
  first)

-- ODT: a remembered italic row before a new bold one makes NstItalic before NstBold, as a
-- first fill does; filled again, the same bytes.
local odt = t.odt(out .. "/rows.odt", '<text:p text:style-name="Standard">{form}</text:p>')
t.fill(odt, form({ { "Курсив", "i" } }), out .. "/rows-1.odt", "content.xml")
local both = t.fill(odt, form({ { "Курсив", "i" }, { "Жирный", "b" } }), out .. "/rows-2.odt", "content.xml")
local italic = both:find('style:name="NstItalic"', 1, true)
local bold = both:find('style:name="NstBold"', 1, true)
assert(italic and bold and italic < bold, "NstItalic must come before NstBold:\n" .. both)
t.has(both, '<text:span text:style-name="NstItalic">Курсив</text:span>')
t.eq(t.fill(odt, form({ { "Курсив", "i" }, { "Жирный", "b" } }), out .. "/rows-3.odt", "content.xml"), both)
print("ok")
