/*
 * lua_host: the Lua state the generator runs its scripts in.
 *
 * The state holds the trusted library (scripts/nastavnik/...) and, inside it, the sandbox
 * school scripts run in (scripts/nastavnik/sandbox.lua builds that environment). This room
 * gives the state what C alone can give:
 *  - a memory cap (a custom allocator that refuses to grow past the limit);
 *  - limits on a run (host.limits_on .. host.limits_off): one instruction budget (and one more
 *    for each file the description requires: host.limits_extend) and one
 *    CPU-time limit for everything a description causes — its script, its validation, its
 *    documents, its filters — so an endless loop or a pathological input ends with an error
 *    naming the line, never a hang;
 *  - no io, no os, no C modules; `require` reads only from the scripts folder;
 *  - the module "nastavnik.host" with the few host services the library needs (reading and
 *    writing files with Russian reasons for failures, the limits, the inputs read so far, the files of a folder).
 * Other rooms add their Lua modules with lua_host_preload().
 */
#ifndef NASTAVNIK_LUA_HOST_H
#define NASTAVNIK_LUA_HOST_H

#include <lua.h>
#include <stddef.h>

typedef struct LuaHost LuaHost;

typedef struct {
  const char *scripts_dir;      /* folder holding nastavnik/ (the trusted library) */
  const char *templates_dir;    /* folder of the stock DOCX/ODT templates (host.templates_dir) */
  const char *fonts_dir;        /* folder of fonts.lua, the font configuration (host.fonts_dir) */
  size_t memory_limit;          /* bytes; 0 means the default (448 MiB) */
  long long instruction_budget; /* per run (host.limits_on); 0 means the default */
  /* For fuzzing (bench/fuzz): called at every line of Lua run under the limits with the
   * chunk's name and the line, so that the fuzzer sees what the Lua library did. NULL: no. */
  void (*on_line)(const char *chunk, int line);
} LuaHostOptions;

/* Creates the state, or returns NULL (out of memory). */
LuaHost *lua_host_open(const LuaHostOptions *options);
void lua_host_close(LuaHost *host);
lua_State *lua_host_state(LuaHost *host);

/* Makes `require(name)` return what `open` pushes (like package.preload). */
void lua_host_preload(LuaHost *host, const char *name, lua_CFunction open);

/* Calls module[function](args...) where args are strings, leaving `nresults` results on the
 * stack. On a Lua error returns -1 and leaves the message on the stack. */
int lua_host_call(LuaHost *host, const char *module, const char *function, int nargs,
                  const char *const *args, int nresults);

#endif
