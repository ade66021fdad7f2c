-- nastavnik odt: see office.lua.
return require("nastavnik.commands.office")("odt")
