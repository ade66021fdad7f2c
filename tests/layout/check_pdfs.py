#!/usr/bin/env python3
"""Checks the PDFs that documents.lua writes: valid (qpdf), subset fonts (pdffonts), text in
reading order (pdftotext), tables across pages, hyphenation, reproducible bytes, size, speed.

usage: check_pdfs.py PDF_DRIVER TESTS_LAYOUT_DIR OUTDIR
"""
import filecmp
import os
import re
import shutil
import subprocess
import sys
import time

DRIVER, HERE, OUT = sys.argv[1], sys.argv[2], sys.argv[3]
SCRIPT = os.path.join(HERE, "documents.lua")
failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def run(*args):
    return subprocess.run(args, capture_output=True, text=True)


def render(outdir):
    shutil.rmtree(outdir, ignore_errors=True)
    os.makedirs(outdir)
    r = run(DRIVER, SCRIPT, outdir)
    if r.returncode != 0:
        sys.exit("documents.lua failed:\n" + r.stdout + r.stderr)


def text(name, first=None, last=None, layout=False):
    args = ["pdftotext"]
    if layout:
        args.append("-layout")
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    r = run(*args, os.path.join(OUT, name + ".pdf"), "-")
    return r.stdout.replace("\u00a0", " ")


def pages(name):
    r = run("pdfinfo", os.path.join(OUT, name + ".pdf"))
    return int(re.search(r"Pages:\s+(\d+)", r.stdout).group(1))


def page_size(name, page):
    r = run("pdfinfo", "-f", str(page), "-l", str(page), os.path.join(OUT, name + ".pdf"))
    m = re.search(r"Page\s+%d size:\s+([\d.]+) x ([\d.]+)" % page, r.stdout)
    return float(m.group(1)), float(m.group(2))


render(OUT)
names = sorted(f[:-4] for f in os.listdir(OUT) if f.endswith(".pdf"))
check(len(names) >= 8, "documents.lua wrote its documents: %s" % ", ".join(names))

# Every PDF: valid, fonts embedded as subsets, no poppler complaints.
for name in names:
    path = os.path.join(OUT, name + ".pdf")
    r = run("qpdf", "--check", path)
    check(r.returncode == 0 and "WARNING" not in r.stdout + r.stderr, name + ": qpdf --check clean")
    r = run("pdffonts", path)
    rows = r.stdout.splitlines()[2:]
    subsets = [row for row in rows if re.match(r"[A-Z]{6}\+LiberationSerif\S*\s.*\byes\s+yes\s+yes\b", row)]
    check(rows and len(subsets) == len(rows), name + ": every font an embedded subset: " + "; ".join(rows))
    r = run("pdftotext", path, "-")
    check(r.returncode == 0 and "Warning" not in r.stderr and "Error" not in r.stderr,
          name + ": pdftotext reads it without complaint " + r.stderr.strip()[:200])

# Same input, same bytes: render everything again elsewhere and compare.
again = OUT + "-again"
render(again)
same = all(filecmp.cmp(os.path.join(OUT, n + ".pdf"), os.path.join(again, n + ".pdf"), shallow=False)
           for n in names)
check(same, "a second run gives byte-identical PDFs")
shutil.rmtree(again, ignore_errors=True)

# The order: one page, small, every word back, nbsp phrases never split, metadata.
order = text("order")
check(pages("order") == 1, "order: one page")
size = os.path.getsize(os.path.join(OUT, "order.pdf"))
check(size < 40 * 1024, "order: %d bytes < 40 KB" % size)
for phrase in ["№ 146", "А.Н. Пенкин", "2022 г.", "№ 483", "№ 4"]:
    check(any(phrase in line for line in order.splitlines()), "order: «%s» on one line" % phrase)
joined = re.sub(r"-\n", "", order)
for word in ["УТВЕРЖДАЮ", "Архангельской", "наставничества", "приказываю:", "организационно-методического",
             "образовательной", "Контроль", "собой.", "Директор", "школы"]:
    check(word in joined.replace("\n", " "), "order: text holds «%s»" % word)
# Every word of the order comes back (a hyphenated word either joined or with its hyphen).
source = open(os.path.join(OUT, "order.txt"), encoding="utf-8").read().replace("\u00a0", " ").split()
# (-raw: the plain mode glues two short words of a line, "N 4" -> "N4", whatever the PDF says.)
raw_order = subprocess.run(["pdftotext", "-raw", os.path.join(OUT, "order.pdf"), "-"],
                           capture_output=True, text=True).stdout.replace("\u00a0", " ")
joined_words = set(re.sub(r"-\n", "", raw_order).split()) | set(re.sub(r"-\n", "-", raw_order).split())
missing = [w for w in source if w not in joined_words]
check(not missing, "order: all %d words of the source extracted (missing: %s)" % (len(source), missing))
# The justified paragraph: every line but the last ends at the right margin (10 mm).
bbox = run("pdftotext", "-bbox-layout", os.path.join(OUT, "order.pdf"), "-").stdout
right = 595.276 - 10 * 72 / 25.4
lines = [(float(m.group(1)), float(m.group(2)), float(m.group(3)))
         for m in re.finditer(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"', bbox)]
para_lines = [l for l in lines if 190 < l[1] < 280]  # the paragraph under the heading ПРИКАЗ
ends = [round(l[2], 1) for l in para_lines[:-1]]
check(len(para_lines) >= 4 and all(abs(e - right) < 0.6 for e in ends),
      "order: justified lines end at the right margin %.1f: %s" % (right, ends))
first_line = order.strip().splitlines()[0]
check("«УТВЕРЖДАЮ»" in first_line, "order: the stamp comes first in reading order")
lay = text("order", layout=True)
stamp = [l for l in lay.splitlines() if "УТВЕРЖДАЮ" in l][0]
check(len(stamp) - len(stamp.lstrip()) > 30, "order: the approval stamp stands at the right")
info = run("pdfinfo", os.path.join(OUT, "order.pdf")).stdout
check("Title:           Приказ № 146 о наставничестве" in info.replace("\u00a0", " "), "order: title in document info")
check("Author:          МКОУ Богучанская школа" in info, "order: author in document info")
check("CreationDate:" in info and "2023" in info, "order: creation date from doc.info.date")
fonts = run("pdffonts", os.path.join(OUT, "order.pdf")).stdout
check(all(re.search(r"[A-Z]{6}\+LiberationSerif-%s\s" % face, fonts) for face in ("Bold", "Italic", "BoldItalic"))
      and re.search(r"[A-Z]{6}\+LiberationSerif\s", fonts), "order: regular, bold, italic and bold italic subsets")
qdf = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", os.path.join(OUT, "order.pdf"), "-"],
                     capture_output=True).stdout
check(b"/Lang (ru)" in qdf, "order: catalog /Lang (ru)")

# Two forms for two people share the regular face's subset (made for whole blocks of letters
# and digits: the names' letters differ), each reads back its own name; the bold heading's few
# capitals keep a subset of their own (the same here: the same heading).
def subsets(name):
    rows = run("pdffonts", os.path.join(OUT, name + ".pdf")).stdout.splitlines()[2:]
    return {row.split()[0].split("+")[1]: row.split()[0] for row in rows}
a, b = subsets("form-a"), subsets("form-b")
check(a.get("LiberationSerif") and a.get("LiberationSerif") == b.get("LiberationSerif"),
      "forms of two people share the regular subset: %s, %s" % (a, b))
check(a.get("LiberationSerif-Bold") == b.get("LiberationSerif-Bold"), "and the bold one: %s, %s" % (a, b))
check("Щукина Юлия Эдуардовна" in text("form-a").replace("\n", " ")
      and "Фёдоров Цезарь Ильич" in text("form-b").replace("\n", " "), "each form reads its own name")

# The roadmap: landscape, 3+ pages, header row on every page, page numbers from page 2.
n = pages("roadmap")
check(n >= 3, "roadmap: %d pages (3 or more)" % n)
w, h = page_size("roadmap", 1)
check(w > h, "roadmap: landscape pages")
for p in range(1, n + 1):
    t = text("roadmap", p, layout=True)
    header = [l for l in t.splitlines() if "Содержание" in l and "Сроки" in l and "Ответственный" in l]
    check(len(header) == 1, "roadmap: header row on page %d" % p)
    lines = [l.strip() for l in t.splitlines() if l.strip()]
    if p == 1:
        check(lines[0] != "1", "roadmap: no number on page 1")
    else:
        check(lines[0] == str(p), "roadmap: page number %d on top of page %d" % (p, p))
all_text = text("roadmap")
for k in range(1, 41):
    check("(строка %d)" % k in all_text.replace("\n", " "), "roadmap: row %d present" % k) if k in (1, 20, 40) else None
check(all_text.count("Куратор, классные") >= 8, "roadmap: rowspan responsible cells printed")
raw = subprocess.run(["pdftotext", "-raw", "-f", "1", "-l", "1", os.path.join(OUT, "roadmap.pdf"), "-"],
                     capture_output=True, text=True).stdout
check("Содержание Сроки Ожидаемый результат Ответственный" in raw, "roadmap: header cells in reading order")
i1, ik, i2 = raw.find("(строка 1)"), raw.find("Куратор, классные"), raw.find("(строка 2)")
check(0 <= i1 < ik < i2, "roadmap: a cell spanning rows is read with its first row, not its last")

# A tall row is split where the page ends, not moved whole.
t1, t2 = text("tallrow", 1), text("tallrow", 2)
check("Высокая строка" in t1 and "Пункт 1:" in t1 and "Пункт 12:" in t1,
      "tallrow: the tall row starts on page 1 (split, not pushed)")
later = text("tallrow", 2, pages("tallrow"))
check("Пункт 45:" in later and "Пункт 1:" not in later, "tallrow: the rest continues on the next page")
check("Этап" in t2.splitlines()[0] or "Этап" in t2[:200], "tallrow: header repeated above the continuation")
check("После высокой" in later, "tallrow: the row after it follows")

# A cell spanning rows continues on the next page.
r1, r2 = text("rowspan", 1), text("rowspan", 2, pages("rowspan"))
check("Ответственный 1 за этап" in r1 and "Ответственный 80 за этап" not in r1, "rowspan: span starts on page 1")
check("Ответственный 80 за этап" in r2 and "Мероприятие 60" in r2, "rowspan: span continues on page 2")
first_cont = re.search(r"Ответственный (\d+) за этап", r2)
last_p1 = re.findall(r"Ответственный (\d+) за этап", r1)
check(first_cont and last_p1 and int(first_cont.group(1)) == int(last_p1[-1]) + 1,
      "rowspan: page 2 goes on where page 1 stopped")

# Hyphenation in a narrow column; a word longer than the column is cut, not overflowing.
nar = text("narrow", layout=True)
col1 = [l.split("  ")[0].strip() for l in nar.splitlines() if l.strip()]
hyph = [(a, b) for a, b in zip(col1, col1[1:]) if a.endswith("-")]
hyph = [(a[:-1].split()[-1], b.split()[0]) for a, b in hyph]
check(any(a + b in ("информационного", "распорядительных", "Архангельской", "сопровождения") for a, b in hyph),
      "narrow: Russian words hyphenated at line ends: %s" % hyph)
alines = [l for l in col1 if re.fullmatch("А+", l)]
check(len(alines) >= 3 and sum(map(len, alines)) == 34,
      "narrow: the over-long word is cut into lines that fit")
bbox = run("pdftotext", "-bbox", os.path.join(OUT, "narrow.pdf"), "-").stdout
col_right = (30 + 28) * 72 / 25.4
over = [m for m in re.finditer(r'xMax="([\d.]+)"[^>]*>(А+|Орг[^<]*|инф[^<]*)<', bbox) if float(m.group(1)) > col_right]
check(not over, "narrow: nothing of the first column crosses its right edge")

nl = [l for l in text("newline").splitlines() if l.strip()]
check(nl[:2] == ["Первая строка заголовка", "вторая строка"], "newline: a newline in a run breaks the line: %s" % nl[:2])

# Missing glyphs drawn as "?" (and reported: asserted in documents.lua).
check("Галочка ? и иероглиф ?" in text("missing"), "missing: absent characters shown as ?")
check("Мягкий перенос инулевой пробел" in text("missing"), "missing: soft hyphens and zero-width marks left out")

# Portrait order, landscape appendix, portrait again.
n = pages("mixed")
sizes = [page_size("mixed", p) for p in range(1, n + 1)]
check(sizes[0][0] < sizes[0][1] and sizes[1][0] > sizes[1][1] and sizes[-1][0] < sizes[-1][1],
      "mixed: portrait, landscape, portrait: %s" % sizes)

# No widow or orphan: where the long paragraph is cut, 2+ of its lines stay on each side.
cuts = 0
for p in range(1, pages("widow") + 1):
    lines = [l for l in text("widow", p).splitlines() if l.strip()]
    start = [i for i, l in enumerate(lines) if "НАЧАЛО" in l]
    end = [i for i, l in enumerate(lines) if "КОНЕЦАБЗАЦА" in l]
    if start and not end:
        cuts += 1
        check(len(lines) - start[0] >= 2, "widow: page %d ends with %d lines of the paragraph" % (p, len(lines) - start[0]))
    if end and not start:
        check(end[0] + 1 >= 2, "widow: page %d starts with %d lines of the paragraph" % (p, end[0] + 1))
check(cuts >= 5, "widow: the paragraph is cut by a page break in %d sections" % cuts)

# Speed: renders of the 40-row landscape roadmap per second (one process, fonts cached).
# Wall time suffers when the machine is shared; the CPU time of the run is printed too.
count = 200
start, cpu_start = time.perf_counter(), os.times()
r = run(DRIVER, SCRIPT, OUT, "bench", str(count))
elapsed, cpu_end = time.perf_counter() - start, os.times()
cpu = (cpu_end.children_user + cpu_end.children_system) - (cpu_start.children_user + cpu_start.children_system)
check(r.returncode == 0, "bench ran")
print("speed: %.0f renders/s of the 40-row roadmap (%d in %.2f s wall, %.2f s CPU: %.0f/s of CPU)"
      % (count / elapsed, count, elapsed, cpu, count / cpu if cpu > 0 else 0))

if failures:
    print("\n%d check(s) failed" % len(failures))
    sys.exit(1)
print("\nall checks passed")
