-- Подключается файл организации, которого нет.
-- expect: :7: require "lib.school-that-does-not-exist": нет файла «tests/bad/lib/school-that-does-not-exist.lua» (файлы ищутся рядом с описанием; проверьте имя файла и папку)
-- expect-errors: 1
return municipality {
  name = "Сосновский муниципальный округ",
  organisations = {
    require "lib.school-that-does-not-exist",
  },
}
