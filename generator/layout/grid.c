/* grid: see grid.h. */
#include "layout/grid.h"

#include <stdio.h>

bool grid_cells(LayoutContext *ctx, const Table *t, GridCell **cells, size_t *count) {
  size_t total = 0;
  for (size_t r = 0; r < t->nrows; r++) total += t->rows[r].ncells;
  bool *taken = arena_alloc(ctx->arena, (t->nrows * t->ncolumns + 1) * sizeof *taken);
  GridCell *out = arena_alloc(ctx->arena, (total + 1) * sizeof *out);
  if (!taken || !out) return false;
  size_t n = 0;
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
      if (r < t->header_rows && r + rspan > t->header_rows) rspan = t->header_rows - r;
      out[n++] = (GridCell){.cell = cell, .row = r, .col = col, .rowspan = rspan, .colspan = span};
      for (size_t rr = r; rr < r + rspan; rr++) {
        for (size_t cc = col; cc < col + span; cc++) taken[rr * t->ncolumns + cc] = true;
      }
      col += span;
    }
  }
  *cells = out;
  *count = n;
  return true;
}
