#!/usr/bin/env python3
"""Zips one stock template from its XML sources.

    pack.py OUT.docx|OUT.odt KIND_DIR COMMON_DIR [FRAMES_DIR]

The parts of COMMON_DIR (templates/src/common.docx/ or common.odt/) and KIND_DIR
(templates/src/<kind>.docx/ or <kind>.odt/) go into one package; a part the kind has
replaces the common one. A kind whose folder holds an appendix part (word/appendix.xml,
appendix.xml) is an order: its main part is the order frame FRAMES_DIR/order.docx/
word/document.xml (order.odt/content.xml) — title block, ПРИКАЗЫВАЮ, points, signature,
acquaintance sheet, the same for every order — with the kind's appendix put where the frame
says <!--appendix--> (and, in ODT, its automatic styles where it says <!--appendix-styles-->).
The appendix part is a whole document of its own (so it can be read and checked alone); only
its body goes into the frame. The output is deterministic: entries sorted (ODT: "mimetype" first,
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


MAIN = {"docx": "word/document.xml", "odt": "content.xml"}
APPENDIX = {"docx": "word/appendix.xml", "odt": "appendix.xml"}


def inner(xml, tag):
    """The text between <tag ...> and </tag> (the first of each), or "" without the tag."""
    start = xml.find("<" + tag)
    if start < 0:
        return ""
    start = xml.index(">", start) + 1
    if xml[start - 2] == "/":  # <tag/>
        return ""
    return xml[start:xml.rindex("</" + tag + ">")]


def framed(fmt, frame_path, appendix_path):
    """The order frame with the kind's appendix in it."""
    frame = open(frame_path, encoding="utf-8").read()
    appendix = open(appendix_path, encoding="utf-8").read()
    if "<!--appendix-->" not in frame:
        sys.exit(f"pack.py: {frame_path}: no <!--appendix--> marker")
    if fmt == "docx":
        return frame.replace("<!--appendix-->", inner(appendix, "w:body"))
    frame = frame.replace("<!--appendix-styles-->", inner(appendix, "office:automatic-styles"))
    return frame.replace("<!--appendix-->", inner(appendix, "office:text"))


def pack(out, kind_dir, common_dir, frames_dir=None):
    parts = files_under(common_dir)
    parts.update(files_under(kind_dir))
    odt = out.endswith(".odt")
    fmt = "odt" if odt else "docx"
    contents = {}  # parts made here rather than read from a file
    if APPENDIX[fmt] in parts:
        if not frames_dir:
            sys.exit(f"pack.py: {kind_dir} is an order (it has {APPENDIX[fmt]}): give FRAMES_DIR")
        frame = os.path.join(frames_dir, "order." + fmt, MAIN[fmt])
        contents[MAIN[fmt]] = framed(fmt, frame, parts.pop(APPENDIX[fmt])).encode("utf-8")
        parts[MAIN[fmt]] = frame
    first = ["mimetype"] if odt else ["[Content_Types].xml"]
    missing = [n for n in first if n not in parts]
    if missing:
        sys.exit(f"pack.py: {kind_dir}: no {missing[0]} (neither in the kind nor in {common_dir})")
    order = first + sorted(n for n in parts if n not in first)
    tmp = out + ".tmp"
    with zipfile.ZipFile(tmp, "w") as z:
        for n in order:
            if n in contents:
                data = contents[n]
            else:
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
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    pack(*sys.argv[1:])
