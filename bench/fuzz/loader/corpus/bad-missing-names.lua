-- Организация без полного и краткого наименования (full_name, short_name).
-- expect: :5: не указано: полное наименование (поле full_name)
-- expect: :5: не указано: краткое наименование (поле short_name)
-- expect-errors: 2
return organisation {
  kind = "школа",
  place = "с. Богучаны",
}
