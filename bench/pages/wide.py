#!/usr/bin/env python3
"""A description of about 4.3 MB whose roadmap has fifty columns, and how long `nastavnik pdf`
takes on it (issue: it must finish, or be refused by a stated limit, in under ten seconds).

usage: python3 bench/pages/wide.py [build/nastavnik]
"""
import os
import subprocess
import sys
import tempfile
import time

BIN = sys.argv[1] if len(sys.argv) > 1 else "build/nastavnik"
KEYS = ["number", "title", "content", "due", "result", "responsible"]
SENTENCE = ("Организация работы наставнических пар или групп в соответствии с планом, "
            "анкетирование участников и подготовка отчёта куратору системы наставничества. ")


OWN = ["col%02d" % i for i in range(7, 51)]  # the roadmap's own columns, to make fifty


def description(target_bytes):
    columns = ", ".join(['{ "%s", "Столбец %d" }' % (key, i + 1) for i, key in enumerate(KEYS)]
                        + ['{ key = "%s", header = "Столбец %d" }' % (key, i + 7) for i, key in enumerate(OWN)])
    items, size, n = [], 0, 0
    while size < target_bytes:
        n += 1
        text = SENTENCE * 20
        own = "".join(' %s = [[%s]],' % (key, text) for key in OWN[:8])
        item = ('      item { number = "%d", title = "Мероприятие %d", content = [[%s]], due = "Сентябрь 2024",'
                ' result = [[%s]], responsible = "Куратор",%s },\n' % (n, n, text, text, own))
        items.append(item)
        size += len(item.encode())
    return """return organisation {
  full_name = "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 1»",
  short_name = "МБОУ «СШ № 1»",
  roadmap = roadmap {
    title = "Дорожная карта", year = "2024–2025",
    columns = { %s },
    stage { "Этап",
%s    },
  },
}
""" % (columns, "".join(items))


with tempfile.TemporaryDirectory() as work:
    path = os.path.join(work, "wide.lua")
    with open(path, "w", encoding="utf-8") as f:
        f.write(description(4_300_000))
    print("description: %.1f MB, 50 columns" % (os.path.getsize(path) / 1e6))
    start = time.time()
    r = subprocess.run([BIN, "pdf", path, "roadmap", "-o", os.path.join(work, "wide.pdf")],
                       capture_output=True, text=True)
    took = time.time() - start
    print("nastavnik pdf: exit %d in %.1f s" % (r.returncode, took))
    print((r.stderr.strip().splitlines() or [""])[-1][:300])
    if os.path.exists(os.path.join(work, "wide.pdf")):
        pages = subprocess.run(["pdfinfo", os.path.join(work, "wide.pdf")], capture_output=True, text=True).stdout
        print([l for l in pages.splitlines() if l.startswith("Pages")])
