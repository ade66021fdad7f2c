#!/usr/bin/env python3
"""Makes the two spreadsheets of the sample municipality: the pairs (groups) and their
meetings of МБОУ «Сосновский лицей» as an Excel book (пары-лицей.xlsx, written by openpyxl) and
those of МКОУ «Кедровская ООШ» as a Calc table (пары-кедровая.ods, written by odfpy), as a
school would keep them. lyceum.lua and kedrovaya.lua read them with `pairs = sheet "…"`.

The data below is the one the two descriptions held in Lua before; the documents built from the
sheets are the same, byte for byte (tests/sheet/sample_test.py). Run from anywhere with the
system's python3 (python3-openpyxl, python3-odf):
    /usr/bin/python3 samples/sosnovsky/make-sheets.py
The same data gives the same bytes: the zip entries get a fixed date and the books a fixed
creation time.
"""
import datetime
import io
import os
import re
import zipfile

import openpyxl
from openpyxl.styles import Alignment, Font
from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import Style, TableColumnProperties, TableCellProperties, TextProperties
from odf.number import DateStyle, Day, Month, Text, Year
from odf.table import CoveredTableCell, Table, TableCell, TableColumn, TableRow
from odf.text import P

HERE = os.path.dirname(os.path.abspath(__file__))
FIXED = (2025, 9, 12, 0, 0, 0)
HEADER = ["№", "Форма наставничества", "Наставник", "Наставляемый", "Начало", "Окончание", "Тема",
          "Цель", "Приказ", "Завершена"]
WIDTHS = [5, 18, 22, 22, 11, 11, 40, 50, 9, 10]
MEETINGS_HEADER = ["№ пары", "Встреча", "Дата", "Примечание"]

LYCEUM = [
    {'number': '1', 'kind': 'pair', 'form': 'учитель–ученик', 'mentors': ['Дмитриев П.С.'], 'mentees': ['Медведев А.В.'], 'from': '2025-09-22', 'to': '2026-02-27', 'topic': 'Подготовка к региональному этапу всероссийской олимпиады школьников по информатике', 'goal': 'Развитие алгоритмического мышления и олимпиадных компетенций наставляемого', 'order': '194-О', 'completed': True, 'meetings': []},
    {'number': '2', 'kind': 'group', 'form': 'учитель–ученик', 'mentors': ['Калинина Л.И.'], 'mentees': ['Киселёва А.Д.', 'Тарасова С.И.', 'Волков Н.С.'], 'from': '2025-09-22', 'to': '2026-04-24', 'topic': 'Исследовательские работы по химии для научно-практической конференции «Шаг в будущее»', 'goal': 'Формирование исследовательских умений наставляемых, подготовка и защита исследовательских работ', 'order': '194-О', 'completed': True, 'meetings': []},
    {'number': '3', 'kind': 'pair', 'form': 'учитель–ученик', 'mentors': ['Ермаков В.Ю.'], 'mentees': ['Чернов Л.А.'], 'from': '2025-09-22', 'to': '2025-12-19', 'topic': 'Подготовка к муниципальному этапу всероссийской олимпиады школьников по математике', 'goal': 'Освоение методов решения олимпиадных задач, успешное участие в муниципальном этапе олимпиады', 'order': '194-О', 'completed': True, 'meetings': []},
    {'number': '4', 'kind': 'pair', 'form': 'учитель–ученик', 'mentors': ['Гаврилова В.Н.'], 'mentees': ['Борисова Е.К.'], 'from': '2025-10-01', 'to': '2026-04-30', 'topic': 'Индивидуальный проект «Экологическое состояние реки Сосновки»', 'goal': 'Сопровождение индивидуального проекта наставляемой от выбора темы до публичной защиты', 'order': '194-О', 'completed': False, 'meetings': []},
    {'number': '5', 'kind': 'pair', 'form': 'ученик–ученик', 'mentors': ['Жуков М.Е.'], 'mentees': ['Семёнов Б.О.'], 'from': '2025-09-29', 'to': '2026-05-29', 'topic': 'Ликвидация пробелов в знаниях по математике', 'goal': 'Повышение успеваемости наставляемого по математике за счёт регулярных консультаций со старшеклассником', 'order': '194-О', 'completed': False, 'meetings': []},
    {'number': '6', 'kind': 'pair', 'form': 'ученик–ученик', 'mentors': ['Романова В.А.'], 'mentees': ['Макарова К.П.'], 'from': '2025-09-29', 'to': '2026-02-27', 'topic': 'Подготовка к муниципальному конкурсу чтецов «Живая классика»', 'goal': 'Развитие навыков выразительного чтения и уверенного публичного выступления наставляемой', 'order': '194-О', 'completed': True, 'meetings': []},
    {'number': '7', 'kind': 'group', 'form': 'ученик–ученик', 'mentors': ['Зайцева М.А.'], 'mentees': ['Ильин Ф.В.', 'Яковлев С.И.'], 'from': '2025-10-06', 'to': '2026-05-29', 'topic': 'Основы программирования на языке Python', 'goal': 'Вовлечение наставляемых в проектную деятельность в области информационных технологий', 'order': '194-О', 'completed': False, 'meetings': []},
    {'number': '8', 'kind': 'pair', 'form': 'учитель–учитель', 'mentors': ['Ермаков В.Ю.'], 'mentees': ['Сорокина А.В.'], 'from': '2025-09-15', 'to': '2026-05-31', 'topic': 'Адаптация молодого специалиста: методика преподавания математики в профильных классах', 'goal': 'Профессиональное становление молодого учителя, освоение технологий подготовки обучающихся к ЕГЭ профильного уровня', 'order': '194-О', 'completed': False, 'meetings': [('Встреча-знакомство', '2025-09-16', None), ('Пробная встреча', '2025-09-23', None), ('Встреча-планирование', '2025-09-30', None), ('Рабочая встреча', '2025-12-09', 'Взаимопосещение уроков'), ('Итоговая встреча', '2026-05-26', None)]},
    {'number': '9', 'kind': 'pair', 'form': 'учитель–учитель', 'mentors': ['Дмитриев П.С.'], 'mentees': ['Осипов Д.А.'], 'from': '2025-09-15', 'to': '2026-05-31', 'topic': 'Использование цифровых образовательных ресурсов на уроках информатики', 'goal': 'Освоение наставляемым цифровых инструментов организации урока и оценивания', 'order': '194-О', 'completed': False, 'meetings': []},
    {'number': '10', 'kind': 'group', 'form': 'учитель–учитель', 'mentors': ['Калинина Л.И.', 'Гаврилова В.Н.'], 'mentees': ['Панова К.С.'], 'from': '2025-09-15', 'to': '2026-05-31', 'topic': 'Организация лабораторного практикума по химии и биологии', 'goal': 'Формирование у молодого учителя навыков организации лабораторных и практических работ с соблюдением требований безопасности', 'order': '194-О', 'completed': False, 'meetings': []},
]
KEDROVAYA = [
    {'number': '1', 'kind': 'pair', 'form': 'учитель–учитель', 'mentors': ['Григорьев А.И.'], 'mentees': ['Пестова А.С.'], 'from': '2025-09-15', 'to': '2026-05-31', 'topic': 'Адаптация молодого специалиста в условиях малокомплектной сельской школы', 'goal': 'Профессиональное становление молодого учителя математики, освоение приёмов работы в классах с малой наполняемостью', 'order': '52-од', 'completed': False, 'meetings': [('Встреча-знакомство', '2025-09-15', None), ('Пробная встреча', '2025-09-18', None), ('Встреча-планирование', '2025-09-25', None), ('Рабочая встреча', '2025-10-23', 'Анализ урока наставляемой'), ('Рабочая встреча', '2026-02-19', None), ('Итоговая встреча', '2026-05-21', None)]},
    {'number': '2', 'kind': 'pair', 'form': 'учитель–учитель', 'mentors': ['Кравченко Л.С.'], 'mentees': ['Ахмедова Д.Р.'], 'from': '2025-09-15', 'to': '2026-05-31', 'topic': 'Организация обучения в классе-комплекте начальной школы', 'goal': 'Освоение наставляемой методики одновременной работы с обучающимися двух классов на одном уроке', 'order': '52-од', 'completed': False, 'meetings': []},
    {'number': '3', 'kind': 'pair', 'form': 'педагог–педагог', 'mentors': ['Щербакова Е.Ф.'], 'mentees': ['Юдина О.В.'], 'from': '2025-09-15', 'to': '2025-12-26', 'topic': 'Организация деятельности первичного отделения «Движения первых»', 'goal': 'Освоение наставляемой форм организации воспитательной работы и взаимодействия с детскими общественными объединениями', 'order': '52-од', 'completed': True, 'meetings': []},
    {'number': '4', 'kind': 'pair', 'form': 'ученик–ученик', 'mentors': ['Мальцев Я.А.'], 'mentees': ['Рыбаков С.А.'], 'from': '2025-09-22', 'to': '2026-05-22', 'topic': 'Помощь в освоении курса математики 5 класса', 'goal': 'Повышение учебной мотивации и успеваемости наставляемого по математике', 'order': '52-од', 'completed': False, 'meetings': []},
    {'number': '5', 'kind': 'group', 'form': 'ученик–ученик', 'mentors': ['Носкова Е.И.'], 'mentees': ['Шилова Т.Н.', 'Дьячков О.В.'], 'from': '2025-09-22', 'to': '2026-05-22', 'topic': 'Читательский клуб «Читаем вместе»', 'goal': 'Развитие читательской грамотности и интереса к чтению у наставляемых', 'order': '52-од', 'completed': False, 'meetings': []},
    {'number': '6', 'kind': 'pair', 'form': 'учитель–ученик', 'mentors': ['Бондаренко Н.В.'], 'mentees': ['Третьякова А.С.'], 'from': '2025-09-22', 'to': '2026-03-13', 'topic': 'Краеведческий проект «История посёлка Кедровый в судьбах его жителей»', 'goal': 'Сопровождение исследовательской работы наставляемой и её участия в муниципальной краеведческой конференции', 'order': '52-од', 'completed': True, 'meetings': []},
]


def day(iso):
    return datetime.date.fromisoformat(iso) if iso else None


def normalise(path, fixed_text):
    """Rewrites the zip with a fixed date on every entry and fixed creation times inside."""
    with zipfile.ZipFile(path) as z:
        entries = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w") as z:
        for name, data in entries:
            if name in ("docProps/core.xml", "meta.xml"):
                data = fixed_text(data.decode("utf-8")).encode("utf-8")
            info = zipfile.ZipInfo(name, FIXED)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def lyceum_xlsx(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Пары"
    ws.append(["Наставнические пары (группы) МБОУ «Сосновский лицей» на 2025–2026 учебный год"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    ws["A1"].font = Font(bold=True, size=12)
    ws.append(HEADER)
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    for p in LYCEUM:
        # a group: several names in one cell, separated by commas
        ws.append([int(p["number"]), p["form"], ", ".join(p["mentors"]), ", ".join(p["mentees"]),
                   day(p["from"]), day(p["to"]), p["topic"], p["goal"], p["order"],
                   "да" if p["completed"] else "нет"])
    for row in ws.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for cell in row[4:6]:
            cell.number_format = "DD.MM.YYYY"
    for i, w in enumerate(WIDTHS):
        ws.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width = w
    ws.freeze_panes = "A3"
    meetings = wb.create_sheet("Встречи")
    meetings.append(MEETINGS_HEADER)
    for p in LYCEUM:
        for title, date, note in p["meetings"]:
            meetings.append([int(p["number"]), title, day(date), note])
    for cell in meetings["C"][1:]:
        cell.number_format = "DD.MM.YYYY"
    for col, w in zip("ABCD", (8, 24, 11, 30)):
        meetings.column_dimensions[col].width = w
    fixed = datetime.datetime(*FIXED)
    wb.properties.creator = "Сосновский лицей"
    wb.properties.created = wb.properties.modified = fixed
    wb.save(path)
    normalise(path, lambda xml: re.sub(r"(<dcterms:(created|modified)[^>]*>)[^<]*", r"\g<1>2025-09-12T00:00:00Z", xml))


def kedrovaya_ods(path):
    doc = OpenDocumentSpreadsheet()
    date_style = DateStyle(name="N1")
    for part in (Day(style="long"), Text(text="."), Month(style="long"), Text(text="."), Year(style="long")):
        date_style.addElement(part)
    doc.automaticstyles.addElement(date_style)
    date_cell = Style(name="ceDate", family="table-cell", datastylename="N1")
    doc.automaticstyles.addElement(date_cell)
    wrap = Style(name="ceWrap", family="table-cell")
    wrap.addElement(TableCellProperties(wrapoption="wrap", verticalalign="top"))
    doc.automaticstyles.addElement(wrap)
    bold = Style(name="ceBold", family="table-cell")
    bold.addElement(TextProperties(fontweight="bold"))
    bold.addElement(TableCellProperties(wrapoption="wrap"))
    doc.automaticstyles.addElement(bold)

    def table(name, widths):
        t = Table(name=name)
        for i, w in enumerate(widths):
            style = Style(name=f"co{name[:2]}{i}", family="table-column")
            style.addElement(TableColumnProperties(columnwidth=f"{w * 0.2:.2f}cm"))
            doc.automaticstyles.addElement(style)
            t.addElement(TableColumn(stylename=style))
        return t

    def cell(value, rows=1):
        span = {"numberrowsspanned": rows} if rows > 1 else {}
        if value is None:
            return TableCell(**span)
        if isinstance(value, datetime.date):
            c = TableCell(valuetype="date", datevalue=value.isoformat(), stylename=date_cell, **span)
            c.addElement(P(text=value.strftime("%d.%m.%Y")))
        elif isinstance(value, int):
            c = TableCell(valuetype="float", value=value, **span)
            c.addElement(P(text=str(value)))
        else:
            c = TableCell(valuetype="string", stylename=wrap, **span)
            for line in value.split("\n"):
                c.addElement(P(text=line))
        return c

    def header_row(titles):
        row = TableRow()
        for h in titles:
            c = TableCell(valuetype="string", stylename=bold)
            c.addElement(P(text=h))
            row.addElement(c)
        return row

    pairs = table("Пары", WIDTHS)
    pairs.addElement(header_row(HEADER))
    for p in KEDROVAYA:
        # a group: one row per member, the cells they share merged down
        members = [(m, k) for k, m in enumerate(p["mentees"])] if len(p["mentees"]) > 1 else [(", ".join(p["mentees"]), 0)]
        span = len(members)
        for mentee, k in members:
            row = TableRow()
            shared = [int(p["number"]), p["form"], ", ".join(p["mentors"])]
            rest = [day(p["from"]), day(p["to"]), p["topic"], p["goal"], p["order"], "да" if p["completed"] else "нет"]
            for value in shared:
                row.addElement(cell(value, span) if k == 0 else CoveredTableCell())
            row.addElement(cell(mentee))
            for value in rest:
                row.addElement(cell(value, span) if k == 0 else CoveredTableCell())
            pairs.addElement(row)
    doc.spreadsheet.addElement(pairs)
    meetings = table("Встречи", (8, 24, 11, 30))
    meetings.addElement(header_row(MEETINGS_HEADER))
    for p in KEDROVAYA:
        for title, date, note in p["meetings"]:
            row = TableRow()
            for value in (int(p["number"]), title, day(date), note):
                row.addElement(cell(value))
            meetings.addElement(row)
    doc.spreadsheet.addElement(meetings)
    buffer = io.BytesIO()
    doc.write(buffer)
    with open(path, "wb") as f:
        f.write(buffer.getvalue())
    normalise(path, lambda xml: re.sub(r"(<(meta:creation-date|dc:date)>)[^<]*", r"\g<1>2025-09-12T00:00:00", xml))


if __name__ == "__main__":
    lyceum_xlsx(os.path.join(HERE, "пары-лицей.xlsx"))
    kedrovaya_ods(os.path.join(HERE, "пары-кедровая.ods"))
