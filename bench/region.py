#!/usr/bin/env python3
"""A synthetic region for the build benchmark, in the shape of samples/sosnovsky*.

    python3 bench/region.py N [DIR]

Writes DIR/region-N.lua (a municipality) and DIR/region-N/org-0001.lua … (N organisations),
DIR defaulting to bench/region/work. Deterministic: the same N gives the same bytes. Each
organisation has ~30 people, 4 orders (regulation, curator, roadmap, pairs), a roadmap of 4
stages × 5 items and 10–20 pairs and groups in three forms, with meetings for some, so a build
of it makes the documents a real school's description makes.
"""
import os
import random
import sys

MALE = [("Иванов", "Иван", "Иванович"), ("Петров", "Сергей", "Петрович"), ("Смирнов", "Андрей", "Олегович"),
        ("Кузнецов", "Павел", "Андреевич"), ("Попов", "Дмитрий", "Сергеевич"), ("Соколов", "Алексей", "Игоревич"),
        ("Лебедев", "Михаил", "Викторович"), ("Козлов", "Николай", "Юрьевич"), ("Новиков", "Роман", "Евгеньевич"),
        ("Морозов", "Егор", "Павлович"), ("Волков", "Кирилл", "Денисович"), ("Зайцев", "Артём", "Ильич"),
        ("Павлов", "Глеб", "Романович"), ("Семёнов", "Лев", "Максимович"), ("Голубев", "Матвей", "Алексеевич"),
        ("Виноградов", "Тимур", "Маратович"), ("Богданов", "Степан", "Фёдорович"), ("Воробьёв", "Даниил", "Ильич")]
FEMALE = [("Иванова", "Мария", "Петровна"), ("Петрова", "Анна", "Сергеевна"), ("Смирнова", "Елена", "Олеговна"),
          ("Кузнецова", "Ольга", "Андреевна"), ("Попова", "Татьяна", "Игоревна"), ("Соколова", "Ирина", "Викторовна"),
          ("Лебедева", "Наталья", "Юрьевна"), ("Козлова", "Светлана", "Евгеньевна"), ("Новикова", "Дарья", "Павловна"),
          ("Морозова", "Полина", "Денисовна"), ("Волкова", "Ксения", "Ильинична"), ("Зайцева", "Алина", "Романовна"),
          ("Павлова", "Вера", "Максимовна"), ("Семёнова", "Юлия", "Алексеевна"), ("Голубева", "Софья", "Фёдоровна"),
          ("Виноградова", "Милана", "Маратовна"), ("Богданова", "Ева", "Степановна"), ("Воробьёва", "Ульяна", "Ильинична")]
SUBJECTS = ["математики", "физики", "русского языка и литературы", "истории", "английского языка",
            "начальных классов", "химии", "биологии", "информатики", "географии"]
PLACES = ["с. Берёзовка", "п. Кедровый", "с. Сосновка", "д. Ольховка", "п. Заречный", "с. Рябиновка"]
STAGES = ["Организационно-методическое сопровождение деятельности", "Аналитическое сопровождение деятельности, мониторинг",
          "Информационное сопровождение деятельности", "Подведение итогов реализации целевой модели наставничества"]
ITEMS = [
    ("Формирование базы наставников и наставляемых из числа обучающихся, педагогов", "Сентябрь 2025",
     "Сформированы базы наставников и наставляемых", "Куратор"),
    ("Формирование наставнических пар или групп", "До 12.09.2025",
     "Издан приказ о закреплении наставнических пар (групп)", "Куратор, координатор"),
    ("Организация работы наставнических пар или групп:\n• встреча-знакомство; пробная встреча;\n"
     "• встреча-планирование;\n• совместная работа наставника и наставляемого в соответствии с индивидуальным планом;\n"
     "• итоговая встреча.", "В течение года", "Встречи проводятся в соответствии с планируемыми датами",
     "Куратор, классные руководители"),
    ("Организация диагностики компетенций, возможностей наставников и потребностей наставляемых",
     "1 раз в четверть", "Проведена диагностика, определены запросы наставляемых", "Куратор"),
    ("Мониторинг реализации программ наставничества в образовательной организации", "Декабрь 2025, май 2026",
     "Подготовлена справка по итогам мониторинга", "Координатор, куратор"),
    ("Размещение информации о реализации целевой модели наставничества на сайте образовательной организации",
     "В течение года", "Информация своевременно пополняется", "Координатор"),
    ("Проведение консультаций, организация обмена опытом среди наставников", "Ежемесячно 25 числа",
     "Проведены консультации", "Куратор"),
    ("Организация общей заключительной встречи участников всех наставнических пар в формате круглого стола",
     "Май 2026", "Не менее 90% участников; выявлены лучшие практики наставничества", "Куратор"),
]
TOPICS = [("Преодоление затруднений в изучении предмета", "Повышение уровня предметных результатов наставляемого"),
          ("Адаптация в новом классном коллективе", "Успешная адаптация наставляемого к требованиям школы"),
          ("Подготовка к олимпиаде", "Успешное участие наставляемого в муниципальном этапе олимпиады"),
          ("Адаптация молодого специалиста к профессиональной деятельности",
           "Формирование навыков планирования урока, оценивания и работы с классом")]


def lua(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def initials(p):
    return f"{p[0]} {p[1][0]}.{p[2][0]}."


def organisation(i):
    rnd = random.Random(i)
    short = f"МБОУ «СОШ № {i}»"
    full = f"Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № {i}»"
    # people: distinct «Фамилия И.О.» inside the organisation
    pool = [(p, "m") for p in MALE] + [(p, "f") for p in FEMALE]
    rnd.shuffle(pool)
    adults, pupils = pool[:14], pool[14:30]
    people = []
    for k, (p, _) in enumerate(adults):
        post = ["директор", "заместитель директора по учебно-воспитательной работе",
                "заместитель директора по воспитательной работе"][k] if k < 3 else "учитель " + SUBJECTS[k % len(SUBJECTS)]
        people.append(f'    person {{ {lua(" ".join(p))}, post = {lua(post)} }},')
    for k, (p, _) in enumerate(pupils):
        people.append(f'    person {{ {lua(" ".join(p))}, class = "{5 + k % 7} «{"АБ"[k % 2]}»", minor = true }},')
    head, coordinator, curator = (initials(adults[k][0]) for k in range(3))
    teachers = [initials(p) for p, _ in adults[3:]]
    kids = [initials(p) for p, _ in pupils]
    n = 100 + i % 800
    orders = [("regulation", n, "28.08.2025", f"Об утверждении Положения о системе наставничества в {short}"),
              ("curator", n + 3, "01.09.2025", "О назначении куратора внедрения целевой модели наставничества"),
              ("roadmap", n + 4, "01.09.2025", "Об утверждении дорожной карты реализации целевой модели наставничества на 2025–2026 учебный год"),
              ("pairs", n + 9, "12.09.2025", "О закреплении наставнических пар (групп) на 2025–2026 учебный год")]
    out = [f"-- Синтетическая организация № {i} региона для bench/region (bench/region.py).",
           "return organisation {",
           f"  full_name = {lua(full)},", f"  short_name = {lua(short)},",
           '  kind = "средняя общеобразовательная школа",',
           f"  place = {lua(PLACES[i % len(PLACES)])},", '  region = "Красноярский край",',
           f'  address = "Красноярский край, {PLACES[i % len(PLACES)]}, ул. Школьная, д. {i % 90 + 1}",',
           f'  contacts = contacts {{ phone = "8 (39100) 2-{i % 90 + 10:02d}-35", email = "school{i}@region-edu.ru" }},',
           f"  publishes = {'true' if i % 3 == 0 else 'false'},",
           "  people = {", *people, "  },",
           f"  head = {lua(head)},", f"  curator = {lua(curator)},", f"  coordinator = {lua(coordinator)},",
           "  orders = {"]
    for kind, number, date, title in orders:
        out.append(f'    order {{ number = "{number}", date = "{date}", kind = "{kind}", title = {lua(title)} }},')
    out += ["  },", "  roadmap = roadmap {",
            f"    title = {lua('«Дорожная карта» реализации целевой модели наставничества в ' + short)},",
            '    subtitle = "2025 – 2026 учебный год",', '    year = "2025–2026",',
            f'    approved_by = "{n + 4}",',
            '    columns = { { "content", "Содержание" }, { "due", "Сроки" }, { "result", "Ожидаемый результат" },'
            ' { "responsible", "Ответственный" } },']
    for s, stage in enumerate(STAGES):
        out.append(f"    stage {{ {lua(stage)},")
        for k in range(5):
            content, due, result, responsible = ITEMS[(s * 5 + k + i) % len(ITEMS)]
            out.append(f"      item {{ content = {lua(content)}, due = {lua(due)}, result = {lua(result)},"
                       f" responsible = {lua(responsible)} }},")
        out.append("    },")
    out += ["  },", "  pairs = {"]
    for k in range(10 + rnd.randrange(11)):
        topic, goal = TOPICS[k % len(TOPICS)]
        form = ["учитель–ученик", "ученик–ученик", "учитель–учитель"][k % 3]
        j = k // 3  # the pair's place in its form: a mentee is in one pair of a form
        if form == "учитель–ученик":
            mentor, mentees = teachers[j % len(teachers)], [kids[j]]
            if k % 5 == 4:
                mentees.append(kids[15 - j])
        elif form == "ученик–ученик":
            mentor, mentees = kids[8 + j], [kids[j]]
        else:
            mentor, mentees = teachers[j % 4], [teachers[4 + j]]
        who = f"mentee = {lua(mentees[0])}" if len(mentees) == 1 else "mentees = { " + ", ".join(map(lua, mentees)) + " }"
        meetings = ""
        if k % 4 == 0:
            meetings = (', meetings = { meeting { title = "Встреча-знакомство", date = "22.09.2025" },'
                        ' meeting { title = "Встреча-планирование", date = "06.10.2025" },'
                        ' meeting { title = "Итоговая встреча", date = "25.05.2026" } }')
        out.append(f'    {"pair" if len(mentees) == 1 else "group"} {{ form = "{form}", mentor = {lua(mentor)}, {who},'
                   f' from = "22.09.2025", to = "29.05.2026", topic = {lua(topic)}, goal = {lua(goal)},'
                   f' order = "{n + 9}"{meetings} }},')
    out += ["  },", "}", ""]
    return "\n".join(out)


def municipality(n, folder):
    orgs = "\n".join(f'    require "{folder}.org-{i:04d}",' for i in range(1, n + 1))
    return f"""-- Синтетический регион из {n} организаций для bench/region (bench/region.py).
return municipality {{
  name = "Синтетический муниципальный округ",
  kind = "муниципальный округ",
  full_name = "Управление образования администрации Синтетического муниципального округа",
  short_name = "УО Синтетического МО",
  body = "Управление образования администрации Синтетического муниципального округа",
  place = "с. Сосновка",
  region = "Красноярский край",
  people = {{
    person {{ "Савин Олег Валентинович", post = "начальник Управления образования" }},
    person {{ "Ларионова Светлана Игоревна", post = "методист муниципального наставнического центра" }},
  }},
  head = "Савин О.В.",
  curator = "Ларионова С.И.",
  orders = {{
    order {{ number = "298", date = "22.08.2025", kind = "regulation",
      title = "Об утверждении Положения о муниципальной системе наставничества" }},
    order {{ number = "305", date = "29.08.2025", kind = "curator",
      title = "О назначении муниципального куратора внедрения целевой модели наставничества" }},
    order {{ number = "312", date = "03.09.2025", kind = "roadmap",
      title = "Об утверждении «дорожной карты» реализации целевой модели наставничества на 2025–2026 учебный год" }},
  }},
  roadmap = roadmap {{
    title = "Дорожная карта реализации целевой модели наставничества в образовательных организациях округа в 2025 – 2026 учебном году",
    year = "2025–2026",
    approval = {{ post = "Начальник Управления образования", person = "Савин О.В.", order = "312" }},
    columns = {{ {{ "number", "№ п/п" }}, {{ "title", "Наименование мероприятия" }}, {{ "due", "Сроки" }},
      {{ "result", "Ожидаемый результат" }}, {{ "responsible", "Ответственные" }} }},
    stage {{ number = "1", "1 этап. Нормативно-правовое и организационное обеспечение",
      item {{ number = "1.1.", title = "Актуализация нормативных документов муниципального уровня",
        due = "Сентябрь 2025 года", result = "Нормативная база актуализирована", responsible = "Ларионова С.И." }},
      item {{ number = "1.2.", title = "Мониторинг реализации программ наставничества",
        due = "Декабрь 2025 года, май 2026 года", result = "Подготовлена аналитическая справка",
        responsible = "Ларионова С.И." }},
    }},
  }},
  organisations = {{
{orgs}
  }},
  monitoring_year = "2025–2026",
}}
"""


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    n = int(sys.argv[1])
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "region", "work")
    folder = f"region-{n}"
    os.makedirs(os.path.join(out, folder), exist_ok=True)
    for i in range(1, n + 1):
        path = os.path.join(out, folder, f"org-{i:04d}.lua")
        text = organisation(i)
        # rewrite only what changed: a benchmark run reuses the files of the last one
        if not os.path.exists(path) or open(path, encoding="utf-8").read() != text:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
    with open(os.path.join(out, folder + ".lua"), "w", encoding="utf-8") as f:
        f.write(municipality(n, folder))
    print(os.path.join(out, folder + ".lua"))


if __name__ == "__main__":
    main()
