/*
 * context: what every layout step shares while one document is laid out — the four faces,
 * the arena everything is allocated in, and the display list that collects pages and problems.
 */
#ifndef NASTAVNIK_LAYOUT_CONTEXT_H
#define NASTAVNIK_LAYOUT_CONTEXT_H

#include "layout/display.h"
#include "layout/font.h"
#include "layout/model.h"

typedef struct {
  LayoutFont *fonts[FACE_COUNT];
  Arena *arena;
  Display *display;
  bool out_of_memory;
  const char *error; /* why layout gave up, when it was not memory */
} LayoutContext;

#endif
