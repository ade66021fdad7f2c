#!/usr/bin/env python3
"""The stock templates filled from one sample, as Word and LibreOffice would read them.

    templates_test.py NASTAVNIK SAMPLE WORK_DIR [SOFFICE] [PDFTOTEXT]

For every document kind (`nastavnik kinds`: the kinds found in scripts/documents/) and every subject the sample has (a
school; a municipality itself and its organisation --org 1; --item 1 for the kinds made once
per pair or person), unless `nastavnik view` refuses it for a documented reason
("документ «…» сделать нельзя: …", listed as skipped):

1. `nastavnik docx` and `nastavnik odt` succeed;
2. the DOCX opens with python-docx and the ODT with odfpy; every XML part is well-formed;
   no tag ({…}) is left in the text;
3. the key values of the view (organisation, order number and points — declined names —,
   people, titles, rows of the lists) are in the text of the document parts;
4. landscape kinds have a landscape section / page style; the roadmap (and the roadmap
   appendix of order-roadmap) holds the roadmap's table as a native table;
5. LibreOffice converts every document to PDF (all of them in one soffice run, a private
   profile): the text (pdftotext) holds the same key values, landscape kinds have landscape
   pages, and every word of the PDF that `nastavnik pdf` makes of the same view is there
   (the templates say the same words as the PDF layout).

Exit 0 when all pass, 1 on a failure, 77 when everything but the LibreOffice checks passed and
soffice is not installed.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
import xml.dom.minidom

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "template"))
import schema_rules  # noqa: E402  (the rules of OOXML and ODF the template engine keeps)

binary, sample = sys.argv[1], sys.argv[2]
work = os.path.abspath(sys.argv[3])
# SOFFICE: its path; "none" (not installed: the LibreOffice checks are skipped, exit 77); "-"
# (the sanitizer build: they are left to the main build, exit 0).
soffice_arg = sys.argv[4] if len(sys.argv) > 4 else ""
soffice = None if soffice_arg in ("none", "-") or soffice_arg.endswith("NOTFOUND") else (soffice_arg or shutil.which("soffice"))
pdftotext = sys.argv[5] if len(sys.argv) > 5 and not sys.argv[5].endswith("NOTFOUND") else shutil.which("pdftotext")
name = os.path.splitext(os.path.basename(sample))[0]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
failures, skipped = [], []
NBSP = "\u00a0"
TABLE_VALUE = {"roadmap", "order-roadmap"}  # a {table} value inserted as a native table


def fail(what):
    failures.append(what)
    print("FAIL:", what)


def run(*args, timeout=120):
    return subprocess.run([str(a) for a in args], capture_output=True, timeout=timeout)


def kinds():
    """(kind, made once per pair/person/order) for every kind the generator finds."""
    listing = json.loads(run(binary, "kinds").stdout.decode("utf-8"))
    return [(k["kind"], k["instances"]) for k in listing]


LANDSCAPE = {k["kind"] for k in json.loads(run(binary, "kinds").stdout.decode("utf-8")) if k["landscape"]}


def norm(s):
    return re.sub(r"\s+", " ", s.replace(NBSP, " ")).strip()


def letters(s):
    """Letters and digits only, lower case, ё as е: hyphenation and line breaks vanish."""
    return re.sub(r"[^0-9a-zа-я]", "", s.lower().replace("ё", "е"))


def rich_text(value, out):
    """The words of a rich value or layout table (blocks, runs, list items, cells)."""
    if isinstance(value, str):
        out.append(value)
    elif isinstance(value, dict):
        if "runs" in value:
            if "label" in value:
                out.append(value["label"])
            for r in value["runs"]:
                out.append(r["text"])
        for key in ("items", "blocks", "cells", "rows"):
            if key in value:
                rich_text(value[key], out)
    elif isinstance(value, list):
        for v in value:
            rich_text(v, out)
    return out


def keys_of(kind, view):
    """The values of a view a reader must find in the document."""
    keys = []
    add = keys.append
    org = view.get("org") or {}
    if kind.startswith("order"):
        add(org.get("short_name"))
        add(view["order"]["number"])
        add(view["order"]["title"])
        for p in view["points"]:  # the names in them are declined ("Назначить Гончаренко Оксану …")
            add(p["label"] + " " + p["text"])
        for a in view["acquaintance"]:
            add(a["name"])
        add(view["signature"]["name"])
        if kind == "order-pairs":
            for r in view["pairs"]:
                for m in r["mentors"] + r["mentees"]:
                    add(m["name"])
        if kind == "order-regulation":
            add(view["regulation"]["subject"])
        if kind == "order-roadmap":
            add(view["appendices"][0]["roadmap"]["title"])
    elif kind == "roadmap":
        add(view["title"])
        keys += (view.get("stamp") or {}).get("lines", [])
        for c in view["columns"]:
            add(c["title"])
    elif kind == "plan":
        add(view["subtitle"])
        for m in view["mentors"] + view["mentees"]:
            add(m["name"])
        for m in view["meetings"]:
            add(m["title"])
        for s in view["signatures"]:
            add(s["label"])
    elif kind in ("consent-data", "consent-mentor"):
        add(view["title"])
        keys += view["paragraphs"]
        add(view["signature"]["name"])
    elif kind == "roadmap-report":
        add(view["subtitle"])
        add(view["summary"])
        for r in view["rows"]:
            if r["kind"] == "stage":
                add(r.get("title"))
            else:
                # the report has every column of its roadmap: a deadline wraps in its narrow cell,
                # and pdftotext puts the neighbouring cells' lines between its lines
                for w in re.findall(r"[0-9A-Za-zА-Яа-яЁё]+", r["due"]):
                    add(w)
    elif kind == "practices":
        add(view["title_page"]["subtitle"])
        for s in view["sections"]:
            add(s["heading"])
            for a in s["authors"]:
                add(a["line"])
    elif kind == "monitoring":
        add(view["regulatory"]["title"])
        add(view["implementation"]["title"])
        for r in view["regulatory"]["rows"]:
            add(r["name"])
            add(r["curator_contacts"])
        add(view["implementation"]["totals"]["pairs"])
    return [norm(k) for k in keys if k and norm(k)]


def xml_text(data, odt):
    """The text of a part, one paragraph a line."""
    dom = xml.dom.minidom.parseString(data)
    para_tags = ("text:p", "text:h") if odt else ("w:p",)
    lines = []

    def walk(node, buf):
        for child in node.childNodes:
            if child.nodeType == child.TEXT_NODE:
                if odt or (node.tagName == "w:t"):
                    buf.append(child.data)
            elif child.nodeType == child.ELEMENT_NODE:
                tag = child.tagName
                if tag in para_tags:
                    inner = []
                    walk(child, inner)
                    lines.append("".join(inner))
                elif tag in ("text:s",):
                    buf.append(" " * int(child.getAttribute("text:c") or 1))
                elif tag in ("text:tab", "w:tab"):
                    buf.append("\t")
                elif tag in ("text:line-break", "w:br"):
                    buf.append("\n")
                else:
                    walk(child, buf)
    walk(dom.documentElement, [])
    return "\n".join(lines)


def check_package(path, fmt, label):
    """Opens the package as python-docx/odfpy do; returns the text of its content parts."""
    try:
        if fmt == "docx":
            import docx
            docx.Document(path)
        else:
            from odf import opendocument
            opendocument.load(path)
    except Exception as e:  # noqa: BLE001 — any refusal is the finding
        fail(f"{label}: {'python-docx' if fmt == 'docx' else 'odfpy'} cannot open it: {e!r}")
    for problem in schema_rules.check(path):
        fail(f"{label}: {problem}")
    texts, raw = [], {}
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        if fmt == "odt":
            info = z.infolist()[0]
            if info.filename != "mimetype" or info.compress_type != zipfile.ZIP_STORED or info.extra:
                fail(f"{label}: 'mimetype' is not the first entry, STORED, without extra field")
        for n in names:
            if not n.endswith(".xml") and not n.endswith(".rels"):
                continue
            data = z.read(n)
            try:
                xml.dom.minidom.parseString(data)
            except Exception as e:  # noqa: BLE001
                fail(f"{label}: {n} is not well-formed XML: {e}")
                continue
            raw[n] = data
        content = ["word/document.xml"] + sorted(n for n in names if re.match(r"word/(header|footer)\d*\.xml$", n)) \
            if fmt == "docx" else ["content.xml", "styles.xml"]
        for n in content:
            if n in raw:
                texts.append(xml_text(raw[n], fmt == "odt"))
    return "\n".join(texts), raw


def check_structure(kind, fmt, raw, label, view):
    main = (raw.get("word/document.xml") or raw.get("content.xml") or b"").decode("utf-8")
    if kind in LANDSCAPE:
        if fmt == "docx" and 'w:orient="landscape"' not in main:
            fail(f"{label}: no landscape section (w:orient=\"landscape\")")
        if fmt == "odt" and 'style:master-page-name="Landscape"' not in main \
                and 'style:master-page-name="First_20_Landscape"' not in main:
            fail(f"{label}: no paragraph or table on the Landscape page style")
    if kind in TABLE_VALUE:
        rm = view if kind == "roadmap" else view["appendices"][0]["roadmap"]
        tables = re.findall(r"<w:tbl>.*?</w:tbl>" if fmt == "docx" else r"<table:table .*?</table:table>", main, re.S)
        first_title = norm(rm["columns"][0]["title"])
        ns = NS_DOCX if fmt == "docx" else NS_ODT
        ok = any(first_title in norm(xml_text(f"<r {ns}>{t}</r>".encode("utf-8"), fmt == "odt")) for t in tables)
        if not ok:
            fail(f"{label}: the roadmap's table is not a native table holding «{first_title}» — the table value "
                 "({table} alone in a paragraph) needs generator/template's support of view fields with "
                 "type = \"table\"")


NS_DOCX = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
NS_ODT = ('xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"')


def pdf_words(path, raw=True):
    r = run(pdftotext, *(["-raw"] if raw else []), "-enc", "UTF-8", path, "-")
    return r.stdout.decode("utf-8")


def words_of_text(text):
    return {w.lower().replace("ё", "е") for w in re.findall(r"[0-9A-Za-zА-Яа-яЁё]+", text)}


def split_words(text):
    """Word halves hyphenated at a line end (head-) and the words: a row cut by a page break
    puts the header rows between the halves, and pdftotext may put other cells after the head."""
    heads = {w.lower().replace("ё", "е") for w in re.findall(r"([0-9A-Za-zА-Яа-яЁё]+)[-\u00ad](?=\s)", text)}
    tails = words_of_text(text)
    return heads, tails


def hyphenated(word, heads, tails):
    return any(word[:i] in heads and word[i:] in tails for i in range(2, len(word) - 1))


def other_cell(word, ref_raw, text):
    """Whether a word of the PDF layout is a head hyphenated at a cell's line end joined with the
    next line pdftotext gives, which is another cell's (a table with many columns): the head
    begins a word LibreOffice shows, the rest is a word it shows."""
    shown = words_of_text(text)
    for i in range(2, len(word) - 1):
        head, tail = word[:i], word[i:]
        if tail in shown and re.search(rf"(?i){re.escape(head)}[-\u00ad]\n{re.escape(tail)}", ref_raw.replace("ё", "е")) \
                and any(w.startswith(head) and w != head for w in shown):
            return True
    return False


def page_sizes(path):
    r = run("pdfinfo", "-f", "1", "-l", "999", path)
    return [(float(w), float(h)) for w, h in re.findall(r"size:\s+([\d.]+) x ([\d.]+)", r.stdout.decode())]


# ------------------------------------------------------------------------------------------

dump = run(binary, "dump", sample)
if dump.returncode != 0:
    print(dump.stderr.decode())
    sys.exit(f"{sample}: dump failed")
municipal = json.loads(dump.stdout.decode()).get("type") == "municipality"
subjects = [[], ["--org", "1"]] if municipal else [[]]

made = []  # (label, kind, fmt, path, view, ref_pdf)
for kind, per_item in kinds():
    for subject in subjects:
        options = subject + (["--item", "1"] if per_item else [])
        tag = kind + ("-org1" if subject else "")
        label0 = f"{name} {kind} {' '.join(options)}".strip()
        v = run(binary, "view", sample, kind, *options)
        if v.returncode != 0:
            message = v.stderr.decode("utf-8").strip()
            if v.returncode == 1 and "сделать нельзя" in message:
                skipped.append(f"{label0}: {message.split('сделать нельзя:')[-1].strip()}")
                continue
            fail(f"{label0}: view failed ({v.returncode}): {message}")
            continue
        view = json.loads(v.stdout.decode("utf-8"))
        ref = os.path.join(work, f"{tag}.ref.pdf")
        if run(binary, "pdf", sample, kind, *options, "-o", ref).returncode != 0:
            ref = None  # the PDF layout of this kind is not ready (e.g. the contents of practices)
        for fmt in ("docx", "odt"):
            label = f"{label0} [{fmt}]"
            out = os.path.join(work, f"{tag}-{fmt}.{fmt}")
            r = run(binary, fmt, sample, kind, *options, "-o", out)
            if r.returncode != 0 or not os.path.exists(out):
                message = r.stderr.decode("utf-8").strip()
                hint = ""
                if kind in TABLE_VALUE and ("table" in message.lower() or "таблиц" in message):
                    hint = " — waiting for generator/template to insert view fields with type = \"table\""
                fail(f"{label}: `nastavnik {fmt}` failed ({r.returncode}){hint}: {message}")
                continue
            text, raw = check_package(out, fmt, label)
            left = re.findall(r"\{[#/^]?[A-Za-z_][A-Za-z0-9_.|]*\}", text)
            if left:
                fail(f"{label}: tags left in the text: {sorted(set(left))[:5]}")
            flat = norm(text)
            for key in keys_of(kind, view):
                if key not in flat:
                    fail(f"{label}: «{key[:80]}» is not in the document")
            check_structure(kind, fmt, raw, label, view)
            made.append((label, kind, fmt, out, view, ref))

print(f"{name}: {len(made)} documents filled; skipped (the view says why):")
for s in skipped:
    print("  -", s)

# LibreOffice: all documents in one run (it is slow to start), a private profile.
if not soffice or not pdftotext:
    if soffice_arg == "-":
        print("the LibreOffice checks are left to the main build")
        sys.exit(1 if failures else 0)
    print("soffice or pdftotext not installed: the LibreOffice checks are skipped")
    sys.exit(1 if failures else 77)
pdf_dir = os.path.join(work, "lo")
profile = f"file:///tmp/lo-profile-{os.getpid()}"
try:
    r = run(soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", pdf_dir,
            *[m[3] for m in made], timeout=900)
finally:
    shutil.rmtree(f"/tmp/lo-profile-{os.getpid()}", ignore_errors=True)
for label, kind, fmt, out, view, ref in made:
    pdf = os.path.join(pdf_dir, os.path.splitext(os.path.basename(out))[0] + ".pdf")
    if not os.path.exists(pdf):
        fail(f"{label}: LibreOffice did not convert it ({r.stderr.decode('utf-8', 'replace').strip()[-300:]})")
        continue
    text = pdf_words(pdf)
    # page numbers (a line of digits alone) fall inside paragraphs that go on over a page
    flat = letters(re.sub(r"(?m)^\s*\d+\s*$", "", text))
    for key in keys_of(kind, view):
        if letters(key) not in flat:
            fail(f"{label}: LibreOffice shows no «{key[:80]}»")
    sizes = page_sizes(pdf)
    if kind in LANDSCAPE and not any(w > h for w, h in sizes):
        fail(f"{label}: LibreOffice lays out no landscape page")
    if kind.startswith("order") and not (sizes and sizes[0][0] < sizes[0][1]):
        fail(f"{label}: the order does not start on a portrait page")
    if ref:
        # The same words as the PDF layout: every word of `nastavnik pdf` (page numbers, the
        # numbers of blank rows and the «(продолжение)» of an item going on to a new page aside)
        # is in LibreOffice's text, or its letters are (hyphenation).
        heads, tails = split_words(text)
        ref_text = re.sub(r"(?<=[а-яё])[-\u00ad]\n(?=[а-яё])", "", pdf_words(ref))  # its own hyphenation
        missing = sorted(w for w in words_of_text(ref_text) - words_of_text(text)
                         if not w.isdigit() and w not in ("продолжение", "прод")
                         and letters(w) not in flat and not hyphenated(w, heads, tails))
        missing = [w for w in missing if not other_cell(w, pdf_words(ref), text)]
        if missing:
            fail(f"{label}: words of the PDF layout LibreOffice does not show: {missing[:20]}")

print(f"{name}: {len(made)} documents converted by LibreOffice")
if failures:
    print(f"{len(failures)} failure(s)")
    sys.exit(1)
print("ok")
