-- When a roadmap item falls due: its deadline, as due.lua reads it, turned into a schedule
-- that `nastavnik due` expands into occurrences and `nastavnik calendar` writes as an
-- iCalendar RRULE. The forms are those real roadmaps use:
--
--   «Май 2024», «До 15.11.2023», «Сентябрь – октябрь 2023»      once: due on the last day
--   «Декабрь 2025, май 2026», «Ноябрь 2025 года, февраль 2026»    a list of deadlines
--   «Ежемесячно 25 числа каждого месяца», «ежемесячно до 5 числа» every month on that day
--   «Ежемесячно», «1 раз в месяц»                                 every month, by its last day
--   «еженедельно по четвергам», «каждый четверг»                  every week on that day
--   «в последнюю пятницу месяца», «первый понедельник месяца»     a weekday of every month
--   «еженедельно», «1 раз в неделю»                               every week, by its Sunday
--   «ежеквартально», «1 раз в квартал»                            calendar quarters, by their
--                                                                 last day (31.03, 30.06, …)
--   «1 раз в четверть», «по итогам четверти»                      school quarters, taken as
--                                                                 September–October,
--                                                                 November–December,
--                                                                 January–March, April–May
--   «1 раз в полугодие», «2 раза в год»                           school half-years:
--                                                                 September–December, January–May
--   «В течение года», «В течение всего периода»                   ongoing: no deadline of its own
--
-- A recurring deadline runs inside the months its text names («ежемесячно, сентябрь – май»),
-- else inside the roadmap's period. What cannot be read is reported with the reason, never
-- guessed: «2 раза в месяц» (which days?), «ежедневно» (not a deadline), «По плану работы
-- образовательных организаций» (the dates are in another plan), «В течение двух недель с даты
-- определения модели» (counted from an event with no date).
--
-- recurrence.schedule(due, period) -> one of
--   { kind = "once", from =, to =, date = }                   (ISO dates; date = the deadline)
--   { kind = "list", parts = { { from =, to =, date = }, … } }
--   { kind = "rule", every = "month" | "week" | "quarter" | "school_quarter" | "half_year",
--     day =, weekday =, nth =, till_day =, after_quarter =, from =, to =, label = }
--   { kind = "ongoing", from =, to = }
--   { kind = "unread", reason = }
-- recurrence.occurrences(schedule, from, to) -> the deadlines inside [from, to], each
--   { date =, from =, to =, label = } (from–to is the window the item is worked on)
-- recurrence.rrule(schedule) -> dtstart (ISO), "FREQ=…;UNTIL=…" for RFC 5545.

local dates = require "nastavnik.dates"
local due_reader = require "nastavnik.due"
local text = require "nastavnik.text"

local recurrence = {}

local function normalise(raw)
  return (text.plain_dashes(text.plain_spaces(text.lower(raw))):gsub("ё", "е"):gsub("%s+", " "))
end

-- The words of a text (letters and digits), in order.
local function words_of(s)
  local list = {}
  for w in s:gmatch("[%w\128-\255]+") do list[#list + 1] = w end
  return list
end

local function has_word(words, set)
  for i, w in ipairs(words) do
    if set[w] then return i end
  end
end

local function set_of(list)
  local s = {}
  for _, w in ipairs(list) do s[w] = true end
  return s
end

-- Weekdays in the forms a deadline uses them: «по четвергам», «в четверг», «каждую среду».
local WEEKDAY_FORMS = {
  { "понедельник", "понедельника", "понедельникам", "понедельнику" },
  { "вторник", "вторника", "вторникам", "вторнику" },
  { "среда", "среду", "средам", "среды" },
  { "четверг", "четверга", "четвергам", "четвергу" },
  { "пятница", "пятницу", "пятницам", "пятницы" },
  { "суббота", "субботу", "субботам", "субботы" },
  { "воскресенье", "воскресенья", "воскресеньям" },
}
local WEEKDAY_OF = {}
for n, forms in ipairs(WEEKDAY_FORMS) do
  for _, f in ipairs(forms) do WEEKDAY_OF[f] = n end
end
local RFC_WEEKDAY = { "MO", "TU", "WE", "TH", "FR", "SA", "SU" }
local WEEKDAY_BEFORE = { ["по"] = true, ["в"] = true, ["во"] = true }

local ORDINAL = {
  ["первый"] = 1, ["первую"] = 1, ["первое"] = 1, ["первая"] = 1,
  ["второй"] = 2, ["вторую"] = 2, ["второе"] = 2, ["вторая"] = 2,
  ["третий"] = 3, ["третью"] = 3, ["третье"] = 3, ["третья"] = 3,
  ["четвертый"] = 4, ["четвертую"] = 4, ["четвертое"] = 4, ["четвертая"] = 4,
  ["последний"] = -1, ["последнюю"] = -1, ["последнее"] = -1, ["последняя"] = -1,
}

local EVERY_DAY = set_of { "ежедневно", "ежедневный", "ежедневная" }
local EVERY_WEEK = set_of { "еженедельно", "еженедельный", "еженедельная", "неделю", "неделя", "недели" }
local EVERY_MONTH = set_of { "ежемесячно", "ежемесячный", "ежемесячная", "месяц", "месяца", "месяцам" }
local EVERY_QUARTER = set_of { "ежеквартально", "ежеквартальный", "ежеквартальная", "квартал", "квартала",
  "кварталам", "поквартально" }
local EVERY_SCHOOL_QUARTER = set_of { "четверть", "четверти", "четвертям", "ежечетвертно", "четвертной" }
local EVERY_HALF_YEAR = set_of { "полугодие", "полугодия", "полугодиям", "полгода", "полугодично" }
local EVERY_YEAR = set_of { "ежегодно", "ежегодный", "ежегодная", "год", "года" }
-- words that make a frequency of «раз в …», «каждый …»
local REPEAT = set_of { "ежедневно", "еженедельно", "ежемесячно", "ежеквартально", "ежечетвертно",
  "поквартально", "ежегодно", "раз", "раза", "каждый", "каждую", "каждое", "каждого", "каждой", "каждые",
  "дважды", "трижды", "итогам", "окончании", "конце", "полугодично" }
local NUMBER_WORDS = { ["один"] = 1, ["одна"] = 1, ["два"] = 2, ["две"] = 2, ["три"] = 3, ["четыре"] = 4,
  ["дважды"] = 2, ["трижды"] = 3 }
local DEPENDENT = { "по плану", "по мере", "в соответствии", "по графику", "по запросу", "по необходимости",
  "по согласованию", "по отдельному", "по срокам" }
local RELATIVE_UNITS = set_of { "дня", "дней", "недели", "недель", "месяца", "месяцев", "день", "неделю", "месяц" }
local WHOLE = { "в течение", "весь период", "всего периода", "постоянно", "систематически", "на протяжении" }

-- How many times per unit the text says: «2 раза в месяц» -> 2; «раз в месяц» -> 1.
local function times_per_unit(words)
  for i, w in ipairs(words) do
    if w == "раз" or w == "раза" then
      local before = words[i - 1]
      return tonumber(before or "") or NUMBER_WORDS[before or ""] or 1
    end
    if w == "дважды" then return 2 end
    if w == "трижды" then return 3 end
  end
  return 1
end

local function period_bounds(due, period)
  if due and due.from and (due.how == "months" or due.how == "dates") then return due.from, due.to end
  if due and due.from and due.how == "period" and not period then return due.from, due.to end
  if period then return period.from, period.to end
  if due and due.from then return due.from, due.to end
end

-- The day of the month written as «25 числа», «до 5-го числа», «25-го».
local function day_of_month(s)
  -- (no «г?о?» here: a ? after a Cyrillic letter would apply to its last byte only)
  local d = s:match("(%d%d?)%s+числ") or s:match("(%d%d?)%s*%-?%s*го%s+числ")
    or s:match("(%d%d?)%s*%-%s*го%f[^%w\128-\255]")
  d = tonumber(d)
  if d and d >= 1 and d <= 31 then return d end
end

local function describe(rule)
  if rule.every == "month" then
    if rule.day then return string.format("ежемесячно, %s%d-го числа", rule.till_day and "до " or "", rule.day) end
    if rule.weekday then
      local nth = rule.nth == -1 and "последн" or ({ "перв", "втор", "трет", "четверт" })[rule.nth]
      local wd = dates.weekdays[rule.weekday].nom
      local feminine = wd:sub(-2) == "а" or wd:sub(-4) == "ца"
      return string.format("ежемесячно, %s%s %s месяца", nth, feminine and "яя" or (rule.nth == -1 and "ий" or "ый"), wd)
    end
    return "ежемесячно, до конца месяца"
  elseif rule.every == "week" then
    if rule.weekday then return "еженедельно, " .. dates.weekdays[rule.weekday].nom end
    return "еженедельно, до конца недели"
  elseif rule.every == "quarter" then
    if rule.after_quarter then
      return string.format("ежеквартально, до %d-го числа месяца после квартала", rule.after_quarter)
    end
    return "ежеквартально, до конца квартала"
  elseif rule.every == "school_quarter" then
    return "раз в четверть, до конца четверти"
  elseif rule.every == "half_year" then
    return "раз в полугодие, до конца полугодия"
  end
end

-- Reads the frequency of a deadline, if it names one. Returns a rule, or nil and a reason
-- when it names a frequency that cannot be placed on dates, or nothing at all.
local function read_frequency(s, words)
  local repeats = has_word(words, REPEAT)
  -- A weekday counts after «по», «в», «каждый» or an ordinal («по четвергам», «в среду»,
  -- «последнюю пятницу»): «образовательной среды» is not a Wednesday.
  local weekday, weekly_day = nil, false
  for i, w in ipairs(words) do
    local before = words[i - 1] or ""
    if WEEKDAY_OF[w] and (WEEKDAY_BEFORE[before] or REPEAT[before] or ORDINAL[before]) then
      weekday = weekday or WEEKDAY_OF[w]
      -- a weekday in the plural or after «каждый» repeats by itself
      if w:match("ам$") or w:match("ям$") or REPEAT[before] then weekly_day = true end
    end
  end
  local nth
  for i, w in ipairs(words) do
    if ORDINAL[w] and WEEKDAY_OF[words[i + 1] or ""] then nth = ORDINAL[w] end
  end
  local count = times_per_unit(words)
  local day = day_of_month(s)
  local till = s:match("до%s+%d") ~= nil

  if has_word(words, EVERY_DAY) then
    return nil, "«ежедневно» — это не срок: в список сроков и в календарь не выносится"
  end
  if s:find("раз в две недели", 1, true) or s:find("через неделю", 1, true) then
    return nil, "не сказано, с какой недели считать «раз в две недели»"
  end
  if has_word(words, EVERY_SCHOOL_QUARTER) and (repeats or s:find("четверт", 1, true)) then
    if count > 1 then return nil, string.format("не сказано, когда в четверти проходят %d раза", count) end
    if day then return nil, "не сказано, от начала какого месяца четверти считать число" end
    return { every = "school_quarter" }
  end
  if has_word(words, EVERY_QUARTER) then
    if count > 1 then return nil, string.format("не сказано, когда в квартале проходят %d раза", count) end
    if day then
      if s:find("следующ", 1, true) then return { every = "quarter", after_quarter = day } end
      return nil, "не сказано, какого месяца квартала это число"
    end
    return { every = "quarter" }
  end
  if has_word(words, EVERY_HALF_YEAR) or ((count == 2) and has_word(words, EVERY_YEAR)) then
    if count > 1 and has_word(words, EVERY_HALF_YEAR) then
      return nil, string.format("не сказано, когда в полугодии проходят %d раза", count)
    end
    return { every = "half_year" }
  end
  local monthly = has_word(words, EVERY_MONTH) and (repeats or s:find("ежемесячн", 1, true))
  if monthly or (nth and s:find("месяц", 1, true)) then
    if count > 1 then return nil, string.format("не сказано, в какие дни месяца проходят %d раза", count) end
    if nth and weekday then return { every = "month", weekday = weekday, nth = nth } end
    if s:find("последн", 1, true) then return nil, "не сказано, в какой день последней недели месяца" end
    if day then return { every = "month", day = day, till_day = till } end
    return { every = "month" }
  end
  local weekly = (has_word(words, EVERY_WEEK) and (repeats or s:find("еженедельн", 1, true))) or weekly_day
  if weekly then
    if count > 1 then return nil, string.format("не сказано, в какие дни недели проходят %d раза", count) end
    return { every = "week", weekday = weekday }
  end
  if has_word(words, EVERY_YEAR) and (s:find("ежегодн", 1, true) or s:find("раз в год", 1, true)) then
    return nil, "«ежегодно» — не сказано, в каком месяце"
  end
  if repeats and count > 1 then
    return nil, "не сказано, в какие дни"
  end
end

-- Splits «Декабрь 2025, май 2026» into its deadlines; nil when the text is one range.
-- («Август и сентябрь» stays one range: «и» joins months of one piece of work as often.)
local function read_list(written, period)
  local s = text.plain_dashes(text.plain_spaces(written))
  local parts = {}
  for piece in (s .. ","):gmatch("([^,;]*)[,;]") do
    local range = due_reader.read(piece, period and period.from, period and period.to)
    if range and (range.how == "months" or range.how == "dates") then
      parts[#parts + 1] = { from = range.from, to = range.to, date = range.to }
    end
  end
  if #parts >= 2 then
    table.sort(parts, function(a, b) return a.date < b.date end)
    return parts
  end
end

local function schedule(due, period)
  local s = normalise(due.text)
  local words = words_of(s)
  local rule, why = read_frequency(s, words)
  if why then return { kind = "unread", reason = why } end
  if rule then
    rule.kind = "rule"
    rule.from, rule.to = period_bounds(due, period)
    if not rule.from then
      return { kind = "unread", reason = "не известен период дорожной карты (поля year, period), а срок повторяется" }
    end
    rule.label = describe(rule)
    return rule
  end
  -- «В течение двух недель с даты определения модели»: counted from an event with no date
  for i, w in ipairs(words) do
    local before = words[i - 1] or ""
    if RELATIVE_UNITS[w] and (tonumber(before) or NUMBER_WORDS[before] or before:match("^дву")
        or before:match("^тр[её]х") or before == "течение") then
      return { kind = "unread", reason = "срок отсчитывается от события, дата которого не указана" }
    end
  end
  if s:find("с даты", 1, true) or (s:find("после ", 1, true) and not (due.how == "dates" or due.how == "months")) then
    return { kind = "unread", reason = "срок отсчитывается от события, дата которого не указана" }
  end
  for _, w in ipairs(WHOLE) do
    if s:find(w, 1, true) then
      local from, to = period_bounds(due, period)
      if due.how == "period" and due.from then from, to = due.from, due.to end
      if from then return { kind = "ongoing", from = from, to = to } end
    end
  end
  local parts = read_list(due.text, period)
  if parts then return { kind = "list", parts = parts } end
  if due.from and (due.how == "dates" or due.how == "months") then
    return { kind = "once", from = due.from, to = due.to, date = due.to }
  end
  for _, w in ipairs(DEPENDENT) do
    if s:find(w, 1, true) then
      return { kind = "unread", reason = "сроки назначены другим планом или обстоятельствами — дат в тексте нет" }
    end
  end
  if due.how == "period" and due.from then return { kind = "ongoing", from = due.from, to = due.to } end
  return { kind = "unread", reason = "срок не читается как даты" }
end

-- schedule() remembered by all it reads (the deadline's text, its range and how it was read,
-- the roadmap's period): a region's roadmaps are written from the same templates, and each
-- deadline was read again by words and patterns in every organisation. The schedules are
-- shared: nothing changes one once made. Bounded as text.memo is; a text holding the
-- separator of the key is not remembered.
local schedules, nschedules = {}, 0
local concat = table.concat

function recurrence.schedule(due, period)
  if not due or not due.text or due.text == "" then
    return { kind = "unread", reason = "срок не указан" }
  end
  if due.text:find("\0", 1, true) then return schedule(due, period) end
  local key = concat({ due.text, due.from or "", due.to or "", due.how or "",
    period and period.from or "", period and period.to or "", period and "1" or "0" }, "\0")
  local r = schedules[key]
  if r == nil then
    r = schedule(due, period)
    if nschedules >= 1000 then schedules, nschedules = {}, 0 end
    schedules[key], nschedules = r, nschedules + 1
  end
  return r
end

------------------------------------------------------------------------------------------
-- Occurrences

local ROMAN = { "I", "II", "III", "IV" }

-- The windows of the school year's quarters and half-years that hold the academic year
-- starting in September of `y`.
local function school_windows(every, y)
  if every == "school_quarter" then
    return {
      { from = dates.iso(y, 9, 1), to = dates.month_end(y, 10), label = "I четверть" },
      { from = dates.iso(y, 11, 1), to = dates.month_end(y, 12), label = "II четверть" },
      { from = dates.iso(y + 1, 1, 1), to = dates.month_end(y + 1, 3), label = "III четверть" },
      { from = dates.iso(y + 1, 4, 1), to = dates.month_end(y + 1, 5), label = "IV четверть" },
    }
  end
  return {
    { from = dates.iso(y, 9, 1), to = dates.month_end(y, 12), label = "I полугодие" },
    { from = dates.iso(y + 1, 1, 1), to = dates.month_end(y + 1, 5), label = "II полугодие" },
  }
end

-- Every occurrence of a rule between its own bounds, in order.
local function rule_occurrences(rule)
  local list = {}
  local y1, m1 = dates.split(rule.from)
  local y2, m2 = dates.split(rule.to)
  local function add(o)
    if o.date >= rule.from and o.date <= rule.to then list[#list + 1] = o end
  end
  if rule.every == "week" then
    local first = dates.day_number(rule.from)
    local last = dates.day_number(rule.to)
    local monday = first - (dates.weekday(rule.from) - 1)
    for n = monday, last, 7 do
      local week_from, week_to = dates.from_day_number(n), dates.from_day_number(n + 6)
      if rule.weekday then
        local day = dates.from_day_number(n + rule.weekday - 1)
        add({ date = day, from = day, to = day })
      else
        add({ date = week_to, from = week_from, to = week_to,
          label = "неделя " .. dates.format(week_from):sub(1, 5) .. "–" .. dates.format(week_to) })
      end
    end
    return list
  end
  if rule.every == "school_quarter" or rule.every == "half_year" then
    for y = dates.academic_year_of(rule.from), dates.academic_year_of(rule.to) do
      for _, w in ipairs(school_windows(rule.every, y)) do
        add({ date = w.to, from = w.from, to = w.to,
          label = string.format("%s %d–%d учебного года", w.label, y, y + 1) })
      end
    end
    return list
  end
  local y, m = y1, m1
  while y < y2 or (y == y2 and m <= m2) do
    local month_name = dates.months[m].nom .. " " .. y
    if rule.every == "month" then
      if rule.day then
        local d = math.min(rule.day, dates.days_in_month(y, m))
        local date = dates.iso(y, m, d)
        add({ date = date, from = rule.till_day and dates.iso(y, m, 1) or date, to = date, label = month_name })
      elseif rule.weekday then
        local date
        if rule.nth > 0 then
          local first = dates.iso(y, m, 1)
          local shift = (rule.weekday - dates.weekday(first)) % 7
          date = dates.add_days(first, shift + 7 * (rule.nth - 1))
          if dates.split(date) ~= y or select(2, dates.split(date)) ~= m then date = nil end
        else
          local last = dates.month_end(y, m)
          date = dates.add_days(last, -((dates.weekday(last) - rule.weekday) % 7))
        end
        if date then add({ date = date, from = date, to = date, label = month_name }) end
      else
        add({ date = dates.month_end(y, m), from = dates.iso(y, m, 1), to = dates.month_end(y, m), label = month_name })
      end
    elseif rule.every == "quarter" then
      if rule.after_quarter and (m - 1) % 3 == 0 then
        -- the month after a quarter: January, April, July, October
        local qy, qm = y, m - 3
        if qm < 1 then qy, qm = y - 1, qm + 12 end
        local d = math.min(rule.after_quarter, dates.days_in_month(y, m))
        local date = dates.iso(y, m, d)
        add({ date = date, from = dates.iso(y, m, 1), to = date,
          label = string.format("за %s квартал %d года", ROMAN[(qm - 1) // 3 + 1], qy) })
      elseif not rule.after_quarter and m % 3 == 0 then
        add({ date = dates.month_end(y, m), from = dates.iso(y, m - 2, 1), to = dates.month_end(y, m),
          label = string.format("%s квартал %d года", ROMAN[m // 3], y) })
      end
    end
    m = m + 1
    if m > 12 then y, m = y + 1, 1 end
  end
  return list
end

-- The occurrences of a schedule with their deadline inside [from, to].
function recurrence.occurrences(schedule, from, to)
  local all
  if schedule.kind == "once" then
    all = { { date = schedule.date, from = schedule.from, to = schedule.to } }
  elseif schedule.kind == "list" then
    all = {}
    for i, p in ipairs(schedule.parts) do
      all[i] = { date = p.date, from = p.from, to = p.to, label = string.format("%d из %d", i, #schedule.parts) }
    end
  elseif schedule.kind == "rule" then
    all = rule_occurrences(schedule)
  else
    return {}
  end
  local inside = {}
  for _, o in ipairs(all) do
    if (not from or o.date >= from) and (not to or o.date <= to) then inside[#inside + 1] = o end
  end
  return inside
end

local function ical_date(iso) return (iso:gsub("%-", "")) end

-- The RRULE of a recurring schedule (RFC 5545, section 3.3.10) and its first occurrence,
-- which is the event's DTSTART; nil for a schedule that does not repeat.
local function rrule(schedule)
  local first = rule_occurrences(schedule)[1]
  if not first then return nil end
  local r
  if schedule.every == "month" then
    if schedule.day and schedule.day > 28 then
      -- «30 числа» in February is its last day: the last of the days 28…30 that exist
      local days = {}
      for d = 28, schedule.day do days[#days + 1] = tostring(d) end
      r = "FREQ=MONTHLY;BYMONTHDAY=" .. table.concat(days, ",") .. ";BYSETPOS=-1"
    elseif schedule.day then
      r = "FREQ=MONTHLY;BYMONTHDAY=" .. schedule.day
    elseif schedule.weekday then
      r = "FREQ=MONTHLY;BYDAY=" .. schedule.nth .. RFC_WEEKDAY[schedule.weekday]
    else
      r = "FREQ=MONTHLY;BYMONTHDAY=-1"
    end
  elseif schedule.every == "week" then
    r = "FREQ=WEEKLY;BYDAY=" .. RFC_WEEKDAY[schedule.weekday or 7]
  elseif schedule.every == "quarter" then
    r = schedule.after_quarter and ("FREQ=YEARLY;BYMONTH=1,4,7,10;BYMONTHDAY=" .. schedule.after_quarter)
      or "FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1"
  elseif schedule.every == "school_quarter" then
    r = "FREQ=YEARLY;BYMONTH=3,5,10,12;BYMONTHDAY=-1"
  elseif schedule.every == "half_year" then
    r = "FREQ=YEARLY;BYMONTH=5,12;BYMONTHDAY=-1"
  end
  return first.date, r .. ";UNTIL=" .. ical_date(schedule.to)
end

-- The first day and the RRULE of a rule, remembered for the schedule (recurrence.schedule
-- gives one table, never changed, to every deadline of the same words and period: a
-- region's roadmaps repeat them, and each calendar asked for all the rule's occurrences
-- again to take the first).
local rrules = setmetatable({}, { __mode = "k" })
function recurrence.rrule(schedule)
  if schedule.kind ~= "rule" then return nil end
  local known = rrules[schedule]
  if not known then
    known = { rrule(schedule) }
    rrules[schedule] = known
  end
  return known[1], known[2]
end

return recurrence
