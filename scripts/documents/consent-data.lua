-- Document kind "consent-data": the consent to the processing of personal data, one per
-- participant of the organisation's pairs — every mentor and mentee once. It holds what
-- article 9 part 4 of the Federal Law of 27.07.2006 No. 152-FZ "О персональных данных" asks of
-- a written consent, each as a line to fill with its caption under it:
--   1) the subject: name, address, the main identity document (series, number, issuer, date);
--   2) for a minor, the legal representative (art. 9 part 6: the parent consents): name,
--      address, identity document, and the document proving the authority — the child's birth
--      certificate (or the act of guardianship);
--   3) the operator: its name and address (and ИНН) — from the description;
--   4) the purposes; 5) the list of data; 6) who processes on the operator's behalf, if anyone;
--   7) the actions and the ways of processing; 8) the period and how to revoke (art. 9 part 2);
--   9) the signature — with "подпись", "расшифровка подписи", "дата" under its lines.
-- What the description cannot know (documents, addresses) is left as lines for handwriting.
-- Publishing data on the school's site needs a consent of its own (art. 10.1): consent-publish.

local common = require "documents.common"
local pc = require "documents.participants-common"
local russian = require "nastavnik.russian"
local text = require "nastavnik.text"

local kind = { kind = "consent-data", title = "Согласие на обработку персональных данных",
  folder = "Согласия", file_name = "Согласие на обработку персональных данных", for_municipality = false,
  position = 70,
  says = { "152-ФЗ", "персональных данных", "(подпись)", "(расшифровка подписи)" } }

kind.LAW = "Федерального закона от 27.07.2006 " .. russian.number("152-ФЗ") .. " «О персональных данных»"
local LINE = "____________________________________________"
local SHORT = "__________"

-- The captions of art. 9 part 4, by what the line holds.
kind.CAPTIONS = {
  subject_name = "(фамилия, имя, отчество субъекта персональных данных)",
  subject_address = "(адрес места жительства субъекта персональных данных)",
  subject_document = "(основной документ, удостоверяющий личность субъекта персональных данных: вид, серия, номер)",
  subject_issuer = "(кем выдан документ)",
  subject_issued = "(дата выдачи документа)",
  representative_name = "(фамилия, имя, отчество родителя (законного представителя))",
  representative_address = "(адрес места жительства законного представителя)",
  representative_document = "(основной документ, удостоверяющий личность законного представителя: вид, серия, номер)",
  representative_issuer = "(кем выдан документ законного представителя)",
  representative_issued = "(дата выдачи документа законного представителя)",
  authority = "(документ, подтверждающий полномочия законного представителя: свидетельство о рождении "
    .. "ребёнка или акт об опеке — серия, номер, кем и когда выдан)",
  operator = "(оператор, получающий согласие: наименование, адрес)",
  processor = "(наименование и адрес лица, которому оператор поручает обработку, — если поручает)",
}

-- The list of data, by who the person is; and the line for whom the operator entrusts the
-- processing to: the same in every consent (made once: nothing changes a view once made).
local function data_of(place)
  return { "фамилия, имя, отчество;", place, "номер телефона, адрес электронной почты;",
    "сведения об участии в программе наставничества: форма наставничества, состав наставнической пары "
      .. "(группы), сроки, цели и результаты работы, участие в мероприятиях." }
end
local DATA = { pupil = data_of("класс, место учёбы;"),
  learner = data_of("учебная группа, курс, специальность, место учёбы;"),
  staff = data_of("должность, место работы;") }
-- (frozen, common.frozen: made here, its rows line_row's, and only read after)
local PROCESSOR = common.frozen(pc.form_table({ { text = pc.FULL_LINE, caption = kind.CAPTIONS.processor } }))

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

-- The lines of an identity: name (as known, or a line), address, the document, its issuer
-- and date — each with its caption (art. 9 part 4 items 1 and 2).
-- (the lines after the name are the same for every subject, or representative, living so: made
-- once for each, shared by the consents' views — nothing changes a view once made)
local IDENTITY = {
  subject = { name = kind.CAPTIONS.subject_name, address = kind.CAPTIONS.subject_address,
    document = kind.CAPTIONS.subject_document, issuer = kind.CAPTIONS.subject_issuer,
    issued = kind.CAPTIONS.subject_issued },
  representative = { name = kind.CAPTIONS.representative_name, address = kind.CAPTIONS.representative_address,
    document = kind.CAPTIONS.representative_document, issuer = kind.CAPTIONS.representative_issuer,
    issued = kind.CAPTIONS.representative_issued },
}
local identity_rest = { subject = {}, representative = {} }
local AUTHORITY = { text = "действуя на основании " .. LINE, caption = kind.CAPTIONS.authority, field = "authority" }
-- (the lines of the form, each with its caption under it, as rows: pc.line_rows; a line met
-- again is the same table, its rows made once with it — the form's rows of a consent are
-- then put together in one constructor, not looked up line by line)
local AUTHORITY_ROWS = { pc.line_rows(AUTHORITY) }
local FIELDS = { subject = { name = "subject_name", address = "subject_address", document = "subject_document",
    issuer = "subject_issuer", issued = "subject_issued" },
  representative = { name = "representative_name", address = "representative_address",
    document = "representative_document", issuer = "representative_issuer", issued = "representative_issued" } }

-- The name line of an identity, and the rest ({ lines =, rows = }: address, document, issuer,
-- date, the same for every subject, or representative, living so).
local function identity_of(who, name, living)
  local captions, fields = IDENTITY[who], FIELDS[who]
  local rest = identity_rest[who][living]
  if not rest then
    local lines = {
      { text = living .. " по адресу: " .. LINE, caption = captions.address, field = fields.address },
      { text = "документ, удостоверяющий личность: " .. SHORT .. " серия " .. SHORT .. " "
        .. russian.number(SHORT), caption = captions.document, field = fields.document },
      { text = "выдан " .. LINE, caption = captions.issuer, field = fields.issuer },
      { text = "дата выдачи " .. common.BLANK_DATE, caption = captions.issued, field = fields.issued },
    }
    local rows = {}
    for _, line in ipairs(lines) do
      local row, caption = pc.line_rows(line)
      rows[#rows + 1], rows[#rows + 2] = row, caption
    end
    rest = { lines = lines, rows = rows }
    identity_rest[who][living] = rest
  end
  return { text = name, caption = captions.name, field = fields.name }, rest
end

-- The operator's requisites as the consent names them (art. 9 part 4 item 3); the address or
-- a line with a note.
-- (made once per organisation, the last one kept: every consent of it names the operator, and
-- the notes on what is missing are told again for each)
local operator_org, operator_made, operator_notes

local function operator_now(org, missing)
  local short = org.short_name or org.name
  local address = org.address or (org.contacts and org.contacts.address)
  if not address then
    address = LINE
    missing[#missing + 1] = "нет адреса организации (поле address): оставлен для заполнения от руки"
  end
  -- the operator is named in full (152-ФЗ art. 9 part 4): without it, a line to fill by hand
  local full = org.full_name
  if not full then
    full = LINE
    missing[#missing + 1] = "нет полного наименования организации (поле full_name): оставлено для заполнения от руки"
  end
  return { full_name = full, short_name = short, address = address, inn = org.inn, ogrn = org.ogrn,
    text = full .. " (" .. short .. ")" .. (org.inn and (", ИНН " .. org.inn) or "")
      .. (org.ogrn and (", ОГРН " .. org.ogrn) or "") .. ", адрес: " .. address }
end

function kind.operator(org, missing)
  if org ~= operator_org then
    local notes = {}
    operator_made = operator_now(org, notes)
    operator_org, operator_notes = org, notes
  end
  for _, n in ipairs(operator_notes) do missing[#missing + 1] = n end
  return operator_made
end

-- What the consents repeat, made once a process or once per what it depends on: Lua joins the
-- literal parts of a `..` chain anew at each run, and a new text is hashed again by each memo
-- it is looked up in (russian.nbsp, the paragraphs' and the rows' memories); the same string
-- is hashed once. Nothing changes these strings or the lines they are in once made.
local LAW_TITLE = "Федеральный закон от 27.07.2006 " .. russian.number("152-ФЗ") .. " «О персональных данных»"
local ACTIONS = "Согласие даётся на следующие действия с персональными данными: сбор, запись, систематизация, "
  .. "накопление, хранение, уточнение (обновление, изменение), извлечение, использование, передача "
  .. "(предоставление, доступ) органам управления образованием, обезличивание, блокирование, удаление, "
  .. "уничтожение. Способы обработки: с использованием средств автоматизации и без использования таких средств."
local LIST_TITLE = "Перечень персональных данных, на обработку которых даётся согласие:"
local PROCESSOR_TITLE = "Обработка персональных данных по поручению Оператора другому лицу:"
local TITLE = "Согласие на обработку персональных данных"
local ADULT_SUBTITLE = "участника программы наставничества"

local by_gender = pc.by_gender

-- "Я ознакомлен(а) с тем, что …", by the signer's gender.
local acquainted = by_gender(function(signer)
  return "Я " .. pc.short_participle(signer, "ознакомлен") .. " с тем, что в случае отзыва согласия "
    .. "Оператор вправе продолжить обработку персональных данных без согласия при наличии оснований, "
    .. "указанных в Федеральном законе от 27.07.2006 " .. russian.number("152-ФЗ") .. " «О персональных данных»."
end)
-- A minor's words: the subtitle, the subject's "Обучающийся" and "Обучающегося".
local minor_words = by_gender(function(person)
  local genitive = pc.agree(person, "Обучающегося", "Обучающейся")
  return { subtitle = "законного представителя " .. pc.agree(person, "несовершеннолетнего", "несовершеннолетней")
      .. " участника программы наставничества",
    minor = pc.agree(person, "несовершеннолетнего", "несовершеннолетней"),
    called = " (далее — " .. pc.agree(person, "Обучающийся", "Обучающаяся") .. "),",
    living = pc.agree(person, "проживающего", "проживающей"),
    whose = "персональных данных " .. genitive, whose_part = genitive .. " " }
end)
local adult_living = by_gender(function(person) return pc.agree(person, "проживающий", "проживающая") end)

-- The paragraph of the purposes, by the organisation's short name.
local purposes = text.memo(function(short)
  return "Цель обработки: организация и реализация программы наставничества в " .. short
    .. ", формирование базы наставников и наставляемых, мониторинг реализации программ наставничества, "
    .. "представление сведений в органы управления образованием."
end, 64)
-- The paragraph of the period and the revocation, by the operator's address: for an adult and
-- for a minor of each gender (pc.agree's three answers).
local function period_now(address, minor_part)
  return "Согласие действует со дня его подписания до достижения целей обработки (окончания участия "
    .. minor_part .. "в программе наставничества и истечения сроков хранения документов, установленных "
    .. "законодательством Российской Федерации). Согласие может быть отозвано письменным заявлением, поданным "
    .. "Оператору по адресу: " .. address .. "."
end
local periods = text.memo(function(address)
  local minor = by_gender(function(person) return period_now(address, minor_words(person).whose_part) end)
  return { adult = period_now(address, ""), minor = minor }
end, 64)
-- The operator's line of the form, by the operator (kind.operator's, one per organisation;
-- weak: it goes with its organisation).
local operator_line = common.per_table(function(operator)
  local line = { text = "в соответствии со статьёй 9 " .. kind.LAW .. " даю согласие оператору — "
    .. operator.text .. " (далее — Оператор),", caption = kind.CAPTIONS.operator, field = "operator" }
  return { line = line, pc.line_rows(line) }
end)

function kind.view(model, options)
  local org, err = pc.organisation(model, options, "согласия")
  if not org then return nil, err end
  local list = pc.participants(org)
  local entry, n = pc.pick(list, options,
    "в описании нет наставнических пар (поле pairs): нет участников, чьё согласие оформлять")
  if not entry then return nil, n end
  local person = entry.person
  local minor = person.minor and true or false
  local short = org.short_name or org.name
  local missing = {}
  local operator = kind.operator(org, missing)
  local role = pc.role(person)
  local words = minor and minor_words(person)

  -- Who signs: the person, or for a minor the parent (named in the description or a line).
  local parent = person.parent
  local signer_person = minor and pc.named(parent) or person
  local lines, rows
  local op = operator_line(operator)
  local op_line, op_row, op_caption = op.line, op[1], op[2]
  if minor then
    if not parent then
      missing[#missing + 1] = "нет ФИО родителя " .. russian.short_in(person, "genitive")
        .. " (поле parent): оставлено для заполнения от руки"
    end
    local rep, rep_rest = identity_of("representative", "Я, " .. (parent or LINE) .. ",", adult_living(signer_person))
    local subject, rest = identity_of("subject", "являясь законным представителем " .. words.minor .. " "
      .. russian.full_in(person, "genitive") .. (role ~= "" and (", " .. pc.role(person, "genitive")) or "")
      .. words.called, words.living)
    local l, r, m, s = rep_rest.lines, rep_rest.rows, rest.lines, rest.rows
    local rep_row, rep_caption = pc.line_rows(rep)
    local subject_row, subject_caption = pc.line_rows(subject)
    lines = { rep, l[1], l[2], l[3], l[4], AUTHORITY, subject, m[1], m[2], m[3], m[4], op_line }
    rows = { rep_row, rep_caption, r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], AUTHORITY_ROWS[1],
      AUTHORITY_ROWS[2], subject_row, subject_caption, s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], op_row,
      op_caption }
  else
    local subject, rest = identity_of("subject", "Я, " .. person.full .. (role ~= "" and (", " .. role) or "") .. ",",
      adult_living(person))
    local m, s = rest.lines, rest.rows
    local subject_row, subject_caption = pc.line_rows(subject)
    lines = { subject, m[1], m[2], m[3], m[4], op_line }
    rows = { subject_row, subject_caption, s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], op_row, op_caption }
  end

  local forms = forms_of(entry)
  local part = part_of(entry)
  local data = (person.class or (minor and not person.post)) and DATA.pupil
    or (pc.is_learner(person) and DATA.learner or DATA.staff)
  local period = periods(operator.address)
  local paragraphs = {
    "на обработку " .. (minor and words.whose or "моих персональных данных") .. " в связи с участием "
      .. (minor and words.whose_part or "") .. "в программе наставничества в " .. short .. " в качестве " .. part
      .. (forms ~= "" and (" (" .. forms .. ")") or "") .. ".",
    LIST_TITLE,
    purposes(short),
    ACTIONS,
    PROCESSOR_TITLE,
    minor and period.minor(person) or period.adult,
    acquainted(signer_person),
  }
  local signature = { label = minor and "Родитель (законный представитель)" or "Участник программы наставничества",
    line = common.SIGNATURE_LINE, name = minor and pc.signature_name(parent) or person.signature,
    date = common.BLANK_DATE }
  -- (the sizes at which it fits one page: the PDF's and the templates')
  return common.fit_one_page({
    org = common.org_view(org),
    operator = operator,
    title = TITLE,
    subtitle = minor and words.subtitle or ADULT_SUBTITLE,
    person = { name = person.full, short = person.short, role = role, minor = minor,
      part = part, forms = forms },
    parent = minor and { name = parent or "", line = LINE } or nil,
    law = LAW_TITLE,
    lines = lines,
    form = pc.form_of_rows(rows),
    paragraphs = paragraphs,
    data = data,
    processor = PROCESSOR,
    signature = signature,
    signature_block = pc.signature_table({ signature }, common.FORM_MARGINS),
    instance = { number = n, count = #list },
    missing = missing,
  }, kind.pdf, minor) -- (a minor's consent, with the representative's lines, is longer)
end

function kind.pdf(view)
  return pc.consent_pdf(view, { [2] = pc.data_list(view.data), [5] = view.processor }, { [1] = true })
end

return kind
