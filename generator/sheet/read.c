/* sheet/read: sheet_read (see sheet.h) — which format a file is, told by its bytes. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "book.h"
#include "fileio.h"

#define MAX_FILE_SIZE ((size_t)64 << 20)
#define ODS_MIMETYPE "application/vnd.oasis.opendocument.spreadsheet"

static int ends_with(const char *s, const char *suffix) {
  size_t a = strlen(s), b = strlen(suffix);
  return a >= b && strcasecmp(s + a - b, suffix) == 0;
}

/* The file's name without folder and extension: the list name of a CSV. */
static char *base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  const char *name = slash ? slash + 1 : path;
  const char *dot = strrchr(name, '.');
  return sheet_message("%.*s", (int)(dot && dot > name ? dot - name : (long)strlen(name)), name);
}

static int read_package(const char *path, const char *shown, Workbook *book, char **error) {
  char *zip_error = NULL;
  ZipPackage *zip = zip_package_open(path, &zip_error);
  if (!zip) {
    *error = sheet_message("%s: таблица повреждена (не открывается как архив xlsx/ods)", shown);
    free(zip_error);
    return -1;
  }
  SheetZip z = {zip, shown, 0};
  int rc;
  size_t size = 0;
  char *mimetype = sheet_zip_part(&z, "mimetype", 0, &size, error);
  if (*error) {
    rc = -1;
  } else if (mimetype && strncmp(mimetype, ODS_MIMETYPE, strlen(ODS_MIMETYPE)) == 0 &&
             size == strlen(ODS_MIMETYPE)) {
    book->format = "ods";
    rc = sheet_read_ods(&z, book, error);
  } else if (zip_package_find(zip, "[Content_Types].xml") >= 0) {
    book->format = "xlsx";
    rc = sheet_read_xlsx(&z, book, error);
  } else {
    *error = sheet_message(
        "%s: это не таблица: архив, но не книга Excel (.xlsx) и не таблица "
        "Calc (.ods)%s",
        shown, mimetype ? " (похоже на другой документ OpenDocument)" : "");
    rc = -1;
  }
  free(mimetype);
  zip_package_close(zip);
  return rc;
}

/* Rows that only said they were hidden, with no cell, are no rows at all. */
static void drop_empty_rows(Workbook *book) {
  for (size_t i = 0; i < book->count; i++) {
    SheetList *list = &book->lists[i];
    size_t kept = 0;
    for (size_t k = 0; k < list->count; k++) {
      if (list->rows[k].count == 0) {
        free(list->rows[k].cells);
        continue;
      }
      list->rows[kept++] = list->rows[k];
    }
    list->count = kept;
  }
}

Workbook *sheet_read(const char *path, const char *shown, char **error) {
  *error = NULL;
  size_t size;
  char *data = fileio_read(path, MAX_FILE_SIZE, &size);
  if (!data) {
    int err = errno;
    *error = sheet_message("%s: %s", shown,
                           err == ENOENT ? "нет такого файла (таблицы ищутся рядом с описанием)"
                           : err == EISDIR ? "это папка, а не таблица"
                           : err == EFBIG ? "файл больше 64 МБ: это не таблица пар и людей"
                                          : strerror(err));
    return NULL;
  }
  Workbook *book = calloc(1, sizeof *book);
  int rc = -1;
  if (!book) {
    *error = sheet_message("%s: не хватает памяти", shown);
  } else if (size >= 4 && memcmp(data, "PK\003\004", 4) == 0) {
    rc = read_package(path, shown, book, error);
  } else if (size >= 4 && memcmp(data, "\xD0\xCF\x11\xE0", 4) == 0) {
    *error = sheet_message(
        "%s: это книга Excel старого формата (.xls); откройте её в Excel или "
        "Calc и сохраните как «Книга Excel (.xlsx)» или «Таблица ODF (.ods)»",
        shown);
  } else if (ends_with(path, ".csv") || ends_with(path, ".txt")) {
    book->format = "csv";
    char *name = base_name(shown);
    rc = name ? sheet_read_csv(data, size, book, shown, name, error) : -1;
    free(name);
  } else {
    *error = sheet_message(
        "%s: это не таблица: ни книга Excel (.xlsx), ни таблица Calc (.ods), "
        "ни текст CSV",
        shown);
  }
  free(data);
  if (rc != 0) {
    if (!*error) *error = sheet_message("%s: не хватает памяти", shown);
    sheet_free(book);
    return NULL;
  }
  drop_empty_rows(book);
  return book;
}
