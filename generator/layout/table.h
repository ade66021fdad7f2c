/*
 * table: a ruled (or layout-only) table across as many pages as it takes.
 *
 * Column widths are points or shares of what is left; cells span columns and rows and hold
 * paragraphs. The header rows repeat at the top of every page. A row taller than what is left
 * of the page is cut between lines and continues on the next page — so is a cell spanning
 * rows — instead of leaving half a page empty; short rows (up to 20% of the page body, a few
 * lines) and keep_together rows that fit a page move whole. A row spanning the full width (a stage
 * heading) is not left alone at a page's foot.
 */
#ifndef NASTAVNIK_LAYOUT_TABLE_H
#define NASTAVNIK_LAYOUT_TABLE_H

#include "layout/flow.h"

/* Places table t at the flow's position. False when out of memory. */
bool table_place(Flow *f, const Table *t);

#endif
