/*
 * treecopy: a prepared tree copied for one fill, in the fill's arena (xmlarena.h).
 *
 * xmlDocCopyNodeList looks every name up in the dictionary again (hashing it), searches the
 * new tree for the declaration of every node's namespace and asks of every attribute whether
 * it is an ID: it was a twelfth of a DOCX fill. Here the copy shares the names (all of a
 * prepared tree's names are its dictionary's or libxml2's constant ones, since libxml2's own
 * copy made it, and the copy's dictionary is a sub-dictionary of that one, so nothing frees
 * them), and finds each namespace among the declarations copied on the way down (in OOXML and
 * ODF nearly all on the root) or the document's xml: one. The copy keeps no table of IDs (no
 * one asks it for one; libxml2 makes one if an xml:id is added). Anything unusual (an entity
 * reference, a namespace declared nowhere in the tree, too many declarations in scope) makes
 * it give up: the caller then copies with libxml2.
 */
#include <libxml/parserInternals.h>
#include <stdint.h>
#include <string.h>

#include "memory.h"
#include "tmpl.h"
#include "xmlarena.h"

/* Under AddressSanitizer a copy's blocks freed by the fill are poisoned: tmpl_same asks first
 * (such a subtree has changed anyway). */
#if defined(__SANITIZE_ADDRESS__)
#define TREECOPY_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TREECOPY_ASAN 1
#endif
#endif
#ifdef TREECOPY_ASAN
#include <sanitizer/asan_interface.h>
#endif

enum { MAX_IN_SCOPE = 256 };

enum { MAX_CHECKED = 32 };

enum { HINTS = 8 };

typedef struct {
  xmlDoc *doc;
  struct {
    const xmlNs *from;
    xmlNs *to;
  } pairs[MAX_IN_SCOPE];
  size_t npairs;       /* the declarations in scope: the root's and those of the nodes above */
  size_t hints[HINTS]; /* where a declaration was last found in pairs (ns_of) */
  int failed;
  /* A copy within its own document (tmpl_copy_element): where it goes, and what was found
   * to hold there, each asked once per copy. */
  const xmlNode *dest;
  const xmlNs *in_scope[MAX_CHECKED];
  size_t nin_scope;
  const xmlNs *held;  /* the last of them found (NULL: none yet) */
  unsigned long fill; /* tmpl_fill_number() when the copy began (owned's key) */
  /* Making an image (tmpl_image_make): blocks are placed in [img_at, img_end), not allocated */
  unsigned char *img, *img_at, *img_end;
  int img_full; /* the image's room ran out (a larger one may do) */
  /* ... and where each element's subtree lies in it: pairs of offsets (the element, the end of
   * the last block of its subtree) */
  uint32_t *spans;
  size_t nspans, spans_cap;
  int spans_on; /* (tmpl_image_make's copy only) */
} Copy;

static void *c_alloc(Copy *c, size_t n) {
  if (!c->img) return xmlMalloc(n);
  size_t room = xmlarena_room(n);
  if ((size_t)(c->img_end - c->img_at) < room) {
    c->failed = c->img_full = 1; /* (the image is made again in a larger buffer) */
    return NULL;
  }
  void *p = xmlarena_place(c->img_at, n);
  c->img_at += room;
  return p;
}

/* (xmlStrdup measures the string a byte at a time: a fill copies thousands of texts) */
static xmlChar *dup(Copy *c, const xmlChar *s) {
  if (!s) return NULL;
  size_t n = strlen((const char *)s) + 1;
  xmlChar *d = c_alloc(c, n);
  if (!d) {
    c->failed = 1;
    return NULL;
  }
  memcpy(d, s, n);
  return d;
}

/* Whether ns is declared above c->dest and not hidden there by a nearer declaration of its
 * prefix, or is the document's xml: namespace: then the copy refers to it as the original
 * does (as xmlDOMWrapCloneNode would find it). Prefixes are compared only on the way up to
 * the declaring element (nearly always the root, below it rarely any declaration). */
static int holds_at_dest(Copy *c, const xmlNs *ns) {
  for (size_t i = 0; i < c->nin_scope; i++)
    if (c->in_scope[i] == ns) return 1;
  int holds = ns == c->doc->oldNs;
  for (const xmlNode *e = c->dest; e && !holds && e->type == XML_ELEMENT_NODE; e = e->parent) {
    const xmlNs *d;
    for (d = e->nsDef; d && d != ns; d = d->next) continue;
    if (d) {
      holds = 1;
      break;
    }
    for (d = e->nsDef; d; d = d->next)
      if (d->prefix == ns->prefix ||
          (d->prefix && ns->prefix &&
           strcmp((const char *)d->prefix, (const char *)ns->prefix) == 0))
        return 0; /* hidden */
  }
  if (holds && c->nin_scope < MAX_CHECKED) c->in_scope[c->nin_scope++] = ns;
  return holds;
}

static __attribute__((noinline)) xmlNs *ns_searched(Copy *c, const xmlNs *ns, size_t *hint);

static inline xmlNs *ns_of(Copy *c, const xmlNs *ns) {
  if (!ns) return NULL;
  /* (an ODF root declares some thirty namespaces, and a node's is mostly the one its
   * neighbours use: where it was last found is tried first, inlined; a declaration is in the
   * pairs once) */
  size_t *hint = &c->hints[((uintptr_t)ns >> 4) % HINTS];
  if (*hint < c->npairs && c->pairs[*hint].from == ns) return c->pairs[*hint].to;
  /* (a copy within its document refers to the root's declarations, one mostly: what
   * ns_searched answers when the copied subtree declares nothing in scope here) */
  if (ns == c->held && !c->npairs) return (xmlNs *)ns;
  return ns_searched(c, ns, hint);
}

static xmlNs *ns_searched(Copy *c, const xmlNs *ns, size_t *hint) {
  for (size_t i = c->npairs; i-- > 0;)
    if (c->pairs[i].from == ns) {
      *hint = i;
      return c->pairs[i].to;
    }
  if (c->dest && holds_at_dest(c, ns)) return (xmlNs *)(c->held = ns);
  c->failed = 1;
  return NULL;
}

/* Names found in a document's dictionary, remembered for the fill (a fill copies run
 * properties thousands of times, and xmlDictOwns walks the dictionary's pools). */
enum { OWNED = 1024 };
static struct {
  unsigned long fill;
  const xmlDoc *doc;
  const xmlChar *name;
} owned[OWNED];

/* The name of a node copied within its document: shared when the document's dictionary holds
 * it (libxml2 then never frees it) or it is one of libxml2's constant names. */
static __attribute__((noinline)) const xmlChar *name_owned(Copy *c, const xmlChar *name);

static inline size_t owned_slot(const xmlChar *name) {
  return (size_t)(((uint64_t)(uintptr_t)name * 0x9E3779B97F4A7C15u) >> 54) % OWNED;
}

/* (the tests inlined: a prepared tree's copy asks nothing, and a copy within the document
 * finds nearly every name remembered) */
static inline const xmlChar *name_of(Copy *c, const xmlChar *name) {
  if (!c->dest || !name || name == xmlStringText || name == xmlStringTextNoenc ||
      name == xmlStringComment)
    return name;
  size_t slot = owned_slot(name);
  if (owned[slot].name == name && owned[slot].doc == c->doc && owned[slot].fill == c->fill)
    return name;
  return name_owned(c, name);
}

static const xmlChar *name_owned(Copy *c, const xmlChar *name) {
  unsigned long fill = c->fill;
  size_t slot = owned_slot(name);
  if (xmlDictOwns(c->doc->dict, name) != 1) {
    c->failed = 1;
    return NULL; /* not shared: freeing the half copy must not free the original's name */
  }
  owned[slot].fill = fill;
  owned[slot].doc = c->doc;
  owned[slot].name = name;
  return name;
}

/* Copies the declarations of list and puts them in scope. */
static xmlNs *copy_declarations(Copy *c, const xmlNs *list) {
  xmlNs *first = NULL, *prev = NULL;
  for (const xmlNs *d = list; d && !c->failed; d = d->next) {
    xmlNs *n = c_alloc(c, sizeof *n);
    /* (xmlDOMWrapCloneNode drops a declaration of the xml: prefix: left to it) */
    if (!n || c->npairs == MAX_IN_SCOPE ||
        (c->dest && d->prefix && tmpl_name_is(d->prefix, "xml"))) {
      if (n) xmlFree(n);
      c->failed = 1;
      break;
    }
    memset(n, 0, sizeof *n);
    n->type = XML_LOCAL_NAMESPACE;
    n->href = dup(c, d->href);
    n->prefix = dup(c, d->prefix);
    if (prev)
      prev->next = n;
    else
      first = n;
    prev = n;
    c->pairs[c->npairs].from = d;
    c->pairs[c->npairs++].to = n;
  }
  return first;
}

static xmlNode *copy_list(Copy *c, const xmlNode *first, xmlNode *parent, xmlNode **last, int deep);

/* Subtrees smaller than this (their blocks' bytes) are not looked at by tmpl_same: comparing
 * them costs about what writing them does. */
enum { SAME_MIN = 512 };
/* A subtree found changed this many times, and that many times as often as not, is taken as
 * changed from then on (tmpl_same). */
enum { SAME_TRIES = 4 };

/* Making an image: element n's subtree (just copied, its blocks laid out one after the other
 * from n's) ends where the image's room is taken up to now. */
static void note_span(Copy *c, const xmlNode *n) {
  size_t off = (size_t)((const unsigned char *)n - c->img), end = (size_t)(c->img_at - c->img);
  if (end - off < SAME_MIN) return;
  if (c->nspans + 2 > c->spans_cap) {
    size_t cap = c->spans_cap ? 2 * c->spans_cap : 1024;
    uint32_t *grown = memory_realloc(c->spans, cap * sizeof *grown);
    if (!grown) return; /* (fewer subtrees looked at) */
    c->spans = grown;
    c->spans_cap = cap;
  }
  c->spans[c->nspans++] = (uint32_t)off;
  c->spans[c->nspans++] = (uint32_t)end;
}

static xmlNode *copy_node(Copy *c, const xmlNode *s, xmlNode *parent, int deep) {
  if (s->type != XML_ELEMENT_NODE && s->type != XML_TEXT_NODE &&
      s->type != XML_CDATA_SECTION_NODE && s->type != XML_COMMENT_NODE && s->type != XML_PI_NODE) {
    c->failed = 1;
    return NULL;
  }
  xmlNode *n = c_alloc(c, sizeof *n);
  if (!n) {
    c->failed = 1;
    return NULL;
  }
  memset(n, 0, sizeof *n);
  n->type = s->type;
  n->name = name_of(c, s->name);
  n->doc = c->doc;
  n->parent = parent;
  n->line = s->line;
  n->extra = s->extra;
  if (s->type != XML_ELEMENT_NODE) {
    n->content = dup(c, s->content);
    return n;
  }
  size_t scope = c->npairs;
  n->nsDef = copy_declarations(c, s->nsDef);
  n->ns = ns_of(c, s->ns);
  xmlAttr *prev = NULL;
  for (const xmlAttr *a = s->properties; a && !c->failed; a = a->next) {
    xmlAttr *na = c_alloc(c, sizeof *na);
    if (!na) {
      c->failed = 1;
      break;
    }
    memset(na, 0, sizeof *na);
    na->type = XML_ATTRIBUTE_NODE;
    na->name = name_of(c, a->name);
    if (c->dest && a->ns && a->ns->prefix && tmpl_name_is(a->ns->prefix, "xml") &&
        tmpl_name_is(a->name, "id"))
      c->failed = 1; /* an ID: libxml2's copy keeps the document's table of them */
    na->parent = n;
    na->doc = c->doc;
    na->ns = ns_of(c, a->ns);
    na->children = copy_list(c, a->children, (xmlNode *)na, &na->last, 1);
    na->prev = prev;
    if (prev)
      prev->next = na;
    else
      n->properties = na;
    prev = na;
  }
  if (deep) n->children = copy_list(c, s->children, n, &n->last, 1);
  c->npairs = scope; /* what n declared is out of scope after it */
  if (c->spans_on && n->children && !c->failed) note_span(c, n);
  return n;
}

static xmlNode *copy_list(Copy *c, const xmlNode *first, xmlNode *parent, xmlNode **last,
                          int deep) {
  xmlNode *head = NULL, *prev = NULL;
  for (const xmlNode *s = first; s && !c->failed; s = s->next) {
    xmlNode *n = copy_node(c, s, parent, deep);
    if (!n) break;
    n->prev = prev;
    if (prev)
      prev->next = n;
    else
      head = n;
    prev = n;
  }
  *last = prev;
  return head;
}

xmlNode *tmpl_copy_prepared(xmlDoc *copy, const xmlDoc *doc) {
  static Copy c; /* 4 KiB of pairs: not on the stack of a Lua call */
  c.doc = copy;
  c.npairs = c.nin_scope = 0;
  c.held = NULL;
  c.failed = 0;
  c.dest = NULL;
  c.img = NULL;
  /* the xml: namespace, the document's own (libxml2 makes it when first asked for it) */
  if (doc->oldNs) {
    xmlNs *xml = xmlSearchNs(copy, (xmlNode *)copy, BAD_CAST "xml");
    if (!xml || doc->oldNs->next) return NULL;
    c.pairs[0].from = doc->oldNs;
    c.pairs[0].to = xml;
    c.npairs = 1;
  }
  xmlNode *list = copy_list(&c, doc->children, (xmlNode *)copy, &copy->last, 1);
  if (!c.failed) return list;
  copy->last = NULL; /* what was copied stays in the arena, unreachable */
  return NULL;
}

xmlNode *tmpl_copy_element_at(xmlNode *n, const xmlNode *dest, int deep) {
  static Copy c;
  if (n->type != XML_ELEMENT_NODE || !n->doc || !n->doc->dict) return NULL;
  c.doc = n->doc;
  c.dest = dest;
  c.fill = tmpl_fill_number();
  c.img = NULL;
  c.npairs = c.nin_scope = 0;
  c.held = NULL;
  c.failed = 0;
  xmlNode *copy = copy_node(&c, n, NULL, deep);
  if (!c.failed) return copy;
  if (copy) xmlFreeNode(copy); /* a half copy: its names are the dictionary's or NULL */
  return NULL;
}

xmlNode *tmpl_copy_element(xmlNode *n, int deep) {
  return tmpl_copy_element_at(n, n->parent, deep);
}

/* ---- images: a prepared tree's copy made once, copied whole per fill ----
 *
 * tmpl_copy_prepared still allocated every node, attribute and text of the copy one by one and
 * set each field: a twentieth of a DOCX/ODT fill. An image is that copy made once, its blocks
 * laid out one after the other as the arena lays out its own (xmlarena_place), its pointers
 * into itself made as offsets and kept relative to where the last copy went: a fill copies the
 * bytes into one block of its arena and, when the block is not where the last one was, moves
 * each such pointer by the difference (the ones to the document and to its xml: namespace are
 * set when they differ); see tmpl_image_copy. What the fill gets is the tree
 * tmpl_copy_prepared would have made, node for node; its blocks are the arena's (a free or
 * realloc of one of them finds its size before it). */
struct TmplImage {
  unsigned char *bytes;
  size_t size;
  size_t first;    /* the first top-level node */
  uint32_t *inner; /* offsets of the pointers into the image */
  uint32_t *docs;  /* ... to the document */
  uint32_t *xmls;  /* ... to the document's xml: namespace */
  size_t ninner, ndocs, nxmls, cap;
  int failed;
  /* What the bytes hold, made to be copied where the last copy went (tmpl_image_copy): the
   * address the pointers into the image are relative to (0: offsets, as made), and the
   * document and xml: namespace its pointers to those point to. */
  uintptr_t at;
  xmlDoc *doc_at;
  xmlNs *xml_at;
  /* Its elements' subtrees of SAME_MIN bytes or more (tmpl_same): spans[same_at[off / 8] - 1]
   * is the one of the element at offset off (same_at 0: none), and what it was written as. */
  TmplSame *spans;
  size_t nspans;
  uint32_t *same_at;
};

struct TmplSame {
  uint32_t off, end; /* the element's offset; the end of its subtree's blocks */
  char *bytes;       /* what it was written as (tmpl_same_keep), or NULL */
  size_t len;
  uint32_t same, changed; /* how often it was found so, in the fills that asked */
};

/* What the image's pointers to the document and its xml: namespace point to while it is made. */
static xmlDoc image_doc;
static xmlNs image_xml;

enum { IMAGE_MAX = 64 << 20 };

/* Moves the pointer at `at` by delta. */
static inline void move_by(unsigned char *at, uintptr_t delta) {
  uintptr_t v;
  memcpy(&v, at, sizeof v);
  v += delta;
  memcpy(at, &v, sizeof v);
}

/* The pointers at the offsets of bytes are made into offsets (minus the address the bytes were
 * made at) once an image or a stamp is made, and into pointers again (plus the copy's address)
 * when a copy lands elsewhere than the last. (Four a step: the loop's own instructions were a
 * third of a stamp's relocation.) */
void tmpl_relocate(unsigned char *bytes, const uint32_t *offsets, size_t n, uintptr_t delta) {
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    move_by(bytes + offsets[i], delta);
    move_by(bytes + offsets[i + 1], delta);
    move_by(bytes + offsets[i + 2], delta);
    move_by(bytes + offsets[i + 3], delta);
  }
  for (; i < n; i++) move_by(bytes + offsets[i], delta);
}

static void image_note(TmplImage *im, uint32_t **list, size_t *n, size_t off) {
  if (*n == im->cap) {
    size_t cap = im->cap ? 2 * im->cap : 1024;
    uint32_t *a = memory_realloc(im->inner, cap * sizeof *a), *b = NULL, *x = NULL;
    if (a) im->inner = a;
    if (a) b = memory_realloc(im->docs, cap * sizeof *b);
    if (b) im->docs = b;
    if (b) x = memory_realloc(im->xmls, cap * sizeof *x);
    if (x) im->xmls = x;
    if (!x) {
      im->failed = 1;
      return;
    }
    im->cap = cap;
  }
  (*list)[(*n)++] = (uint32_t)off;
}

/* Notes what the pointer at *field points to; anything but the image, the two stand-ins and
 * NULL makes no image (the copy would share it). */
static void image_field(TmplImage *im, void *field) {
  void *v;
  memcpy(&v, field, sizeof v);
  size_t off = (size_t)((unsigned char *)field - im->bytes);
  if (!v) return;
  if ((unsigned char *)v >= im->bytes && (unsigned char *)v < im->bytes + im->size)
    image_note(im, &im->inner, &im->ninner, off);
  else if (v == (void *)&image_doc)
    image_note(im, &im->docs, &im->ndocs, off);
  else if (v == (void *)&image_xml)
    image_note(im, &im->xmls, &im->nxmls, off);
  else
    im->failed = 1;
}

static void image_fields(TmplImage *im, const xmlNode *list) {
  for (const xmlNode *n = list; n && !im->failed; n = n->next) {
    image_field(im, (void *)&n->parent);
    image_field(im, (void *)&n->children);
    image_field(im, (void *)&n->last);
    image_field(im, (void *)&n->next);
    image_field(im, (void *)&n->prev);
    image_field(im, (void *)&n->doc);
    image_field(im, (void *)&n->ns);
    image_field(im, (void *)&n->content);
    image_field(im, (void *)&n->properties);
    image_field(im, (void *)&n->nsDef);
    image_field(im, (void *)&n->_private);
    image_field(im, (void *)&n->psvi);
    for (const xmlNs *d = n->nsDef; d; d = d->next) {
      image_field(im, (void *)&d->next);
      image_field(im, (void *)&d->href);
      image_field(im, (void *)&d->prefix);
      image_field(im, (void *)&d->_private);
      image_field(im, (void *)&d->context);
    }
    if (n->type != XML_ELEMENT_NODE) continue;
    for (const xmlAttr *a = n->properties; a; a = a->next) {
      image_field(im, (void *)&a->parent);
      image_field(im, (void *)&a->children);
      image_field(im, (void *)&a->last);
      image_field(im, (void *)&a->next);
      image_field(im, (void *)&a->prev);
      image_field(im, (void *)&a->doc);
      image_field(im, (void *)&a->ns);
      image_field(im, (void *)&a->_private);
      image_field(im, (void *)&a->psvi);
      image_fields(im, a->children);
    }
    image_fields(im, n->children);
  }
}

static void forget_copies(const TmplImage *im);
static void note_copy(TmplImage *im, uintptr_t base);
static void same_spans(TmplImage *im, const Copy *c);
/* All that tmpl_same_keep keeps, against SAME_BUDGET: the templates' static parts, once each
 * (a region-20 build's peak RSS grew by 1.6 MB in all). */
static size_t same_bytes;
enum { SAME_BUDGET = 8 << 20 };

void tmpl_image_free(TmplImage *im) {
  if (!im) return;
  forget_copies(im);
  for (size_t i = 0; i < im->nspans; i++) {
    same_bytes -= im->spans[i].len;
    memory_free(im->spans[i].bytes);
  }
  memory_free(im->spans);
  memory_free(im->same_at);
  memory_free(im->bytes);
  memory_free(im->inner);
  memory_free(im->docs);
  memory_free(im->xmls);
  memory_free(im);
}

TmplImage *tmpl_image_make(const xmlDoc *doc) {
  if (!doc->children || (doc->oldNs && doc->oldNs->next)) return NULL;
  static Copy c;
  for (size_t room = 64 * 1024; room <= IMAGE_MAX; room *= 2) {
    TmplImage *im = memory_calloc(1, sizeof *im);
    unsigned char *bytes = im ? memory_alloc(room) : NULL;
    if (!bytes) {
      memory_free(im);
      return NULL;
    }
    c.doc = &image_doc;
    c.npairs = c.nin_scope = 0;
    c.held = NULL;
    c.failed = 0;
    c.dest = NULL;
    c.img = c.img_at = bytes;
    c.img_end = bytes + room;
    c.nspans = 0;
    c.spans_on = 1;
    if (doc->oldNs) {
      c.pairs[0].from = doc->oldNs;
      c.pairs[0].to = &image_xml;
      c.npairs = 1;
    }
    xmlNode *last;
    xmlNode *list = copy_list(&c, doc->children, (xmlNode *)&image_doc, &last, 1);
    c.img = NULL;
    c.spans_on = 0;
    im->bytes = bytes;
    im->size = (size_t)(c.img_at - bytes);
    if (c.failed) { /* (out of room: tried again in twice as much) */
      tmpl_image_free(im);
      continue;
    }
    im->first = (size_t)((unsigned char *)list - bytes);
    image_fields(im, list);
    if (im->failed) {
      tmpl_image_free(im);
      return NULL;
    }
    tmpl_relocate(bytes, im->inner, im->ninner, -(uintptr_t)bytes);
    im->doc_at = &image_doc;
    im->xml_at = &image_xml;
    same_spans(im, &c);
    return im;
  }
  return NULL;
}

/* (256 bytes a step: glibc copies a block this large with rep movsb, which callgrind counts a
 * byte at a time; the steps are the same work on the machine, and counted as it is. Each step
 * is sixteen moves in and out, inlined: 64 bytes a step spent a fifth of the copy on the loop) */
void tmpl_copy_bytes(unsigned char *d, const unsigned char *s, size_t n) {
  size_t i = 0;
  for (; i + 256 <= n; i += 256) memcpy(d + i, s + i, 256);
  memcpy(d + i, s + i, n - i);
}

/* Sets the pointers at the offsets of bytes to v. */
static void point(unsigned char *bytes, const uint32_t *offsets, size_t n, const void *v) {
  for (size_t i = 0; i < n; i++) memcpy(bytes + offsets[i], &v, sizeof v);
}

/* A fill's copy goes where the last one went, nearly always: its arena is begun again for each
 * fill, and what is allocated in it before the copy is the same (the document, its dictionary,
 * the xml: namespace). The image is kept as that copy must read, so that such a copy is its
 * bytes alone; a copy that goes elsewhere is moved there (and the image with it, for the next
 * copy): relocating every pointer of every copy was two fifths of copying. */
xmlNode *tmpl_image_copy(xmlDoc *copy, TmplImage *im) {
  xmlNs *xml = NULL;
  if (im->nxmls && !(xml = xmlSearchNs(copy, (xmlNode *)copy, BAD_CAST "xml"))) return NULL;
  unsigned char *base = xmlMalloc(im->size);
  if (!base) return NULL;
  tmpl_copy_bytes(base, im->bytes, im->size);
  uintptr_t delta = (uintptr_t)base - im->at;
  if (delta) {
    tmpl_relocate(base, im->inner, im->ninner, delta);
    tmpl_relocate(im->bytes, im->inner, im->ninner, delta);
    im->at = (uintptr_t)base;
  }
  if (copy != im->doc_at) {
    point(base, im->docs, im->ndocs, copy);
    point(im->bytes, im->docs, im->ndocs, copy);
    im->doc_at = copy;
  }
  if (im->nxmls && xml != im->xml_at) {
    point(base, im->xmls, im->nxmls, xml);
    point(im->bytes, im->xmls, im->nxmls, xml);
    im->xml_at = xml;
  }
  note_copy(im, (uintptr_t)base);
  return (xmlNode *)(void *)(base + im->first);
}

/* ---- what a fill's copy of an image still holds as it was (serialize.c) ----
 *
 * Most of a filled part is the template's text as it stood: the paragraphs, rows and
 * properties no tag touched. Their bytes are written the same in every fill, and writing them
 * node by node was most of writing a part. A copy is the image's bytes (tmpl_image_copy), and
 * the image is kept as the copy must read until it is copied again, so an element of the copy
 * is as it was copied when its subtree's blocks — laid out one after the other from its own —
 * still hold the image's bytes, but for its own links to its parent and siblings (a neighbour
 * added or taken away changes nothing in it). Every change a fill makes inside the subtree
 * (a text, an attribute, a node added, moved or taken away, a row's mark) changes a pointer or
 * a byte there: the arena never hands out a block inside a copy again (a freed block is only
 * taken back when it is the last one handed out, and the copy is one block). What the subtree
 * points to outside it is what the writing reads of it too: names in the prepared template's
 * dictionary, which nothing changes, and the namespace declarations (of the root, nearly
 * always), which nothing changes either. Such an element is written as its first writing was. */

/* The images copied in the fill running now (tmpl_fill_number), and where. */
enum { COPIES = 16 };
typedef struct {
  TmplImage *im;
  uintptr_t base;
} ImageCopy;
static ImageCopy copies[COPIES];
static size_t ncopies;
static unsigned long copies_fill;
static TmplImage *same_im; /* the copy tmpl_same_begin chose */
static uintptr_t same_base;

static void forget_copies(const TmplImage *im) {
  for (size_t i = 0; i < ncopies; i++)
    if (copies[i].im == im) copies[i].im = NULL;
  if (same_im == im) same_im = NULL;
}

static void note_copy(TmplImage *im, uintptr_t base) {
  unsigned long fill = tmpl_fill_number();
  if (copies_fill != fill) {
    ncopies = 0;
    copies_fill = fill;
  }
  if (ncopies < COPIES) copies[ncopies++] = (ImageCopy){im, base};
}

/* The image's spans, from what its making noted. */
static void same_spans(TmplImage *im, const Copy *c) {
  size_t n = c->nspans / 2;
  if (!n) return;
  im->spans = memory_calloc(n, sizeof *im->spans);
  im->same_at = memory_calloc(im->size / 8 + 1, sizeof *im->same_at);
  if (!im->spans || !im->same_at) { /* (nothing looked at) */
    memory_free(im->spans);
    memory_free(im->same_at);
    im->spans = NULL;
    im->same_at = NULL;
    return;
  }
  for (size_t i = 0; i < n; i++) {
    im->spans[i].off = c->spans[2 * i];
    im->spans[i].end = c->spans[2 * i + 1];
    im->same_at[c->spans[2 * i] / 8] = (uint32_t)(i + 1);
  }
  im->nspans = n;
}

int tmpl_same_begin(const xmlDoc *doc, uintptr_t *base, size_t *size) {
  same_im = NULL;
  const xmlNode *root = xmlDocGetRootElement(doc);
  if (!root || copies_fill != tmpl_fill_number() || !xmlarena_active()) return 0;
  for (size_t i = 0; i < ncopies; i++) {
    TmplImage *im = copies[i].im;
    uintptr_t b = copies[i].base;
    if (im && im->same_at && (uintptr_t)root - b < im->size && im->at == b && im->doc_at == doc) {
      same_im = im;
      same_base = b;
      *base = b;
      *size = im->size;
      return 1;
    }
  }
  return 0;
}

TmplSame *tmpl_same(const xmlNode *n) {
  const TmplImage *im = same_im;
  size_t off = (size_t)((uintptr_t)n - same_base);
  if (!im || off >= im->size || off % 8) return NULL;
  uint32_t i = im->same_at[off / 8];
  if (!i) return NULL;
  TmplSame *s = &im->spans[i - 1];
  /* (most subtrees that change do so in every fill: the body, a paragraph with a tag, one
   * the fill marks; after a few such fills they are no longer compared) */
  if (s->changed >= SAME_TRIES && s->changed > SAME_TRIES * s->same) return NULL;
  const unsigned char *copy = (const unsigned char *)n, *was = im->bytes + off;
  size_t rest = sizeof(xmlNode) - offsetof(xmlNode, doc), inner = s->end - off - sizeof(xmlNode);
#ifdef TREECOPY_ASAN
  if (__asan_region_is_poisoned((void *)(uintptr_t)copy, s->end - off)) return NULL;
#endif
  if (memcmp(copy, was, offsetof(xmlNode, parent)) != 0 ||
      memcmp(copy + offsetof(xmlNode, doc), was + offsetof(xmlNode, doc), rest) != 0 ||
      memcmp(copy + sizeof(xmlNode), was + sizeof(xmlNode), inner) != 0) {
    s->changed++;
    return NULL;
  }
  s->same++;
  return s;
}

const char *tmpl_same_bytes(const TmplSame *s, size_t *len) {
  *len = s->len;
  return s->bytes;
}

void tmpl_same_keep(TmplSame *s, const char *bytes, size_t len) {
  if (s->bytes || same_bytes + len > SAME_BUDGET) return;
  char *kept = memory_alloc(len ? len : 1);
  if (!kept) return; /* (written anew next time) */
  memcpy(kept, bytes, len);
  s->bytes = kept;
  s->len = len;
  same_bytes += len;
}

/* ---- stamps: a loop's body imaged for its copies in one fill ----
 *
 * A loop copies its body once per item (render.c's repeat, tmpl_copy of each node). A stamp is
 * the body copied once as tmpl_copy_element would copy it, laid out as an image; each item's
 * copy is then the bytes copied into one arena block and relocated. Pointers out of the body
 * (the document, the names, the declarations in scope) are the fill's and stay as they are:
 * in a fill's arena nothing is freed before its end. */
/* The pointers of a stamp into itself, found among the fields copy_node sets (the others are
 * NULL, and the document's, the names and the declarations in scope are the fill's). */
typedef struct {
  unsigned char *bytes;
  size_t size;
  uint32_t *inner;
  size_t ninner, cap;
  int failed;
} Inner;

static __attribute__((noinline)) void inner_grow(Inner *im) {
  size_t cap = im->cap ? 2 * im->cap : 4096;
  uint32_t *grown = memory_realloc(im->inner, cap * sizeof *grown);
  if (!grown) {
    im->failed = 1;
    return;
  }
  im->inner = grown;
  im->cap = cap;
}

static inline void inner_field(Inner *im, const void *field) {
  uintptr_t v;
  memcpy(&v, field, sizeof v);
  if (v - (uintptr_t)im->bytes >= im->size) return; /* (NULL too) */
  if (im->ninner == im->cap) inner_grow(im);
  if (im->failed) return;
  im->inner[im->ninner++] = (uint32_t)((const unsigned char *)field - im->bytes);
}

static void inner_fields(Inner *im, const xmlNode *n) {
  for (; n; n = n->next) {
    inner_field(im, &n->parent);
    inner_field(im, &n->children);
    inner_field(im, &n->last);
    inner_field(im, &n->next);
    inner_field(im, &n->prev);
    if (n->type != XML_ELEMENT_NODE) {
      inner_field(im, &n->content);
      continue;
    }
    inner_field(im, &n->ns);
    inner_field(im, &n->nsDef);
    inner_field(im, &n->properties);
    for (const xmlNs *d = n->nsDef; d; d = d->next) {
      inner_field(im, &d->next);
      inner_field(im, &d->href);
      inner_field(im, &d->prefix);
    }
    for (const xmlAttr *a = n->properties; a; a = a->next) {
      inner_field(im, &a->parent);
      inner_field(im, &a->children);
      inner_field(im, &a->last);
      inner_field(im, &a->next);
      inner_field(im, &a->prev);
      inner_field(im, &a->ns);
      inner_fields(im, a->children);
    }
    if (n->children) inner_fields(im, n->children);
  }
}

int tmpl_stamp_make(TmplStamp *st, xmlNode *first, xmlNode *last) {
  return tmpl_stamp_make_at(st, first, last, first->parent);
}

int tmpl_stamp_make_at(TmplStamp *st, xmlNode *first, xmlNode *last, const xmlNode *dest) {
  static Copy c;
  static unsigned char *scratch;
  static size_t scratch_room;
  static size_t *roots;
  static size_t roots_cap;
  memset(st, 0, sizeof *st);
  if (!xmlarena_active()) return -1;
  size_t nroots = 0;
  for (const xmlNode *n = first;; n = n->next) {
    if (!n || n->type != XML_ELEMENT_NODE || !n->doc || !n->doc->dict || n->parent != first->parent)
      return -1; /* (what tmpl_copy_element does not copy) */
    nroots++;
    if (n == last) break;
  }
  if (nroots > roots_cap) {
    size_t *grown = memory_realloc(roots, nroots * sizeof *grown);
    if (!grown) return -1;
    roots = grown;
    roots_cap = nroots;
  }
  for (;;) {
    if (!scratch_room) {
      scratch = memory_alloc(64 * 1024);
      if (!scratch) return -1;
      scratch_room = 64 * 1024;
    }
    c.doc = first->doc;
    c.dest = dest;
    c.fill = tmpl_fill_number();
    c.npairs = c.nin_scope = 0;
    c.held = NULL;
    c.failed = c.img_full = 0;
    c.img = c.img_at = scratch;
    c.img_end = scratch + scratch_room;
    size_t i = 0;
    for (xmlNode *n = first; !c.failed; n = n->next) {
      xmlNode *x = copy_node(&c, n, NULL, 1);
      if (x) roots[i++] = (size_t)((unsigned char *)x - scratch);
      if (n == last) break;
    }
    c.img = NULL;
    if (!c.failed) break;
    if (!c.img_full || scratch_room >= IMAGE_MAX) return -1;
    unsigned char *grown = memory_alloc(2 * scratch_room);
    if (!grown) return -1;
    memory_free(scratch);
    scratch = grown;
    scratch_room *= 2;
  }
  /* (the list kept for the next stamp) */
  static Inner im;
  im.bytes = scratch;
  im.size = (size_t)(c.img_at - scratch);
  im.failed = 0;
  im.ninner = 0;
  for (size_t i = 0; i < nroots && !im.failed; i++)
    inner_fields(&im, (const xmlNode *)(const void *)(scratch + roots[i]));
  if (!im.failed && im.ninner) {
    st->bytes = xmlMalloc(im.size);
    st->inner = xmlMalloc(im.ninner * sizeof *st->inner);
    st->roots = xmlMalloc(nroots * sizeof *st->roots);
  }
  if (!im.failed && im.ninner && st->bytes && st->inner && st->roots) {
    tmpl_relocate(scratch, im.inner, im.ninner, -(uintptr_t)scratch);
    tmpl_copy_bytes(st->bytes, scratch, im.size);
    memcpy(st->inner, im.inner, im.ninner * sizeof *st->inner);
    memcpy(st->roots, roots, nroots * sizeof *st->roots);
    st->size = im.size;
    st->ninner = im.ninner;
    st->nroots = nroots;
  }
  return st->nroots ? 0 : -1; /* (memory that ran out: memory_failed() says so) */
}

void tmpl_stamp_copy(const TmplStamp *st, xmlNode **out) {
  unsigned char *base = tmpl_check(xmlMalloc(st->size));
  tmpl_copy_bytes(base, st->bytes, st->size);
  tmpl_relocate(base, st->inner, st->ninner, (uintptr_t)base);
  for (size_t i = 0; i < st->nroots; i++) out[i] = (xmlNode *)(void *)(base + st->roots[i]);
}
