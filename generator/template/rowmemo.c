/*
 * rowmemo: remembered rows (rowmemo.h). A hash table of entries keyed by the whole key
 * (XXH3 finds the bucket, memcmp decides), each holding the row's bytes.
 */
#include "rowmemo.h"

#include <stdint.h>
#include <string.h>
#include <xxhash.h>

#include "memory.h"

enum { BUCKETS = 4096 };

struct RowMark {
  int raw; /* 1: an entry of the table (bytes known); 0: pending, on a fill's list */
  uint64_t hash;
  char *key;
  size_t key_len;
  char *bytes; /* raw: the row as written */
  size_t len;
  RowMark *next; /* raw: the bucket's chain; pending: the fill's list */
};

static RowMark *buckets[BUCKETS];
/* contexts (rowmemo_intern), each numbered by its place; forgotten with the rows */
static RowMark **contexts;
static size_t ncontexts, contexts_cap;
static size_t used; /* bytes of keys and rows remembered */
static int depth;   /* fills running (a filter may fill) */

static void forget_all(void) {
  for (size_t b = 0; b < BUCKETS; b++) {
    for (RowMark *e = buckets[b], *next; e; e = next) {
      next = e->next;
      memory_free(e); /* (its key and bytes are in the same block) */
    }
    buckets[b] = NULL;
  }
  for (size_t i = 0; i < ncontexts; i++) memory_free(contexts[i]);
  ncontexts = 0;
  used = 0;
}

void rowmemo_fill_begin(void) {
  /* only the outermost fill may empty it: an inner one's caller holds stand-ins */
  if (depth++ == 0 && used >= ROWMEMO_BUDGET) forget_all();
}

void rowmemo_fill_end(RowMark **pending) {
  for (RowMark *m = *pending, *next; m; m = next) {
    next = m->next;
    memory_free(m->key);
    memory_free(m);
  }
  *pending = NULL;
  if (depth > 0) depth--;
}

static RowMark *find(uint64_t hash, const char *key, size_t len) {
  for (RowMark *e = buckets[hash % BUCKETS]; e; e = e->next)
    if (e->hash == hash && e->key_len == len && memcmp(e->key, key, len) == 0) return e;
  return NULL;
}

/* The remembered row for key[0..len), or NULL. */
static const RowMark *rowmemo_find(const char *key, size_t len) {
  return find(XXH3_64bits(key, len), key, len);
}

/* Marks row (just built from the inputs in key) to be remembered when it is serialized; the
 * mark goes on the fill's list *pending. Returns 0, or -1 when memory ran out (not marked). */
static int rowmemo_pending(RowMark **pending, xmlNode *row, const char *key, size_t len) {
  if (used >= ROWMEMO_BUDGET) return 0; /* full: nothing more is remembered until emptied */
  RowMark *m = memory_calloc(1, sizeof *m);
  char *copy = m ? memory_alloc(len ? len : 1) : NULL;
  if (!copy) {
    memory_free(m);
    return -1;
  }
  memcpy(copy, key, len);
  m->hash = XXH3_64bits(key, len);
  m->key = copy;
  m->key_len = len;
  m->next = *pending;
  *pending = m;
  row->_private = m;
  return 0;
}

/* (what it holds, if anything, is not written) */
static void rowmemo_stand_in(xmlNode *stand_in, const RowMark *raw) {
  stand_in->_private = (void *)raw;
}

int rowmemo_raw(const xmlNode *n, const char **bytes, size_t *len) {
  const RowMark *m = n->_private;
  if (!m->raw) return 0;
  *bytes = m->bytes;
  *len = m->len;
  return 1;
}

void rowmemo_keep(const xmlNode *n, const char *bytes, size_t len) {
  const RowMark *m = n->_private;
  if (m->raw || used >= ROWMEMO_BUDGET || find(m->hash, m->key, m->key_len)) return;
  /* one block: the entry, its key, its bytes */
  RowMark *e = memory_alloc(sizeof *e + m->key_len + len + 1);
  if (!e) return;
  *e = (RowMark){.raw = 1, .hash = m->hash, .key = (char *)(e + 1), .key_len = m->key_len};
  memcpy(e->key, m->key, m->key_len);
  e->bytes = e->key + m->key_len;
  memcpy(e->bytes, bytes, len);
  e->bytes[len] = 0;
  e->len = len;
  RowMark **bucket = &buckets[m->hash % BUCKETS];
  e->next = *bucket;
  *bucket = e;
  used += sizeof *e + m->key_len + len + 1;
}

void rowkey_grow(RowKey *k, const void *p, size_t n) {
  if (k->failed) return;
  if (k->len + n > k->cap) {
    size_t cap = k->cap ? k->cap : 512;
    while (cap < k->len + n) cap *= 2;
    char *data = memory_realloc(k->data, cap);
    if (!data) {
      k->failed = 1;
      return;
    }
    k->data = data;
    k->cap = cap;
  }
  memcpy(k->data + k->len, p, n);
  k->len += n;
}

void rowkey_str(RowKey *k, const char *s) {
  size_t n = s ? strlen(s) : (size_t)-1;
  rowkey_bytes(k, &n, sizeof n);
  if (s) rowkey_bytes(k, s, n);
}

static void key_para(RowKey *k, const RichPara *rp) {
  long flags[] = {rp->is_item,   rp->ordered,    rp->level,      (long)rp->align,
                  rp->keep_next, rp->no_hyphens, (long)rp->nruns};
  rowkey_bytes(k, flags, sizeof flags);
  rowkey_str(k, rp->label);
  rowkey_num(k, rp->space_mm);
  rowkey_num(k, rp->size_pt);
  for (size_t i = 0; i < rp->nruns; i++) {
    rowkey_str(k, rp->runs[i].text);
    long look[] = {rp->runs[i].bold, rp->runs[i].italic};
    rowkey_bytes(k, look, sizeof look);
  }
}

void rowkey_row(RowKey *k, const TmplTable *tab, size_t r) {
  long flags[] = {r < tab->header_rows, tab->rows[r].cant_split, tab->rows[r].keep_next};
  rowkey_bytes(k, flags, sizeof flags);
  const TmplSlot *line = &tab->grid[r * tab->ncols];
  for (size_t c = 0; c < tab->ncols; c++) {
    const TmplCell *cell = line[c].cell;
    rowkey_int(k, line[c].kind);
    if (!cell) continue;
    long look[] = {cell->colspan,      cell->rowspan, (long)cell->align,
                   (long)cell->valign, cell->bold,    (long)cell->nparas};
    rowkey_bytes(k, look, sizeof look);
    if (line[c].kind != SLOT_START) continue;
    for (size_t i = 0; i < cell->nparas; i++) key_para(k, &cell->paras[i]);
  }
}

void rowkey_root(RowKey *k, const xmlNode *root) {
  for (const xmlNs *d = root->nsDef; d; d = d->next) {
    rowkey_str(k, (const char *)d->prefix);
    rowkey_str(k, (const char *)d->href);
  }
  rowkey_str(k, NULL);
}

int rowmemo_declares(const xmlNode *e) {
  if (e->type != XML_ELEMENT_NODE) return 0;
  if (e->nsDef) return 1;
  for (const xmlNode *c = e->children; c; c = c->next)
    if (rowmemo_declares(c)) return 1;
  return 0;
}

int rowmemo_use(TmplRowMemo *memo, xmlNode *e) {
  RowKey *k = &memo->key;
  if (k->failed) return -1;
  const RowMark *raw = rowmemo_find(k->data, k->len);
  if (raw) {
    rowmemo_stand_in(e, raw);
    return 1;
  }
  return rowmemo_pending(memo->pending, e, k->data, k->len);
}

int rowmemo_row(TmplRowMemo *memo, size_t context, const TmplTable *tab, size_t r, xmlNode *tr) {
  memo->key.len = context;
  rowkey_row(&memo->key, tab, r);
  int used = rowmemo_use(memo, tr);
  if (used < 0) tmpl_no_memory();
  return used;
}

int rowmemo_intern(TmplRowMemo *memo) {
  RowKey *k = &memo->key;
  if (k->failed) return -1;
  uint64_t hash = XXH3_64bits(k->data, k->len);
  size_t i = ncontexts; /* (the latest first: a build fills one organisation after another) */
  while (i > 0 && !(contexts[i - 1]->hash == hash && contexts[i - 1]->key_len == k->len &&
                    memcmp(contexts[i - 1]->key, k->data, k->len) == 0))
    i--;
  if (i > 0) {
    i--;
  } else {
    i = ncontexts;
    if (ncontexts == contexts_cap) {
      size_t cap = contexts_cap ? 2 * contexts_cap : 16;
      RowMark **grown = memory_realloc(contexts, cap * sizeof *grown);
      if (!grown) return -1;
      contexts = grown;
      contexts_cap = cap;
    }
    RowMark *c = memory_alloc(sizeof *c + k->len);
    if (!c) return -1;
    *c = (RowMark){.hash = hash, .key = (char *)(c + 1), .key_len = k->len};
    memcpy(c->key, k->data, k->len);
    contexts[ncontexts++] = c;
    used += sizeof *c + k->len;
  }
  k->len = 0;
  rowkey_str(k, "context");
  rowkey_int(k, (long)i);
  return k->failed ? -1 : 0;
}
