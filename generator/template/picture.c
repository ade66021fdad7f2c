/*
 * picture: the pictures a fill adds to the package — the QR-code requisite of a document
 * (GOST R 7.0.97-2025, «Штрих-код (QR-код) документа»: the lower right corner of the first
 * page) for a value { type = "qr", text = "https://…", size = mm } (view/view.h):
 *   DOCX  a run holding a drawing anchored to the page's text area, lower right corner, text
 *         above and below it only (wp:wrapTopAndBottom); the PNG in word/media/, a relationship
 *         in the part's _rels, the png Default in [Content_Types].xml;
 *   ODT   a draw:frame anchored to its paragraph, at the bottom right of the page's text area,
 *         no text beside it (style:wrap="none"); the PNG in Pictures/, an entry in
 *         META-INF/manifest.xml.
 * The tag may stand anywhere in a paragraph of the page (the order frame puts it after the
 * organisation's name): the picture floats to its corner. The PNG (qr/qr.h) carries its quiet
 * zone of four light modules; the code itself is `size` mm a side, as in the PDF.
 */
#include <stdio.h>
#include <string.h>

#include "fill.h"
#include "memory.h"
#include "qr/qr.h"

#define NS_WP_DECL "xmlns:wp=\"" NS_WP "\""
#define NS_R "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define REL_IMAGE NS_R "/image"

/* A picture's entry and the part that shows it. */
struct FillPicture {
  char *media; /* the entry name: word/media/nastavnik-qr1.png, Pictures/nastavnik-qr1.png */
  unsigned char *png;
  size_t size;
  char *part; /* the part it stands in (DOCX: whose _rels name it) */
  char rid[32];
};

/* Parses an XML fragment (which declares every namespace it uses) and returns a copy of it
 * made for the document of node `at`, unlinked. It is parsed apart and copied, not parsed in
 * the node's context: libxml2's xmlParseInNodeContext leaves the document broken when an
 * allocation fails inside it. Our fragments are well formed: a failure is memory. */
static xmlNode *fragment(xmlNode *at, const char *xml) {
  xmlDoc *own = xmlReadMemory(xml, (int)strlen(xml), "picture.xml", NULL,
                              XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  xmlNode *root = own ? xmlDocGetRootElement(own) : NULL;
  xmlNode *copy = root ? xmlDocCopyNode(root, at->doc, 1) : NULL;
  if (own) xmlFreeDoc(own);
  return tmpl_check(copy);
}

static xmlNode *docx_run(xmlNode *at, const FillPicture *pic, long id, double side_mm) {
  long emu = (long)(side_mm * 36000.0 + 0.5); /* 1 mm = 36,000 EMU */
  char xml[3072];
  snprintf(xml, sizeof xml,
           "<w:r xmlns:w=\"" NS_W
           "\"><w:drawing>"
           "<wp:anchor " NS_WP_DECL
           " distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\" "
           "simplePos=\"0\" relativeHeight=\"251659264\" behindDoc=\"0\" locked=\"0\" "
           "layoutInCell=\"0\" allowOverlap=\"0\">"
           "<wp:simplePos x=\"0\" y=\"0\"/>"
           "<wp:positionH relativeFrom=\"margin\"><wp:align>right</wp:align></wp:positionH>"
           "<wp:positionV relativeFrom=\"margin\"><wp:align>bottom</wp:align></wp:positionV>"
           "<wp:extent cx=\"%ld\" cy=\"%ld\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/>"
           "<wp:wrapTopAndBottom/>"
           "<wp:docPr id=\"%ld\" name=\"QR-код %ld\" descr=\"QR-код документа\"/>"
           "<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a=\"" NS_A
           "\" "
           "noChangeAspect=\"1\"/></wp:cNvGraphicFramePr>"
           "<a:graphic xmlns:a=\"" NS_A
           "\"><a:graphicData "
           "uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">"
           "<pic:pic xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">"
           "<pic:nvPicPr><pic:cNvPr id=\"0\" name=\"nastavnik-qr%ld.png\"/><pic:cNvPicPr/>"
           "</pic:nvPicPr><pic:blipFill><a:blip xmlns:r=\"" NS_R
           "\" r:embed=\"%s\"/>"
           "<a:stretch><a:fillRect/></a:stretch></pic:blipFill>"
           "<pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"%ld\" cy=\"%ld\"/></a:xfrm>"
           "<a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>"
           "</a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>",
           emu, emu, 0x4E51000L + id, id, id, pic->rid, emu, emu);
  return fragment(at, xml);
}

#define ODT_STYLE "nastavnik_qr"

/* The graphic style of the frames, once in the part's automatic styles. */
static void odt_style(xmlNode *at) {
  xmlNode *root = xmlDocGetRootElement(at->doc);
  xmlNode *styles = tmpl_find_child(root, NS_OFFICE, "automatic-styles");
  if (!styles) {
    styles = fragment(root, "<office:automatic-styles xmlns:office=\"" NS_OFFICE "\"/>");
    xmlNode *body = tmpl_find_child(root, NS_OFFICE, "body");
    if (!body) body = tmpl_find_child(root, NS_OFFICE, "master-styles");
    if (body)
      tmpl_insert_before(body, styles);
    else
      tmpl_append_child(root, styles);
  }
  for (xmlNode *s = styles->children; s; s = s->next) {
    if (!tmpl_is(s, NS_STYLE, "style")) continue;
    xmlChar *name = tmpl_ns_prop(s, BAD_CAST "name", BAD_CAST NS_STYLE);
    int ours = name && strcmp((const char *)name, ODT_STYLE) == 0;
    xmlFree(name);
    if (ours) return;
  }
  tmpl_append_child(
      styles, fragment(styles, "<style:style xmlns:style=\"" NS_STYLE "\" xmlns:fo=\"" NS_FO
                               "\" style:name=\"" ODT_STYLE "\" style:family=\"graphic\">"
                               "<style:graphic-properties style:wrap=\"none\" "
                               "style:vertical-pos=\"bottom\" style:vertical-rel=\"page-content\" "
                               "style:horizontal-pos=\"right\" "
                               "style:horizontal-rel=\"page-content\" fo:margin-left=\"0mm\" "
                               "fo:margin-right=\"0mm\" fo:margin-top=\"0mm\" "
                               "fo:margin-bottom=\"0mm\" fo:padding=\"0mm\" fo:border=\"none\" "
                               "style:run-through=\"foreground\"/></style:style>"));
}

static xmlNode *odt_frame(xmlNode *at, const FillPicture *pic, long id, double side_mm) {
  odt_style(at);
  char xml[1536];
  snprintf(xml, sizeof xml,
           "<draw:frame xmlns:draw=\"" NS_DRAW "\" xmlns:text=\"" NS_TEXT
           "\" "
           "xmlns:svg=\"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0\" "
           "xmlns:xlink=\"http://www.w3.org/1999/xlink\" draw:style-name=\"" ODT_STYLE
           "\" "
           "draw:name=\"QR-код %ld\" text:anchor-type=\"paragraph\" svg:width=\"%.2fmm\" "
           "svg:height=\"%.2fmm\" draw:z-index=\"0\"><draw:image xlink:href=\"%s\" "
           "xlink:type=\"simple\" xlink:show=\"embed\" xlink:actuate=\"onLoad\"/>"
           "<svg:title>QR-код документа</svg:title></draw:frame>",
           id, side_mm, side_mm, pic->media);
  return fragment(at, xml);
}

xmlNode *picture_qr(Fill *f, const Tag *tag, xmlNode *run, int v) {
  const TmplFormat *fmt = f->cur->fmt; /* DOCX or ODT (render.c) */
  ViewReader reader = {.L = f->L, .arena = &f->scratch};
  char where[300];
  snprintf(where, sizeof where, "значение %s", tag->raw);
  ViewBlock block;
  ViewStatus st = view_read_block(&reader, v, where, VIEW_TOP, &block);
  if (st == VIEW_NO_MEMORY) tmpl_no_memory();
  if (st != VIEW_OK) {
    fill_tag_error(f, tag, "%s", reader.message);
    arena_free(&f->scratch);
    return NULL;
  }
  const ViewQr *q = &block.as.qr;
  /* room first: what is made below is then owned by f at once (freed however the fill ends) */
  f->pictures = tmpl_grow(f->pictures, f->npictures + 1, sizeof *f->pictures);
  FillPicture *pic = &f->pictures[f->npictures];
  memset(pic, 0, sizeof *pic);
  QrMatrix m;
  QrStatus qs = qr_encode(q->text, q->len, QR_LEVEL_M, &m);
  if (qs != QR_OK) tmpl_no_memory(); /* the view's 1,000 bytes always fit a code */
  enum { QUIET = 4, SCALE = 10 };
  double module_mm = q->size_mm / m.size, side_mm = module_mm * (m.size + 2 * QUIET);
  pic->png = qr_png(&m, SCALE, QUIET, module_mm, &pic->size);
  qr_free(&m);
  arena_free(&f->scratch);
  if (!pic->png) tmpl_no_memory();
  f->npictures++;
  long id = (long)f->npictures;
  char name[64];
  snprintf(name, sizeof name, "%snastavnik-qr%ld.png",
           fmt == &tmpl_docx ? "word/media/" : "Pictures/", id);
  pic->media = tmpl_strndup(name, strlen(name));
  pic->part = tmpl_strndup(f->cur->name, strlen(f->cur->name));
  snprintf(pic->rid, sizeof pic->rid, "rIdNastavnikQr%ld", id);
  xmlNode *node =
      fmt == &tmpl_docx ? docx_run(run, pic, id, side_mm) : odt_frame(run, pic, id, side_mm);
  tmpl_insert_after(run, node);
  tmpl_remove(run);
  f->cur->copied = 1; /* a loop may repeat it: docPr ids made unique */
  f->cur->may_have_ids = 1;
  return node;
}

/* ---- the package's bookkeeping, once the parts are filled ---- */

/* Adds an entry to the parts written (data owned by f->added). */
static void add_entry(Fill *f, char *name, char *data, size_t size) {
  f->added = tmpl_grow(f->added, f->nadded + 1, sizeof *f->added);
  f->added[f->nadded++] = (ZipPart){name, data, size};
}

/* Entry `name` of the template (NUL-terminated), or NULL when it has none. */
static char *read_entry(Fill *f, const char *name, size_t *size) {
  long i = zip_package_find(f->pkg, name);
  if (i < 0) return NULL;
  char *error = NULL;
  char *data = zip_package_read(f->pkg, (size_t)i, size, &error);
  memory_free(error);
  if (!data && memory_failed()) tmpl_no_memory();
  return data;
}

/* text with `insert` put before the last occurrence of `before`; NULL when it has none. */
static char *insert_before_last(const char *text, size_t len, const char *before,
                                const char *insert, size_t *out_len) {
  const char *at = NULL;
  for (const char *p = text; (p = strstr(p, before)) != NULL; p++) at = p;
  if (!at) return NULL;
  size_t head = (size_t)(at - text), n = strlen(insert);
  char *out = tmpl_alloc(len + n + 1);
  memcpy(out, text, head);
  memcpy(out + head, insert, n);
  memcpy(out + head + n, at, len - head);
  *out_len = len + n;
  return out;
}

/* Puts insert before `before` in entry name (or makes it from `fresh` when the template has
 * no such entry) and adds it to the written parts. */
static void edit_entry(Fill *f, const char *name, const char *before, const char *insert,
                       const char *fresh) {
  size_t size = 0, out_len = 0;
  char *data = read_entry(f, name, &size);
  const char *text = data ? data : fresh;
  char *out = insert_before_last(text, data ? size : strlen(fresh), before, insert, &out_len);
  memory_free(data);
  if (!out) {
    errlist_addf(&f->errors, "шаблон %s: в части %s нет %s — рисунок QR-кода некуда вписать",
                 f->template_path, name, before);
    return;
  }
  add_entry(f, tmpl_strndup(name, strlen(name)), out, out_len);
}

/* DOCX: the relationships of each part that shows a picture, and the png content type. */
static void docx_bookkeeping(Fill *f) {
  for (size_t i = 0; i < f->npictures; i++) {
    const char *part = f->pictures[i].part;
    int done = 0;
    for (size_t k = 0; k < i; k++) done |= strcmp(f->pictures[k].part, part) == 0;
    if (done) continue;
    const char *slash = strrchr(part, '/');
    size_t dir = slash ? (size_t)(slash - part + 1) : 0;
    Buf rels = {0}, add = {0};
    buf_add(&rels, part, dir);
    buf_str(&rels, "_rels/");
    buf_str(&rels, part + dir);
    buf_str(&rels, ".rels");
    for (size_t k = i; k < f->npictures; k++) {
      if (strcmp(f->pictures[k].part, part) != 0) continue;
      const char *media = f->pictures[k].media; /* relative to the part's folder */
      buf_str(&add, "<Relationship Id=\"");
      buf_str(&add, f->pictures[k].rid);
      buf_str(&add, "\" Type=\"" REL_IMAGE "\" Target=\"");
      if (strncmp(media, part, dir) == 0)
        buf_str(&add, media + dir);
      else { /* a part outside word/: the picture named from the package's root */
        buf_str(&add, "/");
        buf_str(&add, media);
      }
      buf_str(&add, "\"/>");
    }
    edit_entry(f, rels.data, "</Relationships>", add.data,
               "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships "
               "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
               "</Relationships>");
    buf_free(&rels);
    buf_free(&add);
  }
  size_t size = 0;
  char *types = read_entry(f, "[Content_Types].xml", &size);
  int has_png = types && (strstr(types, "Extension=\"png\"") || strstr(types, "Extension='png'"));
  memory_free(types);
  if (!has_png)
    edit_entry(f, "[Content_Types].xml", "</Types>",
               "<Default Extension=\"png\" ContentType=\"image/png\"/>", "");
}

/* ODT: each picture in the manifest. */
static void odt_bookkeeping(Fill *f) {
  Buf add = {0};
  for (size_t i = 0; i < f->npictures; i++) {
    buf_str(&add, "<manifest:file-entry manifest:full-path=\"");
    buf_str(&add, f->pictures[i].media);
    buf_str(&add, "\" manifest:media-type=\"image/png\"/>");
  }
  edit_entry(f, "META-INF/manifest.xml", "</manifest:manifest>", add.data, "");
  buf_free(&add);
}

void picture_finish(Fill *f) {
  if (!f->npictures) return;
  for (size_t i = 0; i < f->npictures; i++) {
    add_entry(f, tmpl_strndup(f->pictures[i].media, strlen(f->pictures[i].media)),
              (char *)f->pictures[i].png, f->pictures[i].size);
    f->pictures[i].png = NULL; /* f->added owns it now */
  }
  if (f->fmt == &tmpl_docx)
    docx_bookkeeping(f);
  else
    odt_bookkeeping(f);
}

void picture_free(Fill *f) {
  for (size_t i = 0; i < f->npictures; i++) {
    memory_free(f->pictures[i].media);
    memory_free(f->pictures[i].png);
    memory_free(f->pictures[i].part);
  }
  memory_free(f->pictures);
  for (size_t i = 0; i < f->nadded; i++) {
    memory_free((char *)f->added[i].name);
    memory_free((void *)f->added[i].data);
  }
  memory_free(f->added);
}
