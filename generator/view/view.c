/* view: see view.h. Every field is read with raw access (lua_rawget*): no metamethod of a user
 * table runs. Errors stop the read at the first bad field, with its full name. */
#include "view/view.h"

#include <assert.h>
#include <lauxlib.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "memory.h"

enum { WHERE_SIZE = 320 };

typedef struct ViewShare ViewShare;
typedef struct FieldKeys FieldKeys;

/* The reader's failure, carried out of the nested readers without unwinding Lua. */
typedef struct {
  ViewReader *r;
  ViewStatus status;
  int names;              /* the stack index of the field names' table (get) */
  size_t bytes;           /* what the read took of the arena (a share's limit) */
  bool paths;             /* the fields' full names made (at_key, at_index): only for a message */
  ViewShare *share;       /* the share in use (view_share_use), or NULL */
  int share_at;           /* its stack index */
  FieldKeys *keys;        /* the state's field names by address (gather), once looked up */
  struct Kept *last_kept; /* what the last read_kept to end kept, or NULL */
  const void *frozen;     /* the marker of frozen tables (view_freeze), NULL while none is */
  union Piece **heap;     /* reading into a frozen table's entry: its pieces, else NULL */
  bool held;              /* reading into a share, which holds the table read (and all inside it) */
} Ctx;

/* A piece of a frozen table's model (read_frozen): its own block of the heap, on the entry's
 * list (aligned as malloc's). */
typedef union Piece {
  union Piece *next;
  max_align_t align;
} Piece;

/* bytes, zeroed, on the list; NULL when out of memory. */
static void *heap_alloc(Piece **list, size_t bytes) {
  if (bytes > SIZE_MAX - sizeof(Piece)) return NULL;
  Piece *p = memory_calloc(1, sizeof *p + bytes);
  if (!p) return NULL;
  p->next = *list;
  *list = p;
  return p + 1;
}

/* What a value was read as: the key of a read kept by a share beside the table's address. */
typedef enum { AS_TABLE, AS_BLOCKS_TOP, AS_BLOCKS_IN_CELL } ReadAs;
static void read_kept(Ctx *c, int t, const char *where, ReadAs as, void *out, size_t size);

static ViewStatus bad(Ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static ViewStatus bad(Ctx *c, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(c->r->message, sizeof c->r->message, fmt, ap);
  va_end(ap);
  return c->status = VIEW_BAD;
}

static ViewStatus no_memory(Ctx *c) {
  snprintf(c->r->message, sizeof c->r->message, "не хватает памяти");
  return c->status = VIEW_NO_MEMORY;
}

static void *alloc(Ctx *c, size_t count, size_t size) {
  if (size && count > ((size_t)-1 >> 2) / size) {
    no_memory(c);
    return NULL;
  }
  size_t bytes = count * size;
  c->bytes += bytes;
  void *p = c->heap ? heap_alloc(c->heap, bytes ? bytes : 1)
                    : arena_alloc(c->r->arena, bytes ? bytes : 1);
  if (!p) no_memory(c);
  return p;
}

/* s (len bytes) copied into the arena, NUL-terminated; NULL when out of memory (the caller
 * says so). */
static char *copy_text(Ctx *c, const char *s, size_t len) {
  c->bytes += len + 1;
  if (!c->heap) return arena_strndup(c->r->arena, s, len);
  char *copy = len < SIZE_MAX ? heap_alloc(c->heap, len + 1) : NULL;
  if (copy) memcpy(copy, s, len); /* (zeroed: terminated) */
  return copy;
}

/* Appends s to buf (of size bytes, n used); false when it does not fit. Paths are made for
 * every field read and used only in a message: snprintf made them in 7 % of a 40-row
 * roadmap's render. */
static bool append(char *buf, size_t size, size_t *n, const char *s, size_t len) {
  bool fits = *n + len < size;
  if (!fits) len = size - 1 - *n; /* as much as fits, as snprintf would */
  memcpy(buf + *n, s, len);
  *n += len;
  buf[*n] = '\0';
  return fits;
}

/* The path cut short with "…" when very deep: the buffer is full, its end becomes "…". */
static void cut_short(char *buf, size_t size) {
  memcpy(buf + size - 4, "…", 4); /* three bytes and the terminator */
}

/* "where.key", cut short (with "…") when very deep; "" while no message is being made
 * (read_as). */
static void at_key(const Ctx *c, char *buf, size_t size, const char *where, const char *key) {
  buf[0] = '\0';
  if (!c->paths) return;
  size_t n = 0;
  if (!append(buf, size, &n, where, strlen(where)) || !append(buf, size, &n, ".", 1) ||
      !append(buf, size, &n, key, strlen(key)))
    cut_short(buf, size);
}

/* "where.key[i]" (or "where[i]" without a key), cut short the same way. */
static void at_index(const Ctx *c, char *buf, size_t size, const char *where, const char *key,
                     size_t i) {
  buf[0] = '\0';
  if (!c->paths) return;
  char digits[24];
  size_t k = sizeof digits;
  digits[--k] = ']';
  do {
    digits[--k] = (char)('0' + i % 10);
    i /= 10;
  } while (i > 0);
  digits[--k] = '[';
  size_t n = 0;
  bool ok = append(buf, size, &n, where, strlen(where));
  if (ok && key) ok = append(buf, size, &n, ".", 1) && append(buf, size, &n, key, strlen(key));
  if (!ok || !append(buf, size, &n, digits + k, sizeof digits - k)) cut_short(buf, size);
}

static const char *type_name(lua_State *L, int idx) {
  switch (lua_type(L, idx)) {
    case LUA_TNIL:
      return "nil";
    case LUA_TBOOLEAN:
      return "логическое значение";
    case LUA_TNUMBER:
      return "число";
    case LUA_TSTRING:
      return "строка";
    case LUA_TTABLE:
      return "таблица";
    case LUA_TFUNCTION:
      return "функция";
    default:
      return "служебное значение";
  }
}

/* Pushes t[key] of the table at idx, raw. */
static int get_named(lua_State *L, int idx, const char *key) {
  lua_pushstring(L, key);
  return lua_rawget(L, idx);
}

/* Field names as Lua strings made once: lua_pushstring hashed every name and compared it with
 * strcmp for each of the ~1.2 million fields a region-5 build reads (with the string's own
 * push, 2.6 % of the build's instructions). A name is known by its address: every name read
 * is a string literal (of this file, or of pdf_lua.c through view_number and its kin), which
 * gets a number here, once a process; a state's strings are kept by number in a table of its
 * registry, which each read pushes once (Ctx.names). A name met when the numbers are used up
 * is pushed as before. */
enum { NAME_SLOTS = 256 };
/* The names' table also holds, past the names and the fields' keys (field_keys), the frozen
 * tables' marker and their entries (view_freeze), made on the first freeze: each read (start)
 * and each frozen table read (read_frozen) found them by their addresses in the registry,
 * whose hash lookup was some 120 instructions (callgrind, region-20: 140,000 of them), where
 * a number's slot of the table pushed already is a few dozen. */
enum { MARKER_SLOT = NAME_SLOTS + 64, ENTRIES_SLOT = NAME_SLOTS + 65 };
static const char *named[NAME_SLOTS];
static int names_numbered;
static const char NAMES_KEY = 'n'; /* (its address keys the table in the registry) */

/* The number of a field name (1..NAME_SLOTS), 0 when none is left. */
static int name_number(const char *name) {
  size_t i = ((uintptr_t)name >> 2) % NAME_SLOTS;
  while (named[i] && named[i] != name) i = (i + 1) % NAME_SLOTS;
  if (!named[i]) {
    if (names_numbered >= NAME_SLOTS / 2) return 0;
    named[i] = name;
    names_numbered++;
  }
  return (int)i + 1;
}

/* Pushes the registry's table of field names (made on first use); its stack index. */
static int push_names(lua_State *L) {
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &NAMES_KEY) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_createtable(L, ENTRIES_SLOT, 0); /* (every slot in the array part: a look-up by index) */
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &NAMES_KEY);
  }
  return lua_gettop(L);
}

/* Pushes t[key] of the table at idx (an absolute index), raw. */
static int get(Ctx *c, int idx, const char *key) {
  lua_State *L = c->r->L;
  int n = name_number(key);
  if (n == 0) return get_named(L, idx, key);
  if (lua_rawgeti(L, c->names, n) != LUA_TSTRING) {
    lua_pop(L, 1);
    lua_pushstring(L, key);
    lua_pushvalue(L, -1);
    lua_rawseti(L, c->names, n);
  }
  /* (a name that is not a literal, its memory reused for other words, would read the wrong
   * field: the debug builds and the suite's sanitizer build check every read) */
  assert(strcmp(lua_tostring(L, -1), key) == 0);
  return lua_rawget(L, idx);
}

/* ---- frozen tables: their reads kept across documents (view_freeze) ----
 *
 * A table marked frozen (its metatable the state's marker) is promised never to change: the
 * documents' views share such tables from memos made once a process or an organisation (a
 * consent's caption rows, its list of data, the paragraphs every consent repeats). What a read
 * makes of one as a block, a cell or a row is kept in an entry of its own (its pieces on the
 * heap, each freed with the entry) and given to every later read of the same table as that:
 * a read depends on nothing but the table (`where` names it only in a message; a read that
 * fails is not kept). A table not marked is read as before, every time.
 *   The entries are the values of a table with weak keys (the registry's), keyed by the frozen
 * table itself: an entry is found by the table's identity, never by its address, and lives
 * exactly as long as its table; a collected table's entry is gone before its memory can be
 * another table's. A model kept in an entry may point into the entries of the frozen tables
 * inside it, which its own table keeps alive (they never change). A model handed out lives
 * in its reader's memory as long as the reader holds it: while a share is in use (a
 * document's, a trial's own) the frozen table is held by the share as long as its models are
 * (hold: itself, or the table a share's read is of, which holds it as it never changes while
 * the share serves it), else the read's value, on the caller's stack, holds it for the call. */
typedef enum { FZ_BLOCK_TOP, FZ_BLOCK_IN_CELL, FZ_CELL, FZ_ROW, FZ_COUNT } FrozenAs;

typedef struct {
  Piece *pieces; /* every piece of its models (heap_alloc) */
  unsigned has;  /* bit as: model[as] read */
  union {
    ViewBlock block;
    ViewCell cell;
    ViewRow row;
  } model[FZ_COUNT];
} Frozen;

#define FROZEN_META "view.frozen"

static int frozen_gc(lua_State *L) {
  Frozen *e = lua_touserdata(L, 1);
  for (Piece *p = e->pieces, *next; p; p = next) {
    next = p->next;
    memory_free(p);
  }
  e->pieces = NULL;
  e->has = 0;
  return 0;
}

/* (a new field of a frozen table: refused, as the promise is broken) */
static int frozen_newindex(lua_State *L) {
  return luaL_error(L, "значение вида неизменно (оно общее у документов): поле «%s» ему не задать",
                    luaL_tolstring(L, 2, NULL));
}

/* Pushes the marker (made with the table of entries on first use). */
static void push_marker(lua_State *L) {
  luaL_checkstack(L, 5, NULL);
  int names = push_names(L);
  if (lua_rawgeti(L, names, MARKER_SLOT) == LUA_TTABLE) {
    lua_remove(L, names);
    return;
  }
  lua_pop(L, 1);
  if (luaL_newmetatable(L, FROZEN_META)) {
    lua_pushcfunction(L, frozen_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
  lua_createtable(L, 0, 64);
  lua_createtable(L, 0, 1);
  lua_pushliteral(L, "k");
  lua_setfield(L, -2, "__mode");
  lua_setmetatable(L, -2);
  lua_rawseti(L, names, ENTRIES_SLOT);
  lua_createtable(L, 0, 2);
  lua_pushcfunction(L, frozen_newindex);
  lua_setfield(L, -2, "__newindex");
  lua_pushboolean(L, 0); /* (getmetatable gives false, setmetatable refuses to change it) */
  lua_setfield(L, -2, "__metatable");
  lua_pushvalue(L, -1);
  lua_rawseti(L, names, MARKER_SLOT);
  lua_remove(L, names);
}

void view_freeze(lua_State *L, int idx) {
  idx = lua_absindex(L, idx);
  luaL_checktype(L, idx, LUA_TTABLE);
  push_marker(L);
  if (lua_getmetatable(L, idx)) {
    bool marked = lua_rawequal(L, -1, -2);
    lua_pop(L, 2);
    if (!marked) luaL_error(L, "у значения вида уже есть метатаблица: заморозить его нельзя");
    return;
  }
  lua_setmetatable(L, idx);
}

/* Whether the table at t is frozen (raw: its metatable is the marker). */
static inline bool is_frozen(Ctx *c, int t) {
  if (!c->frozen || !lua_getmetatable(c->r->L, t)) return false;
  bool marked = lua_topointer(c->r->L, -1) == c->frozen;
  lua_pop(c->r->L, 1);
  return marked;
}

/* Keeps the table at t among the tables the share in use holds (until it is emptied). */
static void hold(Ctx *c, int t) {
  lua_State *L = c->r->L;
  if (lua_getiuservalue(L, c->share_at, 1) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_createtable(L, 0,
                    32); /* (a consent's share holds some 20: grown from none, rehashed 5 times) */
    lua_pushvalue(L, -1);
    lua_setiuservalue(L, c->share_at, 1);
  }
  lua_pushvalue(L, t);
  lua_pushboolean(L, 1);
  lua_rawset(L, -3);
  lua_pop(L, 1);
}

static void read_block_plain(Ctx *c, int t, const char *where, ViewPlace place, ViewBlock *b);
static void read_cell_fields(Ctx *c, int t, const char *where, ViewCell *cell);
static void read_row(Ctx *c, int row, const char *here, ViewRow *vr);

/* Reads the frozen table at t as `as` into out (size bytes) from its entry, or into its entry
 * the first time (a read inside one reads nothing from a share: its pieces are the entry's
 * alone). false when it cannot (the stack does not grow): the caller reads it as any other. */
static bool read_frozen(Ctx *c, int t, const char *where, FrozenAs as, void *out, size_t size) {
  lua_State *L = c->r->L;
  if (!lua_checkstack(L, 6)) return false;
  int top = lua_gettop(L);
  lua_rawgeti(L, c->names, ENTRIES_SLOT);
  int entries = top + 1;
  lua_pushvalue(L, t);
  Frozen *e;
  if (lua_rawget(L, entries) == LUA_TUSERDATA) {
    e = lua_touserdata(L, -1);
  } else {
    lua_pop(L, 1);
    e = lua_newuserdatauv(L, sizeof *e, 0);
    memset(e, 0, sizeof *e);
    luaL_setmetatable(L, FROZEN_META);
    lua_pushvalue(L, t);
    lua_pushvalue(L, -2);
    lua_rawset(L, entries);
  }
  unsigned bit = 1u << as;
  if (e->has & bit) {
    memcpy(out, &e->model[as], size);
  } else {
    Piece **heap = c->heap;
    c->heap = &e->pieces;
    if (as == FZ_CELL)
      read_cell_fields(c, t, where, out);
    else if (as == FZ_ROW)
      read_row(c, t, where, out);
    else
      read_block_plain(c, t, where, as == FZ_BLOCK_TOP ? VIEW_TOP : VIEW_IN_CELL, out);
    c->heap = heap;
    if (c->status == VIEW_OK) {
      memcpy(&e->model[as], out, size);
      e->has |= bit;
    }
  }
  /* (inside an entry or a share's read, the table read holds t) */
  if (c->status == VIEW_OK && c->share && !c->heap && !c->held) hold(c, t);
  lua_settop(L, top);
  return true;
}

/* ---- the value of a field, pushed on the stack (its type given), checked and converted ---- */

static double number_value(Ctx *c, int idx, int type, const char *where, const char *key,
                           double def, double min, double max, bool *given) {
  lua_State *L = c->r->L;
  double v = def;
  if (given) *given = false;
  if (type != LUA_TNIL) {
    int ok;
    double x = lua_tonumberx(L, idx, &ok); /* a number, or a string that reads as one */
    if (!ok) {
      bad(c, "%s.%s: ожидалось число, а не %s", where, key, type_name(L, idx));
    } else {
      /* (out of range, NaN too: the default is returned, so that a caller's conversion to an
       * integer type never meets a value it cannot hold; the read has failed anyway) */
      if (!(x >= min && x <= max))
        bad(c, "%s.%s = %g: допустимо от %g до %g", where, key, x, min, max);
      else {
        v = x;
        if (given) *given = true;
      }
    }
  }
  return v;
}

static bool boolean_value(Ctx *c, int idx, int type, const char *where, const char *key, bool def,
                          bool *given) {
  lua_State *L = c->r->L;
  bool v = def;
  if (given) *given = false;
  if (type == LUA_TBOOLEAN) {
    v = lua_toboolean(L, idx);
    if (given) *given = true;
  } else if (type != LUA_TNIL) {
    bad(c, "%s.%s: ожидалось true или false, а не %s", where, key, type_name(L, idx));
  }
  return v;
}

/* A string (or number) copied into the arena, or NULL when absent. */
static const char *string_value(Ctx *c, int idx, int type, const char *where, const char *key,
                                size_t *len) {
  lua_State *L = c->r->L;
  const char *v = NULL;
  if (type == LUA_TSTRING || type == LUA_TNUMBER) {
    size_t n;
    const char *s = lua_tolstring(L, idx, &n); /* a number is converted on the stack only */
    char *copy = copy_text(c, s, n);
    if (!copy) no_memory(c);
    v = copy;
    if (len) *len = n;
  } else if (type != LUA_TNIL) {
    bad(c, "%s.%s: ожидалась строка, а не %s", where, key, type_name(L, idx));
  }
  return v;
}

/* (the value is compared where it lies, not copied into the arena as string() would) */
static int choose_value(Ctx *c, int idx, int type, const char *where, const char *key,
                        const char *const *names, const int *values, int def) {
  lua_State *L = c->r->L;
  int chosen = def;
  if (type == LUA_TSTRING || type == LUA_TNUMBER) {
    const char *v = lua_tostring(L, idx); /* a number is converted on the stack only */
    int i = 0;
    while (names[i] && strcmp(v, names[i]) != 0) i++;
    if (names[i])
      chosen = values[i];
    else
      bad(c, "%s.%s = \"%.60s\": такого значения нет", where, key, v);
  } else if (type != LUA_TNIL) {
    bad(c, "%s.%s: ожидалась строка, а не %s", where, key, type_name(L, idx));
  }
  return chosen;
}

/* t[key] of the table at t (get) as a number, a string: the single fields of a writer's frame
 * (view_number, view_string). */
static double number(Ctx *c, int t, const char *where, const char *key, double def, double min,
                     double max, bool *given) {
  double v = number_value(c, -1, get(c, t, key), where, key, def, min, max, given);
  lua_pop(c->r->L, 1);
  return v;
}

static const char *string(Ctx *c, int t, const char *where, const char *key, size_t *len) {
  const char *v = string_value(c, -1, get(c, t, key), where, key, len);
  lua_pop(c->r->L, 1);
  return v;
}

/* ---- the fields of a block, a cell, a row: gathered by one walk of the table ----
 *
 * A block's reader asks for a dozen fields of which a few are given (a paragraph: its type,
 * runs and alignment of twelve); a raw get of each was 2.4 million lookups of a region-20
 * build, 3.7 % of its instructions. One lua_next walk finds those given, each known by its
 * name, and leaves their values on the stack; a field not given costs a bit test. The
 * readers check the fields in their own order, as before, so a table with several faults is
 * told by the same message whatever order the walk meets them in. */
typedef enum {
  F_TYPE,
  F_KEEP_WITH_PREVIOUS,
  F_RUNS,
  F_TEXT,
  F_BOLD,
  F_ITALIC,
  F_HYPHENATE,
  F_ALIGN,
  F_INDENT,
  F_SIZE,
  F_LINE_SPACING,
  F_SPACE_BEFORE,
  F_SPACE_AFTER,
  F_KEEP_WITH_NEXT,
  F_ANCHOR,
  F_ORDERED,
  F_ITEMS,
  F_LABEL,
  F_LEVEL,
  F_HEIGHT,
  F_WIDTH,
  F_BLOCKS,
  F_ORIENTATION,
  F_COLSPAN,
  F_ROWSPAN,
  F_VALIGN,
  F_CONTINUED,
  F_BORDERS,
  F_KEEP_TOGETHER,
  F_PADDING,
  F_HEADER_ROWS,
  F_COLUMNS,
  F_ROWS,
  F_WEIGHT,
  F_CELLS,
  F_COUNT
} Field;

static const char *const FIELD_NAMES[F_COUNT] = {"type",          "keep_with_previous",
                                                 "runs",          "text",
                                                 "bold",          "italic",
                                                 "hyphenate",     "align",
                                                 "indent",        "size",
                                                 "line_spacing",  "space_before",
                                                 "space_after",   "keep_with_next",
                                                 "anchor",        "ordered",
                                                 "items",         "label",
                                                 "level",         "height",
                                                 "width",         "blocks",
                                                 "orientation",   "colspan",
                                                 "rowspan",       "valign",
                                                 "continued",     "borders",
                                                 "keep_together", "padding",
                                                 "header_rows",   "columns",
                                                 "rows",          "weight",
                                                 "cells"};

typedef struct {
  uint64_t given;  /* bit f: field f is given (not nil) */
  int at[F_COUNT]; /* its value's stack index (where given) */
} Fields;

enum { NAME_LONGEST = 18, NAME_SLOTS_MASK = 127 };

/* The fields by a hash of their names' length, first and last bytes (open addressing; -1: a
 * free slot), made once: a key is told by one probe and one comparison, mostly. */
static signed char field_slots[NAME_SLOTS_MASK + 1];

static size_t name_hash(const char *k, size_t len) {
  return (len * 37 + (unsigned char)k[0] * 5 + (unsigned char)k[len - 1]) & NAME_SLOTS_MASK;
}

static void index_names(void) {
  memset(field_slots, -1, sizeof field_slots);
  for (int f = 0; f < F_COUNT; f++) {
    size_t len = strlen(FIELD_NAMES[f]);
    assert(len <= NAME_LONGEST);
    size_t i = name_hash(FIELD_NAMES[f], len);
    while (field_slots[i] >= 0) i = (i + 1) & NAME_SLOTS_MASK;
    field_slots[i] = (signed char)f;
  }
}

/* The field a key names (len > 0), or -1 (not a field of a view's table). */
static int field_of(const char *k, size_t len) {
  if (len > NAME_LONGEST) return -1;
  for (size_t i = name_hash(k, len);; i = (i + 1) & NAME_SLOTS_MASK) {
    int f = field_slots[i];
    if (f < 0) return -1;
    const char *name = FIELD_NAMES[f];
    size_t j = 0;
    while (j < len && name[j] == k[j]) j++;
    if (j == len && name[j] == '\0') return f;
  }
}

/* The field names of a state known by their strings' addresses: a short string is interned
 * (one object for each content while it lives), and these are kept alive in the state's
 * table of names, so a key is a field's name exactly when it is the field's string. A key is
 * then told by one probe of its address rather than by its bytes (field_of). */
enum { KEY_SLOTS = 128, KEYS_AT = NAME_SLOTS + F_COUNT + 1 /* in the table of names */ };
_Static_assert((int)KEYS_AT < (int)MARKER_SLOT,
               "the frozen tables' slots come after the fields' keys");
struct FieldKeys {
  const char *key[KEY_SLOTS]; /* NULL: a free slot */
  signed char field[KEY_SLOTS];
};

static size_t key_slot(const char *k) {
  uintptr_t a = (uintptr_t)k;
  return (size_t)((a >> 3) ^ (a >> 10)) & (KEY_SLOTS - 1);
}

/* The state's FieldKeys (made on first use, beside the names in their table); NULL when out of
 * memory (gather then reads keys by their bytes). */
static FieldKeys *field_keys(Ctx *c) {
  lua_State *L = c->r->L;
  if (lua_rawgeti(L, c->names, KEYS_AT) == LUA_TUSERDATA) {
    FieldKeys *keys = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return keys;
  }
  lua_pop(L, 1);
  if (!lua_checkstack(L, 4)) return NULL;
  FieldKeys *keys = lua_newuserdatauv(L, sizeof *keys, 0);
  memset(keys, 0, sizeof *keys);
  for (int f = 0; f < F_COUNT; f++) {
    lua_pushstring(L, FIELD_NAMES[f]);
    const char *k = lua_tostring(L, -1);
    lua_rawseti(L, c->names, NAME_SLOTS + 1 + f); /* (kept alive: its address stays its own) */
    size_t i = key_slot(k);
    while (keys->key[i]) i = (i + 1) & (KEY_SLOTS - 1);
    keys->key[i] = k;
    keys->field[i] = (signed char)f;
  }
  lua_rawseti(L, c->names, KEYS_AT);
  return keys;
}

/* The field a string key is the name of, or -1. */
static inline int field_at(const FieldKeys *keys, const char *k) {
  for (size_t i = key_slot(k);; i = (i + 1) & (KEY_SLOTS - 1)) {
    if (keys->key[i] == k) return keys->field[i];
    if (!keys->key[i]) return -1;
  }
}

/* Walks the table at t (an absolute index), leaving the value of each field it gives on the
 * stack (the caller sets the stack back when done with it); false when the stack cannot
 * grow. */
static bool gather(Ctx *c, int t, Fields *f) {
  static bool indexed;
  lua_State *L = c->r->L;
  if (!indexed) {
    index_names();
    indexed = true;
  }
  f->given = 0;
  if (!lua_checkstack(L, 2 * F_COUNT + 8)) {
    no_memory(c);
    return false;
  }
  if (!c->keys) c->keys = field_keys(c);
  const FieldKeys *keys = c->keys;
  int top = lua_gettop(L); /* (the stack's top before each step: kept here, not asked) */
  lua_pushnil(L);
  while (lua_next(L, t)) {
    if (lua_type(L, -2) == LUA_TSTRING) {
      size_t len;
      const char *k = lua_tolstring(L, -2, &len);
      int id = keys ? field_at(keys, k) : len ? field_of(k, len) : -1;
      if (id >= 0) {
        /* (the value stays where it is, a copy of the key goes on top for the next step) */
        f->given |= (uint64_t)1 << id;
        f->at[id] = top + 2;
        lua_pushvalue(L, -2);
        top += 2; /* (the key and its value stay below the copy) */
        continue;
      }
    }
    lua_pop(L, 1);
  }
  return true;
}

static inline bool given(const Fields *f, Field id) {
  return (f->given >> id) & 1;
}

/* Pushes the value of field id (nil when not given); its type. */
static int fetch(Ctx *c, const Fields *f, Field id) {
  lua_State *L = c->r->L;
  if (!given(f, id)) {
    lua_pushnil(L);
    return LUA_TNIL;
  }
  lua_pushvalue(L, f->at[id]);
  return lua_type(L, -1);
}

/* The readers of a field of gathered fields: the value when given, else the default. (A field
 * not given, the usual case, is told where it is asked: these wrappers are inlined.) */
static double fnumber_given(Ctx *c, const Fields *f, Field id, const char *where, double def,
                            double min, double max, bool *was_given) {
  /* (read where gather left it: lua_tonumberx does not convert the value in place) */
  int at = f->at[id];
  return number_value(c, at, lua_type(c->r->L, at), where, FIELD_NAMES[id], def, min, max,
                      was_given);
}

static inline double fnumber(Ctx *c, const Fields *f, Field id, const char *where, double def,
                             double min, double max, bool *was_given) {
  if (given(f, id)) return fnumber_given(c, f, id, where, def, min, max, was_given);
  if (was_given) *was_given = false;
  return def;
}

static bool fboolean_given(Ctx *c, const Fields *f, Field id, const char *where, bool def,
                           bool *was_given) {
  int at = f->at[id];
  return boolean_value(c, at, lua_type(c->r->L, at), where, FIELD_NAMES[id], def, was_given);
}

static inline bool fboolean(Ctx *c, const Fields *f, Field id, const char *where, bool def,
                            bool *was_given) {
  if (given(f, id)) return fboolean_given(c, f, id, where, def, was_given);
  if (was_given) *was_given = false;
  return def;
}

static const char *fstring_given(Ctx *c, const Fields *f, Field id, const char *where,
                                 size_t *len) {
  /* (a string is read where gather left it; anything else on a copy, as lua_tolstring
   * converts a number in place and the field may be read again) */
  lua_State *L = c->r->L;
  int at = f->at[id];
  if (lua_type(L, at) == LUA_TSTRING)
    return string_value(c, at, LUA_TSTRING, where, FIELD_NAMES[id], len);
  const char *v = string_value(c, -1, fetch(c, f, id), where, FIELD_NAMES[id], len);
  lua_pop(L, 1);
  return v;
}

static inline const char *fstring(Ctx *c, const Fields *f, Field id, const char *where,
                                  size_t *len) {
  return given(f, id) ? fstring_given(c, f, id, where, len) : NULL;
}

static int fchoose_given(Ctx *c, const Fields *f, Field id, const char *where,
                         const char *const *names, const int *values, int def) {
  lua_State *L = c->r->L;
  int at = f->at[id];
  if (lua_type(L, at) == LUA_TSTRING) /* (as fstring_given) */
    return choose_value(c, at, LUA_TSTRING, where, FIELD_NAMES[id], names, values, def);
  int v = choose_value(c, -1, fetch(c, f, id), where, FIELD_NAMES[id], names, values, def);
  lua_pop(L, 1);
  return v;
}

static inline int fchoose(Ctx *c, const Fields *f, Field id, const char *where,
                          const char *const *names, const int *values, int def) {
  return given(f, id) ? fchoose_given(c, f, id, where, names, values, def) : def;
}

static const char *const ALIGN_NAMES[] = {"left", "center", "right", "justify", "both", NULL};
static const int ALIGN_VALUES[] = {VIEW_ALIGN_LEFT, VIEW_ALIGN_CENTER, VIEW_ALIGN_RIGHT,
                                   VIEW_ALIGN_JUSTIFY, VIEW_ALIGN_JUSTIFY};
static const char *const VALIGN_NAMES[] = {"top", "middle", "center", "bottom", NULL};
static const int VALIGN_VALUES[] = {VIEW_VALIGN_TOP, VIEW_VALIGN_MIDDLE, VIEW_VALIGN_MIDDLE,
                                    VIEW_VALIGN_BOTTOM};

static ViewAlign align_of(Ctx *c, const Fields *f, const char *where) {
  return (ViewAlign)fchoose(c, f, F_ALIGN, where, ALIGN_NAMES, ALIGN_VALUES, VIEW_ALIGN_NONE);
}

/* The length of a list, raw; lists longer than max are refused. */
static size_t list_len(Ctx *c, int t, const char *where, size_t max) {
  size_t n = (size_t)lua_rawlen(c->r->L, t);
  if (n > max) {
    bad(c, "%s: в списке %zu элементов, а допустимо не больше %zu", where, n, max);
    return 0;
  }
  return n;
}

/* runs = { {text=, bold=, italic=, hyphenate=}, ... } or a string (one plain run). */
static void read_runs(Ctx *c, const Fields *fields, const char *where, ViewRun **runs,
                      size_t *nruns) {
  lua_State *L = c->r->L;
  *runs = NULL;
  *nruns = 0;
  int type = fetch(c, fields, F_RUNS);
  int list = lua_gettop(L);
  if (type == LUA_TSTRING || type == LUA_TNUMBER) {
    ViewRun *run = alloc(c, 1, sizeof *run);
    size_t n;
    const char *s = lua_tolstring(L, list, &n);
    if (run && (run->text = copy_text(c, s, n)) == NULL) no_memory(c);
    if (c->status == VIEW_OK) {
      run->len = n;
      *runs = run;
      *nruns = 1;
    }
  } else if (type == LUA_TTABLE) {
    char here[WHERE_SIZE];
    at_key(c, here, sizeof here, where, "runs");
    size_t n = list_len(c, list, here, 1000000);
    ViewRun *out = c->status == VIEW_OK ? alloc(c, n, sizeof *out) : NULL;
    for (size_t i = 0; out && i < n && c->status == VIEW_OK; i++) {
      at_index(c, here, sizeof here, where, "runs", i + 1);
      int item_type = lua_rawgeti(L, list, (lua_Integer)i + 1);
      int item = lua_gettop(L);
      if (item_type == LUA_TSTRING) {
        size_t len;
        const char *s = lua_tolstring(L, item, &len);
        out[i].text = copy_text(c, s, len);
        out[i].len = len;
        if (!out[i].text) no_memory(c);
      } else if (item_type == LUA_TTABLE) {
        Fields f;
        if (gather(c, item, &f)) {
          out[i].text = fstring(c, &f, F_TEXT, here, &out[i].len);
          if (!out[i].text) out[i].text = "";
          out[i].bold = fboolean(c, &f, F_BOLD, here, false, NULL);
          out[i].italic = fboolean(c, &f, F_ITALIC, here, false, NULL);
          out[i].no_hyphens = !fboolean(c, &f, F_HYPHENATE, here, true, NULL);
        }
      } else {
        bad(c, "%s: ожидалась таблица {text = …}, а не %s", here, type_name(L, item));
      }
      lua_settop(L, item - 1);
    }
    if (c->status == VIEW_OK) {
      *runs = out;
      *nruns = n;
    }
  } else { /* absent too: most likely a misspelt field (text = … instead of runs) */
    bad(c, "%s.runs: ожидался список фрагментов текста, а не %s", where, type_name(L, list));
  }
  lua_pop(L, 1);
}

static void read_para(Ctx *c, const Fields *f, const char *where, ViewPara *p) {
  read_runs(c, f, where, &p->runs, &p->nruns);
  p->align = align_of(c, f, where);
  p->indent_mm = fnumber(c, f, F_INDENT, where, 0, -100, 100, &p->has_indent);
  p->size_pt = fnumber(c, f, F_SIZE, where, 0, 4, 72, &p->has_size);
  p->line_spacing = fnumber(c, f, F_LINE_SPACING, where, 1.0, 0.5, 5, &p->has_line_spacing);
  p->space_before_pt = fnumber(c, f, F_SPACE_BEFORE, where, 0, 0, 500, &p->has_space_before);
  p->space_after_pt = fnumber(c, f, F_SPACE_AFTER, where, 0, 0, 500, &p->has_space_after);
  p->keep_with_next = fboolean(c, f, F_KEEP_WITH_NEXT, where, false, NULL);
  p->hyphenate = fboolean(c, f, F_HYPHENATE, where, true, &p->has_hyphenate);
  p->anchor = fstring(c, f, F_ANCHOR, where, NULL);
}

static void read_list(Ctx *c, const Fields *f, const char *where, ViewList *l) {
  lua_State *L = c->r->L;
  l->ordered = fboolean(c, f, F_ORDERED, where, false, NULL);
  l->align = align_of(c, f, where);
  int type = fetch(c, f, F_ITEMS);
  int items = lua_gettop(L);
  if (type == LUA_TTABLE) {
    char here[WHERE_SIZE];
    at_key(c, here, sizeof here, where, "items");
    size_t n = list_len(c, items, here, 1000000);
    l->items = c->status == VIEW_OK ? alloc(c, n, sizeof *l->items) : NULL;
    for (size_t i = 0; l->items && i < n && c->status == VIEW_OK; i++) {
      at_index(c, here, sizeof here, where, "items", i + 1);
      if (lua_rawgeti(L, items, (lua_Integer)i + 1) != LUA_TTABLE) {
        bad(c, "%s: ожидалась таблица {label = …, runs = …}, а не %s", here, type_name(L, -1));
      } else {
        int item = lua_gettop(L);
        ViewItem *it = &l->items[i];
        Fields itf;
        if (gather(c, item, &itf)) {
          it->label = fstring(c, &itf, F_LABEL, here, NULL);
          it->level = (int)fnumber(c, &itf, F_LEVEL, here, 1, 1, 9, NULL);
          read_runs(c, &itf, here, &it->runs, &it->nruns);
        }
      }
      lua_settop(L, items);
    }
    if (c->status == VIEW_OK) l->nitems = n;
  } else if (type != LUA_TNIL) {
    bad(c, "%s.items: ожидался список пунктов, а не %s", where, type_name(L, items));
  }
  lua_pop(L, 1);
}

static void read_blocks_at(Ctx *c, int t, const char *where, ViewPlace place, ViewBlocks *out);

/* A cell given as a string or number: one paragraph of one run. */
static void text_cell(Ctx *c, int idx, ViewBlocks *out) {
  size_t n;
  const char *s = lua_tolstring(c->r->L, idx, &n);
  ViewBlock *b = alloc(c, 1, sizeof *b);
  ViewRun *run = b ? alloc(c, 1, sizeof *run) : NULL;
  if (!run) return;
  run->text = copy_text(c, s, n);
  if (!run->text) {
    no_memory(c);
    return;
  }
  run->len = n;
  b->kind = VIEW_PARA;
  b->as.para.runs = run;
  b->as.para.nruns = 1;
  b->as.para.hyphenate = true;
  out->items = b;
  out->count = 1;
}

/* Field id of a cell: a string (one paragraph) or a table whose blocks are read. */
static void read_cell_blocks(Ctx *c, const Fields *f, Field id, const char *where,
                             ViewBlocks *out) {
  lua_State *L = c->r->L;
  int type = fetch(c, f, id);
  int v = lua_gettop(L);
  char here[WHERE_SIZE];
  at_key(c, here, sizeof here, where, FIELD_NAMES[id]);
  if (type == LUA_TSTRING || type == LUA_TNUMBER) {
    text_cell(c, v, out);
  } else if (type == LUA_TTABLE) {
    if (get(c, v, "blocks") == LUA_TTABLE) {
      char blocks[WHERE_SIZE];
      at_key(c, blocks, sizeof blocks, here, "blocks");
      read_blocks_at(c, lua_gettop(L), blocks, VIEW_IN_CELL, out);
    } else if (!lua_isnil(L, -1)) {
      bad(c, "%s.blocks: ожидался список блоков, а не %s", here, type_name(L, -1));
    }
    lua_pop(L, 1);
  } else if (type != LUA_TNIL) {
    bad(c, "%s: ожидалась строка или таблица {blocks = …}, а не %s", here, type_name(L, v));
  }
  lua_pop(L, 1);
}

static void read_cell(Ctx *c, int t, const char *where, ViewCell *cell) {
  lua_State *L = c->r->L;
  cell->colspan = 1;
  cell->rowspan = 1;
  int type = lua_type(L, t);
  if (type == LUA_TSTRING || type == LUA_TNUMBER) {
    text_cell(c, t, &cell->blocks);
    return;
  }
  if (type != LUA_TTABLE) {
    bad(c, "%s: ожидалась таблица {blocks = …} или строка, а не %s", where, type_name(L, t));
    return;
  }
  if (!is_frozen(c, t) || !read_frozen(c, t, where, FZ_CELL, cell, sizeof *cell))
    read_cell_fields(c, t, where, cell);
}

/* A cell given as a table (its colspan and rowspan set to 1). */
static void read_cell_fields(Ctx *c, int t, const char *where, ViewCell *cell) {
  lua_State *L = c->r->L;
  int top = lua_gettop(L);
  Fields f;
  if (!gather(c, t, &f)) return;
  cell->colspan = (int)fnumber(c, &f, F_COLSPAN, where, 1, 1, 1000, NULL);
  cell->rowspan = (int)fnumber(c, &f, F_ROWSPAN, where, 1, 1, 100000, NULL);
  cell->align = align_of(c, &f, where);
  cell->valign =
      (ViewVAlign)fchoose(c, &f, F_VALIGN, where, VALIGN_NAMES, VALIGN_VALUES, VIEW_VALIGN_NONE);
  cell->bold = fboolean(c, &f, F_BOLD, where, false, &cell->has_bold);
  if (c->status == VIEW_OK) read_cell_blocks(c, &f, F_CONTINUED, where, &cell->continued);
  if (c->status == VIEW_OK) {
    int blocks_type = fetch(c, &f, F_BLOCKS);
    int blocks = lua_gettop(L);
    if (blocks_type == LUA_TSTRING || blocks_type == LUA_TNUMBER) {
      text_cell(c, blocks, &cell->blocks);
    } else if (blocks_type == LUA_TTABLE) {
      char here[WHERE_SIZE];
      at_key(c, here, sizeof here, where, "blocks");
      read_blocks_at(c, blocks, here, VIEW_IN_CELL, &cell->blocks);
    } else if (blocks_type != LUA_TNIL) {
      bad(c, "%s.blocks: ожидался список блоков, а не %s", where, type_name(L, blocks));
    } else {
      lua_pop(L, 1);
      int text_type = fetch(c, &f, F_TEXT); /* the shortcut for the plainest cell */
      blocks = lua_gettop(L);
      if (text_type == LUA_TSTRING || text_type == LUA_TNUMBER)
        text_cell(c, blocks, &cell->blocks);
      else if (text_type != LUA_TNIL)
        bad(c, "%s.text: ожидалась строка, а не %s", where, type_name(L, blocks));
    }
  }
  lua_settop(L, top);
}

/* A row of a table (the table at row). */
static void read_row(Ctx *c, int row, const char *here, ViewRow *vr) {
  lua_State *L = c->r->L;
  int top = lua_gettop(L);
  Fields rf;
  if (!gather(c, row, &rf)) return;
  vr->keep_together = fboolean(c, &rf, F_KEEP_TOGETHER, here, false, NULL);
  vr->keep_with_next = fboolean(c, &rf, F_KEEP_WITH_NEXT, here, false, NULL);
  int cells_type = fetch(c, &rf, F_CELLS);
  int cells = lua_gettop(L);
  if (cells_type == LUA_TTABLE) {
    char cells_where[WHERE_SIZE];
    at_key(c, cells_where, sizeof cells_where, here, "cells");
    vr->ncells = list_len(c, cells, cells_where, 1000);
    vr->cells = c->status == VIEW_OK ? alloc(c, vr->ncells, sizeof *vr->cells) : NULL;
    for (size_t k = 0; vr->cells && k < vr->ncells && c->status == VIEW_OK; k++) {
      at_index(c, cells_where, sizeof cells_where, here, "cells", k + 1);
      lua_rawgeti(L, cells, (lua_Integer)k + 1);
      read_cell(c, lua_gettop(L), cells_where, &vr->cells[k]);
      lua_pop(L, 1);
    }
  } else {
    bad(c, "%s.cells: ожидался список ячеек, а не %s", here, type_name(L, cells));
  }
  lua_settop(L, top);
}

static void read_table_at(Ctx *c, int t, const char *where, ViewTable *tab) {
  lua_State *L = c->r->L;
  char here[WHERE_SIZE];
  int top = lua_gettop(L);
  Fields f;
  if (!gather(c, t, &f)) return;
  tab->borders = fboolean(c, &f, F_BORDERS, where, true, NULL);
  tab->keep_together = fboolean(c, &f, F_KEEP_TOGETHER, where, false, NULL);
  tab->size_pt = fnumber(c, &f, F_SIZE, where, 0, 4, 72, &tab->has_size);
  tab->padding_mm = fnumber(c, &f, F_PADDING, where, 1, 0, 20, &tab->has_padding);
  tab->header_rows = (size_t)fnumber(c, &f, F_HEADER_ROWS, where, 0, 0, 20, NULL);
  if (c->status != VIEW_OK) goto done;
  if (fetch(c, &f, F_COLUMNS) != LUA_TTABLE || lua_rawlen(L, -1) == 0) {
    bad(c,
        "%s.columns: у таблицы нет столбцов (нужен список columns = { {width = мм} или "
        "{weight = доля}, … })",
        where);
    goto done;
  }
  int cols = lua_gettop(L);
  at_key(c, here, sizeof here, where, "columns");
  tab->ncolumns = (size_t)lua_rawlen(L, cols);
  if (tab->ncolumns > 100) {
    bad(c, "%s: столбцов %zu, а должно быть от 1 до 100", here, tab->ncolumns);
    tab->ncolumns = 0;
  }
  tab->columns = c->status == VIEW_OK ? alloc(c, tab->ncolumns, sizeof *tab->columns) : NULL;
  for (size_t i = 0; tab->columns && i < tab->ncolumns && c->status == VIEW_OK; i++) {
    at_index(c, here, sizeof here, where, "columns", i + 1);
    int type = lua_rawgeti(L, cols, (lua_Integer)i + 1);
    ViewColumn *col = &tab->columns[i];
    if (type == LUA_TTABLE) {
      Fields cf;
      if (gather(c, lua_gettop(L), &cf)) {
        col->width_mm = fnumber(c, &cf, F_WIDTH, here, 0, 0, 1000, NULL);
        col->weight = fnumber(c, &cf, F_WEIGHT, here, 0, 0, 1e6, NULL);
      }
    } else if (type == LUA_TNUMBER) {
      col->weight = lua_tonumber(L, -1);
      if (!(col->weight >= 0 && col->weight <= 1e6))
        bad(c, "%s = %g: допустимо от 0 до 1000000", here, col->weight);
    } else {
      bad(c, "%s: ожидалась таблица {width = мм} или {weight = доля}, а не %s", here,
          type_name(L, -1));
    }
    col->from_content = col->width_mm <= 0 && col->weight <= 0;
    if (col->from_content) col->weight = 1; /* templates: an equal share */
    lua_settop(L, cols);
  }
  lua_pop(L, 1);
  if (c->status != VIEW_OK) goto done;
  int rows_type = fetch(c, &f, F_ROWS);
  int rows = lua_gettop(L);
  if (rows_type == LUA_TTABLE) {
    at_key(c, here, sizeof here, where, "rows");
    tab->nrows = list_len(c, rows, here, 1000000);
    tab->rows = c->status == VIEW_OK ? alloc(c, tab->nrows, sizeof *tab->rows) : NULL;
    for (size_t i = 0; tab->rows && i < tab->nrows && c->status == VIEW_OK; i++) {
      at_index(c, here, sizeof here, where, "rows", i + 1);
      if (lua_rawgeti(L, rows, (lua_Integer)i + 1) != LUA_TTABLE) {
        bad(c, "%s: ожидалась таблица {cells = …}, а не %s", here, type_name(L, -1));
        lua_pop(L, 1);
        break;
      }
      int row = lua_gettop(L);
      ViewRow *vr = &tab->rows[i];
      if (!is_frozen(c, row) || !read_frozen(c, row, here, FZ_ROW, vr, sizeof *vr))
        read_row(c, row, here, vr);
      lua_settop(L, rows);
    }
  } else {
    bad(c, "%s.rows: ожидался список строк, а не %s", where, type_name(L, rows));
  }
  if (tab->header_rows > tab->nrows) tab->header_rows = tab->nrows;
done:
  lua_settop(L, top);
}

static const char *const KIND_NAMES[] = {"para",       "list", "space", "table", "box",
                                         "page_break", "page", "qr",    NULL};
static const int KIND_VALUES[] = {VIEW_PARA, VIEW_LIST,       VIEW_SPACE, VIEW_TABLE,
                                  VIEW_BOX,  VIEW_PAGE_BREAK, VIEW_PAGE,  VIEW_QR};

/* { type = "qr", text = "https://…", size = mm }: the text whole, as a code carries it. */
static void read_qr(Ctx *c, const Fields *f, const char *where, ViewQr *qr) {
  qr->size_mm = fnumber(c, f, F_SIZE, where, 20, 10, 100, NULL);
  qr->text = fstring(c, f, F_TEXT, where, &qr->len);
  if (c->status != VIEW_OK) return;
  if (!qr->text || qr->len == 0)
    bad(c, "%s.text: у QR-кода нет текста (ссылки)", where);
  else if (qr->len > VIEW_QR_MAX_TEXT)
    bad(c, "%s.text: в QR-коде %zu байт текста, а допустимо не больше %d", where, qr->len,
        VIEW_QR_MAX_TEXT);
  else if (memchr(qr->text, '\0', qr->len))
    bad(c, "%s.text: в тексте QR-кода нулевой байт", where);
}

static void read_block_fields(Ctx *c, int t, const Fields *f, const char *where, ViewPlace place,
                              ViewBlock *b) {
  lua_State *L = c->r->L;
  b->kind = (ViewBlockKind)fchoose(c, f, F_TYPE, where, KIND_NAMES, KIND_VALUES, VIEW_PARA);
  if (c->status != VIEW_OK) return;
  b->keep_with_previous = (int)fnumber(c, f, F_KEEP_WITH_PREVIOUS, where, 0, 0, 20, NULL);
  if (c->status != VIEW_OK) return;
  if (place == VIEW_IN_CELL && b->kind != VIEW_PARA && b->kind != VIEW_LIST &&
      b->kind != VIEW_SPACE) {
    bad(c, "%s: в ячейке или рамке допустимы только para, list и space, а не %s", where,
        KIND_NAMES[b->kind]);
    return;
  }
  switch (b->kind) {
    case VIEW_PARA:
      read_para(c, f, where, &b->as.para);
      break;
    case VIEW_LIST:
      read_list(c, f, where, &b->as.list);
      break;
    case VIEW_SPACE:
      b->as.space_mm = fnumber(c, f, F_HEIGHT, where, 5, 0, 1000, NULL);
      break;
    case VIEW_TABLE:
      read_kept(c, t, where, AS_TABLE, &b->as.table, sizeof b->as.table);
      break;
    case VIEW_BOX: {
      b->as.box.width_mm = fnumber(c, f, F_WIDTH, where, 80, 10, 1000, NULL);
      b->as.box.align = align_of(c, f, where);
      int type = fetch(c, f, F_BLOCKS);
      if (type == LUA_TTABLE) {
        char here[WHERE_SIZE];
        at_key(c, here, sizeof here, where, "blocks");
        read_blocks_at(c, lua_gettop(L), here, VIEW_IN_CELL, &b->as.box.blocks);
      } else if (type != LUA_TNIL) {
        bad(c, "%s.blocks: ожидался список блоков, а не %s", where, type_name(L, -1));
      }
      lua_pop(L, 1);
      break;
    }
    case VIEW_PAGE_BREAK:
      break;
    case VIEW_PAGE: {
      static const char *const ORIENT[] = {"portrait", "landscape", NULL};
      static const int ORIENT_VALUES[] = {0, 1};
      b->as.landscape = fchoose(c, f, F_ORIENTATION, where, ORIENT, ORIENT_VALUES, 0) == 1;
      break;
    }
    case VIEW_QR:
      read_qr(c, f, where, &b->as.qr);
      break;
  }
}

static void read_block_at(Ctx *c, int t, const char *where, ViewPlace place, ViewBlock *b) {
  lua_State *L = c->r->L;
  if (!lua_checkstack(L, 8)) {
    no_memory(c);
    return;
  }
  if (lua_type(L, t) != LUA_TTABLE) {
    bad(c, "%s: ожидалась таблица {type = …}, а не %s", where, type_name(L, t));
    return;
  }
  if (!is_frozen(c, t) ||
      !read_frozen(c, t, where, place == VIEW_TOP ? FZ_BLOCK_TOP : FZ_BLOCK_IN_CELL, b, sizeof *b))
    read_block_plain(c, t, where, place, b);
}

/* A block (the table at t). */
static void read_block_plain(Ctx *c, int t, const char *where, ViewPlace place, ViewBlock *b) {
  lua_State *L = c->r->L;
  int top = lua_gettop(L);
  Fields f;
  if (gather(c, t, &f)) read_block_fields(c, t, &f, where, place, b);
  lua_settop(L, top);
}

static void read_blocks_at(Ctx *c, int t, const char *where, ViewPlace place, ViewBlocks *out) {
  lua_State *L = c->r->L;
  out->items = NULL;
  out->count = 0;
  if (!lua_checkstack(L, 8)) {
    no_memory(c);
    return;
  }
  size_t n = list_len(c, t, where, 1000000);
  ViewBlock *blocks = c->status == VIEW_OK ? alloc(c, n, sizeof *blocks) : NULL;
  for (size_t i = 0; blocks && i < n && c->status == VIEW_OK; i++) {
    char here[WHERE_SIZE];
    at_index(c, here, sizeof here, where, NULL, i + 1);
    lua_rawgeti(L, t, (lua_Integer)i + 1);
    read_block_at(c, lua_gettop(L), here, place, &blocks[i]);
    lua_pop(L, 1);
  }
  if (c->status == VIEW_OK) {
    out->items = blocks;
    out->count = n;
  }
}

/* A read begins: the field names' table pushed (the caller sets the stack back). */
static ViewStatus start(ViewReader *r, Ctx *c) {
  c->r = r;
  c->status = VIEW_OK;
  c->names = 0;
  c->bytes = 0;
  c->paths = true;
  c->share = NULL;
  c->share_at = 0;
  c->keys = NULL;
  c->last_kept = NULL;
  c->heap = NULL;
  c->held = false;
  c->frozen = NULL;
  r->kept_extra = NULL;
  r->kept_arena = NULL;
  r->message[0] = '\0';
  if (!lua_checkstack(r->L, 16)) return no_memory(c);
  c->names = push_names(r->L);
  if (lua_rawgeti(r->L, c->names, MARKER_SLOT) == LUA_TTABLE)
    c->frozen = lua_topointer(r->L, -1); /* (the registry keeps it: its address is its own) */
  lua_pop(r->L, 1);
  return VIEW_OK;
}

/* ---- reads shared by the writers of one document (view_share_new) ---- */

typedef struct Kept {
  const void *table; /* lua_topointer of the value; NULL: a free slot */
  unsigned round;    /* the share's round it was kept in: of an earlier one, a free slot */
  ReadAs as;
  union {
    ViewTable table;
    ViewBlocks blocks;
  } model;
  void *extra; /* what a writer made of the model (ViewReader.kept_extra), or NULL */
} Kept;

/* The most a share keeps, and the largest value it keeps (cells of a table, blocks of a
 * list): a larger one is read into the caller's arena as without a share and dies with it, so
 * that a region's monitoring tables (2,000 rows each) are not held through the document. */
enum { SHARE_MAX_BYTES = 8 << 20, SHARE_MAX_ITEMS = 4000 };

struct ViewShare {
  Arena arena;       /* every kept model */
  ArenaMark emptied; /* the arena's first chunk, kept from one document to the next */
  size_t bytes;      /* taken of it */
  Kept *slots;       /* open addressing by table address; a power of two */
  size_t nslots, count;
  unsigned round;     /* counts the documents (share_empty): the slots of an earlier one are free */
  size_t first_slots; /* its first table of slots: a trial's own keeps a form's few tables */
};

/* registry keys (their addresses): the state's share, and the share in use (view_share_use) */
static const char SHARE_KEY = 's';
static const char SHARE_IN_USE = 'u';
#define SHARE_META "view.share"

static size_t slot_of(const ViewShare *share, const void *table, ReadAs as) {
  size_t h = ((uintptr_t)table >> 4) * 2654435761u + (size_t)as;
  return h & (share->nslots - 1);
}

static Kept *share_find(ViewShare *share, const void *table, ReadAs as) {
  if (share->count == 0) return NULL;
  for (size_t i = slot_of(share, table, as);; i = (i + 1) & (share->nslots - 1)) {
    Kept *k = &share->slots[i];
    if (!k->table || k->round != share->round) return NULL;
    if (k->table == table && k->as == as) return k;
  }
}

/* A slot for a new read (the table grows at half full); NULL when out of memory. */
static Kept *share_slot(ViewShare *share, const void *table, ReadAs as) {
  if (2 * (share->count + 1) > share->nslots) {
    size_t n = share->nslots ? 2 * share->nslots : share->first_slots;
    Kept *old = share->slots;
    size_t old_n = share->nslots;
    share->slots = memory_calloc(n, sizeof *share->slots);
    if (!share->slots) {
      share->slots = old;
      return NULL;
    }
    share->nslots = n;
    for (size_t i = 0; i < old_n; i++) {
      if (!old[i].table || old[i].round != share->round) continue;
      size_t j = slot_of(share, old[i].table, old[i].as);
      while (share->slots[j].table) j = (j + 1) & (n - 1);
      share->slots[j] = old[i];
    }
    memory_free(old);
  }
  size_t i = slot_of(share, table, as);
  while (share->slots[i].table && share->slots[i].round == share->round)
    i = (i + 1) & (share->nslots - 1);
  share->count++;
  share->slots[i].table = table;
  share->slots[i].round = share->round;
  share->slots[i].as = as;
  share->slots[i].extra = NULL;
  return &share->slots[i];
}

/* Forgets what the share at idx keeps: its models (the arena back to its first chunk) and the
 * tables read (a new table of them: the old one is the collector's). */
static void share_empty(lua_State *L, int idx) {
  ViewShare *share = lua_touserdata(L, idx);
  arena_release(&share->arena, share->emptied);
  share->bytes = 0;
  /* (a new round frees every slot: the table of slots, grown to the largest document's
   * thousands, was cleared for each document) */
  if (share->count && ++share->round == 0 && share->slots)
    memset(share->slots, 0, share->nslots * sizeof *share->slots);
  share->count = 0;
  lua_pushnil(L);
  lua_setiuservalue(L, idx, 1);
}

static int share_close(lua_State *L) {
  share_empty(L, 1);
  return 0;
}

static int share_gc(lua_State *L) {
  ViewShare *share = lua_touserdata(L, 1);
  arena_free(&share->arena);
  memory_free(share->slots);
  share->slots = NULL;
  share->nslots = share->count = 0;
  return 0;
}

/* A new share, empty, pushed (its models in an arena of its own; the tables it keeps in a
 * table at its uservalue). */
static ViewShare *push_share(lua_State *L) {
  ViewShare *share = lua_newuserdatauv(L, sizeof *share, 1);
  memset(share, 0, sizeof *share);
  arena_init(&share->arena);
  share->emptied = arena_mark(&share->arena);
  share->first_slots = 64;
  if (luaL_newmetatable(L, SHARE_META)) {
    lua_pushcfunction(L, share_close);
    lua_setfield(L, -2, "__close");
    lua_pushcfunction(L, share_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  return share;
}

/* One share a state, emptied for each document: a userdata with a finalizer made for every
 * document cost 11 M instructions of a region-5 build (Lua's collector calls finalizers
 * apart), half of what sharing saves. */
void view_share_new(lua_State *L) {
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &SHARE_KEY) != LUA_TUSERDATA) {
    lua_pop(L, 1);
    ViewShare *share = push_share(L);
    arena_alloc(&share->arena, 1); /* (its first chunk; none when out of memory: then each
                                       document gets and frees one) */
    share->emptied = arena_mark(&share->arena);
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &SHARE_KEY);
  }
  share_empty(L, lua_gettop(L));
}

void view_share_new_own(lua_State *L) {
  push_share(L)->first_slots = 8;
}

bool view_share_use(lua_State *L, int idx) {
  idx = idx ? lua_absindex(L, idx) : 0;
  lua_rawgetp(L, LUA_REGISTRYINDEX, &SHARE_KEY);
  bool share = idx && lua_type(L, -1) == LUA_TUSERDATA && lua_rawequal(L, idx, -1);
  lua_pop(L, 1);
  if (share)
    lua_pushvalue(L, idx);
  else
    lua_pushnil(L);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &SHARE_IN_USE);
  return share || idx == 0;
}

void view_share_use_own(lua_State *L, int idx) {
  if (idx && !luaL_testudata(L, idx, SHARE_META)) idx = 0;
  if (idx)
    lua_pushvalue(L, idx);
  else
    lua_pushnil(L);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &SHARE_IN_USE);
}

bool view_share_give(lua_State *L, int own) {
  own = lua_absindex(L, own);
  ViewShare *from = luaL_testudata(L, own, SHARE_META);
  if (!from || lua_rawgetp(L, LUA_REGISTRYINDEX, &SHARE_IN_USE) != LUA_TUSERDATA ||
      lua_rawequal(L, own, -1)) {
    lua_pop(L, 1);
    return false;
  }
  int at = lua_gettop(L);
  ViewShare *to = lua_touserdata(L, at);
  /* (the share holds the own one, and with it its models and the tables they were read from,
   * until it is emptied: their addresses stay theirs while it can hand them out) */
  if (lua_getiuservalue(L, at, 1) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_setiuservalue(L, at, 1);
  }
  lua_pushvalue(L, own);
  lua_pushboolean(L, 1);
  lua_rawset(L, -3);
  lua_settop(L, at - 1);
  for (size_t i = 0; i < from->nslots; i++) {
    const Kept *k = &from->slots[i];
    if (!k->table || k->round != from->round || share_find(to, k->table, k->as)) continue;
    Kept *slot = share_slot(to, k->table, k->as);
    if (!slot) break; /* (out of memory: the rest is read again) */
    slot->model = k->model;
  }
  to->bytes += from->bytes;
  return true;
}

/* The items a value would make, counted without reading it: rows times columns of a table,
 * the blocks of a list. */
static size_t items_of(lua_State *L, int t, ReadAs as) {
  if (as != AS_TABLE) return (size_t)lua_rawlen(L, t);
  size_t n = 0;
  if (get_named(L, t, "rows") == LUA_TTABLE) {
    n = (size_t)lua_rawlen(L, -1);
    lua_pop(L, 1);
    if (get_named(L, t, "columns") == LUA_TTABLE) n *= (size_t)lua_rawlen(L, -1) + 1;
  }
  lua_pop(L, 1);
  return n;
}

static void read_once(Ctx *c, int t, const char *where, ReadAs as, void *out) {
  if (as == AS_TABLE)
    read_table_at(c, t, where, out);
  else
    read_blocks_at(c, t, where, as == AS_BLOCKS_TOP ? VIEW_TOP : VIEW_IN_CELL, out);
}

/* Pushes the share in use, if any, for the reads of c (the caller sets the stack back). */
static void share_begin(Ctx *c) {
  lua_State *L = c->r->L;
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &SHARE_IN_USE) == LUA_TUSERDATA) {
    c->share = lua_touserdata(L, -1);
    c->share_at = lua_gettop(L);
  } else {
    lua_pop(L, 1);
  }
}

/* Reads the value at t (a table) as `as` into out: from the share in use when it read this
 * table before, else read and, when small enough, kept there (its model then lives in the
 * share's arena, not the caller's). A read that fails is not kept: the next writer meets the
 * same fault and says it with its own `where`. A document's blocks (AS_BLOCKS_TOP: the
 * PDF's, a list made for each layout) are not kept, the tables among them are: the same
 * values the templates read. */
static void read_kept(Ctx *c, int t, const char *where, ReadAs as, void *out, size_t size) {
  lua_State *L = c->r->L;
  /* (none inside a frozen table's read: its models are kept beyond the document) */
  ViewShare *share = as == AS_BLOCKS_TOP || c->heap ? NULL : c->share;
  const void *table = share ? lua_topointer(L, t) : NULL;
  Kept *kept = share ? share_find(share, table, as) : NULL;
  c->last_kept = NULL;
  if (kept) {
    memcpy(out, &kept->model, size);
    c->last_kept = kept;
    return;
  }
  if (!share || share->bytes >= SHARE_MAX_BYTES || items_of(L, t, as) > SHARE_MAX_ITEMS) {
    read_once(c, t, where, as, out);
    c->last_kept = NULL;
    return;
  }
  Arena *own = c->r->arena;
  size_t before = c->bytes;
  bool held = c->held;
  c->r->arena = &share->arena;
  c->held = true;
  read_once(c, t, where, as, out);
  c->held = held;
  c->r->arena = own;
  share->bytes += c->bytes - before;
  c->last_kept = NULL; /* (a read inside ended last) */
  if (c->status != VIEW_OK) return;
  hold(c, t); /* (kept or not: its model lives in the share's arena, as may frozen tables') */
  if ((kept = share_slot(share, table, as)) == NULL) return;
  memcpy(&kept->model, out, size);
  c->last_kept = kept;
}

/* Reads the value at t as `as` (read_kept) without making the fields' full names, which only
 * a message needs (making them for every field was 24 M instructions of a region-5 build); a
 * read that fails is read again with them, to the same first fault (nothing changes the
 * tables between), for its message. */
static void read_as(Ctx *c, int t, const char *where, ReadAs as, void *out, size_t size) {
  share_begin(c);
  c->paths = false;
  read_kept(c, t, where, as, out, size);
  c->paths = true;
  if (c->status == VIEW_BAD) {
    c->status = VIEW_OK;
    read_kept(c, t, where, as, out, size);
  }
}

ViewStatus view_read_blocks(ViewReader *reader, int idx, const char *where, ViewPlace place,
                            ViewBlocks *out) {
  Ctx c;
  memset(out, 0, sizeof *out);
  int top = lua_gettop(reader->L);
  idx = lua_absindex(reader->L, idx); /* (before start pushes) */
  if (start(reader, &c) != VIEW_OK) return c.status;
  if (lua_type(reader->L, idx) != LUA_TTABLE)
    bad(&c, "%s: ожидался список блоков, а не %s", where, type_name(reader->L, idx));
  else
    read_as(&c, idx, where, place == VIEW_TOP ? AS_BLOCKS_TOP : AS_BLOCKS_IN_CELL, out,
            sizeof *out);
  lua_settop(reader->L, top);
  return c.status;
}

ViewStatus view_read_block(ViewReader *reader, int idx, const char *where, ViewPlace place,
                           ViewBlock *out) {
  Ctx c;
  memset(out, 0, sizeof *out);
  int top = lua_gettop(reader->L);
  idx = lua_absindex(reader->L, idx); /* (before start pushes) */
  if (start(reader, &c) != VIEW_OK) return c.status;
  read_block_at(&c, idx, where, place, out);
  lua_settop(reader->L, top);
  return c.status;
}

ViewStatus view_read_table(ViewReader *reader, int idx, const char *where, ViewTable *out) {
  Ctx c;
  memset(out, 0, sizeof *out);
  int top = lua_gettop(reader->L);
  idx = lua_absindex(reader->L, idx); /* (before start pushes) */
  if (start(reader, &c) != VIEW_OK) return c.status;
  if (lua_type(reader->L, idx) != LUA_TTABLE)
    bad(&c, "%s: ожидалась таблица, а не %s", where, type_name(reader->L, idx));
  else
    read_as(&c, idx, where, AS_TABLE, out, sizeof *out);
  if (c.status == VIEW_OK && c.last_kept) {
    reader->kept_extra = &c.last_kept->extra;
    reader->kept_arena = &c.share->arena;
  }
  lua_settop(reader->L, top);
  return c.status;
}

/* The "type" field of the table at idx, raw; NULL when absent or not a string. */
static const char *type_field(lua_State *L, int idx, char *buf, size_t size) {
  const char *s = NULL;
  if (get_named(L, idx, "type") == LUA_TSTRING) {
    snprintf(buf, size, "%s", lua_tostring(L, -1));
    s = buf;
  }
  lua_pop(L, 1);
  return s;
}

int view_kind_of(lua_State *L, int idx) {
  if (lua_type(L, idx) != LUA_TTABLE || !lua_checkstack(L, 4)) return -1;
  idx = lua_absindex(L, idx);
  char buf[16];
  const char *type = type_field(L, idx, buf, sizeof buf);
  if (type && strcmp(type, "table") == 0) return VIEW_TABLE;
  if (type && strcmp(type, "qr") == 0) return VIEW_QR;
  if (lua_rawlen(L, idx) == 0) return -1;
  int kind = -1;
  if (lua_rawgeti(L, idx, 1) == LUA_TTABLE) {
    type = type_field(L, lua_gettop(L), buf, sizeof buf);
    if (type &&
        (strcmp(type, "para") == 0 || strcmp(type, "list") == 0 || strcmp(type, "space") == 0))
      kind = VIEW_PARA;
  }
  lua_pop(L, 1);
  return kind;
}

/* ---- single fields (the frame a writer reads around the blocks) ---- */

ViewStatus view_number(ViewReader *reader, int idx, const char *where, const char *key, double def,
                       double min, double max, double *out) {
  Ctx c;
  int top = lua_gettop(reader->L);
  idx = lua_absindex(reader->L, idx);
  if (start(reader, &c) != VIEW_OK) return c.status;
  *out = number(&c, idx, where, key, def, min, max, NULL);
  lua_settop(reader->L, top);
  return c.status;
}

ViewStatus view_string(ViewReader *reader, int idx, const char *where, const char *key,
                       const char **out) {
  Ctx c;
  int top = lua_gettop(reader->L);
  idx = lua_absindex(reader->L, idx);
  if (start(reader, &c) != VIEW_OK) return c.status;
  *out = string(&c, idx, where, key, NULL);
  lua_settop(reader->L, top);
  return c.status;
}

ViewStatus view_choice(ViewReader *reader, int idx, const char *where, const char *key,
                       const char *const *names, int def, int *out) {
  Ctx c;
  int top = lua_gettop(reader->L);
  idx = lua_absindex(reader->L, idx);
  if (start(reader, &c) != VIEW_OK) return c.status;
  *out = def;
  const char *v = string(&c, idx, where, key, NULL);
  lua_settop(reader->L, top);
  if (!v) return c.status;
  for (int i = 0; names[i]; i++) {
    if (strcmp(v, names[i]) == 0) {
      *out = i;
      return c.status;
    }
  }
  return bad(&c, "%s.%s = \"%.60s\": такого значения нет", where, key, v);
}

ViewStatus view_push_table(ViewReader *reader, int idx, const char *where, const char *key,
                           bool *present) {
  Ctx c;
  *present = false;
  lua_State *L = reader->L;
  int top = lua_gettop(L);
  idx = lua_absindex(L, idx);
  if (start(reader, &c) != VIEW_OK) return c.status;
  int type = get(&c, idx, key);
  lua_remove(L, c.names); /* the table, if any, left where the caller looks for it */
  if (type == LUA_TTABLE) {
    *present = true;
    return c.status;
  }
  if (type != LUA_TNIL) bad(&c, "%s.%s: ожидалась таблица, а не %s", where, key, type_name(L, -1));
  lua_settop(L, top);
  return c.status;
}
