/* pdf_font: see pdf_font.h. */
#define _GNU_SOURCE /* memfd_create */
#include "pdf/pdf_font.h"

#include <hb-subset.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

static bool write_all(int fd, const char *data, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, data, len);
    if (n <= 0) return false;
    data += n;
    len -= (size_t)n;
  }
  return true;
}

const char *pdf_font_embed(HPDF_Doc pdf, LayoutFont *font, hb_set_t *unicodes, int *fd, char *err,
                           size_t errlen) {
  *fd = -1;
  hb_subset_input_t *input = hb_subset_input_create_or_fail();
  if (!input) {
    snprintf(err, errlen, "нет памяти для подмножества шрифта %s", font->path);
    return NULL;
  }
  hb_set_union(hb_subset_input_unicode_set(input), unicodes);
  hb_subset_input_set_flags(input, HB_SUBSET_FLAGS_NO_HINTING);
  hb_face_t *subset = hb_subset_or_fail(font->face, input);
  hb_subset_input_destroy(input);
  if (!subset) {
    snprintf(err, errlen, "не удалось выделить подмножество шрифта %s", font->path);
    return NULL;
  }
  hb_blob_t *blob = hb_face_reference_blob(subset);
  unsigned len = 0;
  const char *data = hb_blob_get_data(blob, &len);
  int mfd = memfd_create("nastavnik-font", MFD_CLOEXEC);
  bool ok = mfd >= 0 && len > 0 && write_all(mfd, data, len);
  hb_blob_destroy(blob);
  hb_face_destroy(subset);
  if (!ok) {
    if (mfd >= 0) close(mfd);
    snprintf(err, errlen, "не удалось подготовить шрифт %s для PDF", font->path);
    return NULL;
  }
  char path[64];
  snprintf(path, sizeof path, "/proc/self/fd/%d", mfd);
  const char *name = HPDF_LoadTTFontFromFile(pdf, path, HPDF_TRUE);
  if (!name) {
    close(mfd);
    snprintf(err, errlen, "libharu не принял шрифт %s", font->path);
    return NULL;
  }
  *fd = mfd;
  return name;
}
