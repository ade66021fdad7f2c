#!/usr/bin/env python3
"""Pairs read from sheets made by different writers give the model of the same Lua description.

One school, its pairs written three ways in Lua (the reference) and as spreadsheets by:
  - openpyxl (shared strings, date cells, merged cells, a second list «Встречи»);
  - LibreOffice, converting the openpyxl book to XLSX and to ODS (its own styles, repeated
    rows and columns, covered cells);
  - hand (handmade.py): XLSX with inline strings, rich-text runs and phonetic runs, the 1904
    date system, a formula's cached value, _x000D_ escapes, a hidden row; ODS with covered
    cells and the thousands of empty rows LibreOffice writes; CSV in Windows-1251 with ";".
`nastavnik dump` of each description must equal the dump of the Lua one.

usage: readers_test.py NASTAVNIK WORK_DIR
"""
import datetime
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import handmade  # noqa: E402
from handmade import Formula, Rich  # noqa: E402

binary, work = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)

SCHOOL = """return organisation {
  full_name = "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 1»",
  short_name = "МБОУ «СШ № 1»",
  people = {
    person { "Иванова Мария Петровна", post = "учитель математики" },
    person { "Кузнецова Анна Викторовна", post = "учитель истории" },
    person { "Петров Сергей Сергеевич", class = "7 «А»", minor = true },
    person { "Сидоров Иван Ильич", class = "7 «А»", minor = true },
    person { "Орлова Алина Романовна", class = "10 «А»", minor = true },
  },
  orders = { order { number = "12", date = "01.09.2023", kind = "pairs" } },
  pairs = %s,
}
"""

MEETINGS = """meetings = {
      meeting { title = "Встреча-знакомство", date = "02.10.2023" },
      meeting { title = "Итоговая встреча", date = "30.05.2024", note = "Подведены итоги" },
    }"""

PAIRS_LUA = """{
    pair { number = "1", form = "учитель–ученик", mentor = "Иванова М.П.", mentee = "Петров С.С.",
      from = "01.10.2023", to = "31.05.2024", topic = "Алгебра",
      goal = "Первая строка цели\\nвторая строка", order = "12", completed = true,
      %s },
    group { number = "2", form = "ученик–ученик", mentor = "Орлова А.Р.",
      mentees = { "Петров С.С.", "Сидоров И.И." }, from = "15.10.2023", to = "29.12.2023",
      topic = "Адаптация" },
    pair { number = "3", form = "учитель–учитель", mentor = "Иванова М.П.", mentee = "Кузнецова А.В.",
      from = "01.09.2023", to = "31.08.2024", goal = "Цель «в кавычках» & знаки <>" },
  }"""

D = datetime.date
HEADER = ["№ п/п", "Форма наставничества", "ФИО наставника", "Наставляемый", "Дата начала",
          "Дата окончания", "Тема", "Цель", "Приказ", "Завершена"]


def pair_rows(goal=("Первая строка цели\nвторая строка"), number3=3, from3="01.09.2023"):
    return [
        ["Наставнические пары МБОУ «СШ № 1» на 2023–2024 учебный год"],
        HEADER,
        [1, "учитель–ученик", "Иванова М.П.", "Петров С.С.", D(2023, 10, 1), D(2024, 5, 31), "Алгебра",
         goal, 12, "да"],
        [2, "ученик–ученик", "Орлова А.Р.", "Петров С.С.", D(2023, 10, 15), D(2023, 12, 29), "Адаптация"],
        [None, None, None, "Сидоров И.И."],
        [number3, "учитель-учитель", "Иванова Мария Петровна", "Кузнецова А.В.", from3, D(2024, 8, 31), None,
         "Цель «в кавычках» & знаки <>"],
    ]


MEETING_ROWS = [["№ пары", "Встреча", "Дата", "Примечание"],
                [1, "Встреча-знакомство", D(2023, 10, 2)],
                [1, "Итоговая встреча", D(2024, 5, 30), "Подведены итоги"]]
MERGED_A1 = ["A4:A5", "B4:B5", "C4:C5", "E4:E5", "F4:F5", "G4:G5"]


def dump(description):
    run = subprocess.run([binary, "dump", description], capture_output=True, timeout=120)
    if run.returncode != 0:
        raise AssertionError(f"{description}: exit {run.returncode}\n{run.stderr.decode()}")
    return run.stdout


def describe(name, pairs):
    path = os.path.join(work, name + ".lua")
    with open(path, "w", encoding="utf-8") as f:
        f.write(SCHOOL % pairs)
    return path


reference = dump(describe("reference", PAIRS_LUA % MEETINGS))
reference_no_meetings = dump(describe("reference-no-meetings", PAIRS_LUA % ""))

books = []  # (what, file name, reference)

# openpyxl: what a school's own Python (or Excel) would write.
import openpyxl  # noqa: E402
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Пары"
for row in pair_rows():
    ws.append(row)
for ref in MERGED_A1:
    ws.merge_cells(ref)
ws.merge_cells("A1:J1")
for row in ws.iter_rows(min_row=3, max_row=6, min_col=5, max_col=6):
    for cell in row:
        cell.number_format = "DD.MM.YYYY"
meetings = wb.create_sheet("Встречи")
for row in MEETING_ROWS:
    meetings.append(row)
for cell in meetings["C"]:
    cell.number_format = "DD.MM.YYYY"
wb.save(os.path.join(work, "openpyxl.xlsx"))
books.append(("openpyxl", "openpyxl.xlsx", reference))

# LibreOffice: the openpyxl book saved by Calc as XLSX and as ODS.
soffice = shutil.which("soffice")
if not soffice:
    sys.exit("soffice (libreoffice-calc-nogui) is needed for this test")
for fmt in ("xlsx", "ods"):
    outdir = os.path.join(work, "lo-" + fmt)
    subprocess.run([soffice, f"-env:UserInstallation=file://{work}/profile", "--headless",
                    "--convert-to", fmt, "--outdir", outdir, os.path.join(work, "openpyxl.xlsx")],
                   check=True, capture_output=True, timeout=240)
    os.replace(os.path.join(outdir, "openpyxl." + fmt), os.path.join(work, "libreoffice." + fmt))
    books.append(("LibreOffice " + fmt, "libreoffice." + fmt, reference))

# By hand: inline strings, rich text, 1904 dates, a formula, a hidden row.
rows = pair_rows(goal=Rich([("Первая строка", True), (" цели\nвторая строка", False)]),
                 number3=Formula("A4+1", 3), from3=D(2023, 9, 1))
handmade.xlsx(os.path.join(work, "handmade.xlsx"), [("Пары", rows), ("Встречи", MEETING_ROWS)],
              date1904=True, merged={"Пары": MERGED_A1}, hidden_rows={"Пары": [5]})
books.append(("handmade xlsx (1904, inline strings)", "handmade.xlsx", reference))
rows = pair_rows()
handmade.ods(os.path.join(work, "handmade.ods"), [("Пары", rows), ("Встречи", MEETING_ROWS)],
             merged={"Пары": [(4, c, 2, 1) for c in (1, 2, 3, 5, 6, 7)]}, hidden_rows={"Пары": [5]})
books.append(("handmade ods", "handmade.ods", reference))
# CSV: no merged cells, so the group's second row repeats its number.
rows = pair_rows()
rows[4][0] = 2
handmade.csv(os.path.join(work, "windows-1251.csv"), rows)
books.append(("CSV, Windows-1251, «;»", "windows-1251.csv", reference_no_meetings))
handmade.csv(os.path.join(work, "utf-8.csv"), rows, encoding="utf-8-sig", delimiter=",")
books.append(("CSV, UTF-8 with BOM, «,»", "utf-8.csv", reference_no_meetings))

failures = []
for what, file_name, expected in books:
    description = describe("from-" + file_name.replace(".", "-"), f'sheet "{file_name}"')
    try:
        got = dump(description)
    except AssertionError as e:
        failures.append(f"{what}: {e}")
        continue
    if got != expected:
        import difflib
        diff = "\n".join(list(difflib.unified_diff(expected.decode().splitlines(), got.decode().splitlines(),
                                                   "lua", what, lineterm=""))[:40])
        failures.append(f"{what}: the model differs from the Lua description's\n{diff}")
    else:
        print(f"ok: {what}: the same model as the Lua description")

if failures:
    for f in failures:
        print("FAIL:", f)
    sys.exit(1)
