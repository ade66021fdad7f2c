-- nastavnik check FILE... [--strict]: loads and validates descriptions, retells each in a few
-- lines, and warns where a roadmap departs from the target model (target_model.lua). The
-- warnings do not fail the check unless --strict is given. Also on stderr, the remarks that
-- stop nothing (an order issued before the curator it would name was appointed: its document
-- leaves the name blank), each as "файл:строка: замечание: …".

local command = require "nastavnik.command"
local summary = require "nastavnik.summary"
local target_model = require "nastavnik.target_model"

return {
  summary = "проверить описания и кратко их пересказать",
  usage = "nastavnik check ФАЙЛ... [--strict]",
  about = "Загружает каждое описание, проверяет его и пересказывает в нескольких строках (организация, "
    .. "люди, пары, приказы); ошибки — с файлом, строкой и полем, все ошибки файла сразу. Предупреждает, где "
    .. "дорожная карта расходится с методологией целевой модели (распоряжение Минпросвещения № Р-145).",
  options = { { "--strict", "расхождения дорожной карты с целевой моделью считать ошибками (код 1)" } },
  run = function(args)
    local files, options = command.parse(args, { strict = true })
    if not files then return command.usage_error("check: %s", options) end
    if #files == 0 then return command.usage_error("check: укажите хотя бы один файл описания") end
    local code, out, errs = command.EXIT_OK, {}, {}
    for _, file in ipairs(files) do
      local m, report = command.load_or_report(file)
      if m then
        out[#out + 1] = summary.text(m, file)
        for _, r in ipairs(m.__remarks or {}) do
          -- (the model's text has the non-breaking spaces of print; a terminal wants plain ones)
          errs[#errs + 1] = string.format("%s: замечание: %s\n", command.at(r.file, r.line), (r.message:gsub("\u{a0}", " ")))
        end
        local warnings = target_model.check_model(m)
        for _, w in ipairs(warnings) do
          errs[#errs + 1] = string.format("%s: %s: %s\n", command.at(w.file, w.line),
            options.strict and "ошибка" or "предупреждение", w.message)
        end
        if #warnings > 0 and options.strict then
          errs[#errs + 1] = string.format("%s: расхождений с целевой моделью: %d (--strict)\n", file, #warnings)
          code = command.EXIT_INPUT
        end
      else
        errs[#errs + 1] = report
        code = command.EXIT_INPUT
      end
    end
    return code, table.concat(out), table.concat(errs)
  end,
}
