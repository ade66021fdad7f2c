#!/usr/bin/env python3
"""make_bench.py OUT_DIR: writes the benchmark's inputs.

  roadmap.docx        a roadmap-like template in docxtemplater syntax (nastavnik and
                      docxtemplater fill the same file)
  roadmap-jinja.docx  the same document with docxtpl's Jinja tags ({{ }}, {%tr for %})
  view.json / view.lua  the same data: an organisation, a header and 40 roadmap rows

The letterhead, a title, a 7-column table (one loop row) and a signature block; tag text split
across runs in a few places, as Word leaves it.
"""
import json
import os
import sys
import zipfile

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def run(text, bold=False, size=None):
    rpr = ""
    if bold or size:
        rpr = "<w:rPr>" + ("<w:b/>" if bold else "") + (f'<w:sz w:val="{size}"/>' if size else "") + "</w:rPr>"
    return f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'


def para(*runs, jc=None):
    ppr = f'<w:pPr><w:jc w:val="{jc}"/></w:pPr>' if jc else ""
    return f"<w:p>{ppr}{''.join(runs)}</w:p>"


def cell(content, width):
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{content}</w:tc>'


COLS = [("№", "n", 500), ("Мероприятие", "title", 2600), ("Содержание", "content", 4200),
        ("Сроки", "period", 1300), ("Ответственный", "responsible", 1800),
        ("Результат", "result", 2200), ("Отметка", "mark", 1100)]


def document(style):
    """style: 'dt' (docxtemplater syntax) or 'jinja' (docxtpl)."""
    v = (lambda e: "{" + e + "}") if style == "dt" else (lambda e: "{{ " + e + " }}")
    body = []
    body.append(para(run(v("org.full_name"), bold=True), jc="center"))
    body.append(para(run(v("org.address")), jc="center"))
    body.append(para(run("УТВЕРЖДАЮ"), jc="right"))
    if style == "dt":  # split like Word does: proofing marks and a bold letter
        body.append(para(run("Директор {org.he"), '<w:proofErr w:type="spellStart"/>',
                         run("a", bold=True), '<w:proofErr w:type="spellEnd"/>',
                         run("d.position} ____ {org.head.short}"), jc="right"))
    else:
        body.append(para(run("Директор {{ org.head.position }} ____ {{ org.head.short }}"), jc="right"))
    body.append(para(run("Приказ от " + v("order.date") + " № " + v("order.number")), jc="right"))
    body.append(para(run("ДОРОЖНАЯ КАРТА", bold=True, size=28), jc="center"))
    body.append(para(run("реализации программы наставничества на " + v("year") + " учебный год"), jc="center"))
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for _, _, w in COLS)
    rows = ["<w:tr>" + "".join(cell(para(run(h, bold=True)), w) for h, _, w in COLS) + "</w:tr>"]
    cells = []
    for i, (_, key, w) in enumerate(COLS):
        if style == "dt":
            text = ("{#rows}" if i == 0 else "") + "{" + key + "}" + ("{/rows}" if i == len(COLS) - 1 else "")
        else:
            text = "{{ r." + key + " }}"
        cells.append(cell(para(run(text)), w))
    if style == "jinja":
        rows.append("<w:tr>" + cell(para(run("{%tr for r in rows %}")), COLS[0][2]) + "</w:tr>")
    rows.append("<w:tr>" + "".join(cells) + "</w:tr>")
    if style == "jinja":
        rows.append("<w:tr>" + cell(para(run("{%tr endfor %}")), COLS[0][2]) + "</w:tr>")
    body.append('<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>'
                f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>")
    body.append(para(run("Ответственный за программу: " + v("curator.name") + ", " + v("curator.position"))))
    body.append(para(run("Согласовано на педагогическом совете, протокол № " + v("council.number") +
                         " от " + v("council.date"))))
    body.append('<w:sectPr><w:pgSz w:w="16838" w:h="11906" w:orient="landscape"/>'
                '<w:pgMar w:top="851" w:right="851" w:bottom="851" w:left="851" w:header="709" w:footer="709" w:gutter="0"/></w:sectPr>')
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f"<w:document {W}><w:body>{''.join(body)}</w:body></w:document>")


CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      '<Default Extension="xml" ContentType="application/xml"/>'
      '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
      '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
      "</Types>")
RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
        "</Relationships>")
DOC_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
            "</Relationships>")
STYLES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          f"<w:styles {W}><w:docDefaults><w:rPrDefault><w:rPr>"
          '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"/>'
          '<w:sz w:val="24"/><w:lang w:val="ru-RU"/></w:rPr></w:rPrDefault></w:docDefaults>'
          '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
          '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders>'
          + "".join(f'<w:{s} w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
                    for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
          + "</w:tblBorders></w:tblPr></w:style></w:styles>")


def write_docx(path, doc):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CT)
        z.writestr("_rels/.rels", RELS)
        z.writestr("word/_rels/document.xml.rels", DOC_RELS)
        z.writestr("word/styles.xml", STYLES)
        z.writestr("word/document.xml", doc)


def view():
    months = ["сентябрь", "октябрь", "ноябрь", "декабрь", "январь", "февраль", "март", "апрель",
              "май", "июнь"]
    rows = []
    for i in range(40):
        rows.append({
            "n": f"{i + 1}.",
            "title": f"Мероприятие {i + 1}: встреча наставнической пары «учитель — учитель»",
            "content": "Организация работы наставнических пар: встреча-знакомство, пробная "
                       "встреча, встреча-планирование; анализ затруднений & план на месяц",
            "period": months[i % 10] + " 2024 г.",
            "responsible": "Петрова А. С., заместитель директора по УВР",
            "result": "Составлен индивидуальный план развития <ИПР>, протокол встречи",
            "mark": "выполнено" if i % 3 else "",
        })
    return {
        "org": {"full_name": "Муниципальное бюджетное общеобразовательное учреждение "
                             "«Средняя общеобразовательная школа № 1» г. Энска",
                "address": "ул. Ленина, д. 1, г. Энск, 123456",
                "head": {"position": "МБОУ СОШ № 1", "short": "М. П. Иванова"}},
        "order": {"date": "02.09.2024", "number": "390"},
        "year": "2024/2025",
        "rows": rows,
        "curator": {"name": "Петрова Анна Сергеевна", "position": "заместитель директора по УВР"},
        "council": {"number": "1", "date": "30.08.2024"},
    }


def lua_value(v, indent=""):
    if isinstance(v, dict):
        inner = indent + "  "
        return "{\n" + "".join(f"{inner}{k} = {lua_value(x, inner)},\n" for k, x in v.items()) + indent + "}"
    if isinstance(v, list):
        inner = indent + "  "
        return "{\n" + "".join(f"{inner}{lua_value(x, inner)},\n" for x in v) + indent + "}"
    return json.dumps(v, ensure_ascii=False)  # a JSON string is a valid Lua string here


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    write_docx(os.path.join(out, "roadmap.docx"), document("dt"))
    write_docx(os.path.join(out, "roadmap-jinja.docx"), document("jinja"))
    data = view()
    with open(os.path.join(out, "view.json"), "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False)
    with open(os.path.join(out, "view.lua"), "w", encoding="utf-8") as f:
        f.write("return " + lua_value(data) + "\n")


if __name__ == "__main__":
    main()
