-- A part that is not well-formed.
-- document: <?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p>{x}</w:body></w:document>
-- expect: часть word/document.xml — повреждённый XML (строка 1)
-- expect-errors: 1
return { x = 1 }
