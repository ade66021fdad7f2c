-- What in the description shows that an item of the roadmap was done, for the report on the
-- roadmap (roadmap-report.lua). Roadmaps are written by people, each in their own words, so
-- the links are careful and never a guess:
--
--   * the item's own links: evidence = "приказ № 162" or the title of an event (validate.lua
--     resolves them) — they count whenever dated on or before the report's date;
--   * the orders the item's text cites with number and date ("приказ № 298 от 22.08.2025"),
--     when the item is about normative acts and an order of the description has that number
--     and date — dated not after the deadline;
--   * an order of the kind the item is about, when every clause of its heading is about such
--     an order ("Формирование наставнических пар или групп" — an order on pairs; "Актуализация
--     Положения … и разработка дорожной карты" — an order on the regulation and one on the
--     roadmap) — dated within the deadline;
--   * the pairs formed within the deadline, for an item on forming pairs where no order is;
--   * an event whose title is the item's heading (or that the heading names whole) — held
--     within the deadline.
--
-- evidence.find(subject, source, heading_source, date) returns { done = true|false, comment = }
-- or nil: done when the evidence covers the whole item; otherwise what was found is only
-- mentioned ("— часть пункта") and the state stays what the dates say.

local richtext = require "nastavnik.richtext"
local russian = require "nastavnik.russian"
local text = require "nastavnik.text"
local dates = require "nastavnik.dates"
local timeline = require "nastavnik.timeline"

local evidence = {}

-- Text compared without case, ё, quotes, dash kinds and extra spaces. Remembered (bounded,
-- text.memo): a region's roadmaps are written from the same templates, and each item is
-- compared with every event of its organisation.
local key_of = text.memo(function(s)
  s = text.lower(text.plain_dashes(text.plain_spaces(s))):gsub("ё", "е")
  for _, quote in ipairs({ "«", "»", "\"", "„", "“" }) do s = s:gsub(quote, "") end
  return (s:gsub("%s+", " "):gsub("^%s+", ""):gsub("[%s%.;:,]+$", ""))
end, 2000)

local function key(s) return key_of(s or "") end

-- What an item's heading may be about, clause by clause: the kind of order that shows it done.
local ABOUT = {
  { kind = "pairs", "^формирование наставнических пар", "^закрепление наставнических пар",
    "^формирование и закрепление наставнических пар", "^формирование наставнических групп" },
  { kind = "regulation", "^утверждение положения о", "^разработка и утверждение положения о",
    "^актуализация положения о", "^принятие положения о", "^приказ об утверждении положения о" },
  { kind = "roadmap", "^утверждение дорожной карты", "^разработка и утверждение дорожной карты",
    "^разработка дорожной карты", "^актуализация дорожной карты", "^приказ об утверждении дорожной карты" },
  { kind = "curator", "^назначение куратора", "^приказ о назначении куратора" },
}

-- (remembered as key is: the same clauses are asked about in every organisation)
local about_memo = text.memo(function(clause)
  for _, a in ipairs(ABOUT) do
    for _, pattern in ipairs(a) do
      if clause:match(pattern) then return a.kind end
    end
  end
  return false
end, 2000)

local function about(clause) return about_memo(clause) or nil end

-- The heading's clauses: "A и B", "A, B". The leads that are one clause with "и" in them
-- ("формирование и закрепление …", "разработка и утверждение …") are kept whole.
local WHOLE = { "формирование и закрепление", "разработка и утверждение" }

local function clauses(heading)
  for i, lead in ipairs(WHOLE) do heading = heading:gsub(lead, "\0" .. i .. "\0") end
  local out = {}
  for part in (heading .. ", "):gmatch("(.-),%s+") do
    for piece in (part .. " и "):gmatch("(.-) и ") do
      piece = piece:gsub("\0(%d)\0", function(i) return WHOLE[tonumber(i)] end)
      piece = piece:gsub("^%s+", ""):gsub("%s+$", "")
      if piece ~= "" then out[#out + 1] = piece end
    end
  end
  return out
end

local function within(iso, from, to)
  return iso and (not from or iso >= from) and (not to or iso <= to)
end

local function orders_text(list)
  local refs = {}
  for _, o in ipairs(list) do refs[#refs + 1] = timeline.reference(o) end
  return (#list > 1 and "приказы " or "приказ ") .. table.concat(refs, ", ")
end

-- An event's date as ISO, when it is written as a date.
local function event_date(ev)
  return ev.date and ev.date:match("^%d%d?%.%d%d?%.%d%d%d%d$") and dates.parse(ev.date) or nil
end

-- The orders a text cites with number and date, as { number, date (ISO) } in the order they
-- are found: "№ … от …" first, then "от … № …".
local function citations_of(plain)
  local list = {}
  local s = text.plain_spaces(plain)
  for number, date in s:gmatch("№%s*([%w%-/]+)%s*от%s*(%d%d?%.%d%d?%.%d%d%d%d)") do
    list[#list + 1] = { number, (dates.parse(date)) }
  end
  for date, number in s:gmatch("от%s*(%d%d?%.%d%d?%.%d%d%d%d)%s*г?%.?%s*№%s*([%w%-/]+)") do
    list[#list + 1] = { number, (dates.parse(date)) }
  end
  return list
end

-- The orders of the subject among those a text cites (citations_of), each once.
local function cited_orders(subject, citations)
  local found, seen = {}, {}
  for _, c in ipairs(citations) do
    local number, iso = c[1], c[2]
    for _, o in ipairs(subject.orders or {}) do
      if o.number == number and o.date == iso and not seen[o] then
        seen[o] = true
        found[#found + 1] = o
      end
    end
  end
  return found
end

local function cites(line, orders)
  local s = text.plain_spaces(line)
  for _, o in ipairs(orders) do
    if s:find("№%s*" .. o.number:gsub("%p", "%%%0")) then return true end
  end
  return false
end

-- The events of a subject (and, for a municipality, of its organisations).
local function events_of(subject)
  local out = {}
  local function add(org)
    for _, ev in ipairs(org.events or {}) do out[#out + 1] = ev end
    for _, pr in ipairs(org.practices or {}) do
      for _, ev in ipairs(pr.presented or {}) do out[#out + 1] = ev end
    end
  end
  add(subject)
  for _, org in ipairs(subject.organisations or {}) do add(org) end
  return out
end

local function pairs_formed(subject, from, to)
  local n, first = 0, nil
  for _, pair in ipairs(subject.pairs or {}) do
    if within(pair.from, from, to) then
      n = n + 1
      if not first or pair.from < first then first = pair.from end
    end
  end
  return n, first
end

-- What evidence.find reads of an item's text whatever the organisation: its lines, its heading
-- (key of the first line without its number), the heading's clauses and count of words, and,
-- for an item on normative acts, the orders it cites (citations_of); false for a text without
-- a line. Remembered: a region's roadmaps are written from the same templates, and the
-- patterns were tried at every byte of every item of every organisation.
local read_text = text.memo(function(plain)
  local lines = {}
  for line in plain:gmatch("[^\n]+") do lines[#lines + 1] = line end
  if #lines == 0 then return false end
  local heading = key(lines[1]:gsub("^%s*[%d%.%)]+%s+", ""))
  local acts = heading:find("нормативн", 1, true) or heading:find("распорядительн", 1, true)
    or heading:find("приказ", 1, true) or heading:find("локальн", 1, true)
  return { lines = lines, heading = heading, citations = acts and citations_of(plain) or nil,
    clauses = clauses(heading), words = select(2, heading:gsub("%S+", "")) }
end, 1000)

-- The evidence of a report row. `source` is the item or row (its due, its evidence links);
-- `blocks` its text (rich blocks); `date` the report's date; `period` the roadmap's.
function evidence.find(subject, source, blocks, date, period)
  local due = source.due or {}
  local until_ = (due.to and due.to < date) and due.to or date -- nothing after the report's date
  local window_from = due.from

  -- 1. The item's own links.
  if source.evidence and #source.evidence > 0 then
    local parts, late = {}, false
    for _, link in ipairs(source.evidence) do
      if link.order and link.order.date and link.order.date <= date then
        parts[#parts + 1] = "приказ " .. timeline.reference(link.order)
        late = late or (due.to and link.order.date > due.to)
      elseif link.events then
        for _, ev in ipairs(link.events) do
          local iso = event_date(ev)
          if not iso or iso <= date then
            parts[#parts + 1] = russian.quote(ev.title) .. (ev.date and (", " .. ev.date) or "")
            late = late or (iso and due.to and iso > due.to)
            break
          end
        end
      end
    end
    if #parts > 0 then
      return { done = true, comment = table.concat(parts, "; ") .. (late and " (позже срока)" or "") }
    end
  end

  local read = read_text(richtext.plain(blocks or {}))
  if not read then return nil end
  local lines, heading = read.lines, read.heading

  -- 2. Orders the text cites by number and date, for an item on normative acts.
  if read.citations then
    local cited = {}
    for _, o in ipairs(cited_orders(subject, read.citations)) do
      if o.date <= until_ then cited[#cited + 1] = o end
    end
    if #cited > 0 then
      -- whole when every line after the heading (each act the item lists) cites one
      local whole = true
      for i = 2, #lines do
        if not cites(lines[i], cited) then whole = false end
      end
      if #lines == 1 and not cites(lines[1], cited) then whole = false end
      local comment = orders_text(cited)
      return { done = whole, comment = whole and comment or (comment .. " — часть пункта") }
    end
  end

  -- 3. Orders of the kind each clause of the heading is about; pairs formed.
  local found, whole, any = {}, true, false
  for _, clause in ipairs(read.clauses) do
    local kind = about(clause)
    local shown
    if kind then
      local list = {}
      for _, o in ipairs(subject.orders or {}) do
        if o.kind == kind and o.date and within(o.date, window_from, until_) then list[#list + 1] = o end
      end
      table.sort(list, timeline.before)
      if #list > 0 then
        local t = orders_text(list)
        if kind == "pairs" then
          local n = 0
          for _, pair in ipairs(subject.pairs or {}) do
            for _, o in ipairs(list) do
              if pair.formed_by == o then n = n + 1 end
            end
          end
          if n > 0 then t = t .. " (пар и групп: " .. n .. ")" end
        end
        shown = t
      elseif kind == "pairs" then
        local n, first = pairs_formed(subject, window_from, until_)
        if n > 0 then shown = "пар и групп начали работу: " .. n .. " (с " .. dates.format(first) .. ")" end
      end
    end
    if shown then
      found[#found + 1] = shown
      any = true
    else
      whole = false
    end
  end
  if any then
    local comment = table.concat(found, "; ")
    return { done = whole, comment = whole and comment or (comment .. " — часть пункта") }
  end

  -- 4. An event the heading names.
  if #heading > 0 then
    for _, ev in ipairs(events_of(subject)) do
      local title = key(ev.title)
      local iso = event_date(ev)
      local named = title == heading or heading:find(title, 1, true)
        or (read.words >= 4 and title:find(heading, 1, true))
      if named and #title > 0 and within(iso, window_from, until_) then
        return { done = true, comment = "проведено " .. dates.format(iso) }
      end
    end
  end
  return nil
end

return evidence
