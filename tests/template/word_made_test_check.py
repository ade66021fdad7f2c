"""python-docx reads back what it made, filled."""
import os

import docx


def check(out):
    d = docx.Document(os.path.join(out, "word_made.docx"))
    assert d.sections[0].header.paragraphs[0].text == "МБОУ СОШ № 1", d.sections[0].header.paragraphs[0].text
    texts = [p.text for p in d.paragraphs]
    assert texts[0] == "Приказ № 390 от 16.09.2024", texts
    assert d.paragraphs[0].style.name == "Heading 1"
    assert texts[1] == "Директор: Иванова М. П.", texts
    assert [r.bold for r in d.paragraphs[1].runs if r.text] == [None, True], [(r.text, r.bold) for r in d.paragraphs[1].runs]
    assert texts[2:4] == ["адаптация молодых специалистов", "обмен опытом"], texts
    assert all(p.style.name == "List Bullet" for p in d.paragraphs[2:4])
    assert texts[4:7] == ["Программа на год:", "1.\tдиагностика", "2.\tвстречи"], texts
    rows = [[c.text for c in r.cells] for r in d.tables[0].rows]
    assert rows == [["№", "Наставник", "Наставляемый"], ["1", "Иванова", "Петров"],
                    ["2", "Сидоров", "Козлова"], ["3", "Орлова", "Зайцев"]], rows
