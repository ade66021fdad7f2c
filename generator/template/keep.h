/*
 * keep: nothing of a template is lost when the engine takes a paragraph away. A loop's tag
 * paragraphs, a rich value's paragraph and a row loop's tag paragraph may hold more than their
 * tag: page and column breaks, a section break (w:sectPr), drawings, bookmarks, fields,
 * comments, footnote references. What can move moves (bookmarks and other range markup to
 * block level beside the paragraph; a section break to the paragraph that takes the place of
 * the one it was in; a closing tag paragraph's page break to the end of the paragraph before
 * it, as docxtemplater does); what cannot keeps its paragraph. And after a loop has copied its
 * body: repeated section breaks become continuous (as docxtemplater does), and bookmark names
 * and ids, drawing ids and frame names are made unique again.
 */
#ifndef NASTAVNIK_TEMPLATE_KEEP_H
#define NASTAVNIK_TEMPLATE_KEEP_H

#include "fill.h"

/* Whether para holds anything but text, formatting and (DOCX) range markup that can move. */
int keep_holds_more(const TmplFormat *fmt, xmlNode *para);
/* Whether a table row holds anything besides text and formatting (a drawing, a bookmark, a
 * field, a nested table): a row loop's tag-only row then stays (emptied of its tag). */
int keep_row_holds_more(const TmplFormat *fmt, xmlNode *row);
/* DOCX: moves para's bookmarks and other range markup to block level, before para (or after
 * it: a closing tag paragraph's, which must not fall inside the loop's body). */
void keep_move_out(const TmplFormat *fmt, xmlNode *para, int after);
/* Whether para carries a section break (DOCX w:pPr/w:sectPr). */
int keep_has_section(xmlNode *para);
/* Moves para's section break to the paragraph before it, when there is one that has none. */
void keep_section_before(const TmplFormat *fmt, xmlNode *para);
/* Moves right's section break into left's properties (when left has none). */
void keep_take_section(xmlNode *left, xmlNode *right);
/* A closing tag paragraph about to go: its section break and page breaks move to the paragraph
 * before it when that is all it holds besides its tag. Returns 1 when it must stay (with all it
 * holds), 0 when it may go. */
int keep_close_paragraph(const TmplFormat *fmt, xmlNode *para);
/* Whether para is the only paragraph or table of a table cell, which must keep one. */
int keep_only_block_of_cell(const TmplFormat *fmt, xmlNode *para);
/* A loop's second and later copies, from first to before anchor: their section breaks become
 * continuous (DOCX). */
void keep_repeated_copy(const TmplFormat *fmt, xmlNode *first, xmlNode *anchor);
/* After all parts are rendered: drawing ids (DOCX wp:docPr) unique across the document. */
void keep_unique_drawings(Fill *f);

#endif
