/*
 * engine: filling one package (template.h), the steps of fill.h in order:
 *
 *  1. parts.c decides the format and which parts are filled; each is read (its declared size
 *     counted against the limit before it is inflated) and parsed with libxml2 (no network,
 *     no DTD: a part declaring one is refused);
 *  2. compile.c turns each part's tags into markers and classifies its loops;
 *  3. render.c writes the values and repeats the loops (even after compile errors, so that
 *     names the view lacks are reported with them); keep.c keeps what tag paragraphs held;
 *  4. if anything was wrong, every problem of every part is reported and nothing is written;
 *     else the changed parts are serialized and the package is written, the other entries
 *     copied as they are.
 *
 * All Lua work happens inside one protected call; everything allocated hangs off `Fill`, which
 * is freed whatever happened. Out of memory anywhere (ours, libxml2's, libzip's, Lua's) ends
 * the fill with TEMPLATE_NO_MEMORY (generator/memory.h).
 */
#define _POSIX_C_SOURCE 200809L
#include <lauxlib.h>
#include <libxml/parser.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "fill.h"
#include "keep.h"
#include "memory.h"
#include "xmlarena.h"

void fill_tag_error(Fill *f, const Tag *t, const char *fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  errlist_addf(&f->errors, "%s, абзац «%s», символ %ld: %s", f->cur->name, t->context, t->offset,
               msg);
}

void fill_limit(Fill *f, const char *fmt, ...) {
  if (f->over_limit) return;
  f->over_limit = 1;
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  errlist_addf(&f->errors, "%s", msg);
}

static int contains(const char *s, size_t n, const char *needle) {
  size_t k = strlen(needle);
  for (const char *q = s; (q = memchr(q, needle[0], n - (size_t)(q - s))) != NULL; q++)
    if ((size_t)(s + n - q) >= k && memcmp(q, needle, k) == 0) return 1;
  return 0;
}

/* Parses an XML part as xmlReadMemory does, and also refuses one that is well-formed XML but
 * not namespace-well-formed (a prefix used and never declared): libxml2 keeps such a name as it
 * is, without its namespace, and a fill that then sets the namespace's own attribute of that
 * name (a table cell's fo:text-indent of a paragraph style) writes the attribute twice — a part
 * no reader opens (found by fuzz/template). *ns_line: the line of the first such prefix. */
static xmlDoc *parse_part(const char *data, size_t size, const char *name, int *ns_line) {
  *ns_line = 0;
  xmlParserCtxt *ctxt = xmlNewParserCtxt();
  if (!ctxt) return NULL;
  xmlDoc *doc = xmlCtxtReadMemory(ctxt, data, (int)size, name, NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (doc && !ctxt->nsWellFormed) {
    *ns_line = ctxt->lastError.line > 0 ? ctxt->lastError.line : 1;
    xmlFreeDoc(doc);
    doc = NULL;
  }
  xmlFreeParserCtxt(ctxt);
  return doc;
}

/* Reads and parses part p; 0, or -1 with an error. */
static int load_part(Fill *f, Part *p) {
  size_t size;
  char *data = parts_read(f, (size_t)p->index, &size);
  if (!data) return -1;
  if (!memchr(data, '{', size)) { /* nothing to fill: copied untouched */
    memory_free(data);
    return -1;
  }
  static const char *const ids[] = {"docPr", "bookmark", "draw:name", "xml:id", NULL};
  for (int k = 0; ids[k] && !p->may_have_ids; k++) p->may_have_ids = contains(data, size, ids[k]);
  int ns_line;
  p->doc = parse_part(data, size, p->name, &ns_line);
  memory_free(data);
  if (memory_failed()) tmpl_no_memory();
  if (ns_line) {
    errlist_addf(&f->errors,
                 "шаблон %s: часть %s — в XML префикс пространства имён без объявления "
                 "(строка %d); сохраните документ заново в Word или LibreOffice",
                 f->template_path, p->name, ns_line);
    return -1;
  }
  if (p->doc && (p->doc->intSubset || p->doc->extSubset)) {
    xmlFreeDoc(p->doc);
    p->doc = NULL;
    errlist_addf(&f->errors,
                 "шаблон %s: в части %s есть объявление DOCTYPE (<!DOCTYPE …>); в документах "
                 "DOCX и ODT его не бывает, а сущности из него могут подменить текст — такой "
                 "шаблон не заполняется; сохраните документ заново в Word или LibreOffice",
                 f->template_path, p->name);
    return -1;
  }
  if (p->doc && !xmlDocGetRootElement(p->doc)) {
    xmlFreeDoc(p->doc);
    p->doc = NULL;
  }
  if (!p->doc) {
    const xmlError *e = xmlGetLastError();
    errlist_addf(&f->errors, "шаблон %s: часть %s — повреждённый XML (строка %d)", f->template_path,
                 p->name, e ? e->line : 0);
    return -1;
  }
  return 0;
}

/* The ODT styles.xml tree (page layouts), parsed or our own, or NULL. */
static xmlDoc *styles_doc(Fill *f) {
  for (size_t i = 0; i < f->nparts; i++)
    if (strcmp(f->parts[i].name, "styles.xml") == 0 && f->parts[i].doc) return f->parts[i].doc;
  long i = zip_package_find(f->pkg, "styles.xml");
  if (i < 0) return NULL;
  size_t size;
  char *data = parts_read(f, (size_t)i, &size);
  if (!data) return NULL;
  xmlDoc *doc = xmlReadMemory(data, (int)size, "styles.xml", NULL,
                              XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  memory_free(data);
  if (memory_failed()) tmpl_no_memory();
  f->styles_owned = doc != NULL;
  return doc;
}

/* Plans, parses and compiles the template's parts; kept for the next fills when nothing was
 * wrong. 0, or -1 when there is nothing to fill. */
static int prepare(Fill *f) {
  if (parts_plan(f) != 0) return -1;
  /* parts without "{" are not parsed (they are copied as they are): they leave the list */
  size_t kept = 0;
  for (size_t i = 0; i < f->nparts && !f->over_limit; i++) {
    Part *p = &f->parts[i];
    if (load_part(f, p) == 0) f->parts[kept++] = *p;
  }
  f->nparts = kept;
  if (f->fmt == &tmpl_odt) f->styles = styles_doc(f);
  for (size_t i = 0; i < f->nparts && !f->over_limit; i++) compile_part(f, &f->parts[i]);
  if (!f->over_limit && !f->errors.count) prepared_keep(f);
  return 0;
}

static int fill_main(lua_State *L) {
  /* Stack indices of the caller mean nothing in this frame: view and filters come as
   * arguments 2 and 3. */
  Fill *f = lua_touserdata(L, 1);
  f->view = 2;
  f->filters = lua_istable(L, 3) ? 3 : 0;
  lua_settop(L, 3);
  tmpl_set_raise_state(L);
  int prepared = prepared_open(f);
  if (prepared < 0) return 0;
  if (prepared) {
    xmlarena_begin(); /* the copies and all that is rendered into them die with the fill */
    prepared_apply(f);
    for (size_t i = 0; i < f->nparts; i++) compile_check_filters(f, &f->parts[i]);
  } else if (prepare(f) != 0) {
    return 0;
  }
  f->scopes[0] = f->view;
  f->nscopes = 1;
  for (size_t i = 0; i < f->nparts && !f->over_limit; i++) render_part(f, &f->parts[i]);
  if (!f->over_limit) keep_unique_drawings(f);
  if (f->options.fit && !f->over_limit && !f->errors.count) {
    TmplFit fit = {f->options.fit_size, f->options.fit_leading, f->options.fit_space};
    for (size_t i = 0; i < f->nparts; i++) {
      Part *p = &f->parts[i];
      if (p->fmt->fit) p->fmt->fit(xmlDocGetRootElement(p->doc), &fit);
    }
  }
  if (f->options.keep_whole && !f->over_limit && !f->errors.count) {
    TmplProtect protect = {f->options.protect, f->options.nprotect, &f->row_memo};
    for (size_t i = 0; i < f->nparts; i++) {
      Part *p = &f->parts[i];
      if (!p->fmt->keep_whole) continue;
      /* what a paragraph's words kept whole depend on besides its own XML: the stems (the
       * format adds the rest) */
      RowKey *k = &f->row_memo.key;
      k->len = 0;
      k->failed = 0;
      f->row_memo.pending = &f->row_pending;
      rowkey_str(k, "whole");
      rowkey_int(k, (long)protect.count);
      for (size_t s = 0; s < protect.count; s++) rowkey_str(k, protect.stems[s]);
      p->fmt->keep_whole(xmlDocGetRootElement(p->doc), &protect);
    }
  }
  if (!f->over_limit && !f->errors.count) picture_finish(f);
  tmpl_set_raise_state(NULL);
  return 0;
}

static void fill_free(Fill *f) {
  for (size_t i = 0; i < f->nparts; i++) {
    Part *p = &f->parts[i];
    if (!p->shared_tags) {
      for (size_t k = 0; k < p->ntags; k++) tags_free(&p->tags[k]);
      memory_free(p->tags);
    }
    memory_free(p->tag_node);
    memory_free(p->tag_para);
    memory_free(p->quiet);
    memory_free(p->pending);
    memory_free(p->pending_raw);
    if (p->doc && xmlarena_active())
      xmlarena_free_doc(p->doc);
    else if (p->doc)
      xmlFreeDoc(p->doc);
    memory_free(p->out.data);
  }
  memory_free(f->parts);
  if (f->styles_owned) xmlFreeDoc(f->styles);
  if (!f->pkg_shared) zip_package_close(f->pkg);
  prepared_release(f);
  buf_free(&f->tmp);
  buf_free(&f->tmp2);
  rowmemo_fill_end(&f->row_pending);
  memory_free(f->row_memo.key.data);
  arena_free(&f->scratch);
  picture_free(f);
  xmlarena_end();
}

/* Serializes the filled parts and writes the package. */
static int write_package(Fill *f) {
  ZipPart *zparts = memory_calloc(f->nparts + f->nadded + 1, sizeof *zparts);
  if (!zparts) return TEMPLATE_NO_MEMORY;
  size_t total = 0;
  for (size_t i = 0; i < f->nparts; i++) {
    Part *p = &f->parts[i];
    p->out.limit = LIMIT_OUTPUT_BYTES - total + 1;
    tmpl_serialize(&p->out, p->doc);
    if (memory_failed()) {
      memory_free(zparts);
      return TEMPLATE_NO_MEMORY;
    }
    if (p->out.over) {
      errlist_addf(&f->errors, "документ получается больше %zu МиБ (предел; часть %s)",
                   LIMIT_OUTPUT_BYTES >> 20, p->name);
      memory_free(zparts);
      return TEMPLATE_ERROR;
    }
    total += p->out.len;
    zparts[i] = (ZipPart){p->name, p->out.data, p->out.len};
  }
  for (size_t i = 0; i < f->nadded; i++) zparts[f->nparts + i] = f->added[i];
  char *error = NULL;
  int rc = TEMPLATE_OK;
  if (zip_package_write(f->pkg, f->out_path, zparts, f->nparts + f->nadded, 1, &error) != 0) {
    if (memory_failed()) {
      rc = TEMPLATE_NO_MEMORY;
    } else {
      errlist_addf(&f->errors, "%s", error ? error : "не удалось записать документ");
      rc = TEMPLATE_ERROR;
    }
    memory_free(error);
  }
  memory_free(zparts);
  return rc;
}

/* libxml2 prints some errors (out of memory among them) whatever the parse options say: the
 * engine reports every problem itself. */
static void quiet(void *ctx, const xmlError *error) {
  (void)ctx;
  (void)error;
}

static void init_once(void) {
  static int initialized;
  if (initialized) return;
  initialized = 1;
  memory_setup_libxml();
  xmlInitParser();
  xmlSetStructuredErrorFunc(NULL, (xmlStructuredErrorFunc)quiet);
#ifdef __GLIBC__
  /* A fill allocates and frees a few MiB (trees, zlib state, the archive). With glibc's
   * defaults the freed top of the heap goes back to the kernel after every fill and is
   * faulted in again by the next: measured, that was over half the time of a 40-row fill.
   * Keeping up to 64 MiB (and serving the 256 KiB zlib states from the heap, not mmap)
   * makes repeated fills 2-3x faster. Process-wide, harmless for a short-lived command. */
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  mallopt(M_MMAP_THRESHOLD, 8 << 20);
#endif
}

int template_fill(lua_State *L, const char *template_path, int view_index, int filters_index,
                  const char *out_path, const TemplateOptions *options, TemplateErrors *errors,
                  TemplateErrors *warnings) {
  init_once();
  int paused = xmlarena_pause(); /* a fill inside another's (a filter that fills) */
  memory_clear();
  Fill f;
  memset(&f, 0, sizeof f);
  rowmemo_fill_begin();
  f.L = L;
  f.template_path = template_path;
  f.out_path = out_path;
  if (options) f.options = *options;
  int top = lua_gettop(L);
  f.view = lua_absindex(L, view_index);
  f.filters = filters_index && lua_istable(L, filters_index) ? lua_absindex(L, filters_index) : 0;
  int rc = TEMPLATE_OK;
  if (!lua_istable(L, f.view)) {
    errlist_addf(&f.errors, "данные для шаблона (view) должны быть таблицей");
  } else if (!lua_checkstack(L, 8)) {
    rc = TEMPLATE_NO_MEMORY;
  } else {
    lua_pushcfunction(L, fill_main);
    lua_pushlightuserdata(L, &f);
    lua_pushvalue(L, f.view);
    if (f.filters)
      lua_pushvalue(L, f.filters);
    else
      lua_pushnil(L);
    int status = lua_pcall(L, 3, 0, 0);
    tmpl_set_raise_state(NULL);
    if (status == LUA_ERRMEM || (status != LUA_OK && memory_is_error(L, -1)) || memory_failed()) {
      rc = TEMPLATE_NO_MEMORY;
    } else if (status != LUA_OK) {
      const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
      errlist_addf(&f.errors, "шаблон %s: ошибка при заполнении: %s", template_path,
                   msg ? msg : "(без текста)");
    }
  }
  lua_settop(L, top);
  if (rc == TEMPLATE_OK && f.errors.count) rc = TEMPLATE_ERROR;
  if (rc == TEMPLATE_OK) rc = write_package(&f);
  if (rc == TEMPLATE_OK && memory_failed()) rc = TEMPLATE_NO_MEMORY;
  fill_free(&f);
  if (rc == TEMPLATE_NO_MEMORY) {
    errlist_free(&f.errors);
    errlist_free(&f.warnings);
    f.errors.items = memory_calloc(1, sizeof *f.errors.items);
    if (f.errors.items) f.errors.items[0] = memory_strdup(MEMORY_MESSAGE);
    f.errors.count = f.errors.items && f.errors.items[0] ? 1 : 0;
  }
  xmlarena_resume(paused);
  errors->items = f.errors.items;
  errors->count = f.errors.count;
  if (warnings) {
    warnings->items = f.warnings.items;
    warnings->count = f.warnings.count;
  } else {
    errlist_free(&f.warnings);
  }
  return rc;
}

void template_errors_free(TemplateErrors *errors) {
  for (size_t i = 0; i < errors->count; i++) memory_free(errors->items[i]);
  memory_free(errors->items);
  errors->items = NULL;
  errors->count = 0;
}
