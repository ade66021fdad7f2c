/* ical_lua: see ical_lua.h. */
#define _POSIX_C_SOURCE 200809L
#include "ical_lua.h"

#include <lauxlib.h>
#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <xxhash.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "fileio.h"
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

/* A component's kind and its properties, kind by kind in their order: what libical 3.0's
 * restriction check reads of a component of the calendar when the calendar names no METHOD
 * (icalrestriction.c: the count of each property kind, and whether DTEND and DURATION are both
 * there; not the values, and not the components inside it: a VEVENT's VALARM is not checked).
 * At most SHAPE_MAX properties; a longer component has no shape and is always checked. */
#define SHAPE_MAX 48
typedef struct {
  icalcomponent_kind kind;
  int length;
  icalproperty_kind kinds[SHAPE_MAX];
} Shape;

static int shape_of(icalcomponent *comp, Shape *shape) {
  shape->kind = icalcomponent_isa(comp);
  shape->length = 0;
  for (icalproperty *p = icalcomponent_get_first_property(comp, ICAL_ANY_PROPERTY); p;
       p = icalcomponent_get_next_property(comp, ICAL_ANY_PROPERTY)) {
    if (shape->length == SHAPE_MAX) return 0;
    shape->kinds[shape->length++] = icalproperty_isa(p);
  }
  return 1;
}

static int same_shape(const Shape *a, const Shape *b) {
  return a->kind == b->kind && a->length == b->length &&
         memcmp(a->kinds, b->kinds, sizeof a->kinds[0] * (size_t)a->length) == 0;
}

static int shape_among(const Shape *list, int n, const Shape *shape) {
  for (int k = 0; k < n; k++) {
    if (same_shape(&list[k], shape)) return 1;
  }
  return 0;
}

/* The shapes (the wrapper's, the VEVENTs') that passed libical's check in an earlier call of
 * this process: a region's calendars are all made of the same few (a deadline, a meeting, an
 * order; the VCALENDAR's own lines), and the outcome of a component's check is a function of
 * its shape alone. Only the shapes of a calendar that passed whole are kept: one that failed
 * stopped libical's check, so the components after it were never checked. */
#define SHAPES_MAX 32
static Shape passed[SHAPES_MAX];
static int npassed = 0;

/* icalrestriction_check(root), with the same outcome, on each shape of VEVENT once: a
 * calendar's events are a few shapes repeated, and libical searches its table of 1,900
 * restrictions for each of 120 property kinds of each component (67 M instructions for a
 * school's year of 73 events, 5 % of a region's build). A VEVENT of a shape already checked
 * (here or in a calendar that passed before) gets what that one got: nothing, as it passed —
 * had it failed, the check would have stopped there (libical checks the components until the
 * first that fails), and this one would not have been checked either. A calendar whose
 * wrapper and events are all of shapes that passed before is not checked again: libical's
 * check of the wrapper does not look inside it, and each event's is its shape's. With a
 * METHOD, libical's checks read the properties' values too: every component is checked. */
static void check_restrictions(icalcomponent *root) {
  int count = icalcomponent_count_components(root, ICAL_ANY_COMPONENT);
  if (icalcomponent_get_first_property(root, ICAL_METHOD_PROPERTY)) {
    icalrestriction_check(root);
    return;
  }
  /* (without the memory for it, every component is checked: the same outcome, slower) */
  icalcomponent **all = memory_alloc(sizeof *all * (size_t)(count > 0 ? count : 1));
  Shape *shapes = memory_alloc(sizeof *shapes * (SHAPES_MAX + 1));
  if (!all || !shapes) {
    memory_free(all);
    memory_free(shapes);
    icalrestriction_check(root);
    return;
  }
  /* shapes[0]: the wrapper's; then the new shapes of VEVENT met in this calendar */
  int wrapper_shaped = shape_of(root, &shapes[0]);
  int wrapper_known = wrapper_shaped && shape_among(passed, npassed, &shapes[0]);
  int n = 0;
  for (icalcomponent *c = icalcomponent_get_first_component(root, ICAL_ANY_COMPONENT);
       c && n < count; c = icalcomponent_get_next_component(root, ICAL_ANY_COMPONENT)) {
    all[n++] = c;
  }
  for (int i = 0; i < n; i++) icalcomponent_remove_component(root, all[i]);
  /* the components to check, in their order: every one but a VEVENT of a shape met before */
  int nshapes = 1, kept = 0;
  for (int i = 0; i < n; i++) {
    int seen = 0;
    Shape *shape = &shapes[nshapes];
    if (icalcomponent_isa(all[i]) == ICAL_VEVENT_COMPONENT && nshapes <= SHAPES_MAX &&
        shape_of(all[i], shape)) {
      seen = shape_among(shapes + 1, nshapes - 1, shape) || shape_among(passed, npassed, shape);
      if (!seen) nshapes++;
    }
    if (!seen) {
      icalcomponent_add_component(root, all[i]);
      kept++;
    }
  }
  if (kept > 0 || !wrapper_known) {
    /* passed: every component left in it was checked, and passed (a component without a
     * shape, checked too, keeps nothing) */
    if (icalrestriction_check(root) && npassed + nshapes <= SHAPES_MAX) {
      for (int k = wrapper_shaped ? 0 : 1; k < nshapes; k++) {
        if (!shape_among(passed, npassed, &shapes[k])) passed[npassed++] = shapes[k];
      }
    }
    /* all of them back, in their order */
    for (icalcomponent *c = icalcomponent_get_first_component(root, ICAL_ANY_COMPONENT); c;
         c = icalcomponent_get_first_component(root, ICAL_ANY_COMPONENT)) {
      icalcomponent_remove_component(root, c);
    }
  }
  for (int i = 0; i < n; i++) icalcomponent_add_component(root, all[i]);
  memory_free(shapes);
  memory_free(all);
}

/* The content lines that libical has read without an error in this process, each with the
 * kind of the one property it made. libical reads a content line by itself: its property's
 * kind comes from its name, its value's type from the kind and its VALUE parameter, and a line
 * that gave no error gives none again, in whatever component it stands. A region's calendars
 * repeat most of their lines (DTSTAMP, the dates, CATEGORIES, the alarm's lines, the SUMMARY of
 * a roadmap's items): reading them again was most of what ical.validate cost (8,000
 * instructions a line, 2.4 % of a region's build). A line is kept as it is written, folds and
 * all (compared whole, not by its hash alone); at CLEAN_MAX lines the table starts afresh. */
#define CLEAN_SLOTS 8192 /* a power of two */
#define CLEAN_MAX (CLEAN_SLOTS / 2)
typedef struct {
  char *line; /* NULL: a free slot */
  size_t length;
  icalproperty_kind kind;
} CleanLine;
static CleanLine clean[CLEAN_SLOTS];
static int nclean = 0;

static size_t clean_slot(const char *line, size_t length) {
  size_t at = (size_t)XXH3_64bits(line, length) & (CLEAN_SLOTS - 1);
  while (clean[at].line &&
         (clean[at].length != length || memcmp(clean[at].line, line, length) != 0)) {
    at = (at + 1) & (CLEAN_SLOTS - 1);
  }
  return at;
}

static void clean_add(const char *line, size_t length, icalproperty_kind kind) {
  if (nclean >= CLEAN_MAX) {
    for (size_t i = 0; i < CLEAN_SLOTS; i++) {
      memory_free(clean[i].line);
      clean[i].line = NULL;
    }
    nclean = 0;
  }
  size_t at = clean_slot(line, length);
  if (clean[at].line) return;
  char *copy = memory_alloc(length ? length : 1);
  if (!copy) return; /* (not kept: read again next time) */
  memcpy(copy, line, length);
  clean[at] = (CleanLine){copy, length, kind};
  nclean++;
}

/* One content line of a calendar as known_to_pass reads it: where it is in the text (folded,
 * without its CRLF), what it is (a property, or the BEGIN or END of a component), and its
 * property's kind once known. */
enum { PROPERTY, BEGIN, END };
typedef struct {
  size_t start, length;
  int what;
  int fresh;                    /* a property line read now (read_fresh) */
  icalcomponent_kind component; /* of BEGIN and END */
  icalproperty_kind kind;       /* of a property; ICAL_NO_PROPERTY until known */
} Line;

static icalcomponent_kind component_named(const char *name, size_t length) {
  if (length == 9 && memcmp(name, "VCALENDAR", 9) == 0) return ICAL_VCALENDAR_COMPONENT;
  if (length == 6 && memcmp(name, "VEVENT", 6) == 0) return ICAL_VEVENT_COMPONENT;
  if (length == 6 && memcmp(name, "VALARM", 6) == 0) return ICAL_VALARM_COMPONENT;
  return ICAL_NO_COMPONENT;
}

/* Splits `text` into its content lines (a fold, CRLF and one space, stays inside its line) and
 * checks their nesting: a VCALENDAR of VEVENTs, each with VALARMs or none, the names of BEGIN
 * and END in capitals, nothing after the end. Returns the number of lines, 0 when the text is
 * written otherwise (or no memory). */
static size_t content_lines(const char *text, size_t length, Line **out) {
  size_t cap = 256, n = 0;
  Line *lines = memory_alloc(sizeof *lines * cap);
  int depth = 0, ok = lines != NULL;
  icalcomponent_kind stack[3];
  for (size_t at = 0; ok && at < length;) {
    if (n > 0 && depth == 0) ok = 0; /* (something after END:VCALENDAR) */
    size_t start = at;
    while (ok) {
      const char *cr = memchr(text + at, '\r', length - at);
      size_t stop = cr ? (size_t)(cr - text) : length;
      if (!cr || stop == at || stop + 1 >= length || text[stop + 1] != '\n' ||
          memchr(text + at, '\n', stop - at)) {
        ok = 0;
      }
      at = stop + 2;
      if (at >= length || text[at] != ' ') break;
      at++;
    }
    if (!ok || text[start] == ' ' || text[start] == '\t') {
      ok = 0;
      break;
    }
    if (n == cap) {
      Line *more = memory_realloc(lines, sizeof *lines * cap * 2);
      if (!more) {
        ok = 0;
        break;
      }
      lines = more;
      cap *= 2;
    }
    const char *line = text + start;
    size_t used = at - 2 - start;
    lines[n] = (Line){start, used, PROPERTY, 0, ICAL_NO_COMPONENT, ICAL_NO_PROPERTY};
    icalcomponent_kind inside = depth ? stack[depth - 1] : ICAL_NO_COMPONENT;
    if (used > 6 && memcmp(line, "BEGIN:", 6) == 0) {
      icalcomponent_kind kind = component_named(line + 6, used - 6);
      ok = (kind == ICAL_VCALENDAR_COMPONENT && n == 0) ||
           (kind == ICAL_VEVENT_COMPONENT && inside == ICAL_VCALENDAR_COMPONENT) ||
           (kind == ICAL_VALARM_COMPONENT && inside == ICAL_VEVENT_COMPONENT);
      if (ok) stack[depth++] = kind;
      lines[n].what = BEGIN;
      lines[n].component = kind;
    } else if (used > 4 && memcmp(line, "END:", 4) == 0) {
      icalcomponent_kind kind = component_named(line + 4, used - 4);
      ok = kind != ICAL_NO_COMPONENT && kind == inside;
      depth--;
      lines[n].what = END;
      lines[n].component = kind;
    } else if (depth == 0 || (used >= 5 && strncasecmp(line, "BEGIN", 5) == 0) ||
               (used >= 3 && strncasecmp(line, "END", 3) == 0)) {
      /* (a line out of any component, or that libical might take for a BEGIN or an END) */
      ok = 0;
    }
    n++;
  }
  if (!ok || depth != 0 || n == 0) {
    memory_free(lines);
    return 0;
  }
  *out = lines;
  return n;
}

/* Whether the property `p` is the one the content line names (its name, up to the first ";"
 * or ":", is the kind's name or, of an X property, its own): that the lines read together
 * made their properties one each, in their order, is not taken on trust from their count. */
static int names_property(const char *line, size_t length, icalproperty *p) {
  size_t n = 0;
  while (n < length && line[n] != ';' && line[n] != ':') n++;
  icalproperty_kind kind = icalproperty_isa(p);
  const char *name =
      kind == ICAL_X_PROPERTY ? icalproperty_get_x_name(p) : icalproperty_kind_to_string(kind);
  return name && strlen(name) == n && strncasecmp(name, line, n) == 0;
}

/* Reads with libical, together, the property lines of `lines` whose kind is not known yet, as
 * the properties of one VCALENDAR; 1 when none of them gave an error and each made one
 * property (their kinds are set then, and they are kept as clean), else 0. */
static int read_fresh(const char *text, Line *lines, size_t n) {
  size_t size = sizeof "BEGIN:VCALENDAR\r\n" + sizeof "END:VCALENDAR\r\n", fresh = 0;
  for (size_t i = 0; i < n; i++) {
    if (lines[i].what == PROPERTY && lines[i].kind == ICAL_NO_PROPERTY) {
      size += lines[i].length + 2;
      fresh++;
    }
  }
  if (fresh == 0) return 1;
  char *batch = memory_alloc(size);
  if (!batch) return 0;
  size_t used = 0;
  memcpy(batch, "BEGIN:VCALENDAR\r\n", 17);
  used = 17;
  for (size_t i = 0; i < n; i++) {
    if (lines[i].what == PROPERTY && lines[i].kind == ICAL_NO_PROPERTY) {
      memcpy(batch + used, text + lines[i].start, lines[i].length + 2);
      used += lines[i].length + 2;
    }
  }
  memcpy(batch + used, "END:VCALENDAR\r\n", sizeof "END:VCALENDAR\r\n");
  icalcomponent *root = icalparser_parse_string(batch);
  memory_free(batch);
  int ok = root && icalcomponent_isa(root) == ICAL_VCALENDAR_COMPONENT &&
           icalcomponent_count_components(root, ICAL_ANY_COMPONENT) == 0 &&
           !icalcomponent_get_first_property(root, ICAL_XLICERROR_PROPERTY) &&
           icalcomponent_count_properties(root, ICAL_ANY_PROPERTY) == (int)fresh;
  icalproperty *p = ok ? icalcomponent_get_first_property(root, ICAL_ANY_PROPERTY) : NULL;
  for (size_t i = 0; ok && i < n; i++) {
    if (lines[i].what != PROPERTY || lines[i].kind != ICAL_NO_PROPERTY) continue;
    ok = names_property(text + lines[i].start, lines[i].length, p);
    lines[i].kind = icalproperty_isa(p);
    lines[i].fresh = 1;
    p = icalcomponent_get_next_property(root, ICAL_ANY_PROPERTY);
  }
  for (size_t i = 0; ok && i < n; i++) {
    /* (a UID names one event: it is never met again) */
    if (lines[i].fresh && lines[i].kind != ICAL_UID_PROPERTY) {
      clean_add(text + lines[i].start, lines[i].length, lines[i].kind);
    }
  }
  if (root) icalcomponent_free(root);
  return ok;
}

/* Whether a content line is a UID written plainly, "UID:" and a value of letters, digits and
 * "@", ".", "-" only (as calendar.lua makes them: two hashes "@nastavnik"): a TEXT property
 * without parameters whose value has nothing to escape, split or unfold, which libical reads
 * without an error. Every event has a UID of its own, never met again (clean_add does not
 * keep them): read by libical, they were a fresh line each in every calendar. */
static int plain_uid(const char *line, size_t length) {
  if (length <= 4 || length > 75 || memcmp(line, "UID:", 4) != 0) return 0;
  for (size_t i = 4; i < length; i++) {
    unsigned char c = (unsigned char)line[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '@' ||
          c == '.' || c == '-'))
      return 0;
  }
  return 1;
}

/* The kind of a content line that is a SUMMARY or a DESCRIPTION written plainly, "NAME:" and
 * a value, folded or not, that starts and ends with a printable character and holds no other
 * control character than its folds' CRLF (content_lines checked those); else ICAL_NO_PROPERTY.
 * libical reads such a line without an error: a TEXT property's value is taken whole (no
 * parameters, no split at commas: only CATEGORIES, RESOURCES, the dates and X properties are
 * lists), stripped of the blanks at its ends (none here, so it is never empty), and unescaped
 * by icalmemory_strdup_and_dequote, which knows no wrong escape. Every event's SUMMARY and
 * DESCRIPTION name its organisation or its pair: met once, they were read by libical one by
 * one in each calendar (about 80 % of what ical.validate cost in a region's build). */
static icalproperty_kind plain_text(const char *line, size_t length) {
  size_t name;
  icalproperty_kind kind;
  if (length > 8 && memcmp(line, "SUMMARY:", 8) == 0) {
    name = 8;
    kind = ICAL_SUMMARY_PROPERTY;
  } else if (length > 12 && memcmp(line, "DESCRIPTION:", 12) == 0) {
    name = 12;
    kind = ICAL_DESCRIPTION_PROPERTY;
  } else {
    return ICAL_NO_PROPERTY;
  }
  if ((unsigned char)line[name] <= ' ' || (unsigned char)line[length - 1] <= ' ')
    return ICAL_NO_PROPERTY;
  /* (a block of 16 bytes without a control character is passed at once: most are letters; a
   * control character in one, a fold's CRLF mostly, is reached at once and read as before) */
  size_t i = name;
  while (i < length) {
#ifdef __SSE2__
    if (i + 16 <= length) {
      __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(line + i));
      const __m128i c1f = _mm_set1_epi8(0x1F);
      int control = _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(_mm_max_epu8(v, c1f), c1f),
                                                   _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F))));
      if (control == 0) {
        i += 16;
        continue;
      }
      i += (size_t)__builtin_ctz((unsigned)control);
    }
#endif
    unsigned char c = (unsigned char)line[i];
    if (c == '\r' && i + 2 < length && line[i + 1] == '\n' && line[i + 2] == ' ') {
      i += 3;
    } else if (c < ' ' || c == 0x7F) {
      return ICAL_NO_PROPERTY;
    } else {
      i++;
    }
  }
  return kind;
}

/* Whether libical would find nothing wrong with the calendar `text`, told without reading it
 * all again: 1 when it surely passes, 0 when that is not known (the whole calendar is then
 * read and checked as before, and the messages are libical's own). It surely passes when it
 * is written plainly (content_lines), every content line reads without an error (the lines met
 * before, `clean`, the plain UIDs, plain_uid, and texts, plain_text; the others are read now:
 * read_fresh), and the
 * wrapper and each VEVENT have the shape of one that passed libical's restriction check before
 * (`passed`; libical does not check a VALARM). */
static int known_to_pass(const char *text, size_t length) {
  Line *lines = NULL;
  if (memchr(text, '\0', length)) return 0;
  size_t n = content_lines(text, length, &lines);
  if (n == 0) return 0;
  for (size_t i = 0; i < n; i++) {
    if (lines[i].what != PROPERTY) continue;
    if (plain_uid(text + lines[i].start, lines[i].length)) {
      lines[i].kind = ICAL_UID_PROPERTY;
      continue;
    }
    icalproperty_kind plain = plain_text(text + lines[i].start, lines[i].length);
    if (plain != ICAL_NO_PROPERTY) {
      lines[i].kind = plain;
      continue;
    }
    CleanLine *known = &clean[clean_slot(text + lines[i].start, lines[i].length)];
    if (known->line) lines[i].kind = known->kind;
  }
  int ok = read_fresh(text, lines, n);
  /* the shapes of the wrapper and of each VEVENT, as check_restrictions makes them */
  Shape *shapes = ok ? memory_alloc(sizeof *shapes * 2) : NULL;
  ok = ok && shapes;
  if (ok) {
    Shape *wrapper = &shapes[0], *event = &shapes[1], *open = wrapper;
    wrapper->kind = ICAL_VCALENDAR_COMPONENT;
    wrapper->length = 0;
    int in_alarm = 0;
    for (size_t i = 1; ok && i < n; i++) {
      Line *line = &lines[i];
      if (line->component == ICAL_VALARM_COMPONENT) {
        in_alarm = line->what == BEGIN;
      } else if (line->what == BEGIN) {
        event->kind = ICAL_VEVENT_COMPONENT;
        event->length = 0;
        open = event;
      } else if (line->what == END) {
        ok = shape_among(passed, npassed, open);
        open = wrapper;
      } else if (!in_alarm) {
        if (open->length == SHAPE_MAX) {
          ok = 0;
        } else {
          open->kinds[open->length++] = line->kind;
        }
      }
    }
  }
  memory_free(shapes);
  memory_free(lines);
  return ok;
}

/* ical.validate(text) -> true | nil, { messages } */
static int l_validate(lua_State *L) {
  size_t length;
  const char *text = luaL_checklstring(L, 1, &length);
  icalerror_set_errors_are_fatal(0);
  if (known_to_pass(text, length)) {
    lua_pushboolean(L, 1);
    return 1;
  }
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

/* The value of a TEXT property (RFC 5545, 3.3.11) at `out` (room for twice `len`): non-breaking
 * spaces as plain ones, CRLF as a newline, then backslash, semicolon, comma and newline
 * escaped. Returns the length written. */
static size_t put_text(char *out, const char *s, size_t len) {
  /* (the bytes that may be written otherwise; the others are copied as they come) */
  static const unsigned char special[256] = {
      ['\\'] = 1, [';'] = 1, [','] = 1, ['\n'] = 1, ['\r'] = 1, [0xC2] = 1};
  size_t n = 0;
  for (size_t i = 0; i < len;) {
#ifdef __SSE2__
    /* (16 bytes copied at once up to the first that may be written otherwise, none in most
     * blocks: the copy is stored whole and the special byte written over; `out` has room for
     * twice `len`, and n <= 2 * i with i + 16 <= len, so n + 16 <= 2 * len) */
    if (i + 16 <= len) {
      __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
      __m128i any = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\\')),
                                              _mm_cmpeq_epi8(v, _mm_set1_epi8(';'))),
                                 _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(',')),
                                              _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))));
      any = _mm_or_si128(any, _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\r')),
                                           _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xC2))));
      int found = _mm_movemask_epi8(any);
      _mm_storeu_si128((__m128i *)(void *)(out + n), v);
      if (found == 0) {
        n += 16;
        i += 16;
        continue;
      }
      size_t k = (size_t)__builtin_ctz((unsigned)found);
      n += k;
      i += k;
    }
#endif
    unsigned char c = (unsigned char)s[i];
    if (!special[c]) {
      out[n++] = (char)c;
    } else if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xA0) {
      out[n++] = ' ';
      i++;
    } else if (c == '\\' || c == ';' || c == ',') {
      out[n++] = '\\';
      out[n++] = (char)c;
    } else if (c == '\n' || (c == '\r' && i + 1 < len && s[i + 1] == '\n')) {
      if (c == '\r') i++;
      out[n++] = '\\';
      out[n++] = 'n';
    } else {
      out[n++] = (char)c;
    }
    i++;
  }
  return n;
}

/* A content line folded (3.1) at `out` (room for `len` and three octets each 74): at most 75
 * octets a line, the next ones starting with a space (so 74 of the line's own), never cut
 * inside a UTF-8 character — a piece ends before the last byte within its limit that starts a
 * character (a piece without one is cut at its limit). Returns the length written. */
static size_t put_folded(char *out, const char *line, size_t len) {
  size_t start = 0, limit = 75, n = 0;
  while (len - start > limit) {
    size_t stop = start + limit; /* one past the piece's last byte */
    while (stop > start + 1 && ((unsigned char)line[stop] & 0xC0) == 0x80) stop--;
    memcpy(out + n, line + start, stop - start);
    n += stop - start;
    memcpy(out + n, "\r\n ", 3);
    n += 3;
    start = stop;
    limit = 74;
  }
  memcpy(out + n, line + start, len - start);
  return n + len - start;
}

/* ical.line(name, value, text) -> "NAME:value", folded; `text`: the value escaped as a TEXT
 * property's. (calendar.lua's every line: in Lua the escaping and folding were 1.5 % of a
 * region's build.) Written into buffers sized beforehand, not a character at a time through
 * luaL_addchar, and made a Lua string once. */
static int l_line(lua_State *L) {
  size_t name_len, value_len;
  const char *name = luaL_checklstring(L, 1, &name_len);
  const char *value = luaL_checklstring(L, 2, &value_len);
  int text = lua_toboolean(L, 3);
  luaL_Buffer whole;
  char *line = luaL_buffinitsize(L, &whole, name_len + 1 + (text ? 2 * value_len : value_len));
  memcpy(line, name, name_len);
  line[name_len] = ':';
  size_t len = name_len + 1;
  if (text) {
    len += put_text(line + len, value, value_len);
  } else {
    memcpy(line + len, value, value_len);
    len += value_len;
  }
  if (len <= 75) {
    luaL_pushresultsize(&whole, len);
    return 1;
  }
  luaL_Buffer folded;
  char *out = luaL_buffinitsize(L, &folded, len + 3 * (len / 74 + 1));
  luaL_pushresultsize(&folded, put_folded(out, line, len));
  return 1;
}

/* ical.uid_line(...) -> "UID:<32 hex digits>@nastavnik" for the identity that is its arguments
 * (strings) put together: two 64-bit FNV-1a hashes, of the identity and of "nastavnik\n" and
 * the identity, as fileio_fnv1a64 gives them. One call an event, the identity never made as a
 * string (calendar.lua made it and "nastavnik\n" .. it, two long strings an event, and called
 * C three times). Never longer than 75 octets: not folded, as ical.line would not. */
static int l_uid_line(lua_State *L) {
  int n = lua_gettop(L);
  unsigned long long first = FILEIO_FNV_START,
                     second = fileio_fnv1a64(FILEIO_FNV_START, "nastavnik\n", 10);
  for (int i = 1; i <= n; i++) {
    size_t size;
    const char *piece = luaL_checklstring(L, i, &size);
    first = fileio_fnv1a64(first, piece, size);
    second = fileio_fnv1a64(second, piece, size);
  }
  static const char digits[] = "0123456789abcdef";
  char line[4 + 32 + 10] = "UID:";
  for (int k = 0; k < 16; k++) {
    line[4 + k] = digits[(first >> (60 - 4 * k)) & 15];
    line[20 + k] = digits[(second >> (60 - 4 * k)) & 15];
  }
  memcpy(line + 36, "@nastavnik", 10);
  lua_pushlstring(L, line, sizeof line);
  return 1;
}

int luaopen_nastavnik_ical(lua_State *L) {
  static const luaL_Reg functions[] = {{"validate", l_validate}, {"today", l_today},
                                       {"now_utc", l_now_utc},   {"line", l_line},
                                       {"uid_line", l_uid_line}, {NULL, NULL}};
  luaL_newlib(L, functions);
  return 1;
}
