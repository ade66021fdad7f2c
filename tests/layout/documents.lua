-- Builds the test documents of the layout engine and writes them to the folder given as
-- the first argument; check_pdfs.py then inspects them with poppler and qpdf. Checks that
-- need no PDF reader (problems, error messages, byte-identical reruns) are asserted here.
local pdf = require "nastavnik.pdf"
local host = require "nastavnik.host"
local richtext = require "nastavnik.richtext"

local out = assert(..., "usage: pdf_driver documents.lua OUTDIR")
local NBSP = "\u{a0}"

local function para(text, extra)
  local p = { type = "para", runs = { { text = text } } }
  for k, v in pairs(extra or {}) do p[k] = v end
  return p
end

local function write(name, doc)
  local bytes, problems = pdf.render(doc)
  assert(bytes, problems)
  assert(host.write_file(out .. "/" .. name .. ".pdf", bytes))
  return bytes, problems
end

---------------------------------------------------------------------------------------------
-- 1. A one-page order: the approval stamp, a heading, justified text with nbsp, a list.
local function order()
  return {
    page = { number_from = 2 },
    info = { title = "Приказ №" .. NBSP .. "146 о наставничестве", author = "МКОУ Богучанская школа №" .. NBSP .. "4",
             subject = "Наставничество", creator = "nastavnik tests", date = "2023-09-04" },
    blocks = {
      { type = "box", width = 80, align = "right", blocks = {
        para("«УТВЕРЖДАЮ»"),
        para("Директор МКОУ Богучанской школы №" .. NBSP .. "4"),
        para("_____ А.Н." .. NBSP .. "Пенкин"),
        para("Приказ №" .. NBSP .. "146 от 04.09.2023" .. NBSP .. "г."),
      } },
      { type = "space", height = 10 },
      para("ПРИКАЗ", { align = "center", keep_with_next = true, space_after = 12,
                       runs = { { text = "ПРИКАЗ", bold = true } } }),
      { type = "para", align = "justify", indent = 12.5, line_spacing = 1.15, runs = {
        { text = "В соответствии с распоряжением Министерства образования Архангельской области " ..
                 "«О внедрении системы (целевой модели) наставничества по форме «педагог" .. NBSP ..
                 "— педагог»» от 22 марта 2022" .. NBSP .. "г. №" .. NBSP .. "483, в целях " ..
                 "организационно-методического и информационного сопровождения основных " ..
                 "региональных проектов " },
        { text = "приказываю:", bold = true } } },
      { type = "list", ordered = true, items = {
        { label = "1.", level = 1, runs = { { text = "Утвердить дорожную карту реализации целевой модели " ..
          "наставничества на 2023 – 2024 учебный год (приложение)." } } },
        { label = "1.1.", level = 2, runs = { { text = "Куратору обеспечить размещение информации на сайте " ..
          "образовательной организации." } } },
        { label = "2.", level = 1, runs = { { text = "Контроль за исполнением приказа " },
                                            { text = "оставляю", italic = true },
                                            { text = " за собой.", bold = true, italic = true } } },
      } },
      { type = "space", height = 15 },
      { type = "table", borders = false, columns = { { weight = 1 }, { weight = 1 } }, rows = {
        { cells = { { blocks = { para("Директор школы") } },
                    { blocks = { para("А.Н." .. NBSP .. "Пенкин", { align = "right" }) } } } },
      } },
    },
  }
end
-- The order's text as written, for check_pdfs.py to find every word in the PDF.
local function plain(blocks, out)
  for _, b in ipairs(blocks) do
    for _, run in ipairs(b.runs or {}) do out[#out + 1] = run.text end
    for _, item in ipairs(b.items or {}) do
      out[#out + 1] = item.label
      for _, run in ipairs(item.runs) do out[#out + 1] = run.text end
    end
    if b.blocks then plain(b.blocks, out) end
    for _, row in ipairs(b.rows or {}) do
      for _, c in ipairs(row.cells) do plain(c.blocks or {}, out) end
    end
  end
  return out
end
assert(host.write_file(out .. "/order.txt", table.concat(plain(order().blocks, {}), "\n")))
local order_bytes = write("order", order())
local again = pdf.render(order())
assert(again == order_bytes, "the same order rendered twice must give the same bytes")

---------------------------------------------------------------------------------------------
-- 2. A landscape roadmap of 40+ rows: stage rows spanning all columns, rich text cells
--    (richtext.lua's AST), a responsible-person cell spanning several rows.
local STAGES = {
  "Организационно-методическое сопровождение деятельности",
  "Программно-методическое сопровождение деятельности",
  "Аналитическое сопровождение деятельности, мониторинг",
  "Информационное сопровождение деятельности",
}
local CONTENTS = {
  "Формирование базы наставляемых из числа обучающихся, педагогов.",
  "Организация обучения педагогических работников, наставников.",
  "Организация общей встречи наставников и наставляемых в формате «товарищеской встречи» " ..
    "(знакомство, взаимодействие и коммуникацию)",
  "Организация работы наставнических пар или групп:\n• встреча-знакомство; пробная встреча;\n" ..
    "• встреча-планирование;\n• совместная работа наставника и наставляемого в соответствии " ..
    "с разработанным индивидуальным планом;\n• итоговая встреча.",
  "Актуализация нормативных документов:\n1.1. приказ №" .. NBSP .. "390 от 16.09.2024" .. NBSP ..
    "г. «Об утверждении «дорожной карты»»;\n1.2. определение ответственного за реализацию " ..
    "системы наставничества.\n**Тема:** «Наставничество: инициативность и ответственность»",
  "Разработка формы диагностической анкеты, исходя из индивидуальных особенностей и потребностей " ..
    "наставляемого и ресурсов наставника для последующего мониторинга эффективности реализации " ..
    "целевой модели наставничества",
}

local function cell(text, extra)
  local c = { blocks = richtext.parse(text) }
  for k, v in pairs(extra or {}) do c[k] = v end
  return c
end

local function roadmap(nrows)
  local rows = {
    { cells = { cell("Содержание"), cell("Сроки"), cell("Ожидаемый результат"), cell("Ответственный") } },
  }
  local n = 0
  while n < nrows do
    local stage = STAGES[(#rows % #STAGES) + 1]
    rows[#rows + 1] = { cells = { cell("**" .. stage .. "**", { colspan = 4, align = "center" }) } }
    for i = 1, 5 do
      n = n + 1
      local r = { cells = {
        cell(CONTENTS[(n % #CONTENTS) + 1]),
        cell("В течение 2023" .. NBSP .. "– 2024 учебного года", { align = "center" }),
        cell("Не менее 90% наставников прошли обучение (строка " .. n .. ")"),
      } }
      if i == 1 then
        r.cells[4] = cell("Куратор, классные руководители, руководители ШМО", { rowspan = 5, valign = "middle" })
      end
      rows[#rows + 1] = r
    end
  end
  return {
    page = { orientation = "landscape", number_from = 2 },
    info = { title = "Дорожная карта", author = "Куратор" },
    blocks = {
      para("«Дорожная карта» реализации целевой модели наставничества", {
        align = "center", keep_with_next = true, space_after = 6,
        runs = { { text = "«Дорожная карта» реализации целевой модели наставничества в МКОУ " ..
                          "«Богучанская СШ №" .. NBSP .. "4» 2023 – 2024 учебный год", bold = true } } }),
      { type = "table", header_rows = 1, size = 12, padding = 1.5,
        columns = { { weight = 5 }, { width = 45 }, { weight = 3 }, { width = 55 } },
        rows = rows },
    },
  }
end
-- Speed: `pdf_driver documents.lua OUTDIR bench N` renders the 40-row roadmap N times and
-- stops (check_pdfs.py times it).
local mode, count = select(2, ...)
if mode == "bench" then
  local doc = roadmap(40)
  for _ = 1, tonumber(count) do assert(pdf.render(doc)) end
  return
end
local roadmap_bytes = write("roadmap", roadmap(40))
-- pdf.pages lays out without making the PDF: the same count as the PDF's page tree
for _, case in ipairs({ { order(), order_bytes }, { roadmap(40), roadmap_bytes } }) do
  local counted = tonumber(case[2]:match("/Type /Pages.-/Count (%d+)"))
  assert(pdf.pages(case[1]) == counted, "pdf.pages: " .. tostring(pdf.pages(case[1])) .. " ~= " .. counted)
end
assert(tonumber(roadmap_bytes:match("/Type /Pages.-/Count (%d+)")) > 1, "the 40-row roadmap takes several pages")
local no_pages, why = pdf.pages({ page = { size = "A7" }, blocks = {} })
assert(no_pages == nil and type(why) == "string", "pdf.pages: a bad doc gives nil and the message")

-- A form's fit step (doc.shrink, pdf.trial) is applied in C to what the view reads, as the
-- Lua below (the copy common.lua made until the C did it) shrinks the blocks themselves: the
-- same bytes. Every kind of block and cell a step touches, or must leave as it is.
local function shrunk(blocks, step)
  local out = {}
  for i, b in ipairs(blocks) do
    local c = {}
    for k, v in pairs(b) do c[k] = v end
    if b.type == "para" or b.type == nil then
      c.size = b.size and b.size + step.size
      c.line_spacing = (b.line_spacing or 1) * step.leading
      c.space_before = b.space_before and b.space_before * step.space
      c.space_after = b.space_after and b.space_after * step.space
    elseif b.type == "space" then
      c.height = (b.height or 5) * step.space
    elseif b.type == "box" then
      c.blocks = shrunk(b.blocks, step)
    elseif b.type == "table" then
      if b.size then c.size = b.size + step.size end
      c.rows = {}
      for r, row in ipairs(b.rows) do
        local cells = {}
        for j, cl in ipairs(row.cells) do -- a cell given as text, and `continued`, as they are
          cells[j] = cl
          if type(cl) == "table" and type(cl.blocks) == "table" then
            cells[j] = {}
            for k, v in pairs(cl) do cells[j][k] = v end
            cells[j].blocks = shrunk(cl.blocks, step)
          end
        end
        c.rows[r] = { cells = cells, keep_together = row.keep_together }
      end
    end
    out[i] = c
  end
  return out
end
local function form(n)
  local blocks = {
    { type = "box", width = 70, blocks = { para("Директору школы", { size = 13, space_after = 2 }), para("Иванову И.И.") } },
    { type = "space" },
    para("СОГЛАСИЕ", { align = "center", size = 14, space_after = 7, keep_with_next = true }),
    { type = "list", items = { { label = "–", runs = { { text = "фамилия, имя, отчество" } } },
      { label = "–", level = 2, runs = { { text = "дата рождения" } } } } },
    { type = "space", height = 3.7 },
  }
  for i = 1, n do
    blocks[#blocks + 1] = para(i .. ". Я даю согласие на обработку моих персональных данных в целях участия "
      .. "в программе наставничества образовательной организации.", { indent = 12.5, space_before = 2.5,
      space_after = 1.3, line_spacing = i % 2 == 0 and 1.15 or nil })
  end
  local long = string.rep("Строка ячейки, которая переходит на следующую страницу. ", 3 * n)
  blocks[#blocks + 1] = { type = "table", size = 11, borders = false, columns = { { width = 60 }, { weight = 1 } },
    rows = { { cells = { "Подпись", { text = "Дата" } } },
      { cells = { { blocks = { para("Иванов И.И.", { size = 12, space_after = 4 }), { type = "space", height = 2 } },
          continued = { blocks = { para("(продолжение)", { size = 12, space_before = 3 }) } } },
        { blocks = { para(long, { space_before = 2, line_spacing = 1.2 }) } } } },
      { cells = { 7, { blocks = "«___» ________ 20__ г." } } } } }
  return { page = { number_from = 2 }, font = { size = 12 }, blocks = blocks }
end
for _, n in ipairs({ 3, 40 }) do
  for _, step in ipairs({ { space = 0.25, leading = 0.92, size = -1 }, { space = 0.75, leading = 1, size = -0.5 } }) do
    local by_c = form(n)
    by_c.shrink = step
    by_c.font = { size = 12 + step.size }
    local by_lua = form(n)
    by_lua.blocks = shrunk(by_lua.blocks, step)
    by_lua.font = { size = 12 + step.size }
    local bytes = pdf.render(by_lua)
    assert(pdf.render(by_c) == bytes, "doc.shrink: the bytes of the blocks shrunk in Lua")
    -- pdf.trial: the doc read once, laid out by steps with room to spare, then its PDF
    local trial = assert(pdf.trial(form(n), 8))
    local spared = form(n)
    spared.page.margins = { bottom = 20 + 8 }
    local spared_lua = form(n)
    spared_lua.page.margins = { bottom = 20 + 8 }
    spared_lua.blocks = shrunk(spared_lua.blocks, step)
    spared_lua.font = { size = 12 + step.size }
    assert(trial:pages(nil) == pdf.pages(spared), "pdf.trial: the pages of the doc as it is")
    assert(trial:pages(step) == pdf.pages(spared_lua), "pdf.trial: the pages of the doc shrunk")
    assert(trial:render(step) == bytes, "pdf.trial: the PDF of the doc shrunk")
    local again, why_again = trial:pages(step)
    assert(again == nil and why_again:find("отпущен"), "pdf.trial: nothing after its PDF")
  end
end
-- trial:render of the step whose trial:pages fitted one page gives the PDF of that layout, made
-- with the spare (pdf_lua.c keeps it): the same bytes as pdf.render; of another step, or of a
-- layout a test of which met the page's foot (a QR code by it), it is laid out again.
local short_step = { space = 0.75, leading = 1, size = -0.5 }
local function short_shrunk()
  local doc = form(3)
  doc.shrink = short_step
  doc.font = { size = 12 + short_step.size }
  return doc
end
local function with_qr(doc)
  table.insert(doc.blocks, 3, { type = "qr", text = "https://school.ru/form", size = 60 })
  return doc
end
for _, case in ipairs({
  { make = form, steps = { "nil" }, render = nil, want = function() return pdf.render(form(3)) end },
  { make = form, steps = { "nil", "step" }, render = nil, want = function() return pdf.render(form(3)) end },
  { make = form, steps = { "step", "nil" }, render = short_step, want = function() return pdf.render(short_shrunk()) end },
  { make = function(n) return with_qr(form(n)) end, steps = { "nil" }, render = nil,
    want = function() return pdf.render(with_qr(form(3))) end },
}) do
  local t = assert(pdf.trial(case.make(3), 8))
  for _, s in ipairs(case.steps) do
    assert(t:pages(s == "step" and short_step or nil) == 1, "pdf.trial: the short form fits one page")
  end
  assert(t:render(case.render) == case.want(), "pdf.trial: the PDF of a kept layout, or laid out again")
end
local closed = assert(pdf.trial(form(3), 8))
closed:close()
assert(closed:render(nil) == nil, "pdf.trial: nothing after close")
assert(pdf.pages(form(40)) > pdf.pages(form(3)), "the long form takes more pages")
local no_trial, why_not = pdf.trial({ page = { size = "A7" }, blocks = {} }, 8)
assert(no_trial == nil and type(why_not) == "string", "pdf.trial: a bad doc gives nil and the message")

---------------------------------------------------------------------------------------------
-- 3. A row taller than what is left of the page: split, not pushed whole. The tall cell's
--    paragraphs are numbered so the checks can see where the break fell.
local tall = {}
for i = 1, 45 do tall[#tall + 1] = "Пункт " .. i .. ": мероприятие дорожной карты с подробным описанием." end
local short_rows = { { cells = { cell("Этап"), cell("Мероприятия") } } }
for i = 1, 6 do short_rows[#short_rows + 1] = { cells = { cell("Этап " .. i), cell("Короткая строка " .. i) } } end
short_rows[#short_rows + 1] = { cells = { cell("Высокая строка"), { blocks = richtext.parse(tall) } } }
short_rows[#short_rows + 1] = { cells = { cell("После высокой"), cell("Последняя строка") } }
write("tallrow", {
  blocks = { { type = "table", header_rows = 1, columns = { { width = 40 }, { weight = 1 } }, rows = short_rows } },
})

---------------------------------------------------------------------------------------------
-- 4. A cell spanning rows across a page break: its text continues on the next page.
local span_rows = { { cells = { cell("Ответственный"), cell("Мероприятие") } } }
local long_span = {}
for i = 1, 80 do long_span[#long_span + 1] = "Ответственный " .. i .. " за этап" end
for i = 1, 60 do
  local r = { cells = {} }
  if i == 1 then r.cells[1] = { rowspan = 60, blocks = richtext.parse(long_span) } end
  r.cells[#r.cells + 1] = cell("Мероприятие " .. i)
  span_rows[#span_rows + 1] = r
end
write("rowspan", {
  blocks = { { type = "table", header_rows = 1, columns = { { weight = 1 }, { weight = 1 } }, rows = span_rows } },
})

---------------------------------------------------------------------------------------------
-- 5. A narrow column: Russian hyphenation, and a word longer than the column.
write("newline", { blocks = { para("Первая строка заголовка\nвторая строка", { align = "center" }) } })
write("narrow", {
  blocks = { { type = "table", columns = { { width = 28 }, { weight = 1 } }, rows = {
    { cells = { cell("Организационно-методическое информационного сопровождения распорядительных " ..
                     "Архангельской АААААААААААААААААААААААААААААААААА"),
                cell("Широкая колонка") } },
  } } },
})

---------------------------------------------------------------------------------------------
-- 6. Characters the font lacks are reported, not silently dropped.
local _, problems = write("missing", { blocks = {
  para("Галочка ✓ и иероглиф 漢 в тексте"),
  para("Мяг\u{ad}кий пере\u{ad}нос и\u{200b}нулевой пробел"),
} })
assert(pdf.render { blocks = {} }, "an empty document renders")
local joined = table.concat(problems, "\n")
assert(joined:find("U+6F22", 1, true), "missing glyph not reported: " .. joined)
assert(joined:find("U+2713", 1, true), "missing glyph not reported: " .. joined)

---------------------------------------------------------------------------------------------
-- 7. Portrait order with a landscape appendix; page breaks and spaces.
local mixed = order()
mixed.blocks[#mixed.blocks + 1] = { type = "page", orientation = "landscape" }
local appendix = roadmap(10)
for _, b in ipairs(appendix.blocks) do mixed.blocks[#mixed.blocks + 1] = b end
mixed.blocks[#mixed.blocks + 1] = { type = "page", orientation = "portrait" }
mixed.blocks[#mixed.blocks + 1] = para("Лист ознакомления")
write("mixed", mixed)

---------------------------------------------------------------------------------------------
-- 8. A long paragraph across a page: no widow or orphan lines. Each section puts the page
--    break at another line of the paragraph (after k one-line paragraphs).
local long = {}
for k = 30, 44 do
  if #long > 0 then long[#long + 1] = { type = "page_break" } end
  for i = 1, k do long[#long + 1] = para("Абзац " .. i .. ".") end
  long[#long + 1] = para("НАЧАЛО " .. string.rep("Слово за словом складывается длинный абзац приказа. ", 12) ..
                         "КОНЕЦАБЗАЦА", { align = "justify", indent = 12.5 })
end
write("widow", { blocks = long })

-- Two forms for two people: the regular face draws a page of text (50+ characters), so its
-- subset is made for whole blocks and both share it (check_pdfs.py compares the subsets'
-- names); the bold heading draws a few capitals and keeps its exact set.
local function form(name)
  return { blocks = {
    para("СОГЛАСИЕ", { align = "center", runs = { { text = "СОГЛАСИЕ", bold = true } } }),
    para("Я, " .. name .. ", даю согласие на обработку моих персональных данных: фамилии, имени, " ..
         "отчества, должности, стажа работы — в целях организации наставничества в 2025/2026 " ..
         "учебном году. Согласие действует до 31.08.2026 и может быть отозвано мною письменно " ..
         "(МБОУ «СОШ № 7», Красноярск, ул. Ленина, 49; тел. 8-391-256-17-03)."),
  } }
end
write("form-a", form("Щукина Юлия Эдуардовна"))
write("form-b", form("Фёдоров Цезарь Ильич"))

---------------------------------------------------------------------------------------------
-- 9. Odd but legal input renders (and stays a valid PDF): spans past the table's edge, empty
--    cells and runs, tabs and newlines, a column narrower than a letter, deep list levels,
--    a box wider than the page, a page break first, an empty paragraph, a line spacing of 3.
local _, odd_problems = write("odd", {
  page = { margins = { left = 20, right = 20, top = 15, bottom = 15 }, number_from = 1 },
  font = { size = 11 },
  blocks = {
    { type = "page_break" },
    { type = "box", width = 500, align = "center", blocks = { para("Рамка шире страницы") } },
    para(""),
    para("Табуляция\tи\nперевод строки", { line_spacing = 3 }),
    { type = "table", header_rows = 2, columns = { { width = 1 }, { weight = 1 }, { width = 300 } }, rows = {
      { cells = { cell("Ш"), cell("Заголовок, охватывающий больше столбцов, чем есть", { colspan = 9 }) } },
      { cells = { cell("Второй"), cell("заголовок"), cell("", { rowspan = 50 }) } },
      { cells = {} },
      { cells = { { blocks = {} }, cell("Ячейка"), cell("лишняя"), cell("ещё лишняя") } },
      { cells = { { blocks = { { type = "para", runs = {} } } }, cell("Последняя", { rowspan = 7 }) } },
    } },
    { type = "list", items = {
      { label = "1.1.1.1.1.1.1.1.1.", level = 9, runs = { { text = "Глубокий уровень списка" } } },
      { label = "•", level = 1, runs = {} },
    } },
    { type = "space", height = 1000 },
    para("После огромного отступа"),
  },
})
assert(table.concat(odd_problems, "\n"):find("больше, чем столбцов", 1, true), "extra cells not reported")
assert(table.concat(odd_problems, "\n"):find("шире поля страницы", 1, true), "too wide a table not reported")

---------------------------------------------------------------------------------------------
-- Bad input: nil and a message, never an exception.
local function fails(doc, pattern)
  local bytes, message = pdf.render(doc)
  assert(bytes == nil, "expected a failure for " .. pattern)
  assert(type(message) == "string" and message:find(pattern, 1, true),
         "message «" .. tostring(message) .. "» lacks «" .. pattern .. "»")
end
fails({ blocks = { { type = "nonsense" } } }, "doc.blocks[1].type")
fails({ blocks = { { type = "para", runs = { { text = {} } } } } }, "doc.blocks[1].runs[1].text")
fails({ page = { orientation = "sideways" } }, "doc.page.orientation")
fails({ font = { regular = "/nonexistent.ttf" } }, "/nonexistent.ttf")
local CFF_FONT = "/usr/share/fonts/opentype/urw-base35/URWBookman-Light.otf" -- where fonts-urw-base35 is
if host.read_file(CFF_FONT) then fails({ font = { bold = CFF_FONT } }, "нужен файл TrueType") end
fails({ blocks = { { type = "table", columns = {}, rows = {} } } }, "doc.blocks[1].columns")
fails({ info = { date = "вчера" } }, "doc.info.date")
fails({ blocks = { { type = "space", height = -5 } } }, "doc.blocks[1].height = -5: допустимо от 0 до 1000")
fails("not a table", "table expected")
-- Margins and padding that leave no room: laid out anyway (text overflows), never endless.
local tight = pdf.render { page = { orientation = "landscape", margins = { top = 100, bottom = 100 } },
  blocks = { { type = "table", padding = 20, size = 40, columns = { { weight = 1 } },
    rows = { { cells = { cell("Строка") } }, { cells = { { blocks = {} } } }, { cells = { cell(string.rep("слово ", 50)) } } } },
    para(string.rep("Текст ", 100), { size = 72 }) } }
assert(tight, "a page with no room still renders")
print("documents.lua: all written to " .. out)
