/*
 * xmlarena: what libxml2 allocates during one fill, in one bump arena let go at once.
 *
 * A fill of a prepared template copies the compiled trees, renders into the copies, writes
 * them out and frees them: tens of thousands of small allocations, each freed one at a time
 * by a walk of the whole tree (xmlFreeDoc was an eighth of a DOCX fill). Between
 * xmlarena_begin and xmlarena_end libxml2's allocator is this arena: an allocation is a bump,
 * a free is nothing (or a step back when it is the last block), and the end drops every block
 * at once instead of walking the trees. Memory that is not the arena's (allocated before the
 * fill) is freed and reallocated as before.
 *
 * Nothing allocated by libxml2 inside the span may outlive it: the trees rendered into
 * (freed with xmlarena_free_doc, never xmlFreeDoc), their dictionary (a sub-dictionary of the
 * prepared one, which is only read: see prepared.c), libxml2's last error (reset at the
 * end). Trees that outlive a fill (the prepared ones) are made outside the span. One
 * process, one thread; a fill started inside another's span (a filter that fills) runs with
 * the ordinary allocator and gives the span back when it ends.
 */
#ifndef NASTAVNIK_TEMPLATE_XMLARENA_H
#define NASTAVNIK_TEMPLATE_XMLARENA_H

#include <libxml/tree.h>

/* Starts a span; libxml2 allocates from the arena until xmlarena_end. */
void xmlarena_begin(void);
/* Whether a span is open. */
int xmlarena_active(void);
/* A tree made inside the span: its dictionary let go (the nodes go with the span). */
void xmlarena_free_doc(xmlDoc *doc);
/* Ends the span: every block allocated in it is let go. */
void xmlarena_end(void);
/* For a fill inside a span: the ordinary allocator until xmlarena_resume; returns whether a
 * span was open (what xmlarena_resume wants). */
int xmlarena_pause(void);
void xmlarena_resume(int paused);

/* Blocks laid out ahead of a span, as the arena lays them out (treecopy.c's images): the bytes
 * a block of `size` takes, and the block placed at `at` (its size written before it, as
 * arena_realloc reads it). A run of such blocks copied whole into one block of the arena is a
 * run of the arena's own blocks. */
size_t xmlarena_room(size_t size);
void *xmlarena_place(unsigned char *at, size_t size);

#endif
