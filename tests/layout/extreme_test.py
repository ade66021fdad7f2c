#!/usr/bin/env python3
"""Nothing is cut silently: every marker character of the extreme documents (extreme.lua: a
12,000-character word, fifty columns, a cell taller than a page) is in the PDF's text.

usage: extreme_test.py PDF_DRIVER TESTS_LAYOUT_DIR OUTDIR
"""
import collections
import os
import shutil
import subprocess
import sys

DRIVER, HERE, OUT = sys.argv[1:4]
shutil.rmtree(OUT, ignore_errors=True)
os.makedirs(OUT)
r = subprocess.run([DRIVER, os.path.join(HERE, "extreme.lua"), OUT], capture_output=True, text=True)
if r.returncode != 0:
    sys.exit("extreme.lua failed:\n" + r.stdout + r.stderr)
failures = 0
for name in sorted(f[:-4] for f in os.listdir(OUT) if f.endswith(".pdf")):
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", os.path.join(OUT, name + ".pdf"), "-"],
                          capture_output=True, text=True).stdout
    have = collections.Counter(text)
    for line in open(os.path.join(OUT, name + ".txt"), encoding="utf-8"):
        ch, n = line.split()
        ok = have[ch] == int(n)
        failures += not ok
        print("%s %s: «%s» %d of %s" % ("ok  " if ok else "FAIL", name, ch, have[ch], n))
sys.exit(1 if failures else 0)
