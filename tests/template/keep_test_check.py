"""LibreOffice lays out what keep_test filled with the pages the template meant: the page breaks
and sections of the loops' tag paragraphs are kept (the pages counted in the PDF it makes)."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

# document -> pages LibreOffice must make of it
EXPECTED = {
    "break-open.docx": 3,     # a break before each of two items: the title page, one, two
    "break-close.docx": 2,    # one break after the last item
    "section-close.docx": 2,  # the portrait section of the loop, then the landscape one
    "sections.docx": 1,       # three sections in a loop: the copies are continuous
    "odt-break.odt": 2,       # the break-before style of the opening tag paragraph, per item
}


def pages(pdf):
    data = open(pdf, "rb").read()
    return len(re.findall(rb"/Type\s*/Page[^s]", data))


def check(out):
    if not shutil.which("soffice"):
        print("soffice not installed: skipped")
        sys.exit(77)
    with tempfile.TemporaryDirectory() as work:
        paths = [os.path.join(out, n) for n in EXPECTED]
        subprocess.run(["soffice", f"-env:UserInstallation=file://{work}/profile", "--headless",
                        "--convert-to", "pdf", "--outdir", work] + paths,
                       check=True, capture_output=True, timeout=250)
        for name, want in EXPECTED.items():
            got = pages(os.path.join(work, os.path.splitext(name)[0] + ".pdf"))
            assert got == want, f"{name}: LibreOffice makes {got} pages, expected {want}"
    print("keep: LibreOffice's page counts as expected")
