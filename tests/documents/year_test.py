#!/usr/bin/env python3
"""A school's year on a copy of samples/sosnovsky/school-1.lua, as its curator lives it.

September: the sample without its January changes; `build` makes its orders. January: the
sample as it is — a pair ends early (pair 2), a mentor is replaced (pair 8 gets a new mentor)
and a pair is added, each with its order (№ 5 of kind pairs-end, № 6 mentor-change, № 7
pairs), written the way README says. Then:

* `check` accepts the January description;
* every September order comes out byte for byte as in September (PDF): an order is a fact of
  its date, and what happened later does not rewrite it;
* the January orders list exactly the changed pairs: № 5 the pair ended (with the September
  order that formed it, the date and the reason), № 6 the mentee with the mentor leaving and
  the one coming, № 7 the pair added — and each is built in PDF, DOCX and ODT with its
  appendix and acquaintance sheet;
* when the curator changes (two curator orders, each saying whom it appoints), every order names
  the curator of its own date.

Usage: year_test.py NASTAVNIK   (from the top of the source tree)
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

binary = os.path.abspath(sys.argv[1])
failures = []


def fail(message):
    failures.append(message)
    print("FAIL:", message)


def run(*args, cwd=None):
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=600, cwd=cwd)


def replace(text, old, new):
    if old not in text:
        sys.exit(f"year_test: the sample changed, «{old[:60]}» is not in it")
    return text.replace(old, new, 1)


# The January changes as the sample writes them: September is the sample without them.
JANUARY = [
    '''    order { number = "5", date = "15.01.2026", kind = "pairs-end",
      title = "О досрочном прекращении работы наставнической пары" },
    order { number = "6", date = "15.01.2026", kind = "mentor-change", title = "О замене наставника" },
    order { number = "7", date = "16.01.2026", kind = "pairs",
      title = "О закреплении наставнической пары" },
''',
    '''      ended = "16.01.2026", end_reason = "перевод наставляемого в другую образовательную организацию",
''',
    '''    pair { replaces = "8", mentor = "Шестаков Р.Е.", from = "19.01.2026" },
''',
    '''    pair {
      form = "учитель–ученик",
      mentor = "Крылов А.Н.", mentee = "Белоусов Г.А.",
      from = "19.01.2026", to = "29.05.2026",
      topic = "Подготовка к олимпиаде по физике",
      goal = "Успешное участие наставляемого в региональном этапе олимпиады",
    },
''',
]


def september(text):
    for part in JANUARY:
        text = replace(text, part, "")
    return text


def pdfs(folder):
    return {os.path.relpath(p, folder): open(p, "rb").read()
            for p in glob.glob(os.path.join(folder, "**", "*.pdf"), recursive=True)}


def view(path, kind, item):
    r = run("view", path, kind, "--item", str(item))
    if r.returncode != 0:
        fail(f"view {kind} --item {item}: {r.stderr.strip()}")
        return None
    # (texts bind short words by non-breaking spaces, russian.nbsp: compared as spaces)
    return json.loads(r.stdout.replace("\u00a0", " "))


def names(people):
    return [p["name"] for p in people]


with tempfile.TemporaryDirectory() as work:
    school = os.path.join(work, "school.lua")
    with open("samples/sosnovsky/school-1.lua", encoding="utf-8") as f:
        year = f.read()
    with open(school, "w", encoding="utf-8") as f:
        f.write(september(year))

    r = run("build", school, "-o", os.path.join(work, "september"))
    if r.returncode != 0:
        sys.exit(f"September build failed: {r.stderr}")
    september = pdfs(os.path.join(work, "september"))
    september_orders = {k: v for k, v in september.items() if k.startswith("school/Приказы/")}
    if "school/Приказы/Приказ о закреплении наставнических пар (групп) № 162 от 12.09.2025.pdf" not in september:
        fail(f"the September build has no order № 162: {sorted(september_orders)}")

    with open(school, "w", encoding="utf-8") as f:
        f.write(year)

    r = run("check", school)
    if r.returncode != 0 or r.stderr.count("замечание") != 1:
        fail(f"check of the January description: exit {r.returncode}: {r.stderr.strip()}")

    r = run("build", school, "-o", os.path.join(work, "january"))
    if r.returncode != 0:
        sys.exit(f"January build failed: {r.stderr}")
    jan = pdfs(os.path.join(work, "january"))
    for name, data in sorted(september_orders.items()):
        if name not in jan:
            fail(f"{name}: made in September, missing in January")
        elif jan[name] != data:
            fail(f"{name}: the September order changed after the January changes")
    new_orders = sorted(k for k in jan if k.startswith("school/Приказы/") and k not in september)
    want = sorted([
        "school/Приказы/Приказ о досрочном прекращении работы наставнических пар (групп) № 5 от 15.01.2026.pdf",
        "school/Приказы/Приказ о замене наставника № 6 от 15.01.2026.pdf",
        "school/Приказы/Приказ о закреплении наставнических пар (групп) № 7 от 16.01.2026.pdf",
    ])
    if new_orders != want:
        fail(f"January orders {new_orders}, expected {want}")
    for name in want:
        base = os.path.join(work, "january", name[:-4])
        for fmt in ("docx", "odt"):
            if not os.path.exists(base + "." + fmt):
                fail(f"{name}: no {fmt}")
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", base + ".pdf", "-"], capture_output=True,
                              text=True).stdout
        for must in ("ПРИКАЗЫВАЮ", "Приложение", "Лист ознакомления"):
            if must not in text:
                fail(f"{name}: the PDF lacks «{must}»")

    # The September order (the first of its kind) lists the twelve pairs of September.
    v = view(school, "order-pairs", 1)
    if v and (v["order"]["number"], len(v["pairs"])) != ("162", 12):
        fail(f"order-pairs --item 1: № {v['order']['number']} with {len(v['pairs'])} pairs, expected № 162 with 12")
    # № 7 lists the pair added, and only it.
    v = view(school, "order-pairs", 2)
    if v:
        got = [(names(p["mentors"]), names(p["mentees"]), p["period"]) for p in v["pairs"]]
        if v["order"]["number"] != "7" or got != [(["Крылов Андрей Николаевич"], ["Белоусов Глеб Артёмович"],
                                                  "с 19.01.2026 по 29.05.2026")]:
            fail(f"order-pairs --item 2: № {v['order']['number']}: {got}")
    r = run("view", school, "order-pairs", "--item", "3")
    if r.returncode != 1 or "всего 2" not in r.stderr:
        fail(f"order-pairs --item 3: exit {r.returncode}, expected an error saying there are 2: {r.stderr.strip()}")
    # № 5 lists the pair ended, with the order that formed it, the date and the reason.
    v = view(school, "order-pairs-end", 1)
    if v:
        got = [(names(p["mentors"]), names(p["mentees"]), p["formed"], p["ended"], p["reason"]) for p in v["pairs"]]
        want_end = [(["Крылов Андрей Николаевич"], ["Никитин Егор Павлович"], "№ 162 от 12.09.2025", "16.01.2026",
                     "перевод наставляемого в другую образовательную организацию")]
        if v["order"]["number"] != "5" or got != want_end:
            fail(f"order-pairs-end: № {v['order']['number']}: {got}")
    # № 6: the mentee, the mentor leaving, the mentor coming, the new mentor's term.
    v = view(school, "order-mentor-change", 1)
    if v:
        got = [(names(p["mentees"]), names(p["old_mentors"]), names(p["new_mentors"]), p["period"]) for p in v["pairs"]]
        want_change = [(["Ершова Дарья Андреевна"], ["Савельева Галина Михайловна"], ["Шестаков Роман Евгеньевич"],
                        "с 19.01.2026 по 31.05.2026")]
        if v["order"]["number"] != "6" or got != want_change:
            fail(f"order-mentor-change: № {v['order']['number']}: {got}")
        acquainted = [a["name"] for a in v["acquaintance"]]
        if acquainted[:3] != ["Ершова Дарья Андреевна", "Савельева Галина Михайловна", "Шестаков Роман Евгеньевич"]:
            fail(f"order-mentor-change: acquaintance sheet {acquainted}")

# The curator changes in January: each order names the curator of its own date.
CURATORS = '''return organisation {
  full_name = "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 1»",
  short_name = "МБОУ «СШ № 1»",
  people = {
    person { "Иванова Мария Петровна", post = "заместитель директора" },
    person { "Кузнецова Ольга Игоревна", post = "учитель физики" },
    person { "Орлова Анна Петровна", post = "учитель математики" },
    person { "Петров Сергей Сергеевич", class = "7 «А»", minor = true },
    person { "Сидоров Олег Олегович", class = "7 «Б»", minor = true },
  },
  curator = "Кузнецова О.И.",
  orders = {
    order { number = "147", date = "01.09.2025", kind = "curator", appoints = "Иванова М.П.", title = "О назначении куратора" },
    order { number = "150", date = "12.09.2025", kind = "pairs", title = "О закреплении наставнических пар" },
    order { number = "9", date = "20.01.2026", kind = "curator", appoints = "Кузнецова О.И.", title = "О назначении куратора" },
    order { number = "12", date = "25.01.2026", kind = "pairs", title = "О закреплении наставнических пар" },
  },
  pairs = {
    pair { form = "учитель–ученик", mentor = "Орлова А.П.", mentee = "Петров С.С.", from = "15.09.2025", to = "29.05.2026" },
    pair { form = "учитель–ученик", mentor = "Орлова А.П.", mentee = "Сидоров О.О.", from = "26.01.2026", to = "29.05.2026" },
  },
}
'''
with tempfile.TemporaryDirectory() as work:
    path = os.path.join(work, "curators.lua")
    with open(path, "w", encoding="utf-8") as f:
        f.write(CURATORS)
    for kind, item, who in (("order-pairs", 1, "Ивановой Марии Петровне"), ("order-pairs", 2, "Кузнецовой Ольге Игоревне"),
                            ("order-curator", 1, "Назначить Иванову Марию Петровну"),
                            ("order-curator", 2, "Назначить Кузнецову Ольгу Игоревну")):
        v = view(path, kind, item)
        text = " ".join(p["text"] for p in v["points"]) if v else ""
        if who not in text:
            fail(f"curator change: {kind} --item {item} does not name «{who}»: {text[:300]}")

if failures:
    print(f"{len(failures)} failure(s)")
    sys.exit(1)
print("year: the September orders unchanged after January; the January orders list exactly the changes")
