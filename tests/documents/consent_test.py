#!/usr/bin/env python3
"""The consents a lawyer would accept: every field of 152-ФЗ art. 9 part 4, by its caption.

For an adult participant, a minor without a named parent and a minor whose parent is named:
the consent to processing (consent-data) holds, in its view and in the text of its PDF, DOCX and
ODT, each item of article 9 part 4 —
  1) the subject's name, address, identity document (series and number), issuer and date;
  2) for a minor the representative's name, address, identity document, issuer, date, and the
     document proving the authority (the birth certificate);
  3) the operator's name and address; 4) the purposes; 5) the list of data; 6) who processes on
  the operator's behalf (a line to fill); 7) the actions and ways of processing; 8) the period
  and how to revoke; 9) the signature with "подпись", "расшифровка подписи", "дата" under it —
each line to fill with its caption. The consent to publish (art. 10.1) is made, apart, for the
participants of an organisation that publishes their names on its site, and only there.

Usage: consent_test.py NASTAVNIK   (from the top of the source tree)
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile

binary = sys.argv[1]
failures = []
SOSNOVSKY = "samples/sosnovsky-district.lua"
FIXTURE = "tests/documents/fixtures/school-with-parents.lua"


def run(*args):
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=60)


def flat(s):
    """Letters and digits only: line breaks, hyphenation and spaces vanish."""
    return re.sub(r"[^0-9a-zа-я]", "", s.lower().replace("ё", "е"))


def view(sample, kind, org, item):
    args = ["view", sample, kind, "--item", str(item)] + (["--org", str(org)] if org else [])
    r = run(*args)
    # (texts bind short words by non-breaking spaces, russian.nbsp: compared as spaces)
    return json.loads(r.stdout.replace("\u00a0", " ")) if r.returncode == 0 else None


def texts(sample, kind, org, item, work):
    """The text of the PDF, DOCX and ODT of a document."""
    out = {}
    opts = ["--item", str(item)] + (["--org", str(org)] if org else [])
    for fmt in ("pdf", "docx", "odt"):
        path = os.path.join(work, f"{kind}-{org}-{item}.{fmt}")
        r = run(fmt, sample, kind, *opts, "-o", path)
        if r.returncode != 0:
            failures.append(f"{sample} {kind} {item}: {fmt} failed: {r.stderr.strip()}")
            continue
        if fmt == "pdf":
            out[fmt] = subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], capture_output=True,
                                      text=True).stdout
        else:
            with zipfile.ZipFile(path) as z:
                xml = z.read("word/document.xml" if fmt == "docx" else "content.xml").decode("utf-8")
            out[fmt] = re.sub(r"<[^>]+>", " ", xml)
    return out


def find_item(sample, kind, org, name):
    for i in range(1, 100):
        v = view(sample, kind, org, i)
        if v is None:
            break
        if v["person"]["name"] == name:
            return i, v
    failures.append(f"{sample} {kind}: no document for {name}")
    return None, None


# Captions by the item of art. 9 part 4 they answer.
SUBJECT = ["(фамилия, имя, отчество субъекта персональных данных)",
           "(адрес места жительства субъекта персональных данных)",
           "(основной документ, удостоверяющий личность субъекта персональных данных: вид, серия, номер)",
           "(кем выдан документ)", "(дата выдачи документа)"]
REPRESENTATIVE = ["(фамилия, имя, отчество родителя (законного представителя))",
                  "(адрес места жительства законного представителя)",
                  "(основной документ, удостоверяющий личность законного представителя: вид, серия, номер)",
                  "(кем выдан документ законного представителя)", "(дата выдачи документа законного представителя)",
                  "(документ, подтверждающий полномочия законного представителя: свидетельство о рождении ребёнка "
                  "или акт об опеке — серия, номер, кем и когда выдан)"]
OPERATOR = "(оператор, получающий согласие: наименование, адрес)"
PROCESSOR = "(наименование и адрес лица, которому оператор поручает обработку, — если поручает)"
SIGNATURE = ["(подпись)", "(расшифровка подписи)", "(дата)"]


def check_consent(sample, org, name, minor, operator_words, work):
    item, v = find_item(sample, "consent-data", org, name)
    if v is None:
        return
    where = f"{sample} consent-data {name}"
    captions = [line.get("caption") for line in v["lines"]]
    want = SUBJECT + (REPRESENTATIVE if minor else []) + [OPERATOR]
    for c in want:
        if c not in captions:
            failures.append(f"{where}: no line captioned {c}")
    if not minor and any(c in captions for c in REPRESENTATIVE):
        failures.append(f"{where}: an adult's consent has the representative's lines")
    operator_line = next((line["text"] for line in v["lines"] if line.get("caption") == OPERATOR), "")
    for w in operator_words:  # item 3: the operator's name and address, from the description
        if w not in operator_line:
            failures.append(f"{where}: the operator's line lacks «{w}»")
    p = v["paragraphs"]
    checks = [
        ("item 4 (purposes)", p[2].startswith("Цель обработки:")),
        ("item 5 (list of data)", p[1].startswith("Перечень персональных данных") and len(v["data"]) >= 3),
        ("item 6 (processor)", "по поручению Оператора" in p[4]),
        ("item 7 (actions, ways)", "действия с персональными данными: сбор" in p[3] and "Способы обработки" in p[3]),
        ("item 8 (period, revocation)", "Согласие действует" in p[5] and "может быть отозвано" in p[5]
         and operator_words[-1] in p[5]),
    ]
    for what, ok in checks:
        if not ok:
            failures.append(f"{where}: {what} is not there: {p}")
    if v["processor"]["rows"][1]["cells"][0]["blocks"][0]["runs"][0]["text"] != PROCESSOR:
        failures.append(f"{where}: the processor's line has no caption")
    # Item 9 and every caption in the three outputs.
    for fmt, text in texts(sample, "consent-data", org, item, work).items():
        for c in want + [PROCESSOR] + SIGNATURE:
            if flat(c) not in flat(text):
                failures.append(f"{where} [{fmt}]: lacks the caption {c}")
        if flat("Подпись") not in flat(text) or flat(v["signature"]["name"]) not in flat(text):
            failures.append(f"{where} [{fmt}]: no signature line")
    check_fit(where, v, "consent-data", org, item, work)


def check_fit(where, v, kind, org, item, work):
    """The sizes at which the PDF fits one page (view.fit) are the DOCX's and the ODT's: the body's
    12 pt less fit.size, single spacing times fit.leading."""
    fit = v.get("fit")
    if not fit:
        return
    size = 12 + fit["size"]
    want = {"docx": ['<w:sz w:val="%d"/>' % round(2 * size), 'w:line="%d"' % round(240 * fit["leading"])],
            "odt": ['fo:font-size="%.2fpt"' % size, 'fo:line-height="%.0f%%"' % (100 * fit["leading"])]}
    for fmt, needles in want.items():
        with zipfile.ZipFile(os.path.join(work, f"{kind}-{org}-{item}.{fmt}")) as z:
            xml = z.read("word/document.xml" if fmt == "docx" else "content.xml").decode("utf-8")
        for needle in needles:
            if needle not in xml:
                failures.append(f"{where} [{fmt}]: the size the PDF fits one page with (fit {fit}) is not "
                                f"set: no {needle}")


with tempfile.TemporaryDirectory() as work:
    school_words = ["Муниципальное бюджетное общеобразовательное учреждение «Сосновская средняя "
                    "общеобразовательная школа № 1»", "ул. Школьная, д. 5"]
    check_consent(SOSNOVSKY, 1, "Савельева Галина Михайловна", False, school_words, work)
    check_consent(SOSNOVSKY, 1, "Кузнецов Артём Сергеевич", True, school_words, work)
    # a minor's consent, with the parent's lines, fits one page only shrunk
    if not (view(SOSNOVSKY, "consent-data", 1, find_item(SOSNOVSKY, "consent-data", 1, "Кузнецов Артём Сергеевич")[0])
            or {}).get("fit"):
        failures.append("a minor's consent fits one page without shrinking: the sizes carried to DOCX/ODT are untested")
    check_consent(FIXTURE, None, "Гусев Павел Андреевич", True, ["«Тестовая основная общеобразовательная школа»",
                                                                 "____"], work)

    # The consent to publish: only where the organisation publishes, one per participant.
    v = view(SOSNOVSKY, "consent-publish", 1, 1)
    if v is None:
        failures.append("consent-publish: no consent for the school that publishes (publishes = true)")
    else:
        captions = [line.get("caption") for line in v["lines"]]
        for c in ("(фамилия, имя, отчество субъекта персональных данных)",
                  "(номер телефона, адрес электронной почты или почтовый адрес субъекта персональных данных)",
                  "(оператор: наименование, адрес, ИНН, ОГРН)"):
            if c not in captions:
                failures.append(f"consent-publish: no line captioned {c}")
        form = "\n".join(line["text"] for line in v["lines"])
        for w in ("статьёй 10.1", "https://school1.sosnovka-edu.ru", "ИНН", "ОГРН"):
            if w not in form:
                failures.append(f"consent-publish: lacks «{w}»")
        if "часть 12 статьи 10.1" not in v["paragraphs"][4]:
            failures.append("consent-publish: how it ends (art. 10.1 part 12) is not said")
        for fmt, text in texts(SOSNOVSKY, "consent-publish", 1, 1, work).items():
            for c in SIGNATURE + ["(заполняется субъектом персональных данных по желанию)"]:
                if flat(c) not in flat(text):
                    failures.append(f"consent-publish [{fmt}]: lacks {c}")
    r = run("view", SOSNOVSKY, "consent-publish", "--org", "2")
    if r.returncode != 1 or "publishes" not in r.stderr:
        failures.append(f"consent-publish for a school that does not publish: exit {r.returncode}: {r.stderr.strip()}")


# A build fits each consent as a `view` of it alone does: the step a consent is shrunk by is the
# same whatever the fit tried first (common.fit_one_page tries the step before the last first
# for a minor's consent when the one before took the last step: a build's later consents).
with tempfile.TemporaryDirectory() as work:
    r = run("build", SOSNOVSKY, "-o", work, "--kinds", "consent-data", "--formats", "docx")
    if r.returncode != 0:
        failures.append(f"build --kinds consent-data: exit {r.returncode}: {r.stderr.strip()}")
    docs = {}  # the first organisation's consents, by file name
    for d, _, fs in os.walk(work):
        for f in fs:
            if f.endswith(".docx") and d.endswith(os.path.join("СОШ № 1»", "Согласия")):
                with zipfile.ZipFile(os.path.join(d, f)) as z:
                    docs[f] = z.read("word/document.xml").decode("utf-8")
    fitted, item = 0, 1
    while True:
        v = view(SOSNOVSKY, "consent-data", 1, item)
        if v is None:
            break
        name = "Согласие на обработку персональных данных — " + v["person"]["short"].replace("/", "-")
        xml = docs.get(name + ("docx" if name.endswith(".") else ".docx"))
        fit = v.get("fit")
        if xml is None:
            failures.append(f"build --org 1: no DOCX of consent-data {item} ({name}) among {len(docs)}")
        elif fit:
            fitted += 1
            size = 12 + fit["size"]
            for needle in ('<w:sz w:val="%d"/>' % round(2 * size), 'w:line="%d"' % round(240 * fit["leading"])):
                if needle not in xml:
                    failures.append(f"build: consent-data {item} is not set as its view alone fits it ({fit}): no {needle}")
        item += 1
    if fitted < 2:
        failures.append(f"build: {fitted} consent(s) shrunk to fit: the fit after another's is untested")

for f in failures:
    print("FAIL:", f)
print("consents: every field of 152-ФЗ art. 9 part 4 by its caption" if not failures
      else f"consents: {len(failures)} problem(s)")
sys.exit(1 if failures else 0)
