-- The text helpers that replaced Lua patterns with plain finds (blanks, russian.quote,
-- paths.inside) give what the patterns gave:
-- on cases written out by hand and on random texts made of the pieces the patterns look at.
package.path = arg[1] .. "/?.lua;" .. package.path
package.preload["nastavnik.host"] = function() return {} end
local blanks = require "nastavnik.blanks"
local russian = require "nastavnik.russian"
local paths = require "nastavnik.paths"
local failures, compared = 0, 0
local function check(got1, got2, want1, want2, what, s)
  compared = compared + 1
  if got1 ~= want1 or got2 ~= want2 then
    failures = failures + 1
    if failures <= 10 then
      print(string.format("FAIL %s: %q: %q %q, expected %q %q", what, s, got1, got2, want1, want2))
    end
  end
end
local function old_characters(s)
  local out = {}
  for ch in s:gmatch("[%z\1-\127\194-\244][\128-\191]*") do
    local cp = utf8.len(ch) == 1 and utf8.codepoint(ch) or nil
    -- (one character by the character loop, which a NUL after it makes paths.characters take)
    out[#out + 1] = cp and paths.characters(ch .. "\0"):sub(1, -2) or "_"
  end
  return table.concat(out)
end
local function compare(s)
  -- a build's note: its path and message (blanks.lua)
  local path, message = s:match("^(.-%.%w+): (.*)$")
  local got_path, got_message = blanks.split_note(s)
  check(got_path, got_message, path, message, "split_note", s)
  -- quotes inside quotes (russian.lua)
  check(russian.quote(s), nil, "«" .. s:gsub("«", "„"):gsub("»", "“") .. "»", nil, "quote", s)
  -- a path inside an output folder (paths.lua), as the gmatch of its components judged it
  for _, root in ipairs({ "", "a", "/w/o", "a.", "." }) do
    local want = s:sub(1, #root + 1) == root .. "/"
    if want then
      for part in (s:sub(#root + 2) .. "/"):gmatch("([^/]*)/") do
        if part == "" or part == "." or part == ".." then want = false end
      end
    end
    check(paths.inside(root, s), nil, want, nil, "inside " .. root, s)
  end
  -- a name's characters made safe (paths.lua), as the loop over each character made them
  check(paths.characters(s), nil, old_characters(s), nil, "characters", s)
end
for _, s in ipairs({ "", "a.pdf: x", "/w/Согласие.pdf: нет ФИО (поле parent)", "a.b: c.pdf: y", "no colon",
  ".x: y", "x.: y", "x. : y", "a.b:c.d: e", "путь.pdf:причина", "a.pdf: ", "a.pdf:  b\nc", "..a: b",
  "a..b: c", "a.1b2: c", "a.б: c.d: e", ": a.b: c", "«a «b» c»", "»«", "/", "//", "/w/o", "/w/o/", "/w/o/a",
  "/w/o/./a", "/w/o/../a", "/w/o/a/..", "/w/o/...", "/w/o/.a", "/w/o/a.", "/w/o//a", "a/.", "a/..b", "/w/oa/b" }) do
  compare(s)
end
local PIECES = { "a", "Z", "9", ".", ":", " ", ": ", "/", "п", "\n", ".pdf", "_", "«", "»", "\u{a0}", "/w/o/", "..",
  "/." }
math.randomseed(15)
for _ = 1, 100000 do
  local parts = {}
  for k = 1, math.random(0, 10) do parts[k] = PIECES[math.random(#PIECES)] end
  compare(table.concat(parts))
end
local CHARACTERS = { "a", "п", " ", ".", "/", "\\", "|", ":", "\"", "<", ">", "?", "*", "\0", "\t", "\127", "«", "»",
  "\u{80}", "\u{9f}", "\u{a0}", "\u{a1}", "\u{1680}", "\u{167f}", "\u{1681}", "\u{2000}", "\u{200a}", "\u{200b}",
  "\u{200f}", "\u{2010}", "—", "\u{2027}", "\u{2028}", "\u{2029}", "\u{202a}", "\u{202e}", "\u{202f}", "\u{2030}",
  "\u{205e}", "\u{205f}", "\u{2060}", "\u{2069}", "\u{206a}", "\u{3000}", "\u{3001}", "\u{feff}", "\u{fefe}",
  "\u{10ffff}", "\xff", "\x80", "\xbf", "\xc1\xbf", "\xc2", "\xe2\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf5" }
for _ = 1, 100000 do
  local parts = {}
  for k = 1, math.random(0, 6) do parts[k] = CHARACTERS[math.random(#CHARACTERS)] end
  local s = table.concat(parts)
  check(paths.characters(s), nil, old_characters(s), nil, "characters", s)
end
-- a whole component (paths.lua) as the patterns made it from paths.characters
local text = require "nastavnik.text"
local function old_component(name, fallback, limit)
  local s = paths.characters(tostring(name)):gsub(" +", " "):gsub("%.%.+", ".")
  s = s:gsub("^[%. ]+", ""):gsub("[%. ]+$", "")
  if s == "" then s = fallback or "_" end
  local base = s:match("^[^%.]*")
  local devices = { con = true, prn = true, aux = true, nul = true, com1 = true, lpt1 = true }
  if devices[text.lower(base):gsub(" +$", "")] then s = base .. "_" .. s:sub(#base + 1) end
  return s
end
local NAMES = { "a", "CON", "con", "Nul", "lpt1", "COM1", "aux", "п", " ", "  ", ".", "..", "/", "\u{a0}", "«", "Д" }
for _ = 1, 100000 do
  local parts = {}
  for k = 1, math.random(0, 8) do parts[k] = NAMES[math.random(#NAMES)] end
  local s = table.concat(parts)
  local fallback = ({ "документ", "CON  ", "a..b", "x" })[math.random(4)]
  check(paths.component(s, fallback, 1000), nil, old_component(s, fallback, 1000), nil, "component", s)
end
-- a build's notes added a subject's list at a time (Blanks:add splits a note that begins with
-- the last one's path there) sum up as each note added alone (split by split_note)
local NOTE_PIECES = { "/w/o/Согласия/a.pdf", "/w/o/Планы/b.pdf", "/w/o/c.pdf", "d.docx", "/w/x: y.pdf", ": ", "/",
  " ", "нет ФИО родителя Орловой А.Р. (поле parent)", "пара № 9: цель", "«x»", "причина", ".pdf", "a" }
for _ = 1, 20000 do
  local notes = {}
  for n = 1, math.random(0, 6) do
    local parts = {}
    for k = 1, math.random(0, 4) do parts[k] = NOTE_PIECES[math.random(#NOTE_PIECES)] end
    notes[n] = table.concat(parts)
    -- (most often a document's next note, with the same path)
    if n > 1 and math.random(3) > 1 then
      local path = blanks.split_note(notes[n - 1])
      if path then notes[n] = path .. ": " .. NOTE_PIECES[math.random(#NOTE_PIECES)] end
    end
  end
  local together, alone = blanks.new(false), blanks.new(false)
  together:add(notes)
  for _, note in ipairs(notes) do alone:add({ note }) end
  check(together:summary(), nil, alone:summary(), nil, "Blanks:add", table.concat(notes, "\n"))
end
-- a note's folder (blanks.lua), asked path after path (it keeps the last directory), as the
-- pattern gave it
local PATH_PIECES = { "/", "/", "a", "Согласия", "b.pdf", "//", ".", "/w/o/" }
local last_path = ""
for _ = 1, 100000 do
  local parts = {}
  for k = 1, math.random(0, 5) do parts[k] = PATH_PIECES[math.random(#PATH_PIECES)] end
  -- (often the last path's directory and another name)
  local s = table.concat(parts)
  if math.random(2) == 1 then s = (last_path:match("^(.*/)") or "") .. s end
  last_path = s
  check(blanks.folder_of(s), nil, s:match("([^/]+)/[^/]+$"), nil, "folder_of", s)
end
-- a note's cause and whom it names (blanks.lua), its patterns tried only where a plain find
-- shows they can match, as when every pattern was tried
local UPPER = "\208[\129\144-\175]"
local LETTERS = "[\208\209\128-\191%-]"
local SPACE = "[ \194\160]+"
local NAME = UPPER .. LETTERS .. "+" .. SPACE .. UPPER .. "%." .. SPACE:gsub("%+$", "*") .. UPPER .. "%."
local NUMBERED = "\208[\191\179][\208\209\128-\191]+" .. SPACE .. "\226\132\150" .. SPACE .. "%d+"
local function old_cause_of(message)
  local subjects = {}
  local function take(s)
    subjects[#subjects + 1] = (s:gsub("\194\160", " "))
    return ""
  end
  local cause = message:gsub("^(" .. NUMBERED .. "): ", take)
  cause = cause:gsub(NAME, take)
  cause = cause:gsub("«.-»", function(q) take(q) return "«…»" end)
  cause = cause:gsub("\194\160", " "):gsub("  +", " "):gsub(" ([,:%)])", "%1"):gsub("^ ", "")
  return cause, subjects
end
local CAUSE_PIECES = { "нет ФИО родителя ", "Орловой", " ", "  ", "\u{a0}", "А.", "Р.", "Ё.", ".", ",", ":", ")", "(",
  "пара", "группа", " № ", "№", "9", "12", ": ", "«", "»", "x", "поле parent", " ,", " :", " )", "Иванов И.И." }
for _ = 1, 100000 do
  local parts = {}
  for k = 1, math.random(0, 8) do parts[k] = CAUSE_PIECES[math.random(#CAUSE_PIECES)] end
  local s = table.concat(parts)
  local cause, subjects = blanks.cause_of(s)
  local want_cause, want_subjects = old_cause_of(s)
  check(cause, table.concat(subjects, "\n"), want_cause, table.concat(want_subjects, "\n"), "cause_of", s)
end
-- a component of the default length, remembered by the process, as one made afresh (the same
-- names again with other fallbacks, past the memory's bound)
for _ = 1, 20000 do
  local parts = {}
  for k = 1, math.random(0, 4) do parts[k] = NAMES[math.random(#NAMES)] end
  local s = table.concat(parts)
  local fallback = ({ "документ", "CON  ", nil, "x" })[math.random(4)]
  local fresh, fresh_change = paths.component(s, fallback, paths.COMPONENT_BYTES)
  local kept, kept_change = paths.component(s, fallback)
  check(kept, kept_change, fresh, fresh_change, "component remembered", s)
end
for _, s in ipairs({ ("п"):rep(100), ("п"):rep(100), "...", "..." }) do
  local fresh, fresh_change = paths.component(s, "x", paths.COMPONENT_BYTES)
  local kept, kept_change = paths.component(s, "x")
  check(kept, kept_change, fresh, fresh_change, "component remembered", s)
end
print(string.format("text helpers: %d comparisons, %d failures", compared, failures))
os.exit(failures == 0 and 0 or 1)
