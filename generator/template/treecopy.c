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
#include <string.h>

#include "tmpl.h"

enum { MAX_IN_SCOPE = 256 };

typedef struct {
  xmlDoc *doc;
  struct {
    const xmlNs *from;
    xmlNs *to;
  } pairs[MAX_IN_SCOPE];
  size_t npairs; /* the declarations in scope: the root's and those of the nodes above */
  int failed;
} Copy;

static xmlChar *dup(Copy *c, const xmlChar *s) {
  if (!s) return NULL;
  xmlChar *d = xmlStrdup(s);
  if (!d) c->failed = 1;
  return d;
}

static xmlNs *ns_of(Copy *c, const xmlNs *ns) {
  if (!ns) return NULL;
  for (size_t i = c->npairs; i-- > 0;)
    if (c->pairs[i].from == ns) return c->pairs[i].to;
  c->failed = 1;
  return NULL;
}

/* Copies the declarations of list and puts them in scope. */
static xmlNs *copy_declarations(Copy *c, const xmlNs *list) {
  xmlNs *first = NULL, *prev = NULL;
  for (const xmlNs *d = list; d && !c->failed; d = d->next) {
    xmlNs *n = xmlMalloc(sizeof *n);
    if (!n || c->npairs == MAX_IN_SCOPE) {
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

static xmlNode *copy_list(Copy *c, const xmlNode *first, xmlNode *parent, xmlNode **last);

static xmlNode *copy_node(Copy *c, const xmlNode *s, xmlNode *parent) {
  if (s->type != XML_ELEMENT_NODE && s->type != XML_TEXT_NODE &&
      s->type != XML_CDATA_SECTION_NODE && s->type != XML_COMMENT_NODE && s->type != XML_PI_NODE) {
    c->failed = 1;
    return NULL;
  }
  xmlNode *n = xmlMalloc(sizeof *n);
  if (!n) {
    c->failed = 1;
    return NULL;
  }
  memset(n, 0, sizeof *n);
  n->type = s->type;
  n->name = s->name;
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
    xmlAttr *na = xmlMalloc(sizeof *na);
    if (!na) {
      c->failed = 1;
      break;
    }
    memset(na, 0, sizeof *na);
    na->type = XML_ATTRIBUTE_NODE;
    na->name = a->name;
    na->parent = n;
    na->doc = c->doc;
    na->ns = ns_of(c, a->ns);
    na->children = copy_list(c, a->children, (xmlNode *)na, &na->last);
    na->prev = prev;
    if (prev)
      prev->next = na;
    else
      n->properties = na;
    prev = na;
  }
  n->children = copy_list(c, s->children, n, &n->last);
  c->npairs = scope; /* what n declared is out of scope after it */
  return n;
}

static xmlNode *copy_list(Copy *c, const xmlNode *first, xmlNode *parent, xmlNode **last) {
  xmlNode *head = NULL, *prev = NULL;
  for (const xmlNode *s = first; s && !c->failed; s = s->next) {
    xmlNode *n = copy_node(c, s, parent);
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
  c.npairs = 0;
  c.failed = 0;
  /* the xml: namespace, the document's own (libxml2 makes it when first asked for it) */
  if (doc->oldNs) {
    xmlNs *xml = xmlSearchNs(copy, (xmlNode *)copy, BAD_CAST "xml");
    if (!xml || doc->oldNs->next) return NULL;
    c.pairs[0].from = doc->oldNs;
    c.pairs[0].to = xml;
    c.npairs = 1;
  }
  xmlNode *list = copy_list(&c, doc->children, (xmlNode *)copy, &copy->last);
  if (!c.failed) return list;
  copy->last = NULL; /* what was copied stays in the arena, unreachable */
  return NULL;
}
