-- Namespaces a fill declares itself (xml.c's tmpl_ns_by_href remembers, per fill, what an
-- element declares): an ODT whose root declares only office: and text: gets style:, fo: and
-- table: declared on its root by the first table, rich paragraph or automatic style that needs
-- them; every later question must find that declaration (a second one of the same prefix makes
-- the part unreadable). Filled three times: the first fill prepares the template (no arena), the
-- later ones copy it (the arena, where the answers are remembered): the same bytes each time.
local richtext = require "nastavnik.richtext"
local t = require "template_test_lib"
local out = arg[2]

local path = out .. "/ns-memo.odt"
t.odt(path, "<text:p>{title}</text:p><text:p>{rich}</text:p><text:p>{table}</text:p>"
  .. "<text:p>{#items}</text:p><text:p>{name}</text:p><text:p>{/items}</text:p><text:p>{rich}</text:p>",
  false, nil, 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
  .. 'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3"')

local view = {
  title = "Заголовок",
  rich = richtext.parse("Первый **абзац**\n\n- пункт\n- другой пункт"),
  table = { type = "table", columns = { { width = 20 }, { weight = 1 } }, header_rows = 1,
    rows = { { cells = { "№", "Мероприятие" } }, { cells = { "1", "Встреча **наставников**" } } } },
  items = { { name = "Иванов" }, { name = "Петров" } },
}

local first
for k = 1, 3 do
  local xml = t.fill(path, view, out .. "/ns-memo-" .. k .. ".odt", "content.xml")
  for _, prefix in ipairs({ "office", "text", "style", "fo", "table" }) do
    t.count(xml, "xmlns:" .. prefix .. "=", 1)
  end
  t.has(xml, "Встреча")
  t.has(xml, "Петров")
  if first then
    if xml ~= first then error("fill " .. k .. " wrote other bytes than the first") end
  else
    first = xml
  end
end
