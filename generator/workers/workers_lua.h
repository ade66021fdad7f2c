/*
 * workers_lua: the Lua module "nastavnik.workers" — worker processes for `build -j N`
 * (scripts/nastavnik/workers.lua decides what they do). Processes rather than threads: each
 * worker is a fork taken after the scripts and the description are loaded, so it starts with
 * the whole Lua state for free (copy on write) and nothing in Lua, libharu, libxml2 or libzip
 * has to be thread-safe; a worker that crashes takes only its own documents with it.
 *
 *   local workers = require "nastavnik.workers"
 *   workers.cores()             -> the number of processors online (at least 1)
 *   workers.start()             -> pid, fd | nil, message: forks a worker; in the worker
 *                                  pid is 0 and fd is the end it writes to, in the parent
 *                                  fd is the end the parent reads from
 *   workers.send(fd, bytes)     -> true | nil, message: one message (length-prefixed)
 *   workers.receive(fd)         -> bytes | nil at the end of the stream (the worker ended)
 *   workers.close(fd)
 *   workers.wait(pid)           -> "exit", code | "signal", number
 *   workers.finish(code)        -> ends the worker at once (_exit: nothing of the parent's
 *                                  buffers flushed twice, no atexit handlers)
 *   workers.remove(path)        -> true | nil, message (a temporary file left by a worker)
 */
#ifndef NASTAVNIK_WORKERS_LUA_H
#define NASTAVNIK_WORKERS_LUA_H

#include <lua.h>

int luaopen_nastavnik_workers(lua_State *L);

#endif
