/*
 * flow: the document's blocks poured into pages.
 *
 * Paragraphs break between lines with no widow or orphan (a break leaves two lines at least
 * on each side, a paragraph of three lines or fewer moves whole); keep_with_next keeps a
 * heading with the start of what follows; boxes (the approval stamp) never break; tables are
 * table.c's. Page numbers go centred in the top margin from doc->number_from on.
 */
#ifndef NASTAVNIK_LAYOUT_FLOW_H
#define NASTAVNIK_LAYOUT_FLOW_H

#include "layout/context.h"

#define FLOW_MAX_PAGES 5000
#define FLOW_MAX_PAGES_TEXT "5000"

typedef struct {
  LayoutContext *ctx;
  const Document *doc;
  DisplayPage *page;
  bool landscape;
  double left, width; /* the text column */
  double top, bottom; /* y of the body's top and bottom */
  double y;           /* where the next thing goes */
  bool continued;     /* the page was started because the previous one was full */
} Flow;

/* Starts a new page in the given orientation; false when out of memory. */
bool flow_new_page(Flow *f, bool landscape);

/* True when nothing has been placed on the current page yet. */
static inline bool flow_at_top(const Flow *f) {
  return f->y <= f->top + 0.01;
}

/* Vertical space (a space block, space_before) is dropped at the top of a page that only
 * continues the previous one; at the document's start or after an explicit break it is kept. */
static inline bool flow_drops_space(const Flow *f) {
  return flow_at_top(f) && f->continued;
}

/* Lays the whole document out into ctx->display. False when out of memory. */
bool layout_document(LayoutContext *ctx, const Document *doc);

#endif
