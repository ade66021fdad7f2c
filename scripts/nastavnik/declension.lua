-- Declension of Russian full names and posts for the orders of the mentoring programme:
-- "назначить куратором Кухтачеву Ирину Владимировну", "возложить на Пенкина А.Н.",
-- "учителю математики". A name part is declined by suffix rules with whole-word
-- exceptions, per gender and per part (surname, first name, patronymic), in the manner of
-- the public "petrovich" rule set; the rules and the code are our own.
--
-- A rule gives five modifications, for the genitive, dative, accusative, instrumental and
-- prepositional (the nominative is the word itself). A modification is written the way
-- petrovich writes it because it is short and easy to check by eye: each leading "-" drops
-- one letter from the end of the word, the rest is appended; "." leaves the word as it is.
-- "Лев" with "--ьва" gives "Льва".
--
-- Lua patterns are byte-based, so every ending is compared as a plain suffix string: a
-- Cyrillic letter inside a [class] would be cut into its bytes.

local text = require "nastavnik.text"
local people = require "nastavnik.people"

local declension = {}

local NBSP = "\u{a0}"

-- Case names -> index into a rule's modifications (0: the nominative, no change).
local CASES = {
  nominative = 0, genitive = 1, dative = 2, accusative = 3, instrumental = 4, prepositional = 5,
  ["им"] = 0, ["род"] = 1, ["дат"] = 2, ["вин"] = 3, ["твор"] = 4, ["пред"] = 5,
  -- The short Latin names some callers (and petrovich ports) use.
  nom = 0, gen = 1, dat = 2, acc = 3, ins = 4, instr = 4, prep = 5, pre = 5,
}

declension.cases = { "nominative", "genitive", "dative", "accusative", "instrumental", "prepositional" }

local function case_index(case)
  local i = CASES[case or "nominative"]
  if not i and type(case) == "string" then
    -- "Род.", "РОД", "родительный": the first letters are enough to tell them apart.
    local c = text.lower(case):gsub("%.$", "")
    i = CASES[c]
    if not i then
      for prefix, idx in pairs({ ["имен"] = 0, ["род"] = 1, ["дат"] = 2, ["вин"] = 3,
                                 ["твор"] = 4, ["пред"] = 5 }) do
        if c:sub(1, #prefix) == prefix then i = idx end
      end
    end
  end
  if not i then error(string.format("declension: unknown case %q", tostring(case)), 3) end
  return i
end

-- "м", "ж" or nil from whatever a caller says ("male", "f", "жен", "Ж").
local function norm_gender(g)
  if g == nil or g == "м" or g == "ж" then return g end
  local s = text.lower(tostring(g))
  if s == "м" or s == "муж" or s == "мужской" or s == "m" or s == "male" then return "м" end
  if s == "ж" or s == "жен" or s == "женский" or s == "f" or s == "female" then return "ж" end
  return nil
end

local function ends(s, suffix) return #s >= #suffix and s:sub(-#suffix) == suffix end

local function ends_any(s, list)
  for _, suffix in ipairs(list) do
    if ends(s, suffix) then return suffix end
  end
  return nil
end

-- The last letter (a whole UTF-8 character) and the word without it.
local function last_char(s)
  local start = utf8.offset(s, -1)
  if not start then return "", s end
  return s:sub(start), s:sub(1, start - 1)
end

-- Written in capitals ("ПЕНКИН"): the ending added follows the case of the letter before it.
local function is_upper(word)
  local n = utf8.len(word)
  if not n or n < 2 then return false end
  local last = word:sub(utf8.offset(word, -1))
  return text.upper(last) == last and text.lower(last) ~= last
end

-- Applies one modification to the word as written: letters are dropped from the original
-- (so "Пенкин" keeps its capital) and the ending follows the word's case ("ПЕНКИНА").
local function apply(word, mod)
  if mod == "." then return word end
  local drop = #mod:match("^%-*")
  local ending = mod:sub(drop + 1)
  local n = utf8.len(word)
  if drop > 0 then
    if drop >= n then return word end
    word = word:sub(1, utf8.offset(word, n - drop + 1) - 1)
  end
  if is_upper(word) then ending = text.upper(ending) end
  return word .. ending
end

------------------------------------------------------------------------------------------
-- The rules. Each part has `exceptions` (whole words, lower case) and `suffixes`; a rule
-- has a gender ("м", "ж" or "*" for both) and the five modifications, and may have a
-- condition on the whole word (`when`) that the suffix alone cannot state ("three
-- syllables or more"). Among the suffix rules that fit, the longest suffix wins, a rule for
-- the person's gender beats a rule for both on a tie, and of two rules otherwise equal the
-- later wins, so a narrower rule written after a general one ("ц" after all the
-- consonants) overrides it.
------------------------------------------------------------------------------------------

local KEEP = { ".", ".", ".", ".", "." }

-- Nouns of the first declension ("Глинка", "Ирина", "Никита"): after г, к, х and the
-- hushing consonants the genitive takes -и, and after the hushing consonants and ц an
-- unstressed instrumental is -ей ("Наташей", "Мишей"); stress is not written, so the
-- unstressed form, by far the more frequent, is the one we take.
local FIRST_A = { "-ы", "-е", "-у", "-ой", "-е" }
local FIRST_A_VELAR = { "-и", "-е", "-у", "-ой", "-е" }
local FIRST_A_HUSH = { "-и", "-е", "-у", "-ей", "-е" }
local FIRST_A_TS = { "-ы", "-е", "-у", "-ей", "-е" }
local FIRST_YA = { "-и", "-е", "-ю", "-ей", "-е" }
-- "Мария", "Ия", "Берия": dative and prepositional in -ии.
local FIRST_IYA = { "-и", "-и", "-ю", "-ей", "-и" }

local VELAR_A = { "га", "ка", "ха" }
local HUSH_A = { "жа", "ша", "ча", "ща" }

-- Masculine nouns of the second declension ("Пенкин" has its own adjectival instrumental).
local SECOND_HARD = { "а", "у", "а", "ом", "е" }
local SECOND_HUSH = { "а", "у", "а", "ем", "е" }
local SECOND_SOFT = { "-я", "-ю", "-я", "-ем", "-е" }       -- Игорь, Сергей, Гайдай
local SECOND_IY = { "-я", "-ю", "-я", "-ем", "-и" }         -- Валерий, Василий

local CONSONANTS = { "б", "в", "г", "д", "ж", "з", "к", "л", "м", "н", "п", "р", "с", "т", "ф",
                     "х", "ц", "ч", "ш", "щ" }
local HUSHING = { "ж", "ч", "ш", "щ", "ц" }

local function rule(gender, tests, mods, when) return { g = gender, t = tests, m = mods, when = when } end

local VOWELS = { ["а"] = true, ["е"] = true, ["ё"] = true, ["и"] = true, ["о"] = true,
                 ["у"] = true, ["ы"] = true, ["э"] = true, ["ю"] = true, ["я"] = true }

-- The letters of a lower-case word, as a list of UTF-8 characters.
local function letters(word)
  local out = {}
  for _, c in utf8.codes(word) do out[#out + 1] = utf8.char(c) end
  return out
end

local function syllables(list)
  local n = 0
  for _, c in ipairs(list) do if VOWELS[c] then n = n + 1 end end
  return n
end

-- The fleeting vowel of -ец and -ок goes, as in the nouns (Гришковец — Гришковца, Починок
-- — Починка), in a word of three syllables or more where one consonant stands between it
-- and the vowel before (Баллок, Биншток have two consonants there): a short word keeps its
-- vowel (Швец — Швеца, Кобец — Кобеца, Бурец — Бурецем, as petrovich-eval has them). The
-- suffix -вец of agent nouns loses it in two syllables too, as they do (певец — певца,
-- ловец — ловца; Кравец — Кравца).
local function fleeting(lower)
  local l = letters(lower)
  local n = #l
  if n < 4 or not VOWELS[l[n - 3]] or VOWELS[l[n - 2]] or l[n - 2] == "й" or l[n - 2] == "ь" then
    return false
  end
  return syllables(l) >= 3 or (l[n - 2] == "в" and l[n - 1] == "е")
end

-- A Russian possessive or adjectival surname has a stem with a vowel (or a soft sign)
-- before its suffix: Иванов, Львов, Ильина; Грин, Цин, Бова have none, and decline as the
-- nouns they are (Грином, Бовы).
local function stem_before(n)
  return function(lower)
    local l = letters(lower)
    for i = 1, #l - n do
      if VOWELS[l[i]] or l[i] == "ь" then return true end
    end
    return false
  end
end

local function consonant_rules(gender, hard, hush)
  local list = {}
  for _, c in ipairs(CONSONANTS) do
    local is_hush = false
    for _, h in ipairs(HUSHING) do if c == h then is_hush = true end end
    if not is_hush then list[#list + 1] = c end
  end
  return { rule(gender, list, hard), rule(gender, HUSHING, hush) }
end

local function merge(...)
  local out = {}
  for _, list in ipairs({ ... }) do
    for _, r in ipairs(list) do out[#out + 1] = r end
  end
  return out
end

local RULES = {}

RULES.surname = {
  exceptions = {
    -- Foreign surnames in a stressed -а/-я do not decline; unstressed ones do ("Глинка"),
    -- and the spelling cannot tell the two apart, so the known ones are listed.
    -- Д. Э. Розенталь, «Справочник по правописанию и стилистике», § «Склонение фамилий»:
    -- French surnames stressed on the final -а/-я (Дюма, Тома, Дега, Золя, Ферма, Люка,
    -- Труайя) do not decline; Петипа and Гарсиа likewise (OpenCorpora: indeclinable).
    rule("*", { "дюма", "тома", "дега", "золя", "петипа", "паганини", "гарсиа", "ферма", "люка",
                "труайя" }, KEEP),
    -- Foreign -ин does not take the Russian adjectival -ым ("с Дарвином"); a Russian
    -- Чаплин or Кронин does (Чаплиным, as OpenCorpora has it), so only the foreign ones
    -- that cannot be Russian are listed.
    rule("м", { "дарвин", "франклин" }, SECOND_HARD),
    -- Short Korean and other surnames in -ой are nouns, not adjectives: Цой — Цоя.
    rule("м", { "цой", "хой", "ной", "бой", "кой", "мой", "той" }, SECOND_SOFT),
    -- A Georgian surname in -ая is a noun, not an adjective, for a woman too (Эльдар
    -- Шенгелая — «фильмы Шенгелаи»; OpenCorpora: Шенгелаи, Шенгелае).
    rule("*", { "шенгелая" }, FIRST_YA),
  },
  suffixes = merge(
    -- Men's surnames in a consonant decline as nouns (Гаврилюк, Рыбак, Ивасик, Акопян).
    -- A surname keeps the stress of its stem, so after ж, ш, ч, щ and ц the instrumental
    -- is the unstressed -ем (Бушем, Келдышем, Ткачем, Шульцем, Швецем), as OpenCorpora
    -- and petrovich-eval have it.
    consonant_rules("м", SECOND_HARD, SECOND_HUSH),
    {
      -- The fleeting е of -ец (Гришковец — Гришковца, Гришковцем) and о of -ок (Починок —
      -- Починка) in a long word; after a vowel the е becomes й (Бабаец — Бабайца,
      -- Коломиец — Коломийца).
      rule("м", { "ец" }, { "--ца", "--цу", "--ца", "--цем", "--це" }, fleeting),
      rule("м", { "аец", "еец", "иец", "оец", "уец", "яец", "юец" },
           { "--йца", "--йцу", "--йца", "--йцем", "--йце" }),
      rule("м", { "ок" }, { "--ка", "--ку", "--ка", "--ком", "--ке" }, fleeting),
      -- Indeclinable for both genders: the old genitive plurals (Долгих, Черных), the
      -- Ukrainian -ко and every surname in -о (Шевченко, Дурново, Живаго, Гюго), and the
      -- foreign ones in other vowels (Гёте, Верди, Шоу, Гулиа). An adjective's genitive
      -- plural has -их only after г, к, х, the hushing consonants and a soft н (Долгих,
      -- Ярких, Рыжих, Синих); after any other letter -их is the German -ich and declines
      -- (Рерих — Рериха, Фрейндлих — Фрейндлиха).
      rule("*", { "ых", "гих", "ких", "хих", "жих", "чих", "ших", "щих", "них" }, KEEP),
      rule("*", { "о", "е", "ё", "и", "ы", "у", "ю", "э" }, KEEP),
      rule("*", { "иа", "уа", "оа", "еа" }, KEEP),

      -- Russian possessive surnames: -ов/-ев/-ин/-ын take the adjectival instrumental.
      rule("м", { "ов", "ев", "ёв", "ин", "ын" }, { "а", "у", "а", "ым", "е" }, stem_before(2)),
      -- But -ич is unstressed in surnames, as in patronymics: Бабичем, Пашкевичем.
      rule("м", { "ич", "ыч" }, SECOND_HUSH),
      rule("м", { "ь" }, SECOND_SOFT),
      rule("м", { "ай", "яй", "уй", "юй", "ей", "ёй", "эй" }, SECOND_SOFT),
      -- Соловей, Воробей, Муравей: the fleeting е goes, as in the nouns they come from.
      rule("м", { "овей", "обей", "равей" }, { "--ья", "--ью", "--ья", "--ьём", "--ье" }),
      -- Adjectival surnames: Толстой, Белый, Горький, Достоевский, Троцкий, Верхний.
      rule("м", { "ой", "ый" }, { "--ого", "--ому", "--ого", "--ым", "--ом" }),
      rule("м", { "кой", "гой", "хой", "жой", "шой", "чой", "щой" },
           { "--ого", "--ому", "--ого", "--им", "--ом" }),
      rule("м", { "кий", "гий", "хий" }, { "--ого", "--ому", "--ого", "--им", "--ом" }),
      -- A soft adjective has н or a hushing consonant before -ий (Верхний, Рыжий); after
      -- other letters -ий is a noun's ending (Гудзий — Гудзия, о Гудзие).
      rule("м", { "ий" }, SECOND_SOFT),
      rule("м", { "ний", "жий", "чий", "ший", "щий" }, { "--его", "--ему", "--его", "--им", "--ем" }),

      -- Feminine possessive and adjectival surnames.
      rule("ж", { "ова", "ева", "ёва", "ина", "ына" }, { "-ой", "-ой", "-у", "-ой", "-ой" }, stem_before(3)),
      rule("ж", { "ая" }, { "--ой", "--ой", "--ую", "--ой", "--ой" }),
      rule("ж", { "жая", "шая", "чая", "щая" }, { "--ей", "--ей", "--ую", "--ей", "--ей" }),
      rule("ж", { "яя" }, { "--ей", "--ей", "--юю", "--ей", "--ей" }),

      -- Surnames in -а/-я decline as nouns for both genders: Глинка, Окуджава, Зозуля,
      -- Берия, Данелия.
      rule("*", { "а" }, FIRST_A),
      rule("*", VELAR_A, FIRST_A_VELAR),
      rule("*", HUSH_A, FIRST_A_HUSH),
      rule("*", { "ца" }, FIRST_A_TS),
      rule("*", { "я" }, FIRST_YA),
      rule("*", { "ия" }, FIRST_IYA),
    }
    -- Women's surnames in a consonant (Гаврилюк, Шевчук, Гайдар, Гринь, Петров as a
    -- foreign woman would write it) have no rule and so stay as they are.
  ),
}

RULES.name = {
  exceptions = {
    -- Fleeting vowels: Лев — Льва, Павел — Павла, Пётр — Петра (the ё goes with the stress).
    rule("м", { "лев" }, { "--ьва", "--ьву", "--ьва", "--ьвом", "--ьве" }),
    rule("м", { "павел" }, { "--ла", "--лу", "--ла", "--лом", "--ле" }),
    rule("м", { "пётр" }, { "---етра", "---етру", "---етра", "---етром", "---етре" }),
    -- Илья: stressed ending, so the instrumental is Ильёй (Наталья has Натальей).
    rule("м", { "илья" }, { "-и", "-е", "-ю", "-ёй", "-е" }),
    -- Любовь the name keeps its о (Любови, not the noun's Любви).
    rule("ж", { "любовь" }, { "-и", "-и", ".", "ю", "-и" }),
    -- Women's names in -ль that Russian has long declined like "тетрадь" (the others stay,
    -- below): Нинель (Д. Э. Розенталь, «Справочник по правописанию и стилистике»,
    -- § «Склонение имён»: «у Нинели»), Рахиль (the Synodal Bible, Быт. 29: «Рахили»),
    -- Жизель (the ballet: «партия Жизели»), Рашель, Агидель (declined in OpenCorpora).
    rule("ж", { "нинель", "рахиль", "жизель", "рашель", "агидель" }, { "-и", "-и", ".", "ю", "-и" }),
    -- Tatar and Bashkir names stressed on the final -ия́ decline like Илья́: Алие, Алиёй
    -- (OpenCorpora; the stress is not written, so the known ones are listed: Алия,
    -- Галия, Альфия, Гульфия, Зульфия).
    rule("ж", { "алия", "галия", "альфия", "гульфия", "зульфия" }, { "-и", "-е", "-ю", "-ёй", "-е" }),
  },
  suffixes = merge(
    consonant_rules("м", SECOND_HARD, SECOND_HUSH),
    {
      -- Men's names in -ч are stressed on the last syllable (Мкрти́ч, Айта́ч, Була́ч):
      -- Мкртичом; after ж and ш the instrumental is -ем (Жоржем, Арамашем).
      rule("м", { "ч" }, SECOND_HARD),
      -- The fleeting ё of a diminutive: Игорёк — Игорька.
      rule("м", { "ёк" }, { "--ька", "--ьку", "--ька", "--ьком", "--ьке" }),
      rule("м", { "ь" }, SECOND_SOFT),
      rule("м", { "й" }, SECOND_SOFT),
      rule("м", { "ий" }, SECOND_IY),
      -- Women's names in -ь from other languages do not decline (Айгуль, Гузель, Асель,
      -- Мишель, Изабель, Адель: «у Айгуль»), as OpenCorpora has them; those in -рь, -фь,
      -- -вь, old in Russian, decline like "тетрадь" (Эсфирь, Руфь, Юдифь, Любовь), and so
      -- do the few -ль names listed among the exceptions (Нинель, Рахиль).
      rule("ж", { "ь" }, KEEP),
      rule("ж", { "рь", "фь", "вь" }, { "-и", "-и", ".", "ю", "-и" }),
      -- Names in other vowels (Нелли, Марио, Отто, Алсу) do not decline.
      rule("*", { "о", "е", "ё", "и", "ы", "у", "ю", "э" }, KEEP),
      rule("*", { "а" }, FIRST_A),
      rule("*", VELAR_A, FIRST_A_VELAR),
      rule("*", HUSH_A, FIRST_A_HUSH),
      rule("*", { "ца" }, FIRST_A_TS),
      rule("*", { "я" }, FIRST_YA),
      rule("*", { "ия" }, FIRST_IYA),
      -- Foreign feminine names in -иа/-еа (Гулиа, Беа) do not decline.
      rule("*", { "иа", "еа", "уа" }, KEEP),
    }
    -- Feminine names in a hard consonant (Кэтрин, Айгерим, Гульнар) stay as they are.
  ),
}

RULES.patronymic = {
  exceptions = {
    -- Short patronymics stressed on the ending: Ильич — Ильичом, Кузьмич — Кузьмичом
    -- (Д. Э. Розенталь, «Справочник по правописанию и стилистике», § «Буквы о, е, ё после
    -- шипящих и ц»: «Кузьмичом, Лукичом», but «Сергеевичем»). They come from the names
    -- stressed on the ending: Илья́, Кузьма́, Козьма́, Фома́, Лука́.
    rule("м", { "ильич", "кузьмич", "козьмич", "фомич", "лукич" }, SECOND_HARD),
  },
  suffixes = {
    rule("м", { "ич" }, SECOND_HUSH),
    rule("ж", { "на" }, FIRST_A),
    -- Turkic patronymics: "оглы"/"кызы" are particles and never decline.
    rule("*", { "оглы", "улы", "уулу", "кызы", "гызы" }, KEEP),
  },
}

-- The rules of a part indexed by their words and suffixes (built on first use): a word is
-- looked up by its own endings, longest first, instead of being tried against every rule.
local indexes = {}

local function index_of(part)
  if indexes[part] then return indexes[part] end
  local rules = RULES[part]
  local index = { words = {}, suffixes = {}, longest = 0 }
  for _, r in ipairs(rules.exceptions) do
    for _, w in ipairs(r.t) do
      local list = index.words[w] or {}
      list[#list + 1] = r
      index.words[w] = list
    end
  end
  for order, r in ipairs(rules.suffixes) do
    for _, suffix in ipairs(r.t) do
      local list = index.suffixes[suffix] or {}
      list[#list + 1] = { rule = r, order = order }
      index.suffixes[suffix] = list
      index.longest = math.max(index.longest, utf8.len(suffix))
    end
  end
  indexes[part] = index
  return index
end

-- The rule for a lower-case word, or nil (the word then stays as it is).
local function find_rule(part, lower, gender)
  local index = index_of(part)
  for _, r in ipairs(index.words[lower] or {}) do
    if r.g == "*" or r.g == gender then return r end
  end
  local n = utf8.len(lower)
  for len = math.min(n, index.longest), 1, -1 do
    local candidates = index.suffixes[lower:sub(utf8.offset(lower, n - len + 1))]
    if candidates then
      local best, best_score
      for _, c in ipairs(candidates) do
        local r = c.rule
        if (r.g == "*" or r.g == gender) and (not r.when or r.when(lower)) then
          local score = (r.g == "*" and 0 or 1) * 100000 + c.order
          if not best_score or score > best_score then best, best_score = r, score end
        end
      end
      if best then return best end
    end
  end
  return nil
end

local function decline_word(part, word, ci, gender)
  if ci == 0 or word == nil or word == "" then return word end
  local lower = text.lower(word)
  -- A word with a dot is an initial or an abbreviation: never touched.
  if lower:find(".", 1, true) then return word end
  local r = find_rule(part, lower, gender)
  if not r then return word end
  return apply(word, r.m[ci])
end

-- In a double surname the first part declines when it is a Russian surname itself
-- (Римский-Корсаков, Салтыков-Щедрин, Немирович-Данченко; Склодовская-Кюри); a first part
-- of another kind stays as it is (Бонч-Бруевич, Тер-Петросян, Мелик-Шахназаров,
-- Сент-Экзюпери, Ван-Гог, Кара-Сал). Корвин, the name of a Polish coat of arms, is such a
-- part though it looks like a surname (Корвин-Круковский — Корвин-Круковского; Ковалевская,
-- урождённая Корвин-Круковская).
local FIRST_PART_NOT_DECLINED = { ["корвин"] = true }

local function first_part_declines(lower, gender)
  if FIRST_PART_NOT_DECLINED[lower] then return false end
  if gender == "ж" then
    return ends_any(lower, { "ова", "ева", "ёва", "ина", "ына", "ая", "яя" }) ~= nil
  end
  return ends_any(lower, { "ов", "ев", "ёв", "ин", "ын", "ич", "ий", "ый", "ой" }) ~= nil
end

-- Hyphenated names decline part by part: Римский-Корсаков -> Римского-Корсакова,
-- Салтыкова-Щедрина -> Салтыковой-Щедриной, Анна-Мария -> Анны-Марии, Жолио-Кюри stays.
-- The first part of a double surname declines only if it is a surname (above); of a
-- man's double name only the last part declines (Жан-Поль — Жан-Поля, Абдул-Азиз —
-- Абдул-Азиза), of a woman's every part (Анна-Мария — Анны-Марии).
local function decline_part_now(part, value, ci, gender)
  local pieces = {}
  for piece in (value .. "-"):gmatch("(.-)%-") do pieces[#pieces + 1] = piece end
  for i, piece in ipairs(pieces) do
    local declines = i == #pieces
        or (part == "surname" and first_part_declines(text.lower(piece), gender))
        or (part == "name" and gender == "ж")
        or part == "patronymic"
    if declines then pieces[i] = decline_word(part, piece, ci, gender) end
  end
  return table.concat(pieces, "-")
end

-- Forms already made: forms[what][slot][value], the slot telling the case and the gender. A
-- region's documents name the same people, posts and bodies in the same cases again and
-- again. Bounded like text.memo: FORMS_LIMIT forms in all, then afresh.
local FORMS_LIMIT, NONE = 5000, {}
local GENDER_SLOT = { ["м"] = 1, ["ж"] = 2 }
local forms, form_count = {}, 0
local function remembered(what, ci, gender, value, make)
  local g = gender == nil and 0 or GENDER_SLOT[gender]
  if not g then return make(what, value, ci, gender) end -- (no gender but these is ever given)
  local slot = ci * 3 + g
  local by_what = forms[what]
  if not by_what then by_what = {}; forms[what] = by_what end
  local shelf = by_what[slot]
  if not shelf then shelf = {}; by_what[slot] = shelf end
  local form = shelf[value]
  if form == nil then
    form = make(what, value, ci, gender)
    if form_count >= FORMS_LIMIT then forms, form_count = {}, 0 end
    -- (the shelf may have been let go just now: the form is kept on the next call)
    shelf[value], form_count = form == nil and NONE or form, form_count + 1
  elseif form == NONE then
    form = nil
  end
  return form
end

local function decline_part(part, value, ci, gender)
  if value == nil or value == "" or ci == 0 then return value end
  return remembered(part, ci, gender, value, decline_part_now)
end

------------------------------------------------------------------------------------------
-- Gender
------------------------------------------------------------------------------------------

local function last_word(s)
  local w
  for x in text.plain_spaces(s):gmatch("%S+") do w = x end
  return w
end

local function gender_of_patronymic_now(p)
  if not p or p == "" then return nil end
  local w = text.lower(last_word(p) or "")
  if ends_any(w, { "оглы", "улы", "уулу", "ич" }) then return "м" end
  if ends_any(w, { "кызы", "гызы", "вна", "чна", "ична" }) then return "ж" end
  return nil
end

-- First names whose ending would mislead: men's names in -а/-я, women's in a consonant.
local MALE_IN_A = {}
for _, n in ipairs({ "илья", "никита", "фома", "кузьма", "лука", "савва", "данила", "гаврила",
                     "фока", "иона", "ерёма", "мина", "нафанаил", "миша", "паша", "гриша",
                     "лёша", "алёша", "серёжа", "дима", "вова", "петя", "ваня", "коля",
                     "толя", "федя", "боря", "витя", "костя", "стёпа", "лёва", "юра", "яша",
                     "гена", "рома", "гоша", "илюша", "мустафа", "муса", "иса", "хамза" }) do
  MALE_IN_A[n] = true
end
local AMBIGUOUS = {}
for _, n in ipairs({ "саша", "женя", "валя", "шура", "слава", "сима", "мишель",
                     "даниэль", "саня" }) do
  AMBIGUOUS[n] = true
end
local FEMALE_IN_CONSONANT = {}
for _, n in ipairs({ "любовь", "нинель", "айгуль", "гузель", "асель", "адель", "руфь", "юдифь",
                     "эсфирь", "рахиль", "ассоль", "изабель", "севиль", "кэтрин", "элен", "ирен",
                     "айгерим", "гульнар", "гульназ", "ляйсан", "лейсан", "гульшат", "шахризат",
                     "жибек", "чолпон", "айжан", "карлыгаш", "маргарет", "элизабет" }) do
  FEMALE_IN_CONSONANT[n] = true
end
local MALE_IN_SOFT = {}
for _, n in ipairs({ "игорь", "лазарь", "олесь", "авель", "марсель", "рафаэль", "михаэль",
                     "самуэль", "габриэль", "фидель", "виль", "гурь" }) do
  MALE_IN_SOFT[n] = true
end

local function gender_of_name_now(n)
  if not n or n == "" then return nil end
  local w = text.lower(n):match("^[^-]+") or ""
  if w == "" or w:find(".", 1, true) then return nil end
  if AMBIGUOUS[w] then return nil end
  if MALE_IN_A[w] or MALE_IN_SOFT[w] then return "м" end
  if FEMALE_IN_CONSONANT[w] then return "ж" end
  if ends_any(w, { "а", "я" }) then return "ж" end
  if ends(w, "ь") then
    -- Tatar and Bashkir names: -гуль/-гюль are women's, -иль/-эль men's (Камиль, Шамиль).
    if ends_any(w, { "гуль", "гюль", "зель" }) then return "ж" end
    if ends_any(w, { "иль", "эль" }) then return "м" end
    return nil
  end
  local c = last_char(w)
  for _, x in ipairs(CONSONANTS) do if c == x then return "м" end end
  if c == "й" then return "м" end
  return nil
end

local function gender_of_surname_now(s)
  if not s or s == "" then return nil end
  local w = text.lower(s)
  w = w:match("([^-]+)$") or w
  if ends_any(w, { "ова", "ева", "ёва", "ина", "ына", "ая", "яя" }) then return "ж" end
  if ends_any(w, { "ов", "ев", "ёв", "ин", "ын", "ой", "ый", "кий" }) then return "м" end
  return nil
end

-- Each remembered (a pure function of the word): every document of a person asks its
-- gender again, each time lowering and matching the same three words.
local function remembered_gender(gender_of)
  local kept = text.memo(function(word) return gender_of(word) or false end, 2000)
  return function(word)
    if word == nil or word == "" then return nil end
    return kept(word) or nil
  end
end
local gender_of_patronymic = remembered_gender(gender_of_patronymic_now)
local gender_of_name = remembered_gender(gender_of_name_now)
local gender_of_surname = remembered_gender(gender_of_surname_now)

-- "м", "ж" or nil. The patronymic is the surest sign, then the first name, then the
-- surname's ending; then the gender the person's record states, then the caller's guess.
function declension.gender(person, fallback)
  if type(person) ~= "table" then return norm_gender(fallback) end
  return gender_of_patronymic(person.patronymic)
      or gender_of_name(person.name)
      or gender_of_surname(person.surname)
      or norm_gender(person.gender)
      or norm_gender(fallback)
end

------------------------------------------------------------------------------------------
-- The name parts
------------------------------------------------------------------------------------------

-- Each part function takes the word, the case and an optional gender; without a gender
-- the word's own ending decides, and a surname whose gender nobody can tell (Гаврилюк
-- alone) is left as it is rather than declined as a man's.
function declension.surname(surname, case, gender)
  local ci = case_index(case)
  local g = norm_gender(gender) or gender_of_surname(surname)
  return decline_part("surname", surname, ci, g)
end

function declension.name(name, case, gender)
  local ci = case_index(case)
  local g = norm_gender(gender) or gender_of_name(name)
  return decline_part("name", name, ci, g)
end

function declension.patronymic(patronymic, case, gender)
  local ci = case_index(case)
  if patronymic == nil or patronymic == "" then return patronymic end
  local g = norm_gender(gender) or gender_of_patronymic(patronymic)
  -- "Гусейн оглы": the father's name and the particle both stay as they are.
  if text.plain_spaces(patronymic):find(" ", 1, true) then return patronymic end
  return decline_part("patronymic", patronymic, ci, g)
end

local full_name_now, short_now

-- A person table, or a string "Фамилия Имя Отчество" (the patronymic may be two words).
local function as_person(p)
  if type(p) == "table" then return p end
  local words = {}
  for w in text.plain_spaces(tostring(p or "")):gmatch("%S+") do words[#words + 1] = w end
  return {
    surname = words[1], name = words[2],
    patronymic = #words > 2 and table.concat(words, " ", 3) or nil,
  }
end

-- A person's names in each case, as made (full_name, short), by the person's table (weak:
-- they go with the model): a region's documents name the same people again and again, and a
-- name is three parts looked up and a gender told. Only without a gender given (the person's
-- own decides, and nothing changes a person of a loaded model).
local named = setmetatable({}, { __mode = "k" })
local SHORT = 6 -- (short names kept after the six cases of full ones)

-- "Кухтачеву Ирину Владимировну" (the parts the person has, in the order of documents).
function declension.full_name(person, case, gender)
  local ci = case_index(case)
  local kept = gender == nil and type(person) == "table" and named[person]
  if kept and kept[ci] then return kept[ci] end
  local made = full_name_now(person, case, ci, gender)
  if gender == nil and type(person) == "table" then
    if not kept then kept = {}; named[person] = kept end
    kept[ci] = made
  end
  return made
end

full_name_now = function(person, case, ci, gender)
  local p = as_person(person)
  local g = declension.gender(p, gender)
  local parts = {}
  local function add(x) if x and x ~= "" then parts[#parts + 1] = x end end
  add(p.surname and decline_part("surname", p.surname, ci, g))
  add(p.name and decline_part("name", p.name, ci, g))
  if p.patronymic and p.patronymic ~= "" then
    add(declension.patronymic(p.patronymic, case, g))
  end
  return table.concat(parts, " ")
end

-- "Пенкина А.Н.": only the surname declines; a non-breaking space keeps the initials on
-- the surname's line.
function declension.short(person, case, gender)
  local ci = case_index(case)
  local kept = gender == nil and type(person) == "table" and named[person]
  if kept and kept[SHORT + ci] then return kept[SHORT + ci] end
  local made = short_now(person, ci, gender)
  if gender == nil and type(person) == "table" then
    if not kept then kept = {}; named[person] = kept end
    kept[SHORT + ci] = made
  end
  return made
end

short_now = function(person, ci, gender)
  local p = as_person(person)
  local g = declension.gender(p, gender)
  local initials = people.initial(p.name) .. people.initial(p.patronymic)
  local surname = decline_part("surname", p.surname or "", ci, g)
  if initials == "" then return surname end
  return surname .. NBSP .. initials
end

------------------------------------------------------------------------------------------
-- Posts: "учитель математики" -> "учителя математики". Only the head phrase declines: the
-- adjectives that open it and the noun they agree with; everything after that noun (a
-- genitive "директора", "по учебно-воспитательной работе") is a dependent and stays.
-- Posts name people, so the masculine accusative is the genitive (animate).
------------------------------------------------------------------------------------------

local POST_NOUN = {
  exceptions = {
    -- Stressed endings take -ом/-ём in the instrumental.
    rule("*", { "врач" }, SECOND_HARD),
    rule("*", { "секретарь" }, { "-я", "-ю", "-я", "-ём", "-е" }),
  },
  suffixes = merge(
    consonant_rules("*", SECOND_HARD, SECOND_HUSH),
    {
      rule("*", { "ь" }, SECOND_SOFT),
      rule("*", { "й" }, SECOND_SOFT),
      rule("*", { "ий" }, SECOND_IY),
      rule("*", { "а" }, FIRST_A),
      rule("*", VELAR_A, FIRST_A_VELAR),
      rule("*", HUSH_A, FIRST_A_HUSH),
      rule("*", { "ца" }, FIRST_A_TS),
      rule("*", { "я" }, FIRST_YA),
      rule("*", { "ия" }, FIRST_IYA),
    }
  ),
}
RULES.post_noun = POST_NOUN

local ADJECTIVE = {
  exceptions = {
    rule("*", { "большой" }, { "--ого", "--ому", "--ого", "--им", "--ом" }),
    rule("*", { "большая" }, { "--ой", "--ой", "--ую", "--ой", "--ой" }),
  },
  suffixes = {
    rule("*", { "ый", "ой" }, { "--ого", "--ому", "--ого", "--ым", "--ом" }),
    rule("*", { "кий", "гий", "хий" }, { "--ого", "--ому", "--ого", "--им", "--ом" }),
    rule("*", { "ий" }, { "--его", "--ему", "--его", "--им", "--ем" }),
    rule("*", { "кой", "гой", "хой" }, { "--ого", "--ому", "--ого", "--им", "--ом" }),
    rule("*", { "ая" }, { "--ой", "--ой", "--ую", "--ой", "--ой" }),
    rule("*", { "жая", "шая", "чая", "щая" }, { "--ей", "--ей", "--ую", "--ей", "--ей" }),
    rule("*", { "яя" }, { "--ей", "--ей", "--юю", "--ей", "--ей" }),
  },
}
RULES.adjective = ADJECTIVE

-- Participles and adjectives that are the post themselves, not a word agreeing with it:
-- "заведующий библиотекой", "старший вожатый", "исполняющий обязанности директора".
local SUBSTANTIVE = {}
for _, w in ipairs({ "заведующий", "заведующая", "управляющий", "управляющая", "исполняющий",
                     "исполняющая", "вожатый", "вожатая", "дежурный", "дежурная",
                     "ответственный", "ответственная", "уполномоченный", "уполномоченная",
                     "рабочий", "рабочая", "служащий", "служащая" }) do
  SUBSTANTIVE[w] = true
end

local function is_adjective(lower)
  if utf8.len(lower) < 4 then return false end
  return ends_any(lower, { "ый", "ий", "ой", "ая", "яя" }) ~= nil
end

-- The last piece of a hyphenated adjective declines ("научно-методический");
-- every piece of a hyphenated noun does ("педагог-психолог").
local function decline_adjective(word, ci)
  local head, last = word:match("^(.*%-)([^-]+)$")
  if not head then head, last = "", word end
  local r = find_rule("adjective", text.lower(last), "*")
  if not r then return word end
  return head .. apply(last, r.m[ci])
end

-- But a first part that is a fixed prefix of the compound does not decline: шеф-повар —
-- шеф-повара, генерал-майор — генерал-майора, вице-президент — вице-президента (Русский
-- орфографический словарь РАН под ред. В. В. Лопатина: «шеф-повар, шеф-повара»,
-- «генерал-майор, генерал-майора», «премьер-министр, премьер-министра»).
local FIXED_FIRST_PART = {}
for _, w in ipairs({ "шеф", "вице", "экс", "лейб", "обер", "унтер", "штаб", "генерал", "премьер",
                     "контр" }) do
  FIXED_FIRST_PART[w] = true
end

local function decline_noun(word, ci)
  local pieces = {}
  for piece in (word .. "-"):gmatch("(.-)%-") do pieces[#pieces + 1] = piece end
  for i, piece in ipairs(pieces) do
    local lower = text.lower(piece)
    if i == #pieces or not FIXED_FIRST_PART[lower] then
      local r = find_rule("post_noun", lower, "*")
      if r then pieces[i] = apply(piece, r.m[ci]) end
    end
  end
  return table.concat(pieces, "-")
end

-- Abbreviations ("МБОУ", "УВР", "и.о.") are never declined and end the head phrase.
local function is_abbreviation(word)
  if word:find(".", 1, true) then return true end
  local n = utf8.len(word) or 0
  return n <= 4 and text.upper(word) == word and text.lower(word) ~= word
end

-- Endings of the nouns that name a post (учитель, методист, педагог, психолог, директор,
-- бухгалтер, секретарь, учительница, завуч, лаборант): after a comma a new post starts only
-- if its head looks like one of these, so "учитель истории, обществознания" keeps its
-- second genitive.
local POST_HEADS = { "тель", "ник", "лог", "гог", "ист", "тор", "сор", "ер", "ед", "арь",
                     "ица", "ач", "уч", "ант", "ент", "ар", "ор", "сестра", "ёр" }

local function looks_like_post(words)
  for _, item in ipairs(words) do
    local lower = text.lower(item.word)
    if SUBSTANTIVE[lower] then return true end
    if not is_adjective(lower) then return ends_any(lower, POST_HEADS) ~= nil end
  end
  return false
end

-- Declines the head phrase of one post; `words` are the post's words, each with the
-- separator that follows it.
local function decline_head(words, ci)
  for i, item in ipairs(words) do
    local w = item.word
    local lower = text.lower(w)
    local next_word = words[i + 1] and text.lower(words[i + 1].word)
    local reflexive = ends(lower, "ся") and is_adjective(lower:sub(1, -5))
    if is_abbreviation(w) then
      return
    elseif reflexive then
      -- A reflexive participle used as a noun is the head: "обучающийся 7 класса" ->
      -- "обучающегося 7 класса"; the stem declines as an adjective, "ся" stays.
      item.word = decline_adjective(w:sub(1, -5), ci) .. w:sub(-4)
      return
    elseif ends(lower, "о") and next_word and is_adjective(next_word) then
      -- An adverb before a participle: "временно исполняющий обязанности".
    elseif is_adjective(lower) then
      item.word = decline_adjective(w, ci)
      -- A participle used as a noun is the head itself; the words after it depend on it.
      if SUBSTANTIVE[lower] then return end
    else
      item.word = decline_noun(w, ci)
      return
    end
  end
end

-- "учитель математики" -> "учителя математики" (genitive). The spacing of the post is kept
-- as written. Several posts joined by commas ("учитель математики, классный руководитель
-- 7 «Б» класса") decline each.
local function post_now(_, post, ci)
  local segments, current = {}, {}
  local lead = post:match("^%s*")
  for word, sep in post:gmatch("(%S+)(%s*)") do
    -- the commas and semicolons at the end, counted from the end (the pattern
    -- "^(.-)([,;]*)$" is quadratic in a long run of them)
    local stop = #word
    while stop > 0 and (word:byte(stop) == 44 or word:byte(stop) == 59) do stop = stop - 1 end
    local core, punct = word:sub(1, stop), word:sub(stop + 1)
    if core == "" then core, punct = word, "" end
    current[#current + 1] = { word = core, sep = punct .. sep }
    if punct ~= "" then
      segments[#segments + 1] = current
      current = {}
    end
  end
  if #current > 0 then segments[#segments + 1] = current end
  local out = { lead }
  for k, words in ipairs(segments) do
    if k == 1 or looks_like_post(words) then decline_head(words, ci) end
    for _, item in ipairs(words) do out[#out + 1] = item.word .. item.sep end
  end
  return table.concat(out)
end

function declension.post(post, case)
  local ci = case_index(case)
  if post == nil or ci == 0 then return post end
  return remembered("post", ci, nil, post, post_now)
end

------------------------------------------------------------------------------------------
-- Organisations: "Управление образования администрации …" -> "Управления образования
-- администрации …" (genitive: "приказом Управления образования"). As with posts only the head
-- phrase declines — the adjectives that open it and the noun they agree with; what follows
-- (a genitive, a name in quotes) stays. A name that opens with an abbreviation ("МБОУ «СШ
-- № 1»", "МКУ «Управление образования»") is not declined at all, as Russian writes it.
-- Organisations are inanimate: their masculine and neuter accusative is the nominative. A head
-- noun of another shape than these is not guessed: nil, and the caller says so.
------------------------------------------------------------------------------------------

local ORG_NOUN = {
  exceptions = {},
  suffixes = merge(
    -- комитет, отдел, департамент, центр, район; колледж — колледжем
    consonant_rules("*", { "а", "у", ".", "ом", "е" }, { "а", "у", ".", "ем", "е" }),
    {
      rule("*", { "й" }, { "-я", "-ю", ".", "-ем", "-е" }), -- лицей
      rule("*", { "ие" }, { "-я", "-ю", ".", "м", "-и" }), -- управление, учреждение
      rule("*", { "ство" }, { "-а", "-у", ".", "-ом", "-е" }), -- министерство, агентство
      rule("*", { "а" }, FIRST_A), -- служба, школа, палата
      rule("*", VELAR_A, FIRST_A_VELAR),
      rule("*", HUSH_A, FIRST_A_HUSH),
      rule("*", { "ца" }, FIRST_A_TS),
      rule("*", { "ия" }, FIRST_IYA), -- администрация, гимназия, инспекция
    }
  ),
}
RULES.org_noun = ORG_NOUN

-- Adjectives of the three genders, the neuter among them ("Муниципальное бюджетное
-- учреждение", "городское").
local ORG_ADJECTIVE = {
  exceptions = ADJECTIVE.exceptions,
  suffixes = merge(ADJECTIVE.suffixes, {
    rule("*", { "ое" }, { "--ого", "--ому", ".", "--ым", "--ом" }),
    rule("*", { "кое", "гое", "хое" }, { "--ого", "--ому", ".", "--им", "--ом" }),
    rule("*", { "ее" }, { "--его", "--ему", ".", "--им", "--ем" }),
  }),
}
RULES.org_adjective = ORG_ADJECTIVE

local function organisation_now(_, name, ci)
  local words = {}
  for word, sep in name:gmatch("(%S+)(%s*)") do words[#words + 1] = { word = word, sep = sep } end
  local first = words[1] and words[1].word
  -- (an abbreviation of any length: "КГБПОУ", "МБОУ")
  if not first or (text.upper(first) == first and text.lower(first) ~= first) then return name end
  local head
  for i, item in ipairs(words) do
    local lower = text.lower(item.word)
    if not (utf8.len(lower) >= 4 and ends_any(lower, { "ый", "ий", "ой", "ая", "яя", "ое", "ее" })) then
      head = i
      break
    end
  end
  if not head then return nil end
  -- every piece of a compound noun declines: "школа-интернат" -> "школы-интерната"
  local pieces, rules = {}, {}
  for piece in (words[head].word .. "-"):gmatch("(.-)%-") do
    pieces[#pieces + 1] = piece
    rules[#pieces] = find_rule("org_noun", text.lower(piece), "*")
    if not rules[#pieces] then return nil end
  end
  -- a name in quotes is not declined ("«Управление образования»" is not its head phrase)
  for i = 1, head do
    for _, quote in ipairs({ "«", "\"", "„", "“" }) do
      if words[i].word:find(quote, 1, true) then return nil end
    end
  end
  -- the accusative of a masculine or neuter head is its nominative
  local feminine = ends_any(text.lower(pieces[1]), { "а", "я" }) ~= nil
  if ci == 3 and not feminine then return name end
  local out = { name:match("^%s*") }
  for i, item in ipairs(words) do
    local w = item.word
    if i < head then
      w = apply(w, find_rule("org_adjective", text.lower(w), "*").m[ci])
    elseif i == head then
      local declined = {}
      for k, piece in ipairs(pieces) do declined[k] = apply(piece, rules[k].m[ci]) end
      w = table.concat(declined, "-")
    end
    out[#out + 1] = w .. item.sep
  end
  return table.concat(out)
end

function declension.organisation(name, case)
  local ci = case_index(case)
  if name == nil or ci == 0 then return name end
  return remembered("organisation", ci, nil, name, organisation_now)
end

-- The rule tables, for the curious and for tests that check their shape.
declension.rules = RULES

return declension
