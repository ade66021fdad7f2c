/*
 * values: names looked up in the view (fill.h). Inside loops the item is searched first, then
 * the enclosing items, then the view. Every access is raw (lua_rawget, lua_rawgeti, lua_next):
 * a table with a metatable, whether from the data or returned by a filter, never runs code of
 * its own here. Filters are the only user code called, each through lua_pcall.
 */
#include <lauxlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fill.h"
#include "memory.h"

/* Pushes t[key] of the table at idx, raw. */
static int raw_field(lua_State *L, int idx, const char *key) {
  idx = lua_absindex(L, idx);
  lua_pushstring(L, key);
  return lua_rawget(L, idx);
}

int values_filter_known(Fill *f, const char *name) {
  if (!f->filters) return 0;
  int type = raw_field(f->L, f->filters, name);
  lua_pop(f->L, 1);
  return type == LUA_TFUNCTION || type == LUA_TTABLE;
}

/* A name the view lacks: said once per tag, with the loop item where it was first missed. */
static void missing(Fill *f, const Tag *t, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void missing(Fill *f, const Tag *t, const char *fmt, ...) {
  Part *p = f->cur;
  size_t id = (size_t)(t - p->tags);
  if (p->quiet[id]) return;
  p->quiet[id] = 1;
  char msg[768];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  Buf where = {0};
  for (int s = 1; s < f->nscopes; s++) {
    char item[256];
    if (f->loop_items[s])
      snprintf(item, sizeof item, "%s%s[%ld]", s > 1 ? " → " : "", f->loop_names[s],
               f->loop_items[s]);
    else
      snprintf(item, sizeof item, "%s%s", s > 1 ? " → " : "", f->loop_names[s]);
    buf_str(&where, item);
  }
  if (where.data)
    fill_tag_error(f, t, "%s (тег %s; в цикле: %s)", msg, t->raw, where.data);
  else
    fill_tag_error(f, t, "%s (тег %s)", msg, t->raw);
  buf_free(&where);
}

static char *path_prefix(const Tag *t, int k) {
  Buf pre = {0};
  for (int i = 0; i < k; i++) {
    if (i) buf_str(&pre, ".");
    buf_str(&pre, t->path[i]);
  }
  return pre.data;
}

/* Not found: nil, or "" when the author asked for docxtemplater's leniency. */
static int not_found(Fill *f) {
  if (f->options.missing_empty)
    lua_pushliteral(f->L, "");
  else
    lua_pushnil(f->L);
  return 0;
}

int values_push(Fill *f, const Tag *t, int report) {
  lua_State *L = f->L;
  if (!lua_checkstack(L, 8)) tmpl_no_memory();
  report = report && !f->options.missing_empty;
  int found_scope = -1;
  if (t->npath == 0) {
    lua_pushvalue(L, f->scopes[f->nscopes - 1]);
    found_scope = f->nscopes - 1;
  } else {
    for (int s = f->nscopes - 1; s >= 0; s--) {
      if (lua_type(L, f->scopes[s]) != LUA_TTABLE) continue;
      if (raw_field(L, f->scopes[s], t->path[0]) != LUA_TNIL) {
        found_scope = s;
        break;
      }
      lua_pop(L, 1);
    }
    if (found_scope < 0) {
      if (report) missing(f, t, "в данных нет поля «%s»", t->path[0]);
      return not_found(f);
    }
    for (int k = 1; k < t->npath; k++) {
      if (lua_type(L, -1) != LUA_TTABLE) {
        lua_pop(L, 1);
        if (report) {
          char *pre = path_prefix(t, k);
          missing(f, t, "в данных нет «%s»: «%s» — не таблица, у неё нет поля «%s»", t->name, pre,
                  t->path[k]);
          memory_free(pre);
        }
        return not_found(f);
      }
      const char *key = t->path[k];
      char *end;
      long idx = strtol(key, &end, 10);
      if (*end == '\0' && end != key)
        lua_rawgeti(L, -1, idx);
      else
        raw_field(L, lua_gettop(L), key);
      lua_remove(L, -2);
      if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        if (report) {
          char *pre = path_prefix(t, k);
          missing(f, t, "в данных нет «%s»: у «%s» нет поля «%s»", t->name, pre, t->path[k]);
          memory_free(pre);
        }
        return not_found(f);
      }
    }
  }
  for (int i = 0; i < t->nfilters; i++) {
    if (!f->filters) break;
    int type = raw_field(L, f->filters, t->filters[i]);
    if (type != LUA_TFUNCTION && type != LUA_TTABLE) { /* reported when compiled */
      lua_pop(L, 1);
      continue;
    }
    lua_insert(L, -2);
    int status = lua_pcall(L, 1, 1, 0);
    if (status == LUA_ERRMEM || (status != LUA_OK && memory_is_error(L, -1))) tmpl_no_memory();
    if (status != LUA_OK) {
      /* the message as it is: an error object's __tostring is user code, not called here */
      const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
      fill_tag_error(f, t, "фильтр «%s» не сработал: %s (тег %s)", t->filters[i],
                     msg ? msg : "ошибка без текста", t->raw);
      lua_pop(L, 1);
      lua_pushnil(L);
      return 1;
    }
  }
  return 1;
}

long values_loop_count(Fill *f, int v, int inverse, int *by_index) {
  lua_State *L = f->L;
  long count = 0;
  *by_index = 0;
  switch (lua_type(L, v)) {
    case LUA_TTABLE: {
      lua_Unsigned n = lua_rawlen(L, v);
      if (n > 0) {
        count = n > (lua_Unsigned)LIMIT_COPIES ? LIMIT_COPIES + 1 : (long)n;
        *by_index = 1;
      } else {
        lua_pushnil(L);
        if (lua_next(L, v)) { /* a table with keys: once, as the scope */
          lua_pop(L, 2);
          count = 1;
        }
      }
      break;
    }
    case LUA_TNIL:
      break;
    case LUA_TBOOLEAN:
      count = lua_toboolean(L, v);
      break;
    default:
      count = 1;
      break; /* strings ("" too) and numbers (0 too): Lua's truth */
  }
  if (inverse) {
    count = count == 0;
    *by_index = 0;
  }
  return count;
}
