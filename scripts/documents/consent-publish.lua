-- Document kind "consent-publish": the consent to the processing of personal data that the
-- subject allows to be disseminated — here, put on the school's site — one per participant of
-- the pairs, made where the description says the school publishes (organisation { publishes =
-- true } or the list of what it publishes). Article 10.1 of the Federal Law of 27.07.2006
-- No. 152-FZ wants it apart from every other consent (part 1); its content follows the
-- requirements of Roskomnadzor's order of 24.02.2021 No. 18: the subject's name and contacts,
-- the operator's name, address, ИНН and ОГРН, the site through which the data are published,
-- the purpose, the categories and list of the data, the conditions and prohibitions the subject
-- may set (part 9) and the conditions of transfer, the period; it ends on the subject's demand
-- (part 12). For a minor the parent consents. Lines to fill carry their captions.

local common = require "documents.common"
local pc = require "documents.participants-common"
local consent = require "documents.consent-data"
local russian = require "nastavnik.russian"
local text = require "nastavnik.text"

local kind = { kind = "consent-publish",
  title = "Согласие на обработку персональных данных, разрешённых для распространения",
  folder = "Согласия", file_name = "Согласие на распространение персональных данных", for_municipality = false,
  position = 72,
  says = { "10.1", "для распространения", "(подпись)" } }

local LINE = "____________________________________________"

local REFUSAL = "описание не говорит, что организация публикует сведения об участниках на своём сайте "
  .. "(поле publishes): согласие на распространение не нужно"

-- The lines a subject fills by wish (conditions and prohibitions, the transfer): the same in
-- every consent, made once (nothing changes a view once made).
local FREE = { text = pc.FULL_LINE, caption = "(заполняется субъектом персональных данных по желанию)" }
local CONDITIONS, TRANSFER = pc.form_table({ FREE, FREE }), pc.form_table({ FREE })
-- (and the lines a minor's, or a person's without contacts, consent leaves to fill)
local AUTHORITY = { text = "действуя на основании " .. LINE,
  caption = "(документ, подтверждающий полномочия законного представителя: свидетельство о рождении ребёнка "
    .. "или акт об опеке — серия, номер, кем и когда выдан)", field = "authority" }
local CONTACTS_CAPTION = "(номер телефона, адрес электронной почты или почтовый адрес субъекта персональных данных)"
local NO_CONTACTS = { text = "контактная информация: " .. LINE, caption = CONTACTS_CAPTION, field = "contacts" }

local function file_name_of(entry)
  return "Согласие на распространение персональных данных — " .. entry.person.short
end

function kind.instances(model, options)
  local org = pc.organisation(model, options, "согласия")
  if not org or not org.publishes then return {} end
  return pc.instances(pc.participants(org), options, file_name_of)
end

-- What the consents repeat, made once a process or once per what it depends on (as in
-- consent-data: a chain of `..` is joined anew at each run, and a new text hashed again by
-- each memo it meets). Nothing changes these strings or the lines they are in once made.
local TITLE = "Согласие на обработку персональных данных, разрешённых субъектом персональных данных для распространения"
local SUBTITLE = "(размещение сведений об участнике программы наставничества на официальном сайте)"
local REPRESENTATIVE_CAPTION = "(фамилия, имя, отчество родителя (законного представителя))"
local SUBJECT_CAPTION = "(фамилия, имя, отчество субъекта персональных данных)"
local SITE_CAPTION = "(адрес информационного ресурса, через который персональные данные становятся доступны "
  .. "неограниченному кругу лиц)"
local CATEGORIES = "Категории и перечень персональных данных, разрешённых для распространения (персональные данные, "
  .. "кроме специальных категорий и биометрических):"
local CONDITIONS_TITLE = "Категории и перечень персональных данных, для обработки которых устанавливаются условия и "
  .. "запреты, и сами условия и запреты (часть 9 статьи 10.1; заполняется по желанию):"
local TRANSFER_TITLE = "Условия, при которых полученные персональные данные могут передаваться Оператором только по "
  .. "его внутренней сети, с использованием информационно-телекоммуникационных сетей или без передачи (заполняется "
  .. "по желанию):"
local REQUISITES = { { "inn", "ИНН" }, { "ogrn", "ОГРН" } }

-- "Обучающегося" and what a minor's consent says with it, by the minor's gender.
local minor_words = pc.by_gender(function(person)
  local genitive = pc.agree(person, "Обучающегося", "Обучающейся")
  return { minor = pc.agree(person, "несовершеннолетнего", "несовершеннолетней"),
    whose = "персональных данных " .. genitive, until_part = genitive .. " " }
end)
-- The last paragraph: the period and the demand to stop, for an adult and for a minor.
local function period_now(minor_part)
  return "Согласие действует со дня подписания до окончания участия " .. minor_part .. "в программе "
    .. "наставничества. Распространение прекращается по требованию, направленному Оператору в письменной форме "
    .. "(часть 12 статьи 10.1 " .. consent.LAW .. "): в требовании указываются фамилия, имя, отчество, контактная "
    .. "информация и перечень персональных данных, обработка которых прекращается."
end
local ADULT_PERIOD = period_now("")
local minor_period = pc.by_gender(function(person) return period_now(minor_words(person).until_part) end)
-- The paragraph of the purpose, by the organisation's short name.
local purpose = text.memo(function(short)
  return "Цель распространения: информирование о реализации целевой модели наставничества в " .. short
    .. ", о наставнических парах (группах) и их результатах."
end, 64)
-- The operator's line, by the operator (consent-data's, one per organisation; weak: it goes
-- with its organisation): its full and short names, ИНН, ОГРН and address.
local operator_line = common.per_table(function(operator)
  return { text = "в соответствии со статьёй 10.1 " .. consent.LAW .. " даю согласие оператору — "
    .. operator.full_name .. " (" .. operator.short_name .. "), ИНН " .. (operator.inn or "__________")
    .. ", ОГРН " .. (operator.ogrn or "_____________") .. ", адрес: " .. operator.address .. " (далее — Оператор),",
    caption = "(оператор: наименование, адрес, ИНН, ОГРН)", field = "operator" }
end)
-- The site's line, by the site (or a line to fill): an adult's and a minor's of each gender.
local function site_now(site, whose)
  return { text = "на распространение — размещение на официальном сайте Оператора в сети «Интернет» " .. site
    .. " — " .. whose .. " на следующих условиях.", caption = SITE_CAPTION, field = "site" }
end
local site_lines = text.memo(function(site)
  return { adult = site_now(site, "моих персональных данных"),
    minor = pc.by_gender(function(person) return site_now(site, minor_words(person).whose) end) }
end, 64)

function kind.view(model, options)
  local org, err = pc.organisation(model, options, "согласия")
  if not org then return nil, err end
  if not org.publishes then return nil, REFUSAL end
  local list = pc.participants(org)
  local entry, n = pc.pick(list, options, "в описании нет наставнических пар (поле pairs): нет участников")
  if not entry then return nil, n end
  local person = entry.person
  local minor = person.minor and true or false
  local short = org.short_name or org.name
  local missing = {}
  local operator = consent.operator(org, missing)
  local site = org.contacts and org.contacts.site
  if not site then
    missing[#missing + 1] = "нет адреса сайта организации (поле contacts.site): оставлен для заполнения от руки"
  end
  for _, f in ipairs(REQUISITES) do
    if not org[f[1]] then
      missing[#missing + 1] = string.format("нет %s организации (поле %s): оставлен для заполнения от руки", f[2], f[1])
    end
  end
  local parent = person.parent
  local role = pc.role(person)
  local lines = {}
  if minor then
    lines[#lines + 1] = { text = "Я, " .. (parent or LINE) .. ",", caption = REPRESENTATIVE_CAPTION,
      field = "representative_name" }
    lines[#lines + 1] = AUTHORITY
    lines[#lines + 1] = { text = "являясь законным представителем " .. minor_words(person).minor .. " "
      .. russian.full_in(person, "genitive") .. (role ~= "" and (", " .. pc.role(person, "genitive")) or "") .. ",",
      caption = SUBJECT_CAPTION, field = "subject_name" }
  else
    lines[#lines + 1] = { text = "Я, " .. person.full .. (role ~= "" and (", " .. role) or "") .. ",",
      caption = SUBJECT_CAPTION, field = "subject_name" }
  end
  local contacts = {}
  if not minor and person.phone then contacts[#contacts + 1] = "тел. " .. person.phone end
  if not minor and person.email then contacts[#contacts + 1] = person.email end
  lines[#lines + 1] = #contacts == 0 and NO_CONTACTS or { text = "контактная информация: " .. table.concat(contacts, ", "),
    caption = CONTACTS_CAPTION, field = "contacts" }
  lines[#lines + 1] = operator_line(operator)
  local sites = site_lines(site or LINE)
  lines[#lines + 1] = minor and sites.minor(person) or sites.adult

  local paragraphs = {
    purpose(short),
    CATEGORIES,
    CONDITIONS_TITLE,
    TRANSFER_TITLE,
    minor and minor_period(person) or ADULT_PERIOD,
  }
  local signature = { label = minor and "Родитель (законный представитель)" or "Участник программы наставничества",
    line = common.SIGNATURE_LINE, name = minor and pc.signature_name(parent) or person.signature,
    date = common.BLANK_DATE }
  if minor and not parent then
    missing[#missing + 1] = "нет ФИО родителя " .. russian.short_in(person, "genitive")
      .. " (поле parent): оставлено для заполнения от руки"
  end
  -- (the sizes at which it fits one page: the PDF's and the templates')
  return common.fit_one_page({
    org = common.org_view(org),
    title = TITLE,
    subtitle = SUBTITLE,
    person = { name = person.full, short = person.short, minor = minor },
    lines = lines,
    form = pc.form_table(lines),
    paragraphs = paragraphs,
    data = org.publishes,
    conditions = CONDITIONS,
    transfer = TRANSFER,
    signature = signature,
    signature_block = pc.signature_table({ signature }, common.FORM_MARGINS),
    instance = { number = n, count = #list },
    missing = missing,
  }, kind.pdf)
end

function kind.pdf(view)
  return pc.consent_pdf(view, { [2] = pc.data_list(view.data), [3] = view.conditions, [4] = view.transfer })
end

return kind
