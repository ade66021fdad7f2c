-- The description language: the constructors a school script calls.
--
-- A school script is plain Lua run in a sandbox whose globals are the constructors below
-- (organisation, person, roadmap, stage, item, order, pair, ...). Each constructor only
-- marks the table it is given with its kind and the place in the script where it was
-- written, so that validation (validate.lua) can say "samples/x.lua:42: пара №3: ...".
-- Nothing is checked here: a description with many mistakes must still load, so that
-- all its mistakes are reported at once.
--
-- The kind and the place of a node live in a private table of this module, not in the node:
-- a script cannot forge them (a table written { __kind = "organisation", __file = "/dev/…" }
-- is a plain table with two unknown fields), and only the constructors set them.

local model = {}

-- node -> { kind =, file =, line = }; weak keys, so a node's entry goes with the node.
local nodes = setmetatable({}, { __mode = "k" })

-- Where a constructor was called from: the first stack level outside this library that is a
-- file the loader read ("@…"). Text a script runs with load() has a name of its choosing, so
-- its lines are not places: the place is the line of the file that ran it.
-- (string.find, not info.source:find: inside a script's run the methods of strings are the
-- guarded ones of sandbox.lua, each call asking the debug library who called)
local AT, find, sub, byte, getinfo = string.byte("@"), string.find, string.sub, string.byte, debug.getinfo
-- The file a function was loaded from when it is a place (a file the loader read, not of this
-- library), else false: asked once per function, not at every node ("S" formats the
-- chunk's name at every call; "f" and "l" alone are half the cost).
local place_file = setmetatable({}, { __mode = "k" })
local function file_of(f)
  local info = getinfo(f, "S")
  local source = info.source
  if info.what ~= "C" and byte(source, 1) == AT and not find(source, "^@.-scripts/nastavnik/") then
    -- the whole path (short_src cuts a long one to "...end": a sheet is found beside it)
    return sub(source, 2)
  end
  return false
end
local function call_site()
  for level = 3, 20 do
    local info = getinfo(level, "fl")
    if not info then break end
    local f = info.func
    local file = place_file[f]
    if file == nil then
      file = file_of(f)
      place_file[f] = file
    end
    if file then return file, info.currentline end
  end
  return "?", 0
end

-- The same walk in C (lua_host.c), where the host has it (the Lua tests' stand-in has not):
-- no table made for each level.
local host_call_site = require("nastavnik.host").call_site or call_site

-- The kinds of nodes and the fields each may hold. Validation rejects other fields
-- (with a suggestion), so a typo like "mentro" is caught rather than silently ignored.
-- "[]" lists what the array part of the table may hold.
model.fields = {
  municipality = {
    "name", "full_name", "short_name", "kind", "body", "place", "region", "head", "curator",
    "contacts", "people", "roadmap", "orders", "organisations", "practices", "events",
    "monitoring_year", "partners",
    "order_qr",
  },
  organisation = {
    "full_name", "short_name", "kind", "place", "region", "address", "head", "curator",
    "coordinator", "contacts", "people", "roadmap", "orders", "pairs", "practices", "events",
    "inn", "ogrn", "branch_of", "publishes", "partners",
    "order_qr",
  },
  -- An organisation the roadmap works with but does not run (a school, a college, an
  -- employer): named in responsible cells, its people may mentor «по согласованию».
  partner = { "short_name", "full_name", "kind", "people" },
  person = {
    "surname", "name", "patronymic", "post", "class", "subject", "role", "email", "phone",
    "gender", "minor", "parent", "id",
    "consent",
  },
  contacts = { "phone", "email", "site", "address" },
  roadmap = {
    "title", "subtitle", "year", "period", "approved_by", "approval", "goals", "goals_title",
    "columns", "column_numbers", "numbering", "stages", "items",
  },
  -- columns = { { "due", "Сроки" }, { key = "events", header = "Мероприятия", width = 30 } }
  column = { "key", "header", "title", "width", "group" },
  approval = { "post", "person", "date", "order", "organisation" },
  stage = { "number", "title", "note", "items" },
  item = {
    "number", "title", "content", "due", "result", "responsible", "rows", "items", "state", "comment",
    "evidence",
  },
  row = { "title", "content", "due", "result", "responsible", "state", "comment", "evidence" },
  order = { "number", "date", "kind", "title", "approves", "signed_by", "place", "appoints",
    "qr" },
  pair = {
    "number", "form", "mentor", "mentee", "mentors", "mentees", "from", "to", "goal", "topic",
    "tasks", "order", "completed", "meetings", "ended", "ended_by", "end_reason", "replaces",
  },
  meeting = { "title", "date", "note" },
  practice = {
    "title", "authors", "form", "problem", "description", "results", "presented", "year",
  },
  event = { "title", "level", "date", "result", "place" },
  -- pairs = sheet "пары.xlsx" / sheet { "пары.ods", list = "Пары" }: rows of a spreadsheet
  -- beside the description (sheet.lua reads them into pair, group and person nodes).
  sheet = { "list" },
}
model.fields.group = model.fields.pair

-- The columns whose meaning the generator knows, with the header the seeds most often give
-- them. An item's name goes to "title" whatever the header calls it ("Наименование этапа",
-- "Мероприятие"); dates are read from "due", people from "responsible". A roadmap may have
-- columns of its own besides (any other key): rich text carried to every output.
model.column_titles = {
  number = "№ п/п",
  title = "Наименование мероприятия",
  content = "Содержание деятельности",
  due = "Сроки",
  result = "Ожидаемый результат",
  responsible = "Ответственные",
}
model.column_order = { "number", "title", "content", "due", "result", "responsible" }

-- Marks a table as a node of `kind`, written at the caller's line. A plain string where a
-- table is expected becomes the node's first positional value, so `stage "Этап 1"` works.
local function constructor(kind)
  return function(t)
    if type(t) == "string" then t = { t } end
    if type(t) ~= "table" then
      error(string.format("%s { … }: ожидалась таблица в фигурных скобках, а получено: %s",
        kind, type(t)), 2)
    end
    local file, line = host_call_site()
    return model.mark(t, kind, file, line)
  end
end

-- Marks a table as a node of `kind` written at file:line (a script's line, or a sheet's row).
-- For the constructors and the sheet reader only: a script never sees this function.
function model.mark(t, kind, file, line)
  nodes[t] = { kind = kind, file = file, line = line }
  return t
end

model.constructor_names = {
  "municipality", "organisation", "person", "contacts", "roadmap", "approval", "stage", "item",
  "row", "order", "pair", "group", "meeting", "practice", "event", "sheet", "partner",
}

-- `due = above` in a sub-row: the cell continues the cell of the row above (a merged cell on
-- paper). A node of kind "above" (one per script's environment); validate.lua reads it.
function model.is_above(v) return model.kind(v) == "above" end

-- The globals a school script sees: the constructors and nothing that touches the outside.
-- (the environment made the size the sandbox fills it to, some fifty globals: lua_host.c)
local copy_table = require("nastavnik.host").copy_table
function model.constructors()
  local env = copy_table and copy_table(nil, 56) or {}
  for _, kind in ipairs(model.constructor_names) do
    env[kind] = constructor(kind)
  end
  env.school = env.organisation -- "school { … }" reads naturally for a school
  env.above = model.mark({}, "above", "?", 0)
  return env
end

-- Kind and position of a node (nil for plain values).
function model.kind(t)
  local node = nodes[t]
  return node and node.kind
end

function model.where(t)
  local node = nodes[t]
  if node then return node.file, node.line end
end

-- For the loader (never the script): the place of a node whose constructor could not see
-- its caller (a tail call), and the mark of a node on its plain copy.
function model.set_where(t, file, line)
  local node = nodes[t]
  if node then node.file, node.line = file, line end
end

-- Returns the node's file and line (nothing for a plain table): the copier wants both.
-- The copy shares the original's mark (one table less for each node of a description):
-- set_where changes a mark only before the copy is taken (sandbox.fix_tail_call).
function model.copy_mark(from, to)
  local node = nodes[from]
  if node then
    nodes[to] = node
    return node.file, node.line
  end
end

return model
