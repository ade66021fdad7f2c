-- recurrence.lua in-process, with the plain interpreter: every deadline form real roadmaps
-- use (the seeds, and other schools' roadmaps) read into a schedule, expanded into its
-- occurrences and written as an RRULE; the forms that cannot be read are reported with the
-- reason, not guessed.
--
-- Usage: lua5.4 recurrence_test.lua SCRIPTS_DIR

local scripts = assert(arg[1], "usage: recurrence_test.lua SCRIPTS_DIR")
package.path = scripts .. "/?.lua;" .. package.path
local due = require "nastavnik.due"
local recurrence = require "nastavnik.recurrence"
local dates = require "nastavnik.dates"

local failures = 0
local function check(name, got, want)
  if got ~= want then
    failures = failures + 1
    io.stderr:write(string.format("%s: got %s, want %s\n", name, tostring(got), tostring(want)))
  end
end

local YEAR = { from = "2025-09-01", to = "2026-08-31" }

local function schedule_of(written, period)
  period = period or YEAR
  local d = due.read(written, period.from, period.to)
  local normalised = d and { text = written, from = d.from, to = d.to, how = d.how } or { text = written }
  return recurrence.schedule(normalised, period)
end

local function dates_of(list)
  local out = {}
  for i, o in ipairs(list) do out[i] = o.date end
  return table.concat(out, " ")
end

-- written, kind, label (rules), the occurrences in December 2025, RRULE
local CASES = {
  -- the seeds
  { "Ежемесячно 25 числа каждого месяца", "rule", "ежемесячно, 25-го числа", "2025-12-25", "FREQ=MONTHLY;BYMONTHDAY=25;UNTIL=20260831" },
  { "1 раз в четверть", "rule", "раз в четверть, до конца четверти", "2025-12-31", "FREQ=YEARLY;BYMONTH=3,5,10,12;BYMONTHDAY=-1;UNTIL=20260831" },
  { "ежеквартально", "rule", "ежеквартально, до конца квартала", "2025-12-31", "FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1;UNTIL=20260831" },
  { "Ежеквартально", "rule", "ежеквартально, до конца квартала", "2025-12-31", "FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1;UNTIL=20260831" },
  -- other schools' roadmaps
  { "еженедельно по четвергам", "rule", "еженедельно, четверг", "2025-12-04 2025-12-11 2025-12-18 2025-12-25", "FREQ=WEEKLY;BYDAY=TH;UNTIL=20260831" },
  { "каждый четверг", "rule", "еженедельно, четверг", "2025-12-04 2025-12-11 2025-12-18 2025-12-25", "FREQ=WEEKLY;BYDAY=TH;UNTIL=20260831" },
  { "по пятницам", "rule", "еженедельно, пятница", "2025-12-05 2025-12-12 2025-12-19 2025-12-26", "FREQ=WEEKLY;BYDAY=FR;UNTIL=20260831" },
  { "еженедельно", "rule", "еженедельно, до конца недели", "2025-12-07 2025-12-14 2025-12-21 2025-12-28", "FREQ=WEEKLY;BYDAY=SU;UNTIL=20260831" },
  { "1 раз в неделю", "rule", "еженедельно, до конца недели", "2025-12-07 2025-12-14 2025-12-21 2025-12-28", "FREQ=WEEKLY;BYDAY=SU;UNTIL=20260831" },
  { "ежемесячно", "rule", "ежемесячно, до конца месяца", "2025-12-31", "FREQ=MONTHLY;BYMONTHDAY=-1;UNTIL=20260831" },
  { "1 раз в месяц", "rule", "ежемесячно, до конца месяца", "2025-12-31", "FREQ=MONTHLY;BYMONTHDAY=-1;UNTIL=20260831" },
  { "ежемесячно до 5-го числа", "rule", "ежемесячно, до 5-го числа", "2025-12-05", "FREQ=MONTHLY;BYMONTHDAY=5;UNTIL=20260831" },
  { "ежемесячно до 30 числа", "rule", "ежемесячно, до 30-го числа", "2025-12-30", "FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1;UNTIL=20260831" },
  { "в последнюю пятницу месяца", "rule", "ежемесячно, последняя пятница месяца", "2025-12-26", "FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20260831" },
  { "первый понедельник каждого месяца", "rule", "ежемесячно, первый понедельник месяца", "2025-12-01", "FREQ=MONTHLY;BYDAY=1MO;UNTIL=20260831" },
  { "1 раз в полугодие", "rule", "раз в полугодие, до конца полугодия", "2025-12-31", "FREQ=YEARLY;BYMONTH=5,12;BYMONTHDAY=-1;UNTIL=20260831" },
  { "2 раза в год", "rule", "раз в полугодие, до конца полугодия", "2025-12-31", "FREQ=YEARLY;BYMONTH=5,12;BYMONTHDAY=-1;UNTIL=20260831" },
  { "ежеквартально до 5 числа месяца, следующего за отчётным", "rule", "ежеквартально, до 5-го числа месяца после квартала", "", "FREQ=YEARLY;BYMONTH=1,4,7,10;BYMONTHDAY=5;UNTIL=20260831" },
  { "Ежемесячно, сентябрь – май", "rule", "ежемесячно, до конца месяца", "2025-12-31", "FREQ=MONTHLY;BYMONTHDAY=-1;UNTIL=20260531" },
  -- not recurring
  { "Декабрь 2025, май 2026", "list", nil, "2025-12-31" },
  { "Ноябрь 2025 года, февраль 2026 года", "list", nil, "" },
  { "Сентябрь – октябрь 2025", "once", nil, "" },
  { "До 12.12.2025", "once", nil, "2025-12-12" },
  { "Декабрь - январь 2026 года", "once", nil, "" },
  { "В течение года", "ongoing" },
  { "В течение всего периода реализации ЦМН", "ongoing" },
  { "В течение 2025 - 2026 учебного года, по плану работы районной творческой группы «Наставничество»", "ongoing" },
  -- reported, not guessed
  { "2 раза в месяц", "unread" }, { "ежедневно", "unread" }, { "ежегодно", "unread" },
  { "раз в две недели", "unread" }, { "По плану работы образовательных организаций", "unread" },
  { "В течение двух недель с даты определения модели", "unread" },
  { "В соответствии со сроками реализации программ наставничества в ОО", "unread" },
  { "ежеквартально до 5 числа", "unread" },
}

for _, case in ipairs(CASES) do
  local written, kind, label, december, rrule = table.unpack(case)
  local s = schedule_of(written)
  check(written .. ": kind", s.kind, kind)
  if label then check(written .. ": label", s.label, label) end
  if kind == "unread" then check(written .. ": has a reason", type(s.reason) == "string" and #s.reason > 10, true) end
  if december then check(written .. ": December", dates_of(recurrence.occurrences(s, "2025-12-01", "2025-12-31")), december) end
  if rrule then check(written .. ": RRULE", select(2, recurrence.rrule(s)), rrule) end
end

-- «образовательной среды» is not a Wednesday.
check("a word that looks like a weekday", schedule_of("Формирование образовательной среды еженедельно").weekday, nil)

-- A whole period: the Tashtagol plan's monthly monitoring falls 24 times in 2021–2022.
local two_years = { from = "2021-01-01", to = "2022-12-31" }
local monthly = schedule_of("Ежемесячно 25 числа каждого месяца", two_years)
check("24 months", #recurrence.occurrences(monthly, two_years.from, two_years.to), 24)
local first, rule = recurrence.rrule(monthly)
check("DTSTART is the first occurrence", first, "2021-01-25")
check("RRULE until the period's end", rule, "FREQ=MONTHLY;BYMONTHDAY=25;UNTIL=20221231")
check("8 quarters", #recurrence.occurrences(schedule_of("ежеквартально", two_years), two_years.from, two_years.to), 8)

-- The school quarters of 2023–2024: windows and labels.
local quarters = recurrence.occurrences(schedule_of("1 раз в четверть", { from = "2023-09-01", to = "2024-08-31" }))
check("four school quarters", #quarters, 4)
check("I четверть window", quarters[1].from .. " " .. quarters[1].to, "2023-09-01 2023-10-31")
check("I четверть label", quarters[1].label, "I четверть 2023–2024 учебного года")
check("IV четверть ends in May", quarters[4].date, "2024-05-31")

-- Dates: weekdays and day numbers.
check("weekday of 01.12.2025", dates.weekday("2025-12-01"), 1)
check("29.02.2024 + 1", dates.add_days("2024-02-29", 1), "2024-03-01")
check("day numbers round trip", dates.from_day_number(dates.day_number("1999-12-31")), "1999-12-31")

if failures > 0 then
  io.stderr:write(failures .. " failed\n")
  os.exit(1)
end
print(#CASES + 12 .. " checks passed")
