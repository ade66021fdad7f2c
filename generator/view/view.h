/*
 * view: the one reader of a document's view in C.
 *
 * A view is plain Lua tables (scripts/documents/<kind>.lua builds it). Rich text and tables
 * are read from Lua ONCE, here, into the model below, and checked on the way; every writer
 * consumes the model: the template engine (generator/template/: DOCX and ODT paragraphs and
 * tables) and the PDF (generator/pdf/pdf_view.c turns it into layout/model.h). So a value means the
 * same in the three outputs, and a bad value gets the same message whichever writer meets it.
 *
 * What is read (the fields of scripts/nastavnik/richtext.lua's AST and of table values):
 *
 *   blocks = { block, ... }
 *   { type = "para" (the default), runs = { {text=, bold=, italic=, hyphenate = false (a name,
 *       a date: its words never hyphenated)} | "text", ... } | "text",
 *     align = "left"|"center"|"right"|"justify"|"both", indent = mm (first line),
 *     size = pt, line_spacing = 1.0, space_before = pt, space_after = pt,
 *     keep_with_next = bool, hyphenate = bool, anchor = "name" }
 *   { type = "list", ordered = bool, align =, items = { {label = "•"|"1.1.", level = 1,
 *     runs = ...}, ... } }
 *   { type = "space", height = mm (5) }
 *   { type = "table", columns = { {width = mm} | {weight = share} | {} (sized from the
 *       content) | share, ... },
 *     header_rows = 0, borders = true, size = pt, padding = mm, keep_together = bool,
 *     rows = { { cells = { cell, ... }, keep_together = bool, keep_with_next = bool }, ... } }
 *       cell = "text" | number | { blocks = { para|list|space, ... } | "text", text = "text",
 *              continued = "text" | { blocks = {...} } (what the cell shows at the top of a
 *              page its row goes on to: «1.2 (продолжение)»),
 *              colspan = 1, rowspan = 1, align =, valign = "top"|"middle"|"center"|"bottom",
 *              bold = bool }
 *   { type = "box", width = mm (80), align =, blocks = { para|list|space, ... } }
 *   { type = "page_break" } | { type = "page", orientation = "portrait"|"landscape" }
 *   { type = "qr", text = "https://…", size = mm (20) }   -- a QR code of the text (the
 *     requisite «Штрих-код (QR-код) документа» of GOST R 7.0.97-2025), size its printed side
 *   any block: keep_with_previous = N (0..20) — the last N lines of text before it stand on
 *     its page (a signature block; the PDF layout's rule)
 *
 * Runs, rows and cells must be there (runs = {} is an empty paragraph, rows = {} a
 * table without rows): a missing one is most likely a misspelt field, and is refused.
 * Cells and boxes hold only para, list and space (VIEW_IN_CELL); tables, boxes, page blocks
 * and QR codes stand at the top (VIEW_TOP). Wrong types, unknown names and numbers out of
 * range are refused with a Russian message naming the field from the place the caller gives:
 *   "doc.blocks[3].rows[2].cells[1].colspan = 0: допустимо от 1 до 1000".
 *
 * Values are read without running user code: raw table access only (no __index, __pairs,
 * __len or __tostring of a table is ever called), numbers and strings as they are.
 *
 * Optional settings keep "not given" apart from a value (has_* flags, VIEW_ALIGN_NONE,
 * VIEW_VALIGN_NONE, ViewColumn.from_content): what an absent field means is the writer's
 * choice (a PDF header row is bold and centred unless its cells say; a template paragraph
 * keeps the template's alignment). Lengths are in the units the view uses (mm; font sizes and
 * paragraph spacing in pt), converted by each writer.
 *
 * Memory: everything a read makes lives in the caller's arena (layout/arena.h) and dies with
 * it, or, while a share is in use (view_share_use), in the share's; what is read of a frozen
 * table (view_freeze) lives as long as the table. Out of memory is
 * VIEW_NO_MEMORY (generator/memory.h: the caller raises it).
 */
#ifndef NASTAVNIK_VIEW_H
#define NASTAVNIK_VIEW_H

#include <lua.h>
#include <stdbool.h>
#include <stddef.h>

#include "layout/arena.h"

typedef enum {
  VIEW_ALIGN_NONE, /* not given: the writer's default */
  VIEW_ALIGN_LEFT,
  VIEW_ALIGN_CENTER,
  VIEW_ALIGN_RIGHT,
  VIEW_ALIGN_JUSTIFY
} ViewAlign;

typedef enum {
  VIEW_VALIGN_NONE,
  VIEW_VALIGN_TOP,
  VIEW_VALIGN_MIDDLE,
  VIEW_VALIGN_BOTTOM
} ViewVAlign;

typedef struct {
  const char *text; /* UTF-8 as given (NUL-terminated; may hold any byte: writers clean it) */
  size_t len;
  bool bold, italic;
  bool no_hyphens; /* hyphenate = false: a name, a date */
} ViewRun;

typedef struct {
  ViewRun *runs;
  size_t nruns;
  ViewAlign align;
  double indent_mm; /* first line; has_indent */
  double size_pt;   /* has_size */
  double line_spacing;
  double space_before_pt, space_after_pt;
  bool has_indent, has_size, has_line_spacing, has_space_before, has_space_after;
  bool keep_with_next;
  bool hyphenate, has_hyphenate; /* false for headings */
  const char *anchor;            /* NULL: none */
} ViewPara;

typedef struct {
  const char *label; /* as written: "•", "1.1.", "3)"; NULL when not given */
  int level;         /* 1..9 */
  ViewRun *runs;
  size_t nruns;
} ViewItem;

typedef struct {
  bool ordered;
  ViewAlign align;
  ViewItem *items;
  size_t nitems;
} ViewList;

typedef struct ViewBlock ViewBlock;

typedef struct {
  ViewBlock *items;
  size_t count;
} ViewBlocks;

typedef struct {
  ViewBlocks blocks;    /* para, list, space */
  ViewBlocks continued; /* shown atop a page the cell's row goes on to; empty: nothing */
  int colspan, rowspan;
  ViewAlign align;
  ViewVAlign valign;
  bool bold, has_bold;
} ViewCell;

typedef struct {
  ViewCell *cells;
  size_t ncells;
  bool keep_together;  /* never split across pages */
  bool keep_with_next; /* a stage heading: on the page of the row after it */
} ViewRow;

typedef struct {
  double width_mm;   /* > 0: fixed */
  double weight;     /* > 0: a share of what the fixed columns leave (1 when neither is given) */
  bool from_content; /* neither given: the PDF sizes it from its content */
} ViewColumn;

typedef struct {
  ViewColumn *columns;
  size_t ncolumns;
  ViewRow *rows;
  size_t nrows;
  size_t header_rows;
  bool borders;       /* default true */
  bool keep_together; /* on one page when it fits one (a signature block) */
  double size_pt, padding_mm;
  bool has_size, has_padding;
} ViewTable;

typedef struct {
  double width_mm; /* default 80 */
  ViewAlign align;
  ViewBlocks blocks; /* para, list, space */
} ViewBox;

/* The most bytes of text a QR code carries: a link (scripts/nastavnik/qr.lua allows 500),
 * well inside what one code holds at error correction M (2,331 bytes). */
#define VIEW_QR_MAX_TEXT 1000

typedef struct {
  const char *text; /* 1..VIEW_QR_MAX_TEXT bytes, no NUL */
  size_t len;
  double size_mm; /* the printed side of the code (its quiet zone around it not counted) */
} ViewQr;

typedef enum {
  VIEW_PARA,
  VIEW_LIST,
  VIEW_SPACE,
  VIEW_TABLE,
  VIEW_BOX,
  VIEW_PAGE_BREAK,
  VIEW_PAGE,
  VIEW_QR
} ViewBlockKind;

struct ViewBlock {
  ViewBlockKind kind;
  int keep_with_previous; /* lines of text before it that stand on its page; 0: none */
  union {
    ViewPara para;
    ViewList list;
    double space_mm; /* VIEW_SPACE: height */
    ViewTable table;
    ViewBox box;
    bool landscape; /* VIEW_PAGE */
    ViewQr qr;
  } as;
};

/* Where a block may stand: VIEW_TOP admits every kind, VIEW_IN_CELL only para, list, space. */
typedef enum { VIEW_TOP, VIEW_IN_CELL } ViewPlace;

typedef enum { VIEW_OK = 0, VIEW_BAD, VIEW_NO_MEMORY } ViewStatus;

typedef struct {
  lua_State *L;
  Arena *arena;
  char message[512]; /* VIEW_BAD: what is wrong, naming the field */
  /* After view_read_table, when the share in use keeps the table (else NULL): a place beside
   * its model where a writer keeps what it makes of the model alone (the same for every
   * writer: the templates' table layout, render.c), in kept_arena, for the next writer of the
   * document. Valid until the next read. */
  void **kept_extra;
  Arena *kept_arena;
} ViewReader;

/* Reads the list of blocks at stack index idx (a table) into *out. `where` names it in
 * messages ("doc.blocks", "{roadmap}"). On VIEW_BAD reader->message says why. The Lua stack is
 * left as it was. */
ViewStatus view_read_blocks(ViewReader *reader, int idx, const char *where, ViewPlace place,
                            ViewBlocks *out);

/* One document's reads shared by its writers. A document's PDF, DOCX and ODT are made from
 * the same view, and each read its rich-text and table values again (the DOCX and the ODT read
 * the same tables to the same models: measured on region-20, 3,650 of 3,650). A share keeps
 * what view_read_blocks (a cell's or a box's blocks) and view_read_table make of a table, and
 * each table among the blocks of a document (a PDF's doc.blocks, which itself is not kept),
 * by the table's address, in an arena of its own, and hands it to the next read of the same
 * table: the same model, as a read depends on nothing but the table (`where` names it only in
 * a message; a read that fails is not kept). A value of more than 4,000 cells or blocks, and
 * anything past 8 MB, is not kept: it is read into the caller's arena as without a share.
 *   view_share_new pushes the state's share, emptied (there is one a state: a new document
 * begins, the last one's reads are forgotten); its __close empties it again. It keeps the
 * tables read from the collector, so that no address is used again while it remembers it.
 *   view_share_use(L, idx) makes the share at idx the one the reads of L use, until the next
 * call (idx 0: none); false when the value at idx is not the share (then none is used).
 * The caller promises that the tables read do not change while the share serves them
 * (commands/build.lua: a document's view, done before its files are written). */
void view_share_new(lua_State *L);
bool view_share_use(lua_State *L, int idx);

/* A share of one reader's own (a fitted form's trial, pdf_lua.c): what it keeps of the tables
 * among a document's blocks, read once for the form's trials and its PDF at the end of its
 * view, is given to the document's share when the PDF is made (view_share_give), so that its
 * DOCX and ODT do not read those tables again.
 *   view_share_new_own pushes a new, empty one, not the state's: it lives as long as it is
 * referenced (its holder's, then the state's share's until that is emptied).
 *   view_share_use_own(L, idx) makes the own share at idx the one the reads of L use (idx 0,
 * or a value that is no share: none), as view_share_use does the state's.
 *   view_share_give(L, own) hands what the own share at `own` keeps to the share in use, if
 * any (false when none is, or it is the own one): the share in use then serves those tables
 * to the writers as if it had read them, and holds the own share until it is emptied. The
 * caller promises, as for view_share_use, that the tables did not change since they were
 * read (common.fit_one_page: a form's view is done when it is fitted). */
void view_share_new_own(lua_State *L);
void view_share_use_own(lua_State *L, int idx);
bool view_share_give(lua_State *L, int own);

/* Marks the table at idx frozen: a promise that neither it nor any table inside it changes
 * again. What a read makes of it as a block, a cell or a row is then kept across documents,
 * for as long as the table lives, and given to the later reads of it (view.c: frozen
 * tables). A new field is refused (its __newindex raises); the caller answers for the fields
 * it has, and for the tables inside. Raises when the table already has another metatable. */
void view_freeze(lua_State *L, int idx);

/* Reads one block (a table with a type) at idx. */
ViewStatus view_read_block(ViewReader *reader, int idx, const char *where, ViewPlace place,
                           ViewBlock *out);

/* Reads a table value (type = "table") at idx. */
ViewStatus view_read_table(ViewReader *reader, int idx, const char *where, ViewTable *out);

/* The kind a value has without reading it whole: VIEW_TABLE for a table value, VIEW_QR for a
 * QR code, VIEW_PARA for rich text (a list whose first element is a para, list or space
 * block), -1 for anything else. Raw access only. */
int view_kind_of(lua_State *L, int idx);

/* Single fields of the table at idx, for what a writer reads around the blocks (the PDF's
 * page, fonts and document information): raw access, with the checks and the messages of the
 * blocks' own fields. An absent field gives the default; VIEW_BAD says why in
 * reader->message. Strings are copied into the reader's arena. */
ViewStatus view_number(ViewReader *reader, int idx, const char *where, const char *key, double def,
                       double min, double max, double *out);
ViewStatus view_string(ViewReader *reader, int idx, const char *where, const char *key,
                       const char **out);
/* out: the index of the value among names (NULL-terminated), def when absent. */
ViewStatus view_choice(ViewReader *reader, int idx, const char *where, const char *key,
                       const char *const *names, int def, int *out);
/* Pushes the table at field key and sets *present; pushes nothing when the field is absent
 * (and when it is not a table: VIEW_BAD). */
ViewStatus view_push_table(ViewReader *reader, int idx, const char *where, const char *key,
                           bool *present);

#endif
