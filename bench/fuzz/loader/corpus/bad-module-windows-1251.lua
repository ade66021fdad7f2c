-- Подключаемый файл организации сохранён в кодировке Windows-1251: сообщение называет его.
-- expect: tests/bad/lib/school-windows-1251.lua:3: файл сохранён не в кодировке UTF-8 (похоже, в Windows-1251); откройте его в редакторе и сохраните в кодировке UTF-8
return municipality {
  name = "Сосновский муниципальный округ",
  organisations = {
    require "lib.school-windows-1251",
  },
}
