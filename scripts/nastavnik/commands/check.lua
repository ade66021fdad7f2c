-- nastavnik check FILE...: loads and validates descriptions, retells each in a few lines.

local command = require "nastavnik.command"
local summary = require "nastavnik.summary"

return {
  summary = "проверить описания и кратко их пересказать",
  usage = "nastavnik check ФАЙЛ...",
  run = function(args)
    local files, err = command.parse(args, {})
    if not files then return command.usage_error("check: %s", err) end
    if #files == 0 then return command.usage_error("check: укажите хотя бы один файл описания") end
    local code, out, errs = command.EXIT_OK, {}, {}
    for _, file in ipairs(files) do
      local m, report = command.load_or_report(file)
      if m then
        out[#out + 1] = summary.text(m, file)
      else
        errs[#errs + 1] = report
        code = command.EXIT_INPUT
      end
    end
    return code, table.concat(out), table.concat(errs)
  end,
}
