-- nastavnik check FILE...: loads and validates descriptions, retells each in a few lines; on
-- stderr, the remarks that stop nothing (an order issued before the curator it would name was
-- appointed: its document leaves the name blank), each as "файл:строка: замечание: …".

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
        for _, r in ipairs(m.__remarks or {}) do
          -- (the model's text has the non-breaking spaces of print; a terminal wants plain ones)
          errs[#errs + 1] = string.format("%s:%d: замечание: %s\n", r.file, r.line, (r.message:gsub("\u{a0}", " ")))
        end
      else
        errs[#errs + 1] = report
        code = command.EXIT_INPUT
      end
    end
    return code, table.concat(out), table.concat(errs)
  end,
}
