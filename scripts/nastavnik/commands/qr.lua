-- nastavnik qr FILE [--org …] [--item N] -o CODE.png: the QR code requisite of the N-th order
-- (scripts/nastavnik/qr.lua) as a PNG printed 20 mm wide, to paste into a template of one's
-- own; the stock documents will draw it themselves at the place the standard gives it.

local command = require "nastavnik.command"
local common = require "documents.common"
local qr = require "nastavnik.qr"
local qrencode = require "nastavnik.qrencode"

return {
  summary = "QR-код приказа (ссылка из поля qr или order_qr) картинкой PNG",
  usage = "nastavnik qr ФАЙЛ [--item N] -o КОД.png",
  about = "QR-код — реквизит приказа по ГОСТ Р 7.0.97-2025 — картинкой шириной 20 мм для своего шаблона.",
  options = { "--org", { "--item N", "N-й приказ описания (по умолчанию первый)" }, { "-o КОД.png", "файл картинки (.png)" } },
  run = function(args)
    local files, options = command.parse(args, { out = true, organisation = true, item = true })
    if not files then return command.usage_error("qr: %s", options) end
    if #files ~= 1 then return command.usage_error("qr: укажите один файл описания") end
    if not options.out then return command.usage_error("qr: укажите файл картинки: -o КОД.png") end
    local wrong = command.wrong_extension("qr", options.out, "png")
    if wrong then return command.usage_error("%s", wrong) end
    local m, report = command.load_or_report(files[1])
    if not m then return command.EXIT_INPUT, "", report end
    local org, err = common.subject(m, options)
    if not org then return command.EXIT_INPUT, "", files[1] .. ": " .. err .. "\n" end
    local n = tonumber(options.item or "1")
    local order = n and org.orders[n]
    if not order then
      return command.EXIT_INPUT, "", string.format("%s: --item %s: приказов в описании %d\n", files[1],
        tostring(options.item or "1"), #org.orders)
    end
    local code, why = qr.of_order(org, order)
    if not code then
      return command.EXIT_INPUT, "", string.format("%s: приказ № %s: %s\n", files[1], order.number,
        why or "нет ссылки для QR-кода: укажите qr = \"https://…\" у приказа или order_qr у организации")
    end
    local module_mm = qr.SIZE_MM / code.size
    local png, why_png = qrencode.png(code.link, 8, 4, module_mm, "M")
    if not png then return command.EXIT_INPUT, "", string.format("%s: приказ № %s: %s\n", files[1], order.number, why_png) end
    local code_out, out, err_out = command.write_output(options.out, png)
    return code_out, out .. (code_out == 0 and (code.link .. "\n") or ""), err_out
  end,
}
