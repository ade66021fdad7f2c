-- A DTD declaring an external entity: refused (once the DTD was dropped and &e; left the output
-- not well-formed).
-- document: <?xml version="1.0" encoding="UTF-8"?><!DOCTYPE w:document [<!ENTITY e SYSTEM "file:///etc/passwd">]>
-- document: <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&e; {x}</w:t></w:r></w:p></w:body></w:document>
-- expect: в части word/document.xml есть объявление DOCTYPE
-- expect-errors: 1
return { x = "значение" }
