/* profile: see profile.h. */
#define _POSIX_C_SOURCE 200809L
#include "profile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Stacks deeper than this are cut at the top (the callers far away say little). */
#define MAX_FRAMES 24
#define MAX_STACKS 65536
#define MAX_KEY 2048

typedef struct {
  char *stack;
  long count;
} Stack;

static Stack stacks[MAX_STACKS];
static int enabled = -1;
static const char *output;
static pid_t owner; /* the process that asked: a forked worker does not write */

static unsigned long hash(const char *s) {
  unsigned long h = 1469598103934665603UL;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211UL;
  return h;
}

static void write_profile(void) {
  if (getpid() != owner) return;
  FILE *f = fopen(output, "w");
  if (!f) return;
  for (int i = 0; i < MAX_STACKS; i++)
    if (stacks[i].stack) fprintf(f, "%s %ld\n", stacks[i].stack, stacks[i].count);
  fclose(f);
}

int profile_enabled(void) {
  if (enabled < 0) {
    output = getenv("NASTAVNIK_PROFILE");
    enabled = output && *output;
    if (enabled) {
      owner = getpid();
      atexit(write_profile);
    }
  }
  return enabled;
}

/* A frame is its function, "file:line-where-it-starts name", so that the samples of one
 * function fold together; the innermost frame is followed by the line it is running,
 * "@file:line", for the costly lines. */
static void frame_name(lua_State *L, lua_Debug *ar, char *out, size_t room) {
  lua_getinfo(L, "Sln", ar);
  snprintf(out, room, "%s:%d %s", ar->short_src, ar->linedefined, ar->name ? ar->name : "?");
}

void profile_sample(lua_State *L, long weight) {
  char frames[MAX_FRAMES + 1][160];
  int depth = 0;
  lua_Debug ar;
  if (!lua_getstack(L, 0, &ar)) return;
  lua_getinfo(L, "Sl", &ar);
  snprintf(frames[depth++], sizeof frames[0], "@%s:%d", ar.short_src, ar.currentline);
  while (depth <= MAX_FRAMES && lua_getstack(L, depth - 1, &ar)) {
    frame_name(L, &ar, frames[depth], sizeof frames[depth]);
    for (char *c = frames[depth]; *c; c++)
      if (*c == ';' || *c == ' ') *c = *c == ' ' ? '_' : ',';
    depth++;
  }
  char key[MAX_KEY];
  size_t used = 0;
  for (int i = depth - 1; i >= 0; i--) {
    int n = snprintf(key + used, sizeof key - used, "%s%s", frames[i], i ? ";" : "");
    if (n < 0 || (size_t)n >= sizeof key - used) break;
    used += (size_t)n;
  }
  key[used] = '\0';
  for (unsigned long h = hash(key), probe = 0; probe < MAX_STACKS; probe++) {
    Stack *s = &stacks[(h + probe) % MAX_STACKS];
    if (!s->stack) {
      s->stack = strdup(key);
      if (!s->stack) return;
    }
    if (strcmp(s->stack, key) == 0) {
      s->count += weight;
      return;
    }
  }
}
