#!/usr/bin/env python3
"""Zips every tests/template/fixtures/<name>/ into OUT/<name>.docx or OUT/<name>.odt.

A fixture folder holds only the parts it is about (word/document.xml, content.xml, ...); the
rest comes from _docx_base/ or _odt_base/ (a fixture with content.xml is an ODT). The sources
stay readable XML in git; the packages are made at test time.
"""
import os
import sys
import zipfile


def files_under(root):
    out = {}
    for dirpath, _, names in os.walk(root):
        for n in names:
            full = os.path.join(dirpath, n)
            out[os.path.relpath(full, root).replace(os.sep, "/")] = full
    return out


def build(fixtures, name, out_dir):
    own = files_under(os.path.join(fixtures, name))
    odt = "content.xml" in own
    base = files_under(os.path.join(fixtures, "_odt_base" if odt else "_docx_base"))
    base.update(own)
    path = os.path.join(out_dir, name + (".odt" if odt else ".docx"))
    first = ["mimetype"] if odt else ["[Content_Types].xml"]
    order = [n for n in first if n in base] + sorted(n for n in base if n not in first)
    with zipfile.ZipFile(path, "w") as z:
        for n in order:
            data = open(base[n], "rb").read()
            # .rels entries STORED and the rest deflated at level 1: a copy that went through
            # inflate/deflate would come out deflated at another level; a raw copy keeps both.
            stored = n == "mimetype" or n.endswith(".rels")
            method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            z.writestr(zipfile.ZipInfo(n, (2024, 9, 1, 12, 0, 0)), data, compress_type=method,
                       compresslevel=1)
    return path


def main():
    main_args(sys.argv[1], sys.argv[2])


def main_args(fixtures, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    for name in sorted(os.listdir(fixtures)):
        if name.startswith("_") or not os.path.isdir(os.path.join(fixtures, name)):
            continue
        build(fixtures, name, out_dir)


if __name__ == "__main__":
    main()
