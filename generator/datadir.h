/*
 * datadir: where the command's own files are (the Lua library, the stock templates, the fonts
 * configuration). An installed command finds them relative to its own location, the way a
 * Debian tool does (/usr/bin/nastavnik -> /usr/share/nastavnik), so a copy of the whole
 * installation anywhere works; the command run from its build folder uses the source and
 * build trees instead. The environment (NASTAVNIK_SCRIPTS, NASTAVNIK_TEMPLATES,
 * NASTAVNIK_FONTS) overrides either, in main.c.
 */
#ifndef NASTAVNIK_DATADIR_H
#define NASTAVNIK_DATADIR_H

#include <stddef.h>

/* The folder the running executable lies in (from /proc/self/exe, symbolic links resolved)
 * into `out`; 0, or -1 when it cannot be known. */
int datadir_self(char *out, size_t size);

/* Whether two paths name the same existing folder. */
int datadir_same_folder(const char *a, const char *b);

/* `folder`/`relative` with "." and ".." resolved into `out` (the folder must exist); 0, or
 * -1 with errno set. */
int datadir_resolve(const char *folder, const char *relative, char *out, size_t size);

#endif
