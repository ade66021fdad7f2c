/*
 * rowmemo: the XML a table row of a filled document was written as, remembered per process.
 *
 * A build fills the same templates with tables whose rows are mostly the same from document to
 * document (a consent's form is the same legal text for every person of an organisation, but
 * the line with the name). A row is a pure function of what it was made from — the table's
 * context (the template paragraph's properties, the column widths, the size, the fit of the
 * document) and the row's own cells — so a row made from the same inputs is written as the same
 * bytes. The first time, the row is built as nodes, goes through the post-passes (fit, keep
 * whole, finish) and is serialized; the serializer keeps its bytes under the key of its inputs
 * (a row so marked is "pending"). A later row with the same key is not built: an empty element
 * of the row's name stands in its place, which the post-passes walk past as a row with nothing
 * in it (they would have changed nothing a first time did not), and the serializer writes the
 * remembered bytes there (the mark is "raw").
 *
 * Keys are compared whole (never a hash alone). What a key must hold is the format's business
 * (docx.c, odt.c: everything the row's bytes depend on); a row whose bytes could depend on
 * anything else is never remembered. The memory is bounded (ROWMEMO_BUDGET bytes of keys and
 * rows); when full it stops remembering and is emptied when the next outermost fill starts
 * (nothing then points into it). Nothing here raises: an allocation that fails only means a
 * row is not remembered (memory_failed() still tells the fill, which fails as it would).
 */
#ifndef NASTAVNIK_TEMPLATE_ROWMEMO_H
#define NASTAVNIK_TEMPLATE_ROWMEMO_H

#include <libxml/tree.h>
#include <stddef.h>
#include <string.h>

#include "tmpl.h"

#define ROWMEMO_BUDGET ((size_t)4 << 20)

typedef struct RowMark RowMark; /* what a row's _private points to */

/* A key being put together: values appended with their lengths, so that no two different
 * sequences give the same bytes. */
typedef struct {
  char *data;
  size_t len, cap;
  int failed; /* memory ran out: the key is not whole, nothing is looked up or kept */
} RowKey;

void rowkey_grow(RowKey *k, const void *p, size_t n); /* rowkey_bytes past the room it has */
/* (inlined: a fill puts a million values into keys, and the call was a third of each) */
static inline void rowkey_bytes(RowKey *k, const void *p, size_t n) {
  if (k->failed || k->len + n > k->cap) {
    rowkey_grow(k, p, n);
    return;
  }
  memcpy(k->data + k->len, p, n);
  k->len += n;
}
static inline void rowkey_int(RowKey *k, long v) {
  rowkey_bytes(k, &v, sizeof v);
}
static inline void rowkey_num(RowKey *k, double v) {
  rowkey_bytes(k, &v, sizeof v);
}
void rowkey_str(RowKey *k, const char *s); /* NULL is not "" */
/* The declarations of root (each prefix and namespace): how the names of what is remembered
 * read. */
void rowkey_root(RowKey *k, const xmlNode *root);
/* Element e as it stands, for a key: what tmpl_serialize_node writes of it, its text not
 * escaped but ended (serialize.c). Two keys are the same only when the XML written of the two
 * would be. Returns rowmemo_declares(e), found on the way. */
int rowkey_node(RowKey *k, const xmlNode *e);
/* Whether element e or anything in it declares a namespace. */
int rowmemo_declares(const xmlNode *e);
/* The row's own inputs: how it breaks, and each cell the grid gives it (kind, span, alignment,
 * boldness, every field of its paragraphs). */
void rowkey_row(RowKey *k, const TmplTable *tab, size_t r);

/* What a fill gives a table to remember its rows with (TmplTable.memo). */
struct TmplRowMemo {
  RowKey key;        /* the format puts it together */
  RowMark **pending; /* the fill's list */
  int has_fit;       /* the document will be fitted (TemplateOptions.fit), so: */
  TmplFit fit;
};

/* A fill starts / ends (fills nest when a filter fills). The end frees the fill's pending
 * marks (*pending, the list rowmemo_use adds to). */
void rowmemo_fill_begin(void);
void rowmemo_fill_end(RowMark **pending);

/* Replaces the key put together so far (a table's or a part's context, the same for many rows:
 * a root's declarations, the template's properties) by a number standing for it, so that the
 * keys of the rows hash and compare their own bytes only (contexts are compared whole once,
 * here). Returns 0, or -1 when memory ran out. */
int rowmemo_intern(TmplRowMemo *memo);
/* The key in memo->key said, for element e just made (or about to be filled): 1 when a
 * remembered one stands in for it (e is marked so: what it holds is not written), 0 when it is
 * marked to be remembered (or the memory is full), -1 when memory ran out. */
int rowmemo_use(TmplRowMemo *memo, xmlNode *e);
/* Row r of tab, tr just made for it, looked up after the table's context (the key's first
 * `context` bytes): whether a remembered row stands in for it (raises when memory ran out). */
int rowmemo_row(TmplRowMemo *memo, size_t context, const TmplTable *tab, size_t r, xmlNode *tr);

/* serialize.c: a node carrying a mark. Raw: *bytes and *len are what to write, returns 1;
 * pending: returns 0 (write the row, then rowmemo_keep its bytes). */
int rowmemo_raw(const xmlNode *n, const char **bytes, size_t *len);
void rowmemo_keep(const xmlNode *n, const char *bytes, size_t len);

#endif
