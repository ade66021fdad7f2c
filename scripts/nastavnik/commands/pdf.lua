-- nastavnik pdf FILE DOCUMENT -o OUT.pdf: one document in PDF.

local command = require "nastavnik.command"
local render = require "nastavnik.render"

return {
  summary = "сделать документ в PDF",
  usage = "nastavnik pdf ФАЙЛ ДОКУМЕНТ -o ВЫХОД.pdf",
  about = "Один документ описания в PDF (список документов — в nastavnik help).",
  options = { "--org", "--item", "--person", "--date", { "-o ВЫХОД.pdf", "файл PDF (расширение .pdf)" } },
  run = function(args)
    local doc, code, out, err = render.document_view("pdf", args,
      { out = true, organisation = true, item = true, date = true })
    if not doc then return code, out, err end
    if not doc.options.out then return command.usage_error("pdf: укажите выходной файл: -o ФАЙЛ.pdf") end
    local wrong = command.wrong_extension("pdf", doc.options.out, "pdf")
    if wrong then return command.usage_error("%s", wrong) end
    local bytes, notes, failure = render.pdf(doc.kind, doc.view, doc.file .. ": " .. doc.name)
    if not bytes then
      -- a stated limit is the description's to change; anything else is ours
      return failure == "limit" and command.EXIT_INPUT or command.EXIT_INTERNAL, "",
        doc.file .. ": " .. notes .. "\n"
    end
    local wcode, wout, werr = command.write_output(doc.options.out, bytes)
    local note_text = #notes > 0 and (table.concat(notes, "\n") .. "\n") or ""
    return wcode, wout, note_text .. werr
  end,
}
