/*
 * hyphen_ru: where a Russian word may be hyphenated, from libhyphen and the hyph_ru_RU
 * dictionary of the system (hyphen-ru). The dictionary is KOI8-R and lower-case, so words
 * are lower-cased and converted with iconv first. Dictionary and converter are opened once
 * per process (loading the patterns costs more than a whole document's layout).
 */
#ifndef NASTAVNIK_LAYOUT_HYPHEN_RU_H
#define NASTAVNIK_LAYOUT_HYPHEN_RU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HYPHEN_RU_DICT "/usr/share/hyphen/hyph_ru_RU.dic"

/* True when the dictionary could be loaded (otherwise words are only broken at hyphens). */
bool hyphen_ru_available(void);

/* For the n Cyrillic letters cps[0..n), sets after[i] when a hyphen may follow letter i
 * (two letters at least before it, three after). Returns false (and no points) for words it
 * cannot judge: too short, not Cyrillic, or with two capitals or more (abbreviations such as
 * МКОУ are not hyphenated). Which words may be hyphenated at all is hyphen_policy's call. */
bool hyphen_ru_points(const uint32_t *cps, size_t n, bool *after);

/* Cyrillic letters the dictionary knows (А–я, Ёё). */
static inline bool hyphen_ru_letter(uint32_t cp) {
  return (cp >= 0x410 && cp <= 0x44F) || cp == 0x401 || cp == 0x451;
}

#endif
