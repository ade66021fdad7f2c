/*
 * pdf_stream: the bytes of a PDF stream (a page's content, a font file, a ToUnicode map) built
 * in memory and deflated here rather than by libharu.
 *
 * Why: libharu deflates every stream at zlib's default level 6 (hard-coded in its
 * HPDF_Stream_WriteToStreamWithDeflate; HPDF_SetCompressionMode chooses only which streams,
 * its BEST_SPEED/BEST_COMPRESS modes are commented out in hpdf_consts.h) with a new z_stream
 * (a 256 KB state, allocated and cleared) for each stream. That was 28 % of a 40-row
 * roadmap's render. Here one z_stream serves the whole process (reset, not re-made: the
 * generator is single-threaded, workers are processes) at PDF_DEFLATE_LEVEL, and a font's
 * deflated bytes can be kept and written again (pdf_font.c).
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

/* zlib's level for every stream, chosen by measurement on the 40-row roadmap's five content
 * streams (58 KB with glyph ids as binary strings; best of five runs): level 6 deflated them
 * in 1.75 ms, level 4 in 0.70 ms, level 3 in 0.61 ms, level 2 in 0.38 ms, level 1 in 0.37 ms.
 * Level 2 makes the roadmap's PDF 5.9 % bigger than level 4 (30,950 bytes, not 29,216), the
 * order's 2.1 %, the samples' 253 PDFs 2.2 %; level 1 adds as much again for no time. */
enum { PDF_DEFLATE_LEVEL = 2 };

/* A font subset's streams are deflated once for all the documents of the process that draw
 * with it (pdf_font.c), so they get zlib's best: 1.5 % smaller PDFs of a region for 0.3 % more
 * instructions of its PDF build. */
enum { PDF_DEFLATE_KEPT = 9 };

/* A growing byte buffer; failed is set (and stays) when memory ran out. */
typedef struct {
  char *data;
  size_t len, cap;
  bool failed;
} PdfBytes;

void pdf_bytes_put(PdfBytes *b, const char *s, size_t n);
void pdf_bytes_free(PdfBytes *b);

/* data deflated at level (PDF_DEFLATE_LEVEL or PDF_DEFLATE_KEPT) into *out (memory_alloc'd,
 * *out_len bytes). False when memory ran out. */
bool pdf_deflate(const void *data, size_t len, int level, unsigned char **out, size_t *out_len);

/* Writes already deflated bytes as the stream of dict (made by HPDF_DictStream_New) and marks
 * it /FlateDecode. */
bool pdf_stream_put_deflated(HPDF_Dict dict, const void *deflated, size_t len);

/* Deflates len bytes at data into the stream of dict, marked /FlateDecode. */
bool pdf_stream_put(HPDF_Dict dict, const void *data, size_t len);

#endif
