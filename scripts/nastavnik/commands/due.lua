-- nastavnik due FILE [--month 2025-12 | --from D --to D] [--org …] [--date D] [--format text|json|csv]:
-- what falls due in a period (agenda.lua), week by week, each with who answers for it.
-- Without a period, the current month; --date is «today» for the states (default: the
-- computer's date).

local command = require "nastavnik.command"
local agenda = require "nastavnik.agenda"
local dates = require "nastavnik.dates"
local json = require "nastavnik.json"
local text = require "nastavnik.text"

local M = {
  summary = "что предстоит в месяце или в периоде: сроки, встречи, приказы, согласия",
  usage = "nastavnik due ФАЙЛ [--month ГГГГ-ММ | --from Д --to Д]",
  about = "Что предстоит по неделям: сроки дорожной карты, встречи пар, приказы, недостающие согласия — "
    .. "каждое с ответственным. Без периода — текущий месяц.",
  options = { "--org", { "--month ГГГГ-ММ", "месяц" }, { "--from Д --to Д", "период с такой-то по такую-то дату" },
    { "--date ДД.ММ.ГГГГ", "«сегодня» для состояний (просрочено, предстоит); по умолчанию — дата компьютера" },
    { "--format text|json|csv", "вывод для других программ" }, { "-o ФАЙЛ", "записать в файл, а не на экран" } },
}

-- «2025-12», «12.2025» -> the first and last day of the month.
local function month_period(s)
  local y, m = s:match("^(%d%d%d%d)[-.](%d%d?)$")
  if not y then m, y = s:match("^(%d%d?)[-.](%d%d%d%d)$") end
  y, m = tonumber(y), tonumber(m)
  if not y or m < 1 or m > 12 then return nil end
  return dates.iso(y, m, 1), dates.month_end(y, m)
end

-- The period and «today» from the options; or nil and a message.
local function read_period(options)
  local today = options.date
  if today then
    local iso, why = dates.parse(today)
    if not iso then return nil, "--date: " .. why end
    today = iso
  else
    today = require("nastavnik.ical").today()
  end
  local from, to
  if options.month then
    if options.from or options.to then return nil, "укажите либо --month, либо --from и --to" end
    from, to = month_period(options.month)
    if not from then return nil, string.format("--month: «%s» — пишите год и месяц: 2025-12", options.month) end
  elseif options.from or options.to then
    if not (options.from and options.to) then return nil, "укажите обе даты: --from ДД.ММ.ГГГГ --to ДД.ММ.ГГГГ" end
    local why
    from, why = dates.parse(options.from)
    if not from then return nil, "--from: " .. why end
    to, why = dates.parse(options.to)
    if not to then return nil, "--to: " .. why end
    if from > to then return nil, string.format("--from %s позже --to %s", options.from, options.to) end
  else
    local y, m = dates.split(today)
    from, to = dates.iso(y, m, 1), dates.month_end(y, m)
  end
  return { from = from, to = to, today = today }
end

-- «1–7 декабря 2025», «29 декабря 2025 – 4 января 2026»
local function week_words(from, to)
  local y1, m1, d1 = dates.split(from)
  local y2, m2, d2 = dates.split(to)
  if y1 == y2 and m1 == m2 then return string.format("%d–%d %s %d", d1, d2, dates.months[m1].gen, y1) end
  if y1 == y2 then
    return string.format("%d %s – %d %s %d", d1, dates.months[m1].gen, d2, dates.months[m2].gen, y1)
  end
  return string.format("%d %s %d – %d %s %d", d1, dates.months[m1].gen, y1, d2, dates.months[m2].gen, y2)
end

local function period_words(p)
  local y1, m1, d1 = dates.split(p.from)
  local y2, m2, d2 = dates.split(p.to)
  if d1 == 1 and y1 == y2 and m1 == m2 and p.to == dates.month_end(y2, m2) then
    return string.format("%s %d (%s – %s)", dates.months[m1].nom, y1, dates.format(p.from), dates.format(p.to))
  end
  return dates.format(p.from) .. " – " .. dates.format(p.to)
end

-- One entry as plain fields: what the JSON and CSV carry and the text prints.
local function fields(e, many)
  local s = e.source
  local recurring = s.schedule.kind == "rule" and s.schedule.label or nil
  return {
    date = e.date,
    weekday = dates.weekdays[dates.weekday(e.date)].short,
    kind = s.kind,
    kind_title = agenda.KIND_TITLES[s.kind],
    organisation = agenda.org_name(s.org),
    number = s.number,
    text = s.title,
    responsible = s.responsible,
    state = e.state,
    due = s.due_text,
    recurring = recurring,
    occurrence = e.label,
    window = e.window and (e.window.from ~= e.window.to) and { from = e.window.from, to = e.window.to } or nil,
    file = s.file,
    line = s.line,
    many = many,
  }
end

local function text_entry(f, lines)
  local what = f.kind_title .. (f.number and (", п. " .. f.number:gsub("%.$", "")) or "")
  local head = string.format("  %s %s  %s: %s%s", f.weekday, dates.format(f.date):sub(1, 5), what,
    f.many and (f.organisation .. " — ") or "", f.text)
  lines[#lines + 1] = head
  local details = {}
  if f.responsible ~= "" then details[#details + 1] = "отвечает: " .. f.responsible end
  if f.state ~= "" then details[#details + 1] = f.state end
  if f.recurring then
    details[#details + 1] = f.recurring .. (f.occurrence and (" (" .. f.occurrence .. ")") or "")
  elseif f.kind == "item" and f.due ~= "" then
    details[#details + 1] = "срок «" .. f.due .. "»" .. (f.occurrence and (", " .. f.occurrence) or "")
  end
  if #details > 0 then lines[#lines + 1] = "            " .. table.concat(details, " · ") end
end

local function unread_line(s)
  local number = s.number and ("п. " .. s.number:gsub("%.$", "") .. " ") or ""
  if s.due_text == "" then
    return string.format("%s:%s: %s«%s» — %s", s.file or "?", s.line or "?", number, s.title, s.schedule.reason)
  end
  return string.format("%s:%s: %s«%s» — %s", s.file or "?", s.line or "?", number, s.due_text, s.schedule.reason)
end

local function as_text(result)
  local lines = { string.format("Что предстоит: %s — %s. Состояние на %s.", result.subject,
    period_words(result.period), dates.format(result.period.today)) }
  for _, week in ipairs(result.weeks) do
    lines[#lines + 1] = ""
    lines[#lines + 1] = "Неделя " .. week_words(week.from, week.to) .. (#week.entries == 0 and ": ничего не назначено" or "")
    for _, f in ipairs(week.entries) do text_entry(f, lines) end
  end
  if #result.ongoing > 0 then
    lines[#lines + 1] = ""
    lines[#lines + 1] = string.format("Весь период, без своего срока: %d %s дорожной карты («%s» и т. п.).",
      #result.ongoing, text.plural(#result.ongoing, "пункт", "пункта", "пунктов"), result.ongoing[1].due)
  end
  if #result.unread > 0 then
    lines[#lines + 1] = ""
    lines[#lines + 1] = "Сроки, которые не удалось прочитать (их нет ни в этом списке, ни в календаре):"
    for _, u in ipairs(result.unread) do lines[#lines + 1] = "  " .. u.line_text end
  end
  return table.concat(lines, "\n") .. "\n"
end

-- RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled; CRLF ends rows.
local function csv_field(v)
  v = v == nil and "" or tostring(v)
  if v:find('[,"\r\n]') then v = '"' .. v:gsub('"', '""') .. '"' end
  return v
end

local CSV_COLUMNS = { "date", "weekday", "kind", "organisation", "number", "text", "responsible", "state",
  "due", "recurring", "occurrence", "file", "line" }

local function as_csv(result)
  local rows = { table.concat(CSV_COLUMNS, ",") }
  for _, week in ipairs(result.weeks) do
    for _, f in ipairs(week.entries) do
      local cells = {}
      for i, c in ipairs(CSV_COLUMNS) do cells[i] = csv_field(f[c]) end
      rows[#rows + 1] = table.concat(cells, ",")
    end
  end
  return table.concat(rows, "\r\n") .. "\r\n"
end

local FORMATS = { text = as_text, json = function(result)
  result.period = { from = result.period.from, to = result.period.to, date = result.period.today }
  for _, u in ipairs(result.unread) do u.line_text = nil end
  return json.encode(result)
end, csv = as_csv }

function M.run(args)
  local files, options = command.parse(args,
    { organisation = true, month = true, from = true, to = true, date = true, format = true, out = true })
  if not files then return command.usage_error("due: %s", options) end
  if #files ~= 1 then return command.usage_error("due: укажите один файл описания") end
  local format = options.format or "text"
  if not FORMATS[format] then return command.usage_error("due: --format %s: бывает text, json или csv", format) end
  local period, why = read_period(options)
  if not period then return command.usage_error("due: %s", why) end
  local m, report = command.load_or_report(files[1])
  if not m then return command.EXIT_INPUT, "", report end
  local subjects, err = agenda.subjects(m, options)
  if not subjects then return command.EXIT_INPUT, "", files[1] .. ": " .. err .. "\n" end
  local sources = {}
  for _, org in ipairs(subjects) do
    for _, s in ipairs(agenda.sources(org)) do sources[#sources + 1] = s end
  end
  local many = #subjects > 1
  local result = { subject = agenda.org_name(subjects[1]), period = period, weeks = {}, ongoing = {}, unread = {} }
  local entries = agenda.entries(sources, period.from, period.to, period.today)
  for _, week in ipairs(agenda.weeks(entries, period.from, period.to)) do
    local w = { from = week.from, to = week.to, entries = {} }
    for _, e in ipairs(week.entries) do w.entries[#w.entries + 1] = fields(e, many) end
    result.weeks[#result.weeks + 1] = w
  end
  local ongoing, unread = agenda.without_dates(sources)
  for _, s in ipairs(ongoing) do
    result.ongoing[#result.ongoing + 1] = { organisation = agenda.org_name(s.org), number = s.number, text = s.title,
      responsible = s.responsible, due = s.due_text, file = s.file, line = s.line }
  end
  for _, s in ipairs(unread) do
    result.unread[#result.unread + 1] = { organisation = agenda.org_name(s.org), number = s.number, text = s.title,
      due = s.due_text, reason = s.schedule.reason, file = s.file, line = s.line, line_text = unread_line(s) }
  end
  local out = FORMATS[format](result)
  if options.out then return command.write_output(options.out, out) end
  return command.EXIT_OK, out, ""
end

return M
