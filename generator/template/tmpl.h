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

typedef struct {
  int is_item; /* list item: label + tab + runs, hanging indent */
  int ordered;
  char *label;
  int level;
  RichRun *runs;
  size_t nruns;
} RichPara;

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
