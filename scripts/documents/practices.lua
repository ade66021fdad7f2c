-- Document kind "practices": the collection of best mentoring practices (методическая
-- копилка) of a school, or of a whole municipality (its own practices and those of all its
-- organisations): a title page, the contents, and one section per practice — title,
-- authors with their posts and organisation, form of mentoring, the problem, the
-- description, the results and where the practice was presented.
--
-- The contents give each practice's page in the PDF (two renders: the first tells where each
-- heading lands); the view carries them as a plain list (number, title, authors) for
-- templates, where Word or LibreOffice number the pages.

local common = require "documents.common"
local pc = require "documents.participants-common"
local russian = require "nastavnik.russian"
local dates = require "nastavnik.dates"

local kind = { kind = "practices", title = "Методическая копилка лучших практик наставничества",
  folder = "Методическая копилка", file_name = "Методическая копилка лучших практик наставничества",
  for_municipality = true,
  position = 90,
  says = { "Методическая копилка" } }

kind.LABELS = {
  contents = "Содержание",
  authors = "Авторы",
  author = "Автор",
  organisation = "Организация",
  form = "Форма наставничества",
  year = "Период реализации",
  problem = "Проблема, на решение которой направлена практика",
  description = "Описание практики",
  results = "Результаты",
  presented = "Где представлена практика",
  none_presented = "Практика пока не представлялась на мероприятиях.",
}

-- "12.03.2026" -> "12 марта 2026 г."; other dates as written.
local function event_date(s)
  if not s then return nil end
  local iso = s:match("^%d%d?%.%d%d?%.%d%d%d%d$") and dates.parse(s)
  return iso and russian.date_words(iso) or s
end

local function event_view(e)
  local details = {}
  if e.level then details[#details + 1] = e.level .. " уровень" end
  if e.date then details[#details + 1] = event_date(e.date) end
  local s = e.title
  if #details > 0 then s = s .. " (" .. table.concat(details, ", ") .. ")" end
  if e.result then s = s .. ": " .. e.result end
  return { title = e.title, level = e.level or "", date = e.date or "", result = e.result or "", text = s }
end

-- Where each person works: the organisation whose description names them.
local function employers(model)
  local of = {}
  if model.type == "municipality" then
    for _, org in ipairs(model.organisations) do
      for _, person in ipairs(org.people or {}) do of[person] = of[person] or org end
    end
  else
    for _, person in ipairs(model.people or {}) do of[person] = model end
  end
  return of
end

-- The practices a collection holds: { practice =, org = (the organisation or nil for the
-- municipality's own) }.
local function collect(model, subject)
  local list = {}
  if subject.type == "municipality" then
    for _, p in ipairs(subject.practices or {}) do list[#list + 1] = { practice = p } end
    for _, org in ipairs(subject.organisations or {}) do
      for _, p in ipairs(org.practices or {}) do list[#list + 1] = { practice = p, org = org } end
    end
  else
    for _, p in ipairs(subject.practices or {}) do list[#list + 1] = { practice = p, org = subject } end
  end
  return list
end

function kind.view(model, options)
  local subject, err = common.subject(model, options)
  if not subject then return nil, err end
  local entries = collect(model, subject)
  if #entries == 0 then
    return nil, subject.type == "municipality"
      and "в описании нет практик наставничества ни у муниципалитета, ни у его организаций (поле practices)"
      or "в описании нет практик наставничества (поле practices)"
  end
  local works_at = employers(model)
  local sections, contents, years = {}, {}, {}
  for i, entry in ipairs(entries) do
    local p = entry.practice
    local authors, shorts, orgs, seen_org = {}, {}, {}, {}
    for _, a in ipairs(p.authors or {}) do
      local org = works_at[a] or entry.org
      local org_name = org and org.type ~= "municipality" and (org.short_name or org.name) or nil
      authors[#authors + 1] = { name = a.full, short = a.short, post = a.post or pc.role(a), organisation = org_name or "",
        line = a.full .. ((a.post or pc.role(a)) ~= "" and (", " .. (a.post or pc.role(a))) or "")
          .. (org_name and (", " .. org_name) or "") }
      shorts[#shorts + 1] = a.short
      if org_name and not seen_org[org_name] then seen_org[org_name] = true; orgs[#orgs + 1] = org_name end
    end
    local presented = {}
    for _, e in ipairs(p.presented or {}) do presented[#presented + 1] = event_view(e) end
    if p.year then years[p.year] = true end
    local organisation = entry.org and (entry.org.short_name or entry.org.name)
      or (#orgs > 0 and table.concat(orgs, ", ")) or (subject.short_name or subject.name or "")
    sections[i] = {
      number = tostring(i),
      title = p.title,
      heading = i .. ". " .. p.title,
      authors = authors,
      authors_text = table.concat(shorts, ", "),
      organisation = organisation,
      form = p.form and russian.quote(p.form.title) or "",
      year = p.year and russian.academic_year(p.year) or "",
      problem = p.problem or {},
      description = p.description or {},
      results = p.results or {},
      presented = presented,
    }
    contents[i] = { number = tostring(i), title = p.title, authors = table.concat(shorts, ", "),
      organisation = organisation }
  end
  local year_list = {}
  for y in pairs(years) do year_list[#year_list + 1] = y end
  table.sort(year_list)
  local year_line = #year_list == 1 and russian.academic_year(year_list[1])
    or (subject.monitoring_year and russian.academic_year(subject.monitoring_year)) or nil
  local municipal = subject.type == "municipality"
  local missing = {}
  for _, s in ipairs(sections) do
    if #s.description == 0 then missing[#missing + 1] = "практика «" .. s.title .. "»: нет описания (поле description)" end
  end
  return {
    org = common.org_view(subject),
    title_page = {
      top = subject.full_name or subject.body or subject.name,
      title = "Методическая копилка",
      subtitle = "лучших практик наставничества " .. pc.where(subject),
      year = year_line,
      place = subject.place,
    },
    labels = kind.LABELS,
    municipal = municipal,
    contents = contents,
    sections = sections,
    count = #sections,
    missing = missing,
  }
end

local function rich_blocks(list)
  local out = {}
  for _, b in ipairs(list) do out[#out + 1] = b end
  return out
end

-- kind.paged: pdf(view, pages) is called again with the pages the first render reported.
kind.paged = true

function kind.pdf(view, pages)
  local l = view.labels
  local tp = view.title_page
  local blocks = {
    common.para(russian.upper(tp.top), { align = "center", bold = true }),
    { type = "space", height = 70 },
    common.para(russian.upper(tp.title), { align = "center", bold = true, size = 20 }),
    common.para(tp.subtitle, { align = "center", bold = true, size = 16, space_before = 6 }),
  }
  if tp.year then blocks[#blocks + 1] = common.para(tp.year, { align = "center", space_before = 12 }) end
  if tp.place then
    blocks[#blocks + 1] = { type = "space", height = 90 }
    blocks[#blocks + 1] = common.para(tp.place, { align = "center" })
  end
  blocks[#blocks + 1] = { type = "page_break" }
  blocks[#blocks + 1] = common.para(l.contents, { align = "center", bold = true, space_after = 8 })
  -- The contents: each practice with the page its section starts on. The pages come from a
  -- first render (pages = { ["practice-N"] = page }); until then the page column is empty,
  -- of the same height, so the second render lays everything out alike.
  local rows = {}
  for _, c in ipairs(view.contents) do
    local page = pages and pages["practice-" .. c.number]
    rows[#rows + 1] = { cells = {
      { blocks = { { type = "para", align = "left", runs = { { text = c.number .. ". " .. c.title .. " (" .. c.authors .. ")" } } } } },
      { blocks = { { type = "para", align = "right", runs = { { text = page and tostring(page) or " " } } } }, valign = "bottom" },
    } }
  end
  blocks[#blocks + 1] = { type = "table", borders = false, padding = 1,
    columns = { { weight = 1 }, { width = 15 } }, rows = rows }
  for _, s in ipairs(view.sections) do
    blocks[#blocks + 1] = { type = "page_break" }
    local heading = common.para(s.heading, { align = "center", bold = true, size = 14, space_after = 8,
      keep_with_next = true, hyphenate = false })
    heading.anchor = "practice-" .. s.number
    blocks[#blocks + 1] = heading
    blocks[#blocks + 1] = common.para((#s.authors > 1 and l.authors or l.author) .. ":", { align = "left", bold = true,
      keep_with_next = true })
    for _, a in ipairs(s.authors) do blocks[#blocks + 1] = common.para(a.line, { align = "left" }) end
    if s.form ~= "" then
      blocks[#blocks + 1] = { type = "para", align = "left", space_before = 6,
        runs = { { text = l.form .. ": ", bold = true }, { text = s.form } } }
    end
    if s.year ~= "" then
      blocks[#blocks + 1] = { type = "para", align = "left", runs = { { text = l.year .. ": ", bold = true }, { text = s.year } } }
    end
    for _, part in ipairs({ { l.problem, s.problem }, { l.description, s.description }, { l.results, s.results } }) do
      if #part[2] > 0 then
        blocks[#blocks + 1] = common.para(part[1], { align = "left", bold = true, space_before = 8, keep_with_next = true })
        for _, b in ipairs(rich_blocks(part[2])) do blocks[#blocks + 1] = b end
      end
    end
    blocks[#blocks + 1] = common.para(l.presented, { align = "left", bold = true, space_before = 8, keep_with_next = true })
    if #s.presented == 0 then
      blocks[#blocks + 1] = common.para(l.none_presented, { align = "left" })
    else
      local items = {}
      for _, e in ipairs(s.presented) do items[#items + 1] = { label = "–", level = 1, runs = { { text = e.text } } } end
      blocks[#blocks + 1] = { type = "list", ordered = false, items = items }
    end
  end
  return common.document({ title = tp.title .. " " .. tp.subtitle, org = view.org, author = view.org.short_name,
    subject = tp.year, blocks = blocks })
end

return kind
