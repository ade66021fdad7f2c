#!/usr/bin/env python3
"""oom_command_test.py NASTAVNIK WORKDIR: out of memory reaches the command as exit code 4.

`nastavnik fill` runs under an address-space limit (ulimit -v) with a template whose tree needs
more than that: it must exit with code 4 and say «не хватает памяти», leave no file (nor a
temporary one) and no core dump. (Not in the sanitizer build: ASan reserves terabytes of
address space, which no such limit admits.)
"""
import os
import resource
import shutil
import subprocess
import sys
import zipfile

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
import bad_template  # noqa: E402


def main():
    binary, work = sys.argv[1], sys.argv[2]
    shutil.rmtree(work, ignore_errors=True)
    out_dir = os.path.join(work, "out")
    os.makedirs(out_dir)
    template = os.path.join(work, "big.docx")
    body = "<w:p><w:r><w:t>{x}</w:t></w:r></w:p>" + "<w:p><w:r><w:t>Строка текста шаблона</w:t></w:r></w:p>" * 600000
    bad_template.package(template, [("word/document.xml", bad_template.document(body))])
    data = os.path.join(work, "data.lua")
    open(data, "w").write("return { x = 1 }\n")
    failures = []
    for limit_mb in (120, 250):
        def limit():
            resource.setrlimit(resource.RLIMIT_AS, (limit_mb << 20, limit_mb << 20))
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        run = subprocess.run([binary, "fill", template, data, "-o", os.path.join(out_dir, "out.docx")],
                             capture_output=True, preexec_fn=limit, cwd=work)
        err = run.stderr.decode("utf-8", "replace")
        if run.returncode != 4:
            failures.append(f"{limit_mb} MiB: exit code {run.returncode}, expected 4 (stderr: {err[:300]})")
        if "nastavnik: не хватает памяти; ничего не создано" not in err:
            failures.append(f"{limit_mb} MiB: no message: {err[:300]}")
        if os.listdir(out_dir):
            failures.append(f"{limit_mb} MiB: files written: {os.listdir(out_dir)}")
        if any(n.startswith("core") for n in os.listdir(work)):
            failures.append(f"{limit_mb} MiB: a core dump")
    with zipfile.ZipFile(template) as z:
        size = z.getinfo("word/document.xml").file_size
    for f in failures:
        print("FAIL:", f)
    if failures:
        return 1
    print(f"ok: a {size >> 20} MiB document.xml under 120 and 250 MiB of address space: exit 4, message, nothing written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
