/*
 * plain: XML whose text is each element's own (docProps core, app and custom properties,
 * customXml items such as a cover page's data, ODT meta.xml). An element with text is a
 * paragraph; there are no runs, rows or cells, so loops repeat text inside one element only.
 * Values are written as text ("\n" and "\t" stay characters); rich text is written as text and
 * a table value is refused.
 */
#include "tmpl.h"

static int never(const xmlNode *e) {
  (void)e;
  return 0;
}

static int plain_paragraph(const xmlNode *e) {
  for (const xmlNode *c = e->children; c; c = c->next)
    if (c->type == XML_TEXT_NODE) return 1;
  return 0;
}

static int plain_text_parent(const xmlNode *e) {
  return e->type == XML_ELEMENT_NODE;
}
static xmlNode *plain_holder(xmlNode *t) {
  return t;
}

static xmlNode *plain_new_segment(xmlNode *like, SegKind kind, const char *text, int n) {
  (void)kind;
  (void)n;
  return tmpl_new_text(like->doc, text);
}

static void plain_touch(xmlNode *holder) {
  (void)holder;
}

static double plain_text_width(xmlNode *p, xmlDoc *styles) {
  (void)p;
  (void)styles;
  return 0;
}

const TmplFormat tmpl_plain = {
    .name = "XML",
    .is_paragraph = plain_paragraph,
    .is_text_parent = plain_text_parent,
    .is_row = never,
    .is_cell = never,
    .is_run = never,
    .is_props = never,
    .holder = plain_holder,
    .new_segment = plain_new_segment,
    .touch = plain_touch,
    .text_width = plain_text_width,
};
