#!/usr/bin/env python3
"""Makes the spreadsheets the tests/bad/sheet-*.lua descriptions read (run from anywhere:
`python3 tests/bad/sheets/make_sheets.py`). They are committed; the same run gives the same
bytes (handmade.py writes zip entries with a fixed date). Each holds one class of mistake."""
import datetime
import os
import sys
import zipfile

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "sheet"))
import handmade  # noqa: E402

D = datetime.date
HEADER = ["№", "Форма наставничества", "Наставник", "Наставляемый", "Начало", "Окончание"]
GOOD = [1, "учитель–учитель", "Иванова М.П.", "Кузнецова А.В.", D(2023, 10, 1), D(2024, 5, 31)]


def book(name, *bad_rows, header=HEADER, fmt="xlsx"):
    rows = [header, GOOD] + [list(r) for r in bad_rows]
    path = os.path.join(here, name)
    if fmt == "xlsx":
        handmade.xlsx(path, [("Пары", rows)])
    elif fmt == "ods":
        handmade.ods(path, [("Пары", rows)])
    else:
        handmade.csv(path, rows)


book("unknown-form.xlsx", [2, "учитель-учитиль", "Иванова М.П.", "Кузнецова А.В."])
book("impossible-date.ods", [2, "учитель–учитель", "Иванова М.П.", "Кузнецова А.В.", "31.02.2024"],
     [3, "учитель–учитель", "Иванова М.П.", "Кузнецова А.В.", 45200], fmt="ods")
book("unknown-person.csv", [2, "учитель–учитель", "Иванова М.П.", "Кузнецва А.В."], fmt="csv")
book("empty-mentor.xlsx", [2, "учитель–учитель", None, "Кузнецова А.В."])
book("unknown-column.xlsx", header=HEADER + ["Наставнек", "Кабинет"])
book("many-errors.xlsx", [2, "учитель-учитиль", "Иванова М.П.", "Кузнецова А.В.", "31.02.2024"],
     [3, "учитель–учитель", None, "Кузнецова А.В."],
     [4, "учитель–учитель", "Петрова М.П.", "Кузнецова А.В.", D(2024, 6, 1), D(2024, 5, 1)])

with open(os.path.join(here, "not-a-sheet.xlsx"), "w", encoding="utf-8") as f:
    f.write("Это не таблица: текстовый файл, которому дали имя .xlsx\n")

# A zip bomb named .xlsx: a well-formed package whose sheet inflates to 100 MiB of spaces.
with zipfile.ZipFile(os.path.join(here, "bomb.xlsx"), "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    def add(name, data):
        info = zipfile.ZipInfo(name, handmade.FIXED_DATE)
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, data)
    add("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
    add("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    add("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Пары" sheetId="1" r:id="rId1"/></sheets></workbook>')
    add("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
    info = zipfile.ZipInfo("xl/worksheets/sheet1.xml", handmade.FIXED_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    with z.open(info, "w") as f:
        f.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
        block = b" " * (1 << 20)
        for _ in range(100):
            f.write(block)
        f.write(b"</sheetData></worksheet>")
