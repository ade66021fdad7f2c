/* datadir: see datadir.h. */
#define _DEFAULT_SOURCE
#include "datadir.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int datadir_self(char *out, size_t size) {
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) return -1;
  exe[n] = '\0';
  char *slash = strrchr(exe, '/');
  if (!slash) return -1;
  *slash = '\0';
  if (strlen(exe) + 1 > size) return -1;
  strcpy(out, exe[0] ? exe : "/");
  return 0;
}

int datadir_same_folder(const char *a, const char *b) {
  struct stat sa, sb;
  if (stat(a, &sa) != 0 || stat(b, &sb) != 0) return 0;
  return S_ISDIR(sa.st_mode) && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

int datadir_resolve(const char *folder, const char *relative, char *out, size_t size) {
  char joined[PATH_MAX], resolved[PATH_MAX];
  if (snprintf(joined, sizeof joined, "%s/%s", folder, relative) >= (int)sizeof joined) {
    errno = ENAMETOOLONG;
    return -1;
  }
  if (!realpath(joined, resolved)) return -1;
  if (strlen(resolved) + 1 > size) {
    errno = ENAMETOOLONG;
    return -1;
  }
  strcpy(out, resolved);
  return 0;
}
