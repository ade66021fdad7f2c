-- Each tag form in one DOCX: values, dotted paths, filters, split runs, escaping, line breaks,
-- inline/paragraph/row loops, conditions and inverses.
local template = require "nastavnik.template"
local t = require "template_test_lib"
local fixtures, out = arg[1], arg[2]

local view = {
  org = { head = { name = "Иванова Мария Петровна" }, short = "МБОУ СОШ № 1" },
  date = "1 сентября 2024 г.",
  dangerous = "a & b < c > \"d\" 'e' \1\2\f]]> end",
  address = "г. Энск,\nул. Ленина, 1\tкаб. 2",
  count = 40,
  name = "Внешнее имя", title = "внешний заголовок",
  people = { { name = "Петров" }, { name = "Сидорова" } },
  show = true, hide = false,
  tasks = { "первая", "вторая", "третья" },
  rows = { { n = 1, text = "Встреча" }, { n = 2, text = "План" }, { n = 3, text = "Итоги" } },
}
local filters = {
  initials = function(full)
    local f, i, o = full:match("^(%S+)%s+(%S+)%s+(%S+)$")
    return f .. " " .. i:sub(1, 2) .. "." .. o:sub(1, 2) .. "."
  end,
}
local path = out .. "/basic.docx"
t.ok(template.fill(fixtures .. "/basic.docx", view, path, filters))
local xml = assert(read_entry(path, "word/document.xml"))
local text = t.text(xml)

t.has(text, "Директор: Иванова Мария Петровна")
-- split tag: the value sits in the first (italic) run, the bold run is emptied
t.has(xml, '<w:r><w:rPr><w:i/></w:rPr><w:t xml:space="preserve">Школа: МБОУ СОШ № 1</w:t></w:r>')
t.lacks(xml, '<w:b/>') -- the bold run held only a letter of the tag: it is gone
t.has(xml, '<w:proofErr w:type="spellStart"/><w:proofErr w:type="spellEnd"/>')
t.has(text, "Школа: МБОУ СОШ № 1 (кратко)")
t.has(text, "Дата: 1 сентября 2024 г.")
t.has(xml, '<w:bookmarkStart w:id="0" w:name="date"/>')
-- escaping: markup characters escaped, control characters gone
t.has(xml, "Опасное: a &amp; b &lt; c &gt; \"d\" 'e' ]]&gt; end.")
-- the same in long text, each odd piece at every place in a 16-byte and an 8-byte word (text.c
-- reads clean text 16 and 8 bytes at a time): control characters go, broken or overlong UTF-8
-- and surrogates become U+FFFD, U+FFFE goes, three- and four-byte characters stay
do
  local odd = { { "\1", "" }, { "\31", "" }, { "\127", "\127" }, { "\208", "\239\191\189" },
    { "\192\128", "\239\191\189" }, { "\237\160\128", "\239\191\189" },
    { "\239\191\190", "" }, { "—", "—" }, { "№", "№" }, { "\240\159\152\128", "\240\159\152\128" },
    { "\128", "\239\191\189" }, { "\194\160", "\194\160" } }
  local given, wanted = {}, {}
  for k = 0, 17 do
    for _, o in ipairs(odd) do
      local before = ("ж"):rep(k) .. ("a"):rep(k % 3) .. " Съешь же ещё "
      given[#given + 1] = before .. o[1]
      wanted[#wanted + 1] = before .. o[2]
    end
  end
  local long = out .. "/basic-long.docx"
  local v = {}
  for key, value in pairs(view) do v[key] = value end
  v.dangerous = table.concat(given)
  t.ok(template.fill(fixtures .. "/basic.docx", v, long, filters))
  t.has(assert(read_entry(long, "word/document.xml")), "Опасное: " .. table.concat(wanted) .. ".")
end
-- line breaks and tabs in the same run (with its underline)
t.has(xml, '<w:r><w:rPr><w:u w:val="single"/></w:rPr><w:t xml:space="preserve">Адрес: г. Энск,</w:t><w:br/><w:t xml:space="preserve">ул. Ленина, 1</w:t><w:tab/><w:t xml:space="preserve">каб. 2 (конец)</w:t></w:r>')
t.has(text, "Подпись: Иванова М.П., всего 40")
t.has(text, "Участники: Петров, Сидорова, конец.")
-- inside a loop: the item first (name), then outward (org.short, title)
t.has(text, "Области: Петров (МБОУ СОШ № 1, внешний заголовок); Сидорова (МБОУ СОШ № 1, внешний заголовок); Внешнее имя")
t.has(text, "Показано")
t.lacks(text, "Скрыто")
t.has(text, "Пусто")
t.lacks(text, "Нет участников")
-- paragraph loop: the tag paragraphs leave nothing, the body paragraph keeps its indent
t.has(text, "Задачи:|— первая|— вторая|— третья|После задач.")
t.count(xml, '<w:ind w:left="720"/>', 3)
-- row loop: header, three rows, the total row
t.has(text, "№|Мероприятие|1|Встреча|2|План|3|Итоги|Задачи|первая|вторая|третья|Итого|40|Конец.")
t.lacks(text, "Нет мероприятий") -- the inverse row goes when there are rows
t.count(xml, "<w:tr>", 6)
t.count(xml, '<w:p><w:pPr><w:jc w:val="right"/></w:pPr>', 3) -- paragraphs repeated in the cell
t.has(xml, '<w:r><w:rPr><w:i/></w:rPr><w:t xml:space="preserve">2</w:t></w:r>')
t.lacks(xml, "{")
t.lacks(xml, "}")
print("basic: all assertions hold")
