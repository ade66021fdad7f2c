-- The curator's year as an iCalendar file (RFC 5545) that Google Calendar, Yandex Calendar
-- and Outlook import: one all-day event per deadline, meeting, order, programme end and
-- consent still missing (agenda.lua), with its text, who answers for it and a reminder a
-- week before (VALARM, TRIGGER:-P7D); a recurring deadline is one event with an RRULE.
--
-- UIDs are made from what an event IS (its organisation and its words: the item's text,
-- the pair's people and the meeting's title, the order's number), never from its place in
-- the file or its date: importing the calendar again after the dates moved updates the
-- events instead of doubling them. Items with no deadline of their own («В течение года»)
-- and deadlines that cannot be read are left out; calendar.text returns them as notes.
--
--   local text, notes = calendar.text(model, options, stamp)   -- stamp: DTSTAMP, UTC

local agenda = require "nastavnik.agenda"
local recurrence = require "nastavnik.recurrence"
local dates = require "nastavnik.dates"
local text_lib = require "nastavnik.text"
local ical = require "nastavnik.ical"

local calendar = {}

calendar.PRODID = "-//nastavnik//Документы целевой модели наставничества//RU"

-- The UID line of an event: two 64-bit FNV-1a hashes of its identity (the second of it after
-- "nastavnik\n"), 128 bits, so that distinct events never share one; the identity is the
-- arguments put together (made in C: generator/ical/ical_lua.c).
local uid_line = ical.uid_line

-- A content line "NAME:value", folded at 75 octets (3.1), never inside a UTF-8 character;
-- text_line escapes the value as a TEXT (3.3.11: backslash, semicolon, comma and newline;
-- non-breaking spaces as plain ones). Made in C (generator/ical/ical_lua.c): in Lua the
-- escaping and folding of every line were 1.5 % of a region's build.
local line = ical.line
local function text_line(name, value) return line(name, value, true) end

-- The DTSTART and DTEND lines of an all-day event on a day (ISO), remembered: a year's
-- events fall on a few hundred days.
local day_lines = text_lib.memo(function(iso)
  return { "DTSTART;VALUE=DATE:" .. iso:gsub("%-", ""), "DTEND;VALUE=DATE:" .. dates.add_days(iso, 1):gsub("%-", "") }
end, 2000)

local CATEGORY = agenda.KIND_TITLES
-- The CATEGORIES line of each kind of event, made once.
local CATEGORY_LINES = {}
for kind, title in pairs(CATEGORY) do CATEGORY_LINES[kind] = text_line("CATEGORIES", title) end

-- Days from 01.01.2020 to the day of a DTSTAMP ("20251201T093000Z").
-- As text; remembered, since a run has one stamp and every event asks.
local revision_of = text_lib.memo(function(stamp)
  local y, m, d = stamp:match("^(%d%d%d%d)(%d%d)(%d%d)")
  return tostring(dates.day_number(dates.iso(tonumber(y), tonumber(m), tonumber(d))) - dates.day_number("2020-01-01"))
end, 16)

-- The event of one deadline: lines without their CRLF, added to `lines`. `fixed`: the lines
-- every event of the run has the same (DTSTAMP and SEQUENCE: fixed_lines). The lines that
-- never change and never fold are written as they are, and no closure is made per event:
-- the calls of line() per event were 3 % of a region build's Lua.
local function event_lines(lines, source, org_key, uid_suffix, first, rrule, fixed, window, org_line)
  local n = #lines
  local days = day_lines(first)
  lines[n + 1] = "BEGIN:VEVENT"
  lines[n + 2] = uid_line(org_key, "\n", source.identity, uid_suffix or "")
  lines[n + 3] = fixed.stamp
  lines[n + 4] = fixed.sequence
  lines[n + 5] = days[1]
  lines[n + 6] = days[2]
  n = n + 6
  if rrule then
    n = n + 1
    lines[n] = line("RRULE", rrule)
  end
  local kind = source.kind
  local summary = source.title
  if kind == "item" then summary = "Срок: " .. summary end
  if kind == "order" then summary = "Приказ " .. summary end
  local description = { source.text }
  if kind == "item" then
    local due = "Срок по дорожной карте: «" .. source.due_text .. "»"
    if source.schedule.kind == "rule" then
      due = due .. " — " .. source.schedule.label
    elseif window and window.from ~= window.to then
      due = due .. " (" .. dates.format(window.from) .. " – " .. dates.format(window.to) .. ")"
    end
    description[#description + 1] = due
    if source.number then description[#description + 1] = "Пункт " .. source.number end
  end
  if source.responsible ~= "" then description[#description + 1] = "Ответственные: " .. source.responsible end
  description[#description + 1] = org_line
  lines[n + 1] = line("SUMMARY", summary, true)
  lines[n + 2] = line("DESCRIPTION", table.concat(description, "\n"), true)
  lines[n + 3] = CATEGORY_LINES[kind]
  lines[n + 4] = "TRANSP:TRANSPARENT"
  lines[n + 5] = "BEGIN:VALARM"
  lines[n + 6] = "ACTION:DISPLAY"
  lines[n + 7] = line("DESCRIPTION", "Через неделю: " .. summary, true)
  lines[n + 8] = "TRIGGER:-P7D"
  lines[n + 9] = "END:VALARM"
  lines[n + 10] = "END:VEVENT"
end

-- The lines of a run's stamp: the DTSTAMP and the SEQUENCE. The revision grows with the day
-- the calendar is made: a calendar made later is a newer version of the same events for the
-- programs that look at SEQUENCE (RFC 5545, 3.8.7.4).
local fixed_lines = text_lib.memo(function(stamp)
  return { stamp = line("DTSTAMP", stamp), sequence = line("SEQUENCE", revision_of(stamp)) }
end, 16)

-- The events of one subject (an organisation, or a municipality's department) as lines of
-- the calendar: { lines =, events = count, ongoing = items without a date of their own,
-- notes = what was left out }. The same lines whether the calendar is the subject's own or
-- its municipality's (`build` puts a region's calendar together from its organisations').
function calendar.subject(org, stamp)
  local part = { lines = {}, events = 0, ongoing = 0, notes = {} }
  local lines, notes = part.lines, part.notes
  local org_key = org.full_name or org.name or org.short_name
  -- (every source of the subject is of this organisation: agenda.sources)
  local org_line = "Организация: " .. agenda.org_name(org)
  local seen = {}
  local fixed = fixed_lines(stamp)
  for _, source in ipairs(agenda.sources(org)) do
    -- the same words twice in one organisation (two identical items) stay two events
    seen[source.identity] = (seen[source.identity] or 0) + 1
    local suffix = seen[source.identity] > 1 and ("\n#" .. seen[source.identity]) or nil
    local schedule = source.schedule
    -- (no closure made per source: the events are written here)
    if schedule.kind == "once" then
      event_lines(lines, source, org_key, suffix or "", schedule.date, nil, fixed, schedule, org_line)
      part.events = part.events + 1
    elseif schedule.kind == "list" then
      for i, piece in ipairs(schedule.parts) do
        event_lines(lines, source, org_key, (suffix or "") .. "\nчасть " .. i, piece.date, nil, fixed, piece, org_line)
        part.events = part.events + 1
      end
    elseif schedule.kind == "rule" then
      local first, rrule = recurrence.rrule(schedule)
      if first then
        event_lines(lines, source, org_key, suffix or "", first, rrule, fixed, nil, org_line)
        part.events = part.events + 1
      end
    elseif schedule.kind == "ongoing" then
      part.ongoing = part.ongoing + 1
    else
      local written = source.due_text ~= "" and ("срок «" .. source.due_text .. "» — " .. schedule.reason)
        or schedule.reason
      notes[#notes + 1] = string.format("%s:%s: %s; в календарь не вошло", source.file or "?", source.line or "?", written)
    end
  end
  return part
end

-- The calendar of the subjects (agenda.subjects) of a description. Returns the text, the
-- number of events, and notes on what was left out.
function calendar.text(model, options, stamp)
  local subjects, err = agenda.subjects(model, options)
  if not subjects then return nil, err end
  local lines = { "BEGIN:VCALENDAR", "VERSION:2.0", line("PRODID", calendar.PRODID), "CALSCALE:GREGORIAN" }
  lines[#lines + 1] = text_line("X-WR-CALNAME", "Наставничество — " .. agenda.org_name(subjects[1]))
  local notes, events, ongoing_count = {}, 0, 0
  for _, org in ipairs(subjects) do
    local part = calendar.subject(org, stamp)
    table.move(part.lines, 1, #part.lines, #lines + 1, lines)
    table.move(part.notes, 1, #part.notes, #notes + 1, notes)
    events = events + part.events
    ongoing_count = ongoing_count + part.ongoing
  end
  if ongoing_count > 0 then
    table.insert(notes, 1, string.format("%d %s без своего срока («В течение года» и т. п.) в календарь не %s",
      ongoing_count, text_lib.plural(ongoing_count, "пункт", "пункта", "пунктов"),
      ongoing_count == 1 and "вошёл" or "вошли"))
  end
  lines[#lines + 1] = "END:VCALENDAR"
  -- (the last CRLF by an empty last line: the text, 66 KB an organisation, is not copied again)
  lines[#lines + 1] = ""
  return table.concat(lines, "\r\n"), events, notes
end

return calendar
