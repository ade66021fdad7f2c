#!/usr/bin/env python3
"""A secretary puts her letterhead on a stock template, and it still fills.

    letterhead_test.py NASTAVNIK BUILT_TEMPLATES_DIR WORK_DIR [SOFFICE] [PDFTOTEXT]

For every kind, as Word or LibreOffice would save her edit:
* DOCX (through python-docx, which rewrites the package as Word does): the letterhead lines
  and a logo picture above the document, a first-page header "Бланк: {org.full_name}" of her
  own with a tag in it;
* ODT (through odfpy, which rewrites content.xml and styles.xml): the header of the first
  page styles with "Бланк: {org.full_name}", a closing line "Исп.: …" at the end.
Then `nastavnik docx|odt --template HER_COPY` fills it from samples/sosnovsky-district.lua
(organisation 1; the municipality for monitoring): the result opens, keeps her picture and
lines, her tag is filled, the document's own values are there; LibreOffice (one run) shows
the letterhead and the organisation in the PDF text.
"""
import base64
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile

binary, built, work = sys.argv[1:4]
# SOFFICE: its path; "none" (not installed: the LibreOffice checks are skipped, exit 77); "-"
# (the sanitizer build: they are left to the main build, exit 0).
soffice_arg = sys.argv[4] if len(sys.argv) > 4 else ""
soffice = None if soffice_arg in ("none", "-") or soffice_arg.endswith("NOTFOUND") else (soffice_arg or shutil.which("soffice"))
pdftotext = sys.argv[5] if len(sys.argv) > 5 and not sys.argv[5].endswith("NOTFOUND") else shutil.which("pdftotext")
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
SAMPLE = "samples/sosnovsky-district.lua"
FULL = "Муниципальное бюджетное общеобразовательное учреждение «Сосновская средняя общеобразовательная школа № 1»"
SHORT = "МБОУ «Сосновская СОШ № 1»"
LETTERHEAD = "МИНИСТЕРСТВО ОБРАЗОВАНИЯ КРАСНОЯРСКОГО КРАЯ"
CLOSING = "Исп.: Секретарь учебной части, тел. 8 (39100) 2-00-00"
# A 1×1 PNG: the school's logo.
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")
failures = []


def fail(what):
    failures.append(what)
    print("FAIL:", what)


def letters(s):
    return re.sub(r"[^0-9a-zа-я]", "", s.lower().replace("ё", "е"))


def docx_letterhead(stock, out):
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm
    d = docx.Document(stock)
    body = d.element.body
    added = []
    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run(LETTERHEAD).bold = True
    added.append(p)
    logo = d.add_paragraph()
    logo.alignment = WD_ALIGN_PARAGRAPH.CENTER
    logo.add_run().add_picture(io.BytesIO(PNG), width=Cm(1.5))
    added.append(logo)
    for i, para in enumerate(added):  # above everything
        body.remove(para._p)
        body.insert(i, para._p)
    tail = d.add_paragraph(CLOSING)  # at the end (before the last section's properties)
    del tail
    section = d.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_header.paragraphs[0].text = "Бланк: {org.full_name}"
    d.save(out)


def odt_letterhead(stock, out):
    from odf.opendocument import load
    from odf.style import Header
    from odf import text as odftext
    doc = load(stock)
    for master in doc.masterstyles.childNodes:
        first = ("First_20_Page", "First_20_Landscape", "First_20_Form")  # a consent's: First Form
        if master.nodeType == master.ELEMENT_NODE and master.getAttribute("name") in first:
            header = Header()
            header.addElement(odftext.P(stylename="Header", text="Бланк: {org.full_name}"))
            master.addElement(header)
    doc.text.addElement(odftext.P(text=CLOSING))
    doc.save(out)


kinds = [k["kind"] for k in json.loads(subprocess.run([binary, "kinds"], capture_output=True).stdout)]
made = []
for kind in kinds:
    options = [] if kind == "monitoring" else ["--org", "1", "--item", "1"]
    for fmt in ("docx", "odt"):
        label = f"{kind} [{fmt}]"
        mine = os.path.join(work, f"{kind}-letterhead.{fmt}")
        try:
            (docx_letterhead if fmt == "docx" else odt_letterhead)(os.path.join(built, f"{kind}.{fmt}"), mine)
        except Exception as e:  # noqa: BLE001
            fail(f"{label}: the library could not add the letterhead: {e!r}")
            continue
        out = os.path.join(work, f"{kind}-{fmt}.{fmt}")
        r = subprocess.run([binary, fmt, SAMPLE, kind, *options, "--template", mine, "-o", out], capture_output=True)
        if r.returncode != 0:
            fail(f"{label}: her template does not fill ({r.returncode}): {r.stderr.decode('utf-8').strip()}")
            continue
        with zipfile.ZipFile(out) as z:
            names = z.namelist()
            xml_all = "".join(z.read(n).decode("utf-8") for n in names if n.endswith(".xml"))
            if fmt == "docx" and not any(n.startswith("word/media/") for n in names):
                fail(f"{label}: her logo is gone")
        plain = re.sub(r"<[^>]+>", "", xml_all).replace("\u00a0", " ")
        who = SHORT if kind != "monitoring" else "Сосновского муниципального округа"
        for want in (LETTERHEAD if fmt == "docx" else None, CLOSING, who,
                     "Бланк: " + (FULL if kind != "monitoring" else "")):
            if want and want not in plain:
                fail(f"{label}: «{want}» is not in the filled document")
        if "{org.full_name}" in plain:
            fail(f"{label}: her tag {{org.full_name}} was not filled")
        made.append((label, kind, fmt, out))

if not soffice or not pdftotext:
    if soffice_arg == "-":
        print("the LibreOffice checks are left to the main build")
        sys.exit(1 if failures else 0)
    print("soffice or pdftotext not installed: the LibreOffice checks are skipped")
    sys.exit(1 if failures else 77)
pdf_dir = os.path.join(work, "lo")
profile = f"/tmp/lo-profile-{os.getpid()}"
try:
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", pdf_dir, *[m[3] for m in made]], capture_output=True, timeout=600)
finally:
    shutil.rmtree(profile, ignore_errors=True)
for label, kind, fmt, out in made:
    pdf = os.path.join(pdf_dir, os.path.splitext(os.path.basename(out))[0] + ".pdf")
    if not os.path.exists(pdf):
        fail(f"{label}: LibreOffice did not convert it")
        continue
    text = letters(subprocess.run([pdftotext, "-enc", "UTF-8", pdf, "-"], capture_output=True).stdout.decode("utf-8"))
    for want in ((LETTERHEAD if fmt == "docx" else None), CLOSING, "Бланк"):
        if want and letters(want) not in text:
            fail(f"{label}: LibreOffice shows no «{want}»")
    if kind != "monitoring" and letters(SHORT) not in text:
        fail(f"{label}: LibreOffice shows no «{SHORT}»")

if failures:
    print(f"{len(failures)} failure(s)")
    sys.exit(1)
print(f"ok: {len(made)} letterhead templates filled and opened")
