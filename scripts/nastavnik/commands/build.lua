-- nastavnik build FILE... -o DIR [--date DATE]: every document every description allows, in
-- PDF, DOCX and ODT, into DIR/<description>/[<organisation>/]<folder>/<document>.pdf; --date
-- is the date of the documents made "as of" a date (the report on the roadmap, monitoring). Each document is
-- announced as it is made, with its place in the run ("[ 12/206]"); at the end, what was left
-- blank for handwriting and what could not be made, and why.

local command = require "nastavnik.command"
local render = require "nastavnik.render"
local host = require "nastavnik.host"
local kinds = require "documents.kinds"
local dates = require "nastavnik.dates"
local calendar = require "nastavnik.commands.calendar"
local target_model = require "nastavnik.target_model"
local registers = require "nastavnik.registers"

-- The documents of one description: { kind =, options =, dir =, path = } for the school, or
-- for a municipality and each of its organisations; kinds made once per pair or person
-- (kind.instances) give one entry each. Each subject with pairs also gets its register of
-- pairs, a spreadsheet only ({ register = subject }).
local function planned_documents(m, base)
  local subjects = { { dir = base, options = {}, municipality = m.type == "municipality", model = m } }
  if m.type == "municipality" then
    for i, org in ipairs(m.organisations) do
      subjects[#subjects + 1] = { dir = base .. "/" .. org.short_name:gsub("/", "-"),
        options = { organisation = tostring(i) }, model = org }
    end
  end
  local plan = {}
  for _, subject in ipairs(subjects) do
    for _, kind_name in ipairs(kinds) do
      local kind = require("documents." .. kind_name)
      local wanted = subject.municipality and kind.for_municipality
        or (not subject.municipality and not kind.only_municipality)
      if wanted then
        local dir = subject.dir .. (kind.folder ~= "" and ("/" .. kind.folder) or "")
        local instances = kind.instances and kind.instances(m, subject.options)
          or { { file_name = kind.file_name, options = subject.options } }
        for _, instance in ipairs(instances) do
          plan[#plan + 1] = { kind = kind, options = instance.options, dir = dir,
            path = dir .. "/" .. instance.file_name:gsub("/", "-") .. ".pdf" }
        end
      end
    end
    local pairs_count = 0
    for _, org in ipairs(subject.municipality and m.organisations or { subject.model }) do
      pairs_count = pairs_count + #(org.pairs or {})
    end
    if pairs_count > 0 then
      plan[#plan + 1] = { register = subject.model, dir = subject.dir,
        path = subject.dir .. "/Реестр наставнических пар (групп).pdf" }
    end
  end
  return plan, subjects
end

-- Writes a spreadsheet in XLSX and ODS beside the document's path; adds the formats to
-- `formats`, the problems to `skipped`.
local function write_sheets(book, doc, formats, skipped)
  local written, problems = registers.write(book, (doc.path:gsub("%.pdf$", "")))
  for _, f in ipairs(written) do formats[#formats + 1] = f end
  for _, p in ipairs(problems) do skipped[#skipped + 1] = p end
end

-- Makes one planned document in the three formats. Returns the formats written (a list),
-- notes on what was left blank, reasons for what was not made, a write error if any, and
-- whether the PDF was refused by a stated limit of the layout (the description's to change).
local function make_document(doc, m, date)
  if doc.register then
    local ok, err = host.make_dirs(doc.dir)
    if not ok then return {}, {}, {}, string.format("%s: не удалось создать папку: %s\n", doc.dir, err) end
    local formats, skipped = {}, {}
    write_sheets(registers.pairs_book(doc.register), doc, formats, skipped)
    return formats, {}, skipped
  end
  -- The run's date (--date) goes to every document that is "as of" a date.
  local options = {}
  for k, v in pairs(doc.options) do options[k] = v end
  options.date = date
  local view, why = doc.kind.view(m, options)
  if not view then return {}, {}, { doc.path .. ": " .. why } end
  local bytes, more, failure = render.pdf(doc.kind, view, doc.path)
  if not bytes then return {}, {}, { doc.path .. ": " .. more }, nil, failure == "limit" end
  local ok, err = host.make_dirs(doc.dir)
  if ok then ok, err = host.write_file(doc.path, bytes) end
  if not ok then return {}, {}, {}, string.format("%s: не удалось записать файл: %s\n", doc.path, err) end
  local formats, skipped = { "pdf" }, {}
  -- The same view fills the stock DOCX and ODT templates beside the PDF.
  for _, format in ipairs({ "docx", "odt" }) do
    local office_path = doc.path:gsub("%.pdf$", "." .. format)
    local filled, fill_errors = render.fill(render.stock_template(doc.kind.kind, format), view, office_path)
    if filled then
      formats[#formats + 1] = format
    else
      skipped[#skipped + 1] = office_path .. ": " .. table.concat(fill_errors, "; ")
    end
  end
  -- The monitoring forms also as spreadsheets, from the same view.
  if doc.kind.kind == "monitoring" then write_sheets(registers.monitoring_book(view), doc, formats, skipped) end
  return formats, more, skipped
end

return {
  summary = "сделать все документы описаний в ПАПКУ",
  usage = "nastavnik build ФАЙЛ... -o ПАПКА [--date ДД.ММ.ГГГГ]",
  run = function(args)
    local files, options = command.parse(args, { out = true, date = true })
    if not files then return command.usage_error("build: %s", options) end
    if options.date then
      local _, why = dates.parse(options.date)
      if why then return command.usage_error("build: --date: %s", why) end
    end
    if #files == 0 then return command.usage_error("build: укажите хотя бы один файл описания") end
    if not options.out then return command.usage_error("build: укажите папку для документов: -o ПАПКА") end
    local errs, skipped, notes, warnings = {}, {}, {}, {}
    local code, made = command.EXIT_OK, 0
    for _, file in ipairs(files) do
      local m, report = command.load_or_report(file)
      if not m then
        errs[#errs + 1] = report
        code = command.EXIT_INPUT
      else
        local plan, subjects = planned_documents(m, options.out .. "/" .. (file:match("([^/]+)%.lua$") or file))
        local width = #tostring(#plan)
        for i, doc in ipairs(plan) do
          local formats, more, not_made, write_error, over_limit = make_document(doc, m, options.date)
          if over_limit then code = math.max(code, command.EXIT_INPUT) end
          for _, n in ipairs(more) do notes[#notes + 1] = n end
          for _, n in ipairs(not_made) do skipped[#skipped + 1] = n end
          if write_error then
            errs[#errs + 1] = write_error
            code = math.max(code, command.EXIT_OUTPUT)
          end
          if #formats > 0 then
            made = made + #formats
            host.print_out(string.format("[%" .. width .. "d/%d] %s (%s)\n", i, #plan,
              doc.path:gsub("%.pdf$", ""), table.concat(formats, ", ")))
          end
        end
        -- the curator's year beside each roadmap, and where the roadmap departs from the target model
        for _, subject in ipairs(subjects) do
          local path, why = calendar.write(m, subject.options, subject.dir)
          if path then
            made = made + 1
          elseif why then
            errs[#errs + 1] = why .. "\n"
            code = math.max(code, command.EXIT_OUTPUT)
          end
        end
        for _, w in ipairs(target_model.check_model(m)) do
          warnings[#warnings + 1] = string.format("%s:%d: %s", w.file, w.line, w.message)
        end
      end
    end
    local out = { string.format("Сделано файлов: %d.\n", made) }
    if #notes > 0 then out[#out + 1] = "Оставлено для заполнения от руки:\n  " .. table.concat(notes, "\n  ") .. "\n" end
    if #warnings > 0 then
      out[#out + 1] = "Предупреждения (документы сделаны):\n  " .. table.concat(warnings, "\n  ") .. "\n"
    end
    if #skipped > 0 then out[#out + 1] = "Не сделано:\n  " .. table.concat(skipped, "\n  ") .. "\n" end
    return code, table.concat(out), table.concat(errs)
  end,
}
