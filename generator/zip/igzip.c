/* igzip: see igzip.h. */
#include "zip/igzip.h"

#include <isa-l/igzip_lib.h>
#include <stdint.h>

#include "memory.h"

static unsigned char *level_buf; /* igzip's level 1 working memory, kept for the process */
static bool no_memory;

bool igzip_out_of_memory(void) {
  return no_memory;
}

size_t igzip_deflate(const void *data, size_t size, unsigned char *out, size_t room, bool zlib) {
  if (!level_buf && !(level_buf = memory_alloc(ISAL_DEF_LVL1_DEFAULT))) {
    no_memory = true;
    return 0;
  }
  no_memory = false;
  struct isal_zstream s;
  isal_deflate_stateless_init(&s);
  s.level = 1;
  s.level_buf = level_buf;
  s.level_buf_size = ISAL_DEF_LVL1_DEFAULT;
  s.gzip_flag = zlib ? IGZIP_ZLIB : IGZIP_DEFLATE;
  s.end_of_stream = 1;
  s.flush = NO_FLUSH;
  s.next_in = (uint8_t *)data;
  s.avail_in = (uint32_t)size;
  s.next_out = out;
  s.avail_out = (uint32_t)(room < UINT32_MAX ? room : UINT32_MAX);
  return isal_deflate_stateless(&s) == COMP_OK ? s.total_out : 0;
}
