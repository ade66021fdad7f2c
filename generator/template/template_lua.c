/* template_lua: see template_lua.h. */
#include "template_lua.h"

#include <lauxlib.h>

#include "template.h"

/* template.fill(template_path, view, out_path [, filters]) -> true | nil, { messages } */
static int l_fill(lua_State *L) {
  const char *template_path = luaL_checkstring(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  const char *out_path = luaL_checkstring(L, 3);
  if (!lua_isnoneornil(L, 4)) luaL_checktype(L, 4, LUA_TTABLE);
  TemplateErrors errors = {0};
  int rc = template_fill(L, template_path, 2, lua_istable(L, 4) ? 4 : 0, out_path, &errors);
  if (rc == 0) {
    lua_pushboolean(L, 1);
    return 1;
  }
  lua_pushnil(L);
  lua_createtable(L, (int)errors.count, 0);
  for (size_t i = 0; i < errors.count; i++) {
    lua_pushstring(L, errors.items[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  template_errors_free(&errors);
  return 2;
}

int luaopen_nastavnik_template(lua_State *L) {
  static const luaL_Reg functions[] = {{"fill", l_fill}, {NULL, NULL}};
  luaL_newlib(L, functions);
  return 1;
}
