-- nastavnik templates -o DIR: copies the stock templates (every kind, DOCX and ODT) and the
-- README.txt the build made beside them (how to put a letterhead on a copy, the tags of each
-- template) into DIR, for a secretary to edit and pass back with --templates DIR. A file
-- already in DIR is left as it is (it may be her edited copy).

local command = require "nastavnik.command"
local host = require "nastavnik.host"
local kinds = require "documents.kinds"
local render = require "nastavnik.render"

return {
  summary = "стандартные шаблоны в ПАПКУ — для своего бланка (потом build --templates ПАПКА)",
  usage = "nastavnik templates -o ПАПКА",
  about = "Копирует стандартные шаблоны всех документов (ВИД.docx, ВИД.odt) и README.txt о том, как "
    .. "добавить в них бланк школы и какие метки в каждом, в ПАПКУ. Файлы, которые в ней уже есть, не "
    .. "перезаписываются (это могут быть ваши исправленные шаблоны).",
  options = { { "-o ПАПКА", "куда скопировать (создаётся)" } },
  run = function(args)
    local positional, options = command.parse(args, { out = true })
    if not positional then return command.usage_error("templates: %s", options) end
    if #positional > 0 then return command.usage_error("templates: лишний параметр «%s»", positional[1]) end
    if not options.out then return command.usage_error("templates: укажите папку: -o ПАПКА") end
    local dir = options.out:gsub("/+$", "")
    local kind_of_dir = host.file_info(dir)
    if kind_of_dir == nil then
      local ok, why = host.make_dirs(dir)
      if not ok then return command.EXIT_OUTPUT, "", string.format("%s: не удалось создать папку: %s\n", dir, why) end
    elseif kind_of_dir ~= "folder" then
      return command.EXIT_OUTPUT, "", string.format("%s: не удалось создать папку: на этом месте уже есть файл\n", dir)
    end
    local names = { "README.txt" }
    for _, k in ipairs(kinds) do
      names[#names + 1] = k .. ".docx"
      names[#names + 1] = k .. ".odt"
    end
    local out, errs, code = {}, {}, command.EXIT_OK
    for _, name in ipairs(names) do
      local from = (host.templates_dir or "templates") .. "/" .. name
      local to = dir .. "/" .. name
      if host.file_info(from) == "file" then
        if host.file_info(to) ~= nil then
          out[#out + 1] = to .. " — уже есть, не перезаписан\n"
        else
          local bytes, why = host.read_file(from)
          local ok, message = bytes ~= nil, from .. ": не удалось прочитать файл: " .. tostring(why) .. "\n"
          if ok then ok, message = command.write_file(to, bytes) end
          if ok then
            local kind = kinds.modules[name:match("^(.+)%.")]
            out[#out + 1] = to .. (kind and kind.title and (" — " .. kind.title) or "") .. "\n"
          else
            errs[#errs + 1] = message
            code = command.EXIT_OUTPUT
          end
        end
      end
    end
    out[#out + 1] = string.format("Документы со своими шаблонами: nastavnik build ОПИСАНИЕ.lua -o ДОКУМЕНТЫ --templates %s\n", dir)
    return code, table.concat(out), table.concat(errs)
  end,
}
