/* table: see table.h. */
#include "layout/table.h"

#include "layout/columns.h"
#include "layout/grid.h"
#include "layout/stack.h"

enum { RULE_WIDTH_MILLI = 500 }; /* border thickness, thousandths of a point */
/* A row (or a group of rows tied by a span) of this many lines or fewer never splits; a longer
 * one leaves at least MIN_PART_LINES lines on each side of a page break. */
enum { SHORT_LINES = 6, MIN_PART_LINES = 2 };
static const double EPS = 0.01;

/* A cell as placed: its grid position, its content and how far that content is drawn. */
typedef struct {
  const Cell *cell;
  size_t row, last_row; /* rows it spans: row..last_row */
  double x, w;
  Stack stack;
  Stack cont;     /* what it shows on a page its row continues on, once its content is out */
  size_t cursor;  /* next stack item to draw */
  double seg_top; /* top of the cell's part on the current page */
  size_t mark;    /* where its drawing goes among the page's operations (reading order) */
  bool started;
  bool built;      /* stack laid out (rows are laid out when first needed) */
  bool cont_built; /* cont laid out: when first shown, unless laying it out reports something */
} TCell;

typedef struct {
  LayoutContext *ctx;
  Flow *f; /* NULL while only measuring */
  const Table *t;
  double pad;
  double line_height; /* of the table's text: what "six lines" measures */
  TCell *cells;
  size_t ncells;
  size_t *group_end; /* the last row of the group row r starts; SIZE_MAX inside a group */
  size_t *row_first; /* the first of row r's cells (cells are in reading order) */
  double *own;       /* each row's height from the cells it holds alone, once built */
  bool *row_built;
  TCell **open; /* the cells started and not yet finished, in reading order */
  size_t nopen;
  double y;        /* where the next row starts */
  double body_top; /* y below the (repeated) header on this page */
  bool repeat_header;
} TableRun;

/* A table's rows as measuring laid them out (LayoutContext.tables): the run they were laid
 * out in, at `width`. */
typedef struct TableMemo {
  const Table *t;
  double width;
  /* What prepare made of the table at this width: its columns' widths and its grid (a table
   * was prepared up to three times a pass: measured, measured from its start, placed). */
  double *widths;
  GridCell *grid;
  size_t count;
  bool has_run;
  TableRun run;
  struct TableMemo *next;
} TableMemo;

static TableMemo *memo_of(LayoutContext *ctx, const Table *t, double width) {
  for (TableMemo *m = ctx->tables; m; m = m->next)
    if (m->t == t && m->width == width) return m;
  return NULL;
}

/* The table's memo at this width, made when there is none; NULL when out of memory (a memo
 * is a saving, never a need). */
static TableMemo *memo_make(LayoutContext *ctx, const Table *t, double width) {
  TableMemo *m = memo_of(ctx, t, width);
  if (m) return m;
  m = arena_alloc(ctx->arena, sizeof *m);
  if (!m) return NULL;
  *m = (TableMemo){.t = t, .width = width, .next = ctx->tables};
  ctx->tables = m;
  return m;
}

/* Remembers the rows run tr has laid out (measuring: nothing of it changes after) as the
 * table's; silently not when out of memory. */
static void remember_rows(LayoutContext *ctx, const TableRun *tr, double width) {
  TableMemo *m = memo_make(ctx, tr->t, width);
  if (!m) return;
  m->run = *tr;
  m->has_run = true;
}

/* Takes over the rows a measuring run of the table at this width laid out: the same cells at
 * the same widths, laid out as build_row would lay them out again. */
static void adopt_rows(TableRun *tr, double width) {
  const TableMemo *m = memo_of(tr->ctx, tr->t, width);
  if (!m || !m->has_run || m->run.ncells != tr->ncells) return;
  const TableRun *from = &m->run;
  for (size_t i = 0; i < tr->ncells; i++) {
    if (!from->cells[i].built) continue;
    tr->cells[i].stack = from->cells[i].stack;
    tr->cells[i].cont = from->cells[i].cont;
    tr->cells[i].cont_built = from->cells[i].cont_built;
    tr->cells[i].built = true;
  }
  for (size_t r = 0; r < tr->t->nrows; r++) {
    if (!from->row_built[r]) continue;
    tr->own[r] = from->own[r];
    tr->row_built[r] = true;
  }
}

static double remaining(const TCell *c) {
  double h = 0;
  for (size_t i = c->cursor; i < c->stack.count; i++) h += c->stack.items[i].height;
  return h;
}

/* Rules around a cell's part [top, bottom] on the current page. */
static bool draw_borders(TableRun *tr, const TCell *c, double top, double bottom) {
  if (!tr->t->borders) return true;
  Display *d = tr->ctx->display;
  DisplayPage *p = tr->f->page;
  double w = RULE_WIDTH_MILLI / 1000.0, l = c->x, r = c->x + c->w;
  return display_rule(d, p, l, top, r, top, w) && display_rule(d, p, l, bottom, r, bottom, w) &&
         display_rule(d, p, l, top, l, bottom, w) && display_rule(d, p, r, top, r, bottom, w);
}

/* Moves the operations just drawn for cell c (from first_op on) to the cell's mark, and
 * shifts the marks of cells still open after it in reading order. */
static void place_ops(TableRun *tr, TCell *c, size_t first_op) {
  DisplayPage *page = tr->f->page;
  size_t added = page->nops - first_op;
  if (added == 0) return;
  if (c->mark > first_op) c->mark = first_op; /* cannot happen; keeps the move in range */
  display_move_tail(page, c->mark, first_op);
  for (size_t i = 0; i < tr->nopen; i++) {
    TCell *o = tr->open[i];
    if (o == c || !o->started) continue;
    if (o->mark > c->mark || (o->mark == c->mark && o > c)) o->mark += added;
  }
  c->mark += added;
}

/* The first item of the cell's next part: a part continuing from the previous page drops
 * the paragraph spacing at its top. */
static size_t part_start(const TCell *c) {
  size_t start = c->cursor;
  if (start > 0) {
    while (start < c->stack.count && !c->stack.items[start].line) start++;
  }
  return start;
}

static size_t lines_in(const TCell *c, size_t from, size_t to) {
  size_t n = 0;
  for (size_t i = from; i < to; i++) n += c->stack.items[i].line != NULL;
  return n;
}

/* Where the cell's part on this page, [part_start, end), must end so that it fits above
 * `bottom`: between lines, no paragraph leaving a lone line on either side, never after a
 * line ending in a hyphen (that paragraph is broken again, or the line goes over). */
static bool part_end(TableRun *tr, TCell *c, double pen, double bottom, size_t *out) {
  size_t start = part_start(c), count = c->stack.count;
  double limit = bottom - tr->pad;
  size_t end = start;
  for (int tries = 0;; tries++) {
    end = start;
    for (double y = pen; end < count && y + c->stack.items[end].height <= limit + EPS; end++)
      y += c->stack.items[end].height;
    end = stack_keep_lines(c->stack.items, start, end, count);
    if (!(end > start && end < count && stack_line_ends_hyphen(c->stack.items[end - 1].line)))
      break;
    if (tries >= 3) break;
    int done = stack_unhyphen(tr->ctx, &c->stack, end - 1, c->cursor);
    if (done < 0) return false;
    if (done == 0) break;
    count = c->stack.count;
  }
  /* No page ends in a hyphenated word: the line goes over when it could not be rebroken. */
  while (end > start && end < count && stack_line_ends_hyphen(c->stack.items[end - 1].line)) end--;
  /* A single line left over would read as a stub on the next page. */
  if (end > start && end < count && lines_in(c, end, count) == 1) {
    size_t back = end - 1;
    while (back > start && !c->stack.items[back].line) back--;
    end = back;
  }
  *out = end;
  return true;
}

/* Where the cell's content starts on its part of the page (valign when it all fits). */
static double part_pen(const TableRun *tr, const TCell *c, double bottom) {
  double pen = c->seg_top + tr->pad, limit = bottom - tr->pad;
  double rest = remaining(c);
  if (c->cursor == 0 && pen + rest <= limit + EPS) {
    if (c->cell->valign == VALIGN_MIDDLE) pen += (limit - pen - rest) / 2;
    if (c->cell->valign == VALIGN_BOTTOM) pen = limit - rest;
  }
  return pen;
}

/* Draws what of the cell fits its part of the page, [seg_top, bottom], and its borders.
 * force draws everything left (the row is known to fit) or, for a line taller than a page,
 * one line. *progress tells whether any line was drawn. */
static bool close_segment(TableRun *tr, TCell *c, double bottom, bool force, bool *progress) {
  LayoutContext *ctx = tr->ctx;
  if (bottom <= c->seg_top + EPS) return true; /* nothing of the cell on this page */
  double pen = part_pen(tr, c, bottom);
  size_t start = part_start(c), count = c->stack.count, end;
  if (force) {
    end = start;
    for (double y = pen; end < count && y + c->stack.items[end].height <= bottom - tr->pad + EPS;
         end++)
      y += c->stack.items[end].height;
    if (end == start && start < count) end = start + 1;
  } else if (!part_end(tr, c, pen, bottom, &end)) {
    return false;
  }
  size_t first_op = tr->f->page->nops;
  for (size_t i = start; i < end; i++) {
    const StackItem *it = &c->stack.items[i];
    if (it->line && !stack_draw_line(ctx, tr->f->page, it->line, c->x + tr->pad, pen)) return false;
    pen += it->height;
  }
  if (end > start && progress) *progress = true;
  c->cursor = end > start ? end : start;
  if (!draw_borders(tr, c, c->seg_top, bottom)) return false;
  place_ops(tr, c, first_op);
  return true;
}

/* Height row r must get so that every cell ending in it holds the rest of its content. */
static double row_need(const TableRun *tr, size_t r) {
  double need = 2 * tr->pad;
  for (size_t i = 0; i < tr->nopen; i++) {
    const TCell *c = tr->open[i];
    if (!c->started || c->last_row != r) continue;
    double h = c->seg_top + 2 * tr->pad + remaining(c) - tr->y;
    if (h > need) need = h;
  }
  return need;
}

/* True when a line of the stack (not a paragraph's last) ends in a hyphen. */
static bool has_hyphen(const Stack *s) {
  for (size_t i = 0; i + 1 < s->count; i++) {
    if (s->items[i].line && s->items[i].index + 1 < s->items[i].lines &&
        stack_line_ends_hyphen(s->items[i].line))
      return true;
  }
  return false;
}

/* The width a cell's content is set in. */
static double cell_inner(const TableRun *tr, const TCell *c) {
  double inner = c->w - 2 * tr->pad;
  return inner < 1 ? 1 : inner;
}

/* Whether laying out the blocks would report nothing (linebreak_quiet): then it may wait. */
static bool quiet(LayoutContext *ctx, const BlockList *blocks) {
  for (size_t b = 0; b < blocks->count; b++) {
    if (blocks->items[b].kind == BLOCK_PARA && !linebreak_quiet(ctx, &blocks->items[b].as.para))
      return false;
  }
  return true;
}

/* The cell's `continued` laid out, if it is not yet. */
static bool build_cont(TableRun *tr, TCell *c) {
  if (c->cont_built) return true;
  if (!stack_build(tr->ctx, &c->cell->continued, cell_inner(tr, c), &c->cont)) return false;
  c->cont_built = true;
  return true;
}

/* Lays out the cells of row r (once): a long table costs only the rows placed before the
 * page limit stops it. A hyphen that only saves a line in a cell shorter than its row saves
 * nothing: such a cell is broken again without hyphens when the row does not grow. What a
 * cell shows continued is laid out when first shown (most rows never continue: it was a
 * second layout of every cell of a roadmap's numbers and titles), unless laying it out
 * reports something, which is reported here, in the order it always was. */
static bool build_row(TableRun *tr, size_t r) {
  if (tr->row_built[r]) return true;
  tr->own[r] = 2 * tr->pad;
  for (size_t i = tr->row_first[r]; i < tr->row_first[r + 1]; i++) {
    TCell *c = &tr->cells[i];
    if (!stack_build(tr->ctx, &c->cell->content, cell_inner(tr, c), &c->stack)) return false;
    if (!quiet(tr->ctx, &c->cell->continued) && !build_cont(tr, c)) return false;
    c->built = true;
  }
  for (size_t i = tr->row_first[r]; i < tr->row_first[r + 1]; i++) {
    TCell *c = &tr->cells[i];
    if (c->row != c->last_row || !has_hyphen(&c->stack)) continue;
    double others = 0;
    for (size_t k = tr->row_first[r]; k < tr->row_first[r + 1]; k++) {
      const TCell *o = &tr->cells[k];
      if (o != c && o->row == o->last_row && o->stack.height > others) others = o->stack.height;
    }
    Stack plain;
    unsigned long cuts = tr->ctx->cut_words;
    tr->ctx->avoid_hyphens = true;
    bool ok = stack_build(tr->ctx, &c->cell->content, c->stack.width, &plain);
    tr->ctx->avoid_hyphens = false;
    if (!ok) return false;
    /* never at the price of a word cut by characters */
    bool whole = tr->ctx->cut_words == cuts;
    if (whole && (plain.height <= others + EPS || plain.height <= c->stack.height + EPS))
      c->stack = plain;
  }
  for (size_t i = tr->row_first[r]; i < tr->row_first[r + 1]; i++) {
    const TCell *c = &tr->cells[i];
    if (c->row == c->last_row && c->stack.height + 2 * tr->pad > tr->own[r])
      tr->own[r] = c->stack.height + 2 * tr->pad;
  }
  tr->row_built[r] = true;
  return true;
}

static bool build_rows(TableRun *tr, size_t a, size_t b) {
  for (size_t r = a; r <= b; r++) {
    if (!build_row(tr, r)) return false;
  }
  return true;
}

/* Natural heights of rows [a, b] laid out unbroken, from their cells' full content: each row
 * as tall as its own cells, a cell spanning rows adding what it still lacks to its last.
 * Negative when out of memory. */
static double rows_height(TableRun *tr, size_t a, size_t b) {
  if (!build_rows(tr, a, b)) return -1;
  double *h = arena_alloc(tr->ctx->arena, (b - a + 1) * sizeof *h);
  if (!h) return -1;
  for (size_t r = a; r <= b; r++) h[r - a] = tr->own[r];
  for (size_t r = a; r <= b; r++) {
    for (size_t i = tr->row_first[r]; i < tr->row_first[r + 1]; i++) {
      const TCell *c = &tr->cells[i];
      if (c->row == c->last_row || c->last_row > b) continue;
      double above = 0;
      for (size_t k = c->row; k < c->last_row; k++) above += tr->own[k];
      double lack = c->stack.height + 2 * tr->pad - above;
      if (lack > h[c->last_row - a]) h[c->last_row - a] = lack;
    }
  }
  double total = 0;
  for (size_t r = a; r <= b; r++) total += h[r - a];
  return total;
}

/* Short: at most SHORT_LINES lines high. */
static bool is_short(const TableRun *tr, double height) {
  return height <= SHORT_LINES * tr->line_height + 2 * tr->pad + EPS;
}

/* What of the group starting at row r must fit below something kept with it (a stage
 * heading, the header): all of a short group, else its first lines. Negative when out of
 * memory. */
static double group_start_need(TableRun *tr, size_t r) {
  size_t end = tr->group_end[r] == SIZE_MAX ? r : tr->group_end[r];
  double whole = rows_height(tr, r, end);
  if (whole < 0 || is_short(tr, whole)) return whole;
  return MIN_PART_LINES * tr->line_height + 2 * tr->pad;
}

static bool start_row(TableRun *tr, size_t r) {
  if (!build_row(tr, r)) return false;
  for (size_t i = tr->row_first[r]; i < tr->row_first[r + 1]; i++) {
    TCell *c = &tr->cells[i];
    tr->open[tr->nopen++] = c;
    {
      c->started = true;
      c->cursor = 0;
      c->seg_top = tr->y;
      c->mark = tr->f->page->nops;
    }
  }
  return true;
}

/* Places row r entirely at tr->y (it is known to fit). */
static bool finish_row(TableRun *tr, size_t r, double need) {
  tr->y += need;
  for (size_t i = 0; i < tr->nopen; i++) {
    TCell *c = tr->open[i];
    if (c->started && c->last_row == r) {
      if (!close_segment(tr, c, tr->y, true, NULL)) return false;
      c->started = false;
    }
  }
  /* The cells finished here leave the open list. */
  size_t kept = 0;
  for (size_t i = 0; i < tr->nopen; i++) {
    if (tr->open[i]->started) tr->open[kept++] = tr->open[i];
  }
  tr->nopen = kept;
  return true;
}

static bool place_header(TableRun *tr) {
  for (size_t r = 0; r < tr->t->header_rows && r < tr->t->nrows; r++) {
    if (!start_row(tr, r) || !finish_row(tr, r, row_need(tr, r))) return false;
  }
  tr->body_top = tr->y;
  return true;
}

/* Cells still open above row r: spanning into it from earlier rows, or row r's own. */
static bool active_at(const TCell *c, size_t r) {
  return c->started && c->row <= r && r <= c->last_row;
}

/* Ends the page at `bottom` for every open cell, starts the next page with the header and
 * reopens the cells there; a cell whose content is all drawn shows its `continued` text. */
static bool break_page(TableRun *tr, size_t r, double bottom, bool force) {
  bool progress = false;
  for (size_t i = 0; i < tr->nopen; i++) {
    TCell *c = tr->open[i];
    if (active_at(c, r) && !close_segment(tr, c, bottom, false, &progress)) return false;
  }
  if (force && !progress) {
    /* A line taller than a whole page: draw it anyway rather than loop forever. */
    for (size_t i = 0; i < tr->nopen; i++) {
      TCell *c = tr->open[i];
      if (active_at(c, r) && c->cursor < c->stack.count) {
        if (!close_segment(tr, c, bottom, true, &progress)) return false;
      }
    }
  }
  if (!flow_new_page(tr->f, tr->f->landscape)) return false;
  tr->y = tr->f->y;
  tr->body_top = tr->y;
  if (tr->repeat_header && !place_header(tr)) return false;
  for (size_t i = 0; i < tr->nopen; i++) {
    TCell *c = tr->open[i];
    if (active_at(c, r)) {
      c->seg_top = tr->y;
      c->mark = tr->f->page->nops;
      bool drawn_any = c->cursor > 0;
      if (drawn_any && c->cursor >= c->stack.count) {
        if (!build_cont(tr, c)) return false;
        if (c->cont.count > 0) {
          c->stack = c->cont;
          c->cursor = 0;
        }
      }
    }
  }
  return true;
}

/* True when no cell open in row r has anything left to draw. */
static bool nothing_left(const TableRun *tr, size_t r) {
  for (size_t i = 0; i < tr->nopen; i++) {
    const TCell *c = tr->open[i];
    if (active_at(c, r) && c->cursor < c->stack.count) return false;
  }
  return true;
}

static bool keeps_with_next(const TableRun *tr, size_t r) {
  const Row *row = &tr->t->rows[r];
  return row->keep_with_next || (tr->t->ncolumns > 1 && row->ncells == 1 &&
                                 (size_t)row->cells[0].colspan >= tr->t->ncolumns);
}

/* The most lines any cell of row r itself would put on this page if the row were cut at the
 * page's foot (without drawing); cells spanning into it from above go on either way. */
static bool lines_before_cut(TableRun *tr, size_t r, size_t *most) {
  *most = 0;
  for (size_t i = 0; i < tr->nopen; i++) {
    TCell *c = tr->open[i];
    if (c->row != r || !active_at(c, r) || c->cursor >= c->stack.count) continue;
    size_t end;
    if (!part_end(tr, c, part_pen(tr, c, tr->f->bottom), tr->f->bottom, &end)) return false;
    size_t n = lines_in(c, part_start(c), end);
    if (n > *most) *most = n;
  }
  return true;
}

/* A long group breaks between its rows where the page ends: true when then every cell
 * spanning them (an item's number and title) still puts two lines (or all it has) on this
 * page — else the item's sub-rows would start here without saying what they belong to. */
static bool spans_keep(TableRun *tr, size_t r, size_t end, double room) {
  double rows = 0;
  size_t k = r;
  while (k <= end && rows + tr->own[k] <= room + EPS) rows += tr->own[k++];
  if (k > end) return true; /* the page ends below the group's rows */
  for (size_t i = tr->row_first[r]; i < tr->row_first[r + 1]; i++) {
    const TCell *c = &tr->cells[i];
    if (c->last_row == c->row) continue;
    size_t total = lines_in(c, 0, c->stack.count), n = 0;
    double y = 2 * tr->pad;
    for (; n < c->stack.count && y + c->stack.items[n].height <= rows + EPS; n++)
      y += c->stack.items[n].height;
    size_t fits = lines_in(c, 0, stack_keep_lines(c->stack.items, 0, n, c->stack.count));
    if (fits < (total < MIN_PART_LINES ? total : MIN_PART_LINES)) return false;
  }
  return true;
}

static bool place_body_row(TableRun *tr, size_t r, double reserve) {
  const Table *t = tr->t;
  Flow *f = tr->f;
  double body = f->bottom - tr->body_top;
  bool last = r + 1 == t->nrows;
  /* A group that starts here moves whole when short (or kept together), and a stage heading
   * goes with the start of what follows it. */
  if (tr->group_end[r] != SIZE_MAX && tr->y > tr->body_top + EPS) {
    size_t end = tr->group_end[r];
    double need = rows_height(tr, r, end);
    if (need < 0) return false;
    bool whole = is_short(tr, need);
    for (size_t k = r; k <= end; k++) whole = whole || t->rows[k].keep_together;
    if (keeps_with_next(tr, end) && end + 1 < t->nrows) {
      double next = group_start_need(tr, end + 1);
      if (next < 0) return false;
      whole = true;
      need += next;
      /* the group it keeps with is the last, which keeps with what follows the table */
      size_t next_end = tr->group_end[end + 1] == SIZE_MAX ? end + 1 : tr->group_end[end + 1];
      if (next_end + 1 == t->nrows) need += reserve;
    }
    if (end + 1 == t->nrows) need += reserve;
    if (need > f->bottom - tr->y + EPS) tr->ctx->tight = true;
    if (!whole && need > f->bottom - tr->y + EPS && !spans_keep(tr, r, end, f->bottom - tr->y))
      whole = true; /* moves, when it fits a page; else it is cut as it comes */
    if (whole && need > f->bottom - tr->y + EPS && need <= body + EPS) {
      if (!flow_new_page(f, f->landscape)) return false;
      tr->y = f->y;
      tr->body_top = tr->y;
      if (tr->repeat_header && !place_header(tr)) return false;
    }
  }
  if (!start_row(tr, r)) return false;
  for (;;) {
    double need = row_need(tr, r), avail = f->bottom - tr->y;
    double extra = last ? reserve : 0;
    bool fresh = tr->y <= tr->body_top + EPS;
    if (need + extra <= avail + EPS) return finish_row(tr, r, need);
    tr->ctx->tight = true;
    if (fresh && nothing_left(tr, r)) return finish_row(tr, r, need); /* padding alone too tall */
    if (need <= avail + EPS && (fresh || need + extra > body + EPS))
      return finish_row(tr, r, need); /* what keeps with it cannot come along anyway */
    /* Short rows move whole, as do rows kept together and rows that would leave fewer than
     * two lines at this page's foot. */
    if (!fresh) {
      size_t most;
      if (!lines_before_cut(tr, r, &most)) return false;
      bool move = is_short(tr, need) || (t->rows[r].keep_together && need <= body + EPS) ||
                  most < MIN_PART_LINES || need <= avail + EPS;
      if (move) {
        if (!break_page(tr, r, tr->y, false)) return false;
        continue;
      }
    }
    /* Cut the row at the page's foot; it continues under the next page's header. */
    tr->y = f->bottom;
    if (!break_page(tr, r, f->bottom, fresh)) return false;
  }
}

/* The first paragraph of the table's body: its line height is what "six lines" measures. */
static double body_line_height(LayoutContext *ctx, const Table *t) {
  for (size_t r = t->header_rows; r < t->nrows; r++) {
    for (size_t k = 0; k < t->rows[r].ncells; k++) {
      const BlockList *bl = &t->rows[r].cells[k].content;
      for (size_t b = 0; b < bl->count; b++) {
        if (bl->items[b].kind == BLOCK_PARA)
          return linebreak_line_height(ctx, &bl->items[b].as.para);
      }
    }
  }
  return 14;
}

/* Column widths, cells on the grid and the row groups; the cells' content is laid out row
 * by row when first needed (build_row). */
static bool prepare(LayoutContext *ctx, const Table *t, double left, double width, TableRun *tr) {
  *tr = (TableRun){.ctx = ctx, .t = t, .pad = t->padding, .line_height = body_line_height(ctx, t)};
  TableMemo *m = memo_of(ctx, t, width);
  double *widths;
  GridCell *grid;
  size_t count;
  if (m && m->widths) {
    /* (the same: what columns_widths reports, it reported then) */
    widths = m->widths;
    grid = m->grid;
    count = m->count;
  } else {
    widths = arena_alloc(ctx->arena, (t->ncolumns + 1) * sizeof *widths);
    if (!widths || !columns_widths(ctx, t, width, widths)) return false;
    if (!grid_cells(ctx, t, &grid, &count)) return false;
    m = memo_make(ctx, t, width);
    if (m) {
      m->widths = widths;
      m->grid = grid;
      m->count = count;
    }
  }
  tr->cells = arena_alloc(ctx->arena, (count + 1) * sizeof *tr->cells);
  tr->group_end = arena_alloc(ctx->arena, (t->nrows + 1) * sizeof *tr->group_end);
  tr->row_first = arena_alloc(ctx->arena, (t->nrows + 2) * sizeof *tr->row_first);
  tr->own = arena_alloc(ctx->arena, (t->nrows + 1) * sizeof *tr->own);
  tr->row_built = arena_alloc(ctx->arena, (t->nrows + 1) * sizeof *tr->row_built);
  tr->open = arena_alloc(ctx->arena, (count + 1) * sizeof *tr->open);
  size_t *reach = arena_alloc(ctx->arena, (t->nrows + 1) * sizeof *reach);
  if (!tr->cells || !tr->group_end || !tr->row_first || !tr->own || !tr->row_built || !reach ||
      !tr->open)
    return false;
  for (size_t r = 0; r <= t->nrows; r++) tr->row_first[r] = SIZE_MAX;
  for (size_t r = 0; r < t->nrows; r++) reach[r] = r;
  for (size_t k = 0; k < count; k++) {
    const GridCell *g = &grid[k];
    TCell *c = &tr->cells[tr->ncells++];
    c->cell = g->cell;
    c->row = g->row;
    c->last_row = g->row + g->rowspan - 1;
    c->x = left;
    for (size_t i = 0; i < g->col; i++) c->x += widths[i];
    c->w = 0;
    for (size_t i = g->col; i < g->col + g->colspan; i++) c->w += widths[i];
    if (tr->row_first[g->row] == SIZE_MAX) tr->row_first[g->row] = k;
    if (c->last_row > reach[c->row]) reach[c->row] = c->last_row;
  }
  /* Rows without cells start where the next row does. */
  tr->row_first[t->nrows] = tr->ncells;
  for (size_t r = t->nrows; r-- > 0;) {
    if (tr->row_first[r] == SIZE_MAX) tr->row_first[r] = tr->row_first[r + 1];
  }
  /* Groups: rows tied by cells spanning them. */
  for (size_t r = 0; r < t->nrows; r++) tr->group_end[r] = SIZE_MAX;
  for (size_t r = t->header_rows; r < t->nrows;) {
    size_t end = reach[r];
    for (size_t k = r + 1; k <= end && k < t->nrows; k++)
      if (reach[k] > end) end = reach[k];
    tr->group_end[r] = end;
    r = end + 1;
  }
  return true;
}

/* Negative when out of memory. */
static double header_height(TableRun *tr) {
  double header = 0;
  for (size_t r = 0; r < tr->t->header_rows && r < tr->t->nrows; r++) {
    if (!build_row(tr, r)) return -1;
    double row = 2 * tr->pad;
    for (size_t i = tr->row_first[r]; i < tr->row_first[r + 1]; i++) {
      const TCell *c = &tr->cells[i];
      if (c->stack.height + 2 * tr->pad > row) row = c->stack.height + 2 * tr->pad;
    }
    header += row; /* spans inside the header are rare; counting them per row overestimates */
  }
  return header;
}

double table_height(LayoutContext *ctx, const Table *t, double width) {
  if (t->ncolumns == 0 || t->nrows == 0) return 0;
  TableRun tr;
  if (!prepare(ctx, t, 0, width, &tr)) return -1;
  adopt_rows(&tr, width);
  double h = rows_height(&tr, 0, t->nrows - 1);
  if (h >= 0) remember_rows(ctx, &tr, width);
  return h;
}

double table_start_height(LayoutContext *ctx, const Table *t, double width) {
  if (t->ncolumns == 0 || t->nrows == 0) return 0;
  TableRun tr;
  if (!prepare(ctx, t, 0, width, &tr)) return -1;
  adopt_rows(&tr, width);
  double header = header_height(&tr);
  double first = t->nrows > t->header_rows ? group_start_need(&tr, t->header_rows) : 0;
  if (header < 0 || first < 0) return -1;
  remember_rows(ctx, &tr, width);
  return header + first;
}

bool table_short_rows(LayoutContext *ctx, const Table *t, double width, bool *short_rows) {
  for (size_t r = 0; r < t->nrows; r++) short_rows[r] = false;
  if (t->ncolumns == 0 || t->nrows == 0) return true;
  TableRun tr;
  if (!prepare(ctx, t, 0, width, &tr)) return false;
  for (size_t r = 0; r < t->nrows;) {
    size_t end = tr.group_end[r] == SIZE_MAX ? r : tr.group_end[r];
    double h = rows_height(&tr, r, end);
    if (h < 0) return false;
    for (size_t k = r; k <= end; k++) short_rows[k] = is_short(&tr, h);
    r = end + 1;
  }
  return true;
}

bool table_place(Flow *f, const Table *t, double reserve) {
  LayoutContext *ctx = f->ctx;
  if (t->ncolumns == 0 || t->nrows == 0) return true;
  TableRun tr;
  if (!prepare(ctx, t, f->left, f->width, &tr)) return false;
  adopt_rows(&tr, f->width);
  tr.f = f;
  tr.y = f->y;
  double body = f->bottom - f->top;
  /* A header taller than half a page is not repeated (it would leave no room for the body). */
  double header = header_height(&tr);
  if (header < 0) return false;
  tr.repeat_header = t->header_rows > 0 && header < body / 2;
  if (!(header < body / 2)) ctx->tight = true;
  /* Header and the start of the body go together; a table kept together moves whole. */
  double start = t->nrows > t->header_rows ? group_start_need(&tr, t->header_rows) : 0;
  if (start < 0) return false;
  double first = header + start;
  if (t->keep_together) {
    double whole = rows_height(&tr, 0, t->nrows - 1);
    if (whole < 0) return false;
    whole += reserve;
    if (whole > body + EPS) ctx->tight = true;
    if (whole <= body + EPS && whole > first) first = whole;
  }
  if (!flow_at_top(f) && f->y + first > f->bottom + EPS) {
    ctx->tight = true;
    if (!flow_new_page(f, f->landscape)) return false;
    tr.y = f->y;
  }
  tr.body_top = tr.y;
  if (!place_header(&tr)) return false;
  for (size_t r = t->header_rows; r < t->nrows; r++) {
    if (!place_body_row(&tr, r, reserve)) return false;
  }
  f->y = tr.y;
  return true;
}
