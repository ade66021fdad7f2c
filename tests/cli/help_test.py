#!/usr/bin/env python3
"""Help from one source: `nastavnik help`, `help КОМАНДА`, `КОМАНДА --help` and the manual page
say the same; a wrong call points to its command's help; an -o whose extension contradicts the
format, an --item past the end, a missing --item among several and --person."""
import os
import re
import subprocess
import sys
import tempfile

binary = sys.argv[1]
manual = sys.argv[2]
failures = []


def run(*args):
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=120)


def expect(name, r, code, stdout=None, stderr=None):
    if r.returncode != code:
        failures.append(f"{name}: exit {r.returncode}, expected {code}\n{r.stderr}")
    if stdout is not None and stdout not in r.stdout:
        failures.append(f"{name}: stdout lacks {stdout!r}:\n{r.stdout}")
    if stderr is not None and stderr not in r.stderr:
        failures.append(f"{name}: stderr lacks {stderr!r}:\n{r.stderr}")


overview = run("help")
expect("help", overview, 0, stdout="Коды завершения")
# the commands the help lists: every usage line «  nastavnik NAME …»
listed = sorted(set(re.findall(r"^  nastavnik ([a-z]+)", overview.stdout, re.M)) - {"help"})
if len(listed) < 12:
    failures.append(f"help lists too few commands: {listed}")
if run("--help").stdout != overview.stdout:
    failures.append("--help and help differ")

man = subprocess.run(["man", "-l", manual], capture_output=True, text=True,
                     env=dict(os.environ, MANWIDTH="200", LANG="C.UTF-8")).stdout.replace("\u2010", "-")
flat_man = " ".join(man.split())
for name in listed:
    h = run("help", name)
    expect(f"help {name}", h, 0, stdout=f"nastavnik {name} — ")
    expect(f"help {name}", h, 0, stdout="Параметры:")
    expect(f"help {name}", h, 0, stdout="Коды завершения")
    same = run(name, "--help")
    expect(f"{name} --help", same, 0)
    if same.stdout != h.stdout:
        failures.append(f"{name} --help differs from help {name}")
    # the manual holds each command's usage and each of its options' explanations
    usage = h.stdout.split("Использование:\n", 1)[1].split("\n", 1)[0].strip()
    if " ".join(usage.split()) not in flat_man:
        failures.append(f"man nastavnik lacks the usage {usage!r}")
    options = h.stdout.split("Параметры:\n", 1)[1].split("\n\n", 1)[0]
    for explanation in re.findall(r"^  \S.*?\s{2,}(\S.*)$", options, re.M):
        words = " ".join(explanation.split()[:4])
        if words not in flat_man:
            failures.append(f"man nastavnik lacks {name}'s option text {words!r}")
for section in ["КОДЫ ЗАВЕРШЕНИЯ", "ОКРУЖЕНИЕ", "NASTAVNIK_FONTS", "внутренняя ошибка генератора"]:
    if section not in man:
        failures.append(f"man nastavnik lacks {section!r}")
expect("help nonsense", run("help", "chek"), 2, stderr="неизвестная команда «chek»")
expect("wrong call names its help", run("build", "--nonsense"), 2, stderr="Справка: nastavnik help build")

SAMPLE = "samples/forest-class.lua"
with tempfile.TemporaryDirectory() as tmp:
    out = lambda name: os.path.join(tmp, name)
    # -o with an extension that contradicts the format: a wrong call, nothing written
    for cmd, args, name in [("docx", [SAMPLE, "roadmap"], "r.pdf"), ("odt", [SAMPLE, "roadmap"], "r.docx"),
                            ("pdf", [SAMPLE, "roadmap"], "r.odt"), ("calendar", [SAMPLE], "год.pdf"),
                            ("qr", ["samples/boguchany-school-4.lua"], "код.jpg"), ("pdf", [SAMPLE, "roadmap"], "r")]:
        r = run(cmd, *args, "-o", out(name))
        expect(f"{cmd} -o {name}", r, 2, stderr=f"-o {out(name)}: ")
        expect(f"{cmd} -o {name}", r, 2, stderr="укажите имя, которое кончается на")
        if os.path.exists(out(name)):
            failures.append(f"{cmd} -o {name}: a file was written")
    expect("pdf -o R.PDF (case)", run("pdf", SAMPLE, "roadmap", "-o", out("R.PDF")), 0)

    # --item past the end says how many there are
    expect("--item past the end (plan)", run("pdf", SAMPLE, "plan", "--item", "3", "-o", out("p.pdf")), 1,
           stderr="--item 3: всего 2, укажите номер от 1 до 2")
    expect("--item past the end (order)", run("pdf", "samples/boguchany-school-4.lua", "order-roadmap", "--item", "5",
                                              "-o", out("o.pdf")), 1, stderr="всего 1, укажите номер от 1 до 1")
    # several and no --item: the list, not the first silently
    r = run("pdf", SAMPLE, "plan", "-o", out("p.pdf"))
    expect("plan without --item", r, 1, stderr="их 2: укажите, какой, --item N или --person")
    expect("plan without --item", r, 1, stderr="2 — группа № 2: Ильин М.О., Лаптева Д.А., Орлов К.Д.")
    if os.path.exists(out("p.pdf")):
        failures.append("plan without --item: a file was written")
    # --person: a mentee of the group picks the group's plan; a participant her consent
    expect("--person plan", run("pdf", SAMPLE, "plan", "--person", "лаптева  д.а.", "-o", out("p.pdf")), 0)
    text = subprocess.run(["pdftotext", out("p.pdf"), "-"], capture_output=True, text=True).stdout
    if "Лаптева" not in text or "Жуков" in text:
        failures.append(f"--person Лаптева: the plan is not the group's:\n{text[:600]}")
    expect("--person consent", run("pdf", SAMPLE, "consent-data", "--person", "Жуков Артём Ильич", "-o", out("c.pdf")), 0)
    text = subprocess.run(["pdftotext", out("c.pdf"), "-"], capture_output=True, text=True).stdout
    if "Жуков" not in text:
        failures.append("--person Жуков: the consent is not his")
    expect("--person unknown", run("pdf", SAMPLE, "consent-data", "--person", "Жуков Б.И.", "-o", out("c2.pdf")), 1,
           stderr="--person «Жуков Б.И.»: такого человека здесь нет; есть: 1 — Егоров С.А.; 2 — Жуков А.И.")
    expect("--person and --item", run("view", SAMPLE, "plan", "--person", "Жуков А.И.", "--item", "1"), 1,
           stderr="укажите или --item, или --person")

if failures:
    print("\n".join(failures))
    print(f"{len(failures)} failed")
    sys.exit(1)
print(f"help: all checks passed ({len(listed)} commands)")
