-- Hostile templates and data that once broke the engine (issue 12), each filled correctly now:
-- a tag cut by a processing instruction or a comment inside one w:t (use-after-free, lost text),
-- tens of thousands of tags and loops in one paragraph (once quadratic), user metamethods in
-- the data and in filter results (never called), and the leading-space tag { #foo}.
local t = require "template_test_lib"
local template = require "nastavnik.template"
local out = arg[2]
local function body(xml) return (xml:gsub("^.-<w:body>", ""):gsub("</w:body>.*", "")) end
local function fill(name, xml, view, filters)
  local src = t.docx(out .. "/" .. name .. "-template.docx", xml)
  return body(t.fill(src, view, out .. "/" .. name .. ".docx", nil, filters))
end

-- the minimal reproduction of the use-after-free: the tag's pieces in two text nodes of one w:t
t.eq(fill("pi", "<w:p><w:r><w:t>{#l}x{/l<?pi x?>}</w:t></w:r></w:p>", { l = { 1, 2 } }),
  '<w:p><w:r><w:t xml:space="preserve">x</w:t></w:r><w:r><w:t xml:space="preserve">x</w:t></w:r>'
  .. '<w:r><w:t xml:space="preserve"><?pi x?></w:t></w:r></w:p>')
-- a comment inside a tag: the text before it and the value stay
t.eq(fill("comment", "<w:p><w:r><w:t>A {x<!-- c -->}</w:t></w:r></w:p>", { x = "значение" }),
  '<w:p><w:r><w:t xml:space="preserve">A значение<!-- c --></w:t></w:r></w:p>')
t.eq(fill("comment2", "<w:p><w:r><w:t>{<!-- a -->x} и {y<?b?>}</w:t></w:r></w:p>", { x = 1, y = 2 }),
  '<w:p><w:r><w:t xml:space="preserve">1<!-- a --> и 2<?b?></w:t></w:r></w:p>') -- the value stands where its tag starts

-- many tags in one paragraph: each is written (the engine is linear in them)
local many = fill("many", "<w:p><w:r><w:t>" .. ("{x}"):rep(100000) .. "</w:t></w:r></w:p>", { x = "ab" })
t.eq(#many, #'<w:p><w:r><w:t xml:space="preserve"></w:t></w:r></w:p>' + 200000)
local runs = fill("many-runs", "<w:p>" .. ("<w:r><w:t>{x}</w:t></w:r>"):rep(20000) .. "</w:p>", { x = "a\nb" })
t.count(runs, "<w:br/>", 20000)
local loops = fill("many-loops", "<w:p><w:r><w:t>" .. ("{#l}{.}{/l}"):rep(20000) .. "</w:t></w:r></w:p>",
  { l = { 1, 2 } })
t.count(loops, ">1</w:t>", 20000)
t.count(loops, ">2</w:t>", 20000)

-- user code in the data is never run by the engine: raw access only
local trap = setmetatable({}, { __index = function() error("__index called") end,
  __pairs = function() error("__pairs called") end, __len = function() error("__len called") end })
local view = setmetatable({ name = "имя", list = setmetatable({ "a", "b" }, getmetatable(trap)),
  nested = setmetatable({ v = 1 }, getmetatable(trap)) }, getmetatable(trap))
t.eq(fill("meta", "<w:p><w:r><w:t>{name} {#list}{.}{/list} {nested.v}</w:t></w:r></w:p>", view),
  '<w:p><w:r><w:t xml:space="preserve">имя </w:t></w:r><w:r><w:t xml:space="preserve">a</w:t></w:r>'
  .. '<w:r><w:t xml:space="preserve">b</w:t></w:r><w:r><w:t xml:space="preserve"> 1</w:t></w:r></w:p>')
-- a filter's result with a looping __index, and an error object whose __tostring loops
local forever = setmetatable({}, { __index = function() while true do end end,
  __tostring = function() while true do end end })
local src = t.docx(out .. "/filters-template.docx", "<w:p><w:r><w:t>{a|f}{b|g}</w:t></w:r></w:p>")
local ok, errors = template.fill(src, { a = 1, b = 2 }, out .. "/filters.docx", {
  f = function() return { type = "table", rows = forever } end,
  g = function() error(forever) end })
t.eq(ok, nil)
local all = table.concat(errors, "\n")
t.has(all, "фильтр «g» не сработал: ошибка без текста (тег {b|g})")

-- a leading space before the loop sign, as Word's autocorrect may leave it
t.eq(fill("space", "<w:p><w:r><w:t>{ #foo}{ . }{ /foo}</w:t></w:r></w:p>", { foo = { "x" } }),
  '<w:p><w:r><w:t xml:space="preserve">x</w:t></w:r></w:p>')

-- the falsy values (README "Values"): what {#x}…{/x} and {^x}…{/x} do with each
local falsy = t.docx(out .. "/falsy-template.docx", "<w:p><w:r><w:t>[{#x}да{/x}|{^x}нет{/x}]</w:t></w:r></w:p>")
local function truth(v) return t.text(t.fill(falsy, { x = v }, out .. "/falsy.docx")) end
t.eq(truth(nil), "[|нет]")
t.eq(truth(false), "[|нет]")
t.eq(truth({}), "[|нет]")
t.eq(truth(true), "[да|]")
t.eq(truth(""), "[да|]")
t.eq(truth(0), "[да|]")
t.eq(truth({ 1, 2 }), "[дада|]")
t.eq(truth({ k = 1 }), "[да|]")
-- {x} with a missing name: an error by default, nothing with missing = "empty"
local miss = t.docx(out .. "/missing-template.docx", "<w:p><w:r><w:t>[{x}{a.b}]</w:t></w:r></w:p>")
t.has(t.fails(miss, {}, out .. "/missing.docx"), "в данных нет поля «x» (тег {x})")
t.eq(t.text(t.fill(miss, {}, out .. "/missing.docx", nil, nil, { missing = "empty" })), "[]")
t.eq(t.text(t.fill(miss, { x = false, a = { b = true } }, out .. "/missing.docx")), "[]")
print("hostile: all assertions hold")
