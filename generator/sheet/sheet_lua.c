/* sheet_lua: see sheet_lua.h. */
#include "sheet_lua.h"

#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "sheet.h"

/* ---- read ------------------------------------------------------------------------------- */

static void push_cell(lua_State *L, const SheetCell *cell) {
  switch (cell->type) {
    case SHEET_TEXT:
      lua_pushstring(L, cell->text);
      break;
    case SHEET_NUMBER:
      lua_pushnumber(L, cell->number);
      break;
    case SHEET_BOOL:
      lua_pushboolean(L, cell->number != 0);
      break;
    case SHEET_DATE:
      lua_createtable(L, 0, 2);
      lua_pushstring(L, cell->text);
      lua_setfield(L, -2, "date");
      lua_pushnumber(L, cell->number);
      lua_setfield(L, -2, "serial");
      break;
    case SHEET_ERROR:
      lua_createtable(L, 0, 1);
      lua_pushstring(L, cell->text);
      lua_setfield(L, -2, "error");
      break;
    case SHEET_FORMULA:
      lua_createtable(L, 0, 1);
      lua_pushstring(L, cell->text);
      lua_setfield(L, -2, "formula");
      break;
  }
}

static void push_list(lua_State *L, const SheetList *list) {
  lua_createtable(L, 0, 4);
  lua_pushstring(L, list->name);
  lua_setfield(L, -2, "name");
  lua_pushboolean(L, list->hidden);
  lua_setfield(L, -2, "hidden");
  lua_createtable(L, (int)list->count, 0);
  for (size_t r = 0; r < list->count; r++) {
    const SheetRow *row = &list->rows[r];
    lua_createtable(L, 0, (int)row->count + 2);
    lua_pushinteger(L, row->number);
    lua_setfield(L, -2, "number");
    lua_pushboolean(L, row->hidden);
    lua_setfield(L, -2, "hidden");
    for (size_t c = 0; c < row->count; c++) {
      push_cell(L, &row->cells[c]);
      lua_rawseti(L, -2, row->cells[c].column);
    }
    lua_rawseti(L, -2, (lua_Integer)r + 1);
  }
  lua_setfield(L, -2, "rows");
  lua_createtable(L, (int)list->merged_count, 0);
  for (size_t m = 0; m < list->merged_count; m++) {
    const SheetRange *range = &list->merged[m];
    lua_createtable(L, 4, 0);
    lua_pushinteger(L, range->first_row);
    lua_rawseti(L, -2, 1);
    lua_pushinteger(L, range->first_column);
    lua_rawseti(L, -2, 2);
    lua_pushinteger(L, range->last_row);
    lua_rawseti(L, -2, 3);
    lua_pushinteger(L, range->last_column);
    lua_rawseti(L, -2, 4);
    lua_rawseti(L, -2, (lua_Integer)m + 1);
  }
  lua_setfield(L, -2, "merged");
}

/* sheet.read(path [, shown]) -> book | nil, message */
static int l_read(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  const char *shown = luaL_optstring(L, 2, path);
  char *error = NULL;
  Workbook *book = sheet_read(path, shown, &error);
  if (!book) {
    lua_pushnil(L);
    lua_pushstring(L, error ? error : "не хватает памяти");
    free(error);
    return 2;
  }
  lua_createtable(L, 0, 2);
  lua_pushstring(L, book->format);
  lua_setfield(L, -2, "format");
  lua_createtable(L, (int)book->count, 0);
  for (size_t i = 0; i < book->count; i++) {
    push_list(L, &book->lists[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, -2, "lists");
  sheet_free(book);
  return 1;
}

/* ---- write ------------------------------------------------------------------------------ */

/* Every array the conversion allocates is a userdata kept in a table at a fixed stack slot:
 * the collector frees them all, also when a Lua error cuts the conversion short. */
typedef struct {
  int anchor; /* stack index of the table holding the blocks */
  lua_Integer count;
} Allocations;

static void *allocate(lua_State *L, Allocations *a, size_t count, size_t size) {
  if (count > ((size_t)1 << 28) / (size ? size : 1)) luaL_error(L, "sheet.write: слишком много");
  void *block = lua_newuserdatauv(L, (count ? count : 1) * size, 0);
  memset(block, 0, (count ? count : 1) * size);
  lua_rawseti(L, a->anchor, ++a->count);
  return block;
}

static lua_Integer field_integer(lua_State *L, int index, const char *name, lua_Integer fallback) {
  lua_getfield(L, index, name);
  lua_Integer v = lua_isinteger(L, -1)  ? lua_tointeger(L, -1)
                  : lua_isnumber(L, -1) ? (lua_Integer)lua_tonumber(L, -1)
                                        : fallback;
  lua_pop(L, 1);
  return v;
}

/* The string stays valid: it is held by the table, which is held by the caller's stack. */
static const char *field_string(lua_State *L, int index, const char *name) {
  lua_getfield(L, index, name);
  const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
  lua_pop(L, 1);
  return s;
}

static void read_out_cell(lua_State *L, int index, SheetOutCell *cell) {
  switch (lua_type(L, index)) {
    case LUA_TSTRING:
      cell->text = lua_tostring(L, index);
      cell->type = cell->text[0] ? OUT_TEXT : OUT_EMPTY;
      break;
    case LUA_TNUMBER:
      cell->type = OUT_NUMBER;
      cell->number = lua_tonumber(L, index);
      break;
    case LUA_TTABLE: {
      int t = lua_absindex(L, index);
      if ((cell->text = field_string(L, t, "date"))) {
        cell->type = OUT_DATE;
      } else if ((cell->text = field_string(L, t, "formula"))) {
        cell->type = OUT_FORMULA;
        lua_getfield(L, t, "value");
        cell->number = lua_tonumber(L, -1);
        lua_pop(L, 1);
      } else {
        cell->type = OUT_EMPTY;
      }
      break;
    }
    default:
      cell->type = OUT_EMPTY;
      break;
  }
}

static void read_ranges(lua_State *L, int list, Allocations *a, const SheetRange **out,
                        size_t *count) {
  lua_getfield(L, list, "merged");
  size_t n = lua_istable(L, -1) ? lua_rawlen(L, -1) : 0;
  SheetRange *ranges = allocate(L, a, n, sizeof *ranges);
  for (size_t i = 0; i < n; i++) {
    lua_rawgeti(L, -1, (lua_Integer)i + 1);
    unsigned v[4] = {0};
    for (int k = 0; k < 4; k++) {
      lua_rawgeti(L, -1, k + 1);
      v[k] = (unsigned)lua_tointeger(L, -1);
      lua_pop(L, 1);
    }
    ranges[i] = (SheetRange){v[0], v[1], v[2], v[3]};
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  *out = ranges;
  *count = n;
}

static void read_validations(lua_State *L, int list, Allocations *a, SheetOutList *out) {
  lua_getfield(L, list, "validations");
  size_t n = lua_istable(L, -1) ? lua_rawlen(L, -1) : 0;
  SheetValidation *v = allocate(L, a, n, sizeof *v);
  for (size_t i = 0; i < n; i++) {
    lua_rawgeti(L, -1, (lua_Integer)i + 1);
    int t = lua_gettop(L);
    v[i].column = (unsigned)field_integer(L, t, "column", 1);
    v[i].first_row = (unsigned)field_integer(L, t, "first", 2);
    v[i].last_row = (unsigned)field_integer(L, t, "last", 2);
    v[i].title = field_string(L, t, "title");
    v[i].message = field_string(L, t, "message");
    lua_getfield(L, t, "choices");
    if (lua_istable(L, -1)) {
      size_t k = lua_rawlen(L, -1);
      const char **choices = allocate(L, a, k, sizeof *choices);
      for (size_t j = 0; j < k; j++) {
        lua_rawgeti(L, -1, (lua_Integer)j + 1);
        choices[j] = lua_tostring(L, -1); /* held by the choices table */
        lua_pop(L, 1);
      }
      v[i].choices = choices;
      v[i].choice_count = k;
    }
    lua_pop(L, 1);
    lua_getfield(L, t, "source");
    if (lua_istable(L, -1)) {
      int s = lua_gettop(L);
      v[i].source_list = field_string(L, s, "list");
      v[i].source_column = (unsigned)field_integer(L, s, "column", 1);
      v[i].source_from = (unsigned)field_integer(L, s, "first", 1);
      v[i].source_to = (unsigned)field_integer(L, s, "last", 1);
    }
    lua_pop(L, 2);
  }
  lua_pop(L, 1);
  out->validations = v;
  out->validation_count = n;
}

static void read_list(lua_State *L, int t, Allocations *a, SheetOutList *out) {
  out->name = field_string(L, t, "name");
  if (!out->name) luaL_error(L, "sheet.write: у листа нет имени (name)");
  lua_getfield(L, t, "hidden");
  out->hidden = lua_toboolean(L, -1);
  lua_getfield(L, t, "landscape");
  out->landscape = lua_toboolean(L, -1);
  lua_pop(L, 2);
  out->frozen_rows = (unsigned)field_integer(L, t, "frozen", 0);
  lua_getfield(L, t, "columns");
  size_t count = lua_istable(L, -1) ? lua_rawlen(L, -1) : 0;
  SheetOutColumn *columns = allocate(L, a, count, sizeof *columns);
  for (size_t i = 0; i < count; i++) {
    lua_rawgeti(L, -1, (lua_Integer)i + 1);
    if (lua_istable(L, -1)) {
      lua_getfield(L, -1, "width");
      columns[i].width = lua_tonumber(L, -1);
      lua_getfield(L, -2, "date");
      columns[i].date = lua_toboolean(L, -1);
      lua_pop(L, 2);
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  out->columns = columns;
  out->column_count = count;
  lua_getfield(L, t, "rows");
  size_t n = lua_istable(L, -1) ? lua_rawlen(L, -1) : 0;
  SheetOutRow *rows = allocate(L, a, n, sizeof *rows);
  for (size_t r = 0; r < n; r++) {
    lua_rawgeti(L, -1, (lua_Integer)r + 1);
    int row = lua_gettop(L);
    const char *style = field_string(L, row, "style");
    rows[r].style = !style                         ? ROW_PLAIN
                    : strcmp(style, "header") == 0 ? ROW_HEADER
                    : strcmp(style, "title") == 0  ? ROW_TITLE
                    : strcmp(style, "total") == 0  ? ROW_TOTAL
                                                   : ROW_PLAIN;
    lua_getfield(L, row, "cells");
    size_t k = lua_istable(L, -1) ? lua_rawlen(L, -1) : 0;
    SheetOutCell *cells = allocate(L, a, k, sizeof *cells);
    for (size_t c = 0; c < k; c++) {
      lua_rawgeti(L, -1, (lua_Integer)c + 1);
      read_out_cell(L, -1, &cells[c]);
      lua_pop(L, 1);
    }
    lua_pop(L, 2);
    rows[r].cells = cells;
    rows[r].count = k;
  }
  lua_pop(L, 1);
  out->rows = rows;
  out->row_count = n;
  read_ranges(L, t, a, &out->merged, &out->merged_count);
  read_validations(L, t, a, out);
}

/* sheet.write(path, format, book) -> true | nil, message */
static int l_write(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  const char *format = luaL_checkstring(L, 2);
  luaL_checktype(L, 3, LUA_TTABLE);
  if (strcmp(format, "xlsx") != 0 && strcmp(format, "ods") != 0)
    return luaL_error(L, "sheet.write: формат «%s» неизвестен (xlsx или ods)", format);
  lua_settop(L, 3);
  lua_newtable(L);
  Allocations a = {4, 0};
  SheetBook book = {0};
  book.title = field_string(L, 3, "title");
  lua_getfield(L, 3, "lists");
  luaL_checktype(L, -1, LUA_TTABLE);
  size_t n = lua_rawlen(L, -1);
  SheetOutList *lists = allocate(L, &a, n, sizeof *lists);
  for (size_t i = 0; i < n; i++) {
    lua_rawgeti(L, -1, (lua_Integer)i + 1);
    read_list(L, lua_gettop(L), &a, &lists[i]);
    lua_pop(L, 1);
  }
  book.lists = lists;
  book.count = n;
  char *error = NULL;
  int rc = format[0] == 'x' ? sheet_write_xlsx(&book, path, &error)
                            : sheet_write_ods(&book, path, &error);
  lua_settop(L, 3);
  if (rc == 0) {
    lua_pushboolean(L, 1);
    return 1;
  }
  lua_pushnil(L);
  lua_pushstring(L, error ? error : "не удалось записать таблицу");
  free(error);
  return 2;
}

int luaopen_nastavnik_workbook(lua_State *L) {
  static const luaL_Reg functions[] = {{"read", l_read}, {"write", l_write}, {NULL, NULL}};
  luaL_newlib(L, functions);
  return 1;
}
