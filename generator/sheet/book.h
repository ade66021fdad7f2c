/*
 * sheet/book: what the three readers share — building a Workbook under the caps, Russian
 * error messages, Excel's serial dates, reading the parts of a zip package within the
 * size limits, and the small helpers over libxml2's stream reader.
 */
#ifndef NASTAVNIK_SHEET_BOOK_H
#define NASTAVNIK_SHEET_BOOK_H

#include <libxml/xmlreader.h>
#include <stddef.h>

#include "sheet.h"
#include "zip/package.h"

/* Caps on what a spreadsheet of pairs may hold (a school's has a few hundred cells). */
#define SHEET_MAX_CELLS 1000000u
#define SHEET_MAX_ROWS 1048576u
#define SHEET_MAX_COLUMNS 16384u
#define SHEET_MAX_TEXT ((size_t)1 << 20)
/* Inflated sizes, checked against what the zip declares before anything is inflated. */
#define SHEET_MAX_PART ((size_t)64 << 20)
#define SHEET_MAX_TOTAL ((size_t)128 << 20)

/* A malloc'd message from a printf format; never NULL unless memory is gone. */
char *sheet_message(const char *fmt, ...);

SheetList *book_add_list(Workbook *book, const char *name, int hidden);
/* The row with that number, added at its place if missing; NULL when out of memory. */
SheetRow *list_row(SheetList *list, unsigned number);
/* Adds a cell (text copied, `len` bytes). Returns 0, or -1 with *error (the cap on cells). */
int row_add_cell(Workbook *book, SheetRow *row, unsigned column, SheetCellType type,
                 const char *text, size_t len, double number, const char *shown, char **error);
int list_add_merged(SheetList *list, SheetRange range);

/* A growing text buffer (always NUL-terminated once anything was appended). */
typedef struct {
  char *data;
  size_t length, capacity;
} SheetText;
int sheet_text_append(SheetText *text, const char *bytes, size_t length);
void sheet_text_clear(SheetText *text);
void sheet_text_free(SheetText *text);

/* Excel's serial number of a day -> "YYYY-MM-DD" (the 1900 system with its 29 February 1900,
 * or the 1904 system). Returns 0, or -1 for a number that is not a date. */
int sheet_serial_to_iso(double serial, int date1904, char out[11]);

/* The parts of a zip package read for one workbook, with the running total of their sizes. */
typedef struct {
  ZipPackage *zip;
  const char *shown;
  size_t total;
} SheetZip;

/* Reads the entry `name` whole; NULL with *error when it is missing (when `required`), or too
 * large by its declared size (alone or with the parts read before). Missing and not
 * required: NULL and *error left NULL. */
char *sheet_zip_part(SheetZip *z, const char *name, int required, size_t *size, char **error);

/* An XML stream reader over memory: no network, no entities loaded. */
xmlTextReaderPtr sheet_xml_reader(const char *data, size_t size, const char *url);
/* The value of the attribute with that local name (any namespace), malloc'd by libxml2 (free
 * with xmlFree), or NULL. */
char *sheet_xml_attribute(xmlTextReaderPtr reader, const char *local_name);
/* Is the reader on an element start (or end) with that local name? */
int sheet_xml_is(xmlTextReaderPtr reader, int type, const char *local_name);
/* "A1"-style reference -> row and column (1-based); column only when the digits are absent.
 * Returns 0 or -1. */
int sheet_parse_reference(const char *ref, unsigned *row, unsigned *column);

/* The readers of each format; each fills `book`. */
int sheet_read_xlsx(SheetZip *z, Workbook *book, char **error);
int sheet_read_ods(SheetZip *z, Workbook *book, char **error);
int sheet_read_csv(const char *data, size_t size, Workbook *book, const char *shown,
                   const char *list_name, char **error);

#endif
