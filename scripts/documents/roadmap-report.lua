-- Document kind "roadmap-report": the report on the roadmap for the pedagogical council
-- (a municipality's for its meeting): every item with its deadline, who answers for it and
-- its state as of a date — "просрочено" when the item's deadline range ended before the
-- date, "выполняется" when the date is inside it, "не начато" when the range starts after
-- it — and its comment. The date is options.date (--date ДД.ММ.ГГГГ) or the end of the
-- roadmap's period. What the curator wrote in the description (item.state = "выполнено",
-- item.comment) wins over the computed state: a passed deadline is done only when she says so.

local common = require "documents.common"
local pc = require "documents.participants-common"
local russian = require "nastavnik.russian"
local richtext = require "nastavnik.richtext"
local dates = require "nastavnik.dates"
local text = require "nastavnik.text"

local kind = { kind = "roadmap-report", title = "Отчёт о выполнении дорожной карты",
  folder = "Отчёты", file_name = "Отчёт о выполнении дорожной карты", for_municipality = true }

kind.DONE, kind.RUNNING, kind.NOT_STARTED = "выполнено", "выполняется", "не начато"
kind.OVERDUE = "просрочено"

-- Words an author may write for an item's own state.
local STATE_WORDS = {
  ["выполнено"] = kind.DONE, ["выполнен"] = kind.DONE, done = kind.DONE,
  ["выполняется"] = kind.RUNNING, ["в работе"] = kind.RUNNING, running = kind.RUNNING, in_progress = kind.RUNNING,
  ["не начато"] = kind.NOT_STARTED, ["не выполнено"] = kind.OVERDUE, not_started = kind.NOT_STARTED,
  ["просрочено"] = kind.OVERDUE, overdue = kind.OVERDUE,
}

-- The state of a deadline range on a date (ISO strings compare as dates).
function kind.state(due, date)
  if not (due and due.from and due.to) then return nil end
  if due.to < date then return kind.OVERDUE end
  if due.from > date then return kind.NOT_STARTED end
  return kind.RUNNING
end

local function own_state(source)
  local s = source.state or source.status
  if type(s) ~= "string" then return nil end
  return STATE_WORDS[text.lower(text.trim(s))] or s
end

-- The state of one item (or row) of the roadmap on a date, as this report prints it. One
-- function for every place that shows a state (the report, `nastavnik due`).
function kind.item_state(source, date)
  return own_state(source) or kind.state(source.due, date)
end

local function item_text(source)
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
  local counts = { [kind.DONE] = 0, [kind.RUNNING] = 0, [kind.NOT_STARTED] = 0, [kind.OVERDUE] = 0, unknown = 0 }
  local unknown_due = {}
  local running_number = 0

  local function add_row(number, source, item_for_text)
    local state = kind.item_state(source, date)
    if state and counts[state] then counts[state] = counts[state] + 1
    elseif not state then
      counts.unknown = counts.unknown + 1
      unknown_due[#unknown_due + 1] = source.due and source.due.text or "(нет срока)"
    end
    rows[#rows + 1] = {
      kind = "item", number = number,
      text = item_text(item_for_text or source),
      due = source.due and source.due.text or "",
      responsible = source.responsible and source.responsible.text or "",
      state = state or "",
      computed = not own_state(source),
      comment = type(source.comment) == "string" and source.comment or "",
    }
  end
  local function add_item(item)
    running_number = running_number + 1
    local number = item.number or tostring(running_number)
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
    for _, child in ipairs(item.items or {}) do add_item(child) end
  end
  for _, stage in ipairs(rm.stages) do
    if stage.title then
      rows[#rows + 1] = { kind = "stage", number = stage.number or "", title = richtext.plain(stage.title) }
    end
    for _, item in ipairs(stage.items) do add_item(item) end
  end
  if #unknown_due > 0 then
    missing[#missing + 1] = string.format("состояние %d %s не вычислено (срок не читается как даты: %s): "
      .. "оставлено для заполнения от руки", #unknown_due, text.plural(#unknown_due, "пункта", "пунктов", "пунктов"),
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
  local summary = string.format("Всего пунктов: %d. Выполнено: %d; выполняется: %d; просрочено: %d; не начато: %d",
    counts[kind.DONE] + counts[kind.RUNNING] + counts[kind.NOT_STARTED] + counts[kind.OVERDUE] + counts.unknown,
    counts[kind.DONE], counts[kind.RUNNING], counts[kind.OVERDUE], counts[kind.NOT_STARTED])
  if counts.unknown > 0 then summary = summary .. "; состояние не определено: " .. counts.unknown end
  summary = summary .. "."
  return {
    org = common.org_view(org),
    title = "Отчёт о выполнении дорожной карты",
    subtitle = "реализации целевой модели наставничества " .. pc.where(org) .. (period and (" " .. period) or ""),
    roadmap_title = rm.title,
    audience = (not municipal) and "к заседанию педагогического совета" or nil,
    date = russian.date(date),
    date_words = russian.date_words(date),
    as_of = "по состоянию на " .. russian.date_words(date),
    columns = { "№\u{a0}п/п", "Мероприятие", "Срок", "Ответственные", "Состояние на " .. russian.date(date), "Комментарий" },
    rows = rows,
    counts = { done = counts[kind.DONE], running = counts[kind.RUNNING], not_started = counts[kind.NOT_STARTED],
      overdue = counts[kind.OVERDUE],
      unknown = counts.unknown },
    summary = summary,
    signature = { post = reporter_post, name = reporter and reporter.signature or common.BLANK_LINE },
    missing = missing,
  }
end

function kind.pdf(view)
  local blocks = {
    common.para(view.title, { align = "center", bold = true, size = 14 }),
    common.para(view.subtitle, { align = "center", bold = true }),
  }
  if view.audience then blocks[#blocks + 1] = common.para(view.audience, { align = "center" }) end
  blocks[#blocks + 1] = common.para(view.as_of, { align = "center", space_after = 8 })
  local head = { cells = {} }
  for _, t in ipairs(view.columns) do head.cells[#head.cells + 1] = pc.head_cell(t) end
  local rows = { head }
  local ncols = #view.columns
  for _, r in ipairs(view.rows) do
    if r.kind == "stage" then
      local title = (r.number ~= "" and not r.title:find("^" .. r.number:gsub("%p", "%%%0")) and (r.number .. " ") or "") .. r.title
      rows[#rows + 1] = { cells = { { colspan = ncols, blocks = { common.para(title, { align = "center", bold = true }) } } } }
    else
      rows[#rows + 1] = { cells = { pc.cell(r.number, "center"), pc.rich_cell(r.text), pc.cell(r.due),
        pc.cell(r.responsible), pc.cell(r.state, "center"), pc.cell(r.comment) } }
    end
  end
  blocks[#blocks + 1] = { type = "table", header_rows = 1, size = 11, rows = rows,
    columns = { { width = 14 }, { weight = 6 }, { weight = 2.2 }, { weight = 2.6 }, { weight = 2 }, { weight = 3.2 } } }
  blocks[#blocks + 1] = common.para(view.summary, { align = "left", space_before = 8 })
  common.add_signature(blocks, view.signature)
  return common.document({ orientation = "landscape", size = 12, title = view.title .. " " .. view.subtitle,
    author = view.org.short_name, subject = view.as_of, blocks = blocks })
end

return kind
