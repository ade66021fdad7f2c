/* modules: see modules.h. */
#include "modules.h"

#include "ical/ical_lua.h"
#include "pdf/pdf_lua.h"
#include "qr/qr_lua.h"
#include "sheet/sheet_lua.h"
#include "template/template_lua.h"
#include "text/typeset_lua.h"
#include "workers/workers_lua.h"

void modules_register(LuaHost *host) {
  lua_host_preload(host, "nastavnik.pdf", luaopen_nastavnik_pdf);
  lua_host_preload(host, "nastavnik.template", luaopen_nastavnik_template);
  lua_host_preload(host, "nastavnik.workbook", luaopen_nastavnik_workbook);
  lua_host_preload(host, "nastavnik.ical", luaopen_nastavnik_ical);
  lua_host_preload(host, "nastavnik.qrencode", luaopen_nastavnik_qrencode);
  lua_host_preload(host, "nastavnik.processes", luaopen_nastavnik_processes);
  lua_host_preload(host, "nastavnik.typeset", luaopen_nastavnik_typeset);
}
