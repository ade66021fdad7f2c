/*
 * Internal declarations of the template room, by the file that offers them:
 *   errors.c    the list of messages a fill collects
 *   tags.c      the format-agnostic tag lexer, parser and loop pairing
 *   xml.c       tree helpers (linking, copying, creating nodes; out of memory raised)
 *   text.c      buffers, cleaning value text, cutting it into segments
 *   rich.c      rich text and table values of the view (view/view.h) made ready to write
 *   docx.c, odt.c, dml.c, plain.c   the formats: which elements are paragraphs, runs, text...
 *   serialize.c writing a tree back to bytes
 *   rowmemo.c   table rows and paragraphs remembered as written, per process (rowmemo.h)
 * The engine's own state and steps (compile, values, render, keep, parts) are in fill.h.
 */
#ifndef NASTAVNIK_TMPL_H
#define NASTAVNIK_TMPL_H

#include <libxml/tree.h>
#include <lua.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "view/view.h"

/* ---- messages (errors.c) ---- */
typedef struct {
  char **items;
  size_t count, cap;
} ErrList;

#define TMPL_MAX_ERRORS 200
/* Adds a message (said once: the same text twice is kept once). Raises out of memory. */
void errlist_addf(ErrList *list, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void errlist_free(ErrList *list);

/* ---- tags (tags.c) ---- */
typedef enum { TAG_TEXT, TAG_OPEN, TAG_INVERSE, TAG_CLOSE } TagType;
typedef enum { LOOP_NONE, LOOP_INLINE, LOOP_PARA, LOOP_SPLIT, LOOP_ROW } LoopKind;

typedef struct {
  TagType type;
  char *raw;   /* as written, braces included */
  char *name;  /* trimmed: "org.head.name", "." */
  char **path; /* components of name; npath 0 for "." */
  int npath;
  char **filters; /* filter names, in order */
  int nfilters;
  int broken;   /* reported as unsupported: kept only so that its loop pairs up */
  long partner; /* the matching open/close tag, or -1 */
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

/* Finds the {...} tags of one paragraph's text. Spans and errors are arrays allocated through
 * memory.h (free with free()). Returns 0, or -1 when out of memory. */
int tags_lex(const char *text, size_t len, TagSpan **spans, size_t *nspans, LexError **errors,
             size_t *nerrors);

/* Fills tag (type, raw, name, path, filters) from the tag text raw[0..len) (braces included).
 * Returns NULL, or a static message explaining what is wrong with it; for syntax docxtemplater
 * has and this engine does not, the message says what to write instead and the tag is marked
 * broken but keeps its type and name (a loop so written still pairs with its {/x}). Out of
 * memory gives TAGS_NO_MEMORY. */
const char *tags_parse(const char *raw, size_t len, Tag *tag);
extern const char TAGS_NO_MEMORY[];
void tags_free(Tag *tag);

/* Pairs loop tags (tags[i].partner); a mismatch is added to errors through the callback.
 * Returns 0, or -1 when out of memory. */
typedef void (*TagErrorFn)(void *ud, size_t tag_index, const char *fmt, ...);
int tags_match(Tag *tags, size_t n, TagErrorFn report, void *ud);

/* Number of UTF-8 characters in s[0..len). */
long utf8_chars(const char *s, size_t len);

/* ---- tree helpers (xml.c); every creation raises out of memory instead of answering NULL ---- */
void tmpl_set_raise_state(lua_State *L); /* the fill's state, where out of memory is raised */
/* Which fill runs (a new number at every fill's start): what a format remembers in static
 * storage about a fill's trees is of no use, and points into freed trees, once it changes. */
unsigned long tmpl_fill_number(void);
void tmpl_no_memory(void);     /* raises (returns only outside a fill) */
void *tmpl_check(void *p);     /* p, or raises */
void *tmpl_alloc(size_t size); /* zeroed */
void *tmpl_grow(void *p, size_t count, size_t size);
char *tmpl_strndup(const char *s, size_t n);

/* Whether name reads `lit`. When lit is a string literal (its length known where this is
 * inlined) its bytes are compared in place, one by one, the loop unrolled: a call to strcmp
 * cost a few dozen instructions, mostly for names that differ in their first bytes, and the
 * walks compare names with literals millions of times a build. Otherwise strcmp. (No byte
 * past either string's NUL is read: a shorter name differs at its NUL.) */
static inline __attribute__((always_inline)) int tmpl_name_is(const xmlChar *name,
                                                              const char *lit) {
  if (!__builtin_constant_p(__builtin_strlen(lit))) return strcmp((const char *)name, lit) == 0;
  size_t n = __builtin_strlen(lit);
  _Pragma("GCC unroll 32") for (size_t i = 0; i < n; i++) if (name[i] != (xmlChar)lit[i]) return 0;
  return name[n] == 0;
}

/* Whether e is element `name` of namespace `ns`. Inline, the names compared before the
 * namespaces (tmpl_name_is): the walks ask it millions of times a build, mostly of elements
 * it is not. */
static inline int tmpl_is(const xmlNode *e, const char *ns, const char *name) {
  return e && e->type == XML_ELEMENT_NODE && e->ns && e->name[0] == (xmlChar)name[0] &&
         tmpl_name_is(e->name, name) && strcmp((const char *)e->ns->href, ns) == 0;
}
void tmpl_insert_after(xmlNode *cur, xmlNode *n);
void tmpl_insert_before(xmlNode *cur, xmlNode *n);
void tmpl_append_child(xmlNode *parent, xmlNode *n);
void tmpl_unlink(xmlNode *n);
void tmpl_remove(xmlNode *n); /* unlinks and frees */
/* A copy of element n (with its attributes; with its children when deep) for the same document,
 * using the namespace declarations in scope at n instead of declaring them again. */
xmlNode *tmpl_copy(xmlNode *n, int deep);
/* The copying of images (treecopy.c, and odt.c's style images): n bytes copied from s to d
 * (a copy made once and copied again and again); the pointers at the offsets of bytes moved by
 * delta (an image's inner pointers, stored as offsets, made pointers to where it lands). */
void tmpl_copy_bytes(unsigned char *d, const unsigned char *s, size_t n);
void tmpl_relocate(unsigned char *bytes, const uint32_t *offsets, size_t n, uintptr_t delta);
/* The top-level nodes of prepared tree doc copied for `copy` (its dictionary a sub-dictionary
 * of doc's), allocated in the fill's arena (treecopy.c); NULL when
 * the tree holds what this copy does not do (or memory ran out): libxml2's copy then. */
xmlNode *tmpl_copy_prepared(xmlDoc *copy, const xmlDoc *doc);
/* tmpl_copy_prepared's copy of doc made once (treecopy.c), or NULL when it cannot be (what
 * tmpl_copy_prepared gives up on, or memory ran out); tmpl_image_copy gives a fill the same
 * tree for less, inside a fill's arena only, or NULL (then tmpl_copy_prepared). */
typedef struct TmplImage TmplImage;
TmplImage *tmpl_image_make(const xmlDoc *doc);
xmlNode *tmpl_image_copy(xmlDoc *copy, TmplImage *image); /* (kept as the copy reads) */
void tmpl_image_free(TmplImage *image);
/* What a fill's copy of an image still holds as it was copied (treecopy.c): tmpl_same_begin
 * finds the copy that holds doc's root in the fill running now (0: none; else the copy's
 * block, [*base, *base + *size)); tmpl_same then answers, for an element inside that block, its
 * subtree's entry when nothing in the subtree has changed since it was copied (NULL: changed,
 * or a subtree too small to be asked of). An entry keeps the bytes its subtree was written as
 * (tmpl_same_keep, once; tmpl_same_bytes NULL until then): what every fill writes of it. */
typedef struct TmplSame TmplSame;
int tmpl_same_begin(const xmlDoc *doc, uintptr_t *base, size_t *size);
TmplSame *tmpl_same(const xmlNode *n);
const char *tmpl_same_bytes(const TmplSame *s, size_t *len);
void tmpl_same_keep(TmplSame *s, const char *bytes, size_t len);
/* Sibling elements first..last copied as tmpl_copy(n, 1) copies each, once, for as many copies
 * as a loop makes within one fill's arena (treecopy.c): 0, or -1 when tmpl_copy must make them
 * (anything it would not copy itself, no arena, memory that ran out: memory_failed()). Lives
 * in the arena. tmpl_stamp_copy puts the nroots copies in out (raises out of memory). */
typedef struct {
  unsigned char *bytes;
  size_t size;
  uint32_t *inner; /* offsets of the pointers into the copy */
  size_t ninner;
  size_t *roots; /* offsets of the copies of first..last */
  size_t nroots;
} TmplStamp;
int tmpl_stamp_make(TmplStamp *stamp, xmlNode *first, xmlNode *last);
/* The same, each copy as tmpl_copy_element_at(n, dest, 1) makes it. */
int tmpl_stamp_make_at(TmplStamp *stamp, xmlNode *first, xmlNode *last, const xmlNode *dest);
void tmpl_stamp_copy(const TmplStamp *stamp, xmlNode **out);
/* tmpl_copy's usual case, as xmlDOMWrapCloneNode does it but sharing the names and the
 * namespace declarations in scope at n (treecopy.c); NULL when n is not a plain element of a
 * document with a dictionary, or its subtree holds what libxml2's copy must do (an xml:id, a
 * namespace not in scope, ...), or memory ran out (memory_failed() then says so). */
xmlNode *tmpl_copy_element(xmlNode *n, int deep);
/* The same as if n stood under dest (the declarations in scope there): for a node made once
 * and copied where another one like it was to be made. */
xmlNode *tmpl_copy_element_at(xmlNode *n, const xmlNode *dest, int deep);
/* xmlSearchNsByHref(node->doc, node, href), the same answer for less: libxml2 compares each
 * declaration byte by byte, and a part's root declares dozens (an ODT fill asked 50,000 times). */
xmlNs *tmpl_ns_by_href(xmlNode *node, const char *href);
xmlNode *tmpl_new_element(xmlNode *like, xmlNs *ns, const char *name);
/* libxml2's xmlNewDocNode (no content), xmlNewNsProp, xmlSetNsProp and
 * xmlNodeSetSpacePreserve(e, 1), the same nodes made by hand in a fill's arena (xml.c);
 * out of memory raises. */
xmlNode *tmpl_doc_node(xmlDoc *doc, xmlNs *ns, const char *name);
xmlAttr *tmpl_new_prop(xmlNode *e, xmlNs *ns, const char *name, const char *value);
xmlAttr *tmpl_set_prop(xmlNode *e, xmlNs *ns, const char *name, const char *value);
void tmpl_space_preserve(xmlNode *e);
xmlNode *tmpl_new_text(xmlDoc *doc, const char *text);
void tmpl_set_attr(xmlNode *e, xmlNs *ns, const char *name, const char *value);
/* Replaces the text of text node t. */
void tmpl_set_text(xmlNode *t, const char *text, size_t len);
/* The nearest ancestor of n (below stop) for which is() holds, or NULL. */
xmlNode *tmpl_ancestor(xmlNode *n, int (*is)(const xmlNode *), xmlNode *stop);
xmlNode *tmpl_find_child(xmlNode *parent, const char *ns, const char *name);
/* xmlGetNsProp(e, name, ns_href), the same answer for less (xml.c); xmlFree it. */
xmlChar *tmpl_ns_prop(const xmlNode *e, const xmlChar *name, const xmlChar *ns_href);

/* ---- text (text.c) ---- */
typedef struct {
  char *data;
  size_t len, cap;
} Buf;
void buf_add(Buf *b, const char *s, size_t n); /* keeps a NUL after the bytes */
void buf_str(Buf *b, const char *s);
void buf_free(Buf *b);
/* v in decimal into buf, returned (snprintf's "%ld" for less: tables and fitted documents print
 * thousands of numbers). */
const char *tmpl_decimal(char buf[24], long v);

/* Appends what XML 1.0 can hold of s[0..n): control characters but \t and \n go (\r\n and \r
 * become \n), and U+FFFE/U+FFFF; broken UTF-8 becomes U+FFFD. */
void tmpl_sanitize(Buf *out, const char *s, size_t n);

typedef enum { SEG_TEXT, SEG_BREAK, SEG_TAB, SEG_SPACES } SegKind;
typedef struct {
  SegKind kind;
  size_t start, len; /* text in the source string */
  int n;             /* SEG_SPACES: how many */
} Seg;
typedef struct {
  Seg *items;
  size_t count, cap;
} Segs;

struct TmplFormat;
/* Cuts clean text into text, break, tab and space-run segments (as the format writes them). */
size_t tmpl_segment(const struct TmplFormat *fmt, const char *s, size_t n, Segs *out);
/* Whether s[0..n) is one text segment as fmt writes it (tmpl_segment would give only that): no
 * newline or tab when the format breaks lines, no two spaces together when it collapses them. */
int tmpl_one_segment(const struct TmplFormat *fmt, const char *s, size_t n);
/* Appends the segments of text as last children of parent (like: a node of the same part). */
void tmpl_append_text(const struct TmplFormat *fmt, xmlNode *parent, xmlNode *like,
                      const char *text);

/* ---- words never hyphenated (whole.c) ---- */
typedef struct TmplRowMemo TmplRowMemo; /* rowmemo.h */

typedef struct {
  const char *const *stems; /* lower-case UTF-8 stems: months, organisations' own words */
  size_t count;
  /* paragraphs remembered as they were written (rowmemo.h), the key begun with the stems; or
   * NULL: every paragraph cut */
  TmplRowMemo *memo;
} TmplProtect;

typedef struct {
  size_t start, end; /* byte offsets; end exclusive */
} TmplSpan;

/* The words of s[0..len) a word processor must never hyphenate (the PDF layout's policy:
 * capitalised words, numbers, dates, addresses, protected stems), as byte spans into *out
 * (grown with tmpl_grow, *cap its capacity); returns how many. */
size_t tmpl_whole_words(const TmplProtect *protect, const char *s, size_t len, TmplSpan **out,
                        size_t *cap);

/* ---- a document shrunk to fit one page (TemplateOptions.fit; docx.c, odt.c) ---- */
typedef struct {
  double size;    /* pt added to every font size the part sets (-1: a point smaller) */
  double leading; /* the line spacing, a multiple of single */
  double space;   /* the space between paragraphs (and empty lines), a multiple */
} TmplFit;

/* ---- rich text and tables ready to write (rich.c) ---- */
typedef ViewAlign TmplAlign; /* TMPL_ALIGN_NONE: the template paragraph's alignment */
#define TMPL_ALIGN_NONE VIEW_ALIGN_NONE
typedef ViewVAlign TmplVAlign;
#define TMPL_VALIGN_NONE VIEW_VALIGN_NONE

typedef struct {
  char *text; /* cleaned (tmpl_sanitize) */
  int bold, italic;
} RichRun;

/* One paragraph to write: a para block, one item of a list, or a space block. */
typedef struct {
  int is_item; /* list item: label + tab + runs, hanging indent */
  int ordered;
  char *label;
  int level;
  RichRun *runs;
  size_t nruns;
  TmplAlign align; /* the block's own "align" */
  double space_mm; /* > 0: a {type="space"} block, an empty line of that height */
  double size_pt;  /* > 0: the block's own size (else the table's or the template's) */
  int keep_next;   /* on the page of the paragraph after it (a heading) */
  int no_hyphens;  /* never hyphenated (hyphenate = false: a name, a heading) */
} RichPara;

/* The paragraphs of rich-text blocks (allocated in the arena; raises out of memory). */
size_t rich_paragraphs(Arena *arena, const ViewBlocks *blocks, RichPara **out);

typedef struct {
  RichPara *paras;
  size_t nparas;
  size_t row;
  int col;              /* first grid column; -1 when it did not fit */
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

/* How a row breaks across pages, from the view: the layout's rules as the formats carry them. */
typedef struct {
  int cant_split; /* the row never breaks across pages (keep_together: a short row) */
  int keep_next;  /* on the page of the row after it: a stage heading, a short group's rows
                   * but its last, every row of a table kept together but its last */
} TmplRow;

typedef struct {
  size_t ncols, nrows, header_rows;
  TmplRow *rows;     /* nrows */
  int keep_together; /* the whole table on one page when it fits */
  double *col_mm;    /* column widths */
  double width_mm;   /* their sum */
  int width_known;   /* 0: the text width was not found; the widths assume 170 mm */
  int borders;
  double padding_mm; /* every side of every cell, as the PDF's (the widths assume it) */
  double size_pt;    /* 0: the template's size */
  TmplCell *cells;
  size_t ncells;
  TmplSlot *grid; /* nrows x ncols, row-major */
  /* rows remembered between fills (rowmemo.h), or NULL: every row built */
  TmplRowMemo *memo;
} TmplTable;

/* Lays the view's table out on the grid, HTML's way (a row's cells fill the columns left free
 * by rowspans from above), and says how its rows break (TmplRow). Returns 0, or the 1-based
 * number of the first row whose cells do not fit. Allocates in the arena. */
size_t table_layout(Arena *arena, const ViewTable *view, TmplTable *tab);
/* Column widths: mm columns as given, weights share what is left of width_mm. */
void table_widths(Arena *arena, const ViewTable *view, TmplTable *tab, double width_mm);

/* ---- formats (docx.c, odt.c, dml.c, plain.c) ---- */
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
  int has_breaks;       /* "\n" and "\t" become elements (else they stay characters) */
  int collapses_spaces; /* ODT: runs of spaces must be written as text:s */
  /* Replaces paragraph p (holding tag text node t) by the rich paragraphs; NULL when the
   * format has none (rich text is then written as text). */
  void (*rich)(xmlNode *p, xmlNode *t, const RichPara *paras, size_t n);
  /* The width in mm a table replacing paragraph p may take (the page's text width, or the
   * cell's), or 0 when unknown; styles is the ODT styles.xml (page layouts), NULL for DOCX. */
  double (*text_width)(xmlNode *p, xmlDoc *styles);
  /* Replaces paragraph p (holding tag text node t) by a native table; NULL: no tables here. */
  void (*table)(xmlNode *p, xmlNode *t, const TmplTable *tab);
  /* After a part is rendered: what the format's rules need (DOCX: a cell, header or note ends
   * with a paragraph; a table is followed by one where it would end the body or touch another
   * table). */
  void (*finish)(xmlNode *root);
  /* After a part is rendered, when the fill asks for it: the words never hyphenated
   * (tmpl_whole_words) of every paragraph that may be hyphenated are set apart as text of no
   * language (DOCX w:lang "zxx" and w:noProof, ODT a span of fo:language "zxx"). NULL: none. */
  void (*keep_whole)(xmlNode *root, const TmplProtect *protect);
  /* After a part is rendered, when the fill asks for it: the sizes the PDF layout chose to
   * keep the document on one page, set on what the part says itself (DOCX every w:sz and
   * paragraph's spacing, ODT the automatic styles of content.xml). NULL: none. */
  void (*fit)(xmlNode *root, const TmplFit *fit);
} TmplFormat;

extern const TmplFormat tmpl_docx;
extern const TmplFormat tmpl_odt;
/* The first style:style named `name` in ODT automatic-styles element `styles` (odt.c), or
 * NULL; *alone (when asked) is 1 when the answer is known to be the only one of its name. */
xmlNode *tmpl_odt_style(xmlNode *styles, const char *name, int *alone);
extern const TmplFormat tmpl_dml;   /* DrawingML text: charts, SmartArt (a:p, a:r, a:t) */
extern const TmplFormat tmpl_plain; /* any XML: each element's own text (docProps, customXml) */

/* ---- serialize.c ---- */
typedef struct {
  char *data;
  size_t len, cap;
  size_t limit; /* 0: none; past it the writing stops and `over` is set */
  int over;
} TmplOut;
/* Appends the XML of doc (declaration included) to o. Raises out of memory. */
void tmpl_serialize(TmplOut *o, const xmlDoc *doc);
/* Appends the XML of node n as it stands (no namespace declared again): what a key of
 * rowmemo.h says of the template's properties. Out of memory sets o->over. */
void tmpl_serialize_node(TmplOut *o, const xmlNode *n);

#define NS_W "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_WP "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
#define NS_A "http://schemas.openxmlformats.org/drawingml/2006/main"
#define NS_TEXT "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
#define NS_TABLE "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
#define NS_STYLE "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
#define NS_FO "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
#define NS_OFFICE "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define NS_DRAW "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
#define NS_XML "http://www.w3.org/XML/1998/namespace"

#endif
