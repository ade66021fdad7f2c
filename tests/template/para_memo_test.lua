-- Paragraphs kept whole are remembered per process under a key of their XML (docx.c,
-- rowkey_node in serialize.c: the XML less its escaping, each text ended) and a later
-- paragraph of the same key is written as the first was. Each pair here differs only in what a
-- weaker key would miss: an attribute's value, an attribute's namespace, a run property, an
-- element's prefix (two prefixes of one namespace), where one text ends and the next begins,
-- text or markup beside it, and text that reads like its own escaping. The first of each pair
-- is remembered first; the second must still be written as its own XML says.
local t = require "template_test_lib"
local out = arg[2]

local function para(ppr, run)
  return "<w:p>" .. (ppr and ("<w:pPr>" .. ppr .. "</w:pPr>") or "") .. "<w:r>" .. run
    .. "</w:r></w:p>"
end
local T = "<w:t xml:space=\"preserve\">"
local TAG = "<w:p><w:r><w:t>{end}</w:t></w:r></w:p>"

local pairs_ = {
  { name = "attribute value",
    a = para('<w:ind w:firstLine="709"/>', T .. "жители сосновского края</w:t>"),
    b = para('<w:ind w:firstLine="710"/>', T .. "жители сосновского края</w:t>"),
    want = 'w:firstLine="710"', never = 'w:firstLine="709"' },
  { name = "attribute namespace",
    a = para('<w:ind w:left="11"/>', T .. "школы сосновского края</w:t>"),
    b = para('<w:ind left="11"/>', T .. "школы сосновского края</w:t>"),
    want = '<w:ind left="11"/>', never = 'w:left="11"' },
  { name = "run property",
    a = para(nil, T .. "наставники сосновского края</w:t>"),
    b = para(nil, "<w:rPr><w:i/></w:rPr>" .. T .. "наставники сосновского края</w:t>"),
    want = "<w:i/>" },
  { name = "prefix",
    a = para(nil, "<xa:mark/>" .. T .. "пары сосновского края</w:t>"),
    b = para(nil, "<xb:mark/>" .. T .. "пары сосновского края</w:t>"),
    want = "<xb:mark/>", never = "<xa:mark/>" },
  { name = "where a text ends",
    a = para(nil, T .. "планы сосновского к</w:t>" .. T .. "рая</w:t>"),
    b = para(nil, T .. "планы сосновского кр</w:t>" .. T .. "ая</w:t>"),
    want = ">ая</w:t>", never = ">рая</w:t>" },
  { name = "text or markup", -- (text standing in a run, beside its w:t)
    a = para(nil, T .. "советы сосновского края</w:t>x<w:tab/>"),
    b = para(nil, T .. "советы сосновского края</w:t>x&lt;w:tab/&gt;"),
    want = "x&lt;w:tab/&gt;" },
  { name = "escaping",
    a = para(nil, T .. "отчёты сосновского a&amp;b</w:t>"),
    b = para(nil, T .. "отчёты сосновского a&amp;amp;b</w:t>"),
    want = "a&amp;amp;b" },
}

-- two prefixes bound to one namespace, on the root (paragraphs declaring one are not remembered)
local W = t.W
t.W = W .. ' xmlns:xa="urn:nastavnik:test" xmlns:xb="urn:nastavnik:test"'
local VIEW = { ["end"] = "конец" }
local opts = { protect = { "сосновск" } }
for i, p in ipairs(pairs_) do
  -- (a part without a tag is copied as it is)
  local a = t.docx(out .. "/a" .. i .. ".docx", p.a .. TAG)
  local b = t.docx(out .. "/b" .. i .. ".docx", p.b .. TAG)
  local first = t.fill(a, VIEW, out .. "/a" .. i .. "-1.docx", nil, nil, opts)
  t.has(first, '<w:lang w:val="zxx"/>')
  -- a again: remembered, the same bytes
  t.eq(t.fill(a, VIEW, out .. "/a" .. i .. "-2.docx", nil, nil, opts), first)
  -- b after a: its own
  local second = t.fill(b, VIEW, out .. "/b" .. i .. "-1.docx", nil, nil, opts)
  t.has(second, p.want)
  if p.never then t.lacks(second, p.never) end
  if second == first then error(p.name .. ": b written as a") end
  t.eq(t.fill(b, VIEW, out .. "/b" .. i .. "-2.docx", nil, nil, opts), second)
  -- and a after b: still a's
  t.eq(t.fill(a, VIEW, out .. "/a" .. i .. "-3.docx", nil, nil, opts), first)
end
t.W = W
print("ok")
