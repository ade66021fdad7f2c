/* pdf_font: see pdf_font.h. */
#include "pdf/pdf_font.h"

#include "memory.h"

#include <hb-ot.h>
#include <hb-subset.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>
#include <hpdf_utils.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf/pdf_stream.h"

static int16_t be16(const char *p) {
  return (int16_t)(((unsigned char)p[0] << 8) | (unsigned char)p[1]);
}

/* The subset tag ("ABCDEF+"): six capitals from a hash of the characters, so the same text
 * gives the same name (reproducible output) and different subsets different names. */
static void subset_tag(const hb_set_t *unicodes, const char *name, char tag[8]) {
  uint32_t h = 2166136261u;
  hb_codepoint_t cp = HB_SET_VALUE_INVALID;
  while (hb_set_next(unicodes, &cp)) h = (h ^ cp) * 16777619u;
  for (const char *p = name; *p; p++) h = (h ^ (unsigned char)*p) * 16777619u;
  for (int i = 0; i < 6; i++) {
    tag[i] = (char)('A' + h % 26);
    h /= 26;
    if (h == 0) h = 2166136261u + (uint32_t)i;
  }
  tag[6] = '+';
  tag[7] = '\0';
}

/* ToUnicode: each glyph id back to its character, so text can be copied and searched. */
static void write_to_unicode(PdfBytes *s, const hb_set_t *unicodes, hb_map_t *glyphs) {
  static const char HEAD[] =
      "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
      "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
      "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
  static const char TAIL[] = "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
  pdf_bytes_put(s, HEAD, sizeof HEAD - 1);
  hb_set_t *seen = hb_set_create();
  char line[64];
  hb_codepoint_t cp = HB_SET_VALUE_INVALID;
  /* At most 100 entries a block, as the CMap format asks. */
  char block[100][40];
  int n = 0;
  for (bool more = true; more;) {
    more = hb_set_next(unicodes, &cp);
    if (more) {
      hb_codepoint_t gid = hb_map_get(glyphs, cp);
      if (gid != HB_MAP_VALUE_INVALID && gid != 0 && !hb_set_has(seen, gid)) {
        hb_set_add(seen, gid); /* a glyph shared (space and nbsp) reads as the first */
        if (cp < 0x10000) {
          snprintf(block[n++], sizeof block[0], "<%04X> <%04X>\n", gid, cp);
        } else {
          unsigned v = cp - 0x10000;
          snprintf(block[n++], sizeof block[0], "<%04X> <%04X%04X>\n", gid, 0xD800 + (v >> 10),
                   0xDC00 + (v & 0x3FF));
        }
      }
    }
    if (n == 100 || (!more && n > 0)) {
      int len = snprintf(line, sizeof line, "%d beginbfchar\n", n);
      pdf_bytes_put(s, line, (size_t)len);
      for (int i = 0; i < n; i++) pdf_bytes_put(s, block[i], strlen(block[i]));
      pdf_bytes_put(s, "endbfchar\n", 10);
      n = 0;
    }
  }
  hb_set_destroy(seen);
  pdf_bytes_put(s, TAIL, sizeof TAIL - 1);
}

/* Descriptor numbers in PDF glyph space (1000 units an em). */
typedef struct {
  double scale;
  HPDF_Box bbox;
  int ascent, descent, cap_height, italic_angle;
} Metrics;

static void read_metrics(LayoutFont *font, Metrics *m) {
  m->scale = 1000.0 / font->upem;
  m->ascent = (int)(font->ascender * m->scale);
  m->descent = (int)(font->descender * m->scale);
  hb_position_t cap = 0;
  m->cap_height = hb_ot_metrics_get_position(font->font, HB_OT_METRICS_TAG_CAP_HEIGHT, &cap)
                      ? (int)(cap * m->scale)
                      : m->ascent;
  hb_blob_t *head = hb_face_reference_table(font->face, HB_TAG('h', 'e', 'a', 'd'));
  unsigned len = 0;
  const char *h = hb_blob_get_data(head, &len);
  if (len >= 44) {
    m->bbox = (HPDF_Box){.left = (HPDF_REAL)(int)(be16(h + 36) * m->scale),
                         .bottom = (HPDF_REAL)(int)(be16(h + 38) * m->scale),
                         .right = (HPDF_REAL)(int)(be16(h + 40) * m->scale),
                         .top = (HPDF_REAL)(int)(be16(h + 42) * m->scale)};
  } else {
    m->bbox = (HPDF_Box){0, (HPDF_REAL)m->descent, 1000, (HPDF_REAL)m->ascent};
  }
  hb_blob_destroy(head);
  hb_blob_t *post = hb_face_reference_table(font->face, HB_TAG('p', 'o', 's', 't'));
  const char *p = hb_blob_get_data(post, &len);
  m->italic_angle = len >= 8 ? be16(p + 4) : 0;
  hb_blob_destroy(post);
}

/* One font's subset for one set of characters, as the PDF writes it: its streams deflated,
 * its widths and glyph ids. The process keeps the last few (a kind rendered again for the
 * same characters, the bench's N documents): subsetting and deflating the font were a tenth
 * of a 40-row roadmap's render. Shared by reference: the cache and every PdfFont using it. */
struct PdfSubset {
  int refs;
  LayoutFont *font;
  hb_set_t *unicodes;
  char base[160]; /* "ABCDEF+PostScriptName" */
  Metrics m;
  unsigned nglyphs;
  /* The font's three dictionaries as libharu would write their entries, made once: each
   * up to the object it refers to (its number differs from document to document), then what
   * follows it. The CID font's text ends with its widths, one number a glyph. */
  PdfBytes descriptor_head, cid_head, cid_tail, type0_head;
  unsigned file_raw;   /* the subset's length before deflating (/Length1) */
  unsigned char *file; /* FontFile2, deflated */
  size_t file_len;
  unsigned char *cmap; /* ToUnicode, deflated */
  size_t cmap_len;
  hb_map_t *glyphs;
  PdfGlyphCode *codes; /* for U+0000..U+04FF */
};

enum { SUBSET_SLOTS = 32 }; /* the faces of every kind of an organisation (8 lost half the hits) */
static PdfSubset *subset_cache[SUBSET_SLOTS];
static unsigned subset_next; /* the slot filled next: the oldest */

static void subset_unref(PdfSubset *s) {
  if (!s || --s->refs > 0) return;
  hb_set_destroy(s->unicodes);
  hb_map_destroy(s->glyphs);
  memory_free(s->codes);
  pdf_bytes_free(&s->descriptor_head);
  pdf_bytes_free(&s->cid_head);
  pdf_bytes_free(&s->cid_tail);
  pdf_bytes_free(&s->type0_head);
  memory_free(s->file);
  memory_free(s->cmap);
  memory_free(s);
}

static void put_text(PdfBytes *b, const char *text) {
  pdf_bytes_put(b, text, strlen(text));
}

/* A PDF name as libharu writes it (HPDF_Stream_WriteEscapeName): '/', then each byte, or #XX
 * where a name may not hold it as itself. */
static void put_name(PdfBytes *b, const char *name) {
  pdf_bytes_put(b, "/", 1);
  for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
    unsigned char c = *p;
    if (HPDF_NEEDS_ESCAPE(c)) {
      static const char HEX[] = "0123456789ABCDEF";
      char esc[3] = {'#', HEX[c >> 4], HEX[c & 15]};
      pdf_bytes_put(b, esc, 3);
    } else {
      pdf_bytes_put(b, (const char *)p, 1);
    }
  }
}

/* The entries of the descriptor, the CID font and the Type0 font before the objects they refer
 * to, as libharu wrote them from its objects (the same bytes). False when out of memory. */
static bool describe(PdfSubset *s) {
  char line[160];
  PdfBytes *d = &s->descriptor_head;
  put_text(d, "/Type /FontDescriptor\012/FontName ");
  put_name(d, s->base);
  /* Nonsymbolic (32), italic (64) when the font slants. */
  snprintf(line, sizeof line,
           "\012/Flags %d\012/FontBBox [ %d %d %d %d ]\012/ItalicAngle %d\012/Ascent %d\012"
           "/Descent %d\012/CapHeight %d\012/StemV 80\012/FontFile2 ",
           32 | (s->m.italic_angle ? 64 : 0), (int)s->m.bbox.left, (int)s->m.bbox.bottom,
           (int)s->m.bbox.right, (int)s->m.bbox.top, s->m.italic_angle, s->m.ascent, s->m.descent,
           s->m.cap_height);
  put_text(d, line);
  /* The CID font: CIDs are the subset's glyph ids (Identity); its widths are in cid_tail. */
  PdfBytes *c = &s->cid_head;
  put_text(c, "/Type /Font\012/Subtype /CIDFontType2\012/BaseFont ");
  put_name(c, s->base);
  put_text(c,
           "\012/CIDSystemInfo <<\012/Registry (Adobe)\012/Ordering (Identity)\012"
           "/Supplement 0\012>>\012/FontDescriptor ");
  PdfBytes *t = &s->type0_head;
  put_text(t, "/Type /Font\012/Subtype /Type0\012/BaseFont ");
  put_name(t, s->base);
  put_text(t, "\012/Encoding /Identity-H\012/DescendantFonts [ ");
  return !d->failed && !c->failed && !t->failed;
}

/* One byte of a glyph id in a literal string: as itself, or escaped where the string's syntax
 * needs it (parentheses, backslash) or a reader would change it (a CR or CR LF reads as LF).
 * ESCAPED gives the letter after the backslash, 0 for a byte written as itself. */
static const char ESCAPED[256] = {
    ['('] = '(', [')'] = ')', ['\\'] = '\\', ['\r'] = 'r', ['\n'] = 'n'};

static int put_string_byte(char *out, unsigned char c) {
  if (!ESCAPED[c]) {
    out[0] = (char)c;
    return 1;
  }
  out[0] = '\\';
  out[1] = ESCAPED[c];
  return 2;
}

/* The two bytes of the id rather than the hex form <00E1>: half the bytes, which made text
 * most of a page's content and of what is deflated. */
int pdf_glyph_code(char *out, unsigned gid) {
  int n = put_string_byte(out, (unsigned char)(gid >> 8));
  return n + put_string_byte(out + n, (unsigned char)gid);
}

static void set_code(PdfGlyphCode *code, unsigned gid) {
  *code = (PdfGlyphCode){0};
  code->len = (unsigned char)pdf_glyph_code(code->bytes, gid);
}

/* The glyph ids of the subset face for the characters, into s->glyphs, and the glyphs of
 * U+0000..U+04FF as drawn into s->codes: made once a subset, rather than a glyph's id looked
 * up and escaped for every character of every document. */
static bool map_glyphs(PdfSubset *s, hb_font_t *sfont) {
  s->glyphs = hb_map_create();
  s->codes = memory_alloc(PDF_FONT_DIRECT * sizeof *s->codes);
  if (!s->codes || !hb_map_allocation_successful(s->glyphs)) return false;
  for (uint32_t cp = 0; cp < PDF_FONT_DIRECT; cp++) set_code(&s->codes[cp], 0);
  hb_codepoint_t cp = HB_SET_VALUE_INVALID;
  while (hb_set_next(s->unicodes, &cp)) {
    hb_codepoint_t gid;
    if (!hb_font_get_nominal_glyph(sfont, cp, &gid)) continue;
    hb_map_set(s->glyphs, cp, gid);
    if (cp < PDF_FONT_DIRECT) set_code(&s->codes[cp], gid);
  }
  return hb_map_allocation_successful(s->glyphs);
}

/* The subset face's bytes (FontFile2), its widths and its ToUnicode map, made once. */
static bool fill_subset(PdfSubset *s, hb_face_t *subset) {
  hb_font_t *sfont = hb_font_create(subset);
  bool ok = map_glyphs(s, sfont);
  s->nglyphs = hb_face_get_glyph_count(subset);
  PdfBytes *w = &s->cid_tail;
  put_text(w, " 0 R\012/CIDToGIDMap /Identity\012/W [ 0 [ ");
  for (unsigned g = 0; ok && g < s->nglyphs; g++) {
    char number[16];
    int n = snprintf(number, sizeof number, "%d ",
                     (int)(hb_font_get_glyph_h_advance(sfont, g) * s->m.scale + 0.5));
    pdf_bytes_put(w, number, (size_t)n);
  }
  put_text(w, "] ]\012");
  ok = ok && !w->failed;
  hb_font_destroy(sfont);
  hb_blob_t *blob = hb_face_reference_blob(subset);
  unsigned len = 0;
  const char *data = hb_blob_get_data(blob, &len);
  s->file_raw = len;
  ok = ok && pdf_deflate(data, len, PDF_DEFLATE_KEPT, &s->file, &s->file_len);
  hb_blob_destroy(blob);
  if (!ok) return false;
  PdfBytes cmap = {0};
  write_to_unicode(&cmap, s->unicodes, s->glyphs);
  ok = !cmap.failed && pdf_deflate(cmap.data, cmap.len, PDF_DEFLATE_KEPT, &s->cmap, &s->cmap_len);
  pdf_bytes_free(&cmap);
  return ok;
}

/* A new subset of font to unicodes (one reference, the caller's), or NULL with err. */
static PdfSubset *make_subset(LayoutFont *font, const hb_set_t *unicodes, char *err,
                              size_t errlen) {
  hb_subset_input_t *input = hb_subset_input_create_or_fail();
  if (!input) {
    snprintf(err, errlen, "нет памяти для подмножества шрифта %s", font->path);
    return NULL;
  }
  hb_set_union(hb_subset_input_unicode_set(input), unicodes);
  hb_subset_input_set_flags(input, HB_SUBSET_FLAGS_NO_HINTING);
  /* A PDF places every glyph itself: the font's substitution, positioning and kerning tables
   * are never read, and keeping them made the subset follow them to glyphs no text uses
   * (dropping them: a consent's subsets 10 % smaller, a quarter cheaper to make). */
  hb_set_t *drop = hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG);
  static const hb_tag_t UNUSED[] = {HB_TAG('G', 'S', 'U', 'B'), HB_TAG('G', 'P', 'O', 'S'),
                                    HB_TAG('G', 'D', 'E', 'F'), HB_TAG('k', 'e', 'r', 'n')};
  for (size_t i = 0; i < sizeof UNUSED / sizeof UNUSED[0]; i++) hb_set_add(drop, UNUSED[i]);
  hb_face_t *face = hb_subset_or_fail(font->face, input);
  hb_subset_input_destroy(input);
  if (!face) {
    snprintf(err, errlen, "не удалось выделить подмножество шрифта %s", font->path);
    return NULL;
  }
  PdfSubset *s = memory_calloc(1, sizeof *s);
  if (s) {
    s->refs = 1;
    s->font = font;
    s->unicodes = hb_set_copy(unicodes);
    read_metrics(font, &s->m);
    char ps[128] = "Font";
    unsigned ps_len = sizeof ps;
    hb_ot_name_get_utf8(font->face, HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID, &ps_len,
                        ps);
    char tag[8];
    subset_tag(unicodes, ps, tag);
    snprintf(s->base, sizeof s->base, "%s%s", tag, ps);
  }
  if (s && strlen(s->base) > HPDF_LIMIT_MAX_NAME_LEN) { /* libharu refused such a name too */
    hb_face_destroy(face);
    snprintf(err, errlen, "не удалось записать шрифт %s в PDF", font->path);
    subset_unref(s);
    return NULL;
  }
  bool ok = s && hb_set_allocation_successful(s->unicodes) && describe(s) && fill_subset(s, face);
  hb_face_destroy(face);
  if (!ok) {
    snprintf(err, errlen, "нет памяти для шрифта %s", font->path);
    subset_unref(s);
    return NULL;
  }
  return s;
}

/* A face that draws a page of Russian text (ROUND_FROM characters or more) is subset for whole
 * blocks — the digits, the capitals, the small letters — of those it touches. Documents of one
 * kind differ mostly in the letters of names (initials above all) and the digits of dates:
 * rounded up, their characters fall into a few sets per face and the process's kept subsets
 * serve almost every document. A region-5 PDF build made 440 subsets for 851 fonts with exact
 * sets, 36 rounded; it draws with 8 more glyphs a font on average (region-20 and the samples:
 * PDFs 6.9 % bigger). A face with fewer characters (a bold heading, an italic note) would grow by
 * more than half and keeps its exact set: such sets repeat from document to document anyway. */
enum { ROUND_FROM = 50 };
static const struct {
  uint32_t first, last;
  unsigned block;
} BLOCKS[] = {
    {'0', '9', 0}, {0x410, 0x42F, 1}, {0x401, 0x401, 1}, {0x430, 0x44F, 2}, {0x451, 0x451, 2},
};
enum { BLOCK_COUNT = 3, RANGE_COUNT = sizeof BLOCKS / sizeof BLOCKS[0] };

/* The characters a face's subset is made for, into rounded (see ROUND_FROM). */
static void round_up(const hb_set_t *unicodes, hb_set_t *rounded) {
  hb_set_union(rounded, unicodes);
  if (hb_set_get_population(unicodes) < ROUND_FROM) return;
  bool touched[BLOCK_COUNT] = {0};
  for (size_t r = 0; r < RANGE_COUNT; r++) {
    hb_codepoint_t cp = BLOCKS[r].first - 1;
    if (hb_set_next(unicodes, &cp) && cp <= BLOCKS[r].last) touched[BLOCKS[r].block] = true;
  }
  for (size_t r = 0; r < RANGE_COUNT; r++)
    if (touched[BLOCKS[r].block]) hb_set_add_range(rounded, BLOCKS[r].first, BLOCKS[r].last);
}

/* The subset of font for unicodes: the process's kept one, or a new one kept from now on. */
static PdfSubset *subset_for(LayoutFont *font, const hb_set_t *unicodes, char *err, size_t errlen) {
  for (int i = 0; i < SUBSET_SLOTS; i++) {
    PdfSubset *s = subset_cache[i];
    if (s && s->font == font && hb_set_is_equal(s->unicodes, unicodes)) {
      s->refs++;
      return s;
    }
  }
  PdfSubset *s = make_subset(font, unicodes, err, errlen);
  if (!s) return NULL;
  subset_unref(subset_cache[subset_next]); /* a document still drawing with it keeps its own */
  subset_cache[subset_next] = s;
  subset_next = (subset_next + 1) % SUBSET_SLOTS;
  s->refs++;
  return s;
}

/* An object's number in a reference ("N 0 R"): libharu's number without its flags. */
static HPDF_STATUS put_ref(HPDF_Stream out, HPDF_Dict to) {
  char number[16];
  int n = snprintf(number, sizeof number, "%u", (unsigned)(to->header.obj_id & 0x00FFFFFF));
  return HPDF_Stream_Write(out, (const HPDF_BYTE *)number, (HPDF_UINT)n);
}

static HPDF_STATUS put_bytes(HPDF_Stream out, const PdfBytes *b) {
  return HPDF_Stream_Write(out, (const HPDF_BYTE *)b->data, (HPDF_UINT)b->len);
}

/* The three dictionaries' entries, written as libharu writes a dictionary's (HPDF_Dict's
 * write_fn, called inside its << >>) from the subset's text and the document's object numbers
 * (PdfFontObjects, the dictionary's attr): made entry by entry as libharu objects in every
 * document, to be written one by one, they were a tenth of a consent's PDF (the same bytes). */
static HPDF_STATUS write_descriptor(HPDF_Dict dict, HPDF_Stream out) {
  const PdfFontObjects *o = dict->attr;
  HPDF_STATUS st = put_bytes(out, &o->subset->descriptor_head);
  if (st == HPDF_OK) st = put_ref(out, o->file);
  return st == HPDF_OK ? HPDF_Stream_WriteStr(out, " 0 R\012") : st;
}

static HPDF_STATUS write_cid(HPDF_Dict dict, HPDF_Stream out) {
  const PdfFontObjects *o = dict->attr;
  HPDF_STATUS st = put_bytes(out, &o->subset->cid_head);
  if (st == HPDF_OK) st = put_ref(out, o->descriptor);
  return st == HPDF_OK ? put_bytes(out, &o->subset->cid_tail) : st;
}

static HPDF_STATUS write_type0(HPDF_Dict dict, HPDF_Stream out) {
  const PdfFontObjects *o = dict->attr;
  HPDF_STATUS st = put_bytes(out, &o->subset->type0_head);
  if (st == HPDF_OK) st = put_ref(out, o->cid);
  if (st == HPDF_OK) st = HPDF_Stream_WriteStr(out, " 0 R ]\012/ToUnicode ");
  if (st == HPDF_OK) st = put_ref(out, o->to_unicode);
  return st == HPDF_OK ? HPDF_Stream_WriteStr(out, " 0 R\012") : st;
}

/* A dictionary of pdf (numbered: in its cross-reference table) with no entries of its own:
 * `write` writes them from o. HPDF_Dict_Free leaves attr alone. */
static HPDF_Dict written_dict(HPDF_Doc pdf, PdfFontObjects *o, HPDF_Dict_OnWriteFunc write) {
  HPDF_Dict dict = HPDF_Dict_New(pdf->mmgr);
  if (!dict) return NULL;
  if (HPDF_Xref_Add(pdf->xref, dict) != HPDF_OK) return NULL; /* freed by the xref */
  dict->attr = o;
  dict->write_fn = write;
  return dict;
}

/* The font's objects in pdf, numbered in the order libharu always gave them: FontFile2, the
 * descriptor, the CID font, ToUnicode, the Type0 font (the one pages refer to). */
static HPDF_Dict write_objects(HPDF_Doc pdf, PdfFontObjects *o) {
  const PdfSubset *s = o->subset;
  HPDF_Xref xref = pdf->xref;
  o->file = HPDF_DictStream_New(pdf->mmgr, xref);
  if (!o->file || !pdf_stream_put_deflated(o->file, s->file, s->file_len) ||
      HPDF_Dict_AddNumber(o->file, "Length1", (HPDF_INT32)s->file_raw) != HPDF_OK)
    return NULL;
  o->descriptor = written_dict(pdf, o, write_descriptor);
  o->cid = o->descriptor ? written_dict(pdf, o, write_cid) : NULL;
  o->to_unicode = o->cid ? HPDF_DictStream_New(pdf->mmgr, xref) : NULL;
  if (!o->to_unicode || !pdf_stream_put_deflated(o->to_unicode, s->cmap, s->cmap_len)) return NULL;
  return written_dict(pdf, o, write_type0);
}

bool pdf_font_embed(HPDF_Doc pdf, LayoutFont *font, const hb_set_t *unicodes, PdfFont *out,
                    char *err, size_t errlen) {
  memset(out, 0, sizeof *out);
  hb_set_t *rounded = hb_set_create();
  round_up(unicodes, rounded);
  PdfSubset *s =
      hb_set_allocation_successful(rounded) ? subset_for(font, rounded, err, errlen) : NULL;
  hb_set_destroy(rounded);
  if (!s && !err[0]) snprintf(err, errlen, "нет памяти для шрифта %s", font->path);
  if (!s) return false;
  out->subset = s;
  out->glyphs = s->glyphs;
  out->codes = s->codes;
  out->objects.subset = s;
  out->dict = write_objects(pdf, &out->objects);
  if (!out->dict) {
    snprintf(err, errlen, "не удалось записать шрифт %s в PDF", font->path);
    pdf_font_release(out);
    return false;
  }
  return true;
}

void pdf_font_release(PdfFont *font) {
  subset_unref(font->subset);
  *font = (PdfFont){0};
}
