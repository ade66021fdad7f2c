-- Out of memory (generator/memory.h): every allocation of a fill is made to fail in turn, from
-- the first on (SQLite's way); each failure must end the fill with the error "не хватает
-- памяти" (raised, so that the command exits with code 4), never a crash, and write nothing.
local template = require "nastavnik.template"
local t = require "template_test_lib"
local fixtures, out = arg[1], arg[2]

local cases = {
  { "basic.docx", {
    org = { head = { name = "Иванова Мария Петровна" }, short = "МБОУ СОШ № 1" }, date = "1 сентября",
    dangerous = "a & b", address = "г. Энск,\nул. Ленина", count = 40, name = "n", title = "t",
    people = { { name = "Петров" }, { name = "Сидорова" } }, show = true, hide = false,
    tasks = { "первая", "вторая" }, rows = { { n = 1, text = "Встреча" }, { n = 2, text = "План" } } },
    { initials = function(s) return s end } },
  { "odt_basic.odt", nil },
  { "rich.docx", nil },
}
-- the views of the other fixtures, as their own tests give them
local richtext = require "nastavnik.richtext"
cases[2][2] = { org = { head = { name = "Иванова М. П." }, short = "МБОУ СОШ № 1" },
  dangerous = "<b>&amp;</b>", address = "г. Энск,\nул.  Ленина\t1",
  people = { { name = "Петров" } }, tasks = { "первая", "вторая" },
  content = richtext.parse("Цель:\n• **встреча**-знакомство;\n1.1. приказ *№ 390*"),
  rows = { { n = 1, text = "Встреча" } },
  sections = { { title = "Сентябрь", items = { { n = 1, what = "Знакомство" } } } } }
cases[3][2] = { content = richtext.parse("Цель:\n• **встреча**;\n1.1. приказ"), empty = {},
  sections = { { title = "Сентябрь", items = { { n = 1, cell = richtext.parse("Знакомство\n- беседа") },
    { n = 4, cell = {} } } } }, tail = richtext.parse("Хвост") }

-- a QR code (template/picture.c: a PNG, a drawing or frame, the package's bookkeeping)
local QR = { type = "qr", text = "https://school.ru/docs/prikaz-146" }
cases[4] = { "rich.docx", { content = QR, empty = {}, sections = {}, tail = {} } }
cases[5] = { "odt_basic.odt", { org = { head = { name = "И" }, short = "Ш" }, dangerous = "", address = "",
  people = {}, tasks = {}, content = QR, rows = {}, sections = {} } }

-- A template is prepared once per process (generator/template/prepared.c): each case runs
-- twice, "cold" (the template copied to a new path before every fill, so that it is read,
-- parsed and compiled each time) and "warm" (the same path: later fills start from the
-- prepared copy).
local host = require "nastavnik.host"
local copies = 0
for _, case in ipairs(cases) do
  local view, filters = case[2], case[3]
  local bytes = assert(host.read_file(fixtures .. "/" .. case[1]))
  for _, warm in ipairs({ false, true }) do
    local path = out .. "/oom-" .. case[1]
    local src = fixtures .. "/" .. case[1]
    local function source()
      if warm then return src end
      copies = copies + 1
      local copy = out .. "/cold-" .. copies .. "-" .. case[1] .. ".tpl"
      assert(host.write_file(copy, bytes))
      return copy
    end
    local first = source()
    assert(template.fill(first, view, path, filters)) -- the view fills whole
    remove_file(path)
    if not warm then remove_file(first) end
    local failures, n = 0, 0
    while true do
      local from = source()
      fail_allocations(n)
      local ok, result, messages = pcall(template.fill, from, view, path, filters)
      fail_allocations(-1)
      if not warm then remove_file(from) end
      if ok and result then break end
      if ok then -- the fill ran out of memory on the way
        error(case[1] .. ": allocation " .. n .. " gave errors instead: " .. table.concat(messages or {}, "; "))
      end
      t.has(tostring(result), "не хватает памяти")
      t.eq(file_exists(path), false)
      failures = failures + 1
      n = n + 1
      assert(n < 200000, "never succeeded")
    end
    print(("%s (%s): %d allocations made to fail, each reported, nothing written"):format(case[1],
      warm and "prepared" or "read each time", failures))
    remove_file(path)
  end
end
print("oom: all assertions hold")
