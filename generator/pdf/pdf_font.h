/*
 * pdf_font: a face embedded as a subset of the characters a document uses (rounded up to whole
 * blocks for a face drawing a page of text, so documents share it: pdf_font.c).
 *
 * HarfBuzz cuts the subset (hinting dropped: it is for screens at small sizes and half of a
 * subset's bytes; the layout tables too: the PDF positions every glyph). The font objects — Type0
 * with Identity-H, CIDFontType2 whose CIDs are the subset's glyph ids, widths, descriptor,
 * FontFile2 and a ToUnicode map — are numbered and written as libharu's objects (their entries
 * as text made once a subset: pdf_font.c) rather than through
 * HPDF_LoadTTFontFromFile + the "UTF-8" encoder: that path maps all 65536 UTF-16 codes through the
 * font's cmap and writes a 128 KB CIDToGIDMap for every font of every document, which was most of
 * the time a 40-row roadmap took to render (≈130 renders/s with it). It also wrote an invalid
 * ToUnicode map.
 */
#ifndef NASTAVNIK_PDF_FONT_H
#define NASTAVNIK_PDF_FONT_H

#include <hb.h>
#include <hpdf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "layout/font.h"

enum { PDF_FONT_DIRECT = 0x500 };

/* A subset made once and kept by the process for the next document that draws the same
 * characters with the same font (pdf_font.c): the subsetting, the widths and the deflated
 * streams are then only written again. */
typedef struct PdfSubset PdfSubset;

/* A glyph as a content stream draws it: its id's two bytes in a literal string, each escaped
 * where the string's syntax needs it. Eight bytes, copied whole (pdf_backend.c's drawing: one
 * load and one store a character, the bytes after `len` written over by what follows). */
typedef struct {
  _Alignas(8) char bytes[4];
  unsigned char len;
  unsigned char zero[3];
} PdfGlyphCode;

/* Writes glyph id gid as a literal string's bytes at out (4 at most); returns how many. */
int pdf_glyph_code(char *out, unsigned gid);

/* A font's objects in one document: what its dictionaries' entries are written from. */
typedef struct {
  const PdfSubset *subset;
  HPDF_Dict file, descriptor, cid, to_unicode;
} PdfFontObjects;

/* A font of one document. It stays where pdf_font_embed filled it until the document is saved
 * (its dictionaries are written from objects). */
typedef struct {
  HPDF_Dict dict;            /* the Type0 font pages refer to */
  PdfSubset *subset;         /* held until pdf_font_release */
  hb_map_t *glyphs;          /* code point -> glyph id in the subset (the subset's) */
  const PdfGlyphCode *codes; /* U+0000..U+04FF's glyphs as drawn: the hot path of drawing */
  PdfFontObjects objects;
} PdfFont;

/* Subsets font to unicodes (or takes the process's kept subset of them) and adds its objects
 * to pdf. False with a message in err. */
bool pdf_font_embed(HPDF_Doc pdf, LayoutFont *font, const hb_set_t *unicodes, PdfFont *out,
                    char *err, size_t errlen);
void pdf_font_release(PdfFont *font);

/* Writes the glyph of cp in the subset (0, .notdef, for characters not in it) at out, as a
 * literal string's bytes (4 at most); returns how many. A code below PDF_FONT_DIRECT is copied
 * whole from codes (font->codes, passed so that a caller's loop keeps its address: stores
 * through out would make it read again), 8 bytes: room for 8 needed. */
static inline int pdf_font_put_glyph(const PdfFont *font, const PdfGlyphCode *codes, uint32_t cp,
                                     char *out) {
  if (cp < PDF_FONT_DIRECT) {
    memcpy(out, &codes[cp], sizeof codes[cp]);
    return codes[cp].len;
  }
  hb_codepoint_t gid = hb_map_get(font->glyphs, cp);
  return pdf_glyph_code(out, gid == HB_MAP_VALUE_INVALID ? 0 : gid);
}

#endif
