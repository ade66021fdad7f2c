-- Small assertion helpers for the template tests (found through package.path below).
local M = {}

-- The text of a part: the text of each paragraph, paragraphs joined by "|".
function M.text(xml)
  local paras = {}
  for p in xml:gmatch("<w:p[ >].-</w:p>") do
    local buf = {}
    for body in p:gmatch("<w:t[^>]*>([^<]*)</w:t>") do buf[#buf + 1] = body end
    paras[#paras + 1] = table.concat(buf)
  end
  if #paras == 0 then -- ODT
    for p in xml:gmatch("<text:[ph][ >].-</text:[ph]>") do
      paras[#paras + 1] = (p:gsub("<text:tab/>", "\t"):gsub("<text:line%-break/>", "\n"):gsub("<[^>]*>", ""))
    end
  end
  return table.concat(paras, "|")
end

local function show(s)
  if #s > 3000 then s = s:sub(1, 3000) .. "…" end
  return s
end

function M.has(hay, needle)
  if not hay:find(needle, 1, true) then
    error(("expected to find\n  %s\nin\n  %s"):format(needle, show(hay)), 2)
  end
end

function M.lacks(hay, needle)
  if hay:find(needle, 1, true) then
    error(("did not expect\n  %s\nin\n  %s"):format(needle, show(hay)), 2)
  end
end

function M.count(hay, needle, n)
  local c, i = 0, 1
  while true do
    local s, e = hay:find(needle, i, true)
    if not s then break end
    c, i = c + 1, e + 1
  end
  if c ~= n then error(("expected %d of %s, found %d in\n%s"):format(n, needle, c, show(hay)), 2) end
end

function M.ok(ok, errors)
  if not ok then error("fill failed:\n  " .. table.concat(errors or {}, "\n  "), 2) end
end

function M.eq(a, b)
  if a ~= b then error(("expected %s, got %s"):format(tostring(b), tostring(a)), 2) end
end

-- A DOCX made on the spot: body is the XML inside w:body; parts adds or replaces entries
-- ({ ["word/header1.xml"] = "...", ... }); main names the main part (word/document.xml).
M.W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
  .. 'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
  .. 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
  .. 'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
  .. 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
local CT_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
  .. '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
  .. '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
  .. '<Default Extension="xml" ContentType="application/xml"/>'

function M.docx(path, body, parts, main, types)
  main = main or "word/document.xml"
  local entries = {
    { "[Content_Types].xml", CT_HEAD .. '<Override PartName="/' .. main .. '" ContentType='
      .. '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
      .. (types or "") .. "</Types>" },
    { "_rels/.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
      .. '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
      .. '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
      .. 'relationships/officeDocument" Target="' .. main .. '"/></Relationships>' },
    { main, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document ' .. M.W
      .. "><w:body>" .. body .. "</w:body></w:document>" },
  }
  for name, data in pairs(parts or {}) do entries[#entries + 1] = { name, data } end
  write_zip(path, entries)
  return path
end

M.ODT_NS = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
  .. 'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
  .. 'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
  .. 'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
  .. 'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
  .. 'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
  .. 'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
  .. 'xmlns:xlink="http://www.w3.org/1999/xlink" '
  .. 'xmlns:dc="http://purl.org/dc/elements/1.1/" '
  .. 'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" office:version="1.3"'

-- An ODT package of content.xml `content` (its whole XML) and more parts (name -> bytes).
function M.odt_package(path, content, parts)
  local entries = {
    { "mimetype", "application/vnd.oasis.opendocument.text" },
    { "META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?>\n'
      .. '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
      .. 'manifest:version="1.3"><manifest:file-entry manifest:full-path="/" '
      .. 'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
      .. '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
      .. "</manifest:manifest>" },
    { "content.xml", content },
  }
  for name, data in pairs(parts or {}) do entries[#entries + 1] = { name, data } end
  write_zip(path, entries)
  return path
end

-- An ODT made on the spot: body is the XML inside office:text; styles the automatic styles
-- (false: no office:automatic-styles at all); ns the root's declarations and version (M.ODT_NS).
function M.odt(path, body, styles, parts, ns)
  return M.odt_package(path, '<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content '
    .. (ns or M.ODT_NS) .. ">"
    .. (styles == false and "" or "<office:automatic-styles>" .. (styles or "") .. "</office:automatic-styles>")
    .. "<office:body><office:text>" .. body .. "</office:text></office:body></office:document-content>", parts)
end

-- Fills and returns the main part's XML (asserting success).
function M.fill(template, view, out, part, filters, options)
  local tpl = require "nastavnik.template"
  local ok, messages = tpl.fill(template, view, out, filters, options)
  if not ok then error("fill failed:\n  " .. table.concat(messages or {}, "\n  "), 2) end
  return assert(read_entry(out, part or "word/document.xml")), messages
end

-- Fills expecting failure; returns the messages joined (and checks no file was written).
function M.fails(template, view, out, filters, options)
  local tpl = require "nastavnik.template"
  local ok, messages = tpl.fill(template, view, out, filters, options)
  if ok then error("fill did not fail", 2) end
  if file_exists(out) then error("a failed fill wrote " .. out, 2) end
  return table.concat(messages, "\n")
end

return M
