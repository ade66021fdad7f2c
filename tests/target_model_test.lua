-- What `check` gives target_model of an organisation (target_model.READS, target_model.view):
-- the fields it reads, and an error, not a silent nil, for any other.
package.path = arg[1] .. "/?.lua;" .. package.path
package.preload["nastavnik.host"] = function() return {} end
local target_model = require "nastavnik.target_model"
local failures = 0
local function check(ok, what)
  if not ok then
    failures = failures + 1
    print("FAIL: " .. what)
  end
end

local declared = {}
for _, f in ipairs(target_model.READS) do declared[f] = true end
for _, f in ipairs({ "roadmap", "orders", "short_name", "curator" }) do
  check(declared[f], "READS holds " .. f)
end

local view = target_model.view({ short_name = "МБОУ «СОШ № 1»", orders = {} })
check(view.short_name == "МБОУ «СОШ № 1»", "a field of READS is read")
check(view.roadmap == nil and view.curator == nil, "a field of READS not written is nil")
local ok, err = pcall(function() return view.pairs end)
check(not ok and tostring(err):find("pairs", 1, true), "a field outside READS is an error")

-- check_subject reads nothing else of it: no roadmap, no warnings.
check(#target_model.check_subject(view, { type = "municipality" }) == 0, "no roadmap, no warnings")

-- A view is the organisation as validated, not in print form: its warnings are those of the
-- organisation in print form (russian.nbsp_view), texts where print form changes the match
-- or the message included — quotes nested into „лапки“ (a stem after „ starts no word),
-- "№  5" and "2025  г." bound, an item's number, the short name.
local richtext = require "nastavnik.richtext"
local russian = require "nastavnik.russian"
local function item(number, content, from, to)
  return { number = number, content = richtext.parse(content), rows = {}, items = {}, free = {},
    due = { text = "срок", from = from, to = to, how = "dates" }, __file = "org.lua", __line = 7 }
end
-- (with_training: an item the training stage is found by, whatever the print form, so that
-- the pairs formed before it are warned about with the item's number)
local function organisation(with_training)
  local items = {
    item("№  1", "Формирование пар (групп) № 5 до  2025  г.", "2025-09-01", "2025-09-10"),
    item("1.2", "Отбор «кандидатов \"наставников\"»", "2025-10-01", "2025-10-30"),
    item("1.3", "- **Выбор** «кандидатов \"наставников\"»", "2025-10-01", "2025-10-30"),
  }
  if with_training then items[4] = item("1.4", "Обучение наставников", "2025-10-01", "2025-10-30") end
  return {
    short_name = "МБОУ «СОШ  № 1»",
    orders = { { kind = "regulation", number = "1" } },
    roadmap = { __file = "org.lua", __line = 3, columns = { { key = "content", title = "Содержание" } },
      stages = { { title = richtext.parse("Этап «подготовки \"условий\"» № 1"), __file = "org.lua", __line = 4,
        items = items } } },
  }
end
local function messages(warnings)
  local out = {}
  for i, w in ipairs(warnings) do out[i] = w.file .. ":" .. w.line .. ": " .. w.message end
  return table.concat(out, "\n")
end
local municipality = { type = "municipality" }
for _, with_training in ipairs({ false, true }) do
  local fields = {}
  local raw = organisation(with_training)
  for _, f in ipairs(target_model.READS) do fields[f] = raw[f] end
  local from_view = messages(target_model.check_subject(target_model.view(fields), municipality))
  local printed = messages(target_model.check_subject(russian.nbsp_view(organisation(with_training)), municipality))
  check(from_view == printed, "a view's warnings are those of the print form:\n" .. from_view .. "\n--- print form:\n" .. printed)
  check(printed:find("МБОУ «СОШ", 1, true), "the case has warnings")
  if with_training then
    check(printed:find("пункт №\u{a0}1:", 1, true), "the case has a warning with an item's number in print form")
  else
    -- (a case where print form matters: without it, «"наставников"» is found)
    check(messages(target_model.check_subject(organisation(), municipality)) ~= printed,
      "print form changes the case's warnings")
  end
end

if failures > 0 then os.exit(1) end
print("target_model: ok")
