/* font: see font.h. */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include "layout/font.h"

#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "memory.h"

enum { MAX_FONT_SIZE = 64 * 1024 * 1024, CACHE_SLOTS = 16 };

LayoutFont *layout_font_load(const char *path) {
  size_t size = 0;
  char *data = fileio_read(path, MAX_FONT_SIZE, &size);
  if (!data) return NULL;
  hb_blob_t *blob =
      hb_blob_create_or_fail(data, (unsigned)size, HB_MEMORY_MODE_READONLY, data, free);
  if (!blob) {
    free(data);
    return NULL;
  }
  hb_face_t *face = hb_face_create(blob, 0);
  hb_blob_destroy(blob);
  /* A file that is not a font gives HarfBuzz's empty face: no glyphs, upem default. Only
   * TrueType outlines (glyf) are embedded (as CIDFontType2); CFF-flavoured OpenType is not. */
  hb_blob_t *glyf = hb_face_reference_table(face, HB_TAG('g', 'l', 'y', 'f'));
  bool truetype = hb_blob_get_length(glyf) > 0;
  hb_blob_destroy(glyf);
  if (hb_face_get_glyph_count(face) == 0 || !truetype) {
    hb_face_destroy(face);
    return NULL;
  }
  LayoutFont *f = memory_calloc(1, sizeof *f);
  int32_t *advances = memory_alloc(0x10000 * sizeof *advances);
  char *copy = memory_strdup(path);
  if (!f || !advances || !copy) {
    memory_free(f);
    memory_free(advances);
    memory_free(copy);
    hb_face_destroy(face);
    return NULL;
  }
  for (size_t i = 0; i < 0x10000; i++) advances[i] = -2;
  f->path = copy;
  f->face = face;
  f->font = hb_font_create(face);
  f->upem = hb_face_get_upem(face);
  hb_font_extents_t ext;
  hb_font_get_h_extents(f->font, &ext);
  f->ascender = ext.ascender;
  f->descender = ext.descender;
  f->line_gap = ext.line_gap;
  f->advances = advances;
  return f;
}

void layout_font_free(LayoutFont *font) {
  if (!font) return;
  hb_font_destroy(font->font);
  hb_face_destroy(font->face);
  memory_free(font->advances);
  memory_free(font->path);
  memory_free(font);
}

LayoutFont *layout_font_cached(const char *path) {
  /* A process renders with a handful of fonts; a small table, filled once, kept for good. */
  static LayoutFont *cache[CACHE_SLOTS];
  for (int i = 0; i < CACHE_SLOTS; i++) {
    if (!cache[i]) {
      cache[i] = layout_font_load(path);
      return cache[i];
    }
    if (strcmp(cache[i]->path, path) == 0) return cache[i];
  }
  return NULL; /* more fonts than any document uses: refuse rather than grow forever */
}

static int32_t lookup(LayoutFont *font, uint32_t cp) {
  hb_codepoint_t glyph;
  if (!hb_font_get_nominal_glyph(font->font, cp, &glyph)) return -1;
  return hb_font_get_glyph_h_advance(font->font, glyph);
}

int32_t layout_font_advance_lookup(LayoutFont *font, uint32_t cp) {
  if (cp >= 0x10000) return lookup(font, cp);
  return font->advances[cp] = lookup(font, cp);
}
