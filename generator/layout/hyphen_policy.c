/* hyphen_policy: see hyphen_policy.h. */
#include "layout/hyphen_policy.h"

#include "layout/hyphen_ru.h"
#include "layout/utf8.h"

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

bool hyphen_policy_protected(const Protected *protect, const uint32_t *cps, size_t n) {
  if (!protect) return false;
  for (size_t s = 0; s < protect->count; s++) {
    const char *stem = protect->stems[s];
    size_t len = 0;
    while (stem[len]) len++;
    size_t i = 0, k = 0;
    bool match = len > 0;
    while (k < len && match) {
      uint32_t cp;
      k += utf8_decode(stem + k, len - k, &cp);
      match = i < n && lower(cps[i]) == lower(cp);
      i++;
    }
    if (match) return true;
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

void hyphen_policy_points(const Protected *protect, const uint32_t *cps, size_t n,
                          bool protected_word, bool own_only, bool *hyphen_at, bool *plain_at) {
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
        !hyphen_policy_protected(protect, cps + i, len) && hyphen_ru_points(cps + i, len, after)) {
      for (size_t k = 0; k + 1 < len; k++) hyphen_at[i + k] = after[k];
    }
    i = j;
  }
}
