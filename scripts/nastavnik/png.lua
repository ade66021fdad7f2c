-- A black-and-white PNG (ISO/IEC 15948) of a matrix of dark and light cells, for a QR code a
-- secretary pastes into her own template and for the DOCX/ODT outputs: 1 bit a pixel, the
-- image data in stored (uncompressed) deflate blocks, so no compression library is needed
-- (a QR code is a few kilobytes either way).
--
--   png.matrix(rows, scale, margin, module_mm) -> bytes   rows = { "0110…", … } ("1" is dark);
--   module_mm, when given, is the printed side of one cell (the pHYs chunk tells programs
--   the size to print it at)

local png = {}

local CRC_TABLE = {}
for n = 0, 255 do
  local c = n
  for _ = 1, 8 do
    if c & 1 == 1 then c = 0xEDB88320 ~ (c >> 1) else c = c >> 1 end
  end
  CRC_TABLE[n] = c
end

local function crc32(s)
  local c = 0xFFFFFFFF
  for i = 1, #s do c = CRC_TABLE[(c ~ s:byte(i)) & 0xFF] ~ (c >> 8) end
  return c ~ 0xFFFFFFFF
end

local function adler32(s)
  local a, b = 1, 0
  for i = 1, #s do
    a = (a + s:byte(i)) % 65521
    b = (b + a) % 65521
  end
  return (b << 16) | a
end

local function chunk(kind, data)
  return string.pack(">I4", #data) .. kind .. data .. string.pack(">I4", crc32(kind .. data))
end

-- zlib stream of stored deflate blocks (RFC 1950, RFC 1951 section 3.2.4)
local function zlib_stored(data)
  local parts = { "\x78\x01" }
  local at = 1
  repeat
    local piece = data:sub(at, at + 65534)
    at = at + #piece
    local final = at > #data and 1 or 0
    parts[#parts + 1] = string.pack("<BI2I2", final, #piece, (~#piece) & 0xFFFF) .. piece
  until at > #data
  parts[#parts + 1] = string.pack(">I4", adler32(data))
  return table.concat(parts)
end

function png.matrix(rows, scale, margin, module_mm)
  scale, margin = scale or 8, margin or 4
  local cells = #rows + 2 * margin
  local side = cells * scale
  local lines = {}
  for y = 0, cells - 1 do
    local row = rows[y - margin + 1]
    local bits = {}
    for x = 0, cells - 1 do
      local i = x - margin + 1 -- (a negative index would count from the end of the row)
      local dark = row and i >= 1 and row:sub(i, i) == "1"
      -- in a 1-bit greyscale PNG, 0 is black
      for _ = 1, scale do bits[#bits + 1] = dark and 0 or 1 end
    end
    local bytes = { "\0" } -- filter type 0 for the line
    for i = 1, #bits, 8 do
      local b = 0
      for k = 0, 7 do b = (b << 1) | (bits[i + k] or 1) end
      bytes[#bytes + 1] = string.char(b)
    end
    local line = table.concat(bytes)
    for _ = 1, scale do lines[#lines + 1] = line end
  end
  local phys = ""
  if module_mm then
    local per_metre = math.floor(scale * 1000 / module_mm + 0.5)
    phys = chunk("pHYs", string.pack(">I4I4B", per_metre, per_metre, 1))
  end
  return "\x89PNG\r\n\x1a\n"
    .. chunk("IHDR", string.pack(">I4I4BBBBB", side, side, 1, 0, 0, 0, 0))
    .. phys
    .. chunk("IDAT", zlib_stored(table.concat(lines)))
    .. chunk("IEND", "")
end

return png
