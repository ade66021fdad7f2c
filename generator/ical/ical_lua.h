/*
 * ical_lua: the Lua module "nastavnik.ical" — checking an iCalendar file (RFC 5545) with
 * libical before it is written, and the clock a calendar needs.
 *
 *   local ical = require "nastavnik.ical"
 *   local ok, problems = ical.validate(text)   -- true, or nil and { "message", … }
 *   ical.today()      -> "2025-12-01"           (local date)
 *   ical.now_utc()    -> "20251201T093000Z"     (for DTSTAMP)
 *
 * The calendar is written by scripts/nastavnik/calendar.lua; libical parses it back and
 * checks what RFC 5545 requires of each component (icalrestriction_check), so a file that a
 * calendar program would reject is never written. SOURCE_DATE_EPOCH, when set, stands for
 * "now" (reproducible builds).
 */
#ifndef NASTAVNIK_ICAL_LUA_H
#define NASTAVNIK_ICAL_LUA_H

#include <lua.h>

int luaopen_nastavnik_ical(lua_State *L);

#endif
