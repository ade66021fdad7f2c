-- Making one document: its view from the model, the PDF of that view, the DOCX/ODT templates
-- filled with it. Shared by the commands that make documents (pdf, docx, odt, view, build,
-- bench).

local host = require "nastavnik.host"
local kinds = require "documents.kinds"
local command = require "nastavnik.command"
local load = require "nastavnik.load"

local render = {}

-- A limit of the run (instructions, CPU time, memory) reached under a pcall here or inside
-- a C module goes on as an error: it ends the description's run (load.limit_error reads
-- it), it is not one more reason a document was not made.
local function pass_limits(err)
  if load.limit_error(err) then error(err, 0) end
end

-- (the share back out of use however the render ends)
local share_done = setmetatable({}, { __close = function() require("nastavnik.template").use(nil) end })

-- make(...) (pdf.render of a layout, or a fitted form's PDF), its reads of the view's tables
-- through share (render.share) when given: a fitted form's trial gives the share the tables it
-- read at the fit (pdf_lua.c), the same values, unchanged since (common.fitted).
local function with_share(share, make, ...)
  if not share then return make(...) end
  require("nastavnik.template").use(share)
  local done <close> = share_done
  return make(...)
end

-- Renders a document's view to PDF bytes, or nil, a reason and how it failed ("limit": the
-- description asks for more than a stated limit of the layout, the user's to change;
-- "memory"; "internal"); also the notes to print (what was left blank, characters the font
-- lacks). share (render.share), when given: the last layout's tables read into C once for the
-- PDF and the document's DOCX and ODT (the view does not change after it). out, when given: the
-- PDF is written there by the engine, created only (command.write_file's `fresh`), and true
-- stands for its bytes (which come back only should that write fail).
function render.pdf(kind, view, label, share, out)
  local ok, pdf = pcall(require, "nastavnik.pdf")
  if not ok then return nil, "PDF-движок недоступен: " .. tostring(pdf), "internal" end
  -- (a form fitted to one page: made from its layout as its fit read it, common.fitted)
  local fitted = require("documents.common").fitted(view)
  local bytes, problems, anchors
  -- (the last PDF made is the one written)
  local writing <close> = pdf.output(not kind.paged and out or nil)
  if fitted then
    bytes, problems, anchors = with_share(share, fitted)
  else
    local laid_out, layout = pcall(kind.pdf, view)
    if not laid_out then pass_limits(layout) return nil, tostring(layout), "internal" end
    bytes, problems, anchors = with_share(not kind.paged and share, pdf.render, layout)
  end
  -- A kind with contents is laid out again with the pages the first render reported.
  if bytes and kind.paged then
    local laid_out, layout = pcall(kind.pdf, view, anchors)
    if not laid_out then pass_limits(layout) return nil, tostring(layout), "internal" end
    pdf.output(out)
    bytes, problems, anchors = with_share(share, pdf.render, layout)
  end
  if not bytes then
    pass_limits(problems)
    return nil, "не удалось сверстать: " .. tostring(problems), anchors
  end
  local notes = {}
  for _, m in ipairs(view.missing or {}) do notes[#notes + 1] = label .. ": " .. m end
  for _, p in ipairs(type(problems) == "table" and problems or {}) do notes[#notes + 1] = label .. ": " .. p end
  return bytes, notes
end

-- Where the stock templates are: NASTAVNIK_TEMPLATES or the build's templates/ folder.
function render.stock_template(kind_name, format)
  return (host.templates_dir or "templates") .. "/" .. kind_name .. "." .. format
end

-- The secretary's own templates (--templates DIR): a table "kind.format" -> path for the files
-- of DIR named as a document kind (plan.docx, order-pairs.odt, as `nastavnik templates` copies
-- them out), and the names of the other .docx/.odt files there (a misspelt kind: said, not
-- silently ignored). Or nil and the reason DIR cannot be read.
function render.own_templates(dir)
  local kind_of_folder = host.file_info(dir)
  if kind_of_folder ~= "folder" and kind_of_folder ~= "link" then
    return nil, kind_of_folder == nil and "нет такой папки" or "это не папка"
  end
  local names, why = host.list_dir(dir)
  if not names then return nil, why end
  table.sort(names)
  local known = {}
  for _, k in ipairs(kinds) do known[k] = true end
  local own, strangers = {}, {}
  for _, name in ipairs(names) do
    local kind_name, format = name:match("^(.+)%.(%a+)$")
    if format == "docx" or format == "odt" then
      if known[kind_name] then
        own[name] = dir:gsub("/+$", "") .. "/" .. name
      else
        strangers[#strangers + 1] = name
      end
    end
  end
  return own, strangers
end

-- --templates DIR of a command: the templates found (for render.template_for) and the lines
-- for the command's summary (which are used, which match no document); or nil and the
-- message of a wrong call.
function render.templates_option(command_name, dir)
  local own, strangers = render.own_templates(dir)
  if not own then return nil, string.format("%s: --templates %s: %s", command_name, dir, strangers) end
  local used = {}
  for name in pairs(own) do used[#used + 1] = name end
  table.sort(used)
  local note = string.format("Свои шаблоны из %s: %s.\n", dir, #used > 0 and table.concat(used, ", ")
    or "нет ни одного (файлы называются как документы: plan.docx, order-pairs.odt — nastavnik templates)")
  if #strangers > 0 then
    note = note .. string.format("Не подходят ни к одному документу (не использованы): %s.\n",
      table.concat(strangers, ", "))
  end
  return own, note
end

-- The template a document kind is filled into: the secretary's (own, from render.own_templates)
-- when she has one for it, else the stock one.
function render.template_for(kind_name, format, own)
  return own and own[kind_name .. "." .. format] or render.stock_template(kind_name, format)
end

-- Fills a DOCX/ODT template with a view and writes it to `out`. Returns true and the
-- warnings (parts not filled that hold tags), or nil and the messages about the template, or
-- nil, nil and the message that the file could not be written (the path and the system's
-- reason: exit code 3, not a fault of the template). options: { missing = "empty" }
-- (template_lua.h).
function render.fill(template_path, view, out, extra_filters, options, fresh)
  local ok, template = pcall(require, "nastavnik.template")
  if not ok then return nil, { "движок шаблонов недоступен: " .. tostring(template) } end
  host.note_input(template_path)
  -- (`fresh`: nothing was at `out` when the build planned it, see command.write_file: only
  -- created, and filled again as any output should something be there now)
  if not fresh then
    local refused = command.output_refused(out)
    if refused then return nil, nil, refused end
  end
  host.write_failure(true)
  local filters = require "nastavnik.filters"
  if extra_filters then
    -- a data script's own filters on top of the standard ones (without changing those)
    local all = {}
    for k, f in pairs(filters) do all[k] = f end
    for k, f in pairs(extra_filters) do all[k] = f end
    filters = all
  end
  host.expect_new(fresh and out or nil)
  local filled, messages = template.fill(template_path, view, out, filters, options)
  host.expect_new(nil)
  if filled then return filled, messages end
  for _, e in ipairs(messages or {}) do pass_limits(e) end
  if host.limits_reached() then error(messages[1], 0) end
  local path, reason, exists = host.write_failure(true)
  if fresh and exists and path == out then return render.fill(template_path, view, out, extra_filters, options) end
  if path then return nil, nil, command.not_written(path, reason) end
  return nil, messages
end

-- A document's view filled into a template (a stock one or the secretary's own) as render.fill
-- does, with the PDF layout's rules carried over: its hyphenation policy (capitalised words,
-- numbers, dates, addresses, months and the words of the document's organisations never
-- hyphenated) and, for a form kept on one page, the sizes it chose (view.fit).
-- share (render.share), when given: the document's fills read the view's rich text and tables
-- once.
function render.fill_document(template_path, view, out, share, fresh)
  local common = require "documents.common"
  return render.fill(template_path, view, out, nil,
    { protect = common.protected(view.org), fit = view.fit, share = share }, fresh)
end

-- What the writers of one document share (template.share): each rich-text and table value of
-- its view is read into C once for its PDF (render.pdf), its DOCX and its ODT. The view must
-- not change while the share is used; `local share <close> = render.share()` frees it when
-- the document is done. Nil when the template engine is unavailable (render.fill says so).
function render.share()
  local ok, template = pcall(require, "nastavnik.template")
  return ok and template.share() or nil
end

-- The messages of a failed fill, each with the template's path, and the count.
function render.fill_report(template_path, errors)
  local lines = {}
  for _, e in ipairs(errors) do lines[#lines + 1] = template_path .. ": " .. e end
  lines[#lines + 1] = string.format("%s: найдено ошибок: %d; ничего не создано", template_path, #errors)
  return table.concat(lines, "\n") .. "\n"
end

-- For the commands FILE DOCUMENT [options]: loads the description and builds the view of one
-- document kind. Returns { view, kind, options, file, name, model }, or nil and the exit
-- code, stdout and stderr to return.
function render.document_view(command_name, args, allowed)
  if allowed.item then allowed.person = true end
  local positional, options = command.parse(args, allowed)
  if not positional then return nil, command.usage_error("%s: %s", command_name, options) end
  if #positional ~= 2 then
    return nil, command.usage_error("%s: укажите файл описания и документ (%s)", command_name,
      table.concat(kinds, ", "))
  end
  local file, kind_name = positional[1], positional[2]
  local known = false
  for _, k in ipairs(kinds) do known = known or k == kind_name end
  if not known then
    return nil, command.usage_error("%s: неизвестный документ «%s»; бывают: %s", command_name, kind_name,
      table.concat(kinds, ", "))
  end
  local m, report = command.load_or_report(file)
  if not m then return nil, command.EXIT_INPUT, "", report end
  local kind = require("documents." .. kind_name)
  local view, why = kind.view(m, options)
  if not view then
    return nil, command.EXIT_INPUT, "",
      string.format("%s: документ «%s» сделать нельзя: %s\n", file, kind_name, why)
  end
  return { view = view, kind = kind, options = options, file = file, name = kind_name, model = m }
end

return render
