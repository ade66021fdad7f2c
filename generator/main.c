/*
 * nastavnik: the command line. Parses the arguments, hands each command to the Lua side
 * (scripts/nastavnik/cli.lua), prints what it returns and exits with its code.
 *
 * Exit codes (also in --help and the README):
 *   0  всё в порядке
 *   1  ошибки в описании школы (сообщения на stderr: файл:строка: что не так)
 *   2  неверный вызов команды
 *   3  не удалось записать результат
 *   4  внутренняя ошибка генератора
 */
#include <lua.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua_host.h"

#ifndef NASTAVNIK_VERSION
#define NASTAVNIK_VERSION "0.1.0"
#endif
#ifndef NASTAVNIK_SCRIPTS_DIR
#define NASTAVNIK_SCRIPTS_DIR "scripts"
#endif

enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2, EXIT_OUTPUT = 3, EXIT_INTERNAL = 4 };

static const char USAGE[] =
    "nastavnik — документы целевой модели наставничества из описания школы на Lua\n"
    "\n"
    "Использование:\n"
    "  nastavnik check ФАЙЛ...         проверить описания и кратко их пересказать\n"
    "  nastavnik dump ФАЙЛ [-o ВЫХОД]  напечатать загруженную модель в JSON\n"
    "  nastavnik --help                эта справка\n"
    "  nastavnik --version             версия\n"
    "\n"
    "Коды завершения:\n"
    "  0  всё в порядке\n"
    "  1  ошибки в описании (файл:строка: что не так — все ошибки файла сразу)\n"
    "  2  неверный вызов команды\n"
    "  3  не удалось записать результат\n"
    "  4  внутренняя ошибка генератора\n"
    "\n"
    "Папку библиотеки scripts/ можно указать переменной окружения NASTAVNIK_SCRIPTS.\n";

static int usage_error(const char *fmt, const char *arg) {
  fprintf(stderr, "nastavnik: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\nСправка: nastavnik --help\n");
  return EXIT_USAGE;
}

/* Runs cli.<command>(args...) which returns exit code, stdout text, stderr text. */
static int run_command(LuaHost *host, const char *command, int nargs, const char *const *args) {
  lua_State *L = lua_host_state(host);
  if (lua_host_call(host, "nastavnik.cli", command, nargs, args, 3) != 0) {
    fprintf(stderr, "nastavnik: внутренняя ошибка: %s\n", lua_tostring(L, -1));
    lua_pop(L, 1);
    return EXIT_INTERNAL;
  }
  int code = (int)lua_tointeger(L, -3);
  size_t out_len, err_len;
  const char *out = lua_tolstring(L, -2, &out_len);
  const char *err = lua_tolstring(L, -1, &err_len);
  if (out) fwrite(out, 1, out_len, stdout);
  if (err) fwrite(err, 1, err_len, stderr);
  lua_pop(L, 3);
  return code;
}

static int command_check(LuaHost *host, int argc, char **argv) {
  if (argc < 1) return usage_error("%s", "check: укажите хотя бы один файл описания");
  int worst = EXIT_OK;
  for (int i = 0; i < argc; i++) {
    const char *args[] = {argv[i]};
    int code = run_command(host, "check", 1, args);
    if (code > worst) worst = code;
  }
  return worst;
}

static int command_dump(LuaHost *host, int argc, char **argv) {
  const char *file = NULL, *out = "";
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "-o") == 0) {
      if (i + 1 >= argc) return usage_error("%s", "dump: после -o укажите файл");
      out = argv[++i];
    } else if (!file) {
      file = argv[i];
    } else {
      return usage_error("dump: лишний аргумент «%s»", argv[i]);
    }
  }
  if (!file) return usage_error("%s", "dump: укажите файл описания");
  const char *args[] = {file, out};
  return run_command(host, "dump", 2, args);
}

int main(int argc, char **argv) {
  if (argc < 2) return usage_error("%s", "не указана команда");
  const char *command = argv[1];
  if (strcmp(command, "--help") == 0 || strcmp(command, "-h") == 0 ||
      strcmp(command, "help") == 0) {
    fputs(USAGE, stdout);
    return EXIT_OK;
  }
  if (strcmp(command, "--version") == 0) {
    printf("nastavnik %s\n", NASTAVNIK_VERSION);
    return EXIT_OK;
  }

  const char *scripts_dir = getenv("NASTAVNIK_SCRIPTS");
  LuaHostOptions options = {.scripts_dir = scripts_dir ? scripts_dir : NASTAVNIK_SCRIPTS_DIR};
  LuaHost *host = lua_host_open(&options);
  if (!host) {
    fprintf(stderr, "nastavnik: не хватило памяти для запуска\n");
    return EXIT_INTERNAL;
  }
  int code;
  if (strcmp(command, "check") == 0)
    code = command_check(host, argc - 2, argv + 2);
  else if (strcmp(command, "dump") == 0)
    code = command_dump(host, argc - 2, argv + 2);
  else
    code = usage_error("неизвестная команда «%s»", command);
  lua_host_close(host);
  return code;
}
