/*
 * qr: QR codes (ISO/IEC 18004) made by libqrencode, as a matrix of modules each output draws
 * its own way — the PDF as vector rectangles (pdf/pdf_view.c, layout), DOCX and ODT as a PNG
 * picture (template/picture.c), the `qr` command as a PNG file (qr_lua.c: nastavnik.qrencode).
 *
 * The quiet zone (4 modules of light around the code, ISO/IEC 18004 §6.3.8) is not in the
 * matrix: whoever places the code leaves it free (qr_png draws it).
 * Memory (generator/memory.h): what is returned comes from memory_alloc; out of memory is
 * QR_NO_MEMORY / NULL (libqrencode's own allocations failing too).
 */
#ifndef NASTAVNIK_QR_H
#define NASTAVNIK_QR_H

#include <stddef.h>

/* Error correction: L 7 %, M 15 % (the requisite's: a printed page gets creased), Q, H. */
typedef enum { QR_LEVEL_L, QR_LEVEL_M, QR_LEVEL_Q, QR_LEVEL_H } QrLevel;

typedef enum { QR_OK = 0, QR_TOO_LONG, QR_NO_MEMORY } QrStatus;

typedef struct {
  int size;            /* modules a side */
  int version;         /* 1..40 */
  unsigned char *dark; /* size * size, row by row from the top: 1 dark, 0 light */
} QrMatrix;

/* Encodes text[0..len) in byte mode (a link exactly as written, case kept). QR_TOO_LONG: it
 * does not fit one code at that level (about 2,300 bytes at M). */
QrStatus qr_encode(const char *text, size_t len, QrLevel level, QrMatrix *out);
void qr_free(QrMatrix *m);

/* A black-and-white PNG of the code: `scale` pixels a module, `quiet` modules of light around
 * it, and when module_mm > 0 the printed size of a module (the pHYs chunk, so programs print
 * it at that size). A malloc'd (memory_alloc) buffer of *len bytes, or NULL when out of
 * memory. */
unsigned char *qr_png(const QrMatrix *m, int scale, int quiet, double module_mm, size_t *len);

#endif
