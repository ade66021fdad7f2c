/*
 * zip/package: reading an OOXML/ODF package and writing a changed copy of it.
 *
 * A package is opened once; its entries can be listed and read. Writing builds a new archive
 * in memory where every entry not replaced is copied with its compressed bytes as they are
 * (libzip's zip_source_zip with start 0 and length -1 reads the raw compressed stream, and
 * zip_close then writes it without inflating or deflating), and replaced entries are
 * deflated from memory. A package opened from memory, or made of new parts alone (the ODS
 * writer's), is written by zip/direct.h instead, without libzip's layers: the same entries,
 * headers and unpacked bytes, level 1 by igzip's faster deflate, the other levels by zlib set
 * as libzip sets it (the same bytes); what it cannot write alike is still libzip's. The
 * order of the source is kept, except that "[Content_Types].xml"
 * (DOCX) and "mimetype" (ODT) always come first; "mimetype" is always STORED, as ODF asks.
 * The finished archive reaches the disk through fileio_write_atomic(): never half-written.
 *
 * Error messages are in Russian, allocated through generator/memory.h, and owned by the caller.
 * Out of memory (generator/memory.h): a function fails with memory_failed() set; libzip's own
 * ZIP_ER_MEMORY sets it too.
 */
#ifndef NASTAVNIK_ZIP_PACKAGE_H
#define NASTAVNIK_ZIP_PACKAGE_H

#include <stddef.h>

typedef struct ZipPackage ZipPackage;

/* A replaced (or added) entry: name and bytes (not copied; must live until the write ends). */
typedef struct {
  const char *name;
  const void *data;
  size_t size;
} ZipPart;

/* Opens the package at path; NULL and *error on failure. */
ZipPackage *zip_package_open(const char *path, char **error);
/* The same for a package already in memory (data is not copied: it must outlive the package;
 * path only names it in messages). */
ZipPackage *zip_package_open_memory(const char *path, const void *data, size_t size, char **error);
void zip_package_close(ZipPackage *package);

size_t zip_package_count(const ZipPackage *package);
/* Name of entry i (UTF-8, as stored). */
const char *zip_package_name(const ZipPackage *package, size_t i);
/* Index of the entry with that name, or -1. */
long zip_package_find(const ZipPackage *package, const char *name);
/* The size of entry i once inflated, as the archive declares it (asked before inflating, so
 * that a zip bomb is refused unread); -1 when the archive does not say. */
long long zip_package_size(ZipPackage *package, size_t i);
/* Reads entry i whole (decompressed) into a malloc'd NUL-terminated buffer; NULL and *error
 * on failure. Entries larger than 256 MiB are refused. */
char *zip_package_read(ZipPackage *package, size_t i, size_t *size, char **error);

/* Writes a copy of the package to out_path with the given entries replaced (entries named in
 * parts but absent from the source are added at the end). level is the deflate level of the
 * replaced entries (1..9; 0 means libzip's default); an entry added is dated 2000-01-01, not by the
 * clock, so the same data gives the same bytes. Returns 0, or -1 and *error. */
int zip_package_write(ZipPackage *package, const char *out_path, const ZipPart *parts,
                      size_t nparts, int level, char **error);

/* The same, but leaves the archive bytes in *out (malloc'd) instead of writing a file.
 * package may be NULL: a new archive of the parts alone. */
int zip_package_build(ZipPackage *package, const ZipPart *parts, size_t nparts, int level,
                      char **out, size_t *out_size, char **error);

#endif
