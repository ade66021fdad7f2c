-- Spreadsheets `build` writes beside the documents (XLSX and ODS, through nastavnik.workbook):
--   * the register of pairs — every pair and group of an organisation (or of all the
--     organisations of a municipality), its people, dates as dates, its order;
--   * the municipal monitoring — the two forms of scripts/documents/monitoring.lua, read from
--     the same VIEW its PDF is laid out from, numbers as numbers and the totals row as SUM
--     formulas whose cached values are the view's totals, so the sheet and the PDF cannot
--     disagree.
-- Text is written with plain spaces (the model's non-breaking ones are for the PDF's lines;
-- in a sheet they would defeat searching and filtering).


local text = require "nastavnik.text"

local registers = {}

-- (remembered: a register names the same people, posts, forms and orders in row after row,
-- and a region's names each person twice, in its organisation's register and its own)
local plained, nplained = {}, 0
local function plain(s)
  if s == nil then return "" end
  local r = plained[s]
  if r then return r end
  r = text.replace_plain(tostring(s), "\u{a0}", " ")
  if nplained >= 4000 then plained, nplained = {}, 0 end
  plained[s], nplained = r, nplained + 1
  return r
end

local function date_cell(iso)
  if not iso then return "" end
  return { date = iso }
end

local function names(list)
  if not list then return "" end
  -- (one person, the usual pair: no list made)
  if #list == 1 then return plain(list[1].full) end
  local out = {}
  for i, p in ipairs(list) do out[i] = plain(p.full) end
  return table.concat(out, "\n")
end

-- What a person is in a pair: post, else class ("7 «А» класс").
local function what_one(p)
  return plain(p.post or (p.class and (p.class .. " класс")) or "")
end
local function what_of(list)
  if not list then return "" end
  if #list == 1 then return what_one(list[1]) end
  local out = {}
  for i, p in ipairs(list) do out[i] = what_one(p) end
  return table.concat(out, "\n")
end

local function rich_text(value)
  if type(value) ~= "table" then return plain(value) end
  local lines = {}
  for _, block in ipairs(value) do
    local runs = {}
    for _, run in ipairs(block.runs or {}) do runs[#runs + 1] = run.text or "" end
    lines[#lines + 1] = (block.label and (block.label .. " ") or "") .. table.concat(runs)
    for _, item in ipairs(block.items or {}) do lines[#lines + 1] = rich_text({ item }) end
  end
  return plain(table.concat(lines, "\n"))
end

local REGISTER_COLUMNS = {
  { "№", 5 }, { "Организация", 30 }, { "Вид", 8 }, { "Форма наставничества", 20 },
  { "Наставник", 28 }, { "Должность наставника", 26 }, { "Наставляемый", 28 },
  { "Класс, должность наставляемого", 24 }, { "Начало", 12, true }, { "Окончание", 12, true },
  { "Тема", 36 }, { "Приказ №", 10 }, { "Дата приказа", 12, true }, { "Завершена", 10 },
}

-- The register of pairs of `subject` (an organisation, or a municipality: all its
-- organisations, with the organisation's name in a column).
function registers.pairs_book(subject)
  local orgs = subject.type == "municipality" and subject.organisations or { subject }
  local with_org = subject.type == "municipality"
  local columns, header = {}, { style = "header", cells = {} }
  for _, c in ipairs(REGISTER_COLUMNS) do
    if with_org or c[1] ~= "Организация" then
      columns[#columns + 1] = { width = c[2], date = c[3] }
      header.cells[#header.cells + 1] = c[1]
    end
  end
  local title = "Реестр наставнических пар (групп): " .. plain(subject.short_name or subject.name)
  local rows = { { style = "title", cells = { title } }, header }
  local n = 0
  for _, org in ipairs(orgs) do
    for _, pair in ipairs(org.pairs or {}) do
      n = n + 1
      -- the order that formed the pair (nastavnik/timeline.lua), none for a pair no order formed
      local order = pair.formed_by or pair.order
      local kind, form = pair.kind == "group" and "группа" or "пара", plain(pair.form and pair.form.title)
      local mentors, mentors_what = names(pair.mentors), what_of(pair.mentors)
      local mentees, mentees_what = names(pair.mentees), what_of(pair.mentees)
      local from, to, topic = date_cell(pair.from), date_cell(pair.to), plain(pair.topic)
      local number, date = plain(order and order.number), date_cell(order and order.date)
      local completed = pair.completed and "да" or "нет"
      -- (the cells made at once, not copied one by one from a list of them)
      local cells = with_org
        and { n, plain(org.short_name), kind, form, mentors, mentors_what, mentees, mentees_what, from, to, topic,
          number, date, completed }
        or { n, kind, form, mentors, mentors_what, mentees, mentees_what, from, to, topic, number, date, completed }
      rows[#rows + 1] = { cells = cells }
    end
  end
  return {
    title = title,
    lists = { {
      name = "Реестр", columns = columns, frozen = 2, landscape = true, rows = rows,
      merged = { { 1, 1, 1, #columns } },
    } },
  }
end

-- "C3:C9" for column 3 of rows 3..9.
local function range(column, first, last)
  local letter = string.char(64 + column)
  return string.format("%s%d:%s%d", letter, first, letter, last)
end

-- A list of the monitoring: its title over the table, the header, the rows.
local function monitoring_list(name, part, widths, row_cells, totals)
  local columns = {}
  for i, w in ipairs(widths) do columns[i] = { width = w } end
  local header = { style = "header", cells = {} }
  for i, t in ipairs(part.columns) do header.cells[i] = plain(t) end
  local rows = { { style = "title", cells = { plain(part.title) } }, header }
  for _, r in ipairs(part.rows) do rows[#rows + 1] = { cells = row_cells(r) } end
  local merged = { { 1, 1, 1, #widths } }
  if totals then
    local first, last = 3, #rows
    local cells = { plain(totals.label), "" }
    for i, t in ipairs(totals.sums) do
      -- an empty table sums to nothing: the PDF leaves the total blank, so does the sheet; a
      -- total that is not the column's sum ({ value = }: events counted once however many
      -- organisations took part) is written as a number
      if #part.rows == 0 then
        cells[#cells + 1] = ""
      elseif type(t) == "table" then
        cells[#cells + 1] = t.value
      else
        cells[#cells + 1] = { formula = "SUM(" .. range(2 + i, first, last) .. ")", value = t }
      end
    end
    for _, extra in ipairs(totals.after or {}) do cells[#cells + 1] = extra end
    rows[#rows + 1] = { style = "total", cells = cells }
    merged[#merged + 1] = { #rows, 1, #rows, 2 }
  end
  return { name = name, columns = columns, frozen = 2, landscape = true, rows = rows, merged = merged }
end

-- The monitoring forms as a workbook, from the monitoring document's view.
function registers.monitoring_book(view)
  local reg, imp = view.regulatory, view.implementation
  local regulatory = monitoring_list("Нормативное сопровождение", reg, { 5, 32, 20, 20, 20, 20, 36 },
    function(r)
      return { tonumber(r.number) or plain(r.number), plain(r.name), plain(r.regulation), plain(r.roadmap),
        plain(r.pairs), plain(r.curator), plain(r.curator_contacts) }
    end)
  local imp_part = { title = imp.title, rows = imp.rows, columns = {} }
  for i, c in ipairs(imp.columns) do imp_part.columns[i] = c end
  -- the events: their count as a number (the PDF's «мероприятий: N»), then their list
  table.insert(imp_part.columns, 5, "Количество мероприятий")
  local t = imp.totals
  local implementation = monitoring_list("Мониторинг реализации", imp_part, { 5, 32, 18, 18, 16, 60 },
    function(r)
      return { tonumber(r.number) or plain(r.number), plain(r.name), r.pairs_count, r.completed_count,
        r.events_count, plain(r.events_text) }
    end, { label = t.label, sums = { t.pairs_count, t.completed_count, { value = t.events_count } }, after = { "" } })
  return { title = plain(imp.title), lists = { regulatory, implementation } }
end

-- Writes a book beside `base` (a path without extension) in the formats named (default: XLSX
-- and ODS); `settle`, when given, is called between two formats (build: a region's register
-- lets the first format's copy of its rows go before the second's is made). Returns the
-- formats written and the problems (each "path: message").
function registers.write(book, base, formats, settle)
  local workbook = require "nastavnik.workbook"
  local written, problems = {}, {}
  for i, format in ipairs(formats or { "xlsx", "ods" }) do
    if settle and i > 1 then settle() end
    local ok, err = workbook.write(base .. "." .. format, format, book)
    if ok then written[#written + 1] = format else problems[#problems + 1] = err end
  end
  return written, problems
end

return registers
