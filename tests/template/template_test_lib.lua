-- Small assertion helpers for the template tests (found through package.path below).
local M = {}

-- The text of a part: the text of each paragraph, paragraphs joined by "|".
function M.text(xml)
  local paras = {}
  for p in xml:gmatch("<w:p[ >].-</w:p>") do
    local buf = {}
    for body in p:gmatch("<w:t[^>]*>([^<]*)</w:t>") do buf[#buf + 1] = body end
    paras[#paras + 1] = table.concat(buf)
  end
  if #paras == 0 then -- ODT
    for p in xml:gmatch("<text:[ph][ >].-</text:[ph]>") do
      paras[#paras + 1] = (p:gsub("<text:tab/>", "\t"):gsub("<text:line%-break/>", "\n"):gsub("<[^>]*>", ""))
    end
  end
  return table.concat(paras, "|")
end

local function show(s)
  if #s > 3000 then s = s:sub(1, 3000) .. "…" end
  return s
end

function M.has(hay, needle)
  if not hay:find(needle, 1, true) then
    error(("expected to find\n  %s\nin\n  %s"):format(needle, show(hay)), 2)
  end
end

function M.lacks(hay, needle)
  if hay:find(needle, 1, true) then
    error(("did not expect\n  %s\nin\n  %s"):format(needle, show(hay)), 2)
  end
end

function M.count(hay, needle, n)
  local c, i = 0, 1
  while true do
    local s, e = hay:find(needle, i, true)
    if not s then break end
    c, i = c + 1, e + 1
  end
  if c ~= n then error(("expected %d of %s, found %d in\n%s"):format(n, needle, c, show(hay)), 2) end
end

function M.ok(ok, errors)
  if not ok then error("fill failed:\n  " .. table.concat(errors or {}, "\n  "), 2) end
end

function M.eq(a, b)
  if a ~= b then error(("expected %s, got %s"):format(tostring(b), tostring(a)), 2) end
end

return M
