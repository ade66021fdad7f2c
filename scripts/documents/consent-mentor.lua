-- Document kind "consent-mentor": a mentor's written consent to take on mentoring, one per
-- mentor of the organisation's pairs. An employee consents to the additional duties of
-- mentoring (the pairs are fixed by order "с письменного согласия"); a pupil or a student
-- consents to take part as a mentor; for a minor the parent (legal representative) consents.

local common = require "documents.common"
local pc = require "documents.participants-common"
local russian = require "nastavnik.russian"

local kind = { kind = "consent-mentor", title = "Согласие на осуществление наставнической деятельности",
  folder = "Согласия", file_name = "Согласие наставника", for_municipality = false,
  position = 75,
  says = { "согласие" } }

local LONG_LINE = "____________________________________________"

local function file_name_of(entry)
  return "Согласие наставника — " .. entry.person.short
end

local function mentors(org) return pc.participants(org, "mentor") end

function kind.instances(model, options)
  local org = pc.organisation(model, options, "согласия наставников")
  if not org then return {} end
  return pc.instances(mentors(org), options, file_name_of)
end

-- "наставляемого Кузнецова Артёма Сергеевича, обучающегося 7 «А» класса" (genitive, after
-- "в отношении"), for one pair or group.
local function mentees_genitive(pair)
  local parts = {}
  for _, m in ipairs(pair.mentees) do
    local role = pc.role(m, "genitive")
    parts[#parts + 1] = russian.full_in(m, "genitive") .. (role ~= "" and (" (" .. role .. ")") or "")
  end
  local word = #pair.mentees > 1 and "наставляемых " or "наставляемого "
  if #pair.mentees == 1 and pair.mentees[1].gender == "ж" then word = "наставляемой " end
  return word .. table.concat(parts, ", ")
end

-- One line per pair the mentor leads: whom, in which form, for how long.
local function assignments(entry)
  local out = {}
  for _, pair in ipairs(entry.pairs) do
    local s = mentees_genitive(pair)
    if pair.form then s = s .. " в форме наставничества " .. russian.quote(pair.form.title) end
    local period = pc.period_words(pair.from, pair.to)
    if period then s = s .. " на период " .. period end
    out[#out + 1] = { text = s, topic = pair.topic, form = pair.form and pair.form.title or "",
      period = pc.period_short(pair.from, pair.to), number = pair.number }
  end
  return out
end

-- The duties the mentor takes on, agreeing with whom the mentor leads: one mentee (his or her
-- honour), several (theirs, in a group or in several pairs), one programme or several.
local duties_made = {}
function kind.duties(entry)
  local mentees, seen = {}, {}
  for _, pair in ipairs(entry.pairs) do
    for _, m in ipairs(pair.mentees) do
      if not seen[m] then seen[m] = true; mentees[#mentees + 1] = m end
    end
  end
  local many = #mentees ~= 1
  local she = not many and mentees[1].gender == "ж"
  local with = many and "наставляемыми" or (she and "наставляемой" or "наставляемым")
  local to = many and "наставляемым" or (she and "наставляемой" or "наставляемому")
  local whose = many and "их" or (she and "её" or "его")
  local programmes = #entry.pairs > 1
  local whose_plan = programmes and "пар (групп);"
    or (entry.pairs[1] and entry.pairs[1].kind == "group" and "группы;" or "пары;")
  -- (a handful of variants, each made once and shared by the views: nothing changes them; by
  -- the number of the variant: with, to and whose go with many and she, whose_plan with
  -- programmes and the pair's kind)
  local key = (many and 0 or (she and 3 or 6)) + (programmes and 1 or (whose_plan == "группы;" and 2 or 3))
  local made = duties_made[key]
  if made then return made end
  made = {
    "разработать совместно с " .. with .. (programmes and " персонализированные программы наставничества "
      .. "(индивидуальные планы) и выполнять их;" or " персонализированную программу наставничества "
      .. "(индивидуальный план) и выполнять её;"),
    "проводить встречи с " .. with .. " в соответствии с планом работы " .. whose_plan,
    "оказывать " .. to .. " помощь в достижении целей программы, не допуская действий, унижающих " .. whose
      .. " честь и достоинство;",
    "участвовать в мониторинге реализации программы наставничества и представлять куратору сведения о её результатах.",
  }
  duties_made[key] = made
  return made
end

-- To whom the consent is addressed: the head, in the dative. Made once per organisation (the
-- last kept), shared by its mentors' consents.
local addressed_org, addressed
local function addressee_lines(org, short)
  if org ~= addressed_org then
    addressed = { (org.head and russian.capitalise(russian.post_in(org.head.post or "руководитель", "dative"))
      or "Руководителю") .. " " .. short, org.head and russian.short_in(org.head, "dative") or common.BLANK_LINE }
    addressed_org = org
  end
  return addressed
end

-- The paragraph on the regulation, made once per organisation (the last kept: its name, its
-- regulation and the order approving it) and per who has read it — a minor's parent and child,
-- or the mentor, by gender: every mentor's consent of the organisation says it.
local reading_org, reading
local function regulation_paragraph(org, short, person, minor)
  if org ~= reading_org then
    local regulation = common.order_of_kind(org, "regulation")
    local regulation_text = "Положением о системе наставничества в " .. short
    if regulation then
      regulation_text = regulation_text .. ", утверждённым приказом " .. common.order_reference(common.order_view(regulation))
    end
    local function read_by(who_reads) return who_reads .. " с " .. regulation_text .. ", правами и обязанностями наставника." end
    reading = { minor = read_by("Я и мой ребёнок ознакомлены"),
      adult = pc.by_gender(function(p) return read_by("Я " .. pc.short_participle(p, "ознакомлен")) end) }
    reading_org = org
  end
  return minor and reading.minor or reading.adult(person)
end

function kind.view(model, options)
  local org, err = pc.organisation(model, options, "согласия наставников")
  if not org then return nil, err end
  local list = mentors(org)
  local entry, n = pc.pick(list, options, "в описании нет наставнических пар (поле pairs): нет наставников")
  if not entry then return nil, n end
  local person = entry.person
  local short = org.short_name or org.name
  local minor = person.minor and true or false
  local staff = pc.is_staff(person)
  local role = pc.role(person)
  local missing = {}
  local jobs = assignments(entry)
  local whom = {}
  for _, j in ipairs(jobs) do whom[#whom + 1] = j.text end
  local whom_text = table.concat(whom, "; ")
  -- A period ends with "г.": the sentence's full stop is not doubled.
  if whom_text:byte(-1) == 46 then whom_text = whom_text:sub(1, -2) end

  local body, signer, label
  if minor then
    signer = person.parent and pc.signature_name(person.parent) or common.BLANK_NAME
    label = "Родитель (законный представитель)"
    if not person.parent then
      missing[#missing + 1] = "нет ФИО родителя " .. russian.short_in(person, "genitive")
        .. " (поле parent): оставлено для заполнения от руки"
    end
    body = "Я, " .. (person.parent or (LONG_LINE .. " (фамилия, имя, отчество родителя (законного представителя))"))
      .. ", являясь законным представителем " .. pc.agree(person, "несовершеннолетнего", "несовершеннолетней")
      .. " " .. russian.full_in(person, "genitive") .. (role ~= "" and (", " .. pc.role(person, "genitive")) or "")
      .. ", даю согласие на " .. pc.agree(person, "его", "её") .. " участие в программе наставничества в " .. short
      .. " в качестве наставника в отношении " .. whom_text .. "."
  elseif staff then
    signer = person.signature
    label = "Наставник"
    body = "Я, " .. person.full .. (role ~= "" and (", " .. role) or "") .. ", даю согласие на возложение на меня "
      .. "дополнительных обязанностей, связанных с наставнической деятельностью в рамках реализации целевой "
      .. "модели наставничества в " .. short .. ", и на закрепление за мной " .. whom_text .. "."
  else
    signer = person.signature
    label = "Наставник"
    body = "Я, " .. person.full .. (role ~= "" and (", " .. role) or "") .. ", даю согласие на участие в программе "
      .. "наставничества в " .. short .. " в качестве наставника в отношении " .. whom_text .. "."
  end
  local paragraphs = { body, regulation_paragraph(org, short, person, minor) }
  local closing = minor and "Наставник обязуется:" or "Обязуюсь:"
  -- (the sizes at which it fits one page: the PDF's and the templates')
  return common.fit_one_page({
    org = common.org_view(org),
    addressee_lines = addressee_lines(org, short),
    title = "Согласие",
    subtitle = minor and "законного представителя на участие несовершеннолетнего в программе наставничества в качестве наставника"
      or (staff and "на осуществление наставнической деятельности" or "на участие в программе наставничества в качестве наставника"),
    person = { name = person.full, short = person.short, role = role, minor = minor, staff = staff },
    assignments = jobs,
    paragraphs = paragraphs,
    duties_title = closing,
    duties = kind.duties(entry),
    signature = { label = label, line = common.SIGNATURE_LINE, name = signer, date = common.BLANK_DATE },
    signature_block = pc.signature_table({ { label = label, line = common.SIGNATURE_LINE, name = signer,
      date = common.BLANK_DATE } }),
    instance = { number = n, count = #list },
    missing = missing,
  }, kind.pdf)
end

-- (the paragraphs every mentor's consent of an organisation repeats, shared and frozen: they go
-- nowhere but into kind.pdf's blocks, common.frozen_para_of)
local addressee_para = common.frozen_para_of({ align = "left" })
local title_para = common.frozen_para_of({ align = "center", bold = true, size = 14 })
local subtitle_para = common.frozen_para_of({ align = "center", space_after = 12 })
local duties_para = common.frozen_para_of({ indent = 12.5, keep_with_next = true })
local closing_para = common.frozen_para_of({ indent = 12.5, space_before = 3 })

-- The addressee's box, once per organisation's lines (weak), and the spaces every consent has:
-- frozen (made here whole, only read after; common.frozen), their C reads kept from one consent
-- to the next.
local addressee_box = common.per_table(function(lines)
  local addr = {}
  for _, line in ipairs(lines) do addr[#addr + 1] = addressee_para(line) end
  return common.frozen({ type = "box", width = 80, align = "right", blocks = addr })
end)
local SPACE_10 = common.frozen({ type = "space", height = 10 })
local SPACE_8 = common.frozen({ type = "space", height = 8 })

function kind.pdf(view)
  local blocks = {}
  blocks[1] = addressee_box(view.addressee_lines)
  blocks[#blocks + 1] = SPACE_10
  blocks[#blocks + 1] = title_para(view.title)
  blocks[#blocks + 1] = subtitle_para(view.subtitle)
  -- (the first paragraph names the person)
  blocks[#blocks + 1] = common.para(view.paragraphs[1], { indent = 12.5, space_after = 3 })
  blocks[#blocks + 1] = duties_para(view.duties_title)
  blocks[#blocks + 1] = pc.data_list(view.duties) -- (once per list of duties: kind.duties shares them)
  for i = 2, #view.paragraphs do
    blocks[#blocks + 1] = closing_para(view.paragraphs[i])
  end
  blocks[#blocks + 1] = SPACE_8
  blocks[#blocks + 1] = view.signature_block
  return common.document({ title = view.title .. " " .. view.subtitle, org = view.org, author = view.org.short_name,
    fit = "one_page", shrink = view.fit,
    subject = view.person.name, blocks = blocks })
end

return kind
