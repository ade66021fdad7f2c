/* nastavnik.typeset (generator/text/typeset_lua.c) gives what russian.lua's typesetting
 * (russian.typeset_lua) gives, byte for byte: on cases written out by hand, on every line of
 * the samples' descriptions, and on random texts spliced from the pieces the rules look at
 * (quotes, "№", "г.", short words, numbers, phones, dashes, blanks) — 200,000 of them. A text
 * the C leaves to Lua (nil) must be one it does not read: not plain UTF-8. */
#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>

#include "text/typeset_lua.h"

static const char *const COMPARE =
    "local scripts, samples = ...\n"
    "package.path = scripts .. '/?.lua;' .. package.path\n"
    "package.preload['nastavnik.host'] = function() return {} end\n"
    "local russian = require 'nastavnik.russian'\n"
    "local lua_typeset = russian.typeset_lua\n"
    "local c_typeset = require('nastavnik.typeset').typeset\n"
    "local compared, left, failures = 0, 0, 0\n"
    "local function compare(s)\n"
    "  local ok, want = pcall(lua_typeset, s)\n"
    "  local got = c_typeset(s)\n"
    "  compared = compared + 1\n"
    "  if not ok and got ~= nil then\n"
    "    failures = failures + 1\n"
    "    print(string.format('FAIL: %q: C %q, Lua refuses it: %s', s, got, want))\n"
    "  elseif got == nil then\n"
    "    left = left + 1\n"
    "    if utf8.len(s) and not s:find('[%z\\240-\\255]') then\n"
    "      failures = failures + 1\n"
    "      if failures <= 10 then print(string.format('FAIL: %q left to Lua', s)) end\n"
    "    end\n"
    "  elseif got ~= want then\n"
    "    failures = failures + 1\n"
    "    if failures <= 10 then print(string.format('FAIL: %q: C %q, Lua %q', s, got, want)) end\n"
    "  end\n"
    "end\n"
    "for _, s in ipairs({ '', ' ', 'а', 'в школе', 'приказ № 146 от 2023 г.', '2023 г. "
    "Лесосибирск',\n"
    "  '2023–2024 гг. и 5  г.', '7 «А» класса', '12 пар', '№ 12 пар', '8 (39100) 2-14-37',\n"
    "  '+7 913 555-12-34;', '\"Об \"утверждении\" плана\"', '«а «б» в»', 'и — или - так',\n"
    "  '«Об утверждении', 'ул. Школьная, д. 5', 'а\\nв\\tс\\rд', 'x\\vy \\f z', '№\\n\\t 5',\n"
    "  '\"', '»»»', '(\"a\")', '[\"b\"]', '\\u{a0}\"c\"', '«А» «Бв» «ё»', 'г. г.', '5 г.г.',\n"
    "  '\\xff в школе', 'в \\xe0\\x80\\x80', '\\u{1F600} и я', 'и\\0в', '5\\u{a0}г.', 'П. и П.' }) "
    "do\n"
    "  compare(s)\n"
    "end\n"
    "local lines = {}\n"
    "for _, name in ipairs({ 'boguchany-school-4.lua', 'forest-class.lua', 'lyceum-2.lua',\n"
    "  'sosnovsky-district.lua', 'tashtagol-district.lua', 'ustyany-municipality.lua' }) do\n"
    "  local f = io.open(samples .. '/' .. name)\n"
    "  if f then\n"
    "    for line in f:lines() do lines[#lines + 1] = line; compare(line) end\n"
    "    f:close()\n"
    "  end\n"
    "end\n"
    "if #lines == 0 then print('FAIL: no sample read from ' .. samples); failures = failures + 1 "
    "end\n"
    "local PIECES = { ' ', ' ', ' ', ' ', '  ', '\\n', '\\t', '\\r', '\\v', '\\u{a0}', '\"', '«', "
    "'»',\n"
    "  '„', '“', '(', ')', '[', '№', '№ ', 'г.', 'гг.', 'г', '.', ',', ';', '-', '–', '—', '+',\n"
    "  '7', '12', '2023', '0', 'а', 'в', 'и', 'с', 'о', 'об', 'обо', 'ко', 'На', 'По', 'ул.',\n"
    "  'пос.', 'им.', 'д.', 'school', 'X', 'школе', 'наставничества', 'Ёлка', 'ёж', 'А', 'Я',\n"
    "  'ß', '€', 'ед' }\n"
    "-- (not plain UTF-8: left to Lua, which reads or refuses them as it always has)\n"
    "local ODD = { '\\xff', '\\xd0', '\\u{10348}', '\\0', '\\xed\\xa0\\x80', '\\xe0\\x80\\x80' }\n"
    "math.randomseed(15)\n"
    "for _ = 1, 200000 do\n"
    "  local parts = {}\n"
    "  for k = 1, math.random(1, 14) do parts[k] = PIECES[math.random(#PIECES)] end\n"
    "  if math.random(10) == 1 then parts[math.random(#parts)] = ODD[math.random(#ODD)] end\n"
    "  compare(table.concat(parts))\n"
    "end\n"
    "for _ = 1, 2000 do\n"
    "  local a, b = lines[math.random(#lines)], lines[math.random(#lines)]\n"
    "  compare(a .. PIECES[math.random(#PIECES)] .. b)\n"
    "end\n"
    "print(string.format('typeset: %d texts compared, %d left to Lua, %d failures', compared, "
    "left,\n"
    "  failures))\n"
    "-- text.trim in C against text.trim_lua\n"
    "local text = require 'nastavnik.text'\n"
    "local trims = 0\n"
    "local function compare_trim(s)\n"
    "  trims = trims + 1\n"
    "  local want, got = text.trim_lua(s), text.trim(s)\n"
    "  if want ~= got then\n"
    "    failures = failures + 1\n"
    "    if failures <= 10 then print(string.format('FAIL trim: %q: C %q, Lua %q', s, got, want)) "
    "end\n"
    "  end\n"
    "end\n"
    "for _, s in ipairs(lines) do compare_trim(s) end\n"
    "for _ = 1, 50000 do\n"
    "  local parts = {}\n"
    "  for k = 1, math.random(0, 8) do parts[k] = PIECES[math.random(#PIECES)] end\n"
    "  if math.random(10) == 1 and #parts > 0 then parts[math.random(#parts)] = "
    "ODD[math.random(#ODD)] end\n"
    "  compare_trim(table.concat(parts))\n"
    "end\n"
    "-- russian.nbsp_view in C against its walk in Lua: the same texts, the same keys in the same\n"
    "-- order (next), the same tables shared, bookkeeping («__…») kept\n"
    "local views = 0\n"
    "local function random_tree(depth, shared)\n"
    "  local t = {}\n"
    "  for k = 1, math.random(0, 6) do\n"
    "    local key = math.random(3) == 1 and k or ({ 'title', '__file', 'text', 'x' .. k, '__code' "
    "})[math.random(5)]\n"
    "    local r = math.random(10)\n"
    "    if r <= 5 then t[key] = PIECES[math.random(#PIECES)] .. ' ' .. "
    "PIECES[math.random(#PIECES)] "
    ".. ' 12 пар'\n"
    "    elseif r == 6 then t[key] = ODD[math.random(#ODD)] .. ' и я'\n"
    "    elseif r == 7 then t[key] = math.random(100)\n"
    "    elseif r == 8 and shared then t[key] = shared\n"
    "    elseif depth < 4 then t[key] = random_tree(depth + 1, shared) end\n"
    "  end\n"
    "  return t\n"
    "end\n"
    "local function same(a, b, pairs_seen)\n"
    "  if type(a) ~= 'table' then return a == b end\n"
    "  if type(b) ~= 'table' then return false end\n"
    "  if pairs_seen[a] then return pairs_seen[a] == b end\n"
    "  pairs_seen[a] = b\n"
    "  local ka, kb = next(a), next(b)\n"
    "  while ka ~= nil or kb ~= nil do\n"
    "    if ka ~= kb or not same(a[ka], b[kb], pairs_seen) then return false end\n"
    "    ka, kb = next(a, ka), next(b, kb)\n"
    "  end\n"
    "  return true\n"
    "end\n"
    "for _ = 1, 3000 do\n"
    "  local shared = math.random(2) == 1 and random_tree(3) or nil\n"
    "  local tree = random_tree(0, shared)\n"
    "  local printed = shared and math.random(2) == 1 and { shared } or nil\n"
    "  views = views + 1\n"
    "  local want, got = russian.nbsp_view(tree, printed, true), russian.nbsp_view(tree, printed)\n"
    "  if not same(want, got, {}) then\n"
    "    failures = failures + 1\n"
    "    if failures <= 10 then print('FAIL view: the C walk differs from the Lua one') end\n"
    "  end\n"
    "end\n"
    "print(string.format('trim: %d texts, nbsp_view: %d trees compared, %d failures in all', "
    "trims, "
    "views, failures))\n"
    "return failures\n";

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: typeset_test SCRIPTS_DIR SAMPLES_DIR\n");
    return 2;
  }
  lua_State *L = luaL_newstate();
  luaL_openlibs(L);
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  lua_pushcfunction(L, luaopen_nastavnik_typeset);
  lua_setfield(L, -2, "nastavnik.typeset");
  lua_pop(L, 1);
  if (luaL_loadstring(L, COMPARE) != LUA_OK) {
    fprintf(stderr, "%s\n", lua_tostring(L, -1));
    return 1;
  }
  lua_pushstring(L, argv[1]);
  lua_pushstring(L, argv[2]);
  if (lua_pcall(L, 2, 1, 0) != LUA_OK) {
    fprintf(stderr, "%s\n", lua_tostring(L, -1));
    return 1;
  }
  int failures = (int)lua_tointeger(L, -1);
  lua_close(L);
  return failures == 0 ? 0 : 1;
}
