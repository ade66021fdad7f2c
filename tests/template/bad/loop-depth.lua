-- Loops nested 70 deep (each finds the same list again): over the loop depth limit.
-- generate: nested 70
-- expect: циклы вложены глубже 64 уровней (предел; цикл {#l})
-- expect-errors: 1
return { l = { "a" }, x = "x" }
