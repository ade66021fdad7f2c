#!/usr/bin/env python3
"""The QR requisite of an order (ГОСТ Р 7.0.97-2025): the link written on the order or made
from the organisation's pattern, encoded by libqrencode, decodes back to the same link with
zbarimg (zbar-tools); a wrong link is an error with its line. (The code drawn in the stock
documents' PDF, DOCX and ODT waits for the new layout and template engine.)"""
import os
import subprocess
import sys
import tempfile

binary, zbarimg = sys.argv[1], sys.argv[2]
failures = []


def run(*args):
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=60)


def decode(png):
    r = subprocess.run([zbarimg, "--raw", "-q", png], capture_output=True, text=True, timeout=60)
    return r.stdout.strip()


with tempfile.TemporaryDirectory() as tmp:
    for item, link in [("1", "https://school9.ru/docs/prikaz-146"),
                       # from order_qr = "https://school9.ru/docs/prikaz-{number}-{year}": «175-О»
                       ("2", "https://school9.ru/docs/prikaz-175-%D0%9E-2025")]:
        png = os.path.join(tmp, f"{item}.png")
        r = run("qr", "tests/year/fixtures/qr.lua", "--item", item, "-o", png)
        if r.returncode != 0 or r.stdout.strip() != link:
            failures.append(f"qr --item {item}: exit {r.returncode}, {r.stdout!r} {r.stderr!r}")
            continue
        if decode(png) != link:
            failures.append(f"qr --item {item}: zbarimg reads {decode(png)!r}, expected {link!r}")
        head = open(png, "rb").read(64)
        if not head.startswith(b"\x89PNG\r\n\x1a\n") or b"pHYs" not in head:
            failures.append(f"qr --item {item}: not a PNG with its printed size")

    r = run("qr", "tests/year/fixtures/qr.lua", "--item", "3", "-o", os.path.join(tmp, "3.png"))
    if r.returncode != 1 or "--item 3: приказов в описании 2" not in r.stderr:
        failures.append(f"qr --item 3: exit {r.returncode} {r.stderr!r}")
    r = run("qr", "samples/boguchany-school-4.lua", "-o", os.path.join(tmp, "b.png"))
    if r.returncode != 1 or "приказ № 146: нет ссылки для QR-кода" not in r.stderr.replace("\u00a0", " "):
        failures.append(f"qr of an order without a link: exit {r.returncode} {r.stderr!r}")

    # Wrong links: the file, the line and the field.
    bad = os.path.join(tmp, "bad.lua")
    with open(bad, "w", encoding="utf-8") as f:
        f.write('return organisation {\n'
                '  full_name = "МБОУ «Школа № 9»", short_name = "МБОУ «Школа № 9»",\n'
                '  order_qr = "https://school9.ru/{nomer}",\n'
                '  orders = {\n'
                '    order { number = "1", date = "01.09.2025", qr = "school9.ru/docs/1" },\n'
                '  },\n'
                '}\n')
    r = run("check", bad)
    for needle in [f"{bad}:3: поле order_qr (шаблон ссылки QR-кода приказов): в шаблоне ссылки неизвестная подстановка {{nomer}}",
                   f"{bad}:5: приказ №1: поле qr (ссылка QR-кода приказа): «school9.ru/docs/1» — не ссылка: пишите полностью, с https://"]:
        if r.returncode != 1 or needle not in r.stderr:
            failures.append(f"check of wrong links lacks {needle!r}:\n{r.stderr}")

if failures:
    print("\n".join(failures))
    print(f"0 passed, {len(failures)} failed")
    sys.exit(1)
print("qr: all checks passed")
