#!/usr/bin/env python3
"""`nastavnik sheet pairs|people` makes a sheet to fill in that opens in openpyxl and LibreOffice
with its drop-down lists; filled in with openpyxl, a description built from it works.

  1. the blank XLSX and ODS of pairs (with a description: its people in the drop-downs) and of
     people: headers, frozen header row, validation lists read back by openpyxl; LibreOffice
     opens both formats and saves them again (its XLSX keeps the validations);
  2. round trip: openpyxl fills the blank people and pairs sheets, a description reads both
     (people = sheet …, pairs = sheet …), `check` passes and `build` makes the documents,
     whose order on pairs names the pairs typed into the sheet.

usage: blank_test.py NASTAVNIK WORK_DIR
"""
import datetime
import os
import shutil
import subprocess
import sys
import zipfile

import openpyxl

binary, work = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
failures = []


def run(*args, ok=True):
    r = subprocess.run([binary, *args], capture_output=True, timeout=300, cwd=work)
    if ok and r.returncode != 0:
        raise SystemExit(f"{' '.join(args)}: exit {r.returncode}\n{r.stderr.decode()}")
    return r


def check(condition, message):
    if not condition:
        failures.append(message)


# Wrong calls: exit 2 with a message; an unwritable output: exit 3, nothing left behind.
for args, code, words in ((["sheet", "pairz", "-o", "x.xlsx"], 2, "pairs (пары) или people (люди)"),
                          (["sheet", "pairs", "-o", "x.pdf"], 2, ".xlsx (Excel) или .ods (Calc)"),
                          (["sheet", "pairs", "samples/sosnovsky-district.lua", "-o", "x.xlsx"], 2, "--org"),
                          (["sheet", "pairs", "-o", "no/such/folder/x.xlsx"], 3, "не удалось записать")):
    if "samples/" in args[2]:
        args[2] = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", args[2])
    r = run(*args, ok=False)
    check(r.returncode == code and words in r.stderr.decode(), f"{args}: exit {r.returncode}, {r.stderr.decode()!r}")
check(not os.listdir(work), f"wrong calls left files: {os.listdir(work)}")

SCHOOL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "samples", "sosnovsky", "school-1.lua")
run("sheet", "pairs", SCHOOL, "-o", "pairs.xlsx")
run("sheet", "pairs", SCHOOL, "-o", "pairs.ods")
run("sheet", "people", "-o", "people.xlsx")

# 1. openpyxl: headers, the frozen row, the validation lists and what they point at.
wb = openpyxl.load_workbook(os.path.join(work, "pairs.xlsx"))
ws = wb["Пары"]
headers = [c.value for c in ws[1]]
check(headers[:4] == ["№", "Форма наставничества", "Наставник", "Наставляемый"], f"headers: {headers}")
check(ws.freeze_panes == "A2", f"frozen: {ws.freeze_panes}")
lists = wb["Списки"]
check(lists.sheet_state == "hidden", "the list of choices is hidden")
by_column = {}
for dv in ws.data_validations.dataValidation:
    by_column[str(dv.sqref).split(":")[0]] = dv
form = by_column.get("B2")
check(form is not None and form.type == "list", "a drop-down list on the forms")
if form:
    ref = form.formula1.split("!")[1].replace("$", "")
    forms = [c.value for row in lists[ref] for c in row]
    check("учитель–ученик" in forms and len(forms) == 9, f"the forms offered: {forms}")
mentor = by_column.get("C2")
if mentor:
    ref = mentor.formula1.split("!")[1].replace("$", "")
    people = [c.value for row in lists[ref] for c in row]
    check("Савельева Г.М." in people, f"the school's people are offered: {people[:5]}")
else:
    failures.append("no drop-down list of people on «Наставник»")
print(f"openpyxl: headers {headers[:4]}…, frozen {ws.freeze_panes}, {len(by_column)} drop-down lists")

# The ODS: validations in content.xml, the frozen row in settings.xml.
with zipfile.ZipFile(os.path.join(work, "pairs.ods")) as z:
    content = z.read("content.xml").decode()
    settings = z.read("settings.xml").decode()
check(content.count("<table:content-validation ") == 5, "five drop-down lists in the ODS")
check("of:cell-content-is-in-list([$'Списки'.$A$1:.$A$9])" in content, "the forms list in the ODS")
check('config:name="VerticalSplitPosition" config:type="int">1<' in settings, "frozen header in the ODS")

# LibreOffice opens both and saves them again: its XLSX keeps the drop-down lists.
soffice = shutil.which("soffice")
for name in ("pairs.xlsx", "pairs.ods"):
    out = os.path.join(work, "lo", name.replace(".", "-"))
    r = subprocess.run([soffice, f"-env:UserInstallation=file://{work}/profile", "--headless",
                        "--convert-to", "xlsx", "--outdir", out, os.path.join(work, name)],
                       capture_output=True, timeout=240)
    saved = os.path.join(out, "pairs.xlsx")
    if r.returncode != 0 or not os.path.exists(saved):
        failures.append(f"LibreOffice could not open {name}: {r.stderr.decode()}")
        continue
    again = openpyxl.load_workbook(saved)
    kinds = sorted(dv.type for dv in again["Пары"].data_validations.dataValidation)
    check(kinds.count("list") == 5, f"{name} through LibreOffice: validations {kinds}")
    check([c.value for c in again["Пары"][1]][:2] == ["№", "Форма наставничества"], f"{name}: headers")
    print(f"LibreOffice: {name} opened and saved, {kinds.count('list')} drop-down lists kept")

# 2. Round trip: fill the blank sheets with openpyxl and build from them.
people = openpyxl.load_workbook(os.path.join(work, "people.xlsx"))
ws = people["Люди"]
check([c.value for c in ws[1]][:3] == ["ФИО", "Должность", "Класс"], "people headers")
for row in [["Пенкин Александр Николаевич", "директор"],
            ["Иванова Мария Петровна", "учитель математики", None, "математика", None, "ivanova@school1.ru"],
            ["Кузнецова Анна Викторовна", "учитель истории"],
            ["Петров Сергей Сергеевич", None, "7 «А»", None, None, None, None, None, "да"],
            ["Сидорова Ольга Ивановна", None, "7 «А»", None, None, None, None, None, "да"]]:
    ws.append(row)
people.save(os.path.join(work, "people-filled.xlsx"))
pairs = openpyxl.load_workbook(os.path.join(work, "pairs.xlsx"))
ws = pairs["Пары"]
ws.append([1, "учитель–ученик", "Иванова М.П.", "Петров С.С., Сидорова О.И.", datetime.date(2025, 9, 22),
           datetime.date(2026, 5, 29), "Подготовка к олимпиаде", "Успешное участие в олимпиаде", None, "7", "нет"])
ws.append([2, "учитель–учитель", "Иванова М.П.", "Кузнецова А.В.", datetime.date(2025, 9, 15),
           datetime.date(2026, 5, 31), "Адаптация молодого специалиста", None, None, "7", "да"])
pairs["Встречи"].append([2, "Встреча-знакомство", datetime.date(2025, 9, 15)])
pairs.save(os.path.join(work, "pairs-filled.xlsx"))
with open(os.path.join(work, "school.lua"), "w", encoding="utf-8") as f:
    f.write("""return organisation {
  full_name = "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 1»",
  short_name = "МБОУ «СШ № 1»",
  people = sheet "people-filled.xlsx",
  head = "Пенкин А.Н.",
  orders = { order { number = "7", date = "12.09.2025", kind = "pairs",
    title = "О закреплении наставнических пар (групп)" } },
  pairs = sheet "pairs-filled.xlsx",
}
""")
r = run("check", "school.lua", ok=False)
check(r.returncode == 0, f"check of the filled sheets: {r.stderr.decode()}")
print(r.stdout.decode().strip())
r = run("build", "school.lua", "-o", "out", ok=False)
check(r.returncode == 0, f"build from the filled sheets: {r.stderr.decode()}")
order = os.path.join(work, "out", "school", "Приказы")
pdfs = [f for f in os.listdir(order)] if os.path.isdir(order) else []
pairs_pdf = [f for f in pdfs if f.endswith(".pdf") and "закреплении" in f]
if not pairs_pdf:
    failures.append(f"no order on pairs among {pdfs}")
else:
    text = subprocess.run(["pdftotext", "-layout", os.path.join(order, pairs_pdf[0]), "-"],
                          capture_output=True).stdout.decode()
    flat = " ".join(text.split())
    check("Иванова М" in flat or "Иванов" in flat, "the order names the mentor typed into the sheet")
    check("Сидоров" in flat, "the order names the second mentee of the group")
    print(f"build: {pairs_pdf[0]} names the pairs typed into the sheet")

if failures:
    for f in failures:
        print("FAIL:", f)
    sys.exit(1)
print("ok")
