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

-- Words that never end a line: one- and two-letter prepositions, conjunctions and particles
-- stand with the word after them ("в школе", "и наставника", "«Об утверждении").
local SHORT_WORDS = {}
for w in ("а в во да до за и из к ко на не ни но о об обо от по с со у"):gmatch("%S+") do
  SHORT_WORDS[w] = true
  local second = utf8.offset(w, 2)
  SHORT_WORDS[text.upper(w:sub(1, second - 1)) .. w:sub(second)] = true
end
-- Abbreviations that stand with what follows: "г. Лесосибирск", "с. Сосновка", "ул. Школьная".
local ABBREVIATIONS = {}
for w in ("г. с. п. д. ул. пос. им. пр. пер."):gmatch("%S+") do ABBREVIATIONS[w] = true end

-- The word without the opening quotes and brackets it may stand behind ("«Об" -> "Об").
local OPENERS = { "«", "„", '"', "(" }
local function bare(token)
  local stripped = true
  while stripped do
    stripped = false
    for _, o in ipairs(OPENERS) do
      if token:sub(1, #o) == o then token, stripped = token:sub(#o + 1), true end
    end
  end
  return token
end

local function is_word_start(token)
  local first = token:match("^[%z\1-\127\194-\244][\128-\191]*")
  if not first then return false end
  if first == "«" or first == "„" or first == "\"" then return true end
  if #first == 1 then return first:match("%a") ~= nil end
  local cp = utf8.codepoint(first)
  return (cp >= 0x410 and cp <= 0x44F) or cp == 0x401 or cp == 0x451
end

-- Whether the space between `a` and `b` (`before` is the token before `a`) must not break.
local function binds(before, a, b)
  if SHORT_WORDS[bare(a)] then return true end
  if ABBREVIATIONS[a] and not (a == "г." and before and before:match("%d$")) then return true end
  if b == "–" or b == "—" or b == "-" then return true end -- a dash never starts a line
  if a:match("^%d+$") and before ~= "№" and is_word_start(b) and not SHORT_WORDS[bare(b)] then
    return true -- a number with its word: "12 пар", "7 «А»"
  end
  if a:match("^«[^%s»]+»$") and utf8.len(a) == 3 then return true end -- a class letter: "«А» класса"
  -- a phone: "8 (39100) 2-14-37", "+7 913 555-12-34"
  local phone = "^[%d%(%)%+%-]*%d[%d%(%)%+%-]*[,;]?$"
  if a:match(phone) and b:match(phone) then return true end
  return false
end

-- Quotes inside quotes become „лапки“; straight quotes become ёлочки (or лапки inside).
local function nest_quotes(s)
  if not (s:find("«", 1, true) or s:find('"', 1, true)) then return s end
  local depth, out = 0, {}
  local prev = ""
  for _, cp in utf8.codes(s) do
    local ch = utf8.char(cp)
    if ch == '"' then
      local opening = prev == "" or prev:match("^[%s(%[]$") or prev == "\u{a0}" or prev == "«" or prev == "„"
      ch = opening and "«" or "»"
    end
    if ch == "«" then
      ch = depth > 0 and "„" or "«"
      depth = depth + 1
    elseif ch == "»" then
      depth = depth - 1
      if depth > 0 then ch = "“" elseif depth < 0 then depth = 0 end
    end
    out[#out + 1] = ch
    prev = ch
  end
  return table.concat(out)
end

-- The typography Russian documents ask for, applied to text as the author typed it:
-- "№ 146", "2023 г.", "в школе", "г. Лесосибирск", "12 пар", "7 «А» класса" never part at a
-- line's end (non-breaking spaces), a dash never starts a line, and quotes inside quotes
-- are „лапки“.
function russian.nbsp(s)
  s = nest_quotes(s)
  -- Most strings hold neither: the plain finds keep the common case cheap.
  if s:find("№", 1, true) then s = s:gsub("№%s+", "№" .. NBSP) end
  -- "г." and "гг." spelled out: a multi-byte letter cannot take "?" in a Lua pattern
  if s:find("г.", 1, true) then s = s:gsub("(%d)%s+(г%.)", "%1" .. NBSP .. "%2"):gsub("(%d)%s+(гг%.)", "%1" .. NBSP .. "%2") end
  if not s:find(" ", 1, true) then return s end
  -- Word by word: a single space between two words is made non-breaking where they bind.
  local out, last, before, prev = {}, 1, nil, nil
  for start, token, stop in s:gmatch("()([^ \n\r\t]+)()") do
    if prev then
      local gap = s:sub(last, start - 1)
      if gap == " " and binds(before, prev, token) then gap = NBSP end
      out[#out + 1] = gap
    else
      out[#out + 1] = s:sub(1, start - 1)
    end
    out[#out + 1] = token
    before, prev, last = prev, token, stop
  end
  out[#out + 1] = s:sub(last)
  return table.concat(out)
end

-- The same for every string of a model (a new tree; tables met twice stay shared). Fields
-- named «__…» are the model's bookkeeping, not text to print (the file and line of an item,
-- the remarks with the code they suggest): kept as they are, so a path «школа № 1.lua» stays
-- the file's name and `{ "content", … }` stays code.
--
-- `printed` (optional): trees already in print form, inside `view`, kept as they are (and
-- every table of them).
function russian.nbsp_view(view, printed)
  local seen = {}
  local function keep(v)
    if type(v) ~= "table" or seen[v] then return end
    seen[v] = v
    for _, x in pairs(v) do keep(x) end
  end
  for _, tree in ipairs(printed or {}) do keep(tree) end
  local function walk(v)
    if type(v) == "string" then return russian.nbsp(v) end
    if type(v) ~= "table" then return v end
    if seen[v] then return seen[v] end
    local copy = {}
    seen[v] = copy
    for k, x in pairs(v) do
      if type(k) == "string" and k:sub(1, 2) == "__" then copy[k] = x else copy[k] = walk(x) end
    end
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
