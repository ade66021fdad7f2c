-- What `build` made in an output folder, kept beside it (ПАПКА/.nastavnik-manifest: one line
-- per file, its checksum and its path inside the folder), so that a rebuild
--   * removes the files it made before and makes no more (a person renamed, a pair gone),
--     and the folders that leaves empty;
--   * never touches a file it did not make (a file of the same name that is not in the
--     manifest is left, the new document goes beside it);
--   * does not overwrite a file edited since it made it (the checksum differs): the new one is
--     written beside it, «… (новый).docx», and the summary says so; --force overwrites.
-- Only the folders of the descriptions built this time are cleaned: building another
-- description into the same folder leaves the first one's files alone.
--
--   local made = manifest.open(root, force)
--   made:place(doc.files[, folders, folder]) -- before writing: may move a document beside
--   made:written(doc.files, formats)     -- the formats of it written this time
--   made:written_sums(sums[, folder])   -- or the files written (path -> checksum)
--   placer = made:placer()               -- place() in a worker: its decisions, placed(),
--   made:adopt(placer:placed())          -- handed back to the build's manifest
--   made:adopt_written(placer:sums_part()) -- and what written_sums kept in it
--   made:finish(folders) -> nil | message  -- after: removes what is stale, writes the manifest
--   made:summary() -> lines for the end of the build

local host = require "nastavnik.host"
local paths = require "nastavnik.paths"

local manifest = {}

manifest.FILE = ".nastavnik-manifest"
local HEADER = "# nastavnik build: файлы, сделанные в этой папке, и их контрольные суммы (не правьте)"

local Made = {}
Made.__index = Made

-- The manifest of the output folder `root` (read when there is one).
function manifest.open(root, force)
  root = root:gsub("/+$", "")
  local self = setmetatable({ root = root, force = force, old = {}, made = {}, blocks = {}, kept = {},
    beside = {}, removed = {}, left = {} }, Made)
  local file = root .. "/" .. manifest.FILE
  if host.file_info(file) == "file" then
    for line in (host.read_file(file) or ""):gmatch("[^\n]+") do
      local sum, relative = line:match("^(%x+)\t(.+)$")
      if sum and paths.inside(root, root .. "/" .. relative) then self.old[relative] = sum end
    end
  end
  return self
end

function Made:relative(path)
  return path:sub(#self.root + 2)
end

-- Whether the file at `path` is still as a build recorded it: its checksum as the manifest
-- holds it (16 digits: FNV-1a, the checksum of manifests before XXH3's 32).
local function unchanged(path, recorded)
  return host.file_checksum(path, #recorded == 16 and "fnv1a64" or nil) == recorded
end

-- Whether `folder` is not there (a new build), so that nothing can be in it: asked once a
-- folder, kept in `folders` (folder -> true when missing), which must not outlive a moment when
-- nothing is written (the plan of one subject), rather than once a file.
local function folder_missing(folder, folders)
  local missing = folders[folder]
  if missing == nil then
    missing = host.file_info(folder) == nil -- (nothing there, or unreachable: so is each file)
    folders[folder] = missing
  end
  return missing
end

-- Whether `folder` was found missing by place() with `folders`: nothing was at its files'
-- paths then (command.write_file's `fresh`).
function manifest.unseen(folder, folders)
  return folders[folder] == true
end

-- Why the file at `path` may not be overwritten, or nil: made by someone else, or edited.
-- (`missing`: its folder is known not to be there.)
function Made:protected(path, missing)
  if self.force or missing or host.file_info(path) ~= "file" then return nil end
  local recorded = self.old[self:relative(path)]
  if not recorded then return "не сделан nastavnik" end
  if not unchanged(path, recorded) then return "изменён после прошлой сборки" end
end

-- The paths of one document's files (extension -> path), before they are written: when any
-- of them may not be overwritten, all move to «имя (новый)», «имя (новый 2)», … (the formats of
-- a document keep one name) and the summary says why. `folder`, `folders`: the files' folder
-- (all in one), and what is known of the folders (see folder_missing), when given.
function Made:place(files, folders, folder)
  local why, which
  local missing = folders and folder and folder_missing(folder, folders)
  for _, path in pairs(files) do
    local reason = self:protected(path, missing)
    if reason then why, which = reason, path end
  end
  if why then
    local n, moved = 1, nil
    repeat
      moved = {}
      local free = true
      for ext, path in pairs(files) do
        moved[ext] = path:gsub("%.(%w+)$", (n == 1 and " (новый)" or (" (новый " .. n .. ")")) .. ".%1")
        if self:protected(moved[ext]) then free = false end
      end
      n = n + 1
    until free
    local new = {}
    for ext, path in pairs(files) do
      if host.file_info(path) == "file" then self.kept[self:relative(path)] = self.old[self:relative(path)] or false end
      files[ext] = moved[ext]
      new[#new + 1] = moved[ext]
    end
    table.sort(new)
    self.beside[#self.beside + 1] = string.format("%s — %s; новое — в %s", which, why, table.concat(new, ", "))
  end
  return files
end

-- The files of a document written this time: files[ext] for each of `formats`.
function Made:written(files, formats)
  for _, ext in ipairs(formats) do
    if files[ext] then self.made[self:relative(files[ext])] = true end
  end
end

-- Files written this time with their checksums (path -> checksum, or true: not taken), taken
-- where they were written (a worker), so that the manifest need not read them again. With
-- `folder` (an organisation's folder, which holds all of `sums`) they are kept as one block
-- of text, sorted, rather than as 170 entries of a table: a region's 350,000 files took
-- 200 bytes each in a table, and the files of one folder stay together in the manifest's
-- order (every path with one prefix sorts between the same neighbours), so the blocks are
-- only put in order at the end. A block's lines are the manifest's own, "sum\tpath", in the
-- order of their paths, so that the manifest takes a block whole (finish) rather than a line
-- at a time (the folder's path on each of its lines costs about 15 MB more at 2,000
-- organisations, in the build's own process, which is not the largest); `unknown`: some sum
-- is "?", to be read at the end.
local find, sub = string.find, string.sub

function Made:written_sums(sums, folder)
  local prefix = folder and (self:relative(folder) .. "/")
  local names, of = {}, {}
  local from, cut = #self.root + 2, prefix and #prefix
  local unknown = false
  for path, sum in pairs(sums) do
    local relative = sub(path, from)
    -- (plain finds: the class "[\t\n]", tried at every byte of every path, cost more)
    if prefix and sub(relative, 1, cut) == prefix and not find(relative, "\t", 1, true)
        and not find(relative, "\n", 1, true) then
      names[#names + 1], of[relative] = relative, sum == true and "?" or sum
      unknown = unknown or sum == true
    else
      self.made[relative] = sum
    end
  end
  if #names == 0 then return end
  table.sort(names)
  for i, relative in ipairs(names) do names[i] = of[relative] .. "\t" .. relative end
  self.blocks[#self.blocks + 1] = { prefix = prefix, text = table.concat(names, "\n") .. "\n", count = #names,
    unknown = unknown }
end

-- What written_sums kept in a manifest of placer() (a worker's), as plain data, for
-- adopt_written() to add to the build's manifest: the worker sorts an organisation's files
-- into its block, and what it sends is one string, not a table of 170 paths and sums.
function Made:sums_part()
  return { blocks = self.blocks, made = self.made }
end

function Made:adopt_written(written)
  for _, block in ipairs(written.blocks) do self.blocks[#self.blocks + 1] = block end
  for relative, sum in pairs(written.made) do self.made[relative] = sum end
end

-- Each file of the blocks in order: f(relative, checksum or "?"). (A block's lines are
-- "sum\tpath\n" with no tab or newline in the path: split by plain finds.)
local function each_in_block(block, f)
  local text = block.text
  local at = 1
  while true do
    local tab = find(text, "\t", at, true)
    if not tab then return end
    local newline = find(text, "\n", tab + 1, true)
    if not newline then return end
    f(sub(text, tab + 1, newline - 1), sub(text, at, tab - 1))
    at = newline + 1
  end
end

-- A manifest to place() the documents of one subject with elsewhere (a worker process, which
-- plans an organisation's documents): it judges as this one, and keeps its decisions apart
-- (placed(): plain data) for adopt() to add to this one's.
function Made:placer()
  return setmetatable({ root = self.root, force = self.force, old = self.old, made = {}, blocks = {}, kept = {},
    beside = {}, removed = {}, left = {} }, Made)
end

function Made:placed()
  return { kept = self.kept, beside = self.beside }
end

function Made:adopt(placed)
  for relative, sum in pairs(placed.kept) do self.kept[relative] = sum end
  for _, line in ipairs(placed.beside) do self.beside[#self.beside + 1] = line end
end

local function in_folders(relative, folders)
  for _, f in ipairs(folders) do
    if relative:sub(1, #f + 1) == f .. "/" then return true end
  end
  return false
end

-- Removes the folders above `relative` that its removal left empty (up to the output folder).
function Made:remove_empty_parents(relative)
  local folder = relative:match("^(.*)/[^/]*$")
  while folder do
    local path = self.root .. "/" .. folder
    local names = host.list_dir(path)
    if not names or #names > 0 or not host.remove_file(path) then return end
    folder = folder:match("^(.*)/[^/]*$")
  end
end

-- After the build: files of the earlier build in `folders` (the description folders built
-- now, as paths) that were not made this time (no longer planned, or planned but not made:
-- a document the description no longer allows) are removed unless edited; the manifest is
-- written. Returns nil, or the line saying it could not be written.
function Made:finish(folders)
  local relative_folders = {}
  for i, f in ipairs(folders) do relative_folders[i] = self:relative(f) end
  -- (what was made becomes the new manifest in place: a region's has 350,000 files)
  local entries = self.made
  for relative, sum in pairs(entries) do
    if sum == true then entries[relative] = host.file_checksum(self.root .. "/" .. relative) or false end
  end
  -- a file kept because it was edited stays recorded as made: the next build still sees the edit
  for relative, sum in pairs(self.kept) do
    if sum then entries[relative] = sum end
  end
  -- (a file of the earlier build made again is recorded in its block)
  if next(self.old) then -- (nothing to forget in a new folder)
    local old = self.old
    local function forget(relative) old[relative] = nil end
    for _, block in ipairs(self.blocks) do each_in_block(block, forget) end
  end
  for relative, sum in pairs(self.old) do
    local path = self.root .. "/" .. relative
    if self.made[relative] ~= nil or self.kept[relative] ~= nil then
      -- (recorded above)
    elseif not in_folders(relative, relative_folders) then
      entries[relative] = sum -- another description's, or one whose build stopped: not judged now
    elseif host.file_info(path) == "file" then
      if unchanged(path, sum) then
        if host.remove_file(path) then
          self.removed[#self.removed + 1] = path
          self:remove_empty_parents(relative)
        else
          entries[relative] = sum
        end
      else
        self.left[#self.left + 1] = path
      end
    end
  end
  local names = {}
  for relative, sum in pairs(entries) do
    if sum then names[#names + 1] = relative end -- (false: made, but its checksum not read)
  end
  table.sort(names)
  table.sort(self.blocks, function(a, b) return a.prefix < b.prefix end)
  table.sort(self.removed)
  local file = self.root .. "/" .. manifest.FILE
  local kind = host.file_info(file)
  if kind ~= nil and kind ~= "file" then
    return string.format("%s: не удалось записать файл: это не обычный файл\n", file)
  end
  -- (written part by part: the entries before the next block, then the block with the entries
  -- that fall among its files — a file kept beside, edited — in order)
  local k, b, header = 1, 1, true
  local function put(lines, relative, sum)
    if sum == "?" then sum = host.file_checksum(self.root .. "/" .. relative) end
    if sum then lines[#lines + 1] = sum .. "\t" .. relative end
  end
  local ok, err = host.write_file(file, function()
    local lines = { header and HEADER or nil }
    header = false
    local more = 0 -- (the lines of blocks taken whole, beyond one each)
    while #lines + more < 1000 and (k <= #names or b <= #self.blocks) do
      local block = self.blocks[b]
      if not block or (k <= #names and names[k] < block.prefix) then
        put(lines, names[k], entries[names[k]])
        k = k + 1
      else
        b = b + 1
        local prefix = block.prefix
        local next_name = names[k]
        if not block.unknown and (not next_name or sub(next_name, 1, #prefix) ~= prefix) then
          -- (no other entry falls among the block's files (next_name, not below the prefix nor
          -- under it, sorts after them all) and every sum is known: its lines as they are, not
          -- a call and two strings per file — 350,000 at the end of a region's build, while
          -- nothing else runs)
          lines[#lines + 1] = sub(block.text, 1, -2)
          more = more + block.count - 1
        else
          each_in_block(block, function(relative, sum)
            while k <= #names and names[k] <= relative do
              put(lines, names[k], entries[names[k]])
              k = k + 1
              if names[k - 1] == relative then return end -- (recorded as kept)
            end
            put(lines, relative, sum)
          end)
          while k <= #names and names[k]:sub(1, #prefix) == prefix do
            put(lines, names[k], entries[names[k]])
            k = k + 1
          end
        end
      end
    end
    if #lines == 0 then return nil end
    return table.concat(lines, "\n") .. "\n"
  end)
  if not ok then return string.format("%s: не удалось записать файл: %s\n", file, err) end
end

-- The lines of the build's summary about the files of the earlier build.
function Made:summary()
  local out = {}
  if #self.removed > 0 then
    out[#out + 1] = string.format("Удалено файлов прошлой сборки, которые теперь не делаются: %d\n  %s\n",
      #self.removed, table.concat(self.removed, "\n  "))
  end
  if #self.left > 0 then
    out[#out + 1] = "Не удалено (изменено после прошлой сборки, а теперь не делается — удалите сами, если не нужно):\n  "
      .. table.concat(self.left, "\n  ") .. "\n"
  end
  if #self.beside > 0 then
    out[#out + 1] = "Не перезаписано (новый файл — рядом; перезаписать: --force):\n  "
      .. table.concat(self.beside, "\n  ") .. "\n"
  end
  return table.concat(out)
end

return manifest
