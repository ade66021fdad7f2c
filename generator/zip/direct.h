/*
 * zip/direct: the archive zip_package_build (package.h) makes from a template, written here
 * byte for byte as libzip 1.7 writes it, without libzip.
 *
 * A build writes thousands of packages from the same few templates: libzip re-read every copied
 * entry through its layered sources, allocated a new deflate state for every filled part and
 * copied the archive twice (a fifth of a DOCX/ODT fill). Here the template's entries are found
 * once in its bytes (central directory, local headers, compressed data) and each package is one
 * buffer: the copied entries' compressed bytes as they are, the filled parts deflated (level 1,
 * every fill's: ISA-L's igzip; other levels, the ODS writer's 6: zlib as libzip calls it, the
 * same bytes) with the compressor's memory kept per process, the central directory. A package
 * of new parts alone (d NULL: the ODS writer's) is written here too.
 *
 * The archive is libzip's but for the deflated bytes of the parts at level 1: the same headers
 * (version made by 6.3 with the source entry's host, version needed 1.0/2.0, the
 * compression-level flag bits, the source's attributes for copied entries and 0100666 for new
 * data), the same times (libzip's round trip of the source entry's DOS time through the local
 * time zone), the same entries unpacked. igzip's or libdeflate's stream for a part is not
 * zlib's (cheaper: see zip/igzip.h and deflater() in direct.c), so a package libzip writes
 * (zip/package.c's other way) holds the same parts in other compressed bytes. A template this
 * writer does not handle exactly so (a name that is not ASCII, an encrypted entry, ZIP64,
 * another method, a stored entry whose CRC is wrong, two entries of one name) is left to
 * libzip: zip_direct_index answers NULL.
 */
#ifndef NASTAVNIK_ZIP_DIRECT_H
#define NASTAVNIK_ZIP_DIRECT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

typedef struct ZipDirect ZipDirect;

/* The entries of the archive in data[0..size), which libzip read as `count` entries named
 * `names` with modification times `mtimes` (zip_stat's); NULL when they are not all ones this
 * writer copies as libzip would (or memory ran out: memory_failed() then says so). */
ZipDirect *zip_direct_index(const unsigned char *data, size_t size, const char *const *names,
                            const time_t *mtimes, size_t count);
void zip_direct_free(ZipDirect *d);

/* One entry of the archive to write, in order: entry `src` of the source copied as it is
 * (data NULL), or data[0..size) new (stored when `store`, else deflated at `level`, 1..9),
 * dated like source entry `src` (or at `mtime` when src < 0). */
typedef struct {
  const char *name;
  long src;
  const void *data;
  size_t size;
  int store;
  time_t mtime;
} ZipDirectItem;

/* Whether name can be written here (ASCII, as libzip writes it without the UTF-8 flag). */
int zip_direct_name_ok(const char *name);

/* The bytes of source entry src when it is stored (as they are), else NULL. */
const void *zip_direct_stored(const ZipDirect *d, long src, size_t *size);

/* Writes the archive of the items into *out (malloc'd through memory.h), *out_size bytes (d may
 * be NULL when no item is copied from a source).
 * 0; 1 when libzip would write this one otherwise (ZIP64); -1 when memory ran out
 * (memory_failed()) or zlib failed. */
int zip_direct_build(const ZipDirect *d, const ZipDirectItem *items, size_t count, int level,
                     char **out, size_t *out_size);

/* An entry's headers as zip has them (APPNOTE 4.3.7, 4.3.12): the local header, 30 bytes and
 * the name, and the central directory's, 46 bytes and the name, without extra fields or
 * comments; the fields are written as given (what a writer puts there is its own: libzip's
 * here, minizip's in sheet/xlsx_package.c). Each returns the end of what it wrote at p. */
typedef struct {
  unsigned made_by, needed, flags, method, dos_time, dos_date, internal;
  uint32_t external, crc, comp_size, size, offset;
  const char *name;
  size_t name_len;
} ZipEntryHeader;
unsigned char *zip_local_header(unsigned char *p, const ZipEntryHeader *h);
unsigned char *zip_central_header(unsigned char *p, const ZipEntryHeader *h);
/* The end of the central directory, 22 bytes (its comment, comment_len bytes, is the
 * caller's to write after). */
unsigned char *zip_end_record(unsigned char *p, size_t count, uint32_t cd_size, uint32_t cd_offset,
                              size_t comment_len);

#endif
