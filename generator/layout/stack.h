/*
 * stack: blocks laid out one under another in a column of given width — the content of a
 * table cell or of a box. A stack is a list of items, each a line or a vertical gap, so a
 * table row can be cut between any two of them when it must continue on the next page.
 */
#ifndef NASTAVNIK_LAYOUT_STACK_H
#define NASTAVNIK_LAYOUT_STACK_H

#include "layout/linebreak.h"

typedef struct {
  double height;
  const Line *line; /* NULL for a gap (paragraph spacing), which is dropped at a page's top */
  unsigned index;   /* line's place in its paragraph, from 0 */
  unsigned lines;   /* number of lines of that paragraph (0 for a gap) */
} StackItem;

/* Where to end a page's part of items[start..count) when items up to `end` fit: moved back so
 * no paragraph leaves a single line at the page's foot or carries one alone to the next, and
 * no page ends with a hyphenated word. */
size_t stack_keep_lines(const StackItem *items, size_t start, size_t end, size_t count);

/* True when the line ends with a hyphen (a word broken there, or its own hyphen). */
bool stack_line_ends_hyphen(const Line *line);

typedef struct {
  StackItem *items;
  size_t count;
  double height;
} Stack;

/* Lays out paragraphs of blocks at width. False when out of memory. Blocks other than
 * paragraphs are refused earlier (pdf_lua.c), so they are skipped here. */
bool stack_build(LayoutContext *ctx, const BlockList *blocks, double width, Stack *out);

/* Draws line item at (x, y) = top-left of the line on page. */
bool stack_draw_line(LayoutContext *ctx, DisplayPage *page, const Line *line, double x, double y);

#endif
