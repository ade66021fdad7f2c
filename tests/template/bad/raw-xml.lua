-- docxtemplater's raw XML tag: said what it is and what to write instead, once.
-- template: <w:p><w:r><w:t>{@raw}</w:t></w:r></w:p>
-- expect: тег {@raw}: вставка XML как есть ({@…}) не поддерживается: передайте в данных форматированный текст
-- expect-errors: 1
return { raw = "<w:p/>" }
