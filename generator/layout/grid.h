/*
 * grid: where each cell of a table stands — its row and column, with column and row spans
 * clipped to the table (each cell takes the next column no span from above covers; a span
 * from the header into the body ends with the header, since repeated it would make no sense).
 */
#ifndef NASTAVNIK_LAYOUT_GRID_H
#define NASTAVNIK_LAYOUT_GRID_H

#include "layout/context.h"

typedef struct {
  const Cell *cell;
  size_t row, col;         /* top-left */
  size_t rowspan, colspan; /* >= 1 */
} GridCell;

/* The cells of t in reading order (rows top to bottom, cells left to right), in the arena.
 * Cells past the last column are left out and reported as a problem. False when out of
 * memory. */
bool grid_cells(LayoutContext *ctx, const Table *t, GridCell **cells, size_t *count);

#endif
