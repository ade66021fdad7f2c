/*
 * render: the second step of a fill (fill.h). Markers are met in document order; a value
 * replaces its marker; a loop copies its body once per item before the original, renders each
 * copy with the item as the innermost scope, then removes the original body and its tags.
 * Copies carry the markers of the tags inside them, so nested loops work the same way at every
 * depth. After each step the walk goes on from the first node the step did not handle (never
 * from the start again), so a part costs time in proportion to its size and what it makes.
 *
 * What a loop repeats (tags.c pairs them, compile.c classifies them):
 *   LOOP_INLINE  both tags in one paragraph: the runs between them;
 *   LOOP_PARA    each tag alone in its paragraph: the paragraphs between (the tag paragraphs
 *                leave no trace but what keep.c keeps of them);
 *   LOOP_SPLIT   tags in sibling paragraphs that hold other text too, as docxtemplater's
 *                paragraph loops: the body runs from after the opening tag to before the
 *                closing one; the text before the opening tag stays in the first paragraph,
 *                the text after the closing one in the last, and the end of one copy joins
 *                the start of the next in one paragraph;
 *   LOOP_ROW     tags in different cells of one table: the rows from the one to the other.
 */
#include <string.h>

#include "fill.h"
#include "keep.h"
#include "memory.h"

typedef struct {
  xmlNode *parent, *before, *after; /* the range lies strictly between before and after */
} Range;

static xmlNode *range_first(const Range *r) {
  xmlNode *n = r->before ? r->before->next : r->parent->children;
  return n == r->after ? NULL : n;
}

/* The next node in document order that is not inside n, or NULL past the range. */
static xmlNode *skip_subtree(xmlNode *n, const Range *r) {
  for (; n; n = n->parent) {
    if (n->parent == r->parent) {
      xmlNode *x = n->next;
      return x == r->after ? NULL : x;
    }
    if (n == r->parent) return NULL;
    if (n->next) return n->next;
  }
  return NULL;
}

static xmlNode *next_node(xmlNode *n, const Range *r) {
  if (n->type == XML_ELEMENT_NODE && n->children) return n->children;
  return skip_subtree(n, r);
}

/* Where to go on after a node that stood before `next` under `parent` was handled: next, or
 * what follows parent. */
static xmlNode *go_on(xmlNode *next, xmlNode *parent, const Range *r) {
  if (next) return next == r->after ? NULL : next;
  if (!parent || parent == r->parent) return NULL;
  return skip_subtree(parent, r);
}

/* Removes the marker at byte offset pos (length mlen) of text node t. */
static void cut_marker(xmlNode *t, size_t pos, size_t mlen) {
  const char *s = (const char *)t->content;
  size_t len = strlen(s);
  char *copy = tmpl_strndup(s, len);
  memmove(copy + pos, copy + pos + mlen, len - pos - mlen + 1);
  tmpl_set_text(t, copy, len - mlen);
  memory_free(copy);
}

static void strip_marker(xmlNode *t, long id) {
  size_t mlen;
  long pos = marker_find(t, id, &mlen);
  if (pos >= 0) cut_marker(t, (size_t)pos, mlen);
}

/* Writes value (clean text) in place of the marker at pos of t: in t itself when it is plain
 * text, else as segments (breaks, tabs, space runs) after t's holder. Returns the text node
 * holding what followed the marker (t itself, or a new one), and its offset in *from. */
static xmlNode *write_value(Fill *f, xmlNode *t, size_t pos, size_t mlen, const char *value,
                            size_t vlen, size_t *from) {
  const TmplFormat *fmt = f->cur->fmt;
  const char *content = (const char *)t->content;
  size_t clen = strlen(content);
  f->growth += vlen;
  int plain = tmpl_one_segment(fmt, value, vlen);
  Buf *b = &f->tmp2;
  b->len = 0;
  buf_add(b, content, pos);
  if (plain) {
    buf_add(b, value, vlen);
    buf_add(b, content + pos + mlen, clen - pos - mlen);
    tmpl_set_text(t, b->data, b->len);
    fmt->touch(fmt->holder(t));
    *from = pos + vlen;
    return t;
  }
  Segs segs = {0};
  size_t n = tmpl_segment(fmt, value, vlen, &segs);
  size_t i = 0;
  if (segs.items[0].kind == SEG_TEXT) { /* t keeps the prefix and the first text segment */
    buf_add(b, value + segs.items[0].start, segs.items[0].len);
    i = 1;
  }
  char *suffix = tmpl_strndup(content + pos + mlen, clen - pos - mlen);
  size_t slen = clen - pos - mlen;
  *from = b->len;
  if (i == n) buf_add(b, suffix, slen);
  tmpl_set_text(t, b->data, b->len);
  xmlNode *holder = fmt->holder(t);
  fmt->touch(holder);
  xmlNode *cur = holder, *rest = i == n ? t : NULL;
  for (; i < n; i++) {
    b->len = 0;
    buf_add(b, value + segs.items[i].start, segs.items[i].len);
    int last = i + 1 == n;
    if (last && segs.items[i].kind == SEG_TEXT) {
      *from = b->len;
      buf_add(b, suffix, slen);
    }
    xmlNode *node = fmt->new_segment(holder, segs.items[i].kind, b->data, segs.items[i].n);
    tmpl_insert_after(cur, node);
    cur = node;
    if (last && segs.items[i].kind == SEG_TEXT) rest = node;
    if (last && segs.items[i].kind != SEG_TEXT) {
      xmlNode *r = fmt->new_segment(holder, SEG_TEXT, suffix, 0);
      tmpl_insert_after(cur, r);
      rest = r;
      *from = 0;
    }
  }
  memory_free(suffix);
  memory_free(segs.items);
  /* the text node of the holder that took what followed */
  if (rest && rest->type != XML_TEXT_NODE) rest = rest->children;
  return rest;
}

/* Takes a loop tag out of the text; when it stood alone in its paragraph and the paragraph
 * has a sibling paragraph (a cell must keep one) and holds nothing else worth keeping, the
 * paragraph goes too. */
static void drop_tag(Fill *f, xmlNode *t, long id) {
  const TmplFormat *fmt = f->cur->fmt;
  xmlNode *para = fill_paragraph_of(fmt, t);
  if (para && f->cur->tags[id].alone && !keep_holds_more(fmt, para)) {
    for (xmlNode *s = para->parent ? para->parent->children : NULL; s; s = s->next) {
      if (s != para && s->type == XML_ELEMENT_NODE && fmt->is_paragraph(s)) {
        keep_move_out(fmt, para, 0);
        tmpl_remove(para);
        return;
      }
    }
  }
  strip_marker(t, id);
}

/* The properties child of e before child `before` (w:rPr, w:pPr), or NULL. */
static xmlNode *props_of(const TmplFormat *fmt, xmlNode *e, xmlNode *before) {
  for (xmlNode *c = e->children; c && c != before; c = c->next)
    if (c->type == XML_ELEMENT_NODE && (fmt->is_props(c) || tmpl_is(c, NS_W, "pPr"))) return c;
  return NULL;
}

/* A copy of props for the other half of a split: without the section break, which stays in
 * the left half (callers move it where it belongs). */
static xmlNode *props_copy(xmlNode *props, int keep_section) {
  xmlNode *copy = tmpl_copy(props, 1);
  xmlNode *sect = keep_section ? NULL : tmpl_find_child(copy, NS_W, "sectPr");
  if (sect) tmpl_remove(sect);
  return copy;
}

/* Splits the ancestors of x below stop so that x starts a part of its own: returns the child of
 * stop that now begins with x (x when its parent is stop). Both parts keep the properties
 * (w:rPr, w:pPr; a section break stays in the left part). The smaller side of each split is
 * the one moved, so that cutting a long run again and again costs n log n, not n². */
static xmlNode *split_before(const TmplFormat *fmt, xmlNode *x, xmlNode *stop) {
  xmlNode *e = x;
  while (e->parent && e->parent != stop) {
    xmlNode *parent = e->parent;
    xmlNode *props = props_of(fmt, parent, e);
    xmlNode *l = e->prev, *r = e->next;
    while (l && r) {
      l = l->prev;
      r = r->next;
    }
    xmlNode *copy = tmpl_copy(parent, 0);
    if (l) { /* the right side is the smaller: it moves into a copy after parent */
      if (props) tmpl_append_child(copy, props_copy(props, 0));
      for (xmlNode *m = e; m;) {
        xmlNode *next = m->next;
        tmpl_unlink(m);
        tmpl_append_child(copy, m);
        m = next;
      }
      tmpl_insert_after(parent, copy);
      e = copy;
    } else { /* the left side moves into a copy before parent, which keeps e and after */
      if (props) tmpl_append_child(copy, props_copy(props, 1));
      for (xmlNode *m = parent->children; m && m != e;) {
        xmlNode *next = m->next;
        if (m != props) {
          tmpl_unlink(m);
          tmpl_append_child(copy, m);
        }
        m = next;
      }
      if (props) {
        xmlNode *sect = tmpl_find_child(props, NS_W, "sectPr");
        if (sect) tmpl_remove(sect);
      }
      tmpl_insert_before(parent, copy);
      e = parent;
    }
  }
  return e;
}

/* Splits the run-level element holding text node t at byte offset off of t; returns the
 * run-level node that starts at off. */
static xmlNode *split_at(const TmplFormat *fmt, xmlNode *t, size_t off, xmlNode *para) {
  xmlNode *top = fill_run_top(fmt, t, para);
  const char *content = (const char *)t->content;
  xmlNode *t2 = tmpl_new_text(t->doc, content + off);
  tmpl_insert_after(t, t2);
  tmpl_set_text(t, content, off);
  return split_before(fmt, t2, top->parent);
}

/* Makes the marker of tag id the only content of a run-level node of its own; returns it. */
static xmlNode *isolate(Fill *f, xmlNode *t, long id, xmlNode *para) {
  size_t mlen;
  long pos = marker_find(t, id, &mlen);
  if (pos < 0) return NULL;
  const TmplFormat *fmt = f->cur->fmt;
  split_at(fmt, t, (size_t)pos + mlen, para);
  return split_at(fmt, t, (size_t)pos, para);
}

static void remove_span(xmlNode *from, xmlNode *to) {
  for (xmlNode *n = from; n;) {
    xmlNode *next = n->next;
    tmpl_remove(n);
    if (n == to) break;
    n = next;
  }
}

/* Joins paragraph right into left (left keeps its properties; a section break of right moves
 * to left); returns 1 when joined (*first: the first node moved, or NULL), 0 when either is
 * not a paragraph. */
static int merge(const TmplFormat *fmt, xmlNode *left, xmlNode *right, xmlNode **first_moved) {
  *first_moved = NULL;
  if (!left || !right || left == right || left->type != XML_ELEMENT_NODE ||
      right->type != XML_ELEMENT_NODE || !fmt->is_paragraph(left) || !fmt->is_paragraph(right) ||
      (keep_has_section(left) && keep_has_section(right))) /* two sections stay two paragraphs */
    return 0;
  keep_take_section(left, right);
  xmlNode *first = NULL;
  for (xmlNode *c = right->children; c;) {
    xmlNode *next = c->next;
    if (!tmpl_is(c, NS_W, "pPr")) {
      tmpl_unlink(c);
      tmpl_append_child(left, c);
      if (!first) first = c;
    }
    c = next;
  }
  tmpl_remove(right);
  *first_moved = first;
  return 1;
}

static void render_range(Fill *f, Range r);

/* A rough size of what copying n adds to the document being built (a node of the tree costs
 * about 120 bytes besides its text), for the output limit: it also bounds the memory. */
static size_t weight(xmlNode *n) {
  size_t w = 120;
  if (n->type == XML_TEXT_NODE && n->content) w += strlen((const char *)n->content);
  for (xmlNode *c = n->type == XML_ELEMENT_NODE ? n->children : NULL; c; c = c->next)
    w += weight(c);
  return w;
}

enum { STAMP_FROM = 3 }; /* copies: a stamp costs about two */

/* Whether first..last hold a section break (w:sectPr) anywhere. */
static int holds_section(const xmlNode *first, const xmlNode *last) {
  for (const xmlNode *n = first; n; n = n->next) {
    if (n->type == XML_ELEMENT_NODE &&
        (tmpl_is(n, NS_W, "sectPr") || (n->children && holds_section(n->children, NULL))))
      return 1;
    if (n == last) break;
  }
  return 0;
}

/* Copies first..last before anchor once per item and renders each copy; keeps, for a split
 * loop, the first and last node of each copy in ends[2i], ends[2i+1]. Returns the count made. */
static long repeat(Fill *f, Tag *t, int v, long count, int by_index, xmlNode *first, xmlNode *last,
                   xmlNode *anchor, xmlNode **ends) {
  lua_State *L = f->L;
  size_t body = 0;
  for (xmlNode *n = first;; n = n->next) {
    body += weight(n);
    if (n == last) break;
  }
  /* Copies made from a stamp (tmpl_stamp_make) when the loop makes enough of them to pay for
   * it: the old way copied the body again for each item, so a stamp gives the same copies as
   * long as rendering a copy never changes the body. What it changes is in the copy, but for
   * one thing: a paragraph loop opening a copy moves its section break to the paragraph before
   * (keep_section_before), which is the body's last when the copies go after the body (a
   * paragraph or split loop; a row or inline loop's go before it). */
  TmplStamp stamp;
  size_t nbody = 0;
  xmlNode **roots = NULL;
  if (count >= STAMP_FROM &&
      (first == anchor || anchor->next == first || !holds_section(first, last)) &&
      tmpl_stamp_make(&stamp, first, last) == 0) {
    nbody = stamp.nroots;
    roots = tmpl_check(xmlMalloc(nbody * sizeof *roots)); /* (the fill's arena) */
  } else if (memory_failed()) {
    tmpl_no_memory();
  }
  long made = 0;
  for (long i = 0; i < count && !f->over_limit; i++) {
    if (++f->copies > LIMIT_COPIES) {
      fill_limit(f, "%s: циклы дают больше %d повторов на весь документ (предел; цикл %s)",
                 f->cur->name, LIMIT_COPIES, t->raw);
      break;
    }
    f->growth += body;
    if (f->growth > LIMIT_OUTPUT_BYTES) {
      fill_limit(f, "%s: документ получается больше %zu МиБ (предел; цикл %s)", f->cur->name,
                 LIMIT_OUTPUT_BYTES >> 20, t->raw);
      break;
    }
    if (!lua_checkstack(L, 4)) tmpl_no_memory();
    if (by_index)
      lua_rawgeti(L, v, (lua_Integer)(i + 1));
    else
      lua_pushvalue(L, v);
    f->loop_names[f->nscopes] = t->name;
    f->loop_items[f->nscopes] = by_index ? i + 1 : 0;
    f->scopes[f->nscopes++] = lua_gettop(L);
    xmlNode *before = anchor->prev;
    if (roots) {
      tmpl_stamp_copy(&stamp, roots);
      for (size_t k = 0; k < nbody; k++) tmpl_insert_before(anchor, roots[k]);
    } else {
      for (xmlNode *n = first;; n = n->next) {
        tmpl_insert_before(anchor, tmpl_copy(n, 1));
        if (n == last) break;
      }
    }
    f->cur->copied = 1;
    if (i > 0 && (t->kind == LOOP_PARA || t->kind == LOOP_SPLIT)) /* sections: body level only */
      keep_repeated_copy(f->cur->fmt, before ? before->next : anchor->parent->children, anchor);
    render_range(f, (Range){anchor->parent, before, anchor});
    if (ends) {
      xmlNode *a = before ? before->next : anchor->parent->children;
      ends[2 * made] = a == anchor ? NULL : a;
      ends[2 * made + 1] = anchor->prev == before ? NULL : anchor->prev;
    }
    made++;
    f->nscopes--;
    lua_pop(L, 1);
  }
  return made;
}

/* Renders the loop whose opening tag o has its marker in text node no; returns the node to go
 * on from. */
static xmlNode *render_loop(Fill *f, const Range *r, xmlNode *no, long o) {
  lua_State *L = f->L;
  Part *p = f->cur;
  const TmplFormat *fmt = p->fmt;
  Tag *t = &p->tags[o];
  long c = t->partner;
  xmlNode *nc = NULL;
  size_t mlen;
  for (xmlNode *n = no; n; n = next_node(n, r))
    if (n->type == XML_TEXT_NODE && marker_find(n, c, &mlen) >= 0) {
      nc = n;
      break;
    }
  if (!nc || t->kind == LOOP_NONE) { /* a loop reported when compiled, or broken */
    strip_marker(no, o);
    if (nc) strip_marker(nc, c);
    return no;
  }
  if (f->nscopes > LIMIT_LOOP_DEPTH) {
    fill_limit(f, "%s: циклы вложены глубже %d уровней (предел; цикл %s)", p->name,
               LIMIT_LOOP_DEPTH, t->raw);
    return NULL;
  }
  if (!lua_checkstack(L, 8)) tmpl_no_memory();
  p->restructured = 1;
  values_push(f, t, 0);
  int v = lua_gettop(L);
  int by_index;
  long count = values_loop_count(f, v, t->type == TAG_INVERSE, &by_index);
  if (t->type == TAG_INVERSE) { /* the scope stays as it was */
    lua_pushvalue(L, f->scopes[f->nscopes - 1]);
    lua_replace(L, v);
  }
  xmlNode *go = NULL;
  switch (t->kind) {
    case LOOP_ROW: {
      xmlNode *ro = tmpl_ancestor(no, fmt->is_row, NULL),
              *rc = tmpl_ancestor(nc, fmt->is_row, NULL);
      xmlNode *table = ro->parent, *after = rc->next;
      /* A row holding nothing but its loop tag goes; a row with more keeps what else it has,
       * less the paragraph of a tag that stood alone in it (if the cell has another). */
      xmlNode *first = ro, *last = rc;
      if (t->rows_alone & 1)
        first = ro->next;
      else
        drop_tag(f, no, o);
      if (t->rows_alone & 2)
        last = rc->prev;
      else
        drop_tag(f, nc, c);
      int has_body = first && last && first != rc->next && last != ro->prev &&
                     !(first == rc && (t->rows_alone & 2)) && !(last == ro && (t->rows_alone & 1));
      if (has_body) repeat(f, t, v, count, by_index, first, last, ro, NULL);
      remove_span(ro, rc);
      go = go_on(after, table, r);
      /* A table whose only rows were the loop's, with nothing to repeat: Word and LibreOffice
       * reject a table without rows, so it goes. */
      int rows = 0;
      for (xmlNode *x = table->children; x && !rows; x = x->next)
        rows = x->type == XML_ELEMENT_NODE && fmt->is_row(x);
      if (!rows && (tmpl_is(table, NS_W, "tbl") || tmpl_is(table, NS_TABLE, "table"))) {
        xmlNode *tnext = table->next, *tparent = table->parent;
        tmpl_remove(table);
        go = go_on(tnext, tparent, r);
      }
      break;
    }
    case LOOP_PARA: {
      xmlNode *po = fill_paragraph_of(fmt, no), *pc = fill_paragraph_of(fmt, nc);
      xmlNode *parent = po->parent, *after = pc->next;
      /* What the tag paragraphs hold besides their tags is kept (keep.c): bookmarks move out
       * beside them, a section break of the opening one to the paragraph before; what else the
       * opening one holds (a page break, a drawing) repeats with each item, and what the
       * closing one holds stays once after the loop. */
      strip_marker(no, o);
      strip_marker(nc, c);
      keep_move_out(fmt, po, 0);
      keep_move_out(fmt, pc, 1);
      keep_section_before(fmt, po);
      int open_stays = keep_has_section(po);
      int open_repeats = !open_stays && keep_holds_more(fmt, po);
      xmlNode *first = open_repeats ? po : po->next, *last = pc->prev;
      if (first != pc) {
        repeat(f, t, v, count, by_index, first, last, pc, NULL);
        remove_span(first, last);
      }
      if (!open_repeats && !open_stays && !keep_only_block_of_cell(fmt, po)) tmpl_remove(po);
      if (!keep_close_paragraph(fmt, pc) && !keep_only_block_of_cell(fmt, pc)) tmpl_remove(pc);
      go = go_on(after, parent, r);
      break;
    }
    case LOOP_SPLIT: {
      xmlNode *po = fill_paragraph_of(fmt, no), *pc = fill_paragraph_of(fmt, nc);
      xmlNode *ro = isolate(f, no, o, po), *rc = isolate(f, nc, c, pc);
      xmlNode *pb = split_before(fmt, ro, po->parent);
      po = pb->prev; /* the left half, whichever node that is now */
      xmlNode *pd = split_before(fmt, rc, pc->parent);
      pc = pd->prev;
      keep_take_section(pd, pc); /* the paragraph ends in pd */
      tmpl_remove(ro);
      tmpl_remove(rc);
      long n = count > 0 ? count : 0;
      xmlNode **ends =
          n ? tmpl_alloc((size_t)(n > LIMIT_COPIES ? LIMIT_COPIES : n) * 2 * sizeof *ends) : NULL;
      long made = repeat(f, t, v, count, by_index, pb, pc, pd, ends);
      remove_span(pb, pc);
      /* join: po + first copy, end of each copy + start of the next, end of the last + pd */
      xmlNode *left = po, *moved;
      for (long i = 0; i < made; i++) {
        xmlNode *a = ends[2 * i], *b = ends[2 * i + 1];
        if (!a) continue;
        if (merge(fmt, left, a, &moved) && a == b) b = left; /* one paragraph, joined into left */
        left = b;
      }
      memory_free(ends);
      xmlNode *after = pd->next, *parent = pd->parent;
      if (merge(fmt, left, pd, &moved))
        go = moved ? moved : go_on(after, parent, r);
      else
        go = pd;
      break;
    }
    default: { /* LOOP_INLINE */
      xmlNode *para = fill_paragraph_of(fmt, no);
      xmlNode *rc = isolate(f, nc, c, para);
      xmlNode *ro = isolate(f, no, o, para);
      xmlNode *after = rc->next, *parent = rc->parent;
      if (ro->next != rc) repeat(f, t, v, count, by_index, ro->next, rc->prev, ro, NULL);
      remove_span(ro, rc);
      go = go_on(after, parent, r);
      break;
    }
  }
  lua_settop(L, v - 1);
  return go;
}

/* Reads the rich text at v into paragraphs (in arena); 0 after reporting what is wrong. */
static int read_rich(Fill *f, const Tag *tag, int v, Arena *arena, RichPara **paras, size_t *n) {
  ViewReader reader = {.L = f->L, .arena = arena};
  char where[300];
  snprintf(where, sizeof where, "значение %s", tag->raw);
  ViewBlocks blocks;
  ViewStatus st = view_read_blocks(&reader, v, where, VIEW_IN_CELL, &blocks);
  if (st == VIEW_NO_MEMORY) tmpl_no_memory();
  if (st != VIEW_OK) {
    fill_tag_error(f, tag, "%s", reader.message);
    return 0;
  }
  *n = rich_paragraphs(arena, &blocks, paras);
  return 1;
}

/* What a table is given to remember its rows with, and the fit the document will be given
 * (DOCX rows are written fitted). */
static TmplRowMemo *row_memo(Fill *f) {
  TmplRowMemo *memo = &f->row_memo;
  memo->key.len = 0;
  memo->key.failed = 0;
  memo->pending = &f->row_pending;
  memo->has_fit = f->options.fit;
  memo->fit = (TmplFit){f->options.fit_size, f->options.fit_leading, f->options.fit_space};
  return memo;
}

/* Writes a rich-text or table value whose tag stands alone in paragraph para: returns 1 when
 * the paragraph was replaced. */
static int write_blocks(Fill *f, const Tag *tag, xmlNode *t, xmlNode *para, int v, int kind) {
  const TmplFormat *fmt = f->cur->fmt;
  f->cur->restructured = 1;
  Arena *arena = &f->scratch; /* freed with the fill should anything raise */
  ViewReader reader = {.L = f->L, .arena = arena};
  char where[300];
  snprintf(where, sizeof where, "значение %s", tag->raw);
  int replaced = 0;
  if (kind == VIEW_TABLE) {
    ViewTable view;
    ViewStatus st = view_read_table(&reader, v, where, &view);
    if (st == VIEW_NO_MEMORY) tmpl_no_memory();
    if (st != VIEW_OK) {
      fill_tag_error(f, tag, "%s", reader.message);
    } else if (view.nrows == 0) { /* no rows: like empty rich text */
      if (!keep_only_block_of_cell(fmt, para)) {
        fmt->rich(para, t, NULL, 0);
        replaced = 1;
      }
    } else {
      /* The table's layout depends on its model alone: made once for the document's DOCX and
       * ODT when the share keeps the model (beside it, in its arena), each format's widths
       * and memo then set on a copy (the writers only read the rest). */
      TmplTable tab;
      size_t bad_row = 0;
      const TmplTable *made = reader.kept_extra ? *reader.kept_extra : NULL;
      if (made) {
        tab = *made;
      } else {
        void **keep = reader.kept_extra;
        bad_row = table_layout(keep ? reader.kept_arena : arena, &view, &tab);
        TmplTable *kept = keep && !bad_row ? arena_alloc(reader.kept_arena, sizeof *kept) : NULL;
        if (kept) {
          *kept = tab;
          *keep = kept;
        }
      }
      if (bad_row) {
        fill_tag_error(f, tag,
                       "в таблице «%s» ячейки строки %zu не помещаются в %zu столбцов (с учётом "
                       "colspan и rowspan ячеек выше) (тег %s)",
                       tag->name, bad_row, tab.ncols, tag->raw);
      } else {
        double width = fmt->text_width(para, f->styles);
        tab.width_known = width > 0;
        table_widths(arena, &view, &tab, width > 0 ? width : 170);
        tab.memo = row_memo(f);
        fmt->table(para, t, &tab);
        replaced = 1;
      }
    }
  } else {
    RichPara *paras;
    size_t n;
    if (read_rich(f, tag, v, arena, &paras, &n) && (n > 0 || !keep_only_block_of_cell(fmt, para))) {
      for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < paras[i].nruns; k++) f->growth += strlen(paras[i].runs[k].text) + 64;
      fmt->rich(para, t, paras, n);
      replaced = 1;
    }
  }
  arena_free(arena);
  return replaced;
}

/* The text of rich-text blocks, one line a paragraph or item (a tag not alone). */
static void blocks_text(Fill *f, const Tag *tag, int v, Buf *out) {
  RichPara *paras;
  size_t n;
  if (read_rich(f, tag, v, &f->scratch, &paras, &n)) {
    int first = 1;
    for (size_t i = 0; i < n; i++) {
      if (paras[i].space_mm > 0) continue;
      if (!first) buf_str(out, "\n");
      first = 0;
      if (paras[i].is_item) {
        buf_str(out, paras[i].label);
        buf_str(out, " ");
      }
      for (size_t k = 0; k < paras[i].nruns; k++) buf_str(out, paras[i].runs[k].text);
    }
  }
  arena_free(&f->scratch);
}

/* Renders value tag id whose marker is at pos of t. Returns the node to go on from and the
 * offset in it. */
static xmlNode *render_text(Fill *f, const Range *r, xmlNode *t, size_t pos, size_t mlen, long id,
                            size_t *from) {
  lua_State *L = f->L;
  Part *p = f->cur;
  const TmplFormat *fmt = p->fmt;
  const Tag *tag = &p->tags[id];
  values_push(f, tag, !p->quiet[id]);
  int v = lua_gettop(L);
  Buf *out = &f->tmp;
  out->len = 0;
  buf_add(out, "", 0);
  int type = lua_type(L, v);
  if (type == LUA_TSTRING || type == LUA_TNUMBER) {
    size_t n;
    const char *s = lua_tolstring(L, v, &n); /* a number converts on the stack only */
    tmpl_sanitize(out, s, n);
  } else if (type == LUA_TTABLE) {
    int kind = view_kind_of(L, v);
    if (kind == VIEW_QR && fmt != &tmpl_docx && fmt != &tmpl_odt) {
      fill_tag_error(f, tag,
                     "значение %s — QR-код: его можно поставить только в текст документа, "
                     "колонтитул или сноску, а не в часть %s",
                     tag->raw, p->name);
      lua_settop(L, v - 1);
      return write_value(f, t, pos, mlen, "", 0, from);
    }
    xmlNode *qr_para = kind == VIEW_QR ? fill_paragraph_of(fmt, t) : NULL;
    xmlNode *run = qr_para ? isolate(f, t, id, qr_para) : NULL;
    if (run) { /* a QR code: a picture in place of the tag, wherever it stands */
      xmlNode *pic = picture_qr(f, tag, run, v);
      lua_settop(L, v - 1);
      *from = 0;
      /* not made: said why, and nothing is written; the marker stays in the dropped tree */
      return pic ? go_on(pic->next, pic->parent, r) : go_on(run->next, run->parent, r);
    }
    int empty = kind < 0 && lua_rawlen(L, v) == 0 && (lua_pushnil(L), lua_next(L, v) == 0);
    if (kind < 0 && !empty) lua_settop(L, v);
    xmlNode *para = tag->alone ? fill_paragraph_of(fmt, t) : NULL;
    int can_replace = para && fmt->rich && !keep_holds_more(fmt, para);
    if (kind == VIEW_TABLE && !(can_replace && fmt->table)) {
      fill_tag_error(f, tag,
                     "значение «%s» — таблица: её тег должен стоять один в своём абзаце%s (тег %s)",
                     tag->name,
                     !fmt->table ? " основного текста, верхнего или нижнего колонтитула"
                     : para && keep_holds_more(fmt, para)
                         ? ", а в этом абзаце есть ещё разрыв, рисунок, закладка или поле"
                         : "",
                     tag->raw);
    } else if (kind == VIEW_TABLE || ((kind == VIEW_PARA || empty) && can_replace)) {
      keep_move_out(fmt, para, 0); /* its bookmarks stay, beside what replaces it */
      xmlNode *next = para->next, *parent = para->parent;
      if (write_blocks(f, tag, t, para, v, kind == VIEW_TABLE ? VIEW_TABLE : VIEW_PARA)) {
        lua_settop(L, v - 1);
        *from = 0;
        /* the paragraph may stay (empty) when it carries a section break */
        xmlNode *kept = next ? next->prev : parent->last;
        if (kept == para) return go_on(para->next, parent, r);
        return go_on(next, parent, r);
      }
      if (kind == VIEW_TABLE) out->len = 0;
    } else if (kind == VIEW_PARA) {
      blocks_text(f, tag, v, out); /* not alone: one line a paragraph or item */
    } else if (!empty) {
      fill_tag_error(f, tag,
                     "значение %s — таблица, а не текст; чтобы вывести список, нужен цикл "
                     "{#%s}…{/%s}",
                     tag->raw, tag->name, tag->name);
    }
  } else if (type == LUA_TFUNCTION || type == LUA_TUSERDATA || type == LUA_TTHREAD ||
             type == LUA_TLIGHTUSERDATA) {
    fill_tag_error(f, tag, "значение %s — не текст и не число, его нельзя вывести", tag->raw);
  } /* nil, booleans: nothing */
  lua_settop(L, v - 1);
  return write_value(f, t, pos, mlen, out->data, out->len, from);
}

static void render_range(Fill *f, Range r) {
  Part *p = f->cur;
  const TmplFormat *fmt = p->fmt;
  xmlNode *n = range_first(&r);
  size_t from = 0;
  while (n && !f->over_limit) {
    if (n->type == XML_TEXT_NODE && n->content && n->parent && fmt->is_text_parent(n->parent)) {
      const char *s = (const char *)n->content;
      const char *m = strchr(s + from, MARK_OPEN);
      if (m) {
        size_t pos = (size_t)(m - s), mlen;
        long id = marker_read(m, &mlen);
        if (id < 0 || (size_t)id >= p->ntags) { /* not ours: the stray byte goes */
          cut_marker(n, pos, 1);
          from = pos;
          continue;
        }
        Tag *t = &p->tags[id];
        if (t->type == TAG_TEXT && !t->broken) {
          n = render_text(f, &r, n, pos, mlen, id, &from);
        } else if (t->type == TAG_CLOSE || t->partner < 0 || t->broken) {
          cut_marker(n, pos, mlen);
          from = pos;
        } else {
          n = render_loop(f, &r, n, id);
          from = 0;
        }
        continue;
      }
    }
    n = next_node(n, &r);
    from = 0;
  }
}

void render_part(Fill *f, Part *p) {
  f->cur = p;
  xmlNode *root = xmlDocGetRootElement(p->doc);
  render_range(f, (Range){root, NULL, NULL});
  if (p->fmt->finish && p->restructured) p->fmt->finish(root);
  if (p->copied && p->may_have_ids) keep_unique_ids(f, p);
}
