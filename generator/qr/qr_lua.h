/*
 * qr_lua: the Lua module "nastavnik.qrencode" — QR codes (qr/qr.h: libqrencode), as a matrix of
 * modules for a script to look at, or as a PNG picture.
 *
 *   local qrencode = require "nastavnik.qrencode"
 *   local code = qrencode.encode("https://school.ru/docs/prikaz-146" [, "M"])
 *   -- code.size = 29 (modules a side), code.rows = { "1111111010…", … } ("1" is dark),
 *   -- code.version = 3, code.level = "M"; or nil, message
 *   local bytes = qrencode.png("https://…", scale, quiet, module_mm [, "M"])
 *   -- a 1-bit PNG: scale pixels a module, quiet modules of light around, printed module_mm a
 *   -- module; or nil, message
 *
 * The quiet zone (4 modules of light around the code) is not in the matrix: whoever places
 * the code leaves it. Level is the error correction: "L", "M" (default), "Q", "H".
 */
#ifndef NASTAVNIK_QR_LUA_H
#define NASTAVNIK_QR_LUA_H

#include <lua.h>

int luaopen_nastavnik_qrencode(lua_State *L);

#endif
