/* template_lua: see template_lua.h. */
#include "template_lua.h"

#include <lauxlib.h>
#include <string.h>

#include "memory.h"
#include "template.h"
#include "view/view.h"

static void push_list(lua_State *L, const TemplateErrors *list) {
  lua_createtable(L, (int)list->count, 0);
  for (size_t i = 0; i < list->count; i++) {
    lua_pushstring(L, list->items[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
}

/* template.fill(template_path, view, out_path [, filters [, options]])
 *   -> true, { warnings } | nil, { messages }; out of memory is raised */
static int l_fill(lua_State *L) {
  const char *template_path = luaL_checkstring(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  const char *out_path = luaL_checkstring(L, 3);
  if (!lua_isnoneornil(L, 4)) luaL_checktype(L, 4, LUA_TTABLE);
  TemplateOptions options = {0};
  if (!lua_isnoneornil(L, 5)) {
    luaL_checktype(L, 5, LUA_TTABLE);
    lua_pushliteral(L, "missing");
    lua_rawget(L, 5);
    const char *missing = lua_tostring(L, -1);
    if (missing && strcmp(missing, "empty") == 0)
      options.missing_empty = 1;
    else if (missing && strcmp(missing, "error") != 0)
      return luaL_error(L, "template.fill: options.missing = \"%s\": допустимо error или empty",
                        missing);
    lua_pop(L, 1);
    /* protect = { stems }: the words kept whole (template.h); the strings stay referenced by
     * the options table, argument 5, during the fill */
    lua_pushliteral(L, "protect");
    if (lua_rawget(L, 5) == LUA_TTABLE) {
      lua_Unsigned n = lua_rawlen(L, -1);
      if (n > 10000) return luaL_error(L, "template.fill: options.protect: больше 10000 основ");
      const char **stems = memory_calloc(n ? (size_t)n : 1, sizeof *stems);
      if (!stems) return memory_raise(L);
      size_t count = 0;
      for (lua_Unsigned i = 1; i <= n; i++) {
        if (lua_rawgeti(L, -1, (lua_Integer)i) == LUA_TSTRING) stems[count++] = lua_tostring(L, -1);
        lua_pop(L, 1);
      }
      options.keep_whole = 1;
      options.protect = stems;
      options.nprotect = count;
    }
    lua_pop(L, 1);
  }
  if (!lua_isnoneornil(L, 5)) {
    /* fit = { size = -1, leading = 0.92, space = 0.5 } */
    lua_pushliteral(L, "fit");
    if (lua_rawget(L, 5) == LUA_TTABLE) {
      static const char *const keys[] = {"size", "leading", "space"};
      double values[3] = {0, 1, 1};
      for (int k = 0; k < 3; k++) {
        lua_pushstring(L, keys[k]);
        if (lua_rawget(L, -2) == LUA_TNUMBER) values[k] = lua_tonumber(L, -1);
        lua_pop(L, 1);
      }
      if (values[0] < -6 || values[0] > 6 || values[1] < 0.5 || values[1] > 2 || values[2] < 0 ||
          values[2] > 2) {
        memory_free((void *)options.protect);
        return luaL_error(L,
                          "template.fill: options.fit: size от -6 до 6, leading от 0.5 до 2, "
                          "space от 0 до 2");
      }
      options.fit = 1;
      options.fit_size = values[0];
      options.fit_leading = values[1];
      options.fit_space = values[2];
    }
    lua_pop(L, 1);
  }
  /* share = template.share(): the reads of the view shared with the document's other fills */
  int shared = 0;
  if (!lua_isnoneornil(L, 5)) {
    lua_pushliteral(L, "share");
    if (lua_rawget(L, 5) != LUA_TNIL) {
      shared = lua_gettop(L);
      if (!view_share_use(L, shared)) {
        memory_free((void *)options.protect);
        return luaL_error(L, "template.fill: options.share: ожидалось значение template.share()");
      }
    }
  }
  TemplateErrors errors = {0}, warnings = {0};
  int rc = template_fill(L, template_path, 2, lua_istable(L, 4) ? 4 : 0, out_path, &options,
                         &errors, &warnings);
  if (shared) view_share_use(L, 0); /* (the fill never raises: its Lua work is protected) */
  memory_free((void *)options.protect);
  if (rc == TEMPLATE_NO_MEMORY) {
    template_errors_free(&errors);
    template_errors_free(&warnings);
    return memory_raise(L);
  }
  if (rc == TEMPLATE_OK) {
    lua_pushboolean(L, 1);
    push_list(L, &warnings);
    template_errors_free(&warnings);
    template_errors_free(&errors);
    return 2;
  }
  lua_pushnil(L);
  push_list(L, &errors);
  template_errors_free(&errors);
  template_errors_free(&warnings);
  return 2;
}

/* template.share() -> a share for the fills of one document (view.h); `local s <close>`
 * frees it when the document is done. */
static int l_share(lua_State *L) {
  view_share_new(L);
  return 1;
}

/* template.use(share | nil): the reads of a view that other writers make (pdf.render) go
 * through the share until template.use(nil) (render.lua: around the PDF of a document). */
static int l_use(lua_State *L) {
  if (!view_share_use(L, lua_isnoneornil(L, 1) ? 0 : 1))
    return luaL_error(L, "template.use: ожидалось значение template.share() или nil");
  return 0;
}

int luaopen_nastavnik_template(lua_State *L) {
  static const luaL_Reg functions[] = {
      {"fill", l_fill}, {"share", l_share}, {"use", l_use}, {NULL, NULL}};
  luaL_newlib(L, functions);
  return 1;
}
