-- nastavnik build FILE... -o DIR [--date DATE] [-j N] [--formats …] [--kinds …]: every
-- document every description allows (or those --kinds names, in the --formats named), in
-- PDF, DOCX and ODT, into DIR/<description>/[<organisation>/]<folder>/<document>.pdf, with the
-- register of pairs (XLSX, ODS) and the curator's calendar beside; --date is the date of the
-- documents made "as of" a date (the report on the roadmap, monitoring). Every path comes from
-- nastavnik/paths.lua: names made safe and distinct (a renamed one is listed at the end).
-- Each document is announced as it is made ("[ 12/206]"); at the end, what was left blank for
-- handwriting and what could not be made, and why. A file that could not be written is told
-- once on stderr, the build goes on with the others and exits 3. A rebuild into the same folder
-- keeps to nastavnik/manifest.lua (stale files removed, edited ones kept; only after a whole
-- build of a description: not after --kinds, --formats or a stopped one); the blanks are
-- summed up by nastavnik/blanks.lua; --templates DIR is render.templates_option's.
--
-- The work of a description is cut by subject (a school; a municipality's own documents, then
-- each organisation's) and the subjects are made by -j N worker processes (default: the
-- processors online; nastavnik/workers.lua; a region's own documents in a process of their
-- own, forked first: build_description says why), each under fresh limits of the run; what they
-- print and report is gathered in the subjects' order, so the output is the same with -j 1.

local command = require "nastavnik.command"
local render = require "nastavnik.render"
local host = require "nastavnik.host"
local load = require "nastavnik.load"
local paths = require "nastavnik.paths"
local kinds = require "documents.kinds"
local dates = require "nastavnik.dates"
local calendar = require "nastavnik.commands.calendar"
local target_model = require "nastavnik.target_model"
local registers = require "nastavnik.registers"
local selection = require "nastavnik.selection"
local workers = require "nastavnik.workers"
local manifest = require "nastavnik.manifest"
local blanks = require "nastavnik.blanks"
local processes = require "nastavnik.processes"
local russian = require "nastavnik.russian"

local FORMATS = { "pdf", "docx", "odt" }
local SHEETS = { "xlsx", "ods" }
-- What a document's report lists for the subject's result (make_subject's tell_done).
local REPORTED = { "notes", "skipped", "failed" }
local REGISTER_NAME = "Реестр наставнических пар (групп)"
local CALENDAR_NAME = "Календарь"

-- The formats a planned document is made in: a register of pairs is a spreadsheet only; the
-- monitoring forms are also spreadsheets, from the same view.
local function formats_of(doc)
  if doc.register then return SHEETS end
  return doc.kind.kind == "monitoring" and { "pdf", "docx", "odt", "xlsx", "ods" } or FORMATS
end

-- Whether --kinds and --formats (run.kinds, run.formats_named) keep a planned document.
local function kept(doc, run)
  local kind_wanted = not run.kinds or run.kinds[doc.register and "register" or doc.kind.kind]
  local named = run.formats_named
  if not kind_wanted or not named then return kind_wanted end
  for _, ext in ipairs(formats_of(doc)) do
    if named[ext] then return true end
  end
  return false
end

-- What one subject's documents are, before any name is claimed, in the order the names are
-- claimed: { kind =, options =, file_name = } for each copy of each kind the subject has (the
-- copies kind.instances makes once per pair, person or order, from `source`: the model of the
-- description, or an organisation of a region read on its own), then { register = own }
-- when the subject has pairs (`own`: the subject's model). A subject is a school, a
-- municipality's own documents ({ municipality = true }) or one of its organisations
-- ({ options = { organisation = "i" } }).
local function subject_documents(subject, source, own)
  local docs = {}
  for _, kind_name in ipairs(kinds) do
    local kind = require("documents." .. kind_name)
    local wanted = subject.municipality and kind.for_municipality
      or (not subject.municipality and not kind.only_municipality)
    if wanted then
      local instances = kind.instances and kind.instances(source, subject.options)
        or { { file_name = kind.file_name, options = subject.options } }
      for _, instance in ipairs(instances) do
        docs[#docs + 1] = { kind = kind, kind_name = kind_name, options = instance.options,
          file_name = instance.file_name }
      end
    end
  end
  local pairs_count = 0
  for _, org in ipairs(subject.municipality and source.organisations or { own }) do
    pairs_count = pairs_count + #(org.pairs or {})
  end
  if pairs_count > 0 then docs[#docs + 1] = { register = own } end
  return docs
end

-- How many of a subject's documents the run makes (what plan_subject will keep).
local function kept_count(documents, run)
  local n = 0
  for _, doc in ipairs(documents) do
    if kept(doc, run) then n = n + 1 end
  end
  return n
end

-- Gives a subject's documents their paths in its folder (subject.folder, a paths.lua folder):
-- every name is claimed, whatever --kinds and --formats keep, so that a document has the same
-- path whatever is asked; those kept become subject.docs ({ kind =, options =, folder =,
-- files = { pdf =, docx =, odt = }, number = } or { register =, folder =, files =, number = }),
-- numbered from `first`, and subject.calendar the path of its calendar (when asked for). A
-- file of an earlier build that is edited since, or not ours, is not overwritten: the
-- document moves beside it (`placer`: a manifest's, manifest.lua). Returns the next number.
local function plan_subject(subject, documents, run, first, placer)
  subject.docs = {}
  local number = first
  for _, planned in ipairs(documents) do
    local doc
    if planned.register then
      doc = { register = planned.register, folder = subject.folder }
      doc.files = subject.folder:files(REGISTER_NAME, doc, SHEETS)
    else
      local kind = planned.kind
      local dir = kind.folder ~= "" and subject.folder:folder(kind.folder, "folder of " .. kind.folder)
        or subject.folder
      doc = { kind = kind, options = planned.options, folder = dir }
      doc.files = dir:files(planned.file_name, doc, formats_of(planned))
    end
    if kept(planned, run) then
      doc.number = number
      number = number + 1
      subject.docs[#subject.docs + 1] = doc
    end
  end
  subject.calendar = subject.folder:files(CALENDAR_NAME, "calendar", { "ics" }).ics
  if (run.kinds and not run.kinds.calendar) or (run.formats_named and not run.formats_named.ics) then
    subject.calendar = nil
  end
  local folders = {} -- (which folders are missing, known while nothing is written)
  for _, doc in ipairs(subject.docs) do
    placer:place(doc.files, folders, doc.folder.path)
    -- (fresh: no file of it was there, write_document writes them without asking again)
    doc.fresh = manifest.unseen(doc.folder.path, folders)
  end
  if subject.calendar then
    subject.calendar = placer:place({ ics = subject.calendar }, folders, subject.folder.path).ics
  end
  return number
end

-- The subjects of a description in `folder`: the school, or the municipality's own documents
-- and then each of its organisations. The first is planned here (plan_subject); an
-- organisation only gets its folder (claimed after the municipality's own names: an
-- organisation named like one of its folders gets a suffix), the number of its first
-- document and how many it has (`counts[i]`, from a region read one organisation at a time,
-- or counted here): its documents are planned in the worker that makes them (make_subject),
-- so that the plan of a region is never all in memory. The renames of an organisation's
-- folder are kept apart (subject.folder_notes) to be told in their turn, before its
-- documents'. Returns the subjects and the number of documents.
local function planned_subjects(m, folder, run, placer, counts)
  local first = { folder = folder, options = {}, model = m, municipality = m.type == "municipality" }
  local subjects = { first }
  local number = plan_subject(first, subject_documents(first, m, m), run, 1, placer)
  if m.type == "municipality" then
    for i, org in ipairs(m.organisations) do
      local fallback = "организация " .. i
      local org_folder, renamed = folder:renames_apart(function()
        return folder:folder(org.short_name, fallback, fallback, "организация")
      end)
      local subject = { folder = org_folder, folder_notes = renamed, options = { organisation = tostring(i) },
        model = org, index = i, first = number }
      subject.count = counts and counts[i] or kept_count(subject_documents(subject, m, org), run)
      number = number + subject.count
      subjects[#subjects + 1] = subject
    end
  end
  return subjects, number - 1
end

-- Writes a spreadsheet in XLSX and ODS (those of them `wanted`) at the document's paths; adds
-- the formats written to `formats`, the files that could not be written to report.failed.
local function write_sheets(book, doc, wanted, formats, report, settle)
  local chosen = {}
  for _, ext in ipairs(SHEETS) do
    if wanted[ext] then
      local refused = command.output_refused(doc.files[ext])
      if refused then
        report.failed[#report.failed + 1] = refused
        return
      end
      chosen[#chosen + 1] = ext
    end
  end
  if #chosen == 0 then return end
  local written, problems = registers.write(book, (doc.files.xlsx:gsub("%.xlsx$", "")), chosen, settle)
  for _, f in ipairs(written) do formats[#formats + 1] = f end
  for _, p in ipairs(problems) do report.failed[#report.failed + 1] = p:gsub("\n?$", "\n") end
end

-- What one planned document is made from, read from the model `m` (prepared apart from the
-- writing so that a region's own documents can all be read before its organisations' light
-- copies go: make_subject): { book = } for a register of pairs, else { view = } or
-- { why = } (the reason the kind gives for making none).
local function prepare_document(doc, m, run)
  if doc.register then return { book = registers.pairs_book(doc.register) } end
  -- The run's date (--date) goes to every document that is "as of" a date.
  local options = {}
  for k, v in pairs(doc.options) do options[k] = v end
  options.date = run.date
  local view, why = doc.kind.view(m, options)
  return { view = view, why = why }
end

-- Writes one planned document, from what prepare_document made of it, in the formats of the
-- run (run.formats: a set; run.templates: the secretary's templates of --templates, or nil).
-- Returns the formats written; adds to `report` the notes on what was left blank, the reasons
-- a format was not made (skipped), the files that could not be written (failed, each told
-- once), and whether a PDF was refused by a stated limit of the layout (over_limit: the
-- description's to change, exit 1). `settle`, when given, is called between the formats
-- (make_subject: a region's own documents let each format's garbage go before the next).
local function write_document(doc, prepared, run, report, settle)
  settle = settle or function() end
  local made, why_not, told = doc.folder:make()
  if not made then
    if not told then report.failed[#report.failed + 1] = why_not end
    return {}
  end
  local formats = {}
  if doc.register then
    write_sheets(prepared.book, doc, run.formats, formats, report, settle)
    return formats
  end
  local label = doc.files.pdf
  local view, why = prepared.view, prepared.why
  if not view then
    report.skipped[#report.skipped + 1] = label .. ": " .. why
    return {}
  end
  -- The view's tables and rich text read into C once for the PDF, the DOCX and the ODT (the
  -- view is done: nothing changes it now); freed before the spreadsheets.
  do
    local share <close> = (run.formats.docx or run.formats.odt) and (run.formats.pdf or run.formats.docx
      and run.formats.odt) and render.share() or nil
    if run.formats.pdf then
      local bytes, more, failure = render.pdf(doc.kind, view, label, share, doc.fresh and doc.files.pdf or nil)
      if not bytes then
        report.skipped[#report.skipped + 1] = label .. ": " .. more
        report.over_limit = report.over_limit or failure == "limit"
        return {}
      end
      for _, n in ipairs(more) do report.notes[#report.notes + 1] = n end
      local ok, message = true, nil -- (true: the engine wrote it)
      if bytes ~= true then ok, message = command.write_file(doc.files.pdf, bytes, doc.fresh) end
      if ok then formats[1] = "pdf" else report.failed[#report.failed + 1] = message end
    else
      -- (no PDF asked for: what the view left blank is told all the same)
      for _, n in ipairs(view.missing or {}) do report.notes[#report.notes + 1] = label .. ": " .. n end
    end
    settle()
    -- The same view fills the stock DOCX and ODT templates beside the PDF.
    for _, format in ipairs({ "docx", "odt" }) do
      local path = doc.files[format]
      if run.formats[format] then
        local filled, fill_errors, not_written = render.fill_document(render.template_for(doc.kind.kind, format, run.templates), view, path, share, doc.fresh)
        if filled then
          formats[#formats + 1] = format
        elseif not_written then
          report.failed[#report.failed + 1] = not_written
        else
          report.skipped[#report.skipped + 1] = path .. ": " .. table.concat(fill_errors, "; ")
        end
        settle()
      end
    end
  end
  if doc.files.xlsx then write_sheets(registers.monitoring_book(view), doc, run.formats, formats, report, settle) end
  return formats
end

-- The curator's year of one subject beside its roadmap (nothing when nothing is dated).
-- Returns 1 when the file was written, else 0; the line to print goes to report.lines, and
-- report.calendar_written says it was written (for the manifest).
-- Writes a subject's calendar (text, or a function giving it part by part: host.write_file);
-- 1 when written, else 0.
local function write_calendar(subject, text, report)
  local made, why_not, told = subject.folder:make()
  local ok, message = made, why_not
  if made then ok, message = command.write_file(subject.calendar, text) end
  if not ok then
    if not told then report.failed[#report.failed + 1] = message end
    return 0
  end
  report.lines[#report.lines + 1] = subject.calendar .. "\n"
  report.calendar_written = true
  return 1
end

local function make_calendar(m, subject, run, report)
  local text, notes = calendar.make(m, subject.options, run.date, run.stamp)
  if not text then
    report.skipped[#report.skipped + 1] = subject.calendar .. ": " .. notes
    return 0
  end
  if not text:find("BEGIN:VEVENT", 1, true) then
    report.calendar_empty = true
    return 0
  end
  return write_calendar(subject, text, report)
end

-- A municipality's calendar holds its own year and then each organisation's, as that
-- organisation's own calendar holds them (calendar.subject makes both): made after all the
-- subjects, from the organisations' calendars read back from their files, so that the year
-- of a region (about 66 KB an organisation) is never all in memory. `states[i]`: what
-- became of subject i's calendar ("written", "empty"); without a state (a subject stopped,
-- a worker ended, a calendar not made) the municipality's is not made either: it would
-- silently lack that organisation's year.
-- The events of a calendar's text (from its first event to its end, the END:VCALENDAR
-- line left out), or nil when it has none or is not whole. Found by plain search: the
-- pattern "\r\n(BEGIN:VEVENT\r\n.*)END:VCALENDAR\r\n$" did the same, but its ".*" went
-- over every character of 2,000 organisations' calendars (about 130 MB) one by one in the
-- process that waits for nothing else at the end of a region's build.
local BEGIN, END = "\r\nBEGIN:VEVENT\r\n", "END:VCALENDAR\r\n"
local function events_of(text)
  local first = text:find(BEGIN, 1, true)
  if not first or text:sub(-#END) ~= END or first + #BEGIN - 1 > #text - #END then return nil end
  return text:sub(first + 2, -#END - 1)
end

local function make_municipal_calendar(m, subjects, states, run, report)
  local municipal = subjects[1]
  for i = 2, #subjects do
    if not states[i] then
      report.skipped[#report.skipped + 1] = string.format("%s: не сделан: нет календаря организации «%s»",
        municipal.calendar, subjects[i].model.short_name or i - 1)
      return 0
    end
  end
  local own = {}
  for k, v in pairs(m) do own[k] = v end
  own.organisations = {}
  local text, notes = calendar.make(own, {}, run.date, run.stamp)
  if not text then
    report.skipped[#report.skipped + 1] = municipal.calendar .. ": " .. notes
    return 0
  end
  local events = text:find("BEGIN:VEVENT", 1, true)
  for i = 2, #subjects do events = events or states[i] == "written" end
  if not events then return 0 end
  -- (written part by part: its own year, each organisation's events, the end)
  local k, unread = 1, nil
  local function next_part()
    if k == 1 then
      k = 2
      return (text:gsub("END:VCALENDAR\r\n$", ""))
    end
    while k <= #subjects do
      local subject = subjects[k]
      k = k + 1
      if states[k - 1] == "written" then
        local org_text, why = host.read_file(subject.calendar)
        local part = org_text and events_of(org_text)
        if not part then
          unread = string.format("%s: не сделан: не прочитан календарь %s%s", municipal.calendar, subject.calendar,
            why and (": " .. why) or "")
          error(unread, 0)
        end
        return part
      end
    end
    if k == #subjects + 1 then
      k = k + 1
      return "END:VCALENDAR\r\n"
    end
  end
  local ok, written = pcall(write_calendar, municipal, next_part, report)
  if ok then return written end
  if not unread then error(written, 0) end
  report.skipped[#report.skipped + 1] = unread
  return 0
end

-- A region's organisations' light copies (m.organisations) keep only their plain fields once
-- the region's own documents are read (or the process that makes them is forked:
-- build_description): an organisation's documents find the others by name,
-- nothing more, and the workers, forked after, do not start from the whole region's copies (a
-- worker's resident memory counts every page it shares with this process).
local function strip_lights(m)
  for _, org in ipairs(m.organisations) do
    for k, v in pairs(org) do
      if type(v) == "table" then org[k] = nil end
    end
  end
end

-- Each organisation of a region is read and validated once, by the read that finds every
-- error before any document is written (read_region): its print form is kept, encoded, in a
-- temporary file (`spill`: nastavnik.processes), and the worker that makes its documents
-- takes it back from there (the file and where each piece is go with the fork) instead of
-- running its script and validating it again (about 2.2 ms an organisation; encoding and
-- decoding it, about 0.5). Its list of documents (subject_documents: the read counts them)
-- is kept beside it, as plain data, so that the worker does not make it again: made from
-- the print form after that is encoded (what the worker decodes is the print form as it was
-- before the list was made, as when the worker made the list itself). Returns how many of its
-- documents the run makes (kept_count) and the pieces' place ({ offset, length, offset,
-- length }), or nil when there is no file or the organisation cannot be encoded: it is read
-- again then, and its list made again. `printed`: the organisation in print form
-- (russian.nbsp_view), `i` its number.
local function keep_organisation(spill, printed, i, run)
  local ok, bytes = false, nil
  if spill then ok, bytes = pcall(processes.encode, printed) end
  local documents = subject_documents({ options = { organisation = tostring(i) } }, printed, printed)
  local count = kept_count(documents, run)
  if not ok then return count, nil end
  local listed = {}
  for k, doc in ipairs(documents) do
    listed[k] = doc.register and { register = true } or { doc.kind_name, doc.options, doc.file_name }
  end
  listed = processes.encode(listed)
  local at = spill:keep(bytes)
  local list_at = at and spill:keep(listed)
  return count, list_at and { at, #bytes, list_at, #listed } or nil
end

-- An organisation kept by keep_organisation, in print form, and its list of documents (as
-- subject_documents makes it); or nil when it was not kept or cannot be read back.
local function kept_organisation(read, i)
  local place = read.spill and read.kept[i]
  local bytes = place and read.spill:read(place[1], place[2])
  local listed = bytes and read.spill:read(place[3], place[4])
  if not listed then return nil end
  local org = processes.decode(bytes)
  local documents = {}
  for k, doc in ipairs(processes.decode(listed)) do
    documents[k] = doc.register and { register = org }
      or { kind = require("documents." .. doc[1]), kind_name = doc[1], options = doc[2], file_name = doc[3] }
  end
  return org, documents
end

-- The documents of one subject, under fresh limits of the description's run: the result to
-- gather (plain data: it may come from a worker process) — the lines to print, the number of
-- files written (made) and their checksums (sums: path -> checksum, for the manifest), notes,
-- skipped, failed, over_limit, and `stopped`, the message when a limit of the run stopped the
-- subject's documents. An organisation's documents are planned here (planned_subjects says
-- why): the result also holds the renames of their names (renamed), where the manifest moved
-- them (placed) and its calendar's path (calendar).
local function make_subject(m, subject, file, total, run, read, made)
  local result = { lines = {}, made = 0, sums = {}, notes = {}, skipped = {}, failed = {} }
  local width = #tostring(total)
  -- (an organisation of a region read one at a time: taken back whole from the first read
  -- (read_region), or read again, for its own documents, in its place among the others'
  -- light copies while they are made)
  local region = read and read.region
  local light, org, documents
  if region and subject.index then
    org, documents = kept_organisation(read, subject.index)
    org = org or region:organisation(subject.index)
    if not org then
      error(string.format("организация №%d при второй сборке прочитана с ошибками, хотя при первой — без "
        .. "(файл описания изменился во время сборки?)", subject.index), 0)
    end
    light = m.organisations[subject.index]
    m.organisations[subject.index] = org
  end
  local placer
  if subject.index then
    placer = made:placer()
    documents = documents or subject_documents(subject, org or m, org or subject.model)
    local last
    last, result.renamed = subject.folder:renames_apart(function()
      return plan_subject(subject, documents, run, subject.first, placer)
    end)
    result.placed = placer:placed()
    result.calendar = subject.calendar
    if last - subject.first ~= subject.count then
      error(string.format("у организации №%d при второй сборке %d документов, а при первой — %d "
        .. "(файл описания изменился во время сборки?)", subject.index, last - subject.first, subject.count), 0)
    end
  end
  host.limits_on(file)
  local own_of_region = region and not subject.index
  local unprepared
  -- What became of each document (formats written, checksums, what write_document reported),
  -- told in the documents' order whatever the order they were written in.
  local done = {}
  -- (the line's format made once a subject: "[%3d/206] ")
  local number_format = "[%" .. width .. "d/" .. string.format("%d", total) .. "] "
  local function tell_done()
    local lines, sums = result.lines, result.sums
    for k, doc in ipairs(subject.docs) do
      local report = done[k]
      if report then
        local formats = report.formats
        for _, key in ipairs(REPORTED) do
          local from, to = report[key], result[key]
          if #from > 0 then table.move(from, 1, #from, #to + 1, to) end
        end
        result.over_limit = result.over_limit or report.over_limit
        if #formats > 0 then
          result.made = result.made + #formats
          local files = doc.files
          for i, ext in ipairs(formats) do sums[files[ext]] = report.sums[i] end
          -- (the path without its extension: every path of a document ends in "." .. ext)
          local any, ext = files.pdf, "pdf"
          if not any then any, ext = files.xlsx, "xlsx" end
          lines[#lines + 1] = string.format(number_format, doc.number) .. any:sub(1, -#ext - 2) .. " ("
            .. table.concat(formats, ", ") .. ")\n"
        end
      end
    end
    done = {}
  end
  local ok, err = xpcall(function()
    local docs, prepared = subject.docs, {}
    local order = {}
    for k = 1, #docs do order[k] = k end
    -- A region's own documents are all read from the organisations' light copies first; the
    -- copies then keep only their plain fields (what the workers need: strip_lights), and
    -- the documents are written after, so that the copies are not in memory beside the
    -- largest of them (2,000 organisations: about 85 MB of copies, about 110 MB for the
    -- monitoring's DOCX). The register of pairs is written first, so that its rows (about
    -- 30 MB) are not kept beside the monitoring either. A document whose reading fails
    -- stops the subject after those before it are written, as when each was written as
    -- soon as read.
    if own_of_region then
      for k, doc in ipairs(docs) do
        local fine, made = xpcall(prepare_document, load.handler(file), doc, m, run)
        if not fine then
          unprepared, docs = made, table.move(docs, 1, k - 1, 1, {})
          order = table.move(order, 1, k - 1, 1, {})
          break
        end
        prepared[k] = made
      end
      table.sort(order, function(a, b)
        local ra, rb = docs[a].register and 0 or 1, docs[b].register and 0 or 1
        if ra ~= rb then return ra < rb end
        return a < b
      end)
      strip_lights(m)
      collectgarbage()
      processes.release()
    end
    -- (what each format leaves is collected before the next: the generational collector,
    -- whose next major collection waits for the heap to double, would let a region's
    -- documents pile up)
    local settle = own_of_region and function()
      collectgarbage()
      processes.release()
    end or nil
    for _, k in ipairs(order) do
      local doc = docs[k]
      local report = { notes = {}, skipped = {}, failed = {} }
      local formats = write_document(doc, prepared[k] or prepare_document(doc, m, run), run, report, settle)
      prepared[k] = nil
      if settle then settle() end
      -- (a file's checksum is taken while fileio still remembers it: host.file_checksum)
      report.sums = {}
      for _, ext in ipairs(formats) do report.sums[#report.sums + 1] = host.file_checksum(doc.files[ext]) or true end
      report.formats = formats
      done[k] = report
    end
    tell_done()
    -- the curator's year beside each roadmap (a municipality's: make_municipal_calendar)
    if subject.calendar and not subject.municipality then
      result.made = result.made + make_calendar(m, subject, run, result)
      if result.calendar_written then result.sums[subject.calendar] = host.file_checksum(subject.calendar) or true end
    end
  end, load.handler(file))
  if ok and unprepared then ok, err = false, unprepared end
  tell_done()
  host.limits_off()
  if light then m.organisations[subject.index] = light end
  -- (an organisation's files are sorted into the manifest's block here, in the worker: what
  -- goes back is a string, not 170 paths and checksums for the build's process to read and
  -- sort one by one)
  if placer then
    placer:written_sums(result.sums, subject.folder.path)
    result.written, result.sums = placer:sums_part(), nil
  end
  -- (an organisation's plan is let go with it: with one worker this is the process that
  -- plans them all)
  if subject.index then
    subject.docs = nil
    subject.folder:forget()
  end
  if not ok then
    local limit = load.limit_error(err, file)
    if not limit then error(err, 0) end
    result.stopped = string.format("%s: %s\n%s: документы описания сделаны не все: работа над ним остановлена\n",
      command.at(limit.file, limit.line), limit.message, file)
  end
  return result
end

-- A region read one organisation at a time (load.region, by the run's workers): each
-- organisation read, validated and let go, keeping its light copy (load.light), how many of
-- its documents the run makes (planned_subjects) and the warnings about its roadmap. Returns
-- the municipality (its organisations being the light copies) and what build_description
-- needs to make each organisation's documents (from what the read kept of it in a temporary
-- file in `dir`: keep_organisation, or else from its file again); or nil, the text of all
-- the errors and the exit code.
local function read_region(region, file, run, dir)
  local spill = processes.spill(dir)
  -- (the print form of the organisation the worker reads: the light copy is taken from it,
  -- as it is made anyway for keep_organisation, rather than put in print form on its own;
  -- what command.read_region's check of the roadmap reads is as without a shape)
  local printed
  local function shape(org)
    printed = russian.nbsp_view(org)
    return { light = load.light(printed), view = command.checked_fields(org) }
  end
  local m, warnings, more = command.read_region(region, file, run.jobs, function(_, i)
    local count, place = keep_organisation(spill, printed, i, run)
    printed = nil
    return { count, place }
  end, shape)
  if not m then return nil, warnings, more end
  local counts, kept = {}, {}
  for i = 1, region.count do
    counts[i] = more[i][1]
    kept[i] = more[i][2]
  end
  return m, { region = region, counts = counts, warnings = warnings, spill = spill, kept = kept }
end

-- The temporary files (fileio's «.tmp-XXXXXX», the spreadsheets' «.XXXXXX») a worker that
-- ended abruptly may have left in the folders of a subject (its own and their subfolders;
-- a municipality's: the folders of its documents): removed, so that no part of a file stays
-- in the tree.
local function remove_leftovers(subject)
  local dirs = { [subject.folder.path] = true }
  if subject.index then
    for _, name in ipairs(host.list_dir(subject.folder.path) or {}) do
      local path = subject.folder.path .. "/" .. name
      if host.file_info(path) == "folder" then dirs[path] = true end
    end
  else
    for _, doc in ipairs(subject.docs) do dirs[doc.folder.path] = true end
  end
  for dir in pairs(dirs) do
    for _, name in ipairs(host.list_dir(dir) or {}) do
      if name:match("%.tmp%-%w%w%w%w%w%w$") or name:match("%.xlsx%.%w%w%w%w%w%w$") then
        processes.remove(dir .. "/" .. name)
      end
    end
  end
end

-- All the documents of one loaded description; returns the number of files written and the
-- messages of the subjects that were stopped (a limit of the run, a worker that ended).
local function build_description(m, folder, file, run, report, read)
  local subjects, total = planned_subjects(m, folder, run, report.made, read and read.counts)
  -- (the description's folder is made before the workers part: they share it)
  local made, errors = 0, {}
  -- The garbage of reading a region is collected before its own documents are made (the
  -- collector is not started afresh at this point as it is before the workers fork below:
  -- measured at 2,000 organisations, --kinds monitoring, that raised the peak 258 -> 312 MB).
  -- When they are made in a process of their own, that process collects it, not this one
  -- before the fork: here both processors waited on it, 0.1 s at 500 organisations; this one
  -- collects its own below, beside the other.
  local own_first = read and #subjects > 1
  local function collect_read()
    collectgarbage()
    collectgarbage()
  end
  if read and not own_first then collect_read() end
  local top_ok, top_why, top_told = folder:make()
  if not top_ok then
    if not top_told then report.failed[#report.failed + 1] = top_why end
    return 0, errors
  end
  local states = {}
  local notes = folder.top.notes
  local function work(i)
    return make_subject(m, subjects[i], file, total, run, read, report.made)
  end
  local function gather(i, result, ended)
    local subject = subjects[i]
    for _, n in ipairs(subject.folder_notes or {}) do notes[#notes + 1] = n end
    if not result then
      remove_leftovers(subject)
      errors[#errors + 1] = string.format("%s: документы сделаны не все: %s\n", subject.folder.path, ended)
      report.internal = true
      return
    end
    for _, n in ipairs(result.renamed or {}) do notes[#notes + 1] = n end
    if result.placed then report.made:adopt(result.placed) end
    subject.calendar = result.calendar or subject.calendar
    host.print_out(table.concat(result.lines))
    made = made + result.made
    if result.written then
      report.made:adopt_written(result.written)
    else
      report.made:written_sums(result.sums, subject.index and subject.folder.path)
    end
    states[i] = not result.stopped and (result.calendar_written and "written" or result.calendar_empty and "empty") or nil
    report.blanks:add(result.notes)
    for _, key in ipairs({ "skipped", "failed" }) do
      for _, line in ipairs(result[key]) do report[key][#report[key] + 1] = line end
    end
    report.over_limit = report.over_limit or result.over_limit
    if result.stopped then errors[#errors + 1] = result.stopped end
    -- (what the workers' results leave collected as it goes: the generational collector of
    -- a region's build would let it pile up to twice the light copies)
    if i % 100 == 0 then
      collectgarbage()
      processes.release()
    end
  end
  -- A region's own documents come first: they are the only ones that need every
  -- organisation's light copy (the monitoring forms, the register, the practices); once they
  -- are read, the copies keep only their plain fields (make_subject, strip_lights), and the
  -- organisations' workers are forked after, from the stripped copies. With more than one
  -- job they are made in a process of their own, forked while the copies are whole (its
  -- memory is what this process's was when it made them), while this one strips its copies
  -- and forks the workers: the region's documents (2,000 organisations: about 3.5 s of one
  -- processor) are made beside the organisations' instead of before them. Their lines are
  -- told first all the same (workers.run's `ahead`).
  local first, ahead = 1, nil
  if own_first then
    local function own()
      collect_read()
      return work(1)
    end
    if run.jobs > 1 then ahead = workers.start(own, load.handler(file)) end
    if ahead then strip_lights(m) else gather(1, own()) end
    -- (the collector starts afresh: after the region's copies, which a collection could
    -- not free, it judged its collections "bad" and waited for the heap to double again —
    -- in a worker that grew 19 -> 144 MB over its first 15 organisations at 2,000)
    collectgarbage("incremental")
    collectgarbage()
    collectgarbage("generational")
    -- (and what it freed goes back to the system: a worker would count those pages too)
    processes.release()
    first = 2
  end
  workers.run(#subjects - first + 1, run.jobs, function(i) return work(i + first - 1) end,
    function(i, result, ended) gather(i + first - 1, result, ended) end, load.handler(file), ahead)
  if read and read.spill then read.spill:close() end
  if subjects[1].municipality and subjects[1].calendar then
    local result = { lines = {}, skipped = {}, failed = {} }
    made = made + make_municipal_calendar(m, subjects, states, run, result)
    host.print_out(table.concat(result.lines))
    if result.calendar_written then report.made:written({ ics = subjects[1].calendar }, { "ics" }) end
    for _, key in ipairs({ "skipped", "failed" }) do
      for _, line in ipairs(result[key]) do report[key][#report[key] + 1] = line end
    end
  end
  -- where the roadmap departs from the target model
  for _, w in ipairs(read and read.warnings or target_model.check_model(m)) do
    report.warnings[#report.warnings + 1] = command.at(w.file, w.line) .. ": " .. w.message
  end
  return made, errors
end

return {
  summary = "сделать все документы описаний в ПАПКУ",
  usage = "nastavnik build ФАЙЛ... -o ПАПКА [--date ДД.ММ.ГГГГ] [-j N] [--formats …] [--kinds …]",
  about = "Все документы описаний в PDF, DOCX и ODT, реестр пар (XLSX, ODS) и календарь — в папки "
    .. "ПАПКА/описание/[организация/]Приказы, Планы наставнических пар, Согласия. Повторная сборка удаляет "
    .. "файлы, которые прошлая сделала, а эта уже не делает, не трогает чужих файлов и не перезаписывает "
    .. "изменённых после прошлой сборки (новый файл — рядом). В конце — что оставлено для заполнения от руки.",
  options = { "--date", "--templates", { "-o ПАПКА", "папка документов (создаётся)" },
    { "--force", "перезаписывать и файлы, изменённые после прошлой сборки" },
    { "--verbose", "в сводке каждый пропуск отдельно (без него — по причинам, с числом документов)" },
    { "-j N", "делать документы в N процессах (по умолчанию — по числу процессоров); файлы те же, что при -j 1" },
    { "--formats СПИСОК", "только эти форматы: pdf, docx, odt, xlsx, ods, ics (через запятую)" },
    { "--kinds СПИСОК", "только эти документы: orders (приказы), plans (планы), consents (согласия), "
      .. "registers (реестр), calendar (календарь) или имена видов; файлы прошлой сборки при этом не удаляются" } },
  run = function(args)
    -- The model lives to the end, each document's view and layout only while it is made:
    -- Lua's generational collector leaves the old model alone (measured on 30
    -- organisations: peak memory 77 -> 58 MB, the same processor time), and so the workers'
    -- copies of the model's pages stay shared with this process.
    collectgarbage("generational")
    local files, options = command.parse(args, { out = true, date = true, jobs = true, formats = true, kinds = true,
      templates = true, force = true, verbose = true })
    if not files then return command.usage_error("build: %s", options) end
    if #files == 0 then return command.usage_error("build: укажите хотя бы один файл описания") end
    if not options.out then return command.usage_error("build: укажите папку для документов: -o ПАПКА") end
    if options.date then
      local _, why = dates.parse(options.date)
      if why then return command.usage_error("build: --date: %s", why) end
    end
    -- (one DTSTAMP for all the calendars of the run: commands/calendar.lua)
    local run = { date = options.date, stamp = calendar.stamp(options.date) }
    local templates_note
    if options.templates then
      run.templates, templates_note = render.templates_option("build", options.templates)
      if not run.templates then return command.usage_error("%s", templates_note) end
    end
    local jobs_error
    run.jobs, jobs_error = workers.option("build", options.jobs)
    if not run.jobs then return command.usage_error("%s", jobs_error) end
    local why
    if options.formats then
      run.formats, why = selection.formats(options.formats)
      if not run.formats then return command.usage_error("build: %s", why) end
    end
    if options.kinds then
      run.kinds, why = selection.kinds(options.kinds)
      if not run.kinds then return command.usage_error("build: %s", why) end
    end
    -- (write_document asks run.formats[format]: every format when none is named)
    run.formats_named, run.formats = run.formats, run.formats or setmetatable({}, { __index = function() return true end })
    local tree = paths.tree(options.out)
    local root_ok, root_error = tree:make()
    if not root_ok then return command.EXIT_OUTPUT, "", root_error end
    local errs, report = {}, { blanks = blanks.new(options.verbose), skipped = {}, failed = {}, warnings = {},
      made = manifest.open(tree.path, options.force) }
    local built = {}
    local code, made = command.EXIT_OK, 0
    for _, file in ipairs(files) do
      local m, load_report, read = nil, nil, nil
      local region, errors = load.region(file)
      host.limits_off()
      if not region then
        load_report = command.format_errors(errors, file)
      elseif region.model then
        if #region.errors > 0 then load_report = command.format_errors(region.errors, file) else m = region.model end
      else
        local failure
        m, read, failure = read_region(region, file, run, tree.path)
        if not m then
          load_report = read
          code = math.max(code, failure or command.EXIT_INPUT)
        end
      end
      if not m then
        errs[#errs + 1] = load_report
        code = math.max(code, command.EXIT_INPUT)
      else
        local stem = file:match("([^/]+)%.[Ll][Uu][Aa]$") or file:match("([^/]+)/*$") or file
        local folder = tree:folder(stem, file, "описание", "описание " .. file)
        -- A limit of the description's run stops the documents of one subject (the ones made
        -- stay), not the build.
        local files_made, stopped = build_description(m, folder, file, run, report, read)
        made = made + files_made
        for _, message in ipairs(stopped) do errs[#errs + 1] = message end
        if #stopped > 0 then code = math.max(code, report.internal and command.EXIT_INTERNAL or command.EXIT_INPUT) end
        -- (only a whole build says what is stale: not a stopped one, nor one of some kinds or formats)
        if #stopped == 0 and not run.kinds and not run.formats_named then built[#built + 1] = folder.path end
      end
    end
    if report.over_limit then code = math.max(code, command.EXIT_INPUT) end
    report.failed[#report.failed + 1] = report.made:finish(built)
    for _, message in ipairs(report.failed) do errs[#errs + 1] = message end
    if #report.failed > 0 then code = math.max(code, command.EXIT_OUTPUT) end
    local out = { string.format("Сделано файлов: %d.\n", made), templates_note }
    if #report.failed > 0 then
      out[#out + 1] = string.format("Не записано файлов: %d (причины — в сообщениях об ошибках).\n", #report.failed)
    end
    if #tree.notes > 0 then
      out[#out + 1] = "Имена папок и файлов, изменённые, чтобы быть разными и годными для любого диска:\n  "
        .. table.concat(tree.notes, "\n  ") .. "\n"
    end
    out[#out + 1] = report.made:summary()
    out[#out + 1] = report.blanks:summary()
    if #report.warnings > 0 then
      out[#out + 1] = "Предупреждения (документы сделаны):\n  " .. table.concat(report.warnings, "\n  ") .. "\n"
    end
    if #report.skipped > 0 then
      out[#out + 1] = "Не сделано:\n  " .. table.concat(report.skipped, "\n  ") .. "\n"
    end
    return code, table.concat(out), table.concat(errs)
  end,
}
