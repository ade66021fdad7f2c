/* igzip: see igzip.h. */
#include "zip/igzip.h"

#include <isa-l/igzip_lib.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

size_t igzip_deflate(const void *data, size_t size, unsigned char *out, size_t room, bool zlib) {
  /* (level 0 keeps its hash table in the stream itself: no working memory to allocate) */
  /* Zeroed, but for the window buffer: the stateless init leaves level 0's hash table as the
   * stack had it, and stale entries change the bytes chosen (the same data deflated to other
   * bytes, or not at all and then by libdeflate): a document must not depend on what ran
   * before it. The buffer (64 KiB of the stream's 82) only serves the stateful calls, which
   * copy their input there; zeroing it was most of a call's instructions. */
  struct isal_zstream s;
  memset(&s, 0, offsetof(struct isal_zstream, internal_state.buffer));
  memset(&s.internal_state.head, 0, sizeof s - offsetof(struct isal_zstream, internal_state.head));
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
