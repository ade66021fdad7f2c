-- The namespaces of an ODT table value (odt.c): where the part declares each namespace a table
-- uses once, on the root alone, every node made uses that declaration (found once per table);
-- where the template's paragraph stands in a table whose element declares the table namespace
-- again with another prefix, the nodes made take their declarations as they always did, each
-- looked up from where it stands: the table's element the prefix in scope at the paragraph, its
-- columns and rows the root's, the rows' cells and attributes the prefix of what holds them.
local t = require "template_test_lib"
local out = arg[2]

local TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
local view = { form = { type = "table", columns = { { weight = 1 }, { weight = 1 } }, header_rows = 1,
  rows = { { cells = { "А", "Б" } }, { cells = { "в", "г" } } } } }

local plain = t.odt(out .. "/plain.odt", '<text:p text:style-name="P1">{form}</text:p>',
  '<style:style style:name="P1" style:family="paragraph"><style:text-properties fo:font-size="12pt"/></style:style>')
for round = 1, 2 do
  local xml = t.fill(plain, view, out .. "/plain-" .. round .. ".odt", "content.xml")
  t.has(xml, '<table:table table:name="NstTable1" table:style-name="NstTable1">')
  t.has(xml, '<table:table-header-rows><table:table-row><table:table-cell table:style-name="NstCellB" '
    .. 'office:value-type="string"><text:p text:style-name="NstCellH_P1">А</text:p>')
  t.has(xml, '<style:style style:name="NstCellH_P1" style:family="paragraph">')
  t.lacks(xml, "xmlns:tb")
end

-- (the paragraph in a table of the template's, written with prefix tb)
local twice = t.odt(out .. "/twice.odt",
  '<tb:table xmlns:tb="' .. TABLE .. '" tb:name="T"><tb:table-column/><tb:table-row><tb:table-cell>'
  .. '<text:p>{form}</text:p></tb:table-cell></tb:table-row></tb:table>')
for round = 1, 2 do
  local xml = t.fill(twice, view, out .. "/twice-" .. round .. ".odt", "content.xml")
  t.has(xml, '<tb:table table:name="NstTable1" table:style-name="NstTable1">'
    .. '<table:table-column tb:style-name="NstTable1.C1"/>')
  t.has(xml, '<table:table-header-rows><tb:table-row><table:table-cell tb:style-name="NstCellB" ')
  t.has(xml, '</tb:table-row></table:table-header-rows><table:table-row><table:table-cell tb:style-name')
end
print("ok")
