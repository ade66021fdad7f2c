/* Unit test of generator/zip/package.c: reading entries, and writing a package where the
 * special entries come first ("mimetype" STORED even when the source deflated it), replaced
 * and new entries come from memory, and untouched ones keep their compressed bytes. A package
 * opened from memory is written by zip/direct.c, one opened from a file by libzip: for the
 * stock templates and the awkward packages made here both give the same entries, headers and
 * unpacked bytes (zip/direct deflates with libdeflate, libzip with zlib). */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "zip/igzip.h"
#include "zip/package.h"

static int failures;
#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      failures++;                                                              \
    }                                                                          \
  } while (0)

static void add(zip_t *za, const char *name, const char *text, zip_int32_t method) {
  zip_source_t *s = zip_source_buffer(za, text, strlen(text), 0);
  zip_int64_t i = zip_file_add(za, name, s, ZIP_FL_ENC_UTF_8);
  zip_set_file_compression(za, (zip_uint64_t)i, method, 1);
}

static char *slurp(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  char *data = NULL;
  size_t cap = 0, n = 0, got;
  do {
    if (n == cap) data = realloc(data, cap = cap ? cap * 2 : 65536);
    got = fread(data + n, 1, cap - n, f);
    n += got;
  } while (got > 0);
  fclose(f);
  *size = n;
  return data;
}

/* Entry i of archive za inflated (malloc'd), *size bytes; NULL when it cannot be read. */
static char *entry_bytes(zip_t *za, zip_uint64_t i, zip_uint64_t size) {
  char *data = malloc(size + 1);
  zip_file_t *f = zip_fopen_index(za, i, 0);
  zip_int64_t got = f && data ? zip_fread(f, data, size) : -1;
  if (f) zip_fclose(f);
  if (got != (zip_int64_t)size) {
    free(data);
    return NULL;
  }
  return data;
}

/* Whether archives a and b hold the same entries: names, order, methods, times, attributes,
 * CRCs and unpacked bytes; an entry not in `filled` also the same compressed size (copied as
 * it is). */
static int same_entries(const char *a, size_t na, const char *b, size_t nb, const ZipPart *filled,
                        size_t nfilled) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t *sa = zip_source_buffer_create(a, na, 0, &err);
  zip_source_t *sb = zip_source_buffer_create(b, nb, 0, &err);
  zip_t *za = sa ? zip_open_from_source(sa, ZIP_RDONLY | ZIP_CHECKCONS, &err) : NULL;
  zip_t *zb = sb ? zip_open_from_source(sb, ZIP_RDONLY | ZIP_CHECKCONS, &err) : NULL;
  int same = za && zb && zip_get_num_entries(za, 0) == zip_get_num_entries(zb, 0);
  for (zip_int64_t i = 0; same && i < zip_get_num_entries(za, 0); i++) {
    zip_stat_t x, y;
    zip_uint8_t ox, oy;
    zip_uint32_t ax, ay;
    same = zip_stat_index(za, (zip_uint64_t)i, 0, &x) == 0 &&
           zip_stat_index(zb, (zip_uint64_t)i, 0, &y) == 0 && strcmp(x.name, y.name) == 0 &&
           x.comp_method == y.comp_method && x.mtime == y.mtime && x.crc == y.crc &&
           x.size == y.size &&
           zip_file_get_external_attributes(za, (zip_uint64_t)i, 0, &ox, &ax) == 0 &&
           zip_file_get_external_attributes(zb, (zip_uint64_t)i, 0, &oy, &ay) == 0 && ox == oy &&
           ax == ay;
    int replaced = 0;
    for (size_t k = 0; same && k < nfilled; k++) replaced |= strcmp(filled[k].name, x.name) == 0;
    if (same && !replaced) same = x.comp_size == y.comp_size;
    char *dx = same ? entry_bytes(za, (zip_uint64_t)i, x.size) : NULL;
    char *dy = same ? entry_bytes(zb, (zip_uint64_t)i, y.size) : NULL;
    same = same && dx && dy && memcmp(dx, dy, x.size) == 0;
    free(dx);
    free(dy);
  }
  if (za) zip_discard(za);
  else if (sa) zip_source_free(sa);
  if (zb) zip_discard(zb);
  else if (sb) zip_source_free(sb);
  return same;
}

/* The package at path written with its first entry but "mimetype" replaced and a part added,
 * once through libzip (opened from the file) and once through zip/direct (from memory): the
 * same entries. */
static void same_both_ways(const char *path) {
  size_t size;
  char *bytes = slurp(path, &size);
  char *error = NULL;
  ZipPackage *disk = zip_package_open(path, &error), *memory = NULL;
  if (bytes) memory = zip_package_open_memory(path, bytes, size, &error);
  CHECK(disk && memory);
  if (!disk || !memory) return;
  const char *name = zip_package_name(disk, 0);
  if (strcmp(name, "mimetype") == 0 && zip_package_count(disk) > 1)
    name = zip_package_name(disk, 1);
  static char filled[50000];
  for (size_t i = 0; i + 1 < sizeof filled; i++) filled[i] = "<w:t>Заполнено {x}</w:t>\n"[i % 28];
  ZipPart parts[] = {{name, filled, sizeof filled - 1}, {"media/new.xml", "<new/>", 6}};
  for (int level = 1; level <= 9; level += 8) {
    char *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;
    CHECK(zip_package_build(disk, parts, 2, level, &a, &na, &error) == 0);
    CHECK(zip_package_build(memory, parts, 2, level, &b, &nb, &error) == 0);
    if (!(a && b && same_entries(a, na, b, nb, parts, 2))) {
      fprintf(stderr, "%s (level %d): libzip and zip/direct differ\n", path, level);
      failures++;
    }
    free(a);
    free(b);
  }
  zip_package_close(disk);
  zip_package_close(memory);
  free(bytes);
}

/* Packages zip/direct copies or leaves to libzip: stored and empty entries, a folder, an extra
 * field, a comment, a deflated "mimetype" not first, a name that is not ASCII. */
static void awkward_packages(const char *dir) {
  static const char *const kinds[] = {"plain", "extra", "mimetype", "utf8"};
  for (int k = 0; k < 4; k++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/zip-awkward-%s.odt", dir, kinds[k]);
    int err;
    zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    CHECK(za != NULL);
    if (!za) continue;
    if (k != 2) add(za, "mimetype", "application/vnd.oasis.opendocument.text", ZIP_CM_STORE);
    add(za, "content.xml", "<office:document-content/>", ZIP_CM_DEFLATE);
    add(za, "empty.xml", "", ZIP_CM_STORE);
    add(za, "Pictures/logo.png", "PNG...", ZIP_CM_STORE);
    zip_dir_add(za, "Configurations2/", ZIP_FL_ENC_UTF_8);
    if (k == 1) {
      zip_file_extra_field_set(za, 1, 0x5455, 0, (const zip_uint8_t *)"\1abcd", 5, ZIP_FL_LOCAL);
      zip_file_set_comment(za, 1, "комментарий", (zip_uint16_t)strlen("комментарий"), 0);
      zip_set_archive_comment(za, "archive", 7);
    }
    if (k == 2) add(za, "mimetype", "application/vnd.oasis.opendocument.text", ZIP_CM_DEFLATE);
    if (k == 3) add(za, "Картинки/лого.png", "PNG...", ZIP_CM_DEFLATE);
    for (zip_int64_t i = 0; i < zip_get_num_entries(za, 0); i++)
      zip_file_set_mtime(za, (zip_uint64_t)i, (time_t)1700000000 + i * 3600, 0);
    CHECK(zip_close(za) == 0);
    same_both_ways(path);
    remove(path);
  }
}

/* Every stock template of the folder given. */
static void stock_templates(const char *dir) {
  DIR *d = opendir(dir);
  CHECK(d != NULL);
  if (!d) return;
  int seen = 0;
  for (struct dirent *e; (e = readdir(d)) != NULL;) {
    size_t n = strlen(e->d_name);
    if (n < 5 || (strcmp(e->d_name + n - 5, ".docx") != 0 && strcmp(e->d_name + n - 4, ".odt")))
      continue;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    same_both_ways(path);
    seen++;
  }
  closedir(d);
  CHECK(seen >= 10);
}

/* igzip_deflate gives the same bytes whatever the stack held before (its stream is on the
 * stack and only partly zeroed: what is left, the window buffer, must never be read by a
 * stateless call). The stack below is filled with a pattern between the calls. (On the
 * machine this was written on, ISA-L 2.30's level 0 gave the same bytes even from a stream
 * left wholly unzeroed: this guards the other code paths ISA-L picks per CPU.) */
static __attribute__((noinline)) void dirty_stack(unsigned char pattern) {
  volatile unsigned char junk[200000];
  for (size_t i = 0; i < sizeof junk; i++) junk[i] = (unsigned char)(pattern + i * 7);
}

static void igzip_deterministic(void) {
  static unsigned char text[70000], first[80000], again[80000];
  for (size_t i = 0; i < sizeof text; i++)
    text[i] = (unsigned char)"<w:p><w:r><w:t>Согласие</w:t></w:r></w:p>\n"[(i * i / 97) % 48];
  size_t sizes[] = {0, 1, 100, 5000, 33000, sizeof text};
  for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
    for (int zlib = 0; zlib < 2; zlib++) {
      dirty_stack(0x11);
      size_t a = igzip_deflate(text, sizes[k], first, sizeof first, zlib);
      dirty_stack(0xA5);
      size_t b = igzip_deflate(text, sizes[k], again, sizeof again, zlib);
      CHECK(a > 0 && a == b && memcmp(first, again, a) == 0);
    }
  }
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : ".";
  igzip_deterministic();
  char src[4096], out[4096], junk[4096];
  snprintf(src, sizeof src, "%s/zip-src.odt", dir);
  snprintf(out, sizeof out, "%s/zip-out.odt", dir);
  snprintf(junk, sizeof junk, "%s/zip-junk.odt", dir);

  /* a badly made ODT: mimetype deflated and not first */
  static char big[20000];
  for (size_t i = 0; i + 1 < sizeof big; i++) big[i] = "<p>текст шаблона</p>\n"[i % 21];
  int err;
  zip_t *za = zip_open(src, ZIP_CREATE | ZIP_TRUNCATE, &err);
  CHECK(za != NULL);
  add(za, "styles.xml", big, ZIP_CM_DEFLATE);
  add(za, "content.xml", "<old/>", ZIP_CM_DEFLATE);
  add(za, "mimetype", "application/vnd.oasis.opendocument.text", ZIP_CM_DEFLATE);
  add(za, "Pictures/logo.png", "PNG...", ZIP_CM_STORE);
  CHECK(zip_close(za) == 0);

  char *error = NULL;
  ZipPackage *p = zip_package_open(src, &error);
  CHECK(p != NULL);
  CHECK(zip_package_count(p) == 4);
  CHECK(zip_package_find(p, "content.xml") == 1);
  CHECK(zip_package_find(p, "nope") == -1);
  size_t size;
  char *data = zip_package_read(p, 1, &size, &error);
  CHECK(data && size == 6 && strcmp(data, "<old/>") == 0);
  free(data);

  ZipPart parts[] = {{"content.xml", "<new/>", 6}, {"added.xml", "<added/>", 8}};
  CHECK(zip_package_write(p, out, parts, 2, 1, &error) == 0);
  zip_package_close(p);

  zip_t *a = zip_open(src, ZIP_RDONLY, &err), *b = zip_open(out, ZIP_RDONLY, &err);
  CHECK(a && b);
  const char *order[] = {"mimetype", "styles.xml", "content.xml", "Pictures/logo.png", "added.xml"};
  CHECK(zip_get_num_entries(b, 0) == 5);
  for (int i = 0; i < 5; i++) CHECK(strcmp(zip_get_name(b, (zip_uint64_t)i, 0), order[i]) == 0);
  zip_stat_t sa, sb;
  zip_stat(b, "mimetype", 0, &sb);
  CHECK(sb.comp_method == ZIP_CM_STORE);
  /* untouched: the same compressed bytes (the source deflated styles.xml at level 1) */
  zip_stat(a, "styles.xml", 0, &sa);
  zip_stat(b, "styles.xml", 0, &sb);
  CHECK(sa.comp_size == sb.comp_size && sa.crc == sb.crc && sb.comp_method == ZIP_CM_DEFLATE);
  zip_stat(a, "Pictures/logo.png", 0, &sa);
  zip_stat(b, "Pictures/logo.png", 0, &sb);
  CHECK(sb.comp_method == ZIP_CM_STORE && sa.comp_size == sb.comp_size);
  char buf[16] = {0};
  zip_file_t *f = zip_fopen(b, "content.xml", 0);
  CHECK(f && zip_fread(f, buf, sizeof buf - 1) == 6 && strcmp(buf, "<new/>") == 0);
  zip_fclose(f);
  zip_discard(a);
  zip_discard(b);

  /* errors a person can act on */
  CHECK(zip_package_open("/nonexistent/x.docx", &error) == NULL);
  CHECK(error && strstr(error, "нет такого файла"));
  free(error);
  FILE *j = fopen(junk, "w");
  fputs("не архив", j);
  fclose(j);
  CHECK(zip_package_open(junk, &error) == NULL);
  CHECK(error && strstr(error, "не zip-архив"));
  free(error);
  /* writing where it cannot: an error, and no file */
  p = zip_package_open(src, &error);
  CHECK(zip_package_write(p, "/nonexistent/dir/out.odt", NULL, 0, 1, &error) == -1);
  CHECK(error && strstr(error, "не удалось записать файл"));
  free(error);
  zip_package_close(p);
  remove(src);
  remove(out);
  remove(junk);
  awkward_packages(dir);
  if (argc > 2) stock_templates(argv[2]);
  if (failures) {
    fprintf(stderr, "%d checks failed\n", failures);
    return 1;
  }
  puts("zip: all checks hold");
  return 0;
}
