/* sheet/ods_write: sheet_write_ods (see sheet.h) — an ODF spreadsheet as LibreOffice would
 * save it: content.xml with the tables (columns with widths, typed cells, formulas in
 * OpenFormula with their cached values, merged ranges, drop-down lists as content
 * validations), styles.xml, settings.xml (the frozen header rows), meta.xml and the
 * manifest, zipped by zip/package with a STORED mimetype first. Identical rows (the empty
 * rows of a sheet to fill in) are written once, repeated. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "book.h"

#define NS_OFFICE "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
#define NAMESPACES                                                            \
  " xmlns:office=\"" NS_OFFICE                                                \
  "\""                                                                        \
  " xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\""          \
  " xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\""            \
  " xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\""          \
  " xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\"" \
  " xmlns:svg=\"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0\""   \
  " xmlns:number=\"urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0\""     \
  " xmlns:of=\"urn:oasis:names:tc:opendocument:xmlns:of:1.2\""                \
  " xmlns:dc=\"http://purl.org/dc/elements/1.1/\""                            \
  " xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\""            \
  " xmlns:config=\"urn:oasis:names:tc:opendocument:xmlns:config:1.0\""        \
  " office:version=\"1.3\""

typedef struct {
  SheetText out;
  int failed;
} Xml;

static void put_n(Xml *x, const char *s, size_t len) {
  if (sheet_text_append(&x->out, s, len) != 0) x->failed = 1;
}

static void put(Xml *x, const char *s) {
  put_n(x, s, strlen(s));
}

/* An unsigned number in decimal (what putf's "%u" wrote: a register's cells are tens of
 * thousands of formatted writes, vsnprintf was a sixth of the ODS writer's own work). */
static void put_uint(Xml *x, unsigned long long n) {
  char digits[24];
  size_t k = sizeof digits;
  do {
    digits[--k] = (char)('0' + n % 10);
    n /= 10;
  } while (n > 0);
  put_n(x, digits + k, sizeof digits - k);
}

/* n as "%0*d" would with that width (a sign counted in it). */
static void put_padded(Xml *x, int n, int width) {
  char digits[16];
  int k = (int)sizeof digits;
  unsigned v = (unsigned)n;
  if (n < 0) {
    put(x, "-");
    v = 0u - v;
    width--;
  }
  do {
    digits[--k] = (char)('0' + v % 10);
    v /= 10;
  } while (v > 0 && k > 0);
  while ((int)sizeof digits - k < width && k > 0) digits[--k] = '0';
  put_n(x, digits + k, sizeof digits - (size_t)k);
}

static void putf(Xml *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(Xml *x, const char *fmt, ...) {
  char buffer[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buffer, sizeof buffer, fmt, ap);
  va_end(ap);
  if (n < 0 || (size_t)n >= sizeof buffer)
    x->failed = 1;
  else
    put(x, buffer);
}

/* Text escaped for an attribute or element content; with lines = 1, a new line ends a
 * paragraph (put_paragraphs). The plain stretches between are appended whole. */
static void put_escaped_as(Xml *x, const char *s, int lines) {
  const char *plain = s;
  for (const char *p = s;; p++) {
    const char *instead;
    switch (*p) {
      case '\0':
        put_n(x, plain, (size_t)(p - plain));
        return;
      case '&':
        instead = "&amp;";
        break;
      case '<':
        instead = "&lt;";
        break;
      case '>':
        instead = "&gt;";
        break;
      case '"':
        instead = "&quot;";
        break;
      case '\n':
        if (lines) {
          instead = "</text:p><text:p>";
          break;
        }
        continue;
      default:
        continue;
    }
    put_n(x, plain, (size_t)(p - plain));
    put(x, instead);
    plain = p + 1;
  }
}

static void put_escaped(Xml *x, const char *s) {
  put_escaped_as(x, s, 0);
}

/* Text as paragraphs: one text:p per line. */
static void put_paragraphs(Xml *x, const char *s) {
  put(x, "<text:p>");
  put_escaped_as(x, s, 1);
  put(x, "</text:p>");
}

/* "SUM(C3:C9)" -> "of:=SUM([.C3:.C9])": references bracketed, "," between arguments -> ";". */
static void put_formula(Xml *x, const char *formula) {
  put(x, "of:=");
  const char *p = formula;
  int quoted = 0;
  while (*p) {
    if (*p == '"') {
      quoted = !quoted;
      put(x, "&quot;");
      p++;
      continue;
    }
    const char *q = p;
    while (!quoted && *q >= 'A' && *q <= 'Z') q++;
    const char *digits = q;
    while (!quoted && q > p && *q >= '0' && *q <= '9') q++;
    int is_reference =
        q > digits && digits > p &&
        (p == formula || !((p[-1] >= 'A' && p[-1] <= 'Z') || (p[-1] >= '0' && p[-1] <= '9')));
    if (is_reference) {
      put(x, "[.");
      if (sheet_text_append(&x->out, p, (size_t)(q - p)) != 0) x->failed = 1;
      p = q;
      if (*p == ':') {
        const char *r = p + 1;
        while (*r >= 'A' && *r <= 'Z') r++;
        while (*r >= '0' && *r <= '9') r++;
        put(x, ":.");
        if (sheet_text_append(&x->out, p + 1, (size_t)(r - p - 1)) != 0) x->failed = 1;
        p = r;
      }
      put(x, "]");
    } else if (!quoted && *p == ',') {
      put(x, ";");
      p++;
    } else {
      char one[2] = {*p, 0};
      put_escaped(x, one);
      p++;
    }
  }
}

static const char *const CELL_STYLE[4] = {"cePlain", "ceHeader", "ceTitle", "ceTotal"};

static void put_cell_styles(Xml *x) {
  put(x,
      "<number:date-style style:name=\"N1\"><number:day number:style=\"long\"/>"
      "<number:text>.</number:text><number:month number:style=\"long\"/>"
      "<number:text>.</number:text><number:year number:style=\"long\"/></number:date-style>");
  for (int s = 0; s < 4; s++) {
    for (int date = 0; date < 2; date++) {
      putf(x,
           "<style:style style:name=\"%s%s\" style:family=\"table-cell\" "
           "style:parent-style-name=\"Default\"%s>",
           CELL_STYLE[s], date ? "Date" : "", date ? " style:data-style-name=\"N1\"" : "");
      putf(x,
           "<style:table-cell-properties fo:wrap-option=\"wrap\" style:vertical-align=\"%s\"%s%s/>",
           s == ROW_HEADER ? "middle" : "top",
           s == ROW_TITLE ? "" : " fo:border=\"0.06pt solid #000000\"",
           s == ROW_HEADER ? " fo:background-color=\"#e7e6e6\"" : "");
      if (s == ROW_HEADER) put(x, "<style:paragraph-properties fo:text-align=\"center\"/>");
      if (s != ROW_PLAIN)
        putf(x, "<style:text-properties fo:font-weight=\"bold\"%s/>",
             s == ROW_TITLE ? " fo:font-size=\"12pt\"" : "");
      put(x, "</style:style>");
    }
  }
  /* What is typed into an empty cell of a column: wrapped, at the top; a date column's as dates. */
  put(x,
      "<style:style style:name=\"ceColumn\" style:family=\"table-cell\" "
      "style:parent-style-name=\"Default\"><style:table-cell-properties fo:wrap-option=\"wrap\" "
      "style:vertical-align=\"top\"/></style:style><style:style style:name=\"ceColumnDate\" "
      "style:family=\"table-cell\" style:parent-style-name=\"Default\" "
      "style:data-style-name=\"N1\"><style:table-cell-properties fo:wrap-option=\"wrap\" "
      "style:vertical-align=\"top\"/></style:style>");
  put(x,
      "<style:style style:name=\"ro1\" style:family=\"table-row\"><style:table-row-properties "
      "style:use-optimal-row-height=\"true\"/></style:style>");
  put(x,
      "<style:style style:name=\"taShown\" style:family=\"table\" "
      "style:master-page-name=\"Portrait\"><style:table-properties table:display=\"true\"/>"
      "</style:style><style:style style:name=\"taLandscape\" style:family=\"table\" "
      "style:master-page-name=\"Landscape\"><style:table-properties table:display=\"true\"/>"
      "</style:style><style:style style:name=\"taHidden\" style:family=\"table\" "
      "style:master-page-name=\"Portrait\"><style:table-properties table:display=\"false\"/>"
      "</style:style>");
}

static void put_column_styles(Xml *x, const SheetBook *book) {
  for (size_t i = 0; i < book->count; i++) {
    const SheetOutList *list = &book->lists[i];
    for (size_t c = 0; c < list->column_count; c++)
      putf(x,
           "<style:style style:name=\"co%zu_%zu\" style:family=\"table-column\">"
           "<style:table-column-properties style:column-width=\"%.2fcm\"/></style:style>",
           i + 1, c + 1, list->columns[c].width * 0.2 + 0.1);
  }
}

/* "'Пары'.C2" and friends: a list name quoted for a reference. */
static void put_list_name(Xml *x, const char *name) {
  put(x, "'");
  put_escaped(x, name);
  put(x, "'");
}

static void put_validations(Xml *x, const SheetBook *book) {
  int any = 0;
  for (size_t i = 0; i < book->count; i++) any |= book->lists[i].validation_count > 0;
  if (!any) return;
  put(x, "<table:content-validations>");
  for (size_t i = 0; i < book->count; i++) {
    const SheetOutList *list = &book->lists[i];
    for (size_t k = 0; k < list->validation_count; k++) {
      const SheetValidation *v = &list->validations[k];
      putf(x,
           "<table:content-validation table:name=\"val%zu_%zu\" table:condition=\"of:cell-"
           "content-is-in-list(",
           i + 1, k + 1);
      if (v->source_list) {
        char letter[2] = {(char)('A' + (v->source_column - 1) % 26), 0};
        put(x, "[$");
        put_list_name(x, v->source_list);
        putf(x, ".$%s$%u:.$%s$%u]", letter, v->source_from, letter, v->source_to);
      } else {
        for (size_t c = 0; c < v->choice_count; c++) {
          put(x, c ? ";&quot;" : "&quot;");
          put_escaped(x, v->choices[c]);
          put(x, "&quot;");
        }
      }
      put(x,
          ")\" table:allow-empty-cell=\"true\" table:display-list=\"unsorted\" "
          "table:base-cell-address=\"");
      put_list_name(x, list->name);
      putf(x, ".%c%u\">", (char)('A' + (v->column - 1) % 26), v->first_row);
      if (v->title || v->message) {
        put(x, "<table:help-message table:title=\"");
        put_escaped(x, v->title ? v->title : "");
        put(x, "\" table:display=\"true\">");
        put_paragraphs(x, v->message ? v->message : "");
        put(x, "</table:help-message>");
      }
      put(x,
          "<table:error-message table:message-type=\"warning\" table:display=\"true\" "
          "table:title=\"Нет в списке\"><text:p>Этого значения нет в списке; проверьте "
          "написание.</text:p></table:error-message></table:content-validation>");
    }
  }
  put(x, "</table:content-validations>");
}

/* The merged range a cell starts, or covers (covered = 1), or none. */
static const SheetRange *merged_at(const SheetOutList *list, unsigned r, unsigned c, int *covered) {
  for (size_t m = 0; m < list->merged_count; m++) {
    const SheetRange *range = &list->merged[m];
    if (r >= range->first_row && r <= range->last_row && c >= range->first_column &&
        c <= range->last_column) {
      *covered = r != range->first_row || c != range->first_column;
      return range;
    }
  }
  *covered = 0;
  return NULL;
}

static const char *validation_at(const SheetOutList *list, size_t index, unsigned r, unsigned c,
                                 char name[48]) {
  for (size_t k = 0; k < list->validation_count; k++) {
    const SheetValidation *v = &list->validations[k];
    if (c == v->column && r >= v->first_row && r <= v->last_row) {
      snprintf(name, 48, "val%zu_%zu", index + 1, k + 1);
      return name;
    }
  }
  return NULL;
}

/* s starts with n ASCII digits. */
static int digits_at(const char *s, int n) {
  for (int i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9') return 0;
  return 1;
}

static void put_cell(Xml *x, const SheetOutList *list, size_t index, unsigned r, unsigned c,
                     const SheetOutCell *cell, SheetRowStyle style) {
  int covered;
  const SheetRange *range = merged_at(list, r, c, &covered);
  char validation_name[48];
  const char *validation = validation_at(list, index, r, c, validation_name);
  int date_column = c <= list->column_count && list->columns[c - 1].date;
  int date =
      (cell && cell->type == OUT_DATE) || (date_column && (!cell || cell->type == OUT_EMPTY));
  put(x, covered ? "<table:covered-table-cell table:style-name=\""
                 : "<table:table-cell table:style-name=\"");
  put(x, CELL_STYLE[style]);
  put(x, date ? "Date\"" : "\"");
  if (validation) {
    put(x, " table:content-validation-name=\"");
    put(x, validation);
    put(x, "\"");
  }
  if (range && !covered) {
    put(x, " table:number-columns-spanned=\"");
    put_uint(x, range->last_column - range->first_column + 1);
    put(x, "\" table:number-rows-spanned=\"");
    put_uint(x, range->last_row - range->first_row + 1);
    put(x, "\"");
  }
  if (covered || !cell || cell->type == OUT_EMPTY) {
    put(x, "/>");
    return;
  }
  char number[64];
  switch (cell->type) {
    case OUT_NUMBER:
    case OUT_FORMULA:
      snprintf(number, sizeof number, "%.15g", cell->number);
      if (cell->type == OUT_FORMULA) {
        put(x, " table:formula=\"");
        put_formula(x, cell->text);
        put(x, "\"");
      }
      put(x, " office:value-type=\"float\" office:value=\"");
      put(x, number);
      put(x, "\"><text:p>");
      put(x, number);
      put(x, "</text:p>");
      break;
    case OUT_DATE: {
      int y = 0, m = 0, d = 0;
      const char *t = cell->text;
      if (digits_at(t, 4) && t[4] == '-' && digits_at(t + 5, 2) && t[7] == '-' &&
          digits_at(t + 8, 2)) { /* the usual ISO date: read as sscanf would, without it */
        y = (t[0] - '0') * 1000 + (t[1] - '0') * 100 + (t[2] - '0') * 10 + (t[3] - '0');
        m = (t[5] - '0') * 10 + (t[6] - '0');
        d = (t[8] - '0') * 10 + (t[9] - '0');
      } else {
        sscanf(t, "%4d-%2d-%2d", &y, &m, &d);
      }
      /* (as "%04d-%02d-%02d" and "%02d.%02d.%04d" would: sscanf read at most 4 and 2 digits) */
      put(x, " office:value-type=\"date\" office:date-value=\"");
      put_padded(x, y, 4);
      put(x, "-");
      put_padded(x, m, 2);
      put(x, "-");
      put_padded(x, d, 2);
      put(x, "\"><text:p>");
      put_padded(x, d, 2);
      put(x, ".");
      put_padded(x, m, 2);
      put(x, ".");
      put_padded(x, y, 4);
      put(x, "</text:p>");
      break;
    }
    default:
      put(x, " office:value-type=\"string\">");
      put_paragraphs(x, cell->text);
      break;
  }
  put(x, covered ? "</table:covered-table-cell>" : "</table:table-cell>");
}

#define ROW_TAG "<table:table-row table:style-name=\"ro1\""

/* Writes a row held back, with the count of its repetitions in its start tag. */
static void flush_rows(Xml *x, SheetText *row, unsigned repeated) {
  if (!row->data) return;
  char *at = strstr(row->data, ROW_TAG);
  size_t head = at ? (size_t)(at - row->data) + strlen(ROW_TAG) : 0;
  if (repeated > 1 && at) {
    if (sheet_text_append(&x->out, row->data, head) != 0) x->failed = 1;
    putf(x, " table:number-rows-repeated=\"%u\"", repeated);
    put(x, row->data + head);
  } else {
    put(x, row->data);
  }
  sheet_text_free(row);
}

/* The rows of a list: those written, then empty ones down to the last validated row. */
static void put_table(Xml *x, const SheetOutList *list, size_t index) {
  put(x, "<table:table table:name=\"");
  put_escaped(x, list->name);
  putf(x, "\" table:style-name=\"%s\">",
       list->hidden      ? "taHidden"
       : list->landscape ? "taLandscape"
                         : "taShown");
  for (size_t c = 0; c < list->column_count; c++)
    putf(x,
         "<table:table-column table:style-name=\"co%zu_%zu\" "
         "table:default-cell-style-name=\"%s\"/>",
         index + 1, c + 1, list->columns[c].date ? "ceColumnDate" : "ceColumn");
  unsigned columns = (unsigned)list->column_count, last = (unsigned)list->row_count;
  for (size_t r = 0; r < list->row_count; r++)
    if (list->rows[r].count > columns) columns = (unsigned)list->rows[r].count;
  for (size_t k = 0; k < list->validation_count; k++)
    if (list->validations[k].last_row > last) last = list->validations[k].last_row;
  SheetText previous = {0};
  unsigned repeated = 0;
  for (unsigned r = 1; r <= last && !x->failed; r++) {
    const SheetOutRow *row = r <= list->row_count ? &list->rows[r - 1] : NULL;
    Xml one = {{0}, 0};
    if (r == 1 && list->frozen_rows) put(&one, "<table:table-header-rows>");
    put(&one, ROW_TAG ">");
    for (unsigned c = 1; c <= columns; c++)
      put_cell(&one, list, index, r, c, row && c <= row->count ? &row->cells[c - 1] : NULL,
               row ? row->style : ROW_PLAIN);
    put(&one, "</table:table-row>");
    if (list->frozen_rows && r == list->frozen_rows) put(&one, "</table:table-header-rows>");
    if (one.failed) x->failed = 1;
    int same = previous.data && one.out.data && strcmp(previous.data, one.out.data) == 0 &&
               r > list->frozen_rows + 1;
    if (same) {
      repeated++;
    } else {
      flush_rows(x, &previous, repeated);
      previous = one.out;
      one.out = (SheetText){0};
      repeated = 1;
    }
    sheet_text_free(&one.out);
  }
  flush_rows(x, &previous, repeated);
  sheet_text_free(&previous);
  put(x, "</table:table>");
}

static void put_content(Xml *x, const SheetBook *book) {
  put(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content" NAMESPACES ">");
  put(x,
      "<office:font-face-decls><style:font-face style:name=\"Liberation Serif\" "
      "svg:font-family=\"'Liberation Serif'\" style:font-family-generic=\"roman\"/>"
      "</office:font-face-decls><office:automatic-styles>");
  put_cell_styles(x);
  put_column_styles(x, book);
  put(x, "</office:automatic-styles><office:body><office:spreadsheet>");
  put_validations(x, book);
  for (size_t i = 0; i < book->count; i++) put_table(x, &book->lists[i], i);
  put(x, "</office:spreadsheet></office:body></office:document-content>");
}

static void put_styles(Xml *x) {
  put(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-styles" NAMESPACES
         ">"
         "<office:font-face-decls><style:font-face style:name=\"Liberation Serif\" "
         "svg:font-family=\"'Liberation Serif'\" style:font-family-generic=\"roman\"/>"
         "</office:font-face-decls><office:styles><style:default-style "
         "style:family=\"table-cell\"><style:text-properties style:font-name=\"Liberation Serif\" "
         "fo:font-size=\"11pt\"/></style:default-style><style:style style:name=\"Default\" "
         "style:family=\"table-cell\"/></office:styles><office:automatic-styles>"
         "<style:page-layout style:name=\"pmPortrait\"><style:page-layout-properties "
         "fo:page-width=\"21cm\" fo:page-height=\"29.7cm\" style:print-orientation=\"portrait\" "
         "fo:margin=\"1.5cm\"/></style:page-layout><style:page-layout style:name=\"pmLandscape\">"
         "<style:page-layout-properties fo:page-width=\"29.7cm\" fo:page-height=\"21cm\" "
         "style:print-orientation=\"landscape\" fo:margin=\"1.5cm\"/></style:page-layout>"
         "</office:automatic-styles><office:master-styles><style:master-page "
         "style:name=\"Portrait\" style:page-layout-name=\"pmPortrait\"/><style:master-page "
         "style:name=\"Landscape\" style:page-layout-name=\"pmLandscape\"/></office:master-styles>"
         "</office:document-styles>");
}

/* The header rows stay in view: LibreOffice's view settings, one entry per frozen list. */
static void put_settings(Xml *x, const SheetBook *book) {
  put(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-settings" NAMESPACES
         ">"
         "<office:settings><config:config-item-set config:name=\"ooo:view-settings\">"
         "<config:config-item-map-indexed config:name=\"Views\"><config:config-item-map-entry>"
         "<config:config-item config:name=\"ViewId\" config:type=\"string\">view1"
         "</config:config-item><config:config-item-map-named config:name=\"Tables\">");
  for (size_t i = 0; i < book->count; i++) {
    const SheetOutList *list = &book->lists[i];
    if (!list->frozen_rows) continue;
    put(x, "<config:config-item-map-entry config:name=\"");
    put_escaped(x, list->name);
    putf(x,
         "\"><config:config-item config:name=\"HorizontalSplitMode\" config:type=\"short\">0"
         "</config:config-item><config:config-item config:name=\"VerticalSplitMode\" "
         "config:type=\"short\">2</config:config-item><config:config-item "
         "config:name=\"VerticalSplitPosition\" config:type=\"int\">%u</config:config-item>"
         "<config:config-item config:name=\"ActiveSplitRange\" config:type=\"short\">2"
         "</config:config-item><config:config-item config:name=\"PositionTop\" "
         "config:type=\"int\">0</config:config-item><config:config-item "
         "config:name=\"PositionBottom\" config:type=\"int\">%u</config:config-item>"
         "</config:config-item-map-entry>",
         list->frozen_rows, list->frozen_rows);
  }
  put(x,
      "</config:config-item-map-named></config:config-item-map-entry>"
      "</config:config-item-map-indexed></config:config-item-set></office:settings>"
      "</office:document-settings>");
}

static void put_meta(Xml *x, const SheetBook *book) {
  put(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-meta" NAMESPACES
         ">"
         "<office:meta><meta:generator>nastavnik</meta:generator><dc:title>");
  put_escaped(x, book->title ? book->title : "");
  put(x, "</dc:title></office:meta></office:document-meta>");
}

static const char MANIFEST[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest:manifest "
    "xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" "
    "manifest:version=\"1.3\"><manifest:file-entry manifest:full-path=\"/\" "
    "manifest:version=\"1.3\" "
    "manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>"
    "<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>"
    "<manifest:file-entry manifest:full-path=\"styles.xml\" manifest:media-type=\"text/xml\"/>"
    "<manifest:file-entry manifest:full-path=\"meta.xml\" manifest:media-type=\"text/xml\"/>"
    "<manifest:file-entry manifest:full-path=\"settings.xml\" manifest:media-type=\"text/xml\"/>"
    "</manifest:manifest>";

static const char MIMETYPE[] = "application/vnd.oasis.opendocument.spreadsheet";

int sheet_write_ods(const SheetBook *book, const char *path, char **error) {
  Xml content = {{0}, 0}, styles = {{0}, 0}, settings = {{0}, 0}, meta = {{0}, 0};
  put_content(&content, book);
  put_styles(&styles);
  put_settings(&settings, book);
  put_meta(&meta, book);
  int rc = -1;
  if (content.failed || styles.failed || settings.failed || meta.failed) {
    *error = sheet_message("%s: не хватает памяти", path);
  } else {
    ZipPart parts[] = {
        {"mimetype", MIMETYPE, sizeof MIMETYPE - 1},
        {"content.xml", content.out.data, content.out.length},
        {"styles.xml", styles.out.data, styles.out.length},
        {"meta.xml", meta.out.data, meta.out.length},
        {"settings.xml", settings.out.data, settings.out.length},
        {"META-INF/manifest.xml", MANIFEST, sizeof MANIFEST - 1},
    };
    char *zip_error = NULL;
    rc = zip_package_write(NULL, path, parts, sizeof parts / sizeof parts[0], 6, &zip_error);
    if (rc != 0) *error = zip_error ? zip_error : sheet_message("%s: не удалось записать", path);
  }
  sheet_text_free(&content.out);
  sheet_text_free(&styles.out);
  sheet_text_free(&settings.out);
  sheet_text_free(&meta.out);
  return rc;
}
