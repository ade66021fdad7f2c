-- Строка в 200 МБ в поле: предел длины текста, с полем и строкой, а не «нехватка памяти».
-- expect: :5: поле full_name: текст длиной 200 МБ — длиннее предела в 1 МБ
-- expect-errors: 1
local huge = string.rep("x", 200 * 1024 * 1024)
return organisation {
  full_name = huge,
  short_name = "МБОУ «СШ № 1»",
}
