-- The command line, as a function of text: generator/main.c passes the arguments here and
-- prints what comes back (exit code, stdout text, stderr text). Exit codes:
--   0 всё в порядке; 1 ошибки в описании; 2 неверный вызов команды;
--   3 не удалось записать результат; 4 внутренняя ошибка генератора.

local load = require "nastavnik.load"
local summary = require "nastavnik.summary"
local json = require "nastavnik.json"
local host = require "nastavnik.host"
local kinds = require "documents.kinds"

local cli = {}

local EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_OUTPUT, EXIT_INTERNAL = 0, 1, 2, 3, 4

cli.USAGE = [[
nastavnik — документы целевой модели наставничества из описания школы на Lua

Использование:
  nastavnik check ФАЙЛ...                      проверить описания и кратко их пересказать
  nastavnik build ФАЙЛ... -o ПАПКА             сделать все документы описаний в ПАПКУ
  nastavnik pdf ФАЙЛ ДОКУМЕНТ -o ВЫХОД.pdf     сделать документ в PDF
  nastavnik docx ФАЙЛ ДОКУМЕНТ -o ВЫХОД.docx   заполнить шаблон templates/ДОКУМЕНТ.docx
  nastavnik odt ФАЙЛ ДОКУМЕНТ -o ВЫХОД.odt     заполнить шаблон templates/ДОКУМЕНТ.odt
      (--template ШАБЛОН — свой шаблон вместо стандартного, например с бланком школы)
  nastavnik fill ШАБЛОН ДАННЫЕ.lua -o ВЫХОД    заполнить любой DOCX/ODT таблицей из ДАННЫЕ.lua
  nastavnik view ФАЙЛ ДОКУМЕНТ [-o ВЫХОД]      данные документа (то, чем заполняются шаблоны), JSON
  nastavnik dump ФАЙЛ [-o ВЫХОД]               загруженная модель в JSON
  nastavnik --help                             эта справка
  nastavnik --version                          версия

Документы: ]] .. table.concat(kinds, ", ") .. [[.
Для муниципалитета --org "Краткое наименование" (или номер) выбирает организацию;
у документов, которых много (план каждой пары, согласие каждого участника), --item N
выбирает N-й из них; --date ДД.ММ.ГГГГ — дата, на которую составлен отчёт (roadmap-report).

Коды завершения:
  0  всё в порядке
  1  ошибки в описании (файл:строка: что не так — все ошибки файла сразу)
  2  неверный вызов команды
  3  не удалось записать результат
  4  внутренняя ошибка генератора

Папку библиотеки scripts/ можно указать переменной окружения NASTAVNIK_SCRIPTS.
]]

local function usage_error(fmt, ...)
  return EXIT_USAGE, "", "nastavnik: " .. string.format(fmt, ...) .. "\nСправка: nastavnik --help\n"
end

local function format_errors(errors, file)
  local lines = {}
  for _, e in ipairs(errors) do
    lines[#lines + 1] = string.format("%s:%d: %s", e.file, e.line, e.message)
  end
  lines[#lines + 1] = string.format("%s: найдено ошибок: %d; ничего не создано", file, #errors)
  return table.concat(lines, "\n") .. "\n"
end

-- Loads one description; returns the model or nil and the text to print on stderr.
local function load_or_report(file)
  local m, errors = load.description(file)
  if m and #errors == 0 then return m end
  return nil, format_errors(errors, file)
end

-- Splits arguments into positional ones and the options -o FILE, --org NAME.
local function parse(args, allowed)
  local positional, options = {}, {}
  local i = 1
  while i <= #args do
    local a = args[i]
    local name = (a == "-o" and "out") or (a == "--org" and "organisation") or (a == "--item" and "item")
      or (a == "-n" and "count") or (a == "--template" and "template")
      or (a == "--date" and "date")
    if name then
      if not allowed[name] then return nil, string.format("параметр %s здесь не нужен", a) end
      if i == #args then return nil, string.format("после %s укажите значение", a) end
      options[name] = args[i + 1]
      i = i + 2
    elseif a:match("^%-") then
      return nil, string.format("неизвестный параметр «%s»", a)
    else
      positional[#positional + 1] = a
      i = i + 1
    end
  end
  return positional, options
end

local function write_output(path, bytes)
  local ok, err = host.write_file(path, bytes)
  if not ok then return EXIT_OUTPUT, "", string.format("%s: не удалось записать файл: %s\n", path, err) end
  return EXIT_OK, "", ""
end

local commands = {}

-- Renders a document's view to PDF bytes, or nil and a reason; also the notes to print
-- (what was left blank, characters the font lacks).
local function render_pdf(kind, view, label)
  local ok, pdf = pcall(require, "nastavnik.pdf")
  if not ok then return nil, "PDF-движок недоступен: " .. tostring(pdf) end
  local laid_out, layout = pcall(kind.pdf, view)
  if not laid_out then return nil, tostring(layout) end
  local bytes, problems, anchors = pdf.render(layout)
  -- A kind with contents is laid out again with the pages the first render reported.
  if bytes and kind.paged then
    laid_out, layout = pcall(kind.pdf, view, anchors)
    if not laid_out then return nil, tostring(layout) end
    bytes, problems = pdf.render(layout)
  end
  if not bytes then return nil, "не удалось сверстать: " .. tostring(problems) end
  local notes = {}
  for _, m in ipairs(view.missing or {}) do notes[#notes + 1] = label .. ": " .. m end
  for _, p in ipairs(type(problems) == "table" and problems or {}) do notes[#notes + 1] = label .. ": " .. p end
  return bytes, notes
end


function commands.check(args)
  local files, err = parse(args, {})
  if not files then return usage_error("check: %s", err) end
  if #files == 0 then return usage_error("check: укажите хотя бы один файл описания") end
  local code, out, errs = EXIT_OK, {}, {}
  for _, file in ipairs(files) do
    local m, report = load_or_report(file)
    if m then
      out[#out + 1] = summary.text(m, file)
    else
      errs[#errs + 1] = report
      code = EXIT_INPUT
    end
  end
  return code, table.concat(out), table.concat(errs)
end

function commands.dump(args)
  local files, options = parse(args, { out = true })
  if not files then return usage_error("dump: %s", options) end
  if #files ~= 1 then return usage_error("dump: укажите один файл описания") end
  local m, report = load_or_report(files[1])
  if not m then return EXIT_INPUT, "", report end
  local text = json.encode(m)
  if options.out then return write_output(options.out, text) end
  return EXIT_OK, text, ""
end

-- Loads the description and builds the view of one document kind.
local function document_view(command, args, allowed)
  local positional, options = parse(args, allowed)
  if not positional then return nil, usage_error("%s: %s", command, options) end
  if #positional ~= 2 then
    return nil, usage_error("%s: укажите файл описания и документ (%s)", command, table.concat(kinds, ", "))
  end
  local file, kind_name = positional[1], positional[2]
  local known = false
  for _, k in ipairs(kinds) do known = known or k == kind_name end
  if not known then
    return nil, usage_error("%s: неизвестный документ «%s»; бывают: %s", command, kind_name, table.concat(kinds, ", "))
  end
  local m, report = load_or_report(file)
  if not m then return nil, EXIT_INPUT, "", report end
  local kind = require("documents." .. kind_name)
  local view, why = kind.view(m, options)
  if not view then
    return nil, EXIT_INPUT, "", string.format("%s: документ «%s» сделать нельзя: %s\n", file, kind_name, why)
  end
  return { view = view, kind = kind, options = options, file = file, name = kind_name, model = m }
end

function commands.view(args)
  local doc, code, out, err = document_view("view", args, { out = true, organisation = true, item = true, date = true })
  if not doc then return code, out, err end
  local text = json.encode(doc.view)
  if doc.options.out then return write_output(doc.options.out, text) end
  return EXIT_OK, text, ""
end

function commands.pdf(args)
  local doc, code, out, err = document_view("pdf", args, { out = true, organisation = true, item = true, date = true })
  if not doc then return code, out, err end
  if not doc.options.out then return usage_error("pdf: укажите выходной файл: -o ФАЙЛ.pdf") end
  local bytes, notes = render_pdf(doc.kind, doc.view, doc.file .. ": " .. doc.name)
  if not bytes then return EXIT_INTERNAL, "", doc.file .. ": " .. notes .. "\n" end
  local wcode, wout, werr = write_output(doc.options.out, bytes)
  local note_text = #notes > 0 and (table.concat(notes, "\n") .. "\n") or ""
  return wcode, wout, note_text .. werr
end

-- Where the stock templates are: NASTAVNIK_TEMPLATES or the build's templates/ folder.
local function stock_template(kind_name, format)
  return (host.templates_dir or "templates") .. "/" .. kind_name .. "." .. format
end

-- Fills a DOCX/ODT template with a view; returns true or nil and the messages.
local function fill_template(template_path, view, out, extra_filters)
  local ok, template = pcall(require, "nastavnik.template")
  if not ok then return nil, { "движок шаблонов недоступен: " .. tostring(template) } end
  local filters = require "nastavnik.filters"
  if extra_filters then
    -- a data script's own filters on top of the standard ones (without changing those)
    local all = {}
    for k, f in pairs(filters) do all[k] = f end
    for k, f in pairs(extra_filters) do all[k] = f end
    filters = all
  end
  return template.fill(template_path, view, out, filters)
end

-- The documents of one description: { kind =, options =, dir =, file_name = } for the
-- school, or for a municipality and each of its organisations; kinds made once per pair or
-- person (kind.instances) give one entry each.
local function planned_documents(m, base)
  local subjects = { { dir = base, options = {}, municipality = m.type == "municipality" } }
  if m.type == "municipality" then
    for i, org in ipairs(m.organisations) do
      subjects[#subjects + 1] = { dir = base .. "/" .. org.short_name:gsub("/", "-"),
        options = { organisation = tostring(i) } }
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
  end
  return plan
end

-- nastavnik build FILE... -o DIR: every document every description allows, into
-- DIR/<description>/[<organisation>/]<folder>/<document>.pdf. One line per document; at the
-- end, what was left blank and what could not be made, and why.
-- Makes one planned document in the three formats. Returns the formats written (a list),
-- notes on what was left blank, reasons for what was not made, and a write error if any.
local function make_document(doc, m)
  local view, why = doc.kind.view(m, doc.options)
  if not view then return {}, {}, { doc.path .. ": " .. why } end
  local bytes, more = render_pdf(doc.kind, view, doc.path)
  if not bytes then return {}, {}, { doc.path .. ": " .. more } end
  local ok, err = host.make_dirs(doc.dir)
  if ok then ok, err = host.write_file(doc.path, bytes) end
  if not ok then return {}, {}, {}, string.format("%s: не удалось записать файл: %s\n", doc.path, err) end
  local formats, skipped = { "pdf" }, {}
  -- The same view fills the stock DOCX and ODT templates beside the PDF.
  for _, format in ipairs({ "docx", "odt" }) do
    local office_path = doc.path:gsub("%.pdf$", "." .. format)
    local filled, fill_errors = fill_template(stock_template(doc.kind.kind, format), view, office_path)
    if filled then
      formats[#formats + 1] = format
    else
      skipped[#skipped + 1] = office_path .. ": " .. table.concat(fill_errors, "; ")
    end
  end
  return formats, more, skipped
end

-- nastavnik build FILE... -o DIR: every document every description allows, in PDF, DOCX and
-- ODT. Each document is announced as it is made, with its place in the run ("[ 12/206]");
-- at the end, what was left blank for handwriting and what could not be made, and why.
function commands.build(args)
  local files, options = parse(args, { out = true })
  if not files then return usage_error("build: %s", options) end
  if #files == 0 then return usage_error("build: укажите хотя бы один файл описания") end
  if not options.out then return usage_error("build: укажите папку для документов: -o ПАПКА") end
  local errs, skipped, notes = {}, {}, {}
  local code, made = EXIT_OK, 0
  for _, file in ipairs(files) do
    local m, report = load_or_report(file)
    if not m then
      errs[#errs + 1] = report
      code = EXIT_INPUT
    else
      local plan = planned_documents(m, options.out .. "/" .. (file:match("([^/]+)%.lua$") or file))
      local width = #tostring(#plan)
      for i, doc in ipairs(plan) do
        local formats, more, not_made, write_error = make_document(doc, m)
        for _, n in ipairs(more) do notes[#notes + 1] = n end
        for _, n in ipairs(not_made) do skipped[#skipped + 1] = n end
        if write_error then
          errs[#errs + 1] = write_error
          code = math.max(code, EXIT_OUTPUT)
        end
        if #formats > 0 then
          made = made + #formats
          host.print_out(string.format("[%" .. width .. "d/%d] %s (%s)\n", i, #plan,
            doc.path:gsub("%.pdf$", ""), table.concat(formats, ", ")))
        end
      end
    end
  end
  local out = { string.format("Сделано файлов: %d.\n", made) }
  if #notes > 0 then out[#out + 1] = "Оставлено для заполнения от руки:\n  " .. table.concat(notes, "\n  ") .. "\n" end
  if #skipped > 0 then out[#out + 1] = "Не сделано:\n  " .. table.concat(skipped, "\n  ") .. "\n" end
  return code, table.concat(out), table.concat(errs)
end

local function fill_report(template_path, errors)
  local lines = {}
  for _, e in ipairs(errors) do lines[#lines + 1] = template_path .. ": " .. e end
  lines[#lines + 1] = string.format("%s: найдено ошибок: %d; ничего не создано", template_path, #errors)
  return table.concat(lines, "\n") .. "\n"
end

local function office_command(format)
  return function(args)
    local doc, code, out, err = document_view(format, args,
      { out = true, organisation = true, item = true, template = true, date = true })
    if not doc then return code, out, err end
    if not doc.options.out then return usage_error("%s: укажите выходной файл: -o ФАЙЛ.%s", format, format) end
    local template_path = doc.options.template or stock_template(doc.name, format)
    local ok, errors = fill_template(template_path, doc.view, doc.options.out)
    if not ok then return EXIT_INPUT, "", fill_report(template_path, errors) end
    return EXIT_OK, "", ""
  end
end
commands.docx = office_command("docx")
commands.odt = office_command("odt")

-- nastavnik fill TEMPLATE DATA.lua -o OUT: any DOCX or ODT filled with the table the data
-- script returns (run in the sandbox); a second returned table adds filters.
function commands.fill(args)
  local positional, options = parse(args, { out = true })
  if not positional then return usage_error("fill: %s", options) end
  if #positional ~= 2 then return usage_error("fill: укажите шаблон и файл данных (.lua)") end
  if not options.out then return usage_error("fill: укажите выходной файл: -o ФАЙЛ") end
  local template_path, data_file = positional[1], positional[2]
  local data, extra, errors = load.data(data_file)
  if not data then return EXIT_INPUT, "", format_errors(errors, data_file) end
  local ok, fill_errors = fill_template(template_path, data, options.out, extra)
  if not ok then return EXIT_INPUT, "", fill_report(template_path, fill_errors) end
  return EXIT_OK, "", ""
end

-- nastavnik bench FILE DOCUMENT [-n N]: makes the document N times in this process (the
-- description loaded once) and prints documents per second: for bench/, not for users.
function commands.bench(args)
  local doc, code, out, err = document_view("bench", args, { organisation = true, item = true, count = true })
  if not doc then return code, out, err end
  local n = tonumber(doc.options.count or "100") or 100
  local start = host.clock()
  for _ = 1, n do
    local bytes, why = render_pdf(doc.kind, doc.kind.view(doc.model, doc.options), doc.name)
    if not bytes then return EXIT_INTERNAL, "", why .. "\n" end
  end
  local seconds = host.clock() - start
  return EXIT_OK, string.format("%s %s: %d documents in %.3f s, %.1f documents/s\n", doc.file, doc.name, n,
    seconds, n / seconds), ""
end

function cli.main(...)
  local args = { ... }
  local command = table.remove(args, 1)
  if not command then return usage_error("не указана команда") end
  if command == "--help" or command == "-h" or command == "help" then return EXIT_OK, cli.USAGE, "" end
  if command == "--version" then return EXIT_OK, "nastavnik " .. host.version .. "\n", "" end
  local run = commands[command]
  if not run then return usage_error("неизвестная команда «%s»", command) end
  return run(args)
end

return cli
