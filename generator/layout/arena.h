/*
 * arena: one bump allocator per rendered document.
 *
 * Layout makes thousands of tiny allocations (fragments, lines, drawing operations) that all
 * die together when the PDF bytes are out. An arena makes them cheap and makes cleanup one
 * call, even when a Lua error unwinds past the renderer (pdf_lua.c owns the arena through a
 * userdata with __gc). Allocation failure returns NULL; callers report "out of memory".
 */
#ifndef NASTAVNIK_LAYOUT_ARENA_H
#define NASTAVNIK_LAYOUT_ARENA_H

#include <stddef.h>

typedef struct ArenaChunk ArenaChunk;
typedef struct {
  ArenaChunk *head;
  size_t used; /* bytes used in head */
} Arena;

void arena_init(Arena *arena);
void arena_free(Arena *arena);
/* Zeroed, aligned for any type. */
void *arena_alloc(Arena *arena, size_t size);
/* The same, not cleared: for what the caller writes over whole at once (a copy). */
void *arena_alloc_uncleared(Arena *arena, size_t size);
/* Grows an array allocated in the arena: returns a copy with room for new_count items, the new
 * ones not cleared (every caller writes an item whole before it reads it: clearing the room of
 * growing lists was a twentieth of a table's layout). */
void *arena_grow(Arena *arena, void *old, size_t old_count, size_t new_count, size_t item);
char *arena_strndup(Arena *arena, const char *s, size_t len);

/* A point to come back to: everything allocated after arena_mark is dropped by arena_release
 * (scratch memory of one step, reused by the next without malloc). */
typedef struct {
  ArenaChunk *head;
  size_t used;
} ArenaMark;

ArenaMark arena_mark(Arena *arena);
void arena_release(Arena *arena, ArenaMark mark);

#endif
