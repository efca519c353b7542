/*
 * utf8.h — reading UTF-8 strictly and repairing it for writers whose
 * formats must be well-formed (JSON, XML). Owns nothing.
 */
#ifndef UTF8_H
#define UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

#define UTF8_REPLACEMENT	0xFFFDu

/*
 * Decodes the character at s (n >= 1 bytes available). Returns the bytes
 * it took (1..4) and sets *cp; an ill-formed sequence (overlong, a
 * surrogate, past U+10FFFF, cut short) gives UTF8_REPLACEMENT and the
 * length of its maximal subpart, as Unicode recommends, so one bad
 * sequence becomes one U+FFFD.
 */
size_t	utf8_decode(const char *s, size_t n, uint32_t *cp);

/*
 * Appends the n bytes at s to out, with every ill-formed sequence, and
 * every character keep() refuses (keep may be NULL), replaced by U+FFFD.
 * 0, or -1 (nothing appended) when out's maximum would be passed.
 */
int	utf8_scrub(struct buf *out, const char *s, size_t n, int (*keep)(uint32_t));

/* Columns a NUL-terminated UTF-8 string takes in a terminal: its code points. */
size_t	utf8_width(const char *s);

/*
 * Moves a line:column cursor (1-based; columns count code points) from
 * s[*pos] to s[to], to >= *pos: the one way every diagnostic finds where
 * a byte offset is (JSON, templates, YAML-free text).
 */
void	utf8_linecol(const char *s, size_t *pos, long *line, long *col, size_t to);

#endif
