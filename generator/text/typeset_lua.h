/*
 * typeset_lua: the Lua module "nastavnik.typeset" — the typography of Russian documents
 * (scripts/nastavnik/russian.lua, russian.nbsp) applied in C to a text as its author typed it:
 *
 *   local typeset = require("nastavnik.typeset").typeset
 *   typeset(s) -> the text typeset, or nil when the text is not the plain UTF-8 this module
 *                 reads (a byte the UTF-8 of Cyrillic and Latin texts never holds: NUL,
 *                 four-byte characters, a broken sequence): russian.lua's own typesetting
 *                 answers for those, as it always has.
 *
 * What it does is russian.lua's, rule for rule and byte for byte (tests/text/typeset_test.c
 * compares the two on the samples' texts and on random ones): quotes inside quotes become
 * „лапки“ and straight quotes ёлочки; "№" binds to what follows; "2023 г.", "2023–2024 гг."
 * bind to their number; a short word, an abbreviation ("г.", "ул."), a number with its word, a
 * class letter, the parts of a phone number bind to the next word and a dash never starts a
 * line (non-breaking spaces). A region's documents typeset megabytes of text: in Lua the word
 * loop was most of a view's own instructions.
 *
 *   view(v, seen, fallback) -> russian.nbsp_view's copy of v, every text typeset (the walk of
 *                 russian.lua: `seen` the tables already in print form, `fallback` its typeset)
 *   trim(s)    -> text.trim(s): the spaces at both ends off, non-breaking ones made plain
 */
#ifndef NASTAVNIK_TYPESET_LUA_H
#define NASTAVNIK_TYPESET_LUA_H

#include <lua.h>

int luaopen_nastavnik_typeset(lua_State *L);

#endif
