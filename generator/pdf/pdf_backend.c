/* pdf_backend: see pdf_backend.h. */
#include "pdf/pdf_backend.h"

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "layout/utf8.h"
#include "pdf/pdf_font.h"

typedef struct {
  HPDF_STATUS error, detail;
} Errors;

static void on_error(HPDF_STATUS error, HPDF_STATUS detail, void *user) {
  Errors *e = user;
  if (!e->error) {
    e->error = error;
    e->detail = detail;
  }
}

/* A UTF-8 string as a PDF text string: UTF-16BE with a byte order mark, written as hex. */
static void set_info_text(HPDF_Doc pdf, const char *key, const char *utf8) {
  if (!utf8 || !*utf8) return;
  size_t len = strlen(utf8);
  unsigned char *buf = malloc(2 + len * 4);
  if (!buf) return;
  size_t n = 0;
  buf[n++] = 0xFE;
  buf[n++] = 0xFF;
  for (size_t i = 0; i < len;) {
    uint32_t cp;
    i += utf8_decode(utf8 + i, len - i, &cp);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      uint32_t hi = 0xD800 + (cp >> 10), lo = 0xDC00 + (cp & 0x3FF);
      buf[n++] = (unsigned char)(hi >> 8);
      buf[n++] = (unsigned char)hi;
      buf[n++] = (unsigned char)(lo >> 8);
      buf[n++] = (unsigned char)lo;
    } else {
      buf[n++] = (unsigned char)(cp >> 8);
      buf[n++] = (unsigned char)cp;
    }
  }
  HPDF_Binary value = HPDF_Binary_New(pdf->mmgr, buf, (HPDF_UINT)n);
  if (value) HPDF_Dict_Add(pdf->info, key, value);
  free(buf);
}

static void write_info(HPDF_Doc pdf, const PdfInfo *info) {
  /* libharu creates the info dictionary on first use; an ASCII producer makes it exist. */
  HPDF_SetInfoAttr(pdf, HPDF_INFO_PRODUCER, "nastavnik " NASTAVNIK_VERSION " (libharu)");
  if (!pdf->info) return;
  set_info_text(pdf, "Title", info->title);
  set_info_text(pdf, "Author", info->author);
  set_info_text(pdf, "Subject", info->subject);
  set_info_text(pdf, "Keywords", info->keywords);
  set_info_text(pdf, "Creator", info->creator);
  if (info->year > 0) {
    HPDF_Date date = {.year = info->year, .month = info->month, .day = info->day, .ind = 'Z'};
    HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, date);
    HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, date);
  }
  /* No libharu API for the catalog's /Lang; the catalog is a plain dictionary. */
  if (info->language && *info->language) {
    HPDF_String lang = HPDF_String_New(pdf->mmgr, info->language, NULL);
    if (lang) HPDF_Dict_Add(pdf->catalog, "Lang", lang);
  }
}

/* libharu 2.3.0 gives UTF-8 fonts a ToUnicode CMap with a "cidrange" (invalid there; poppler
 * warns on every page). Codes in the content are the characters' own UTF-16 values, so the
 * right map is the identity on the characters used: rewrite the stream as bfchar entries. */
static void fix_to_unicode(HPDF_Font font, const hb_set_t *used) {
  HPDF_Dict map = HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT);
  if (!map || !map->stream) return;
  HPDF_Stream s = map->stream;
  HPDF_MemStream_FreeData(s);
  HPDF_Stream_WriteStr(s,
                       "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                       "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                       "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                       "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
  hb_codepoint_t cp = HB_SET_VALUE_INVALID;
  uint32_t batch[100];
  size_t n = 0;
  char line[64];
  for (bool more = true; more;) {
    more = hb_set_next(used, &cp);
    if (more && cp < 0x10000) batch[n++] = cp;
    if (n == 100 || (!more && n > 0)) {
      snprintf(line, sizeof line, "%zu beginbfchar\n", n);
      HPDF_Stream_WriteStr(s, line);
      for (size_t i = 0; i < n; i++) {
        snprintf(line, sizeof line, "<%04X> <%04X>\n", (unsigned)batch[i], (unsigned)batch[i]);
        HPDF_Stream_WriteStr(s, line);
      }
      HPDF_Stream_WriteStr(s, "endbfchar\n");
      n = 0;
    }
  }
  HPDF_Stream_WriteStr(s, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
}

/* libharu's UTF-8 path maps CIDs (= UTF-16 code units) to glyphs with a CIDToGIDMap covering
 * all 65536 codes: 128 KB a font, deflated on every save — most of a small document's render
 * time. Codes above the highest character used never occur, so the map is cut there (a
 * shorter map is valid: codes beyond it go to glyph 0, and none is drawn). */
static void trim_cid_map(HPDF_Font font, const hb_set_t *used) {
  HPDF_Array descendants = HPDF_Dict_GetItem(font, "DescendantFonts", HPDF_OCLASS_ARRAY);
  if (!descendants) return;
  HPDF_Dict cid_font = HPDF_Array_GetItem(descendants, 0, HPDF_OCLASS_DICT);
  if (!cid_font) return;
  HPDF_Dict map = HPDF_Dict_GetItem(cid_font, "CIDToGIDMap", HPDF_OCLASS_DICT);
  if (!map || !map->stream) return;
  hb_codepoint_t last = hb_set_get_max(used);
  if (last == HB_SET_VALUE_INVALID || last >= 0xFFFF) return;
  HPDF_UINT32 keep = (last + 1) * 2, size = HPDF_Stream_Size(map->stream);
  if (keep >= size) return;
  HPDF_BYTE *bytes = malloc(keep);
  if (!bytes) return;
  HPDF_UINT got = keep;
  if (HPDF_Stream_Seek(map->stream, 0, HPDF_SEEK_SET) == HPDF_OK &&
      HPDF_Stream_Read(map->stream, bytes, &got) == HPDF_OK && got == keep) {
    HPDF_MemStream_FreeData(map->stream);
    HPDF_Stream_Write(map->stream, bytes, keep);
  }
  free(bytes);
}

static bool draw_page(HPDF_Doc pdf, const DisplayPage *dp, HPDF_Font fonts[FACE_COUNT]) {
  HPDF_Page page = HPDF_AddPage(pdf);
  if (!page) return false;
  HPDF_Page_SetWidth(page, (HPDF_REAL)dp->width);
  HPDF_Page_SetHeight(page, (HPDF_REAL)dp->height);
  double h = dp->height;
  /* Rules first, in one path per thickness, then all text in one text object. */
  double width = -1;
  bool open = false;
  for (size_t i = 0; i < dp->nops; i++) {
    const DrawOp *op = &dp->ops[i];
    if (op->kind != OP_RULE) continue;
    if (op->width != width) {
      if (open) HPDF_Page_Stroke(page);
      HPDF_Page_SetLineWidth(page, (HPDF_REAL)op->width);
      width = op->width;
    }
    HPDF_Page_MoveTo(page, (HPDF_REAL)op->x, (HPDF_REAL)(h - op->y));
    HPDF_Page_LineTo(page, (HPDF_REAL)op->x2, (HPDF_REAL)(h - op->y2));
    open = true;
  }
  if (open) HPDF_Page_Stroke(page);
  HPDF_Page_BeginText(page);
  int face = -1;
  double size = -1;
  char small[256];
  for (size_t i = 0; i < dp->nops; i++) {
    const DrawOp *op = &dp->ops[i];
    if (op->kind != OP_TEXT || op->len == 0) continue;
    if ((int)op->face != face || op->size != size) {
      face = (int)op->face;
      size = op->size;
      HPDF_Page_SetFontAndSize(page, fonts[face], (HPDF_REAL)size);
    }
    /* libharu wants NUL-terminated text; fragments point into the source runs. */
    char *text = op->len < sizeof small ? small : malloc(op->len + 1);
    if (!text) return false;
    memcpy(text, op->text, op->len);
    text[op->len] = '\0';
    HPDF_Page_TextOut(page, (HPDF_REAL)op->x, (HPDF_REAL)(h - op->y), text);
    if (text != small) free(text);
  }
  HPDF_Page_EndText(page);
  return true;
}

bool pdf_render(const Display *d, LayoutFont *const fonts[FACE_COUNT], const PdfInfo *info,
                char **out, size_t *out_len, char *err, size_t errlen) {
  Errors errors = {0};
  HPDF_Doc pdf = HPDF_New(on_error, &errors);
  if (!pdf) {
    snprintf(err, errlen, "libharu: нет памяти");
    return false;
  }
  HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
  HPDF_UseUTFEncodings(pdf);
  HPDF_SetCurrentEncoder(pdf, "UTF-8");
  bool ok = true;
  /* The characters each face draws; faces sharing a font file share one subset. */
  hb_set_t *sets[FACE_COUNT] = {0};
  int owner[FACE_COUNT], fds[FACE_COUNT];
  HPDF_Font hfonts[FACE_COUNT] = {0};
  for (int f = 0; f < FACE_COUNT; f++) {
    owner[f] = f;
    fds[f] = -1;
    for (int g = 0; g < f; g++) {
      if (fonts[g] == fonts[f]) {
        owner[f] = owner[g];
        break;
      }
    }
    sets[f] = hb_set_create();
  }
  for (size_t p = 0; p < d->npages; p++) {
    const DisplayPage *dp = &d->pages[p];
    for (size_t i = 0; i < dp->nops; i++) {
      const DrawOp *op = &dp->ops[i];
      if (op->kind != OP_TEXT) continue;
      for (size_t k = 0; k < op->len;) {
        uint32_t cp;
        k += utf8_decode(op->text + k, op->len - k, &cp);
        hb_set_add(sets[owner[op->face]], cp);
      }
    }
  }
  for (int f = 0; f < FACE_COUNT && ok; f++) {
    if (owner[f] != f || hb_set_is_empty(sets[f])) continue;
    const char *name = pdf_font_embed(pdf, fonts[f], sets[f], &fds[f], err, errlen);
    if (!name) {
      ok = false;
      break;
    }
    hfonts[f] = HPDF_GetFont(pdf, name, "UTF-8");
    if (!hfonts[f]) {
      snprintf(err, errlen, "libharu не смог подключить шрифт %s", fonts[f]->path);
      ok = false;
    } else {
      fix_to_unicode(hfonts[f], sets[f]);
      trim_cid_map(hfonts[f], sets[f]);
    }
  }
  for (int f = 0; f < FACE_COUNT; f++) hfonts[f] = hfonts[owner[f]];
  for (size_t p = 0; p < d->npages && ok; p++) ok = draw_page(pdf, &d->pages[p], hfonts);
  if (ok) write_info(pdf, info);
  if (ok && !errors.error && HPDF_SaveToStream(pdf) == HPDF_OK) {
    HPDF_UINT32 size = HPDF_GetStreamSize(pdf);
    char *buf = malloc(size ? size : 1);
    HPDF_UINT32 got = size;
    if (!buf) {
      snprintf(err, errlen, "нет памяти для PDF");
      ok = false;
    } else {
      HPDF_ResetStream(pdf);
      HPDF_STATUS st = HPDF_ReadFromStream(pdf, (HPDF_BYTE *)buf, &got);
      if ((st != HPDF_OK && st != HPDF_STREAM_EOF) || got != size) {
        free(buf);
        ok = false;
        snprintf(err, errlen, "libharu: не удалось прочитать готовый PDF");
      } else {
        *out = buf;
        *out_len = got;
      }
    }
  } else if (ok) {
    ok = false;
  }
  if (!ok && errors.error && err[0] == '\0') {
    snprintf(err, errlen, "libharu: ошибка 0x%04X (подробность %u)", (unsigned)errors.error,
             (unsigned)errors.detail);
  } else if (!ok && err[0] == '\0') {
    snprintf(err, errlen, "libharu: не удалось собрать PDF");
  }
  HPDF_Free(pdf);
  for (int f = 0; f < FACE_COUNT; f++) {
    if (fds[f] >= 0) close(fds[f]);
    hb_set_destroy(sets[f]);
  }
  return ok;
}
