-- Small string tools the whole library shares: Cyrillic-aware case, trimming, UTF-8 checks
-- and the edit distance used to suggest the word an author probably meant.

local text = {}

-- Lower case for Cyrillic and Latin (string.lower knows only ASCII).
function text.lower(s)
  return (s:gsub("[\208\209][\128-\191]", function(ch)
    local cp = utf8.codepoint(ch)
    if cp >= 0x410 and cp <= 0x42F then return utf8.char(cp + 32) end
    if cp == 0x401 then return "ё" end
    return ch
  end):lower())
end

function text.upper(s)
  return (s:gsub("[\208\209][\128-\191]", function(ch)
    local cp = utf8.codepoint(ch)
    if cp >= 0x430 and cp <= 0x44F then return utf8.char(cp - 32) end
    if cp == 0x451 then return "Ё" end
    return ch
  end):upper())
end

-- Note: a multi-byte character such as U+00A0 or "–" must never stand inside a Lua pattern's
-- [class]: the class would hold its bytes one by one and cut Cyrillic letters apart.

-- Non-breaking spaces become plain spaces (for comparing, not for printing).
function text.plain_spaces(s) return (s:gsub("\u{a0}", " ")) end

-- All dashes and the minus sign become "-".
function text.plain_dashes(s) return (s:gsub("\u{2013}", "-"):gsub("\u{2014}", "-"):gsub("\u{2212}", "-")) end

-- Without the spaces at both ends (non-breaking ones too). Linear: the pattern
-- "^%s*(.-)%s*$" would try the end at every inner space, quadratic in a long run of them.
function text.trim(s)
  s = text.plain_spaces(s)
  local first = s:find("%S")
  if not first then return "" end
  local last = #s
  while s:find("^%s", last) do last = last - 1 end
  return s:sub(first, last)
end

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

-- The Russian plural form for a count: plural(3, "пункт", "пункта", "пунктов") -> "пункта".
function text.plural(n, one, few, many)
  local n10, n100 = n % 10, n % 100
  if n10 == 1 and n100 ~= 11 then return one end
  if n10 >= 2 and n10 <= 4 and (n100 < 12 or n100 > 14) then return few end
  return many
end

return text
