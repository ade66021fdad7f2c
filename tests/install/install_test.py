#!/usr/bin/env python3
"""The installed command works anywhere, from its own files only.

    install_test.py CMAKE BUILD_DIR SOURCE_DIR BUILD_TYPE

Installs the build into a DESTDIR (prefix /usr, as the Debian package does), moves the
installation to another folder (so no path compiled into the command can be its own), and runs
from there, in a third folder, with an environment holding no NASTAVNIK_* variable: --version,
help, КОМАНДА --help, check, build (documents in three formats), templates, fill, and the
manual page. The installed command holds no path of the source or build tree (but in a Debug
build, whose assertions name their files). Then the installed share/nastavnik is taken away:
the command must say so, never fall back to the source tree.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

cmake, build_dir, source_dir, build_type = sys.argv[1:5]
failures = []


def fail(message):
    failures.append(message)


with tempfile.TemporaryDirectory() as tmp:
    stage = os.path.join(tmp, "stage")
    r = subprocess.run([cmake, "--install", build_dir, "--prefix", "/usr", "--strip"], capture_output=True, text=True,
                       env=dict(os.environ, DESTDIR=stage))
    if r.returncode != 0:
        print(f"cmake --install failed:\n{r.stdout}\n{r.stderr}")
        sys.exit(1)
    # elsewhere: the installation moved, as a user copying /usr/… to another machine would
    prefix = os.path.join(tmp, "elsewhere", "opt")
    shutil.move(os.path.join(stage, "usr"), prefix)
    binary = os.path.join(prefix, "bin", "nastavnik")
    if build_type != "Debug" and os.path.exists(binary):
        held = open(binary, "rb").read()
        for tree in (source_dir, build_dir):
            if tree.encode() in held:
                fail(f"the installed command holds the path {tree}")
    for path in ["bin/nastavnik", "share/nastavnik/scripts/nastavnik/cli.lua",
                 "share/nastavnik/scripts/documents/roadmap.lua", "share/nastavnik/templates/plan.docx",
                 "share/nastavnik/templates/roadmap.odt", "share/nastavnik/templates/README.txt",
                 "share/nastavnik/fonts/fonts.lua", "share/man/man1/nastavnik.1.gz"]:
        if not os.path.isfile(os.path.join(prefix, path)):
            fail(f"not installed: {path}")
    for root, dirs, files in os.walk(prefix):
        for name in dirs + files:
            if name in ("CMakeFiles", "CMakeLists.txt", "cmake_install.cmake"):
                fail(f"build leftover installed: {os.path.join(root, name)}")

    work = os.path.join(tmp, "work")
    os.makedirs(work)
    shutil.copy(os.path.join(source_dir, "samples", "forest-class.lua"), work)
    env = {"PATH": "/usr/bin:/bin", "HOME": work, "LANG": "C.UTF-8"}
    # (the sanitizer build's own settings pass: they name no tree of the command's files)
    env.update({k: v for k, v in os.environ.items() if k.endswith("SAN_OPTIONS")})

    def run(*args, expect=0):
        r = subprocess.run([binary, *args], capture_output=True, text=True, cwd=work, env=env, timeout=300)
        if r.returncode != expect:
            fail(f"{' '.join(args)}: exit {r.returncode}, expected {expect}\n{r.stderr[-2000:]}")
        for tree in (source_dir, build_dir):
            if tree in r.stdout or tree in r.stderr:
                fail(f"{' '.join(args)}: the output names the tree {tree}")
        return r

    if "nastavnik 0." not in run("--version").stdout:
        fail("--version")
    if "Коды завершения" not in run("help").stdout:
        fail("help lacks the exit codes")
    if "--strict" not in run("check", "--help").stdout:
        fail("check --help lacks --strict")
    r = run("check", "forest-class.lua")
    if "МБОУ «Берёзовская СОШ»" not in r.stdout:
        fail(f"check: the summary lacks the school:\n{r.stdout}")
    run("build", "forest-class.lua", "-o", "out")
    made = []
    for root, _, files in os.walk(os.path.join(work, "out")):
        made += [os.path.join(root, f) for f in files]
    for ext in (".pdf", ".docx", ".odt"):
        if not any(f.endswith(ext) for f in made):
            fail(f"build made no {ext}")
    roadmap = os.path.join(work, "out", "forest-class", "Дорожная карта.pdf")
    if os.path.exists(roadmap):
        text = subprocess.run(["pdftotext", roadmap, "-"], capture_output=True, text=True).stdout
        if "Лесной класс" not in text and "Лесн" not in text:
            fail("the roadmap's PDF lacks its title")
    else:
        fail("build made no Дорожная карта.pdf")

    # templates -o: the stock ones out, with their README; then a letterhead on one of them
    r = run("templates", "-o", "tpl")
    if not os.path.exists(os.path.join(work, "tpl", "order-roadmap.docx")) or \
            "{" not in open(os.path.join(work, "tpl", "README.txt"), encoding="utf-8").read():
        fail(f"templates -o: the templates or the README with tags missing:\n{r.stdout}")

    # fill: any DOCX with a data script
    template = os.path.join(work, "t.docx")
    with zipfile.ZipFile(template, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
                   '<w:p><w:r><w:t>{org}, {date|date_words}</w:t></w:r></w:p></w:body></w:document>')
    with open(os.path.join(work, "data.lua"), "w", encoding="utf-8") as f:
        f.write('return { org = "МБОУ «СШ № 1»", date = "2025-09-01" }\n')
    run("fill", "t.docx", "data.lua", "-o", "filled.docx")
    filled = os.path.join(work, "filled.docx")
    xml = zipfile.ZipFile(filled).read("word/document.xml").decode() if os.path.exists(filled) else ""
    if "1\u00a0сентября 2025\u00a0г." not in xml:
        fail(f"fill: the filled XML lacks the date in words:\n{xml}")

    # the manual page reads as a manual (man -l renders it)
    page = os.path.join(prefix, "share", "man", "man1", "nastavnik.1.gz")
    if shutil.which("man") and os.path.exists(page):
        r = subprocess.run(["man", "-l", page], capture_output=True, text=True,
                           env=dict(env, MANWIDTH="100"))
        shown = r.stdout.replace("\u2010", "-").replace("\u2011", "-")
        for needle in ["КОДЫ ЗАВЕРШЕНИЯ", "nastavnik build", "--templates", "NASTAVNIK_SCRIPTS"]:
            if needle not in shown:
                fail(f"man nastavnik lacks {needle!r}")

    # Without its share/nastavnik the command says so; it never falls back to the source tree.
    shutil.rmtree(os.path.join(prefix, "share", "nastavnik"))
    r = run("check", "forest-class.lua", expect=4)
    if "не найдены файлы программы" not in r.stderr:
        fail(f"without share/nastavnik: {r.stderr!r}")

if failures:
    print("\n".join(failures))
    print(f"{len(failures)} failed")
    sys.exit(1)
print("install: all checks passed")
