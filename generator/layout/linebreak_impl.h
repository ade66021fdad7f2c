/*
 * linebreak_impl: the breaker's insides, shared by linebreak.c (words, lines, first fit) and
 * linebreak_fit.c (the choice of breaks for a whole paragraph). Not for other rooms.
 */
#ifndef NASTAVNIK_LAYOUT_LINEBREAK_IMPL_H
#define NASTAVNIK_LAYOUT_LINEBREAK_IMPL_H

#include <stdint.h>

#include "layout/linebreak.h"

/* One piece of a word: consecutive non-space characters of one run. */
typedef struct {
  FaceId face;
  const char *text;
  size_t len;
  double width;
  bool no_hyphens; /* its run says so */
} Atom;

/* A word: atoms with no space between them, and the space in front of it. */
typedef struct {
  Atom *atoms;
  size_t natoms;
  double width;
  double space; /* width of the space before the word; 0 at the paragraph's start */
  int nbsp;     /* non-breaking spaces inside: they stretch with the others in justified text */
  bool blank;   /* a fill-in blank ("______"): a line holding one is not stretched */
} Word;

/* A fragment on the line being built, with the number of spaces (breaking or not) before it
 * and non-breaking ones inside it (for justify). */
typedef struct {
  Frag frag;
  double width;
  int spaces;
  int nbsp;
} PendingFrag;

typedef struct {
  LayoutContext *ctx;
  Arena *scratch; /* what dies with the call: words, pending fragments, lines being made */
  const Para *p;
  double width;
  double scale[FACE_COUNT]; /* points per font unit */
  double text_left;         /* where text starts on every line but (maybe) the first */
  double line_height, baseline;
  Line *lines;
  size_t nlines, lines_cap;
  PendingFrag *pending;
  size_t npending, pending_cap;
  double x;   /* pen, from the start of the current line's text */
  int spaces; /* spaces already on the current line, non-breaking ones included */
  bool first_line;
  bool line_blank; /* the current line holds a blank */
  bool failed;
  int hyphen_run; /* how many lines in a row, up to the last finished one, end with a hyphen */
  const LineBans *bans;
} Breaker;

/* Per-character view of a word, for choosing where to cut it. */
typedef struct {
  uint32_t cp;
  size_t atom, offset, len; /* where the character lies */
  double width;
} WordChar;

/* Words are looked into this far (a cut beyond it comes on a later line). */
enum { MAX_SPLIT_CHARS = 512 };

/* At most this many hyphenated lines follow one another. */
enum { MAX_HYPHEN_RUN = 2 };

/* Scratch memory for one step: the context's (from a mark) or an arena of its own. */
typedef struct {
  Arena *arena;
  Arena local;
  ArenaMark mark;
} Scratch;
void lb_scratch_begin(LayoutContext *ctx, Scratch *s);
void lb_scratch_end(Scratch *s);

/* A character's advance in font units (0 when the face lacks it: layout reports those). */
static inline double lb_advance(LayoutContext *ctx, FaceId face, uint32_t cp) {
  int32_t a = layout_font_advance(ctx->fonts[face], cp);
  return a > 0 ? a : 0;
}
double lb_line_start(const Breaker *b);
double lb_line_room(const Breaker *b);
/* True when line index `line` of the paragraph may not end with a hyphen. */
bool lb_banned(const Breaker *b, size_t line);
/* The word's characters, with their widths; chars[n] is a sentinel past the end. */
size_t lb_word_chars(Breaker *b, const Word *w, WordChar *chars);
/* Where the word may be cut: with a hyphen added (hyphen_at) or after its own (plain_at). */
void lb_word_breaks(const Breaker *b, const Word *w, const WordChar *chars, size_t n,
                    bool *hyphen_at, bool *plain_at);
double lb_hyphen_width(const Breaker *b, const Word *w, const WordChar *c);
void lb_add_word_whole(Breaker *b, const Word *w);
/* Adds the word's characters [0, cut) to the line (plus a hyphen when asked) and rewrites w
 * to hold the rest. */
void lb_split_word(Breaker *b, Word *w, const WordChar *chars, size_t cut, bool hyphen);
/* Closes the current line: aligns its fragments and stores it. */
void lb_finish_line(Breaker *b, bool last);

/* Breaks words[0..n) (after which the paragraph or a forced break ends) choosing the breaks
 * for all of them at once, and adds the lines. False, with nothing added, when no set of
 * breaks fits (a word wider than the line) or the paragraph is too large to weigh. */
bool lb_fit_words(Breaker *b, Word *words, size_t n);

#endif
