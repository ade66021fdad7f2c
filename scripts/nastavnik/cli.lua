-- The commands of the generator, as functions of text: the C front end (generator/main.c)
-- parses the command line, calls these, prints what they return and exits with the code
-- they give. Exit codes: 0 — всё в порядке; 1 — ошибки в описании; 3 — не удалось
-- записать результат.

local load = require "nastavnik.load"
local summary = require "nastavnik.summary"
local json = require "nastavnik.json"
local host = require "nastavnik.host"

local cli = {}

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

-- nastavnik check FILE: returns exit code, stdout text, stderr text.
function cli.check(file)
  local m, report = load_or_report(file)
  if not m then return 1, "", report end
  return 0, summary.text(m, file), ""
end

-- nastavnik dump FILE [OUT]: the loaded model as JSON, on stdout or into OUT.
function cli.dump(file, out)
  local m, report = load_or_report(file)
  if not m then return 1, "", report end
  local text = json.encode(m)
  if out and out ~= "" then
    local ok, err = host.write_file(out, text)
    if not ok then return 3, "", string.format("%s: не удалось записать файл: %s\n", out, err) end
    return 0, "", ""
  end
  return 0, text, ""
end

return cli
