#!/usr/bin/env python3
"""`nastavnik calendar`: the iCalendar of every sample parses with python3-icalendar; UIDs are
unique and the same in two runs, and stay the same when a deadline moves or items are
reordered (a re-import updates instead of doubling); one RRULE per recurring deadline, whose
expansion (python3-dateutil) gives the very dates `nastavnik due` lists; a reminder a week
before every event; `build` writes the calendar beside the roadmap."""
import json
import os
import subprocess
import sys
import tempfile
from datetime import date, timedelta

import icalendar
from dateutil.rrule import rrulestr

binary = sys.argv[1]
failures = []


def run(*args, epoch="1764547200"):  # 01.12.2025 00:00 UTC
    env = dict(os.environ, SOURCE_DATE_EPOCH=epoch)
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=300, env=env)


def calendar_of(path, *extra, epoch="1764547200"):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "год.ics")
        r = run("calendar", path, "-o", out, *extra, epoch=epoch)
        if r.returncode != 0:
            failures.append(f"calendar {path}: exit {r.returncode}\n{r.stderr}")
            return None, r
        raw = open(out, "rb").read()
        if os.listdir(tmp) != ["год.ics"]:
            failures.append(f"calendar {path}: temporary files left: {os.listdir(tmp)}")
    if b"\r\n" not in raw or any(len(line) > 75 for line in raw.split(b"\r\n")):
        failures.append(f"{path}: lines not CRLF or longer than 75 octets")
    return icalendar.Calendar.from_ical(raw), r


def events(cal):
    return list(cal.walk("VEVENT"))


# Recurring deadlines in each sample (read from the samples: «1 раз в четверть»,
# «ежеквартально», «Ежемесячно 25 числа каждого месяца»; the fixture has four kinds).
RECURRING = {
    "samples/boguchany-school-4.lua": 1,
    "samples/lyceum-2.lua": 0,
    "samples/tashtagol-district.lua": 2,
    "samples/ustyany-municipality.lua": 0,
    "samples/sosnovsky-district.lua": 2,
    "samples/sosnovsky/school-1.lua": 1,
    "samples/sosnovsky/lyceum.lua": 0,
    "samples/sosnovsky/kedrovaya.lua": 1,
    "samples/sosnovsky/agro-college.lua": 0,
    "tests/year/fixtures/year.lua": 4,
}

for path, recurring in RECURRING.items():
    first, r = calendar_of(path)
    second, _ = calendar_of(path, epoch="1767225600")  # a month later
    if first is None or second is None:
        continue
    a, b = events(first), events(second)
    uids_a = [str(e["UID"]) for e in a]
    uids_b = [str(e["UID"]) for e in b]
    if len(set(uids_a)) != len(uids_a):
        failures.append(f"{path}: UIDs repeat")
    if uids_a != uids_b:
        failures.append(f"{path}: UIDs differ between two runs")
    if not a:
        failures.append(f"{path}: no events")
    rrules = [e for e in a if "RRULE" in e]
    if len(rrules) != recurring:
        failures.append(f"{path}: {len(rrules)} RRULEs, expected {recurring}")
    for e in a:
        start = e["DTSTART"].dt
        if not isinstance(start, date) or e["DTEND"].dt != start + timedelta(days=1):
            failures.append(f"{path}: {e['SUMMARY']}: not an all-day event")
        alarms = list(e.walk("VALARM"))
        if len(alarms) != 1 or alarms[0]["TRIGGER"].dt != timedelta(days=-7) or alarms[0]["ACTION"] != "DISPLAY":
            failures.append(f"{path}: {e['SUMMARY']}: no reminder a week before")
        if not str(e["SUMMARY"]).strip() or "Организация: " not in str(e["DESCRIPTION"]):
            failures.append(f"{path}: an event without its text or organisation")
        if e["DTSTAMP"].dt.strftime("%Y%m%d") != "20251201":
            failures.append(f"{path}: DTSTAMP {e['DTSTAMP'].dt} is not SOURCE_DATE_EPOCH")

# The RRULEs expand to exactly the dates `due` lists over the whole roadmap period.
cal, _ = calendar_of("tests/year/fixtures/year.lua")
with tempfile.TemporaryDirectory() as tmp:
    run("calendar", "tests/year/fixtures/year.lua", "-o", os.path.join(tmp, "y.ics"))
    raw_fixture = open(os.path.join(tmp, "y.ics"), encoding="utf-8").read().replace("\r\n ", "")
due = json.loads(run("due", "tests/year/fixtures/year.lua", "--from", "01.09.2025", "--to", "31.08.2026",
                     "--date", "01.09.2025", "--format", "json").stdout)
listed = {}
for w in due["weeks"]:
    for e in w["entries"]:
        if e.get("recurring"):
            listed.setdefault(e["text"], []).append(e["date"])
for e in events(cal):
    if "RRULE" not in e:
        continue
    text = str(e["SUMMARY"]).removeprefix("Срок: ")
    rule = rrulestr(e["RRULE"].to_ical().decode(), dtstart=e["DTSTART"].dt, forceset=True)
    expanded = [d.strftime("%Y-%m-%d") for d in rule]
    if expanded != listed.get(text):
        failures.append(f"RRULE of «{text}»: {expanded[:3]}… ≠ due: {listed.get(text, [])[:3]}…")
if len(listed) != 4:
    failures.append(f"due lists {len(listed)} recurring deadlines of the fixture, expected 4")
for needle in ["FREQ=WEEKLY;BYDAY=TH;UNTIL=20260831", "FREQ=MONTHLY;BYMONTHDAY=25;UNTIL=20260831",
               "FREQ=YEARLY;BYMONTH=3,5,10,12;BYMONTHDAY=-1;UNTIL=20260831",
               "FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1;UNTIL=20260831"]:
    if needle not in raw_fixture:
        failures.append(f"fixture calendar lacks RRULE {needle}")

# Texts with commas and semicolons survive escaping; the responsible people are named.
by_summary = {str(e["SUMMARY"]): e for e in events(cal)}
planning = by_summary.get("Срок: Промежуточная встреча наставников")
if not planning or "Ответственные: Куратор" not in str(planning["DESCRIPTION"]) \
        or "Срок по дорожной карте: «До 12.12.2025»" not in str(planning["DESCRIPTION"]):
    failures.append(f"the event of item 6: {planning and planning['DESCRIPTION']}")
# (non-breaking spaces become plain ones: calendar programs show them as they are)
order = [s for s in by_summary if s.startswith("Приказ № 90 от 20.12.2025 «Об итогах первого полугодия»")]
if not order:
    failures.append(f"no event for the order № 90: {list(by_summary)}")

# A re-import updates: move a deadline and a meeting, reorder items — the UIDs stay.
source = open("tests/year/fixtures/year.lua", encoding="utf-8").read()
moved = (source.replace('due = "До 12.12.2025"', 'due = "До 19.12.2025"')
         .replace('meeting { title = "Рабочая встреча", date = "03.12.2025" }',
                  'meeting { title = "Рабочая встреча", date = "10.12.2025" }'))
lines = moved.split("\n")
i = next(k for k, l in enumerate(lines) if 'number = "1"' in l)
lines[i], lines[i + 1] = lines[i + 1], lines[i]
moved = "\n".join(lines)
with tempfile.TemporaryDirectory() as tmp:
    copy = os.path.join(tmp, "year.lua")
    open(copy, "w", encoding="utf-8").write(moved)
    changed, _ = calendar_of(copy)
before = {str(e["UID"]): e for e in events(cal)}
after = {str(e["UID"]): e for e in events(changed)} if changed else {}
if set(before) != set(after):
    failures.append(f"UIDs changed when dates moved: {len(set(before) ^ set(after))} differ")
else:
    moved_dates = sorted(str(after[u]["DTSTART"].dt) for u in before if before[u]["DTSTART"].dt != after[u]["DTSTART"].dt)
    if moved_dates != ["2025-12-10", "2025-12-19"]:
        failures.append(f"moved events: {moved_dates}")

# What is left out is said: ongoing items and unreadable deadlines, with their lines.
_, r = calendar_of("samples/tashtagol-district.lua")
for needle in ["samples/tashtagol-district.lua: 4 пункта без своего срока",
               "samples/tashtagol-district.lua:110: срок «В течение двух недель с даты определения модели» — срок отсчитывается от события"]:
    # (the model binds short words by non-breaking spaces: russian.nbsp)
    if needle.replace("\u00a0", " ") not in r.stderr.replace("\u00a0", " "):
        failures.append(f"calendar notes lack {needle!r}:\n{r.stderr}")

# A municipality's organisation alone, and a folder that does not exist (exit 3, no file).
cal, _ = calendar_of("samples/sosnovsky-district.lua", "--org", "3")
if cal is not None and {str(e["DESCRIPTION"]).split("Организация: ")[-1] for e in events(cal)} != {"МКОУ «Кедровская ООШ»"}:
    failures.append("calendar --org 3 holds other organisations")
r = run("calendar", "samples/lyceum-2.lua", "-o", "/nonexistent/год.ics")
if r.returncode != 3 or "не удалось записать файл" not in r.stderr:
    failures.append(f"calendar into a missing folder: exit {r.returncode} {r.stderr!r}")
r = run("calendar", "samples/lyceum-2.lua")
if r.returncode != 2 or "укажите файл календаря: -o ГОД.ics" not in r.stderr:
    failures.append(f"calendar without -o: exit {r.returncode} {r.stderr!r}")

# build: the calendar beside the roadmap of the school and of each organisation.
with tempfile.TemporaryDirectory() as tmp:
    r = run("build", "tests/year/fixtures/year.lua", "-o", tmp)
    ics = os.path.join(tmp, "year", "Календарь.ics")
    if r.returncode != 0 or not os.path.exists(ics) or not os.path.exists(os.path.join(tmp, "year", "Дорожная карта.pdf")):
        failures.append(f"build: exit {r.returncode}, calendar written: {os.path.exists(ics)}\n{r.stderr}")
    elif len(events(icalendar.Calendar.from_ical(open(ics, "rb").read()))) != len(events(calendar_of("tests/year/fixtures/year.lua")[0])):
        failures.append("build: the calendar differs from `nastavnik calendar`")
    if "Предупреждения (документы сделаны):" not in r.stdout or "целевая модель" not in r.stdout:
        failures.append(f"build does not list the target-model warnings:\n{r.stdout[-800:]}")

# The run's date makes the stamp: two runs with the same --date (and no SOURCE_DATE_EPOCH) at
# different moments write the same bytes, so a build is reproducible.
import time
with tempfile.TemporaryDirectory() as tmp:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    outputs = []
    for i in range(2):
        out = os.path.join(tmp, f"{i}.ics")
        r = subprocess.run([binary, "calendar", "samples/lyceum-2.lua", "-o", out, "--date", "01.09.2025"],
                           capture_output=True, text=True, timeout=300, env=env)
        if r.returncode != 0:
            failures.append(f"calendar --date: exit {r.returncode}\n{r.stderr}")
            break
        outputs.append(open(out, "rb").read())
        time.sleep(1.1)
    if len(outputs) == 2:
        if outputs[0] != outputs[1]:
            failures.append("calendar --date: two runs differ")
        if b"DTSTAMP:20250901T000000Z" not in outputs[0]:
            failures.append("calendar --date 01.09.2025: DTSTAMP is not 20250901T000000Z")
    r = subprocess.run([binary, "calendar", "samples/lyceum-2.lua", "-o", os.path.join(tmp, "x.ics"),
                        "--date", "31.02.2025"], capture_output=True, text=True, timeout=300, env=env)
    if r.returncode != 2 or "в феврале 2025 года 28 дней" not in r.stderr:
        failures.append(f"calendar --date 31.02.2025: exit {r.returncode}: {r.stderr}")
    if os.path.exists(os.path.join(tmp, "x.ics")):
        failures.append("calendar --date 31.02.2025: a file was written")


if failures:
    print("\n".join(failures))
    print(f"0 passed, {len(failures)} failed")
    sys.exit(1)
print("calendar: all checks passed")
