#!/usr/bin/env python3
"""schema_rules.py FILE...: the rules of OOXML and ODF that the template engine's output must keep.

ODT: every element of an ODF namespace may only hold the children and attributes ODF 1.2's
schema allows, and must have its required attributes — odfpy's grammar (odf.grammar, made from
the schema; Debian's python3-odf) is the table.

DOCX: the ECMA-376 schemas are not in Debian, so the rules of what the engine writes are
checked one by one: a table has a grid and rows with cells; a cell, a header, a footer, a note,
a comment and a text box end with a paragraph; two tables never touch; the body's section
properties come last, and a paragraph's only in the body; the children of w:pPr, w:rPr, w:tcPr,
w:tblPr and w:sectPr come in the schema's order; text lies only in w:t; drawing ids (wp:docPr)
are unique across the package; bookmark names and ids are unique and each end has its start.
Used by run.py on every document a template test writes.
"""
import sys
import zipfile
import xml.etree.ElementTree as ET

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"

# CT_PPrBase, CT_RPr (EG_RPrBase), CT_TcPr, CT_TblPr, CT_SectPr: element order (ECMA-376 Part 1)
ORDER = {
    "pPr": ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
            "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
            "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
            "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
            "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
            "sectPr", "pPrChange"],
    "rPr": ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
            "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
            "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
            "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath", "rPrChange"],
    "tcPr": ["cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
             "textDirection", "tcFitText", "vAlign", "hideMark", "headers", "cellIns", "cellDel",
             "cellMerge", "tcPrChange"],
    "tblPr": ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
              "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd",
              "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription", "tblPrChange"],
    "sectPr": ["headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
               "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote",
               "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange"],
}
MUST_END_WITH_P = {"tc", "hdr", "ftr", "footnote", "endnote", "comment", "txbxContent"}
RANGE = {"bookmarkStart", "bookmarkEnd", "commentRangeStart", "commentRangeEnd", "permStart", "permEnd",
         "proofErr", "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd"}


def local(tag):
    return tag.split("}", 1)[1] if tag.startswith(W) else None


def check_docx_part(name, root, problems, ids):
    parent_of = {c: p for p in root.iter() for c in p}
    for e in root.iter():
        tag = local(e.tag)
        if tag is None:
            if e.tag == WP + "docPr":
                i = e.get("id")
                if i in ids["docPr"]:
                    problems.append(f"{name}: wp:docPr id {i} repeated")
                ids["docPr"].add(i)
            continue
        kids = [local(c.tag) for c in e if local(c.tag) is not None]
        if tag in ORDER:
            order = ORDER[tag]
            pos = [order.index(k) for k in kids if k in order]
            if pos != sorted(pos):
                problems.append(f"{name}: w:{tag} children out of the schema's order: {kids}")
        if tag in MUST_END_WITH_P:
            blocks = [k for k in kids if k not in ("tcPr",)]
            if not blocks or blocks[-1] != "p":
                problems.append(f"{name}: w:{tag} does not end with a paragraph: {blocks[-3:]}")
        if tag == "tbl":
            if "tblGrid" not in kids or "tr" not in kids:
                problems.append(f"{name}: w:tbl without a grid or rows")
        if tag == "tr" and "tc" not in kids and "sdt" not in kids:
            problems.append(f"{name}: w:tr without cells")
        if tag in ("body", "tc", "hdr", "ftr", "txbxContent", "comment", "footnote", "endnote"):
            blocks = [k for k in kids if k not in RANGE]
            for a, b in zip(blocks, blocks[1:]):
                if a == "tbl" and b == "tbl":
                    problems.append(f"{name}: two tables touch in w:{tag}")
            if tag == "body":
                if "sectPr" in kids and kids[-1] != "sectPr":
                    problems.append(f"{name}: the body's w:sectPr is not last")
                if blocks and blocks[-1] == "tbl" or (len(blocks) > 1 and blocks[-1] == "sectPr" and blocks[-2] == "tbl"):
                    problems.append(f"{name}: the body ends with a table")
        if tag == "sectPr":
            p = parent_of.get(e)
            if p is not None and local(p.tag) == "pPr":
                para = parent_of.get(p)
                holder = parent_of.get(para)
                if holder is None or local(holder.tag) != "body":
                    problems.append(f"{name}: a section break in a paragraph outside the body")
        if tag in ("r", "p") and (e.text or "").strip():
            problems.append(f"{name}: text directly in w:{tag}: {e.text!r}")
        if tag == "bookmarkStart":
            n, i = e.get(W + "name"), e.get(W + "id")
            if n in ids["names"]:
                problems.append(f"{name}: bookmark name {n} repeated")
            if i in ids["bm"]:
                problems.append(f"{name}: bookmark id {i} repeated")
            ids["names"].add(n)
            ids["bm"].add(i)
        if tag == "bookmarkEnd" and e.get(W + "id") not in ids["bm"]:
            problems.append(f"{name}: bookmarkEnd {e.get(W + 'id')} without its start")


def check_docx(path):
    problems = []
    ids = {"docPr": set()}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if not name.startswith("word/") or not name.endswith(".xml") or "/" in name[5:]:
                continue
            root = ET.fromstring(z.read(name))
            ids["names"], ids["bm"] = set(), set()
            check_docx_part(name, root, problems, ids)
    return problems


def check_odt(path):
    from odf import grammar
    problems = []
    odf_ns = {ns for ns, _ in grammar.allowed_children}
    with zipfile.ZipFile(path) as z:
        for name in ("content.xml", "styles.xml"):
            if name not in z.namelist():
                continue
            root = ET.fromstring(z.read(name))
            for e in root.iter():
                if not e.tag.startswith("{"):
                    continue
                ns, tag = e.tag[1:].split("}", 1)
                qname = (ns, tag)
                if ns not in odf_ns:
                    continue
                allowed = grammar.allowed_children.get(qname, ())
                for c in e:
                    if not c.tag.startswith("{"):
                        continue
                    cns, ctag = c.tag[1:].split("}", 1)
                    if cns in odf_ns and allowed is not None and (cns, ctag) not in allowed:
                        problems.append(f"{name}: {tag} may not hold {ctag}")
                attrs = grammar.allowed_attributes.get(qname)
                for a in e.attrib:
                    if not a.startswith("{"):
                        continue
                    ans, aname = a[1:].split("}", 1)
                    if attrs is not None and ans in odf_ns and (ans, aname) not in attrs:
                        problems.append(f"{name}: {tag} may not have {aname}")
                for req in grammar.required_attributes.get(qname, ()):
                    if "{%s}%s" % req not in e.attrib:
                        problems.append(f"{name}: {tag} lacks {req[1]}")
    return problems


def check(path):
    return check_docx(path) if path.endswith(".docx") else check_odt(path) if path.endswith(".odt") else []


if __name__ == "__main__":
    bad = 0
    for p in sys.argv[1:]:
        for problem in check(p):
            print(f"{p}: {problem}")
            bad += 1
    sys.exit(1 if bad else 0)
