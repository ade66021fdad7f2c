/*
 * compile: the first step of a fill (fill.h). For each paragraph of a part the text of its text
 * nodes is joined into one string (docxtemplater's way), tags.c finds and reads the tags there,
 * and each tag is moved whole into the text node where it starts, replaced by a marker
 * "\1<id>\2" that indexes the part's tag table; the other pieces of a tag are cut from the
 * nodes they were in (whatever runs, bookmarks, proofing marks, comments or processing
 * instructions lay between), and what is left empty goes. A text node that gets several
 * markers is cut into one text node per marker, so that rendering never copies long text
 * again and again. Then loop tags are paired and told what they repeat.
 *
 * Node lifetime: a text node is removed only after its own text has been rewritten, and only
 * its own holder or run goes with it, never one that still holds a piece not yet rewritten;
 * tags remember their text node, which therefore stays alive until rendering.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fill.h"
#include "keep.h"
#include "memory.h"

long marker_read(const char *s, size_t *mlen) {
  long id = 0;
  size_t i = 1;
  while (s[i] >= '0' && s[i] <= '9' && i < 12) id = id * 10 + (s[i++] - '0');
  if (s[i] != MARK_CLOSE || i == 1) {
    *mlen = 1;
    return -1;
  }
  *mlen = i + 1;
  return id;
}

long marker_find(xmlNode *t, long id, size_t *mlen) {
  const char *s = (const char *)t->content;
  *mlen = 0;
  if (!s) return -1;
  for (const char *q = strchr(s, MARK_OPEN); q; q = strchr(q + 1, MARK_OPEN)) {
    if (marker_read(q, mlen) == id) return q - s;
  }
  return -1;
}

xmlNode *fill_paragraph_of(const TmplFormat *fmt, xmlNode *n) {
  while (n && !(n->type == XML_ELEMENT_NODE && fmt->is_paragraph(n))) n = n->parent;
  return n;
}

xmlNode *fill_run_top(const TmplFormat *fmt, xmlNode *t, xmlNode *para) {
  xmlNode *run = tmpl_ancestor(t, fmt->is_run, para);
  if (run) return run;
  xmlNode *n = t;
  while (n->parent && n->parent != para) n = n->parent;
  return n;
}

static void check_filters(Fill *f, const Tag *t) {
  for (int i = 0; i < t->nfilters; i++)
    if (!values_filter_known(f, t->filters[i]))
      fill_tag_error(f, t, "тег %s: неизвестный фильтр «%s»", t->raw, t->filters[i]);
}

void compile_check_filters(Fill *f, Part *p) {
  f->cur = p;
  for (size_t i = 0; i < p->ntags; i++) check_filters(f, &p->tags[i]);
}

/* Context of a position in a paragraph: up to ~60 bytes either side. */
static char *make_context(const char *text, size_t len, size_t start, size_t end) {
  size_t a = start > 60 ? start - 60 : 0;
  while (a > 0 && ((unsigned char)text[a] & 0xC0) == 0x80) a--;
  size_t b = end + 60 < len ? end + 60 : len;
  while (b < len && ((unsigned char)text[b] & 0xC0) == 0x80) b++;
  Buf out = {0};
  if (a > 0) buf_str(&out, "…");
  buf_add(&out, text + a, b - a);
  if (b < len) buf_str(&out, "…");
  return out.data;
}

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
        ps->items = tmpl_grow(ps->items, ps->cap, sizeof *ps->items);
      }
      ps->items[ps->count++] = (Piece){c, ps->text.len, len};
      buf_add(&ps->text, (const char *)c->content, len);
    } else if (c->type == XML_ELEMENT_NODE && !fmt->is_paragraph(c)) {
      collect_pieces(fmt, c, ps);
    }
  }
}

static int only_props(const TmplFormat *fmt, xmlNode *e) {
  for (xmlNode *c = e->children; c; c = c->next)
    if (!(c->type == XML_ELEMENT_NODE && fmt->is_props(c))) return 0;
  return 1;
}

/* Text node t gave all its text to a tag that started elsewhere: it goes; so does its holder
 * (DOCX w:t) when nothing else is in it, and then its run (DOCX w:r, ODT text:span) when
 * nothing but run properties is left. */
static void drop_empty(const TmplFormat *fmt, xmlNode *t, xmlNode *para) {
  xmlNode *holder = fmt->holder(t);
  xmlNode *parent = t->parent;
  tmpl_remove(t);
  if (holder == t) {
    if (!parent || parent == para || !tmpl_is(parent, NS_TEXT, "span") || parent->children) return;
    holder = parent; /* an ODT span left empty */
  } else if (holder->children) {
    return; /* other text (or a comment) is still in the w:t */
  }
  xmlNode *e = holder;
  while (e && e != para) {
    parent = e->parent;
    tmpl_remove(e);
    if (!parent || parent == para) return;
    if (!fmt->is_run(parent) && !tmpl_is(parent, NS_TEXT, "span")) return;
    if (!only_props(fmt, parent)) return;
    e = parent;
  }
}

/* Whether the tail of the last paragraph (from its open "{") and this paragraph's text up to
 * its first "}" (at close) make one tag: then the tag was cut by a paragraph end. */
static int joins_into_tag(Part *p, const char *text, size_t close) {
  if (!p->pending_raw || strlen(p->pending_raw) + close > 200) return 0;
  Buf joined = {0};
  buf_str(&joined, p->pending_raw);
  buf_add(&joined, text, close + 1);
  Tag t;
  const char *why = tags_parse(joined.data, joined.len, &t);
  int ok = !why || t.broken;
  tags_free(&t);
  buf_free(&joined);
  if (why == TAGS_NO_MEMORY) tmpl_no_memory();
  return ok;
}

static void say_pending(Fill *f, Part *p) {
  memory_free(p->pending_raw);
  p->pending_raw = NULL;
  if (!p->pending) return;
  errlist_addf(&f->errors, "%s, абзац «%s», символ %ld: тег не закрыт: до конца абзаца нет «}»",
               p->name, p->pending, p->pending_offset);
  memory_free(p->pending);
  p->pending = NULL;
}

static size_t add_tag(Part *p) {
  if (p->ntags == p->cap) {
    p->cap = p->cap ? p->cap * 2 : 16;
    p->tags = tmpl_grow(p->tags, p->cap, sizeof *p->tags);
    p->tag_node = tmpl_grow(p->tag_node, p->cap, sizeof *p->tag_node);
    p->tag_para = tmpl_grow(p->tag_para, p->cap, sizeof *p->tag_para);
  }
  return p->ntags++;
}

static int blank_at(const char *s, size_t i, size_t n, size_t *w) {
  if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
    *w = 1;
    return 1;
  }
  if ((unsigned char)s[i] == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) {
    *w = 2;
    return 1;
  }
  return 0;
}

/* Whether text[0..len) outside the spans is only white space. */
static int rest_is_blank(const char *text, size_t len, const TagSpan *spans, size_t nspans) {
  size_t k = 0, w;
  for (size_t i = 0; i < len;) {
    if (k < nspans && i >= spans[k].start) {
      i = spans[k++].end;
      continue;
    }
    if (!blank_at(text, i, len, &w)) return 0;
    i += w;
  }
  return 1;
}

/* Replaces the text of piece node t by new_text, cutting it into one text node per marker when
 * it holds several (the extra nodes follow t in the same holder). */
static void rewrite(const TmplFormat *fmt, xmlNode *t, const char *s, size_t n) {
  const char *second = NULL;
  const char *first = memchr(s, MARK_OPEN, n);
  if (first) second = memchr(first + 1, MARK_OPEN, (size_t)(s + n - first - 1));
  if (!second) {
    tmpl_set_text(t, s, n);
  } else {
    size_t head = (size_t)(first - s);
    const char *at = first;
    xmlNode *cur = t;
    if (head) {
      tmpl_set_text(t, s, head);
    } else {
      const char *next = memchr(at + 1, MARK_OPEN, (size_t)(s + n - at - 1));
      size_t len = (size_t)((next ? next : s + n) - at);
      tmpl_set_text(t, at, len);
      at += len;
    }
    while (at < s + n) {
      const char *next = memchr(at + 1, MARK_OPEN, (size_t)(s + n - at - 1));
      size_t len = (size_t)((next ? next : s + n) - at);
      char *chunk = tmpl_strndup(at, len);
      xmlNode *node = xmlNewDocText(t->doc, BAD_CAST chunk);
      memory_free(chunk);
      tmpl_check(node);
      tmpl_insert_after(cur, node);
      cur = node;
      at += len;
    }
  }
  fmt->touch(fmt->holder(t));
}

static void compile_paragraph(Fill *f, Part *p, xmlNode *para) {
  const TmplFormat *fmt = p->fmt;
  Pieces ps = {0};
  collect_pieces(fmt, para, &ps);
  const char *text = ps.text.data;
  size_t len = ps.text.len;
  if (!text || (!memchr(text, '{', len) && !memchr(text, '}', len))) {
    say_pending(f, p);
    memory_free(ps.items);
    buf_free(&ps.text);
    return;
  }
  TagSpan *spans;
  LexError *lerr;
  size_t nspans, nlerr;
  if (tags_lex(text, len, &spans, &nspans, &lerr, &nlerr) != 0) {
    memory_free(ps.items);
    buf_free(&ps.text);
    tmpl_no_memory();
  }
  for (size_t i = 0; i < nlerr; i++) {
    char *ctx = make_context(text, len, lerr[i].pos, lerr[i].pos + 1);
    long offset = utf8_chars(text, lerr[i].pos) + 1;
    int stray = text[lerr[i].pos] == '}';
    int first_brace = !memchr(text, '{', lerr[i].pos);
    if (p->pending && i == 0 && stray && first_brace && joins_into_tag(p, text, lerr[i].pos)) {
      /* a tag cut by a paragraph end: one message pointing at both paragraphs */
      errlist_addf(&f->errors,
                   "%s, абзацы «%s» (символ %ld) и «%s» (символ %ld): тег разорван между двумя "
                   "абзацами; начало тега «{» и его конец «}» должны стоять в одном абзаце",
                   p->name, p->pending, p->pending_offset, ctx, offset);
      memory_free(p->pending);
      p->pending = NULL;
      memory_free(ctx);
      continue;
    }
    say_pending(f, p);
    if (i + 1 == nlerr && text[lerr[i].pos] == '{' &&
        !memchr(text + lerr[i].pos, '}', len - lerr[i].pos)) {
      p->pending = ctx; /* open at the end: said with the next paragraph if it closes there */
      p->pending_offset = offset;
      memory_free(p->pending_raw);
      p->pending_raw = tmpl_strndup(text + lerr[i].pos, len - lerr[i].pos);
      continue;
    }
    errlist_addf(&f->errors, "%s, абзац «%s», символ %ld: %s", p->name, ctx, offset,
                 lerr[i].message);
    memory_free(ctx);
  }
  if (nlerr == 0) say_pending(f, p);
  if (p->ntags + nspans > LIMIT_TAGS_PER_PART) {
    fill_limit(f, "%s: в части больше %d тегов (предел для одной части документа)", p->name,
               LIMIT_TAGS_PER_PART);
    nspans = 0;
  }
  /* Parse each span into a tag; ids[k] is the tag of span k, or -1 when it is broken beyond
   * pairing. */
  long *ids = tmpl_grow(NULL, nspans ? nspans : 1, sizeof *ids);
  int alone = nspans == 1 && rest_is_blank(text, len, spans, nspans);
  size_t piece = 0, counted = 0; /* characters counted up to byte `counted`: offsets in one pass */
  long chars = 0;
  for (size_t k = 0; k < nspans; k++) {
    Tag t;
    const char *why = tags_parse(text + spans[k].start, spans[k].end - spans[k].start, &t);
    if (why == TAGS_NO_MEMORY) {
      tags_free(&t);
      tmpl_no_memory();
    }
    t.context = make_context(text, len, spans[k].start, spans[k].end);
    chars += utf8_chars(text + counted, spans[k].start - counted);
    counted = spans[k].start;
    t.offset = chars + 1;
    t.alone = alone;
    if (why) {
      if (t.broken && t.type == TAG_CLOSE)
        t.broken = 2; /* said after pairing, unless it closes a loop already said */
      else
        fill_tag_error(f, &t, "тег %s: %s", t.raw, why);
      if (!t.broken) {
        tags_free(&t);
        ids[k] = -1;
        continue;
      }
    }
    check_filters(f, &t);
    size_t id = add_tag(p);
    p->tags[id] = t;
    p->tag_para[id] = para;
    ids[k] = (long)id;
    /* the text node where the tag starts (spans and pieces are both in text order) */
    while (piece + 1 < ps.count && ps.items[piece].start + ps.items[piece].len <= spans[k].start)
      piece++;
    p->tag_node[id] = ps.items[piece].node;
  }
  /* Rewrite the pieces: each kept tag becomes its marker in the piece where it starts. */
  size_t j = 0;
  Buf nb = {0};
  for (size_t i = 0; i < ps.count; i++) {
    size_t s = ps.items[i].start, e = s + ps.items[i].len, pos = s;
    while (j < nspans && (ids[j] < 0 || spans[j].end <= s)) j++;
    if (j >= nspans || spans[j].start >= e) continue; /* untouched */
    nb.len = 0;
    buf_add(&nb, "", 0);
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
    if (nb.len == 0)
      drop_empty(fmt, ps.items[i].node, para);
    else
      rewrite(fmt, ps.items[i].node, nb.data, nb.len);
  }
  buf_free(&nb);
  memory_free(ids);
  memory_free(spans);
  memory_free(lerr);
  memory_free(ps.items);
  buf_free(&ps.text);
}

static void compile_tree(Fill *f, Part *p, xmlNode *e) {
  for (xmlNode *c = e->children; c && !f->over_limit; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (p->fmt->is_paragraph(c)) compile_paragraph(f, p, c);
    compile_tree(f, p, c);
  }
}

/* True when the text under e is only white space and marker `id` (paragraphs nested in a
 * paragraph, as in text boxes, do not count; in a row every paragraph does). */
static int only_marker(const TmplFormat *fmt, xmlNode *e, long id, int *seen, int all) {
  for (xmlNode *c = e->children; c; c = c->next) {
    if (c->type == XML_TEXT_NODE && fmt->is_text_parent(e) && c->content) {
      const char *s = (const char *)c->content;
      while (*s) {
        if (*s == MARK_OPEN) {
          size_t mlen;
          long m = marker_read(s, &mlen);
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

static int row_alone(const TmplFormat *fmt, xmlNode *row, long id) {
  int seen = 0;
  return only_marker(fmt, row, id, &seen, 1) && seen;
}

static void match_report(void *ud, size_t i, const char *fmt, ...) {
  Fill *f = ud;
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  fill_tag_error(f, &f->cur->tags[i], "%s", msg);
}

/* Tags inside a loop written in a syntax we do not have say nothing more: what they would say
 * follows from the first error. */
static void quiet_follow_ons(Part *p) {
  for (size_t o = 0; o < p->ntags; o++) {
    Tag *t = &p->tags[o];
    if (t->type != TAG_OPEN && t->type != TAG_INVERSE) continue;
    size_t end = t->partner < 0 ? p->ntags : (size_t)t->partner;
    if (!t->broken && (t->partner < 0 || !p->tags[end].broken)) continue;
    for (size_t k = o + 1; k < end; k++) p->quiet[k] = 1;
  }
}

static void classify_loops(Fill *f, Part *p) {
  const TmplFormat *fmt = p->fmt;
  for (size_t o = 0; o < p->ntags; o++) {
    Tag *t = &p->tags[o];
    if ((t->type != TAG_OPEN && t->type != TAG_INVERSE) || t->partner < 0) continue;
    size_t c = (size_t)t->partner;
    if (t->broken || p->tags[c].broken) continue;
    xmlNode *no = p->tag_node[o], *nc = p->tag_node[c];
    xmlNode *po = p->tag_para[o], *pc = p->tag_para[c];
    if (po == pc) {
      if (fill_run_top(fmt, no, po)->parent != fill_run_top(fmt, nc, pc)->parent) {
        fill_tag_error(f, t,
                       "теги %s и %s стоят в одном абзаце, но один из них внутри гиперссылки, "
                       "поля или правки, а другой нет; поставьте их на одном уровне",
                       t->raw, p->tags[c].raw);
        continue;
      }
      t->kind = LOOP_INLINE;
      continue;
    }
    xmlNode *cell_o = fmt->is_cell ? tmpl_ancestor(no, fmt->is_cell, NULL) : NULL;
    xmlNode *cell_c = fmt->is_cell ? tmpl_ancestor(nc, fmt->is_cell, NULL) : NULL;
    if (cell_o != cell_c) {
      xmlNode *ro = tmpl_ancestor(no, fmt->is_row, NULL),
              *rc = tmpl_ancestor(nc, fmt->is_row, NULL);
      if (!ro || !rc || ro->parent != rc->parent) {
        fill_tag_error(f, t,
                       "теги %s и %s стоят в разных ячейках, но не в строках одной таблицы; "
                       "чтобы повторялись строки, оба тега ставят в ячейки одной таблицы",
                       t->raw, p->tags[c].raw);
        continue;
      }
      t->kind = LOOP_ROW;
      if (ro != rc)
        t->rows_alone = (row_alone(fmt, ro, (long)o) && !keep_row_holds_more(fmt, ro) ? 1 : 0) |
                        (row_alone(fmt, rc, (long)c) && !keep_row_holds_more(fmt, rc) ? 2 : 0);
      continue;
    }
    if (po->parent != pc->parent) {
      fill_tag_error(f, t,
                     "теги %s и %s стоят в абзацах разного уровня (один в рамке, сноске или "
                     "списке внутри другого); поставьте их в абзацы одного уровня",
                     t->raw, p->tags[c].raw);
      continue;
    }
    t->kind = t->alone && p->tags[c].alone ? LOOP_PARA : LOOP_SPLIT;
  }
}

void compile_part(Fill *f, Part *p) {
  f->cur = p;
  compile_tree(f, p, (xmlNode *)p->doc);
  say_pending(f, p);
  p->quiet = tmpl_alloc(p->ntags ? p->ntags : 1);
  if (tags_match(p->tags, p->ntags, match_report, f) != 0) tmpl_no_memory();
  for (size_t i = 0; i < p->ntags; i++) {
    Tag *t = &p->tags[i];
    if (t->broken != 2 || (t->partner >= 0 && p->tags[t->partner].broken)) continue;
    Tag again;
    const char *why = tags_parse(t->raw, strlen(t->raw), &again);
    tags_free(&again);
    if (why == TAGS_NO_MEMORY) tmpl_no_memory();
    fill_tag_error(f, t, "тег %s: %s", t->raw, why ? why : "");
  }
  quiet_follow_ons(p);
  /* Loops nested deeper than the limit are refused before rendering: each level would copy
   * all the levels inside it first. */
  int depth = 0;
  for (size_t i = 0; i < p->ntags && !f->over_limit; i++) {
    const Tag *t = &p->tags[i];
    if (t->partner < 0) continue;
    if (t->type == TAG_OPEN || t->type == TAG_INVERSE) {
      if (++depth > LIMIT_LOOP_DEPTH)
        fill_limit(f, "%s: циклы вложены глубже %d уровней (предел; цикл %s)", p->name,
                   LIMIT_LOOP_DEPTH, t->raw);
    } else if (t->type == TAG_CLOSE) {
      depth--;
    }
  }
  classify_loops(f, p);
}
