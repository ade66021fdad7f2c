-- A megabyte repeated 200 times: the document would pass the output limit.
-- template: <w:p><w:r><w:t>{#l}{big}{/l}</w:t></w:r></w:p>
-- expect: документ получается больше 128 МиБ (предел
-- expect-errors: 1
local l = {}
for i = 1, 200 do l[i] = i end
return { l = l, big = ("а"):rep(1 << 19) }
