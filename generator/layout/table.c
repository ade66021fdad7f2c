/* table: see table.h. */
#include "layout/table.h"

#include <stdio.h>

#include "layout/stack.h"

enum { RULE_WIDTH_MILLI = 500 }; /* border thickness, thousandths of a point */
static const double EPS = 0.01;
/* A row no taller than this share of the page body is moved to the next page rather than cut:
 * at most this much of a page stays empty. */
static const double SHORT_ROW_SHARE = 0.2;

/* A cell as placed: its grid position, its content and how far that content is drawn. */
typedef struct {
  const Cell *cell;
  size_t row, last_row; /* rows it spans: row..last_row */
  double x, w;
  Stack stack;
  size_t cursor;  /* next stack item to draw */
  double seg_top; /* top of the cell's part on the current page */
  size_t mark;    /* where its drawing goes among the page's operations (reading order) */
  bool started;
} TCell;

typedef struct {
  Flow *f;
  const Table *t;
  double pad;
  TCell *cells;
  size_t ncells;
  double y;        /* where the next row starts */
  double body_top; /* y below the (repeated) header on this page */
  bool repeat_header;
} TableRun;

static double remaining(const TCell *c) {
  double h = 0;
  for (size_t i = c->cursor; i < c->stack.count; i++) h += c->stack.items[i].height;
  return h;
}

/* Rules around a cell's part [top, bottom] on the current page. */
static bool draw_borders(TableRun *tr, const TCell *c, double top, double bottom) {
  if (!tr->t->borders) return true;
  Display *d = tr->f->ctx->display;
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
  for (size_t i = 0; i < tr->ncells; i++) {
    TCell *o = &tr->cells[i];
    if (o == c || !o->started) continue;
    if (o->mark > c->mark || (o->mark == c->mark && o > c)) o->mark += added;
  }
  c->mark += added;
}

/* Draws what of the cell fits its part of the page, [seg_top, bottom], and its borders.
 * force draws one line even when it does not fit (a line taller than a page). Returns false
 * when out of memory; *progress tells whether any line was drawn. */
static bool close_segment(TableRun *tr, TCell *c, double bottom, bool force, bool *progress) {
  LayoutContext *ctx = tr->f->ctx;
  if (bottom <= c->seg_top + EPS) return true; /* nothing of the cell on this page */
  double pen = c->seg_top + tr->pad, limit = bottom - tr->pad;
  double rest = remaining(c);
  if (c->cursor == 0 && pen + rest <= limit + EPS) {
    if (c->cell->valign == VALIGN_MIDDLE) pen += (limit - pen - rest) / 2;
    if (c->cell->valign == VALIGN_BOTTOM) pen = limit - rest;
  }
  /* A part continuing from the previous page drops the paragraph spacing at its top. */
  size_t start = c->cursor, count = c->stack.count;
  if (start > 0) {
    while (start < count && !c->stack.items[start].line) start++;
  }
  size_t end = start;
  for (double y = pen; end < count && y + c->stack.items[end].height <= limit + EPS; end++)
    y += c->stack.items[end].height;
  if (force && end == start && start < count) end = start + 1;
  if (!force) end = stack_keep_lines(c->stack.items, start, end, count);
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
  for (size_t i = 0; i < tr->ncells; i++) {
    const TCell *c = &tr->cells[i];
    if (!c->started || c->last_row != r) continue;
    double h = c->seg_top + 2 * tr->pad + remaining(c) - tr->y;
    if (h > need) need = h;
  }
  return need;
}

/* The least of row r worth starting at a page's foot: its first line in every cell. */
static double row_min_chunk(const TableRun *tr, size_t r) {
  double need = 2 * tr->pad;
  for (size_t i = 0; i < tr->ncells; i++) {
    const TCell *c = &tr->cells[i];
    if (c->row != r || c->stack.count == 0) continue;
    double h = 2 * tr->pad + c->stack.items[c->cursor < c->stack.count ? c->cursor : 0].height;
    if (h > need) need = h;
  }
  return need;
}

/* What of row r must fit below something kept with it (a stage heading, the header): the
 * whole row when it is short (it would move whole anyway), else its first lines. */
static double row_start_need(const TableRun *tr, size_t r) {
  double whole = 2 * tr->pad;
  for (size_t i = 0; i < tr->ncells; i++) {
    const TCell *c = &tr->cells[i];
    if (c->row == r && c->last_row == r && c->stack.height + 2 * tr->pad > whole)
      whole = c->stack.height + 2 * tr->pad;
  }
  if (whole <= (tr->f->bottom - tr->f->top) * SHORT_ROW_SHARE) return whole;
  return row_min_chunk(tr, r);
}

static void start_row(TableRun *tr, size_t r) {
  for (size_t i = 0; i < tr->ncells; i++) {
    TCell *c = &tr->cells[i];
    if (c->row == r) {
      c->started = true;
      c->cursor = 0;
      c->seg_top = tr->y;
      c->mark = tr->f->page->nops;
    }
  }
}

/* Places row r entirely at tr->y (it is known to fit). */
static bool finish_row(TableRun *tr, size_t r, double need) {
  tr->y += need;
  for (size_t i = 0; i < tr->ncells; i++) {
    TCell *c = &tr->cells[i];
    if (c->started && c->last_row == r) {
      if (!close_segment(tr, c, tr->y, true, NULL)) return false;
      c->started = false;
    }
  }
  return true;
}

static bool place_header(TableRun *tr) {
  for (size_t r = 0; r < tr->t->header_rows && r < tr->t->nrows; r++) {
    start_row(tr, r);
    if (!finish_row(tr, r, row_need(tr, r))) return false;
  }
  tr->body_top = tr->y;
  return true;
}

/* Cells still open above row r: spanning into it from earlier rows, or row r's own. */
static bool active_at(const TCell *c, size_t r) {
  return c->started && c->row <= r && r <= c->last_row;
}

/* Ends the page at `bottom` for every open cell, starts the next page with the header and
 * reopens the cells there. */
static bool break_page(TableRun *tr, size_t r, double bottom, bool force) {
  bool progress = false;
  for (size_t i = 0; i < tr->ncells; i++) {
    TCell *c = &tr->cells[i];
    if (active_at(c, r) && !close_segment(tr, c, bottom, false, &progress)) return false;
  }
  if (force && !progress) {
    /* A line taller than a whole page: draw it anyway rather than loop forever. */
    for (size_t i = 0; i < tr->ncells; i++) {
      TCell *c = &tr->cells[i];
      if (active_at(c, r) && c->cursor < c->stack.count) {
        if (!close_segment(tr, c, bottom, true, &progress)) return false;
      }
    }
  }
  if (!flow_new_page(tr->f, tr->f->landscape)) return false;
  tr->y = tr->f->y;
  tr->body_top = tr->y;
  if (tr->repeat_header && !place_header(tr)) return false;
  for (size_t i = 0; i < tr->ncells; i++) {
    TCell *c = &tr->cells[i];
    if (active_at(c, r)) {
      c->seg_top = tr->y;
      c->mark = tr->f->page->nops;
    }
  }
  return true;
}

/* True when no cell open in row r has anything left to draw. */
static bool nothing_left(const TableRun *tr, size_t r) {
  for (size_t i = 0; i < tr->ncells; i++) {
    const TCell *c = &tr->cells[i];
    if (active_at(c, r) && c->cursor < c->stack.count) return false;
  }
  return true;
}

static bool full_width_row(const TableRun *tr, size_t r) {
  const Row *row = &tr->t->rows[r];
  return row->ncells == 1 && (size_t)row->cells[0].colspan >= tr->t->ncolumns;
}

static bool place_body_row(TableRun *tr, size_t r) {
  const Row *row = &tr->t->rows[r];
  double body = tr->f->bottom - tr->body_top;
  start_row(tr, r);
  /* A stage heading goes to the next page rather than stay alone at this one's foot. */
  if (full_width_row(tr, r) && r + 1 < tr->t->nrows && tr->y > tr->body_top + EPS) {
    double need = row_need(tr, r) + row_start_need(tr, r + 1);
    if (need > tr->f->bottom - tr->y + EPS && need <= body) {
      if (!break_page(tr, r, tr->y, false)) return false;
    }
  }
  for (int guard = 0; guard < 100000; guard++) {
    double need = row_need(tr, r), avail = tr->f->bottom - tr->y;
    if (need <= avail + EPS) return finish_row(tr, r, need);
    bool fresh = tr->y <= tr->body_top + EPS;
    if (fresh && nothing_left(tr, r)) return finish_row(tr, r, need); /* padding alone too tall */
    /* Short rows (a few lines) move whole: cutting them saves little room and reads badly. */
    bool short_row = need <= body * SHORT_ROW_SHARE;
    if (!fresh &&
        (short_row || (row->keep_together && need <= body) || avail < row_min_chunk(tr, r))) {
      /* Move the row: open cells above it end at its top. */
      if (!break_page(tr, r, tr->y, false)) return false;
      continue;
    }
    /* Cut the row at the page's foot; it continues under the next page's header. */
    tr->y = tr->f->bottom;
    if (!break_page(tr, r, tr->f->bottom, fresh)) return false;
  }
  return true;
}

/* Column widths: fixed ones first, the rest shared by weight; all scaled down if too wide. */
static double *column_widths(LayoutContext *ctx, const Table *t, double total) {
  double *w = arena_alloc(ctx->arena, (t->ncolumns + 1) * sizeof *w);
  if (!w) return NULL;
  double fixed = 0, weights = 0;
  for (size_t i = 0; i < t->ncolumns; i++) {
    fixed += t->columns[i].width;
    if (t->columns[i].width <= 0) weights += t->columns[i].weight > 0 ? t->columns[i].weight : 1;
  }
  double rest = total - fixed, scale = 1;
  if (rest < -0.5 && !display_problem(ctx->display,
                                      "таблица: столбцы заданной ширины шире поля страницы; "
                                      "они сужены пропорционально"))
    return NULL;
  if (rest < 0 || weights == 0) {
    scale = fixed > 0 ? (weights == 0 ? total / fixed : total / fixed * 0.8) : 1;
    rest = weights == 0 ? 0 : total * 0.2;
  }
  for (size_t i = 0; i < t->ncolumns; i++) {
    const Column *c = &t->columns[i];
    if (c->width > 0) {
      w[i] = c->width * scale;
    } else {
      w[i] = rest * (c->weight > 0 ? c->weight : 1) / weights;
    }
  }
  return w;
}

bool table_place(Flow *f, const Table *t) {
  LayoutContext *ctx = f->ctx;
  if (t->ncolumns == 0 || t->nrows == 0) return true;
  double *widths = column_widths(ctx, t, f->width);
  size_t total_cells = 0;
  for (size_t r = 0; r < t->nrows; r++) total_cells += t->rows[r].ncells;
  bool *taken = arena_alloc(ctx->arena, t->nrows * t->ncolumns * sizeof *taken);
  TableRun tr = {.f = f, .t = t, .pad = t->padding, .y = f->y};
  tr.cells = arena_alloc(ctx->arena, (total_cells + 1) * sizeof *tr.cells);
  if (!widths || !taken || !tr.cells) return false;
  /* Grid: each cell takes the next column not covered by a row span from above. */
  for (size_t r = 0; r < t->nrows; r++) {
    size_t col = 0;
    for (size_t k = 0; k < t->rows[r].ncells; k++) {
      const Cell *cell = &t->rows[r].cells[k];
      while (col < t->ncolumns && taken[r * t->ncolumns + col]) col++;
      if (col >= t->ncolumns) {
        char msg[160];
        snprintf(msg, sizeof msg,
                 "таблица: в строке %zu ячеек больше, чем столбцов; лишние не напечатаны", r + 1);
        if (!display_problem(ctx->display, msg)) return false;
        break;
      }
      size_t span = cell->colspan > 0 ? (size_t)cell->colspan : 1;
      size_t rspan = cell->rowspan > 0 ? (size_t)cell->rowspan : 1;
      if (col + span > t->ncolumns) span = t->ncolumns - col;
      if (r + rspan > t->nrows) rspan = t->nrows - r;
      /* A span reaching from the header into the body would make no sense repeated. */
      if (r < t->header_rows && r + rspan > t->header_rows) rspan = t->header_rows - r;
      TCell *c = &tr.cells[tr.ncells++];
      c->cell = cell;
      c->row = r;
      c->last_row = r + rspan - 1;
      c->x = f->left;
      for (size_t i = 0; i < col; i++) c->x += widths[i];
      c->w = 0;
      for (size_t i = col; i < col + span; i++) c->w += widths[i];
      for (size_t rr = r; rr < r + rspan; rr++) {
        for (size_t cc = col; cc < col + span; cc++) taken[rr * t->ncolumns + cc] = true;
      }
      double inner = c->w - 2 * tr.pad;
      if (!stack_build(ctx, &cell->content, inner > 1 ? inner : 1, &c->stack)) return false;
      col += span;
    }
  }
  /* Header and the start of the body go together; a header taller than half a page is not
   * repeated (it would leave no room for the body). */
  double header = 0;
  for (size_t r = 0; r < t->header_rows && r < t->nrows; r++) {
    double row = 2 * tr.pad;
    for (size_t i = 0; i < tr.ncells; i++) {
      const TCell *c = &tr.cells[i];
      if (c->row == r && c->stack.height + 2 * tr.pad > row) row = c->stack.height + 2 * tr.pad;
    }
    header += row; /* spans inside the header are rare; counting them per row overestimates */
  }
  tr.repeat_header = t->header_rows > 0 && header < (f->bottom - f->top) / 2;
  double first = header + (t->nrows > t->header_rows ? row_start_need(&tr, t->header_rows) : 0);
  if (!flow_at_top(f) && f->y + first > f->bottom + EPS) {
    if (!flow_new_page(f, f->landscape)) return false;
    tr.y = f->y;
  }
  tr.body_top = tr.y;
  if (!place_header(&tr)) return false;
  for (size_t r = t->header_rows; r < t->nrows; r++) {
    if (!place_body_row(&tr, r)) return false;
  }
  f->y = tr.y;
  return true;
}
