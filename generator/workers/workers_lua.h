/*
 * workers_lua: the Lua module "nastavnik.processes" — worker processes for `build -j N`
 * (scripts/nastavnik/workers.lua decides what they do). Processes rather than threads: each
 * worker is a fork taken after the scripts and the description are loaded, so it starts with
 * the whole Lua state for free (copy on write) and nothing in Lua, libharu, libxml2 or libzip
 * has to be thread-safe; a worker that crashes takes only its own documents with it.
 *
 *   local processes = require "nastavnik.processes"
 *   processes.cores()             -> the number of processors online (at least 1)
 *   processes.start()             -> pid, fd | nil, message: forks a worker; in the worker
 *                                  pid is 0 and fd is the end it writes to, in the parent
 *                                  fd is the end the parent reads from
 *   processes.send(fd, bytes)     -> true | nil, message: one message (length-prefixed)
 *   processes.receive(fd)         -> bytes | nil at the end of the stream (the worker ended)
 *   processes.ready(fds)          -> the first fd of the list with something to read (or
 *                                  whose worker ended), once one has | nil, message
 *   processes.encode(value)       -> bytes: plain data (strings, numbers, booleans, tables of
 *                                  them; a table met twice stays one) as a message
 *   processes.decode(bytes)       -> the value encode was given
 *   processes.close(fd)
 *   processes.wait(pid)           -> "exit", code | "signal", number
 *   processes.finish(code)        -> ends the worker at once (_exit: nothing of the parent's
 *                                  buffers flushed twice, no atexit handlers)
 *   processes.remove(path)        -> true | nil, message (a temporary file left by a worker)
 *   processes.release()           -> gives the memory freed back to the system at once (what
 *                                  this process forks or makes next does not count it)
 *   processes.spill(dir)          -> spill | nil, message: an unnamed temporary file in dir,
 *                                  shared with every worker forked after (build: a region's
 *                                  organisations as its first read left them); with
 *                                  NASTAVNIK_TEST_NO_SPILL set, always nil (tests: the
 *                                  organisations are then read again, as without the file)
 *   spill:keep(bytes)             -> offset | nil, message (any process may keep: each piece
 *                                  has a room of its own)
 *   spill:read(offset, length)    -> bytes | nil, message
 *   spill:close()
 *   processes.units(count)        -> units | nil, message: units 1..count shared out between
 *                                  the workers forked after, each taking the next as it goes
 *   units:take(k)                 -> the next unit, now worker k's (1..256) | nil: none left
 *   units:taken(k)                -> the unit worker k took last (0: none)
 *                                  (NASTAVNIK_TEST_KILL_UNIT=R:U: the worker that takes unit
 *                                  U of the process's R-th units ends by SIGKILL: for tests)
 *   units:close()
 */
#ifndef NASTAVNIK_WORKERS_LUA_H
#define NASTAVNIK_WORKERS_LUA_H

#include <lua.h>

int luaopen_nastavnik_processes(lua_State *L);

#endif
