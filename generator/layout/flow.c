/* flow: see flow.h. */
#include "layout/flow.h"

#include <stdio.h>
#include <string.h>

#include "layout/stack.h"
#include "layout/table.h"

static const double EPS = 0.01;

bool flow_new_page(Flow *f, bool landscape) {
  const Document *d = f->doc;
  /* A guard against input that cannot be laid out (margins and padding leaving no room),
   * which would otherwise add empty pages for ever. */
  if (f->ctx->display->npages >= FLOW_MAX_PAGES) {
    f->ctx->error = "документ длиннее " FLOW_MAX_PAGES_TEXT
                    " страниц: поля или отступы не "
                    "оставляют места для текста?";
    return false;
  }
  double w = landscape ? d->page_height : d->page_width;
  double h = landscape ? d->page_width : d->page_height;
  f->page = display_add_page(f->ctx->display, w, h);
  if (!f->page) return false;
  f->landscape = landscape;
  f->left = d->margin_left;
  f->width = w - d->margin_left - d->margin_right;
  f->top = d->margin_top;
  f->bottom = h - d->margin_bottom;
  f->y = f->top;
  f->continued = true; /* explicit breaks clear it */
  return true;
}

static bool draw_lines(Flow *f, const Line *lines, long from, long to, double x) {
  for (long i = from; i < to; i++) {
    if (!stack_draw_line(f->ctx, f->page, &lines[i], x, f->y)) return false;
    f->y += lines[i].height;
  }
  return true;
}

/* How much of the next block must share the page with a keep_with_next paragraph: two lines
 * of a paragraph, or a table's header and first line (estimated from its first cell). */
static double reserve_for(LayoutContext *ctx, const Block *next) {
  if (next->kind == BLOCK_PARA) {
    return next->as.para.space_before + 2 * linebreak_line_height(ctx, &next->as.para);
  }
  if (next->kind == BLOCK_TABLE) {
    const Table *t = &next->as.table;
    for (size_t r = 0; r < t->nrows; r++) {
      for (size_t c = 0; c < t->rows[r].ncells; c++) {
        const BlockList *bl = &t->rows[r].cells[c].content;
        if (bl->count > 0 && bl->items[0].kind == BLOCK_PARA) {
          return 2 * (linebreak_line_height(ctx, &bl->items[0].as.para) + 2 * t->padding);
        }
      }
    }
  }
  return 0;
}

/* A paragraph, broken between lines with two lines at least on either side of a break. */
static bool place_para(Flow *f, const Para *p, double reserve) {
  Line *lines;
  long n = linebreak(f->ctx, p, f->width, &lines);
  if (n < 0) return false;
  if (!flow_drops_space(f)) f->y += p->space_before;
  if (n == 0) {
    f->y += linebreak_line_height(f->ctx, p); /* an empty paragraph is an empty line */
    if (f->y > f->bottom && !flow_new_page(f, f->landscape)) return false;
    return true;
  }
  double total = 0;
  for (long i = 0; i < n; i++) total += lines[i].height;
  double body = f->bottom - f->top;
  long i = 0;
  for (int guard = 0; i < n && guard < 100000; guard++) {
    double rest = 0;
    for (long k = i; k < n; k++) rest += lines[k].height;
    if (f->y + rest <= f->bottom + EPS) {
      /* All the rest fits; keep_with_next wants the next block's start here too. */
      if (reserve > 0 && i == 0 && !flow_at_top(f) && f->y + rest + reserve > f->bottom + EPS &&
          total + reserve <= body) {
        if (!flow_new_page(f, f->landscape)) return false;
        continue;
      }
      if (!draw_lines(f, lines, i, n, f->left)) return false;
      i = n;
      break;
    }
    long fit = 0;
    double y = f->y;
    while (i + fit < n && y + lines[i + fit].height <= f->bottom + EPS)
      y += lines[i + fit++].height;
    long cut = i + fit;
    if (n - cut < 2) cut = n - 2;   /* no widow: two lines at least go over */
    if (i == 0 && cut < 2) cut = 0; /* no orphan: two lines at least stay */
    /* no page ends inside a hyphenated word, if two lines still stay */
    while (cut - i >= 3 && cut < n && stack_line_ends_hyphen(&lines[cut - 1])) cut--;
    if (cut <= i) {
      if (!flow_at_top(f)) {
        if (!flow_new_page(f, f->landscape)) return false;
        continue;
      }
      cut = i + (fit > 0 ? fit : 1); /* taller than a page: rules give way */
    }
    if (!draw_lines(f, lines, i, cut, f->left)) return false;
    if (!flow_new_page(f, f->landscape)) return false;
    i = cut;
  }
  f->y += p->space_after;
  return true;
}

/* A box (the approval stamp): never broken, placed at the column's right, left or centre. */
static bool place_box(Flow *f, const Box *b) {
  double width = b->width > 0 && b->width < f->width ? b->width : f->width;
  Stack s;
  if (!stack_build(f->ctx, &b->content, width, &s)) return false;
  if (!flow_at_top(f) && f->y + s.height > f->bottom + EPS) {
    if (!flow_new_page(f, f->landscape)) return false;
  }
  double x = f->left;
  if (b->align == ALIGN_RIGHT) x += f->width - width;
  if (b->align == ALIGN_CENTER) x += (f->width - width) / 2;
  for (size_t i = 0; i < s.count; i++) {
    if (s.items[i].line && !stack_draw_line(f->ctx, f->page, s.items[i].line, x, f->y))
      return false;
    f->y += s.items[i].height;
  }
  return true;
}

static bool number_pages(LayoutContext *ctx, const Document *doc) {
  if (doc->number_from <= 0) return true;
  Display *d = ctx->display;
  const LayoutFont *font = ctx->fonts[FACE_REGULAR];
  for (size_t i = 0; i < d->npages; i++) {
    if ((int)i + 1 < doc->number_from) continue;
    char buf[24];
    int len = snprintf(buf, sizeof buf, "%zu", i + 1);
    char *text = arena_strndup(ctx->arena, buf, (size_t)len);
    if (!text) return false;
    DisplayPage *p = &d->pages[i];
    double w = linebreak_measure(ctx, FACE_REGULAR, doc->number_size, text, (size_t)len);
    double column = p->width - doc->margin_left - doc->margin_right;
    double x = doc->margin_left + (column - w) / 2;
    /* Baseline so that the digits sit in the middle of the top margin. */
    double y = doc->margin_top / 2 + font->ascender / font->upem * doc->number_size / 2;
    if (!display_text(d, p, FACE_REGULAR, doc->number_size, x, y, text, (size_t)len)) return false;
    display_move_tail(p, 0, p->nops - 1); /* first in reading order, as it is on paper */
  }
  return true;
}

bool layout_document(LayoutContext *ctx, const Document *doc) {
  Flow f = {.ctx = ctx, .doc = doc};
  if (!flow_new_page(&f, doc->landscape)) return false;
  f.continued = false;
  const BlockList *blocks = &doc->blocks;
  for (size_t i = 0; i < blocks->count; i++) {
    const Block *b = &blocks->items[i];
    bool ok = true;
    switch (b->kind) {
      case BLOCK_PARA: {
        double reserve = 0;
        if (b->as.para.keep_with_next && i + 1 < blocks->count)
          reserve = reserve_for(ctx, &blocks->items[i + 1]);
        ok = place_para(&f, &b->as.para, reserve);
        if (ok && b->as.para.anchor) ok = display_anchor(ctx->display, b->as.para.anchor);
        break;
      }
      case BLOCK_TABLE:
        ok = table_place(&f, &b->as.table);
        break;
      case BLOCK_BOX:
        ok = place_box(&f, &b->as.box);
        break;
      case BLOCK_PAGE_BREAK:
        if (!flow_at_top(&f)) ok = flow_new_page(&f, f.landscape);
        f.continued = false;
        break;
      case BLOCK_SPACE:
        if (!flow_drops_space(&f)) f.y += b->as.space;
        if (f.y > f.bottom) ok = flow_new_page(&f, f.landscape);
        break;
      case BLOCK_PAGE:
        if (flow_at_top(&f) && f.page->nops == 0) {
          ctx->display->npages--; /* the empty page takes the new orientation instead */
        }
        ok = flow_new_page(&f, b->as.landscape);
        f.continued = false;
        break;
    }
    if (!ok || ctx->out_of_memory) return false;
  }
  return number_pages(ctx, doc);
}
