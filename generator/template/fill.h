/*
 * fill: the state of one fill and the steps that work on it, each in a file of its own:
 *   parts.c    which entries of the package are filled, in which format, and which are only
 *              looked at for tags left unfilled (a warning)
 *   compile.c  a part's paragraphs: tags found in the joined text, moved whole into the text
 *              node where they start and replaced by markers; loops paired and classified
 *   values.c   looking names up in the view (raw access: no metamethod runs), filters, what a
 *              value is (text, rich text, table, list, nothing)
 *   render.c   markers met in document order: values written, loops repeated
 *   keep.c     what a loop's tag paragraphs hold besides their tags (page breaks, sections,
 *              drawings, bookmarks, fields) is kept; ids made unique after copies
 *   picture.c  pictures the fill adds (the QR-code requisite): the drawing or frame, the
 *              image entry and the package's bookkeeping (relationships, content types, manifest)
 *   prepared.c a template's package, parsed and compiled parts kept per process, so that
 *              later fills of the same template bytes start from copies of them
 *   engine.c   the whole fill: limits, the protected call, writing the package
 * Everything allocated hangs off Fill, which engine.c frees whatever happened.
 */
#ifndef NASTAVNIK_TEMPLATE_FILL_H
#define NASTAVNIK_TEMPLATE_FILL_H

#include "rowmemo.h"
#include "template.h"
#include "tmpl.h"
#include "zip/package.h"

/* Limits: each exceeded one is an error naming it (README "Limits"). */
#define LIMIT_PARTS_BYTES ((size_t)64 << 20) /* uncompressed parts read, all together */
#define LIMIT_TAGS_PER_PART 100000
#define LIMIT_LOOP_DEPTH 64
#define LIMIT_COPIES 200000                    /* loop bodies copied in one fill */
#define LIMIT_OUTPUT_BYTES ((size_t)128 << 20) /* the filled parts, written out */

#define MARK_OPEN '\x01'
#define MARK_CLOSE '\x02'

typedef struct {
  const char *name; /* entry name */
  long index;
  const TmplFormat *fmt;
  xmlDoc *doc;
  Tag *tags;
  size_t ntags, cap;
  int shared_tags;    /* tags belong to a prepared template (prepared.c): read only */
  xmlNode **tag_node; /* compile time: text node and paragraph of each tag */
  xmlNode **tag_para;
  char *pending; /* compile: a tag left open at the end of the last paragraph, with
                    the paragraph's text (said with the next one if it closes there) */
  long pending_offset;
  char *pending_raw;    /* that tag's text so far */
  unsigned char *quiet; /* per tag: nothing more to say about it (said once, or follow-on) */
  int copied;           /* a loop body was copied into it: ids to make unique */
  int restructured;     /* paragraphs, rows or tables were added or taken away */
  int may_have_ids;     /* its bytes mention drawings, bookmarks, frames or xml:ids */
  TmplOut out;          /* the serialized part */
} Part;

typedef struct FillPicture FillPicture; /* picture.c */

typedef struct {
  lua_State *L;
  int view, filters; /* absolute stack indices; filters 0 when none */
  const char *template_path, *out_path;
  TemplateOptions options;
  const TmplFormat *fmt; /* the main part's format */
  ZipPackage *pkg;
  int pkg_shared;            /* pkg belongs to a prepared template */
  char *bytes;               /* the template file read (malloc'd), while the fill owns it */
  size_t nbytes;             /* its size */
  struct Prepared *prepared; /* the prepared template this fill started from, or NULL */
  struct Prepared *keeping;  /* one being made of this fill (freed if not finished) */
  Part *parts;
  size_t nparts;
  Part *cur;
  ErrList errors, warnings;
  int scopes[LIMIT_LOOP_DEPTH + 2];
  int nscopes;
  /* for messages: the loop and item index (0: not a list) of each scope above the view */
  const char *loop_names[LIMIT_LOOP_DEPTH + 2];
  long loop_items[LIMIT_LOOP_DEPTH + 2];
  Buf tmp, tmp2; /* scratch for value text */
  Arena scratch; /* a rich or table value being written (emptied after each) */
  long copies;
  size_t parts_bytes; /* uncompressed bytes of the parts read */
  size_t growth;      /* an estimate of what rendering added, against LIMIT_OUTPUT_BYTES */
  int over_limit;     /* a limit was reached: rendering stops */
  /* ODT styles.xml (page layouts, for the width of tables): a parsed part's tree, or one of
   * our own (styles_owned) */
  xmlDoc *styles;
  int styles_owned, styles_tried;
  FillPicture *pictures; /* added by picture.c */
  size_t npictures;
  ZipPart *added; /* entries added or replaced besides the parts (picture_finish) */
  size_t nadded;
  TmplRowMemo row_memo; /* what tables are given to remember their rows with (rowmemo.h) */
  RowMark *row_pending; /* rows marked to be remembered when written */
} Fill;

/* ---- messages about a tag (engine.c) ---- */
void fill_tag_error(Fill *f, const Tag *t, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A limit reached: said once, rendering stops. */
void fill_limit(Fill *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- parts.c ---- */
/* Decides the format and the parts to fill (f->parts, their docs parsed later by engine.c).
 * Returns 0, or -1 with an error added. */
int parts_plan(Fill *f);
/* Reads entry i of the package, counting it against LIMIT_PARTS_BYTES. NULL with an error. */
char *parts_read(Fill *f, size_t i, size_t *size);

/* ---- compile.c ---- */
/* Compiles part p (its tree parsed): tags, markers, loop pairs and kinds. */
void compile_part(Fill *f, Part *p);
/* What compile_part says of this fill's filters, for a part compiled by an earlier fill: a
 * filter the tags name that f's filters table lacks. */
void compile_check_filters(Fill *f, Part *p);
/* Reads the marker at s (pointing at MARK_OPEN); returns its id and its length in *mlen, or
 * -1 (with *mlen 1) when it is not one. */
long marker_read(const char *s, size_t *mlen);
/* Finds marker id in text node t; returns its byte offset or -1. */
long marker_find(xmlNode *t, long id, size_t *mlen);
/* The paragraph holding n (n itself when it is one), or NULL. */
xmlNode *fill_paragraph_of(const TmplFormat *fmt, xmlNode *n);
/* The node directly under the split container holding text node t: DOCX its w:r, ODT the
 * child of the paragraph. */
xmlNode *fill_run_top(const TmplFormat *fmt, xmlNode *t, xmlNode *para);

/* ---- values.c ---- */
/* Pushes the value of tag t in the current scopes (filters applied). Returns 1 when found;
 * when not, pushes nil (or "" with --missing=empty) and, if report, says what is missing. */
int values_push(Fill *f, const Tag *t, int report);
/* How many times a loop over the value at idx goes (inverse: 1 or 0), and whether its items
 * are taken by index. */
long values_loop_count(Fill *f, int idx, int inverse, int *by_index);
/* Whether a filter of that name exists. */
int values_filter_known(Fill *f, const char *name);

/* ---- render.c ---- */
void render_part(Fill *f, Part *p);

/* ---- prepared.c ---- */
/* Reads the template and opens its package (f->pkg). Returns 1 when the same bytes were
 * prepared before at the same path (f->prepared; prepared_apply makes the parts), 0 when the
 * fill must plan, parse and compile them itself, -1 after adding an error. */
int prepared_open(Fill *f);
/* f->parts, f->fmt, the warnings and the ODT styles of f->prepared, with copies of its trees. */
void prepared_apply(Fill *f);
/* Keeps what this fill planned, parsed and compiled (without a single error) for the next
 * fills of the same template; the cache is bounded and forgets the least recently used. */
void prepared_keep(Fill *f);
/* Frees what the fill still owns of the above (f->bytes, an unfinished f->keeping). */
void prepared_release(Fill *f);

/* ---- picture.c ---- */
/* Puts the QR code of the value at v (a view's { type = "qr" }) in place of run-level node run
 * of the current part; returns the node that took its place, or NULL after saying what is
 * wrong. */
xmlNode *picture_qr(Fill *f, const Tag *tag, xmlNode *run, int v);
/* Once every part is filled: the pictures' entries and what the package needs to show them
 * (DOCX: relationships, the png content type; ODT: the manifest), in f->added. */
void picture_finish(Fill *f);
void picture_free(Fill *f);
/* ---- keep.c ---- */
/* After a part is rendered: bookmark names and ids, drawing ids made unique where loop copies
 * repeated them (DOCX wp:docPr and w:bookmarkStart; ODT draw:name, xml:id, text:bookmark). */
void keep_unique_ids(Fill *f, Part *p);

#endif
