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
 * A word processor also ends a line after a word's own hyphen, hyphenation or not: in an
 * address, a number or a phone ("sosnovka-edu.ru", "2-10-05") and in a name whose hyphen a
 * capital follows ("Иванова-Петрова") the hyphens become non-breaking (U+2011), as the PDF
 * layout never breaks there either (span.bind) — in running text only: a table cell is as
 * wide as its longest word measured by the PDF layout, and a word processor's few hundredths
 * of a millimetre more would then cut an address between two letters instead.
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

/* Whether the word cps[0..n) is kept whole (0: no; 1: yes; 2: yes, and its hyphens bind). */
static int kept_whole(const TmplProtect *protect, const uint32_t *cps, size_t n) {
  size_t counted = 0;
  int hyphen = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t c = cps[i];
    if (is_letter(c) || (c >= '0' && c <= '9')) counted++;
    hyphen = hyphen || c == '-';
  }
  if (counted < 5) return 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t c = cps[i];
    if ((c >= '0' && c <= '9') || c == '@' || c == '/' || c == ':' || c == '_' || c == '\\')
      return hyphen ? 2 : 1;
    if (c == '.' && i > 0 && i + 1 < n && is_letter(cps[i - 1]) && is_letter(cps[i + 1]))
      return hyphen ? 2 : 1;
  }
  int whole = 0;
  for (size_t i = 0; i < n;) { /* letter runs: "Иванова-Петрова", "«Сосновский" */
    if (!is_letter(cps[i])) {
      i++;
      continue;
    }
    size_t j = i;
    while (j < n && is_letter(cps[j])) j++;
    if (i > 0 && cps[i - 1] == '-' && is_upper(cps[i])) return 2;
    Protected stems = {(const char **)protect->stems, protect->count};
    if (is_upper(cps[i]) || hyphen_policy_protected(&stems, cps + i, j - i)) whole = 1;
    i = j;
  }
  return whole;
}

size_t tmpl_whole_words(const TmplProtect *protect, const char *s, size_t len, TmplSpan **out,
                        size_t *cap) {
  size_t count = 0, i = 0;
  uint32_t cps[MAX_WORD];
  while (i < len) {
    uint32_t cp;
    size_t step = utf8_decode(s + i, len - i, &cp);
    if (is_space(cp)) {
      i += step;
      continue;
    }
    size_t start = i, n = 0;
    while (i < len) {
      step = utf8_decode(s + i, len - i, &cp);
      if (is_space(cp)) break;
      if (n < MAX_WORD) cps[n++] = cp;
      i += step;
    }
    int whole = kept_whole(protect, cps, n);
    if (whole) {
      if (count == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        *out = tmpl_grow(*out, *cap, sizeof **out);
      }
      (*out)[count++] = (TmplSpan){start, i, whole == 2};
    }
  }
  return count;
}

char *tmpl_whole_text(const char *s, size_t n, int bind) {
  Buf b = {0};
  size_t run = 0;
  for (size_t i = 0; bind && i < n; i++) {
    if (s[i] != '-') continue;
    buf_add(&b, s + run, i - run);
    buf_str(&b, "\xE2\x80\x91"); /* U+2011 NON-BREAKING HYPHEN */
    run = i + 1;
  }
  buf_add(&b, s + run, n - run);
  return b.data ? b.data : tmpl_strndup("", 0);
}
