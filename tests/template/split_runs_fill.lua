-- Fills every template named on the command line (for split_runs.py) with one view; each
-- must succeed: the output is written next to it as <template>.out.
local template = require "nastavnik.template"
local richtext = require "nastavnik.richtext"
local view = {
  org = { head = { name = "Иванова Мария Петровна" }, short = "МБОУ СОШ № 1" },
  date = "1 сентября 2024 г.", dangerous = "a & b < c", address = "г. Энск,\nул.  Ленина\t1",
  count = 40, name = "Внешнее", title = "заголовок",
  people = { { name = "Петров" }, { name = "Сидорова" } }, show = true, hide = false,
  tasks = { "первая", "вторая" },
  rows = { { n = 1, text = "Встреча" }, { n = 2, text = "План" } },
  content = richtext.parse("Цель:\n• **встреча**;\n1.1. приказ"),
  sections = { { title = "Сентябрь", items = { { n = 1, what = "Знакомство" } } } },
}
local filters = { initials = function(s) return (s:gsub("(%S+) (%S%S)%S* (%S%S)%S*", "%1 %2.%3.")) end }
for i = 1, #arg do
  local ok, errors = template.fill(arg[i], view, arg[i] .. ".out", filters)
  if not ok then error(arg[i] .. ":\n  " .. table.concat(errors, "\n  ")) end
end
