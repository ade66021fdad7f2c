-- nastavnik build FILE... -o DIR: every document every description allows, in PDF, DOCX and
-- ODT, into DIR/<description>/[<organisation>/]<folder>/<document>.pdf. Every path comes from
-- nastavnik/paths.lua: names made safe and distinct (a renamed one is listed at the end).
-- Each document is announced as it is made ("[ 12/206]"); at the end, what was left blank for
-- handwriting and what could not be made, and why. A file that could not be written is told
-- once on stderr, the build goes on with the others and exits 3.

local command = require "nastavnik.command"
local render = require "nastavnik.render"
local host = require "nastavnik.host"
local load = require "nastavnik.load"
local paths = require "nastavnik.paths"
local kinds = require "documents.kinds"

local FORMATS = { "pdf", "docx", "odt" }

-- The documents of one description in `folder` (a paths.lua folder): { kind =, options =,
-- folder =, files = { pdf =, docx =, odt = } } for the school, or for a municipality and each
-- of its organisations; kinds made once per pair or person (kind.instances) give one entry
-- each. The names are claimed in this order: a municipality's own documents keep theirs, an
-- organisation named like one of its folders gets a suffix.
local function planned_documents(m, folder)
  local plan = {}
  local function plan_subject(subject_folder, options, municipality)
    for _, kind_name in ipairs(kinds) do
      local kind = require("documents." .. kind_name)
      local wanted = municipality and kind.for_municipality
        or (not municipality and not kind.only_municipality)
      if wanted then
        local dir = kind.folder ~= "" and subject_folder:folder(kind.folder, "folder of " .. kind.folder)
          or subject_folder
        local instances = kind.instances and kind.instances(m, options)
          or { { file_name = kind.file_name, options = options } }
        for _, instance in ipairs(instances) do
          local doc = { kind = kind, options = instance.options, folder = dir }
          doc.files = dir:files(instance.file_name, doc, FORMATS)
          plan[#plan + 1] = doc
        end
      end
    end
  end
  plan_subject(folder, {}, m.type == "municipality")
  if m.type == "municipality" then
    for i, org in ipairs(m.organisations) do
      local fallback = "организация " .. i
      plan_subject(folder:folder(org.short_name, fallback, fallback, "организация"),
        { organisation = tostring(i) }, false)
    end
  end
  return plan
end

-- Makes one planned document in the three formats. Returns the formats written; adds to
-- `report` the notes on what was left blank, the reasons a format was not made (skipped)
-- and the files that could not be written (failed, each told once).
local function make_document(doc, m, report)
  local label = doc.files.pdf
  local view, why = doc.kind.view(m, doc.options)
  if not view then
    report.skipped[#report.skipped + 1] = label .. ": " .. why
    return {}
  end
  local bytes, more = render.pdf(doc.kind, view, label)
  if not bytes then
    report.skipped[#report.skipped + 1] = label .. ": " .. more
    return {}
  end
  for _, n in ipairs(more) do report.notes[#report.notes + 1] = n end
  local made, why_not, told = doc.folder:make()
  if not made then
    if not told then report.failed[#report.failed + 1] = why_not end
    return {}
  end
  local formats = {}
  local ok, message = command.write_file(doc.files.pdf, bytes)
  if ok then formats[1] = "pdf" else report.failed[#report.failed + 1] = message end
  -- The same view fills the stock DOCX and ODT templates beside the PDF.
  for _, format in ipairs({ "docx", "odt" }) do
    local path = doc.files[format]
    local filled, fill_errors, not_written = render.fill(render.stock_template(doc.kind.kind, format), view, path)
    if filled then
      formats[#formats + 1] = format
    elseif not_written then
      report.failed[#report.failed + 1] = not_written
    else
      report.skipped[#report.skipped + 1] = path .. ": " .. table.concat(fill_errors, "; ")
    end
  end
  return formats
end

-- All the documents of one loaded description; returns the number of files written.
local function build_description(m, folder, report)
  local plan = planned_documents(m, folder)
  local width, made = #tostring(#plan), 0
  for i, doc in ipairs(plan) do
    local formats = make_document(doc, m, report)
    if #formats > 0 then
      made = made + #formats
      host.print_out(string.format("[%" .. width .. "d/%d] %s (%s)\n", i, #plan,
        doc.files.pdf:gsub("%.pdf$", ""), table.concat(formats, ", ")))
    end
  end
  return made
end

return {
  summary = "сделать все документы описаний в ПАПКУ",
  usage = "nastavnik build ФАЙЛ... -o ПАПКА",
  run = function(args)
    local files, options = command.parse(args, { out = true })
    if not files then return command.usage_error("build: %s", options) end
    if #files == 0 then return command.usage_error("build: укажите хотя бы один файл описания") end
    if not options.out then return command.usage_error("build: укажите папку для документов: -o ПАПКА") end
    local tree = paths.tree(options.out)
    local root_ok, root_error = tree:make()
    if not root_ok then return command.EXIT_OUTPUT, "", root_error end
    local errs, report = {}, { notes = {}, skipped = {}, failed = {} }
    local code, made = command.EXIT_OK, 0
    for _, file in ipairs(files) do
      local m, load_report = command.load_or_report(file)
      if not m then
        errs[#errs + 1] = load_report
        code = math.max(code, command.EXIT_INPUT)
      else
        local stem = file:match("([^/]+)%.[Ll][Uu][Aa]$") or file:match("([^/]+)/*$") or file
        local folder = tree:folder(stem, file, "описание", "описание " .. file)
        -- A limit of the description's run stops its documents (the ones made stay), not
        -- the build.
        local ok, result = xpcall(build_description, load.handler(file), m, folder, report)
        host.limits_off()
        if ok then
          made = made + result
        else
          local limit = load.limit_error(result, file)
          if not limit then error(result, 0) end
          errs[#errs + 1] = string.format("%s:%d: %s\n%s: документы описания сделаны не все: "
            .. "работа над ним остановлена\n", limit.file, limit.line, limit.message, file)
          code = math.max(code, command.EXIT_INPUT)
        end
      end
    end
    for _, message in ipairs(report.failed) do errs[#errs + 1] = message end
    if #report.failed > 0 then code = math.max(code, command.EXIT_OUTPUT) end
    local out = { string.format("Сделано файлов: %d.\n", made) }
    if #report.failed > 0 then
      out[#out + 1] = string.format("Не записано файлов: %d (причины — в сообщениях об ошибках).\n", #report.failed)
    end
    if #tree.notes > 0 then
      out[#out + 1] = "Имена папок и файлов, изменённые, чтобы быть разными и годными для любого диска:\n  "
        .. table.concat(tree.notes, "\n  ") .. "\n"
    end
    if #report.notes > 0 then
      out[#out + 1] = "Оставлено для заполнения от руки:\n  " .. table.concat(report.notes, "\n  ") .. "\n"
    end
    if #report.skipped > 0 then
      out[#out + 1] = "Не сделано:\n  " .. table.concat(report.skipped, "\n  ") .. "\n"
    end
    return code, table.concat(out), table.concat(errs)
  end,
}
