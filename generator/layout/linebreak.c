/* linebreak: see linebreak.h. */
#include "layout/linebreak.h"

#include <stdio.h>
#include <string.h>

#include "layout/hyphen_ru.h"
#include "layout/utf8.h"

/* One piece of a word: consecutive non-space characters of one run. */
typedef struct {
  FaceId face;
  const char *text;
  size_t len;
  double width;
} Atom;

/* A word: atoms with no space between them, and the space in front of it. */
typedef struct {
  Atom *atoms;
  size_t natoms;
  double width;
  double space; /* width of the space before the word; 0 at the paragraph's start */
} Word;

/* A fragment on the line being built, with the number of spaces before it (for justify). */
typedef struct {
  Frag frag;
  double width;
  int spaces;
} PendingFrag;

typedef struct {
  LayoutContext *ctx;
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
  int spaces; /* spaces already on the current line */
  bool first_line;
  bool failed;
  bool total_fit; /* justified: words are held and broken as a paragraph (justify_words) */
  Word *held;
  size_t nheld, held_cap;
} Breaker;

static bool is_space(uint32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r';
}

static double advance(LayoutContext *ctx, FaceId face, uint32_t cp) {
  int32_t a = layout_font_advance(ctx->fonts[face], cp);
  return a > 0 ? a : 0;
}

double linebreak_measure(LayoutContext *ctx, FaceId face, double size, const char *text,
                         size_t len) {
  double units = 0;
  for (size_t i = 0; i < len;) {
    uint32_t cp;
    i += utf8_decode(text + i, len - i, &cp);
    units += advance(ctx, face, cp);
  }
  return units * size / ctx->fonts[face]->upem;
}

double linebreak_line_height(LayoutContext *ctx, const Para *p) {
  const LayoutFont *f = ctx->fonts[FACE_REGULAR];
  double spacing = p->line_spacing > 0 ? p->line_spacing : 1.0;
  return (f->ascender - f->descender + f->line_gap) * p->size / f->upem * spacing;
}

/* A copy of text where characters the face lacks are "?" (each reported once), or text
 * itself when the face has them all — the common case costs no copy. */
/* Invisible marks pasted from word processors: a soft hyphen (U+00AD) would print as a hyphen
 * in the middle of a word, a zero-width space (U+200B) or joiner as nothing at best. */
static bool is_invisible(uint32_t cp) {
  return cp == 0xAD || cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0xFEFF;
}

static const char *sanitize(LayoutContext *ctx, FaceId face, const char *text, size_t *len) {
  LayoutFont *font = ctx->fonts[face];
  size_t n = *len, i = 0;
  for (; i < n;) {
    uint32_t cp;
    size_t k = utf8_decode(text + i, n - i, &cp);
    if (is_invisible(cp) || (!is_space(cp) && !layout_font_has(font, cp))) break;
    i += k;
  }
  if (i == n) return text;
  char *out = arena_alloc(ctx->arena, n + 1);
  if (!out) {
    ctx->out_of_memory = true;
    return text;
  }
  size_t o = 0;
  for (i = 0; i < n;) {
    uint32_t cp;
    size_t k = utf8_decode(text + i, n - i, &cp);
    if (is_invisible(cp)) {
      i += k;
      continue;
    }
    if (!is_space(cp) && !layout_font_has(font, cp)) {
      char msg[256];
      const char *base = strrchr(font->path, '/');
      snprintf(msg, sizeof msg, "в шрифте %s нет символа U+%04X «%.*s»: напечатан «?»",
               base ? base + 1 : font->path, (unsigned)cp, cp == 0xFFFD ? 0 : (int)k, text + i);
      if (!display_problem(ctx->display, msg)) ctx->out_of_memory = true;
      out[o++] = '?';
    } else {
      memcpy(out + o, text + i, k);
      o += k;
    }
    i += k;
  }
  *len = o;
  return out;
}

static void add_pending(Breaker *b, FaceId face, const char *text, size_t len, double width) {
  if (b->npending == b->pending_cap) {
    size_t cap = b->pending_cap ? b->pending_cap * 2 : 32;
    PendingFrag *grown = arena_grow(b->ctx->arena, b->pending, b->npending, cap, sizeof *grown);
    if (!grown) {
      b->failed = true;
      return;
    }
    b->pending = grown;
    b->pending_cap = cap;
  }
  b->pending[b->npending++] =
      (PendingFrag){.frag = {.face = face, .x = b->x, .text = text, .len = len},
                    .width = width,
                    .spaces = b->spaces};
  b->x += width;
}

static double line_start(const Breaker *b) {
  return b->text_left + (b->first_line && !b->p->label ? b->p->indent : 0);
}

static double line_room(const Breaker *b) {
  return b->width - line_start(b);
}

/* Closes the current line: aligns its fragments and stores it. */
static void finish_line(Breaker *b, bool last) {
  if (b->failed) return;
  double start = line_start(b), room = b->width - start, shift = 0, stretch = 0;
  double slack = room - b->x;
  switch (b->p->align) {
    case ALIGN_CENTER:
      shift = slack / 2;
      break;
    case ALIGN_RIGHT:
      shift = slack;
      break;
    case ALIGN_JUSTIFY:
      /* Spread (or, for lines the paragraph breaker chose, close up) the spaces. */
      if (!last && b->spaces > 0) stretch = slack / b->spaces;
      break;
    case ALIGN_LEFT:
      break;
  }
  if (shift < 0) shift = 0;
  size_t extra = (b->first_line && b->p->label) ? 1 : 0;
  Frag *frags = arena_alloc(b->ctx->arena, (b->npending + extra) * sizeof *frags);
  if (!frags) {
    b->failed = true;
    return;
  }
  if (extra) {
    frags[0] = (Frag){
        .face = b->p->label_face, .x = b->p->left, .text = b->p->label, .len = strlen(b->p->label)};
  }
  /* Neighbours in the same face one space apart (or touching) become one fragment: fewer
   * text operators, and a real space between the words for text extraction. Pieces that
   * lie so in the source are joined without copying. */
  size_t n = extra;
  double end = 0;
  for (size_t i = 0; i < b->npending; i++) {
    Frag f = b->pending[i].frag;
    f.x += start + shift + stretch * b->pending[i].spaces;
    Frag *prev = n > extra ? &frags[n - 1] : NULL;
    if (prev && prev->face == f.face) {
      double gap = f.x - end, sp = advance(b->ctx, f.face, ' ') * b->scale[f.face];
      bool touching = gap > -0.01 && gap<0.01, spaced = gap> sp - 0.01 && gap < sp + 0.01;
      if (touching || spaced) {
        size_t sep = spaced ? 1 : 0;
        if (f.text == prev->text + prev->len + sep && (!sep || prev->text[prev->len] == ' ')) {
          prev->len += sep + f.len;
        } else {
          char *joined = arena_alloc(b->ctx->arena, prev->len + sep + f.len + 1);
          if (!joined) {
            b->failed = true;
            return;
          }
          memcpy(joined, prev->text, prev->len);
          if (sep) joined[prev->len] = ' ';
          memcpy(joined + prev->len + sep, f.text, f.len);
          prev->text = joined;
          prev->len += sep + f.len;
        }
        end = f.x + b->pending[i].width;
        continue;
      }
    }
    frags[n++] = f;
    end = f.x + b->pending[i].width;
  }
  if (b->nlines == b->lines_cap) {
    size_t cap = b->lines_cap ? b->lines_cap * 2 : 8;
    Line *grown = arena_grow(b->ctx->arena, b->lines, b->nlines, cap, sizeof *grown);
    if (!grown) {
      b->failed = true;
      return;
    }
    b->lines = grown;
    b->lines_cap = cap;
  }
  b->lines[b->nlines++] = (Line){.height = b->line_height,
                                 .baseline = b->baseline,
                                 .size = b->p->size,
                                 .frags = frags,
                                 .nfrags = n};
  b->npending = 0;
  b->x = 0;
  b->spaces = 0;
  b->first_line = false;
}

static void add_word_whole(Breaker *b, const Word *w) {
  if (b->npending > 0) {
    b->x += w->space;
    b->spaces++;
  }
  for (size_t i = 0; i < w->natoms; i++) {
    add_pending(b, w->atoms[i].face, w->atoms[i].text, w->atoms[i].len, w->atoms[i].width);
  }
}

/* Per-character view of a word, for choosing where to cut it. */
typedef struct {
  uint32_t cp;
  size_t atom, offset, len; /* where the character lies */
  double width;
} WordChar;

enum { MAX_SPLIT_CHARS = 512 };

/* Adds the word's characters [0, cut) to the line (plus a hyphen when asked) and rewrites w
 * to hold the rest. */
static void split_word(Breaker *b, Word *w, const WordChar *chars, size_t cut, bool hyphen) {
  size_t end_atom = chars[cut].atom, end_off = chars[cut].offset;
  if (b->npending > 0) {
    b->x += w->space;
    b->spaces++;
  }
  double used = 0;
  for (size_t a = 0; a <= end_atom && a < w->natoms; a++) {
    size_t len = a == end_atom ? end_off : w->atoms[a].len;
    if (len == 0) continue;
    double width = 0;
    for (size_t c = 0; c < cut; c++) {
      if (chars[c].atom == a) width += chars[c].width;
    }
    used += width;
    add_pending(b, w->atoms[a].face, w->atoms[a].text, len, width);
  }
  if (hyphen) {
    FaceId face = w->atoms[chars[cut - 1].atom].face;
    add_pending(b, face, "-", 1, advance(b->ctx, face, '-') * b->scale[face]);
  }
  /* The rest: the cut atom's tail and the atoms after it. */
  Atom *rest = &w->atoms[end_atom];
  double head = 0;
  for (size_t c = 0; c < cut; c++) {
    if (chars[c].atom == end_atom) head += chars[c].width;
  }
  rest->text += end_off;
  rest->len -= end_off;
  rest->width -= head;
  w->atoms = rest;
  w->natoms -= end_atom;
  w->width -= used;
  w->space = 0;
}

/* Cuts the word where the longest piece fits `room`: at a hyphenation point or its own hyphen
 * when allow_anywhere is false, at any character otherwise. False when no piece fits. */
/* The word's characters, with their widths; chars[n] is a sentinel past the end. */
static size_t word_chars(Breaker *b, const Word *w, WordChar *chars) {
  size_t n = 0;
  for (size_t a = 0; a < w->natoms; a++) {
    const Atom *at = &w->atoms[a];
    for (size_t i = 0; i < at->len && n < MAX_SPLIT_CHARS;) {
      uint32_t cp;
      size_t k = utf8_decode(at->text + i, at->len - i, &cp);
      chars[n++] = (WordChar){.cp = cp,
                              .atom = a,
                              .offset = i,
                              .len = k,
                              .width = advance(b->ctx, at->face, cp) * b->scale[at->face]};
      i += k;
    }
  }
  chars[n] = (WordChar){.atom = w->natoms, .offset = 0};
  return n;
}

/* Where a word may be cut: after its own hyphen (plain_at) or at a dictionary point, where a
 * hyphen is added (hyphen_at). */
static void word_breaks(const Breaker *b, const WordChar *chars, size_t n, bool *hyphen_at,
                        bool *plain_at) {
  for (size_t i = 0; i < n; i++) hyphen_at[i] = plain_at[i] = false;
  for (size_t i = 0; i < n;) {
    if (!hyphen_ru_letter(chars[i].cp)) {
      if ((chars[i].cp == '-' || chars[i].cp == 0x2010) && i > 0 && i + 1 < n) plain_at[i] = true;
      i++;
      continue;
    }
    size_t j = i;
    uint32_t cps[MAX_SPLIT_CHARS];
    while (j < n && hyphen_ru_letter(chars[j].cp)) {
      cps[j - i] = chars[j].cp;
      j++;
    }
    bool after[MAX_SPLIT_CHARS];
    /* Centred lines are headings: typesetters do not hyphenate those. */
    if (b->p->align != ALIGN_CENTER && !b->p->no_hyphens && hyphen_ru_points(cps, j - i, after)) {
      for (size_t k = 0; k + 1 < j - i; k++) hyphen_at[i + k] = after[k];
    }
    i = j;
  }
}

static double hyphen_width(const Breaker *b, const Word *w, const WordChar *c) {
  FaceId face = w->atoms[c->atom].face;
  return advance(b->ctx, face, '-') * b->scale[face];
}

static bool try_split(Breaker *b, Word *w, double room, bool allow_anywhere) {
  WordChar chars[MAX_SPLIT_CHARS + 1];
  size_t n = word_chars(b, w, chars);
  if (n < 2) return false;
  bool hyphen_at[MAX_SPLIT_CHARS]; /* cut after i with a hyphen added */
  bool plain_at[MAX_SPLIT_CHARS];  /* cut after i as is */
  if (allow_anywhere) {
    for (size_t i = 0; i < n; i++) {
      hyphen_at[i] = false;
      plain_at[i] = i + 1 < n;
    }
  } else {
    word_breaks(b, chars, n, hyphen_at, plain_at);
  }
  double prefix = 0;
  size_t best = 0;
  bool best_hyphen = false;
  for (size_t i = 0; i + 1 < n; i++) {
    prefix += chars[i].width;
    if (!hyphen_at[i] && !plain_at[i]) continue;
    double need = prefix + (hyphen_at[i] ? hyphen_width(b, w, &chars[i]) : 0);
    if (need > room) break;
    best = i + 1;
    best_hyphen = hyphen_at[i];
  }
  if (best == 0) {
    /* Even anywhere nothing fits: one character per line beats an endless loop. */
    if (!allow_anywhere || b->npending > 0) return false;
    best = 1;
    best_hyphen = false;
  }
  split_word(b, w, chars, best, best_hyphen);
  return true;
}

static void place_word(Breaker *b, Word *w) {
  for (int guard = 0; guard < 10000 && !b->failed; guard++) {
    double space = b->npending > 0 ? w->space : 0;
    double room = line_room(b);
    if (b->x + space + w->width <= room + 0.01) {
      add_word_whole(b, w);
      return;
    }
    double left = room - b->x - space;
    if (try_split(b, w, left, false)) {
      finish_line(b, false);
      continue;
    }
    if (b->npending > 0) {
      finish_line(b, false);
      continue;
    }
    /* Alone on its line and still too wide: hyphenate failed, cut anywhere. */
    if (w->width <= room + 0.01) {
      add_word_whole(b, w);
      return;
    }
    if (!try_split(b, w, room, true)) {
      add_word_whole(b, w);
      return;
    }
    finish_line(b, false);
  }
}

/* Justified paragraphs: the breaks are chosen for the whole paragraph at once (after Knuth
 * and Plass, without shrinking): first fit leaves a line with wide gaps whenever the next word
 * happens not to fit, total fit spreads the slack over the paragraph. A break is a node: before
 * a word (at its space) or inside it (a hyphenation point or its own hyphen). */
typedef struct {
  size_t word; /* the word the break is before (cut == 0) or inside */
  size_t cut;  /* characters of the word before the break; 0 = before the word */
  double pre;  /* width of those characters */
  double hyph; /* width of the hyphen added at the break, or 0 */
} BreakNode;

enum { MAX_JUSTIFY_NODES = 20000 };
/* What a hyphen at a line's end costs, and two in a row on top of it: a line stretched to
 * about one and a half times its spaces is worth one hyphen less. */
static const double HYPHEN_COST = 1e5, DOUBLE_HYPHEN_COST = 3e5;
/* Spaces may also close up, by at most this share of their stretch (half a space): a quarter
 * of a space, which Russian text bears without words running together. */
static const double SHRINK_SHARE = 0.5;
static const double INFINITE_COST = 1e300;

/* Cost of a line of natural `width` with `glue` spaces in `room`; `last` lines are not
 * stretched. Negative when it does not fit. */
static double line_cost(double width, int glue, double room, double stretch, bool last,
                        bool hyphen) {
  double slack = room - width;
  double shrink = stretch * SHRINK_SHARE;
  if (slack < -0.01 && (last || glue == 0 || -slack > glue * shrink + 0.01)) return -1;
  double bad;
  if (slack < 0) {
    double r = -slack / (glue * shrink);
    bad = 100 * r * r * r;
  } else if (last) {
    bad = 0;
  } else if (glue == 0) {
    bad = slack > 0.01 ? 1e7 : 0; /* one word on a line cannot be spread: as bad as it gets */
  } else {
    double r = slack / (glue * stretch);
    bad = r > 460 ? 1e7 : 100 * r * r * r;
    if (bad > 1e7) bad = 1e7;
  }
  return (10 + bad) * (10 + bad) + (hyphen ? HYPHEN_COST : 0);
}

/* Breaks words[0..n) (after which the paragraph or a forced break ends) and adds the lines.
 * False, with nothing added, when no set of breaks fits (a word wider than the line). */
static bool justify_words(Breaker *b, Word *words, size_t n) {
  if (n == 0) return true;
  Arena *arena = b->ctx->arena;
  size_t cap = 2 * n + 2, count = 0;
  BreakNode *nodes = arena_alloc(arena, cap * sizeof *nodes);
  if (!nodes) return false;
  WordChar chars[MAX_SPLIT_CHARS + 1];
  bool hyphen_at[MAX_SPLIT_CHARS], plain_at[MAX_SPLIT_CHARS];
  for (size_t i = 0; i <= n; i++) {
    if (count + MAX_SPLIT_CHARS + 1 > cap) {
      size_t grown = cap * 2 + MAX_SPLIT_CHARS;
      if (grown > MAX_JUSTIFY_NODES) return false;
      nodes = arena_grow(arena, nodes, count, grown, sizeof *nodes);
      if (!nodes) return false;
      cap = grown;
    }
    nodes[count++] = (BreakNode){.word = i};
    if (i == n) break;
    size_t nc = word_chars(b, &words[i], chars);
    if (nc < 4) continue;
    word_breaks(b, chars, nc, hyphen_at, plain_at);
    double pre = 0;
    for (size_t k = 0; k + 1 < nc; k++) {
      pre += chars[k].width;
      if (!hyphen_at[k] && !plain_at[k]) continue;
      nodes[count++] =
          (BreakNode){.word = i,
                      .cut = k + 1,
                      .pre = pre,
                      .hyph = hyphen_at[k] ? hyphen_width(b, &words[i], &chars[k]) : 0};
    }
  }
  double *best = arena_alloc(arena, count * sizeof *best);
  size_t *prev = arena_alloc(arena, count * sizeof *prev);
  if (!best || !prev) return false;
  for (size_t i = 0; i < count; i++) best[i] = INFINITE_COST;
  best[0] = 0;
  double room_first = line_room(b), room_rest = b->width - b->text_left;
  double stretch = advance(b->ctx, FACE_REGULAR, ' ') * b->scale[FACE_REGULAR] * 0.5;
  for (size_t a = 0; a < count; a++) {
    if (best[a] >= INFINITE_COST) continue;
    const BreakNode *A = &nodes[a];
    double room = a == 0 ? room_first : room_rest;
    /* Content so far: complete words through `next - 1`, their width and spaces. */
    size_t next = A->word;
    double base = 0;
    int glue = 0;
    bool started = false;
    if (A->cut > 0) {
      base = words[A->word].width - A->pre;
      next = A->word + 1;
      started = true;
    }
    for (size_t bi = a + 1; bi < count; bi++) {
      const BreakNode *B = &nodes[bi];
      while (next < B->word) {
        base += (started ? words[next].space : 0) + words[next].width;
        glue += started ? 1 : 0;
        started = true;
        next++;
      }
      if (base > room + glue * stretch * SHRINK_SHARE + 0.01) break;
      double width;
      int g = glue;
      if (B->cut == 0) {
        if (!started) continue; /* an empty line */
        width = base;
      } else if (A->cut > 0 && A->word == B->word) {
        width = B->pre - A->pre + B->hyph;
      } else {
        width = base + (started ? words[B->word].space : 0) + B->pre + B->hyph;
        g += started ? 1 : 0;
      }
      bool last = bi == count - 1;
      double cost = line_cost(width, g, room, stretch, last, B->hyph > 0);
      if (cost >= 0 && A->hyph > 0 && B->hyph > 0) cost += DOUBLE_HYPHEN_COST;
      if (cost < 0) {
        if (B->cut == 0) break; /* longer lines only get longer */
        continue;
      }
      if (best[a] + cost < best[bi]) {
        best[bi] = best[a] + cost;
        prev[bi] = a;
      }
    }
  }
  if (best[count - 1] >= INFINITE_COST) return false;
  /* The chosen breaks, first to last. */
  size_t nbreaks = 0;
  for (size_t i = count - 1; i != 0; i = prev[i]) nbreaks++;
  size_t *chosen = arena_alloc(arena, (nbreaks + 1) * sizeof *chosen);
  if (!chosen) return false;
  size_t k = nbreaks;
  for (size_t i = count - 1; i != 0; i = prev[i]) chosen[--k] = i;
  /* Lay the words out along the breaks. */
  size_t c = 0;
  for (size_t i = 0; i < n && !b->failed; i++) {
    Word w = words[i];
    size_t consumed = 0;
    while (c < nbreaks && nodes[chosen[c]].word == i && nodes[chosen[c]].cut > 0) {
      const BreakNode *B = &nodes[chosen[c]];
      size_t nc = word_chars(b, &w, chars);
      size_t cut = B->cut - consumed;
      if (cut == 0 || cut >= nc) break; /* cannot happen: cuts are inside the word */
      split_word(b, &w, chars, cut, B->hyph > 0);
      finish_line(b, false);
      consumed = B->cut;
      c++;
    }
    add_word_whole(b, &w);
    if (c < nbreaks && nodes[chosen[c]].word == i + 1 && nodes[chosen[c]].cut == 0) {
      if (chosen[c] != count - 1) finish_line(b, false);
      c++;
    }
  }
  return !b->failed;
}

/* A word of the paragraph: placed now (first fit) or held for justify_words. */
static void take_word(Breaker *b, Word *w) {
  if (!b->total_fit) {
    place_word(b, w);
    return;
  }
  if (b->nheld == b->held_cap) {
    size_t cap = b->held_cap ? b->held_cap * 2 : 64;
    Word *grown = arena_grow(b->ctx->arena, b->held, b->nheld, cap, sizeof *grown);
    if (!grown) {
      b->failed = true;
      return;
    }
    b->held = grown;
    b->held_cap = cap;
  }
  b->held[b->nheld++] = *w;
}

/* Breaks the held words; first fit when no breaks fit (a word wider than the line). */
static void flush_words(Breaker *b) {
  if (b->nheld == 0 || b->failed) return;
  if (!justify_words(b, b->held, b->nheld)) {
    for (size_t i = 0; i < b->nheld && !b->failed; i++) place_word(b, &b->held[i]);
  }
  b->nheld = 0;
}

long linebreak(LayoutContext *ctx, const Para *p, double width, Line **lines) {
  Breaker b = {.ctx = ctx,
               .p = p,
               .width = width,
               .first_line = true,
               .total_fit = p->align == ALIGN_JUSTIFY};
  for (int f = 0; f < FACE_COUNT; f++) b.scale[f] = p->size / ctx->fonts[f]->upem;
  const LayoutFont *reg = ctx->fonts[FACE_REGULAR];
  b.line_height = linebreak_line_height(ctx, p);
  b.baseline = b.line_height + reg->descender * b.scale[FACE_REGULAR];
  b.text_left = p->left;
  if (p->label) {
    size_t len = strlen(p->label);
    b.text_left += linebreak_measure(ctx, p->label_face, p->size, p->label, len) +
                   advance(ctx, p->label_face, ' ') * b.scale[p->label_face];
  }
  /* Words are collected into a scratch list of atoms as runs go by. */
  Atom *atoms = NULL;
  size_t natoms = 0, atoms_cap = 0;
  Word word = {0};
  double pending_space = 0;
  bool have_text = false;
  for (size_t r = 0; r < p->nruns && !b.failed; r++) {
    FaceId face = p->runs[r].face;
    size_t len = p->runs[r].len;
    const char *text = sanitize(ctx, face, p->runs[r].text, &len);
    double scale = b.scale[face];
    size_t i = 0;
    while (i < len) {
      uint32_t cp;
      size_t k = utf8_decode(text + i, len - i, &cp);
      if (is_space(cp)) {
        if (natoms > 0) {
          word.atoms = atoms;
          word.natoms = natoms;
          take_word(&b, &word);
          natoms = 0;
          atoms = NULL;
          atoms_cap = 0;
          word = (Word){0};
        }
        pending_space = advance(ctx, face, ' ') * scale;
        /* A newline inside a paragraph is a line break (titles typed on two lines). */
        if (cp == '\n') {
          flush_words(&b);
          finish_line(&b, true);
        }
        i += k;
        continue;
      }
      /* A piece: up to the next space or the run's end. */
      size_t start = i;
      double units = 0;
      while (i < len) {
        k = utf8_decode(text + i, len - i, &cp);
        if (is_space(cp)) break;
        units += advance(ctx, face, cp);
        i += k;
      }
      if (natoms == atoms_cap) {
        atoms_cap = atoms_cap ? atoms_cap * 2 : 4;
        Atom *grown = arena_grow(ctx->arena, atoms, natoms, atoms_cap, sizeof *grown);
        if (!grown) {
          b.failed = true;
          break;
        }
        atoms = grown;
      }
      if (natoms == 0) {
        word.space = have_text ? pending_space : 0;
        word.width = 0;
      }
      atoms[natoms++] =
          (Atom){.face = face, .text = text + start, .len = i - start, .width = units * scale};
      word.width += units * scale;
      have_text = true;
    }
  }
  if (natoms > 0 && !b.failed) {
    word.atoms = atoms;
    word.natoms = natoms;
    take_word(&b, &word);
  }
  flush_words(&b);
  if (!b.failed && (b.npending > 0 || (p->label && b.nlines == 0))) finish_line(&b, true);
  if (b.failed) {
    ctx->out_of_memory = true;
    return -1;
  }
  *lines = b.lines;
  return (long)b.nlines;
}
