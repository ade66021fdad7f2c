-- Loading a description: run the school script in the sandbox, translate Lua's own errors
-- into Russian, validate, and hand back the model or every error found.
--
--   local model, errors = load.description("samples/school.lua")
--
-- The person who reads the errors is a school secretary: every message is Russian, names
-- the file and the line, and says what to write instead. Lua's own messages ("'}' expected
-- near 'mentee'") are translated here; those no rule knows keep Lua's text after
-- "ошибка Lua:", so that nothing is lost.

local host = require "nastavnik.host"
local russian = require "nastavnik.russian"
local sandbox = require "nastavnik.sandbox"
local validate = require "nastavnik.validate"
local model = require "nastavnik.model"
local text = require "nastavnik.text"

local load_description = {}

------------------------------------------------------------------------------------------
-- Translating Lua's messages

local TYPE_NAMES = {
  ["nil"] = "пустое значение (nil)", boolean = "логическое значение (true/false)",
  number = "число", string = "текст", table = "таблица", ["function"] = "функция",
  userdata = "служебное значение", thread = "сопрограмма",
}
local function type_name(t) return TYPE_NAMES[t] or t end

-- Every field name of every constructor: "full_name "x"" (with "=" forgotten) is a call of
-- an unknown global full_name, and deserves a message about the "=".
local FIELD_NAMES = {}
for _, fields in pairs(model.fields) do
  for _, f in ipairs(fields) do FIELD_NAMES[f] = true end
end

-- Words a script may legitimately use, for "может быть, «pair»?".
local KNOWN_WORDS = { "school" }
for _, n in ipairs(model.constructor_names) do KNOWN_WORDS[#KNOWN_WORDS + 1] = n end
for _, n in ipairs({ "require", "ipairs", "pairs", "string", "table", "math", "utf8", "tostring",
  "tonumber", "type", "error", "assert", "select", "next", "load", "pcall" }) do
  KNOWN_WORDS[#KNOWN_WORDS + 1] = n
end

-- What Lua prints after "near": 'x' or <eof>. Bytes of a Cyrillic letter come as <\208>.
local function near(token)
  if token == "<eof>" then return "концом файла" end
  local inner = token:match("^'(.*)'$") or token
  return "«" .. inner .. "»"
end

-- A token that starts with the byte of a Cyrillic letter or of a typographic quote.
local function outside_quotes_hint(token)
  local byte = tonumber(token:match("<\\(%d+)>") or "")
  if byte == 208 or byte == 209 then
    return "русский текст вне кавычек: текст пишется в прямых кавычках, например "
      .. "mentor = \"Иванова М.П.\""
  elseif byte == 194 or byte == 226 then
    return "текст нужно брать в прямые кавычки \"…\"; кавычки «…» и “…” пишутся только "
      .. "внутри текста"
  elseif byte then
    return "непонятный знак вне кавычек; текст пишется в прямых кавычках \"…\""
  end
end

-- Brackets of the source, read by a small scanner that skips strings and comments. Returns
-- the innermost bracket left open at the end (character and line), and the first place
-- where the indentation disagrees with the brackets: a line starting with a closing bracket
-- whose opening bracket stands at another indentation. Lua notices a lost "}" only at the
-- end of the file ("'}' expected (to close '{' at line 10) near <eof>"); descriptions are
-- indented, so the indentation tells where the "}" was really lost.
--   mismatch = { kind = "unclosed", line = where the "{" is, at = line of the "}" that shows it }
--            | { kind = "extra", line = line of the "}" that closes too much }
local function scan_brackets(source)
  local stack, line, i, n = {}, 1, 1, #source
  local closing = { [")"] = "(", ["}"] = "{", ["]"] = "[" }
  local indent = #source:match("^[ \t]*")
  local line_start = true -- nothing but spaces since the start of the line
  local mismatch
  local code_indent = {} -- line -> indentation, for lines that start with code
  while i <= n do
    local c = source:sub(i, i)
    if line_start and not code_indent[line] and c ~= "\n" and c ~= " " and c ~= "\t"
        and c ~= "\r" and not source:match("^%-%-", i) then
      code_indent[line] = indent
    end
    if c == "\n" then
      line = line + 1
      indent = #source:match("^[ \t]*", i + 1)
      line_start = true
      i = i + 1
    elseif c == " " or c == "\t" or c == "\r" then
      i = i + 1
    elseif source:match("^%-%-", i) then
      local eq = source:match("^%-%-%[(=*)%[", i)
      local stop
      if eq then
        stop = select(2, source:find("]" .. eq .. "]", i, true)) or n
      else
        stop = (source:find("\n", i, true) or n + 1) - 1
      end
      for _ in source:sub(i, stop):gmatch("\n") do line = line + 1 end
      line_start = false
      i = stop + 1
    elseif c == "[" and source:match("^%[=*%[", i) then
      local eq = source:match("^%[(=*)%[", i)
      local stop = select(2, source:find("]" .. eq .. "]", i, true)) or n
      for _ in source:sub(i, stop):gmatch("\n") do line = line + 1 end
      line_start = false
      i = stop + 1
    elseif c == "\"" or c == "'" then
      local j = i + 1
      while j <= n do
        local d = source:sub(j, j)
        if d == "\\" then j = j + 1
        elseif d == c or d == "\n" then break end
        j = j + 1
      end
      line_start = false
      i = j + 1
    elseif c == "{" or c == "(" or c == "[" then
      stack[#stack + 1] = { c, line, indent }
      line_start = false
      i = i + 1
    elseif closing[c] then
      local top = stack[#stack]
      if line_start and top and top[2] ~= line and not mismatch then
        if top[3] > indent then
          mismatch = { kind = "unclosed", line = top[2], at = line, char = top[1], indent = top[3] }
        elseif top[3] < indent then
          mismatch = { kind = "extra", line = line, char = c }
        end
      end
      if top and top[1] == closing[c] then stack[#stack] = nil end
      line_start = false
      i = i + 1
    else
      line_start = false
      i = i + 1
    end
  end
  -- The "}" of an unclosed "{" belongs before the first line below it that starts at the
  -- same indentation or to the left of it (the next item, the end of the list).
  if mismatch and mismatch.kind == "unclosed" then
    for l = mismatch.line + 1, mismatch.at do
      if code_indent[l] and code_indent[l] <= mismatch.indent then
        mismatch.at = l
        break
      end
    end
  end
  local top = stack[#stack]
  return top and top[1], top and top[2], mismatch
end

-- The message for a bracket the indentation points at, and its line; nil when the
-- indentation tells nothing.
local function bracket_hint(source)
  local _, _, mismatch = scan_brackets(source or "")
  if not mismatch then return nil end
  if mismatch.kind == "unclosed" then
    return string.format("синтаксическая ошибка: не закрыта скобка «%s» (судя по отступам, её "
      .. "закрывающая «%s» должна стоять перед строкой %d)", mismatch.char,
      ({ ["{"] = "}", ["("] = ")", ["["] = "]" })[mismatch.char], mismatch.at), mismatch.line
  end
  return string.format("синтаксическая ошибка: лишняя закрывающая скобка «%s» (судя по отступам; "
    .. "или выше не хватает открывающей «{»)", mismatch.char), mismatch.line
end

local CLOSE_OF = { ["{"] = "}", ["("] = ")", ["["] = "]" }

-- The source being translated for, for the rules that look at it (set by translate).
local translating_source = ""

-- Each rule: a Lua message pattern (position already taken off) and a function of its
-- captures and the source, giving the Russian message.
local TRANSLATIONS = {
  -- Syntax: what the parser expected.
  { "^'(.-)' expected %(to close '(.-)' at line (%d+)%) near (.*)$", function(want, open, line, token)
    if token == "<eof>" then
      return string.format("синтаксическая ошибка: скобка «%s» из строки %s не закрыта — в конце "
        .. "файла не хватает «%s»", open, line, want)
    end
    if want == "}" and token ~= "')'" and token ~= "']'" then
      return string.format("синтаксическая ошибка: перед %s пропущена запятая (каждое поле и "
        .. "каждый элемент списка кончаются запятой) или не хватает «}», закрывающей «{» из "
        .. "строки %s", near(token), line)
    end
    return string.format("синтаксическая ошибка: перед %s не хватает «%s», закрывающей «%s» из "
      .. "строки %s", near(token), want, open, line)
  end },
  { "^'}' expected near (.*)$", function(token)
    if token == "<eof>" then return "синтаксическая ошибка: в конце файла не хватает «}»" end
    if token == "')'" or token == "']'" then
      return string.format("синтаксическая ошибка: скобки не совпадают: вместо %s нужна «}»",
        near(token))
    end
    return string.format("синтаксическая ошибка: перед %s пропущена запятая (каждое поле "
      .. "кончается запятой) или не хватает «}»", near(token))
  end },
  { "^'=' expected near (.*)$", function(token)
    return string.format("синтаксическая ошибка: перед %s пропущен знак «=»: поле пишется как "
      .. "имя = значение, например full_name = \"…\"", near(token))
  end },
  { "^<eof> expected near (.*)$", function(token)
    return string.format("синтаксическая ошибка: лишнее %s после конца описания (лишняя "
      .. "закрывающая скобка?)", near(token))
  end },
  { "^'(.-)' expected near (.*)$", function(want, token)
    return string.format("синтаксическая ошибка: перед %s ожидалось «%s»; проверьте запятые и "
      .. "скобки", near(token), want)
  end },
  { "^<name> expected near (.*)$", function(token)
    return string.format("синтаксическая ошибка: перед %s ожидалось имя поля (латиницей)",
      near(token))
  end },
  { "^(.-) expected near (.*)$", function(want, token)
    return string.format("синтаксическая ошибка: перед %s ожидалось %s", near(token), want)
  end },
  { "^unexpected symbol near <eof>$", function()
    local open, line = scan_brackets(translating_source)
    if open then
      return string.format("синтаксическая ошибка: файл кончился, а скобка «%s» из строки %d не "
        .. "закрыта — не хватает «%s»", open, line, CLOSE_OF[open])
    end
    return "синтаксическая ошибка: файл кончился на середине записи (не дописано значение?)"
  end },
  { "^unexpected symbol near (.*)$", function(token)
    local hint = outside_quotes_hint(token)
    if hint then return "синтаксическая ошибка: " .. hint end
    if token == "'}'" or token == "')'" or token == "']'" then
      return string.format("синтаксическая ошибка: лишняя закрывающая скобка %s (или выше не "
        .. "хватает открывающей)", near(token))
    end
    return string.format("синтаксическая ошибка: неожиданный знак %s; проверьте запятые, "
      .. "кавычки и скобки", near(token))
  end },
  { "^unfinished string near (.*)$", function(token)
    if token == "<eof>" then return "синтаксическая ошибка: не закрыта кавычка в конце файла" end
    return string.format("синтаксическая ошибка: не закрыта кавычка: текст %s не кончается "
      .. "кавычкой до конца строки (многострочный текст пишут в [[ … ]])", near(token))
  end },
  { "^unfinished long string", function()
    return "синтаксическая ошибка: многострочный текст «[[» не закрыт — до конца файла нет «]]»"
  end },
  { "^unfinished long comment", function()
    return "синтаксическая ошибка: многострочный комментарий «--[[» не закрыт — до конца файла "
      .. "нет «]]»"
  end },
  { "^invalid escape sequence near (.*)$", function(token)
    return string.format("синтаксическая ошибка: в тексте %s обратная косая черта «\\» перед "
      .. "буквой, которая с ней не пишется; чтобы получить сам знак «\\», пишите «\\\\»", near(token))
  end },
  { "^(.-escape.-) near (.*)$", function(_, token)
    return string.format("синтаксическая ошибка: в тексте %s неверная последовательность с «\\»",
      near(token))
  end },
  { "^malformed number near (.*)$", function(token)
    return string.format("синтаксическая ошибка: %s — не число; дата или текст пишутся в "
      .. "кавычках, например date = \"04.09.2023\"", near(token))
  end },

  -- Running: names that do not exist, values of the wrong kind.
  { "^attempt to call a nil value %(global '([^']+)'%)$", function(name)
    if sandbox.FORBIDDEN[name] then
      return string.format("«%s» недоступно в описании школы: %s", name, sandbox.FORBIDDEN[name])
    end
    if FIELD_NAMES[name] then
      return string.format("после «%s» пропущен знак «=»: пишите %s = \"…\"", name, name)
    end
    local guess = text.nearest(name, KNOWN_WORDS)
    return string.format("неизвестное слово «%s»%s", name,
      guess and ("; может быть, «" .. guess .. "»?") or "")
  end },
  { "^attempt to index a nil value %(global '([^']+)'%)$", function(name)
    if sandbox.FORBIDDEN[name] then
      return string.format("«%s» недоступно в описании школы: %s", name, sandbox.FORBIDDEN[name])
    end
    local guess = text.nearest(name, KNOWN_WORDS)
    return string.format("неизвестное слово «%s»%s", name,
      guess and ("; может быть, «" .. guess .. "»?") or "")
  end },
  { "^attempt to call a nil value %(%a+ '([^']+)'%)$", function(name)
    return string.format("вызов несуществующей функции «%s»", name)
  end },
  { "^attempt to call a (%a+) value %(%a+ '([^']+)'%)$", function(t, name)
    return string.format("«%s» — %s, а не функция: вызвать нельзя", name, type_name(t))
  end },
  { "^attempt to call a (%a+) value$", function(t)
    return string.format("вызов значения, которое не функция (%s)", type_name(t))
  end },
  { "^attempt to index a (%a+) value %(%a+ '([^']+)'%)$", function(t, name)
    return string.format("у «%s» нет полей: это %s", name, type_name(t))
  end },
  { "^attempt to index a (%a+) value$", function(t)
    return string.format("обращение к полю значения, у которого нет полей (%s)", type_name(t))
  end },
  { "^attempt to perform arithmetic on a (%a+) value(.*)$", function(t, rest)
    local name = rest:match("'([^']+)'")
    return string.format("арифметика с тем, что не число: %s%s", type_name(t),
      name and (" «" .. name .. "»") or "")
  end },
  { "^attempt to perform '(.-)' on a '(%a+)'", function(op, t)
    return string.format("арифметика с тем, что не число: %s (%s)", type_name(t), op)
  end },
  { "^attempt to %a+ a '(%a+)' with a '(%a+)'$", function(a, b)
    return string.format("арифметика с тем, что не число: %s и %s (текст пишут в кавычках и "
      .. "не складывают с числами)", type_name(a), type_name(b))
  end },
  { "^attempt to concatenate a (%a+) value(.*)$", function(t, rest)
    local name = rest:match("'([^']+)'")
    return string.format("нельзя склеить текст (..) со значением %s%s", type_name(t),
      name and (" «" .. name .. "»") or "")
  end },
  { "^attempt to compare (.*)$", function(rest)
    return "нельзя сравнить значения разных видов (" .. rest .. ")"
  end },
  { "^bad argument #(%d+) to '([^']+)' %((.*)%)$", function(n, f, why)
    return string.format("неверное значение №%s у функции «%s» (%s)", n, f, why)
  end },
  { "^cannot change a protected metatable$", function()
    return "setmetatable: эту метатаблицу менять нельзя"
  end },
  { "^table index is (%a+)$", function(what)
    return string.format("ключ таблицы не может быть %s", what == "nil" and "пустым (nil)" or what)
  end },
  { "stack overflow", function()
    return "слишком глубокая вложенность вызовов (функция вызывает сама себя без конца?)"
  end },
  { "^not enough memory$", function()
    return "описание требует слишком много памяти (предел " .. host.memory_limit_mb .. " МБ): "
      .. "вероятно, цикл без конца копит данные"
  end },
  { "string length overflow", function()
    return "описание требует слишком много памяти: слишком длинный текст"
  end },
  { "resulting string too large", function()
    return "описание требует слишком много памяти: слишком длинный текст"
  end },
}

local function translate(message, source)
  translating_source = source or ""
  -- Whatever the parser expected, a Russian letter or a «» quote where it stopped means
  -- text written without its quotes.
  local token = message:match(" near ('<\\%d+>.*)$")
  local hint = token and outside_quotes_hint(token)
  if hint then return "синтаксическая ошибка: " .. hint end
  for _, t in ipairs(TRANSLATIONS) do
    local captures = { message:match(t[1]) }
    if #captures > 0 then
      return t[2](table.unpack(captures))
    end
  end
  -- Our own messages (the sandbox's, the host's, a script's error("…")) are Russian already.
  if message:find("[\208\209][\128-\191]") then return message end
  return "ошибка Lua: " .. message
end

-- The last line of the source that holds anything.
local function last_line(source)
  local line_no, last = 0, 1
  for line in (source .. "\n"):gmatch("(.-)\n") do
    line_no = line_no + 1
    if line:match("%S") then last = line_no end
  end
  return last
end

-- Splits "file:line: message" into an error record. A script may raise any value; only a
-- string is read (tostring of a table would run the script's __tostring, past the budget).
local function error_record(message, file, source)
  if type(message) ~= "string" then
    return { file = file, line = 0, message = string.format("описание остановлено ошибкой без "
      .. "текста (значение вида «%s»)", type_name(type(message))) }
  end
  local f, line, rest = message:match("^([^\n]-):(%d+): (.*)$")
  if f then
    -- Lua shortens long paths to ".../end"; give back the file we know when it matches.
    if f:sub(1, 3) == "..." and file:sub(-(#f - 3)) == f:sub(4) then f = file end
    line = tonumber(line)
    -- "near <eof>" comes with the number of the empty line after the last newline; the
    -- secretary looks for the last line she wrote.
    if f == file and source and rest:find("<eof>$") then line = math.min(line, last_line(source)) end
    -- An unclosed [[ is found at the end of the file; the place to fix is where it opens.
    line = tonumber(rest:match("^unfinished long %a+ %(starting at line (%d+)%)")) or line
    -- A lost or extra bracket: Lua notices it far below, the indentation tells where it is.
    if f == file and source and (rest:find("near <eof>$") or rest:find("^<eof> expected")
        or rest:find("^unexpected symbol near '[%]})]'$")) and not rest:find("^unfinished") then
      local hint, hint_line = bracket_hint(source)
      if hint then return { file = f, line = hint_line, message = hint } end
    end
    return { file = f, line = line, message = translate(rest, source) }
  end
  return { file = file, line = 0, message = translate(message, source) }
end

-- The message handler of the script's run: a message without a place (the instruction
-- budget's, raised from the C hook) gets the line the script was at.
local function locate(message)
  if type(message) ~= "string" then
    message = string.format("описание остановлено ошибкой без текста (значение вида «%s»)",
      type_name(type(message)))
  end
  if message:match("^[^\n]-:%d+: ") then return message end
  for level = 2, 60 do
    local info = debug.getinfo(level, "Sl")
    if not info then break end
    if info.currentline > 0 and info.source:sub(1, 1) == "@"
        and not sandbox.is_trusted_source(info.source) then
      return info.source:sub(2) .. ":" .. info.currentline .. ": " .. message
    end
  end
  return message
end

-- Lua gives no place for "not enough memory": the error is thrown without a message
-- handler. A watcher finalised at every garbage collection cycle notes where the script is;
-- a runaway loop that fills memory runs many cycles, all inside the loop, so the last line
-- noted is the loop's. (collectgarbage("count") cannot be asked inside a finalizer, so every
-- cycle notes its line.) Trusted code: the script's own __gc is refused by the sandbox.
local function memory_watch()
  local watch = { active = true }
  local function arm()
    setmetatable({}, { __gc = function()
      if not watch.active then return end
      for level = 2, 40 do
        local info = debug.getinfo(level, "Sl")
        if not info then break end
        if info.currentline > 0 and info.source:sub(1, 1) == "@"
            and not sandbox.is_trusted_source(info.source) then
          watch.file, watch.line = info.source:sub(2), info.currentline
          break
        end
      end
      arm()
    end })
  end
  arm()
  return watch
end

------------------------------------------------------------------------------------------
-- Encoding

-- A file saved in Windows-1251 (the usual way to break UTF-8) has its Cyrillic letters as
-- single bytes 0xC0–0xFF, not followed by the continuation bytes UTF-8 would need.
local function looks_like_cp1251(line)
  return line:find("[\192-\255][^\128-\191]") ~= nil or line:find("[\192-\255]$") ~= nil
end

local MAX_ENCODING_ERRORS = 10

local utf8_valid = text.utf8_valid

-- Every line of the file that is not UTF-8 (comments included, which Lua accepts).
local function encoding_errors(source, file)
  -- (the whole at once, in C: a line of a valid file is valid, and a description is almost
  -- always valid; the lines are read one by one, by utf8.len, only to tell which are not)
  if utf8_valid(source) then return {} end
  local bad, line_no = {}, 0
  for line in (source .. "\n"):gmatch("(.-)\n") do
    line_no = line_no + 1
    local at = text.invalid_utf8_at(line)
    if at then bad[#bad + 1] = { line = line_no, at = at, text = line } end
  end
  local errors = {}
  for i, b in ipairs(bad) do
    if i > MAX_ENCODING_ERRORS then break end
    local message
    if i == 1 then
      message = string.format("файл сохранён не в кодировке UTF-8%s: так записано строк — %d; "
        .. "откройте файл в редакторе и сохраните его в кодировке UTF-8 (в Блокноте: «Сохранить "
        .. "как…», «Кодировка: UTF-8»)", looks_like_cp1251(b.text) and " (похоже, в Windows-1251)"
        or "", #bad)
    else
      message = string.format("текст не в кодировке UTF-8 (знак %d в строке)", b.at)
      if i == MAX_ENCODING_ERRORS and #bad > i then
        message = message .. string.format("; и ещё строк: %d", #bad - i)
      end
    end
    errors[#errors + 1] = { file = file, line = b.line, message = message }
  end
  return errors
end

------------------------------------------------------------------------------------------
-- What the script returned

local MAX_DEPTH = 64
local MAX_TABLES = 300000
-- The longest text a field may hold: about 500,000 letters, a book; a longer one is a
-- runaway string.rep or a loop, and would only fill memory further on.
local MAX_TEXT_BYTES = 1 << 20

-- A plain copy of what the script built: raw reads, no metatables, so that validation never
-- runs the script's code (an __index or __pairs of its own). The kind and place of each
-- node go with it (model.copy_mark). The copy is a tree: a table met twice is copied twice
-- (so that a few lines of Lua cannot make validation walk 2^40 items through shared
-- references — the count is capped), and a table inside itself is an error rather than an
-- endless walk. Texts longer than MAX_TEXT_BYTES are refused with the field's name.
local function plain_copy(value, errors, file, deferred)
  local on_path, count = {}, 0
  local function fail(line, message)
    errors[#errors + 1] = { file = file, line = line, message = message }
  end
  local copy
  -- (the table's own loop tells the common values, short texts, numbers, booleans, by their
  -- type at once: only tables and over-long texts take the call)
  local function copy_table(v, depth, line)
    -- (an organisation load.region reads later: a node of its own kind, unless the script
    -- looked into it and so ran it)
    local later = deferred and deferred[v]
    if later and later.value == nil then return model.mark({}, "deferred", later.file, 0) end
    if later then v = later.value end
    local c = {}
    local f, l = model.copy_mark(v, c)
    if type(l) == "number" and f == file then line = l end
    if on_path[v] then
      fail(line, "таблица вложена сама в себя: так описание не бывает")
      return {}
    end
    if depth > MAX_DEPTH then
      fail(line, string.format("вложенность глубже %d уровней: так глубоко описание не бывает",
        MAX_DEPTH))
      return {}
    end
    count = count + 1
    if count > MAX_TABLES then
      fail(line, string.format("описание слишком велико: больше %d таблиц", MAX_TABLES))
      return {}
    end
    on_path[v] = true
    local k, x = next(v)
    while k ~= nil do
      local kind = type(k)
      local ck = (kind == "table" or kind == "string" and #k > MAX_TEXT_BYTES) and copy(k, depth + 1, line) or k
      kind = type(x)
      c[ck] = (kind == "table" or kind == "string" and #x > MAX_TEXT_BYTES) and copy(x, depth + 1, line, k) or x
      k, x = next(v, k)
    end
    on_path[v] = nil
    return c
  end
  function copy(v, depth, line, key)
    if type(v) == "string" and #v > MAX_TEXT_BYTES then
      fail(line, string.format("%sтекст длиной %.0f МБ — длиннее предела в %d МБ",
        type(key) == "string" and #key <= 64 and ("поле " .. key .. ": ") or "",
        #v / 1048576, MAX_TEXT_BYTES >> 20))
      return ""
    end
    if type(v) ~= "table" or #errors > 0 then return v end
    return copy_table(v, depth, line)
  end
  return copy(value, 0, 0)
end

-- Whether what a script returned is such a copy already, and so may be validated as it is:
-- a tree (no table met twice, none inside itself) of at most MAX_TABLES tables and MAX_DEPTH
-- levels, no table with a metatable (reading it runs no code of the script), no table as a
-- key and no text longer than MAX_TEXT_BYTES. The copy of such a value holds the same keys
-- and values and the same marks, and the script that made it has ended: nothing but the
-- validation reads it. Most descriptions are such; copying them was a sixth of reading one.
-- Anything else is copied (plain_copy says what is wrong). The walk is the host's (lua_host.c):
-- in Lua it was a sixteenth of reading an organisation of a region.
local function plain_already(value)
  return host.plain_tree(value, MAX_DEPTH, MAX_TABLES, MAX_TEXT_BYTES)
end

-- What validation reads of the value a script returned: itself when plain_already, else its
-- plain copy.
local function plain_value(value, errors, file)
  if plain_already(value) then return value end
  return plain_copy(value, errors, file)
end

------------------------------------------------------------------------------------------

-- Whether `err` is Lua's out-of-memory error or the C rooms' (generator/memory.h).
local function is_memory_error(err)
  return type(err) == "string" and (err:find("not enough memory", 1, true) ~= nil
    or err:find("^не хватает памяти") ~= nil)
end

-- Runs a script in the sandbox. Returns its source and the two first values it returned, or
-- nil and the errors (read, encoding, syntax, run time). `sources` receives file -> source of
-- the script and of every file it requires.
local function run_script(file, sources, deferred, env_path)
  local source, read_error = host.read_file(file)
  if not source then
    return nil, { { file = file, line = 0, message = "не удалось прочитать файл: " .. tostring(read_error) } }
  end
  -- Notepad's "UTF-8 with BOM": Lua's load does not skip the mark as its loadfile does.
  if source:sub(1, 3) == "\239\187\191" then source = source:sub(4) end

  -- A file in another encoding: every Cyrillic string would be wrong; nothing else is worth
  -- checking until it is saved again.
  local bad_encoding = encoding_errors(source, file)
  if #bad_encoding > 0 then return nil, bad_encoding end

  sources[file] = source
  local env = sandbox.environment(env_path or file, host, sources, deferred)
  local chunk, syntax_error = load(source, "@" .. file, "t", env)
  if not chunk then return nil, { error_record(syntax_error, file, source) } end

  local watch = memory_watch()
  local ok, ran, first, second = sandbox.run(xpcall, chunk, locate)
  watch.active = false
  if not ok or not ran then
    local err = ok and first or ran
    if host.limits_reached() then
      -- The limits stay on after they are reached (so that no pcall can go on); the report
      -- below is the loader's own work.
      host.limits_off()
      return nil, { load_description.limit_error(err, file) }
    end
    -- memory the machine lacks (not the cap) is not the description's fault: main.c says it
    if is_memory_error(err) and not host.memory_cap_refused() then error(err, 0) end
    if err == "not enough memory" and watch.line then
      err = watch.file .. ":" .. watch.line .. ": " .. err
    end
    return nil, { error_record(err, file, source) }
  end
  return source, first, second
end

-- The model of a description whose script ran (run_script's results), or nil and errors.
local function describe_ran(file, sources, source, root)
  if not source then return nil, root end

  if root == nil then
    return nil, { { file = file, line = last_line(source), message = "описание не возвращено: "
      .. "последней строкой файла должно быть «return organisation { … }» или "
      .. "«return municipality { … }» (нет слова return?)" } }
  end
  local kind = model.kind(root)
  if kind ~= "organisation" and kind ~= "municipality" then
    return nil, { { file = file, line = sandbox.return_line(source) or last_line(source), message = string.format(
      "файл должен возвращать organisation { … } или municipality { … }, а возвращает %s",
      kind and (kind .. " { … }") or ("значение вида «" .. type_name(type(root)) .. "»")) } }
  end
  sandbox.fix_tail_call(root, file, source)

  local copy_errors = {}
  root = plain_value(root, copy_errors, file)
  if #copy_errors > 0 then return nil, copy_errors end
  -- Messages quote the lines of the files the loader read, and of no other file.
  local function source_of(f) return sources[f] end
  local m, errors = validate.model(root, file, source_of)
  -- The text as documents print it: "№ 146" and "2023 г." bound by non-breaking spaces, once
  -- here rather than in every document.
  if m then m = russian.nbsp_view(m) end
  return m, errors
end

local function describe(file)
  local sources = {}
  return describe_ran(file, sources, run_script(file, sources))
end

-- The limit a run reached (instructions, CPU time, the memory cap) as an error record, or nil
-- when `err` is another error. Memory the machine itself lacks is not a limit of the
-- description: that error goes on to generator/main.c (exit 4, memory.h).
function load_description.limit_error(err, file)
  local at, line, message = host.limits_reached()
  if at then return { file = at, line = line, message = message } end
  if is_memory_error(err) and host.memory_cap_refused() then
    return { file = file or host.limits_subject() or "nastavnik", line = 0,
      message = "описание требует слишком много памяти (предел " .. host.memory_limit_mb .. " МБ)" }
  end
end

-- The message handler for the work of a run: a limit passes as it is (limit_error reads it
-- again), and so does the machine's lack of memory (main.c tells it by its text); any other
-- error is the generator's own and gets its traceback.
function load_description.handler(file)
  return function(err)
    if load_description.limit_error(err, file) or is_memory_error(err) then return err end
    return debug.traceback(type(err) == "string" and err or ("ошибка вида «" .. type(err) .. "»"), 2)
  end
end

-- Runs `f(file)` as the start of a run of the description `file`: under fresh limits that
-- stay on for whatever is made from it afterwards (host.limits_off ends them). A limit
-- reached on the way is one error record; any other error is the generator's own.
local function start_run(file, f)
  host.limits_on(file)
  local results = table.pack(xpcall(f, load_description.handler(file), file))
  if results[1] then return table.unpack(results, 2, results.n) end
  local record = load_description.limit_error(results[2], file)
  host.limits_off()
  if record then return nil, { record } end
  error(results[2], 0)
end

-- Loads a description: the model and the errors (a model only when there are none that
-- stop it). The limits of the description's run are on from here on.
function load_description.description(file)
  return start_run(file, describe)
end

-- The data of `nastavnik fill`: a script returning a table (the view of a template) and,
-- optionally, a table of filters of its own. The filters run under the same limits as the
-- script (one budget for all their calls); what a filter returns is copied plainly (its
-- metatables never reach the template engine), and an error it raises is read only when it
-- is a text. Returns data, filters or nil, nil, errors.
local function read_data(file)
  local source, data, filters = run_script(file, {})
  if not source then return nil, nil, data end
  if type(data) ~= "table" then
    return nil, nil, { { file = file, line = last_line(source), message = string.format(
      "файл данных должен возвращать таблицу: «return { … }», а возвращает %s", type_name(type(data))) } }
  end
  local copy_errors = {}
  data = plain_copy(data, copy_errors, file)
  if #copy_errors > 0 then return nil, nil, copy_errors end
  local limited = {}
  if type(filters) == "table" then
    local name, f = next(filters)
    while name ~= nil do
      if type(name) == "string" and type(f) == "function" then
        local filter_name, filter = name, f
        limited[name] = function(v)
          local ok, result = sandbox.run(filter, v)
          if not ok then
            if type(result) ~= "string" then
              result = string.format("фильтр «%s» остановлен ошибкой без текста (значение вида «%s»)",
                filter_name, type_name(type(result)))
            end
            error(result, 0)
          end
          local result_errors = {}
          result = plain_copy(result, result_errors, file)
          if #result_errors > 0 then error(result_errors[1].message, 0) end
          return result
        end
      end
      name, f = next(filters, name)
    end
  end
  return data, limited
end

function load_description.data(file)
  local data, filters, errors = start_run(file, read_data)
  if data == nil and errors == nil then return nil, nil, filters end -- a limit reached
  return data, filters, errors
end

------------------------------------------------------------------------------------------
-- A region, one organisation at a time

-- An organisation as the municipality's own documents and `check`'s account read it (the
-- monitoring forms, the register of pairs, the practices, the regulation's list): all of
-- it but what only its own documents print — the roadmap's items (the title, the count of
-- items, the period and the stages' titles stay), and the pairs' goals, tasks and meetings
-- (the plans print them; a municipality's calendar is put together from its
-- organisations' own: commands/build.lua). What a
-- region of 2,000 organisations keeps in memory while their own documents are made one
-- organisation at a time.
local PAIR_ONLY_OWN = { goal = true, tasks = true, meetings = true }

-- The roadmap as the account of a region reads it: its title, the count of its items, its
-- period and the titles of its stages.
local function light_roadmap(rm)
  if not rm then return nil end
  local stages = {}
  for i, st in ipairs(rm.stages or {}) do stages[i] = { title = st.title } end
  return { title = rm.title, item_count = rm.item_count, period = rm.period, stages = stages }
end

function load_description.light(org)
  local light = {}
  for k, v in pairs(org) do
    if k ~= "roadmap" and k ~= "__remarks" then light[k] = v end
  end
  light.roadmap = light_roadmap(org.roadmap)
  local slim = {}
  for _, pair in ipairs(org.pairs or {}) do
    local copy = {}
    for k, v in pairs(pair) do
      if not PAIR_ONLY_OWN[k] then copy[k] = v end
    end
    slim[pair] = copy
  end
  if org.pairs then
    light.pairs = {}
    for i, pair in ipairs(org.pairs) do
      local copy = slim[pair]
      if copy.replaces then copy.replaces = slim[copy.replaces] or copy.replaces end
      light.pairs[i] = copy
    end
  end
  return light
end

-- Less than the light copy: what `check` reads of an organisation of a region once it is
-- read (summary.lua's account of it, and the municipality's finish: validate.lua's
-- municipality_finish reads the events, the practices and — when the municipality has
-- practices of its own, whose authors may work anywhere — the people). A worker sends it
-- to the parent of `check -j N` as text the parent parses again: the light copy was 20 KB
-- an organisation, most of it people the account never names; of an order the account
-- names its number, date and title. Not in print form.
function load_description.account(org, with_people)
  local pairs_forms, orders = {}, {}
  for i, pair in ipairs(org.pairs or {}) do pairs_forms[i] = { kind = pair.kind, form = pair.form } end
  for i, o in ipairs(org.orders or {}) do
    orders[i] = { number = o.number, date = o.date, title = o.title, planned = o.planned }
  end
  return { short_name = org.short_name, kind = org.kind, roadmap = light_roadmap(org.roadmap),
    pairs = pairs_forms, orders = orders, practices = org.practices, events = org.events,
    people = with_people and org.people or {} }
end

-- Reads the organisation file of a region (a `require` load.region deferred), as the
-- municipality's script would have: in a sandbox of the municipality's folder. Returns the
-- plain copy of what it returned, its sources, or nil and the errors.
local function organisation_file(later, municipality_file)
  local sources = {}
  local source, root = run_script(later.file, sources, nil, municipality_file)
  if not source then return nil, root end
  sandbox.fix_tail_call(root, later.file, source)
  local copy_errors = {}
  root = plain_value(root, copy_errors, later.file)
  if #copy_errors > 0 then return nil, copy_errors end
  return root, sources
end

-- Loads a description for `build` and `check`, a municipality one organisation at a time,
-- so that the memory a run takes is bounded by its largest organisation, not by the region:
--   region, errors = load.region(file)
-- A school (or a municipality whose script looked into its organisations): region.model is
-- the whole model, as load.description gives it. Otherwise region.count organisations, and
--   org, errors = region:organisation(i)  -- the i-th, validated and in print form, each
--                                             under fresh limits of the run; errors: records
--   x, errors = region:organisation(i, shape) -- shape(org) instead of the print form: `org`
--                                             validated, not in print form; under the limits
--   m, errors = region:finish(lights)     -- the municipality, its organisations being
--                                             `lights` (load.light of each, in order)
-- All the errors of the region are region.errors (every organisation's, once read) and its
-- remarks region.remarks: sorted by finish, as load.description sorts them.
function load_description.region(file)
  local deferred = setmetatable({}, { __mode = "k" })
  local sources = {}
  local function start(f)
    local source, root = run_script(f, sources, deferred)
    if not source then return nil, root end
    if model.kind(root) ~= "municipality" or next(deferred) == nil then
      -- (a school, or nothing to stream: the whole description as usual)
      local m, errors = describe_ran(f, sources, source, root)
      return { model = m, errors = errors }
    end
    sandbox.fix_tail_call(root, f, source)
    local copy_errors = {}
    root = plain_copy(root, copy_errors, f, deferred)
    if #copy_errors > 0 then return nil, copy_errors end
    local region = validate.region(root, f, function(name) return sources[name] end)
    -- (whether the municipality's finish reads its organisations' people: load.account)
    region.has_practices = root.practices ~= nil
    return region
  end
  local region, errors = start_run(file, start)
  if not region then return nil, errors end
  if region.model ~= nil or region.errors and not region.nodes then
    if not region.model then return nil, region.errors end
    return region
  end
  host.limits_off()
  region.count = #region.nodes
  local validate_organisation, validate_finish = region.organisation, region.finish
  function region.organisation(_, i, shape)
    local node = region.nodes[i]
    local errors, remarks = {}, {}
    local function read(f)
      local org_sources = {}
      if model.kind(node) == "deferred" then
        local root, more = organisation_file({ file = select(1, model.where(node)) }, f)
        if not root then
          errors = more
          return nil
        end
        node, org_sources = root, more
      end
      local function source_of(name) return org_sources[name] or sources[name] end
      local org
      org, errors, remarks = validate_organisation(region, node, i, source_of)
      if not org or #errors > 0 then return nil end
      return (shape or russian.nbsp_view)(org)
    end
    local org, limit = start_run(select(1, model.where(node)) or file, function() return read(file) end)
    host.limits_off()
    if not org and limit then errors = limit end
    return org, validate.sort(errors), remarks
  end
  function region.finish(_, lights)
    host.limits_on(file)
    local _, reached = validate_finish(region, lights)
    local m = region.municipality
    -- The organisations are in print form already: kept as they are. Of their tables the
    -- municipality's own fields hold only `reached`, so the walk is told those, not every
    -- table of thousands of organisations (that was two thirds of the Lua of check's parent).
    local orgs = m.organisations
    m.organisations = {}
    m = russian.nbsp_view(m, reached)
    for i, org in ipairs(orgs) do m.organisations[i] = org end
    region.municipality.organisations = orgs
    validate.sort(region.errors)
    m.__remarks = validate.sort(region.remarks)
    host.limits_off()
    return m, region.errors
  end
  region.file = file
  return region
end

-- Reads every organisation of a region (load.region) once, in `jobs` worker processes
-- (nastavnik/workers.lua): their errors and remarks go to region.errors and region.remarks
-- in the organisations' order, whatever the workers' pace. Returns the light copies
-- (load.light) of those read without errors, in order, and for organisation i what
-- per_org(org, i) returned in the worker (plain data).
-- `shape` (optional): what a command reads of an organisation, less than all of it in print
-- form — shape(org) (the organisation validated, not in print form) returns { light = what
-- the parent keeps in place of the light copy, view = what per_org is given }, both in print
-- form.
-- A worker that ended without its results makes region.internal the reason.
function load_description.read_region(region, jobs, per_org, shape)
  local workers = require "nastavnik.workers"
  local lights, extras = {}, {}
  -- (the organisations a worker that ended did not read, by the reason: told in one line
  -- each, not one per organisation — a region has thousands)
  local unread, reasons = {}, {}
  workers.run(region.count, jobs, function(i)
    local org, errors, remarks = region:organisation(i, shape)
    local result = { errors = errors, remarks = remarks }
    if org and shape then
      result.light = org.light
      result.extra = per_org and per_org(org.view, i)
    elseif org then
      result.light = load_description.light(org)
      result.extra = per_org and per_org(org, i)
    end
    return result
  end, function(i, result, ended)
    if not result then
      region.internal = region.internal or ended
      if not unread[ended] then
        unread[ended] = {}
        reasons[#reasons + 1] = ended
      end
      table.insert(unread[ended], i)
      return
    end
    for _, e in ipairs(result.errors) do region.errors[#region.errors + 1] = e end
    for _, r in ipairs(result.remarks) do region.remarks[#region.remarks + 1] = r end
    -- (what reading the workers' results leaves is collected as it goes: build's
    -- generational collector would let it pile up to the memory cap on 2,000 organisations
    -- when the results were Lua chunks read back by load(). A step, not a full collection:
    -- a full one goes over every light copy kept so far, quadratic in the region's size —
    -- 2,000 organisations, check -j 2: 0.25 s less processor time, the same peak memory)
    if i % 100 == 0 then collectgarbage("step") end
    if result.light then
      lights[#lights + 1] = result.light
      extras[i] = result.extra
    end
  end, load_description.handler(region.file))
  for _, why in ipairs(reasons) do
    local list, shown = unread[why], {}
    for k = 1, math.min(#list, 10) do shown[k] = "№" .. list[k] end
    region.errors[#region.errors + 1] = { file = region.file, line = 0, message = #list == 1
      and string.format("организация %s не прочитана: %s", shown[1], why)
      or string.format("не прочитаны организации %s%s (всего %d): %s", table.concat(shown, ", "),
        #list > 10 and ", …" or "", #list, why) }
  end
  return lights, extras
end

return load_description
