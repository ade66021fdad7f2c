/*
 * pdf_driver: runs a Lua test script in a LuaHost with "nastavnik.pdf" preloaded.
 *
 *   pdf_driver SCRIPT.lua [ARG...]
 *
 * The script gets ARG... as `...`; it builds documents, renders them and writes the PDFs
 * with require("nastavnik.host").write_file, for the checks (check_pdfs.py) to inspect.
 * Exit 0 when the script ran through, 1 with the Lua traceback on stderr otherwise.
 */
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>

#include "fileio.h"
#include "lua_host.h"
#include "pdf/pdf_lua.h"

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: pdf_driver SCRIPT.lua [ARG...]\n");
    return 2;
  }
  size_t size;
  char *code = fileio_read(argv[1], 1 << 20, &size);
  if (!code) {
    perror(argv[1]);
    return 1;
  }
  LuaHostOptions options = {.scripts_dir = NASTAVNIK_SCRIPTS_DIR};
  LuaHost *host = lua_host_open(&options);
  if (!host) {
    free(code);
    fprintf(stderr, "pdf_driver: no memory for Lua\n");
    return 1;
  }
  lua_host_preload(host, "nastavnik.pdf", luaopen_nastavnik_pdf);
  lua_State *L = lua_host_state(host);
  lua_getglobal(L, "debug");
  lua_getfield(L, -1, "traceback");
  lua_remove(L, -2);
  int handler = lua_gettop(L);
  char chunkname[512];
  snprintf(chunkname, sizeof chunkname, "@%s", argv[1]);
  int status = luaL_loadbuffer(L, code, size, chunkname);
  free(code);
  if (status == LUA_OK) {
    for (int i = 2; i < argc; i++) lua_pushstring(L, argv[i]);
    status = lua_pcall(L, argc - 2, 0, handler);
  }
  if (status != LUA_OK) fprintf(stderr, "%s\n", lua_tostring(L, -1));
  lua_host_close(host);
  return status == LUA_OK ? 0 : 1;
}
