/* sheet/xlsx_read: an XLSX package (SpreadsheetML, ECMA-376) as Excel, LibreOffice and
 * openpyxl write it: the workbook's lists in order, shared strings (rich-text runs joined,
 * phonetic runs left out), inline strings, numbers, dates by their cell style (serial numbers
 * of the 1900 or 1904 system), booleans, errors, formulas by their cached values, merged
 * cells, hidden rows. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "book.h"

/* One relationship of a .rels part. */
typedef struct {
  char *id, *type, *target;
} Relation;

typedef struct {
  Relation *items;
  size_t count;
} Relations;

static void relations_free(Relations *r) {
  for (size_t i = 0; i < r->count; i++) {
    xmlFree(r->items[i].id);
    xmlFree(r->items[i].type);
    xmlFree(r->items[i].target);
  }
  free(r->items);
  r->items = NULL;
  r->count = 0;
}

static int read_relations(SheetZip *z, const char *part, Relations *out, char **error) {
  size_t size;
  char *data = sheet_zip_part(z, part, 0, &size, error);
  if (!data) return *error ? -1 : 0;
  xmlTextReaderPtr reader = sheet_xml_reader(data, size, part);
  int rc = reader ? 0 : -1;
  while (reader && xmlTextReaderRead(reader) == 1) {
    if (!sheet_xml_is(reader, XML_READER_TYPE_ELEMENT, "Relationship")) continue;
    Relation *bigger = realloc(out->items, (out->count + 1) * sizeof *bigger);
    if (!bigger) {
      rc = -1;
      break;
    }
    out->items = bigger;
    out->items[out->count].id = sheet_xml_attribute(reader, "Id");
    out->items[out->count].type = sheet_xml_attribute(reader, "Type");
    out->items[out->count].target = sheet_xml_attribute(reader, "Target");
    out->count++;
  }
  if (reader) xmlFreeTextReader(reader);
  free(data);
  if (rc != 0) *error = sheet_message("%s: таблица повреждена (часть %s)", z->shown, part);
  return rc;
}

/* The relation whose type ends in `suffix` ("/officeDocument"), or with that id. */
static const Relation *find_relation(const Relations *r, const char *id, const char *suffix) {
  for (size_t i = 0; i < r->count; i++) {
    const Relation *rel = &r->items[i];
    if (id && rel->id && strcmp(rel->id, id) == 0) return rel;
    if (suffix && rel->type) {
      size_t a = strlen(rel->type), b = strlen(suffix);
      if (a >= b && strcmp(rel->type + a - b, suffix) == 0) return rel;
    }
  }
  return NULL;
}

/* The part a target names: absolute ("/xl/x.xml") or relative to the folder of `base`. */
static char *resolve(const char *base_folder, const char *target) {
  if (!target) return NULL;
  if (target[0] == '/') return strdup(target + 1);
  return sheet_message("%s%s", base_folder, target);
}

/* Excel's own escapes in strings: "_x000D_" is a carriage return, "_x005F_" an underscore. */
static void decode_escapes(SheetText *t) {
  if (!t->data || !strstr(t->data, "_x")) return;
  char *out = t->data;
  const char *p = t->data;
  while (*p) {
    unsigned code = 0;
    int n = 0;
    if (p[0] == '_' && p[1] == 'x') {
      for (n = 0; n < 4; n++) {
        char c = p[2 + n];
        unsigned v = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                                            : 99;
        if (v == 99) break;
        code = code * 16 + v;
      }
    }
    if (n == 4 && p[6] == '_') {
      if (code == '\r') {
        /* "\r\n" written as "_x000D_\n": one line break */
      } else if (code < 0x80) {
        *out++ = (char)code;
      } else if (code < 0x800) {
        *out++ = (char)(0xC0 | (code >> 6));
        *out++ = (char)(0x80 | (code & 0x3F));
      } else {
        *out++ = (char)(0xE0 | (code >> 12));
        *out++ = (char)(0x80 | ((code >> 6) & 0x3F));
        *out++ = (char)(0x80 | (code & 0x3F));
      }
      p += 7;
    } else {
      *out++ = *p++;
    }
  }
  *out = '\0';
  t->length = (size_t)(out - t->data);
}

static int is_text_node(xmlTextReaderPtr reader) {
  int type = xmlTextReaderNodeType(reader);
  return type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
         type == XML_READER_TYPE_WHITESPACE || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE;
}

static int append_value(xmlTextReaderPtr reader, SheetText *t) {
  const xmlChar *v = xmlTextReaderConstValue(reader);
  return v ? sheet_text_append(t, (const char *)v, strlen((const char *)v)) : 0;
}

/* The text of a string item (<si> or <is>): every <t> but those of phonetic runs (<rPh>).
 * The reader stands on the item's start; it is left on its end. */
static int read_string_item(xmlTextReaderPtr reader, SheetText *t) {
  sheet_text_clear(t);
  if (xmlTextReaderIsEmptyElement(reader)) return sheet_text_append(t, "", 0);
  int depth = xmlTextReaderDepth(reader), in_t = 0, in_phonetic = 0;
  sheet_text_append(t, "", 0);
  while (xmlTextReaderRead(reader) == 1) {
    int type = xmlTextReaderNodeType(reader);
    if (type == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(reader) == depth) break;
    if (sheet_xml_is(reader, XML_READER_TYPE_ELEMENT, "rPh")) {
      if (!xmlTextReaderIsEmptyElement(reader)) in_phonetic++;
    } else if (sheet_xml_is(reader, XML_READER_TYPE_END_ELEMENT, "rPh")) {
      in_phonetic--;
    } else if (sheet_xml_is(reader, XML_READER_TYPE_ELEMENT, "t")) {
      in_t = !xmlTextReaderIsEmptyElement(reader);
    } else if (sheet_xml_is(reader, XML_READER_TYPE_END_ELEMENT, "t")) {
      in_t = 0;
    } else if (in_t && !in_phonetic && is_text_node(reader)) {
      if (append_value(reader, t) != 0) return -1;
    }
  }
  decode_escapes(t);
  return 0;
}

typedef struct {
  char **items;
  size_t count;
} Strings;

static int read_shared_strings(SheetZip *z, const char *part, Strings *out, char **error) {
  size_t size;
  char *data = sheet_zip_part(z, part, 0, &size, error);
  if (!data) return *error ? -1 : 0;
  xmlTextReaderPtr reader = sheet_xml_reader(data, size, part);
  SheetText t = {0};
  size_t capacity = 0;
  int rc = reader ? 0 : -1;
  while (rc == 0 && xmlTextReaderRead(reader) == 1) {
    if (!sheet_xml_is(reader, XML_READER_TYPE_ELEMENT, "si")) continue;
    if (read_string_item(reader, &t) != 0) rc = -1;
    if (rc == 0 && out->count == capacity) {
      capacity = capacity ? capacity * 2 : 64;
      char **bigger = realloc(out->items, capacity * sizeof *bigger);
      if (!bigger)
        rc = -1;
      else
        out->items = bigger;
    }
    if (rc == 0) {
      out->items[out->count] = strdup(t.data ? t.data : "");
      if (!out->items[out->count])
        rc = -1;
      else
        out->count++;
    }
    if (out->count > SHEET_MAX_CELLS) rc = -1;
  }
  sheet_text_free(&t);
  if (reader) xmlFreeTextReader(reader);
  free(data);
  if (rc != 0)
    *error = sheet_message("%s: таблица повреждена или слишком велика (часть %s)", z->shown, part);
  return rc;
}

/* Is a number format a date (or date and time)? The built-in ones by id, the others by
 * the letters d and y outside quoted text, escapes and [sections]. */
static int builtin_is_date(long id) {
  return (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) || (id >= 50 && id <= 58) ||
         (id >= 71 && id <= 75) || (id >= 78 && id <= 81);
}

static int format_is_date(const char *code) {
  int quoted = 0, bracket = 0;
  for (const char *p = code; *p; p++) {
    char c = *p;
    if (quoted) {
      if (c == '"') quoted = 0;
    } else if (bracket) {
      if (c == ']') bracket = 0;
    } else if (c == '"') {
      quoted = 1;
    } else if (c == '[') {
      bracket = 1;
    } else if (c == '\\' || c == '_' || c == '*') {
      if (p[1]) p++;
    } else if (c == 'd' || c == 'D' || c == 'y' || c == 'Y') {
      return 1;
    } else if (c == ';') {
      break; /* the format of positive numbers decides */
    }
  }
  return 0;
}

typedef struct {
  unsigned char *is_date; /* by cell style (xf) index */
  size_t count;
} Styles;

static int read_styles(SheetZip *z, const char *part, Styles *out, char **error) {
  size_t size;
  char *data = sheet_zip_part(z, part, 0, &size, error);
  if (!data) return *error ? -1 : 0;
  xmlTextReaderPtr reader = sheet_xml_reader(data, size, part);
  long custom_ids[512];
  unsigned char custom_date[512];
  size_t custom = 0, capacity = 0;
  int in_xfs = 0, rc = reader ? 0 : -1;
  while (rc == 0 && xmlTextReaderRead(reader) == 1) {
    if (sheet_xml_is(reader, XML_READER_TYPE_ELEMENT, "numFmt") && custom < 512) {
      char *id = sheet_xml_attribute(reader, "numFmtId");
      char *code = sheet_xml_attribute(reader, "formatCode");
      if (id && code) {
        custom_ids[custom] = strtol(id, NULL, 10);
        custom_date[custom++] = (unsigned char)format_is_date(code);
      }
      xmlFree(id);
      xmlFree(code);
    } else if (sheet_xml_is(reader, XML_READER_TYPE_ELEMENT, "cellXfs")) {
      in_xfs = !xmlTextReaderIsEmptyElement(reader);
    } else if (sheet_xml_is(reader, XML_READER_TYPE_END_ELEMENT, "cellXfs")) {
      in_xfs = 0;
    } else if (in_xfs && sheet_xml_is(reader, XML_READER_TYPE_ELEMENT, "xf")) {
      char *id_text = sheet_xml_attribute(reader, "numFmtId");
      long id = id_text ? strtol(id_text, NULL, 10) : 0;
      xmlFree(id_text);
      int date = builtin_is_date(id);
      for (size_t k = 0; k < custom; k++)
        if (custom_ids[k] == id) date = custom_date[k];
      if (out->count == capacity) {
        capacity = capacity ? capacity * 2 : 32;
        unsigned char *bigger = capacity <= 65536 ? realloc(out->is_date, capacity) : NULL;
        if (!bigger) {
          rc = -1;
          break;
        }
        out->is_date = bigger;
      }
      out->is_date[out->count++] = (unsigned char)date;
    }
  }
  if (reader) xmlFreeTextReader(reader);
  free(data);
  if (rc != 0) *error = sheet_message("%s: таблица повреждена (часть %s)", z->shown, part);
  return rc;
}

/* What one worksheet needs besides its own XML. */
typedef struct {
  Workbook *book;
  const Strings *strings;
  const Styles *styles;
  int date1904;
  const char *shown;
} SheetContext;

/* The cell being read: its attributes and children. */
typedef struct {
  unsigned column;
  long style;
  char type[12];
  int has_value, has_formula;
  SheetText value, formula, inline_text;
  int has_inline;
} Cell;

static int finish_cell(SheetContext *ctx, SheetList *list, unsigned row_number, Cell *c,
                       char **error) {
  const char *t = c->type;
  const char *text = NULL;
  SheetCellType type = SHEET_TEXT;
  double number = 0;
  char iso[11];
  if (strcmp(t, "inlineStr") == 0) {
    if (!c->has_inline) return 0;
    text = c->inline_text.data ? c->inline_text.data : "";
  } else if (!c->has_value) {
    if (!c->has_formula) return 0; /* an empty cell with only a style */
    type = SHEET_FORMULA;
    text = c->formula.data ? c->formula.data : "";
  } else if (strcmp(t, "s") == 0) {
    char *end;
    long index = strtol(c->value.data ? c->value.data : "", &end, 10);
    if (index < 0 || (size_t)index >= ctx->strings->count) {
      *error = sheet_message(
          "%s: лист «%s», строка %u: ссылка на несуществующую строку текста "
          "(таблица повреждена)",
          ctx->shown, list->name, row_number);
      return -1;
    }
    text = ctx->strings->items[index];
  } else if (strcmp(t, "str") == 0) {
    text = c->value.data ? c->value.data : "";
  } else if (strcmp(t, "b") == 0) {
    type = SHEET_BOOL;
    number = c->value.data && c->value.data[0] == '1';
  } else if (strcmp(t, "e") == 0) {
    type = SHEET_ERROR;
    text = c->value.data ? c->value.data : "#ERROR";
  } else if (strcmp(t, "d") == 0) {
    type = SHEET_DATE;
    text = c->value.data ? c->value.data : "";
    if (strlen(text) < 10) return 0;
    memcpy(iso, text, 10);
    iso[10] = '\0';
    text = iso;
  } else {
    char *end;
    number = strtod(c->value.data ? c->value.data : "", &end);
    if (end == c->value.data) return 0;
    type = SHEET_NUMBER;
    if (c->style >= 0 && (size_t)c->style < ctx->styles->count && ctx->styles->is_date[c->style] &&
        sheet_serial_to_iso(number, ctx->date1904, iso) == 0) {
      type = SHEET_DATE;
      text = iso;
    }
  }
  if (type == SHEET_TEXT && text[0] == '\0') return 0;
  SheetRow *row = list_row(list, row_number);
  if (!row) {
    *error = sheet_message("%s: не хватает памяти", ctx->shown);
    return -1;
  }
  return row_add_cell(ctx->book, row, c->column, type, text, text ? strlen(text) : 0, number,
                      ctx->shown, error);
}

static int read_worksheet(SheetContext *ctx, SheetList *list, const char *data, size_t size,
                          const char *part, char **error) {
  xmlTextReaderPtr reader = sheet_xml_reader(data, size, part);
  if (!reader) {
    *error = sheet_message("%s: не хватает памяти", ctx->shown);
    return -1;
  }
  Cell c = {0};
  unsigned row_number = 0, column = 0;
  int row_hidden = 0, rc = 0, in_cell = 0;
  SheetText *into = NULL; /* the child of the cell being read: <v>, <f> or none */
  int status;
  while (rc == 0 && (status = xmlTextReaderRead(reader)) == 1) {
    int type = xmlTextReaderNodeType(reader);
    const char *name = (const char *)xmlTextReaderConstLocalName(reader);
    if (type == XML_READER_TYPE_ELEMENT && strcmp(name, "row") == 0) {
      char *r = sheet_xml_attribute(reader, "r");
      char *hidden = sheet_xml_attribute(reader, "hidden");
      row_number = r ? (unsigned)strtoul(r, NULL, 10) : row_number + 1;
      row_hidden = hidden && (strcmp(hidden, "1") == 0 || strcmp(hidden, "true") == 0);
      xmlFree(r);
      xmlFree(hidden);
      column = 0;
      if (row_number == 0 || row_number > SHEET_MAX_ROWS) rc = -1;
      if (row_hidden && rc == 0) {
        SheetRow *row = list_row(list, row_number);
        if (row) row->hidden = 1;
      }
    } else if (type == XML_READER_TYPE_ELEMENT && strcmp(name, "c") == 0) {
      char *r = sheet_xml_attribute(reader, "r");
      char *s = sheet_xml_attribute(reader, "s");
      char *t = sheet_xml_attribute(reader, "t");
      unsigned ref_row = row_number, ref_column = column + 1;
      if (r && sheet_parse_reference(r, &ref_row, &ref_column) != 0) rc = -1;
      column = ref_column;
      if (ref_row) row_number = ref_row;
      c.column = column;
      c.style = s ? strtol(s, NULL, 10) : -1;
      snprintf(c.type, sizeof c.type, "%s", t ? t : "n");
      c.has_value = c.has_formula = c.has_inline = 0;
      sheet_text_clear(&c.value);
      sheet_text_clear(&c.formula);
      sheet_text_clear(&c.inline_text);
      xmlFree(r);
      xmlFree(s);
      xmlFree(t);
      if (row_number == 0) rc = -1;
      in_cell = 1;
      if (rc == 0 && xmlTextReaderIsEmptyElement(reader)) in_cell = 0;
    } else if (in_cell && type == XML_READER_TYPE_ELEMENT && strcmp(name, "v") == 0) {
      c.has_value = 1;
      into = xmlTextReaderIsEmptyElement(reader) ? NULL : &c.value;
    } else if (in_cell && type == XML_READER_TYPE_ELEMENT && strcmp(name, "f") == 0) {
      c.has_formula = 1;
      into = xmlTextReaderIsEmptyElement(reader) ? NULL : &c.formula;
    } else if (in_cell && type == XML_READER_TYPE_ELEMENT && strcmp(name, "is") == 0) {
      c.has_inline = 1;
      if (read_string_item(reader, &c.inline_text) != 0) rc = -1;
    } else if (type == XML_READER_TYPE_END_ELEMENT &&
               (strcmp(name, "v") == 0 || strcmp(name, "f") == 0)) {
      into = NULL;
    } else if (into && is_text_node(reader)) {
      if (append_value(reader, into) != 0) rc = -1;
    } else if (type == XML_READER_TYPE_END_ELEMENT && strcmp(name, "c") == 0 && in_cell) {
      in_cell = 0;
      into = NULL;
      if (finish_cell(ctx, list, row_number, &c, error) != 0) break;
    } else if (type == XML_READER_TYPE_ELEMENT && strcmp(name, "mergeCell") == 0) {
      char *ref = sheet_xml_attribute(reader, "ref");
      char *colon = ref ? strchr(ref, ':') : NULL;
      SheetRange range;
      if (colon) {
        *colon = '\0';
        if (sheet_parse_reference(ref, &range.first_row, &range.first_column) == 0 &&
            sheet_parse_reference(colon + 1, &range.last_row, &range.last_column) == 0 &&
            list_add_merged(list, range) != 0)
          rc = -1;
      }
      xmlFree(ref);
    }
  }
  if (rc == 0 && !*error && status < 0) rc = -1;
  if (in_cell == 0 && *error) rc = -1;
  sheet_text_free(&c.value);
  sheet_text_free(&c.formula);
  sheet_text_free(&c.inline_text);
  xmlFreeTextReader(reader);
  if (*error) return -1;
  if (rc != 0) {
    *error = sheet_message("%s: лист «%s» повреждён (часть %s не читается как XML таблицы)",
                           ctx->shown, list->name, part);
    return -1;
  }
  return 0;
}

int sheet_read_xlsx(SheetZip *z, Workbook *book, char **error) {
  Relations package = {0}, workbook_relations = {0};
  Strings strings = {0};
  Styles styles = {0};
  char *workbook_part = NULL, *folder = NULL, *data = NULL;
  int rc = -1;

  if (read_relations(z, "_rels/.rels", &package, error) != 0) goto done;
  const Relation *office = find_relation(&package, NULL, "/officeDocument");
  workbook_part = office ? resolve("", office->target) : strdup("xl/workbook.xml");
  if (!workbook_part) goto oom;
  const char *slash = strrchr(workbook_part, '/');
  folder =
      slash ? sheet_message("%.*s", (int)(slash - workbook_part + 1), workbook_part) : strdup("");
  char *rels_part =
      folder ? sheet_message("%s_rels/%s.rels", folder, slash ? slash + 1 : workbook_part) : NULL;
  if (!rels_part) goto oom;
  rc = read_relations(z, rels_part, &workbook_relations, error);
  free(rels_part);
  if (rc != 0) goto done;
  rc = -1;

  const Relation *rel = find_relation(&workbook_relations, NULL, "/sharedStrings");
  char *part = rel ? resolve(folder, rel->target) : NULL;
  if (part && read_shared_strings(z, part, &strings, error) != 0) {
    free(part);
    goto done;
  }
  free(part);
  rel = find_relation(&workbook_relations, NULL, "/styles");
  part = rel ? resolve(folder, rel->target) : NULL;
  if (part && read_styles(z, part, &styles, error) != 0) {
    free(part);
    goto done;
  }
  free(part);

  size_t size;
  data = sheet_zip_part(z, workbook_part, 1, &size, error);
  if (!data) goto done;
  xmlTextReaderPtr reader = sheet_xml_reader(data, size, workbook_part);
  if (!reader) goto oom;
  SheetContext ctx = {book, &strings, &styles, 0, z->shown};
  /* The lists first (their parts are read after the workbook's XML is done with). */
  typedef struct {
    char *name, *part;
    int hidden;
  } Entry;
  Entry entries[256];
  size_t entry_count = 0;
  while (xmlTextReaderRead(reader) == 1) {
    if (sheet_xml_is(reader, XML_READER_TYPE_ELEMENT, "workbookPr")) {
      char *d = sheet_xml_attribute(reader, "date1904");
      ctx.date1904 = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
      xmlFree(d);
    } else if (sheet_xml_is(reader, XML_READER_TYPE_ELEMENT, "sheet") && entry_count < 256) {
      char *name = sheet_xml_attribute(reader, "name");
      char *state = sheet_xml_attribute(reader, "state");
      char *id = sheet_xml_attribute(reader, "id");
      const Relation *target = id ? find_relation(&workbook_relations, id, NULL) : NULL;
      entries[entry_count].name = strdup(name ? name : "");
      entries[entry_count].part = target ? resolve(folder, target->target) : NULL;
      entries[entry_count].hidden = state && strcmp(state, "visible") != 0;
      entry_count++;
      xmlFree(name);
      xmlFree(state);
      xmlFree(id);
    }
  }
  xmlFreeTextReader(reader);
  rc = 0;
  for (size_t i = 0; i < entry_count; i++) {
    if (rc == 0 && entries[i].name && entries[i].part) {
      SheetList *list = book_add_list(book, entries[i].name, entries[i].hidden);
      size_t sheet_size;
      char *sheet_data = list ? sheet_zip_part(z, entries[i].part, 1, &sheet_size, error) : NULL;
      if (!list && !*error) *error = sheet_message("%s: не хватает памяти", z->shown);
      if (!sheet_data ||
          read_worksheet(&ctx, list, sheet_data, sheet_size, entries[i].part, error) != 0)
        rc = -1;
      free(sheet_data);
    }
    free(entries[i].name);
    free(entries[i].part);
  }
  if (rc == 0 && book->count == 0) {
    *error = sheet_message("%s: в книге нет ни одного листа", z->shown);
    rc = -1;
  }
  goto done;
oom:
  if (!*error) *error = sheet_message("%s: не хватает памяти", z->shown);
  rc = -1;
done:
  relations_free(&package);
  relations_free(&workbook_relations);
  for (size_t i = 0; i < strings.count; i++) free(strings.items[i]);
  free(strings.items);
  free(styles.is_date);
  free(workbook_part);
  free(folder);
  free(data);
  return rc;
}
