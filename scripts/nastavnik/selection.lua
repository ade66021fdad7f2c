-- What `build` makes when told to make less: --formats pdf,docx and --kinds orders,plans.
-- A kind is named by its own name (order-pairs), by its group (orders: every order-…;
-- consents: every consent-…; plans), by its folder or its title in Russian (приказы,
-- согласия, планы, «дорожная карта»), in any case, «ё» or «е»; the register of pairs and the
-- calendar by registers / реестр and calendar / календарь. Nothing here lists the kinds:
-- they come from documents/kinds.lua.

local kinds = require "documents.kinds"
local text = require "nastavnik.text"

local selection = {}

-- The formats build writes, in the order it writes them.
selection.FORMATS = { "pdf", "docx", "odt", "xlsx", "ods", "ics" }

-- The pseudo-kinds beside the documents: what build writes that is not a document kind.
local EXTRAS = {
  register = { "register", "registers", "реестр", "реестры", "реестр пар" },
  calendar = { "calendar", "calendars", "календарь", "календари" },
}

local function normal(s)
  return (text.lower(text.trim(s)):gsub("ё", "е"))
end

-- The names a kind answers to.
local function names_of(kind)
  local names = { kind.kind, kind.kind .. "s" }
  local group = kind.kind:match("^([%w]+)%-")
  -- (roadmap-report's group would be "roadmaps", the roadmap's own plural: not a group)
  if group and not kinds.modules[group] then names[#names + 1] = group .. "s" end
  for _, s in ipairs({ kind.folder, kind.title, kind.file_name }) do
    if s and s ~= "" then
      names[#names + 1] = s
      names[#names + 1] = s:match("^(%S+)") -- «Планы наставнических пар» -> «планы»
    end
  end
  local out = {}
  for i, n in ipairs(names) do out[i] = normal(n) end
  return out
end

-- Splits "a,b, c" into its names.
local function split(list)
  local out = {}
  for part in list:gmatch("[^,]+") do
    if text.trim(part) ~= "" then out[#out + 1] = text.trim(part) end
  end
  return out
end

-- --formats: a set { pdf = true, … } or nil and the message.
function selection.formats(list)
  local set = {}
  local names = split(list)
  if #names == 0 then return nil, "--formats: укажите форматы через запятую: " .. table.concat(selection.FORMATS, ",") end
  for _, name in ipairs(names) do
    local n = normal(name)
    local known = false
    for _, f in ipairs(selection.FORMATS) do known = known or f == n end
    if not known then
      return nil, string.format("--formats: неизвестный формат «%s»; бывают: %s", name, table.concat(selection.FORMATS, ", "))
    end
    set[n] = true
  end
  return set
end

-- --kinds: a set { [kind name] = true, register = true, calendar = true } or nil and the
-- message.
function selection.kinds(list)
  local set = {}
  local names = split(list)
  if #names == 0 then return nil, "--kinds: укажите документы через запятую, например orders,plans" end
  for _, name in ipairs(names) do
    local n, found = normal(name), false
    for _, kind_name in ipairs(kinds) do
      for _, known in ipairs(names_of(kinds.modules[kind_name])) do
        if known == n then set[kind_name], found = true, true end
      end
    end
    for extra, aliases in pairs(EXTRAS) do
      for _, alias in ipairs(aliases) do
        if alias == n then set[extra], found = true, true end
      end
    end
    if not found then
      return nil, string.format("--kinds: неизвестный документ «%s»; бывают: orders (приказы), consents "
        .. "(согласия), plans (планы), registers (реестр), calendar (календарь), %s", name, table.concat(kinds, ", "))
    end
  end
  return set
end

return selection
