/*
 * memory: the generator's one out-of-memory policy, and the allocator the C rooms use.
 *
 * The policy (every room follows it; template/, zip/, view/ do today):
 *
 *  1. Nothing aborts. No abort(), no assert on a failed allocation, no exit() in a room: a
 *     SIGABRT would leave the user a core dump and no word, and would skip the cleanup that
 *     keeps half-written files away.
 *  2. A C function that cannot allocate fails the way its room fails (NULL, -1, a status
 *     such as VIEW_NO_MEMORY) up to the C function Lua called (the room's module function:
 *     template.fill, pdf.render). There, memory_raise(L) raises the Lua error whose message
 *     is MEMORY_MESSAGE. A room whose work runs inside a protected call of its own (the
 *     template engine runs in lua_pcall) may call memory_raise() where the failure happens,
 *     as long as its trees and buffers hang off a context freed after that call returns and
 *     it never raises from inside a library call (libxml2 answered; nothing is half-linked).
 *     A few bytes of the failing step's temporaries may be lost: the command ends at once.
 *  3. Lua's own allocator failing (and lua_host's memory cap) is the same case: a Lua memory
 *     error.
 *  4. The error reaches the command: generator/main.c prints "nastavnik: не хватает памяти…"
 *     and exits with code 4 (внутренняя ошибка). No output is written: outputs are written
 *     only after everything succeeded, atomically (fileio_write_atomic).
 *  5. Allocations go through memory_alloc/calloc/realloc/strdup/free (libxml2's too, see
 *     memory_setup_libxml), so a test can make them fail: memory_fail_after(n) lets n more
 *     allocations succeed and fails every one after, until memory_fail_after(-1).
 *     memory_failed() tells whether any allocation failed since the last memory_clear(),
 *     which is how a failure inside a library (libxml2 answers NULL, or nothing) is told from
 *     bad input.
 */
#ifndef NASTAVNIK_MEMORY_H
#define NASTAVNIK_MEMORY_H

#include <lua.h>
#include <stddef.h>

#define MEMORY_MESSAGE "не хватает памяти"

void *memory_alloc(size_t size);
void *memory_calloc(size_t count, size_t size);
void *memory_realloc(void *ptr, size_t size);
char *memory_strdup(const char *s);
char *memory_strndup(const char *s, size_t len);
void memory_free(void *ptr);

/* Test hook: n more allocations succeed, then all fail; n < 0 turns it off. */
void memory_fail_after(long n);
/* Whether an allocation failed since memory_clear(). */
int memory_failed(void);
void memory_clear(void);
/* Sets the flag: a library said it ran out of memory (libzip's ZIP_ER_MEMORY). */
void memory_note_failure(void);

/* Makes libxml2 allocate through this room (once per process, before libxml2 is used). */
void memory_setup_libxml(void);

/* Raises the Lua error MEMORY_MESSAGE (does not return). */
int memory_raise(lua_State *L);

/* Whether the error message at the top of L's stack is the out-of-memory one (ours or Lua's
 * own "not enough memory"). */
int memory_is_error(lua_State *L, int idx);

#endif
