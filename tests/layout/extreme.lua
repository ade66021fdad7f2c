-- Extreme inputs for the layout engine (issue: nothing cut silently). Writes to the folder
-- given as the first argument, with a .txt beside each PDF saying how many of each marker
-- character the document holds; extreme_test.py counts them back with pdftotext.
local pdf = require "nastavnik.pdf"
local host = require "nastavnik.host"

local out = assert(..., "usage: pdf_driver extreme.lua OUTDIR")

local function para(text) return { type = "para", runs = { { text = text } } } end

local function write(name, doc, counts)
  local bytes, problems = pdf.render(doc)
  assert(bytes, problems)
  assert(host.write_file(out .. "/" .. name .. ".pdf", bytes))
  local lines = {}
  for ch, n in pairs(counts) do lines[#lines + 1] = ch .. " " .. n end
  table.sort(lines)
  assert(host.write_file(out .. "/" .. name .. ".txt", table.concat(lines, "\n") .. "\n"))
end

-- 1. A 12,000-character word in a narrow column (and alone on a page, justified).
local WORD = string.rep("Ж", 12000)
write("long-word", {
  page = { orientation = "landscape" },
  blocks = {
    { type = "table", columns = { { width = 15 }, {} }, header_rows = 1, rows = {
      { cells = { { text = "№" }, { text = "Содержание" } } },
      { cells = { { text = "1" }, { blocks = { para(WORD) } } } },
    } },
    { type = "para", align = "justify", runs = { { text = "Щ " .. string.rep("Ш", 12000) .. " Щ" } } },
  },
}, { ["Ж"] = 12000, ["Ш"] = 12000, ["Щ"] = 2 })

-- 2. Fifty columns, each cell its own letters.
local LETTERS = {}
for cp = 0x410, 0x42F do LETTERS[#LETTERS + 1] = utf8.char(cp) end
for cp = 0x430, 0x44F do LETTERS[#LETTERS + 1] = utf8.char(cp) end
local columns, rows, counts = {}, {}, {}
for c = 1, 50 do columns[c] = {} end
local head = { cells = {} }
for c = 1, 50 do head.cells[c] = { text = tostring(c) } end
rows[1] = head
for r = 1, 6 do
  local cells = {}
  for c = 1, 50 do
    local letter = LETTERS[c]
    cells[c] = { text = string.rep(letter, 3 * r) .. " " .. string.rep(letter, 40) }
    counts[letter] = (counts[letter] or 0) + 3 * r + 40
  end
  rows[#rows + 1] = { cells = cells }
end
write("fifty-columns", { page = { orientation = "landscape" },
  blocks = { { type = "table", header_rows = 1, size = 8, columns = columns, rows = rows } } }, counts)

-- 3. A cell taller than a page: 400 lines of its own, beside a short one.
local tall = {}
for i = 1, 400 do tall[i] = para("Ф" .. string.rep("ф", i % 7 + 1)) end
local ff = 0
for i = 1, 400 do ff = ff + i % 7 + 1 end
write("tall-cell", {
  blocks = {
    { type = "table", header_rows = 1, columns = { {}, {} }, rows = {
      { cells = { { text = "Этап" }, { text = "Что делается" } } },
      { cells = { { text = "Ю" }, { blocks = tall } } },
      { cells = { { text = "Ю" }, { text = "Ы" } } },
    } },
  },
}, { ["Ф"] = 400, ["ф"] = ff, ["Ю"] = 2, ["Ы"] = 1 })
