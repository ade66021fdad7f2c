/* fileio: see fileio.h. */
#define _GNU_SOURCE /* O_TMPFILE */
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

char *fileio_read(const char *path, size_t max_size, size_t *size) {
  struct stat st;
  return fileio_read_stat(path, max_size, size, &st);
}

char *fileio_read_stat(const char *path, size_t max_size, size_t *size, struct stat *out) {
  /* open + fstat + one read for a regular file (stdio asked fstat again, and reading into a
   * buffer of exactly the size took a second read and a doubling to see the end) */
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return NULL;
  struct stat st;
  char *buf = NULL;
  if (fstat(fd, &st) != 0) goto fail;
  *out = st;
  if (S_ISDIR(st.st_mode)) {
    errno = EISDIR;
    goto fail;
  }
  if ((size_t)st.st_size > max_size) {
    errno = EFBIG;
    goto fail;
  }
  /* (room for one byte more than the size: a file that grew is seen to have grown) */
  size_t expected = (size_t)st.st_size, capacity = expected + 2, used = 0;
  buf = malloc(capacity);
  if (!buf) {
    errno = ENOMEM;
    goto fail;
  }
  for (;;) {
    ssize_t got = read(fd, buf + used, capacity - used - 1);
    if (got < 0) {
      if (errno == EINTR) continue;
      goto fail;
    }
    if (got == 0) break;
    used += (size_t)got;
    /* A regular file reads short only at its end: the size fstat gave, read in one go, is
     * the whole file without asking again (a file that shrank or a pipe reads on to 0). */
    if (used == expected && S_ISREG(st.st_mode) && used < capacity - 1) break;
    if (used < capacity - 1) continue;
    if (capacity > max_size) {
      errno = EFBIG;
      goto fail;
    }
    char *bigger = realloc(buf, capacity * 2);
    if (!bigger) {
      errno = ENOMEM;
      goto fail;
    }
    buf = bigger;
    capacity *= 2;
  }
  close(fd);
  buf[used] = '\0';
  if (size) *size = used;
  return buf;
fail : {
  int saved = errno;
  free(buf);
  close(fd);
  errno = saved;
  return NULL;
}
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
  static const char *spec;
  static int read;
  if (!read) { /* (the environment is the process's from its start: read once) */
    spec = getenv("NASTAVNIK_TEST_WRITE_FAIL");
    read = 1;
  }
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

static int write_atomic(const char *path, FileioProducer next, void *context, int exclusive);

/* The path whose next write must create the file (fileio_expect_new), or NULL. */
static char *expected_new;

void fileio_expect_new(const char *path) {
  free(expected_new);
  expected_new = path ? strdup(path) : NULL; /* (none when memory is short: a write judged) */
}

unsigned long long fileio_fnv1a64(unsigned long long hash, const void *data, size_t size) {
  const unsigned char *p = data;
  for (size_t i = 0; i < size; i++) hash = (hash ^ p[i]) * 0x100000001b3ULL;
  return hash;
}

/* (by hand: snprintf's "%016llx" twice was a thousand instructions of every file written) */
static void xxh3_hex(XXH128_hash_t h, char *hex) {
  static const char digits[] = "0123456789abcdef";
  for (int i = 0; i < 16; i++) {
    hex[i] = digits[(h.high64 >> (60 - 4 * i)) & 15];
    hex[16 + i] = digits[(h.low64 >> (60 - 4 * i)) & 15];
  }
  hex[FILEIO_CHECKSUM_HEX] = '\0';
}

/* The checksums of the last files written: build asks for each file's checksum right after
 * writing it, and need not read it back. The bytes written are the ones to record, without
 * asking the file system again whether the file is still the one written (a stat() of its
 * path, the fifth of a build's stat calls): a file changed in the microseconds between is
 * then recorded as ours and kept as edited by the next build, rather than overwritten. */
enum { REMEMBERED = 16 };
typedef struct {
  char *path;
  char sum[FILEIO_CHECKSUM_HEX + 1];
} Written;
static Written remembered[REMEMBERED];
static unsigned remembered_next;

void fileio_forget_written(const char *path) {
  for (unsigned i = 0; i < REMEMBERED; i++) {
    Written *w = &remembered[i];
    if (w->path && strcmp(w->path, path) == 0) {
      free(w->path);
      w->path = NULL;
    }
  }
}

static void remember(const char *path, const char *sum) {
  fileio_forget_written(path); /* (the newest write of a path is the one kept) */
  Written *w = &remembered[remembered_next++ % REMEMBERED];
  free(w->path);
  w->path = strdup(path); /* (none remembered when memory is short: the file is read again) */
  memcpy(w->sum, sum, sizeof w->sum);
}

int fileio_written_checksum(const char *path, char *hex) {
  for (unsigned i = 0; i < REMEMBERED; i++) {
    Written *w = &remembered[i];
    if (w->path && strcmp(w->path, path) == 0) {
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
  int exclusive = expected_new && strcmp(expected_new, path) == 0;
  fileio_expect_new(NULL); /* (asked for one write: the next one) */
  int rc = write_atomic(path, next, context, exclusive);
  if (rc != 0) {
    int saved = errno;
    note_failure(path, saved);
    errno = saved;
  }
  return rc;
}

/* Where the bytes go before the file gets its name. Usually an unnamed file (O_TMPFILE) in
 * the target's folder, linked under the target's name once it is whole: a killed process
 * leaves nothing behind, and on ext4 creating and linking it costs the kernel about 12 % less
 * than a named temporary renamed into place (20,000 files of 15 KB: 0.76 s against 0.86 s).
 * A file system without unnamed files, a system without /proc (the only way to name one
 * without privileges), or a target that exists (link() never replaces) take a temporary name
 * beside the target, renamed over it. While a temporary name exists, the CPU-time limit's
 * signal (lua_host.c), whose second coming ends the process at once, is held back: a
 * stopped run leaves no temporary file either. */
typedef struct {
  const char *path;
  int fd;
  int unnamed;
  char *tmp;   /* path + ".tmp-XXXXXX": the temporary name, once one exists */
  int blocked; /* SIGPROF held back (a temporary name exists) */
  sigset_t previous;
} Sink;

static void hold_signal(Sink *s) {
  if (s->blocked) return;
  sigset_t cpu_limit;
  sigemptyset(&cpu_limit);
  sigaddset(&cpu_limit, SIGPROF);
  sigprocmask(SIG_BLOCK, &cpu_limit, &s->previous);
  s->blocked = 1;
}

/* The next temporary name for s->path (the names are tried with O_EXCL or link(), which
 * fail when the name is taken: a run's pid and time only make a clash unlikely). */
static void next_temporary_name(Sink *s) {
  static unsigned long long state;
  if (!state) state = ((unsigned long long)getpid() << 32) ^ (unsigned long long)time(NULL);
  state = state * 6364136223846793005ULL + 1442695040888963407ULL;
  static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  unsigned long long bits = state >> 16;
  char *x = s->tmp + strlen(s->path) + strlen(".tmp-");
  for (int i = 0; i < 6; i++, bits /= 62) x[i] = letters[bits % 62];
}

enum { NAME_TRIES = 100 };

/* The mode of an output: 0666 less the umask, read once (the process never sets it, and the
 * sandbox gives a user's script no way to). */
static mode_t wanted_mode(void) {
  static mode_t mode = (mode_t)-1;
  if (mode == (mode_t)-1) {
    mode_t mask = umask(0);
    umask(mask);
    mode = 0666 & ~mask;
  }
  return mode;
}

/* Opens the unnamed file in path's folder: the fd, or -1 with errno. */
static int open_unnamed(Sink *s) {
  static int proc_usable = -1; /* /proc/self/fd, through which the file gets its name */
  if (proc_usable < 0) proc_usable = access("/proc/self/fd", X_OK) == 0;
  if (!proc_usable) {
    errno = EOPNOTSUPP;
    return -1;
  }
  /* (s->tmp's room holds the folder: the path up to its last slash) */
  const char *slash = strrchr(s->path, '/');
  if (!slash)
    strcpy(s->tmp, ".");
  else {
    size_t n = slash == s->path ? 1 : (size_t)(slash - s->path);
    memcpy(s->tmp, s->path, n);
    s->tmp[n] = '\0';
  }
  /* (0666: the kernel takes the umask away, as for any file the user makes; see wanted_mode) */
  int fd = open(s->tmp, O_TMPFILE | O_RDWR | O_CLOEXEC, 0666);
  s->tmp[0] = '\0'; /* (no temporary name yet) */
  return fd;
}

/* Creates a file under a new temporary name: the fd, or -1 with errno. */
static int open_named(Sink *s) {
  hold_signal(s);
  sprintf(s->tmp, "%s.tmp-XXXXXX", s->path);
  for (int i = 0; i < NAME_TRIES; i++) {
    next_temporary_name(s);
    int fd = open(s->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0 || errno != EEXIST) {
      if (fd < 0) s->tmp[0] = '\0';
      return fd;
    }
  }
  s->tmp[0] = '\0';
  return -1; /* (errno EEXIST) */
}

static int sink_open(Sink *s) {
  s->fd = open_unnamed(s);
  if (s->fd >= 0) {
    s->unnamed = 1;
    return 0;
  }
  /* the folder's file system has no unnamed files (EISDIR: a kernel older than 3.11) */
  if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL) return -1;
  s->fd = open_named(s);
  return s->fd >= 0 ? 0 : -1;
}

/* Gives the unnamed file a temporary name: linked through /proc, or, when /proc will not
 * link it (a security module may refuse), its bytes copied to a new named file. */
static int name_unnamed(Sink *s, const char *proc) {
  hold_signal(s);
  sprintf(s->tmp, "%s.tmp-XXXXXX", s->path);
  int err = EEXIST;
  for (int i = 0; i < NAME_TRIES && err == EEXIST; i++) {
    next_temporary_name(s);
    if (linkat(AT_FDCWD, proc, AT_FDCWD, s->tmp, AT_SYMLINK_FOLLOW) == 0) return 0;
    err = errno;
  }
  if (err != ENOENT && err != EPERM && err != EACCES) {
    s->tmp[0] = '\0';
    errno = err;
    return -1;
  }
  struct stat st;
  int unnamed = s->fd;
  if (fstat(unnamed, &st) != 0) return -1;
  s->fd = open_named(s);
  if (s->fd < 0) {
    s->fd = unnamed;
    return -1;
  }
  off_t from = 0;
  while (from < st.st_size) {
    ssize_t n = sendfile(s->fd, unnamed, &from, (size_t)(st.st_size - from));
    if (n <= 0) {
      if (n < 0 && errno == EINTR) continue;
      if (n == 0) errno = EIO;
      int saved = errno;
      close(unnamed);
      errno = saved;
      return -1;
    }
  }
  close(unnamed);
  return fchmod(s->fd, wanted_mode()); /* (what open() gave was not checked: see write_atomic) */
}

/* Links the unnamed file fd under path: by the descriptor itself where the kernel lets a
 * process do so with a file it opened (AT_EMPTY_PATH, Linux 6.10; before, it asks for a
 * privilege and says ENOENT; a security module may say EPERM), which spares the kernel the
 * lookup of /proc/self/fd/N (about a twentieth of the system time of a file, measured on
 * 20,000 files of 15 KB), else through /proc (proc: room for that name, 32 bytes, written when
 * it is used). */
static int link_unnamed(int fd, char *proc, const char *path) {
  static int by_descriptor = 1;
  if (by_descriptor) {
    if (linkat(fd, "", AT_FDCWD, path, AT_EMPTY_PATH) == 0) return 0;
    if (errno == EEXIST) return -1; /* (whatever the way: something is there) */
  }
  snprintf(proc, 32, "/proc/self/fd/%d", fd);
  int rc = linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW);
  if (rc == 0) by_descriptor = 0; /* (the other way was refused: asked no more) */
  return rc;
}

/* Puts the whole file in place under s->path, and closes it; `exclusive`: only where nothing
 * is (else EEXIST, nothing replaced). */
static int sink_publish(Sink *s, int exclusive) {
  if (s->unnamed) {
    char proc[32]; /* (named by link_unnamed when it links through /proc, else here) */
    if (link_unnamed(s->fd, proc, s->path) == 0) {
      int fd = s->fd;
      s->fd = -1;
      if (close(fd) == 0) return 0;
      int saved = errno; /* (a file system reporting a write's failure only now) */
      unlink(s->path);
      errno = saved;
      return -1;
    }
    if (errno == EEXIST && exclusive) return -1;
    if (errno != EEXIST && errno != ENOENT && errno != EPERM && errno != EACCES) return -1;
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", s->fd);
    if (name_unnamed(s, proc) != 0) return -1;
  }
  int fd = s->fd;
  s->fd = -1;
  if (close(fd) != 0) return -1;
  if (!exclusive) return rename(s->tmp, s->path);
  if (renameat2(AT_FDCWD, s->tmp, AT_FDCWD, s->path, RENAME_NOREPLACE) == 0) return 0;
  if (errno == EINVAL || errno == ENOSYS) errno = EEXIST; /* (cannot tell: judged by the caller) */
  return -1;
}

/* Takes back what a failed write left: the open file, the temporary name. */
static void sink_discard(Sink *s) {
  int saved = errno;
  if (s->fd >= 0) close(s->fd);
  if (s->tmp && s->tmp[0]) unlink(s->tmp);
  errno = saved;
}

/* The folder (and way: unnamed or not) whose last new file came with the wanted mode: the
 * folder's default ACL and its file system decide the mode, so its next files get the same and
 * are not asked (an fstat() of every output). */
static char *settled_folder;
static size_t settled_len;
static int settled_unnamed;

static size_t folder_length(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? (size_t)(slash - path) : 0;
}

static int mode_settled(const Sink *s) {
  size_t n = folder_length(s->path);
  return settled_folder && n == settled_len && s->unnamed == settled_unnamed &&
         memcmp(settled_folder, s->path, n) == 0;
}

static void settle_mode(const Sink *s) {
  size_t n = folder_length(s->path);
  char *copy = malloc(n + 1);
  if (!copy) return; /* (asked again next time) */
  memcpy(copy, s->path, n);
  copy[n] = '\0';
  free(settled_folder);
  settled_folder = copy;
  settled_len = n;
  settled_unnamed = s->unnamed;
}

static int write_atomic(const char *path, FileioProducer next, void *context, int exclusive) {
  size_t len = strlen(path);
  Sink s = {.path = path, .fd = -1};
  s.tmp = malloc(len + sizeof ".tmp-XXXXXX");
  if (!s.tmp) {
    errno = ENOMEM;
    return -1;
  }
  s.tmp[0] = '\0';
  int rc = -1;
  if (sink_open(&s) != 0) goto done;
  /* (an injected failure stops halfway through the first part, as a full disk would) */
  int injected = injected_failure(path);
  FileioPart part;
  int more;
  XXH3_state_t *state = xxh3_state();
  if (!state || XXH3_128bits_reset(state) != XXH_OK) {
    errno = ENOMEM;
    goto done;
  }
  while ((more = next(context, &part)) > 0) {
    XXH3_128bits_update(state, part.data, part.size);
    const char *p = part.data;
    size_t left = injected ? part.size / 2 : part.size;
    while (left > 0) {
      ssize_t n = write(s.fd, p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        goto done;
      }
      p += n;
      left -= (size_t)n;
    }
    if (injected) break;
  }
  if (more < 0) goto done;
  if (injected) {
    errno = injected;
    goto done;
  }
  /* The mode open() gave is 0666 less the umask, except under a folder's default ACL, and
   * for an unnamed file on a file system without ACLs before Linux 6.2 (no umask taken):
   * made so, as for every output before unnamed files. */
  if (!mode_settled(&s)) {
    struct stat st;
    int known = fstat(s.fd, &st) == 0;
    if (known && (st.st_mode & 07777) == wanted_mode())
      settle_mode(&s);
    else if (fchmod(s.fd, wanted_mode()) != 0)
      goto done;
  }
  if (sink_publish(&s, exclusive) != 0) goto done;
  s.tmp[0] = '\0';
  rc = 0;
  char sum[FILEIO_CHECKSUM_HEX + 1];
  xxh3_hex(XXH3_128bits_digest(state), sum);
  remember(path, sum);
done:
  if (rc != 0) {
    sink_discard(&s);
    fileio_forget_written(path); /* (what is at path now is not known: read when asked) */
  }
  free(s.tmp);
  if (s.blocked) {
    int saved = errno;
    sigprocmask(SIG_SETMASK, &s.previous, NULL);
    errno = saved;
  }
  return rc;
}

/* mkdir -p from the leaf up: the folder itself first (it exists or its parent does, most
 * times: one call), its parent only when the folder's mkdir says the parent is missing. */
static int make_dirs_in(char *path) {
  if (mkdir(path, 0777) == 0 || errno == EEXIST) return 0;
  if (errno != ENOENT) return -1;
  size_t cut = strlen(path);
  while (cut > 1 && path[cut - 1] == '/') cut--;           /* the folder's trailing slashes */
  while (cut > 0 && path[cut - 1] != '/') cut--;           /* its name */
  while (cut > 1 && path[cut - 1] == '/') cut--;           /* the slashes before it */
  if (cut == 0 || (cut == 1 && path[0] == '/')) return -1; /* (no parent to make: ENOENT) */
  char kept = path[cut];
  path[cut] = '\0';
  int rc = make_dirs_in(path);
  path[cut] = kept;
  if (rc != 0) return -1;
  return mkdir(path, 0777) == 0 || errno == EEXIST ? 0 : -1;
}

int fileio_make_dirs(const char *path) {
  char *copy = strdup(path);
  if (!copy) {
    errno = ENOMEM;
    return -1;
  }
  int rc = make_dirs_in(copy);
  int saved = errno;
  free(copy);
  errno = saved;
  return rc;
}
