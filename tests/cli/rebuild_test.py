#!/usr/bin/env python3
"""Rebuilding into the same folder (scripts/nastavnik/manifest.lua): after a person is renamed
exactly the stale files go; a DOCX the secretary edited survives (the new one beside it,
--force overwrites); a file build did not make is never touched; another description's files
in the same folder stay. The summary groups the blanks by cause (scripts/nastavnik/blanks.lua).
`templates -o` and `build --templates`: a letterhead template fills its kind, stock ones the
rest."""
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

binary = os.path.abspath(sys.argv[1])
failures = []


def run(*args, cwd=None):
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=300, cwd=cwd)


def expect(name, r, code, stdout=None):
    if r.returncode != code:
        failures.append(f"{name}: exit {r.returncode}, expected {code}\n{r.stderr[-3000:]}")
    if stdout is not None and stdout not in r.stdout:
        failures.append(f"{name}: stdout lacks {stdout!r}:\n{r.stdout[-3000:]}")


def files(root):
    out = {}
    for d, _, names in os.walk(root):
        for n in names:
            p = os.path.join(d, n)
            out[os.path.relpath(p, root)] = hashlib.sha256(open(p, "rb").read()).hexdigest()
    return out


def docx_text(path):
    # (the text of the paragraphs: a name or a capitalised word stands in a run of its own)
    return re.sub(r"<[^>]+>", "", zipfile.ZipFile(path).read("word/document.xml").decode())


with tempfile.TemporaryDirectory() as tmp:
    shutil.copy("samples/forest-class.lua", tmp)
    shutil.copy("samples/lyceum-2.lua", tmp)
    source = os.path.join(tmp, "forest-class.lua")
    out = os.path.join(tmp, "out")
    first = run("build", "forest-class.lua", "lyceum-2.lua", "-o", "out", cwd=tmp)
    expect("first build", first, 0)
    # the blanks grouped by cause, each document with --verbose
    expect("summary", first, 0, "Оставлено для заполнения от руки (каждый документ отдельно — с --verbose):\n")
    expect("summary", first, 0, "даты встреч без даты в описании оставлены пустыми — 2 документа "
           "(Планы наставнических пар); касается: пара № 1, группа № 2\n")
    verbose = run("build", "forest-class.lua", "-o", "verbose", "--verbose", cwd=tmp)
    expect("--verbose", verbose, 0, "Планы наставнических пар/План группы № 2 — ")
    expect("--verbose", verbose, 0, ".pdf: группа № 2: даты встреч без даты в описании оставлены пустыми")
    before = files(out)
    if ".nastavnik-manifest" not in before:
        failures.append("no manifest in the output folder")

    # the secretary's own file, her edit of a document that stays, and a renamed pupil
    mine = os.path.join(out, "forest-class", "Согласия", "мой список.txt")
    open(mine, "w").write("не трогать")
    roadmap = os.path.join(out, "forest-class", "Дорожная карта.docx")
    with open(roadmap, "ab") as f:
        f.write(b"\n")
    edited = open(roadmap, "rb").read()
    text = open(source, encoding="utf-8").read()
    open(source, "w", encoding="utf-8").write(
        text.replace("Жуков Артём Ильич", "Жуковский Артём Ильич").replace("Жуков А.И.", "Жуковский А.И."))
    stale = sorted(p for p in before if "Жуков А.И." in p)
    if len(stale) < 6:
        failures.append(f"expected the plan and consents of Жуков А.И. among the files: {stale}")
    second = run("build", "forest-class.lua", "-o", "out", cwd=tmp)
    expect("rebuild", second, 0, f"Удалено файлов прошлой сборки, которые теперь не делаются: {len(stale)}\n")
    after = files(out)
    gone = sorted(set(before) - set(after))
    if gone != stale:
        failures.append(f"rebuild removed {gone}, expected exactly {stale}")
    for p in stale:
        if p not in second.stdout:
            failures.append(f"the summary does not list the removed {p}")
    if not any("Жуковский А.И." in p for p in after):
        failures.append("the renamed pupil's documents were not made")
    if open(mine).read() != "не трогать":
        failures.append("build touched a file it did not make")
    if open(roadmap, "rb").read() != edited:
        failures.append("build overwrote the edited DOCX")
    beside = os.path.join(out, "forest-class", "Дорожная карта (новый).docx")
    if not os.path.exists(beside):
        failures.append("the new roadmap was not written beside the edited one")
    expect("rebuild", second, 0, "Не перезаписано (новый файл — рядом; перезаписать: --force):\n"
           f"  out/forest-class/Дорожная карта.docx — изменён после прошлой сборки; новое — в "
           "out/forest-class/Дорожная карта (новый).docx")
    lyceum = {p: h for p, h in before.items() if p.startswith("lyceum-2/")}
    if not lyceum or any(after.get(p) != h for p, h in lyceum.items()):
        failures.append("a rebuild of one description changed another description's files")
    # the edit is still seen next time; --force writes over it and removes the one beside
    third = run("build", "forest-class.lua", "-o", "out", cwd=tmp)
    expect("third build", third, 0, "Дорожная карта.docx — изменён после прошлой сборки")
    forced = run("build", "forest-class.lua", "-o", "out", "--force", cwd=tmp)
    expect("--force", forced, 0)
    if open(roadmap, "rb").read() == edited or os.path.exists(beside):
        failures.append("--force did not overwrite the edited DOCX or left the one beside")

    # a manifest of an earlier version (FNV-1a's 16 digits, before XXH3's 32) serves as one of
    # now: the rebuild after an edit does the same as with an XXH3 manifest, and writes XXH3
    def fnv1a64(data):
        h = 0xcbf29ce484222325
        for b in data:
            h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
        return f"{h:016x}"
    rebuilt = {}
    for name in ("new", "old"):
        expect(f"{name} manifest: first build", run("build", "forest-class.lua", "-o", name, cwd=tmp), 0)
        listed = os.path.join(tmp, name, ".nastavnik-manifest")
        lines = open(listed, encoding="utf-8").read().splitlines()
        if not lines[1:] or not all(re.fullmatch(r"[0-9a-f]{32}\t.+", line) for line in lines[1:]):
            failures.append(f"the manifest's checksums are not XXH3's 32 digits: {lines[1:3]}")
        if name == "old":
            open(listed, "w", encoding="utf-8").write("\n".join(lines[:1] + [
                fnv1a64(open(os.path.join(tmp, name, line.split("\t", 1)[1]), "rb").read()) + "\t"
                + line.split("\t", 1)[1] for line in lines[1:]]) + "\n")
        with open(os.path.join(tmp, name, "forest-class", "Дорожная карта.odt"), "ab") as f:
            f.write(b"\n")
        r = run("build", "forest-class.lua", "-o", name, cwd=tmp)
        expect(f"{name} manifest", r, 0, f"{name}/forest-class/Дорожная карта.odt — изменён после прошлой сборки")
        # (the calendar's DTSTAMP is the time of the build)
        tree = {p: h for p, h in files(os.path.join(tmp, name)).items()
                if p != ".nastavnik-manifest" and not p.endswith(".ics")}
        rebuilt[name] = (tree, r.stdout.replace(f"{name}/", "DIR/"))
        if name == "old":
            # (the roadmap's files stay as they were, recorded with the sums they were made with)
            old_sums = sorted(line.split("\t")[1] for line in open(listed, encoding="utf-8").read().splitlines()[1:]
                              if not re.fullmatch(r"[0-9a-f]{32}\t.+", line))
            if old_sums != [f"forest-class/Дорожная карта.{ext}" for ext in ("docx", "odt", "pdf")]:
                failures.append(f"after an FNV-1a manifest, files without XXH3's sum: {old_sums}")
    if rebuilt["old"] != rebuilt["new"]:
        failures.append("a rebuild over an FNV-1a manifest differs from one over an XXH3 manifest")

    # a file of the same name the build never made is left; the document goes beside
    foreign = os.path.join(tmp, "foreign", "forest-class")
    os.makedirs(foreign)
    open(os.path.join(foreign, "Дорожная карта.pdf"), "w").write("чужой файл")
    r = run("build", "forest-class.lua", "-o", "foreign", cwd=tmp)
    expect("foreign file", r, 0, "Дорожная карта.pdf — не сделан nastavnik")
    if open(os.path.join(foreign, "Дорожная карта.pdf")).read() != "чужой файл" or \
            not os.path.exists(os.path.join(foreign, "Дорожная карта (новый).pdf")):
        failures.append("a file build did not make was overwritten, or the document not put beside")

    # a municipality: each organisation's files are kept as one block (manifest.lua); an edited
    # file inside an organisation's folder is recorded among them, the manifest stays sorted
    # and lists every file the build made
    shutil.copy("samples/sosnovsky-district.lua", tmp)
    shutil.copytree("samples/sosnovsky", os.path.join(tmp, "sosnovsky"))
    r = run("build", "sosnovsky-district.lua", "-o", "region", "-j", "2", cwd=tmp)
    expect("municipality build", r, 0)
    region = os.path.join(tmp, "region")
    org_docx = sorted(p for p in files(region) if p.count("/") >= 3 and p.endswith(".docx"))
    if not org_docx:
        failures.append("municipality build: no DOCX in an organisation's folder")
    else:
        with open(os.path.join(region, org_docx[0]), "ab") as f:
            f.write(b"\n")
        r = run("build", "sosnovsky-district.lua", "-o", "region", "-j", "2", cwd=tmp)
        expect("municipality rebuild", r, 0, org_docx[0] + " — изменён после прошлой сборки")
        lines = open(os.path.join(region, ".nastavnik-manifest"), encoding="utf-8").read().splitlines()[1:]
        names = [line.split("\t", 1)[1] for line in lines]
        on_disk = sorted(p for p in files(region) if p != ".nastavnik-manifest")
        if names != sorted(names):
            failures.append("municipality rebuild: the manifest is not in order")
        if names != on_disk:
            failures.append(f"municipality rebuild: the manifest lists {len(names)} files, the folder has "
                            f"{len(on_disk)}: {sorted(set(names) ^ set(on_disk))[:5]}")
        third = run("build", "sosnovsky-district.lua", "-o", "region", "-j", "1", cwd=tmp)
        expect("municipality third build", third, 0, org_docx[0] + " — изменён после прошлой сборки")

    # templates -o: the stock templates and their README; a letterhead on the order's template
    r = run("templates", "-o", "бланки", cwd=tmp)
    expect("templates -o", r, 0, "бланки/order-roadmap.docx — ")
    readme = open(os.path.join(tmp, "бланки", "README.txt"), encoding="utf-8").read()
    if "order-roadmap.docx:" not in readme or "{" not in readme:
        failures.append("templates -o: README.txt lacks the tags of the templates")
    again = run("templates", "-o", "бланки", cwd=tmp)
    expect("templates -o again", again, 0, "бланки/plan.docx — уже есть, не перезаписан")
    letterhead = os.path.join(tmp, "бланки", "order-roadmap.docx")
    with zipfile.ZipFile(letterhead) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["word/document.xml"] = parts["word/document.xml"].decode().replace(
        "<w:body>", "<w:body><w:p><w:r><w:t>БЛАНК БЕРЁЗОВСКОЙ ШКОЛЫ</w:t></w:r></w:p>", 1).encode()
    os.remove(letterhead)
    with zipfile.ZipFile(letterhead, "w") as z:
        for n, b in parts.items():
            z.writestr(n, b)
    for name in os.listdir(os.path.join(tmp, "бланки")):
        if name not in ("order-roadmap.docx", "README.txt"):
            os.remove(os.path.join(tmp, "бланки", name))
    open(os.path.join(tmp, "бланки", "order-roadmapp.docx"), "wb").write(b"")
    r = run("build", "forest-class.lua", "-o", "letter", "--templates", "бланки", cwd=tmp)
    expect("build --templates", r, 0, "Свои шаблоны из бланки: order-roadmap.docx.\n")
    expect("build --templates", r, 0, "Не подходят ни к одному документу (не использованы): order-roadmapp.docx.")
    orders = os.path.join(tmp, "letter", "forest-class", "Приказы")
    made = [n for n in os.listdir(orders)] if os.path.isdir(orders) else []
    order_docx = [n for n in made if n.startswith("Приказ об утверждении дорожной карты") and n.endswith(".docx")]
    if not order_docx:
        failures.append(f"build --templates: no roadmap order DOCX among {made}")
    else:
        xml = docx_text(os.path.join(orders, order_docx[0]))
        if "БЛАНК БЕРЁЗОВСКОЙ ШКОЛЫ" not in xml:
            failures.append("build --templates: the roadmap order lacks the letterhead")
        odt = order_docx[0][:-5] + ".odt"
        if odt in made and "БЛАНК" in zipfile.ZipFile(os.path.join(orders, odt)).read("content.xml").decode():
            failures.append("build --templates: the ODT (no template of hers) has the letterhead")
    others = [n for n in made if n.endswith(".docx") and n not in order_docx]
    for n in others:
        if "БЛАНК БЕРЁЗОВСКОЙ ШКОЛЫ" in docx_text(os.path.join(orders, n)):
            failures.append(f"build --templates: {n} (stock template) has the letterhead")
    r = run("docx", "forest-class.lua", "order-roadmap", "--templates", "бланки", "-o", "one.docx", cwd=tmp)
    expect("docx --templates", r, 0)
    if r.returncode == 0 and "БЛАНК БЕРЁЗОВСКОЙ ШКОЛЫ" not in docx_text(os.path.join(tmp, "one.docx")):
        failures.append("docx --templates: the letterhead is missing")
    r = run("build", "forest-class.lua", "-o", "x", "--templates", "нет-такой", cwd=tmp)
    expect("build --templates missing", r, 2)
    if "--templates нет-такой: нет такой папки" not in r.stderr:
        failures.append(f"build --templates missing: {r.stderr!r}")

    # A document planned where nothing was (its folder missing) is written without asking what
    # is at its paths (command.write_file's `fresh`); should something be there by then, it is
    # judged as any output. Forced here: a copy of the scripts where every file counts as
    # planned so, over a tree with a symbolic link, a FIFO, a folder and an edited DOCX where
    # files were: the same messages, files and manifest as the ordinary rebuild.
    fresh_scripts = os.path.join(tmp, "scripts-fresh")
    shutil.copytree("scripts", fresh_scripts)
    manifest_lua = os.path.join(fresh_scripts, "nastavnik", "manifest.lua")
    code = open(manifest_lua, encoding="utf-8").read()
    marker = "function manifest.unseen(folder, folders)\n"
    if marker not in code:
        failures.append("fresh: manifest.unseen not found in manifest.lua")
    open(manifest_lua, "w", encoding="utf-8").write(code.replace(marker, marker + "  do return true end\n"))
    trees = []
    for name in ("plain", "fresh"):
        r = run("build", "lyceum-2.lua", "-o", name, cwd=tmp)
        expect(f"fresh: first build ({name})", r, 0)
        root = os.path.join(tmp, name)
        made = sorted(os.path.join(d, n) for d, _, names in os.walk(root) for n in names
                      if n.endswith((".pdf", ".docx", ".odt")))
        os.remove(made[2])
        os.symlink(os.path.join(tmp, "nowhere"), made[2])
        os.remove(made[4])
        os.mkfifo(made[4])
        os.remove(made[6])
        os.mkdir(made[6])
        docx = [m for m in made if m.endswith(".docx")][1]
        with open(docx, "ab") as f:
            f.write(b"edited")
        trees.append(root)
    plain = run("build", "lyceum-2.lua", "-o", "plain", cwd=tmp)
    env = dict(os.environ, NASTAVNIK_SCRIPTS=fresh_scripts)
    fresh = subprocess.run([binary, "build", "lyceum-2.lua", "-o", "fresh"], capture_output=True, text=True,
                           timeout=300, cwd=tmp, env=env)
    if plain.returncode != 3 or fresh.returncode != plain.returncode:
        failures.append(f"fresh: exit {fresh.returncode}, the ordinary rebuild {plain.returncode} (3 expected)")
    for what, a, b in (("stdout", plain.stdout, fresh.stdout), ("stderr", plain.stderr, fresh.stderr)):
        if a.replace("plain/", "X/") != b.replace("fresh/", "X/"):
            failures.append(f"fresh: {what} differs from the ordinary rebuild:\n{b}\n---\n{a}")

    def shape(root):
        out = {}
        for d, dirs, names in os.walk(root):
            for n in dirs + names:
                p = os.path.join(d, n)
                rel = os.path.relpath(p, root)
                if os.path.islink(p):
                    out[rel] = "link " + os.readlink(p)
                elif os.path.isdir(p):
                    out[rel] = "folder"
                elif not os.path.isfile(p):
                    out[rel] = "other"
                elif not n.endswith(".ics") and n != ".nastavnik-manifest":
                    out[rel] = hashlib.sha256(open(p, "rb").read()).hexdigest()
        return out

    if shape(trees[0]) != shape(trees[1]):
        failures.append("fresh: the files differ from the ordinary rebuild's")
    # (a calendar's checksum changes with its DTSTAMP)
    manifests = [[line for line in open(os.path.join(t, ".nastavnik-manifest"), encoding="utf-8")
                  if not line.rstrip("\n").endswith(".ics")] for t in trees]
    if manifests[0] != manifests[1]:
        failures.append("fresh: the manifest differs from the ordinary rebuild's")
    if "символическая ссылка" not in fresh.stderr + fresh.stdout or "(новый)" not in fresh.stdout + fresh.stderr:
        failures.append(f"fresh: the link or the edited DOCX not told:\n{fresh.stdout}\n{fresh.stderr}")

if failures:
    print("\n".join(failures))
    print(f"{len(failures)} failed")
    sys.exit(1)
print("rebuild: all checks passed")
