#!/usr/bin/env python3
"""Every page of every document of every sample, checked as a typesetter would
(pagecheck.py says what is checked), and the roadmaps measured against what main made before
the keep rules, the hyphenation policy and the content-sized columns (commit 8b75d44).

usage: pages_test.py NASTAVNIK OUTDIR
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
# Descriptions of this test's own: a six-column roadmap like the one the page rules were asked for.
FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")
SAMPLES += sorted(os.path.join(FIXTURES, f) for f in os.listdir(FIXTURES) if f.endswith(".lua"))

# The roadmap of every sample on main at 8b75d44: pages, hyphenated lines in its table.
BEFORE = {
    "boguchany-school-4": (4, 39),
    "lyceum-2": (3, 29),
    "sosnovsky-district": (3, 32),
    "sosnovsky-district/КГБПОУ «Сосновский аграрный техникум»": (2, 21),
    "sosnovsky-district/МБОУ «Сосновская СОШ № 1»": (2, 9),
    "sosnovsky-district/МБОУ «Сосновский лицей»": (2, 22),
    "sosnovsky-district/МКОУ «Кедровская ООШ»": (1, 5),
    "tashtagol-district": (3, 16),
    "ustyany-municipality": (7, 104),
    "six-columns": (3, 72),  # tests/pages/fixtures, laid out by main at 8b75d44
}


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    r = subprocess.run([NASTAVNIK, "build", *SAMPLES, "-o", OUT], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("build failed (%d):\n%s" % (r.returncode, r.stderr[-2000:]))
    failures = collections.Counter()
    examples = collections.defaultdict(list)
    consents = consents_one_page = 0
    measured = {}
    for sample in SAMPLES:
        stem = os.path.basename(sample)[:-4]
        names = pagecheck.Names(pagecheck.names_of(NASTAVNIK, sample))
        for root, _, files in sorted(os.walk(os.path.join(OUT, stem))):
            for f in sorted(files):
                if not f.endswith(".pdf"):
                    continue
                path = os.path.join(root, f)
                pages = pagecheck.read_pdf(path)
                rel = os.path.relpath(path, OUT)
                for kind, page, detail in pagecheck.check_pages(pages, names):
                    failures[kind] += 1
                    examples[kind].append("%s, с. %d: %s" % (rel, page, detail))
                if f.startswith("Согласие на обработку"):
                    consents += 1
                    consents_one_page += len(pages) == 1
                if f == "Дорожная карта.pdf":
                    measured[os.path.relpath(root, OUT).replace("\u00a0", " ")] = (len(pages), pagecheck.table_hyphens(pages))
    ok = True
    print("Проверки страниц (нарушений):")
    for kind in ("lonely", "foot-heading", "page-hyphen", "name-hyphen", "hyphen-run", "row-split"):
        print("  %-13s %d" % (kind, failures[kind]))
        for e in examples[kind][:8]:
            print("      " + e)
        ok = ok and failures[kind] == 0
    print("Согласия на обработку данных на одной странице: %d из %d" % (consents_one_page, consents))
    ok = ok and consents == consents_one_page and consents > 0
    print("Дорожные карты: страниц было -> стало, строк с переносом в таблице было -> стало")
    for key in sorted(BEFORE):
        pages_before, hyph_before = BEFORE[key]
        pages_now, hyph_now = measured.get(key, (None, None))
        good = pages_now is not None and pages_now <= pages_before and hyph_now * 2 <= hyph_before
        print("  %-60s %d -> %s, %d -> %s %s" % (key, pages_before, pages_now, hyph_before, hyph_now,
                                                 "ok" if good else "FAIL"))
        ok = ok and good
    for key in sorted(set(measured) - set(BEFORE)):
        print("  %-60s %d pages, %d hyphenated lines in the table (no earlier measure)" % ((key,) + measured[key]))
    print("ok" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
