#!/usr/bin/env python3
"""One broken description from tests/bad/: it must fail the way its header announces.

The header of each file says what the secretary must read:
    -- expect: :14: пара №1: не указан наставник (поле mentor)
    -- expect-exit: 1        (optional, 1 by default)
    -- expect-errors: 3      (optional: exactly this many error lines)
    -- command: check        (optional: run `check` — for a remark, which stops nothing)
An expectation starting with ":LINE:" must appear as "FILE:LINE: ..." on stderr. The test
also asks for a JSON dump into a fresh folder and checks that nothing at all was written (with
`check`, which writes nothing anyway, the summary on stdout is allowed). With --max-rss-mb N
(not in the sanitizer build, whose allocator keeps freed memory), the run must also stay under
N MiB of memory.
"""
import os
import resource
import subprocess
import sys
import tempfile

args = sys.argv[1:]
max_rss_mb = None
if args[0] == "--max-rss-mb":
    max_rss_mb, args = int(args[1]), args[2:]
binary, source = args[0], os.path.relpath(args[1])
expect, exit_code, error_count, command = [], 1, None, "dump"
with open(source, "rb") as f:
    for raw in f:
        line = raw.decode("utf-8", "replace").strip()
        if line.startswith("-- expect:"):
            text = line[len("-- expect:"):].strip()
            expect.append(source + text if text.startswith(":") else text)
        elif line.startswith("-- expect-exit:"):
            exit_code = int(line.split(":", 1)[1])
        elif line.startswith("-- expect-errors:"):
            error_count = int(line.split(":", 1)[1])
        elif line.startswith("-- command:"):
            command = line.split(":", 1)[1].strip()
if not expect:
    sys.exit(f"{source}: no '-- expect:' line: a bad input must say what it expects")

failures = []
with tempfile.TemporaryDirectory() as out_dir:
    out = os.path.join(out_dir, "model.json")
    args = [binary, "dump", source, "-o", out] if command == "dump" else [binary, command, source]
    run = subprocess.run(args, capture_output=True, timeout=60)
    stderr = run.stderr.decode("utf-8", "replace")
    if run.returncode != exit_code:
        failures.append(f"exit code {run.returncode}, expected {exit_code}")
    for e in expect:
        if e not in stderr:
            failures.append(f"missing message: {e}")
    if error_count is not None:
        lines = [l for l in stderr.splitlines() if l.startswith(source + ":") and "найдено ошибок" not in l]
        if len(lines) != error_count:
            failures.append(f"{len(lines)} error lines, expected {error_count}")
    if os.listdir(out_dir):
        failures.append(f"files were written: {os.listdir(out_dir)}")
    if run.stdout and command == "dump":
        failures.append("something was printed on stdout")
    rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    if max_rss_mb is not None and rss_mb > max_rss_mb:
        failures.append(f"used {rss_mb} MiB of memory, more than {max_rss_mb} MiB")

if failures:
    print("stderr was:\n" + stderr)
    for f in failures:
        print("FAIL:", f)
    sys.exit(1)
print(f"ok: {source}: {len(expect)} message(s), exit {exit_code}, nothing written")
