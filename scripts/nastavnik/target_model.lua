-- The roadmap checked against the target model of mentoring: the methodology approved by
-- распоряжение Минпросвещения России от 25.12.2019 № Р-145 («Методология (целевая модель)
-- наставничества обучающихся …») and the methodological recommendations sent with it
-- (письмо Минпросвещения России от 23.01.2020 № МР-42/02). The methodology runs a programme
-- of mentoring in seven stages — preparing the conditions, the base of mentees, the base of
-- mentors, selecting and training mentors, forming pairs and groups, the pairs' work,
-- completing the programme — with a curator who answers for it and monitoring of its results.
--
-- RULES below is the whole of what is checked; a methodologist reads and extends it without
-- reading the code. Each stage has:
--   id, title      how warnings name it
--   cites          where the methodology says it
--   words          how roadmaps say it: a list of phrases, each a list of stems that must all
--                  stand in one paragraph of an item (or in a stage's title). "a|b" is either
--                  stem; a stem matches the start of a word («наставник» finds «наставников»,
--                  not «наставнических»); a stem ending in "$" is a whole word («пар$»
--                  finds «пар», not «партнёр»). Stems, not the samples' phrases: other
--                  schools write «банк наставников», «реестр наставляемых», «закрепление пар».
--   hint           what to add when the stage is missing
--   or_order       a description's order of this kind (order { kind = … }) does it too
--   or_field       a field of the organisation (curator = …) does it too
--   actions        required actions inside the stage, each { id, title, words, hint, or_order }
-- ORDER lists the stages the methodology puts before others: a roadmap whose later stage is
-- wholly done before the earlier one starts (pairs formed before the base of mentors) is
-- warned about.
--
-- The matching reads an item's title and content (not its expected result: «Сформированы
-- пары» in the result column of another item says nothing of when pairs are formed).

local richtext = require "nastavnik.richtext"
local text = require "nastavnik.text"
local dates = require "nastavnik.dates"
local russian = require "nastavnik.russian"

local target_model = {}

local METHODOLOGY = "Методология (целевая модель) наставничества, распоряжение Минпросвещения России от 25.12.2019 № Р-145"
target_model.METHODOLOGY = METHODOLOGY

local RULES = {
  {
    id = "conditions", title = "Подготовка условий для запуска программы наставничества",
    cites = "Р-145, «Этапы реализации программы наставничества», этап 1",
    words = {
      { "подготовк", "услови" }, { "нормативн", "акт|баз|документ|регулировани|обеспечени" },
      { "распорядительн", "акт" }, { "локальн", "акт" }, { "положени$|положения$|положений$", "наставничеств" },
      { "дорожн", "карт" },
    },
    or_order = "regulation",
    hint = "пункт о подготовке условий: нормативные акты, Положение, дорожная карта",
    actions = {
      {
        id = "regulation", title = "утверждение Положения о наставничестве (о программе наставничества)",
        cites = "Р-145, «Этапы реализации программы наставничества», этап 1; МР-42/02: Положение о программе наставничества",
        words = { { "положени$|положения$|положений$|положение$", "наставничеств|программ" } },
        or_order = "regulation",
        hint = "пункт «Разработка и утверждение Положения о наставничестве» или приказ вида regulation в orders",
      },
    },
  },
  {
    id = "curator", title = "Назначение куратора",
    cites = "Р-145, «Роли и функции»: куратор — сотрудник организации, который отвечает за организацию программы наставничества",
    words = {
      { "назначени|назначить|определени|утверждени", "куратор" },
      { "определени|назначени", "ответственн" },
    },
    or_order = "curator", or_field = "curator",
    hint = "пункт о назначении куратора, приказ вида curator в orders или поле curator",
  },
  {
    id = "mentees", title = "Формирование базы наставляемых",
    cites = "Р-145, «Этапы реализации программы наставничества», этап 2",
    words = {
      { "баз|банк|реестр|перечн|список|списк", "наставляем" },
      { "потенциальн", "наставляем" }, { "выявлени|сбор", "запрос|наставляем|затруднени|дефицит" },
    },
    hint = "пункт о формировании базы (банка) наставляемых: выявление запросов, анкетирование",
  },
  {
    id = "mentors", title = "Формирование базы наставников",
    cites = "Р-145, «Этапы реализации программы наставничества», этап 3",
    words = {
      { "баз|банк|реестр|перечн|список|списк", "наставник" },
      { "потенциальн", "наставник" }, { "анкетировани|анкет", "наставник" },
    },
    hint = "пункт о формировании базы (банка) наставников: информирование, анкетирование потенциальных наставников",
  },
  {
    id = "training", title = "Отбор и обучение наставников",
    cites = "Р-145, «Этапы реализации программы наставничества», этап 4",
    words = {
      { "обучени|обучить|подготовк|школ", "наставник" }, { "обучающ", "семинар|сесси|курс" },
      { "отбор|выдвижени|выбор", "наставник" }, { "профессиональн", "образовани", "наставник" },
      { "повышени", "квалификаци", "наставник" }, { "внутрикорпоративн", "обучени" }, { "установочн", "сесси" },
    },
    hint = "пункт об отборе и обучении наставников (семинар, курсы, «школа наставника»)",
  },
  {
    id = "pairs", title = "Формирование наставнических пар (групп)",
    cites = "Р-145, «Этапы реализации программы наставничества», этап 5",
    words = {
      { "формировани|формирование$|сформировать|закреплени|закрепить|утверждени|подбор|создани",
        "пар$|пары$|пара$|парам$|групп" },
    },
    hint = "пункт «Формирование наставнических пар (групп)» со сроком",
  },
  {
    id = "work", title = "Организация работы наставнических пар (групп)",
    cites = "Р-145, «Этапы реализации программы наставничества», этап 6",
    words = {
      { "работ|деятельност|взаимодействи", "пар$|пары$|групп" },
      { "встреч", "наставник|наставляем|пар$|пары$" }, { "встреча-знакомство|встреча-планирование|пробн" },
      { "реализаци", "индивидуальн|персонализированн", "план|программ" },
      -- «Реализация программ наставничества», not «мониторинг реализации программ»
      { "реализация$", "программ|план" }, { "осуществлени", "работ" },
    },
    hint = "пункт об организации работы пар: встреча-знакомство, пробная встреча, встреча-планирование, совместная работа",
  },
  {
    id = "completion", title = "Завершение программы наставничества",
    cites = "Р-145, «Этапы реализации программы наставничества», этап 7",
    words = {
      { "завершени|завершить", "наставничеств|программ" }, { "итогов|заключительн", "встреч|мероприяти|конференц|круглого|стол" },
      { "подведени", "итог" }, { "рефлекси" },
    },
    hint = "пункт о завершении программы: итоговая встреча, подведение итогов",
    actions = {
      {
        id = "evaluation", title = "оценка результатов программы",
        cites = "Р-145, «Мониторинг и оценка результатов реализации программ наставничества»",
        words = {
          { "оценк|мониторинг|анализ", "качеств|результат|эффективност|программ|реализаци" },
          { "анкетировани", "участник" },
        },
        hint = "пункт об оценке результатов программы (мониторинг качества, анкетирование участников)",
      },
      {
        id = "best_practices", title = "выявление и распространение лучших практик",
        cites = "Р-145, «Этапы реализации программы наставничества», этап 7: популяризация лучших практик",
        words = {
          { "лучш", "практик" }, { "методическ", "копилк" }, { "популяризаци" },
          { "распространени|обобщени|представлени", "опыт|практик" },
        },
        hint = "пункт о выявлении и распространении лучших практик наставничества",
      },
    },
  },
  {
    id = "monitoring", title = "Мониторинг реализации программы",
    cites = "Р-145, «Мониторинг и оценка результатов реализации программ наставничества»",
    words = { { "мониторинг" }, { "контрол", "реализаци|внедрени" }, { "диагностик" } },
    hint = "пункт о мониторинге реализации программы наставничества",
  },
}

-- Stages the methodology puts before others: { earlier, later }.
local ORDER = {
  { "mentors", "pairs" },
  { "mentees", "pairs" },
  { "training", "pairs" },
  { "pairs", "work" },
  { "work", "completion" },
}

target_model.RULES = RULES
target_model.ORDER = ORDER

------------------------------------------------------------------------------------------
-- Matching

local function normalise(s)
  return (text.plain_dashes(text.plain_spaces(text.lower(s))):gsub("ё", "е"))
end

-- The bytes a word is made of: Latin letters, digits and every byte of a Cyrillic letter.
local IN_WORD = {}
for b = 0, 255 do IN_WORD[b] = b >= 128 or string.char(b):match("%w") ~= nil end

-- Does one alternative ("наставник", "пар$") start a word in s?
local function stem_in(s, alternative)
  local stem, whole = alternative.stem, alternative.whole
  local at = 1
  while true do
    local i, j = s:find(stem, at, true)
    if not i then return false end
    -- a word starts after a byte that is not part of a word (a Cyrillic letter's bytes are)
    local starts = i == 1 or not IN_WORD[s:byte(i - 1)]
    local ends = not whole or j == #s or not IN_WORD[s:byte(j + 1)]
    if starts and ends then return true end
    at = i + 1
  end
end

-- The rules' words made ready once: each element of a phrase a list of { stem =, whole = }.
local prepared = setmetatable({}, { __mode = "k" })
local function prepare(words)
  local ready = prepared[words]
  if ready then return ready end
  ready = {}
  for k, phrase in ipairs(words) do
    local elements = {}
    for e, element in ipairs(phrase) do
      local alternatives = {}
      for alt in element:gmatch("[^|]+") do
        local whole = alt:sub(-1) == "$"
        alternatives[#alternatives + 1] = { stem = whole and alt:sub(1, -2) or alt, whole = whole, key = alt }
      end
      elements[e] = alternatives
    end
    ready[k] = elements
  end
  prepared[words] = ready
  return ready
end

-- Whether a paragraph says a rule's words, per rule (the words' table): a region's schools
-- share the paragraphs of one template, so each answer is kept for the next school. Bounded
-- like text.memo; a paragraph's answers are a few booleans.
local says = text.memo(function() return {} end, 2000)

-- `stems` keeps, per paragraph, which alternatives it was found to hold: the rules ask for
-- «наставник» or «пар$» again and again. One organisation's check keeps it.
local function phrase_in(s, elements, stems)
  local known = stems[s]
  if not known then
    known = {}
    stems[s] = known
  end
  for _, alternatives in ipairs(elements) do
    local any = false
    for _, alt in ipairs(alternatives) do
      local yes = known[alt.key]
      if yes == nil then
        yes = stem_in(s, alt)
        known[alt.key] = yes
      end
      if yes then any = true break end
    end
    if not any then return false end
  end
  return true
end

local function matches(paragraphs, words, stems)
  for _, p in ipairs(paragraphs) do
    local answers = says(p)
    local yes = answers[words]
    if yes == nil then
      yes = false
      for _, phrase in ipairs(prepare(words)) do
        if phrase_in(p, phrase, stems) then yes = true break end
      end
      answers[words] = yes
    end
    if yes then return true end
  end
  return false
end

-- The paragraphs of a text (richtext.plain's lines), normalised: remembered, as a region's
-- schools write the cells of one template.
local normalised_lines = text.memo(function(plain)
  local lines = {}
  for line in (plain .. "\n"):gmatch("([^\n]*)\n") do
    if line ~= "" then lines[#lines + 1] = normalise(line) end
  end
  return lines
end, 2000)

-- Whether one of `lines` (normalised_lines's list of a text) says a rule's words: remembered
-- per list, which every unit with that text shares (a region's schools write the cells of
-- one template: a rule's answer is then one lookup, not one per paragraph).
local said = setmetatable({}, { __mode = "k" })
local function lines_say(lines, words, stems)
  local answers = said[lines]
  if not answers then
    answers = {}
    said[lines] = answers
  end
  local yes = answers[words]
  if yes == nil then
    yes = matches(lines, words, stems)
    answers[words] = yes
  end
  return yes
end

-- The paragraphs of a rich-text field, normalised, as its print form says them, added to
-- `into` as one list: `print` is russian.nbsp for a field not yet in print form
-- (target_model.view), nil for one that is.
local function paragraphs_of(value, into, print)
  if not value then return end
  into[#into + 1] = normalised_lines(richtext.plain(value, print))
end

-- The roadmap as units to match: every item or row with its paragraphs (`texts`: a list per
-- text, of its paragraphs), deadline and line, and every stage title with the deadlines of
-- its items.
local function units_of(rm, print)
  local units = {}
  local function add_item(item, stage_unit)
    local base = {}
    paragraphs_of(item.title, base, print)
    local function unit(source, extra)
      local texts = {}
      for _, t in ipairs(base) do texts[#texts + 1] = t end
      paragraphs_of(extra and extra.title, texts, print)
      paragraphs_of(extra and extra.content or source.content, texts, print)
      for _, key in ipairs(rm.columns or {}) do
        if key.free then paragraphs_of(source.free and source.free[key.key], texts, print) end
      end
      local u = { texts = texts, due = source.due, file = source.__file, line = source.__line,
        number = print and item.number and print(item.number) or item.number }
      units[#units + 1] = u
      if stage_unit then stage_unit.members[#stage_unit.members + 1] = u end
    end
    if #item.rows > 0 then
      for _, r in ipairs(item.rows) do unit(r, r) end
    else
      unit(item)
    end
    for _, child in ipairs(item.items) do add_item(child, stage_unit) end
  end
  for _, stage in ipairs(rm.stages) do
    local stage_unit
    if stage.title then
      stage_unit = { texts = {}, members = {}, file = stage.__file, line = stage.__line, stage = true }
      paragraphs_of(stage.title, stage_unit.texts, print)
      units[#units + 1] = stage_unit
    end
    for _, item in ipairs(stage.items) do add_item(item, stage_unit) end
  end
  return units
end

-- The earliest start and the latest end of the readable deadlines of the units.
local function span(list)
  local from, to
  local function take(u)
    local d = u.due
    if d and d.from and d.to and (d.how == "dates" or d.how == "months") then
      if not from or d.from < from then from = d.from end
      if not to or d.to > to then to = d.to end
    end
  end
  for _, u in ipairs(list) do
    for _, m in ipairs(u.stage and u.members or { u }) do take(m) end
  end
  return from, to
end

local function has_order(org, kind)
  for _, o in ipairs(org.orders or {}) do
    if o.kind == kind then return true end
  end
  return false
end

local function done_elsewhere(org, rule)
  local field = rule.or_field and org[rule.or_field]
  return (rule.or_order and has_order(org, rule.or_order)) or (field ~= nil and (type(field) ~= "table" or next(field) ~= nil))
end

local function first_line(list)
  for _, u in ipairs(list) do
    if not u.stage then return u.file, u.line, u.number end
  end
  return list[1].file, list[1].line
end

-- Every rule's and action's words, in the order check asks them.
local ALL_WORDS = {}
for _, rule in ipairs(RULES) do
  ALL_WORDS[#ALL_WORDS + 1] = rule.words
  for _, action in ipairs(rule.actions or {}) do ALL_WORDS[#ALL_WORDS + 1] = action.words end
end

-- Which of ALL_WORDS a text's lines say (their numbers, in order): the answers do not depend
-- on the organisation, and a region's schools share the lines of one template.
local said_all = setmetatable({}, { __mode = "k" })
local function words_said(lines, stems)
  local list = said_all[lines]
  if not list then
    list = {}
    for k = 1, #ALL_WORDS do
      if lines_say(lines, ALL_WORDS[k], stems) then list[#list + 1] = k end
    end
    said_all[lines] = list
  end
  return list
end

-- The units each of ALL_WORDS finds (lists[k], each unit once, in order), in one walk over the
-- units, not one a rule. A stage title that matches brings its items' deadlines (span).
local function found_all(units, stems)
  local lists, met = {}, {}
  for k = 1, #ALL_WORDS do lists[k] = {} end
  for _, u in ipairs(units) do
    for _, lines in ipairs(u.texts) do
      local said = words_said(lines, stems)
      for i = 1, #said do
        local k = said[i]
        if met[k] ~= u then
          met[k] = u
          local list = lists[k]
          list[#list + 1] = u
        end
      end
    end
  end
  return lists
end

-- The metatable of target_model.view's fields.
local VIEW = {}

-- Warnings about one organisation's (or municipality's) roadmap:
-- { file =, line =, message = } in the order of the rules.
function target_model.check(org)
  local rm = org.roadmap
  if not rm then return {} end
  -- (the texts warnings quote or match, in print form: see target_model.view)
  local print = getmetatable(org) == VIEW and russian.nbsp or nil
  local warnings = {}
  local function warn(file, line, fmt, ...)
    warnings[#warnings + 1] = { file = file or rm.__file, line = line or rm.__line or 0,
      message = "целевая модель: " .. string.format(fmt, ...) }
  end
  local units = units_of(rm, print)
  local stems = {}
  local by_id = {}
  local lists, k = found_all(units, stems), 0
  for _, rule in ipairs(RULES) do
    k = k + 1
    local list = lists[k]
    by_id[rule.id] = list
    if #list == 0 and not done_elsewhere(org, rule) then
      warn(rm.__file, rm.__line, "в дорожной карте нет этапа «%s» — добавьте %s [%s]", rule.title, rule.hint, rule.cites)
    end
    for _, action in ipairs(rule.actions or {}) do
      k = k + 1
      if #lists[k] == 0 and not done_elsewhere(org, action) then
        warn(rm.__file, rm.__line, "в дорожной карте нет обязательного действия этапа «%s»: %s — добавьте %s [%s]",
          rule.title, action.title, action.hint, action.cites)
      end
    end
  end
  local title_of = {}
  for _, rule in ipairs(RULES) do title_of[rule.id] = rule.title end
  for _, pair in ipairs(ORDER) do
    local earlier, later = by_id[pair[1]], by_id[pair[2]]
    if #earlier > 0 and #later > 0 then
      local e_from = span(earlier)
      local _, l_to = span(later)
      if e_from and l_to and l_to < e_from then
        local file, line, number = first_line(later)
        warn(file, line, "%s«%s» (срок до %s) стоит раньше, чем «%s» (с %s), а по методологии — после [%s]",
          number and ("пункт " .. number:gsub("%.$", "") .. ": ") or "", title_of[pair[2]], dates.format(l_to), title_of[pair[1]],
          dates.format(e_from), "Р-145, «Этапы реализации программы наставничества»")
      end
    end
  end
  return warnings
end

-- The fields of an organisation check_subject reads: its roadmap, its orders (has_order),
-- its short name (the warnings' prefix) and those the rules' or_field name. `check` gives
-- only these (target_model.view), not the whole organisation in print form.
target_model.READS = { "roadmap", "orders", "short_name" }
local READ = { roadmap = true, orders = true, short_name = true }
for _, rule in ipairs(RULES) do
  for _, r in ipairs({ rule, table.unpack(rule.actions or {}) }) do
    if r.or_field and not READ[r.or_field] then
      READ[r.or_field] = true
      target_model.READS[#target_model.READS + 1] = r.or_field
    end
  end
end

-- `fields`, those of READS of an organisation as validated (not in print form), as
-- check_subject's subject. A field not in READS is an error, not a nil: a rule that reads a
-- new field must say so there, or `check` would judge an organisation by less than it has.
-- The warnings are the same as of the organisation in print form: check puts in print form
-- only the few texts it reads (the paragraphs it matches, an item's number, the short name),
-- not the whole roadmap — that walk was a fifth of checking an organisation of a region.
VIEW.__index = function(_, k)
  if not READ[k] then error("target_model: the field «" .. tostring(k) .. "» is read but not in target_model.READS", 2) end
end
function target_model.view(fields)
  return setmetatable(fields, VIEW)
end

-- Warnings about the roadmap of `subject`, one of the municipality `m`'s organisations or
-- `m` itself (or a school: m = subject); an organisation's messages start with its name.
function target_model.check_subject(subject, m)
  local warnings = target_model.check(subject)
  if m.type == "municipality" and subject ~= m then
    local name = subject.short_name
    if name and getmetatable(subject) == VIEW then name = russian.nbsp(name) end
    for _, w in ipairs(warnings) do w.message = (name or "") .. ": " .. w.message end
  end
  return warnings
end

-- Warnings about every roadmap of a description (a municipality's and its organisations').
function target_model.check_model(m)
  local all = {}
  local subjects = { m }
  if m.type == "municipality" then
    for _, org in ipairs(m.organisations) do subjects[#subjects + 1] = org end
  end
  for _, org in ipairs(subjects) do
    for _, w in ipairs(target_model.check_subject(org, m)) do all[#all + 1] = w end
  end
  return all
end

return target_model
