-- Document kind "order-pairs-end": an order ending mentoring pairs (groups) early ("О
-- досрочном прекращении работы наставнических пар (групп)"), one per order of kind
-- "pairs-end". It lists the pairs it ended — pair { ended = "ДД.ММ.ГГГГ", ended_by = "№" },
-- or a pair whose `ended` date falls on or after the order (nastavnik/timeline.lua) — with the
-- order that formed each, the day it ends and why (end_reason); then the acquaintance sheet.
-- Pairs ended early that no such order names get a draft with a blank number and date.

local order = require "documents.order"
local russian = require "nastavnik.russian"
local timeline = require "nastavnik.timeline"

local kind = { kind = "order-pairs-end", title = "Приказ о досрочном прекращении работы наставнических пар (групп)",
  folder = "Приказы", file_name = "Приказ о досрочном прекращении работы наставнических пар (групп)",
  for_municipality = false, position = 32, landscape = true,
  says = { "ПРИКАЗ", "Прекратить", "Дата прекращения" },
  order_kind = "pairs-end", order_kind_title = "о досрочном прекращении работы наставнических пар (групп)" }

-- The pairs an order ended; for the draft, the pairs ended early that no order ended (a pair
-- whose mentor was replaced is ended by the order on the replacement).
local function ended(org, the_order)
  local out = {}
  for _, pair in ipairs(org.pairs or {}) do
    if the_order and pair.ended_by == the_order then
      out[#out + 1] = pair
    elseif not the_order and pair.ended and not pair.ended_by and not pair.__replaced_by then
      out[#out + 1] = pair
    end
  end
  return out
end

function kind.draft(org) return #ended(org, nil) > 0 end

function kind.instances(model, options) return order.instances(kind, model, options) end

function kind.view(model, options)
  local org, the_order = order.subject(kind, model, options)
  if not org then return nil, the_order end
  the_order = the_order or nil
  local short = org.short_name or org.name
  local rows, named, missing = {}, {}, {}
  for i, pair in ipairs(ended(org, the_order)) do
    rows[#rows + 1] = { number = tostring(i), mentors = order.who(pair.mentors, named),
      mentees = order.who(pair.mentees, named), form = pair.form and pair.form.title or "",
      formed = pair.formed_by and timeline.reference(pair.formed_by) or "",
      ended = pair.ended and russian.date(pair.ended) or "", reason = pair.end_reason or "" }
  end
  local one = #rows == 1
  local what = one and "наставнической пары (группы)" or "наставнических пар (групп)"
  local points = {
    { text = "Прекратить досрочно работу " .. what .. " в " .. short .. ", "
      .. (one and "указанной" or "указанных") .. " в приложении " .. russian.number(1)
      .. ", с даты, указанной в приложении." },
    { text = "Наставникам подвести итоги работы " .. (one and "пары (группы)" or "пар (групп)")
      .. " и передать куратору сведения о достигнутых результатах в течение пяти рабочих дней." },
  }
  points[#points + 1] = order.curator_point(org, the_order, missing, named,
    "внести изменения в базу наставников и наставляемых.")
  for _, r in ipairs(rows) do
    if r.reason == "" then
      missing[#missing + 1] = "причина досрочного прекращения не указана (поле end_reason): графа оставлена пустой"
      break
    end
  end
  local view = order.view(org, {
    order = the_order,
    kind = "pairs-end",
    default_title = "О досрочном прекращении работы " .. what,
    preamble = "В соответствии с " .. order.BASIS_TARGET_MODEL .. ", Положением о системе наставничества в "
      .. short,
    points = points,
    people = named,
    missing = missing,
    appendices = { { kind = "pairs-end", orientation = "landscape", rows = rows } },
  })
  view.pairs = rows
  return view
end

local COLUMNS = { { title = "№" }, { title = "Наставник", weight = 3.3 }, { title = "Наставляемый", weight = 3.3 },
  { title = "Форма наставничества", weight = 2.6 }, { title = "Закреплена приказом", weight = 2.3 },
  { title = "Дата прекращения", weight = 2 }, { title = "Причина", weight = 3 } }

local function appendix_blocks(_, appendix)
  return order.appendix_table("Список наставнических пар (групп), работа которых прекращается досрочно",
    COLUMNS, appendix.rows, function(r)
      return { order.cell(r.number, "center"), order.people_cell(r.mentors), order.people_cell(r.mentees),
        order.cell(r.form), order.cell(r.formed), order.cell(r.ended, "center"), order.cell(r.reason) }
    end)
end

function kind.pdf(view)
  return order.pdf(view, appendix_blocks)
end

return kind
