/*
 * flow: the document's blocks poured into pages.
 *
 * Paragraphs break between lines with no widow or orphan (a break leaves two lines at least
 * on each side, a paragraph of three lines or fewer moves whole), and no page ends in a
 * hyphenated word: a paragraph whose line would end a page is broken again without the hyphen
 * there. Keep rules, declared by the blocks: a keep_with_next paragraph (a heading) stands on
 * the page where what follows it starts; a block with keep_with_previous = N (a signature
 * block) brings the last N lines of the text before it along to its page, so it never stands
 * alone — both follow chains (a heading under a heading, a one-line paragraph before a
 * signature brings the line before it too). Boxes (the approval stamp) and blocks that keep
 * with what precedes them never break; tables are table.c's. A document that asks to fit one
 * page gets its spacing shrunk, then its font by up to 1 pt, before it takes a second page.
 * Page numbers go centred in the top margin from doc->number_from on.
 *
 * A QR code goes where GOST R 7.0.97-2025 puts the requisite: the lower right corner of the
 * page it stands on (the first page, when the document puts it first), at the right edge of
 * the text column and on its bottom line; that page's text then ends above it and its quiet
 * zone (four modules, 5 mm at least), the width of the column (a table or a justified
 * paragraph never runs beside it). When the page's text already reaches into that corner, the
 * code goes right-aligned where the text has got to (a place free of text, as the standard
 * allows), or in the corner of the next page when this one is full.
 */
#ifndef NASTAVNIK_LAYOUT_FLOW_H
#define NASTAVNIK_LAYOUT_FLOW_H

#include "layout/context.h"

/* The most pages a document may have: a stated limit, so a runaway description is refused
 * with a message rather than filling the disk. */
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

/* Starts a new page in the given orientation; false when layout failed (out of memory, or
 * the page limit: ctx->error). */
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

/* Lays the whole document out into ctx->display. False when layout failed. doc is adjusted
 * while a one-page fit is tried, and left as it was. */
bool layout_document(LayoutContext *ctx, Document *doc);

#endif
