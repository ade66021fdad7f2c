/*
 * odt: what the engine needs to know about ODF text. Paragraphs are text:p and text:h, text
 * lies in text nodes of paragraphs, text:span and text:a, rows are table:table-row, cells
 * table:table-cell, breaks text:line-break, tabs text:tab, runs of spaces text:s. A run has
 * no element of its own: splitting goes up through the spans to the paragraph.
 */
#include <stdio.h>
#include <string.h>

#include "tmpl.h"

static int odt_paragraph(const xmlNode *e) {
  return tmpl_is(e, NS_TEXT, "p") || tmpl_is(e, NS_TEXT, "h");
}
static int odt_text_parent(const xmlNode *e) {
  return odt_paragraph(e) || tmpl_is(e, NS_TEXT, "span") || tmpl_is(e, NS_TEXT, "a");
}
static int odt_row(const xmlNode *e) { return tmpl_is(e, NS_TABLE, "table-row"); }
static int odt_cell(const xmlNode *e) { return tmpl_is(e, NS_TABLE, "table-cell"); }
static int never(const xmlNode *e) {
  (void)e;
  return 0;
}
static xmlNode *odt_holder(xmlNode *t) { return t; }

static xmlNs *ns_of(xmlNode *like, const char *href, const char *prefix) {
  /* like may be a copy not yet in the tree: the root's declarations hold everywhere. */
  xmlNs *ns = xmlSearchNsByHref(like->doc, like, BAD_CAST href);
  xmlNode *root = xmlDocGetRootElement(like->doc);
  if (!ns) ns = xmlSearchNsByHref(like->doc, root, BAD_CAST href);
  if (!ns) ns = xmlNewNs(root, BAD_CAST href, BAD_CAST prefix);
  if (!ns) ns = xmlNewNs(root, BAD_CAST href, NULL); /* the prefix is taken: declare anew */
  return ns;
}

static xmlNode *odt_new_segment(xmlNode *like, SegKind kind, const char *text, int n) {
  xmlNs *ns = ns_of(like, NS_TEXT, "text");
  switch (kind) {
  case SEG_BREAK: return xmlNewDocNode(like->doc, ns, BAD_CAST "line-break", NULL);
  case SEG_TAB: return xmlNewDocNode(like->doc, ns, BAD_CAST "tab", NULL);
  case SEG_SPACES: {
    xmlNode *s = xmlNewDocNode(like->doc, ns, BAD_CAST "s", NULL);
    if (n > 1) {
      char buf[16];
      snprintf(buf, sizeof buf, "%d", n);
      xmlNewNsProp(s, ns, BAD_CAST "c", BAD_CAST buf);
    }
    return s;
  }
  default: return xmlNewDocText(like->doc, BAD_CAST(text ? text : ""));
  }
}

static void odt_touch(xmlNode *holder) { (void)holder; }

/* office:automatic-styles of the part, created if missing. */
static xmlNode *automatic_styles(xmlDoc *doc) {
  xmlNode *root = xmlDocGetRootElement(doc);
  xmlNode *before = NULL;
  for (xmlNode *c = root->children; c; c = c->next) {
    if (tmpl_is(c, NS_OFFICE, "automatic-styles")) return c;
    if (!before && (tmpl_is(c, NS_OFFICE, "body") || tmpl_is(c, NS_OFFICE, "master-styles")))
      before = c;
  }
  xmlNode *as = xmlNewDocNode(doc, ns_of(root, NS_OFFICE, "office"),
                              BAD_CAST "automatic-styles", NULL);
  if (before)
    tmpl_insert_before(before, as);
  else
    tmpl_append_child(root, as);
  return as;
}

static xmlNode *find_style(xmlNode *styles, const char *name) {
  for (xmlNode *c = styles->children; c; c = c->next) {
    if (!tmpl_is(c, NS_STYLE, "style")) continue;
    xmlChar *n = xmlGetNsProp(c, BAD_CAST "name", BAD_CAST NS_STYLE);
    int same = n && strcmp((const char *)n, name) == 0;
    xmlFree(n);
    if (same) return c;
  }
  return NULL;
}

/* The name of an automatic text style that makes text bold and/or italic. */
static const char *text_style(xmlDoc *doc, int bold, int italic) {
  const char *name = bold && italic ? "NstBoldItalic" : bold ? "NstBold" : "NstItalic";
  xmlNode *styles = automatic_styles(doc);
  if (find_style(styles, name)) return name;
  xmlNode *root = xmlDocGetRootElement(doc);
  xmlNs *style = ns_of(root, NS_STYLE, "style"), *fo = ns_of(root, NS_FO, "fo");
  xmlNode *s = xmlNewDocNode(doc, style, BAD_CAST "style", NULL);
  xmlNewNsProp(s, style, BAD_CAST "name", BAD_CAST name);
  xmlNewNsProp(s, style, BAD_CAST "family", BAD_CAST "text");
  xmlNode *tp = xmlNewDocNode(doc, style, BAD_CAST "text-properties", NULL);
  if (bold) {
    xmlNewNsProp(tp, fo, BAD_CAST "font-weight", BAD_CAST "bold");
    xmlNewNsProp(tp, style, BAD_CAST "font-weight-asian", BAD_CAST "bold");
    xmlNewNsProp(tp, style, BAD_CAST "font-weight-complex", BAD_CAST "bold");
  }
  if (italic) {
    xmlNewNsProp(tp, fo, BAD_CAST "font-style", BAD_CAST "italic");
    xmlNewNsProp(tp, style, BAD_CAST "font-style-asian", BAD_CAST "italic");
    xmlNewNsProp(tp, style, BAD_CAST "font-style-complex", BAD_CAST "italic");
  }
  tmpl_append_child(s, tp);
  tmpl_append_child(styles, s);
  return name;
}

/* An automatic paragraph style like `base` (the template paragraph's) with a hanging indent. */
static char *list_style(xmlDoc *doc, const char *base, int level, char *buf, size_t size) {
  if (level < 1) level = 1;
  if (level > 8) level = 8;
  snprintf(buf, size, "NstList%d_%s", level, base ? base : "");
  xmlNode *styles = automatic_styles(doc);
  if (find_style(styles, buf)) return buf;
  xmlNode *root = xmlDocGetRootElement(doc);
  xmlNs *style = ns_of(root, NS_STYLE, "style"), *fo = ns_of(root, NS_FO, "fo");
  xmlNode *automatic = base ? find_style(styles, base) : NULL;
  xmlNode *s;
  if (automatic) {
    s = tmpl_copy(automatic, 1);
    xmlSetNsProp(s, style, BAD_CAST "name", BAD_CAST buf);
  } else {
    s = xmlNewDocNode(doc, style, BAD_CAST "style", NULL);
    xmlNewNsProp(s, style, BAD_CAST "name", BAD_CAST buf);
    xmlNewNsProp(s, style, BAD_CAST "family", BAD_CAST "paragraph");
    if (base) xmlNewNsProp(s, style, BAD_CAST "parent-style-name", BAD_CAST base);
  }
  xmlNode *pp = NULL;
  for (xmlNode *c = s->children; c; c = c->next)
    if (tmpl_is(c, NS_STYLE, "paragraph-properties")) pp = c;
  if (!pp) {
    pp = xmlNewDocNode(doc, style, BAD_CAST "paragraph-properties", NULL);
    if (s->children)
      tmpl_insert_before(s->children, pp);
    else
      tmpl_append_child(s, pp);
  }
  char cm[32];
  snprintf(cm, sizeof cm, "%.2fcm", 0.75 * level);
  xmlSetNsProp(pp, fo, BAD_CAST "margin-left", BAD_CAST cm);
  xmlSetNsProp(pp, fo, BAD_CAST "text-indent", BAD_CAST "-0.75cm");
  xmlSetNsProp(pp, style, BAD_CAST "auto-text-indent", BAD_CAST "false");
  tmpl_append_child(styles, s);
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
    xmlNode *span = xmlNewDocNode(np->doc, ns_of(np, NS_TEXT, "text"), BAD_CAST "span", NULL);
    xmlNewNsProp(span, ns_of(np, NS_TEXT, "text"), BAD_CAST "style-name",
                 BAD_CAST text_style(np->doc, bold, italic));
    tmpl_append_child(parent, span);
    parent = span;
  }
  if (tab)
    tmpl_append_child(parent, odt_new_segment(np, SEG_TAB, NULL, 0));
  else
    tmpl_append_text(&tmpl_odt, parent, np, text);
}

static void odt_rich(xmlNode *p, xmlNode *t, const RichPara *paras, size_t n) {
  xmlNode *chain[32];
  int nchain = 0;
  for (xmlNode *e = t->parent; e && e != p && nchain < 32; e = e->parent) chain[nchain++] = e;
  xmlChar *base = xmlGetNsProp(p, BAD_CAST "style-name", BAD_CAST NS_TEXT);
  xmlNs *text_ns = ns_of(p, NS_TEXT, "text");
  for (size_t i = 0; i < n; i++) {
    const RichPara *rp = &paras[i];
    xmlNode *np = tmpl_copy(p, 0);
    if (rp->is_item) {
      char buf[256];
      xmlSetNsProp(np, text_ns, BAD_CAST "style-name",
                   BAD_CAST list_style(p->doc, (const char *)base, rp->level, buf, sizeof buf));
      add_run(np, chain, nchain, rp->label, 0, 0, 0);
      add_run(np, chain, nchain, NULL, 0, 0, 1);
    }
    for (size_t k = 0; k < rp->nruns; k++)
      add_run(np, chain, nchain, rp->runs[k].text, rp->runs[k].bold, rp->runs[k].italic, 0);
    tmpl_insert_before(p, np);
  }
  xmlFree(base);
  tmpl_remove(p);
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
    .collapses_spaces = 1,
    .rich = odt_rich,
};
