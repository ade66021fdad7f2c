/*
 * fileio: reading whole files and writing outputs atomically.
 *
 * Every output of the generator goes through fileio_write_atomic(): the bytes are written
 * to an unnamed file in the target's folder (O_TMPFILE) and linked under the target's name
 * only when complete, or, where that cannot be (the target exists, the file system has no
 * unnamed files), to a temporary file beside the target renamed over it; so a failed run
 * never leaves a half-written document behind. The file gets the mode any file the user
 * makes gets (0666 less the umask). The CPU-time limit's signal (SIGPROF, see lua_host.c) is
 * held back while a temporary name exists, so a run stopped for taking too long never leaves
 * a temporary file or a half-renamed one either.
 *
 * For tests only: NASTAVNIK_TEST_WRITE_FAIL="ENOSPC:text" makes every write whose path
 * contains `text` fail after writing half its bytes, as a full disk would (EACCES, EROFS
 * and EIO may be named too). Nothing else reads that variable.
 */
#ifndef NASTAVNIK_FILEIO_H
#define NASTAVNIK_FILEIO_H

#include <stddef.h>

/* Reads the whole file into a malloc'd buffer (NUL-terminated for convenience).
 * Returns NULL and sets errno on failure; files larger than max_size fail with EFBIG. */
char *fileio_read(const char *path, size_t max_size, size_t *size);

/* The same, with what fstat() said of the file just before its bytes were read (st). */
struct stat;
char *fileio_read_stat(const char *path, size_t max_size, size_t *size, struct stat *st);

/* Writes size bytes to path through a temporary file and rename(). Returns 0 on success,
 * -1 with errno set (and no file at path created or changed) on failure. */
int fileio_write_atomic(const char *path, const void *data, size_t size);

/* The same for bytes made part by part while they are written (a file too big to be put
 * together in memory first: a region's calendar). `next` gives the next part (returns 1), or
 * says there is none left (0) or that it failed (-1, errno set: nothing is written). A part
 * need only live until the next call. */
typedef struct {
  const void *data;
  size_t size;
} FileioPart;
typedef int (*FileioProducer)(void *context, FileioPart *part);
int fileio_write_atomic_from(const char *path, FileioProducer next, void *context);

/* The next write (whichever comes next) creates the file at `path` only if nothing is there
 * yet: when something is, it fails with EEXIST, nothing written or replaced; NULL: no such
 * write. build writes so where its plan found nothing (the folder did not exist), rather
 * than asking first what is there (an lstat() of every output): what appeared since is then
 * judged as any output is, and written again. */
void fileio_expect_new(const char *path);

/* The path and errno of the last fileio_write_atomic() that failed, or NULL when none has
 * failed since fileio_forget_failure(): the commands ask it after a writer (the template
 * engine) reports a failure, to tell "not written" (exit 3) from a bad template. */
const char *fileio_last_failure(int *err);
void fileio_forget_failure(void);

/* The checksum build's manifest keeps of each file it writes, as text: XXH3's 128 bits in 32 hex
 * digits (libxxhash: about 0.1 cycle a byte, where FNV-1a, the manifest's checksum before,
 * takes 4 — 3 % of a region's build). A manifest of an earlier build holds FNV-1a's 16 digits:
 * fileio_checksum_file() still computes those, to compare with it. */
enum { FILEIO_CHECKSUM_HEX = 32 };
typedef enum { FILEIO_SUM_XXH3, FILEIO_SUM_FNV1A } FileioSumKind;

/* The checksum of the bytes this process last wrote at `path` (one of the last few files
 * written): 1 and hex (FILEIO_CHECKSUM_HEX + 1 bytes) set; else 0, and the file must be read.
 * The file is not looked at again: whoever changes or removes a file written here by other
 * means (another writer, a removal) calls fileio_forget_written(path). */
int fileio_written_checksum(const char *path, char *hex);
void fileio_forget_written(const char *path);

/* The checksum of the file at `path` as it is on disk, of the kind asked for, into hex (33
 * bytes: 32 digits, or 16 for FNV-1a). Returns 0, or -1 with errno. */
int fileio_checksum_file(const char *path, FileioSumKind kind, char *hex);

/* FNV-1a (64 bits) of size bytes, going on from `hash` (FILEIO_FNV_START for the first): the
 * calendar's stable UIDs, and the checksums of manifests before XXH3. */
#define FILEIO_FNV_START 0xcbf29ce484222325ULL
unsigned long long fileio_fnv1a64(unsigned long long hash, const void *data, size_t size);

/* Creates a folder and its missing parents (like mkdir -p). Returns 0 or -1 with errno. */
int fileio_make_dirs(const char *path);

#endif
