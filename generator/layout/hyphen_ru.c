/* hyphen_ru: see hyphen_ru.h. */
#include "layout/hyphen_ru.h"

#include <hyphen.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_WORD = 64 };

static HyphenDict *dict;
static iconv_t to_koi8 = (iconv_t)-1;
static bool tried;

static void open_once(void) {
  if (tried) return;
  tried = true;
  dict = hnj_hyphen_load(HYPHEN_RU_DICT);
  to_koi8 = iconv_open("KOI8-R", "UTF-8");
  if (to_koi8 == (iconv_t)-1 && dict) {
    hnj_hyphen_free(dict);
    dict = NULL;
  }
}

bool hyphen_ru_available(void) {
  open_once();
  return dict != NULL;
}

/* The points of words already asked for: the same words come back in every paragraph and
 * every document (the dictionary and the conversion cost more than the rest of a line). A
 * word's slot is picked by its hash; a new word takes the slot over. */
enum { CACHE_SLOTS = 4096 };
typedef struct {
  uint16_t letters[MAX_WORD]; /* lower-case, 0 past the end */
  uint8_t len;
  bool any;
  uint64_t points; /* bit i: a hyphen may follow letter i */
} CachedWord;
static CachedWord cache[CACHE_SLOTS];

static size_t slot_of(const uint32_t *lower, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) h = (h ^ lower[i]) * 16777619u;
  return h % CACHE_SLOTS;
}

static bool compute_points(const uint32_t *cps, size_t n, bool *after);

bool hyphen_ru_points(const uint32_t *cps, size_t n, bool *after) {
  for (size_t i = 0; i < n; i++) after[i] = false;
  if (n < 4 || n > MAX_WORD || !hyphen_ru_available()) return false;
  uint32_t lower[MAX_WORD];
  for (size_t i = 0; i < n; i++) {
    uint32_t c = cps[i];
    if (c >= 0x410 && c <= 0x42F) c += 0x20;
    if (c == 0x401) c = 0x451;
    lower[i] = c;
  }
  CachedWord *w = &cache[slot_of(lower, n)];
  bool hit = w->len == n;
  for (size_t i = 0; i < n && hit; i++) hit = w->letters[i] == lower[i];
  /* the capitals decide too (two or more: an abbreviation): only lower-case words are kept */
  bool plain = true;
  for (size_t i = 0; i < n; i++) plain = plain && cps[i] == lower[i];
  if (hit && plain) {
    for (size_t i = 0; i + 1 < n; i++) after[i] = (w->points >> i) & 1;
    return w->any;
  }
  bool any = compute_points(cps, n, after);
  if (plain) {
    w->len = (uint8_t)n;
    for (size_t i = 0; i < n; i++) w->letters[i] = (uint16_t)lower[i];
    w->points = 0;
    for (size_t i = 0; i + 1 < n; i++) w->points |= (uint64_t)after[i] << i;
    w->any = any;
  }
  return any;
}

static bool compute_points(const uint32_t *cps, size_t n, bool *after) {
  /* Lower-case UTF-8: Cyrillic capitals are 0x410..0x42F (+0x20) and Ё (0x401 -> 0x451). */
  /* Words in capitals are abbreviations (МКОУ, ШМО) or headings: never hyphenated. */
  size_t capitals = 0;
  for (size_t i = 0; i < n; i++)
    capitals += (cps[i] >= 0x410 && cps[i] <= 0x42F) || cps[i] == 0x401;
  if (capitals >= 2) return false;
  char utf8[MAX_WORD * 2 + 1];
  size_t u = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t c = cps[i];
    if (!hyphen_ru_letter(c)) return false;
    if (c >= 0x410 && c <= 0x42F) c += 0x20;
    if (c == 0x401) c = 0x451;
    utf8[u++] = (char)(0xC0 | (c >> 6));
    utf8[u++] = (char)(0x80 | (c & 0x3F));
  }
  char koi[MAX_WORD + 1];
  char *in = utf8, *out = koi;
  size_t in_left = u, out_left = sizeof koi - 1;
  iconv(to_koi8, NULL, NULL, NULL, NULL);
  if (iconv(to_koi8, &in, &in_left, &out, &out_left) == (size_t)-1 || in_left != 0) return false;
  size_t len = (size_t)(out - koi);
  if (len != n) return false; /* KOI8-R is one byte a letter; anything else is not our word */
  koi[len] = '\0';
  char hyphens[MAX_WORD + 5];
  char hyphword[MAX_WORD * 2 + 1];
  char **rep = NULL;
  int *pos = NULL, *cut = NULL;
  /* Two letters at least before the break and three after: a syllable of two letters
   * carried over ("ни" of "Михайловна") reads as a stumble. */
  if (hnj_hyphen_hyphenate3(dict, koi, (int)len, hyphens, hyphword, &rep, &pos, &cut, 2, 3, 2, 3) !=
      0) {
    return false;
  }
  if (rep) { /* Russian patterns have no replacements; free what libhyphen gave anyway */
    for (size_t i = 0; i < len; i++) free(rep[i]);
    free(rep);
    free(pos);
    free(cut);
  }
  bool any = false;
  for (size_t i = 0; i + 1 < n; i++) {
    if (hyphens[i] & 1) after[i] = any = true;
  }
  return any;
}
