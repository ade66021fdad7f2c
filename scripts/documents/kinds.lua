-- The document kinds, found in this folder: a kind is a module documents/<kind>.lua whose
-- table says kind = "<kind>" (its own file name) and has view(model, options) -> view | nil,
-- reason and pdf(view) -> the layout for nastavnik.pdf. Nothing lists the kinds: a new file
-- here (with its two templates in templates/src/) is a new document. The other modules of the
-- folder (common, order, participants-common) are helpers and say no kind.
--
-- What a kind may declare besides:
--   title, folder, file_name  — its name and its place in the tree `build` writes;
--   position                  — where `build` and the help list it (smaller first; then by name);
--   for_municipality          — a municipality has one too; only_municipality — only it has;
--   instances(model, options) — the copies made once per pair, person or order;
--   order_kind, order_kind_title — the kind of order (order { kind = … }) it prints and its
--                               Russian name: the description's orders may be of these kinds;
--   landscape                 — it has landscape pages (the tests look for them);
--   says                      — words every document of the kind says (the tests look for them);
--   paged                     — it is laid out twice (a contents with page numbers).
--
-- The module returns the names in that order; kinds.modules holds the loaded modules by name
-- and kinds.order_kinds the order kinds ({ name, title, document }) in the same order.

local kinds = { modules = {}, order_kinds = {} }

-- This folder, from the path `require` found this module at.
local function folder()
  local path = package.searchpath("documents.kinds", package.path)
  return path and path:match("^(.*)/[^/]+$") or "scripts/documents"
end

local function files(dir)
  local ok, host = pcall(require, "nastavnik.host")
  local names = ok and host.list_dir and host.list_dir(dir)
  if not names then error("не удалось прочитать папку документов " .. dir, 0) end
  return names
end

local found = {}
for _, file in ipairs(files(folder())) do
  local name = file:match("^([%w%-_]+)%.lua$")
  if name and name ~= "kinds" then
    local module = require("documents." .. name)
    if type(module) == "table" and module.kind == name and type(module.view) == "function" then
      found[#found + 1] = module
    end
  end
end
table.sort(found, function(a, b)
  local pa, pb = a.position or math.huge, b.position or math.huge
  if pa ~= pb then return pa < pb end
  return a.kind < b.kind
end)
for _, module in ipairs(found) do
  kinds[#kinds + 1] = module.kind
  kinds.modules[module.kind] = module
  if module.order_kind then
    kinds.order_kinds[#kinds.order_kinds + 1] = { name = module.order_kind,
      title = module.order_kind_title or module.order_kind, document = module.kind }
  end
end

return kinds
