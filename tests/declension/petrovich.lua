-- A port of petrovich-ruby (https://github.com/petrovich/petrovich-ruby, MIT) to Lua, for
-- comparison only: eval.lua measures it beside nastavnik on the same data. The generator
-- never uses it. It reads the rules of a petrovich-rules checkout (rules.json, gender.json;
-- https://github.com/petrovich/petrovich-rules, MIT), which are not in this repository.
--
-- What is ported, as petrovich-ruby does it: the case rules are tried in the file's order
-- (exceptions, whole words, before suffixes) and the first that fits wins; with the gender
-- known the rules of that gender come first, then the androgynous and male ones; a
-- hyphenated name is declined piece by piece; a modification drops a letter per "-" and
-- adds the rest. The gender of a full name is inferred as Petrovich::Gender.detect does.

local text = require "nastavnik.text"

local petrovich = {}

-- A small JSON reader: enough for the two rule files (objects, arrays, strings, numbers).
local function decode_json(s)
  local pos = 1
  local function space() pos = s:find("[^ \t\r\n]", pos) or #s + 1 end
  local value
  local function str()
    local out = {}
    pos = pos + 1
    while true do
      local c = s:sub(pos, pos)
      if c == '"' then pos = pos + 1; return table.concat(out) end
      if c == "\\" then
        local e = s:sub(pos + 1, pos + 1)
        if e == "u" then
          out[#out + 1] = utf8.char(tonumber(s:sub(pos + 2, pos + 5), 16))
          pos = pos + 6
        else
          out[#out + 1] = ({ n = "\n", t = "\t", r = "\r", b = "\b", f = "\f" })[e] or e
          pos = pos + 2
        end
      else
        out[#out + 1] = c
        pos = pos + 1
      end
    end
  end
  function value()
    space()
    local c = s:sub(pos, pos)
    if c == "{" then
      local t = {}
      pos = pos + 1
      space()
      if s:sub(pos, pos) == "}" then pos = pos + 1; return t end
      while true do
        space()
        local k = str()
        space()
        assert(s:sub(pos, pos) == ":", "json: ':' expected")
        pos = pos + 1
        t[k] = value()
        space()
        local d = s:sub(pos, pos)
        pos = pos + 1
        if d == "}" then return t end
        assert(d == ",", "json: ',' expected")
      end
    elseif c == "[" then
      local t = {}
      pos = pos + 1
      space()
      if s:sub(pos, pos) == "]" then pos = pos + 1; return t end
      while true do
        t[#t + 1] = value()
        space()
        local d = s:sub(pos, pos)
        pos = pos + 1
        if d == "]" then return t end
        assert(d == ",", "json: ',' expected")
      end
    elseif c == '"' then
      return str()
    else
      local literal = s:match("^[%w.+-]+", pos)
      pos = pos + #literal
      if literal == "true" then return true elseif literal == "false" then return false
      elseif literal == "null" then return nil end
      return tonumber(literal)
    end
  end
  return value()
end

local function read_json(path)
  local f = assert(io.open(path, "r"))
  local s = f:read("a")
  f:close()
  return decode_json(s)
end

local function ends(s, suffix) return #s >= #suffix and s:sub(-#suffix) == suffix end

local PARTS = { surname = "lastname", name = "firstname", patronymic = "middlename" }
local CASE_INDEX = { genitive = 1, dative = 2, accusative = 3, instrumental = 4, prepositional = 5 }

local Petrovich = {}
Petrovich.__index = Petrovich

-- petrovich.load(dir): the rules of a petrovich-rules checkout.
function petrovich.load(dir)
  local rules = read_json(dir .. "/rules.json")
  local gender = read_json(dir .. "/gender.json").gender
  local self = setmetatable({ case_rules = {}, gender_rules = {}, gender_exceptions = {} }, Petrovich)
  for _, as in ipairs({ "lastname", "firstname", "middlename" }) do
    local list = {}
    for _, section in ipairs({ "exceptions", "suffixes" }) do
      for _, entry in ipairs(rules[as][section] or {}) do
        local mods = {}
        for i, m in ipairs(entry.mods) do
          mods[i] = { offset = select(2, m:gsub("%-", "")), suffix = m:gsub("[.-]", "") }
        end
        list[#list + 1] = { gender = entry.gender, exception = section == "exceptions",
                            tests = entry.test, mods = mods }
      end
    end
    self.case_rules[as] = list

    -- Gender rules: the longest suffix first (Ruby sorts by -length), exceptions by word.
    local g_rules, g_exceptions = {}, {}
    for _, section in ipairs({ "androgynous", "male", "female" }) do
      for _, suffix in ipairs((gender[as].suffixes or {})[section] or {}) do
        g_rules[#g_rules + 1] = { gender = section, suffix = suffix, order = #g_rules }
      end
      for _, word in ipairs((gender[as].exceptions or {})[section] or {}) do
        g_exceptions[word] = section
      end
    end
    table.sort(g_rules, function(a, b)
      local la, lb = utf8.len(a.suffix), utf8.len(b.suffix)
      if la ~= lb then return la > lb end
      return a.order < b.order
    end)
    self.gender_rules[as], self.gender_exceptions[as] = g_rules, g_exceptions
  end
  return self
end

-- Case::Rule#match?
local function matches(rule, lower, gender, known)
  if known then
    if gender ~= rule.gender then return false end
  else
    if rule.gender ~= "female" and gender == "female" then return false end
    if rule.gender == "female" and gender ~= "female" then return false end
  end
  for _, t in ipairs(rule.tests) do
    if rule.exception then
      if lower == t then return true end
    elseif ends(lower, t) then
      return true
    end
  end
  return false
end

function Petrovich:find_case_rule(as, piece, gender, known)
  local lower = text.lower(piece)
  for _, r in ipairs(self.case_rules[as]) do
    if matches(r, lower, gender, known) then return r end
  end
  for _, r in ipairs(self.case_rules[as]) do
    if matches(r, lower, "androgynous", false) then return r end
  end
  return nil
end

-- Inflector#inflect: every piece of a hyphenated name with its own rule; the gender is
-- "known" only for the last piece, as in RuleSet#find_all_case_rules.
function Petrovich:inflect(as, value, case, gender, known)
  local ci = CASE_INDEX[case]
  if not ci or value == nil then return value end
  local pieces = {}
  for piece in (value .. "-"):gmatch("(.-)%-") do pieces[#pieces + 1] = piece end
  for i, piece in ipairs(pieces) do
    local r = self:find_case_rule(as, piece, gender, known and i == #pieces)
    if r then
      local m = r.mods[ci]
      local n = utf8.len(piece)
      local keep = n - m.offset
      local stem = keep <= 0 and "" or piece:sub(1, (utf8.offset(piece, keep + 1) or #piece + 1) - 1)
      pieces[i] = stem .. m.suffix
    end
  end
  return table.concat(pieces, "-")
end

-- One part with the gender given ("male" or "female").
function Petrovich:inflect_part(part, value, case, gender)
  return self:inflect(PARTS[part], value, case, gender, true)
end

-- Gender.detect: the patronymic decides, then the part whose gender is known when the other
-- is androgynous, then the only gender all parts agree on; otherwise nil.
function Petrovich:detect_gender(parts)
  local genders = {}
  for _, as in ipairs({ "lastname", "firstname", "middlename" }) do
    local value = parts[as]
    if value then
      for piece in (value .. "-"):gmatch("(.-)%-") do
        local lower = text.lower(piece)
        local g = self.gender_exceptions[as][lower]
        if not g then
          for _, r in ipairs(self.gender_rules[as]) do
            if ends(lower, r.suffix) then g = r.gender; break end
          end
        end
        genders[as] = g or "androgynous"
      end
    end
  end
  if genders.middlename and genders.middlename ~= "androgynous" then return genders.middlename end
  local seen, distinct = {}, {}
  for _, as in ipairs({ "lastname", "firstname", "middlename" }) do
    local g = genders[as]
    if g and not seen[g] then seen[g] = true; distinct[#distinct + 1] = g end
  end
  if #distinct > 1 then
    if genders.firstname ~= "androgynous" and genders.lastname == "androgynous" then return genders.firstname end
    if genders.lastname ~= "androgynous" and genders.firstname == "androgynous" then return genders.lastname end
  end
  if #distinct == 1 then return distinct[1] end
  return nil
end

-- A full name with the gender inferred (Petrovich(lastname:, firstname:, middlename:)).
function Petrovich:inflect_full(surname, name, patronymic, case)
  local parts = { lastname = surname, firstname = name, middlename = patronymic }
  local gender = self:detect_gender(parts)
  local out = {}
  for _, as in ipairs({ "lastname", "firstname", "middlename" }) do
    if parts[as] then out[#out + 1] = self:inflect(as, parts[as], case, gender, false) end
  end
  return table.concat(out, " ")
end

return petrovich
