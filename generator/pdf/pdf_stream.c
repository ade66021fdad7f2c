/* pdf_stream: see pdf_stream.h. */
#define _POSIX_C_SOURCE 200809L /* strnlen */
#include "pdf/pdf_stream.h"

#include <hpdf_streams.h>
#include <hpdf_utils.h>
#include <libdeflate.h>
#include <string.h>

#include "memory.h"
#include "zip/igzip.h"

/* libharu 2.3.0 moves every byte of a PDF through HPDF_MemCpy (hpdf_utils.c), a loop copying
 * one byte at a time: into a stream's buffer, from it into the document's, from that out to
 * us — 3.5 % of a region's PDF build (callgrind), 7 % once the font subsets are shared. The
 * library calls it through its PLT, so this definition in the program takes its place for
 * every caller: the same contract (n bytes from in to out, the end of out returned), at
 * memcpy's speed (memmove: defined even for buffers that overlap). */
HPDF_BYTE *HPDF_MemCpy(HPDF_BYTE *out, const HPDF_BYTE *in, HPDF_UINT n) {
  memmove(out, in, n);
  return out + n;
}

/* Its other byte loops, taken over the same way (each the library's contract, at libc's
 * speed): HPDF_MemSet zeroes every object it makes and a whole document as it frees it,
 * HPDF_StrLen measures every name and keyword it writes, HPDF_StrCpy copies them — 0.4 % of
 * region-5's instructions (callgrind), a ninth of libharu's part of a PDF. */
void *HPDF_MemSet(void *s, HPDF_BYTE c, HPDF_UINT n) {
  memset(s, c, n);
  return (HPDF_BYTE *)s + n; /* (the end, as libharu's returns) */
}

HPDF_UINT HPDF_StrLen(const char *s, HPDF_INT maxlen) {
  if (!s) return 0;
  return (HPDF_UINT)(maxlen < 0 ? strlen(s) : strnlen(s, (size_t)maxlen));
}

HPDF_BYTE *HPDF_StrCpy(char *out, const char *in, char *eptr) {
  size_t n = in && eptr > out ? strnlen(in, (size_t)(eptr - out)) : 0;
  if (n) memcpy(out, in, n);
  out[n] = 0;
  return (HPDF_BYTE *)out + n;
}

char *pdf_bytes_reserve_grown(PdfBytes *b, size_t n) {
  if (b->failed) return NULL;
  if (b->len + n > b->cap) {
    size_t cap = b->cap ? b->cap : 16384;
    while (cap < b->len + n) cap *= 2;
    char *grown = memory_realloc(b->data, cap);
    if (!grown) {
      b->failed = true;
      return NULL;
    }
    b->data = grown;
    b->cap = cap;
  }
  return b->data + b->len;
}

void pdf_bytes_put_grown(PdfBytes *b, const char *s, size_t n) {
  char *at = pdf_bytes_reserve_grown(b, n);
  if (!at) return;
  memcpy(at, s, n);
  b->len += n;
}

void pdf_bytes_free(PdfBytes *b) {
  memory_free(b->data);
  *b = (PdfBytes){0};
}

/* The process's compressors, one a level, made on first use and kept for good (the generator
 * is single-threaded, workers are processes). */
static struct libdeflate_compressor *compressor(int level) {
  static struct libdeflate_compressor *made[2];
  int i = level == PDF_DEFLATE_LEVEL ? 0 : 1;
  if (!made[i]) made[i] = libdeflate_alloc_compressor(level);
  return made[i];
}

bool pdf_deflate(const void *data, size_t len, int level, unsigned char **out, size_t *out_len) {
  struct libdeflate_compressor *c = compressor(level);
  if (!c) return false;
  size_t bound = libdeflate_zlib_compress_bound(c, len);
  unsigned char *buf = memory_alloc(bound);
  if (!buf) return false;
  /* (a page's content, deflated anew in every document, by the process's fast deflate; igzip
   * gives up only when its stream would not fit the bound libdeflate's holds) */
  size_t n = level == PDF_DEFLATE_LEVEL ? igzip_deflate(data, len, buf, bound, true) : 0;
  if (n == 0) n = libdeflate_zlib_compress(c, data, len, buf, bound);
  if (n == 0) { /* the bound always holds the whole stream: memory ran out */
    memory_free(buf);
    return false;
  }
  *out = buf;
  *out_len = n;
  return true;
}

/* The stream's filter, written inside its dictionary (see the header: libharu would remove a
 * /Filter entry it did not set itself). */
static HPDF_STATUS write_flate_filter(HPDF_Dict dict, HPDF_Stream out) {
  (void)dict;
  return HPDF_Stream_WriteStr(out, "/Filter /FlateDecode\012");
}

bool pdf_stream_put_deflated(HPDF_Dict dict, const void *deflated, size_t len) {
  dict->filter = HPDF_STREAM_FILTER_NONE;
  dict->write_fn = write_flate_filter;
  return HPDF_Stream_Write(dict->stream, deflated, (HPDF_UINT)len) == HPDF_OK;
}

bool pdf_stream_put(HPDF_Dict dict, const void *data, size_t len) {
  unsigned char *deflated;
  size_t n;
  if (!pdf_deflate(data, len, PDF_DEFLATE_LEVEL, &deflated, &n)) return false;
  bool ok = pdf_stream_put_deflated(dict, deflated, n);
  memory_free(deflated);
  return ok;
}
