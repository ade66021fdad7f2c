/*
 * xml: the tree helpers of the template room (declared in tmpl.h). Nodes are linked by hand
 * (libxml2's xmlAddNextSibling merges neighbouring text nodes behind our back), copied with the
 * namespace declarations in scope, and created through checks that turn a NULL from libxml2
 * into the room's out-of-memory error (generator/memory.h): the fill runs in a protected Lua
 * call whose context owns every tree, so raising leaves nothing half-linked or leaked.
 */
#include <libxml/parserInternals.h>
#include <stdint.h>
#include <string.h>

#include "memory.h"
#include "tmpl.h"
#include "xmlarena.h"

static lua_State *raise_state; /* the running fill's state: where out of memory is raised */
static unsigned long fill_number;

void tmpl_set_raise_state(lua_State *L) {
  raise_state = L;
  if (L) fill_number++;
}

unsigned long tmpl_fill_number(void) {
  return fill_number;
}

void tmpl_no_memory(void) {
  if (raise_state) memory_raise(raise_state);
}

void *tmpl_check(void *p) {
  if (!p) tmpl_no_memory();
  return p;
}

void *tmpl_alloc(size_t size) {
  return tmpl_check(memory_calloc(1, size));
}

void *tmpl_grow(void *p, size_t count, size_t size) {
  if (size && count > (size_t)-1 / size) tmpl_no_memory();
  return tmpl_check(memory_realloc(p, count * size));
}

char *tmpl_strndup(const char *s, size_t n) {
  return tmpl_check(memory_strndup(s, n));
}

void tmpl_insert_after(xmlNode *cur, xmlNode *n) {
  n->parent = cur->parent;
  n->prev = cur;
  n->next = cur->next;
  if (cur->next)
    cur->next->prev = n;
  else if (cur->parent)
    cur->parent->last = n;
  cur->next = n;
}

void tmpl_insert_before(xmlNode *cur, xmlNode *n) {
  n->parent = cur->parent;
  n->next = cur;
  n->prev = cur->prev;
  if (cur->prev)
    cur->prev->next = n;
  else if (cur->parent)
    cur->parent->children = n;
  cur->prev = n;
}

void tmpl_append_child(xmlNode *parent, xmlNode *n) {
  n->parent = parent;
  n->next = NULL;
  n->prev = parent->last;
  if (parent->last)
    parent->last->next = n;
  else
    parent->children = n;
  parent->last = n;
}

void tmpl_unlink(xmlNode *n) {
  if (n->prev)
    n->prev->next = n->next;
  else if (n->parent && n->parent->children == n)
    n->parent->children = n->next;
  if (n->next)
    n->next->prev = n->prev;
  else if (n->parent && n->parent->last == n)
    n->parent->last = n->prev;
  n->parent = n->prev = n->next = NULL;
}

xmlNode *tmpl_copy(xmlNode *n, int deep) {
  xmlNode *copy = tmpl_copy_element(n, deep); /* the usual case, cheaper (treecopy.c) */
  if (copy) return copy;
  if (memory_failed()) tmpl_no_memory();
  if (n->type != XML_ELEMENT_NODE) { /* the DOM-wrap clone takes elements only */
    copy = xmlDocCopyNode(n, n->doc, 1);
  } else if (xmlDOMWrapCloneNode(NULL, n->doc, n, &copy, n->doc, n->parent, deep, 0) != 0) {
    /* It refuses a subtree holding an ID (xml:id) already in the document: the plain copy
     * takes it (declaring again the namespaces it cannot find on the detached copy). */
    if (copy) xmlFreeNode(copy);
    copy = memory_failed() ? NULL : xmlDocCopyNode(n, n->doc, deep ? 1 : 2);
  }
  if (!copy || memory_failed()) {
    /* libxml2 may answer a half copy when an allocation inside failed */
    if (copy) xmlFreeNode(copy);
    tmpl_no_memory();
  }
  return copy;
}

/* Hands the namespace declarations made in n's subtree to the document's list of old ones
 * (libxml2 frees it with the document), for nodes outside n may still refer to them: a
 * template that declares a namespace on a paragraph, not only on the root, gives it to the
 * table or the paragraphs made from that paragraph and to the copies of its properties, and
 * the paragraph goes (freeing them then left those nodes pointing at freed memory). */
static void keep_declarations(xmlNode *e) {
  if (e->type != XML_ELEMENT_NODE) return;
  if (e->nsDef && e->doc && xmlSearchNs(e->doc, e, BAD_CAST "xml")) {
    /* (the list's first entry is libxml2's xml: one, which xmlSearchNs makes sure of) */
    xmlNs *tail = e->doc->oldNs;
    while (tail->next) tail = tail->next;
    tail->next = e->nsDef;
    e->nsDef = NULL;
  }
  for (xmlNode *c = e->children; c; c = c->next) keep_declarations(c);
}

void tmpl_remove(xmlNode *n) {
  tmpl_unlink(n);
  keep_declarations(n);
  /* In a fill's arena a free gives nothing back (the arena goes whole at the fill's end), and
   * xmlFreeNode walked the subtree asking the dictionary about every name and text: a
   * thirtieth of a fill. Nothing looks the node up again (the engine keeps no table of IDs). */
  if (!xmlarena_active()) xmlFreeNode(n);
}

/* libxml2's xmlNsInScope: whether no declaration of prefix between node and ancestor hides
 * the one on ancestor (1), one does (0), or the way up is not a plain element chain (-1). */
static int ns_in_scope(const xmlNode *node, const xmlNode *ancestor, const xmlChar *prefix) {
  for (; node && node != ancestor; node = node->parent) {
    if (node->type == XML_ENTITY_REF_NODE || node->type == XML_ENTITY_NODE ||
        node->type == XML_ENTITY_DECL)
      return -1;
    if (node->type != XML_ELEMENT_NODE) continue;
    for (const xmlNs *d = node->nsDef; d; d = d->next)
      if ((!d->prefix && !prefix) || (d->prefix && prefix && xmlStrEqual(d->prefix, prefix)))
        return 0;
  }
  return node == ancestor ? 1 : -1;
}

static int same_href(const xmlNs *ns, const char *href) {
  return ns->href && ns->href[0] == (xmlChar)href[0] && strcmp((const char *)ns->href, href) == 0;
}

/* The declarations of href on an element, as far as a fill's earlier questions found them: an
 * ODF root declares some thirty namespaces whose names share their first 38 bytes, and comparing
 * them one by one was most of a question's 200 instructions. Only in a fill's arena (nothing is
 * freed before its end, so an element and its declarations stay where they are) and keyed by the
 * fill's number: what an element declares is only ever added to, at the end of its list
 * (xmlNewNs), or taken away whole (keep_declarations: the list's head changes). So the first
 * declaration of href found stays the first, and when none was found up to a declaration
 * (`upto`, the list's last then), only those added after it are new. */
enum { DECLARED = 256 };
static struct {
  unsigned long fill;
  const xmlNode *e;
  const char *href;
  const xmlNs *head; /* e's list when asked */
  xmlNs *first;      /* the first declaration of href in it, or NULL: */
  const xmlNs *upto; /* none up to this one */
} declared[DECLARED];

static xmlNs *first_declaration(const xmlNode *e, const char *href) {
  if (!xmlarena_active()) {
    for (xmlNs *d = e->nsDef; d; d = d->next)
      if (same_href(d, href)) return d;
    return NULL;
  }
  size_t slot =
      (size_t)((((uint64_t)(uintptr_t)e ^ (uint64_t)(uintptr_t)href) * 0x9E3779B97F4A7C15u) >> 56) %
      DECLARED;
  xmlNs *d = e->nsDef;
  if (declared[slot].fill == fill_number && declared[slot].e == e && declared[slot].href == href &&
      declared[slot].head == e->nsDef) {
    if (declared[slot].first) return declared[slot].first;
    while (d && d != declared[slot].upto) d = d->next; /* (pointers only) */
    if (d)
      d = d->next;
    else
      d = e->nsDef; /* (not found again: all of it read) */
  }
  const xmlNs *last = NULL;
  for (; d; d = d->next) {
    if (same_href(d, href)) break;
    last = d;
  }
  declared[slot].fill = fill_number;
  declared[slot].e = e;
  declared[slot].href = href;
  declared[slot].head = e->nsDef;
  declared[slot].first = d;
  if (!d && last) declared[slot].upto = last;
  return d;
}

/* Whether declaration ns names href, remembered as first_declaration remembers (a node's own
 * namespace, asked of each element on the way up: the same few declarations of the root). */
enum { HREF_NAMES = 256 };
static struct {
  unsigned long fill;
  const xmlNs *ns;
  const char *href;
  int same;
} names_of[HREF_NAMES];

static int names_href(const xmlNs *ns, const char *href) {
  if (!xmlarena_active()) return same_href(ns, href);
  size_t slot =
      (size_t)((((uint64_t)(uintptr_t)ns ^ (uint64_t)(uintptr_t)href) * 0x9E3779B97F4A7C15u) >>
               56) %
      HREF_NAMES;
  if (names_of[slot].fill == fill_number && names_of[slot].ns == ns && names_of[slot].href == href)
    return names_of[slot].same;
  int same = same_href(ns, href);
  names_of[slot].fill = fill_number;
  names_of[slot].ns = ns;
  names_of[slot].href = href;
  names_of[slot].same = same;
  return same;
}

xmlNs *tmpl_ns_by_href(xmlNode *node, const char *href) {
  /* (the first byte tells most names from NS_XML: an ODF part asks ~100,000 times a region-5
   * build, and a whole strcmp each time was 3 M instructions) */
  if (!node || node->type != XML_ELEMENT_NODE ||
      (href[0] == NS_XML[0] && strcmp(href, NS_XML) == 0))
    return xmlSearchNsByHref(node ? node->doc : NULL, node, BAD_CAST href);
  for (xmlNode *e = node; e; e = e->parent) {
    if (e->type == XML_ENTITY_REF_NODE || e->type == XML_ENTITY_NODE || e->type == XML_ENTITY_DECL)
      return NULL;
    if (e->type != XML_ELEMENT_NODE) continue;
    xmlNs *d = e->nsDef ? first_declaration(e, href) : NULL;
    if (d && ns_in_scope(node, e, d->prefix) == 1) return d;
    for (d = d ? d->next : NULL; d; d = d->next) /* (the first hidden: a later one?) */
      if (same_href(d, href) && ns_in_scope(node, e, d->prefix) == 1) return d;
    if (e != node && e->ns && names_href(e->ns, href) && ns_in_scope(node, e, e->ns->prefix) == 1)
      return e->ns;
  }
  return NULL;
}

/* ---- nodes made in a fill's arena ----
 *
 * libxml2's xmlNewDocNode, xmlNewNsProp and xmlSetNsProp look every name up in the document's
 * dictionary (a fill's is a sub-dictionary: two hash lookups), and make an attribute's value
 * through xmlNewDocText and xmlStrdup, byte by byte, asking whether it is an ID: a fill makes
 * a few hundred thousand nodes and attributes, and that was a twentieth of it. In a fill's
 * arena (xmlarena.h: every document of the fill lives until its end) these make the same nodes
 * by hand, each name looked up once per fill and dictionary; elsewhere, or for what is not
 * plain (an "id", which may be an ID, no dictionary, no value), libxml2 makes them. */

static int by_hand(const xmlDoc *doc) {
  return doc && doc->dict && xmlarena_active();
}

enum { NAMES = 256 };
static struct {
  unsigned long fill;
  const xmlDict *dict;
  const char *asked; /* the address the name was asked with (its bytes are compared too) */
  const xmlChar *name;
} names[NAMES];

static const xmlChar *interned(xmlDoc *doc, const char *name) {
  size_t slot = (size_t)(((uint64_t)(uintptr_t)name * 0x9E3779B97F4A7C15u) >> 56) % NAMES;
  if (names[slot].asked == name && names[slot].dict == doc->dict &&
      names[slot].fill == fill_number && strcmp((const char *)names[slot].name, name) == 0)
    return names[slot].name;
  const xmlChar *d = tmpl_check((void *)xmlDictLookup(doc->dict, BAD_CAST name, -1));
  names[slot].fill = fill_number;
  names[slot].dict = doc->dict;
  names[slot].asked = name;
  names[slot].name = d;
  return d;
}

xmlNode *tmpl_doc_node(xmlDoc *doc, xmlNs *ns, const char *name) {
  if (!by_hand(doc)) return tmpl_check(xmlNewDocNode(doc, ns, BAD_CAST name, NULL));
  const xmlChar *interned_name = interned(doc, name);
  xmlNode *n = tmpl_check(xmlMalloc(sizeof *n));
  memset(n, 0, sizeof *n);
  n->type = XML_ELEMENT_NODE;
  n->name = interned_name;
  n->ns = ns;
  n->doc = doc;
  return n;
}

/* An attribute's value: a text node of its own (xmlNewDocText's). */
static xmlNode *value_text(xmlDoc *doc, xmlAttr *a, const char *value) {
  size_t n = strlen(value) + 1;
  xmlNode *t = tmpl_check(xmlMalloc(sizeof *t));
  memset(t, 0, sizeof *t);
  t->type = XML_TEXT_NODE;
  t->name = xmlStringText;
  t->content = tmpl_check(xmlMalloc(n));
  memcpy(t->content, value, n);
  t->doc = doc;
  t->parent = (xmlNode *)a;
  return t;
}

static int plain_attr(const xmlNode *e, const xmlNs *ns, const char *name, const char *value) {
  return e && e->type == XML_ELEMENT_NODE && by_hand(e->doc) && value && !(ns && !ns->href) &&
         !tmpl_name_is(BAD_CAST name, "id");
}

xmlAttr *tmpl_new_prop(xmlNode *e, xmlNs *ns, const char *name, const char *value) {
  if (!plain_attr(e, ns, name, value))
    return tmpl_check(xmlNewNsProp(e, ns, BAD_CAST name, BAD_CAST value));
  xmlAttr *a = tmpl_check(xmlMalloc(sizeof *a));
  memset(a, 0, sizeof *a);
  a->type = XML_ATTRIBUTE_NODE;
  a->parent = e;
  a->doc = e->doc;
  a->ns = ns;
  a->name = interned(e->doc, name);
  a->children = a->last = value_text(e->doc, a, value);
  if (!e->properties) {
    e->properties = a;
  } else {
    xmlAttr *last = e->properties;
    while (last->next) last = last->next;
    last->next = a;
    a->prev = last;
  }
  return a;
}

xmlAttr *tmpl_set_prop(xmlNode *e, xmlNs *ns, const char *name, const char *value) {
  if (!plain_attr(e, ns, name, value))
    return tmpl_check(xmlSetNsProp(e, ns, BAD_CAST name, BAD_CAST value));
  for (xmlAttr *a = e->properties; a; a = a->next) {
    if (a->name[0] != (xmlChar)name[0] || strcmp((const char *)a->name, name) != 0) continue;
    if (ns ? !(a->ns && (a->ns->href == ns->href || xmlStrEqual(a->ns->href, ns->href))) : !!a->ns)
      continue;
    if (a->atype == XML_ATTRIBUTE_ID)
      return tmpl_check(xmlSetNsProp(e, ns, BAD_CAST name, BAD_CAST value));
    /* The value it has already, in the same namespace: nothing to make (each value written into
     * a DOCX run sets xml:space="preserve" on a w:t that nearly always has it) */
    xmlNode *v = a->children;
    if (a->ns == ns && v && !v->next && v->type == XML_TEXT_NODE && v->content &&
        strcmp((const char *)v->content, value) == 0)
      return a;
    /* (the old value stays in the arena) */
    a->children = a->last = value_text(e->doc, a, value);
    a->ns = ns;
    return a;
  }
  return tmpl_new_prop(e, ns, name, value);
}

void tmpl_space_preserve(xmlNode *e) {
  if (e->type != XML_ELEMENT_NODE) return;
  /* (xmlNodeSetSpacePreserve's: the xml: namespace is the document's own) */
  xmlNs *xml =
      e->doc && e->doc->oldNs ? e->doc->oldNs : xmlSearchNsByHref(e->doc, e, XML_XML_NAMESPACE);
  if (xml) tmpl_set_prop(e, xml, "space", "preserve");
}

xmlNode *tmpl_new_element(xmlNode *like, xmlNs *ns, const char *name) {
  return tmpl_doc_node(like->doc, ns, name);
}

xmlNode *tmpl_new_text(xmlDoc *doc, const char *text) {
  return tmpl_check(xmlNewDocText(doc, BAD_CAST(text ? text : "")));
}

void tmpl_set_attr(xmlNode *e, xmlNs *ns, const char *name, const char *value) {
  tmpl_set_prop(e, ns, name, value);
}

void tmpl_set_text(xmlNode *t, const char *text, size_t len) {
  /* A text node's content is owned by it unless it points into the document's dictionary
   * (libxml2 interns short strings of parsed documents). Replacing it by hand avoids
   * xmlNodeSetContent, which frees through the node's own rules and re-parses entities. */
  xmlChar *copy = tmpl_check(xmlMalloc(len + 1)); /* the node's: freed by libxml2's xmlFree */
  memcpy(copy, text, len);
  copy[len] = '\0';
  if (t->content == (xmlChar *)&t->properties)
    t->properties = NULL;
  else if (t->content && !xmlarena_active() && /* (an arena's free gives nothing back) */
           !(t->doc && t->doc->dict && xmlDictOwns(t->doc->dict, t->content)))
    xmlFree(t->content);
  t->content = copy;
}

xmlNode *tmpl_ancestor(xmlNode *n, int (*is)(const xmlNode *), xmlNode *stop) {
  for (xmlNode *e = n ? n->parent : NULL; e && e != stop; e = e->parent)
    if (e->type == XML_ELEMENT_NODE && is(e)) return e;
  return NULL;
}

xmlNode *tmpl_find_child(xmlNode *parent, const char *ns, const char *name) {
  for (xmlNode *c = parent ? parent->children : NULL; c; c = c->next)
    if (tmpl_is(c, ns, name)) return c;
  return NULL;
}

/* libxml2's xmlGetPropNodeInternal compares each attribute's name and namespace through
 * xmlStrEqual calls: the fills ask for attributes 130,000 times a region-20 DOCX/ODT build. The
 * same search, the names' first bytes compared before the rest; a value of another shape than
 * one text node, and a document with a DTD (whose defaults libxml2 would look at), are left to
 * libxml2. */
xmlChar *tmpl_ns_prop(const xmlNode *e, const xmlChar *name, const xmlChar *ns_href) {
  if (!e || e->type != XML_ELEMENT_NODE || !name ||
      (e->doc && (e->doc->intSubset || e->doc->extSubset)))
    return xmlGetNsProp(e, name, ns_href);
  for (const xmlAttr *a = e->properties; a; a = a->next) {
    if (!a->name || a->name[0] != name[0] || strcmp((const char *)a->name, (const char *)name) != 0)
      continue;
    if (ns_href ? !(a->ns &&
                    (a->ns->href == ns_href || (a->ns->href && strcmp((const char *)a->ns->href,
                                                                      (const char *)ns_href) == 0)))
                : a->ns != NULL)
      continue;
    const xmlNode *v = a->children;
    if (a->type == XML_ATTRIBUTE_NODE && v && !v->next && v->content &&
        (v->type == XML_TEXT_NODE || v->type == XML_CDATA_SECTION_NODE)) {
      size_t n = strlen((const char *)v->content) + 1;
      xmlChar *copy = xmlMalloc(n);
      if (copy) memcpy(copy, v->content, n);
      return copy;
    }
    return xmlGetNsProp(e, name, ns_href);
  }
  return NULL;
}
