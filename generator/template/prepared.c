/*
 * prepared: a template read, planned, parsed and compiled once per process (fill.h).
 *
 * A build fills the same few stock templates thousands of times; unzipping, parsing and
 * compiling a template was about a third of each fill. The first fill of a template keeps
 * its package (opened on the file's bytes, so that entries without tags are still copied
 * compressed as they are), the compiled trees of its parts (markers in place of tags), the
 * tags, and the warnings; every later fill whose template has the same path and the same
 * bytes starts from a copy of those trees (xmlCopyDoc is several times cheaper than reading
 * the XML again) and renders into it as before.
 *
 * Whether the file still has the same bytes: size and time alone cannot tell, since a file
 * rewritten within one tick of the clock its times are taken from (a few ms; 2 s on FAT) keeps
 * them (a test, a fuzzer, a secretary saving twice). So the bytes are read and compared whole,
 * except when the file's stat() still gives what fstat() gave just before its bytes were read
 * (device, inode, size, modification and change times to the nanosecond) and its last change
 * was then already more than SETTLED_SECONDS old. Any change to a file sets its change time
 * (ctime, which no program can set) to the time of the change, which is later than the moment
 * the bytes were read, so more than SETTLED_SECONDS later than the time kept: it cannot give
 * the same answer again. The margin covers the lag of the kernel's coarse clock behind ours
 * and file systems that keep times in whole seconds or two. What is assumed: a clock not set
 * back by more than the margin between the reading and the change, and on a network file
 * system a server's clock not behind ours by more than the margin. A template just written
 * (the build's own, a test's) is read and compared whole until its change is that old. On a
 * build this turns open, fstat, read, close and a compare per fill into one stat().
 *
 * Only a template compiled without a single error is kept (its messages depend on the fill
 * in ways not worth copying); the filters a tag names are checked again on every fill, since
 * they are the fill's own (a data script may bring its own). Build workers are forked
 * processes: each has its own copy of the cache. The cache holds at most MAX_ENTRIES
 * templates and MAX_BYTES of their unpacked parts (the stock templates take a few MiB); the
 * least recently used one goes first.
 */
#define _POSIX_C_SOURCE 200809L /* st_mtim, clock_gettime */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "fileio.h"
#include "fill.h"
#include "memory.h"
#include "xmlarena.h"

#define MAX_ENTRIES 48
#define MAX_BYTES ((size_t)32 << 20) /* unpacked parts of all the kept templates */
#define MAX_FILE ((size_t)16 << 20)  /* larger templates are opened from the disk each time */
#define SETTLED_SECONDS 3            /* see the comment at the top */

/* What fstat() said of a template file just before its bytes were read. */
typedef struct {
  dev_t dev;
  ino_t ino;
  off_t size;
  struct timespec mtime, ctime;
  int settled; /* its last change was more than SETTLED_SECONDS old when it was read */
} Signature;

typedef struct {
  const char *name; /* the package's (lives as long as it) */
  long index;
  const TmplFormat *fmt;
  xmlDoc *doc;      /* compiled: markers in place of tags; never rendered into */
  TmplImage *image; /* doc's copy made once (treecopy.c), or NULL */
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
  Signature signature;
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
    tmpl_image_free(pp->image);
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

static Signature signature_of(const struct stat *st, const struct timespec *before) {
  Signature sig = {st->st_dev, st->st_ino, st->st_size, st->st_mtim, st->st_ctim, 0};
  /* (the later of the two: a file system may keep its creation time as ctime) */
  time_t last = st->st_ctim.tv_sec > st->st_mtim.tv_sec ? st->st_ctim.tv_sec : st->st_mtim.tv_sec;
  sig.settled = last + SETTLED_SECONDS < before->tv_sec;
  return sig;
}

static int same_signature(const Signature *sig, const struct stat *st) {
  return sig->dev == st->st_dev && sig->ino == st->st_ino && sig->size == st->st_size &&
         sig->mtime.tv_sec == st->st_mtim.tv_sec && sig->mtime.tv_nsec == st->st_mtim.tv_nsec &&
         sig->ctime.tv_sec == st->st_ctim.tv_sec && sig->ctime.tv_nsec == st->st_ctim.tv_nsec;
}

/* The signature of the bytes the last prepared_open read (f->bytes, until prepared_keep). */
static const char *last_read_bytes;
static Signature last_read_signature;

static int use_entry(Fill *f, Prepared *e) {
  e->used = ++clock_now;
  f->prepared = e;
  f->pkg = e->pkg;
  f->pkg_shared = 1;
  return 1;
}

int prepared_open(Fill *f) {
  Prepared *known = NULL;
  size_t known_at = 0;
  for (size_t i = 0; i < cache_count && !known; i++)
    if (strcmp(cache[i]->path, f->template_path) == 0) known = cache[i], known_at = i;
  struct stat st;
  if (known && known->signature.settled && stat(f->template_path, &st) == 0 &&
      same_signature(&known->signature, &st))
    return use_entry(f, known);
  struct timespec before;
  clock_gettime(CLOCK_REALTIME, &before);
  size_t size = 0;
  char *bytes = fileio_read_stat(f->template_path, MAX_FILE, &size, &st);
  if (!bytes) {
    if (errno == ENOMEM) tmpl_no_memory();
    return open_from_disk(f);
  }
  if (known && known->nbytes == size && memcmp(known->bytes, bytes, size) == 0) {
    free(bytes);
    known->signature = signature_of(&st, &before);
    return use_entry(f, known);
  }
  if (known) forget(known_at); /* the file changed: what was prepared from it is of no more use */
  f->bytes = bytes;
  f->nbytes = size;
  last_read_bytes = bytes;
  last_read_signature = signature_of(&st, &before);
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
static xmlDoc *copy_doc(xmlDoc *doc, TmplImage *image) {
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
  if (copy && !memory_failed() && xmlarena_active() && image) list = tmpl_image_copy(copy, image);
  if (copy && !memory_failed() && xmlarena_active() && !list) list = tmpl_copy_prepared(copy, doc);
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
    p->doc = copy_doc(pp->doc, pp->image);
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
    *pp = (PreparedPart){p->name, p->index, p->fmt, NULL, NULL, NULL, 0, NULL, p->may_have_ids};
    pp->quiet = copy_quiet(p->quiet, p->ntags);
    pp->doc = copy_doc(p->doc, NULL); /* before rendering changes the fill's own */
    pp->image = tmpl_image_make(pp->doc);
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
  if (last_read_bytes == f->bytes) e->signature = last_read_signature; /* (else unsettled) */
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
