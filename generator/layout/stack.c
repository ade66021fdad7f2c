/* stack: see stack.h. */
#include "layout/stack.h"

static bool push(LayoutContext *ctx, Stack *s, size_t *cap, double height, const Line *line,
                 unsigned index, unsigned lines) {
  if (s->count == *cap) {
    size_t grown_cap = *cap ? *cap * 2 : 8;
    StackItem *grown = arena_grow(ctx->arena, s->items, s->count, grown_cap, sizeof *grown);
    if (!grown) return false;
    s->items = grown;
    *cap = grown_cap;
  }
  s->items[s->count++] =
      (StackItem){.height = height, .line = line, .index = index, .lines = lines};
  s->height += height;
  return true;
}

bool stack_build(LayoutContext *ctx, const BlockList *blocks, double width, Stack *out) {
  *out = (Stack){0};
  size_t cap = 0;
  for (size_t b = 0; b < blocks->count; b++) {
    const Block *block = &blocks->items[b];
    if (block->kind == BLOCK_SPACE) {
      if (!push(ctx, out, &cap, block->as.space, NULL, 0, 0)) return false;
      continue;
    }
    if (block->kind != BLOCK_PARA) continue;
    const Para *p = &block->as.para;
    Line *lines;
    long n = linebreak(ctx, p, width, &lines);
    if (n < 0) return false;
    /* Spacing between paragraphs, never above the first or below the last. */
    if (p->space_before > 0 && out->count > 0 && !push(ctx, out, &cap, p->space_before, NULL, 0, 0))
      return false;
    for (long i = 0; i < n; i++) {
      if (!push(ctx, out, &cap, lines[i].height, &lines[i], (unsigned)i, (unsigned)n)) return false;
    }
    if (n == 0 && !push(ctx, out, &cap, linebreak_line_height(ctx, p), NULL, 0, 0)) return false;
    if (p->space_after > 0 && b + 1 < blocks->count &&
        !push(ctx, out, &cap, p->space_after, NULL, 0, 0))
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

bool stack_line_ends_hyphen(const Line *line) {
  if (!line || line->nfrags == 0) return false;
  const Frag *last = &line->frags[line->nfrags - 1];
  return last->len > 0 && last->text[last->len - 1] == '-';
}

static size_t keep_paragraph_lines(const StackItem *items, size_t start, size_t end, size_t count) {
  if (end >= count || end <= start) return end;
  const StackItem *next = &items[end];
  if (!next->line || next->lines < 2 || next->index == 0) return end;
  size_t here = next->index, over = next->lines - next->index;
  if (here > end - start) return end; /* the paragraph began on an earlier page */
  if (here == 1) return end - 1;      /* orphan: its first line goes over with the rest */
  if (over == 1) return here >= 3 ? end - 1 : end - here; /* widow: two go over, or all */
  return end;
}

size_t stack_keep_lines(const StackItem *items, size_t start, size_t end, size_t count) {
  end = keep_paragraph_lines(items, start, end, count);
  /* A page does not end in the middle of a hyphenated word: that line goes over too, when
   * two lines of its paragraph still stay behind. */
  size_t keep = end;
  while (keep < count && keep > start) {
    const StackItem *last = &items[keep - 1];
    if (!(last->line && last->index + 1 < last->lines && stack_line_ends_hyphen(last->line))) break;
    /* Only while two lines of the paragraph still stay: carrying a cell's whole paragraph
     * over would leave its row half empty, which reads worse than the hyphen. */
    if (last->index < 2) break;
    keep--;
  }
  return keep;
}
