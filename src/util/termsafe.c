/*
 * termsafe.c — visible escapes for what a terminal would obey (see
 * termsafe.h). Owns nothing. Depends on buf and utf8.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "util/termsafe.h"
#include "util/utf8.h"

int
term_hidden(unsigned long cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	    cp == 0x200e || cp == 0x200f || cp == 0x061c ||
	    cp == 0x2028 || cp == 0x2029 || cp == UTF8_REPLACEMENT;
}

/* The escape shown for one character (or one ill-formed sequence) at s. */
static size_t
escape_one(const char *s, size_t k, uint32_t cp, char esc[16])
{
	if (cp == UTF8_REPLACEMENT && !(k == 3 && memcmp(s, "\xef\xbf\xbd", 3) == 0)) {
		/* An ill-formed byte: shown as itself, in hex. */
		snprintf(esc, 16, "\\x%02x", (unsigned char)s[0]);
		return 1;
	}
	if (cp == UTF8_REPLACEMENT) {
		memcpy(esc, s, 3);
		esc[3] = '\0';
		return k;
	}
	switch (cp) {
	case 0x1b: snprintf(esc, 16, "\\e"); break;
	case '\t': snprintf(esc, 16, "\\t"); break;
	case '\n': snprintf(esc, 16, "\\n"); break;
	case '\r': snprintf(esc, 16, "\\r"); break;
	default:
		if (cp < 0x100)
			snprintf(esc, 16, "\\x%02lx", (unsigned long)cp);
		else
			snprintf(esc, 16, "<U+%04lX>", (unsigned long)cp);
	}
	return k;
}

/* Calls put(ctx, bytes, n) for each safe piece of s; stops when put returns -1. */
static int
walk(const char *s, size_t n, int (*put)(void *, const char *, size_t), void *ctx)
{
	size_t i = 0, start = 0, k;
	uint32_t cp;
	char esc[16];

	while (i < n) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f) {
			i++;
			continue;
		}
		k = utf8_decode(s + i, n - i, &cp);
		if (!term_hidden(cp) || (cp == UTF8_REPLACEMENT && k == 3 &&
		    memcmp(s + i, "\xef\xbf\xbd", 3) == 0)) {
			i += k;
			continue;
		}
		if (i > start && put(ctx, s + start, i - start) == -1)
			return -1;
		k = escape_one(s + i, k, cp, esc);
		if (put(ctx, esc, strlen(esc)) == -1)
			return -1;
		i += k;
		start = i;
	}
	if (i > start && put(ctx, s + start, i - start) == -1)
		return -1;
	return 0;
}

struct fixed {
	char	*out;
	size_t	 len, size;
};

static int
put_fixed(void *ctx, const char *p, size_t n)
{
	struct fixed *f = ctx;

	if (f->len + n + 1 > f->size) {
		/* Cut, but never inside a UTF-8 sequence. */
		n = f->size - 1 - f->len;
		while (n > 0 && ((unsigned char)p[n] & 0xc0) == 0x80)
			n--;
		memcpy(f->out + f->len, p, n);
		f->len += n;
		return -1;
	}
	memcpy(f->out + f->len, p, n);
	f->len += n;
	return 0;
}

size_t
term_safe(const char *s, size_t n, char *out, size_t outsz)
{
	struct fixed f = {out, 0, outsz};

	if (n == (size_t)-1)
		n = strlen(s);
	walk(s, n, put_fixed, &f);
	out[f.len] = '\0';
	return f.len;
}

static int
put_buf(void *ctx, const char *p, size_t n)
{
	return buf_add(ctx, p, n);
}

int
term_safe_buf(struct buf *out, const char *s, size_t n)
{
	if (n == (size_t)-1)
		n = strlen(s);
	return walk(s, n, put_buf, out);
}

int
term_unsafe(const char *s)
{
	size_t n = strlen(s), i = 0, k;
	uint32_t cp;

	while (i < n) {
		if ((unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f) {
			i++;
			continue;
		}
		k = utf8_decode(s + i, n - i, &cp);
		if (term_hidden(cp) && !(cp == UTF8_REPLACEMENT && k == 3 &&
		    memcmp(s + i, "\xef\xbf\xbd", 3) == 0))
			return 1;
		i += k;
	}
	return 0;
}

/* The length of an SGR colour sequence at s (ESC [ digits/; m), or 0. */
static size_t
sgr_len(const char *s, size_t n)
{
	size_t i;

	if (n < 3 || s[0] != 0x1b || s[1] != '[')
		return 0;
	for (i = 2; i < n && i < 16; i++) {
		if (s[i] == 'm')
			return i;
		if (!((s[i] >= '0' && s[i] <= '9') || s[i] == ';'))
			return 0;
	}
	return 0;
}

size_t
term_fwrite(FILE *f, const char *s, size_t n, int keep_sgr)
{
	struct buf b;
	size_t i = 0, start, end, k;
	const char *nl;

	buf_init(&b, (size_t)-1);
	while (i < n) {
		nl = memchr(s + i, '\n', n - i);
		end = nl ? (size_t)(nl - s) : n;
		/* One line: our colour sequences pass, the rest is made safe. */
		for (start = i; i < end; ) {
			if (keep_sgr && s[i] == 0x1b && (k = sgr_len(s + i, end - i)) > 0) {
				term_safe_buf(&b, s + start, i - start);
				buf_add(&b, s + i, k + 1);
				i += k + 1;
				start = i;
			} else {
				i++;
			}
		}
		term_safe_buf(&b, s + start, end - start);
		if (nl)
			buf_addc(&b, '\n');
		i = end + 1;
	}
	k = fwrite(b.data ? b.data : "", 1, b.len, f);
	k = k == b.len ? n : 0;
	buf_release(&b);
	return k;
}

int
sh_quote(struct buf *out, const char *s)
{
	struct buf safe;
	size_t i;
	int rc = 0;

	buf_init(&safe, (size_t)-1);
	term_safe_buf(&safe, s, (size_t)-1);
	s = buf_str(&safe);
	if (*s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_@%+=:,./-") == strlen(s)) {
		rc = buf_addstr(out, s);
		buf_release(&safe);
		return rc;
	}
	rc |= buf_addc(out, '\'');
	for (i = 0; s[i]; i++)
		rc |= s[i] == '\'' ? buf_addstr(out, "'\\''") : buf_addc(out, s[i]);
	rc |= buf_addc(out, '\'');
	buf_release(&safe);
	return rc ? -1 : 0;
}

int
csv_cell(struct buf *out, const char *s)
{
	const char *p;
	int r = 0, formula = *s && strchr("=+-@\t\r", *s) != NULL;

	if (!formula && strpbrk(s, ",\"\r\n") == NULL)
		return buf_addstr(out, s);
	r |= buf_addc(out, '"');
	if (formula)
		r |= buf_addc(out, '\'');
	for (p = s; *p; p++) {
		if (*p == '"')
			r |= buf_addc(out, '"');
		r |= buf_addc(out, *p);
	}
	return r | buf_addc(out, '"');
}
