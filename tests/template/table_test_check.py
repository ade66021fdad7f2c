"""python-docx and odfpy read the tables table_test.lua wrote; LibreOffice (where installed)
prints both documents to PDF and pdftotext finds every cell's text there."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

import docx
from odf import table as odf_table
from odf import teletype
from odf.opendocument import load

CELLS = ["№", "Этапы и мероприятия", "Содержание деятельности", "Сроки", "Ответственные",
         "1 этап. Подготовка условий", "1.1.", "Информирование педагогов", "Совещания:",
         "августовское совещание;", "педсоветы в ОО", "Август 2024", "Заместитель начальника",
         "Приказ № 390 от 16.09.2024", "Сентябрь 2024", "Руководители ОО", "2",
         "2 этап. Реализация", "Ключ", "Значение", "Слева", "Между таблицами."]


def check_docx(path):
    d = docx.Document(path)
    t = d.tables[0]
    assert len(t.columns) == 5 and len(t.rows) == 5, (len(t.columns), len(t.rows))
    rows = [[c.text for c in row.cells] for row in t.rows]
    assert rows[0] == ["№", "Этапы и мероприятия", "Содержание деятельности", "Сроки",
                       "Ответственные"], rows[0]
    assert rows[1] == ["1 этап. Подготовка условий"] * 5, rows[1]  # one cell over five columns
    assert rows[2][:2] == ["1.1.", "Информирование педагогов"], rows[2]
    assert rows[2][2] == "Совещания:\n\n•\tавгустовское совещание;\n•\tпедсоветы в ОО", rows[2][2]
    # the sub-row: python-docx gives the merged cells of the row above
    assert rows[3] == ["1.1.", "Информирование педагогов", "Приказ № 390 от 16.09.2024",
                       "Сентябрь 2024", "Руководители ОО"], rows[3]
    assert t.cell(2, 0)._tc is t.cell(3, 0)._tc  # a vertical merge, one cell
    assert rows[4] == ["2"] + ["2 этап. Реализация"] * 4, rows[4]
    bold = [r.text for r in t.cell(3, 2).paragraphs[0].runs if r.bold]
    assert bold == ["№ 390"], bold
    assert t.rows[0]._tr.trPr is not None  # the header row (w:tblHeader)
    assert len(d.tables) == 5, len(d.tables)
    nested = d.tables[3].cell(0, 1).tables[0]
    assert [c.text for c in nested.rows[0].cells] == ["Ключ", "Значение"]


def check_odt(path):
    doc = load(path)
    tables = doc.text.getElementsByType(odf_table.Table)
    assert len(tables) == 6, len(tables)  # the roadmap, two in the loop, the template's, nested, last
    t = tables[0]
    assert len(t.getElementsByType(odf_table.TableColumn)) == 5
    assert len(t.getElementsByType(odf_table.TableHeaderRows)) == 1
    rows = t.getElementsByType(odf_table.TableRow)
    assert len(rows) == 5, len(rows)
    for row in rows:  # every row covers the five columns
        n = sum(1 for c in row.childNodes if c.qname[1] in ("table-cell", "covered-table-cell"))
        assert n == 5, n
    cells = [teletype.extractText(c) for c in rows[3].getElementsByType(odf_table.TableCell)]
    assert cells == ["Приказ № 390 от 16.09.2024", "Сентябрь 2024", "Руководители ОО"], cells
    first = rows[2].getElementsByType(odf_table.TableCell)[0]
    assert first.getAttribute("numberrowsspanned") == "2"


def pdf_text(path, work):
    subprocess.run(["soffice", f"-env:UserInstallation=file://{work}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", work, path],
                   check=True, capture_output=True, timeout=170)
    pdf = os.path.join(work, os.path.splitext(os.path.basename(path))[0] + ".pdf")
    txt = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], check=True,
                         capture_output=True, timeout=60).stdout.decode()
    return re.sub(r"\s+", " ", txt)


def check(out):
    check_docx(os.path.join(out, "table.docx"))
    check_odt(os.path.join(out, "table.odt"))
    if not shutil.which("soffice") or not shutil.which("pdftotext"):
        print("soffice or pdftotext not installed: the PDF check skipped")
        sys.exit(77)
    with tempfile.TemporaryDirectory() as work:
        for name in ("table.docx", "table.odt"):
            text = pdf_text(os.path.join(out, name), work)
            missing = [c for c in CELLS if c not in text]
            assert not missing, f"{name}: not in the PDF: {missing}\n{text}"
            assert text.count("Ключ") == 4, (name, text)
