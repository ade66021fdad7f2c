-- Automatic styles made from images (odt.c): a fill makes the styles of its tables, their
-- columns, cells and cell paragraphs, and the text styles of its runs, as copies of the ones
-- earlier fills made when all they are made of is the same. The first fill of a template
-- prepares it (no arena: every style made afresh) and is the reference each later fill of it
-- (the arena: copies) must equal byte for byte, whatever was filled in between: a template
-- whose paragraph style of the same name holds other properties; a root that binds the
-- namespaces to other prefixes; a root that does not declare fo: (declared once, where making
-- the styles declares it); a fitted fill (its copies scaled, the next fill's not).
local richtext = require "nastavnik.richtext"
local t = require "template_test_lib"
local out = arg[2]

local NS = {
  office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
  text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
  table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
  style = "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
  fo = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
}

-- A template in prefixes p (p.style, p.fo, ...; nil: that namespace is not declared).
local function template(name, p, props)
  local ns = {}
  for _, k in ipairs({ "office", "text", "table", "style", "fo" }) do
    if p[k] then ns[#ns + 1] = "xmlns:" .. p[k] .. '="' .. NS[k] .. '"' end
  end
  local body = "<" .. p.text .. ':p ' .. p.text .. ':style-name="P1">{form}</' .. p.text .. ":p>"
    .. "<" .. p.text .. ':p ' .. p.text .. ':style-name="P1">{rich}</' .. p.text .. ":p>"
  local styles = "<" .. p.style .. ':style ' .. p.style .. ':name="P1" ' .. p.style
    .. ':family="paragraph"><' .. p.style .. ":paragraph-properties " .. props .. "/></"
    .. p.style .. ":style>"
  local content = '<?xml version="1.0" encoding="UTF-8"?>\n<' .. p.office .. ":document-content "
    .. table.concat(ns, " ") .. ' ' .. p.office .. ':version="1.3"><' .. p.office
    .. ":automatic-styles>" .. styles .. "</" .. p.office .. ":automatic-styles><" .. p.office
    .. ":body><" .. p.office .. ":text>" .. body .. "</" .. p.office .. ":text></" .. p.office
    .. ":body></" .. p.office .. ":document-content>"
  return t.odt_package(out .. "/" .. name .. ".odt", content)
end

local plain = { office = "office", text = "text", table = "table", style = "style", fo = "fo" }
local view = {
  form = { type = "table", columns = { { width = 20 }, { weight = 1 } }, header_rows = 1,
    rows = { { cells = { "№", "Мероприятие" }, keep_together = true },
      { cells = { "1", { text = "Встреча *наставников*", bold = true, align = "center" } } } } },
  rich = richtext.parse("Абзац с **жирным** и *косым*\n\n- пункт\n- другой ***пункт***"),
}
local fit = { fit = { size = -1, leading = 0.92, space = 0.5 } }

-- Fills `path` `rounds` times: each fill's content.xml must be the first's.
local function same(path, name, rounds, options)
  local first
  for k = 1, rounds do
    local xml = t.fill(path, view, out .. "/" .. name .. "-" .. k .. ".odt", "content.xml", nil,
      options)
    if first then
      t.eq(xml, first)
    else
      first = xml
    end
  end
  return first
end

local a = same(template("a", plain, 'fo:text-align="start"'), "a", 3)
t.has(a, '<style:style style:name="NstTable1" style:family="table">')
t.has(a, '<style:style style:name="NstTable1.C2" style:family="table-column">')
t.has(a, 'style:name="NstRowKeep"')
t.has(a, 'style:name="NstBold"')
t.has(a, 'style:name="NstItalic"')
t.has(a, 'style:name="NstBoldItalic"')
t.has(a, '<style:style style:name="NstCellH_P1" style:family="paragraph"><style:paragraph-properties '
  .. 'fo:text-align="start" fo:margin-left="0cm"')

-- The same paragraph style's name, other properties: its own copies.
local b = same(template("b", plain, 'fo:margin-top="1mm"'), "b", 3)
t.has(b, '<style:style style:name="NstCellH_P1" style:family="paragraph"><style:paragraph-properties '
  .. 'fo:margin-top="1mm" fo:margin-left="0cm"')
t.lacks(b, 'fo:text-align="start"')

-- Other prefixes for the same namespaces: the copies take the part's own.
local other = { office = "o", text = "x", table = "tb", style = "s", fo = "f" }
local c = same(template("c", other, 'f:text-align="start"'), "c", 3)
t.has(c, '<s:style s:name="NstCellH_P1" s:family="paragraph"><s:paragraph-properties '
  .. 'f:text-align="start" f:margin-left="0cm"')
t.lacks(c, "<style:")
t.lacks(c, " style:")
t.lacks(c, " fo:")

-- No fo: on the root (nor in the template's style): declared once, by the first style that
-- needs it, in every fill.
local nofo = { office = "office", text = "text", table = "table", style = "style" }
local d = same(template("d", nofo, 'style:auto-text-indent="false"'), "d", 3)
t.count(d, 'xmlns:fo="' .. NS.fo .. '"', 1)
t.has(d, 'fo:margin-left="0cm"')

-- A fitted fill after all those: equal to a fresh template's (every style made afresh), and
-- the next plain fill of a is still a's.
local fitted = same(template("e", plain, 'fo:text-align="start"'), "e", 1, fit)
t.has(fitted, 'fo:line-height="92%"')
t.eq(t.fill(out .. "/a.odt", view, out .. "/a-fit.odt", "content.xml", nil, fit), fitted)
t.eq(t.fill(out .. "/a.odt", view, out .. "/a-4.odt", "content.xml"), a)
print("ok")
