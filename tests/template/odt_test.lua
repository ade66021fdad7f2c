-- The ODT side: spans cutting tags, escaping, line breaks and space runs, inline, paragraph,
-- row and nested row loops, rich text, header and footer in styles.xml; mimetype first and
-- STORED.
local template = require "nastavnik.template"
local richtext = require "nastavnik.richtext"
local t = require "template_test_lib"
local fixtures, out = arg[1], arg[2]

local view = {
  org = { head = { name = "Иванова М. П." }, short = "МБОУ СОШ № 1" },
  dangerous = "<b>&amp;</b>",
  address = "г. Энск,\nул.  Ленина\t1",
  people = { { name = "Петров" }, { name = "Сидорова" } },
  tasks = { "первая", "вторая" },
  content = richtext.parse("Цель:\n• **встреча**-знакомство;\n1.1. приказ *№ 390*"),
  rows = { { n = 1, text = "Встреча" }, { n = 2, text = "План" } },
  sections = {
    { title = "Сентябрь", items = { { n = 1, what = "Знакомство" }, { n = 2, what = "План" } } },
    { title = "Октябрь", items = { { n = 3, what = "Урок" } } },
  },
}
local path = out .. "/odt_basic.odt"
t.ok(template.fill(fixtures .. "/odt_basic.odt", view, path))
local xml = assert(read_entry(path, "content.xml"))
local text = t.text(xml)
t.has(text, "Директор: Иванова М. П.")
-- the value goes where the tag starts; the bold span is left empty
t.has(xml, '<text:p text:style-name="P1">Школа: МБОУ СОШ № 1 (кратко)</text:p>')
t.has(xml, '<text:span text:style-name="T1">&lt;b&gt;&amp;amp;&lt;/b&gt;</text:span>')
t.has(xml, "Адрес: г. Энск,<text:line-break/>ул. <text:s/>Ленина<text:tab/>1</text:p>")
t.has(text, "Участники: Петров, Сидорова, конец.")
t.has(text, "|— первая|— вторая|")
-- rich text: a paragraph (style kept), a bulleted and a numbered item (hanging-indent style)
t.has(xml, '<text:p text:style-name="P1">Цель:</text:p>')
t.has(xml, '<text:p text:style-name="NstList1_P1">•<text:tab/><text:span text:style-name="NstBold">встреча</text:span>-знакомство;</text:p>')
t.has(xml, '<text:p text:style-name="NstList2_P1">1.1.<text:tab/>приказ <text:span text:style-name="NstItalic">№ 390</text:span></text:p>')
t.has(xml, '<style:style style:name="NstList2_P1" style:family="paragraph" style:parent-style-name="Standard">')
t.has(xml, 'fo:margin-left="1.50cm" fo:text-indent="-0.75cm"')
t.has(xml, '<style:style style:name="NstBold" style:family="text"><style:text-properties fo:font-weight="bold"')
-- row loop and nested row loops
t.has(text, "№|Мероприятие|1|Встреча|2|План|")
t.has(text, "|Сентябрь|1|Знакомство|2|План|Октябрь|3|Урок|Конец.")
t.count(xml, "<table:table-row>", 1 + 2 + 2 + 3)
t.lacks(xml, "{")
local styles = assert(read_entry(path, "styles.xml"))
t.has(styles, "<text:p>Шапка: МБОУ СОШ № 1</text:p>")
t.has(styles, "<text:p>Подвал: Иванова М. П.</text:p>")
local list = entries(path)
t.eq(list[1].name, "mimetype")
t.eq(list[1].method, 0)
t.eq(read_entry(path, "mimetype"), "application/vnd.oasis.opendocument.text")
-- values read 16 bytes at a time for breaks and space runs (text.c, tmpl_one_segment): two
-- spaces across a block's end, a tab past the first block, single spaces only
for _, case in ipairs({
  { "abcdefghijklmno  pqrstuvwxyz0123456789", "Адрес: abcdefghijklmno <text:s/>pqrstuvwxyz0123456789</text:p>" },
  { "abcdefghijklmnopqrst\tu", "Адрес: abcdefghijklmnopqrst<text:tab/>u</text:p>" },
  { "a b c d e f g h i j k l m n o p q r s", "Адрес: a b c d e f g h i j k l m n o p q r s</text:p>" },
  { "абвгдеёжзийклмнопрстуфхцчшщ  ъ", "Адрес: абвгдеёжзийклмнопрстуфхцчшщ <text:s/>ъ</text:p>" },
}) do
  view.address = case[1]
  local p2 = out .. "/odt_segments.odt"
  t.ok(template.fill(fixtures .. "/odt_basic.odt", view, p2))
  t.has(assert(read_entry(p2, "content.xml")), case[2])
end
-- text escaped 16 bytes at a time (serialize.c): specials in the first block, past it, in the
-- last bytes read as the block ending at the text's end (after one replaced there too)
for _, case in ipairs({
  { "0123456789abcdef&ghij", "Адрес: 0123456789abcdef&amp;ghij</text:p>" },
  { "&123456789abcdefghij<", "Адрес: &amp;123456789abcdefghij&lt;</text:p>" },
  { "ЖЖЖЖЖЖЖЖЖЖЖЖ>a&b<c&", "Адрес: ЖЖЖЖЖЖЖЖЖЖЖЖ&gt;a&amp;b&lt;c&amp;</text:p>" },
  { "abcdefghijklmnopqrstuvwxyz&&", "Адрес: abcdefghijklmnopqrstuvwxyz&amp;&amp;</text:p>" },
  { "0123456789abcdefghijklmnopqrstu", "Адрес: 0123456789abcdefghijklmnopqrstu</text:p>" },
}) do
  view.address = case[1]
  local p2 = out .. "/odt_escaped.odt"
  t.ok(template.fill(fixtures .. "/odt_basic.odt", view, p2))
  t.has(assert(read_entry(p2, "content.xml")), case[2])
end
print("odt: all assertions hold")
