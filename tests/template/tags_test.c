/* Unit tests of the format-agnostic half of the template room (generator/template/tags.c):
 * the lexer, the tag parser and loop pairing. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "template/tmpl.h"

static int failures;
#define CHECK(cond)                                                        \
  do {                                                                     \
    if (!(cond)) {                                                         \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      failures++;                                                          \
    }                                                                      \
  } while (0)

static void lex(const char *text, size_t want_spans, size_t want_errors) {
  TagSpan *spans;
  LexError *errors;
  size_t ns, ne;
  tags_lex(text, strlen(text), &spans, &ns, &errors, &ne);
  if (ns != want_spans || ne != want_errors) {
    fprintf(stderr, "lex(%s): %zu spans, %zu errors; wanted %zu, %zu\n", text, ns, ne,
            want_spans, want_errors);
    failures++;
  }
  free(spans);
  free(errors);
}

static char reports[8][256];
static size_t nreports;
static size_t report_at[8];

static void report(void *ud, size_t i, const char *fmt, ...) {
  (void)ud;
  if (nreports >= 8) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(reports[nreports], sizeof reports[0], fmt, ap);
  va_end(ap);
  report_at[nreports++] = i;
}

static void parse_all(const char *const *raws, size_t n, Tag *tags) {
  for (size_t i = 0; i < n; i++) {
    const char *why = tags_parse(raws[i], strlen(raws[i]), &tags[i]);
    CHECK(why == NULL);
  }
}

int main(void) {
  /* the lexer */
  lex("Директор: {org.head.name}", 1, 0);
  lex("{a}{b} и {c}", 3, 0);
  lex("без тегов", 0, 0);
  lex("{не закрыт", 0, 1);
  lex("лишняя }", 0, 1);
  lex("{a {b}", 1, 1);
  {
    TagSpan *spans;
    LexError *errors;
    size_t ns, ne;
    const char *text = "ab{x}cd";
    tags_lex(text, strlen(text), &spans, &ns, &errors, &ne);
    CHECK(ns == 1 && spans[0].start == 2 && spans[0].end == 5);
    free(spans);
    free(errors);
  }

  /* the parser */
  Tag t;
  CHECK(tags_parse("{ org.head.name }", 17, &t) == NULL);
  CHECK(t.type == TAG_TEXT && strcmp(t.name, "org.head.name") == 0 && t.npath == 3);
  CHECK(strcmp(t.path[2], "name") == 0 && t.nfilters == 0);
  tags_free(&t);
  const char *f = "{date | date_words|upper}";
  CHECK(tags_parse(f, strlen(f), &t) == NULL);
  CHECK(t.nfilters == 2 && strcmp(t.filters[0], "date_words") == 0 &&
        strcmp(t.filters[1], "upper") == 0 && strcmp(t.name, "date") == 0);
  tags_free(&t);
  CHECK(tags_parse("{#items}", 8, &t) == NULL && t.type == TAG_OPEN);
  tags_free(&t);
  CHECK(tags_parse("{^items}", 8, &t) == NULL && t.type == TAG_INVERSE);
  tags_free(&t);
  CHECK(tags_parse("{/items}", 8, &t) == NULL && t.type == TAG_CLOSE);
  tags_free(&t);
  CHECK(tags_parse("{.}", 3, &t) == NULL && t.npath == 0);
  tags_free(&t);
  const char *cyr = "{организация.директор}";
  CHECK(tags_parse(cyr, strlen(cyr), &t) == NULL && t.npath == 2);
  tags_free(&t);
  CHECK(tags_parse("{}", 2, &t) != NULL);
  tags_free(&t);
  CHECK(tags_parse("{a b}", 5, &t) != NULL);
  tags_free(&t);
  CHECK(tags_parse("{a..b}", 6, &t) != NULL);
  tags_free(&t);
  CHECK(tags_parse("{a|}", 4, &t) != NULL);
  tags_free(&t);
  CHECK(tags_parse("{/a|f}", 6, &t) != NULL);
  tags_free(&t);
  CHECK(tags_parse("{a<b}", 5, &t) != NULL);
  tags_free(&t);

  /* pairing: nested loops, a stray close, an unclosed open */
  {
    const char *raws[] = {"{#a}", "{#b}", "{x}", "{/b}", "{/a}"};
    Tag tags[5];
    parse_all(raws, 5, tags);
    nreports = 0;
    tags_match(tags, 5, report, NULL);
    CHECK(nreports == 0);
    CHECK(tags[0].partner == 4 && tags[4].partner == 0);
    CHECK(tags[1].partner == 3 && tags[3].partner == 1);
    for (int i = 0; i < 5; i++) tags_free(&tags[i]);
  }
  {
    const char *raws[] = {"{/z}", "{#a}", "{#b}", "{/a}"};
    Tag tags[4];
    parse_all(raws, 4, tags);
    nreports = 0;
    tags_match(tags, 4, report, NULL);
    CHECK(nreports == 2);
    CHECK(report_at[0] == 0 && strstr(reports[0], "лишний закрывающий тег {/z}"));
    CHECK(report_at[1] == 2 && strstr(reports[1], "цикл {#b} не закрыт"));
    CHECK(tags[1].partner == 3);
    for (int i = 0; i < 4; i++) tags_free(&tags[i]);
  }
  CHECK(utf8_chars("абв", 6) == 3);
  if (failures) {
    fprintf(stderr, "%d checks failed\n", failures);
    return 1;
  }
  puts("tags: all checks hold");
  return 0;
}
