/*
 * odt: what the engine needs to know about ODF text. Paragraphs are text:p and text:h, text
 * lies in text nodes of paragraphs, text:span and text:a, rows are table:table-row, cells
 * table:table-cell, breaks text:line-break, tabs text:tab, runs of spaces text:s. A run has
 * no element of its own: splitting goes up through the spans to the paragraph.
 */
#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include <libxml/parserInternals.h>

#include "memory.h"
#include "rowmemo.h"
#include "tmpl.h"
#include "xmlarena.h"

/* v's decimal digits written at t; the end. */
static char *put_digits(char *t, unsigned long long v) {
  char digits[24];
  size_t n = 0;
  do {
    digits[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (n) *t++ = digits[--n];
  return t;
}

/* buf = v as snprintf's "%.2f" (places 2) or "%.0f" (places 0) writes it, then unit (buf holds
 * at least 32 bytes). A table's columns and cells asked for thousands of lengths a region, a
 * fitted document's styles hundreds, and printf's exact decimal conversion cost ~1,300-2,000
 * instructions each. The same rounding by hand: v * 100 is exact in x87's 64-bit long double
 * mantissa (53 + 7 bits), so its fraction decides, a tie going to the even neighbour as
 * printf's does. Other values (negative, -0, huge, NaN, or a long double no wider than a
 * double) are printed by snprintf. */
static void fixed(char *buf, size_t size, double v, int places, const char *unit) {
  if (LDBL_MANT_DIG < 64 || signbit(v) || !(v < 1e12) || size < 32) {
    snprintf(buf, size, places ? "%.2f%s" : "%.0f%s", v, unit);
    return;
  }
  long double x = (long double)v * (places ? 100.0L : 1.0L);
  unsigned long long k = (unsigned long long)x;
  long double frac = x - (long double)k;
  if (frac > 0.5L || (frac == 0.5L && (k & 1))) k++;
  size_t at;
  if (places) {
    at = (size_t)(put_digits(buf, k / 100) - buf);
    buf[at++] = '.';
    buf[at++] = (char)('0' + k % 100 / 10);
    buf[at++] = (char)('0' + k % 10);
  } else {
    at = (size_t)(put_digits(buf, k) - buf);
  }
  size_t ulen = strlen(unit);
  if (ulen >= size - at) ulen = size - at - 1;
  memcpy(buf + at, unit, ulen);
  buf[at + ulen] = '\0';
}

static void fixed2(char *buf, size_t size, double v, const char *unit) {
  fixed(buf, size, v, 2, unit);
}

/* The namespaces ODT's elements and attributes are asked about, by number (S_STYLE...). */
enum { S_STYLE, S_TABLE, S_TEXT, S_FO, S_OFFICE, FAST_NS };
static const char *const fast_hrefs[FAST_NS] = {NS_STYLE, NS_TABLE, NS_TEXT, NS_FO, NS_OFFICE};

/* The declaration found last to be each of fast_hrefs in a fill, and its href's address: the
 * walks ask whether an element or attribute is of one of them hundreds of thousands of times a
 * build, nearly always of the same declaration, and comparing the hrefs (strings 40 bytes
 * long, alike for 38) cost strcmp's 25 to 50 instructions each time. A declaration's href
 * never changes, and nothing of a fill's trees is freed and made again where it stood before
 * the fill's end (the fill number tells fills apart). */
static struct {
  unsigned long fill;
  const xmlNs *ns;
  const xmlChar *href;
} ns_seen[FAST_NS];

static __attribute__((noinline)) int ns_is_slow(const xmlNs *ns, int slot) {
  if (!ns->href || strcmp((const char *)ns->href, fast_hrefs[slot]) != 0) return 0;
  ns_seen[slot].fill = tmpl_fill_number();
  ns_seen[slot].ns = ns;
  ns_seen[slot].href = ns->href;
  return 1;
}

/* Whether namespace ns (not NULL) is fast_hrefs[slot] (strcmp's answer). */
static inline int ns_is(const xmlNs *ns, int slot) {
  if (ns == ns_seen[slot].ns && ns->href == ns_seen[slot].href &&
      ns_seen[slot].fill == tmpl_fill_number())
    return 1;
  return ns_is_slow(ns, slot);
}

/* tmpl_is(e, fast_hrefs[slot], name). */
static inline __attribute__((always_inline)) int odt_is(const xmlNode *e, int slot,
                                                        const char *name) {
  return e && e->type == XML_ELEMENT_NODE && e->ns && e->name[0] == (xmlChar)name[0] &&
         tmpl_name_is(e->name, name) && ns_is(e->ns, slot);
}

/* (the engine asks these of nearly every node it walks: the element, its namespace and the
 * names' bytes read once each) */
static int odt_paragraph(const xmlNode *e) {
  if (!e || e->type != XML_ELEMENT_NODE || !e->ns) return 0;
  const xmlChar *n = e->name;
  return (n[0] == 'p' || n[0] == 'h') && n[1] == 0 && ns_is(e->ns, S_TEXT);
}
static int odt_text_parent(const xmlNode *e) {
  if (!e || e->type != XML_ELEMENT_NODE || !e->ns) return 0;
  const xmlChar *n = e->name;
  int named = ((n[0] == 'p' || n[0] == 'h' || n[0] == 'a') && n[1] == 0) || tmpl_name_is(n, "span");
  return named && ns_is(e->ns, S_TEXT);
}
static int odt_row(const xmlNode *e) {
  return odt_is(e, S_TABLE, "table-row");
}
static int odt_cell(const xmlNode *e) {
  return odt_is(e, S_TABLE, "table-cell");
}
static int never(const xmlNode *e) {
  (void)e;
  return 0;
}
static xmlNode *odt_holder(xmlNode *t) {
  return t;
}

/* The root's own declaration of href (tmpl_ns_by_href(root, href)), remembered per part and
 * fill once found: nodes not yet in the tree (a table being built) ask for it tens of thousands
 * of times, and finding it compares the href with each of the root's declarations. The answer
 * stays while the fill runs: the root's declarations are only ever added to, after the others. */
static xmlNs *root_ns(xmlNode *root, const char *href) {
  enum { KNOWN = 8 };
  static struct {
    const xmlNode *root;
    unsigned long fill;
    const char *href;
    xmlNs *ns;
  } known[KNOWN];
  static size_t next;
  unsigned long fill = tmpl_fill_number();
  for (size_t i = 0; i < KNOWN; i++)
    if (known[i].root == root && known[i].fill == fill &&
        (known[i].href == href || strcmp(known[i].href, href) == 0))
      return known[i].ns;
  xmlNs *ns = tmpl_ns_by_href(root, href);
  if (ns) {
    known[next].root = root;
    known[next].fill = fill;
    known[next].href = href;
    known[next].ns = ns;
    next = (next + 1) % KNOWN;
  }
  return ns;
}

/* While a table is built (odt_table) in a part where ns_of can only answer the root's
 * declaration of each namespace a table uses (table_namespaces_plain), its answers are kept:
 * a table asked ~50 times a row, each walking up to the root and comparing the hrefs there. */
static struct {
  const xmlDoc *doc; /* the part whose table is being built, or NULL */
  unsigned long fill;
  xmlNs *ns[FAST_NS]; /* by fast_hrefs, once found (or declared) */
} fast;

static xmlNs *ns_of(xmlNode *like, const char *href, const char *prefix) {
  int slot = -1;
  if (fast.doc && like->doc == fast.doc && fast.fill == tmpl_fill_number()) {
    for (int i = 0; i < FAST_NS; i++)
      if (href == fast_hrefs[i]) slot = i; /* (the same literals: anything else asks) */
    if (slot >= 0 && fast.ns[slot]) return fast.ns[slot];
  }
  /* like may be a copy not yet in the tree: the root's declarations hold everywhere. */
  xmlNs *ns = tmpl_ns_by_href(like, href);
  xmlNode *root = xmlDocGetRootElement(like->doc);
  if (!ns) ns = root_ns(root, href);
  if (!ns) ns = xmlNewNs(root, BAD_CAST href, BAD_CAST prefix);
  if (!ns) ns = xmlNewNs(root, BAD_CAST href, NULL); /* the prefix is taken: declare anew */
  if (slot >= 0) fast.ns[slot] = ns;
  return ns;
}

/* Whether root declares each of fast_hrefs at most once. */
static int root_declares_once(const xmlNode *root) {
  /* (the answer kept while the root's declarations stay as many: a fill only adds to them) */
  static struct {
    const xmlNode *root;
    unsigned long fill;
    size_t count;
    int once;
  } known;
  unsigned long fill = tmpl_fill_number();
  size_t count = 0;
  for (const xmlNs *d = root->nsDef; d; d = d->next) count++;
  if (known.root != root || known.fill != fill || known.count != count) {
    int seen[FAST_NS] = {0}, once = 1;
    for (const xmlNs *d = root->nsDef; d; d = d->next)
      for (int i = 0; i < FAST_NS; i++)
        if (d->href && strcmp((const char *)d->href, fast_hrefs[i]) == 0 && seen[i]++) once = 0;
    known.root = root;
    known.fill = fill;
    known.count = count;
    known.once = once;
  }
  return known.once;
}

/* Whether, for every node a table replacing p makes or asks about (p and what it holds, the
 * table being built, the automatic styles added and the template's style `base` they copy),
 * ns_of can only answer the root's own declaration of each of fast_hrefs (made there when
 * missing): the root declares each at most once, and nothing else on the way declares anything,
 * so every element's namespace of those is the root's declaration and the walk up finds no
 * other. */
static int table_namespaces_plain(xmlNode *p, xmlNode *styles, const char *base) {
  xmlNode *root = xmlDocGetRootElement(p->doc);
  if (!root_declares_once(root) || styles->nsDef || rowmemo_declares(p)) return 0;
  for (xmlNode *e = p->parent; e && e != root; e = e->parent)
    if (e->type == XML_ELEMENT_NODE && e->nsDef) return 0;
  xmlNode *copied = base ? tmpl_odt_style(styles, base, NULL) : NULL;
  return !copied || !rowmemo_declares(copied);
}

static xmlNode *odt_new_segment(xmlNode *like, SegKind kind, const char *text, int n) {
  xmlNs *ns = ns_of(like, NS_TEXT, "text");
  switch (kind) {
    case SEG_BREAK:
      return tmpl_doc_node(like->doc, ns, "line-break");
    case SEG_TAB:
      return tmpl_doc_node(like->doc, ns, "tab");
    case SEG_SPACES: {
      xmlNode *s = tmpl_doc_node(like->doc, ns, "s");
      if (n > 1) {
        char buf[16];
        snprintf(buf, sizeof buf, "%d", n);
        tmpl_new_prop(s, ns, "c", buf);
      }
      return s;
    }
    default:
      return tmpl_check(xmlNewDocText(like->doc, BAD_CAST(text ? text : "")));
  }
}

static void odt_touch(xmlNode *holder) {
  (void)holder;
}

/* office:automatic-styles of the part, created if missing. The answer is kept for the fill and
 * part while it still stands under the root (asked for every style a table or paragraph wants,
 * the walk of the root's children was a tenth of finding a style there). */
static xmlNode *automatic_styles(xmlDoc *doc) {
  static struct {
    unsigned long fill;
    const xmlDoc *doc;
    xmlNode *styles;
  } known;
  unsigned long fill = tmpl_fill_number();
  xmlNode *root = xmlDocGetRootElement(doc);
  if (known.fill == fill && known.doc == doc && known.styles->parent == root) return known.styles;
  xmlNode *before = NULL, *as = NULL;
  for (xmlNode *c = root->children; c && !as; c = c->next) {
    if (odt_is(c, S_OFFICE, "automatic-styles")) as = c;
    if (!before && (odt_is(c, S_OFFICE, "body") || odt_is(c, S_OFFICE, "master-styles")))
      before = c;
  }
  if (!as) {
    as = tmpl_doc_node(doc, ns_of(root, NS_OFFICE, "office"), "automatic-styles");
    if (before)
      tmpl_insert_before(before, as);
    else
      tmpl_append_child(root, as);
  }
  known.fill = fill;
  known.doc = doc;
  known.styles = as;
  return as;
}

/* The value of e's attribute {href}local when it is one text node (always, in a parsed or built
 * part), without a copy; NULL when e has none, or (*odd set) one of another shape. */
static inline __attribute__((always_inline)) const char *plain_attr(const xmlNode *e, int slot,
                                                                    const char *local, int *odd) {
  for (const xmlAttr *a = e->properties; a; a = a->next) {
    if (!(a->name[0] == (xmlChar)local[0] && tmpl_name_is(a->name, local) && a->ns &&
          ns_is(a->ns, slot)))
      continue;
    const xmlNode *v = a->children;
    if (v && !v->next && v->type == XML_TEXT_NODE && v->content) return (const char *)v->content;
    *odd = 1;
    return NULL;
  }
  return NULL;
}

/* e's attribute {href}local, xmlGetNsProp's answer: read in place (plain_attr), or for an odd
 * shape copied into *copied (else NULL; the caller's to xmlFree). NULL when e has none. */
static inline __attribute__((always_inline)) const char *attr_text(xmlNode *e, int slot,
                                                                   const char *local,
                                                                   xmlChar **copied) {
  int odd = 0;
  const char *plain = plain_attr(e, slot, local, &odd);
  *copied = odd ? tmpl_ns_prop(e, BAD_CAST local, BAD_CAST fast_hrefs[slot]) : NULL;
  return odd ? (const char *)*copied : plain;
}

/* Whether e's attribute {href}local is `value`. */
static inline __attribute__((always_inline)) int attr_is(xmlNode *e, int slot, const char *local,
                                                         const char *value) {
  xmlChar *copied;
  const char *v = attr_text(e, slot, local, &copied);
  int is = v && strcmp(v, value) == 0;
  xmlFree(copied);
  return is;
}

/* Whether style element c is named `name`: a filled table looks its styles up by name again
 * and again (read in place, this was 4 % of a build's samples). */
static int style_named(xmlNode *c, const char *name) {
  return attr_is(c, S_STYLE, "name", name);
}

/* The value of style element c's style:name when it is one text node, else NULL. */
static const char *plain_style_name(xmlNode *c) {
  int odd = 0;
  return plain_attr(c, S_STYLE, "name", &odd);
}

/* A style in the index, with its name's hash: a slot of another hash is passed without reading
 * its style's name (which walks its attributes). A slot holds a style of the index's current
 * generation only: a new fill starts a new one, not a clearing of every slot (the table grows to
 * the largest part's styles, and clearing it for every fill cost more than the lookups). */
typedef struct {
  xmlNode *style;
  size_t hash;
  unsigned long gen;
} StyleSlot;

/* The styles of an office:automatic-styles element by name, for one fill. A filled table
 * asks for its cell and paragraph styles by name for every cell, and the list grows by a few
 * styles with every table: scanning it each time was a third of an ODT fill. Styles are only
 * ever appended during a fill (none is removed or renamed), so the index catches up by
 * reading what follows the last child it saw; a new fill starts it afresh. */
typedef struct {
  xmlNode *styles;    /* the automatic-styles element indexed */
  unsigned long fill; /* tmpl_fill_number() when it was */
  xmlNode *seen;      /* the last child read */
  int odd;            /* a style whose name is not one text node: scan the list instead */
  int twice;          /* two styles have the same name (not valid ODF, but read all the same) */
  StyleSlot *slots;   /* open addressing, first style of each name */
  size_t cap, count;
  unsigned long gen; /* the slots' generation now */
} StyleIndex;

static StyleIndex style_indexes[4]; /* content.xml's and styles.xml's, with room to spare */
static unsigned long generations;   /* the last given */

static size_t name_hash(const char *s) {
  size_t h = 2166136261u;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

static StyleSlot *style_slot(StyleIndex *x, const char *name, size_t hash) {
  size_t i = hash & (x->cap - 1);
  while (x->slots[i].gen == x->gen &&
         (x->slots[i].hash != hash || strcmp(plain_style_name(x->slots[i].style), name) != 0))
    i = (i + 1) & (x->cap - 1);
  return &x->slots[i];
}

static void index_style(StyleIndex *x, xmlNode *c) {
  const char *name = plain_style_name(c);
  if (!name) {
    x->odd = xmlHasNsProp(c, BAD_CAST "name", BAD_CAST NS_STYLE) != NULL;
    return;
  }
  if (2 * (x->count + 1) > x->cap) {
    size_t cap = x->cap ? 2 * x->cap : 64;
    StyleSlot *old = x->slots, *slots = tmpl_alloc(cap * sizeof *slots);
    size_t old_cap = x->cap;
    x->slots = slots;
    x->cap = cap;
    for (size_t i = 0; i < old_cap; i++) /* (names apart: no two the same) */
      if (old[i].gen == x->gen) {
        size_t k = old[i].hash & (cap - 1);
        while (slots[k].gen == x->gen) k = (k + 1) & (cap - 1);
        slots[k] = old[i];
      }
    memory_free(old);
  }
  size_t hash = name_hash(name);
  StyleSlot *slot = style_slot(x, name, hash);
  if (slot->gen == x->gen) { /* the first of a name is the one found */
    x->twice = 1;
    return;
  }
  slot->style = c;
  slot->hash = hash;
  slot->gen = x->gen;
  x->count++;
}

static StyleIndex *style_index(xmlNode *styles) {
  unsigned long fill = tmpl_fill_number();
  StyleIndex *x = NULL;
  for (size_t i = 0; i < sizeof style_indexes / sizeof *style_indexes && !x; i++)
    if (style_indexes[i].styles == styles && style_indexes[i].fill == fill) x = &style_indexes[i];
  for (size_t i = 0; i < sizeof style_indexes / sizeof *style_indexes && !x; i++)
    if (style_indexes[i].fill != fill || !style_indexes[i].styles) x = &style_indexes[i];
  if (!x) return NULL;
  if (x->styles != styles || x->fill != fill) {
    x->gen = ++generations; /* (every slot of an earlier one is free) */
    x->styles = styles;
    x->fill = fill;
    x->seen = NULL;
    x->odd = 0;
    x->twice = 0;
    x->count = 0;
  }
  for (xmlNode *c = x->seen ? x->seen->next : styles->children; c && !x->odd; c = c->next) {
    if (odt_is(c, S_STYLE, "style")) index_style(x, c);
    x->seen = c;
  }
  return x->odd ? NULL : x;
}

xmlNode *tmpl_odt_style(xmlNode *styles, const char *name, int *alone) {
  StyleIndex *x = style_index(styles);
  if (alone) *alone = x && !x->twice;
  if (x) {
    const StyleSlot *slot = x->cap ? style_slot(x, name, name_hash(name)) : NULL;
    return slot && slot->gen == x->gen ? slot->style : NULL;
  }
  for (xmlNode *c = styles->children; c; c = c->next)
    if (odt_is(c, S_STYLE, "style") && style_named(c, name)) return c;
  return NULL;
}

static xmlNode *find_style(xmlNode *styles, const char *name) {
  return tmpl_odt_style(styles, name, NULL);
}

/* ---- automatic styles made as an earlier fill made them ----
 *
 * Every fill makes the automatic styles its tables and rich paragraphs need afresh (a consent
 * ~20: its tables' and their columns', its cells', its cell paragraphs'), each a new element or
 * a copy of the template paragraph's style, its attributes set one by one: ~8,000 instructions
 * a paragraph style, the most of an ODT table's cost over a DOCX one. What a style is made of
 * (its kind, its numbers, the template's style it copies) is the same from fill to fill, and so
 * is the style. The first one made is kept per process as an image under a key of all it was
 * made from (laid out as treecopy.c's images are, the arena's blocks one after another, its
 * pointers into itself kept as offsets); a later fill that would make the same copies the image
 * into one block of its arena and sets the pointers out of it: to the document, to the names
 * (looked up in the fill's dictionary, once per fill), to the namespaces. Only where a new
 * style's namespaces can only be the root's own declarations (table_namespaces_plain's
 * reasoning): the root declares each of fast_hrefs at most once, automatic-styles declares
 * nothing, and an image holds no declaration and no namespace but those. */

/* The names of the images, each looked up in a fill's dictionary once per fill. */
enum { IMAGE_NAMES = 128 };
static struct {
  char *text;
  const xmlChar *in_dict; /* (when names_now says so) */
} image_names[IMAGE_NAMES];
static size_t nimage_names;

/* The names whose in_dict is the dictionary's in this fill, by bits: an image's names were
 * asked about one by one, ~20 of them for every style copied. */
static struct {
  unsigned long fill;
  const xmlDict *dict;
  uint64_t bits[IMAGE_NAMES / 64];
} names_now;

/* name's number among image_names (added when new), or -1. */
static int image_name(const xmlChar *name) {
  for (size_t i = 0; i < nimage_names; i++)
    if (strcmp(image_names[i].text, (const char *)name) == 0) return (int)i;
  if (nimage_names == IMAGE_NAMES) return -1;
  char *text = memory_strdup((const char *)name);
  if (!text) return -1;
  image_names[nimage_names].text = text;
  return (int)nimage_names++;
}

/* href's number among fast_hrefs, or -1. */
static int href_slot(const xmlNs *ns) {
  for (int i = 0; i < FAST_NS; i++)
    if (ns->href && strcmp((const char *)ns->href, fast_hrefs[i]) == 0) return i;
  return -1;
}

typedef struct {
  uint32_t at;   /* a pointer's offset in the image */
  uint32_t what; /* the name's number (image_names), or the namespace's (fast_hrefs) */
} ImageFix;

typedef struct StyleImage {
  struct StyleImage *next; /* the bucket's chain */
  uint64_t hash;
  size_t key_len, size, first;
  unsigned char *bytes;
  uint32_t *inner, *docs; /* offsets of the pointers into the image, to the document */
  ImageFix *names, *nss;
  size_t ninner, ndocs, nnames, nnss;
  uint64_t name_bits[IMAGE_NAMES / 64]; /* the names it holds (image_names) */
  unsigned ns_slots;                    /* the namespaces it holds (fast_hrefs), by bits */
  char *key;
} StyleImage;

enum { IMAGE_BUCKETS = 1024 };
#define IMAGES_BUDGET ((size_t)2 << 20)
static StyleImage *image_buckets[IMAGE_BUCKETS];
static size_t images_used;

/* An image being made (static: its buffers kept for the next). */
static struct {
  unsigned char *bytes;
  size_t len, cap;
  uint32_t *inner, *docs;
  ImageFix *names, *nss;
  size_t ninner, ndocs, nnames, nnss, cap_inner, cap_docs, cap_names, cap_nss;
  const xmlNode *root; /* the part's root, whose declarations the namespaces must be */
  int failed;
} im;

static void *image_list(void *list, size_t *cap, size_t n, size_t size) {
  if (n < *cap) return list;
  size_t want = *cap ? 2 * *cap : 64;
  void *grown = memory_realloc(list, want * size);
  if (!grown) {
    im.failed = 1;
    return list;
  }
  *cap = want;
  return grown;
}

static void image_note(uint32_t **list, size_t *n, size_t *cap, size_t at) {
  *list = image_list(*list, cap, *n, sizeof **list);
  if (!im.failed) (*list)[(*n)++] = (uint32_t)at;
}

static void image_fix(ImageFix **list, size_t *n, size_t *cap, size_t at, int what) {
  if (what < 0) {
    im.failed = 1;
    return;
  }
  *list = image_list(*list, cap, *n, sizeof **list);
  if (!im.failed) (*list)[(*n)++] = (ImageFix){(uint32_t)at, (uint32_t)what};
}

/* A block of size bytes placed (zeroed) at the image's end: its offset, or 0 when memory ran
 * out. */
static size_t image_block(size_t size) {
  size_t room = xmlarena_room(size);
  if (im.failed) return 0;
  if (im.len + room > im.cap) {
    size_t cap = im.cap ? 2 * im.cap : 4096;
    while (cap < im.len + room) cap *= 2;
    unsigned char *grown = memory_realloc(im.bytes, cap);
    if (!grown || cap > UINT32_MAX) {
      if (grown) im.bytes = grown;
      im.failed = 1;
      return 0;
    }
    im.bytes = grown;
    im.cap = cap;
  }
  memset(im.bytes + im.len, 0, room);
  unsigned char *p = xmlarena_place(im.bytes + im.len, size);
  im.len += room;
  return (size_t)(p - im.bytes);
}

/* The pointer at offset `at` of the image made to point to offset `to` (0: NULL). */
static void image_point(size_t at, size_t to) {
  if (im.failed || !to) return;
  uintptr_t v = to;
  memcpy(im.bytes + at, &v, sizeof v);
  image_note(&im.inner, &im.ninner, &im.cap_inner, at);
}

/* A namespace pointer at `at`: one of the root's declarations of fast_hrefs, or none. */
static void image_ns(size_t at, const xmlNs *ns) {
  if (!ns) return;
  int slot = href_slot(ns);
  const xmlNs *d = im.root->nsDef;
  while (d && d != ns) d = d->next;
  image_fix(&im.nss, &im.nnss, &im.cap_nss, at, d ? slot : -1);
}

static size_t image_node(const xmlNode *s, size_t parent);

/* The list starting at first placed, its nodes' parent `parent`; the first's offset. */
static size_t image_nodes(const xmlNode *first, size_t parent, size_t *last) {
  size_t head = 0, prev = 0;
  for (const xmlNode *s = first; s && !im.failed; s = s->next) {
    size_t n = image_node(s, parent);
    if (prev) {
      image_point(prev + offsetof(xmlNode, next), n);
      image_point(n + offsetof(xmlNode, prev), prev);
    } else {
      head = n;
    }
    prev = n;
  }
  *last = prev;
  return head;
}

static size_t image_node(const xmlNode *s, size_t parent) {
  size_t n = image_block(sizeof(xmlNode));
  if (!n || s->_private || s->psvi) {
    im.failed = 1;
    return 0;
  }
  xmlNode *d = (xmlNode *)(void *)(im.bytes + n);
  d->type = s->type;
  d->line = s->line;
  d->extra = s->extra;
  image_note(&im.docs, &im.ndocs, &im.cap_docs, n + offsetof(xmlNode, doc));
  image_point(n + offsetof(xmlNode, parent), parent);
  if (s->type == XML_TEXT_NODE) {
    if (s->name != xmlStringText && s->name != xmlStringTextNoenc) im.failed = 1;
    d->name = s->name; /* (libxml2's own: the same in every fill) */
    size_t len = s->content ? strlen((const char *)s->content) + 1 : 0;
    size_t c = len ? image_block(len) : 0;
    if (c) memcpy(im.bytes + c, s->content, len);
    image_point(n + offsetof(xmlNode, content), c);
    return n;
  }
  if (s->type != XML_ELEMENT_NODE || s->nsDef || s->content) {
    im.failed = 1;
    return n;
  }
  image_fix(&im.names, &im.nnames, &im.cap_names, n + offsetof(xmlNode, name), image_name(s->name));
  image_ns(n + offsetof(xmlNode, ns), s->ns);
  size_t prev = 0;
  for (const xmlAttr *a = s->properties; a && !im.failed; a = a->next) {
    size_t at = image_block(sizeof(xmlAttr));
    if (!at || a->_private || a->psvi || a->atype || a->type != XML_ATTRIBUTE_NODE) {
      im.failed = 1;
      break;
    }
    ((xmlAttr *)(void *)(im.bytes + at))->type = XML_ATTRIBUTE_NODE;
    image_fix(&im.names, &im.nnames, &im.cap_names, at + offsetof(xmlAttr, name),
              image_name(a->name));
    image_note(&im.docs, &im.ndocs, &im.cap_docs, at + offsetof(xmlAttr, doc));
    image_ns(at + offsetof(xmlAttr, ns), a->ns);
    image_point(at + offsetof(xmlAttr, parent), n);
    size_t last, value = image_nodes(a->children, at, &last);
    image_point(at + offsetof(xmlAttr, children), value);
    image_point(at + offsetof(xmlAttr, last), last);
    if (prev) {
      image_point(prev + offsetof(xmlAttr, next), at);
      image_point(at + offsetof(xmlAttr, prev), prev);
    } else {
      image_point(n + offsetof(xmlNode, properties), at);
    }
    prev = at;
  }
  size_t last, children = image_nodes(s->children, n, &last);
  image_point(n + offsetof(xmlNode, children), children);
  image_point(n + offsetof(xmlNode, last), last);
  return n;
}

/* Whether images may stand for the styles made in styles (see above), and the root's
 * declarations of fast_hrefs found so far: asked for every style a fill makes. Kept for the
 * fill and part while the root's declarations stay as they were (a fill only adds to them, at
 * the end of the list: its last one then has a next). */
static struct {
  unsigned long fill;
  const xmlNode *styles;
  const xmlNs *last; /* the root's last declaration when asked */
  int plain;
  xmlNs *ns[FAST_NS]; /* (NULL: not found yet) */
} images_at;

static int images_plain(xmlNode *styles) {
  unsigned long fill = tmpl_fill_number();
  if (images_at.fill == fill && images_at.styles == styles &&
      (images_at.last ? !images_at.last->next : !styles->parent || !styles->parent->nsDef))
    return images_at.plain;
  xmlNode *root = styles->parent;
  int plain = root && root->type == XML_ELEMENT_NODE && !styles->nsDef && xmlarena_active() &&
              styles->doc && styles->doc->dict && root == xmlDocGetRootElement(styles->doc) &&
              root_declares_once(root);
  const xmlNs *last = root ? root->nsDef : NULL;
  while (last && last->next) last = last->next;
  images_at.fill = fill;
  images_at.styles = styles;
  images_at.last = last;
  images_at.plain = plain;
  memset(images_at.ns, 0, sizeof images_at.ns);
  return plain;
}

/* The image kept for key, or NULL. */
static const StyleImage *image_find(const RowKey *key, uint64_t hash) {
  for (const StyleImage *e = image_buckets[hash % IMAGE_BUCKETS]; e; e = e->next)
    if (e->hash == hash && e->key_len == key->len && memcmp(e->key, key->data, key->len) == 0)
      return e;
  return NULL;
}

/* Keeps an image of style `made` (just made in styles, by what key says) for later fills. */
static void image_keep(const RowKey *key, uint64_t hash, xmlNode *made) {
  if (key->failed || images_used >= IMAGES_BUDGET || image_find(key, hash)) return;
  im.len = im.ninner = im.ndocs = im.nnames = im.nnss = 0;
  im.failed = 0;
  im.root = made->parent->parent;
  size_t first = image_node(made, 0);
  if (im.failed) return;
  size_t size = sizeof(StyleImage) + key->len + im.len + (im.ninner + im.ndocs) * sizeof(uint32_t) +
                (im.nnames + im.nnss) * sizeof(ImageFix) + 16;
  StyleImage *e = memory_alloc(size);
  if (!e) return;
  unsigned char *at = (unsigned char *)(e + 1);
  *e = (StyleImage){.hash = hash,
                    .key_len = key->len,
                    .size = im.len,
                    .first = first,
                    .ninner = im.ninner,
                    .ndocs = im.ndocs,
                    .nnames = im.nnames,
                    .nnss = im.nnss};
  for (size_t i = 0; i < im.nnames; i++)
    e->name_bits[im.names[i].what / 64] |= 1ull << im.names[i].what % 64;
  for (size_t i = 0; i < im.nnss; i++) e->ns_slots |= 1u << im.nss[i].what;
  /* (the fixes first: their alignment holds after the header) */
  e->names = (ImageFix *)(void *)at;
  memcpy(e->names, im.names, im.nnames * sizeof(ImageFix));
  at += im.nnames * sizeof(ImageFix);
  e->nss = (ImageFix *)(void *)at;
  memcpy(e->nss, im.nss, im.nnss * sizeof(ImageFix));
  at += im.nnss * sizeof(ImageFix);
  e->inner = (uint32_t *)(void *)at;
  memcpy(e->inner, im.inner, im.ninner * sizeof(uint32_t));
  at += im.ninner * sizeof(uint32_t);
  e->docs = (uint32_t *)(void *)at;
  memcpy(e->docs, im.docs, im.ndocs * sizeof(uint32_t));
  at += im.ndocs * sizeof(uint32_t);
  at += (16 - (uintptr_t)at % 16) % 16;
  e->bytes = at;
  memcpy(e->bytes, im.bytes, im.len);
  at += im.len;
  e->key = (char *)at;
  memcpy(e->key, key->data, key->len);
  StyleImage **bucket = &image_buckets[hash % IMAGE_BUCKETS];
  e->next = *bucket;
  *bucket = e;
  images_used += size;
}

/* A copy of image e for doc, whose root is root, in the fill's arena; NULL when one of its
 * namespaces is not declared there (the style is made as the first was). */
static xmlNode *image_copy(const StyleImage *e, xmlDoc *doc, xmlNode *root) {
  xmlNs **ns = images_at.ns; /* (images_plain asked just before) */
  for (int slot = 0; slot < FAST_NS; slot++)
    if ((e->ns_slots >> slot & 1) && !ns[slot] && !(ns[slot] = root_ns(root, fast_hrefs[slot])))
      return NULL;
  unsigned long fill = tmpl_fill_number();
  if (names_now.fill != fill || names_now.dict != doc->dict) {
    names_now.fill = fill;
    names_now.dict = doc->dict;
    memset(names_now.bits, 0, sizeof names_now.bits);
  }
  for (size_t w = 0; w < IMAGE_NAMES / 64; w++) {
    for (uint64_t missing = e->name_bits[w] & ~names_now.bits[w]; missing; missing &= missing - 1) {
      size_t k = w * 64 + (size_t)__builtin_ctzll(missing);
      const xmlChar *name = xmlDictLookup(doc->dict, BAD_CAST image_names[k].text, -1);
      if (!name) tmpl_no_memory();
      image_names[k].in_dict = name;
      names_now.bits[w] |= 1ull << k % 64;
    }
  }
  unsigned char *base = tmpl_check(xmlMalloc(e->size));
  tmpl_copy_bytes(base, e->bytes, e->size);
  tmpl_relocate(base, e->inner, e->ninner, (uintptr_t)base);
  for (size_t i = 0; i < e->ndocs; i++) memcpy(base + e->docs[i], &doc, sizeof doc);
  for (size_t i = 0; i < e->nnames; i++) {
    const xmlChar *name = image_names[e->names[i].what].in_dict;
    memcpy(base + e->names[i].at, &name, sizeof name);
  }
  for (size_t i = 0; i < e->nnss; i++)
    memcpy(base + e->nss[i].at, &ns[e->nss[i].what], sizeof ns[0]);
  return (xmlNode *)(void *)(base + e->first);
}

/* The key of a style of kind `kind`, to which the caller adds all the style is made of. */
static RowKey *style_key(const char *kind) {
  static RowKey key;
  key.len = 0;
  key.failed = 0;
  rowkey_str(&key, kind);
  return &key;
}

/* Template style e (and what it holds) added to k: 0 when an image could not stand for a copy
 * of it (a declaration, a namespace not of fast_hrefs, a node of another kind). */
static int key_tree(RowKey *k, const xmlNode *e) {
  long head[] = {e->type, e->line, e->extra};
  rowkey_bytes(k, head, sizeof head);
  if (e->type == XML_TEXT_NODE) {
    rowkey_str(k, (const char *)e->content);
    return e->name == xmlStringText || e->name == xmlStringTextNoenc;
  }
  if (e->type != XML_ELEMENT_NODE || e->nsDef || e->_private || e->content) return 0;
  rowkey_str(k, (const char *)e->name);
  int slot = e->ns ? href_slot(e->ns) : FAST_NS;
  rowkey_int(k, slot);
  if (slot < 0) return 0;
  for (const xmlAttr *a = e->properties; a; a = a->next) {
    slot = a->ns ? href_slot(a->ns) : FAST_NS;
    long attr[] = {1, slot, a->atype};
    rowkey_bytes(k, attr, sizeof attr);
    rowkey_str(k, (const char *)a->name);
    if (slot < 0) return 0;
    for (const xmlNode *v = a->children; v; v = v->next)
      if (!key_tree(k, v)) return 0;
    rowkey_int(k, 2);
  }
  for (const xmlNode *c = e->children; c; c = c->next)
    if (!key_tree(k, c)) return 0;
  rowkey_int(k, 3);
  return 1;
}

/* Byte strings numbered in the order first met, so that a long part of a key (a template style's
 * contents, a root's declarations, a row's look) stands in it as a short number: each string
 * kept once, found by its hash and compared whole. Up to `most` strings (0: no limit). */
typedef struct {
  RowKey all; /* the strings, one after another */
  struct {
    uint64_t hash;
    size_t at, len;
  } * slot;
  size_t count, cap, most;
} Numbering;

static void numbering_clear(Numbering *n) {
  n->count = 0;
  n->all.len = 0;
  n->all.failed = 0;
}

/* The number of k's bytes (k whole): one given before (*added false) or now (*added true); or
 * -1 when it is new and there is no room (the limit, or memory: then it is asked again later). */
static long numbering_of(Numbering *n, const RowKey *k, int *added) {
  *added = 0;
  uint64_t hash = XXH3_64bits(k->data, k->len);
  for (size_t i = 0; i < n->count; i++)
    if (n->slot[i].hash == hash && n->slot[i].len == k->len &&
        memcmp(n->all.data + n->slot[i].at, k->data, k->len) == 0)
      return (long)i;
  if (n->most && n->count == n->most) return -1;
  if (n->count == n->cap) {
    size_t cap = n->cap ? 2 * n->cap : 32;
    void *grown = memory_realloc(n->slot, cap * sizeof *n->slot);
    if (!grown) return -1;
    n->slot = grown;
    n->cap = cap;
  }
  size_t at = n->all.len;
  rowkey_bytes(&n->all, k->data, k->len);
  if (n->all.failed) {
    n->all.len = at;
    n->all.failed = 0;
    return -1;
  }
  n->slot[n->count].hash = hash;
  n->slot[n->count].at = at;
  n->slot[n->count].len = k->len;
  *added = 1;
  return (long)n->count++;
}

/* The number standing for the contents of template style `base` in a key (key_tree's, compared
 * whole once per fill and style: a paragraph style's key was half of making it from an image),
 * or -1 when an image could not stand for a copy of it. A number is kept for the process. */
static long base_number(const xmlNode *base) {
  enum { SEEN = 8 };
  static struct {
    unsigned long fill;
    const xmlNode *base;
    long number;
  } seen[SEEN];
  static size_t next_seen;
  static RowKey key; /* the one asked about */
  static Numbering bases = {.most = 1024};
  unsigned long fill = tmpl_fill_number();
  for (size_t i = 0; i < SEEN; i++)
    if (seen[i].fill == fill && seen[i].base == base) return seen[i].number;
  key.len = 0;
  key.failed = 0;
  int added;
  long number = key_tree(&key, base) && !key.failed ? numbering_of(&bases, &key, &added) : -1;
  seen[next_seen].fill = fill;
  seen[next_seen].base = base;
  seen[next_seen].number = number;
  next_seen = (next_seen + 1) % SEEN;
  return number;
}

/* The style key says (the caller has found none of its name) appended to styles as an image
 * made it: 1; or 0, and the caller makes it, then calls style_made. */
static int style_from_image(xmlNode *styles, const RowKey *key) {
  if (key->failed || !images_plain(styles)) return 0;
  const StyleImage *e = image_find(key, XXH3_64bits(key->data, key->len));
  xmlNode *made = e ? image_copy(e, styles->doc, styles->parent) : NULL;
  if (!made) return 0;
  tmpl_append_child(styles, made);
  return 1;
}

/* Style `made`, just made in styles by what key says, kept as an image for later fills. */
static void style_made(xmlNode *styles, const RowKey *key, xmlNode *made) {
  if (!key->failed && made->parent == styles && images_plain(styles))
    image_keep(key, XXH3_64bits(key->data, key->len), made);
}

/* The text properties of a new automatic text style `name` (appended to styles, the part's
 * automatic styles, which have none of the name). */
static xmlNode *new_text_style(xmlDoc *doc, xmlNode *styles, const char *name) {
  xmlNs *style = ns_of(xmlDocGetRootElement(doc), NS_STYLE, "style");
  xmlNode *s = tmpl_doc_node(doc, style, "style");
  tmpl_new_prop(s, style, "name", name);
  tmpl_new_prop(s, style, "family", "text");
  xmlNode *tp = tmpl_doc_node(doc, style, "text-properties");
  tmpl_append_child(s, tp);
  tmpl_append_child(styles, s);
  return tp;
}

/* The fixed-named styles a part's automatic styles are known to have in this fill (found there
 * or made): text_style's, row_style's and cell_style's are asked for every run, row and cell,
 * and none is taken away during a fill, so a name found once is not looked up again. */
static struct {
  unsigned long fill;
  const xmlDoc *doc;
  unsigned text;  /* 1 << (bold + 2 * italic) */
  int row;        /* NstRowKeep */
  unsigned cells; /* 1 << (borders * 4 + valign), for cell_pad of that slot */
  long cell_pad[8];
} present;

static void present_in(const xmlDoc *doc) {
  unsigned long fill = tmpl_fill_number();
  if (present.fill == fill && present.doc == doc) return;
  present.fill = fill;
  present.doc = doc;
  present.text = 0;
  present.row = 0;
  present.cells = 0;
}

/* The name of an automatic text style that makes text bold and/or italic. */
static const char *text_style(xmlDoc *doc, int bold, int italic) {
  const char *name = bold && italic ? "NstBoldItalic" : bold ? "NstBold" : "NstItalic";
  unsigned bit = 1u << ((bold ? 1 : 0) + (italic ? 2 : 0));
  present_in(doc);
  if (present.text & bit) return name;
  present.text |= bit; /* (found, or made below) */
  xmlNode *styles = automatic_styles(doc);
  if (find_style(styles, name)) return name;
  RowKey *key = style_key("text");
  rowkey_str(key, name);
  if (style_from_image(styles, key)) return name;
  xmlNode *tp = new_text_style(doc, styles, name);
  xmlNode *root = xmlDocGetRootElement(doc);
  xmlNs *style = ns_of(root, NS_STYLE, "style"), *fo = ns_of(root, NS_FO, "fo");
  if (bold) {
    tmpl_new_prop(tp, fo, "font-weight", "bold");
    tmpl_new_prop(tp, style, "font-weight-asian", "bold");
    tmpl_new_prop(tp, style, "font-weight-complex", "bold");
  }
  if (italic) {
    tmpl_new_prop(tp, fo, "font-style", "italic");
    tmpl_new_prop(tp, style, "font-style-asian", "italic");
    tmpl_new_prop(tp, style, "font-style-complex", "italic");
  }
  style_made(styles, key, tp->parent);
  return name;
}

/* How rich paragraphs look beyond the template's formatting: table cells set these. */
typedef struct {
  TmplAlign align;   /* for paragraphs without an align of their own */
  int bold;          /* every run bold */
  double size_pt;    /* 0: the template's size */
  int cell;          /* in a table cell: no indents */
  int keep_next;     /* in a row kept with the next one (TmplRow.keep_next) */
  struct Made *made; /* the table's cells and paragraphs made so far, or NULL */
} Look;

/* A table's cells (table:table-cell with its attributes) and cell paragraphs (text:p with its
 * style) made once per kind and copied, without their content, for every later one of the
 * same kind: each asks for its namespace, its style's name (printed, then looked up) and its
 * attributes one by one otherwise. What was made stays in the table being built (nothing
 * changes it before the table is done) and is copied as if it stood where the template's
 * paragraph stands, which is where it was made from; when a copy there cannot be made alike,
 * it is made afresh. */
enum { MADE_MAX = 32 };
typedef struct {
  int what; /* MADE_CELL or MADE_PARA */
  int a, b, c, d, e, f;
  double x, y;
  xmlNode *made;
} MadeOne;

enum { MADE_CELL = 1, MADE_PARA };

typedef struct Made {
  xmlNode *at; /* the template's paragraph */
  MadeOne kinds[MADE_MAX];
  size_t count;
} Made;

/* A copy (without content) of what was made for key, or NULL. */
static xmlNode *made_copy(Made *m, const MadeOne *key) {
  for (size_t i = 0; m && i < m->count; i++) {
    const MadeOne *o = &m->kinds[i];
    if (o->what != key->what || o->a != key->a || o->b != key->b || o->c != key->c ||
        o->d != key->d || o->e != key->e || o->f != key->f || o->x != key->x || o->y != key->y)
      continue;
    xmlNode *copy = tmpl_copy_element_at(o->made, m->at, 0);
    if (!copy && memory_failed()) tmpl_no_memory();
    return copy;
  }
  return NULL;
}

static void made_keep(Made *m, const MadeOne *key, xmlNode *made) {
  if (!m || m->count == MADE_MAX) return;
  m->kinds[m->count] = *key;
  m->kinds[m->count++].made = made;
}

static xmlNode *child_style(xmlNode *s, const char *name, xmlNode *before) {
  for (xmlNode *c = s->children; c; c = c->next)
    if (odt_is(c, S_STYLE, name)) return c;
  xmlNode *e = tmpl_doc_node(s->doc, ns_of(s, NS_STYLE, "style"), name);
  if (before)
    tmpl_insert_before(before, e);
  else
    tmpl_append_child(s, e);
  return e;
}

/* The page rules of a paragraph (RichPara, TmplRow) as ODF paragraph styles carry them. */
typedef struct {
  int keep_next;  /* fo:keep-with-next */
  int no_hyphens; /* fo:hyphenate = false */
} ParaRules;

/* An automatic paragraph style like `base` (the template paragraph's) for a list item of
 * `level` (hanging indent), a cell paragraph (no indents), an alignment, a size, a spacer's
 * height, the page rules. With a level alone its name is NstList<level>_<base>; the marks after
 * the level say the rest (an alignment l c r j, T in a table cell, s and the size, K, H). */
/* Appends s to the name in buf[0..size) whose untruncated length is *n, as snprintf at buf + *n
 * would (cut to fit, *n counting all of s). */
static void name_put(char *buf, size_t size, size_t *n, const char *s) {
  size_t len = strlen(s);
  if (*n < size) {
    size_t room = size - *n - 1, k = len < room ? len : room;
    memcpy(buf + *n, s, k);
    buf[*n + k] = 0;
  }
  *n += len;
}

static void name_num(char *buf, size_t size, size_t *n, long v) {
  char text[24];
  name_put(buf, size, n, tmpl_decimal(text, v));
}

/* buf = v as snprintf's "%gpt" writes it (snprintf took 1,700 instructions a style). A size
 * within 1e-9 of tenths below 10,000 is those tenths to %g's six digits (its rounding moves
 * nothing by so little); another goes to snprintf. buf holds 32 bytes. */
static void points(char *buf, double v) {
  double tenths = v * 10;
  if (v > 0 && v < 10000 && fabs(tenths - nearbyint(tenths)) < 1e-9) {
    long t = lrint(tenths);
    char *e = put_digits(buf, (unsigned long long)(t / 10));
    if (t % 10) {
      *e++ = '.';
      *e++ = (char)('0' + t % 10);
    }
    memcpy(e, "pt", 3);
    return;
  }
  snprintf(buf, 32, "%gpt", v);
}

/* The template's automatic style `base` in styles, or NULL. The last one found is kept for the
 * fill and part (the cells of a table ask for their paragraph's, each style they lack): the first
 * style of a name stays the first, since styles are only appended during a fill. */
static xmlNode *base_style(xmlNode *styles, const char *base) {
  static struct {
    unsigned long fill;
    const xmlNode *styles;
    char name[64];
    xmlNode *style;
  } last;
  unsigned long fill = tmpl_fill_number();
  if (last.fill == fill && last.styles == styles && strcmp(last.name, base) == 0) return last.style;
  xmlNode *found = find_style(styles, base);
  if (found && strlen(base) < sizeof last.name) {
    last.fill = fill;
    last.styles = styles;
    strcpy(last.name, base);
    last.style = found;
  }
  return found;
}

static const char *para_style(xmlDoc *doc, const char *base, int level, const Look *look,
                              TmplAlign align, double space_mm, ParaRules flow, char *buf,
                              size_t size) {
  /* (the name put together by hand: printed with snprintf, a table's cells spent a tenth of
   * their paragraphs on it) */
  if (level > 8) level = 8;
  size_t n = 0;
  buf[0] = 0;
  if (space_mm > 0) {
    name_put(buf, size, &n, "NstSpace");
    name_num(buf, size, &n, (int)(space_mm * 10 + 0.5));
  } else if (level > 0) {
    name_put(buf, size, &n, "NstList");
    name_num(buf, size, &n, level);
  } else {
    name_put(buf, size, &n, look->cell ? "NstCell" : "NstPara");
  }
  static const char *const align_mark[] = {"", "l", "c", "r", "j"};
  if (align) name_put(buf, size, &n, align_mark[align]);
  /* (a letter of its own: "c" is the centred alignment's, and a centred list item outside a
   * table must not take the style of one in a cell) */
  if (look->cell && level > 0) name_put(buf, size, &n, "T");
  if (look->size_pt > 0) {
    name_put(buf, size, &n, "s");
    name_num(buf, size, &n, (int)(look->size_pt * 10 + 0.5));
  }
  if (flow.keep_next) name_put(buf, size, &n, "K");
  if (flow.no_hyphens) name_put(buf, size, &n, "H");
  name_put(buf, size, &n, "_");
  name_put(buf, size, &n, base ? base : "");
  xmlNode *styles = automatic_styles(doc);
  if (find_style(styles, buf)) return buf;
  xmlNode *root = xmlDocGetRootElement(doc);
  xmlNs *style = ns_of(root, NS_STYLE, "style"), *fo = ns_of(root, NS_FO, "fo");
  xmlNode *automatic = base ? base_style(styles, base) : NULL;
  RowKey *key = style_key("paragraph");
  rowkey_str(key, buf);
  rowkey_str(key, base);
  long nums[] = {level, look->cell, (long)align, flow.keep_next, flow.no_hyphens};
  rowkey_bytes(key, nums, sizeof nums);
  rowkey_num(key, look->size_pt);
  rowkey_num(key, space_mm);
  long number = automatic ? base_number(automatic) : -3;
  rowkey_int(key, number);
  if (number == -1) key->failed = 1;
  if (style_from_image(styles, key)) return buf;
  xmlNode *s;
  if (automatic) {
    s = tmpl_copy(automatic, 1);
    tmpl_set_prop(s, style, "name", buf);
  } else {
    s = tmpl_doc_node(doc, style, "style");
    tmpl_new_prop(s, style, "name", buf);
    tmpl_new_prop(s, style, "family", "paragraph");
    if (base) tmpl_new_prop(s, style, "parent-style-name", base);
  }
  xmlNode *pp = child_style(s, "paragraph-properties", s->children);
  if (level > 0) {
    char cm[32];
    fixed2(cm, sizeof cm, 0.75 * level, "cm");
    tmpl_set_prop(pp, fo, "margin-left", cm);
    tmpl_set_prop(pp, fo, "text-indent", "-0.75cm");
    tmpl_set_prop(pp, style, "auto-text-indent", "false");
  } else if (look->cell) {
    tmpl_set_prop(pp, fo, "margin-left", "0cm");
    tmpl_set_prop(pp, fo, "margin-right", "0cm");
    tmpl_set_prop(pp, fo, "text-indent", "0cm");
    tmpl_set_prop(pp, style, "auto-text-indent", "false");
  }
  if (look->cell && level > 0) tmpl_set_prop(pp, fo, "margin-right", "0cm");
  if (align) {
    static const char *const values[] = {"", "start", "center", "end", "justify"};
    tmpl_set_prop(pp, fo, "text-align", values[align]);
  }
  if (space_mm > 0) {
    char mm[32];
    fixed2(mm, sizeof mm, space_mm, "mm");
    tmpl_set_prop(pp, fo, "margin-top", "0mm");
    tmpl_set_prop(pp, fo, "margin-bottom", "0mm");
    tmpl_set_prop(pp, fo, "line-height", mm);
  }
  if (flow.keep_next) tmpl_set_prop(pp, fo, "keep-with-next", "always");
  if (flow.no_hyphens)
    tmpl_set_prop(child_style(s, "text-properties", NULL), fo, "hyphenate", "false");
  if (look->size_pt > 0) {
    xmlNode *tp = child_style(s, "text-properties", NULL);
    char pt[32];
    points(pt, look->size_pt);
    tmpl_set_prop(tp, fo, "font-size", pt);
    tmpl_set_prop(tp, style, "font-size-asian", pt);
    tmpl_set_prop(tp, style, "font-size-complex", pt);
  }
  tmpl_append_child(styles, s);
  style_made(styles, key, s);
  return buf;
}

/* Appends to np a copy of the span chain (outermost first) holding text or a tab. */
static void add_run(xmlNode *np, xmlNode **chain, int nchain, const char *text, int bold,
                    int italic, int tab) {
  xmlNode *parent = np;
  for (int i = nchain - 1; i >= 0; i--) {
    xmlNode *copy = tmpl_copy(chain[i], 0);
    tmpl_append_child(parent, copy);
    parent = copy;
  }
  if (bold || italic) {
    xmlNode *span = tmpl_doc_node(np->doc, ns_of(np, NS_TEXT, "text"), "span");
    tmpl_new_prop(span, ns_of(np, NS_TEXT, "text"), "style-name",
                  text_style(np->doc, bold, italic));
    tmpl_append_child(parent, span);
    parent = span;
  }
  if (tab)
    tmpl_append_child(parent, odt_new_segment(np, SEG_TAB, NULL, 0));
  else
    tmpl_append_text(&tmpl_odt, parent, np, text);
}

/* The runs of rich paragraph rp appended to np. */
static void add_runs(xmlNode *np, xmlNode **chain, int nchain, const RichPara *rp,
                     const Look *look) {
  if (rp->is_item) {
    add_run(np, chain, nchain, rp->label, look->bold, 0, 0);
    add_run(np, chain, nchain, NULL, 0, 0, 1);
  }
  for (size_t k = 0; k < rp->nruns; k++)
    add_run(np, chain, nchain, rp->runs[k].text, rp->runs[k].bold || look->bold, rp->runs[k].italic,
            0);
}

/* How rich paragraph rp looks (the block's own size and alignment over look's), and the key of
 * a paragraph made like it. */
static const Look *para_look(const RichPara *rp, const Look *look, Look *sized, TmplAlign *align,
                             ParaRules *flow, MadeOne *key) {
  if (rp->size_pt > 0) { /* the block's own size wins, as in the PDF */
    *sized = *look;
    sized->size_pt = rp->size_pt;
    look = sized;
  }
  *align = rp->align ? rp->align : look->align;
  /* never hyphenated: as in docx.c */
  *flow = (ParaRules){.keep_next = look->cell ? look->keep_next : rp->keep_next,
                      .no_hyphens = rp->no_hyphens || *align == VIEW_ALIGN_CENTER || look->cell};
  *key = (MadeOne){MADE_PARA,       rp->is_item,      rp->level,     (int)*align,  look->cell,
                   flow->keep_next, flow->no_hyphens, look->size_pt, rp->space_mm, NULL};
  return look;
}

/* The automatic style a rich paragraph needs beyond the template paragraph's (made when the
 * part lacks it), or NULL. */
static const char *own_para_style(xmlDoc *doc, const char *base, const RichPara *rp,
                                  const Look *look, TmplAlign align, ParaRules flow, char *buf,
                                  size_t size) {
  if (!(rp->is_item || align || look->cell || look->size_pt > 0 || rp->space_mm > 0 ||
        flow.keep_next || flow.no_hyphens))
    return NULL;
  return para_style(doc, base, rp->is_item ? (rp->level < 1 ? 1 : rp->level) : 0, look, align,
                    rp->space_mm, flow, buf, size);
}

/* A text:p for one rich paragraph, in the template paragraph's style (or one made from it),
 * its runs inside copies of the spans around the tag. */
static xmlNode *rich_paragraph(xmlNode *p, xmlNode **chain, int nchain, const char *base,
                               const RichPara *rp, const Look *look) {
  Look sized;
  TmplAlign align;
  ParaRules flow;
  MadeOne key;
  look = para_look(rp, look, &sized, &align, &flow, &key);
  xmlNode *np = look->cell ? made_copy(look->made, &key) : NULL;
  if (np) {
    add_runs(np, chain, nchain, rp, look);
    return np;
  }
  xmlNs *text_ns = ns_of(p, NS_TEXT, "text");
  if (look->cell) { /* a heading would not do in a cell */
    np = tmpl_doc_node(p->doc, text_ns, "p");
    if (base) tmpl_new_prop(np, text_ns, "style-name", base);
  } else {
    np = tmpl_copy(p, 0);
  }
  if (look->cell) made_keep(look->made, &key, np);
  char buf[300];
  const char *style = own_para_style(p->doc, base, rp, look, align, flow, buf, sizeof buf);
  if (style) tmpl_set_prop(np, text_ns, "style-name", style);
  add_runs(np, chain, nchain, rp, look);
  return np;
}

/* The automatic styles rich_paragraph would make for rp, made in the same order (a paragraph
 * remembered, not built, leaves the part's styles as building it would): its own, then the
 * text styles of its runs (add_runs). */
static void paragraph_styles(xmlDoc *doc, const char *base, const RichPara *rp, const Look *look) {
  Look sized;
  TmplAlign align;
  ParaRules flow;
  MadeOne key;
  look = para_look(rp, look, &sized, &align, &flow, &key);
  char buf[300];
  own_para_style(doc, base, rp, look, align, flow, buf, sizeof buf);
  if (rp->is_item && look->bold) text_style(doc, look->bold, 0);
  for (size_t k = 0; k < rp->nruns; k++) {
    int bold = rp->runs[k].bold || look->bold, italic = rp->runs[k].italic;
    if (bold || italic) text_style(doc, bold, italic);
  }
}

/* The spans between tag text node t and paragraph p, innermost first. */
static int span_chain(xmlNode *p, xmlNode *t, xmlNode **chain, int max) {
  int n = 0;
  for (xmlNode *e = t->parent; e && e != p && n < max; e = e->parent) chain[n++] = e;
  return n;
}

static void odt_rich(xmlNode *p, xmlNode *t, const RichPara *paras, size_t n) {
  xmlNode *chain[32];
  int nchain = span_chain(p, t, chain, 32);
  xmlChar *base = tmpl_ns_prop(p, BAD_CAST "style-name", BAD_CAST NS_TEXT);
  const Look plain = {0};
  for (size_t i = 0; i < n; i++)
    tmpl_insert_before(p, rich_paragraph(p, chain, nchain, (const char *)base, &paras[i], &plain));
  xmlFree(base);
  tmpl_remove(p);
}

/* ---- tables ---- */

/* strtod(v, unit), for less when v is plain digits with at most one point (no sign, space,
 * exponent or hex) and 15 digits or fewer: their integer and a power of ten below 10^16 are
 * both doubles, so the one division rounds as strtod's correct rounding does. */
static double read_number(const char *v, char **unit) {
  static const double tens[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  const char *q = v;
  unsigned long long m = 0;
  int digits = 0, decimals = 0, point = 0;
  for (;; q++) {
    if (*q >= '0' && *q <= '9') {
      m = m * 10 + (unsigned long long)(*q - '0');
      digits++;
      decimals += point;
    } else if (*q == '.' && !point) {
      point = 1;
    } else {
      break;
    }
  }
  if (digits == 0 || digits > 15 || *q == 'e' || *q == 'E' || *q == 'x' || *q == 'X')
    return strtod(v, unit);
  *unit = (char *)q;
  return (double)m / tens[decimals];
}

/* A length such as "21.001cm", "0.7874in", "20mm", "72pt" in mm; -1 when not one. */
static double length_mm(const xmlChar *v) {
  if (!v) return -1;
  char *end;
  double x = read_number((const char *)v, &end);
  if (end == (const char *)v) return -1;
  if (strcmp(end, "cm") == 0) return x * 10;
  if (strcmp(end, "mm") == 0) return x;
  if (strcmp(end, "in") == 0) return x * 25.4;
  if (strcmp(end, "pt") == 0) return x * 25.4 / 72;
  if (strcmp(end, "pc") == 0) return x * 25.4 / 6;
  return -1;
}

/* (the value read in place, as plain_attr reads it: a copy and strtod were most of finding
 * the page's width, once a fill) */
static double prop_mm(xmlNode *e, int slot, const char *name, double dflt) {
  xmlChar *copied;
  double mm = length_mm(BAD_CAST attr_text(e, slot, name, &copied));
  xmlFree(copied);
  return mm >= 0 ? mm : dflt;
}

/* The first element {ns}elem under e, in document order, whose style:name is `name` (any, when
 * NULL). Asked a few times a fill of all of styles.xml: walked without recursion, the names read
 * in place. */
static xmlNode *find_named(xmlNode *e, int ns, const char *elem, const char *name) {
  xmlNode *c = e ? e->children : NULL;
  while (c) {
    if (c->type == XML_ELEMENT_NODE) {
      if (odt_is(c, ns, elem)) {
        xmlChar *copied;
        const char *n = attr_text(c, S_STYLE, "name", &copied);
        int same = !name || (n && strcmp(n, name) == 0);
        xmlFree(copied);
        if (same) return c;
      }
      if (c->children) {
        c = c->children;
        continue;
      }
    }
    while (!c->next && c->parent != e) c = c->parent;
    c = c->next;
  }
  return NULL;
}

/* The text width of the page layout of master page "Standard" (or the first), from styles.xml;
 * 0 inside a cell or when there is none. */
static double page_text_width(xmlDoc *styles);

static double odt_text_width(xmlNode *p, xmlDoc *styles) {
  for (xmlNode *e = p->parent; e; e = e->parent)
    if (odt_cell(e)) return 0;
  /* (the page's, looked up once per fill: every table of a consent asked, and the search goes
   * through all of styles.xml; nothing a fill does changes a page layout) */
  static struct {
    unsigned long fill;
    const xmlDoc *styles;
    double width;
  } known;
  unsigned long fill = tmpl_fill_number();
  if (!styles || known.fill != fill || known.styles != styles) {
    known.width = page_text_width(styles);
    known.fill = fill;
    known.styles = styles;
  }
  return known.width;
}

static double page_text_width(xmlDoc *styles) {
  xmlNode *root = styles ? xmlDocGetRootElement(styles) : NULL;
  if (!root) return 0;
  xmlNode *master = find_named(root, S_STYLE, "master-page", "Standard");
  if (!master) master = find_named(root, S_STYLE, "master-page", NULL);
  xmlChar *name =
      master ? tmpl_ns_prop(master, BAD_CAST "page-layout-name", BAD_CAST NS_STYLE) : NULL;
  xmlNode *layout = name ? find_named(root, S_STYLE, "page-layout", (const char *)name) : NULL;
  xmlFree(name);
  xmlNode *props = NULL;
  for (xmlNode *c = layout ? layout->children : NULL; c; c = c->next)
    if (odt_is(c, S_STYLE, "page-layout-properties")) props = c;
  if (!props) return 0;
  double width = prop_mm(props, S_FO, "page-width", 0) - prop_mm(props, S_FO, "margin-left", 0) -
                 prop_mm(props, S_FO, "margin-right", 0);
  return width > 10 ? width : 0;
}

static xmlNode *add_el(xmlNode *parent, const char *href, const char *prefix, const char *name) {
  xmlNode *e = tmpl_doc_node(parent->doc, ns_of(parent, href, prefix), name);
  tmpl_append_child(parent, e);
  return e;
}

/* Gives e, just made (add_el), attribute `name`, which it lacks: added without looking for one
 * of that name to replace (tmpl_set_prop's search). */
static void set(xmlNode *e, const char *href, const char *prefix, const char *name,
                const char *value) {
  tmpl_new_prop(e, ns_of(e, href, prefix), name, value);
}

/* The n of a table named `name` "NstTable<n>" as sscanf's "NstTable%d" reads it, or -1. */
static int table_number(const char *name) {
  if (!name || strncmp(name, "NstTable", 8) != 0) return -1;
  const char *d = name + 8;
  int k = 0, n = 0;
  while (n < 9 && d[n] >= '0' && d[n] <= '9') k = k * 10 + (d[n++] - '0');
  if (n > 0 && !(d[n] >= '0' && d[n] <= '9')) return k;
  /* (a sign, spaces, or ten digits and more: as sscanf says) */
  return sscanf(name, "NstTable%d", &k) == 1 ? k : -1;
}

/* The highest n of the tables named NstTable<n> under root, 0 when none. Asked for every table
 * a fill makes, of the whole part: walked without recursion, the names read in place. */
static int last_table_number(xmlNode *root) {
  int max = 0;
  xmlNode *c = root->children;
  while (c) {
    if (c->type == XML_ELEMENT_NODE) {
      if (odt_is(c, S_TABLE, "table")) {
        xmlChar *copied;
        int k = table_number(attr_text(c, S_TABLE, "name", &copied));
        xmlFree(copied);
        if (k > max) max = k;
      }
      if (c->children) {
        c = c->children;
        continue;
      }
    }
    while (!c->next && c->parent != root) c = c->parent;
    c = c->next;
  }
  return max;
}

/* The automatic style of a cell: borders or none, vertical alignment, padding (the PDF's, which
 * the column widths were computed with; 1 mm unless the name says p<hundredths of a mm>). */
static const char *cell_style(xmlDoc *doc, int borders, TmplVAlign valign, double padding_mm,
                              char *name, size_t size) {
  static const char *const names[2][4] = {{"NstCellN", "NstCellNt", "NstCellNm", "NstCellNb"},
                                          {"NstCellB", "NstCellBt", "NstCellBm", "NstCellBb"}};
  long pad = (long)(padding_mm * 100 + 0.5);
  /* (put together by hand, as para_style's: asked for every cell of every table) */
  size_t n = 0;
  name[0] = 0;
  name_put(name, size, &n, names[borders ? 1 : 0][valign]);
  if (pad != 100) {
    name_put(name, size, &n, "p");
    name_num(name, size, &n, pad);
  }
  unsigned slot = (borders ? 4u : 0u) + (unsigned)valign;
  present_in(doc);
  if (slot < 8 && (present.cells >> slot & 1) && present.cell_pad[slot] == pad) return name;
  if (slot < 8) { /* (found, or made below) */
    present.cells |= 1u << slot;
    present.cell_pad[slot] = pad;
  }
  xmlNode *styles = automatic_styles(doc);
  if (find_style(styles, name)) return name;
  RowKey *key = style_key("cell");
  rowkey_str(key, name);
  long nums[] = {borders, (long)valign, pad};
  rowkey_bytes(key, nums, sizeof nums);
  if (style_from_image(styles, key)) return name;
  xmlNode *s = add_el(styles, NS_STYLE, "style", "style");
  set(s, NS_STYLE, "style", "name", name);
  set(s, NS_STYLE, "style", "family", "table-cell");
  xmlNode *pr = add_el(s, NS_STYLE, "style", "table-cell-properties");
  static const char *const valigns[] = {NULL, "top", "middle", "bottom"};
  if (valign) set(pr, NS_STYLE, "style", "vertical-align", valigns[valign]);
  char length[32];
  fixed2(length, sizeof length, (double)pad / 100, "mm");
  set(pr, NS_FO, "fo", "padding", pad == 100 ? "0.1cm" : length);
  set(pr, NS_FO, "fo", "border", borders ? "0.5pt solid #000000" : "none");
  style_made(styles, key, s);
  return name;
}

/* The automatic style of a row that never breaks across pages. */
static const char *row_style(xmlDoc *doc) {
  static const char name[] = "NstRowKeep";
  present_in(doc);
  if (present.row) return name;
  present.row = 1; /* (found, or made below) */
  xmlNode *styles = automatic_styles(doc);
  if (find_style(styles, name)) return name;
  RowKey *key = style_key(name);
  if (style_from_image(styles, key)) return name;
  xmlNode *s = add_el(styles, NS_STYLE, "style", "style");
  set(s, NS_STYLE, "style", "name", name);
  set(s, NS_STYLE, "style", "family", "table-row");
  set(add_el(s, NS_STYLE, "style", "table-row-properties"), NS_FO, "fo", "keep-together", "always");
  style_made(styles, key, s);
  return name;
}

/* How the paragraphs of a cell look (a cell starting at this slot, or NULL: an empty or covered
 * one). */
static Look cell_look(const TmplTable *tab, size_t r, const TmplCell *cell, Made *made) {
  Look look = {
      .cell = 1, .size_pt = tab->size_pt, .keep_next = tab->rows[r].keep_next, .made = made};
  if (cell) {
    look.align = cell->align;
    look.bold = cell->bold;
  }
  return look;
}

/* The automatic styles building row r would make, made in the same order (odt_table). */
static void row_styles(xmlDoc *doc, const TmplTable *tab, size_t r, const char *base) {
  if (tab->rows[r].cant_split) row_style(doc);
  const TmplSlot *line = &tab->grid[r * tab->ncols];
  for (size_t c = 0; c < tab->ncols; c++) {
    if (line[c].kind == SLOT_ACROSS || line[c].kind == SLOT_BELOW) continue;
    const TmplCell *cell = line[c].kind == SLOT_START ? line[c].cell : NULL;
    char cname[64];
    cell_style(doc, tab->borders, cell ? cell->valign : TMPL_VALIGN_NONE, tab->padding_mm, cname,
               sizeof cname);
    Look look = cell_look(tab, r, cell, NULL);
    for (size_t i = 0; cell && i < cell->nparas; i++)
      paragraph_styles(doc, base, &cell->paras[i], &look);
    if (!cell || !cell->nparas) {
      RichPara none = {0};
      paragraph_styles(doc, base, &none, &look);
    }
  }
}

/* The looks of the rows whose automatic styles a part has (made or found as building them
 * would): a later row that looks the same and is remembered makes none, and need not ask for
 * them again (asking, for every cell and paragraph of every remembered row, was half the time
 * of an ODT table). A look is all row_styles reads, compared whole; the list holds for one
 * part of one fill (styles are never taken away during a fill). */
static struct {
  unsigned long fill;
  const xmlDoc *doc;
  RowKey key;      /* the look being asked about */
  Numbering known; /* the looks known */
} looks;

/* (in 32 bits where the fields are ints, a run's faces in a byte: what row_styles reads of
 * them is whether each is set; hashed and compared for every row, the look was twice as long
 * in longs) */
static void look_of(RowKey *k, const TmplTable *tab, size_t r, const char *base) {
  k->len = 0;
  k->failed = 0;
  rowkey_str(k, base);
  int32_t row[] = {tab->borders, tab->rows[r].cant_split, tab->rows[r].keep_next};
  rowkey_bytes(k, row, sizeof row);
  rowkey_bytes(k, &tab->ncols, sizeof tab->ncols);
  rowkey_num(k, tab->padding_mm);
  rowkey_num(k, tab->size_pt);
  const TmplSlot *line = &tab->grid[r * tab->ncols];
  for (size_t c = 0; c < tab->ncols; c++) {
    const TmplCell *cell = line[c].kind == SLOT_START ? line[c].cell : NULL;
    unsigned char kind = (unsigned char)line[c].kind;
    rowkey_bytes(k, &kind, 1);
    if (!cell) continue;
    int32_t look[] = {(int32_t)cell->valign, (int32_t)cell->align, cell->bold};
    rowkey_bytes(k, look, sizeof look);
    rowkey_bytes(k, &cell->nparas, sizeof cell->nparas);
    for (size_t i = 0; i < cell->nparas; i++) {
      const RichPara *rp = &cell->paras[i];
      int32_t flags[] = {rp->is_item, rp->level, (int32_t)rp->align, rp->keep_next, rp->no_hyphens};
      rowkey_bytes(k, flags, sizeof flags);
      rowkey_num(k, rp->space_mm);
      rowkey_num(k, rp->size_pt);
      rowkey_bytes(k, &rp->nruns, sizeof rp->nruns);
      for (size_t n = 0; n < rp->nruns; n++) {
        unsigned char face =
            (unsigned char)((rp->runs[n].bold ? 1 : 0) | (rp->runs[n].italic ? 2 : 0));
        rowkey_bytes(k, &face, 1);
      }
    }
  }
}

/* Whether doc has the styles of rows that look like row r already; when not, the look is
 * noted as known (the caller makes them). */
static int look_known(xmlDoc *doc, const TmplTable *tab, size_t r, const char *base) {
  unsigned long fill = tmpl_fill_number();
  if (looks.fill != fill || looks.doc != doc) {
    looks.fill = fill;
    looks.doc = doc;
    numbering_clear(&looks.known);
  }
  RowKey *k = &looks.key;
  look_of(k, tab, r, base);
  if (k->failed) return 0;
  int added;
  /* (not noted for want of memory: asked again next time) */
  return numbering_of(&looks.known, k, &added) >= 0 && !added;
}

/* Root's declarations (rowkey_root) in k, as a number standing for them: a table's key and a
 * part's paragraphs' key both began with them, some thirty prefixes and names (2 KB), hashed and
 * compared whole for every table. Numbered once per process, looked up once per fill and root
 * while its declarations stay as they were (a fill only adds to them, at the end of the list). */
static void root_context(RowKey *k, const xmlNode *root) {
  static struct {
    unsigned long fill;
    const xmlNode *root;
    const xmlNs *head, *last;
    long number;
  } known;
  static RowKey asked; /* the declarations asked about */
  static Numbering roots = {.most = 64};
  unsigned long fill = tmpl_fill_number();
  const xmlNs *last = root->nsDef;
  while (last && last->next) last = last->next;
  if (known.fill != fill || known.root != root || known.head != root->nsDef || known.last != last) {
    asked.len = 0;
    asked.failed = 0;
    rowkey_root(&asked, root);
    int added;
    known.fill = fill;
    known.root = root;
    known.head = root->nsDef;
    known.last = last;
    known.number = asked.failed ? -1 : numbering_of(&roots, &asked, &added);
  }
  rowkey_int(k, known.number);
  if (known.number < 0) rowkey_root(k, root); /* (not numbered: the declarations themselves) */
}

/* Whether the rows of a table replacing p may be remembered (rowmemo.h), with the table's part
 * of their key: the template's paragraph (its style, the spans around the tag), the borders,
 * padding and size (not the fit: odt_fit changes the automatic styles alone). Every namespace the
 * rows use must be declared by the root already (a row built would declare a missing one there) and
 * by it alone (no declaration on p, in it or on its ancestors), so that a row is written the same
 * wherever it stands. */
static TmplRowMemo *memo_context(const TmplTable *tab, xmlNode *p) {
  TmplRowMemo *memo = tab->memo;
  xmlNode *root = xmlDocGetRootElement(p->doc);
  if (!memo || memo->key.failed || !root) return NULL;
  static const char *const used[] = {NS_TABLE, NS_TEXT, NS_OFFICE};
  for (size_t i = 0; i < 3; i++) {
    xmlNs *d = root->nsDef;
    while (d && !(d->href && strcmp((const char *)d->href, used[i]) == 0)) d = d->next;
    if (!d) return NULL;
  }
  for (xmlNode *e = p->parent; e && e != root; e = e->parent)
    if (e->type == XML_ELEMENT_NODE && e->nsDef) return NULL;
  if (rowmemo_declares(p)) return NULL;
  RowKey *k = &memo->key;
  rowkey_str(k, "odt");
  root_context(k, root);
  /* the paragraph's XML straight into the key (rowkey_node), its length after it */
  size_t at = k->len;
  rowkey_node(k, p);
  rowkey_int(k, (long)(k->len - at));
  rowkey_int(k, tab->borders);
  rowkey_num(k, tab->padding_mm);
  rowkey_num(k, tab->size_pt);
  rowkey_int(k, (long)tab->ncols);
  if (rowmemo_intern(memo) != 0) tmpl_no_memory();
  return memo;
}

static void odt_table(xmlNode *p, xmlNode *t, const TmplTable *tab) {
  xmlDoc *doc = p->doc;
  xmlNode *chain[32];
  int nchain = span_chain(p, t, chain, 32);
  /* (p's style read in place, not copied: nothing changes p before the table replaces it) */
  xmlChar *base_attr;
  const char *base = attr_text(p, S_TEXT, "style-name", &base_attr);
  Made made; /* (kinds[] is read up to count only: not cleared, 2 KB a table) */
  made.at = p;
  made.count = 0;
  char name[64] = "NstTable"; /* (the number by hand: snprintf took 700 instructions) */
  long number = (long)last_table_number(xmlDocGetRootElement(doc)) + 1;
  *put_digits(name + 8, (unsigned long long)number) = '\0';
  xmlNode *styles = automatic_styles(doc);
  if (table_namespaces_plain(p, styles, base)) {
    fast.doc = doc;
    fast.fill = tmpl_fill_number();
    memset(fast.ns, 0, sizeof fast.ns);
  }
  char buf[64];
  RowKey *key = style_key("table");
  rowkey_str(key, name);
  rowkey_num(key, tab->width_mm);
  rowkey_int(key, tab->keep_together);
  if (!style_from_image(styles, key)) {
    xmlNode *ts = add_el(styles, NS_STYLE, "style", "style");
    set(ts, NS_STYLE, "style", "name", name);
    set(ts, NS_STYLE, "style", "family", "table");
    xmlNode *tp = add_el(ts, NS_STYLE, "style", "table-properties");
    fixed2(buf, sizeof buf, tab->width_mm, "mm");
    set(tp, NS_STYLE, "style", "width", buf);
    set(tp, NS_TABLE, "table", "align", "margins");
    if (tab->keep_together) set(tp, NS_STYLE, "style", "may-break-between-rows", "false");
    style_made(styles, key, ts);
  }
  xmlNode *table = tmpl_doc_node(doc, ns_of(p, NS_TABLE, "table"), "table");
  set(table, NS_TABLE, "table", "name", name);
  set(table, NS_TABLE, "table", "style-name", name);
  for (size_t c = 0; c < tab->ncols; c++) {
    char cname[96];
    /* (name.C<n> and the relative width by hand: snprintf took ~800 instructions each) */
    size_t nlen = strlen(name); /* (NstTable<n>: well within cname) */
    memcpy(cname, name, nlen);
    memcpy(cname + nlen, ".C", 2);
    *put_digits(cname + nlen + 2, c + 1) = '\0';
    key = style_key("column");
    rowkey_str(key, cname);
    rowkey_num(key, tab->col_mm[c]);
    if (!style_from_image(styles, key)) {
      xmlNode *cs = add_el(styles, NS_STYLE, "style", "style");
      set(cs, NS_STYLE, "style", "name", cname);
      set(cs, NS_STYLE, "style", "family", "table-column");
      xmlNode *cp = add_el(cs, NS_STYLE, "style", "table-column-properties");
      fixed2(buf, sizeof buf, tab->col_mm[c], "mm");
      set(cp, NS_STYLE, "style", "column-width", buf);
      long rel = (long)(tab->col_mm[c] * 100 + 0.5);
      if (rel >= 0)
        memcpy(put_digits(buf, (unsigned long long)rel), "*", 2);
      else
        snprintf(buf, sizeof buf, "%ld*", rel);
      set(cp, NS_STYLE, "style", "rel-column-width", buf);
      style_made(styles, key, cs);
    }
    set(add_el(table, NS_TABLE, "table", "table-column"), NS_TABLE, "table", "style-name", cname);
  }
  xmlNode *rows = table;
  if (tab->header_rows) rows = add_el(table, NS_TABLE, "table", "table-header-rows");
  TmplRowMemo *memo = memo_context(tab, p);
  size_t context = memo ? memo->key.len : 0;
  for (size_t r = 0; r < tab->nrows; r++) {
    if (r == tab->header_rows) rows = table;
    xmlNode *tr = add_el(rows, NS_TABLE, "table", "table-row");
    /* a row made of the same as one written before stands in for it (its styles made as
     * building it would) */
    int known = memo && look_known(doc, tab, r, base);
    if (memo && rowmemo_row(memo, context, tab, r, tr)) {
      if (!known) row_styles(doc, tab, r, base);
      continue;
    }
    if (tab->rows[r].cant_split) set(tr, NS_TABLE, "table", "style-name", row_style(doc));
    const TmplSlot *line = &tab->grid[r * tab->ncols];
    for (size_t c = 0; c < tab->ncols; c++) {
      const TmplCell *cell = line[c].cell;
      if (line[c].kind == SLOT_ACROSS || line[c].kind == SLOT_BELOW) {
        add_el(tr, NS_TABLE, "table", "covered-table-cell");
        continue;
      }
      int start = line[c].kind == SLOT_START;
      TmplVAlign valign = start ? cell->valign : TMPL_VALIGN_NONE;
      MadeOne key = {MADE_CELL,
                     (int)valign,
                     start && cell->colspan > 1 ? cell->colspan : 0,
                     start && cell->rowspan > 1 ? cell->rowspan : 0,
                     0,
                     0,
                     0,
                     0,
                     0,
                     NULL};
      xmlNode *tc = made_copy(&made, &key);
      if (tc) {
        tmpl_append_child(tr, tc);
      } else {
        tc = add_el(tr, NS_TABLE, "table", "table-cell");
        char cname[64];
        set(tc, NS_TABLE, "table", "style-name",
            cell_style(doc, tab->borders, valign, tab->padding_mm, cname, sizeof cname));
        if (key.b) {
          snprintf(buf, sizeof buf, "%d", cell->colspan);
          set(tc, NS_TABLE, "table", "number-columns-spanned", buf);
        }
        if (key.c) {
          snprintf(buf, sizeof buf, "%d", cell->rowspan);
          set(tc, NS_TABLE, "table", "number-rows-spanned", buf);
        }
        set(tc, NS_OFFICE, "office", "value-type", "string");
        made_keep(&made, &key, tc);
      }
      Look look = cell_look(tab, r, start ? cell : NULL, &made);
      size_t n = start ? cell->nparas : 0;
      for (size_t i = 0; i < n; i++)
        tmpl_append_child(tc, rich_paragraph(p, chain, nchain, base, &cell->paras[i], &look));
      if (!n) {
        RichPara none = {0};
        tmpl_append_child(tc, rich_paragraph(p, chain, nchain, base, &none, &look));
      }
    }
  }
  xmlFree(base_attr);
  tmpl_insert_before(p, table);
  tmpl_remove(p);
  fast.doc = NULL;
}

/* ---- words kept whole (whole.c) ---- */

/* The automatic styles, and the answer for the style asked last: a part's paragraphs mostly
 * follow others of the same style. */
typedef struct {
  xmlNode *styles;
  const char *last; /* a style's name as it stands in the tree walked, or NULL */
  int last_never;
} Hyphenated;

/* Paragraph p's automatic style says it is never hyphenated (centred lines, cells, names). */
static int never_hyphenated(Hyphenated *h, xmlNode *p) {
  /* (asked of every paragraph: its style's name read in place, not copied) */
  xmlChar *copied;
  const char *name = attr_text(p, S_TEXT, "style-name", &copied);
  int odd = copied != NULL; /* (then name is the copy, freed below: not remembered) */
  if (!odd && name && h->last && strcmp(name, h->last) == 0) return h->last_never;
  xmlNode *s = name ? find_style(h->styles, name) : NULL;
  xmlFree(copied);
  int never = 0;
  for (xmlNode *c = s ? s->children : NULL; c; c = c->next)
    if (odt_is(c, S_STYLE, "text-properties")) {
      never = attr_is(c, S_FO, "hyphenate", "false");
      break;
    }
  if (!odd && name) {
    h->last = name;
    h->last_never = never;
  }
  return never;
}

/* Text of no language: LibreOffice hyphenates nothing there (a character's own fo:hyphenate
 * = false it does not honour, 7.4). */
static const char *whole_style(xmlDoc *doc) {
  static const char name[] = "NstWhole";
  xmlNode *styles = automatic_styles(doc);
  if (find_style(styles, name)) return name;
  RowKey *key = style_key(name);
  if (style_from_image(styles, key)) return name;
  xmlNode *tp = new_text_style(doc, styles, name);
  xmlNs *fo = ns_of(xmlDocGetRootElement(doc), NS_FO, "fo");
  tmpl_new_prop(tp, fo, "language", "zxx");
  tmpl_new_prop(tp, fo, "country", "none");
  style_made(styles, key, tp->parent);
  return name;
}

typedef struct {
  xmlNode **texts; /* text nodes of paragraphs that may be hyphenated */
  xmlNode **paras; /* for each, the paragraph remembered with it (below), or NULL */
  size_t count, cap;
  TmplRowMemo *memo; /* paragraphs remembered (rowmemo.h), or NULL */
  size_t context;    /* the length of the key's common part */
} Texts;

static int holds_paragraph(const xmlNode *e) {
  for (const xmlNode *c = e->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && (odt_paragraph(c) || holds_paragraph(c))) return 1;
  return 0;
}

/* Paragraph p, about to be cut (a word of its is kept whole), remembered as it is written once
 * cut (rowmemo.h), as docx.c remembers its paragraphs: its words depend on its XML and the
 * stems alone (the key), and its spans' style on nothing (NstWhole). Returns 1 when one written
 * before with the same XML stands in for it (it is not cut, and is written as that one was);
 * else it is marked to be remembered. (A paragraph with no word kept whole is not asked about:
 * its key would cost what writing it costs, and nothing would be saved.) */
static int remembered(Texts *t, xmlNode *p) {
  /* (its XML written straight into the key, its text as it is: rowkey_node) */
  t->memo->key.len = t->context;
  rowkey_node(&t->memo->key, p);
  if (t->memo->key.failed) tmpl_no_memory();
  int used = rowmemo_use(t->memo, p);
  if (used < 0) tmpl_no_memory();
  return used;
}

/* (in: the paragraph whose texts these are, when it may be remembered: it may be hyphenated,
 * holds no paragraph of its own (a note's, a frame's: theirs depend on their styles), and
 * neither it nor anything between it and the root declares a namespace; outer: e is the root,
 * or stands in no paragraph and nothing between it and the root declares a namespace) */
static void collect_texts(Texts *t, Hyphenated *h, xmlNode *e, int skip, xmlNode *in, int outer) {
  for (xmlNode *c = e->children; c; c = c->next) {
    if (c->type == XML_TEXT_NODE && !skip && odt_text_parent(e)) {
      if (t->count == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        t->texts = tmpl_grow(t->texts, t->cap, sizeof *t->texts);
        t->paras = tmpl_grow(t->paras, t->cap, sizeof *t->paras);
      }
      t->paras[t->count] = in;
      t->texts[t->count++] = c;
    } else if (c->type == XML_ELEMENT_NODE && c->children &&
               !odt_is(c, S_OFFICE, "automatic-styles") &&
               !odt_is(c, S_OFFICE, "font-face-decls")) { /* (styles hold no text) */
      int para = odt_paragraph(c);
      int never = para ? never_hyphenated(h, c) : skip;
      xmlNode *kept = in;
      if (para)
        kept = !never && outer && t->memo && !rowmemo_declares(c) && !holds_paragraph(c) ? c : NULL;
      collect_texts(t, h, c, never, kept, outer && !para && !c->nsDef);
    }
  }
}

/* Inserts before node the text s[0..n), in a span of style `whole` (no language) when not
 * NULL; ns is the text namespace in scope there (the same for every piece of node). */
static void insert_piece(xmlNode *node, const char *s, size_t n, const char *whole, xmlNs *ns) {
  xmlNode *text = tmpl_check(xmlNewDocTextLen(node->doc, BAD_CAST s, (int)n));
  if (whole) {
    xmlNode *span = tmpl_doc_node(node->doc, ns, "span");
    tmpl_new_prop(span, ns, "style-name", whole);
    tmpl_append_child(span, text);
    text = span;
  }
  tmpl_insert_before(node, text);
}

static void odt_keep_whole(xmlNode *root, const TmplProtect *protect) {
  /* (the lists kept from fill to fill: grown afresh for each, they cost ~1,500 instructions a
   * fill) */
  static Texts t;
  static TmplSpan *spans;
  static size_t cap;
  t.count = 0;
  t.memo = NULL;
  t.context = 0;
  Hyphenated h = {.styles = automatic_styles(root->doc)};
  if (protect->memo && !protect->memo->key.failed) {
    t.memo = protect->memo;
    rowkey_str(&t.memo->key, "odt paragraph");
    root_context(&t.memo->key, root);
    if (rowmemo_intern(t.memo) != 0) tmpl_no_memory();
    t.context = t.memo->key.len;
  }
  collect_texts(&t, &h, root, 0, NULL, 1);
  const char *whole = NULL;
  const xmlNode *asked = NULL; /* the last paragraph asked about (remembered) */
  for (size_t i = 0; i < t.count; i++) {
    xmlNode *node = t.texts[i];
    const char *text = (const char *)node->content;
    size_t len = strlen(text), pos = 0;
    size_t n = tmpl_whole_words(protect, text, len, &spans, &cap);
    if (!n) continue;
    /* made when first needed, then reused: looking it up among the automatic styles for
     * every word was a sixth of this pass */
    if (!whole) whole = whole_style(root->doc);
    xmlNode *para = t.paras[i];
    if (para && para != asked) { /* (its texts before this one have no word kept whole) */
      asked = para;
      if (remembered(&t, para)) {
        while (i + 1 < t.count && t.paras[i + 1] == para) i++;
        continue;
      }
    }
    xmlNs *ns = ns_of(node->parent, NS_TEXT, "text");
    for (size_t k = 0; k < n; k++) {
      if (spans[k].start > pos) insert_piece(node, text + pos, spans[k].start - pos, NULL, ns);
      insert_piece(node, text + spans[k].start, spans[k].end - spans[k].start, whole, ns);
      pos = spans[k].end;
    }
    if (pos < len) insert_piece(node, text + pos, len - pos, NULL, ns);
    tmpl_remove(node);
  }
}

/* ---- a document shrunk to fit one page ---- */

/* Sets attribute `name` of e (namespace href) to its length times factor plus add (in its own
 * unit: "12pt" -> "11pt", "3mm" -> "1.50mm") unless that is below 1 (a 1 pt font stays); a
 * value of another form stays. */
static void scale_length(xmlNode *e, int slot, const char *name, double factor, double add) {
  const char *href = fast_hrefs[slot];
  /* (read in place: the attribute tmpl_set_prop would set, and its value when one text node) */
  xmlAttr *a = e->properties;
  while (a && !(a->name[0] == (xmlChar)name[0] && tmpl_name_is(a->name, name) && a->ns &&
                ns_is(a->ns, slot)))
    a = a->next;
  if (!a) return;
  xmlNode *text = a->children;
  int plain = text && !text->next && text->type == XML_TEXT_NODE && text->content;
  xmlChar *copied = plain ? NULL : tmpl_ns_prop(e, BAD_CAST name, BAD_CAST href);
  const char *v = plain ? (const char *)text->content : (const char *)copied;
  if (!v) return;
  char *unit;
  double n = read_number(v, &unit);
  if (unit != v && (add >= 0 || n * factor + add >= 1) &&
      (!strcmp(unit, "pt") || !strcmp(unit, "mm") || !strcmp(unit, "cm") || !strcmp(unit, "in"))) {
    char buf[48];
    fixed2(buf, sizeof buf, n * factor + add, unit); /* (snprintf's %.2f: 2,000 instructions) */
    xmlNs *ns = ns_of(e, href, NULL);
    /* the value's text replaced where tmpl_set_prop would make a new one (its search of the
     * attributes again and a new node were half of this), unless it would do more */
    if (plain && a->ns == ns && a->atype != XML_ATTRIBUTE_ID) {
      if (strcmp(v, buf) != 0) tmpl_set_text(text, buf, strlen(buf));
    } else {
      tmpl_set_prop(e, ns, name, buf); /* (v is not read after: it may go) */
    }
  }
  xmlFree(copied);
}

static void odt_fit(xmlNode *root, const TmplFit *fit) {
  if (!odt_is(root, S_OFFICE, "document-content")) return; /* the text is in content.xml */
  xmlNode *styles = automatic_styles(root->doc);
  /* every node asked about is an automatic style's: when nothing there declares a namespace,
   * ns_of answers the root's declarations (see table_namespaces_plain) */
  if (root_declares_once(root) && !rowmemo_declares(styles)) {
    fast.doc = root->doc;
    fast.fill = tmpl_fill_number();
    memset(fast.ns, 0, sizeof fast.ns);
  }
  for (xmlNode *s = styles->children; s; s = s->next) {
    if (!odt_is(s, S_STYLE, "style")) continue;
    int paragraph = attr_is(s, S_STYLE, "family", "paragraph");
    for (xmlNode *c = s->children; c; c = c->next) {
      if (!odt_is(c, S_STYLE, "text-properties")) continue;
      scale_length(c, S_FO, "font-size", 1, fit->size);
      scale_length(c, S_STYLE, "font-size-asian", 1, fit->size);
      scale_length(c, S_STYLE, "font-size-complex", 1, fit->size);
    }
    if (!paragraph) continue;
    xmlNode *pp = child_style(s, "paragraph-properties", s->children);
    xmlChar *line = tmpl_ns_prop(pp, BAD_CAST "line-height", BAD_CAST NS_FO);
    if (line && strchr((const char *)line, '%') == NULL) {
      scale_length(pp, S_FO, "line-height", fit->space, 0); /* an empty line's height */
    } else {
      char buf[32];
      fixed(buf, sizeof buf, (line ? atof((const char *)line) : 100) * fit->leading, 0, "%");
      tmpl_set_prop(pp, ns_of(pp, NS_FO, "fo"), "line-height", buf);
    }
    xmlFree(line);
    scale_length(pp, S_FO, "margin-top", fit->space, 0);
    scale_length(pp, S_FO, "margin-bottom", fit->space, 0);
  }
  fast.doc = NULL;
}

const TmplFormat tmpl_odt = {
    .name = "ODT",
    .is_paragraph = odt_paragraph,
    .is_text_parent = odt_text_parent,
    .is_row = odt_row,
    .is_cell = odt_cell,
    .is_run = never,
    .is_props = never,
    .holder = odt_holder,
    .new_segment = odt_new_segment,
    .touch = odt_touch,
    .has_breaks = 1,
    .collapses_spaces = 1,
    .rich = odt_rich,
    .text_width = odt_text_width,
    .table = odt_table,
    .finish = NULL,
    .keep_whole = odt_keep_whole,
    .fit = odt_fit,
};
