-- The curator's year: everything in a description that falls due on a date — roadmap items
-- by their deadlines (recurrence.lua expands the recurring ones), the pairs' meetings, the
-- pairs' programmes ending, orders still to be issued, consents not yet received — each with
-- who answers for it. `nastavnik due` lists a period of it, `nastavnik calendar` writes all
-- of it as iCalendar.
--
--   agenda.subjects(model, options)  the organisations to look at (--org, or all of a
--                                    municipality with the municipality itself first)
--   agenda.sources(org)              what falls due, each with its schedule:
--     { kind = "item" | "meeting" | "pair_end" | "order" | "consent", org =, title =, text =,
--       responsible =, schedule = (recurrence.lua), identity = (what makes it the same thing
--       from one run to the next: its words, not its place in the file), file =, line =,
--       number =, item = (the roadmap item or row, for its state) }
--   agenda.entries(sources, from, to, today)  the occurrences inside [from, to], by date,
--     each { date =, source =, window = { from, to }, label =, state = }
--   agenda.weeks(entries, from, to)  the entries grouped by week (Monday to Sunday)

local common = require "documents.common"
local report = require "documents.roadmap-report"
local recurrence = require "nastavnik.recurrence"
local richtext = require "nastavnik.richtext"
local dates = require "nastavnik.dates"
local russian = require "nastavnik.russian"
local text = require "nastavnik.text"

local agenda = {}

agenda.KIND_TITLES = {
  item = "Дорожная карта", meeting = "Встреча пары", pair_end = "Окончание программы",
  order = "Приказ", consent = "Согласия",
}

-- What `due` lists for an order dated today or later, and for one already issued.
agenda.ORDER_PLANNED = "к изданию"
agenda.CONSENT_MISSING = "нет согласия"

function agenda.subjects(model, options)
  local wanted = options and options.organisation
  if model.type == "municipality" and (not wanted or wanted == "") then
    local list = { model }
    for _, org in ipairs(model.organisations) do list[#list + 1] = org end
    return list
  end
  local org, err = common.subject(model, options)
  if not org then return nil, err end
  return { org }
end

local function org_name(org) return org.short_name or org.name end

-- The bytes %s matches (the C locale's spaces).
local SPACE = { [9] = true, [10] = true, [11] = true, [12] = true, [13] = true, [32] = true }

-- The first paragraph of a text, short enough for one line of a list.
local function headline(plain, limit)
  -- the first paragraph, or the first two when the first only announces («Заседание 1:»)
  local first, second = plain:match("^([^\n]*)\n?([^\n]*)")
  first = text.trim(first or "")
  if second and second ~= "" and (first:match(":$") or utf8.len(first) < 20) then
    first = first:gsub(":$", "") .. ": " .. text.trim(second)
  end
  -- (as first:gsub("%s*:$", ""), by its last bytes: the pattern was tried at every byte)
  if first:byte(-1) == 58 then
    local last = #first - 1
    while last > 0 and SPACE[first:byte(last)] do last = last - 1 end
    first = first:sub(1, last)
  end
  if utf8.len(first) > limit then
    local cut = first:sub(1, utf8.offset(first, limit) - 1)
    first = (cut:match("^(.*)%s") or cut) .. "…"
  end
  return first
end

-- The headline of an item's text, remembered: a region's roadmaps share their items' words.
local headline_of = text.memo(function(s) return headline(s, 140) end, 1000)

-- The non-empty texts of the two (nil allowed), one a line.
local function joined(a, b)
  if a and a ~= "" then
    if b and b ~= "" then return a .. "\n" .. b end
    return a
  end
  if b and b ~= "" then return b end
  return ""
end

------------------------------------------------------------------------------------------
-- Roadmap items

local function roadmap_sources(org, out)
  local rm = org.roadmap
  if not rm then return end
  local period = rm.period
  local function add(source_node, title, content, number, stage)
    local full = joined(title, content)
    local due_text = source_node.due and source_node.due.text
    out[#out + 1] = {
      kind = "item", org = org, number = number, item = source_node, stage = stage,
      title = headline_of(full ~= "" and full or (stage or "")), text = full,
      responsible = source_node.responsible and source_node.responsible.text or "",
      due_text = due_text or "",
      schedule = recurrence.schedule(source_node.due, period),
      identity = "item\n" .. full,
      file = source_node.__file or rm.__file, line = source_node.__line or rm.__line,
    }
  end
  -- A nested item («Заседание 2» under «Заседания творческой группы:») is read with its
  -- parent's title and number.
  local function walk(item, stage, parent_title, parent_number)
    local own = item.title and richtext.plain(item.title) or ""
    local title = joined(parent_title and parent_title:gsub(":%s*$", "") .. ":", own)
    local number = item.number or parent_number
    if #item.rows > 0 then
      for _, r in ipairs(item.rows) do
        add(r, title, joined(r.title and richtext.plain(r.title), r.content and richtext.plain(r.content)),
          number, stage)
      end
    elseif item.due or #item.items == 0 then
      add(item, title, item.content and richtext.plain(item.content) or "", number, stage)
    end
    for _, child in ipairs(item.items) do walk(child, stage, title, number) end
  end
  for _, stage in ipairs(rm.stages) do
    local stage_title = stage.title and richtext.plain(stage.title) or nil
    for _, item in ipairs(stage.items) do walk(item, stage_title) end
  end
end

------------------------------------------------------------------------------------------
-- Pairs, orders, consents

local function names(list, field)
  field = field or "short"
  -- (one person, the usual pair: no list made)
  if #list == 1 and type(list[1][field]) == "string" then return list[1][field] end
  local out = {}
  for _, p in ipairs(list) do out[#out + 1] = p[field] end
  return table.concat(out, ", ")
end

local function pair_label(pair)
  return string.format("%s № %s (%s – %s)", pair.kind == "group" and "группа" or "пара", pair.number,
    names(pair.mentors), names(pair.mentees))
end

local function pair_identity(pair)
  return table.concat({ pair.kind, names(pair.mentors, "full"), names(pair.mentees, "full"),
    pair.form and pair.form.id or "" }, "\n")
end

local function once(date) return { kind = "once", from = date, to = date, date = date } end

local function curator_name(org)
  if org.curator then return org.curator.short end
  return "куратор"
end

-- The day the consents of a pair are needed: the order that forms it, or its start.
local function consents_needed_by(pair)
  local by = pair.from
  if pair.order and pair.order.date and (not by or pair.order.date < by) then by = pair.order.date end
  return by
end

local function pair_sources(org, out)
  for _, pair in ipairs(org.pairs or {}) do
    local label = pair_label(pair)
    -- (the pair's identity and its mentors once, not for each of its meetings)
    local identity = (pair.meetings and #pair.meetings > 0 or pair.to) and pair_identity(pair)
    local mentors = names(pair.mentors)
    local seen = {}
    for _, m in ipairs(pair.meetings or {}) do
      if m.date then
        seen[m.title] = (seen[m.title] or 0) + 1
        local title = m.title .. ": " .. label
        out[#out + 1] = {
          kind = "meeting", org = org, title = title,
          text = joined(title, m.note), responsible = mentors .. " (наставник)",
          schedule = once(m.date), identity = "meeting\n" .. identity .. "\n" .. m.title .. "\n" .. seen[m.title],
          file = pair.__file, line = pair.__line,
        }
      end
    end
    if pair.to then
      out[#out + 1] = {
        kind = "pair_end", org = org,
        title = "Завершение программы наставничества: " .. label,
        text = "Завершение программы наставничества: " .. label
          .. (pair.completed and "" or "\nИтоговая встреча, отзывы наставника и наставляемого"),
        responsible = mentors .. " (наставник), " .. curator_name(org),
        schedule = once(pair.to), identity = "pair_end\n" .. identity,
        done = pair.completed, file = pair.__file, line = pair.__line,
      }
    end
    local needed_by = consents_needed_by(pair)
    if needed_by then
      local missing = {}
      for _, role in ipairs({ "mentors", "mentees" }) do
        for _, person in ipairs(pair[role]) do
          if not person.consent or person.consent > needed_by then
            missing[#missing + 1] = person.short .. (person.minor and " (за несовершеннолетнего — родитель)" or "")
          end
        end
      end
      if #missing > 0 then
        out[#out + 1] = {
          kind = "consent", org = org,
          title = "Получить согласия участников: " .. label .. " — нет от: " .. table.concat(missing, ", "),
          text = "Получить письменные согласия участников (на обработку персональных данных, наставника — на "
            .. "участие): " .. label .. "\nНет согласия от: " .. table.concat(missing, ", "),
          responsible = curator_name(org), schedule = once(needed_by), pair = pair, missing = missing,
          identity = "consent\n" .. (identity or pair_identity(pair)), file = pair.__file, line = pair.__line,
        }
      end
    end
  end
end

local function order_sources(org, out)
  for _, order in ipairs(org.orders or {}) do
    if order.date then
      local title = russian.number(order.number) .. " от " .. dates.format(order.date)
        .. (order.title and (" «" .. order.title .. "»") or "")
      local signer = order.signed_by or org.head
      out[#out + 1] = {
        kind = "order", org = org, title = title, text = title, order = order,
        responsible = signer and (signer.short .. " (подписывает)") or "руководитель (подписывает)",
        schedule = once(order.date), identity = "order\n" .. order.number,
        file = order.__file, line = order.__line,
      }
    end
  end
end

function agenda.sources(org)
  local out = {}
  roadmap_sources(org, out)
  pair_sources(org, out)
  order_sources(org, out)
  return out
end

------------------------------------------------------------------------------------------
-- Entries of a period

-- The state of one occurrence on `today`, as the roadmap report would print it.
local function state_of(source, window, today)
  if source.kind == "item" then
    local item = source.item
    local due = { text = source.due_text, from = window.from, to = window.to }
    -- Evidence (an order, an event) shows the item done as a whole, not one of its occurrences.
    local whole = item.due and window.from == item.due.from and window.to == item.due.to
    return report.item_state({ state = item.state, due = due, evidence = item.evidence, title = item.title,
      content = item.content }, today, whole and source.org or nil) or ""
  elseif source.kind == "order" then
    return source.schedule.date >= today and agenda.ORDER_PLANNED or "издан"
  elseif source.kind == "consent" then
    return source.schedule.date < today and (agenda.CONSENT_MISSING .. " (нужно было к "
      .. dates.format(source.schedule.date) .. ")") or agenda.CONSENT_MISSING
  elseif source.kind == "pair_end" and source.done then
    return "программа завершена"
  end
  return ""
end

-- Consents that were due before the period and are still missing, for pairs still at
-- work: one entry for the organisation on the period's first day (a dozen pairs without
-- consents is one job for the curator, not a dozen lines).
local function overdue_consents(list, sources, from, today)
  local by_org, order = {}, {}
  for _, source in ipairs(sources) do
    local pair = source.pair
    if source.kind == "consent" and source.schedule.date < from and (not pair.to or pair.to >= from) then
      if not by_org[source.org] then
        by_org[source.org] = {}
        order[#order + 1] = source.org
      end
      table.insert(by_org[source.org], source)
    end
  end
  for _, org in ipairs(order) do
    local group = by_org[org]
    local numbers, people, earliest = {}, 0, group[1].schedule.date
    for _, s in ipairs(group) do
      numbers[#numbers + 1] = s.pair.number
      people = people + #s.missing
      if s.schedule.date < earliest then earliest = s.schedule.date end
    end
    local title = string.format("Не получены согласия участников пар (групп), которые уже работают: № %s — нет от %d %s",
      table.concat(numbers, ", "), people, text.plural(people, "человека", "человек", "человек"))
    local details = {}
    for _, s in ipairs(group) do details[#details + 1] = s.text end
    local source = { kind = "consent", org = org, title = title, text = title .. "\n" .. table.concat(details, "\n"),
      responsible = group[1].responsible, schedule = { kind = "once", from = earliest, to = earliest, date = earliest },
      identity = "consents overdue", parts = group }
    list[#list + 1] = { date = from, source = source, window = { from = earliest, to = from },
      state = state_of(source, nil, today) }
  end
end

local KIND_ORDER = { consent = 1, order = 2, item = 3, meeting = 4, pair_end = 5 }

function agenda.entries(sources, from, to, today)
  local list = {}
  overdue_consents(list, sources, from, today)
  for _, source in ipairs(sources) do
    if source.kind == "order" and source.schedule.date < today then
      -- issued: not something still to do
    elseif source.kind == "consent" and source.schedule.date < from then
      -- listed above with the organisation's other overdue consents
    else
      for _, o in ipairs(recurrence.occurrences(source.schedule, from, to)) do
        local window = { from = o.from, to = o.to }
        list[#list + 1] = { date = o.date, source = source, window = window, label = o.label,
          state = state_of(source, window, today) }
      end
    end
  end
  for i, e in ipairs(list) do e.order = i end
  table.sort(list, function(a, b)
    if a.date ~= b.date then return a.date < b.date end
    local ka, kb = KIND_ORDER[a.source.kind], KIND_ORDER[b.source.kind]
    if ka ~= kb then return ka < kb end
    return a.order < b.order
  end)
  return list
end

-- The weeks (Monday to Sunday) that meet [from, to], each with its entries.
function agenda.weeks(entries, from, to)
  local weeks = {}
  local first = dates.day_number(from) - (dates.weekday(from) - 1)
  local last = dates.day_number(to)
  local k = 1
  for n = first, last, 7 do
    local week = { from = dates.from_day_number(n), to = dates.from_day_number(n + 6), entries = {} }
    while entries[k] and entries[k].date <= week.to do
      week.entries[#week.entries + 1] = entries[k]
      k = k + 1
    end
    weeks[#weeks + 1] = week
  end
  return weeks
end

-- Sources with no deadline of their own (ongoing) and those whose deadline cannot be read.
function agenda.without_dates(sources)
  local ongoing, unread = {}, {}
  for _, s in ipairs(sources) do
    if s.schedule.kind == "ongoing" then ongoing[#ongoing + 1] = s end
    if s.schedule.kind == "unread" then unread[#unread + 1] = s end
  end
  return ongoing, unread
end

agenda.org_name = org_name
return agenda
