-- nastavnik kinds: the document kinds found in scripts/documents/ as JSON, for the tests (they
-- iterate over what is there, never over a list of their own); not listed in the help.

local command = require "nastavnik.command"
local json = require "nastavnik.json"
local kinds = require "documents.kinds"

return {
  hidden = true,
  run = function(args)
    if #args > 0 then return command.usage_error("kinds: параметры не нужны") end
    local out = {}
    for _, name in ipairs(kinds) do
      local k = kinds.modules[name]
      out[#out + 1] = { kind = name, title = k.title, folder = k.folder, file_name = k.file_name,
        order_kind = k.order_kind, instances = k.instances ~= nil, landscape = k.landscape or false,
        for_municipality = k.for_municipality or false, only_municipality = k.only_municipality or false,
        says = k.says or {} }
    end
    return command.EXIT_OK, json.encode(out) .. "\n", ""
  end,
}
