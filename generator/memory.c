/* memory: see memory.h. */
#define _POSIX_C_SOURCE 200809L
#include "memory.h"

#include <lauxlib.h>
#include <libxml/xmlmemory.h>
#include <stdlib.h>
#include <string.h>

/* The test hook's count (< 0: off) and the sticky failure flag. One process, one thread. */
static long allowed = -1;
static int failed;

static int refuse(void) {
  if (allowed < 0) return 0;
  if (allowed == 0) return 1;
  allowed--;
  return 0;
}

static void *note(void *p) {
  if (!p) failed = 1;
  return p;
}

void *memory_alloc(size_t size) {
  if (refuse()) return note(NULL);
  return note(malloc(size ? size : 1));
}

void *memory_calloc(size_t count, size_t size) {
  if (refuse()) return note(NULL);
  return note(calloc(count ? count : 1, size ? size : 1));
}

void *memory_realloc(void *ptr, size_t size) {
  if (refuse()) return note(NULL);
  return note(realloc(ptr, size ? size : 1));
}

char *memory_strndup(const char *s, size_t len) {
  char *d = memory_alloc(len + 1);
  if (!d) return NULL;
  memcpy(d, s, len);
  d[len] = '\0';
  return d;
}

char *memory_strdup(const char *s) {
  return memory_strndup(s, strlen(s));
}

void memory_free(void *ptr) {
  free(ptr);
}

void memory_fail_after(long n) {
  allowed = n;
}

int memory_failed(void) {
  return failed;
}

void memory_clear(void) {
  failed = 0;
}

void memory_note_failure(void) {
  failed = 1;
}

/* libxml2 calls these with its own signatures. */
static void *xml_malloc(size_t size) {
  return memory_alloc(size);
}
static void *xml_realloc(void *ptr, size_t size) {
  return memory_realloc(ptr, size);
}
static char *xml_strdup(const char *s) {
  return memory_strdup(s);
}

void memory_setup_libxml(void) {
  static int done;
  if (done) return;
  done = 1;
  xmlMemSetup(memory_free, xml_malloc, xml_realloc, xml_strdup);
}

int memory_raise(lua_State *L) {
  lua_pushliteral(L, MEMORY_MESSAGE);
  return lua_error(L);
}

int memory_is_error(lua_State *L, int idx) {
  const char *s = lua_tostring(L, idx);
  if (!s) return 0;
  return strncmp(s, MEMORY_MESSAGE, strlen(MEMORY_MESSAGE)) == 0 ||
         strcmp(s, "not enough memory") == 0;
}
