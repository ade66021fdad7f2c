-- nastavnik fill TEMPLATE DATA.lua -o OUT: any DOCX or ODT filled with the table the data
-- script returns (run in the sandbox); a second returned table adds filters.

local command = require "nastavnik.command"
local render = require "nastavnik.render"
local load = require "nastavnik.load"

return {
  summary = "заполнить любой DOCX/ODT таблицей из ДАННЫЕ.lua",
  usage = "nastavnik fill ШАБЛОН ДАННЫЕ.lua -o ВЫХОД",
  run = function(args)
    local positional, options = command.parse(args, { out = true })
    if not positional then return command.usage_error("fill: %s", options) end
    if #positional ~= 2 then return command.usage_error("fill: укажите шаблон и файл данных (.lua)") end
    if not options.out then return command.usage_error("fill: укажите выходной файл: -o ФАЙЛ") end
    local template_path, data_file = positional[1], positional[2]
    local data, extra, errors = load.data(data_file)
    if not data then return command.EXIT_INPUT, "", command.format_errors(errors, data_file) end
    local ok, fill_errors = render.fill(template_path, data, options.out, extra)
    if not ok then return command.EXIT_INPUT, "", render.fill_report(template_path, fill_errors) end
    return command.EXIT_OK, "", ""
  end,
}
