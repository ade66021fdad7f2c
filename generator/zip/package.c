/* zip/package: see package.h. */
#define _POSIX_C_SOURCE 200809L
#include "package.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zip.h>

#include "direct.h"
#include "fileio.h"
#include "memory.h"
#include "oserror.h"

#define MAX_ENTRY_SIZE ((zip_uint64_t)256 << 20)

struct ZipPackage {
  zip_t *za;
  char *path;
  size_t count;
  const char **names;         /* owned by libzip (valid while za is open and unchanged) */
  const unsigned char *bytes; /* the archive, when opened from memory */
  size_t nbytes;
  ZipDirect *direct; /* its entries for zip/direct, once asked */
  int direct_state;  /* 0 not asked yet, 1 direct, -1 left to libzip */
};

static char *format_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) return NULL;
  char *s = memory_alloc((size_t)n + 1);
  if (!s) return NULL;
  va_start(ap, fmt);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return s;
}

static void set_error(char **error, char *message) {
  if (error)
    *error = message;
  else
    memory_free(message);
}

/* libzip ran out of memory: the policy's flag (generator/memory.h) tells the caller. */
static void note_zip_error(int code) {
  if (code == ZIP_ER_MEMORY) memory_note_failure();
}

/* Why libzip could not open an archive, in the user's words. */
static const char *open_failure(int code) {
  switch (code) {
    case ZIP_ER_NOENT:
      return "нет такого файла";
    case ZIP_ER_NOZIP:
      return "это не документ DOCX/ODT (файл не zip-архив)";
    case ZIP_ER_INCONS:
      return "архив повреждён";
    case ZIP_ER_OPEN:
      return "не удалось открыть файл";
    case ZIP_ER_READ:
      return "ошибка чтения";
    default:
      return "не удалось прочитать архив";
  }
}

/* The package around an open archive za (discarded on failure). */
static ZipPackage *wrap(zip_t *za, const char *path, char **error) {
  ZipPackage *p = memory_calloc(1, sizeof *p);
  zip_int64_t n = zip_get_num_entries(za, 0);
  if (!p || n < 0) {
    memory_free(p);
    zip_discard(za);
    set_error(error, format_error("%s: не хватает памяти", path));
    return NULL;
  }
  p->za = za;
  p->count = (size_t)n;
  p->path = memory_strdup(path);
  p->names = memory_calloc(p->count ? p->count : 1, sizeof *p->names);
  if (!p->path || !p->names) {
    zip_package_close(p);
    set_error(error, format_error("%s: не хватает памяти", path));
    return NULL;
  }
  for (size_t i = 0; i < p->count; i++) {
    p->names[i] = zip_get_name(za, i, ZIP_FL_ENC_GUESS);
    if (!p->names[i]) p->names[i] = "";
  }
  return p;
}

ZipPackage *zip_package_open(const char *path, char **error) {
  int code = 0;
  zip_t *za = zip_open(path, ZIP_RDONLY, &code);
  if (!za) {
    note_zip_error(code);
    set_error(error, format_error("%s: %s", path, open_failure(code)));
    return NULL;
  }
  return wrap(za, path, error);
}

ZipPackage *zip_package_open_memory(const char *path, const void *data, size_t size, char **error) {
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *src = zip_source_buffer_create(data, size, 0, &ze);
  zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
  if (!za) {
    int code = zip_error_code_zip(&ze);
    if (src) zip_source_free(src);
    zip_error_fini(&ze);
    note_zip_error(code);
    set_error(error, format_error("%s: %s", path, open_failure(code)));
    return NULL;
  }
  zip_error_fini(&ze);
  ZipPackage *p = wrap(za, path, error);
  if (p) {
    p->bytes = data;
    p->nbytes = size;
  }
  return p;
}

void zip_package_close(ZipPackage *p) {
  if (!p) return;
  if (p->za) zip_discard(p->za);
  zip_direct_free(p->direct);
  memory_free(p->names);
  memory_free(p->path);
  memory_free(p);
}

size_t zip_package_count(const ZipPackage *p) {
  return p->count;
}

const char *zip_package_name(const ZipPackage *p, size_t i) {
  return i < p->count ? p->names[i] : NULL;
}

long zip_package_find(const ZipPackage *p, const char *name) {
  if (!p) return -1;
  for (size_t i = 0; i < p->count; i++)
    if (strcmp(p->names[i], name) == 0) return (long)i;
  return -1;
}

long long zip_package_size(ZipPackage *p, size_t i) {
  zip_stat_t st;
  if (i >= p->count || zip_stat_index(p->za, i, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
    return -1;
  return st.size > (zip_uint64_t)0x7fffffffffffffffLL ? -1 : (long long)st.size;
}

char *zip_package_read(ZipPackage *p, size_t i, size_t *size, char **error) {
  zip_stat_t st;
  if (i >= p->count || zip_stat_index(p->za, i, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE)) {
    set_error(error, format_error("%s: не удалось прочитать часть %s", p->path,
                                  i < p->count ? p->names[i] : "?"));
    return NULL;
  }
  if (st.size > MAX_ENTRY_SIZE) {
    set_error(error, format_error("%s: часть %s слишком велика", p->path, p->names[i]));
    return NULL;
  }
  char *buf = memory_alloc((size_t)st.size + 1);
  if (!buf) return NULL;
  zip_file_t *f = zip_fopen_index(p->za, i, 0);
  if (!f) {
    note_zip_error(zip_error_code_zip(zip_get_error(p->za)));
    memory_free(buf);
    set_error(error, format_error("%s: не удалось открыть часть %s", p->path, p->names[i]));
    return NULL;
  }
  zip_uint64_t got = 0;
  while (got < st.size) {
    zip_int64_t n = zip_fread(f, buf + got, st.size - got);
    if (n <= 0) break;
    got += (zip_uint64_t)n;
  }
  int bad = got != st.size;
  if (zip_fclose(f) != 0) bad = 1;
  if (bad) {
    memory_free(buf);
    set_error(error, format_error("%s: часть %s повреждена", p->path, p->names[i]));
    return NULL;
  }
  buf[got] = '\0';
  if (size) *size = (size_t)got;
  return buf;
}

static const ZipPart *find_part(const ZipPart *parts, size_t nparts, const char *name) {
  for (size_t k = 0; k < nparts; k++)
    if (strcmp(parts[k].name, name) == 0) return &parts[k];
  return NULL;
}

/* 2000-01-01 00:00 UTC (the creation date sheet/xlsx_write.c gives its books). */
#define NEW_ENTRY_MTIME ((time_t)946684800)

/* Adds one entry to out: from memory (part) or copied raw from the source (index src). */
static int add_entry(zip_t *out, ZipPackage *p, const char *name, const ZipPart *part, long src,
                     int level) {
  int is_mimetype = strcmp(name, "mimetype") == 0;
  char *mimetype_data = NULL;
  zip_source_t *s;
  if (part) {
    s = zip_source_buffer(out, part->data, part->size, 0);
  } else if (is_mimetype) {
    /* Re-added from memory, so that it is STORED even if the source deflated it. */
    size_t size;
    mimetype_data = zip_package_read(p, (size_t)src, &size, NULL);
    if (!mimetype_data) return -1;
    s = zip_source_buffer(out, mimetype_data, size, 1); /* libzip frees it (free()) */
    if (!s) memory_free(mimetype_data);
  } else {
    /* start 0, length -1: libzip reads the compressed stream and copies it unchanged. */
    s = zip_source_zip(out, p->za, (zip_uint64_t)src, 0, 0, -1);
  }
  if (!s) return -1;
  zip_int64_t idx = zip_file_add(out, name, s, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
  if (idx < 0) {
    zip_source_free(s);
    return -1;
  }
  if (is_mimetype) {
    if (zip_set_file_compression(out, (zip_uint64_t)idx, ZIP_CM_STORE, 0) != 0) return -1;
  } else if (!part) {
    /* The method of the source, said explicitly: left to its default, libzip would deflate
     * a STORED entry; with the same method it copies the compressed bytes as they are. */
    zip_stat_t st;
    if (zip_stat_index(p->za, (zip_uint64_t)src, 0, &st) == 0 && (st.valid & ZIP_STAT_COMP_METHOD))
      (void)zip_set_file_compression(out, (zip_uint64_t)idx, (zip_int32_t)st.comp_method, 0);
    /* (a method libzip cannot write is refused here; the entry is then re-deflated) */
  } else {
    if (zip_set_file_compression(out, (zip_uint64_t)idx, ZIP_CM_DEFLATE,
                                 (zip_uint32_t)(level > 0 && level <= 9 ? level : 0)) != 0)
      return -1;
  }
  /* An entry keeps its time; a new one (a picture the fill adds) takes the time of the
   * package's first entry, so that the same fill makes the same bytes. */
  long from = src >= 0 ? src : p && p->count ? 0 : -1;
  if (from >= 0) {
    zip_stat_t st;
    if (zip_stat_index(p->za, (zip_uint64_t)from, 0, &st) == 0 && (st.valid & ZIP_STAT_MTIME))
      zip_file_set_mtime(out, (zip_uint64_t)idx, st.mtime, 0);
  } else {
    /* A package made from nothing (the ODS writer) is dated like the spreadsheets' creation
     * date, not by the clock: the same data gives the same bytes (two builds, or one build in
     * several worker processes). */
    zip_file_set_mtime(out, (zip_uint64_t)idx, NEW_ENTRY_MTIME, 0);
  }
  return 0;
}

/* The package's entries for zip/direct, found when first asked; NULL when libzip writes. */
static ZipDirect *direct_of(ZipPackage *p) {
  if (!p || !p->bytes || p->direct_state < 0) return p ? p->direct : NULL;
  if (p->direct_state > 0) return p->direct;
  time_t *mtimes = memory_calloc(p->count ? p->count : 1, sizeof *mtimes);
  if (!mtimes) return NULL; /* (asked again next time) */
  int ok = 1;
  for (size_t i = 0; i < p->count && ok; i++) {
    zip_stat_t st;
    ok = zip_stat_index(p->za, i, 0, &st) == 0 && (st.valid & ZIP_STAT_MTIME);
    if (ok) mtimes[i] = st.mtime;
  }
  p->direct = ok ? zip_direct_index(p->bytes, p->nbytes, p->names, mtimes, p->count) : NULL;
  memory_free(mtimes);
  if (!p->direct && memory_failed()) return NULL;
  p->direct_state = p->direct ? 1 : -1;
  return p->direct;
}

/* The entry written from `name`: the part, or source entry src copied (p NULL: a package of
 * new parts alone, each dated NEW_ENTRY_MTIME as add_entry dates them). */
static ZipDirectItem direct_item(ZipPackage *p, const char *name, const ZipPart *part, long src) {
  ZipDirectItem it = {name, src, NULL, 0, 0, NEW_ENTRY_MTIME};
  int is_mimetype = strcmp(name, "mimetype") == 0;
  if (part) {
    it.data = part->data;
    it.size = part->size;
    it.store = is_mimetype;
    if (src < 0) it.src = p && p->count ? 0 : -1; /* dated like the first entry (add_entry) */
  } else if (is_mimetype) {
    it.data = zip_direct_stored(p->direct, src, &it.size);
    it.store = 1;
  }
  return it;
}

/* zip_package_build through zip/direct: 0 written, 1 left to libzip, -1 out of memory. */
static int build_direct(ZipPackage *p, const ZipPart *parts, size_t nparts, int level, char **out,
                        size_t *out_size) {
  /* (a package of new parts alone, the ODS writer's, needs no source's entries) */
  ZipDirect *d = p ? direct_of(p) : NULL;
  if (p && !d) return memory_failed() ? -1 : 1;
  for (size_t k = 0; k < nparts; k++) {
    if (!zip_direct_name_ok(parts[k].name)) return 1;
    for (size_t j = 0; j < k; j++)
      if (strcmp(parts[j].name, parts[k].name) == 0) return 1; /* libzip: the last one wins */
  }
  size_t count = p ? p->count : 0;
  ZipDirectItem *items = memory_calloc(count + nparts + 1, sizeof *items);
  if (!items) return -1;
  size_t n = 0;
  static const char *const first[] = {"mimetype", "[Content_Types].xml"};
  for (size_t k = 0; k < 2; k++) {
    long src = zip_package_find(p, first[k]);
    const ZipPart *part = find_part(parts, nparts, first[k]);
    if (src >= 0 || part) items[n++] = direct_item(p, first[k], part, src);
  }
  for (size_t i = 0; i < count; i++) {
    const char *name = p->names[i];
    if (strcmp(name, first[0]) == 0 || strcmp(name, first[1]) == 0) continue;
    items[n++] = direct_item(p, name, find_part(parts, nparts, name), (long)i);
  }
  for (size_t k = 0; k < nparts; k++) {
    if (zip_package_find(p, parts[k].name) >= 0) continue;
    if (strcmp(parts[k].name, first[0]) == 0 || strcmp(parts[k].name, first[1]) == 0) continue;
    items[n++] = direct_item(p, parts[k].name, &parts[k], -1);
  }
  int rc = 0;
  for (size_t i = 0; i < n && !rc; i++)
    if (items[i].store && !items[i].data) rc = 1; /* a deflated mimetype: libzip stores it */
  if (!rc) rc = zip_direct_build(d, items, n, level, out, out_size);
  memory_free(items);
  return rc;
}

int zip_package_build(ZipPackage *p, const ZipPart *parts, size_t nparts, int level, char **out,
                      size_t *out_size, char **error) {
  int direct = build_direct(p, parts, nparts, level, out, out_size);
  if (direct == 0) return 0;
  if (direct < 0) {
    set_error(error, format_error("не удалось собрать архив в памяти"));
    return -1;
  }
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *buf = zip_source_buffer_create(NULL, 0, 0, &ze);
  zip_t *za = buf ? zip_open_from_source(buf, ZIP_TRUNCATE, &ze) : NULL;
  if (!za) {
    if (buf) zip_source_free(buf);
    note_zip_error(zip_error_code_zip(&ze));
    zip_error_fini(&ze);
    set_error(error, format_error("не хватает памяти для архива"));
    return -1;
  }
  zip_source_keep(buf);
  int failed = 0;
  /* The entries that must come first, then the rest in source order, then new ones. */
  static const char *const first[] = {"mimetype", "[Content_Types].xml"};
  for (size_t k = 0; k < 2 && !failed; k++) {
    long src = zip_package_find(p, first[k]);
    const ZipPart *part = find_part(parts, nparts, first[k]);
    if (src >= 0 || part) failed = add_entry(za, p, first[k], part, src, level) != 0;
  }
  for (size_t i = 0; p && i < p->count && !failed; i++) {
    const char *name = p->names[i];
    if (strcmp(name, first[0]) == 0 || strcmp(name, first[1]) == 0) continue;
    failed = add_entry(za, p, name, find_part(parts, nparts, name), (long)i, level) != 0;
  }
  for (size_t k = 0; k < nparts && !failed; k++) {
    if (zip_package_find(p, parts[k].name) >= 0) continue;
    if (strcmp(parts[k].name, first[0]) == 0 || strcmp(parts[k].name, first[1]) == 0) continue;
    failed = add_entry(za, p, parts[k].name, &parts[k], -1, level) != 0;
  }
  if (failed) {
    note_zip_error(zip_error_code_zip(zip_get_error(za)));
    set_error(error, format_error("не удалось собрать архив: %s", zip_strerror(za)));
    zip_discard(za);
    zip_source_free(buf);
    return -1;
  }
  if (zip_close(za) != 0) {
    note_zip_error(zip_error_code_zip(zip_get_error(za)));
    set_error(error, format_error("не удалось собрать архив: %s", zip_strerror(za)));
    zip_discard(za);
    zip_source_free(buf);
    return -1;
  }
  zip_stat_t st;
  char *data = NULL;
  zip_uint64_t got = 0;
  if (zip_source_stat(buf, &st) == 0 && (st.valid & ZIP_STAT_SIZE) && zip_source_open(buf) == 0) {
    data = memory_alloc(st.size ? st.size : 1);
    while (data && got < st.size) {
      zip_int64_t n = zip_source_read(buf, data + got, st.size - got);
      if (n <= 0) break;
      got += (zip_uint64_t)n;
    }
    zip_source_close(buf);
  }
  zip_source_free(buf);
  if (!data || got != st.size) {
    memory_free(data);
    set_error(error, format_error("не удалось собрать архив в памяти"));
    return -1;
  }
  *out = data;
  *out_size = (size_t)got;
  return 0;
}

int zip_package_write(ZipPackage *p, const char *out_path, const ZipPart *parts, size_t nparts,
                      int level, char **error) {
  char *data;
  size_t size;
  if (zip_package_build(p, parts, nparts, level, &data, &size, error) != 0) return -1;
  int rc = fileio_write_atomic(out_path, data, size);
  int saved = errno;
  memory_free(data);
  if (rc != 0) {
    set_error(error, format_error("%s: не удалось записать файл: %s", out_path,
                                  oserror_reason(saved, OSERROR_WRITING)));
    return -1;
  }
  return 0;
}
