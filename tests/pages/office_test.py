#!/usr/bin/env python3
"""The page checks of pagecheck.py on what LibreOffice makes of the DOCX and the ODT: one
document of each kind (the first `build` writes of it across the samples), converted to PDF by
soffice and checked page by page as our own PDFs are.

Asserted is what the formats carry and LibreOffice reads: no short row split (w:cantSplit and
fo:keep-together on the stock templates' rows and on the rows of table values the layout calls
short), and in the ODT never more than two hyphenated lines in a row (fo:hyphenation-ladder-count).
The other checks are run and printed: LibreOffice 7.4 keeps no table row with the next one, has
no rule against a hyphen at a page's foot, reads w:consecutiveHyphenLimit of a DOCX not at all,
and breaks an e-mail after its own hyphen. Names, numbers and the organisations' words in running
text are set apart as text of no language (generator/template/whole.c), which it does not
hyphenate.
"""
import collections
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pagecheck  # noqa: E402

NASTAVNIK, OUT = sys.argv[1], sys.argv[2]
SAMPLES = sorted(os.path.join("samples", f) for f in os.listdir("samples") if f.endswith(".lua"))

# A document's kind from its file name (build names files after the kind).
KINDS = [
    ("Дорожная карта", "roadmap"), ("Приказ об утверждении дорожной карты", "order-roadmap"),
    ("Приказ о закреплении", "order-pairs"), ("Приказ о назначении куратора", "order-curator"),
    ("Приказ об утверждении Положения", "order-regulation"), ("План", "plan"),
    ("Согласие на обработку", "consent-data"), ("Согласие наставника", "consent-mentor"),
    ("Отчёт о выполнении", "roadmap-report"), ("Методическая копилка", "practices"),
    ("Мониторинг", "monitoring"),
]


# Checks the formats carry, by format: asserted.
ASSERTED = {"odt": {"hyphen-run", "row-split"}, "docx": {"row-split"}}


def kind_of(name):
    for prefix, kind in KINDS:
        if name.startswith(prefix):
            return kind
    return None


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    built = sys.argv[3] if len(sys.argv) > 3 else OUT
    if built == OUT:
        r = subprocess.run([NASTAVNIK, "build", *SAMPLES, "-o", OUT], capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit("build failed (%d):\n%s" % (r.returncode, r.stderr[-2000:]))
    chosen = {}
    for sample in SAMPLES:
        stem = os.path.basename(sample)[:-4]
        for root, _, files in sorted(os.walk(os.path.join(built, stem))):
            for f in sorted(files):
                kind = kind_of(f)
                if f.endswith(".docx") and kind and kind not in chosen:
                    chosen[kind] = (sample, os.path.join(root, f[:-5]))
    convert = os.path.join(OUT, "converted")
    profile = "-env:UserInstallation=file://%s/lo-profile" % os.path.abspath(OUT)
    failures = collections.Counter()
    for fmt in ("docx", "odt"):
        work = os.path.join(convert, fmt)
        os.makedirs(work, exist_ok=True)
        inputs = []
        for kind, (_, base) in sorted(chosen.items()):
            copy = os.path.join(work, kind + "." + fmt)
            shutil.copy(base + "." + fmt, copy)
            inputs.append(copy)
        subprocess.run(["soffice", "--headless", profile, "--convert-to", "pdf", "--outdir", work, *inputs],
                       capture_output=True, timeout=600)
        for kind, (sample, _) in sorted(chosen.items()):
            pdf = os.path.join(work, kind + ".pdf")
            if not os.path.exists(pdf):
                failures[(fmt, "conversion", True)] += 1
                print("FAIL %s.%s: LibreOffice made no PDF" % (kind, fmt))
                continue
            names = pagecheck.Names(pagecheck.names_of(NASTAVNIK, sample))
            problems = pagecheck.check_pages(pagecheck.read_pdf(pdf), names)
            for check, page, detail in problems:
                asserted = check in ASSERTED[fmt]
                failures[(fmt, check, asserted)] += 1
                print("%s %s.%s, с. %d: %s: %s" % ("FAIL" if asserted else "note", kind, fmt, page, check, detail))
            if not problems:
                print("ok   %s.%s" % (kind, fmt))
    print("kinds checked: %d of %d" % (len(chosen), len(KINDS)))
    for (fmt, check, asserted), n in sorted(failures.items()):
        print("  %-5s %-12s %d%s" % (fmt, check, n, "" if asserted else " (printed, not asserted)"))
    bad = {k: n for k, n in failures.items() if k[2]}
    ok = not bad and len(chosen) == len(KINDS)
    print("ok" if ok else "FAIL: " + ", ".join("%s %s %d" % (k[0], k[1], n) for k, n in sorted(bad.items())))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
