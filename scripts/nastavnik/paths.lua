-- Output paths: every file the generator writes gets its path here, the `-o` of one document
-- as well as the tree `build` makes. Names from a description (an organisation's short name,
-- a person's name in a plan's file name) become path components that are safe on any disk:
--
--   * no "/", "\", NUL, control characters or characters Windows forbids (< > : " | ? *);
--   * plain spaces (a non-breaking space looks the same and cannot be typed), no doubled,
--     leading or trailing dots («Носкова А.Д..pdf», "..", "."), no trailing spaces;
--   * no names Windows keeps for devices (CON, NUL, COM1, …);
--   * at most COMPONENT_BYTES bytes: a longer name is cut at a letter and given a short hash
--     of the whole name, so two long names that differ at the end stay different;
--   * distinct: two organisations (or descriptions, or documents) that would land on the
--     same name — also one differing only in case, which Windows and macOS take for the same
--     — get a visible suffix « (2)», and the tree keeps a note for the summary.
--
-- The final path is checked to lie inside the output folder, and nothing is written through
-- a symbolic link, into a FIFO or a device, or over a file the command read (paths.refusal).

local host = require "nastavnik.host"
local text = require "nastavnik.text"

local paths = {}

local find, sub, byte = string.find, string.sub, string.byte

-- Bytes of one component (without the extension): 60–75 Cyrillic letters. Leaves room for the
-- extension, a suffix « (12)» and the temporary name fileio writes first (+ ".tmp-XXXXXX")
-- within the 255 bytes of a Linux file name, and keeps the whole path short for Windows.
paths.COMPONENT_BYTES = 150

local HASH_LETTERS = 6

-- Characters replaced: the ones Windows forbids, and spaces of every kind.
local REPLACE = {
  ["/"] = "-", ["\\"] = "-", ["|"] = "-", [":"] = ".", ["\""] = "'",
  ["<"] = "", [">"] = "", ["?"] = "", ["*"] = "",
}
local function replacement(cp, ch)
  if cp < 32 or cp == 127 or (cp >= 0x80 and cp <= 0x9F) then return " " end
  if REPLACE[ch] then return REPLACE[ch] end
  if cp == 0xA0 or cp == 0x1680 or (cp >= 0x2000 and cp <= 0x200A) or cp == 0x2028
      or cp == 0x2029 or cp == 0x202F or cp == 0x205F or cp == 0x3000 then
    return " "
  end
  -- invisible: zero-width spaces and joiners, direction marks that could disguise a name
  if (cp >= 0x200B and cp <= 0x200F) or (cp >= 0x202A and cp <= 0x202E)
      or (cp >= 0x2060 and cp <= 0x2069) or cp == 0xFEFF then
    return ""
  end
  return ch
end

local WINDOWS_DEVICES = { con = true, prn = true, aux = true, nul = true }
for i = 0, 9 do
  WINDOWS_DEVICES["com" .. i], WINDOWS_DEVICES["lpt" .. i] = true, true
end

-- FNV-1a over the bytes, as hex: a short stable name for the part of a name that was cut.
local function short_hash(s)
  local h = 0x811c9dc5
  for i = 1, #s do
    h = ((h ~ s:byte(i)) * 0x01000193) & 0xffffffff
  end
  return string.format("%08x", h):sub(1, HASH_LETTERS)
end

-- Without spaces and dots at the ends (Windows drops them; a leading dot hides a file).
local function trim_ends(s)
  local first = s:find("[^%. ]")
  if not first then return "" end
  local last = #s
  while last > first and s:find("^[%. ]", last) do last = last - 1 end
  return s:sub(first, last)
end

-- The first `limit` bytes of s, not cutting a letter in two.
local function cut(s, limit)
  if #s <= limit then return s end
  local stop = limit
  while stop > 0 and s:byte(stop + 1) and s:byte(stop + 1) >= 0x80 and s:byte(stop + 1) < 0xC0 do
    stop = stop - 1
  end
  return s:sub(1, stop)
end

-- A safe path component for `name` (see the top of the file); `fallback` when nothing is
-- left of it (a name of only dots or symbols). The second result says what happened beyond
-- cleaning: "empty" (the fallback was used) or "cut" (too long: cut, with a hash).
-- The byte sequences of the characters replacement() changes (UTF-8: C0 and C1 controls, the
-- spaces, the invisible ones, those Windows forbids).
local CHANGED_ASCII = "[%z\1-\31\127/\\|:\"<>?*]"
-- (the others by the bytes they begin with, found by a plain find, and their pattern tried
-- only from there: a name's every byte was tried by seven patterns, most of a name's cost)
local CHANGED_WIDE = { { "\194", "\194[\128-\160]" }, { "\225\154\128" }, { "\226\128", "\226\128[\128-\143\168-\175]" },
  { "\226\129", "\226\129[\159-\169]" }, { "\227\128\128" }, { "\239\187\191" } }

-- `s` with each character as replacement() makes it and a broken UTF-8 byte as "_". (A name of
-- valid UTF-8 with none of CHANGED_ASCII and CHANGED_WIDE stays as it is: checked by a few finds in C rather than
-- character by character, which was most of a build's cost of naming its files.)
function paths.characters(s)
  if utf8.len(s) then
    local changed = find(s, CHANGED_ASCII) ~= nil
    for _, wide in ipairs(CHANGED_WIDE) do
      if changed then break end
      local at = find(s, wide[1], 1, true)
      changed = at ~= nil and (not wide[2] or find(s, wide[2], at) ~= nil)
    end
    if not changed then return s end
  end
  local out = {}
  for ch in s:gmatch("[%z\1-\127\194-\244][\128-\191]*") do
    local cp = utf8.len(ch) == 1 and utf8.codepoint(ch) or nil
    out[#out + 1] = cp and replacement(cp, ch) or "_" -- a broken UTF-8 byte
  end
  -- (bytes the pattern skips — a stray continuation byte at the start — are dropped)
  return table.concat(out)
end

local function component(name, fallback, limit)
  -- (each pattern only where it would change something: found by plain finds)
  local s = paths.characters(tostring(name))
  if find(s, "  ", 1, true) then s = s:gsub(" +", " ") end
  if find(s, "..", 1, true) then s = s:gsub("%.%.+", ".") end
  s = trim_ends(s)
  local change
  if s == "" then s, change = fallback or "_", "empty" end
  -- ("CON.txt" is the device too: the mark goes before the first dot; "CON .txt" too)
  local dot = find(s, ".", 1, true)
  local base = dot and sub(s, 1, dot - 1) or s
  local key = text.lower(base)
  local stop = #key
  while stop > 0 and byte(key, stop) == 32 do stop = stop - 1 end
  if WINDOWS_DEVICES[stop < #key and sub(key, 1, stop) or key] then s = base .. "_" .. s:sub(#base + 1) end
  if #s > limit then
    s, change = trim_ends(cut(s, limit - HASH_LETTERS - 2)) .. " ~" .. short_hash(s), "cut"
  end
  return s, change
end

-- The components of the default length remembered, by fallback and name: every organisation
-- names its orders, its roadmap's documents and its folders alike, and a region's people come
-- back in each of their documents' names (the cleaning of a name was a third of naming a
-- build's files). Bounded like text.memo.
local components, ncomponents = {}, 0
function paths.component(name, fallback, limit)
  if limit or type(name) ~= "string" then return component(name, fallback, limit or paths.COMPONENT_BYTES) end
  local of_fallback = components[fallback or false]
  local known = of_fallback and of_fallback[name]
  if known then return known[1], known[2] end
  local s, change = component(name, fallback, paths.COMPONENT_BYTES)
  if ncomponents >= 4000 then components, ncomponents, of_fallback = {}, 0, nil end
  if not of_fallback then
    of_fallback = {}
    components[fallback or false] = of_fallback
  end
  of_fallback[name], ncomponents = { s, change }, ncomponents + 1
  return s, change
end

-- Why nothing may be written at `path`, or nil: a symbolic link, a FIFO, a device, a folder,
-- or a file the command read (the description, a template, a font).
function paths.refusal(path)
  local kind, input = host.file_info(path)
  if kind == nil then return input end -- nil: nothing there; a string: the reason it is unreachable
  if kind == "link" then
    return "это символическая ссылка: через ссылку документ не пишется (укажите сам файл)"
  elseif kind == "fifo" then
    return "это именованный канал (FIFO), а не файл"
  elseif kind == "device" then
    return "это устройство, а не файл"
  elseif kind == "socket" or kind == "other" then
    return "это не обычный файл"
  elseif kind == "folder" then
    return "это папка, а не файл"
  elseif input then
    return "это входной файл команды: результат не записывается поверх описания, шаблона или шрифта"
  end
end

------------------------------------------------------------------------------------------
-- The tree of a build: folders and files under the output folder, each name distinct.

local Folder = {}
Folder.__index = Folder

-- The suffix of each extension (".pdf"), made once (every document of a build asks for it).
local SUFFIX = setmetatable({}, { __index = function(t, ext)
  assert(ext ~= "" and not find(ext, "/", 1, true), "расширение файла не годится: " .. ext)
  t[ext] = "." .. ext
  return t[ext]
end })

-- The output folder `root` (as given with -o) as the top of a tree. `notes` collects the
-- renames (for the summary).
function paths.tree(root)
  root = root:gsub("/+$", "")
  local top = setmetatable({ path = root, names = {}, owners = {} }, Folder)
  top.notes = {}
  top.top = top
  return top
end

-- A name in this folder for `name`, asked by `owner` (a value that says who asks: two calls
-- with the same owner get the same name; another owner never gets it): the safe component
-- of the name when it is free, else «component (2)», «(3)», … Names are compared as Windows
-- and macOS compare them (case aside), each with every one of `suffixes` (the extensions of
-- a document's files). A name that had to change more than in its spelling (nothing left of
-- it, cut, taken) gets a note for the summary, saying whose it is (`who`).
function Folder:claim(name, owner, suffixes, fallback, who)
  suffixes = suffixes or { "" }
  local taken_by = self.owners[owner]
  if taken_by then return taken_by end
  local component, change = paths.component(name, fallback)
  -- The keys of a name with each suffix, in lower case: the name lowered once and each suffix
  -- put after it, lowered too (text.lower changes a letter's own bytes only, and a suffix
  -- begins with a dot, or is empty), rather than each name with its suffix made and lowered again, twice
  -- (about 1,000 strings of 100 bytes an organisation made and hashed for nothing).
  local names, keys = self.names, {}
  local function free(c)
    local key = text.lower(c)
    for i, suffix in ipairs(suffixes) do
      keys[i] = key .. text.lower(suffix)
      if names[keys[i]] ~= nil then return false end
    end
    return true
  end
  local chosen, n = component, 1
  while not free(chosen) do
    n = n + 1
    chosen = trim_ends(cut(component, paths.COMPONENT_BYTES - #tostring(n) - 3)) .. " (" .. n .. ")"
  end
  for _, key in ipairs(keys) do names[key] = owner end
  self.owners[owner] = chosen
  local why = n > 1 and string.format("имя «%s» уже занято", component .. suffixes[1])
    or change == "empty" and "в имени нет ни одного знака, годного для имени файла"
    or change == "cut" and string.format("имя длиннее %d байт сокращено", paths.COMPONENT_BYTES)
  if why then
    local shown = text.plain_spaces(tostring(name)):gsub("%c", " ")
    self.top.notes[#self.top.notes + 1] = string.format("%s/%s — %s «%s»: %s", self.path,
      chosen .. suffixes[1], who or "файл", utf8.len(shown) and #shown <= 200 and shown
      or (cut(shown, 200) .. "…"), why)
  end
  return chosen
end

-- The subfolder named after `name` for `owner` (see Folder:claim).
function Folder:folder(name, owner, fallback, who)
  local component = self:claim(name, owner or name, nil, fallback, who or "папка")
  self.children = self.children or {}
  local child = self.children[component]
  if not child then
    child = setmetatable({ path = self.path .. "/" .. component, names = {}, owners = {},
      top = self.top, parent = self }, Folder)
    assert(paths.inside(self.top.path, child.path), "папка вне папки результата: " .. child.path)
    self.children[component] = child
  end
  return child
end

-- The paths of the files of one document named after `name`, for `owner`, one for each of
-- `extensions` ("pdf", "docx", …) with the same stem. Returns a table extension -> path.
function Folder:files(name, owner, extensions)
  local suffixes = {}
  for i, ext in ipairs(extensions) do suffixes[i] = SUFFIX[ext] end
  local stem = self:claim(name, owner, suffixes, "документ", "документ")
  local out = {}
  -- (each path is one component below this folder, which was checked to lie inside the tree
  -- when it was made (Folder:folder; the top is the tree): «stem.ext» with an extension
  -- of ours (no "/", not empty) is a component of its own, neither "." nor "..", when the stem
  -- has no "/". A claimed name never has one (paths.characters replaces it): the full check
  -- below is only a guard.
  -- The check of each path, and the message made for its assert whether it failed or not,
  -- were 2 % of a build's Lua)
  local slash = find(stem, "/", 1, true)
  for _, ext in ipairs(extensions) do
    local path = self.path .. "/" .. stem .. SUFFIX[ext]
    if slash and not paths.inside(self.path, path) then error("путь вне папки результата: " .. path, 0) end
    out[ext] = path
  end
  return out
end

-- Runs f() with the renames it causes (Folder:claim's notes) kept apart from the tree's:
-- returns f's result and those notes, for the caller to tell in their turn.
function Folder:renames_apart(f)
  local top = self.top
  local notes = top.notes
  top.notes = {}
  local ok, result = pcall(f)
  local renamed = top.notes
  top.notes = notes
  if not ok then error(result, 0) end
  return result, renamed
end

-- Lets go of the names claimed in this folder and below (its documents are made: nothing is
-- claimed there again); the folder itself stays made.
function Folder:forget()
  self.names, self.owners, self.children = {}, {}, nil
end

-- Makes the folder (and those above it inside the tree) on disk, refusing to go through a
-- symbolic link below the output folder or anything that is not a folder. Returns true, or
-- nil, the message (a line) and whether it was returned before.
function Folder:make()
  if self.made then return true end
  if self.failed then return nil, self.failed, true end
  if self.parent then
    local ok, why, told = self.parent:make()
    if not ok then return nil, why, told end
  end
  local kind, reason = host.file_info(self.path)
  local why
  if kind == nil and reason then
    why = reason
  elseif kind == nil then
    local ok, err = host.make_dirs(self.path)
    if not ok then why = err end
  elseif kind == "link" and self.parent then
    why = "это символическая ссылка (документы пишутся только в настоящие папки)"
  elseif kind ~= "folder" and kind ~= "link" then
    why = "на этом месте уже есть файл"
  end
  if why then
    -- (told once: the documents of this folder get `told` = true after the first)
    self.failed = string.format("%s: не удалось создать папку: %s\n", self.path, why)
    return nil, self.failed, false
  end
  self.made = true
  return true
end

-- Whether `path` lies inside the folder `root`: under it, with no "." or ".." component on
-- the way (the components of the tree never have one; this says so for certain).
-- (by plain finds of "/": asked for every file planned, the gmatch of the components was
-- 0.7 % of a region's build)
function paths.inside(root, path)
  local n = #root
  if byte(path, n + 1) ~= 47 or sub(path, 1, n) ~= root then return false end
  local start, last = n + 2, #path
  while true do
    local slash = find(path, "/", start, true)
    local stop = slash and slash - 1 or last
    if stop < start then return false end -- (an empty component: "//" or a "/" at the end)
    if stop - start < 2 and byte(path, start) == 46 and (stop == start or byte(path, stop) == 46) then
      return false -- "." or ".."
    end
    if not slash then return true end
    start = slash + 1
  end
end

return paths
