-- Шрифт документов в PDF. По умолчанию — Liberation Serif из пакета Debian fonts-liberation2:
-- он совпадает по метрике с Times New Roman, привычным шрифтом официальных документов.
--
-- Чтобы взять другой шрифт, укажите здесь пути к его файлам TrueType (.ttf): например
-- PT Serif из пакета fonts-paratype (/usr/share/fonts/truetype/paratype/PTF55F.ttf — обычный,
-- PTF75F.ttf — полужирный, PTF56F.ttf — курсив, PTF76F.ttf — полужирный курсив) или файлы,
-- положенные в эту папку (тогда достаточно имени файла). Другую папку с таким файлом можно
-- указать переменной окружения NASTAVNIK_FONTS.
return {
  regular = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
  bold = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf",
  italic = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Italic.ttf",
  bold_italic = "/usr/share/fonts/truetype/liberation2/LiberationSerif-BoldItalic.ttf",
}
