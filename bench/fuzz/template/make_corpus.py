#!/usr/bin/env python3
"""make_corpus.py: writes the seed corpus of the `template` target (bench/fuzz/template/corpus/)
from the template tests' fixtures and the stock templates' XML sources: each seed is
DATA \\0 KIND PART (harness.c), with a view that has the names the tests use."""
import glob
import hashlib
import os

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(os.path.dirname(here)))
DATA = ('{ org = { head = { name = "Иванова Мария Петровна" }, short = "МБОУ СОШ № 1", name = "Школа" }, '
        'date = "1 сентября 2024 г.", title = "План", n = 3, show = true, hide = false, empty = {}, '
        'items = { "первый", "второй" }, rows = { { n = 1, text = "Встреча" }, { n = 2, text = "План\\nитоги" } }, '
        'people = { { name = "Петров" }, { name = "Сидорова" } }, tasks = { "a", "b", "c" }, x = "x", '
        'content = { { type = "para", runs = { { text = "Жирный", bold = true }, { text = " текст" } } }, '
        '{ type = "list", items = { { label = "1.", level = 1, runs = { { text = "пункт" } } } } } }, '
        'table = { type = "table", columns = { { width = 20 }, { weight = 1 } }, header_rows = 1, '
        'rows = { { cells = { "№", "Что" } }, { cells = { { blocks = "1", rowspan = 2 }, "a" } }, { cells = { "b" } } } }, '
        'sections = { { title = "Сентябрь", items = { { n = 1, what = "Знакомство", cell = "к" } } } } }')


def seeds():
    for path in sorted(glob.glob(os.path.join(root, "tests/template/fixtures/*/word/document.xml"))
                       + glob.glob(os.path.join(root, "templates/src/*.docx/word/document.xml"))):
        yield "D", open(path, "rb").read()
    for path in sorted(glob.glob(os.path.join(root, "tests/template/fixtures/*/content.xml"))
                       + glob.glob(os.path.join(root, "templates/src/*.odt/content.xml"))):
        yield "O", open(path, "rb").read()


def main():
    out = os.path.join(here, "corpus")
    os.makedirs(out, exist_ok=True)
    n = 0
    for kind, part in seeds():
        data = DATA.encode() + b"\0" + kind.encode() + part
        name = "seed-" + hashlib.sha1(data).hexdigest()[:16]
        open(os.path.join(out, name), "wb").write(data)
        n += 1
    print(f"{n} seeds in {out}")


if __name__ == "__main__":
    main()
