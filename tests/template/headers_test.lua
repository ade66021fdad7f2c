-- Headers, footers, footnotes and text boxes are filled; parts without "{" (styles.xml,
-- relationships) are copied as they were: the same compressed bytes, not re-deflated.
local template = require "nastavnik.template"
local t = require "template_test_lib"
local fixtures, out = arg[1], arg[2]

local src = fixtures .. "/headers.docx"
local path = out .. "/headers.docx"
t.ok(template.fill(src, { body = "тело", boxed = "рамка", org = "МБОУ «Школа»", foot = "стр.",
                          note = "пояснение" }, path))
t.has(assert(read_entry(path, "word/document.xml")), "Текст тело")
t.count(assert(read_entry(path, "word/document.xml")), "В рамке: рамка", 2)
t.has(assert(read_entry(path, "word/header1.xml")), "Шапка: МБОУ «Школа»")
t.has(assert(read_entry(path, "word/footer1.xml")), "Подвал: стр.")
t.has(assert(read_entry(path, "word/footnotes.xml")), " Сноска: пояснение")
-- styles.xml holds a "{" in a comment but is not a part that is filled
t.eq(read_entry(path, "word/styles.xml"), read_entry(src, "word/styles.xml"))

-- order: [Content_Types].xml first; untouched entries keep their compressed bytes
local before, after = {}, entries(path)
for _, e in ipairs(entries(src)) do before[e.name] = e end
t.eq(after[1].name, "[Content_Types].xml")
t.eq(#after, #entries(src))
for _, e in ipairs(after) do
  local b = before[e.name]
  t.eq(b ~= nil, true)
  if e.name == "word/styles.xml" or e.name:match("%.rels$") or e.name == "[Content_Types].xml" then
    t.eq(e.comp_size, b.comp_size) -- copied raw (the fixtures are deflated at level 1)
    t.eq(e.crc, b.crc)
    t.eq(e.method, b.method)
  end
  if e.name:match("%.rels$") then t.eq(e.method, 0) end -- still STORED
end
print("headers: all assertions hold")
