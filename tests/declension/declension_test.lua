-- Tests of scripts/nastavnik/declension.lua: the full names of names.tsv in six cases (and
-- their short forms "Пенкина А.Н."), the posts of posts.tsv, gender detection and the API's
-- edges. Run as: lua5.4 declension_test.lua <folder of names.tsv>, with package.path set
-- to the scripts folder. Prints every failure and exits non-zero if there is any.

local declension = require "nastavnik.declension"

local dir = arg[1] or "."
local NBSP = "\u{a0}"
local CASES = { "nominative", "genitive", "dative", "accusative", "instrumental", "prepositional" }

local failures = 0
local checks = 0

local function check(what, case, expected, got)
  checks = checks + 1
  if expected ~= got then
    failures = failures + 1
    print(string.format("FAIL %s [%s]: expected %q, got %q", what, case, tostring(expected),
      tostring(got)))
  end
end

-- Rows of a tab-separated file, comments and blank lines skipped.
local function rows(name)
  local f = assert(io.open(dir .. "/" .. name, "r"))
  local out = {}
  for line in f:lines() do
    if line ~= "" and line:sub(1, 1) ~= "#" then
      local cols = {}
      for col in (line .. "\t"):gmatch("(.-)\t") do cols[#cols + 1] = col end
      out[#out + 1] = cols
    end
  end
  f:close()
  return out
end

local function split(full)
  local w = {}
  for x in full:gmatch("%S+") do w[#w + 1] = x end
  return { surname = w[1], name = w[2], patronymic = #w > 2 and table.concat(w, " ", 3) or nil }
end

local function initials(p)
  local s = ""
  for _, part in ipairs({ p.name, p.patronymic }) do
    if part then
      local pieces = {}
      for piece in part:gmatch("[^-]+") do pieces[#pieces + 1] = utf8.char(utf8.codepoint(piece)) .. "." end
      s = s .. table.concat(pieces, "-")
    end
  end
  return s
end

-- Full names: the gender comes from the name itself; the table's gender must agree.
local names = rows("names.tsv")
for _, r in ipairs(names) do
  local gender, nominative = r[1], r[2]
  local person = split(nominative)
  check(nominative, "gender", gender, declension.gender(person))
  for i, case in ipairs(CASES) do
    local expected = r[i + 1]
    check(nominative, case, expected, declension.full_name(person, case))
    -- The same from the string form and from the Russian case names.
    if i == 2 then
      check(nominative, "род (string)", expected, declension.full_name(nominative, "род"))
    end
    -- The parts one by one, with the gender given.
    local e = split(expected)
    check(nominative, case .. " surname", e.surname, declension.surname(person.surname, case, gender))
    check(nominative, case .. " name", e.name, declension.name(person.name, case, gender))
    if person.patronymic then
      check(nominative, case .. " patronymic", e.patronymic,
        declension.patronymic(person.patronymic, case, gender))
    end
    -- The short form: the declined surname, a non-breaking space, the initials unchanged.
    check(nominative, case .. " short", e.surname .. NBSP .. initials(person),
      declension.short(person, case))
  end
end

-- Posts, and organisations (the issuer in an approval stamp: "приказом Управления образования").
local posts = rows("posts.tsv")
for _, set in ipairs({ { "post", posts }, { "organisation", rows("organisations.tsv") } }) do
  local what, list = set[1], set[2]
  for _, r in ipairs(list) do
    for i, case in ipairs(CASES) do
      check(what .. " " .. r[1], case, r[i], declension[what](r[1], case))
    end
  end
end
-- A head noun of another shape is not guessed.
for _, name in ipairs({ "«Управление образования»", "Бюро образования", "ЦЗН г. Лесосибирска" }) do
  check("organisation " .. name, "genitive", name:find("ЦЗН") and name or "nil",
    tostring(declension.organisation(name, "genitive")))
end

-- The examples of the brief and the edges of the API.
local eq = function(what, expected, got) check(what, "-", expected, got) end
eq("brief accusative", "Кухтачеву Ирину Владимировну",
  declension.full_name({ surname = "Кухтачева", name = "Ирина", patronymic = "Владимировна" }, "accusative"))
eq("brief surname", "Пенкина", declension.surname("Пенкин", "genitive", "м"))
eq("brief name", "Ирине", declension.name("Ирина", "dative", "ж"))
eq("brief patronymic", "Николаевичем", declension.patronymic("Николаевич", "instrumental"))
eq("brief short", "Пенкина" .. NBSP .. "А.Н.",
  declension.short({ surname = "Пенкин", name = "Александр", patronymic = "Николаевич" }, "genitive"))
eq("brief post", "учителя математики", declension.post("учитель математики", "genitive"))

-- Russian case names.
local ru = { "им", "род", "дат", "вин", "твор", "пред" }
local ivanov = { "Иванов", "Иванова", "Иванову", "Иванова", "Ивановым", "Иванове" }
for i, c in ipairs(ru) do eq("case " .. c, ivanov[i], declension.surname("Иванов", c, "м")) end
eq("unknown case raises", false, (pcall(declension.surname, "Иванов", "аблатив", "м")))

-- Gender: patronymic, then first name, then surname, then the caller's word.
eq("gender patronymic", "ж", declension.gender({ surname = "Гаврилюк", name = "Саша", patronymic = "Петровна" }))
eq("gender оглы", "м", declension.gender({ surname = "Мамедов", name = "Эльчин", patronymic = "Гусейн оглы" }))
eq("gender кызы", "ж", declension.gender({ surname = "Алиева", name = "Лейла", patronymic = "Гусейн кызы" }))
eq("gender name", "м", declension.gender({ surname = "Гаврилюк", name = "Никита" }))
eq("gender name Любовь", "ж", declension.gender({ surname = "Гаврилюк", name = "Любовь" }))
eq("gender name Игорь", "м", declension.gender({ surname = "Гаврилюк", name = "Игорь" }))
eq("gender surname", "ж", declension.gender({ surname = "Петровская", name = "Саша" }))
eq("gender surname м", "м", declension.gender({ surname = "Петров" }))
eq("gender unknown", nil, declension.gender({ surname = "Гаврилюк", name = "Саша" }))
eq("gender fallback", "ж", declension.gender({ surname = "Гаврилюк", name = "Саша" }, "ж"))
eq("gender record", "м", declension.gender({ surname = "Гаврилюк", name = "Саша", gender = "м" }))
eq("full name with the caller's gender", "Гаврилюку Саше",
  declension.full_name({ surname = "Гаврилюк", name = "Саша" }, "dative", "м"))
eq("full name with the caller's gender ж", "Гаврилюк Саше",
  declension.full_name({ surname = "Гаврилюк", name = "Саша" }, "dative", "ж"))
eq("unknown gender leaves a consonant surname", "Гаврилюк", declension.surname("Гаврилюк", "genitive"))
eq("surname gender from the ending", "Петровой", declension.surname("Петрова", "genitive"))

-- Foreign surnames in a vowel and the brief's other examples.
for _, s in ipairs({ "Гюго", "Дюма", "Шоу", "Верди", "Гёте", "Золя", "Гарсиа", "Моруа" }) do
  eq("indeclinable " .. s, s, declension.surname(s, "instrumental", "м"))
end
eq("Жолио-Кюри", "Жолио-Кюри", declension.surname("Жолио-Кюри", "genitive", "м"))
eq("Склодовская-Кюри", "Склодовской-Кюри", declension.surname("Склодовская-Кюри", "genitive", "ж"))
eq("Гайдар ж", "Гайдар", declension.surname("Гайдар", "dative", "ж"))
eq("Шевчук м", "Шевчуку", declension.surname("Шевчук", "dative", "м"))
eq("Анна-Мария", "Анны-Марии", declension.name("Анна-Мария", "genitive", "ж"))
eq("short Анна-Мария", "Петровой" .. NBSP .. "А.-М.И.",
  declension.short({ surname = "Петрова", name = "Анна-Мария", patronymic = "Ивановна" }, "dative"))
eq("short without patronymic", "Гаврилюка" .. NBSP .. "О.",
  declension.short({ surname = "Гаврилюк", name = "Олег" }, "genitive"))
eq("short оглы", "Мамедову" .. NBSP .. "Э.Г.", declension.short("Мамедов Эльчин Гусейн оглы", "dative"))
eq("capitals kept", "ПЕНКИНУ АЛЕКСАНДРУ НИКОЛАЕВИЧУ",
  declension.full_name("ПЕНКИН АЛЕКСАНДР НИКОЛАЕВИЧ", "dative"))
eq("Петр without ё", "Петра", declension.name("Петр", "genitive", "м"))
eq("initial untouched", "А.", declension.name("А.", "genitive", "м"))
eq("nil word", nil, declension.surname(nil, "genitive", "м"))
eq("empty post", "", declension.post("", "genitive"))
eq("female names in a hard consonant", "Кэтрин", declension.name("Кэтрин", "genitive", "ж"))
eq("Шульц", "Шульцем", declension.surname("Шульц", "instrumental", "м"))
eq("Кац", "Кацем", declension.surname("Кац", "instrumental", "м"))
eq("Швец", "Швецем", declension.surname("Швец", "instrumental", "м"))
eq("Цой", "Цою", declension.surname("Цой", "dative", "м"))
eq("short from initials", "Пенкина" .. NBSP .. "А.Н.", declension.short("Пенкин А.Н.", "genitive"))
eq("full name from initials", "Пенкину А.Н.", declension.full_name("Пенкин А.Н.", "dative"))
eq("short ж", "Кухтачевой" .. NBSP .. "И.В.", declension.short("Кухтачева Ирина Владимировна", "instrumental"))
eq("short ж consonant", "Гаврилюк" .. NBSP .. "О.П.", declension.short("Гаврилюк Оксана Петровна", "genitive"))
eq("short м consonant", "Гаврилюку" .. NBSP .. "О.П.", declension.short("Гаврилюк Олег Петрович", "dative"))
eq("short Долгих", "Долгих" .. NBSP .. "В.И.", declension.short("Долгих Владимир Иванович", "dative"))
eq("short hyphen", "Римского-Корсакова" .. NBSP .. "Н.А.",
  declension.short("Римский-Корсаков Николай Андреевич", "accusative"))
eq("short nominative", "Пенкин" .. NBSP .. "А.Н.", declension.short("Пенкин Александр Николаевич", "им"))
eq("case by full Russian name", "Пенкиным", declension.surname("Пенкин", "творительный", "м"))
eq("Нелли", "Нелли", declension.name("Нелли", "dative", "ж"))

-- The classes of issue 17 (measured at large by eval.lua over petrovich-eval).
eq("fleeting е", "Гришковца", declension.surname("Гришковец", "genitive", "м"))
eq("fleeting е, instrumental", "Гришковцем", declension.surname("Гришковец", "instrumental", "м"))
eq("е after a vowel", "Бабайца", declension.surname("Бабаец", "genitive", "м"))
eq("short -ец keeps е", "Кобеца", declension.surname("Кобец", "genitive", "м"))
eq("agent -вец", "Кравца", declension.surname("Кравец", "genitive", "м"))
eq("fleeting о", "Починка", declension.surname("Починок", "genitive", "м"))
eq("double surname, fixed first part", "Бонч-Бруевича", declension.surname("Бонч-Бруевич", "genitive", "м"))
eq("Сент-Экзюпери", "Сент-Экзюпери", declension.surname("Сент-Экзюпери", "genitive", "м"))
eq("Корвин-Круковская", "Корвин-Круковской", declension.surname("Корвин-Круковская", "genitive", "ж"))
eq("Немирович-Данченко", "Немировича-Данченко", declension.surname("Немирович-Данченко", "genitive", "м"))
eq("-ем after ш", "Бушем", declension.surname("Буш", "instrumental", "м"))
eq("-ем after ш", "Келдышем", declension.surname("Келдыш", "instrumental", "м"))
eq("German -их", "Рериха", declension.surname("Рерих", "genitive", "м"))
eq("Russian -их", "Седых", declension.surname("Седых", "genitive", "м"))
eq("noun in -а", "Бовы", declension.surname("Бова", "genitive", "ж"))
eq("Львова", "Львовой", declension.surname("Львова", "genitive", "ж"))
eq("Грин", "Грином", declension.surname("Грин", "instrumental", "м"))
eq("Гудзий", "Гудзия", declension.surname("Гудзий", "genitive", "м"))
eq("Айгуль", "Айгуль", declension.name("Айгуль", "genitive", "ж"))
eq("Эсфирь", "Эсфири", declension.name("Эсфирь", "genitive", "ж"))
eq("Нинель", "Нинелью", declension.name("Нинель", "instrumental", "ж"))
eq("Алия", "Алие", declension.name("Алия", "dative", "ж"))
eq("Алия instrumental", "Алиёй", declension.name("Алия", "instrumental", "ж"))
eq("Мария", "Марии", declension.name("Мария", "dative", "ж"))
eq("Жан-Поль", "Жан-Поля", declension.name("Жан-Поль", "genitive", "м"))
eq("Мкртич", "Мкртичом", declension.name("Мкртич", "instrumental", "м"))
eq("Игорёк", "Игорька", declension.name("Игорёк", "genitive", "м"))
eq("Козьмич", "Козьмичом", declension.patronymic("Козьмич", "instrumental", "м"))
eq("шеф-повар", "шеф-поваром", declension.post("шеф-повар", "instrumental"))

if failures > 0 then
  print(string.format("declension: %d of %d checks failed", failures, checks))
  os.exit(1)
end
print(string.format("declension: %d posts × 6 cases, %d checks in all", #posts, checks))
print(string.format("declension: %d names × 6 cases ok", #names))
