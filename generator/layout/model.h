/*
 * model: the document layout reads, in points, already checked.
 *
 * pdf_lua.c builds it from the Lua table of pdf.render(); tests could build it in C. Lists of
 * the rich-text AST arrive here as paragraphs with a label (one per item), so the line breaker
 * knows only paragraphs; tables hold blocks in their cells, boxes hold blocks.
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
  bool keep_with_next;
  bool no_hyphens;    /* a heading: words are not hyphenated (centred ones never are) */
  const char *anchor; /* a name whose page number the render reports (contents), or NULL */
} Para;

typedef struct Block Block;
typedef struct {
  Block *items;
  size_t count;
} BlockList;

typedef struct {
  BlockList content;
  int colspan, rowspan;
  VAlign valign;
} Cell;

typedef struct {
  Cell *cells;
  size_t ncells;
  bool keep_together;
} Row;

typedef struct {
  double width;  /* pt; 0 when proportional */
  double weight; /* share of what fixed columns leave */
} Column;

typedef struct {
  Column *columns;
  size_t ncolumns;
  Row *rows;
  size_t nrows;
  size_t header_rows;
  bool borders;
  double padding; /* pt */
} Table;

typedef struct {
  double width; /* pt */
  Align align;
  BlockList content;
} Box;

typedef enum {
  BLOCK_PARA,
  BLOCK_TABLE,
  BLOCK_BOX,
  BLOCK_PAGE_BREAK,
  BLOCK_SPACE,
  BLOCK_PAGE
} BlockKind;

struct Block {
  BlockKind kind;
  union {
    Para para;
    Table table;
    Box box;
    double space;   /* BLOCK_SPACE: height, pt */
    bool landscape; /* BLOCK_PAGE */
  } as;
};

typedef struct {
  bool landscape;
  double page_width, page_height; /* portrait A4, pt */
  double margin_left, margin_right, margin_top, margin_bottom;
  int number_from; /* first numbered page; 0 = none */
  double number_size;
  BlockList blocks;
} Document;

#endif
