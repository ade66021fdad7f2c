/* sheet/xlsx_package: libxlsxwriter's archive made in memory (see xlsx_package.c). */
#ifndef NASTAVNIK_SHEET_XLSX_PACKAGE_H
#define NASTAVNIK_SHEET_XLSX_PACKAGE_H

#include <stddef.h>

/* The bytes of the last workbook libxlsxwriter closed (malloc'd, now the caller's): 0, or -1
 * when libxlsxwriter did not go through xlsx_package.c (it then wrote the file it was given). */
int xlsx_package_take(char **bytes, size_t *size);
/* Drops the bytes of a workbook that will not be used (after a failure). */
void xlsx_package_forget(void);

#endif
