/*
 * oserror: the system's reasons for a failed read or write, in the Russian words a secretary
 * reads («нет места на диске», «нет прав на запись»), never strerror's English.
 */
#ifndef NASTAVNIK_OSERROR_H
#define NASTAVNIK_OSERROR_H

typedef enum { OSERROR_READING, OSERROR_WRITING } OsErrorAction;

/* The reason for errno `err`, as a phrase to put after «не удалось записать файл: ». Static
 * text for the known codes; for an unknown one a per-thread buffer with the number. */
const char *oserror_reason(int err, OsErrorAction action);

#endif
