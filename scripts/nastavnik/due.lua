-- Deadlines as the author wrote them ("Сентябрь – октябрь 2023", "До 15.11.2023",
-- "Ежемесячно 25 числа") and the date range they mean, where it can be read.
--
-- due.read(text, from, to) takes the roadmap's period (ISO dates) to place a month written
-- without a year and to give "В течение года" its meaning. It returns
--   { from = iso, to = iso, how = "dates" | "months" | "period" | "recurring" }
-- or nil when the text names no time we can read (that is not an error: the text is kept);
-- or nil, message when the text holds a date that does not exist (31.02.2024).

local dates = require "nastavnik.dates"
local text = require "nastavnik.text"

local due = {}

local function month_end(y, m) return dates.iso(y, m, dates.days_in_month(y, m)) end

-- Turns every dash between words into one plain "-" and lowers the case.
local function normalise(raw)
  local s = text.lower(raw)
  s = text.plain_dashes(text.plain_spaces(s)):gsub("%s+", " ")
  return s
end

-- Places a month written without a year inside the period: in an academic year
-- September–December fall in its first year, January–August in its second.
local function year_for_month(m, period_from, period_to)
  if not period_from then return nil end
  local y1 = dates.split(period_from)
  local y2 = dates.split(period_to)
  for y = y1, y2 do
    local first = dates.iso(y, m, 1)
    if first >= period_from:sub(1, 8) .. "01" and first <= period_to then return y end
  end
  return y1
end

-- The months named in the text, in order, with the year written right after each (if any).
local function months_in(s)
  local found = {}
  for word, stop in s:gmatch("([\208\209][\128-\191][\128-\209]*)()") do
    local m = dates.month_of(word)
    if m and #word >= 6 then
      found[#found + 1] = { month = m, year = tonumber(s:match("^%s*(%d%d%d%d)", stop)) }
    end
  end
  return found
end

local RECURRING = { "ежемесячно", "ежеквартально", "еженедельно", "ежегодно", "раз в", "раза в",
  "каждого", "каждый", "по плану", "по мере", "в соответствии" }
local WHOLE = { "в течение", "весь период", "всего периода", "постоянно", "систематически" }

function due.read(written, period_from, period_to)
  if type(written) ~= "string" then return nil end
  local s = normalise(written)

  -- Explicit dates: "До 15.11.2023", "с 01.09.2023 по 30.09.2023", "04.09.2023".
  local found = {}
  for d, m, y in s:gmatch("(%d%d?)%.(%d%d?)%.(%d%d%d%d)") do
    local iso, err = dates.parse(d .. "." .. m .. "." .. y)
    if not iso then return nil, err end
    found[#found + 1] = iso
  end
  if #found > 0 then
    local first, last = found[1], found[#found]
    if s:match("^%s*до ") or s:match("^%s*не позднее") then
      return { from = period_from or first, to = first, how = "dates" }
    end
    return { from = first, to = last, how = "dates" }
  end

  -- Months: "Сентябрь – октябрь 2023", "Май 2024", "Декабрь - январь 2025 года",
  -- "Март - май 2025 года", "До ноября 2023".
  local months = months_in(s)
  if #months > 0 then
    local last = months[#months]
    local y_last = last.year
    if not y_last then y_last = year_for_month(last.month, period_from, period_to) end
    if not y_last then return nil end
    local first = months[1]
    local y_first = first.year
    if not y_first then
      y_first = (first.month > last.month) and y_last - 1 or y_last
    end
    -- (the year written first: "Декабрь - январь 0000" is about 0000, not the -1 it implies)
    local problem = dates.year_problem(y_last) or dates.year_problem(y_first)
    if problem then return nil, problem end
    if s:match("^%s*до ") then
      -- "до ноября 2023": up to the end of the month before
      local m, y = first.month - 1, y_first
      if m == 0 then m, y = 12, y - 1 end
      if dates.year_problem(y) then return nil, dates.year_problem(y) end
      return { from = period_from or dates.iso(y, m, 1), to = month_end(y, m), how = "months" }
    end
    return { from = dates.iso(y_first, first.month, 1), to = month_end(y_last, last.month),
      how = "months" }
  end

  for _, word in ipairs(RECURRING) do
    if s:find(word, 1, true) then
      return period_from and { from = period_from, to = period_to, how = "recurring" } or nil
    end
  end
  for _, word in ipairs(WHOLE) do
    if s:find(word, 1, true) then
      -- "В течение 2024 - 2025 учебного года" names its own period.
      local f, t = dates.period_of_year(s:match("%d%d%d%d%s*%-%s*%d%d%d%d") or "")
      if not f and t then return nil, t end -- a year that cannot be meant
      if f then return { from = f, to = t, how = "period" } end
      return period_from and { from = period_from, to = period_to, how = "period" } or nil
    end
  end
  local y = s:match("^%s*(%d%d%d%d)%s*г") or s:match("^%s*(%d%d%d%d)%s*$")
  if y then
    if dates.year_problem(tonumber(y)) then return nil, dates.year_problem(tonumber(y)) end
    return { from = dates.iso(tonumber(y), 1, 1), to = dates.iso(tonumber(y), 12, 31), how = "months" }
  end
  return nil
end

return due
