-- Properties and runs a DOCX table or rich value makes once and copies (docx.c's made_copy):
-- from the second copy on they come from a stamp (treecopy.c), in a fill's arena only. The first
-- fill of a template prepares it outside the arena (plain copies), the later ones copy it into
-- the arena (stamps): the same bytes. Also where the tag's paragraph declares w: again (the
-- copies' place then has more than the root's declarations in scope: no stamp), and where the
-- rich value and the table share a paragraph's properties with different text.
local richtext = require "nastavnik.richtext"
local t = require "template_test_lib"
local out = arg[2]

local W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

local lines = {}
for i = 1, 12 do
  lines[#lines + 1] = ("Абзац %d с **полужирным** словом и *курсивом*, ещё **одно**"):format(i)
end
local rows = { { cells = { "№", "Мероприятие", "Срок" } } }
for i = 1, 15 do
  rows[#rows + 1] = { cells = { tostring(i), ("Встреча **%d** наставников"):format(i),
    { blocks = ("до %d мая"):format(i), align = "center", bold = i % 2 == 0 } } }
end
local view = {
  rich = richtext.parse(table.concat(lines, "\n\n") .. "\n\n- пункт\n- другой пункт\n- третий"),
  table = { type = "table", columns = { { width = 12 }, { weight = 2 }, { weight = 1 } },
    header_rows = 1, rows = rows },
}

local bodies = {
  plain = '<w:p><w:pPr><w:jc w:val="both"/></w:pPr><w:r><w:rPr><w:sz w:val="26"/></w:rPr>'
    .. "<w:t>{rich}</w:t></w:r></w:p>"
    .. '<w:p><w:pPr><w:spacing w:after="0"/></w:pPr><w:r><w:rPr><w:i/></w:rPr><w:t>{table}</w:t></w:r></w:p>'
    .. "<w:p><w:r><w:t>Конец.</w:t></w:r></w:p>",
  redeclared = '<w:p xmlns:w="' .. W .. '"><w:pPr><w:jc w:val="both"/></w:pPr><w:r><w:rPr><w:b/></w:rPr>'
    .. "<w:t>{rich}</w:t></w:r></w:p>"
    .. '<w:p xmlns:w="' .. W .. '"><w:r><w:rPr><w:u w:val="single"/></w:rPr><w:t>{table}</w:t></w:r></w:p>'
    .. "<w:p><w:r><w:t>Конец.</w:t></w:r></w:p>",
}

for name, body in pairs(bodies) do
  local path = t.docx(out .. "/made-stamp-" .. name .. ".docx", body)
  local first
  for k = 1, 3 do
    local xml = t.fill(path, view, out .. "/made-stamp-" .. name .. "-" .. k .. ".docx")
    t.has(xml, "Встреча ")
    t.has(xml, "до 15 мая")
    t.has(xml, "Абзац 12 с ")
    if first then
      if xml ~= first then error(name .. ": fill " .. k .. " wrote other bytes than the first") end
    else
      first = xml
    end
  end
end
