-- nastavnik fill TEMPLATE DATA.lua -o OUT [--missing=empty]: any DOCX or ODT filled with the
-- table the data script returns (run in the sandbox); a second returned table adds filters.
-- A name the data lacks is an error unless --missing=empty asks for docxtemplater's leniency
-- (nothing is written for it). Parts of the template the engine does not fill that hold tags
-- are named in warnings.

local command = require "nastavnik.command"
local render = require "nastavnik.render"
local load = require "nastavnik.load"

-- Takes --missing=VALUE out of args (fill's own option); returns the rest and the value.
local function missing_option(args)
  local rest, missing = {}, nil
  for _, a in ipairs(args) do
    local value = a:match("^%-%-missing=(.*)$")
    if value then missing = value else rest[#rest + 1] = a end
  end
  return rest, missing
end

return {
  summary = "заполнить любой DOCX/ODT таблицей из ДАННЫЕ.lua",
  usage = "nastavnik fill ШАБЛОН ДАННЫЕ.lua -o ВЫХОД",
  about = "Любой шаблон DOCX или ODT с метками docxtemplater ({имя}, {#список}…{/список}) заполняется "
    .. "таблицей, которую возвращает скрипт ДАННЫЕ.lua (он выполняется в песочнице; вторая возвращённая "
    .. "таблица — свои фильтры).",
  options = { { "--missing=empty", "поля, которых нет в данных, оставить пустыми (без него это ошибка)" },
    { "-o ВЫХОД", "заполненный файл (того же формата, что шаблон)" } },
  run = function(args)
    local rest, missing = missing_option(args)
    if missing and missing ~= "empty" and missing ~= "error" then
      return command.usage_error("fill: --missing=%s: допустимо --missing=empty (недостающее — пусто) "
        .. "или --missing=error (недостающее — ошибка, как без параметра)", missing)
    end
    local positional, options = command.parse(rest, { out = true })
    if not positional then return command.usage_error("fill: %s", options) end
    if #positional ~= 2 then return command.usage_error("fill: укажите шаблон и файл данных (.lua)") end
    if not options.out then return command.usage_error("fill: укажите выходной файл: -o ФАЙЛ") end
    local template_path, data_file = positional[1], positional[2]
    local template_format = template_path:lower():match("%.(docx)$") or template_path:lower():match("%.(odt)$")
    local wrong = template_format and command.wrong_extension("fill", options.out, template_format)
    if wrong then return command.usage_error("%s", wrong) end
    local data, extra, errors = load.data(data_file)
    if not data then return command.EXIT_INPUT, "", command.format_errors(errors, data_file) end
    local ok, messages, not_written = render.fill(template_path, data, options.out, extra, { missing = missing })
    if not_written then return command.EXIT_OUTPUT, "", not_written end
    if not ok then return command.EXIT_INPUT, "", render.fill_report(template_path, messages) end
    local warnings = {}
    for _, w in ipairs(messages or {}) do warnings[#warnings + 1] = template_path .. ": предупреждение: " .. w .. "\n" end
    return command.EXIT_OK, "", table.concat(warnings)
  end,
}
