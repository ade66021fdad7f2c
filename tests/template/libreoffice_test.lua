-- Documents LibreOffice must read back: filled here, converted to text by soffice in
-- libreoffice_test_check.py (skipped, exit 77, where LibreOffice is not installed).
local template = require "nastavnik.template"
local richtext = require "nastavnik.richtext"
local t = require "template_test_lib"
local fixtures, out = arg[1], arg[2]

t.ok(template.fill(fixtures .. "/rich.docx", {
  content = richtext.parse("Абзац с **жирным**\n• пункт\n1.1. номер"),
  empty = {},
  sections = { { title = "Сентябрь", items = { { n = 1, cell = "Встреча & <план>" } } } },
  tail = "Хвост",
}, out .. "/lo.docx"))
t.ok(template.fill(fixtures .. "/odt_basic.odt", {
  org = { head = { name = "Иванова" }, short = "Школа" },
  dangerous = "<&>", address = "a\nb  c", people = { { name = "Петров" } }, tasks = { "x" },
  content = richtext.parse("Цель\n- пункт"), rows = { { n = 1, text = "Встреча" } },
  sections = { { title = "Май", items = { { n = 7, what = "Итоги" } } } },
}, out .. "/lo.odt"))
print("libreoffice: documents written")
