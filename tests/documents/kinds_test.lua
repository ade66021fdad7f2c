-- The document kinds in-process, with the plain Lua interpreter (no C, no PDF engine):
--   * each kind module has the fields cli.lua and `build` read;
--   * kinds made once per pair or person list one instance per pair, participant or
--     mentor (counted here from the model), with distinct file names without non-breaking
--     spaces or slashes, and every instance's options give a view;
--   * pdf(view) of every view gives a layout table of the agreed shape (block types,
--     runs of text, table rows as wide as their columns) — checked here, not rendered.
--
-- Usage: lua5.4 kinds_test.lua SCRIPTS_DIR SAMPLE...   (from the top of the source tree)
-- The host module is replaced by a stub that reads files with io and runs the description
-- without limits: the samples are trusted.

local scripts = assert(arg[1], "usage: kinds_test.lua SCRIPTS_DIR SAMPLE...")
package.path = scripts .. "/?.lua;" .. package.path
package.preload["nastavnik.host"] = function()
  return {
    memory_limit_mb = 512, version = "test", scripts_dir = scripts,
    read_file = function(path)
      local f, err = io.open(path, "rb")
      if not f then return nil, err end
      local s = f:read("a")
      f:close()
      return s
    end,
    run_limited = function(f, ...) return true, f(...) end,
    limits_on = function() end, limits_off = function() end, limits_reached = function() end,
    note_input = function() end,
    -- (lua_host.c's walk; here every description is copied, which validation reads the same)
    plain_tree = function() return false end,
    list_dir = function(dir)
      local names, ls = {}, io.popen('ls -1 "' .. dir .. '"')
      for name in ls:lines() do names[#names + 1] = name end
      ls:close()
      return names
    end,
  }
end

local load = require "nastavnik.load"

-- Every kind the generator finds in scripts/documents/ (documents/kinds.lua).
local KINDS = require "documents.kinds"
local failures = {}
local function fail(fmt, ...) failures[#failures + 1] = string.format(fmt, ...) end

-- Expected instance counts, from the model alone.
local function unique(org, roles)
  local seen, n = {}, 0
  for _, pair in ipairs(org.pairs or {}) do
    for _, role in ipairs(roles) do
      for _, p in ipairs(pair[role]) do
        if not seen[p] then seen[p] = true; n = n + 1 end
      end
    end
  end
  return n
end
local EXPECTED = {
  plan = function(org) return #(org.pairs or {}) end,
  ["consent-data"] = function(org) return unique(org, { "mentors", "mentees" }) end,
  ["consent-mentor"] = function(org) return unique(org, { "mentors" }) end,
}
-- An order kind: one document per order of its kind, or one draft (or none) without any.
local function expected_orders(kind, org)
  local n = 0
  for _, o in ipairs(org.orders or {}) do
    if o.kind == kind.order_kind then n = n + 1 end
  end
  if n == 0 then return kind.draft(org) and 1 or 0 end
  return n
end

-- The layout contract (the PDF engine's input).
local BLOCK_TYPES = { para = true, list = true, table = true, box = true, page_break = true, space = true,
  page = true, toc = true }
local check_blocks

local function check_runs(where, runs)
  if type(runs) ~= "table" or #runs == 0 then fail("%s: a paragraph without runs", where); return end
  for _, run in ipairs(runs) do
    if type(run.text) ~= "string" then fail("%s: a run without text", where) end
  end
end

local function check_block(where, b)
  if type(b) ~= "table" or not BLOCK_TYPES[b.type] then
    fail("%s: unknown block %s", where, tostring(type(b) == "table" and b.type or b))
    return
  end
  if b.type == "para" then
    check_runs(where, b.runs)
  elseif b.type == "list" then
    for _, it in ipairs(b.items or {}) do check_runs(where .. " (list)", it.runs) end
  elseif b.type == "box" then
    check_blocks(where .. " (box)", b.blocks)
  elseif b.type == "table" then
    local ncols = #(b.columns or {})
    if ncols == 0 then fail("%s: a table without columns", where) end
    -- A cell spanning rows (rowspan) takes its columns in the rows below too.
    local below = {} -- below[k]: the rows still taken by earlier cells, k-th from now on
    for r, row in ipairs(b.rows or {}) do
      local width = below[1] or 0
      table.remove(below, 1)
      for _, cell in ipairs(row.cells or {}) do
        local span = cell.colspan or 1
        width = width + span
        for k = 1, (cell.rowspan or 1) - 1 do below[k] = (below[k] or 0) + span end
        check_blocks(string.format("%s (row %d)", where, r), cell.blocks)
      end
      if width ~= ncols then fail("%s: row %d spans %d of %d columns", where, r, width, ncols) end
    end
  end
end

function check_blocks(where, blocks)
  if type(blocks) ~= "table" then fail("%s: blocks missing", where); return end
  for i, b in ipairs(blocks) do check_block(string.format("%s, block %d", where, i), b) end
end

local function check_layout(where, kind, view)
  local ok, doc = pcall(kind.pdf, view)
  if not ok then fail("%s: pdf(view) failed: %s", where, tostring(doc)); return end
  if type(doc) ~= "table" or type(doc.blocks) ~= "table" or #doc.blocks == 0 then
    fail("%s: pdf(view) gave no blocks", where)
    return
  end
  check_blocks(where, doc.blocks)
end

local views = 0
for k = 2, #arg do
  local sample = arg[k]
  local model, errors = load.description(sample)
  if not model or #errors > 0 then
    fail("%s: does not load (%s)", sample, errors and errors[1] and errors[1].message or "?")
  else
    local subjects = { { org = model, options = {} } }
    if model.type == "municipality" then
      for i, org in ipairs(model.organisations) do
        subjects[#subjects + 1] = { org = org, options = { organisation = tostring(i) } }
      end
    end
    for _, name in ipairs(KINDS) do
      local kind = require("documents." .. name)
      if kind.kind ~= name then fail("%s: kind = %s", name, tostring(kind.kind)) end
      for _, f in ipairs({ "title", "folder", "file_name" }) do
        if type(kind[f]) ~= "string" then fail("%s: field %s is not a string", name, f) end
      end
      if type(kind.for_municipality) ~= "boolean" then fail("%s: for_municipality is not a boolean", name) end
      if type(kind.view) ~= "function" or type(kind.pdf) ~= "function" then fail("%s: view or pdf missing", name) end
      for _, subject in ipairs(subjects) do
        local where = string.format("%s %s org=%s", sample, name, tostring(subject.options.organisation))
        if kind.instances then
          local list = kind.instances(model, subject.options)
          local expected
          if kind.order_kind then
            expected = (subject.org.type == "municipality" and not kind.for_municipality) and 0
              or expected_orders(kind, subject.org)
          elseif not EXPECTED[name] then
            expected = #list -- a kind this test knows nothing of: its own count
          else
            expected = subject.org.type == "municipality" and 0 or EXPECTED[name](subject.org)
          end
          if #list ~= expected then fail("%s: %d instances, expected %d", where, #list, expected) end
          local names = {}
          for i, inst in ipairs(list) do
            if names[inst.file_name] then fail("%s: file name «%s» twice", where, inst.file_name) end
            names[inst.file_name] = true
            if inst.file_name:find("\u{a0}", 1, true) or inst.file_name:find("/", 1, true) then
              fail("%s: file name «%s» has a non-breaking space or a slash", where, inst.file_name)
            end
            local draft = kind.order_kind and inst.options.item == nil and #list == 1
            if (inst.options.item ~= tostring(i) and not draft) or inst.options.organisation ~= subject.options.organisation then
              fail("%s: instance %d options item=%s organisation=%s", where, i, tostring(inst.options.item),
                tostring(inst.options.organisation))
            end
            local view, why = kind.view(model, inst.options)
            if not view then
              fail("%s: instance %d gives no view: %s", where, i, tostring(why))
            else
              views = views + 1
              check_layout(where .. " item " .. i, kind, view)
            end
          end
        else
          local view = kind.view(model, subject.options)
          if view then
            views = views + 1
            check_layout(where, kind, view)
          end
        end
      end
    end
  end
end

-- The report's table is made of the cells of the roadmap's (documents/roadmap.lua: made once per
-- roadmap, shared) and numbered its own way: made after the roadmap's view or without it, it is
-- the same, and after it, its item cells are the roadmap's own.
do
  local roadmap_kind, report_kind = require "documents.roadmap", require "documents.roadmap-report"
  local function same(a, b, seen)
    if type(a) ~= "table" or type(b) ~= "table" then return a == b end
    seen = seen or {}
    if seen[a] == b then return true end
    seen[a] = b
    for key, v in pairs(a) do if not same(v, b[key], seen) then return false end end
    for key in pairs(b) do if a[key] == nil then return false end end
    return true
  end
  for k = 2, #arg do
    local alone_model, after_model = load.description(arg[k]), load.description(arg[k])
    if alone_model and after_model then
      local subjects = { {} }
      for i in ipairs(alone_model.organisations or {}) do subjects[#subjects + 1] = { organisation = tostring(i) } end
      for _, options in ipairs(subjects) do
        local where = string.format("%s report org=%s", arg[k], tostring(options.organisation))
        local alone = report_kind.view(alone_model, options)
        local rm_view = roadmap_kind.view(after_model, options)
        local after = report_kind.view(after_model, options)
        if (alone == nil) ~= (after == nil) then
          fail("%s: a view made in one case, not in the other", where)
        elseif alone then
          if not same(alone.table, after.table) then fail("%s: the table differs after the roadmap's view", where) end
          local cells = {}
          for _, row in ipairs(rm_view.table.rows) do
            for _, cell in ipairs(row.cells) do cells[cell] = true end
          end
          local shared, items = 0, 0
          for _, row in ipairs(after.table.rows) do
            for _, cell in ipairs(row.cells) do if cells[cell] then shared = shared + 1 end end
          end
          for _, r in ipairs(after.rows) do if r.kind == "item" then items = items + 1 end end
          if items > 0 and shared == 0 then fail("%s: no cell of the roadmap's table in the report's", where) end
        end
      end
    end
  end
end

if #failures > 0 then
  print(#failures .. " failure(s):")
  for i = 1, math.min(#failures, 200) do print(" - " .. failures[i]) end
  os.exit(1)
end
print(string.format("document kinds: %d views laid out, instances as counted", views))
