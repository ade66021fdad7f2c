/* qr_lua: see qr_lua.h. */
#include "qr_lua.h"

#include <lauxlib.h>
#include <string.h>

#include "memory.h"
#include "qr/qr.h"

/* A link longer than this is not something to print as a requisite of an order. */
enum { QR_MAX_TEXT = 2048 };

/* The code of argument 1 at the level of argument level_arg into *m; false with nil and a
 * message pushed. Raises for a level that does not exist and when out of memory. */
static int encode_arg(lua_State *L, int level_arg, QrMatrix *m, const char **level_out) {
  size_t len;
  const char *text = luaL_checklstring(L, 1, &len);
  const char *level_name = luaL_optstring(L, level_arg, "M");
  static const char *const NAMES[] = {"L", "M", "Q", "H"};
  int found = -1;
  for (int i = 0; i < 4; i++)
    if (strcmp(level_name, NAMES[i]) == 0) found = i;
  if (found < 0)
    return luaL_error(L, "qrencode: уровень коррекции «%s»: бывают L, M, Q, H", level_name);
  *level_out = NAMES[found];
  if (len == 0 || len > QR_MAX_TEXT || memchr(text, '\0', len)) {
    lua_pushnil(L);
    lua_pushfstring(L, "QR-код: текст пуст, длиннее %d байт или содержит нулевой байт",
                    QR_MAX_TEXT);
    return 0;
  }
  QrStatus st = qr_encode(text, len, (QrLevel)found, m);
  if (st == QR_NO_MEMORY) return memory_raise(L);
  if (st != QR_OK) {
    lua_pushnil(L);
    lua_pushstring(L, "QR-код не получился: текст не помещается в один код");
    return 0;
  }
  return 1;
}

/* qrencode.encode(text [, level]) -> { size =, version =, level =, rows = { "0101…" } } | nil,
 * message */
static int l_encode(lua_State *L) {
  QrMatrix m;
  const char *level;
  if (!encode_arg(L, 2, &m, &level)) return 2;
  lua_createtable(L, 0, 4);
  lua_pushinteger(L, m.size);
  lua_setfield(L, -2, "size");
  lua_pushinteger(L, m.version);
  lua_setfield(L, -2, "version");
  lua_pushstring(L, level);
  lua_setfield(L, -2, "level");
  lua_createtable(L, m.size, 0);
  luaL_Buffer row;
  for (int y = 0; y < m.size; y++) {
    char *out = luaL_buffinitsize(L, &row, (size_t)m.size);
    for (int x = 0; x < m.size; x++) out[x] = m.dark[y * m.size + x] ? '1' : '0';
    luaL_pushresultsize(&row, (size_t)m.size);
    lua_rawseti(L, -2, y + 1);
  }
  lua_setfield(L, -2, "rows");
  qr_free(&m);
  return 1;
}

/* qrencode.png(text, scale, quiet, module_mm [, level]) -> bytes | nil, message */
static int l_png(lua_State *L) {
  int scale = (int)luaL_checkinteger(L, 2), quiet = (int)luaL_checkinteger(L, 3);
  double module_mm = luaL_checknumber(L, 4);
  luaL_argcheck(L, scale >= 1 && scale <= 64, 2, "от 1 до 64 точек на модуль");
  luaL_argcheck(L, quiet >= 0 && quiet <= 16, 3, "от 0 до 16 модулей");
  QrMatrix m;
  const char *level;
  if (!encode_arg(L, 5, &m, &level)) return 2;
  size_t len;
  unsigned char *png = qr_png(&m, scale, quiet, module_mm, &len);
  qr_free(&m);
  if (!png) return memory_raise(L);
  lua_pushlstring(L, (const char *)png, len);
  memory_free(png);
  return 1;
}

int luaopen_nastavnik_qrencode(lua_State *L) {
  static const luaL_Reg functions[] = {{"encode", l_encode}, {"png", l_png}, {NULL, NULL}};
  luaL_newlib(L, functions);
  return 1;
}
