-- A template written by python-docx (Word's default template inside it): header, heading,
-- tags cut by run formatting, a paragraph loop over a bulleted paragraph, a row loop, rich text.
local template = require "nastavnik.template"
local richtext = require "nastavnik.richtext"
local t = require "template_test_lib"
local fixtures, out = arg[1], arg[2]

t.ok(template.fill(fixtures .. "/word_made.docx", {
  org = { short = "СОШ № 1", head = { name = "Иванова М. П." } },
  order = { number = "390", date = "16.09.2024" },
  goals = { "адаптация молодых специалистов", "обмен опытом" },
  pairs = { { n = 1, mentor = "Иванова", mentee = "Петров" }, { n = 2, mentor = "Сидоров", mentee = "Козлова" },
            { n = 3, mentor = "Орлова", mentee = "Зайцев" } },
  description = richtext.parse("Программа **на год**:\n1. диагностика\n2. встречи"),
}, out .. "/word_made.docx"))
print("word_made: filled")
