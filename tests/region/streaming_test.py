#!/usr/bin/env python3
"""A region read one organisation at a time (load.region, issue 15): what the secretary gets
must not depend on it.

1. `check` of a 12-organisation region (bench/region.py) says the same with -j 1 and -j 2.
2. A municipality script that looks into one of its organisations (so that organisation is
   read whole with the municipality, the others one at a time) builds the same tree, byte for
   byte, as the plain one.
3. An organisation with mistakes: `check` and `build` (both streaming) print exactly the
   messages `dump` prints (which reads the description whole), exit 1, and build writes
   nothing.
4. (not under the sanitizers) `check` of 200 organisations stays under 64 MiB of memory:
   the organisations are let go one by one (reading them whole took 112 MB).
5. An organisation file with a byte or two that are not UTF-8: build names its file and line.
"""
import os
import re
import resource
import subprocess
import sys
import tempfile

binary = sys.argv[1]
measure_memory = "--no-memory" not in sys.argv
failures = []


def run(*args):
    r = subprocess.run([binary, *args], capture_output=True, text=True, timeout=900)
    return r.returncode, r.stdout, r.stderr


def tree(root):
    found = {}
    for dirpath, _, names in os.walk(root):
        for n in names:
            path = os.path.join(dirpath, n)
            with open(path, "rb") as f:
                found[os.path.relpath(path, root)] = f.read()
    return found


with tempfile.TemporaryDirectory() as work:
    region = subprocess.run([sys.executable, "bench/region.py", "12", work], capture_output=True,
                            text=True, check=True).stdout.strip()

    # 1. check with one process and with two
    one, two = run("check", region, "-j", "1"), run("check", region, "-j", "2")
    if one[0] != 0 or "организации: 12" not in one[1]:
        failures.append(f"check of the region: exit {one[0]}, {one[1][:300]} {one[2][-300:]}")
    if one != two:
        failures.append("check -j 1 and -j 2 differ")

    # 2. a script that looks into an organisation
    with open(region, encoding="utf-8") as f:
        text = f.read()
    peeking = os.path.join(work, "peeking.lua")
    with open(peeking, "w", encoding="utf-8") as f:
        f.write('local third = require "region-12.org-0003"\n'
                'assert(third.short_name == "МБОУ «СОШ № 3»")\n' + text)
    plain_out, peek_out = os.path.join(work, "plain"), os.path.join(work, "peek")
    a = run("build", region, "-o", plain_out, "--date", "01.12.2025", "--formats", "pdf,xlsx,ics")
    b = run("build", peeking, "-o", peek_out, "--date", "01.12.2025", "--formats", "pdf,xlsx,ics")
    if a[0] != 0 or b[0] != 0:
        failures.append(f"builds: exit {a[0]}, {b[0]}: {a[2][-300:]} {b[2][-300:]}")
    ta, tb = tree(os.path.join(plain_out, "region-12")), tree(os.path.join(peek_out, "peeking"))
    if len(ta) < 12 * 10:
        failures.append(f"only {len(ta)} files")
    if ta.keys() != tb.keys():
        failures.append(f"different files: {sorted(set(ta) ^ set(tb))[:5]}")
    else:
        differ = [p for p in ta if ta[p] != tb[p]]
        if differ:
            failures.append(f"files differ when the script looks into an organisation: {differ[:5]}")

    # the municipality's calendar, put together from the organisations' own: its own year
    # first, then every organisation's events in order, each exactly as its own calendar has
    # them
    def events(data):
        body = data.decode("utf-8")
        return body[body.find("BEGIN:VEVENT"):body.rfind("END:VCALENDAR")] if "BEGIN:VEVENT" in body else ""
    municipal = ta.get("Календарь.ics", b"").decode("utf-8")
    expected = "".join(events(ta[f"МБОУ «СОШ № {i}»/Календарь.ics"]) for i in range(1, 13))
    if not municipal.endswith(expected + "END:VCALENDAR\r\n") or len(expected) < 12 * 1000:
        failures.append("the municipality's calendar is not its own year followed by its organisations' events")
    if "X-WR-CALNAME:Наставничество — УО Синтетического МО" not in municipal.replace("\r\n ", ""):
        failures.append("the municipality's calendar is not named after it")

    # 3. mistakes in one organisation: the same messages as reading the description whole
    broken = os.path.join(os.path.dirname(region), "region-12", "org-0005.lua")
    with open(broken, encoding="utf-8") as f:
        source = f.read()
    source = source.replace('curator = "', 'curator = "Нетов Н.Н.", coordinator_x = "', 1)
    source = re.sub(r'from = "22\.09\.2025"', 'from = "31.09.2025"', source, count=1)
    with open(broken, "w", encoding="utf-8") as f:
        f.write(source)
    dump = run("dump", region, "-o", os.path.join(work, "dump.json"))
    check = run("check", region)
    out = os.path.join(work, "broken")
    build = run("build", region, "-o", out)
    if dump[0] != 1 or "org-0005.lua:" not in dump[2] or dump[2].count("\n") < 3:
        failures.append(f"dump of the broken region: exit {dump[0]}: {dump[2][-600:]}")
    for name, r in (("check", check), ("build", build)):
        if (r[0], r[2]) != (dump[0], dump[2]):
            failures.append(f"{name} tells the mistakes differently from dump:\n{r[2][-800:]}\n---\n{dump[2][-800:]}")
    # (the folder's manifest of what builds made there is written as before: empty)
    written = [p for p in (tree(out) if os.path.exists(out) else {}) if p != ".nastavnik-manifest"]
    if written:
        failures.append(f"build of a broken region wrote files: {written[:5]}")

    # 5. an organisation file that is not UTF-8 by a byte or two (host.utf8_valid must refuse
    # what utf8.len refuses): its file and line, exit 1, nothing written
    spoilt = os.path.join(os.path.dirname(region), "region-12", "org-0008.lua")
    with open(spoilt, "rb") as f:
        clean = f.read()
    line = clean.count(b"\n") + 1
    for label, bad in (("a surrogate", b"\xed\xa0\x80"), ("an overlong slash", b"\xc0\xaf"),
                       ("a code above U+10FFFF", b"\xf4\x90\x80\x80"), ("a byte F5", b"\xf5\x80\x80\x80"),
                       ("a letter cut short at the end", b"\xd0")):
        with open(spoilt, "wb") as f:
            f.write(clean + b"-- " + bad + (b"" if label.endswith("end") else b"\n"))
        out = os.path.join(work, "spoilt")
        code, _, err = run("build", region, "-o", out, "-j", "2")
        if code != 1 or f"org-0008.lua:{line}: файл сохранён не в кодировке UTF-8" not in err:
            failures.append(f"an organisation file with {label}: exit {code}: {err[-400:]}")
        if os.path.exists(out) and [p for p in tree(out) if p != ".nastavnik-manifest"]:
            failures.append(f"build of a region with {label} in a file wrote files")
    with open(spoilt, "wb") as f:
        f.write(clean)

    # 4. memory: the organisations are let go one by one
    if measure_memory:
        big = subprocess.run([sys.executable, "bench/region.py", "200", work], capture_output=True,
                             text=True, check=True).stdout.strip()
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        code, _, err = run("check", big, "-j", "1")
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        if code != 0:
            failures.append(f"check of 200 organisations: exit {code}: {err[-300:]}")
        if peak > before and peak > 64 * 1024:
            failures.append(f"check of 200 organisations took {peak // 1024} MiB (more than 64)")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
