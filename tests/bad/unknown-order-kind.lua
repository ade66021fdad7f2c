-- Неизвестный вид приказа «pair» (бывают те, что печатают документы scripts/documents/, и other).
-- expect: :11: приказ №150: поле kind: неизвестный вид приказа «pair»; может быть, «pairs»?; бывают: roadmap, pairs, pairs-end, mentor-change, curator, regulation, other
-- expect-errors: 1
return organisation {
  full_name = "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 1»",
  short_name = "МБОУ «СШ № 1»",
  orders = {
    order {
      number = "150",
      date = "15.09.2023",
      kind = "pair",
      title = "О закреплении наставнических пар",
    },
  },
}
