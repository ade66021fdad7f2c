#!/usr/bin/env python3
"""oom_command_test.py NASTAVNIK WORKDIR: out of memory in layout and PDF reaches the command
as exit code 4 (generator/memory.h).

`nastavnik pdf` lays out a roadmap of 150,000 one-line cells under an address-space limit
(ulimit -v): it must exit with code 4, say «не хватает памяти», leave no file and no core
dump. (Not in the sanitizer build: ASan reserves terabytes of address space.)
"""
import os
import resource
import shutil
import subprocess
import sys


def description():
    lines = "\n".join("пункт %d" % k for k in range(300))
    items = "".join('      item { number = "%d", content = [[%s]], due = "Сентябрь 2024", '
                    'responsible = "Куратор" },\n' % (n, lines) for n in range(1, 500))
    return ('return organisation {\n  full_name = "Муниципальное бюджетное общеобразовательное учреждение '
            '«Средняя школа № 1»",\n  short_name = "МБОУ «СШ № 1»",\n  roadmap = roadmap {\n'
            '    title = "Дорожная карта", year = "2024–2025",\n'
            '    columns = { { "number", "№" }, { "content", "Содержание" }, { "due", "Сроки" } },\n'
            '    stage { "Этап",\n%s    },\n  },\n}\n' % items)


def main():
    binary, work = sys.argv[1], sys.argv[2]
    shutil.rmtree(work, ignore_errors=True)
    out_dir = os.path.join(work, "out")
    os.makedirs(out_dir)
    path = os.path.join(work, "big.lua")
    with open(path, "w", encoding="utf-8") as f:
        f.write(description())
    failures = []
    for limit_mb in (150, 300):
        def limit():
            resource.setrlimit(resource.RLIMIT_AS, (limit_mb << 20, limit_mb << 20))
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        r = subprocess.run([binary, "pdf", path, "roadmap", "-o", os.path.join(out_dir, "big.pdf")],
                           capture_output=True, preexec_fn=limit, cwd=work)
        err = r.stderr.decode("utf-8", "replace")
        if r.returncode != 4:
            failures.append(f"{limit_mb} MiB: exit code {r.returncode}, expected 4 (stderr: {err[-300:]})")
        if "nastavnik: не хватает памяти; ничего не создано" not in err:
            failures.append(f"{limit_mb} MiB: no message: {err[-300:]}")
        if os.listdir(out_dir):
            failures.append(f"{limit_mb} MiB: files written: {os.listdir(out_dir)}")
        if any(n.startswith("core") for n in os.listdir(work)):
            failures.append(f"{limit_mb} MiB: a core dump")
    for f in failures:
        print("FAIL:", f)
    if failures:
        return 1
    print("ok: a roadmap of 150,000 cells under 150 and 300 MiB of address space: exit 4, message, nothing written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
