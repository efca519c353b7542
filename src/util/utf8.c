/*
 * utf8.c — strict UTF-8 decoding and repair. Owns nothing. Depends on buf
 * only. Renderers use it so that a rule name or message taken from any
 * input can never make an output file ill-formed.
 */
#include <string.h>

#include "util/buf.h"
#include "util/utf8.h"

size_t
utf8_decode(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned char lo = 0x80, hi = 0xBF;
	size_t len, i;
	uint32_t v;

	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	/* The second byte's range rules out overlongs, surrogates and > U+10FFFF. */
	if (u[0] >= 0xC2 && u[0] <= 0xDF) {
		len = 2;
		v = u[0] & 0x1F;
	} else if (u[0] >= 0xE0 && u[0] <= 0xEF) {
		len = 3;
		v = u[0] & 0x0F;
		if (u[0] == 0xE0)
			lo = 0xA0;
		else if (u[0] == 0xED)
			hi = 0x9F;
	} else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
		len = 4;
		v = u[0] & 0x07;
		if (u[0] == 0xF0)
			lo = 0x90;
		else if (u[0] == 0xF4)
			hi = 0x8F;
	} else {
		*cp = UTF8_REPLACEMENT;
		return 1;
	}
	for (i = 1; i < len; i++) {
		if (i >= n || u[i] < lo || u[i] > hi) {
			*cp = UTF8_REPLACEMENT;
			return i;
		}
		v = v << 6 | (u[i] & 0x3Fu);
		lo = 0x80;
		hi = 0xBF;
	}
	*cp = v;
	return len;
}

int
utf8_scrub(struct buf *out, const char *s, size_t n, int (*keep)(uint32_t))
{
	static const char repl[] = "\xEF\xBF\xBD";
	size_t start = out->len, i = 0, k, run = 0;
	uint32_t cp;
	int rc = 0, bad;

	/* Good bytes are copied in runs; only a replacement breaks a run. */
	while (i < n) {
		k = utf8_decode(s + i, n - i, &cp);
		/* U+FFFD itself, well-formed in the input, is kept as it is. */
		bad = cp == UTF8_REPLACEMENT && !(k == 3 && memcmp(s + i, repl, 3) == 0);
		if (bad || (keep != NULL && !keep(cp))) {
			rc |= buf_add(out, s + run, i - run);
			rc |= buf_add(out, repl, 3);
			run = i + k;
		}
		i += k;
	}
	rc |= buf_add(out, s + run, n - run);
	if (rc != 0) {
		out->len = start;
		if (out->data != NULL)
			out->data[start] = '\0';
		return -1;
	}
	return 0;
}

size_t
utf8_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

void
utf8_linecol(const char *s, size_t *pos, long *line, long *col, size_t to)
{
	size_t i;

	for (i = *pos; i < to; i++) {
		if (s[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)s[i] & 0xc0) != 0x80) {
			(*col)++;
		}
	}
	*pos = i;
}
