-- Попытка подключить библиотеку os через require.
-- expect: :4: «os» недоступно в описании школы: описание школы только перечисляет сведения и не может запускать программы и обращаться к системе
-- expect-errors: 1
local os = require "os"
os.execute("touch /tmp/nastavnik-sandbox-escaped")
return organisation {
  full_name = "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 1»",
  short_name = "МБОУ «СШ № 1»",
}
