#!/usr/bin/env python3
"""Writes the README.txt that `nastavnik templates -o DIR` copies beside the stock templates.

    readme.py OUT.txt TEMPLATE...

For each packed template (build/templates/<kind>.docx|odt) it lists the tags the template uses
— {name}, {#list}…{/list}, {^x}, {a.b|filter} — as the engine finds them: in the text of the
parts with the XML markup taken out (so a tag Word cut into runs is still one tag). The text
around them tells a secretary how to put her letterhead on a copy and keep it filling.
"""
import os
import re
import sys
import zipfile

HEAD = """Шаблоны документов nastavnik
============================

Здесь стандартные шаблоны документов: ВИД.docx (Word) и ВИД.odt (LibreOffice). Чтобы документы
выходили на бланке школы, откройте шаблон, добавьте бланк (герб или логотип, наименование,
реквизиты в верхнем колонтитуле или над текстом), сохраните под тем же именем в этой папке и
собирайте документы с этой папкой:

    nastavnik build ОПИСАНИЕ.lua -o ДОКУМЕНТЫ --templates ЭТА_ПАПКА

Шаблоны, которых в папке нет (или которые вы удалили), берутся стандартные. Метки в фигурных
скобках — {title}, {#duties}…{/duties} — заполняются данными; их нельзя удалять или
переименовывать, но можно переносить, менять их шрифт и оформление. Какие данные бывают у
документа, показывает nastavnik view ОПИСАНИЕ.lua ВИД.

Метки каждого шаблона
---------------------
"""

PARTS = re.compile(r"^(word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml|content\.xml|styles\.xml)$")
TAG = re.compile(r"\{([^{}]+)\}")


def tags(path):
    found = []
    with zipfile.ZipFile(path) as z:
        for name in sorted(z.namelist()):
            if not PARTS.match(name):
                continue
            text = re.sub(r"<[^>]*>", "", z.read(name).decode("utf-8"))
            for tag in TAG.findall(text):
                tag = tag.strip()
                if tag and tag not in found:
                    found.append(tag)
    return found


def main():
    out, templates = sys.argv[1], sorted(sys.argv[2:], key=os.path.basename)
    lines = [HEAD]
    for path in templates:
        lines.append(os.path.basename(path) + ":")
        listed = tags(path)
        lines.append("    " + (", ".join("{" + t + "}" for t in listed) if listed else "(без меток)"))
        lines.append("")
    tmp = out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    os.replace(tmp, out)


main()
