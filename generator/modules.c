/* modules: see modules.h. */
#include "modules.h"

#include "template/template_lua.h"

void modules_register(LuaHost *host) {
  lua_host_preload(host, "nastavnik.template", luaopen_nastavnik_template);
}
