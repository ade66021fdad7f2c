/* qr_lua: see qr_lua.h. */
#include "qr_lua.h"

#include <errno.h>
#include <lauxlib.h>
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

/* A link longer than this is not something to print as a requisite of an order. */
enum { QR_MAX_TEXT = 2048 };

/* qrencode.encode(text [, level]) -> { size =, version =, level =, rows = { "0101…" } } | nil,
 * message */
static int l_encode(lua_State *L) {
  size_t len;
  const char *text = luaL_checklstring(L, 1, &len);
  const char *level_name = luaL_optstring(L, 2, "M");
  static const struct {
    const char *name;
    QRecLevel level;
  } levels[] = {{"L", QR_ECLEVEL_L}, {"M", QR_ECLEVEL_M}, {"Q", QR_ECLEVEL_Q}, {"H", QR_ECLEVEL_H}};
  int found = -1;
  for (int i = 0; i < 4; i++) {
    if (strcmp(level_name, levels[i].name) == 0) found = i;
  }
  if (found < 0)
    return luaL_error(L, "qrencode.encode: уровень коррекции «%s»: бывают L, M, Q, H", level_name);
  if (len == 0 || len > QR_MAX_TEXT || memchr(text, '\0', len)) {
    lua_pushnil(L);
    lua_pushfstring(L, "QR-код: текст пуст, длиннее %d байт или содержит нулевой байт",
                    QR_MAX_TEXT);
    return 2;
  }
  /* Byte mode keeps the link exactly as written (8-bit, case-sensitive). */
  QRcode *code = QRcode_encodeString8bit(text, 0, levels[found].level);
  if (!code) {
    lua_pushnil(L);
    lua_pushfstring(L, "QR-код не получился: %s", strerror(errno));
    return 2;
  }
  int size = code->width;
  lua_createtable(L, 0, 4);
  lua_pushinteger(L, size);
  lua_setfield(L, -2, "size");
  lua_pushinteger(L, code->version);
  lua_setfield(L, -2, "version");
  lua_pushstring(L, levels[found].name);
  lua_setfield(L, -2, "level");
  lua_createtable(L, size, 0);
  luaL_Buffer row;
  for (int y = 0; y < size; y++) {
    char *out = luaL_buffinitsize(L, &row, (size_t)size);
    /* Bit 0 of each byte libqrencode gives is the module's colour (1 = dark). */
    for (int x = 0; x < size; x++) out[x] = (code->data[y * size + x] & 1) ? '1' : '0';
    luaL_pushresultsize(&row, (size_t)size);
    lua_rawseti(L, -2, y + 1);
  }
  lua_setfield(L, -2, "rows");
  QRcode_free(code);
  return 1;
}

int luaopen_nastavnik_qrencode(lua_State *L) {
  static const luaL_Reg functions[] = {{"encode", l_encode}, {NULL, NULL}};
  luaL_newlib(L, functions);
  return 1;
}
