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

/* The content type [Content_Types].xml gives entry `name` (an Override, else a Default by
 * extension); NULL when it says nothing. Owned by the caller. */
static char *content_type(xmlDoc *types, const char *name) {
  xmlNode *root = types ? xmlDocGetRootElement(types) : NULL;
  const char *dot = strrchr(name, '.');
  char *found = NULL;
  for (xmlNode *c = root ? root->children : NULL; c && !found; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (strcmp((const char *)c->name, "Override") == 0) {
      char *part = prop(c, "PartName");
      if (part && strcmp(part[0] == '/' ? part + 1 : part, name) == 0)
        found = prop(c, "ContentType");
      xmlFree(part);
    }
  }
  for (xmlNode *c = root ? root->children : NULL; c && !found && dot; c = c->next) {
    if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "Default") != 0) continue;
    char *ext = prop(c, "Extension");
    if (ext && same_ascii_nocase(ext, dot + 1)) found = prop(c, "ContentType");
    xmlFree(ext);
  }
  return found;
}

/* The main document part: the officeDocument relationship's target, else the declared main
 * content type, else word/document.xml. NULL when none is in the package. */
static char *docx_main(Fill *f, xmlDoc *types) {
  char *target = NULL;
  xmlDoc *rels = parse_small(f, "_rels/.rels");
  xmlNode *root = rels ? xmlDocGetRootElement(rels) : NULL;
  for (xmlNode *c = root ? root->children : NULL; c && !target; c = c->next) {
    if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "Relationship") != 0) continue;
    char *type = prop(c, "Type");
    if (type && ends_with(type, "/officeDocument")) {
      char *t = prop(c, "Target");
      if (t) target = tmpl_strndup(t[0] == '/' ? t + 1 : t, strlen(t[0] == '/' ? t + 1 : t));
      xmlFree(t);
    }
    xmlFree(type);
  }
  if (rels) xmlFreeDoc(rels);
  if (target && zip_package_find(f->pkg, target) >= 0) return target;
  memory_free(target);
  root = types ? xmlDocGetRootElement(types) : NULL;
  for (xmlNode *c = root ? root->children : NULL; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "Override") != 0) continue;
    char *ct = prop(c, "ContentType"), *part = prop(c, "PartName");
    int main = 0;
    for (int k = 0; ct && MAIN_TYPES[k]; k++) main |= strcmp(ct, MAIN_TYPES[k]) == 0;
    char *found = NULL;
    if (main && part) {
      const char *p = part[0] == '/' ? part + 1 : part;
      if (zip_package_find(f->pkg, p) >= 0) found = tmpl_strndup(p, strlen(p));
    }
    xmlFree(ct);
    xmlFree(part);
    if (found) return found;
  }
  if (zip_package_find(f->pkg, "word/document.xml") >= 0)
    return tmpl_strndup("word/document.xml", 17);
  return NULL;
}

static const TmplFormat *docx_role(xmlDoc *types, const char *name, const char *main) {
  if (strcmp(name, main) == 0) return &tmpl_docx;
  char *ct = content_type(types, name);
  const TmplFormat *fmt = NULL;
  int generic = !ct || strcmp(ct, "application/xml") == 0 || strcmp(ct, "text/xml") == 0;
  for (int k = 0; ct && TYPE_ROLES[k].suffix && !fmt; k++)
    if (ends_with(ct, TYPE_ROLES[k].suffix)) fmt = TYPE_ROLES[k].fmt;
  xmlFree(ct);
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

static int warn_worthy(const char *name) {
  return ends_with(name, ".xml") && strcmp(name, "[Content_Types].xml") != 0 &&
         !starts_with(name, "META-INF/");
}

int parts_plan(Fill *f) {
  xmlDoc *types = NULL;
  char *main = NULL;
  if (zip_package_find(f->pkg, "[Content_Types].xml") >= 0)
    types = parse_small(f, "[Content_Types].xml");
  if (types || zip_package_find(f->pkg, "content.xml") < 0) main = docx_main(f, types);
  if (main) {
    f->fmt = &tmpl_docx;
  } else if (zip_package_find(f->pkg, "content.xml") >= 0) {
    f->fmt = &tmpl_odt;
  } else {
    if (types) xmlFreeDoc(types);
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
    const TmplFormat *fmt = f->fmt == &tmpl_docx ? docx_role(types, name, main) : odt_role(name);
    if (fmt) {
      Part *p = &f->parts[f->nparts++];
      p->name = name;
      p->index = (long)i;
      p->fmt = fmt;
    } else if (warn_worthy(name)) {
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
  if (types) xmlFreeDoc(types);
  return f->over_limit ? -1 : 0;
}

char *parts_read(Fill *f, size_t i, size_t *size) {
  const char *name = zip_package_name(f->pkg, i);
  long declared = zip_package_size(f->pkg, i);
  if (declared < 0) {
    errlist_addf(&f->errors, "шаблон %s: не удалось прочитать часть %s", f->template_path, name);
    return NULL;
  }
  if ((size_t)declared > LIMIT_PARTS_BYTES - f->parts_bytes) {
    fill_limit(f,
               "шаблон %s: части документа вместе больше %zu МиБ в распакованном виде (предел; "
               "часть %s — %ld байт)",
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
