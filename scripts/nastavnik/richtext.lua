-- Rich text of roadmap cells, goals and descriptions.
--
-- A secretary writes a cell the way it looks on paper, one paragraph or list item a line:
--
--   content = [[
--   Организация работы наставнических пар или групп:
--   • встреча-знакомство; пробная встреча;
--   • встреча-планирование;
--   1.1. приказ № 390 от 16.09.2024 г.
--   **Тема:** «Наставничество: инициативность …»]]
--
-- A line opening with "-", "–", "—" or "•" and a space is a bulleted item (the marker is
-- kept: the seeds use both "-" and "•"); a line opening with a number label such as "1.",
-- "1.1.", "3)" is a numbered item whose label is kept exactly as written (the seeds skip
-- numbers and nest them); any other line is a paragraph; **…** is bold, *…* italic, and a
-- backslash keeps the next character literal. A Lua list of such strings works too.
--
-- Several lists in one cell stay separate: a numbered list ends where its numbering starts
-- again at the same depth (1, 2, then 1 again), and any list ends at an empty line.
--
-- The parsed form (the "AST" every output reads) is a list of blocks:
--   { type = "para", runs = { { text = "…", bold = true, italic = true }, … } }
--   { type = "list", ordered = false|true, items = { { label = "•", level = 1, runs = {…} } } }

local richtext = {}

-- Spaces (non-breaking ones too) off a line's ends; those inside stay as they are: text
-- parsed after the model is loaded keeps its bound words ("2024 - 2025", "в школе").
local NBSP = "\u{a0}"
-- The bytes %s matches (the C locale's spaces).
local SPACE = { [9] = true, [10] = true, [11] = true, [12] = true, [13] = true, [32] = true }
local function trim(s)
  local a, b = 1, #s
  -- (most lines neither start with a space or a non-breaking one's first byte, nor end with a
  -- space or its last byte: they are what they are, told by two bytes)
  local first, last = s:byte(1), s:byte(b)
  if not first or (not SPACE[first] and first ~= 0xC2 and not SPACE[last] and last ~= 0xA0) then return s end
  while true do
    if s:sub(a, a):match("%s") then a = a + 1
    elseif s:sub(a, a + 1) == NBSP then a = a + 2
    else break end
  end
  while b >= a do
    if s:sub(b, b):match("%s") then b = b - 1
    elseif b - 1 >= a and s:sub(b - 1, b) == NBSP then b = b - 2
    else break end
  end
  return s:sub(a, b)
end

-- Splits a line into runs of the same style.
local function parse_runs(line)
  -- Most lines carry no markup: one run, without walking the line character by character.
  if not line:find("[*\\]") then return { { text = line } } end
  local runs, buf = {}, {}
  local bold, italic = false, false
  local function flush()
    if #buf > 0 then
      runs[#runs + 1] = { text = table.concat(buf), bold = bold or nil, italic = italic or nil }
      buf = {}
    end
  end
  local i, n = 1, #line
  while i <= n do
    local c = line:sub(i, i)
    if c == "\\" and i < n then
      local nxt = line:match("^[%z\1-\127\194-\244][\128-\191]*", i + 1)
      buf[#buf + 1] = nxt
      i = i + 1 + #nxt
    elseif line:sub(i, i + 1) == "**" then
      flush(); bold = not bold; i = i + 2
    elseif c == "*" then
      flush(); italic = not italic; i = i + 1
    else
      buf[#buf + 1] = c
      i = i + 1
    end
  end
  flush()
  return runs
end

local BULLETS = { "-", "–", "—", "•" }

-- (the first bytes the marks start with: "-", and \226 of "–", "—", "•")
local MARK_FIRST = {}
for _, mark in ipairs(BULLETS) do MARK_FIRST[mark:byte(1)] = true end

local function list_item(line)
  if MARK_FIRST[line:byte(1)] then
    for _, mark in ipairs(BULLETS) do
      if line:sub(1, #mark) == mark then
        local rest = line:sub(#mark + 1)
        if rest:match("^%s") then return false, mark, 1, trim(rest) end
      end
    end
  end
  -- "^(%d+[%.%d]*[%.%)])%s+" said in steps: that pattern backtracks through every split of
  -- a long run of digits, quadratic in it. The label is the whole run of digits and dots,
  -- ending in "." or followed by ")".
  local run = line:match("^%d[%d%.]*")
  local label
  if run and line:sub(#run + 1, #run + 1) == ")" then
    label = run .. ")"
  elseif run and #run > 1 and run:sub(-1) == "." then
    label = run
  end
  local rest = label and line:match("^%s+(.*)$", #label + 1)
  if rest then
    local _, dots = label:gsub("%.", "")
    if label:sub(-1) == "." then dots = dots - 1 end
    return true, label, dots + 1, rest
  end
end

-- The number a label counts at its own depth: 3 for "3.", "1.3." or "3)".
local function last_number(label) return tonumber(label:match("(%d+)[%.%)]?$")) end

-- Whether a numbered item starts its numbering again within `list`: its number is not past
-- the last one written at its depth.
local function restarts(list, level, label)
  for i = #list.items, 1, -1 do
    local it = list.items[i]
    if it.level < level then return false end
    if it.level == level then return (last_number(label) or 0) <= (last_number(it.label) or 0) end
  end
  return false
end

-- Parses cell text (a string or a list of strings) into blocks. Empty text gives {}.
local CR = 13
function richtext.parse(value)
  if type(value) == "table" then value = table.concat(value, "\n") end
  local blocks = {}
  local gap = false -- an empty line since the last block
  -- Line by line as "(.-)\r?\n" would read it (a "\r" before the "\n" is not the line's),
  -- but without trying the line's end at every byte.
  for raw in (value .. "\n"):gmatch("([^\n]*)\n") do
    if raw:byte(-1) == CR then raw = raw:sub(1, -2) end
    local line = trim(raw)
    if line == "" then
      gap = true
    else
      local ordered, label, level, rest = list_item(line)
      if ordered ~= nil then
        local last = blocks[#blocks]
        if gap or not (last and last.type == "list" and last.ordered == ordered)
            or (ordered and restarts(last, level, label)) then
          last = { type = "list", ordered = ordered, items = {} }
          blocks[#blocks + 1] = last
        end
        last.items[#last.items + 1] = { label = label, level = level, runs = parse_runs(rest) }
      else
        blocks[#blocks + 1] = { type = "para", runs = parse_runs(line) }
      end
      gap = false
    end
  end
  return blocks
end

-- A copy of parsed blocks, by their known shape (richtext.parse's): for a reader that may
-- change its copy (a layout setting a block's alignment) while the parse is kept for others.
local function copy_runs(runs)
  local out = {}
  for i, r in ipairs(runs) do out[i] = { text = r.text, bold = r.bold, italic = r.italic } end
  return out
end

function richtext.copy(blocks)
  local out = {}
  for i, b in ipairs(blocks) do
    if b.type == "para" then
      out[i] = { type = "para", runs = copy_runs(b.runs) }
    else
      local items = {}
      for k, it in ipairs(b.items) do
        items[k] = { label = it.label, level = it.level, runs = copy_runs(it.runs) }
      end
      out[i] = { type = "list", ordered = b.ordered, items = items }
    end
  end
  return out
end

local function same(s) return s end

local function runs_text(runs, print)
  if #runs == 1 then return print(runs[1].text) end
  local parts = {}
  for i, run in ipairs(runs) do parts[i] = print(run.text) end
  return table.concat(parts)
end

-- The text as lines, list labels included: for summaries, JSON and text comparisons.
-- `print` (optional) is applied to each of its texts (a run's, a label) as they are joined:
-- richtext.plain(blocks, russian.nbsp) is the plain text of the blocks in print form
-- (russian.nbsp_view) without making that copy of them.
-- (the plain text of a model's blocks remembered by the blocks, weak: a region's organisation
-- has the plain text of each roadmap item asked by its calendar, its report's evidence and its
-- roadmap's continued titles; one string for them all is also hashed once by the memories it
-- is looked up in. Nothing changes parsed blocks' texts once made: a layout changes copies.)
local plain_of = setmetatable({}, { __mode = "k" })

function richtext.plain(blocks, print)
  if print == nil and blocks ~= nil then
    local kept = plain_of[blocks]
    if kept then return kept end
    kept = richtext.plain(blocks, same)
    plain_of[blocks] = kept
    return kept
  end
  print = print or same
  local lines = {}
  for _, block in ipairs(blocks or {}) do
    if block.type == "para" then
      lines[#lines + 1] = runs_text(block.runs, print)
    else
      for _, it in ipairs(block.items) do
        lines[#lines + 1] = print(it.label) .. " " .. runs_text(it.runs, print)
      end
    end
  end
  return table.concat(lines, "\n")
end

return richtext
