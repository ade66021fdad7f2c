#!/usr/bin/env python3
"""The PDF documents of one sample, checked as a secretary would read them.

    pdf_test.py NASTAVNIK SAMPLE OUT_DIR

For every document kind the generator finds (`nastavnik kinds`; --item 1 of the kinds made
once per pair, person or order; a kind the sample cannot have is refused with its reason): it
renders; `qpdf --check` passes; a second run gives the same bytes; fonts are embedded subsets. For the roadmap: every word of every cell appears in the
text of the PDF, in order; the column headers are on every page; the approval stamp is there.
For the orders: ПРИКАЗ, the number, ПРИКАЗЫВАЮ:, the control sentence, the signature line,
the acquaintance sheet; an order is under 40 KB.
"""
import json
import os
import re
import shutil
import subprocess
import sys

binary, sample, out_dir = sys.argv[1], sys.argv[2], sys.argv[3]
name = os.path.splitext(os.path.basename(sample))[0]
os.makedirs(out_dir, exist_ok=True)
failures = []
KINDS = json.loads(subprocess.run([binary, "kinds"], capture_output=True).stdout)


def run(*args, **kw):
    return subprocess.run(list(args), capture_output=True, timeout=120, **kw)


def pdftotext(path, *extra):
    r = run("pdftotext", "-enc", "UTF-8", *extra, path, "-")
    return r.stdout.decode("utf-8")


def letters(text):
    """Letters and digits only, lower case, ё as е: hyphenation and line breaks vanish."""
    return re.sub(r"[^0-9a-zа-я]", "", text.lower().replace("ё", "е"))


def words_of(value, out):
    if isinstance(value, str):
        out.extend(w for w in re.findall(r"[0-9A-Za-zА-Яа-яЁё]+", value))
    elif isinstance(value, dict):
        if value.get("type") == "list":  # a rich-text list: labels and item texts
            words_of(value["items"], out)
        elif "runs" in value:  # a rich-text paragraph or list item
            if "label" in value:
                words_of(value["label"], out)
            for run_ in value["runs"]:
                words_of(run_["text"], out)
        else:
            for v in value.values():
                words_of(v, out)
    elif isinstance(value, list):
        for v in value:
            words_of(v, out)
    return out


def roadmap_cells(view):
    """The roadmap as a reader meets it, as a list of cells (each a list of words): title,
    goals, headers, then the table row by row, cell by cell from the left (a title spanning
    sub-rows comes before their cells)."""
    cells = [words_of([view["title"], view.get("subtitle")], [])]
    if view.get("goals"):
        cells.append(words_of([view.get("goals_title"), view["goals"]], []))
    cells += [words_of(c["title"], []) for c in view["columns"]]
    keys = [c["key"] for c in view["columns"] if c["key"] != "number"]
    for row in view["rows"]:
        if row["kind"] == "stage":
            cells.append(words_of([row.get("label"), row.get("title"), row.get("note")], []))
            continue
        cells.append(words_of(row.get("number"), []))
        subrows = row.get("subrows") or []
        if not subrows:
            cells += [words_of(row["cells"].get(k), []) for k in keys]
            continue
        cells.append(words_of(row["cells"].get("title"), []))
        for sub in subrows:
            cells += [words_of(sub.get(k), []) for k in keys if k != "title"]
    return [c for c in cells if c]


def flowing_text(path, pages, view):
    """The text of all pages as one flow: from page 2 on, the page number and the repeated
    table header at the top are left out, so a word hyphenated at a page's foot joins its end
    on the next page."""
    header = letters(" ".join(c["title"] for c in view["columns"]))
    numbers = letters("".join(str(i + 1) for i in range(len(view["columns"])))) if view.get("column_numbers") else ""
    parts = []
    for page in range(1, pages + 1):
        t = letters(pdftotext(path, "-raw", "-f", str(page), "-l", str(page)))
        if page > 1:
            t = t[len(str(page)):] if t.startswith(str(page)) else t
            for piece in (header, numbers):
                if piece and t.startswith(piece):
                    t = t[len(piece):]
        parts.append(t)
    return "".join(parts)


def find_word(stream, key, pos):
    """Where key starts at or after pos, and where it ends. A word hyphenated at the foot of a
    page whose row continues on the next one has the row's other cells between its halves:
    then its beginning stands right where the text goes on and its end a little further."""
    found = stream.find(key, pos)
    for k in range(len(key) - 1, 1, -1):
        head = stream.find(key[:k], pos, pos + 80)
        if head < 0 or (0 <= found <= head):
            continue
        tail = stream.find(key[k:], head + k, head + k + 400)
        if tail >= 0:
            return head, tail + len(key) - k
    if found >= 0:
        return found, found + len(key)
    return -1, -1


def cells_in_order(cells, text):
    """The first word not found in order, or None. Cells follow one another; the words of a
    cell follow one another but may be interleaved with the next cells' text: a row split
    across a page break continues each of its cells after the repeated header."""
    stream, cell_pos = letters(text), 0
    for cell in cells:
        pos = cell_pos
        for i, w in enumerate(cell):
            key = letters(w)
            if not key:
                continue
            found, after = find_word(stream, key, pos)
            if found < 0:
                return w
            pos = after
            if i == 0:
                cell_pos = pos
    return None


view_json = run(binary, "view", sample, "roadmap")
if view_json.returncode != 0:
    failures.append(f"view roadmap failed: {view_json.stderr.decode()}")
    view = None
else:
    view = json.loads(view_json.stdout)

made = 0
for entry in KINDS:
    kind = entry["kind"]
    options = ["--item", "1"] if entry["instances"] else []
    path = os.path.join(out_dir, f"{name}-{kind}.pdf")
    r = run(binary, "pdf", sample, kind, *options, "-o", path)
    if r.returncode == 1 and "сделать нельзя" in r.stderr.decode():
        continue  # the sample has no such document, and says why
    if r.returncode != 0 or not os.path.exists(path):
        failures.append(f"{kind}: pdf exited {r.returncode}: {r.stderr.decode()}")
        continue
    made += 1
    first = open(path, "rb").read()
    again = path + ".again.pdf"
    r2 = run(binary, "pdf", sample, kind, *options, "-o", again)
    if r2.returncode != 0 or not os.path.exists(again):
        failures.append(f"{kind}: a second run exited {r2.returncode} (signal if negative) and wrote "
                        f"{'a file' if os.path.exists(again) else 'nothing'}: {r2.stderr.decode()[-2000:]}")
    elif open(again, "rb").read() != first:
        # (both kept, for a look at what differs)
        kept = path + ".second-run.pdf"
        shutil.copyfile(again, kept)
        failures.append(f"{kind}: a second run gave different bytes ({len(first)} and "
                        f"{os.path.getsize(again)}; both kept: {path}, {kept})")
    if os.path.exists(again):
        os.remove(again)
    q = run("qpdf", "--check", path)
    if q.returncode != 0:
        failures.append(f"{kind}: qpdf --check failed: {q.stdout.decode()[-500:]}")
    fonts = run("pdffonts", path).stdout.decode()
    font_lines = [l for l in fonts.splitlines()[2:] if l.strip()]
    if not font_lines or any(not re.match(r"^[A-Z]{6}\+", l) for l in font_lines):
        failures.append(f"{kind}: fonts are not all embedded subsets:\n{fonts}")
    text = pdftotext(path, "-raw")  # content-stream order: cell by cell, row by row
    pages = int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", path).stdout.decode()).group(1))

    if kind == "roadmap" and view:
        missing = cells_in_order(roadmap_cells(view), flowing_text(path, pages, view))
        if missing:
            failures.append(f"roadmap: word «{missing}» missing from the PDF text (or out of order)")
        stamped = any(line.startswith("УТВЕРЖД") for line in text.splitlines())
        if view.get("stamp") and not stamped:
            failures.append("roadmap: no approval stamp (УТВЕРЖДАЮ / УТВЕРЖДЕНА)")
        if not view.get("stamp") and stamped:
            failures.append("roadmap: a stamp the description says the roadmap has not (approval = false)")
        if "«УТВЕРЖД" in text:
            failures.append("roadmap: the stamp word in quotes (GOST R 7.0.97 writes УТВЕРЖДАЮ without them)")
        for page in range(1, pages + 1):
            page_text = letters(pdftotext(path, "-f", str(page), "-l", str(page)))
            for col in view["columns"]:
                if letters(col["title"]) not in page_text:
                    failures.append(f"roadmap: page {page} lacks the column header «{col['title']}»")
    if entry.get("order_kind"):
        for must in ["ПРИКАЗ", "ПРИКАЗЫВАЮ:", "Контроль за исполнением приказа оставляю за собой.",
                     "С приказом ознакомлены", "______________"]:
            if must not in text:
                failures.append(f"{kind}: the text lacks «{must}»")
        size = os.path.getsize(path)
        if kind == "order-curator" and size >= 40 * 1024:
            failures.append(f"{kind}: {size} bytes, an order must stay under 40 KB")
    if kind == "order-roadmap" and view:
        missing = cells_in_order(roadmap_cells(view), flowing_text(path, pages, view))
        if missing:
            failures.append(f"order-roadmap: the appended roadmap lacks «{missing}»")
        if "Приложение" not in text:
            failures.append("order-roadmap: no appendix mark")

for f in failures:
    print("FAIL:", f)
if made < 3:
    failures.append(f"only {made} kinds made a PDF")
print(f"pdf {name}: {made} kinds, all checks ok" if not failures else f"pdf {name}: {len(failures)} problem(s)")
sys.exit(1 if failures else 0)
