-- The sandbox a school script runs in. Its globals are the constructors of model.lua and
-- the harmless parts of the standard library: no os, no io, no debug, no loading of binary
-- chunks, no file loading but `require` of modules from the generator's scripts/ folder and
-- from the script's own folder. The C host adds the instruction budget and the memory cap.

local model = require "nastavnik.model"

local sandbox = {}

local SAFE_GLOBALS = {
  "assert", "error", "ipairs", "next", "pairs", "pcall", "rawequal", "rawget", "rawlen",
  "rawset", "select", "setmetatable", "getmetatable", "tonumber", "tostring", "type", "xpcall",
}
local SAFE_LIBRARIES = { "string", "table", "math", "utf8" }

-- Library modules a school script may require: pure functions over text, nothing that
-- reaches the host.
local SHARED_MODULES = {
  ["nastavnik.text"] = true, ["nastavnik.dates"] = true, ["nastavnik.richtext"] = true,
  ["nastavnik.forms"] = true, ["nastavnik.due"] = true, ["nastavnik.people"] = true,
}

local function copy(t)
  local c = {}
  for k, v in pairs(t) do c[k] = v end
  return c
end

-- Path of the folder of `path` ("samples/x.lua" -> "samples/"), "" for a bare name.
local function folder_of(path) return path:match("^(.*/)") or "" end

-- Builds the environment for the script at `path`. `host` is the C host's table.
function sandbox.environment(path, host)
  local env = model.constructors()
  for _, name in ipairs(SAFE_GLOBALS) do env[name] = _G[name] end
  for _, name in ipairs(SAFE_LIBRARIES) do env[name] = copy(_G[name]) end
  env.string.dump = nil
  env.math.random, env.math.randomseed = nil, nil -- documents must come out the same each run
  env._G = env
  env._VERSION = _VERSION

  -- Text chunks only, and always inside this sandbox.
  env.load = function(chunk, name, _, chunk_env)
    return load(chunk, name, "t", chunk_env or env)
  end

  local own_folder = folder_of(path)
  local loaded = {}
  env.require = function(name)
    if type(name) ~= "string" or not name:match("^[%w_%.%-]+$") then
      error(string.format("require: недопустимое имя модуля «%s»", tostring(name)), 2)
    end
    if loaded[name] ~= nil then return loaded[name] end
    local file = own_folder .. name:gsub("%.", "/") .. ".lua"
    local source = host.read_file(file)
    if source then
      local chunk, err = load(source, "@" .. file, "t", env)
      if not chunk then error(err, 0) end
      local value = chunk(name)
      if value == nil then value = true end
      loaded[name] = value
      return value
    end
    if SHARED_MODULES[name] then
      loaded[name] = require(name)
      return loaded[name]
    end
    error(string.format("require: модуль «%s» не найден рядом с описанием (%s); из scripts/ "
      .. "доступны только nastavnik.text, nastavnik.dates, nastavnik.richtext, nastavnik.forms, "
      .. "nastavnik.due, nastavnik.people", name, file), 2)
  end
  return env
end

return sandbox
