-- One reader of the view (generator/view/): the same bad rich-text or table value gets the
-- same message from the PDF (nastavnik.pdf) and from a DOCX and an ODT template, only the
-- place it is named from differs («doc.blocks» there, «значение {content}» here).
local template = require "nastavnik.template"
local pdf = require "nastavnik.pdf"
local t = require "template_test_lib"
local fixtures, out = arg[1], arg[2]

local function para(fields)
  local p = { type = "para", runs = { { text = "Текст" } } }
  for k, v in pairs(fields) do p[k] = v end
  return p
end

-- Rich text: a list of blocks, as the tag {content} takes it.
local RICH = {
  { para { runs = { { text = "Текст", bold = "да" } } }, "[1].runs[1].bold: ожидалось true или false, а не строка" },
  { para { size = 100 }, "[1].size = 100: допустимо от 4 до 72" },
  { para { align = "middle" }, "[1].align = \"middle\": такого значения нет" },
  { { type = "para", text = "runs забыты" }, "[1].runs: ожидался список фрагментов текста, а не nil" },
  { { type = "list", items = { { label = "1.", level = 0, runs = {} } } }, "[1].items[1].level = 0: допустимо от 1 до 9" },
  { { type = "list", items = { "пункт" } }, "[1].items[1]: ожидалась таблица {label = …, runs = …}, а не строка" },
  { { type = "space", height = -1 }, "[1].height = -1: допустимо от 0 до 1000" },
  -- (a list is taken for rich text by its first block: the unknown one comes second)
  { { para {}, { type = "chapter" } }, "[2].type = \"chapter\": такого значения нет" },
}
-- Table values, as the tag {table} takes them.
local function tbl(fields)
  local v = { type = "table", columns = { { width = 20 }, {} }, rows = { { cells = { "1", "2" } } } }
  for k, x in pairs(fields) do v[k] = x end
  return v
end
local TABLES = {
  { tbl { rows = { { cells = { { text = "1", colspan = 0 }, "2" } } } }, ".rows[1].cells[1].colspan = 0: допустимо от 1 до 1000" },
  { tbl { columns = {} }, ".columns: у таблицы нет столбцов" },
  { tbl { rows = { { cels = {} } } }, ".rows[1].cells: ожидался список ячеек, а не nil" },
  { tbl { rows = { { cells = { { blocks = { tbl {} } }, "2" } } } },
    ".rows[1].cells[1].blocks[1]: в ячейке или рамке допустимы только para, list и space, а не table" },
  { tbl { rows = { { cells = { { text = "1", valign = "низ" }, "2" } } } }, ".rows[1].cells[1].valign = \"низ\": такого значения нет" },
  { tbl { padding = "широко" }, ".padding: ожидалось число, а не строка" },
}

local function pdf_message(block)
  local bytes, message = pdf.render { blocks = { block } }
  t.eq(bytes, nil)
  return message
end

-- What the fill says about the value of tag {name}: the rest of its message after
-- «значение {name}» (the part, the paragraph and the position come before).
local function fill_says(file, view, name)
  local ok, errors = template.fill(fixtures .. "/" .. file, view, out .. "/" .. file)
  t.eq(ok, nil)
  local marker = "значение {" .. name .. "}"
  for _, e in ipairs(errors) do
    local at = e:find(marker, 1, true)
    if at then return e:sub(at + #marker) end
  end
  error(file .. ": no message about " .. marker .. " in\n" .. table.concat(errors, "\n"))
end

local checked = 0
for _, case in ipairs(RICH) do
  local blocks, tail = case[1], case[2]
  if blocks.type then blocks = { blocks } end
  local bytes, from_pdf = pdf.render { blocks = blocks } -- the whole list at doc.blocks
  t.eq(bytes, nil)
  t.eq(from_pdf, "doc.blocks" .. tail)
  for _, file in ipairs { "rich.docx", "odt_basic.odt" } do
    local view = file == "rich.docx" and { content = blocks, empty = {}, sections = {}, tail = {} }
      or { content = blocks, org = {}, people = {}, sections = {}, tasks = {}, items = {},
           name = "", address = "", dangerous = "", n = 1 }
    t.eq(fill_says(file, view, "content"), tail)
  end
  checked = checked + 1
end
for _, case in ipairs(TABLES) do
  local value, tail = case[1], case[2]
  local from_pdf = pdf_message(value)
  t.has(from_pdf, "doc.blocks[1]" .. tail)
  for _, file in ipairs { "table.docx", "table_odt.odt" } do
    t.eq("doc.blocks[1]" .. fill_says(file, { table = value, small = "", more = {} }, "table"), from_pdf)
  end
  checked = checked + 1
end
-- QR codes (the requisite of an order), as the tag {content} takes them in place of the tag.
local QRS = {
  { { type = "qr" }, ".text: у QR-кода нет текста (ссылки)" },
  { { type = "qr", text = "https://school.ru/1", size = 5 }, ".size = 5: допустимо от 10 до 100" },
  { { type = "qr", text = string.rep("a", 1001) }, ".text: в QR-коде 1001 байт текста, а допустимо не больше 1000" },
}
for _, case in ipairs(QRS) do
  local value, tail = case[1], case[2]
  t.eq(pdf_message(value), "doc.blocks[1]" .. tail)
  t.eq(fill_says("rich.docx", { content = value, empty = {}, sections = {}, tail = {} }, "content"), tail)
  t.eq(fill_says("odt_basic.odt", { content = value, org = {}, people = {}, sections = {}, tasks = {},
    items = {}, name = "", address = "", dangerous = "", n = 1 }, "content"), tail)
  checked = checked + 1
end
print(("view_messages: %d bad values, the same message from PDF, DOCX and ODT"):format(checked))
