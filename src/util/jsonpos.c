/*
 * jsonpos.c — the validating JSON scanner shared by the JSON importers
 * (in_k6sum.c, in_alerts.c): exact line:col for every syntax error, the
 * nesting limit, and the position of every key and value in document
 * order so that a walk over cJSON's tree can cite where things are.
 * Columns count UTF-8 characters from 1. Owns only its position list.
 * Depends on diag, xalloc, splimits and cJSON (for the member walk); must
 * not depend on importers, the model or renderers.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "util/utf8.h"
#include "util/diag.h"
#include "util/jsonpos.h"
#include "util/jsonlim.h"
#include "util/splimits.h"
#include "util/xalloc.h"

#define NOKEY ((size_t)-1)

void
jscan_init(struct jscan *sc, const char *path, const char *s, size_t n)
{
	json_init();
	memset(sc, 0, sizeof *sc);
	sc->path = path;
	sc->s = s;
	sc->n = n;
	sc->cline = sc->ccol = 1;
}

void
jscan_release(struct jscan *sc)
{
	free(sc->pos);
	sc->pos = NULL;
	sc->npos = sc->cappos = 0;
}

void
json_line_col(const char *s, size_t off, long *line, long *col)
{
	size_t pos = 0;

	*line = *col = 1;
	utf8_linecol(s, &pos, line, col, off);
}

void
jscan_at(struct jscan *sc, size_t off, uint32_t *line, uint32_t *col)
{
	long l, c;

	if (off < sc->coff) {
		sc->coff = 0;
		sc->cline = sc->ccol = 1;
	}
	l = sc->cline;
	c = sc->ccol;
	utf8_linecol(sc->s, &sc->coff, &l, &c, off);
	sc->cline = (uint32_t)l;
	sc->ccol = (uint32_t)c;
	*line = sc->cline;
	*col = sc->ccol;
}

int
jscan_fail(struct jscan *sc, size_t off, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	uint32_t line, col;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	jscan_at(sc, off, &line, &col);
	diag_error(sc->path, line, col, "%s", msg);
	return -1;
}

static int
scan_eof(struct jscan *sc)
{
	return jscan_fail(sc, sc->n, "invalid JSON: unexpected end of input");
}

/* The character at off (all bytes of a UTF-8 sequence), quoted. */
const char *
jscan_found(const struct jscan *sc, size_t off)
{
	unsigned char c = (unsigned char)sc->s[off];
	size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;

	if (len > sc->n - off)
		len = sc->n - off;
	return diag_q(sc->s + off, len);
}

void
jscan_ws(struct jscan *sc)
{
	while (sc->i < sc->n && (sc->s[sc->i] == ' ' || sc->s[sc->i] == '\t' ||
	    sc->s[sc->i] == '\n' || sc->s[sc->i] == '\r'))
		sc->i++;
}

/* The four hex digits at off, or -1 (-2 when the input ends first). */
static long
scan_hex4(const struct jscan *sc, size_t off)
{
	long v = 0;
	size_t k;
	int c, d;

	for (k = 0; k < 4; k++) {
		if (off + k >= sc->n)
			return -2;
		c = (unsigned char)sc->s[off + k];
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/*
 * A string from the '"' at sc->i. Raw control characters are let through
 * as cJSON does; escapes are checked, including surrogate pairs, which
 * cJSON would refuse without saying where.
 */
static int
scan_string(struct jscan *sc)
{
	const char *s = sc->s;
	size_t n = sc->n, i = sc->i + 1, esc;
	long u, lo;

	for (;;) {
		while (i < n && s[i] != '"' && s[i] != '\\')
			i++;
		if (i >= n)
			return scan_eof(sc);
		if (s[i] == '"') {
			sc->i = i + 1;
			return 0;
		}
		esc = i;
		if (i + 1 >= n)
			return scan_eof(sc);
		switch (s[i + 1]) {
		case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
			i += 2;
			continue;
		case 'u':
			break;
		default:
			return jscan_fail(sc, esc, "invalid JSON: invalid escape %s in a string",
			    diag_q(s + esc, (unsigned char)s[esc + 1] < 0x80 ? 2 : 1));
		}
		if ((u = scan_hex4(sc, i + 2)) == -2)
			return scan_eof(sc);
		if (u == -1)
			return jscan_fail(sc, esc, "invalid JSON: invalid escape %s in a string",
			    diag_q(s + esc, n - esc < 6 ? n - esc : 6));
		i += 6;
		if (u >= 0xdc00 && u <= 0xdfff)
			return jscan_fail(sc, esc, "invalid JSON: unpaired surrogate %s in a string",
			    diag_q(s + esc, 6));
		if (u >= 0xd800 && u <= 0xdbff) {
			/* Only its low half may follow. */
			lo = -1;
			if (i >= n || (s[i] == '\\' && (i + 1 >= n ||
			    (s[i + 1] == 'u' && (lo = scan_hex4(sc, i + 2)) == -2))))
				return scan_eof(sc);
			if (lo < 0xdc00 || lo > 0xdfff)
				return jscan_fail(sc, esc, "invalid JSON: unpaired surrogate %s in a string",
				    diag_q(s + esc, 6));
			i += 6;
		}
	}
}

static int
scan_number(struct jscan *sc)
{
	const char *s = sc->s;
	size_t n = sc->n, i = sc->i, start = sc->i, len;

	if (s[i] == '-')
		i++;
	if (i < n && s[i] == '0')
		i++;
	else if (i < n && isdigit((unsigned char)s[i]))
		while (i < n && isdigit((unsigned char)s[i]))
			i++;
	else
		goto bad;
	if (i < n && s[i] == '.') {
		if (++i >= n || !isdigit((unsigned char)s[i]))
			goto bad;
		while (i < n && isdigit((unsigned char)s[i]))
			i++;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		if (++i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i >= n || !isdigit((unsigned char)s[i]))
			goto bad;
		while (i < n && isdigit((unsigned char)s[i]))
			i++;
	}
	if (i < n && strchr("0123456789+-.eE", s[i]) == NULL) {
		sc->i = i;
		return 0;
	}
	if (i >= n) {
		sc->i = i;
		return 0;
	}
bad:
	if (i >= n)
		return scan_eof(sc);
	for (len = 0; start + len < n && len < 40 &&
	    (isalnum((unsigned char)s[start + len]) || strchr("+-.", s[start + len])); len++)
		;
	return jscan_fail(sc, start, "invalid JSON: invalid number %s", diag_q(s + start, len));
}

static int
scan_literal(struct jscan *sc)
{
	static const char *const lit[] = { "true", "false", "null" };
	size_t k, len, avail = sc->n - sc->i;

	for (k = 0; k < 3; k++) {
		len = strlen(lit[k]);
		if (avail >= len && memcmp(sc->s + sc->i, lit[k], len) == 0) {
			sc->i += len;
			return 0;
		}
		if (avail < len && memcmp(sc->s + sc->i, lit[k], avail) == 0)
			return scan_eof(sc);
	}
	return jscan_fail(sc, sc->i, "invalid JSON: expected a value, found %s",
	    jscan_found(sc, sc->i));
}

/* A member's key and its ':'; *koff gets where the key starts. */
static int
scan_key(struct jscan *sc, size_t *koff)
{
	jscan_ws(sc);
	if (sc->i >= sc->n)
		return scan_eof(sc);
	if (sc->s[sc->i] != '"')
		return jscan_fail(sc, sc->i, "invalid JSON: expected a double-quoted key, found %s",
		    jscan_found(sc, sc->i));
	*koff = sc->i;
	if (scan_string(sc) == -1)
		return -1;
	jscan_ws(sc);
	if (sc->i >= sc->n)
		return scan_eof(sc);
	if (sc->s[sc->i] != ':')
		return jscan_fail(sc, sc->i, "invalid JSON: expected \":\", found %s",
		    jscan_found(sc, sc->i));
	sc->i++;
	return 0;
}

static uint32_t
scan_push(struct jscan *sc, size_t koff, size_t voff)
{
	struct jpos *p;

	if (sc->npos == 0)
		sc->maxpos = lim_env("SLOPROOF_MAX_JSON_VALUES", LIM_JSON_VALUES);
	if (sc->npos >= sc->maxpos)
		return UINT32_MAX;
	p = VEC_PUSH(sc->pos, sc->npos, sc->cappos);

	jscan_at(sc, koff, &p->kline, &p->kcol);
	jscan_at(sc, voff, &p->vline, &p->vcol);
	p->end = (uint32_t)sc->npos;
	return (uint32_t)(sc->npos - 1);
}

/* One value, its nested values included. */
int
jscan_value(struct jscan *sc)
{
	struct {
		char		close;
		uint32_t	node;
	} st[LIM_JSON_DEPTH];
	int depth = 0;
	size_t koff = NOKEY;
	uint32_t node;
	char c;

	for (;;) {
		jscan_ws(sc);
		if (sc->i >= sc->n)
			return scan_eof(sc);
		c = sc->s[sc->i];
		node = scan_push(sc, koff == NOKEY ? sc->i : koff, sc->i);
		if (node == UINT32_MAX)
			return jscan_fail(sc, sc->i, "more than %zu JSON values; a parsed document "
			    "this large would take gigabytes of memory (limit SLOPROOF_MAX_JSON_VALUES=%zu; "
			    "set it higher for a genuine file)", sc->maxpos, sc->maxpos);
		koff = NOKEY;
		if (c == '{' || c == '[') {
			if (depth == LIM_JSON_DEPTH)
				return jscan_fail(sc, sc->i,
				    "nesting deeper than %d levels of arrays and objects", LIM_JSON_DEPTH);
			st[depth].close = c == '{' ? '}' : ']';
			st[depth].node = node;
			depth++;
			sc->i++;
			jscan_ws(sc);
			if (sc->i >= sc->n)
				return scan_eof(sc);
			if (sc->s[sc->i] != st[depth - 1].close) {
				if (c == '{' && scan_key(sc, &koff) == -1)
					return -1;
				continue;
			}
			sc->i++;
			depth--;
			sc->pos[node].end = (uint32_t)sc->npos;
		} else if (c == '"') {
			if (scan_string(sc) == -1)
				return -1;
		} else if (c == '-' || isdigit((unsigned char)c)) {
			if (scan_number(sc) == -1)
				return -1;
		} else if (scan_literal(sc) == -1) {
			return -1;
		}
		/* After a value: close what ends here, then a ',' or the end. */
		for (;;) {
			if (depth == 0)
				return 0;
			jscan_ws(sc);
			if (sc->i >= sc->n)
				return scan_eof(sc);
			if (sc->s[sc->i] == st[depth - 1].close) {
				sc->i++;
				depth--;
				sc->pos[st[depth].node].end = (uint32_t)sc->npos;
				continue;
			}
			if (sc->s[sc->i] != ',')
				return jscan_fail(sc, sc->i, "invalid JSON: expected \",\" or \"%c\", found %s",
				    st[depth - 1].close, jscan_found(sc, sc->i));
			sc->i++;
			if (st[depth - 1].close == '}' && scan_key(sc, &koff) == -1)
				return -1;
			break;
		}
	}
}


int
jscan_doc(struct jscan *sc)
{
	sc->i = 0;
	sc->npos = 0;
	if (jscan_value(sc) == -1)
		return -1;
	jscan_ws(sc);
	if (sc->i < sc->n)
		return jscan_fail(sc, sc->i, "invalid JSON: unexpected %s after the top-level value",
		    jscan_found(sc, sc->i));
	return 0;
}

const struct jpos *
jscan_pos(const struct jscan *sc, uint32_t i)
{
	static const struct jpos none;

	return i < sc->npos ? &sc->pos[i] : &none;
}

uint32_t
jscan_next(const struct jscan *sc, uint32_t ci)
{
	return jscan_pos(sc, ci)->end;
}

const cJSON *
jscan_member(const struct jscan *sc, const cJSON *obj, uint32_t oi, const char *key, uint32_t *idx)
{
	const cJSON *c;
	uint32_t ci;

	if (!cJSON_IsObject(obj))
		return NULL;
	for (c = obj->child, ci = oi + 1; c; c = c->next, ci = jscan_next(sc, ci))
		if (c->string && strcmp(c->string, key) == 0) {
			if (idx)
				*idx = ci;
			return c;
		}
	return NULL;
}

const char *
jscan_type(const cJSON *v)
{
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsObject(v))
		return "an object";
	if (cJSON_IsArray(v))
		return "an array";
	if (cJSON_IsTrue(v))
		return "true";
	if (cJSON_IsFalse(v))
		return "false";
	return "null";
}

int
jscan_has_key(const char *s, size_t n, const char *key)
{
	size_t k = strlen(key);
	const char *p = s, *e = s + n;

	while ((size_t)(e - p) >= k + 2 && (p = memchr(p, '"', (size_t)(e - p) - k - 1)) != NULL) {
		if (memcmp(p + 1, key, k) == 0 && p[k + 1] == '"')
			return 1;
		p++;
	}
	return 0;
}
