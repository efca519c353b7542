/*
 * termsafe.h — text from input made safe for a terminal. Control
 * characters (C0, DEL, C1), escape sequences, ill-formed UTF-8 and the
 * bidirectional controls that reorder a line (U+202A..U+202E,
 * U+2066..U+2069, U+200E, U+200F, U+061C) are shown as visible escapes
 * (\e, \t, \x07, <U+202E>) instead of reaching stdout or stderr raw, so
 * a file name or a label can neither move the cursor, recolour the
 * screen, set the window title nor turn a line around. Owns nothing.
 */
#ifndef TERMSAFE_H
#define TERMSAFE_H

#include <stddef.h>
#include <stdio.h>

struct buf;

/*
 * The first n bytes of s (n = (size_t)-1: up to the NUL), made safe, into
 * out (size outsz >= 1, always NUL-terminated; cut at a character
 * boundary when too small). Returns the length written.
 */
size_t	term_safe(const char *s, size_t n, char *out, size_t outsz);
/* The same appended to a buf. 0, or -1 when its maximum would be passed. */
int	term_safe_buf(struct buf *out, const char *s, size_t n);
/* Whether s (NUL-terminated) has anything term_safe would change. */
int	term_unsafe(const char *s);
/* Whether the code point is one term_safe shows instead of printing. */
int	term_hidden(unsigned long cp);

/*
 * Writes text meant for a terminal (a table, a report) to f: line breaks
 * pass, and, when keep_sgr, the colour sequences sloproof itself writes
 * (ESC [ digits and ; m); everything else term_safe would change is shown
 * escaped. Returns what fwrite does (n on success, for the caller's
 * ferror check).
 */
size_t	term_fwrite(FILE *f, const char *s, size_t n, int keep_sgr);

/*
 * Appends s as one POSIX shell word: as it is when it has only
 * [A-Za-z0-9_@%+=:,./-], else in single quotes (a ' as '\''), with
 * whatever term_safe would change shown escaped first, so a command a
 * document prints can be pasted without running anything the input
 * smuggled in ($(...), `...`, ;, a line break, a bidi override).
 * 0, or -1 when out's maximum would be passed.
 */
int	sh_quote(struct buf *out, const char *s);

/*
 * Appends s as one RFC 4180 CSV field, quoted when it holds a comma, quote
 * or line break. A text cell a spreadsheet would take for a formula
 * (starting with =, +, -, @, a tab or a carriage return) gets a leading
 * ' as OWASP advises, so =HYPERLINK(...) from a label stays text.
 * 0, or -1 when out's maximum would be passed.
 */
int	csv_cell(struct buf *out, const char *s);

#endif
