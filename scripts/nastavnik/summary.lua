-- The short account `nastavnik check` prints for a description that is correct:
-- organisation, roadmap items, pairs by form, orders.

local dates = require "nastavnik.dates"
local russian_plural = require("nastavnik.text").plural

local summary = {}

local function count_form(pairs_list, counts, order)
  for _, pair in ipairs(pairs_list) do
    if pair.form then
      if not counts[pair.form.title] then order[#order + 1] = pair.form.title end
      counts[pair.form.title] = (counts[pair.form.title] or 0) + 1
    end
  end
end

local function pairs_line(pairs_list)
  local counts, order = {}, {}
  count_form(pairs_list, counts, order)
  local groups = 0
  for _, p in ipairs(pairs_list) do if p.kind == "group" then groups = groups + 1 end end
  local parts = {}
  for _, title in ipairs(order) do parts[#parts + 1] = title .. ": " .. counts[title] end
  local line = string.format("пары и группы: %d", #pairs_list)
  if groups > 0 then line = line .. string.format(" (из них групп: %d)", groups) end
  if #parts > 0 then line = line .. " — " .. table.concat(parts, ", ") end
  return line
end

local function roadmap_line(rm)
  if not rm then return "дорожная карта: нет" end
  local stages = 0
  for _, st in ipairs(rm.stages) do if st.title then stages = stages + 1 end end
  local line = string.format("дорожная карта: %d %s", rm.item_count,
    russian_plural(rm.item_count, "пункт", "пункта", "пунктов"))
  if stages > 0 then
    line = line .. string.format(" в %d %s", stages, russian_plural(stages, "этапе", "этапах", "этапах"))
  end
  if rm.period then
    line = line .. string.format(", %s – %s", dates.format(rm.period.from), dates.format(rm.period.to))
  end
  return line
end

local function orders_line(orders)
  local parts = {}
  for _, o in ipairs(orders) do
    parts[#parts + 1] = o.planned and ("«" .. (o.title or "") .. "» (ещё не издан)")
      or ("№\u{a0}" .. o.number .. (o.date and (" от " .. dates.format(o.date)) or ""))
  end
  local line = string.format("приказы: %d", #orders)
  if #parts > 0 then line = line .. " — " .. table.concat(parts, ", ") end
  return line
end

local function organisation_lines(org, indent, out)
  out[#out + 1] = indent .. org.short_name .. (org.kind and (" (" .. org.kind .. ")") or "")
  out[#out + 1] = indent .. "  " .. roadmap_line(org.roadmap)
  out[#out + 1] = indent .. "  " .. pairs_line(org.pairs)
  out[#out + 1] = indent .. "  " .. orders_line(org.orders)
  if #org.practices > 0 then
    out[#out + 1] = indent .. "  " .. string.format("лучшие практики: %d", #org.practices)
  end
end

function summary.text(m, file)
  local out = { file .. ":" }
  if m.type == "municipality" then
    out[#out + 1] = "  " .. m.name
    out[#out + 1] = "    " .. roadmap_line(m.roadmap)
    out[#out + 1] = "    " .. orders_line(m.orders)
    local all_pairs = {}
    for _, org in ipairs(m.organisations) do
      for _, p in ipairs(org.pairs) do all_pairs[#all_pairs + 1] = p end
    end
    out[#out + 1] = string.format("    организации: %d; всего %s", #m.organisations, pairs_line(all_pairs))
    if #m.practices > 0 then
      out[#out + 1] = "    " .. string.format("лучшие практики: %d", #m.practices)
    end
    for _, org in ipairs(m.organisations) do organisation_lines(org, "  ", out) end
  else
    organisation_lines(m, "  ", out)
  end
  return table.concat(out, "\n") .. "\n"
end

return summary
