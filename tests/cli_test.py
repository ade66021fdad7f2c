#!/usr/bin/env python3
"""The command line as a secretary meets it: help, version, exit codes, messages."""
import os
import subprocess
import sys
import tempfile

binary = sys.argv[1]
failures = []


def run(*args):
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=60)


def expect(name, result, code, stdout=None, stderr=None):
    if result.returncode != code:
        failures.append(f"{name}: exit {result.returncode}, expected {code}\n{result.stderr}")
    if stdout is not None and stdout not in result.stdout:
        failures.append(f"{name}: stdout lacks {stdout!r}:\n{result.stdout}")
    if stderr is not None and stderr not in result.stderr:
        failures.append(f"{name}: stderr lacks {stderr!r}:\n{result.stderr}")


expect("help", run("--help"), 0, stdout="Коды завершения")
expect("version", run("--version"), 0, stdout="nastavnik 0.")
expect("no command", run(), 2, stderr="не указана команда")
expect("unknown command", run("chek"), 2, stderr="неизвестная команда «chek»")
expect("check without files", run("check"), 2, stderr="укажите хотя бы один файл")
expect("missing file", run("check", "samples/нет-такого.lua"), 1,
       stderr="samples/нет-такого.lua: не удалось прочитать файл: нет такого файла")
expect("folder instead of file", run("check", "samples"), 1, stderr="это папка, а не файл")

# One good and one bad file: both reported, the worst exit code wins.
both = run("check", "samples/boguchany-school-4.lua", "tests/bad/pair-without-mentor.lua")
expect("good and bad", both, 1, stdout="МКОУ «Богучанская СШ №4»", stderr="не указан наставник")

with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "model.json")
    expect("dump -o", run("dump", "samples/boguchany-school-4.lua", "-o", out), 0)
    if not os.path.exists(out) or '"short_name": "МКОУ «Богучанская СШ №4»"' not in open(out).read():
        failures.append("dump -o: the JSON file lacks the organisation")
    leftovers = [f for f in os.listdir(tmp) if f != "model.json"]
    if leftovers:
        failures.append(f"dump -o left temporary files: {leftovers}")
    # A folder that does not exist: exit 3, the file is named, nothing is created.
    bad_out = os.path.join(tmp, "нет-папки", "model.json")
    expect("unwritable output", run("dump", "samples/boguchany-school-4.lua", "-o", bad_out), 3,
           stderr="не удалось записать файл")
expect("dump -o without file", run("dump", "samples/boguchany-school-4.lua", "-o"), 2)

# nastavnik fill: any DOCX filled with the table a data script returns, its own filters too.
import zipfile
with tempfile.TemporaryDirectory() as tmp:
    template = os.path.join(tmp, "t.docx")
    body = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            '<w:p><w:r><w:t>{org} — {date|date_words}, {head|initials}, {x|shout}</w:t></w:r></w:p>'
            '</w:body></w:document>')
    with zipfile.ZipFile(template, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", body)
    data = os.path.join(tmp, "data.lua")
    with open(data, "w") as f:
        f.write('return { org = "МБОУ «СШ № 1» & <Ко>", date = "2023-09-04", '
                'head = "Пенкин Александр Николаевич", x = "тихо" }, '
                '{ shout = function(v) return v .. "!" end }\n')
    out = os.path.join(tmp, "out.docx")
    expect("fill", run("fill", template, data, "-o", out), 0)
    text = zipfile.ZipFile(out).read("word/document.xml").decode() if os.path.exists(out) else ""
    if "МБОУ «СШ № 1» &amp; &lt;Ко&gt; — 4\u00a0сентября 2023\u00a0г., А.Н.\u00a0Пенкин, тихо!" not in text:
        failures.append(f"fill: the filled XML lacks the values:\n{text}")
    # A filter nobody defined: exit 1, the template and the tag named, nothing written.
    with open(data, "w") as f:
        f.write('return { org = "x", date = "2023-09-04", head = "Пенкин А Н", x = "y" }\n')
    out2 = os.path.join(tmp, "out2.docx")
    expect("fill unknown filter", run("fill", template, data, "-o", out2), 1, stderr="shout")
    if os.path.exists(out2):
        failures.append("fill unknown filter: a file was written")
    expect("fill data not a table", run("fill", template, os.path.join(tmp, "nope.lua"), "-o", out2), 1,
           stderr="не удалось прочитать файл")

# The report on the roadmap as of a date: what the curator wrote wins; the deadline alone never
# says "просрочено" (nobody marked it: "нет отметки").
r = run("view", "tests/cli/report-states.lua", "roadmap-report", "--date", "15.11.2023")
expect("report --date", r, 0)
if r.returncode == 0:
    import json
    rows = [(row.get("number"), row["state"], row["comment"].replace("\u00a0", " "))
            for row in json.loads(r.stdout)["rows"]]
    want = [("1", "выполнено", ""), ("2", "нет отметки", "две пары не сформированы"),
            ("3", "срок не истёк", ""), ("4", "срок не наступил", "")]
    if rows != want:
        failures.append(f"report --date: rows {rows}, expected {want}")
expect("report bad date", run("view", "tests/cli/report-states.lua", "roadmap-report",
                              "--date", "31.02.2024"), 1, stderr="31.02.2024")

# Another font by configuration (fonts/fonts.lua, or the folder NASTAVNIK_FONTS names).
with tempfile.TemporaryDirectory() as tmp:
    lib = "/usr/share/fonts/truetype/liberation2/LiberationSans"
    with open(os.path.join(tmp, "fonts.lua"), "w") as f:
        f.write(f'return {{ regular = "{lib}-Regular.ttf", bold = "{lib}-Bold.ttf", '
                f'italic = "{lib}-Italic.ttf", bold_italic = "{lib}-BoldItalic.ttf" }}\n')
    out = os.path.join(tmp, "order.pdf")
    env = dict(os.environ, NASTAVNIK_FONTS=tmp)
    r = subprocess.run([binary, "pdf", "samples/boguchany-school-4.lua", "order-roadmap", "-o", out],
                       capture_output=True, text=True, env=env, timeout=60)
    fonts = subprocess.run(["pdffonts", out], capture_output=True, text=True).stdout if r.returncode == 0 else ""
    if "LiberationSans" not in fonts or "LiberationSerif" in fonts:
        failures.append(f"font configuration: the PDF does not use Liberation Sans:\n{r.stderr}{fonts}")
    with open(os.path.join(tmp, "fonts.lua"), "w") as f:
        f.write('return { regular = "нет-такого.ttf" }\n')
    r = subprocess.run([binary, "pdf", "samples/boguchany-school-4.lua", "order-roadmap", "-o", out + "2"],
                       capture_output=True, text=True, env=env, timeout=60)
    if r.returncode == 0 or "fonts.lua" not in r.stderr or os.path.exists(out + "2"):
        failures.append(f"broken font configuration: exit {r.returncode}, {r.stderr!r}")

# The contents of the best-practices collection give the page each practice starts on.
import re
with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "practices.pdf")
    expect("practices pdf", run("pdf", "samples/sosnovsky-district.lua", "practices", "-o", out), 0)
    def page_text(n):
        return subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", str(n), "-l", str(n), out, "-"],
                              capture_output=True, text=True).stdout
    contents = page_text(2)
    entries = re.findall(r"(?m)^(\d+)\s*$", contents)  # the page column, one number a line
    pages = [int(n) for n in entries if int(n) > 2]
    if len(pages) < 3:
        failures.append(f"practices: no page numbers in the contents:\n{contents}")
    for number, page in enumerate(pages, 1):
        if not page_text(page).replace("\n", " ").split(" ", 1)[-1].lstrip().startswith(f"{number}. "):
            failures.append(f"practices: practice {number} is not on page {page}")

# A description whose file name holds «№ 1»: every message names that very file (the model's
# typography binds «№» to its number in document text, never in the places it keeps), and
# a remark's suggested code keeps its straight quotes.
with tempfile.TemporaryDirectory() as tmp:
    named = os.path.join(tmp, "школа № 1.lua")
    with open("tests/bad/roadmap-cell-without-column.lua", encoding="utf-8") as src, \
            open(named, "w", encoding="utf-8") as dst:
        dst.write(src.read())
    r = run("check", named)
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    if not lines or any(not line.startswith(named + ":") for line in lines):
        failures.append(f"check «школа № 1.lua»: a message names another path:\n{r.stderr}")
    if '{ "content", "Содержание деятельности" }' not in r.stderr:
        failures.append(f"check «школа № 1.lua»: the remark's code lost its quotes:\n{r.stderr}")

for f in failures:
    print("FAIL:", f)
print("cli: all checks ok" if not failures else f"cli: {len(failures)} problem(s)")
sys.exit(1 if failures else 0)
