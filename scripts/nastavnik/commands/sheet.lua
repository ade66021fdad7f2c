-- nastavnik sheet pairs|people [FILE] -o OUT.xlsx|.ods: a spreadsheet to fill in — the
-- columns `pairs = sheet "…"` and `people = sheet "…"` read (sheet.lua), under the headers
-- they expect, with their widths, the header row frozen, dates formatted as dates, and
-- drop-down lists: the forms of mentoring, «да»/«нет», and, given a description, its people
-- (for the mentor and mentee columns) and its orders. The lists the drop-downs offer stand
-- on a hidden list «Списки» (Excel limits a list written into the validation itself to 255
-- characters). A workbook of pairs also has the list «Встречи».

local command = require "nastavnik.command"
local workbook = require "nastavnik.workbook"
local sheet = require "nastavnik.sheet"
local forms = require "nastavnik.forms"
local common = require "documents.common"

-- Rows of the sheet that carry the drop-down lists and the date format.
local ROWS = 300

local CHOICES_LIST = "Списки"

-- The columns a blank sheet of `kind` has (the alternatives to ФИО are left out).
local function blank_columns(kind)
  local out = {}
  for _, c in ipairs(sheet.COLUMNS[kind]) do
    if not (kind == "people" and (c.field == "surname" or c.field == "name" or c.field == "patronymic")) then
      out[#out + 1] = c
    end
  end
  return out
end

-- The hidden list of choices: one column per kind of choice. Returns the list and a function
-- giving the source of a validation for a choice name (nil when the choice has no values).
local function choices_list(choices)
  local names = { "forms", "yes_no", "gender", "people", "orders" }
  local rows, columns, source = {}, {}, {}
  for c, name in ipairs(names) do
    columns[c] = { width = 30 }
    local values = choices[name] or {}
    for r, v in ipairs(values) do
      rows[r] = rows[r] or { cells = {} }
      rows[r].cells[c] = v
    end
    if #values > 0 then source[name] = { list = CHOICES_LIST, column = c, first = 1, last = #values } end
  end
  for _, row in ipairs(rows) do
    for c = 1, #names do row.cells[c] = row.cells[c] or "" end
  end
  return { name = CHOICES_LIST, hidden = true, columns = columns, rows = rows }, source
end

-- One list to fill in: its header, its columns, the drop-downs of its columns.
local function blank_list(name, columns, choice_of, source)
  local header, widths, validations = { style = "header", cells = {} }, {}, {}
  for i, c in ipairs(columns) do
    header.cells[i] = c.title
    widths[i] = { width = c.width, date = c.date }
    local choice = choice_of(c)
    if choice and source[choice] then
      validations[#validations + 1] = { column = i, first = 2, last = ROWS + 1, source = source[choice],
        title = c.title, message = c.hint }
    end
  end
  return { name = name, columns = widths, frozen = 1, landscape = #columns > 6, rows = { header },
    validations = validations }
end

local function make_book(kind, org)
  local choices = { forms = {}, yes_no = { "да", "нет" }, gender = { "м", "ж" } }
  for i, f in ipairs(forms.list) do choices.forms[i] = f.title end
  if org then
    choices.people, choices.orders = {}, {}
    for _, p in ipairs(org.people or {}) do choices.people[#choices.people + 1] = p.short:gsub("\u{a0}", " ") end
    for _, o in ipairs(org.orders or {}) do
      if o.kind == "pairs" and o.number then choices.orders[#choices.orders + 1] = o.number:gsub("\u{a0}", " ") end
    end
  end
  local hidden, source = choices_list(choices)
  local lists = {}
  if kind == "pairs" then
    lists[1] = blank_list(sheet.LIST_NAMES.pairs, blank_columns("pairs"), function(c)
      if c.field == "form" then return "forms" end
      if c.yes_no then return "yes_no" end
      if c.names then return "people" end
      if c.field == "order" then return "orders" end
    end, source)
    lists[2] = blank_list(sheet.LIST_NAMES.meetings, blank_columns("meetings"), function() end, source)
  else
    lists[1] = blank_list(sheet.LIST_NAMES.people, blank_columns("people"), function(c)
      if c.yes_no then return "yes_no" end
      if c.field == "gender" then return "gender" end
    end, source)
  end
  lists[#lists + 1] = hidden
  return { title = kind == "pairs" and "Наставнические пары (группы)" or "Участники программ наставничества",
    lists = lists }
end

return {
  summary = "пустая таблица пар или людей для заполнения (XLSX или ODS)",
  usage = "nastavnik sheet pairs|people [ФАЙЛ] -o ВЫХОД",
  about = "Таблица для заполнения: заголовки, ширина столбцов, выпадающие списки форм наставничества; "
    .. "с описанием ФАЙЛ — и списки его людей и приказов. Заполненную таблицу описание называет: "
    .. "pairs = sheet \"ВЫХОД.xlsx\".",
  options = { "--org", { "-o ВЫХОД", "файл .xlsx (Excel) или .ods (Calc)" } },
  run = function(args)
    local positional, options = command.parse(args, { out = true, organisation = true })
    if not positional then return command.usage_error("sheet: %s", options) end
    local kind, file = positional[1], positional[2]
    if kind ~= "pairs" and kind ~= "people" or #positional > 2 then
      return command.usage_error("sheet: укажите, какую таблицу сделать: pairs (пары) или people (люди)")
    end
    local out = options.out
    if not out then return command.usage_error("sheet: укажите выходной файл: -o ФАЙЛ.xlsx или -o ФАЙЛ.ods") end
    local format = out:lower():match("%.(xlsx)$") or out:lower():match("%.(ods)$")
    if not format then return command.usage_error("sheet: выходной файл — .xlsx (Excel) или .ods (Calc)") end
    local org
    if file then
      local m, report = command.load_or_report(file)
      if not m then return command.EXIT_INPUT, "", report end
      local why
      org, why = common.subject(m, options)
      if not org then return command.usage_error("sheet: %s", why) end
      if org.type == "municipality" then -- (pairs belong to organisations, not to the department)
        return command.usage_error("sheet: в муниципалитете укажите организацию: --org НАЗВАНИЕ или номер")
      end
    end
    local ok, err = workbook.write(out, format, make_book(kind, org))
    if not ok then return command.EXIT_OUTPUT, "", err .. "\n" end
    return command.EXIT_OK, "", ""
  end,
}
