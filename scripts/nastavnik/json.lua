-- JSON for the loaded model (for tests and debugging): keys sorted, so the same model
-- always prints the same bytes. Keys starting with "__" are private and left out.

local json = {}

local function escape(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    local named = { ['"'] = '\\"', ["\\"] = "\\\\", ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t" }
    return named[c] or string.format("\\u%04x", c:byte())
  end) .. '"'
end

local function is_array(t)
  local n = 0
  for k in pairs(t) do
    if type(k) ~= "number" or k < 1 or k % 1 ~= 0 then return false end
    n = n + 1
  end
  return n == #t
end

local function encode(v, indent, out)
  local t = type(v)
  if t == "string" then
    out[#out + 1] = escape(v)
  elseif t == "number" then
    out[#out + 1] = v % 1 == 0 and string.format("%d", v) or string.format("%.14g", v)
  elseif t == "boolean" then
    out[#out + 1] = tostring(v)
  elseif t == "nil" then
    out[#out + 1] = "null"
  elseif t == "table" then
    local inner = indent .. "  "
    if next(v) == nil then
      out[#out + 1] = "[]"
    elseif is_array(v) then
      out[#out + 1] = "[\n"
      for i, item in ipairs(v) do
        out[#out + 1] = inner
        encode(item, inner, out)
        out[#out + 1] = i < #v and ",\n" or "\n"
      end
      out[#out + 1] = indent .. "]"
    else
      local keys = {}
      for k in pairs(v) do
        if type(k) == "string" and not k:match("^__") then keys[#keys + 1] = k end
      end
      table.sort(keys)
      out[#out + 1] = "{\n"
      for i, k in ipairs(keys) do
        out[#out + 1] = inner .. escape(k) .. ": "
        encode(v[k], inner, out)
        out[#out + 1] = i < #keys and ",\n" or "\n"
      end
      out[#out + 1] = indent .. "}"
    end
  else
    error("json: cannot encode a " .. t)
  end
end

function json.encode(v)
  local out = {}
  encode(v, "", out)
  out[#out + 1] = "\n"
  return table.concat(out)
end

return json
