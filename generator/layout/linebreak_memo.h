/*
 * linebreak_memo: the lines of paragraphs already broken, remembered by the process.
 *
 * The same paragraph is broken at the same width again and again: a form that must fit one
 * page is laid out at every size its view tries (the spacing and leading steps change no
 * break), a table's cells are set once to size its rows and again to draw them, and the
 * consents of one organisation share most of their text. Breaking (the choice of breaks for
 * the whole paragraph, the hyphenation points) is most of the layout; copying remembered
 * lines is a small part of it.
 *
 * What is remembered is keyed by everything the breaker reads: the runs (text, face, no
 * hyphens), size, alignment, indents, label, the width, the lines banned from ending in a
 * hyphen, the faces, whether added hyphens are avoided, and the list of protected stems (by
 * hyphen_policy_adopt's answer: the lines broken under another list are another's). Not the
 * leading: it sets the lines' height, never where they break, so the caller sets the heights
 * itself. A paragraph whose breaking reported a character the face lacks is not remembered, so
 * every document reports its own; the words a breaking cut by characters (a count, no report) are
 * remembered with its lines and counted again (a 40-row roadmap's «(прод.)» in its narrow
 * column of numbers was broken afresh in every cell of every document). The memory is
 * bounded: past LINEBREAK_MEMO_BYTES it starts again empty.
 */
#ifndef NASTAVNIK_LAYOUT_LINEBREAK_MEMO_H
#define NASTAVNIK_LAYOUT_LINEBREAK_MEMO_H

#include <stdint.h>

#include "layout/linebreak.h"

enum { LINEBREAK_MEMO_BYTES = 8 << 20 };

/* A paragraph's key: in room the caller gives (a breaking found remembered touches no
 * scratch memory), a paragraph too long for it in scratch memory. */
enum { LINEBREAK_KEY_ROOM = 512 };
typedef struct {
  unsigned generation; /* hyphen_policy_adopt's answer it was made under */
  unsigned char *bytes;
  size_t len;
  uint64_t hash;
} LinebreakKey;

/* The length of the key of breaking p with bans (NULL: none); 0 when the paragraph is not to
 * be remembered (no list of protected stems adopted). */
size_t linebreak_memo_key_size(const LayoutContext *ctx, const Para *p, const LineBans *bans);

/* Makes that key, of `size` bytes (linebreak_memo_key_size's), at width in bytes. False when
 * the paragraph is not to be remembered after all. */
bool linebreak_memo_key(const LayoutContext *ctx, const Para *p, double width, const LineBans *bans,
                        unsigned char *bytes, size_t size, LinebreakKey *key);

/* The remembered lines of key, copied into ctx->arena (their height and baseline left 0 for
 * the caller), the words their breaking cut by characters added to ctx->cut_words again: the
 * number of lines, -1 when out of memory, -2 when none are remembered. */
long linebreak_memo_find(LayoutContext *ctx, const LinebreakKey *key, Line **lines);

/* Remembers the n lines of key, whose breaking cut `cuts` words by characters (silently not,
 * when out of memory). */
void linebreak_memo_keep(const LinebreakKey *key, const Line *lines, long n, unsigned long cuts);

/* A paragraph's extent (linebreak_extent: its widest piece, its longest line) is remembered
 * under the key made with this width, at which no line is ever broken: a table's columns are
 * sized from every cell's extent each time the table is laid out or measured. */
#define LINEBREAK_MEMO_EXTENT (-1.0)

/* The remembered extent of key: false when none is. */
bool linebreak_memo_find_extent(const LinebreakKey *key, double *min_width, double *max_width);

/* Remembers the extent of key (silently not, when out of memory). */
void linebreak_memo_keep_extent(const LinebreakKey *key, double min_width, double max_width);

#endif
