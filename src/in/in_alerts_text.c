/*
 * in_alerts_text.c — alert evidence that is text around the data
 * (alerts_imp.h): amtool's tables (simple and -o extended, which prints
 * key="value" pairs without escaping, so a value may hold quotes), and
 * webhook logs that keep whole HTTP requests (request line, headers, body).
 */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/jsonpos.h"
#include "model/run.h"
#include "util/splimits.h"
#include "util/strnum.h"
#include "util/timeutil.h"
#include "util/xalloc.h"
#include "in/alerts_imp.h"

/* ---- amtool tables -------------------------------------------------------- */

/* Columns at rune offsets; line slices by runes (tabwriter pads by runes). */
struct col {
	char	name[32];
	size_t	at;		/* rune offset */
};

static size_t
rune_off(const char *s, size_t n, size_t runes)
{
	size_t i, r = 0;

	for (i = 0; i < n; i++) {
		if (((unsigned char)s[i] & 0xc0) == 0x80)
			continue;
		if (r == runes)
			return i;
		r++;
	}
	return n;
}

/* key="value" pairs as amtool -o extended prints them. */
static int
kv_pairs(struct aimp *im, const char *s, size_t n, long line, long col, const char *what,
    struct label **out, size_t *nout)
{
	size_t i = 0, ks, ke;
	struct buf v;
	struct label *l = NULL;
	size_t nl = 0;

	while (i < n) {
		while (i < n && s[i] == ' ')
			i++;
		if (i >= n)
			break;
		for (ks = i; i < n && s[i] != '=' && s[i] != ' '; i++)
			;
		ke = i;
		if (ke == ks || i + 1 >= n || s[i] != '=' || s[i + 1] != '"' || nl >= LIM_ALERT_LABELS)
			goto bad;
		i += 2;
		buf_init(&v, n + 1);
		while (i < n && s[i] != '"') {
			if (s[i] == '\\' && i + 1 < n)
				i++;
			buf_add(&v, s + i, 1);
			i++;
		}
		if (i >= n) {
			buf_release(&v);
			goto bad;
		}
		i++;
		l = xreallocarray(l, nl + 1, sizeof *l);
		l[nl].key = arena_strndup(&im->run->arena, s + ks, ke - ks);
		l[nl].value = arena_strndup(&im->run->arena, v.data ? v.data : "", v.len);
		nl++;
		buf_release(&v);
	}
	*out = l;
	*nout = nl;
	return 0;
bad:
	free(l);
	diag_error(im->path, line, col, "%s: expected key=\"value\" pairs, found %s", what, diag_q(s, n));
	return -1;
}

/* "2017-08-02 18:30:18 UTC" */
static int
table_time(struct aimp *im, const char *s, size_t n, long line, long col, const char *what,
    int64_t *ms)
{
	char tmp[64];
	size_t errcol;

	if (n < 5 || n >= sizeof tmp || memcmp(s + n - 4, " UTC", 4) != 0)
		goto bad;
	memcpy(tmp, s, n - 4);
	tmp[n - 4] = 'Z';
	if (time_parse_rfc3339(tmp, n - 3, ms, &errcol) == -1)
		goto bad;
	return 0;
bad:
	diag_error(im->path, line, col, "%s: expected a time like \"2017-08-02 18:30:18 UTC\", found %s",
	    al_q(what), diag_q(s, n));
	return -1;
}

static void
trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' || (*s)[*n - 1] == '\r'))
		(*n)--;
}

int
al_is_table(const char *s, size_t n)
{
	const char *nl = memchr(s, '\n', n);
	size_t len = nl ? (size_t)(nl - s) : n, i;

	if (!((len >= 9 && memcmp(s, "Alertname", 9) == 0) || (len >= 6 && memcmp(s, "Labels", 6) == 0)))
		return 0;
	for (i = 0; i + 9 <= len; i++)
		if (memcmp(s + i, "Starts At", 9) == 0)
			return 1;
	return 0;
}

static long
cols_of(const char *s, size_t n)
{
	long c = 1;
	size_t i;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			c++;
	return c;
}

int
al_import_table(struct aimp *im, const char *s, size_t n)
{
	struct col cols[16];
	size_t ncols = 0, i, off, len, ls, le, k, cs, ce, runes;
	long line = 1;
	const char *cell;
	size_t celln;
	struct obs o;
	int extended = 0, have_start;
	char summary[] = "summary";

	/* The header: names split by two or more spaces. */
	le = (size_t)((const char *)(memchr(s, '\n', n) ? memchr(s, '\n', n) : s + n) - s);
	for (i = 0, runes = 0; i < le && ncols < 16;) {
		while (i < le && s[i] == ' ') {
			i++;
			runes++;
		}
		if (i >= le || s[i] == '\r')
			break;
		cols[ncols].at = runes;
		for (k = 0; i < le && s[i] != '\r' && !(s[i] == ' ' && (i + 1 >= le || s[i + 1] == ' '));
		    i++, runes++)
			if (k + 1 < sizeof cols[ncols].name)
				cols[ncols].name[k++] = s[i];
		cols[ncols].name[k] = '\0';
		for (k = 0; k < ncols; k++)
			if (strcmp(cols[k].name, cols[ncols].name) == 0) {
				diag_error(im->path, 1, (long)cols[ncols].at + 1, "the table header names %s twice",
				    al_q(cols[ncols].name));
				return -1;
			}
		if (strcmp(cols[ncols].name, "Labels") == 0)
			extended = 1;
		ncols++;
	}
	al_note_format(im, extended ? "amtool-extended-table" : "amtool-table");
	for (off = le + 1; off < n; off = le + 1) {
		line++;
		ls = off;
		le = (size_t)((const char *)(memchr(s + ls, '\n', n - ls) ? memchr(s + ls, '\n', n - ls) :
		    s + n) - s);
		len = le - ls;
		cell = s + ls;
		celln = len;
		trim(&cell, &celln);
		if (celln == 0)
			continue;
		if (line > LIM_ALERTS) {
			diag_error(im->path, line, 0, "more than %d table rows", LIM_ALERTS);
			return -1;
		}
		memset(&o, 0, sizeof o);
		o.line = line;
		o.col = 1;
		have_start = 0;
		for (k = 0; k < ncols; k++) {
			cs = rune_off(s + ls, len, cols[k].at);
			ce = k + 1 < ncols ? rune_off(s + ls, len, cols[k + 1].at) : len;
			cell = s + ls + cs;
			celln = ce > cs ? ce - cs : 0;
			trim(&cell, &celln);
			if (strcmp(cols[k].name, "Alertname") == 0) {
				if (celln == 0)
					goto empty;
				free(o.labels);
				o.labels = xmalloc(sizeof *o.labels);
				o.labels[0].key = arena_strdup(&im->run->arena, "alertname");
				o.labels[0].value = arena_strndup(&im->run->arena, cell, celln);
				o.nlabels = 1;
			} else if (strcmp(cols[k].name, "Labels") == 0) {
				free(o.labels);
				o.labels = NULL;
				if (kv_pairs(im, cell, celln, line, cols_of(s + ls, (size_t)(cell - s - ls)),
				    "labels", &o.labels, &o.nlabels) == -1)
					goto fail;
			} else if (strcmp(cols[k].name, "Annotations") == 0) {
				free(o.ann);
				o.ann = NULL;
				if (kv_pairs(im, cell, celln, line, cols_of(s + ls, (size_t)(cell - s - ls)),
				    "annotations", &o.ann, &o.nann) == -1)
					goto fail;
				if (o.ann == NULL)
					o.ann = xmalloc(sizeof *o.ann);
			} else if (strcmp(cols[k].name, "Summary") == 0 && celln > 0) {
				free(o.ann);
				o.ann = xmalloc(sizeof *o.ann);
				o.ann[0].key = summary;
				o.ann[0].value = arena_strndup(&im->run->arena, cell, celln);
				o.nann = 1;
			} else if (strcmp(cols[k].name, "Starts At") == 0) {
				if (table_time(im, cell, celln, line, cols_of(s + ls, (size_t)(cell - s - ls)),
				    "Starts At", &o.start) == -1)
					goto fail;
				have_start = 1;
			}
		}
		if (o.nlabels == 0 || !have_start) {
empty:
			diag_error(im->path, line, 1, "table row without %s", have_start ? "an alert name" :
			    "a start time");
			goto fail;
		}
		if (al_observe(im, &o) == -1)
			return -1;
	}
	return 0;
fail:
	free(o.labels);
	free(o.ann);
	return -1;
}
