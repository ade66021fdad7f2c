-- The end of a build's summary: what was left blank for handwriting, grouped by cause. Each
-- note a document gives is «путь.pdf: причина» naming whom or what it is about («нет ФИО
-- родителя Орловой А.Р. (поле parent)», «пара № 9: …»); the summary prints each cause once,
-- with the number of documents, the folders they are in, and whom it concerns:
--
--   нет ФИО родителя (поле parent): оставлено для заполнения от руки — 98 документов
--     (Согласия — 60, Планы наставнических пар — 38); касается: Орловой А.Р., Егоровой М.В., … (всего 34)
--
-- With --verbose, every note as the document gave it.

local text = require "nastavnik.text"

local blanks = {}

local SHOWN_SUBJECTS = 6

-- Byte patterns for Cyrillic letters (Lua's classes know only ASCII).
local UPPER = "\208[\129\144-\175]"
local LETTERS = "[\208\209\128-\191%-]"
local SPACE = "[ \194\160]+" -- a space or the bytes of a non-breaking one
local NAME = UPPER .. LETTERS .. "+" .. SPACE .. UPPER .. "%." .. SPACE:gsub("%+$", "*") .. UPPER .. "%."
local NUMBERED = "\208[\191\179][\208\209\128-\191]+" .. SPACE .. "\226\132\150" .. SPACE .. "%d+"

-- The cause of a note without whom it is about, and whom (or nil).
-- (each pattern tried only where a plain find shows it can match: gsub tries its pattern at
-- every byte and copies the text even when nothing matches, and a build's every new message —
-- one per person a note names — came here: a third of the parent's instructions for the notes)
local find = string.find
local function cause_of(message)
  local subjects = {}
  local function take(s)
    subjects[#subjects + 1] = (s:gsub("\194\160", " "))
    return ""
  end
  -- «пара № 9: …», «группа № 6: …» at the start
  local cause = message:gsub("^(" .. NUMBERED .. "): ", take)
  -- (a name's initials hold a full stop)
  if find(cause, ".", 1, true) then cause = cause:gsub(NAME, take) end
  if find(cause, "«", 1, true) then cause = cause:gsub("«.-»", function(q) take(q) return "«…»" end) end
  if find(cause, "\194\160", 1, true) then cause = cause:gsub("\194\160", " ") end
  if find(cause, "  ", 1, true) then cause = cause:gsub("  +", " ") end
  if find(cause, " ,", 1, true) or find(cause, " :", 1, true) or find(cause, " )", 1, true) then
    cause = cause:gsub(" ([,:%)])", "%1")
  end
  if cause:byte(1) == 32 then cause = cause:sub(2) end
  return cause, subjects
end
blanks.cause_of = cause_of

-- cause_of remembered (its subjects shared, read only): a message comes again for each document
-- of its person or pair, and cause_of's patterns are tried at every byte of it. Bounded.
local known, nknown = {}, 0
local function causes_of(message)
  local k = known[message]
  if not k then
    k = table.pack(cause_of(message))
    if nknown >= 2000 then known, nknown = {}, 0 end
    known[message], nknown = k, nknown + 1
  end
  return k[1], k[2]
end

-- «98 документов».
local function documents(n)
  return n .. " " .. text.plural(n, "документ", "документа", "документов")
end

-- The folder a document lies in (its kind's folder, «Приказы», «Согласия»), or nil: as
-- path:match("([^/]+)/[^/]+$"), by the last two slashes (that pattern, tried at every byte
-- and backing off over every name, was a build's costliest line for a note).
-- The last path's directory (to its last slash) and answer are kept: the documents come folder
-- by folder, and a path in the same directory is told by two plain finds, not a find per slash.
local sub = string.sub
local last_dir, last_folder
local function folder_of(path)
  if last_dir and find(path, last_dir, 1, true) == 1 and #path > #last_dir
    and not find(path, "/", #last_dir + 1, true) then
    return last_folder
  end
  local before, last = 0, nil
  local i = find(path, "/", 1, true)
  while i do
    if last then before = last end
    last = i
    i = find(path, "/", i + 1, true)
  end
  if not last or last == #path or last - before < 2 then return nil end
  last_dir, last_folder = sub(path, 1, last), sub(path, before + 1, last - 1)
  return last_folder
end
blanks.folder_of = folder_of

-- A note's path and message, as note:match("^(.-%.%w+): (.*)$") splits it: at the first ": "
-- that follows a "." and one or more letters or digits (an extension). Found by plain finds of
-- ": ": the pattern tried its "." at every byte of the path, a few hundred bytes a note.
-- (the letter-or-digit test inline: a call per byte of each extension was a third of a split)
local byte = string.byte
local function split_note(note)
  local colon = find(note, ": ", 1, true)
  while colon do
    local i = colon - 1
    while i >= 1 do
      local c = byte(note, i)
      if not (c >= 48 and c <= 57 or c >= 65 and c <= 90 or c >= 97 and c <= 122) then break end
      i = i - 1
    end
    if i < colon - 1 and i >= 1 and byte(note, i) == 46 then
      return sub(note, 1, colon - 1), sub(note, colon + 2)
    end
    colon = find(note, ": ", colon + 1, true)
  end
end
blanks.split_note = split_note

-- The notes of a build gathered as they come, one document's or one subject's at a time
-- (add), so that a region's notes need not all be kept: without --verbose only each cause,
-- its numbers, folders and whom it concerns stay. summary() gives the lines.
local Blanks = {}
Blanks.__index = Blanks

function blanks.new(verbose)
  return setmetatable({ verbose = verbose, notes = {}, causes = {}, order = {} }, Blanks)
end

-- Adds notes («путь.pdf: причина»), in the order the documents were made: a document's notes
-- come together, so a document is counted once per cause by remembering only the last one.
function Blanks:add(notes)
  if self.verbose then
    for _, note in ipairs(notes) do self.notes[#self.notes + 1] = note end
    return
  end
  -- A document's notes come together and begin alike («путь.pdf: »): a note that begins with
  -- the last one's path and ": " splits there (split_note decides by the bytes before its
  -- colon alone), its path the same string, whose folder is known.
  local causes, order = self.causes, self.order
  local prefix, path, folder = nil, nil, nil
  for _, note in ipairs(notes) do
    local message
    if prefix and find(note, prefix, 1, true) == 1 then
      message = sub(note, #prefix + 1)
    else
      local p
      p, message = split_note(note)
      if p then
        path, prefix, folder = p, p .. ": ", nil
      else
        path, message, prefix, folder = "", note, nil, nil
      end
    end
    local cause, subjects = causes_of(message)
    local c = causes[cause]
    if not c then
      c = { cause = cause, count = 0, folders = {}, folder_order = {}, subjects = {}, subject_order = {} }
      causes[cause] = c
      order[#order + 1] = c
    end
    if c.last ~= path then
      c.last = path
      c.count = c.count + 1
      if not folder then folder = folder_of(path) or "" end
      if not c.folders[folder] then
        c.folders[folder] = 0
        c.folder_order[#c.folder_order + 1] = folder
      end
      c.folders[folder] = c.folders[folder] + 1
    end
    for _, s in ipairs(subjects) do
      if not c.subjects[s] then
        c.subjects[s] = true
        c.subject_order[#c.subject_order + 1] = s
      end
    end
  end
end

function Blanks:summary()
  if self.verbose then
    if #self.notes == 0 then return "" end
    return "Оставлено для заполнения от руки:\n  " .. table.concat(self.notes, "\n  ") .. "\n"
  end
  if #self.order == 0 then return "" end
  local order = {}
  for i, c in ipairs(self.order) do order[i] = c end
  table.sort(order, function(a, b)
    if a.count ~= b.count then return a.count > b.count end
    return a.cause < b.cause
  end)
  local lines = { "Оставлено для заполнения от руки (каждый документ отдельно — с --verbose):" }
  for _, c in ipairs(order) do
    local line = "  " .. c.cause .. " — " .. documents(c.count)
    if #c.folder_order > 1 then
      local parts = {}
      for _, f in ipairs(c.folder_order) do parts[#parts + 1] = f .. " — " .. c.folders[f] end
      line = line .. " (" .. table.concat(parts, ", ") .. ")"
    elseif c.folder_order[1] ~= "" then
      line = line .. " (" .. c.folder_order[1] .. ")"
    end
    local n = #c.subject_order
    if n > 0 then
      local shown = {}
      for i = 1, math.min(n, SHOWN_SUBJECTS) do shown[i] = c.subject_order[i] end
      line = line .. "; касается: " .. table.concat(shown, ", ")
        .. (n > SHOWN_SUBJECTS and string.format(", … (всего %d)", n) or "")
    end
    lines[#lines + 1] = line
  end
  return table.concat(lines, "\n") .. "\n"
end

-- The summary of `notes` all at once.
function blanks.summary(notes, verbose)
  local b = blanks.new(verbose)
  b:add(notes)
  return b:summary()
end

return blanks
