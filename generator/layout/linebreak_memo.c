/* linebreak_memo: see linebreak_memo.h. */
#include "layout/linebreak_memo.h"

#include <string.h>

#include "memory.h"

enum { BUCKETS = 4096 };

/* One paragraph's lines: the Line and Frag arrays as the breaker made them (and a zeroed Frag
 * after them), the line's frags and each fragment's text given as offsets (into the frag
 * array, into the text), then the fragments' text and a NUL, then the key. */
typedef struct Entry {
  struct Entry *next;
  uint64_t hash;
  unsigned generation; /* the protected stems' list it was broken under (hyphen_policy_adopt) */
  size_t key_len, nfrags, text_len;
  long nlines;
  unsigned long cuts;          /* words the breaking cut by characters (ctx->cut_words) */
  double min_width, max_width; /* an extent's (LINEBREAK_MEMO_EXTENT) */
} Entry;

/* (entries of several lists of stems live side by side: a consent's signature table is fitted
 * under one list and the consent under its organisation's, one after the other) */
static struct {
  Entry **buckets;
  size_t bytes;
} memo;

/* Entry data starts at this offset: aligned for the Line and Frag arrays. */
static size_t header_size(void) {
  return (sizeof(Entry) + 15) & ~(size_t)15;
}

static void forget_all(void) {
  if (!memo.buckets) return;
  for (size_t i = 0; i < BUCKETS; i++) {
    for (Entry *e = memo.buckets[i], *next; e; e = next) {
      next = e->next;
      memory_free(e);
    }
    memo.buckets[i] = NULL;
  }
  memo.bytes = 0;
}

static unsigned char *put(unsigned char *at, const void *value, size_t size) {
  memcpy(at, value, size);
  return at + size;
}

/* The sets of faces keys were made with, numbered as first met: a key names its faces by that
 * number (a byte) rather than by their four addresses (32 bytes of every key hashed and
 * compared). Faces are loaded once and kept by the process (layout_font_cached). */
enum { FACE_SETS = 64 };
static LayoutFont *face_sets[FACE_SETS][FACE_COUNT];
static size_t nface_sets;

/* The number of ctx's faces, -1 past FACE_SETS sets (then nothing is remembered). */
static int face_set(const LayoutContext *ctx) {
  for (size_t i = 0; i < nface_sets; i++)
    if (memcmp(face_sets[i], ctx->fonts, sizeof ctx->fonts) == 0) return (int)i;
  if (nface_sets == FACE_SETS) return -1;
  memcpy(face_sets[nface_sets], ctx->fonts, sizeof ctx->fonts);
  return (int)nface_sets++;
}

/* The fixed part of a key: the numbers, then one byte each for the alignment, the label's
 * face, the flags and the faces' set, then the label's, the bans' and the runs' counts. */
enum { KEY_HEAD = 4 * sizeof(double) + 4 + 3 * sizeof(uint32_t), KEY_RUN = 2 * sizeof(uint32_t) };
_Static_assert(KEY_HEAD >= 16, "a key is hashed by 16-byte steps");

size_t linebreak_memo_key_size(const LayoutContext *ctx, const Para *p, const LineBans *bans) {
  if (!ctx->remembered) return 0; /* the stems hyphenation obeys are not known by name */
  size_t label_len = p->label ? strlen(p->label) : 0;
  size_t nbans = bans ? bans->count : 0;
  if (label_len > UINT32_MAX || nbans > UINT32_MAX || p->nruns > UINT32_MAX) return 0;
  size_t size = KEY_HEAD + label_len + nbans * sizeof *bans->lines + p->nruns * KEY_RUN;
  for (size_t r = 0; r < p->nruns; r++) {
    if (p->runs[r].len > UINT32_MAX) return 0;
    size += p->runs[r].len;
  }
  return size;
}

bool linebreak_memo_key(const LayoutContext *ctx, const Para *p, double width, const LineBans *bans,
                        unsigned char *bytes, size_t size, LinebreakKey *key) {
  int faces = face_set(ctx);
  if (faces < 0) return false;
  uint32_t label_len = p->label ? (uint32_t)strlen(p->label) : 0;
  uint32_t nbans = bans ? (uint32_t)bans->count : 0, nruns = (uint32_t)p->nruns;
  unsigned char *at = bytes;
  /* field by field: no padding, whose bytes are not set, goes into the key */
  at = put(at, &width, sizeof width);
  at = put(at, &p->size, sizeof p->size);
  at = put(at, &p->indent, sizeof p->indent);
  at = put(at, &p->left, sizeof p->left);
  unsigned char flags[4] = {
      (unsigned char)p->align, (unsigned char)p->label_face,
      (unsigned char)(p->no_hyphens | ctx->avoid_hyphens << 1 | (p->label != NULL) << 2),
      (unsigned char)faces};
  at = put(at, flags, sizeof flags);
  at = put(at, &label_len, sizeof label_len);
  at = put(at, &nbans, sizeof nbans);
  at = put(at, &nruns, sizeof nruns);
  if (label_len) at = put(at, p->label, label_len);
  if (nbans) at = put(at, bans->lines, nbans * sizeof *bans->lines);
  for (size_t r = 0; r < p->nruns; r++) {
    const Run *run = &p->runs[r];
    uint32_t run_head[2] = {(uint32_t)run->len,
                            (uint32_t)run->face | (uint32_t)run->no_hyphens << 8};
    at = put(at, run_head, sizeof run_head);
    if (run->len) at = put(at, run->text, run->len);
  }
  key->generation = ctx->remembered;
  key->len = size;
  key->bytes = bytes;
  /* Sixteen bytes a step, mixed once at the end (eight bytes a step, mixed each time, was
   * two thirds of making a key; a byte at a time a tenth of finding the lines), the last
   * sixteen too. Only the buckets depend on it: keys are compared whole. */
  uint64_t h = 14695981039346656037u;
  size_t i = 0;
  for (; i + 16 <= key->len; i += 16) {
    uint64_t w[2];
    memcpy(w, bytes + i, 16);
    h = (h ^ w[0]) * 1099511628211u;
    h = (h ^ w[1]) * 1099511628211u;
  }
  if (i < key->len) { /* the last sixteen bytes, some hashed twice (a key has KEY_HEAD) */
    uint64_t w[2];
    memcpy(w, bytes + key->len - 16, 16);
    h = (h ^ w[0]) * 1099511628211u;
    h = (h ^ w[1]) * 1099511628211u;
  }
  h ^= h >> 33; /* the high bits, which every byte reaches, into the low ones (the bucket) */
  h *= 0xFF51AFD7ED558CCDu;
  h ^= h >> 29;
  key->hash = h;
  return at == bytes + size;
}

static Line *entry_lines(Entry *e) {
  return (Line *)((unsigned char *)e + header_size());
}

/* What a hit copies out, in one piece: the lines, the frags with a zeroed one after them, the
 * fragments' text and a NUL (three pieces, each allocated and copied apart, were a third of a
 * hit). */
static size_t copied_size(const Entry *e) {
  return (size_t)e->nlines * sizeof(Line) + (e->nfrags + 1) * sizeof(Frag) + e->text_len + 1;
}

static Frag *entry_frags(Entry *e) {
  return (Frag *)(entry_lines(e) + e->nlines);
}

static char *entry_text(Entry *e) {
  return (char *)(entry_frags(e) + e->nfrags + 1);
}

static unsigned char *entry_key(Entry *e) {
  return (unsigned char *)entry_text(e) + e->text_len + 1;
}

static Entry *lookup(const LinebreakKey *key) {
  if (!memo.buckets) return NULL;
  for (Entry *e = memo.buckets[key->hash % BUCKETS]; e; e = e->next) {
    if (e->hash == key->hash && e->generation == key->generation && e->key_len == key->len &&
        memcmp(entry_key(e), key->bytes, key->len) == 0)
      return e;
  }
  return NULL;
}

long linebreak_memo_find(LayoutContext *ctx, const LinebreakKey *key, Line **lines) {
  Entry *e = lookup(key);
  if (!e) return -2;
  ctx->cut_words += e->cuts;
  *lines = NULL;
  if (e->nlines == 0) return 0;
  /* a copy, written whole below */
  Line *out = arena_alloc_uncleared(ctx->arena, copied_size(e));
  if (!out) return -1;
  memcpy(out, entry_lines(e), copied_size(e));
  Frag *frags = (Frag *)(out + e->nlines);
  char *text = (char *)(frags + e->nfrags + 1);
  for (long i = 0; i < e->nlines; i++) out[i].frags = frags + (uintptr_t)out[i].frags;
  for (size_t i = 0; i < e->nfrags; i++) frags[i].text = text + (uintptr_t)frags[i].text;
  *lines = out;
  return e->nlines;
}

/* The entry remembering key with n lines (the one there already, if any), or NULL. */
static Entry *keep(const LinebreakKey *key, const Line *lines, long n) {
  Entry *there = lookup(key);
  if (there) return there;
  size_t nfrags = 0, text_len = 0;
  for (long i = 0; i < n; i++) {
    nfrags += lines[i].nfrags;
    for (size_t f = 0; f < lines[i].nfrags; f++) text_len += lines[i].frags[f].len;
  }
  size_t size = header_size() + (size_t)n * sizeof(Line) + (nfrags + 1) * sizeof(Frag) + text_len +
                1 + key->len;
  if (size > LINEBREAK_MEMO_BYTES / 8) return NULL; /* a paragraph of pages: broken each time */
  if (memo.bytes + size > LINEBREAK_MEMO_BYTES) forget_all();
  if (!memo.buckets) memo.buckets = memory_calloc(BUCKETS, sizeof *memo.buckets);
  Entry *e = memo.buckets ? memory_alloc(size) : NULL;
  if (!e) return NULL; /* remembering is a saving, never a need */
  *e = (Entry){.hash = key->hash,
               .generation = key->generation,
               .key_len = key->len,
               .nfrags = nfrags,
               .text_len = text_len,
               .nlines = n};
  Line *out = entry_lines(e);
  Frag *frags = entry_frags(e);
  char *text = entry_text(e);
  memcpy(entry_key(e), key->bytes, key->len);
  size_t f = 0, t = 0;
  for (long i = 0; i < n; i++) {
    out[i] = lines[i];
    out[i].frags = (Frag *)(uintptr_t)f;
    for (size_t k = 0; k < lines[i].nfrags; k++, f++) {
      frags[f] = lines[i].frags[k];
      frags[f].text = (const char *)(uintptr_t)t;
      memcpy(text + t, lines[i].frags[k].text, lines[i].frags[k].len);
      t += lines[i].frags[k].len;
    }
  }
  frags[nfrags] = (Frag){0};
  text[text_len] = '\0';
  Entry **bucket = &memo.buckets[key->hash % BUCKETS];
  e->next = *bucket;
  *bucket = e;
  memo.bytes += size;
  return e;
}

void linebreak_memo_keep(const LinebreakKey *key, const Line *lines, long n, unsigned long cuts) {
  Entry *e = keep(key, lines, n);
  if (e) e->cuts = cuts; /* (the same for an entry there already: the same key) */
}

bool linebreak_memo_find_extent(const LinebreakKey *key, double *min_width, double *max_width) {
  const Entry *e = lookup(key);
  if (!e) return false;
  *min_width = e->min_width;
  *max_width = e->max_width;
  return true;
}

void linebreak_memo_keep_extent(const LinebreakKey *key, double min_width, double max_width) {
  Entry *e = keep(key, NULL, 0);
  if (!e) return;
  e->min_width = min_width;
  e->max_width = max_width;
}
