/*
 * utf8: decoding one code point at a time. Malformed bytes decode as U+FFFD one byte at a
 * time, so a bad byte costs one replacement character and never a lost paragraph.
 */
#ifndef NASTAVNIK_LAYOUT_UTF8_H
#define NASTAVNIK_LAYOUT_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decodes the code point at s[0..len) into *cp; returns the bytes consumed (>= 1). */
static inline size_t utf8_decode(const char *s, size_t len, uint32_t *cp) {
  const unsigned char *u = (const unsigned char *)s;
  if (u[0] < 0x80) {
    *cp = u[0];
    return 1;
  }
  /* Two bytes (all of Cyrillic) first: most of what is decoded, without the general loop. */
  if (u[0] >= 0xC2 && u[0] < 0xE0 && len >= 2 && (u[1] & 0xC0) == 0x80) {
    *cp = ((uint32_t)(u[0] & 0x1F) << 6) | (u[1] & 0x3F);
    return 2;
  }
  size_t n = u[0] >= 0xF0 ? 4 : u[0] >= 0xE0 ? 3 : u[0] >= 0xC2 ? 2 : 0;
  if (n == 0 || n > len || u[0] > 0xF4) {
    *cp = 0xFFFD;
    return 1;
  }
  uint32_t c = u[0] & (0x7F >> n);
  for (size_t i = 1; i < n; i++) {
    if ((u[i] & 0xC0) != 0x80) {
      *cp = 0xFFFD;
      return 1;
    }
    c = (c << 6) | (u[i] & 0x3F);
  }
  /* Overlong forms and surrogates are as bad as stray bytes. */
  if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
      (c >= 0xD800 && c <= 0xDFFF)) {
    *cp = 0xFFFD;
    return 1;
  }
  *cp = c;
  return n;
}

#endif
