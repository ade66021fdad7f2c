/*
 * prepared: a template read, planned, parsed and compiled once per process (fill.h).
 *
 * A build fills the same few stock templates thousands of times; unzipping, parsing and
 * compiling a template was about a third of each fill. The first fill of a template keeps
 * its package (opened on the file's bytes, so that entries without tags are still copied
 * compressed as they are), the compiled trees of its parts (markers in place of tags), the
 * tags, and the warnings; every later fill whose template has the same path and the same
 * bytes starts from a copy of those trees (xmlCopyDoc is several times cheaper than reading
 * the XML again) and renders into it as before. The bytes are compared whole, not by size
 * and time: a file rewritten within the same clock tick (a test, a fuzzer, a secretary
 * saving twice) is read again, and reading a template of a few KiB costs microseconds.
 *
 * Only a template compiled without a single error is kept (its messages depend on the fill
 * in ways not worth copying); the filters a tag names are checked again on every fill, since
 * they are the fill's own (a data script may bring its own). Build workers are forked
 * processes: each has its own copy of the cache. The cache holds at most MAX_ENTRIES
 * templates and MAX_BYTES of their unpacked parts (the stock templates take a few MiB); the
 * least recently used one goes first.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "fill.h"
#include "memory.h"
#include "xmlarena.h"

#define MAX_ENTRIES 48
#define MAX_BYTES ((size_t)32 << 20) /* unpacked parts of all the kept templates */
#define MAX_FILE ((size_t)16 << 20)  /* larger templates are opened from the disk each time */

typedef struct {
  const char *name; /* the package's (lives as long as it) */
  long index;
  const TmplFormat *fmt;
  xmlDoc *doc; /* compiled: markers in place of tags; never rendered into */
  Tag *tags;
  size_t ntags;
  unsigned char *quiet;
  int may_have_ids;
} PreparedPart;

struct Prepared {
  char *path;
  char *bytes; /* the file (malloc'd); the package reads from it */
  size_t nbytes;
  ZipPackage *pkg;
  const TmplFormat *fmt;
  PreparedPart *parts;
  size_t nparts;
  char **warnings;
  size_t nwarnings;
  xmlDoc *styles; /* ODT styles.xml parsed apart (not a filled part), or NULL */
  size_t parts_bytes;
  unsigned long used; /* when last used, for forgetting the oldest */
};

typedef struct Prepared Prepared;

static Prepared *cache[MAX_ENTRIES];
static size_t cache_count;
static unsigned long clock_now;

static void prepared_free(Prepared *e) {
  if (!e) return;
  for (size_t i = 0; i < e->nparts; i++) {
    PreparedPart *pp = &e->parts[i];
    if (pp->doc) xmlFreeDoc(pp->doc);
    for (size_t k = 0; pp->tags && k < pp->ntags; k++) tags_free(&pp->tags[k]);
    memory_free(pp->tags);
    memory_free(pp->quiet);
  }
  memory_free(e->parts);
  for (size_t i = 0; i < e->nwarnings; i++) memory_free(e->warnings[i]);
  memory_free(e->warnings);
  if (e->styles) xmlFreeDoc(e->styles);
  zip_package_close(e->pkg);
  free(e->bytes);
  memory_free(e->path);
  memory_free(e);
}

static void forget(size_t i) {
  prepared_free(cache[i]);
  cache[i] = cache[--cache_count];
}

static size_t cached_bytes(void) {
  size_t total = 0;
  for (size_t i = 0; i < cache_count; i++) total += cache[i]->parts_bytes;
  return total;
}

/* Makes room for an entry of `bytes` unpacked bytes: the least recently used go. */
static void make_room(size_t bytes) {
  while (cache_count && (cache_count == MAX_ENTRIES || cached_bytes() + bytes > MAX_BYTES)) {
    size_t oldest = 0;
    for (size_t i = 1; i < cache_count; i++)
      if (cache[i]->used < cache[oldest]->used) oldest = i;
    forget(oldest);
  }
}

/* Opens the package from the disk, as before there was a cache (a file too large to keep in
 * memory, or one that could not be read: libzip then says why). */
static int open_from_disk(Fill *f) {
  char *error = NULL;
  f->pkg = zip_package_open(f->template_path, &error);
  if (f->pkg) return 0;
  if (memory_failed()) tmpl_no_memory();
  errlist_addf(&f->errors, "шаблон %s", error ? error : f->template_path);
  memory_free(error);
  return -1;
}

int prepared_open(Fill *f) {
  size_t size = 0;
  char *bytes = fileio_read(f->template_path, MAX_FILE, &size);
  if (!bytes) {
    if (errno == ENOMEM) tmpl_no_memory();
    return open_from_disk(f);
  }
  for (size_t i = 0; i < cache_count; i++) {
    Prepared *e = cache[i];
    if (strcmp(e->path, f->template_path) != 0) continue;
    if (e->nbytes == size && memcmp(e->bytes, bytes, size) == 0) {
      free(bytes);
      e->used = ++clock_now;
      f->prepared = e;
      f->pkg = e->pkg;
      f->pkg_shared = 1;
      return 1;
    }
    forget(i); /* the file changed: what was prepared from it is of no more use */
    break;
  }
  f->bytes = bytes;
  f->nbytes = size;
  char *error = NULL;
  f->pkg = zip_package_open_memory(f->template_path, bytes, size, &error);
  if (f->pkg) return 0;
  if (memory_failed()) tmpl_no_memory();
  errlist_addf(&f->errors, "шаблон %s", error ? error : f->template_path);
  memory_free(error);
  return -1;
}

/* A copy of a prepared tree for one fill to render into. Unlike xmlCopyDoc(doc, 1) it shares
 * the parsed tree's dictionary: the names are looked up there, not copied (cheaper), and the
 * copy behaves as a parsed tree when memory runs out (without a dictionary, libxml2 2.9's
 * xmlNewDocNode makes a node without a name instead of failing). A copy made while an
 * allocation failed is thrown away whole (libxml2 leaves such a copy with holes). */
static xmlDoc *copy_doc(xmlDoc *doc) {
  xmlDoc *copy = xmlCopyDoc(doc, 0); /* the document alone: version, encoding, standalone */
  if (copy && doc->dict && xmlarena_active()) {
    /* names the fill adds go to a dictionary of its own, in the arena (xmlarena.h): the
     * prepared one is only read */
    copy->dict = xmlDictCreateSub(doc->dict);
    if (!copy->dict) {
      xmlarena_free_doc(copy);
      tmpl_no_memory();
    }
  } else if (copy && doc->dict) {
    copy->dict = doc->dict;
    xmlDictReference(doc->dict);
  }
  if (copy && doc->oldNs) copy->oldNs = xmlCopyNamespaceList(doc->oldNs); /* the xml: prefix */
  xmlNode *list = NULL;
  if (copy && !memory_failed() && xmlarena_active()) list = tmpl_copy_prepared(copy, doc);
  if (copy && !memory_failed() && !list) list = xmlDocCopyNodeList(copy, doc->children);
  for (xmlNode *n = list; n; n = n->next) {
    n->parent = (xmlNode *)copy;
    copy->last = n;
  }
  if (copy) copy->children = list;
  if (!copy || memory_failed() || (doc->children && !list)) {
    if (copy && xmlarena_active())
      xmlarena_free_doc(copy);
    else if (copy)
      xmlFreeDoc(copy);
    tmpl_no_memory();
  }
  return copy;
}

static unsigned char *copy_quiet(const unsigned char *quiet, size_t ntags) {
  unsigned char *q = tmpl_alloc(ntags ? ntags : 1);
  if (ntags) memcpy(q, quiet, ntags);
  return q;
}

void prepared_apply(Fill *f) {
  const Prepared *e = f->prepared;
  f->fmt = e->fmt;
  f->parts_bytes = e->parts_bytes;
  for (size_t i = 0; i < e->nwarnings; i++) errlist_addf(&f->warnings, "%s", e->warnings[i]);
  f->parts = tmpl_alloc((e->nparts ? e->nparts : 1) * sizeof *f->parts);
  for (size_t i = 0; i < e->nparts; i++) {
    const PreparedPart *pp = &e->parts[i];
    Part *p = &f->parts[f->nparts++];
    p->name = pp->name;
    p->index = pp->index;
    p->fmt = pp->fmt;
    p->tags = pp->tags;
    p->ntags = p->cap = pp->ntags;
    p->shared_tags = 1;
    p->may_have_ids = pp->may_have_ids;
    p->quiet = copy_quiet(pp->quiet, pp->ntags);
    p->doc = copy_doc(pp->doc);
  }
  if (f->fmt != &tmpl_odt) return;
  /* the styles a table's width is read from: the filled part's own tree, as engine.c does */
  for (size_t i = 0; i < f->nparts && !f->styles; i++)
    if (strcmp(f->parts[i].name, "styles.xml") == 0) f->styles = f->parts[i].doc;
  if (!f->styles) f->styles = e->styles; /* read only, shared */
}

void prepared_keep(Fill *f) {
  size_t unpacked = f->parts_bytes;
  if (!f->bytes || unpacked > MAX_BYTES) return;
  Prepared *e = f->keeping = tmpl_alloc(sizeof *e);
  e->path = tmpl_strndup(f->template_path, strlen(f->template_path));
  e->parts = tmpl_alloc((f->nparts ? f->nparts : 1) * sizeof *e->parts);
  for (size_t i = 0; i < f->nparts; i++, e->nparts++) {
    const Part *p = &f->parts[i];
    PreparedPart *pp = &e->parts[i];
    *pp = (PreparedPart){p->name, p->index, p->fmt, NULL, NULL, 0, NULL, p->may_have_ids};
    pp->quiet = copy_quiet(p->quiet, p->ntags);
    pp->doc = copy_doc(p->doc); /* before rendering changes the fill's own */
  }
  e->warnings = tmpl_alloc((f->warnings.count ? f->warnings.count : 1) * sizeof *e->warnings);
  for (; e->nwarnings < f->warnings.count; e->nwarnings++)
    e->warnings[e->nwarnings] =
        tmpl_strndup(f->warnings.items[e->nwarnings], strlen(f->warnings.items[e->nwarnings]));
  /* Nothing can fail from here on: what the fill owned passes to the entry. */
  for (size_t i = 0; i < f->nparts; i++) {
    e->parts[i].tags = f->parts[i].tags;
    e->parts[i].ntags = f->parts[i].ntags;
    f->parts[i].shared_tags = 1;
  }
  if (f->styles_owned) {
    e->styles = f->styles;
    f->styles_owned = 0;
  }
  e->bytes = f->bytes;
  e->nbytes = f->nbytes;
  f->bytes = NULL;
  e->pkg = f->pkg;
  f->pkg_shared = 1;
  e->fmt = f->fmt;
  e->parts_bytes = unpacked;
  e->used = ++clock_now;
  make_room(unpacked);
  cache[cache_count++] = e;
  f->keeping = NULL;
}

void prepared_release(Fill *f) {
  prepared_free(f->keeping);
  f->keeping = NULL;
  free(f->bytes);
  f->bytes = NULL;
}
