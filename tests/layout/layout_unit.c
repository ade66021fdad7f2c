/*
 * layout_unit: unit tests of the justified- and ragged-paragraph breaker (layout/linebreak)
 * and of table column widths (layout/columns), on models built in C with the Liberation
 * Serif faces of fonts-liberation2.
 *
 *   layout_unit            prints "ok ..." / "FAIL ..." per check, exits 1 on a failure
 */
#define _GNU_SOURCE /* memmem */
#include <stdio.h>
#include <string.h>

#include "layout/columns.h"
#include "layout/flow.h"
#include "layout/hyphen_policy.h"
#include "layout/linebreak.h"
#include "layout/utf8.h"
#include "memory.h"

#define FONT_DIR "/usr/share/fonts/truetype/liberation2/"

static int failures;

static void check(bool ok, const char *what) {
  printf("%s %s\n", ok ? "ok  " : "FAIL", what);
  if (!ok) failures++;
}

static Arena arena;
static Display display;
static LayoutContext ctx;

static void setup(void) {
  arena_init(&arena);
  display = (Display){.arena = &arena};
  ctx = (LayoutContext){.arena = &arena, .display = &display};
  ctx.fonts[FACE_REGULAR] = layout_font_cached(FONT_DIR "LiberationSerif-Regular.ttf");
  ctx.fonts[FACE_BOLD] = layout_font_cached(FONT_DIR "LiberationSerif-Bold.ttf");
  ctx.fonts[FACE_ITALIC] = layout_font_cached(FONT_DIR "LiberationSerif-Italic.ttf");
  ctx.fonts[FACE_BOLD_ITALIC] = layout_font_cached(FONT_DIR "LiberationSerif-BoldItalic.ttf");
}

static Para para(const char *text, Align align) {
  Run *run = arena_alloc(&arena, sizeof *run);
  *run = (Run){.text = text, .len = strlen(text), .face = FACE_REGULAR};
  return (Para){.runs = run, .nruns = 1, .align = align, .size = 12, .line_spacing = 1};
}

/* The text of a line, fragments joined by a space where they stand apart. */
static void line_text(const Line *l, char *buf, size_t size) {
  size_t n = 0;
  for (size_t i = 0; i < l->nfrags && n + 1 < size; i++) {
    if (i > 0 && n + 1 < size) buf[n++] = ' ';
    size_t k = l->frags[i].len < size - n - 1 ? l->frags[i].len : size - n - 1;
    memcpy(buf + n, l->frags[i].text, k);
    n += k;
  }
  buf[n] = '\0';
}

static double line_right(const Line *l) {
  const Frag *f = &l->frags[l->nfrags - 1];
  return f->x + linebreak_measure(&ctx, f->face, l->size, f->text, f->len);
}

static bool ends_hyphen(const Line *l) {
  const Frag *f = &l->frags[l->nfrags - 1];
  return f->len > 0 && f->text[f->len - 1] == '-';
}

static const char *LONG_TEXT =
    "В соответствии с распоряжением Министерства просвещения Российской Федерации "
    "об утверждении методологии наставничества обучающихся для организаций, осуществляющих "
    "образовательную деятельность по общеобразовательным, дополнительным общеобразовательным "
    "и программам среднего профессионального образования, в том числе с применением лучших "
    "практик обмена опытом между обучающимися, в целях реализации целевой модели "
    "наставничества в образовательной организации приказываю утвердить дорожную карту.";

static void test_justified(void) {
  Para p = para(LONG_TEXT, ALIGN_JUSTIFY);
  Line *lines;
  long n = linebreak(&ctx, &p, 400, &lines);
  check(n >= 5, "justified: the paragraph takes several lines");
  bool flush = true;
  for (long i = 0; i + 1 < n; i++)
    flush = flush && line_right(&lines[i]) > 400 - 0.5 && line_right(&lines[i]) < 400 + 0.5;
  check(flush, "justified: every line but the last ends at the right edge");
  check(line_right(&lines[n - 1]) < 400 - 1, "justified: the last line is not stretched");
}

static void test_hyphen_runs(void) {
  /* A narrow column of long words: hyphens needed, never three lines in a row. */
  Para p = para(
      "административно-хозяйственного профессионального образовательного "
      "педагогического методического организационного информационного "
      "сопровождения наставничества обучающихся преподавателей руководителей",
      ALIGN_JUSTIFY);
  Line *lines;
  long n = linebreak(&ctx, &p, 95, &lines);
  int run = 0, worst = 0, any = 0;
  for (long i = 0; i + 1 < n; i++) {
    run = ends_hyphen(&lines[i]) ? run + 1 : 0;
    any += ends_hyphen(&lines[i]);
    if (run > worst) worst = run;
  }
  check(any > 0, "narrow: words are hyphenated");
  check(worst <= 2, "narrow: at most two hyphenated lines in a row");
  /* Three letters at least after a hyphen. */
  bool three = true;
  for (long i = 0; i + 1 < n; i++) {
    if (!ends_hyphen(&lines[i])) continue;
    const Frag *f = &lines[i + 1].frags[0];
    size_t letters = 0;
    for (size_t k = 0; k < f->len;) {
      uint32_t cp;
      k += utf8_decode(f->text + k, f->len - k, &cp);
      if (cp == ' ' || cp == ',' || cp == '.') break;
      letters++;
    }
    three = three && letters >= 3;
  }
  check(three, "narrow: three letters at least go over after a hyphen");
  /* The same paragraph with its second line banned from ending in a hyphen. */
  size_t banned[] = {1};
  LineBans bans = {.lines = banned, .count = 1};
  Line *again;
  long m = linebreak_banned(&ctx, &p, 95, &bans, &again);
  check(m > 1 && !ends_hyphen(&again[1]), "ban: the banned line does not end in a hyphen");
}

static void test_protected(void) {
  Para p = para(
      "Назначить куратором Михайловну Александровну Константинопольскую "
      "с 15 сентября 2025 г. по адресу ivanova.mariya@school-one.ru, "
      "телефон +7-913-555-12-34, учитель-наставник",
      ALIGN_LEFT);
  Line *lines;
  long n = linebreak(&ctx, &p, 70, &lines);
  bool clean = true;
  static const char *const WHOLE[] = {"Михайловну",
                                      "Александровну",
                                      "Константинопольскую",
                                      "сентября",
                                      "ivanova.mariya@school-one.ru,",
                                      "+7-913-555-12-34,"};
  char buf[512], next[512];
  for (long i = 0; i + 1 < n; i++) {
    if (!ends_hyphen(&lines[i])) continue;
    line_text(&lines[i], buf, sizeof buf);
    line_text(&lines[i + 1], next, sizeof next);
    const char *head = strrchr(buf, ' ') ? strrchr(buf, ' ') + 1 : buf;
    char joined[256];
    size_t hl = strlen(head) - 1; /* without the hyphen */
    size_t tl = strcspn(next, " ");
    snprintf(joined, sizeof joined, "%.*s%.*s", (int)hl, head, (int)tl, next);
    char own[256]; /* a break at the word's own hyphen keeps it */
    snprintf(own, sizeof own, "%.*s%.*s", (int)hl + 1, head, (int)tl, next);
    for (size_t k = 0; k < sizeof WHOLE / sizeof WHOLE[0]; k++) {
      if (strcmp(joined, WHOLE[k]) == 0 || strcmp(own, WHOLE[k]) == 0) {
        clean = false;
        printf("     broken: %s / %s\n", head, next);
      }
    }
  }
  check(clean, "policy: names, months, numbers, e-mail and phone are not hyphenated");
  /* A protected stem keeps every case form whole. */
  const char *stems[] = {"аграрн"};
  Protected protect = {.stems = stems, .count = 1};
  ctx.protect = &protect;
  Para q = para("аграрного аграрному аграрными", ALIGN_LEFT);
  n = linebreak(&ctx, &q, 40, &lines);
  bool whole = true;
  for (long i = 0; i < n; i++) whole = whole && !ends_hyphen(&lines[i]);
  check(whole, "policy: a protected stem is never hyphenated");
  ctx.protect = NULL;
  Run runs[2] = {{.text = "передать ", .len = strlen("передать "), .face = FACE_REGULAR},
                 {.text = "административному",
                  .len = strlen("административному"),
                  .face = FACE_REGULAR,
                  .no_hyphens = true}};
  Para r = {.runs = runs, .nruns = 2, .align = ALIGN_LEFT, .size = 12, .line_spacing = 1};
  n = linebreak(&ctx, &r, 60, &lines);
  whole = true;
  for (long i = 0; i < n; i++) whole = whole && !ends_hyphen(&lines[i]);
  check(whole, "policy: a run marked no-hyphens is never hyphenated");
}

static void test_blank(void) {
  Para p = para(
      "Я, Иванова Мария Петровна, паспорт: серия ______ № ______, выдан "
      "________________________________ и зарегистрирована по адресу "
      "____________________ в городе",
      ALIGN_JUSTIFY);
  Line *lines;
  long n = linebreak(&ctx, &p, 300, &lines);
  bool ragged = false;
  char buf[512];
  for (long i = 0; i + 1 < n; i++) {
    line_text(&lines[i], buf, sizeof buf);
    if (strstr(buf, "___") && line_right(&lines[i]) < 299) ragged = true;
  }
  check(ragged, "blanks: a line holding a blank is not stretched to the edge");
}

static void test_long_word(void) {
  enum { N = 12000 };
  static char word[N + 1];
  memset(word, 'a', N);
  word[N] = '\0';
  Para p = para(word, ALIGN_LEFT);
  Line *lines;
  long n = linebreak(&ctx, &p, 20, &lines);
  size_t total = 0;
  for (long i = 0; i < n; i++)
    for (size_t k = 0; k < lines[i].nfrags; k++) total += lines[i].frags[k].len;
  char msg[128];
  snprintf(msg, sizeof msg, "long word: all %d letters placed (%zu on %ld lines)", N, total, n);
  check(total == N, msg);
}

/* --- columns --------------------------------------------------------------------------- */

static bool near(double a, double b) {
  return a > b - 0.01 && a < b + 0.01;
}

static void test_share(void) {
  double w[3];
  bool fixed[3] = {false, false, false};
  /* Room for everything unbroken: proportional to the most useful widths. */
  double min[3] = {10, 20, 30}, max[3] = {20, 40, 60}, text[3] = {20, 40, 60};
  check(columns_share(3, min, max, text, fixed, 240, w) && near(w[0], 40) && near(w[1], 80) &&
            near(w[2], 120),
        "share: all unbroken, the room in proportion to the widths");
  /* Between: the least widths, then the rest by text, none past its most useful width. */
  double min2[3] = {20, 20, 20}, max2[3] = {30, 200, 200}, text2[3] = {100, 100, 200};
  columns_share(3, min2, max2, text2, fixed, 150, w);
  check(near(w[0], 30) && near(w[0] + w[1] + w[2], 150) && w[2] > w[1],
        "share: a column stops at its most useful width, the rest goes by text");
  /* Not even the least widths fit: narrowed in proportion, and said so. */
  double min3[2] = {60, 40}, max3[2] = {100, 100}, text3[2] = {1, 1};
  bool fits = columns_share(2, min3, max3, text3, fixed, 50, w);
  check(!fits && near(w[0], 30) && near(w[1], 20), "share: least widths too wide: narrowed");
  /* A fixed column keeps its width. */
  bool fixed2[2] = {true, false};
  double min4[2] = {50, 10}, max4[2] = {50, 500}, text4[2] = {0, 500};
  columns_share(2, min4, max4, text4, fixed2, 200, w);
  check(near(w[0], 50) && near(w[1], 150), "share: a fixed column keeps its width");
}

static BlockList cell_text(const char *text) {
  Block *b = arena_alloc(&arena, sizeof *b);
  b->kind = BLOCK_PARA;
  b->as.para = para(text, ALIGN_LEFT);
  return (BlockList){.items = b, .count = 1};
}

static void test_widths(void) {
  /* A narrow names column next to a wide text column: the surname keeps its width. */
  Column cols[3] = {{.width = 0}, {.width = 0}, {.width = 40}};
  Cell row1[3] = {{.content = cell_text("1.1."), .colspan = 1, .rowspan = 1},
                  {.content = cell_text(LONG_TEXT), .colspan = 1, .rowspan = 1},
                  {.content = cell_text("Константинопольская"), .colspan = 1, .rowspan = 1}};
  Cell row2[3] = {{.content = cell_text("1.2."), .colspan = 1, .rowspan = 1},
                  {.content = cell_text("Коротко"), .colspan = 1, .rowspan = 1},
                  {.content = cell_text("Иванова"), .colspan = 1, .rowspan = 1}};
  Row rows[2] = {{.cells = row1, .ncells = 3}, {.cells = row2, .ncells = 3}};
  Table t = {.columns = cols, .ncolumns = 3, .rows = rows, .nrows = 2, .padding = 3};
  double w[3];
  check(columns_widths(&ctx, &t, 500, w), "widths: computed");
  double number = linebreak_measure(&ctx, FACE_REGULAR, 12, "1.1.", strlen("1.1.")) + 6;
  check(near(w[0] + w[1] + w[2], 500), "widths: the columns fill the width");
  check(near(w[2], 40), "widths: a width given in the view wins");
  check(w[0] >= number - 0.01 && w[0] < number + 20,
        "widths: the number column is as narrow as its numbers");
  check(w[1] > w[0], "widths: the text column gets the room");
  /* Without the fixed width the name column holds its longest name. */
  cols[2].width = 0;
  columns_widths(&ctx, &t, 300, w);
  double name = linebreak_measure(&ctx, FACE_REGULAR, 12, "Константинопольская",
                                  strlen("Константинопольская")) +
                6;
  check(w[2] >= name - 0.01, "widths: a column is never narrower than its longest name");
}

/* Out of memory at every allocation of a document's layout in turn: layout says so (false,
 * out_of_memory), never crashes, never reports success with pages missing. */
static void test_out_of_memory(void) {
  Para p = para(LONG_TEXT, ALIGN_JUSTIFY);
  Column cols[2] = {{.width = 0}, {.width = 0}};
  Cell row[2] = {{.content = cell_text("1.1."), .colspan = 1, .rowspan = 1},
                 {.content = cell_text(LONG_TEXT), .colspan = 1, .rowspan = 1}};
  enum { ROWS = 60 }; /* enough for the arena to take many chunks */
  Row rows[ROWS];
  for (int i = 0; i < ROWS; i++) rows[i] = (Row){.cells = row, .ncells = 2};
  Block blocks[3] = {{.kind = BLOCK_PARA, .as.para = p},
                     {.kind = BLOCK_TABLE,
                      .as.table = {.columns = cols,
                                   .ncolumns = 2,
                                   .rows = rows,
                                   .nrows = ROWS,
                                   .padding = 3,
                                   .borders = true,
                                   .header_rows = 1}},
                     {.kind = BLOCK_PARA, .as.para = p}};
  Document doc = {.page_width = 595,
                  .page_height = 842,
                  .margin_left = 85,
                  .margin_right = 28,
                  .margin_top = 57,
                  .margin_bottom = 57,
                  .number_from = 2,
                  .number_size = 12,
                  .fit_one_page = true,
                  .blocks = {.items = blocks, .count = 3}};
  bool honest = true;
  long n = 0;
  for (; n < 100000; n++) {
    Arena a, scratch;
    arena_init(&a);
    arena_init(&scratch);
    Display d = {.arena = &a};
    LayoutContext c = ctx;
    c.arena = &a;
    c.scratch = &scratch;
    c.display = &d;
    memory_fail_after(n);
    bool ok = layout_document(&c, &doc);
    memory_fail_after(-1);
    /* a failure without another reason is memory's (pdf_lua says so) */
    if (!ok && !c.out_of_memory && c.error) honest = false;
    arena_free(&a);
    arena_free(&scratch);
    if (ok) break;
  }
  char msg[128];
  snprintf(msg, sizeof msg,
           "out of memory: each of %ld allocations failing is reported, none crashes", n);
  check(honest && n > 5 && n < 100000, msg);
}

static bool same_lines(const Line *a, long na, const Line *b, long nb) {
  if (na != nb) return false;
  for (long i = 0; i < na; i++) {
    if (a[i].nfrags != b[i].nfrags || a[i].size != b[i].size) return false;
    for (size_t k = 0; k < a[i].nfrags; k++) {
      const Frag *x = &a[i].frags[k], *y = &b[i].frags[k];
      if (x->face != y->face || x->x != y->x || x->len != y->len ||
          memcmp(x->text, y->text, x->len) != 0)
        return false;
    }
  }
  return true;
}

/* Lines remembered (linebreak_memo) are the lines broken afresh: at the same width, at
 * another leading (only the heights change), not at another width; a paragraph with a
 * character the face lacks reports it in every document. */
static void test_memo(void) {
  const char *stems[] = {"сентябр"};
  Protected protect = {.stems = stems, .count = 1};
  ctx.protect = &protect;
  ctx.remembered = hyphen_policy_adopt(&protect);
  Para p = para(LONG_TEXT, ALIGN_JUSTIFY);
  Line *first, *again, *narrow, *fresh;
  long n1 = linebreak(&ctx, &p, 400, &first);
  long n2 = linebreak(&ctx, &p, 400, &again);
  check(n1 >= 5 && same_lines(first, n1, again, n2) && again[0].frags != first[0].frags &&
            again[0].height == first[0].height && again[n2 - 1].baseline == first[n1 - 1].baseline,
        "memo: the same paragraph again gets the same lines, copies of them");
  Para tight = p;
  tight.line_spacing = 0.92;
  long n3 = linebreak(&ctx, &tight, 400, &again);
  ctx.remembered = 0;
  long n4 = linebreak(&ctx, &tight, 400, &fresh);
  check(same_lines(again, n3, first, n1) && same_lines(again, n3, fresh, n4) &&
            again[0].height == fresh[0].height && again[0].height < first[0].height &&
            again[n3 - 1].baseline == fresh[n4 - 1].baseline,
        "memo: at a smaller leading the same breaks, the heights of that leading");
  n4 = linebreak(&ctx, &p, 300, &fresh);
  ctx.remembered = hyphen_policy_adopt(&protect);
  long n5 = linebreak(&ctx, &p, 300, &narrow);
  check(same_lines(narrow, n5, fresh, n4) && !same_lines(narrow, n5, first, n1),
        "memo: another width, the lines of that width");
  Para odd = para("знак \xE2\x98\x83 снеговика", ALIGN_LEFT);
  bool reported = true;
  for (int round = 0; round < 2; round++) {
    Display d = {.arena = &arena};
    Display *kept = ctx.display;
    ctx.display = &d;
    reported = reported && linebreak(&ctx, &odd, 300, &fresh) == 1 && d.nproblems == 1;
    ctx.display = kept;
  }
  check(reported, "memo: a character the face lacks is reported every time");
  ctx.protect = NULL;
  ctx.remembered = 0;
}

/* Lists of protected stems that alternate (a consent's signature table fitted under one, the
 * consent under its organisation's) keep what was remembered under each: the same answer for
 * a list adopted again, and lines broken under one list never given to another. */
static void test_lists(void) {
  const char *months[] = {"сентябр"};
  const char *names[] = {"сентябр", "наставни"};
  Protected a = {.stems = months, .count = 1}, b = {.stems = names, .count = 2};
  unsigned ga = hyphen_policy_adopt(&a), gb = hyphen_policy_adopt(&b);
  check(ga && gb && ga != gb && hyphen_policy_adopt(&a) == ga && hyphen_policy_adopt(&b) == gb,
        "lists: two lists adopted in turn keep their answers");
  Para p = para(LONG_TEXT, ALIGN_JUSTIFY);
  Line *under_a, *under_b, *fresh_a, *fresh_b;
  ctx.protect = &a;
  ctx.remembered = ga;
  long na = linebreak(&ctx, &p, 300, &under_a);
  ctx.protect = &b;
  ctx.remembered = gb;
  long nb = linebreak(&ctx, &p, 300, &under_b);
  ctx.remembered = 0;
  long fb = linebreak(&ctx, &p, 300, &fresh_b);
  ctx.protect = &a;
  long fa = linebreak(&ctx, &p, 300, &fresh_a);
  check(same_lines(under_a, na, fresh_a, fa) && same_lines(under_b, nb, fresh_b, fb),
        "lists: lines remembered under one list are not another's");
  const char *more[4][1] = {{"а"}, {"б"}, {"в"}, {"г"}};
  for (int i = 0; i < 4; i++) {
    Protected other = {.stems = more[i], .count = 1};
    hyphen_policy_adopt(&other);
  }
  unsigned again = hyphen_policy_adopt(&a);
  check(again && again != ga, "lists: a list that gave way to newer ones is adopted afresh");
  ctx.protect = NULL;
  ctx.remembered = 0;
}

/* A word cut by characters (wider than its column: «(прод.)» in a column of numbers) is
 * remembered with its lines, and counted again each time they are taken from the memo (the
 * count decides whether a table's cell is broken again without hyphens). */
static void test_memo_cuts(void) {
  const char *stems[] = {"сентябр"};
  Protected protect = {.stems = stems, .count = 1};
  ctx.protect = &protect;
  ctx.remembered = hyphen_policy_adopt(&protect);
  Para p = para("(продолжение)", ALIGN_LEFT);
  Line *first, *again, *fresh;
  unsigned long c0 = ctx.cut_words;
  long n1 = linebreak(&ctx, &p, 15, &first);
  unsigned long c1 = ctx.cut_words;
  long n2 = linebreak(&ctx, &p, 15, &again);
  unsigned long c2 = ctx.cut_words;
  ctx.remembered = 0;
  long n3 = linebreak(&ctx, &p, 15, &fresh);
  check(n1 > 1 && c1 > c0 && c2 - c1 == c1 - c0 && ctx.cut_words - c2 == c1 - c0 &&
            same_lines(first, n1, again, n2) && same_lines(again, n2, fresh, n3) &&
            again[0].frags != first[0].frags,
        "memo: a word cut by characters is remembered, its cut counted each time");
  ctx.protect = NULL;
}

/* A table's row goes on to the next page: what its cells show continued is there (laid out
 * only then); a continued text that reports a character the face lacks reports it though no
 * row ever continues, as when every cell's continued text was laid out with its row. */
static bool page_has(const DisplayPage *page, const char *text) {
  for (size_t i = 0; i < page->nops; i++) {
    const DrawOp *op = &page->ops[i];
    if (op->kind == OP_TEXT && op->len >= strlen(text) &&
        memmem(op->text, op->len, text, strlen(text)))
      return true;
  }
  return false;
}

static void test_continued(void) {
  Column cols[2] = {{.width = 60}, {.width = 0, .weight = 1}};
  enum { LINES = 80 };
  static char tall[LINES * 13 + 1];
  for (int i = 0; i < LINES; i++) memcpy(tall + 13 * i, "строка\n", 13);
  tall[LINES * 13 - 1] = '\0';
  Cell row[2] = {
      {.content = cell_text("1.1."), .continued = cell_text("(прод.)"), .colspan = 1, .rowspan = 1},
      {.content = cell_text(tall), .colspan = 1, .rowspan = 1}};
  Cell snow[2] = {{.content = cell_text("1.2."),
                   .continued = cell_text("\xE2\x98\x83 (прод.)"),
                   .colspan = 1,
                   .rowspan = 1},
                  {.content = cell_text("коротко"), .colspan = 1, .rowspan = 1}};
  Row rows[2] = {{.cells = row, .ncells = 2}, {.cells = snow, .ncells = 2}};
  Block blocks[1] = {{.kind = BLOCK_TABLE,
                      .as.table = {.columns = cols,
                                   .ncolumns = 2,
                                   .rows = rows,
                                   .nrows = 2,
                                   .padding = 3,
                                   .borders = true}}};
  Document doc = {.page_width = 595,
                  .page_height = 842,
                  .margin_left = 85,
                  .margin_right = 28,
                  .margin_top = 57,
                  .margin_bottom = 57,
                  .number_size = 12,
                  .blocks = {.items = blocks, .count = 1}};
  Display d = {.arena = &arena};
  LayoutContext c = ctx;
  c.display = &d;
  bool ok = layout_document(&c, &doc);
  check(ok && d.npages == 2 && !page_has(&d.pages[0], "(прод.)") &&
            page_has(&d.pages[1], "(прод.)") && d.nproblems == 1 && strstr(d.problems[0], "U+2603"),
        "continued: shown on the page a row goes on to; its missing character reported anyway");
}

int main(void) {
  setup();
  if (!ctx.fonts[FACE_REGULAR]) {
    printf("FAIL no Liberation Serif in " FONT_DIR "\n");
    return 1;
  }
  test_justified();
  test_hyphen_runs();
  test_protected();
  test_blank();
  test_long_word();
  test_share();
  test_widths();
  test_out_of_memory();
  test_memo();
  test_lists();
  test_memo_cuts();
  test_continued();
  arena_free(&arena);
  printf(failures ? "layout_unit: %d failure(s)\n" : "layout_unit: all checks ok\n", failures);
  return failures ? 1 : 0;
}
