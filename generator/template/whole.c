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

static int is_upper(uint32_t cp) {
  return (cp >= 0x410 && cp <= 0x42F) || cp == 0x401 || (cp >= 'A' && cp <= 'Z');
}

static int is_letter(uint32_t cp) {
  return is_upper(cp) || (cp >= 0x430 && cp <= 0x44F) || cp == 0x451 || (cp >= 'a' && cp <= 'z');
}

enum { MAX_WORD = 64 }; /* longer words are judged by their first letters */

/* The stems decoded (hyphen_stems_decode) and their first letters, for not asking about a word
 * no stem can start. Worked out once per fill: decoding every stem again for every lower-case
 * word was a fifth of marking a document's words. */
enum { FIRST_LIMIT = 0x460 }; /* Latin and Cyrillic: what is_letter says a word starts with */

typedef struct {
  const char *const *stems;
  size_t count;
  unsigned long fill;
  int all; /* a stem starts beyond FIRST_LIMIT: ask about every word */
  const HyphenStems *decoded;
  unsigned long list; /* the number of that list (lists below), which remembered texts carry */
  unsigned char first[FIRST_LIMIT];
} Firsts;

/* The answers are remembered per process (Remembered below) for the lists of stems seen last:
 * each organisation's documents protect the same stems, and a build writes an organisation's
 * documents one after another. A list keeps its number while it stays here; a list met again
 * after it went gets a new one (the texts remembered under the old one are not found again). */
enum { LISTS = 4 };
static struct {
  HyphenStems decoded[LISTS];
  unsigned long number[LISTS]; /* 0: free */
  unsigned long last;          /* the last number given */
} lists;

static int same_stems(const HyphenStems *a, const HyphenStems *b) {
  if (a->count != b->count) return 0;
  if (!a->count) return 1;
  size_t n = a->ends[a->count - 1];
  return memcmp(a->ends, b->ends, a->count * sizeof *a->ends) == 0 &&
         memcmp(a->cps, b->cps, n * sizeof *a->cps) == 0;
}

/* The list equal to decoded (which it takes, or frees) and its number. */
static size_t list_of(HyphenStems *decoded) {
  size_t oldest = 0;
  for (size_t i = 0; i < LISTS; i++) {
    if (lists.number[i] && same_stems(&lists.decoded[i], decoded)) {
      hyphen_stems_free(decoded);
      return i;
    }
    if (lists.number[i] < lists.number[oldest]) oldest = i;
  }
  hyphen_stems_free(&lists.decoded[oldest]);
  lists.decoded[oldest] = *decoded;
  lists.number[oldest] = ++lists.last;
  return oldest;
}

static uint32_t lower(uint32_t cp) { /* hyphen_policy.c's */
  if (cp >= 0x410 && cp <= 0x42F) return cp + 0x20;
  if (cp == 0x401) return 0x451;
  if (cp >= 'A' && cp <= 'Z') return cp + 0x20;
  return cp;
}

/* The stems f was worked out for, one after another with their NULs (f.count of them): a fill
 * of the same organisation as the last one's gives the same, and then needs no decoding. */
static struct {
  char *bytes;
  size_t len, cap;
} firsts_stems;

static int same_as_last(const TmplProtect *protect, size_t count) {
  if (protect->count != count) return 0;
  size_t at = 0;
  for (size_t s = 0; s < count; s++) {
    size_t n = strlen(protect->stems[s]) + 1;
    if (n > firsts_stems.len - at || memcmp(firsts_stems.bytes + at, protect->stems[s], n) != 0)
      return 0;
    at += n;
  }
  return at == firsts_stems.len;
}

static void keep_stems(const TmplProtect *protect) {
  firsts_stems.len = 0;
  for (size_t s = 0; s < protect->count; s++) {
    size_t n = strlen(protect->stems[s]) + 1;
    if (firsts_stems.len + n > firsts_stems.cap) {
      size_t cap = 2 * (firsts_stems.len + n);
      char *bytes = memory_realloc(firsts_stems.bytes, cap);
      if (!bytes) { /* (not kept: decoded next time) */
        firsts_stems.len = (size_t)-1;
        return;
      }
      firsts_stems.bytes = bytes;
      firsts_stems.cap = cap;
    }
    memcpy(firsts_stems.bytes + firsts_stems.len, protect->stems[s], n);
    firsts_stems.len += n;
  }
}

static const Firsts *firsts_of(const TmplProtect *protect) {
  static Firsts f;
  unsigned long fill = tmpl_fill_number();
  if (f.fill == fill && f.stems == (const char *const *)protect->stems && f.count == protect->count)
    return &f;
  /* the same stems as f's, and their list still here under its number: f holds */
  if (f.decoded && firsts_stems.len != (size_t)-1 && same_as_last(protect, f.count)) {
    size_t i = (size_t)(f.decoded - lists.decoded);
    if (lists.number[i] == f.list) {
      f.stems = (const char *const *)protect->stems;
      f.fill = fill;
      return &f;
    }
  }
  memset(&f, 0, sizeof f);
  Protected stems = {(const char **)protect->stems, protect->count};
  HyphenStems decoded;
  if (!hyphen_stems_decode(&stems, &decoded)) tmpl_no_memory();
  size_t i = list_of(&decoded);
  f.decoded = &lists.decoded[i];
  f.list = lists.number[i];
  f.stems = (const char *const *)protect->stems;
  f.count = protect->count;
  f.fill = fill;
  keep_stems(protect);
  for (size_t s = 0, from = 0; s < f.decoded->count; from = f.decoded->ends[s++]) {
    if (f.decoded->ends[s] == from) continue; /* empty: matches nothing */
    uint32_t cp = f.decoded->cps[from];
    if (cp < FIRST_LIMIT)
      f.first[cp] = 1;
    else
      f.all = 1;
  }
  return &f;
}

/* Whether the word cps[0..n) is kept whole; `counted` is its letters and digits, `token` whether
 * it holds a digit, "@", "/", ":", "_" or "\\" (both worked out as the word was read). */
static int kept_whole(const Firsts *firsts, const uint32_t *cps, size_t n, size_t counted,
                      int token) {
  if (counted < 5) return 0;
  if (token) return 1;
  for (size_t i = 1; i + 1 < n; i++)
    if (cps[i] == '.' && is_letter(cps[i - 1]) && is_letter(cps[i + 1])) return 1;
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
        hyphen_stems_match(firsts->decoded, cps + i, j - i))
      return 1;
    i = j;
  }
  return 0;
}

/* Whether the word s[0..len) (no space in it) is kept whole under firsts: its characters decoded
 * and counted as kept_whole wants them. */
static int judge_word(const Firsts *firsts, const char *s, size_t len) {
  uint32_t cps[MAX_WORD];
  size_t i = 0, n = 0, counted = 0;
  int token = 0;
  while (i < len) {
    uint32_t cp;
    i += utf8_decode(s + i, len - i, &cp);
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
  }
  return kept_whole(firsts, cps, n, counted, token);
}

/* The bytes of a space (space, tab, line ends, U+00A0, U+202F, U+2009, U+2007) starting at u,
 * of left bytes, or 0: what utf8_decode reads there. A byte of a character is never taken for one:
 * those after the first are 0x80-0xBF, and a malformed byte decodes as U+FFFD, one at a time. */
static inline size_t space_len(const unsigned char *u, size_t left) {
  unsigned char b = u[0];
  if (b < 0x80) return b == ' ' || b == '\t' || b == '\n' || b == '\r';
  if (b == 0xC2) return left >= 2 && u[1] == 0xA0 ? 2 : 0; /* U+00A0 */
  if (b == 0xE2 && left >= 3 && u[1] == 0x80 && (u[2] == 0xAF || u[2] == 0x89 || u[2] == 0x87))
    return 3; /* U+202F, U+2009, U+2007 */
  return 0;
}

/* Words judged before, with their answers, per process: the texts judged afresh (a consent's
 * paragraph with a person's name, an organisation's) are the same words in other orders, and
 * judging a word character by character cost ~40 instructions a byte. A slot keeps the last
 * word that fell in it, judged under the list of stems it names; longer words are judged each
 * time. */
enum { WORD_SLOTS = 8192, WORD_BYTES = 46 };
typedef struct {
  unsigned long list; /* the list of stems it was judged under; 0: free */
  uint32_t hash;
  unsigned char len, kept;
  char bytes[WORD_BYTES];
} Word;
static Word words[WORD_SLOTS];

static int word_kept(const Firsts *firsts, const char *s, size_t len, uint32_t hash) {
  if (len > WORD_BYTES) return judge_word(firsts, s, len);
  Word *w = &words[hash % WORD_SLOTS];
  if (w->list == firsts->list && w->hash == hash && w->len == len && memcmp(w->bytes, s, len) == 0)
    return w->kept;
  int kept = judge_word(firsts, s, len);
  w->list = firsts->list;
  w->hash = hash;
  w->len = (unsigned char)len;
  w->kept = (unsigned char)kept;
  memcpy(w->bytes, s, len);
  return kept;
}

/* The words kept whole of s[0..len) under firsts (tmpl_whole_words without the memory of
 * texts): the words found by their bytes, each hashed as it is read. */
static size_t whole_words(const Firsts *firsts, const char *s, size_t len, TmplSpan **out,
                          size_t *cap) {
  const unsigned char *u = (const unsigned char *)s;
  size_t count = 0, i = 0;
  while (i < len) {
    size_t space = space_len(u + i, len - i);
    if (space) {
      i += space;
      continue;
    }
    size_t start = i;
    uint32_t hash = 2166136261u;
    do {
      hash = (hash ^ u[i]) * 16777619u;
      i++;
    } while (i < len && !space_len(u + i, len - i));
    if (word_kept(firsts, s + start, i - start, hash)) {
      if (count == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        *out = tmpl_grow(*out, *cap, sizeof **out);
      }
      (*out)[count++] = (TmplSpan){start, i};
    }
  }
  return count;
}

/* Texts judged before, with their answers, per process: a document kind's template writes the
 * same texts into every document (a region's consents: five of six texts were judged already),
 * and judging them letter by letter was a third of setting the words apart. A slot keeps the
 * last text that fell in it; long texts are judged each time. */
enum { SLOTS = 1024, TEXT_MAX = 2048 };
typedef struct {
  unsigned long list; /* the list of stems it was judged under; 0: free */
  uint64_t hash;
  size_t len, count;
  char *text;
  TmplSpan *spans;
} Remembered;
static Remembered remembered[SLOTS];

static uint64_t text_hash(const char *s, size_t len) {
  uint64_t h = 14695981039346656037u ^ len;
  size_t i = 0;
  for (; i + 8 <= len; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    h = (h ^ w) * 1099511628211u;
    h ^= h >> 29;
  }
  for (; i < len; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211u;
  return h ^ (h >> 32);
}

/* r's entry made the one of s[0..len) judged under list, with its spans (raises when memory
 * ran out). */
static void remember(Remembered *r, unsigned long list, uint64_t hash, const char *s, size_t len,
                     const TmplSpan *found, size_t count) {
  memory_free(r->text);
  memory_free(r->spans);
  *r = (Remembered){0};
  char *text = memory_alloc(len + 1);
  TmplSpan *spans = count ? memory_alloc(count * sizeof *spans) : NULL;
  if (!text || (count && !spans)) {
    memory_free(text);
    memory_free(spans);
    tmpl_no_memory();
  }
  memcpy(text, s, len);
  text[len] = 0;
  if (count) memcpy(spans, found, count * sizeof *spans);
  *r = (Remembered){list, hash, len, count, text, spans};
}

static int recalled(const Remembered *r, unsigned long list, uint64_t hash, const char *s,
                    size_t len) {
  return r->list == list && r->hash == hash && r->len == len && memcmp(r->text, s, len) == 0;
}

/* A text not judged before is judged by pieces, each remembered apart: a piece ends after a
 * space that follows a comma, full stop, semicolon, colon, exclamation or question mark, at
 * least PIECE_MIN bytes after its start. Words lie between spaces, and each is judged by its
 * own letters alone, so a text's answer is its pieces' put together; and texts that differ in
 * one name (a consent's paragraph for each person) share their other pieces. A piece longer
 * than PIECE_MAX bytes is judged each time (the memory stays within 2 MiB). */
enum { PIECE_SLOTS = 4096, PIECE_MIN = 24, PIECE_MAX = 512 };
static Remembered pieces[PIECE_SLOTS];

static size_t piece_end(const char *s, size_t from, size_t len) {
  for (size_t q = from + PIECE_MIN; q + 1 < len; q++)
    if (s[q + 1] == ' ' &&
        (s[q] == ',' || s[q] == '.' || s[q] == ';' || s[q] == ':' || s[q] == '!' || s[q] == '?'))
      return q + 2;
  return len;
}

static size_t words_by_pieces(const Firsts *firsts, const char *s, size_t len, TmplSpan **out,
                              size_t *cap) {
  static TmplSpan *scratch; /* a piece's words as judged */
  static size_t scratch_cap;
  size_t count = 0;
  for (size_t from = 0; from < len;) {
    size_t to = piece_end(s, from, len), n;
    const char *piece = s + from;
    uint64_t hash = text_hash(piece, to - from);
    Remembered *r = &pieces[hash % PIECE_SLOTS];
    const TmplSpan *spans;
    if (recalled(r, firsts->list, hash, piece, to - from)) {
      n = r->count;
      spans = r->spans;
    } else {
      n = whole_words(firsts, piece, to - from, &scratch, &scratch_cap);
      if (to - from <= PIECE_MAX) remember(r, firsts->list, hash, piece, to - from, scratch, n);
      spans = scratch;
    }
    if (count + n > *cap) {
      *cap = 2 * (count + n);
      *out = tmpl_grow(*out, *cap, sizeof **out);
    }
    for (size_t k = 0; k < n; k++)
      (*out)[count++] = (TmplSpan){spans[k].start + from, spans[k].end + from};
    from = to;
  }
  return count;
}

size_t tmpl_whole_words(const TmplProtect *protect, const char *s, size_t len, TmplSpan **out,
                        size_t *cap) {
  const Firsts *firsts = firsts_of(protect);
  if (len > TEXT_MAX) return words_by_pieces(firsts, s, len, out, cap);
  uint64_t hash = text_hash(s, len);
  Remembered *r = &remembered[hash % SLOTS];
  if (recalled(r, firsts->list, hash, s, len)) {
    if (r->count > *cap) {
      *cap = r->count;
      *out = tmpl_grow(*out, *cap, sizeof **out);
    }
    if (r->count) memcpy(*out, r->spans, r->count * sizeof **out);
    return r->count;
  }
  size_t count = words_by_pieces(firsts, s, len, out, cap);
  remember(r, firsts->list, hash, s, len, *out, count);
  return count;
}
