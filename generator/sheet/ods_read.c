/* sheet/ods_read: an ODF spreadsheet (content.xml) as LibreOffice writes it: tables in
 * order, rows and cells repeated (the thousands of empty ones at the end are counted, never
 * made), covered cells of merged ranges, office:value-type with office:value and
 * office:date-value, the text of text:p (paragraphs as lines, text:s spaces, tabs, breaks;
 * annotations left out), rows hidden (table:visibility). */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "book.h"

typedef struct {
  Workbook *book;
  SheetList *list;
  const char *shown;
  unsigned row, column; /* the row being read (1-based) and the last column used */
  int row_hidden;
  unsigned long rows_repeated;
} Reader;

/* The text of a cell: its paragraphs joined with line breaks. The reader stands on the
 * cell's start element (not empty); it is left on its end. */
static int cell_text(xmlTextReaderPtr reader, SheetText *t) {
  int depth = xmlTextReaderDepth(reader), paragraphs = 0, annotation = 0;
  sheet_text_append(t, "", 0);
  while (xmlTextReaderRead(reader) == 1) {
    int type = xmlTextReaderNodeType(reader);
    if (type == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(reader) == depth) return 0;
    const char *name = (const char *)xmlTextReaderConstLocalName(reader);
    if (type == XML_READER_TYPE_ELEMENT && strcmp(name, "annotation") == 0) {
      if (!xmlTextReaderIsEmptyElement(reader)) annotation++;
    } else if (type == XML_READER_TYPE_END_ELEMENT && strcmp(name, "annotation") == 0) {
      annotation--;
    } else if (annotation) {
      continue;
    } else if (type == XML_READER_TYPE_ELEMENT &&
               (strcmp(name, "p") == 0 || strcmp(name, "h") == 0)) {
      if (paragraphs++ > 0 && sheet_text_append(t, "\n", 1) != 0) return -1;
    } else if (type == XML_READER_TYPE_ELEMENT && strcmp(name, "s") == 0) {
      char *c = sheet_xml_attribute(reader, "c");
      long n = c ? strtol(c, NULL, 10) : 1;
      xmlFree(c);
      for (long i = 0; i < n && i < 1000; i++)
        if (sheet_text_append(t, " ", 1) != 0) return -1;
    } else if (type == XML_READER_TYPE_ELEMENT && strcmp(name, "tab") == 0) {
      if (sheet_text_append(t, "\t", 1) != 0) return -1;
    } else if (type == XML_READER_TYPE_ELEMENT && strcmp(name, "line-break") == 0) {
      if (sheet_text_append(t, "\n", 1) != 0) return -1;
    } else if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
               type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
               type == XML_READER_TYPE_WHITESPACE) {
      const xmlChar *v = xmlTextReaderConstValue(reader);
      if (v && sheet_text_append(t, (const char *)v, strlen((const char *)v)) != 0) return -1;
    }
  }
  return -1;
}

static unsigned long repeat_of(xmlTextReaderPtr reader, const char *attribute) {
  char *r = sheet_xml_attribute(reader, attribute);
  unsigned long n = r ? strtoul(r, NULL, 10) : 1;
  xmlFree(r);
  return n ? n : 1;
}

/* One table-cell or covered-table-cell: its value, put into every column and row it
 * repeats over. */
static int read_cell(xmlTextReaderPtr reader, Reader *r, int covered, char **error) {
  unsigned long repeat = repeat_of(reader, "number-columns-repeated");
  char *value_type = sheet_xml_attribute(reader, "value-type");
  char *value = sheet_xml_attribute(reader, "value");
  char *date_value = sheet_xml_attribute(reader, "date-value");
  char *boolean_value = sheet_xml_attribute(reader, "boolean-value");
  char *string_value = sheet_xml_attribute(reader, "string-value");
  char *formula = sheet_xml_attribute(reader, "formula");
  unsigned long span_columns = repeat_of(reader, "number-columns-spanned");
  unsigned long span_rows = repeat_of(reader, "number-rows-spanned");
  SheetText text = {0};
  int rc = 0;
  if (!xmlTextReaderIsEmptyElement(reader)) rc = cell_text(reader, &text);
  unsigned first = r->column + 1;
  SheetCellType type = SHEET_TEXT;
  const char *content = text.data ? text.data : "";
  double number = 0;
  char iso[11];
  int has = 0;
  if (covered) {
    has = 0; /* the value is the anchor's; the merged range says so */
  } else if (value_type &&
             (strcmp(value_type, "float") == 0 || strcmp(value_type, "percentage") == 0 ||
              strcmp(value_type, "currency") == 0)) {
    type = SHEET_NUMBER;
    number = value ? strtod(value, NULL) : 0;
    has = value != NULL;
  } else if (value_type && strcmp(value_type, "date") == 0 && date_value &&
             strlen(date_value) >= 10) {
    type = SHEET_DATE;
    memcpy(iso, date_value, 10);
    iso[10] = '\0';
    content = iso;
    has = 1;
  } else if (value_type && strcmp(value_type, "boolean") == 0) {
    type = SHEET_BOOL;
    number = boolean_value && strcmp(boolean_value, "true") == 0;
    has = 1;
  } else if (value_type) {
    if (string_value) content = string_value;
    has = content[0] != '\0';
  } else if (formula) {
    type = SHEET_FORMULA;
    content = formula;
    has = 1;
  } else {
    has = content[0] != '\0'; /* text without a type: kept as text */
  }
  if (type != SHEET_TEXT && type != SHEET_DATE && type != SHEET_FORMULA) content = NULL;
  if (rc == 0 && !covered && (span_columns > 1 || span_rows > 1) && r->rows_repeated == 1) {
    SheetRange range = {r->row, first, (unsigned)(r->row + span_rows - 1),
                        (unsigned)(first + span_columns - 1)};
    if (range.last_row > SHEET_MAX_ROWS || range.last_column > SHEET_MAX_COLUMNS ||
        list_add_merged(r->list, range) != 0)
      rc = -1;
  }
  if (rc == 0 && first + repeat - 1 > SHEET_MAX_COLUMNS) {
    if (has) rc = -1;
    repeat = SHEET_MAX_COLUMNS - first + 1;
  }
  for (unsigned long k = 0; rc == 0 && has && k < repeat; k++) {
    for (unsigned long j = 0; rc == 0 && j < r->rows_repeated; j++) {
      SheetRow *row = list_row(r->list, (unsigned)(r->row + j));
      if (!row)
        rc = -1;
      else if (row_add_cell(r->book, row, (unsigned)(first + k), type, content,
                            content ? strlen(content) : 0, number, r->shown, error) != 0)
        rc = -1;
    }
  }
  r->column = (unsigned)(first + repeat - 1);
  sheet_text_free(&text);
  xmlFree(value_type);
  xmlFree(value);
  xmlFree(date_value);
  xmlFree(boolean_value);
  xmlFree(string_value);
  xmlFree(formula);
  return rc;
}

int sheet_read_ods(SheetZip *z, Workbook *book, char **error) {
  size_t size;
  char *data = sheet_zip_part(z, "content.xml", 1, &size, error);
  if (!data) return -1;
  xmlTextReaderPtr reader = sheet_xml_reader(data, size, "content.xml");
  Reader r = {book, NULL, z->shown, 0, 0, 0, 1};
  int rc = reader ? 0 : -1, status = 1;
  while (rc == 0 && (status = xmlTextReaderRead(reader)) == 1) {
    int type = xmlTextReaderNodeType(reader);
    const char *name = (const char *)xmlTextReaderConstLocalName(reader);
    if (type == XML_READER_TYPE_ELEMENT && strcmp(name, "table") == 0) {
      char *table_name = sheet_xml_attribute(reader, "name");
      r.list = book_add_list(book, table_name ? table_name : "", 0);
      xmlFree(table_name);
      r.row = 0;
      if (!r.list) rc = -1;
    } else if (type == XML_READER_TYPE_END_ELEMENT && strcmp(name, "table") == 0) {
      r.list = NULL;
    } else if (r.list && type == XML_READER_TYPE_ELEMENT && strcmp(name, "table-row") == 0) {
      char *visibility = sheet_xml_attribute(reader, "visibility");
      r.row_hidden = visibility && strcmp(visibility, "visible") != 0;
      xmlFree(visibility);
      r.rows_repeated = repeat_of(reader, "number-rows-repeated");
      r.row++;
      r.column = 0;
      if (r.row > SHEET_MAX_ROWS) break; /* the empty rows LibreOffice repeats to the end */
      if (r.rows_repeated > SHEET_MAX_ROWS - r.row + 1)
        r.rows_repeated = SHEET_MAX_ROWS - r.row + 1;
      if (r.row_hidden) {
        for (unsigned long j = 0; j < r.rows_repeated && j < 1000; j++) {
          SheetRow *row = list_row(r.list, (unsigned)(r.row + j));
          if (!row)
            rc = -1;
          else
            row->hidden = 1;
        }
      }
      if (xmlTextReaderIsEmptyElement(reader)) r.row += (unsigned)(r.rows_repeated - 1);
    } else if (r.list && type == XML_READER_TYPE_END_ELEMENT && strcmp(name, "table-row") == 0) {
      r.row += (unsigned)(r.rows_repeated - 1);
      r.rows_repeated = 1;
    } else if (r.list && type == XML_READER_TYPE_ELEMENT &&
               (strcmp(name, "table-cell") == 0 || strcmp(name, "covered-table-cell") == 0)) {
      if (read_cell(reader, &r, name[0] == 'c', error) != 0) rc = -1;
    }
  }
  if (reader) xmlFreeTextReader(reader);
  free(data);
  if (rc != 0 || status < 0) {
    if (!*error)
      *error = sheet_message("%s: таблица повреждена (content.xml не читается как таблица ODF)",
                             z->shown);
    return -1;
  }
  if (book->count == 0) {
    *error = sheet_message("%s: в книге нет ни одного листа (это не таблица Calc?)", z->shown);
    return -1;
  }
  return 0;
}
