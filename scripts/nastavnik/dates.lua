-- Calendar dates: reading what a secretary writes ("04.09.2023", "2023-09-04"), checking
-- that the day exists, and the Russian month names every document needs.
-- Dates travel through the model and views as ISO strings "YYYY-MM-DD": they sort and
-- compare as plain strings.

local text_lib = require "nastavnik.text"

local dates = {}

dates.months = {
  { nom = "январь", prep = "январе", gen = "января", stem = "январ" },
  { nom = "февраль", prep = "феврале", gen = "февраля", stem = "феврал" },
  { nom = "март", prep = "марте", gen = "марта", stem = "март" },
  { nom = "апрель", prep = "апреле", gen = "апреля", stem = "апрел" },
  { nom = "май", prep = "мае", gen = "мая", stem = "ма[йяе]" },
  { nom = "июнь", prep = "июне", gen = "июня", stem = "июн" },
  { nom = "июль", prep = "июле", gen = "июля", stem = "июл" },
  { nom = "август", prep = "августе", gen = "августа", stem = "август" },
  { nom = "сентябрь", prep = "сентябре", gen = "сентября", stem = "сентябр" },
  { nom = "октябрь", prep = "октябре", gen = "октября", stem = "октябр" },
  { nom = "ноябрь", prep = "ноябре", gen = "ноября", stem = "ноябр" },
  { nom = "декабрь", prep = "декабре", gen = "декабря", stem = "декабр" },
}

function dates.is_leap(y) return (y % 4 == 0 and y % 100 ~= 0) or y % 400 == 0 end

local DAYS = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }
function dates.days_in_month(y, m)
  if m == 2 and dates.is_leap(y) then return 29 end
  return DAYS[m]
end

function dates.iso(y, m, d) return string.format("%04d-%02d-%02d", y, m, d) end

function dates.split(iso)
  local y, m, d = iso:match("^(%d%d%d%d)-(%d%d)-(%d%d)$")
  return tonumber(y), tonumber(m), tonumber(d)
end

-- "04.09.2023" for an ISO date. Remembered: a calendar, a report and the orders print the same
-- dates again and again (each read by a pattern and formatted anew).
dates.format = text_lib.memo(function(iso)
  local y, m, d = dates.split(iso)
  return string.format("%02d.%02d.%04d", d, m, y)
end, 2000)

-- The years a document of the programme may name; any other is a typo ("0000", "20234").
function dates.year_ok(y) return y >= 1900 and y <= 2200 end

-- The message for a year outside them, or nil.
function dates.year_problem(y)
  if not dates.year_ok(y) then return string.format("год %d — опечатка?", y) end
end

function dates.valid(y, m, d)
  return dates.year_ok(y) and m >= 1 and m <= 12 and d >= 1
    and d <= dates.days_in_month(y, m)
end

-- Reads "04.09.2023", "4.9.2023", "04.09.2023г." or "2023-09-04". Returns the ISO date, or
-- nil and a message in Russian.
local function parse_now(text)
  local s = text_lib.trim(text):gsub("%s*г%.?$", "")
  local d, m, y = s:match("^(%d%d?)%.(%d%d?)%.(%d%d%d%d)$")
  if not d then y, m, d = s:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)$") end
  if not d then
    return nil, string.format("«%s» не похоже на дату: пишите «ДД.ММ.ГГГГ», например «04.09.2023»", text)
  end
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  if not dates.valid(y, m, d) then
    -- Say what is wrong with it: a secretary sees "31.02" as a typo only once told.
    local why
    if m < 1 or m > 12 then
      why = string.format("месяца %d не бывает", m)
    elseif not dates.year_ok(y) then
      why = dates.year_problem(y)
    else
      why = string.format("в %s %d года %d %s", dates.months[m].prep, y, dates.days_in_month(y, m),
        text_lib.plural(dates.days_in_month(y, m), "день", "дня", "дней"))
    end
    return nil, string.format("несуществующая дата «%s»: %s", text, why)
  end
  return dates.iso(y, m, d)
end
-- A date read is remembered (false for one that cannot be: its message is made again): a
-- description writes the same dates again and again (a year's start, its meetings' days).
local parsed = text_lib.memo(function(text) return parse_now(text) or false end, 2000)
function dates.parse(text)
  if type(text) ~= "string" then return nil, "ожидалась дата в виде строки «ДД.ММ.ГГГГ»" end
  local iso = parsed(text)
  if iso then return iso end
  return parse_now(text)
end

-- The month number for a Russian month word in any case ("мая", "Сентябрь", "ноябре").
-- Remembered per word (false for a word that names none): a deadline's every word is asked.
local month_or_false = text_lib.memo(function(word)
  local lower = text_lib.lower(word)
  for i, month in ipairs(dates.months) do
    if lower:match("^" .. month.stem) then return i end
  end
  return false
end, 2000)

function dates.month_of(word) return month_or_false(word) or nil end

-- The academic year that holds a date: 2023-09-04 -> 2023 (for 2023–2024).
function dates.academic_year_of(iso)
  local y, m = dates.split(iso)
  return m >= 9 and y or y - 1
end

-- The period of an academic year or of calendar years, as written in titles:
-- "2023-2024" / "2023–2024 учебный год" -> 01.09.2023–31.08.2024; "2021" -> the calendar year.
-- nil when the text names no year; nil, message when it names a year that cannot be meant.
function dates.period_of_year(text, calendar)
  local y1, y2 = text_lib.plain_dashes(tostring(text)):match("(%d%d%d%d)%s*[-/]%s*(%d%d%d%d)")
  if y1 then
    y1, y2 = tonumber(y1), tonumber(y2)
    local problem = dates.year_problem(y1) or dates.year_problem(y2)
    if problem then return nil, problem end
    if calendar then return dates.iso(y1, 1, 1), dates.iso(y2, 12, 31) end
    return dates.iso(y1, 9, 1), dates.iso(y2, 8, 31)
  end
  local y = tostring(text):match("^%s*(%d%d%d%d)")
  if y then
    y = tonumber(y)
    -- the academic year from September ends in the next year, which must be a year too
    local problem = dates.year_problem(y) or (not calendar and dates.year_problem(y + 1))
    if problem then return nil, problem end
    if calendar then return dates.iso(y, 1, 1), dates.iso(y, 12, 31) end
    return dates.iso(y, 9, 1), dates.iso(y + 1, 8, 31)
  end
end

-- Days since 1970-01-01 for an ISO date, and back: for stepping through weeks and for the
-- day of the week (proleptic Gregorian calendar, Howard Hinnant's days_from_civil).
local function day_number_now(iso)
  local y, m, d = dates.split(iso)
  if m <= 2 then y = y - 1 end
  local era = y // 400
  local yoe = y - era * 400
  local doy = (153 * (m + (m > 2 and -3 or 9)) + 2) // 5 + d - 1
  local doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
  return era * 146097 + doe - 719468
end
-- (remembered: a year's deadlines, meetings and windows step through the same days)
dates.day_number = text_lib.memo(day_number_now, 2000)

function dates.from_day_number(n)
  n = n + 719468
  local era = n // 146097
  local doe = n - era * 146097
  local yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
  local doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
  local mp = (5 * doy + 2) // 153
  local d = doy - (153 * mp + 2) // 5 + 1
  local m = mp < 10 and mp + 3 or mp - 9
  local y = yoe + era * 400 + (m <= 2 and 1 or 0)
  return dates.iso(y, m, d)
end

function dates.add_days(iso, n) return dates.from_day_number(dates.day_number(iso) + n) end

-- The day of the week: 1 Monday … 7 Sunday.
function dates.weekday(iso) return (dates.day_number(iso) + 3) % 7 + 1 end

dates.weekdays = {
  { nom = "понедельник", short = "пн", stem = "понедельник" },
  { nom = "вторник", short = "вт", stem = "вторник" },
  { nom = "среда", short = "ср", stem = "сред" },
  { nom = "четверг", short = "чт", stem = "четверг" },
  { nom = "пятница", short = "пт", stem = "пятниц" },
  { nom = "суббота", short = "сб", stem = "суббот" },
  { nom = "воскресенье", short = "вс", stem = "воскресень" },
}

function dates.month_end(y, m) return dates.iso(y, m, dates.days_in_month(y, m)) end

return dates
