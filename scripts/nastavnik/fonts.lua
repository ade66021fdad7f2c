-- The font configuration (fonts/fonts.lua): which TrueType files the PDF documents use.
-- A name without a folder is a file in the configuration's own folder (a school drops its
-- .ttf there). Read once per run, in an empty environment (it is data, not a program) and
-- under the limits of the run.

local host = require "nastavnik.host"

local fonts = {}
local cached

-- The four faces ({ regular =, bold =, italic =, bold_italic = }), or nil and a message.
function fonts.faces()
  if cached ~= nil then return cached end
  local dir = host.fonts_dir or "fonts"
  local file = dir .. "/fonts.lua"
  local source, err = host.read_file(file)
  if not source then return nil, file .. ": " .. tostring(err) end
  local chunk, syntax = load(source, "@" .. file, "t", {})
  if not chunk then return nil, syntax end
  -- Under the limits of the run (a `while true do end` here ends like one in a description).
  local ok, config = require("nastavnik.sandbox").run(chunk)
  if not ok and host.limits_reached() then error(config, 0) end
  if ok and type(config) == "table" then
    -- a plain copy of the four names: nothing of the configuration's runs after this
    local plain = {}
    for _, face in ipairs({ "regular", "bold", "italic", "bold_italic" }) do plain[face] = rawget(config, face) end
    config = plain
  end
  if not ok or type(config) ~= "table" then
    return nil, file .. ": должна вернуть таблицу { regular = …, bold = …, italic = …, bold_italic = … }"
  end
  local faces = {}
  for _, face in ipairs({ "regular", "bold", "italic", "bold_italic" }) do
    local path = config[face]
    if type(path) ~= "string" then return nil, file .. ": не указан файл шрифта " .. face end
    faces[face] = path:find("/", 1, true) and path or (dir .. "/" .. path)
    host.note_input(faces[face]) -- a font is an input: no output may replace it
  end
  cached = faces
  return faces
end

return fonts
