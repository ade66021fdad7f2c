#!/usr/bin/env python3
"""The stock template packages the build makes (templates/CMakeLists.txt, pack.py).

    package_test.py TEMPLATES_SOURCE_DIR BUILT_TEMPLATES_DIR WORK_DIR

Every kind of scripts/documents/kinds.lua has src/<kind>.docx/word/document.xml and
src/<kind>.odt/content.xml, and a built <kind>.docx and <kind>.odt that: python-docx / odfpy
open; whose XML parts are well-formed; whose entries are sorted ("[Content_Types].xml" /
"mimetype" first), dated 1980-or-later fixed stamps; whose ODT "mimetype" is first, STORED,
without extra field and says application/vnd.oasis.opendocument.text; and that pack.py makes
again byte for byte (the output is deterministic).
"""
import filecmp
import os
import re
import shutil
import subprocess
import sys
import zipfile
import xml.dom.minidom

src_root, built, work = sys.argv[1:4]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
failures = []


def fail(what):
    failures.append(what)
    print("FAIL:", what)


text = open("scripts/documents/kinds.lua", encoding="utf-8").read()
kinds = re.findall(r'"([a-z-]+)"', text[text.index("return"):])
if len(kinds) < 11:
    fail(f"kinds.lua lists {len(kinds)} kinds")

for kind in kinds:
    for fmt, part in (("docx", "word/document.xml"), ("odt", "content.xml")):
        source = os.path.join(src_root, "src", f"{kind}.{fmt}", part)
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
                            os.path.join(src_root, "src", f"{kind}.{fmt}"), os.path.join(src_root, "src", f"common.{fmt}")],
                           capture_output=True)
        if r.returncode != 0:
            fail(f"{kind}.{fmt}: pack.py failed: {r.stderr.decode()}")
        elif not filecmp.cmp(path, again, shallow=False):
            fail(f"{kind}.{fmt}: packing again gives other bytes (the build is stale or pack.py is not deterministic)")

if failures:
    print(f"{len(failures)} failure(s)")
    sys.exit(1)
print(f"ok: {len(kinds)} kinds, DOCX and ODT")
