/*
 * model: the document layout reads, in points, already checked, every default resolved.
 *
 * pdf/pdf_view.c builds it from the view (view/view.h: read and checked once, for the
 * templates too); the unit tests build it in C. Lists of the rich-text AST arrive here as
 * paragraphs with a label (one per item), so the line breaker knows only paragraphs; tables
 * hold blocks in their cells, boxes hold blocks; a QR code arrives as its modules.
 */
#ifndef NASTAVNIK_LAYOUT_MODEL_H
#define NASTAVNIK_LAYOUT_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#define MM_TO_PT (72.0 / 25.4)

typedef enum { FACE_REGULAR = 0, FACE_BOLD = 1, FACE_ITALIC = 2, FACE_BOLD_ITALIC = 3 } FaceId;
enum { FACE_COUNT = 4 };

typedef enum { ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT, ALIGN_JUSTIFY } Align;
typedef enum { VALIGN_TOP, VALIGN_MIDDLE, VALIGN_BOTTOM } VAlign;

typedef struct {
  const char *text;
  size_t len;
  FaceId face;
  bool no_hyphens; /* a name, a date, an address: its words are never hyphenated */
} Run;

typedef struct {
  Run *runs;
  size_t nruns;
  Align align;
  double indent;     /* first-line indent */
  double left;       /* indent of every line (list levels) */
  const char *label; /* list label ("•", "1.1.") drawn at `left`, text hangs after it */
  FaceId label_face;
  double size;         /* font size, pt */
  double line_spacing; /* multiple of the font's natural line height */
  double space_before, space_after;
  bool keep_with_next; /* with the start of the next block (a heading) */
  bool no_hyphens;     /* a heading: words are not hyphenated (centred ones never are) */
  const char *anchor;  /* a name whose page number the render reports (contents), or NULL */
} Para;

typedef struct Block Block;
typedef struct {
  Block *items;
  size_t count;
} BlockList;

typedef struct {
  BlockList content;
  /* What the cell shows at the top of a page its row continues on, once its own content is
   * all drawn (an item's number and title: «1.2 (продолжение)»); empty: nothing. */
  BlockList continued;
  int colspan, rowspan;
  VAlign valign;
} Cell;

typedef struct {
  Cell *cells;
  size_t ncells;
  bool keep_together;  /* never split when it fits a page */
  bool keep_with_next; /* a stage heading: never the last row of a page */
} Row;

/* A column is fixed (width), a share of what fixed ones leave (weight), or sized from its
 * content (neither: table_column_widths). */
typedef struct {
  double width;  /* pt; 0 when not fixed */
  double weight; /* share of what fixed columns leave; 0 when sized from content */
} Column;

typedef struct {
  Column *columns;
  size_t ncolumns;
  Row *rows;
  size_t nrows;
  size_t header_rows;
  bool borders;
  bool keep_together; /* never split when it fits a page (a signature block) */
  double padding;     /* pt */
} Table;

typedef struct {
  double width; /* pt */
  Align align;
  BlockList content;
} Box;

/* A QR code (the requisite of GOST R 7.0.97-2025): drawn in the lower right corner of the
 * page it stands on (flow.h). */
typedef struct {
  double size;               /* the side of the code, pt (its quiet zone not counted) */
  int modules;               /* modules a side */
  const unsigned char *dark; /* modules * modules, row by row from the top: 1 dark */
} Qr;

typedef enum {
  BLOCK_PARA,
  BLOCK_TABLE,
  BLOCK_BOX,
  BLOCK_PAGE_BREAK,
  BLOCK_SPACE,
  BLOCK_PAGE,
  BLOCK_QR
} BlockKind;

struct Block {
  BlockKind kind;
  /* Lines of the text before this block that must stand on its page (a signature block
   * keeps with the last two lines it signs); 0: none. The block itself is never split. */
  int keep_with_previous;
  union {
    Para para;
    Table table;
    Box box;
    double space;   /* BLOCK_SPACE: height, pt */
    bool landscape; /* BLOCK_PAGE */
    Qr qr;
  } as;
};

/* Words never hyphenated wherever they stand: lower-case stems ("сентябр", "сосновск"); a word
 * whose letters start with one is protected (every case form of a name or a month). */
typedef struct {
  const char **stems; /* UTF-8 */
  size_t count;
} Protected;

typedef struct {
  bool landscape;
  double page_width, page_height; /* portrait A4, pt */
  double margin_left, margin_right, margin_top, margin_bottom;
  int number_from; /* first numbered page; 0 = none */
  double number_size;
  /* One page if at all possible (a consent): spacing shrinks first, then the font by up to
   * 1 pt, before the text goes over to a second page. */
  bool fit_one_page;
  Protected protect;
  BlockList blocks;
} Document;

#endif
