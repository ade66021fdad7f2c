/* igzip: see igzip.h. */
#include "zip/igzip.h"

#include <isa-l/igzip_lib.h>
#include <stdint.h>

size_t igzip_deflate(const void *data, size_t size, unsigned char *out, size_t room, bool zlib) {
  /* (level 0 keeps its hash table in the stream itself: no working memory to allocate) */
  /* Zeroed whole: the stateless init leaves level 0's hash table as the stack had it, and
   * stale entries change the bytes chosen (the same data deflated to other bytes, or not at
   * all and then by libdeflate): a document must not depend on what ran before it. */
  struct isal_zstream s = {0};
  isal_deflate_stateless_init(&s);
  s.level = 0;
  s.gzip_flag = zlib ? IGZIP_ZLIB : IGZIP_DEFLATE;
  s.end_of_stream = 1;
  s.flush = NO_FLUSH;
  s.next_in = (uint8_t *)data;
  s.avail_in = (uint32_t)size;
  s.next_out = out;
  s.avail_out = (uint32_t)(room < UINT32_MAX ? room : UINT32_MAX);
  return isal_deflate_stateless(&s) == COMP_OK ? s.total_out : 0;
}
