#!/usr/bin/env python3
"""split_runs.py DRIVER WORKDIR: the property behind "tags split across runs".

Word cuts text into runs wherever it likes (spell-check marks, revisions, formatting one
letter). So: take the basic fixture, cut its w:t text at random places (inside tags too) into
new runs with a proofing mark and a bold run between, and the ODT fixture the same way with
text:span; every cut version must fill without error to the same paragraph texts as the
uncut template. Deterministic seeds; 60 variants.
"""
import copy
import os
import random
import re
import shutil
import subprocess
import sys
import zipfile

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
import make_fixtures  # noqa: E402

DOCX_CUT = ('</w:t></w:r><w:proofErr w:type="spellStart"/><w:r><w:rPr><w:b/></w:rPr>'
            '<w:t xml:space="preserve">')


def cut(xml, odt, rnd):
    if odt:  # wrap pieces of paragraph text into spans (LibreOffice's way of cutting)
        runs = [m.span(1) for m in re.finditer(r"<text:p(?: [^>]*)?>([^<]+)", xml)]
        for a, b in sorted(rnd.sample(runs, min(len(runs), rnd.randint(1, 12))), reverse=True):
            if b - a < 2:
                continue
            i = rnd.randrange(a, b - 1)
            j = rnd.randrange(i + 1, b)
            xml = xml[:i] + '<text:span text:style-name="T1">' + xml[i:j] + "</text:span>" + xml[j:]
        return xml
    spots = [i for m in re.finditer(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml)
             for i in range(m.start(1) + 1, m.end(1))]
    for i in sorted(rnd.sample(spots, min(len(spots), rnd.randint(1, 30))), reverse=True):
        xml = xml[:i] + DOCX_CUT + xml[i:]
    return xml


def texts(path, part, odt):
    xml = zipfile.ZipFile(path).read(part).decode()
    if odt:
        paras = re.findall(r"<text:[ph][ >].*?</text:[ph]>", xml, re.S)
        brk, tab = "<text:line-break/>", "<text:tab/>"
    else:
        paras = re.findall(r"<w:p[ >].*?</w:p>", xml, re.S)
        brk, tab = "<w:br/>", "<w:tab/>"
    return [re.sub(r"<[^>]+>", "", p.replace(brk, "\n").replace(tab, "\t")) for p in paras]


def main():
    driver, work = sys.argv[1], sys.argv[2]
    shutil.rmtree(work, ignore_errors=True)
    fixtures = os.path.join(work, "fixtures")
    make_fixtures.main_args(os.path.join(here, "fixtures"), fixtures)
    failures = 0
    for name, part, odt in (("basic.docx", "word/document.xml", False),
                            ("odt_basic.odt", "content.xml", True)):
        src = os.path.join(fixtures, name)
        z = zipfile.ZipFile(src)
        xml = z.read(part).decode()
        paths = [src]
        for k in range(30):
            rnd = random.Random(k)
            path = os.path.join(work, f"cut{k}-{name}")
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
                for item in z.infolist():
                    data = cut(xml, odt, rnd).encode() if item.filename == part else z.read(item.filename)
                    out.writestr(copy.copy(item), data)
            paths.append(path)
        r = subprocess.run([driver, os.path.join(here, "split_runs_fill.lua")] + paths)
        if r.returncode != 0:
            print(f"FAIL: {name}: fills failed")
            return 1
        ref = texts(src + ".out", part, odt)
        for path in paths[1:]:
            got = texts(path + ".out", part, odt)
            if got != ref:
                failures += 1
                diff = next(((a, b) for a, b in zip(ref, got) if a != b), (len(ref), len(got)))
                print(f"FAIL: {os.path.basename(path)}: {diff[0]!r} became {diff[1]!r}")
    if failures:
        return 1
    print("ok: 60 cut variants fill to the same text")
    return 0


if __name__ == "__main__":
    sys.exit(main())
