-- Words kept whole are judged by pieces of a text (whole.c: a piece ends after a space that
-- follows punctuation), each remembered apart: a text that differs from one judged before in
-- a name only, and a text longer than the 2,048 bytes whose answers are remembered whole, get
-- the words of every piece, at their places in the whole text.
local t = require "template_test_lib"
local out = arg[2]

local protect = { protect = { "сосновск" } }
local odt = t.odt(out .. "/pieces.odt", '<text:p text:style-name="Standard">{text}</text:p>')
local W = '<text:span text:style-name="NstWhole">'

local function fill(text, name)
  return t.fill(odt, { text = text }, out .. "/" .. name .. ".odt", "content.xml", nil, protect)
end

local tail = ", проживающий в сосновском районе, даёт согласие 12.09.2025; подпись: Петров."
local first = fill("Я, Иванов Иван" .. tail, "first")
t.has(first, "Я, " .. W .. "Иванов</text:span> Иван, проживающий в " .. W .. "сосновском</text:span>"
  .. " районе, даёт согласие " .. W .. "12.09.2025;</text:span> " .. W .. "подпись:</text:span> " .. W
  .. "Петров.</text:span>")

-- Another name before the same pieces: the name judged, the rest as before, at their places.
local second = fill("Я, Кузнецова Наталья Юрьевна" .. tail, "second")
t.has(second, "Я, " .. W .. "Кузнецова</text:span> " .. W .. "Наталья</text:span> " .. W .. "Юрьевна,</text:span>"
  .. " проживающий в " .. W .. "сосновском</text:span> районе, даёт согласие " .. W .. "12.09.2025;</text:span>")

-- A long text: every piece, the last one's words at the end.
local parts = {}
for i = 1, 40 do parts[i] = "в сосновском районе пункт " .. i .. "0000, далее" end
local long = table.concat(parts, ", ") .. ", Конец"
assert(#long > 2048)
local xml = fill(long, "long")
t.count(xml, W .. "сосновском</text:span>", 40)
t.has(xml, "пункт " .. W .. "400000,</text:span> далее, " .. W .. "Конец</text:span>")
-- and again (its pieces remembered): the same bytes
t.eq(fill(long, "long-2"), xml)

-- Words are remembered apart too, each with the stems it was judged under: the same word in
-- a text not judged before, under other stems, is judged again.
local other = { protect = { "районн" } }
local function fill_under(text, name, stems)
  return t.fill(odt, { text = text }, out .. "/" .. name .. ".odt", "content.xml", nil, stems)
end
t.has(fill_under("в сосновском районе слово", "stems-1", protect), W .. "сосновском</text:span>")
local again = fill_under("в сосновском районе словом", "stems-2", other)
t.lacks(again, W .. "сосновском</text:span>")
t.has(again, "в сосновском районе словом")
-- A word ends at every space the layout knows: no-break, narrow no-break, thin, figure.
local spaced = fill("Иванов\u{A0}Петров\u{202F}Сидоров\u{2009}Козлова\u{2007}Орлова", "spaces")
t.has(spaced, W .. "Иванов</text:span>\u{A0}" .. W .. "Петров</text:span>\u{202F}" .. W
  .. "Сидоров</text:span>\u{2009}" .. W .. "Козлова</text:span>\u{2007}" .. W .. "Орлова</text:span>")
print("ok")
