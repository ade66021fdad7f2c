#!/usr/bin/env python3
"""The sample municipality reads one organisation's pairs from an XLSX and another's from an ODS
(samples/sosnovsky/пары-лицей.xlsx, пары-кедровая.ods, made by make-sheets.py); its documents
are byte for byte those of the same pairs written in Lua.

The Lua is written here from the data make-sheets.py made the sheets from: a copy of the
samples where each `pairs = sheet "…"` is replaced by `pairs = { pair { … }, … }`. Both are
built; every PDF must be identical, and so must `nastavnik dump`. The committed sheets must
also be what make-sheets.py makes today (the fixtures are reproducible).

usage: sample_test.py NASTAVNIK WORK_DIR   (run from the top of the repository)
"""
import filecmp
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile

binary, work = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
spec = importlib.util.spec_from_file_location("make_sheets", "samples/sosnovsky/make-sheets.py")
make_sheets = importlib.util.module_from_spec(spec)
spec.loader.exec_module(make_sheets)
failures = []


def lua_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def lua_pairs(pairs):
    out = ["{"]
    for p in pairs:
        fields = [f"form = {lua_string(p['form'])}"]
        if len(p["mentors"]) > 1:
            fields.append("mentors = { " + ", ".join(map(lua_string, p["mentors"])) + " }")
        else:
            fields.append(f"mentor = {lua_string(p['mentors'][0])}")
        if p["kind"] == "group":
            fields.append("mentees = { " + ", ".join(map(lua_string, p["mentees"])) + " }")
        else:
            fields.append(f"mentee = {lua_string(p['mentees'][0])}")
        for key in ("from", "to"):
            if p[key]:
                y, m, d = p[key].split("-")
                fields.append(f'{key} = "{d}.{m}.{y}"')
        for key in ("topic", "goal", "order"):
            if p[key]:
                fields.append(f"{key} = {lua_string(p[key])}")
        if p["completed"]:
            fields.append("completed = true")
        if p["meetings"]:
            meetings = []
            for title, date, note in p["meetings"]:
                y, m, d = date.split("-")
                meetings.append(f'meeting {{ title = {lua_string(title)}, date = "{d}.{m}.{y}"'
                                + (f", note = {lua_string(note)}" if note else "") + " }")
            fields.append("meetings = { " + ", ".join(meetings) + " }")
        out.append(f"    {p['kind']} {{ " + ", ".join(fields) + " },")
    out.append("  }")
    return "\n".join(out)


# The samples with the pairs in Lua.
lua_samples = os.path.join(work, "lua", "samples")
shutil.copytree("samples", lua_samples)
for name, sheet, data in (("lyceum", "пары-лицей.xlsx", make_sheets.LYCEUM),
                          ("kedrovaya", "пары-кедровая.ods", make_sheets.KEDROVAYA)):
    path = os.path.join(lua_samples, "sosnovsky", name + ".lua")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    line = f'pairs = sheet "{sheet}",'
    if line not in text:
        sys.exit(f"{path}: no line «{line}»")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.replace(line, "pairs = " + lua_pairs(data) + ","))
    os.remove(os.path.join(lua_samples, "sosnovsky", sheet))


def build(samples, out):
    r = subprocess.run([binary, "build", os.path.join(samples, "sosnovsky-district.lua"), "-o", out],
                       capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        sys.exit(f"build {samples}: exit {r.returncode}\n{r.stderr}")


build("samples", os.path.join(work, "from-sheets"))
build(lua_samples, os.path.join(work, "from-lua"))
pdfs = []
for root, _, files in os.walk(os.path.join(work, "from-lua")):
    pdfs += [os.path.join(root, f) for f in files if f.endswith(".pdf")]
same = 0
for pdf in pdfs:
    other = pdf.replace(os.path.join(work, "from-lua"), os.path.join(work, "from-sheets"))
    if not os.path.exists(other):
        failures.append(f"{other}: missing")
    elif not filecmp.cmp(pdf, other, shallow=False):
        failures.append(f"{os.path.relpath(other, work)}: differs from the Lua description's")
    else:
        same += 1
print(f"{same} of {len(pdfs)} PDFs byte for byte the same")
if len(pdfs) < 150:
    failures.append(f"only {len(pdfs)} PDFs built")

dumps = [subprocess.run([binary, "dump", os.path.join(s, "sosnovsky-district.lua")], capture_output=True).stdout
         for s in ("samples", lua_samples)]
if dumps[0] != dumps[1] or not dumps[0]:
    failures.append("nastavnik dump differs between the sheets and the Lua")
else:
    print("nastavnik dump: the same model")

# The committed sheets are what make-sheets.py makes.
with tempfile.TemporaryDirectory() as tmp:
    make_sheets.lyceum_xlsx(os.path.join(tmp, "a.xlsx"))
    make_sheets.kedrovaya_ods(os.path.join(tmp, "a.ods"))
    for made, committed in (("a.xlsx", "пары-лицей.xlsx"), ("a.ods", "пары-кедровая.ods")):
        if not filecmp.cmp(os.path.join(tmp, made), os.path.join("samples", "sosnovsky", committed), shallow=False):
            failures.append(f"samples/sosnovsky/{committed} is not what make-sheets.py makes")
print("the committed sheets are what make-sheets.py makes" if not failures else "")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
