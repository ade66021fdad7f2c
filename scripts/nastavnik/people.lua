-- People: splitting a full name, the short forms documents print, the gender a patronymic
-- tells, and the registry that resolves "Пенкин А.Н." to the person described once.

local text = require "nastavnik.text"

local people = {}

local NBSP = "\u{a0}"

-- "Пенкин Александр Николаевич" -> "Пенкин", "Александр", "Николаевич". A patronymic of
-- several words ("Гусейн оглы") stays whole.
function people.split(full)
  full = text.plain_spaces(full)
  -- (the usual «Фамилия Имя Отчество», three words and two single spaces, told by one match)
  local surname, name, patronymic = full:match("^(%S+) (%S+) (%S+)$")
  if surname then return surname, name, patronymic end
  local words = {}
  for w in full:gmatch("%S+") do words[#words + 1] = w end
  local surname, name = words[1], words[2]
  local patronymic = #words > 2 and table.concat(words, " ", 3) or nil
  return surname, name, patronymic
end

-- "А." for "Александр", "А.-М." for "Анна-Мария"; a name already given as initials ("А.Н.")
-- stays as written.
local function initial_of(word)
  if word:find(".", 1, true) then return word end
  local parts = {}
  for part in word:gmatch("[^-]+") do
    parts[#parts + 1] = utf8.char(utf8.codepoint(part, 1)) .. "."
  end
  return table.concat(parts, "-")
end
-- (remembered: a region's people share their first names and patronymics, and every person's
-- initials are made again for its keys and its printed forms)
local initial_remembered = text.memo(initial_of, 2000)
function people.initial(word)
  if not word or word == "" then return "" end
  return initial_remembered(word)
end

-- Gender from the patronymic (the most reliable sign in Russian), else nil. Remembered: a
-- region's people share their patronymics.
local gender_of = text.memo(function(patronymic)
  local p = text.lower(patronymic)
  if p:match("вич$") or p:match("оглы$") or p:match("ич$") then return "м" end
  if p:match("вна$") or p:match("чна$") or p:match("кызы$") or p:match("ична$") then return "ж" end
  return false
end, 2000)
function people.gender(person)
  return person.patronymic and gender_of(person.patronymic) or nil
end

-- Adds the forms documents print: full ("Пенкин Александр Николаевич"), short for lists
-- ("Пенкин А.Н.") and signature ("А.Н. Пенкин"), with non-breaking spaces so a line never
-- parts initials from the surname.
function people.complete(person)
  local initials = people.initial(person.name) .. people.initial(person.patronymic)
  local parts = { person.surname, person.name, person.patronymic }
  person.full = table.concat(parts, " ")
  person.short = person.surname .. NBSP .. initials
  person.signature = initials .. NBSP .. person.surname
  return person
end

-- The keys a person may be referred to by: all spaces dropped, case and ё folded.
-- Remembered: a description refers to the same people again and again (pairs, orders,
-- the roadmap's responsible), and each person's own keys are made twice.
local key = text.memo(function(s)
  s = text.plain_spaces(text.lower(s))
  -- (each gsub only when there is something to replace: see text.plain_spaces)
  if s:find("%s") then s = s:gsub("%s", "") end
  if s:find("ё", 1, true) then s = s:gsub("ё", "е") end
  return s
end, 4000)

local function keys_of(person)
  local initials = people.initial(person.name) .. people.initial(person.patronymic)
  local ks = { key(person.full), key(person.surname .. initials), key(initials .. person.surname) }
  if person.id then ks[#ks + 1] = key(person.id) end
  return ks
end

-- Whether `reference` («Иванова М.П.», «Иванова Мария Петровна», «М.П. Иванова», any spacing,
-- case or ё) names the person.
function people.named(person, reference)
  local k = key(reference)
  for _, candidate in ipairs(keys_of(person)) do
    if candidate == k then return true end
  end
  return false
end

local Registry = {}
Registry.__index = Registry

-- A registry of people; lookups fall back to the parent (a municipality's staff for its
-- organisations).
function people.registry(parent)
  return setmetatable({ list = {}, by_key = {}, parent = parent }, Registry)
end

-- Adds a person; returns the person described earlier under the same full name, if any
-- (the caller reports the duplicate). `shared` adds a person described elsewhere without
-- listing it here. A key two people share ("Иванова М.П." for Мария Петровна and Марина
-- Павловна) keeps both, so that the message can name them.
function Registry:add(person, shared)
  local keys = keys_of(person) -- (the first: key(person.full))
  local same = self.by_key[keys[1]]
  if same and not same.ambiguous and not shared then return same end
  if not shared then self.list[#self.list + 1] = person end
  for _, k in ipairs(keys) do
    local known = self.by_key[k]
    if known and known.ambiguous then
      known.ambiguous[#known.ambiguous + 1] = person
    elseif known and known ~= person then
      self.by_key[k] = { ambiguous = { known, person } }
    else
      self.by_key[k] = person
    end
  end
end

-- The person a reference names; or nil, "ambiguous", the people it may mean; or nil,
-- "unknown".
function Registry:find(reference)
  local k = key(reference)
  local r = self
  while r do
    local found = r.by_key[k]
    if found and found.ambiguous then return nil, "ambiguous", found.ambiguous end
    if found then return found end
    r = r.parent
  end
  return nil, "unknown"
end

return people
