-- Reads what a school script returned (the raw tables of model.lua), checks it and builds
-- the normalised model every document reads. Every mistake is collected, none stops the
-- walk, so the secretary sees all of them at once:
--
--   samples/x.lua:42: пара №3: не указан наставник (поле mentor)
--
-- The normalised model: dates are ISO strings, rich text is parsed (richtext.lua), deadlines
-- carry the range they mean (due.lua), people are resolved to one table per person, forms of
-- mentoring are the entries of forms.lua. validate.model(root) returns model, errors; an
-- error is { file = , line = , message = }.

local model = require "nastavnik.model"
local text = require "nastavnik.text"
local dates = require "nastavnik.dates"
local due = require "nastavnik.due"
local forms = require "nastavnik.forms"
local richtext = require "nastavnik.richtext"
local people = require "nastavnik.people"
local timeline = require "nastavnik.timeline"
local sheet = require "nastavnik.sheet"

local validate = {}

local utf8_valid = text.utf8_valid

-- A place in the description: the node being read, its Russian name for messages and the
-- place it sits in (for plain tables that carry no line of their own).
local Place = {}
Place.__index = Place

local function place_of(ctx, node, label, parent)
  local file, line = model.where(node)
  if not file and parent then file, line = parent.file, parent.line end
  return setmetatable({ ctx = ctx, node = node, label = label, file = file or ctx.file,
    line = line or 0, parent = parent }, Place)
end

function Place:child(node, label) return place_of(self.ctx, node, label, self) end

-- The chain of labels from the organisation down: "организация «X»: пункт 1.2".
function Place:path()
  local labels, p = {}, self
  while p do
    if p.label then table.insert(labels, 1, p.label) end
    p = p.parent
  end
  return table.concat(labels, ": ")
end

-- The fields written directly inside a constructor's braces, with the line of each: a node
-- knows only the line of its constructor, and a secretary looking for `head = "…"` in a
-- long organisation { … } needs the line of `head`. A small scanner from the constructor's
-- "{" to its "}", skipping strings, comments and nested tables.
local function scan_fields(src, i, line)
  local fields, depth, n = {}, 0, #src
  while i <= n do
    local c = src:sub(i, i)
    if c == "\n" then
      line = line + 1
      i = i + 1
    elseif c == "-" and src:sub(i + 1, i + 1) == "-" then
      local eq = src:match("^%-%-%[(=*)%[", i)
      local stop = eq and select(2, src:find("]" .. eq .. "]", i, true))
        or (src:find("\n", i, true) or n + 1) - 1
      for _ in src:sub(i, stop):gmatch("\n") do line = line + 1 end
      i = stop + 1
    elseif c == "[" and src:match("^%[=*%[", i) then
      local eq = src:match("^%[(=*)%[", i)
      local stop = select(2, src:find("]" .. eq .. "]", i, true)) or n
      for _ in src:sub(i, stop):gmatch("\n") do line = line + 1 end
      i = stop + 1
    elseif c == "\"" or c == "'" then
      local j = i + 1
      while j <= n do
        local d = src:sub(j, j)
        if d == "\\" then j = j + 1 elseif d == c or d == "\n" then break end
        j = j + 1
      end
      i = j + 1
    elseif c == "{" or c == "(" or c == "[" then
      depth = depth + 1
      i = i + 1
    elseif c == "}" or c == ")" or c == "]" then
      depth = depth - 1
      if depth <= 0 then break end
      i = i + 1
    elseif c:match("[%a_]") then
      local word, after = src:match("^([%a_][%w_]*)%s*()", i)
      if depth == 1 and src:sub(after, after) == "=" and src:sub(after + 1, after + 1) ~= "=" then
        fields[word] = fields[word] or line
      end
      i = i + #word
    else
      i = i + 1
    end
  end
  return fields
end

-- The line of `field` inside the constructor of the place's node, or nil when the field is
-- not written there (or the source is not at hand).
local function field_line(place, field)
  local ctx, kind = place.ctx, model.kind(place.node)
  if not (kind and ctx.source_of and place.line > 0) then return nil end
  local cache_key = place.file .. ":" .. place.line .. ":" .. kind
  local fields = ctx.field_lines[cache_key]
  if not fields then
    fields = {}
    local src = ctx.source_of(place.file)
    if src then
      local offset, line_no = 1, 1
      while line_no < place.line do
        local nl = src:find("\n", offset, true)
        if not nl then break end
        offset, line_no = nl + 1, line_no + 1
      end
      if line_no == place.line then
        local line_text = src:match("^[^\n]*", offset)
        local names = { kind }
        if kind == "organisation" then names[2] = "school" end
        local at
        for _, name in ipairs(names) do
          at = at or line_text:match("%f[%w_]" .. name .. "%s*()[{(]")
        end
        at = at or line_text:find("{", 1, true)
        if at then fields = scan_fields(src, offset + at - 1, line_no) end
      end
    end
    ctx.field_lines[cache_key] = fields
  end
  return fields[field]
end

-- Records an error at the place. A message about a field ("поле head: …", "неизвестное
-- поле «mentro»", "… (поле full_name)") points at the line of that field when it is written.
function Place:error(fmt, ...)
  local prefix = self:path()
  local message = string.format(fmt, ...)
  local field = message:match("^поле ([%w_]+)") or message:match("^неизвестное поле «([%w_]+)»")
    or message:match("%(поле ([%w_]+)%)") or message:match("%(поля ([%w_]+)")
  -- A node read from a spreadsheet is told by its cell: «пары.xlsx: лист «Пары», строка 7,
  -- столбец «Форма»: …» (sheet.lua).
  local q = self
  while q do
    local cell = sheet.place_of(q.node, field)
    if cell then
      local errors = self.ctx.errors
      errors[#errors + 1] = { file = cell.file, line = cell.row, place = cell.text,
        message = sheet.cell_message(message) }
      return
    end
    q = q.parent
  end
  local line = field and field_line(self, field) or self.line
  if prefix ~= "" then message = prefix .. ": " .. message end
  local errors = self.ctx.errors
  errors[#errors + 1] = { file = self.file, line = line, message = message }
end

-- Known fields only; unknown ones are reported with the nearest known name.
-- (host.any_unknown: where the host has it — the Lua tests' stand-in has not)
local any_unknown = require("nastavnik.host").any_unknown
-- The set of a kind's fields, made once per list (every node of the kind is checked).
local field_sets = setmetatable({}, { __mode = "k" })
local function field_set(list)
  local set = field_sets[list]
  if not set then
    set = {}
    for _, f in ipairs(list) do set[f] = true end
    field_sets[list] = set
  end
  return set
end

-- A kind's fields with `extra` ones (a roadmap's own columns and the merge fields its items
-- and rows are told about), made once per roadmap and kind, not for every item: extra is
-- complete before the first item is read.
local extended_sets = setmetatable({}, { __mode = "k" })
local function check_fields(p, kind, extra)
  local known = model.fields[kind]
  local allowed = field_set(known)
  if extra and #extra > 0 then
    local by_kind = extended_sets[extra]
    if not by_kind then
      by_kind = {}
      extended_sets[extra] = by_kind
    end
    local extended = by_kind[kind]
    if not extended then
      local set, list = {}, { table.unpack(known) }
      for _, f in ipairs(known) do set[f] = true end
      for _, f in ipairs(extra) do set[f] = true; list[#list + 1] = f end
      extended = { allowed = set, known = list }
      by_kind[kind] = extended
    end
    allowed, known = extended.allowed, extended.known
  end
  -- (the set asked first: a field of the kind, the usual case, is told without a call; and
  -- whether any field is unknown, by the host's own loop)
  if any_unknown and type(p.node) == "table" and not any_unknown(p.node, allowed) then return end
  for k in next, p.node do
    if not allowed[k] and type(k) == "string" then
      -- (no suggestion for a long key: the edit distance is quadratic, and no typo is long)
      local guess = #k <= 64 and text.nearest(k, known)
      if guess then
        p:error("неизвестное поле «%s»; может быть, «%s»?", k, guess)
      else
        p:error("неизвестное поле «%s»; здесь бывают: %s", k, table.concat(known, ", "))
      end
    end
  end
end

-- Every string must be UTF-8: a file saved in Windows-1251 is the usual culprit.
local function check_utf8(p, field, value)
  if type(value) == "string" then
    -- (a text that is UTF-8, the usual case, told by one call)
    if utf8_valid(value) then return true end
    local at = text.invalid_utf8_at(value)
    if at then
      -- load.lua has already checked the file itself: such a text comes from an escape
      -- like "\xff" or "\255" written inside the quotes.
      p:error("поле %s: текст не в кодировке UTF-8 (байт %d, %s); уберите из текста записи вида "
        .. "\\xff или \\255", field, at, string.format("\\x%02x", value:byte(at)))
      return false
    end
  elseif type(value) == "table" and not model.kind(value) then
    for k, v in pairs(value) do
      if not check_utf8(p, field .. "[" .. tostring(k) .. "]", v) then return false end
    end
  end
  return true
end

-- A text field: a string (or nil unless required). Returns the trimmed string.
local function string_field(p, field, what, required)
  local v = p.node[field]
  if v == nil then
    if required then p:error("не указано: %s (поле %s)", what, field) end
    return nil
  end
  if type(v) == "number" then v = tostring(v) end
  if type(v) ~= "string" then
    p:error("поле %s (%s): ожидался текст в кавычках, а записано: %s", field, what, type(v))
    return nil
  end
  -- (a text that is UTF-8, the usual case, told at once; check_utf8 says what is wrong)
  if not utf8_valid(v) and not check_utf8(p, field, v) then return nil end
  v = text.trim(v)
  if v == "" and required then p:error("пусто: %s (поле %s)", what, field) end
  return v
end

-- richtext.parse remembered for a text: a region's schools write the cells of one template.
-- Each reading gets a copy of its own (a document may set a block's alignment on the model's
-- blocks: documents/roadmap.lua's goals). Bounded as text.memo is. Only texts found UTF-8 are
-- kept, so a text found here needs no check again.
local parsed, parsed_count = {}, 0
local function parse(value)
  if type(value) ~= "string" then return richtext.parse(value) end
  local blocks = parsed[value]
  if not blocks then
    blocks = richtext.parse(value)
    if parsed_count >= 2000 then parsed, parsed_count = {}, 0 end
    parsed[value], parsed_count = blocks, parsed_count + 1
  end
  return richtext.copy(blocks)
end

local function rich_field(p, field, value)
  if value == nil then return nil end
  if parsed[value] then return parse(value) end
  if type(value) ~= "string" and type(value) ~= "table" then
    p:error("поле %s: ожидался текст, а записано: %s", field, type(value))
    return nil
  end
  if type(value) == "table" then
    for i, line in ipairs(value) do
      if type(line) ~= "string" then
        p:error("поле %s, строка %d: ожидался текст, а записано: %s", field, i, type(line))
        return nil
      end
    end
  end
  if not check_utf8(p, field, value) then return nil end
  return parse(value)
end

local function date_field(p, field, what, required)
  local v = p.node[field]
  if v == nil then
    if required then p:error("не указана %s (поле %s)", what, field) end
    return nil
  end
  local iso, err = dates.parse(v)
  if not iso then p:error("поле %s (%s): %s", field, what, err) end
  return iso
end

-- A list field: a Lua list (array) of nodes or strings, or the rows of a spreadsheet
-- (`pairs = sheet "пары.xlsx"`), read by sheet.lua into the same nodes.
local function list_field(p, field)
  local v = p.node[field]
  if v == nil then return {} end
  if model.kind(v) == "sheet" then
    local sp, errors = p:child(v, nil), p.ctx.errors
    return sheet.expand(v, field, function(place, file, row, message)
      errors[#errors + 1] = { file = file, line = row, place = place, message = message }
    end, function(message) sp:error("%s", message) end, p.ctx.sheets)
  end
  if type(v) ~= "table" or model.kind(v) then
    p:error("поле %s: ожидался список в фигурных скобках { …, … }", field)
    return {}
  end
  return v
end

------------------------------------------------------------------------------------------
-- People

local NAME_FIELDS = { { "surname", "фамилия" }, { "name", "имя" }, { "patronymic", "отчество" } }
local PERSON_TEXT_FIELDS = { "post", "class", "subject", "role", "email", "phone", "id", "parent" }

local function read_person(p, registry)
  local node = p.node
  check_fields(p, "person")
  local full = node[1]
  -- (the fields every person gets named at once, unset: the table is made the size they take
  -- — sixteen — instead of growing to it through five rehashes)
  local person = { surname = nil, name = nil, patronymic = nil, post = nil, gender = nil, full = nil,
    short = nil, signature = nil, __line = nil }
  if full ~= nil then
    if type(full) ~= "string" then
      p:error("ФИО: ожидался текст «Фамилия Имя Отчество»")
    elseif utf8_valid(full) or check_utf8(p, "ФИО", full) then
      person.surname, person.name, person.patronymic = people.split(full)
    end
  end
  -- (a field not written is nil whatever string_field would say: a person has a few of them)
  -- (numeric loops over the constant lists here and in read_cells: ipairs is a call of C
  -- for each field of each person, item and row)
  for i = 1, #NAME_FIELDS do
    local f = NAME_FIELDS[i]
    if node[f[1]] ~= nil then
      local v = string_field(p, f[1], f[2])
      if v then person[f[1]] = v end
    end
  end
  if not person.surname or person.surname == "" then
    p:error("не указана фамилия (поле surname или «Фамилия Имя Отчество» первым значением)")
    person.surname = person.surname or "?"
  end
  if not person.name or person.name == "" then
    p:error("не указано имя (поле name)")
    person.name = person.name or "?"
  end
  for i = 1, #PERSON_TEXT_FIELDS do
    local f = PERSON_TEXT_FIELDS[i]
    if node[f] ~= nil then person[f] = string_field(p, f, f) end
  end
  if person.email and not person.email:find("@", 1, true) then
    p:error("поле email: в адресе «%s» нет «@»", person.email)
  end
  if node.minor ~= nil then person.minor = node.minor and true or false end
  -- the day the signed consent(s) to take part came in (`nastavnik due` lists who has none)
  if node.consent ~= nil then person.consent = date_field(p, "consent", "дата получения согласия") end
  person.gender = node.gender ~= nil and string_field(p, "gender", "пол") or people.gender(person)
  if person.gender ~= "м" and person.gender ~= "ж" and person.gender ~= nil then
    p:error("поле gender: пишите «м» или «ж», а не «%s»", person.gender)
  end
  people.complete(person)
  person.__line = p.line -- private: for "described twice" messages, not in the model
  local earlier = registry:add(person)
  if earlier then
    p:error("«%s» описан(а) дважды (впервые в строке %d); второй раз пишите только ссылку «%s»",
      person.full, earlier.__line, earlier.short:gsub("\u{a0}", " "))
    return earlier
  end
  return person
end

-- Latin letters inside Cyrillic words ("Кузнецoва" typed with an English "o") look the same
-- on screen and make a name unknown; the message has to say so, or nobody sees why.
local function mixed_letters_hint(value)
  local latin = {}
  for word in value:gmatch("%S+") do
    if word:find("[\208\209]") and word:find("[A-Za-z]") then
      for ch in word:gmatch("[A-Za-z]") do latin[#latin + 1] = ch end
    end
  end
  if #latin == 0 then return "" end
  return string.format(" (в тексте латинские буквы среди русских: %s — наберите их в русской "
    .. "раскладке)", table.concat(latin, ", "))
end

-- A reference to a person: "Пенкин А.Н.", "Пенкин Александр Николаевич", an id, or an
-- inline person { … }.
local function person_ref(p, field, value, registry, what)
  if value == nil then return nil end
  if model.kind(value) == "person" then
    return read_person(p:child(value, what), registry)
  end
  if type(value) ~= "string" then
    p:error("поле %s (%s): ожидалось «Фамилия И.О.» или person { … }", field, what)
    return nil
  end
  if not check_utf8(p, field, value) then return nil end
  local person, problem, candidates = registry:find(value)
  if person then return person end
  if problem == "ambiguous" then
    local names = {}
    for i, c in ipairs(candidates) do names[i] = c.full end
    p:error("поле %s: «%s» — так можно назвать нескольких людей (%s); укажите полное ФИО или id",
      field, value, table.concat(names, ", "))
  else
    -- A typo in a surname is the usual reason: offer the nearest person described.
    local shorts, r = {}, registry
    while r do
      for _, known in ipairs(r.list) do shorts[#shorts + 1] = known.short:gsub("\u{a0}", " ") end
      r = r.parent
    end
    local guess = #value <= 120 and text.nearest(text.trim(value), shorts)
    p:error("поле %s: %s «%s» не описан(а) в списке people%s%s", field, what, value,
      guess and ("; может быть, «" .. guess .. "»?") or "", mixed_letters_hint(value))
  end
  return nil
end

local function person_list(p, field, value, registry, what)
  if value == nil then return {} end
  if type(value) == "string" or model.kind(value) == "person" then
    -- (one person, the usual case: no list made to hold it)
    local person = person_ref(p, field, value, registry, what)
    if person then return { person } end
    return {}
  end
  if type(value) ~= "table" then
    p:error("поле %s: ожидался список людей", field)
    return {}
  end
  local list = {}
  for _, v in ipairs(value) do
    local person = person_ref(p, field, v, registry, what)
    if person then list[#list + 1] = person end
  end
  return list
end

------------------------------------------------------------------------------------------
-- Roadmap

local function read_period(p, rm)
  local node = p.node
  local from, to
  if node.period ~= nil then
    local v = node.period
    if type(v) == "string" then
      local a, b = v:match("(%d%d?%.%d%d?%.%d%d%d%d).-(%d%d?%.%d%d?%.%d%d%d%d)")
      if a then v = { a, b } else v = nil
        from, to = dates.period_of_year(node.period, true)
        if not from then
          p:error("поле period: «%s» — укажите «ДД.ММ.ГГГГ – ДД.ММ.ГГГГ» или годы «2024–2025»", node.period)
        end
      end
    end
    if type(v) == "table" then
      local a, b = v.from or v[1], v.to or v[2]
      local ea, eb
      from, ea = dates.parse(a)
      to, eb = dates.parse(b)
      if not from then p:error("поле period, начало: %s", ea) end
      if not to then p:error("поле period, конец: %s", eb) end
      if from and to and from > to then
        p:error("поле period: начало %s позже конца %s", dates.format(from), dates.format(to))
      end
    elseif v ~= nil and type(v) ~= "string" then
      p:error("поле period: ожидалось { \"01.09.2023\", \"31.08.2024\" }")
    end
  end
  if node.year ~= nil then
    rm.year = string_field(p, "year", "учебный год")
    if rm.year then
      local f, t = dates.period_of_year(rm.year)
      if not f then
        p:error("поле year: «%s» — пишите учебный год как «2023–2024»", rm.year)
      elseif not from then
        from, to = f, t
      end
    end
  end
  if from and to then rm.period = { from = from, to = to } end
end

-- The names written with initials in a text ("Кухтачева И.В., Иванов П.П.; куратор"): in
-- each part between commas, semicolons and line ends, from its first Cyrillic letter to the
-- first initials "И.В." after it, and so on. A scan, not one pattern: a lazy pattern that
-- looks for initials from every letter on is quadratic in a long text without any.
local CYRILLIC = "[\208\209][\128-\191]"
local INITIALS = CYRILLIC .. "%.%s?" .. CYRILLIC .. "%."
local function scan_names(value)
  local names = {}
  for part in (value .. ","):gmatch("([^,;\n]*)[,;\n]") do
    local from = part:find(CYRILLIC)
    while from do
      local initials, stop = part:find(INITIALS, from + 2)
      if not stop then break end
      -- A name is a few words: from far before the initials, only the word just before them
      -- (the surname) is taken, found by walking back over spaces, then over the word.
      if initials - from > 100 then
        local j = initials - 1
        while j > from and part:find("^%s", j) do j = j - 1 end
        while j > from and not part:find("^%s", j - 1) do j = j - 1 end
        from = j
      end
      names[#names + 1] = part:sub(from, stop)
      from = part:find(CYRILLIC, stop + 1)
    end
  end
  return names
end

-- (remembered: a region's roadmaps name the same people in the same cells; the list is only read)
local names_with_initials = text.memo(scan_names, 2000)

-- The roadmap's cells. `env` is what every item of one roadmap shares: the people (registry),
-- the roadmap's period (for deadlines), its columns (free keys), partners and the item counter.

-- A partner named where a text is expected: `partner "ООО «Лесхоз»"` refers to one of the
-- partners described (partners = { partner { short_name = … } }).
local function partner_ref(p, field, value, env)
  local name = type(value[1]) == "string" and text.trim(value[1]) or value.short_name
  if type(name) ~= "string" then
    p:error("поле %s: партнёра называют его кратким наименованием: partner \"ООО «Лесхоз»\"", field)
    return nil
  end
  local found = env.partners.by_name[text.lower(name)]
  if found then return found end
  local names = {}
  for _, known in ipairs(env.partners.list) do names[#names + 1] = known.short_name end
  local guess = #name <= 200 and text.nearest(name, names)
  p:error("поле %s: партнёр «%s» не описан в списке partners%s; партнёра описывают в организации так: "
    .. "partners = { partner { short_name = \"%s\", people = { … } } }", field, name,
    guess and ("; может быть, «" .. guess .. "»?") or "", name)
  return nil
end

-- The people named with initials in a responsible cell's text.
local function named_people(p, value, env, persons)
  -- Names written as "Кухтачева И.В." must be people the description knows (of the
  -- organisation or of a partner).
  for _, name in ipairs(names_with_initials(value)) do
    local person = person_ref(p, "responsible", text.trim(name), env.registry, "ответственный")
    if person then persons[#persons + 1] = person end
  end
end

local function read_responsible(p, value, env)
  if value == nil then return nil end
  if type(value) == "string" then
    -- (one text, the usual case: as the list below reads it, without the list)
    local persons, written = {}, ""
    if check_utf8(p, "responsible", value) then
      written = text.trim(value)
      named_people(p, value, env, persons)
    end
    return { text = written, people = persons, partners = {} }
  end
  local parts = (type(value) == "table" and not model.kind(value)) and value or { value }
  local texts, persons, partners = {}, {}, {}
  for _, v in ipairs(parts) do
    if model.kind(v) == "person" then
      v = person_ref(p, "responsible", v, env.registry, "ответственный")
      if v then texts[#texts + 1] = v.short; persons[#persons + 1] = v end
    elseif model.kind(v) == "partner" then
      local partner = partner_ref(p, "responsible", v, env)
      if partner then
        -- an organisation the school does not run takes part by agreement
        texts[#texts + 1] = partner.short_name .. " (по согласованию)"
        partners[#partners + 1] = partner
      end
    elseif type(v) ~= "string" then
      p:error("поле responsible: ожидался текст, человек («Фамилия И.О.») или partner \"…\"")
    elseif check_utf8(p, "responsible", v) then
      texts[#texts + 1] = text.trim(v)
      named_people(p, v, env, persons)
    end
  end
  return { text = table.concat(texts, ", "), people = persons, partners = partners }
end

-- due.read remembered: a region's roadmaps repeat their deadlines, and the reading is a
-- function of the text and the period alone (its result is only read here). Bounded as
-- text.memo is.
-- (by the period's start, its end, then the text: no key put together for each deadline)
local due_read = {}
local due_read_count = 0
local function read_range(written, from, to)
  from, to = from or "", to or ""
  local of_period = due_read[from] and due_read[from][to]
  local known = of_period and of_period[written]
  if not known then
    local range, err = due.read(written, from ~= "" and from or nil, to ~= "" and to or nil)
    known = { range, err }
    if due_read_count >= 2000 then due_read, due_read_count = {}, 0 end
    due_read[from] = due_read[from] or {}
    due_read[from][to] = due_read[from][to] or {}
    due_read[from][to][written], due_read_count = known, due_read_count + 1
  end
  return known[1], known[2]
end

local function read_due(p, value, period)
  if value == nil then return nil end
  if type(value) ~= "string" then
    p:error("поле due: срок пишется текстом, например «Сентябрь – октябрь 2023»")
    return nil
  end
  if not check_utf8(p, "due", value) then return nil end
  local written = text.trim(value)
  local range, err = read_range(written, period and period.from, period and period.to)
  if err then
    p:error("поле due (срок «%s»): %s", written, err)
    return { text = written }
  end
  if range then
    -- (made whole: filled from { text } it was grown twice)
    local result = { text = written, from = range.from, to = range.to, how = range.how }
    if period and (range.to < period.from or range.from > period.to) then
      p:error("поле due: срок «%s» (%s – %s) вне периода дорожной карты (%s – %s)", written,
        dates.format(range.from), dates.format(range.to), dates.format(period.from),
        dates.format(period.to))
    end
    return result
  end
  return { text = written }
end

-- What an item's own state may say (for the report on the roadmap); without it the report
-- computes the state from the deadline and the report's date.
local ITEM_STATES = { "выполнено", "выполняется", "не начато", "не выполнено", "просрочено", "перенесено" }

local function read_state(p, out)
  local node = p.node
  if node.state ~= nil then out.state = string_field(p, "state", "состояние пункта") end
  if node.comment ~= nil then out.comment = string_field(p, "comment", "комментарий") end
  if out.state then
    local known = false
    for _, s in ipairs(ITEM_STATES) do known = known or text.lower(out.state) == s end
    if not known then
      local guess = text.nearest(text.lower(out.state), ITEM_STATES)
      p:error("поле state: неизвестное состояние «%s»%s; бывают: %s", out.state,
        guess and ("; может быть, «" .. guess .. "»?") or "", table.concat(ITEM_STATES, ", "))
      out.state = nil
    end
  end
end

-- The cells of one table row of the roadmap (an item, or a sub-row of it): the known columns
-- by their meaning, the roadmap's own columns (out.free) as rich text. A cell written
-- `above` continues the cell of the sub-row above (out.above[key]); validate_merges checks
-- where it stands.
local CELL_KEYS = { "title", "content", "result", "due", "responsible" }
local MERGE_WORDS = { above = true, ["выше"] = true, ["как выше"] = true, ["^"] = true, ["〃"] = true, ["-\"-"] = true }
local MERGE_LONGEST = 0
for word in pairs(MERGE_WORDS) do MERGE_LONGEST = math.max(MERGE_LONGEST, #word) end
-- Fields a merge is sometimes written with elsewhere (HTML, spreadsheets): told the form here.
local MERGE_FIELDS = { span = true, rowspan = true, merge = true, merged = true, vmerge = true }
-- (as a list, in the order pairs gives them: the order of the messages)
local MERGE_FIELD_LIST = {}
for field in pairs(MERGE_FIELDS) do MERGE_FIELD_LIST[#MERGE_FIELD_LIST + 1] = field end

local function read_cell(p, key, value, env)
  if key == "due" then return read_due(p, value, env.period) end
  if key == "responsible" then return read_responsible(p, value, env) end
  return rich_field(p, key, value)
end

-- The fields of an item or a row that are not cells of the table.
local NOT_CELLS = { "number", "state", "comment", "evidence" }

-- Whether a short text (trimmed) is a merge word, remembered: a region's cells repeat their
-- short texts («Куратор», «Май 2026»).
local merge_word = text.memo(function(trimmed) return MERGE_WORDS[text.lower(trimmed)] or false end, 500)

-- The cell `key` of a row's `node` read into `out`.
local function cell(p, node, out, env, key)
  local value = node[key]
  if value == nil then return nil end
  if type(value) == "table" and model.is_above(value) then
    out.above = out.above or {}
    out.above[key] = true
    return nil
  end
  -- «выше» written as text would print the word: the merge is written without quotes
  -- (lower case keeps a text's length: a longer text is no merge word and is not lowered)
  local trimmed = type(value) == "string" and text.trim(value)
  if trimmed and #trimmed <= MERGE_LONGEST and merge_word(trimmed) then
    p:error("поле %s: «%s» — чтобы ячейка продолжала ячейку строки выше (объединённая ячейка), пишите "
      .. "%s = above (без кавычек)", key, text.trim(value), key)
    return nil
  end
  return read_cell(p, key, value, env)
end

local function read_cells(p, node, out, env)
  read_state(p, out)
  out.free = {}
  -- (a cell not written, most of them, is nil without a call)
  for i = 1, #CELL_KEYS do
    local key = CELL_KEYS[i]
    if node[key] ~= nil then out[key] = cell(p, node, out, env, key) end
  end
  local free_keys, free = env.free_keys, out.free
  for i = 1, #free_keys do
    local key = free_keys[i]
    if node[key] ~= nil then free[key] = cell(p, node, out, env, key) end
  end
  -- `above` only means something in a column of the table
  for i = 1, #NOT_CELLS do
    local key = NOT_CELLS[i]
    if node[key] ~= nil and model.is_above(node[key]) then
      p:error("поле %s = above: «как выше» пишут только в ячейках столбцов дорожной карты (%s)", key,
        table.concat(env.column_keys, ", "))
    end
  end
  -- What shows the item done (orders, events): read once the orders and events are (link_evidence).
  if node.evidence ~= nil and not model.is_above(node.evidence) then
    local refs = type(node.evidence) == "table" and not model.kind(node.evidence) and node.evidence or { node.evidence }
    p.ctx.evidence[#p.ctx.evidence + 1] = { source = out, refs = refs, place = p }
  end
end

-- An item's evidence = "приказ № 162" (an order of the description) or the title of an event
-- (events, where practices were presented): resolved into { order = } / { event = } entries.
local function link_evidence(pending, orders, events)
  local function key(s) return text.lower(text.plain_dashes(text.plain_spaces(s))):gsub("[«»\"„“]", ""):gsub("%s+", " ") end
  for _, e in ipairs(pending or {}) do
    e.source.evidence = {}
    for _, ref in ipairs(e.refs) do
      if type(ref) ~= "string" then
        e.place:error("поле evidence: ожидался текст — «приказ № 162» или название мероприятия")
      else
        -- "приказ № 162", "Приказ 162", "№ 162" (no patterns on Cyrillic letters: they are bytes)
        local plain = text.trim(ref):gsub("№", " ")
        local number
        if text.lower(plain):match("^приказ%s") then
          number = plain:match("^%S+%s+(%S+)%s*$")
        elseif ref:find("№", 1, true) then
          number = plain:match("^%s*(%S+)%s*$")
        end
        local found
        if number then
          local o = orders.by_number[number]
          if o then found = { order = o } end
        else
          for _, ev in ipairs(events) do
            if ev.title and key(ev.title) == key(ref) then found = found or { events = {} }; found.events[#found.events + 1] = ev end
          end
        end
        if found then
          e.source.evidence[#e.source.evidence + 1] = found
        elseif number then
          e.place:error("поле evidence: приказа № %s нет среди приказов (orders)", number)
        else
          e.place:error("поле evidence: «%s» — нет ни мероприятия с таким названием (events, presented), ни "
            .. "приказа (пишите «приказ № 162»)", ref)
        end
      end
    end
  end
end

-- The events an organisation (with its practices) took part in.
local function events_of(org)
  local out = {}
  for _, ev in ipairs(org.events or {}) do out[#out + 1] = ev end
  for _, pr in ipairs(org.practices or {}) do
    for _, ev in ipairs(pr.presented or {}) do out[#out + 1] = ev end
  end
  return out
end

-- An item's or row's fields: the known ones, the roadmap's own columns, and a merge written
-- the way other programs write it, told the form used here.
local function check_cell_fields(p, kind, env)
  local node = p.node
  for i = 1, #MERGE_FIELD_LIST do
    local field = MERGE_FIELD_LIST[i]
    if node[field] ~= nil then
      p:error("поле %s: так ячейки не объединяют; в строке, где ячейка продолжает ячейку строки выше, "
        .. "пишите %s = above: rows = { row { due = \"Сентябрь\" }, row { due = above } }", field, "due")
    end
  end
  check_fields(p, kind, env.extra_fields)
end

-- Sub-rows of an item: a cell written on the item itself belongs to all its rows (it spans
-- them); a cell written `above` continues the one of the row above. The value a merged cell
-- shows is given to every row it covers (the report, deadlines), and row.above tells the
-- documents to print one merged cell.
local function spread_cells(p, item, env)
  local rows = item.rows
  -- (an item without rows and with no cell written `above`, the usual one: nothing to spread)
  if #rows == 0 and not item.above then return end
  local function get(src, key) if src.free and env.free[key] then return src.free[key] end return src[key] end
  local function set(src, key, v) if env.free[key] then src.free[key] = v else src[key] = v end end
  for _, key in ipairs(env.cell_keys) do
    local own
    if key ~= "title" then own = get(item, key) end
    if item.above and item.above[key] then
      p:error("поле %s = above: у пункта нет строки выше в этой ячейке; «как выше» пишут в строках пункта, "
        .. "начиная со второй: rows = { row { %s = \"…\" }, row { %s = above } }", key, key, key)
    end
    if #rows > 0 and own ~= nil then
      -- (the item's own cell spans its rows)
      for k, r in ipairs(rows) do
        if get(r, key) ~= nil or (r.above and r.above[key]) then
          r.place:error("поле %s записано и у пункта, и в строке %d; ячейка пункта объединяет все его строки — "
            .. "оставьте одно из двух", key, k)
        end
        set(r, key, own)
        if k > 1 then r.above = r.above or {}; r.above[key] = true end
      end
      set(item, key, nil)
    end
    for k, r in ipairs(rows) do
      if r.above and r.above[key] then
        if k == 1 then
          r.place:error("поле %s = above в первой строке пункта: выше нет строки этого пункта; «как выше» "
            .. "пишут со второй строки: rows = { row { %s = \"…\" }, row { %s = above } }", key, key, key)
          r.above[key] = nil
        else
          set(r, key, get(rows[k - 1], key))
        end
      end
    end
  end
  for _, r in ipairs(rows) do r.place = nil end
end

local read_item

local function read_items(p, list, env)
  local items = {}
  for i, node in ipairs(list) do
    if type(node) ~= "table" or (model.kind(node) and model.kind(node) ~= "item") then
      p:error("элемент №%d: ожидался item { … }", i)
    else
      items[#items + 1] = read_item(p, node, i, env)
    end
  end
  return items
end

function read_item(parent, node, index, env)
  local number = node.number
  local p = parent:child(node, number and ("пункт " .. tostring(number)) or ("мероприятие №" .. index))
  check_cell_fields(p, "item", env)
  env.counter.items = env.counter.items + 1
  -- (the fields most items get named, unset: the table is made the size they take rather than
  -- grown to it through four rehashes)
  local item = { number = string_field(p, "number", "номер"), __file = p.file, __line = p.line,
    free = nil, title = nil, content = nil, result = nil, due = nil, responsible = nil, rows = nil,
    items = nil }
  if node[1] ~= nil and node.title == nil then node.title = node[1] end
  read_cells(p, node, item, env)
  item.rows = {}
  for i, row in ipairs(list_field(p, "rows")) do
    if type(row) ~= "table" then
      p:error("поле rows, строка %d: ожидалась таблица row { … }", i)
    else
      local rp = p:child(row, "строка " .. i)
      check_cell_fields(rp, "row", env)
      local r = { __file = rp.file, __line = rp.line, place = rp }
      read_cells(rp, row, r, env)
      item.rows[#item.rows + 1] = r
    end
  end
  spread_cells(p, item, env)
  item.items = read_items(p, list_field(p, "items"), env)
  local has_free = next(item.free) ~= nil
  if not (item.title or item.content or has_free or #item.rows > 0 or #item.items > 0) then
    p:error("пустой пункт: нет ни названия (title), ни содержания (content)")
  end
  return item
end

-- The roadmap's columns: { "due", "Сроки" } for a column whose meaning the generator knows
-- (model.column_titles), { key = "events", header = "Мероприятия" } for one of the roadmap's
-- own; width = 30 (mm) or "25%" (of the table's width) where the author fixes it.
local COLUMN_FORM = "{ \"due\", \"Сроки\" } или { key = \"events\", header = \"Мероприятия\", width = 30 } "
  .. "(group = \"…\" — общий заголовок над соседними столбцами)"
-- Fields of an item that a column of the roadmap's own cannot be called.
local RESERVED_KEYS = { rows = true, items = true, state = true, comment = true, evidence = true }

local function read_width(p, i, value)
  if value == nil then return nil end
  local n, unit
  if type(value) == "number" then
    n, unit = value, "mm"
  elseif type(value) == "string" then
    local digits, rest = text.trim(value):gsub(",", "."):match("^(%d+%.?%d*)%s*(.-)$")
    n = tonumber(digits)
    if rest == "%" then unit = "share" elseif rest == "" or rest == "мм" or rest == "mm" then unit = "mm" end
  end
  if not (n and unit) or n <= 0 or (unit == "share" and n >= 100) or (unit == "mm" and n > 400) then
    p:error("поле columns, столбец %d: ширина «%s» — пишите миллиметры (width = 30) или долю ширины таблицы "
      .. "(width = \"25%%\")", i, tostring(value))
    return nil
  end
  return unit == "mm" and { mm = n } or { share = n }
end

local function read_columns(p, node)
  local columns, seen = {}, {}
  local known = model.column_order
  for i, col in ipairs(list_field(p, "columns")) do
    local key, header, width
    if type(col) == "string" then
      key = col
    elseif type(col) == "table" and not model.kind(col) then
      key, header, width = col.key or col[1], col.header or col.title or col[2], col.width
      if col.group ~= nil and type(col.group) ~= "string" then
        p:error("поле columns, столбец %d: group — общий заголовок над столбцами, текст в кавычках: %s", i, COLUMN_FORM)
      end
      for k in pairs(col) do
        if not (k == 1 or k == 2 or k == "key" or k == "header" or k == "title" or k == "width" or k == "group") then
          p:error("поле columns, столбец %d: неизвестное поле «%s»; столбец пишется %s", i, tostring(k), COLUMN_FORM)
        end
      end
    else
      p:error("поле columns, столбец %d: пишите %s", i, COLUMN_FORM)
    end
    if header ~= nil and type(header) ~= "string" then
      p:error("поле columns, столбец %d: заголовок — текст в кавычках: %s", i, COLUMN_FORM)
      header = nil
    end
    if type(key) ~= "string" or not key:match("^[%a_][%w_]*$") then
      if type(col) == "string" or (type(col) == "table" and not model.kind(col)) then
        p:error("поле columns, столбец %d: ключ столбца «%s» — латинские буквы без пробелов; пишите %s", i,
          tostring(key), COLUMN_FORM)
      end
    elseif RESERVED_KEYS[key] then
      p:error("поле columns, столбец %d: «%s» — это поле пункта, а не столбец; назовите свой столбец иначе: %s",
        i, key, COLUMN_FORM)
    elseif seen[key] then
      p:error("поле columns, столбец %d: столбец «%s» уже есть (столбец %d); у каждого столбца свой ключ", i, key, seen[key])
    elseif not model.column_titles[key] and (header == nil or text.nearest(key, known)) then
      -- a typo of a known key would silently make a column of its own, empty in every item
      local guess = text.nearest(key, known)
      p:error("поле columns, столбец %d: неизвестный столбец «%s»%s; бывают: %s; свой столбец пишется с "
        .. "заголовком и ключом, непохожим на эти: { key = \"events\", header = \"Мероприятия\" }", i, key,
        guess and ("; может быть, «" .. guess .. "»?") or "", table.concat(known, ", "))
    else
      seen[key] = i
      columns[#columns + 1] = { key = key, title = header and text.trim(header) or model.column_titles[key],
        free = not model.column_titles[key] or nil, width = read_width(p, i, width),
        group = type(col) == "table" and type(col.group) == "string" and text.trim(col.group) or nil }
    end
  end
  if #columns == 0 and node.columns == nil then
    for _, key in ipairs({ "number", "title", "due", "result", "responsible" }) do
      columns[#columns + 1] = { key = key, title = model.column_titles[key] }
    end
  end
  return columns
end

-- numbering = "1.1" (stages 1, 2…, their items 1.1, 1.2…) or "1" (items 1, 2… through the
-- roadmap): fills every number not written. A № column where no number is written at all
-- is numbered "1.1" (or "1" without stages), and `check` says so.
local NUMBERINGS = { ["1.1"] = true, ["1"] = true }

local function number_items(p, rm, node)
  local style = node.numbering
  if style ~= nil then
    style = tostring(style)
    if not NUMBERINGS[style] then
      p:error("поле numbering: «%s» — пишите numbering = \"1.1\" (этапы 1, 2…, пункты 1.1, 1.2…) или "
        .. "numbering = \"1\" (пункты 1, 2… по порядку)", style)
      return
    end
  else
    local has_column, written = false, false
    for _, col in ipairs(rm.columns) do has_column = has_column or col.key == "number" end
    local function any(items)
      for _, it in ipairs(items) do
        if it.number or any(it.items) then return true end
      end
    end
    local titled = false
    for _, st in ipairs(rm.stages) do
      written = written or st.number ~= nil or any(st.items)
      titled = titled or st.title ~= nil
    end
    if not has_column or written then return end
    style = titled and "1.1" or "1"
    -- (the default columns are the generator's choice: numbered without a word)
    if node.columns == nil then goto assign end
    local remarks = p.ctx.remarks
    local prefix = p:path()
    remarks[#remarks + 1] = { file = p.file, line = p.line, message = prefix .. ": в столбце «"
      .. (function() for _, c in ipairs(rm.columns) do if c.key == "number" then return c.title end end end)()
      .. "» не написано ни одного номера: пункты пронумерованы по порядку ("
      .. (style == "1.1" and "этапы 1, 2…, пункты 1.1, 1.2…" or "1, 2, 3…") .. "); иначе — numbering = \""
      .. (style == "1.1" and "1" or "1.1") .. "\" или номера в пунктах (number = \"…\")" }
  end
  ::assign::
  rm.numbering = style
  local through, stage_no = 0, 0
  local function nested(items, prefix)
    for k, it in ipairs(items) do
      it.number = it.number or (prefix .. "." .. k)
      nested(it.items, it.number:gsub("%.$", ""))
    end
  end
  for _, st in ipairs(rm.stages) do
    if st.title then
      stage_no = stage_no + 1
      st.number = st.number or tostring(stage_no)
    end
    for k, it in ipairs(st.items) do
      if style == "1" or not st.title then
        through = through + 1
        it.number = it.number or tostring(through)
      else
        it.number = it.number or (st.number:gsub("%.$", "") .. "." .. k)
      end
      nested(it.items, it.number:gsub("%.$", ""))
    end
  end
end

-- A cell written in the items but shown in no column would be lost from the roadmap without a
-- word. The default columns (the generator's choice) take «Содержание деятельности» after the
-- title when an item or row has content; a roadmap with columns of its own is told which
-- field its table does not print, at the first item that writes it.
local function columns_for_cells(p, rm, node)
  local first = {} -- key -> the first item or row writing it
  local missing = #CELL_KEYS -- (the scan ends once every key is found)
  local function look(source)
    for _, key in ipairs(CELL_KEYS) do
      if first[key] == nil and source[key] ~= nil then
        first[key] = source
        missing = missing - 1
      end
    end
  end
  local function scan(items)
    for _, it in ipairs(items) do
      if missing == 0 then return end
      look(it)
      for _, r in ipairs(it.rows) do look(r) end
      scan(it.items)
    end
  end
  for _, st in ipairs(rm.stages) do scan(st.items) end
  local shown, title_at = {}, 0
  for i, col in ipairs(rm.columns) do
    shown[col.key] = true
    if col.key == "title" then title_at = i end
  end
  if node.columns == nil then
    if first.content and not shown.content then
      table.insert(rm.columns, title_at + 1, { key = "content", title = model.column_titles.content })
    end
    return
  end
  local remarks = p.ctx.remarks
  for _, key in ipairs(CELL_KEYS) do
    local at = first[key]
    if at and not shown[key] then
      remarks[#remarks + 1] = { file = at.__file or p.file, line = at.__line or p.line, message = p:path()
        .. string.format(": поле %s записано в пунктах, но в columns нет такого столбца — в таблице дорожной "
        .. "карты оно не печатается; добавьте столбец { \"%s\", \"%s\" } или уберите поле", key, key,
        model.column_titles[key]) }
    end
  end
end

local function read_roadmap(parent, node, registry, orders, partners)
  local p = parent:child(node, "дорожная карта")
  if type(node) ~= "table" then
    p:error("ожидалось roadmap { … }")
    return nil
  end
  check_fields(p, "roadmap")
  local rm = { title = string_field(p, "title", "название дорожной карты", true),
    subtitle = string_field(p, "subtitle", "подзаголовок"), __file = p.file, __line = p.line }
  read_period(p, rm)
  rm.goals_title = string_field(p, "goals_title", "заголовок задач") or "Основные задачи:"
  rm.goals = rich_field(p, "goals", node.goals) or {}
  rm.columns = read_columns(p, node)
  rm.column_numbers = node.column_numbers and true or false

  -- The approval stamp: by an order of the organisation ("УТВЕРЖДЕНА приказом …"), by the
  -- head's signature ("УТВЕРЖДАЮ"), or none (approval = false).
  if node.approved_by ~= nil then
    rm.approved_by = orders.find(p, "approved_by", node.approved_by)
  end
  if node.approval == false then
    rm.approval = false -- no stamp: the original has none
  elseif node.approval ~= nil then
    local ap = p:child(node.approval, "гриф утверждения")
    if type(node.approval) ~= "table" then
      ap:error("ожидалось approval { post = …, person = …, date = … } (или approval = false, если грифа нет)")
    else
      check_fields(ap, "approval")
      rm.approval = {
        post = string_field(ap, "post", "должность"),
        organisation = string_field(ap, "organisation", "организация"),
        person = person_ref(ap, "person", node.approval.person, registry, "утверждающий"),
        date = date_field(ap, "date", "дата утверждения"),
      }
      if node.approval.order ~= nil then
        rm.approval.order = orders.find(ap, "order", node.approval.order)
      end
    end
  end

  -- What every item of this roadmap shares.
  local env = { registry = registry, period = rm.period, partners = partners, counter = { items = 0 },
    free = {}, free_keys = {}, column_keys = {}, cell_keys = {}, extra_fields = {} }
  for _, key in ipairs(CELL_KEYS) do env.cell_keys[#env.cell_keys + 1] = key end
  for _, col in ipairs(rm.columns) do
    env.column_keys[#env.column_keys + 1] = col.key
    if col.free then
      env.free[col.key] = true
      env.free_keys[#env.free_keys + 1] = col.key
      env.cell_keys[#env.cell_keys + 1] = col.key
      env.extra_fields[#env.extra_fields + 1] = col.key
    end
  end
  for field in pairs(MERGE_FIELDS) do env.extra_fields[#env.extra_fields + 1] = field end

  p.ctx.evidence = {} -- the items' evidence, linked when the orders and events are read
  rm.__evidence = p.ctx.evidence
  rm.stages = {}
  local stage_list = node.stages
  if stage_list == nil then
    -- stages may also stand directly in the roadmap's list part
    stage_list = {}
    for _, v in ipairs(node) do stage_list[#stage_list + 1] = v end
  elseif type(stage_list) ~= "table" then
    p:error("поле stages: ожидался список этапов")
    stage_list = {}
  end
  local loose = {}
  local function flush_loose()
    if #loose > 0 then
      rm.stages[#rm.stages + 1] = { items = read_items(p, loose, env) }
      loose = {}
    end
  end
  for i, st in ipairs(stage_list) do
    local kind = model.kind(st)
    if kind == "item" then
      loose[#loose + 1] = st
    elseif kind == "stage" or (type(st) == "table" and not kind) then
      flush_loose()
      local sp = p:child(st, st.number and ("этап " .. tostring(st.number)) or ("этап №" .. i))
      check_fields(sp, "stage")
      local stage = { number = string_field(sp, "number", "номер этапа"), __file = sp.file, __line = sp.line }
      local title = st.title
      if title == nil and type(st[1]) == "string" then title = st[1] end
      if title ~= nil then
        if type(title) ~= "string" then
          sp:error("название этапа: ожидался текст")
        elseif check_utf8(sp, "title", title) then
          stage.title = parse(title)
        end
      end
      stage.note = rich_field(sp, "note", st.note)
      local items = {}
      for _, v in ipairs(st) do if type(v) == "table" then items[#items + 1] = v end end
      for _, v in ipairs(list_field(sp, "items")) do items[#items + 1] = v end
      stage.items = read_items(sp, items, env)
      rm.stages[#rm.stages + 1] = stage
    else
      p:error("этап №%d: ожидался stage { … } или item { … }", i)
    end
  end
  flush_loose()
  columns_for_cells(p, rm, node)
  number_items(p, rm, node)
  rm.item_count = env.counter.items
  if env.counter.items == 0 then p:error("в дорожной карте нет ни одного пункта (item)") end
  return rm
end

------------------------------------------------------------------------------------------
-- Orders, pairs, practices, events

-- The kinds an order may be of: those the document kinds print (each order kind of
-- scripts/documents/ declares its order_kind), and "other" for the rest.
local ORDER_KINDS, ORDER_KIND_NAMES = {}, {}
for _, k in ipairs(require("documents.kinds").order_kinds) do
  ORDER_KINDS[k.name] = k.title
  ORDER_KIND_NAMES[#ORDER_KIND_NAMES + 1] = k.name
end
ORDER_KINDS.other = "иной"
ORDER_KIND_NAMES[#ORDER_KIND_NAMES + 1] = "other"

-- A link for a QR code (qr.lua says what a link may be).
local function link_field(p, field, what)
  local v = string_field(p, field, what)
  if not v then return nil end
  local ok, why = require("nastavnik.qr").check_link(v)
  if not ok then
    p:error("поле %s (%s): %s", field, what, why)
    return nil
  end
  return v
end

local function read_orders(parent, list, registry)
  local orders = { list = {}, by_number = {}, planned = {} }
  for i, node in ipairs(list) do
    local p = parent:child(node, "приказ №" .. tostring(type(node) == "table" and node.number or i))
    if type(node) ~= "table" then
      p:error("ожидалось order { number = …, date = … }")
    else
      if node.number == nil then p.label = "приказ (" .. i .. "-й в списке)" end
      check_fields(p, "order")
      -- An order named in the roadmap but not issued yet: its title and kind, no number, no
      -- date (documents print its title, and its own document leaves blanks for them).
      local planned = node.number == nil and node.date == nil
      if planned then p.label = "приказ «" .. tostring(node.title or i) .. "»" end
      local order = {
        number = string_field(p, "number", "номер приказа", not planned),
        date = date_field(p, "date", "дата приказа", not planned),
        title = string_field(p, "title", "заголовок приказа"),
        kind = string_field(p, "kind", "вид приказа") or "other",
        place = string_field(p, "place", "место издания"),
        signed_by = person_ref(p, "signed_by", node.signed_by, registry, "подписавший"),
        appoints = person_ref(p, "appoints", node.appoints, registry, "назначаемый куратор"),
      }
      if order.appoints and order.kind ~= "curator" then
        p:error("поле appoints: кого назначает, пишут только у приказа о назначении куратора (kind = \"curator\")")
      end
      p.ctx.places[order] = p
      order.qr = link_field(p, "qr", "ссылка QR-кода приказа")
      if not ORDER_KINDS[order.kind] then
        local guess = text.nearest(order.kind, ORDER_KIND_NAMES)
        p:error("поле kind: неизвестный вид приказа «%s»%s; бывают: %s", order.kind,
          guess and ("; может быть, «" .. guess .. "»?") or "", table.concat(ORDER_KIND_NAMES, ", "))
      end
      order.approves = {}
      for _, what in ipairs(type(node.approves) == "table" and node.approves or { node.approves }) do
        if type(what) == "string" then order.approves[#order.approves + 1] = what end
      end
      if order.number then
        local earlier = orders.by_number[order.number]
        if earlier then
          p:error("номер приказа %s уже занят приказом%s (строка %d); у каждого приказа свой номер",
            order.number, earlier.date and (" от " .. dates.format(earlier.date)) or "", earlier.__line)
        else
          orders.by_number[order.number] = order
        end
      end
      if planned then
        order.planned = true
        if not order.title then
          p:error("не указан заголовок приказа (поле title): приказ, который ещё не издан, пишется "
            .. "order { title = \"Об утверждении наставнических групп\", kind = \"pairs\" }")
        end
        orders.planned[#orders.planned + 1] = order
      end
      order.__line = p.line
      orders.list[#orders.list + 1] = order
    end
  end
  -- An order named elsewhere (approved_by, a pair's order…): by its number, or by its
  -- title (an order not issued yet has no number). Reports what it cannot find.
  function orders.find(at, field, ref)
    local written = text.trim(tostring(ref))
    local found = orders.by_number[written]
    if found then return found end
    for _, o in ipairs(orders.list) do
      if o.title and text.lower(o.title) == text.lower(written) then return o end
    end
    local hint = ""
    if #orders.planned > 0 then
      hint = string.format("; приказ, который ещё не издан (без номера и даты), называют по заголовку: %s = \"%s\"",
        field, orders.planned[1].title or "…")
    end
    at:error("поле %s: приказа № %s нет среди приказов (orders)%s", field, written, hint)
    return nil
  end
  return orders
end

-- forms.find remembered: a region's pairs are of a few forms.
local form_of = text.memo(function(value) return { forms.find(value) } end, 200)

local function read_form(p, field, value)
  if value == nil then return nil end
  if type(value) ~= "string" then
    p:error("поле %s: форма наставничества пишется текстом, например «учитель–ученик»", field)
    return nil
  end
  if not check_utf8(p, field, value) then return nil end
  if #value > 200 then
    p:error("поле %s: это не форма наставничества (слишком длинный текст); известные формы: %s",
      field, forms.titles())
    return nil
  end
  local found = form_of(value)
  local form, nearest = found[1], found[2]
  if not form then
    p:error("поле %s: неизвестная форма наставничества «%s»; может быть, «%s»? Известные формы: %s",
      field, value, nearest.title, forms.titles())
  end
  return form
end

-- The fields a pair replacing another (pair { replaces = N, mentor = …, from = … }) takes from
-- the pair it replaces when it does not say them itself.
local INHERITED = { "form", "mentees", "to", "goal", "topic", "tasks" }

local function read_pairs(parent, list, registry, orders)
  local pairs_out = {}
  local replacing = {}
  local counts = { pair = 0, group = 0 }
  for i, node in ipairs(list) do
    local kind = model.kind(node) or "pair"
    counts[kind] = (counts[kind] or 0) + 1
    local p = parent:child(node, (kind == "group" and "группа №" or "пара №") .. i)
    if type(node) ~= "table" or (kind ~= "pair" and kind ~= "group") then
      p:error("ожидалось pair { … } или group { … }")
    else
      check_fields(p, "pair")
      -- (the fields every pair gets named, unset: the table is made the size they take rather
      -- than grown to it through four rehashes)
      local pair = { kind = kind, number = string_field(p, "number", "номер") or tostring(i),
        __file = p.file, __line = p.line, form = nil, mentors = nil, mentees = nil, from = nil, to = nil,
        goal = nil, topic = nil, tasks = nil, completed = nil, meetings = nil }
      pair.form = read_form(p, "form", node.form)
      if node.form == nil and node.replaces == nil then
        p:error("не указана форма наставничества (поле form), например «%s»", forms.list[1].title)
      end
      pair.mentors = person_list(p, "mentor", node.mentor, registry, "наставник")
      if node.mentors ~= nil then
        for _, m in ipairs(person_list(p, "mentors", node.mentors, registry, "наставник")) do
          pair.mentors[#pair.mentors + 1] = m
        end
      end
      pair.mentees = person_list(p, "mentee", node.mentee, registry, "наставляемый")
      if node.mentees ~= nil then
        for _, m in ipairs(person_list(p, "mentees", node.mentees, registry, "наставляемый")) do
          pair.mentees[#pair.mentees + 1] = m
        end
      end
      if node.mentor == nil and node.mentors == nil then p:error("не указан наставник (поле mentor)") end
      -- A pair replacing another (a new mentor) takes the form, mentees and the rest from it.
      if node.replaces == nil then
        if node.mentee == nil and node.mentees == nil then
          p:error("не указан наставляемый (поле mentee)")
        end
      end
      if kind == "pair" and (#pair.mentors > 1 or #pair.mentees > 1) then
        p:error("в паре один наставник и один наставляемый; для нескольких пишите group { … }")
      end
      pair.from = date_field(p, "from", "дата начала")
      pair.to = date_field(p, "to", "дата окончания")
      if pair.from and pair.to and pair.from > pair.to then
        p:error("дата начала %s позже даты окончания %s (поля from, to)", dates.format(pair.from),
          dates.format(pair.to))
      end
      pair.goal = rich_field(p, "goal", node.goal)
      pair.topic = string_field(p, "topic", "тема")
      pair.tasks = rich_field(p, "tasks", node.tasks)
      pair.completed = node.completed and true or false
      if node.order ~= nil then
        pair.__order_given = true -- (a wrong number is reported here, not again as "in no order")
        pair.order = orders.find(p, "order", node.order)
        if not pair.order then
          -- (told by orders.find)
        elseif pair.order.kind ~= "pairs" and pair.order.kind ~= "mentor-change" and pair.order.kind ~= "other" then
          p:error("поле order: приказ %s — %s, а не о закреплении наставнических пар",
            pair.order.planned and timeline.reference(pair.order) or ("№ " .. pair.order.number),
            ORDER_KINDS[pair.order.kind] or pair.order.kind)
        end
      end
      -- Ended early: the date, the order, the reason.
      pair.ended = date_field(p, "ended", "дата досрочного завершения")
      pair.end_reason = string_field(p, "end_reason", "причина досрочного завершения")
      if node.ended_by ~= nil then
        pair.ended_by = orders.find(p, "ended_by", node.ended_by)
        if not pair.ended then p:error("поле ended_by: укажите и дату досрочного завершения (поле ended)") end
      end
      if pair.ended and pair.from and pair.ended < pair.from then
        p:error("поле ended: пара завершена %s, раньше своего начала %s", dates.format(pair.ended),
          dates.format(pair.from))
      end
      if node.replaces ~= nil then replacing[#replacing + 1] = { pair = pair, place = p, node = node } end
      p.ctx.places[pair] = p
      pair.meetings = {}
      for j, m in ipairs(list_field(p, "meetings")) do
        local mp = p:child(m, "встреча №" .. j)
        if type(m) ~= "table" then
          mp:error("ожидалось meeting { title = …, date = … }")
        else
          check_fields(mp, "meeting")
          pair.meetings[#pair.meetings + 1] = { title = string_field(mp, "title", "название встречи", true),
            date = date_field(mp, "date", "дата встречи"), note = string_field(mp, "note", "примечание") }
        end
      end
      pairs_out[#pairs_out + 1] = pair
    end
  end
  local by_number = {}
  for _, pair in ipairs(pairs_out) do by_number[pair.number] = by_number[pair.number] or pair end
  for _, r in ipairs(replacing) do
    local old = by_number[tostring(r.node.replaces)]
    if not old or old == r.pair then
      r.place:error("поле replaces: пары (группы) № %s нет среди пар; пишите номер заменяемой пары", tostring(r.node.replaces))
    else
      r.pair.replaces = old
      for _, f in ipairs(INHERITED) do
        if r.pair[f] == nil or (type(r.pair[f]) == "table" and #r.pair[f] == 0 and f ~= "form") then r.pair[f] = old[f] end
      end
      if r.pair.from and old.from and r.pair.from <= old.from then
        r.place:error("поле from: замена наставника начинается %s, не позже начала заменяемой пары № %s (%s)",
          dates.format(r.pair.from), old.number, dates.format(old.from))
      elseif not r.pair.from then
        r.place:error("не указана дата, с которой работает новый наставник (поле from)")
      end
    end
  end
  return pairs_out
end

local function read_events(parent, list)
  local events = {}
  for i, node in ipairs(list) do
    local p = parent:child(node, "мероприятие №" .. i)
    if type(node) ~= "table" then
      p:error("ожидалось event { title = …, level = …, date = …, result = … }")
    else
      check_fields(p, "event")
      local event = { title = string_field(p, "title", "название мероприятия", true),
        level = string_field(p, "level", "уровень"), date = string_field(p, "date", "дата"),
        result = string_field(p, "result", "результат"), place = string_field(p, "place", "место") }
      if event.date and event.date:match("^%d+%.%d+%.%d+$") then
        local _, err = dates.parse(event.date)
        if err then p:error("поле date: %s", err) end
      end
      events[#events + 1] = event
    end
  end
  return events
end

local function read_practices(parent, list, registry)
  local practices = {}
  for i, node in ipairs(list) do
    local p = parent:child(node, "практика №" .. i)
    if type(node) ~= "table" then
      p:error("ожидалось practice { title = … }")
    else
      check_fields(p, "practice")
      local practice = {
        title = string_field(p, "title", "название практики", true),
        authors = person_list(p, "authors", node.authors, registry, "автор"),
        form = read_form(p, "form", node.form),
        problem = rich_field(p, "problem", node.problem),
        description = rich_field(p, "description", node.description),
        results = rich_field(p, "results", node.results),
        year = string_field(p, "year", "год"),
      }
      if node.authors == nil then p:error("не указаны авторы (поле authors)") end
      practice.presented = read_events(p, list_field(p, "presented"))
      practices[#practices + 1] = practice
    end
  end
  return practices
end

------------------------------------------------------------------------------------------
-- Organisations and municipalities

local function read_contacts(p, value)
  if value == nil then return {} end
  local cp = p:child(value, "контакты")
  if type(value) ~= "table" then
    cp:error("ожидалось contacts { phone = …, email = … }")
    return {}
  end
  check_fields(cp, "contacts")
  local c = {}
  for _, f in ipairs(model.fields.contacts) do c[f] = string_field(cp, f, f) end
  if c.email and not c.email:find("@", 1, true) then
    cp:error("поле email: в адресе «%s» нет «@»", c.email)
  end
  return c
end

local function read_people(p, registry)
  for i, node in ipairs(list_field(p, "people")) do
    if model.kind(node) ~= "person" and type(node) ~= "table" then
      p:error("поле people, №%d: ожидалось person { \"Фамилия Имя Отчество\", post = … }", i)
    else
      read_person(p:child(node, nil), registry)
    end
  end
end

-- partners = { partner { short_name = …, full_name = …, people = { person { … } } } }: the
-- organisations the roadmap works with (a school, a college, an employer). Their people are
-- found by "Фамилия И.О." like the organisation's own (responsible cells, mentors of pairs),
-- but are not its staff: each carries person.partner (the partner's names).
local function read_partners(p, registry)
  local partners = { list = {}, by_name = {} }
  for i, node in ipairs(list_field(p, "partners")) do
    if model.kind(node) ~= "partner" then
      p:error("поле partners, №%d: ожидалось partner { short_name = \"ООО «Лесхоз»\", full_name = \"…\", "
        .. "people = { person { … } } }", i)
    else
      local label = type(node.short_name) == "string" and ("партнёр «" .. text.trim(node.short_name) .. "»")
        or ("партнёр №" .. i)
      local pp = p:child(node, label)
      check_fields(pp, "partner")
      local partner = { short_name = string_field(pp, "short_name", "краткое наименование партнёра", true),
        full_name = string_field(pp, "full_name", "полное наименование партнёра"),
        kind = string_field(pp, "kind", "тип партнёра"), people = {} }
      local key = partner.short_name and text.lower(partner.short_name)
      if key and partners.by_name[key] then
        pp:error("партнёр «%s» описан дважды; второй раз пишите только ссылку partner \"%s\"", partner.short_name,
          partner.short_name)
      elseif key then
        partners.by_name[key] = partner
        partners.list[#partners.list + 1] = partner
      end
      local names = { short_name = partner.short_name, full_name = partner.full_name }
      for j, pn in ipairs(list_field(pp, "people")) do
        if model.kind(pn) ~= "person" then
          pp:error("поле people, №%d: ожидалось person { \"Фамилия Имя Отчество\", post = … }", j)
        else
          local person = read_person(pp:child(pn, nil), people.registry(nil))
          person.partner = names
          registry:add(person, true)
          partner.people[#partner.people + 1] = person
        end
      end
    end
  end
  return partners
end

-- What the organisation publishes about the participants on its site (a consent of its own,
-- 152-ФЗ art. 10.1): publishes = true (the usual list) or a list of what it publishes.
local PUBLISHED = { "фамилия, имя, отчество", "класс (для работника — должность)",
  "форма наставничества, тема и результаты работы наставнической пары (группы)" }

local function read_publishes(p)
  local v = p.node.publishes
  if v == nil or v == false then return nil end
  if v == true then return PUBLISHED end
  if type(v) == "string" then v = { v } end
  if type(v) ~= "table" or #v == 0 then
    p:error("поле publishes: пишите true или список того, что публикуется на сайте, например { \"фамилия, имя, отчество\" }")
    return nil
  end
  local out = {}
  for i, item in ipairs(v) do
    if type(item) ~= "string" or not check_utf8(p, "publishes", item) then
      p:error("поле publishes, №%d: ожидался текст", i)
    else
      out[#out + 1] = text.trim(item)
    end
  end
  return out
end

-- What timeline.link reports, at the place of the pair or order it is about: an error, or a
-- remark (ctx.remarks) that `check` prints and that stops nothing.
local function report_at(p)
  return function(node, message, remark)
    local at = p.ctx.places[node] or p
    if remark then
      local remarks = p.ctx.remarks
      local prefix = at:path()
      remarks[#remarks + 1] = { file = at.file, line = at.line,
        message = (prefix ~= "" and (prefix .. ": ") or "") .. message }
    else
      at:error("%s", message)
    end
  end
end

local function read_organisation(parent, node, parent_registry, ctx)
  -- Messages about an organisation of a municipality start with its short name as the
  -- secretary wrote it ("МКОУ «Кедровская ООШ»: пара №1: …").
  local label = "организация"
  if type(node) == "table" and type(node.short_name) == "string"
      and text.trim(node.short_name) ~= "" and utf8_valid(node.short_name) then
    label = text.trim(node.short_name)
  end
  local p = parent and parent:child(node, label) or place_of(ctx, node, nil)
  check_fields(p, "organisation")
  local registry = people.registry(parent_registry)
  local org = {
    type = "organisation",
    -- either name may stand alone: documents print what exists, `build` lists the missing one
    full_name = string_field(p, "full_name", "полное наименование", p.node.short_name == nil),
    short_name = string_field(p, "short_name", "краткое наименование", true),
    kind = string_field(p, "kind", "тип организации"),
    place = string_field(p, "place", "населённый пункт"),
    region = string_field(p, "region", "регион"),
    address = string_field(p, "address", "адрес"),
    inn = string_field(p, "inn", "ИНН"),
    ogrn = string_field(p, "ogrn", "ОГРН"),
    branch_of = string_field(p, "branch_of", "головная организация"),
    contacts = read_contacts(p, p.node.contacts),
  }
  org.publishes = read_publishes(p)
  org.order_qr = link_field(p, "order_qr", "шаблон ссылки QR-кода приказов")
  read_people(p, registry)
  local partners = read_partners(p, registry)
  org.partners = partners.list
  org.head = person_ref(p, "head", p.node.head, registry, "руководитель")
  org.curator = person_ref(p, "curator", p.node.curator, registry, "куратор")
  org.coordinator = person_ref(p, "coordinator", p.node.coordinator, registry, "координатор")
  local orders = read_orders(p, list_field(p, "orders"), registry)
  org.orders = orders.list
  if p.node.roadmap ~= nil then
    org.roadmap = read_roadmap(p, p.node.roadmap, registry, orders, partners)
  end
  org.pairs = read_pairs(p, list_field(p, "pairs"), registry, orders)
  timeline.link(org, report_at(p))
  org.practices = read_practices(p, list_field(p, "practices"), registry)
  org.events = read_events(p, list_field(p, "events"))
  if org.roadmap then
    link_evidence(org.roadmap.__evidence, orders, events_of(org))
    org.roadmap.__evidence = nil
  end
  org.people = registry.list
  return org
end

-- A municipality is read in three steps, so that `build` and `check` can read its
-- organisations one at a time (load.region: a region of 2,000 organisations does not fit in
-- memory at once): its own fields (municipality_start), each organisation
-- (municipality_organisation, in the order of the list), and what needs all the
-- organisations (municipality_finish: the practices, whose authors work anywhere in the
-- municipality, and the evidence of its roadmap, which includes the organisations' events).
-- `orgs` of the last step may be the organisations' light copies (load.light): people,
-- practices and events are all it reads.
local function municipality_start(p)
  check_fields(p, "municipality")
  local registry = people.registry(nil)
  local mun = {
    type = "municipality",
    name = string_field(p, "name", "название муниципалитета", true),
    full_name = string_field(p, "full_name", "полное наименование органа"),
    short_name = string_field(p, "short_name", "краткое наименование"),
    body = string_field(p, "body", "орган управления образованием"),
    kind = string_field(p, "kind", "тип"),
    place = string_field(p, "place", "населённый пункт"),
    region = string_field(p, "region", "регион"),
    monitoring_year = string_field(p, "monitoring_year", "учебный год мониторинга"),
    contacts = read_contacts(p, p.node.contacts),
  }
  mun.order_qr = link_field(p, "order_qr", "шаблон ссылки QR-кода приказов")
  read_people(p, registry)
  local partners = read_partners(p, registry)
  mun.partners = partners.list
  mun.head = person_ref(p, "head", p.node.head, registry, "руководитель")
  mun.curator = person_ref(p, "curator", p.node.curator, registry, "куратор")
  local orders = read_orders(p, list_field(p, "orders"), registry)
  mun.orders = orders.list
  timeline.link(mun, report_at(p))
  if p.node.roadmap ~= nil then mun.roadmap = read_roadmap(p, p.node.roadmap, registry, orders, partners) end
  mun.organisations = {}
  mun.people = registry.list
  -- (what the later steps need; taken off the model by municipality_finish)
  mun.__reading = { place = p, registry = registry, orders = orders, nodes = list_field(p, "organisations") }
  return mun
end

-- The organisation `node` (the i-th of the list) of a municipality being read, with its
-- errors in `ctx` (the municipality's, or one of the organisation's own); nil when the node
-- is not an organisation.
local function municipality_organisation(reading, i, node, ctx)
  local p = reading.place
  if ctx ~= p.ctx then p = place_of(ctx, p.node, p.label) end
  if model.kind(node) ~= "organisation" then
    p:error("организация №%d: ожидалось organisation { … }", i)
    return nil
  end
  return read_organisation(p, node, reading.registry)
end

-- Returns the municipality and the tables of `orgs` its own fields may now hold (besides
-- mun.organisations): their events (the evidence of its roadmap) and, when it has practices,
-- their people (the authors).
local function municipality_finish(mun, reading, orgs)
  local p = reading.place
  mun.__reading = nil
  mun.organisations = orgs
  local reached = {}
  -- Practices of a municipality name authors from any of its organisations: a registry of
  -- everyone, made only when there are practices (a region's 60,000 people would be keyed
  -- for nothing).
  local practices = list_field(p, "practices")
  local everyone = people.registry(reading.registry)
  if practices[1] ~= nil then
    for _, org in ipairs(orgs) do
      for _, person in ipairs(org.people) do
        everyone:add(person, true)
        reached[#reached + 1] = person
      end
    end
  end
  mun.practices = read_practices(p, practices, everyone)
  mun.events = read_events(p, list_field(p, "events"))
  -- The municipal roadmap's evidence: the department's orders, its events and those of its organisations.
  local all_events = events_of(mun)
  for _, org in ipairs(orgs) do
    for _, ev in ipairs(events_of(org)) do
      all_events[#all_events + 1] = ev
      reached[#reached + 1] = ev
    end
  end
  if mun.roadmap then
    link_evidence(mun.roadmap.__evidence, reading.orders, all_events)
    mun.roadmap.__evidence = nil
  end
  return mun, reached
end

local function read_municipality(p)
  local mun = municipality_start(p)
  local reading = mun.__reading
  local orgs = {}
  for i, node in ipairs(reading.nodes) do
    orgs[#orgs + 1] = municipality_organisation(reading, i, node, p.ctx)
  end
  return municipality_finish(mun, reading, orgs)
end

local function new_context(file, source_of)
  return { errors = {}, remarks = {}, places = {}, evidence = {}, file = file, source_of = source_of,
    field_lines = {}, sheets = {} }
end

-- Errors and remarks in the order of the files and lines (remarks stop nothing: what the
-- documents handle on their own, said once by `check`).
function validate.sort(list)
  for i, e in ipairs(list) do e.order = i end
  table.sort(list, function(a, b)
    if a.file ~= b.file then return a.file < b.file end
    if a.line ~= b.line then return a.line < b.line end
    return a.order < b.order
  end)
  return list
end

-- The streaming read of a municipality (load.region): its own fields now, then
-- region:organisation(node, i, source_of) for each node of region.nodes -> the organisation
-- (or nil), its errors and its remarks, read in a context of its own so that nothing of it
-- stays once its model is let go; then region:finish(orgs) -> the number of errors it added,
-- and the tables of `orgs` the municipality's own fields now hold (municipality_finish).
-- The caller gathers the organisations' errors and remarks into region.errors and
-- region.remarks (unsorted: validate.sort).
function validate.region(root, file, source_of)
  local ctx = new_context(file, source_of)
  local mun = municipality_start(place_of(ctx, root, nil))
  local reading = mun.__reading
  local region = { municipality = mun, nodes = reading.nodes, errors = ctx.errors, remarks = ctx.remarks }
  function region.organisation(_, node, i, org_source_of)
    local org_ctx = new_context(file, org_source_of)
    local org = municipality_organisation(reading, i, node, org_ctx)
    return org, org_ctx.errors, org_ctx.remarks
  end
  function region.finish(_, orgs)
    local before = #ctx.errors
    local _, reached = municipality_finish(mun, reading, orgs)
    return #ctx.errors - before, reached
  end
  return region
end

-- Validates the value a school script returned. `file` names the script for messages;
-- `source_of(file)`, when given, returns the text of a file of the description, for the
-- lines of fields.
function validate.model(root, file, source_of)
  local ctx = new_context(file, source_of)
  local kind = model.kind(root)
  local result
  if kind == "organisation" then
    result = read_organisation(nil, root, nil, ctx)
  elseif kind == "municipality" then
    result = read_municipality(place_of(ctx, root, nil))
  else
    ctx.errors[1] = { file = file, line = 0,
      message = "описание не возвращено: последней строкой файла должно быть "
        .. "«return organisation { … }» или «return municipality { … }»" }
    return nil, ctx.errors
  end
  validate.sort(ctx.errors)
  -- Remarks stop nothing: what the documents handle on their own, said once by `check`.
  result.__remarks = validate.sort(ctx.remarks)
  return result, ctx.errors
end

return validate
