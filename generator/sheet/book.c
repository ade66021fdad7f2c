/* sheet/book: see book.h. */
#define _POSIX_C_SOURCE 200809L
#include "book.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *sheet_message(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) return NULL;
  char *s = malloc((size_t)n + 1);
  if (!s) return NULL;
  va_start(ap, fmt);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return s;
}

/* Grows an array of `size`-byte items to hold one more; 0 or -1. */
static int grow(void **items, size_t *capacity, size_t count, size_t size) {
  if (count < *capacity) return 0;
  size_t wanted = *capacity ? *capacity * 2 : 8;
  void *bigger = realloc(*items, wanted * size);
  if (!bigger) return -1;
  *items = bigger;
  *capacity = wanted;
  return 0;
}

SheetList *book_add_list(Workbook *book, const char *name, int hidden) {
  if (grow((void **)&book->lists, &book->capacity, book->count, sizeof *book->lists) != 0)
    return NULL;
  SheetList *list = &book->lists[book->count];
  memset(list, 0, sizeof *list);
  list->name = strdup(name ? name : "");
  if (!list->name) return NULL;
  list->hidden = hidden;
  book->count++;
  return list;
}

SheetRow *list_row(SheetList *list, unsigned number) {
  if (list->count > 0 && list->rows[list->count - 1].number == number)
    return &list->rows[list->count - 1];
  size_t at = list->count;
  if (list->count > 0 && list->rows[list->count - 1].number > number) {
    /* rows out of order (allowed by the formats, rare): find the place */
    at = 0;
    while (at < list->count && list->rows[at].number < number) at++;
    if (at < list->count && list->rows[at].number == number) return &list->rows[at];
  }
  if (grow((void **)&list->rows, &list->capacity, list->count, sizeof *list->rows) != 0)
    return NULL;
  memmove(&list->rows[at + 1], &list->rows[at], (list->count - at) * sizeof *list->rows);
  memset(&list->rows[at], 0, sizeof *list->rows);
  list->rows[at].number = number;
  list->count++;
  return &list->rows[at];
}

int row_add_cell(Workbook *book, SheetRow *row, unsigned column, SheetCellType type,
                 const char *text, size_t len, double number, const char *shown, char **error) {
  if (book->cells >= SHEET_MAX_CELLS) {
    *error = sheet_message(
        "%s: в таблице больше %u заполненных ячеек; так много пар и людей "
        "не бывает — проверьте, тот ли это файл",
        shown, SHEET_MAX_CELLS);
    return -1;
  }
  if (len > SHEET_MAX_TEXT) {
    *error = sheet_message("%s: строка %u: в ячейке больше %zu байт текста", shown, row->number,
                           SHEET_MAX_TEXT);
    return -1;
  }
  if (grow((void **)&row->cells, &row->capacity, row->count, sizeof *row->cells) != 0) goto oom;
  size_t at = row->count;
  while (at > 0 && row->cells[at - 1].column >= column) at--;
  if (at < row->count && row->cells[at].column == column) {
    /* the same cell twice: the later wins */
    free(row->cells[at].text);
  } else {
    memmove(&row->cells[at + 1], &row->cells[at], (row->count - at) * sizeof *row->cells);
    row->count++;
    book->cells++;
  }
  SheetCell *cell = &row->cells[at];
  cell->column = column;
  cell->type = type;
  cell->number = number;
  cell->text = NULL;
  if (text) {
    cell->text = malloc(len + 1);
    if (!cell->text) goto oom;
    memcpy(cell->text, text, len);
    cell->text[len] = '\0';
  }
  return 0;
oom:
  *error = sheet_message("%s: не хватает памяти", shown);
  return -1;
}

int list_add_merged(SheetList *list, SheetRange range) {
  if (grow((void **)&list->merged, &list->merged_capacity, list->merged_count,
           sizeof *list->merged) != 0)
    return -1;
  list->merged[list->merged_count++] = range;
  return 0;
}

void sheet_free(Workbook *book) {
  if (!book) return;
  for (size_t i = 0; i < book->count; i++) {
    SheetList *list = &book->lists[i];
    for (size_t r = 0; r < list->count; r++) {
      for (size_t c = 0; c < list->rows[r].count; c++) free(list->rows[r].cells[c].text);
      free(list->rows[r].cells);
    }
    free(list->rows);
    free(list->merged);
    free(list->name);
  }
  free(book->lists);
  free(book);
}

int sheet_text_append(SheetText *text, const char *bytes, size_t length) {
  if (text->length + length + 1 > text->capacity) {
    size_t wanted = text->capacity ? text->capacity : 64;
    while (wanted < text->length + length + 1) wanted *= 2;
    char *bigger = realloc(text->data, wanted);
    if (!bigger) return -1;
    text->data = bigger;
    text->capacity = wanted;
  }
  memcpy(text->data + text->length, bytes, length);
  text->length += length;
  text->data[text->length] = '\0';
  return 0;
}

void sheet_text_clear(SheetText *text) {
  text->length = 0;
  if (text->data) text->data[0] = '\0';
}

void sheet_text_free(SheetText *text) {
  free(text->data);
  memset(text, 0, sizeof *text);
}

/* Days since 1970-01-01 -> civil date (Howard Hinnant's algorithm). */
static void civil_from_days(long long z, int *y, unsigned *m, unsigned *d) {
  z += 719468;
  long long era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = (unsigned)(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long long year = (long long)yoe + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = (int)(year + (*m <= 2));
}

int sheet_serial_to_iso(double serial, int date1904, char out[11]) {
  if (!isfinite(serial) || serial < 0 || serial > 2958465) return -1; /* up to 9999-12-31 */
  long long day = (long long)floor(serial);
  int y;
  unsigned m, d;
  if (date1904) {
    civil_from_days(day - 24107, &y, &m, &d); /* 1904-01-01 is day 24107 before 1970 */
  } else {
    if (day == 0) return -1;
    /* Excel counts a 29 February 1900 that never was (as Lotus 1-2-3 did): serial 60. */
    if (day == 60) {
      memcpy(out, "1900-02-29", 11);
      return 0;
    }
    if (day < 60) day++;
    civil_from_days(day - 25569, &y, &m, &d); /* serial 25569 is 1970-01-01 */
  }
  snprintf(out, 11, "%04d-%02u-%02u", y, m, d);
  return 0;
}

char *sheet_zip_part(SheetZip *z, const char *name, int required, size_t *size, char **error) {
  long index = zip_package_find(z->zip, name);
  if (index < 0) {
    if (required)
      *error =
          sheet_message("%s: это не таблица Excel или Calc: в архиве нет части %s", z->shown, name);
    return NULL;
  }
  long long declared = zip_package_size(z->zip, (size_t)index);
  if (declared < 0 || (unsigned long long)declared > SHEET_MAX_PART ||
      z->total + (size_t)declared > SHEET_MAX_TOTAL) {
    *error = sheet_message(
        "%s: файл не похож на таблицу: его часть %s в распакованном виде больше %zu МБ (так "
        "бывает с архивом-«бомбой»); таблица не прочитана",
        z->shown, name,
        (declared >= 0 && (size_t)declared > SHEET_MAX_PART ? SHEET_MAX_PART : SHEET_MAX_TOTAL) >>
            20);
    return NULL;
  }
  char *zip_error = NULL;
  char *data = zip_package_read(z->zip, (size_t)index, size, &zip_error);
  if (!data) {
    *error = sheet_message("%s: таблица повреждена (%s)", z->shown,
                           zip_error ? zip_error : "часть не читается");
    free(zip_error);
    return NULL;
  }
  z->total += *size;
  return data;
}

xmlTextReaderPtr sheet_xml_reader(const char *data, size_t size, const char *url) {
  if (size > (size_t)0x7fffffff) return NULL;
  return xmlReaderForMemory(data, (int)size, url, NULL,
                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

char *sheet_xml_attribute(xmlTextReaderPtr reader, const char *local_name) {
  char *value = NULL;
  if (xmlTextReaderMoveToFirstAttribute(reader) != 1) return NULL;
  do {
    const xmlChar *name = xmlTextReaderConstLocalName(reader);
    if (name && strcmp((const char *)name, local_name) == 0) {
      value = (char *)xmlTextReaderValue(reader);
      break;
    }
  } while (xmlTextReaderMoveToNextAttribute(reader) == 1);
  xmlTextReaderMoveToElement(reader);
  return value;
}

int sheet_xml_is(xmlTextReaderPtr reader, int type, const char *local_name) {
  if (xmlTextReaderNodeType(reader) != type) return 0;
  const xmlChar *name = xmlTextReaderConstLocalName(reader);
  return name && strcmp((const char *)name, local_name) == 0;
}

int sheet_parse_reference(const char *ref, unsigned *row, unsigned *column) {
  const char *p = ref;
  unsigned long c = 0, r = 0;
  if (*p == '$') p++;
  while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')) {
    c = c * 26 + (unsigned long)((*p | 0x20) - 'a' + 1);
    if (c > SHEET_MAX_COLUMNS) return -1;
    p++;
  }
  if (*p == '$') p++;
  while (*p >= '0' && *p <= '9') {
    r = r * 10 + (unsigned long)(*p - '0');
    if (r > SHEET_MAX_ROWS) return -1;
    p++;
  }
  if (*p != '\0' || c == 0) return -1;
  *column = (unsigned)c;
  *row = (unsigned)r;
  return 0;
}
