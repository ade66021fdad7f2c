/*
 * Internal declarations of the template room: the format-agnostic tag lexer and parser
 * (tags.c), the two formats (docx.c, odt.c) and the engine that works on libxml2 trees
 * (engine.c).
 */
#ifndef NASTAVNIK_TMPL_H
#define NASTAVNIK_TMPL_H

#include <libxml/tree.h>
#include <stddef.h>

/* ---- error list ---- */
typedef struct {
  char **items;
  size_t count, cap;
} ErrList;

#define TMPL_MAX_ERRORS 200
void errlist_addf(ErrList *list, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void errlist_free(ErrList *list);

/* ---- tags (tags.c) ---- */
typedef enum { TAG_TEXT, TAG_OPEN, TAG_INVERSE, TAG_CLOSE } TagType;
typedef enum { LOOP_NONE, LOOP_INLINE, LOOP_PARA, LOOP_ROW } LoopKind;

typedef struct {
  TagType type;
  char *raw;      /* as written, braces included */
  char *name;     /* trimmed: "org.head.name", "." */
  char **path;    /* components of name; npath 0 for "." */
  int npath;
  char **filters; /* filter names, in order */
  int nfilters;
  long partner;   /* the matching open/close tag, or -1 */
  LoopKind kind;
  int alone;      /* the tag is all its paragraph holds */
  int rows_alone; /* row loop: 1 the open tag's row holds nothing else, 2 the close tag's */
  char *context;  /* the paragraph's text around the tag */
  long offset;    /* 1-based character position of the tag in its paragraph */
} Tag;

typedef struct {
  size_t start, end; /* byte offsets in the paragraph text; end exclusive; braces included */
} TagSpan;

typedef struct {
  size_t pos;
  const char *message;
} LexError;

/* Finds the {...} tags of one paragraph's text. Spans and errors are malloc'd arrays. */
void tags_lex(const char *text, size_t len, TagSpan **spans, size_t *nspans, LexError **errors,
              size_t *nerrors);

/* Fills tag (type, raw, name, path, filters) from the tag text raw[0..len) (braces included).
 * Returns NULL, or a static message explaining what is wrong with it. */
const char *tags_parse(const char *raw, size_t len, Tag *tag);
void tags_free(Tag *tag);

/* Pairs loop tags (tags[i].partner); a mismatch is added to errors through the callback. */
typedef void (*TagErrorFn)(void *ud, size_t tag_index, const char *fmt, ...);
void tags_match(Tag *tags, size_t n, TagErrorFn report, void *ud);

/* Number of UTF-8 characters in s[0..len). */
long utf8_chars(const char *s, size_t len);

/* ---- rich text, already read from Lua ---- */
typedef struct {
  char *text;
  int bold, italic;
} RichRun;

typedef enum {
  TMPL_ALIGN_NONE, /* the template paragraph's alignment */
  TMPL_ALIGN_LEFT,
  TMPL_ALIGN_CENTER,
  TMPL_ALIGN_RIGHT,
  TMPL_ALIGN_JUSTIFY
} TmplAlign;

typedef enum { TMPL_VALIGN_NONE, TMPL_VALIGN_TOP, TMPL_VALIGN_MIDDLE, TMPL_VALIGN_BOTTOM } TmplVAlign;

typedef struct {
  int is_item; /* list item: label + tab + runs, hanging indent */
  int ordered;
  char *label;
  int level;
  RichRun *runs;
  size_t nruns;
  TmplAlign align; /* the block's own "align" */
  double space_mm; /* > 0: a {type="space"} block, an empty line of that height */
} RichPara;

/* ---- table values ({type = "table", ...}), already read from Lua and laid out ---- */
typedef struct {
  RichPara *paras;
  size_t nparas;
  size_t row;
  int col;              /* first grid column; -1 when it did not fit (an error was reported) */
  int colspan, rowspan; /* clipped to the grid */
  TmplAlign align;      /* for paragraphs without an align of their own */
  TmplVAlign valign;
  int bold;
} TmplCell;

typedef enum {
  SLOT_EMPTY,  /* no cell given for it: an empty cell */
  SLOT_START,  /* a cell starts here */
  SLOT_ACROSS, /* covered by the colspan of a cell starting left of it in the row */
  SLOT_BELOW   /* covered by the rowspan of a cell above (every column the cell spans) */
} TmplSlotKind;

typedef struct {
  TmplSlotKind kind;
  const TmplCell *cell; /* the cell that owns the slot; NULL when empty */
} TmplSlot;

typedef struct {
  size_t ncols, nrows, header_rows;
  double *col_mm;  /* column widths */
  double width_mm; /* their sum */
  int width_known; /* 0: the text width was not found; the widths assume 170 mm */
  int borders;
  double size_pt; /* 0: the template's size */
  TmplCell *cells;
  size_t ncells;
  TmplSlot *grid; /* nrows x ncols, row-major */
} TmplTable;

/* ---- formats (docx.c, odt.c) ---- */
typedef enum { SEG_TEXT, SEG_BREAK, SEG_TAB, SEG_SPACES } SegKind;

typedef struct TmplFormat {
  const char *name;
  int (*is_paragraph)(const xmlNode *e);
  int (*is_text_parent)(const xmlNode *e); /* its text-node children are document text */
  int (*is_row)(const xmlNode *e);
  int (*is_cell)(const xmlNode *e);
  int (*is_run)(const xmlNode *e);   /* where splitting stops going up (DOCX w:r) */
  int (*is_props)(const xmlNode *e); /* copied rather than moved when splitting (w:rPr) */
  /* The node at run-content level holding text node t: DOCX its w:t, ODT t itself. */
  xmlNode *(*holder)(xmlNode *t);
  /* A new node at run-content level: text (a w:t or a text node), break, tab or n spaces;
   * like is a node of the same part, for namespaces. */
  xmlNode *(*new_segment)(xmlNode *like, SegKind kind, const char *text, int n);
  /* Marks a text holder whose text has changed (DOCX: xml:space="preserve"). */
  void (*touch)(xmlNode *holder);
  int collapses_spaces; /* ODT: runs of spaces must be written as text:s */
  /* Replaces paragraph p (holding tag text node t) by the rich paragraphs. */
  void (*rich)(xmlNode *p, xmlNode *t, const RichPara *paras, size_t n);
  /* The width in mm a table replacing paragraph p may take (the page's text width, or the
   * cell's), or 0 when unknown; styles is the ODT styles.xml (page layouts), NULL for DOCX. */
  double (*text_width)(xmlNode *p, xmlDoc *styles);
  /* Replaces paragraph p (holding tag text node t) by a native table. */
  void (*table)(xmlNode *p, xmlNode *t, const TmplTable *tab);
  /* After a part with tables is rendered: whatever the format needs around them (DOCX: a
   * paragraph after a table that ends a cell or the body, or that touches another table). */
  void (*tables_done)(xmlNode *root);
} TmplFormat;

extern const TmplFormat tmpl_docx;
extern const TmplFormat tmpl_odt;

/* ---- tree helpers shared by the formats (engine.c) ---- */
int tmpl_is(const xmlNode *e, const char *ns, const char *name);
void tmpl_insert_after(xmlNode *cur, xmlNode *n);
void tmpl_insert_before(xmlNode *cur, xmlNode *n);
void tmpl_append_child(xmlNode *parent, xmlNode *n);
void tmpl_remove(xmlNode *n);
/* A copy of element n (with its attributes; with its children when deep) for the same document,
 * using the namespace declarations in scope at n instead of declaring them again. */
xmlNode *tmpl_copy(xmlNode *n, int deep);
/* Appends the segments of text (line breaks, tabs, space runs) as nodes after `after` (or as
 * last children of parent when after is NULL). */
void tmpl_append_text(const TmplFormat *fmt, xmlNode *parent, xmlNode *like, const char *text);

/* ---- serialize.c ---- */
typedef struct {
  char *data;
  size_t len, cap;
} TmplOut;
/* Appends the XML of doc (declaration included) to o. */
void tmpl_serialize(TmplOut *o, const xmlDoc *doc);

#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_TEXT "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define NS_TABLE "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
#define NS_STYLE "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
#define NS_FO "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
#define NS_OFFICE "urn:oasis:names:tc:opendocument:xmlns:office:1.0"

#endif
