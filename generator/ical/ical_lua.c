/* ical_lua: see ical_lua.h. */
#define _POSIX_C_SOURCE 200809L
#include "ical_lua.h"

#include <lauxlib.h>
#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Collects the X-LIC-ERROR properties libical leaves on components it could not read or
 * that break a restriction, as "COMPONENT: message" lines. */
static void collect_errors(lua_State *L, icalcomponent *comp, int list, int *count) {
  for (icalproperty *p = icalcomponent_get_first_property(comp, ICAL_XLICERROR_PROPERTY); p;
       p = icalcomponent_get_next_property(comp, ICAL_XLICERROR_PROPERTY)) {
    const char *kind = icalcomponent_kind_to_string(icalcomponent_isa(comp));
    lua_pushfstring(L, "%s: %s", kind ? kind : "?", icalproperty_get_xlicerror(p));
    lua_rawseti(L, list, ++*count);
  }
  for (icalcomponent *c = icalcomponent_get_first_component(comp, ICAL_ANY_COMPONENT); c;
       c = icalcomponent_get_next_component(comp, ICAL_ANY_COMPONENT)) {
    collect_errors(L, c, list, count);
  }
}

/* ical.validate(text) -> true | nil, { messages } */
static int l_validate(lua_State *L) {
  const char *text = luaL_checkstring(L, 1);
  icalerror_set_errors_are_fatal(0);
  icalcomponent *root = icalparser_parse_string(text);
  lua_newtable(L);
  int list = lua_gettop(L);
  int count = 0;
  if (!root) {
    lua_pushliteral(L, "не удалось разобрать календарь");
    lua_rawseti(L, list, ++count);
  } else {
    if (icalcomponent_isa(root) != ICAL_VCALENDAR_COMPONENT) {
      lua_pushliteral(L, "файл не начинается с BEGIN:VCALENDAR");
      lua_rawseti(L, list, ++count);
    }
    icalrestriction_check(root);
    collect_errors(L, root, list, &count);
    icalcomponent_free(root);
  }
  if (count == 0) {
    lua_pushboolean(L, 1);
    return 1;
  }
  lua_pushnil(L);
  lua_insert(L, -2);
  return 2;
}

static time_t now(void) {
  const char *epoch = getenv("SOURCE_DATE_EPOCH");
  if (epoch && *epoch) {
    char *end;
    long long seconds = strtoll(epoch, &end, 10);
    if (*end == '\0' && seconds >= 0) return (time_t)seconds;
  }
  return time(NULL);
}

/* ical.today() -> "YYYY-MM-DD", the local date */
static int l_today(lua_State *L) {
  time_t t = now();
  struct tm tm;
  char buf[16];
  if (!localtime_r(&t, &tm) || strftime(buf, sizeof buf, "%Y-%m-%d", &tm) == 0) {
    return luaL_error(L, "не удалось узнать сегодняшнюю дату");
  }
  lua_pushstring(L, buf);
  return 1;
}

/* ical.now_utc() -> "YYYYMMDDTHHMMSSZ" */
static int l_now_utc(lua_State *L) {
  time_t t = now();
  struct tm tm;
  char buf[24];
  if (!gmtime_r(&t, &tm) || strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm) == 0) {
    return luaL_error(L, "не удалось узнать текущее время");
  }
  lua_pushstring(L, buf);
  return 1;
}

int luaopen_nastavnik_ical(lua_State *L) {
  static const luaL_Reg functions[] = {
      {"validate", l_validate}, {"today", l_today}, {"now_utc", l_now_utc}, {NULL, NULL}};
  luaL_newlib(L, functions);
  return 1;
}
