"""A template as python-docx (Word's own default.docx inside) writes it: full styles, settings,
theme, numbering, a header, runs with their own formatting cutting the tags."""
import os

import docx
from docx.shared import Pt


def prepare(fixtures):
    d = docx.Document()
    header = d.sections[0].header.paragraphs[0]
    header.add_run("МБОУ ")
    header.add_run("{org.sh").italic = True
    header.add_run("ort}")
    title = d.add_heading("", level=1)
    title.add_run("Приказ № {order.number} от {order.date}")
    p = d.add_paragraph()
    p.add_run("Директор: ")
    r = p.add_run("{org.head")
    r.bold = True
    r2 = p.add_run(".name}")
    r2.font.size = Pt(14)
    d.add_paragraph("{#goals}", style="Normal")
    d.add_paragraph("{.}", style="List Bullet")
    d.add_paragraph("{/goals}", style="Normal")
    t = d.add_table(rows=2, cols=3)
    t.style = "Table Grid"
    for cell, text in zip(t.rows[0].cells, ["№", "Наставник", "Наставляемый"]):
        cell.text = text
    c0, c1, c2 = t.rows[1].cells
    c0.paragraphs[0].add_run("{#pa")
    c0.paragraphs[0].add_run("irs}{n}").bold = True
    c1.text = "{mentor}"
    c2.text = "{mentee}{/pairs}"
    d.add_paragraph("{description}")
    d.save(os.path.join(fixtures, "word_made.docx"))
