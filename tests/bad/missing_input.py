#!/usr/bin/env python3
"""A description file that does not exist: exit code 1, the file named in Russian, nothing
written, nothing on stdout; also for a folder given instead of a file."""
import os
import subprocess
import sys
import tempfile

binary = sys.argv[1]
failures = []
cases = [
    ("tests/bad/нет-такого-файла.lua", "tests/bad/нет-такого-файла.lua: не удалось прочитать файл: нет такого файла"),
    ("tests/bad/lib", "tests/bad/lib: не удалось прочитать файл: это папка, а не файл"),
]
for path, message in cases:
    with tempfile.TemporaryDirectory() as out_dir:
        out = os.path.join(out_dir, "model.json")
        run = subprocess.run([binary, "dump", path, "-o", out], capture_output=True, timeout=60)
        stderr = run.stderr.decode("utf-8", "replace")
        if run.returncode != 1:
            failures.append(f"{path}: exit code {run.returncode}, expected 1")
        if message not in stderr:
            failures.append(f"{path}: missing message: {message}\nstderr was:\n{stderr}")
        if os.listdir(out_dir):
            failures.append(f"{path}: files were written: {os.listdir(out_dir)}")
        if run.stdout:
            failures.append(f"{path}: something was printed on stdout")
for f in failures:
    print("FAIL:", f)
if failures:
    sys.exit(1)
print("ok: a missing input file is reported, exit 1, nothing written")
