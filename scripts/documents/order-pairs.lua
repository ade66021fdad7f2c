-- Document kind "order-pairs": an order on mentoring pairs and groups ("О закреплении
-- наставнических пар (групп)"), one document per order of kind "pairs": it lists the pairs
-- that order formed (pair.order, or else the latest pairs order dated on or before the pair's
-- start — nastavnik/timeline.lua), as they were planned on its date, in its appendix table —
-- №, mentor (ФИО, post), mentee (ФИО, post or class), form, period — and the acquaintance
-- sheet. Pairs added later come in their own order; a pair ended early or given a new mentor
-- is the business of order-pairs-end and order-mentor-change, never a change to this one.
-- Without any pairs order a draft lists all the pairs, its number and date left blank.

local order = require "documents.order"
local russian = require "nastavnik.russian"
local text = require "nastavnik.text"

local kind = { kind = "order-pairs", title = "Приказ о закреплении наставнических пар (групп)",
  folder = "Приказы", file_name = "Приказ о закреплении наставнических пар (групп)", for_municipality = false,
  position = 30, landscape = true,
  says = { "ПРИКАЗ", "Закрепить", "Форма наставничества" },
  order_kind = "pairs", order_kind_title = "о закреплении наставнических пар (групп)" }

-- A draft is made for every organisation with no pairs order: the form of the order to fill.
function kind.draft() return true end

function kind.instances(model, options) return order.instances(kind, model, options) end

-- "12 (двенадцать) наставнических пар (групп)", the count in figures and in words as orders
-- write it; without pairs (a form to fill by hand) just "наставнические пары (группы)".
local function how_many(n)
  if n == 0 then return "наставнические пары (группы)" end
  local words = russian.words(n, "ж"):gsub("одна$", "одну")
  local noun = text.plural(n, "наставническую пару (группу)", "наставнические пары (группы)",
    "наставнических пар (групп)")
  return string.format("%d (%s) %s", n, words, noun)
end

-- The pairs an order formed; for the draft, the pairs no order formed (but replacements of
-- a mentor, which have an order kind of their own).
local function formed(org, the_order)
  local out = {}
  for _, pair in ipairs(org.pairs or {}) do
    if the_order and pair.formed_by == the_order then
      out[#out + 1] = pair
    elseif not the_order and not pair.formed_by and not pair.replaces then
      out[#out + 1] = pair
    end
  end
  return out
end

function kind.view(model, options)
  local org, the_order = order.subject(kind, model, options)
  if not org then return nil, the_order end
  local short = org.short_name or org.name
  local rows, named = {}, {}
  for i, pair in ipairs(formed(org, the_order)) do
    rows[#rows + 1] = { number = tostring(i), mentors = order.who(pair.mentors, named),
      mentees = order.who(pair.mentees, named), form = pair.form and pair.form.title or "",
      period = order.period(pair.from, pair.to), topic = pair.topic }
  end
  local missing = {}
  if #rows == 0 then missing[#missing + 1] = "нет наставнических пар (поле pairs): таблица оставлена для заполнения от руки" end
  local points = {
    { text = "Закрепить " .. how_many(#rows) .. " в " .. short .. " согласно приложению "
      .. russian.number(1) .. "." },
    { text = "Наставникам:", points = {
      { text = "разработать совместно с наставляемыми персонализированные программы наставничества "
        .. "в течение месяца со дня подписания настоящего приказа;" },
      { text = "проводить встречи с наставляемыми в соответствии с планом работы пары (группы)." },
    } },
  }
  points[#points + 1] = order.curator_point(org, the_order, missing, named,
    "осуществлять мониторинг работы наставнических пар (групп).")
  local view = order.view(org, {
    order = the_order,
    kind = "pairs",
    default_title = "О закреплении наставнических пар (групп)",
    preamble = "В соответствии с " .. order.BASIS_TARGET_MODEL .. ", на основании письменного согласия "
      .. "участников, в целях реализации целевой модели наставничества в " .. short,
    points = points,
    people = named,
    missing = missing,
    appendices = { { kind = "pairs", orientation = "landscape", rows = rows } },
  })
  view.pairs = rows
  return view
end

local COLUMNS = { { title = "№" }, { title = "Наставник (ФИО, должность)", weight = 4 },
  { title = "Наставляемый (ФИО, должность или класс)", weight = 4 }, { title = "Форма наставничества", weight = 2.5 },
  { title = "Срок", weight = 2.5 } }

local function appendix_blocks(_, appendix)
  local rows = appendix.rows
  -- Without pairs, ten numbered blank rows to fill by hand.
  if #rows == 0 then
    rows = {}
    for i = 1, 10 do rows[i] = { number = tostring(i), mentors = {}, mentees = {}, form = "", period = "" } end
  end
  return order.appendix_table("Список наставнических пар (групп)", COLUMNS, rows, function(r)
    return { order.cell(r.number, "center"), order.people_cell(r.mentors), order.people_cell(r.mentees),
      order.cell(r.form), order.cell(r.period) }
  end)
end

function kind.pdf(view)
  return order.pdf(view, appendix_blocks)
end

return kind
