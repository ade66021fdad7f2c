/*
 * tags: the format-agnostic half of the template room. It knows nothing of XML: it finds
 * {...} in the text of one paragraph, reads what a tag says, and pairs loop tags.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl.h"

void errlist_addf(ErrList *list, const char *fmt, ...) {
  if (list->count >= TMPL_MAX_ERRORS) return;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  char *s = malloc((size_t)n + 1);
  if (!s) return;
  va_start(ap, fmt);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  /* The same message twice (a tag inside a loop, met once per item) is said once. */
  for (size_t i = 0; i < list->count; i++) {
    if (strcmp(list->items[i], s) == 0) {
      free(s);
      return;
    }
  }
  if (list->count == list->cap) {
    size_t cap = list->cap ? list->cap * 2 : 8;
    char **items = realloc(list->items, cap * sizeof *items);
    if (!items) {
      free(s);
      return;
    }
    list->items = items;
    list->cap = cap;
  }
  list->items[list->count++] = s;
}

void errlist_free(ErrList *list) {
  for (size_t i = 0; i < list->count; i++) free(list->items[i]);
  free(list->items);
  list->items = NULL;
  list->count = list->cap = 0;
}

long utf8_chars(const char *s, size_t len) {
  long n = 0;
  for (size_t i = 0; i < len; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80) n++;
  return n;
}

static void push_span(TagSpan **spans, size_t *n, size_t *cap, size_t start, size_t end) {
  if (*n == *cap) {
    size_t c = *cap ? *cap * 2 : 8;
    TagSpan *grown = realloc(*spans, c * sizeof **spans);
    if (!grown) return;
    *spans = grown;
    *cap = c;
  }
  (*spans)[(*n)++] = (TagSpan){start, end};
}

static void push_error(LexError **errors, size_t *n, size_t *cap, size_t pos, const char *msg) {
  if (*n == *cap) {
    size_t c = *cap ? *cap * 2 : 4;
    LexError *grown = realloc(*errors, c * sizeof **errors);
    if (!grown) return;
    *errors = grown;
    *cap = c;
  }
  (*errors)[(*n)++] = (LexError){pos, msg};
}

void tags_lex(const char *text, size_t len, TagSpan **spans, size_t *nspans, LexError **errors,
              size_t *nerrors) {
  size_t scap = 0, ecap = 0;
  *spans = NULL;
  *errors = NULL;
  *nspans = *nerrors = 0;
  size_t open = SIZE_MAX;
  for (size_t i = 0; i < len; i++) {
    if (text[i] == '{') {
      if (open != SIZE_MAX)
        push_error(errors, nerrors, &ecap, open,
                   "тег не закрыт: после «{» новая «{» раньше, чем «}»");
      open = i;
    } else if (text[i] == '}') {
      if (open == SIZE_MAX) {
        push_error(errors, nerrors, &ecap, i, "лишняя «}»: перед ней нет «{»");
      } else {
        push_span(spans, nspans, &scap, open, i + 1);
        open = SIZE_MAX;
      }
    }
  }
  if (open != SIZE_MAX)
    push_error(errors, nerrors, &ecap, open, "тег не закрыт: до конца абзаца нет «}»");
}

static int is_space_at(const char *s, size_t i, size_t len, size_t *width) {
  unsigned char c = (unsigned char)s[i];
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
    *width = 1;
    return 1;
  }
  if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xA0) { /* no-break space */
    *width = 2;
    return 1;
  }
  return 0;
}

static void trim(const char **s, size_t *len) {
  size_t w;
  while (*len > 0 && is_space_at(*s, 0, *len, &w)) {
    *s += w;
    *len -= w;
  }
  while (*len > 0) {
    if ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t')
      (*len)--;
    else if (*len >= 2 && (unsigned char)(*s)[*len - 2] == 0xC2 &&
             (unsigned char)(*s)[*len - 1] == 0xA0)
      *len -= 2;
    else
      break;
  }
}

static char *dup_n(const char *s, size_t n) {
  char *d = malloc(n + 1);
  if (!d) return NULL;
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

/* Letters (any non-ASCII UTF-8 byte counts as one), digits, "_" and "-". */
static int name_char(unsigned char c) {
  return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '-';
}

static const char *check_name(const char *s, size_t n, int allow_dots) {
  if (n == 0) return "пустое имя";
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '.' && allow_dots) {
      if (i == 0 || i + 1 == n || s[i + 1] == '.') return "в имени пустое звено между точками";
      continue;
    }
    if (c == ' ' || c == '\t' || (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0))
      return "в имени пробел (имена пишутся без пробелов, звенья — через точку)";
    if (!name_char(c)) return "в имени недопустимый знак (можно буквы, цифры, «_», «-», «.»)";
  }
  return NULL;
}

void tags_free(Tag *tag) {
  free(tag->raw);
  free(tag->name);
  for (int i = 0; i < tag->npath; i++) free(tag->path[i]);
  free(tag->path);
  for (int i = 0; i < tag->nfilters; i++) free(tag->filters[i]);
  free(tag->filters);
  free(tag->context);
  memset(tag, 0, sizeof *tag);
}

const char *tags_parse(const char *raw, size_t len, Tag *tag) {
  memset(tag, 0, sizeof *tag);
  tag->partner = -1;
  tag->raw = dup_n(raw, len);
  const char *s = raw + 1;
  size_t n = len >= 2 ? len - 2 : 0;
  trim(&s, &n);
  if (n == 0) return "пустой тег: между «{» и «}» нет имени";
  tag->type = TAG_TEXT;
  if (*s == '#' || *s == '^' || *s == '/') {
    tag->type = *s == '#' ? TAG_OPEN : *s == '^' ? TAG_INVERSE : TAG_CLOSE;
    s++;
    n--;
    trim(&s, &n);
  }
  /* name | filter | filter ... */
  const char *bar = memchr(s, '|', n);
  const char *name = s;
  size_t name_len = bar ? (size_t)(bar - s) : n;
  trim(&name, &name_len);
  if (tag->type == TAG_CLOSE && bar) return "у закрывающего тега не бывает фильтров";
  if (!(tag->type == TAG_CLOSE && name_len == 0)) {
    int dot = name_len == 1 && name[0] == '.';
    if (!dot) {
      const char *why = check_name(name, name_len, 1);
      if (why) return why;
    }
    if (tag->type != TAG_CLOSE && !dot) {
      int parts = 1;
      for (size_t i = 0; i < name_len; i++) parts += name[i] == '.';
      tag->path = calloc((size_t)parts, sizeof *tag->path);
      if (!tag->path) return "не хватает памяти";
      const char *p = name, *end = name + name_len;
      while (p <= end) {
        const char *q = memchr(p, '.', (size_t)(end - p));
        if (!q) q = end;
        tag->path[tag->npath++] = dup_n(p, (size_t)(q - p));
        p = q + 1;
      }
    }
  }
  tag->name = dup_n(name, name_len);
  while (bar) {
    const char *f = bar + 1;
    const char *end = s + n;
    bar = memchr(f, '|', (size_t)(end - f));
    size_t flen = (size_t)((bar ? bar : end) - f);
    trim(&f, &flen);
    if (flen == 0) return "после «|» нет имени фильтра";
    const char *why = check_name(f, flen, 0);
    if (why) return "недопустимое имя фильтра (можно буквы, цифры, «_», «-»)";
    char **grown = realloc(tag->filters, (size_t)(tag->nfilters + 1) * sizeof *grown);
    if (!grown) return "не хватает памяти";
    tag->filters = grown;
    tag->filters[tag->nfilters++] = dup_n(f, flen);
  }
  return NULL;
}

void tags_match(Tag *tags, size_t n, TagErrorFn report, void *ud) {
  size_t *stack = malloc((n ? n : 1) * sizeof *stack);
  if (!stack) return;
  size_t depth = 0;
  for (size_t i = 0; i < n; i++) {
    Tag *t = &tags[i];
    if (t->type == TAG_OPEN || t->type == TAG_INVERSE) {
      stack[depth++] = i;
      continue;
    }
    if (t->type != TAG_CLOSE) continue;
    if (depth == 0) {
      report(ud, i, "лишний закрывающий тег %s: перед ним нет открывающего {#%s}", t->raw,
             t->name);
      continue;
    }
    size_t k = depth;
    while (k > 0 && t->name[0] && strcmp(tags[stack[k - 1]].name, t->name) != 0) k--;
    if (k == 0) {
      Tag *top = &tags[stack[depth - 1]];
      report(ud, i,
             "лишний закрывающий тег %s: перед ним нет открывающего {#%s} (открыт %s — может "
             "быть, имелось в виду {/%s}?)",
             t->raw, t->name, top->raw, top->name);
      continue;
    }
    while (depth > k) {
      size_t o = stack[--depth];
      report(ud, o, "цикл %s не закрыт: нет {/%s}", tags[o].raw, tags[o].name);
    }
    size_t o = stack[--depth];
    tags[o].partner = (long)i;
    t->partner = (long)o;
  }
  while (depth > 0) {
    size_t o = stack[--depth];
    report(ud, o, "цикл %s не закрыт: нет {/%s}", tags[o].raw, tags[o].name);
  }
  free(stack);
}
