/* zip/direct: see direct.h. */
#define _POSIX_C_SOURCE 200809L
#include "direct.h"

#include <libdeflate.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "memory.h"
#include "zip/igzip.h"

typedef struct {
  const char *name;
  size_t name_len;
  unsigned host;     /* the high byte of "version made by" */
  unsigned flags;    /* the general purpose bits libzip keeps (levels, patched data) */
  unsigned method;   /* 0 stored, 8 deflated */
  unsigned internal; /* bit 0: text */
  uint32_t external, crc, comp_size, size;
  const unsigned char *data; /* comp_size bytes */
  unsigned dos_time, dos_date;
} Entry;

struct ZipDirect {
  Entry *entries;
  size_t count;
};

static unsigned get16(const unsigned char *p) {
  return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t get32(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static unsigned char *put16(unsigned char *p, unsigned v) {
  p[0] = (unsigned char)v;
  p[1] = (unsigned char)(v >> 8);
  return p + 2;
}

static unsigned char *put32(unsigned char *p, uint32_t v) {
  p = put16(p, v & 0xffff);
  return put16(p, v >> 16);
}

/* libzip's _zip_u2d_time: the local time, years before 1980 made 1980. */
static void dos_time(time_t t, unsigned *time_out, unsigned *date_out) {
  struct tm tm;
  if (!localtime_r(&t, &tm)) {
    *date_out = (1 << 5) + 1;
    *time_out = 0;
    return;
  }
  if (tm.tm_year < 80) tm.tm_year = 80;
  *date_out =
      (unsigned)(((tm.tm_year + 1900 - 1980) << 9) + ((tm.tm_mon + 1) << 5) + tm.tm_mday) & 0xffff;
  *time_out = (unsigned)((tm.tm_hour << 11) + (tm.tm_min << 5) + (tm.tm_sec >> 1)) & 0xffff;
}

int zip_direct_name_ok(const char *name) {
  size_t n = 0;
  for (; name[n]; n++)
    if ((unsigned char)name[n] > 0x7f) return 0;
  return n > 0 && n < 0xffff;
}

/* The end of central directory record, or NULL. */
static const unsigned char *find_end(const unsigned char *data, size_t size) {
  if (size < 22) return NULL;
  size_t lowest = size > 22 + 0xffff ? size - 22 - 0xffff : 0;
  for (size_t at = size - 22;; at--) {
    const unsigned char *e = data + at;
    if (get32(e) == 0x06054b50 && at + 22 + get16(e + 20) == size) return e;
    if (at == lowest) return NULL;
  }
}

ZipDirect *zip_direct_index(const unsigned char *data, size_t size, const char *const *names,
                            const time_t *mtimes, size_t count) {
  const unsigned char *end = data ? find_end(data, size) : NULL;
  if (!end || get16(end + 4) != 0 || get16(end + 6) != 0 || get16(end + 8) != count ||
      get16(end + 10) != count)
    return NULL;
  uint32_t cd_size = get32(end + 12), cd_offset = get32(end + 16);
  if (cd_size == 0xffffffffu || cd_offset == 0xffffffffu || cd_offset > size ||
      cd_size > size - cd_offset)
    return NULL;
  ZipDirect *d = memory_calloc(1, sizeof *d);
  if (!d) return NULL;
  d->entries = memory_calloc(count ? count : 1, sizeof *d->entries);
  if (!d->entries) {
    memory_free(d);
    return NULL;
  }
  d->count = count;
  const unsigned char *c = data + cd_offset, *cd_end = c + cd_size;
  for (size_t i = 0; i < count; i++) {
    Entry *e = &d->entries[i];
    if (cd_end - c < 46 || get32(c) != 0x02014b50) goto refuse;
    size_t name_len = get16(c + 28), extra_len = get16(c + 30), comment_len = get16(c + 32);
    if ((size_t)(cd_end - c) < 46 + name_len + extra_len + comment_len) goto refuse;
    e->name = names[i];
    e->name_len = name_len;
    if (!zip_direct_name_ok(names[i]) || strlen(names[i]) != name_len ||
        memcmp(c + 46, names[i], name_len) != 0)
      goto refuse;
    for (size_t k = 0; k < i; k++)
      if (strcmp(d->entries[k].name, names[i]) == 0) goto refuse;
    unsigned flags = get16(c + 8);
    e->host = get16(c + 4) >> 8;
    e->flags = flags & 0x0036; /* libzip's mask 0x0836 less the UTF-8 bit (ASCII names) */
    e->method = get16(c + 10);
    e->crc = get32(c + 16);
    e->comp_size = get32(c + 20);
    e->size = get32(c + 24);
    e->internal = get16(c + 36) & 1;
    e->external = get32(c + 38);
    uint32_t offset = get32(c + 42);
    if ((flags & 0x41) || get16(c + 34) != 0 || (e->method != 0 && e->method != 8) ||
        e->comp_size == 0xffffffffu || e->size == 0xffffffffu || offset == 0xffffffffu)
      goto refuse; /* encrypted, on another disk, another method, ZIP64 */
    if (offset > size || size - offset < 30 || get32(data + offset) != 0x04034b50) goto refuse;
    size_t start = (size_t)offset + 30 + get16(data + offset + 26) + get16(data + offset + 28);
    if (start > size || size - start < e->comp_size) goto refuse;
    e->data = data + start;
    if (e->method == 0 &&
        (e->comp_size != e->size || libdeflate_crc32(0, e->data, e->comp_size) != e->crc))
      goto refuse; /* libzip checks a stored entry's CRC as it copies it */
    if (e->comp_size == 0 && e->method != 0) goto refuse;
    dos_time(mtimes[i], &e->dos_time, &e->dos_date);
    c += 46 + name_len + extra_len + comment_len;
  }
  return d;
refuse:
  zip_direct_free(d);
  return NULL;
}

void zip_direct_free(ZipDirect *d) {
  if (!d) return;
  memory_free(d->entries);
  memory_free(d);
}

/* One compressor for the process (the generator is single-threaded; build workers are
 * processes), made again only when another level is asked for. libdeflate rather than zlib:
 * measured on the filled parts of a region's DOCX and ODT at level 1 (with the CRC), it takes
 * half zlib's time (zlib also clears its 128 KiB hash table for every part) and writes 7 %
 * fewer bytes; libdeflate's level 2 costs twice its level 1 for 1.5 % fewer bytes. */
static struct libdeflate_compressor *compressor;
static int compressor_level; /* 0: none made */

static struct libdeflate_compressor *deflater(int level) {
  if (compressor_level == level) return compressor;
  libdeflate_free_compressor(compressor);
  compressor_level = 0;
  compressor = libdeflate_alloc_compressor(level);
  if (!compressor) {
    memory_note_failure(); /* its only failure: memory */
    return NULL;
  }
  compressor_level = level;
  return compressor;
}

/* zlib's stream for the levels other than 1 (a package made from nothing: the ODS writer's,
 * level 6), set as libzip 1.7 sets its own (raw deflate, memory level 9, default strategy), so
 * that the bytes are libzip's; made once a process and reset for each part (what libzip's
 * layers of sources cost beside the deflate itself was a quarter of an ODS's instructions). */
static z_stream *zlib_stream(int level, int reset) {
  static z_stream z;
  static int z_level; /* 0: none made */
  if (z_level == level) {
    if (!reset || deflateReset(&z) == Z_OK) return &z;
  } else if (z_level) {
    deflateEnd(&z);
  }
  z_level = 0;
  memset(&z, 0, sizeof z);
  int rc = deflateInit2(&z, level, Z_DEFLATED, -MAX_WBITS, MAX_MEM_LEVEL, Z_DEFAULT_STRATEGY);
  if (rc != Z_OK) {
    if (rc == Z_MEM_ERROR) memory_note_failure();
    return NULL;
  }
  z_level = level;
  return &z;
}

/* The room a part of `size` bytes may need deflated at `level`. */
static size_t deflate_room(struct libdeflate_compressor *z, int level, size_t size) {
  if (level == 1) return libdeflate_deflate_compress_bound(z, size);
  z_stream *zs = zlib_stream(level, 0); /* (the bound reads only the stream's settings) */
  return zs ? (size_t)deflateBound(zs, (uLong)size) : 0;
}

/* Deflates data into out[0..room) (room: deflate_room's); the stream's length, or 0 when
 * memory ran out. Level 1, what every fill asks for, is igzip's fast level (igzip.h), else
 * libdeflate's; the other levels are zlib's, as libzip's. */
static size_t deflate_part(struct libdeflate_compressor *z, int level, const void *data,
                           size_t size, unsigned char *out, size_t room) {
  if (level == 1) {
    size_t n = igzip_deflate(data, size, out, room, false);
    if (n) return n;
    /* (igzip gives up when its stream would not fit the bound libdeflate's holds) */
    return libdeflate_deflate_compress(z, data, size, out, room);
  }
  z_stream *zs = zlib_stream(level, 1);
  if (!zs || size > UINT32_MAX || room > UINT32_MAX) return 0;
  zs->next_in = (Bytef *)data;
  zs->avail_in = (uInt)size;
  zs->next_out = out;
  zs->avail_out = (uInt)room;
  return deflate(zs, Z_FINISH) == Z_STREAM_END ? (size_t)zs->total_out : 0;
}

/* The last small parts deflated at a level other than 1 (zlib's: the ODS writer's), with their
 * streams: an ODS's styles, settings and manifest are the same bytes in every register, and
 * zlib took longer to deflate each of those 2 KB (its reset clears 128 KiB) than to compare
 * them. Kept the longer the more they serve: the parts that differ each time (a register's
 * content, its dates) take turns in the slots used least. Plain malloc: a part not kept is
 * only deflated again, not a failure. */
enum { SAME_PARTS = 8, SAME_PART_MAX = 16384 };
typedef struct {
  int level;
  size_t size, deflated_size;
  unsigned char *data; /* size bytes, then the stream */
  const unsigned char *deflated;
  uint32_t crc;
  unsigned long uses, kept;
} SamePart;
static SamePart same_parts[SAME_PARTS];

static const SamePart *same_part(int level, const ZipDirectItem *it) {
  for (size_t i = 0; i < SAME_PARTS; i++) {
    SamePart *p = &same_parts[i];
    if (p->data && p->level == level && p->size == it->size &&
        memcmp(p->data, it->data, it->size) == 0) {
      p->uses++;
      return p;
    }
  }
  return NULL;
}

static void keep_part(int level, const ZipDirectItem *it, const unsigned char *deflated, size_t n,
                      uint32_t crc) {
  if (it->size > SAME_PART_MAX || n > SAME_PART_MAX) return;
  static unsigned long kept; /* (the order parts were kept in: the oldest of the least used go) */
  SamePart *slot = &same_parts[0];
  for (size_t i = 1; i < SAME_PARTS && slot->data; i++) {
    SamePart *p = &same_parts[i];
    if (!p->data || p->uses < slot->uses || (p->uses == slot->uses && p->kept < slot->kept))
      slot = p;
  }
  unsigned char *data = malloc(it->size + n);
  if (!data) return;
  memcpy(data, it->data, it->size);
  memcpy(data + it->size, deflated, n);
  free(slot->data);
  *slot = (SamePart){level, it->size, n, data, data + it->size, crc, 0, ++kept};
}

/* The fields both headers of an entry share, in the same order: version needed to the name's
 * length. */
static unsigned char *shared_fields(unsigned char *p, const ZipEntryHeader *w) {
  p = put16(p, w->needed);
  p = put16(p, w->flags);
  p = put16(p, w->method);
  p = put16(p, w->dos_time);
  p = put16(p, w->dos_date);
  p = put32(p, w->crc);
  p = put32(p, w->comp_size);
  p = put32(p, w->size);
  return put16(p, (unsigned)w->name_len);
}

unsigned char *zip_local_header(unsigned char *p, const ZipEntryHeader *w) {
  p = put32(p, 0x04034b50);
  p = shared_fields(p, w);
  p = put16(p, 0);
  memcpy(p, w->name, w->name_len);
  return p + w->name_len;
}

unsigned char *zip_central_header(unsigned char *p, const ZipEntryHeader *w) {
  p = put32(p, 0x02014b50);
  p = put16(p, w->made_by);
  p = shared_fields(p, w);
  p = put16(p, 0); /* extra */
  p = put16(p, 0); /* comment */
  p = put16(p, 0); /* disk */
  p = put16(p, w->internal);
  p = put32(p, w->external);
  p = put32(p, w->offset);
  memcpy(p, w->name, w->name_len);
  return p + w->name_len;
}

unsigned char *zip_end_record(unsigned char *p, size_t count, uint32_t cd_size, uint32_t cd_offset,
                              size_t comment_len) {
  p = put32(p, 0x06054b50);
  p = put32(p, 0); /* this disk, the directory's disk */
  p = put16(p, (unsigned)count);
  p = put16(p, (unsigned)count);
  p = put32(p, cd_size);
  p = put32(p, cd_offset);
  return put16(p, (unsigned)comment_len);
}

/* libzip's "version needed": 2.0 to deflate or for a folder, else 1.0. */
static unsigned needed(unsigned method, const char *name, size_t name_len) {
  return method == 8 || (name_len && name[name_len - 1] == '/') ? 20 : 10;
}

int zip_direct_build(const ZipDirect *d, const ZipDirectItem *items, size_t count, int level,
                     char **out, size_t *out_size) {
  if (level < 1 || level > 9) level = 9; /* libzip's default */
  struct libdeflate_compressor *z = NULL;
  size_t cap = 22;
  for (size_t i = 0; i < count; i++) {
    const ZipDirectItem *it = &items[i];
    size_t name_len = strlen(it->name);
    size_t body;
    if (it->size >= 0xffffffffu) return 1;
    if (!it->data) {
      body = d->entries[it->src].comp_size;
    } else if (it->store) {
      body = it->size;
    } else {
      if (level == 1 && !z && !(z = deflater(level))) return -1;
      body = deflate_room(z, level, it->size);
      if (!body) return -1;
    }
    cap += 30 + 46 + 2 * name_len + body;
  }
  if (count >= 0xffff || cap >= 0xffffffffu) return 1; /* libzip would write ZIP64 */
  unsigned char *buf = memory_alloc(cap);
  ZipEntryHeader *written = memory_alloc((count ? count : 1) * sizeof *written);
  if (!buf || !written) {
    memory_free(buf);
    memory_free(written);
    return -1;
  }
  unsigned char *p = buf;
  for (size_t i = 0; i < count; i++) {
    const ZipDirectItem *it = &items[i];
    ZipEntryHeader *w = &written[i];
    w->name = it->name;
    w->name_len = strlen(it->name);
    w->offset = (uint32_t)(p - buf);
    if (it->src >= 0) {
      w->dos_time = d->entries[it->src].dos_time;
      w->dos_date = d->entries[it->src].dos_date;
    } else {
      dos_time(it->mtime, &w->dos_time, &w->dos_date);
    }
    unsigned char *body = p + 30 + w->name_len;
    if (!it->data) { /* copied as it is, with the source entry's attributes */
      const Entry *e = &d->entries[it->src];
      w->made_by = 63 | e->host << 8;
      w->flags = e->flags;
      w->method = e->method;
      w->internal = e->internal;
      w->external = e->external;
      w->crc = e->crc;
      w->comp_size = e->comp_size;
      w->size = e->size;
      memcpy(body, e->data, e->comp_size);
    } else { /* new data: libzip's defaults (Unix, rw-rw-rw-) */
      w->made_by = 63 | 3 << 8;
      w->internal = 0;
      w->external = 0100666u << 16;
      w->size = (uint32_t)it->size;
      const SamePart *same = it->store || level == 1 ? NULL : same_part(level, it);
      if (it->store) {
        w->crc = libdeflate_crc32(0, it->data, it->size);
        w->flags = 0;
        w->method = 0;
        w->comp_size = (uint32_t)it->size;
        memcpy(body, it->data, it->size);
      } else if (same) { /* (within the bound: the same deflate made it) */
        w->crc = same->crc;
        w->flags = level < 3 ? 4 : level > 7 ? 2 : 0;
        w->method = 8;
        w->comp_size = (uint32_t)same->deflated_size;
        memcpy(body, same->deflated, same->deflated_size);
      } else {
        w->crc = libdeflate_crc32(0, it->data, it->size);
        w->flags = level < 3 ? 4 : level > 7 ? 2 : 0;
        w->method = 8;
        size_t n = deflate_part(z, level, it->data, it->size, body, (size_t)(buf + cap - body));
        if (n == 0) { /* the bound always holds the stream: out of memory */
          memory_free(buf);
          memory_free(written);
          return -1;
        }
        w->comp_size = (uint32_t)n;
        if (level != 1) keep_part(level, it, body, n, w->crc);
      }
    }
    w->needed = needed(w->method, w->name, w->name_len);
    zip_local_header(p, w);
    p = body + w->comp_size;
  }
  uint32_t cd_offset = (uint32_t)(p - buf);
  for (size_t i = 0; i < count; i++) p = zip_central_header(p, &written[i]);
  uint32_t cd_size = (uint32_t)(p - buf) - cd_offset;
  p = zip_end_record(p, count, cd_size, cd_offset, 0);
  memory_free(written);
  *out = (char *)buf;
  *out_size = (size_t)(p - buf);
  return 0;
}

const void *zip_direct_stored(const ZipDirect *d, long src, size_t *size) {
  const Entry *e = &d->entries[src];
  if (e->method != 0) return NULL;
  *size = e->size;
  return e->data;
}
