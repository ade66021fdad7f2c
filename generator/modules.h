/*
 * modules: the C modules the generator offers to its Lua scripts (the PDF engine, the
 * template engine, ...), registered in one place so main.c and the test drivers agree.
 */
#ifndef NASTAVNIK_MODULES_H
#define NASTAVNIK_MODULES_H

#include "lua_host.h"

void modules_register(LuaHost *host);

#endif
