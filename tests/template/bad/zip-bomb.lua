-- 250 MB of document.xml in a few hundred bytes (bzip2): refused by its declared size before
-- anything is inflated.
-- generate: zip-bomb
-- expect: части документа вместе больше 64 МиБ в распакованном виде (предел; часть word/document.xml
-- expect-errors: 1
return { x = 1 }
