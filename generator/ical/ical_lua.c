/* ical_lua: see ical_lua.h. */
#define _POSIX_C_SOURCE 200809L
#include "ical_lua.h"

#include <lauxlib.h>
#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "memory.h"

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

/* A component's properties, kind by kind in their order: what libical 3.0's restriction
 * check reads of a VEVENT when the calendar names no METHOD (icalrestriction.c: the count of
 * each property kind, and whether DTEND and DURATION are both there). At most SHAPE_MAX
 * properties; a longer component has no shape and is always checked. */
#define SHAPE_MAX 48
typedef struct {
  int length;
  icalproperty_kind kinds[SHAPE_MAX];
} Shape;

static int shape_of(icalcomponent *comp, Shape *shape) {
  shape->length = 0;
  for (icalproperty *p = icalcomponent_get_first_property(comp, ICAL_ANY_PROPERTY); p;
       p = icalcomponent_get_next_property(comp, ICAL_ANY_PROPERTY)) {
    if (shape->length == SHAPE_MAX) return 0;
    shape->kinds[shape->length++] = icalproperty_isa(p);
  }
  return 1;
}

static int same_shape(const Shape *a, const Shape *b) {
  return a->length == b->length &&
         memcmp(a->kinds, b->kinds, sizeof a->kinds[0] * (size_t)a->length) == 0;
}

/* icalrestriction_check(root), with the same outcome, on each shape of VEVENT once: a
 * calendar's events are a few shapes repeated (a deadline, a meeting, an order), and libical
 * searches its table of 1,900 restrictions for each of 120 property kinds of each component
 * (67 M instructions for a school's year of 73 events, 5 % of a region's build). A VEVENT of a
 * shape already checked gets what that one got: nothing, as it passed — had it failed, the
 * check would have stopped there (libical checks the components until the first that fails),
 * and this one would not have been checked either. With a METHOD, libical's checks read the
 * properties' values too: every component is checked. */
#define SHAPES_MAX 32
static void check_restrictions(icalcomponent *root) {
  int count = icalcomponent_count_components(root, ICAL_ANY_COMPONENT);
  if (count < 2 || icalcomponent_get_first_property(root, ICAL_METHOD_PROPERTY)) {
    icalrestriction_check(root);
    return;
  }
  /* (without the memory for it, every component is checked: the same outcome, slower) */
  icalcomponent **all = memory_alloc(sizeof *all * (size_t)count);
  Shape *shapes = memory_alloc(sizeof *shapes * SHAPES_MAX);
  if (!all || !shapes) {
    memory_free(all);
    memory_free(shapes);
    icalrestriction_check(root);
    return;
  }
  int n = 0;
  for (icalcomponent *c = icalcomponent_get_first_component(root, ICAL_ANY_COMPONENT);
       c && n < count; c = icalcomponent_get_next_component(root, ICAL_ANY_COMPONENT)) {
    all[n++] = c;
  }
  for (int i = 0; i < n; i++) icalcomponent_remove_component(root, all[i]);
  /* the components to check, in their order: every one but a VEVENT of a shape met before */
  int nshapes = 0;
  for (int i = 0; i < n; i++) {
    int seen = 0;
    if (icalcomponent_isa(all[i]) == ICAL_VEVENT_COMPONENT && nshapes < SHAPES_MAX &&
        shape_of(all[i], &shapes[nshapes])) {
      for (int k = 0; k < nshapes && !seen; k++) seen = same_shape(&shapes[k], &shapes[nshapes]);
      if (!seen) nshapes++;
    }
    if (!seen) icalcomponent_add_component(root, all[i]);
  }
  icalrestriction_check(root);
  /* all of them back, in their order */
  for (icalcomponent *c = icalcomponent_get_first_component(root, ICAL_ANY_COMPONENT); c;
       c = icalcomponent_get_first_component(root, ICAL_ANY_COMPONENT)) {
    icalcomponent_remove_component(root, c);
  }
  for (int i = 0; i < n; i++) icalcomponent_add_component(root, all[i]);
  memory_free(shapes);
  memory_free(all);
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
    check_restrictions(root);
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

/* The value of a TEXT property (RFC 5545, 3.3.11) into `b`: non-breaking spaces as plain
 * ones, CRLF as a newline, then backslash, semicolon, comma and newline escaped. */
static void add_text(luaL_Buffer *b, const char *s, size_t len) {
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xA0) {
      luaL_addchar(b, ' ');
      i++;
    } else if (c == '\\' || c == ';' || c == ',') {
      luaL_addchar(b, '\\');
      luaL_addchar(b, (char)c);
    } else if (c == '\n' || (c == '\r' && i + 1 < len && s[i + 1] == '\n')) {
      if (c == '\r') i++;
      luaL_addchar(b, '\\');
      luaL_addchar(b, 'n');
    } else {
      luaL_addchar(b, (char)c);
    }
  }
}

/* A content line folded (3.1): at most 75 octets a line, the next ones starting with a
 * space (so 74 of the line's own), never cut inside a UTF-8 character — a piece ends before
 * the last byte within its limit that starts a character (a piece without one is cut at its
 * limit). */
static void add_folded(luaL_Buffer *b, const char *line, size_t len) {
  size_t start = 0, limit = 75;
  while (len - start > limit) {
    size_t stop = start + limit; /* one past the piece's last byte */
    while (stop > start + 1 && ((unsigned char)line[stop] & 0xC0) == 0x80) stop--;
    luaL_addlstring(b, line + start, stop - start);
    luaL_addstring(b, "\r\n ");
    start = stop;
    limit = 74;
  }
  luaL_addlstring(b, line + start, len - start);
}

/* ical.line(name, value, text) -> "NAME:value", folded; `text`: the value escaped as a TEXT
 * property's. (calendar.lua's every line: in Lua the escaping and folding were 1.5 % of a
 * region's build.) */
static int l_line(lua_State *L) {
  size_t name_len, value_len;
  const char *name = luaL_checklstring(L, 1, &name_len);
  const char *value = luaL_checklstring(L, 2, &value_len);
  int text = lua_toboolean(L, 3);
  luaL_Buffer whole;
  luaL_buffinit(L, &whole);
  luaL_addlstring(&whole, name, name_len);
  luaL_addchar(&whole, ':');
  if (text) {
    add_text(&whole, value, value_len);
  } else {
    luaL_addlstring(&whole, value, value_len);
  }
  luaL_pushresult(&whole);
  size_t len;
  const char *line = lua_tolstring(L, -1, &len);
  if (len <= 75) return 1;
  luaL_Buffer folded;
  luaL_buffinit(L, &folded);
  add_folded(&folded, line, len);
  luaL_pushresult(&folded);
  return 1;
}

int luaopen_nastavnik_ical(lua_State *L) {
  static const luaL_Reg functions[] = {{"validate", l_validate},
                                       {"today", l_today},
                                       {"now_utc", l_now_utc},
                                       {"line", l_line},
                                       {NULL, NULL}};
  luaL_newlib(L, functions);
  return 1;
}
