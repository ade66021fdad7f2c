/*
 * columns: the widths of a table's columns.
 *
 * A column given a width keeps it. When no column is left to its content, the others share
 * what the fixed ones leave by their weights. Otherwise (every column without a width is sized
 * from its content, weighted or not) the automatic table layout of CSS 2.1 (17.5.2.2) decides,
 * shared as LaTeX's tabulary shares it: each column has a least width — its widest piece no
 * break may split (a whole word: names and other protected words included, so a surname is
 * never cut) or its header's — and a most useful one — its longest paragraph set on one line.
 * Every column gets its least width; the rest of the room goes in proportion to how much text
 * each column holds (so the columns' text comes out about equally tall and rows are short),
 * but no column beyond its most useful width; a table whose columns could all be set unbroken
 * fills the width in proportion to them. Columns whose least widths do not fit are narrowed in
 * proportion, and the layout says so. Padding is part of every width.
 */
#ifndef NASTAVNIK_LAYOUT_COLUMNS_H
#define NASTAVNIK_LAYOUT_COLUMNS_H

#include "layout/context.h"

/* The least and most useful width (pt) of every column of t, padding included, and how much
 * text it holds (the widths of all its paragraphs set on one line): only cells spanning one
 * column count, then a spanning cell wider than its columns widens them evenly. min, max and
 * text hold t->ncolumns each. False when out of memory. */
bool columns_extent(LayoutContext *ctx, const Table *t, double *min, double *max, double *text);

/* The widths (pt) of t's columns in `total` points, into widths[0..t->ncolumns). False when
 * out of memory. */
bool columns_widths(LayoutContext *ctx, const Table *t, double total, double *widths);

/* The share of the room: given each column's least and most width (pt), how much text it
 * holds and whether it is fixed (its width is min), fills widths so they sum to total (when
 * the least widths fit). Returns false when the least widths do not fit and had to be
 * narrowed. Pure arithmetic: the unit tests call it directly. */
bool columns_share(size_t n, const double *min, const double *max, const double *text,
                   const bool *fixed, double total, double *widths);

#endif
