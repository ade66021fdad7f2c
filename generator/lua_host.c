/* lua_host: see lua_host.h. */
#define _POSIX_C_SOURCE 200809L
#include "lua_host.h"

#include <dirent.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <errno.h>
#include <lauxlib.h>
#include <lualib.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "oserror.h"
#include "pointer_slot.h"
#include "profile.h"

/* Lua's share of the 512 MiB a run may take; the rest is for the layout, PDF and zip. */
#define DEFAULT_MEMORY_LIMIT ((size_t)448 << 20)
/* About two seconds of Lua on a slow machine, for the description's own code: its script, the
 * files it requires, its filters (host.run_limited). Counted in instructions so that an endless
 * loop stops at the same line on every machine. What the trusted library does with a
 * description (validation, views, layouts) is bounded by the CPU-time limit below instead: in
 * Lua 5.4 a count hook set at all sends every VM instruction through the debug interface's check
 * (luaG_traceexec), 6.2 % of a region's instructions when the hook stayed on for all of them.
 * The whole paperwork of the Сосновский municipality takes well under 1 % of either limit. */
#define DEFAULT_INSTRUCTION_BUDGET 400000000LL
/* The hook runs every HOOK_STEP instructions of user code. */
#define HOOK_STEP 10000
/* ... and every PROFILE_STEP under a profile (NASTAVNIK_PROFILE): each lua_sethook starts the
 * count afresh, so with HOOK_STEP an organisation of a region (some 65,000 instructions from
 * one limits_on to the next) was sampled six times, at the same places in each; a prime ten
 * times smaller spreads the samples over its lines. */
#define PROFILE_STEP 997

static int hook_step(void) {
  return profile_enabled() ? PROFILE_STEP : HOOK_STEP;
}
#define MAX_SCRIPT_SIZE ((size_t)32 << 20)
/* CPU seconds a description may cost, everything made from it included
 * (NASTAVNIK_SCRIPT_SECONDS overrides, for tests); all the samples' documents take 1 s. */
#define DEFAULT_SCRIPT_SECONDS 60
/* After the CPU limit, Lua is asked to stop at its next instruction; a run still going this
 * many CPU seconds later is stuck inside one C call and the process ends there. */
#define GRACE_SECONDS 1

/* What stopped a run: the first limit reached, and where. */
typedef struct {
  char *file;
  int line;
  char *message;
} LimitReached;

/* The state's small blocks freed are kept for its next allocations of their size class, up to
 * POOL_BYTES: the collector frees them by the thousand and the program makes as many again
 * soon after, which jemalloc's thread cache passed back and forth to its arenas. A block of
 * the pool is allocated with its class's size (a multiple of POOL_STEP), so that any request
 * of the class fits it and jemalloc's sized free is given a size of its class. Only with
 * jemalloc: the sanitizers' allocator sees every free. */
enum { POOL_STEP = 16, POOL_LARGEST = 256, POOL_CLASSES = POOL_LARGEST / POOL_STEP + 1 };
#define POOL_BYTES ((size_t)1 << 20)

typedef struct PoolBlock {
  struct PoolBlock *next;
} PoolBlock;

struct LuaHost {
  lua_State *L;
  const char *scripts_dir;
  const char *templates_dir;
  const char *fonts_dir;
  size_t memory_used;
  size_t memory_limit;
  int cap_refused; /* the last allocation refused was refused by the cap (not the system) */
  long long instruction_budget;
  long long instructions_left;
  void (*on_line)(const char *chunk, int line);
  int limits_on;        /* a run of user code is under way (host.limits_on) */
  char *subject;        /* what the run is about: the description's file */
  LimitReached reached; /* .message is NULL while no limit has been reached */
  PoolBlock *pool[POOL_CLASSES];
  size_t pooled; /* the bytes the pool holds */
};

/* jemalloc's sized free, when the program is linked with it (generator/main.c): weak, so that
 * the builds without it (the sanitizers', the tests') link too and free with free(). Lua
 * always knows a block's size, and free() had to look it up: the state's frees were 1.45 %
 * of a region's build (callgrind, region-20), sdallocx about half of that. */
extern void sdallocx(void *ptr, size_t size, int flags) __attribute__((weak));

/* The pool's class of a block of `size` bytes (its request is k * POOL_STEP), 0: too large for
 * the pool. */
static inline size_t pool_class(size_t size) {
  return size <= POOL_LARGEST ? (size + POOL_STEP - 1) / POOL_STEP : 0;
}

/* A block of class k (not 0): one from the pool, else a new one; NULL when memory ran out. */
static inline __attribute__((always_inline)) void *class_block(LuaHost *host, size_t k) {
  PoolBlock *b = host->pool[k];
  if (!b) return malloc(k * POOL_STEP);
  host->pool[k] = b->next;
  host->pooled -= k * POOL_STEP;
  return b;
}

/* A block of the state's (old_size bytes, not NULL) given back: kept in the pool when small
 * and there is room, else freed with its size. (Inlined: a call of its own was 20
 * instructions of each free.) */
static inline __attribute__((always_inline)) void release(LuaHost *host, void *ptr,
                                                          size_t old_size) {
  if (!sdallocx) {
    free(ptr);
  } else if (old_size <= POOL_LARGEST) {
    size_t k = pool_class(old_size), bytes = k * POOL_STEP;
    if (host->pooled + bytes <= POOL_BYTES) {
      PoolBlock *b = ptr;
      b->next = host->pool[k];
      host->pool[k] = b;
      host->pooled += bytes;
    } else {
      sdallocx(ptr, bytes, 0);
    }
  } else {
    sdallocx(ptr, old_size, 0);
  }
}

/* A small block resized (a table's parts, a buffer, the stack) moves to a block of the new
 * size's class, or stays in its own, the old one going to the pool: jemalloc's realloc took
 * some 500 instructions a call (callgrind, check of region-100: 34,000 calls), its malloc 70 to
 * 115. A large one is jemalloc's to grow in place. Apart from limited_alloc, whose new blocks
 * and frees are most of its calls. */
static __attribute__((noinline)) void *resize(LuaHost *host, void *ptr, size_t old_size,
                                              size_t new_size) {
  size_t k = pool_class(new_size);
  if (!sdallocx || (!k && old_size > POOL_LARGEST))
    return realloc(ptr, k ? k * POOL_STEP : new_size);
  if (k && pool_class(old_size) == k) return ptr;
  void *moved = k ? class_block(host, k) : malloc(new_size);
  if (!moved) return NULL;
  memcpy(moved, ptr, old_size < new_size ? old_size : new_size);
  release(host, ptr, old_size);
  return moved;
}

/* The allocator that enforces the memory cap: Lua turns a NULL into "not enough memory". A new
 * block is malloc'ed (jemalloc's realloc of NULL takes its slow path), a freed one given back
 * with its size. */
static void *limited_alloc(void *ud, void *ptr, size_t old_size, size_t new_size) {
  LuaHost *host = ud;
  if (ptr == NULL) old_size = 0;
  if (new_size == 0) {
    if (ptr) {
      host->memory_used -= old_size;
      release(host, ptr, old_size);
    }
    return NULL;
  }
  if (new_size > old_size && host->memory_used + (new_size - old_size) > host->memory_limit) {
    host->cap_refused = 1;
    return NULL;
  }
  void *grown;
  if (ptr) {
    grown = resize(host, ptr, old_size, new_size);
  } else {
    /* (a small block's request is its class's size: see POOL_STEP) */
    size_t k = pool_class(new_size);
    grown = k ? class_block(host, k) : malloc(new_size);
  }
  if (grown)
    host->memory_used = host->memory_used - old_size + new_size;
  else
    host->cap_refused = 0; /* the machine's memory, not the cap (generator/memory.h) */
  return grown;
}

static LuaHost *host_of(lua_State *L) {
  void *ud;
  lua_getallocf(L, &ud);
  return ud;
}

static char *copy_string(const char *s) {
  size_t n = strlen(s) + 1;
  char *c = malloc(n);
  if (c) memcpy(c, s, n);
  return c;
}

static void forget_reached(LuaHost *host) {
  free(host->reached.file);
  free(host->reached.message);
  host->reached = (LimitReached){0};
}

static long script_seconds(void) {
  const char *text = getenv("NASTAVNIK_SCRIPT_SECONDS");
  long seconds = text ? strtol(text, NULL, 10) : DEFAULT_SCRIPT_SECONDS;
  return seconds > 0 ? seconds : DEFAULT_SCRIPT_SECONDS;
}

/* The CPU-time limit (user and system time: a loop that only allocates spends its time in
 * the kernel). Its first signal asks Lua to stop at its next instruction (the hook below,
 * set to fire at once: lua_sethook may be called from a signal handler), so the run ends
 * like any error: a message, nothing half-written. A second signal, GRACE_SECONDS later,
 * means Lua never got control back (a C routine gone astray): the handler writes its message
 * and ends the process. fileio holds the signal back while it writes a file, so that ending
 * is clean too. */
static volatile sig_atomic_t cpu_signals;
static lua_State *timed_state;
static char timeout_message[512];
static size_t timeout_message_len;

static void limits_hook(lua_State *L, lua_Debug *ar);

static void on_cpu_timeout(int signal_number) {
  (void)signal_number;
  if (cpu_signals++ == 0) {
    if (timed_state) lua_sethook(timed_state, limits_hook, LUA_MASKCOUNT, 1);
    return;
  }
  ssize_t ignored = write(STDERR_FILENO, timeout_message, timeout_message_len);
  (void)ignored;
  _exit(1);
}

static void arm_cpu_limit(LuaHost *host) {
  long seconds = script_seconds();
  int n = snprintf(timeout_message, sizeof timeout_message,
                   "%s:0: описание обрабатывается слишком долго: больше %ld с процессорного "
                   "времени; работа остановлена\n",
                   host->subject ? host->subject : "nastavnik", seconds);
  timeout_message_len = n > 0 && (size_t)n < sizeof timeout_message ? (size_t)n : 0;
  cpu_signals = 0;
  timed_state = host->L;
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = on_cpu_timeout;
  action.sa_flags = SA_RESTART;
  sigemptyset(&action.sa_mask);
  sigaction(SIGPROF, &action, NULL);
  struct itimerval limit = {.it_value = {.tv_sec = seconds},
                            .it_interval = {.tv_sec = GRACE_SECONDS}};
  setitimer(ITIMER_PROF, &limit, NULL);
}

static void disarm_cpu_limit(void) {
  struct itimerval off = {0};
  setitimer(ITIMER_PROF, &off, NULL);
  signal(SIGPROF, SIG_DFL);
  cpu_signals = 0;
  timed_state = NULL;
}

/* The Lua function the run is in, for the message: the innermost frame that is not the
 * trusted library's (the description's own code), or none (then the message names the
 * description with line 0). */
static int user_frame(LuaHost *host, lua_State *L, lua_Debug *ar) {
  size_t dir_len = strlen(host->scripts_dir);
  for (int level = 0; lua_getstack(L, level, ar); level++) {
    if (!lua_getinfo(L, "Sl", ar) || ar->currentline <= 0) continue;
    int trusted = ar->source[0] == '@' &&
                  strncmp(ar->source + 1, host->scripts_dir, dir_len) == 0 &&
                  ar->source[1 + dir_len] == '/';
    if (!trusted) return 1;
  }
  return 0;
}

static void note_reached(LuaHost *host, lua_State *L, int by_time) {
  if (host->reached.message) return;
  lua_Debug ar;
  char message[512];
  int in_user_code = user_frame(host, L, &ar);
  if (by_time)
    snprintf(message, sizeof message,
             in_user_code ? "описание выполняется слишком долго: больше %ld с процессорного времени"
                          : "описание обрабатывается слишком долго: больше %ld с процессорного "
                            "времени",
             script_seconds());
  else
    snprintf(message, sizeof message,
             in_user_code ? "описание выполняется слишком долго (бесконечный цикл?): превышен "
                            "предел в %lld инструкций Lua"
                          : "описание слишком сложно: на его обработку не хватило предела в %lld "
                            "инструкций Lua",
             host->instruction_budget);
  const char *file = host->subject ? host->subject : "nastavnik";
  if (in_user_code) file = ar.source[0] == '@' ? ar.source + 1 : ar.short_src;
  host->reached.file = copy_string(file);
  host->reached.line = in_user_code ? ar.currentline : 0;
  host->reached.message = copy_string(message);
}

/* The hook stays on after a limit is reached: code that catches the error with pcall meets
 * it again within HOOK_STEP instructions, until host.limits_off(). */
static int hook_mask(const LuaHost *host) {
  return LUA_MASKCOUNT | (host->on_line ? LUA_MASKLINE : 0);
}

/* Whether the hook is on for all the Lua of a run, the library's too, not only for user code:
 * when every line is reported (on_line) or profiled (NASTAVNIK_PROFILE). */
static int hook_always(const LuaHost *host) {
  return host->on_line || profile_enabled();
}

static void limits_hook(lua_State *L, lua_Debug *ar) {
  LuaHost *host = host_of(L);
  if (ar->event == LUA_HOOKLINE) {
    if (lua_getinfo(L, "S", ar)) host->on_line(ar->source, ar->currentline);
    return;
  }
  int by_time = cpu_signals > 0;
  if (profile_enabled()) profile_sample(L, hook_step());
  /* (outside the limits the hook is on for the profile alone: limits_stop) */
  if (!host->limits_on) return;
  if (!by_time) host->instructions_left -= hook_step();
  if (host->instructions_left >= 0 && !by_time) return;
  note_reached(host, L, by_time);
  /* Back to the usual step after the signal's "at once": the code that catches the error
   * has HOOK_STEP instructions to end the run (host.limits_off) before it meets it again. */
  lua_sethook(L, limits_hook, hook_mask(host), hook_step());
  if (!host->reached.message) {
    lua_pushliteral(L, "описание выполняется слишком долго");
    lua_error(L);
  }
  lua_pushfstring(L, "%s:%d: %s", host->reached.file, host->reached.line, host->reached.message);
  lua_error(L);
}

static void limits_start(LuaHost *host, lua_State *L, const char *subject) {
  forget_reached(host);
  if (subject) {
    free(host->subject);
    host->subject = copy_string(subject);
  }
  host->instructions_left = host->instruction_budget;
  host->limits_on = 1;
  if (hook_always(host)) lua_sethook(L, limits_hook, hook_mask(host), hook_step());
  arm_cpu_limit(host);
}

/* (a profile counts all the Lua of the process, the work between two runs too — a region's
 * organisations are read and kept outside the limits — so its hook stays on) */
static void limits_stop(LuaHost *host, lua_State *L) {
  disarm_cpu_limit();
  if (profile_enabled())
    lua_sethook(L, limits_hook, LUA_MASKCOUNT, PROFILE_STEP);
  else
    lua_sethook(L, NULL, 0, 0);
  host->limits_on = 0;
}

/* host.limits_on(subject): from here on the user code run (host.run_limited) spends one
 * instruction budget, and all the Lua of the run one CPU-time limit, fresh ones, until
 * host.limits_off(). `subject` (the description's file)
 * is named when the limit is reached outside the description's own code. */
static int host_limits_on(lua_State *L) {
  limits_start(host_of(L), L, luaL_optstring(L, 1, NULL));
  return 0;
}

static int host_limits_off(lua_State *L) {
  limits_stop(host_of(L), L);
  return 0;
}

/* host.limits_extend(): the run gets one more instruction budget. Each file of a description
 * (the script and every file it requires) brings its own, so a region of 2,000 organisation
 * files may cost 2,000 times what one school may, and no more. */
static int host_limits_extend(lua_State *L) {
  LuaHost *host = host_of(L);
  if (host->limits_on) host->instructions_left += host->instruction_budget;
  return 0;
}

/* host.limits_subject() -> the subject of the run under way (or the last one), or nil. */
static int host_limits_subject(lua_State *L) {
  LuaHost *host = host_of(L);
  if (!host->subject) return 0;
  lua_pushstring(L, host->subject);
  return 1;
}

/* host.memory_cap_refused() -> whether the last allocation Lua could not have was over the
 * memory cap (a description asking too much: exit 1), not refused by the system (the
 * machine's memory: generator/memory.h, exit 4). */
static int host_memory_cap_refused(lua_State *L) {
  lua_pushboolean(L, host_of(L)->cap_refused);
  return 1;
}

/* host.limits_reached() -> file, line, message of the limit reached since host.limits_on,
 * or nothing. */
static int host_limits_reached(lua_State *L) {
  LuaHost *host = host_of(L);
  if (!host->reached.message) return 0;
  lua_pushstring(L, host->reached.file);
  lua_pushinteger(L, host->reached.line);
  lua_pushstring(L, host->reached.message);
  return 3;
}

/* The files read so far (by host.read_file or named by host.note_input), by device and
 * inode: an output must never replace one of them. A table in the registry. */
static const char INPUTS_KEY[] = "nastavnik.inputs";

static void push_identity(lua_State *L, const struct stat *st) {
  lua_pushfstring(L, "%I:%I", (lua_Integer)st->st_dev, (lua_Integer)st->st_ino);
}

static void note_identity(lua_State *L, const struct stat *st, const char *path) {
  luaL_getsubtable(L, LUA_REGISTRYINDEX, INPUTS_KEY);
  push_identity(L, st);
  lua_pushstring(L, path);
  lua_settable(L, -3);
  lua_pop(L, 1);
}

/* The paths host.note_input has noted, a table in the registry: a template is named again for
 * each of a build's documents, and its stat() each time was one per DOCX and ODT written. */
static const char NOTED_KEY[] = "nastavnik.noted";

static void note_input(lua_State *L, const char *path) {
  luaL_getsubtable(L, LUA_REGISTRYINDEX, NOTED_KEY);
  int noted = lua_getfield(L, -1, path) != LUA_TNIL;
  lua_pop(L, 1);
  struct stat st;
  if (!noted && stat(path, &st) == 0) {
    note_identity(L, &st, path);
    lua_pushboolean(L, 1);
    lua_setfield(L, -2, path);
  }
  lua_pop(L, 1);
}

/* host.read_file(path) -> contents | nil, the reason in Russian */
static int host_read_file(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  size_t size;
  struct stat st;
  char *data = fileio_read_stat(path, MAX_SCRIPT_SIZE, &size, &st);
  if (!data) {
    int err = errno;
    lua_pushnil(L);
    lua_pushstring(L, oserror_reason(err, OSERROR_READING));
    return 2;
  }
  note_identity(L, &st, path); /* (the file read: what fstat() said of it) */
  lua_pushlstring(L, data, size);
  free(data);
  return 1;
}

/* host.note_input(path): a file read by other means (a template, a font) is an input too
 * (noted once a path: the file found there the first time). */
static int host_note_input(lua_State *L) {
  note_input(L, luaL_checkstring(L, 1));
  return 0;
}

/* host.file_info(path) -> kind, input | nil, reason | nil when there is nothing at path.
 * kind: "file", "folder", "link", "fifo", "device", "socket", "other" (the path itself, a
 * symbolic link is not followed); input: true when the path is (or leads to) an input. */
static int host_file_info(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  struct stat st;
  if (lstat(path, &st) != 0) {
    if (errno == ENOENT) return 0;
    lua_pushnil(L);
    lua_pushstring(L, oserror_reason(errno, OSERROR_WRITING));
    return 2;
  }
  const char *kind = S_ISREG(st.st_mode)                          ? "file"
                     : S_ISDIR(st.st_mode)                        ? "folder"
                     : S_ISLNK(st.st_mode)                        ? "link"
                     : S_ISFIFO(st.st_mode)                       ? "fifo"
                     : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "device"
                     : S_ISSOCK(st.st_mode)                       ? "socket"
                                                                  : "other";
  lua_pushstring(L, kind);
  int input = 0;
  if (stat(path, &st) == 0) {
    luaL_getsubtable(L, LUA_REGISTRYINDEX, INPUTS_KEY);
    push_identity(L, &st);
    input = lua_gettable(L, -2) != LUA_TNIL;
    lua_pop(L, 2);
  }
  lua_pushboolean(L, input);
  return 2;
}

/* The producer of host.write_file when its bytes come from a Lua function: each call gives
 * the next string, nil at the end. An error of the function stops the writing (nothing is
 * written) and is raised again once the temporary file is gone. */
typedef struct {
  lua_State *L;
  int function;
  int failed; /* the function raised an error: its message is on the stack */
} LuaProducer;

static int next_from_lua(void *context, FileioPart *part) {
  LuaProducer *producer = context;
  lua_State *L = producer->L;
  lua_settop(L, producer->function);
  lua_pushvalue(L, producer->function);
  if (lua_pcall(L, 0, 1, 0) != LUA_OK) {
    producer->failed = 1;
    errno = EIO;
    return -1;
  }
  if (lua_isnil(L, -1)) return 0;
  if (lua_type(L, -1) != LUA_TSTRING) {
    lua_pushliteral(L, "host.write_file: a part must be a string");
    producer->failed = 1;
    errno = EIO;
    return -1;
  }
  part->data = lua_tolstring(L, -1, &part->size); /* (alive on the stack until the next call) */
  return 1;
}

/* host.write_file(path, bytes[, new]) -> true | nil, the reason in Russian, whether something
 * is there (new: nothing replaced); atomic (temporary file + rename). `bytes` may be a function
 * giving the bytes part by part (nil at the end): a file too big to be put together in memory
 * first. new = true: the file is only created, never replaces (fileio_expect_new). */
static int host_write_file(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  int failed;
  fileio_expect_new(lua_toboolean(L, 3) ? path : NULL);
  if (lua_type(L, 2) == LUA_TFUNCTION) {
    lua_settop(L, 2);
    LuaProducer producer = {L, 2, 0};
    failed = fileio_write_atomic_from(path, next_from_lua, &producer) != 0;
    if (producer.failed) lua_error(L);
  } else {
    size_t size;
    const char *data = luaL_checklstring(L, 2, &size);
    failed = fileio_write_atomic(path, data, size) != 0;
  }
  if (failed) {
    int err = errno;
    lua_pushnil(L);
    lua_pushstring(L, oserror_reason(err, OSERROR_WRITING));
    lua_pushboolean(L, err == EEXIST);
    return 3;
  }
  lua_pushboolean(L, 1);
  return 1;
}

/* host.expect_new(path | nil): the next output written (the template engine writes its own)
 * is only created at path, never replaces what is there (fileio_expect_new). */
static int host_expect_new(lua_State *L) {
  fileio_expect_new(luaL_optstring(L, 1, NULL));
  return 0;
}

/* host.file_checksum(path[, "fnv1a64"]) -> hex digits | nil, the reason in Russian: the
 * checksum of an output's bytes (fileio_checksum_file: XXH3, 32 digits; FNV-1a's 16 digits when
 * asked, to compare with a manifest of an earlier build), to tell later whether someone edited
 * it (build's manifest). Not noted as an input: the file is the command's own output, which it
 * may write again. */
static int host_file_checksum(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  FileioSumKind kind = luaL_checkoption(L, 2, "xxh3", (const char *[]){"xxh3", "fnv1a64", NULL})
                           ? FILEIO_SUM_FNV1A
                           : FILEIO_SUM_XXH3;
  char hex[FILEIO_CHECKSUM_HEX + 1];
  /* (a file this process has just written: its checksum was taken as it was written) */
  if (kind == FILEIO_SUM_FNV1A || !fileio_written_checksum(path, hex)) {
    if (fileio_checksum_file(path, kind, hex) != 0) {
      lua_pushnil(L);
      lua_pushstring(L, oserror_reason(errno, OSERROR_READING));
      return 2;
    }
  }
  lua_pushstring(L, hex);
  return 1;
}

/* Whether s[0..n) is UTF-8 as Lua's utf8.len takes it (strict: no overlong form, no surrogate,
 * nothing above U+10FFFF, no byte F5-FF, no sequence cut short). */
static int utf8_well_formed(const unsigned char *s, size_t n) {
  const unsigned char *end = s + n;
  while (s < end) {
#ifdef __SSE2__
    /* (sixteen bytes at a time while they are ASCII and whole two-byte sequences — a Cyrillic
     * description's text, its «», its spaces and punctuation: the high bytes are each a lead
     * C2-DF or a continuation 80-BF, every continuation right after a lead and the last byte
     * no lead; up to the first byte that is not so, the scalar reading takes that character) */
    while (end - s >= 16) {
      __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
      unsigned high = (unsigned)_mm_movemask_epi8(v);
      if (high == 0) {
        s += 16;
        continue;
      }
      unsigned cont = (unsigned)_mm_movemask_epi8(
          _mm_cmpeq_epi8(_mm_and_si128(v, _mm_set1_epi8((char)0xC0)), _mm_set1_epi8((char)0x80)));
      unsigned lead =
          (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8((char)0xC1)),
                                                    _mm_cmplt_epi8(v, _mm_set1_epi8((char)0xE0))));
      unsigned bad = (high & ~(cont | lead)) | ((cont ^ (lead << 1)) & 0xFFFF) | (lead & 0x8000);
      if (bad == 0) {
        s += 16;
        continue;
      }
      unsigned k = (unsigned)__builtin_ctz(bad);
      if (k > 0 && (lead >> (k - 1)) & 1) k--; /* (a lead without its continuation) */
      s += k;
      break;
    }
    if (s >= end) break;
#endif
    unsigned c = *s;
    if (c < 0x80) {
      s++;
      /* (a run of plain ASCII, eight bytes at a time: names, keys, indentation) */
      while (end - s >= 8) {
        unsigned long long word;
        memcpy(&word, s, 8);
        unsigned long long high = word & 0x8080808080808080ULL;
        if (high) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
          s += __builtin_ctzll(high) / 8; /* (on to the first byte that is not ASCII) */
#endif
          break;
        }
        s += 8;
      }
      continue;
    }
    if (c - 0xC2 <= 0xDF - 0xC2) { /* two bytes: a Cyrillic letter, «, », № */
      if (end - s < 2 || (s[1] & 0xC0) != 0x80) return 0;
      s += 2;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
      /* (the rest of a Cyrillic word, four letters at a time: in each 16-bit lane the low
       * byte 110xxxxx but not 0xC0 or 0xC1 — its bits 1-4 not all zero, which 0x7FFF added
       * carries into the lane's bit 15 — and the high one 10xxxxxx) */
      while (end - s >= 8) {
        unsigned long long word;
        memcpy(&word, s, 8);
        if ((word & 0xC0E0C0E0C0E0C0E0ULL) != 0x80C080C080C080C0ULL) break;
        if ((((word & 0x001E001E001E001EULL) + 0x7FFF7FFF7FFF7FFFULL) & 0x8000800080008000ULL) !=
            0x8000800080008000ULL)
          break;
        s += 8;
      }
#endif
      continue;
    }
    size_t count = c >= 0xE0 && c <= 0xEF ? 2 : c >= 0xF0 && c <= 0xF4 ? 3 : 0;
    if (count == 0 || (size_t)(end - s) <= count) return 0;
    /* (the second byte's range tells an overlong form, a surrogate, a code above U+10FFFF) */
    unsigned low = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
    unsigned high = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
    if (s[1] < low || s[1] > high) return 0;
    if ((s[2] & 0xC0) != 0x80 || (count == 3 && (s[3] & 0xC0) != 0x80)) return 0;
    s += count + 1;
  }
  return 1;
}

/* host.utf8_valid(text) -> whether utf8.len(text) would count it (and nothing more): utf8.len
 * decodes each character, about 14 instructions a byte of a description (this: about 7), and a
 * region's organisation files (2,000: 41 MB) are checked by the process that reads the region
 * before any worker starts, then again by the workers that read them (load.lua, sandbox.lua). */
static int host_utf8_valid(lua_State *L) {
  size_t size;
  const char *text = luaL_checklstring(L, 1, &size);
  lua_pushboolean(L, utf8_well_formed((const unsigned char *)text, size));
  return 1;
}

/* host.any_unknown(node, allowed) -> whether the table `node` has a string key that the set
 * `allowed` (field -> true) lacks: validate.lua's check of every node's fields, whose loop
 * over the keys (a call of next for each) was 3 % of checking an organisation; the rare node
 * with an unknown field is then walked again in Lua, for the messages. Raw reads both. */
static int host_any_unknown(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  lua_settop(L, 2);
  lua_pushnil(L);
  while (lua_next(L, 1)) {
    lua_pop(L, 1);
    if (lua_type(L, -1) == LUA_TSTRING) {
      lua_pushvalue(L, -1);
      int known = lua_rawget(L, 2);
      int yes = known != LUA_TNIL && !(known == LUA_TBOOLEAN && !lua_toboolean(L, -1));
      lua_pop(L, 1);
      if (!yes) {
        lua_pushboolean(L, 1);
        return 1;
      }
    }
  }
  lua_pushboolean(L, 0);
  return 1;
}

/* (registry: the file host.call_site gave last, as a string, given again while it is the same) */
static const char CALL_SITE_FILE = 'f';

/* host.call_site() -> file, line: where the Lua function that calls it was called from — the
 * first level above that is a file the loader read ("@…", outside scripts/nastavnik/), else
 * "?", 0 (scripts/nastavnik/model.lua's constructors: a node's place). In Lua each level's
 * debug.getinfo made a table: 3 % of reading an organisation of a region. */
static int host_call_site(lua_State *L) {
  lua_Debug ar;
  /* (level 0 is this function, 1 the constructor: levels 2 to 19, as model.lua's 3 to 20) */
  for (int level = 2; level <= 19 && lua_getstack(L, level, &ar); level++) {
    if (!lua_getinfo(L, "Sl", &ar)) break;
    if (ar.what[0] == 'C' || ar.source[0] != '@' || strstr(ar.source, "scripts/nastavnik/"))
      continue;
    const char *file = ar.source + 1;
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &CALL_SITE_FILE) != LUA_TSTRING ||
        strcmp(lua_tostring(L, -1), file) != 0) {
      lua_pop(L, 1);
      lua_pushstring(L, file);
      lua_pushvalue(L, -1);
      lua_rawsetp(L, LUA_REGISTRYINDEX, &CALL_SITE_FILE);
    }
    lua_pushinteger(L, ar.currentline);
    return 2;
  }
  lua_pushliteral(L, "?");
  lua_pushinteger(L, 0);
  return 2;
}

/* The limits of host.plain_tree's walk, and the tables it has met. */
typedef struct {
  int max_depth;
  lua_Integer max_tables, tables;
  size_t max_text;
  /* The tables met (their addresses: each is alive, inside the value, through the walk): open
   * addressing (pointer_slot.h), at most half full; a Lua table keyed by them was a quarter of
   * the walk. */
  const void **met;
  size_t slots; /* a power of two, or 0 */
} PlainWalk;

/* Whether `table` was met before; notes it if not. -1 when out of memory. */
static int met_before(PlainWalk *walk, const void *table) {
  if ((size_t)walk->tables * 2 >= walk->slots) {
    size_t slots = walk->slots ? walk->slots * 2 : 256;
    const void **met = calloc(slots, sizeof *met);
    if (!met) return -1;
    for (size_t k = 0; k < walk->slots; k++)
      if (walk->met[k]) met[pointer_slot(met, slots, walk->met[k])] = walk->met[k];
    free(walk->met);
    walk->met = met;
    walk->slots = slots;
  }
  size_t i = pointer_slot(walk->met, walk->slots, table);
  if (walk->met[i]) return 1;
  walk->met[i] = table;
  return 0;
}

/* Whether the table on the top of the stack, `depth` levels down, is a plain tree within the
 * walk's limits (every table met noted in walk->met). Leaves the stack as it was. */
static int plain_walk(lua_State *L, int depth, PlainWalk *walk) {
  if (met_before(walk, lua_topointer(L, -1)) != 0 || depth >= walk->max_depth ||
      !lua_checkstack(L, 4))
    return 0;
  if (lua_getmetatable(L, -1)) {
    lua_pop(L, 1);
    return 0;
  }
  if (++walk->tables > walk->max_tables) return 0;
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    int key = lua_type(L, -2), value = lua_type(L, -1);
    int plain = key != LUA_TTABLE && !(key == LUA_TSTRING && lua_rawlen(L, -2) > walk->max_text);
    if (plain && value == LUA_TTABLE)
      plain = plain_walk(L, depth + 1, walk);
    else if (plain && value == LUA_TSTRING)
      plain = lua_rawlen(L, -1) <= walk->max_text;
    lua_pop(L, 1);
    if (!plain) {
      lua_pop(L, 1);
      return 0;
    }
  }
  return 1;
}

/* host.plain_tree(value, max_depth, max_tables, max_text_bytes) -> boolean: whether `value` is
 * a table that is a tree (no table met twice, none inside itself) of at most max_tables tables
 * and max_depth levels, with no metatable, no table as a key and no string longer than
 * max_text_bytes. load.lua says why (plain_already); here because that walk, in Lua, was a
 * sixteenth of reading an organisation of a region. (Out of memory for the tables met: not
 * plain, so that the value is copied, as any other.) */
static int host_plain_tree(lua_State *L) {
  PlainWalk walk = {(int)luaL_checkinteger(L, 2),
                    luaL_checkinteger(L, 3),
                    0,
                    (size_t)luaL_checkinteger(L, 4),
                    NULL,
                    0};
  if (lua_type(L, 1) != LUA_TTABLE) {
    lua_pushboolean(L, 0);
    return 1;
  }
  lua_settop(L, 4);
  lua_pushvalue(L, 1);
  int plain = plain_walk(L, 0, &walk);
  free(walk.met);
  lua_pushboolean(L, plain);
  return 1;
}

/* host.copy_table(t, more) -> a copy of the table t's fields (raw; t nil: none) in a table
 * made the size they and `more` fields to come take. The sandbox gives every script of a
 * description (each organisation of a region) its own copies of the libraries and its own
 * environment: in Lua they were filled into empty tables, grown through some forty rehashes
 * a script. */
static int host_copy_table(lua_State *L) {
  lua_Integer more = luaL_optinteger(L, 2, 0);
  luaL_argcheck(L, more >= 0 && more <= 1024, 2, "0 to 1024");
  int n = 0;
  if (!lua_isnoneornil(L, 1)) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    lua_pushnil(L);
    while (lua_next(L, 1)) {
      n++;
      lua_pop(L, 1);
    }
  }
  lua_createtable(L, 0, n + (int)more);
  if (n == 0) return 1;
  lua_pushnil(L);
  while (lua_next(L, 1)) {
    lua_pushvalue(L, -2);
    lua_insert(L, -2);
    lua_rawset(L, 2);
  }
  return 1;
}

/* host.remove_file(path) -> true | nil, the reason in Russian: removes a file (a symbolic link
 * itself, never what it leads to) or an empty folder. */
static int host_remove_file(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  struct stat st;
  int failed = lstat(path, &st) == 0 && S_ISDIR(st.st_mode) ? rmdir(path) : unlink(path);
  fileio_forget_written(path);
  if (failed != 0) {
    lua_pushnil(L);
    lua_pushstring(L, oserror_reason(errno, OSERROR_WRITING));
    return 2;
  }
  lua_pushboolean(L, 1);
  return 1;
}

/* host.write_failure(forget) -> path, reason of the last output that could not be written
 * (by anyone: the template engine writes its own), whether something is there (a write of
 * host.expect_new), or nothing; forget = true clears it. */
static int host_write_failure(lua_State *L) {
  int err;
  const char *path = fileio_last_failure(&err);
  int n = 0;
  if (path) {
    lua_pushstring(L, path);
    lua_pushstring(L, oserror_reason(err, OSERROR_WRITING));
    lua_pushboolean(L, err == EEXIST);
    n = 3;
  }
  if (lua_toboolean(L, 1)) fileio_forget_failure();
  return n;
}

/* host.make_dirs(path) -> true | nil, the reason in Russian: the folder and its parents. */
static int host_make_dirs(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  if (fileio_make_dirs(path) != 0) {
    lua_pushnil(L);
    lua_pushstring(L, oserror_reason(errno, OSERROR_WRITING));
    return 2;
  }
  lua_pushboolean(L, 1);
  return 1;
}

/* host.list_dir(path) -> { name, ... } | nil, message: the names in a folder (not "." and
 * ".."), in no particular order. The document kinds are found this way (documents/kinds.lua). */
static int host_list_dir(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  DIR *dir = opendir(path);
  if (!dir) {
    lua_pushnil(L);
    lua_pushstring(L, oserror_reason(errno, OSERROR_READING));
    return 2;
  }
  lua_newtable(L);
  lua_Integer n = 0;
  for (struct dirent *entry = readdir(dir); entry; entry = readdir(dir)) {
    if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0) continue;
    lua_pushstring(L, entry->d_name);
    lua_rawseti(L, -2, ++n);
  }
  closedir(dir);
  return 1;
}

/* host.print_out(text): writes to stdout at once (progress of long commands). */
static int host_print_out(lua_State *L) {
  size_t len;
  const char *text = luaL_checklstring(L, 1, &len);
  fwrite(text, 1, len, stdout);
  fflush(stdout);
  return 0;
}

/* host.clock() -> seconds from an arbitrary start, monotonic: for the benchmarks. */
static int host_clock(lua_State *L) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  lua_pushnumber(L, (lua_Number)now.tv_sec + (lua_Number)now.tv_nsec * 1e-9);
  return 1;
}

/* host.run_limited(f, ...) -> true, results... | false, message
 * Calls f under the limits: those of the run under way (its budget goes on being spent:
 * a filter called thirty times has one budget, not thirty), or, when none is, fresh ones
 * for this call alone. */
static int host_run_limited(lua_State *L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  LuaHost *host = host_of(L);
  int nargs = lua_gettop(L) - 1;
  int own_run = !host->limits_on;
  if (own_run) limits_start(host, L, NULL);
  /* The budget counts user code: the hook is on while it runs (and whatever of the library it
   * calls), then off again, unless a limit was reached (it stays on until host.limits_off, for
   * code that catches the error) or the CPU limit asked for it meanwhile. A call shorter than
   * HOOK_STEP instructions is not counted (lua_sethook starts the count afresh): the number of
   * such calls is the library's, bounded by the CPU-time limit. */
  int hooked_here = lua_gethook(L) == NULL;
  if (hooked_here) lua_sethook(L, limits_hook, hook_mask(host), hook_step());
  int status = lua_pcall(L, nargs, LUA_MULTRET, 0);
  if (hooked_here && !host->reached.message) {
    lua_sethook(L, NULL, 0, 0);
    if (cpu_signals) lua_sethook(L, limits_hook, LUA_MASKCOUNT, 1);
  }
  if (own_run) limits_stop(host, L);
  lua_pushboolean(L, status == LUA_OK);
  lua_insert(L, 1);
  return lua_gettop(L);
}

static int open_host_module(lua_State *L) {
  static const luaL_Reg functions[] = {
      {"read_file", host_read_file},
      {"write_file", host_write_file},
      {"make_dirs", host_make_dirs},
      {"list_dir", host_list_dir},
      {"clock", host_clock},
      {"print_out", host_print_out},
      {"run_limited", host_run_limited},
      {"limits_on", host_limits_on},
      {"limits_off", host_limits_off},
      {"limits_extend", host_limits_extend},
      {"limits_reached", host_limits_reached},
      {"limits_subject", host_limits_subject},
      {"memory_cap_refused", host_memory_cap_refused},
      {"note_input", host_note_input},
      {"file_info", host_file_info},
      {"write_failure", host_write_failure},
      {"expect_new", host_expect_new},
      {"file_checksum", host_file_checksum},
      {"plain_tree", host_plain_tree},
      {"copy_table", host_copy_table},
      {"remove_file", host_remove_file},
      {"utf8_valid", host_utf8_valid},
      {"call_site", host_call_site},
      {"any_unknown", host_any_unknown},
      {NULL, NULL},
  };
  luaL_newlib(L, functions);
  lua_pushinteger(L, (lua_Integer)(host_of(L)->memory_limit >> 20));
  lua_setfield(L, -2, "memory_limit_mb");
  lua_pushstring(L, NASTAVNIK_VERSION);
  lua_setfield(L, -2, "version");
  lua_pushstring(L, host_of(L)->scripts_dir);
  lua_setfield(L, -2, "scripts_dir");
  if (host_of(L)->templates_dir) {
    lua_pushstring(L, host_of(L)->templates_dir);
    lua_setfield(L, -2, "templates_dir");
  }
  if (host_of(L)->fonts_dir) {
    lua_pushstring(L, host_of(L)->fonts_dir);
    lua_setfield(L, -2, "fonts_dir");
  }
  return 1;
}

/* Opens only the libraries the trusted library needs; io and os are never opened. */
static void open_libraries(lua_State *L, const char *scripts_dir) {
  static const luaL_Reg libs[] = {
      {LUA_GNAME, luaopen_base},          {LUA_LOADLIBNAME, luaopen_package},
      {LUA_COLIBNAME, luaopen_coroutine}, {LUA_TABLIBNAME, luaopen_table},
      {LUA_STRLIBNAME, luaopen_string},   {LUA_MATHLIBNAME, luaopen_math},
      {LUA_UTF8LIBNAME, luaopen_utf8},    {LUA_DBLIBNAME, luaopen_debug},
  };
  for (size_t i = 0; i < sizeof libs / sizeof libs[0]; i++) {
    luaL_requiref(L, libs[i].name, libs[i].func, 1);
    lua_pop(L, 1);
  }
  /* No file loading but through require from the scripts folder. */
  lua_pushnil(L);
  lua_setglobal(L, "dofile");
  lua_pushnil(L);
  lua_setglobal(L, "loadfile");

  lua_getglobal(L, "package");
  lua_pushfstring(L, "%s/?.lua", scripts_dir);
  lua_setfield(L, -2, "path");
  lua_pushstring(L, "");
  lua_setfield(L, -2, "cpath");
  lua_pushnil(L);
  lua_setfield(L, -2, "loadlib");
  /* Keep the preload and Lua searchers; drop the two that load C libraries. */
  lua_getfield(L, -1, "searchers");
  lua_pushnil(L);
  lua_rawseti(L, -2, 4);
  lua_pushnil(L);
  lua_rawseti(L, -2, 3);
  lua_pop(L, 2);

  /* Strings share one metatable; hide it from scripts so they cannot change string methods. */
  lua_pushliteral(L, "");
  lua_getmetatable(L, -1);
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 2);
}

LuaHost *lua_host_open(const LuaHostOptions *options) {
  LuaHost *host = calloc(1, sizeof *host);
  if (!host) return NULL;
  host->scripts_dir = options->scripts_dir;
  host->templates_dir = options->templates_dir;
  host->fonts_dir = options->fonts_dir;
  host->on_line = options->on_line;
  host->memory_limit = options->memory_limit ? options->memory_limit : DEFAULT_MEMORY_LIMIT;
  host->instruction_budget =
      options->instruction_budget ? options->instruction_budget : DEFAULT_INSTRUCTION_BUDGET;
  host->L = lua_newstate(limited_alloc, host);
  if (!host->L) {
    free(host);
    return NULL;
  }
  open_libraries(host->L, options->scripts_dir);
  lua_host_preload(host, "nastavnik.host", open_host_module);
  if (profile_enabled()) lua_sethook(host->L, limits_hook, LUA_MASKCOUNT, PROFILE_STEP);
  return host;
}

void lua_host_close(LuaHost *host) {
  if (!host) return;
  if (host->limits_on) limits_stop(host, host->L);
  lua_close(host->L);
  for (size_t k = 1; k < POOL_CLASSES; k++)
    while (host->pool[k]) {
      PoolBlock *b = host->pool[k];
      host->pool[k] = b->next;
      sdallocx(b, k * POOL_STEP, 0);
    }
  forget_reached(host);
  free(host->subject);
  free(host);
}

lua_State *lua_host_state(LuaHost *host) {
  return host->L;
}

void lua_host_preload(LuaHost *host, const char *name, lua_CFunction open) {
  lua_State *L = host->L;
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  lua_pushcfunction(L, open);
  lua_setfield(L, -2, name);
  lua_pop(L, 1);
}

static int traceback(lua_State *L) {
  const char *message = lua_tostring(L, 1);
  luaL_traceback(L, L, message ? message : "(ошибка без текста)", 1);
  return 1;
}

int lua_host_call(LuaHost *host, const char *module, const char *function, int nargs,
                  const char *const *args, int nresults) {
  lua_State *L = host->L;
  lua_pushcfunction(L, traceback);
  int handler = lua_gettop(L);
  lua_getglobal(L, "require");
  lua_pushstring(L, module);
  if (lua_pcall(L, 1, 1, handler) != LUA_OK) {
    lua_remove(L, handler);
    return -1;
  }
  lua_getfield(L, -1, function);
  lua_remove(L, -2);
  for (int i = 0; i < nargs; i++) lua_pushstring(L, args[i]);
  int status = lua_pcall(L, nargs, nresults, handler);
  lua_remove(L, handler);
  return status == LUA_OK ? 0 : -1;
}
