-- nastavnik calendar FILE -o YEAR.ics [--org …]: the curator's year as an iCalendar file
-- (scripts/nastavnik/calendar.lua), checked by libical before it is written.

local command = require "nastavnik.command"
local calendar = require "nastavnik.calendar"
local dates = require "nastavnik.dates"

local M = {
  summary = "сроки, встречи и приказы года в календарь (iCalendar)",
  usage = "nastavnik calendar ФАЙЛ -o ГОД.ics [--date ДД.ММ.ГГГГ]",
  about = "Календарь куратора (iCalendar, RFC 5545) для Google, Яндекс Календаря или Outlook: событие на "
    .. "каждый срок, встречу, окончание программы, приказ и недостающее согласие, с напоминанием за неделю.",
  options = { "--org", { "-o ГОД.ics", "файл календаря (расширение .ics)" },
    { "--date ДД.ММ.ГГГГ", "дата, которой помечен календарь (две сборки на одну дату дают те же байты)" } },
}

-- The calendar of a loaded description, checked. Returns text, notes or nil, message.
-- DTSTAMP is the run's date (--date, «ДД.ММ.ГГГГ») at midnight UTC when one is given, so a build
-- made twice from the same description for the same date writes the same bytes; otherwise the
-- current time (SOURCE_DATE_EPOCH, when set, stands for it).
function M.stamp(date)
  local iso = date and dates.parse(date)
  if iso then return (iso:gsub("%-", "")) .. "T000000Z" end
  return require("nastavnik.ical").now_utc()
end

-- `stamp` (optional): M.stamp(date), taken once for a whole build.
function M.make(m, options, date, stamp)
  local ical = require "nastavnik.ical"
  stamp = stamp or M.stamp(date)
  local text, events, notes = calendar.text(m, options, stamp)
  if not text then return nil, events end
  local ok, problems = ical.validate(text)
  if not ok then
    return nil, "календарь не прошёл проверку libical (ошибка генератора): " .. table.concat(problems, "; ")
  end
  return text, notes
end

function M.run(args)
  local files, options = command.parse(args, { out = true, organisation = true, date = true })
  if not files then return command.usage_error("calendar: %s", options) end
  if options.date then
    local _, why = dates.parse(options.date)
    if why then return command.usage_error("calendar: --date: %s", why) end
  end
  if #files ~= 1 then return command.usage_error("calendar: укажите один файл описания") end
  if not options.out then return command.usage_error("calendar: укажите файл календаря: -o ГОД.ics") end
  local wrong = command.wrong_extension("calendar", options.out, "ics")
  if wrong then return command.usage_error("%s", wrong) end
  local m, report = command.load_or_report(files[1])
  if not m then return command.EXIT_INPUT, "", report end
  local text, notes = M.make(m, options, options.date)
  if not text then
    local code = notes:find("libical", 1, true) and command.EXIT_INTERNAL or command.EXIT_INPUT
    return code, "", files[1] .. ": " .. notes .. "\n"
  end
  local code, out, err = command.write_output(options.out, text)
  local note_text = ""
  for _, n in ipairs(notes) do
    note_text = note_text .. (n:match("^[^ ]+:%d+:") and "" or (files[1] .. ": ")) .. n .. "\n"
  end
  return code, out, note_text .. err
end

return M
