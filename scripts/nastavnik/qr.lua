-- The QR code requisite of an order (ГОСТ Р 7.0.97-2025, реквизит «Штрих-код (QR-код)
-- документа»): a link to the order — written on the order (`order { …, qr = "https://…" }`)
-- or made from the organisation's pattern for all its orders (`order_qr =
-- "https://school.ru/docs/prikaz-{number}"`, with {number}, {date} as ДД.ММ.ГГГГ and {year})
-- — encoded by libqrencode (nastavnik.qrencode). The standard puts the code in the lower right
-- corner of the first page (another place free of text when there is no room): the order's
-- view carries it as a block { type = "qr" } (documents/order.lua) that the PDF layout
-- (layout/flow.h) and the templates' {qr} (template/picture.c) put there.
--
--   qr.link(org, order) -> "https://…" | nil
--   qr.of_order(org, order) -> { link =, size = (modules a side), rows = { "0101…" } } | nil[, message]
--   qr.check_link(s) -> true | nil, what is wrong (for validation)

local dates = require "nastavnik.dates"

local qr = {}

-- The printed side of a code: 20 mm is read by a phone from a printed page.
qr.SIZE_MM = 20

function qr.check_link(s)
  if type(s) ~= "string" then return nil, "ожидалась ссылка в кавычках, например \"https://school.ru/docs/prikaz-146\"" end
  if not s:match("^https?://[^%s/]+") then
    return nil, string.format("«%s» — не ссылка: пишите полностью, с https://", s)
  end
  if s:find("%s") then return nil, string.format("«%s»: в ссылке не должно быть пробелов", s) end
  if #s > 500 then return nil, "ссылка длиннее 500 знаков — QR-код с ней будет не прочитать с листа" end
  local unknown = s:match("{([^}]*)}")
  if unknown and unknown ~= "number" and unknown ~= "date" and unknown ~= "year" then
    return nil, string.format("в шаблоне ссылки неизвестная подстановка {%s}; бывают {number}, {date}, {year}", unknown)
  end
  return true
end

-- Bytes other than letters, digits and -._~ percent-encoded (a number like «175-О»).
local function url_escape(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", c:byte()) end))
end

function qr.link(org, order)
  if order.qr then return order.qr end
  local pattern = org and org.order_qr
  if not pattern then return nil end
  local values = {
    number = order.number and url_escape(order.number) or nil,
    date = order.date and dates.format(order.date) or nil,
    year = order.date and order.date:sub(1, 4) or nil,
  }
  local missing
  local link = pattern:gsub("{(%a+)}", function(name)
    if not values[name] then missing = name end
    return values[name] or ""
  end)
  if missing then return nil end
  return link
end

function qr.of_order(org, order)
  local link = qr.link(org, order)
  if not link then return nil end
  local encoder = require "nastavnik.qrencode"
  local code, why = encoder.encode(link, "M")
  if not code then return nil, why end
  return { link = link, size = code.size, rows = code.rows }
end

return qr
