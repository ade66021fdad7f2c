/* linebreak: see linebreak.h. Words and lines live here, and the first-fit breaker; the
 * choice of breaks for a whole paragraph is linebreak_fit.c. */
#include "layout/linebreak.h"

#include <stdio.h>
#include <string.h>

#include "layout/hyphen_policy.h"
#include "layout/linebreak_impl.h"
#include "layout/linebreak_memo.h"
#include "layout/utf8.h"

static bool is_space(uint32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r';
}

void lb_scratch_begin(LayoutContext *ctx, Scratch *s) {
  arena_init(&s->local);
  if (ctx->scratch) {
    s->arena = ctx->scratch;
    s->mark = arena_mark(ctx->scratch);
  } else {
    s->arena = &s->local;
  }
}

void lb_scratch_end(Scratch *s) {
  if (s->arena == &s->local)
    arena_free(&s->local);
  else
    arena_release(s->arena, s->mark);
}

double linebreak_measure(LayoutContext *ctx, FaceId face, double size, const char *text,
                         size_t len) {
  double units = 0;
  for (size_t i = 0; i < len;) {
    uint32_t cp;
    i += utf8_decode(text + i, len - i, &cp);
    units += lb_advance(ctx, face, cp);
  }
  return units * size / ctx->fonts[face]->upem;
}

double linebreak_line_height(LayoutContext *ctx, const Para *p) {
  const LayoutFont *f = ctx->fonts[FACE_REGULAR];
  double spacing = p->line_spacing > 0 ? p->line_spacing : 1.0;
  return (f->ascender - f->descender + f->line_gap) * p->size / f->upem * spacing;
}

/* Invisible marks pasted from word processors: a soft hyphen (U+00AD) would print as a hyphen
 * in the middle of a word, a zero-width space (U+200B) or joiner as nothing at best. */
static bool is_invisible(uint32_t cp) {
  return cp == 0xAD || cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0xFEFF;
}

/* A copy of text where characters the face lacks are "?" (each reported once) and invisible
 * marks are left out, or text itself when there are none — the common case costs no copy. */
/* How many bytes of text come before the first character sanitize would leave out or report. */
static size_t clean_prefix(LayoutFont *font, const char *text, size_t n) {
  size_t i = 0;
  for (; i < n;) {
    uint32_t cp;
    size_t k = utf8_decode(text + i, n - i, &cp);
    if (is_invisible(cp) || (!is_space(cp) && !layout_font_has(font, cp))) break;
    i += k;
  }
  return i;
}

bool linebreak_quiet(LayoutContext *ctx, const Para *p) {
  for (size_t r = 0; r < p->nruns; r++) {
    const Run *run = &p->runs[r];
    if (clean_prefix(ctx->fonts[run->face], run->text, run->len) != run->len) return false;
  }
  return true;
}

static const char *sanitize(LayoutContext *ctx, FaceId face, const char *text, size_t *len) {
  LayoutFont *font = ctx->fonts[face];
  size_t n = *len, i = clean_prefix(font, text, n);
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
      ctx->missing++;
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

/* Non-breaking spaces (U+00A0) in text. */
static int count_nbsp(const char *text, size_t len) {
  int n = 0;
  for (size_t i = 0; i + 1 < len; i++)
    n += (unsigned char)text[i] == 0xC2 && (unsigned char)text[i + 1] == 0xA0;
  return n;
}

static void add_pending(Breaker *b, FaceId face, const char *text, size_t len, double width) {
  if (b->npending == b->pending_cap) {
    size_t cap = b->pending_cap ? b->pending_cap * 2 : 32;
    PendingFrag *grown = arena_grow(b->scratch, b->pending, b->npending, cap, sizeof *grown);
    if (!grown) {
      b->failed = true;
      return;
    }
    b->pending = grown;
    b->pending_cap = cap;
  }
  int nbsp = b->p->align == ALIGN_JUSTIFY ? count_nbsp(text, len) : 0;
  b->pending[b->npending++] =
      (PendingFrag){.frag = {.face = face, .x = b->x, .text = text, .len = len},
                    .width = width,
                    .spaces = b->spaces,
                    .nbsp = nbsp};
  b->spaces += nbsp;
  b->x += width;
}

double lb_line_start(const Breaker *b) {
  return b->text_left + (b->first_line && !b->p->label ? b->p->indent : 0);
}

double lb_line_room(const Breaker *b) {
  return b->width - lb_line_start(b);
}

bool lb_banned(const Breaker *b, size_t line) {
  if (!b->bans) return false;
  for (size_t i = 0; i < b->bans->count; i++) {
    if (b->bans->lines[i] == line) return true;
  }
  return false;
}

void lb_finish_line(Breaker *b, bool last) {
  if (b->failed) return;
  double start = lb_line_start(b), room = b->width - start, shift = 0, stretch = 0;
  double slack = room - b->x;
  switch (b->p->align) {
    case ALIGN_CENTER:
      shift = slack / 2;
      break;
    case ALIGN_RIGHT:
      shift = slack;
      break;
    case ALIGN_JUSTIFY:
      /* Spread (or, for lines the paragraph breaker chose, close up) the spaces; a line
       * holding a blank to fill in by hand stays as it is: stretched, it would read as a
       * row of gaps. */
      if (!last && b->spaces > 0 && (slack < 0 || !b->line_blank)) stretch = slack / b->spaces;
      break;
    case ALIGN_LEFT:
      break;
  }
  if (shift < 0) shift = 0;
  size_t extra = (b->first_line && b->p->label) ? 1 : 0;
  /* A stretched line spreads its non-breaking spaces too: such a fragment is drawn in pieces,
   * each ending at one («№ 146» keeps together, but its gap widens like the others). */
  size_t pieces = b->npending;
  if (stretch != 0) {
    for (size_t i = 0; i < b->npending; i++) pieces += (size_t)b->pending[i].nbsp;
  }
  Frag *frags = arena_alloc(b->ctx->arena, (pieces + extra) * sizeof *frags);
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
    if (stretch != 0 && b->pending[i].nbsp > 0) {
      /* pieces at fixed places: no joining with neighbours */
      const char *t = f.text;
      size_t len = f.len, from = 0;
      double x = f.x;
      for (size_t k = 0; k + 1 < len; k++) {
        if (!((unsigned char)t[k] == 0xC2 && (unsigned char)t[k + 1] == 0xA0)) continue;
        size_t to = k + 2;
        frags[n++] = (Frag){.face = f.face, .x = x, .text = t + from, .len = to - from};
        x += linebreak_measure(b->ctx, f.face, b->p->size, t + from, to - from) + stretch;
        from = to;
      }
      frags[n++] = (Frag){.face = f.face, .x = x, .text = t + from, .len = len - from};
      end = -1e9; /* nothing joins the next piece to these */
      continue;
    }
    Frag *prev = n > extra ? &frags[n - 1] : NULL;
    if (prev && prev->face == f.face) {
      double gap = f.x - end, sp = lb_advance(b->ctx, f.face, ' ') * b->scale[f.face];
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
    Line *grown = arena_grow(b->scratch, b->lines, b->nlines, cap, sizeof *grown);
    if (!grown) {
      b->failed = true;
      return;
    }
    b->lines = grown;
    b->lines_cap = cap;
  }
  Line *line = &b->lines[b->nlines++];
  *line = (Line){.height = b->line_height,
                 .baseline = b->baseline,
                 .size = b->p->size,
                 .frags = frags,
                 .nfrags = n};
  const Frag *tail = n > 0 ? &frags[n - 1] : NULL;
  bool hyphen = tail && tail->len > 0 && tail->text[tail->len - 1] == '-' && !last;
  b->hyphen_run = hyphen ? b->hyphen_run + 1 : 0;
  b->npending = 0;
  b->x = 0;
  b->spaces = 0;
  b->first_line = false;
  b->line_blank = false;
}

void lb_add_word_whole(Breaker *b, const Word *w) {
  if (b->npending > 0) {
    b->x += w->space;
    b->spaces++;
  }
  for (size_t i = 0; i < w->natoms; i++) {
    add_pending(b, w->atoms[i].face, w->atoms[i].text, w->atoms[i].len, w->atoms[i].width);
  }
  if (w->blank) b->line_blank = true;
}

void lb_split_word(Breaker *b, Word *w, const WordChar *chars, size_t cut, bool hyphen) {
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
    add_pending(b, face, "-", 1, lb_advance(b->ctx, face, '-') * b->scale[face]);
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

size_t lb_word_chars(Breaker *b, const Word *w, WordChar *chars) {
  size_t n = 0;
  for (size_t a = 0; a < w->natoms && n < MAX_SPLIT_CHARS; a++) {
    const Atom *at = &w->atoms[a];
    for (size_t i = 0; i < at->len && n < MAX_SPLIT_CHARS;) {
      uint32_t cp;
      size_t k = utf8_decode(at->text + i, at->len - i, &cp);
      chars[n++] = (WordChar){.cp = cp,
                              .atom = a,
                              .offset = i,
                              .len = k,
                              .width = lb_advance(b->ctx, at->face, cp) * b->scale[at->face]};
      i += k;
    }
  }
  /* The sentinel: where the characters looked at end. */
  if (n == MAX_SPLIT_CHARS) {
    const WordChar *last = &chars[n - 1];
    size_t off = last->offset + last->len;
    chars[n] = off < w->atoms[last->atom].len ? (WordChar){.atom = last->atom, .offset = off}
                                              : (WordChar){.atom = last->atom + 1, .offset = 0};
  } else {
    chars[n] = (WordChar){.atom = w->natoms, .offset = 0};
  }
  return n;
}

void lb_word_breaks(const Breaker *b, const Word *w, const WordChar *chars, size_t n,
                    bool *hyphen_at, bool *plain_at) {
  bool protected_word =
      b->p->no_hyphens || b->p->align == ALIGN_CENTER || b->p->align == ALIGN_RIGHT;
  for (size_t a = 0; a < w->natoms && !protected_word; a++) protected_word = w->atoms[a].no_hyphens;
  uint32_t cps[MAX_SPLIT_CHARS];
  for (size_t i = 0; i < n; i++) cps[i] = chars[i].cp;
  hyphen_policy_points(b->ctx->protect, b->ctx->remembered, cps, n, protected_word,
                       b->ctx->avoid_hyphens, hyphen_at, plain_at);
}

double lb_hyphen_width(const Breaker *b, const Word *w, const WordChar *c) {
  FaceId face = w->atoms[c->atom].face;
  return lb_advance(b->ctx, face, '-') * b->scale[face];
}

/* First fit: cuts the word where the longest piece fits `room` — at a break the policy
 * allows when allow_anywhere is false (and a hyphen may end this line), at any character
 * otherwise. False when no piece fits. */
static bool try_split(Breaker *b, Word *w, double room, bool allow_anywhere) {
  WordChar chars[MAX_SPLIT_CHARS + 1];
  size_t n = lb_word_chars(b, w, chars);
  if (n < 2) return false;         /* one character wider than the line: it overflows */
  bool hyphen_at[MAX_SPLIT_CHARS]; /* cut after i with a hyphen added */
  bool plain_at[MAX_SPLIT_CHARS];  /* cut after i as is */
  if (allow_anywhere) {
    for (size_t i = 0; i < n; i++) {
      hyphen_at[i] = false;
      /* anywhere, but not past the characters looked at when the word goes on */
      plain_at[i] = i + 1 < n || chars[n].atom < w->natoms;
    }
  } else {
    bool may_hyphen = b->hyphen_run < MAX_HYPHEN_RUN && !lb_banned(b, b->nlines);
    if (!may_hyphen) return false;
    lb_word_breaks(b, w, chars, n, hyphen_at, plain_at);
  }
  double prefix = 0;
  size_t best = 0;
  bool best_hyphen = false;
  for (size_t i = 0; i < n; i++) {
    prefix += chars[i].width;
    if (!hyphen_at[i] && !plain_at[i]) continue;
    double need = prefix + (hyphen_at[i] ? lb_hyphen_width(b, w, &chars[i]) : 0);
    if (need > room) break;
    best = i + 1;
    best_hyphen = hyphen_at[i];
  }
  if (best == 0) {
    /* Even anywhere nothing fits: one character per line beats overflowing. */
    if (!allow_anywhere || b->npending > 0) return false;
    best = 1;
    best_hyphen = false;
  }
  lb_split_word(b, w, chars, best, best_hyphen);
  return true;
}

/* First fit. Every turn either places the word, closes a line holding something, or puts
 * at least one character of the word on an empty line: the loop ends after at most two
 * turns a character. */
static void place_word(Breaker *b, Word *w) {
  while (!b->failed) {
    double space = b->npending > 0 ? w->space : 0;
    double room = lb_line_room(b);
    if (b->x + space + w->width <= room + 0.01) {
      lb_add_word_whole(b, w);
      return;
    }
    double left = room - b->x - space;
    if (try_split(b, w, left, false)) {
      lb_finish_line(b, false);
      continue;
    }
    if (b->npending > 0) {
      lb_finish_line(b, false);
      continue;
    }
    /* Alone on its line and still too wide: cut anywhere. */
    if (w->width <= room + 0.01 || !try_split(b, w, room, true)) {
      lb_add_word_whole(b, w);
      return;
    }
    b->ctx->cut_words++;
    lb_finish_line(b, false);
  }
}

/* The words of a paragraph up to its end or a newline, broken into lines. */
typedef struct {
  Word *words;
  size_t count, cap;
} Held;

static void hold(Breaker *b, Held *h, const Word *w) {
  if (h->count == h->cap) {
    size_t cap = h->cap ? h->cap * 2 : 16; /* a table cell's paragraph: a few words */
    Word *grown = arena_grow(b->scratch, h->words, h->count, cap, sizeof *grown);
    if (!grown) {
      b->failed = true;
      return;
    }
    h->words = grown;
    h->cap = cap;
  }
  h->words[h->count++] = *w;
}

static void flush(Breaker *b, Held *h) {
  if (h->count == 0 || b->failed) return;
  bool total_fit = b->p->align == ALIGN_JUSTIFY || b->p->align == ALIGN_LEFT;
  /* What fits one line needs no choosing (most cells of a table). */
  double natural = 0;
  for (size_t i = 0; i < h->count; i++)
    natural += (i > 0 ? h->words[i].space : 0) + h->words[i].width;
  if (b->npending == 0 && natural <= lb_line_room(b) + 0.01) total_fit = false;
  if (!total_fit || !lb_fit_words(b, h->words, h->count)) {
    for (size_t i = 0; i < h->count && !b->failed; i++) place_word(b, &h->words[i]);
  }
  h->count = 0;
}

/* Walks the paragraph's words: each goes to `each` (with its atoms in a fresh array), and a
 * newline calls `newline`. */
typedef void (*WordFn)(Breaker *b, void *data, Word *w);
typedef void (*NewlineFn)(Breaker *b, void *data);

static void each_word(Breaker *b, WordFn each, NewlineFn newline, void *data) {
  LayoutContext *ctx = b->ctx;
  const Para *p = b->p;
  Atom *atoms = NULL;
  size_t natoms = 0, atoms_cap = 0;
  Word word = {0};
  double pending_space = 0;
  bool have_text = false;
  for (size_t r = 0; r < p->nruns && !b->failed; r++) {
    FaceId face = p->runs[r].face;
    size_t len = p->runs[r].len;
    const char *text = sanitize(ctx, face, p->runs[r].text, &len);
    double scale = b->scale[face];
    size_t i = 0;
    while (i < len && !b->failed) {
      uint32_t cp;
      size_t k = utf8_decode(text + i, len - i, &cp);
      if (is_space(cp)) {
        if (natoms > 0) {
          word.atoms = atoms;
          word.natoms = natoms;
          each(b, data, &word);
          natoms = 0;
          atoms = NULL;
          atoms_cap = 0;
          word = (Word){0};
        }
        pending_space = lb_advance(ctx, face, ' ') * scale;
        /* A newline inside a paragraph is a line break (titles typed on two lines). */
        if (cp == '\n' && newline) newline(b, data);
        i += k;
        continue;
      }
      /* A piece: up to the next space or the run's end. */
      /* Its no-break spaces (each is the bytes C2 A0) and whether it holds a fill-in blank
       * (three underscores in a row) are counted on the way, not by two more scans of it. */
      size_t start = i;
      double units = 0;
      int nbsp = 0, underscores = 0;
      bool blank = false;
      while (i < len) {
        k = utf8_decode(text + i, len - i, &cp);
        if (is_space(cp)) break;
        units += lb_advance(ctx, face, cp);
        nbsp += cp == 0xA0;
        underscores = cp == '_' ? underscores + 1 : 0;
        blank = blank || underscores >= 3;
        i += k;
      }
      if (natoms == atoms_cap) {
        atoms_cap = atoms_cap ? atoms_cap * 2 : 4;
        Atom *grown = arena_grow(b->scratch, atoms, natoms, atoms_cap, sizeof *grown);
        if (!grown) {
          b->failed = true;
          break;
        }
        atoms = grown;
      }
      if (natoms == 0) {
        word.space = have_text ? pending_space : 0;
        word.width = 0;
      }
      atoms[natoms++] = (Atom){.face = face,
                               .text = text + start,
                               .len = i - start,
                               .width = units * scale,
                               .no_hyphens = p->runs[r].no_hyphens};
      word.width += units * scale;
      word.nbsp += nbsp;
      word.blank = word.blank || blank;
      have_text = true;
    }
  }
  if (natoms > 0 && !b->failed) {
    word.atoms = atoms;
    word.natoms = natoms;
    each(b, data, &word);
  }
}

static void breaker_init(Breaker *b, LayoutContext *ctx, const Para *p, double width,
                         Arena *scratch) {
  *b = (Breaker){.ctx = ctx, .p = p, .width = width, .first_line = true, .scratch = scratch};
  for (int f = 0; f < FACE_COUNT; f++) b->scale[f] = p->size / ctx->fonts[f]->upem;
  const LayoutFont *reg = ctx->fonts[FACE_REGULAR];
  b->line_height = linebreak_line_height(ctx, p);
  b->baseline = b->line_height + reg->descender * b->scale[FACE_REGULAR];
  b->text_left = p->left;
  if (p->label) {
    size_t len = strlen(p->label);
    b->text_left += linebreak_measure(ctx, p->label_face, p->size, p->label, len) +
                    lb_advance(ctx, p->label_face, ' ') * b->scale[p->label_face];
  }
}

static void hold_word(Breaker *b, void *data, Word *w) {
  hold(b, data, w);
}

static void break_at_newline(Breaker *b, void *data) {
  flush(b, data);
  lb_finish_line(b, true);
}

/* The key of breaking p at width with bans, in room (LINEBREAK_KEY_ROOM bytes) or, a long
 * paragraph's, in scratch memory begun for it (*scratched). False when it is not remembered. */
static bool make_key(LayoutContext *ctx, const Para *p, double width, const LineBans *bans,
                     unsigned char *room, Scratch *scratch, bool *scratched, LinebreakKey *key) {
  size_t size = linebreak_memo_key_size(ctx, p, bans);
  if (size == 0) return false;
  unsigned char *bytes = room;
  if (size > LINEBREAK_KEY_ROOM) {
    lb_scratch_begin(ctx, scratch);
    *scratched = true;
    bytes = arena_alloc_uncleared(scratch->arena, size);
    if (!bytes) return false;
  }
  return linebreak_memo_key(ctx, p, width, bans, bytes, size, key);
}

long linebreak_banned(LayoutContext *ctx, const Para *p, double width, const LineBans *bans,
                      Line **lines) {
  /* Words, pending fragments and the growing list of lines are scratch, dropped on return: a
   * document of a hundred thousand paragraphs keeps only its lines. Lines found remembered
   * need none (the key is on the stack unless the paragraph is long). */
  Scratch scratch;
  bool scratched = false;
  unsigned char room[LINEBREAK_KEY_ROOM];
  LinebreakKey key;
  bool remember = make_key(ctx, p, width, bans, room, &scratch, &scratched, &key);
  long found = remember ? linebreak_memo_find(ctx, &key, lines) : -2;
  if (found != -2) {
    /* the leading is not in the key (it breaks nothing): the heights as breaker_init makes
     * them, without the rest of a breaker (measuring a label, scaling each face) */
    const LayoutFont *reg = ctx->fonts[FACE_REGULAR];
    double line_height = linebreak_line_height(ctx, p);
    double baseline = line_height + reg->descender * (p->size / reg->upem);
    for (long i = 0; i < found; i++) {
      (*lines)[i].height = line_height;
      (*lines)[i].baseline = baseline;
    }
    if (scratched) lb_scratch_end(&scratch);
    if (found < 0) ctx->out_of_memory = true;
    return found;
  }
  if (!scratched) lb_scratch_begin(ctx, &scratch);
  Breaker b;
  breaker_init(&b, ctx, p, width, scratch.arena);
  b.bans = bans;
  unsigned long cut_words = ctx->cut_words, missing = ctx->missing;
  Held held = {0};
  each_word(&b, hold_word, break_at_newline, &held);
  flush(&b, &held);
  if (!b.failed && (b.npending > 0 || (p->label && b.nlines == 0))) lb_finish_line(&b, true);
  Line *kept = NULL;
  if (!b.failed && b.nlines > 0) {
    kept = arena_alloc(ctx->arena, b.nlines * sizeof *kept);
    if (kept) memcpy(kept, b.lines, b.nlines * sizeof *kept);
    b.failed = !kept;
  }
  /* not what reported a missing character: each document reports its own problems */
  if (remember && !b.failed && !ctx->out_of_memory && ctx->missing == missing)
    linebreak_memo_keep(&key, kept, (long)b.nlines, ctx->cut_words - cut_words);
  lb_scratch_end(&scratch);
  if (b.failed) {
    if (!ctx->error) ctx->out_of_memory = true;
    return -1;
  }
  *lines = kept;
  return (long)b.nlines;
}

long linebreak(LayoutContext *ctx, const Para *p, double width, Line **lines) {
  return linebreak_banned(ctx, p, width, NULL, lines);
}

/* The extent of a paragraph: the widest unbreakable piece, the longest unbroken line. */
typedef struct {
  double piece, line, widest_line;
  double first_indent; /* until the first word is measured */
} Extent;

static bool has_hyphen(const Word *w) {
  for (size_t a = 0; a < w->natoms; a++) {
    const Atom *at = &w->atoms[a];
    if (memchr(at->text, '-', at->len)) return true;
    for (size_t i = 0; i + 2 < at->len; i++) {
      if ((unsigned char)at->text[i] == 0xE2 && (unsigned char)at->text[i + 1] == 0x80 &&
          (unsigned char)at->text[i + 2] == 0x90)
        return true;
    }
  }
  return false;
}

static void measure_word(Breaker *b, void *data, Word *w) {
  Extent *e = data;
  /* Only a compound breaks inside (its own hyphens): any other word is one piece. */
  if (!has_hyphen(w)) {
    if (w->width + e->first_indent > e->piece) e->piece = w->width + e->first_indent;
    e->first_indent = 0;
    e->line += (e->line > 0 ? w->space : 0) + w->width;
    return;
  }
  WordChar chars[MAX_SPLIT_CHARS + 1];
  size_t n = lb_word_chars(b, w, chars);
  bool hyphen_at[MAX_SPLIT_CHARS], plain_at[MAX_SPLIT_CHARS];
  lb_word_breaks(b, w, chars, n, hyphen_at, plain_at);
  double piece = 0, widest = 0;
  for (size_t i = 0; i < n; i++) {
    piece += chars[i].width;
    if (plain_at[i]) {
      if (piece > widest) widest = piece;
      piece = 0;
    }
  }
  if (n == MAX_SPLIT_CHARS) piece = w->width; /* a word this long is one piece */
  if (piece > widest) widest = piece;
  if (widest + e->first_indent > e->piece) e->piece = widest + e->first_indent;
  e->first_indent = 0;
  e->line += (e->line > 0 ? w->space : 0) + w->width;
}

static void measure_newline(Breaker *b, void *data) {
  (void)b;
  Extent *e = data;
  if (e->line > e->widest_line) e->widest_line = e->line;
  e->line = 0;
}

void linebreak_extent(LayoutContext *ctx, const Para *p, double *min_width, double *max_width) {
  /* Measuring keeps nothing: its words live in scratch memory, dropped at once (a table of
   * thousands of cells is measured before any of it is laid out). */
  Scratch scratch;
  bool scratched = false;
  unsigned char room[LINEBREAK_KEY_ROOM];
  LinebreakKey key;
  bool remember = make_key(ctx, p, LINEBREAK_MEMO_EXTENT, NULL, room, &scratch, &scratched, &key);
  if (remember && linebreak_memo_find_extent(&key, min_width, max_width)) {
    if (scratched) lb_scratch_end(&scratch);
    return;
  }
  if (!scratched) lb_scratch_begin(ctx, &scratch);
  LayoutContext measuring = *ctx;
  measuring.arena = scratch.arena;
  Breaker b;
  breaker_init(&b, &measuring, p, 1e9, scratch.arena);
  Extent e = {.first_indent = p->label ? 0 : p->indent};
  each_word(&b, measure_word, measure_newline, &e);
  measure_newline(&b, &e);
  *min_width = e.piece + b.text_left;
  *max_width = e.widest_line + b.text_left + (p->label ? 0 : (p->indent > 0 ? p->indent : 0));
  if (b.failed || measuring.out_of_memory) ctx->out_of_memory = true;
  /* only what left no trace (as linebreak_banned): each document reports its own problems */
  else if (remember && measuring.cut_words == ctx->cut_words && measuring.missing == ctx->missing)
    linebreak_memo_keep_extent(&key, *min_width, *max_width);
  lb_scratch_end(&scratch);
}
