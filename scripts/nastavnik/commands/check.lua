-- nastavnik check FILE... [--strict]: loads and validates descriptions, retells each in a few
-- lines, and warns where a roadmap departs from the target model (target_model.lua). The
-- warnings do not fail the check unless --strict is given. Also on stderr, the remarks that
-- stop nothing (an order issued before the curator it would name was appointed: its document
-- leaves the name blank), each as "файл:строка: замечание: …".

--
-- A municipality is read one organisation at a time (load.region): what the account needs
-- of each (load.light) stays, the rest goes, so a region of thousands of organisations is
-- checked in the memory of one.

local command = require "nastavnik.command"
local workers = require "nastavnik.workers"
local load = require "nastavnik.load"
local summary = require "nastavnik.summary"
local target_model = require "nastavnik.target_model"
local russian = require "nastavnik.russian"

-- What check reads of an organisation of a region (load.read_region's shape): the account of
-- it (load.account) in print form, and the fields target_model checks (target_model.view puts
-- in print form only the texts it reads) — not the whole organisation: the pairs' goals,
-- tasks and meetings and the people are most of it, and the account names none of them.
local function shape(region)
  return function(org)
    return { light = russian.nbsp_view(load.account(org, region.has_practices)), view = command.checked_fields(org) }
  end
end

-- The model of `file` and the warnings of its roadmaps, or nil and the text of its errors
-- (and the exit code). A municipality's organisations are read by `jobs` worker processes.
local function checked(file, jobs)
  local region, errors = load.region(file)
  if not region then return nil, command.format_errors(errors, file) end
  if region.model then
    if #region.errors > 0 then return nil, command.format_errors(region.errors, file) end
    return region.model, target_model.check_model(region.model)
  end
  local m, warnings, failure = command.read_region(region, file, jobs, nil, shape(region))
  if not m then return nil, warnings, failure end
  return m, warnings
end

return {
  summary = "проверить описания и кратко их пересказать",
  usage = "nastavnik check ФАЙЛ... [--strict] [-j N]",
  about = "Загружает каждое описание, проверяет его и пересказывает в нескольких строках (организация, "
    .. "люди, пары, приказы); ошибки — с файлом, строкой и полем, все ошибки файла сразу. Предупреждает, где "
    .. "дорожная карта расходится с методологией целевой модели (распоряжение Минпросвещения № Р-145).",
  options = { { "--strict", "расхождения дорожной карты с целевой моделью считать ошибками (код 1)" },
    { "-j N", "читать организации муниципалитета в N процессах (по умолчанию — по числу процессоров)" } },
  run = function(args)
    local files, options = command.parse(args, { strict = true, jobs = true })
    if not files then return command.usage_error("check: %s", options) end
    if #files == 0 then return command.usage_error("check: укажите хотя бы один файл описания") end
    local jobs, jobs_error = workers.option("check", options.jobs)
    if not jobs then return command.usage_error("%s", jobs_error) end
    -- Reading a description makes tables that die young (the script's nodes, their
    -- validation, the print form of what is kept): the generational collector frees them
    -- for less work than the incremental one's full cycles (measured below in the commit).
    collectgarbage("generational")
    local code, out, errs = command.EXIT_OK, {}, {}
    for _, file in ipairs(files) do
      local m, warnings, failure = checked(file, jobs)
      if m then
        out[#out + 1] = summary.text(m, file)
        for _, r in ipairs(m.__remarks or {}) do
          -- (the model's text has the non-breaking spaces of print; a terminal wants plain ones)
          errs[#errs + 1] = string.format("%s: замечание: %s\n", command.at(r.file, r.line), (r.message:gsub("\u{a0}", " ")))
        end
        for _, w in ipairs(warnings) do
          errs[#errs + 1] = string.format("%s: %s: %s\n", command.at(w.file, w.line),
            options.strict and "ошибка" or "предупреждение", w.message)
        end
        if #warnings > 0 and options.strict then
          errs[#errs + 1] = string.format("%s: расхождений с целевой моделью: %d (--strict)\n", file, #warnings)
          code = command.EXIT_INPUT
        end
      else
        errs[#errs + 1] = warnings
        code = math.max(code, failure or command.EXIT_INPUT)
      end
    end
    return code, table.concat(out), table.concat(errs)
  end,
}
