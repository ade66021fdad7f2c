#!/usr/bin/env python3
"""How an output is written (generator/fileio.c): whole under its name or not at all, with the
mode any file the user makes gets (0666 less the umask), nothing temporary left behind.

* a build under umask 027: every file 0640, none named .tmp-;
* a document written over an existing file (0600, other bytes): replaced whole, 0640, the
  bytes of the same document written fresh;
* the ways other than an unnamed file (O_TMPFILE) linked through /proc/self/fd: a /proc
  without /proc/self/fd (a temporary name, renamed), and a /proc/self/fd that cannot link (the
  bytes copied to a temporary name): the same files and modes, a write over an existing file,
  and a failing write (NASTAVNIK_TEST_WRITE_FAIL) that leaves nothing. These need a mount
  namespace (unshare -rm) to put a /proc of the test's own making in place; where none can be
  made, the test says so.

Usage: atomic_write_test.py NASTAVNIK   (from the top of the source tree)
"""
import os
import subprocess
import sys
import tempfile

binary = os.path.abspath(sys.argv[1])
SAMPLE = os.path.abspath("samples/lyceum-2.lua")
failures = []


def files_of(root):
    found = {}
    for folder, _, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            found[os.path.relpath(path, root)] = path
    return found


def comparable(path):
    """The file's bytes, less what differs from one run to the next: a calendar's DTSTAMP
    (the time it was made) and the manifest's checksum of the calendar."""
    data = open(path, "rb").read()
    if path.endswith(".ics"):
        return b"".join(l for l in data.splitlines(True) if not l.startswith(b"DTSTAMP"))
    if path.endswith(".nastavnik-manifest"):
        return b"".join(l for l in data.splitlines(True) if not l.rstrip().endswith(b".ics"))
    return data


def check_tree(name, root, reference):
    """root holds the files of reference, byte for byte, each 0640, nothing temporary."""
    made, want = files_of(root), files_of(reference)
    if sorted(made) != sorted(want):
        failures.append(f"{name}: files differ from the reference: {sorted(set(made) ^ set(want))}")
    for relative, path in made.items():
        if ".tmp-" in relative:
            failures.append(f"{name}: a temporary file left: {relative}")
        elif oct(os.stat(path).st_mode & 0o777) != oct(0o640):
            failures.append(f"{name}: {relative} has mode {oct(os.stat(path).st_mode & 0o777)}, expected 0o640")
        elif relative in want and comparable(path) != comparable(want[relative]):
            failures.append(f"{name}: {relative} differs from the reference")


def check_replaced(name, target, reference):
    if open(target, "rb").read() != open(reference, "rb").read():
        failures.append(f"{name}: the existing file was not replaced by the document")
    if os.stat(target).st_mode & 0o777 != 0o640:
        failures.append(f"{name}: the replaced file has mode {oct(os.stat(target).st_mode & 0o777)}")
    left = [f for f in os.listdir(os.path.dirname(target)) if ".tmp-" in f]
    if left:
        failures.append(f"{name}: temporary files left: {left}")


def run(*args, env=None):
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, **(env or {})))


def existing(path):
    """An older file at path, private (0600), with other bytes."""
    with open(path, "wb") as f:
        f.write(b"an older file" * 1000)
    os.chmod(path, 0o600)
    return path


os.umask(0o027)
with tempfile.TemporaryDirectory() as tmp:
    reference = os.path.join(tmp, "reference")
    r = run("build", SAMPLE, "-o", reference)
    if r.returncode != 0:
        failures.append(f"build: exit {r.returncode}\n{r.stderr}")
    check_tree("build under umask 027", reference, reference)

    fresh = os.path.join(tmp, "fresh.docx")
    if run("docx", SAMPLE, "roadmap", "-o", fresh).returncode != 0:
        failures.append("docx: not written")
    target = existing(os.path.join(tmp, "over.docx"))
    r = run("docx", SAMPLE, "roadmap", "-o", target)
    if r.returncode != 0:
        failures.append(f"docx over an existing file: exit {r.returncode}\n{r.stderr}")
    check_replaced("docx over an existing file", target, fresh)

    # Without the unnamed file's way: a /proc of our own (the program finds itself through
    # /proc/self/exe, kept), with no fd folder or an empty one.
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs none /proc"], capture_output=True)
    if probe.returncode != 0:
        print("note: no mount namespace here (unshare -rm): only the unnamed file's way is tested")
    for way, make_fd in (("a temporary name", ""), ("a copy under a temporary name", "mkdir /proc/self/fd && ")):
        if probe.returncode != 0:
            break
        out = os.path.join(tmp, "out-" + str(len(make_fd)))
        os.makedirs(out)
        target = existing(os.path.join(out, "over.docx"))
        failing = os.path.join(out, "failing.docx")
        quoted = lambda s: "'" + s.replace("'", "'\\''") + "'"
        script = (f"mount -t tmpfs none /proc && mkdir -p /proc/self && ln -s {quoted(binary)} /proc/self/exe && "
                  + make_fd
                  # (the sanitizers' leak check needs the real /proc, and their options are
                  # read from /proc/self/environ: written there)
                  + 'export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" && '
                  + "env -0 > /proc/self/environ && "
                  + f"umask 027 && {quoted(binary)} build {quoted(SAMPLE)} -o {quoted(os.path.join(out, 'tree'))} && "
                  + f"{quoted(binary)} docx {quoted(SAMPLE)} roadmap -o {quoted(target)} && "
                  + f"NASTAVNIK_TEST_WRITE_FAIL=ENOSPC:failing {quoted(binary)} docx {quoted(SAMPLE)} roadmap "
                  + f"-o {quoted(failing)}; echo \"exit=$?\"")
        r = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True, timeout=300)
        if "exit=3" not in r.stdout or f"{failing}: не удалось записать файл: нет места на диске" not in r.stderr:
            failures.append(f"{way}: expected the build and the docx made, then exit 3 for the failing write:\n"
                            f"{r.stdout}{r.stderr[-2000:]}")
        check_tree(way, os.path.join(out, "tree"), reference)
        check_replaced(f"{way}: over an existing file", target, fresh)
        if os.path.exists(failing) or [f for f in os.listdir(out) if ".tmp-" in f]:
            failures.append(f"{way}: the failing write left a file: {os.listdir(out)}")

for f in failures:
    print("FAIL:", f)
print("atomic writes: all checks ok" if not failures else f"atomic writes: {len(failures)} problem(s)")
sys.exit(1 if failures else 0)
