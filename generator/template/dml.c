/*
 * dml: DrawingML text, as charts and SmartArt hold it: paragraphs a:p, runs a:r (formatting in
 * a:rPr), text a:t, table rows a:tr and cells a:tc; a chart's cached values c:v are each a
 * paragraph of their own. Values are written as text ("\n" and "\t" stay characters: a
 * chart's labels have no line-break element inside a run); rich text is written as text and
 * a table value is refused.
 */
#include "tmpl.h"

#define NS_C "http://schemas.openxmlformats.org/drawingml/2006/chart"

static int is_a(const xmlNode *e, const char *name) {
  return tmpl_is(e, NS_A, name);
}
static int dml_paragraph(const xmlNode *e) {
  return is_a(e, "p") || tmpl_is(e, NS_C, "v");
}
static int dml_text_parent(const xmlNode *e) {
  return is_a(e, "t") || tmpl_is(e, NS_C, "v");
}
static int dml_row(const xmlNode *e) {
  return is_a(e, "tr");
}
static int dml_cell(const xmlNode *e) {
  return is_a(e, "tc");
}
static int dml_run(const xmlNode *e) {
  return is_a(e, "r");
}
static int dml_props(const xmlNode *e) {
  return is_a(e, "rPr");
}
static xmlNode *dml_holder(xmlNode *t) {
  return t->parent;
}

static xmlNode *dml_new_segment(xmlNode *like, SegKind kind, const char *text, int n) {
  (void)kind;
  (void)n;
  xmlNode *t = tmpl_new_element(like, like->ns, "t");
  tmpl_append_child(t, tmpl_new_text(like->doc, text));
  return t;
}

static void dml_touch(xmlNode *holder) {
  (void)holder;
}

static double dml_text_width(xmlNode *p, xmlDoc *styles) {
  (void)p;
  (void)styles;
  return 0;
}

const TmplFormat tmpl_dml = {
    .name = "DrawingML",
    .is_paragraph = dml_paragraph,
    .is_text_parent = dml_text_parent,
    .is_row = dml_row,
    .is_cell = dml_cell,
    .is_run = dml_run,
    .is_props = dml_props,
    .holder = dml_holder,
    .new_segment = dml_new_segment,
    .touch = dml_touch,
    .text_width = dml_text_width,
};
