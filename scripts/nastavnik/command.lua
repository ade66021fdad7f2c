-- What every command of the command line shares: the exit codes, reading options, the
-- messages for a wrong call and for a bad description, writing one output. Each command is
-- a module nastavnik/commands/<name>.lua returning
--   { summary = "one line for the help", usage = "its own help text", run = function(args) }
-- where run returns exit code, stdout text and stderr text (cli.lua prints them).

local load = require "nastavnik.load"
local host = require "nastavnik.host"
local paths = require "nastavnik.paths"

local command = {}

-- Where a message points: «файл:строка», or «файл» alone when there is no line (a file that
-- could not be read, a limit of the whole run).
function command.at(file, line)
  if line and line > 0 then return string.format("%s:%d", file, line) end
  return file
end

command.EXIT_OK, command.EXIT_INPUT, command.EXIT_USAGE, command.EXIT_OUTPUT, command.EXIT_INTERNAL =
  0, 1, 2, 3, 4

-- A wrong call: the message (starting «КОМАНДА: » when a command's) and where its help is.
function command.usage_error(fmt, ...)
  local message = string.format(fmt, ...)
  local name = message:match("^([%a]+): ")
  return command.EXIT_USAGE, "", "nastavnik: " .. message .. "\nСправка: nastavnik help" .. (name and (" " .. name) or "")
    .. "\n"
end

function command.format_errors(errors, file)
  local lines = {}
  for _, e in ipairs(errors) do
    -- (an error in a spreadsheet has its own place: «файл: лист, строка, столбец»)
    lines[#lines + 1] = e.place and (e.place .. ": " .. e.message)
      or (command.at(e.file, e.line) .. ": " .. e.message)
  end
  lines[#lines + 1] = string.format("%s: найдено ошибок: %d; ничего не создано", file, #errors)
  return table.concat(lines, "\n") .. "\n"
end

-- Loads one description; returns the model or nil and the text to print on stderr. The
-- limits of the description's run are on from here until the command ends (or the next
-- description is loaded): whatever is made from it runs under them.
function command.load_or_report(file)
  local m, errors = load.description(file)
  if m and #errors == 0 then return m end
  return nil, command.format_errors(errors, file)
end

-- The fields of an organisation (validated, not in print form) that target_model checks, as
-- its check_subject reads them (target_model.view: in print form only the texts it reads).
function command.checked_fields(org)
  local target_model = require "nastavnik.target_model"
  local fields = {}
  for _, f in ipairs(target_model.READS) do fields[f] = org[f] end
  return target_model.view(fields)
end

-- Reads a region (load.region) in `jobs` worker processes, for check and build: the
-- municipality, its organisations being their light copies; the warnings about every
-- roadmap, the municipality's own first (as target_model.check_model gives them); and for
-- organisation i what per_org(org, i) returned in the worker (plain data; `org` validated,
-- not in print form: what a command counts of an organisation does not depend on how its
-- texts are printed). Or nil, the text of all the errors and the exit code. `shape`: as
-- load.read_region's (the light copies are then what it keeps, and per_org is given its
-- view).
-- Without a shape only the light copy (load.light) is put in print form: the roadmap's
-- items and the pairs' goals, tasks and meetings, most of an organisation's text, are not
-- (the print form of the whole organisation, read again for its documents, was made twice).
function command.read_region(region, file, jobs, per_org, shape)
  local target_model = require "nastavnik.target_model"
  local russian = require "nastavnik.russian"
  local lights, extras = load.read_region(region, jobs, function(view, i)
    if shape then
      return { warnings = target_model.check_subject(view, region.municipality), more = per_org and per_org(view, i) }
    end
    return { warnings = target_model.check_subject(view.checked, region.municipality),
      more = per_org and per_org(view.org, i) }
  end, shape or function(org)
    -- (the light copy of the organisation in print form is that of its print form)
    return { light = russian.nbsp_view(load.light(org)), view = { checked = command.checked_fields(org), org = org } }
  end)
  local m, errors = region:finish(lights)
  if #errors > 0 then return nil, command.format_errors(errors, file), region.internal and command.EXIT_INTERNAL end
  local warnings, more = target_model.check_subject(m, m), {}
  for i = 1, region.count do
    for _, w in ipairs(extras[i] and extras[i].warnings or {}) do warnings[#warnings + 1] = w end
    more[i] = extras[i] and extras[i].more
  end
  return m, warnings, more
end

-- The options a command may take: the flag and the name it is stored under.
local OPTION_NAMES = {
  ["-o"] = "out", ["--org"] = "organisation", ["--item"] = "item", ["-n"] = "count",
  ["--template"] = "template", ["--templates"] = "templates", ["--date"] = "date", ["--person"] = "person",
  ["--month"] = "month", ["--from"] = "from", ["--to"] = "to", ["--format"] = "format",
  ["-j"] = "jobs", ["--formats"] = "formats", ["--kinds"] = "kinds",
}
-- Options that take no value.
local FLAG_NAMES = { ["--strict"] = "strict", ["--force"] = "force", ["--verbose"] = "verbose", ["--roff"] = "roff" }

-- Splits arguments into positional ones and the options the command allows
-- (allowed[name] = true). Returns positional, options or nil, a message.
function command.parse(args, allowed)
  local positional, options = {}, {}
  local i = 1
  while i <= #args do
    local a = args[i]
    -- (-j2, as make and ninja take it, is -j 2)
    local glued = a:match("^%-j(%d+)$")
    if glued then
      args = { table.unpack(args) } -- (the caller's list stays as it was)
      a, args[i] = "-j", "-j"
      table.insert(args, i + 1, glued)
    end
    local name = OPTION_NAMES[a]
    if FLAG_NAMES[a] then
      if not allowed[FLAG_NAMES[a]] then return nil, string.format("параметр %s здесь не нужен", a) end
      options[FLAG_NAMES[a]] = true
      i = i + 1
    elseif name then
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

-- An -o whose extension contradicts the format the command writes (a DOCX named .pdf): the
-- message for command.usage_error, or nil. `formats` are the extensions that fit.
-- (Where nothing may be written at all — a folder, a FIFO, an input — that is the message the
-- write gives, exit 3.)
function command.wrong_extension(command_name, path, ...)
  if paths.refusal(path) then return nil end
  local formats = { ... }
  local ext = path:match("%.([^./]+)$")
  for _, f in ipairs(formats) do
    if ext and ext:lower() == f then return nil end
  end
  local names = "." .. table.concat(formats, " или .")
  return string.format("%s: -o %s: %s, а файл будет в формате %s; укажите имя, которое кончается на %s",
    command_name, path, ext and ("расширение ." .. ext) or "у имени нет расширения",
    table.concat(formats, "/"):upper(), names)
end

-- The line that says a file was not written, with the reason in Russian.
function command.not_written(path, reason)
  return string.format("%s: не удалось записать файл: %s\n", path, reason)
end

-- The message when nothing may be written at `path` (a symbolic link, a FIFO, a device, a
-- folder, a file the command read), or nil.
function command.output_refused(path)
  local why = paths.refusal(path)
  if why then return command.not_written(path, why) end
end

-- Writes one output (atomically). Returns true, or nil and the message. `fresh`: the plan found
-- nothing at `path` (its folder was not there: manifest.place), so the file is only created,
-- without asking first what is there (an lstat of every output); should something be there
-- now, it is judged as at any output, and the bytes (a string) written again.
function command.write_file(path, bytes, fresh)
  if fresh and type(bytes) == "string" then
    local ok, err, exists = host.write_file(path, bytes, true)
    if ok then return true end
    if not exists then return nil, command.not_written(path, err) end
  end
  local refused = command.output_refused(path)
  if refused then return nil, refused end
  local ok, err = host.write_file(path, bytes)
  if not ok then return nil, command.not_written(path, err) end
  return true
end

-- The result of a command whose work is one output at `path`: exit code, stdout, stderr.
function command.write_output(path, bytes)
  local ok, message = command.write_file(path, bytes)
  if not ok then return command.EXIT_OUTPUT, "", message end
  return command.EXIT_OK, "", ""
end

return command
