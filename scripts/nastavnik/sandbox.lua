-- The sandbox a school script runs in. Its globals are the constructors of model.lua and
-- the harmless parts of the standard library: no os, no io, no debug, no loading of binary
-- chunks, no file loading but `require` of modules from the script's own folder and of the
-- text helpers of scripts/nastavnik/. The C host adds the instruction budget and the memory
-- cap; this file makes sure a script can neither switch them off (pcall that swallows the
-- budget error, __gc finalizers that would run after the budget ends) nor reach the tables
-- the validator itself uses (every shared module is a fresh copy for each script).
--
-- Whatever is refused is refused with a Russian message naming the line, because the
-- person reading it is a school secretary, not a programmer.

local model = require "nastavnik.model"
local host_module = require "nastavnik.host"

local sandbox = {}

local SAFE_GLOBALS = {
  "assert", "error", "ipairs", "next", "pairs", "rawequal", "rawget", "rawlen", "rawset",
  "select", "tonumber", "tostring", "type",
}
local SAFE_LIBRARIES = { "string", "table", "math", "utf8" }

-- Library modules a school script may require: pure functions over text, nothing that
-- reaches the host.
local SHARED_MODULES = {
  ["nastavnik.text"] = true, ["nastavnik.dates"] = true, ["nastavnik.richtext"] = true,
  ["nastavnik.forms"] = true, ["nastavnik.due"] = true, ["nastavnik.people"] = true,
}
local SHARED_LIST = "nastavnik.text, nastavnik.dates, nastavnik.richtext, nastavnik.forms, "
  .. "nastavnik.due, nastavnik.people"

-- Names a script may try and must not have, with the reason the secretary reads. A read of
-- any of them stops the script at once with that reason (see the metatable of the
-- environment below), instead of Lua's "attempt to index a nil value (global 'os')".
local WHY_NOT = "описание школы только перечисляет сведения и не может "
sandbox.FORBIDDEN = {
  os = WHY_NOT .. "запускать программы и обращаться к системе",
  io = WHY_NOT .. "читать и записывать файлы",
  debug = WHY_NOT .. "пользоваться отладчиком Lua",
  package = WHY_NOT .. "загружать библиотеки",
  dofile = WHY_NOT .. "выполнять другие файлы (другие файлы описания подключаются через require)",
  loadfile = WHY_NOT .. "загружать файлы (другие файлы описания подключаются через require)",
  loadstring = WHY_NOT .. "выполнять код из текста",
  collectgarbage = WHY_NOT .. "управлять памятью генератора",
  print = "описание ничего не печатает: всё, что нужно в документах, записывается в поля",
  coroutine = WHY_NOT .. "пользоваться сопрограммами",
  setfenv = WHY_NOT .. "менять окружение функций",
  getfenv = WHY_NOT .. "менять окружение функций",
  module = WHY_NOT .. "объявлять модули так (модуль — файл, который возвращает таблицу)",
}

-- The one test for the errors no script may catch: a limit reached (instructions, CPU
-- time: the host knows) and memory. A script that caught them could loop for ever.
function sandbox.is_fatal(message)
  if host_module.limits_reached() then return true end
  return type(message) == "string" and (message:find("not enough memory$") ~= nil
    or message:find("слишком много памяти", 1, true) ~= nil)
end

-- A chunk name of the trusted library (scripts/nastavnik/…), as debug.getinfo gives it.
local TRUSTED_PREFIX = "@" .. (host_module.scripts_dir or "scripts") .. "/"
function sandbox.is_trusted_source(source)
  return source:sub(1, #TRUSTED_PREFIX) == TRUSTED_PREFIX
end

local function forbidden(name, level)
  error(string.format("«%s» недоступно в описании школы: %s", name, sandbox.FORBIDDEN[name]),
    level + 1)
end

-- (the host's copy is made the size it takes: lua_host.c; the Lua tests' stand-in has none)
local copy = host_module.copy_table or function(t)
  local c = {}
  for k, v in pairs(t) do c[k] = v end
  return c
end

-- Path of the folder of `path` ("samples/x.lua" -> "samples/"), "" for a bare name.
local function folder_of(path) return path:match("^(.*/)") or "" end

-- pcall and xpcall that let the budget and memory errors through.
local function pass_fatal(ok, ...)
  if not ok and sandbox.is_fatal((...)) then error((...), 0) end
  return ok, ...
end

local function safe_pcall(f, ...) return pass_fatal(pcall(f, ...)) end

local function safe_xpcall(f, handler, ...)
  if type(handler) ~= "function" then
    error("xpcall: вторым значением нужна функция-обработчик ошибки", 2)
  end
  return pass_fatal(xpcall(f, function(m)
    if sandbox.is_fatal(m) then return m end
    -- The budget may run out inside the handler itself; Lua would turn that into "error in
    -- error handling" and xpcall would swallow it.
    local ok, result = pcall(handler, m)
    if not ok and sandbox.is_fatal(result) then return result end
    return result
  end, ...))
end

-- Metatables are the script's own business, with two exceptions: the shared metatable of
-- strings stays hidden (the host sets __metatable on it; we refuse the question outright,
-- for a clear message), and __gc is refused, since a finalizer runs whenever the collector
-- pleases: after the instruction budget has ended, in the middle of validation.
local function safe_getmetatable(v)
  if type(v) ~= "table" then
    error(string.format("getmetatable: метатаблица значения типа «%s» недоступна в описании "
      .. "школы: строки и числа нельзя переделывать", type(v)), 2)
  end
  return getmetatable(v)
end

local function safe_setmetatable(t, mt)
  if type(t) ~= "table" then
    error("setmetatable: метатаблицу можно задать только таблице", 2)
  end
  if type(mt) == "table" and rawget(mt, "__gc") ~= nil then
    error("setmetatable: поле __gc недоступно в описании школы (сборщик мусора вызывал бы "
      .. "код описания вне его проверок)", 2)
  end
  if getmetatable(t) ~= nil and type(getmetatable(t)) ~= "table" then
    error("setmetatable: метатаблица этой таблицы защищена, менять её нельзя", 2)
  end
  return setmetatable(t, mt)
end

-- A string.rep that refuses a string larger than the memory cap before trying to build it,
-- so the message names the line ("…: описание требует слишком много памяти").
local raw_rep = string.rep

local function make_rep(limit_bytes)
  return function(s, n, sep)
    -- a number is a string to string.rep (("x"):rep(3, 0) is "x0x0x")
    local s_text = type(s) == "number" and tostring(s) or s
    local sep_text = type(sep) == "number" and tostring(sep) or sep
    if type(s_text) == "string" and math.type(n) and n > 0 then
      local size = #s_text * n + (type(sep_text) == "string" and #sep_text * (n - 1) or 0)
      if size > limit_bytes then
        error(string.format("string.rep: описание требует слишком много памяти (строка в %.0f МБ "
          .. "при пределе %d МБ)", size / 1048576, limit_bytes // 1048576), 2)
      end
    end
    -- Lua's own errors (a wrong argument, "resulting string too large", memory) are raised
    -- with the caller's line, not this file's.
    local ok, result = pcall(raw_rep, s, n, sep)
    if not ok then error((tostring(result):gsub("to '%?'", "to 'string.rep'")), 2) end
    return result
  end
end

-- Strings share one metatable, so ("x"):rep(2^30) reaches the library's own string.rep
-- whatever the environment holds: the check goes into the shared string table itself (the
-- generator never builds a string near the cap, so it costs the trusted code nothing).
string.rep = make_rep(host_module.memory_limit_mb * 1048576)

-- Lua's pattern matching backtracks: a pattern with several quantifiers over a long text
-- (s:find(".-.-.-.-b") over 20,000 letters) runs for hours inside one C call, where neither
-- the instruction budget nor the script can stop it (only the CPU-time limit, a minute
-- later). While user code runs, find, match, gmatch and gsub first weigh the pattern against
-- the text: the worst case of a pattern with q quantifiers over n bytes is about n^q steps
-- (n^(q+1) when it may start anywhere). A pattern that could take more than PATTERN_STEPS
-- is refused at once, with the line. The library's own patterns (called from a file of
-- scripts/, also while user code runs) are not weighed.
local PATTERN_STEPS = 2e8

-- The number of quantifiers (*, +, -) and of optional items (?) of a Lua pattern, and
-- whether it is anchored with "^".
local function pattern_shape(p)
  local i, n, quantifiers, optional = 1, #p, 0, 0
  local anchored = p:sub(1, 1) == "^"
  if anchored then i = 2 end
  while i <= n do
    local c = p:sub(i, i)
    local item_end
    if c == "%" then
      local d = p:sub(i + 1, i + 1)
      if d == "b" then
        i = i + 4 -- %bxy: no quantifier may follow
        goto continue
      elseif d == "f" then
        i = i + 2
        c = "["
      else
        item_end = i + 1
      end
    end
    if c == "[" then
      local j = i + 1
      if p:sub(j, j) == "^" then j = j + 1 end
      if p:sub(j, j) == "]" then j = j + 1 end
      while j <= n and p:sub(j, j) ~= "]" do
        if p:sub(j, j) == "%" then j = j + 1 end
        j = j + 1
      end
      item_end = j
    elseif c == "(" or c == ")" then
      i = i + 1
      goto continue
    elseif not item_end then
      item_end = i
    end
    do
      local q = p:sub(item_end + 1, item_end + 1)
      if q == "*" or q == "+" or q == "-" then
        quantifiers = quantifiers + 1
        i = item_end + 2
      elseif q == "?" then
        optional = optional + 1
        i = item_end + 2
      else
        i = item_end + 1
      end
    end
    ::continue::
  end
  return quantifiers, optional, anchored
end

local function guarded(name, raw, from_anywhere)
  return function(s, p, ...)
    if type(s) == "number" then s = tostring(s) end
    if type(p) == "number" then p = tostring(p) end
    local plain = name == "find" and select(2, ...)
    if type(s) == "string" and type(p) == "string" and not plain and #s > 1
        and not sandbox.is_trusted_source(debug.getinfo(2, "S").source) then
      local quantifiers, optional, anchored = pattern_shape(p)
      local power = quantifiers + ((from_anywhere and not anchored) and 1 or 0)
      local steps = (#s + 1) ^ power * 2 ^ math.min(optional, 60)
      if steps > PATTERN_STEPS then
        error(string.format("string.%s: образец «%s» слишком сложен для текста длиной %d байт "
          .. "(перебор занял бы часы); упростите образец или ищите в тексте покороче", name,
          #p > 60 and (p:sub(1, 60) .. "…") or p, #s), 2)
      end
    end
    return raw(s, p, ...)
  end
end

-- The string library user code sees (through its environment and through the methods of
-- strings, see sandbox.run).
local guarded_string = {}
for k, v in pairs(string) do guarded_string[k] = v end
guarded_string.find = guarded("find", string.find, true)
guarded_string.match = guarded("match", string.match, true)
guarded_string.gmatch = guarded("gmatch", string.gmatch, true)
guarded_string.gsub = guarded("gsub", string.gsub, true)
guarded_string.dump = nil

local string_methods = debug.getmetatable("")

-- Runs user code (a description, a data script's filter, the fonts configuration): under
-- the limits of the run (host.run_limited) and with the guarded string methods. Returns what
-- run_limited returns.
function sandbox.run(f, ...)
  local outer = string_methods.__index
  string_methods.__index = guarded_string
  local results = table.pack(host_module.run_limited(f, ...))
  string_methods.__index = outer
  return table.unpack(results, 1, results.n)
end

-- A fresh instance of a shared library module, for one script: its tables are not the ones
-- the validator uses, so whatever the script changes in them, validation stays honest. The
-- modules it requires are fresh as well (memoised in `instances`).
local function fresh_module(name, instances, host)
  if instances[name] then return instances[name] end
  local path = package.searchpath(name, package.path)
  local source = path and host.read_file(path)
  if not source then return require(name) end -- cannot happen with an intact scripts/ folder
  local module_env = setmetatable({}, { __index = _G })
  module_env.require = function(n)
    if SHARED_MODULES[n] then return fresh_module(n, instances, host) end
    return require(n)
  end
  local chunk = assert(load(source, "@" .. path, "t", module_env))
  instances[name] = chunk(name)
  return instances[name]
end

-- The trusted library's own string functions: a method call (source:find) inside a run of
-- user code would go through the guarded ones, each call asking debug.getinfo who called.
local find, sub, match, gsub, gmatch, byte = string.find, string.sub, string.match, string.gsub, string.gmatch,
  string.byte
-- What %s means inside a line: space, tab, \r, \v, \f.
local SPACE_BYTES = { [32] = true, [9] = true, [13] = true, [11] = true, [12] = true }
local NEWLINE = 10

-- The last line of the source that reads `return <constructor> …` (or a bare
-- `return <name>`): its number and its text, or nil. Only the lines holding "return" are
-- looked at (a plain find from one to the next), not every line.
local function last_return(source, without_line)
  local found_at, found_text
  local at = 1
  while true do
    local i = find(source, "return", at, true)
    if not i then break end
    -- back to the start of the line over spaces only: after anything else this "return"
    -- (and any other of its line) does not start the line
    local line_start = i
    while line_start > 1 and SPACE_BYTES[byte(source, line_start - 1)] do line_start = line_start - 1 end
    local line_end = (find(source, "\n", i, true) or #source + 1) - 1
    if line_start == 1 or byte(source, line_start - 1) == NEWLINE then
      local text = sub(source, line_start, line_end)
      if match(text, "^%s*return%s+[%a_]+%s*[{(\"']") or match(text, "^%s*return%s+[%a_]+%s*$") then
        found_at, found_text = line_start, text
      end
    end
    at = line_end + 2
  end
  if not found_at then return nil end
  -- (returns_organisation wants the text alone: the count of the lines before it, a copy of
  -- them and a gsub, was a tenth of what a region's process does for each organisation file
  -- its script requires, before any worker starts)
  if without_line then return 0, found_text end
  local _, newlines = gsub(sub(source, 1, found_at - 1), "\n", "")
  return newlines + 1, found_text
end

-- `return organisation { … }` is a tail call: the constructor cannot see the line of its
-- caller and marks the node "?". The line is the last `return <constructor> …` of the source.
function sandbox.return_line(source)
  return (last_return(source))
end

-- Whether the file's last `return` returns an organisation (load.region reads such a file
-- on its own).
function sandbox.returns_organisation(source)
  local _, text = last_return(source, true)
  if not text then return false end
  return match(text, "^%s*return%s+organisation%f[^%w_]") ~= nil
    or match(text, "^%s*return%s+school%f[^%w_]") ~= nil
end

function sandbox.fix_tail_call(node, file, source)
  if model.kind(node) and model.where(node) ~= file then
    local line = sandbox.return_line(source)
    if line then model.set_where(node, file, line) end
  end
end

-- Whether a text is UTF-8 as utf8.len takes it: the C host's check (the Lua tests' stand-in
-- host has none: utf8.len then).
local utf8_valid = host_module.utf8_valid or function(s) return utf8.len(s) ~= nil end

-- The number of the first line that is not UTF-8, or nil.
function sandbox.first_non_utf8_line(source)
  -- (the whole at once, in C, as utf8.len would take it: a description's usual case)
  if utf8_valid(source) then return nil end
  local line_no = 0
  for line in (source .. "\n"):gmatch("(.-)\n") do
    line_no = line_no + 1
    if not utf8.len(line) then return line_no end
  end
end

-- A module name `require` accepts: parts of letters, digits, "_" and "-", joined by single
-- dots ("sosnovsky.school-1"). Nothing else: no "/" or "\\", no leading, trailing or doubled
-- dot, so the file is always inside the description's own folder.
-- (the library's own gmatch and match, not the methods: require is called inside a run of
-- user code, whose string methods are the guarded ones, each call asking debug.getinfo who
-- called — four times an organisation file of a region, in the process that waits for them)
function sandbox.valid_module_name(name)
  if type(name) ~= "string" or #name > 200 then return false end
  for part in gmatch(name .. ".", "(.-)%.") do
    if not match(part, "^[%w_%-]+$") then return false end
  end
  return true
end

-- Builds the environment for the script at `path`. `host` is the C host's table; `sources`
-- (optional) receives file -> source of every file the script requires, the only files an
-- error message may quote.
--
-- `deferred` (optional; load.region's) makes `require` of a file that returns an
-- organisation (its last `return` is `return organisation {` or `school {`) give a stand-in
-- instead of running the file: deferred[stand_in] = { file =, name = }; the loader reads
-- that organisation later, alone. A script that looks into the stand-in gets the real
-- organisation (the file is run then, once: deferred[stand_in].value), so nothing a script
-- may do changes meaning; it only costs the streaming of that organisation.
function sandbox.environment(path, host, sources, deferred)
  local env = model.constructors()
  for _, name in ipairs(SAFE_GLOBALS) do env[name] = _G[name] end
  for _, name in ipairs(SAFE_LIBRARIES) do env[name] = copy(_G[name]) end
  env.string = copy(guarded_string)
  env.math.random, env.math.randomseed = nil, nil -- documents must come out the same each run
  env.pcall, env.xpcall = safe_pcall, safe_xpcall
  env.getmetatable, env.setmetatable = safe_getmetatable, safe_setmetatable
  env._G = env
  env._VERSION = _VERSION

  -- Text chunks only, and always inside this sandbox. The chunk's name is only a label
  -- ("=name"): it may not pose as a file.
  env.load = function(chunk, name, _, chunk_env)
    if type(chunk) == "string" and chunk:byte(1) == 27 then
      error("load: готовый (двоичный) код Lua в описании школы запрещён; можно только текст", 2)
    end
    local label = type(name) == "string" and name:gsub("^[=@]", ""):gsub("%c", " "):sub(1, 60)
    return load(chunk, "=" .. (label or "load"), "t", chunk_env or env)
  end

  local own_folder = folder_of(path)
  local loaded, instances = {}, {}
  local LOADING = {}
  env.require = function(name)
    if not sandbox.valid_module_name(name) then
      error(string.format("require: недопустимое имя файла «%s»: пишите имя файла без «.lua», "
        .. "латинскими буквами и цифрами, папки через точку, например require "
        .. "\"sosnovsky.school-1\" (файл sosnovsky/school-1.lua рядом с описанием)",
        type(name) == "string" and name:sub(1, 200) or type(name)), 2)
    end
    if sandbox.FORBIDDEN[name] then forbidden(name, 2) end
    if loaded[name] == LOADING then
      error(string.format("require: файл «%s» подключает сам себя (по кругу)", name), 2)
    end
    if loaded[name] ~= nil then return loaded[name] end
    local file = own_folder .. name:gsub("%.", "/") .. ".lua"
    local source = host.read_file(file)
    if source then
      -- The same care as for the description itself (load.lua): Notepad's byte order mark
      -- is dropped, another encoding is named before its text turns into nonsense.
      if source:sub(1, 3) == "\239\187\191" then source = source:sub(4) end
      local bad_line = sandbox.first_non_utf8_line(source)
      if bad_line then
        error(string.format("%s:%d: файл сохранён не в кодировке UTF-8 (похоже, в Windows-1251); "
          .. "откройте его в редакторе и сохраните в кодировке UTF-8", file, bad_line), 0)
      end
      local function run()
        if not source then
          source = host.read_file(file) or ""
          if source:sub(1, 3) == "\239\187\191" then source = source:sub(4) end
        end
        if sources then sources[file] = source end
        -- (each file of a description brings its own instruction budget: lua_host.c)
        host.limits_extend()
        local chunk, err = load(source, "@" .. file, "t", env)
        if not chunk then error(err, 0) end
        loaded[name] = LOADING
        local value = chunk(name)
        if value == nil then value = true end
        sandbox.fix_tail_call(value, file, source)
        loaded[name] = value
        return value
      end
      if deferred and sandbox.returns_organisation(source) then
        local stand_in, info = {}, { file = file, name = name }
        local function real()
          if info.value == nil then
            info.value = run()
            loaded[name] = stand_in
          end
          return info.value
        end
        setmetatable(stand_in, {
          __index = function(_, k) return real()[k] end,
          __newindex = function(_, k, v) real()[k] = v end,
          __pairs = function() return next, real(), nil end,
          __len = function() return #real() end,
          __metatable = false,
        })
        deferred[stand_in] = info
        loaded[name] = stand_in
        source = nil -- (read again when needed: a region's sources do not stay in memory)
        return stand_in
      end
      return run()
    end
    if SHARED_MODULES[name] then
      loaded[name] = fresh_module(name, instances, host)
      return loaded[name]
    end
    if name:match("^nastavnik%.") then
      error(string.format("require: модуль «%s» недоступен в описании школы; можно подключить "
        .. "только %s", name, SHARED_LIST), 2)
    end
    error(string.format("require \"%s\": нет файла «%s» (файлы ищутся рядом с описанием; "
      .. "проверьте имя файла и папку)", name, file), 2)
  end

  -- A forbidden name reads as an error at the line that named it. Other unknown names stay
  -- nil, as in plain Lua; load.lua words "attempt to call a nil value" for them.
  return setmetatable(env, {
    __index = function(_, name)
      if sandbox.FORBIDDEN[name] then forbidden(name, 2) end
    end,
    __metatable = false, -- so that setmetatable(_G, nil) cannot take the guard away
  })
end

return sandbox
