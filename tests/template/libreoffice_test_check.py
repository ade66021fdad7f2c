"""LibreOffice opens the filled documents and reads back the text the tests expect."""
import os
import shutil
import subprocess
import sys
import tempfile


def text_of(path, work):
    subprocess.run(["soffice", f"-env:UserInstallation=file://{work}/profile", "--headless",
                    "--convert-to", "txt:Text", "--outdir", work, path],
                   check=True, capture_output=True, timeout=170)
    name = os.path.splitext(os.path.basename(path))[0] + ".txt"
    return open(os.path.join(work, name), encoding="utf-8-sig").read().splitlines()


def check(out):
    if not shutil.which("soffice"):
        print("soffice not installed: skipped")
        sys.exit(77)
    with tempfile.TemporaryDirectory() as work:
        docx = text_of(os.path.join(out, "lo.docx"), work)
        assert docx[:3] == ["Абзац с жирным", "•\tпункт", "1.1.\tномер"], docx
        assert "Встреча & <план>" in docx, docx
        assert docx[-2:] == ["Хвост", "Последний раздел."], docx
        odt = text_of(os.path.join(out, "lo.odt"), work)
        assert "Опасное: <&>." in odt, odt
        assert "Адрес: a" in odt and "b  c" in odt, odt
        assert odt[-4:] == ["Май", "7", "Итоги", "Конец."], odt
