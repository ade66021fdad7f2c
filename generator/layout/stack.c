/* stack: see stack.h. */
#include "layout/stack.h"

#include <string.h>

static bool reserve_items(LayoutContext *ctx, Stack *s, size_t more) {
  if (s->count + more <= s->cap) return true;
  size_t cap = s->cap ? s->cap * 2 : 8;
  while (cap < s->count + more) cap *= 2;
  StackItem *grown = arena_grow(ctx->arena, s->items, s->count, cap, sizeof *grown);
  if (!grown) return false;
  s->items = grown;
  s->cap = cap;
  return true;
}

static bool push(LayoutContext *ctx, Stack *s, StackItem item) {
  if (!reserve_items(ctx, s, 1)) return false;
  s->items[s->count++] = item;
  s->height += item.height;
  return true;
}

static bool push_lines(LayoutContext *ctx, Stack *s, const Line *lines, long n, unsigned para) {
  for (long i = 0; i < n; i++) {
    StackItem item = {.height = lines[i].height,
                      .line = &lines[i],
                      .index = (unsigned)i,
                      .lines = (unsigned)n,
                      .para = para};
    if (!push(ctx, s, item)) return false;
  }
  return true;
}

bool stack_build(LayoutContext *ctx, const BlockList *blocks, double width, Stack *out) {
  *out = (Stack){.width = width};
  size_t nparas = 0;
  for (size_t b = 0; b < blocks->count; b++) nparas += blocks->items[b].kind == BLOCK_PARA;
  if (nparas > 0) {
    out->paras = arena_alloc(ctx->arena, nparas * sizeof *out->paras);
    if (!out->paras) return false;
  }
  for (size_t b = 0; b < blocks->count; b++) {
    const Block *block = &blocks->items[b];
    if (block->kind == BLOCK_SPACE) {
      if (!push(ctx, out, (StackItem){.height = block->as.space})) return false;
      continue;
    }
    if (block->kind != BLOCK_PARA) continue;
    const Para *p = &block->as.para;
    Line *lines;
    long n = linebreak(ctx, p, width, &lines);
    if (n < 0) return false;
    /* Spacing between paragraphs, never above the first or below the last. */
    if (p->space_before > 0 && out->count > 0 &&
        !push(ctx, out, (StackItem){.height = p->space_before}))
      return false;
    unsigned para = (unsigned)++out->nparas;
    out->paras[para - 1] = (StackPara){.para = p, .first = out->count, .nlines = (unsigned)n};
    if (!push_lines(ctx, out, lines, n, para)) return false;
    if (n == 0 && !push(ctx, out, (StackItem){.height = linebreak_line_height(ctx, p)}))
      return false;
    if (p->space_after > 0 && b + 1 < blocks->count &&
        !push(ctx, out, (StackItem){.height = p->space_after}))
      return false;
  }
  return true;
}

static bool same_line(const Line *a, const Line *b) {
  if (a->nfrags != b->nfrags) return false;
  for (size_t i = 0; i < a->nfrags; i++) {
    const Frag *x = &a->frags[i], *y = &b->frags[i];
    if (x->len != y->len || x->face != y->face || memcmp(x->text, y->text, x->len) != 0 ||
        x->x - y->x > 0.01 || y->x - x->x > 0.01)
      return false;
  }
  return true;
}

int stack_unhyphen(LayoutContext *ctx, Stack *s, size_t k, size_t drawn) {
  if (k >= s->count || !s->items[k].para) return 0;
  StackPara *sp = &s->paras[s->items[k].para - 1];
  size_t line = s->items[k].index;
  size_t *bans = arena_alloc(ctx->arena, (sp->nbans + 1) * sizeof *bans);
  if (!bans) return -1;
  if (sp->nbans) memcpy(bans, sp->bans, sp->nbans * sizeof *bans);
  bans[sp->nbans] = line;
  LineBans rule = {.lines = bans, .count = sp->nbans + 1};
  Line *lines;
  long n = linebreak_banned(ctx, sp->para, s->width, &rule, &lines);
  if (n < 0) return -1;
  if ((size_t)n <= line || stack_line_ends_hyphen(&lines[line])) return 0;
  /* Lines already drawn must come out the same. */
  for (size_t i = sp->first; i < drawn && i < sp->first + sp->nlines; i++) {
    size_t j = i - sp->first;
    if ((long)j >= n || !same_line(s->items[i].line, &lines[j])) return 0;
  }
  /* Splice the new lines in place of the old. */
  size_t old_end = sp->first + sp->nlines, tail = s->count - old_end;
  long delta = n - (long)sp->nlines;
  if (delta > 0 && !reserve_items(ctx, s, (size_t)delta)) return -1;
  memmove(&s->items[sp->first + (size_t)n], &s->items[old_end], tail * sizeof *s->items);
  unsigned para = s->items[k].para;
  for (long i = 0; i < n; i++) {
    s->items[sp->first + (size_t)i] = (StackItem){.height = lines[i].height,
                                                  .line = &lines[i],
                                                  .index = (unsigned)i,
                                                  .lines = (unsigned)n,
                                                  .para = para};
  }
  s->count = (size_t)((long)s->count + delta);
  s->height = 0;
  for (size_t i = 0; i < s->count; i++) s->height += s->items[i].height;
  for (size_t p = para; p < s->nparas; p++)
    s->paras[p].first = (size_t)((long)s->paras[p].first + delta);
  sp->nlines = (unsigned)n;
  sp->bans = bans;
  sp->nbans = rule.count;
  return 1;
}

bool stack_draw_line(LayoutContext *ctx, DisplayPage *page, const Line *line, double x, double y) {
  for (size_t i = 0; i < line->nfrags; i++) {
    const Frag *f = &line->frags[i];
    if (!display_text(ctx->display, page, f->face, line->size, x + f->x, y + line->baseline,
                      f->text, f->len))
      return false;
  }
  return true;
}

bool stack_line_ends_hyphen(const Line *line) {
  if (!line || line->nfrags == 0) return false;
  const Frag *last = &line->frags[line->nfrags - 1];
  return last->len > 0 && last->text[last->len - 1] == '-';
}

size_t stack_keep_lines(const StackItem *items, size_t start, size_t end, size_t count) {
  if (end >= count || end <= start) return end;
  const StackItem *next = &items[end];
  if (!next->line || next->lines < 2 || next->index == 0) return end;
  size_t here = next->index, over = next->lines - next->index;
  if (here > end - start) return end; /* the paragraph began on an earlier page */
  if (here == 1) return end - 1;      /* orphan: its first line goes over with the rest */
  if (over == 1) return here >= 3 ? end - 1 : end - here; /* widow: two go over, or all */
  return end;
}
