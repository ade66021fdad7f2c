/*
 * linebreak: a paragraph into lines.
 *
 * Left, right and centred text: first fit, word by word — a word that does not fit is
 * hyphenated (Russian patterns, or at its own hyphen) when a piece of it fits the line's end.
 * Justified text: the breaks are chosen for the whole paragraph (total fit, after Knuth and
 * Plass: spaces stretch and close up a little, hyphens cost), so one unlucky word does not
 * leave a line of wide gaps. Either way a word longer than the whole line is cut anywhere
 * rather than overflow its column.
 *
 * Spaces break, U+00A0 never does ("№ 146", "А.Н. Пенкин"); a newline breaks the line there.
 * Runs of different faces may join inside one word ("**Тема:**текст"). Centred paragraphs
 * (headings) are not hyphenated. Soft hyphens and zero-width marks are left out (the
 * dictionary hyphenates). Characters the face lacks are drawn as "?" and reported once.
 */
#ifndef NASTAVNIK_LAYOUT_LINEBREAK_H
#define NASTAVNIK_LAYOUT_LINEBREAK_H

#include "layout/context.h"

typedef struct {
  FaceId face;
  double x; /* from the left edge of the paragraph's box */
  const char *text;
  size_t len;
} Frag;

typedef struct {
  double height;   /* advance to the next line */
  double baseline; /* from the top of the line */
  double size;     /* font size of every fragment */
  Frag *frags;
  size_t nfrags;
} Line;

/* Breaks p into lines no wider than width (pt). Returns the number of lines (>= 1 for a
 * paragraph with text, 0 for an empty one) and the lines in *lines (arena), or -1 when out of
 * memory. */
long linebreak(LayoutContext *ctx, const Para *p, double width, Line **lines);

/* Natural height of one line of paragraph p (what an empty paragraph still takes). */
double linebreak_line_height(LayoutContext *ctx, const Para *p);

/* Width of text in the face at size (pt). */
double linebreak_measure(LayoutContext *ctx, FaceId face, double size, const char *text,
                         size_t len);

#endif
