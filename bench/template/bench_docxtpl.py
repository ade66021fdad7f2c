#!/usr/bin/env python3
"""bench_docxtpl.py TEMPLATE VIEW.json OUT N: docxtpl fills TEMPLATE N times (read, render,
save each time) and prints "fills_per_second <x>"."""
import json
import sys
import time

from docxtpl import DocxTemplate


def main():
    template, view_path, out, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    view = json.load(open(view_path, encoding="utf-8"))
    doc = DocxTemplate(template)  # warm-up
    doc.render(view, autoescape=True)
    doc.save(out)
    t0 = time.perf_counter()
    for _ in range(n):
        doc = DocxTemplate(template)
        doc.render(view, autoescape=True)
        doc.save(out)
    print(f"fills_per_second {n / (time.perf_counter() - t0):.1f}")


if __name__ == "__main__":
    main()
