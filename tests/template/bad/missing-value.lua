-- A name the data lacks: an error by default (a secretary must not sign a blank).
-- template: <w:p><w:r><w:t>Приказ № {order.number}</w:t></w:r></w:p>
-- expect: word/document.xml, абзац «Приказ № {order.number}», символ 10: в данных нет «order.number»: у «order» нет поля «number» (тег {order.number})
-- expect-errors: 1
return { order = { date = "01.09.2024" } }
