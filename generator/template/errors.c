/* errors: the messages a fill collects (declared in tmpl.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memory.h"
#include "tmpl.h"

void errlist_addf(ErrList *list, const char *fmt, ...) {
  if (list->count >= TMPL_MAX_ERRORS) return;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  char *s = memory_alloc((size_t)n + 1);
  if (!s) {
    tmpl_no_memory();
    return;
  }
  va_start(ap, fmt);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  /* The same message twice (a tag inside a loop, met once per item) is said once. */
  for (size_t i = 0; i < list->count; i++) {
    if (strcmp(list->items[i], s) == 0) {
      memory_free(s);
      return;
    }
  }
  if (list->count == list->cap) {
    size_t cap = list->cap ? list->cap * 2 : 8;
    char **items = memory_realloc(list->items, cap * sizeof *items);
    if (!items) {
      memory_free(s);
      tmpl_no_memory();
      return;
    }
    list->items = items;
    list->cap = cap;
  }
  list->items[list->count++] = s;
}

void errlist_free(ErrList *list) {
  for (size_t i = 0; i < list->count; i++) memory_free(list->items[i]);
  memory_free(list->items);
  list->items = NULL;
  list->count = list->cap = 0;
}
