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
#include <strings.h>


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

static int
is_name_char(char c, int first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	    (!first && c >= '0' && c <= '9');
}

/* At s[i]: ` name="` (the start of the next pair), or the end of the cell. */
static int
pair_ends_at(const char *s, size_t n, size_t i)
{
	if (i == n)
		return 1;
	if (s[i] != ' ')
		return 0;
	while (i < n && s[i] == ' ')
		i++;
	if (i >= n || !is_name_char(s[i], 1))
		return 0;
	while (i < n && is_name_char(s[i], 0))
		i++;
	return i + 1 < n && s[i] == '=' && s[i + 1] == '"';
}

/*
 * key="value" pairs as amtool -o extended prints them: Go's
 * fmt.Sprintf("%s=\"%s\"") with no escaping, so a value may hold quotes
 * and backslashes as they are. A value ends at the quote that ends the
 * cell or is followed by the next ` name="`.
 */
static int
kv_pairs(struct aimp *im, const char *s, size_t n, long line, long col, const char *what,
    struct label **out, size_t *nout)
{
	size_t i = 0, ks, ke, vs, ve;
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
		vs = i + 2;
		for (ve = vs; ve < n && !(s[ve] == '"' && pair_ends_at(s, n, ve + 1)); ve++)
			;
		if (ve >= n)
			goto bad;
		i = ve + 1;
		l = xreallocarray(l, nl + 1, sizeof *l);
		l[nl].key = arena_strndup(&im->run->arena, s + ks, ke - ks);
		l[nl].value = arena_strndup(&im->run->arena, s + vs, ve - vs);
		nl++;
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

/* ---- webhook logs of whole HTTP requests ------------------------------------ */

static size_t
line_end(const char *s, size_t n, size_t i)
{
	const char *nl = memchr(s + i, '\n', n - i);

	return nl ? (size_t)(nl - s) : n;
}

/* "POST /hook HTTP/1.1" (or PUT), or a response's "HTTP/1.1 200 OK". */
static int
http_start(const char *s, size_t n, int *request)
{
	size_t le = line_end(s, n, 0), i;

	if (le >= 9 && memcmp(s, "HTTP/1.", 7) == 0 && s[8] == ' ') {
		*request = 0;
		return 1;
	}
	if (le > 5 && memcmp(s, "POST ", 5) == 0)
		i = 5;
	else if (le > 4 && memcmp(s, "PUT ", 4) == 0)
		i = 4;
	else
		return 0;
	while (i < le && s[i] != ' ')
		i++;
	*request = 1;
	return i + 9 <= le && memcmp(s + i, " HTTP/1.", 8) == 0;
}

int
al_is_http(const char *s, size_t n)
{
	int request;

	return http_start(s, n, &request) && request;
}

/* "Date: Mon, 02 Jan 2006 15:04:05 GMT" (RFC 7231 IMF-fixdate); 0 or -1. */
static int
http_date(const char *v, size_t n, int64_t *ms)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	char mon[4], buf[64];
	int d, y, hh, mm, ss, m;
	const char *p;

	if (n >= sizeof buf)
		return -1;
	memcpy(buf, v, n);
	buf[n] = '\0';
	if (sscanf(buf, "%*3s, %2d %3s %4d %2d:%2d:%2d GMT", &d, mon, &y, &hh, &mm, &ss) != 6)
		return -1;
	mon[3] = '\0';
	if ((p = strstr(months, mon)) == NULL || (p - months) % 3 != 0)
		return -1;
	m = (int)((p - months) / 3) + 1;
	if (d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 60)
		return -1;
	*ms = ((time_days_from_civil(y, m, d) * 24 + hh) * 60 + mm) * 60000LL + ss * 1000LL;
	return 0;
}

/*
 * A receiver's log of whole requests: each is a request line, headers, an
 * empty line and the JSON body (Content-Length bytes when the header says).
 * Responses kept between them are skipped; a Date: header is noted as a
 * capture time. Bodies are read as any alert JSON.
 */
int
al_import_http(struct aimp *im, const char *text, size_t n)
{
	size_t i, le, body, clen, nreq = 0;
	int request, have_clen, rc;
	int64_t t;

	al_note_format(im, "alertmanager-webhook-http");
	for (i = 0;;) {
		while (i < n && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
			i++;
		if (i >= n)
			break;
		if (text[i] == '{' || text[i] == '[') {
			im->sc.i = i;	/* a bare body, as some recorders also write */
			if ((rc = al_import_doc(im, text, n)) == -1)
				return -1;
			i = im->sc.i;
			continue;
		}
		if (!http_start(text + i, n - i, &request))
			return jscan_fail(&im->sc, i, "expected an HTTP request line (\"POST /path "
			    "HTTP/1.1\"), a response line or a JSON body, found %s",
			    jscan_found(&im->sc, i));
		have_clen = 0;
		clen = 0;
		for (i = line_end(text, n, i) + 1; i < n; i = le + 1) {
			le = line_end(text, n, i);
			if (le == i || (le == i + 1 && text[i] == '\r'))
				break;
			if (le - i > 15 && strncasecmp(text + i, "Content-Length:", 15) == 0) {
				char num[24];
				size_t k = i + 15, m = 0;

				while (k < le && text[k] == ' ')
					k++;
				while (k < le && text[k] >= '0' && text[k] <= '9' && m + 1 < sizeof num)
					num[m++] = text[k++];
				num[m] = '\0';
				if (m > 0) {
					have_clen = 1;
					clen = (size_t)strtoull(num, NULL, 10);
				}
			} else if (le - i > 5 && strncasecmp(text + i, "Date:", 5) == 0) {
				size_t k = i + 5, e = le;

				while (k < e && text[k] == ' ')
					k++;
				while (e > k && (text[e - 1] == '\r' || text[e - 1] == ' '))
					e--;
				if (http_date(text + k, e - k, &t) == 0 && (!im->have_http_date ||
				    t > im->http_date)) {
					im->have_http_date = 1;
					im->http_date = t;
				}
			}
		}
		body = i < n ? i + 1 : n;
		if (!request) {
			i = have_clen && body + clen <= n ? body + clen : body;
			continue;
		}
		if (have_clen && clen == 0) {
			i = body;
			continue;
		}
		nreq++;
		im->sc.i = body;
		if ((rc = al_import_doc(im, text, have_clen && body + clen <= n ? body + clen : n)) == -1)
			return -1;
		if (rc == 1)
			return jscan_fail(&im->sc, body, "an HTTP request without a body");
		i = im->sc.i;
	}
	if (nreq == 0)
		return jscan_fail(&im->sc, 0, "no HTTP request with a JSON body");
	im->format = "alertmanager-webhook-http";	/* the bodies' own formats are inside it */
	im->mixed = 0;
	return 0;
}
