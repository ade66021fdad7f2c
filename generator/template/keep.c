/* keep: see keep.h. */
#include "keep.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memory.h"

static int is_docx(const TmplFormat *fmt) {
  return fmt == &tmpl_docx;
}
static int is_w(const xmlNode *e, const char *name) {
  return tmpl_is(e, NS_W, name);
}

static int name_in(const xmlNode *e, const char *ns, const char *const *names) {
  for (; *names; names++)
    if (tmpl_is(e, ns, *names)) return 1;
  return 0;
}

/* What the walks below ask of a DOCX element, told once from its name (a switch on its first
 * letter, the namespace compared once): testing it against each list in turn, name by name,
 * was most of keep_holds_more and keep_close_paragraph. */
typedef enum {
  W_NONE,      /* not WordprocessingML, or none of these */
  W_RANGE,     /* range markup: may stand at block level, beside paragraphs */
  W_LEAF,      /* only text or its formatting (pPr, rPr, t, tab, lastRenderedPageBreak,
                  softHyphen, noBreakHyphen, cr, proofErr, sdtPr, sdtEndPr, delText) */
  W_BR,        /* a break: a line break is formatting, a page or column break is not */
  W_CONTAINER, /* runs, revisions, content controls, smart tags: their content decides */
} WClass;

static inline __attribute__((always_inline)) int eq(const char *a, const char *b) {
  return tmpl_name_is((const xmlChar *)a, b);
}

static WClass w_name_class(const char *n) {
  switch (n[0]) {
    case 'b':
      return eq(n, "bookmarkStart") || eq(n, "bookmarkEnd") ? W_RANGE
             : eq(n, "br")                                  ? W_BR
             : eq(n, "bdo")                                 ? W_CONTAINER
                                                            : W_NONE;
    case 'c':
      return eq(n, "commentRangeStart") || eq(n, "commentRangeEnd") ||
                     eq(n, "customXmlInsRangeStart") || eq(n, "customXmlInsRangeEnd") ||
                     eq(n, "customXmlDelRangeStart") || eq(n, "customXmlDelRangeEnd")
                 ? W_RANGE
             : eq(n, "cr")        ? W_LEAF
             : eq(n, "customXml") ? W_CONTAINER
                                  : W_NONE;
    case 'p':
      return eq(n, "permStart") || eq(n, "permEnd") ? W_RANGE
             : eq(n, "pPr") || eq(n, "proofErr")    ? W_LEAF
                                                    : W_NONE;
    case 'm':
      return eq(n, "moveFromRangeStart") || eq(n, "moveFromRangeEnd") ||
                     eq(n, "moveToRangeStart") || eq(n, "moveToRangeEnd")
                 ? W_RANGE
                 : W_NONE;
    case 'r':
      return eq(n, "r") ? W_CONTAINER : eq(n, "rPr") ? W_LEAF : W_NONE;
    case 't':
      return eq(n, "t") || eq(n, "tab") ? W_LEAF : W_NONE;
    case 'l':
      return eq(n, "lastRenderedPageBreak") ? W_LEAF : W_NONE;
    case 'n':
      return eq(n, "noBreakHyphen") ? W_LEAF : W_NONE;
    case 's':
      return eq(n, "softHyphen") || eq(n, "sdtPr") || eq(n, "sdtEndPr") ? W_LEAF
             : eq(n, "sdt") || eq(n, "sdtContent") || eq(n, "smartTag") ? W_CONTAINER
                                                                        : W_NONE;
    case 'd':
      return eq(n, "delText") ? W_LEAF : eq(n, "del") || eq(n, "dir") ? W_CONTAINER : W_NONE;
    case 'i':
      return eq(n, "ins") ? W_CONTAINER : W_NONE;
    case 'h':
      return eq(n, "hyperlink") ? W_CONTAINER : W_NONE;
    default:
      return W_NONE;
  }
}

/* (the namespace compared only for a name listed) */
static WClass w_class(const xmlNode *e) {
  if (!e || e->type != XML_ELEMENT_NODE || !e->ns) return W_NONE;
  WClass k = w_name_class((const char *)e->name);
  return k != W_NONE && strcmp((const char *)e->ns->href, NS_W) == 0 ? k : W_NONE;
}

/* DOCX range markup: may stand at block level, beside paragraphs. */
static int range_markup(const xmlNode *e) {
  return w_class(e) == W_RANGE;
}

static char *attr(xmlNode *e, const char *ns, const char *name) {
  return (char *)tmpl_ns_prop(e, BAD_CAST name, BAD_CAST ns);
}

/* A w:br that breaks a page or a column (a plain one is a line break: formatting). */
static int page_break(const xmlNode *e) {
  if (!is_w(e, "br")) return 0;
  char *type = attr((xmlNode *)e, NS_W, "type");
  int yes = type && (strcmp(type, "page") == 0 || strcmp(type, "column") == 0);
  xmlFree(type);
  return yes;
}

/* Containers whose content decides: runs, revisions, content controls, smart tags (r, ins,
 * del, sdt, sdtContent, smartTag, customXml, hyperlink, dir, bdo). */
static int docx_container(const xmlNode *e) {
  return w_class(e) == W_CONTAINER;
}

static int odt_droppable(const xmlNode *e) {
  static const char *const leaves[] = {
      "s", "tab", "line-break", "soft-page-break", "change-start", "change-end", "change", NULL};
  return name_in(e, NS_TEXT, leaves);
}

static int odt_container(const xmlNode *e) {
  return tmpl_is(e, NS_TEXT, "span") || tmpl_is(e, NS_TEXT, "a");
}

/* Whether the automatic paragraph style of an ODT paragraph breaks the page or column, or
 * starts a page style. */
static int style_breaks(xmlNode *s) {
  char *master = attr(s, NS_STYLE, "master-page-name");
  int breaks = master && master[0];
  xmlFree(master);
  xmlNode *pp = tmpl_find_child(s, NS_STYLE, "paragraph-properties");
  for (int k = 0; pp && !breaks && k < 2; k++) {
    char *b = attr(pp, NS_FO, k ? "break-after" : "break-before");
    breaks = b && (strcmp(b, "page") == 0 || strcmp(b, "column") == 0);
    xmlFree(b);
  }
  return breaks;
}

static int odt_style_breaks(xmlNode *para) {
  char *name = attr(para, NS_TEXT, "style-name");
  if (!name) return 0;
  int breaks = 0;
  xmlNode *root = xmlDocGetRootElement(para->doc);
  for (xmlNode *c = root ? root->children : NULL; c; c = c->next) {
    if (!tmpl_is(c, NS_OFFICE, "automatic-styles")) continue;
    /* by name through odt.c's index (asked for every tag paragraph, this scan of all the
     * styles was the most of an ODT fill's attribute reads); all of the name if not alone */
    int alone;
    xmlNode *first = tmpl_odt_style(c, name, &alone);
    if (alone) {
      breaks = breaks || (first && style_breaks(first));
      continue;
    }
    for (xmlNode *s = c->children; s && !breaks; s = s->next) {
      if (!tmpl_is(s, NS_STYLE, "style")) continue;
      char *sn = attr(s, NS_STYLE, "name");
      int same = sn && strcmp(sn, name) == 0;
      xmlFree(sn);
      if (same) breaks = style_breaks(s);
    }
  }
  xmlFree(name);
  return breaks;
}

static int holds_more_in(const TmplFormat *fmt, xmlNode *e) {
  for (xmlNode *c = e->children; c; c = c->next) {
    if (c->type == XML_TEXT_NODE || c->type == XML_COMMENT_NODE || c->type == XML_PI_NODE)
      continue; /* text is white space here: the paragraph held only its tag */
    if (c->type != XML_ELEMENT_NODE) return 1;
    if (is_docx(fmt)) {
      /* (w:pPr is a leaf: its section break is told apart, keep_has_section) */
      WClass k = w_class(c);
      if (k == W_RANGE || k == W_LEAF || (k == W_BR && !page_break(c))) continue;
      if (k == W_CONTAINER && !holds_more_in(fmt, c)) continue;
      return 1;
    }
    if (fmt == &tmpl_odt) {
      if (odt_droppable(c)) continue;
      if (odt_container(c) && !holds_more_in(fmt, c)) continue;
      return 1;
    }
    return 0; /* other formats: only text matters */
  }
  return 0;
}

int keep_holds_more(const TmplFormat *fmt, xmlNode *para) {
  if (fmt == &tmpl_odt && odt_style_breaks(para)) return 1;
  return holds_more_in(fmt, para);
}

/* Moves the range markup under e out beside para: before it, or after it (*last: the last
 * moved there, so that the order stays). */
/* Whether e holds DOCX range markup (bookmarks and the like) anywhere. */
static int holds_markup(xmlNode *e) {
  for (xmlNode *c = e->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && (range_markup(c) || holds_markup(c))) return 1;
  return 0;
}

int keep_row_holds_more(const TmplFormat *fmt, xmlNode *row) {
  for (xmlNode *c = row->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (fmt->is_paragraph(c)) {
      if (keep_holds_more(fmt, c) || (is_docx(fmt) && holds_markup(c)) ||
          (is_docx(fmt) && keep_has_section(c)))
        return 1;
    } else if (tmpl_is(c, NS_W, "tbl") || tmpl_is(c, NS_TABLE, "table") ||
               keep_row_holds_more(fmt, c)) {
      return 1; /* a nested table, or something in a cell's other blocks */
    }
  }
  return 0;
}

static void move_markup(xmlNode *e, xmlNode *para, int after, xmlNode **last) {
  for (xmlNode *c = e->children; c;) {
    xmlNode *next = c->next;
    if (c->type == XML_ELEMENT_NODE) {
      if (range_markup(c)) {
        tmpl_unlink(c);
        if (!after) {
          tmpl_insert_before(para, c);
        } else {
          tmpl_insert_after(*last, c);
          *last = c;
        }
      } else if (docx_container(c)) {
        move_markup(c, para, after, last);
      }
    }
    c = next;
  }
}

void keep_move_out(const TmplFormat *fmt, xmlNode *para, int after) {
  xmlNode *last = para;
  if (is_docx(fmt) && para->parent) move_markup(para, para, after, &last);
}

static xmlNode *section_of(xmlNode *para) {
  return tmpl_find_child(tmpl_find_child(para, NS_W, "pPr"), NS_W, "sectPr");
}

int keep_has_section(xmlNode *para) {
  return section_of(para) != NULL;
}

/* The paragraph's w:pPr, made when it has none. */
static xmlNode *ppr_of(xmlNode *para) {
  xmlNode *ppr = tmpl_find_child(para, NS_W, "pPr");
  if (ppr) return ppr;
  ppr = tmpl_new_element(para, para->ns, "pPr");
  if (para->children)
    tmpl_insert_before(para->children, ppr);
  else
    tmpl_append_child(para, ppr);
  return ppr;
}

/* Puts sect into the w:pPr of para, in the schema's place (before w:pPrChange). */
static void put_section(xmlNode *para, xmlNode *sect) {
  xmlNode *ppr = ppr_of(para);
  tmpl_unlink(sect);
  xmlNode *change = tmpl_find_child(ppr, NS_W, "pPrChange");
  if (change)
    tmpl_insert_before(change, sect);
  else
    tmpl_append_child(ppr, sect);
}

/* The block before para, passing over range markup; NULL when none. */
static xmlNode *block_before(xmlNode *para) {
  xmlNode *p = para->prev;
  while (p && (p->type != XML_ELEMENT_NODE || range_markup(p))) p = p->prev;
  return p;
}

void keep_section_before(const TmplFormat *fmt, xmlNode *para) {
  xmlNode *sect = is_docx(fmt) ? section_of(para) : NULL;
  if (!sect) return;
  xmlNode *prev = block_before(para);
  if (prev && is_w(prev, "p") && !section_of(prev)) put_section(prev, sect);
}

void keep_take_section(xmlNode *left, xmlNode *right) {
  xmlNode *sect = section_of(right);
  if (sect && !section_of(left)) put_section(left, sect);
}

/* Whether para holds, besides text and formatting, only page or column breaks. */
static int only_breaks(const TmplFormat *fmt, xmlNode *e, int *count) {
  for (xmlNode *c = e->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    WClass k = w_class(c);
    if (k == W_RANGE || k == W_LEAF) continue;
    if (k == W_BR) {
      if (page_break(c)) (*count)++;
      continue;
    }
    if (k == W_CONTAINER && only_breaks(fmt, c, count)) continue;
    return 0;
  }
  return 1;
}

static void move_breaks(xmlNode *e, xmlNode *to) {
  for (xmlNode *c = e->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (page_break(c)) {
      xmlNode *run = tmpl_new_element(to, to->ns, "r");
      tmpl_append_child(run, tmpl_copy(c, 1));
      tmpl_append_child(to, run);
    } else if (docx_container(c)) {
      move_breaks(c, to);
    }
  }
}

int keep_close_paragraph(const TmplFormat *fmt, xmlNode *para) {
  if (!is_docx(fmt)) return keep_holds_more(fmt, para);
  int breaks = 0;
  if (!only_breaks(fmt, para, &breaks)) return 1; /* a drawing, a field: it stays whole */
  xmlNode *sect = section_of(para);
  if (!sect && !breaks) return 0;
  xmlNode *prev = block_before(para);
  if (!prev || !is_w(prev, "p") || (sect && section_of(prev))) return 1;
  move_breaks(para, prev);
  if (sect) put_section(prev, sect);
  return 0;
}

int keep_only_block_of_cell(const TmplFormat *fmt, xmlNode *para) {
  xmlNode *cell = para->parent;
  if (!cell || !fmt->is_cell || !fmt->is_cell(cell)) return 0;
  for (xmlNode *c = cell->children; c; c = c->next) {
    if (c == para || c->type != XML_ELEMENT_NODE) continue;
    if (fmt->is_paragraph(c) || tmpl_is(c, NS_W, "tbl") || tmpl_is(c, NS_TABLE, "table") ||
        tmpl_is(c, NS_W, "sdt"))
      return 0;
  }
  return 1;
}

static void make_continuous(xmlNode *e) {
  for (xmlNode *c = e->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (is_w(c, "sectPr")) {
      xmlNode *type = tmpl_find_child(c, NS_W, "type");
      if (!type) {
        type = tmpl_new_element(c, c->ns, "type");
        /* w:type comes after the header and footer references and w:footnotePr/w:endnotePr */
        xmlNode *at = c->children;
        while (at &&
               (is_w(at, "headerReference") || is_w(at, "footerReference") ||
                is_w(at, "footnotePr") || is_w(at, "endnotePr") || at->type != XML_ELEMENT_NODE))
          at = at->next;
        if (at)
          tmpl_insert_before(at, type);
        else
          tmpl_append_child(c, type);
      }
      tmpl_set_attr(type, c->ns, "val", "continuous");
    } else {
      make_continuous(c);
    }
  }
}

void keep_repeated_copy(const TmplFormat *fmt, xmlNode *first, xmlNode *anchor) {
  if (!is_docx(fmt)) return;
  for (xmlNode *n = first; n && n != anchor; n = n->next)
    if (n->type == XML_ELEMENT_NODE) make_continuous(n);
}

/* ---- unique names and ids ---- */

/* A set of strings (open addressing), for the names already used in a part. */
typedef struct {
  char **slots;
  size_t cap, count;
} Names;

static size_t hash(const char *s) {
  size_t h = 5381;
  for (; *s; s++) h = h * 33 + (unsigned char)*s;
  return h;
}

static int names_has(const Names *n, const char *s) {
  if (!n->cap) return 0;
  for (size_t i = hash(s) & (n->cap - 1);; i = (i + 1) & (n->cap - 1)) {
    if (!n->slots[i]) return 0;
    if (strcmp(n->slots[i], s) == 0) return 1;
  }
}

static void names_add(Names *n, const char *s) {
  if ((n->count + 1) * 2 > n->cap) {
    Names bigger = {tmpl_alloc((n->cap ? n->cap * 2 : 64) * sizeof(char *)),
                    n->cap ? n->cap * 2 : 64, 0};
    for (size_t i = 0; i < n->cap; i++)
      if (n->slots[i]) {
        size_t k = hash(n->slots[i]) & (bigger.cap - 1);
        while (bigger.slots[k]) k = (k + 1) & (bigger.cap - 1);
        bigger.slots[k] = n->slots[i];
        bigger.count++;
      }
    memory_free(n->slots);
    *n = bigger;
  }
  size_t i = hash(s) & (n->cap - 1);
  while (n->slots[i]) i = (i + 1) & (n->cap - 1);
  n->slots[i] = tmpl_strndup(s, strlen(s));
  n->count++;
}

static void names_free(Names *n) {
  for (size_t i = 0; i < n->cap; i++) memory_free(n->slots[i]);
  memory_free(n->slots);
  memset(n, 0, sizeof *n);
}

/* A name not yet in the set: name, else name_2, name_3, ... (Word keeps bookmark names under
 * 40 characters: the base is cut to leave room for the number). */
static char *unique_name(Names *used, const char *name, size_t max) {
  char buf[300];
  if (!names_has(used, name) && strlen(name) <= max) {
    snprintf(buf, sizeof buf, "%s", name);
  } else {
    for (long k = 2;; k++) {
      char suffix[24];
      int sl = snprintf(suffix, sizeof suffix, "_%ld", k);
      size_t base = strlen(name);
      if (base + (size_t)sl > max) base = max > (size_t)sl ? max - (size_t)sl : 0;
      while (base > 0 && ((unsigned char)name[base] & 0xC0) == 0x80) base--;
      snprintf(buf, sizeof buf, "%.*s%s", (int)base, name, suffix);
      if (!names_has(used, buf)) break;
    }
  }
  names_add(used, buf);
  return tmpl_strndup(buf, strlen(buf));
}

/* Open bookmarks: original id/name -> the id/name given to the start, for its end. */
typedef struct {
  char *old, *now;
} Open;

typedef struct {
  Names names, ids;
  Open *open;
  size_t nopen, cap;
  long next_id;
  int odt;
} Marks;

static void open_push(Marks *m, const char *old, const char *now) {
  if (m->nopen == m->cap) {
    m->cap = m->cap ? m->cap * 2 : 16;
    m->open = tmpl_grow(m->open, m->cap, sizeof *m->open);
  }
  m->open[m->nopen].old = tmpl_strndup(old, strlen(old));
  m->open[m->nopen++].now = tmpl_strndup(now, strlen(now));
}

/* The latest open start whose original key is old: its new key (owned by the caller). */
static char *open_pop(Marks *m, const char *old) {
  for (size_t i = m->nopen; i-- > 0;) {
    if (strcmp(m->open[i].old, old) != 0) continue;
    char *now = m->open[i].now;
    memory_free(m->open[i].old);
    memmove(&m->open[i], &m->open[i + 1], (m->nopen - i - 1) * sizeof *m->open);
    m->nopen--;
    return now;
  }
  return NULL;
}

static void set_ns_attr(xmlNode *e, const char *ns_href, const char *name, const char *value) {
  xmlNs *ns = xmlSearchNsByHref(e->doc, e, BAD_CAST ns_href);
  tmpl_set_attr(e, ns, name, value);
}

static void mark_walk(Marks *m, xmlNode *e) {
  for (xmlNode *c = e->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (!c->properties) { /* neither bookmarks nor frames: only what is inside may be */
      if (c->children) mark_walk(m, c);
      continue;
    }
    if (!m->odt && is_w(c, "bookmarkStart")) {
      char *name = attr(c, NS_W, "name"), *id = attr(c, NS_W, "id");
      if (name) {
        char *now = unique_name(&m->names, name, 40);
        if (strcmp(now, name) != 0) set_ns_attr(c, NS_W, "name", now);
        memory_free(now);
      }
      if (id) {
        char buf[32];
        const char *give = id;
        if (names_has(&m->ids, id)) {
          do snprintf(buf, sizeof buf, "%ld", m->next_id++);
          while (names_has(&m->ids, buf));
          set_ns_attr(c, NS_W, "id", buf);
          give = buf;
        }
        names_add(&m->ids, give);
        open_push(m, id, give);
      }
      xmlFree(name);
      xmlFree(id);
    } else if (!m->odt && is_w(c, "bookmarkEnd")) {
      char *id = attr(c, NS_W, "id");
      char *now = id ? open_pop(m, id) : NULL;
      if (now && strcmp(now, id) != 0) set_ns_attr(c, NS_W, "id", now);
      memory_free(now);
      xmlFree(id);
    } else if (m->odt &&
               (tmpl_is(c, NS_TEXT, "bookmark") || tmpl_is(c, NS_TEXT, "bookmark-start"))) {
      char *name = attr(c, NS_TEXT, "name");
      if (name) {
        char *now = unique_name(&m->names, name, 250);
        if (strcmp(now, name) != 0) set_ns_attr(c, NS_TEXT, "name", now);
        if (tmpl_is(c, NS_TEXT, "bookmark-start")) open_push(m, name, now);
        memory_free(now);
      }
      xmlFree(name);
    } else if (m->odt && tmpl_is(c, NS_TEXT, "bookmark-end")) {
      char *name = attr(c, NS_TEXT, "name");
      char *now = name ? open_pop(m, name) : NULL;
      if (now && strcmp(now, name) != 0) set_ns_attr(c, NS_TEXT, "name", now);
      memory_free(now);
      xmlFree(name);
    }
    if (m->odt) {
      /* frames and shapes: draw:name unique; xml:id is an ID and may not repeat */
      char *dn = attr(c, NS_DRAW, "name");
      if (dn) {
        char *now = unique_name(&m->ids, dn, 250);
        if (strcmp(now, dn) != 0) set_ns_attr(c, NS_DRAW, "name", now);
        memory_free(now);
        xmlFree(dn);
      }
      for (int k = 0; k < 2; k++) {
        const char *ns = k ? NS_XML : NS_DRAW;
        char *xid = attr(c, ns, "id");
        if (xid) {
          char key[300];
          snprintf(key, sizeof key, "\1%d%s", k, xid); /* a space of names of its own */
          if (names_has(&m->names, key)) {
            xmlAttr *a = xmlHasNsProp(c, BAD_CAST "id", BAD_CAST ns);
            if (a) xmlRemoveProp(a);
          } else {
            names_add(&m->names, key);
          }
          xmlFree(xid);
        }
      }
    }
    mark_walk(m, c);
  }
}

void keep_unique_ids(Fill *f, Part *p) {
  (void)f;
  if (p->fmt != &tmpl_docx && p->fmt != &tmpl_odt) return;
  Marks m = {.odt = p->fmt == &tmpl_odt, .next_id = 1};
  /* new bookmark ids start above the highest in the part */
  m.next_id = 100000;
  mark_walk(&m, xmlDocGetRootElement(p->doc));
  for (size_t i = 0; i < m.nopen; i++) {
    memory_free(m.open[i].old);
    memory_free(m.open[i].now);
  }
  memory_free(m.open);
  names_free(&m.names);
  names_free(&m.ids);
}

/* ---- drawing ids across the document ---- */

static void collect_docpr(xmlNode *e, xmlNode ***list, size_t *n, size_t *cap) {
  for (xmlNode *c = e->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (tmpl_is(c, NS_WP, "docPr")) {
      if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        *list = tmpl_grow(*list, *cap, sizeof **list);
      }
      (*list)[(*n)++] = c;
    }
    collect_docpr(c, list, n, cap);
  }
}

/* The highest number following `id="` after each "docPr" in raw XML bytes. */
static unsigned long max_raw_docpr(const char *s, size_t len) {
  unsigned long max = 0;
  const char *end = s + len;
  for (const char *q = s; (q = memchr(q, 'd', (size_t)(end - q))) != NULL; q++) {
    if ((size_t)(end - q) < 6 || memcmp(q, "docPr", 5) != 0) continue;
    const char *close = memchr(q, '>', (size_t)(end - q));
    if (!close) break;
    for (const char *a = q; a + 4 < close; a++) {
      if (memcmp(a, " id=\"", 5) == 0) {
        unsigned long v = strtoul(a + 5, NULL, 10);
        if (v > max) max = v;
        break;
      }
    }
  }
  return max;
}

void keep_unique_drawings(Fill *f) {
  if (f->fmt != &tmpl_docx) return;
  int copied = 0;
  for (size_t i = 0; i < f->nparts; i++)
    copied |= f->parts[i].copied && f->parts[i].may_have_ids && f->parts[i].doc;
  if (!copied) return;
  xmlNode **list = NULL;
  size_t n = 0, cap = 0;
  for (size_t i = 0; i < f->nparts; i++)
    if (f->parts[i].doc && f->parts[i].fmt == &tmpl_docx)
      collect_docpr(xmlDocGetRootElement(f->parts[i].doc), &list, &n, &cap);
  Names seen = {0};
  unsigned long max = 0;
  int repeated = 0;
  for (size_t i = 0; i < n; i++) {
    char *id = attr(list[i], NULL, "id");
    unsigned long v = id ? strtoul(id, NULL, 10) : 0;
    if (v > max) max = v;
    if (id && names_has(&seen, id)) repeated = 1;
    if (id) names_add(&seen, id);
    xmlFree(id);
  }
  names_free(&seen);
  if (!repeated) { /* nothing to renumber: the other parts need not be read */
    memory_free(list);
    return;
  }
  /* ids in parts that are copied as they are count too */
  size_t count = zip_package_count(f->pkg);
  for (size_t i = 0; i < count; i++) {
    const char *name = zip_package_name(f->pkg, i);
    int filled = 0;
    for (size_t k = 0; k < f->nparts && !filled; k++) filled = f->parts[k].index == (long)i;
    size_t nl = strlen(name);
    if (filled || strncmp(name, "word/", 5) != 0 || nl < 5 || strcmp(name + nl - 4, ".xml") != 0)
      continue;
    size_t size;
    char *data = parts_read(f, i, &size);
    if (!data) continue;
    unsigned long m = max_raw_docpr(data, size);
    memory_free(data);
    if (m > max) max = m;
  }
  for (size_t i = 0; i < n; i++) {
    char *id = attr(list[i], NULL, "id");
    if (id && names_has(&seen, id)) {
      char buf[32];
      snprintf(buf, sizeof buf, "%lu", ++max);
      tmpl_set_attr(list[i], NULL, "id", buf);
    } else if (id) {
      names_add(&seen, id);
    }
    xmlFree(id);
  }
  names_free(&seen);
  memory_free(list);
}
