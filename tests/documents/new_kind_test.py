#!/usr/bin/env python3
"""A new document kind is one Lua file plus its two templates, and nothing else.

In a temporary copy of the source tree the test adds a throwaway kind — an order thanking
the mentors, order kind "thanks" — as scripts/documents/order-thanks.lua and its appendix parts
templates/src/order-thanks.docx/word/appendix.xml and order-thanks.odt/appendix.xml (the shared
order frame does the rest), touching no other file. Then, with that copy's scripts and the
templates its build packs (the `templates` target only):
* `nastavnik kinds` and `--help` list the kind;
* `check` accepts an order { kind = "thanks" } (validation learned the order kind from the new
  file) and still refuses an unknown kind, naming the new one among those there are;
* `build` makes the order in PDF, DOCX and ODT, with the frame's head, ПРИКАЗЫВАЮ, the
  signature and the acquaintance sheet.

Usage: new_kind_test.py NASTAVNIK CMAKE   (from the top of the source tree)
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

binary, cmake = os.path.abspath(sys.argv[1]), sys.argv[2]
failures = []

KIND = '''-- A throwaway kind for the test: an order thanking the mentors of the pairs.
local order = require "documents.order"

local kind = { kind = "order-thanks", title = "Приказ об объявлении благодарности наставникам",
  folder = "Приказы", file_name = "Приказ об объявлении благодарности наставникам", for_municipality = false,
  position = 45, says = { "ПРИКАЗ", "Объявить благодарность" },
  order_kind = "thanks", order_kind_title = "об объявлении благодарности" }

function kind.draft() return false end

function kind.instances(model, options) return order.instances(kind, model, options) end

function kind.view(model, options)
  local org, the_order = order.subject(kind, model, options)
  if not org then return nil, the_order end
  local named, names = {}, {}
  for _, pair in ipairs(org.pairs or {}) do
    for _, m in ipairs(pair.mentors) do
      named[#named + 1] = m
      names[#names + 1] = m.full
    end
  end
  return order.view(org, { order = the_order or nil, kind = "thanks", default_title = "Об объявлении благодарности",
    preamble = "За добросовестную работу наставников в " .. org.short_name,
    points = { { text = "Объявить благодарность наставникам: " .. table.concat(names, ", ") .. "." } },
    people = named })
end

function kind.pdf(view) return order.pdf(view, function() return {} end) end

return kind
'''

DOCX = '''<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<w:body>
</w:body>
</w:document>
'''
ODT = '''<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3"><office:automatic-styles>
</office:automatic-styles><office:body><office:text>
</office:text></office:body></office:document-content>
'''

SCHOOL = '''return organisation {
  full_name = "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 9»",
  short_name = "МБОУ «СШ № 9»",
  people = {
    person { "Пенкин Александр Николаевич", post = "директор" },
    person { "Иванова Мария Петровна", post = "учитель математики" },
    person { "Петров Сергей Сергеевич", class = "7 «А»", minor = true },
  },
  head = "Пенкин А.Н.",
  orders = {
    order { number = "150", date = "12.09.2025", kind = "pairs", title = "О закреплении наставнических пар" },
    order { number = "201", date = "29.05.2026", kind = "thanks", title = "Об объявлении благодарности наставникам" },
  },
  pairs = {
    pair { form = "учитель–ученик", mentor = "Иванова М.П.", mentee = "Петров С.С.", from = "15.09.2025", to = "29.05.2026" },
  },
}
'''


def run(*args, env=None):
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=300, env=env)


with tempfile.TemporaryDirectory() as work:
    tree = os.path.join(work, "tree")
    ignore = shutil.ignore_patterns("__pycache__")
    for part in ("scripts", "templates", "fonts"):
        shutil.copytree(part, os.path.join(tree, part), ignore=ignore)
    before = {os.path.relpath(os.path.join(d, f), tree) for d, _, fs in os.walk(tree) for f in fs}

    # The new kind: one Lua file and its two templates.
    with open(os.path.join(tree, "scripts/documents/order-thanks.lua"), "w", encoding="utf-8") as f:
        f.write(KIND)
    os.makedirs(os.path.join(tree, "templates/src/order-thanks.docx/word"))
    os.makedirs(os.path.join(tree, "templates/src/order-thanks.odt"))
    with open(os.path.join(tree, "templates/src/order-thanks.docx/word/appendix.xml"), "w", encoding="utf-8") as f:
        f.write(DOCX)
    with open(os.path.join(tree, "templates/src/order-thanks.odt/appendix.xml"), "w", encoding="utf-8") as f:
        f.write(ODT)
    after = {os.path.relpath(os.path.join(d, f), tree) for d, _, fs in os.walk(tree) for f in fs}
    added = sorted(after - before)
    if added != ["scripts/documents/order-thanks.lua", "templates/src/order-thanks.docx/word/appendix.xml",
                 "templates/src/order-thanks.odt/appendix.xml"]:
        failures.append(f"the new kind took more than its three files: {added}")

    # The templates the build packs: templates/CMakeLists.txt alone, in a project of its own.
    with open(os.path.join(work, "CMakeLists.txt"), "w") as f:
        f.write("cmake_minimum_required(VERSION 3.16)\nproject(templates_only NONE)\n"
                f"add_subdirectory({os.path.join(tree, 'templates')} templates_src)\n")
    built = os.path.join(work, "built")
    r = subprocess.run([cmake, "-S", work, "-B", built], capture_output=True, text=True, timeout=300)
    if r.returncode == 0:
        r = subprocess.run([cmake, "--build", built, "--target", "templates"], capture_output=True, text=True,
                           timeout=300)
    if r.returncode != 0:
        sys.exit(f"packing the templates failed:\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
    templates = os.path.join(built, "templates")
    for fmt in ("docx", "odt"):
        if not os.path.exists(os.path.join(templates, f"order-thanks.{fmt}")):
            failures.append(f"the build did not pack order-thanks.{fmt}: {sorted(os.listdir(templates))}")

    env = dict(os.environ, NASTAVNIK_SCRIPTS=os.path.join(tree, "scripts"), NASTAVNIK_TEMPLATES=templates,
               NASTAVNIK_FONTS=os.path.join(tree, "fonts"))
    listed = [k["kind"] for k in json.loads(run("kinds", env=env).stdout)]
    if "order-thanks" not in listed:
        failures.append(f"nastavnik kinds does not list the new kind: {listed}")
    if "order-thanks" not in run("--help", env=env).stdout:
        failures.append("--help does not list the new kind")

    school = os.path.join(work, "school.lua")
    with open(school, "w", encoding="utf-8") as f:
        f.write(SCHOOL)
    r = run("check", school, env=env)
    if r.returncode != 0:
        failures.append(f"check does not know the order kind «thanks»: {r.stderr.strip()}")
    with open(school, "w", encoding="utf-8") as f:
        f.write(SCHOOL.replace('kind = "thanks"', 'kind = "thank"'))
    r = run("check", school, env=env)
    if r.returncode != 1 or "может быть, «thanks»?" not in r.stderr:
        failures.append(f"an unknown order kind is not refused with the new one suggested: {r.stderr.strip()}")
    with open(school, "w", encoding="utf-8") as f:
        f.write(SCHOOL)

    out = os.path.join(work, "out")
    r = run("build", school, "-o", out, env=env)
    base = os.path.join(out, "school", "Приказы", "Приказ об объявлении благодарности наставникам № 201 от 29.05.2026")
    if r.returncode != 0:
        failures.append(f"build failed: {r.stderr.strip()}")
    for fmt in ("pdf", "docx", "odt"):
        if not os.path.exists(base + "." + fmt):
            failures.append(f"build made no {fmt} of the new kind:\n{r.stdout}")
    if os.path.exists(base + ".pdf"):
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", base + ".pdf", "-"], capture_output=True,
                              text=True).stdout
        for must in ("ПРИКАЗ", "ПРИКАЗЫВАЮ:", "Объявить благодарность наставникам: Иванова Мария Петровна",
                     "Лист ознакомления", "А.Н. Пенкин"):
            if must not in text.replace("\u00a0", " "):
                failures.append(f"the new kind's PDF lacks «{must}»")
    for fmt, part in (("docx", "word/document.xml"), ("odt", "content.xml")):
        if os.path.exists(base + "." + fmt):
            with zipfile.ZipFile(base + "." + fmt) as z:
                xml = z.read(part).decode("utf-8")
            # (the text of the paragraphs: a name or a capitalised word stands in a run of its own)
            text = re.sub(r"<[^>]+>", "", xml)
            for must in ("ПРИКАЗЫВАЮ:", "Объявить благодарность наставникам", "Лист ознакомления"):
                if must not in text:
                    failures.append(f"the new kind's {fmt} lacks «{must}»")

for f in failures:
    print("FAIL:", f)
print("a new kind is one Lua file and its two templates" if not failures else f"{len(failures)} problem(s)")
sys.exit(1 if failures else 0)
