-- Orders and pairs in time: which order formed a pair, which ended it, who was the curator
-- on an order's date, and the contradictions a description can hold about time.
--
-- An order is a fact of its date: the order of 12.09 lists the pairs it formed, not those
-- added in January; it names the curator only if an earlier order (or itself) appointed her.
-- validate.lua calls timeline.link(org, report) once per organisation (and municipality); it
-- sets on every pair
--   formed_by — the order that formed it: its `order`, or else the latest order of the kind
--               that forms such pairs ("pairs"; "mentor-change" for a pair that replaces
--               another) dated on or before the pair's start;
--   ends      — when it really ended: `ended`, or the day before the pair replacing it starts;
--   ended_by  — the order that ended it early: its `ended_by`, the order that formed its
--               replacement, or the latest "pairs-end" order dated between its start and end;
-- and reports (report(node, message, remark)) what cannot be true: a pair starting before
-- its order, a pair in no order, a mentee in two pairs of the same form at once, a minor
-- mentor the documents would let sign alone; and, as a remark that stops nothing, an order
-- that would name a curator appointed later (its document leaves the name blank).

local dates = require "nastavnik.dates"

local timeline = {}

-- The leading number of an order's number: "162", "45-од" -> 45; nil for "б/н".
local function leading(number) return tonumber(tostring(number or ""):match("^%d+")) end

-- Whether order a was issued before order b: by date, on one date by number, else by the
-- place in the description's list (a secretary lists them as they were registered).
function timeline.before(a, b)
  -- (an order not issued yet, without a date, comes after those issued)
  if a.date ~= b.date then return (a.date or "~") < (b.date or "~") end
  local na, nb = leading(a.number), leading(b.number)
  if na and nb and na ~= nb then return na < nb end
  return (a.__index or 0) < (b.__index or 0)
end

-- "№ 162 от 12.09.2025" (for messages: plain spaces).
function timeline.reference(order)
  if order.planned then return "«" .. (order.title or "") .. "» (ещё не издан)" end
  -- (an order whose number is missing is an error of its own; its messages still name it)
  local number = order.number and ("№ " .. order.number) or "без номера"
  return number .. (order.date and (" от " .. dates.format(order.date)) or "")
end

local function of_kind(org, kind)
  local out = {}
  for _, o in ipairs(org.orders or {}) do
    if o.kind == kind and o.date then out[#out + 1] = o end
  end
  table.sort(out, timeline.before)
  return out
end

-- The latest order of `kind` dated within [from, to] (either may be nil: open).
local function latest_within(org, kind, from, to)
  local found
  for _, o in ipairs(of_kind(org, kind)) do
    if o.date and (not from or o.date >= from) and (not to or o.date <= to) then found = o end
  end
  return found
end

local function day_before(iso)
  local y, m, d = dates.split(iso)
  d = d - 1
  if d == 0 then
    m = m - 1
    if m == 0 then m, y = 12, y - 1 end
    d = dates.days_in_month(y, m)
  end
  return dates.iso(y, m, d)
end

-- The curator an order may name: the person appointed by the latest curator order issued
-- before it (or by itself). Returns person, appointing order; or nil, the first curator
-- order issued after it (nil if the organisation has no curator at all). Without any
-- curator order the described curator is taken as she is: nothing says when she came.
function timeline.curator_on(org, order)
  local appointments = of_kind(org, "curator")
  if #appointments == 0 or not order or not order.date then
    return org.curator, nil
  end
  local current
  for _, c in ipairs(appointments) do
    if c == order or timeline.before(c, order) then current = c end
  end
  if current then
    return current.appoints or org.curator, current
  end
  return nil, appointments[1]
end

-- Whose form it is at which class: a pupil of grades 1–9 is under eighteen.
local function minor_by_class(person)
  local grade = tonumber(tostring(person.class or ""):match("^%s*(%d+)"))
  return grade and grade >= 1 and grade <= 9, grade
end

local function plain(person) return (person.short:gsub("\u{a0}", " ")) end

local function overlap(a_from, a_to, b_from, b_to)
  return a_from <= (b_to or "9999-12-31") and b_from <= (a_to or "9999-12-31")
end

-- Which kinds of order name the curator in their documents.
local NAMES_CURATOR = { roadmap = true, regulation = true, pairs = true, ["pairs-end"] = true,
  ["mentor-change"] = true }

function timeline.link(org, report)
  for i, o in ipairs(org.orders or {}) do o.__index = i end
  local pairs_list = org.pairs or {}
  local has = {}
  for _, o in ipairs(org.orders or {}) do
    if o.date then has[o.kind] = true end -- (an order without a date is an error of its own)
  end

  -- A replaced pair ends the day before its replacement starts.
  for _, pair in ipairs(pairs_list) do
    local old = pair.replaces
    if old and pair.from and not old.ended then old.ends = day_before(pair.from) end
    if old then old.__replaced_by = pair end
  end

  for _, pair in ipairs(pairs_list) do
    pair.ends = pair.ended or pair.ends or pair.to
    -- The order that formed it.
    local forming_kind = pair.replaces and "mentor-change" or "pairs"
    if pair.order then
      pair.formed_by = pair.order
      if pair.from and pair.order.date and pair.order.date > pair.from then
        report(pair, string.format("поле order: начинается %s (поле from), раньше приказа %s, которым "
          .. "закреплена: исправьте дату начала или приказ", dates.format(pair.from),
          timeline.reference(pair.order)))
      end
    elseif has[forming_kind] and not pair.__order_given then
      pair.formed_by = pair.from and latest_within(org, forming_kind, nil, pair.from)
      if not pair.formed_by then
        local first = of_kind(org, forming_kind)[1]
        if pair.from then
          report(pair, string.format("не входит ни в один приказ о закреплении: начинается %s, а первый "
            .. "такой приказ — %s; укажите приказ (поле order) или исправьте дату начала (поле from)",
            dates.format(pair.from), timeline.reference(first)))
        else
          report(pair, "не указаны ни приказ о закреплении (поле order), ни дата начала (поле from): "
            .. "неизвестно, каким приказом закреплена")
        end
      end
    end
    -- The order that ended it early.
    if pair.ended_by then
      -- as written (validate resolved the number)
    elseif pair.__replaced_by then
      pair.ended_by = pair.__replaced_by.formed_by
    elseif pair.ended then
      pair.ended_by = latest_within(org, "pairs-end", pair.from, pair.ended)
    end
  end

  -- A mentee in two pairs of the same form at once. Each pair is compared with the earlier
  -- ones of its form only (by_form: those with a form and a start, in their order), not with
  -- every earlier pair: the messages come in the same order.
  local by_form = {}
  for _, b in ipairs(pairs_list) do
    local earlier = b.form and b.from and by_form[b.form]
    for _, a in ipairs(earlier or {}) do
      if a ~= b.replaces and b ~= a.replaces and overlap(a.from, a.ends, b.from, b.ends) then
        for _, m in ipairs(b.mentees) do
          for _, n in ipairs(a.mentees) do
            if m == n then
              report(b, string.format("наставляемый %s уже в паре (группе) №%s той же формы «%s» "
                .. "(%s – %s), сроки пересекаются; если та пара закончилась раньше, укажите это в ней "
                .. "(поле ended) или замену наставника (поле replaces)", plain(m), a.number,
                a.form.title, dates.format(a.from), a.ends and dates.format(a.ends) or "…"))
            end
          end
        end
      end
    end
    if b.form and b.from then
      earlier = earlier or by_form[b.form]
      if not earlier then
        earlier = {}
        by_form[b.form] = earlier
      end
      earlier[#earlier + 1] = b
    end
  end

  -- A minor mentor whom the documents would let sign alone (consents, acquaintance).
  for _, pair in ipairs(pairs_list) do
    for _, m in ipairs(pair.mentors) do
      local young, grade = minor_by_class(m)
      if young and m.minor == nil then
        report(pair, string.format("наставник %s учится в %d классе, несовершеннолетний, а в people "
          .. "у него нет minor = true: согласия и лист ознакомления он подписал бы один, без родителя "
          .. "(законного представителя); допишите minor = true", plain(m), grade))
      end
    end
  end

  -- Orders that would name a curator appointed later: the document leaves a blank.
  if org.curator or has.curator then
    for _, o in ipairs(org.orders or {}) do
      if NAMES_CURATOR[o.kind] then
        local person, later = timeline.curator_on(org, o)
        if not person and later then
          report(o, string.format("издан до назначения куратора (приказ %s): куратор в нём не назван, "
            .. "место для ФИО оставлено пустым", timeline.reference(later)), true)
        end
      end
    end
  end

  -- Several curator orders must say whom each appoints.
  local appointments = of_kind(org, "curator")
  if #appointments > 1 then
    for _, c in ipairs(appointments) do
      if not c.appoints then
        report(c, "приказов о назначении куратора несколько: укажите, кого назначает этот (поле appoints)")
      end
    end
  end
end

return timeline
