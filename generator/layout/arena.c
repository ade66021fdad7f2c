/* arena: see arena.h. */
#include "layout/arena.h"

#include <string.h>

#include "memory.h"

enum { CHUNK_SIZE = 64 * 1024, ALIGN = 16 };

struct ArenaChunk {
  ArenaChunk *next;
  size_t size;
  _Alignas(16) unsigned char data[];
};

void arena_init(Arena *arena) {
  arena->head = NULL;
  arena->used = 0;
}

void arena_free(Arena *arena) {
  ArenaChunk *c = arena->head;
  while (c) {
    ArenaChunk *next = c->next;
    memory_free(c);
    c = next;
  }
  arena->head = NULL;
  arena->used = 0;
}

/* size bytes, aligned, not cleared: what arena_grow and arena_strndup write over at once need
 * no clearing (clearing every grown array whole was 6 % of a 40-row roadmap's render). */
static void *bump(Arena *arena, size_t size) {
  size = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
  if (size == 0) size = ALIGN;
  if (!arena->head || arena->used + size > arena->head->size) {
    /* Big requests get a chunk of their own, so a huge table never wastes a chunk's tail. */
    size_t want = size > CHUNK_SIZE ? size : CHUNK_SIZE;
    ArenaChunk *c = memory_alloc(sizeof *c + want);
    if (!c) return NULL;
    c->size = want;
    c->next = arena->head;
    arena->head = c;
    arena->used = 0;
  }
  void *p = arena->head->data + arena->used;
  arena->used += size;
  return p;
}

void *arena_alloc(Arena *arena, size_t size) {
  void *p = bump(arena, size);
  if (p) memset(p, 0, size);
  return p;
}

void *arena_alloc_uncleared(Arena *arena, size_t size) {
  return bump(arena, size);
}

void *arena_grow(Arena *arena, void *old, size_t old_count, size_t new_count, size_t item) {
  unsigned char *p = bump(arena, new_count * item);
  if (!p) return NULL;
  if (old && old_count) memcpy(p, old, old_count * item);
  return p;
}

char *arena_strndup(Arena *arena, const char *s, size_t len) {
  char *p = bump(arena, len + 1);
  if (!p) return NULL;
  memcpy(p, s, len);
  p[len] = '\0';
  return p;
}

ArenaMark arena_mark(Arena *arena) {
  /* A mark in an empty arena would give its first chunk back on every release. */
  if (!arena->head) arena_alloc(arena, 1);
  return (ArenaMark){.head = arena->head, .used = arena->used};
}

void arena_release(Arena *arena, ArenaMark mark) {
  while (arena->head && arena->head != mark.head) {
    ArenaChunk *next = arena->head->next;
    memory_free(arena->head);
    arena->head = next;
  }
  arena->used = arena->head ? mark.used : 0;
}
