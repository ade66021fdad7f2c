/*
 * linebreak: a paragraph into lines.
 *
 * Justified and left-aligned text: the breaks are chosen for the whole paragraph (total fit,
 * after Knuth and Plass): justified spaces stretch and close up a little, ragged lines are
 * weighed by what they leave empty; a hyphen costs more than a somewhat looser line (more
 * still in a narrow column), two hyphenated lines in a row cost extra and a third is never
 * allowed. Centred and right-aligned text (headings, names) is set first fit and never
 * hyphenated. Where a word may break at all is hyphen_policy's rule. A word longer than the
 * whole line is cut anywhere rather than overflow its column — every character is placed.
 *
 * Spaces break, U+00A0 never does ("№ 146", "А.Н. Пенкин"); a newline breaks the line there.
 * Runs of different faces may join inside one word ("**Тема:**текст"). A justified line
 * holding a fill-in blank ("______") is not stretched. Soft hyphens and zero-width marks are
 * left out (the dictionary hyphenates). Characters the face lacks are drawn as "?" and
 * reported once.
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

/* Lines of a paragraph that must not end with a hyphen: the last line of a page. */
typedef struct {
  const size_t *lines; /* indices from 0 */
  size_t count;
} LineBans;

/* Breaks p into lines no wider than width (pt). Returns the number of lines (>= 1 for a
 * paragraph with text, 0 for an empty one) and the lines in *lines (arena), or -1 when
 * layout failed (out of memory, or ctx->error). */
long linebreak(LayoutContext *ctx, const Para *p, double width, Line **lines);

/* The same, with lines that must not end with a hyphen (bans may be NULL). */
long linebreak_banned(LayoutContext *ctx, const Para *p, double width, const LineBans *bans,
                      Line **lines);

/* True when breaking p reports nothing (no character of its runs is one the face lacks) and
 * reads its text as it is (no invisible mark left out): what it leaves besides its lines is
 * then only the count of words cut by characters, so it may be broken later or not at all. */
bool linebreak_quiet(LayoutContext *ctx, const Para *p);

/* Natural height of one line of paragraph p (what an empty paragraph still takes). */
double linebreak_line_height(LayoutContext *ctx, const Para *p);

/* Width of text in the face at size (pt). */
double linebreak_measure(LayoutContext *ctx, FaceId face, double size, const char *text,
                         size_t len);

/* The widest piece of p no break may split (its longest word, or a name's, at its own
 * hyphens) and the width of its longest line set without breaks: a table column's
 * least and most useful widths (pt), label and indents included. */
void linebreak_extent(LayoutContext *ctx, const Para *p, double *min_width, double *max_width);

#endif
