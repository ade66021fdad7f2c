/*
 * pdf_lua: see pdf_lua.h. This file reads the frame of a document (its page, fonts,
 * information, protected words) and hands its blocks to the view's reader (view/view.h: every
 * field of the rich text and the tables read and checked there, with the messages the DOCX and
 * ODT templates give for the same value); pdf_view.c makes them the layout's model. Layout and
 * PDF bytes are elsewhere.
 *
 * doc = {
 *   page = { size = "A4", orientation = "portrait"|"landscape",
 *            margins = { left = 30, right = 10, top = 20, bottom = 20 },  -- mm (GOST R 7.0.97)
 *            number_from = 2 },           -- page numbers from this page on; 0/nil: none
 *   font = { regular =, bold =, italic =, bold_italic = (paths), size = 14 },
 *   info = { title =, author =, subject =, keywords =, creator =, language = "ru",
 *            date = "YYYY-MM-DD" },       -- no date: none written (output stays reproducible)
 *   fit = "one_page",        -- shrink spacing, then the font by up to 1 pt, to stay on one page
 *   shrink = { space = 0.5, leading = 0.92, size = -1 },  -- the blocks shrunk by a step of a
 *                            -- form's fit (pdf_view.h; the font's size is given shrunk)
 *   protect = { "сентябр", ... },   -- stems of words never hyphenated (months, names)
 *   blocks = { block, ... },        -- view/view.h lists every block and field; defaults of
 * }                                 -- the PDF (header rows bold, 5 mm a list level): pdf_view.h
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

#include "fileio.h"
#include "layout/columns.h"
#include "layout/flow.h"
#include "layout/hyphen_policy.h"
#include "layout/hyphen_ru.h"
#include "layout/table.h"
#include "layout/utf8.h"
#include "memory.h"
#include "pdf/pdf_backend.h"
#include "pdf/pdf_view.h"
#include "view/view.h"

#define FONT_DIR "/usr/share/fonts/truetype/liberation2/"
#define STATE_META "nastavnik.pdf.state"
#define TRIAL_META "nastavnik.pdf.trial"

/* Everything one render allocates; freed by __gc whether render returns or raises. */
typedef struct {
  Arena arena;
  Arena scratch; /* what a step of layout needs and drops */
  char *pdf;
} RenderState;

static int state_gc(lua_State *L) {
  RenderState *s = lua_touserdata(L, 1); /* (a RenderState, or a Trial beginning with one) */
  arena_free(&s->arena);
  arena_free(&s->scratch);
  memory_free(s->pdf);
  s->pdf = NULL;
  return 0;
}

typedef struct {
  lua_State *L;
  ViewReader view; /* the view's reader: every field checked as the templates check it */
} Reader;

/* Raises what the view's reader found wrong (or out of memory). */
static void check(Reader *r, ViewStatus st) {
  if (st == VIEW_NO_MEMORY) memory_raise(r->L);
  if (st != VIEW_OK) luaL_error(r->L, "%s", r->view.message);
}

/* Field accessors for the table at stack index t (raw access, the view's messages). */
static double get_number(Reader *r, int t, const char *where, const char *key, double def,
                         double min, double max) {
  double v;
  check(r, view_number(&r->view, t, where, key, def, min, max, &v));
  return v;
}

/* A string field (copied into the arena), or NULL when absent. */
static const char *get_string(Reader *r, int t, const char *where, const char *key) {
  const char *v;
  check(r, view_string(&r->view, t, where, key, &v));
  return v;
}

static int choose(Reader *r, int t, const char *where, const char *key, const char *const *names,
                  int def) {
  int v;
  check(r, view_choice(&r->view, t, where, key, names, def, &v));
  return v;
}

/* Pushes the table at field key and returns true, or pushes nothing when it is absent. */
static bool push_table(Reader *r, int t, const char *where, const char *key) {
  bool present;
  check(r, view_push_table(&r->view, t, where, key, &present));
  return present;
}

/* The font file of face `key` in the font table f (0: none given), or the default. */
static LayoutFont *load_font(Reader *r, int f, const char *where, const char *key,
                             const char *def) {
  const char *path = f ? get_string(r, f, where, key) : NULL;
  if (!path) path = def;
  memory_clear();
  LayoutFont *font = layout_font_cached(path);
  if (!font && memory_failed()) memory_raise(r->L);
  if (!font)
    luaL_error(r->L, "%s.%s: не удалось загрузить шрифт %s (нужен файл TrueType, .ttf)", where, key,
               path);
  return font;
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

/* doc.info of the doc at stack index d. */
static void read_info(Reader *r, int d, PdfInfo *info, Failure *failure) {
  memset(info, 0, sizeof *info);
  info->creator = "nastavnik";
  info->language = "ru";
  if (!push_table(r, d, "doc", "info")) return;
  int t = lua_gettop(r->L);
  const char *w = "doc.info";
  static const char *const KEYS[] = {"title", "author", "subject", "keywords"};
  const char *values[4];
  for (size_t k = 0; k < sizeof KEYS / sizeof KEYS[0]; k++) {
    const char *v = values[k] = get_string(r, t, w, KEYS[k]);
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
  info->title = values[0];
  info->author = values[1];
  info->subject = values[2];
  info->keywords = values[3];
  const char *creator = get_string(r, t, w, "creator");
  if (creator) info->creator = creator;
  const char *lang = get_string(r, t, w, "language");
  if (lang) info->language = lang;
  const char *date = get_string(r, t, w, "date");
  if (date &&
      (sscanf(date, "%4d-%2d-%2d", &info->year, &info->month, &info->day) != 3 ||
       info->year < 1900 || info->month < 1 || info->month > 12 || info->day < 1 || info->day > 31))
    luaL_error(r->L, "doc.info.date = \"%s\": ожидалась дата ГГГГ-ММ-ДД", date);
  lua_pop(r->L, 1);
}

/* The four faces and the size of field font of the table at stack index d (where names it). */
static double read_fonts(Reader *r, int d, const char *where, LayoutContext *ctx) {
  char w[64];
  snprintf(w, sizeof w, "%s.font", where);
  int f = push_table(r, d, where, "font") ? lua_gettop(r->L) : 0;
  ctx->fonts[FACE_REGULAR] = load_font(r, f, w, "regular", FONT_DIR "LiberationSerif-Regular.ttf");
  ctx->fonts[FACE_BOLD] = load_font(r, f, w, "bold", FONT_DIR "LiberationSerif-Bold.ttf");
  ctx->fonts[FACE_ITALIC] = load_font(r, f, w, "italic", FONT_DIR "LiberationSerif-Italic.ttf");
  ctx->fonts[FACE_BOLD_ITALIC] =
      load_font(r, f, w, "bold_italic", FONT_DIR "LiberationSerif-BoldItalic.ttf");
  double size = f ? get_number(r, f, w, "size", 14, 4, 72) : 14;
  if (f) lua_pop(r->L, 1);
  return size;
}

/* protect = { "stem", ... } of the table at stack index d: words never hyphenated. */
static void read_protected(Reader *r, int d, const char *where, Protected *out) {
  lua_State *L = r->L;
  if (!push_table(r, d, where, "protect")) return;
  size_t n = lua_rawlen(L, -1);
  out->stems = arena_alloc(r->view.arena, (n + 1) * sizeof *out->stems);
  if (!out->stems) memory_raise(L);
  for (size_t i = 0; i < n; i++) {
    lua_rawgeti(L, -1, (lua_Integer)i + 1);
    size_t len;
    const char *s = lua_tolstring(L, -1, &len);
    if (!s || lua_type(L, -1) != LUA_TSTRING)
      luaL_error(L, "%s.protect[%d]: ожидалась строка", where, (int)i + 1);
    if (len > 0) {
      char *copy = arena_strndup(r->view.arena, s, len);
      if (!copy) memory_raise(L);
      out->stems[out->count++] = copy;
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

/* doc.blocks of the doc at stack index d, read by the view. */
static void read_blocks(Reader *r, int d, ViewBlocks *out) {
  *out = (ViewBlocks){0};
  if (!push_table(r, d, "doc", "blocks")) return;
  check(r, view_read_blocks(&r->view, -1, "doc.blocks", VIEW_TOP, out));
  lua_pop(r->L, 1);
}

/* A step of FIT_STEPS (scripts/documents/common.lua) at stack index t. */
static PdfShrink read_shrink(Reader *r, int t, const char *where) {
  return (PdfShrink){.space = get_number(r, t, where, "space", 1, 0, 1),
                     .leading = get_number(r, t, where, "leading", 1, 0.5, 1),
                     .size = get_number(r, t, where, "size", 0, -4, 0)};
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

/* What a doc is read to once: the frame its blocks are laid out in, and the blocks as the
 * view reads them. */
typedef struct {
  Document doc; /* its blocks made for each layout (lay_out) */
  LayoutFont *fonts[FACE_COUNT];
  double size;      /* the text's, pt */
  double bottom_mm; /* the page's bottom margin as given */
  PdfInfo info;
  ViewBlocks blocks;
} Frame;

/* The doc at stack index 1, into the reader's arena. */
static void read_frame(Reader *r, Frame *f, Failure *failure) {
  lua_State *L = r->L;
  Document *doc = &f->doc;
  *doc = (Document){.page_width = 210 * MM_TO_PT, .page_height = 297 * MM_TO_PT};
  LayoutContext fonts = {0};
  f->size = read_fonts(r, 1, "doc", &fonts);
  memcpy(f->fonts, fonts.fonts, sizeof f->fonts);
  doc->margin_left = 30 * MM_TO_PT;
  doc->margin_right = 10 * MM_TO_PT;
  doc->margin_top = doc->margin_bottom = 20 * MM_TO_PT;
  f->bottom_mm = 20;
  if (push_table(r, 1, "doc", "page")) {
    int page = lua_gettop(L);
    const char *w = "doc.page";
    const char *paper = get_string(r, page, w, "size");
    if (paper && strcmp(paper, "A4") != 0)
      luaL_error(L, "doc.page.size = \"%s\": пока умеем только A4", paper);
    static const char *const ORIENT[] = {"portrait", "landscape", NULL};
    doc->landscape = choose(r, page, w, "orientation", ORIENT, 0) == 1;
    doc->number_from = (int)get_number(r, page, w, "number_from", 0, 0, 100000);
    if (push_table(r, page, w, "margins")) {
      int m = lua_gettop(L);
      const char *mw = "doc.page.margins";
      doc->margin_left = get_number(r, m, mw, "left", 30, 0, 100) * MM_TO_PT;
      doc->margin_right = get_number(r, m, mw, "right", 10, 0, 100) * MM_TO_PT;
      doc->margin_top = get_number(r, m, mw, "top", 20, 0, 100) * MM_TO_PT;
      f->bottom_mm = get_number(r, m, mw, "bottom", 20, 0, 100);
      doc->margin_bottom = f->bottom_mm * MM_TO_PT;
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  static const char *const FITS[] = {"pages", "one_page", NULL};
  doc->fit_one_page = choose(r, 1, "doc", "fit", FITS, 0) == 1;
  read_protected(r, 1, "doc", &doc->protect);
  read_info(r, 1, &f->info, failure);
  read_blocks(r, 1, &f->blocks);
}

/* Lays the frame's blocks out (shrunk by the step when one is given) into display, all in
 * arena; raises what fails. */
static void lay_out(lua_State *L, Frame *f, const PdfShrink *shrink, Arena *arena, Arena *scratch,
                    Display *display, LayoutContext *ctx, Failure *failure) {
  f->doc.number_size = f->size;
  *display = (Display){.arena = arena};
  *ctx = (LayoutContext){
      .arena = arena, .scratch = scratch, .display = display, .protect = &f->doc.protect};
  memcpy(ctx->fonts, f->fonts, sizeof ctx->fonts);
  ctx->remembered = hyphen_policy_adopt(&f->doc.protect);
  if (!pdf_view_blocks(arena, &f->blocks, f->size, shrink, &f->doc.blocks)) memory_raise(L);
  if (!hyphen_ru_available() &&
      !display_problem(display, "словарь переносов " HYPHEN_RU_DICT
                                " не загружен: слова переносятся только по дефисам"))
    layout_failed(L, ctx, failure);
  if (!layout_document(ctx, &f->doc) || ctx->out_of_memory) layout_failed(L, ctx, failure);
}

/* A new userdata of `size` bytes beginning with an empty RenderState (a RenderState, or a
 * Trial), with metatable `meta`, pushed. */
static RenderState *new_state(lua_State *L, size_t size, const char *meta) {
  RenderState *state = lua_newuserdatauv(L, size, 1); /* (a trial's own share: trial_read) */
  arena_init(&state->arena);
  arena_init(&state->scratch);
  state->pdf = NULL;
  luaL_setmetatable(L, meta);
  return state;
}

/* The file the next PDF made is written to (pdf.output), or NULL: the path's copy. */
static char *output_path;

static void forget_output(void) {
  memory_free(output_path);
  output_path = NULL;
}

/* Makes the PDF of what lay_out laid out and pushes bytes, problems, anchors; the PDF's
 * buffer is the state's. With an output given (pdf.output), the bytes go to its file from here
 * and `true` takes their place; a write that fails gives the bytes all the same, for the
 * caller's own write to tell why (the bytes' copy into a Lua string, and the collector's steps
 * that copy paid for, were 2.8 % of a region-20 PDF build: callgrind). */
static int push_pdf(lua_State *L, RenderState *state, Display *display, LayoutContext *ctx,
                    const PdfInfo *info) {
  char err[256] = "";
  size_t len = 0;
  memory_clear();
  if (!pdf_render(display, ctx->fonts, info, &state->pdf, &len, err, sizeof err))
    return memory_failed() ? memory_raise(L) : luaL_error(L, "%s", err);
  bool written = false;
  if (output_path) {
    /* (created only, as command.write_file's `fresh` writes: something there now is the
     * caller's to judge) */
    fileio_expect_new(output_path);
    written = fileio_write_atomic(output_path, state->pdf, len) == 0; /* (asked for it alone) */
    forget_output();                                                  /* (one PDF's) */
  }
  if (written)
    lua_pushboolean(L, 1);
  else
    lua_pushlstring(L, state->pdf, len);
  lua_createtable(L, (int)display->nproblems, 0);
  for (size_t i = 0; i < display->nproblems; i++) {
    lua_pushstring(L, display->problems[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_createtable(L, 0, (int)display->nanchors);
  for (size_t i = 0; i < display->nanchors; i++) {
    lua_pushinteger(L, (lua_Integer)display->anchor_pages[i]);
    lua_setfield(L, -2, display->anchors[i]);
  }
  return 3;
}

/* The failure of a protected call (call_protected): its first upvalue. */
static Failure *failure_of(lua_State *L) {
  return lua_touserdata(L, lua_upvalueindex(1));
}

/* render (pages_only false) and pages (true) of doc, arguments doc, pages_only. */
static int render_protected(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  Failure *failure = failure_of(L);
  int pages_only = lua_toboolean(L, 2);
  RenderState *state = new_state(L, sizeof(RenderState), STATE_META);
  Reader r = {.L = L, .view = {.L = L, .arena = &state->arena}};
  Frame f;
  read_frame(&r, &f, failure);
  PdfShrink shrink;
  bool shrunk = push_table(&r, 1, "doc", "shrink");
  if (shrunk) {
    shrink = read_shrink(&r, lua_gettop(L), "doc.shrink");
    lua_pop(L, 1);
  }
  Display display;
  LayoutContext ctx;
  lay_out(L, &f, shrunk ? &shrink : NULL, &state->arena, &state->scratch, &display, &ctx, failure);
  if (pages_only) { /* pdf.pages: the layout's answer, no PDF made */
    lua_pushinteger(L, (lua_Integer)display.npages);
    return 1;
  }
  return push_pdf(L, state, &display, &ctx, &f.info); /* the state's __gc frees it all */
}

static const char *failure_name(Failure f) {
  return f == FAILED_LIMIT ? "limit" : f == FAILED_MEMORY ? "memory" : "internal";
}

/* Calls f with the arguments on the stack, protected, its failure at its first upvalue: its
 * nresults results, or nil, message, failure ("limit"|"memory"|"internal"). own_share: f
 * reads through a share of its own (trial_read), out of use however f ends. */
static int call_protected(lua_State *L, lua_CFunction f, int nresults, bool own_share) {
  int nargs = lua_gettop(L);
  Failure failure = FAILED_INTERNAL;
  lua_pushlightuserdata(L, &failure);
  lua_pushcclosure(L, f, 1);
  lua_insert(L, 1);
  int status = lua_pcall(L, nargs, nresults, 0);
  if (own_share) view_share_use_own(L, 0);
  /* Out of memory goes on to the command (generator/memory.h): exit 4, nothing written. */
  if (status == LUA_ERRMEM || (status != LUA_OK && memory_is_error(L, -1))) return memory_raise(L);
  if (status != LUA_OK) {
    lua_pushnil(L);
    lua_insert(L, -2);
    lua_pushstring(L, failure_name(failure));
    return 3;
  }
  return nresults;
}

/* pdf.render(doc) -> bytes, problems, anchors (name -> page)
 *                  | nil, message, "limit"|"memory"|"internal" */
static int render(lua_State *L) {
  lua_settop(L, 1);
  lua_pushboolean(L, 0);
  return call_protected(L, render_protected, 3, false);
}

/* pdf.pages(doc) -> the number of pages doc lays out to | nil, message, failure: the layout of
 * pdf.render without the PDF (fonts embedded, pages drawn, deflated). */
static int pages(lua_State *L) {
  lua_settop(L, 1);
  lua_pushboolean(L, 1);
  return call_protected(L, render_protected, 1, false);
}

/* What pdf.trial keeps: the doc read once, laid out again for each step. */
typedef struct {
  RenderState state; /* first: the state's __gc frees it */
  Frame frame;
  double size;     /* the text's as the doc gives it */
  double spare_mm; /* what a trial leaves free at the page's foot */
  bool fit_one_page;
  ArenaMark read; /* the arena as it was when the doc was read */
  bool rendered;  /* its PDF made: nothing is left to lay out */
  /* The last layout trial:pages found on one page and not tight (LayoutContext): the same, to
   * the byte, as trial:render's layout of the same step (its bottom margin the smaller by
   * `spare`, its fit never needed), which is then spared: a consent was laid out once more
   * for its PDF after its fit. It stays in the arena below `kept_end`. */
  bool kept;
  bool kept_shrunk;
  PdfShrink kept_step;
  Display kept_display;
  ArenaMark kept_end;
} Trial;

/* Where the trial's next layout starts in its arena: above the kept one. */
static ArenaMark trial_base(const Trial *t) {
  return t->kept ? t->kept_end : t->read;
}

static bool same_step(bool shrunk, const PdfShrink *a, bool b_shrunk, const PdfShrink *b) {
  if (shrunk != b_shrunk) return false;
  return !shrunk || (a->space == b->space && a->leading == b->leading && a->size == b->size);
}

/* The step at stack index 2 (nil: as it is; false returned). */
static bool trial_step(lua_State *L, Trial *t, PdfShrink *shrink) {
  if (lua_isnil(L, 2)) return false;
  if (!lua_istable(L, 2)) luaL_error(L, "step: ожидалась таблица {space =, leading =, size =}");
  Reader r = {.L = L, .view = {.L = L, .arena = &t->state.arena}};
  *shrink = read_shrink(&r, 2, "step");
  return true;
}

/* Lays the trial's doc out shrunk by the step (shrunk: else as it is). */
static void trial_lay_out(lua_State *L, Trial *t, bool shrunk, const PdfShrink *shrink,
                          Display *display, LayoutContext *ctx) {
  Frame *f = &t->frame;
  /* the document's font as the step makes it (common.document: size + step.size) */
  f->size = shrunk ? t->size + shrink->size : t->size;
  arena_release(&t->state.arena, trial_base(t));
  lay_out(L, f, shrunk ? shrink : NULL, &t->state.arena, &t->state.scratch, display, ctx,
          failure_of(L));
}

static void check_open(lua_State *L, const Trial *t) {
  if (t->rendered) luaL_error(L, "pdf.trial: документ уже отпущен (его PDF сделан или close)");
}

static int trial_pages_protected(lua_State *L) {
  Trial *t = luaL_checkudata(L, 1, TRIAL_META);
  Frame *f = &t->frame;
  /* the margin in millimetres, as a doc would give it (common.lua made it one) */
  f->doc.margin_bottom = (f->bottom_mm + t->spare_mm) * MM_TO_PT;
  f->doc.fit_one_page = false;
  check_open(L, t);
  PdfShrink shrink;
  bool shrunk = trial_step(L, t, &shrink);
  Display display;
  LayoutContext ctx;
  trial_lay_out(L, t, shrunk, &shrink, &display, &ctx);
  /* (a lower foot than the PDF's: a spare of 0 or more) */
  if (display.npages == 1 && !ctx.tight && t->spare_mm >= 0) {
    t->kept = true;
    t->kept_shrunk = shrunk;
    if (shrunk) t->kept_step = shrink;
    t->kept_display = display;
    t->kept_end = arena_mark(&t->state.arena);
  } else {
    arena_release(&t->state.arena, trial_base(t)); /* only the count is kept */
  }
  lua_pushinteger(L, (lua_Integer)display.npages);
  return 1;
}

static int trial_render_protected(lua_State *L) {
  Trial *t = luaL_checkudata(L, 1, TRIAL_META);
  Frame *f = &t->frame;
  f->doc.margin_bottom = f->bottom_mm * MM_TO_PT;
  f->doc.fit_one_page = t->fit_one_page;
  check_open(L, t);
  /* the tables the trial read, to the document's share for its DOCX and ODT (render.lua: the
   * share in use around the fitted form's PDF) */
  lua_getiuservalue(L, 1, 1);
  view_share_give(L, -1);
  lua_pop(L, 1);
  PdfShrink shrink;
  bool shrunk = trial_step(L, t, &shrink);
  Display display;
  LayoutContext ctx;
  if (t->kept && same_step(shrunk, &shrink, t->kept_shrunk, &t->kept_step)) {
    display = t->kept_display; /* push_pdf reads only the fonts of the context */
    ctx = (LayoutContext){.display = &display};
    memcpy(ctx.fonts, f->fonts, sizeof ctx.fonts);
  } else {
    trial_lay_out(L, t, shrunk, &shrink, &display, &ctx);
  }
  t->rendered = true;
  push_pdf(L, &t->state, &display, &ctx, &f->info);
  /* (the bytes are Lua's now: what made them is freed, not left to the collector) */
  memory_free(t->state.pdf);
  t->state.pdf = NULL;
  arena_free(&t->state.arena);
  arena_free(&t->state.scratch);
  return 3;
}

/* trial:close(): lets what the trial holds go now, not when it is collected (it holds a
 * document's model, which Lua does not count); it can do nothing more. */
static int trial_close(lua_State *L) {
  Trial *t = luaL_checkudata(L, 1, TRIAL_META);
  t->rendered = true;
  lua_settop(L, 1);
  return state_gc(L);
}

/* trial:pages(step) -> the number of pages | nil, message, failure. */
static int trial_pages(lua_State *L) {
  lua_settop(L, 2);
  return call_protected(L, trial_pages_protected, 1, false);
}

/* trial:render(step) -> bytes, problems, anchors | nil, message, failure. */
static int trial_render(lua_State *L) {
  lua_settop(L, 2);
  return call_protected(L, trial_render_protected, 3, false);
}

static int trial_read(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  double spare = luaL_checknumber(L, 2);
  Trial *t = (Trial *)new_state(L, sizeof(Trial), TRIAL_META);
  t->rendered = false;
  t->kept = false;
  Reader r = {.L = L, .view = {.L = L, .arena = &t->state.arena}};
  /* The tables among its blocks are kept in a share of its own (its uservalue), which
   * trial:render gives to the document's share: read once for the trials, the PDF, the DOCX
   * and the ODT. */
  int at = lua_gettop(L);
  view_share_new_own(L);
  lua_setiuservalue(L, at, 1);
  lua_getiuservalue(L, at, 1);
  view_share_use_own(L, -1);
  lua_pop(L, 1); /* (the share in use is held by the registry meanwhile) */
  read_frame(&r, &t->frame, failure_of(L));
  view_share_use_own(L, 0);
  t->size = t->frame.size;
  t->spare_mm = spare;
  t->fit_one_page = t->frame.doc.fit_one_page;
  t->read = arena_mark(&t->state.arena);
  return 1;
}

/* pdf.trial(doc, spare) -> trial | nil, message, failure: doc read once, as pdf.render reads
 * it (without its shrink), for a form that tries the steps of FIT_STEPS until it fits one page
 * (common.fit_one_page): reading the doc again for every step, and shrinking a Lua copy of it,
 * cost as much as laying it out.
 *   trial:pages(step) gives the pages it lays out to shrunk by the step (nil: as it is), as
 * pdf.pages would of the doc shrunk by it (common.document), not fitted (its fit ignored) and
 * with `spare` millimetres more of bottom margin;
 *   trial:render(step) makes its PDF shrunk by the step, as pdf.render would (fitted when the
 * doc asks), once: then the trial holds nothing, as after trial:close(). */
static int trial(lua_State *L) {
  lua_settop(L, 2);
  return call_protected(L, trial_read, 1, true);
}

static int column_widths_protected(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  RenderState *state = new_state(L, sizeof(RenderState), STATE_META);
  Reader r = {.L = L, .view = {.L = L, .arena = &state->arena}};
  Display display = {.arena = &state->arena};
  Protected protect = {0};
  LayoutContext ctx = {
      .arena = &state->arena, .scratch = &state->scratch, .display = &display, .protect = &protect};
  double size = read_fonts(&r, 2, "options", &ctx);
  double width = get_number(&r, 2, "options", "width", 0, 1, 2000) * MM_TO_PT;
  read_protected(&r, 2, "options", &protect);
  ctx.remembered = hyphen_policy_adopt(&protect);
  ViewTable view;
  check(&r, view_read_table(&r.view, 1, "table", &view));
  Table t = {0};
  if (!pdf_view_table(&state->arena, &view, size, &t)) return memory_raise(L);
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

/* pdf.output(path | nil | false) -> a value to close: the next PDF made (pdf.render, trial:render)
 * is written to the file at path, created only (nothing is there yet: see push_pdf), and that
 * call gives true in place of its bytes (or the bytes, when the write failed); closing the value
 * (or pdf.output(nil)) forgets the path should no PDF be made. */
static int output(lua_State *L) {
  const char *path = lua_toboolean(L, 1) ? luaL_checkstring(L, 1) : NULL; /* (false: none) */
  forget_output();
  if (path) {
    output_path = memory_strdup(path);
    if (!output_path) return memory_raise(L);
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  return 1;
}

static int output_close(lua_State *L) {
  (void)L;
  forget_output();
  return 0;
}

/* pdf.freeze(t) -> t: t marked as never changing again (view_freeze), so that its reads are
 * kept from one document to the next. */
static int freeze(lua_State *L) {
  lua_settop(L, 1);
  view_freeze(L, 1);
  return 1;
}

int luaopen_nastavnik_pdf(lua_State *L) {
  if (luaL_newmetatable(L, STATE_META)) {
    lua_pushcfunction(L, state_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_pop(L, 1);
  if (luaL_newmetatable(L, TRIAL_META)) {
    lua_pushcfunction(L, state_gc); /* (a Trial begins with its RenderState) */
    lua_setfield(L, -2, "__gc");
    static const luaL_Reg methods[] = {
        {"pages", trial_pages}, {"render", trial_render}, {"close", trial_close}, {NULL, NULL}};
    luaL_newlib(L, methods);
    lua_setfield(L, -2, "__index");
  }
  lua_pop(L, 1);
  static const luaL_Reg functions[] = {{"render", render}, {"pages", pages},
                                       {"trial", trial},   {"column_widths", column_widths},
                                       {"freeze", freeze}, {NULL, NULL}};
  luaL_newlib(L, functions);
  /* pdf.output's value to close: one table, its metatable's __close forgets the path */
  lua_newtable(L);
  lua_createtable(L, 0, 1);
  lua_pushcfunction(L, output_close);
  lua_setfield(L, -2, "__close");
  lua_setmetatable(L, -2);
  lua_pushcclosure(L, output, 1);
  lua_setfield(L, -2, "output");
  return 1;
}
