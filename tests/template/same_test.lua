-- What a fill's copy of a prepared template still holds as it was copied is written as its first
-- writing was (serialize.c, treecopy.c's tmpl_same): the template's own paragraphs, runs and
-- rows, compared with the template's image before they are written so. Fills of one template
-- that change those subtrees in some fills (fit, words kept whole, a loop) and leave them in
-- others give, in any order, what the same fill gave the first time.
local t = require "template_test_lib"
local host = require "nastavnik.host"
local fixtures, out = arg[1], arg[2]

local RPR = '<w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman"/><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr>'
local function static(text)
  return '<w:p><w:pPr><w:spacing w:before="0" w:after="60"/><w:jc w:val="both"/></w:pPr>'
    .. '<w:r>' .. RPR .. '<w:t xml:space="preserve">' .. text .. ' </w:t></w:r>'
    .. '<w:r>' .. RPR .. '<w:t>и словоформы после того же текста</w:t></w:r></w:p>'
end
local cell = '<w:tc><w:tcPr><w:tcW w:w="3000" w:type="dxa"/></w:tcPr>'
  .. '<w:p><w:pPr><w:suppressAutoHyphens/><w:jc w:val="center"/></w:pPr><w:r>' .. RPR
  .. '<w:t>ячейка таблицы шаблона</w:t></w:r></w:p></w:tc>'
local body = static("первый абзац шаблона без тегов")
  .. '<w:p><w:r>' .. RPR .. '<w:t>Имя: {name}</w:t></w:r></w:p>'
  .. '<w:tbl><w:tblGrid><w:gridCol w:w="3000"/><w:gridCol w:w="3000"/></w:tblGrid>'
  .. '<w:tr>' .. cell .. cell .. '</w:tr><w:tr>' .. cell .. cell .. '</w:tr></w:tbl>'
  .. '<w:p><w:r><w:t>{#items}</w:t></w:r></w:p>' .. static("абзац цикла {v}")
  .. '<w:p><w:r><w:t>{/items}</w:t></w:r></w:p>'
  .. static("последний абзац шаблона без тегов")

local docx = t.docx(fixtures .. "/same.docx", body)
local A = { name = "Иванов", items = {} }
local B = { name = "Петров", items = { { v = "1" }, { v = "2" }, { v = "3" }, { v = "4" } } }
local fit = { fit = { size = -1, leading = 0.92, space = 0.5 } }
local whole = { protect = { "словоформ" } }

local n = 0
local function fill(tpl, view, options, part, ext)
  n = n + 1
  local path = out .. "/same" .. n .. ext
  t.fill(tpl, view, path, part, nil, options)
  return host.read_file(path)
end

local function check(tpl, part, ext)
  local cases = { { A }, { A, fit }, { B }, { A, whole }, { B, fit }, { B, whole } }
  local first = {}
  for round = 1, 3 do
    for i, case in ipairs(cases) do
      local bytes = fill(tpl, case[1], case[2], part, ext)
      if round == 1 then
        first[i] = bytes
      else
        t.eq(bytes, first[i])
      end
    end
  end
  return first
end

local d = check(docx, nil, ".docx")
-- (the cases differ where they should)
local plain, fitted = t.fill(docx, A, out .. "/same-a.docx"), t.fill(docx, A, out .. "/same-f.docx", nil, nil, fit)
t.has(plain, '<w:sz w:val="24"/>')
t.has(fitted, '<w:sz w:val="22"/>')
t.has(t.text(plain), "первый абзац шаблона без тегов")
t.has(t.text(plain), "Имя: Иванов")
t.has(t.fill(docx, A, out .. "/same-w.docx", nil, nil, whole), 'w:val="zxx"')
t.eq(d[1] ~= d[2] and d[1] ~= d[4] and d[1] ~= d[3], true)

local ocell = '<table:table-cell office:value-type="string"><text:p text:style-name="P1">ячейка таблицы шаблона</text:p></table:table-cell>'
local function ostatic(text)
  return '<text:p text:style-name="P1">' .. text .. ' <text:span text:style-name="T1">и словоформы после</text:span> того же текста</text:p>'
end
local obody = ostatic("первый абзац шаблона без тегов")
  .. '<text:p text:style-name="P1">Имя: {name}</text:p>'
  .. '<table:table table:name="T"><table:table-column table:number-columns-repeated="2"/>'
  .. '<table:table-row>' .. ocell .. ocell .. '</table:table-row>'
  .. '<table:table-row>' .. ocell .. ocell .. '</table:table-row></table:table>'
  .. '<text:p>{#items}</text:p>' .. ostatic("абзац цикла {v}") .. '<text:p>{/items}</text:p>'
  .. ostatic("последний абзац шаблона без тегов")
local styles = '<style:style style:name="P1" style:family="paragraph"><style:paragraph-properties fo:margin-bottom="3pt"/>'
  .. '<style:text-properties fo:font-size="12pt" style:font-size-complex="12pt"/></style:style>'
  .. '<style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>'
local odt = t.odt(fixtures .. "/same.odt", obody, styles)
local o = check(odt, "content.xml", ".odt")
t.eq(o[1] ~= o[2] and o[1] ~= o[4] and o[1] ~= o[3], true)
t.has(t.text(t.fill(odt, A, out .. "/same-a.odt", "content.xml")), "первый абзац шаблона без тегов")
