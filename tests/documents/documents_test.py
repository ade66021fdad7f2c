#!/usr/bin/env python3
"""The document kinds of the programme's paperwork, through `nastavnik view`.

For every sample and every kind below: the view is made (or refused with the documented
reason), the words a secretary checks are in it (names declined, the parent's line of a
minor, order numbers and dates), the number of instances (--item) equals the number of pairs,
participants or mentors counted here from `nastavnik dump`, and the monitoring totals equal
the sums of the organisations' figures computed here independently. No PDF is made.

Usage: documents_test.py NASTAVNIK_BINARY   (run from the top of the source tree)
"""
import concurrent.futures
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

binary = sys.argv[1]
failures = []
NBSP = "\u00a0"

SAMPLES = (sorted(glob.glob("samples/*.lua")) + sorted(glob.glob("samples/sosnovsky/*.lua"))
           + sorted(glob.glob("tests/documents/fixtures/*.lua")))
FIXTURE = "tests/documents/fixtures/school-with-parents.lua"


def run(*args):
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=60)


def fail(message):
    failures.append(message)


def dump(sample):
    r = run("dump", sample)
    if r.returncode != 0:
        fail(f"{sample}: dump failed ({r.returncode}): {r.stderr}")
        return None
    # Documents print the model's text with the non-breaking spaces of Russian typography
    # ("№ 1", "2025 г."): expect them so.
    text = re.sub(r"№\s+", "№" + NBSP, r.stdout)
    text = re.sub(r"(\d) (гг?\.)", "\\1" + NBSP + "\\2", text)
    return json.loads(text)


def view(sample, kind, org=None, item=None, label=None):
    """The view JSON, or None when refused; failures are recorded by the callers."""
    args = ["view", sample, kind]
    if org is not None:
        args += ["--org", str(org)]
    if item is not None:
        args += ["--item", str(item)]
    r = run(*args)
    if r.returncode == 0:
        return json.loads(r.stdout), r
    return None, r


def expect_view(sample, kind, org=None, item=None):
    v, r = view(sample, kind, org, item)
    if v is None:
        fail(f"{sample} {kind} org={org} item={item}: view failed ({r.returncode}): {r.stderr.strip()}")
    return v


def expect_refusal(sample, kind, reason, org=None, item=None):
    v, r = view(sample, kind, org, item)
    where = f"{sample} {kind} org={org} item={item}"
    if v is not None:
        fail(f"{where}: view succeeded, expected a refusal «{reason}»")
    elif r.returncode != 1:
        fail(f"{where}: exit {r.returncode}, expected 1: {r.stderr.strip()}")
    elif reason not in r.stderr:
        fail(f"{where}: the reason lacks «{reason}»: {r.stderr.strip()}")


def strings(value, out=None):
    out = [] if out is None else out
    if isinstance(value, str):
        out.append(value)
    elif isinstance(value, dict):
        for v in value.values():
            strings(v, out)
    elif isinstance(value, list):
        for v in value:
            strings(v, out)
    return out


def typography(where, v):
    """What a secretary would correct by hand: straight quotes, a doubled full stop after "г."."""
    for s in strings(v):
        if '"' in s:
            fail(f"{where}: straight quotes in «{s[:80]}»")
        if "г.." in s:
            fail(f"{where}: doubled full stop in «{s[:120]}»")


def initials(full):
    """"Гусева Ольга Викторовна" -> "О.В. Гусева" (with a non-breaking space)."""
    surname, *rest = full.split()
    return "".join(w[0] + "." for w in rest) + NBSP + surname


def fmt_date(iso):
    y, m, d = iso.split("-")
    return f"{d}.{m}.{y}"


def order_ref(order):
    return f"от {fmt_date(order['date'])} №{NBSP}{order['number']}"


def order_of(org, kind):
    for o in org.get("orders", []):
        if o["kind"] == kind:
            return o
    return None


def participants(org, only=None):
    seen, out = set(), []
    for pair in org.get("pairs", []):
        people = []
        if only != "mentee":
            people += pair["mentors"]
        if only != "mentor":
            people += pair["mentees"]
        for p in people:
            if p["full"] not in seen:
                seen.add(p["full"])
                out.append(p)
    return out


def check_instances(sample, kind, org_arg, expected, per_item):
    """--item 1..N give views (each checked by per_item), N+1 is refused with the count."""
    if expected == 0:
        return
    for i in range(1, expected + 1):
        v = expect_view(sample, kind, org_arg, i)
        if v is None:
            continue
        inst = v.get("instance", {})
        if inst.get("count") != expected or inst.get("number") != i:
            fail(f"{sample} {kind} org={org_arg} item={i}: instance {inst}, expected {i} of {expected}")
        typography(f"{sample} {kind} org={org_arg} item={i}", v)
        per_item(i, v)
    expect_refusal(sample, kind, f"всего {expected}", org_arg, expected + 1)


# --------------------------------------------------------------------------------------
# Per kind

def check_order_regulation(sample, subject, org_arg):
    v = expect_view(sample, "order-regulation", org_arg)
    if v is None:
        return
    where = f"{sample} order-regulation org={org_arg}"
    typography(where, v)
    order = order_of(subject, "regulation")
    stamp = v["regulation"]["stamp"]["lines"]
    if stamp[0] != "УТВЕРЖДЕНО":
        fail(f"{where}: the appendix stamp opens with {stamp[0]!r}")
    if order:
        if v["order"]["number"] != order["number"]:
            fail(f"{where}: order number {v['order']['number']!r}, expected {order['number']!r}")
        if order_ref(order) not in " ".join(stamp):
            fail(f"{where}: the stamp {stamp} lacks «{order_ref(order)}»")
        if not re.match(r"^\d{1,2}\u00a0[а-я]+ \d{4}\u00a0г\.$", v["order"]["date"]):
            fail(f"{where}: the order's date {v['order']['date']!r} is not in words")
    elif not v["order"].get("blank"):
        fail(f"{where}: no regulation order, yet the number is not left blank")
    if not v["points"][0]["text"].startswith("Утвердить Положение"):
        fail(f"{where}: the first point is {v['points'][0]['text']!r}")
    if v["regulation"]["heading"] != "ПОЛОЖЕНИЕ":
        fail(f"{where}: heading {v['regulation']['heading']!r}")
    if "Контроль за исполнением" not in v["points"][-1]["text"]:
        fail(f"{where}: the control sentence is not last")


def check_plan(sample, subject, org_arg):
    if subject["type"] == "municipality":
        expect_refusal(sample, "plan", "укажите организацию (--org)", org_arg)
        return
    pairs = subject.get("pairs", [])
    if not pairs:
        expect_refusal(sample, "plan", "нет наставнических пар", org_arg)
        return

    def per_item(i, v):
        where = f"{sample} plan org={org_arg} item={i}"
        pair = pairs[i - 1]
        if [m["name"] for m in v["mentors"]] != [m["full"] for m in pair["mentors"]]:
            fail(f"{where}: mentors {v['mentors']}")
        if [m["name"] for m in v["mentees"]] != [m["full"] for m in pair["mentees"]]:
            fail(f"{where}: mentees {v['mentees']}")
        titles = [m["title"] for m in v["meetings"]]
        for step in ("знакомств", "Пробная", "планирование", "Итогов"):
            if not any(step.lower() in t.lower() for t in titles):
                fail(f"{where}: the meeting cycle lacks «{step}»: {titles}")
        dated = [fmt_date(m["date"]) for m in pair.get("meetings", []) if m.get("date")]
        view_dates = [m["date"] for m in v["meetings"] if m["date"]]
        if sorted(dated) != sorted(view_dates):
            fail(f"{where}: meeting dates {view_dates}, expected {dated}")
        if len(v["meetings"]) - len(view_dates) != sum(1 for m in v["meetings"] if m["date"] == ""):
            fail(f"{where}: undated meetings do not have blank date cells")
        labels = [s["label"] for s in v["signatures"]]
        if labels[-1] != "Куратор":
            fail(f"{where}: the curator does not sign last: {labels}")
        for p in pair["mentors"] + pair["mentees"]:
            parent_rows = [s for s in v["signatures"] if s["label"].startswith("Родитель (законный представитель)")
                           and p["surname"][:-1] in s["label"]]
            if p.get("minor") and not parent_rows:
                fail(f"{where}: no parent's signature for the minor {p['full']}: {labels}")
            if p.get("minor") and p.get("parent") and parent_rows and parent_rows[0]["name"] != initials(p["parent"]):
                fail(f"{where}: the parent of {p['full']} signs as {parent_rows[0]['name']!r}")
            if not p.get("minor") and parent_rows:
                fail(f"{where}: a parent signs for the adult {p['full']}")
        expected_number = pair.get("number") or str(i)
        if f"№{NBSP}{expected_number})" not in v["subtitle"]:
            fail(f"{where}: subtitle {v['subtitle']!r}")
        if pair.get("from") and pair.get("to") and not v["period"].startswith("с "):
            fail(f"{where}: period {v['period']!r}")

    check_instances(sample, "plan", org_arg, len(pairs), per_item)


def check_consent_data(sample, subject, org_arg):
    if subject["type"] == "municipality":
        expect_refusal(sample, "consent-data", "укажите организацию (--org)", org_arg)
        return
    people = participants(subject)
    if not people:
        expect_refusal(sample, "consent-data", "нет наставнических пар", org_arg)
        return

    def per_item(i, v):
        where = f"{sample} consent-data org={org_arg} item={i}"
        p = people[i - 1]
        lines = [line["text"] for line in v["lines"]]
        form = "\n".join(lines)
        if v["person"]["name"] != p["full"]:
            fail(f"{where}: person {v['person']['name']!r}, expected {p['full']!r}")
        if f"27.07.2006 №{NBSP}152-ФЗ «О персональных данных»" not in form:
            fail(f"{where}: the law is not cited: {form[-300:]}")
        if subject["full_name"] not in form:
            fail(f"{where}: the operator's full name is missing")
        contacts = subject.get("contacts")
        address = subject.get("address") or (contacts.get("address") if isinstance(contacts, dict) else None)
        if address and (address not in form or address not in v["paragraphs"][5]):
            fail(f"{where}: the operator's address is missing (the operator, where to revoke)")
        if p.get("minor"):
            if "являясь законным представителем несовершеннолетне" not in form:
                fail(f"{where}: the consent of a minor lacks the parent's line: {form[:200]}")
            who = p.get("parent") or "____"
            if not lines[0].startswith("Я, " + who):
                fail(f"{where}: the consent of a minor does not open with the parent: {lines[0][:80]}")
            if p.get("parent") and v["signature"]["name"] != initials(p["parent"]):
                fail(f"{where}: the parent signs as {v['signature']['name']!r}")
            if v["signature"]["label"] != "Родитель (законный представитель)":
                fail(f"{where}: signature label {v['signature']['label']!r}")
            if p["full"] in form:
                fail(f"{where}: the minor's name is left in the nominative")
        else:
            if not lines[0].startswith("Я, " + p["full"]):
                fail(f"{where}: the consent does not open with the person's name: {lines[0][:80]}")
            if v["signature"]["name"] != p["signature"]:
                fail(f"{where}: signature {v['signature']['name']!r}, expected {p['signature']!r}")

    check_instances(sample, "consent-data", org_arg, len(people), per_item)


def check_consent_mentor(sample, subject, org_arg):
    if subject["type"] == "municipality":
        expect_refusal(sample, "consent-mentor", "укажите организацию (--org)", org_arg)
        return
    mentors = participants(subject, "mentor")
    if not mentors:
        expect_refusal(sample, "consent-mentor", "нет наставнических пар", org_arg)
        return

    def per_item(i, v):
        where = f"{sample} consent-mentor org={org_arg} item={i}"
        p = mentors[i - 1]
        if v["person"]["name"] != p["full"]:
            fail(f"{where}: person {v['person']['name']!r}, expected {p['full']!r}")
        body = v["paragraphs"][0]
        if p.get("minor"):
            if "являясь законным представителем" not in body:
                fail(f"{where}: a minor mentor's consent lacks the parent's line")
        elif not body.startswith("Я, " + p["full"]):
            fail(f"{where}: body opens {body[:80]!r}")
        led = [pair for pair in subject["pairs"] if any(m["full"] == p["full"] for m in pair["mentors"])]
        if len(v["assignments"]) != len(led):
            fail(f"{where}: {len(v['assignments'])} assignments, expected {len(led)}")

    check_instances(sample, "consent-mentor", org_arg, len(mentors), per_item)


def roadmap_sources(rm):
    """(kind, due) in the order the report lists them."""
    out = []

    def walk(item):
        if item.get("rows"):
            out.extend(r.get("due") for r in item["rows"])
        else:
            out.append(item.get("due"))
        for child in item.get("items", []):
            walk(child)

    for stage in rm["stages"]:
        for item in stage["items"]:
            walk(item)
    return out


def expected_state(due, date):
    """What the deadline alone says: never "просрочено" (nobody marked it)."""
    if not due or not due.get("from") or not due.get("to") or due["to"] < date:
        return "нет отметки"
    if due["from"] > date:
        return "срок не наступил"
    return "срок не истёк"


def roadmap_marks(rm):
    """(state, comment) the curator wrote, in the order the report lists the rows."""
    out = []

    def walk(item):
        if item.get("rows"):
            out.extend((r.get("state"), r.get("comment")) for r in item["rows"])
        else:
            out.append((item.get("state"), item.get("comment")))
        for child in item.get("items", []):
            walk(child)

    for stage in rm["stages"]:
        for item in stage["items"]:
            walk(item)
    return out


ROADMAP_CELLS = ("title", "content", "due", "result", "responsible")


def plain(value):
    """The words of a cell of the dump (rich text, or a date or people with their text)."""
    if isinstance(value, dict) and "text" in value:
        value = value["text"]
    return " ".join(" ".join(strings(value)).replace(NBSP, " ").split())


def check_roadmap(sample, subject, org_arg):
    """Every cell an item or sub-row writes is in the roadmap's table, or `check` says in a
    remark that its column is missing (nothing dropped without a word)."""
    rm = subject.get("roadmap")
    if not rm:
        return
    v = expect_view(sample, "roadmap", org_arg)
    if v is None:
        return
    table = " ".join(" ".join(strings(v["table"])).replace(NBSP, " ").split())
    remarks = run("check", sample).stderr
    told = set()

    def walk(item):
        for source in [item] + item.get("rows", []):
            for key in ROADMAP_CELLS:
                words = plain(source.get(key))
                if not words or words in table or key in told:
                    continue
                told.add(key)
                if f"поле {key} записано в пунктах, но в columns нет такого столбца" not in remarks:
                    fail(f"{sample} roadmap org={org_arg}: the {key} «{words[:60]}» of item {item.get('number')} "
                         f"is not in the table, and check says nothing of it")
        for child in item.get("items", []):
            walk(child)

    for stage in rm["stages"]:
        for item in stage["items"]:
            walk(item)


def check_roadmap_report(sample, subject, org_arg):
    if not subject.get("roadmap"):
        expect_refusal(sample, "roadmap-report", "нет дорожной карты", org_arg)
        return
    v = expect_view(sample, "roadmap-report", org_arg)
    if v is None:
        return
    where = f"{sample} roadmap-report org={org_arg}"
    typography(where, v)
    rm = subject["roadmap"]
    date = rm["period"]["to"]
    rows = [r for r in v["rows"] if r["kind"] == "item"]
    dues = roadmap_sources(rm)
    marks = roadmap_marks(rm)
    if len(rows) != len(dues):
        fail(f"{where}: {len(rows)} rows, expected {len(dues)}")
        return
    for k, (row, due, (state, comment)) in enumerate(zip(rows, dues, marks)):
        if state:  # the curator's mark wins, as she wrote it
            if row["state"] != state.lower() or row["basis"] != "mark" or (comment and row["comment"] != comment):
                fail(f"{where}: row {k + 1}: state {row['state']!r} ({row['basis']}), marked {state!r} / {comment!r}")
        elif row["basis"] == "evidence":  # done, and what shows it is printed
            if row["state"] != "выполнено" or not row["comment"]:
                fail(f"{where}: row {k + 1}: evidence without «выполнено» and its basis: {row}")
        elif row["state"] != expected_state(due, date):
            fail(f"{where}: row {k + 1} ({row['due']!r}) state {row['state']!r}, expected {expected_state(due, date)!r}")
        if row["state"] == "просрочено" and not state:
            fail(f"{where}: row {k + 1}: «просрочено» guessed")
    total = sum(v["counts"].values())
    if total != len(rows) or v["total"] != len(rows):
        fail(f"{where}: counts {v['counts']} (total {v['total']}) do not add up to {len(rows)}")
    if not v["summary"].startswith(f"Всего пунктов: {len(rows)}."):
        fail(f"{where}: summary {v['summary']!r}")
    if v["as_of"] != "по состоянию на " + v["date_words"]:
        fail(f"{where}: as_of {v['as_of']!r}")
    if subject["type"] != "municipality" and v.get("audience") != "к заседанию педагогического совета":
        fail(f"{where}: audience {v.get('audience')!r}")


def check_practices(sample, subject, org_arg):
    if subject["type"] == "municipality":
        expected = [(p["title"], None) for p in subject.get("practices", [])]
        for org in subject.get("organisations", []):
            expected += [(p["title"], org) for p in org.get("practices", [])]
    else:
        expected = [(p["title"], subject) for p in subject.get("practices", [])]
    if not expected:
        expect_refusal(sample, "practices", "нет практик наставничества", org_arg)
        return
    v = expect_view(sample, "practices", org_arg)
    if v is None:
        return
    where = f"{sample} practices org={org_arg}"
    typography(where, v)
    titles = [c["title"] for c in v["contents"]]
    if titles != [t for t, _ in expected]:
        fail(f"{where}: contents {titles}, expected {[t for t, _ in expected]}")
    if [s["title"] for s in v["sections"]] != titles:
        fail(f"{where}: sections do not follow the contents")
    for s, (_, org) in zip(v["sections"], expected):
        if not s["authors"]:
            fail(f"{where}: «{s['title']}» has no authors")
        if org is not None and s["organisation"] != org["short_name"]:
            fail(f"{where}: «{s['title']}» organisation {s['organisation']!r}, expected {org['short_name']!r}")


def events_of(org):
    seen, out = set(), []
    for e in org.get("events", []) + [e for p in org.get("practices", []) for e in p.get("presented", [])]:
        key = (e.get("title"), e.get("date"))
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


def check_monitoring(sample, model, org_arg):
    if model["type"] != "municipality":
        expect_refusal(sample, "monitoring", "мониторинг составляется для муниципалитета", org_arg)
        return
    if org_arg is not None:
        expect_refusal(sample, "monitoring", "мониторинг составляется для муниципалитета", org_arg)
        return
    v = expect_view(sample, "monitoring")
    if v is None:
        return
    where = f"{sample} monitoring"
    typography(where, v)
    orgs = model.get("organisations", [])
    reg, imp = v["regulatory"], v["implementation"]
    if len(reg["rows"]) != len(orgs) or len(imp["rows"]) != len(orgs):
        fail(f"{where}: {len(reg['rows'])}/{len(imp['rows'])} rows, expected {len(orgs)}")
        return
    if len(reg["columns"]) != 7 or len(imp["columns"]) != 5:
        fail(f"{where}: the forms' columns differ from the seed's (7 and 5)")
    pairs_sum = completed_sum = 0
    distinct_events = set()
    for org, r, m in zip(orgs, reg["rows"], imp["rows"]):
        for field, kind in (("regulation", "regulation"), ("roadmap", "roadmap"), ("pairs", "pairs"),
                            ("curator", "curator")):
            o = order_of(org, kind)
            want = order_ref(o) if o else "—"
            if r[field] != want:
                fail(f"{where}: {org['short_name']}: {field} {r[field]!r}, expected {want!r}")
        cur = org.get("curator")
        if cur:
            for part in (cur["full"], cur.get("email"), cur.get("phone")):
                if part and part not in r["curator_contacts"]:
                    fail(f"{where}: {org['short_name']}: curator contacts lack {part!r}")
        n_pairs = len(org.get("pairs", []))
        n_completed = sum(1 for p in org.get("pairs", []) if p.get("completed"))
        n_events = len(events_of(org))
        distinct_events |= {(e.get("title", "").lower(), e.get("date")) for e in events_of(org)}
        if (m["pairs_count"], m["completed_count"], m["events_count"]) != (n_pairs, n_completed, n_events):
            fail(f"{where}: {org['short_name']}: figures {m['pairs_count']}/{m['completed_count']}/"
                 f"{m['events_count']}, expected {n_pairs}/{n_completed}/{n_events}")
        if m["pairs"] != str(n_pairs) or m["completed"] != str(n_completed):
            fail(f"{where}: {org['short_name']}: printed figures {m['pairs']!r}/{m['completed']!r}")
        pairs_sum += n_pairs
        completed_sum += n_completed
    t = imp["totals"]
    # the events counted once each, however many organisations took part in them
    events_sum = len(distinct_events)
    if (t["pairs_count"], t["completed_count"], t["events_count"]) != (pairs_sum, completed_sum, events_sum):
        fail(f"{where}: totals {t['pairs_count']}/{t['completed_count']}/{t['events_count']}, "
             f"expected the sums {pairs_sum}/{completed_sum} and {events_sum} distinct events")
    # by form: pairs, mentors and mentees (each person once)
    all_pairs = [p for org in orgs for p in org.get("pairs", [])]
    total = v["forms"]["total"]
    mentors = {m["full"] for p in all_pairs for m in p["mentors"]}
    mentees = {m["full"] for p in all_pairs for m in p["mentees"]}
    if (total["pairs_count"], total["mentors_count"], total["mentees_count"]) != (len(all_pairs), len(mentors), len(mentees)):
        fail(f"{where}: by form total {total}, expected {len(all_pairs)} pairs, {len(mentors)} mentors, {len(mentees)} mentees")
    if sum(r["pairs_count"] for r in v["forms"]["rows"]) != len(all_pairs):
        fail(f"{where}: the rows by form do not add up to {len(all_pairs)} pairs")
    if not v["as_of"].startswith("по состоянию на "):
        fail(f"{where}: as_of {v['as_of']!r}")
    printed = (t["pairs"], t["completed"])
    want = ("", "") if not orgs else (str(pairs_sum), str(completed_sum))
    if printed != want:
        fail(f"{where}: printed totals {printed}, expected {want}")
    if orgs and t["events"] != f"мероприятий: {events_sum}":
        fail(f"{where}: printed events total {t['events']!r}")
    if not orgs and reg.get("blank_rows", 0) == 0:
        fail(f"{where}: no organisations described, yet no blank rows to fill in")
    if "в образовательных организациях" not in reg["title"] or not reg["title"].startswith(
            "Нормативное сопровождение реализации программ наставничества"):
        fail(f"{where}: title {reg['title']!r}")


CHECKS = {
    "roadmap": check_roadmap,
    "order-regulation": check_order_regulation,
    "plan": check_plan,
    "consent-data": check_consent_data,
    "consent-mentor": check_consent_mentor,
    "roadmap-report": check_roadmap_report,
    "practices": check_practices,
}


# --------------------------------------------------------------------------------------
# Words checked by eye once, kept here: declension of names, posts and participles.

def contains(sample, kind, org, item, field_path, words):
    v = expect_view(sample, kind, org, item)
    if v is None:
        return
    # the texts bind short words and numbers by non-breaking spaces (russian.nbsp)
    text = "\n".join(strings(v if field_path is None else v[field_path])).replace("\u00a0", " ")
    for w in words:
        if w.replace("\u00a0", " ") not in text:
            fail(f"{sample} {kind} org={org} item={item}: lacks «{w}»")


def find_item(sample, kind, org, name):
    """The --item of the consent of `name` (the order of the participants is the pairs')."""
    for i in range(1, 100):
        v, _ = view(sample, kind, org, i)
        if v is None:
            break
        if v["person"]["name"] == name:
            return i
    fail(f"{sample} {kind} org={org}: no consent for {name}")
    return None


def known_words():
    s = "samples/sosnovsky-district.lua"
    # The orders on the regulation were issued before the curators were appointed: they leave
    # the name blank and say why (the order of 28.08 cannot name a curator of 01.09).
    blank = "______________________________"
    contains(s, "order-regulation", 1, None, None,
             [f"Куратору внедрения целевой модели наставничества {blank} ознакомить",
              "куратор назначен позже, приказом № 145 от 01.09.2025"])
    contains(s, "order-regulation", None, None, None,
             ["Положение о муниципальной системе наставничества в образовательных организациях "
              "Сосновского муниципального округа", "Муниципальному куратору внедрения целевой модели "
              f"наставничества {blank} обеспечить", f"от 22.08.2025 №{NBSP}298"])
    # The approval stamp names the issuer in the genitive (declension.organisation); a school's
    # abbreviation stays as it is.
    contains(s, "order-regulation", None, None, "regulation",
             ["приказом Управления образования администрации Сосновского муниципального округа"])
    contains("samples/ustyany-municipality.lua", "order-regulation", None, None, "regulation",
             ["приказом Управления образования"])
    contains(s, "order-regulation", 4, None, "regulation", ["приказом КГБПОУ «Сосновский аграрный техникум»"])
    # A name the declension cannot put in the genitive is not printed in the nominative: the
    # place is left blank, and the view says so.
    with tempfile.TemporaryDirectory() as tmp:
        school = os.path.join(tmp, "bureau.lua")
        with open(school, "w") as f:
            f.write('return organisation { full_name = "Бюро дополнительного образования «Эрудит»", '
                    'short_name = "Бюро «Эрудит»" }\n')
        contains(school, "order-regulation", None, None, None,
                 ["приказом ______________________________",
                  "«Бюро «Эрудит»» не удалось поставить в родительный падеж"])
    # Orders issued after the appointment name her.
    contains(s, "order-pairs", 1, None, "points",
             ["Куратору внедрения целевой модели наставничества Гончаренко Оксане Петровне"])
    contains(s, "order-roadmap", 1, None, "points",
             ["на куратора внедрения целевой модели наставничества Гончаренко Оксану Петровну"])
    contains(s, "order-roadmap", None, None, "points",
             ["Утвердить дорожную карту реализации целевой модели наставничества в образовательных "
              "организациях Сосновского муниципального округа"])
    contains(s, "plan", 1, 1, "signatures",
             [f"Родитель (законный представитель) несовершеннолетнего Кузнецова{NBSP}А.С.",
              f"Г.М.{NBSP}Савельева", f"О.П.{NBSP}Гончаренко"])
    contains(s, "plan", 1, 1, None, ["с 22\u00a0сентября 2025\u00a0г. по 29\u00a0мая 2026\u00a0г.",
                                     "«учитель–ученик»", "обучающийся 7 «А» класса", "УТВЕРЖДАЮ"])
    for name, words in (
            ("Кузнецов Артём Сергеевич", ["являясь законным представителем несовершеннолетнего Кузнецова "
                                          "Артёма Сергеевича, обучающегося 7 «А» класса"]),
            ("Морозова Виктория Алексеевна", ["несовершеннолетней Морозовой Виктории Алексеевны, "
                                              "обучающейся 7 «А» класса"]),
            ("Савельева Галина Михайловна", ["Я, Савельева Галина Михайловна, учитель математики,", "проживающая по адресу"])):
        i = find_item(s, "consent-data", 1, name)
        if i:
            contains(s, "consent-data", 1, i, "lines", words)
    i = find_item(s, "consent-data", 4, "Соловьёва Арина Максимовна")
    if i:
        contains(s, "consent-data", 4, i, "lines", ["обучающейся 8 класса МКОУ «Кедровская ООШ»"])
    i = find_item(s, "consent-mentor", 1, "Савельева Галина Михайловна")
    if i:
        contains(s, "consent-mentor", 1, i, "paragraphs",
                 ["наставляемого Кузнецова Артёма Сергеевича (обучающегося 7 «А» класса)",
                  "наставляемой Ершовой Дарьи Андреевны (учителя математики)",
                  f"утверждённым приказом от 28.08.2025 №{NBSP}138", "Я ознакомлена"])
    i = find_item(s, "consent-mentor", 1, "Орлова Алина Романовна")
    if i:
        contains(s, "consent-mentor", 1, i, None,
                 ["законным представителем несовершеннолетней Орловой Алины Романовны",
                  "Родитель (законный представитель)"])
    # 6 events, one of them (the festival of 12.03.2026) attended by several organisations
    contains(s, "monitoring", None, None, "implementation", ["мероприятий: 6"])
    contains(s, "monitoring", None, None, None, ["по состоянию на 31\u00a0августа 2026\u00a0г.", "Количество наставников"])
    contains(s, "monitoring", None, None, "regulatory",
             ["в образовательных организациях Сосновского муниципального округа в 2025–2026 учебном году",
              "Гончаренко Оксана Петровна, goncharenko.op@sosnovka-edu.ru"])
    contains(s, "roadmap-report", 1, None, None, ["к заседанию педагогического совета",
                                                  "по состоянию на 31\u00a0августа 2026\u00a0г."])
    f = FIXTURE
    contains(f, "consent-data", None, 2, None, ["Я, Гусева Ольга Викторовна,", "проживающая по адресу",
                                                 "несовершеннолетнего Гусева Павла Андреевича, обучающегося 6 «А» класса",
                                                 "Я ознакомлена", f"О.В.{NBSP}Гусева"])
    contains(f, "consent-data", None, 3, None, ["Я, Ильин Пётр Сергеевич,", "проживающий по адресу",
                                                 "несовершеннолетней Ильиной Софьи Петровны, обучающейся 9 класса"])
    contains(f, "plan", None, 1, None, ["выбрать тему исследования;", f"О.В.{NBSP}Гусева", "01.10.2025"])
    contains(f, "plan", None, 2, None, ["нет ФИО родителя Тихоновой", "нет данных о руководителе",
                                        "нет данных о кураторе", "срок не указан"])
    contains(f, "consent-mentor", None, 2, None, ["Я, Ильин Пётр Сергеевич, являясь законным представителем "
                                                  "несовершеннолетней Ильиной Софьи Петровны"])
    contains(f, "order-regulation", None, None, None, ["нет приказа «об утверждении Положения о наставничестве» (в описании — order с kind = regulation)"])
    contains(s, "practices", None, None, "sections",
             [f"Савельева Галина Михайловна, учитель математики, МБОУ «Сосновская СОШ №{NBSP}1»"])


# --------------------------------------------------------------------------------------

help_text = run("--help").stdout
for kind in json.loads(run("kinds").stdout):
    if kind["kind"] not in help_text:
        fail(f"--help does not list the document «{kind['kind']}» (found in scripts/documents/)")

# Each (sample, organisation, kind) is checked on its own: run them side by side.
tasks = []
for sample in SAMPLES:
    model = dump(sample)
    if model is None:
        continue
    subjects = [(model, None)]
    if model["type"] == "municipality":
        subjects += [(org, i + 1) for i, org in enumerate(model["organisations"])]
    for subject, org_arg in subjects:
        for kind, check in CHECKS.items():
            tasks.append((check, sample, subject, org_arg))
        tasks.append((check_monitoring, sample, model, org_arg))
tasks.append((known_words,))

with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
    for task, future in [(task, pool.submit(*task)) for task in tasks]:
        exc = future.exception()
        if exc is not None:
            fail(f"test error in {task[0].__name__}{task[1:2]}: {exc!r}")

if failures:
    print(f"{len(failures)} failure(s):")
    for f in failures[:200]:
        print(" -", f)
    sys.exit(1)
print(f"documents: {len(SAMPLES)} samples, {len(CHECKS) + 1} kinds: all views as expected")
