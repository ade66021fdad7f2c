-- Document kind "roadmap": the roadmap (дорожная карта) of a school or a municipality, a
-- landscape table with the author's own columns, stages, numbering and rich cells, under
-- the approval stamp, with the goals list above the table where the roadmap has one.

local common = require "documents.common"
local russian = require "nastavnik.russian"
local richtext = require "nastavnik.richtext"
local text = require "nastavnik.text"

-- folder and file_name place it in the tree `build` writes; for_municipality says whether a
-- municipality (not only a school) has such a document.
local roadmap = { kind = "roadmap", title = "Дорожная карта", folder = "", file_name = "Дорожная карта",
  for_municipality = true,
  position = 10, landscape = true,
  says = { "Срок", "УТВЕРЖД" } }

-- Column widths come from the content (common.fit_columns: the same millimetres reach the
-- PDF and the DOCX/ODT templates); a width the description gives (mm, or a share of the
-- table's width) wins.
local TABLE_WIDTH = common.text_width("landscape")
roadmap.SIZE = 12

-- The text of one cell of an item row (nil for an empty cell): the known columns by their
-- meaning, the roadmap's own from source.free.
local function cell_value(source, key)
  if key == "due" then return source.due and source.due.text end
  if key == "responsible" then return source.responsible and source.responsible.text end
  if source.free and source.free[key] ~= nil then return source.free[key] end
  return source[key]
end

-- Flattens stages, items, sub-rows and child items into table rows, the shape both the
-- templates (one row loop) and the PDF table read. A sub-row's cell that continues the one
-- above (row.above) is left out of subrows and marked in merged: the cell above spans it.
local function rows_now(rm)
  local rows = {}
  local function add_item(item, depth)
    local sub = item.rows or {}
    local row = { kind = "item", number = item.number, depth = depth, cells = {}, span = math.max(1, #sub) }
    for _, col in ipairs(rm.columns) do
      if col.key ~= "number" then row.cells[col.key] = cell_value(item, col.key) end
    end
    row.subrows, row.merged = {}, {}
    for k, r in ipairs(sub) do
      local cells, merged = {}, {}
      for _, col in ipairs(rm.columns) do
        if col.key ~= "number" then
          if k > 1 and r.above and r.above[col.key] then merged[col.key] = true
          else cells[col.key] = cell_value(r, col.key) end
        end
      end
      row.subrows[k], row.merged[k] = cells, merged
    end
    rows[#rows + 1] = row
    for _, child in ipairs(item.items or {}) do add_item(child, depth + 1) end
  end
  for _, stage in ipairs(rm.stages) do
    if stage.title then
      -- label: the number printed in the № cell; none when the title says it ("1 этап. …").
      local says_number = stage.number and richtext.plain(stage.title):sub(1, #stage.number) == stage.number
      rows[#rows + 1] = { kind = "stage", number = stage.number, label = not says_number and stage.number or nil,
        title = stage.title, note = stage.note }
    end
    for _, item in ipairs(stage.items) do add_item(item, 1) end
  end
  return rows
end
-- (made once per roadmap: its document and the report both show them, and nothing changes them
-- once made; weak, they go with the roadmap)
roadmap.rows_of = common.per_table(rows_now)

-- The view made last, by its organisation and roadmap (all it is made of): the order approving
-- the roadmap (order-roadmap, the next document) carries the same view as its appendix, and
-- making it is the roadmap's table laid out in C to size its columns. Nothing changes a view
-- once made. Only the last is kept.
local last_org, last_rm, last_view

function roadmap.view(model, options)
  local org, err = common.subject(model, options)
  if not org then return nil, err end
  local rm = org.roadmap
  if not rm then return nil, "в описании нет дорожной карты (поле roadmap)" end
  if org == last_org and rm == last_rm then return last_view end
  local order = rm.approved_by or (rm.approval and rm.approval.order) or common.order_of_kind(org, "roadmap")
  local view = {
    org = common.org_view(org),
    title = rm.title,
    subtitle = rm.subtitle,
    year = rm.period and russian.academic_year(rm.period) or rm.year,
    stamp = common.stamp_view(org, { approval = rm.approval, order = order, word = common.approved_word(rm.title) }),
    goals_title = rm.goals_title,
    goals = rm.goals,
    columns = rm.columns,
    column_numbers = rm.column_numbers,
    rows = roadmap.rows_of(rm),
    item_count = rm.item_count,
  }
  view.missing = { view.stamp and view.stamp.missing }
  -- The table itself, as the PDF lays it out and a template's {table} tag inserts it: the
  -- roadmap's own columns, stage rows spanning them, titles spanning their sub-rows.
  view.table = common.fit_columns(roadmap.table_block(view),
    { orientation = "landscape", size = roadmap.SIZE, org = view.org })
  -- (fitted, the table is done: frozen, its rows too, so that its C read is kept from the
  -- roadmap's PDF, DOCX and ODT to the order's appendix; common.frozen)
  for _, row in ipairs(view.table.rows) do common.frozen(row) end
  common.frozen(view.table)
  last_org, last_rm, last_view = org, rm, view
  return view
end

local function header_cell(text)
  return { blocks = { { type = "para", align = "center", runs = { { text = text, bold = true } } } },
    valign = "middle" }
end

-- (a copy only where the cell's alignment is set: the others show the blocks as they are)
local function content_cell(value, key)
  if key == "due" or key == "responsible" then
    local blocks = common.rich(value)
    for _, b in ipairs(blocks) do if b.type == "para" then b.align = "left" end end
    return { blocks = blocks }
  end
  return { blocks = key == "number" and common.rich(value) or common.rich_read(value) }
end

-- The table's columns: a width the description gives, else sized from the content ({}). A
-- share ("25%") is of the table's width. `own_widths = false` leaves the description's widths
-- out (a table with more columns than the roadmap's).
function roadmap.column_sizes(columns, own_widths)
  local out = {}
  for i, col in ipairs(columns) do
    if own_widths ~= false and col.width and col.width.mm then
      out[i] = { width = col.width.mm }
    elseif own_widths ~= false and col.width and col.width.share then
      out[i] = { width = TABLE_WIDTH * col.width.share / 100 }
    else
      out[i] = {}
    end
  end
  return out
end

-- What an item's number and title cells show at the top of a page the item goes on to:
-- «1.2» and «Title (продолжение)», so a reader of that page knows what the text belongs to.
local function continued_number(number, has_title)
  if not number or number == "" then return nil end
  local blocks = { { type = "para", align = "center", hyphenate = false, runs = { { text = number } } } }
  if not has_title then
    blocks[2] = { type = "para", align = "center", size = 9, runs = { { text = "(прод.)", italic = true } } }
  end
  return { blocks = blocks }
end

local function continued_title(value)
  local title = value and richtext.plain(common.rich_read(value)) or ""
  if title == "" then return nil end
  return { blocks = { { type = "para", runs = { { text = title .. " " }, { text = "(продолжение)", italic = true } } } } }
end

-- The header: one row, or two where columns share a header written above them (group =
-- "Сроки" on «начало» and «окончание»): the shared one spans them, the others span both rows.
function roadmap.header_rows(columns)
  local grouped = false
  for _, col in ipairs(columns) do grouped = grouped or col.group ~= nil end
  local top, second = { cells = {} }, { cells = {} }
  local i = 1
  while i <= #columns do
    local col = columns[i]
    if col.group then
      local n = 1
      while columns[i + n] and columns[i + n].group == col.group do n = n + 1 end
      local cell = header_cell(col.group)
      if n > 1 then cell.colspan = n end
      top.cells[#top.cells + 1] = cell
      for k = i, i + n - 1 do second.cells[#second.cells + 1] = header_cell(columns[k].title) end
      i = i + n
    else
      local cell = header_cell(col.title)
      if grouped then cell.rowspan = 2 end
      top.cells[#top.cells + 1] = cell
      i = i + 1
    end
  end
  return grouped and { top, second } or { top }
end

-- The cells of a roadmap's item rows but the number's, made once per list of rows (rows_of's,
-- one per roadmap): the roadmap's table (its document, the order's appendix) and the report's,
-- which numbers the items its own way and adds columns of its own, show the same ones. Frozen
-- (common.frozen: made here whole, only read after), so that what the C reader makes of each is
-- kept too, from the roadmap's fit to the report's PDF. made[i] is the i-th row's: a stage's
-- title blocks, or an item's lines, each { [key] = cell, or false where no cell is (the cell
-- above spans it) }.
local cells_of = common.per_table(function() return {} end)

-- The cell of the k-th line of an item row in the column `key` (not the number's), or false.
local function line_cell(row, k, key)
  local sub, merged = row.subrows, row.merged or {}
  local cell
  if key == "title" then -- (shared by the sub-rows: it spans them)
    if k ~= 1 then return false end
    cell = content_cell(row.cells.title, key)
    if #sub > 1 then cell.rowspan = #sub end
    cell.continued = continued_title(row.cells.title)
  elseif #sub == 0 then
    cell = content_cell(row.cells[key], key)
  elseif merged[k] and merged[k][key] then
    return false
  else
    cell = content_cell(sub[k][key], key)
    local n = 1
    while merged[k + n] and merged[k + n][key] do n = n + 1 end
    if n > 1 then cell.rowspan = n end
  end
  return common.frozen(cell)
end

-- An item's number cell (spanning one line), and the same remembered by the number, frozen:
-- items numbered alike show the same (every report numbers its items 1, 2, 3…). By whether the
-- table has a title column (what the number says where the item goes on to a new page).
local function number_cell(number, has_title)
  local cell = content_cell(number, "number")
  for _, b in ipairs(cell.blocks) do b.align = "center" end
  cell.continued = continued_number(number, has_title)
  return cell
end
local number_cells = {}
for _, has_title in ipairs({ true, false }) do
  number_cells[has_title] = text.memo(function(number) return common.frozen(number_cell(number, has_title)) end, 256)
end

-- The table rows for the PDF: header, optional column-number row, stage rows spanning all
-- columns (never the last row of a page), item rows with their number and title spanning
-- their sub-rows (repeated where an item goes on to a new page), and a sub-row's cell merged
-- with the cells below it that continue it (row.merged). `numbers` (optional): the items'
-- numbers, in the order of view.rows, instead of their own (the report's).
function roadmap.table_block(view, numbers)
  local columns = view.columns
  local rows = roadmap.header_rows(columns)
  local header_rows = #rows
  if view.column_numbers then
    local numbered = { cells = {} }
    for i in ipairs(columns) do numbered.cells[i] = header_cell(tostring(i)) end
    rows[#rows + 1] = numbered
    header_rows = 2
  end
  local ncols = #columns
  local has_title = false
  for _, col in ipairs(columns) do has_title = has_title or col.key == "title" end
  local made = cells_of(view.rows)
  local items = 0
  for i, row in ipairs(view.rows) do
    if row.kind == "stage" then
      local title_blocks = made[i]
      if not title_blocks then
        title_blocks = common.rich(row.title)
        for _, b in ipairs(title_blocks) do
          for _, run in ipairs(b.runs or {}) do run.bold = true end
          b.align = "center"
        end
        if row.note then
          for _, b in ipairs(common.rich(row.note)) do title_blocks[#title_blocks + 1] = b end
        end
        made[i] = title_blocks
      end
      local cells = {}
      if columns[1].key == "number" and row.label then
        cells[1] = { blocks = { { type = "para", align = "center", runs = { { text = row.label, bold = true } } } } }
        cells[2] = { blocks = title_blocks, colspan = ncols - 1 }
      else
        cells[1] = { blocks = title_blocks, colspan = ncols }
      end
      rows[#rows + 1] = { cells = cells, keep_with_next = true }
    else
      -- Cells shared by the sub-rows (number, title) span them; the others come from each
      -- sub-row (or the item itself when it has none), spanning the sub-rows that continue them.
      items = items + 1
      local number = row.number
      if numbers then number = numbers[items] end
      local lines = math.max(1, #row.subrows)
      local made_lines = made[i]
      if not made_lines then
        made_lines = {}
        for k = 1, lines do made_lines[k] = {} end
        made[i] = made_lines
      end
      for k = 1, lines do
        local r = { cells = {} }
        local cells, line = r.cells, made_lines[k]
        for _, col in ipairs(columns) do
          local key = col.key
          local cell
          if key == "number" then
            if k == 1 then
              if lines == 1 and number then
                cell = number_cells[has_title](number)
              else
                cell = number_cell(number, has_title)
                if lines > 1 then cell.rowspan = lines end
              end
            end
          else
            cell = line[key]
            if cell == nil then
              cell = line_cell(row, k, key)
              line[key] = cell
            end
          end
          if cell then cells[#cells + 1] = cell end
        end
        rows[#rows + 1] = r
      end
    end
  end
  return { type = "table", columns = roadmap.column_sizes(columns), header_rows = header_rows, rows = rows,
    size = roadmap.SIZE }
end

-- The roadmap's own blocks (title, goals, table), shared with the order's appendix.
function roadmap.body_blocks(view)
  local blocks = {}
  blocks[#blocks + 1] = common.para(view.title, { align = "center", bold = true, space_before = 12 })
  if view.subtitle then blocks[#blocks + 1] = common.para(view.subtitle, { align = "center", bold = true }) end
  blocks[#blocks + 1] = { type = "space", height = 4 }
  if view.goals and #view.goals > 0 then
    blocks[#blocks + 1] = common.para(view.goals_title, { align = "left", bold = true, keep_with_next = true })
    for _, b in ipairs(view.goals) do
      b.size = 12
      blocks[#blocks + 1] = b
    end
    blocks[#blocks + 1] = { type = "space", height = 4 }
  end
  blocks[#blocks + 1] = view.table
  return blocks
end

function roadmap.pdf(view)
  local blocks = { view.stamp and common.stamp_block(view.stamp) or nil }
  for _, b in ipairs(roadmap.body_blocks(view)) do blocks[#blocks + 1] = b end
  return common.document({ orientation = "landscape", size = 12, title = view.title, org = view.org,
    author = view.org.short_name, subject = view.year, blocks = blocks })
end

return roadmap
