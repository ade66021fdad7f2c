-- Document kind "order-mentor-change": an order replacing the mentor of a pair or group ("О
-- замене наставника"), one per order of kind "mentor-change". It lists the pairs it formed
-- that replace another — pair { replaces = "2", mentor = "…", from = "…" } (the mentees, form and
-- term come from the replaced pair) — with the mentee, the mentor leaving, the mentor coming,
-- the form and the new mentor's term; then the acquaintance sheet. The replaced pair ends the
-- day before its replacement starts (nastavnik/timeline.lua). Replacements no such order
-- formed get a draft with a blank number and date.

local order = require "documents.order"
local russian = require "nastavnik.russian"
local timeline = require "nastavnik.timeline"

local kind = { kind = "order-mentor-change", title = "Приказ о замене наставника",
  folder = "Приказы", file_name = "Приказ о замене наставника", for_municipality = false,
  position = 34, landscape = true,
  says = { "ПРИКАЗ", "Прежний наставник", "Новый наставник" },
  order_kind = "mentor-change", order_kind_title = "о замене наставника" }

-- The replacements an order made; for the draft, those no order made.
local function replacements(org, the_order)
  local out = {}
  for _, pair in ipairs(org.pairs or {}) do
    if pair.replaces and ((the_order and pair.formed_by == the_order) or (not the_order and not pair.formed_by)) then
      out[#out + 1] = pair
    end
  end
  return out
end

function kind.draft(org) return #replacements(org, nil) > 0 end

function kind.instances(model, options) return order.instances(kind, model, options) end

function kind.view(model, options)
  local org, the_order = order.subject(kind, model, options)
  if not org then return nil, the_order end
  the_order = the_order or nil
  local short = org.short_name or org.name
  local rows, named, missing = {}, {}, {}
  for i, pair in ipairs(replacements(org, the_order)) do
    local old = pair.replaces
    rows[#rows + 1] = { number = tostring(i), mentees = order.who(pair.mentees, named),
      old_mentors = order.who(old.mentors, named), new_mentors = order.who(pair.mentors, named),
      form = pair.form and pair.form.title or "", period = order.period(pair.from, pair.to),
      formed = old.formed_by and timeline.reference(old.formed_by) or "" }
  end
  local points = {
    { text = "Заменить наставников наставнических пар (групп) в " .. short .. " согласно приложению "
      .. russian.number(1) .. ": прежних наставников освободить от обязанностей наставника, новых наставников "
      .. "закрепить за наставляемыми на срок, указанный в приложении." },
    { text = "Новым наставникам в течение двух недель со дня подписания настоящего приказа уточнить совместно "
      .. "с наставляемыми персонализированные программы наставничества." },
  }
  points[#points + 1] = order.curator_point(org, the_order, missing, named,
    "внести изменения в базу наставников и наставляемых.")
  local view = order.view(org, {
    order = the_order,
    kind = "mentor-change",
    default_title = "О замене наставника",
    preamble = "В соответствии с " .. order.BASIS_TARGET_MODEL .. ", Положением о системе наставничества в "
      .. short .. ", на основании письменного согласия наставников",
    points = points,
    people = named,
    missing = missing,
    appendices = { { kind = "mentor-change", orientation = "landscape", rows = rows } },
  })
  view.pairs = rows
  return view
end

local COLUMNS = { { title = "№" }, { title = "Наставляемый", weight = 3.1 }, { title = "Прежний наставник", weight = 3.1 },
  { title = "Новый наставник", weight = 3.1 }, { title = "Форма наставничества", weight = 2.6 },
  { title = "Срок работы нового наставника", weight = 2.4 }, { title = "Пара закреплена приказом", weight = 2.3 } }

local function appendix_blocks(_, appendix)
  return order.appendix_table("Замена наставников наставнических пар (групп)", COLUMNS, appendix.rows, function(r)
    return { order.cell(r.number, "center"), order.people_cell(r.mentees), order.people_cell(r.old_mentors),
      order.people_cell(r.new_mentors), order.cell(r.form), order.cell(r.period), order.cell(r.formed) }
  end)
end

function kind.pdf(view)
  return order.pdf(view, appendix_blocks)
end

return kind
