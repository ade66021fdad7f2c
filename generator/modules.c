/* modules: see modules.h. */
#include "modules.h"

void modules_register(LuaHost *host) {
  (void)host; /* the PDF and template engines register here as they land */
}
