#!/usr/bin/env python3
"""`nastavnik check` against the target model (scripts/nastavnik/target_model.lua): for each
sample the warnings a methodologist expects from reading its roadmap, each with the line;
a roadmap missing the pair-forming stage and one forming pairs before the base of mentors;
other schools' wording passes; --strict makes the warnings errors (exit 1)."""
import subprocess
import sys

binary = sys.argv[1]
failures = []


def run(*args):
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=120)


MISSING = "в дорожной карте нет этапа «{}»"
ACTION = "в дорожной карте нет обязательного действия этапа «{}»: {}"
REGULATION = ACTION.format("Подготовка условий для запуска программы наставничества",
                           "утверждение Положения о наставничестве (о программе наставничества)")
PRACTICES = ACTION.format("Завершение программы наставничества", "выявление и распространение лучших практик")

# What reading each roadmap finds (file: [(line, organisation prefix, message)]):
EXPECTED = {
    # No item on the Положение and no order on it; «Куратор» answers for items, but nobody is
    # appointed (no curator, no order); the closing round table says nothing of best practices.
    "samples/boguchany-school-4.lua": [
        (32, "", REGULATION), (32, "", MISSING.format("Назначение куратора")), (32, "", PRACTICES)],
    # Every stage, in the methodology's order (bank of mentees and of mentors, selection and
    # training in May, pairs in September, completion with monitoring and best practices).
    "samples/lyceum-2.lua": [],
    # A municipal plan: the Положения of the organisations and best practices are not in it.
    "samples/tashtagol-district.lua": [(31, "", REGULATION), (31, "", PRACTICES)],
    # Every stage: orders on the Положение and the curator (2.1), consultations with potential
    # mentors and mentees (2.2), pairs (2.3), in-house training (2.4), meetings (2.5),
    # results, monitoring and best practices (stage 3).
    "samples/ustyany-municipality.lua": [],
    # The district's roadmap has no bases of mentees and mentors, and forms pairs (1.2, by
    # September) before mentors are trained (2.1, October); its organisations each lack a
    # stage (no training of mentors; best practices only as an expected result).
    "samples/sosnovsky-district.lua": [
        (92, "", MISSING.format("Формирование базы наставляемых")),
        (92, "", MISSING.format("Формирование базы наставников")),
        (123, "", "пункт 1.2: «Формирование наставнических пар (групп)» (срок до 30.09.2025) стоит раньше, "
                  "чем «Отбор и обучение наставников» (с 01.10.2025), а по методологии — после"),
        (138, "МБОУ «Сосновская СОШ № 1»: ", MISSING.format("Отбор и обучение наставников")),
        (138, "МБОУ «Сосновская СОШ № 1»: ", PRACTICES),
        (80, "МБОУ «Сосновский лицей»: ", MISSING.format("Отбор и обучение наставников")),
        (76, "МКОУ «Кедровская ООШ»: ", MISSING.format("Отбор и обучение наставников")),
        (76, "МКОУ «Кедровская ООШ»: ", PRACTICES),
        (113, "КГБПОУ «Сосновский аграрный техникум»: ", MISSING.format("Формирование базы наставляемых")),
        (113, "КГБПОУ «Сосновский аграрный техникум»: ", PRACTICES),
    ],
    "samples/sosnovsky/school-1.lua": [(138, "", MISSING.format("Отбор и обучение наставников")), (138, "", PRACTICES)],
    "samples/sosnovsky/lyceum.lua": [(80, "", MISSING.format("Отбор и обучение наставников"))],
    "samples/sosnovsky/kedrovaya.lua": [(76, "", MISSING.format("Отбор и обучение наставников")), (76, "", PRACTICES)],
    "samples/sosnovsky/agro-college.lua": [(113, "", MISSING.format("Формирование базы наставляемых")), (113, "", PRACTICES)],
    # The fixtures: the pair-forming stage missing (its roadmap is on line 10); pairs formed
    # (item 4, line 15) before the base of mentors and their training begin (November);
    # the same stages in other words (bank, register, «Школа наставника», закрепление).
    "tests/year/fixtures/no-pairs.lua": [(10, "", MISSING.format("Формирование наставнических пар (групп)"))],
    "tests/year/fixtures/pairs-before-mentors.lua": [
        (15, "", "пункт 4: «Формирование наставнических пар (групп)» (срок до 15.10.2025) стоит раньше, "
                 "чем «Формирование базы наставников» (с 01.11.2025), а по методологии — после"),
        (15, "", "пункт 4: «Формирование наставнических пар (групп)» (срок до 15.10.2025) стоит раньше, "
                 "чем «Отбор и обучение наставников» (с 01.11.2025), а по методологии — после"),
    ],
    "tests/year/fixtures/other-wording.lua": [],
}

# a municipality's organisations are read from their own files
FILE_OF = {"МБОУ «Сосновская СОШ № 1»: ": "samples/sosnovsky/school-1.lua",
           "МБОУ «Сосновский лицей»: ": "samples/sosnovsky/lyceum.lua",
           "МКОУ «Кедровская ООШ»: ": "samples/sosnovsky/kedrovaya.lua",
           "КГБПОУ «Сосновский аграрный техникум»: ": "samples/sosnovsky/agro-college.lua"}

for path, expected in EXPECTED.items():
    r = run("check", path)
    if r.returncode != 0:
        failures.append(f"check {path}: exit {r.returncode} (warnings must not fail the check)\n{r.stderr}")
    # (the remarks of the orders in time — ": замечание:" — are another test's: documents/, bad/)
    got = [line for line in r.stderr.replace("\u00a0", " ").splitlines() if line and ": замечание: " not in line]
    if len(got) != len(expected):
        failures.append(f"{path}: {len(got)} warnings, expected {len(expected)}:\n  " + "\n  ".join(got))
    for line, (number, prefix, message) in zip(got, expected):
        head = f"{FILE_OF.get(prefix, path)}:{number}: предупреждение: {prefix}целевая модель: {message}"
        if not line.startswith(head):
            failures.append(f"{path}: warning\n  {line}\nexpected to start with\n  {head}")
        elif " — добавьте " not in line and "по методологии" not in line:
            failures.append(f"{path}: the warning does not say what to add: {line}")
        if "[Р-145" not in line:
            failures.append(f"{path}: the warning does not cite the methodology: {line}")

# --strict: the same warnings are errors, exit 1; a roadmap without them still passes.
r = run("check", "--strict", "tests/year/fixtures/no-pairs.lua")
if r.returncode != 1 or "tests/year/fixtures/no-pairs.lua:10: ошибка: целевая модель: в дорожной карте нет этапа «Формирование наставнических пар (групп)»" not in r.stderr \
        or "расхождений с целевой моделью: 1 (--strict)" not in r.stderr:
    failures.append(f"check --strict: exit {r.returncode}\n{r.stderr}")
r = run("check", "--strict", "samples/lyceum-2.lua", "tests/year/fixtures/other-wording.lua")
if r.returncode != 0 or r.stderr:
    failures.append(f"check --strict of roadmaps that follow the model: exit {r.returncode}\n{r.stderr}")

# The rules are one table a methodologist can read: every stage cites the methodology.
rules = open("scripts/nastavnik/target_model.lua", encoding="utf-8").read()
for stage in ["Подготовка условий для запуска программы наставничества", "Формирование базы наставляемых",
              "Формирование базы наставников", "Отбор и обучение наставников", "Формирование наставнических пар (групп)",
              "Организация работы наставнических пар (групп)", "Завершение программы наставничества",
              "Назначение куратора", "Мониторинг реализации программы"]:
    if f'title = "{stage}"' not in rules:
        failures.append(f"target_model.lua has no stage «{stage}»")
if rules.count("cites = ") < 11:
    failures.append("not every stage and action of target_model.lua cites the methodology")

if failures:
    print("\n".join(failures))
    print(f"0 passed, {len(failures)} failed")
    sys.exit(1)
print("check: all target-model checks passed")
