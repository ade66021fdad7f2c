#!/usr/bin/env python3
"""Every sample loads, its summary counts match its seed, and no word of a seed is lost.

The seeds (tests/seeds/*.txt) are the plain-text extracts of real roadmaps that the samples
transcribe. A word of a seed that appears nowhere in the loaded model means the sample lost
it (numbers of items, dashes and the like are compared too, as words).
"""
import json
import re
import subprocess
import sys

binary = sys.argv[1]
failures = []

# Items (count of item{} including child items) and titled stages of each seed, counted by
# hand from the seed's table.
SEEDED = {
    "boguchany-school-4": {"items": 22, "stages": 5, "type": "organisation"},
    "ustyany-municipality": {"items": 17, "stages": 3, "type": "municipality"},
    "tashtagol-district": {"items": 14, "stages": 5, "type": "municipality"},
    "lyceum-2": {"items": 7, "stages": 0, "type": "organisation"},
    "forest-class": {"items": 5, "stages": 3, "type": "organisation"},
}
# Parts of a seed that are not roadmap content: the empty monitoring forms of the Ustyany
# seed are document templates (they are generated from the organisations' figures).
SEED_CUT = {"ustyany-municipality": "Нормативное сопровождение реализации"}
# Extraction artefacts of the seeds that the samples mend (a word split by a line break).
# Words the documents print themselves (the approval stamp "«УТВЕРЖДАЮ» … Приказ № 146 от …"
# is made from the order and the head, not typed as text).
SEED_ARTEFACTS_GENERATED = {"утверждаю", "приказ"}
SEED_ARTEFACTS = SEED_ARTEFACTS_GENERATED | {"руководит", "ели", "персонализированн", "ых", "ul", "style", "list", "type", "none", "li"}


def run(*args):
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=60)


def load(sample):
    r = run("dump", f"samples/{sample}.lua")
    if r.returncode != 0:
        failures.append(f"{sample}: dump failed ({r.returncode}):\n{r.stderr}")
        return None
    return json.loads(r.stdout)


def all_text(value, out):
    if isinstance(value, str):
        out.append(value)
    elif isinstance(value, dict):
        for v in value.values():
            all_text(v, out)
    elif isinstance(value, list):
        for v in value:
            all_text(v, out)
    return out


def words(text):
    text = text.replace("\u00a0", " ").replace("ё", "е")
    return {w.lower() for w in re.findall(r"[0-9A-Za-zА-Яа-яЁё]+", text)}


def count(roadmap):
    def items(list_):
        return sum(1 + items(i["items"]) for i in list_)
    stages = sum(1 for s in roadmap["stages"] if s.get("title"))
    return sum(items(s["items"]) for s in roadmap["stages"]), stages


for sample, want in SEEDED.items():
    model = load(sample)
    if model is None:
        continue
    if model["type"] != want["type"]:
        failures.append(f"{sample}: type {model['type']}, expected {want['type']}")
    n_items, n_stages = count(model["roadmap"])
    if (n_items, n_stages) != (want["items"], want["stages"]):
        failures.append(f"{sample}: {n_items} items in {n_stages} stages, seed has "
                        f"{want['items']} in {want['stages']}")
    summary = run("check", f"samples/{sample}.lua").stdout
    if f"дорожная карта: {want['items']} " not in summary:
        failures.append(f"{sample}: summary does not say {want['items']} items:\n{summary}")
    with open(f"tests/seeds/{sample}.txt", encoding="utf-8") as f:
        seed = f.read()
    if sample in SEED_CUT:
        seed = seed[: seed.index(SEED_CUT[sample])]
    missing = words(seed) - words("\n".join(all_text(model, []))) - SEED_ARTEFACTS
    if missing:
        failures.append(f"{sample}: words of the seed missing from the sample: {sorted(missing)}")

# The municipal sample: at least 3 organisations, 30 pairs in 3 forms, orders and figures.
model = load("sosnovsky-district")
if model is not None:
    orgs = model["organisations"]
    all_pairs = [p for o in orgs for p in o["pairs"]]
    forms = {p["form"]["title"] for p in all_pairs}
    if len(orgs) < 3 or len(all_pairs) < 30 or len(forms) < 3:
        failures.append(f"sosnovsky-district: {len(orgs)} organisations, {len(all_pairs)} pairs, "
                        f"{len(forms)} forms; need 3, 30, 3")
    for o in orgs:
        kinds = {order["kind"] for order in o["orders"]}
        if not {"roadmap", "pairs", "curator"} <= kinds:
            failures.append(f"sosnovsky-district: {o['short_name']} lacks orders: {kinds}")
        if not o.get("curator"):
            failures.append(f"sosnovsky-district: {o['short_name']} has no curator")
    summary = run("check", "samples/sosnovsky-district.lua").stdout
    if f"пары и группы: {len(all_pairs)}" not in summary:
        failures.append(f"sosnovsky-district: summary does not count {len(all_pairs)} pairs:\n{summary}")

# The roadmap of a school, a college and an employer: columns of its own, cells merged in
# several columns, partners and their people, orders not issued yet, numbers given by the
# generator (the paper's № column is empty), two lists in one cell.
model = load("forest-class")
if model is not None:
    rm = model["roadmap"]
    keys = [c["key"] for c in rm["columns"]]
    if len(keys) < 6 or not any(c.get("free") for c in rm["columns"]):
        failures.append(f"forest-class: columns {keys}, need 6 with one of its own")
    merged = set()
    for stage in rm["stages"]:
        for item in stage["items"]:
            for row in item["rows"]:
                merged |= set((row.get("above") or {}).keys())
    if len(merged - {"title", "number"}) < 2:
        failures.append(f"forest-class: merged cells in {sorted(merged)}, need two columns besides the title")
    if [p["short_name"] for p in model["partners"]] != ["КГБПОУ «Лесной техникум»", "ООО «Лесхоз»"]:
        failures.append(f"forest-class: partners {model['partners']}")
    if [o.get("planned") for o in model["orders"]] != [True, True]:
        failures.append(f"forest-class: orders {model['orders']}")
    numbers = [i["number"] for s in rm["stages"] for i in s["items"]]
    if numbers != ["1.1", "1.2", "2.1", "2.2", "3.1"]:
        failures.append(f"forest-class: numbers {numbers}")
    events = rm["stages"][0]["items"][0]["free"]["events"]
    if [len(b["items"]) for b in events] != [2, 2]:
        failures.append(f"forest-class: the two lists of item 1.1 are {events}")

# All samples at once, as the README's first command runs them.
import glob
r = run("check", *sorted(glob.glob("samples/*.lua")))
if r.returncode != 0:
    failures.append(f"check samples/*.lua exited {r.returncode}:\n{r.stderr}")

for f in failures:
    print("FAIL:", f)
print("samples: all checks ok" if not failures else f"samples: {len(failures)} problem(s)")
sys.exit(1 if failures else 0)
