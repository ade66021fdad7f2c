-- [ + {#l}×40 + {x} + {/l}×40 + ] with a list of 150,000: once a Lua stack overflow (2 slots a
-- level, never checked); now the copies limit stops it.
-- generate: nested 40
-- expect: циклы дают больше 200000 повторов на весь документ (предел; цикл {#l})
-- expect-errors: 1
local l = {}
for i = 1, 150000 do l[i] = i end
return { l = l, x = "x" }
