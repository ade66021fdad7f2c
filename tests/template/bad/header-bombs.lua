-- Twenty headers of 4 MiB: each small, together over the limit of what a fill reads.
-- generate: header-bombs
-- expect: части документа вместе больше 64 МиБ в распакованном виде (предел; часть word/header
-- expect-errors: 1
return { x = 1 }
