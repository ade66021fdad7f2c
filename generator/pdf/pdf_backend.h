/*
 * pdf_backend: a laid-out document (layout/display.h) into PDF bytes with libharu.
 *
 * Fonts are embedded as subsets of the characters actually drawn; every stream is
 * compressed; the document information (title, author, subject, creator) is written as
 * UTF-16 so Cyrillic survives, the catalog gets /Lang. The output depends on the input alone:
 * no clock is read (the creation date is written only when the caller gives one), so the same
 * document renders to the same bytes.
 */
#ifndef NASTAVNIK_PDF_BACKEND_H
#define NASTAVNIK_PDF_BACKEND_H

#include <stdbool.h>
#include <stddef.h>

#include "layout/display.h"
#include "layout/font.h"

typedef struct {
  const char *title, *author, *subject, *keywords, *creator;
  const char *language; /* BCP 47, "ru" */
  int year, month, day; /* creation date; year 0 = none */
} PdfInfo;

/* Renders d; on success *out is a malloc'd buffer of *out_len bytes. On failure returns false
 * with a message in err. */
bool pdf_render(const Display *d, LayoutFont *const fonts[FACE_COUNT], const PdfInfo *info,
                char **out, size_t *out_len, char *err, size_t errlen);

#endif
