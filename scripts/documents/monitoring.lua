-- Document kind "monitoring": the monitoring forms a municipality fills from its organisations
-- (the tables at the end of the Ustyany roadmap, seed 001), as of a date (--date, for `build`
-- too; else the end of the municipal roadmap's period):
--   «Нормативное сопровождение реализации программ наставничества …» — for each
--   organisation the date and number of its orders approving the regulation, the roadmap,
--   the pairs, appointing the curator (those issued by the date), and the curator's contacts;
--   «Мониторинг реализации программ наставничества …» — pairs (groups) at work by the date,
--   programmes completed, events where the practice was presented, and a totals row computed
--   from the organisations' rows (never typed twice): the events counted once each however
--   many organisations took part in them;
--   «Наставнические пары (группы) и их участники по формам наставничества» — for each form the
--   pairs, the mentors and the mentees (each person once), and the totals.
-- Only for a municipality, landscape.

local common = require "documents.common"
local pc = require "documents.participants-common"
local russian = require "nastavnik.russian"
local dates = require "nastavnik.dates"
local forms = require "nastavnik.forms"
local text = require "nastavnik.text"

local kind = { kind = "monitoring", title = "Мониторинг реализации программ наставничества",
  folder = "Мониторинг", file_name = "Мониторинг реализации программ наставничества", for_municipality = true,
  only_municipality = true,
  position = 95, landscape = true,
  says = { "Нормативное сопровождение", "Мониторинг реализации программ наставничества" } }

kind.DASH = "—"
kind.BLANK_ROWS = 5

kind.REGULATORY_COLUMNS = {
  "№",
  "Наименование образовательной организации/ филиала/ структурного подразделения",
  "Дата и номер приказа об утверждении Положения о системе наставничества",
  "Дата и номер приказа об утверждении Дорожной карты",
  "Дата и номер приказа о формировании и закреплении наставнических пар (групп)",
  "Дата и номер приказа о назначении куратора в ОО",
  "Контакты куратора системы наставничества в ОО (ФИО, адрес электронной почты, телефон)",
}

kind.IMPLEMENTATION_COLUMNS = {
  "№",
  "Наименование образовательной организации/ филиала/ структурного подразделения",
  "Количество наставнических пар, участвующих в программах наставничества",
  "Количество завершенных программ наставничества",
  "Методические мероприятия различного уровня, на которых презентовался опыт / практика реализации "
    .. "программ наставничества (указать мероприятие, уровень, дату проведения, результат)",
}

-- The first order of a kind issued by the date.
local function order_by(org, order_kind, date)
  for _, o in ipairs(org.orders or {}) do
    if o.kind == order_kind and not o.planned and (not date or not o.date or o.date <= date) then return o end
  end
end

-- "от 28.08.2025 № 138", or a dash when the organisation has no such order (by the date).
local function order_cell(org, order_kind, missing, what, date)
  local order = order_by(org, order_kind, date)
  if not order then
    missing[#missing + 1] = string.format("«%s»: нет приказа %s (вид «%s»)", org.short_name, what, order_kind)
    return kind.DASH, nil
  end
  return "от " .. russian.date(order.date) .. " " .. russian.number(order.number), order
end

local function curator_contacts(org, missing)
  local c = org.curator
  if not c then
    missing[#missing + 1] = string.format("«%s»: нет данных о кураторе (поле curator)", org.short_name)
    return kind.DASH
  end
  local parts = { c.full }
  if c.email then parts[#parts + 1] = c.email end
  if c.phone then parts[#parts + 1] = c.phone end
  if not c.email or not c.phone then
    missing[#missing + 1] = string.format("«%s»: у куратора %s нет %s", org.short_name, russian.short_in(c, "genitive"),
      (not c.email and not c.phone) and "e-mail и телефона" or (not c.email and "e-mail" or "телефона"))
  end
  return table.concat(parts, ", ")
end

-- The events an organisation presented its practice at: its own list and where its
-- practices were presented, each once (by title and date).
local function events_of(org)
  local seen, out = {}, {}
  local function add(e)
    local key = (e.title or "") .. "|" .. (e.date or "")
    if seen[key] then return end
    seen[key] = true
    local parts = { e.title }
    if e.level then parts[#parts + 1] = e.level .. " уровень" end
    if e.date then parts[#parts + 1] = e.date end
    if e.result then parts[#parts + 1] = e.result end
    out[#out + 1] = { title = e.title, level = e.level or "", date = e.date or "", result = e.result or "",
      text = table.concat(parts, ", ") }
  end
  for _, e in ipairs(org.events or {}) do add(e) end
  for _, p in ipairs(org.practices or {}) do
    for _, e in ipairs(p.presented or {}) do add(e) end
  end
  -- In the order they happened, undated last (ISO makes dates comparable).
  local function iso(e) return e.date:match("^%d%d?%.%d%d?%.%d%d%d%d$") and dates.parse(e.date) or "9999" end
  for i, e in ipairs(out) do e.order = i end
  table.sort(out, function(a, b)
    local ia, ib = iso(a), iso(b)
    if ia ~= ib then return ia < ib end
    return a.order < b.order
  end)
  for _, e in ipairs(out) do e.order = nil end
  return out
end

-- "в 2025–2026 учебном году"
local function year_phrase(m)
  local y = m.monitoring_year
  if not y and m.roadmap and m.roadmap.period then
    local period = pc.roadmap_period(m.roadmap)
    if period and period:match("учебный год$") then y = period:match("(%d%d%d%d–%d%d%d%d)") end
  end
  if not y then return nil end
  local y1, y2 = tostring(y):gsub("%s", ""):match("(%d%d%d%d)%D+(%d%d%d%d)")
  if y1 then return "в " .. y1 .. "–" .. y2 .. " учебном году" end
  return "в " .. y
end

-- The date the forms are as of: --date, else the end of the municipal roadmap's period (or of
-- the monitoring year); nil and a reason for a date that does not exist.
local function as_of(model, options)
  if options and options.date and options.date ~= "" then
    local date, why = dates.parse(options.date)
    if not date then return nil, "дата мониторинга: " .. why end
    return date
  end
  if model.roadmap and model.roadmap.period then return model.roadmap.period.to end
  if model.monitoring_year then
    local _, to = dates.period_of_year(model.monitoring_year)
    if to then return to end
  end
  return nil, "не указана дата мониторинга (--date), а период дорожной карты неизвестен"
end

-- The pairs (groups) at work by the date: started on or before it.
local function pairs_by(org, date)
  local out = {}
  for _, pair in ipairs(org.pairs or {}) do
    if not pair.from or pair.from <= date then out[#out + 1] = pair end
  end
  return out
end

-- A programme completed by the date: marked completed and ended by then.
local function completed_by(pair, date)
  local ends = pair.ends or pair.to
  return pair.completed and (not ends or ends <= date)
end

-- Pairs, mentors and mentees (each person once) by form of mentoring, in the forms' own order.
local function by_form(pair_list)
  local rows, index = {}, {}
  -- (by id: the model's forms are copies of forms.list's)
  for _, f in ipairs(forms.list) do index[f.id] = { form = f.title, pairs = 0, mentors = {}, mentees = {} } end
  local all = { form = "Итого", pairs = 0, mentors = {}, mentees = {} }
  for _, pair in ipairs(pair_list) do
    local row = pair.form and index[pair.form.id]
    for _, r in ipairs({ row, all }) do
      r.pairs = r.pairs + 1
      for _, m in ipairs(pair.mentors) do r.mentors[m] = true end
      for _, m in ipairs(pair.mentees) do r.mentees[m] = true end
    end
  end
  local function counted(r)
    local n_mentors, n_mentees = 0, 0
    for _ in pairs(r.mentors) do n_mentors = n_mentors + 1 end
    for _ in pairs(r.mentees) do n_mentees = n_mentees + 1 end
    return { form = r.form, pairs_count = r.pairs, mentors_count = n_mentors, mentees_count = n_mentees,
      pairs = tostring(r.pairs), mentors = tostring(n_mentors), mentees = tostring(n_mentees) }
  end
  for _, f in ipairs(forms.list) do
    if index[f.id].pairs > 0 then rows[#rows + 1] = counted(index[f.id]) end
  end
  return rows, counted(all)
end

kind.FORM_COLUMNS = { "Форма наставничества", "Количество наставнических пар (групп)", "Количество наставников",
  "Количество наставляемых" }

-- The table by form, as the PDF lays it out and a template's {forms_table} inserts it.
local function forms_table(rows, total)
  local trows = { { cells = {} } }
  for _, t in ipairs(kind.FORM_COLUMNS) do trows[1].cells[#trows[1].cells + 1] = pc.head_cell(t) end
  for _, r in ipairs(rows) do
    trows[#trows + 1] = { cells = { pc.cell(r.form), pc.cell(r.pairs, "center"), pc.cell(r.mentors, "center"),
      pc.cell(r.mentees, "center") } }
  end
  trows[#trows + 1] = { cells = {
    { blocks = { common.para(total.form, { align = "left", bold = true }) } },
    { blocks = { common.para(total.pairs, { align = "center", bold = true }) } },
    { blocks = { common.para(total.mentors, { align = "center", bold = true }) } },
    { blocks = { common.para(total.mentees, { align = "center", bold = true }) } },
  } }
  return { type = "table", header_rows = 1, size = 11, rows = trows,
    columns = { { weight = 4 }, { weight = 2.5 }, { weight = 2.5 }, { weight = 2.5 } } }
end

function kind.view(model, options)
  if model.type ~= "municipality" then return nil, "мониторинг составляется для муниципалитета" end
  if options and options.organisation and options.organisation ~= "" then
    return nil, "мониторинг составляется для муниципалитета целиком, а не для одной организации (уберите --org)"
  end
  local date, why = as_of(model, options)
  if not date then return nil, why end
  local missing = {}
  local where = pc.where(model)
  local year = year_phrase(model)
  local tail = where .. (year and (" " .. year) or "")
  local regulatory, implementation = {}, {}
  local totals = { pairs = 0, completed = 0, organisations = #model.organisations }
  local all_pairs, distinct, seen = {}, {}, {}
  for i, org in ipairs(model.organisations) do
    local row = { number = tostring(i), name = org.short_name or org.full_name }
    row.regulation = order_cell(org, "regulation", missing, "об утверждении Положения о системе наставничества", date)
    row.roadmap = order_cell(org, "roadmap", missing, "об утверждении дорожной карты", date)
    row.pairs = order_cell(org, "pairs", missing, "о закреплении наставнических пар (групп)", date)
    row.curator = order_cell(org, "curator", missing, "о назначении куратора", date)
    row.curator_contacts = curator_contacts(org, missing)
    regulatory[#regulatory + 1] = row

    local at_work = pairs_by(org, date)
    local completed = 0
    for _, pair in ipairs(at_work) do
      all_pairs[#all_pairs + 1] = pair
      if completed_by(pair, date) then completed = completed + 1 end
    end
    local events = {}
    for _, e in ipairs(events_of(org)) do
      local iso = e.date:match("^%d%d?%.%d%d?%.%d%d%d%d$") and dates.parse(e.date)
      if not iso or iso <= date then
        events[#events + 1] = e
        -- an event several organisations took part in is one event of the municipality
        local key = text.lower(e.title or "") .. "|" .. (e.date or "")
        if not seen[key] then seen[key] = true; distinct[#distinct + 1] = e end
      end
    end
    local texts = {}
    for k, e in ipairs(events) do texts[k] = e.text end
    implementation[#implementation + 1] = {
      number = tostring(i), name = org.short_name or org.full_name,
      pairs_count = #at_work, completed_count = completed, events_count = #events,
      pairs = tostring(#at_work), completed = tostring(completed),
      events = events, events_text = #texts > 0 and table.concat(texts, "; ") or kind.DASH,
    }
    totals.pairs = totals.pairs + #at_work
    totals.completed = totals.completed + completed
  end
  local blank = #model.organisations == 0
  if blank then
    missing[#missing + 1] = "в описании муниципалитета нет организаций (поле organisations): формы оставлены "
      .. "для заполнения от руки"
  end
  local curator = model.curator
  if not curator then missing[#missing + 1] = "нет данных о муниципальном кураторе (поле curator): исполнитель не указан" end
  local executor
  if curator then
    local parts = { curator.full }
    if curator.post then parts[#parts + 1] = curator.post end
    if curator.phone then parts[#parts + 1] = "тел. " .. curator.phone end
    if curator.email then parts[#parts + 1] = curator.email end
    executor = "Исполнитель: " .. table.concat(parts, ", ")
  end
  local form_rows, form_total = by_form(all_pairs)
  return {
    org = common.org_view(model),
    year = year,
    date = russian.date(date),
    as_of = "по состоянию на " .. russian.date_words(date),
    regulatory = {
      title = "Нормативное сопровождение реализации программ наставничества " .. tail,
      columns = kind.REGULATORY_COLUMNS,
      rows = regulatory,
      blank_rows = blank and kind.BLANK_ROWS or 0,
    },
    implementation = {
      title = "Мониторинг реализации программ наставничества " .. tail,
      columns = kind.IMPLEMENTATION_COLUMNS,
      rows = implementation,
      blank_rows = blank and kind.BLANK_ROWS or 0,
      totals = {
        label = "Итого",
        organisations = totals.organisations,
        pairs_count = totals.pairs, completed_count = totals.completed, events_count = #distinct,
        pairs = blank and "" or tostring(totals.pairs),
        completed = blank and "" or tostring(totals.completed),
        events = blank and "" or ("мероприятий: " .. #distinct),
      },
    },
    forms = {
      title = "Наставнические пары (группы) и их участники по формам наставничества " .. tail,
      columns = kind.FORM_COLUMNS,
      rows = form_rows,
      total = form_total,
      table = forms_table(form_rows, form_total),
    },
    signature = common.signatory(model),
    executor = executor,
    missing = missing,
  }
end

local function header_row(columns)
  local row = { cells = {} }
  for _, t in ipairs(columns) do row.cells[#row.cells + 1] = pc.head_cell(t) end
  return row
end

local function blank_rows(rows, count, ncols)
  for i = 1, count do
    local r = { cells = { pc.cell(tostring(i), "center") } }
    for _ = 2, ncols do r.cells[#r.cells + 1] = pc.cell("") end
    rows[#rows + 1] = r
  end
end

function kind.pdf(view)
  local reg, imp = view.regulatory, view.implementation
  local blocks = { common.para(reg.title, { align = "center", bold = true }),
    common.para(view.as_of, { align = "center", space_after = 8 }) }
  local rows = { header_row(reg.columns) }
  for _, r in ipairs(reg.rows) do
    rows[#rows + 1] = { cells = { pc.cell(r.number, "center"), pc.cell(r.name), pc.cell(r.regulation, "center"),
      pc.cell(r.roadmap, "center"), pc.cell(r.pairs, "center"), pc.cell(r.curator, "center"), pc.cell(r.curator_contacts) } }
  end
  blank_rows(rows, reg.blank_rows, #reg.columns)
  blocks[#blocks + 1] = { type = "table", header_rows = 1, size = 11, rows = rows,
    columns = { {}, {}, {}, {}, {}, {}, {} } } -- sized from the content

  blocks[#blocks + 1] = { type = "page_break" }
  blocks[#blocks + 1] = common.para(imp.title, { align = "center", bold = true })
  blocks[#blocks + 1] = common.para(view.as_of, { align = "center", space_after = 8 })
  rows = { header_row(imp.columns) }
  for _, r in ipairs(imp.rows) do
    local events = {}
    for _, e in ipairs(r.events) do events[#events + 1] = common.para(e.text, { align = "left" }) end
    if #events == 0 then events[1] = common.para(r.events_text, { align = "center" }) end
    rows[#rows + 1] = { cells = { pc.cell(r.number, "center"), pc.cell(r.name), pc.cell(r.pairs, "center"),
      pc.cell(r.completed, "center"), { blocks = events } } }
  end
  blank_rows(rows, imp.blank_rows, #imp.columns)
  local t = imp.totals
  rows[#rows + 1] = { cells = {
    { colspan = 2, blocks = { common.para(t.label, { align = "left", bold = true }) } },
    { blocks = { common.para(t.pairs ~= "" and t.pairs or " ", { align = "center", bold = true }) } },
    { blocks = { common.para(t.completed ~= "" and t.completed or " ", { align = "center", bold = true }) } },
    { blocks = { common.para(t.events ~= "" and t.events or " ", { align = "left", bold = true }) } },
  } }
  blocks[#blocks + 1] = { type = "table", header_rows = 1, size = 11, rows = rows,
    columns = { {}, {}, {}, {}, {} } } -- sized from the content
  blocks[#blocks + 1] = common.para(view.forms.title, { align = "center", bold = true, space_before = 12,
    keep_with_next = true })
  blocks[#blocks + 1] = common.para(view.as_of, { align = "center", space_after = 8, keep_with_next = true })
  blocks[#blocks + 1] = view.forms.table
  common.add_signature(blocks, view.signature)
  if view.executor then
    local executor = common.name_para(view.executor, { align = "left", size = 10, space_before = 12 })
    executor.keep_with_previous = common.SIGNATURE_KEEP -- with the signature, never alone
    blocks[#blocks + 1] = executor
  end
  return common.document({ orientation = "landscape", size = 12, title = imp.title, org = view.org, author = view.org.short_name,
    subject = view.year, blocks = blocks })
end

return kind
