/*
 * diag.c — formats and counts diagnostics. Owns the worst-status state of
 * the process. Depends on libc only; must not depend on any module above.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/diag.h"
#include "util/termsafe.h"

static FILE	*out;
static int	 worst;
static size_t	 nwarn;
/* A thread that reads ahead (diag_capture) keeps its own messages and counts. */
static _Thread_local FILE	*held_to;
static _Thread_local int	 cap_worst;
static _Thread_local size_t	 cap_nwarn;

void
diag_set_stream(FILE *f)
{
	out = f;
}

static void
emit(const char *level, const char *file, long line, long col,
    const char *fmt, va_list ap)
{
	FILE *f = held_to ? held_to : out ? out : stderr;
	char msg[4096], safe[8192];

	/*
	 * File names and messages carry bytes from input: a terminal must
	 * not obey them (escape sequences, control characters, bidi overrides).
	 */
	fputs("sloproof: ", f);
	if (file) {
		term_safe(file, (size_t)-1, safe, sizeof safe);
		fputs(safe, f);
		if (line > 0) {
			fprintf(f, ":%ld", line);
			if (col > 0)
				fprintf(f, ":%ld", col);
		}
		fputs(": ", f);
	}
	fprintf(f, "%s: ", level);
	vsnprintf(msg, sizeof msg, fmt, ap);
	term_safe(msg, (size_t)-1, safe, sizeof safe);
	fputs(safe, f);
	fputc('\n', f);
	fflush(f);
}

void
diag_error(const char *file, long line, long col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit("error", file, line, col, fmt, ap);
	va_end(ap);
	if (held_to && cap_worst < 3)
		cap_worst = 3;
	else if (!held_to && worst < 3)
		worst = 3;
}

void
diag_syserr(const char *file, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit("error", file, 0, 0, fmt, ap);
	va_end(ap);
	if (held_to)
		cap_worst = 4;
	else
		worst = 4;
}

void
diag_warning(const char *file, long line, long col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit("warning", file, line, col, fmt, ap);
	va_end(ap);
	if (held_to)
		cap_nwarn++;
	else
		nwarn++;
}

int
diag_status(void)
{
	return worst;
}

size_t
diag_warnings(void)
{
	return nwarn;
}

void
diag_capture(FILE *f)
{
	held_to = f;
	cap_worst = 0;
	cap_nwarn = 0;
}

void
diag_capture_end(struct diag_held *h)
{
	h->worst = cap_worst;
	h->nwarn = cap_nwarn;
	held_to = NULL;
}

void
diag_replay(const char *text, size_t n, const struct diag_held *h)
{
	FILE *f = out ? out : stderr;

	if (n) {
		fwrite(text, 1, n, f);
		fflush(f);
	}
	if (h->worst > worst)
		worst = h->worst;
	nwarn += h->nwarn;
}

void
diag_reset(void)
{
	worst = 0;
	nwarn = 0;
}

const char *
diag_q(const char *s, size_t n)
{
	static _Thread_local char ring[4][160];
	static _Thread_local int next;
	char *d = ring[next];
	size_t i, j = 0, cap = sizeof ring[0];

	next = (next + 1) % 4;
	if (n == (size_t)-1)
		n = s ? strlen(s) : 0;
	d[j++] = '"';
	for (i = 0; i < n && j < cap - 8; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\') {
			d[j++] = '\\';
			d[j++] = (char)c;
		} else if (c < 0x20 || c == 0x7f) {
			j += (size_t)snprintf(d + j, cap - j, "\\x%02x", c);
		} else {
			d[j++] = (char)c;
		}
	}
	if (i < n) {
		memcpy(d + j, "...", 3);
		j += 3;
	}
	d[j++] = '"';
	d[j] = '\0';
	return d;
}
