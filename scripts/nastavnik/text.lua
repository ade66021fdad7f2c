-- Small string tools the whole library shares: Cyrillic-aware case, trimming, UTF-8 checks
-- and the edit distance used to suggest the word an author probably meant.

local text = {}

-- Lower case for Cyrillic and Latin (string.lower knows only ASCII). The Cyrillic pairs are
-- looked up in a table by gsub itself: no Lua call per letter (text.lower was a fifth of
-- check's instructions when a function converted every letter).
local LOWER, UPPER = {}, {}
for cp = 0x410, 0x42F do
  LOWER[utf8.char(cp)], UPPER[utf8.char(cp + 32)] = utf8.char(cp + 32), utf8.char(cp)
end
LOWER["Ё"], UPPER["ё"] = "ё", "Ё"
local CYRILLIC = "[\208\209][\128-\191]"
-- The capitals alone (А–Я are \208\144–\208\175, Ё is \208\129): a pattern opening with a
-- plain byte is tried faster at each position than a class.
local CAPITAL = "\208[\129\144-\175]"

-- Words and short phrases remembered, 4,000 at most (emptied when full): the same ones are
-- lowered again and again (names declined, dues and recurrences read, file names compared),
-- and gsub tries its pattern at every byte. (Long texts are not: they seldom come again, and
-- kept they lifted a build's peak by megabytes.)
local function lower_lua(s) return (s:gsub(CAPITAL, LOWER):lower()) end
local function upper_lua(s) return (s:gsub(CYRILLIC, UPPER):upper()) end
text.lower_lua, text.upper_lua = lower_lua, upper_lua
-- The same in C (generator/text/typeset_lua.c) where the module is there (not under the plain
-- interpreter of the tests): gsub tries its pattern at every byte, about 150 instructions a
-- byte — text.lower of the long texts (deadlines, recurrences) was 5 % of reading and
-- validating a region's organisations.
local typeset_loaded, typeset_module = pcall(require, "nastavnik.typeset")
local lower = typeset_loaded and typeset_module.lower or lower_lua
if typeset_loaded then text.upper = typeset_module.upper else text.upper = upper_lua end

local lowered, nlowered, LOWERED_LONGEST = {}, 0, 80
function text.lower(s)
  -- (a text longer than those kept is not looked up: a long string is hashed whole for it)
  if #s > LOWERED_LONGEST then return lower(s) end
  local r = lowered[s]
  if r then return r end
  r = lower(s)
  if nlowered >= 4000 then lowered, nlowered = {}, 0 end
  lowered[s], nlowered = r, nlowered + 1
  return r
end

-- Note: a multi-byte character such as U+00A0 or "–" must never stand inside a Lua pattern's
-- [class]: the class would hold its bytes one by one and cut Cyrillic letters apart.

-- (gsub tries its pattern at every byte of the text even when the text has none of it; a
-- plain find looks for a byte sequence at memchr's pace. Most texts hold no non-breaking
-- space and no dash, and these two run on every field of a description.)

-- Every occurrence of `plain` in `s` (a byte sequence, no pattern) replaced by `by`, as
-- s:gsub(plain, by) would with its magic characters escaped, found at memchr's pace: gsub
-- tries its pattern at every byte of a text that holds a few occurrences.
local find, sub, concat = string.find, string.sub, table.concat
function text.replace_plain(s, plain, by)
  local i = find(s, plain, 1, true)
  if not i then return s end
  local out, n, from, len = {}, 0, 1, #plain
  repeat
    out[n + 1], out[n + 2], n = sub(s, from, i - 1), by, n + 2
    from = i + len
    i = find(s, plain, from, true)
  until not i
  out[n + 1] = sub(s, from)
  return concat(out)
end

-- Non-breaking spaces become plain spaces (for comparing, not for printing).
function text.plain_spaces(s)
  return text.replace_plain(s, "\u{a0}", " ")
end

-- All dashes and the minus sign become "-" (all three begin with the byte \226).
function text.plain_dashes(s)
  if not s:find("\226", 1, true) then return s end
  return (s:gsub("\u{2013}", "-"):gsub("\u{2014}", "-"):gsub("\u{2212}", "-"))
end

-- Without the spaces at both ends (non-breaking ones too). Linear: the pattern
-- "^%s*(.-)%s*$" would try the end at every inner space, quadratic in a long run of them.
-- The bytes %s matches (the C locale's spaces).
local SPACE = { [9] = true, [10] = true, [11] = true, [12] = true, [13] = true, [32] = true }
local NBSP = "\u{a0}"
function text.trim(s)
  -- (text.plain_spaces, the call made only for a text that has one: trim is asked of every
  -- text field a description has, twice in a region's build)
  if find(s, NBSP, 1, true) then s = text.replace_plain(s, NBSP, " ") end
  -- (most texts have nothing to trim: told by their first and last bytes)
  local a, z = s:byte(1), s:byte(-1)
  if a and not SPACE[a] and not SPACE[z] then return s end
  local first = s:find("%S")
  if not first then return "" end
  local last = #s
  while s:find("^%s", last) do last = last - 1 end
  return s:sub(first, last)
end
-- The same in C (generator/text/typeset_lua.c) where the module is there (not under the plain
-- interpreter of the tests): trim was 7 % of the Lua of reading a description.
text.trim_lua = text.trim
if typeset_loaded then text.trim = typeset_module.trim end

-- Whether a text is UTF-8 as utf8.len takes it: the C host's check, which does not decode
-- each character (the tests' stand-in host, or none, has no such check: utf8.len then). Every
-- text field of a description, and the description's file, are asked.
local host_loaded, host_module = pcall(require, "nastavnik.host")
text.utf8_valid = host_loaded and type(host_module) == "table" and host_module.utf8_valid
  or function(s) return utf8.len(s) ~= nil end

-- Byte offset of the first byte that breaks UTF-8, or nil when the string is valid.
function text.invalid_utf8_at(s)
  local ok, bad = utf8.len(s)
  if ok then return nil end
  return bad
end

local function codepoints(s)
  local cps = {}
  for _, c in utf8.codes(s) do cps[#cps + 1] = c end
  return cps
end

-- Levenshtein distance over characters (not bytes).
function text.distance(a, b)
  local x, y = codepoints(a), codepoints(b)
  local prev, cur = {}, {}
  for j = 0, #y do prev[j] = j end
  for i = 1, #x do
    cur[0] = i
    for j = 1, #y do
      local cost = x[i] == y[j] and 0 or 1
      cur[j] = math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
    end
    prev, cur = cur, prev
  end
  return prev[#y]
end

-- The candidate nearest to `word` (from a list of strings), if it is near enough to be a
-- likely typo.
function text.nearest(word, candidates)
  local best, best_distance = nil, math.huge
  for _, c in ipairs(candidates) do
    local d = text.distance(word, c)
    if d < best_distance then best, best_distance = c, d end
  end
  if best and best_distance <= math.max(2, utf8.len(word) // 3) then return best end
end

-- `f` remembered: a function of one string that computes f(s) once per distinct s. For the
-- pure helpers documents call again and again on the same texts (typography, declension,
-- the roadmap's words). Bounded: once `limit` results are kept the memory starts afresh, so a
-- region of thousands of schools never holds more than `limit` of them (a weak table would
-- not do: strings are never collected out of one).
function text.memo(f, limit)
  local kept, count = {}, 0
  return function(s)
    local r = kept[s]
    if r == nil then
      r = f(s)
      if count >= limit then kept, count = {}, 0 end
      kept[s], count = r, count + 1
    end
    return r
  end
end

-- The Russian plural form for a count: plural(3, "пункт", "пункта", "пунктов") -> "пункта".
function text.plural(n, one, few, many)
  local n10, n100 = n % 10, n % 100
  if n10 == 1 and n100 ~= 11 then return one end
  if n10 >= 2 and n10 <= 4 and (n100 < 12 or n100 > 14) then return few end
  return many
end

return text
