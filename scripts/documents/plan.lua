-- Document kind "plan": the personalised mentoring programme (individual plan) of one pair
-- or group, one document per pair: approved by the head («УТВЕРЖДАЮ»), the participants,
-- form, period, goal and tasks, the cycle of meetings (встреча-знакомство, пробная встреча,
-- встреча-планирование, рабочие встречи, итоговая встреча) with the dates the description
-- gives and empty date cells otherwise, the expected results and the signatures of the
-- mentor, the mentee (for a minor also the parent) and the curator.

local common = require "documents.common"
local pc = require "documents.participants-common"
local russian = require "nastavnik.russian"
local text = require "nastavnik.text"

local kind = { kind = "plan", title = "Персонализированная программа наставничества",
  folder = "Планы наставнических пар", file_name = "План", for_municipality = false,
  position = 60,
  says = { "УТВЕРЖДАЮ", "Наставник", "Встреча-знакомство" } }

-- Blank rows for working meetings a pair has not dated yet.
kind.BLANK_WORKING_MEETINGS = 3

-- What each family of forms works on, when the description gives no tasks of its own.
local FAMILY = {
  teacher_pupil = "pupil", pupil_pupil = "pupil", student_student = "pupil", teacher_student = "pupil",
  teacher_teacher = "educator", educator_educator = "educator",
  student_pupil = "career", employer_pupil = "career", employer_student = "career",
}

local TASKS = {
  pupil = {
    "выявить образовательные запросы и затруднения наставляемого, определить направления совместной работы;",
    "оказать наставляемому помощь в достижении образовательных результатов и раскрытии личностного потенциала;",
    "сформировать у наставляемого навыки самоорганизации и самостоятельной работы;",
    "подвести итоги работы и оценить достижение цели программы.",
  },
  educator = {
    "выявить профессиональные затруднения (дефициты) наставляемого и определить пути их преодоления;",
    "оказать наставляемому методическую помощь в планировании и проведении учебных занятий;",
    "способствовать адаптации наставляемого в коллективе и его профессиональному росту;",
    "подвести итоги работы и оценить достижение цели программы.",
  },
  career = {
    "сформировать у наставляемого представление о профессии, её требованиях и перспективах;",
    "развить практические навыки наставляемого при выполнении совместных задач;",
    "помочь наставляемому в осознанном выборе профессиональной траектории;",
    "подвести итоги работы и оценить достижение цели программы.",
  },
}

local RESULTS = {
  pupil = {
    "цель программы наставничества достигнута;",
    "повышены образовательные результаты и учебная мотивация наставляемого;",
    "наставляемый владеет навыками самоорганизации и самостоятельной работы;",
    "получены положительные отзывы участников о работе наставнической пары (группы).",
  },
  educator = {
    "цель программы наставничества достигнута;",
    "наставляемый преодолел выявленные профессиональные затруднения;",
    "наставляемый успешно адаптирован в коллективе, проведено открытое занятие (урок);",
    "получены положительные отзывы участников о работе наставнической пары (группы).",
  },
  career = {
    "цель программы наставничества достигнута;",
    "наставляемый имеет представление о профессии и требованиях работодателя;",
    "наставляемый определился с дальнейшей образовательной и профессиональной траекторией;",
    "получены положительные отзывы участников о работе наставнической пары (группы).",
  },
}

-- The cycle of meetings of the target model, with what each one is for.
local CYCLE = {
  { key = "intro", title = "Встреча-знакомство", content = "Знакомство наставника и наставляемого, "
    .. "обсуждение запросов, ожиданий и интересов наставляемого, правил взаимодействия" },
  { key = "trial", title = "Пробная встреча", content = "Первое совместное задание, определение "
    .. "комфортного формата и периодичности взаимодействия" },
  { key = "planning", title = "Встреча-планирование", content = "Уточнение цели и задач, составление "
    .. "плана работы на весь период, согласование графика встреч" },
  { key = "working", title = "Рабочая встреча", content = "Совместная работа по плану, обсуждение "
    .. "промежуточных результатов" },
  { key = "final", title = "Итоговая встреча", content = "Подведение итогов: анализ достижения цели, "
    .. "рефлексия, отзывы наставника и наставляемого" },
}
local CYCLE_BY_KEY = {}
for _, m in ipairs(CYCLE) do CYCLE_BY_KEY[m.key] = m end

-- Which step of the cycle a meeting of the description is, by its title.
local function step_of(title)
  local t = text.lower(title or "")
  if t:find("знакомств", 1, true) then return "intro" end
  if t:find("пробн", 1, true) then return "trial" end
  if t:find("планир", 1, true) then return "planning" end
  if t:find("итогов", 1, true) or t:find("заключ", 1, true) or t:find("заверш", 1, true) then return "final" end
  return "working"
end

-- The stock wording speaks of one mentor and one mentee; a group of several says it in the
-- plural.
local PLURAL_MENTEES = {
  { "наставляемый владеет", "наставляемые владеют" }, { "наставляемый преодолел", "наставляемые преодолели" },
  { "наставляемый успешно адаптирован", "наставляемые успешно адаптированы" },
  { "наставляемый имеет", "наставляемые имеют" }, { "наставляемый определился", "наставляемые определились" },
  -- "наставляемым" before "наставляемому" becomes it.
  { "наставляемым", "наставляемыми" }, { "наставляемого", "наставляемых" }, { "наставляемому", "наставляемым" },
}

local function agree(s, many_mentees, many_mentors, group)
  if many_mentees then
    for _, r in ipairs(PLURAL_MENTEES) do s = s:gsub(r[1], r[2]) end
  end
  if many_mentors then s = s:gsub("наставника", "наставников") end
  s = s:gsub("наставнической пары %(группы%)", group and "наставнической группы" or "наставнической пары")
  return s
end

-- The stock wordings (TASKS, RESULTS, the CYCLE's contents: the only texts agreed) as each of
-- the eight kinds of pair says them, agreed once: every plan of a region asks again, and each
-- agreement is up to ten scans of the text.
-- (the kind told once per plan, not once per wording)
local agreed = {}
for variant = 0, 7 do
  agreed[variant] = { said = {}, lists = {}, many_mentees = variant & 4 ~= 0, many_mentors = variant & 2 ~= 0,
    group = variant & 1 ~= 0 }
end

-- The agreed wordings of a pair's kind.
local function wordings(pair)
  return agreed[(#pair.mentees > 1 and 4 or 0) + (#pair.mentors > 1 and 2 or 0) + (pair.kind == "group" and 1 or 0)]
end

local function agree_with(kind_of, s)
  local said = kind_of.said[s]
  if not said then
    said = agree(s, kind_of.many_mentees, kind_of.many_mentors, kind_of.group)
    kind_of.said[s] = said
  end
  return said
end

local function agree_all(pair, lines)
  local out, kind_of = {}, wordings(pair)
  for i, line in ipairs(lines) do out[i] = agree_with(kind_of, line) end
  return out
end

local meetings_now

-- (a pair that dates none of its meetings has the stock cycle of its kind: made once for each
-- kind and shared by the views — nothing changes them)
local function meetings_of(pair)
  if pair.meetings and #pair.meetings > 0 then return meetings_now(pair) end
  local kind_of = wordings(pair)
  local rows = kind_of.meetings
  if not rows then
    rows = meetings_now(pair)
    kind_of.meetings = rows
  end
  return rows
end

meetings_now = function(pair)
  local given = { intro = {}, trial = {}, planning = {}, working = {}, final = {} }
  for _, m in ipairs(pair.meetings or {}) do
    local list = given[step_of(m.title)]
    list[#list + 1] = m
  end
  local rows, kind_of = {}, wordings(pair)
  local function add(step, m)
    local row = { title = m and m.title or step.title, content = agree_with(kind_of, step.content),
      date = m and m.date and russian.date(m.date) or "", note = m and m.note or nil, mark = "" }
    row.number = tostring(#rows + 1)
    rows[#rows + 1] = row
  end
  for _, key in ipairs({ "intro", "trial", "planning" }) do
    if #given[key] == 0 then add(CYCLE_BY_KEY[key]) end
    for _, m in ipairs(given[key]) do add(CYCLE_BY_KEY[key], m) end
  end
  if #given.working == 0 then
    for _ = 1, kind.BLANK_WORKING_MEETINGS do add(CYCLE_BY_KEY.working) end
  end
  for _, m in ipairs(given.working) do add(CYCLE_BY_KEY.working, m) end
  if #given.final == 0 then add(CYCLE_BY_KEY.final) end
  for _, m in ipairs(given.final) do add(CYCLE_BY_KEY.final, m) end
  return rows
end

local function people_view(list)
  local out = {}
  for _, p in ipairs(list) do
    out[#out + 1] = { name = p.full, short = p.short, role = pc.role(p), minor = p.minor or false }
  end
  return out
end

local function mentee_label(pair)
  if #pair.mentees > 1 then return "Наставляемые" end
  local m = pair.mentees[1]
  return m and m.gender == "ж" and "Наставляемая" or "Наставляемый"
end

-- "План пары № 3 — Иванова М.П. и Петров С.С."; a group names up to three people.
local function file_name_of(pair, i)
  local number = pair.number or tostring(i)
  local names = {}
  for _, m in ipairs(pair.mentors) do names[#names + 1] = m.short end
  for _, m in ipairs(pair.mentees) do names[#names + 1] = m.short end
  local who
  if pair.kind ~= "group" then
    who = table.concat(names, " и ")
  elseif #names <= 3 then
    who = table.concat(names, ", ")
  else
    who = names[1] .. " и др."
  end
  return (pair.kind == "group" and "План группы № " or "План пары № ") .. number .. " — " .. who
end

function kind.instances(model, options)
  local org = pc.organisation(model, options, "планы пар")
  if not org then return {} end
  return pc.instances(org.pairs or {}, options, file_name_of)
end

local function as_list(lines)
  local items = {}
  for _, line in ipairs(lines) do items[#items + 1] = { label = "•", level = 1, runs = { { text = line } } } end
  return { { type = "list", ordered = false, items = items } }
end

-- The stock tasks or results (TASKS[family], RESULTS[family]) as a list agreed with the pair's
-- kind, made once a process for each: every plan of a region prints one of them, and nothing
-- changes a view's blocks once made (kind.pdf puts them in the document as they are, or copies
-- them into a cell).
local function stock_list(pair, lines)
  local kind_of = wordings(pair)
  local list = kind_of.lists[lines]
  if not list then
    list = as_list(agree_all(pair, lines))
    list[1] = common.frozen(list[1]) -- (made here whole, only read: common.frozen)
    kind_of.lists[lines] = list
  end
  return list
end

-- The head's approval stamp of an organisation's plans, made once per organisation (the last
-- kept), and its block once per stamp (weak): every plan of it carries the same, and nothing
-- changes a stamp once made.
local stamp_org, stamp_made
local function head_stamp(org)
  if org ~= stamp_org then stamp_made, stamp_org = common.stamp_view(org), org end
  return stamp_made
end
local stamp_box = common.per_table(function(stamp)
  return common.frozen(common.stamp_block(stamp)) -- (made there whole, only read: common.frozen)
end)

-- The labels of a plan, by what its mentors and mentees are called: one table for each of the
-- handful, shared by the views (nothing changes them; a dozen fields and a list made per plan).
local labels_made = {}
local function labels_of(mentors, mentees)
  local by_mentees = labels_made[mentors]
  if not by_mentees then by_mentees = {}; labels_made[mentors] = by_mentees end
  local labels = by_mentees[mentees]
  if labels then return labels end
  labels = {
    participants = "Участники",
    mentors = mentors,
    mentees = mentees,
    form = "Форма наставничества",
    period = "Срок реализации",
    goal = "Цель",
    tasks = "Задачи",
    meetings = "План встреч",
    results = "Ожидаемые результаты",
    signatures = "Подписи участников",
    meeting_columns = { "№\u{a0}п/п", "Встреча", "Содержание", "Дата", "Отметка о проведении" },
  }
  by_mentees[mentees] = labels
  return labels
end

function kind.view(model, options)
  local org, err = pc.organisation(model, options, "планы пар")
  if not org then return nil, err end
  local pair, n = pc.pick(org.pairs or {}, options, "в описании нет наставнических пар (поле pairs)")
  if not pair then return nil, n end
  local missing = {}
  local group = pair.kind == "group"
  local number = pair.number or tostring(n)
  local family = FAMILY[pair.form and pair.form.id] or "pupil"
  local stamp
  if org.head then
    stamp = head_stamp(org)
  else
    stamp = { kind = "head", lines = { "УТВЕРЖДАЮ", "Руководитель " .. (org.short_name or ""),
      common.SIGNATURE_LINE .. " " .. common.BLANK_LINE, common.BLANK_DATE } }
    missing[#missing + 1] = "нет данных о руководителе (поле head): подпись в грифе «УТВЕРЖДАЮ» оставлена пустой"
  end
  local tasks = pair.tasks
  if not tasks or #tasks == 0 then
    tasks = stock_list(pair, TASKS[family])
    missing[#missing + 1] = string.format("%s № %s: задачи не указаны (поле tasks), напечатаны типовые задачи формы «%s»",
      group and "группа" or "пара", number, pair.form and pair.form.title or "")
  end
  local goal = pair.goal or {}
  if #goal == 0 then
    missing[#missing + 1] = string.format("%s № %s: цель не указана (поле goal), оставлена для заполнения от руки",
      group and "группа" or "пара", number)
  end
  local period = pc.period_words(pair.from, pair.to)
  if not period then
    missing[#missing + 1] = string.format("%s № %s: срок не указан (поля from, to)", group and "группа" or "пара", number)
  end
  local meetings = meetings_of(pair)
  for _, m in ipairs(meetings) do
    if m.date == "" then
      missing[#missing + 1] = string.format("%s № %s: даты встреч без даты в описании оставлены пустыми",
        group and "группа" or "пара", number)
      break
    end
  end

  -- Signatures: mentors, mentees (a minor's parent signs too), the curator.
  local signatures = {}
  local function sign(person, label)
    signatures[#signatures + 1] = pc.signature_row(label, person.signature)
    if person.minor then
      local parent_label = "Родитель (законный представитель) " .. pc.agree(person, "несовершеннолетнего", "несовершеннолетней")
        .. " " .. russian.short_in(person, "genitive")
      signatures[#signatures + 1] = pc.signature_row(parent_label, pc.signature_name(person.parent))
      if not person.parent then
        missing[#missing + 1] = "нет ФИО родителя " .. russian.short_in(person, "genitive")
          .. " (поле parent): оставлено для заполнения от руки"
      end
    end
  end
  for _, m in ipairs(pair.mentors) do sign(m, "Наставник") end
  for _, m in ipairs(pair.mentees) do sign(m, m.gender == "ж" and "Наставляемая" or "Наставляемый") end
  if org.curator then
    signatures[#signatures + 1] = pc.signature_row("Куратор", org.curator.signature)
  else
    signatures[#signatures + 1] = pc.signature_row("Куратор", common.BLANK_NAME)
    missing[#missing + 1] = "нет данных о кураторе (поле curator): подпись куратора оставлена для заполнения от руки"
  end

  return {
    org = common.org_view(org),
    stamp = stamp,
    title = "Персонализированная программа наставничества",
    subtitle = (group and "(индивидуальный план работы наставнической группы " or "(индивидуальный план работы наставнической пары ")
      .. russian.number(number) .. ")",
    number = number,
    kind = pair.kind,
    topic = pair.topic,
    topic_label = "Тема:",
    topic_line = pair.topic and ("Тема: " .. russian.quote(pair.topic)) or nil,
    labels = labels_of(#pair.mentors > 1 and "Наставники" or "Наставник", mentee_label(pair)),
    mentors = people_view(pair.mentors),
    mentees = people_view(pair.mentees),
    form = pair.form and russian.quote(pair.form.title) or "",
    period = period or ("с " .. common.BLANK_DATE .. " по " .. common.BLANK_DATE),
    period_short = pc.period_short(pair.from, pair.to),
    goal = goal,
    tasks = tasks,
    meetings = meetings,
    results = stock_list(pair, RESULTS[family]),
    signatures = signatures,
    signature_block = pc.signature_table(signatures),
    order = pair.formed_by and common.order_view(pair.formed_by) or nil,
    instance = { number = n, count = #org.pairs },
    missing = missing,
  }
end

-- (paragraphs every plan repeats, shared and frozen: they go nowhere but into kind.pdf's
-- blocks, common.frozen_para_of)
local left_para = common.frozen_para_of({ align = "left" })
local label_para = common.name_para_of({ align = "left", bold = true })
local title_para = common.frozen_para_of({ align = "center", bold = true, size = 16 })
local subtitle_para = common.frozen_para_of({ align = "center", space_after = 6 })
local topic_para = common.frozen_para_of({ align = "center", bold = true, space_after = 6 })
local meetings_para = common.frozen_para_of({ align = "center", bold = true, space_before = 12, space_after = 6,
  keep_with_next = true })
local note_para = common.frozen_para_of({ align = "left", italic = true })
local heading_para = common.frozen_para_of({ align = "left", bold = true, space_before = 12, keep_with_next = true })

-- The cells the plans repeat, frozen and shared (common.frozen: made here whole, only read
-- after; the C reads of each are kept from one plan to the next): a label's, a line's (the
-- form, the period, one person) by the text, a stock list's by the list (weak).
local label_cell = text.memo(function(s) return common.frozen({ blocks = { label_para(s) } }) end, 64)
local line_cell = text.memo(function(s) return common.frozen(pc.rich_cell({ left_para(s) })) end, 256)
local list_cell = common.per_table(function(blocks) return common.frozen(pc.rich_cell(blocks)) end)

local function person_line(p)
  local s = p.name
  if p.role ~= "" then s = s .. ", " .. p.role end
  return s
end

-- The people of a plan, one line each (a mentor leads several pairs: one person's cell shared).
local function people_cell(list)
  if #list == 1 then return line_cell(person_line(list[1])) end
  local blocks = {}
  for _, p in ipairs(list) do blocks[#blocks + 1] = left_para(person_line(p)) end
  return { blocks = blocks }
end

local function labelled(label, cell)
  return { cells = { label_cell(label), cell } }
end

-- The table of meetings, once per list of meetings (weak: the stock cycles of meetings_of are
-- shared by the plans of a kind, a pair's own goes with its view).
local meetings_tables = setmetatable({}, { __mode = "k" })
local function meetings_table(columns, meetings)
  local tbl = meetings_tables[meetings]
  if tbl then return tbl end
  local head = { cells = {} }
  for _, t in ipairs(columns) do head.cells[#head.cells + 1] = pc.head_cell(t) end
  local rows = { head }
  for _, m in ipairs(meetings) do
    local content = { left_para(m.content) }
    if m.note then content[2] = note_para(m.note) end
    rows[#rows + 1] = { cells = { pc.cell(m.number, "center"), pc.cell(m.title), { blocks = content },
      pc.cell(m.date, "center"), pc.cell(m.mark) } }
  end
  tbl = { type = "table", header_rows = 1, size = 12, rows = rows,
    columns = { {}, {}, {}, { width = 25 }, { width = 30 } } } -- from the content; room for dates and marks by hand
  tbl = common.frozen(tbl) -- (made here whole, only read: common.frozen)
  meetings_tables[meetings] = tbl
  return tbl
end

function kind.pdf(view)
  local l = view.labels
  local blocks = { stamp_box(view.stamp), { type = "space", height = 6 },
    title_para(view.title),
    subtitle_para(view.subtitle),
  }
  if view.topic_line then blocks[#blocks + 1] = topic_para(view.topic_line) end
  local goal = #view.goal > 0 and pc.rich_cell(view.goal) or line_cell(common.BLANK_LINE .. common.BLANK_LINE)
  blocks[#blocks + 1] = { type = "table", size = 12, columns = { { weight = 1 }, { weight = 3 } }, rows = {
    labelled(l.mentors, people_cell(view.mentors)),
    labelled(l.mentees, people_cell(view.mentees)),
    labelled(l.form, line_cell(view.form)),
    labelled(l.period, line_cell(view.period)),
    labelled(l.goal, goal),
    labelled(l.tasks, list_cell(view.tasks)),
  } }
  blocks[#blocks + 1] = meetings_para(l.meetings)
  blocks[#blocks + 1] = meetings_table(l.meeting_columns, view.meetings)
  blocks[#blocks + 1] = heading_para(l.results)
  for _, b in ipairs(view.results) do blocks[#blocks + 1] = b end
  blocks[#blocks + 1] = heading_para(l.signatures .. ":")
  blocks[#blocks + 1] = view.signature_block
  return common.document({ title = view.title .. " " .. view.subtitle, org = view.org, author = view.org.short_name,
    subject = view.topic, blocks = blocks })
end

kind.meetings_of = meetings_of
return kind
