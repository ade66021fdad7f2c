"""python-docx reads what rich_test.lua wrote: paragraphs, runs' bold/italic, the table."""
import os

import docx


def check(out):
    d = docx.Document(os.path.join(out, "rich.docx"))
    texts = [p.text for p in d.paragraphs]
    assert texts[0] == "Организация работы наставнических пар:", texts
    assert texts[1] == "•\tвстреча-знакомство; пробная встреча;", texts
    bold = [r.text for r in d.paragraphs[0].runs if r.bold]
    assert bold == ["наставнических пар"], bold
    italic = [r.text for r in d.paragraphs[1].runs if r.italic]
    assert italic == ["пробная"], italic
    assert d.paragraphs[1].paragraph_format.first_line_indent == -docx.shared.Twips(425)
    table = d.tables[0]
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells == [
        ["Сентябрь", "Сентябрь"],
        ["1", "Знакомство\n-\tбеседа"],
        ["2", "Простой текст"],
        ["Октябрь", "Октябрь"],
        ["3", "Итоги"],
        ["4", ""],
    ], cells
    assert len(table.rows[5].cells[1].paragraphs) == 1
