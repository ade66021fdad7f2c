#!/usr/bin/env python3
"""The stock template packages the build makes (templates/CMakeLists.txt, pack.py).

    package_test.py NASTAVNIK TEMPLATES_SOURCE_DIR BUILT_TEMPLATES_DIR WORK_DIR

Every kind the generator finds (`nastavnik kinds`) has src/<kind>.docx/word/document.xml and
src/<kind>.odt/content.xml (an order: word/appendix.xml and appendix.xml, put into the order
frame src/frames/order.*), every src/<kind>.docx folder is a kind, and a built <kind>.docx and <kind>.odt that: python-docx / odfpy
open; whose XML parts are well-formed; whose entries are sorted ("[Content_Types].xml" /
"mimetype" first), dated 1980-or-later fixed stamps; whose ODT "mimetype" is first, STORED,
without extra field and says application/vnd.oasis.opendocument.text; and that pack.py makes
again byte for byte (the output is deterministic).
"""
import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
import xml.dom.minidom

binary, src_root, built, work = sys.argv[1:5]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
failures = []


def fail(what):
    failures.append(what)
    print("FAIL:", what)


listing = json.loads(subprocess.run([binary, "kinds"], capture_output=True).stdout)
kinds = [k["kind"] for k in listing]
orders = {k["kind"] for k in listing if k.get("order_kind")}
if len(kinds) < 11:
    fail(f"the generator finds {len(kinds)} kinds")
folders = {d[:-5] for d in os.listdir(os.path.join(src_root, "src")) if d.endswith(".docx")} - {"common"}
if folders != set(kinds):
    fail(f"template folders without a kind: {sorted(folders - set(kinds))}; kinds without templates: "
         f"{sorted(set(kinds) - folders)}")

for kind in kinds:
    for fmt, part, appendix in (("docx", "word/document.xml", "word/appendix.xml"), ("odt", "content.xml", "appendix.xml")):
        source = os.path.join(src_root, "src", f"{kind}.{fmt}", appendix if kind in orders else part)
        if not os.path.exists(source):
            fail(f"{kind}.{fmt}: no source part {source}")
        path = os.path.join(built, f"{kind}.{fmt}")
        if not os.path.exists(path):
            fail(f"{kind}.{fmt}: not built ({path})")
            continue
        try:
            if fmt == "docx":
                import docx
                docx.Document(path)
            else:
                from odf import opendocument
                opendocument.load(path)
        except Exception as e:  # noqa: BLE001
            fail(f"{kind}.{fmt}: cannot be opened: {e!r}")
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            names = [i.filename for i in infos]
            first = "mimetype" if fmt == "odt" else "[Content_Types].xml"
            if names[0] != first or names[1:] != sorted(names[1:]):
                fail(f"{kind}.{fmt}: entries not in order ({first} first, then sorted): {names}")
            if len({i.date_time for i in infos}) != 1:
                fail(f"{kind}.{fmt}: entries carry different timestamps")
            if fmt == "odt":
                m = infos[0]
                if m.compress_type != zipfile.ZIP_STORED or m.extra or \
                        z.read("mimetype") != b"application/vnd.oasis.opendocument.text":
                    fail(f"{kind}.odt: 'mimetype' is not STORED, without extra field, with the ODT media type")
            for n in names:
                if n.endswith(".xml") or n.endswith(".rels"):
                    try:
                        xml.dom.minidom.parseString(z.read(n))
                    except Exception as e:  # noqa: BLE001
                        fail(f"{kind}.{fmt}: {n} is not well-formed: {e}")
        again = os.path.join(work, f"{kind}.{fmt}")
        r = subprocess.run([sys.executable, os.path.join(src_root, "pack.py"), again,
                            os.path.join(src_root, "src", f"{kind}.{fmt}"), os.path.join(src_root, "src", f"common.{fmt}"),
                            os.path.join(src_root, "src", "frames")],
                           capture_output=True)
        if r.returncode != 0:
            fail(f"{kind}.{fmt}: pack.py failed: {r.stderr.decode()}")
        elif not filecmp.cmp(path, again, shallow=False):
            fail(f"{kind}.{fmt}: packing again gives other bytes (the build is stale or pack.py is not deterministic)")

if failures:
    print(f"{len(failures)} failure(s)")
    sys.exit(1)
print(f"ok: {len(kinds)} kinds, DOCX and ODT")
