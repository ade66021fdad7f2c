/*
 * docx: what the engine needs to know about WordprocessingML. Paragraphs are w:p, runs w:r
 * (formatting in w:rPr), text w:t, rows w:tr, cells w:tc, breaks w:br, tabs w:tab.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memory.h"
#include "rowmemo.h"
#include "tmpl.h"

/* Every node made here goes through tmpl_check (xml.c): out of memory is raised. */

static int is_w(const xmlNode *e, const char *name) {
  return tmpl_is(e, NS_W, name);
}
static int docx_paragraph(const xmlNode *e) {
  return is_w(e, "p");
}
static int docx_text_parent(const xmlNode *e) {
  return is_w(e, "t");
}
static int docx_row(const xmlNode *e) {
  return is_w(e, "tr");
}
static int docx_cell(const xmlNode *e) {
  return is_w(e, "tc");
}
static int docx_run(const xmlNode *e) {
  return is_w(e, "r");
}
static int docx_props(const xmlNode *e) {
  return is_w(e, "rPr");
}
static xmlNode *docx_holder(xmlNode *t) {
  return t->parent;
}

static xmlNs *w_ns(xmlNode *like) {
  xmlNs *ns = tmpl_ns_by_href(like, NS_W);
  if (!ns) ns = tmpl_ns_by_href(xmlDocGetRootElement(like->doc), NS_W);
  return ns;
}

static void docx_touch(xmlNode *holder) {
  tmpl_space_preserve(holder);
}

static xmlNode *docx_new_segment(xmlNode *like, SegKind kind, const char *text, int n) {
  (void)n;
  xmlNs *ns = w_ns(like);
  switch (kind) {
    case SEG_BREAK:
      return tmpl_doc_node(like->doc, ns, "br");
    case SEG_TAB:
      return tmpl_doc_node(like->doc, ns, "tab");
    default: {
      xmlNode *t = tmpl_doc_node(like->doc, ns, "t");
      tmpl_space_preserve(t);
      tmpl_append_child(t, tmpl_new_text(like->doc, text));
      return t;
    }
  }
}

/* The schema's order of the children of w:rPr and w:pPr (ECMA-376 Part 1, CT_RPr and
 * CT_PPr), for inserting a property where Word expects it. */
static const char *const RPR_ORDER[] = {"rStyle",
                                        "rFonts",
                                        "b",
                                        "bCs",
                                        "i",
                                        "iCs",
                                        "caps",
                                        "smallCaps",
                                        "strike",
                                        "dstrike",
                                        "outline",
                                        "shadow",
                                        "emboss",
                                        "imprint",
                                        "noProof",
                                        "snapToGrid",
                                        "vanish",
                                        "webHidden",
                                        "color",
                                        "spacing",
                                        "w",
                                        "kern",
                                        "position",
                                        "sz",
                                        "szCs",
                                        "highlight",
                                        "u",
                                        "effect",
                                        "bdr",
                                        "shd",
                                        "fitText",
                                        "vertAlign",
                                        "rtl",
                                        "cs",
                                        "em",
                                        "lang",
                                        "eastAsianLayout",
                                        "specVanish",
                                        "oMath",
                                        "rPrChange",
                                        NULL};
static const char *const PPR_ORDER[] = {"pStyle",
                                        "keepNext",
                                        "keepLines",
                                        "pageBreakBefore",
                                        "framePr",
                                        "widowControl",
                                        "numPr",
                                        "suppressLineNumbers",
                                        "pBdr",
                                        "shd",
                                        "tabs",
                                        "suppressAutoHyphens",
                                        "kinsoku",
                                        "wordWrap",
                                        "overflowPunct",
                                        "topLinePunct",
                                        "autoSpaceDE",
                                        "autoSpaceDN",
                                        "bidi",
                                        "adjustRightInd",
                                        "snapToGrid",
                                        "spacing",
                                        "ind",
                                        "contextualSpacing",
                                        "mirrorIndents",
                                        "suppressOverlap",
                                        "jc",
                                        "textDirection",
                                        "textAlignment",
                                        "textboxTightWrap",
                                        "outlineLvl",
                                        "divId",
                                        "cnfStyle",
                                        "rPr",
                                        "sectPr",
                                        "pPrChange",
                                        NULL};

static int rank_in(const xmlNode *e, const char *const *order) {
  /* the namespace once, then the names (a paragraph's properties are ranked again for every
   * property set: this was a tenth of a DOCX fill as is_w per name) */
  if (!e || e->type != XML_ELEMENT_NODE || !e->ns || strcmp((const char *)e->ns->href, NS_W) != 0)
    return 1000; /* unknown: last */
  for (int i = 0; order[i]; i++)
    if (e->name[0] == (xmlChar)order[i][0] && strcmp((const char *)e->name, order[i]) == 0)
      return i;
  return 1000;
}

/* Inserts child into props before the first element that comes after it in the order. */
static void insert_ordered(xmlNode *props, xmlNode *child, const char *const *order) {
  int rank = rank_in(child, order);
  for (xmlNode *c = props->children; c; c = c->next) {
    if (c->type == XML_ELEMENT_NODE && rank_in(c, order) > rank) {
      tmpl_insert_before(c, child);
      return;
    }
  }
  tmpl_append_child(props, child);
}

static xmlNode *find_w(xmlNode *parent, const char *name) {
  for (xmlNode *c = parent ? parent->children : NULL; c; c = c->next)
    if (is_w(c, name)) return c;
  return NULL;
}

static void set_flag(xmlNode *rpr, const char *name, const char *cs_name) {
  xmlNs *ns = w_ns(rpr);
  xmlNode *have = find_w(rpr, name);
  if (have) {
    xmlUnsetNsProp(have, ns, BAD_CAST "val");
  } else {
    insert_ordered(rpr, tmpl_doc_node(rpr->doc, ns, name), RPR_ORDER);
  }
  have = find_w(rpr, cs_name);
  if (have)
    xmlUnsetNsProp(have, ns, BAD_CAST "val");
  else {
    xmlNode *b = find_w(rpr, name);
    tmpl_insert_after(b, tmpl_doc_node(rpr->doc, ns, cs_name));
  }
}

/* How rich paragraphs look beyond the template's formatting: table cells set these. */
typedef struct {
  TmplAlign align;   /* for paragraphs without an align of their own */
  int bold;          /* every run bold */
  double size_pt;    /* 0: the template's size */
  int cell;          /* in a table cell: no indents, keep-with-next or page breaks */
  int keep_next;     /* in a row kept with the next one (TmplRow.keep_next) */
  struct Made *made; /* properties made so far, or NULL */
} Look;

static void set_size(xmlNode *rpr, double pt) {
  xmlNs *ns = w_ns(rpr);
  xmlNode *old;
  while ((old = find_w(rpr, "sz")) != NULL) tmpl_remove(old);
  while ((old = find_w(rpr, "szCs")) != NULL) tmpl_remove(old);
  char buf[24];
  tmpl_decimal(buf, (int)(pt * 2 + 0.5));
  xmlNode *sz = tmpl_doc_node(rpr->doc, ns, "sz");
  tmpl_new_prop(sz, ns, "val", buf);
  insert_ordered(rpr, sz, RPR_ORDER);
  xmlNode *cs = tmpl_doc_node(rpr->doc, ns, "szCs");
  tmpl_new_prop(cs, ns, "val", buf);
  tmpl_insert_after(sz, cs);
}

/* Run and paragraph properties a table (or a rich tag) made once, copied for every later run
 * or paragraph that asks for the same: a table's cells ask for a few kinds thousands of times,
 * and copying the template's rPr, then finding, ordering and adding each property by name, was
 * a fifth of a DOCX fill. What was made stays in the tree being built (nothing frees or
 * changes it before the table is done) and is copied as if it stood where the template's
 * properties stand, so that the copy is the node made afresh; when a copy there cannot be
 * made alike (a namespace hidden by a nearer declaration), it is made afresh. */
enum { MADE_MAX = 16 };
typedef struct {
  const xmlNode *from; /* the template's rPr or pPr, or NULL */
  int bold, italic, is_item, level, align, keep_next, no_hyphens, cell;
  double size_pt, space_mm;
  xmlNode *made;
  unsigned copies; /* asked for so far */
  int stamped;     /* 1: stamp copies it (made_copy), -1: it cannot */
  TmplStamp stamp;
} MadeProps;

typedef struct {
  long width;
  int span, vmerge, valign; /* vmerge: 0 none, 1 continued, 2 restarted */
  xmlNode *made;            /* the tcPr */
} MadeCell;

typedef struct Made {
  MadeProps runs[MADE_MAX], paras[MADE_MAX];
  MadeProps texts[MADE_MAX]; /* whole runs of one text (w:r, its rPr, a w:t) */
  MadeCell cells[MADE_MAX];
  size_t nruns, nparas, ntexts, ncells;
} Made;

static int same_key(const MadeProps *a, const MadeProps *b) {
  return a->from == b->from && a->bold == b->bold && a->italic == b->italic &&
         a->is_item == b->is_item && a->level == b->level && a->align == b->align &&
         a->keep_next == b->keep_next && a->no_hyphens == b->no_hyphens && a->cell == b->cell &&
         a->size_pt == b->size_pt && a->space_mm == b->space_mm;
}

/* Whether the namespaces declared in scope at e are its root's alone: e stands in the document
 * and no element between it and the root declares one. Then a copy made as if under e
 * (tmpl_copy_element_at) is the copy made as if under any other such node of the document. */
static int root_scope(const xmlNode *e) {
  if (!e) return 0;
  for (; e->type == XML_ELEMENT_NODE && e->parent && e->parent->type == XML_ELEMENT_NODE;
       e = e->parent)
    if (e->nsDef) return 0;
  return e->type == XML_ELEMENT_NODE && e->parent && e->parent->type == XML_DOCUMENT_NODE;
}

enum { STAMP_AFTER = 2 }; /* copies asked for: a stamp costs about two */

/* A copy of the properties made for key, placed as if under dest; NULL when none was made
 * (or it cannot be copied alike). A table asks for the same few thousands of times: from the
 * second copy on they come from a stamp of the made node (treecopy.c: one block copied, its
 * pointers moved), made as if under that copy's dest, while the dest has the root's
 * declarations alone in scope, as the stamp's had. What was made is not changed while its
 * table or rich value is written (only its copies are: new_run's text), so the stamp's copy
 * is the copy tmpl_copy_element_at would make. */
static xmlNode *made_copy(MadeProps *list, size_t n, const MadeProps *key, const xmlNode *dest) {
  for (size_t i = 0; i < n; i++) {
    MadeProps *e = &list[i];
    if (!same_key(e, key)) continue;
    int plain = -1; /* root_scope(dest), asked once */
    if (!e->stamped && ++e->copies >= STAMP_AFTER) {
      plain = root_scope(dest);
      e->stamped = plain && tmpl_stamp_make_at(&e->stamp, e->made, e->made, dest) == 0 ? 1 : -1;
      if (e->stamped < 0 && memory_failed()) tmpl_no_memory();
    }
    if (e->stamped > 0 && e->made->doc == dest->doc && (plain < 0 ? root_scope(dest) : plain)) {
      xmlNode *copy;
      tmpl_stamp_copy(&e->stamp, &copy);
      return copy;
    }
    xmlNode *copy = tmpl_copy_element_at(e->made, dest, 1);
    if (!copy && memory_failed()) tmpl_no_memory();
    return copy;
  }
  return NULL;
}

static void made_keep(MadeProps *list, size_t *n, const MadeProps *key, xmlNode *made) {
  if (!made || *n == MADE_MAX) return;
  list[*n] = *key;
  list[(*n)++].made = made;
}

static xmlNode *run_props(Made *m, xmlNode *rpr, xmlNode *like, int bold, int italic,
                          double size_pt) {
  MadeProps key = {.from = rpr, .bold = bold, .italic = italic, .size_pt = size_pt};
  const xmlNode *dest = rpr ? rpr->parent : like;
  xmlNode *props = m ? made_copy(m->runs, m->nruns, &key, dest) : NULL;
  if (props) return props;
  props = rpr ? tmpl_copy(rpr, 1) : NULL;
  if (!props && (bold || italic || size_pt > 0))
    props = tmpl_doc_node(like->doc, w_ns(like), "rPr");
  if (props) {
    if (bold) set_flag(props, "b", "bCs");
    if (italic) set_flag(props, "i", "iCs");
    if (size_pt > 0) set_size(props, size_pt);
  }
  if (m) made_keep(m->runs, &m->nruns, &key, props);
  return props;
}

static xmlNode *new_run(Made *m, xmlNode *rpr, xmlNode *like, const char *text, int bold,
                        int italic, int tab, double size_pt) {
  /* A run of one text (no break or tab in it) is a copy of the first such run made with the
   * same properties, its text put in: a table's cells write thousands of them, and making the
   * run, its properties and its w:t node by node was half of writing a cell. */
  MadeProps key = {.from = rpr, .bold = bold, .italic = italic, .size_pt = size_pt};
  int one_text = m && !tab && text && !strpbrk(text, "\n\t");
  if (one_text) {
    xmlNode *copy = made_copy(m->texts, m->ntexts, &key, like);
    if (copy) { /* (its last child is the w:t, holding one text node) */
      tmpl_set_text(copy->last->children, text, strlen(text));
      return copy;
    }
  }
  xmlNs *ns = w_ns(like);
  xmlNode *r = tmpl_doc_node(like->doc, ns, "r");
  xmlNode *props = run_props(m, rpr, like, bold, italic, size_pt);
  if (props) tmpl_append_child(r, props);
  if (tab)
    tmpl_append_child(r, docx_new_segment(like, SEG_TAB, NULL, 0));
  else
    tmpl_append_text(&tmpl_docx, r, like, text);
  if (one_text) made_keep(m->texts, &m->ntexts, &key, r);
  return r;
}

static void remove_all(xmlNode *parent, const char *name) {
  xmlNode *old;
  while ((old = find_w(parent, name)) != NULL) tmpl_remove(old);
}

/* Replaces w:<name> of ppr by a new one, placed in the schema's order; returns it. */
static xmlNode *set_prop(xmlNode *ppr, const char *name) {
  remove_all(ppr, name);
  xmlNode *e = tmpl_doc_node(ppr->doc, w_ns(ppr), name);
  insert_ordered(ppr, e, PPR_ORDER);
  return e;
}

static void set_attr(xmlNode *e, const char *name, const char *value) {
  tmpl_new_prop(e, w_ns(e), name, value);
}

static void set_indent(xmlNode *ppr, int level) {
  remove_all(ppr, "numPr");
  xmlNode *ind = set_prop(ppr, "ind");
  char buf[24];
  tmpl_decimal(buf, 425 * (level < 1 ? 1 : level > 8 ? 8 : level));
  set_attr(ind, "left", buf);
  set_attr(ind, "hanging", "425");
}

static void set_jc(xmlNode *ppr, TmplAlign align) {
  static const char *const values[] = {"", "left", "center", "right", "both"};
  set_attr(set_prop(ppr, "jc"), "val", values[align]);
}

/* The pPr of a rich paragraph: the template's (less its section break) with what key asks. */
static xmlNode *para_props(Made *m, xmlNode *like, xmlNode *ppr, const MadeProps *key) {
  xmlNode *props = m ? made_copy(m->paras, m->nparas, key, ppr ? ppr->parent : like) : NULL;
  if (props) return props;
  props = ppr ? tmpl_copy(ppr, 1) : NULL;
  if (props) remove_all(props, "sectPr");
  if (!props && (key->is_item || key->align || key->cell || key->space_mm > 0 || key->keep_next ||
                 key->no_hyphens))
    props = tmpl_doc_node(like->doc, w_ns(like), "pPr");
  if (key->cell) {
    static const char *const away[] = {
        "keepNext", "keepLines", "pageBreakBefore", "framePr", "numPr", "ind", NULL};
    for (const char *const *a = away; *a; a++) remove_all(props, *a);
    if (!key->is_item) {
      xmlNode *ind = set_prop(props, "ind");
      set_attr(ind, "left", "0");
      set_attr(ind, "right", "0");
      set_attr(ind, "firstLine", "0");
    }
  }
  if (key->is_item) set_indent(props, key->level);
  /* the page rules of the layout, as far as Word's paragraphs carry them: a row kept with the
   * next is one whose every paragraph keeps with the next */
  if (key->keep_next) set_prop(props, "keepNext");
  if (key->no_hyphens) set_prop(props, "suppressAutoHyphens");
  if (key->align) set_jc(props, (TmplAlign)key->align);
  if (key->space_mm > 0) {
    xmlNode *sp = set_prop(props, "spacing");
    char buf[24];
    tmpl_decimal(buf, (int)(key->space_mm * 1440 / 25.4 + 0.5));
    set_attr(sp, "before", "0");
    set_attr(sp, "after", "0");
    set_attr(sp, "line", buf);
    set_attr(sp, "lineRule", "exact");
  }
  if (m) made_keep(m->paras, &m->nparas, key, props);
  return props;
}

/* A w:p for one rich paragraph: the template's pPr (less its section break) and, for its runs,
 * the tag run's rPr. */
static xmlNode *rich_paragraph(xmlNode *like, xmlNode *ppr, xmlNode *rpr, const RichPara *rp,
                               const Look *look) {
  Look sized;
  if (rp->size_pt > 0) { /* the block's own size wins, as in the PDF */
    sized = *look;
    sized.size_pt = rp->size_pt;
    look = &sized;
  }
  xmlNode *np = tmpl_doc_node(like->doc, w_ns(like), "p");
  TmplAlign align = rp->align ? rp->align : look->align;
  /* never hyphenated: what the view says, centred lines (as in the PDF) and table cells (as
   * the stock templates' TableText: names, dates and posts stand in cells, and a style cannot
   * tell them from the rest) */
  MadeProps key = {.from = ppr,
                   .is_item = rp->is_item,
                   .level = rp->level,
                   .align = (int)align,
                   .keep_next = look->cell ? look->keep_next : rp->keep_next,
                   .no_hyphens = rp->no_hyphens || align == VIEW_ALIGN_CENTER || look->cell,
                   .cell = look->cell,
                   .space_mm = rp->space_mm};
  xmlNode *props = para_props(look->made, like, ppr, &key);
  if (props) tmpl_append_child(np, props);
  Made *m = look->made;
  if (rp->is_item) {
    tmpl_append_child(np, new_run(m, rpr, like, rp->label, look->bold, 0, 0, look->size_pt));
    tmpl_append_child(np, new_run(m, rpr, like, NULL, 0, 0, 1, look->size_pt));
  }
  for (size_t k = 0; k < rp->nruns; k++)
    tmpl_append_child(np, new_run(m, rpr, like, rp->runs[k].text, rp->runs[k].bold || look->bold,
                                  rp->runs[k].italic, 0, look->size_pt));
  return np;
}

/* The tag run's rPr. */
static xmlNode *tag_rpr(xmlNode *p, xmlNode *t) {
  xmlNode *run = t;
  while (run && run != p && !docx_run(run)) run = run->parent;
  return run && run != p ? find_w(run, "rPr") : NULL;
}

/* Paragraph p has been replaced: it goes, unless it carries a section break, which it keeps
 * (empty, so that the section survives). */
static void retire(xmlNode *p) {
  xmlNode *ppr = find_w(p, "pPr");
  if (ppr && find_w(ppr, "sectPr")) {
    xmlNode *c = p->children;
    while (c) {
      xmlNode *next = c->next;
      if (c != ppr) tmpl_remove(c);
      c = next;
    }
  } else {
    tmpl_remove(p);
  }
}

static void docx_rich(xmlNode *p, xmlNode *t, const RichPara *paras, size_t n) {
  xmlNode *rpr = tag_rpr(p, t);
  xmlNode *ppr = find_w(p, "pPr");
  Made made = {0};
  const Look plain = {.made = &made};
  for (size_t i = 0; i < n; i++)
    tmpl_insert_before(p, rich_paragraph(p, ppr, rpr, &paras[i], &plain));
  retire(p);
}

/* ---- tables ---- */

/* e's attribute w:name (xmlGetNsProp's), or NULL. */
static xmlAttr *w_attr(xmlNode *e, const char *name) {
  for (xmlAttr *a = e->properties; a; a = a->next)
    if (a->name[0] == (xmlChar)name[0] && strcmp((const char *)a->name, name) == 0 && a->ns &&
        strcmp((const char *)a->ns->href, NS_W) == 0)
      return a;
  return NULL;
}

/* The text node that is all of attribute a's value, or NULL (another shape). */
static xmlNode *plain_value(xmlAttr *a) {
  xmlNode *v = a ? a->children : NULL;
  return v && !v->next && v->type == XML_TEXT_NODE && v->content ? v : NULL;
}

/* (read in place, not copied by xmlGetNsProp, unless the value is of an odd shape: a table's
 * width reads four of them) */
static long attr_long(xmlNode *e, const char *name, long dflt) {
  xmlAttr *a = e ? w_attr(e, name) : NULL;
  if (!a) return dflt;
  xmlNode *plain = plain_value(a);
  xmlChar *v = plain ? NULL : tmpl_ns_prop(e, BAD_CAST name, BAD_CAST NS_W);
  const char *text = plain ? (const char *)plain->content : (const char *)v;
  long n = dflt;
  if (text) {
    char *end;
    long x = strtol(text, &end, 10);
    if (end != text) n = x;
  }
  xmlFree(v);
  return n;
}

#define TWIPS_PER_MM (1440 / 25.4)

/* The text width of p's section (w:pgSz less w:pgMar), or of the cell p stands in. */
static double docx_text_width(xmlNode *p, xmlDoc *styles) {
  (void)styles;
  for (xmlNode *e = p->parent; e; e = e->parent) {
    if (is_w(e, "tc")) {
      xmlNode *w = find_w(find_w(e, "tcPr"), "tcW");
      xmlChar *type = w ? tmpl_ns_prop(w, BAD_CAST "type", BAD_CAST NS_W) : NULL;
      int dxa = type && strcmp((const char *)type, "dxa") == 0;
      xmlFree(type);
      long width = dxa ? attr_long(w, "w", 0) : 0;
      return width > 400 ? (double)(width - 216) / TWIPS_PER_MM : 0; /* less the margins */
    }
    if (is_w(e, "body")) break;
  }
  xmlNode *top = p;
  while (top->parent && !is_w(top->parent, "body")) top = top->parent;
  if (!top->parent) return 0; /* a header, footer or note: no section here */
  xmlNode *sect = NULL;
  for (xmlNode *n = top; n && !sect; n = n->next) {
    if (is_w(n, "p")) sect = find_w(find_w(n, "pPr"), "sectPr");
    if (is_w(n, "sectPr")) sect = n;
  }
  if (!sect) return 0;
  xmlNode *size = find_w(sect, "pgSz"), *mar = find_w(sect, "pgMar");
  long width = attr_long(size, "w", 11906) - attr_long(mar, "left", 1701) -
               attr_long(mar, "right", 850) - attr_long(mar, "gutter", 0);
  return width > 500 ? (double)width / TWIPS_PER_MM : 0;
}

static xmlNode *add_w(xmlNode *parent, const char *name) {
  xmlNode *e = tmpl_doc_node(parent->doc, w_ns(parent), name);
  tmpl_append_child(parent, e);
  return e;
}

static void add_width(xmlNode *parent, const char *name, long twips) {
  char buf[24];
  tmpl_decimal(buf, twips);
  xmlNode *w = add_w(parent, name);
  set_attr(w, "w", buf);
  set_attr(w, "type", "dxa");
}

/* A w:tc of `span` grid columns from column c; paragraphs come after. Its tcPr is made once
 * per kind in a table (m) and copied as if it stood under p, the template's paragraph. */
static xmlNode *new_cell(Made *m, const xmlNode *p, xmlNode *tr, const long *cols, int c, int span,
                         const char *vmerge, TmplVAlign valign) {
  xmlNode *tc = add_w(tr, "tc");
  long width = 0;
  for (int k = c; k < c + span; k++) width += cols[k];
  MadeCell key = {width, span, vmerge ? (*vmerge ? 2 : 1) : 0, (int)valign, NULL};
  for (size_t i = 0; i < m->ncells; i++) {
    MadeCell *o = &m->cells[i];
    if (o->width != key.width || o->span != span || o->vmerge != key.vmerge ||
        o->valign != key.valign)
      continue;
    xmlNode *copy = tmpl_copy_element_at(o->made, p, 1);
    if (!copy && memory_failed()) tmpl_no_memory();
    if (copy) {
      tmpl_append_child(tc, copy);
      return tc;
    }
    break;
  }
  xmlNode *pr = add_w(tc, "tcPr");
  add_width(pr, "tcW", width);
  char buf[32];
  if (span > 1) {
    tmpl_decimal(buf, span);
    set_attr(add_w(pr, "gridSpan"), "val", buf);
  }
  if (vmerge) {
    xmlNode *vm = add_w(pr, "vMerge");
    if (*vmerge) set_attr(vm, "val", vmerge);
  }
  static const char *const valigns[] = {NULL, "top", "center", "bottom"};
  if (valign) set_attr(add_w(pr, "vAlign"), "val", valigns[valign]);
  if (m->ncells < MADE_MAX) {
    key.made = pr;
    m->cells[m->ncells++] = key;
  }
  return tc;
}

/* An empty paragraph with the template's pPr, made fit for a cell. */
static xmlNode *empty_paragraph(xmlNode *like, xmlNode *ppr, const Look *look) {
  RichPara none = {0};
  return rich_paragraph(like, ppr, NULL, &none, look);
}

/* Whether the rows of a table replacing p may be remembered (rowmemo.h), with the table's part
 * of their key: what a row's bytes depend on besides its own cells (the fit is the fill's
 * part). Every namespace they use must be the root's own, so that a row is written the same
 * wherever it stands: the WordprocessingML one, and those of the template's pPr and rPr they
 * copy (no declaration on p, its ancestors or in them). */
static TmplRowMemo *memo_context(const TmplTable *tab, xmlNode *p, xmlNode *ppr, xmlNode *rpr,
                                 const long *cols) {
  TmplRowMemo *memo = tab->memo;
  xmlNode *root = xmlDocGetRootElement(p->doc);
  if (!memo || memo->key.failed || !root) return NULL;
  xmlNs *w = w_ns(p), *d = root->nsDef;
  while (d && d != w) d = d->next;
  if (!d) return NULL;
  for (xmlNode *e = p; e && e != root; e = e->parent)
    if (e->type == XML_ELEMENT_NODE && e->nsDef) return NULL;
  if ((ppr && rowmemo_declares(ppr)) || (rpr && rowmemo_declares(rpr))) return NULL;
  static TmplOut props; /* (kept for the next table) */
  RowKey *k = &memo->key;
  rowkey_str(k, "docx");
  rowkey_int(k, memo->has_fit); /* (docx_fit changes the sizes and spacing in them) */
  if (memo->has_fit) rowkey_bytes(k, &memo->fit, sizeof memo->fit);
  rowkey_root(k, root);
  rowkey_str(k, (const char *)w->prefix);
  xmlNode *const both[] = {ppr, rpr};
  for (int i = 0; i < 2; i++) {
    props.len = 0;
    props.over = 0;
    if (both[i]) tmpl_serialize_node(&props, both[i]);
    if (props.over) tmpl_no_memory();
    rowkey_int(k, both[i] != NULL);
    rowkey_int(k, (long)props.len);
    rowkey_bytes(k, props.data, props.len);
  }
  rowkey_num(k, tab->size_pt);
  rowkey_int(k, (long)tab->ncols);
  rowkey_bytes(k, cols, tab->ncols * sizeof *cols);
  if (rowmemo_intern(memo) != 0) tmpl_no_memory();
  return memo;
}

/* The table's properties or its grid (`what`: made of the columns, borders and padding)
 * remembered as rows are: 1 when one written before stands in for e. */
static int head_remembered(TmplRowMemo *memo, size_t context, xmlNode *e, const char *what,
                           const TmplTable *tab) {
  if (!memo) return 0;
  memo->key.len = context;
  rowkey_str(&memo->key, what);
  rowkey_int(&memo->key, tab->borders);
  rowkey_num(&memo->key, tab->padding_mm);
  int used = rowmemo_use(memo, e);
  if (used < 0) tmpl_no_memory();
  return used;
}

static void docx_table(xmlNode *p, xmlNode *t, const TmplTable *tab) {
  xmlNode *rpr = tag_rpr(p, t);
  xmlNode *ppr = find_w(p, "pPr");
  xmlNode *tbl = tmpl_doc_node(p->doc, w_ns(p), "tbl");
  long *cols = tmpl_alloc(tab->ncols * sizeof *cols);
  Made made = {0};
  long total = 0;
  for (size_t c = 0; c < tab->ncols; c++) {
    cols[c] = (long)(tab->col_mm[c] * TWIPS_PER_MM + 0.5);
    total += cols[c];
  }
  TmplRowMemo *memo = memo_context(tab, p, ppr, rpr, cols);
  size_t context = memo ? memo->key.len : 0;
  xmlNode *pr = add_w(tbl, "tblPr");
  if (!head_remembered(memo, context, pr, "tblPr", tab)) {
    add_width(pr, "tblW", total);
    xmlNode *borders = add_w(pr, "tblBorders");
    static const char *const sides[] = {"top", "left", "bottom", "right", "insideH", "insideV"};
    for (size_t i = 0; i < sizeof sides / sizeof *sides; i++) {
      xmlNode *b = add_w(borders, sides[i]);
      set_attr(b, "val", tab->borders ? "single" : "nil");
      if (tab->borders) {
        set_attr(b, "sz", "4");
        set_attr(b, "space", "0");
        set_attr(b, "color", "000000");
      }
    }
    set_attr(add_w(pr, "tblLayout"), "type", "fixed");
    /* the cells' margins are the PDF's padding, which the column widths were computed with */
    xmlNode *margins = add_w(pr, "tblCellMar");
    static const char *const edges[] = {"top", "left", "bottom", "right"};
    for (size_t i = 0; i < 4; i++)
      add_width(margins, edges[i], (long)(tab->padding_mm * TWIPS_PER_MM + 0.5));
  }
  xmlNode *grid = add_w(tbl, "tblGrid");
  if (!head_remembered(memo, context, grid, "tblGrid", tab)) {
    for (size_t c = 0; c < tab->ncols; c++) {
      char buf[24];
      tmpl_decimal(buf, cols[c]);
      set_attr(add_w(grid, "gridCol"), "w", buf);
    }
  }
  for (size_t r = 0; r < tab->nrows; r++) {
    xmlNode *tr = add_w(tbl, "tr");
    /* a row made of the same as one written before stands in for it */
    if (memo && rowmemo_row(memo, context, tab, r, tr)) continue;
    if (r < tab->header_rows || tab->rows[r].cant_split) {
      xmlNode *trpr = add_w(tr, "trPr");
      if (tab->rows[r].cant_split) add_w(trpr, "cantSplit");
      if (r < tab->header_rows) add_w(trpr, "tblHeader");
    }
    const TmplSlot *line = &tab->grid[r * tab->ncols];
    for (size_t c = 0; c < tab->ncols;) {
      const TmplCell *cell = line[c].cell;
      Look look = {
          .cell = 1, .size_pt = tab->size_pt, .keep_next = tab->rows[r].keep_next, .made = &made};
      switch (line[c].kind) {
        case SLOT_START: {
          look.align = cell->align;
          look.bold = cell->bold;
          xmlNode *tc = new_cell(&made, p, tr, cols, (int)c, cell->colspan,
                                 cell->rowspan > 1 ? "restart" : NULL, cell->valign);
          for (size_t i = 0; i < cell->nparas; i++)
            tmpl_append_child(tc, rich_paragraph(p, ppr, rpr, &cell->paras[i], &look));
          if (!cell->nparas) tmpl_append_child(tc, empty_paragraph(p, ppr, &look));
          c += (size_t)cell->colspan;
          break;
        }
        case SLOT_BELOW: {
          xmlNode *tc = new_cell(&made, p, tr, cols, (int)c, cell->colspan, "", cell->valign);
          tmpl_append_child(tc, empty_paragraph(p, ppr, &look));
          c += (size_t)cell->colspan;
          break;
        }
        default: { /* empty (or, never, across): a cell of its own */
          xmlNode *tc = new_cell(&made, p, tr, cols, (int)c, 1, NULL, TMPL_VALIGN_NONE);
          tmpl_append_child(tc, empty_paragraph(p, ppr, &look));
          c++;
          break;
        }
      }
    }
  }
  memory_free(cols);
  tmpl_insert_before(p, tbl);
  retire(p);
}

/* The walk of docx_finish meets every node of a part: it classifies an element once, by its
 * namespace (a pointer compare for the root's own declaration) and the first letters of its
 * name. */
typedef enum {
  K_NONE,
  K_OTHER,
  K_P,
  K_R,
  K_T,
  K_TBL,
  K_BLOCK,
  K_END_WITH_P,
  K_RANGE,
  K_SECT,
  K_PROPS
} Kind;

typedef struct {
  const xmlNs *w; /* the root's declaration of the WordprocessingML namespace */
} Walk;

static inline __attribute__((always_inline)) int eq(const char *a, const char *b) {
  return tmpl_name_is((const xmlChar *)a, b);
}

static Kind kind_of(const Walk *walk, const xmlNode *e) {
  if (e->type != XML_ELEMENT_NODE) return K_NONE;
  if (!e->ns ||
      (e->ns != walk->w && (!e->ns->href || strcmp((const char *)e->ns->href, NS_W) != 0)))
    return K_OTHER;
  const char *n = (const char *)e->name;
  switch (n[0]) {
    case 'p':
      return n[1] == 0                                                     ? K_P
             : eq(n, "pPr")                                                ? K_PROPS
             : eq(n, "proofErr") || eq(n, "permStart") || eq(n, "permEnd") ? K_RANGE
                                                                           : K_OTHER;
    case 'r':
      return n[1] == 0 ? K_R : eq(n, "rPr") ? K_PROPS : K_OTHER;
    case 't':
      return n[1] == 0                                                              ? K_T
             : eq(n, "tbl")                                                         ? K_TBL
             : eq(n, "tc") || eq(n, "txbxContent")                                  ? K_END_WITH_P
             : eq(n, "tcPr") || eq(n, "tblPr") || eq(n, "trPr") || eq(n, "tblGrid") ? K_PROPS
                                                                                    : K_OTHER;
    case 's':
      return eq(n, "sdt") ? K_BLOCK : eq(n, "sectPr") ? K_SECT : K_OTHER;
    case 'c':
      return eq(n, "customXml")                    ? K_BLOCK
             : eq(n, "comment")                    ? K_END_WITH_P
             : strncmp(n, "commentRange", 12) == 0 ? K_RANGE
                                                   : K_OTHER;
    case 'a':
      return eq(n, "altChunk") ? K_BLOCK : K_OTHER;
    case 'h':
      return eq(n, "hdr") ? K_END_WITH_P : K_OTHER;
    case 'f':
      return eq(n, "ftr") || eq(n, "footnote") ? K_END_WITH_P : K_OTHER;
    case 'e':
      return eq(n, "endnote") ? K_END_WITH_P : K_OTHER;
    case 'b':
      return strncmp(n, "bookmark", 8) == 0 ? K_RANGE : K_OTHER;
    case 'm':
      return strncmp(n, "move", 4) == 0 && strstr(n, "Range") ? K_RANGE : K_OTHER;
    default:
      return K_OTHER;
  }
}

static void add_paragraph_after(xmlNode *after, xmlNode *parent) {
  xmlNode *p = tmpl_doc_node(parent->doc, w_ns(parent), "p");
  if (after)
    tmpl_insert_after(after, p);
  else
    tmpl_append_child(parent, p);
}

/* A run left with nothing but its properties and empty text (the place a tag was cut from);
 * *inside: whether the run holds more than text (a drawing, a text box) worth walking into. */
static int empty_run(const Walk *walk, const xmlNode *r, int *inside) {
  int empty = 1;
  *inside = 0;
  for (const xmlNode *c = r->children; c; c = c->next) {
    Kind k = kind_of(walk, c);
    if (k == K_NONE) {
      if (c->type != XML_COMMENT_NODE && c->type != XML_PI_NODE) empty = 0;
      continue;
    }
    if (k == K_PROPS) continue;
    if (k == K_T) {
      for (const xmlNode *x = c->children; x && empty; x = x->next)
        if (x->type != XML_TEXT_NODE || (x->content && x->content[0])) empty = 0;
      continue;
    }
    empty = 0;
    if (k == K_OTHER && c->children) *inside = 1;
  }
  return empty;
}

/* The rules of what the engine writes (and a little tidying: runs emptied by tags go): a table
 * is followed by a paragraph where it would end the body (before its w:sectPr) or touch another
 * table (Word would join the two); a cell, a header, a footer, a note, a comment and a text box
 * end with a paragraph. */
static void finish_in(const Walk *walk, xmlNode *e, Kind kind) {
  xmlNode *last_block = NULL;
  for (xmlNode *c = e->children, *next; c; c = next) {
    next = c->next;
    Kind k = kind_of(walk, c);
    if (k == K_NONE || k == K_PROPS || k == K_T || k == K_RANGE || k == K_SECT) continue;
    if (k == K_R) {
      int inside;
      if (empty_run(walk, c, &inside) && kind == K_P)
        tmpl_remove(c);
      else if (inside)
        finish_in(walk, c, k); /* a drawing or a text box in the run */
      continue;
    }
    if (k == K_TBL) {
      xmlNode *x = c->next;
      Kind xk;
      while (x && ((xk = kind_of(walk, x)) == K_NONE || xk == K_RANGE)) x = x->next;
      if (!x || xk == K_SECT || xk == K_TBL) add_paragraph_after(c, e);
    }
    if (k == K_P || k == K_TBL || k == K_BLOCK) last_block = c;
    if (c->children || k == K_END_WITH_P) finish_in(walk, c, k);
  }
  if (kind == K_END_WITH_P) {
    xmlNode *last = e->last;
    while (last && last->type != XML_ELEMENT_NODE) last = last->prev;
    if (!last_block || !last || kind_of(walk, last) != K_P) add_paragraph_after(NULL, e);
  }
}

static void docx_finish(xmlNode *root) {
  Walk walk = {xmlSearchNsByHref(root->doc, root, BAD_CAST NS_W)};
  finish_in(&walk, root, kind_of(&walk, root));
}

/* ---- words kept whole (whole.c) ---- */

static int is_off(xmlNode *e) {
  xmlChar *v = tmpl_ns_prop(e, BAD_CAST "val", BAD_CAST NS_W);
  int off = v && (xmlStrEqual(v, BAD_CAST "0") || xmlStrEqual(v, BAD_CAST "false") ||
                  xmlStrEqual(v, BAD_CAST "off"));
  xmlFree(v);
  return off;
}

/* The child `lit` of parent in WordprocessingML (ns_w: the root's declaration of it, compared
 * first), or NULL: find_w with the name compared inline (asked for every paragraph of a part). */
static inline __attribute__((always_inline)) xmlNode *child_w(const xmlNode *parent,
                                                              const xmlNs *ns_w, const char *lit) {
  for (xmlNode *c = parent ? parent->children : NULL; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && c->ns && tmpl_name_is(c->name, lit) &&
        (c->ns == ns_w || strcmp((const char *)c->ns->href, NS_W) == 0))
      return c;
  return NULL;
}

/* Paragraph p says it is never hyphenated (centred lines, cells, headings, names). */
static int never_hyphenated(xmlNode *p, const xmlNs *ns_w) {
  xmlNode *s = child_w(child_w(p, ns_w, "pPr"), ns_w, "suppressAutoHyphens");
  return s && !is_off(s);
}

/* Text of no language (which Word and LibreOffice never hyphenate), and not proofed (which
 * Word does not hyphenate either). */
static void no_language(xmlNode *rpr) {
  xmlNs *ns = w_ns(rpr);
  xmlNode *np = find_w(rpr, "noProof");
  if (np)
    xmlUnsetNsProp(np, ns, BAD_CAST "val");
  else
    insert_ordered(rpr, tmpl_doc_node(rpr->doc, ns, "noProof"), RPR_ORDER);
  xmlNode *lang = find_w(rpr, "lang");
  if (!lang) {
    lang = tmpl_doc_node(rpr->doc, ns, "lang");
    insert_ordered(rpr, lang, RPR_ORDER);
  }
  tmpl_set_prop(lang, ns, "val", "zxx");
}

typedef struct {
  const TmplProtect *protect;
  xmlNode **runs; /* runs of paragraphs that may be hyphenated, in document order */
  size_t nruns, cap;
  TmplSpan *spans;
  size_t nspans_cap;
  TmplRowMemo *memo; /* paragraphs remembered (rowmemo.h), or NULL */
  size_t context;    /* the length of the key's common part */
} Whole;

/* Paragraph p, which may be hyphenated, remembered as it is written once its words are set
 * apart (rowmemo.h): its words depend on its XML and the stems alone. Returns 1 when one
 * written before with the same XML stands in for it (it is not cut, and is written as that
 * one was); else it is marked to be remembered. */
static int remembered(Whole *w, xmlNode *p) {
  w->memo->key.len = w->context;
  if (rowkey_node(&w->memo->key, p)) return 0; /* (it declares a namespace) */
  int used = rowmemo_use(w->memo, p);
  if (used < 0) tmpl_no_memory();
  return used;
}

/* (w:rPr, w:pPr and w:t hold no runs: not walked into). outer: e is the root, or stands in no
 * paragraph and nothing between it and the root declares a namespace: its paragraphs may be
 * remembered. */
static void collect_runs(Whole *w, const xmlNs *ns_w, xmlNode *e, int skip, int outer) {
  for (xmlNode *c = e->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE || !c->children) continue;
    const char *n = (const char *)c->name;
    int in_w = c->ns && (c->ns == ns_w || strcmp((const char *)c->ns->href, NS_W) == 0);
    if (in_w && ((n[0] == 't' && !n[1]) ||
                 ((n[0] == 'r' || n[0] == 'p') && n[1] == 'P' && n[2] == 'r' && !n[3])))
      continue;
    int run = in_w && n[0] == 'r' && !n[1], para = in_w && n[0] == 'p' && !n[1];
    int never = para ? never_hyphenated(c, ns_w) : skip;
    if (para && !never && outer && w->memo && remembered(w, c)) continue;
    collect_runs(w, ns_w, c, never, outer && !para && !c->nsDef);
    if (run && !skip) {
      if (w->nruns == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 64;
        w->runs = tmpl_grow(w->runs, w->cap, sizeof *w->runs);
      }
      w->runs[w->nruns++] = c;
    }
  }
}

/* The run of the pieces of r being written after *cur: a new one when the kind changes. The
 * properties of its words kept whole are made once (*whole_props) and copied for the next such
 * piece: ordering noProof and lang into them again was a third of cutting a run. */
static xmlNode *piece_run(xmlNode *r, xmlNode *rpr, xmlNode **cur, int *cur_whole, int whole,
                          xmlNode **whole_props) {
  if (*cur && *cur_whole == whole) return *cur;
  xmlNode *nr = tmpl_doc_node(r->doc, w_ns(r), "r");
  xmlNode *props;
  if (whole && *whole_props) {
    props = tmpl_copy(*whole_props, 1);
  } else {
    props = rpr ? tmpl_copy(rpr, 1) : NULL;
    if (whole) {
      if (!props) props = tmpl_doc_node(r->doc, w_ns(r), "rPr");
      no_language(props);
      *whole_props = props;
    }
  }
  if (props) tmpl_append_child(nr, props);
  tmpl_insert_before(r, nr);
  *cur = nr;
  *cur_whole = whole;
  return nr;
}

static void add_text(xmlNode *run, const char *s, size_t n) {
  char *piece = tmpl_strndup(s, n);
  tmpl_append_child(run, docx_new_segment(run, SEG_TEXT, piece, 0));
  memory_free(piece);
}

/* The words kept whole of w:t t, in w->spans; *content its text (xmlFree it). */
static size_t words_of(Whole *w, xmlNode *t, xmlChar **content) {
  *content = tmpl_check(xmlNodeGetContent(t));
  const char *text = (const char *)*content;
  return tmpl_whole_words(w->protect, text, strlen(text), &w->spans, &w->nspans_cap);
}

/* Cuts run r so that each word kept whole stands in a run of its own, of no language. */
static void split_run(Whole *w, xmlNode *r) {
  /* the first text with such words: its words (in w->spans) are not looked for twice */
  xmlNode *first = NULL;
  xmlChar *first_content = NULL;
  size_t first_n = 0;
  for (xmlNode *c = r->children; c && !first; c = c->next) {
    if (!is_w(c, "t")) continue;
    xmlChar *content;
    size_t n = words_of(w, c, &content);
    if (n) {
      first = c;
      first_content = content;
      first_n = n;
    } else {
      xmlFree(content);
    }
  }
  if (!first) return;
  xmlNode *rpr = find_w(r, "rPr"), *cur = NULL, *whole_props = NULL;
  int cur_whole = 0;
  xmlNode *c = r->children;
  while (c) {
    xmlNode *next = c->next;
    if (c == rpr) {
      c = next;
      continue;
    }
    if (is_w(c, "t")) {
      xmlChar *content = first_content;
      /* the texts before the first have none (their spans leave w->spans as they are) */
      size_t n = c == first ? first_n : words_of(w, c, &content);
      const char *text = (const char *)content;
      size_t len = strlen(text), pos = 0;
      for (size_t k = 0; k < n; k++) {
        const TmplSpan *sp = &w->spans[k];
        if (sp->start > pos)
          add_text(piece_run(r, rpr, &cur, &cur_whole, 0, &whole_props), text + pos,
                   sp->start - pos);
        add_text(piece_run(r, rpr, &cur, &cur_whole, 1, &whole_props), text + sp->start,
                 sp->end - sp->start);
        pos = sp->end;
      }
      if (pos < len || len == 0)
        add_text(piece_run(r, rpr, &cur, &cur_whole, 0, &whole_props), text + pos, len - pos);
      xmlFree(content);
    } else { /* breaks, tabs, fields, drawings: in the run being written */
      tmpl_unlink(c);
      tmpl_append_child(piece_run(r, rpr, &cur, &cur_whole, cur ? cur_whole : 0, &whole_props), c);
    }
    c = next;
  }
  tmpl_remove(r);
}

static void docx_keep_whole(xmlNode *root, const TmplProtect *protect) {
  Whole w = {.protect = protect};
  if (protect->memo && !protect->memo->key.failed) {
    w.memo = protect->memo;
    rowkey_str(&w.memo->key, "docx paragraph");
    rowkey_root(&w.memo->key, root);
    if (rowmemo_intern(w.memo) != 0) tmpl_no_memory();
    w.context = w.memo->key.len;
  }
  collect_runs(&w, xmlSearchNsByHref(root->doc, root, BAD_CAST NS_W), root, 0, 1);
  for (size_t i = 0; i < w.nruns; i++) split_run(&w, w.runs[i]);
  memory_free(w.runs);
  memory_free(w.spans);
}

/* ---- a document shrunk to fit one page ---- */

/* A fitted document reads and sets a number in every w:sz and paragraph spacing: read and
 * changed where they stand, not copied (xmlGetNsProp) and made again (xmlSetNsProp) unless the
 * value is of an odd shape. */
static double attr_num(xmlNode *e, const char *name, double dflt) {
  xmlAttr *a = w_attr(e, name);
  if (!a) return dflt;
  xmlNode *plain = plain_value(a);
  if (plain) return atof((const char *)plain->content);
  xmlChar *v = tmpl_ns_prop(e, BAD_CAST name, BAD_CAST NS_W);
  double n = v ? atof((const char *)v) : dflt;
  xmlFree(v);
  return n;
}

static void set_num(xmlNode *e, const char *name, double value) {
  char buf[24];
  tmpl_decimal(buf, (long)(value + 0.5));
  xmlAttr *a = w_attr(e, name);
  xmlNode *plain = plain_value(a);
  if (plain) { /* as xmlSetNsProp leaves it: the value, and the namespace in scope */
    a->ns = w_ns(e);
    tmpl_set_text(plain, buf, strlen(buf));
  } else {
    tmpl_set_prop(e, w_ns(e), name, buf);
  }
}

/* A paragraph's line spacing and the space around it, as the PDF layout's fit scales them. */
static void fit_spacing(xmlNode *p, const TmplFit *fit) {
  xmlNode *ppr = find_w(p, "pPr");
  if (!ppr) {
    ppr = tmpl_doc_node(p->doc, w_ns(p), "pPr");
    if (p->children)
      tmpl_insert_before(p->children, ppr);
    else
      tmpl_append_child(p, ppr);
  }
  xmlNode *sp = find_w(ppr, "spacing");
  if (!sp) {
    sp = tmpl_doc_node(p->doc, w_ns(p), "spacing");
    insert_ordered(ppr, sp, PPR_ORDER);
  }
  xmlChar *rule = tmpl_ns_prop(sp, BAD_CAST "lineRule", BAD_CAST NS_W);
  if (rule && xmlStrEqual(rule, BAD_CAST "exact"))
    set_num(sp, "line", attr_num(sp, "line", 240) * fit->space); /* an empty line's height */
  else if (!rule || xmlStrEqual(rule, BAD_CAST "auto")) {
    set_num(sp, "line", attr_num(sp, "line", 240) * fit->leading);
    /* said, though it is the default: LibreOffice reads a line without its rule as exact */
    tmpl_set_prop(sp, w_ns(sp), "lineRule", "auto");
  }
  xmlFree(rule);
  static const char *const around[] = {"before", "after"};
  for (int k = 0; k < 2; k++) {
    xmlChar *v = tmpl_ns_prop(sp, BAD_CAST around[k], BAD_CAST NS_W);
    if (v) set_num(sp, around[k], atof((const char *)v) * fit->space);
    xmlFree(v);
  }
}

static void fit_in(xmlNode *e, const TmplFit *fit) {
  for (xmlNode *c = e->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (is_w(c, "sz") || is_w(c, "szCs")) {
      double half_points = attr_num(c, "val", 0) + 2 * fit->size;
      if (half_points >= 2) set_num(c, "val", half_points);
    } else {
      if (is_w(c, "p")) fit_spacing(c, fit);
      fit_in(c, fit);
    }
  }
}

static void docx_fit(xmlNode *root, const TmplFit *fit) {
  fit_in(root, fit);
}

const TmplFormat tmpl_docx = {
    .name = "DOCX",
    .is_paragraph = docx_paragraph,
    .is_text_parent = docx_text_parent,
    .is_row = docx_row,
    .is_cell = docx_cell,
    .is_run = docx_run,
    .is_props = docx_props,
    .holder = docx_holder,
    .new_segment = docx_new_segment,
    .touch = docx_touch,
    .has_breaks = 1,
    .collapses_spaces = 0,
    .rich = docx_rich,
    .text_width = docx_text_width,
    .table = docx_table,
    .finish = docx_finish,
    .keep_whole = docx_keep_whole,
    .fit = docx_fit,
};
