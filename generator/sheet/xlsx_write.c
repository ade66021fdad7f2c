/* sheet/xlsx_write: sheet_write_xlsx (see sheet.h) through libxlsxwriter. libxlsxwriter
 * makes the archive in memory (xlsx_package.c) or, built otherwise, writes a file it opens by
 * name; the bytes then go to the target as every output's do (fileio_write_atomic). */
#define _GNU_SOURCE /* memfd_create */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "book.h"
#include "fileio.h"
#include "oserror.h"
#include "xlsx_package.h"

/* The formats of the cells: by row style, and whether the cell is a date. */
typedef struct {
  lxw_format *cell[4][2];
  lxw_format *column_text, *column_date; /* what is typed into an empty cell of a column */
} Formats;

static lxw_format *make_format(lxw_workbook *wb, SheetRowStyle style, int date) {
  lxw_format *f = workbook_add_format(wb);
  format_set_text_wrap(f);
  format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
  format_set_font_name(f, "Liberation Serif");
  format_set_font_size(f, 11);
  if (style != ROW_TITLE) format_set_border(f, LXW_BORDER_THIN);
  if (style == ROW_HEADER) {
    format_set_bold(f);
    format_set_align(f, LXW_ALIGN_CENTER);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    format_set_bg_color(f, 0xE7E6E6);
  } else if (style == ROW_TITLE) {
    format_set_bold(f);
    format_set_font_size(f, 12);
    format_set_text_wrap(f);
  } else if (style == ROW_TOTAL) {
    format_set_bold(f);
  }
  if (date) format_set_num_format(f, "dd.mm.yyyy");
  return f;
}

static int parse_iso(const char *iso, lxw_datetime *dt) {
  int y, m, d;
  if (!iso || sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3) return -1;
  *dt = (lxw_datetime){y, m, d, 0, 0, 0};
  return 0;
}

/* "A" for column 1, "AB" for 28. */
static void column_letters(unsigned column, char out[8]) {
  char tmp[8];
  int n = 0;
  while (column > 0 && n < 7) {
    column--;
    tmp[n++] = (char)('A' + column % 26);
    column /= 26;
  }
  for (int i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
  out[n] = '\0';
}

static lxw_error add_validation(lxw_worksheet *ws, const SheetValidation *v) {
  lxw_data_validation dv;
  memset(&dv, 0, sizeof dv);
  char **list = NULL;
  char formula[512];
  if (v->source_list) {
    char letters[8];
    column_letters(v->source_column, letters);
    snprintf(formula, sizeof formula, "='%s'!$%s$%u:$%s$%u", v->source_list, letters,
             v->source_from, letters, v->source_to);
    dv.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
    dv.value_formula = formula;
  } else {
    list = calloc(v->choice_count + 1, sizeof *list);
    if (!list) return LXW_ERROR_MEMORY_MALLOC_FAILED;
    for (size_t i = 0; i < v->choice_count; i++) list[i] = (char *)v->choices[i];
    dv.validate = LXW_VALIDATION_TYPE_LIST;
    dv.value_list = list;
  }
  dv.ignore_blank = LXW_VALIDATION_ON;
  dv.dropdown = LXW_VALIDATION_ON;
  dv.error_type = LXW_VALIDATION_ERROR_TYPE_WARNING;
  dv.error_title = "Нет в списке";
  dv.error_message = "Этого значения нет в списке; проверьте написание.";
  if (v->title) dv.input_title = (char *)v->title;
  if (v->message) dv.input_message = (char *)v->message;
  lxw_error rc = worksheet_data_validation_range(ws, v->first_row - 1, (lxw_col_t)(v->column - 1),
                                                 v->last_row - 1, (lxw_col_t)(v->column - 1), &dv);
  free(list);
  return rc;
}

static lxw_error write_cell(lxw_worksheet *ws, unsigned r, unsigned c, const SheetOutCell *cell,
                            const Formats *f, SheetRowStyle style) {
  lxw_format *plain = f->cell[style][0], *date = f->cell[style][1];
  lxw_datetime dt;
  switch (cell->type) {
    case OUT_TEXT:
      return worksheet_write_string(ws, r, (lxw_col_t)c, cell->text, plain);
    case OUT_NUMBER:
      return worksheet_write_number(ws, r, (lxw_col_t)c, cell->number, plain);
    case OUT_DATE:
      if (parse_iso(cell->text, &dt) != 0)
        return worksheet_write_string(ws, r, (lxw_col_t)c, cell->text, plain);
      return worksheet_write_datetime(ws, r, (lxw_col_t)c, &dt, date);
    case OUT_FORMULA: {
      char formula[1024];
      snprintf(formula, sizeof formula, "=%s", cell->text);
      return worksheet_write_formula_num(ws, r, (lxw_col_t)c, formula, plain, cell->number);
    }
    case OUT_EMPTY:
      return worksheet_write_blank(ws, r, (lxw_col_t)c, plain);
  }
  return LXW_NO_ERROR;
}

/* Lines a text takes wrapped in a column `width` characters wide: Excel does not fit a row's
 * height to wrapped text when it opens a file, so the writer estimates it (a character of
 * Liberation Serif 11 is about the width of Excel's width unit). */
static unsigned text_lines(const char *s, double width) {
  double per_line = width > 2 ? width - 1 : 1;
  unsigned lines = 0;
  double chars = 0;
  for (const unsigned char *p = (const unsigned char *)s;; p++) {
    if (*p == '\n' || *p == '\0') {
      unsigned n = (unsigned)(chars / per_line) +
                   (chars > 0 && (unsigned)(chars / per_line) * per_line < chars);
      lines += n ? n : 1;
      chars = 0;
      if (*p == '\0') break;
    } else if ((*p & 0xC0) != 0x80) {
      chars++;
    }
  }
  return lines;
}

/* The height of row r (0-based) in points, for its tallest cell. */
static double row_height(const SheetOutList *list, size_t r) {
  const SheetOutRow *row = &list->rows[r];
  unsigned lines = 1;
  for (size_t c = 0; c < row->count; c++) {
    if (row->cells[c].type != OUT_TEXT) continue;
    double width = c < list->column_count ? list->columns[c].width : 9;
    for (size_t m = 0; m < list->merged_count; m++) {
      const SheetRange *range = &list->merged[m];
      if (range->first_row == r + 1 && range->last_row == r + 1 && range->first_column == c + 1) {
        width = 0;
        for (unsigned k = range->first_column; k <= range->last_column && k <= list->column_count;
             k++)
          width += list->columns[k - 1].width;
      }
    }
    unsigned n =
        text_lines(row->cells[c].text,
                   row->style == ROW_HEADER || row->style == ROW_TITLE ? width * 0.85 : width);
    if (n > lines) lines = n;
  }
  return lines * (row->style == ROW_TITLE ? 16.0 : 14.5) + 1.5;
}

static lxw_error write_list(lxw_workbook *wb, const SheetOutList *list, const Formats *f) {
  lxw_worksheet *ws = workbook_add_worksheet(wb, list->name);
  if (!ws) return LXW_ERROR_SHEETNAME_ALREADY_USED;
  if (list->hidden) worksheet_hide(ws);
  if (list->landscape) {
    worksheet_set_landscape(ws);
    worksheet_fit_to_pages(ws, 1, 0); /* as wide as the page, as long as it takes */
  }
  worksheet_set_paper(ws, 9); /* A4 */
  for (size_t i = 0; i < list->column_count; i++)
    worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, list->columns[i].width,
                         list->columns[i].date ? f->column_date : f->column_text);
  if (list->frozen_rows) worksheet_freeze_panes(ws, list->frozen_rows, 0);
  lxw_error rc = LXW_NO_ERROR;
  for (size_t m = 0; m < list->merged_count && rc == LXW_NO_ERROR; m++) {
    const SheetRange *range = &list->merged[m];
    SheetRowStyle style =
        range->first_row <= list->row_count ? list->rows[range->first_row - 1].style : ROW_PLAIN;
    rc = worksheet_merge_range(ws, range->first_row - 1, (lxw_col_t)(range->first_column - 1),
                               range->last_row - 1, (lxw_col_t)(range->last_column - 1), "",
                               f->cell[style][0]);
  }
  for (size_t r = 0; r < list->row_count && rc == LXW_NO_ERROR; r++) {
    const SheetOutRow *row = &list->rows[r];
    rc = worksheet_set_row(ws, (lxw_row_t)r, row_height(list, r), NULL);
    for (size_t c = 0; c < row->count && rc == LXW_NO_ERROR; c++) {
      int covered = 0;
      for (size_t m = 0; m < list->merged_count; m++) {
        const SheetRange *range = &list->merged[m];
        if (r + 1 >= range->first_row && r + 1 <= range->last_row && c + 1 >= range->first_column &&
            c + 1 <= range->last_column &&
            (r + 1 != range->first_row || c + 1 != range->first_column))
          covered = 1;
      }
      if (covered || (row->cells[c].type == OUT_EMPTY && row->style == ROW_TITLE)) continue;
      rc = write_cell(ws, (unsigned)r, (unsigned)c, &row->cells[c], f, row->style);
    }
  }
  for (size_t v = 0; v < list->validation_count && rc == LXW_NO_ERROR; v++)
    rc = add_validation(ws, &list->validations[v]);
  return rc;
}

/* Where libxlsxwriter writes the workbook: a file in memory (memfd) named through
 * /proc/self/fd, else a temporary file in TMPDIR (*name: its name, to be freed; *fd: the
 * memfd, held open while the name is used, or -1). 0, or -1 with errno. Only a libxlsxwriter
 * that does not go through xlsx_package.c writes there. (Not a temporary file beside the target:
 * libxlsxwriter reopens it with O_TRUNC, and ext4 then writes it out to disk as it is closed,
 * in the worker, behind the throttle of the write-back going on.) */
static int scratch_open(char **name, int *fd) {
  *fd = memfd_create("nastavnik-xlsx", MFD_CLOEXEC);
  if (*fd >= 0) {
    *name = sheet_message("/proc/self/fd/%d", *fd);
    if (*name && access(*name, W_OK) == 0) return 0;
    free(*name);
    close(*fd);
    *fd = -1;
  }
  const char *dir = getenv("TMPDIR");
  *name = sheet_message("%s/nastavnik-xlsx-XXXXXX", dir && *dir ? dir : "/tmp");
  int named = *name ? mkstemp(*name) : -1;
  if (named < 0) {
    int saved = *name ? errno : ENOMEM;
    free(*name);
    errno = saved;
    return -1;
  }
  close(named);
  return 0;
}

static void scratch_close(char *name, int fd) {
  if (fd >= 0)
    close(fd);
  else
    unlink(name);
  free(name);
}

int sheet_write_xlsx(const SheetBook *book, const char *path, char **error) {
  char *scratch;
  int scratch_fd;
  if (scratch_open(&scratch, &scratch_fd) != 0) {
    *error = sheet_message("%s: не удалось записать файл: временный файл не создан: %s", path,
                           oserror_reason(errno, OSERROR_WRITING));
    return -1;
  }
  lxw_workbook_options options = {.constant_memory = LXW_FALSE, .tmpdir = NULL};
  lxw_workbook *wb = workbook_new_opt(scratch, &options);
  if (!wb) {
    scratch_close(scratch, scratch_fd);
    *error = sheet_message("%s: не хватает памяти", path);
    return -1;
  }
  /* The creation date is fixed (the same data gives the same file); the title is the book's. */
  lxw_doc_properties properties = {.title = (char *)(book->title ? book->title : ""),
                                   .author = "nastavnik",
                                   .created = 946684800 /* 2000-01-01 */};
  workbook_set_properties(wb, &properties);
  Formats formats;
  for (int s = 0; s < 4; s++)
    for (int d = 0; d < 2; d++) formats.cell[s][d] = make_format(wb, (SheetRowStyle)s, d);
  formats.column_text = workbook_add_format(wb);
  formats.column_date = workbook_add_format(wb);
  format_set_num_format(formats.column_date, "dd.mm.yyyy");
  for (lxw_format **f = &formats.column_text; f <= &formats.column_date; f++) {
    format_set_text_wrap(*f);
    format_set_align(*f, LXW_ALIGN_VERTICAL_TOP);
    format_set_font_name(*f, "Liberation Serif");
    format_set_font_size(*f, 11);
  }
  lxw_error rc = LXW_NO_ERROR;
  for (size_t i = 0; i < book->count && rc == LXW_NO_ERROR; i++)
    rc = write_list(wb, &book->lists[i], &formats);
  if (rc != LXW_NO_ERROR) {
    *error = sheet_message("%s: таблица не собрана: %s", path, lxw_strerror(rc));
    lxw_workbook_free(wb);
    scratch_close(scratch, scratch_fd);
    return -1;
  }
  rc = workbook_close(wb);
  size_t size = 0;
  char *bytes = NULL;
  int read_error = 0;
  if (rc != LXW_NO_ERROR) {
    xlsx_package_forget();
  } else if (xlsx_package_take(&bytes, &size) != 0) { /* libxlsxwriter wrote the scratch file */
    bytes = fileio_read(scratch, SIZE_MAX, &size);
    read_error = errno;
  }
  scratch_close(scratch, scratch_fd);
  if (!bytes) {
    *error = rc != LXW_NO_ERROR
                 ? sheet_message("%s: не удалось записать файл: %s", path, lxw_strerror(rc))
                 : sheet_message("%s: не удалось записать файл: временный файл не прочитан: %s",
                                 path, oserror_reason(read_error, OSERROR_READING));
    return -1;
  }
  int written = fileio_write_atomic(path, bytes, size);
  int write_error = errno;
  free(bytes);
  if (written != 0) {
    *error = sheet_message("%s: не удалось записать файл: %s", path,
                           oserror_reason(write_error, OSERROR_WRITING));
    return -1;
  }
  return 0;
}
