-- What every order (приказ) is made of, whatever it orders: the view of its head, body,
-- signature and acquaintance sheet, and the PDF of that view. The kinds (order-roadmap,
-- order-pairs, order-curator) only say what is ordered and what is appended.

local common = require "documents.common"

local order = {}

-- The legal basis most orders of the programme cite.
order.BASIS_TARGET_MODEL = "распоряжением Министерства просвещения Российской Федерации от 25.12.2019 "
  .. "№\u{a0}Р-145 «Об утверждении методологии (целевой модели) наставничества обучающихся для "
  .. "организаций, осуществляющих образовательную деятельность по общеобразовательным, "
  .. "дополнительным общеобразовательным и программам среднего профессионального образования, "
  .. "в том числе с применением лучших практик обмена опытом между обучающимися»"

-- Builds the common part of an order's view. `spec` gives kind, default_title, preamble,
-- points (each { text =, points = {…} }), named people and appendices.
function order.view(org, spec)
  local ov = common.order_view(common.order_of_kind(org, spec.kind), spec.default_title)
  local signatory = common.signatory(org)
  local missing = {}
  if ov.blank then missing[#missing + 1] = "нет приказа вида «" .. spec.kind .. "»: номер и дата оставлены пустыми" end
  if signatory.missing then missing[#missing + 1] = "нет данных о руководителе (поле head)" end
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
  }
end

-- The PDF: head, body, signature; then each appendix (its own blocks, with the appendix
-- mark), then the acquaintance sheet. `appendix_blocks(view, appendix)` lays an appendix out.
function order.pdf(view, appendix_blocks)
  local blocks = common.order_head_blocks(view)
  for _, b in ipairs(common.order_body_blocks(view)) do blocks[#blocks + 1] = b end
  common.add_signature(blocks, view.signature)
  for i, appendix in ipairs(view.appendices) do
    blocks[#blocks + 1] = { type = "page", orientation = appendix.orientation or "portrait" }
    blocks[#blocks + 1] = common.appendix_mark(i, view.order)
    for _, b in ipairs(appendix_blocks(view, appendix)) do blocks[#blocks + 1] = b end
  end
  blocks[#blocks + 1] = { type = "page", orientation = "portrait" }
  for i, b in ipairs(common.acquaintance_blocks(view.order, view.acquaintance)) do
    if not (i == 1 and b.type == "page_break") then blocks[#blocks + 1] = b end
  end
  return common.document({ title = view.order.title, org = view.org, author = view.org.short_name,
    subject = "Приказ " .. common.order_reference(view.order), blocks = blocks })
end

return order
