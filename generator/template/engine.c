/*
 * engine: filling one package. The steps, in order:
 *
 *  1. compile: every part that holds a "{" is parsed with libxml2. For each paragraph the text
 *     of its text nodes is joined into one string (docxtemplater's way), tags are found there,
 *     and each tag is moved whole into the text node where it starts (its other pieces are cut
 *     from the other nodes, whatever runs, bookmarks or proofing marks lay between). In the tree
 *     the tag is then replaced by a marker "\1<id>\2" that indexes the part's tag table. Loop
 *     tags are paired, and each loop learns what it repeats (rows, paragraphs, inline text).
 *  2. render (even after compile errors, so that missing names are reported with them): markers are met in document order; a value replaces its marker; a loop copies its
 *     body once per item (before the original) and renders each copy with the item as the
 *     innermost scope, then removes the original body and its tags. Copies carry the markers
 *     of the tags inside them, so nested loops work the same way at every depth.
 *  3. if anything was wrong, every problem of every part is reported and nothing is written;
 *     else the changed parts are serialized and the package is written with the other entries
 *     copied as they are.
 *
 * All Lua work happens inside one protected call; everything allocated hangs off `Fill`, which
 * the caller frees whatever happened.
 */
#define _POSIX_C_SOURCE 200809L
#include <lauxlib.h>
#include <libxml/parser.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "template.h"
#include "tmpl.h"
#include "zip/package.h"

#define MAX_DEPTH 64
/* Loop bodies copied in one fill, all loops together: a guard against runaway data. */
#define MAX_COPIES 200000
#define MARK_OPEN '\x01'
#define MARK_CLOSE '\x02'

/* ------------------------------------------------------------------ tree helpers */

int tmpl_is(const xmlNode *e, const char *ns, const char *name) {
  return e && e->type == XML_ELEMENT_NODE && e->ns && strcmp((const char *)e->name, name) == 0 &&
         strcmp((const char *)e->ns->href, ns) == 0;
}

/* Linking by hand: xmlAddNextSibling would merge neighbouring text nodes behind our back. */
void tmpl_insert_after(xmlNode *cur, xmlNode *n) {
  n->parent = cur->parent;
  n->prev = cur;
  n->next = cur->next;
  if (cur->next)
    cur->next->prev = n;
  else if (cur->parent)
    cur->parent->last = n;
  cur->next = n;
}

void tmpl_insert_before(xmlNode *cur, xmlNode *n) {
  n->parent = cur->parent;
  n->next = cur;
  n->prev = cur->prev;
  if (cur->prev)
    cur->prev->next = n;
  else if (cur->parent)
    cur->parent->children = n;
  cur->prev = n;
}

void tmpl_append_child(xmlNode *parent, xmlNode *n) {
  n->parent = parent;
  n->next = NULL;
  n->prev = parent->last;
  if (parent->last)
    parent->last->next = n;
  else
    parent->children = n;
  parent->last = n;
}

xmlNode *tmpl_copy(xmlNode *n, int deep) {
  xmlNode *copy = NULL;
  if (n->type != XML_ELEMENT_NODE) { /* the DOM-wrap clone takes elements only */
    copy = xmlDocCopyNode(n, n->doc, 1);
  } else if (xmlDOMWrapCloneNode(NULL, n->doc, n, &copy, n->doc, n->parent, deep, 0) != 0) {
    copy = NULL;
  }
  if (!copy) abort(); /* only fails when out of memory */
  return copy;
}

void tmpl_remove(xmlNode *n) {
  xmlUnlinkNode(n);
  xmlFreeNode(n);
}

/* ------------------------------------------------------------------ growable buffer */

typedef struct {
  char *data;
  size_t len, cap;
} Buf;

static void buf_add(Buf *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n + 1) cap *= 2;
    char *grown = realloc(b->data, cap);
    if (!grown) abort(); /* out of memory: nothing sensible to do */
    b->data = grown;
    b->cap = cap;
  }
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}
static void buf_str(Buf *b, const char *s) { buf_add(b, s, strlen(s)); }

/* ------------------------------------------------------------------ text of values */

/* Keeps what XML 1.0 can hold: drops control characters but \t and \n (\r\n and \r become \n),
 * U+FFFE/U+FFFF and the markers; replaces broken UTF-8 by U+FFFD. */
static void sanitize(Buf *out, const char *s, size_t n) {
  size_t i = 0, run = 0; /* s[run..i) is clean and not yet copied */
#define FLUSH()                                     \
  do {                                              \
    if (i > run) buf_add(out, s + run, i - run);    \
  } while (0)
  while (i < n) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c < 0x80) {
      i++;
      continue;
    }
    if (c < 0x80) {
      FLUSH();
      if (c == '\r') {
        buf_add(out, "\n", 1);
        i += (i + 1 < n && s[i + 1] == '\n') ? 2 : 1;
      } else {
        if (c == '\t' || c == '\n') buf_add(out, (const char *)&s[i], 1);
        i++;
      }
      run = i;
      continue;
    }
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    uint32_t cp = len == 4 ? c & 0x07u : len == 3 ? c & 0x0Fu : c & 0x1Fu;
    int ok = len > 0 && i + len <= n && c <= 0xF4;
    for (size_t k = 1; ok && k < len; k++) {
      unsigned char cc = (unsigned char)s[i + k];
      if ((cc & 0xC0) != 0x80) ok = 0;
      cp = (cp << 6) | (cc & 0x3Fu);
    }
    if (ok && ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
               (cp >= 0xD800 && cp <= 0xDFFF)))
      ok = 0;
    if (ok && cp != 0xFFFE && cp != 0xFFFF) {
      i += len;
      continue;
    }
    FLUSH();
    if (!ok) {
      buf_str(out, "\xEF\xBF\xBD"); /* U+FFFD for broken UTF-8 */
      i++;
      while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80) i++;
    } else {
      i += len; /* U+FFFE, U+FFFF: not characters */
    }
    run = i;
  }
  FLUSH();
#undef FLUSH
}

typedef struct {
  SegKind kind;
  size_t start, len; /* text in the source string */
  int n;
} Seg;

/* Cuts clean text into text, break, tab and space-run segments. */
static size_t segment(const TmplFormat *fmt, const char *s, size_t n, Seg **segs) {
  size_t count = 0, cap = 8;
  Seg *out = malloc(cap * sizeof *out);
  if (!out) abort();
  size_t i = 0, start = 0;
#define PUSH(k, a, l, c)                                  \
  do {                                                    \
    if (count == cap) {                                   \
      cap *= 2;                                           \
      out = realloc(out, cap * sizeof *out);              \
      if (!out) abort();                                  \
    }                                                     \
    out[count++] = (Seg){(k), (a), (l), (c)};             \
  } while (0)
  while (i < n) {
    char c = s[i];
    if (c == '\n' || c == '\t') {
      if (i > start) PUSH(SEG_TEXT, start, i - start, 0);
      PUSH(c == '\n' ? SEG_BREAK : SEG_TAB, 0, 0, 0);
      start = ++i;
    } else if (c == ' ' && fmt->collapses_spaces && i + 1 < n && s[i + 1] == ' ') {
      size_t j = i;
      while (j < n && s[j] == ' ') j++;
      PUSH(SEG_TEXT, start, i + 1 - start, 0); /* the first space stays text */
      PUSH(SEG_SPACES, 0, 0, (int)(j - i - 1));
      start = i = j;
    } else {
      i++;
    }
  }
  if (i > start || count == 0) PUSH(SEG_TEXT, start, i - start, 0);
#undef PUSH
  *segs = out;
  return count;
}

static char *dup_n(const char *s, size_t n) {
  char *d = malloc(n + 1);
  if (!d) abort();
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

void tmpl_append_text(const TmplFormat *fmt, xmlNode *parent, xmlNode *like, const char *text) {
  if (!text) text = "";
  Seg *segs;
  size_t n = segment(fmt, text, strlen(text), &segs);
  for (size_t i = 0; i < n; i++) {
    char *piece = dup_n(text + segs[i].start, segs[i].len);
    tmpl_append_child(parent, fmt->new_segment(like, segs[i].kind, piece, segs[i].n));
    free(piece);
  }
  free(segs);
}

/* ------------------------------------------------------------------ the fill */

typedef struct {
  const char *name; /* entry name */
  long index;
  xmlDoc *doc;
  Tag *tags;
  size_t ntags, cap;
  xmlNode **tag_node; /* compile time: text node and paragraph of each tag */
  xmlNode **tag_para;
  unsigned char *reported; /* per tag: a missing name already said */
  int had_table;           /* a table value was written into it */
  TmplOut out; /* the serialized part */
} Part;

typedef struct {
  lua_State *L;
  int view, filters; /* absolute stack indices; filters 0 when none */
  const char *template_path, *out_path;
  const TmplFormat *fmt;
  ZipPackage *pkg;
  Part *parts;
  size_t nparts;
  Part *cur;
  ErrList errors;
  int scopes[MAX_DEPTH + 1];
  int nscopes;
  /* for messages: the loop and item index (0: not a list) of each scope above the view */
  const char *loop_names[MAX_DEPTH + 1];
  long loop_items[MAX_DEPTH + 1];
  Buf tmp; /* scratch for value text */
  long copies;
  /* ODT styles.xml (page layouts, for the width of tables): a parsed part's tree, or one of
   * our own (styles_owned) */
  xmlDoc *styles;
  int styles_owned, styles_tried;
} Fill;

/* Context of a position in a paragraph: up to ~40 characters either side. */
static char *make_context(const char *text, size_t len, size_t start, size_t end) {
  size_t a = start > 60 ? start - 60 : 0;
  while (a > 0 && ((unsigned char)text[a] & 0xC0) == 0x80) a--;
  size_t b = end + 60 < len ? end + 60 : len;
  while (b < len && ((unsigned char)text[b] & 0xC0) == 0x80) b++;
  Buf out = {0};
  if (a > 0) buf_str(&out, "…");
  buf_add(&out, text + a, b - a);
  if (b < len) buf_str(&out, "…");
  if (!out.data) buf_str(&out, "");
  return out.data;
}

static void tag_error(Fill *f, const Tag *t, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void tag_error(Fill *f, const Tag *t, const char *fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  errlist_addf(&f->errors, "%s, абзац «%s», символ %ld: %s", f->cur->name, t->context, t->offset,
               msg);
}

static void match_report(void *ud, size_t i, const char *fmt, ...) {
  Fill *f = ud;
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  tag_error(f, &f->cur->tags[i], "%s", msg);
}

/* ---- compile ---- */

typedef struct {
  xmlNode *node;
  size_t start, len;
} Piece;

typedef struct {
  Piece *items;
  size_t count, cap;
  Buf text;
} Pieces;

static void collect_pieces(const TmplFormat *fmt, xmlNode *e, Pieces *ps) {
  for (xmlNode *c = e->children; c; c = c->next) {
    if (c->type == XML_TEXT_NODE) {
      if (!fmt->is_text_parent(e) || !c->content) continue;
      size_t len = strlen((const char *)c->content);
      if (ps->count == ps->cap) {
        ps->cap = ps->cap ? ps->cap * 2 : 16;
        ps->items = realloc(ps->items, ps->cap * sizeof *ps->items);
        if (!ps->items) abort();
      }
      ps->items[ps->count++] = (Piece){c, ps->text.len, len};
      buf_add(&ps->text, (const char *)c->content, len);
    } else if (c->type == XML_ELEMENT_NODE && !fmt->is_paragraph(c)) {
      collect_pieces(fmt, c, ps);
    }
  }
}

static int filter_known(Fill *f, const char *name) {
  if (!f->filters) return 0;
  lua_getfield(f->L, f->filters, name);
  int ok = lua_isfunction(f->L, -1) || lua_istable(f->L, -1);
  lua_pop(f->L, 1);
  return ok;
}

static size_t add_tag(Part *p) {
  if (p->ntags == p->cap) {
    p->cap = p->cap ? p->cap * 2 : 16;
    p->tags = realloc(p->tags, p->cap * sizeof *p->tags);
    p->tag_node = realloc(p->tag_node, p->cap * sizeof *p->tag_node);
    p->tag_para = realloc(p->tag_para, p->cap * sizeof *p->tag_para);
    if (!p->tags || !p->tag_node || !p->tag_para) abort();
  }
  return p->ntags++;
}

/* A text node whose text went to a tag that started elsewhere: it goes, and so does its run
 * (DOCX w:r, ODT text:span) when nothing but run properties is left in it. */
static void drop_empty(const TmplFormat *fmt, xmlNode *t, xmlNode *para) {
  xmlNode *e = fmt->holder(t);
  while (e && e != para) {
    xmlNode *parent = e->parent;
    tmpl_remove(e);
    if (!parent || parent == para) return;
    if (!fmt->is_run(parent) && !tmpl_is(parent, NS_TEXT, "span")) return;
    for (xmlNode *c = parent->children; c; c = c->next)
      if (!(c->type == XML_ELEMENT_NODE && fmt->is_props(c))) return;
    e = parent;
  }
}

static void compile_paragraph(Fill *f, xmlNode *para) {
  Pieces ps = {0};
  collect_pieces(f->fmt, para, &ps);
  const char *text = ps.text.data;
  size_t len = ps.text.len;
  if (!text || (!memchr(text, '{', len) && !memchr(text, '}', len))) {
    free(ps.items);
    free(ps.text.data);
    return;
  }
  TagSpan *spans;
  LexError *lerr;
  size_t nspans, nlerr;
  tags_lex(text, len, &spans, &nspans, &lerr, &nlerr);
  for (size_t i = 0; i < nlerr; i++) {
    char *ctx = make_context(text, len, lerr[i].pos, lerr[i].pos + 1);
    errlist_addf(&f->errors, "%s, абзац «%s», символ %ld: %s", f->cur->name, ctx,
                 utf8_chars(text, lerr[i].pos) + 1, lerr[i].message);
    free(ctx);
  }
  /* Parse each span into a tag; ids[k] is the tag of span k, or -1 when it is broken. */
  long *ids = malloc((nspans ? nspans : 1) * sizeof *ids);
  if (!ids) abort();
  Part *p = f->cur;
  for (size_t k = 0; k < nspans; k++) {
    Tag t;
    const char *why = tags_parse(text + spans[k].start, spans[k].end - spans[k].start, &t);
    t.context = make_context(text, len, spans[k].start, spans[k].end);
    t.offset = utf8_chars(text, spans[k].start) + 1;
    if (why) {
      tag_error(f, &t, "тег %s: %s", t.raw, why);
      tags_free(&t);
      ids[k] = -1;
      continue;
    }
    for (int i = 0; i < t.nfilters; i++)
      if (!filter_known(f, t.filters[i]))
        tag_error(f, &t, "тег %s: неизвестный фильтр «%s»", t.raw, t.filters[i]);
    size_t id = add_tag(p);
    p->tags[id] = t;
    p->tag_para[id] = para;
    ids[k] = (long)id;
    /* the text node where the tag starts */
    for (size_t i = 0; i < ps.count; i++) {
      if (spans[k].start >= ps.items[i].start &&
          spans[k].start < ps.items[i].start + ps.items[i].len) {
        p->tag_node[id] = ps.items[i].node;
        break;
      }
    }
  }
  /* Rewrite the pieces: each valid tag becomes its marker in the piece where it starts. */
  size_t j = 0;
  Buf nb = {0};
  for (size_t i = 0; i < ps.count; i++) {
    size_t s = ps.items[i].start, e = s + ps.items[i].len, pos = s;
    while (j < nspans && (ids[j] < 0 || spans[j].end <= s)) j++;
    if (j >= nspans || spans[j].start >= e) continue; /* untouched */
    nb.len = 0;
    size_t jj = j;
    while (pos < e) {
      while (jj < nspans && (ids[jj] < 0 || spans[jj].end <= pos)) jj++;
      if (jj < nspans && spans[jj].start <= pos) {
        if (pos == spans[jj].start) {
          char m[32];
          int mlen = snprintf(m, sizeof m, "%c%ld%c", MARK_OPEN, ids[jj], MARK_CLOSE);
          buf_add(&nb, m, (size_t)mlen);
        }
        pos = spans[jj].end < e ? spans[jj].end : e;
      } else {
        size_t next = jj < nspans && spans[jj].start < e ? spans[jj].start : e;
        buf_add(&nb, text + pos, next - pos);
        pos = next;
      }
    }
    buf_add(&nb, "", 0);
    if (nb.len == 0) {
      drop_empty(f->fmt, ps.items[i].node, para);
      continue;
    }
    xmlNodeSetContent(ps.items[i].node, BAD_CAST nb.data);
    f->fmt->touch(f->fmt->holder(ps.items[i].node));
  }
  free(nb.data);
  free(ids);
  free(spans);
  free(lerr);
  free(ps.items);
  free(ps.text.data);
}

static void compile_tree(Fill *f, xmlNode *e) {
  for (xmlNode *c = e->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (f->fmt->is_paragraph(c)) compile_paragraph(f, c);
    compile_tree(f, c);
  }
}

/* Reads the marker at s (pointing at MARK_OPEN); returns its id and its length in *mlen. */
static long read_marker(const char *s, size_t *mlen) {
  long id = 0;
  size_t i = 1;
  while (s[i] >= '0' && s[i] <= '9') id = id * 10 + (s[i++] - '0');
  if (s[i] != MARK_CLOSE) {
    *mlen = 1;
    return -1;
  }
  *mlen = i + 1;
  return id;
}

/* True when the text under e is only whitespace and marker `id` (paragraphs nested in a
 * paragraph, as in text boxes, do not count; in a row every paragraph does). */
static int only_marker(const TmplFormat *fmt, xmlNode *e, long id, int *seen, int all) {
  for (xmlNode *c = e->children; c; c = c->next) {
    if (c->type == XML_TEXT_NODE && fmt->is_text_parent(e) && c->content) {
      const char *s = (const char *)c->content;
      while (*s) {
        if (*s == MARK_OPEN) {
          size_t mlen;
          long m = read_marker(s, &mlen);
          if (m != id || *seen) return 0;
          *seen = 1;
          s += mlen;
        } else if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
          s++;
        } else if ((unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0) {
          s += 2;
        } else {
          return 0;
        }
      }
    } else if (c->type == XML_ELEMENT_NODE && (all || !fmt->is_paragraph(c))) {
      if (!only_marker(fmt, c, id, seen, all)) return 0;
    }
  }
  return 1;
}

static int alone_in(const TmplFormat *fmt, xmlNode *e, long id) {
  int seen = 0;
  return only_marker(fmt, e, id, &seen, !fmt->is_paragraph(e)) && seen;
}

static xmlNode *ancestor(xmlNode *n, int (*is)(const xmlNode *), xmlNode *stop) {
  for (xmlNode *e = n ? n->parent : NULL; e && e != stop; e = e->parent)
    if (e->type == XML_ELEMENT_NODE && is(e)) return e;
  return NULL;
}

static xmlNode *paragraph_of(const TmplFormat *fmt, xmlNode *n) {
  while (n && !(n->type == XML_ELEMENT_NODE && fmt->is_paragraph(n))) n = n->parent;
  return n;
}

/* True when para is the only paragraph or table of a table cell, which must keep one. */
static int only_block_of_cell(const TmplFormat *fmt, xmlNode *para, xmlNode *from, xmlNode *to) {
  xmlNode *cell = para->parent;
  if (!cell || !fmt->is_cell(cell)) return 0;
  int inside = 0;
  for (xmlNode *c = cell->children; c; c = c->next) {
    if (c == from) inside = 1;
    int block = c->type == XML_ELEMENT_NODE &&
                (fmt->is_paragraph(c) || tmpl_is(c, NS_W, "tbl") || tmpl_is(c, NS_TABLE, "table"));
    if (block && !inside) return 0;
    if (c == to) inside = 0;
  }
  return 1;
}

/* The node directly under the split container holding text node t: DOCX its w:r, ODT the
 * child of the paragraph. */
static xmlNode *run_top(const TmplFormat *fmt, xmlNode *t, xmlNode *para) {
  xmlNode *run = ancestor(t, fmt->is_run, para);
  if (run) return run;
  xmlNode *n = t;
  while (n->parent && n->parent != para) n = n->parent;
  return n;
}

static void classify_loops(Fill *f) {
  Part *p = f->cur;
  const TmplFormat *fmt = f->fmt;
  for (size_t o = 0; o < p->ntags; o++) {
    Tag *t = &p->tags[o];
    if ((t->type != TAG_OPEN && t->type != TAG_INVERSE) || t->partner < 0) continue;
    size_t c = (size_t)t->partner;
    xmlNode *no = p->tag_node[o], *nc = p->tag_node[c];
    xmlNode *po = p->tag_para[o], *pc = p->tag_para[c];
    if (po == pc) {
      if (run_top(fmt, no, po)->parent != run_top(fmt, nc, pc)->parent) {
        tag_error(f, t,
                  "теги %s и %s стоят в одном абзаце, но один из них внутри гиперссылки, поля "
                  "или правки, а другой нет; поставьте их на одном уровне",
                  t->raw, p->tags[c].raw);
        continue;
      }
      t->kind = LOOP_INLINE;
      continue;
    }
    xmlNode *cell_o = ancestor(no, fmt->is_cell, NULL), *cell_c = ancestor(nc, fmt->is_cell, NULL);
    if (cell_o != cell_c) {
      xmlNode *ro = ancestor(no, fmt->is_row, NULL), *rc = ancestor(nc, fmt->is_row, NULL);
      if (!ro || !rc || ro->parent != rc->parent) {
        tag_error(f, t,
                  "теги %s и %s стоят в разных ячейках, но не в строках одной таблицы; чтобы "
                  "повторялись строки, оба тега ставят в ячейки одной таблицы",
                  t->raw, p->tags[c].raw);
        continue;
      }
      t->kind = LOOP_ROW;
      if (ro != rc) {
        t->rows_alone = (alone_in(fmt, ro, (long)o) ? 1 : 0) | (alone_in(fmt, rc, (long)c) ? 2 : 0);
      }
      continue;
    }
    if (po->parent == pc->parent && alone_in(fmt, po, (long)o) && alone_in(fmt, pc, (long)c)) {
      t->kind = LOOP_PARA;
      continue;
    }
    tag_error(f, t,
              "теги %s и %s стоят в разных абзацах, но не одни в своих абзацах: каждый из них "
              "должен стоять один в своём абзаце (тогда повторяются абзацы между ними), или "
              "оба — в одном абзаце, или в разных ячейках одной строки таблицы (тогда "
              "повторяется строка)",
              t->raw, p->tags[c].raw);
  }
  for (size_t i = 0; i < p->ntags; i++)
    if (p->tag_para[i]) p->tags[i].alone = alone_in(fmt, p->tag_para[i], (long)i);
}

/* ---- render ---- */

typedef struct {
  xmlNode *parent, *before, *after; /* the range lies strictly between before and after */
} Range;

static xmlNode *range_first(const Range *r) {
  xmlNode *n = r->before ? r->before->next : r->parent->children;
  return n == r->after ? NULL : n;
}

static xmlNode *next_node(xmlNode *n, const Range *r) {
  if (n->type == XML_ELEMENT_NODE && n->children) return n->children;
  for (;;) {
    if (n->parent == r->parent) {
      xmlNode *x = n->next;
      return x == r->after ? NULL : x;
    }
    if (n->next) return n->next;
    n = n->parent;
  }
}

/* Finds marker id in text node t; returns its offset or -1. */
static long find_marker(xmlNode *t, long id, size_t *mlen) {
  const char *s = (const char *)t->content;
  if (!s) return -1;
  for (const char *q = strchr(s, MARK_OPEN); q; q = strchr(q + 1, MARK_OPEN)) {
    if (read_marker(q, mlen) == id) return q - s;
  }
  return -1;
}

/* Replaces marker id in t by clean text (breaks, tabs and spaces as the format wants). */
static void replace_marker(Fill *f, xmlNode *t, long id, const char *value, size_t vlen) {
  size_t mlen;
  long pos = find_marker(t, id, &mlen);
  if (pos < 0) return;
  const char *content = (const char *)t->content;
  const char *suffix = content + pos + mlen;
  Buf b = {0};
  int plain = !memchr(value, '\n', vlen) && !memchr(value, '\t', vlen) &&
              !(f->fmt->collapses_spaces && strstr(value, "  "));
  if (plain) {
    buf_add(&b, content, (size_t)pos);
    buf_add(&b, value, vlen);
    buf_str(&b, suffix);
    xmlNodeSetContent(t, BAD_CAST b.data);
    f->fmt->touch(f->fmt->holder(t));
    free(b.data);
    return;
  }
  Seg *segs;
  size_t n = segment(f->fmt, value, vlen, &segs);
  char *suffix_copy = dup_n(suffix, strlen(suffix));
  /* t keeps the prefix and the first text segment */
  buf_add(&b, content, (size_t)pos);
  size_t i = 0;
  if (segs[0].kind == SEG_TEXT) {
    buf_add(&b, value + segs[0].start, segs[0].len);
    i = 1;
  }
  if (i == n) buf_str(&b, suffix_copy);
  xmlNodeSetContent(t, BAD_CAST b.data);
  xmlNode *holder = f->fmt->holder(t);
  f->fmt->touch(holder);
  xmlNode *cur = holder;
  for (; i < n; i++) {
    b.len = 0;
    buf_add(&b, value + segs[i].start, segs[i].len);
    int last = i + 1 == n;
    if (last && segs[i].kind == SEG_TEXT) buf_str(&b, suffix_copy);
    xmlNode *node = f->fmt->new_segment(holder, segs[i].kind, b.data, segs[i].n);
    tmpl_insert_after(cur, node);
    cur = node;
    if (last && segs[i].kind != SEG_TEXT && suffix_copy[0]) {
      xmlNode *rest = f->fmt->new_segment(holder, SEG_TEXT, suffix_copy, 0);
      tmpl_insert_after(cur, rest);
      cur = rest;
    }
  }
  free(suffix_copy);
  free(segs);
  free(b.data);
}

/* A name the view lacks: said once per tag, with the loop item where it was first missed. */
static void missing(Fill *f, const Tag *t, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void missing(Fill *f, const Tag *t, const char *fmt, ...) {
  Part *p = f->cur;
  size_t id = (size_t)(t - p->tags);
  if (p->reported[id]) return;
  p->reported[id] = 1;
  char msg[768];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  Buf where = {0};
  for (int s = 1; s < f->nscopes; s++) {
    char item[256];
    if (f->loop_items[s])
      snprintf(item, sizeof item, "%s%s[%ld]", s > 1 ? " → " : "", f->loop_names[s],
               f->loop_items[s]);
    else
      snprintf(item, sizeof item, "%s%s", s > 1 ? " → " : "", f->loop_names[s]);
    buf_str(&where, item);
  }
  if (where.data)
    tag_error(f, t, "%s (тег %s; в цикле: %s)", msg, t->raw, where.data);
  else
    tag_error(f, t, "%s (тег %s)", msg, t->raw);
  free(where.data);
}

/* Pushes the value of tag t in the current scopes (filters applied). Returns 1 when found;
 * when not, pushes nil and, if report, says what is missing. */
static int push_value(Fill *f, const Tag *t, int report) {
  lua_State *L = f->L;
  int found_scope = -1;
  if (t->npath == 0) {
    lua_pushvalue(L, f->scopes[f->nscopes - 1]);
    found_scope = f->nscopes - 1;
  } else {
    for (int s = f->nscopes - 1; s >= 0; s--) {
      if (!lua_istable(L, f->scopes[s])) continue;
      lua_getfield(L, f->scopes[s], t->path[0]);
      if (!lua_isnil(L, -1)) {
        found_scope = s;
        break;
      }
      lua_pop(L, 1);
    }
    if (found_scope < 0) {
      if (report) missing(f, t, "в данных нет поля «%s»", t->path[0]);
      lua_pushnil(L);
      return 0;
    }
    for (int k = 1; k < t->npath; k++) {
      if (!lua_istable(L, -1)) {
        if (report) {
          Buf pre = {0};
          for (int i = 0; i < k; i++) {
            if (i) buf_str(&pre, ".");
            buf_str(&pre, t->path[i]);
          }
          missing(f, t, "в данных нет «%s»: «%s» — не таблица, у неё нет поля «%s»", t->name,
                  pre.data, t->path[k]);
          free(pre.data);
        }
        lua_pop(L, 1);
        lua_pushnil(L);
        return 0;
      }
      const char *key = t->path[k];
      char *end;
      long idx = strtol(key, &end, 10);
      if (*end == '\0' && end != key)
        lua_geti(L, -1, idx);
      else
        lua_getfield(L, -1, key);
      lua_remove(L, -2);
      if (lua_isnil(L, -1)) {
        if (report) {
          Buf pre = {0};
          for (int i = 0; i < k; i++) {
            if (i) buf_str(&pre, ".");
            buf_str(&pre, t->path[i]);
          }
          missing(f, t, "в данных нет «%s»: у «%s» нет поля «%s»", t->name, pre.data,
                  t->path[k]);
          free(pre.data);
        }
        return 0;
      }
    }
  }
  for (int i = 0; i < t->nfilters; i++) {
    if (!f->filters) break;
    lua_getfield(L, f->filters, t->filters[i]);
    if (!lua_isfunction(L, -1) && !lua_istable(L, -1)) { /* reported when compiled */
      lua_pop(L, 1);
      continue;
    }
    lua_insert(L, -2);
    if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
      const char *msg = lua_tostring(L, -1);
      tag_error(f, t, "фильтр «%s» не сработал: %s (тег %s)", t->filters[i],
                msg ? msg : "ошибка без текста", t->raw);
      lua_pop(L, 1);
      lua_pushnil(L);
      return 1;
    }
  }
  return 1;
}

static int is_rich(lua_State *L, int idx) {
  if (!lua_istable(L, idx) || lua_rawlen(L, idx) == 0) return 0;
  lua_rawgeti(L, idx, 1);
  int rich = 0;
  if (lua_istable(L, -1)) {
    lua_getfield(L, -1, "type");
    const char *type = lua_tostring(L, -1);
    rich = type && (strcmp(type, "para") == 0 || strcmp(type, "list") == 0 ||
                    strcmp(type, "space") == 0);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return rich;
}

static char *field_string(lua_State *L, int idx, const char *key) {
  lua_getfield(L, idx, key);
  size_t n = 0;
  const char *s = lua_type(L, -1) == LUA_TSTRING || lua_type(L, -1) == LUA_TNUMBER
                      ? lua_tolstring(L, -1, &n)
                      : "";
  Buf b = {0};
  sanitize(&b, s, n);
  if (!b.data) buf_str(&b, "");
  lua_pop(L, 1);
  return b.data;
}

static int field_bool(lua_State *L, int idx, const char *key) {
  lua_getfield(L, idx, key);
  int v = lua_toboolean(L, -1);
  lua_pop(L, 1);
  return v;
}

/* The "align" (or "valign" when vertical) of the table at idx. */
static int field_align_of(lua_State *L, int idx, int vertical) {
  lua_getfield(L, idx, vertical ? "valign" : "align");
  const char *s = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
  int a;
  if (vertical)
    a = strcmp(s, "top") == 0                                ? TMPL_VALIGN_TOP
        : strcmp(s, "middle") == 0 || strcmp(s, "center") == 0 ? TMPL_VALIGN_MIDDLE
        : strcmp(s, "bottom") == 0                           ? TMPL_VALIGN_BOTTOM
                                                             : TMPL_VALIGN_NONE;
  else
    a = strcmp(s, "left") == 0                              ? TMPL_ALIGN_LEFT
        : strcmp(s, "center") == 0                          ? TMPL_ALIGN_CENTER
        : strcmp(s, "right") == 0                           ? TMPL_ALIGN_RIGHT
        : strcmp(s, "justify") == 0 || strcmp(s, "both") == 0 ? TMPL_ALIGN_JUSTIFY
                                                            : TMPL_ALIGN_NONE;
  lua_pop(L, 1);
  return a;
}
static TmplAlign field_align(lua_State *L, int idx) { return (TmplAlign)field_align_of(L, idx, 0); }

static void read_runs(lua_State *L, int idx, RichPara *rp) {
  lua_getfield(L, idx, "runs");
  int runs = lua_gettop(L);
  size_t n = lua_istable(L, runs) ? lua_rawlen(L, runs) : 0;
  rp->runs = calloc(n ? n : 1, sizeof *rp->runs);
  if (!rp->runs) abort();
  for (size_t i = 1; i <= n; i++) {
    lua_rawgeti(L, runs, (lua_Integer)i);
    if (lua_istable(L, -1)) {
      int r = lua_gettop(L);
      RichRun *run = &rp->runs[rp->nruns++];
      run->text = field_string(L, r, "text");
      run->bold = field_bool(L, r, "bold");
      run->italic = field_bool(L, r, "italic");
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

/* Reads the rich value at idx into paragraphs. */
static size_t read_rich(lua_State *L, int idx, RichPara **out) {
  size_t count = 0, cap = 8;
  RichPara *paras = calloc(cap, sizeof *paras);
  if (!paras) abort();
  size_t nblocks = lua_rawlen(L, idx);
  for (size_t b = 1; b <= nblocks; b++) {
    lua_rawgeti(L, idx, (lua_Integer)b);
    int block = lua_gettop(L);
    if (lua_istable(L, block)) {
      lua_getfield(L, block, "type");
      const char *type = lua_tostring(L, -1);
      int list = type && strcmp(type, "list") == 0;
      int space = type && strcmp(type, "space") == 0;
      lua_pop(L, 1);
      int ordered = field_bool(L, block, "ordered");
      TmplAlign align = field_align(L, block);
      lua_getfield(L, block, "items");
      int items = lua_gettop(L);
      size_t nitems = list && lua_istable(L, items) ? lua_rawlen(L, items) : (list ? 0 : 1);
      for (size_t i = 1; i <= nitems; i++) {
        if (count == cap) {
          cap *= 2;
          paras = realloc(paras, cap * sizeof *paras);
          if (!paras) abort();
        }
        RichPara *rp = &paras[count];
        memset(rp, 0, sizeof *rp);
        if (list) {
          lua_rawgeti(L, items, (lua_Integer)i);
          int item = lua_gettop(L);
          if (lua_istable(L, item)) {
            rp->is_item = 1;
            rp->ordered = ordered;
            rp->label = field_string(L, item, "label");
            lua_getfield(L, item, "level");
            rp->level = lua_isinteger(L, -1) ? (int)lua_tointeger(L, -1) : 1;
            lua_pop(L, 1);
            read_runs(L, item, rp);
            rp->align = align;
            count++;
          }
          lua_pop(L, 1);
        } else if (space) {
          lua_getfield(L, block, "height");
          double h = lua_tonumber(L, -1);
          lua_pop(L, 1);
          rp->runs = calloc(1, sizeof *rp->runs);
          if (!rp->runs) abort();
          rp->space_mm = h > 0 && h < 1000 ? h : 2;
          count++;
        } else {
          read_runs(L, block, rp);
          rp->align = align;
          count++;
        }
      }
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  *out = paras;
  return count;
}

static void free_rich(RichPara *paras, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(paras[i].label);
    for (size_t k = 0; k < paras[i].nruns; k++) free(paras[i].runs[k].text);
    free(paras[i].runs);
  }
  free(paras);
}

/* ---- table values ---- */

static int is_table_value(lua_State *L, int idx) {
  if (!lua_istable(L, idx)) return 0;
  lua_getfield(L, idx, "type");
  int yes = lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), "table") == 0;
  lua_pop(L, 1);
  return yes;
}

static double field_number(lua_State *L, int idx, const char *key, double dflt) {
  lua_getfield(L, idx, key);
  int isnum;
  double v = lua_tonumberx(L, -1, &isnum);
  lua_pop(L, 1);
  return isnum ? v : dflt;
}

/* A span (colspan, rowspan): an integer from 1 to 1000, 1 when absent or odd. */
static int field_span(lua_State *L, int idx, const char *key) {
  double v = field_number(L, idx, key, 1);
  return v >= 1 && v <= 1000 ? (int)v : 1;
}

/* One paragraph holding s: a cell given as a plain string. */
static size_t text_paragraph(lua_State *L, int idx, RichPara **out) {
  RichPara *rp = calloc(1, sizeof *rp);
  if (!rp) abort();
  rp->runs = calloc(1, sizeof *rp->runs);
  if (!rp->runs) abort();
  size_t n;
  const char *s = lua_tolstring(L, idx, &n);
  Buf b = {0};
  sanitize(&b, s, n);
  if (!b.data) buf_str(&b, "");
  rp->runs[0].text = b.data;
  rp->nruns = 1;
  *out = rp;
  return 1;
}

static void free_table(TmplTable *tab) {
  for (size_t i = 0; i < tab->ncells; i++) free_rich(tab->cells[i].paras, tab->cells[i].nparas);
  free(tab->cells);
  free(tab->grid);
  free(tab->col_mm);
  memset(tab, 0, sizeof *tab);
}

/* Reads the table value at idx (see README "Tables") and places its cells on the grid. Returns
 * 0, or -1 after reporting what is wrong with it. */
static int read_table(Fill *f, const Tag *tag, int idx, TmplTable *tab, double **widths,
                      double **weights) {
  lua_State *L = f->L;
  memset(tab, 0, sizeof *tab);
  int bad = 0;
  lua_getfield(L, idx, "columns");
  int cols = lua_gettop(L);
  tab->ncols = lua_istable(L, cols) ? lua_rawlen(L, cols) : 0;
  if (tab->ncols == 0 || tab->ncols > 1000) {
    tag_error(f, tag, "у таблицы «%s» нет столбцов: нужен список columns = { {width = мм} | "
              "{weight = доля}, … } (тег %s)", tag->name, tag->raw);
    lua_settop(L, idx);
    return -1;
  }
  *widths = calloc(tab->ncols, sizeof **widths);
  *weights = calloc(tab->ncols, sizeof **weights);
  if (!*widths || !*weights) abort();
  for (size_t c = 0; c < tab->ncols; c++) {
    lua_rawgeti(L, cols, (lua_Integer)c + 1);
    int col = lua_gettop(L);
    if (lua_istable(L, col)) {
      (*widths)[c] = field_number(L, col, "width", 0);
      (*weights)[c] = field_number(L, col, "weight", 0);
    } else if (lua_type(L, col) == LUA_TNUMBER) {
      (*weights)[c] = lua_tonumber(L, col);
    }
    if (!((*widths)[c] > 0 && (*widths)[c] < 10000)) (*widths)[c] = 0;
    if (!((*weights)[c] > 0 && (*weights)[c] < 1e6)) (*weights)[c] = (*widths)[c] > 0 ? 0 : 1;
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  double header = field_number(L, idx, "header_rows", 0);
  lua_getfield(L, idx, "borders");
  tab->borders = !(lua_type(L, -1) == LUA_TBOOLEAN && !lua_toboolean(L, -1));
  lua_pop(L, 1);
  double size = field_number(L, idx, "size", 0);
  tab->size_pt = size >= 1 && size <= 200 ? size : 0;

  lua_getfield(L, idx, "rows");
  int rows = lua_gettop(L);
  tab->nrows = lua_istable(L, rows) ? lua_rawlen(L, rows) : 0;
  tab->header_rows = header >= 1 ? (size_t)header : 0;
  if (tab->header_rows > tab->nrows) tab->header_rows = tab->nrows;
  size_t cap = 16;
  tab->cells = calloc(cap, sizeof *tab->cells);
  if (!tab->cells) abort();
  for (size_t r = 0; r < tab->nrows; r++) {
    lua_rawgeti(L, rows, (lua_Integer)r + 1);
    int row = lua_gettop(L);
    if (lua_istable(L, row)) {
      lua_getfield(L, row, "cells");
      int cells = lua_gettop(L);
      size_t n = lua_istable(L, cells) ? lua_rawlen(L, cells) : 0;
      for (size_t k = 1; k <= n; k++) {
        if (tab->ncells == cap) {
          cap *= 2;
          tab->cells = realloc(tab->cells, cap * sizeof *tab->cells);
          if (!tab->cells) abort();
        }
        TmplCell *cell = &tab->cells[tab->ncells++];
        memset(cell, 0, sizeof *cell);
        cell->row = r;
        cell->colspan = cell->rowspan = 1;
        lua_rawgeti(L, cells, (lua_Integer)k);
        int c = lua_gettop(L);
        if (lua_type(L, c) == LUA_TSTRING || lua_type(L, c) == LUA_TNUMBER) {
          cell->nparas = text_paragraph(L, c, &cell->paras);
        } else if (lua_istable(L, c)) {
          cell->colspan = field_span(L, c, "colspan");
          cell->rowspan = field_span(L, c, "rowspan");
          cell->align = field_align(L, c);
          cell->valign = (TmplVAlign)field_align_of(L, c, 1);
          cell->bold = field_bool(L, c, "bold");
          lua_getfield(L, c, "blocks");
          int blocks = lua_gettop(L);
          if (lua_type(L, blocks) == LUA_TSTRING || lua_type(L, blocks) == LUA_TNUMBER)
            cell->nparas = text_paragraph(L, blocks, &cell->paras);
          else if (lua_istable(L, blocks))
            cell->nparas = read_rich(L, blocks, &cell->paras);
          lua_settop(L, c);
        }
        lua_settop(L, c - 1);
      }
    }
    lua_settop(L, rows);
  }
  lua_settop(L, idx);

  /* The grid, HTML's way: a row's cells fill the columns left free by rowspans from above. */
  tab->grid = calloc(tab->nrows * tab->ncols + 1, sizeof *tab->grid);
  if (!tab->grid) abort();
  size_t r = (size_t)-1, c = 0;
  for (size_t i = 0; i < tab->ncells; i++) {
    TmplCell *cell = &tab->cells[i];
    if (cell->row != r) {
      r = cell->row;
      c = 0;
    }
    TmplSlot *line = &tab->grid[r * tab->ncols];
    while (c < tab->ncols && line[c].kind != SLOT_EMPTY) c++;
    size_t end = c;
    while (end < tab->ncols && end < c + (size_t)cell->colspan && line[end].kind == SLOT_EMPTY) end++;
    if (end - c < (size_t)cell->colspan) {
      if (!bad)
        tag_error(f, tag,
                  "в таблице «%s» ячейки строки %zu не помещаются в %zu столбцов (с учётом "
                  "colspan и rowspan ячеек выше) (тег %s)",
                  tag->name, r + 1, tab->ncols, tag->raw);
      bad = 1;
      cell->col = -1;
      if (end == c) continue;
    }
    cell->col = (int)c;
    cell->colspan = (int)(end - c);
    if ((size_t)cell->rowspan > tab->nrows - r) cell->rowspan = (int)(tab->nrows - r);
    for (size_t k = 0; k < (size_t)cell->rowspan; k++)
      for (size_t j = c; j < end; j++)
        tab->grid[(r + k) * tab->ncols + j] = (TmplSlot){
            k ? SLOT_BELOW : j == c ? SLOT_START : SLOT_ACROSS, cell};
    c = end;
  }
  return bad ? -1 : 0;
}

/* Column widths: mm columns as given, weights share what is left of width_mm. */
static void table_widths(TmplTable *tab, double width_mm, const double *widths,
                         const double *weights) {
  tab->col_mm = calloc(tab->ncols, sizeof *tab->col_mm);
  if (!tab->col_mm) abort();
  double fixed = 0, total = 0;
  size_t nweights = 0;
  for (size_t c = 0; c < tab->ncols; c++) {
    fixed += widths[c];
    total += weights[c];
    if (weights[c] > 0) nweights++;
  }
  double rest = width_mm - fixed;
  if (rest < 15.0 * (double)nweights) rest = 15.0 * (double)nweights;
  tab->width_mm = 0;
  for (size_t c = 0; c < tab->ncols; c++) {
    tab->col_mm[c] = widths[c] > 0 ? widths[c] : rest * weights[c] / total;
    tab->width_mm += tab->col_mm[c];
  }
}

/* The ODT styles.xml tree (page layouts), or NULL. */
static xmlDoc *styles_doc(Fill *f) {
  if (f->fmt != &tmpl_odt) return NULL;
  if (f->styles_tried) return f->styles;
  f->styles_tried = 1;
  for (size_t i = 0; i < f->nparts; i++)
    if (strcmp(f->parts[i].name, "styles.xml") == 0 && f->parts[i].doc)
      return f->styles = f->parts[i].doc;
  long i = zip_package_find(f->pkg, "styles.xml");
  if (i < 0) return NULL;
  size_t size;
  char *error = NULL;
  char *data = zip_package_read(f->pkg, (size_t)i, &size, &error);
  free(error);
  if (!data) return NULL;
  f->styles = xmlReadMemory(data, (int)size, "styles.xml", NULL,
                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  free(data);
  f->styles_owned = f->styles != NULL;
  return f->styles;
}

/* A table value whose tag t stands alone in paragraph para: the paragraph becomes the table. */
static void render_table(Fill *f, const Tag *tag, xmlNode *t, xmlNode *para, int v) {
  TmplTable tab;
  double *widths = NULL, *weights = NULL;
  if (read_table(f, tag, v, &tab, &widths, &weights) == 0) {
    if (tab.nrows == 0) { /* no rows: like empty rich text */
      if (!only_block_of_cell(f->fmt, para, para, para))
        f->fmt->rich(para, t, NULL, 0);
      else
        replace_marker(f, t, (long)(tag - f->cur->tags), "", 0);
    } else {
      double width = f->fmt->text_width(para, styles_doc(f));
      tab.width_known = width > 0;
      table_widths(&tab, width > 0 ? width : 170, widths, weights);
      f->fmt->table(para, t, &tab);
      f->cur->had_table = 1;
    }
  } else {
    replace_marker(f, t, (long)(tag - f->cur->tags), "", 0);
  }
  free(widths);
  free(weights);
  free_table(&tab);
}

enum { GO_ON, RESTART };

static int render_text(Fill *f, xmlNode *t, long id) {
  lua_State *L = f->L;
  const Tag *tag = &f->cur->tags[id];
  push_value(f, tag, 1);
  int v = lua_gettop(L);
  f->tmp.len = 0;
  switch (lua_type(L, v)) {
  case LUA_TSTRING:
  case LUA_TNUMBER: {
    size_t n;
    const char *s = lua_tolstring(L, v, &n);
    sanitize(&f->tmp, s, n);
    break;
  }
  case LUA_TTABLE:
    if (is_table_value(L, v)) {
      xmlNode *para = tag->alone ? paragraph_of(f->fmt, t) : NULL;
      if (para) {
        render_table(f, tag, t, para, v);
        lua_settop(L, v - 1);
        return RESTART;
      }
      tag_error(f, tag, "значение «%s» — таблица: её тег должен стоять один в своём абзаце "
                "(тег %s)", tag->name, tag->raw);
    } else if (is_rich(L, v)) {
      RichPara *paras;
      size_t n = read_rich(L, v, &paras);
      if (tag->alone) {
        xmlNode *para = paragraph_of(f->fmt, t);
        if (para && n == 0 && only_block_of_cell(f->fmt, para, para, para)) para = NULL;
        if (para) {
          f->fmt->rich(para, t, paras, n);
          free_rich(paras, n);
          lua_settop(L, v - 1);
          return RESTART;
        }
      }
      /* Not alone in its paragraph: the text, one line a paragraph or item. */
      int first = 1;
      for (size_t i = 0; i < n; i++) {
        if (paras[i].space_mm > 0) continue;
        if (!first) buf_str(&f->tmp, "\n");
        first = 0;
        if (paras[i].is_item) {
          buf_str(&f->tmp, paras[i].label);
          buf_str(&f->tmp, " ");
        }
        for (size_t k = 0; k < paras[i].nruns; k++) buf_str(&f->tmp, paras[i].runs[k].text);
      }
      free_rich(paras, n);
    } else if (lua_rawlen(L, v) == 0 && (lua_pushnil(L), lua_next(L, v) == 0)) {
      /* {} is empty rich text: alone in its paragraph, it takes the paragraph away */
      xmlNode *para = tag->alone ? paragraph_of(f->fmt, t) : NULL;
      if (para && only_block_of_cell(f->fmt, para, para, para)) para = NULL;
      if (para) {
        f->fmt->rich(para, t, NULL, 0);
        lua_settop(L, v - 1);
        return RESTART;
      }
    } else {
      lua_settop(L, v);
      tag_error(f, tag,
                "значение %s — таблица, а не текст; чтобы вывести список, нужен цикл "
                "{#%s}…{/%s}",
                tag->raw, tag->name, tag->name);
    }
    break;
  default: break; /* nil, booleans: nothing */
  }
  buf_add(&f->tmp, "", 0);
  replace_marker(f, t, id, f->tmp.data, f->tmp.len);
  lua_settop(L, v - 1);
  return GO_ON;
}

static void strip_marker(xmlNode *t, long id) {
  size_t mlen;
  long pos = find_marker(t, id, &mlen);
  if (pos < 0) return;
  const char *s = (const char *)t->content;
  Buf b = {0};
  buf_add(&b, s, (size_t)pos);
  buf_str(&b, s + pos + mlen);
  xmlNodeSetContent(t, BAD_CAST b.data);
  free(b.data);
}

/* Takes a loop tag out of the text; when it stood alone in its paragraph and the paragraph
 * has a sibling paragraph (a cell must keep one), the paragraph goes too. */
static void drop_tag(Fill *f, xmlNode *t, long id) {
  xmlNode *para = paragraph_of(f->fmt, t);
  if (para && f->cur->tags[id].alone) {
    for (xmlNode *s = para->parent ? para->parent->children : NULL; s; s = s->next) {
      if (s != para && s->type == XML_ELEMENT_NODE && f->fmt->is_paragraph(s)) {
        tmpl_remove(para);
        return;
      }
    }
  }
  strip_marker(t, id);
}

/* Splits the run-level element holding text node t at byte offset off of t; returns the
 * run-level node that starts at off. */
static xmlNode *split_at(Fill *f, xmlNode *t, size_t off, xmlNode *para) {
  const TmplFormat *fmt = f->fmt;
  xmlNode *top = run_top(fmt, t, para);
  xmlNode *stop = top->parent;
  const char *content = (const char *)t->content;
  xmlNode *t2 = xmlNewDocText(t->doc, BAD_CAST(content + off));
  char *left = dup_n(content, off);
  xmlNodeSetContent(t, BAD_CAST left);
  free(left);
  tmpl_insert_after(t, t2);
  xmlNode *right = t2;
  for (xmlNode *e = t->parent; e && e != stop; e = e->parent) {
    xmlNode *e2 = tmpl_copy(e, 0);
    for (xmlNode *c = e->children; c; c = c->next) {
      if (c->type == XML_ELEMENT_NODE && fmt->is_props(c)) {
        tmpl_append_child(e2, tmpl_copy(c, 1));
        break;
      }
    }
    for (xmlNode *m = right; m;) {
      xmlNode *next = m->next;
      xmlUnlinkNode(m);
      tmpl_append_child(e2, m);
      m = next;
    }
    tmpl_insert_after(e, e2);
    right = e2;
  }
  return right;
}

/* Makes the marker the only content of a run-level node of its own, and returns that node. */
static xmlNode *isolate(Fill *f, xmlNode *t, long id, xmlNode *para) {
  size_t mlen;
  long pos = find_marker(t, id, &mlen);
  split_at(f, t, (size_t)pos + mlen, para);
  xmlNode *node = split_at(f, t, (size_t)pos, para);
  return node;
}

static void remove_span(xmlNode *from, xmlNode *to) {
  for (xmlNode *n = from; n;) {
    xmlNode *next = n->next;
    tmpl_remove(n);
    if (n == to) break;
    n = next;
  }
}

static void render_range(Fill *f, Range r);

static void render_loop(Fill *f, const Range *r, xmlNode *no, long o) {
  lua_State *L = f->L;
  const TmplFormat *fmt = f->fmt;
  Tag *t = &f->cur->tags[o];
  long c = t->partner;
  xmlNode *nc = NULL;
  size_t mlen;
  for (xmlNode *n = no; n; n = next_node(n, r))
    if (n->type == XML_TEXT_NODE && find_marker(n, c, &mlen) >= 0) {
      nc = n;
      break;
    }
  if (!nc || t->kind == LOOP_NONE) { /* cannot happen after a clean compile */
    strip_marker(no, o);
    if (nc) strip_marker(nc, c);
    return;
  }
  xmlNode *first, *last, *anchor, *cut_from, *cut_to;
  switch (t->kind) {
  case LOOP_ROW: {
    xmlNode *ro = ancestor(no, fmt->is_row, NULL), *rc = ancestor(nc, fmt->is_row, NULL);
    /* A row holding nothing but its loop tag goes; a row with more keeps what else it has,
     * less the paragraph of a tag that stood alone in it (if the cell has another). */
    if (t->rows_alone & 1) {
      first = ro->next;
    } else {
      drop_tag(f, no, o);
      first = ro;
    }
    if (t->rows_alone & 2) {
      last = rc->prev;
    } else {
      drop_tag(f, nc, c);
      last = rc;
    }
    anchor = cut_from = ro;
    cut_to = rc;
    break;
  }
  case LOOP_PARA: {
    xmlNode *po = paragraph_of(fmt, no), *pc = paragraph_of(fmt, nc);
    first = po->next;
    last = pc->prev;
    anchor = cut_from = po;
    cut_to = pc;
    break;
  }
  default: { /* LOOP_INLINE */
    xmlNode *para = paragraph_of(fmt, no);
    xmlNode *rc = isolate(f, nc, c, para);
    xmlNode *ro = isolate(f, no, o, para);
    first = ro->next;
    last = rc->prev;
    anchor = cut_from = ro;
    cut_to = rc;
    break;
  }
  }
  /* The body is first..last, unless it is empty (the two tag rows/paragraphs/runs touch). */
  int has_body = first && last && first != cut_to->next && last != cut_from->prev &&
                 !(first == cut_to && (t->rows_alone & 2)) &&
                 !(last == cut_from && (t->rows_alone & 1));
  if (t->kind == LOOP_PARA || t->kind == LOOP_INLINE)
    has_body = first != cut_to && last != cut_from;

  push_value(f, t, 0);
  int v = lua_gettop(L);
  long count = 0;
  int by_index = 0;
  if (lua_istable(L, v)) {
    lua_Unsigned n = lua_rawlen(L, v);
    if (n > 0) {
      count = (long)n;
      by_index = 1;
    } else {
      lua_pushnil(L);
      if (lua_next(L, v)) {
        lua_pop(L, 2);
        count = 1;
      }
    }
  } else if (lua_toboolean(L, v)) {
    count = 1;
  }
  if (t->type == TAG_INVERSE) {
    count = count == 0 ? 1 : 0;
    by_index = 0;
    lua_settop(L, v - 1);
    lua_pushvalue(L, f->scopes[f->nscopes - 1]); /* the scope stays as it was */
    v = lua_gettop(L);
  }
  if (f->nscopes >= MAX_DEPTH) {
    tag_error(f, t, "циклы вложены глубже %d уровней", MAX_DEPTH);
    count = 0;
  }
  for (long i = 0; i < count && has_body; i++) {
    if (++f->copies > MAX_COPIES) {
      tag_error(f, t, "цикл %s даёт слишком много повторов: во всём документе их больше %d",
                t->raw, MAX_COPIES);
      break;
    }
    if (by_index)
      lua_rawgeti(L, v, (lua_Integer)(i + 1));
    else
      lua_pushvalue(L, v);
    f->loop_names[f->nscopes] = t->name;
    f->loop_items[f->nscopes] = by_index ? i + 1 : 0;
    f->scopes[f->nscopes++] = lua_gettop(L);
    xmlNode *before = anchor->prev;
    for (xmlNode *n = first;; n = n->next) {
      tmpl_insert_before(anchor, tmpl_copy(n, 1));
      if (n == last) break;
    }
    render_range(f, (Range){anchor->parent, before, anchor});
    f->nscopes--;
    lua_pop(L, 1);
  }
  lua_settop(L, v - 1);
  if (t->kind == LOOP_PARA && only_block_of_cell(fmt, cut_from, cut_from, cut_to)) {
    /* nothing else is left in the cell: its first paragraph stays, empty */
    strip_marker(no, o);
    cut_from = cut_from->next;
  }
  xmlNode *parent = cut_from->parent;
  remove_span(cut_from, cut_to);
  if (t->kind == LOOP_ROW && (tmpl_is(parent, NS_W, "tbl") || tmpl_is(parent, NS_TABLE, "table"))) {
    /* A table whose only rows were the loop's, with nothing to repeat: Word and LibreOffice
     * reject a table without rows, so it goes. */
    for (xmlNode *c = parent->children; c; c = c->next)
      if (c->type == XML_ELEMENT_NODE && fmt->is_row(c)) return;
    tmpl_remove(parent);
  }
}

static void render_range(Fill *f, Range r) {
  const TmplFormat *fmt = f->fmt;
  xmlNode *n = range_first(&r);
  while (n) {
    if (n->type == XML_TEXT_NODE && n->content && n->parent && fmt->is_text_parent(n->parent)) {
      const char *m = strchr((const char *)n->content, MARK_OPEN);
      if (m) {
        size_t mlen;
        long id = read_marker(m, &mlen);
        if (id < 0 || (size_t)id >= f->cur->ntags) { /* not ours: drop the stray byte */
          strip_marker(n, id);
          if (id < 0) {
            Buf b = {0};
            const char *s = (const char *)n->content;
            buf_add(&b, s, (size_t)(m - s));
            buf_str(&b, m + 1);
            xmlNodeSetContent(n, BAD_CAST b.data);
            free(b.data);
          }
          continue;
        }
        Tag *t = &f->cur->tags[id];
        if (t->type == TAG_TEXT) {
          if (render_text(f, n, id) == RESTART) n = range_first(&r);
        } else if (t->type == TAG_CLOSE || t->partner < 0) {
          strip_marker(n, id);
        } else {
          render_loop(f, &r, n, id);
          n = range_first(&r);
        }
        continue;
      }
    }
    n = next_node(n, &r);
  }
}

/* ------------------------------------------------------------------ parts */

static int wanted_part(const TmplFormat *fmt, const char *name) {
  if (fmt == &tmpl_odt) return strcmp(name, "content.xml") == 0 || strcmp(name, "styles.xml") == 0;
  if (strncmp(name, "word/", 5) != 0) return 0;
  const char *base = name + 5;
  if (strchr(base, '/')) return 0;
  size_t len = strlen(base);
  if (len < 5 || strcmp(base + len - 4, ".xml") != 0) return 0;
  return strcmp(base, "document.xml") == 0 || strncmp(base, "header", 6) == 0 ||
         strncmp(base, "footer", 6) == 0 || strcmp(base, "footnotes.xml") == 0 ||
         strcmp(base, "endnotes.xml") == 0;
}

static int fill_main(lua_State *L) {
  /* Stack indices of the caller mean nothing in this frame: view and filters come as
   * arguments 2 and 3. */
  Fill *f = lua_touserdata(L, 1);
  f->view = 2;
  f->filters = lua_istable(L, 3) ? 3 : 0;
  lua_settop(L, 3);
  char *error = NULL;
  f->pkg = zip_package_open(f->template_path, &error);
  if (!f->pkg) {
    errlist_addf(&f->errors, "шаблон %s", error ? error : f->template_path);
    free(error);
    return 0;
  }
  if (zip_package_find(f->pkg, "word/document.xml") >= 0)
    f->fmt = &tmpl_docx;
  else if (zip_package_find(f->pkg, "content.xml") >= 0)
    f->fmt = &tmpl_odt;
  else {
    errlist_addf(&f->errors,
                 "шаблон %s: это не документ DOCX или ODT (нет word/document.xml и content.xml)",
                 f->template_path);
    return 0;
  }
  size_t count = zip_package_count(f->pkg);
  f->parts = calloc(count ? count : 1, sizeof *f->parts);
  if (!f->parts) abort();
  for (size_t i = 0; i < count; i++) {
    const char *name = zip_package_name(f->pkg, i);
    if (!wanted_part(f->fmt, name)) continue;
    size_t size;
    char *data = zip_package_read(f->pkg, i, &size, &error);
    if (!data) {
      errlist_addf(&f->errors, "шаблон %s", error ? error : name);
      free(error);
      error = NULL;
      continue;
    }
    if (!memchr(data, '{', size)) { /* nothing to fill: copied untouched */
      free(data);
      continue;
    }
    Part *p = &f->parts[f->nparts++];
    p->name = name;
    p->index = (long)i;
    p->doc = xmlReadMemory(data, (int)size, name, NULL,
                           XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    free(data);
    if (p->doc && !xmlDocGetRootElement(p->doc)) {
      xmlFreeDoc(p->doc);
      p->doc = NULL;
    }
    if (!p->doc) {
      const xmlError *e = xmlGetLastError();
      errlist_addf(&f->errors, "шаблон %s: часть %s — повреждённый XML (строка %d)",
                   f->template_path, name, e ? e->line : 0);
      continue;
    }
    f->cur = p;
    compile_tree(f, (xmlNode *)p->doc);
    tags_match(p->tags, p->ntags, match_report, f);
    classify_loops(f);
    p->reported = calloc(p->ntags ? p->ntags : 1, 1);
    if (!p->reported) abort();
  }
  /* Rendering goes on after compile errors (broken loops have no kind and lose their tags),
   * so that the names the view lacks are reported together with them. */
  f->scopes[0] = f->view;
  f->nscopes = 1;
  for (size_t i = 0; i < f->nparts; i++) {
    Part *p = &f->parts[i];
    if (!p->doc) continue;
    f->cur = p;
    xmlNode *root = xmlDocGetRootElement(p->doc);
    render_range(f, (Range){root, NULL, NULL});
    if (p->had_table && f->fmt->tables_done) f->fmt->tables_done(root);
  }
  return 0;
}

static void fill_free(Fill *f) {
  for (size_t i = 0; i < f->nparts; i++) {
    Part *p = &f->parts[i];
    for (size_t k = 0; k < p->ntags; k++) tags_free(&p->tags[k]);
    free(p->tags);
    free(p->tag_node);
    free(p->tag_para);
    free(p->reported);
    if (p->doc) xmlFreeDoc(p->doc);
    free(p->out.data);
  }
  free(f->parts);
  if (f->styles_owned) xmlFreeDoc(f->styles);
  zip_package_close(f->pkg);
  free(f->tmp.data);
}

int template_fill(lua_State *L, const char *template_path, int view_index, int filters_index,
                  const char *out_path, TemplateErrors *errors) {
  static int initialized;
  if (!initialized) {
    xmlInitParser();
#ifdef __GLIBC__
    /* A fill allocates and frees a few MiB (trees, zlib state, the archive). With glibc's
     * defaults the freed top of the heap goes back to the kernel after every fill and is
     * faulted in again by the next: measured, that was over half the time of a 40-row fill.
     * Keeping up to 64 MiB (and serving the 256 KiB zlib states from the heap, not mmap)
     * makes repeated fills 2-3x faster. Process-wide, harmless for a short-lived command. */
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_MMAP_THRESHOLD, 8 << 20);
#endif
    initialized = 1;
  }
  Fill f;
  memset(&f, 0, sizeof f);
  f.L = L;
  f.template_path = template_path;
  f.out_path = out_path;
  int top = lua_gettop(L);
  f.view = lua_absindex(L, view_index);
  f.filters = filters_index && lua_istable(L, filters_index) ? lua_absindex(L, filters_index) : 0;
  if (!lua_istable(L, f.view)) {
    errlist_addf(&f.errors, "данные для шаблона (view) должны быть таблицей");
  } else {
    lua_pushcfunction(L, fill_main);
    lua_pushlightuserdata(L, &f);
    lua_pushvalue(L, f.view);
    if (f.filters)
      lua_pushvalue(L, f.filters);
    else
      lua_pushnil(L);
    if (lua_pcall(L, 3, 0, 0) != LUA_OK) {
      const char *msg = lua_tostring(L, -1);
      errlist_addf(&f.errors, "шаблон %s: ошибка при заполнении: %s", template_path,
                   msg ? msg : "(без текста)");
    }
  }
  lua_settop(L, top);
  if (!f.errors.count) {
    ZipPart *zparts = calloc(f.nparts ? f.nparts : 1, sizeof *zparts);
    if (!zparts) abort();
    for (size_t i = 0; i < f.nparts; i++) {
      Part *p = &f.parts[i];
      tmpl_serialize(&p->out, p->doc);
      zparts[i] = (ZipPart){p->name, p->out.data, p->out.len};
    }
    char *error = NULL;
    if (!f.errors.count && zip_package_write(f.pkg, out_path, zparts, f.nparts, 1, &error) != 0) {
      errlist_addf(&f.errors, "%s", error ? error : "не удалось записать документ");
      free(error);
    }
    free(zparts);
  }
  fill_free(&f);
  errors->items = f.errors.items;
  errors->count = f.errors.count;
  return errors->count ? -1 : 0;
}

void template_errors_free(TemplateErrors *errors) {
  for (size_t i = 0; i < errors->count; i++) free(errors->items[i]);
  free(errors->items);
  errors->items = NULL;
  errors->count = 0;
}
