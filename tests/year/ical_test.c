/* ical.validate (generator/ical/ical_lua.c) checks each shape of VEVENT (and of the wrapper)
 * once, remembering those that passed from one call to the next; its messages must be those
 * of libical's own icalrestriction_check of the whole calendar, message for message and in
 * order, for calendars that pass and for calendars that fail at the first, a middle or the
 * last event, the wrapper, with a METHOD, with parse errors, and for the calendars after them
 * in the same process. */
#include <lauxlib.h>
#include <libical/ical.h>
#include <lualib.h>
#include <stdio.h>
#include <string.h>

#include "ical/ical_lua.h"

static int failures = 0;

/* The messages as libical alone gives them, joined by "\n" ("" when none). */
static void collect(icalcomponent *comp, char *out, size_t size) {
  for (icalproperty *p = icalcomponent_get_first_property(comp, ICAL_XLICERROR_PROPERTY); p;
       p = icalcomponent_get_next_property(comp, ICAL_XLICERROR_PROPERTY)) {
    const char *kind = icalcomponent_kind_to_string(icalcomponent_isa(comp));
    size_t used = strlen(out);
    snprintf(out + used, size - used, "%s: %s\n", kind ? kind : "?", icalproperty_get_xlicerror(p));
  }
  for (icalcomponent *c = icalcomponent_get_first_component(comp, ICAL_ANY_COMPONENT); c;
       c = icalcomponent_get_next_component(comp, ICAL_ANY_COMPONENT)) {
    collect(c, out, size);
  }
}

static void reference(const char *text, char *out, size_t size) {
  out[0] = '\0';
  icalcomponent *root = icalparser_parse_string(text);
  icalrestriction_check(root);
  collect(root, out, size);
  icalcomponent_free(root);
}

static void validated(lua_State *L, const char *text, char *out, size_t size) {
  out[0] = '\0';
  lua_getglobal(L, "ical");
  lua_getfield(L, -1, "validate");
  lua_pushstring(L, text);
  lua_call(L, 1, 2);
  if (lua_istable(L, -1)) {
    for (lua_Integer i = 1; lua_rawgeti(L, -1, i) == LUA_TSTRING; i++) {
      size_t used = strlen(out);
      snprintf(out + used, size - used, "%s\n", lua_tostring(L, -1));
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 3);
}

#define HEAD "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//RU\r\n"
#define DEADLINE(uid)                                                                   \
  "BEGIN:VEVENT\r\nUID:" uid                                                            \
  "\r\nDTSTAMP:20251201T000000Z\r\nDTSTART;VALUE=DATE:20250912\r\n"                     \
  "DTEND;VALUE=DATE:20250913\r\nSUMMARY:Срок\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\n" \
  "DESCRIPTION:Через неделю\r\nTRIGGER:-P7D\r\nEND:VALARM\r\nEND:VEVENT\r\n"
#define RECURRING(uid)                                                                               \
  "BEGIN:VEVENT\r\nUID:" uid                                                                         \
  "\r\nDTSTAMP:20251201T000000Z\r\nDTSTART;VALUE=DATE:20251031\r\n"                                  \
  "DTEND;VALUE=DATE:20251101\r\nRRULE:FREQ=YEARLY;BYMONTH=3,5;BYMONTHDAY=-1\r\nSUMMARY:Срок\r\n" \
  "END:VEVENT\r\n"
/* DTEND and DURATION both: fails libical's check */
#define BROKEN(uid)                                              \
  "BEGIN:VEVENT\r\nUID:" uid                                     \
  "\r\nDTSTAMP:20251201T000000Z\r\nDTSTART:20250912T100000Z\r\n" \
  "DTEND:20250912T110000Z\r\nDURATION:PT1H\r\nSUMMARY:Встреча\r\nEND:VEVENT\r\n"
/* two UIDs: fails too */
#define TWICE(uid)                          \
  "BEGIN:VEVENT\r\nUID:" uid "\r\nUID:" uid \
  "x\r\nDTSTAMP:20251201T000000Z\r\n"       \
  "DTSTART;VALUE=DATE:20250912\r\nSUMMARY:Срок\r\nEND:VEVENT\r\n"
#define BAD_VALUE(uid)                                                \
  "BEGIN:VEVENT\r\nUID:" uid                                          \
  "\r\nDTSTAMP:20251201T000000Z\r\nDTSTART;VALUE=DATE:2025-09-12\r\n" \
  "DTEND;VALUE=DATE:20250913\r\nSUMMARY:Срок\r\nEND:VEVENT\r\n"
#define TAIL "END:VCALENDAR\r\n"
/* an event of a known shape with its own SUMMARY and DESCRIPTION (plain_text takes those
 * written plainly as read; the others are read by libical: both must say what it says) */
#define TEXTS(uid, summary, description)                            \
  "BEGIN:VEVENT\r\nUID:" uid                                        \
  "\r\nDTSTAMP:20251201T000000Z\r\nDTSTART;VALUE=DATE:20250912\r\n" \
  "DTEND;VALUE=DATE:20250913\r\nSUMMARY:" summary                   \
  "\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\n"                          \
  "DESCRIPTION:" description "\r\nTRIGGER:-P7D\r\nEND:VALARM\r\nEND:VEVENT\r\n"

static const char *const CASES[] = {
    HEAD DEADLINE("a") DEADLINE("b") RECURRING("c") DEADLINE("d") RECURRING("e") TAIL,
    HEAD DEADLINE("a") BROKEN("b") DEADLINE("c") BROKEN("d") TAIL,
    HEAD BROKEN("a") BROKEN("b") DEADLINE("c") TAIL,
    HEAD DEADLINE("a") DEADLINE("b") TWICE("c") TWICE("d") TAIL,
    HEAD DEADLINE("a") DEADLINE("b") RECURRING("c") BROKEN("d") TAIL,
    HEAD DEADLINE("a") BAD_VALUE("b") DEADLINE("c") BAD_VALUE("d") BROKEN("e") TAIL,
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" DEADLINE("a") BROKEN("b") BROKEN("c") TAIL,
    HEAD "METHOD:PUBLISH\r\n" DEADLINE("a") DEADLINE("b") BROKEN("c") TAIL,
    HEAD "BEGIN:VTODO\r\nUID:t\r\nDTSTAMP:20251201T000000Z\r\nEND:VTODO\r\n" DEADLINE("a")
        DEADLINE("b") TAIL,
    HEAD DEADLINE("a") TAIL,
    HEAD TAIL,
    /* (the shapes that passed above, again: validate keeps them from one call to the next) */
    HEAD RECURRING("x") DEADLINE("y") TAIL,
    HEAD "VERSION:2.0\r\n" DEADLINE("a") RECURRING("b") TAIL,
    HEAD DEADLINE("a") BROKEN("b") TAIL,
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" DEADLINE("a") TAIL,
    /* (lines read before, each without an error, in a calendar that is not right as a whole) */
    HEAD "BEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20251201T000000Z\r\nDTSTART;VALUE=DATE:20250912\r\n"
         "DTSTART;VALUE=DATE:20250912\r\nSUMMARY:Срок\r\nEND:VEVENT\r\n" TAIL,
    HEAD "BEGIN:VEVENT\r\nUID:a\r\nVERSION:2.0\r\nDTSTAMP:20251201T000000Z\r\n"
         "DTSTART;VALUE=DATE:20250912\r\nSUMMARY:Срок\r\nEND:VEVENT\r\n" TAIL,
    HEAD "BEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20250912\r\nSUMMARY:Срок\r\nEND:VEVENT\r\n" TAIL,
    HEAD DEADLINE("a") "BEGIN:VTODO\r\nUID:t\r\nEND:VTODO\r\n" TAIL,
    HEAD "BEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20251201T000000Z\r\nDTSTART;VALUE=DATE:20250912\r\n"
         "DTEND;VALUE=DATE:20250913\r\nSUMMARY:Ср\r\n ок\r\nDURATION:PT1H\r\nEND:VEVENT\r\n" TAIL,
    HEAD DEADLINE("a") "BEGIN:VEVENT\r\nUID:b\r\nDTSTAMP:20251201T000000Z\r\n"
         "DTSTART;VALUE=DATE:2025-09-12\r\nDTEND;VALUE=DATE:20250913\r\nSUMMARY:Срок\r\nEND:VEVENT\r\n" TAIL,
    /* (a line that libical makes two properties of, among lines read before) */
    HEAD "BEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20251201T000000Z\r\nDTSTART;VALUE=DATE:20250912\r\n"
         "DTEND;VALUE=DATE:20250913\r\nCATEGORIES:Срок,Встреча\r\nEND:VEVENT\r\n" TAIL,
    /* (the calendar that passed first, again, and with one of its lines folded) */
    HEAD DEADLINE("a") DEADLINE("b") RECURRING("c") DEADLINE("d") RECURRING("e") TAIL,
    HEAD DEADLINE("a") "BEGIN:VEVENT\r\nUID:c\r\nDTSTAMP:20251201T000000Z\r\nDTSTART;VALUE=DATE:20251031\r\n"
         "DTEND;VALUE=DATE:20251101\r\nRRULE:FREQ=YEARLY;BYMONTH=3,5;\r\n BYMONTHDAY=-1\r\nSUMMARY:Срок\r\n"
         "END:VEVENT\r\n" TAIL,
    /* (UIDs written plainly, taken as read without libical; others, read by it: a parameter
     * that makes an error, a comma, an escape) */
    HEAD DEADLINE("9748f3e6d788998436ae413f8ffd6199@nastavnik") DEADLINE("b.c-D") TAIL,
    HEAD DEADLINE("a") "BEGIN:VEVENT\r\nUID;VALUE=DATE:x\r\nDTSTAMP:20251201T000000Z\r\n"
         "DTSTART;VALUE=DATE:20250912\r\nDTEND;VALUE=DATE:20250913\r\nSUMMARY:Срок\r\nEND:VEVENT\r\n" TAIL,
    HEAD DEADLINE("a,b") DEADLINE("a\\;b") DEADLINE("a b") TAIL,
    /* (texts: escaped and not, commas and semicolons bare, a backslash at the end, an unknown
     * escape, folded, bytes that are not UTF-8, blanks at the ends, empty, control characters,
     * a fold first; in a calendar that passes and beside an event that fails) */
    HEAD TEXTS("t1", "Срок: встреча\\, итог\\; план\\nещё", "Через неделю: a,b;c\\") TAIL,
    HEAD TEXTS("t2", "a\\qb \\x", "x\r\n yz\r\n \xff\xfe") TEXTS("t3", "\xd0", "a\\") TAIL,
    HEAD TEXTS("t4", " a", "b ") TEXTS("t5", "a\tb", "c\x7f") TAIL,
    HEAD TEXTS("t6", "", "x") TAIL,
    HEAD TEXTS("t7", "x", "") TAIL,
    HEAD TEXTS("t8", "\r\n x", "y") TEXTS("t9", " ", "\t") TAIL,
    HEAD TEXTS("t10", "Встреча: Иванов И. И.\\, Петров П. П.", "Организация: МБОУ «СОШ № 1»")
        BROKEN("t11") TAIL,
    /* (texts longer than a block of 16 bytes: folds and control characters past the first
     * block, at a block's end and in the bytes after the last whole block) */
    HEAD TEXTS("t13", "Срок: встреча наставника и наставляемого по плану\r\n  и итоги",
               "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ\r\n 0123456789")
        TEXTS("t14", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ\x01 конец",
              "abcdefghijklmno\x7fqrstuvwxyz") TAIL,
    HEAD TEXTS("t15", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ0\tz",
               "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ\r\nx")
        TAIL,
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//RU\r\nBEGIN:VEVENT\r\nUID:t12\r\n"
    "DTSTAMP:20251201T000000Z\r\nDTSTART;VALUE=DATE:20250912\r\nSUMMARY:a\r\nSUMMARY:b\r\n"
    "DESCRIPTION:c\r\nDESCRIPTION:d\r\nEND:VEVENT\r\n" TAIL,
};

/* ical.line: the TEXT escapes (non-breaking spaces plain, CRLF one newline) and the folding
 * at 75 octets, then 74 after the leading space, stepping back to the start of a character. */
static void check_line(lua_State *L, const char *name, const char *value, int text,
                       const char *want) {
  lua_getglobal(L, "ical");
  lua_getfield(L, -1, "line");
  lua_pushstring(L, name);
  lua_pushstring(L, value);
  lua_pushboolean(L, text);
  lua_call(L, 3, 1);
  const char *got = lua_tostring(L, -1);
  if (strcmp(got, want) != 0) {
    fprintf(stderr, "ical.line(%s): got\n%s\nwanted\n%s\n", name, got, want);
    failures++;
  }
  lua_pop(L, 2);
}

static void lines(lua_State *L) {
  check_line(L, "DESCRIPTION", "a;b,c\\d\r\ne\nf\u00a0g\r", 1,
             "DESCRIPTION:a\\;b\\,c\\\\d\\ne\\nf g\r");
  check_line(L, "RRULE", "FREQ=WEEKLY;BYDAY=MO,TU", 0, "RRULE:FREQ=WEEKLY;BYDAY=MO,TU");
  /* "X:" and 80 two-byte letters: 162 octets, cut before the letter the limit would split */
  char value[200] = "", want[240] = "X:";
  for (int i = 0; i < 80; i++) strcat(value, "\u0436");
  memcpy(want + 2, value, 72);
  memcpy(want + 74, "\r\n ", 3);
  memcpy(want + 77, value + 72, 74);
  memcpy(want + 151, "\r\n ", 3);
  strcpy(want + 154, value + 146);
  check_line(L, "X", value, 1, want);
  /* escapes past the first 16 bytes, at a block's last byte and its first, a non-breaking
   * space across two blocks, and in the bytes after the last whole block */
  check_line(L, "D", "0123456789abcde;f123456789abcd\u00a0ef\\23456789\r\nbcdef,123456789ab\nef0;2",
             1,
             "D:0123456789abcde\\;f123456789abcd ef\\\\23456789\\nbcdef\\,123456789ab\\nef0\\;2");
  check_line(L, "D", "МБОУ «СОШ № 1», г. Орёл; Иванов И. И.", 1,
             "D:МБОУ «СОШ № 1»\\, г. Орёл\\; Иванов И. И.");
}

int main(void) {
  lua_State *L = luaL_newstate();
  luaL_openlibs(L);
  luaL_requiref(L, "ical", luaopen_nastavnik_ical, 1);
  lua_pop(L, 1);
  lines(L);
  static char want[16384], got[16384];
  int failing = 0;
  for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
    reference(CASES[i], want, sizeof want);
    validated(L, CASES[i], got, sizeof got);
    if (strcmp(want, got) != 0) {
      fprintf(stderr, "case %zu: libical says\n%s-- validate says\n%s", i + 1, want, got);
      failures++;
    }
    if (want[0]) failing++;
  }
  /* the cases that fail must fail: otherwise the test shows nothing */
  if (failing < 6) {
    fprintf(stderr, "only %d cases fail libical's check\n", failing);
    failures++;
  }
  lua_close(L);
  if (failures == 0)
    printf("ical: %zu calendars, %d failing, as libical says\n", sizeof CASES / sizeof CASES[0],
           failing);
  return failures ? 1 : 0;
}
