-- Pairs and people from a spreadsheet: `pairs = sheet "пары.xlsx"` in a description.
--
-- A reader like the Lua description itself (ARCHITECTURE: "inputs are readers too"): the
-- rows of a list of an XLSX, ODS or CSV file beside the description (read by the C room
-- generator/sheet/) become the same constructor nodes a description would hold — pair { … },
-- group { … }, person { … }, meeting { … } — and validate.lua checks them as it checks any
-- other. Each node carries its place in the sheet, so that a mistake is told at the cell:
--
--   пары.xlsx: лист «Пары», строка 7, столбец «Форма»: неизвестная форма наставничества …
--
-- Columns are found by their headers, whatever their order, case, spacing and punctuation,
-- under the names schools give them (COLUMNS below); a column nobody knows is an error, not
-- silently dropped. The header row is the first of the first ten that names two known
-- columns (a title above the table is fine). Rows with one pair number (a merged «№» cell,
-- or the same number written again) are one group; several names in one cell ("Иванова
-- М.П., Петров С.С.") are several people. A merged cell's value belongs to every row it
-- covers. Hidden rows are read like the others (as the sums of a spreadsheet count them).
-- A workbook of pairs may hold a list «Встречи» (№ пары, встреча, дата, примечание): the
-- meetings of each pair.
--
-- The sandbox rule holds for sheets: only a file in the description's folder or below it,
-- named relatively, without "..".

local model = require "nastavnik.model"
local text = require "nastavnik.text"
local dates = require "nastavnik.dates"

local sheet = {}

-- The columns of each kind of list: the field, the header the sheet to fill in carries
-- (title), the other headers schools write, and what the cells hold. `width` is for the
-- sheet to fill in (characters); `hint` is its input message.
sheet.COLUMNS = {
  pairs = {
    { field = "number", title = "№", width = 6, also = { "№ п/п", "номер", "номер пары", "№ пары",
      "n", "no" }, hint = "Номер пары. Строки с одним номером — одна группа." },
    { field = "form", title = "Форма наставничества", width = 24, required = true,
      also = { "форма", "ролевая модель", "модель", "модель наставничества", "форма наставничества (ролевая модель)" },
      hint = "Выберите из списка." },
    { field = "mentor", title = "Наставник", width = 28, required = true, names = true,
      also = { "фио наставника", "наставники", "ф.и.о. наставника", "наставник (фио)" },
      hint = "Фамилия И.О. (или полностью); несколько — через запятую." },
    { field = "mentee", title = "Наставляемый", width = 28, required = true, names = true,
      also = { "наставляемые", "наставляемая", "фио наставляемого", "ф.и.о. наставляемого",
        "наставляемый (фио)", "наставляемый (наставляемые)" },
      hint = "Фамилия И.О. (или полностью); несколько — через запятую: это группа." },
    { field = "from", title = "Начало", width = 12, date = true,
      also = { "дата начала", "начало работы", "начало программы", "с", "дата закрепления" } },
    { field = "to", title = "Окончание", width = 12, date = true,
      also = { "дата окончания", "окончание работы", "окончание программы", "по", "срок" } },
    { field = "topic", title = "Тема", width = 36, also = { "тема работы", "направление", "запрос",
      "направление работы", "тема (запрос)" } },
    { field = "goal", title = "Цель", width = 40, also = { "цель наставничества", "цели", "цель работы" } },
    { field = "tasks", title = "Задачи", width = 36, also = { "задачи наставничества" } },
    { field = "order", title = "Приказ", width = 10, also = { "номер приказа", "№ приказа",
      "приказ о закреплении", "приказ №" }, hint = "Номер приказа о закреплении пар (групп)." },
    { field = "completed", title = "Завершена", width = 11, yes_no = true,
      also = { "завершено", "программа завершена", "завершение", "завершена (да/нет)" },
      hint = "«да», если программа наставничества завершена." },
  },
  people = {
    { field = "full", title = "ФИО", width = 34, also = { "ф.и.о.", "фамилия имя отчество",
      "фамилия, имя, отчество", "фио участника", "участник" },
      hint = "Фамилия Имя Отчество полностью." },
    { field = "surname", title = "Фамилия", width = 16 },
    { field = "name", title = "Имя", width = 14 },
    { field = "patronymic", title = "Отчество", width = 16 },
    { field = "post", title = "Должность", width = 34, also = { "должность, место работы",
      "должность (место работы)", "место работы, должность" } },
    { field = "class", title = "Класс", width = 9, also = { "класс (группа)", "класс/группа", "группа" } },
    { field = "subject", title = "Предмет", width = 20, also = { "преподаваемый предмет", "предметы" } },
    { field = "role", title = "Роль", width = 16, also = { "роль в программе" } },
    { field = "email", title = "E-mail", width = 26, also = { "email", "e mail", "электронная почта",
      "эл. почта", "адрес электронной почты", "почта" } },
    { field = "phone", title = "Телефон", width = 18, also = { "контактный телефон", "тел." } },
    { field = "gender", title = "Пол", width = 6, also = {}, hint = "«м» или «ж» (если по отчеству не понять)." },
    { field = "minor", title = "Несовершеннолетний", width = 12, yes_no = true,
      also = { "несовершеннолетняя", "младше 18 лет", "до 18 лет" }, hint = "«да» для обучающихся младше 18 лет." },
    { field = "parent", title = "Родитель", width = 28, also = { "законный представитель",
      "родитель (законный представитель)", "фио родителя" } },
    { field = "id", title = "Код", width = 8, also = { "id", "идентификатор" } },
  },
  meetings = {
    { field = "pair", title = "№ пары", width = 8, required = true, also = { "пара", "номер пары" } },
    { field = "title", title = "Встреча", width = 30, required = true, also = { "название встречи",
      "название", "тема встречи" } },
    { field = "date", title = "Дата", width = 12, date = true, also = { "дата встречи" } },
    { field = "note", title = "Примечание", width = 36, also = { "комментарий", "результат" } },
  },
}

-- The list each kind is read from by default, and what its rows are called in messages.
sheet.LIST_NAMES = { pairs = "Пары", people = "Люди", meetings = "Встречи" }

-- A header as a key: case, ё, spaces and punctuation do not matter ("Ф.И.О." = "фио").
local function header_key(s)
  s = text.lower(text.plain_spaces(s)):gsub("ё", "е")
  return (s:gsub("[%s%p]", ""))
end

local BY_HEADER = {}
for kind, columns in pairs(sheet.COLUMNS) do
  BY_HEADER[kind] = {}
  for _, column in ipairs(columns) do
    BY_HEADER[kind][header_key(column.title)] = column
    for _, other in ipairs(column.also or {}) do BY_HEADER[kind][header_key(other)] = column end
  end
end

------------------------------------------------------------------------------------------
-- Places

-- "пары.xlsx: лист «Пары», строка 7, столбец «Форма»" (a CSV has no lists).
local function place_text(src, row, header)
  local parts = {}
  if src.format ~= "csv" then parts[#parts + 1] = "лист «" .. src.list .. "»" end
  if row then parts[#parts + 1] = "строка " .. row end
  if header then parts[#parts + 1] = "столбец «" .. header .. "»" end
  if #parts == 0 then return src.shown end
  return src.shown .. ": " .. table.concat(parts, ", ")
end

-- The nodes this reader made, with the sheet and the columns of each: kept here, not in the
-- node, so that a table a description writes cannot pose as a row of a sheet.
local read_nodes = setmetatable({}, { __mode = "k" })

-- The place of a node read from a sheet, for a message about `field` (nil when the node was
-- not read from a sheet): { file =, row =, text = }.
function sheet.place_of(node, field)
  local read = read_nodes[node]
  if not read then return nil end
  local src, columns = read.src, read.columns or {}
  local _, row = model.where(node)
  local header = field and (columns[field] or columns[field:gsub("s$", "")])
  return { file = src.file, row = row, text = place_text(src, row, header) }
end

-- A validator's message, said for a cell: the column names the field already.
function sheet.cell_message(message)
  message = message:gsub("^поле [%w_]+ %b(): ", ""):gsub("^поле [%w_]+: ", "")
    :gsub(" %(поле [%w_]+%)", ""):gsub(" %(поля [^)]*%)", "")
  return message
end

------------------------------------------------------------------------------------------
-- Cells

-- A cell as text: numbers without a needless ".0", dates as «ДД.ММ.ГГГГ».
local function cell_text(v)
  if type(v) == "string" then return text.trim(v) end
  if type(v) == "number" then
    if v == math.floor(v) and math.abs(v) < 1e15 then return string.format("%d", v) end
    return (string.format("%.10g", v))
  end
  if type(v) == "boolean" then return v and "да" or "нет" end
  if type(v) == "table" and v.date then return dates.format(v.date) end
  return nil
end

local YES = { ["да"] = true, ["д"] = true, ["+"] = true, ["x"] = true, ["х"] = true, ["1"] = true,
  ["yes"] = true, ["true"] = true, ["истина"] = true, ["завершена"] = true, ["завершено"] = true,
  ["v"] = true, ["✓"] = true }
local NO = { ["нет"] = true, ["н"] = true, ["-"] = true, ["0"] = true, ["no"] = true,
  ["false"] = true, ["ложь"] = true, ["не завершена"] = true }

-- The value of a cell for a column; or nil and what is wrong with it.
local function cell_value(column, v)
  if type(v) == "table" and v.error then
    return nil, string.format("в ячейке ошибка формулы «%s»: исправьте формулу или впишите значение", v.error)
  end
  if type(v) == "table" and v.formula then
    return nil, "формула без вычисленного значения (файл сохранён программой, которая не считает "
      .. "формулы): откройте его в Excel или Calc и сохраните"
  end
  if column.date then
    if type(v) == "table" and v.date then return v.date end
    if type(v) == "number" then
      return nil, string.format("число %s вместо даты: задайте ячейке формат «Дата» или "
        .. "впишите дату как «ДД.ММ.ГГГГ»", cell_text(v))
    end
    return cell_text(v) -- text: validate reads it as any date written in a description
  end
  if column.yes_no then
    if type(v) == "boolean" then return v end
    local t = text.lower(cell_text(v) or "")
    if YES[t] then return true end
    if NO[t] or t == "" then return false end
    return nil, string.format("«%s»: пишите «да» или «нет»", cell_text(v))
  end
  return cell_text(v)
end

-- "Иванова М.П., Петров С.С." -> { "Иванова М.П.", "Петров С.С." }
local function names_of(value)
  local list = {}
  for name in (value .. "\n"):gmatch("([^,;\n]*)[,;\n]") do
    name = text.trim(name)
    if name ~= "" then list[#list + 1] = name end
  end
  return list
end

------------------------------------------------------------------------------------------
-- Lists of a workbook

-- Where a sheet file is: beside the description that names it. Returns the path, or nil and
-- why not.
local function resolve(description_file, name)
  if type(name) ~= "string" or text.trim(name) == "" then
    return nil, "не указано имя файла таблицы: пишите sheet \"пары.xlsx\""
  end
  if name:sub(1, 1) == "/" or name:match("^%a:[/\\]") or name:find("\\", 1, true) then
    return nil, string.format("таблица «%s»: путь должен быть относительным — файл кладётся рядом "
      .. "с описанием (или в папку рядом с ним)", name)
  end
  for part in name:gmatch("[^/]+") do
    if part == ".." then
      return nil, string.format("таблица «%s»: «..» в пути не допускается — таблица берётся только "
        .. "из папки описания или из папок внутри неё", name)
    end
  end
  return (description_file:match("^(.*/)") or "") .. name
end

-- The list to read: the one asked for, else the only one, else the one with the kind's
-- usual name. Returns the list or nil and a message.
local function choose_list(book, wanted, kind, shown)
  local names = {}
  for _, l in ipairs(book.lists) do names[#names + 1] = "«" .. l.name .. "»" end
  if wanted then
    for _, l in ipairs(book.lists) do
      if header_key(l.name) == header_key(wanted) then return l end
    end
    return nil, string.format("%s: в книге нет листа «%s»; есть: %s", shown, wanted, table.concat(names, ", "))
  end
  local candidates = {}
  for _, l in ipairs(book.lists) do
    if header_key(l.name) == header_key(sheet.LIST_NAMES[kind]) then return l end
    if header_key(l.name) ~= header_key(sheet.LIST_NAMES.meetings) and not l.hidden then
      candidates[#candidates + 1] = l
    end
  end
  if #candidates == 1 or book.format == "csv" then return candidates[1] end
  return nil, string.format("%s: в книге несколько листов (%s); укажите, какой читать: "
    .. "sheet { \"%s\", list = \"…\" }", shown, table.concat(names, ", "), shown:match("[^/]*$"))
end

-- The value a merged range gives each cell it covers (the value of its first cell).
local function fill_merged(list)
  if list.merged_from then return end -- a list read twice (people and pairs of one book)
  local by_number = {}
  for _, row in ipairs(list.rows) do by_number[row.number] = row end
  list.merged_from = {} -- row number -> column -> the range's first row
  for _, m in ipairs(list.merged) do
    local r1, c1, r2, c2 = m[1], m[2], m[3], m[4]
    local first = by_number[r1]
    if r2 - r1 <= 10000 and c2 - c1 <= 100 then
      for r = r1, r2 do
        for c = c1, c2 do
          if not (r == r1 and c == c1) then
            local row = by_number[r]
            if not row then
              row = { number = r }
              by_number[r] = row
              list.rows[#list.rows + 1] = row
            end
            row[c] = first and first[c1]
            list.merged_from[r] = list.merged_from[r] or {}
            list.merged_from[r][c] = r1
          end
        end
      end
    end
  end
  table.sort(list.rows, function(a, b) return a.number < b.number end)
end

-- The header row and its columns: { [column number] = { column = COLUMNS entry, header = text } }.
local function read_header(list, kind, src, report)
  local known = BY_HEADER[kind]
  for i = 1, math.min(10, #list.rows) do
    local row, found = list.rows[i], 0
    for c, v in pairs(row) do
      if type(c) == "number" and type(v) == "string" and known[header_key(v)] then found = found + 1 end
    end
    if found >= 2 then
      local columns, seen, unknown = {}, {}, false
      local titles = {}
      for _, col in ipairs(sheet.COLUMNS[kind]) do titles[#titles + 1] = col.title end
      local numbers = {}
      for c in pairs(row) do if type(c) == "number" then numbers[#numbers + 1] = c end end
      table.sort(numbers)
      for _, c in ipairs(numbers) do
        local header = cell_text(row[c]) or ""
        local merged_into = list.merged_from[row.number] and list.merged_from[row.number][c]
        local column = known[header_key(header)]
        if header ~= "" and not merged_into then
          if not column then
            local guess = text.nearest(text.lower(header), (function()
              local lower = {}
              for k, t in ipairs(titles) do lower[k] = text.lower(t) end
              return lower
            end)())
            if guess then
              for _, t in ipairs(titles) do if text.lower(t) == guess then guess = t end end
            end
            report(place_text(src, row.number, header), src.file, row.number, string.format(
              "неизвестный столбец%s; столбцы этого листа: %s", guess and ("; может быть, «" .. guess .. "»?") or "",
              "«" .. table.concat(titles, "», «") .. "»"))
            unknown = true
          elseif seen[column.field] then
            report(place_text(src, row.number, header), src.file, row.number, string.format(
              "столбец повторяется (уже есть столбец «%s»)", seen[column.field]))
            unknown = true
          else
            seen[column.field] = header
            columns[c] = { column = column, header = header }
          end
        end
      end
      for _, col in ipairs(sheet.COLUMNS[kind]) do
        if col.required and not seen[col.field] then
          report(place_text(src, row.number), src.file, row.number, string.format(
            "нет столбца «%s» (в строке заголовков)", col.title))
          unknown = true
        end
      end
      if kind == "people" and not seen.full and not (seen.surname and seen.name) then
        report(place_text(src, row.number), src.file, row.number,
          "нет столбца «ФИО» (или столбцов «Фамилия», «Имя», «Отчество»)")
        unknown = true
      end
      return i, columns, not unknown
    end
  end
  local titles = {}
  for _, col in ipairs(sheet.COLUMNS[kind]) do
    if col.required or #titles < 3 then titles[#titles + 1] = "«" .. col.title .. "»" end
  end
  report(place_text(src, nil), src.file, 0, string.format("не найдена строка заголовков: в первых "
    .. "10 строках нет столбцов %s", table.concat(titles, ", ")))
  return nil
end

-- The data rows of a list as records { row =, hidden =, values = { field = value },
-- headers = { field = header } }; cell problems reported.
local function read_records(list, kind, src, report)
  fill_merged(list)
  local header_index, columns, ok = read_header(list, kind, src, report)
  if not header_index then return nil end
  local records = {}
  for i = header_index + 1, #list.rows do
    local row = list.rows[i]
    local record = { row = row.number, values = {}, headers = {}, merged = {} }
    local any = false
    for c, col in pairs(columns) do
      local v = row[c]
      record.headers[col.column.field] = col.header
      if v ~= nil then
        local value, problem = cell_value(col.column, v)
        if problem then
          report(place_text(src, row.number, col.header), src.file, row.number, problem)
          any = true
          ok = false
        elseif value ~= nil and value ~= "" and value ~= false then
          record.values[col.column.field] = value
          any = true
        elseif value == false then
          record.values[col.column.field] = false
        end
        if list.merged_from[row.number] and list.merged_from[row.number][c] then
          record.merged[col.column.field] = list.merged_from[row.number][c]
        end
      end
    end
    if any then records[#records + 1] = record end
  end
  return records, ok
end

-- A node of `kind` at a row of the sheet.
local function node_at(kind, src, record, fields)
  local node = fields or {}
  model.mark(node, kind, src.file, record.row)
  read_nodes[node] = { src = src, columns = record.headers }
  return node
end

------------------------------------------------------------------------------------------
-- Kinds

local function person_nodes(records, src)
  local nodes = {}
  for _, r in ipairs(records) do
    local v = r.values
    local node = node_at("person", src, r, {})
    if v.full then node[1] = v.full end
    for _, f in ipairs({ "surname", "name", "patronymic", "post", "class", "subject", "role",
      "email", "phone", "gender", "parent", "id" }) do
      node[f] = v[f]
    end
    if v.minor then node.minor = true end
    -- messages about the name point at the column that holds it
    r.headers.surname = r.headers.surname or r.headers.full
    r.headers.name = r.headers.name or r.headers.full
    r.headers["ФИО"] = r.headers.full
    nodes[#nodes + 1] = node
  end
  return nodes
end

-- The single-valued fields of a pair, which the rows of one group must agree on.
local PAIR_FIELDS = { "form", "from", "to", "topic", "goal", "tasks", "order", "completed" }

local function pair_nodes(records, src, meetings, report)
  -- Rows of one group: one pair number (written again, or a merged «№» cell).
  local groups, by_key = {}, {}
  for _, r in ipairs(records) do
    local key = r.values.number and ("№" .. r.values.number)
      or (r.merged.mentor and ("наставник" .. r.merged.mentor))
      or ("строка" .. r.row)
    if not by_key[key] then
      by_key[key] = { rows = {} }
      groups[#groups + 1] = by_key[key]
    end
    local g = by_key[key].rows
    g[#g + 1] = r
  end
  local nodes, by_number = {}, {}
  for _, g in ipairs(groups) do
    local first = g.rows[1]
    local mentors, mentees, seen = {}, {}, {}
    local fields = {}
    for _, r in ipairs(g.rows) do
      for _, who in ipairs({ { "mentor", mentors }, { "mentee", mentees } }) do
        for _, name in ipairs(r.values[who[1]] and names_of(r.values[who[1]]) or {}) do
          local key = who[1] .. "\0" .. text.lower(name)
          if not seen[key] then
            seen[key] = true
            who[2][#who[2] + 1] = name
          end
        end
      end
      for _, f in ipairs(PAIR_FIELDS) do
        local v = r.values[f]
        if v ~= nil and v ~= false then
          if fields[f] == nil then
            fields[f] = v
          elseif fields[f] ~= v and not r.merged[f] then
            report(place_text(src, r.row, r.headers[f]), src.file, r.row, string.format(
              "в строках одной группы (№ %s) разные значения: «%s» в строке %d и «%s» здесь",
              tostring(first.values.number), tostring(fields[f]), first.row, tostring(v)))
          end
        end
      end
    end
    local group = #mentors > 1 or #mentees > 1
    local node = node_at(group and "group" or "pair", src, first, fields)
    node.number = first.values.number
    if group then
      node.mentors, node.mentees = mentors, mentees
      if #mentors == 1 then node.mentor, node.mentors = mentors[1], nil end
    else
      node.mentor, node.mentee = mentors[1], mentees[1]
    end
    node.completed = fields.completed or nil
    nodes[#nodes + 1] = node
    if node.number then by_number[node.number] = node end
  end
  for _, m in ipairs(meetings or {}) do
    local pair = by_number[m.pair]
    if not pair then
      report(m.place, m.file, m.row, string.format("пары № %s нет на листе пар", m.pair))
    else
      pair.meetings = pair.meetings or {}
      pair.meetings[#pair.meetings + 1] = m.node
    end
  end
  return nodes
end

-- The meetings of a workbook of pairs (its list «Встречи»), or nil.
local function meeting_records(book, base_src, report)
  for _, list in ipairs(book.lists) do
    if header_key(list.name) == header_key(sheet.LIST_NAMES.meetings) then
      local src = { file = base_src.file, shown = base_src.shown, format = base_src.format, list = list.name }
      local records = read_records(list, "meetings", src, report) or {}
      local out = {}
      for _, r in ipairs(records) do
        local node = node_at("meeting", src, r, { title = r.values.title, date = r.values.date,
          note = r.values.note })
        out[#out + 1] = { pair = r.values.pair, node = node, row = r.row, file = src.file,
          place = place_text(src, r.row, r.headers.pair) }
      end
      return out
    end
  end
end

------------------------------------------------------------------------------------------

-- Reads the rows a `sheet { … }` node names as the nodes of `field` ("pairs" or "people").
-- `node` is the sheet node as the description wrote it (its __file is the description that
-- named it); `report(place_text, file, row, message)` takes a problem at a cell;
-- `fail(message)` one at the sheet node itself. `cache` keeps workbooks read in one load.
-- Returns the list of nodes (empty when the sheet could not be read).
function sheet.expand(node, field, report, fail, cache)
  if field ~= "pairs" and field ~= "people" then
    fail(string.format("из таблицы читаются только пары (pairs = sheet …) и люди (people = sheet …), "
      .. "а не %s", field))
    return {}
  end
  for k in pairs(node) do
    if type(k) == "string" and k ~= "list" and not k:match("^__") then
      fail(string.format("sheet { … }: неизвестное поле «%s»; бывает только list = \"Имя листа\"", k))
    end
  end
  local name = node[1]
  local path, why = resolve(model.where(node) or "", name)
  if not path then fail(why) return {} end
  if node.list ~= nil and type(node.list) ~= "string" then
    fail("sheet { … }: list — имя листа в кавычках, например list = \"Пары\"")
    return {}
  end
  local book, message = cache[path], nil
  if book == nil then
    local reader = require "nastavnik.workbook"
    book, message = reader.read(path, path)
    cache[path] = book or false
    if not book then cache[path .. "\0why"] = message end
  end
  if not book then
    fail(message or cache[path .. "\0why"])
    return {}
  end
  local list, problem = choose_list(book, node.list, field, path)
  if not list then fail(problem) return {} end
  local src = { file = path, shown = path, format = book.format, list = list.name }
  local records = read_records(list, field, src, report)
  if not records then return {} end
  if field == "people" then return person_nodes(records, src) end
  return pair_nodes(records, src, meeting_records(book, src, report), report)
end

return sheet
