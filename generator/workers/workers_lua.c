/* workers_lua: see workers_lua.h. */
#define _GNU_SOURCE /* O_TMPFILE, MAP_ANONYMOUS */
#include "workers/workers_lua.h"

#include <errno.h>
#include <fcntl.h>
#include <lauxlib.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "oserror.h"
#include "pointer_slot.h"

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
 * second): what a process freed before it forks (a worker's resident memory counts every
 * page it shares with its parent; a region's reading leaves tens of MB of them), or before
 * its next large document, is not counted in its resident memory beside what it makes next.
 * "arena.4096" is every arena (MALLCTL_ARENAS_ALL). */
static void return_freed_memory(void) {
  if (mallctl) mallctl("arena.4096.purge", NULL, NULL, NULL, 0);
}

static int l_release(lua_State *L) {
  (void)L;
  return_freed_memory();
  return 0;
}

static int l_cores(lua_State *L) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  lua_pushinteger(L, n > 0 ? n : 1);
  return 1;
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

/* The first of the fds (a list) that has something to read, or whose writer has ended: waits
 * until one has. Lets build read its workers' results ahead of their turn while a result it
 * must tell first (a region's own documents) is still being made. */
static int l_ready(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  nfds_t n = (nfds_t)luaL_len(L, 1);
  luaL_argcheck(L, n >= 1 && n <= 1024, 1, "1 to 1024 fds");
  /* (as many as build's -j allows and one: userdata, freed by the collector) */
  struct pollfd *fds = lua_newuserdatauv(L, n * sizeof *fds, 0);
  for (nfds_t i = 0; i < n; i++) {
    lua_geti(L, 1, (lua_Integer)i + 1);
    fds[i].fd = (int)luaL_checkinteger(L, -1);
    fds[i].events = POLLIN;
    fds[i].revents = 0;
    lua_pop(L, 1);
  }
  for (;;) {
    int r = poll(fds, n, -1);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return fail(L, "не удалось дождаться процесса-исполнителя");
    for (nfds_t i = 0; i < n; i++) {
      if (fds[i].revents != 0) {
        lua_pushinteger(L, fds[i].fd);
        return 1;
      }
    }
  }
}

/* A result as bytes (workers.lua's messages): plain data — strings, numbers, booleans and
 * tables of them — written here and read back by decode with the same shape; a table met
 * twice is one table again when read back (a region's light copies share their people
 * between the list and the pairs). In C rather than as a Lua chunk read back by load(): a
 * region's worker sends about 115 KB an organisation (2,000 organisations: 230 MB), which
 * Lua's parser read a character at a time in the one process that waits for all of them.
 *
 * A value: 'f' | 't' | 'i' int64 | 'd' double | 's' length bytes | 'R' index (a table or a
 * string sent before, numbered from 1 in the order first met, tables and strings counted
 * together) | 'T' n_array n_hash, the array's values 1..n_array, then n_hash keys and values.
 * Numbers in the machine's order (the same machine reads them); lengths and counts as
 * base-128 varints. A message is the count of its tables and strings numbered, then its value:
 * the reader's table of them is made that size at once (grown from none it was rehashed a
 * dozen times an organisation).
 *
 * A string met again (the same Lua string: its bytes' address) is sent as its number: an
 * organisation's 2,000 strings are some 400 distinct ones (its tables' keys: 1,300 of 75), and
 * reading one back was a hash of its bytes and a look-up in Lua's strings (a short one) or a
 * new copy (a long one); its number is one look-up in an array. */
typedef struct {
  char *p;
  size_t n, cap;
  const char *bad;    /* the type of a value that cannot be sent */
  lua_Integer tables; /* the tables and strings numbered so far */
  /* The tables and strings met so far (address -> number): an open-addressed table of its own
   * rather than a Lua table, whose growth and hashing were a fifth of encoding an organisation. */
  const void **keys;
  lua_Integer *numbers;
  size_t slots; /* a power of two, or 0 */
} Out;

static void out_grow(Out *o, size_t more) {
  if (o->n + more <= o->cap) return;
  size_t cap = o->cap ? o->cap : 4096;
  while (cap < o->n + more) cap *= 2;
  char *p = realloc(o->p, cap);
  if (!p) {
    o->bad = "memory";
    return;
  }
  o->p = p;
  o->cap = cap;
}

static inline void out_bytes(Out *o, const void *bytes, size_t n) {
  if (o->n + n > o->cap) {
    out_grow(o, n);
    if (o->bad) return;
  }
  memcpy(o->p + o->n, bytes, n);
  o->n += n;
}

/* The slot of `t` (a table, or a string's bytes) in those met: where it is, or the empty one
 * where it goes. */
static size_t seen_slot(const Out *o, const void *t) {
  return pointer_slot(o->keys, o->slots, t);
}

/* The set of those met made twice as large (first 4,096 slots: an organisation numbers some
 * 3,000 tables and strings); false when out of memory. */
static __attribute__((noinline)) bool grow_seen(Out *o) {
  size_t slots = o->slots ? o->slots * 2 : 4096;
  const void **keys = calloc(slots, sizeof *keys);
  lua_Integer *numbers = malloc(slots * sizeof *numbers);
  if (!keys || !numbers) {
    free(keys);
    free(numbers);
    o->bad = "memory";
    return false;
  }
  Out grown = *o;
  grown.keys = keys, grown.numbers = numbers, grown.slots = slots;
  for (size_t k = 0; k < o->slots; k++)
    if (o->keys[k]) {
      size_t i = seen_slot(&grown, o->keys[k]);
      keys[i] = o->keys[k];
      numbers[i] = o->numbers[k];
    }
  free(o->keys);
  free(o->numbers);
  o->keys = keys, o->numbers = numbers, o->slots = slots;
  return true;
}

/* The number of `t` (a table, or a string's bytes: distinct objects, distinct addresses) if it
 * was met before (0 if not: it is then numbered, the next). (The set grown first when one more
 * would fill it past half: one probe finds `t` or its slot.) */
static inline lua_Integer seen_before(Out *o, const void *t) {
  if ((size_t)(o->tables + 1) * 2 > o->slots && !grow_seen(o)) return 0;
  size_t i = seen_slot(o, t);
  if (o->keys[i]) return o->numbers[i];
  o->keys[i] = t;
  o->numbers[i] = ++o->tables;
  return 0;
}

/* v as a base-128 varint in b; its length. */
static size_t varint(uint64_t v, unsigned char b[10]) {
  size_t k = 0;
  do {
    b[k] = (unsigned char)(v & 0x7f);
    v >>= 7;
    if (v) b[k] |= 0x80;
    k++;
  } while (v);
  return k;
}

static void out_count(Out *o, uint64_t v) {
  unsigned char b[10];
  out_bytes(o, b, varint(v, b));
}

/* Writes the value at `idx` (absolute). */
static void encode_value(lua_State *L, Out *o, int idx, int depth) {
  if (o->bad) return;
  switch (lua_type(L, idx)) {
    case LUA_TBOOLEAN:
      out_bytes(o, lua_toboolean(L, idx) ? "t" : "f", 1);
      return;
    case LUA_TNUMBER:
      if (lua_isinteger(L, idx)) {
        lua_Integer i = lua_tointeger(L, idx);
        out_bytes(o, "i", 1);
        out_bytes(o, &i, sizeof i);
      } else {
        lua_Number d = lua_tonumber(L, idx);
        out_bytes(o, "d", 1);
        out_bytes(o, &d, sizeof d);
      }
      return;
    case LUA_TSTRING: {
      size_t len;
      const char *str = lua_tolstring(L, idx, &len);
      lua_Integer before = seen_before(o, str);
      if (o->bad) return;
      if (before) {
        out_bytes(o, "R", 1);
        out_count(o, (uint64_t)before);
        return;
      }
      out_bytes(o, "s", 1);
      out_count(o, len);
      out_bytes(o, str, len);
      return;
    }
    case LUA_TTABLE:
      break;
    default:
      o->bad = luaL_typename(L, idx);
      return;
  }
  if (depth > 200 || !lua_checkstack(L, 4)) {
    o->bad = "depth";
    return;
  }
  lua_Integer before = seen_before(o, lua_topointer(L, idx));
  if (o->bad) return;
  if (before) {
    out_bytes(o, "R", 1);
    out_count(o, (uint64_t)before);
    return;
  }
  /* (the array part by position, then the other keys in the table's own order: the table
   * read back is made the same size and filled in the same order) */
  lua_Integer n = 0;
  while (lua_rawgeti(L, idx, n + 1) != LUA_TNIL) {
    lua_pop(L, 1);
    n++;
  }
  lua_pop(L, 1);
  out_bytes(o, "T", 1);
  out_count(o, (uint64_t)n);
  /* (the count of the other keys is known once they are written — they were walked twice,
   * once only to count them: its byte is kept, and the table's bytes moved on in the rare
   * case that its varint takes more) */
  size_t others_at = o->n;
  out_bytes(o, "", 1);
  for (lua_Integer i = 1; i <= n && !o->bad; i++) {
    lua_rawgeti(L, idx, i);
    encode_value(L, o, lua_gettop(L), depth + 1);
    lua_pop(L, 1);
  }
  uint64_t others = 0;
  lua_pushnil(L);
  while (!o->bad && lua_next(L, idx)) {
    if (!(lua_isinteger(L, -2) && lua_tointeger(L, -2) >= 1 && lua_tointeger(L, -2) <= n)) {
      encode_value(L, o, lua_gettop(L) - 1, depth + 1);
      encode_value(L, o, lua_gettop(L), depth + 1);
      others++;
    }
    lua_pop(L, 1);
  }
  if (o->bad) {
    lua_pop(L, 1); /* the key lua_next left */
    return;
  }
  unsigned char b[10];
  size_t k = varint(others, b);
  if (k > 1) {
    out_grow(o, k - 1);
    if (o->bad) return;
    memmove(o->p + others_at + k, o->p + others_at + 1, o->n - others_at - 1);
    o->n += k - 1;
  }
  memcpy(o->p + others_at, b, k);
}

/* processes.encode(value) -> bytes; raises "workers: a result may hold no <type>". */
static int l_encode(lua_State *L) {
  luaL_checkany(L, 1);
  lua_settop(L, 1);
  Out o = {0};
  /* (room for the count, known at the end: its varint is written just before the value) */
  enum { HEAD = 10 };
  out_grow(&o, HEAD);
  o.n = HEAD;
  encode_value(L, &o, 1, 0);
  free(o.keys);
  free(o.numbers);
  if (o.bad) {
    free(o.p);
    return luaL_error(L, "workers: a result may hold no %s", o.bad);
  }
  unsigned char b[10];
  size_t k = varint((uint64_t)o.tables, b);
  memcpy(o.p + HEAD - k, b, k);
  lua_pushlstring(L, o.p + HEAD - k, o.n - HEAD + k);
  free(o.p);
  return 1;
}

typedef struct {
  const unsigned char *p, *end;
  int refs; /* absolute: the tables and strings read so far, by number */
  lua_Integer tables;
} In;

static int in_count(In *in, uint64_t *v) {
  *v = 0;
  for (int shift = 0; shift < 64 && in->p < in->end; shift += 7) {
    unsigned char b = *in->p++;
    *v |= (uint64_t)(b & 0x7f) << shift;
    if (!(b & 0x80)) return 1;
  }
  return 0;
}

/* Reads `size` bytes of a number into `to`; 0 when fewer are left. */
static int in_fixed(In *in, void *to, size_t size) {
  if ((size_t)(in->end - in->p) < size) return 0;
  memcpy(to, in->p, size);
  in->p += size;
  return 1;
}

/* Pushes the next value; 0 when the bytes are not a whole value. */
static int decode_value(lua_State *L, In *in, int depth) {
  if (in->p >= in->end) return 0;
  unsigned char tag = *in->p++;
  uint64_t n, others;
  switch (tag) {
    case 'f':
    case 't':
      lua_pushboolean(L, tag == 't');
      return 1;
    case 'i': {
      lua_Integer i;
      if (!in_fixed(in, &i, sizeof i)) return 0;
      lua_pushinteger(L, i);
      return 1;
    }
    case 'd': {
      lua_Number d;
      if (!in_fixed(in, &d, sizeof d)) return 0;
      lua_pushnumber(L, d);
      return 1;
    }
    case 's':
      if (!in_count(in, &n) || (uint64_t)(in->end - in->p) < n) return 0;
      lua_pushlstring(L, (const char *)in->p, (size_t)n);
      in->p += n;
      lua_pushvalue(L, -1);
      lua_rawseti(L, in->refs, ++in->tables);
      return 1;
    case 'R':
      if (!in_count(in, &n) || n < 1 || n > (uint64_t)in->tables) return 0;
      lua_rawgeti(L, in->refs, (lua_Integer)n);
      return 1;
    case 'T':
      /* (a value pushes one slot, a table's key and value two more: room checked per table) */
      if (depth > 200 || !lua_checkstack(L, 4)) return 0;
      if (!in_count(in, &n) || !in_count(in, &others)) return 0;
      if (n > (uint64_t)(in->end - in->p) || others > (uint64_t)(in->end - in->p)) return 0;
      lua_createtable(L, (int)n, (int)others);
      lua_pushvalue(L, -1);
      lua_rawseti(L, in->refs, ++in->tables);
      for (uint64_t i = 1; i <= n; i++) {
        if (!decode_value(L, in, depth + 1)) return 0;
        lua_rawseti(L, -2, (lua_Integer)i);
      }
      for (uint64_t i = 0; i < others; i++) {
        /* (no value reads back as nil: only a float key, NaN, is not one a table takes) */
        bool number = in->p < in->end && *in->p == 'd';
        if (!decode_value(L, in, depth + 1)) return 0;
        if (!decode_value(L, in, depth + 1)) return 0;
        if (number && lua_tonumber(L, -2) != lua_tonumber(L, -2)) return 0;
        lua_rawset(L, -3);
      }
      return 1;
    default:
      return 0;
  }
}

/* processes.decode(bytes) -> value (what encode was given); raises on bytes that are not. */
static int l_decode(lua_State *L) {
  size_t len;
  const char *bytes = luaL_checklstring(L, 1, &len);
  lua_settop(L, 1);
  In in = {(const unsigned char *)bytes, (const unsigned char *)bytes + len, 2, 0};
  uint64_t numbered;
  if (!in_count(&in, &numbered) || numbered > len) {
    return luaL_error(L, "workers: a message cut short or not one of encode's");
  }
  lua_createtable(L, (int)numbered, 0);
  int top = lua_gettop(L);
  if (!decode_value(L, &in, 0) || in.p != in.end) {
    lua_settop(L, top);
    return luaL_error(L, "workers: a message cut short or not one of encode's");
  }
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

/* A spill file: where a region's first read keeps each organisation (encoded) for the
 * worker that makes its documents later (scripts/nastavnik/commands/build.lua), so that it is
 * not read and validated a second time. An unnamed file, so that nothing of it outlives the
 * run however it ends; its fd and the end of what is kept (a counter in memory shared with
 * every process forked after) go with each fork, so that any worker keeps and reads: each
 * piece gets its room by one atomic addition, and is written and read at its own offset. */
#define SPILL_META "nastavnik.spill"

typedef struct {
  int fd;
  uint64_t *end; /* shared: the bytes kept so far */
} Spill;

static Spill *check_spill(lua_State *L) {
  Spill *s = luaL_checkudata(L, 1, SPILL_META);
  if (s->fd < 0) luaL_error(L, "spill: closed");
  return s;
}

static int spill_gc(lua_State *L) {
  Spill *s = luaL_checkudata(L, 1, SPILL_META);
  if (s->fd >= 0) close(s->fd);
  if (s->end) munmap(s->end, sizeof *s->end);
  s->fd = -1;
  s->end = NULL;
  return 0;
}

/* processes.spill(dir) -> spill | nil, message: the file in `dir` (an unnamed one; where the
 * file system has none, a named one removed at once). */
static int l_spill(lua_State *L) {
  const char *dir = luaL_checkstring(L, 1);
  /* (the way without a file, which no file system of ours takes, tested on purpose) */
  if (getenv("NASTAVNIK_TEST_NO_SPILL")) return fail(L, "временный файл не создан (проверка)");
  Spill *s = lua_newuserdatauv(L, sizeof *s, 0);
  s->fd = -1;
  s->end = NULL;
  luaL_setmetatable(L, SPILL_META);
  s->fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (s->fd < 0) {
    lua_pushfstring(L, "%s/.spill-XXXXXX", dir);
    char *name = strdup(lua_tostring(L, -1));
    lua_pop(L, 1);
    if (!name) return fail(L, "не удалось создать временный файл");
    s->fd = mkstemp(name);
    if (s->fd >= 0) unlink(name);
    free(name);
    if (s->fd < 0) return fail(L, "не удалось создать временный файл");
  }
  void *shared =
      mmap(NULL, sizeof *s->end, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (shared == MAP_FAILED) return fail(L, "не удалось создать временный файл");
  s->end = shared;
  *s->end = 0;
  return 1;
}

/* spill:keep(bytes) -> offset | nil, message */
static int spill_keep(lua_State *L) {
  Spill *s = check_spill(L);
  size_t len;
  const char *bytes = luaL_checklstring(L, 2, &len);
  uint64_t at = __atomic_fetch_add(s->end, (uint64_t)len, __ATOMIC_RELAXED);
  for (size_t done = 0; done < len;) {
    ssize_t w = pwrite(s->fd, bytes + done, len - done, (off_t)(at + done));
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return fail(L, "не удалось записать временный файл");
    done += (size_t)w;
  }
  lua_pushinteger(L, (lua_Integer)at);
  return 1;
}

/* spill:read(offset, length) -> bytes | nil, message */
static int spill_read(lua_State *L) {
  Spill *s = check_spill(L);
  lua_Integer at = luaL_checkinteger(L, 2), len = luaL_checkinteger(L, 3);
  luaL_argcheck(L, at >= 0, 2, "offset");
  luaL_argcheck(L, len >= 0, 3, "length");
  luaL_Buffer b;
  char *p = luaL_buffinitsize(L, &b, (size_t)len);
  for (size_t done = 0; done < (size_t)len;) {
    ssize_t r = pread(s->fd, p + done, (size_t)len - done, (off_t)at + (off_t)done);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return fail(L, "не удалось прочитать временный файл");
    if (r == 0) {
      lua_pushnil(L);
      lua_pushliteral(L, "временный файл короче, чем записано");
      return 2;
    }
    done += (size_t)r;
  }
  luaL_pushresultsize(&b, (size_t)len);
  return 1;
}

/* The units of a run shared out between its workers as they go (scripts/nastavnik/workers.lua):
 * the next unit to make, a counter in memory shared with every worker forked after, so that
 * a worker whose units were quicker takes the next rather than idling at the end while the
 * other makes its fixed share; and the unit each worker took last, which the parent reads
 * when a worker ends without that unit's result (killed), to tell which one it lost. */
#define UNITS_META "nastavnik.units"
#define UNITS_WORKERS 256

typedef struct {
  long next; /* atomic */
  long taken[UNITS_WORKERS + 1];
} SharedUnits;

typedef struct {
  SharedUnits *shared;
  long count;
  long kill_at; /* the unit whose taker ends at once (NASTAVNIK_TEST_KILL_UNIT), or 0 */
} Units;

/* NASTAVNIK_TEST_KILL_UNIT=R:U (tests/region/workers_test.py): the worker that takes unit U of
 * this process's R-th processes.units (build: 1 the reading of the organisations, 2 their
 * documents) ends at once by SIGKILL, having taken it: a worker killed mid-unit, at a point a
 * test can count on (a kill from outside may fall between two units and lose nothing). The
 * unit of this run to kill at, or 0. */
static long unit_to_kill(void) {
  static int runs;
  runs++;
  const char *spec = getenv("NASTAVNIK_TEST_KILL_UNIT");
  int run;
  long unit;
  if (!spec || sscanf(spec, "%d:%ld", &run, &unit) != 2 || run != runs) return 0;
  return unit;
}

static int units_gc(lua_State *L) {
  Units *u = luaL_checkudata(L, 1, UNITS_META);
  if (u->shared) munmap(u->shared, sizeof *u->shared);
  u->shared = NULL;
  return 0;
}

static int check_worker(lua_State *L, Units *u) {
  if (!u->shared) luaL_error(L, "units: closed");
  lua_Integer k = luaL_checkinteger(L, 2);
  luaL_argcheck(L, k >= 1 && k <= UNITS_WORKERS, 2, "worker");
  return (int)k;
}

/* processes.units(count) -> units | nil, message: units 1..count, none taken yet. */
static int l_units(lua_State *L) {
  lua_Integer count = luaL_checkinteger(L, 1);
  Units *u = lua_newuserdatauv(L, sizeof *u, 0);
  u->shared = NULL;
  u->count = (long)count;
  u->kill_at = unit_to_kill();
  luaL_setmetatable(L, UNITS_META);
  void *shared =
      mmap(NULL, sizeof *u->shared, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (shared == MAP_FAILED) return fail(L, "не удалось разделить работу между процессами");
  u->shared = shared;
  memset(u->shared, 0, sizeof *u->shared);
  u->shared->next = 1;
  return 1;
}

/* units:take(k) -> the next unit, now worker k's | nil when all are taken. */
static int units_take(lua_State *L) {
  Units *u = luaL_checkudata(L, 1, UNITS_META);
  int k = check_worker(L, u);
  long i = __atomic_fetch_add(&u->shared->next, 1, __ATOMIC_RELAXED);
  if (i > u->count) {
    __atomic_store_n(&u->shared->taken[k], 0, __ATOMIC_RELAXED);
    return 0;
  }
  __atomic_store_n(&u->shared->taken[k], i, __ATOMIC_RELAXED);
  if (i == u->kill_at) raise(SIGKILL);
  lua_pushinteger(L, i);
  return 1;
}

/* units:taken(k) -> the unit worker k took last (0: none, or none left when it asked). */
static int units_taken(lua_State *L) {
  Units *u = luaL_checkudata(L, 1, UNITS_META);
  int k = check_worker(L, u);
  lua_pushinteger(L, __atomic_load_n(&u->shared->taken[k], __ATOMIC_RELAXED));
  return 1;
}

/* Registers the metatable `name` of a userdata class: its methods, and gc as __gc. */
static void new_class(lua_State *L, const char *name, const luaL_Reg *methods, lua_CFunction gc) {
  luaL_newmetatable(L, name);
  lua_newtable(L);
  luaL_setfuncs(L, methods, 0);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
}

int luaopen_nastavnik_processes(lua_State *L) {
  static const luaL_Reg spill_methods[] = {
      {"keep", spill_keep}, {"read", spill_read}, {"close", spill_gc}, {NULL, NULL}};
  new_class(L, SPILL_META, spill_methods, spill_gc);
  static const luaL_Reg units_methods[] = {
      {"take", units_take}, {"taken", units_taken}, {"close", units_gc}, {NULL, NULL}};
  new_class(L, UNITS_META, units_methods, units_gc);
  static const luaL_Reg functions[] = {
      {"cores", l_cores},     {"start", l_start}, {"send", l_send},     {"receive", l_receive},
      {"close", l_close},     {"wait", l_wait},   {"finish", l_finish}, {"remove", l_remove},
      {"release", l_release}, {"ready", l_ready}, {"encode", l_encode}, {"decode", l_decode},
      {"spill", l_spill},     {"units", l_units}, {NULL, NULL}};
  luaL_newlib(L, functions);
  return 1;
}
