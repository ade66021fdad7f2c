/*
 * font: one TrueType face, loaded once per process and measured through HarfBuzz.
 *
 * Layout needs only advances (no kerning or ligatures: Russian paperwork set in Liberation
 * Serif does not need them, and per-code-point advances keep measuring a cache lookup). The
 * PDF backend subsets the same hb_face_t, so measuring and embedding can never disagree.
 */
#ifndef NASTAVNIK_LAYOUT_FONT_H
#define NASTAVNIK_LAYOUT_FONT_H

#include <hb.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct {
  char *path;
  hb_face_t *face;
  hb_font_t *font;
  double upem;
  double ascender, descender, line_gap; /* font units; descender is negative */
  int32_t *advances;                    /* BMP cache: -2 not looked up, -1 missing glyph */
} LayoutFont;

/* Loads the font at path, or returns NULL (unreadable, not a font, or not TrueType-outlined:
 * the PDF backend embeds glyf fonts only). */
LayoutFont *layout_font_load(const char *path);
void layout_font_free(LayoutFont *font);

/* The font cache of the process: the same path gives the same font. NULL if not loadable. */
LayoutFont *layout_font_cached(const char *path);

/* Advance of code point cp from the font itself (and into the BMP cache). */
int32_t layout_font_advance_lookup(LayoutFont *font, uint32_t cp);

/* Advance of code point cp in font units, or -1 when the font has no glyph for it. Inline:
 * layout asks for every character of every word, most of the time from the cache. */
static inline int32_t layout_font_advance(LayoutFont *font, uint32_t cp) {
  if (cp < 0x10000 && font->advances[cp] != -2) return font->advances[cp];
  return layout_font_advance_lookup(font, cp);
}

static inline bool layout_font_has(LayoutFont *font, uint32_t cp) {
  return layout_font_advance(font, cp) >= 0;
}

#endif
