/*
 * rich: the view's rich text and tables (view/view.h) made ready for the formats to write
 * (declared in tmpl.h): blocks become one RichPara per paragraph, list item or space, with
 * their text cleaned for XML; a table's cells are placed on its grid and its columns given
 * widths. Everything lives in the caller's arena; out of memory is raised.
 */
#include <string.h>

#include "tmpl.h"

static void *arena_get(Arena *arena, size_t count, size_t size) {
  if (size && count > ((size_t)-1 >> 2) / size) tmpl_no_memory();
  size_t bytes = count * size;
  return tmpl_check(arena_alloc(arena, bytes ? bytes : 1));
}

static char *clean(Arena *arena, const char *s, size_t n) {
  /* (one buffer for the process: a table's every run was a buffer allocated and freed) */
  static Buf b;
  b.len = 0;
  tmpl_sanitize(&b, s ? s : "", s ? n : 0);
  return tmpl_check(arena_strndup(arena, b.data, b.len));
}

static void runs_of(Arena *arena, const ViewRun *runs, size_t n, RichPara *rp) {
  rp->runs = arena_get(arena, n, sizeof *rp->runs);
  for (size_t i = 0; i < n; i++) {
    rp->runs[i].text = clean(arena, runs[i].text, runs[i].len);
    rp->runs[i].bold = runs[i].bold;
    rp->runs[i].italic = runs[i].italic;
  }
  rp->nruns = n;
}

/* The paragraphs of blocks; in a header row (header) a paragraph is not hyphenated unless it
 * says so, as in the PDF. */
static size_t paragraphs_of(Arena *arena, const ViewBlocks *blocks, int header, RichPara **out) {
  size_t count = 0;
  for (size_t b = 0; b < blocks->count; b++) {
    const ViewBlock *vb = &blocks->items[b];
    count += vb->kind == VIEW_LIST                             ? vb->as.list.nitems
             : vb->kind == VIEW_PARA || vb->kind == VIEW_SPACE ? 1
                                                               : 0;
  }
  RichPara *paras = arena_get(arena, count, sizeof *paras);
  size_t k = 0;
  for (size_t b = 0; b < blocks->count; b++) {
    const ViewBlock *vb = &blocks->items[b];
    switch (vb->kind) {
      case VIEW_PARA:
        runs_of(arena, vb->as.para.runs, vb->as.para.nruns, &paras[k]);
        paras[k].keep_next = vb->as.para.keep_with_next;
        paras[k].size_pt = vb->as.para.has_size ? vb->as.para.size_pt : 0;
        paras[k].no_hyphens =
            vb->as.para.has_hyphenate ? !vb->as.para.hyphenate : header || !vb->as.para.hyphenate;
        paras[k++].align = vb->as.para.align;
        break;
      case VIEW_LIST:
        for (size_t i = 0; i < vb->as.list.nitems; i++) {
          const ViewItem *it = &vb->as.list.items[i];
          RichPara *rp = &paras[k++];
          rp->is_item = 1;
          rp->ordered = vb->as.list.ordered;
          rp->label = clean(arena, it->label ? it->label : "•", it->label ? strlen(it->label) : 3);
          rp->level = it->level;
          rp->align = vb->as.list.align;
          runs_of(arena, it->runs, it->nruns, rp);
        }
        break;
      case VIEW_SPACE:
        paras[k].runs = arena_get(arena, 1, sizeof *paras[k].runs);
        /* a space of height 0 is still a (minimal) empty line */
        paras[k++].space_mm = vb->as.space_mm > 0.1 ? vb->as.space_mm : 0.1;
        break;
      default:
        break; /* tables, boxes and page blocks are not paragraphs */
    }
  }
  *out = paras;
  return k;
}

size_t rich_paragraphs(Arena *arena, const ViewBlocks *blocks, RichPara **out) {
  return paragraphs_of(arena, blocks, 0, out);
}

/* The layout's rules of a table's rows (layout/table.h), for the formats to write: a row kept
 * together never splits; a stage heading (keep_with_next, or one cell across the table) keeps
 * with the row after it, as do the rows of a short group tied by a span (an item and its
 * sub-rows) and every row of a table kept together. */
static void row_breaks(const ViewTable *view, TmplTable *tab) {
  for (size_t r = 0; r < tab->nrows; r++) {
    const ViewRow *row = &view->rows[r];
    TmplRow *out = &tab->rows[r];
    out->cant_split = row->keep_together || view->keep_together;
    if (r + 1 == tab->nrows) continue;
    int stage = row->keep_with_next ||
                (row->ncells == 1 && (size_t)row->cells[0].colspan >= tab->ncols && tab->ncols > 1);
    int spanned = 0; /* a cell of row r goes on into row r + 1 */
    for (size_t c = 0; c < tab->ncols; c++)
      spanned = spanned || tab->grid[(r + 1) * tab->ncols + c].kind == SLOT_BELOW;
    int group = spanned && row->keep_together && view->rows[r + 1].keep_together;
    out->keep_next = r >= tab->header_rows && (stage || group || view->keep_together);
  }
}

size_t table_layout(Arena *arena, const ViewTable *view, TmplTable *tab) {
  memset(tab, 0, sizeof *tab);
  tab->keep_together = view->keep_together;
  tab->ncols = view->ncolumns;
  tab->nrows = view->nrows;
  tab->header_rows = view->header_rows;
  tab->borders = view->borders;
  tab->padding_mm = view->padding_mm; /* the view's default is the PDF's, 1 mm */
  tab->size_pt = view->has_size ? view->size_pt : 0;
  size_t ncells = 0;
  for (size_t r = 0; r < view->nrows; r++) ncells += view->rows[r].ncells;
  tab->cells = arena_get(arena, ncells, sizeof *tab->cells);
  tab->grid = arena_get(arena, tab->nrows * tab->ncols + 1, sizeof *tab->grid);
  tab->rows = arena_get(arena, tab->nrows + 1, sizeof *tab->rows);
  size_t bad_row = 0;
  for (size_t r = 0; r < view->nrows; r++) {
    TmplSlot *line = &tab->grid[r * tab->ncols];
    size_t c = 0;
    for (size_t k = 0; k < view->rows[r].ncells; k++) {
      const ViewCell *vc = &view->rows[r].cells[k];
      TmplCell *cell = &tab->cells[tab->ncells++];
      cell->row = r;
      cell->nparas = paragraphs_of(arena, &vc->blocks, r < tab->header_rows, &cell->paras);
      cell->align = vc->align;
      cell->valign = vc->valign;
      cell->bold = vc->bold;
      cell->colspan = vc->colspan;
      cell->rowspan = vc->rowspan;
      while (c < tab->ncols && line[c].kind != SLOT_EMPTY) c++;
      size_t end = c;
      while (end < tab->ncols && end < c + (size_t)cell->colspan && line[end].kind == SLOT_EMPTY)
        end++;
      if (end - c < (size_t)cell->colspan) {
        if (!bad_row) bad_row = r + 1;
        cell->col = -1;
        if (end == c) continue;
      }
      cell->col = (int)c;
      cell->colspan = (int)(end - c);
      if ((size_t)cell->rowspan > tab->nrows - r) cell->rowspan = (int)(tab->nrows - r);
      for (size_t dr = 0; dr < (size_t)cell->rowspan; dr++)
        for (size_t j = c; j < end; j++)
          tab->grid[(r + dr) * tab->ncols + j] = (TmplSlot){dr       ? SLOT_BELOW
                                                            : j == c ? SLOT_START
                                                                     : SLOT_ACROSS,
                                                            cell};
      c = end;
    }
  }
  row_breaks(view, tab);
  return bad_row;
}

void table_widths(Arena *arena, const ViewTable *view, TmplTable *tab, double width_mm) {
  tab->col_mm = arena_get(arena, tab->ncols, sizeof *tab->col_mm);
  double fixed = 0, total = 0;
  size_t nweights = 0;
  for (size_t c = 0; c < tab->ncols; c++) {
    const ViewColumn *col = &view->columns[c];
    if (col->width_mm > 0) {
      fixed += col->width_mm;
    } else {
      total += col->weight;
      nweights++;
    }
  }
  double rest = width_mm - fixed;
  if (rest < 15.0 * (double)nweights) rest = 15.0 * (double)nweights;
  tab->width_mm = 0;
  for (size_t c = 0; c < tab->ncols; c++) {
    const ViewColumn *col = &view->columns[c];
    tab->col_mm[c] = col->width_mm > 0 ? col->width_mm : rest * col->weight / total;
    tab->width_mm += tab->col_mm[c];
  }
}
