#!/usr/bin/env python3
"""The layout's stated limits are the description's to change: a roadmap title longer than a
PDF can name a document by (about 32,000 characters), a document of more than 5,000 pages, a
roadmap of fifty columns and 4 MB that would make millions of lines — each is refused with
exit code 1 and a Russian message naming the limit, and no file is left behind.

usage: limits_test.py NASTAVNIK
"""
import os
import subprocess
import sys
import tempfile

NASTAVNIK = sys.argv[1]
HEAD = """return organisation {
  full_name = "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 1»",
  short_name = "МБОУ «СШ № 1»",
  roadmap = roadmap {
    title = [[%s]], year = "2024–2025",
    columns = { %s },
    stage { "Этап",
%s    },
  },
}
"""
failures = []


KNOWN = {"number", "title", "content", "due", "result", "responsible"}


def roadmap(title, columns, items):
    cols = ", ".join(('{ "%s", "Столбец %d" }' if key in KNOWN else '{ key = "%s", header = "Столбец %d" }')
                     % (key, i + 1) for i, key in enumerate(columns))
    return HEAD % (title, cols, "".join(items))


def item(number, content, result="", own=()):
    extra = "".join(' %s = [[%s]],' % (key, content) for key in own)
    return ('      item { number = "%d", content = [[%s]], result = [[%s]], due = "Сентябрь 2024", '
            'responsible = "Куратор",%s },\n' % (number, content, result, extra))


def refused(name, source, words):
    with tempfile.TemporaryDirectory() as work:
        path = os.path.join(work, name + ".lua")
        with open(path, "w", encoding="utf-8") as f:
            f.write(source)
        out = os.path.join(work, name + ".pdf")
        r = subprocess.run([NASTAVNIK, "pdf", path, "roadmap", "-o", out], capture_output=True, text=True)
        ok = r.returncode == 1 and all(w in r.stderr for w in words) and path in r.stderr \
            and not os.path.exists(out)
        print("%s %s: exit %d, %s" % ("ok  " if ok else "FAIL", name, r.returncode, r.stderr.strip()[:300]))
        if not ok:
            failures.append(name)


FOUR = ["number", "content", "due", "responsible"]
refused("title", roadmap("Дорожная карта " + "очень длинного названия " * 1700, FOUR,
                         [item(1, "Встреча")]),
        ["длиннее 32 000 знаков", "Дорожная карта очень длинного"])
lines = "\n".join("пункт %d" % k for k in range(300))
refused("pages", roadmap("Дорожная карта", FOUR, [item(n, lines) for n in range(1, 560)]),
        ["длиннее 5000 страниц", "предел"])
SENTENCE = ("Организация работы наставнических пар или групп в соответствии с планом, "
            "анкетирование участников и подготовка отчёта куратору системы наставничества. ") * 20
# fifty columns: the six a roadmap knows and forty-four of its own («col07» … «col50»), each
# holding the same long text
own = ["col%02d" % i for i in range(7, 51)]
columns = ["number", "title", "content", "due", "result", "responsible"] + own
refused("fifty-columns", roadmap("Дорожная карта", columns,
                                 [item(n, SENTENCE, SENTENCE, own[:8]) for n in range(1, 120)]),
        ["слишком большим", "предел"])
sys.exit(1 if failures else 0)
