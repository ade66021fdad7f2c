/*
 * nastavnik: the command line. Opens the Lua host, registers the C modules of the other
 * rooms, and hands the arguments to scripts/nastavnik/cli.lua, which parses them, runs the
 * command and returns exit code, stdout text and stderr text. Exit codes are documented in
 * cli.lua and in --help: 0 всё в порядке, 1 ошибки в описании, 2 неверный вызов,
 * 3 не удалось записать результат, 4 внутренняя ошибка.
 */
#include <lua.h>
#include <stdio.h>
#include <stdlib.h>

#include "lua_host.h"
#include "memory.h"
#include "modules.h"

#ifndef NASTAVNIK_SCRIPTS_DIR
#define NASTAVNIK_SCRIPTS_DIR "scripts"
#endif
#ifndef NASTAVNIK_FONTS_DIR
#define NASTAVNIK_FONTS_DIR "fonts"
#endif
#ifndef NASTAVNIK_TEMPLATES_DIR
#define NASTAVNIK_TEMPLATES_DIR "templates"
#endif

enum { EXIT_INTERNAL = 4 };

int main(int argc, char **argv) {
  const char *scripts_dir = getenv("NASTAVNIK_SCRIPTS");
  const char *templates_dir = getenv("NASTAVNIK_TEMPLATES");
  const char *fonts_dir = getenv("NASTAVNIK_FONTS");
  LuaHostOptions options = {
      .scripts_dir = scripts_dir ? scripts_dir : NASTAVNIK_SCRIPTS_DIR,
      .templates_dir = templates_dir ? templates_dir : NASTAVNIK_TEMPLATES_DIR,
      .fonts_dir = fonts_dir ? fonts_dir : NASTAVNIK_FONTS_DIR,
  };
  LuaHost *host = lua_host_open(&options);
  if (!host) {
    fprintf(stderr, "nastavnik: не хватило памяти для запуска\n");
    return EXIT_INTERNAL;
  }
  modules_register(host);

  lua_State *L = lua_host_state(host);
  int code;
  if (lua_host_call(host, "nastavnik.cli", "main", argc - 1, (const char *const *)argv + 1, 3) !=
      0) {
    /* Out of memory (generator/memory.h) is said plainly: the trace would only confuse. */
    if (memory_is_error(L, -1))
      fprintf(stderr, "nastavnik: %s; ничего не создано\n", MEMORY_MESSAGE);
    else
      fprintf(stderr, "nastavnik: внутренняя ошибка: %s\n", lua_tostring(L, -1));
    code = EXIT_INTERNAL;
  } else {
    code = (int)lua_tointeger(L, -3);
    size_t out_len, err_len;
    const char *out = lua_tolstring(L, -2, &out_len);
    const char *err = lua_tolstring(L, -1, &err_len);
    if (out) fwrite(out, 1, out_len, stdout);
    if (err) fwrite(err, 1, err_len, stderr);
  }
  lua_host_close(host);
  return code;
}
