/*
 * template_lua: the Lua module "nastavnik.template".
 *
 *   local template = require "nastavnik.template"
 *   local ok, errors = template.fill(template_path, view, out_path, filters)
 *     -> true | nil, { "message", ... }
 *
 * filters (optional) maps a filter name to a function(value) -> value.
 */
#ifndef NASTAVNIK_TEMPLATE_LUA_H
#define NASTAVNIK_TEMPLATE_LUA_H

#include <lua.h>

int luaopen_nastavnik_template(lua_State *L);

#endif
