-- Numbers in words and the date forms of russian.lua, against forms written out by hand.
package.path = arg[1] .. "/?.lua;" .. package.path
package.preload["nastavnik.host"] = function() return {} end
local russian = require "nastavnik.russian"
local failures = 0
local function check(got, want, what)
  if got ~= want then
    failures = failures + 1
    print(string.format("FAIL: %s: «%s», expected «%s»", what, got, want))
  end
end
local NBSP = "\u{a0}"
for _, case in ipairs({
  { 0, nil, "ноль" }, { 1, nil, "один" }, { 1, "ж", "одна" }, { 2, "ж", "две" }, { 11, nil, "одиннадцать" },
  { 12, nil, "двенадцать" }, { 21, "ж", "двадцать одна" }, { 40, nil, "сорок" }, { 90, nil, "девяносто" },
  { 101, nil, "сто один" }, { 215, nil, "двести пятнадцать" }, { 1000, nil, "одна тысяча" },
  { 2021, nil, "две тысячи двадцать один" }, { 5000, nil, "пять тысяч" },
  { 21000, nil, "двадцать одна тысяча" }, { 144, nil, "сто сорок четыре" },
}) do
  check(russian.words(case[1], case[2]), case[3], "words(" .. case[1] .. ")")
end
check(russian.date_words("2023-09-04"), "4" .. NBSP .. "сентября 2023" .. NBSP .. "г.", "date_words")
check(russian.date_quoted("2024-05-01"), "«01»" .. NBSP .. "мая 2024" .. NBSP .. "г.", "date_quoted")
check(russian.date("2024-02-29"), "29.02.2024", "date")
check(russian.academic_year("2023-2024"), "2023–2024 учебный год", "academic_year")
check(russian.quote("Об утверждении «дорожной карты»"), "«Об утверждении „дорожной карты“»", "quote")
check(russian.nbsp("приказ № 146 от 2023 г."), "приказ №" .. NBSP .. "146 от" .. NBSP .. "2023" .. NBSP .. "г.", "nbsp")
-- Binding: short words, abbreviations, numbers with their words, dashes; nested quotes.
local function nb(s) return (s:gsub("~", NBSP)) end
for _, case in ipairs({
  { "обучающийся 7 «А» класса", "обучающийся 7~«А»~класса" },
  { "закрепить 12 пар в школе", "закрепить 12~пар в~школе" },
  { "ЦЗН г. Лесосибирска", "ЦЗН г.~Лесосибирска" },
  { "с. Сосновка, ул. Школьная, д. 5", "с.~Сосновка, ул.~Школьная, д.~5" },
  { "В соответствии с приказом", "В~соответствии с~приказом" },
  { "приказ «Об утверждении»", "приказ «Об~утверждении»" },
  { "Август – сентябрь 2022", "Август~– сентябрь 2022" },
  { "В течение 2024 - 2025 года", "В~течение 2024~- 2025~года" },
  { "до 2023 г. Проведение", "до~2023~г. Проведение" },
  { "№ 3 от 01.09.2023", "№~3 от~01.09.2023" },
  { "тел. 8 (39100) 2-14-37, e-mail", "тел. 8~(39100)~2-14-37, e-mail" },
}) do
  check(russian.nbsp(case[1]), nb(case[2]), "nbsp " .. case[1])
end
check(russian.nbsp("приказ «О работе «Наставничество» и \"плана\"»"), "приказ «О" .. NBSP .. "работе „Наставничество“ и" .. NBSP .. "„плана“»", "nested quotes")
check(russian.nbsp('"Школа"'), "«Школа»", "straight quotes")
check(russian.initials("Пенкин Александр Николаевич"), "А.Н." .. NBSP .. "Пенкин", "initials")
if failures > 0 then os.exit(1) end
print("russian: all checks ok")
