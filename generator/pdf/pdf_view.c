/* pdf_view: see pdf_view.h. */
#include "pdf/pdf_view.h"

#include <string.h>

#include "memory.h"
#include "qr/qr.h"

/* Defaults a block takes from where it stands (the page, a table, a header row, a cell). */
typedef struct {
  Arena *arena;
  double size;
  Align align;
  bool bold;
  bool no_hyphens;         /* header cells */
  double list_step;        /* indent per list level, pt */
  const PdfShrink *shrink; /* the step the blocks' own settings shrink by; NULL: none */
} Inherit;

static const Align ALIGNS[] = {
    [VIEW_ALIGN_LEFT] = ALIGN_LEFT,
    [VIEW_ALIGN_CENTER] = ALIGN_CENTER,
    [VIEW_ALIGN_RIGHT] = ALIGN_RIGHT,
    [VIEW_ALIGN_JUSTIFY] = ALIGN_JUSTIFY,
};

static Align align_or(ViewAlign a, Align def) {
  return a == VIEW_ALIGN_NONE ? def : ALIGNS[a];
}

static void *alloc(const Inherit *in, size_t count, size_t size) {
  return arena_alloc(in->arena, (count ? count : 1) * size);
}

static bool runs_of(const Inherit *in, const ViewRun *view, size_t n, Run **out) {
  Run *runs = alloc(in, n, sizeof *runs);
  if (!runs) return false;
  for (size_t i = 0; i < n; i++) {
    int face = (view[i].bold || in->bold ? FACE_BOLD : 0) | (view[i].italic ? FACE_ITALIC : 0);
    runs[i] = (Run){.text = view[i].text,
                    .len = view[i].len,
                    .face = (FaceId)face,
                    .no_hyphens = view[i].no_hyphens};
  }
  *out = runs;
  return true;
}

static bool para_of(const Inherit *in, const ViewPara *v, Para *p) {
  if (!runs_of(in, v->runs, v->nruns, &p->runs)) return false;
  p->nruns = v->nruns;
  p->align = align_or(v->align, in->align);
  p->indent = v->indent_mm * MM_TO_PT;
  const PdfShrink *s = in->shrink;
  p->size = !v->has_size ? in->size : s ? v->size_pt + s->size : v->size_pt;
  p->line_spacing = s ? v->line_spacing * s->leading : v->line_spacing;
  p->space_before = s ? v->space_before_pt * s->space : v->space_before_pt;
  p->space_after = s ? v->space_after_pt * s->space : v->space_after_pt;
  p->keep_with_next = v->keep_with_next;
  p->no_hyphens = v->has_hyphenate ? !v->hyphenate : in->no_hyphens;
  p->anchor = v->anchor;
  return true;
}

/* A list's items, one paragraph each, from out[0] on. */
static bool items_of(const Inherit *in, const ViewList *l, Block *out) {
  Align align = align_or(l->align, in->align);
  for (size_t i = 0; i < l->nitems; i++) {
    const ViewItem *it = &l->items[i];
    out[i].kind = BLOCK_PARA;
    Para *p = &out[i].as.para;
    if (!runs_of(in, it->runs, it->nruns, &p->runs)) return false;
    p->nruns = it->nruns;
    p->label = it->label ? it->label : "•";
    p->label_face = in->bold ? FACE_BOLD : FACE_REGULAR;
    p->left = (it->level - 1) * in->list_step;
    p->align = align == ALIGN_JUSTIFY ? ALIGN_JUSTIFY : ALIGN_LEFT;
    p->size = in->size;
    p->line_spacing = 1.0;
    p->no_hyphens = in->no_hyphens;
  }
  return true;
}

static bool blocks_of(const Inherit *in, const ViewBlocks *view, BlockList *out);

static bool table_of(const Inherit *outer, const ViewTable *v, Table *t) {
  Inherit in = *outer;
  in.size = !v->has_size    ? outer->size
            : outer->shrink ? v->size_pt + outer->shrink->size
                            : v->size_pt;
  in.align = ALIGN_LEFT;
  in.list_step = 3 * MM_TO_PT;
  t->padding = v->padding_mm * MM_TO_PT;
  t->borders = v->borders;
  t->keep_together = v->keep_together;
  t->header_rows = v->header_rows;
  t->ncolumns = v->ncolumns;
  t->columns = alloc(&in, v->ncolumns, sizeof *t->columns);
  t->nrows = v->nrows;
  t->rows = alloc(&in, v->nrows, sizeof *t->rows);
  if (!t->columns || !t->rows) return false;
  for (size_t i = 0; i < v->ncolumns; i++) {
    const ViewColumn *c = &v->columns[i];
    t->columns[i] =
        (Column){.width = c->width_mm * MM_TO_PT, .weight = c->from_content ? 0 : c->weight};
  }
  for (size_t i = 0; i < v->nrows; i++) {
    const ViewRow *vr = &v->rows[i];
    Row *row = &t->rows[i];
    row->keep_together = vr->keep_together;
    row->keep_with_next = vr->keep_with_next;
    row->ncells = vr->ncells;
    row->cells = alloc(&in, vr->ncells, sizeof *row->cells);
    if (!row->cells) return false;
    bool header = i < v->header_rows; /* bold, centred, not hyphenated unless cells say */
    for (size_t k = 0; k < vr->ncells; k++) {
      const ViewCell *vc = &vr->cells[k];
      Cell *c = &row->cells[k];
      Inherit cell = in;
      if (header) {
        cell.bold = true;
        cell.no_hyphens = true;
        cell.align = ALIGN_CENTER;
      }
      if (vc->has_bold) cell.bold = vc->bold;
      cell.align = align_or(vc->align, cell.align);
      c->colspan = vc->colspan;
      c->rowspan = vc->rowspan;
      c->valign = vc->valign == VIEW_VALIGN_MIDDLE   ? VALIGN_MIDDLE
                  : vc->valign == VIEW_VALIGN_BOTTOM ? VALIGN_BOTTOM
                                                     : VALIGN_TOP;
      /* What a cell shows continued keeps its own settings: its sizes are the table's.
       * (A cell given as text has none: view.c reads it as a paragraph of zero line
       * spacing, the font's own, which a step leaves as it is, as it leaves such a cell.) */
      Inherit continued = cell;
      continued.shrink = NULL;
      if (!blocks_of(&cell, &vc->blocks, &c->content) ||
          !blocks_of(&continued, &vc->continued, &c->continued))
        return false;
    }
  }
  return true;
}

/* A QR code's modules, in the arena. */
static bool qr_of(const Inherit *in, const ViewQr *v, Qr *q) {
  QrMatrix m;
  QrStatus st = qr_encode(v->text, v->len, QR_LEVEL_M, &m);
  if (st != QR_OK) return false; /* the view's 1,000 bytes always fit: only memory fails */
  size_t n = (size_t)m.size * (size_t)m.size;
  unsigned char *dark = arena_alloc(in->arena, n);
  if (dark) memcpy(dark, m.dark, n);
  qr_free(&m);
  if (!dark) return false;
  *q = (Qr){.size = v->size_mm * MM_TO_PT, .modules = m.size, .dark = dark};
  return true;
}

/* Lists expand to one paragraph per item, so out has room for every item of every list. */
static bool blocks_of(const Inherit *in, const ViewBlocks *view, BlockList *out) {
  size_t cap = 0;
  for (size_t i = 0; i < view->count; i++) {
    const ViewBlock *b = &view->items[i];
    cap += b->kind == VIEW_LIST && b->as.list.nitems > 0 ? b->as.list.nitems : 1;
  }
  Block *blocks = alloc(in, cap, sizeof *blocks);
  if (!blocks) return false;
  size_t count = 0;
  for (size_t i = 0; i < view->count; i++) {
    const ViewBlock *v = &view->items[i];
    Block *b = &blocks[count];
    bool ok = true;
    switch (v->kind) {
      case VIEW_PARA:
        b->kind = BLOCK_PARA;
        ok = para_of(in, &v->as.para, &b->as.para);
        break;
      case VIEW_LIST:
        if (v->as.list.nitems == 0) {
          b->kind = BLOCK_SPACE; /* no items: takes no room */
          b->as.space = 0;
        } else {
          ok = items_of(in, &v->as.list, b);
          count += v->as.list.nitems - 1;
        }
        break;
      case VIEW_SPACE:
        b->kind = BLOCK_SPACE;
        b->as.space = (in->shrink ? v->as.space_mm * in->shrink->space : v->as.space_mm) * MM_TO_PT;
        break;
      case VIEW_TABLE:
        b->kind = BLOCK_TABLE;
        ok = table_of(in, &v->as.table, &b->as.table);
        break;
      case VIEW_BOX: {
        Inherit box = *in;
        box.align = ALIGN_LEFT;
        b->kind = BLOCK_BOX;
        b->as.box.width = v->as.box.width_mm * MM_TO_PT;
        b->as.box.align = align_or(v->as.box.align, ALIGN_RIGHT);
        ok = blocks_of(&box, &v->as.box.blocks, &b->as.box.content);
        break;
      }
      case VIEW_PAGE_BREAK:
        b->kind = BLOCK_PAGE_BREAK;
        break;
      case VIEW_PAGE:
        b->kind = BLOCK_PAGE;
        b->as.landscape = v->as.landscape;
        break;
      case VIEW_QR:
        b->kind = BLOCK_QR;
        ok = qr_of(in, &v->as.qr, &b->as.qr);
        break;
    }
    if (!ok) return false;
    b->keep_with_previous = v->keep_with_previous; /* a list: its first item */
    count++;
  }
  out->items = blocks;
  out->count = count;
  return true;
}

static Inherit top_level(Arena *arena, double font_size) {
  return (Inherit){
      .arena = arena, .size = font_size, .align = ALIGN_LEFT, .list_step = 5 * MM_TO_PT};
}

bool pdf_view_blocks(Arena *arena, const ViewBlocks *view, double font_size,
                     const PdfShrink *shrink, BlockList *out) {
  Inherit in = top_level(arena, font_size);
  in.shrink = shrink;
  return blocks_of(&in, view, out);
}

bool pdf_view_table(Arena *arena, const ViewTable *view, double font_size, Table *out) {
  Inherit in = top_level(arena, font_size);
  return table_of(&in, view, out);
}
