#!/usr/bin/env python3
"""build -j N: a 30-organisation region (bench/region.py) built by one process and by two
workers gives the same tree byte for byte (every format; the kinds made once per organisation
or order — plans and consents take the same paths many times over, and the suite runs again
under the sanitizers), the same stdout and stderr and exit code, and so does -j 2 when the
organisations cannot be kept for the workers and are read again (NASTAVNIK_TEST_NO_SPILL); an
organisation whose folder cannot be made fails the same way with -j 1 and -j 2. Units are
taken as the workers go, so a killed worker loses only the unit it had taken: a worker killed
mid-build (from outside, and at a point the test can count on, NASTAVNIK_TEST_KILL_UNIT) ends
the build with exit 4, that organisation named as unfinished, every other one made by the
other worker, the summary printed, and no temporary (partial) file left in the tree; a worker
killed while the organisations are being read ends the build with exit 4, the organisation it
did not read named in one line, and nothing built; the process making a region's own
documents (beside the organisations' workers) killed ends the build with exit 4, the region's
folder named, the organisations' documents all made and no partial file left.
"""
import filecmp
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

binary = sys.argv[1]
failures = []
N = 30


ONCE_EACH = "roadmap,orders,roadmap-report,practices,monitoring,registers,calendar"


def build(region, out, *extra, env=None):
    r = subprocess.run([binary, "build", region, "-o", out, "--date", "01.12.2025", *extra],
                       capture_output=True, text=True, timeout=900, env=env)
    # the output folder's own name is the only difference allowed between two runs; under the
    # sanitizers, LeakSanitizer's note on libhyphen's suppressed leak comes from the process
    # that hyphenated (with -j 2 a worker, whose end is not checked for leaks)
    stderr = re.sub(r"-{20,}\nSuppressions used:.*", "", r.stderr, flags=re.S)
    return r.returncode, r.stdout.replace(out, "OUT"), stderr.replace(out, "OUT")


def files_of(root):
    found = []
    for dirpath, _, names in os.walk(root):
        found += [os.path.relpath(os.path.join(dirpath, n), root) for n in names]
    return sorted(found)


def same_tree(a, b, what):
    fa, fb = files_of(a), files_of(b)
    if fa != fb:
        failures.append(f"{what}: different files: only -j 1 {sorted(set(fa) - set(fb))[:5]}, "
                        f"only -j 2 {sorted(set(fb) - set(fa))[:5]}")
        return
    _, mismatch, errors = filecmp.cmpfiles(a, b, fa, shallow=False)
    if mismatch or errors:
        failures.append(f"{what}: files differ byte for byte: {(mismatch + errors)[:5]}")


def kill_second_worker(args, ready, what, children_count=2, which=1, patience=60):
    """Starts `nastavnik build args`, kills its second worker process once ready() is true
    while it has two; returns the process, stdout, stderr, and whether a worker was killed.
    (children_count, which: the child of those to kill; `which` 0 of 3, the first forked;
    patience: the seconds to wait for them)"""
    p = subprocess.Popen([binary, "build", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    victim, deadline = None, time.time() + patience
    while victim is None and time.time() < deadline and p.poll() is None:
        try:
            with open(f"/proc/{p.pid}/task/{p.pid}/children") as f:
                children = f.read().split()
        except OSError:
            children = []
        if len(children) == children_count and ready():
            victim = int(children[which])
        else:
            time.sleep(0.005)
    if victim is None:
        failures.append(f"no {what} to kill: did build -j 2 start two processes?")
        p.kill()
    else:
        os.kill(victim, signal.SIGKILL)
    stdout, stderr = p.communicate(timeout=900)
    return p, stdout, stderr, victim is not None


def partial_files(root):
    return [f for f in files_of(root) if ".tmp-" in f or (f.rsplit(".", 1)[-1] not in
            ("pdf", "docx", "odt", "xlsx", "ods", "ics") and not f.endswith("№ 7»")
                                                    and f != ".nastavnik-manifest")]


def check_killed_builder(code, stdout, stderr, out, expected, what):
    """A build whose worker was killed: exit 4, the organisation it had taken named as
    unfinished (`expected`, or any one when None), every other one finished."""
    if code != 4:
        failures.append(f"{what}: exit {code}, expected 4; stderr {stderr[-800:]}")
    unfinished = [i for i in range(1, N + 1) if f"«СОШ № {i}»: документы сделаны не все: "
                  "процесс-исполнитель прерван сигналом 9" in stderr]
    if len(unfinished) != 1 or (expected is not None and unfinished != [expected]):
        failures.append(f"{what}: unfinished organisations {unfinished}, expected "
                        f"{[expected] if expected else 'one'}; stderr {stderr[-800:]}")
    for i in set(range(1, N + 1)) - set(unfinished):
        if not os.path.exists(os.path.join(out, f"region-{N}", f"МБОУ «СОШ № {i}»", "Дорожная карта.docx")):
            failures.append(f"{what}: organisation {i} was not finished by the other worker")


with tempfile.TemporaryDirectory() as work:
    region = subprocess.run([sys.executable, "bench/region.py", str(N), work], capture_output=True,
                            text=True, check=True).stdout.strip()

    # 1. the same bytes with one process and with two workers
    one, two = os.path.join(work, "j1"), os.path.join(work, "j2")
    r1, r2 = build(region, one, "-j", "1", "--kinds", ONCE_EACH), build(region, two, "-j", "2", "--kinds", ONCE_EACH)
    if r1[0] != 0:
        failures.append(f"-j 1 exited {r1[0]}: {r1[2][-1000:]}")
    if r1 != r2:
        failures.append(f"-j 1 and -j 2 say different things:\n{r1[0]} {r1[1][-600:]}\n---\n{r2[0]} {r2[1][-600:]}")
    if len(files_of(one)) < N * 20:
        failures.append(f"only {len(files_of(one))} files for {N} organisations")
    same_tree(one, two, "the whole region")

    # 1b. without the file in which the first read keeps each organisation for its worker
    # (processes.spill), the workers read the organisations again: the same bytes and words
    again = os.path.join(work, "j2-no-spill")
    r3 = build(region, again, "-j", "2", "--kinds", ONCE_EACH,
               env=dict(os.environ, NASTAVNIK_TEST_NO_SPILL="1"))
    if r3 != r2:
        failures.append(f"without the spill file the build says other things:\n{r3[0]} {r3[1][-600:]}\n{r3[2][-600:]}")
    same_tree(two, again, "the region read again by its workers")

    # 2. one organisation fails (a file stands where its folder goes): the same with -j 2
    results = []
    for jobs in ("1", "2"):
        out = os.path.join(work, "fail-j" + jobs)
        os.makedirs(os.path.join(out, f"region-{N}"))
        with open(os.path.join(out, f"region-{N}", "МБОУ «СОШ № 7»"), "w") as f:
            f.write("не папка\n")
        results.append(build(region, out, "-j", jobs, "--formats", "pdf", "--kinds", "roadmap,orders"))
        if partial_files(out):
            failures.append(f"-j {jobs}: partial files left: {partial_files(out)[:5]}")
    code, stdout, stderr = results[0]
    if code != 3 or "МБОУ «СОШ № 7»: не удалось создать папку: на этом месте уже есть файл" not in stderr:
        failures.append(f"a folder that cannot be made: exit {code}, stderr {stderr[-800:]}")
    if "Сделано файлов:" not in stdout or "Не записано файлов: 1 " not in stdout:
        failures.append(f"no summary of the failed build: {stdout[-800:]}")
    if results[0] != results[1]:
        failures.append(f"a failing organisation: -j 1 and -j 2 differ:\n{results[0][0]} {results[0][2][-600:]}"
                        f"\n---\n{results[1][0]} {results[1][2][-600:]}")
    same_tree(os.path.join(work, "fail-j1"), os.path.join(work, "fail-j2"), "a failing organisation")

    # 3. a worker killed mid-build, from outside (the second worker, once something is
    # written: mid-build, not before it starts). Units are taken as the workers go: the other
    # worker makes the rest, and the killed one loses only the unit it had taken — or nothing,
    # when the kill fell between two of its units (then the build is whole, exit 0).
    out = os.path.join(work, "killed")
    p, stdout, stderr, killed = kill_second_worker(
        [region, "-o", out, "-j", "2", "--formats", "pdf,docx", "--kinds", "roadmap,orders,plans"],
        lambda: len(files_of(out)) > 40, "worker")
    if killed and p.returncode == 0:
        killed = False
        if "документы сделаны не все" in stderr:
            failures.append(f"a kill between two units: exit 0, but unfinished: {stderr[-800:]}")
    if killed:
        check_killed_builder(p.returncode, stdout, stderr, out, None, "a killed worker")
    if "Сделано файлов:" not in stdout:
        failures.append(f"no summary after a killed worker: {stdout[-800:]}")
    if partial_files(out):
        failures.append(f"partial files left by the killed worker: {partial_files(out)[:5]}")

    # 3b. the same at a point the test can count on: the worker that takes organisation 7's
    # documents (unit 7 of the build's second share-out) ends by SIGKILL having taken it
    out = os.path.join(work, "killed-at-7")
    code, stdout, stderr = build(region, out, "-j", "2", "--formats", "pdf,docx", "--kinds", "roadmap,orders,plans",
                                 env=dict(os.environ, NASTAVNIK_TEST_KILL_UNIT="2:7"))
    check_killed_builder(code, stdout, stderr, out, 7, "a worker killed at organisation 7")
    if "Сделано файлов:" not in stdout:
        failures.append(f"no summary after a worker killed at organisation 7: {stdout[-800:]}")
    if partial_files(out):
        failures.append(f"partial files left by the worker killed at organisation 7: {partial_files(out)[:5]}")

    # 4. a worker killed while the organisations are read (unit 5 of the first share-out): the
    # other reads the rest; the build stops with exit 4 after the reading, the organisation
    # named in one line, nothing built
    out = os.path.join(work, "killed-reading")
    code, stdout, stderr = build(region, out, "-j", "2", env=dict(os.environ, NASTAVNIK_TEST_KILL_UNIT="1:5"))
    if code != 4:
        failures.append(f"a killed reader: exit {code}, expected 4; stderr {stderr[-800:]}")
    told = re.findall(r"(?:организация №\d+ не прочитана|не прочитаны организации[^:]*): "
                      r"процесс-исполнитель прерван сигналом \d+", stderr)
    if told != ["организация №5 не прочитана: процесс-исполнитель прерван сигналом 9"]:
        failures.append(f"a killed reader is not told once, of organisation 5: {stderr[-800:]}")
    if [f for f in files_of(out) if f != ".nastavnik-manifest"]:
        failures.append(f"a killed reader: documents were built: {files_of(out)[:5]}")

    # 5. the process making the region's own documents killed (the first of three children:
    # it is forked before the organisations' two workers, and made them beside them; a region
    # large enough that the region's documents take a while)
    big = subprocess.run([sys.executable, "bench/region.py", "300", os.path.join(work, "big")],
                         capture_output=True, text=True, check=True).stdout.strip()
    out = os.path.join(work, "killed-own")
    p, stdout, stderr, killed = kill_second_worker(
        [big, "-o", out, "-j", "2", "--formats", "pdf", "--kinds", "monitoring,registers,roadmap"],
        lambda: True, "process of the region's own documents", 3, 0, 600)
    # (a kill that came after the process had sent its result — it can end before the test,
    # on a loaded machine, sees its two siblings — is no kill: the build is whole, exit 0)
    if killed and p.returncode == 0:
        killed = False
        if stderr or not os.path.exists(os.path.join(out, "region-300", "Дорожная карта.pdf")):
            failures.append(f"the region's process ended before the kill, but the build is not whole: {stderr[-800:]}")
    if killed:
        if p.returncode != 4:
            failures.append(f"a killed region's process: exit {p.returncode}, expected 4; stderr {stderr[-800:]}")
        if not re.search(r"region-300: документы сделаны не все: процесс-исполнитель прерван сигналом 9", stderr):
            failures.append(f"a killed region's process is not told: {stderr[-800:]}")
        if "«СОШ № " in stderr or "Сделано файлов:" not in stdout:
            failures.append(f"a killed region's process: organisations unfinished or no summary: {stderr[-800:]}")
        for i in range(1, 301):
            if not os.path.exists(os.path.join(out, "region-300", f"МБОУ «СОШ № {i}»", "Дорожная карта.pdf")):
                failures.append(f"a killed region's process: organisation {i} was not finished")
                break
        if partial_files(out):
            failures.append(f"partial files left by the killed region's process: {partial_files(out)[:5]}")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
