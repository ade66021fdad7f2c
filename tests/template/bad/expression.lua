-- An expression in a tag: said once, with what to do instead.
-- template: <w:p><w:r><w:t>Итого: {a+b}; {#count > 3}много{/count > 3}</w:t></w:r></w:p>
-- expect: тег {a+b}: выражения в тегах не поддерживаются: в теге пишется имя (a или a.b.c) и, через «|», фильтры; посчитайте значение в файле данных
-- expect: тег {#count > 3}: выражения в тегах не поддерживаются
-- expect-errors: 2
return { a = 1, b = 2, count = 5 }
