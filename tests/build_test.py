#!/usr/bin/env python3
"""nastavnik build: the whole paperwork of every sample in PDF, DOCX and ODT.

Every planned document is there in the three formats; each PDF says its kind's key words
(pdftotext) and each DOCX and ODT holds them in its XML; what is not made is only what the
descriptions lack (best practices), and says why.
"""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile

binary = sys.argv[1]
failures = []
# Words each kind must say (its `says`), and the names its documents start with: every kind the
# generator finds in scripts/documents/ (`nastavnik kinds`).
KINDS = json.loads(subprocess.run([binary, "kinds"], capture_output=True, text=True).stdout)


def kind_of(base):
    """The kind whose file name the document's name starts with (the longest such)."""
    name = os.path.basename(base)
    found = [k for k in KINDS if name.startswith(k["file_name"])]
    return max(found, key=lambda k: len(k["file_name"])) if found else None


def norm(text):
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("-\n", ""))


def xml_text(path):
    with zipfile.ZipFile(path) as z:
        part = "word/document.xml" if path.endswith(".docx") else "content.xml"
        return norm(re.sub(r"<[^>]+>", "", z.read(part).decode("utf-8")))


with tempfile.TemporaryDirectory() as out:
    samples = sorted(glob.glob("samples/*.lua"))
    r = subprocess.run([binary, "build", *samples, "-o", out], capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        failures.append(f"build exited {r.returncode}: {r.stderr[-2000:]}")
    announced = re.findall(r"^\[\s*\d+/\d+\] (.*) \(pdf, docx, odt(?:, xlsx, ods)?\)$", r.stdout, re.M)
    if len(announced) < 150:
        failures.append(f"only {len(announced)} documents announced in all three formats:\n{r.stdout[-2000:]}")
    not_made = r.stdout.split("Не сделано:", 1)[1] if "Не сделано:" in r.stdout else ""
    for line in filter(None, (l.strip() for l in not_made.splitlines())):
        if "нет практик наставничества" not in line:
            failures.append(f"not made for a reason the samples do not explain: {line}")
    for sample in samples:
        name = os.path.basename(sample)[:-4]
        if not any(a.startswith(os.path.join(out, name) + "/") for a in announced):
            failures.append(f"{sample}: nothing built")
    for base in announced:
        kind = kind_of(base)
        if kind is None:
            failures.append(f"{base}: a document of no known kind")
            continue
        pdf = norm(subprocess.run(["pdftotext", "-enc", "UTF-8", base + ".pdf", "-"],
                                  capture_output=True, text=True).stdout)
        texts = {"pdf": pdf, "docx": xml_text(base + ".docx"), "odt": xml_text(base + ".odt")}
        for fmt, text in texts.items():
            for word in kind["says"]:
                # a compound may break at its own hyphen, which the join above takes out
                if word.lower() not in text.lower() and word.replace("-", "").lower() not in text.lower():
                    failures.append(f"{base}.{fmt}: lacks «{word}»")
    print(f"build: {len(announced)} documents checked in 3 formats")

for f in failures[:40]:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
