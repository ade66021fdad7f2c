-- 100,001 tags in one paragraph: over the limit of tags in one part.
-- generate: tags 100001
-- expect: word/document.xml: в части больше 100000 тегов (предел для одной части документа)
-- expect-errors: 1
return { x = 1 }
