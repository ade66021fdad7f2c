-- Document kind "roadmap": the roadmap (дорожная карта) of a school or a municipality, a
-- landscape table with the author's own columns, stages, numbering and rich cells, under
-- the approval stamp, with the goals list above the table where the roadmap has one.

local common = require "documents.common"
local russian = require "nastavnik.russian"
local richtext = require "nastavnik.richtext"

-- folder and file_name place it in the tree `build` writes; for_municipality says whether a
-- municipality (not only a school) has such a document.
local roadmap = { kind = "roadmap", title = "Дорожная карта", folder = "", file_name = "Дорожная карта",
  for_municipality = true,
  position = 10, landscape = true,
  says = { "Срок", "УТВЕРЖД" } }

-- Column widths: the number is narrow and fixed, the rest share the page by weight.
local WEIGHTS = { title = 3.2, content = 4.5, due = 2, result = 2.6, responsible = 2.6 }
local NUMBER_WIDTH = 14

-- The text of one cell of an item row (nil for an empty cell).
local function cell_value(source, key)
  if key == "due" then return source.due and source.due.text end
  if key == "responsible" then return source.responsible and source.responsible.text end
  return source[key]
end

-- Flattens stages, items, sub-rows and child items into table rows, the shape both the
-- templates (one row loop) and the PDF table read.
local function rows_of(rm)
  local rows = {}
  local function add_item(item, depth)
    local sub = item.rows or {}
    local row = { kind = "item", number = item.number, depth = depth, cells = {}, span = math.max(1, #sub) }
    for _, col in ipairs(rm.columns) do
      if col.key ~= "number" then row.cells[col.key] = cell_value(item, col.key) end
    end
    row.subrows = {}
    for _, r in ipairs(sub) do
      local cells = {}
      for _, col in ipairs(rm.columns) do
        if col.key ~= "number" then cells[col.key] = cell_value(r, col.key) end
      end
      row.subrows[#row.subrows + 1] = cells
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

function roadmap.view(model, options)
  local org, err = common.subject(model, options)
  if not org then return nil, err end
  local rm = org.roadmap
  if not rm then return nil, "в описании нет дорожной карты (поле roadmap)" end
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
    rows = rows_of(rm),
    item_count = rm.item_count,
  }
  -- The table itself, as the PDF lays it out and a template's {table} tag inserts it: the
  -- roadmap's own columns, stage rows spanning them, titles spanning their sub-rows.
  view.table = roadmap.table_block(view)
  return view
end

local function header_cell(text)
  return { blocks = { { type = "para", align = "center", runs = { { text = text, bold = true } } } },
    valign = "middle" }
end

local function content_cell(value, key)
  local blocks = common.rich(value)
  if key == "due" or key == "responsible" then
    for _, b in ipairs(blocks) do if b.type == "para" then b.align = "left" end end
  end
  return { blocks = blocks }
end

-- The table rows for the PDF: header, optional column-number row, stage rows spanning all
-- columns, item rows with their number and title spanning their sub-rows.
function roadmap.table_block(view)
  local columns, header = {}, { cells = {} }
  for _, col in ipairs(view.columns) do
    if col.key == "number" then
      columns[#columns + 1] = { width = NUMBER_WIDTH }
    else
      columns[#columns + 1] = { weight = WEIGHTS[col.key] or 2.5 }
    end
    header.cells[#header.cells + 1] = header_cell(col.title)
  end
  local rows = { header }
  local header_rows = 1
  if view.column_numbers then
    local numbers = { cells = {} }
    for i in ipairs(view.columns) do numbers.cells[i] = header_cell(tostring(i)) end
    rows[#rows + 1] = numbers
    header_rows = 2
  end
  local ncols = #view.columns
  for _, row in ipairs(view.rows) do
    if row.kind == "stage" then
      local cells = {}
      local title_blocks = common.rich(row.title)
      for _, b in ipairs(title_blocks) do
        for _, run in ipairs(b.runs or {}) do run.bold = true end
        b.align = "center"
      end
      if row.note then
        for _, b in ipairs(common.rich(row.note)) do title_blocks[#title_blocks + 1] = b end
      end
      if view.columns[1].key == "number" and row.label then
        cells[1] = { blocks = { { type = "para", align = "center", runs = { { text = row.label, bold = true } } } } }
        cells[2] = { blocks = title_blocks, colspan = ncols - 1 }
      else
        cells[1] = { blocks = title_blocks, colspan = ncols }
      end
      rows[#rows + 1] = { cells = cells }
    else
      local span = row.span
      local first = { cells = {} }
      -- Cells shared by the sub-rows (number, stage, title) span them; the others come from
      -- the first sub-row (or the item itself when it has none).
      local shared = { number = true, title = true }
      local sub = row.subrows
      for _, col in ipairs(view.columns) do
        local cell
        if col.key == "number" then
          cell = content_cell(row.number, "number")
          for _, b in ipairs(cell.blocks) do b.align = "center" end
        elseif shared[col.key] or #sub == 0 then
          cell = content_cell(row.cells[col.key], col.key)
        else
          cell = content_cell(sub[1][col.key], col.key)
        end
        if span > 1 and shared[col.key] then cell.rowspan = span end
        first.cells[#first.cells + 1] = cell
      end
      rows[#rows + 1] = first
      for k = 2, #sub do
        local r = { cells = {} }
        for _, col in ipairs(view.columns) do
          if not shared[col.key] then r.cells[#r.cells + 1] = content_cell(sub[k][col.key], col.key) end
        end
        rows[#rows + 1] = r
      end
    end
  end
  return { type = "table", columns = columns, header_rows = header_rows, rows = rows, size = 12 }
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
  return common.document({ orientation = "landscape", size = 12, title = view.title,
    author = view.org.short_name, subject = view.year, blocks = blocks })
end

return roadmap
