/* qr: see qr.h. */
#include "qr/qr.h"

#include <errno.h>
#include <qrencode.h>
#include <string.h>
#include <zlib.h>

#include "memory.h"

QrStatus qr_encode(const char *text, size_t len, QrLevel level, QrMatrix *out) {
  static const QRecLevel LEVELS[] = {QR_ECLEVEL_L, QR_ECLEVEL_M, QR_ECLEVEL_Q, QR_ECLEVEL_H};
  memset(out, 0, sizeof *out);
  if (len == 0 || len > 8000) return QR_TOO_LONG; /* no code holds more than 7,089 digits */
  errno = 0;
  QRcode *code = QRcode_encodeData((int)len, (const unsigned char *)text, 0, LEVELS[level]);
  if (!code) return errno == ENOMEM ? QR_NO_MEMORY : QR_TOO_LONG;
  size_t n = (size_t)code->width * (size_t)code->width;
  out->dark = memory_alloc(n);
  if (!out->dark) {
    QRcode_free(code);
    return QR_NO_MEMORY;
  }
  /* Bit 0 of each byte libqrencode gives is the module's colour (1 = dark). */
  for (size_t i = 0; i < n; i++) out->dark[i] = code->data[i] & 1;
  out->size = code->width;
  out->version = code->version;
  QRcode_free(code);
  return QR_OK;
}

void qr_free(QrMatrix *m) {
  memory_free(m->dark);
  m->dark = NULL;
}

/* ---- PNG (ISO/IEC 15948): 1-bit greyscale, one zlib stream ---- */

typedef struct {
  unsigned char *data;
  size_t len, cap;
  int failed;
} Bytes;

static void put(Bytes *b, const void *data, size_t n) {
  if (b->failed || n == 0) return;
  if (b->len + n > b->cap) {
    size_t cap = (b->len + n) * 2;
    unsigned char *grown = memory_realloc(b->data, cap);
    if (!grown) {
      b->failed = 1;
      return;
    }
    b->data = grown;
    b->cap = cap;
  }
  memcpy(b->data + b->len, data, n);
  b->len += n;
}

static void put32(Bytes *b, unsigned long v) {
  unsigned char be[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
                         (unsigned char)(v >> 8), (unsigned char)v};
  put(b, be, 4);
}

static void chunk(Bytes *b, const char *kind, const unsigned char *data, size_t n) {
  put32(b, (unsigned long)n);
  put(b, kind, 4);
  put(b, data, n);
  unsigned long crc = crc32(0L, (const Bytef *)kind, 4);
  if (n > 0) crc = crc32(crc, data, (uInt)n); /* crc32(c, NULL, 0) would restart at 0 */
  put32(b, crc);
}

/* zlib allocates through memory.h, so a failing allocation is seen like any other. */
static voidpf z_alloc(voidpf opaque, uInt items, uInt size) {
  (void)opaque;
  return memory_calloc(items, size);
}
static void z_free(voidpf opaque, voidpf p) {
  (void)opaque;
  memory_free(p);
}

/* The zlib stream of raw[0..n) into out (memory_alloc'd); false when out of memory. */
static int deflate_all(const unsigned char *raw, size_t n, unsigned char **out, size_t *out_len) {
  z_stream z = {.zalloc = z_alloc, .zfree = z_free};
  if (deflateInit(&z, 9) != Z_OK) return 0;
  uLong bound = deflateBound(&z, (uLong)n);
  unsigned char *buf = memory_alloc(bound);
  if (!buf) {
    deflateEnd(&z);
    return 0;
  }
  z.next_in = (Bytef *)raw;
  z.avail_in = (uInt)n;
  z.next_out = buf;
  z.avail_out = (uInt)bound;
  int rc = deflate(&z, Z_FINISH);
  *out_len = z.total_out;
  deflateEnd(&z);
  if (rc != Z_STREAM_END) {
    memory_free(buf);
    return 0;
  }
  *out = buf;
  return 1;
}

unsigned char *qr_png(const QrMatrix *m, int scale, int quiet, double module_mm, size_t *len) {
  size_t cells = (size_t)m->size + 2 * (size_t)quiet, side = cells * (size_t)scale;
  size_t line = 1 + (side + 7) / 8; /* a filter byte, then 8 pixels a byte */
  unsigned char *raw = memory_calloc(side, line);
  if (!raw) return NULL;
  for (size_t y = 0; y < side; y++) {
    unsigned char *row = raw + y * line; /* row[0] = 0: filter None */
    long my = (long)(y / (size_t)scale) - quiet;
    for (size_t x = 0; x < side; x++) {
      long mx = (long)(x / (size_t)scale) - quiet;
      int dark = my >= 0 && mx >= 0 && my < m->size && mx < m->size &&
                 m->dark[(size_t)my * (size_t)m->size + (size_t)mx];
      if (!dark) row[1 + x / 8] |= (unsigned char)(0x80 >> (x % 8)); /* greyscale: 1 is white */
    }
    for (size_t x = side; x < (line - 1) * 8; x++)
      row[1 + x / 8] |= (unsigned char)(0x80 >> (x % 8));
  }
  unsigned char *z = NULL;
  size_t zlen = 0;
  int ok = deflate_all(raw, side * line, &z, &zlen);
  memory_free(raw);
  if (!ok) return NULL;
  Bytes b = {0};
  put(&b, "\x89PNG\r\n\x1a\n", 8);
  unsigned char ihdr[13] = {0};
  for (int i = 0; i < 4; i++) ihdr[i] = ihdr[4 + i] = (unsigned char)(side >> (24 - 8 * i));
  ihdr[8] = 1; /* bit depth; colour type 0 (greyscale), deflate, filter 0, no interlace */
  chunk(&b, "IHDR", ihdr, sizeof ihdr);
  if (module_mm > 0) {
    unsigned long per_metre = (unsigned long)(scale * 1000.0 / module_mm + 0.5);
    unsigned char phys[9];
    for (int i = 0; i < 4; i++) phys[i] = phys[4 + i] = (unsigned char)(per_metre >> (24 - 8 * i));
    phys[8] = 1; /* the unit is the metre */
    chunk(&b, "pHYs", phys, sizeof phys);
  }
  chunk(&b, "IDAT", z, zlen);
  chunk(&b, "IEND", NULL, 0);
  memory_free(z);
  if (b.failed) {
    memory_free(b.data);
    return NULL;
  }
  *len = b.len;
  return b.data;
}
