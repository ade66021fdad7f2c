/*
 * template_driver SCRIPT [ARG...]: runs a Lua test script of the template room in a LuaHost
 * with "nastavnik.template" preloaded (as the main tree registers it). Besides the host's
 * library the script gets a few test helpers as globals:
 *   read_entry(package, name)  -> bytes | nil, message   (one entry of a zip, decompressed)
 *   entries(package)           -> { {name=, size=, comp_size=, method=, index=}, ... }
 *   file_exists(path)          -> boolean
 *   remove_file(path)
 *   write_zip(path, { {name, bytes}, ... })   a package with those entries, in that order
 *   fail_allocations(n)        n more allocations through generator/memory.h succeed, then all
 *                              fail (n < 0: off) — the out-of-memory test
 * Exit status 0 when the script ran to its end, 1 with the message on stderr otherwise.
 */
#define _POSIX_C_SOURCE 200809L
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "fileio.h"
#include "lua_host.h"
#include "memory.h"
#include "pdf/pdf_lua.h"
#include "template/template_lua.h"
#include "zip/package.h"

static int l_read_entry(lua_State *L) {
  const char *path = luaL_checkstring(L, 1), *name = luaL_checkstring(L, 2);
  char *error = NULL;
  ZipPackage *p = zip_package_open(path, &error);
  if (!p) {
    lua_pushnil(L);
    lua_pushstring(L, error ? error : "?");
    free(error);
    return 2;
  }
  long i = zip_package_find(p, name);
  size_t size;
  char *data = i >= 0 ? zip_package_read(p, (size_t)i, &size, &error) : NULL;
  zip_package_close(p);
  if (!data) {
    lua_pushnil(L);
    lua_pushstring(L, error ? error : "no such entry");
    free(error);
    return 2;
  }
  lua_pushlstring(L, data, size);
  free(data);
  return 1;
}

static int l_entries(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  int code;
  zip_t *za = zip_open(path, ZIP_RDONLY, &code);
  if (!za) return luaL_error(L, "cannot open %s", path);
  zip_int64_t n = zip_get_num_entries(za, 0);
  lua_createtable(L, (int)n, 0);
  for (zip_int64_t i = 0; i < n; i++) {
    zip_stat_t st;
    zip_stat_index(za, (zip_uint64_t)i, 0, &st);
    lua_createtable(L, 0, 5);
    lua_pushstring(L, st.name);
    lua_setfield(L, -2, "name");
    lua_pushinteger(L, (lua_Integer)st.size);
    lua_setfield(L, -2, "size");
    lua_pushinteger(L, (lua_Integer)st.comp_size);
    lua_setfield(L, -2, "comp_size");
    lua_pushinteger(L, st.comp_method);
    lua_setfield(L, -2, "method");
    lua_pushinteger(L, (lua_Integer)st.crc);
    lua_setfield(L, -2, "crc");
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  zip_discard(za);
  return 1;
}

static int l_file_exists(lua_State *L) {
  struct stat st;
  lua_pushboolean(L, stat(luaL_checkstring(L, 1), &st) == 0);
  return 1;
}

static int l_remove_file(lua_State *L) {
  unlink(luaL_checkstring(L, 1));
  return 0;
}

static int l_write_zip(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  luaL_checktype(L, 2, LUA_TTABLE);
  int code;
  zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &code);
  if (!za) return luaL_error(L, "cannot create %s", path);
  lua_Integer n = luaL_len(L, 2);
  for (lua_Integer i = 1; i <= n; i++) {
    lua_geti(L, 2, i);
    lua_geti(L, -1, 1);
    lua_geti(L, -2, 2);
    size_t len;
    const char *name = luaL_checkstring(L, -2), *data = luaL_checklstring(L, -1, &len);
    zip_source_t *src = zip_source_buffer(za, data, len, 0);
    if (!src || zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8) < 0) {
      zip_discard(za);
      return luaL_error(L, "cannot add %s", name);
    }
    lua_pop(L, 3);
  }
  /* the buffers live on the Lua stack's strings until zip_close has written them */
  if (zip_close(za) != 0) return luaL_error(L, "cannot write %s", path);
  return 0;
}

static int l_fail_allocations(lua_State *L) {
  memory_fail_after((long)luaL_checkinteger(L, 1));
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s SCRIPT [ARG...]\n", argv[0]);
    return 2;
  }
  LuaHostOptions options = {.scripts_dir = NASTAVNIK_SCRIPTS_DIR};
  LuaHost *host = lua_host_open(&options);
  if (!host) return 2;
  lua_host_preload(host, "nastavnik.template", luaopen_nastavnik_template);
  lua_host_preload(host, "nastavnik.pdf", luaopen_nastavnik_pdf); /* view_messages_test */
  lua_State *L = lua_host_state(host);
  lua_register(L, "read_entry", l_read_entry);
  lua_register(L, "entries", l_entries);
  lua_register(L, "file_exists", l_file_exists);
  lua_register(L, "remove_file", l_remove_file);
  lua_register(L, "fail_allocations", l_fail_allocations);
  lua_register(L, "write_zip", l_write_zip);
  lua_createtable(L, argc, 0);
  for (int i = 0; i < argc; i++) {
    lua_pushstring(L, argv[i]);
    lua_rawseti(L, -2, i - 1);
  }
  lua_setglobal(L, "arg");
  /* The script's folder first on package.path, for its helper modules. */
  const char *slash = strrchr(argv[1], '/');
  lua_getglobal(L, "package");
  lua_pushfstring(L, "%s/?.lua;",
                  slash ? lua_pushlstring(L, argv[1], (size_t)(slash - argv[1])) : ".");
  lua_getfield(L, -3, "path");
  lua_concat(L, 2);
  lua_setfield(L, -3, "path");
  lua_pop(L, 2);
  size_t size;
  char *code = fileio_read(argv[1], (size_t)16 << 20, &size);
  if (!code) {
    fprintf(stderr, "%s: cannot read\n", argv[1]);
    return 2;
  }
  lua_pushfstring(L, "@%s", argv[1]);
  int status = luaL_loadbuffer(L, code, size, lua_tostring(L, -1));
  lua_remove(L, -2);
  free(code);
  if (status == LUA_OK) {
    lua_getglobal(L, "debug");
    lua_getfield(L, -1, "traceback");
    lua_remove(L, -2);
    lua_insert(L, -2);
    status = lua_pcall(L, 0, 0, -2);
  }
  if (status != LUA_OK) {
    fprintf(stderr, "%s\n", lua_tostring(L, -1));
    lua_host_close(host);
    return 1;
  }
  lua_host_close(host);
  return 0;
}
