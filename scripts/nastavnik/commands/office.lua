-- nastavnik docx|odt FILE DOCUMENT -o OUT [--template T]: a stock template (or the user's own)
-- filled with a document's view. One module serves both formats (commands/docx.lua and
-- commands/odt.lua name the format).

local command = require "nastavnik.command"
local render = require "nastavnik.render"

return function(format)
  return {
    summary = string.format("один документ в %s по стандартному шаблону (или по своему, с бланком школы)", format:upper()),
    usage = string.format("nastavnik %s ФАЙЛ ДОКУМЕНТ -o ВЫХОД.%s", format, format),
    about = string.format("Стандартный шаблон документа в %s (или свой: --template, --templates), "
      .. "заполненный теми же данными, что и PDF.", format:upper()),
    options = { "--org", "--item", "--person", "--date", "--template", "--templates",
      { "-o ВЫХОД." .. format, string.format("файл %s (расширение .%s)", format:upper(), format) } },
    run = function(args)
      local doc, code, out, err = render.document_view(format, args,
        { out = true, organisation = true, item = true, template = true, templates = true, date = true })
      if not doc then return code, out, err end
      if doc.options.template and doc.options.templates then
        return command.usage_error("%s: укажите или --template ШАБЛОН, или --templates ПАПКА", format)
      end
      local own, why
      if doc.options.templates then
        own, why = render.templates_option(format, doc.options.templates)
        if not own then return command.usage_error("%s", why) end
      end
      if not doc.options.out then
        return command.usage_error("%s: укажите выходной файл: -o ФАЙЛ.%s", format, format)
      end
      local wrong = command.wrong_extension(format, doc.options.out, format)
      if wrong then return command.usage_error("%s", wrong) end
      local template_path = doc.options.template or render.template_for(doc.name, format, own)
      local ok, errors, not_written = render.fill_document(template_path, doc.view, doc.options.out)
      if not_written then return command.EXIT_OUTPUT, "", not_written end
      if not ok then return command.EXIT_INPUT, "", render.fill_report(template_path, errors) end
      return command.EXIT_OK, "", ""
    end,
  }
end
