/* hyphen_policy: see hyphen_policy.h. */
#include "layout/hyphen_policy.h"

#include <string.h>

#include "layout/hyphen_ru.h"
#include "layout/utf8.h"
#include "memory.h"

enum { MAX_RUN = 64 }; /* hyphen_ru judges words up to this many letters */

static bool is_upper(uint32_t cp) {
  return (cp >= 0x410 && cp <= 0x42F) || cp == 0x401 || (cp >= 'A' && cp <= 'Z');
}

static bool is_letter(uint32_t cp) {
  return hyphen_ru_letter(cp) || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z');
}

static uint32_t lower(uint32_t cp) {
  if (cp >= 0x410 && cp <= 0x42F) return cp + 0x20;
  if (cp == 0x401) return 0x451;
  if (cp >= 'A' && cp <= 'Z') return cp + 0x20;
  return cp;
}

static bool is_hyphen(uint32_t cp) {
  return cp == '-' || cp == 0x2010;
}

bool hyphen_stems_decode(const Protected *protect, HyphenStems *out) {
  *out = (HyphenStems){0};
  size_t bytes = 0;
  for (size_t s = 0; s < protect->count; s++) bytes += strlen(protect->stems[s]);
  out->cps = memory_alloc((bytes + 1) * sizeof *out->cps);
  out->ends = memory_alloc((protect->count + 1) * sizeof *out->ends);
  if (!out->cps || !out->ends) {
    hyphen_stems_free(out);
    return false;
  }
  size_t at = 0;
  for (size_t s = 0; s < protect->count; s++) {
    const char *stem = protect->stems[s];
    size_t len = strlen(stem);
    for (size_t k = 0; k < len;) {
      uint32_t cp;
      k += utf8_decode(stem + k, len - k, &cp);
      out->cps[at++] = lower(cp);
    }
    out->ends[s] = at;
  }
  out->count = protect->count;
  return true;
}

void hyphen_stems_free(HyphenStems *stems) {
  memory_free(stems->cps);
  memory_free(stems->ends);
  *stems = (HyphenStems){0};
}

bool hyphen_stems_match(const HyphenStems *stems, const uint32_t *cps, size_t n) {
  size_t from = 0;
  for (size_t s = 0; s < stems->count; s++) {
    size_t to = stems->ends[s], len = to - from;
    const uint32_t *stem = stems->cps + from;
    from = to;
    if (len == 0 || len > n || lower(cps[0]) != stem[0]) continue;
    size_t i = 1;
    while (i < len && lower(cps[i]) == stem[i]) i++;
    if (i == len) return true;
  }
  return false;
}

/* Digits, addresses, blanks and initials: the whole word is one unit. */
static bool is_token(const uint32_t *cps, size_t n) {
  for (size_t i = 0; i < n; i++) {
    uint32_t c = cps[i];
    if ((c >= '0' && c <= '9') || c == '@' || c == '/' || c == ':' || c == '_' || c == '\\')
      return true;
    if (c == '.' && i > 0 && i + 1 < n && is_letter(cps[i - 1]) && is_letter(cps[i + 1]))
      return true;
  }
  return false;
}

/* ---- remembered points (hyphen_policy_adopt) ---- */

enum { MEMO_SLOTS = 4096, MEMO_CHARS = 32 }; /* longer words are worked out each time */

typedef struct {
  uint32_t cps[MEMO_CHARS];
  uint8_t n; /* 0: free */
  bool own_only;
  uint32_t hyphen_at, plain_at; /* bit i: after character i */
} MemoEntry;

/* The lists of stems whose words' points the process remembers, a few at a time: documents
 * that alternate between lists (a consent's signature table fitted under the months alone,
 * the consent under its organisation's names) keep what each list's words were judged. */
enum { LISTS = 4 };

typedef struct {
  unsigned generation; /* what hyphen_policy_adopt answers for it; 0: a free place */
  unsigned long used;  /* when it was last adopted: the least recent gives way */
  char **stems;
  size_t count;
  HyphenStems decoded; /* the same stems, decoded once (hyphen_stems_decode) */
  MemoEntry *slots;
} List;

static struct {
  List lists[LISTS];
  unsigned generation; /* the last one given; 0 before the first */
  unsigned long clock;
} memo;

static bool same_stems(const List *list, const Protected *p) {
  if (p->count != list->count) return false;
  for (size_t i = 0; i < p->count; i++)
    if (strcmp(p->stems[i], list->stems[i]) != 0) return false;
  return true;
}

static void forget_stems(List *list) {
  for (size_t i = 0; i < list->count; i++) memory_free(list->stems[i]);
  memory_free(list->stems);
  list->stems = NULL;
  list->count = 0;
  list->generation = 0;
  hyphen_stems_free(&list->decoded);
}

unsigned hyphen_policy_adopt(const Protected *protect) {
  List *room = &memo.lists[0];
  for (List *list = memo.lists; list < memo.lists + LISTS; list++) {
    if (list->generation && same_stems(list, protect)) {
      list->used = ++memo.clock;
      return list->generation;
    }
    if (list->used < room->used) room = list; /* (a free place was never used: 0) */
  }
  forget_stems(room);
  if (!room->slots) room->slots = memory_alloc(MEMO_SLOTS * sizeof *room->slots);
  room->stems = memory_calloc(protect->count + 1, sizeof *room->stems);
  if (!room->slots || !room->stems) return 0;
  for (size_t i = 0; i < protect->count; i++) {
    room->stems[i] = memory_strdup(protect->stems[i]);
    if (!room->stems[i]) {
      room->count = i;
      forget_stems(room);
      return 0;
    }
  }
  room->count = protect->count;
  if (!hyphen_stems_decode(protect, &room->decoded)) {
    forget_stems(room);
    return 0;
  }
  for (size_t i = 0; i < MEMO_SLOTS; i++) room->slots[i].n = 0;
  if (++memo.generation == 0) memo.generation = 1;
  room->generation = memo.generation;
  room->used = ++memo.clock;
  return room->generation;
}

/* The list adopted with the answer `remembered`, NULL if it has given way since. */
static List *list_of(unsigned remembered) {
  for (List *list = memo.lists; remembered && list < memo.lists + LISTS; list++)
    if (list->generation == remembered) return list;
  return NULL;
}

static MemoEntry *memo_slot(List *list, const uint32_t *cps, size_t n, bool own_only) {
  uint32_t h = 2166136261u ^ (uint32_t)own_only;
  for (size_t i = 0; i < n; i++) h = (h ^ cps[i]) * 16777619u;
  return &list->slots[h % MEMO_SLOTS];
}

static void points(const HyphenStems *stems, const uint32_t *cps, size_t n, bool protected_word,
                   bool own_only, bool *hyphen_at, bool *plain_at);

void hyphen_policy_points(const Protected *protect, unsigned remembered, const uint32_t *cps,
                          size_t n, bool protected_word, bool own_only, bool *hyphen_at,
                          bool *plain_at) {
  List *list = list_of(remembered);
  if (!list) {
    /* (without the process's memory: the stems decoded for this word alone; when memory runs
     * out for that, the word is not hyphenated rather than perhaps a protected one) */
    HyphenStems stems = {0};
    bool decoded = protected_word || n < 4 || !protect || hyphen_stems_decode(protect, &stems);
    points(&stems, cps, n, protected_word || n < 4 || !decoded, own_only, hyphen_at, plain_at);
    hyphen_stems_free(&stems);
    return;
  }
  if (protected_word || n < 4 || n > MEMO_CHARS) {
    points(&list->decoded, cps, n, protected_word || n < 4, own_only, hyphen_at, plain_at);
    return;
  }
  MemoEntry *e = memo_slot(list, cps, n, own_only);
  if (e->n != n || e->own_only != own_only || memcmp(e->cps, cps, n * sizeof *cps) != 0) {
    points(&list->decoded, cps, n, false, own_only, hyphen_at, plain_at);
    e->n = (uint8_t)n;
    e->own_only = own_only;
    memcpy(e->cps, cps, n * sizeof *cps);
    e->hyphen_at = e->plain_at = 0;
    for (size_t i = 0; i < n; i++) {
      e->hyphen_at |= (uint32_t)hyphen_at[i] << i;
      e->plain_at |= (uint32_t)plain_at[i] << i;
    }
    return;
  }
  for (size_t i = 0; i < n; i++) {
    hyphen_at[i] = (e->hyphen_at >> i) & 1;
    plain_at[i] = (e->plain_at >> i) & 1;
  }
}

/* The points worked out (hyphen_policy_points without the memory). */
static void points(const HyphenStems *stems, const uint32_t *cps, size_t n, bool protected_word,
                   bool own_only, bool *hyphen_at, bool *plain_at) {
  for (size_t i = 0; i < n; i++) hyphen_at[i] = plain_at[i] = false;
  if (protected_word || n < 4 || is_token(cps, n)) return;
  /* Own hyphens: not in a name ("Иванова-Петрова": a capital after a hyphen). */
  bool capital_after_hyphen = false;
  for (size_t i = 0; i + 1 < n; i++) {
    if (is_hyphen(cps[i])) {
      for (size_t k = i + 1; k < n && is_letter(cps[k]); k++) {
        if (is_upper(cps[k])) capital_after_hyphen = true;
        break;
      }
    }
  }
  bool compound = false;
  for (size_t i = 2; i + 2 < n; i++) {
    if (is_hyphen(cps[i]) && !capital_after_hyphen && is_letter(cps[i - 1]) &&
        is_letter(cps[i + 1]))
      plain_at[i] = compound = true;
  }
  /* A compound breaks at its own hyphen only, as TeX has it ("Встреча-/знакомство", never
   * "Встреча-знаком-/ство"). */
  if (compound || capital_after_hyphen || own_only) return;
  /* Dictionary points, letter run by letter run. */
  for (size_t i = 0; i < n;) {
    if (!hyphen_ru_letter(cps[i])) {
      i++;
      continue;
    }
    size_t j = i;
    while (j < n && hyphen_ru_letter(cps[j])) j++;
    size_t len = j - i;
    bool after[MAX_RUN];
    if (len >= 5 && len <= MAX_RUN && !is_upper(cps[i]) &&
        !hyphen_stems_match(stems, cps + i, len) && hyphen_ru_points(cps + i, len, after)) {
      for (size_t k = 0; k + 1 < len; k++) hyphen_at[i + k] = after[k];
    }
    i = j;
  }
}
