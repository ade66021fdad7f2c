/* flow: see flow.h. */
#include "layout/flow.h"

#include <stdio.h>
#include <string.h>

#include "layout/stack.h"
#include "layout/table.h"

static const double EPS = 0.01;
enum { MAX_UNHYPHEN_ROUNDS = 4 };

bool flow_new_page(Flow *f, bool landscape) {
  const Document *d = f->doc;
  if (f->ctx->display->npages >= FLOW_MAX_PAGES) {
    f->ctx->error = "документ получился длиннее " FLOW_MAX_PAGES_TEXT
                    " страниц, а это предел генератора: сократите описание или "
                    "разделите его на несколько";
    f->ctx->failure = LAYOUT_FAILED_LIMIT;
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

/* What the flow knows of a top-level block before placing it. */
typedef struct {
  Line *lines; /* a paragraph broken at its page's width */
  long n;
  double width;    /* its page's text width */
  double height;   /* all of it: a paragraph with its space before, a box, a table set unbroken */
  double start;    /* what of it must stand below something kept with it; < 0: not yet known */
  bool whole;      /* it moves whole: a box, a kept table, a paragraph of three lines or fewer */
  double reserve;  /* what must follow its end on its page */
  int tail;        /* its last lines that must go along with the reserve */
  int need_before; /* lines of text before it that must stand on its page */
} Plan;

static double lines_height(const Line *lines, long from, long to) {
  double h = 0;
  for (long i = from; i < to; i++) h += lines[i].height;
  return h;
}

/* The page's text width in the orientation a block stands in. */
static double text_width(const Document *d, bool landscape) {
  return (landscape ? d->page_height : d->page_width) - d->margin_left - d->margin_right;
}

static double body_height(const Document *d, bool landscape) {
  return (landscape ? d->page_width : d->page_height) - d->margin_top - d->margin_bottom;
}

static bool measure(LayoutContext *ctx, const Document *doc, Plan *plans) {
  const BlockList *blocks = &doc->blocks;
  bool landscape = doc->landscape;
  for (size_t i = 0; i < blocks->count; i++) {
    const Block *b = &blocks->items[i];
    Plan *pl = &plans[i];
    double width = text_width(doc, landscape);
    pl->width = width;
    switch (b->kind) {
      case BLOCK_PARA: {
        const Para *p = &b->as.para;
        pl->n = linebreak(ctx, p, width, &pl->lines);
        if (pl->n < 0) return false;
        double lines =
            pl->n > 0 ? lines_height(pl->lines, 0, pl->n) : linebreak_line_height(ctx, p);
        pl->height = p->space_before + lines;
        pl->whole = pl->n <= 3;
        pl->start = pl->whole ? pl->height : p->space_before + lines_height(pl->lines, 0, 2);
        break;
      }
      case BLOCK_BOX: {
        const Box *box = &b->as.box;
        Stack s;
        if (!stack_build(ctx, &box->content,
                         box->width > 0 && box->width < width ? box->width : width, &s))
          return false;
        pl->height = pl->start = s.height;
        pl->whole = true;
        break;
      }
      case BLOCK_TABLE: {
        const Table *t = &b->as.table;
        pl->start = -1; /* measured when something keeps with it (plan_keeps) */
        if (t->keep_together || b->keep_with_previous > 0) {
          pl->height = table_height(ctx, t, width);
          if (pl->height < 0) return false;
          pl->whole = pl->height <= body_height(doc, landscape);
          if (!pl->whole) ctx->tight = true;
          if (pl->whole) pl->start = pl->height;
        }
        break;
      }
      case BLOCK_SPACE:
        pl->height = pl->start = b->as.space;
        break;
      case BLOCK_PAGE:
        landscape = b->as.landscape;
        break;
      case BLOCK_PAGE_BREAK:
      case BLOCK_QR: /* beside the flow: takes no room where it stands */
        break;
    }
    pl->need_before = b->keep_with_previous;
  }
  return true;
}

/* What of block k must stand with something kept before it (tables are measured here, only
 * for the few that follow a heading). */
static double start_of(LayoutContext *ctx, const Block *b, Plan *pl) {
  if (pl->start < 0 && b->kind == BLOCK_TABLE)
    pl->start = table_start_height(ctx, &b->as.table, pl->width);
  return pl->start;
}

/* From the end backwards: what each block must keep on its page after it, and how many of its
 * own last lines go along. False when out of memory. */
static bool plan_keeps(LayoutContext *ctx, const Document *doc, Plan *plans) {
  const BlockList *blocks = &doc->blocks;
  for (size_t i = blocks->count; i-- > 0;) {
    const Block *b = &blocks->items[i];
    if (b->kind == BLOCK_SPACE || b->kind == BLOCK_PAGE || b->kind == BLOCK_PAGE_BREAK ||
        b->kind == BLOCK_QR)
      continue;
    size_t k = i + 1;
    double gap = 0;
    while (k < blocks->count &&
           (blocks->items[k].kind == BLOCK_SPACE || blocks->items[k].kind == BLOCK_QR))
      gap += plans[k++].height;
    bool next = k < blocks->count && blocks->items[k].kind != BLOCK_PAGE &&
                blocks->items[k].kind != BLOCK_PAGE_BREAK;
    double reserve = 0;
    int tail = 0;
    if (next && plans[k].need_before > 0) {
      reserve = gap + plans[k].height + plans[k].reserve;
      tail = plans[k].need_before;
    }
    bool heading = b->kind == BLOCK_PARA && b->as.para.keep_with_next;
    if (next && heading) {
      double start = start_of(ctx, &blocks->items[k], &plans[k]);
      if (start < 0) return false;
      double r = gap + start + (plans[k].whole ? plans[k].reserve : 0);
      if (r > reserve) reserve = r;
      if (plans[i].n > tail) tail = (int)plans[i].n;
    }
    if (b->kind == BLOCK_PARA && tail > plans[i].n) {
      /* Too short to give the lines asked of it: it goes along whole, and the text before it
       * gives the rest. */
      int more = tail - (int)plans[i].n;
      if (more > plans[i].need_before) plans[i].need_before = more;
      plans[i].whole = true;
    }
    plans[i].reserve = reserve;
    plans[i].tail = b->kind == BLOCK_PARA && tail > plans[i].n ? (int)plans[i].n : tail;
  }
  return true;
}

/* Where the paragraph's part on the current page ends: lines [i, cut) go here. cut == n:
 * all the rest; cut == i: none, a new page first. Two lines at least on each side of a break;
 * the last `tail` lines (two at least) stand on the page with the reserve after them. */
static long next_cut(const Flow *f, double y, bool at_top, const Line *lines, long n, long i,
                     double reserve, int tail) {
  double body = f->bottom - f->top;
  double rest = lines_height(lines, i, n);
  if (y + rest <= f->bottom + EPS) {
    if (reserve <= 0 || y + rest + reserve <= f->bottom + EPS) return n;
    f->ctx->tight = true;
    long go = tail > 2 ? tail : 2;
    if (go > n - i) go = n - i;
    if (lines_height(lines, n - go, n) + reserve > body + EPS) return n; /* cannot be helped */
    long cut = n - go;
    if (cut - i >= 2) return cut;
    if (at_top) return n; /* nothing of it here yet: moving it all gains nothing */
    return i == 0 && rest + reserve <= body + EPS ? i : n;
  }
  f->ctx->tight = true;
  long fit = 0;
  double yy = y;
  while (i + fit < n && yy + lines[i + fit].height <= f->bottom + EPS)
    yy += lines[i + fit++].height;
  long cut = i + fit;
  if (n - cut < 2) cut = n - 2;   /* no widow: two lines at least go over */
  if (i == 0 && cut < 2) cut = 0; /* no orphan: two lines at least stay */
  if (cut <= i) {
    if (!at_top) return i;
    cut = i + (fit > 0 ? fit : 1); /* taller than a page: rules give way */
  }
  return cut;
}

static bool ends_hyphen(const Line *lines, long n, long cut) {
  return cut > 0 && cut < n && stack_line_ends_hyphen(&lines[cut - 1]);
}

/* Breaks the paragraph again until no line it ends a page with ends in a hyphen (a few
 * rounds; drawing carries a line over where that was not enough). */
static bool unhyphen_page_ends(Flow *f, const Para *p, Plan *pl, double y) {
  size_t *bans = NULL;
  size_t nbans = 0, cap = 0;
  for (int round = 0; round < MAX_UNHYPHEN_ROUNDS; round++) {
    bool added = false;
    double yy = y;
    bool at_top = flow_at_top(f);
    for (long i = 0; i < pl->n;) {
      long cut = next_cut(f, yy, at_top, pl->lines, pl->n, i, pl->reserve, pl->tail);
      if (cut >= pl->n) break;
      if (ends_hyphen(pl->lines, pl->n, cut) && cut > i) {
        if (nbans == cap) {
          cap = cap ? cap * 2 : 8;
          bans = arena_grow(f->ctx->arena, bans, nbans, cap, sizeof *bans);
          if (!bans) return false;
        }
        bans[nbans++] = (size_t)(cut - 1);
        added = true;
      }
      i = cut;
      yy = f->top;
      at_top = true;
    }
    if (!added) return true;
    LineBans rule = {.lines = bans, .count = nbans};
    pl->n = linebreak_banned(f->ctx, p, f->width, &rule, &pl->lines);
    if (pl->n < 0) return false;
  }
  return true;
}

static bool draw_lines(Flow *f, const Line *lines, long from, long to, double x) {
  for (long i = from; i < to; i++) {
    if (!stack_draw_line(f->ctx, f->page, &lines[i], x, f->y)) return false;
    f->y += lines[i].height;
  }
  return true;
}

static bool place_para(Flow *f, const Para *p, Plan *pl) {
  if (!flow_drops_space(f)) f->y += p->space_before;
  if (pl->n == 0) {
    f->y += linebreak_line_height(f->ctx, p); /* an empty paragraph is an empty line */
    if (f->y > f->bottom) {
      f->ctx->tight = true;
      if (!flow_new_page(f, f->landscape)) return false;
    }
    return true;
  }
  if (!unhyphen_page_ends(f, p, pl, f->y)) return false;
  for (long i = 0; i < pl->n;) {
    long cut = next_cut(f, f->y, flow_at_top(f), pl->lines, pl->n, i, pl->reserve, pl->tail);
    /* No page ends in a hyphenated word: where breaking again did not help, the line goes
     * over, whatever the other rules say. */
    while (cut > i && ends_hyphen(pl->lines, pl->n, cut)) cut--;
    if (cut == i && flow_at_top(f)) cut = i + 1; /* a page of one hyphenated line: progress */
    if (!draw_lines(f, pl->lines, i, cut, f->left)) return false;
    if (cut >= pl->n) break;
    if (!flow_new_page(f, f->landscape)) return false;
    i = cut;
  }
  f->y += p->space_after;
  return true;
}

/* A block placed whole (a box, a signature block): on a new page when it and what keeps with
 * it do not fit here but would there. */
static bool make_room(Flow *f, const Plan *pl) {
  double need = pl->height + pl->reserve;
  if (flow_at_top(f) || f->y + need <= f->bottom + EPS) return true;
  f->ctx->tight = true;
  if (need <= f->bottom - f->top + EPS) return flow_new_page(f, f->landscape);
  return true;
}

/* A box (the approval stamp): never broken, placed at the column's right, left or centre. */
static bool place_box(Flow *f, const Box *b, const Plan *pl) {
  double width = b->width > 0 && b->width < f->width ? b->width : f->width;
  Stack s;
  if (!stack_build(f->ctx, &b->content, width, &s)) return false;
  if (!make_room(f, pl)) return false;
  if (!flow_at_top(f) && f->y + s.height > f->bottom + EPS) {
    f->ctx->tight = true;
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

/* The code's dark modules, a rectangle for each run of them along a row, its top-left corner
 * at (x, y). */
static bool draw_qr(Flow *f, const Qr *q, double x, double y) {
  double m = q->size / q->modules;
  for (int r = 0; r < q->modules; r++) {
    const unsigned char *row = q->dark + (size_t)r * (size_t)q->modules;
    for (int c = 0; c < q->modules;) {
      if (!row[c]) {
        c++;
        continue;
      }
      int end = c;
      while (end < q->modules && row[end]) end++;
      if (!display_rect(f->ctx->display, f->page, x + c * m, y + r * m, x + end * m,
                        y + (r + 1) * m))
        return false;
      c = end;
    }
  }
  return true;
}

/* A QR code: in the lower right corner of the page (flow.h). */
static bool place_qr(Flow *f, const Qr *q) {
  double quiet = 4 * q->size / q->modules, min_gap = 5 * MM_TO_PT;
  double gap = quiet > min_gap ? quiet : min_gap;
  double x = f->left + f->width - q->size;
  f->ctx->tight = true;                                  /* placed by the page's foot */
  bool corner = f->y + q->size + gap <= f->bottom + EPS; /* free of text */
  if (!corner && !flow_at_top(f) && f->y + gap + q->size > f->bottom + EPS) {
    if (!flow_new_page(f, f->landscape)) return false;
    corner = f->y + q->size + gap <= f->bottom + EPS;
  }
  if (corner) {
    f->bottom -= q->size + gap;
    return draw_qr(f, q, x, f->bottom + gap);
  }
  /* where the text has got to, its quiet zone above and below (a page too small for it:
   * drawn all the same) */
  if (!draw_qr(f, q, x, f->y + gap)) return false;
  f->y += gap + q->size + gap;
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

static bool layout_once(LayoutContext *ctx, const Document *doc) {
  ctx->tables = NULL;
  const BlockList *blocks = &doc->blocks;
  Plan *plans = arena_alloc(ctx->arena, (blocks->count + 1) * sizeof *plans);
  if (!plans || !measure(ctx, doc, plans) || !plan_keeps(ctx, doc, plans)) return false;
  Flow f = {.ctx = ctx, .doc = doc};
  if (!flow_new_page(&f, doc->landscape)) return false;
  f.continued = false;
  for (size_t i = 0; i < blocks->count; i++) {
    const Block *b = &blocks->items[i];
    Plan *pl = &plans[i];
    bool ok = true;
    switch (b->kind) {
      case BLOCK_PARA:
        /* measured at the width of the orientation it was expected in; the flow agrees */
        if (pl->whole && (pl->reserve > 0 || pl->need_before > 0)) ok = make_room(&f, pl);
        if (ok) ok = place_para(&f, &b->as.para, pl);
        if (ok && b->as.para.anchor) ok = display_anchor(ctx->display, b->as.para.anchor);
        break;
      case BLOCK_TABLE:
        if (pl->whole) ok = make_room(&f, pl);
        if (ok) ok = table_place(&f, &b->as.table, pl->reserve);
        break;
      case BLOCK_BOX:
        ok = place_box(&f, &b->as.box, pl);
        break;
      case BLOCK_PAGE_BREAK:
        if (!flow_at_top(&f)) ok = flow_new_page(&f, f.landscape);
        f.continued = false;
        break;
      case BLOCK_SPACE:
        if (!flow_drops_space(&f)) f.y += b->as.space;
        if (f.y > f.bottom) {
          ctx->tight = true;
          ok = flow_new_page(&f, f.landscape);
        }
        break;
      case BLOCK_QR:
        ok = place_qr(&f, &b->as.qr);
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

/* Scales the spacing of blocks (between paragraphs, and between lines: the leading) and
 * changes their font size; the inverse call undoes it. */
static void adjust(BlockList *blocks, double space, double leading, double size) {
  for (size_t i = 0; i < blocks->count; i++) {
    Block *b = &blocks->items[i];
    switch (b->kind) {
      case BLOCK_PARA:
        b->as.para.size += size;
        b->as.para.space_before *= space;
        b->as.para.space_after *= space;
        b->as.para.line_spacing =
            (b->as.para.line_spacing > 0 ? b->as.para.line_spacing : 1) * leading;
        break;
      case BLOCK_SPACE:
        b->as.space *= space;
        break;
      case BLOCK_BOX:
        adjust(&b->as.box.content, space, leading, size);
        break;
      case BLOCK_TABLE:
        for (size_t r = 0; r < b->as.table.nrows; r++) {
          Row *row = &b->as.table.rows[r];
          for (size_t c = 0; c < row->ncells; c++) {
            adjust(&row->cells[c].content, space, leading, size);
            adjust(&row->cells[c].continued, space, leading, size);
          }
        }
        break;
      case BLOCK_PAGE_BREAK:
      case BLOCK_PAGE:
      case BLOCK_QR:
        break;
    }
  }
}

static void clear(Display *d) {
  d->npages = 0;
  d->nanchors = 0;
  d->total_ops = 0;
}

bool layout_document(LayoutContext *ctx, Document *doc) {
  if (!layout_once(ctx, doc)) return false;
  if (!doc->fit_one_page || ctx->display->npages <= 1) return true;
  /* Spacing first: between paragraphs (three quarters, a half), then between lines (down to
   * 92 %, still the leading of a typed form); then the font (half a point, a point), and last
   * a quarter of the paragraph spacing. */
  static const struct {
    double space, leading, size;
  } STEPS[] = {{0.75, 1, 0},      {0.5, 1, 0},       {0.5, 0.96, 0},    {0.5, 0.92, 0},
               {0.5, 0.92, -0.5}, {0.5, 0.92, -1.0}, {0.25, 0.92, -1.0}};
  for (size_t s = 0; s < sizeof STEPS / sizeof STEPS[0]; s++) {
    adjust(&doc->blocks, STEPS[s].space, STEPS[s].leading, STEPS[s].size);
    clear(ctx->display);
    bool ok = layout_once(ctx, doc);
    adjust(&doc->blocks, 1 / STEPS[s].space, 1 / STEPS[s].leading, -STEPS[s].size);
    if (!ok) return false;
    if (ctx->display->npages == 1) return true;
  }
  clear(ctx->display);
  if (!layout_once(ctx, doc)) return false;
  return display_problem(ctx->display,
                         "документ не уместился на одну страницу даже с уменьшенными отступами "
                         "и шрифтом: он занимает несколько страниц");
}
