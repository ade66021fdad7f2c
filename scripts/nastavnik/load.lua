-- Loading a description: run the school script in the sandbox, translate Lua's own errors
-- into Russian, validate, and hand back the model or every error found.
--
--   local model, errors = load.description("samples/school.lua")

local host = require "nastavnik.host"
local sandbox = require "nastavnik.sandbox"
local validate = require "nastavnik.validate"
local model = require "nastavnik.model"
local text = require "nastavnik.text"

local load_description = {}

-- Lua's messages a secretary may meet, in Russian. The original stays at the end for
-- whoever knows Lua.
local TRANSLATIONS = {
  { "^attempt to call a nil value %(global '([^']+)'%)$", function(name)
    local guess = text.nearest(name, model.constructor_names)
    return string.format("неизвестное слово «%s»%s", name,
      guess and ("; может быть, «" .. guess .. "»?") or "")
  end },
  { "^'(.-)' expected %(to close '(.-)' at line (%d+)%) near (.*)$", function(want, open, line, near)
    return string.format("синтаксическая ошибка: не хватает «%s», чтобы закрыть «%s» из строки %s "
      .. "(перед %s); проверьте запятые и скобки", want, open, line, near)
  end },
  { "^'(.-)' expected near (.*)$", function(want, near)
    return string.format("синтаксическая ошибка: ожидалось «%s» перед %s; проверьте запятые и скобки",
      want, near)
  end },
  { "^unfinished string near (.*)$", function(near)
    return string.format("синтаксическая ошибка: не закрыта кавычка строки %s", near)
  end },
  { "^unexpected symbol near (.*)$", function(near)
    return string.format("синтаксическая ошибка: неожиданный символ %s; проверьте запятые и кавычки", near)
  end },
  { "^(.-) expected near (.*)$", function(want, near)
    return string.format("синтаксическая ошибка: ожидалось %s перед %s", want, near)
  end },
  { "^not enough memory$", function()
    return "описание требует слишком много памяти (предел " .. host.memory_limit_mb .. " МБ)"
  end },
}

local function translate(message)
  for _, t in ipairs(TRANSLATIONS) do
    local captures = { message:match(t[1]) }
    if #captures > 0 then return t[2](table.unpack(captures)) end
  end
  return "ошибка Lua: " .. message
end

-- Splits "file:line: message" into an error record.
local function error_record(message, file)
  message = tostring(message)
  local f, line, rest = message:match("^(.-):(%d+): (.*)$")
  if f then return { file = f, line = tonumber(line), message = translate(rest) } end
  return { file = file, line = 0, message = translate(message) }
end

-- Reports every line of the file that is not UTF-8 (comments included, which Lua accepts).
local function encoding_errors(source, file)
  local errors, line_no = {}, 0
  for line in (source .. "\n"):gmatch("(.-)\n") do
    line_no = line_no + 1
    local at = text.invalid_utf8_at(line)
    if at then
      errors[#errors + 1] = { file = file, line = line_no, message = string.format(
        "текст не в кодировке UTF-8 (символ %d); сохраните файл в кодировке UTF-8", at) }
    end
  end
  return errors
end

function load_description.description(file)
  local source, read_error = host.read_file(file)
  if not source then
    return nil, { { file = file, line = 0, message = "не удалось прочитать файл: " .. tostring(read_error) } }, "io"
  end
  local env = sandbox.environment(file, host)
  local chunk, syntax_error = load(source, "@" .. file, "t", env)
  if not chunk then
    local errors = encoding_errors(source, file)
    errors[#errors + 1] = error_record(syntax_error, file)
    return nil, errors
  end
  local ok, root = host.run_limited(chunk)
  if not ok then return nil, { error_record(root, file) } end
  local result, errors = validate.model(root, file)
  for _, e in ipairs(encoding_errors(source, file)) do table.insert(errors, 1, e) end
  return result, errors
end

return load_description
