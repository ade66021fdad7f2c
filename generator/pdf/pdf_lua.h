/*
 * pdf_lua: the Lua module "nastavnik.pdf" — the layout engine and PDF backend as one call.
 *
 *   local pdf = require "nastavnik.pdf"
 *   local bytes, problems = pdf.render(doc)   -- or nil, message
 *   local n = pdf.pages(doc)                  -- the pages it lays out to (no PDF made)
 *   local trial = pdf.trial(doc, spare_mm)    -- doc read once for a form's fit: trial:pages(step)
 *                                             -- the pages it lays out to shrunk by a step,
 *                                             -- trial:render(step) its PDF (pdf_lua.c)
 *
 * doc is a declarative table (page, font, info, blocks; see pdf_lua.c for every field and its
 * default). bytes is the whole PDF as a Lua string, problems a list of warnings (characters
 * missing from the font, cells that do not fit a table's columns). Fonts and the hyphenation
 * dictionary are loaded once per process and kept, so rendering many documents is cheap.
 */
#ifndef NASTAVNIK_PDF_LUA_H
#define NASTAVNIK_PDF_LUA_H

#include <lua.h>

int luaopen_nastavnik_pdf(lua_State *L);

#endif
