/* sheet/xlsx_package: the zip container of libxlsxwriter's workbooks, made in memory.
 *
 * libxlsxwriter (Debian's 1.1.4) writes each part of a workbook into a temporary file of its
 * own (lxw_tmpfile: a file created and unlinked in /tmp), reads it back and deflates it
 * into the archive through minizip, which opens a new deflate stream for each part. Ten parts
 * a register, so ten files created and deleted in /tmp (the ext4 of the outputs) and ten
 * deflate streams, seven of them for parts that are the same in every register (the theme,
 * the styles, the relationships...): per region-20, 87 M instructions of its 162 M.
 *
 * This file defines the functions libxlsxwriter calls for that: lxw_tmpfile and minizip's
 * zipOpen, zipOpenNewFileInZip4_64, zipWriteInFileInZip, zipCloseFileInZip and zipClose. The
 * executable's definitions come first in the dynamic linker's search, and libxlsxwriter makes
 * these calls through its PLT, so they reach these: the parts are kept in memory, the archive
 * is made in memory, each part deflated by one stream kept for the process (deflateReset, not
 * a new stream), and a part with the same name and bytes as the last one deflated under that
 * name gets the same compressed bytes again. The archive's bytes are minizip's own, field for
 * field: the same zlib, the same parameters (level 6, raw, window 15, memLevel 8), the same
 * headers; the internal attribute "text" from zlib's guess, as minizip takes it.
 *
 * Should a build of libxlsxwriter not call these (its calls bound inside itself), it writes
 * the file it is given, and sheet_write_xlsx reads that instead (xlsx_package_take finds
 * nothing). Only what libxlsxwriter asks for a workbook is supported: no zip64, no extra
 * fields, no comments, no encryption, deflate only; anything else is refused as minizip
 * refuses a bad parameter. One workbook at a time (the processes write one at a time).
 *
 * The headers are written by zip/direct.c's writers, with minizip's values. The stream and the
 * memory of parts are this file's own, not zip/direct.c's: minizip's zlib settings (memory
 * level 8) give other bytes than libzip's (9) that direct.c keeps a stream for, a part is
 * remembered under its name up to 64 KB (direct.c: any 8 parts up to 16 KB, by their bytes),
 * and parts too large to remember are deflated as they come (direct.c is given them whole).
 */
#define _GNU_SOURCE /* fopencookie */
#include <libdeflate.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <xlsxwriter/third_party/zip.h>
#include <zlib.h>

#include "xlsx_package.h"
#include "zip/direct.h"

/* A growing byte buffer. */
typedef struct {
  unsigned char *data;
  size_t length, capacity;
} Bytes;

static int reserve(Bytes *b, size_t more) {
  if (more <= b->capacity - b->length) return 0;
  size_t capacity = b->capacity ? b->capacity : 4096;
  while (capacity - b->length < more) {
    if (capacity > SIZE_MAX / 2) return -1;
    capacity *= 2;
  }
  unsigned char *data = realloc(b->data, capacity);
  if (!data) return -1;
  b->data = data;
  b->capacity = capacity;
  return 0;
}

static int append(Bytes *b, const void *data, size_t length) {
  if (reserve(b, length) != 0) return -1;
  if (length) memcpy(b->data + b->length, data, length);
  b->length += length;
  return 0;
}

/* ---- lxw_tmpfile: a FILE in memory (read, write, seek), freed by fclose. ---- */

typedef struct {
  Bytes bytes;
  size_t position;
} MemoryFile;

static ssize_t memory_read(void *cookie, char *buffer, size_t size) {
  MemoryFile *f = cookie;
  size_t left = f->position < f->bytes.length ? f->bytes.length - f->position : 0;
  if (size > left) size = left;
  memcpy(buffer, f->bytes.data + f->position, size);
  f->position += size;
  return (ssize_t)size;
}

static ssize_t memory_write(void *cookie, const char *buffer, size_t size) {
  MemoryFile *f = cookie;
  if (f->position > f->bytes.length) { /* a seek past the end: the gap reads as zeros */
    size_t gap = f->position - f->bytes.length;
    if (reserve(&f->bytes, gap) != 0) return -1;
    memset(f->bytes.data + f->bytes.length, 0, gap);
    f->bytes.length = f->position;
  }
  size_t end = f->position + size;
  if (end < f->position) return -1;
  if (end > f->bytes.length && reserve(&f->bytes, end - f->bytes.length) != 0) return -1;
  memcpy(f->bytes.data + f->position, buffer, size);
  f->position = end;
  if (end > f->bytes.length) f->bytes.length = end;
  return (ssize_t)size;
}

static int memory_seek(void *cookie, off64_t *offset, int whence) {
  MemoryFile *f = cookie;
  off64_t base = whence == SEEK_SET   ? 0
                 : whence == SEEK_CUR ? (off64_t)f->position
                                      : (off64_t)f->bytes.length;
  if (*offset < -base) return -1;
  f->position = (size_t)(base + *offset);
  *offset = (off64_t)f->position;
  return 0;
}

static int memory_close(void *cookie) {
  MemoryFile *f = cookie;
  free(f->bytes.data);
  free(f);
  return 0;
}

FILE *lxw_tmpfile(char *tmpdir) {
  (void)tmpdir;
  MemoryFile *f = calloc(1, sizeof *f);
  if (!f) return NULL;
  FILE *file = fopencookie(
      f, "w+", (cookie_io_functions_t){memory_read, memory_write, memory_seek, memory_close});
  if (!file) free(f);
  return file;
}

/* ---- minizip's writing functions, over an archive in memory. ---- */

typedef struct {
  Bytes out;
  ZipEntryHeader *entries; /* (the names malloc'd: the archive's) */
  size_t count, allocated;
  Bytes part;          /* the open entry's bytes while it may be remembered */
  int open, streaming; /* streaming: larger than that, deflated as it comes */
  uint32_t dos_date, crc;
  uint64_t size;
  size_t start; /* where the open entry's local header is */
  char *name;
} Archive;

/* The last part deflated under each name, with what it became. */
typedef struct Remembered {
  struct Remembered *next;
  char *name;
  Bytes plain, deflated;
  uint32_t crc;
  uint16_t internal;
} Remembered;

static Remembered *remembered;
static z_stream stream;
static int stream_ready;
static Bytes finished; /* (data NULL: none; an archive has 22 bytes at least) */

/* Parts larger than this are not remembered (only the registers' fixed parts repeat), and
 * are deflated as libxlsxwriter hands them over, not held whole beside its own copy (a
 * region's register at 2,000 organisations: a sheet of about 16 MB). */
#define REMEMBER_MAX ((size_t)64 << 10)

/* minizip's ziplocal_TmzDateToDosDate. */
static uint32_t dos_date(const zip_fileinfo *info) {
  if (!info) return 0;
  if (info->dosDate) return (uint32_t)info->dosDate;
  const tm_zip *t = &info->tmz_date;
  uLong year = t->tm_year;
  if (year >= 1980)
    year -= 1980;
  else if (year >= 80)
    year -= 80;
  return (uint32_t)((((t->tm_mday) + (32 * (t->tm_mon + 1)) + (512 * year)) << 16) |
                    ((t->tm_sec / 2) + (32 * t->tm_min) + (2048 * (uLong)t->tm_hour)));
}

zipFile ZEXPORT zipOpen(const char *pathname, int append_mode) {
  (void)pathname;
  if (append_mode) return NULL;
  return calloc(1, sizeof(Archive));
}

int ZEXPORT zipOpenNewFileInZip4_64(zipFile file, const char *filename, const zip_fileinfo *zipfi,
                                    const void *extrafield_local, uInt size_extrafield_local,
                                    const void *extrafield_global, uInt size_extrafield_global,
                                    const char *comment, int method, int level, int raw,
                                    int windowBits, int memLevel, int strategy,
                                    const char *password, uLong crcForCrypting, uLong versionMadeBy,
                                    uLong flagBase, int zip64) {
  (void)extrafield_local, (void)extrafield_global, (void)crcForCrypting;
  Archive *a = file;
  if (!a || a->open || !filename || size_extrafield_local || size_extrafield_global ||
      (comment && *comment) || method != Z_DEFLATED ||
      (level != Z_DEFAULT_COMPRESSION && level != 6) || raw || windowBits != -MAX_WBITS ||
      memLevel != 8 || strategy != Z_DEFAULT_STRATEGY || password || versionMadeBy || flagBase ||
      zip64 || strlen(filename) > 0xFFFF)
    return ZIP_PARAMERROR;
  if (a->count == a->allocated) {
    size_t n = a->allocated ? a->allocated * 2 : 16;
    ZipEntryHeader *entries = realloc(a->entries, n * sizeof *entries);
    if (!entries) return ZIP_INTERNALERROR;
    a->entries = entries;
    a->allocated = n;
  }
  size_t name_length = strlen(filename);
  if (a->out.length > UINT32_MAX || reserve(&a->out, 30 + name_length) != 0 ||
      !(a->name = strdup(filename)))
    return ZIP_INTERNALERROR;
  a->start = a->out.length;
  a->out.length += 30 + name_length; /* the local header, written as the entry closes */
  a->dos_date = dos_date(zipfi);
  a->part.length = 0;
  a->streaming = 0;
  a->size = 0;
  a->open = 1;
  return ZIP_OK;
}

/* The process's deflate stream made ready for a new part (minizip's parameters). */
static int stream_start(void) {
  if (stream_ready) return deflateReset(&stream) == Z_OK ? 0 : -1;
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) !=
      Z_OK)
    return -1;
  stream_ready = 1;
  return 0;
}

/* length bytes deflated into out; flush: Z_NO_FLUSH, or Z_FINISH for the part's last (the
 * bytes do not depend on how the part is cut: zlib's Z_NO_FLUSH only waits for more input). */
static int stream_feed(Bytes *out, const void *data, size_t length, int flush) {
  if (length > UINT_MAX) return -1;
  stream.next_in = (Bytef *)data;
  stream.avail_in = (uInt)length;
  for (;;) {
    if (reserve(out, length / 4 + 4096) != 0) return -1;
    size_t room = out->capacity - out->length;
    stream.next_out = out->data + out->length;
    stream.avail_out = room > UINT_MAX ? UINT_MAX : (uInt)room;
    int rc = deflate(&stream, flush);
    out->length = (size_t)(stream.next_out - out->data);
    if (rc == Z_STREAM_END) return 0;
    if (rc != Z_OK && rc != Z_BUF_ERROR) return -1;
    if (flush == Z_NO_FLUSH && stream.avail_in == 0) return 0;
  }
}

int ZEXPORT zipWriteInFileInZip(zipFile file, const void *buf, unsigned len) {
  Archive *a = file;
  if (!a || !a->open) return ZIP_PARAMERROR;
  if (!a->streaming && a->part.length + len <= REMEMBER_MAX)
    return append(&a->part, buf, len) == 0 ? ZIP_OK : ZIP_INTERNALERROR;
  if (!a->streaming) { /* too large to be remembered: deflated from here on */
    a->streaming = 1;
    a->crc = (uint32_t)libdeflate_crc32(0, a->part.data, a->part.length);
    a->size = a->part.length;
    if (stream_start() != 0 || stream_feed(&a->out, a->part.data, a->part.length, Z_NO_FLUSH) != 0)
      return ZIP_INTERNALERROR;
    a->part.length = 0;
  }
  a->crc = (uint32_t)libdeflate_crc32(a->crc, buf, len);
  a->size += len;
  return stream_feed(&a->out, buf, len, Z_NO_FLUSH) == 0 ? ZIP_OK : ZIP_INTERNALERROR;
}

static Remembered *remembered_for(const char *name) {
  for (Remembered *r = remembered; r; r = r->next)
    if (strcmp(r->name, name) == 0) return r;
  Remembered *r = calloc(1, sizeof *r);
  if (!r || !(r->name = strdup(name))) {
    free(r);
    return NULL;
  }
  r->next = remembered;
  remembered = r;
  return r;
}

int ZEXPORT zipCloseFileInZip(zipFile file) {
  Archive *a = file;
  if (!a || !a->open) return ZIP_PARAMERROR;
  a->open = 0;
  /* (the headers as minizip writes them: made by 0, needs 2.0, no flags, deflated, no external
   * attributes) */
  ZipEntryHeader *e = &a->entries[a->count];
  *e = (ZipEntryHeader){.needed = 20,
                        .method = Z_DEFLATED,
                        .dos_time = a->dos_date & 0xFFFF,
                        .dos_date = a->dos_date >> 16,
                        .offset = (uint32_t)a->start,
                        .name = a->name,
                        .name_len = strlen(a->name)};
  a->name = NULL;
  size_t start = a->start + 30 + e->name_len;
  Remembered *r = a->streaming ? NULL : remembered_for(e->name);
  if (a->streaming) {
    if (a->size > UINT32_MAX || stream_feed(&a->out, NULL, 0, Z_FINISH) != 0) goto failed;
    e->crc = a->crc;
    e->size = (uint32_t)a->size;
    e->internal = stream.data_type == Z_TEXT ? 1 : 0;
  } else if (r && r->plain.data && r->plain.length == a->part.length &&
             memcmp(r->plain.data, a->part.data, a->part.length) == 0) {
    e->crc = r->crc;
    e->size = (uint32_t)a->part.length;
    e->internal = r->internal;
    if (append(&a->out, r->deflated.data, r->deflated.length) != 0) goto failed;
  } else {
    e->crc = (uint32_t)libdeflate_crc32(0, a->part.data, a->part.length);
    e->size = (uint32_t)a->part.length;
    if (stream_start() != 0 || stream_feed(&a->out, a->part.data, a->part.length, Z_FINISH) != 0)
      goto failed;
    e->internal = stream.data_type == Z_TEXT ? 1 : 0;
    if (r) {
      r->plain.length = r->deflated.length = 0;
      if (append(&r->plain, a->part.data, a->part.length) != 0 ||
          append(&r->deflated, a->out.data + start, a->out.length - start) != 0) {
        r->plain.length = 0;
        r->deflated.length = 0;
        free(r->plain.data);
        r->plain.data = NULL;
      } else {
        r->crc = e->crc;
        r->internal = e->internal;
      }
    }
  }
  if (a->out.length - start > UINT32_MAX) goto failed;
  e->comp_size = (uint32_t)(a->out.length - start);
  zip_local_header(a->out.data + e->offset, e);
  a->count++;
  return ZIP_OK;
failed:
  free((char *)e->name);
  return ZIP_INTERNALERROR;
}

static void archive_free(Archive *a) {
  for (size_t i = 0; i < a->count; i++) free((char *)a->entries[i].name);
  free(a->entries);
  free(a->part.data);
  free(a->name);
  free(a->out.data);
  free(a);
}

int ZEXPORT zipClose(zipFile file, const char *global_comment) {
  Archive *a = file;
  if (!a) return ZIP_PARAMERROR;
  int rc = ZIP_OK;
  if (a->open) rc = zipCloseFileInZip(a);
  size_t directory = a->out.length;
  for (size_t i = 0; i < a->count && rc == ZIP_OK; i++) {
    const ZipEntryHeader *h = &a->entries[i];
    if (reserve(&a->out, 46 + h->name_len) != 0) {
      rc = ZIP_INTERNALERROR;
      break;
    }
    a->out.length = (size_t)(zip_central_header(a->out.data + a->out.length, h) - a->out.data);
  }
  size_t comment = global_comment ? strlen(global_comment) : 0;
  if (rc == ZIP_OK && (a->count > 0xFFFF || a->out.length > UINT32_MAX || comment > 0xFFFF))
    rc = ZIP_INTERNALERROR;
  if (rc == ZIP_OK) {
    unsigned char end[22];
    zip_end_record(end, a->count, (uint32_t)(a->out.length - directory), (uint32_t)directory,
                   comment);
    if (append(&a->out, end, sizeof end) != 0 || append(&a->out, global_comment, comment) != 0)
      rc = ZIP_INTERNALERROR;
  }
  if (rc == ZIP_OK) {
    free(finished.data);
    finished = a->out;
    a->out = (Bytes){0};
  }
  archive_free(a);
  return rc;
}

int xlsx_package_take(char **bytes, size_t *size) {
  if (!finished.data) return -1;
  *bytes = (char *)finished.data;
  *size = finished.length;
  finished = (Bytes){0};
  return 0;
}

void xlsx_package_forget(void) {
  free(finished.data);
  finished = (Bytes){0};
}
