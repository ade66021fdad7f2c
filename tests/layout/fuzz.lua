-- Random documents through pdf.render: whatever the shape, the answer is a PDF or nil and a
-- message, never a crash or a Lua error (run under the sanitizers by the sanitizer suite).
-- Deterministic: a seed of its own, so a failure can be replayed.
local pdf = require "nastavnik.pdf"

local seed = tonumber((select(2, ...))) or 20231
local function rand(n) -- 1..n, a small LCG (math.random's sequence differs between builds)
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed % n + 1
end
local function pick(list) return list[rand(#list)] end

local WORDS = { "наставничество", "Организационно-методическое", "№\u{a0}146", "А.Н.\u{a0}Пенкин", "—", "и",
  "2023\u{a0}г.", "«товарищеской", "встречи»", "ШМО", "✓", "漢", "\u{ad}", "x", "АААААААААААААААААААААААААААААААА",
  "\t", "\n", "  ", "", "\xff\xfe", "\xd0", "Ё", "ё", "1.1.", "(приложение)", "\u{1F600}" }

local function text()
  local parts = {}
  for i = 1, rand(12) - 1 do parts[i] = pick(WORDS) end
  return table.concat(parts, pick({ " ", "", "\u{a0}" }))
end

local function runs()
  local r = {}
  for i = 1, rand(4) - 1 do r[i] = { text = text(), bold = rand(2) == 1, italic = rand(3) == 1 } end
  return r
end

local function para()
  return { type = "para", runs = runs(), align = pick({ "left", "center", "right", "justify" }),
           indent = rand(3) == 1 and rand(20) or nil, size = rand(4) == 1 and rand(30) + 4 or nil,
           line_spacing = rand(4) == 1 and rand(3) or nil, space_before = rand(3) == 1 and rand(20) or nil,
           space_after = rand(3) == 1 and rand(20) or nil, keep_with_next = rand(3) == 1 }
end

local function list()
  local items = {}
  for i = 1, rand(5) - 1 do
    items[i] = { label = pick({ "•", "-", "1.", "1.1.", "10.10.10." }), level = rand(4), runs = runs() }
  end
  return { type = "list", ordered = rand(2) == 1, items = items }
end

local function cell_blocks()
  local b = {}
  for i = 1, rand(4) - 1 do b[i] = rand(3) == 1 and list() or para() end
  return b
end

local function tbl()
  local ncols = rand(6)
  local cols = {}
  for i = 1, ncols do
    cols[i] = rand(2) == 1 and { width = rand(120) } or { weight = rand(5) }
  end
  local rows = {}
  for r = 1, rand(40) - 1 do
    local cells = {}
    for c = 1, rand(ncols + 1) - 1 do
      cells[c] = { blocks = cell_blocks(), colspan = rand(5) == 1 and rand(8) or nil,
                   rowspan = rand(6) == 1 and rand(12) or nil, valign = pick({ "top", "middle", "bottom" }),
                   bold = rand(4) == 1, align = rand(3) == 1 and "center" or nil }
    end
    rows[r] = { cells = cells, keep_together = rand(5) == 1 }
  end
  return { type = "table", columns = cols, rows = rows, header_rows = rand(3) - 1, borders = rand(4) ~= 1,
           size = rand(3) == 1 and rand(16) + 6 or nil, padding = rand(3) == 1 and rand(5) or nil }
end

local function block()
  local k = rand(11)
  if k <= 3 then return para() end
  if k == 4 then return list() end
  if k <= 6 then return tbl() end
  if k == 7 then return { type = "box", width = rand(200), align = pick({ "left", "right", "center" }), blocks = cell_blocks() } end
  if k == 8 then return { type = "space", height = rand(300) } end
  if k == 9 then return { type = "page", orientation = pick({ "portrait", "landscape" }) } end
  -- a QR code anywhere (the lower right corner of its page, or where the text has got to)
  if k == 10 then return { type = "qr", text = "https://school.ru/" .. string.rep("x", rand(300)), size = rand(120) } end
  return { type = "page_break" }
end

-- A document without text first: the process has drawn no text yet (the PDF's buffer of
-- decoded characters is then still to be made).
assert(pdf.render({ blocks = {} }):sub(1, 5) == "%PDF-", "an empty document: not a PDF")

local count = tonumber((...)) or 200
local ok, failed = 0, 0
for n = 1, count do
  local blocks = {}
  for i = 1, rand(8) do blocks[i] = block() end
  local doc = { blocks = blocks, page = { orientation = pick({ "portrait", "landscape" }), number_from = rand(3) - 1 } }
  local bytes, problems = pdf.render(doc)
  if bytes then
    assert(type(bytes) == "string" and bytes:sub(1, 5) == "%PDF-", "doc " .. n .. ": not a PDF")
    assert(type(problems) == "table", "doc " .. n .. ": problems is not a list")
    ok = ok + 1
  else
    assert(type(problems) == "string", "doc " .. n .. ": failure without a message")
    assert(problems:find("допустимо", 1, true), "doc " .. n .. ": unexpected refusal: " .. problems)
    failed = failed + 1
  end
end
print(string.format("fuzz.lua: %d documents rendered, %d refused with a message", ok, failed))
