/*
 * template: filling DOCX and ODT templates written in docxtemplater's tag syntax.
 *
 *   {name} {org.head.name}      a value, found by a dotted path in the view; inside loops the
 *                               item is searched first, then the enclosing items, then the view
 *   {.}                         the current item of a loop (a loop over strings)
 *   {date|date_words}           filters: Lua functions looked up in the filters table
 *   {#items} ... {/items}       a loop: a list repeats, true/a table goes once, false/nil/empty
 *                               drops the part; {^items}...{/items} is the inverse
 *
 * Where a loop repeats follows where its two tags stand: in different cells (of one row or of
 * several rows of one table) the rows repeat; each alone in its own paragraph, the paragraphs
 * between repeat (the tag paragraphs leave no trace); in one paragraph, the text between.
 *
 * A value with "\n" becomes line breaks (and "\t" tabs) in the formatting of the run where the
 * tag starts. A rich-text value (scripts/nastavnik/richtext.lua) whose tag stands alone in its
 * paragraph becomes real paragraphs and list items (label, tab, hanging indent); a table value
 * ({type = "table", columns, header_rows, rows = {{cells = {...}}}}) whose tag stands alone in
 * its paragraph becomes a native table with spans, header rows and borders (README "Tables").
 *
 * Every problem of a template is reported at once, in Russian, with the part, the paragraph's
 * text around the tag and the position; on any error nothing is written.
 */
#ifndef NASTAVNIK_TEMPLATE_H
#define NASTAVNIK_TEMPLATE_H

#include <lua.h>
#include <stddef.h>

typedef struct {
  char **items; /* UTF-8 messages (allocated through generator/memory.h) */
  size_t count;
} TemplateErrors;

typedef struct {
  int missing_empty; /* a name the view lacks is written as nothing (docxtemplater's way)
                        instead of being an error */
  /* The PDF layout's hyphenation policy carried to the word processor: capitalised words,
   * numbers, dates and addresses, and words starting with one of these lower-case stems are
   * never hyphenated (README "Words kept whole"). */
  int keep_whole;
  const char *const *protect; /* UTF-8 stems, valid during the fill */
  size_t nprotect;
  /* The sizes the PDF layout chose to keep a form on one page (scripts/documents/common.lua
   * FIT_STEPS): every font size the document sets changed by fit_size pt, its line spacing
   * fit_leading times single, the space between its paragraphs fit_space times as much. */
  int fit;
  double fit_size, fit_leading, fit_space;
} TemplateOptions;

enum { TEMPLATE_OK = 0, TEMPLATE_ERROR = -1, TEMPLATE_NO_MEMORY = -2 };

/* Fills the template at template_path with the view (a table at view_index of L) and writes
 * out_path atomically. filters_index is the stack index of a table of filter functions, or 0
 * for none; options may be NULL. Returns TEMPLATE_OK (warnings, if any, in *warnings: parts
 * the engine does not fill that hold tags); TEMPLATE_ERROR with the messages in *errors; or
 * TEMPLATE_NO_MEMORY (one message). On anything but TEMPLATE_OK nothing is written. The Lua
 * stack is left as it was. Lua errors raised inside (filters, memory) are caught and
 * reported. warnings may be NULL. */
int template_fill(lua_State *L, const char *template_path, int view_index, int filters_index,
                  const char *out_path, const TemplateOptions *options, TemplateErrors *errors,
                  TemplateErrors *warnings);

void template_errors_free(TemplateErrors *errors);

#endif
