-- Measures scripts/nastavnik/declension.lua on petrovich-eval (the sets in petrovich-eval/,
-- see its README.md): surnames, first names and patronymics with the gender given, and
-- full names whose gender the decliner must infer. Prints the accuracy per set, per gender
-- and per case; with --petrovich, the same for a port of petrovich-ruby (petrovich.lua
-- beside this file) over a checkout of petrovich-rules, side by side.
--
--   lua5.4 tests/declension/eval.lua [--petrovich DIR] [--errors FILE] [--raw]
--                                    [--min SET=PERCENT]...
--
-- (package.path must reach scripts/: run it from the repository's top folder, or set it
-- as tests/declension/CMakeLists.txt does.) --min makes the run fail when nastavnik's
-- accuracy on a set (all its forms) falls below the figure; --errors writes every form
-- either decliner gets wrong, for reading; --raw scores against the reference as it is,
-- without petrovich-eval/corrections.tsv.

local here = arg[0]:match("^(.*)/[^/]*$") or "."
package.path = here .. "/../../scripts/?.lua;" .. here .. "/?.lua;" .. package.path

local text = require "nastavnik.text"
local declension = require "nastavnik.declension"

local data = here .. "/petrovich-eval"
local CASES = { "nominative", "genitive", "dative", "accusative", "instrumental", "prepositional" }
local CASE_SHORT = { "им", "рд", "дт", "вн", "тв", "пр" }
local SETS = {
  { key = "surnames", file = "surnames.tsv", part = "surname", title = "surnames" },
  { key = "firstnames", file = "firstnames.tsv", part = "name", title = "first names" },
  { key = "patronymics", file = "patronymics.tsv", part = "patronymic", title = "patronymics" },
  { key = "fullnames", title = "full names (gender inferred)" },
}

local options = { min = {} }
do
  local i = 1
  while arg[i] do
    local a = arg[i]
    if a == "--petrovich" then options.petrovich = arg[i + 1]; i = i + 1
    elseif a == "--errors" then options.errors = arg[i + 1]; i = i + 1
    elseif a == "--raw" then options.raw = true
    elseif a == "--min" then
      local set, figure = arg[i + 1]:match("^([%w]+)=([%d.]+)$")
      assert(set, "--min SET=PERCENT")
      options.min[set] = tonumber(figure)
      i = i + 1
    else error("unknown argument " .. a) end
    i = i + 1
  end
end

local function lines(path)
  local f = assert(io.open(path, "r"))
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

-- The same notation as the rule sets: each "-" drops a letter, the rest is added.
local function apply(lemma, mod)
  if mod == "." then return lemma end
  local drop = #mod:match("^%-*")
  local n = utf8.len(lemma)
  local stem = drop > 0 and lemma:sub(1, utf8.offset(lemma, n - drop + 1) - 1) or lemma
  return stem .. mod:sub(drop + 1)
end

-- "БОНЧ-БРУЕВИЧ" -> "Бонч-Бруевич": names are written so in documents.
local function title(word)
  return (text.lower(word):gsub("[^-]+", function(piece)
    local first = utf8.offset(piece, 2) or #piece + 1
    return text.upper(piece:sub(1, first - 1)) .. piece:sub(first)
  end))
end

-- Reference forms known to be wrong, with the right form and the reason: they are
-- scored against the right form (and counted in the report).
local corrections, corrected = {}, 0
for _, c in ipairs(options.raw and {} or lines(data .. "/corrections.tsv")) do
  local forms = {}
  for form in c[5]:gmatch("[^,]+") do forms[#forms + 1] = form end
  local i = 0
  for case in c[4]:gmatch("[^,]+") do
    i = i + 1
    corrections[c[1] .. "\t" .. c[2] .. "\t" .. c[3] .. "\t" .. case] = assert(forms[i], c[2])
  end
  assert(i == #forms, "corrections.tsv: as many forms as cases: " .. c[2])
end

local entries = {}  -- set key -> list of { lemma, gender, word, forms }
local by_lemma = {} -- set key -> "LEMMA\tgender" -> entry
for _, set in ipairs(SETS) do
  if set.file then
    entries[set.key], by_lemma[set.key] = {}, {}
    for _, row in ipairs(lines(data .. "/" .. set.file)) do
      local e = { lemma = row[1], gender = row[2], word = title(row[1]), forms = {} }
      for ci = 1, 6 do
        local form = apply(row[1], row[ci + 2])
        local fix = corrections[set.key .. "\t" .. row[1] .. "\t" .. row[2] .. "\t" .. CASE_SHORT[ci]]
        if fix then
          assert(text.upper(fix) ~= form, "correction equal to the reference: " .. row[1])
          form, corrected = text.upper(fix), corrected + 1
        end
        e.forms[ci] = form
      end
      entries[set.key][#entries[set.key] + 1] = e
      by_lemma[set.key][row[1] .. "\t" .. row[2]] = e
    end
  end
end
entries.fullnames = {}
for _, row in ipairs(lines(data .. "/fullnames.tsv")) do
  local g = row[1]
  local parts = {
    assert(by_lemma.surnames[row[2] .. "\t" .. g], row[2]),
    assert(by_lemma.firstnames[row[3] .. "\t" .. g], row[3]),
    assert(by_lemma.patronymics[row[4] .. "\t" .. g], row[4]),
  }
  local e = { lemma = row[2] .. " " .. row[3] .. " " .. row[4], gender = g, parts = parts, forms = {} }
  for ci = 1, 6 do
    e.forms[ci] = parts[1].forms[ci] .. " " .. parts[2].forms[ci] .. " " .. parts[3].forms[ci]
  end
  entries.fullnames[#entries.fullnames + 1] = e
end

-- A decliner: part(kind, word, case, gender) for one part with its gender known,
-- full(surname, name, patronymic, case) for a full name whose gender it must infer.
local nastavnik = {
  name = "nastavnik",
  part = function(kind, word, case, gender) return declension[kind](word, case, gender) end,
  full = function(s, n, p, case)
    return declension.full_name({ surname = s, name = n, patronymic = p }, case)
  end,
}

local decliners = { nastavnik }
if options.petrovich then
  local petrovich = require "petrovich"
  local p = petrovich.load(options.petrovich)
  decliners[2] = {
    name = "petrovich",
    part = function(kind, word, case, gender)
      return p:inflect_part(kind, word, case, gender == "м" and "male" or "female")
    end,
    full = function(s, n, p_, case) return p:inflect_full(s, n, p_, case) end,
  }
end

local errors = options.errors and assert(io.open(options.errors, "w"))

-- score[decliner][set] = { right, total, gender = {м = {r, t}}, case = {ci = {r, t}}, entries = {r, t} }
local function measure(d, set)
  local s = { right = 0, total = 0, by_gender = {}, by_case = {}, whole = { 0, 0 } }
  for _, e in ipairs(entries[set.key]) do
    local all_right = true
    for ci = 1, 6 do
      local got
      if set.part then
        got = d.part(set.part, e.word, CASES[ci], e.gender)
      else
        got = d.full(e.parts[1].word, e.parts[2].word, e.parts[3].word, CASES[ci])
      end
      local ok = text.upper(got or "") == e.forms[ci]
      s.total = s.total + 1
      local g = s.by_gender[e.gender] or { 0, 0 }
      local c = s.by_case[ci] or { 0, 0 }
      s.by_gender[e.gender], s.by_case[ci] = g, c
      g[2], c[2] = g[2] + 1, c[2] + 1
      if ok then
        s.right, g[1], c[1] = s.right + 1, g[1] + 1, c[1] + 1
      else
        all_right = false
        if errors then
          errors:write(string.format("%s\t%s\t%s\t%s\t%s\texpected %s\tgot %s\n", d.name, set.key,
            e.lemma, e.gender, CASE_SHORT[ci], e.forms[ci], text.upper(got or "")))
        end
      end
    end
    s.whole[2] = s.whole[2] + 1
    if all_right then s.whole[1] = s.whole[1] + 1 end
  end
  return s
end

local function pct(r, t) return t == 0 and 0 or 100 * r / t end

local scores = {}
for _, d in ipairs(decliners) do
  scores[d.name] = {}
  for _, set in ipairs(SETS) do scores[d.name][set.key] = measure(d, set) end
end
if errors then errors:close() end

-- The table: a row per set, then per gender and per case, a column per decliner.
local header = string.format("%-34s %7s", "set", "entries")
for _, d in ipairs(decliners) do header = header .. string.format(" %14s %8s", d.name .. " forms", "entries") end
print(header)
for _, set in ipairs(SETS) do
  local first = scores[decliners[1].name][set.key]
  local function row(label, pick)
    local line = string.format("%-34s %7s", label, pick(first).count or "")
    for _, d in ipairs(decliners) do
      local v = pick(scores[d.name][set.key])
      line = line .. string.format(" %13.3f%% %8s", pct(v.r, v.t), v.whole or "")
    end
    print(line)
  end
  row(set.title, function(s)
    return { r = s.right, t = s.total, count = s.whole[2],
             whole = string.format("%.2f%%", pct(s.whole[1], s.whole[2])) }
  end)
  for _, g in ipairs({ "м", "ж" }) do
    row("  " .. (g == "м" and "men" or "women"), function(s)
      local v = s.by_gender[g] or { 0, 0 }
      return { r = v[1], t = v[2] }
    end)
  end
  for ci = 2, 6 do
    row("  " .. CASES[ci], function(s) return { r = s.by_case[ci][1], t = s.by_case[ci][2] } end)
  end
end
print(string.format("(forms: all six cases of every entry; entries: all six right; " ..
  "%d reference forms corrected, see petrovich-eval/corrections.tsv)", corrected))

local failed = false
for set, figure in pairs(options.min) do
  local s = assert(scores.nastavnik[set], "no set " .. set)
  local got = pct(s.right, s.total)
  if got < figure then
    print(string.format("FAIL %s: %.3f%% of the forms right, below %.3f%%", set, got, figure))
    failed = true
  end
end
if failed then os.exit(1) end
