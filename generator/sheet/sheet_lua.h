/*
 * sheet_lua: the Lua module "nastavnik.sheet" (generator/sheet/ to the scripts).
 *
 *   local workbook = require "nastavnik.workbook"
 *   local book, message = workbook.read(path, shown_name)
 *     book = { format = "xlsx"|"ods"|"csv", lists = { { name =, hidden =, rows = {
 *                { number = 7, hidden = false, [column] = cell, ... }, ... },
 *              merged = { { first_row, first_column, last_row, last_column }, ... } }, ... } }
 *     cell = "text" | number | boolean | { date = "YYYY-MM-DD", serial = n }
 *          | { error = "#N/A" } | { formula = "SUM(A1:A3)" } (a formula never calculated)
 *   local ok, message = workbook.write(path, "xlsx"|"ods", {
 *     title = "…", lists = { { name =, hidden =, columns = { { width = 6, date = false }, … },
 *       frozen = 1,
 *       landscape = false,
 *       rows = { { style = "header"|"title"|"total"|nil, cells = { "text", 12,
 *                  { date = "YYYY-MM-DD" }, { formula = "SUM(C3:C9)", value = 12 }, "" } } },
 *       merged = { { first_row, first_column, last_row, last_column } },
 *       validations = { { column =, first =, last =, choices = { "…" } | source = { list =,
 *                         column =, first =, last = }, title =, message = } } } } })
 */
#ifndef NASTAVNIK_SHEET_LUA_H
#define NASTAVNIK_SHEET_LUA_H

#include <lua.h>

int luaopen_nastavnik_workbook(lua_State *L);

#endif
