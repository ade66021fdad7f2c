/*
 * display: what layout hands to a backend — pages of positioned text and rules.
 *
 * Coordinates are points from the page's top-left corner, y growing down; text is placed by
 * its baseline. This is the whole contract between layout/ and pdf/: layout never knows PDF
 * bytes, the backend never breaks a line.
 */
#ifndef NASTAVNIK_LAYOUT_DISPLAY_H
#define NASTAVNIK_LAYOUT_DISPLAY_H

#include <stdbool.h>
#include <stddef.h>

#include "layout/arena.h"
#include "layout/model.h"

typedef enum { OP_TEXT, OP_RULE, OP_RECT } OpKind;

typedef struct {
  OpKind kind;
  FaceId face;
  double size;
  double x, y;   /* text: baseline start; rule: one end; rect: top-left corner */
  double x2, y2; /* rule: other end; rect: bottom-right corner */
  double width;  /* rule thickness */
  const char *text;
  size_t len;
} DrawOp;

typedef struct {
  double width, height;
  DrawOp *ops;
  size_t nops, cap;
  size_t nrects; /* of the ops, OP_RECT: a backend skips looking for them on a page without */
} DisplayPage;

/* The most drawing operations a document may hold: a stated limit, so a description that
 * would make millions of lines (tables of dozens of columns) is refused before memory runs
 * out (about 70 MB of operations; a plain text of 5,000 pages holds a quarter of it). */
#define DISPLAY_MAX_OPS 1000000
#define DISPLAY_MAX_OPS_TEXT "1 000 000"

typedef struct {
  Arena *arena;
  DisplayPage *pages;
  size_t npages, cap;
  size_t total_ops;
  size_t text_need; /* each text operation's bytes plus one: what a backend decodes them into */
  bool over_limit;  /* DISPLAY_MAX_OPS reached: an operation was refused */
  /* Where named paragraphs landed (for contents): names and 1-based page numbers. */
  const char **anchors;
  size_t *anchor_pages;
  size_t nanchors, anchors_cap;
  /* Problems worth telling the user (missing glyphs...), UTF-8 messages. */
  const char **problems;
  size_t nproblems, problems_cap;
} Display;

/* Appends a page; returns it or NULL (out of memory). */
DisplayPage *display_add_page(Display *d, double width, double height);
/* Appends an operation to the page; false when out of memory. */
bool display_text(Display *d, DisplayPage *p, FaceId face, double size, double x, double y,
                  const char *text, size_t len);
bool display_rule(Display *d, DisplayPage *p, double x1, double y1, double x2, double y2,
                  double width);
/* A filled black rectangle (the modules of a QR code) from (x1, y1) to (x2, y2). */
bool display_rect(Display *d, DisplayPage *p, double x1, double y1, double x2, double y2);
/* Moves the operations [from, nops) of page p to position `at` (at <= from), keeping their
 * order: a table cell spanning rows is drawn when its last row is known, but its text belongs
 * where its first row's text is, for text extraction in reading order. */
void display_move_tail(DisplayPage *p, size_t at, size_t from);

/* Records a problem message (copied). */
bool display_problem(Display *d, const char *message);

/* Records that the paragraph named `name` ends on the current (last) page. */
bool display_anchor(Display *d, const char *name);

#endif
