/* pdf_backend: see pdf_backend.h. */
#include "pdf/pdf_backend.h"

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout/arena.h"
#include "layout/utf8.h"
#include "memory.h"
#include "pdf/pdf_font.h"
#include "pdf/pdf_stream.h"

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

enum { SAVE_ROOM = 48 * 1024 };

/* Everything libharu allocates for a document comes from this arena and goes back at once when
 * the document is done: libharu's objects hold nothing but its own memory (our streams' bytes
 * and the font subsets are ours), so HPDF_Free, which walked every object to free its pieces one
 * by one, is not called, and a free is nothing. Its ~260 mallocs and frees a document and
 * HPDF_Free were 0.9 % of a region-20 PDF build (callgrind). 16-byte aligned, unlike libharu's
 * own pool (misaligned in Debian's build). Process-wide: a document is rendered at a time. */
static Arena harus;

static void *haru_alloc(HPDF_UINT size) {
  return arena_alloc_uncleared(&harus, size);
}

static void haru_free(void *p) {
  (void)p;
}

/* The writer stream's write: the PDF's bytes appended to its buffer (a PdfBytes). */
static HPDF_STATUS save_write(HPDF_Stream stream, const HPDF_BYTE *ptr, HPDF_UINT size) {
  PdfBytes *b = stream->attr;
  pdf_bytes_put(b, (const char *)ptr, size);
  return b->failed ? HPDF_FAILD_TO_ALLOC_MEM : HPDF_OK;
}

/* The information dictionary's entries after the producer, as libharu wrote them from its
 * objects (the same bytes), made here at once and written by the dictionary's write_fn (after
 * its one element, the producer): a text string (HPDF_Binary) written a byte at a time in hex,
 * five of them a document with their names and the dates, were 0.5 % of a region-20 PDF build
 * (callgrind). */
typedef struct {
  char *data;
  size_t len;
} InfoEntries;

static HPDF_STATUS write_info_entries(HPDF_Dict dict, HPDF_Stream out) {
  const InfoEntries *e = dict->attr;
  return HPDF_Stream_Write(out, (const HPDF_BYTE *)e->data, (HPDF_UINT)e->len);
}

/* Room for put_text's entry of utf8 under key. */
static size_t text_room(const char *key, const char *utf8) {
  return utf8 ? strlen(key) + 16 + 4 * strlen(utf8) : 0; /* 4 hex digits a byte at most */
}

/* The entry of a UTF-8 string as a PDF text string, UTF-16BE with a byte order mark in hex
 * ("/Title <FEFF...>"), at o; nothing for an empty one. Returns the end. */
static char *put_text(char *o, const char *key, const char *utf8) {
  if (!utf8 || !*utf8) return o;
  static const char HEX[] = "0123456789ABCDEF";
  size_t key_len = strlen(key), len = strlen(utf8);
  *o++ = '/';
  memcpy(o, key, key_len);
  o += key_len;
  memcpy(o, " <FEFF", 6);
  o += 6;
  for (size_t i = 0; i < len;) {
    uint32_t cp;
    i += utf8_decode(utf8 + i, len - i, &cp);
    uint32_t units[2] = {cp, 0};
    int n = 1;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      units[0] = 0xD800 + (cp >> 10);
      units[1] = 0xDC00 + (cp & 0x3FF);
      n = 2;
    }
    for (int k = 0; k < n; k++, o += 4) {
      o[0] = HEX[units[k] >> 12 & 15];
      o[1] = HEX[units[k] >> 8 & 15];
      o[2] = HEX[units[k] >> 4 & 15];
      o[3] = HEX[units[k] & 15];
    }
  }
  memcpy(o, ">\012", 2);
  return o + 2;
}

/* The date libharu set as element `key` of the info dictionary (its format, its checks), moved
 * to the entries at o, after the texts as before. Returns the end. */
static char *move_date(HPDF_Dict info, const char *key, char *o) {
  HPDF_String date = HPDF_Dict_GetItem(info, key, HPDF_OCLASS_STRING);
  if (!date || date->len > 32) return o; /* (not set: libharu reported why) */
  o += sprintf(o, "/%s (%.*s)\012", key, (int)date->len, (const char *)date->value);
  HPDF_Dict_RemoveElement(info, key);
  return o;
}

/* False when out of memory. */
static bool write_info(HPDF_Doc pdf, const PdfInfo *info) {
  /* libharu creates the info dictionary on first use; an ASCII producer makes it exist. */
  HPDF_SetInfoAttr(pdf, HPDF_INFO_PRODUCER, "nastavnik " NASTAVNIK_VERSION " (libharu)");
  if (!pdf->info) return true; /* libharu's error handler has the reason */
  static const char *const KEYS[] = {"Title", "Author", "Subject", "Keywords", "Creator"};
  const char *values[] = {info->title, info->author, info->subject, info->keywords, info->creator};
  size_t room = 2 * 64; /* the dates */
  for (size_t k = 0; k < 5; k++) room += text_room(KEYS[k], values[k]);
  InfoEntries *e = haru_alloc(sizeof *e);
  char *o = e ? haru_alloc((HPDF_UINT)room) : NULL;
  if (!o) return false;
  e->data = o;
  for (size_t k = 0; k < 5; k++) o = put_text(o, KEYS[k], values[k]);
  if (info->year > 0) {
    HPDF_Date date = {.year = info->year, .month = info->month, .day = info->day, .ind = 'Z'};
    HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, date);
    HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, date);
    o = move_date(pdf->info, "CreationDate", o);
    o = move_date(pdf->info, "ModDate", o);
  }
  e->len = (size_t)(o - e->data);
  pdf->info->attr = e;
  pdf->info->write_fn = write_info_entries;
  /* No libharu API for the catalog's /Lang; the catalog is a plain dictionary. */
  if (info->language && *info->language) {
    HPDF_String lang = HPDF_String_New(pdf->mmgr, info->language, NULL);
    if (lang) HPDF_Dict_Add(pdf->catalog, "Lang", lang);
  }
  return true;
}

/* An object's number in a reference ("N 0 R"): libharu's number without its flags. */
static unsigned object_number(const void *object) {
  return ((const HPDF_Obj_Header *)object)->obj_id & 0x00FFFFFF;
}

/* A page's entries after its type and media box, as libharu wrote them from its objects (the
 * same bytes): its contents, then its resources — the procedure set libharu gives every page,
 * /F0../F3 for the faces (shared objects, referenced) — and its parent, which are the same for
 * every page of the document being saved (one at a time: see harus), made once a document.
 * Written by the page's write_fn, after its two elements left (its own elements for these
 * removed): as objects, the resources' two nested dictionaries and the procedure set's five
 * names, written one by one, were 0.3 % of a region-20 PDF build (callgrind). */
static struct {
  char text[320];
  size_t len;
} page_tail;

static void make_page_tail(HPDF_Doc pdf, PdfFont *fonts[FACE_COUNT]) {
  char *o = page_tail.text;
  o += sprintf(o,
               "/Resources <<\012/ProcSet [ /PDF /Text /ImageB /ImageC /ImageI ]\012/Font <<\012");
  for (int f = 0; f < FACE_COUNT; f++)
    if (fonts[f] && fonts[f]->dict)
      o += sprintf(o, "/F%d %u 0 R\012", f, object_number(fonts[f]->dict));
  o += sprintf(o, ">>\012>>\012/Parent %u 0 R\012", object_number(pdf->cur_pages));
  page_tail.len = (size_t)(o - page_tail.text);
}

static HPDF_STATUS write_page_tail(HPDF_Dict page, HPDF_Stream out) {
  char contents[40];
  int n = snprintf(contents, sizeof contents, "/Contents %u 0 R\012",
                   object_number(((HPDF_PageAttr)page->attr)->contents));
  HPDF_STATUS st = HPDF_Stream_Write(out, (const HPDF_BYTE *)contents, (HPDF_UINT)n);
  return st == HPDF_OK
             ? HPDF_Stream_Write(out, (const HPDF_BYTE *)page_tail.text, (HPDF_UINT)page_tail.len)
             : st;
}

/* The character a code point is printed as. A no-break space has done its work in layout
 * (nothing broke there); printed as a plain space it reads back as one, whereas text
 * extraction drops U+00A0 between words ("№4"). Both are a quarter em wide. */
static inline uint32_t printed(uint32_t cp) {
  return cp == 0xA0 ? 0x20 : cp;
}

/* "00".."99": two digits at a time. */
static const char DIGIT_PAIRS[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* A number for the content stream: two decimals, no locale (a comma would break the PDF),
 * no printf (formatting numbers was a tenth of the render time). A page's numbers are under
 * 1000 points: their digits go by pairs, without a division a digit. */
__attribute__((always_inline)) static inline int put_number(char *out, double v) {
  long long c = (long long)(v * 100 + (v < 0 ? -0.5 : 0.5));
  int n = 0;
  if (c < 0) {
    out[n++] = '-';
    c = -c;
  }
  if (c < 100000) { /* under 1000 points (a page's): in 32 bits, hundreds first */
    unsigned x = (unsigned)c, whole = x / 100, cents = x - whole * 100;
    if (whole >= 100) {
      unsigned hundreds = whole / 100;
      out[n++] = (char)('0' + hundreds);
      memcpy(out + n, DIGIT_PAIRS + 2 * (whole - hundreds * 100), 2);
      n += 2;
    } else if (whole >= 10) {
      memcpy(out + n, DIGIT_PAIRS + 2 * whole, 2);
      n += 2;
    } else {
      out[n++] = (char)('0' + whole);
    }
    out[n++] = '.';
    memcpy(out + n, DIGIT_PAIRS + 2 * cents, 2);
    return n + 2;
  }
  unsigned long long whole = (unsigned long long)c / 100;
  unsigned cents = (unsigned)((unsigned long long)c % 100);
  char digits[24];
  int k = 0;
  do {
    digits[k++] = (char)('0' + whole % 10);
    whole /= 10;
  } while (whole > 0);
  while (k > 0) out[n++] = digits[--k];
  out[n++] = '.';
  memcpy(out + n, DIGIT_PAIRS + 2 * cents, 2);
  return n + 2;
}

/* Inlined with a literal: a copy of known length. */
static inline int put_str(char *out, const char *s) {
  size_t n = strlen(s);
  memcpy(out, s, n);
  return (int)n;
}

/* Text goes straight into the content stream as glyph ids of the subsets (libharu's text
 * functions would re-measure every string through its own cmap lookup). Its characters come
 * decoded from *text (text_points: a count, then the code points, for each text operation).
 * Each operation is written in place at the stream's end, in room made for it at once (its
 * operators and four bytes a glyph at most), not through a buffer checked at every glyph. */
static void draw_text(PdfBytes *s, const DisplayPage *dp, PdfFont *fonts[FACE_COUNT],
                      const uint32_t **text) {
  pdf_bytes_put(s, "BT\n", 3);
  int face = -1;
  double size = -1;
  const uint32_t *at = *text;
  for (size_t i = 0; i < dp->nops; i++) {
    const DrawOp *op = &dp->ops[i];
    if (op->kind != OP_TEXT) continue;
    uint32_t count = *at++;
    if (count == 0) continue; /* (an empty text) */
    /* three numbers of at most 24 characters each and 40 of operators */
    char *out = pdf_bytes_reserve(s, 128 + 4 * (size_t)count);
    if (!out) { /* (failed: nothing more is written) */
      at += count;
      continue;
    }
    char *o = out;
    if ((int)op->face != face || op->size != size) {
      face = (int)op->face;
      size = op->size;
      o += put_str(o, "/F");
      *o++ = (char)('0' + face);
      *o++ = ' ';
      o += put_number(o, size);
      o += put_str(o, " Tf\n");
    }
    o += put_str(o, "1 0 0 1 ");
    o += put_number(o, op->x);
    *o++ = ' ';
    o += put_number(o, dp->height - op->y);
    o += put_str(o, " Tm (");
    const PdfFont *font = fonts[face];
    /* (the codes' address held here: stores through o would make it read again) */
    const PdfGlyphCode *codes = font->codes;
    /* (8 bytes a code at most: within the reserved 128) */
    for (const uint32_t *end = at + count; at < end; at++)
      o += pdf_font_put_glyph(font, codes, *at, o);
    o += put_str(o, ") Tj\n");
    s->len += (size_t)(o - out);
  }
  *text = at;
  pdf_bytes_put(s, "ET\n", 3);
}

/* Table rules: straight into the content stream like the text, one path per thickness. */
static void draw_rules(PdfBytes *s, const DisplayPage *dp) {
  double width = -1;
  bool open = false;
  char buf[160];
  for (size_t i = 0; i < dp->nops; i++) {
    const DrawOp *op = &dp->ops[i];
    if (op->kind != OP_RULE) continue;
    int n = 0;
    if (op->width != width) {
      if (open) n += put_str(buf + n, "S\n");
      n += put_number(buf + n, op->width);
      n += put_str(buf + n, " w\n");
      width = op->width;
    }
    /* A rule is vertical or horizontal: the coordinate its ends share is formatted once. */
    int x = n, x_len = put_number(buf + n, op->x);
    n += x_len;
    buf[n++] = ' ';
    int y = n, y_len = put_number(buf + n, dp->height - op->y);
    n += y_len;
    n += put_str(buf + n, " m ");
    if (op->x2 == op->x) {
      memcpy(buf + n, buf + x, (size_t)x_len);
      n += x_len;
    } else {
      n += put_number(buf + n, op->x2);
    }
    buf[n++] = ' ';
    if (op->y2 == op->y) {
      memcpy(buf + n, buf + y, (size_t)y_len);
      n += y_len;
    } else {
      n += put_number(buf + n, dp->height - op->y2);
    }
    n += put_str(buf + n, " l\n");
    pdf_bytes_put(s, buf, (size_t)n);
    open = true;
  }
  if (open) pdf_bytes_put(s, "S\n", 2);
}

/* Filled rectangles (a QR code's modules): one path, filled once, so neighbouring modules
 * join without a seam. Nothing at all on a page without them. */
static void draw_rects(PdfBytes *s, const DisplayPage *dp) {
  if (dp->nrects == 0) return;
  bool open = false;
  char buf[160];
  for (size_t i = 0; i < dp->nops; i++) {
    const DrawOp *op = &dp->ops[i];
    if (op->kind != OP_RECT) continue;
    int n = 0;
    n += put_number(buf + n, op->x);
    buf[n++] = ' ';
    n += put_number(buf + n, dp->height - op->y2);
    buf[n++] = ' ';
    n += put_number(buf + n, op->x2 - op->x);
    buf[n++] = ' ';
    n += put_number(buf + n, op->y2 - op->y);
    n += put_str(buf + n, " re\n");
    pdf_bytes_put(s, buf, (size_t)n);
    open = true;
  }
  if (open) pdf_bytes_put(s, "f\n", 2);
}

/* content: the page's content stream, built here (reused page to page), deflated into the
 * page by pdf_stream. */
static bool draw_page(HPDF_Doc pdf, const DisplayPage *dp, PdfFont *fonts[FACE_COUNT],
                      PdfBytes *content, const uint32_t **text) {
  HPDF_Page page = HPDF_AddPage(pdf);
  if (!page) return false;
  HPDF_Page_SetWidth(page, (HPDF_REAL)dp->width);
  HPDF_Page_SetHeight(page, (HPDF_REAL)dp->height);
  /* Its contents, resources and parent are written by write_page_tail (see page_tail). */
  if (HPDF_Dict_RemoveElement(page, "Contents") != HPDF_OK ||
      HPDF_Dict_RemoveElement(page, "Resources") != HPDF_OK ||
      HPDF_Dict_RemoveElement(page, "Parent") != HPDF_OK)
    return false;
  page->write_fn = write_page_tail;
  /* Rules first, in one path per thickness, then all text in one text object. */
  content->len = 0;
  draw_rules(content, dp);
  draw_rects(content, dp);
  draw_text(content, dp, fonts, text);
  return !content->failed &&
         pdf_stream_put(((HPDF_PageAttr)page->attr)->contents, content->data, content->len);
}

/* The characters of d's text operations, page by page, as they are printed: for each, their
 * count, then their code points. In a buffer the process keeps (grown to the largest
 * document); NULL when memory ran out. Decoding the UTF-8 once for the fonts' subsets and
 * again for drawing was a twentieth of a PDF (callgrind). Each character is marked too in the
 * set of the face (its owner's: faces sharing a font share a set) that draws it: below
 * PDF_FONT_DIRECT (all a Russian text has) in a table, whose characters go into the sets at
 * the end (hb_set_add for every character drawn was 1.3 % of a region's PDF build). */
static uint32_t *text_points(const Display *d, const int owner[FACE_COUNT],
                             hb_set_t *sets[FACE_COUNT]) {
  /* a byte a character: one store where a bit took a load, a shift and a store */
  static unsigned char direct[FACE_COUNT][PDF_FONT_DIRECT];
  memset(direct, 0, sizeof direct);
  static uint32_t *buffer;
  static size_t capacity;
  size_t need = 1 + d->text_need; /* (a buffer even for a document without text) */
  if (need > capacity) {
    uint32_t *grown = memory_realloc(buffer, need * sizeof *grown);
    if (!grown) return NULL;
    buffer = grown;
    capacity = need;
  }
  uint32_t *at = buffer;
  for (size_t p = 0; p < d->npages; p++) {
    const DisplayPage *dp = &d->pages[p];
    for (size_t i = 0; i < dp->nops; i++) {
      const DrawOp *op = &dp->ops[i];
      if (op->kind != OP_TEXT) continue;
      int f = owner[op->face];
      unsigned char *seen = direct[f];
      uint32_t *count = at++;
      const unsigned char *u = (const unsigned char *)op->text, *end = u + op->len;
      while (u < end) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        /* Two Cyrillic letters (U+0400..U+04FF, most of a Russian text) tested and decoded at
         * once from one load: a fifth of the loop's instructions less (callgrind). */
        uint32_t pair;
        if (end - u >= 4 && (memcpy(&pair, u, 4), (pair & 0xC0FCC0FCu) == 0x80D080D0u)) {
          uint32_t a = ((pair & 0x1F) << 6) | ((pair >> 8) & 0x3F);
          uint32_t b = ((pair >> 10) & 0x7C0) | (pair >> 24 & 0x3F);
          at[0] = a;
          at[1] = b;
          at += 2;
          seen[a] = 1;
          seen[b] = 1;
          u += 4;
          continue;
        }
#endif
        uint32_t cp = *u;
        if (cp < 0x80) { /* ASCII, and a Cyrillic letter below, without utf8_decode's tests */
          u++;
        } else if (cp >= 0xD0 && cp <= 0xD3 && end - u >= 2 && (u[1] & 0xC0) == 0x80) {
          cp = ((cp & 0x1F) << 6) | (u[1] & 0x3F); /* U+0400..U+04FF */
          u += 2;
        } else {
          u += utf8_decode((const char *)u, (size_t)(end - u), &cp);
          cp = printed(cp);
          if (cp >= PDF_FONT_DIRECT) {
            *at++ = cp;
            hb_set_add(sets[f], cp);
            continue;
          }
        }
        *at++ = cp;
        seen[cp] = 1;
      }
      *count = (uint32_t)(at - count - 1);
    }
  }
  for (int f = 0; f < FACE_COUNT; f++) {
    for (uint32_t w = 0; w < PDF_FONT_DIRECT; w += 8) {
      uint64_t bytes;
      memcpy(&bytes, direct[f] + w, 8);
      if (!bytes) continue; /* eight characters not drawn */
      for (uint32_t k = 0; k < 8; k++)
        if (direct[f][w + k]) hb_set_add(sets[f], w + k);
    }
  }
  return buffer;
}

bool pdf_render(const Display *d, LayoutFont *const fonts[FACE_COUNT], const PdfInfo *info,
                char **out, size_t *out_len, char *err, size_t errlen) {
  Errors errors = {0};
  ArenaMark start = arena_mark(&harus);
  HPDF_Doc pdf = HPDF_NewEx(on_error, haru_alloc, haru_free, 0, &errors);
  if (!pdf) {
    arena_release(&harus, start);
    snprintf(err, errlen, "libharu: нет памяти");
    return false;
  }
  /* Every stream is deflated by pdf_stream (libharu's compression mode stays "none"). */
  bool ok = true;
  /* The characters each face draws; faces sharing a font file share one subset. */
  hb_set_t *sets[FACE_COUNT] = {0};
  int owner[FACE_COUNT];
  PdfFont embedded[FACE_COUNT] = {0};
  PdfFont *pfonts[FACE_COUNT] = {0};
  for (int f = 0; f < FACE_COUNT; f++) {
    owner[f] = f;
    for (int g = 0; g < f; g++) {
      if (fonts[g] == fonts[f]) {
        owner[f] = owner[g];
        break;
      }
    }
    sets[f] = hb_set_create();
  }
  uint32_t *points = text_points(d, owner, sets);
  if (!points) {
    snprintf(err, errlen, "нет памяти для PDF");
    ok = false;
  }
  for (int f = 0; f < FACE_COUNT && ok; f++) {
    if (owner[f] != f || hb_set_is_empty(sets[f])) continue;
    ok = pdf_font_embed(pdf, fonts[f], sets[f], &embedded[f], err, errlen);
  }
  /* Faces sharing a font file draw with its one subset, under each face's own name. */
  for (int f = 0; f < FACE_COUNT; f++)
    pfonts[f] = embedded[owner[f]].dict ? &embedded[owner[f]] : NULL;
  if (ok) make_page_tail(pdf, pfonts);
  PdfBytes content = {0};
  const uint32_t *text = points;
  for (size_t p = 0; p < d->npages && ok; p++)
    ok = draw_page(pdf, &d->pages[p], pfonts, &content, &text);
  pdf_bytes_free(&content);
  if (ok && !write_info(pdf, info)) {
    snprintf(err, errlen, "нет памяти для PDF");
    ok = false;
  }
  /* Saved straight into one buffer of ours through a writer stream, not into libharu's
   * memory stream (4 KB chunks, each write's bytes split across them) and then read out of it
   * again: 126 k small writes on region-5 (callgrind). HPDF_SaveToStream keeps a stream it is
   * given (in the arena, like the rest of the document: the data it writes to is ours). */
  PdfBytes saved = {0};
  if (ok && !errors.error) {
    /* room for region-5's largest (37 KB; a consent 23 KB): grown only past it */
    saved.data = memory_alloc(SAVE_ROOM);
    saved.cap = saved.data ? SAVE_ROOM : 0;
    if (!saved.data) snprintf(err, errlen, "нет памяти для PDF");
    pdf->stream = saved.data ? HPDF_CallbackWriter_New(pdf->mmgr, save_write, &saved) : NULL;
    if (!pdf->stream) ok = false;
  }
  if (ok && !errors.error && HPDF_SaveToStream(pdf) == HPDF_OK && !saved.failed) {
    *out = saved.data;
    *out_len = saved.len;
    saved = (PdfBytes){0};
  } else if (ok) {
    if (saved.failed) snprintf(err, errlen, "нет памяти для PDF");
    ok = false;
  }
  pdf_bytes_free(&saved);
  if (!ok && errors.error && err[0] == '\0') {
    snprintf(err, errlen, "libharu: ошибка 0x%04X (подробность %u)", (unsigned)errors.error,
             (unsigned)errors.detail);
  } else if (!ok && err[0] == '\0') {
    snprintf(err, errlen, "libharu: не удалось собрать PDF");
  }
  arena_release(&harus, start); /* the document's objects, all at once (see harus) */
  for (int f = 0; f < FACE_COUNT; f++) {
    if (owner[f] == f) pdf_font_release(&embedded[f]);
    hb_set_destroy(sets[f]);
  }
  return ok;
}
