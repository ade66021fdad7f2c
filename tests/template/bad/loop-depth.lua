-- 40,000 nested loops (each finds the same list again): stopped at the loop depth limit.
-- generate: nested 40000
-- expect: циклы вложены глубже 64 уровней (предел; цикл {#l})
-- expect-errors: 1
return { l = { "a" }, x = "x" }
