-- nastavnik view FILE DOCUMENT [-o OUT]: the view of a document (what templates are filled
-- with) as JSON.

local command = require "nastavnik.command"
local render = require "nastavnik.render"
local json = require "nastavnik.json"

return {
  summary = "данные документа (то, чем заполняются шаблоны), JSON",
  usage = "nastavnik view ФАЙЛ ДОКУМЕНТ [-o ВЫХОД]",
  about = "Данные документа — то, чем заполняются шаблоны, — в JSON: метки для своего шаблона видны здесь.",
  options = { "--org", "--item", "--person", "--date", { "-o ВЫХОД", "записать в файл, а не на экран" } },
  run = function(args)
    local doc, code, out, err = render.document_view("view", args,
      { out = true, organisation = true, item = true, date = true })
    if not doc then return code, out, err end
    local text = json.encode(doc.view)
    if doc.options.out then return command.write_output(doc.options.out, text) end
    return command.EXIT_OK, text, ""
  end,
}
