-- Every error form of a template, all reported by one fill, in Russian, with the part, the
-- paragraph's text and the position; and nothing written: an existing output stays as it was,
-- a new one is not created.
local template = require "nastavnik.template"
local host = require "nastavnik.host"
local t = require "template_test_lib"
local fixtures, out = arg[1], arg[2]

local view = { org = { name = "Школа" }, date = "1.09.2024", rows = { { n = 1 }, { n = 2 } },
               items = { 1 }, a = true, show = true }
local filters = { upper = function(s) return s end }

local old = out .. "/old.docx"
assert(host.write_file(old, "прежнее содержимое"))
local ok, errors = template.fill(fixtures .. "/errors.docx", view, old, filters)
t.eq(ok, nil)
t.eq(assert(host.read_file(old)), "прежнее содержимое")
local fresh = out .. "/fresh.docx"
assert(template.fill(fixtures .. "/errors.docx", view, fresh, filters) == nil)
t.eq(file_exists(fresh), false)

local all = table.concat(errors, "\n")
print(all)
local function expect(...)
  for _, piece in ipairs({ ... }) do t.has(all, piece) end
end
-- a name the view lacks, with the part, the paragraph text and the character position
expect("word/document.xml, абзац «Имя: {org.nme}», символ 6: в данных нет «org.nme»: у «org» нет поля «nme» (тег {org.nme})")
expect("абзац «{#items}», символ 1: цикл {#items} не закрыт: нет {/items}")
expect("абзац «Лишний {/x} тег», символ 8: лишний закрывающий тег {/x}: перед ним нет открывающего {#x} (открыт {#items} — может быть, имелось в виду {/items}?)")
expect("абзац «Дата: {date|nosuch}», символ 7: тег {date|nosuch}: неизвестный фильтр «nosuch»")
expect("абзац «Скобка {abc без конца», символ 8: тег не закрыт: до конца абзаца нет «}»")
expect("абзац «Лишняя } скобка», символ 8: лишняя «}»: перед ней нет «{»")
expect("абзац «Пустой {} тег», символ 8: тег {}: пустой тег: между «{» и «}» нет имени")
expect("абзац «{#a}текст{/b}», символ 10: лишний закрывающий тег {/b}: перед ним нет открывающего {#b} (открыт {#a}")
expect("абзац «{#a}текст{/b}», символ 1: цикл {#a} не закрыт: нет {/a}")
expect("абзац «Нет: {missing}», символ 6: в данных нет поля «missing» (тег {missing})")
-- (loop tags in paragraphs with other text are docxtemplater's paragraph loops: no error)
-- inside a row loop met twice, said once
expect("абзац «{#rows}{absent}», символ 8: в данных нет поля «absent» (тег {absent}; в цикле: rows[1])")
t.count(all, "absent", 3) -- one message: the context, the field and the tag
t.eq(#errors, 11)

-- a template that is not a package at all
assert(host.write_file(out .. "/not-a-docx.docx", "просто текст"))
local ok2, errors2 = template.fill(out .. "/not-a-docx.docx", {}, out .. "/x.docx")
t.eq(ok2, nil)
t.has(errors2[1], "not-a-docx.docx: это не документ DOCX/ODT (файл не zip-архив)")
local ok3, errors3 = template.fill(out .. "/nowhere.docx", {}, out .. "/x.docx")
t.eq(ok3, nil)
t.has(errors3[1], "nowhere.docx: нет такого файла")
t.eq(file_exists(out .. "/x.docx"), false)

-- a filter that fails is reported, not thrown
local ok4, errors4 = template.fill(fixtures .. "/headers.docx",
  { body = "b", boxed = "x", org = "o", foot = "f", note = "n" }, out .. "/y.docx",
  nil)
t.ok(ok4, errors4)
remove_file(out .. "/y.docx")
local ok5, errors5 = template.fill(fixtures .. "/basic.docx", {
  org = { head = { name = "Иванова Мария Петровна" }, short = "Школа" }, date = "д",
  dangerous = "", address = "", count = 1, people = {}, tasks = {}, rows = {}, name = "", title = "",
}, out .. "/z.docx", { initials = function() error("нет отчества") end })
t.eq(ok5, nil)
t.eq(#errors5, 1)
t.has(errors5[1], "word/document.xml, абзац «Подпись: {org.head.name|initials}, всего {count}», символ 10: фильтр «initials» не сработал: ")
t.has(errors5[1], "нет отчества (тег {org.head.name|initials})")
t.eq(file_exists(out .. "/z.docx"), false)
-- the same template without the failing filter: no rows, so the inverse row shows
local ok6, errors6 = template.fill(fixtures .. "/basic.docx", {
  org = { head = { name = "Иванова Мария Петровна" }, short = "Школа" }, date = "д",
  dangerous = "", address = "", count = 1, people = {}, tasks = {}, rows = {}, name = "", title = "",
}, out .. "/empty-rows.docx", { initials = function(s) return s end })
t.ok(ok6, errors6)
local text6 = t.text(read_entry(out .. "/empty-rows.docx", "word/document.xml"))
t.has(text6, "№|Мероприятие|Нет мероприятий|Задачи|Итого|1|Конец.") -- (t.text skips empty <w:p/>)
t.has(text6, "Участники: конец.|Области: |ПустоНет участников")
-- the item that lacks a field is named
local ok7, errors7 = template.fill(fixtures .. "/basic.docx", {
  org = { head = { name = "Иванова Мария Петровна" }, short = "Школа" }, date = "д",
  dangerous = "", address = "", count = 1, people = {}, tasks = {}, name = "", title = "",
  rows = { { n = 1, text = "есть" }, { n = 2 }, { n = 3 } },
}, out .. "/row-lacks.docx", { initials = function(s) return s end })
t.eq(ok7, nil)
t.eq(#errors7, 1)
t.has(errors7[1], "абзац «{text}{/rows}», символ 1: в данных нет поля «text» (тег {text}; в цикле: rows[2])")
t.eq(file_exists(out .. "/row-lacks.docx"), false)
-- the cell whose paragraph loop had nothing to repeat keeps one (empty) paragraph
t.has(read_entry(out .. "/empty-rows.docx", "word/document.xml"),
  '<w:tc><w:p><w:r><w:t>Задачи</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc>')
remove_file(old)
remove_file(out .. "/not-a-docx.docx")
print("errors: all assertions hold")
