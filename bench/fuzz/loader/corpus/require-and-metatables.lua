-- A seed of the loader's own: the corners a description reaches beyond plain data.
local ok, other = pcall(require, "lib.school-with-error")
local t = setmetatable({}, { __index = function(_, k) return k end, __tostring = function() return "x" end })
local name = ("Школа " .. tostring(t.a)):gsub("%s+", " ")
local items = {}
for i = 1, 3 do
  items[#items + 1] = item { number = tostring(i), content = ("1.%d. Пункт"):format(i), due = "До 15.11.2023",
    responsible = "Иванова М.П., куратор" }
end
return organisation {
  full_name = name, short_name = load("return 'СШ № 1'")(),
  people = { person { "Иванова Мария Петровна", post = "учитель" } },
  roadmap = roadmap { title = "Дорожная карта", year = "2023–2024", stage { "Этап", items = items } },
  pairs = { pair { form = "учитель–учитель", mentor = "Иванова М.П.", mentee = "Иванова М.П." } },
}
