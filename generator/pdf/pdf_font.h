/*
 * pdf_font: embedding a face as a subset of exactly the characters a document uses.
 *
 * HarfBuzz cuts the subset (hinting dropped: it is for screens at small sizes, and it is half
 * of a subset's bytes); libharu embeds it through its UTF-8 TrueType path, which reads the
 * subset's own cmap. libharu loads fonts only from a path, so the subset lives in an
 * anonymous memory file (memfd) named by /proc/self/fd/N — no temporary files on disk. The
 * file must stay open until the PDF is saved: libharu reads glyph data again then.
 */
#ifndef NASTAVNIK_PDF_FONT_H
#define NASTAVNIK_PDF_FONT_H

#include <hb.h>
#include <hpdf.h>
#include <stdbool.h>
#include <stddef.h>

#include "layout/font.h"

/* Subsets font to unicodes, loads it into pdf and returns libharu's font name (owned by
 * pdf), or NULL with a message in err. *fd receives the memory file to close after saving. */
const char *pdf_font_embed(HPDF_Doc pdf, LayoutFont *font, hb_set_t *unicodes, int *fd, char *err,
                           size_t errlen);

#endif
