/*
 * nastavnik: the command line. Opens the Lua host, registers the C modules of the other
 * rooms, and hands the arguments to scripts/nastavnik/cli.lua, which parses them, runs the
 * command and returns exit code, stdout text and stderr text. Its own files (the library, the
 * stock templates, the fonts configuration) are found as generator/datadir.h says. Exit codes
 * are documented in cli.lua and in the help (nastavnik/help.lua): 0 всё в порядке, 1 ошибки
 * в описании, 2 неверный вызов, 3 не удалось записать результат, 4 внутренняя ошибка.
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <limits.h>
#include <lua.h>
#include <stdio.h>
#include <stdlib.h>

#include "datadir.h"
#include "lua_host.h"
#include "memory.h"
#include "modules.h"
#include "oserror.h"

/* jemalloc's settings, read by it at start when the program is linked with it (not under the
 * sanitizers): the pages a document's layout and package freed go back to the system after a
 * second rather than ten, none kept in reserve. A region's worker frees tens of MB per
 * organisation; measured on 500 organisations with -j 2: a worker's peak 136 -> 105 MB, the
 * same processor time. The thread cache keeps freed blocks to 128 KB rather than 32 KB: the
 * buffers of a document's layout, package and templates are of those sizes, and each went
 * back to its arena and was carved out again (region-20 -j 1: 7,005 -> 6,948 M instructions,
 * callgrind; 512 KB gained nothing more). */
const char *malloc_conf = "dirty_decay_ms:1000,muzzy_decay_ms:0,tcache_max:131072";

/* The build tree (CMakeLists.txt): the command run from there reads the library and the fonts
 * configuration from the source tree and the packed templates from the build tree. Anywhere
 * else, and always when built as the installed command (NASTAVNIK_INSTALLED, which knows no
 * path of the trees), it reads them from NASTAVNIK_DATA_FROM_BIN beside itself. */
#ifndef NASTAVNIK_BUILD_DIR
#define NASTAVNIK_BUILD_DIR "."
#endif
#ifndef NASTAVNIK_SCRIPTS_DIR
#define NASTAVNIK_SCRIPTS_DIR "scripts"
#endif
#ifndef NASTAVNIK_FONTS_DIR
#define NASTAVNIK_FONTS_DIR "fonts"
#endif
#ifndef NASTAVNIK_TEMPLATES_DIR
#define NASTAVNIK_TEMPLATES_DIR "templates"
#endif
#ifndef NASTAVNIK_DATA_FROM_BIN
#define NASTAVNIK_DATA_FROM_BIN "../share/nastavnik"
#endif

enum { EXIT_INTERNAL = 4 };

typedef struct {
  char scripts[PATH_MAX], templates[PATH_MAX], fonts[PATH_MAX];
} DataFolders;

/* The folders of the command's own files when the environment does not name them; 0, or -1
 * after saying why on stderr. */
static int default_folders(DataFolders *out) {
  char self[PATH_MAX], share[PATH_MAX];
  if (datadir_self(self, sizeof self) != 0) {
    fprintf(stderr,
            "nastavnik: не удалось узнать, в какой папке лежит программа (/proc/self/exe)\n");
    return -1;
  }
#ifndef NASTAVNIK_INSTALLED
  if (datadir_same_folder(self, NASTAVNIK_BUILD_DIR)) {
    snprintf(out->scripts, sizeof out->scripts, "%s", NASTAVNIK_SCRIPTS_DIR);
    snprintf(out->templates, sizeof out->templates, "%s", NASTAVNIK_TEMPLATES_DIR);
    snprintf(out->fonts, sizeof out->fonts, "%s", NASTAVNIK_FONTS_DIR);
    return 0;
  }
#endif
  if (datadir_resolve(self, NASTAVNIK_DATA_FROM_BIN, share, sizeof share) != 0) {
    fprintf(stderr,
            "nastavnik: не найдены файлы программы: %s/%s: %s (установите пакет заново или укажите "
            "папку библиотеки переменной NASTAVNIK_SCRIPTS)\n",
            self, NASTAVNIK_DATA_FROM_BIN, oserror_reason(errno, OSERROR_READING));
    return -1;
  }
  if (snprintf(out->scripts, sizeof out->scripts, "%s/scripts", share) >=
          (int)sizeof out->scripts ||
      snprintf(out->templates, sizeof out->templates, "%s/templates", share) >=
          (int)sizeof out->templates ||
      snprintf(out->fonts, sizeof out->fonts, "%s/fonts", share) >= (int)sizeof out->fonts) {
    fprintf(stderr, "nastavnik: путь к файлам программы слишком длинный: %s\n", share);
    return -1;
  }
  return 0;
}

int main(int argc, char **argv) {
  /* The zone stays the system's, named explicitly: with TZ unset glibc looks at /etc/localtime
   * again on every mktime (libzip calls it for each entry of every template it opens, ~10 a
   * document; region-2: 160 of the build's 1,480 stat calls); with TZ set it does not. A zone
   * the user set is kept. */
  setenv("TZ", ":/etc/localtime", 0);
  const char *scripts_dir = getenv("NASTAVNIK_SCRIPTS");
  const char *templates_dir = getenv("NASTAVNIK_TEMPLATES");
  const char *fonts_dir = getenv("NASTAVNIK_FONTS");
  static DataFolders folders;
  if (!(scripts_dir && templates_dir && fonts_dir) && default_folders(&folders) != 0)
    return EXIT_INTERNAL;
  LuaHostOptions options = {
      .scripts_dir = scripts_dir ? scripts_dir : folders.scripts,
      .templates_dir = templates_dir ? templates_dir : folders.templates,
      .fonts_dir = fonts_dir ? fonts_dir : folders.fonts,
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
