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
 * added, the word breaks at its own hyphens at most. */
void hyphen_policy_points(const Protected *protect, const uint32_t *cps, size_t n,
                          bool protected_word, bool own_only, bool *hyphen_at, bool *plain_at);

/* True when the letters cps[0..n) (any case) start with one of the protected stems. */
bool hyphen_policy_protected(const Protected *protect, const uint32_t *cps, size_t n);

#endif
