/*
 * context: what every layout step shares while one document is laid out — the four faces,
 * the arena everything is allocated in, and the display list that collects pages and problems.
 */
#ifndef NASTAVNIK_LAYOUT_CONTEXT_H
#define NASTAVNIK_LAYOUT_CONTEXT_H

#include "layout/display.h"
#include "layout/font.h"
#include "layout/model.h"

/* Why layout gave up: the input asks for more than the generator allows (a stated limit:
 * the user's to change), or the generator failed (our bug). Memory is out_of_memory. */
typedef enum { LAYOUT_FAILED_INTERNAL, LAYOUT_FAILED_LIMIT } LayoutFailure;

typedef struct {
  LayoutFont *fonts[FACE_COUNT];
  Arena *arena;   /* what the layout makes */
  Arena *scratch; /* what one step needs and drops (arena_mark/release); NULL: its own */
  Display *display;
  const Protected *protect; /* words never hyphenated; NULL: none */
  unsigned remembered;      /* hyphen_policy_adopt's answer for protect; 0: none */
  bool avoid_hyphens;       /* while a cell is broken again without added hyphens */
  unsigned long cut_words;  /* words cut by characters, wider than their line (a count) */
  unsigned long missing;    /* characters the face lacks, reported (a count) */
  bool out_of_memory;
  /* Some test of the flow against the page's foot came out not fitting, or something was
   * placed by the foot (a QR code): set, never cleared, by the flow. A layout of one page
   * without it is the same, to the byte, at any lower foot (a smaller bottom margin): every
   * test it made passes there too (pdf_lua.c's trial keeps such a layout for its PDF). */
  bool tight;
  /* The tables measured so far in this pass of the flow (table.c), their rows as laid out
   * for it: placing a table takes them over rather than breaking its cells again. NULL at the
   * start of every pass (layout_once: a fit's step changes the blocks in place). */
  struct TableMemo *tables;
  const char *error; /* why layout gave up, when it was not memory */
  LayoutFailure failure;
} LayoutContext;

#endif
