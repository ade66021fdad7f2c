#!/usr/bin/env python3
"""The limits hold for the whole run of user code, not only for the description's script.

* the filters of a data script share one instruction budget: thirty calls of a filter that
  each take a tenth of it stop the fill (exit 1, the limit named, no file);
* a filter table's __pairs, a filter result's __index and an error object's __tostring are
  never run (they would loop for ever);
* the validation of a description runs under the CPU-time limit (lowered here to 1 s);
* the fonts configuration runs under the same limits: `while true do end` in it ends (pdf,
  build);
* a table that poses as a node with a FIFO as its file does not make anything open it.

Usage: limits_test.py NASTAVNIK   (from the top of the source tree)
"""
import os
import subprocess
import sys
import tempfile
import zipfile

binary = os.path.abspath(sys.argv[1])
failures = []


def run(*args, env=None):
    try:
        return subprocess.run([binary, *args], capture_output=True, text=True, timeout=60,
                              env=dict(os.environ, **(env or {})))
    except subprocess.TimeoutExpired:
        failures.append(f"{args}: still running after 60 s")
        return subprocess.CompletedProcess(args, -1, "", "")


def expect(name, result, code, stderr=()):
    if result.returncode != code:
        failures.append(f"{name}: exit {result.returncode}, expected {code}\n{result.stderr}")
    for s in [stderr] if isinstance(stderr, str) else stderr:
        if s not in result.stderr:
            failures.append(f"{name}: stderr lacks {s!r}:\n{result.stderr}")


def docx(path, text):
    """A minimal DOCX whose one paragraph is `text` (tags and all)."""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
                   f'<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>')


with tempfile.TemporaryDirectory() as tmp:
    def path(name):
        return os.path.join(tmp, name)

    def write(name, text):
        with open(path(name), "w") as f:
            f.write(text)
        return path(name)

    # ---- filters: one budget for all their calls ---------------------------------------
    docx(path("thirty.docx"), "".join("{x|slow}" for _ in range(30)))
    data = write("slow.lua", "return { x = 1 }, { slow = function(v)\n"
                             "  for _ = 1, 20000000 do end\n"   # a twentieth of the budget
                             "  return v\nend }\n")
    r = run("fill", path("thirty.docx"), data, "-o", path("thirty-out.docx"))
    expect("filters share one budget", r, 1, [f"{data}:2: описание выполняется слишком долго (бесконечный цикл?): "
                                                "превышен предел в 400000000 инструкций Lua"])
    if os.path.exists(path("thirty-out.docx")):
        failures.append("filters share one budget: a file was written")
    # The same filter called a few times stays within the budget.
    docx(path("three.docx"), "{x|slow}{x|slow}{x|slow}")
    expect("three calls of the filter", run("fill", path("three.docx"), data, "-o", path("three-out.docx")), 0)

    # ---- metamethods of the script's values are never run ------------------------------
    docx(path("one.docx"), "[{x|f}]")
    loop = "function() while true do end end"
    cases = [
        ("__pairs of the filter table", f"return {{ x = 'a' }}, setmetatable({{ f = function(v) return v .. '!' end }}, {{ __pairs = {loop} }})\n",
         0, "[a!]"),
        ("__index of a filter's result", f"return {{ x = 'a' }}, {{ f = function(v) return setmetatable({{}}, {{ __index = {loop}, __tostring = {loop} }}) end }}\n",
         None, None),
        ("__tostring of a filter's error", f"return {{ x = 'a' }}, {{ f = function(v) error(setmetatable({{}}, {{ __tostring = {loop} }})) end }}\n",
         1, None),
        ("__index of the data", f"return setmetatable({{}}, {{ __index = {loop} }}), {{ f = function(v) return v end }}\n",
         1, None),
    ]
    for name, source, code, text in cases:
        data = write("meta.lua", source)
        out = path("meta-out.docx")
        if os.path.exists(out):
            os.remove(out)
        r = run("fill", path("one.docx"), data, "-o", out)
        if r.returncode not in (0, 1) or (code is not None and r.returncode != code):
            failures.append(f"{name}: exit {r.returncode}, expected {code if code is not None else '0 or 1'}\n{r.stderr}")
        if "слишком долго" in r.stderr:
            failures.append(f"{name}: the metamethod was run:\n{r.stderr}")
        if text and (not os.path.exists(out) or text not in zipfile.ZipFile(out).read("word/document.xml").decode()):
            failures.append(f"{name}: the document lacks {text!r}")
    r = run("fill", path("one.docx"), write("err.lua", cases[2][1]), "-o", path("err-out.docx"))
    expect("an error object that is not a text", r, 1, "фильтр «f» остановлен ошибкой без текста (значение вида «таблица»)")

    # ---- validation under the CPU-time limit ------------------------------------------
    many = write("many.lua", "local items = {}\n"
                             "for i = 1, 60000 do items[i] = item { content = 'Пункт ' .. i, due = 'Сентябрь 2023' } end\n"
                             "return organisation { full_name = 'Школа', short_name = 'Школа',\n"
                             "  roadmap = roadmap { title = 'Дорожная карта', year = '2023–2024', stage { 'Этап', items = items } } }\n")
    r = run("check", many, env={"NASTAVNIK_SCRIPT_SECONDS": "1"})
    expect("validation under the CPU limit", r, 1, f"{many}: описание обрабатывается слишком долго: больше 1 с процессорного времени")

    # ---- the fonts configuration ------------------------------------------------------
    fonts = os.path.join(tmp, "fonts")
    os.makedirs(fonts)
    write("fonts/fonts.lua", "while true do end\n")
    r = run("pdf", "samples/lyceum-2.lua", "roadmap", "-o", path("fonts.pdf"), env={"NASTAVNIK_FONTS": fonts})
    expect("an endless fonts configuration", r, 1, f"{fonts}/fonts.lua:1: описание выполняется слишком долго")
    if os.path.exists(path("fonts.pdf")):
        failures.append("an endless fonts configuration: a PDF was written")
    # In a build the limit stops the documents of that description, told once, exit 1.
    r = run("build", "samples/lyceum-2.lua", "-o", path("fonts-build"), env={"NASTAVNIK_FONTS": fonts})
    expect("an endless fonts configuration in a build", r, 1,
           [f"{fonts}/fonts.lua:1: описание выполняется слишком долго",
            "samples/lyceum-2.lua: документы описания сделаны не все: работа над ним остановлена"])
    if r.stderr.count("fonts.lua:1:") != 1:
        failures.append(f"an endless fonts configuration in a build: not told once:\n{r.stderr}")
    write("fonts/fonts.lua", "return setmetatable({}, { __index = function() while true do end end })\n")
    r = run("pdf", "samples/lyceum-2.lua", "roadmap", "-o", path("fonts.pdf"), env={"NASTAVNIK_FONTS": fonts})
    if r.returncode == 0 or "слишком долго" in r.stderr or "fonts.lua" not in r.stderr:
        failures.append(f"fonts configuration with __index: exit {r.returncode}, {r.stderr!r}")

    # ---- a forged position naming a FIFO -----------------------------------------------
    fifo = path("fifo")
    os.mkfifo(fifo)
    forged = write("forged.lua", "return organisation { full_name = 'Школа', short_name = 'Школа',\n"
                                 f"  roadmap = {{ __kind = 'roadmap', __file = '{fifo}', __line = 1, title = 5,\n"
                                 f"    {{ __kind = 'item', __file = '{fifo}', __line = 1, contnet = 'x' }} }} }}\n")
    r = run("check", forged)
    if r.returncode != 1 or fifo in r.stderr or f"{forged}:" not in r.stderr:
        failures.append(f"forged position: exit {r.returncode}, {r.stderr!r}")

for f in failures:
    print("FAIL:", f)
print("limits: all checks ok" if not failures else f"limits: {len(failures)} problem(s)")
sys.exit(1 if failures else 0)
