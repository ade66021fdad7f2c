/* oserror: see oserror.h. */
#include "oserror.h"

#include <errno.h>
#include <stdio.h>

const char *oserror_reason(int err, OsErrorAction action) {
  switch (err) {
    case ENOENT:
      return "нет такого файла или папки";
    case ENOSPC:
      return "нет места на диске";
#ifdef EDQUOT
    case EDQUOT:
      return "превышена квота на диске";
#endif
    case EACCES:
    case EPERM:
      return action == OSERROR_WRITING ? "нет прав на запись" : "нет прав на чтение";
    case EROFS:
      return "диск доступен только для чтения";
    case EISDIR:
      return "это папка, а не файл";
    case ENOTDIR:
      return "часть пути — не папка, а файл";
    case ENAMETOOLONG:
      return "слишком длинное имя файла";
    case EEXIST:
      return "файл уже существует";
    case EFBIG:
      return "файл слишком велик";
    case ENOMEM:
      return "не хватило памяти";
    case EMFILE:
    case ENFILE:
      return "открыто слишком много файлов";
    case ELOOP:
      return "слишком много символических ссылок в пути";
    case EBUSY:
    case ETXTBSY:
      return "файл занят другой программой";
    case EXDEV:
      return "папки на разных дисках";
    case EINVAL:
      return "недопустимое имя файла";
    case EIO:
      return "ошибка ввода-вывода (диск неисправен?)";
    default: {
      static _Thread_local char unknown[64];
      snprintf(unknown, sizeof unknown, "системная ошибка № %d", err);
      return unknown;
    }
  }
}
