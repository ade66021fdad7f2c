/* fileio: see fileio.h. */
#define _POSIX_C_SOURCE 200809L
#include "fileio.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

char *fileio_read(const char *path, size_t max_size, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  struct stat st;
  if (fstat(fileno(f), &st) != 0) {
    fclose(f);
    return NULL;
  }
  if (S_ISDIR(st.st_mode)) {
    fclose(f);
    errno = EISDIR;
    return NULL;
  }
  if ((size_t)st.st_size > max_size) {
    fclose(f);
    errno = EFBIG;
    return NULL;
  }
  size_t capacity = (size_t)st.st_size + 1, used = 0;
  char *buf = malloc(capacity);
  if (!buf) {
    fclose(f);
    errno = ENOMEM;
    return NULL;
  }
  for (;;) {
    size_t got = fread(buf + used, 1, capacity - used - 1, f);
    used += got;
    if (used < capacity - 1) break; /* short read: end of file or error */
    if (capacity > max_size) {
      free(buf);
      fclose(f);
      errno = EFBIG;
      return NULL;
    }
    char *bigger = realloc(buf, capacity * 2);
    if (!bigger) {
      free(buf);
      fclose(f);
      errno = ENOMEM;
      return NULL;
    }
    buf = bigger;
    capacity *= 2;
  }
  int failed = ferror(f);
  fclose(f);
  if (failed) {
    free(buf);
    errno = EIO;
    return NULL;
  }
  buf[used] = '\0';
  if (size) *size = used;
  return buf;
}

static char *last_failed_path;
static int last_failed_errno;

const char *fileio_last_failure(int *err) {
  if (err) *err = last_failed_errno;
  return last_failed_path;
}

void fileio_forget_failure(void) {
  free(last_failed_path);
  last_failed_path = NULL;
  last_failed_errno = 0;
}

static void note_failure(const char *path, int err) {
  fileio_forget_failure();
  size_t len = strlen(path) + 1;
  last_failed_path = malloc(len);
  if (last_failed_path) memcpy(last_failed_path, path, len);
  last_failed_errno = err;
}

/* NASTAVNIK_TEST_WRITE_FAIL (see fileio.h): the errno to fail `path` with, or 0. */
static int injected_failure(const char *path) {
  const char *spec = getenv("NASTAVNIK_TEST_WRITE_FAIL");
  const char *colon = spec ? strchr(spec, ':') : NULL;
  if (!colon || !strstr(path, colon + 1)) return 0;
  static const struct {
    const char *name;
    int err;
  } names[] = {{"ENOSPC", ENOSPC}, {"EACCES", EACCES}, {"EROFS", EROFS}, {"EIO", EIO}};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strncmp(spec, names[i].name, (size_t)(colon - spec)) == 0 &&
        strlen(names[i].name) == (size_t)(colon - spec))
      return names[i].err;
  return ENOSPC;
}

static int write_atomic(const char *path, FileioProducer next, void *context);

unsigned long long fileio_fnv1a64(unsigned long long hash, const void *data, size_t size) {
  const unsigned char *p = data;
  for (size_t i = 0; i < size; i++) hash = (hash ^ p[i]) * 0x100000001b3ULL;
  return hash;
}

static void xxh3_hex(XXH128_hash_t h, char *hex) {
  snprintf(hex, FILEIO_CHECKSUM_HEX + 1, "%016llx%016llx", (unsigned long long)h.high64,
           (unsigned long long)h.low64);
}

/* The checksums of the last files written, with what fstat() said of each then (a file is
 * renamed into place, so its inode, size and time stay): build asks for each file's checksum
 * right after writing it, and need not read it back. */
enum { REMEMBERED = 16 };
typedef struct {
  char *path;
  char sum[FILEIO_CHECKSUM_HEX + 1];
  struct stat st;
} Written;
static Written remembered[REMEMBERED];
static unsigned remembered_next;

static void remember(const char *path, const char *sum, const struct stat *st) {
  Written *w = &remembered[remembered_next++ % REMEMBERED];
  free(w->path);
  w->path = strdup(path); /* (none remembered when memory is short: the file is read again) */
  memcpy(w->sum, sum, sizeof w->sum);
  w->st = *st;
}

static int same_file(const struct stat *a, const struct stat *b) {
  return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
         a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

int fileio_written_checksum(const char *path, char *hex) {
  for (unsigned i = 0; i < REMEMBERED; i++) {
    Written *w = &remembered[i];
    struct stat now;
    if (w->path && strcmp(w->path, path) == 0) {
      if (stat(path, &now) != 0 || !same_file(&now, &w->st)) return 0;
      memcpy(hex, w->sum, sizeof w->sum);
      return 1;
    }
  }
  return 0;
}

/* The process's one XXH3 state (the generator is single-threaded, workers are processes),
 * made on first use: a checksum is taken part by part as a file is written or read. */
static XXH3_state_t *xxh3_state(void) {
  static XXH3_state_t *state;
  if (!state) state = XXH3_createState();
  return state;
}

int fileio_checksum_file(const char *path, FileioSumKind kind, char *hex) {
  XXH3_state_t *state = kind == FILEIO_SUM_XXH3 ? xxh3_state() : NULL;
  if (kind == FILEIO_SUM_XXH3 && (!state || XXH3_128bits_reset(state) != XXH_OK)) {
    errno = ENOMEM;
    return -1;
  }
  FILE *f = fopen(path, "rb");
  if (!f) return -1;
  unsigned long long fnv = FILEIO_FNV_START;
  static unsigned char buffer[65536];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, f)) > 0) {
    if (state)
      XXH3_128bits_update(state, buffer, n);
    else
      fnv = fileio_fnv1a64(fnv, buffer, n);
  }
  int failed = ferror(f);
  int err = errno;
  fclose(f);
  if (failed) {
    errno = err;
    return -1;
  }
  if (state)
    xxh3_hex(XXH3_128bits_digest(state), hex);
  else
    snprintf(hex, 17, "%016llx", fnv);
  return 0;
}

/* The producer of fileio_write_atomic: its one part, once. */
static int one_part(void *context, FileioPart *part) {
  FileioPart *whole = context;
  if (!whole->data) return 0;
  *part = *whole;
  whole->data = NULL;
  return 1;
}

int fileio_write_atomic(const char *path, const void *data, size_t size) {
  FileioPart whole = {data ? data : "", size};
  return fileio_write_atomic_from(path, one_part, &whole);
}

int fileio_write_atomic_from(const char *path, FileioProducer next, void *context) {
  sigset_t cpu_limit, previous;
  sigemptyset(&cpu_limit);
  sigaddset(&cpu_limit, SIGPROF);
  sigprocmask(SIG_BLOCK, &cpu_limit, &previous);
  int rc = write_atomic(path, next, context);
  int saved = errno;
  if (rc != 0) note_failure(path, saved);
  sigprocmask(SIG_SETMASK, &previous, NULL);
  errno = saved;
  return rc;
}

static int write_atomic(const char *path, FileioProducer next, void *context) {
  size_t len = strlen(path);
  char *tmp = malloc(len + 16);
  if (!tmp) {
    errno = ENOMEM;
    return -1;
  }
  snprintf(tmp, len + 16, "%s.tmp-XXXXXX", path);
  int fd = mkstemp(tmp);
  if (fd < 0) {
    int saved = errno;
    free(tmp);
    errno = saved;
    return -1;
  }
  /* (an injected failure stops halfway through the first part, as a full disk would) */
  int injected = injected_failure(path);
  FileioPart part;
  int more;
  XXH3_state_t *state = xxh3_state();
  if (!state || XXH3_128bits_reset(state) != XXH_OK) {
    errno = ENOMEM;
    goto fail;
  }
  while ((more = next(context, &part)) > 0) {
    XXH3_128bits_update(state, part.data, part.size);
    const char *p = part.data;
    size_t left = injected ? part.size / 2 : part.size;
    while (left > 0) {
      ssize_t n = write(fd, p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        goto fail;
      }
      p += n;
      left -= (size_t)n;
    }
    if (injected) break;
  }
  if (more < 0) goto fail;
  if (injected) {
    errno = injected;
    goto fail;
  }
  /* mkstemp creates 0600; documents are meant to be shared like any file the user makes. */
  mode_t mask = umask(0);
  umask(mask);
  if (fchmod(fd, 0666 & ~mask) != 0) goto fail;
  struct stat st;
  int known = fstat(fd, &st) == 0;
  if (close(fd) != 0) {
    fd = -1;
    goto fail;
  }
  fd = -1;
  if (rename(tmp, path) != 0) goto fail;
  free(tmp);
  if (known) {
    char sum[FILEIO_CHECKSUM_HEX + 1];
    xxh3_hex(XXH3_128bits_digest(state), sum);
    remember(path, sum, &st);
  }
  return 0;
fail : {
  int saved = errno;
  if (fd >= 0) close(fd);
  unlink(tmp);
  free(tmp);
  errno = saved;
  return -1;
}
}

int fileio_make_dirs(const char *path) {
  size_t len = strlen(path);
  char *copy = malloc(len + 1);
  if (!copy) {
    errno = ENOMEM;
    return -1;
  }
  memcpy(copy, path, len + 1);
  for (char *p = copy + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    if (mkdir(copy, 0777) != 0 && errno != EEXIST) goto fail;
    *p = '/';
  }
  if (mkdir(copy, 0777) != 0 && errno != EEXIST) goto fail;
  free(copy);
  return 0;
fail : {
  int saved = errno;
  free(copy);
  errno = saved;
  return -1;
}
}
