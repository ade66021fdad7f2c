/* pdf_stream: see pdf_stream.h. */
#include "pdf/pdf_stream.h"

#include <hpdf_streams.h>
#include <hpdf_utils.h>
#include <string.h>
#include <zlib.h>

#include "memory.h"

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

void pdf_bytes_put(PdfBytes *b, const char *s, size_t n) {
  if (b->failed) return;
  if (b->len + n > b->cap) {
    size_t cap = b->cap ? b->cap : 16384;
    while (cap < b->len + n) cap *= 2;
    char *grown = memory_realloc(b->data, cap);
    if (!grown) {
      b->failed = true;
      return;
    }
    b->data = grown;
    b->cap = cap;
  }
  memcpy(b->data + b->len, s, n);
  b->len += n;
}

void pdf_bytes_free(PdfBytes *b) {
  memory_free(b->data);
  *b = (PdfBytes){0};
}

/* The process's deflate states, one a level, made on first use and reset for every stream
 * after: making one clears 256 KB, more than deflating a page of a roadmap. Kept for good. */
static z_stream *deflater(int level) {
  static z_stream z[2];
  static bool ready[2];
  int i = level == PDF_DEFLATE_LEVEL ? 0 : 1;
  if (ready[i]) return deflateReset(&z[i]) == Z_OK ? &z[i] : NULL;
  memset(&z[i], 0, sizeof z[i]);
  if (deflateInit(&z[i], level) != Z_OK) return NULL;
  ready[i] = true;
  return &z[i];
}

bool pdf_deflate(const void *data, size_t len, int level, unsigned char **out, size_t *out_len) {
  z_stream *z = deflater(level);
  if (!z || len > (uInt)-1) return false;
  uLong bound = deflateBound(z, (uLong)len);
  unsigned char *buf = memory_alloc(bound);
  if (!buf) return false;
  z->next_in = (Bytef *)data;
  z->avail_in = (uInt)len;
  z->next_out = buf;
  z->avail_out = (uInt)bound;
  if (deflate(z, Z_FINISH) != Z_STREAM_END) { /* the bound always holds the whole stream */
    memory_free(buf);
    return false;
  }
  *out = buf;
  *out_len = z->total_out;
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
