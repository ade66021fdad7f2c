#!/usr/bin/env python3
"""Every DOCX and ODT of every sample through LibreOffice, checked page by page as
tests/pages/pagecheck.py checks our PDFs: how many names, numbers and addresses LibreOffice
hyphenates (name-hyphen), and how many personal-data consents stay on one page. A measurement
(issue 8: before/after numbers), not a test: about three minutes on two cores.

usage: /usr/bin/python3 bench/pages/office_all.py [build/nastavnik] [WORK_DIR]   (from the top of the tree)
"""
import collections
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "pages"))
import pagecheck  # noqa: E402

BIN = sys.argv[1] if len(sys.argv) > 1 else "build/nastavnik"
WORK = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else "/tmp/nastavnik-office-all")


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    built = os.path.join(WORK, "built")
    samples = sorted(os.path.join("samples", f) for f in os.listdir("samples") if f.endswith(".lua"))
    subprocess.run([BIN, "build", *samples, "-o", built], capture_output=True)
    profile = "-env:UserInstallation=file://%s/lo-profile" % WORK
    counts = collections.Counter()
    for stem in sorted(os.listdir(built)):
        names = pagecheck.Names(pagecheck.names_of(BIN, os.path.join("samples", stem + ".lua")))
        for fmt in ("docx", "odt"):
            files = sorted(os.path.join(root, f) for root, _, fs in os.walk(os.path.join(built, stem))
                           for f in fs if f.endswith("." + fmt))
            work = os.path.join(WORK, "converted", stem, fmt)
            os.makedirs(work)
            copies = []
            for i, f in enumerate(files):
                copies.append(os.path.join(work, "%04d.%s" % (i, fmt)))
                shutil.copy(f, copies[-1])
            for k in range(0, len(copies), 40):
                subprocess.run(["soffice", "--headless", profile, "--convert-to", "pdf", "--outdir", work,
                                *copies[k:k + 40]], capture_output=True, timeout=1200)
            for f, copy in zip(files, copies):
                pdf = copy[:-len(fmt)] + "pdf"
                if not os.path.exists(pdf):
                    counts[(fmt, "not converted")] += 1
                    continue
                pages = pagecheck.read_pdf(pdf)
                if os.path.basename(f).startswith("Согласие на обработку"):
                    counts[(fmt, "consents")] += 1
                    counts[(fmt, "consents on one page")] += len(pages) == 1
                for check, page, detail in pagecheck.check_pages(pages, names):
                    counts[(fmt, check)] += 1
                    if check == "name-hyphen":
                        print("%s %s, с. %d: %s" % (fmt, os.path.relpath(f, built), page, detail))
    for (fmt, what), n in sorted(counts.items()):
        print("%-5s %-22s %d" % (fmt, what, n))


if __name__ == "__main__":
    main()
