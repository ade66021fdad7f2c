-- A loop over 300,000 items: over the limit of copies in one fill.
-- template: <w:p><w:r><w:t>{#l}{.}{/l}</w:t></w:r></w:p>
-- expect: циклы дают больше 200000 повторов на весь документ (предел; цикл {#l})
-- expect-errors: 1
local l = {}
for i = 1, 300000 do l[i] = i end
return { l = l }
