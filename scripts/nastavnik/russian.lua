-- The Russian of official documents: dates, names in signatures and lists, the number sign,
-- quotes. Every document script uses these, and the template engine offers them as filters,
-- so the PDF and the DOCX say a date or a name the same way.

local dates = require "nastavnik.dates"
local people = require "nastavnik.people"
local text = require "nastavnik.text"
local declension = require "nastavnik.declension"

local russian = {}

local NBSP = "\u{a0}"
russian.NBSP = NBSP

-- "2023-09-04" -> "04.09.2023"
function russian.date(iso)
  if not iso then return "" end
  return dates.format(iso)
end

-- "2023-09-04" -> "4 сентября 2023 г." (the year and "г." never part)
function russian.date_words(iso)
  if not iso then return "" end
  local y, m, d = dates.split(iso)
  return string.format("%d%s%s%s%d%sг.", d, NBSP, dates.months[m].gen, " ", y, NBSP)
end

-- "2023-09-04" -> "«04» сентября 2023 г."
function russian.date_quoted(iso)
  if not iso then return "" end
  local y, m, d = dates.split(iso)
  return string.format("«%02d»%s%s %d%sг.", d, NBSP, dates.months[m].gen, y, NBSP)
end

-- "2023–2024" (or a period) -> "2023–2024 учебный год"
function russian.academic_year(period_or_text)
  local y1, y2
  if type(period_or_text) == "table" then
    y1, y2 = dates.split(period_or_text.from), dates.split(period_or_text.to)
  else
    y1, y2 = text.plain_dashes(tostring(period_or_text)):match("(%d%d%d%d)%s*%-%s*(%d%d%d%d)")
  end
  if not y1 then return tostring(period_or_text) end
  return string.format("%s–%s учебный год", y1, y2)
end

-- "№ 146" with a non-breaking space
function russian.number(n) return "№" .. NBSP .. tostring(n) end

-- A person, or a full name written as text, with its printed forms (people.complete).
local function person_of(person_or_name)
  if type(person_or_name) == "table" then return person_or_name end
  local surname, name, patronymic = people.split(person_or_name or "")
  if not name then return { signature = surname or "", short = surname or "" } end
  return people.complete({ surname = surname, name = name, patronymic = patronymic })
end

-- "Пенкин Александр Николаевич" or a person -> "А.Н. Пенкин"
function russian.initials(person_or_name) return person_of(person_or_name).signature end

-- "Пенкин Александр Николаевич" or a person -> "Пенкин А.Н."
function russian.short_name(person_or_name) return person_of(person_or_name).short end

-- A person's full name in a case: full_in(person, "accusative") -> "Кухтачеву Ирину Владимировну".
function russian.full_in(person, case) return declension.full_name(person, case) end

-- "Фамилия И.О." in a case: short_in(person, "genitive") -> "Пенкина А.Н."
function russian.short_in(person, case) return declension.short(person, case) end

-- A post in a case: post_in("учитель математики", "genitive") -> "учителя математики".
function russian.post_in(post, case) return declension.post(post, case) end

-- "Кухтачеву Ирину Владимировну, заместителя директора" — a person with the post in
-- apposition, both in the same case.
function russian.person_with_post(person, case)
  local s = declension.full_name(person, case)
  if person.post then s = s .. ", " .. declension.post(person.post, case) end
  return s
end

-- The non-breaking spaces Russian typography asks for, in text as the author typed it:
-- "№ 146" and "2023 г." never part.
function russian.nbsp(s)
  -- Most strings hold neither: the plain finds keep the common case cheap.
  if s:find("№", 1, true) then s = s:gsub("№%s+", "№" .. NBSP) end
  -- "г." and "гг." spelled out: a multi-byte letter cannot take "?" in a Lua pattern
  if s:find("г.", 1, true) then s = s:gsub("(%d)%s+(г%.)", "%1" .. NBSP .. "%2"):gsub("(%d)%s+(гг%.)", "%1" .. NBSP .. "%2") end
  return s
end

-- The same for every string of a model (a new tree; tables met twice stay shared).
function russian.nbsp_view(view)
  local seen = {}
  local function walk(v)
    if type(v) == "string" then return russian.nbsp(v) end
    if type(v) ~= "table" then return v end
    if seen[v] then return seen[v] end
    local copy = {}
    seen[v] = copy
    for k, x in pairs(v) do copy[k] = walk(x) end
    return copy
  end
  return walk(view)
end

-- Numbers in words, as forms write them in brackets: words(12) -> "двенадцать",
-- words(21, "ж") -> "двадцать одна", words(1002) -> "одна тысяча два". 0 to 999 999.
local UNITS = { "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять" }
local UNITS_F = { "одна", "две" }
local TEENS = { "десять", "одиннадцать", "двенадцать", "тринадцать", "четырнадцать", "пятнадцать",
  "шестнадцать", "семнадцать", "восемнадцать", "девятнадцать" }
local TENS = { nil, "двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят",
  "восемьдесят", "девяносто" }
local HUNDREDS = { "сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот",
  "восемьсот", "девятьсот" }

local function below_thousand(n, feminine, out)
  if n >= 100 then out[#out + 1] = HUNDREDS[n // 100] end
  n = n % 100
  if n >= 10 and n < 20 then
    out[#out + 1] = TEENS[n - 9]
    return
  end
  if n >= 20 then out[#out + 1] = TENS[n // 10] end
  n = n % 10
  if n > 0 then out[#out + 1] = (feminine and UNITS_F[n]) or UNITS[n] end
end

function russian.words(n, gender)
  n = math.tointeger(n)
  if not n or n < 0 or n > 999999 then return tostring(n) end
  if n == 0 then return "ноль" end
  local out = {}
  local thousands = n // 1000
  if thousands > 0 then
    below_thousand(thousands, true, out)
    out[#out + 1] = text.plural(thousands, "тысяча", "тысячи", "тысяч")
  end
  below_thousand(n % 1000, gender == "ж", out)
  return table.concat(out, " ")
end

-- Puts text in «ёлочки»; quotes inside become „лапки“.
function russian.quote(s)
  s = tostring(s):gsub("«", "„"):gsub("»", "“")
  return "«" .. s .. "»"
end

function russian.upper(s) return text.upper(tostring(s or "")) end
function russian.lower(s) return text.lower(tostring(s or "")) end

-- Upper-cases the first letter only: "директор" -> "Директор".
function russian.capitalise(s)
  s = tostring(s or "")
  local first = s:match("^[%z\1-\127\194-\244][\128-\191]*")
  if not first then return s end
  return text.upper(first) .. s:sub(#first + 1)
end

return russian
