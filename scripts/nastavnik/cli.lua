-- The command line, as a function of text: generator/main.c passes the arguments here and
-- prints what comes back (exit code, stdout text, stderr text). Each command is a module
-- nastavnik/commands/<name>.lua (see nastavnik/command.lua for what it returns); this file
-- only dispatches (the help is nastavnik/help.lua's, from the commands' own fields). Exit codes:
--   0 всё в порядке; 1 ошибки в описании; 2 неверный вызов команды;
--   3 не удалось записать результат; 4 внутренняя ошибка генератора.

local command = require "nastavnik.command"
local host = require "nastavnik.host"
local load = require "nastavnik.load"
local help = require "nastavnik.help"

local cli = {}

-- The commands in the order the help lists them.
local COMMANDS = { "check", "build", "due", "calendar", "qr", "pdf", "docx", "odt", "fill", "sheet", "templates",
  "view", "dump", "help", "bench", "kinds" }

function cli.load_command(name)
  for _, known in ipairs(COMMANDS) do
    if known == name then return require("nastavnik.commands." .. name) end
  end
end

-- The commands as { name =, module = }, in the order of the help.
function cli.commands()
  local out = {}
  for i, name in ipairs(COMMANDS) do out[i] = { name = name, module = cli.load_command(name) } end
  return out
end

-- Whether the arguments ask for the command's help (КОМАНДА --help).
local function asks_help(args)
  for _, a in ipairs(args) do
    if a == "--help" or a == "-h" then return true end
  end
  return false
end

function cli.main(...)
  local args = { ... }
  local name = table.remove(args, 1)
  if not name then return command.usage_error("не указана команда") end
  if name == "--help" or name == "-h" then name, args = "help", {} end
  if name == "--version" then return command.EXIT_OK, "nastavnik " .. host.version .. "\n", "" end
  local c = cli.load_command(name)
  if not c then return command.usage_error("неизвестная команда «%s»", name) end
  if asks_help(args) then return command.EXIT_OK, help.command(name, c), "" end
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
