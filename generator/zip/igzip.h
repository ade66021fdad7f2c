/*
 * igzip: the process's fast deflate, ISA-L's igzip at its level 0, for the bytes deflated anew
 * in every document: a DOCX/ODT's filled parts (zip/direct.c, raw deflate) and a PDF page's
 * content (pdf/pdf_stream.c, the zlib format /FlateDecode reads).
 *
 * Why: on the 293 filled parts of a region-5 DOCX build (8.3 MB) igzip level 1 took 74 M
 * instructions against libdeflate level 1's 169 M, for 4.5 % more compressed bytes (still 3 %
 * fewer than zlib's level 1); libdeflate stays for what is deflated once and kept (a font
 * subset) or asked at another level (the ODS register). Level 0 rather than 1: on a region-5
 * build (every format) 65 M fewer instructions of 3,392 M for 4 % more bytes; in time, a
 * consent's document.xml (12.7 KB) takes 8.8 us against level 1's 16.3 (its stream, 82 KB,
 * then zeroed whole for each call, included; now all but its 64 KiB window buffer, which
 * stateless calls never use), and it needs no working memory, so it fails only when its
 * stream would not fit.
 */
#ifndef NASTAVNIK_ZIP_IGZIP_H
#define NASTAVNIK_ZIP_IGZIP_H

#include <stdbool.h>
#include <stddef.h>

/* size bytes at data deflated into out[0..room), raw or (zlib) with the zlib header and
 * Adler-32 trailer. Returns the stream's length; 0 when it does not fit in room (the caller
 * may then deflate otherwise). */
size_t igzip_deflate(const void *data, size_t size, unsigned char *out, size_t room, bool zlib);

#endif
