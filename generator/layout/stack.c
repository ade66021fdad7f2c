/* stack: see stack.h. */
#include "layout/stack.h"

static bool push(LayoutContext *ctx, Stack *s, size_t *cap, double height, const Line *line) {
  if (s->count == *cap) {
    size_t grown_cap = *cap ? *cap * 2 : 8;
    StackItem *grown = arena_grow(ctx->arena, s->items, s->count, grown_cap, sizeof *grown);
    if (!grown) return false;
    s->items = grown;
    *cap = grown_cap;
  }
  s->items[s->count++] = (StackItem){.height = height, .line = line};
  s->height += height;
  return true;
}

bool stack_build(LayoutContext *ctx, const BlockList *blocks, double width, Stack *out) {
  *out = (Stack){0};
  size_t cap = 0;
  for (size_t b = 0; b < blocks->count; b++) {
    const Block *block = &blocks->items[b];
    if (block->kind == BLOCK_SPACE) {
      if (!push(ctx, out, &cap, block->as.space, NULL)) return false;
      continue;
    }
    if (block->kind != BLOCK_PARA) continue;
    const Para *p = &block->as.para;
    Line *lines;
    long n = linebreak(ctx, p, width, &lines);
    if (n < 0) return false;
    /* Spacing between paragraphs, never above the first or below the last. */
    if (p->space_before > 0 && out->count > 0 && !push(ctx, out, &cap, p->space_before, NULL))
      return false;
    for (long i = 0; i < n; i++) {
      if (!push(ctx, out, &cap, lines[i].height, &lines[i])) return false;
    }
    if (n == 0 && !push(ctx, out, &cap, linebreak_line_height(ctx, p), NULL)) return false;
    if (p->space_after > 0 && b + 1 < blocks->count && !push(ctx, out, &cap, p->space_after, NULL))
      return false;
  }
  return true;
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
