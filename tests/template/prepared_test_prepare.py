"""Two templates of the same size (stored, not deflated) that differ in one word, old enough
for prepared.c to trust a stat() that gives what it gave when they were read: their last
change more than SETTLED_SECONDS (3 s) before (see the comment at the top of prepared.c).
prepared_test.lua fills one, replaces it by the other and expects the other's word."""
import os
import time
import zipfile

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                 '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 '<Default Extension="xml" ContentType="application/xml"/>'
                 '<Override PartName="/word/document.xml" ContentType='
                 '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>')


def docx(path, word):
    body = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {W}><w:body>'
            f'<w:p><w:r><w:t>{word}: {{name}}</w:t></w:r></w:p></w:body></w:document>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        for name, data in (("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", RELS),
                           ("word/document.xml", body)):
            z.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), data)


def prepare(fixtures):
    paths = [os.path.join(fixtures, name) for name in ("settled-first.docx", "settled-second.docx")]
    docx(paths[0], "Имя")
    docx(paths[1], "Фам")
    if os.path.getsize(paths[0]) != os.path.getsize(paths[1]):
        raise SystemExit("prepared_test_prepare: the two templates differ in size")
    changed = max(max(os.stat(p).st_ctime, os.stat(p).st_mtime) for p in paths)
    time.sleep(max(0.0, int(changed) + 4.05 - time.time()))  # (a wait, not a measure of time)
