#!/usr/bin/env python3
"""run.py DRIVER SCRIPT WORKDIR: one test of the template room.

1. zips the fixtures into WORKDIR/fixtures (make_fixtures.py);
2. runs SCRIPT (Lua) in DRIVER with arguments FIXTURES_DIR OUT_DIR; it must exit 0;
3. opens every .docx in OUT_DIR with python-docx and every .odt with odfpy (a document Word or
   LibreOffice would refuse usually fails here first);
   (before 2, <name>_prepare.py's prepare(fixtures_dir) may add templates made by a library);
4. checks every output against the schemas' rules (schema_rules.py);
5. if SCRIPT's neighbour <name>_check.py exists, runs its check(out_dir) for assertions that
   read the documents through those libraries.
"""
import importlib.util
import os
import shutil
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
import make_fixtures  # noqa: E402


def main():
    driver, script, work = sys.argv[1:4]
    shutil.rmtree(work, ignore_errors=True)
    fixtures = os.path.join(work, "fixtures")
    out = os.path.join(work, "out")
    os.makedirs(out)
    make_fixtures.main_args(os.path.join(here, "fixtures"), fixtures)
    prepare = script[: -len(".lua")] + "_prepare.py"
    if os.path.exists(prepare):  # a template made by a library (python-docx) at test time
        spec = importlib.util.spec_from_file_location("prepare", prepare)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        mod.prepare(fixtures)
    r = subprocess.run([driver, script, fixtures, out])
    if r.returncode != 0:
        print(f"FAIL: {os.path.basename(script)} exited {r.returncode}")
        return 1
    import docx
    from odf.opendocument import load

    opened = 0
    for name in sorted(os.listdir(out)):
        path = os.path.join(out, name)
        if name.endswith(".docx"):
            docx.Document(path)
            opened += 1
        elif name.endswith(".odt"):
            load(path)
            opened += 1
    # the rules of the schemas for what the engine writes (schema_rules.py); the templates a
    # test made on the spot (*-template.*) are inputs, not outputs
    import schema_rules
    problems = []
    for name in sorted(os.listdir(out)):
        if "-template." not in name:
            problems += [f"{name}: {p}" for p in schema_rules.check(os.path.join(out, name))]
    if problems:
        print("FAIL: outputs break the schemas' rules:\n  " + "\n  ".join(problems[:40]))
        return 1
    check = script[: -len(".lua")] + "_check.py"
    if os.path.exists(check):
        spec = importlib.util.spec_from_file_location("check", check)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        mod.check(out)
    print(f"ok: {os.path.basename(script)} ({opened} documents opened)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
