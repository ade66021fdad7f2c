/* linebreak_fit: the breaks of a whole paragraph chosen at once (after Knuth and Plass).
 *
 * First fit leaves a line of wide gaps, or an avoidable hyphen, whenever the next word
 * happens not to fit; total fit weighs every set of breaks and takes the cheapest. A break is
 * a node: before a word (at its space) or inside it (where hyphen_policy allows). The state
 * of the search is a node and how many hyphenated lines end in a row there, so a third in a
 * row is never chosen. Lines a caller bans from ending in a hyphen (the last line of a page)
 * are honoured by taking the hyphen node that ended one out of the search and searching
 * again. */
#include <stdint.h>
#include <string.h>

#include "layout/linebreak_impl.h"
#include "memory.h"

typedef struct {
  size_t word;     /* the word the break is before (cut == 0) or inside */
  size_t cut;      /* characters of the word before the break; 0 = before the word */
  double pre;      /* width of those characters */
  double hyph;     /* width of the hyphen added at the break, or 0 */
  bool hyphen_end; /* a line ending here ends with a hyphen (added, or the word's own) */
  bool banned;     /* may not end a line */
} BreakNode;

enum { MAX_FIT_NODES = 20000, MAX_BAN_ROUNDS = 64, STATES = MAX_HYPHEN_RUN + 1 };

/* Justified lines: what a hyphen at a line's end costs, and two in a row on top of it — a line
 * stretched to about one and a half times its spaces is worth one hyphen less; a break at the
 * word's own hyphen costs half. Spaces may also close up, by at most this share of their
 * stretch (half a space): a quarter of a space, which Russian text bears without words
 * running together. */
static const double HYPHEN_COST = 1e5, DOUBLE_HYPHEN_COST = 3e5;
static const double SHRINK_SHARE = 0.5;
/* Ragged lines: every line costs RAGGED_LINE (a table row grows with each), the empty share r
 * of a line RAGGED_EMPTY * r², a hyphen about what a line half empty costs — more in a narrow
 * column, where a reader meets one every few lines — and two in a row more again. */
static const double RAGGED_LINE = 1000, RAGGED_EMPTY = 2000, RAGGED_HYPHEN = 500,
                    RAGGED_DOUBLE_HYPHEN = 1000;
static const double NARROW_EM = 25; /* a column narrower than this many ems is narrow */
static const double INFINITE_COST = 1e300;

typedef struct {
  bool ragged;
  double stretch; /* justified: how far a space may stretch before it is bad */
  double hyphen, double_hyphen;
} Weights;

/* Cost of a line of natural `width` with `glue` spaces in `room`; `last` lines are not
 * stretched, nor lines holding a blank. Negative when it does not fit. */
static double line_cost(const Weights *wt, double width, int glue, double room, bool last,
                        bool blank) {
  double slack = room - width;
  if (wt->ragged) {
    if (slack < -0.01) return -1;
    if (last) return RAGGED_LINE;
    double r = slack / room;
    return RAGGED_LINE + RAGGED_EMPTY * r * r;
  }
  double shrink = wt->stretch * SHRINK_SHARE;
  if (slack < -0.01 && (last || glue == 0 || -slack > glue * shrink + 0.01)) return -1;
  double bad;
  if (slack < 0) {
    double r = -slack / (glue * shrink);
    bad = 100 * r * r * r;
  } else if (last) {
    bad = 0;
  } else if (blank) {
    double r = slack / room; /* set ragged: only an empty half is bad */
    bad = 100 * r * r;
  } else if (glue == 0) {
    bad = slack > 0.01 ? 1e7 : 0; /* one word on a line cannot be spread: as bad as it gets */
  } else {
    double r = slack / (glue * wt->stretch);
    bad = r > 460 ? 1e7 : 100 * r * r * r;
    if (bad > 1e7) bad = 1e7;
  }
  return (10 + bad) * (10 + bad);
}

static bool add_node(Arena *arena, BreakNode **nodes, size_t *count, size_t *cap, BreakNode n) {
  if (*count == *cap) {
    size_t grown = *cap ? *cap * 2 : 64;
    if (grown > MAX_FIT_NODES) grown = MAX_FIT_NODES;
    if (*count >= grown) return false;
    BreakNode *g = arena_grow(arena, *nodes, *count, grown, sizeof *g);
    if (!g) return false;
    *nodes = g;
    *cap = grown;
  }
  (*nodes)[(*count)++] = n;
  return true;
}

/* The lines that start at a break node A, walked node by node (line_to): what they hold so far
 * — the complete words through `next - 1`, their width and spaces — and the widest that may
 * be (made again only when the content grows). bound_of and search walk them alike. */
typedef struct {
  const BreakNode *from;
  size_t next;
  double base, room, shrink, limit;
  int glue;
  bool started, blank;
} LineWalk;

enum { LINE_SKIP = -1, LINE_STOP = -2 }; /* line_to: none ends here; none ends here or later */

static void line_walk(LineWalk *l, const Word *words, const BreakNode *A, double room,
                      double shrink) {
  *l = (LineWalk){.from = A, .next = A->word, .room = room, .shrink = shrink};
  if (A->cut > 0) {
    l->base = words[A->word].width - A->pre;
    l->next = A->word + 1;
    l->started = true;
  }
  l->limit = room + 0.01;
}

/* The cost of the line from the walk's node to B (line_cost's, before hyphens), the content
 * grown to B first; or LINE_SKIP when no line ends at B (a banned break, an empty line, one too
 * long to a cut), LINE_STOP when none ends at B or later (too long). `last`: B is the end. */
static double line_to(LineWalk *l, const Word *words, const BreakNode *B, const Weights *wt,
                      bool last) {
  if (l->next < B->word) {
    do {
      l->base += (l->started ? words[l->next].space : 0) + words[l->next].width;
      l->glue += (l->started ? 1 : 0) + words[l->next].nbsp; /* non-breaking spaces stretch too */
      l->blank = l->blank || words[l->next].blank;
      l->started = true;
      l->next++;
    } while (l->next < B->word);
    l->limit = l->room + l->glue * l->shrink + 0.01;
  }
  if (l->base > l->limit) return LINE_STOP;
  if (B->banned) return LINE_SKIP;
  const BreakNode *A = l->from;
  double width;
  int g = l->glue;
  if (B->cut == 0) {
    if (!l->started) return LINE_SKIP; /* an empty line */
    width = l->base;
  } else if (A->cut > 0 && A->word == B->word) {
    width = B->pre - A->pre + B->hyph;
  } else {
    width = l->base + (l->started ? words[B->word].space : 0) + B->pre + B->hyph;
    g += l->started ? 1 : 0;
  }
  double cost = line_cost(wt, width, g, l->room, last, l->blank);
  if (cost < 0) return B->cut == 0 ? LINE_STOP : LINE_SKIP; /* longer lines only get longer */
  return cost;
}

/* The cost of one set of breaks, or INFINITE_COST when it finds none: from each break, the
 * cheapest line that fits (the end when it can be reached), summed as search sums. No cheaper
 * set than the best exists, and none through a break already dearer than it: search leaves
 * such a break unexplored (most breaks are reached only by loose lines), which changes nothing
 * it finds (a state at or under the bound is reached, and from the same state, as without it). */
static double bound_of(Breaker *b, const Word *words, const BreakNode *nodes, size_t count,
                       const Weights *wt) {
  double room_first = lb_line_room(b), room_rest = b->width - b->text_left;
  double shrink = wt->ragged ? 0 : wt->stretch * SHRINK_SHARE;
  double total = 0;
  size_t a = 0, run = 0;
  while (a + 1 < count) {
    LineWalk line;
    line_walk(&line, words, &nodes[a], a == 0 ? room_first : room_rest, shrink);
    size_t pick = SIZE_MAX;
    double pick_cost = INFINITE_COST;
    for (size_t bi = a + 1; bi < count; bi++) {
      const BreakNode *B = &nodes[bi];
      bool last = bi == count - 1;
      double cost = line_to(&line, words, B, wt, last);
      if (cost == LINE_STOP) break;
      if (cost == LINE_SKIP) continue;
      if (B->hyphen_end) {
        if (run + 1 >= STATES) continue; /* a third hyphen in a row */
        cost += (B->hyph > 0 ? wt->hyphen : wt->hyphen / 2) + (run > 0 ? wt->double_hyphen : 0);
      }
      if (last || cost < pick_cost) {
        pick = bi;
        pick_cost = cost;
        if (last) break;
      }
    }
    if (pick == SIZE_MAX) return INFINITE_COST;
    total += pick_cost;
    run = nodes[pick].hyphen_end ? run + 1 : 0;
    a = pick;
  }
  /* (a margin for sums made in another order) */
  return total * (1 + 1e-9) + 1e-6;
}

/* The search: best[node * STATES + run] is the least cost of breaks up to the node with
 * `run` hyphenated lines ending there in a row; from[] the state it came from. Returns the
 * best final state, or SIZE_MAX when no set of breaks fits. States dearer than `bound` (at
 * least the cost of some set of breaks: bound_of) lead nowhere: they are not explored. */
static size_t search(Breaker *b, const Word *words, const BreakNode *nodes, size_t count,
                     const Weights *wt, double bound, double *best, size_t *from) {
  for (size_t i = 0; i < count * STATES; i++) best[i] = INFINITE_COST;
  best[0] = 0;
  double room_first = lb_line_room(b), room_rest = b->width - b->text_left;
  double shrink = wt->ragged ? 0 : wt->stretch * SHRINK_SHARE;
  for (size_t a = 0; a < count; a++) {
    /* The node's states reached, their costs final (only nodes before it lead to it): taken
     * once, not looked up again for every line that starts here. */
    size_t live[STATES];
    double here[STATES];
    size_t nlive = 0;
    for (size_t r = 0; r < STATES; r++) {
      if (best[a * STATES + r] >= INFINITE_COST || best[a * STATES + r] > bound) continue;
      live[nlive] = r;
      here[nlive++] = best[a * STATES + r];
    }
    if (nlive == 0) continue;
    LineWalk line;
    line_walk(&line, words, &nodes[a], a == 0 ? room_first : room_rest, shrink);
    for (size_t bi = a + 1; bi < count; bi++) {
      const BreakNode *B = &nodes[bi];
      double cost = line_to(&line, words, B, wt, bi == count - 1);
      if (cost == LINE_STOP) break;
      if (cost == LINE_SKIP) continue;
      if (B->hyphen_end) cost += B->hyph > 0 ? wt->hyphen : wt->hyphen / 2;
      if (nlive == 1 && !B->hyphen_end) { /* most lines: one way to the node, no hyphen */
        double total = here[0] + cost;
        if (total < best[bi * STATES]) {
          best[bi * STATES] = total;
          from[bi * STATES] = a * STATES + live[0];
        }
        continue;
      }
      for (size_t k = 0; k < nlive; k++) {
        size_t ra = live[k];
        size_t rb = B->hyphen_end ? ra + 1 : 0;
        if (rb >= STATES) continue; /* a third hyphen in a row */
        double total = here[k] + cost + (B->hyphen_end && ra > 0 ? wt->double_hyphen : 0);
        if (total < best[bi * STATES + rb]) {
          best[bi * STATES + rb] = total;
          from[bi * STATES + rb] = a * STATES + ra;
        }
      }
    }
  }
  size_t end = SIZE_MAX;
  for (size_t r = 0; r < STATES; r++) {
    size_t s = (count - 1) * STATES + r;
    if (best[s] < INFINITE_COST && (end == SIZE_MAX || best[s] < best[end])) end = s;
  }
  return end;
}

/* Lays the words out along the chosen breaks (the last is the paragraph's end). */
static bool lay_out(Breaker *b, Word *words, size_t n, const BreakNode *breaks, size_t nbreaks) {
  WordChar chars[MAX_SPLIT_CHARS + 1];
  size_t c = 0;
  for (size_t i = 0; i < n && !b->failed; i++) {
    Word w = words[i];
    size_t consumed = 0;
    while (c < nbreaks && breaks[c].word == i && breaks[c].cut > 0) {
      const BreakNode *B = &breaks[c];
      size_t nc = lb_word_chars(b, &w, chars);
      size_t cut = B->cut - consumed;
      if (cut == 0 || cut >= nc) break; /* cannot happen: cuts are inside the word */
      lb_split_word(b, &w, chars, cut, B->hyph > 0);
      lb_finish_line(b, false);
      consumed = B->cut;
      c++;
    }
    lb_add_word_whole(b, &w);
    if (c < nbreaks && breaks[c].word == i + 1 && breaks[c].cut == 0) {
      if (c + 1 != nbreaks) lb_finish_line(b, false);
      c++;
    }
  }
  return !b->failed;
}

/* Chooses the breaks (in scratch memory: nodes and costs) and returns a copy of the chosen
 * ones in *breaks (malloc'd: the lines are made after the scratch is dropped). */
static bool choose(Breaker *b, Word *words, size_t n, Arena *arena, BreakNode **breaks,
                   size_t *nbreaks);

bool lb_fit_words(Breaker *b, Word *words, size_t n) {
  if (n == 0) return true;
  Scratch scratch;
  lb_scratch_begin(b->ctx, &scratch);
  BreakNode *breaks = NULL;
  size_t nbreaks = 0;
  bool ok = choose(b, words, n, scratch.arena, &breaks, &nbreaks);
  lb_scratch_end(&scratch);
  if (ok) ok = lay_out(b, words, n, breaks, nbreaks);
  memory_free(breaks);
  return ok;
}

/* The breaks inside words the process has weighed, by the word (a piece of one run, of one
 * face), its size and what decides its hyphenation points (the paragraph's or run's "never
 * hyphenate", added hyphens avoided, the list of protected stems): the words of a paragraph
 * broken afresh are mostly words broken before (a consent's text but for its names), and
 * their characters measured and their points looked up were a third of choosing its breaks.
 * A word's slot is picked by its hash; a new word takes the slot over. */
enum { WORD_SLOTS = 4096, WORD_TEXT = 40, WORD_BREAKS = 10 };

typedef struct {
  unsigned generation; /* hyphen_policy_adopt's answer; 0: a free slot */
  uint8_t len, face, flags, nbreaks;
  bool few;     /* under four characters: no break inside is weighed */
  double scale; /* the face's points per font unit */
  uint8_t cut[WORD_BREAKS];
  double pre[WORD_BREAKS], hyph[WORD_BREAKS];
  char text[WORD_TEXT];
} WordBreaks;

static WordBreaks *word_memo;

/* The slot of word w (one atom, short enough) under breaker b's settings, with its key set in
 * *key; NULL when the word is not remembered. */
static WordBreaks *word_slot(const Breaker *b, const Word *w, WordBreaks *key) {
  if (w->natoms != 1 || w->atoms[0].len > WORD_TEXT || !b->ctx->remembered) return NULL;
  if (!word_memo) word_memo = memory_calloc(WORD_SLOTS, sizeof *word_memo);
  if (!word_memo) return NULL;
  const Atom *at = &w->atoms[0];
  /* (lb_word_breaks's protected word) */
  bool protected_word = b->p->no_hyphens || b->p->align == ALIGN_CENTER ||
                        b->p->align == ALIGN_RIGHT || at->no_hyphens;
  key->generation = b->ctx->remembered;
  key->len = (uint8_t)at->len;
  key->face = (uint8_t)at->face;
  key->flags = (uint8_t)(protected_word | (b->ctx->avoid_hyphens << 1));
  key->scale = b->scale[at->face];
  uint32_t h = 2166136261u ^ key->flags ^ (key->face << 2);
  for (size_t i = 0; i < at->len; i++) h = (h ^ (unsigned char)at->text[i]) * 16777619u;
  return &word_memo[h % WORD_SLOTS];
}

static bool same_word(const WordBreaks *slot, const WordBreaks *key, const char *text) {
  return slot->generation == key->generation && slot->len == key->len && slot->face == key->face &&
         slot->flags == key->flags && slot->scale == key->scale &&
         memcmp(slot->text, text, key->len) == 0;
}

static bool choose(Breaker *b, Word *words, size_t n, Arena *arena, BreakNode **breaks,
                   size_t *nbreaks_out) {
  size_t cap = 0, count = 0;
  BreakNode *nodes = NULL;
  WordChar chars[MAX_SPLIT_CHARS + 1];
  bool hyphen_at[MAX_SPLIT_CHARS], plain_at[MAX_SPLIT_CHARS];
  for (size_t i = 0; i <= n; i++) {
    if (!add_node(arena, &nodes, &count, &cap, (BreakNode){.word = i})) return false;
    if (i == n) break;
    WordBreaks key;
    WordBreaks *slot = word_slot(b, &words[i], &key);
    if (slot && same_word(slot, &key, words[i].atoms[0].text)) {
      for (size_t k = 0; k < slot->nbreaks; k++) {
        BreakNode node = {.word = i,
                          .cut = slot->cut[k],
                          .pre = slot->pre[k],
                          .hyph = slot->hyph[k],
                          .hyphen_end = true};
        if (!add_node(arena, &nodes, &count, &cap, node)) return false;
      }
      continue;
    }
    size_t first = count;
    size_t nc = lb_word_chars(b, &words[i], chars);
    if (nc >= 4) {
      lb_word_breaks(b, &words[i], chars, nc, hyphen_at, plain_at);
      double pre = 0;
      for (size_t k = 0; k + 1 < nc; k++) {
        pre += chars[k].width;
        if (!hyphen_at[k] && !plain_at[k]) continue;
        BreakNode node = {.word = i,
                          .cut = k + 1,
                          .pre = pre,
                          .hyph = hyphen_at[k] ? lb_hyphen_width(b, &words[i], &chars[k]) : 0,
                          .hyphen_end = true};
        if (!add_node(arena, &nodes, &count, &cap, node)) return false;
      }
    }
    if (slot && count - first <= WORD_BREAKS) {
      slot->generation = key.generation;
      slot->len = key.len;
      slot->face = key.face;
      slot->flags = key.flags;
      slot->scale = key.scale;
      slot->nbreaks = (uint8_t)(count - first);
      for (size_t k = 0; k < slot->nbreaks; k++) {
        slot->cut[k] = (uint8_t)nodes[first + k].cut;
        slot->pre[k] = nodes[first + k].pre;
        slot->hyph[k] = nodes[first + k].hyph;
      }
      memcpy(slot->text, words[i].atoms[0].text, key.len);
    }
  }
  Weights wt = {.ragged = b->p->align != ALIGN_JUSTIFY,
                .stretch = lb_advance(b->ctx, FACE_REGULAR, ' ') * b->scale[FACE_REGULAR] * 0.5};
  if (wt.ragged) {
    double room_em = (b->width - b->text_left) / (b->p->size > 0 ? b->p->size : 12);
    double narrow = room_em < NARROW_EM ? 1 + (NARROW_EM - room_em) / NARROW_EM : 1;
    wt.hyphen = RAGGED_HYPHEN * narrow;
    wt.double_hyphen = RAGGED_DOUBLE_HYPHEN * narrow;
  } else {
    wt.hyphen = HYPHEN_COST;
    wt.double_hyphen = DOUBLE_HYPHEN_COST;
  }
  double *best = arena_alloc(arena, count * STATES * sizeof *best);
  size_t *from = arena_alloc(arena, count * STATES * sizeof *from);
  size_t *chosen = arena_alloc(arena, (count + 1) * sizeof *chosen);
  if (!best || !from || !chosen) return false;
  size_t nbreaks = 0;
  for (int round = 0;; round++) {
    size_t end =
        search(b, words, nodes, count, &wt, bound_of(b, words, nodes, count, &wt), best, from);
    if (end == SIZE_MAX) return false;
    /* The chosen breaks, first to last. */
    nbreaks = 0;
    for (size_t s = end; s / STATES != 0; s = from[s]) nbreaks++;
    size_t k = nbreaks;
    for (size_t s = end; s / STATES != 0; s = from[s]) chosen[--k] = s / STATES;
    /* A banned line ending in a hyphen: that break goes, and the search runs again. */
    bool again = false;
    for (size_t i = 0; i + 1 < nbreaks; i++) {
      BreakNode *node = &nodes[chosen[i]];
      if (node->hyphen_end && lb_banned(b, b->nlines + i)) {
        node->banned = true;
        again = true;
      }
    }
    if (!again || round + 1 >= MAX_BAN_ROUNDS) break;
  }
  *breaks = memory_alloc((nbreaks + 1) * sizeof **breaks);
  if (!*breaks) return false;
  for (size_t i = 0; i < nbreaks; i++) (*breaks)[i] = nodes[chosen[i]];
  *nbreaks_out = nbreaks;
  return true;
}
