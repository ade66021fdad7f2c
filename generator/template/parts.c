/*
 * parts: which entries of a package are filled, and how (fill.h).
 *
 * DOCX: the main part is the target of the package's officeDocument relationship
 * (_rels/.rels), else the part [Content_Types].xml declares as the main document, else
 * word/document.xml (Office 365 may name it word/document2.xml). Every part is then known by
 * its content type (or, when [Content_Types].xml does not say, by its usual name):
 *   WordprocessingML  the main part, headers, footers, footnotes, endnotes, comments;
 *   DrawingML text    charts (a:t, and c:v cached values), SmartArt data and drawing;
 *   plain XML         docProps core, app and custom properties, customXml items.
 * ODT: content.xml and styles.xml (ODF text), meta.xml (plain), and the content.xml of
 * embedded objects (charts: ODF text). Any other XML part that holds something that looks like
 * a tag is named in a warning: the engine does not fill it.
 */
#include <string.h>

#include "fill.h"
#include "memory.h"

static const char *const MAIN_TYPES[] = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml", NULL};

typedef struct {
  const char *suffix; /* of the content type */
  const TmplFormat *fmt;
} TypeRole;

static const TypeRole TYPE_ROLES[] = {{".wordprocessingml.header+xml", &tmpl_docx},
                                      {".wordprocessingml.footer+xml", &tmpl_docx},
                                      {".wordprocessingml.footnotes+xml", &tmpl_docx},
                                      {".wordprocessingml.endnotes+xml", &tmpl_docx},
                                      {".wordprocessingml.comments+xml", &tmpl_docx},
                                      {".drawingml.chart+xml", &tmpl_dml},
                                      {".drawingml.diagramData+xml", &tmpl_dml},
                                      {".drawingml.diagramDrawing+xml", &tmpl_dml},
                                      {"package.core-properties+xml", &tmpl_plain},
                                      {"officedocument.extended-properties+xml", &tmpl_plain},
                                      {"officedocument.custom-properties+xml", &tmpl_plain},
                                      {NULL, NULL}};

static int ends_with(const char *s, const char *suffix) {
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && strcmp(s + a - b, suffix) == 0;
}

static int same_ascii_nocase(const char *a, const char *b) {
  for (; *a && *b; a++, b++) {
    char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
    char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
    if (x != y) return 0;
  }
  return *a == *b;
}

static int starts_with(const char *s, const char *prefix) {
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* "word/header12.xml" matches ("word/header", ".xml") when a number stands between. */
static int numbered(const char *name, const char *prefix, const char *suffix) {
  if (!starts_with(name, prefix) || !ends_with(name, suffix)) return 0;
  const char *s = name + strlen(prefix), *e = name + strlen(name) - strlen(suffix);
  if (s > e) return 0;
  for (; s < e; s++)
    if (*s < '0' || *s > '9') return 0;
  return 1;
}

/* The format of a DOCX part known by its name alone (no content type said). */
static const TmplFormat *docx_role_by_name(const char *name) {
  if (numbered(name, "word/header", ".xml") || numbered(name, "word/footer", ".xml") ||
      strcmp(name, "word/footnotes.xml") == 0 || strcmp(name, "word/endnotes.xml") == 0 ||
      strcmp(name, "word/comments.xml") == 0)
    return &tmpl_docx;
  if (numbered(name, "word/charts/chart", ".xml") || numbered(name, "word/diagrams/data", ".xml") ||
      numbered(name, "word/diagrams/drawing", ".xml"))
    return &tmpl_dml;
  if (strcmp(name, "docProps/core.xml") == 0 || strcmp(name, "docProps/app.xml") == 0 ||
      strcmp(name, "docProps/custom.xml") == 0 || numbered(name, "customXml/item", ".xml"))
    return &tmpl_plain;
  return NULL;
}

static xmlDoc *parse_small(Fill *f, const char *name) {
  long i = zip_package_find(f->pkg, name);
  if (i < 0) return NULL;
  size_t size;
  char *data = parts_read(f, (size_t)i, &size);
  if (!data) return NULL;
  xmlDoc *doc = xmlReadMemory(data, (int)size, name, NULL,
                              XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  memory_free(data);
  if (!doc && memory_failed()) tmpl_no_memory();
  return doc;
}

static char *prop(xmlNode *e, const char *name) {
  return (char *)xmlGetProp(e, BAD_CAST name);
}

/* [Content_Types].xml read by a small scanner (a fill reads it every time; it is flat: Default
 * and Override elements with attributes): the pairs it declares. */
typedef struct {
  char *key; /* Override: the part's name without "/"; Default: the extension */
  char *type;
  int is_default;
} TypeEntry;

typedef struct {
  TypeEntry *items;
  size_t count, cap;
} Types;

/* The value of attribute `name` in the element text [s, end), or NULL (allocated). */
static char *attr_in(const char *s, const char *end, const char *name) {
  size_t n = strlen(name);
  for (const char *q = s + 1; q + n + 2 < end; q++) {
    if ((q[-1] != ' ' && q[-1] != '\t' && q[-1] != '\n' && q[-1] != '\r') ||
        memcmp(q, name, n) != 0)
      continue;
    const char *v = q + n;
    while (v < end && *v == ' ') v++;
    if (v >= end || *v != '=') continue;
    v++;
    while (v < end && *v == ' ') v++;
    if (v >= end || (*v != '"' && *v != '\'')) continue;
    const char *close = memchr(v + 1, *v, (size_t)(end - v - 1));
    if (!close) return NULL;
    return tmpl_strndup(v + 1, (size_t)(close - v - 1));
  }
  return NULL;
}

static void types_load(Fill *f, Types *t) {
  memset(t, 0, sizeof *t);
  long i = zip_package_find(f->pkg, "[Content_Types].xml");
  if (i < 0) return;
  size_t size;
  char *data = parts_read(f, (size_t)i, &size);
  if (!data) return;
  const char *end = data + size;
  for (const char *q = data; (q = memchr(q, '<', (size_t)(end - q))) != NULL; q++) {
    int is_default = strncmp(q, "<Default", 8) == 0, is_override = strncmp(q, "<Override", 9) == 0;
    if (!is_default && !is_override) continue;
    const char *close = memchr(q, '>', (size_t)(end - q));
    if (!close) break;
    char *key = attr_in(q + 1, close, is_default ? "Extension" : "PartName");
    char *type = attr_in(q + 1, close, "ContentType");
    if (key && type) {
      if (t->count == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        t->items = tmpl_grow(t->items, t->cap, sizeof *t->items);
      }
      if (key[0] == '/') memmove(key, key + 1, strlen(key));
      t->items[t->count++] = (TypeEntry){key, type, is_default};
    } else {
      memory_free(key);
      memory_free(type);
    }
  }
  memory_free(data);
}

static void types_free(Types *t) {
  for (size_t i = 0; i < t->count; i++) {
    memory_free(t->items[i].key);
    memory_free(t->items[i].type);
  }
  memory_free(t->items);
}

/* The content type [Content_Types].xml gives entry `name` (an Override, else a Default by
 * extension); NULL when it says nothing. */
static const char *content_type(const Types *t, const char *name) {
  for (size_t i = 0; i < t->count; i++)
    if (!t->items[i].is_default && strcmp(t->items[i].key, name) == 0) return t->items[i].type;
  const char *dot = strrchr(name, '.');
  for (size_t i = 0; dot && i < t->count; i++)
    if (t->items[i].is_default && same_ascii_nocase(t->items[i].key, dot + 1))
      return t->items[i].type;
  return NULL;
}

static char *main_by_rels(Fill *f) {
  char *target = NULL;
  xmlDoc *rels = parse_small(f, "_rels/.rels");
  xmlNode *root = rels ? xmlDocGetRootElement(rels) : NULL;
  for (xmlNode *c = root ? root->children : NULL; c && !target; c = c->next) {
    if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "Relationship") != 0) continue;
    char *type = prop(c, "Type");
    if (type && ends_with(type, "/officeDocument")) {
      char *t = prop(c, "Target");
      const char *p = t && t[0] == '/' ? t + 1 : t;
      if (p && zip_package_find(f->pkg, p) >= 0) target = tmpl_strndup(p, strlen(p));
      xmlFree(t);
    }
    xmlFree(type);
  }
  if (rels) xmlFreeDoc(rels);
  return target;
}

/* The main document part: what [Content_Types].xml declares the main document, else the
 * target of the package's officeDocument relationship, else word/document.xml. NULL when none
 * is in the package. */
static char *docx_main(Fill *f, const Types *types) {
  for (size_t i = 0; i < types->count; i++) {
    const TypeEntry *e = &types->items[i];
    int main = 0;
    for (int k = 0; !e->is_default && MAIN_TYPES[k]; k++)
      main |= strcmp(e->type, MAIN_TYPES[k]) == 0;
    if (main && zip_package_find(f->pkg, e->key) >= 0) return tmpl_strndup(e->key, strlen(e->key));
  }
  char *target = main_by_rels(f);
  if (target) return target;
  if (zip_package_find(f->pkg, "word/document.xml") >= 0)
    return tmpl_strndup("word/document.xml", 17);
  return NULL;
}

static const TmplFormat *docx_role(const Types *types, const char *name, const char *main) {
  if (strcmp(name, main) == 0) return &tmpl_docx;
  const char *ct = content_type(types, name);
  const TmplFormat *fmt = NULL;
  int generic = !ct || strcmp(ct, "application/xml") == 0 || strcmp(ct, "text/xml") == 0;
  for (int k = 0; ct && TYPE_ROLES[k].suffix && !fmt; k++)
    if (ends_with(ct, TYPE_ROLES[k].suffix)) fmt = TYPE_ROLES[k].fmt;
  if (!fmt && generic) fmt = docx_role_by_name(name); /* customXml items, bare packages */
  return fmt;
}

static const TmplFormat *odt_role(const char *name) {
  if (strcmp(name, "content.xml") == 0 || strcmp(name, "styles.xml") == 0) return &tmpl_odt;
  if (strcmp(name, "meta.xml") == 0) return &tmpl_plain;
  const char *slash = strchr(name, '/');
  if (slash && strchr(slash + 1, '/') == NULL && strcmp(slash + 1, "content.xml") == 0 &&
      !starts_with(name, "META-INF/") && !starts_with(name, "Configurations2/"))
    return &tmpl_odt; /* an embedded object: a chart's titles and table */
  return NULL;
}

/* Something in raw XML that looks like a tag: "{", a name or a tag sign, "}" within one text. */
static int looks_tagged(const char *s, size_t n) {
  for (const char *q = s; (q = memchr(q, '{', (size_t)(s + n - q))) != NULL; q++) {
    const char *e = q + 1;
    size_t len = 0;
    while (e < s + n && *e != '}' && *e != '<' && *e != '{' && *e != '>' && len < 200) e++, len++;
    if (e < s + n && *e == '}' && len > 0 && q[1] != '"' && q[1] != '\\') return 1;
  }
  return 0;
}

/* Parts that never hold a document's text (styles, settings, fonts, themes, numbering,
 * relationships, SmartArt layouts, chart styles): not read for the warning. */
static int textless(const char *name, const char *type) {
  static const char *const TYPES[] = {".styles+xml",
                                      ".settings+xml",
                                      ".fontTable+xml",
                                      ".webSettings+xml",
                                      ".theme+xml",
                                      ".numbering+xml",
                                      ".people+xml",
                                      ".commentsExtended+xml",
                                      ".commentsIds+xml",
                                      ".commentsExtensible+xml",
                                      ".customXmlProperties+xml",
                                      ".stylesWithEffects+xml",
                                      ".diagramLayout+xml",
                                      ".diagramStyle+xml",
                                      ".diagramColors+xml",
                                      ".chartstyle+xml",
                                      ".chartcolorstyle+xml",
                                      "relationships+xml",
                                      NULL};
  for (int k = 0; type && TYPES[k]; k++)
    if (ends_with(type, TYPES[k])) return 1;
  return strcmp(name, "[Content_Types].xml") == 0 || starts_with(name, "META-INF/") ||
         strcmp(name, "settings.xml") == 0 || strcmp(name, "manifest.rdf") == 0;
}

static int warned_textless(const Types *types, const char *name) {
  return textless(name, content_type(types, name));
}

int parts_plan(Fill *f) {
  Types types;
  types_load(f, &types);
  char *main = NULL;
  if (types.count || zip_package_find(f->pkg, "content.xml") < 0) main = docx_main(f, &types);
  if (main) {
    f->fmt = &tmpl_docx;
  } else if (zip_package_find(f->pkg, "content.xml") >= 0) {
    f->fmt = &tmpl_odt;
  } else {
    types_free(&types);
    if (!f->over_limit)
      errlist_addf(&f->errors,
                   "шаблон %s: это не документ DOCX или ODT (нет основной части: ни "
                   "word/document.xml, ни content.xml)",
                   f->template_path);
    return -1;
  }
  size_t count = zip_package_count(f->pkg);
  f->parts = tmpl_alloc((count ? count : 1) * sizeof *f->parts);
  for (size_t i = 0; i < count && !f->over_limit; i++) {
    const char *name = zip_package_name(f->pkg, i);
    const TmplFormat *fmt = f->fmt == &tmpl_docx ? docx_role(&types, name, main) : odt_role(name);
    if (fmt) {
      Part *p = &f->parts[f->nparts++];
      p->name = name;
      p->index = (long)i;
      p->fmt = fmt;
    } else if (ends_with(name, ".xml") && !warned_textless(&types, name)) {
      size_t size;
      char *data = parts_read(f, i, &size);
      if (data && looks_tagged(data, size))
        errlist_addf(&f->warnings,
                     "часть %s не заполняется (её содержимое движок шаблонов не читает), а в ней "
                     "есть что-то похожее на тег в фигурных скобках; оно останется как есть",
                     name);
      memory_free(data);
    }
  }
  memory_free(main);
  types_free(&types);
  return f->over_limit ? -1 : 0;
}

char *parts_read(Fill *f, size_t i, size_t *size) {
  const char *name = zip_package_name(f->pkg, i);
  long long declared = zip_package_size(f->pkg, i);
  if (declared < 0) {
    errlist_addf(&f->errors, "шаблон %s: не удалось прочитать часть %s", f->template_path, name);
    return NULL;
  }
  if ((size_t)declared > LIMIT_PARTS_BYTES - f->parts_bytes) {
    fill_limit(f,
               "шаблон %s: части документа вместе больше %zu МиБ в распакованном виде (предел; "
               "часть %s — %lld байт)",
               f->template_path, LIMIT_PARTS_BYTES >> 20, name, declared);
    return NULL;
  }
  f->parts_bytes += (size_t)declared;
  char *error = NULL;
  char *data = zip_package_read(f->pkg, i, size, &error);
  if (!data) {
    if (memory_failed()) {
      memory_free(error);
      tmpl_no_memory();
    }
    errlist_addf(&f->errors, "шаблон %s", error ? error : name);
    memory_free(error);
  }
  return data;
}
