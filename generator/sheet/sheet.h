/*
 * sheet: spreadsheets in and out, with no idea of what their cells mean.
 *
 * Reading (sheet_read): an XLSX as Excel writes it, an ODS as LibreOffice writes it, or a CSV
 * (UTF-8 or Windows-1251, ";" or ",") becomes a Workbook: its lists (sheets), each a set of
 * rows of typed cells, with merged ranges and hidden rows. Dates come out as ISO dates
 * whatever the file stores (Excel's serial numbers in the 1900 or 1904 system, ODF's
 * date-value); formulas give their cached values; merged and covered cells stay empty (the
 * ranges say which). Every input is untrusted: parts are refused by their declared size
 * before they are inflated (a zip bomb named .xlsx is an error, not a full memory), the
 * number of cells is capped, XML is read as a stream without entities or network.
 *
 * Writing (sheet_write_xlsx through libxlsxwriter, sheet_write_ods through libxml2 and zip):
 * a SheetBook of lists with column widths, a frozen header, drop-down lists (data
 * validation), text, numbers, dates and formulas with their cached values. Outputs reach
 * the disk whole or not at all (a temporary name, then rename).
 *
 * Errors are Russian messages, malloc'd, owned by the caller.
 */
#ifndef NASTAVNIK_SHEET_H
#define NASTAVNIK_SHEET_H

#include <stddef.h>

/* ---- Reading ---------------------------------------------------------------------------- */

typedef enum {
  SHEET_TEXT,    /* text: UTF-8 */
  SHEET_NUMBER,  /* number */
  SHEET_DATE,    /* text: "YYYY-MM-DD"; number: the serial number when the file had one */
  SHEET_BOOL,    /* number: 0 or 1 */
  SHEET_ERROR,   /* text: the error as the file shows it ("#N/A") */
  SHEET_FORMULA, /* a formula without a cached value; text: the formula */
} SheetCellType;

typedef struct {
  unsigned column; /* 1-based */
  SheetCellType type;
  char *text;
  double number;
} SheetCell;

typedef struct {
  unsigned number; /* 1-based, as the program shows it */
  int hidden;
  SheetCell *cells; /* by column, ascending; empty cells are absent */
  size_t count, capacity;
} SheetRow;

typedef struct {
  unsigned first_row, first_column, last_row, last_column;
} SheetRange;

typedef struct {
  char *name;
  int hidden;
  SheetRow *rows; /* ascending; rows without cells are absent */
  size_t count, capacity;
  SheetRange *merged;
  size_t merged_count, merged_capacity;
} SheetList;

typedef struct {
  const char *format; /* "xlsx", "ods" or "csv" */
  SheetList *lists;
  size_t count, capacity;
  size_t cells; /* all cells read, for the cap */
} Workbook;

/* Reads the file at path; the format is told by its bytes (a zip holding xl/workbook.xml or
 * an ODF spreadsheet; else text read as CSV when the name ends in .csv). `shown` is the name
 * messages use for the file. Returns NULL and *error on failure. */
Workbook *sheet_read(const char *path, const char *shown, char **error);
void sheet_free(Workbook *book);

/* ---- Writing ---------------------------------------------------------------------------- */

typedef enum { OUT_EMPTY, OUT_TEXT, OUT_NUMBER, OUT_DATE, OUT_FORMULA } SheetOutType;

typedef struct {
  SheetOutType type;
  const char *text; /* OUT_TEXT: the text; OUT_DATE: "YYYY-MM-DD"; OUT_FORMULA: "SUM(C3:C9)" */
  double number;    /* OUT_NUMBER; OUT_FORMULA: the cached value */
} SheetOutCell;

typedef enum { ROW_PLAIN, ROW_HEADER, ROW_TITLE, ROW_TOTAL } SheetRowStyle;

typedef struct {
  SheetRowStyle style;
  const SheetOutCell *cells;
  size_t count;
} SheetOutRow;

/* A drop-down list on a column, rows first_row..last_row (1-based): either fixed choices or
 * a range of another list ("Справочник", column, rows). */
typedef struct {
  unsigned column, first_row, last_row;
  const char *const *choices;
  size_t choice_count;
  const char *source_list; /* when not NULL: the choices are source_list!A{from}:A{to} */
  unsigned source_column, source_from, source_to;
  const char *title, *message; /* the hint shown on entering the cell (may be NULL) */
} SheetValidation;

typedef struct {
  double width; /* in characters */
  int date;     /* empty cells of the column take dates (formatted ДД.ММ.ГГГГ) */
} SheetOutColumn;

typedef struct {
  const char *name;
  int hidden;
  const SheetOutColumn *columns;
  size_t column_count;
  unsigned frozen_rows; /* rows kept in view when scrolling (the header) */
  int landscape;
  const SheetOutRow *rows;
  size_t row_count;
  const SheetRange *merged;
  size_t merged_count;
  const SheetValidation *validations;
  size_t validation_count;
} SheetOutList;

typedef struct {
  const char *title;
  const SheetOutList *lists;
  size_t count;
} SheetBook;

/* Writes the book to path (atomically). Returns 0, or -1 and *error. */
int sheet_write_xlsx(const SheetBook *book, const char *path, char **error);
int sheet_write_ods(const SheetBook *book, const char *path, char **error);

#endif
