/*
 * docx: what the engine needs to know about WordprocessingML. Paragraphs are w:p, runs w:r
 * (formatting in w:rPr), text w:t, rows w:tr, cells w:tc, breaks w:br, tabs w:tab.
 */
#include <stdio.h>
#include <string.h>

#include "tmpl.h"

static int is_w(const xmlNode *e, const char *name) { return tmpl_is(e, NS_W, name); }
static int docx_paragraph(const xmlNode *e) { return is_w(e, "p"); }
static int docx_text_parent(const xmlNode *e) { return is_w(e, "t"); }
static int docx_row(const xmlNode *e) { return is_w(e, "tr"); }
static int docx_cell(const xmlNode *e) { return is_w(e, "tc"); }
static int docx_run(const xmlNode *e) { return is_w(e, "r"); }
static int docx_props(const xmlNode *e) { return is_w(e, "rPr"); }
static xmlNode *docx_holder(xmlNode *t) { return t->parent; }

static xmlNs *w_ns(xmlNode *like) {
  xmlNs *ns = xmlSearchNsByHref(like->doc, like, BAD_CAST NS_W);
  if (!ns) ns = xmlSearchNsByHref(like->doc, xmlDocGetRootElement(like->doc), BAD_CAST NS_W);
  return ns;
}

static void docx_touch(xmlNode *holder) { xmlNodeSetSpacePreserve(holder, 1); }

static xmlNode *docx_new_segment(xmlNode *like, SegKind kind, const char *text, int n) {
  (void)n;
  xmlNs *ns = w_ns(like);
  switch (kind) {
  case SEG_BREAK: return xmlNewDocNode(like->doc, ns, BAD_CAST "br", NULL);
  case SEG_TAB: return xmlNewDocNode(like->doc, ns, BAD_CAST "tab", NULL);
  default: {
    xmlNode *t = xmlNewDocNode(like->doc, ns, BAD_CAST "t", NULL);
    xmlNodeSetSpacePreserve(t, 1);
    tmpl_append_child(t, xmlNewDocText(like->doc, BAD_CAST(text ? text : "")));
    return t;
  }
  }
}

static int name_in(const xmlNode *e, const char *const *names) {
  for (; *names; names++)
    if (is_w(e, *names)) return 1;
  return 0;
}

/* Inserts child into props before the first element not named in `before` (the schema order). */
static void insert_ordered(xmlNode *props, xmlNode *child, const char *const *before) {
  for (xmlNode *c = props->children; c; c = c->next) {
    if (c->type == XML_ELEMENT_NODE && !name_in(c, before)) {
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

static void set_flag(xmlNode *rpr, const char *name, const char *cs_name,
                     const char *const *before) {
  xmlNs *ns = w_ns(rpr);
  xmlNode *have = find_w(rpr, name);
  if (have) {
    xmlUnsetNsProp(have, ns, BAD_CAST "val");
  } else {
    insert_ordered(rpr, xmlNewDocNode(rpr->doc, ns, BAD_CAST name, NULL), before);
  }
  have = find_w(rpr, cs_name);
  if (have) xmlUnsetNsProp(have, ns, BAD_CAST "val");
  else {
    xmlNode *b = find_w(rpr, name);
    tmpl_insert_after(b, xmlNewDocNode(rpr->doc, ns, BAD_CAST cs_name, NULL));
  }
}

static xmlNode *new_run(xmlNode *rpr, xmlNode *like, const char *text, int bold, int italic,
                        int tab) {
  xmlNs *ns = w_ns(like);
  xmlNode *r = xmlNewDocNode(like->doc, ns, BAD_CAST "r", NULL);
  xmlNode *props = rpr ? tmpl_copy(rpr, 1) : NULL;
  if (!props && (bold || italic)) props = xmlNewDocNode(like->doc, ns, BAD_CAST "rPr", NULL);
  if (props) {
    tmpl_append_child(r, props);
    static const char *const before_b[] = {"rStyle", "rFonts", NULL};
    static const char *const before_i[] = {"rStyle", "rFonts", "b", "bCs", NULL};
    if (bold) set_flag(props, "b", "bCs", before_b);
    if (italic) set_flag(props, "i", "iCs", before_i);
  }
  if (tab)
    tmpl_append_child(r, docx_new_segment(like, SEG_TAB, NULL, 0));
  else
    tmpl_append_text(&tmpl_docx, r, like, text);
  return r;
}

static void set_indent(xmlNode *ppr, int level) {
  static const char *const before_ind[] = {
      "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl",
      "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku",
      "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi",
      "adjustRightInd", "snapToGrid", "spacing", NULL};
  xmlNs *ns = w_ns(ppr);
  xmlNode *old;
  while ((old = find_w(ppr, "ind")) != NULL) tmpl_remove(old);
  while ((old = find_w(ppr, "numPr")) != NULL) tmpl_remove(old);
  xmlNode *ind = xmlNewDocNode(ppr->doc, ns, BAD_CAST "ind", NULL);
  char buf[32];
  snprintf(buf, sizeof buf, "%d", 425 * (level < 1 ? 1 : level > 8 ? 8 : level));
  xmlNewNsProp(ind, ns, BAD_CAST "left", BAD_CAST buf);
  xmlNewNsProp(ind, ns, BAD_CAST "hanging", BAD_CAST "425");
  insert_ordered(ppr, ind, before_ind);
}

static void docx_rich(xmlNode *p, xmlNode *t, const RichPara *paras, size_t n) {
  xmlNode *run = t;
  while (run && run != p && !docx_run(run)) run = run->parent;
  xmlNode *rpr = run && run != p ? find_w(run, "rPr") : NULL;
  xmlNode *ppr = find_w(p, "pPr");
  xmlNode *sect = ppr ? find_w(ppr, "sectPr") : NULL;
  xmlNs *ns = w_ns(p);
  for (size_t i = 0; i < n; i++) {
    const RichPara *rp = &paras[i];
    xmlNode *np = xmlNewDocNode(p->doc, ns, BAD_CAST "p", NULL);
    xmlNode *props = ppr ? tmpl_copy(ppr, 1) : NULL;
    if (props) {
      xmlNode *s = find_w(props, "sectPr");
      if (s) tmpl_remove(s);
    }
    if (rp->is_item) {
      if (!props) props = xmlNewDocNode(p->doc, ns, BAD_CAST "pPr", NULL);
      set_indent(props, rp->level);
    }
    if (props) tmpl_append_child(np, props);
    if (rp->is_item) {
      tmpl_append_child(np, new_run(rpr, p, rp->label, 0, 0, 0));
      tmpl_append_child(np, new_run(rpr, p, NULL, 0, 0, 1));
    }
    for (size_t k = 0; k < rp->nruns; k++)
      tmpl_append_child(np, new_run(rpr, p, rp->runs[k].text, rp->runs[k].bold,
                                    rp->runs[k].italic, 0));
    tmpl_insert_before(p, np);
  }
  if (sect) {
    /* The paragraph carries a section break: keep it, empty, so the section survives. */
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
    .collapses_spaces = 0,
    .rich = docx_rich,
};
