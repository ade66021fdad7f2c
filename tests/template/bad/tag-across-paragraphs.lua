-- A tag cut by a paragraph end: one message pointing at both paragraphs.
-- template: <w:p><w:r><w:t>Директор: {org.</w:t></w:r></w:p><w:p><w:r><w:t>head}</w:t></w:r></w:p>
-- expect: word/document.xml, абзацы «Директор: {org.» (символ 11) и «head}» (символ 5): тег разорван между двумя абзацами
-- expect-errors: 1
return { org = { head = "Иванов" } }
