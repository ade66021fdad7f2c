-- What the document kinds share: the organisation's requisites, the approval stamp, the
-- head of an order, the signature block, the appendix mark and the acquaintance sheet —
-- both as view data (plain strings and lists, for templates) and as layout blocks for the
-- PDF engine (nastavnik.pdf). The stock look follows GOST R 7.0.97.

local russian = require "nastavnik.russian"
local richtext = require "nastavnik.richtext"
local fonts = require "nastavnik.fonts"
local text = require "nastavnik.text"
local declension = require "nastavnik.declension"

local common = {}

local NBSP = russian.NBSP
common.BLANK_NUMBER = "______"
-- A date to fill in by hand never wraps: its parts are bound by non-breaking spaces.
common.BLANK_DATE = "«___»" .. NBSP .. "__________" .. NBSP .. "20___" .. NBSP .. "г."
common.BLANK_LINE = "______________________________"
common.SIGNATURE_LINE = "______________"
common.BLANK_NAME = "________________" -- where "И.О. Фамилия" is written by hand

------------------------------------------------------------------------------------------
-- Finding things in the model

-- A name as typed on a command line: plain spaces, «» for any quotes.
local function loose(name)
  return (text.plain_spaces(name):gsub('"', ""):gsub("«", ""):gsub("»", ""):gsub("„", ""):gsub("“", ""))
end

-- The organisation a document is about: the school itself, or in a municipality the
-- department (options.organisation = nil) or one of its organisations (by short name, as
-- typed with plain spaces and any quotes, or number).
-- The names of a municipality's organisations, each to its first number (by short name, and
-- loose), made once per model: a build asks for every organisation of a region in turn.
local name_index = setmetatable({}, { __mode = "k" })

local function names_of(model)
  local index = name_index[model]
  if index then return index end
  index = { exact = {}, loose = {}, found = {} }
  for i, org in ipairs(model.organisations) do
    if org.short_name then
      index.exact[org.short_name] = index.exact[org.short_name] or i
      local l = loose(org.short_name)
      index.loose[l] = index.loose[l] or i
    end
  end
  name_index[model] = index
  return index
end

function common.subject(model, options)
  local wanted = options and options.organisation
  if model.type ~= "municipality" or not wanted or wanted == "" then return model end
  -- the first organisation named so, by short name (as written or loose) or by number
  local index = names_of(model)
  -- (the number found, by what is asked for, once per model: every document of an organisation
  -- asks by the same name; the organisation itself is looked up each time, a region's build
  -- puts a light copy of a done organisation in its place)
  local found = index.found[wanted]
  if not found then
    local number = math.tointeger(tonumber(wanted))
    if not (number and tostring(number) == wanted and model.organisations[number]) then number = nil end
    found = math.min(index.exact[wanted] or math.huge, number or math.huge,
      index.loose[loose(wanted)] or math.huge)
    index.found[wanted] = found
  end
  if found < math.huge then return model.organisations[found] end
  return nil, string.format("в описании нет организации «%s»", wanted)
end

------------------------------------------------------------------------------------------
-- Words never hyphenated (the layout engine's hyphenation policy keeps capitalised words,
-- numbers, dates and addresses whole by itself; these are the lower-case rest).

-- Months, in any case form: a date is never broken ("сен-/тябрь 2022").
common.MONTH_STEMS = { "январ", "феврал", "март", "апрел", "июн", "июл", "август", "сентябр",
  "октябр", "ноябр", "декабр" }

-- The stem of a word, so every case form matches: a final vowel (or й) and the letter
-- before it go ("аграрный" -> "аграрн"), a final consonant stays ("техникум").
local function stem(word)
  local letters = {}
  for _, cp in utf8.codes(word) do letters[#letters + 1] = utf8.char(cp) end
  local last = letters[#letters]
  if last and ("аеёиоуыэюяйь"):find(last, 1, true) then
    local keep = math.max(4, #letters - 2)
    if keep < #letters then return table.concat(letters, "", 1, keep) end
  end
  return word
end

-- The words of an organisation's name that are its own (in quotes: «Сосновский аграрный
-- техникум»), as stems, with those of a municipality's organisations.
function common.protected_stems(org)
  local stems, seen = {}, {}
  local function add_name(name)
    -- (a multi-byte quote cannot stand in a pattern's [class]: the quoted part by plain finds)
    name = tostring(name or "")
    local open = name:find("«", 1, true)
    local close = open and name:find("»", open, true)
    if open and close then
      local quoted = text.plain_spaces(name:sub(open + #"«", close - 1))
      for word in quoted:gmatch("%S+") do
        if utf8.len(word) and utf8.len(word) >= 5 and text.lower(word) == word then
          local st = stem(word)
          if not seen[st] then seen[st] = true; stems[#stems + 1] = st end
        end
      end
    end
  end
  add_name(org.short_name)
  for _, o in ipairs(org.organisations or {}) do add_name(o.short_name) end
  return stems
end

-- The organisation's name as documents print it.
-- Made once per organisation (weak keys: let go with it): each of its documents asks again,
-- and one table for all of them lets common.protected's last list serve them all too.
local org_views = setmetatable({}, { __mode = "k" })
function common.org_view(org)
  local view = org_views[org]
  if view then return view end
  view = {
    -- (an organisation described by its short name alone: the documents print that)
    full_name = org.full_name or org.body or org.name or org.short_name,
    short_name = org.short_name or org.name,
    place = org.place,
    region = org.region,
    protect = common.protected_stems(org),
  }
  org_views[org] = view
  return view
end

-- Who issues the organisation's orders, in the genitive: "приказом МБОУ «СШ № 1»",
-- "приказом Управления образования администрации …" (a municipality's orders are its
-- department's, else those of the name its orders' head prints). nil and the reason when the
-- name is of a shape the declension does not know: the stamp leaves the place blank then.
function common.issuer_genitive(org)
  local name = org.type == "municipality" and (org.body or org.full_name or org.name)
    or org.short_name or org.full_name
  local genitive = declension.organisation(name, "genitive")
  if genitive then return genitive end
  return nil, string.format("«%s» не удалось поставить в родительный падеж: в грифе «приказом …» место "
    .. "для названия оставлено пустым — впишите его от руки", tostring(name))
end

-- "приказом Управления образования" — or a blank line, and why, in stamp.missing.
local function issued_by(org, stamp)
  local genitive, why = common.issuer_genitive(org)
  stamp.missing = why
  return "приказом " .. (genitive or common.BLANK_LINE)
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

-- A paragraph of the document's own words (and the model's): the typography of the loaded model
-- (russian.nbsp: bound short words, numbers, «№ 146», nested quotes) holds for what the
-- document script writes too.
local NO_OPTIONS = {}

-- (a table constructor sizes the table for every field it names, given or not: a paragraph with
-- none of the spacing fields, most of them, is made with the four it has — smaller to make and
-- to collect, and the C readers of a view (view.c) walk every slot of each block they read)
local function para_block(value, options, hyphenate)
  if type(value) == "string" then value = russian.nbsp(value) end
  local bold, italic = options.bold, options.italic
  local run
  if bold == nil and italic == nil then run = { text = value } else run = { text = value, bold = bold, italic = italic } end
  local indent, size, before, after, keep = options.indent, options.size, options.space_before,
    options.space_after, options.keep_with_next
  if indent == nil and size == nil and before == nil and after == nil and keep == nil then
    return { type = "para", runs = { run }, align = options.align or "justify", hyphenate = hyphenate }
  end
  return { type = "para", runs = { run }, align = options.align or "justify", indent = indent, size = size,
    space_before = before, space_after = after, keep_with_next = keep, hyphenate = hyphenate }
end

function common.para(value, options)
  options = options or NO_OPTIONS
  return para_block(value, options, options.hyphenate)
end

-- A paragraph never hyphenated: names, requisites, stamps, signatures.
function common.name_para(value, options)
  return para_block(value, options or NO_OPTIONS, false)
end

-- common.para (common.name_para) with the given options, remembered by the text: for the cells
-- and lines documents repeat (a table's header, a row's number, a person named in several
-- orders, a stock wording in every plan), one block shared by all of them — nothing changes a
-- paragraph once made (a layout that sets alignment or bold does so on common.rich's copies).
-- `options` must not change after. Bounded as text.memo is.
-- (text.memo's memory inline: one call less for each of the many cells and lines asked for)
local function remembered(make)
  local kept, count = {}, 0
  return function(value)
    if value == nil then return make(value) end
    local r = kept[value]
    if r == nil then
      r = make(value)
      if count >= 256 then kept, count = {}, 0 end
      kept[value], count = r, count + 1
    end
    return r
  end
end

-- make(key) remembered by key, a table the memo does not keep alive (weak keys: what is made of
-- an organisation's operator, a list, a stamp goes with it). The key and what make reads of it
-- must not change after.
function common.per_table(make)
  local kept = setmetatable({}, { __mode = "k" })
  return function(key)
    local r = kept[key]
    if r == nil then
      r = make(key)
      kept[key] = r
    end
    return r
  end
end

function common.para_of(options)
  return remembered(function(value) return para_block(value, options, options.hyphenate) end)
end

function common.name_para_of(options)
  return remembered(function(value) return para_block(value, options, false) end)
end

-- common.para_of whose paragraphs are frozen (common.frozen): for a document's own memo, whose
-- paragraphs go nowhere but into the blocks it makes (only read after).
function common.frozen_para_of(options)
  return remembered(function(value) return common.frozen(para_block(value, options, options.hyphenate)) end)
end

-- The same cell text is parsed again for every document made of it (a kind rendered for PDF,
-- DOCX and ODT, the bench's N roadmaps): each text is parsed once a process (bounded:
-- text.memo empties it when full).
local parsed = text.memo(richtext.parse, 1024)

-- The blocks of rich text (a string in the cell markup, or parsed blocks) as they are, not a
-- copy: for a reader that changes nothing (its plain text, a cell shown as it is). The same
-- blocks may be the model's or another reader's.
function common.rich_read(value)
  if value == nil then return {} end
  if type(value) ~= "string" then return value end
  return parsed(value)
end

-- The same as layout blocks: a copy, so a layout may set alignment or bold on it without
-- changing the model (richtext.copy by the blocks' known shape: a deep copy walking each table
-- by pairs was 3 % of a region's views).
function common.rich(value)
  return richtext.copy(common.rich_read(value))
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
-- spec: { approval =, order =, word = "УТВЕРЖДЕНА" }. stamp.missing says what the secretary
-- writes in by hand (an issuer the declension cannot put in the genitive), else nil.
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
  local stamp = { kind = "order", lines = lines }
  lines[1] = spec.word or "УТВЕРЖДЕНА"
  lines[2] = issued_by(org, stamp)
  if order and not order.planned then
    lines[3] = "от " .. russian.date(order.date) .. " " .. russian.number(order.number)
  else -- (an order not issued yet: the secretary writes its date and number)
    lines[3] = "от " .. common.BLANK_DATE .. " " .. russian.number(common.BLANK_NUMBER)
  end
  return stamp
end

local stamp_head = common.name_para_of({ align = "left", bold = true })
local stamp_line = common.name_para_of({ align = "left" })

function common.stamp_block(stamp)
  if not stamp then return { type = "space", height = 0 } end
  local blocks = {}
  for i, line in ipairs(stamp.lines) do blocks[#blocks + 1] = (i == 1 and stamp_head or stamp_line)(line) end
  return { type = "box", width = 80, align = "right", blocks = blocks }
end

-- "Приложение № 1 к приказу от 04.09.2023 № 146", top right.
function common.appendix_mark(number, order_view)
  local mark = "Приложение " .. russian.number(number) .. "\nк приказу " .. common.order_reference(order_view)
  local blocks = {}
  for line in mark:gmatch("[^\n]+") do blocks[#blocks + 1] = common.name_para(line, { align = "left" }) end
  return { type = "box", width = 80, align = "right", blocks = blocks }
end

-- The head of an order: organisation, ПРИКАЗ, date and number, place, title.
-- What an organisation's orders repeat at their head, made once per organisation's view (weak)
-- and frozen, as the words every order says: their C reads kept from one order to the next
-- (common.frozen). made.place: the place's paragraph, or nil.
local org_heads = common.per_table(function(org)
  local made = { common.frozen(common.para(russian.upper(org.full_name), { align = "center", bold = true })) }
  if org.short_name and org.short_name ~= org.full_name then
    made[2] = common.frozen(common.para("(" .. org.short_name .. ")", { align = "center" }))
  end
  if org.place then made.place = common.frozen(common.para(org.place, { align = "center" })) end
  return made
end)
-- (and the words and space every order has, frozen at first use)
local ORDER_WORD, ORDERING, ORDER_SPACE
local function order_words()
  if not ORDER_WORD then
    ORDER_WORD = common.frozen(common.para("ПРИКАЗ", { align = "center", bold = true, space_before = 18,
      space_after = 12, size = 16 }))
    ORDERING = common.frozen(common.para("ПРИКАЗЫВАЮ:", { align = "left", space_before = 6, space_after = 6,
      keep_with_next = true, hyphenate = false }))
    ORDER_SPACE = common.frozen({ type = "space", height = 6 })
  end
end

function common.order_head_blocks(view)
  order_words()
  local head = org_heads(view.org)
  local blocks = { head[1], head[2] }
  blocks[#blocks + 1] = ORDER_WORD
  blocks[#blocks + 1] = {
    type = "table", borders = false, padding = 0, columns = { { weight = 1 }, { weight = 1 } },
    rows = { { cells = {
      { blocks = { common.name_para(view.order.date, { align = "left" }) } },
      { blocks = { common.name_para(russian.number(view.order.number), { align = "right" }) } },
    } } },
  }
  blocks[#blocks + 1] = head.place
  blocks[#blocks + 1] = ORDER_SPACE
  blocks[#blocks + 1] = { type = "box", width = 100, align = "left", blocks = {
    common.para(view.order.title, { align = "left", bold = true, hyphenate = false }),
  } }
  blocks[#blocks + 1] = ORDER_SPACE
  return blocks
end

-- The body of an order: preamble, ПРИКАЗЫВАЮ:, the numbered points (up to three levels,
-- the control sentence last).
function common.order_body_blocks(view)
  local blocks = {}
  if view.preamble then blocks[#blocks + 1] = common.para(view.preamble, { indent = 12.5 }) end
  order_words()
  blocks[#blocks + 1] = ORDERING
  for _, point in ipairs(view.points) do
    -- Every point, sub-points too, starts at the paragraph indent: the label says the level.
    blocks[#blocks + 1] = { type = "para", align = "justify", indent = 12.5,
      runs = { { text = point.label .. " " .. point.text } } }
  end
  return blocks
end

-- A signature block never stands alone on a page: it brings the last two lines of the text
-- it signs along, and is never hyphenated or split.
common.SIGNATURE_KEEP = 2

-- Post on the left, the signature line, "И.О. Фамилия" on the right at the level of the
-- post's last line.
-- (the space and the table made once per post and name, frozen: an organisation's orders and
-- report are signed by the same person, and the C reads of the table are kept from one to the
-- next; common.frozen)
local SIGNATURE_SPACE = { type = "space", height = 12 }
local function signature_table(post, name)
  return common.frozen({
    type = "table", borders = false, padding = 0, keep_together = true,
    keep_with_previous = common.SIGNATURE_KEEP,
    columns = { { weight = 5 }, { weight = 3 }, { weight = 3 } },
    rows = { { cells = {
      { blocks = { common.name_para(post, { align = "left" }) }, valign = "bottom" },
      { blocks = { common.name_para(common.SIGNATURE_LINE, { align = "center" }) }, valign = "bottom" },
      { blocks = { common.name_para(name, { align = "right" }) }, valign = "bottom" },
    } } },
  })
end
local signatures = setmetatable({}, { __index = function(made, post)
  made[post] = text.memo(function(name) return signature_table(post, name) end, 64)
  return made[post]
end })

function common.add_signature(blocks, signatory)
  local post, name = signatory.post, signatory.name
  blocks[#blocks + 1] = SIGNATURE_SPACE
  if type(post) == "string" and type(name) == "string" then
    blocks[#blocks + 1] = signatures[post](name)
  else
    blocks[#blocks + 1] = signature_table(post, name)
  end
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

local head_para = common.name_para_of({ align = "center", bold = true })
local number_para = common.para_of({ align = "center" })
local name_para = common.name_para_of({ align = "left" })
local post_para = common.para_of({ align = "left" })

-- The sheet's header row and cells, frozen and shared (common.frozen): every order has the same
-- header and empty cells for the signature and the date, an organisation's orders list the same
-- people, the numbers are 1, 2, 3… in each — the C reads of each are kept from one order to the
-- next.
local ACQUAINTANCE_HEAD
local EMPTY_CELL = { blocks = { { type = "space", height = 8 } } } -- (room for a handwritten signature and date)
local function frozen_cell(para_of, limit)
  return text.memo(function(s) return common.frozen({ blocks = { para_of(s) } }) end, limit)
end
local number_cell = frozen_cell(number_para, 256)
local name_cell = frozen_cell(name_para, 1024)
local post_cell = frozen_cell(post_para, 256)

-- "С приказом ознакомлены": ФИО, должность, подпись, дата; blank lines to add names by hand.
function common.acquaintance_blocks(order_view, rows)
  local blocks = {
    { type = "page_break" },
    common.para("Лист ознакомления", { align = "center", bold = true }),
    common.para("с приказом " .. common.order_reference(order_view) .. " " .. russian.quote(order_view.title),
      { align = "center", space_after = 6 }),
    common.para("С приказом ознакомлены:", { align = "left", space_after = 6 }),
  }
  if not ACQUAINTANCE_HEAD then
    ACQUAINTANCE_HEAD = common.frozen({ cells = {
      { blocks = { head_para("№") } },
      { blocks = { head_para("ФИО") } },
      { blocks = { head_para("Должность") } },
      { blocks = { head_para("Подпись") } },
      { blocks = { head_para("Дата") } },
    } })
    EMPTY_CELL = common.frozen(EMPTY_CELL)
  end
  local table_rows = { ACQUAINTANCE_HEAD }
  local extra = 3
  for i = 1, #rows + extra do
    local r = rows[i]
    table_rows[#table_rows + 1] = { cells = {
      number_cell(tostring(i)),
      name_cell(r and r.name or " "),
      post_cell(r and r.post or " "),
      EMPTY_CELL,
      EMPTY_CELL,
    } }
  end
  -- №, name and post sized from their content; room for a handwritten signature and date.
  blocks[#blocks + 1] = { type = "table", header_rows = 1, size = 12,
    columns = { {}, {}, {}, { width = 30 }, { width = 25 } },
    rows = table_rows }
  return blocks
end

-- The faces of fonts/fonts.lua at a size; a configuration that cannot be read is an error
-- naming it (the caller reports it), never a silent change of face. One table per size: a
-- process asks for a handful of sizes, for every document and table it lays out (nothing
-- changes a font table once made).
local font_of = {}
function common.font(size)
  local font = font_of[size]
  if font then return font end
  local faces, why = fonts.faces()
  if not faces then error("настройка шрифта: " .. why, 0) end
  font = { size = size }
  for face, path in pairs(faces) do font[face] = path end
  font_of[size] = font
  return font
end

-- The page's text width (mm) in an orientation: A4 less the GOST R 7.0.97 margins (or those
-- given).
common.MARGINS = { left = 30, right = 10, top = 20, bottom = 20 }
-- The narrowest GOST R 7.0.97 allows: a one-sheet form (a consent) keeps to one page with them.
common.FORM_MARGINS = { left = 20, right = 10, top = 20, bottom = 20 }
function common.text_width(orientation, margins)
  margins = margins or common.MARGINS
  return (orientation == "landscape" and 297 or 210) - margins.left - margins.right
end

-- Words a document never hyphenates: months and its organisations' own names. Made once per
-- organisation's view: every layout of a document, its trial fits and its tables ask again.
-- Only the last view's list is kept (a region's views come one after another), and the months
-- alone for a table sized without an organisation (a form's signatures): a consent asks for
-- both in turn, and one last list for either was made anew at every turn.
local months_only = table.move(common.MONTH_STEMS, 1, #common.MONTH_STEMS, 1, {})
local last_org, last_list = nil, nil
function common.protected(org)
  if not org then return months_only end
  if org == last_org then return last_list end
  local list = table.move(common.MONTH_STEMS, 1, #common.MONTH_STEMS, 1, {})
  for _, s in ipairs(org.protect or {}) do list[#list + 1] = s end
  last_org, last_list = org, list
  return list
end

-- Column widths sized from the content (layout's columns.c, CSS 2.1 automatic layout), across
-- the text width of the page (options.orientation, options.margins), written into the table as
-- millimetres, so the PDF and the DOCX/ODT templates that read the
-- same table value set the same columns. Columns given a width keep it. The rows the layout
-- never splits (six lines or fewer at those widths) are marked keep_together, so the
-- templates' rows do not break across pages either.
-- The PDF engine, asked for once (false where it is not there: the tests' plain interpreter).
local pdf_engine
local function engine()
  if pdf_engine == nil then
    local ok, pdf = pcall(require, "nastavnik.pdf")
    pdf_engine = ok and pdf or false
  end
  return pdf_engine
end

-- Marks t, a block, cell or row of a view, as never changing again, and returns it: what the C
-- reader of views makes of it is then kept from one document to the next (view.c: frozen
-- tables) rather than read for each. Only for a value made in one place, with every table
-- inside it, and handed out from a memo: nothing changes a view's value once made (the layout
-- and the templates only read them). A new field is refused; a field changed is not caught, so
-- never mark a value its caller may set anything on. Where there is no PDF engine (the tests'
-- plain interpreter), t as it is.
function common.frozen(t)
  local pdf = engine()
  if pdf then return pdf.freeze(t) end
  return t
end

function common.fit_columns(tbl, options)
  local pdf = engine()
  if not pdf then return tbl end
  local widths, short = pdf.column_widths(tbl, { width = common.text_width(options.orientation, options.margins),
    font = common.font(tbl.size or options.size or 14), protect = common.protected(options.org) })
  if not widths then error("ширина столбцов таблицы: " .. tostring(short), 0) end
  for i, col in ipairs(tbl.columns) do
    col.width = widths[i] -- as computed: a column rounded down would cut its widest word
    col.weight = nil
  end
  for i, row in ipairs(tbl.rows) do
    if short[i] then row.keep_together = true end
  end
  return tbl
end

-- The steps a form that must fit one page shrinks by, first to last, until it does: the
-- spacing between paragraphs (three quarters, a half), between lines (down to 92 %, still the
-- leading of a typed form), then the font (half a point, a point), last a quarter of the
-- paragraph spacing — the layout's own fit (layout/flow.c), chosen here so that the DOCX and
-- ODT templates set the same sizes as the PDF (view.fit, the fill's option fit).
common.FIT_STEPS = {
  { space = 0.75, leading = 1, size = 0 }, { space = 0.5, leading = 1, size = 0 },
  { space = 0.5, leading = 0.96, size = 0 }, { space = 0.5, leading = 0.92, size = 0 },
  { space = 0.5, leading = 0.92, size = -0.5 }, { space = 0.5, leading = 0.92, size = -1 },
  { space = 0.25, leading = 0.92, size = -1 },
}

-- Room a form keeps free at the foot of its page when it is shrunk to fit (mm): Word and
-- LibreOffice set its table rows and justified lines a little looser than the layout
-- (measured on the consents: up to 15 pt more on a page).
common.FIT_SPARE = 8

-- The form common.fit_one_page fitted last, by its view: the doc of its layout read into C
-- once (pdf.trial) for the trials and then for the PDF (common.fitted). One: a document's view
-- is made and then written (commands/build.lua), and a form's model stays no longer (weak: it
-- goes with the view, or is let go at the next fit).
local fitted = setmetatable({}, { __mode = "k" })

local function let_go()
  local view, trial = next(fitted)
  if view then
    fitted[view] = nil
    trial:close()
  end
end

-- Whether the last form of a layout and a shape (fit_one_page's `shape`) took the last step:
-- by layout, then by shape.
local took_last = {}

-- Chooses the first of FIT_STEPS at which layout(view) fits one page with FIT_SPARE to spare,
-- into view.fit (nil when it does as it is, or without the PDF engine; the last step when none
-- does: the layout's own fit then goes on, or says the page is exceeded). `layout` is the
-- kind's pdf function; it passes view.fit to common.document (as `shrink`) and reads it
-- nowhere else, so each trial is the layout made once, as it is, then shrunk by the step as
-- common.document has the PDF engine shrink it (made anew per trial, the layout was a third
-- of a consent's view; read into C anew, as much as a trial's layout); and the PDF of the
-- view is that layout shrunk by the step chosen (common.fitted).
-- `shape` (optional, a string or a boolean) names what forms of the layout alike in length
-- share (a minor's consent, with the representative's lines besides the subject's): when the
-- last form of that shape took the last step, the step before it is tried first — it does not
-- fit most often, and then neither does the form as it is (each step shrinks more than the
-- one before, and the first less than none: what the search by halves relies on too), one
-- trial where two were (region-20: 256 of 465 consent-data forms). The step chosen is the same
-- whatever is tried first.
function common.fit_one_page(view, layout, shape)
  view.fit = nil
  local pdf = engine()
  if not pdf then return view end
  -- (a doc the layout refuses fits at no step: its PDF says why)
  let_go()
  local trial = pdf.trial(layout(view), common.FIT_SPARE)
  local function pages(step) return trial and trial:pages(step) or math.huge end
  if trial then fitted[view] = trial end
  local steps = common.FIT_STEPS
  local shapes = shape ~= nil and took_last[layout]
  if shape ~= nil and not shapes then
    shapes = {}
    took_last[layout] = shapes
  end
  local before_last_fits
  if shapes and shapes[shape] then
    before_last_fits = pages(steps[#steps - 1]) <= 1
    if not before_last_fits then
      view.fit = steps[#steps]
      return view
    end
  end
  if pages(nil) <= 1 then
    if shapes then shapes[shape] = false end
    return view
  end
  -- The steps shrink more and more: the first that fits (the last when none before it does,
  -- untried: the layout's own fit then goes on), by halves. The step before the last is tried
  -- first: a form too long as it is most often fits at none before it (of the 844 consents of
  -- region-20 and the samples, 573 fit as they are, 256 at the last step, 15 between), and one
  -- trial, a layout of the whole form, then settles it where halving took two.
  local low, high = 1, #steps
  if before_last_fits or pages(steps[high - 1]) <= 1 then high = high - 1 else low = high end
  while low < high do
    local mid = (low + high) // 2
    if pages(steps[mid]) <= 1 then high = mid else low = mid + 1 end
  end
  view.fit = common.FIT_STEPS[low]
  if shapes then shapes[shape] = low == #steps end
  return view
end

-- The PDF of a view common.fit_one_page fitted, made from its layout as the fit read it,
-- shrunk by view.fit: a function giving what pdf.render gives of the kind's pdf(view), without
-- laying the view out in Lua and reading it into C again. Nil for any other view, and once
-- asked for (the doc is let go: the caller makes the PDF then, or lays the view out again).
-- The view must not have changed since its fit.
function common.fitted(view)
  local trial = fitted[view]
  if not trial then return nil end
  fitted[view] = nil
  return function() return trial:render(view.fit) end
end

-- The document: A4, GOST margins (options.margins to narrow them), page numbers from page 2.
-- options.org (a view's org) gives the words never hyphenated; fit = "one_page" asks the
-- layout to keep it on one page, shrink = one of FIT_STEPS (view.fit) sets it as chosen: the
-- font here, the blocks by the PDF engine as it reads them (doc.shrink: a paragraph's own size,
-- spacing and leading, empty space, a table's size, the blocks of boxes and cells).
function common.document(options)
  local step = options.shrink
  return {
    page = { size = "A4", orientation = options.orientation or "portrait",
      margins = options.margins or common.MARGINS, number_from = 2 },
    font = common.font((options.size or 14) + (step and step.size or 0)),
    info = { title = options.title, author = options.author, creator = "nastavnik",
      subject = options.subject, language = "ru", date = options.date },
    fit = options.fit,
    protect = common.protected(options.org),
    shrink = step,
    blocks = options.blocks,
  }
end

return common
