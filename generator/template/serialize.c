/*
 * serialize: writes a libxml2 tree back to XML bytes. libxml2's own writer (xmlsave.c) goes
 * through an output-buffer layer call by call and was a sixth of a fill's time; this one
 * appends to one growing buffer and escapes text in runs. It writes what WordprocessingML and
 * ODF parts hold: the declaration, elements with their namespace declarations and attributes,
 * text, CDATA, comments, processing instructions and entity references. Text is escaped as
 * libxml2 escapes it (& < > in text; & < > " and tab/newline/CR in attributes; CR as &#13;).
 * Past the output's limit, or when memory runs out (memory_failed() then says so), writing
 * stops: the caller reports it and writes nothing.
 */
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "memory.h"
#include "rowmemo.h"
#include "tmpl.h"
#include "xmlarena.h"

static int grow(TmplOut *o, size_t n) {
  if (o->over) return 0;
  if (o->limit && o->len + n > o->limit) {
    o->over = 1;
    return 0;
  }
  size_t cap = o->cap ? o->cap : 65536;
  while (cap < o->len + n + 1) cap *= 2;
  char *data = memory_realloc(o->data, cap);
  if (!data) {
    o->over = 1;
    return 0;
  }
  o->data = data;
  o->cap = cap;
  return 1;
}

static inline void put(TmplOut *o, const char *s, size_t n) {
  if (o->len + n + 1 > o->cap && !grow(o, n)) return;
  memcpy(o->data + o->len, s, n);
  o->len += n;
}

static inline void puts_(TmplOut *o, const char *s) {
  put(o, s, strlen(s));
}

/* 1: escaped in text and attributes; 2: only in attributes; the NUL ends the string. */
static const unsigned char special[256] = {
    ['\0'] = 1, ['&'] = 1, ['<'] = 1, ['>'] = 1, ['\r'] = 1, ['"'] = 2, ['\n'] = 2, ['\t'] = 2,
};

/* Whether the 8 bytes at s hold no special character: none below 0x20 (NUL, CR, tab, newline),
 * none of < > (0x3C 0x3E: equal once bit 1 is set) and none of & " (0x26 0x22: once bit 2 is
 * set). Each test is exact about whether such a byte is there; a tab, newline or " in text
 * (special only in attributes) fails a word too, which the bytes' loop then reads. */
static inline int plain_word(const unsigned char *s) {
  const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
  uint64_t w;
  memcpy(&w, s, 8);
  uint64_t angle = (w | 0x02 * ones) ^ 0x3E * ones, amp = (w | 0x04 * ones) ^ 0x26 * ones;
  uint64_t found = ((w - 0x20 * ones) & ~w) | ((angle - ones) & ~angle) | ((amp - ones) & ~amp);
  return !(found & high);
}

#ifdef __SSE2__
/* The special characters of text among the 16 bytes at s, a bit each (& < > and CR: the NUL
 * ends the text, which the caller measured). */
static inline unsigned special16(const unsigned char *s) {
  __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
  __m128i hit = _mm_or_si128(
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('&')), _mm_cmpeq_epi8(v, _mm_set1_epi8('<'))),
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('>')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))));
  return (unsigned)_mm_movemask_epi8(hit);
}
#endif

/* Text written escaped, its plain stretches found 16 bytes at a time (text; the words of 8
 * below serve attributes and the last bytes): a part's text nodes, scanned byte by byte, were
 * most of this function's 22 M instructions on a region-5 build, and 8 bytes at a time still
 * 15 M of a region-20 DOCX build. */
static void escaped(TmplOut *o, const xmlChar *text, int attribute) {
  if (!text) return;
  const unsigned char *s = text, *run = s, *end = s + strlen((const char *)text);
  unsigned char mask = attribute ? 3 : 1;
  for (;;) {
    for (;;) {
#ifdef __SSE2__
      if (!attribute) {
        unsigned hit = 0;
        while (end - s >= 16 && !(hit = special16(s))) s += 16;
        if (!hit && s < end && end - (const unsigned char *)text >= 16) {
          /* the last bytes: the block ending at the end, less what lies before s (read, or a
           * character already replaced) */
          hit = special16(end - 16) >> (16 - (end - s));
          if (!hit) s = end;
        }
        if (hit) {
          s += __builtin_ctz(hit);
          break;
        }
      }
#endif
      while (end - s >= 8 && plain_word(s)) s += 8;
      const unsigned char *stop = end - s >= 8 ? s + 8 : end + 1; /* (end + 1: the NUL too) */
      while (s < stop && !(special[*s] & mask)) s++;
      if (s < stop) break;
    }
    put(o, (const char *)run, (size_t)(s - run));
    const char *rep;
    switch (*s) {
      case '\0':
        return;
      case '&':
        rep = "&amp;";
        break;
      case '<':
        rep = "&lt;";
        break;
      case '>':
        rep = "&gt;";
        break;
      case '\r':
        rep = "&#13;";
        break;
      case '"':
        rep = "&quot;";
        break;
      case '\n':
        rep = "&#10;";
        break;
      default:
        rep = "&#9;";
        break;
    }
    puts_(o, rep);
    run = ++s;
  }
}

/* An attribute's value: most are a few bytes without a special character ("24", "center"),
 * copied byte by byte as they are scanned while the buffer has room (a call to memcpy per
 * value cost more than the bytes); the rest, and a value that goes on, as escaped() writes. */
enum { SHORT_VALUE = 32 };

static inline __attribute__((always_inline)) void attribute_value(TmplOut *o, const xmlChar *text) {
  const unsigned char *s = text;
  if (s && o->len + SHORT_VALUE < o->cap) {
    char *d = o->data + o->len, *end = d + SHORT_VALUE;
    /* (four bytes a step, each read once the one before it is known not to end the string:
     * the test of the room once a step, not once a byte) */
    while (d < end) {
      if (special[s[0]] & 3) break;
      d[0] = (char)s[0];
      if (special[s[1]] & 3) {
        s += 1, d += 1;
        break;
      }
      d[1] = (char)s[1];
      if (special[s[2]] & 3) {
        s += 2, d += 2;
        break;
      }
      d[2] = (char)s[2];
      if (special[s[3]] & 3) {
        s += 3, d += 3;
        break;
      }
      d[3] = (char)s[3];
      s += 4, d += 4;
    }
    o->len = (size_t)(d - o->data);
    if (!*s) return;
  }
  escaped(o, s, 1);
}

/* A name as it is written, with what stands around it, put together once per writing of a
 * part: "<prefix:name" (an element's start), "</prefix:name>" (its end) or " prefix:name=\""
 * (an attribute). A part names a few dozen elements and attributes tens of thousands of times,
 * and measuring and copying the pieces apart was half of writing it. Keyed by the strings'
 * addresses, which stay the same while one tree is written (names are its dictionary's);
 * `written` tells one writing from the next: a slot of another writing, whose tree may be
 * gone, is trusted only once its bytes are compared with the strings (qname_miss). A name found is
 * copied as a whole QNAME_ROOM bytes when the buffer has that room (a copy of a constant size is a
 * few moves, one of a varying size a call to memcpy; 32 bytes, two moves, hold nearly every name a
 * part uses, 64 took twice the moves), its length then counted; that path is inlined
 * in element(), the rest is not. (A fill's keys and parts in its arena are one writing:
 * begin_writing.) */
enum { QNAMES = 1024, QNAME_MAX = 29, QNAME_ROOM = 32 };
typedef enum { Q_START, Q_END, Q_ATTRIBUTE, Q_KINDS } QKind;

typedef struct {
  const xmlChar *prefix, *name;
  unsigned long written;
  size_t len;
  char text[QNAME_ROOM];
} QName;

static QName qnames[Q_KINDS][QNAMES];
static unsigned long writing;

static inline QName *qname_slot(QKind kind, const xmlChar *prefix, const xmlChar *name) {
  /* dictionary strings lie a few bytes apart: their addresses mixed, not just shifted */
  uint64_t key = (uint64_t)(uintptr_t)name * 0x9E3779B97F4A7C15u ^ (uint64_t)(uintptr_t)prefix;
  return &qnames[kind][(key * 0xC2B2AE3D27D4EB4Fu) >> 54];
}

static const char *const before[] = {"<", "</", " "}, *const after[] = {"", ">", "=\""};
static const size_t nbefore[] = {1, 2, 1}, nafter[] = {0, 1, 2}; /* their lengths */

/* Whether slot q, put together in an earlier writing for the same addresses, still reads
 * prefix:name (the bytes compared: the strings at those addresses may have changed since). */
static int still_reads(const QName *q, QKind kind, const xmlChar *prefix, const xmlChar *name) {
  const char *t = q->text + nbefore[kind], *end = q->text + q->len - nafter[kind];
  if (prefix) {
    for (const xmlChar *p = prefix; *p; p++, t++)
      if (t == end || *t != (char)*p) return 0;
    if (t == end || *t++ != ':') return 0;
  }
  for (const xmlChar *p = name; *p; p++, t++)
    if (t == end || *t != (char)*p) return 0;
  return t == end;
}

/* The name not found: put together in its slot, or written as it is when it is too long. A
 * slot of an earlier writing for the same addresses is taken again when it still reads the
 * same: keys (tmpl_serialize_node) are a writing each, and a fill writes hundreds of them. */
static __attribute__((noinline)) void qname_miss(TmplOut *o, QKind kind, const xmlChar *prefix,
                                                 const xmlChar *name) {
  QName *q = qname_slot(kind, prefix, name);
  if (q->name == name && q->prefix == prefix && still_reads(q, kind, prefix, name)) {
    q->written = writing;
    put(o, q->text, q->len);
    return;
  }
  size_t np = prefix ? strlen((const char *)prefix) : 0, nn = strlen((const char *)name);
  size_t nb = nbefore[kind], na = nafter[kind];
  if (np + 1 + nn > QNAME_MAX) {
    put(o, before[kind], nb);
    if (prefix) {
      put(o, (const char *)prefix, np);
      put(o, ":", 1);
    }
    put(o, (const char *)name, nn);
    put(o, after[kind], na);
    return;
  }
  char *t = q->text;
  memcpy(t, before[kind], nb);
  t += nb;
  if (prefix) {
    memcpy(t, prefix, np);
    t += np;
    *t++ = ':';
  }
  memcpy(t, name, nn);
  t += nn;
  memcpy(t, after[kind], na);
  q->len = (size_t)(t + na - q->text);
  q->prefix = prefix;
  q->name = name;
  q->written = writing;
  put(o, q->text, q->len);
}

static inline __attribute__((always_inline)) void qname(TmplOut *o, QKind kind, const xmlNs *ns,
                                                        const xmlChar *name) {
  const xmlChar *prefix = ns ? ns->prefix : NULL;
  const QName *q = qname_slot(kind, prefix, name);
  if (__builtin_expect(q->name != name || q->prefix != prefix || q->written != writing, 0)) {
    qname_miss(o, kind, prefix, name);
  } else if (__builtin_expect(o->len + QNAME_ROOM < o->cap, 1)) { /* (put, when it fits) */
    memcpy(o->data + o->len, q->text, QNAME_ROOM);
    o->len += q->len;
  } else {
    put(o, q->text, q->len);
  }
}

/* Namespaces declared nowhere in the tree: their declaration went with a removed paragraph
 * (xml.c hands it to the document's list of old ones), and the nodes made from that paragraph
 * still use it, when a template declares a prefix on a paragraph only, not on the root. Such
 * a name is declared again on the element written, unless the prefix is bound to the same
 * namespace there already; without it the part would not be XML. The declarations in scope
 * are followed only for a document that has such a list: the common part pays nothing. */
static const xmlNs *old_declarations;
static const xmlNs **in_scope; /* grown as needed, kept for the next part */
static int nscope, scope_cap;

static void put_declaration(TmplOut *o, const xmlNs *d) {
  puts_(o, d->prefix ? " xmlns:" : " xmlns");
  if (d->prefix) puts_(o, (const char *)d->prefix);
  put(o, "=\"", 2);
  escaped(o, d->href, 1);
  put(o, "\"", 1);
}

/* (out of memory stops the writing, as grow does: a lost binding could write a wrong name) */
static void enter_scope(TmplOut *o, const xmlNs *d) {
  if (nscope == scope_cap) {
    int cap = scope_cap ? 2 * scope_cap : 64;
    const xmlNs **grown = memory_realloc(in_scope, (size_t)cap * sizeof *grown);
    if (!grown) {
      o->over = 1;
      return;
    }
    in_scope = grown;
    scope_cap = cap;
  }
  in_scope[nscope++] = d;
}

static void redeclare(TmplOut *o, const xmlNs *ns) {
  const xmlNs *d = old_declarations;
  while (d && d != ns) d = d->next;
  if (!d) return; /* declared in the tree (or no namespace) */
  if (ns->prefix && strcmp((const char *)ns->prefix, "xml") == 0) return; /* never declared */
  for (int i = nscope - 1; i >= 0; i--) {
    const xmlNs *s = in_scope[i];
    if (s->prefix == ns->prefix ||
        (s->prefix && ns->prefix && xmlStrEqual(s->prefix, ns->prefix))) {
      if (s == ns || xmlStrEqual(s->href, ns->href)) return; /* bound so already */
      break;                                                 /* bound to another namespace */
    }
  }
  put_declaration(o, ns);
  enter_scope(o, ns);
}

static void node(TmplOut *o, const xmlNode *n);
static void element(TmplOut *o, const xmlNode *n);
static int raw_text; /* rowkey_node: text written as it is (below) */

/* (elements and text, what a part is nearly all made of, sent on here: through node() each
 * was one more call) */
static void children(TmplOut *o, const xmlNode *n) {
  for (const xmlNode *c = n->children; c; c = c->next) {
    if (c->type == XML_ELEMENT_NODE && __builtin_expect(c->_private == NULL, 1))
      element(o, c);
    else if (c->type == XML_TEXT_NODE && !raw_text)
      escaped(o, c->content, 0);
    else
      node(o, c);
  }
}

/* A row the fill marked (rowmemo.h): written as remembered, or written and remembered. */
static int keying; /* tmpl_serialize_node: writing a key, not the part (nothing is kept) */

static __attribute__((noinline)) void marked(TmplOut *o, const xmlNode *n) {
  const char *bytes;
  size_t len;
  if (rowmemo_raw(n, &bytes, &len)) {
    put(o, bytes, len);
    return;
  }
  size_t start = o->len;
  element(o, n);
  if (!o->over && !keying) rowmemo_keep(n, o->data + start, o->len - start);
}

/* rowkey_node: text is written as it is, not escaped. A key need not be XML, only tell apart
 * what is written differently: \1, the bytes, their NUL (text holds none, so it ends there,
 * and no name, markup or attribute begins with \1). Escaping a paragraph's text 8 bytes at a
 * time was a third of writing its key. */
static int declared; /* a namespace declared by an element written (rowkey_node's answer) */

static inline void key_text(TmplOut *o, const xmlChar *text) {
  put(o, "\1", 1);
  if (text)
    put(o, (const char *)text, strlen((const char *)text) + 1);
  else
    put(o, "", 1);
}

static void node(TmplOut *o, const xmlNode *n) {
  switch (n->type) {
    case XML_ELEMENT_NODE:
      if (__builtin_expect(n->_private != NULL, 0))
        marked(o, n);
      else
        element(o, n);
      return;
    case XML_TEXT_NODE:
      if (raw_text) {
        key_text(o, n->content);
        return;
      }
      escaped(o, n->content, 0);
      return;
    case XML_CDATA_SECTION_NODE:
      puts_(o, "<![CDATA[");
      if (n->content) puts_(o, (const char *)n->content);
      puts_(o, "]]>");
      return;
    case XML_COMMENT_NODE:
      puts_(o, "<!--");
      if (n->content) puts_(o, (const char *)n->content);
      puts_(o, "-->");
      return;
    case XML_PI_NODE:
      puts_(o, "<?");
      puts_(o, (const char *)n->name);
      if (n->content && n->content[0]) {
        put(o, " ", 1);
        puts_(o, (const char *)n->content);
      }
      puts_(o, "?>");
      return;
    case XML_ENTITY_REF_NODE:
      put(o, "&", 1);
      puts_(o, (const char *)n->name);
      put(o, ";", 1);
      return;
    default: /* DTDs and the like: OOXML and ODF parts have none */
      return;
  }
}

/* The block of the part's copy of its template (tmpl_same_begin) while a part is written, and
 * whether an element being written is known to be as it was copied (its subtree then is too). */
static uintptr_t same_base;
static size_t same_size;
static int same_inside;

/* Element n of the part's copy of its template: written as its first writing was when nothing
 * in it has changed since it was copied (returns 1), else not written (0). */
static __attribute__((noinline)) int same_written(TmplOut *o, const xmlNode *n) {
  TmplSame *s = tmpl_same(n);
  if (!s) return 0;
  size_t len;
  const char *bytes = tmpl_same_bytes(s, &len);
  if (bytes) {
    put(o, bytes, len);
    return 1;
  }
  size_t start = o->len;
  same_inside = 1;
  element(o, n);
  same_inside = 0;
  if (!o->over) tmpl_same_keep(s, o->data + start, o->len - start);
  return 1;
}

/* An element with its attributes, namespace declarations and children. */
static void element(TmplOut *o, const xmlNode *n) {
  if (__builtin_expect((uintptr_t)n - same_base < same_size, 0) && !same_inside &&
      same_written(o, n))
    return;
  qname(o, Q_START, n->ns, n->name);
  int scope = nscope;
  for (const xmlNs *d = n->nsDef; d; d = d->next) {
    declared = 1;
    put_declaration(o, d);
    if (old_declarations) enter_scope(o, d);
  }
  if (old_declarations) {
    redeclare(o, n->ns);
    for (const xmlAttr *a = n->properties; a; a = a->next) redeclare(o, a->ns);
  }
  for (const xmlAttr *a = n->properties; a; a = a->next) {
    qname(o, Q_ATTRIBUTE, a->ns, a->name);
    for (const xmlNode *v = a->children; v; v = v->next) {
      if (v->type == XML_TEXT_NODE) {
        attribute_value(o, v->content);
      } else if (v->type == XML_ENTITY_REF_NODE) {
        put(o, "&", 1);
        puts_(o, (const char *)v->name);
        put(o, ";", 1);
      }
    }
    put(o, "\"", 1);
  }
  if (!n->children) {
    put(o, "/>", 2);
  } else {
    put(o, ">", 1);
    children(o, n);
    qname(o, Q_END, n->ns, n->name);
  }
  nscope = scope;
}

/* The fill whose keys and parts are one writing, or 0. In a fill's arena nothing is freed before
 * the fill's end, so the names its trees hold stay where they are from its first key to the
 * writing of its last part: a slot put together for one key holds for the next key and for the
 * parts (a writing per key put every name of every key together again, through qname_miss, and
 * a writing per part did so again for the names the keys had put together). A fill inside
 * another (a filter that fills) runs outside the arena and has a number of its own: what is
 * written after it begins a writing again. */
static unsigned long arena_fill;

static void begin_writing(void) {
  unsigned long fill = tmpl_fill_number();
  if (!xmlarena_active() || arena_fill != fill) {
    writing++;
    arena_fill = xmlarena_active() ? fill : 0;
  }
}

void tmpl_serialize(TmplOut *o, const xmlDoc *doc) {
  begin_writing();
  /* (the list, when there is one, begins with libxml2's own xml: entry) */
  old_declarations = doc->oldNs && doc->oldNs->next ? doc->oldNs : NULL;
  nscope = 0;
  /* (with declarations written again, what an element is written as depends on where it
   * stands) */
  if (old_declarations || !tmpl_same_begin(doc, &same_base, &same_size)) same_base = same_size = 0;
  puts_(o, "<?xml version=\"");
  puts_(o, doc->version ? (const char *)doc->version : "1.0");
  puts_(o, "\" encoding=\"UTF-8\"");
  if (doc->standalone == 1) puts_(o, " standalone=\"yes\"");
  if (doc->standalone == 0) puts_(o, " standalone=\"no\"");
  puts_(o, "?>\n");
  for (const xmlNode *c = doc->children; c; c = c->next) {
    node(o, c);
    if (c->type != XML_ELEMENT_NODE || c->next) put(o, "\n", 1);
  }
  put(o, "\n", 1);
  same_base = same_size = 0;
  if (o->over) return;
  o->len--; /* keeps a NUL after the bytes without counting it */
  o->data[o->len] = '\0';
}

void tmpl_serialize_node(TmplOut *o, const xmlNode *n) {
  begin_writing();
  same_base = same_size = 0; /* (a key is written as it stands) */
  old_declarations = NULL;
  nscope = 0;
  keying = 1;
  node(o, n);
  keying = 0;
}

int rowkey_node(RowKey *k, const xmlNode *n) {
  if (k->failed) return 0;
  /* written straight into the key (both grow through memory_realloc) */
  TmplOut o = {.data = k->data, .len = k->len, .cap = k->cap};
  begin_writing();
  same_base = same_size = 0;
  old_declarations = NULL;
  nscope = 0;
  keying = 1;
  raw_text = 1;
  declared = 0;
  node(&o, n);
  keying = 0;
  raw_text = 0;
  k->data = o.data;
  k->cap = o.cap;
  k->len = o.len;
  if (o.over) k->failed = 1;
  return declared;
}
