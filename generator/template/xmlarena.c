/* xmlarena: see xmlarena.h. */
#include "xmlarena.h"

#include <libxml/dict.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlmemory.h>
#include <string.h>

#include "memory.h"

/* Under AddressSanitizer the arena's free room and the blocks freed are poisoned, so that a
 * tree used after its fill, or a block after xmlFree, is still caught. */
#if defined(__SANITIZE_ADDRESS__)
#define XMLARENA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define XMLARENA_ASAN 1
#endif
#endif
#ifdef XMLARENA_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

/* A DOCX fill's trees take a few hundred KiB: the first chunk holds most fills whole, and the
 * newest chunk (the largest) is kept for the next span. libxml2 needs no more than pointer
 * alignment. */
enum { FIRST_CHUNK = 256 * 1024, LARGEST_CHUNK = 4 * 1024 * 1024, ALIGN = 8 };

typedef struct Chunk {
  struct Chunk *next; /* the older one */
  size_t size;
  _Alignas(16) unsigned char data[];
} Chunk;

static Chunk *head;  /* being filled; the older ones follow */
static Chunk *spare; /* kept between spans */
/* head's free room, [bump, bump_end): a block is one test of two pointers (a fill asks for a
 * million blocks) */
static unsigned char *bump, *bump_end;
static unsigned char *last; /* the last block handed out, when it is still the last */
static int active, paused;
static xmlFreeFunc base_free;
static xmlMallocFunc base_malloc;
static xmlReallocFunc base_realloc;
static xmlStrdupFunc base_strdup;

static size_t rounded(size_t size) {
  return (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
}

static void use_chunk(Chunk *c) {
  head = c;
  bump = c ? c->data : NULL;
  bump_end = c ? c->data + c->size : NULL;
}

/* A new chunk for a block of `need` bytes; 0 when memory ran out. */
static __attribute__((noinline)) int new_chunk(size_t need) {
  size_t want = head && head->size < LARGEST_CHUNK ? 2 * head->size : FIRST_CHUNK;
  if (head && head->size >= LARGEST_CHUNK) want = LARGEST_CHUNK;
  if (want < need) want = need;
  Chunk *c = memory_alloc(sizeof *c + want);
  if (!c) return 0;
  c->size = want;
  c->next = head;
  use_chunk(c);
  POISON(c->data, want);
  return 1;
}

/* Each block is preceded by its size (for realloc). */
/* (inlined in arena_malloc: a fill asks for two million blocks) */
static inline __attribute__((always_inline)) void *block(size_t size) {
  size_t need = sizeof(size_t) + rounded(size);
  if ((size_t)(bump_end - bump) < need && !new_chunk(need)) return NULL;
  unsigned char *p = bump;
  UNPOISON(p, need);
  bump += need;
  memcpy(p, &size, sizeof size);
  last = p + sizeof(size_t);
  return last;
}

static size_t size_of(const unsigned char *p) {
  size_t size;
  memcpy(&size, p - sizeof size, sizeof size);
  return size;
}

static int owns(const void *ptr) {
  const unsigned char *p = ptr;
  for (const Chunk *c = head; c; c = c->next)
    if (p >= c->data && p < c->data + c->size) return 1;
  return 0;
}

static __attribute__((noinline)) void *block_slow(size_t size) {
  return block(size);
}

/* (the usual case without a frame: the new chunk's path is block_slow's; block's own test
 * for room is the one just made, and the compiler drops it) */
static void *arena_malloc(size_t size) {
  size_t need = sizeof(size_t) + rounded(size);
  if (__builtin_expect((size_t)(bump_end - bump) < need, 0)) return block_slow(size);
  return block(size);
}

static void arena_free(void *ptr) {
  if (!ptr) return;
  if (!owns(ptr)) {
    base_free(ptr);
    return;
  }
  unsigned char *p = ptr;
  POISON(p, rounded(size_of(p)));
  if (p == last) { /* a temporary string given back at once: its room is used again */
    bump = p - sizeof(size_t);
    last = NULL;
  }
}

static void *arena_realloc(void *ptr, size_t size) {
  if (!ptr) return block(size);
  if (!owns(ptr)) return base_realloc(ptr, size);
  unsigned char *p = ptr;
  size_t old = size_of(p);
  if (p == last && rounded(size) <= (size_t)(bump_end - p)) { /* grows in place */
    bump = p + rounded(size);
    memcpy(p - sizeof size, &size, sizeof size);
    UNPOISON(p, rounded(size));
    return p;
  }
  unsigned char *q = block(size);
  if (!q) return NULL;
  memcpy(q, p, old < size ? old : size);
  POISON(p, rounded(old));
  return q;
}

static char *arena_strdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = block(n);
  if (d) memcpy(d, s, n);
  return d;
}

size_t xmlarena_room(size_t size) {
  return sizeof(size_t) + rounded(size);
}

void *xmlarena_place(unsigned char *at, size_t size) {
  memcpy(at, &size, sizeof size);
  return at + sizeof(size_t);
}

void xmlarena_begin(void) {
  if (active || paused) return;
  xmlMemGet(&base_free, &base_malloc, &base_realloc, &base_strdup);
  use_chunk(spare);
  spare = NULL;
  last = NULL;
  active = 1;
  xmlMemSetup(arena_free, arena_malloc, arena_realloc, arena_strdup);
}

int xmlarena_active(void) {
  return active;
}

void xmlarena_free_doc(xmlDoc *doc) {
  if (!doc || !doc->dict) return;
  xmlDictFree(doc->dict); /* its lock is malloc'd; the prepared dictionary is referenced */
  doc->dict = NULL;
}

void xmlarena_end(void) {
  if (!active) return;
  xmlResetLastError(); /* its message may be in the arena */
  xmlMemSetup(base_free, base_malloc, base_realloc, base_strdup);
  active = 0;
  Chunk *keep = head && head->size <= LARGEST_CHUNK ? head : NULL;
  for (Chunk *c = head; c;) {
    Chunk *next = c->next;
    if (c != keep) memory_free(c);
    c = next;
  }
  if (keep) {
    keep->next = NULL;
    POISON(keep->data, keep->size);
  }
  spare = keep;
  use_chunk(NULL);
  last = NULL;
}

int xmlarena_pause(void) {
  if (!active) return 0;
  xmlResetLastError();
  xmlMemSetup(base_free, base_malloc, base_realloc, base_strdup);
  active = 0;
  paused = 1;
  return 1;
}

void xmlarena_resume(int was_paused) {
  if (!was_paused) return;
  xmlResetLastError();
  paused = 0;
  active = 1;
  xmlMemSetup(arena_free, arena_malloc, arena_realloc, arena_strdup);
}
