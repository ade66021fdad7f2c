/*
 * pdf_lua: see pdf_lua.h. This file reads the Lua table into the layout model
 * (layout/model.h), checking every field on the way; layout and PDF bytes are elsewhere.
 *
 * doc = {
 *   page = { size = "A4", orientation = "portrait"|"landscape",
 *            margins = { left = 30, right = 10, top = 20, bottom = 20 },  -- mm (GOST R 7.0.97)
 *            number_from = 2 },           -- page numbers from this page on; 0/nil: none
 *   font = { regular =, bold =, italic =, bold_italic = (paths), size = 14 },
 *   info = { title =, author =, subject =, keywords =, creator =, language = "ru",
 *            date = "YYYY-MM-DD" },       -- no date: none written (output stays reproducible)
 *   fit = "one_page",                    -- shrink spacing, then the font by up to 1 pt, to stay on
 * one page protect = { "сентябр", ... },        -- stems of words never hyphenated (months,
 * organisations' names) blocks = { block, ... },
 * }
 * block:
 *   { type = "para", runs = { {text=, bold=, italic=, hyphenate = false (a name, a date)}, ... }
 *     (or a string),
 *     align = "left"|"center"|"right"|"justify", indent = mm (first line), size = pt,
 *     line_spacing = 1.0, space_before = pt, space_after = pt, keep_with_next = bool,
 *     hyphenate = true (false for headings; centred paragraphs are never hyphenated),
 *     anchor = "name" (its page number comes back in render's third result) }
 *   any block: keep_with_previous = N — the last N lines of text before it stand on its page
 *     (a signature block); the block itself then never breaks
 *   { type = "list", ordered =, items = { {label = "•"|"1.1.", level = 1, runs = {...}} },
 *     align = }                   -- richtext.lua's AST; 5 mm a level (3 mm in cells)
 *   { type = "table", columns = { {width = mm} | {weight = n} | {} (from the content), ... },
 *     header_rows = 0, borders = true, size = pt (default: font.size), padding = mm (1),
 *     keep_together = bool,
 *     rows = { { cells = { cell, ... }, keep_together = bool, keep_with_next = bool }, ... } }
 *       cell = { blocks = { para|list|space, ... } or text = "one paragraph",
 *                continued = "text" | { blocks = {...} } (shown at the top of a page its row
 *                goes on to, once the cell's own content is all printed: «1.2 (продолжение)»),
 *                colspan = 1, rowspan = 1, align =, valign = "top"|"middle"|"bottom",
 *                bold = bool }    -- header rows: bold, centred, not hyphenated unless it says
 *   { type = "box", width = 80 (mm), align = "right"|"left"|"center", blocks = {...} }
 *   { type = "page_break" } | { type = "space", height = mm (5) }
 *   { type = "page", orientation = "landscape"|"portrait" }
 * Wrong types, unknown names and out-of-range numbers make render return nil and a message
 * naming the field ("doc.blocks[3].rows[2].cells[1].colspan = 0: допустимо от 1 до 1000").
 *
 * pdf.column_widths(table, { width = mm, font = {...} }) gives the widths (mm) the table's
 * columns get in that width: what a document script writes into its table value so the DOCX
 * and ODT templates set the same columns as the PDF; and, row by row, whether the row belongs
 * to a short group (six lines or fewer at those widths: never split), which the script writes
 * as the row's keep_together for the templates' rows (w:cantSplit, fo:keep-together).
 */
#include "pdf/pdf_lua.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout/columns.h"
#include "layout/flow.h"
#include "layout/hyphen_ru.h"
#include "layout/table.h"
#include "layout/utf8.h"
#include "memory.h"
#include "pdf/pdf_backend.h"

#define FONT_DIR "/usr/share/fonts/truetype/liberation2/"
#define STATE_META "nastavnik.pdf.state"

/* Everything one render allocates; freed by __gc whether render returns or raises. */
typedef struct {
  Arena arena;
  Arena scratch; /* what a step of layout needs and drops */
  char *pdf;
} RenderState;

static int state_gc(lua_State *L) {
  RenderState *s = luaL_checkudata(L, 1, STATE_META);
  arena_free(&s->arena);
  arena_free(&s->scratch);
  memory_free(s->pdf);
  s->pdf = NULL;
  return 0;
}

typedef struct {
  lua_State *L;
  Arena *arena;
} Reader;

/* Defaults a block inherits from where it stands (the page, a table, a cell). */
typedef struct {
  double size;
  Align align;
  bool align_set;
  bool bold;
  bool no_hyphens;  /* header cells */
  double list_step; /* indent per list level, pt */
} Inherit;

/* "where.key[i]", the place an error message points at (cut short if very deep). */
static void where_at(char *buf, size_t size, const char *where, const char *key, size_t i) {
  int n = snprintf(buf, size, "%s.%s[%zu]", where, key, i);
  if (n < 0 || (size_t)n >= size) buf[size - 1] = '\0';
}

static void *alloc(Reader *r, size_t size) {
  void *p = arena_alloc(r->arena, size);
  if (!p) memory_raise(r->L);
  return p;
}

/* Field accessors for the table at the top of the stack. */
static double get_number(Reader *r, const char *where, const char *key, double def, double min,
                         double max) {
  lua_State *L = r->L;
  lua_getfield(L, -1, key);
  double v = def;
  if (!lua_isnil(L, -1)) {
    int ok;
    v = lua_tonumberx(L, -1, &ok);
    if (!ok) luaL_error(L, "%s.%s: ожидалось число, а не %s", where, key, luaL_typename(L, -1));
    if (v < min || v > max) {
      /* lua_pushfstring knows no %g: format the numbers here. */
      char msg[320];
      snprintf(msg, sizeof msg, "%s.%s = %g: допустимо от %g до %g", where, key, v, min, max);
      luaL_error(L, "%s", msg);
    }
  }
  lua_pop(L, 1);
  return v;
}

static bool get_bool(Reader *r, const char *where, const char *key, bool def) {
  lua_State *L = r->L;
  lua_getfield(L, -1, key);
  bool v = def;
  if (!lua_isnil(L, -1)) {
    if (!lua_isboolean(L, -1))
      luaL_error(L, "%s.%s: ожидалось true или false, а не %s", where, key, luaL_typename(L, -1));
    v = lua_toboolean(L, -1);
  }
  lua_pop(L, 1);
  return v;
}

/* A string field, or NULL when absent. A string is borrowed, not copied: the doc (or table)
 * the reader reads stays on the Lua stack until layout is done, and Lua strings neither move
 * nor die while a table holds them (a big roadmap is not copied twice). A number is written
 * out into the arena (its text lives only on the stack). */
static const char *get_string(Reader *r, const char *where, const char *key, size_t *len) {
  lua_State *L = r->L;
  lua_getfield(L, -1, key);
  const char *v = NULL;
  if (!lua_isnil(L, -1)) {
    int type = lua_type(L, -1);
    if (type != LUA_TSTRING && type != LUA_TNUMBER)
      luaL_error(L, "%s.%s: ожидалась строка, а не %s", where, key, luaL_typename(L, -1));
    size_t n;
    const char *s = lua_tolstring(L, -1, &n);
    if (type == LUA_TNUMBER) {
      s = arena_strndup(r->arena, s, n);
      if (!s) memory_raise(L);
    }
    v = s;
    if (len) *len = n;
  }
  lua_pop(L, 1);
  return v;
}

/* Pushes the table field key (or nil); errors when it is something else. */
static bool push_table(Reader *r, const char *where, const char *key) {
  lua_State *L = r->L;
  lua_getfield(L, -1, key);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    return false;
  }
  if (!lua_istable(L, -1))
    luaL_error(L, "%s.%s: ожидалась таблица, а не %s", where, key, luaL_typename(L, -1));
  return true;
}

static int choose(Reader *r, const char *where, const char *key, const char *const *names,
                  int def) {
  const char *v = get_string(r, where, key, NULL);
  if (!v) return def;
  for (int i = 0; names[i]; i++) {
    if (strcmp(v, names[i]) == 0) return i;
  }
  return luaL_error(r->L, "%s.%s = \"%s\": такого значения нет", where, key, v);
}

static const char *const ALIGNS[] = {"left", "center", "right", "justify", NULL};
static const char *const VALIGNS[] = {"top", "middle", "bottom", NULL};

/* runs = { {text=, bold=, italic=}, ... } (a plain string is one regular run). */
static void read_runs(Reader *r, const char *where, bool bold, Run **runs, size_t *nruns) {
  lua_State *L = r->L;
  lua_getfield(L, -1, "runs");
  if (lua_type(L, -1) == LUA_TSTRING) {
    *runs = alloc(r, sizeof **runs);
    size_t n;
    const char *s = lua_tolstring(L, -1, &n); /* borrowed, as get_string's */
    (*runs)[0] = (Run){.text = s, .len = n, .face = bold ? FACE_BOLD : FACE_REGULAR};
    *nruns = 1;
    lua_pop(L, 1);
    return;
  }
  if (!lua_istable(L, -1)) luaL_error(L, "%s.runs: ожидался список фрагментов текста", where);
  size_t n = lua_rawlen(L, -1);
  *runs = alloc(r, (n + 1) * sizeof **runs);
  *nruns = n;
  for (size_t i = 0; i < n; i++) {
    char here[200];
    where_at(here, sizeof here, where, "runs", i + 1);
    lua_rawgeti(L, -1, (lua_Integer)i + 1);
    if (!lua_istable(L, -1)) luaL_error(L, "%s: ожидалась таблица {text=...}", here);
    Run *run = &(*runs)[i];
    run->text = get_string(r, here, "text", &run->len);
    if (!run->text) run->text = "";
    int face = (get_bool(r, here, "bold", false) || bold ? FACE_BOLD : 0) |
               (get_bool(r, here, "italic", false) ? FACE_ITALIC : 0);
    run->face = (FaceId)face;
    run->no_hyphens = !get_bool(r, here, "hyphenate", true);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

static void read_para(Reader *r, const char *where, const Inherit *in, Para *p) {
  read_runs(r, where, in->bold, &p->runs, &p->nruns);
  p->align = (Align)choose(r, where, "align", ALIGNS, in->align);
  p->indent = get_number(r, where, "indent", 0, -100, 100) * MM_TO_PT;
  p->size = get_number(r, where, "size", in->size, 4, 72);
  p->line_spacing = get_number(r, where, "line_spacing", 1.0, 0.5, 5);
  p->space_before = get_number(r, where, "space_before", 0, 0, 500);
  p->space_after = get_number(r, where, "space_after", 0, 0, 500);
  p->keep_with_next = get_bool(r, where, "keep_with_next", false);
  p->no_hyphens = !get_bool(r, where, "hyphenate", !in->no_hyphens);
  p->anchor = get_string(r, where, "anchor", NULL);
}

/* A list becomes one paragraph per item: the label at the item's level, text hanging. */
static size_t read_list(Reader *r, const char *where, const Inherit *in, Block *out, size_t room) {
  lua_State *L = r->L;
  if (!push_table(r, where, "items")) return 0;
  size_t n = lua_rawlen(L, -1), made = 0;
  Align align = (Align)choose(r, where, "align", ALIGNS, in->align);
  for (size_t i = 0; i < n && made < room; i++) {
    char here[200];
    where_at(here, sizeof here, where, "items", i + 1);
    lua_rawgeti(L, -1, (lua_Integer)i + 1);
    if (!lua_istable(L, -1)) luaL_error(L, "%s: ожидалась таблица {label=, runs=}", here);
    Block *b = &out[made++];
    b->kind = BLOCK_PARA;
    Para *p = &b->as.para;
    read_runs(r, here, in->bold, &p->runs, &p->nruns);
    p->label = get_string(r, here, "label", NULL);
    if (!p->label) p->label = "•";
    p->label_face = in->bold ? FACE_BOLD : FACE_REGULAR;
    double level = get_number(r, here, "level", 1, 1, 9);
    p->left = (level - 1) * in->list_step;
    p->align = align == ALIGN_JUSTIFY ? ALIGN_JUSTIFY : ALIGN_LEFT;
    p->size = in->size;
    p->line_spacing = 1.0;
    p->no_hyphens = in->no_hyphens;
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return made;
}

static void read_blocks(Reader *r, const char *where, const Inherit *in, bool top, BlockList *list);

/* The plainest content: text = "..." is one paragraph. */
static void one_para(Reader *r, const char *text, size_t len, const Inherit *in, BlockList *out) {
  out->items = alloc(r, sizeof *out->items);
  out->count = 1;
  out->items[0].kind = BLOCK_PARA;
  Para *p = &out->items[0].as.para;
  p->runs = alloc(r, sizeof *p->runs);
  p->nruns = 1;
  p->runs[0].text = text;
  p->runs[0].len = len;
  p->runs[0].face = in->bold ? FACE_BOLD : FACE_REGULAR;
  p->align = in->align;
  p->size = in->size;
  p->line_spacing = 1.0;
  p->no_hyphens = in->no_hyphens;
}

/* Field `key` of the cell: a string (one paragraph) or a table with blocks = {...}. */
static void read_cell_content(Reader *r, const char *where, const char *key, const Inherit *in,
                              BlockList *out) {
  lua_State *L = r->L;
  lua_getfield(L, -1, key);
  int type = lua_type(L, -1);
  lua_pop(L, 1);
  if (type == LUA_TNIL) return;
  if (type == LUA_TSTRING || type == LUA_TNUMBER) {
    size_t len;
    const char *text = get_string(r, where, key, &len);
    one_para(r, text, len, in, out);
    return;
  }
  if (!push_table(r, where, key)) return;
  char here[240];
  int n = snprintf(here, sizeof here, "%s.%s", where, key);
  if (n < 0 || (size_t)n >= sizeof here) here[sizeof here - 1] = '\0';
  read_blocks(r, here, in, false, out);
  lua_pop(L, 1);
}

static void read_cell(Reader *r, const char *where, const Inherit *table_in, Cell *c) {
  lua_State *L = r->L;
  Inherit in = *table_in;
  in.bold = get_bool(r, where, "bold", table_in->bold);
  lua_getfield(L, -1, "align");
  bool has_align = !lua_isnil(L, -1);
  lua_pop(L, 1);
  if (has_align) in.align = (Align)choose(r, where, "align", ALIGNS, ALIGN_LEFT);
  c->colspan = (int)get_number(r, where, "colspan", 1, 1, 1000);
  c->rowspan = (int)get_number(r, where, "rowspan", 1, 1, 100000);
  c->valign = (VAlign)choose(r, where, "valign", VALIGNS, VALIGN_TOP);
  read_cell_content(r, where, "continued", &in, &c->continued);
  lua_getfield(L, -1, "text");
  bool has_text = !lua_isnil(L, -1);
  lua_pop(L, 1);
  if (has_text) {
    size_t len = 0;
    const char *text = get_string(r, where, "text", &len);
    one_para(r, text, len, &in, &c->content);
    return;
  }
  if (push_table(r, where, "blocks")) {
    lua_pop(L, 1);
    read_blocks(r, where, &in, false, &c->content);
  }
}

static void read_table(Reader *r, const char *where, const Inherit *outer, Table *t) {
  lua_State *L = r->L;
  Inherit in = *outer;
  in.size = get_number(r, where, "size", outer->size, 4, 72);
  in.align = ALIGN_LEFT;
  in.list_step = 3 * MM_TO_PT;
  t->padding = get_number(r, where, "padding", 1.0, 0, 20) * MM_TO_PT;
  t->borders = get_bool(r, where, "borders", true);
  t->keep_together = get_bool(r, where, "keep_together", false);
  if (!push_table(r, where, "columns")) luaL_error(L, "%s.columns: у таблицы нет столбцов", where);
  t->ncolumns = lua_rawlen(L, -1);
  if (t->ncolumns == 0 || t->ncolumns > 100)
    luaL_error(L, "%s.columns: столбцов должно быть от 1 до 100", where);
  t->columns = alloc(r, t->ncolumns * sizeof *t->columns);
  for (size_t i = 0; i < t->ncolumns; i++) {
    char here[200];
    where_at(here, sizeof here, where, "columns", i + 1);
    lua_rawgeti(L, -1, (lua_Integer)i + 1);
    if (!lua_istable(L, -1)) luaL_error(L, "%s: ожидалась таблица {width=} или {weight=}", here);
    t->columns[i].width = get_number(r, here, "width", 0, 0, 1000) * MM_TO_PT;
    t->columns[i].weight = get_number(r, here, "weight", 0, 0, 1e6);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  t->header_rows = (size_t)get_number(r, where, "header_rows", 0, 0, 20);
  if (!push_table(r, where, "rows")) luaL_error(L, "%s.rows: у таблицы нет строк", where);
  t->nrows = lua_rawlen(L, -1);
  t->rows = alloc(r, (t->nrows + 1) * sizeof *t->rows);
  for (size_t i = 0; i < t->nrows; i++) {
    char here[200];
    where_at(here, sizeof here, where, "rows", i + 1);
    lua_rawgeti(L, -1, (lua_Integer)i + 1);
    if (!lua_istable(L, -1)) luaL_error(L, "%s: ожидалась таблица {cells=...}", here);
    Row *row = &t->rows[i];
    row->keep_together = get_bool(r, here, "keep_together", false);
    row->keep_with_next = get_bool(r, here, "keep_with_next", false);
    if (!push_table(r, here, "cells")) luaL_error(L, "%s.cells: в строке нет ячеек", here);
    row->ncells = lua_rawlen(L, -1);
    row->cells = alloc(r, (row->ncells + 1) * sizeof *row->cells);
    Inherit row_in = in;
    if (i < t->header_rows) {
      row_in.bold = true; /* header text is bold and not hyphenated unless cells say */
      row_in.no_hyphens = true;
    }
    for (size_t k = 0; k < row->ncells; k++) {
      char cell_where[220];
      where_at(cell_where, sizeof cell_where, here, "cells", k + 1);
      lua_rawgeti(L, -1, (lua_Integer)k + 1);
      if (!lua_istable(L, -1)) luaL_error(L, "%s: ожидалась таблица {blocks=...}", cell_where);
      Inherit cell_in = row_in;
      if (i < t->header_rows) cell_in.align = ALIGN_CENTER;
      read_cell(r, cell_where, &cell_in, &row->cells[k]);
      lua_pop(L, 1);
    }
    lua_pop(L, 2);
  }
  lua_pop(L, 1);
}

static void read_block(Reader *r, const char *where, const Inherit *in, bool top, Block *b,
                       size_t *extra_used, Block *extra, size_t extra_room) {
  lua_State *L = r->L;
  static const char *const KINDS[] = {"para",       "list",  "table", "box",
                                      "page_break", "space", "page",  NULL};
  int kind = choose(r, where, "type", KINDS, 0);
  if (!top && kind != 0 && kind != 1 && kind != 5)
    luaL_error(L, "%s: в ячейке или рамке допустимы только para, list и space", where);
  switch (kind) {
    case 0:
      b->kind = BLOCK_PARA;
      read_para(r, where, in, &b->as.para);
      break;
    case 1:
      /* The caller made room for the items; the first goes here, the rest into extra. */
      *extra_used = read_list(r, where, in, extra, extra_room);
      if (*extra_used == 0) {
        b->kind = BLOCK_SPACE;
        b->as.space = 0;
      } else {
        *b = extra[0];
        memmove(extra, extra + 1, (*extra_used - 1) * sizeof *extra);
        (*extra_used)--;
      }
      break;
    case 2:
      b->kind = BLOCK_TABLE;
      read_table(r, where, in, &b->as.table);
      break;
    case 3: {
      b->kind = BLOCK_BOX;
      b->as.box.width = get_number(r, where, "width", 80, 10, 1000) * MM_TO_PT;
      b->as.box.align = (Align)choose(r, where, "align", ALIGNS, ALIGN_RIGHT);
      if (push_table(r, where, "blocks")) {
        lua_pop(L, 1);
        Inherit box_in = *in;
        box_in.align = ALIGN_LEFT;
        read_blocks(r, where, &box_in, false, &b->as.box.content);
      }
      break;
    }
    case 4:
      b->kind = BLOCK_PAGE_BREAK;
      break;
    case 5:
      b->kind = BLOCK_SPACE;
      b->as.space = get_number(r, where, "height", 5, 0, 1000) * MM_TO_PT;
      break;
    case 6: {
      static const char *const ORIENT[] = {"portrait", "landscape", NULL};
      b->kind = BLOCK_PAGE;
      b->as.landscape = choose(r, where, "orientation", ORIENT, 0) == 1;
      break;
    }
  }
  b->keep_with_previous = (int)get_number(r, where, "keep_with_previous", 0, 0, 20);
}

/* Reads the list at field "blocks" of the table on the stack. Lists expand to one paragraph
 * per item, so the block count is known only after reading. */
static void read_blocks(Reader *r, const char *where, const Inherit *in, bool top,
                        BlockList *list) {
  lua_State *L = r->L;
  if (!push_table(r, where, "blocks")) {
    *list = (BlockList){0};
    return;
  }
  size_t n = lua_rawlen(L, -1), cap = n + 1, count = 0;
  Block *blocks = alloc(r, cap * sizeof *blocks);
  for (size_t i = 0; i < n; i++) {
    char here[200];
    where_at(here, sizeof here, where, "blocks", i + 1);
    lua_rawgeti(L, -1, (lua_Integer)i + 1);
    if (!lua_istable(L, -1)) luaL_error(L, "%s: ожидалась таблица {type=...}", here);
    size_t items = 0;
    lua_getfield(L, -1, "items");
    if (lua_istable(L, -1)) items = lua_rawlen(L, -1);
    lua_pop(L, 1);
    Block *extra = items ? alloc(r, items * sizeof *extra) : NULL;
    size_t extra_used = 0;
    if (count + items + 1 > cap) {
      size_t grown = (count + items + 1) * 2;
      blocks = arena_grow(r->arena, blocks, count, grown, sizeof *blocks);
      if (!blocks) memory_raise(L);
      cap = grown;
    }
    read_block(r, here, in, top, &blocks[count++], &extra_used, extra, items);
    for (size_t k = 0; k < extra_used; k++) blocks[count++] = extra[k];
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  list->items = blocks;
  list->count = count;
}

static LayoutFont *load_font(Reader *r, const char *key, const char *def) {
  const char *path = NULL;
  if (push_table(r, "doc", "font")) {
    path = get_string(r, "doc.font", key, NULL);
    lua_pop(r->L, 1);
  }
  if (!path) path = def;
  memory_clear();
  LayoutFont *f = layout_font_cached(path);
  if (!f && memory_failed()) memory_raise(r->L);
  if (!f)
    luaL_error(r->L, "doc.font.%s: не удалось загрузить шрифт %s (нужен файл TrueType, .ttf)", key,
               path);
  return f;
}

/* How a render failed, for the command's exit code: the input asks for more than a stated
 * limit (the user's to change), memory ran out, or the generator itself is wrong. */
typedef enum { FAILED_INTERNAL, FAILED_LIMIT, FAILED_MEMORY } Failure;

/* The PDF keeps a document's title as UTF-16 in a string of at most 65,535 bytes. */
enum { MAX_TITLE_UTF16 = 65533 };

static size_t utf16_size(const char *s) {
  size_t n = 0, len = strlen(s);
  for (size_t i = 0; i < len;) {
    uint32_t cp;
    i += utf8_decode(s + i, len - i, &cp);
    n += cp >= 0x10000 ? 4 : 2;
  }
  return n;
}

static void read_info(Reader *r, PdfInfo *info, Failure *failure) {
  memset(info, 0, sizeof *info);
  info->creator = "nastavnik";
  info->language = "ru";
  if (!push_table(r, "doc", "info")) return;
  const char *w = "doc.info";
  info->title = get_string(r, w, "title", NULL);
  static const char *const KEYS[] = {"title", "author", "subject", "keywords"};
  for (size_t k = 0; k < sizeof KEYS / sizeof KEYS[0]; k++) {
    const char *v = get_string(r, w, KEYS[k], NULL);
    if (v && utf16_size(v) > MAX_TITLE_UTF16) {
      /* the first sixty characters, for the user to find it */
      size_t cut = 0, len = strlen(v);
      for (int c = 0; c < 60 && cut < len; c++) {
        uint32_t cp;
        cut += utf8_decode(v + cut, len - cut, &cp);
      }
      lua_pushlstring(r->L, v, cut);
      *failure = FAILED_LIMIT;
      luaL_error(r->L,
                 "название «%s…» длиннее 32 000 знаков, а PDF хранит название документа "
                 "не длиннее: сократите его",
                 lua_tostring(r->L, -1));
    }
  }
  info->author = get_string(r, w, "author", NULL);
  info->subject = get_string(r, w, "subject", NULL);
  info->keywords = get_string(r, w, "keywords", NULL);
  const char *creator = get_string(r, w, "creator", NULL);
  if (creator) info->creator = creator;
  const char *lang = get_string(r, w, "language", NULL);
  if (lang) info->language = lang;
  const char *date = get_string(r, w, "date", NULL);
  if (date &&
      (sscanf(date, "%4d-%2d-%2d", &info->year, &info->month, &info->day) != 3 ||
       info->year < 1900 || info->month < 1 || info->month > 12 || info->day < 1 || info->day > 31))
    luaL_error(r->L, "doc.info.date = \"%s\": ожидалась дата ГГГГ-ММ-ДД", date);
  lua_pop(r->L, 1);
}

/* The four faces and the size of doc.font (the table on top of the stack). */
static double read_fonts(Reader *r, LayoutContext *ctx) {
  ctx->fonts[FACE_REGULAR] = load_font(r, "regular", FONT_DIR "LiberationSerif-Regular.ttf");
  ctx->fonts[FACE_BOLD] = load_font(r, "bold", FONT_DIR "LiberationSerif-Bold.ttf");
  ctx->fonts[FACE_ITALIC] = load_font(r, "italic", FONT_DIR "LiberationSerif-Italic.ttf");
  ctx->fonts[FACE_BOLD_ITALIC] =
      load_font(r, "bold_italic", FONT_DIR "LiberationSerif-BoldItalic.ttf");
  double size = 14;
  if (push_table(r, "doc", "font")) {
    size = get_number(r, "doc.font", "size", 14, 4, 72);
    lua_pop(r->L, 1);
  }
  return size;
}

/* protect = { "stem", ... }: words never hyphenated. */
static void read_protected(Reader *r, const char *where, Protected *out) {
  lua_State *L = r->L;
  if (!push_table(r, where, "protect")) return;
  size_t n = lua_rawlen(L, -1);
  out->stems = alloc(r, (n + 1) * sizeof *out->stems);
  for (size_t i = 0; i < n; i++) {
    lua_rawgeti(L, -1, (lua_Integer)i + 1);
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    if (!s || lua_type(L, -1) != LUA_TSTRING)
      luaL_error(L, "%s.protect[%d]: ожидалась строка", where, (int)i + 1);
    if (len > 0) {
      char *copy = arena_strndup(r->arena, s, len);
      if (!copy) memory_raise(L);
      out->stems[out->count++] = copy;
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

/* Memory, or the generator's own failure, from what layout reports. */
static int layout_failed(lua_State *L, const LayoutContext *ctx, Failure *failure) {
  if (ctx->display && ctx->display->over_limit) {
    *failure = FAILED_LIMIT;
    return luaL_error(L, "документ получился слишком большим: больше " DISPLAY_MAX_OPS_TEXT
                         " строк и фрагментов текста, а это предел генератора (таблица в "
                         "десятки столбцов или очень длинный текст?): сократите описание");
  }
  if (ctx->out_of_memory || !ctx->error) {
    *failure = FAILED_MEMORY;
    return memory_raise(L);
  }
  *failure = ctx->failure == LAYOUT_FAILED_LIMIT ? FAILED_LIMIT : FAILED_INTERNAL;
  return luaL_error(L, "%s", ctx->error);
}

static int render_protected(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  Failure *failure = lua_touserdata(L, 2);
  RenderState *state = lua_newuserdatauv(L, sizeof *state, 0);
  arena_init(&state->arena);
  arena_init(&state->scratch);
  state->pdf = NULL;
  luaL_setmetatable(L, STATE_META);
  lua_pushvalue(L, 1); /* the doc on top: accessors read the table at -1 */
  Reader r = {.L = L, .arena = &state->arena};

  Document doc = {.page_width = 210 * MM_TO_PT, .page_height = 297 * MM_TO_PT};
  LayoutContext ctx = {.arena = &state->arena, .scratch = &state->scratch, .protect = &doc.protect};
  double size = read_fonts(&r, &ctx);
  doc.margin_left = 30 * MM_TO_PT;
  doc.margin_right = 10 * MM_TO_PT;
  doc.margin_top = doc.margin_bottom = 20 * MM_TO_PT;
  doc.number_size = size;
  if (push_table(&r, "doc", "page")) {
    const char *w = "doc.page";
    const char *paper = get_string(&r, w, "size", NULL);
    if (paper && strcmp(paper, "A4") != 0)
      luaL_error(L, "doc.page.size = \"%s\": пока умеем только A4", paper);
    static const char *const ORIENT[] = {"portrait", "landscape", NULL};
    doc.landscape = choose(&r, w, "orientation", ORIENT, 0) == 1;
    doc.number_from = (int)get_number(&r, w, "number_from", 0, 0, 100000);
    if (push_table(&r, w, "margins")) {
      const char *m = "doc.page.margins";
      doc.margin_left = get_number(&r, m, "left", 30, 0, 100) * MM_TO_PT;
      doc.margin_right = get_number(&r, m, "right", 10, 0, 100) * MM_TO_PT;
      doc.margin_top = get_number(&r, m, "top", 20, 0, 100) * MM_TO_PT;
      doc.margin_bottom = get_number(&r, m, "bottom", 20, 0, 100) * MM_TO_PT;
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  static const char *const FITS[] = {"pages", "one_page", NULL};
  doc.fit_one_page = choose(&r, "doc", "fit", FITS, 0) == 1;
  read_protected(&r, "doc", &doc.protect);
  PdfInfo info;
  read_info(&r, &info, failure);
  Inherit in = {.size = size, .align = ALIGN_LEFT, .list_step = 5 * MM_TO_PT};
  read_blocks(&r, "doc", &in, true, &doc.blocks);

  Display display = {.arena = &state->arena};
  ctx.display = &display;
  if (!hyphen_ru_available() &&
      !display_problem(&display, "словарь переносов " HYPHEN_RU_DICT
                                 " не загружен: слова переносятся только по дефисам"))
    return layout_failed(L, &ctx, failure);
  if (!layout_document(&ctx, &doc) || ctx.out_of_memory) return layout_failed(L, &ctx, failure);
  char err[256] = "";
  size_t len = 0;
  memory_clear();
  if (!pdf_render(&display, ctx.fonts, &info, &state->pdf, &len, err, sizeof err))
    return memory_failed() ? memory_raise(L) : luaL_error(L, "%s", err);
  lua_pushlstring(L, state->pdf, len);
  lua_createtable(L, (int)display.nproblems, 0);
  for (size_t i = 0; i < display.nproblems; i++) {
    lua_pushstring(L, display.problems[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_createtable(L, 0, (int)display.nanchors);
  for (size_t i = 0; i < display.nanchors; i++) {
    lua_pushinteger(L, (lua_Integer)display.anchor_pages[i]);
    lua_setfield(L, -2, display.anchors[i]);
  }
  return 3; /* the state's __gc frees the arena and the buffer */
}

static const char *failure_name(Failure f) {
  return f == FAILED_LIMIT ? "limit" : f == FAILED_MEMORY ? "memory" : "internal";
}

/* pdf.render(doc) -> bytes, problems, anchors (name -> page)
 *                  | nil, message, "limit"|"memory"|"internal" */
static int render(lua_State *L) {
  lua_settop(L, 1);
  Failure failure = FAILED_INTERNAL;
  lua_pushcfunction(L, render_protected);
  lua_insert(L, 1);
  lua_pushlightuserdata(L, &failure);
  int status = lua_pcall(L, 2, 3, 0);
  /* Out of memory goes on to the command (generator/memory.h): exit 4, nothing written. */
  if (status == LUA_ERRMEM || (status != LUA_OK && memory_is_error(L, -1))) return memory_raise(L);
  if (status != LUA_OK) {
    lua_pushnil(L);
    lua_insert(L, -2);
    lua_pushstring(L, failure_name(failure));
    return 3;
  }
  return 3;
}

static int column_widths_protected(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  RenderState *state = lua_newuserdatauv(L, sizeof *state, 0);
  arena_init(&state->arena);
  arena_init(&state->scratch);
  state->pdf = NULL;
  luaL_setmetatable(L, STATE_META);
  Reader r = {.L = L, .arena = &state->arena};
  Display display = {.arena = &state->arena};
  Protected protect = {0};
  LayoutContext ctx = {
      .arena = &state->arena, .scratch = &state->scratch, .display = &display, .protect = &protect};
  lua_pushvalue(L, 2); /* the options: width, font, protect */
  double size = read_fonts(&r, &ctx);
  double width = get_number(&r, "options", "width", 0, 1, 2000) * MM_TO_PT;
  read_protected(&r, "options", &protect);
  lua_pop(L, 1);
  lua_pushvalue(L, 1);
  Inherit in = {.size = size, .align = ALIGN_LEFT, .list_step = 5 * MM_TO_PT};
  Table t = {0};
  read_table(&r, "table", &in, &t);
  lua_pop(L, 1);
  double *widths = arena_alloc(&state->arena, (t.ncolumns + 1) * sizeof *widths);
  bool *short_rows = arena_alloc(&state->arena, (t.nrows + 1) * sizeof *short_rows);
  if (!widths || !short_rows || !columns_widths(&ctx, &t, width, widths)) return memory_raise(L);
  for (size_t i = 0; i < t.ncolumns; i++) /* measured once: the rows are set at these widths */
    t.columns[i] = (Column){.width = widths[i]};
  if (!table_short_rows(&ctx, &t, width, short_rows) || ctx.out_of_memory) return memory_raise(L);
  lua_createtable(L, (int)t.ncolumns, 0);
  for (size_t i = 0; i < t.ncolumns; i++) {
    lua_pushnumber(L, widths[i] / MM_TO_PT);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_createtable(L, (int)t.nrows, 0);
  for (size_t i = 0; i < t.nrows; i++) {
    lua_pushboolean(L, short_rows[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 2;
}

/* pdf.column_widths(table, { width = mm, font = {...}, protect = {...} })
 *   -> { mm, ... }, { short row?, ... } | nil, message */
static int column_widths(lua_State *L) {
  lua_settop(L, 2);
  lua_pushcfunction(L, column_widths_protected);
  lua_insert(L, 1);
  int status = lua_pcall(L, 2, 2, 0);
  if (status == LUA_ERRMEM || (status != LUA_OK && memory_is_error(L, -1))) return memory_raise(L);
  if (status != LUA_OK) {
    lua_pushnil(L);
    lua_insert(L, -2);
    return 2;
  }
  return 2;
}

int luaopen_nastavnik_pdf(lua_State *L) {
  if (luaL_newmetatable(L, STATE_META)) {
    lua_pushcfunction(L, state_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
  static const luaL_Reg functions[] = {
      {"render", render}, {"column_widths", column_widths}, {NULL, NULL}};
  luaL_newlib(L, functions);
  return 1;
}
