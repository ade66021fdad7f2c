/* typeset_lua: see typeset_lua.h. Each step is the function of the same name in
 * scripts/nastavnik/russian.lua, read the same way (indices here from 0). */
#define _GNU_SOURCE /* memmem */
#include "typeset_lua.h"

#include <lauxlib.h>
#include <stddef.h>
#include <string.h>

#define NBSP "\xC2\xA0"
#define OPEN_QUOTE "\xC2\xAB"      /* « */
#define CLOSE_QUOTE "\xC2\xBB"     /* » */
#define LOW_QUOTE "\xE2\x80\x9E"   /* „ */
#define HIGH_QUOTE "\xE2\x80\x9C"  /* “ */
#define NUMBER_SIGN "\xE2\x84\x96" /* № */
#define LETTER_G "\xD0\xB3"        /* г */
#define MAY_BIND_LONGEST 8

/* A text of bytes: a part of the text being typeset. */
typedef struct {
  const char *s;
  size_t len;
} Text;

static int is_space(unsigned char c) {
  return c == ' ' || (c >= 9 && c <= 13);
} /* Lua's %s */
static int is_digit(unsigned char c) {
  return c >= '0' && c <= '9';
}

static int equals(const char *s, size_t len, const char *word) {
  return strlen(word) == len && memcmp(s, word, len) == 0;
}

static int starts(const char *s, size_t len, const char *prefix) {
  size_t n = strlen(prefix);
  return len >= n && memcmp(s, prefix, n) == 0;
}

/* The first occurrence of word (wlen bytes) in s[0, len), or NULL: found by memchr of its
 * byte `key`, one a Russian text seldom holds (glibc's memmem costs ~900 instructions a call
 * on a typeset text, more than the scans it spares). */
static const char *find_by(const char *s, size_t len, const char *word, size_t wlen, size_t key) {
  size_t from = key; /* where word[key] may be */
  while (from < len && len - from >= wlen - key) {
    const char *at = memchr(s + from, (unsigned char)word[key], len - from - (wlen - key - 1));
    if (!at) return NULL;
    const char *start = at - key;
    if (memcmp(start, word, wlen) == 0) return start;
    from = (size_t)(at - s) + 1;
  }
  return NULL;
}

/* Whether the text is the UTF-8 this module reads: no NUL, characters of one to three bytes,
 * none overlong, no surrogate (utf8.len would take it; four-byte ones are left to Lua). */
static int plain_utf8(const unsigned char *s, size_t len) {
  for (size_t i = 0; i < len;) {
    unsigned char c = s[i];
    if (c >= 0x01 && c < 0x80) {
      i++;
    } else if (c >= 0xC2 && c <= 0xDF) {
      if (i + 1 >= len || (s[i + 1] & 0xC0) != 0x80) return 0;
      i += 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      if (i + 2 >= len || (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80) return 0;
      if (c == 0xE0 && s[i + 1] < 0xA0) return 0;  /* overlong */
      if (c == 0xED && s[i + 1] >= 0xA0) return 0; /* a surrogate */
      i += 3;
    } else {
      return 0;
    }
  }
  return 1;
}

/* ---- nest_quotes ---------------------------------------------------------------------- */

/* What one quote (", «, ») is printed as after `prev` (the character printed before it, "" at
 * the text's start), with *depth quotes open (russian.lua's nested). */
static const char *nested(const char *ch, Text prev, int *depth) {
  if (strcmp(ch, "\"") == 0) {
    int opening = prev.len == 0 ||
                  (prev.len == 1 &&
                   (is_space((unsigned char)prev.s[0]) || prev.s[0] == '(' || prev.s[0] == '[')) ||
                  equals(prev.s, prev.len, NBSP) || equals(prev.s, prev.len, OPEN_QUOTE) ||
                  equals(prev.s, prev.len, LOW_QUOTE);
    ch = opening ? OPEN_QUOTE : CLOSE_QUOTE;
  }
  if (strcmp(ch, OPEN_QUOTE) == 0) {
    ch = *depth > 0 ? LOW_QUOTE : OPEN_QUOTE;
    (*depth)++;
  } else if (strcmp(ch, CLOSE_QUOTE) == 0) {
    (*depth)--;
    if (*depth > 0)
      ch = HIGH_QUOTE;
    else if (*depth < 0)
      *depth = 0;
  }
  return ch;
}

/* The text with its quotes nested, pushed; 0 (nothing pushed) when it has no opening quote or
 * its quotes are nested already (most: an organisation's «name»), which is then not copied. */
static int nest_quotes(lua_State *L, Text t) {
  if (!memchr(t.s, '"', t.len) && !find_by(t.s, t.len, OPEN_QUOTE, 2, 0)) return 0;
  luaL_Buffer b;
  int changed = 0;
  int depth = 0;
  size_t from = 0, last_end = 0;
  int after_quote = 0; /* whether a quote ended right before last_end */
  const char *last_printed = "";
  for (size_t i = 0; i < t.len;) {
    const char *ch;
    size_t len;
    if (t.s[i] == '"') {
      ch = "\"", len = 1;
    } else if (starts(t.s + i, t.len - i, OPEN_QUOTE)) {
      ch = OPEN_QUOTE, len = 2;
    } else if (starts(t.s + i, t.len - i, CLOSE_QUOTE)) {
      ch = CLOSE_QUOTE, len = 2;
    } else {
      i++;
      continue;
    }
    Text prev;
    if (i == 0) {
      prev = (Text){"", 0};
    } else if (after_quote && last_end == i) {
      prev = (Text){last_printed, strlen(last_printed)};
    } else { /* the character before: back over its continuation bytes */
      size_t start = i - 1;
      while (start > 0 && ((unsigned char)t.s[start] & 0xC0) == 0x80) start--;
      prev = (Text){t.s + start, i - start};
    }
    ch = nested(ch, prev, &depth);
    if (strlen(ch) != len || memcmp(ch, t.s + i, len) != 0) {
      if (!changed) luaL_buffinit(L, &b), changed = 1;
      luaL_addlstring(&b, t.s + from, i - from);
      luaL_addstring(&b, ch);
      from = i + len;
    }
    last_end = i + len, after_quote = 1, last_printed = ch;
    i += len;
  }
  if (!changed) return 0;
  luaL_addlstring(&b, t.s + from, t.len - from);
  luaL_pushresult(&b);
  return 1;
}

/* ---- "№" and "г." ---------------------------------------------------------------------- */

/* "№" and the spaces after it as "№" and a non-breaking space; pushed, or 0. */
static int number_sign_bound(lua_State *L, Text t) {
  if (!find_by(t.s, t.len, NUMBER_SIGN, 3, 0)) return 0;
  luaL_Buffer b;
  int changed = 0;
  size_t from = 0, at = 0;
  for (;;) {
    const char *found = find_by(t.s + at, t.len - at, NUMBER_SIGN, 3, 0);
    if (!found) break;
    size_t after = (size_t)(found - t.s) + 3, k = after;
    while (k < t.len && is_space((unsigned char)t.s[k])) k++;
    if (k > after) {
      if (!changed) luaL_buffinit(L, &b), changed = 1;
      luaL_addlstring(&b, t.s + from, after - from);
      luaL_addstring(&b, NBSP);
      from = k;
    }
    at = k;
  }
  if (!changed) return 0;
  luaL_addlstring(&b, t.s + from, t.len - from);
  luaL_pushresult(&b);
  return 1;
}

/* gsub("(%d)%s+(<word>)", "%1" .. NBSP .. "%2") for a word that starts with no space: pushed,
 * or 0 when nothing matches. */
static int year_bound(lua_State *L, Text t, const char *word) {
  size_t wlen = strlen(word);
  /* most texts have no year in them: its word found by its final ".", not looked for digit
   * by digit */
  if (!find_by(t.s, t.len, word, wlen, wlen - 1)) return 0;
  luaL_Buffer b;
  int changed = 0;
  size_t from = 0;
  for (size_t p = 0; p + 1 < t.len; p++) {
    if (!is_digit((unsigned char)t.s[p]) || !is_space((unsigned char)t.s[p + 1])) continue;
    size_t j = p + 1;
    while (j < t.len && is_space((unsigned char)t.s[j])) j++;
    if (!starts(t.s + j, t.len - j, word)) continue;
    if (!changed) luaL_buffinit(L, &b), changed = 1;
    luaL_addlstring(&b, t.s + from, p + 1 - from);
    luaL_addstring(&b, NBSP);
    from = j;
    p = j + wlen - 1;
  }
  if (!changed) return 0;
  luaL_addlstring(&b, t.s + from, t.len - from);
  luaL_pushresult(&b);
  return 1;
}

/* ---- the words --------------------------------------------------------------------------- */

/* Words that never end a line (russian.lua's SHORT_WORDS), and their capitalised forms. */
static const char *const SHORT_WORDS[] = {
    "а",  "в",   "во", "да", "до", "за", "и", "из", "к",   "ко", "на", "не", "ни", "но", "о",
    "об", "обо", "от", "по", "с",  "со", "у", "А",  "В",   "Во", "Да", "До", "За", "И",  "Из",
    "К",  "Ко",  "На", "Не", "Ни", "Но", "О", "Об", "Обо", "От", "По", "С",  "Со", "У",  NULL};
static const char *const ABBREVIATIONS[] = {"г.",   "с.",  "п.",  "д.",   "ул.",
                                            "пос.", "им.", "пр.", "пер.", NULL};

/* The longest word of SHORT_WORDS and ABBREVIATIONS, in bytes ("пос.", "пер."): a longer
 * token (most are) is no word of theirs, without a strlen for each (typesetting a region's
 * texts compared each token with every word of the list: 444 k strlen calls on region-20). */
enum { LISTED_LONGEST = 7 };

static int listed(const char *const *list, const char *s, size_t len) {
  if (len > LISTED_LONGEST) return 0;
  for (; *list; list++)
    if (equals(s, len, *list)) return 1;
  return 0;
}

/* Whether the token, without the opening quotes and brackets it may stand behind, is a short
 * word (bare). */
static int short_word(const char *s, size_t len) {
  for (int stripped = 1; stripped;) {
    stripped = 0;
    if (starts(s, len, OPEN_QUOTE) || starts(s, len, LOW_QUOTE) || starts(s, len, "\"") ||
        starts(s, len, "(")) {
      size_t n = s[0] == '"' || s[0] == '(' ? 1 : (s[0] == '\xC2' ? 2 : 3);
      s += n, len -= n, stripped = 1;
    }
  }
  return listed(SHORT_WORDS, s, len);
}

static int phone_char(unsigned char c) {
  return is_digit(c) || c == '(' || c == ')' || c == '+' || c == '-';
}

/* "^[%d%(%)%+%-]*%d[%d%(%)%+%-]*[,;]?$": "8", "(39100)", "2-14-37", "+7". */
static int phone(const char *s, size_t len) {
  if (len > 0 && (s[len - 1] == ',' || s[len - 1] == ';')) len--;
  int digit = 0;
  for (size_t i = 0; i < len; i++) {
    if (!phone_char((unsigned char)s[i])) return 0;
    digit |= is_digit((unsigned char)s[i]);
  }
  return digit;
}

static int number(const char *s, size_t len) {
  for (size_t i = 0; i < len; i++)
    if (!is_digit((unsigned char)s[i])) return 0;
  return len > 0;
}

/* "«А»": «, one character (no space, no byte of »), ». */
static int class_letter(const char *s, size_t len) {
  if (len < 5 || !starts(s, len, OPEN_QUOTE) || memcmp(s + len - 2, CLOSE_QUOTE, 2) != 0) return 0;
  const unsigned char *mid = (const unsigned char *)s + 2;
  size_t n = len - 4;
  for (size_t i = 0; i < n; i++)
    if (is_space(mid[i]) || mid[i] == 0xC2 || mid[i] == 0xBB) return 0;
  /* one character: a lead byte, then continuation bytes only */
  for (size_t i = 1; i < n; i++)
    if ((mid[i] & 0xC0) != 0x80) return 0;
  return (mid[0] & 0xC0) != 0x80;
}

/* Whether a token starts a word: a quote, a Latin or Cyrillic letter (is_word_start). */
static int word_start(const char *s, size_t len) {
  const unsigned char *u = (const unsigned char *)s;
  if (u[0] >= 0x80 && u[0] < 0xC2) return 0;
  if (u[0] > 0xF4) return 0;
  size_t first = 1;
  while (first < len && (u[first] & 0xC0) == 0x80) first++;
  if (equals(s, first, OPEN_QUOTE) || equals(s, first, LOW_QUOTE) || equals(s, first, "\""))
    return 1;
  if (first == 1) return (u[0] >= 'A' && u[0] <= 'Z') || (u[0] >= 'a' && u[0] <= 'z');
  unsigned cp;
  if (first == 2)
    cp = ((u[0] & 0x1Fu) << 6) | (u[1] & 0x3Fu);
  else if (first == 3)
    cp = ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
  else
    return 0; /* (four bytes: not a plain text, never met here) */
  return (cp >= 0x410 && cp <= 0x44F) || cp == 0x401 || cp == 0x451;
}

/* Whether s[start, stop) is a dash, which never starts a line. */
static int dash(const char *s, size_t start, size_t stop) {
  size_t n = stop - start;
  if (n == 1) return s[start] == '-';
  return n == 3 &&
         (memcmp(s + start, "\xE2\x80\x93", 3) == 0 || memcmp(s + start, "\xE2\x80\x94", 3) == 0);
}

/* Whether the space between the token a = s[a_start, a_stop) and the next, s[b_start,
 * b_stop), must not break; the token before a is s[before_start, before_stop) when has_before
 * (russian.lua's binds with token_class). */
static int binds(const char *s, int has_before, size_t before_start, size_t before_stop,
                 size_t a_start, size_t a_stop, size_t b_start, size_t b_stop) {
  const char *a = s + a_start;
  size_t alen = a_stop - a_start;
  int is_short = short_word(a, alen), is_abbreviation = listed(ABBREVIATIONS, a, alen);
  int is_number = number(a, alen), is_class_letter = class_letter(a, alen),
      is_phone = phone(a, alen);
  if (!(is_short || is_abbreviation || is_number || is_class_letter || is_phone))
    return dash(s, b_start, b_stop);
  if (is_short) return 1;
  if (is_abbreviation) {
    /* "г." after a number is the year's, which binds backwards: "2023 г. Лесосибирск" */
    int digit_before = has_before && is_digit((unsigned char)s[before_stop - 1]);
    if (!(equals(a, alen, "г.") && digit_before)) return 1;
  }
  if (dash(s, b_start, b_stop)) return 1;
  const char *b = s + b_start;
  size_t blen = b_stop - b_start;
  if (is_number && word_start(b, blen) && !short_word(b, blen) &&
      !(has_before && equals(s + before_start, before_stop - before_start, NUMBER_SIGN)))
    return 1; /* a number with its word: "12 пар", "7 «А»" (not a number's "№ 12 пар") */
  if (is_class_letter) return 1;
  if (is_phone && phone(b, blen)) return 1;
  return 0;
}

static int may_bind_first(unsigned char c) {
  return c == '(' || c == ')' || c == '+' || c == '-' || c == '"' || c == 0xC2 || c == 0xE2 ||
         is_digit(c);
}

/* Word by word: a single plain space between two words made non-breaking where they bind;
 * pushed, or 0 when none does. */
static int words_bound(lua_State *L, Text t) {
  if (!memchr(t.s, ' ', t.len)) return 0;
  const char *s = t.s;
  size_t len = t.len;
  int other_blanks = memchr(s, '\n', len) || memchr(s, '\t', len) || memchr(s, '\r', len);
  luaL_Buffer b;
  int changed = 0;
  size_t from = 0;
  int has_prev = 0, has_before = 0, prev_may_bind = 0;
  size_t before_start = 0, before_stop = 0, prev_start = 0, prev_stop = 0;
  for (size_t at = 0; at < len;) {
    size_t stop = at;
    if (other_blanks) {
      while (stop < len && s[stop] != ' ' && s[stop] != '\n' && s[stop] != '\r' && s[stop] != '\t')
        stop++;
    } else {
      const char *space = memchr(s + at, ' ', len - at);
      stop = space ? (size_t)(space - s) : len;
    }
    if (stop > at) {
      if (has_prev && at == prev_stop + 1 && s[prev_stop] == ' ') {
        int bound = prev_may_bind ? binds(s, has_before, before_start, before_stop, prev_start,
                                          prev_stop, at, stop)
                                  : dash(s, at, stop);
        if (bound) {
          if (!changed) luaL_buffinit(L, &b), changed = 1;
          luaL_addlstring(&b, s + from, prev_stop - from);
          luaL_addstring(&b, NBSP);
          from = at;
        }
      }
      has_before = has_prev, before_start = prev_start, before_stop = prev_stop;
      has_prev = 1, prev_start = at, prev_stop = stop;
      prev_may_bind = stop - at <= MAY_BIND_LONGEST || may_bind_first((unsigned char)s[at]);
    }
    at = stop + 1;
  }
  if (!changed) return 0;
  luaL_addlstring(&b, s + from, len - from);
  luaL_pushresult(&b);
  return 1;
}

/* The current text: the string at the top of the stack. */
static Text top(lua_State *L) {
  Text t;
  t.s = lua_tolstring(L, -1, &t.len);
  return t;
}

/* The string at the top of the stack replaced by its typeset text; 0 (the string left as it
 * is) when it is not plain UTF-8. Each step that changes the text pushes its result, which the
 * next reads. */
static int typeset_top(lua_State *L) {
  int base = lua_gettop(L);
  Text t = top(L);
  if (!plain_utf8((const unsigned char *)t.s, t.len)) return 0;
  luaL_checkstack(L, 8, "typeset");
  nest_quotes(L, top(L));
  number_sign_bound(L, top(L));
  year_bound(L, top(L), LETTER_G ".");
  year_bound(L, top(L), LETTER_G LETTER_G ".");
  words_bound(L, top(L));
  if (lua_gettop(L) > base) {
    lua_replace(L, base);
    lua_settop(L, base);
  }
  return 1;
}

/* typeset(s) -> the text typeset, or nil (typeset_lua.h). */
static int l_typeset(lua_State *L) {
  if (lua_type(L, 1) != LUA_TSTRING) return 0;
  lua_settop(L, 1);
  return typeset_top(L);
}

/* ---- view: russian.nbsp_view's walk ------------------------------------------------------ */

/* The texts view has typeset, remembered (upvalue 1, the count in upvalue 2): a model says the
 * same texts many times. Emptied when VIEW_MEMO texts are kept, as text.memo is. */
#define VIEW_MEMO 1000

typedef struct {
  int seen;     /* table -> its copy (or itself, for a tree already in print form) */
  int fallback; /* russian.lua's typeset, for the texts typeset_top leaves */
} Walk;

/* The string at the top of the stack replaced by its print form. */
static void view_text(lua_State *L, const Walk *w) {
  lua_pushvalue(L, -1);
  if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) {
    lua_replace(L, -2);
    return;
  }
  lua_pop(L, 1);
  lua_pushvalue(L, -1); /* the text, the key of the memo */
  if (!typeset_top(L)) {
    lua_pushvalue(L, w->fallback);
    lua_insert(L, -2);
    lua_call(L, 1, 1);
  }
  lua_Integer count = lua_tointeger(L, lua_upvalueindex(2));
  if (count >= VIEW_MEMO) {
    lua_newtable(L);
    lua_replace(L, lua_upvalueindex(1));
    count = 0;
  }
  lua_pushinteger(L, count + 1);
  lua_replace(L, lua_upvalueindex(2));
  lua_pushvalue(L, -2);
  lua_pushvalue(L, -2);
  lua_rawset(L, lua_upvalueindex(1)); /* memo[text] = typeset */
  lua_replace(L, -2);
}

/* Whether a key is the model's bookkeeping («__…»), kept as it is. */
static int bookkeeping(lua_State *L, int key) {
  if (lua_type(L, key) != LUA_TSTRING) return 0;
  size_t len;
  const char *k = lua_tolstring(L, key, &len);
  return len >= 2 && k[0] == '_' && k[1] == '_';
}

/* Pushes the copy of the table at `v` (absolute index), every text of it typeset: the order
 * of its keys as next gives them, as russian.lua's walk puts them (so the copy is laid out
 * the same and pairs walks it in the same order). */
static void view_table(lua_State *L, int v, const Walk *w) {
  luaL_checkstack(L, 8, "nbsp_view");
  lua_newtable(L);
  int copy = lua_gettop(L);
  lua_pushvalue(L, v);
  lua_pushvalue(L, copy);
  lua_rawset(L, w->seen);
  lua_pushnil(L);
  while (lua_next(L, v)) {
    int kind = lua_type(L, -1);
    if (kind == LUA_TSTRING) {
      if (!bookkeeping(L, -2)) view_text(L, w);
    } else if (kind == LUA_TTABLE && !bookkeeping(L, -2)) {
      lua_pushvalue(L, -1);
      if (lua_rawget(L, w->seen) == LUA_TNIL) {
        lua_pop(L, 1);
        view_table(L, lua_gettop(L), w);
      }
      lua_replace(L, -2);
    }
    lua_pushvalue(L, -2);
    lua_insert(L, -2);
    lua_rawset(L, copy);
  }
}

/* view(v, seen, fallback) -> russian.nbsp_view(v) with `seen` (table -> what stands for it)
 * holding the trees already in print form, `fallback` russian.lua's typeset. In Lua the walk
 * was 6 % of a region's build (a call per text to the memo, a table per table). */
static int l_view(lua_State *L) {
  Walk w = {2, 3};
  luaL_checktype(L, 2, LUA_TTABLE);
  lua_settop(L, 3);
  int kind = lua_type(L, 1);
  if (kind == LUA_TSTRING) {
    lua_pushvalue(L, 1);
    view_text(L, &w);
    return 1;
  }
  if (kind != LUA_TTABLE) {
    lua_pushvalue(L, 1);
    return 1;
  }
  lua_pushvalue(L, 1);
  if (lua_rawget(L, w.seen) != LUA_TNIL) return 1;
  lua_pop(L, 1);
  view_table(L, 1, &w);
  return 1;
}

/* ---- trim: text.lua's ------------------------------------------------------------------- */

/* trim(s) -> s without the spaces at both ends, its non-breaking spaces made plain ones first
 * (text.trim, byte for byte: Lua's %s is the C locale's space, 9–13 and 32). Asked of every
 * text field of a description, twice in a region's build: in Lua it was 7 % of reading one. */
/* The first non-breaking space of s[from, len), or NULL: its first byte found by memchr (Cyrillic
 * texts seldom hold \xC2; glibc's memmem was 430 instructions a call on a field's text). */
static const char *find_nbsp(const char *s, size_t from, size_t len) {
  while (from + 1 < len) {
    const char *at = memchr(s + from, 0xC2, len - from - 1);
    if (!at) return NULL;
    if ((unsigned char)at[1] == 0xA0) return at;
    from = (size_t)(at - s) + 1;
  }
  return NULL;
}

static int l_trim(lua_State *L) {
  luaL_checktype(L, 1, LUA_TSTRING);
  size_t len;
  const char *s = lua_tolstring(L, 1, &len);
  const char *at = find_nbsp(s, 0, len);
  if (at) {
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    size_t from = 0;
    for (; at; at = find_nbsp(s, from, len)) {
      luaL_addlstring(&b, s + from, (size_t)(at - s) - from);
      luaL_addchar(&b, ' ');
      from = (size_t)(at - s) + 2;
    }
    luaL_addlstring(&b, s + from, len - from);
    luaL_pushresult(&b);
    lua_replace(L, 1);
    s = lua_tolstring(L, 1, &len);
  }
  size_t first = 0, last = len;
  while (first < len && is_space((unsigned char)s[first])) first++;
  while (last > first && is_space((unsigned char)s[last - 1])) last--;
  if (first == 0 && last == len) {
    lua_settop(L, 1);
  } else {
    lua_pushlstring(L, s + first, last - first);
  }
  return 1;
}

/* ---- lower, upper: text.lua's ------------------------------------------------------------ */

/* lower(s) -> text.lower(s): s:gsub("\208[\129\144-\175]", LOWER):lower(), byte for byte — the
 * capitals А–Я and Ё lowered (Р–Я and Ё move to the lead byte \209), then the ASCII ones.
 * gsub tried its pattern at every byte and added the bytes to its buffer one by one, about 150
 * instructions a byte: text.lower of the long texts (deadlines, recurrences, the roadmap's
 * words) was 5 % of reading and validating a region's organisations. */
static int l_lower(lua_State *L) {
  luaL_checktype(L, 1, LUA_TSTRING);
  size_t len;
  const unsigned char *s = (const unsigned char *)lua_tolstring(L, 1, &len);
  luaL_Buffer b;
  unsigned char *out = (unsigned char *)luaL_buffinitsize(L, &b, len);
  for (size_t i = 0; i < len; i++) {
    unsigned char c = s[i];
    if (c == 0xD0 && i + 1 < len) {
      unsigned char d = s[i + 1];
      if (d == 0x81) { /* Ё -> ё */
        out[i] = 0xD1;
        out[++i] = 0x91;
        continue;
      }
      if (d >= 0x90 && d <= 0x9F) { /* А–П -> а–п */
        out[i] = 0xD0;
        out[++i] = (unsigned char)(d + 0x20);
        continue;
      }
      if (d >= 0xA0 && d <= 0xAF) { /* Р–Я -> р–я */
        out[i] = 0xD1;
        out[++i] = (unsigned char)(d - 0x20);
        continue;
      }
    }
    out[i] = c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
  }
  luaL_pushresultsize(&b, len);
  return 1;
}

/* upper(s) -> text.upper(s): s:gsub("[\208\209][\128-\191]", UPPER):upper() — the two bytes
 * of a match kept when they are not a small letter а–я or ё. */
static int l_upper(lua_State *L) {
  luaL_checktype(L, 1, LUA_TSTRING);
  size_t len;
  const unsigned char *s = (const unsigned char *)lua_tolstring(L, 1, &len);
  luaL_Buffer b;
  unsigned char *out = (unsigned char *)luaL_buffinitsize(L, &b, len);
  for (size_t i = 0; i < len; i++) {
    unsigned char c = s[i];
    if ((c == 0xD0 || c == 0xD1) && i + 1 < len && s[i + 1] >= 0x80 && s[i + 1] <= 0xBF) {
      unsigned char d = s[i + 1];
      if (c == 0xD0 && d >= 0xB0) { /* а–п -> А–П */
        out[i] = 0xD0;
        out[i + 1] = (unsigned char)(d - 0x20);
      } else if (c == 0xD1 && d <= 0x8F) { /* р–я -> Р–Я */
        out[i] = 0xD0;
        out[i + 1] = (unsigned char)(d + 0x20);
      } else if (c == 0xD1 && d == 0x91) { /* ё -> Ё */
        out[i] = 0xD0;
        out[i + 1] = 0x81;
      } else {
        out[i] = c;
        out[i + 1] = d;
      }
      i++;
      continue;
    }
    out[i] = c >= 'a' && c <= 'z' ? (unsigned char)(c - 32) : c;
  }
  luaL_pushresultsize(&b, len);
  return 1;
}

int luaopen_nastavnik_typeset(lua_State *L) {
  static const luaL_Reg functions[] = {{"typeset", l_typeset},
                                       {"trim", l_trim},
                                       {"lower", l_lower},
                                       {"upper", l_upper},
                                       {NULL, NULL}};
  luaL_newlib(L, functions);
  lua_newtable(L);
  lua_pushinteger(L, 0);
  lua_pushcclosure(L, l_view, 2);
  lua_setfield(L, -2, "view");
  return 1;
}
