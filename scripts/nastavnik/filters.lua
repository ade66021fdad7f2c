-- The template filters: {date|date_words}, {head|initials}, … Each is a function of one
-- value. They are the functions of russian.lua, so a template and a PDF say a date or a
-- name the same way. A data script for `nastavnik fill` may return its own filters too.

local russian = require "nastavnik.russian"

local filters = {}

local function text_of(v)
  if v == nil then return "" end
  if type(v) == "table" then return v.full or v.text or "" end
  return tostring(v)
end

filters.date = function(v) return v and russian.date(v) or "" end                -- 04.09.2023
filters.date_words = function(v) return v and russian.date_words(v) or "" end    -- 4 сентября 2023 г.
filters.date_quoted = function(v) return v and russian.date_quoted(v) or "" end  -- «04» сентября 2023 г.
filters.upper = function(v) return russian.upper(text_of(v)) end
filters.lower = function(v) return russian.lower(text_of(v)) end
filters.capitalise = function(v) return russian.capitalise(text_of(v)) end
filters.initials = function(v) return russian.initials(v) end                    -- А.Н. Пенкин
filters.short = function(v) return russian.short_name(v) end                     -- Пенкин А.Н.
filters.quote = function(v) return russian.quote(text_of(v)) end                 -- «…» with „…“ inside
filters.number = function(v) return russian.number(text_of(v)) end               -- № 146
filters.words = function(v) return russian.words(tonumber(v) or 0) end            -- 12 -> двенадцать
filters.year = function(v) return russian.academic_year(v) end                   -- 2023–2024 учебный год
for _, case in ipairs({ "genitive", "dative", "accusative", "instrumental", "prepositional" }) do
  -- {curator|dative} -> "Кухтачевой Ирине Владимировне"; {post|genitive} for a post
  filters[case] = function(v)
    if type(v) == "table" then return russian.full_in(v, case) end
    return russian.post_in(text_of(v), case)
  end
end

return filters
