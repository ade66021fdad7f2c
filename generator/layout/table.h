/*
 * table: a ruled (or layout-only) table across as many pages as it takes.
 *
 * Column widths are columns.c's. Cells span columns and rows and hold paragraphs. The header
 * rows repeat at the top of every page. Rows tied by a cell spanning them form a group (an
 * item with its sub-rows); a group of six lines or fewer never splits, and a keep_together
 * row or table that fits a page moves whole. A longer row is cut between lines where the page
 * ends — at least two lines on each side, no cell's part ending in a hyphen — and continues
 * under the repeated header, where a cell already printed shows what it says to repeat (an
 * item's number and title, «(продолжение)»). A stage row (keep_with_next, or one cell across
 * the table) is never the last row of a page.
 */
#ifndef NASTAVNIK_LAYOUT_TABLE_H
#define NASTAVNIK_LAYOUT_TABLE_H

#include "layout/flow.h"

/* Places table t at the flow's position; `reserve` (pt) must fit below its last row on the
 * same page (what keeps with it: a signature). False when layout failed. */
bool table_place(Flow *f, const Table *t, double reserve);

/* The height of t set unbroken at width, and of what must stand with something kept before
 * it: its header and its first row (all of a short one, two lines of a long one). Negative
 * when out of memory. */
double table_height(LayoutContext *ctx, const Table *t, double width);
double table_start_height(LayoutContext *ctx, const Table *t, double width);

/* Which rows of t set at width belong to a short group (six lines or fewer, never split): the
 * rows the DOCX and ODT writers mark as not breaking across pages. short_rows holds t->nrows.
 * False when out of memory. */
bool table_short_rows(LayoutContext *ctx, const Table *t, double width, bool *short_rows);

#endif
