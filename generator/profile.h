/*
 * profile: where the Lua of a run spends its instructions, for the engineer who makes the
 * generator faster (issue 15: «profile, then remove the top costs»). perf sees only the
 * interpreter's loop; this sees the Lua functions and lines.
 *
 * Off unless NASTAVNIK_PROFILE names a file. Then every sample (one per HOOK_STEP Lua
 * instructions, taken by the limits hook: the instruction count is the sampling clock) adds
 * one to the stack it finds, and at the end of the process the stacks are written to that
 * file in the "collapsed" form (frame;frame;frame count) that flamegraph.pl and
 * bench/profile.py read. A forked worker writes nothing: profile with -j 1.
 */
#ifndef NASTAVNIK_PROFILE_H
#define NASTAVNIK_PROFILE_H

#include <lua.h>

/* Whether NASTAVNIK_PROFILE asks for a profile (read once). */
int profile_enabled(void);

/* Counts the stack of the running Lua code once: `weight` instructions' worth. */
void profile_sample(lua_State *L, long weight);

#endif
