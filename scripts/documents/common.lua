-- What the document kinds share: the organisation's requisites, the approval stamp, the
-- head of an order, the signature block, the appendix mark and the acquaintance sheet —
-- both as view data (plain strings and lists, for templates) and as layout blocks for the
-- PDF engine (nastavnik.pdf). The stock look follows GOST R 7.0.97.

local russian = require "nastavnik.russian"
local richtext = require "nastavnik.richtext"
local fonts = require "nastavnik.fonts"

local common = {}

local NBSP = russian.NBSP
common.BLANK_NUMBER = "______"
common.BLANK_DATE = "«___»" .. NBSP .. "__________ 20___" .. NBSP .. "г."
common.BLANK_LINE = "______________________________"
common.SIGNATURE_LINE = "______________"
common.BLANK_NAME = "________________" -- where "И.О. Фамилия" is written by hand

------------------------------------------------------------------------------------------
-- Finding things in the model

-- The organisation a document is about: the school itself, or in a municipality the
-- department (options.organisation = nil) or one of its organisations (by short name or
-- number).
function common.subject(model, options)
  local wanted = options and options.organisation
  if model.type ~= "municipality" or not wanted or wanted == "" then return model end
  for i, org in ipairs(model.organisations) do
    if org.short_name == wanted or tostring(i) == wanted then return org end
  end
  return nil, string.format("в описании нет организации «%s»", wanted)
end

-- The organisation's name as documents print it.
function common.org_view(org)
  return {
    -- (an organisation described by its short name alone: the documents print that)
    full_name = org.full_name or org.body or org.name or org.short_name,
    short_name = org.short_name or org.name,
    place = org.place,
    region = org.region,
  }
end

-- Who issues the organisation's orders, in the genitive: "приказом МБОУ «СШ № 1»",
-- "приказом Управления образования" (a municipality's orders are its department's).
function common.issuer_genitive(org)
  if org.type == "municipality" then
    return russian.post_in(org.body or org.full_name or ("администрации " .. org.name), "genitive")
  end
  return org.short_name or org.full_name
end

-- The first order of a kind (roadmap, pairs, curator, regulation), or nil.
function common.order_of_kind(org, kind)
  for _, order in ipairs(org.orders or {}) do
    if order.kind == kind then return order end
  end
end

-- Number and date of an order, or blanks a secretary fills in by hand (no order, or one
-- planned: named in the roadmap, not issued yet).
function common.order_view(order, default_title)
  if order and order.planned then
    return { number = common.BLANK_NUMBER, date = common.BLANK_DATE, date_short = common.BLANK_DATE,
      title = order.title or default_title, blank = true, planned = true }
  end
  if not order then
    return { number = common.BLANK_NUMBER, date = common.BLANK_DATE, date_short = common.BLANK_DATE,
      title = default_title, blank = true }
  end
  return { number = order.number, date = russian.date_words(order.date),
    date_short = russian.date(order.date), title = order.title or default_title }
end

-- "от 04.09.2023 № 146"
function common.order_reference(order_view)
  return "от " .. order_view.date_short .. " " .. russian.number(order_view.number)
end

-- The person signing for the organisation: its head, or a blank line.
function common.signatory(org)
  local head = org.head
  if not head then return { post = "Руководитель", name = common.BLANK_NAME, missing = true } end
  local post = head.post and russian.capitalise(head.post) or "Руководитель"
  return { post = post, name = head.signature, person = head }
end

------------------------------------------------------------------------------------------
-- Layout blocks

function common.para(text, options)
  options = options or {}
  local block = { type = "para", runs = { { text = text, bold = options.bold, italic = options.italic } },
    align = options.align or "justify", indent = options.indent, size = options.size,
    space_before = options.space_before, space_after = options.space_after,
    keep_with_next = options.keep_with_next, hyphenate = options.hyphenate }
  return block
end

-- Rich text (a string in the cell markup, or parsed blocks) as layout blocks: a copy, so a
-- layout may set alignment or bold on it without changing the model.
function common.rich(value)
  if value == nil then return {} end
  if type(value) == "string" then return richtext.parse(value) end
  local function copy(v)
    if type(v) ~= "table" then return v end
    local c = {}
    for k, x in pairs(v) do c[k] = copy(x) end
    return c
  end
  return copy(value)
end

-- "УТВЕРЖДЕН", "УТВЕРЖДЕНА", "УТВЕРЖДЕНО", "УТВЕРЖДЕНЫ" — agreeing with the document's name
-- (its first word): «План мероприятий …» is approved in the masculine, «Положение» in the
-- neuter, «Правила» in the plural, a roadmap or a programme in the feminine.
function common.approved_word(title)
  local words = tostring(title or "")
  for _, quote in ipairs({ "«", "»", "\"", "„", "“" }) do words = words:gsub(quote, " ") end
  local first = russian.lower(words:match("%S+") or ""):gsub("[,.:;]+$", "")
  if first == "план" then return "УТВЕРЖДЕН" end
  if first == "положение" then return "УТВЕРЖДЕНО" end
  if first == "правила" then return "УТВЕРЖДЕНЫ" end
  return "УТВЕРЖДЕНА"
end

-- The approval stamp in the top right corner, at most 80 mm wide, after GOST R 7.0.97-2025
-- (the approval stamp, "гриф утверждения"), chosen by the description:
--   approval { post =, person =, date = } (a signature): УТВЕРЖДАЮ (no quotes) / post with the
--     organisation / ______________ И.О. Фамилия / the date (approval.date, else the date of
--     approval.order, else a blank for it);
--   approved by an order (approved_by, approval.order without a person): УТВЕРЖДЕНА (agreeing
--     with the document) / приказом <organisation in the genitive> / от ДД.ММ.ГГГГ № N;
--   approval = false: no stamp at all (the original has none) — nil.
-- Without either, the head's УТВЕРЖДАЮ with a blank date, or the order's form with blanks.
-- spec: { approval =, order =, word = "УТВЕРЖДЕНА" }.
function common.stamp_view(org, spec)
  spec = spec or {}
  local approval = spec.approval
  if approval == false then return nil end
  local order = spec.order or (approval and approval.order)
  local lines = {}
  local by_signature = approval and (approval.person or approval.post)
  if by_signature or (not order and org.head) then
    local head = approval and approval.person or org.head
    lines[1] = "УТВЕРЖДАЮ"
    local post = approval and approval.post or (head and head.post and
      (russian.capitalise(head.post) .. " " .. (org.short_name or org.name or "")))
    if post then lines[#lines + 1] = post end
    lines[#lines + 1] = common.SIGNATURE_LINE .. " " .. (head and head.signature or common.BLANK_NAME)
    local date = approval and approval.date or (order and order.date)
    lines[#lines + 1] = date and russian.date(date) or common.BLANK_DATE
    return { kind = "head", lines = lines }
  end
  lines[1] = spec.word or "УТВЕРЖДЕНА"
  lines[2] = "приказом " .. common.issuer_genitive(org)
  if order and not order.planned then
    lines[3] = "от " .. russian.date(order.date) .. " " .. russian.number(order.number)
  else -- (an order not issued yet: the secretary writes its date and number)
    lines[3] = "от " .. common.BLANK_DATE .. " " .. russian.number(common.BLANK_NUMBER)
  end
  return { kind = "order", lines = lines }
end

function common.stamp_block(stamp)
  if not stamp then return { type = "space", height = 0 } end
  local blocks = {}
  for i, line in ipairs(stamp.lines) do
    blocks[#blocks + 1] = common.para(line, { align = "left", bold = (i == 1) or nil })
  end
  return { type = "box", width = 80, align = "right", blocks = blocks }
end

-- "Приложение № 1 к приказу от 04.09.2023 № 146", top right.
function common.appendix_mark(number, order_view)
  local text = "Приложение " .. russian.number(number) .. "\nк приказу " .. common.order_reference(order_view)
  local blocks = {}
  for line in text:gmatch("[^\n]+") do blocks[#blocks + 1] = common.para(line, { align = "left" }) end
  return { type = "box", width = 80, align = "right", blocks = blocks }
end

-- The head of an order: organisation, ПРИКАЗ, date and number, place, title.
function common.order_head_blocks(view)
  local blocks = {
    common.para(russian.upper(view.org.full_name), { align = "center", bold = true }),
  }
  if view.org.short_name and view.org.short_name ~= view.org.full_name then
    blocks[#blocks + 1] = common.para("(" .. view.org.short_name .. ")", { align = "center" })
  end
  blocks[#blocks + 1] = common.para("ПРИКАЗ", { align = "center", bold = true, space_before = 18,
    space_after = 12, size = 16 })
  blocks[#blocks + 1] = {
    type = "table", borders = false, padding = 0, columns = { { weight = 1 }, { weight = 1 } },
    rows = { { cells = {
      { blocks = { common.para(view.order.date, { align = "left" }) } },
      { blocks = { common.para(russian.number(view.order.number), { align = "right" }) } },
    } } },
  }
  if view.org.place then
    blocks[#blocks + 1] = common.para(view.org.place, { align = "center" })
  end
  blocks[#blocks + 1] = { type = "space", height = 6 }
  blocks[#blocks + 1] = { type = "box", width = 100, align = "left", blocks = {
    common.para(view.order.title, { align = "left", bold = true, hyphenate = false }),
  } }
  blocks[#blocks + 1] = { type = "space", height = 6 }
  return blocks
end

-- The body of an order: preamble, ПРИКАЗЫВАЮ:, the numbered points (up to three levels,
-- the control sentence last).
function common.order_body_blocks(view)
  local blocks = {}
  if view.preamble then blocks[#blocks + 1] = common.para(view.preamble, { indent = 12.5 }) end
  blocks[#blocks + 1] = common.para("ПРИКАЗЫВАЮ:", { align = "left", space_before = 6, space_after = 6,
    keep_with_next = true })
  for _, point in ipairs(view.points) do
    -- Every point, sub-points too, starts at the paragraph indent: the label says the level.
    blocks[#blocks + 1] = { type = "para", align = "justify", indent = 12.5,
      runs = { { text = point.label .. " " .. point.text } } }
  end
  return blocks
end

-- Post on the left, the signature line, "И.О. Фамилия" on the right at the level of the
-- post's last line.
function common.add_signature(blocks, signatory)
  blocks[#blocks + 1] = { type = "space", height = 12 }
  blocks[#blocks + 1] = {
    type = "table", borders = false, padding = 0,
    columns = { { weight = 5 }, { weight = 3 }, { weight = 3 } },
    rows = { { cells = {
      { blocks = { common.para(signatory.post, { align = "left" }) }, valign = "bottom" },
      { blocks = { common.para(common.SIGNATURE_LINE, { align = "center" }) }, valign = "bottom" },
      { blocks = { common.para(signatory.name, { align = "right" }) }, valign = "bottom" },
    } } },
  }
end

-- People an order names, once each, in the order they are named.
function common.unique_people(list)
  local seen, out = {}, {}
  for _, person in ipairs(list) do
    if person and not seen[person] then
      seen[person] = true
      out[#out + 1] = person
    end
  end
  return out
end

function common.acquaintance_view(people_list)
  local rows = {}
  for i, person in ipairs(people_list) do
    rows[i] = { number = tostring(i), name = person.full, short = person.short, post = person.post or person.class or "" }
  end
  return rows
end

-- "С приказом ознакомлены": ФИО, должность, подпись, дата; blank lines to add names by hand.
function common.acquaintance_blocks(order_view, rows)
  local blocks = {
    { type = "page_break" },
    common.para("Лист ознакомления", { align = "center", bold = true }),
    common.para("с приказом " .. common.order_reference(order_view) .. " " .. russian.quote(order_view.title),
      { align = "center", space_after = 6 }),
    common.para("С приказом ознакомлены:", { align = "left", space_after = 6 }),
  }
  local head = { cells = {
    { blocks = { common.para("№", { align = "center", bold = true }) } },
    { blocks = { common.para("ФИО", { align = "center", bold = true }) } },
    { blocks = { common.para("Должность", { align = "center", bold = true }) } },
    { blocks = { common.para("Подпись", { align = "center", bold = true }) } },
    { blocks = { common.para("Дата", { align = "center", bold = true }) } },
  } }
  local table_rows = { head }
  local extra = 3
  for i = 1, #rows + extra do
    local r = rows[i]
    table_rows[#table_rows + 1] = { cells = {
      { blocks = { common.para(tostring(i), { align = "center" }) } },
      { blocks = { common.para(r and r.name or " ", { align = "left" }) } },
      { blocks = { common.para(r and r.post or " ", { align = "left" }) } },
      -- room for a handwritten signature and date
      { blocks = { { type = "space", height = 8 } } },
      { blocks = { { type = "space", height = 8 } } },
    } }
  end
  blocks[#blocks + 1] = { type = "table", header_rows = 1, size = 12,
    columns = { { width = 12 }, { weight = 4 }, { weight = 4 }, { weight = 2 }, { weight = 2 } },
    rows = table_rows }
  return blocks
end

-- The faces of fonts/fonts.lua at a size; a configuration that cannot be read is an error
-- naming it (the caller reports it), never a silent change of face.
function common.font(size)
  local faces, why = fonts.faces()
  if not faces then error("настройка шрифта: " .. why, 0) end
  local font = { size = size }
  for face, path in pairs(faces) do font[face] = path end
  return font
end

function common.document(options)
  return {
    page = { size = "A4", orientation = options.orientation or "portrait",
      margins = { left = 30, right = 10, top = 20, bottom = 20 }, number_from = 2 },
    font = common.font(options.size or 14),
    info = { title = options.title, author = options.author, creator = "nastavnik",
      subject = options.subject, language = "ru", date = options.date },
    blocks = options.blocks,
  }
end

return common
