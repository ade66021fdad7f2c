-- The help of the command line, from one source: each command module's own fields
--   summary  one line for the list of commands
--   usage    how it is called
--   about    (optional) a paragraph on what it does
--   options  (optional) its parameters: a flag of help.OPTIONS below, or { "-o ФАЙЛ", "text" }
-- and the general sections here. The same text becomes `nastavnik help`, `nastavnik help
-- КОМАНДА`, `КОМАНДА --help` and the manual page nastavnik(1) (help.roff, run by the build):
-- nothing is written twice, so the manual cannot drift from the command.

local kinds = require "documents.kinds"

local help = {}

-- Parameters several commands take, told once.
help.OPTIONS = {
  ["--org"] = { "--org НАЗВАНИЕ|N", "для муниципалитета — организация: её краткое наименование или номер по порядку" },
  ["--item"] = { "--item N", "который из документов, которых много: план N-й пары или группы, согласие N-го "
    .. "участника, N-й приказ вида (по порядку издания); номер больше, чем их есть, — ошибка, в которой сказано, "
    .. "сколько их" },
  ["--person"] = { "--person \"Фамилия И.О.\"", "план или согласие этого человека (вместо --item): план пары, "
    .. "где он наставник или наставляемый, его согласие" },
  ["--date"] = { "--date ДД.ММ.ГГГГ", "дата, на которую составлены отчёт по дорожной карте и мониторинг "
    .. "(по умолчанию — сегодня)" },
  ["--template"] = { "--template ШАБЛОН", "свой шаблон вместо стандартного (например, копия стандартного "
    .. "на бланке школы; стандартные выдаёт nastavnik templates)" },
  ["--templates"] = { "--templates ПАПКА", "папка своих шаблонов (ВИД.docx, ВИД.odt — как их выдаёт "
    .. "nastavnik templates): для видов, шаблоны которых в ней есть, берутся они, для остальных — стандартные" },
  ["--help"] = { "--help", "эта справка" },
}

-- What follows the list of commands in `nastavnik help` and the manual.
help.DESCRIPTION = "Школа (или муниципалитет) описывается один раз, файлом на Lua; nastavnik проверяет "
  .. "описание и делает из него документы, которые подписывают секретарь, куратор и методист: дорожную карту, "
  .. "приказы, индивидуальные планы пар, согласия, отчёт по дорожной карте, сборник практик и мониторинг — "
  .. "в PDF, DOCX и ODT. Где данных нет, документ выходит с пропуском для заполнения от руки, и об этом "
  .. "сказано в сводке."

help.EXIT_CODES = {
  { "0", "всё в порядке" },
  { "1", "ошибки в описании (файл:строка: что не так — все ошибки файла сразу) или в шаблоне" },
  { "2", "неверный вызов команды" },
  { "3", "не удалось записать результат (файл и причина по-русски: «нет места на диске»)" },
  { "4", "внутренняя ошибка генератора" },
}

help.ENVIRONMENT = {
  { "NASTAVNIK_SCRIPTS", "папка библиотеки на Lua (nastavnik/, documents/) вместо установленной" },
  { "NASTAVNIK_TEMPLATES", "папка стандартных шаблонов DOCX и ODT вместо установленной" },
  { "NASTAVNIK_FONTS", "папка настройки шрифтов fonts.lua (и файлов шрифтов, названных в ней по имени)" },
}

help.FILES = {
  { "/usr/share/nastavnik/scripts", "библиотека на Lua: модель, проверки, виды документов" },
  { "/usr/share/nastavnik/templates", "стандартные шаблоны ВИД.docx и ВИД.odt" },
  { "/usr/share/nastavnik/fonts/fonts.lua", "шрифты документов PDF (по умолчанию Liberation Serif)" },
}

local function documents_paragraph()
  return "Документы (ДОКУМЕНТ): " .. table.concat(kinds, ", ") .. ". Приказы — по одному на приказ "
    .. "описания (проект с пропусками для номера и даты, когда приказа ещё нет), планы — по одному на пару "
    .. "или группу, согласия — по одному на участника. Какой план или какое согласие сделать, выбирают --item N "
    .. "или --person \"Фамилия И.О.\" (когда их несколько, а не указано ни то ни другое, — ошибка со списком); "
    .. "какой приказ — --item N (по умолчанию первый приказ вида)."
end

-- The options of a command as { flag text, explanation } pairs, --help last.
local function options_of(c)
  local out = {}
  for _, o in ipairs(c.options or {}) do
    out[#out + 1] = type(o) == "string" and assert(help.OPTIONS[o], o) or o
  end
  out[#out + 1] = help.OPTIONS["--help"]
  return out
end

------------------------------------------------------------------------------------------
-- Plain text, for the terminal.

local WIDTH = 96

-- `s` broken into lines of at most `width` characters, each after `indent` (the first after
-- `first` when given).
local function wrap(s, width, indent, first)
  local lines, line = {}, first or indent
  local fresh = true
  for word in s:gmatch("%S+") do
    if not fresh and utf8.len(line) + 1 + utf8.len(word) > width then
      lines[#lines + 1] = line
      line, fresh = indent, true
    end
    line = line .. (fresh and "" or " ") .. word
    fresh = false
  end
  lines[#lines + 1] = line
  return table.concat(lines, "\n")
end

-- A list of { term, text } with the texts in one column.
local function definitions(list, column)
  local lines = {}
  for _, d in ipairs(list) do
    local term = "  " .. d[1]
    local pad = column - utf8.len(term)
    if pad < 1 then
      lines[#lines + 1] = term
      lines[#lines + 1] = wrap(d[2], WIDTH, string.rep(" ", column))
    else
      lines[#lines + 1] = wrap(d[2], WIDTH, string.rep(" ", column), term .. string.rep(" ", pad))
    end
  end
  return table.concat(lines, "\n")
end

local function exit_codes_line()
  local parts = {}
  for _, e in ipairs(help.EXIT_CODES) do parts[#parts + 1] = e[1] .. " — " .. e[2]:gsub(" %(.*", "") end
  return wrap("Коды завершения: " .. table.concat(parts, "; ") .. ".", WIDTH, "")
end

-- `nastavnik help`: the commands (name, module) and the general sections.
function help.overview(commands)
  local list = {}
  for _, c in ipairs(commands) do
    if not c.module.hidden then list[#list + 1] = { c.module.usage, c.module.summary } end
  end
  list[#list + 1] = { "nastavnik help [КОМАНДА]", "эта справка или справка команды (или КОМАНДА --help)" }
  list[#list + 1] = { "nastavnik --version", "версия" }
  return table.concat({
    "nastavnik — документы целевой модели наставничества из описания школы на Lua",
    "",
    "Использование:",
    definitions(list, 48),
    "",
    wrap(help.DESCRIPTION, WIDTH, ""),
    "",
    wrap(documents_paragraph(), WIDTH, ""),
    "",
    "Коды завершения:",
    definitions(help.EXIT_CODES, 6),
    "",
    "Переменные окружения:",
    definitions(help.ENVIRONMENT, 24),
    "",
    "Параметры каждой команды: nastavnik help КОМАНДА. Руководство: man nastavnik.",
  }, "\n") .. "\n"
end

-- `nastavnik help КОМАНДА`, `nastavnik КОМАНДА --help`.
function help.command(name, c)
  local parts = {
    "nastavnik " .. name .. " — " .. (c.summary or "служебная команда"),
    "",
    "Использование:",
    "  " .. (c.usage or ("nastavnik " .. name)),
  }
  if c.about then
    parts[#parts + 1] = ""
    parts[#parts + 1] = wrap(c.about, WIDTH, "")
  end
  parts[#parts + 1] = ""
  parts[#parts + 1] = "Параметры:"
  parts[#parts + 1] = definitions(options_of(c), 30)
  parts[#parts + 1] = ""
  parts[#parts + 1] = exit_codes_line()
  return table.concat(parts, "\n") .. "\n"
end

------------------------------------------------------------------------------------------
-- roff, for man(1).

-- Text safe in roff: backslashes, hyphens of options, a leading dot or quote.
local function roff_text(s)
  s = s:gsub("\\", "\\e"):gsub("%-", "\\-")
  s = s:gsub("\n([%.'])", "\n\\&%1")
  if s:find("^[%.']") then s = "\\&" .. s end
  return s
end

local function roff_definitions(out, list, bold)
  for _, d in ipairs(list) do
    out[#out + 1] = ".TP"
    out[#out + 1] = (bold and ".B " or "") .. roff_text(d[1])
    out[#out + 1] = roff_text(d[2])
  end
end

-- The manual page nastavnik(1), in Russian, from the same text as the help.
function help.roff(commands, version)
  local out = {
    [[.\" -*- coding: UTF-8 -*-]],
    [[.\" Made by `nastavnik help --roff` from the commands' own help: edit that, not this file.]],
    string.format('.TH NASTAVNIK 1 "" "nastavnik %s" "Команды пользователя"', version),
    ".SH ИМЯ",
    "nastavnik \\- документы целевой модели наставничества из описания школы на Lua",
    ".SH ОБЗОР",
  }
  for _, c in ipairs(commands) do
    if not c.module.hidden then
      out[#out + 1] = ".br"
      out[#out + 1] = roff_text(c.module.usage)
    end
  end
  out[#out + 1] = ".br"
  out[#out + 1] = "nastavnik help [КОМАНДА] | nastavnik КОМАНДА \\-\\-help | nastavnik \\-\\-version"
  out[#out + 1] = ".SH ОПИСАНИЕ"
  out[#out + 1] = roff_text(help.DESCRIPTION)
  out[#out + 1] = ".PP"
  out[#out + 1] = roff_text(documents_paragraph())
  out[#out + 1] = ".SH КОМАНДЫ"
  for _, c in ipairs(commands) do
    local m = c.module
    if not m.hidden then
      out[#out + 1] = ".SS " .. roff_text(c.name)
      out[#out + 1] = ".B " .. roff_text(m.usage)
      out[#out + 1] = ".PP"
      out[#out + 1] = roff_text(m.summary .. ".")
      if m.about then
        out[#out + 1] = roff_text(m.about)
      end
      out[#out + 1] = ".RS"
      roff_definitions(out, options_of(m), true)
      out[#out + 1] = ".RE"
    end
  end
  out[#out + 1] = ".SH КОДЫ ЗАВЕРШЕНИЯ"
  roff_definitions(out, help.EXIT_CODES, true)
  out[#out + 1] = ".SH ОКРУЖЕНИЕ"
  roff_definitions(out, help.ENVIRONMENT, true)
  out[#out + 1] = ".SH ФАЙЛЫ"
  roff_definitions(out, help.FILES, false)
  out[#out + 1] = ".SH СМ. ТАКЖЕ"
  out[#out + 1] = "/usr/share/doc/nastavnik/README.md"
  return table.concat(out, "\n") .. "\n"
end

return help
