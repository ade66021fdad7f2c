#!/usr/bin/env python3
"""The report on the roadmap of every sample, item by item, from what the description says.

For each sample (and each organisation of the municipal sample) on a date inside its year,
every row of `nastavnik view … roadmap-report --date` is compared with the state and comment
worked out here from the description — the curator's marks (state, comment), the item's
evidence links, the orders it cites or is about, the events it names — and from the deadline
alone, which never gives "просрочено" but "нет отметки" (passed), "срок не истёк" (running),
"срок не наступил" (not begun). The totals must count every row: their sum is the number of
rows, and the printed summary says each count. `build --date` gives the report that date.

Usage: report_test.py NASTAVNIK   (from the top of the source tree)
"""
import json
import os
import subprocess
import sys
import tempfile

binary = sys.argv[1]
failures = []

DONE, RUN, POST = "выполнено", "выполняется", "перенесено"
NO, TERM, NOT_YET = "нет отметки", "срок не истёк", "срок не наступил"

# (sample, --org, --date): [(number, state, a part of the comment or "")], row by row.
EXPECTED = {
    # No marks, orders or events bear on the items: the deadlines alone, on 15.05.2024.
    ("samples/boguchany-school-4.lua", None, "15.05.2024"): [
        ("1", TERM, ""), ("2", TERM, ""),
        ("3", NO, ""),      # Сентябрь – октябрь 2023: passed, nobody marked it
        ("4", NO, ""),      # Октябрь 2023 ("Формирование наставнических пар": no pairs, no order)
        ("5", TERM, ""), ("6", NO, ""), ("7", TERM, ""),
        ("8", TERM, ""),    # Май 2024: the date is inside May
        ("9", TERM, ""), ("10", NO, ""), ("11", NO, ""),
        ("12", TERM, ""), ("13", TERM, ""), ("14", TERM, ""), ("15", TERM, ""), ("16", TERM, ""),
        ("17", TERM, ""), ("18", TERM, ""), ("19", TERM, ""), ("20", TERM, ""), ("21", TERM, ""),
        ("22", NOT_YET, ""),  # Август – сентябрь 2024
    ],
    ("samples/lyceum-2.lua", None, "01.03.2025"): [
        ("1.", NO, ""), ("2.", TERM, ""), ("3.", NO, ""), ("4.", NO, ""), ("5.", NO, ""),
        ("6.", NO, ""), ("", NO, ""),      # stage 6: Декабрь 2024, Февраль 2025 (passed)
        ("", NOT_YET, ""),                  # stage 6: Май 2025
        ("7.", NOT_YET, ""),
    ],
    ("samples/tashtagol-district.lua", None, "01.12.2021"): [
        ("1.1", NO, ""), ("1.2", NO, ""), ("1.3", NO, ""), ("2.1", NO, ""),
        ("3.1", TERM, ""), ("3.2", TERM, ""), ("3.3", TERM, ""), ("3.4", TERM, ""),
        ("4.1", TERM, ""), ("4.2", TERM, ""), ("4.3", NOT_YET, ""),
        ("5.1", NO, ""),  # no deadline of its own (its parts have them)
        ("5.1.1", TERM, ""), ("5.1.2", TERM, ""),
    ],
    ("samples/ustyany-municipality.lua", None, "01.04.2025"): [
        ("1.1.", NO, ""),
        # 1.2, first row: it cites orders № 390 of 16.09.2024 and № 347 of 30.08.2024, which the
        # description has, but also "определение ответственного…", which no order shows: only
        # part of it, so no state is claimed.
        ("1.2.", NO, "приказы № 390 от 16.09.2024, № 347 от 30.08.2024 — часть пункта"),
        ("", NO, ""),
        ("1.3.", TERM, ""), ("2.1.", NO, ""), ("2.2.", NO, ""), ("2.3.", NO, ""), ("", NO, ""),
        # 2.3 and 2.4: the second row's «Сроки» is the first row's, merged on paper (due = above)
        ("2.4.", TERM, ""), ("", TERM, ""), ("2.5.", TERM, ""), ("2.6.", NO, ""),
        ("", NO, ""), ("", TERM, ""),  # the two meetings inside 2.6 (October 2024, April 2025)
        ("3.1", TERM, ""), ("3.2.", TERM, ""), ("3.3.", TERM, ""), ("3.4.", TERM, ""), ("3.5.", TERM, ""),
        ("3.6.", NO, ""), ("", TERM, ""),
    ],
    ("samples/sosnovsky-district.lua", None, "31.05.2026"): [
        # 1.1 lists four orders by number and date; the department's orders have them all.
        ("1.1.", DONE, "приказы № 298 от 22.08.2025, № 305 от 29.08.2025, № 312 от 03.09.2025, № 316 от 05.09.2025"),
        ("1.2.", NO, ""), ("1.3.", NO, ""), ("2.1.", NO, ""), ("2.2.", NO, ""), ("2.3.", TERM, ""),
        # 2.4 is the festival the description records on 12.03.2026 (practices, events).
        ("2.4.", DONE, "проведено 12.03.2026"),
        ("3.1.", NO, ""), ("3.2.", TERM, ""),
        # 3.3 links two events (evidence = { … }): the forum of 16.04.2026, the conference of 21.05.2026.
        ("3.3.", DONE, "«Краевой форум „Наставничество: традиции и новации“», 16.04.2026"),
        ("3.4.", NOT_YET, ""),
    ],
    ("samples/sosnovsky-district.lua", "1", "31.05.2026"): [
        ("1", DONE, "базы рассмотрены на педагогическом совете 10.09.2025"),  # the curator's mark
        ("2", DONE, "приказ № 162 от 12.09.2025 (пар и групп: 12)"),          # До 12.09.2025: order № 162
        ("3", TERM, ""), ("4", TERM, ""),
        ("5", RUN, "справка за первое полугодие подготовлена 26.12.2025"),     # marked
        ("6", TERM, ""),
        ("7", POST, "на 05.06.2026"),                                          # marked «перенесено»
    ],
    ("samples/sosnovsky-district.lua", "2", "31.05.2026"): [
        # The lyceum's item 4 ("Организация и осуществление работы…") is more than forming pairs.
        ("1.", NO, ""), ("2.", NO, ""), ("3.", NO, ""), ("4.", NO, ""), ("5.", TERM, ""), ("6.", TERM, ""),
    ],
    ("samples/sosnovsky-district.lua", "3", "31.05.2026"): [
        # "Актуализация Положения … и разработка дорожной карты": the regulation order № 44-од and
        # the roadmap order № 46-од, both within Август – сентябрь 2025.
        ("1.1", DONE, "приказ № 44-од от 28.08.2025; приказ № 46-од от 01.09.2025"),
        ("2.1", NO, ""),
        ("2.2", DONE, "приказ № 52-од от 12.09.2025 (пар и групп: 6)"),
        ("2.3", TERM, ""), ("3.1", TERM, ""), ("3.2", TERM, ""),
    ],
    ("samples/sosnovsky-district.lua", "4", "31.05.2026"): [
        ("1.1.", NO, ""), ("1.2.", NO, ""), ("1.3.", NO, ""),
        # forming pairs is shown by order № 256-о, developing the programmes by nothing
        ("2.1.", NO, "приказ № 256-о от 12.09.2025 (пар и групп: 10) — часть пункта"),
        ("2.2.", NO, ""), ("2.3.", TERM, ""), ("3.1.", TERM, ""),
    ],
}

WORDS = {"done": DONE, "running": RUN, "postponed": POST, "not_started": "не начато", "failed": "не выполнено",
         "overdue": "просрочено", "in_term": TERM, "not_due": NOT_YET, "no_mark": NO}

for (sample, org, date), want in EXPECTED.items():
    args = ["view", sample, "roadmap-report", "--date", date] + (["--org", org] if org else [])
    r = subprocess.run([binary, *args], capture_output=True, text=True, timeout=60)
    where = f"{sample} org={org} {date}"
    if r.returncode != 0:
        failures.append(f"{where}: view failed: {r.stderr.strip()}")
        continue
    v = json.loads(r.stdout.replace("\u00a0", " "))  # non-breaking spaces (russian.nbsp) as spaces
    rows = [row for row in v["rows"] if row["kind"] == "item"]
    if len(rows) != len(want):
        failures.append(f"{where}: {len(rows)} rows, expected {len(want)}")
    for k, (row, (number, state, comment)) in enumerate(zip(rows, want)):
        if (row["number"], row["state"]) != (number, state) or comment not in row["comment"] \
                or (not comment and row["comment"]):
            failures.append(f"{where}: row {k + 1}: {row['number']!r} {row['state']!r} «{row['comment']}», "
                            f"expected {number!r} {state!r} «{comment}»")
    counts = v["counts"]
    if sum(counts.values()) != len(rows) or v["total"] != len(rows):
        failures.append(f"{where}: counts {counts} do not add up to the {len(rows)} rows")
    for key, n in counts.items():
        if n != sum(1 for row in rows if row["state"] == WORDS[key]):
            failures.append(f"{where}: {key} counted {n}")
        if n and f"{WORDS[key]}: {n}" not in v["summary"].lower():
            failures.append(f"{where}: the summary lacks «{WORDS[key]}: {n}»: {v['summary']}")
    if not v["summary"].startswith(f"Всего пунктов: {len(rows)}."):
        failures.append(f"{where}: summary {v['summary']!r}")

# `build --date` dates the report it makes.
with tempfile.TemporaryDirectory() as out:
    r = subprocess.run([binary, "build", "samples/boguchany-school-4.lua", "-o", out, "--date", "15.11.2023"],
                       capture_output=True, text=True, timeout=120)
    pdf = os.path.join(out, "boguchany-school-4", "Отчёты", "Отчёт о выполнении дорожной карты.pdf")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True, text=True).stdout \
        if os.path.exists(pdf) else ""
    if r.returncode != 0 or "по состоянию на 15 ноября 2023 г." not in text.replace("\u00a0", " "):
        failures.append(f"build --date: exit {r.returncode}, the report says: {text[:300]!r} {r.stderr[-300:]}")
    r = subprocess.run([binary, "build", "samples/boguchany-school-4.lua", "-o", out, "--date", "31.02.2024"],
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 2 or "31.02.2024" not in r.stderr:
        failures.append(f"build --date 31.02.2024: exit {r.returncode}: {r.stderr.strip()}")

for f in failures:
    print("FAIL:", f)
print("report: every row as the description says" if not failures else f"report: {len(failures)} problem(s)")
sys.exit(1 if failures else 0)
