/* display: see display.h. */
#include "layout/display.h"

#include <string.h>

DisplayPage *display_add_page(Display *d, double width, double height) {
  if (d->npages == d->cap) {
    size_t cap = d->cap ? d->cap * 2 : 8;
    DisplayPage *pages = arena_grow(d->arena, d->pages, d->npages, cap, sizeof *pages);
    if (!pages) return NULL;
    d->pages = pages;
    d->cap = cap;
  }
  DisplayPage *p = &d->pages[d->npages++];
  memset(p, 0, sizeof *p);
  p->width = width;
  p->height = height;
  return p;
}

static DrawOp *add_op(Display *d, DisplayPage *p) {
  if (d->total_ops >= DISPLAY_MAX_OPS) {
    d->over_limit = true;
    return NULL;
  }
  d->total_ops++;
  if (p->nops == p->cap) {
    size_t cap = p->cap ? p->cap * 2 : 256;
    DrawOp *ops = arena_grow(d->arena, p->ops, p->nops, cap, sizeof *ops);
    if (!ops) return NULL;
    p->ops = ops;
    p->cap = cap;
  }
  return &p->ops[p->nops++];
}

bool display_text(Display *d, DisplayPage *p, FaceId face, double size, double x, double y,
                  const char *text, size_t len) {
  DrawOp *op = add_op(d, p);
  if (!op) return false;
  *op = (DrawOp){
      .kind = OP_TEXT, .face = face, .size = size, .x = x, .y = y, .text = text, .len = len};
  d->text_need += 1 + len;
  return true;
}

bool display_rule(Display *d, DisplayPage *p, double x1, double y1, double x2, double y2,
                  double width) {
  DrawOp *op = add_op(d, p);
  if (!op) return false;
  *op = (DrawOp){.kind = OP_RULE, .x = x1, .y = y1, .x2 = x2, .y2 = y2, .width = width};
  return true;
}

bool display_rect(Display *d, DisplayPage *p, double x1, double y1, double x2, double y2) {
  DrawOp *op = add_op(d, p);
  if (!op) return false;
  *op = (DrawOp){.kind = OP_RECT, .x = x1, .y = y1, .x2 = x2, .y2 = y2};
  p->nrects++;
  return true;
}

bool display_problem(Display *d, const char *message) {
  for (size_t i = 0; i < d->nproblems; i++) {
    if (strcmp(d->problems[i], message) == 0) return true; /* once is enough */
  }
  if (d->nproblems == d->problems_cap) {
    size_t cap = d->problems_cap ? d->problems_cap * 2 : 8;
    const char **list = arena_grow(d->arena, d->problems, d->nproblems, cap, sizeof *list);
    if (!list) return false;
    d->problems = list;
    d->problems_cap = cap;
  }
  char *copy = arena_strndup(d->arena, message, strlen(message));
  if (!copy) return false;
  d->problems[d->nproblems++] = copy;
  return true;
}

bool display_anchor(Display *d, const char *name) {
  if (d->nanchors == d->anchors_cap) {
    size_t cap = d->anchors_cap ? d->anchors_cap * 2 : 16;
    const char **names = arena_grow(d->arena, d->anchors, d->nanchors, cap, sizeof *names);
    size_t *pages = arena_grow(d->arena, d->anchor_pages, d->nanchors, cap, sizeof *pages);
    if (!names || !pages) return false;
    d->anchors = names;
    d->anchor_pages = pages;
    d->anchors_cap = cap;
  }
  d->anchors[d->nanchors] = name;
  d->anchor_pages[d->nanchors++] = d->npages;
  return true;
}

static void reverse(DrawOp *ops, size_t a, size_t b) {
  while (a + 1 < b) {
    DrawOp t = ops[a];
    ops[a++] = ops[--b];
    ops[b] = t;
  }
}

void display_move_tail(DisplayPage *p, size_t at, size_t from) {
  if (at >= from || from >= p->nops) return;
  /* Rotation by three reversals: no scratch memory. */
  reverse(p->ops, at, from);
  reverse(p->ops, from, p->nops);
  reverse(p->ops, at, p->nops);
}
