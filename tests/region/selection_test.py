#!/usr/bin/env python3
"""build --formats and --kinds: only the formats and documents named are made (names in
English or Russian, any case), under the same paths as in a full build; a name build does not
know is a usage error (exit 2) that lists the names it knows."""
import os
import subprocess
import sys
import tempfile

binary = sys.argv[1]
failures = []
SAMPLE = "samples/sosnovsky-district.lua"


def files_of(root):  # the documents (not build's own manifest of them)
    found = []
    for dirpath, _, names in os.walk(root):
        found += [os.path.relpath(os.path.join(dirpath, n), root) for n in names if n != ".nastavnik-manifest"]
    return sorted(found)


with tempfile.TemporaryDirectory() as work:
    full = os.path.join(work, "full")
    r = subprocess.run([binary, "build", SAMPLE, "-o", full, "--date", "01.12.2025"], capture_output=True, text=True)
    if r.returncode != 0:
        failures.append(f"full build exited {r.returncode}: {r.stderr[-800:]}")
    everything = files_of(full)

    # only PDF and DOCX of the orders and the plans, named in both languages
    part = os.path.join(work, "part")
    r = subprocess.run([binary, "build", SAMPLE, "-o", part, "--date", "01.12.2025", "--formats", "pdf,DOCX",
                        "--kinds", "orders,Планы"], capture_output=True, text=True)
    if r.returncode != 0:
        failures.append(f"--formats pdf,docx --kinds orders,планы exited {r.returncode}: {r.stderr[-800:]}")
    made = files_of(part)
    expected = [f for f in everything if f.rsplit(".", 1)[1] in ("pdf", "docx")
                and ("/Приказы/" in "/" + f or "/Планы наставнических пар/" in "/" + f)]
    if made != expected:
        failures.append(f"--formats pdf,docx --kinds orders,планы: extra {sorted(set(made) - set(expected))[:5]}, "
                        f"missing {sorted(set(expected) - set(made))[:5]}")
    if not any("Приказ о закреплении" in f for f in made) or not any("/Планы наставнических пар/" in f for f in made):
        failures.append(f"no orders or plans made: {made[:5]}")
    if f"Сделано файлов: {len(made)}." not in r.stdout:
        failures.append(f"the summary does not count {len(made)} files: {r.stdout[-300:]}")

    # a build of some kinds into the folder of a whole build removes nothing of the others
    r = subprocess.run([binary, "build", SAMPLE, "-o", full, "--date", "01.12.2025", "--kinds", "orders",
                        "--formats", "pdf"], capture_output=True, text=True)
    if r.returncode != 0 or files_of(full) != everything or "Удалено" in r.stdout:
        failures.append(f"--kinds orders over a whole build: exit {r.returncode}, "
                        f"lost {sorted(set(everything) - set(files_of(full)))[:5]}")
    # and the whole build after it still knows every file as its own (nothing kept beside)
    r = subprocess.run([binary, "build", SAMPLE, "-o", full, "--date", "01.12.2025"], capture_output=True, text=True)
    if r.returncode != 0 or files_of(full) != everything or "(новый)" in r.stdout + r.stderr:
        failures.append(f"a whole build after --kinds: exit {r.returncode}, "
                        f"new {sorted(set(files_of(full)) - set(everything))[:5]}")

    # a kind by its own name, the register and the calendar by their Russian names
    some = os.path.join(work, "some")
    r = subprocess.run([binary, "build", SAMPLE, "-o", some, "--kinds", "roadmap, реестр,Календарь"],
                       capture_output=True, text=True)
    names = {os.path.basename(f).rsplit(".", 1)[0] for f in files_of(some)}
    if r.returncode != 0 or names != {"Дорожная карта", "Реестр наставнических пар (групп)", "Календарь"}:
        failures.append(f"--kinds roadmap,реестр,календарь: exit {r.returncode}, made {sorted(names)}")

    # -j2 is -j 2 (as make takes it)
    r = subprocess.run([binary, "build", SAMPLE, "-o", os.path.join(work, "glued"), "-j2", "--kinds", "roadmap"],
                       capture_output=True, text=True)
    if r.returncode != 0 or not files_of(os.path.join(work, "glued")):
        failures.append(f"-j2: exit {r.returncode}, stderr {r.stderr!r}")

    # unknown names: exit 2, the names that are known
    for option, value, says in (("--formats", "pdf,rtf", "неизвестный формат «rtf»"),
                                ("--kinds", "orders,протоколы", "неизвестный документ «протоколы»"),
                                ("-j", "0", "-j: укажите число процессов"),
                                ("-j0", None, "-j: укажите число процессов")):
        r = subprocess.run([binary, "build", SAMPLE, "-o", os.path.join(work, "bad"), option] + ([value] if value else []),
                           capture_output=True, text=True)
        if r.returncode != 2 or says not in r.stderr:
            failures.append(f"{option} {value}: exit {r.returncode}, stderr {r.stderr!r}")
        if os.path.exists(os.path.join(work, "bad")):
            failures.append(f"{option} {value}: something was written")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
