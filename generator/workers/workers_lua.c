/* workers_lua: see workers_lua.h. */
#define _POSIX_C_SOURCE 200809L
#include "workers/workers_lua.h"

#include <errno.h>
#include <lauxlib.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "oserror.h"

static int fail(lua_State *L, const char *what) {
  int saved = errno;
  lua_pushnil(L);
  lua_pushfstring(L, "%s: %s", what, oserror_reason(saved, OSERROR_WRITING));
  return 2;
}

/* jemalloc's control, when the program is linked with it (generator/main.c): weak, so that
 * the builds without it (the sanitizers', the tests') link too and release nothing. */
extern int mallctl(const char *name, void *old, size_t *old_size, void *new_value, size_t new_size)
    __attribute__((weak));

/* Gives the pages freed since back to the system now rather than after jemalloc's decay (a
 * second): what a process freed before it forks, or before its next large document, is not
 * counted in its resident memory beside what it makes next. "arena.4096" is every arena
 * (MALLCTL_ARENAS_ALL). */
static int l_release(lua_State *L) {
  (void)L;
  if (mallctl) mallctl("arena.4096.purge", NULL, NULL, NULL, 0);
  return 0;
}

static int l_cores(lua_State *L) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  lua_pushinteger(L, n > 0 ? n : 1);
  return 1;
}

/* jemalloc's control, when the program is linked with it (not under the sanitizers). */
extern int mallctl(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen)
    __attribute__((weak));

/* The memory the process has freed goes back to the system before it forks: a worker's
 * resident memory counts every page it shares with its parent, and jemalloc keeps freed
 * pages for seconds (a region's reading leaves tens of MB of them: measured below). */
static void return_freed_memory(void) {
  if (mallctl) mallctl("arena.4096.purge", NULL, NULL, NULL, 0); /* 4096: MALLCTL_ARENAS_ALL */
}

static int l_start(lua_State *L) {
  int fds[2];
  return_freed_memory();
  if (pipe(fds) != 0) return fail(L, "не удалось создать канал для процесса-исполнителя");
  /* What the parent has buffered for stdout must not be written again by the worker. */
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) {
    int saved = errno;
    close(fds[0]);
    close(fds[1]);
    errno = saved;
    return fail(L, "не удалось запустить процесс-исполнитель");
  }
  if (pid == 0) {
    close(fds[0]);
    lua_pushinteger(L, 0);
    lua_pushinteger(L, fds[1]);
    return 2;
  }
  close(fds[1]);
  lua_pushinteger(L, pid);
  lua_pushinteger(L, fds[0]);
  return 2;
}

static int write_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* Reads exactly n bytes: 1, or 0 at the end of the stream, or -1. */
static int read_all(int fd, char *p, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = read(fd, p + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return -1;
    if (r == 0) return 0;
    got += (size_t)r;
  }
  return 1;
}

static int l_send(lua_State *L) {
  int fd = (int)luaL_checkinteger(L, 1);
  size_t len;
  const char *bytes = luaL_checklstring(L, 2, &len);
  unsigned char head[8];
  for (int i = 0; i < 8; i++) head[i] = (unsigned char)((uint64_t)len >> (8 * i));
  if (write_all(fd, (const char *)head, sizeof head) != 0 || write_all(fd, bytes, len) != 0)
    return fail(L, "не удалось передать результат процессу build");
  lua_pushboolean(L, 1);
  return 1;
}

static int l_receive(lua_State *L) {
  int fd = (int)luaL_checkinteger(L, 1);
  unsigned char head[8];
  if (read_all(fd, (char *)head, sizeof head) != 1) return 0;
  uint64_t len = 0;
  for (int i = 0; i < 8; i++) len |= (uint64_t)head[i] << (8 * i);
  luaL_Buffer b;
  char *p = luaL_buffinitsize(L, &b, (size_t)len);
  if (read_all(fd, p, (size_t)len) != 1) return 0; /* cut short: the worker ended */
  luaL_pushresultsize(&b, (size_t)len);
  return 1;
}

static int l_close(lua_State *L) {
  close((int)luaL_checkinteger(L, 1));
  return 0;
}

static int l_wait(lua_State *L) {
  pid_t pid = (pid_t)luaL_checkinteger(L, 1);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return fail(L, "не удалось дождаться процесса-исполнителя");
  }
  if (WIFSIGNALED(status)) {
    lua_pushliteral(L, "signal");
    lua_pushinteger(L, WTERMSIG(status));
  } else {
    lua_pushliteral(L, "exit");
    lua_pushinteger(L, WEXITSTATUS(status));
  }
  return 2;
}

static int l_finish(lua_State *L) {
  int code = (int)luaL_optinteger(L, 1, 0);
  fflush(stdout);
  fflush(stderr);
  _exit(code);
}

static int l_remove(lua_State *L) {
  if (unlink(luaL_checkstring(L, 1)) != 0) return fail(L, "не удалось удалить файл");
  lua_pushboolean(L, 1);
  return 1;
}

int luaopen_nastavnik_processes(lua_State *L) {
  static const luaL_Reg functions[] = {
      {"cores", l_cores},     {"start", l_start}, {"send", l_send},     {"receive", l_receive},
      {"close", l_close},     {"wait", l_wait},   {"finish", l_finish}, {"remove", l_remove},
      {"release", l_release}, {NULL, NULL}};
  luaL_newlib(L, functions);
  return 1;
}
