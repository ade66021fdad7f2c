#!/usr/bin/env python3
"""run.py [--build BUILD_DIR] [-n N]: the template benchmark (not a timed test).

Fills the same 40-row roadmap template with the same data, N times each, with
  nastavnik      (BUILD_DIR/bench/template/template_bench, one core)
  docxtpl        (python3-docxtpl, Jinja syntax version of the template)
  docxtemplater  (npm; installed into /tmp/bench-node on first run, never into the repo)
and prints fills/s and the ratios. Every tool reads the template and writes the document on
each fill. The outputs are compared by their text, so all three did the same work.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import zipfile

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))
NODE_DIR = "/tmp/bench-node"


def rate(cmd, env=None):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    return float(re.search(r"fills_per_second ([\d.]+)", out).group(1))


def text_of(path):
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    paras = re.findall(r"<w:p[ >].*?</w:p>", xml, re.S)
    return [re.sub(r"<[^>]+>", "", re.sub(r"<w:tab/>", "\t", p)) for p in paras]


def system_python():
    for p in ("/usr/bin/python3", sys.executable):
        if subprocess.run([p, "-c", "import docxtpl"], capture_output=True).returncode == 0:
            return p
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(root, "build"))
    ap.add_argument("-n", type=int, default=300)
    args = ap.parse_args()
    work = "/tmp/nastavnik-bench-template"
    shutil.rmtree(work, ignore_errors=True)
    subprocess.run([sys.executable, os.path.join(here, "make_bench.py"), work], check=True)
    tpl, jinja = os.path.join(work, "roadmap.docx"), os.path.join(work, "roadmap-jinja.docx")
    vj, vl = os.path.join(work, "view.json"), os.path.join(work, "view.lua")

    results = {}
    bench = os.path.join(args.build, "bench", "template", "template_bench")
    out_n = os.path.join(work, "out-nastavnik.docx")
    # one thread: a single core's work (not pinned: on a shared machine a pinned core may be busy)
    results["nastavnik"] = rate([bench, tpl, vl, out_n, str(args.n * 10)])

    if os.path.isdir("/dev/shm"):  # the same without the disk (rename over a file flushes it)
        shm = f"/dev/shm/nastavnik-bench-{os.getpid()}.docx"
        results["nastavnik, tmpfs"] = rate([bench, tpl, vl, shm, str(args.n * 10)])
        os.unlink(shm)

    py = system_python()
    out_p = os.path.join(work, "out-docxtpl.docx")
    if py:
        results["docxtpl"] = rate([py, os.path.join(here, "bench_docxtpl.py"), jinja, vj, out_p,
                                   str(max(args.n // 3, 20))])
    else:
        print("docxtpl: not installed (apt install python3-docxtpl)")

    out_d = os.path.join(work, "out-docxtemplater.docx")
    if not os.path.isdir(os.path.join(NODE_DIR, "node_modules", "docxtemplater")):
        os.makedirs(NODE_DIR, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", NODE_DIR, "docxtemplater", "pizzip",
                        "angular-expressions"], check=True, capture_output=True)
    env = dict(os.environ, NODE_PATH=os.path.join(NODE_DIR, "node_modules"))
    results["docxtemplater"] = rate(["node", os.path.join(here, "bench_docxtemplater.js"), tpl, vj,
                                     out_d, str(args.n)], env=env)

    # the same text from all three
    ref = text_of(out_n)
    for name, path in (("docxtpl", out_p), ("docxtemplater", out_d)):
        if name in results:
            other = [p for p in text_of(path) if p.strip()]
            mine = [p for p in ref if p.strip()]
            same = other == mine
            print(f"{name}: output text {'matches' if same else 'DIFFERS from'} nastavnik's")

    n = results["nastavnik"]
    print(f"\n40-row roadmap, fills per second (each fill reads the template and writes the "
          f"document; outputs in {work} unless said)")
    for name, r in results.items():
        ratio = "" if name.startswith("nastavnik") else f"   nastavnik is {n / r:.1f}x faster"
        print(f"  {name:18s} {r:8.1f}{ratio}")


if __name__ == "__main__":
    main()
