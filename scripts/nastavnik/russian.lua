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
-- Remembered, as dates.format is: the documents of an organisation print the same few dates
-- (a pair's period in its plan, consents and orders), each read by a pattern and formatted anew.
local date_words = text.memo(function(iso)
  local y, m, d = dates.split(iso)
  return string.format("%d%s%s%s%d%sг.", d, NBSP, dates.months[m].gen, " ", y, NBSP)
end, 2000)
function russian.date_words(iso)
  if not iso then return "" end
  return date_words(iso)
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

local find, sub, byte, concat = string.find, string.sub, string.byte, table.concat

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
local OPENER_FIRST_BYTES = { [("«"):byte()] = true, [("„"):byte()] = true, [('"'):byte()] = true,
  [("("):byte()] = true }
local function bare(token)
  -- most words stand behind none: one byte tells
  if not OPENER_FIRST_BYTES[token:byte(1)] then return token end
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

-- What `binds` asks of a token, found once per distinct token: a document's words repeat.
-- `maybe`: whether the token may bind to the next at all (most words bind only to a dash).
local PHONE = "^[%d%(%)%+%-]*%d[%d%(%)%+%-]*[,;]?$" -- "8", "(39100)", "2-14-37", "+7"
local classes, nclasses, CLASSES_MAX = {}, 0, 5000
local function token_class(token)
  local class = classes[token]
  if class then return class end
  class = {
    short = SHORT_WORDS[bare(token)] or false,
    number = token:match("^%d+$") ~= nil,
    class_letter = token:match("^«[^%s»]+»$") ~= nil and utf8.len(token) == 3, -- "«А»"
    phone = token:match(PHONE) ~= nil,
  }
  class.maybe = class.short or ABBREVIATIONS[token] or class.number or class.class_letter or class.phone
  -- (bounded: emptied when full)
  if nclasses >= CLASSES_MAX then classes, nclasses = {}, 0 end
  classes[token], nclasses = class, nclasses + 1
  return class
end

-- Whether `s` from `start` to before `stop` is a dash, which never starts a line.
local HYPHEN = 45
local function is_dash(s, start, stop)
  local n = stop - start
  if n == 1 then return byte(s, start) == HYPHEN end
  if n ~= 3 then return false end
  local t = sub(s, start, stop - 1)
  return t == "–" or t == "—"
end

-- Whether the space between the token `a` and the next, which is `s` from `b_start` to before
-- `b_stop`, must not break. The token before `a` is `s` from `before_start` to before
-- `before_stop` (nil at the text's start): told by its bytes, never cut out unless needed.
local NUMBER_SIGN_BYTES = "№"
local function binds(s, before_start, before_stop, a, b_start, b_stop)
  local class = classes[a] or token_class(a)
  if not class.maybe then return is_dash(s, b_start, b_stop) end
  if class.short then return true end
  if ABBREVIATIONS[a] then
    -- "г." after a number is the year's, which binds backwards: "2023 г. Лесосибирск"
    local digit_before = before_start and byte(s, before_stop - 1)
    if not (a == "г." and digit_before and digit_before >= 48 and digit_before <= 57) then return true end
  end
  if is_dash(s, b_start, b_stop) then return true end
  local b = sub(s, b_start, b_stop - 1)
  if class.number and is_word_start(b) and not token_class(b).short
    and not (before_start and before_stop - before_start == #NUMBER_SIGN_BYTES
      and sub(s, before_start, before_stop - 1) == NUMBER_SIGN_BYTES) then
    return true -- a number with its word: "12 пар", "7 «А»" (not a number's "№ 12 пар")
  end
  if class.class_letter then return true end -- a class letter: "«А» класса"
  -- a phone: "8 (39100) 2-14-37", "+7 913 555-12-34"
  if class.phone and token_class(b).phone then return true end
  return false
end

-- The first bytes of a token longer than MAY_BIND_LONGEST bytes that may still bind to the
-- next (token_class's `maybe`): a number's or a phone's (digits, "(", ")", "+", "-") and the
-- openers' («, „, ", "(": a short word may stand behind any number of them). Every short
-- word, abbreviation and class letter is at most MAY_BIND_LONGEST bytes: any other token binds
-- only to a dash after it, told without cutting it out of the text (most of a text's words).
local MAY_BIND_LONGEST = 8
local MAY_BIND_FIRST = { [("("):byte()] = true, [(")"):byte()] = true, [("+"):byte()] = true,
  [HYPHEN] = true, [('"'):byte()] = true, [("«"):byte()] = true, [("„"):byte()] = true }
for digit = 48, 57 do MAY_BIND_FIRST[digit] = true end

-- Quotes inside quotes become „лапки“; straight quotes become ёлочки (or лапки inside).
-- What one quote character (", «, ») is printed as, after the character `prev` printed before
-- it, with state.depth quotes open.
local function nested(ch, prev, state)
  if ch == '"' then
    local opening = prev == "" or prev:match("^[%s(%[]$") or prev == "\u{a0}" or prev == "«" or prev == "„"
    ch = opening and "«" or "»"
  end
  if ch == "«" then
    ch = state.depth > 0 and "„" or "«"
    state.depth = state.depth + 1
  elseif ch == "»" then
    state.depth = state.depth - 1
    if state.depth > 0 then ch = "“" elseif state.depth < 0 then state.depth = 0 end
  end
  return ch
end

-- Character by character: for a text that is not UTF-8 (a validated model has none), which
-- utf8.codes either refuses or reads without its stray bytes, as it always has.
local function nest_quotes_by_character(s)
  local state, out, prev = { depth = 0 }, {}, ""
  for _, cp in utf8.codes(s) do
    local ch = utf8.char(cp)
    if ch == '"' or ch == "«" or ch == "»" then ch = nested(ch, prev, state) end
    out[#out + 1] = ch
    prev = ch
  end
  return table.concat(out)
end

-- Only the quotes are visited (a find from one to the next), not every character: a long
-- text has a few quotes and hundreds of letters.
local function nest_quotes(s)
  if not (s:find("«", 1, true) or s:find('"', 1, true)) then return s end
  if not utf8.len(s) then return nest_quotes_by_character(s) end
  local state, out = { depth = 0 }, {}
  local from = 1
  -- where the last quote ended and what it became: a straight quote right after it looks at
  -- it as printed
  local last_end, last_printed = 0, nil
  -- the next quote of each of the three, by plain finds (a pattern's class is tried at every
  -- byte; the byte \194 they share starts a non-breaking space too, which a document's text
  -- has many of)
  local straight, opening, closing = find(s, '"', 1, true), find(s, "«", 1, true), find(s, "»", 1, true)
  while straight or opening or closing do
    local i, ch, len
    if straight and not (opening and opening < straight) and not (closing and closing < straight) then
      i, ch, len = straight, '"', 1
      straight = find(s, '"', i + 1, true)
    elseif opening and not (closing and closing < opening) then
      i, ch, len = opening, "«", 2
      opening = find(s, "«", i + 2, true)
    else
      i, ch, len = closing, "»", 2
      closing = find(s, "»", i + 2, true)
    end
    local prev
    if i == 1 then
      prev = ""
    elseif last_end == i - 1 then
      prev = last_printed
    else -- the character before: back over its continuation bytes
      local start = i - 1
      while start > 1 and s:byte(start) >= 0x80 and s:byte(start) < 0xC0 do start = start - 1 end
      prev = s:sub(start, i - 1)
    end
    ch = nested(ch, prev, state)
    out[#out + 1] = s:sub(from, i - 1)
    out[#out + 1] = ch
    from, last_end, last_printed = i + len, i + len - 1, ch
  end
  out[#out + 1] = s:sub(from)
  return table.concat(out)
end

-- The typography Russian documents ask for, applied to text as the author typed it:
-- "№ 146", "2023 г.", "в школе", "г. Лесосибирск", "12 пар", "7 «А» класса" never part at a
-- line's end (non-breaking spaces), a dash never starts a line, and quotes inside quotes
-- are „лапки“.
local SPACE = 32
-- The bytes %s and %d match (the C locale's).
local SPACES = { [9] = true, [10] = true, [11] = true, [12] = true, [13] = true, [32] = true }
local G1, G2, ZERO, NINE = 208, 179, 48, 57 -- "г" is \208\179

-- Whether `s` may have "г." or "гг." after a number and spaces ("2023 г.", "2023–2024 гг."),
-- which the gsubs below bind: each "г." (found by its second byte and the dot — the first
-- byte of "г" starts every Cyrillic letter, and a plain find stops at each) is looked at
-- backwards, so that a text without one is not scanned by a pattern tried at every byte.
local function year_after_number(s)
  local at = 1
  while true do
    local i = find(s, "\179.", at, true)
    if not i then return false end
    if byte(s, i - 1) == G1 then
      local k = i - 2
      while k >= 2 and byte(s, k) == G2 and byte(s, k - 1) == G1 do k = k - 2 end -- "гг."
      local letters_end = k
      while k >= 1 and SPACES[byte(s, k)] do k = k - 1 end
      local b = k >= 1 and byte(s, k)
      if k < letters_end and b and b >= ZERO and b <= NINE then return true end
    end
    at = i + 2
  end
end

-- "№" and the spaces after it as "№" and a non-breaking space (as gsub("№%s+", "№" .. NBSP)
-- would, by plain finds: a pattern is tried at every byte of the text).
local NUMBER_SIGN = "№"
local function number_sign_bound(s)
  local out, n, from, at = nil, 0, 1, 1
  while true do
    local i = find(s, NUMBER_SIGN, at, true)
    if not i then break end
    local after = i + #NUMBER_SIGN
    local k = after
    while SPACES[byte(s, k)] do k = k + 1 end
    if k > after then
      out = out or {}
      out[n + 1], out[n + 2], n = sub(s, from, after - 1), NBSP, n + 2
      from = k
    end
    at = k
  end
  if not out then return s end
  out[n + 1] = sub(s, from)
  return concat(out)
end

local function typeset(s)
  s = nest_quotes(s)
  -- Most strings hold neither: the plain finds keep the common case cheap.
  if find(s, "№", 1, true) then s = number_sign_bound(s) end
  -- "г." and "гг." spelled out: a multi-byte letter cannot take "?" in a Lua pattern
  if year_after_number(s) then s = s:gsub("(%d)%s+(г%.)", "%1" .. NBSP .. "%2"):gsub("(%d)%s+(гг%.)", "%1" .. NBSP .. "%2") end
  if not find(s, " ", 1, true) then return s end
  -- Word by word: a single space between two words is made non-breaking where they bind.
  -- Only the spaces that change are cut out (most of a text's spaces stay): the text itself
  -- when none does. A word is `s` from its start to before its stop (the blank after it);
  -- the words before are known by where they stand, and cut out only when they may bind.
  local out, n, from = nil, 0, 1
  -- the word before the last, and the last (`prev`: cut out when it may bind, else false)
  local before_start, before_stop, prev_start, prev_stop, prev
  -- words between blanks: plain spaces found at memchr's pace (no pattern tried at every
  -- byte) when the text has no other blank
  local other_blanks = find(s, "\n", 1, true) or find(s, "\t", 1, true) or find(s, "\r", 1, true)
  local at, len = 1, #s
  while at <= len do
    local stop
    if other_blanks then
      stop = find(s, "[ \n\r\t]", at) or len + 1
    else
      stop = find(s, " ", at, true) or len + 1
    end
    if stop > at then
      -- (a gap of one plain space is told by its byte: no substring made for it)
      if prev_start and at == prev_stop + 1 and byte(s, prev_stop) == SPACE then
        local bound
        if prev then
          bound = binds(s, before_start, before_stop, prev, at, stop)
        else
          bound = is_dash(s, at, stop)
        end
        if bound then
          out = out or {}
          out[n + 1], out[n + 2], n = sub(s, from, prev_stop - 1), NBSP, n + 2
          from = at
        end
      end
      before_start, before_stop, prev_start, prev_stop = prev_start, prev_stop, at, stop
      prev = (stop - at <= MAY_BIND_LONGEST or MAY_BIND_FIRST[byte(s, at)]) and sub(s, at, stop - 1)
    end
    at = stop + 1
  end
  if not out then return s end
  out[n + 1] = sub(s, from)
  return concat(out)
end
-- Remembered: a model says the same texts many times (every school of a region has the roadmap
-- items of one template), and a view's every field passes through here again. 1,000 texts
-- hold what one organisation's documents repeat: a consent's paragraphs are long, and a larger
-- memory lifts a region build's peak (measured: 20,000 texts, 2 % fewer Lua instructions, tens
-- of megabytes more at the peak under the generational collector).
-- The same rules in C (generator/text/typeset_lua.c, tests/text/typeset_test.c holds the two
-- to the same bytes): this one answers for the texts that one leaves (not plain UTF-8), and
-- where the C module is not there (the tests run under the plain interpreter).
russian.typeset_lua = typeset
local loaded, typeset_c = pcall(require, "nastavnik.typeset")
local view_c
if loaded then
  local typeset_fast = typeset_c.typeset
  russian.nbsp = text.memo(function(s) return typeset_fast(s) or typeset(s) end, 1000)
  view_c = typeset_c.view
else
  russian.nbsp = text.memo(typeset, 1000)
end

-- The same for every string of a model (a new tree; tables met twice stay shared). Fields
-- named «__…» are the model's bookkeeping, not text to print (the file and line of an item,
-- the remarks with the code they suggest): kept as they are, so a path «школа № 1.lua» stays
-- the file's name and `{ "content", … }` stays code.
--
-- `printed` (optional): trees already in print form, inside `view`, kept as they are (and
-- every table of them).
local UNDERSCORE = string.byte("_")
-- `in_lua`: the walk made in Lua even where the C one is there (tests/text/typeset_test.c
-- compares the two).
function russian.nbsp_view(view, printed, in_lua)
  local seen = {}
  local type, next = type, next
  -- (a region's finish keeps the light copies of its thousands of organisations: the call
  -- is made for tables only, not for each of their texts)
  local function keep(v)
    seen[v] = v
    for _, x in next, v do
      if type(x) == "table" and not seen[x] then keep(x) end
    end
  end
  for _, tree in ipairs(printed or {}) do
    if type(tree) == "table" and not seen[tree] then keep(tree) end
  end
  -- The same walk in C (generator/text/typeset_lua.c): in Lua it was 6 % of a region's build.
  if view_c and not in_lua then return view_c(view, seen, typeset) end
  -- whether a key is bookkeeping, asked once per distinct key (a model has few field names)
  local bookkeeping = setmetatable({}, { __index = function(known, k)
    local yes = type(k) == "string" and k:byte(1) == UNDERSCORE and k:byte(2) == UNDERSCORE
    known[k] = yes
    return yes
  end })
  local nbsp = russian.nbsp
  local function walk(v)
    local copy = {}
    seen[v] = copy
    -- (next, as pairs would give it: no table of a model has a __pairs)
    for k, x in next, v do
      local kind = type(x)
      if kind == "string" then
        if not bookkeeping[k] then x = nbsp(x) end
      elseif kind == "table" then
        if not bookkeeping[k] then x = seen[x] or walk(x) end
      end
      copy[k] = x
    end
    return copy
  end
  if type(view) == "string" then return nbsp(view) end
  if type(view) ~= "table" then return view end
  return seen[view] or walk(view)
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
-- (a text remembered: documents quote the same forms, topics and titles again and again)
local function quote(s)
  s = text.replace_plain(text.replace_plain(s, "«", "„"), "»", "“")
  return "«" .. s .. "»"
end
local quoted = text.memo(quote, 1000)
function russian.quote(s)
  if type(s) == "string" then return quoted(s) end
  return quote(tostring(s))
end

function russian.upper(s) return text.upper(tostring(s or "")) end
function russian.lower(s) return text.lower(tostring(s or "")) end

-- Upper-cases the first letter only: "директор" -> "Директор".
-- (a text remembered: the posts of an organisation's head and curator, in every document)
local function capitalise(s)
  local first = s:match("^[%z\1-\127\194-\244][\128-\191]*")
  if not first then return s end
  return text.upper(first) .. s:sub(#first + 1)
end
local capitalised = text.memo(capitalise, 1000)
function russian.capitalise(s)
  if type(s) == "string" then return capitalised(s) end
  return capitalise(tostring(s or ""))
end

return russian
