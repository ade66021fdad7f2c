/* lua_host: see lua_host.h. */
#define _POSIX_C_SOURCE 200809L
#include "lua_host.h"

#include <dirent.h>
#include <errno.h>
#include <lauxlib.h>
#include <lualib.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"

#define DEFAULT_MEMORY_LIMIT ((size_t)512 << 20)
/* About two seconds of Lua on a slow machine; a whole municipality loads in well under 1%. */
#define DEFAULT_INSTRUCTION_BUDGET 400000000LL
/* The hook runs every HOOK_STEP instructions: rare enough to cost nothing measurable. */
#define HOOK_STEP 10000
#define MAX_SCRIPT_SIZE ((size_t)32 << 20)
/* CPU seconds a school script may take (NASTAVNIK_SCRIPT_SECONDS overrides, for tests). */
#define DEFAULT_SCRIPT_SECONDS 20

struct LuaHost {
  lua_State *L;
  const char *templates_dir;
  const char *fonts_dir;
  size_t memory_used;
  size_t memory_limit;
  long long instruction_budget;
  long long instructions_left;
};

/* The allocator that enforces the memory cap: Lua turns a NULL into "not enough memory". */
static void *limited_alloc(void *ud, void *ptr, size_t old_size, size_t new_size) {
  LuaHost *host = ud;
  if (ptr == NULL) old_size = 0;
  if (new_size == 0) {
    free(ptr);
    host->memory_used -= old_size;
    return NULL;
  }
  if (new_size > old_size && host->memory_used + (new_size - old_size) > host->memory_limit)
    return NULL;
  void *grown = realloc(ptr, new_size);
  if (grown) host->memory_used = host->memory_used - old_size + new_size;
  return grown;
}

static LuaHost *host_of(lua_State *L) {
  void *ud;
  lua_getallocf(L, &ud);
  return ud;
}

static void budget_hook(lua_State *L, lua_Debug *ar) {
  LuaHost *host = host_of(L);
  host->instructions_left -= HOOK_STEP;
  /* The hook stays: a script that catches this error with pcall meets it again at once. */
  if (host->instructions_left < 0) {
    /* The line the script was running, so the secretary finds the loop. */
    const char *where = "?";
    int line = 0;
    if (lua_getinfo(L, "Sl", ar)) {
      where = ar->short_src;
      line = ar->currentline;
    }
    luaL_error(L,
               "%s:%d: описание выполняется слишком долго (бесконечный цикл?): превышен предел "
               "в %I инструкций Lua",
               where, line, (lua_Integer)host->instruction_budget);
  }
}

/* The CPU-time limit. The instruction budget cannot stop a script stuck inside one C call
 * (a pathological string.find pattern); this timer can. Its handler may only write and
 * exit: nothing is being written at that point (run_limited runs scripts, not outputs). */
static char timeout_message[512];
static size_t timeout_message_len;

static void on_cpu_timeout(int signal_number) {
  (void)signal_number;
  ssize_t ignored = write(STDERR_FILENO, timeout_message, timeout_message_len);
  (void)ignored;
  _exit(1);
}

/* arm_cpu_limit names the script in its message: the first Lua function among the
 * arguments of run_limited (the chunk, also when run through xpcall). */
static void arm_cpu_limit(lua_State *L) {
  int function_index = 1;
  for (int i = 1; i <= lua_gettop(L); i++) {
    if (lua_isfunction(L, i) && !lua_iscfunction(L, i)) {
      function_index = i;
      break;
    }
  }
  const char *seconds_text = getenv("NASTAVNIK_SCRIPT_SECONDS");
  long seconds = seconds_text ? strtol(seconds_text, NULL, 10) : DEFAULT_SCRIPT_SECONDS;
  if (seconds <= 0) seconds = DEFAULT_SCRIPT_SECONDS;
  lua_Debug ar;
  lua_pushvalue(L, function_index);
  const char *source = lua_getinfo(L, ">S", &ar) ? ar.short_src : "?";
  int n = snprintf(timeout_message, sizeof timeout_message,
                   "%s:0: описание выполняется слишком долго: больше %ld с процессорного "
                   "времени; ничего не создано\n",
                   source, seconds);
  timeout_message_len = n > 0 && (size_t)n < sizeof timeout_message ? (size_t)n : 0;
  signal(SIGVTALRM, on_cpu_timeout);
  struct itimerval limit = {.it_value = {.tv_sec = seconds}};
  setitimer(ITIMER_VIRTUAL, &limit, NULL);
}

static void disarm_cpu_limit(void) {
  struct itimerval off = {0};
  setitimer(ITIMER_VIRTUAL, &off, NULL);
  signal(SIGVTALRM, SIG_DFL);
}

/* host.read_file(path) -> contents | nil, message */
static int host_read_file(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  size_t size;
  char *data = fileio_read(path, MAX_SCRIPT_SIZE, &size);
  if (!data) {
    int err = errno;
    lua_pushnil(L);
    if (err == ENOENT)
      lua_pushstring(L, "нет такого файла");
    else if (err == EISDIR)
      lua_pushstring(L, "это папка, а не файл");
    else if (err == EFBIG)
      lua_pushstring(L, "файл слишком велик");
    else if (err == EACCES)
      lua_pushstring(L, "нет прав на чтение");
    else
      lua_pushstring(L, strerror(err));
    return 2;
  }
  lua_pushlstring(L, data, size);
  free(data);
  return 1;
}

/* host.write_file(path, bytes) -> true | nil, message; atomic (temporary file + rename). */
static int host_write_file(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  size_t size;
  const char *data = luaL_checklstring(L, 2, &size);
  if (fileio_write_atomic(path, data, size) != 0) {
    lua_pushnil(L);
    lua_pushstring(L, strerror(errno));
    return 2;
  }
  lua_pushboolean(L, 1);
  return 1;
}

/* host.make_dirs(path) -> true | nil, message: creates the folder and its parents. */
static int host_make_dirs(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  if (fileio_make_dirs(path) != 0) {
    lua_pushnil(L);
    lua_pushstring(L, strerror(errno));
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
    lua_pushstring(L, strerror(errno));
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
 * Calls f under the instruction budget (the memory cap holds always). */
static int host_run_limited(lua_State *L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  LuaHost *host = host_of(L);
  int nargs = lua_gettop(L) - 1;
  host->instructions_left = host->instruction_budget;
  lua_sethook(L, budget_hook, LUA_MASKCOUNT, HOOK_STEP);
  arm_cpu_limit(L);
  int status = lua_pcall(L, nargs, LUA_MULTRET, 0);
  disarm_cpu_limit();
  lua_sethook(L, NULL, 0, 0);
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
      {NULL, NULL},
  };
  luaL_newlib(L, functions);
  lua_pushinteger(L, (lua_Integer)(host_of(L)->memory_limit >> 20));
  lua_setfield(L, -2, "memory_limit_mb");
  lua_pushstring(L, NASTAVNIK_VERSION);
  lua_setfield(L, -2, "version");
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
  host->templates_dir = options->templates_dir;
  host->fonts_dir = options->fonts_dir;
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
  return host;
}

void lua_host_close(LuaHost *host) {
  if (!host) return;
  lua_close(host->L);
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
