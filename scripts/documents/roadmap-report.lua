-- Document kind "roadmap-report": the report on the roadmap for the pedagogical council
-- (a municipality's for its meeting): every item with its deadline, who answers for it, its
-- state as of a date and the comment. The state comes, in this order, from
--   1. the curator's mark in the description (item.state, item.comment) — as she wrote it;
--   2. evidence in the description (documents/evidence.lua): the item's own links, the orders
--      it cites, an order of the kind it is about, the pairs formed, an event it names —
--      "выполнено", with what shows it in the comment column («приказ № 162 от 12.09.2025»);
--   3. the deadline alone, which tells nothing of the work: "нет отметки" once it has passed
--      (never a guessed "просрочено"), "срок не истёк" inside it, "срок не наступил" before it;
--      "нет отметки" too when the deadline cannot be read as dates.
-- Every state is counted in the totals. The date is options.date (--date ДД.ММ.ГГГГ, for
-- `build` too) or the end of the roadmap's period.

local common = require "documents.common"
local roadmap = require "documents.roadmap"
local pc = require "documents.participants-common"
local evidence = require "documents.evidence"
local russian = require "nastavnik.russian"
local richtext = require "nastavnik.richtext"
local dates = require "nastavnik.dates"
local text = require "nastavnik.text"

local kind = { kind = "roadmap-report", title = "Отчёт о выполнении дорожной карты",
  folder = "Отчёты", file_name = "Отчёт о выполнении дорожной карты", for_municipality = true,
  position = 80, landscape = true,
  says = { "по состоянию на" } }

-- The states, in the order the totals list them: the curator's words (validate.lua's list),
-- then the ones the deadline gives.
kind.STATES = {
  { key = "done", word = "выполнено" },
  { key = "running", word = "выполняется" },
  { key = "postponed", word = "перенесено" },
  { key = "not_started", word = "не начато" },
  { key = "failed", word = "не выполнено" },
  { key = "overdue", word = "просрочено" },
  { key = "in_term", word = "срок не истёк" },
  { key = "not_due", word = "срок не наступил" },
  { key = "no_mark", word = "нет отметки" },
}
local KEY_OF = {}
for _, st in ipairs(kind.STATES) do KEY_OF[st.word] = st.key end

-- What the deadline alone says on a date.
function kind.state(due, date)
  if not (due and due.from and due.to) or due.to < date then return "нет отметки" end
  if due.from > date then return "срок не наступил" end
  return "срок не истёк"
end

local function own_state(source)
  if type(source.state) ~= "string" then return nil end
  return text.lower(text.trim(source.state))
end

-- The state of one item (or row) of the roadmap on a date, as this report prints it. One
-- function for every place that shows a state (the report, `nastavnik due`).
function kind.item_state(source, date)
  return own_state(source) or kind.state(source.due, date)
end

local item_text

-- The state of one item (or row) of the roadmap on a date, as this report prints it: the
-- curator's mark, else evidence in the description (when the organisation is given), else what
-- the deadline alone says. One function for every place that shows a state (the report,
-- `nastavnik due`). Returns the state, the evidence found (or nil) and what the state rests on
-- ("mark", "evidence", "deadline").
function kind.item_state(source, date, org, words)
  local mark = own_state(source)
  local found = org and evidence.find(org, source, words or item_text(source), date) or nil
  if mark then return mark, found, "mark" end
  if found and found.done then return "выполнено", found, "evidence" end
  return kind.state(source.due, date), found, "deadline"
end

function item_text(source)
  local value = source.title
  if not value or #value == 0 then value = source.content end
  if source.title and #source.title > 0 and source.content and #source.content > 0 then
    value = {}
    for _, b in ipairs(source.title) do value[#value + 1] = b end
    for _, b in ipairs(source.content) do value[#value + 1] = b end
  end
  return value or {}
end

function kind.view(model, options)
  local org, err = common.subject(model, options)
  if not org then return nil, err end
  local rm = org.roadmap
  if not rm then return nil, "в описании нет дорожной карты (поле roadmap)" end
  local date
  if options and options.date and options.date ~= "" then
    local why
    date, why = dates.parse(options.date)
    if not date then return nil, "дата отчёта: " .. why end
  elseif rm.period then
    date = rm.period.to
  else
    return nil, "не указана дата отчёта, а период дорожной карты неизвестен (поля year, period)"
  end
  local municipal = org.type == "municipality"
  local missing = {}
  local rows = {}
  local counts = {}
  for _, st in ipairs(kind.STATES) do counts[st.key] = 0 end
  local unknown_due = {}
  local running_number = 0
  local item_numbers = {} -- each item's number as the report prints it, in the roadmap's order

  local function add_row(number, source, item_for_text)
    local words = item_text(item_for_text or source)
    local state, found, basis = kind.item_state(source, date, org, words)
    if basis == "deadline" and not (source.due and source.due.from) then
      unknown_due[#unknown_due + 1] = source.due and source.due.text or "срок не указан"
    end
    -- The curator's words, else what the description shows.
    local comment = type(source.comment) == "string" and source.comment or (found and found.comment) or ""
    counts[KEY_OF[state]] = counts[KEY_OF[state]] + 1
    rows[#rows + 1] = {
      kind = "item", number = number, text = words,
      due = source.due and source.due.text or "",
      responsible = source.responsible and source.responsible.text or "",
      state = state,
      basis = basis, -- what the state rests on: the curator's mark, evidence, or the deadline alone
      comment = comment,
    }
  end
  -- Items numbered as written; an unnumbered item of the top level by its place, a nested one
  -- (a part of its parent) without a number.
  local function add_item(item, nested)
    if not nested then running_number = running_number + 1 end
    local number = item.number or (nested and "" or tostring(running_number))
    item_numbers[#item_numbers + 1] = number
    if #item.rows > 0 then
      for k, r in ipairs(item.rows) do
        -- A sub-row without a title of its own is read under the item's title.
        local has_text = (r.title and #r.title > 0) or (r.content and #r.content > 0)
        add_row(k == 1 and number or "", r, (not has_text and k == 1) and item or nil)
        if k == 1 and has_text and item.title and #item.title > 0 then
          local merged = {}
          for _, b in ipairs(item.title) do merged[#merged + 1] = b end
          for _, b in ipairs(rows[#rows].text) do merged[#merged + 1] = b end
          rows[#rows].text = merged
        end
      end
    else
      add_row(number, item)
    end
    for _, child in ipairs(item.items or {}) do add_item(child, true) end
  end
  for _, stage in ipairs(rm.stages) do
    if stage.title then
      rows[#rows + 1] = { kind = "stage", number = stage.number or "", title = richtext.plain(stage.title) }
    end
    for _, item in ipairs(stage.items) do add_item(item) end
  end
  if #unknown_due > 0 then
    missing[#missing + 1] = string.format("у %d %s срок не читается как даты (%s): «нет отметки», пока куратор не "
      .. "отметит состояние (поле state)", #unknown_due, text.plural(#unknown_due, "пункта", "пунктов", "пунктов"),
      table.concat(unknown_due, "; "))
  end

  local reporter = org.curator or org.coordinator
  local reporter_post = org.curator and (municipal and "Муниципальный куратор внедрения целевой модели наставничества"
    or "Куратор внедрения целевой модели наставничества")
    or (org.coordinator and russian.capitalise(org.coordinator.post or "Координатор")) or "Куратор"
  if not reporter then
    missing[#missing + 1] = "нет данных о кураторе (поле curator): подпись оставлена для заполнения от руки"
  end
  local period = pc.roadmap_period(rm)
  -- Every state counted: the total is their sum.
  local total, parts = 0, {}
  for _, st in ipairs(kind.STATES) do
    local n = counts[st.key]
    total = total + n
    if n > 0 then parts[#parts + 1] = (#parts == 0 and russian.capitalise(st.word) or st.word) .. ": " .. n end
  end
  local summary = string.format("Всего пунктов: %d. %s.", total, table.concat(parts, "; "))
  local state_header = "Состояние на " .. russian.date(date)
  return {
    org = common.org_view(org),
    title = "Отчёт о выполнении дорожной карты",
    subtitle = "реализации целевой модели наставничества " .. pc.where(org) .. (period and (" " .. period) or ""),
    roadmap_title = rm.title,
    audience = (not municipal) and "к заседанию педагогического совета" or nil,
    date = russian.date(date),
    date_words = russian.date_words(date),
    as_of = "по состоянию на " .. russian.date_words(date),
    columns = { "№\u{a0}п/п", "Мероприятие", "Срок", "Ответственные", state_header, "Комментарий" },
    rows = rows,
    -- column widths from the content, the same in the PDF and the templates
    table = common.fit_columns(kind.table_block(rm, rows, item_numbers, state_header),
      { orientation = "landscape", size = 11, org = common.org_view(org) }),
    counts = counts,
    total = total,
    summary = summary,
    signature = { post = reporter_post, name = reporter and reporter.signature or common.BLANK_LINE },
    missing = missing,
  }
end

-- A row's state and comment cells, by their text: shared and frozen (common.frozen: made here
-- whole, only read after), as the reports repeat them — a handful of states, comments alike.
local state_cell = text.memo(function(s) return common.frozen(pc.cell(s, "center")) end, 256)
local comment_cell = text.memo(function(s) return common.frozen(pc.cell(s)) end, 256)

-- The report's table: every column of the roadmap, as the roadmap lays it out (its headers,
-- merged cells, numbers; a № column of the report's own when the roadmap has none), and the
-- state and the comment of each of its rows. The PDF and the templates' {table} read it.
function kind.table_block(rm, rows, item_numbers, state_header)
  local columns, has_number = {}, false
  for _, col in ipairs(rm.columns) do
    columns[#columns + 1] = col
    has_number = has_number or col.key == "number"
  end
  if not has_number then table.insert(columns, 1, { key = "number", title = "№\u{a0}п/п" }) end
  -- (the roadmap's rows and the cells it shows of them, numbered as the report numbers them)
  local rm_rows = roadmap.rows_of(rm)
  local tbl = roadmap.table_block({ columns = columns, rows = rm_rows }, item_numbers)
  tbl.columns = roadmap.column_sizes(columns, false)
  tbl.columns[#tbl.columns + 1] = {} -- the state: from its content («на 31.08.2026» whole)
  tbl.columns[#tbl.columns + 1] = {} -- the comment: from its content
  tbl.size = 11
  local header = tbl.rows[1].cells
  header[#header + 1] = pc.head_cell(state_header)
  header[#header + 1] = pc.head_cell("Комментарий")
  if tbl.header_rows > 1 then -- (two header rows: these span both)
    header[#header].rowspan, header[#header - 1].rowspan = 2, 2
  end
  -- the table's rows after the header, one per stage and one per line of an item
  local at, states = tbl.header_rows + 1, {}
  for _, r in ipairs(rows) do if r.kind == "item" then states[#states + 1] = r end end
  local line = 0
  for _, r in ipairs(rm_rows) do
    if r.kind == "stage" then
      local cells = tbl.rows[at].cells
      cells[#cells].colspan = (cells[#cells].colspan or 1) + 2
      at = at + 1
    else
      for _ = 1, math.max(1, #r.subrows) do
        line = line + 1
        local st = states[line]
        local cells = tbl.rows[at].cells
        cells[#cells + 1] = state_cell(st and st.state or "")
        cells[#cells + 1] = comment_cell(st and st.comment or "")
        at = at + 1
      end
    end
  end
  return tbl
end

function kind.pdf(view)
  local blocks = {
    common.para(view.title, { align = "center", bold = true, size = 14 }),
    common.para(view.subtitle, { align = "center", bold = true }),
  }
  if view.audience then blocks[#blocks + 1] = common.para(view.audience, { align = "center" }) end
  blocks[#blocks + 1] = common.para(view.as_of, { align = "center", space_after = 8 })
  blocks[#blocks + 1] = view.table
  blocks[#blocks + 1] = common.para(view.summary, { align = "left", space_before = 8 })
  common.add_signature(blocks, view.signature)
  return common.document({ orientation = "landscape", size = 12, title = view.title .. " " .. view.subtitle,
    org = view.org, author = view.org.short_name, subject = view.as_of, blocks = blocks })
end

return kind
