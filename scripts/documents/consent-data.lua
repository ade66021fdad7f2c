-- Document kind "consent-data": the consent to the processing of personal data (Federal
-- Law of 27.07.2006 No. 152-FZ, article 9), one per participant of the organisation's
-- pairs — every mentor and mentee once. For a minor the parent (legal representative)
-- consents: "Я, ______ (ФИО родителя), являясь законным представителем несовершеннолетнего …".
-- What the description cannot know (passport, address of residence) is left as lines for
-- handwriting.

local common = require "documents.common"
local pc = require "documents.participants-common"
local russian = require "nastavnik.russian"

local kind = { kind = "consent-data", title = "Согласие на обработку персональных данных",
  folder = "Согласия", file_name = "Согласие на обработку персональных данных", for_municipality = false }

kind.LAW = "Федерального закона от 27.07.2006 " .. russian.number("152-ФЗ") .. " «О персональных данных»"
local LONG_LINE = "____________________________________________"

local function file_name_of(entry)
  return "Согласие на обработку персональных данных — " .. entry.person.short
end

function kind.instances(model, options)
  local org = pc.organisation(model, options, "согласия")
  if not org then return {} end
  return pc.instances(pc.participants(org), options, file_name_of)
end

-- "наставника", "наставляемого", "наставника и наставляемого" — the part the person takes.
local function part_of(entry)
  if entry.mentor and entry.mentee then return "наставника и наставляемого" end
  return entry.mentor and "наставника" or "наставляемого"
end

local function forms_of(entry)
  local seen, list = {}, {}
  for _, pair in ipairs(entry.pairs) do
    local t = pair.form and pair.form.title
    if t and not seen[t] then seen[t] = true; list[#list + 1] = russian.quote(t) end
  end
  if #list == 0 then return "" end
  return (#list > 1 and "формы наставничества " or "форма наставничества ") .. table.concat(list, ", ")
end

function kind.view(model, options)
  local org, err = pc.organisation(model, options, "согласия")
  if not org then return nil, err end
  local entry, n = pc.pick(pc.participants(org), options,
    "в описании нет наставнических пар (поле pairs): нет участников, чьё согласие оформлять")
  if not entry then return nil, n end
  local count = #pc.participants(org)
  local person = entry.person
  local minor = person.minor and true or false
  local short = org.short_name or org.name
  local missing = {}
  local address = org.address or (org.contacts and org.contacts.address)
  if not address then
    address = LONG_LINE
    missing[#missing + 1] = "нет адреса организации (поле address): оставлен для заполнения от руки"
  end
  local role = pc.role(person)

  -- The signer: the person, or for a minor the parent (named in the description or a line).
  local signer = {}
  local parent = person.parent
  if minor then
    signer.name = parent or (LONG_LINE .. " (фамилия, имя, отчество родителя (законного представителя))")
    signer.signature = pc.signature_name(parent)
    if not parent then
      missing[#missing + 1] = "нет ФИО родителя " .. russian.short_in(person, "genitive")
        .. " (поле parent): оставлено для заполнения от руки"
    end
  else
    signer.name = person.full
    signer.signature = person.signature
  end
  local signer_person = minor and pc.named(parent) or person
  local living = pc.agree(signer_person, "проживающий", "проживающая")
  local who_consents
  if minor then
    who_consents = "Я, " .. signer.name .. ", " .. living .. " по адресу: " .. LONG_LINE
      .. ", паспорт: серия ______ " .. russian.number("__________") .. ", выдан " .. LONG_LINE
      .. ", являясь законным представителем " .. pc.agree(person, "несовершеннолетнего", "несовершеннолетней")
      .. " " .. russian.full_in(person, "genitive")
      .. (role ~= "" and (", " .. pc.role(person, "genitive")) or "")
      .. " (далее — " .. pc.agree(person, "Обучающийся", "Обучающаяся") .. ")"
  else
    who_consents = "Я, " .. person.full .. (role ~= "" and (", " .. role) or "") .. ", " .. living
      .. " по адресу: " .. LONG_LINE .. ", паспорт: серия ______ " .. russian.number("__________")
      .. ", выдан " .. LONG_LINE
  end
  local forms = forms_of(entry)
  local participation = "в связи с участием " .. (minor and ((pc.agree(person, "Обучающегося", "Обучающейся")) .. " ") or "")
    .. "в программе наставничества в " .. short .. " в качестве " .. part_of(entry)
    .. (forms ~= "" and (" (" .. forms .. ")") or "")
  local data = {
    "фамилия, имя, отчество;",
    (person.class or (minor and not person.post)) and "класс, место учёбы;"
      or (pc.is_learner(person) and "учебная группа, курс, специальность, место учёбы;" or "должность, место работы;"),
    "номер телефона, адрес электронной почты;",
    "сведения об участии в программе наставничества: форма наставничества, состав наставнической пары "
      .. "(группы), сроки, цели и результаты работы, участие в мероприятиях.",
  }
  local paragraphs = {
    who_consents .. ", в соответствии со статьёй 9 " .. kind.LAW .. " даю согласие оператору — "
      .. org.full_name .. " (" .. short .. ")" .. (org.inn and (", ИНН " .. org.inn) or "") .. ", адрес: " .. address
      .. " (далее — Оператор), на обработку "
      .. (minor and ("персональных данных " .. pc.agree(person, "Обучающегося", "Обучающейся")) or "моих персональных данных")
      .. " " .. participation .. ".",
    "Перечень персональных данных, на обработку которых даётся согласие:",
    "Цель обработки: организация и реализация программы наставничества в " .. short
      .. ", формирование базы наставников и наставляемых, мониторинг реализации программ наставничества, "
      .. "представление сведений в органы управления образованием, размещение информации о реализации целевой "
      .. "модели наставничества на официальном сайте Оператора.",
    "Согласие даётся на следующие действия с персональными данными: сбор, запись, систематизация, "
      .. "накопление, хранение, уточнение (обновление, изменение), извлечение, использование, передача "
      .. "(предоставление, доступ) органам управления образованием, обезличивание, блокирование, удаление, "
      .. "уничтожение — с использованием средств автоматизации и без использования таких средств.",
    "Согласие действует со дня его подписания до достижения целей обработки (окончания участия "
      .. (minor and (pc.agree(person, "Обучающегося", "Обучающейся") .. " ") or "")
      .. "в программе наставничества и истечения сроков хранения документов, установленных законодательством "
      .. "Российской Федерации) и может быть отозвано письменным заявлением, поданным Оператору.",
    "Я " .. pc.short_participle(signer_person, "ознакомлен") .. " с тем, что в случае отзыва согласия "
      .. "Оператор вправе продолжить обработку персональных данных без согласия при наличии оснований, "
      .. "указанных в Федеральном законе от 27.07.2006 " .. russian.number("152-ФЗ") .. " «О персональных данных».",
  }
  return {
    org = common.org_view(org),
    operator = { full_name = org.full_name, short_name = short, address = address, inn = org.inn },
    title = "Согласие на обработку персональных данных",
    subtitle = minor and ("законного представителя " .. pc.agree(person, "несовершеннолетнего", "несовершеннолетней")
      .. " участника программы наставничества") or "участника программы наставничества",
    person = { name = person.full, short = person.short, role = role, minor = minor,
      part = part_of(entry), forms = forms },
    parent = minor and { name = parent or "", line = LONG_LINE } or nil,
    law = "Федеральный закон от 27.07.2006 " .. russian.number("152-ФЗ") .. " «О персональных данных»",
    paragraphs = paragraphs,
    data = data,
    signature = { label = minor and "Родитель (законный представитель)" or "Участник программы наставничества",
      line = common.SIGNATURE_LINE, name = signer.signature, date = common.BLANK_DATE },
    instance = { number = n, count = count },
    missing = missing,
  }
end

function kind.pdf(view)
  local blocks = {
    common.para(view.title, { align = "center", bold = true, size = 14 }),
    common.para(view.subtitle, { align = "center", space_after = 12 }),
  }
  for i, text in ipairs(view.paragraphs) do
    blocks[#blocks + 1] = common.para(text, { indent = 12.5, space_after = 3, keep_with_next = i == 2 })
    if i == 2 then
      local items = {}
      for _, d in ipairs(view.data) do items[#items + 1] = { label = "–", level = 1, runs = { { text = d } } } end
      blocks[#blocks + 1] = { type = "list", ordered = false, items = items }
    end
  end
  blocks[#blocks + 1] = { type = "space", height = 8 }
  blocks[#blocks + 1] = pc.signature_table({ { label = view.signature.label, line = view.signature.line,
    name = view.signature.name, date = view.signature.date } })
  return common.document({ title = view.title, org = view.org, author = view.org.short_name, subject = view.person.name,
    fit = "one_page",
    blocks = blocks })
end

return kind
