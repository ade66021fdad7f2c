/* sheet/csv_read: a CSV file as Excel and Calc save it, read with libcsv: UTF-8 (with or
 * without a byte order mark) or Windows-1251 (what Russian Excel writes by default), fields
 * separated by ";" (Russian Excel) or "," (told by the first line), quoted fields with
 * doubled quotes and line breaks inside. Every cell is text; row numbers are the lines a
 * spreadsheet program shows, empty lines counted. */
#define _POSIX_C_SOURCE 200809L
#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "book.h"

/* Windows-1251 bytes 0x80..0xBF as Unicode (0xC0..0xFF are А..я in order). */
static const unsigned short CP1251_HIGH[64] = {
    0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021, 0x20AC, 0x2030, 0x0409,
    0x2039, 0x040A, 0x040C, 0x040B, 0x040F, 0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0xFFFD, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F, 0x00A0,
    0x040E, 0x045E, 0x0408, 0x00A4, 0x0490, 0x00A6, 0x00A7, 0x0401, 0x00A9, 0x0404, 0x00AB,
    0x00AC, 0x00AD, 0x00AE, 0x0407, 0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6,
    0x00B7, 0x0451, 0x2116, 0x0454, 0x00BB, 0x0458, 0x0405, 0x0455, 0x0457};

static int valid_utf8(const unsigned char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    size_t extra = c < 0x80             ? 0
                   : (c & 0xE0) == 0xC0 ? 1
                   : (c & 0xF0) == 0xE0 ? 2
                   : (c & 0xF8) == 0xF0 ? 3
                                        : 9;
    if (extra == 9 || c == 0xC0 || c == 0xC1 || i + extra >= n) return 0;
    for (size_t k = 1; k <= extra; k++)
      if ((s[i + k] & 0xC0) != 0x80) return 0;
    i += extra + 1;
  }
  return 1;
}

/* Windows-1251 -> malloc'd UTF-8. */
static char *from_cp1251(const unsigned char *s, size_t n, size_t *out_size) {
  char *out = malloc(n * 3 + 1);
  if (!out) return NULL;
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned code = s[i] < 0x80    ? s[i]
                    : s[i] >= 0xC0 ? 0x0410 + (s[i] - 0xC0u)
                                   : CP1251_HIGH[s[i] - 0x80];
    if (code < 0x80) {
      out[o++] = (char)code;
    } else if (code < 0x800) {
      out[o++] = (char)(0xC0 | (code >> 6));
      out[o++] = (char)(0x80 | (code & 0x3F));
    } else {
      out[o++] = (char)(0xE0 | (code >> 12));
      out[o++] = (char)(0x80 | ((code >> 6) & 0x3F));
      out[o++] = (char)(0x80 | (code & 0x3F));
    }
  }
  out[o] = '\0';
  *out_size = o;
  return out;
}

/* The separator the first lines use most, outside quotes (a title line above the table may
 * have none): ";" wins a tie (Russian Excel writes it). */
static unsigned char guess_delimiter(const char *s, size_t n) {
  size_t semicolons = 0, commas = 0, tabs = 0;
  int quoted = 0, lines = 0;
  for (size_t i = 0; i < n && lines < 10; i++) {
    char c = s[i];
    if (c == '"')
      quoted = !quoted;
    else if (!quoted && c == '\n')
      lines++;
    else if (!quoted && c == ';')
      semicolons++;
    else if (!quoted && c == ',')
      commas++;
    else if (!quoted && c == '\t')
      tabs++;
  }
  if (tabs > semicolons && tabs > commas) return '\t';
  return commas > semicolons ? ',' : ';';
}

typedef struct {
  Workbook *book;
  SheetList *list;
  const char *shown;
  char **error;
  unsigned row, column;
  int failed, fields_in_record, last_end;
} CsvState;

static void on_field(void *data, size_t len, void *state_ptr) {
  CsvState *s = state_ptr;
  s->column++;
  s->fields_in_record = 1;
  if (s->failed || len == 0 || s->column > SHEET_MAX_COLUMNS) return;
  SheetRow *row = list_row(s->list, s->row + 1);
  if (!row ||
      row_add_cell(s->book, row, s->column, SHEET_TEXT, data, len, 0, s->shown, s->error) != 0)
    s->failed = 1;
}

static void on_record(int end, void *state_ptr) {
  CsvState *s = state_ptr;
  /* "\r\n" ends one line: libcsv reports the "\n" after the "\r" as a line of its own. */
  if (end == '\n' && s->last_end == '\r' && !s->fields_in_record) {
    s->last_end = 0;
    return;
  }
  s->last_end = end;
  s->fields_in_record = 0;
  s->column = 0;
  s->row++;
  if (s->row >= SHEET_MAX_ROWS) s->failed = 1;
}

int sheet_read_csv(const char *data, size_t size, Workbook *book, const char *shown,
                   const char *list_name, char **error) {
  const unsigned char *bytes = (const unsigned char *)data;
  char *converted = NULL;
  if (size >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) {
    data += 3;
    size -= 3;
  } else if (!valid_utf8(bytes, size)) {
    converted = from_cp1251(bytes, size, &size);
    if (!converted) {
      *error = sheet_message("%s: не хватает памяти", shown);
      return -1;
    }
    data = converted;
  }
  if (memchr(data, '\0', size)) {
    free(converted);
    *error =
        sheet_message("%s: это не таблица: ни Excel (.xlsx), ни Calc (.ods), ни текст CSV", shown);
    return -1;
  }
  struct csv_parser parser;
  if (csv_init(&parser, CSV_REPALL_NL) != 0) {
    free(converted);
    *error = sheet_message("%s: не хватает памяти", shown);
    return -1;
  }
  csv_set_delim(&parser, guess_delimiter(data, size));
  CsvState state = {book, book_add_list(book, list_name, 0), shown, error, 0, 0, 0, 0, 0};
  if (!state.list) state.failed = 1;
  if (!state.failed && csv_parse(&parser, data, size, on_field, on_record, &state) != size)
    state.failed = 1;
  if (!state.failed) csv_fini(&parser, on_field, on_record, &state);
  csv_free(&parser);
  free(converted);
  if (state.failed) {
    if (!*error) *error = sheet_message("%s: текст CSV не читается (кавычки не закрыты?)", shown);
    return -1;
  }
  return 0;
}
