#!/usr/bin/env python3
"""`nastavnik due`: for every sample on a fixed date, exactly the expected entries, one by one
(recurring deadlines expanded); the state of each one-time roadmap item is the one the
roadmap report prints for that item on that date; text, JSON and CSV; wrong calls."""
import csv
import io
import json
import subprocess
import sys

binary = sys.argv[1]
failures = []
NB = "\u00a0"


def plain(s):
    """Text as compared: the model binds short words by non-breaking spaces (russian.nbsp)."""
    return s.replace(NB, " ") if isinstance(s, str) else s


def run(*args):
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=120)


def due_json(path, args):
    r = run("due", path, "--format", "json", *args)
    if r.returncode != 0:
        failures.append(f"{path} {args}: exit {r.returncode}\n{r.stderr}")
        return None
    return json.loads(r.stdout)


# The roadmap report's state of every item row on a date: (number, first line) -> state.
def report_states(path, date, org=None):
    args = ["view", path, "roadmap-report", "--date", date]
    if org:
        args += ["--org", org]
    view = json.loads(run(*args).stdout)
    states = []
    for row in view["rows"]:
        if row["kind"] != "item":
            continue
        words = []
        for block in row["text"]:
            runs = block.get("runs") or [r for it in block.get("items", []) for r in it["runs"]]
            words.append("".join(r["text"] for r in runs))
        states.append((row["number"], plain(" ".join(words)), row["state"]))
    return states


REPORT = "как в отчёте"  # the state must equal the roadmap report's for that item

# (file, options, [ (date, kind, number, text starts with, state, occurrence) ], unread deadlines)
CASES = [
    ("samples/boguchany-school-4.lua", ["--month", "2023-10", "--date", "01.10.2023"], [
        ("2023-10-31", "item", None, "Организация общей встречи наставников и наставляемых", REPORT, None),
        ("2023-10-31", "item", None, "Формирование наставнических пар или групп", REPORT, None),
        ("2023-10-31", "item", None, "Разработка формы диагностической анкеты", REPORT, None),
        ("2023-10-31", "item", None, "Анализ полученных анкет в ходе информационной кампании", REPORT, None),
        # «1 раз в четверть»: the first school quarter ends with October
        ("2023-10-31", "item", None, "Организация диагностики компетенций", "срок не истёк", "I четверть 2023–2024 учебного года"),
    ], []),
    ("samples/lyceum-2.lua", ["--month", "2024-09", "--date", "01.09.2024"], [
        ("2024-09-30", "item", "3.", "Формирование банка наставников", REPORT, None),
        ("2024-09-30", "item", "5.", "Организация и осуществление работы наставнических пар/групп", REPORT, None),
    ], []),
    ("samples/tashtagol-district.lua", ["--month", "2021-12", "--date", "01.12.2021"], [
        # «Ежемесячно 25 числа каждого месяца» and «ежеквартально»
        ("2021-12-25", "item", "4.2", "Мониторинг реализации ЦМН в образовательных организациях", "срок не наступил", "декабрь 2021"),
        ("2021-12-31", "item", "4.1", "Осуществление персонифицированного учета обучающихся", "срок не истёк", "IV квартал 2021 года"),
    ], ["В течение двух недель с даты определения модели",
        "В соответствии со сроками реализации программ наставничества в ОО"]),
    ("samples/ustyany-municipality.lua", ["--month", "2025-04", "--date", "01.04.2025"], [
        ("2025-04-30", "item", "2.6.", "Заседания районной творческой группы «Наставничество»: Заседание 2", "срок не истёк", None),
        ("2025-04-30", "item", "3.1", "Педагогические чтения в рамках межмуниципального методического округа", REPORT, None),
        ("2025-04-30", "item", "3.2.", "Мониторинг качества реализации программ наставничества", REPORT, None),
        ("2025-04-30", "item", "3.4.", "Итоговые мониторинги районной творческой группы", REPORT, None),
    # (2.3 and 2.4: the second row's deadline is the first row's, merged on paper — due = above)
    ], ["По плану работы образовательных организаций", "По плану работы образовательных организаций",
        "По плану работы «наставников» в образовательных организациях"]),
    # the whole municipality: its organisations' pairs too
    ("samples/sosnovsky-district.lua", ["--from", "01.12.2025", "--to", "14.12.2025", "--date", "01.12.2025"], [
        ("2025-12-01", "consent", None, "Не получены согласия участников пар (групп), которые уже работают: № 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 — нет от 26 человек", "нет согласия (нужно было к 12.09.2025)", None),
        ("2025-12-01", "consent", None, "Не получены согласия участников пар (групп), которые уже работают: № 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 — нет от ", "нет согласия (нужно было к 11.09.2025)", None),
        ("2025-12-01", "consent", None, "Не получены согласия участников пар (групп), которые уже работают: № 1, 2, 3, 4, 5, 6 — нет от ", "нет согласия (нужно было к 12.09.2025)", None),
        ("2025-12-01", "consent", None, "Не получены согласия участников пар (групп), которые уже работают: № 1, 2, 3, 4", "нет согласия (нужно было к 12.09.2025)", None),
        ("2025-12-09", "meeting", None, f"Рабочая встреча: пара № 8 (Ермаков{NB}В.Ю. – Сорокина{NB}А.В.)", "", None),
    ], ["В соответствии со сроками реализации программ наставничества"]),
    ("samples/sosnovsky/school-1.lua", ["--month", "2025-12", "--date", "01.12.2025"], [
        ("2025-12-01", "consent", None, "Не получены согласия участников пар (групп), которые уже работают: № 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 — нет от 26 человек", "нет согласия (нужно было к 12.09.2025)", None),
        ("2025-12-19", "pair_end", None, f"Завершение программы наставничества: пара № 4 (Шестаков{NB}Р.Е. – Смирнова{NB}Д.О.)", "программа завершена", None),
        ("2025-12-26", "pair_end", None, f"Завершение программы наставничества: пара № 5 (Орлова{NB}А.Р. – Морозова{NB}В.А.)", "программа завершена", None),
        ("2025-12-26", "pair_end", None, f"Завершение программы наставничества: пара № 7 (Егорова{NB}М.В. – Захарова{NB}У.Е.)", "программа завершена", None),
        ("2025-12-31", "item", None, "Организация диагностики компетенций", "срок не истёк", "II четверть 2025–2026 учебного года"),
        # «Декабрь 2025, май 2026»: two deadlines, the first in December
        ("2025-12-31", "item", None, "Мониторинг реализации программ наставничества в образовательной организации", "выполняется", "1 из 2"),
    ], []),
    ("samples/sosnovsky/lyceum.lua", ["--month", "2025-10", "--date", "01.10.2025"], [
        ("2025-10-01", "consent", None, "Не получены согласия участников пар (групп), которые уже работают: № 1, 2, 3, 4, 5, 6, 7, 8, 9, 10", "нет согласия (нужно было к 11.09.2025)", None),
        ("2025-10-31", "item", "4.", "Организация и осуществление работы наставнических пар/групп", REPORT, None),
    ], []),
    ("samples/sosnovsky/kedrovaya.lua", ["--month", "2025-09", "--date", "15.09.2025"], [
        ("2025-09-12", "consent", None, f"Получить согласия участников: пара № 1 (Григорьев{NB}А.И. – Пестова{NB}А.С.)", "нет согласия (нужно было к 12.09.2025)", None),
        ("2025-09-12", "consent", None, f"Получить согласия участников: пара № 2 (Кравченко{NB}Л.С.", "нет согласия (нужно было к 12.09.2025)", None),
        ("2025-09-12", "consent", None, f"Получить согласия участников: пара № 3 (Щербакова{NB}Е.Ф.", "нет согласия (нужно было к 12.09.2025)", None),
        ("2025-09-12", "consent", None, f"Получить согласия участников: пара № 4 (Мальцев{NB}Я.А.", "нет согласия (нужно было к 12.09.2025)", None),
        ("2025-09-12", "consent", None, f"Получить согласия участников: группа № 5 (Носкова{NB}Е.И.", "нет согласия (нужно было к 12.09.2025)", None),
        ("2025-09-12", "consent", None, f"Получить согласия участников: пара № 6 (Бондаренко{NB}Н.В.", "нет согласия (нужно было к 12.09.2025)", None),
        ("2025-09-12", "item", "2.2", "Формирование наставнических пар или групп", REPORT, None),
        ("2025-09-15", "meeting", None, "Встреча-знакомство: пара № 1", "", None),
        ("2025-09-18", "meeting", None, "Пробная встреча: пара № 1", "", None),
        ("2025-09-25", "meeting", None, "Встреча-планирование: пара № 1", "", None),
        ("2025-09-30", "item", "1.1", "Актуализация Положения о системе наставничества", REPORT, None),
        ("2025-09-30", "item", "2.1", "Формирование и актуализация базы наставляемых и базы наставников", REPORT, None),
        ("2025-09-30", "item", "3.1", "Осуществление персонифицированного учёта обучающихся", "срок не истёк", "III квартал 2025 года"),
    ], ["В соответствии со сроками реализации программ наставничества"]),
    ("samples/sosnovsky/agro-college.lua", ["--month", "2026-05", "--date", "01.05.2026"], [
        # pairs 1, 2 and the groups that ended before May are not asked about any more
        ("2026-05-01", "consent", None, "Не получены согласия участников пар (групп), которые уже работают: № 3, 4, 5, 10 — нет от 10 человек", "нет согласия (нужно было к 12.09.2025)", None),
        ("2026-05-18", "meeting", None, "Итоговая встреча: группа № 3", "", None),
        ("2026-05-22", "pair_end", None, "Завершение программы наставничества: группа № 3", "", None),
        ("2026-05-29", "pair_end", None, "Завершение программы наставничества: пара № 5", "", None),
    ], []),
    # every kind at once: weekly, monthly on a day, school quarter, calendar quarter, a list of
    # months, the curator's own mark, a planned order, consents received and not
    ("tests/year/fixtures/year.lua", ["--month", "2025-12", "--date", "01.12.2025"], [
        ("2025-12-01", "consent", None, "Не получены согласия участников пар (групп), которые уже работают: № 2 — нет от 1 человека", "нет согласия (нужно было к 10.09.2025)", None),
        ("2025-12-03", "meeting", None, f"Рабочая встреча: пара № 1 (Иванова{NB}М.П. – Петров{NB}С.С.)", "", None),
        ("2025-12-04", "item", "1", "Заседание рабочей группы по наставничеству", "срок не наступил", None),
        ("2025-12-11", "item", "1", "Заседание рабочей группы по наставничеству", "срок не наступил", None),
        ("2025-12-12", "item", "6", "Промежуточная встреча наставников", "выполнено", None),
        ("2025-12-17", "meeting", None, "Итоговая встреча: пара № 1", "", None),
        ("2025-12-18", "item", "1", "Заседание рабочей группы по наставничеству", "срок не наступил", None),
        ("2025-12-19", "pair_end", None, "Завершение программы наставничества: пара № 1", "", None),
        ("2025-12-20", "order", None, f"№{NB}90 от 20.12.2025 «Об итогах первого полугодия»", "к изданию", None),
        ("2025-12-25", "item", "1", "Заседание рабочей группы по наставничеству", "срок не наступил", None),
        ("2025-12-25", "item", "2", "Отчёт куратора о работе пар", "срок не наступил", "декабрь 2025"),
        ("2025-12-31", "item", "3", "Диагностика затруднений наставляемых", "срок не истёк", "II четверть 2025–2026 учебного года"),
        ("2025-12-31", "item", "4", "Мониторинг реализации программы", "срок не истёк", "IV квартал 2025 года"),
        ("2025-12-31", "item", "5", "Анкетирование участников", "срок не истёк", "1 из 2"),
    ], ["2 раза в месяц"]),
]

for path, args, expected, unread in CASES:
    data = due_json(path, args)
    if data is None:
        continue
    entries = [e for w in data["weeks"] for e in w["entries"]]
    date = args[args.index("--date") + 1]
    states = report_states(path, date) if any(x[4] == REPORT for x in expected) else []
    if len(entries) != len(expected):
        failures.append(f"{path}: {len(entries)} entries, expected {len(expected)}:\n  "
                        + "\n  ".join(f"{e['date']} {e['kind']} {e['text'][:60]}" for e in entries))
    for k, (e, want) in enumerate(zip(entries, expected)):
        w_date, w_kind, w_number, w_text, w_state, w_occurrence = want
        where = f"{path}: entry {k + 1}"
        got = (e["date"], e["kind"], e.get("number"), e.get("occurrence"))
        if got != (w_date, w_kind, w_number, w_occurrence):
            failures.append(f"{where}: {got}, expected {(w_date, w_kind, w_number, w_occurrence)}")
        if not plain(e["text"]).startswith(plain(w_text)):
            failures.append(f"{where}: text {e['text']!r} does not start with {w_text!r}")
        if w_state == REPORT:
            same = [s for (n, t, s) in states
                    if (n == (w_number or "") or not w_number) and t.startswith(plain(w_text))]
            if not same:
                failures.append(f"{where}: the roadmap report has no row {w_number} {w_text!r}")
            elif e["state"] != same[0]:
                failures.append(f"{where}: state {e['state']!r}, the roadmap report says {same[0]!r}")
        elif e["state"] != w_state:
            failures.append(f"{where}: state {e['state']!r}, expected {w_state!r}")
        if e["kind"] in ("item", "order", "consent", "pair_end") and not e["responsible"]:
            failures.append(f"{where}: nobody responsible")
    got_unread = [plain(u["due"]) for u in data["unread"]]
    if got_unread != [plain(u) for u in unread]:
        failures.append(f"{path}: unread {got_unread}, expected {unread}")
    for u in data["unread"]:
        if not u["reason"] or not u["line"]:
            failures.append(f"{path}: unread deadline without a reason or a line: {u}")

# Whole periods: every occurrence of a recurring deadline, none twice.
data = due_json("samples/tashtagol-district.lua", ["--from", "01.01.2021", "--to", "31.12.2022", "--date", "01.01.2021"])
monthly = [e["date"] for w in data["weeks"] for e in w["entries"] if e.get("number") == "4.2"]
quarterly = [e["date"] for w in data["weeks"] for e in w["entries"] if e.get("number") == "4.1"]
if monthly != [f"{y}-{m:02d}-25" for y in (2021, 2022) for m in range(1, 13)]:
    failures.append(f"tashtagol 4.2: monthly occurrences {monthly}")
if quarterly != ["2021-03-31", "2021-06-30", "2021-09-30", "2021-12-31", "2022-03-31", "2022-06-30", "2022-09-30", "2022-12-31"]:
    failures.append(f"tashtagol 4.1: quarterly occurrences {quarterly}")
data = due_json("tests/year/fixtures/year.lua", ["--from", "01.09.2025", "--to", "31.08.2026", "--date", "01.09.2025"])
thursdays = [e["date"] for w in data["weeks"] for e in w["entries"] if e.get("number") == "1"]
if len(thursdays) != 52 or thursdays[0] != "2025-09-04" or thursdays[-1] != "2026-08-27":
    failures.append(f"weekly on Thursdays: {len(thursdays)} occurrences, {thursdays[:1]} … {thursdays[-1:]}")
quarters = [e["date"] for w in data["weeks"] for e in w["entries"] if e.get("number") == "3"]
if quarters != ["2025-10-31", "2025-12-31", "2026-03-31", "2026-05-31"]:
    failures.append(f"school quarters: {quarters}")
orders = [(e["text"][:6], e["state"]) for w in data["weeks"] for e in w["entries"] if e["kind"] == "order"]
if orders != [(f"№{NB}40 о", "к изданию"), (f"№{NB}47 о", "к изданию"), (f"№{NB}90 о", "к изданию")]:
    failures.append(f"orders to issue from 01.09.2025: {orders}")
# Consents are asked before the order on pairs (10.09), from those who have none by then.
consents = [e["text"] for w in data["weeks"] for e in w["entries"] if e["kind"] == "consent"]
if consents != [f"Получить согласия участников: пара № 2 (Сидорова{NB}О.И. – Кузин{NB}О.А.) — нет от: Кузин{NB}О.А. (за несовершеннолетнего — родитель)"]:
    failures.append(f"consents: {consents}")

# Text on a terminal: weeks, who answers, the recurrence, what could not be read.
r = run("due", "tests/year/fixtures/year.lua", "--month", "2025-12", "--date", "01.12.2025")
for needle in [f"Что предстоит: МБОУ «Школа №{NB}8» — декабрь 2025 (01.12.2025 – 31.12.2025). Состояние на 01.12.2025.",
               "Неделя 1–7 декабря 2025",
               "Неделя 29 декабря 2025 – 4 января 2026",
               "  чт 25.12  Дорожная карта, п. 2: Отчёт куратора о работе пар",
               "срок не наступил · ежемесячно, 25-го числа (декабрь 2025)",
               f"отвечает: Пенкин{NB}А.Н. (подписывает) · к изданию",
               "Весь период, без своего срока: 1 пункт дорожной карты («В течение года» и т. п.).",
               "tests/year/fixtures/year.lua:29: п. 7 «2 раза в месяц» — не сказано, в какие дни месяца проходят 2 раза"]:
    if plain(needle) not in plain(r.stdout):
        failures.append(f"text output lacks {needle!r}:\n{r.stdout}")

# CSV for spreadsheets: a header and one row per entry.
r = run("due", "tests/year/fixtures/year.lua", "--month", "2025-12", "--date", "01.12.2025", "--format", "csv")
rows = list(csv.DictReader(io.StringIO(r.stdout)))
if len(rows) != 14 or rows[10]["text"] != "Отчёт куратора о работе пар" or rows[10]["recurring"] != "ежемесячно, 25-го числа":
    failures.append(f"csv: {len(rows)} rows; row 11: {rows[10] if len(rows) > 10 else None}")

# A municipality's organisation alone (--org).
data = due_json("samples/sosnovsky-district.lua", ["--org", "2", "--month", "2025-12", "--date", "01.12.2025"])
orgs = {e["organisation"] for w in data["weeks"] for e in w["entries"]}
if orgs != {"МБОУ «Сосновский лицей»"}:
    failures.append(f"--org 2: organisations {orgs}")

# Wrong calls: exit 2, a Russian message.
for args, message in [
    (["--month", "2025-13"], "--month: «2025-13» — пишите год и месяц: 2025-12"),
    (["--from", "01.12.2025"], "укажите обе даты"),
    (["--month", "2025-12", "--from", "01.12.2025", "--to", "02.12.2025"], "укажите либо --month, либо --from и --to"),
    (["--from", "31.02.2025", "--to", "01.03.2025"], "--from: несуществующая дата «31.02.2025»"),
    (["--format", "xml"], "--format xml: бывает text, json или csv"),
    (["--strict"], "параметр --strict здесь не нужен"),
]:
    r = run("due", "tests/year/fixtures/year.lua", *args)
    if r.returncode != 2 or message not in r.stderr:
        failures.append(f"due {args}: exit {r.returncode}, stderr {r.stderr!r}")
r = run("due", "samples/sosnovsky-district.lua", "--org", "99")
if r.returncode != 1 or "в описании нет организации «99»" not in r.stderr:
    failures.append(f"due --org 99: exit {r.returncode}, {r.stderr!r}")

# The help lists the new commands.
r = run("--help")
for needle in ["nastavnik due ФАЙЛ [--month ГГГГ-ММ | --from Д --to Д]", "nastavnik calendar ФАЙЛ -o ГОД.ics",
               "nastavnik check ФАЙЛ... [--strict]"]:
    if needle not in r.stdout:
        failures.append(f"--help lacks {needle!r}")

if failures:
    print("\n".join(failures))
    print(f"0 passed, {len(failures)} failed")
    sys.exit(1)
print("due: all checks passed")
