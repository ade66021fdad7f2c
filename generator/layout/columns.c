/* columns: see columns.h. */
#include "layout/columns.h"

#include "layout/grid.h"
#include "layout/linebreak.h"
#include "memory.h"

static void cell_extent(LayoutContext *ctx, const BlockList *content, double pad, double *min,
                        double *max, double *text) {
  *min = *max = 2 * pad;
  *text = 0;
  for (size_t b = 0; b < content->count; b++) {
    if (content->items[b].kind != BLOCK_PARA) continue;
    double lo, hi;
    linebreak_extent(ctx, &content->items[b].as.para, &lo, &hi);
    if (lo + 2 * pad > *min) *min = lo + 2 * pad;
    if (hi + 2 * pad > *max) *max = hi + 2 * pad;
    *text += hi;
  }
}

/* Widens columns [c, c + span) evenly (the fixed ones excepted) until they hold `need`. */
static void widen(const Table *t, double *v, size_t c, size_t span, double need) {
  double have = 0;
  size_t free = 0;
  for (size_t i = c; i < c + span; i++) {
    have += v[i];
    free += t->columns[i].width <= 0;
  }
  if (need <= have || free == 0) return;
  for (size_t i = c; i < c + span; i++) {
    if (t->columns[i].width <= 0) v[i] += (need - have) / (double)free;
  }
}

bool columns_extent(LayoutContext *ctx, const Table *t, double *min, double *max, double *text) {
  GridCell *cells;
  size_t count;
  if (!grid_cells(ctx, t, &cells, &count)) return false;
  for (size_t i = 0; i < t->ncolumns; i++) {
    min[i] = max[i] = 2 * t->padding;
    text[i] = 0;
  }
  for (int spans = 0; spans < 2; spans++) {
    for (size_t k = 0; k < count; k++) {
      const GridCell *g = &cells[k];
      if ((g->colspan > 1) != (spans == 1)) continue;
      double lo, hi, amount;
      cell_extent(ctx, &g->cell->content, t->padding, &lo, &hi, &amount);
      if (ctx->out_of_memory) return false;
      for (size_t i = g->col; i < g->col + g->colspan; i++) text[i] += amount / (double)g->colspan;
      if (g->colspan == 1) {
        if (lo > min[g->col]) min[g->col] = lo;
        if (hi > max[g->col]) max[g->col] = hi;
      } else {
        widen(t, min, g->col, g->colspan, lo);
        widen(t, max, g->col, g->colspan, hi);
      }
    }
  }
  for (size_t i = 0; i < t->ncolumns; i++) {
    if (max[i] < min[i]) max[i] = min[i];
  }
  return true;
}

bool columns_share(size_t n, const double *min, const double *max, const double *text,
                   const bool *fixed, double total, double *widths) {
  double room = total, sum_min = 0, sum_max = 0;
  for (size_t i = 0; i < n; i++) {
    widths[i] = min[i];
    room -= min[i];
    if (!fixed[i]) {
      sum_min += min[i];
      sum_max += max[i];
    }
  }
  if (room < -0.01) {
    /* The least widths do not fit: the columns sized from content narrow in proportion (or,
     * when the fixed ones alone are too wide, all of them). */
    double fixed_sum = total + (-room) - sum_min;
    double free = total - fixed_sum;
    for (size_t i = 0; i < n; i++) {
      if (free > 0)
        widths[i] = fixed[i] ? min[i] : (sum_min > 0 ? min[i] * free / sum_min : 0);
      else
        widths[i] = fixed[i] && fixed_sum > 0 ? min[i] * total / fixed_sum : 0;
    }
    return false;
  }
  if (room >= sum_max - sum_min) {
    /* Every column can be set unbroken: they fill the width in proportion to that. */
    double extra = room - (sum_max - sum_min);
    for (size_t i = 0; i < n; i++) {
      if (fixed[i]) continue;
      widths[i] = max[i] + (sum_max > 0 ? extra * max[i] / sum_max : 0);
    }
    return true;
  }
  /* The rest of the room by the text each column holds, none past its most useful width. */
  bool *full = memory_calloc(n ? n : 1, sizeof *full);
  if (!full) {
    for (size_t i = 0; i < n; i++) {
      if (!fixed[i] && sum_max > sum_min)
        widths[i] = min[i] + room * (max[i] - min[i]) / (sum_max - sum_min);
    }
    return true;
  }
  while (room > 0.01) {
    double weights = 0;
    for (size_t i = 0; i < n; i++) {
      if (!fixed[i] && !full[i]) weights += text[i] > 0 ? text[i] : max[i] - min[i];
    }
    if (weights <= 0) break;
    bool capped = false;
    for (size_t i = 0; i < n; i++) {
      if (fixed[i] || full[i]) continue;
      double share = room * (text[i] > 0 ? text[i] : max[i] - min[i]) / weights;
      if (widths[i] + share > max[i]) {
        room -= max[i] - widths[i];
        widths[i] = max[i];
        full[i] = capped = true;
      }
    }
    if (capped) continue;
    for (size_t i = 0; i < n; i++) {
      if (fixed[i] || full[i]) continue;
      widths[i] += room * (text[i] > 0 ? text[i] : max[i] - min[i]) / weights;
    }
    room = 0;
  }
  memory_free(full);
  return true;
}

/* Fixed columns first, the rest shared by weight; all scaled down if too wide. */
static bool weighted(LayoutContext *ctx, const Table *t, double total, double *w) {
  double fixed = 0, weights = 0;
  for (size_t i = 0; i < t->ncolumns; i++) {
    fixed += t->columns[i].width;
    if (t->columns[i].width <= 0) weights += t->columns[i].weight;
  }
  double rest = total - fixed, scale = 1;
  if (rest < -0.5 && !display_problem(ctx->display,
                                      "таблица: столбцы заданной ширины шире поля страницы; "
                                      "они сужены пропорционально"))
    return false;
  if (rest < 0 || weights == 0) {
    scale = fixed > 0 ? (weights == 0 ? total / fixed : total / fixed * 0.8) : 1;
    rest = weights == 0 ? 0 : total * 0.2;
  }
  for (size_t i = 0; i < t->ncolumns; i++) {
    const Column *c = &t->columns[i];
    w[i] = c->width > 0 ? c->width * scale : rest * c->weight / weights;
  }
  return true;
}

bool columns_widths(LayoutContext *ctx, const Table *t, double total, double *widths) {
  bool any_auto = false;
  for (size_t i = 0; i < t->ncolumns; i++)
    any_auto = any_auto || (t->columns[i].width <= 0 && t->columns[i].weight <= 0);
  if (!any_auto) return weighted(ctx, t, total, widths);
  size_t n = t->ncolumns;
  double *min = arena_alloc(ctx->arena, 3 * n * sizeof *min);
  bool *fixed = arena_alloc(ctx->arena, n * sizeof *fixed);
  if (!min || !fixed || !columns_extent(ctx, t, min, min + n, min + 2 * n)) return false;
  double *max = min + n, *text = min + 2 * n;
  for (size_t i = 0; i < n; i++) {
    fixed[i] = t->columns[i].width > 0;
    if (fixed[i]) min[i] = max[i] = t->columns[i].width;
  }
  if (!columns_share(n, min, max, text, fixed, total, widths) &&
      !display_problem(ctx->display,
                       "таблица: самые длинные слова столбцов не помещаются по "
                       "ширине страницы; столбцы сужены, слова разорваны"))
    return false;
  return true;
}
