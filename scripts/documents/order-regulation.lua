-- Document kind "order-regulation": the order approving the regulation on mentoring
-- ("Об утверждении Положения о системе наставничества …"). The regulation is the
-- organisation's own text: the order cites it and carries, as its appendix, the title page
-- of the regulation under the stamp "УТВЕРЖДЕНО приказом … от … № …", to which the
-- secretary staples the text. Then the acquaintance sheet.

local common = require "documents.common"
local order = require "documents.order"
local pc = require "documents.participants-common"
local russian = require "nastavnik.russian"

local kind = { kind = "order-regulation", title = "Приказ об утверждении Положения о системе наставничества",
  folder = "Приказы", file_name = "Приказ об утверждении Положения о системе наставничества",
  for_municipality = true,
  position = 50,
  says = { "ПРИКАЗ", "Положение" },
  order_kind = "regulation", order_kind_title = "об утверждении Положения о наставничестве" }

kind.BASIS_LAW = "Федеральным законом от 29.12.2012 " .. russian.number("273-ФЗ")
  .. " «Об образовании в Российской Федерации»"

kind.BASIS_TEACHERS = "с учётом методических рекомендаций по разработке и внедрению системы (целевой модели) "
  .. "наставничества педагогических работников в образовательных организациях (письмо Министерства "
  .. "просвещения Российской Федерации от 21.12.2021 " .. russian.number("АЗ-1128/08") .. ")"

-- Forms in which teachers mentor teachers: the regulation then covers the teachers' system too.
local EDUCATOR_FORMS = { teacher_teacher = true, educator_educator = true }

local function covers_teachers(org, title)
  if title:find("педагогических работников", 1, true) then return true end
  for _, pair in ipairs(org.pairs or {}) do
    if pair.form and EDUCATOR_FORMS[pair.form.id] then return true end
  end
  for _, o in ipairs(org.organisations or {}) do
    if covers_teachers(o, "") then return true end
  end
  return false
end

-- The regulation's title from the order's: "Об утверждении Положения о … " -> "Положение о …".
local function regulation_title(order_title, default)
  if not order_title then return default end
  local rest = order_title:match("^Об утверждении [Пп]оложения (.+)$")
  if rest then return "Положение " .. rest end
  return default
end

function kind.draft() return true end

function kind.instances(model, options) return order.instances(kind, model, options) end

function kind.view(model, options)
  local org, the_order = order.subject(kind, model, options)
  if not org then return nil, the_order end
  the_order = the_order or nil
  local short = org.short_name or org.name
  local municipal = org.type == "municipality"
  local missing = {}
  local default_regulation = municipal
    and ("Положение о муниципальной системе наставничества в образовательных организациях "
      .. (org.name and russian.post_in(org.name, "genitive") or short))
    or ((org.roadmap and (org.roadmap.title or ""):find("педагогических работников", 1, true))
      and ("Положение о системе наставничества педагогических работников в " .. short)
      or ("Положение о системе наставничества в " .. short))
  local title = regulation_title(the_order and the_order.title, default_regulation)
  local heading, subject = title:match("^(Положение)%s+(.+)$")
  -- "Положения о …" inside the order's sentences: the title in the accusative and genitive.
  local rest = subject or title
  local points = {
    { text = "Утвердить " .. (subject and ("Положение " .. rest) or title) .. " (прилагается)." },
    { text = "Ввести Положение в действие со дня подписания настоящего приказа." },
  }
  local named = {}
  -- The curator on the order's date: one appointed later is not named (a blank and a note).
  local curator = order.curator(org, the_order, missing)
  local later = not curator and (org.curator or #order.of_kind(org, "curator") > 0)
  if municipal then
    points[#points + 1] = { text = "Руководителям образовательных организаций:", points = {
      { text = "руководствоваться Положением при организации наставничества в образовательных организациях;" },
      { text = "привести локальные нормативные акты образовательных организаций о наставничестве в "
        .. "соответствие с Положением в течение месяца со дня подписания настоящего приказа." },
    } }
    if curator or later then
      points[#points + 1] = { text = "Муниципальному куратору внедрения целевой модели наставничества "
        .. (curator and russian.full_in(curator, "dative") or common.BLANK_LINE)
        .. " обеспечить методическое сопровождение реализации Положения в образовательных организациях." }
      named[#named + 1] = curator
    end
  else
    local who = curator or (not later and org.coordinator)
    if later then
      points[#points + 1] = { text = "Куратору внедрения целевой модели наставничества " .. common.BLANK_LINE
        .. " ознакомить педагогических работников " .. short .. " с Положением под подпись." }
    elseif who then
      local role = curator and "Куратору внедрения целевой модели наставничества " or ""
      if not curator then role = russian.capitalise(russian.post_in(who.post or "", "dative")) .. " " end
      points[#points + 1] = { text = role .. russian.full_in(who, "dative")
        .. " ознакомить педагогических работников " .. short .. " с Положением под подпись." }
    else
      points[#points + 1] = { text = "Ознакомить педагогических работников " .. short
        .. " с Положением под подпись." }
    end
    if curator then named[#named + 1] = curator end
    if org.coordinator then named[#named + 1] = org.coordinator end
    -- The teachers read the regulation under their signature: every member of the staff the
    -- description names (they are there on any date; who becomes a mentor is a later order's).
    for _, person in ipairs(org.people or {}) do
      if pc.is_staff(person) and person ~= org.head then named[#named + 1] = person end
    end
  end
  points[#points + 1] = { text = "Разместить Положение на официальном сайте " .. short
    .. " в информационно-телекоммуникационной сети «Интернет» в течение десяти рабочих дней со дня "
    .. "подписания настоящего приказа." }
  local view = order.view(org, {
    order = the_order,
    missing = missing,
    kind = "regulation",
    default_title = "Об утверждении " .. (subject and ("Положения " .. rest) or title),
    preamble = "В соответствии с " .. kind.BASIS_LAW .. ", " .. order.BASIS_TARGET_MODEL
      .. (covers_teachers(org, title) and (", " .. kind.BASIS_TEACHERS) or "")
      .. ", в целях создания условий для реализации целевой модели наставничества "
      .. (municipal and "в образовательных организациях " .. (org.name and russian.post_in(org.name, "genitive") or short)
        or ("в " .. short)),
    points = points,
    people = named,
  })
  -- The appendix: the regulation's title page under the approval stamp by this order.
  -- (without the order: its date and number left blank)
  local stamp = common.stamp_view(org, { approval = {}, order = the_order or { planned = true }, word = "УТВЕРЖДЕНО" })
  view.missing[#view.missing + 1] = stamp.missing
  view.regulation = {
    title = title,
    heading = russian.upper(heading or "Положение"),
    subject = subject or title,
    stamp = stamp,
  }
  view.missing[#view.missing + 1] = "текст Положения в описании не хранится: приложите его к титульному листу приложения"
  return view
end

-- The order as order.pdf lays it out; the regulation's title page goes before the
-- acquaintance sheet (the stamp names the order, so no separate "Приложение" mark).
function kind.pdf(view)
  local doc = order.pdf(view, function() return {} end)
  local blocks = doc.blocks
  local at = #blocks + 1
  for i = #blocks, 1, -1 do
    if blocks[i].type == "page" then at = i; break end
  end
  local page = {
    { type = "page", orientation = "portrait" },
    common.stamp_block(view.regulation.stamp),
    { type = "space", height = 60 },
    common.para(view.regulation.heading, { align = "center", bold = true, size = 16, space_after = 6 }),
    common.para(view.regulation.subject, { align = "center", bold = true }),
  }
  for k = #page, 1, -1 do table.insert(blocks, at, page[k]) end
  return doc
end

return kind
