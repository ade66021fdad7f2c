-- nastavnik help [КОМАНДА] [--roff -o ФАЙЛ]: the help of the command line or of one command
-- (nastavnik/help.lua puts it together from the commands' own fields); --roff writes the
-- manual page nastavnik(1) from the same text (the build installs it).

local command = require "nastavnik.command"
local help = require "nastavnik.help"
local host = require "nastavnik.host"

return {
  summary = "справка: список команд или параметры одной команды",
  usage = "nastavnik help [КОМАНДА]",
  hidden = true,
  options = { { "--roff -o ФАЙЛ", "записать руководство nastavnik(1) в формате man (его делает сборка)" } },
  run = function(args)
    local cli = require "nastavnik.cli"
    local positional, options = command.parse(args, { roff = true, out = true })
    if not positional then return command.usage_error("help: %s", options) end
    if #positional > 1 then return command.usage_error("help: укажите одну команду") end
    if options.roff then
      if #positional > 0 or not options.out then
        return command.usage_error("help: --roff: укажите только файл руководства: -o nastavnik.1")
      end
      return command.write_output(options.out, help.roff(cli.commands(), host.version))
    end
    if options.out then return command.usage_error("help: параметр -o нужен только с --roff") end
    local name = positional[1]
    if not name then return command.EXIT_OK, help.overview(cli.commands()), "" end
    local c = cli.load_command(name)
    if not c then return command.usage_error("help: неизвестная команда «%s»", name) end
    return command.EXIT_OK, help.command(name, c), ""
  end,
}
