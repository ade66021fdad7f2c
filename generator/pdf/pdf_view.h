/*
 * pdf_view: the view's blocks (view/view.h, read and checked once for every writer) as the
 * layout's model (layout/model.h), every default the PDF gives resolved:
 *   - sizes from where a block stands: the document's font size, a table's own size;
 *   - a table's header rows bold, centred and not hyphenated unless a cell or paragraph says;
 *     a cell's bold and align pass to its paragraphs, a paragraph's own align wins;
 *   - lists as one paragraph per item, the label at 5 mm a level (3 mm inside a table),
 *     "•" when an item gives none; a list without items takes no room;
 *   - a box right-aligned, 80 mm wide, its text left-aligned;
 *   - columns given neither width nor weight sized from their content;
 *   - a QR code as its modules (qr/qr.h), drawn where flow.h says.
 * Lengths become points. Nothing here reads Lua or checks a value: the view did.
 *
 * Memory: the model lives in the given arena (strings are the view's, in the same arena or
 * one living as long). false: out of memory.
 */
#ifndef NASTAVNIK_PDF_VIEW_H
#define NASTAVNIK_PDF_VIEW_H

#include <stdbool.h>

#include "layout/arena.h"
#include "layout/model.h"
#include "view/view.h"

/* A step a form kept on one page is shrunk by (scripts/documents/common.lua, FIT_STEPS):
 * paragraph spacing and empty space times `space`, line spacing times `leading`, every font
 * size given plus `size`. */
typedef struct {
  double space, leading, size;
} PdfShrink;

/* The blocks of a document whose text is font_size pt (already shrunk: the document's font
 * is the step's), shrunk by the step when one is given (NULL: as the view says). What is
 * shrunk is what a view's blocks would be shrunk to in Lua, in the same arithmetic on the
 * view's own values, so that the layout is the same to the bit: a paragraph's own size, line
 * spacing and spacing, an empty space's height, a table's own size, the blocks of its cells
 * and of boxes; not what a cell shows continued, nor a list (its items' size is what they
 * stand in). A size shrunk below the view's 4 pt
 * is set as it is: a step lowers it by a point at most, a form's are 11 pt and more. */
bool pdf_view_blocks(Arena *arena, const ViewBlocks *view, double font_size,
                     const PdfShrink *shrink, BlockList *out);

/* One table value standing at the top of a document whose text is font_size pt. */
bool pdf_view_table(Arena *arena, const ViewTable *view, double font_size, Table *out);

#endif
