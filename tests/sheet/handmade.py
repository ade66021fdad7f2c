"""Spreadsheets written by hand, XML byte by byte: the smallest XLSX and ODS a reader must take.

No office program wrote them, so they use what Excel may write and the big writers avoid:
inline strings with rich-text runs, the 1904 date system, formulas with cached values, Excel's
_x000D_ escapes, hidden rows. The zip entries carry a fixed date, so the same rows give the
same bytes (the fixtures made from them can be committed and made again).

A cell is: None, str, int/float, datetime.date, Rich([(text, bold), ...]), Formula(text, value)
(value None: never calculated), or Error("#N/A").
"""
import datetime
import zipfile
from xml.sax.saxutils import escape

FIXED_DATE = (2024, 1, 1, 0, 0, 0)


class Rich:
    def __init__(self, runs):
        self.runs = runs


class Formula:
    def __init__(self, text, value):
        self.text, self.value = text, value


class Error:
    def __init__(self, text):
        self.text = text


def column_letters(n):
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def write_zip(path, parts, stored_first=None):
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts:
            info = zipfile.ZipInfo(name, FIXED_DATE)
            info.compress_type = zipfile.ZIP_STORED if name == stored_first else zipfile.ZIP_DEFLATED
            z.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)


def excel_escape(text):
    """Excel writes a carriage return as _x000D_."""
    return text.replace("\n", "_x000D_\n")


def serial(date, date1904):
    base = datetime.date(1904, 1, 1) if date1904 else datetime.date(1899, 12, 30)
    return (date - base).days


def xlsx(path, lists, date1904=False, merged=None, hidden_rows=None):
    """lists: [(name, rows)], rows a list of lists of cells (row 1 first).
    merged: {list name: ["A4:A5", ...]}; hidden_rows: {list name: [5, ...]}."""
    merged, hidden_rows = merged or {}, hidden_rows or {}
    sheets, rels, entries = [], [], []
    for i, (name, rows) in enumerate(lists, 1):
        xml_rows = []
        for r, row in enumerate(rows, 1):
            cells = []
            for c, v in enumerate(row, 1):
                ref = f"{column_letters(c)}{r}"
                if v is None:
                    continue
                if isinstance(v, Rich):
                    runs = "".join(
                        f'<r>{"<rPr><b/></rPr>" if bold else ""}<t xml:space="preserve">{escape(excel_escape(t))}</t></r>'
                        for t, bold in v.runs)
                    cells.append(f'<c r="{ref}" t="inlineStr"><is>{runs}<rPh sb="0" eb="1"><t>фонетика</t></rPh></is></c>')
                elif isinstance(v, str):
                    cells.append(f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(excel_escape(v))}</t></is></c>')
                elif isinstance(v, datetime.date):
                    cells.append(f'<c r="{ref}" s="1"><v>{serial(v, date1904)}</v></c>')
                elif isinstance(v, Formula):
                    value = "" if v.value is None else f"<v>{v.value}</v>"
                    cells.append(f'<c r="{ref}"><f>{escape(v.text)}</f>{value}</c>')
                elif isinstance(v, Error):
                    cells.append(f'<c r="{ref}" t="e"><f>1/0</f><v>{escape(v.text)}</v></c>')
                else:
                    cells.append(f'<c r="{ref}"><v>{v}</v></c>')
            hidden = ' hidden="1"' if r in hidden_rows.get(name, []) else ""
            xml_rows.append(f'<row r="{r}"{hidden}>{"".join(cells)}</row>')
        merge = ""
        if merged.get(name):
            merge = f'<mergeCells count="{len(merged[name])}">' + "".join(
                f'<mergeCell ref="{m}"/>' for m in merged[name]) + "</mergeCells>"
        entries.append((f"xl/worksheets/sheet{i}.xml",
                        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                        f'<sheetData>{"".join(xml_rows)}</sheetData>{merge}</worksheet>'))
        sheets.append(f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>')
        rels.append(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>')
    n = len(lists)
    system = ' date1904="1"' if date1904 else ""
    rels.append(f'<Relationship Id="rId{n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>')
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, n + 1))
    parts = [
        ("[Content_Types].xml",
         '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
         '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
         '<Default Extension="xml" ContentType="application/xml"/>'
         '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
         '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
         f'{overrides}</Types>'),
        ("_rels/.rels",
         '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
         '</Relationships>'),
        ("xl/workbook.xml",
         '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
         'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
         f'<workbookPr{system}/><sheets>{"".join(sheets)}</sheets></workbook>'),
        ("xl/_rels/workbook.xml.rels",
         '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         f'{"".join(rels)}</Relationships>'),
        ("xl/styles.xml",
         '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
         '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
         '<numFmts count="1"><numFmt numFmtId="164" formatCode="[$-419]DD\\.MM\\.YYYY"/></numFmts>'
         '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
         '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
         '<borders count="1"><border/></borders>'
         '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
         '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
         '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
         '</styleSheet>'),
    ] + entries
    write_zip(path, parts)


def ods(path, lists, merged=None, hidden_rows=None):
    """The same rows as an ODF spreadsheet (merged: {list: [(row, col, rows, cols)]})."""
    merged, hidden_rows = merged or {}, hidden_rows or {}
    tables = []
    for name, rows in lists:
        spans = {(r, c): (nr, nc) for r, c, nr, nc in merged.get(name, [])}
        covered = set()
        for (r, c), (nr, nc) in spans.items():
            for i in range(nr):
                for j in range(nc):
                    if i or j:
                        covered.add((r + i, c + j))
        xml_rows = []
        for r, row in enumerate(rows, 1):
            cells = []
            for c, v in enumerate(row, 1):
                if (r, c) in covered:
                    cells.append("<table:covered-table-cell/>")
                    continue
                span = ""
                if (r, c) in spans:
                    nr, nc = spans[(r, c)]
                    span = f' table:number-rows-spanned="{nr}" table:number-columns-spanned="{nc}"'
                if v is None:
                    cells.append(f"<table:table-cell{span}/>")
                elif isinstance(v, datetime.date):
                    cells.append(f'<table:table-cell{span} office:value-type="date" office:date-value="{v.isoformat()}">'
                                 f'<text:p>{v.strftime("%d.%m.%Y")}</text:p></table:table-cell>')
                elif isinstance(v, (int, float)):
                    cells.append(f'<table:table-cell{span} office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>')
                else:
                    text = "".join(t for t, _ in v.runs) if isinstance(v, Rich) else v
                    paras = "".join(f"<text:p>{escape(line)}</text:p>" for line in text.split("\n"))
                    cells.append(f'<table:table-cell{span} office:value-type="string">{paras}</table:table-cell>')
            # the empty cells LibreOffice writes to the end of a row, as one repeated cell
            cells.append('<table:table-cell table:number-columns-repeated="1016"/>')
            visibility = ' table:visibility="collapsed"' if r in hidden_rows.get(name, []) else ""
            xml_rows.append(f'<table:table-row{visibility}>{"".join(cells)}</table:table-row>')
        xml_rows.append('<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
                        'table:number-columns-repeated="1024"/></table:table-row>')
        tables.append(f'<table:table table:name="{escape(name)}">'
                      '<table:table-column table:number-columns-repeated="1024"/>'
                      f'{"".join(xml_rows)}</table:table>')
    content = ('<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
               f'<office:body><office:spreadsheet>{"".join(tables)}</office:spreadsheet></office:body>'
               '</office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '</manifest:manifest>')
    write_zip(path, [("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
                     ("content.xml", content), ("META-INF/manifest.xml", manifest)], stored_first="mimetype")


def csv(path, rows, encoding="cp1251", delimiter=";"):
    """Rows as Russian Excel saves «CSV (разделители — точки с запятой)»."""
    def field(v):
        if v is None:
            return ""
        if isinstance(v, datetime.date):
            return v.strftime("%d.%m.%Y")
        if isinstance(v, Rich):
            v = "".join(t for t, _ in v.runs)
        v = str(v)
        if any(ch in v for ch in (delimiter, '"', "\n")):
            v = '"' + v.replace('"', '""') + '"'
        return v
    text = "\r\n".join(delimiter.join(field(v) for v in row) for row in rows) + "\r\n"
    with open(path, "wb") as f:
        f.write(text.encode(encoding))
