-- A text file given as the template.
-- expect: not-a-template.docx: это не документ DOCX/ODT (файл не zip-архив)
-- expect-errors: 1
return {}
