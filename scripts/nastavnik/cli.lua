-- The command line, as a function of text: generator/main.c passes the arguments here and
-- prints what comes back (exit code, stdout text, stderr text). Each command is a module
-- nastavnik/commands/<name>.lua (see nastavnik/command.lua for what it returns); this file
-- only dispatches and puts the help together. Exit codes:
--   0 всё в порядке; 1 ошибки в описании; 2 неверный вызов команды;
--   3 не удалось записать результат; 4 внутренняя ошибка генератора.

local command = require "nastavnik.command"
local host = require "nastavnik.host"
local load = require "nastavnik.load"
local kinds = require "documents.kinds"

local cli = {}

-- The commands in the order the help lists them.
local COMMANDS = { "check", "build", "due", "calendar", "qr", "pdf", "docx", "odt", "fill", "sheet", "view", "dump",
  "bench", "kinds" }

local function load_command(name)
  for _, known in ipairs(COMMANDS) do
    if known == name then return require("nastavnik.commands." .. name) end
  end
end

local function usage()
  local lines = {
    "nastavnik — документы целевой модели наставничества из описания школы на Lua",
    "",
    "Использование:",
  }
  -- the usage padded to one column (in characters: a Cyrillic letter is two bytes)
  local function entry(use, summary)
    lines[#lines + 1] = "  " .. use .. string.rep(" ", math.max(1, 45 - utf8.len(use))) .. summary
  end
  for _, name in ipairs(COMMANDS) do
    local c = load_command(name)
    if not c.hidden then
      entry(c.usage, c.summary)
      if c.note then lines[#lines + 1] = "      " .. c.note end
    end
  end
  entry("nastavnik --help", "эта справка")
  entry("nastavnik --version", "версия")
  return table.concat(lines, "\n") .. [[


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
end

function cli.main(...)
  local args = { ... }
  local name = table.remove(args, 1)
  if not name then return command.usage_error("не указана команда") end
  if name == "--help" or name == "-h" or name == "help" then return command.EXIT_OK, usage(), "" end
  if name == "--version" then return command.EXIT_OK, "nastavnik " .. host.version .. "\n", "" end
  local c = load_command(name)
  if not c then return command.usage_error("неизвестная команда «%s»", name) end
  -- A limit of the description's run (instructions, CPU time, memory) reached while its
  -- documents are made ends the command: exit 1, the place, nothing written. Any other
  -- error is the generator's own (main.c: exit 4).
  local result = table.pack(xpcall(c.run, load.handler(), args))
  local limit = not result[1] and load.limit_error(result[2])
  host.limits_off()
  if limit then return command.EXIT_INPUT, "", command.format_errors({ limit }, limit.file) end
  if not result[1] then error(result[2], 0) end
  return table.unpack(result, 2, result.n)
end

return cli
