#!/usr/bin/env python3
"""Zips one stock template from its XML sources.

    pack.py OUT.docx|OUT.odt KIND_DIR COMMON_DIR

The parts of COMMON_DIR (templates/src/common.docx/ or common.odt/) and KIND_DIR
(templates/src/<kind>.docx/ or <kind>.odt/) go into one package; a part the kind has
replaces the common one. The output is deterministic: entries sorted (ODT: "mimetype" first,
STORED, without extra field; DOCX: "[Content_Types].xml" first), a fixed timestamp, fixed
permissions, deflate level 9. It is written to a temporary name and renamed, so a failed run
leaves no half package behind.
"""
import os
import sys
import zipfile

STAMP = (2024, 1, 1, 0, 0, 0)


def files_under(root):
    out = {}
    for dirpath, dirnames, names in os.walk(root):
        dirnames.sort()
        for n in names:
            if n in (".gitkeep", ".DS_Store") or n.endswith("~") or n.endswith(".swp"):
                continue  # not parts: placeholders, editor backups
            full = os.path.join(dirpath, n)
            out[os.path.relpath(full, root).replace(os.sep, "/")] = full
    return out


def pack(out, kind_dir, common_dir):
    parts = files_under(common_dir)
    parts.update(files_under(kind_dir))
    odt = out.endswith(".odt")
    first = ["mimetype"] if odt else ["[Content_Types].xml"]
    missing = [n for n in first if n not in parts]
    if missing:
        sys.exit(f"pack.py: {kind_dir}: no {missing[0]} (neither in the kind nor in {common_dir})")
    order = first + sorted(n for n in parts if n not in first)
    tmp = out + ".tmp"
    with zipfile.ZipFile(tmp, "w") as z:
        for n in order:
            with open(parts[n], "rb") as f:
                data = f.read()
            if n == "mimetype":
                data = data.strip()  # no newline: readers compare the bytes
            info = zipfile.ZipInfo(n, STAMP)
            info.create_system = 3  # Unix
            info.external_attr = 0o644 << 16
            stored = n == "mimetype"
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            z.writestr(info, data, compresslevel=None if stored else 9)
    os.replace(tmp, out)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    pack(*sys.argv[1:])
