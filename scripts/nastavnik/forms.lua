-- The forms of mentoring: the one list of them. Add a line here to add a form.
--
-- Authors write a form as they see it ("педагог-педагог", "Педагог - педагог",
-- "учитель–ученик"); forms.find() accepts any dash and spacing and returns the form;
-- for an unknown form it returns nil and the nearest known one, for the message.

local text = require "nastavnik.text"

local forms = {
  list = {
    { id = "pupil_pupil", title = "ученик–ученик" },
    { id = "teacher_teacher", title = "учитель–учитель" },
    { id = "educator_educator", title = "педагог–педагог" },
    { id = "student_pupil", title = "студент–ученик" },
    { id = "employer_pupil", title = "работодатель–ученик" },
    { id = "employer_student", title = "работодатель–студент" },
    { id = "teacher_pupil", title = "учитель–ученик" },
    { id = "student_student", title = "студент–студент" },
    { id = "teacher_student", title = "преподаватель–студент" },
  },
}

local function key(s)
  return (text.plain_dashes(text.plain_spaces(text.lower(s))):gsub("%s", ""):gsub("%-+", "–"))
end

local by_key = {}
for _, form in ipairs(forms.list) do by_key[key(form.title)] = form end

function forms.find(name)
  if type(name) ~= "string" then return nil end
  local form = by_key[key(name)]
  if form then return form end
  local best, best_distance = nil, math.huge
  for _, candidate in ipairs(forms.list) do
    local d = text.distance(key(name), key(candidate.title))
    if d < best_distance then best, best_distance = candidate, d end
  end
  return nil, best
end

function forms.titles()
  local titles = {}
  for i, form in ipairs(forms.list) do titles[i] = "«" .. form.title .. "»" end
  return table.concat(titles, ", ")
end

return forms
