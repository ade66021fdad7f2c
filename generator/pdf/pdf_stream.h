/*
 * pdf_stream: the bytes of a PDF stream (a page's content, a font file, a ToUnicode map) built
 * in memory and deflated here rather than by libharu.
 *
 * Why: libharu deflates every stream at zlib's default level 6 (hard-coded in its
 * HPDF_Stream_WriteToStreamWithDeflate; HPDF_SetCompressionMode chooses only which streams,
 * its BEST_SPEED/BEST_COMPRESS modes are commented out in hpdf_consts.h) with a new z_stream
 * (a 256 KB state, allocated and cleared) for each stream. That was 28 % of a 40-row
 * roadmap's render. Here libdeflate does it (the zlib format, as /FlateDecode reads it) with
 * one compressor a level for the whole process, and a font's deflated bytes can be kept and
 * written again (pdf_font.c). libdeflate compresses a buffer whole, which is all a PDF's
 * stream is here: on a roadmap's page content it took 46 % fewer instructions than zlib at
 * level 2 for 8 % fewer bytes (its level 1), on a font subset 60 % fewer for the same bytes. A
 * page's content, deflated anew in every document, now goes to igzip (PDF_DEFLATE_LEVEL).
 *
 * libharu writes a stream's /Filter from its own filter flags and removes one it did not set,
 * so a stream written here keeps libharu's flags at "none" and its dictionary gets
 * /Filter /FlateDecode from a write hook (HPDF_Dict's write_fn, which libharu calls inside
 * the dictionary).
 */
#ifndef NASTAVNIK_PDF_STREAM_H
#define NASTAVNIK_PDF_STREAM_H

#include <hpdf.h>
#include <hpdf_objects.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* The level of a page's content, chosen by measurement on a roadmap's three content streams
 * (39 KB; callgrind, per compression): zlib level 2 (the level before libdeflate) 2.05 M
 * instructions for 8,692 bytes, libdeflate level 1 1.12 M for 8,007, level 2 1.91 M for 7,711,
 * level 4 2.04 M for 7,227. Level 1 is deflated by igzip's level 0 (zip/igzip.h), as a DOCX's
 * filled parts are: fewer instructions still, for a few per cent more bytes. */
enum { PDF_DEFLATE_LEVEL = 1 };

/* A font subset's streams are deflated once for all the documents of the process that draw
 * with it (pdf_font.c), so they get more effort: libdeflate level 9, 1.33 M instructions for a
 * consent's three subsets (12.8 KB) against 0.74 M at level 1, for 1.6 % fewer bytes (level 12:
 * 5.3 M, 2.4 %). */
enum { PDF_DEFLATE_KEPT = 9 };

/* A growing byte buffer; failed is set (and stays) when memory ran out. */
typedef struct {
  char *data;
  size_t len, cap;
  bool failed;
} PdfBytes;

/* Appends n bytes: inline while they fit (a PDF's save is ~400 writes, most of a few bytes),
 * else by pdf_bytes_put_grown (16 KB at first, then doubled). */
void pdf_bytes_put_grown(PdfBytes *b, const char *s, size_t n);
static inline void pdf_bytes_put(PdfBytes *b, const char *s, size_t n) {
  if (!b->failed && n <= b->cap - b->len) {
    memcpy(b->data + b->len, s, n);
    b->len += n;
    return;
  }
  pdf_bytes_put_grown(b, s, n);
}
void pdf_bytes_free(PdfBytes *b);

/* Room for n more bytes at the end, written by the caller, who then adds what it wrote to
 * len: a content stream's operators go straight in, without a buffer between. NULL when
 * memory ran out (b->failed). */
char *pdf_bytes_reserve_grown(PdfBytes *b, size_t n);
static inline char *pdf_bytes_reserve(PdfBytes *b, size_t n) {
  if (!b->failed && n <= b->cap - b->len) return b->data + b->len;
  return pdf_bytes_reserve_grown(b, n);
}

/* data deflated at level (PDF_DEFLATE_LEVEL or PDF_DEFLATE_KEPT) into *out (memory_alloc'd,
 * *out_len bytes). False when memory ran out. */
bool pdf_deflate(const void *data, size_t len, int level, unsigned char **out, size_t *out_len);

/* Writes already deflated bytes as the stream of dict (made by HPDF_DictStream_New) and marks
 * it /FlateDecode. */
bool pdf_stream_put_deflated(HPDF_Dict dict, const void *deflated, size_t len);

/* Deflates len bytes at data into the stream of dict, marked /FlateDecode. */
bool pdf_stream_put(HPDF_Dict dict, const void *data, size_t len);

#endif
