/*
 * hyphen_policy: where a word may be broken at a line's end, as TeX and LibreOffice let a
 * careful typesetter decide.
 *
 * Never inside: a word of a run or paragraph marked "no hyphens" (names, headings, stamps,
 * signatures, table headers); a capitalised word (a surname, a first name, a place, an
 * organisation in quotes — in every case form, since declension keeps the capital); a word
 * whose stem the document protects (months, the proper-name words of organisations); a word
 * holding a digit, "@", "/", ":", "_" or a full stop between letters (dates, numbers, phones,
 * e-mail addresses, URLs, initials, blanks). Elsewhere a Russian word breaks at the points of
 * the dictionary, with two letters at least before the break and three after; a compound
 * breaks only after its own hyphen, and not even there when a capital follows one of its
 * hyphens (a double surname, «Ростов-на-Дону»). How many hyphens a paragraph may have in a row is
 * linebreak's business.
 */
#ifndef NASTAVNIK_LAYOUT_HYPHEN_POLICY_H
#define NASTAVNIK_LAYOUT_HYPHEN_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "layout/model.h"

/* For the n characters cps[0..n) of one word, sets hyphen_at[i] when the word may break after
 * character i with a hyphen added, plain_at[i] when it may break after its own hyphen there.
 * protected_word: the word's run or paragraph says "no hyphens"; own_only: no hyphen is
 * added, the word breaks at its own hyphens at most. remembered: what hyphen_policy_adopt
 * answered for protect (0: work the points out without the process's memory). */
void hyphen_policy_points(const Protected *protect, unsigned remembered, const uint32_t *cps,
                          size_t n, bool protected_word, bool own_only, bool *hyphen_at,
                          bool *plain_at);

/* Lets the points of words under this list of stems be remembered by the process: the same
 * words are judged again in every paragraph, table row and document (a tenth of a 40-row
 * roadmap's layout). The process remembers points for a few lists at a time (the least
 * recently adopted gives way to a new one): a list equal to one of them keeps its points.
 * Returns what to pass as `remembered`, 0 when out of memory (the points are then worked out
 * each time, as right). */
unsigned hyphen_policy_adopt(const Protected *protect);

/* A list of stems decoded once, in lower case, for asking of many words whether one starts
 * with a protected stem: decoding every stem again for every word was a fiftieth of a DOCX
 * fill. */
typedef struct {
  uint32_t *cps; /* the code points of every stem, one stem after another */
  size_t *ends;  /* stem i is cps[i ? ends[i - 1] : 0 .. ends[i]); an empty one matches nothing */
  size_t count;
} HyphenStems;

/* Decodes protect into *out (free with hyphen_stems_free); false when out of memory. */
bool hyphen_stems_decode(const Protected *protect, HyphenStems *out);
void hyphen_stems_free(HyphenStems *stems);
/* True when the letters cps[0..n) (any case) start with one of the stems decoded. */
bool hyphen_stems_match(const HyphenStems *stems, const uint32_t *cps, size_t n);

#endif
