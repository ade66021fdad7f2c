/*
 * whole: the words of a text a word processor must never hyphenate, as the PDF layout's
 * hyphenation policy has them (layout/hyphen_policy.h): a capitalised word (a surname, a first
 * name or patronymic in any case form, a place, an organisation's name in quotes), a word
 * holding a digit, "@", "/", ":", "_", "\" or a full stop between letters (dates, numbers,
 * phones, e-mail addresses, initials), and a word whose letters start with one of the stems
 * the document protects (months, the lower-case words of its organisations' names). The
 * formats mark them (docx.c, odt.c: keep_whole): a word processor knows no "never hyphenate a
 * capitalised word", only text of no language.
 *
 * A word here is what stands between spaces (non-breaking ones included), so "«Сосновский"
 * and "Петровне," are judged by their letters. Words of fewer than five letters or digits
 * are left alone: two letters before a break and three after make five the shortest word a
 * template's hyphenation breaks.
 *
 * A word processor still ends a line after a word's own hyphen ("sosnovka-/edu.ru",
 * "Иванова-/Петрова"), which the PDF layout never does there; a non-breaking hyphen (U+2011)
 * would stop it, but an address or a phone copied out of the document would then hold a
 * character that is not a hyphen: the text is left as it is.
 */
#include <string.h>

#include "layout/hyphen_policy.h"
#include "layout/utf8.h"
#include "memory.h"
#include "tmpl.h"

static int is_space(uint32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0 || cp == 0x202F ||
         cp == 0x2009 || cp == 0x2007;
}

static int is_upper(uint32_t cp) {
  return (cp >= 0x410 && cp <= 0x42F) || cp == 0x401 || (cp >= 'A' && cp <= 'Z');
}

static int is_letter(uint32_t cp) {
  return is_upper(cp) || (cp >= 0x430 && cp <= 0x44F) || cp == 0x451 || (cp >= 'a' && cp <= 'z');
}

enum { MAX_WORD = 64 }; /* longer words are judged by their first letters */

/* The first letters of the stems (lower case, as hyphen_policy_protected compares them), for
 * not asking about a word no stem can start: that search decodes every stem again for every
 * lower-case word and was a fifth of marking a document's words. Worked out once per fill. */
enum { FIRST_LIMIT = 0x460 }; /* Latin and Cyrillic: what is_letter says a word starts with */

typedef struct {
  const char *const *stems;
  size_t count;
  unsigned long fill;
  int all; /* a stem starts beyond FIRST_LIMIT: ask about every word */
  unsigned char first[FIRST_LIMIT];
} Firsts;

static uint32_t lower(uint32_t cp) { /* hyphen_policy.c's */
  if (cp >= 0x410 && cp <= 0x42F) return cp + 0x20;
  if (cp == 0x401) return 0x451;
  if (cp >= 'A' && cp <= 'Z') return cp + 0x20;
  return cp;
}

static const Firsts *firsts_of(const TmplProtect *protect) {
  static Firsts f;
  unsigned long fill = tmpl_fill_number();
  if (f.fill == fill && f.stems == (const char *const *)protect->stems && f.count == protect->count)
    return &f;
  memset(&f, 0, sizeof f);
  f.stems = (const char *const *)protect->stems;
  f.count = protect->count;
  f.fill = fill;
  for (size_t s = 0; s < protect->count; s++) {
    const char *stem = protect->stems[s];
    size_t len = strlen(stem);
    if (!len) continue; /* matches nothing */
    uint32_t cp;
    utf8_decode(stem, len, &cp);
    cp = lower(cp);
    if (cp < FIRST_LIMIT)
      f.first[cp] = 1;
    else
      f.all = 1;
  }
  return &f;
}

/* Whether the word cps[0..n) is kept whole; `counted` is its letters and digits, `token` whether
 * it holds a digit, "@", "/", ":", "_" or "\\" (both worked out as the word was read). */
static int kept_whole(const TmplProtect *protect, const uint32_t *cps, size_t n, size_t counted,
                      int token) {
  if (counted < 5) return 0;
  if (token) return 1;
  for (size_t i = 1; i + 1 < n; i++)
    if (cps[i] == '.' && is_letter(cps[i - 1]) && is_letter(cps[i + 1])) return 1;
  Protected stems = {(const char **)protect->stems, protect->count};
  const Firsts *firsts = firsts_of(protect);
  for (size_t i = 0; i < n;) { /* letter runs: "Иванова-Петрова", "«Сосновский" */
    if (!is_letter(cps[i])) {
      i++;
      continue;
    }
    size_t j = i;
    while (j < n && is_letter(cps[j])) j++;
    uint32_t first = lower(cps[i]);
    if (is_upper(cps[i])) return 1;
    if ((firsts->all || (first < FIRST_LIMIT && firsts->first[first])) &&
        hyphen_policy_protected(&stems, cps + i, j - i))
      return 1;
    i = j;
  }
  return 0;
}

/* The character at s[0..len): ASCII without a call (most of a document's spaces and
 * punctuation, all of its digits). */
static inline size_t decode(const char *s, size_t len, uint32_t *cp) {
  if ((unsigned char)s[0] < 0x80) {
    *cp = (unsigned char)s[0];
    return 1;
  }
  return utf8_decode(s, len, cp);
}

size_t tmpl_whole_words(const TmplProtect *protect, const char *s, size_t len, TmplSpan **out,
                        size_t *cap) {
  size_t count = 0, i = 0;
  uint32_t cps[MAX_WORD];
  while (i < len) {
    uint32_t cp;
    size_t step = decode(s + i, len - i, &cp);
    if (is_space(cp)) {
      i += step;
      continue;
    }
    size_t start = i, n = 0, counted = 0;
    int token = 0;
    while (i < len) {
      step = decode(s + i, len - i, &cp);
      if (is_space(cp)) break;
      if (n < MAX_WORD) {
        cps[n++] = cp;
        if (cp >= '0' && cp <= '9') {
          counted++;
          token = 1;
        } else if (is_letter(cp)) {
          counted++;
        } else if (cp == '@' || cp == '/' || cp == ':' || cp == '_' || cp == '\\') {
          token = 1;
        }
      }
      i += step;
    }
    if (kept_whole(protect, cps, n, counted, token)) {
      if (count == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        *out = tmpl_grow(*out, *cap, sizeof **out);
      }
      (*out)[count++] = (TmplSpan){start, i};
    }
  }
  return count;
}
