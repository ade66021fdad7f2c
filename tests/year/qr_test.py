#!/usr/bin/env python3
"""The QR requisite of an order (ГОСТ Р 7.0.97-2025): the link written on the order or made
from the organisation's pattern, encoded by libqrencode, decodes back to the same link with
zbarimg (zbar-tools); a wrong link is an error with its line. The code is drawn in the
order itself, in the lower right corner of its first page (GOST R 7.0.97-2025): in the PDF
(vector rectangles: pdftoppm at 300 dpi, the corner cropped, decodes back to the link), in the
DOCX (word/media/*.png, its relationship and content type) and the ODT (Pictures/*.png in the
manifest), whose pictures decode too, and whose PDFs made by LibreOffice decode in the same
corner. An order without a link gets no code."""
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

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

    r = run("qr", "tests/year/fixtures/qr.lua", "--item", "4", "-o", os.path.join(tmp, "4.png"))
    if r.returncode != 1 or "--item 4: приказов в описании 3" not in r.stderr:
        failures.append(f"qr --item 4: exit {r.returncode} {r.stderr!r}")
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


def corner(pdf, out):
    """What zbarimg reads in the lower right quarter of the first page at 300 dpi (A4: 2480 x
    3508 pixels), or ''."""
    subprocess.run(["pdftoppm", "-r", "300", "-f", "1", "-l", "1", "-x", "1240", "-y", "2631",
                    "-W", "1240", "-H", "877", "-png", "-singlefile", pdf, out], check=True,
                   timeout=120)
    return decode(out + ".png")


def office_pdf(document, folder):
    """The PDF LibreOffice makes of the document (in a folder of its own)."""
    os.makedirs(folder, exist_ok=True)
    profile = "file://" + os.path.join(folder, "profile")
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", folder, document], capture_output=True, timeout=300)
    pdf = os.path.join(folder, os.path.splitext(os.path.basename(document))[0] + ".pdf")
    return pdf if os.path.exists(pdf) else None


with tempfile.TemporaryDirectory() as tmp:
    # order-pairs --item 1: 175-О, its link made from the pattern; --item 2: 180, its own link
    for item, link in [("1", "https://school9.ru/docs/prikaz-175-%D0%9E-2025"),
                       ("2", "https://school9.ru/docs/prikaz-180")]:
        base = os.path.join(tmp, f"pairs-{item}")
        made = {}
        for fmt in ["pdf", "docx", "odt"]:
            made[fmt] = f"{base}.{fmt}"
            r = run(fmt, "tests/year/fixtures/qr.lua", "order-pairs", "--item", item, "-o", made[fmt])
            if r.returncode != 0:
                failures.append(f"{fmt} order-pairs --item {item}: exit {r.returncode} {r.stderr!r}")
        if failures:
            break
        got = corner(made["pdf"], base + "-pdf-corner")
        if got != link:
            failures.append(f"PDF of order-pairs --item {item}: the lower right corner of page 1 reads {got!r}, expected {link!r}")
        for fmt, picture, listing, needle in [
                ("docx", "word/media/nastavnik-qr1.png", "word/_rels/document.xml.rels",
                 'Target="media/nastavnik-qr1.png"'),
                ("odt", "Pictures/nastavnik-qr1.png", "META-INF/manifest.xml",
                 'manifest:full-path="Pictures/nastavnik-qr1.png" manifest:media-type="image/png"')]:
            with zipfile.ZipFile(made[fmt]) as z:
                names = z.namelist()
                if picture not in names:
                    failures.append(f"{fmt} of order-pairs --item {item}: no {picture} in {names}")
                    continue
                png = f"{base}-{fmt}.png"
                with open(png, "wb") as f:
                    f.write(z.read(picture))
                if decode(png) != link:
                    failures.append(f"{fmt} of order-pairs --item {item}: its picture reads {decode(png)!r}")
                if needle not in z.read(listing).decode():
                    failures.append(f"{fmt} of order-pairs --item {item}: {listing} lacks {needle}")
                main = z.read("word/document.xml" if fmt == "docx" else "content.xml").decode()
                if fmt == "docx":
                    if 'Extension="png"' not in z.read("[Content_Types].xml").decode():
                        failures.append(f"docx: no png content type")
                    for piece in ['<wp:positionH relativeFrom="margin"><wp:align>right</wp:align>',
                                  '<wp:positionV relativeFrom="margin"><wp:align>bottom</wp:align>',
                                  '<wp:wrapTopAndBottom/>', 'r:embed="rIdNastavnikQr1"']:
                        if piece not in main:
                            failures.append(f"docx of order-pairs --item {item}: no {piece}")
                else:
                    styles = ['style:vertical-pos="bottom"', 'style:vertical-rel="page-content"',
                              'style:horizontal-pos="right"', 'style:wrap="none"',
                              'text:anchor-type="paragraph"', 'xlink:href="Pictures/nastavnik-qr1.png"']
                    for piece in styles:
                        if piece not in main:
                            failures.append(f"odt of order-pairs --item {item}: no {piece}")
            if shutil.which("soffice"):
                pdf = office_pdf(made[fmt], f"{base}-{fmt}-office")
                got = corner(pdf, f"{base}-{fmt}-office-corner") if pdf else None
                if got != link:
                    failures.append(f"LibreOffice's PDF of the {fmt} of order-pairs --item {item}: "
                                    f"the lower right corner of page 1 reads {got!r}, expected {link!r}")
            else:
                print("LibreOffice (soffice) not installed: its PDFs of the DOCX and ODT not checked")

    # an order without a link (the curator's, a draft without a number): no code anywhere
    base = os.path.join(tmp, "curator")
    for fmt in ["pdf", "docx", "odt"]:
        r = run(fmt, "tests/year/fixtures/qr.lua", "order-curator", "-o", f"{base}.{fmt}")
        if r.returncode != 0:
            failures.append(f"{fmt} order-curator: exit {r.returncode} {r.stderr!r}")
    if not failures:
        subprocess.run(["pdftoppm", "-r", "300", "-f", "1", "-l", "1", "-png", "-singlefile",
                        f"{base}.pdf", base], check=True, timeout=120)
        if decode(base + ".png") != "":
            failures.append(f"order-curator without a link has a code: {decode(base + '.png')!r}")
        for fmt in ["docx", "odt"]:
            with zipfile.ZipFile(f"{base}.{fmt}") as z:
                pictures = [n for n in z.namelist() if "nastavnik-qr" in n]
                if pictures:
                    failures.append(f"order-curator.{fmt} without a link has {pictures}")

if failures:
    print("\n".join(failures))
    print(f"0 passed, {len(failures)} failed")
    sys.exit(1)
print("qr: all checks passed")
