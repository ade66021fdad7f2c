#!/usr/bin/env python3
"""The spreadsheets `build` writes: the monitoring forms and the registers of pairs.

  - monitoring XLSX: openpyxl reads the organisations' numbers as numbers and the totals row as
    SUM formulas over them whose cached values equal the totals the PDF prints (pdftotext);
  - monitoring XLSX and ODS opened by LibreOffice (saved again as XLSX): the same totals;
  - the register of pairs of the municipality: one row per pair and group of every
    organisation, dates as dates, the orders' numbers and dates.

usage: registers_test.py NASTAVNIK WORK_DIR
"""
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile

import openpyxl

binary, work = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
failures = []
SAMPLE = "samples/sosnovsky-district.lua"


def check(condition, message):
    if not condition:
        failures.append(message)


r = subprocess.run([binary, "build", SAMPLE, "-o", work], capture_output=True, text=True, timeout=600)
if r.returncode != 0:
    sys.exit(f"build: exit {r.returncode}\n{r.stderr}")
base = os.path.join(work, "sosnovsky-district")
monitoring = os.path.join(base, "Мониторинг", "Мониторинг реализации программ наставничества")
check(re.search(r"Мониторинг реализации программ наставничества \(pdf, docx, odt, xlsx, ods\)", r.stdout),
      "build announces the monitoring in five formats")

# The totals the PDF prints: «Итого 40 14 мероприятий: 6» (events counted once each).
pdf = " ".join(subprocess.run(["pdftotext", "-layout", monitoring + ".pdf", "-"], capture_output=True,
                              text=True).stdout.split())
m = re.search(r"Итого (\d+) (\d+) мероприятий: (\d+)", pdf)
if not m:
    sys.exit(f"no totals row in the PDF: …{pdf[-300:]}")
pdf_totals = [int(x) for x in m.groups()]
print(f"PDF totals: pairs {pdf_totals[0]}, completed {pdf_totals[1]}, events {pdf_totals[2]}")


def totals_of(path, formulas=True):
    """The totals row of «Мониторинг реализации»: cached values, and the formulas checked."""
    values = openpyxl.load_workbook(path, data_only=True)["Мониторинг реализации"]
    total_row = next(row for row in values.iter_rows() if row[0].value == "Итого")
    got = [total_row[c].value for c in (2, 3, 4)]
    if formulas:
        sheet = openpyxl.load_workbook(path)["Мониторинг реализации"]
        r = total_row[0].row
        # pairs and completed programmes are the column's sum; the events are counted once each
        # however many organisations took part (the PDF's «мероприятий: N»), a number
        check(isinstance(values[f"E{r}"].value, (int, float)), f"{path}: E{r} is the number of distinct events")
        for c in "CD":
            f = sheet[f"{c}{r}"].value
            match = re.fullmatch(rf"=SUM\({c}(\d+):{c}(\d+)\)", str(f))
            check(match, f"{path}: {c}{r} is a SUM formula ({f!r})")
            if match:
                cells = [values[f"{c}{i}"].value for i in range(int(match[1]), int(match[2]) + 1)]
                check(all(isinstance(v, (int, float)) for v in cells), f"{path}: {c} holds numbers: {cells}")
                check(sum(cells) == values[f"{c}{r}"].value, f"{path}: {c}{r} caches the sum of {cells}")
    return got


got = totals_of(monitoring + ".xlsx")
check(got == pdf_totals, f"XLSX totals {got} != PDF {pdf_totals}")
print(f"XLSX (openpyxl): totals {got}, SUM formulas over numbers")

soffice = shutil.which("soffice")
for fmt in ("xlsx", "ods"):
    out = os.path.join(work, "lo-" + fmt)
    shutil.copy(monitoring + "." + fmt, os.path.join(work, "monitoring." + fmt))
    subprocess.run([soffice, f"-env:UserInstallation=file://{work}/profile", "--headless", "--convert-to",
                    "xlsx", "--outdir", out, os.path.join(work, "monitoring." + fmt)],
                   capture_output=True, timeout=240)
    saved = os.path.join(out, "monitoring.xlsx")
    if not os.path.exists(saved):
        failures.append(f"LibreOffice could not open the monitoring {fmt}")
        continue
    got = totals_of(saved)
    check(got == pdf_totals, f"{fmt} through LibreOffice: totals {got} != PDF {pdf_totals}")
    print(f"{fmt.upper()} (LibreOffice): totals {got}")

# The register of the municipality: every pair of every organisation, dates as dates.
model = json.loads(subprocess.run([binary, "dump", SAMPLE], capture_output=True, text=True).stdout)
pairs = [p for org in model["organisations"] for p in org["pairs"]]
register = openpyxl.load_workbook(os.path.join(base, "Реестр наставнических пар (групп).xlsx"))["Реестр"]
header = [c.value for c in register[2]]
rows = [[c.value for c in row] for row in register.iter_rows(min_row=3)]
check(len(rows) == len(pairs), f"register: {len(rows)} rows for {len(pairs)} pairs")
col = {name: header.index(name) for name in ("Организация", "Вид", "Начало", "Приказ №", "Дата приказа")}
check(all(isinstance(r[col["Начало"]], datetime.datetime) for r in rows), "register: start dates are dates")
first = model["organisations"][0]
check(rows[0][col["Организация"]] == first["short_name"].replace("\u00a0", " "), "register: organisation")
check(sum(1 for r in rows if r[col["Вид"]] == "группа") == sum(1 for p in pairs if p["kind"] == "group"),
      "register: groups counted")
check(all(r[col["Приказ №"]] and isinstance(r[col["Дата приказа"]], datetime.datetime) for r in rows),
      "register: every pair has its order's number and date")
print(f"register: {len(rows)} pairs and groups of {len(model['organisations'])} organisations")

# The XLSX archive (made in memory, generator/sheet/xlsx_package.c, as minizip makes it for
# libxlsxwriter): its parts whole and in libxlsxwriter's order, dated 1980-01-01, deflated, the
# XML parts marked as text; two registers share their fixed parts (theme, styles) byte for byte.
XLSX_PARTS = ["[Content_Types].xml", "_rels/.rels", "xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml",
              "xl/workbook.xml", "xl/sharedStrings.xml", "xl/theme/theme1.xml", "xl/styles.xml",
              "docProps/core.xml", "docProps/app.xml"]
registers = sorted(os.path.join(d, f) for d, _, fs in os.walk(base) for f in fs
                   if f == "Реестр наставнических пар (групп).xlsx")
check(len(registers) >= 2, f"registers: {len(registers)} XLSX")
parts = []
for path in registers:
    with zipfile.ZipFile(path) as z:
        check(z.testzip() is None, f"{path}: a part's CRC is wrong")
        infos = z.infolist()
        check([i.filename for i in infos] == XLSX_PARTS, f"{path}: parts {[i.filename for i in infos]}")
        check(all(i.date_time == (1980, 1, 1, 0, 0, 0) and i.compress_type == zipfile.ZIP_DEFLATED
                  and i.internal_attr == 1 and i.create_version == 0 and i.extract_version == 20 for i in infos),
              f"{path}: headers not minizip's")
        parts.append({n: z.read(n) for n in ("xl/theme/theme1.xml", "xl/styles.xml")})
check(all(p == parts[0] for p in parts), "registers: the fixed parts differ")
print(f"XLSX archives: {len(registers)} registers, {len(XLSX_PARTS)} parts each")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
