/*
 * fuzz_loader: the description loader as a hostile school would meet it. Each input is
 * written as a description file and checked as `nastavnik check FILE` would: run in the
 * sandbox, validated, retold. Any outcome but a clean success or a Russian error (exit 0 or
 * 1) is a finding: the generator's own error (exit 4, a Lua error escaping the command) is
 * made a crash, as are the sanitizers' reports and an input that takes over 5 s of CPU time
 * (measured here: libFuzzer's -timeout counts wall-clock time, which a busy machine
 * stretches; NASTAVNIK_FUZZ_TIMEOUT widens it for run.sh there).
 *
 * The limits are lowered so that a loop an input writes ends well within that timeout
 * under the sanitizers: 5·10^6 Lua instructions, 128 MiB of Lua memory, 2 s of CPU.
 */
#define _POSIX_C_SOURCE 200809L
#include <lua.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lua_host.h"
#include "modules.h"

static LuaHost *host;

/* The lines of Lua run, as libFuzzer's extra counters: the loader is mostly Lua, which the
 * compiler's coverage does not see. One counter per (chunk, line), hashed; the chunk's name
 * is hashed again only when another chunk runs (a long name is a new string at each load). */
__attribute__((section("__libfuzzer_extra_counters"))) static uint8_t lua_lines[1 << 16];

static void on_line(const char *chunk, int line) {
  static const char *last_chunk;
  static uint32_t chunk_hash;
  if (chunk != last_chunk) {
    uint32_t h = 2166136261u;
    for (const char *c = chunk; *c; c++) h = (h ^ (uint8_t)*c) * 16777619u;
    chunk_hash = h;
    last_chunk = chunk;
  }
  uint32_t i = (chunk_hash ^ ((uint32_t)line * 2654435761u)) & (sizeof lua_lines - 1);
  if (lua_lines[i] < 255) lua_lines[i]++;
}
static char folder[4096], description[4096];

/* The scratch folder goes when the fuzzer ends. */
static void remove_scratch(void) {
  remove(description);
  remove(folder);
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  const char *tmp = getenv("TMPDIR");
  snprintf(folder, sizeof folder, "%s/nastavnik-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(folder)) {
    perror("fuzz_loader: mkdtemp");
    abort();
  }
  snprintf(description, sizeof description, "%s/school.lua", folder);
  atexit(remove_scratch);
  /* The CPU-time limit well inside libFuzzer's -timeout of 5 s: a run it stops is a run
   * the generator handles (its hard stop, a C call that never returns, would end the
   * fuzzer: run.sh reports that). */
  setenv("NASTAVNIK_SCRIPT_SECONDS", "2", 1);
  LuaHostOptions options = {
      .scripts_dir = NASTAVNIK_SCRIPTS_DIR,
      .memory_limit = (size_t)128 << 20,
      .instruction_budget = 5000000,
      .on_line = on_line,
  };
  host = lua_host_open(&options);
  if (!host) abort();
  modules_register(host);
  return 0;
}

static double cpu_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  double start = cpu_seconds();
  FILE *f = fopen(description, "wb");
  if (!f) abort();
  if (size && fwrite(data, 1, size, f) != size) abort();
  if (fclose(f) != 0) abort();

  lua_State *L = lua_host_state(host);
  const char *args[] = {"check", description};
  if (lua_host_call(host, "nastavnik.cli", "main", 2, args, 3) != 0) {
    fprintf(stderr, "fuzz_loader: the generator's own error: %s\n", lua_tostring(L, -1));
    abort();
  }
  lua_Integer code = lua_tointeger(L, -3);
  if (code != 0 && code != 1) {
    fprintf(stderr, "fuzz_loader: exit %lld: %s\n", (long long)code, lua_tostring(L, -1));
    abort();
  }
  lua_settop(L, 0);
  /* Each input from a clean heap: garbage left by the last one would bring this one to the
   * memory cap sooner (and its emergency collections), so that a finding would depend on
   * the order of the inputs. */
  lua_gc(L, LUA_GCCOLLECT);
  double spent = cpu_seconds() - start;
  if (spent > 5.0) {
    fprintf(stderr, "fuzz_loader: %.1f s of CPU time for one input (more than 5 s)\n", spent);
    abort();
  }
  return 0;
}
