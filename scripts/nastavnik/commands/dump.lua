-- nastavnik dump FILE [-o OUT]: the loaded model as JSON.

local command = require "nastavnik.command"
local json = require "nastavnik.json"

return {
  summary = "загруженная модель в JSON",
  usage = "nastavnik dump ФАЙЛ [-o ВЫХОД]",
  about = "Загруженная и проверенная модель описания в JSON — для других программ.",
  options = { { "-o ВЫХОД", "записать в файл, а не на экран" } },
  run = function(args)
    local files, options = command.parse(args, { out = true })
    if not files then return command.usage_error("dump: %s", options) end
    if #files ~= 1 then return command.usage_error("dump: укажите один файл описания") end
    local m, report = command.load_or_report(files[1])
    if not m then return command.EXIT_INPUT, "", report end
    local text = json.encode(m)
    if options.out then return command.write_output(options.out, text) end
    return command.EXIT_OK, text, ""
  end,
}
