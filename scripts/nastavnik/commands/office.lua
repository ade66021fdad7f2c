-- nastavnik docx|odt FILE DOCUMENT -o OUT [--template T]: a stock template (or the user's own)
-- filled with a document's view. One module serves both formats (commands/docx.lua and
-- commands/odt.lua name the format).

local command = require "nastavnik.command"
local render = require "nastavnik.render"

return function(format)
  return {
    summary = string.format("заполнить шаблон templates/ДОКУМЕНТ.%s", format),
    usage = string.format("nastavnik %s ФАЙЛ ДОКУМЕНТ -o ВЫХОД.%s", format, format),
    note = format == "odt" and "(--template ШАБЛОН — свой шаблон вместо стандартного, например с бланком школы)" or nil,
    run = function(args)
      local doc, code, out, err = render.document_view(format, args,
        { out = true, organisation = true, item = true, template = true, date = true })
      if not doc then return code, out, err end
      if not doc.options.out then
        return command.usage_error("%s: укажите выходной файл: -o ФАЙЛ.%s", format, format)
      end
      local template_path = doc.options.template or render.stock_template(doc.name, format)
      local ok, errors, not_written = render.fill_document(template_path, doc.view, doc.options.out)
      if not_written then return command.EXIT_OUTPUT, "", not_written end
      if not ok then return command.EXIT_INPUT, "", render.fill_report(template_path, errors) end
      return command.EXIT_OK, "", ""
    end,
  }
end
