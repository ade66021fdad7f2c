"""What a typesetter checks on every page, read back from a PDF (ours, or one LibreOffice made
of a DOCX/ODT): pdfminer gives every character with its font and place and every rule drawn,
so the checks see lines, cells, bold text and table rows as a reader does.

Checks (each returns problems as (kind, page, detail)):
  lonely        a page (after the first) holding only a signature block, or only bold lines
                (a heading, a stage row);
  foot-heading  a full page whose last line is bold (a heading or stage row left at its foot);
  page-hyphen   a page (not the last) whose last line in some column ends with a hyphen;
  name-hyphen   a person's surname, name or patronymic, an organisation's short name, a month,
                a number, an e-mail or a phone broken with a hyphen; any hyphen in a bold line
                (headings, table headers) or in a signature block;
  hyphen-run    more than two hyphenated lines in a row in one column;
  row-split     a table row of six lines or fewer split across pages, or a split leaving fewer
                than two lines on either side.

Used by pages_test.py; run alone: pagecheck.py FILE.pdf [NAMES...] prints what it finds.
"""
import json
import re
import subprocess
import sys
from dataclasses import dataclass, field

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTChar, LTCurve, LTLine, LTRect
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser

HYPHENS = "-\u2010"
LETTER = re.compile(r"[A-Za-zА-Яа-яЁё]")
MONTHS = ["январ", "феврал", "март", "апрел", "мая", "май", "июн", "июл", "август", "сентябр",
          "октябр", "ноябр", "декабр"]


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list = field(default_factory=list)
    hrules: list = field(default_factory=list)  # (x0, x1, y) from the top
    vrules: list = field(default_factory=list)  # (x, y0, y1) from the top


def _rules(objects, height):
    h, v = [], []
    for o in objects:
        if not isinstance(o, (LTLine, LTRect, LTCurve)):
            continue
        w, ht = o.x1 - o.x0, o.y1 - o.y0
        if ht < 2.5 and w > 3:
            h.append((o.x0, o.x1, height - (o.y0 + o.y1) / 2))
        elif w < 2.5 and ht > 3:
            v.append(((o.x0 + o.x1) / 2, height - o.y1, height - o.y0))
    return h, v


def _crosses(vrules, x_left, x_right, y):
    return any(x_left - 0.8 <= x <= x_right + 0.8 and y0 - 1 <= y <= y1 + 1 for x, y0, y1 in vrules)


def _segments(chars, vrules, height):
    """Characters of one baseline cut into lines: at a table rule or at a wide gap."""
    chars.sort(key=lambda c: c.x0)
    out, cur = [], []
    for c in chars:
        if cur:
            prev = cur[-1]
            gap = c.x0 - prev.x1
            base = height - prev.matrix[5]
            if gap > 1.5 * prev.size or _crosses(vrules, prev.x1, c.x0, base):
                out.append(cur)
                cur = []
        cur.append(c)
    if cur:
        out.append(cur)
    lines = []
    for seg in out:
        text, last = "", None
        for c in seg:
            if last is not None and c.x0 - last.x1 > 0.15 * c.size and not text.endswith(" ") \
                    and c.get_text() != " ":
                text += " "
            text += c.get_text()
            last = c
        text = text.replace("\u00a0", " ").strip()
        if not text:
            continue
        visible = [c for c in seg if not c.get_text().isspace()]
        bold = sum("Bold" in c.fontname for c in visible) > len(visible) / 2
        size = max(c.size for c in seg)
        top = min(height - c.y1 for c in seg)
        bottom = max(height - c.y0 for c in seg)
        lines.append(Line(text, seg[0].x0, seg[-1].x1, top, bottom, size, bold))
    return lines


def read_pdf(path):
    pages = []
    with open(path, "rb") as f:
        doc = PDFDocument(PDFParser(f))
        rm = PDFResourceManager(caching=True)
        dev = PDFPageAggregator(rm, laparams=None)
        interp = PDFPageInterpreter(rm, dev)
        for n, pdfpage in enumerate(PDFPage.create_pages(doc), 1):
            interp.process_page(pdfpage)
            lt = dev.get_result()
            height = lt.y1 - lt.y0
            page = Page(n, lt.x1 - lt.x0, height)
            objects = list(lt)
            page.hrules, page.vrules = _rules(objects, height)
            by_base = {}
            for o in objects:
                if isinstance(o, LTChar):
                    by_base.setdefault(round(o.matrix[5] * 2) / 2, []).append(o)
            for chars in by_base.values():
                page.lines.extend(_segments(chars, page.vrules, height))
            page.lines.sort(key=lambda l: (l.top, l.x0))
            # The page number (digits alone in the top or bottom margin) is not the page's text.
            page.lines = [l for l in page.lines
                          if not (l.text.isdigit() and (l.bottom < 62 or l.top > height - 45))]
            pages.append(page)
    return pages


def _overlap(a, b):
    return min(a.x1, b.x1) - max(a.x0, b.x0)


def _below(page, line):
    """The next line under `line` in its column, or None."""
    best = None
    for m in page.lines:
        if m.top > line.top + 1 and _overlap(line, m) > 1 and (best is None or m.top < best.top):
            best = m
    return best


def _adjacent(line, nxt):
    return nxt is not None and nxt.top - line.top < 1.7 * line.size


def _hyphenated(line):
    t = line.text
    return len(t) >= 2 and t[-1] in HYPHENS and LETTER.match(t[-2]) is not None


def _letters(s):
    return re.sub(r"[^A-Za-zА-Яа-яЁё]", "", s)


def _signature_marks(page, text_width):
    """Signature lines and date blanks standing in narrow cells (not blanks inside a running
    paragraph, such as a passport's series and number)."""
    return [l for l in page.lines if ("________" in l.text or "«___»" in l.text)
            and l.x1 - l.x0 < 0.5 * text_width]


def _in_signature(page, line, marks, text_width):
    if line in marks or line.text.startswith("Исполнитель"):
        return True
    for u in marks:
        if u.top - 6 * u.size <= line.top <= u.bottom + 0.5 * u.size and _overlap(line, u) <= 0 \
                and line.x1 - line.x0 < 0.6 * text_width:
            return True
        if line.bold and line.text.endswith(":") and 0 < u.top - line.top < 4 * u.size:
            return True
    return False


class Names:
    """Protected words: people's surnames, names, patronymics and organisations' short names,
    matched in any case form (a shared stem)."""

    def __init__(self, words):
        self.stems = set()
        for w in words:
            if w.isupper():
                continue  # abbreviations are never hyphenated
            w = _letters(w).lower()
            if len(w) < 3:
                continue
            # every case form: a final vowel and the letter before it go ("аграрный" ->
            # "аграрн", "Оксана" -> "окса"), a final consonant stays ("Ермаков")
            if w[-1] in "аеёиоуыэюяйь":
                w = w[:max(4, len(w) - 2)]
            self.stems.add(w)

    def match(self, word):
        w = _letters(word).lower()
        if len(w) < 4:
            return False
        return any(w.startswith(s) and len(w) <= len(s) + 5 for s in self.stems)


def names_of(nastavnik, sample):
    """Every person's surname, name and patronymic and every organisation's short name the
    description holds (from `nastavnik dump`)."""
    r = subprocess.run([nastavnik, "dump", sample], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("dump %s failed: %s" % (sample, r.stderr))
    words = set()

    def walk(v):
        if isinstance(v, dict):
            for key in ("surname", "name", "patronymic"):
                if key in v and "surname" in v and isinstance(v[key], str):
                    words.add(v[key])
            if isinstance(v.get("short_name"), str):
                # the proper-name part: words in quotes and capitalised words
                short = v["short_name"]
                quoted = " ".join(q for q in short.split("«")[1:])
                words.update(quoted.replace("»", " ").split())
                words.update(w for w in short.replace("«", " ").split() if w[:1].isupper())
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    walk(json.loads(r.stdout))
    return words


def _protected(joined, names):
    w = _letters(joined)
    lw = w.lower()
    if names.match(w):
        return "имя или название"
    if any(lw.startswith(m) for m in MONTHS) and len(lw) <= 9:
        return "месяц"
    if re.search(r"\d", joined) or "@" in joined or "://" in joined:
        return "число, адрес или телефон"
    return None


def check_pages(pages, names):
    problems = []
    last = len(pages)
    for page in pages:
        body = page.lines
        if not body:
            continue
        left = min(l.x0 for l in body)
        right = max(l.x1 for l in body)
        text_width = max(right - left, 1)
        marks = _signature_marks(page, text_width)
        # lonely
        if page.number > 1:
            if all(_in_signature(page, l, marks, text_width) for l in body) and marks:
                problems.append(("lonely", page.number, "только подписи: " + " | ".join(l.text for l in body)[:120]))
            elif all(l.bold for l in body):
                problems.append(("lonely", page.number, "только заголовок: " + " | ".join(l.text for l in body)[:120]))
        # foot-heading: a full page ending in bold lines
        lowest = max(body, key=lambda l: l.bottom)
        if page.number < last and lowest.bold and lowest.bottom > page.height - 57 - 4 * lowest.size - 30:
            foot = [l for l in body if l.bottom > lowest.top - 0.5 * lowest.size]
            # one bold piece across the line: a heading or a stage row (a totals row of several
            # bold cells ends its table)
            if all(l.bold for l in foot) and len(foot) == 1 and not all(l.bold for l in body):
                problems.append(("foot-heading", page.number, lowest.text[:80]))
        for line in body:
            if not _hyphenated(line):
                continue
            nxt = _below(page, line)
            if nxt is None or not _adjacent(line, nxt):
                if page.number < last and nxt is None:
                    problems.append(("page-hyphen", page.number, line.text[-40:]))
                continue
            joined = line.text.split()[-1][:-1] + nxt.text.split()[0]
            why = _protected(joined, names)
            if line.bold:
                why = why or "заголовок"
            elif _in_signature(page, line, marks, text_width):
                why = why or "подпись"
            if why:
                problems.append(("name-hyphen", page.number, "%s: %s / %s" % (why, line.text.split()[-1], nxt.text.split()[0])))
        # e-mails and addresses cut without a hyphen
        for line in body:
            tail = line.text.split()[-1] if line.text.split() else ""
            if ("@" in tail or "://" in tail) and not re.search(r"@[\w.-]+\.\w{2,}[,;.)]?$|://\S+\.\w{2,}\S*$", tail):
                problems.append(("name-hyphen", page.number, "адрес разорван: " + tail))
        # hyphen-run
        seen = set()
        for line in body:
            if id(line) in seen or not _hyphenated(line):
                continue
            run, cur = [line], line
            while True:
                nxt = _below(page, cur)
                if not _adjacent(cur, nxt) or not _hyphenated(nxt):
                    break
                run.append(nxt)
                cur = nxt
            for l in run:
                seen.add(id(l))
            if len(run) > 2:
                problems.append(("hyphen-run", page.number, "%d строки подряд: %s" % (len(run), " / ".join(l.text.split()[-1] for l in run))))
    problems += _row_splits(pages)
    return problems


def _table_bands(page):
    """Row bands of the table at the page's top: (top, bottom, lines) between the rules that
    start at the table's left edge, and the x of the first column's right rule."""
    if not page.vrules or not page.hrules:
        return None, None
    table_left = min(x for x, _, _ in page.vrules)
    ys = sorted({round(y, 1) for x0, x1, y in page.hrules if abs(x0 - table_left) < 2.5})
    bands = []
    for a, b in zip(ys, ys[1:]):
        if b - a < 3:
            continue
        lines = [l for l in page.lines if a < (l.top + l.bottom) / 2 < b]
        mid = (a + b) / 2
        xs = sorted({round(x, 1) for x, y0, y1 in page.vrules if y0 - 1 <= mid <= y1 + 1})
        col1 = xs[1] if len(xs) > 1 else None
        bands.append((a, b, lines, col1))
    return bands, table_left


def _tops(lines):
    tops = []
    for l in sorted(lines, key=lambda l: l.top):
        if not tops or l.top - tops[-1] > 0.5 * l.size:
            tops.append(l.top)
    return len(tops)


def _row_splits(pages):
    problems = []
    for p, q in zip(pages, pages[1:]):
        bp, _ = _table_bands(p)
        bq, _ = _table_bands(q)
        if not bp or not bq:
            continue
        body_q = [b for b in bq if b[2] and not all(l.bold for l in b[2])]
        body_p = [b for b in bp if b[2]]
        if not body_q or not body_p:
            continue
        # q's table must start at its top: nothing but bold header rows above its first body band
        first = body_q[0]
        above = [l for l in q.lines if l.bottom <= first[0] + 1]
        if any(not l.bold for l in above):
            continue
        col1 = first[3]
        if col1 is None:
            continue
        number = " ".join(l.text for l in first[2] if l.x1 <= col1 + 1)
        continued = "прод" in number or any("(продолжение)" in l.text for l in first[2])
        if number.strip() and not continued:
            continue  # a new row
        last = body_p[-1]
        if all(l.bold for l in last[2]):
            continue
        # a sub-row of an item (below a rule inside the item's band) started at the foot with
        # a single line
        inner = [y for x0, x1, y in p.hrules if last[0] + 1 < y < last[1] - 1]
        if inner:
            tail = _tops([l for l in last[2] if l.top > max(inner)])
            if tail == 1:
                problems.append(("row-split", p.number, "обрывок строки таблицы (1 строка внизу): %s"
                                 % [l.text for l in last[2] if l.top > max(inner)][0][:50]))
                continue
        # the repeated number and title of a continued item are not the row's lines
        repeated = [l for l in first[2] if l.x1 <= col1 + 1 or "прод" in l.text]
        a, b = _tops(last[2]), _tops([l for l in first[2] if l not in repeated])
        if a + b <= 6:
            problems.append(("row-split", p.number, "строка в %d строк разорвана (%d + %d): %s" % (a + b, a, b, last[2][0].text[:50])))
        elif min(a, b) < 2:
            problems.append(("row-split", p.number, "обрывок строки таблицы (%d + %d): %s" % (a, b, last[2][0].text[:50])))
    return problems


def table_hyphens(pages):
    """Hyphenated lines inside tables (between a table's top and bottom rules)."""
    count = 0
    for page in pages:
        if not page.hrules:
            continue
        top = min(y for _, _, y in page.hrules)
        bottom = max(y for _, _, y in page.hrules)
        count += sum(1 for l in page.lines if _hyphenated(l) and top < l.top < bottom)
    return count


if __name__ == "__main__":
    pages = read_pdf(sys.argv[1])
    for problem in check_pages(pages, Names(sys.argv[2:])):
        print(*problem, sep="\t")
