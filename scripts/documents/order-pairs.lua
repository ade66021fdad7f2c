-- Document kind "order-pairs": the order on mentoring pairs and groups ("О закреплении
-- наставнических пар (групп)") with its appendix table — №, mentor (ФИО, post), mentee
-- (ФИО, post or class), form, period — and the acquaintance sheet.

local common = require "documents.common"
local order = require "documents.order"
local russian = require "nastavnik.russian"
local text = require "nastavnik.text"
local participants = require "documents.participants-common"

local kind = { kind = "order-pairs", title = "Приказ о закреплении наставнических пар (групп)",
  folder = "Приказы", file_name = "Приказ о закреплении наставнических пар (групп)", for_municipality = false }

local function who(person)
  return { name = person.full, role = participants.role(person) }
end

local function period(pair)
  if pair.from and pair.to then return "с " .. russian.date(pair.from) .. " по " .. russian.date(pair.to) end
  if pair.from then return "с " .. russian.date(pair.from) end
  if pair.to then return "до " .. russian.date(pair.to) end
  return ""
end

-- "12 (двенадцать) наставнических пар (групп)", the count in figures and in words as orders
-- write it; without pairs (a form to fill by hand) just "наставнические пары (группы)".
local function how_many(n)
  if n == 0 then return "наставнические пары (группы)" end
  local words = russian.words(n, "ж"):gsub("одна$", "одну")
  local noun = text.plural(n, "наставническую пару (группу)", "наставнические пары (группы)",
    "наставнических пар (групп)")
  return string.format("%d (%s) %s", n, words, noun)
end

function kind.view(model, options)
  local org, err = common.subject(model, options)
  if not org then return nil, err end
  local short = org.short_name or org.name
  local rows, named = {}, {}
  for i, pair in ipairs(org.pairs or {}) do
    local row = { number = tostring(i), mentors = {}, mentees = {},
      form = pair.form and pair.form.title or "", period = period(pair), topic = pair.topic }
    for _, m in ipairs(pair.mentors) do
      row.mentors[#row.mentors + 1] = who(m)
      named[#named + 1] = m
    end
    for _, m in ipairs(pair.mentees) do
      row.mentees[#row.mentees + 1] = who(m)
      if not m.minor then named[#named + 1] = m end
    end
    rows[#rows + 1] = row
  end
  local missing = {}
  if #rows == 0 then missing[#missing + 1] = "нет наставнических пар (поле pairs): таблица оставлена для заполнения от руки" end
  local points = {
    { text = "Закрепить " .. how_many(#rows) .. " в " .. short .. " согласно приложению "
      .. russian.number(1) .. "." },
    { text = "Наставникам:", points = {
      { text = "разработать совместно с наставляемыми персонализированные программы наставничества "
        .. "в течение месяца со дня подписания настоящего приказа;" },
      { text = "проводить встречи с наставляемыми в соответствии с планом работы пары (группы)." },
    } },
  }
  if org.curator then
    points[#points + 1] = { text = "Куратору внедрения целевой модели наставничества "
      .. russian.full_in(org.curator, "dative") .. " осуществлять мониторинг работы наставнических пар (групп)." }
    named[#named + 1] = org.curator
  end
  local view = order.view(org, {
    kind = "pairs",
    default_title = "О закреплении наставнических пар (групп)",
    preamble = "В соответствии с " .. order.BASIS_TARGET_MODEL .. ", на основании письменного согласия "
      .. "участников, в целях реализации целевой модели наставничества в " .. short,
    points = points,
    people = named,
    missing = missing,
    appendices = { { kind = "pairs", orientation = "landscape", rows = rows } },
  })
  view.pairs = rows
  return view
end

local function para(text, align, bold)
  return { type = "para", align = align or "left", runs = { { text = text, bold = bold } } }
end

local function people_cell(list)
  local blocks = {}
  for _, p in ipairs(list) do
    blocks[#blocks + 1] = para(p.name)
    if p.role ~= "" then blocks[#blocks + 1] = { type = "para", align = "left", runs = { { text = p.role, italic = true } } } end
  end
  return { blocks = blocks }
end

local function appendix_blocks(_, appendix)
  local head = { cells = {} }
  for _, title in ipairs({ "№", "Наставник (ФИО, должность)", "Наставляемый (ФИО, должность или класс)",
    "Форма наставничества", "Срок" }) do
    head.cells[#head.cells + 1] = { blocks = { para(title, "center", true) }, valign = "middle" }
  end
  local rows = { head }
  for _, r in ipairs(appendix.rows) do
    rows[#rows + 1] = { cells = {
      { blocks = { para(r.number, "center") } },
      people_cell(r.mentors), people_cell(r.mentees),
      { blocks = { para(r.form) } }, { blocks = { para(r.period) } },
    } }
  end
  if #appendix.rows == 0 then
    for i = 1, 10 do
      rows[#rows + 1] = { cells = { { blocks = { para(tostring(i), "center") } },
        { blocks = { para(" ") } }, { blocks = { para(" ") } }, { blocks = { para(" ") } }, { blocks = { para(" ") } } } }
    end
  end
  return {
    { type = "para", align = "center", runs = { { text = "Список наставнических пар (групп)", bold = true } },
      space_after = 6 },
    { type = "table", header_rows = 1, size = 12, rows = rows,
      columns = { {}, {}, {}, {}, {} } }, -- sized from the content
  }
end

function kind.pdf(view)
  return order.pdf(view, appendix_blocks)
end

return kind
