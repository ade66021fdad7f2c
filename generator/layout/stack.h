/*
 * stack: blocks laid out one under another in a column of given width — the content of a
 * table cell or of a box. A stack is a list of items, each a line or a vertical gap, so a
 * table row can be cut between any two of them when it must continue on the next page; a
 * paragraph whose line would end a page's part with a hyphen is broken again without it.
 */
#ifndef NASTAVNIK_LAYOUT_STACK_H
#define NASTAVNIK_LAYOUT_STACK_H

#include "layout/linebreak.h"

typedef struct {
  double height;
  const Line *line; /* NULL for a gap (paragraph spacing), which is dropped at a page's top */
  unsigned index;   /* line's place in its paragraph, from 0 */
  unsigned lines;   /* number of lines of that paragraph (0 for a gap) */
  unsigned para;    /* its paragraph in Stack.paras, from 1; 0 for a gap */
} StackItem;

/* A paragraph of the stack: where its lines are, and the lines that may not end with a
 * hyphen (they end a page's part). */
typedef struct {
  const Para *para;
  size_t first; /* its first item */
  unsigned nlines;
  size_t *bans;
  size_t nbans;
} StackPara;

typedef struct {
  StackItem *items;
  size_t count, cap;
  double height;
  double width;
  StackPara *paras;
  size_t nparas;
} Stack;

/* Where to end a page's part of items[start..count) when items up to `end` fit: moved back so
 * no paragraph leaves a single line at the page's foot or carries one alone to the next. */
size_t stack_keep_lines(const StackItem *items, size_t start, size_t end, size_t count);

/* True when the line ends with a hyphen (a word broken there, or its own hyphen). */
bool stack_line_ends_hyphen(const Line *line);

/* Lays out paragraphs of blocks at width. False when out of memory. Blocks other than
 * paragraphs and spaces are refused earlier (pdf_lua.c), so they are skipped here. */
bool stack_build(LayoutContext *ctx, const BlockList *blocks, double width, Stack *out);

/* Item k ends a page's part with a hyphen: breaks its paragraph again so that line does not,
 * keeping the lines before item `drawn` (already on an earlier page) as they are. Returns 1
 * when done (items after the paragraph may have moved by a line), 0 when it cannot be done
 * (the stack is unchanged), -1 when out of memory. */
int stack_unhyphen(LayoutContext *ctx, Stack *s, size_t k, size_t drawn);

/* Draws line item at (x, y) = top-left of the line on page. */
bool stack_draw_line(LayoutContext *ctx, DisplayPage *page, const Line *line, double x, double y);

#endif
