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

#include "memory.h"
#include "tmpl.h"

const char TAGS_NO_MEMORY[] = "не хватает памяти";

long utf8_chars(const char *s, size_t len) {
  long n = 0;
  for (size_t i = 0; i < len; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80) n++;
  return n;
}

static int push_span(TagSpan **spans, size_t *n, size_t *cap, size_t start, size_t end) {
  if (*n == *cap) {
    size_t c = *cap ? *cap * 2 : 8;
    TagSpan *grown = memory_realloc(*spans, c * sizeof **spans);
    if (!grown) return -1;
    *spans = grown;
    *cap = c;
  }
  (*spans)[(*n)++] = (TagSpan){start, end};
  return 0;
}

static int push_error(LexError **errors, size_t *n, size_t *cap, size_t pos, const char *msg) {
  if (*n == *cap) {
    size_t c = *cap ? *cap * 2 : 4;
    LexError *grown = memory_realloc(*errors, c * sizeof **errors);
    if (!grown) return -1;
    *errors = grown;
    *cap = c;
  }
  (*errors)[(*n)++] = (LexError){pos, msg};
  return 0;
}

int tags_lex(const char *text, size_t len, TagSpan **spans, size_t *nspans, LexError **errors,
             size_t *nerrors) {
  size_t scap = 0, ecap = 0;
  *spans = NULL;
  *errors = NULL;
  *nspans = *nerrors = 0;
  size_t open = SIZE_MAX;
  int failed = 0;
  for (size_t i = 0; i < len && !failed; i++) {
    if (text[i] == '{') {
      if (open != SIZE_MAX)
        failed = push_error(errors, nerrors, &ecap, open,
                            "тег не закрыт: после «{» новая «{» раньше, чем «}»");
      open = i;
    } else if (text[i] == '}') {
      if (open == SIZE_MAX) {
        failed = push_error(errors, nerrors, &ecap, i, "лишняя «}»: перед ней нет «{»");
      } else {
        failed = push_span(spans, nspans, &scap, open, i + 1);
        open = SIZE_MAX;
      }
    }
  }
  if (!failed && open != SIZE_MAX)
    failed = push_error(errors, nerrors, &ecap, open, "тег не закрыт: до конца абзаца нет «}»");
  return failed ? -1 : 0;
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

/* Letters (any non-ASCII UTF-8 byte counts as one), digits, "_" and "-". */
static int name_char(unsigned char c) {
  return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '-';
}

/* Characters of docxtemplater's expressions ({a + b}, {x > 3 ? "да" : ""}, {f(x)}, {a[0]}). */
static int expression_char(unsigned char c) {
  return c != 0 && strchr("+*/<>=!?:()[]\"'&%,;$@~^#{}", c) != NULL;
}

static const char MSG_EXPRESSION[] =
    "выражения в тегах не поддерживаются: в теге пишется имя (a или a.b.c) и, через «|», "
    "фильтры; посчитайте значение в файле данных и дайте ему имя";

static const char *check_name(const char *s, size_t n, int allow_dots) {
  if (n == 0) return "пустое имя";
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (expression_char(c)) return MSG_EXPRESSION;
    if (c == ' ' || c == '\t' || (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0)) {
      /* "a - b", "a and b": an expression; "org name": a name with a space */
      size_t j = i;
      while (j < n && (s[j] == ' ' || s[j] == '\t')) j++;
      if (j < n && (s[j] == '-' || expression_char((unsigned char)s[j]))) return MSG_EXPRESSION;
      return "в имени пробел (имена пишутся без пробелов, звенья — через точку)";
    }
    if (c == '.' && allow_dots) {
      if (i == 0 || i + 1 == n || s[i + 1] == '.') return "в имени пустое звено между точками";
      continue;
    }
    if (c == '-' && i == 0) return MSG_EXPRESSION;
    if (!name_char(c))
      return allow_dots ? "в имени недопустимый знак (имя — буквы, цифры и «_»; звенья — через "
                          "точку)"
                        : "в имени недопустимый знак (имя — буквы, цифры и «_»)";
  }
  return NULL;
}

/* docxtemplater's syntax this engine does not have, by the first character of the tag: the
 * message says what to write instead. */
static const char *unsupported(char first, size_t n) {
  switch (first) {
    case '@':
      return "вставка XML как есть ({@…}) не поддерживается: передайте в данных форматированный "
             "текст (абзацы, списки, полужирный) и поставьте его тег один в абзаце, без «@»";
    case '%':
      return "вставка картинок тегом ({%…}) не поддерживается: картинку ставят в шаблон "
             "(а повторить её можно циклом {#…}…{/…})";
    case '~':
      return "вставка HTML ({~…}) не поддерживается: передайте в данных форматированный текст "
             "(абзацы, списки, полужирный) и поставьте его тег один в абзаце, без «~»";
    case '=':
      return "смена скобок тегов ({=[[ ]]=}) не поддерживается: теги пишутся в фигурных скобках";
    case '$':
      return "служебные имена ($index, $length) не поддерживаются: номер или число добавьте в "
             "данные (например, поле n в каждом элементе списка)";
    case '-':
      return n > 1 ? "явное указание, что повторять ({-w:tr x}, {-w:p x}), не поддерживается: "
                     "пишите {#x}…{/x}; что повторяется, следует из того, где стоят теги (в "
                     "ячейках одной строки — строки таблицы, каждый один в своём абзаце — абзацы)"
                   : NULL;
    default:
      return NULL;
  }
}

void tags_free(Tag *tag) {
  memory_free(tag->raw);
  memory_free(tag->name);
  for (int i = 0; i < tag->npath; i++) memory_free(tag->path[i]);
  memory_free(tag->path);
  for (int i = 0; i < tag->nfilters; i++) memory_free(tag->filters[i]);
  memory_free(tag->filters);
  memory_free(tag->context);
  memset(tag, 0, sizeof *tag);
}

/* Marks tag broken with its type and a name to pair by; returns why. */
static const char *broken(Tag *tag, TagType type, const char *name, size_t len, const char *why) {
  tag->broken = 1;
  tag->type = type;
  memory_free(tag->name);
  tag->name = memory_strndup(name, len);
  return tag->name ? why : TAGS_NO_MEMORY;
}

const char *tags_parse(const char *raw, size_t len, Tag *tag) {
  memset(tag, 0, sizeof *tag);
  tag->partner = -1;
  tag->raw = memory_strndup(raw, len);
  if (!tag->raw) return TAGS_NO_MEMORY;
  const char *s = raw + 1;
  size_t n = len >= 2 ? len - 2 : 0;
  trim(&s, &n);
  if (n == 0) return "пустой тег: между «{» и «}» нет имени";
  tag->type = TAG_TEXT;
  const char *why = unsupported(*s, n);
  if (why) {
    if (*s == '-') { /* {-w:tr x}: an opening loop tag named x, so that {/x} pairs with it */
      const char *sp = s;
      while (sp < s + n && *sp != ' ') sp++;
      const char *name = sp;
      size_t name_len = (size_t)(s + n - sp);
      trim(&name, &name_len);
      return broken(tag, TAG_OPEN, name, name_len, why);
    }
    return broken(tag, TAG_TEXT, s, n, why);
  }
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
      why = check_name(name, name_len, 1);
      if (why == MSG_EXPRESSION) return broken(tag, tag->type, name, name_len, why);
      if (why) return why;
    }
    if (tag->type != TAG_CLOSE && !dot) {
      int parts = 1;
      for (size_t i = 0; i < name_len; i++) parts += name[i] == '.';
      tag->path = memory_calloc((size_t)parts, sizeof *tag->path);
      if (!tag->path) return TAGS_NO_MEMORY;
      const char *p = name, *end = name + name_len;
      while (p <= end) {
        const char *q = memchr(p, '.', (size_t)(end - p));
        if (!q) q = end;
        tag->path[tag->npath] = memory_strndup(p, (size_t)(q - p));
        if (!tag->path[tag->npath++]) return TAGS_NO_MEMORY;
        p = q + 1;
      }
    }
  }
  tag->name = memory_strndup(name, name_len);
  if (!tag->name) return TAGS_NO_MEMORY;
  while (bar) {
    const char *f = bar + 1;
    const char *end = s + n;
    bar = memchr(f, '|', (size_t)(end - f));
    size_t flen = (size_t)((bar ? bar : end) - f);
    trim(&f, &flen);
    if (flen == 0) return "после «|» нет имени фильтра";
    why = check_name(f, flen, 0);
    if (why == MSG_EXPRESSION || (why && memchr(f, ' ', flen)))
      return broken(tag, tag->type, name, name_len,
                    "у фильтров не бывает аргументов и выражений: пишите {x|фильтр}, а что "
                    "фильтру нужно ещё, передайте в данных");
    if (why) return "недопустимое имя фильтра (имя — буквы, цифры и «_»)";
    char **grown = memory_realloc(tag->filters, (size_t)(tag->nfilters + 1) * sizeof *grown);
    if (!grown) return TAGS_NO_MEMORY;
    tag->filters = grown;
    tag->filters[tag->nfilters] = memory_strndup(f, flen);
    if (!tag->filters[tag->nfilters++]) return TAGS_NO_MEMORY;
  }
  return NULL;
}

int tags_match(Tag *tags, size_t n, TagErrorFn report, void *ud) {
  size_t *stack = memory_alloc((n ? n : 1) * sizeof *stack);
  if (!stack) return -1;
  size_t depth = 0;
  for (size_t i = 0; i < n; i++) {
    Tag *t = &tags[i];
    if (t->type == TAG_OPEN || t->type == TAG_INVERSE) {
      stack[depth++] = i;
      continue;
    }
    if (t->type != TAG_CLOSE) continue;
    if (depth == 0) {
      if (!t->broken)
        report(ud, i, "лишний закрывающий тег %s: перед ним нет открывающего {#%s}", t->raw,
               t->name);
      continue;
    }
    size_t k = depth;
    while (k > 0 && t->name[0] && strcmp(tags[stack[k - 1]].name, t->name) != 0) k--;
    if (k == 0) {
      Tag *top = &tags[stack[depth - 1]];
      if (!t->broken && !top->broken)
        report(ud, i,
               "лишний закрывающий тег %s: перед ним нет открывающего {#%s} (открыт %s — может "
               "быть, имелось в виду {/%s}?)",
               t->raw, t->name, top->raw, top->name);
      continue;
    }
    while (depth > k) {
      size_t o = stack[--depth];
      if (!tags[o].broken) report(ud, o, "цикл %s не закрыт: нет {/%s}", tags[o].raw, tags[o].name);
    }
    size_t o = stack[--depth];
    tags[o].partner = (long)i;
    t->partner = (long)o;
  }
  while (depth > 0) {
    size_t o = stack[--depth];
    if (!tags[o].broken) report(ud, o, "цикл %s не закрыт: нет {/%s}", tags[o].raw, tags[o].name);
  }
  memory_free(stack);
  return 0;
}
