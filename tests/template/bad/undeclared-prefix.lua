-- A part that is well-formed XML but uses a namespace prefix it never declares (found by
-- fuzz/template: a fill could then write an attribute twice, a part no reader opens).
-- document: <?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:pPr><w:ind q:left="10"/></w:pPr><w:r><w:t>{x}</w:t></w:r></w:p></w:body></w:document>
-- expect: часть word/document.xml — в XML префикс пространства имён без объявления (строка 1)
-- expect-errors: 1
return { x = 1 }
