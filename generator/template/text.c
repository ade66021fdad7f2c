/*
 * text: the text of values on its way into a part (declared in tmpl.h): a growable buffer,
 * cleaning what XML 1.0 cannot hold, and cutting text into the segments a format writes
 * (text, line breaks, tabs, runs of spaces).
 */
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "memory.h"
#include "tmpl.h"

void buf_add(Buf *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n + 1) {
      if (cap > (size_t)-1 / 2) tmpl_no_memory();
      cap *= 2;
    }
    b->data = tmpl_grow(b->data, cap, 1);
    b->cap = cap;
  }
  if (n) memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void buf_str(Buf *b, const char *s) {
  buf_add(b, s, strlen(s));
}

void buf_free(Buf *b) {
  memory_free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

const char *tmpl_decimal(char buf[24], long v) {
  char digits[24];
  size_t n = 0, k = 0;
  unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
  do {
    digits[n++] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  if (v < 0) buf[k++] = '-';
  while (n) buf[k++] = digits[--n];
  buf[k] = 0;
  return buf;
}

/* How many bytes at s (of n) are clean text for certain, read 8 at a time, ending where a
 * character ends: printable ASCII and two-byte sequences (Cyrillic) with nothing odd in them.
 * A word of 8 bytes passes when it holds no control character and no byte of 0xE0 and above,
 * its leading bytes are not C0 or C1 (overlong), and its continuation bytes (10xxxxxx) are
 * exactly those that follow a leading byte (11xxxxxx), the previous word's last one included.
 * (A word with a byte of 0x20 right above a control character may fail though clean: the
 * byte-by-byte loop then reads it.) Most values are Russian text: on a region-5 build this
 * took the cleaning from 39.8 M instructions to 20.8 M. */
static size_t clean_prefix(const char *s, size_t n) {
#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
  (void)s;
  (void)n;
  return 0; /* (the words' bytes are read as a little-endian machine holds them) */
#endif
  const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
  size_t i = 0, done = 0; /* done: the end of the last word that ended a character */
  uint64_t carry = 0;     /* the last word ended with a leading byte */
#ifdef __SSE2__
  /* The same tests 16 bytes at a time, each exact, in the bytes' masks: a leading byte's bit
   * one place below is the next byte's, and that byte must be a continuation byte, and only
   * such (a third of the instructions of the words below, which read what is left). */
  const __m128i c1f = _mm_set1_epi8(0x1F), cc0 = _mm_set1_epi8((char)0xC0),
                ce0 = _mm_set1_epi8((char)0xE0), cfe = _mm_set1_epi8((char)0xFE),
                c80 = _mm_set1_epi8((char)0x80);
  unsigned lead_carry = 0;
  while (i + 16 <= n) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
    __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(v, c1f), v);     /* below 0x20 */
    __m128i three = _mm_cmpeq_epi8(_mm_max_epu8(v, ce0), v);       /* E0 and above */
    __m128i overlong = _mm_cmpeq_epi8(_mm_and_si128(v, cfe), cc0); /* C0, C1 */
    unsigned odd =
        (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(control, three), overlong));
    unsigned lead = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_max_epu8(v, cc0), v));
    unsigned cont = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(v, cc0), c80));
    if (odd || cont != (((lead << 1) | lead_carry) & 0xFFFFu)) break;
    lead_carry = lead >> 15;
    i += 16;
    if (!lead_carry) done = i;
  }
  carry = lead_carry ? 0x80 : 0; /* (the words' carry: the high bit of their first byte) */
#endif
  while (i + 8 <= n) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    uint64_t top = w & high, bit6 = (w << 1) & high;
    uint64_t lead = top & bit6, cont = top & ~bit6;
    uint64_t control = (w - 0x20 * ones) & ~w & high; /* a byte below 0x20 (or a false alarm) */
    uint64_t three = lead & (w << 2);                 /* 111xxxxx: E0 and above */
    uint64_t overlong = lead & ~((w & 0x1E * ones) + 0x7F * ones);
    if (control | three | overlong || cont != (lead << 8 | carry)) break;
    carry = lead >> 56;
    i += 8;
    if (!carry) done = i;
  }
  return done;
}

void tmpl_sanitize(Buf *out, const char *s, size_t n) {
  size_t i = 0, run = 0; /* s[run..i) is clean and not yet copied */
  int fast = 1;          /* i is where a character starts, after one of the rarer kinds */
  buf_add(out, "", 0);
  while (i < n) {
    if (fast) {
      i += clean_prefix(s + i, n - i);
      fast = 0;
      if (i >= n) break;
    }
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c < 0x80) {
      i++;
      continue;
    }
    if (c < 0x80) {
      buf_add(out, s + run, i - run);
      if (c == '\r') {
        buf_add(out, "\n", 1);
        i += (i + 1 < n && s[i + 1] == '\n') ? 2 : 1;
      } else {
        if (c == '\t' || c == '\n') buf_add(out, (const char *)&s[i], 1);
        i++; /* other control characters (and the engine's markers) go */
      }
      run = i;
      fast = 1;
      continue;
    }
    if (c >= 0xC2 && c < 0xE0 && i + 1 < n && ((unsigned char)s[i + 1] & 0xC0) == 0x80) {
      i += 2; /* two bytes (Cyrillic): never overlong, a surrogate or U+FFFE/U+FFFF */
      continue;
    }
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    uint32_t cp = len == 4 ? c & 0x07u : len == 3 ? c & 0x0Fu : c & 0x1Fu;
    int ok = len > 0 && i + len <= n && c <= 0xF4;
    for (size_t k = 1; ok && k < len; k++) {
      unsigned char cc = (unsigned char)s[i + k];
      if ((cc & 0xC0) != 0x80) ok = 0;
      cp = (cp << 6) | (cc & 0x3Fu);
    }
    if (ok && ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
               (cp >= 0xD800 && cp <= 0xDFFF)))
      ok = 0;
    if (ok && cp != 0xFFFE && cp != 0xFFFF) {
      i += len;
      fast = 1;
      continue;
    }
    buf_add(out, s + run, i - run);
    if (!ok) {
      buf_str(out, "\xEF\xBF\xBD"); /* U+FFFD for broken UTF-8 */
      i++;
      while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80) i++;
    } else {
      i += len; /* U+FFFE, U+FFFF: not characters */
    }
    run = i;
    fast = 1;
  }
  buf_add(out, s + run, i - run);
}

size_t tmpl_segment(const TmplFormat *fmt, const char *s, size_t n, Segs *out) {
  out->count = 0;
#define PUSH(k, a, l, c)                                                \
  do {                                                                  \
    if (out->count == out->cap) {                                       \
      out->cap = out->cap ? out->cap * 2 : 8;                           \
      out->items = tmpl_grow(out->items, out->cap, sizeof *out->items); \
    }                                                                   \
    out->items[out->count++] = (Seg){(k), (a), (l), (c)};               \
  } while (0)
  size_t i = 0, start = 0;
  while (i < n) {
    char c = s[i];
    if ((c == '\n' || c == '\t') && fmt->has_breaks) {
      if (i > start) PUSH(SEG_TEXT, start, i - start, 0);
      PUSH(c == '\n' ? SEG_BREAK : SEG_TAB, 0, 0, 0);
      start = ++i;
    } else if (c == ' ' && fmt->collapses_spaces && i + 1 < n && s[i + 1] == ' ') {
      size_t j = i;
      while (j < n && s[j] == ' ') j++;
      PUSH(SEG_TEXT, start, i + 1 - start, 0); /* the first space stays text */
      PUSH(SEG_SPACES, 0, 0, (int)(j - i - 1 > 100000 ? 100000 : j - i - 1));
      start = i = j;
    } else {
      i++;
    }
  }
  if (i > start || out->count == 0) PUSH(SEG_TEXT, start, i - start, 0);
#undef PUSH
  return out->count;
}

/* A format that only breaks lines (DOCX) asks memchr, fast on long texts and short ones. One
 * that collapses spaces too (ODT) reads the bytes once, 16 at a time: a mask of the breaks and one
 * of the spaces, a space whose next byte is one too found by the mask shifted (the last space of
 * a block carried into the next), the last bytes in a block ending with the text's end (bytes
 * read again change nothing). Every value written into an ODT part was read byte by byte for two
 * spaces (after two memchr for the breaks): 15 K instructions a consent's fill. */
int tmpl_one_segment(const TmplFormat *fmt, const char *s, size_t n) {
  int breaks = fmt->has_breaks;
  if (!fmt->collapses_spaces) return !breaks || (!memchr(s, '\n', n) && !memchr(s, '\t', n));
  size_t i = 0;
  int space_before = 0; /* s[i - 1] is a space */
#ifdef __SSE2__
  if (n >= 16) {
    const __m128i nl = _mm_set1_epi8('\n'), tab = _mm_set1_epi8('\t'), sp = _mm_set1_epi8(' ');
    for (;; i += 16) {
      if (i + 16 > n) {
        i = n - 16; /* (the pair across i and the byte before it lies in this block) */
        space_before = 0;
      }
      __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
      unsigned b = breaks ? (unsigned)_mm_movemask_epi8(
                                _mm_or_si128(_mm_cmpeq_epi8(v, nl), _mm_cmpeq_epi8(v, tab)))
                          : 0;
      unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, sp));
      if (b || (m & ((m << 1) | (unsigned)space_before))) return 0;
      if (i + 16 == n) return 1;
      space_before = (m >> 15) & 1;
    }
  }
#endif
  for (; i < n; i++) {
    char c = s[i];
    if (breaks && (c == '\n' || c == '\t')) return 0;
    if (c == ' ' && space_before) return 0;
    space_before = c == ' ';
  }
  return 1;
}

void tmpl_append_text(const TmplFormat *fmt, xmlNode *parent, xmlNode *like, const char *text) {
  if (!text) text = "";
  /* most texts (a table's cells) are one segment: written without cutting and copying */
  if (tmpl_one_segment(fmt, text, strlen(text))) {
    tmpl_append_child(parent, fmt->new_segment(like, SEG_TEXT, text, 0));
    return;
  }
  Segs segs = {0};
  size_t n = tmpl_segment(fmt, text, strlen(text), &segs);
  for (size_t i = 0; i < n; i++) {
    const Seg *sg = &segs.items[i];
    char *piece = tmpl_strndup(text + sg->start, sg->len);
    xmlNode *node = fmt->new_segment(like, sg->kind, piece, sg->n);
    memory_free(piece);
    tmpl_append_child(parent, node);
  }
  memory_free(segs.items);
}
