/* Unit test of generator/zip/package.c: reading entries, and writing a package where the
 * special entries come first ("mimetype" STORED even when the source deflated it), replaced
 * and new entries come from memory, and untouched ones keep their compressed bytes. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

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

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : ".";
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
  if (failures) {
    fprintf(stderr, "%d checks failed\n", failures);
    return 1;
  }
  puts("zip: all checks hold");
  return 0;
}
