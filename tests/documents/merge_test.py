#!/usr/bin/env python3
"""Merged cells of a roadmap across a page break, in PDF, DOCX and ODT.

The fixture (fixtures/merged-cells.lua) has an item of 14 sub-rows: «Ответственные» written on
the item (one cell over all 14), «Сроки» of row 1 continued (`due = above`) in rows 2–7 and of
row 8 in rows 9–14. Each output must hold one cell where the paper has one: the PDF prints each
text once per page at most (never once per sub-row), DOCX says w:vMerge restart / continue in
the right rows, ODT table:number-rows-spanned with covered cells; and the item goes on over a
page break (its first and last sub-rows on different pages) in our PDF and in LibreOffice's
rendering of the DOCX and the ODT.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

binary = os.path.abspath(sys.argv[1])
fixture = "tests/documents/fixtures/merged-cells.lua"
failures = []
RESPONSIBLE = "Заместитель директора по УВР, куратор"


def fail(message):
    failures.append(message)


def run(*args):
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=120)


def pdf_pages(path):
    n = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", path], capture_output=True,
                                                        text=True).stdout).group(1))
    return [subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), path, "-"], capture_output=True,
                           text=True).stdout for p in range(1, n + 1)]


def flat(text):
    return re.sub(r"\s+", " ", text.replace("\u00ad", "").replace("-\n", "")).replace("\u00a0", " ")


def page_of(pages, needle):
    for i, t in enumerate(pages):
        if needle in flat(t):
            return i
    return None


def check_pages(label, pages):
    first, last = page_of(pages, "Встреча 1:"), page_of(pages, "Встреча 14:")
    if first is None or last is None or first == last:
        fail(f"{label}: the item does not go over a page break (row 1 on page {first}, row 14 on {last})")
    text = flat("\n".join(pages))
    for needle, most in ((RESPONSIBLE, len(pages)), ("Сентябрь 2025 года", len(pages)),
                         ("Январь 2026 года", len(pages))):
        n = text.count(needle)
        if n < 1 or n > most:
            fail(f"{label}: «{needle}» printed {n} times (a merged cell: once, at most once a page)")


def rows_with(xml, row_tag, needle):
    for row in re.findall(rf"<{row_tag}[ >].*?</{row_tag}>", xml, re.S):
        if needle in row:
            return row
    return ""


with tempfile.TemporaryDirectory() as work:
    outputs = {}
    for fmt in ("pdf", "docx", "odt"):
        out = os.path.join(work, "roadmap." + fmt)
        r = run(fmt, fixture, "roadmap", "-o", out)
        if r.returncode != 0:
            fail(f"{fmt}: exit {r.returncode}: {r.stderr}")
        outputs[fmt] = out

    if os.path.exists(outputs["pdf"]):
        check_pages("pdf", pdf_pages(outputs["pdf"]))

    # DOCX: restart in the first row of a merged cell, an empty continuing cell below it.
    if os.path.exists(outputs["docx"]):
        # (texts bind short words by non-breaking spaces, russian.nbsp: read as spaces)
        xml = zipfile.ZipFile(outputs["docx"]).read("word/document.xml").decode("utf-8").replace("\u00a0", " ")
        # continuing cells in each sub-row: number, title, responsible, and due except in rows 1 and 8
        for k in range(1, 15):
            row = rows_with(xml, "w:tr", f"Встреча {k}:")
            want = 0 if k == 1 else (3 if k == 8 else 4)
            got = len(re.findall(r"<w:vMerge/>|<w:vMerge w:val=\"continue\"/>", row))
            if got != want:
                fail(f"docx: row {k}: {got} continuing cells (w:vMerge), expected {want}")
        for needle, n in ((RESPONSIBLE, 1), ("Сентябрь 2025 года", 1), ("Январь 2026 года", 1)):
            if xml.count(needle) != n:
                fail(f"docx: «{needle}» {xml.count(needle)} times, expected {n}")
        if 'w:vMerge w:val="restart"' not in rows_with(xml, "w:tr", "Встреча 8:"):
            fail("docx: row 8 does not start a merged «Сроки» cell")

    # ODT: the spans on the first cell, covered cells under it.
    if os.path.exists(outputs["odt"]):
        xml = zipfile.ZipFile(outputs["odt"]).read("content.xml").decode("utf-8").replace("\u00a0", " ")
        cell = re.search(r'<table:table-cell[^>]*number-rows-spanned="14"[^>]*>(?:(?!</table:table-cell>).)*'
                         + re.escape(RESPONSIBLE), xml, re.S)
        if not cell:
            fail("odt: «Ответственные» is not one cell spanning 14 rows")
        if len(re.findall(r'number-rows-spanned="7"', xml)) != 2:
            fail("odt: the two «Сроки» cells do not span 7 rows each")
        covered = len(re.findall(r"<table:covered-table-cell", rows_with(xml, "table:table-row", "Встреча 2:")))
        if covered != 4:
            fail(f"odt: row 2 has {covered} covered cells, expected 4")

    # LibreOffice lays the DOCX and the ODT out: the merged cells go over its page break too.
    soffice = shutil.which("soffice")
    if not soffice:
        fail("soffice not found (LibreOffice is in debian-packages.txt)")
    else:
        for fmt in ("docx", "odt"):
            lo = os.path.join(work, "lo-" + fmt)
            r = subprocess.run([soffice, f"-env:UserInstallation=file://{work}/profile", "--headless",
                                "--convert-to", "pdf", "--outdir", lo, outputs[fmt]],
                               capture_output=True, timeout=300)
            pdf = os.path.join(lo, "roadmap.pdf")
            if not os.path.exists(pdf):
                fail(f"{fmt}: LibreOffice did not convert it: {r.stderr[-300:]}")
                continue
            check_pages(f"{fmt} in LibreOffice", pdf_pages(pdf))

# Two header rows (fixtures/two-header-rows.lua, 8 columns): «Сроки» over «начало» and
# «окончание», «Ответственные» over «от школы» and «от партнёра», the other headers over both rows.
two = "tests/documents/fixtures/two-header-rows.lua"
with tempfile.TemporaryDirectory() as work:
    for fmt in ("pdf", "docx", "odt"):
        out = os.path.join(work, "two." + fmt)
        r = run(fmt, two, "roadmap", "-o", out)
        if r.returncode != 0:
            fail(f"two header rows, {fmt}: exit {r.returncode}: {r.stderr}")
            continue
        if fmt == "pdf":
            text = flat("".join(pdf_pages(out)))
            if not all(w in text for w in ("Сроки", "начало", "окончание", "от школы", "от партнёра")):
                fail(f"two header rows, pdf: headers missing in {text[:300]!r}")
        elif fmt == "docx":
            xml = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
            top = rows_with(xml, "w:tr", "Сроки")
            if len(re.findall(r'<w:gridSpan w:val="2"/>', top)) != 2 or top.count('w:vMerge w:val="restart"') != 4:
                fail("two header rows, docx: the first header row does not span as the paper does")
        else:
            xml = zipfile.ZipFile(out).read("content.xml").decode("utf-8")
            top = rows_with(xml, "table:table-row", "Сроки")
            if top.count('number-columns-spanned="2"') != 2 or top.count('number-rows-spanned="2"') != 4:
                fail("two header rows, odt: the first header row does not span as the paper does")
    r = run("view", two, "roadmap-report")
    if r.returncode != 0 or '"header_rows": 2' not in r.stdout:
        fail(f"two header rows: the report does not keep them: {r.stderr}")

for f in failures:
    print("FAIL:", f)
print("merged cells: ok" if not failures else f"merged cells: {len(failures)} failure(s)")
sys.exit(1 if failures else 0)
