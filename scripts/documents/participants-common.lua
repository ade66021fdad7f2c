-- What the documents about the participants of the programme share (individual plans,
-- consents): choosing the organisation and the N-th pair or person, who a person is
-- ("учитель математики", "обучающийся 7 «А» класса") in any case, the list of participants
-- of an organisation's pairs (each person once), signature rows with a parent's line for
-- a minor, and file names without non-breaking spaces.

local common = require "documents.common"
local russian = require "nastavnik.russian"
local dates = require "nastavnik.dates"
local people = require "nastavnik.people"
local text = require "nastavnik.text"

local pc = {}

local NBSP = russian.NBSP

-- The organisation whose pairs a document is about: a school, or one organisation of a
-- municipality (--org). `what` says what is made, for the reason a municipality gets.
function pc.organisation(model, options, what)
  local org, err = common.subject(model, options)
  if not org then return nil, err end
  if org.type == "municipality" then
    return nil, what .. " оформляются в организациях: укажите организацию (--org)"
  end
  return org
end

-- The people an element of a list is about: a participant's entry ({ person = }), or a
-- pair's mentors and mentees.
local function people_of(element)
  if element.person then return { element.person } end
  local out = {}
  for _, p in ipairs(element.mentors or {}) do out[#out + 1] = p end
  for _, p in ipairs(element.mentees or {}) do out[#out + 1] = p end
  return out
end

-- How the error lists an element: «Иванова М.П.», «пара № 2: Иванова М.П., Петров С.С.».
local function label_of(element, n)
  local names = {}
  for _, p in ipairs(people_of(element)) do names[#names + 1] = (p.short or p.full or "?"):gsub(NBSP, " ") end
  if element.person then return names[1] end
  return string.format("%s № %s: %s", element.kind == "group" and "группа" or "пара", element.number or n,
    table.concat(names, ", "))
end

local LISTED = 12

-- The choices a wrong or missing --item/--person is answered with.
local function choices(list)
  local out = {}
  for i = 1, math.min(#list, LISTED) do out[i] = i .. " — " .. label_of(list[i], i) end
  return table.concat(out, "; ") .. (#list > LISTED and string.format("; … (всего %d)", #list) or "")
end

-- The element of a list a document is about, and its number: --item N, or --person «Фамилия
-- И.О.» (a participant, or a pair one of whose people it is); or nil and a reason. A list of
-- one needs neither; of several, one of them (never silently the first).
function pc.pick(list, options, what)
  local wanted = options and options.item
  local person = options and options.person
  if #list == 0 then return nil, what end
  if person ~= nil and wanted ~= nil then return nil, "укажите или --item, или --person, а не оба" end
  if person ~= nil then
    local found = {}
    for i, element in ipairs(list) do
      for _, p in ipairs(people_of(element)) do
        if people.named(p, person) then found[#found + 1] = i break end
      end
    end
    if #found == 1 then return list[found[1]], found[1] end
    if #found == 0 then
      return nil, string.format("--person «%s»: такого человека здесь нет; есть: %s", person, choices(list))
    end
    local several = {}
    for _, i in ipairs(found) do several[#several + 1] = i .. " — " .. label_of(list[i], i) end
    return nil, string.format("--person «%s»: подходит несколько (%s); укажите --item N", person,
      table.concat(several, "; "))
  end
  local n = 1
  if wanted ~= nil and wanted ~= "" then
    n = tonumber(wanted)
    if not n or n ~= math.floor(n) then
      return nil, string.format("--item: ожидался номер (1–%d), а указано «%s»", #list, tostring(wanted))
    end
  elseif #list > 1 then
    return nil, string.format("их %d: укажите, какой, --item N или --person \"Фамилия И.О.\": %s", #list,
      choices(list))
  end
  if n < 1 or n > #list then
    return nil, string.format("--item %s: всего %d, укажите номер от 1 до %d", tostring(wanted), #list, #list)
  end
  return list[n], n
end

-- The instances of a kind made once per element of `list`: file names and options.
function pc.instances(list, options, name_of)
  local out = {}
  for i, element in ipairs(list) do
    out[i] = { file_name = pc.file_name(name_of(element, i)),
      options = { organisation = options and options.organisation, item = tostring(i) } }
  end
  return out
end

-- File names: ordinary spaces (a non-breaking one is invisible in a file manager and
-- breaks typing the name), no slashes.
-- (by plain finds: gsub tried its pattern at every byte of every name a build plans)
function pc.file_name(s)
  s = text.replace_plain(s, NBSP, " ")
  if s:find("/", 1, true) then s = text.replace_plain(s, "/", "-") end
  return s
end

-- "обучающийся 7 «А» класса" / "обучающаяся 5 класса" from a class.
local function pupil_of(person)
  local word = person.gender == "ж" and "обучающаяся" or "обучающийся"
  local class = person.class
  if class:find("класс", 1, true) then return word .. " " .. class end
  return word .. " " .. class .. " класса"
end

-- Who the person is, as the documents print it after the name: the post as written, or the
-- class; "" when the description says neither. In a case when `case` is given.
-- (remembered per person and case, weak: it goes with the model, nothing changes a person of a
-- loaded model, and a person is named in every document about them — a mentee in the genitive
-- in each of its mentors' consents, the post declined anew each time)
local roles = setmetatable({}, { __index = function(made, case)
  local kept = setmetatable({}, { __mode = "k" })
  made[case] = kept
  return kept
end })

function pc.role(person, case)
  local kept = roles[case or "nominative"]
  local r = kept[person]
  if r then return r end
  local s
  if person.post and person.post ~= "" then
    s = person.post
  elseif person.class and person.class ~= "" then
    s = pupil_of(person)
  end
  -- someone of a partner (an employer, another school) is named with the partner
  local at = person.partner and person.partner.short_name
  if not s then
    r = at or ""
  else
    if case ~= nil and case ~= "nominative" then s = russian.post_in(s, case) end
    r = at and (s .. " " .. at) or s
  end
  kept[person] = r
  return r
end

-- A pupil or a student: someone who learns, not an employee.
function pc.is_learner(person)
  if person.class and person.class ~= "" then return true end
  local post = person.post or ""
  return post:match("^студент") ~= nil or post:match("^обучающ") ~= nil or post:match("^курсант") ~= nil
end

-- An employee of the organisation (a teacher, a psychologist…): not a learner, not someone
-- from outside (a representative of an employer has a role).
function pc.is_staff(person)
  return not person.minor and not pc.is_learner(person) and not person.role and not person.partner
end

-- The words that agree with the person's gender: ending("ый", "ая") -> "ый"/"ая"/"ый(ая)".
function pc.agree(person, male, female)
  local g = person and person.gender
  if g == "м" then return male end
  if g == "ж" then return female end
  return male .. "(" .. female .. ")"
end

-- What is made of the words that agree with a person's gender, made once for each of
-- pc.agree's three answers ("м", "ж", neither): make(person) is called with a person of that
-- gender (only its gender is read); the function returned gives the one for a person.
function pc.by_gender(make)
  local male, female, both = make({ gender = "м" }), make({ gender = "ж" }), make({})
  return function(person)
    local g = person and person.gender
    if g == "м" then return male end
    if g == "ж" then return female end
    return both
  end
end

-- A person-like table for a name written as text ("Гусева Ольга Викторовна"): its gender
-- as the patronymic tells, for agreement ("проживающая").
function pc.named(full)
  if not full then return {} end
  local surname, name, patronymic = people.split(full)
  return { surname = surname, name = name, patronymic = patronymic,
    gender = people.gender({ patronymic = patronymic }) }
end

-- "ознакомлен(а)" agreement.
function pc.short_participle(person, stem)
  local g = person and person.gender
  if g == "м" then return stem end
  if g == "ж" then return stem .. "а" end
  return stem .. "(а)"
end

local function participants_now(org, only)
  local by_person, list = {}, {}
  local function add(person, pair, role)
    local entry = by_person[person]
    if not entry then
      entry = { person = person, pairs = {} }
      by_person[person] = entry
      list[#list + 1] = entry
    end
    entry[role] = true
    if entry.pairs[#entry.pairs] ~= pair then entry.pairs[#entry.pairs + 1] = pair end
  end
  for _, pair in ipairs(org.pairs or {}) do
    if only ~= "mentee" then for _, m in ipairs(pair.mentors) do add(m, pair, "mentor") end end
    if only ~= "mentor" then for _, m in ipairs(pair.mentees) do add(m, pair, "mentee") end end
  end
  return list
end

-- Mentors and mentees of the organisation's pairs, each person once, in the order the pairs
-- name them: { person =, mentor = bool, mentee = bool, pairs = { pair, … } }.
-- Made once per organisation and `only`: each of an organisation's consents asks for the
-- whole list again (callers only read it). Only the last organisation's lists are kept, so
-- that a region's organisations, made one after another, go as soon as they are done.
local last_org, made = nil, {}
function pc.participants(org, only)
  if org ~= last_org then last_org, made = org, {} end
  local key = only or "all"
  if not made[key] then made[key] = participants_now(org, only) end
  return made[key]
end

-- "с 22 сентября 2025 г. по 29 мая 2026 г."
function pc.period_words(from, to)
  if from and to then return "с " .. russian.date_words(from) .. " по " .. russian.date_words(to) end
  if from then return "с " .. russian.date_words(from) end
  if to then return "по " .. russian.date_words(to) end
  return nil
end

-- "22.09.2025 – 29.05.2026"
function pc.period_short(from, to)
  if from and to then return russian.date(from) .. " – " .. russian.date(to) end
  if from then return "с " .. russian.date(from) end
  if to then return "до " .. russian.date(to) end
  return ""
end

-- The name under a signature line: "И.О. Фамилия" of a person or of a name as written.
function pc.signature_name(person_or_name)
  if person_or_name == nil or person_or_name == "" then return common.BLANK_NAME end
  if type(person_or_name) == "table" then return person_or_name.signature end
  local s = russian.initials(person_or_name)
  if s == "" then return common.BLANK_NAME end
  return s
end

-- A signature row of the view: what signs, the line, the name, the date line.
function pc.signature_row(label, name)
  return { label = label, line = common.SIGNATURE_LINE, name = name, date = common.BLANK_DATE }
end

-- The captions under the lines a signatory fills by hand.
pc.CAPTION_SIGNATURE, pc.CAPTION_NAME, pc.CAPTION_DATE = "(подпись)", "(расшифровка подписи)", "(дата)"
-- A line across a form's width, for what is written by hand.
pc.FULL_LINE = string.rep("_", 70)

local function caption_para(text)
  return { type = "para", align = "center", size = 9, runs = { { text = text, italic = true } } }
end

-- What the forms repeat from person to person, made once and shared by the tables that show
-- it (nothing changes a form's rows or cells once made: the layout and the templates only read
-- them): the row of a line to fill or of its caption, by its text (a consent's form is the same
-- legal text for every person of an organisation, but the line with the name), and the cells
-- of the captions under a signature row. Bounded as text.memo is.
-- (frozen, common.frozen: made here whole, every table inside new, and only read after)
local line_row = text.memo(function(s)
  return common.frozen({ cells = { { blocks = { common.para(s, { align = "left" }) } } } })
end, 512)
local caption_row = text.memo(function(s)
  return common.frozen({ cells = { { blocks = { caption_para(s) } } } })
end, 512)

local function bottom_cell(s, align, size)
  return { blocks = { common.name_para(s, { align = align, size = size }) }, valign = "bottom" }
end
-- (a person's name is the one cell of a signature row that is not the same in every form: the
-- same person signs several)
-- (these cells frozen, as the rows above)
local label_cell = text.memo(function(s) return common.frozen(bottom_cell(s, "left")) end, 256)
local line_cell = text.memo(function(s) return common.frozen(bottom_cell(s, "center")) end, 256)
local name_cell = text.memo(function(s) return common.frozen(bottom_cell(s, "center")) end, 256)
local date_cell = text.memo(function(s) return common.frozen(bottom_cell(s, "right", 11)) end, 256)

-- The cells of a signature row of texts, by its label and name (the line and the date are the
-- stock ones but in a form that gives its own): a plan's people sign every plan of theirs, the
-- curator every plan of the organisation. Shared, never changed (fit_columns marks rows, not
-- their cells). Bounded: emptied when full.
local row_cells, nrow_cells = {}, 0
local function signature_cells(label, line, name, date)
  local stock = line == common.SIGNATURE_LINE and date == common.BLANK_DATE
  local by_name = stock and row_cells[label]
  local cells = by_name and by_name[name]
  if cells then return cells end
  cells = { label_cell(label), line_cell(line), name_cell(name), date_cell(date) }
  if not stock then return cells end
  if nrow_cells >= 1024 then row_cells, nrow_cells, by_name = {}, 0, nil end
  if not by_name then by_name = {}; row_cells[label] = by_name end
  by_name[name], nrow_cells = cells, nrow_cells + 1
  return cells
end

local CAPTION_CELLS = {
  common.frozen({ blocks = { caption_para(" ") } }),
  common.frozen({ blocks = { caption_para(pc.CAPTION_SIGNATURE) } }),
  common.frozen({ blocks = { caption_para(pc.CAPTION_NAME) } }),
  common.frozen({ blocks = { caption_para(pc.CAPTION_DATE) } }),
}

-- The one-signer tables fitted before, by all they depend on: the text width and the row's
-- texts (fits[width][label][line][name][date]) (the size, the font and the words never hyphenated — the months: no organisation is
-- given — are the same for all). A person's consents sign alike (consent-data and
-- consent-publish: the same row at the same margins), and so do the minors' parents not named;
-- the fit is a layout of the table in C. Bounded: emptied when full.
local fits, nfits, FITS_MAX = {}, 0, 512
-- (the text width's part of the key, by the margins: a form's or GOST's)
local width_keys = setmetatable({}, { __mode = "k" })
local GOST = {}
local function width_key(margins)
  local k = width_keys[margins or GOST]
  if not k then
    k = tostring(common.text_width("portrait", margins))
    width_keys[margins or GOST] = k
  end
  return k
end

-- Signature rows as a borderless table: label, line, name, date, and under each line what is
-- written on it ("подпись", "расшифровка подписи", "дата"). The same value is the PDF's block
-- and the templates' {signature_block} (a table value): columns sized from their content (the
-- date blank never wraps) across the page's text width (margins: a form's, else GOST's), never
-- hyphenated, never split, never alone on a page.
function pc.signature_table(rows, margins)
  -- (a form's table of one signer is remembered: a plan's many rows are its own)
  local wk, label, line, name, date
  if #rows == 1 then
    local r = rows[1]
    label, line, name, date = r.label, r.line, r.name, r.date
    if type(label) == "string" and type(line) == "string" and type(name) == "string"
      and type(date) == "string" then
      -- (by each text in turn: the same strings every time, where one key joining them was a new
      -- long string made, hashed and compared in full for every form)
      wk = width_key(margins)
      local by = fits[wk]
      by = by and by[label]
      by = by and by[line]
      by = by and by[name]
      local fitted = by and by[date]
      if fitted then return fitted end
    end
  end
  local trows = {}
  for _, r in ipairs(rows) do
    local label, line, name, date = r.label, r.line, r.name, r.date
    -- (keep_together: a place for the field fit_columns may set, so that setting it does not
    -- grow the row)
    if type(label) == "string" and type(line) == "string" and type(name) == "string"
      and type(date) == "string" then
      trows[#trows + 1] = { cells = signature_cells(label, line, name, date), keep_together = nil }
    else
      trows[#trows + 1] = { cells = { bottom_cell(label, "left"), bottom_cell(line, "center"),
        bottom_cell(name, "center"), bottom_cell(date, "right", 11) }, keep_together = nil }
    end
    trows[#trows + 1] = { cells = CAPTION_CELLS, keep_together = nil }
  end
  local tbl = { type = "table", borders = false, size = 12, padding = 0.5, keep_together = true,
    keep_with_previous = common.SIGNATURE_KEEP,
    -- (each column with room for the width fit_columns sets: an empty table would grow for it)
    columns = { { width = nil }, { width = nil }, { width = nil }, { width = nil } }, rows = trows }
  common.fit_columns(tbl, { orientation = "portrait", margins = margins })
  if wk then
    -- (fitted, the table is done: frozen, its rows too, and shared by the forms the same
    -- person signs, whose C reads of it are then one)
    for _, row in ipairs(trows) do common.frozen(row) end
    if nfits >= FITS_MAX then fits, nfits = {}, 0 end
    local by = fits
    for _, k in ipairs({ wk, label, line, name }) do
      local next_by = by[k]
      if not next_by then next_by = {}; by[k] = next_by end
      by = next_by
    end
    by[date], nfits = common.frozen(tbl), nfits + 1
  end
  return tbl
end

-- The rows of one line of a form: the line's, and its caption's under it (nil without one).
-- (a line that is not a text, whatever it is, is not remembered)
function pc.line_rows(line)
  local t, caption = line.text, line.caption
  local row = type(t) == "string" and line_row(t) or { cells = { { blocks = { common.para(t, { align = "left" }) } } } }
  return row, caption and caption_row(caption) or nil
end

-- A form's table of rows (pc.line_rows'), as pc.form_table makes it.
function pc.form_of_rows(rows)
  return { type = "table", borders = false, size = 12, padding = 0.3, columns = { { weight = 1 } }, rows = rows }
end

-- A form's lines to fill, each with its caption under it:
--   { { text = "Я, Гусева Ольга Викторовна,", caption = "(фамилия, имя, отчество …)" }, … }
-- as a borderless table (the PDF's block and the templates' table value).
function pc.form_table(lines)
  local rows, n = {}, 0
  for _, line in ipairs(lines) do
    local row, caption = pc.line_rows(line)
    rows[n + 1] = row
    n = n + 1
    if caption then rows[n + 1], n = caption, n + 1 end
  end
  return pc.form_of_rows(rows)
end

-- A consent's paragraph by its indent and whether it keeps with what follows, by its text:
-- most are the same for every person of an organisation (shared as line_row's rows are).
local consent_para = {}
for _, indent in ipairs({ 0, 12.5 }) do
  consent_para[indent] = {}
  for _, keep in ipairs({ true, false }) do
    consent_para[indent][keep] = text.memo(function(s) -- (frozen, as the rows above)
      return common.frozen(common.para(s, { indent = indent, space_after = 3, keep_with_next = keep }))
    end, 256)
  end
end

-- (frozen: they go nowhere but into pc.consent_pdf's blocks)
local SIGNATURE_SPACE = common.frozen({ type = "space", height = 8 })
local consent_title = common.frozen_para_of({ align = "center", bold = true, size = 14, hyphenate = false })
local consent_subtitle = common.frozen_para_of({ align = "center", space_after = 8 })

-- The PDF of a consent (consent-data, consent-publish): title, subtitle, the lines to fill,
-- the paragraphs — after the i-th, what `after[i]` gives (a list of data, lines to fill), the
-- paragraph kept with it — and the signatures. `flush` says which paragraphs start flush left.
function pc.consent_pdf(view, after, flush)
  local blocks = { consent_title(view.title), consent_subtitle(view.subtitle), view.form }
  local n, indented, flush_left = 3, consent_para[12.5], consent_para[0]
  for i, text in ipairs(view.paragraphs) do
    local more = after[i]
    blocks[n + 1] = ((flush and flush[i]) and flush_left or indented)[more ~= nil](text)
    n = n + 1
    if more then blocks[n + 1], n = more, n + 1 end
  end
  blocks[n + 1], blocks[n + 2] = SIGNATURE_SPACE, view.signature_block
  -- A consent is one sheet a person signs: 12 pt and the narrowest margins, as forms are set,
  -- and the layout shrinks spacing (and the font by up to 1 pt) rather than put the signature
  -- on a second page.
  return common.document({ title = view.title, org = view.org, author = view.org.short_name,
    subject = view.person.name, size = 12, margins = common.FORM_MARGINS, fit = "one_page",
    shrink = view.fit, blocks = blocks })
end

-- A list of data (strings) as the bulleted list of a consent.
-- (made once per list: the consents of a kind share a few lists, an organisation's publishes
-- is one for all its consents; nothing changes a list once made)
pc.data_list = common.per_table(function(data)
  local items = {}
  for _, d in ipairs(data) do items[#items + 1] = { label = "–", level = 1, runs = { { text = d } } } end
  return common.frozen({ type = "list", ordered = false, items = items }) -- (as the rows above)
end)

-- A header cell and a plain cell of a layout table.
-- (their paragraphs shared, common.para_of; the cells are the caller's: a header cell may be
-- given a span)
local head_para = common.para_of({ align = "center", bold = true })
local cell_para = setmetatable({}, { __index = function(made, align)
  made[align] = common.para_of({ align = align })
  return made[align]
end })

function pc.head_cell(text)
  return { blocks = { head_para(text) }, valign = "middle" }
end

function pc.cell(text, align)
  return { blocks = { cell_para[align or "left"](text ~= "" and text or " ") } }
end

-- A cell of rich text (parsed blocks), aligned left.
-- (a paragraph not yet aligned left is copied to be; the others, lists and the shared paragraphs
-- of common.para_of made left, are shown as they are: nothing changes a block once made)
function pc.rich_cell(blocks)
  local out = {}
  for _, b in ipairs(blocks or {}) do
    if b.type == "para" and b.align ~= "left" then
      local copy = {}
      for k, v in pairs(b) do copy[k] = v end
      copy.align = "left"
      b = copy
    end
    out[#out + 1] = b
  end
  if #out == 0 then out[1] = { type = "para", runs = { { text = " " } } } end
  return { blocks = out }
end

-- Where a document is about: "в МБОУ «СШ № 1»" for an organisation, "в образовательных
-- организациях Сосновского муниципального округа" for a municipality.
function pc.where(org)
  if org.type == "municipality" then
    if org.name then return "в образовательных организациях " .. russian.post_in(org.name, "genitive") end
    return "в образовательных организациях " .. (org.short_name or "")
  end
  return "в " .. (org.short_name or org.name or "")
end

-- The period of a roadmap for a title: "на 2025–2026 учебный год" for an academic year
-- (1 September – 31 August), "на 2024–2025 годы" / "на 2021 год" for calendar years.
function pc.roadmap_period(rm)
  local p = rm and rm.period
  if not p then return rm and rm.year and ("на " .. rm.year) or nil end
  local y1, m1, d1 = dates.split(p.from)
  local y2, m2, d2 = dates.split(p.to)
  if m1 == 9 and d1 == 1 and m2 == 8 and d2 == 31 and y2 == y1 + 1 then
    return "на " .. russian.academic_year(p)
  end
  if m1 == 1 and d1 == 1 and m2 == 12 and d2 == 31 then
    if y1 == y2 then return "на " .. y1 .. " год" end
    return "на " .. y1 .. "–" .. y2 .. " годы"
  end
  return "на период с " .. russian.date(p.from) .. " по " .. russian.date(p.to)
end

return pc
