/*
 * pointer_slot: the slot of a pointer in an open-addressed table of pointers (linear probing,
 * a power of two slots, kept at most half full by its owner), for the sets of tables met by
 * lua_host.c's plain_tree walk and by workers_lua.c's encoding of messages. A Lua table keyed by
 * the same addresses grew and rehashed through every organisation's hundreds of tables.
 */
#ifndef NASTAVNIK_POINTER_SLOT_H
#define NASTAVNIK_POINTER_SLOT_H

#include <stddef.h>
#include <stdint.h>

/* Where p is among keys[0..slots), or the empty slot where it goes. */
static inline size_t pointer_slot(const void *const *keys, size_t slots, const void *p) {
  size_t mask = slots - 1;
  size_t i = ((uintptr_t)p >> 4) * 0x9E3779B97F4A7C15u >> 20 & mask;
  while (keys[i] && keys[i] != p) i = (i + 1) & mask;
  return i;
}

#endif
