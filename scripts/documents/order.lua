-- What every order (приказ) is made of, whatever it orders: the frame — title block, preamble,
-- ПРИКАЗЫВАЮ and the numbered points, the signature, the appendix, the acquaintance sheet — as
-- a view and as the PDF of that view (the DOCX/ODT frame is templates/src/frames/order.*).
-- The order kinds (order-roadmap, order-pairs, order-curator, …) only say what is ordered and
-- what is appended.
--
-- An order is a document of its date: each order of the description is one document (--item
-- picks it among the orders of its kind, in the order they were issued), and it names only
-- who is there on its date — the curator appointed by an earlier order or by itself
-- (nastavnik/timeline.lua). A kind with no order in the description may make one draft with
-- blanks for the number and the date.

local common = require "documents.common"
local pc = require "documents.participants-common"
local russian = require "nastavnik.russian"
local dates = require "nastavnik.dates"
local timeline = require "nastavnik.timeline"
local qr = require "nastavnik.qr"
local text = require "nastavnik.text"

local order = {}

-- The legal basis most orders of the programme cite.
order.BASIS_TARGET_MODEL = "распоряжением Министерства просвещения Российской Федерации от 25.12.2019 "
  .. "№\u{a0}Р-145 «Об утверждении методологии (целевой модели) наставничества обучающихся для "
  .. "организаций, осуществляющих образовательную деятельность по общеобразовательным, "
  .. "дополнительным общеобразовательным и программам среднего профессионального образования, "
  .. "в том числе с применением лучших практик обмена опытом между обучающимися»"

-- The orders of a kind ("pairs", "curator", …) the organisation has, as they were issued.
function order.of_kind(org, order_kind)
  local list = {}
  for _, o in ipairs(org.orders or {}) do
    if o.kind == order_kind then list[#list + 1] = o end
  end
  table.sort(list, timeline.before)
  return list
end

-- The documents of an order kind for `build`: one per order of its kind, named with the
-- order's number and date; with no such order, one draft if kind.draft(org) says so.
function order.instances(kind, model, options)
  local org = common.subject(model, options)
  if not org or (org.type == "municipality" and not kind.for_municipality) then return {} end
  local out = {}
  for i, o in ipairs(order.of_kind(org, kind.order_kind)) do
    -- an order not issued yet: a draft under its title, number and date left blank
    local name = o.planned and (kind.file_name .. " — проект «" .. o.title .. "»")
      or (kind.file_name .. " № " .. o.number .. " от " .. dates.format(o.date))
    out[i] = { file_name = pc.file_name(name),
      options = { organisation = options and options.organisation, item = tostring(i) } }
  end
  if #out == 0 and kind.draft(org) then
    out[1] = { file_name = kind.file_name, options = { organisation = options and options.organisation } }
  end
  return out
end

-- The order a view is about: the --item-th of the kind (the first when not given); false for
-- the draft of a kind with no order; or nil and the reason.
function order.pick(kind, org, options)
  local list = order.of_kind(org, kind.order_kind)
  local wanted = options and options.item
  local n = 1
  if wanted ~= nil and wanted ~= "" then
    n = tonumber(wanted)
    if not n or n ~= math.floor(n) then
      return nil, string.format("--item: ожидался номер приказа по порядку (1–%d), а указано «%s»",
        math.max(#list, 1), tostring(wanted))
    end
  end
  if #list == 0 then
    if kind.draft(org) and n == 1 then return false end
    return nil, string.format("--item %s: в описании нет приказов вида «%s» (%s)%s", tostring(wanted or n),
      kind.order_kind, kind.order_kind_title, kind.draft(org) and "; есть только проект без номера, --item 1" or "")
  end
  if n < 1 or n > #list then
    return nil, string.format("--item %s: приказов вида «%s» (%s) всего %d, укажите номер от 1 до %d",
      tostring(wanted), kind.order_kind, kind.order_kind_title, #list, #list)
  end
  return list[n], n, #list
end

-- The organisation and the order a view is about (false: the draft); or nil and the reason.
function order.subject(kind, model, options)
  local org, err = common.subject(model, options)
  if not org then return nil, err end
  local the_order, why = order.pick(kind, org, options)
  if the_order == nil then return nil, why end
  return org, the_order
end

-- The curator the order may name, or nil; when she was appointed later, a note says so and
-- the caller leaves a blank.
function order.curator(org, the_order, missing)
  local person, later = timeline.curator_on(org, the_order or nil)
  if not person and later then
    missing[#missing + 1] = string.format("куратор назначен позже, приказом %s: в приказе %s его ФИО оставлено "
      .. "для заполнения от руки", timeline.reference(later), timeline.reference(the_order))
  end
  return person
end

-- The point addressed to the curator on the order's date: "Куратору внедрения целевой модели
-- наставничества Гончаренко Оксане Петровне <what>", with a blank for the name when she was
-- appointed later (and a note); nil when the organisation has no curator at all. The curator
-- named reads the order (named).
function order.curator_point(org, the_order, missing, named, what)
  local curator = order.curator(org, the_order, missing)
  if not curator and not org.curator and #order.of_kind(org, "curator") == 0 then return nil end
  if curator then named[#named + 1] = curator end
  return { text = "Куратору внедрения целевой модели наставничества "
    .. (curator and russian.full_in(curator, "dative") or common.BLANK_LINE) .. " " .. what }
end

-- Builds the common part of an order's view. `spec` gives the order (nil: a draft), kind,
-- default_title, preamble, points (each { text =, points = {…} }), named people and appendices.
function order.view(org, spec)
  local ov = common.order_view(spec.order or nil, spec.default_title)
  local signatory = common.signatory(org)
  local missing = {}
  if ov.planned then
    missing[#missing + 1] = "приказ «" .. ov.title .. "» ещё не издан: номер и дата оставлены пустыми"
  elseif ov.blank then
    -- (the order's title for the secretary, its kind as she writes it in the description)
    local title = spec.kind
    for _, k in ipairs(require("documents.kinds").order_kinds) do
      if k.name == spec.kind then title = k.title end
    end
    missing[#missing + 1] = string.format("нет приказа «%s» (в описании — order с kind = %s): "
      .. "номер и дата оставлены пустыми", title, spec.kind)
  end
  if signatory.missing then missing[#missing + 1] = "нет данных о руководителе (поле head)" end
  if org.type ~= "municipality" and not org.full_name then
    missing[#missing + 1] = "нет полного наименования организации (поле full_name): в шапке приказа — краткое «"
      .. tostring(org.short_name) .. "»; впишите полное от руки или в описание"
  end
  for _, m in ipairs(spec.missing or {}) do missing[#missing + 1] = m end
  local named = common.unique_people(spec.people or {})
  -- The points as one flat list with their labels ("1.", "2.1."), the control sentence last:
  -- the PDF and a template's paragraph loop read the same list.
  local points = {}
  local function flatten(list, prefix, level)
    for i, point in ipairs(list) do
      local label = prefix .. i .. "."
      points[#points + 1] = { label = label, text = point.text, level = level }
      if point.points then flatten(point.points, label, level + 1) end
    end
  end
  flatten(spec.points, "", 1)
  local control = "Контроль за исполнением приказа оставляю за собой."
  points[#points + 1] = { label = (#spec.points + 1) .. ".", text = control, level = 1 }
  return {
    org = common.org_view(org),
    order = ov,
    preamble = spec.preamble,
    points = points,
    signature = signatory,
    acquaintance = common.acquaintance_view(named),
    appendices = spec.appendices or {},
    missing = missing,
    -- the requisite «Штрих-код (QR-код) документа»: the PDF draws it, the template's {qr} tag
    -- puts it in the lower right corner of the first page (false: the order has no link)
    qr = order.qr_block(org, spec.order) or false,
  }
end

-- The QR code of an order with a link (its qr, or the organisation's order_qr pattern) as a
-- view block; nil without one.
function order.qr_block(org, the_order)
  local link = the_order and qr.link(org, the_order)
  if not link then return nil end
  return { type = "qr", text = link, size = qr.SIZE_MM }
end

-- The PDF: head, body, signature; then each appendix (its own blocks, with the appendix
-- mark unless the appendix says no_mark), then the acquaintance sheet.
-- `appendix_blocks(view, appendix)` lays an appendix out.
function order.pdf(view, appendix_blocks)
  local blocks = { view.qr or nil } -- first: the layout puts it in the lower right corner of page 1
  for _, b in ipairs(common.order_head_blocks(view)) do blocks[#blocks + 1] = b end
  for _, b in ipairs(common.order_body_blocks(view)) do blocks[#blocks + 1] = b end
  common.add_signature(blocks, view.signature)
  for i, appendix in ipairs(view.appendices) do
    blocks[#blocks + 1] = { type = "page", orientation = appendix.orientation or "portrait" }
    if not appendix.no_mark then blocks[#blocks + 1] = common.appendix_mark(i, view.order) end
    for _, b in ipairs(appendix_blocks(view, appendix)) do blocks[#blocks + 1] = b end
  end
  blocks[#blocks + 1] = { type = "page", orientation = "portrait" }
  for i, b in ipairs(common.acquaintance_blocks(view.order, view.acquaintance)) do
    if not (i == 1 and b.type == "page_break") then blocks[#blocks + 1] = b end
  end
  return common.document({ title = view.order.title, org = view.org, author = view.org.short_name,
    subject = "Приказ " .. common.order_reference(view.order), blocks = blocks })
end

-- A cell listing people (name, then the role in italics) for the appendix tables.
-- (the paragraphs of the appendix tables shared, common.para_of: an organisation's orders name
-- the same people and say the same headers)
local left_para = common.para_of({ align = "left" })
local role_para = common.para_of({ align = "left", italic = true })
local head_para = common.para_of({ align = "center", bold = true })
local cell_para = setmetatable({}, { __index = function(made, align)
  made[align] = common.para_of({ align = align })
  return made[align]
end })

function order.people_cell(list)
  local blocks = {}
  for _, p in ipairs(list) do
    blocks[#blocks + 1] = left_para(p.name)
    if p.role ~= "" then blocks[#blocks + 1] = role_para(p.role) end
  end
  if #blocks == 0 then blocks[1] = left_para(" ") end
  return { blocks = blocks }
end

-- { name =, role = } of each person, for the appendix tables; those who sign for themselves
-- are added to `named` (the acquaintance sheet).
function order.who(list, named)
  local out = {}
  for _, person in ipairs(list) do
    -- a partner's person is not the head's to order: named «по согласованию»
    out[#out + 1] = { name = person.full, role = pc.role(person) .. (person.partner and " (по согласованию)" or "") }
    if order.signs(person) then named[#named + 1] = person end
  end
  return out
end

-- An appendix table: its title above, a header row, a row per entry. `columns` are
-- { title =, weight = } (the first, "№", 12 mm wide); `cells(row)` gives a row's cells.
function order.appendix_table(title, columns, rows, cells)
  local head, widths = { cells = {} }, {}
  for i, c in ipairs(columns) do
    head.cells[i] = { blocks = { head_para(c.title) }, valign = "middle" }
    widths[i] = {} -- sized from the content (layout's columns): names never cut, «№ п/п» whole
  end
  local trows = { head }
  for _, r in ipairs(rows) do trows[#trows + 1] = { cells = cells(r) } end
  return {
    common.para(title, { align = "center", bold = true, space_after = 6 }),
    { type = "table", header_rows = 1, size = 12, rows = trows, columns = widths },
  }
end

-- A cell of plain text (a space when empty, so the row keeps its height).
-- (remembered by the text, frozen: the appendix tables repeat numbers, forms and periods, and
-- the C reads of each are kept from one order to the next; common.frozen)
local cells = setmetatable({}, { __index = function(made, align)
  local para = cell_para[align]
  made[align] = text.memo(function(s) return common.frozen({ blocks = { para(s ~= "" and s or " ") } }) end, 256)
  return made[align]
end })

function order.cell(s, align)
  if type(s) ~= "string" then return { blocks = { cell_para[align or "left"](s) } } end
  return cells[align or "left"](s)
end

-- People who sign the acquaintance sheet themselves: a minor does not (the parent answers for
-- him in the consents; the sheet is signed by staff and adult participants), nor someone of a
-- partner (taking part by agreement, not by the head's order).
function order.signs(person)
  return person and not person.minor and not person.partner
end

-- "с 22.09.2025 по 29.05.2026" — a pair's period as planned (the order of its date says so).
function order.period(from, to)
  if from and to then return "с " .. russian.date(from) .. " по " .. russian.date(to) end
  if from then return "с " .. russian.date(from) end
  if to then return "до " .. russian.date(to) end
  return ""
end

return order
