-- nastavnik docx: see office.lua.
return require("nastavnik.commands.office")("docx")
