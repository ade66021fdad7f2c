/*
 * template_bench TEMPLATE VIEW.lua OUT N: fills TEMPLATE N times with the view VIEW.lua
 * returns (each fill reads the template, parsed only by the first: template/prepared.c; fills,
 * writes OUT atomically: the whole job), and
 * prints "fills_per_second <x>". Not a test: run bench/template/run.py for the comparison.
 */
#define _POSIX_C_SOURCE 200809L
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "fileio.h"
#include "lua_host.h"
#include "template/template.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: %s TEMPLATE VIEW.lua OUT N\n", argv[0]);
    return 2;
  }
  long n = atol(argv[4]);
  LuaHostOptions options = {.scripts_dir = NASTAVNIK_SCRIPTS_DIR};
  LuaHost *host = lua_host_open(&options);
  lua_State *L = lua_host_state(host);
  size_t size;
  char *code = fileio_read(argv[2], (size_t)64 << 20, &size);
  if (!code || luaL_loadbuffer(L, code, size, argv[2]) != LUA_OK ||
      lua_pcall(L, 0, 1, 0) != LUA_OK) {
    fprintf(stderr, "%s: %s\n", argv[2], code ? lua_tostring(L, -1) : "cannot read");
    return 1;
  }
  free(code);
  int view = lua_gettop(L);
  TemplateErrors errors = {0};
  /* one fill to warm up (and to fail early) */
  if (template_fill(L, argv[1], view, 0, argv[3], NULL, &errors, NULL) != 0) {
    for (size_t i = 0; i < errors.count; i++) fprintf(stderr, "%s\n", errors.items[i]);
    return 1;
  }
  double t0 = now();
  for (long i = 0; i < n; i++) {
    if (template_fill(L, argv[1], view, 0, argv[3], NULL, &errors, NULL) != 0) {
      for (size_t k = 0; k < errors.count; k++) fprintf(stderr, "%s\n", errors.items[k]);
      return 1;
    }
  }
  double dt = now() - t0;
  printf("fills_per_second %.1f\n", (double)n / dt);
  lua_host_close(host);
  return 0;
}
