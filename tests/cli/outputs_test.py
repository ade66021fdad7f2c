#!/usr/bin/env python3
"""Where outputs land and what the exit code says when they cannot be written.

* build: organisations named "..", ".", like a folder of the municipality, twice the same,
  differing only in case, with NUL / newline / tab, 300 bytes, "/", "CON", «А.Д..»; two
  descriptions with the same file name — every document on its own safe path inside -o,
  nothing outside, each rename in the summary;
* -o onto a symbolic link, a FIFO, a device, a folder, the description, the template: refused
  (exit 3, the file named), nothing changed;
* a full disk for pdf, docx, fill and build: exit 3, «нет места на диске» with the file, no
  partial or temporary file, every other document of the build present. The disk is filled
  for real on a small tmpfs where this test may mount one (unshare), and by the test-only
  NASTAVNIK_TEST_WRITE_FAIL (see generator/fileio.h) always.

Usage: outputs_test.py NASTAVNIK   (from the top of the source tree)
"""
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import zipfile

binary = os.path.abspath(sys.argv[1])
failures = []
SAMPLE = os.path.abspath("samples/lyceum-2.lua")


def run(*args, env=None, cwd=None):
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, **(env or {})), cwd=cwd)


def expect(name, result, code, stderr=None):
    if result.returncode != code:
        failures.append(f"{name}: exit {result.returncode}, expected {code}\n{result.stderr}")
    for s in [stderr] if isinstance(stderr, str) else (stderr or []):
        if s not in result.stderr:
            failures.append(f"{name}: stderr lacks {s!r}:\n{result.stderr}")


def all_files(root):
    out = []
    for folder, dirs, files in os.walk(root):
        out += [os.path.join(folder, f) for f in files + [d for d in dirs if os.path.islink(os.path.join(folder, d))]]
    return out


def temporary_leftovers(root):
    return [f for f in all_files(root) if ".tmp-" in os.path.basename(f)]


NAMES = ["..", ".", "Приказы", "Школа № 1", "школа № 1", "Школа № 1", "a\0b", "с\nпереводом\tстроки",
         "Очень длинное имя " * 20, "CON", "Носкова А.Д..", "a/../../b", "МБОУ\u00a0«СОШ\u00a0№\u00a02»"]


def lua_string(s):
    return '"' + "".join(c if c not in '"\\\n\t\0' else {"\"": "\\\"", "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\0": "\\0"}[c]
                         for c in s) + '"'


with tempfile.TemporaryDirectory() as tmp:
    # ---- names of a municipality's organisations --------------------------------------
    desc = os.path.join(tmp, "names.lua")
    with open(desc, "w") as f:
        f.write("local function org(short) return organisation { full_name = \"Школа \" .. short, short_name = short } end\n"
                "return municipality { name = \"Тестовый округ\", organisations = {\n")
        for n in NAMES:
            f.write(f"  org({lua_string(n)}),\n")
        f.write("} }\n")
    out = os.path.join(tmp, "out")
    r = run("build", desc, "-o", out)
    expect("names: build", r, 0)
    top = os.path.join(out, "names")
    folders = sorted(d for d in os.listdir(top) if os.path.isdir(os.path.join(top, d))) if os.path.isdir(top) else []
    outside = [p for p in os.listdir(tmp) if p not in ("names.lua", "out")]
    if outside:
        failures.append(f"names: files written outside -o: {outside}")
    organisation_folders = [d for d in folders if d not in ("Приказы", "Мониторинг", "Отчёты", "Методическая копилка")]
    if len(organisation_folders) != len(NAMES):
        failures.append(f"names: {len(NAMES)} organisations, {len(organisation_folders)} folders: {folders}")
    for d in folders:
        bad = [c for c in d if ord(c) < 32 or c in '<>:"/\\|?*\u00a0'] or d.endswith((".", " ")) or d.startswith(".") \
            or ".." in d or len(d.encode()) > 160 or d.split(".")[0].upper() in ("CON", "NUL", "PRN", "AUX")
        if bad:
            failures.append(f"names: unsafe folder name {d!r}")
    lower = [d.lower() for d in folders]
    if len(set(lower)) != len(lower):
        failures.append(f"names: folders equal but for case: {folders}")
    for want in ("организация 1", "организация 2", "Приказы (2)", "Школа № 1", "школа № 1 (2)", "Школа № 1 (3)",
                 "a b", "с переводом строки", "CON_", "Носкова А.Д", "МБОУ «СОШ № 2»"):
        if want not in folders:
            failures.append(f"names: no folder {want!r} among {folders}")
    long_names = [d for d in folders if d.startswith("Очень длинное имя")]
    if len(long_names) != 1 or " ~" not in long_names[0] or len(long_names[0].encode()) > 150:
        failures.append(f"names: the 300-byte name is not cut with a hash: {long_names}")
    # The municipality's own order on the regulation is still its own.
    regulation = os.path.join(top, "Приказы", "Приказ об утверждении Положения о системе наставничества.pdf")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", regulation, "-"], capture_output=True, text=True).stdout \
        if os.path.exists(regulation) else ""
    if "Тестовый округ" not in text.replace("\n", " ") and "Тестового округа" not in text.replace("\n", " "):
        failures.append(f"names: the municipality's order was replaced:\n{text[:400]}")
    for note in ("организация «..»: в имени нет ни одного знака", "Приказы (2) — организация «Приказы»: имя «Приказы» уже занято",
                 "Школа № 1 (3) — организация «Школа № 1»: имя «Школа № 1» уже занято", "имя длиннее 150 байт сокращено"):
        if note not in r.stdout:
            failures.append(f"names: the summary lacks {note!r}:\n{r.stdout[:3000]}")
    # Every document in pdf, docx and odt of the same stem.
    stems = {}
    for path in all_files(out):
        stem, ext = os.path.splitext(path)
        stems.setdefault(stem, set()).add(ext)
    # (beside them: spreadsheets of the register and of the monitoring, the calendar)
    incomplete = [s for s, exts in stems.items() if ".pdf" in exts and not {".pdf", ".docx", ".odt"} <= exts]
    if incomplete:
        failures.append(f"names: documents without all three formats: {incomplete[:5]}")

    # ---- two descriptions with the same file name --------------------------------------
    for folder in ("a", "b"):
        os.makedirs(os.path.join(tmp, folder))
        shutil.copy(SAMPLE, os.path.join(tmp, folder, "school.lua"))
    out2 = os.path.join(tmp, "out2")
    r = run("build", os.path.join(tmp, "a", "school.lua"), os.path.join(tmp, "b", "school.lua"), "-o", out2)
    expect("same-named descriptions", r, 0)
    if sorted(n for n in os.listdir(out2) if n != ".nastavnik-manifest") != ["school", "school (2)"]:
        failures.append(f"same-named descriptions: folders {os.listdir(out2)}")
    if "school (2) — описание" not in r.stdout:
        failures.append(f"same-named descriptions: the summary does not say so:\n{r.stdout[:2000]}")
    elif len(all_files(os.path.join(out2, "school"))) != len(all_files(os.path.join(out2, "school (2)"))):
        failures.append("same-named descriptions: the two folders differ")

    # ---- -o where nothing may be written -----------------------------------------------
    target = os.path.join(tmp, "target.pdf")
    with open(target, "w") as f:
        f.write("не трогать")
    link = os.path.join(tmp, "link.pdf")
    os.symlink(target, link)
    fifo = os.path.join(tmp, "fifo.pdf")
    os.mkfifo(fifo)
    copy = os.path.join(tmp, "copy.lua")
    shutil.copy(SAMPLE, copy)
    template = os.path.join(tmp, "roadmap.docx")
    shutil.copy(os.path.join(os.path.dirname(binary), "templates", "roadmap.docx"), template)
    cases = [
        ("symlink", ["pdf", copy, "roadmap", "-o", link], "символическая ссылка"),
        ("fifo", ["pdf", copy, "roadmap", "-o", fifo], "именованный канал (FIFO)"),
        ("device", ["dump", copy, "-o", "/dev/null"], "это устройство"),
        ("folder", ["pdf", copy, "roadmap", "-o", tmp], "это папка"),
        ("the description", ["pdf", copy, "roadmap", "-o", copy], "это входной файл команды"),
        ("the description by another name", ["dump", copy, "-o", os.path.join(tmp, "a", "..", "copy.lua")],
         "это входной файл команды"),
        ("the template", ["docx", copy, "roadmap", "--template", template, "-o", template], "это входной файл команды"),
        ("a symlink to the description", ["dump", copy, "-o", os.path.join(tmp, "copy-link.lua")], "символическая ссылка"),
        ("build onto a file", ["build", copy, "-o", target], "на этом месте уже есть файл"),
    ]
    os.symlink(copy, os.path.join(tmp, "copy-link.lua"))
    before = {p: open(p, "rb").read() for p in (target, copy, template)}
    for name, args, message in cases:
        r = run(*args)
        expect(f"-o onto {name}", r, 3, [args[-1] + ": не удалось ", message])
    after = {p: open(p, "rb").read() for p in (target, copy, template)}
    if before != after:
        failures.append("-o refusals: an input or the symlink's target was changed")
    if not stat.S_ISFIFO(os.lstat(fifo).st_mode) or not os.path.islink(link):
        failures.append("-o refusals: the FIFO or the symlink was replaced")
    # A symbolic link inside the tree of a build: refused, the rest of the build made.
    out3 = os.path.join(tmp, "out3")
    os.makedirs(os.path.join(out3, "copy"))
    elsewhere = os.path.join(tmp, "elsewhere")
    os.makedirs(elsewhere)
    os.symlink(elsewhere, os.path.join(out3, "copy", "Приказы"))
    r = run("build", copy, "-o", out3)
    expect("build through a symlinked folder", r, 3, "Приказы: не удалось создать папку: это символическая ссылка")
    if os.listdir(elsewhere):
        failures.append(f"build through a symlinked folder: wrote into its target: {os.listdir(elsewhere)}")
    if r.stderr.count("не удалось создать папку") != 1:
        failures.append(f"build through a symlinked folder: not told once:\n{r.stderr}")
    if not os.path.exists(os.path.join(out3, "copy", "Дорожная карта.pdf")):
        failures.append("build through a symlinked folder: the other documents were not made")

    # ---- a full disk -------------------------------------------------------------------
    data = os.path.join(tmp, "data.lua")
    with open(data, "w") as f:
        f.write('return { title = "Заголовок" }\n')
    small = os.path.join(tmp, "small.docx")  # a template with one tag, for fill
    with zipfile.ZipFile(template) as stock, zipfile.ZipFile(small, "w") as z:
        for item in stock.infolist():
            body = stock.read(item.filename)
            if item.filename == "word/document.xml":
                body = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w='
                        '"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
                        '<w:t>{title}</w:t></w:r></w:p></w:body></w:document>').encode()
            z.writestr(item, body)
    commands = {
        "pdf": lambda o: ["pdf", copy, "roadmap", "-o", o + ".pdf"],
        "docx": lambda o: ["docx", copy, "roadmap", "-o", o + ".docx"],
        "fill": lambda o: ["fill", small, data, "-o", o + ".docx"],
    }
    for name, make in commands.items():
        folder = os.path.join(tmp, "full-" + name)
        os.makedirs(folder)
        out_file = make(os.path.join(folder, "out"))[-1]
        r = run(*make(os.path.join(folder, "out")), env={"NASTAVNIK_TEST_WRITE_FAIL": "ENOSPC:full-" + name})
        expect(f"full disk (injected): {name}", r, 3, f"{out_file}: не удалось записать файл: нет места на диске")
        if os.listdir(folder):
            failures.append(f"full disk (injected): {name}: files left: {os.listdir(folder)}")
        if "No space" in r.stderr or "найдено ошибок" in r.stderr:
            failures.append(f"full disk (injected): {name}: English or a blamed template:\n{r.stderr}")
    # Other reasons, in Russian words too.
    for errno_name, words in (("EACCES", "нет прав на запись"), ("EROFS", "диск доступен только для чтения")):
        out_file = os.path.join(tmp, f"denied-{errno_name}.pdf")
        r = run("pdf", copy, "roadmap", "-o", out_file, env={"NASTAVNIK_TEST_WRITE_FAIL": f"{errno_name}:denied-"})
        expect(f"write refused ({errno_name})", r, 3, f"{out_file}: не удалось записать файл: {words}")
        if os.path.exists(out_file) or temporary_leftovers(tmp):
            failures.append(f"write refused ({errno_name}): a file was left")
    # build: only the report's ODT cannot be written; everything else is made.
    out4 = os.path.join(tmp, "out4")
    failing = "Отчёт о выполнении дорожной карты.odt"
    r = run("build", copy, "-o", out4, env={"NASTAVNIK_TEST_WRITE_FAIL": "ENOSPC:" + failing})
    expect("full disk (injected): build", r, 3, f"{failing}: не удалось записать файл: нет места на диске")
    if r.stderr.count(failing) != 1 or failing in r.stdout.split("Не сделано:")[-1]:
        failures.append(f"full disk (injected): build: the failure is not told exactly once:\n{r.stderr}\n{r.stdout}")
    # the register (a sample that has one), written by libxlsxwriter (XLSX) and by the zip
    # writer (ODS): the same words
    for ext in ("xlsx", "ods"):
        out_register = os.path.join(tmp, "out-register-" + ext)
        failing_register = "Реестр наставнических пар (групп)." + ext
        r = run("build", os.path.abspath("samples/forest-class.lua"), "-o", out_register, "--kinds", "registers",
                env={"NASTAVNIK_TEST_WRITE_FAIL": "ENOSPC:" + failing_register})
        expect(f"full disk (injected): the register's {ext}", r, 3,
               f"{failing_register}: не удалось записать файл: нет места на диске")
        if r.stderr.count(failing_register) != 1 or "No space" in r.stderr:
            failures.append(f"full disk (injected): the register's {ext}: not told once, in Russian:\n{r.stderr}")
        if os.path.exists(os.path.join(out_register, failing_register)) or temporary_leftovers(out_register):
            failures.append(f"full disk (injected): the register's {ext}: a file was left")
    reference = os.path.join(tmp, "out5")
    expect("build (reference)", run("build", copy, "-o", reference), 0)
    made = sorted(os.path.relpath(p, out4) for p in all_files(out4))
    want = sorted(os.path.relpath(p, reference) for p in all_files(reference) if not p.endswith(failing))
    if made != want:
        failures.append(f"full disk (injected): build: made {len(made)} files, expected {len(want)}: "
                        f"{set(want) ^ set(made)}")
    if temporary_leftovers(out4):
        failures.append(f"full disk (injected): build: temporary files left: {temporary_leftovers(out4)}")

    # The same on a real full disk, where a small tmpfs can be mounted here.
    mount = os.path.join(tmp, "disk")
    os.makedirs(mount)
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", f"mount -t tmpfs -o size=64k none '{mount}'"],
                           capture_output=True)
    if probe.returncode != 0:
        print("note: no tmpfs can be mounted here (unshare -rm); the full disk is covered by injection only")
    else:
        for name, make in list(commands.items()) + [("build", lambda o: ["build", copy, "-o", o])]:
            args = make(os.path.join(mount, "out"))
            script = (f"mount -t tmpfs -o size=64k none '{mount}' && "
                      f"(dd if=/dev/zero of='{mount}/filler' bs=1k 2>/dev/null; true) && "
                      + " ".join("'" + a.replace("'", "'\\''") + "'" for a in [binary] + args)
                      + f"; code=$?; echo; echo \"exit=$code\"; find '{mount}' -type f ! -name filler")
            r = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True, timeout=120)
            lines = r.stdout.strip().splitlines()
            code = next((l for l in lines if l.startswith("exit=")), "exit=?")
            left = lines[lines.index(code) + 1:] if code in lines else lines
            if code != "exit=3" or "нет места на диске" not in r.stderr:
                failures.append(f"full disk (tmpfs): {name}: {code}, expected exit=3 and «нет места на диске»:\n{r.stderr[-1500:]}")
            # (build may have made some folders) no file may be left, let alone a temporary one
            if left:
                failures.append(f"full disk (tmpfs): {name}: files left on the disk: {left}")

for f in failures:
    print("FAIL:", f)
print("outputs: all checks ok" if not failures else f"outputs: {len(failures)} problem(s)")
sys.exit(1 if failures else 0)
