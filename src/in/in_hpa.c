/*
 * in_hpa.c — kubectl's HorizontalPodAutoscaler output into a run (shared
 * corpus FORMATS.md §7): `kubectl describe hpa`, `kubectl get hpa` (also
 * with -w, --no-headers, -A), and `kubectl get hpa -o yaml|json`, v1 and
 * v2 styles, kubectl 1.6 to 1.33. Each HPA seen is an hpa_state; each
 * change of its replica count we can see is a scale_event.
 *
 * Times. kubectl prints ages, not times. The anchor A is opts->captured_at,
 * else the last `date` line (`date`, `date -u`, `date -Is`) or `# captured_at:
 * RFC3339` comment before the output. Ages are rounded down to their last
 * unit, so an age of `41m` is 41m00s..41m59s: t_err is one of that unit.
 *   describe: the state is at A; an event of age g is at A - g ± unit(g);
 *     `(x5 over 8m28s)` keeps count 5 and first_t = A - 8m28s.
 *   get: AGE is the HPA's own age. The first row of an HPA after the anchor
 *     is at A (the initial listing of -w, or a `date; kubectl get` loop);
 *     a later row is at A + (its AGE - that row's AGE) ± the coarser unit.
 *     A change of REPLICAS from one row to the next is a scale event at the
 *     later row, with t_err widened to reach back to the earlier row (a
 *     polling loop saw it late; -w prints it at once, within the error).
 *   yaml/json: lastScaleTime is an exact time: a scale event to
 *     currentReplicas, from unknown.
 * With no anchor, times stay unknown (have_t 0), run order is file order,
 * and one warning asks for captured_at.
 *
 * This file: the shared text helpers, what is collected per HPA, the
 * choice of shape and the entry points; in_hpa_text.c reads describe and
 * get, in_hpa_tree.c the -o yaml|json objects (in/hpa_parts.h joins them).
 *
 * Owns nothing past a call: scratch arrays are freed, the YAML tree and
 * cJSON tree released, and every kept string is copied into run->arena.
 * Depends on run, diag, strnum, timeutil, yamlr, xalloc and cJSON; must not
 * depend on other importers, evaluation or renderers.
 */
#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "util/diag.h"
#include "util/jsonlim.h"
#include "in/import.h"
#include "in/hpa_parts.h"
#include "model/run.h"
#include "util/splimits.h"
#include "util/strnum.h"
#include "util/timeutil.h"
#include "util/xalloc.h"
#include "util/yamlr.h"

/* ---- small text helpers ----------------------------------------------- */

int
hpa_is_ws(int c)
{
	return c == ' ' || c == '\t';
}

/* The next line into *ln; 0 at the end, -1 when a line is too long. */
int
hpa_next_line(struct hctx *h, struct line *ln)
{
	const char *s, *nl;
	size_t n;

	if (h->off >= h->len)
		return 0;
	s = h->data + h->off;
	nl = memchr(s, '\n', h->len - h->off);
	n = nl ? (size_t)(nl - s) : h->len - h->off;
	h->off += n + (nl ? 1 : 0);
	h->lineno++;
	if (h->lineno == 1 && n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
		s += 3;
		n -= 3;
	}
	if (n > 0 && s[n - 1] == '\r')
		n--;
	ln->s = s;
	ln->n = n;
	ln->no = h->lineno;
	if (n > LIM_HPA_LINE) {
		diag_error(h->path, ln->no, 0, "line longer than %d bytes", LIM_HPA_LINE);
		return -1;
	}
	return 1;
}

int
hpa_blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!hpa_is_ws(s[i]))
			return 0;
	return 1;
}

/* The next whitespace-separated token at or after *i; 0 when none. */
int
hpa_tok(const char *s, size_t n, size_t *i, size_t *ts, size_t *tn)
{
	size_t j = *i;

	while (j < n && hpa_is_ws(s[j]))
		j++;
	if (j >= n) {
		*i = j;
		return 0;
	}
	*ts = j;
	while (j < n && !hpa_is_ws(s[j]))
		j++;
	*tn = j - *ts;
	*i = j;
	return 1;
}

int
hpa_eq(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

int
hpa_starts(const char *s, size_t n, const char *lit)
{
	size_t k = strlen(lit);

	return n >= k && memcmp(s, lit, k) == 0;
}

char *
hpa_dup(struct hctx *h, const char *s, size_t n)
{
	return arena_strndup(&h->run->arena, s, n);
}

/* memmem, which POSIX lacks. */
const char *
hpa_mem_find(const char *s, size_t n, const char *lit)
{
	size_t k = strlen(lit), i;

	for (i = 0; k <= n && i <= n - k; i++)
		if (memcmp(s + i, lit, k) == 0)
			return s + i;
	return NULL;
}

int
hpa_all_digits(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* A replica count: 0..INT_MAX written in digits. */
int
hpa_parse_count(const char *s, size_t n, int *out)
{
	long long v;

	if (!hpa_all_digits(s, n) || n > 10 || strnum_ll(s, n, &v) == -1 || v > INT_MAX)
		return -1;
	*out = (int)v;
	return 0;
}

int
hpa_bad_count(struct hctx *h, long line, long col, const char *s, size_t n, const char *what)
{
	diag_error(h->path, line, col, "replica count is not a number: %s; expected %s",
	    diag_q(s, n), what);
	return -1;
}

/*
 * A kubectl age ("41m", "7m28s", "5h43m", "3d", "2y10d") into ms, with res
 * the unit of its last part (its rounding). 0, or -1.
 */
int
hpa_parse_age(const char *s, size_t n, int64_t *ms, int64_t *res)
{
	static const char units[] = "ydhms";
	static const int64_t unit_ms[] = {365 * 86400 * SEC, 86400 * SEC, 3600 * SEC, 60 * SEC, SEC};
	size_t i = 0, d, last = 0;
	int64_t v, total = 0;
	const char *u;
	int parts = 0;

	while (i < n) {
		v = 0;
		for (d = 0; i < n && isdigit((unsigned char)s[i]); i++, d++) {
			if (d >= 9)
				return -1;
			v = v * 10 + (s[i] - '0');
		}
		if (d == 0 || i >= n || (u = strchr(units, s[i])) == NULL || s[i] == '\0')
			return -1;
		if (parts && (size_t)(u - units) <= last)
			return -1;	/* units must go down: 5h43m, not 43m5h */
		last = (size_t)(u - units);
		total += v * unit_ms[last];
		parts++;
		i++;
	}
	if (parts == 0)
		return -1;
	*ms = total;
	*res = unit_ms[last];
	return 0;
}

int
hpa_age_unknown(const char *s, size_t n)
{
	return hpa_eq(s, n, "<unknown>") || hpa_eq(s, n, "<invalid>");
}

int
hpa_bad_age(struct hctx *h, long line, long col, const char *s, size_t n)
{
	diag_error(h->path, line, col, "cannot read the age %s; expected kubectl's form "
	    "like 41m, 7m28s or 5h43m", diag_q(s, n));
	return -1;
}

/* A Kubernetes quantity ("372m", "100k", "4503324444m", "1Gi", "1.5") as a number. */
static int
parse_qty(const char *s, size_t n, double *v)
{
	static const struct {
		const char	*suf;
		double		 mul;
	} sfx[] = {
		{"Ki", 1024.0}, {"Mi", 1048576.0}, {"Gi", 1073741824.0},
		{"Ti", 1099511627776.0}, {"Pi", 1125899906842624.0},
		{"Ei", 1152921504606846976.0}, {"n", 1e-9}, {"u", 1e-6}, {"m", 1e-3},
		{"k", 1e3}, {"M", 1e6}, {"G", 1e9}, {"T", 1e12}, {"P", 1e15}, {"E", 1e18},
	};
	size_t i, k;
	double x;

	if (n == 0)
		return -1;
	if (isdigit((unsigned char)s[n - 1]) && strnum_double(s, n, v) == 0)
		return 0;
	for (i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		k = strlen(sfx[i].suf);
		if (n > k && memcmp(s + n - k, sfx[i].suf, k) == 0 &&
		    isdigit((unsigned char)s[n - k - 1]) && strnum_double(s, n - k, &x) == 0) {
			*v = x * sfx[i].mul;
			return 0;
		}
	}
	return -1;
}

/* "186%" as 1.86 (percent 1), or a quantity; 0, or -1 (<unknown>, garbage). */
int
hpa_parse_value(const char *s, size_t n, double *v, int *percent)
{
	if (n > 1 && s[n - 1] == '%' && strnum_double(s, n - 1, v) == 0) {
		*v /= 100;
		*percent = 1;
		return 0;
	}
	*percent = 0;
	return parse_qty(s, n, v);
}

static int
month_no(const char *s)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	int m;

	for (m = 0; m < 12; m++)
		if (memcmp(months + 3 * m, s, 3) == 0)
			return m + 1;
	return 0;
}

/* "16 Dec 2024 10:20:04" or "Dec 16 10:20:04 ... 2024" parts into ms (UTC). */
static int
civil_ms(long long y, int mo, long long d, const char *hms, size_t n, int64_t *ms)
{
	long long hh, mi, ss;

	if (n != 8 || hms[2] != ':' || hms[5] != ':' || !hpa_all_digits(hms, 2) ||
	    !hpa_all_digits(hms + 3, 2) || !hpa_all_digits(hms + 6, 2))
		return -1;
	if (strnum_ll(hms, 2, &hh) || strnum_ll(hms + 3, 2, &mi) || strnum_ll(hms + 6, 2, &ss) ||
	    hh > 23 || mi > 59 || ss > 60 || mo < 1 || d < 1 || d > 31 || y < 1970 || y > 9999)
		return -1;
	*ms = ((time_days_from_civil(y, mo, (int)d) * 86400) + hh * 3600 + mi * 60 + ss) * SEC;
	return 0;
}

/* describe's CreationTimestamp: "Mon, 16 Dec 2024 10:20:04 +0100" (RFC 1123 with a numeric zone). */
int
hpa_parse_rfc1123z(const char *s, size_t n, int64_t *ms)
{
	size_t i = 0, ts[6], tn[6], k;
	long long d, y, zh, zm;
	int64_t t;

	for (k = 0; k < 6; k++)
		if (!hpa_tok(s, n, &i, &ts[k], &tn[k]))
			return -1;
	if (hpa_tok(s, n, &i, &ts[0], &tn[0]))
		return -1;
	/* ts[0] "Mon," ts[1] "16" ts[2] "Dec" ts[3] "2024" ts[4] time ts[5] zone */
	if (tn[0] != 4 || s[ts[0] + 3] != ',' || tn[2] != 3 || !hpa_all_digits(s + ts[1], tn[1]) ||
	    tn[1] > 2 || tn[3] != 4 || !hpa_all_digits(s + ts[3], 4) || tn[5] != 5 ||
	    (s[ts[5]] != '+' && s[ts[5]] != '-') || !hpa_all_digits(s + ts[5] + 1, 4))
		return -1;
	if (strnum_ll(s + ts[1], tn[1], &d) || strnum_ll(s + ts[3], 4, &y) ||
	    strnum_ll(s + ts[5] + 1, 2, &zh) || strnum_ll(s + ts[5] + 3, 2, &zm) || zm > 59)
		return -1;
	if (civil_ms(y, month_no(s + ts[2]), d, s + ts[4], tn[4], &t) == -1)
		return -1;
	t -= (s[ts[5]] == '-' ? -1 : 1) * (zh * 3600 + zm * 60) * SEC;
	*ms = t;
	return 0;
}

/*
 * A capture time written before the output: `date` / `date -u` in the C
 * locale ("Sat Nov 28 10:20:00 UTC 2026", zone UTC or GMT only), `date -Is`
 * or any RFC 3339 time alone on a line, or "# captured_at: <RFC 3339>".
 * 1 with *ms set, 0 when the line is none of these.
 */
static int
date_line(const char *s, size_t n, int64_t *ms)
{
	size_t i = 0, ts[6], tn[6], k, errcol;
	long long d, y;

	str_trim(&s, &n, " \t");
	if (hpa_starts(s, n, "#")) {
		s++;
		n--;
		str_trim(&s, &n, " \t");
		if (!hpa_starts(s, n, "captured_at:"))
			return 0;
		s += 12;
		n -= 12;
		str_trim(&s, &n, " \t");
		if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0]) {
			s++;
			n -= 2;
		}
		return time_parse_rfc3339(s, n, ms, &errcol) == 0;
	}
	if (n >= 19 && isdigit((unsigned char)s[0]) && s[4] == '-')
		return time_parse_rfc3339(s, n, ms, &errcol) == 0;
	for (k = 0; k < 6; k++)
		if (!hpa_tok(s, n, &i, &ts[k], &tn[k]))
			return 0;
	if (hpa_tok(s, n, &i, &ts[0], &tn[0]))
		return 0;
	if (tn[0] != 3 || tn[1] != 3 || !hpa_all_digits(s + ts[2], tn[2]) || tn[2] > 2 ||
	    !(hpa_eq(s + ts[4], tn[4], "UTC") || hpa_eq(s + ts[4], tn[4], "GMT")) || tn[5] != 4 ||
	    !hpa_all_digits(s + ts[5], 4))
		return 0;
	if (strnum_ll(s + ts[2], tn[2], &d) || strnum_ll(s + ts[5], 4, &y))
		return 0;
	return civil_ms(y, month_no(s + ts[1]), d, s + ts[3], tn[3], ms) == 0;
}

/* Takes a date line as the new anchor (unless captured_at was given); 1 when it was one. */
int
hpa_take_date(struct hctx *h, const struct line *ln)
{
	int64_t t;

	if (!date_line(ln->s, ln->n, &t))
		return 0;
	if (!h->fixed) {
		h->have_anchor = 1;
		h->anchor = t;
		h->anchor_seq++;
	}
	return 1;
}

int
hpa_count_record(struct hctx *h, long line)
{
	if (++h->records > LIM_HPA_RECORDS) {
		diag_error(h->path, line, 0, "more than %d HPA states and scale events in one input",
		    LIM_HPA_RECORDS);
		return -1;
	}
	return 0;
}

struct scale_event *
hpa_add_event(struct hctx *h, const char *target, long line, long col)
{
	struct scale_event *e = run_add_scale_event(h->run);

	e->target = target ? arena_strdup(&h->run->arena, target) : NULL;
	e->origin.src = h->src;
	e->origin.line = line;
	e->origin.col = col;
	return e;
}

/* ---- metrics and conditions collected for one HPA ----------------------- */

struct hpa_metric *
hpa_coll_metric(struct hctx *h, struct coll *c, long line)
{
	struct hpa_metric *m;

	if (c->nm >= LIM_HPA_ROWS) {
		diag_error(h->path, line, 0, "more than %d metrics in one HPA", LIM_HPA_ROWS);
		return NULL;
	}
	m = VEC_PUSH(c->m, c->nm, c->capm);
	memset(m, 0, sizeof *m);
	m->origin.src = h->src;
	m->origin.line = line;
	return m;
}

struct hpa_condition *
hpa_coll_cond(struct hctx *h, struct coll *c, long line)
{
	struct hpa_condition *k;

	if (c->nc >= LIM_HPA_ROWS) {
		diag_error(h->path, line, 0, "more than %d conditions in one HPA", LIM_HPA_ROWS);
		return NULL;
	}
	k = VEC_PUSH(c->c, c->nc, c->capc);
	memset(k, 0, sizeof *k);
	k->origin.src = h->src;
	k->origin.line = line;
	return k;
}

void
hpa_coll_start(struct hctx *h, struct coll *c, long line)
{
	memset(&c->st, 0, sizeof c->st);
	c->nm = c->nc = 0;
	c->st.origin.src = h->src;
	c->st.origin.line = line;
	c->st.origin.col = 1;
	if (h->have_anchor) {
		c->st.have_t = 1;
		c->st.t = h->anchor;
	}
	c->open = 1;
}

/* Adds the collected HPA to the run; arrays are copied into the arena. */
int
hpa_coll_flush(struct hctx *h, struct coll *c)
{
	struct hpa_state *st;
	size_t i;

	if (!c->open)
		return 0;
	c->open = 0;
	/* An `Events:` excerpt says nothing about the HPA itself. */
	if (!c->st.name && !c->st.reference && !c->st.have_min && !c->st.have_max &&
	    !c->st.have_current && !c->nm && !c->nc)
		return 0;
	if (hpa_count_record(h, c->st.origin.line) == -1)
		return -1;
	for (i = 0; i < c->nc; i++) {
		char *msg = c->c[i].message;
		size_t n = msg ? strlen(msg) : 0;

		while (n > 0 && hpa_is_ws(msg[n - 1]))
			msg[--n] = '\0';
	}
	st = run_add_hpa_state(h->run);
	*st = c->st;
	if (c->nm) {
		st->metrics = arena_alloc(&h->run->arena, c->nm * sizeof *st->metrics);
		memcpy(st->metrics, c->m, c->nm * sizeof *st->metrics);
		st->nmetrics = c->nm;
	}
	if (c->nc) {
		st->conditions = arena_alloc(&h->run->arena, c->nc * sizeof *st->conditions);
		memcpy(st->conditions, c->c, c->nc * sizeof *st->conditions);
		st->nconditions = c->nc;
	}
	return 0;
}

void
hpa_coll_release(struct coll *c)
{
	free(c->m);
	free(c->c);
}

/* ---- which shape ---------------------------------------------------------- */

enum shape {
	S_NONE,
	S_DESCRIBE,
	S_GET,
	S_YAML,
	S_JSON
};

static const char *const yaml_keys[] = {"apiVersion:", "kind:", "metadata:", "spec:", "status:",
	"items:", NULL};

/* What one line says about the file; S_NONE for noise, dates and blanks. */
static enum shape
line_shape(const char *s, size_t n)
{
	struct gethdr g;
	size_t i, k;
	int64_t t;

	if (hpa_blank(s, n) || date_line(s, n, &t))
		return S_NONE;
	for (i = 0; i < n && hpa_is_ws(s[i]); i++)
		;
	if (s[i] == '{' || s[i] == '[')
		return S_JSON;
	if (s[i] == '#' || hpa_starts(s + i, n - i, "---"))
		return S_NONE;
	for (k = 0; yaml_keys[k]; k++)
		if (i == 0 && hpa_starts(s, n, yaml_keys[k]) &&
		    (n == strlen(yaml_keys[k]) || hpa_is_ws(s[strlen(yaml_keys[k])])))
			return S_YAML;
	memset(&g, 0, sizeof g);
	if (hpa_get_header(s, n, &g))
		return S_GET;
	if (hpa_describe_label(s, n) || hpa_event_row(s, n))
		return S_DESCRIBE;
	if (hpa_get_row_shape(s, n, 0)) {
		/* A --no-headers row ends in MINPODS MAXPODS REPLICAS [AGE]. */
		size_t j = 0, ts, tn, nt = 0, ls = 0, lsn = 0, ps = 0, psn = 0;

		while (hpa_tok(s, n, &j, &ts, &tn)) {
			ps = ls;
			psn = lsn;
			ls = ts;
			lsn = tn;
			nt++;
		}
		if (hpa_all_digits(s + ps, psn) || hpa_all_digits(s + ls, lsn))
			return S_GET;
	}
	return S_NONE;
}

/* The first line that tells; *first_line: the first non-blank line (for the error). */
static enum shape
find_shape(const char *data, size_t len, size_t max, long *first_line, size_t *skip)
{
	size_t off = 0, n;
	const char *s, *nl;
	long no = 0;
	enum shape sh;

	*first_line = 0;
	*skip = 0;
	while (off < len && off < max) {
		s = data + off;
		nl = memchr(s, '\n', len - off);
		n = nl ? (size_t)(nl - s) : len - off;
		no++;
		if (no == 1 && n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) {
			s += 3;
			n -= 3;
		}
		if (n > 0 && s[n - 1] == '\r')
			n--;
		if (*first_line == 0 && !hpa_blank(s, n))
			*first_line = no;
		if (n <= LIM_HPA_LINE && (sh = line_shape(s, n)) != S_NONE)
			return sh;
		off = nl ? (size_t)(nl - data) + 1 : len;
		*skip = off;
	}
	return S_NONE;
}

int
in_hpa_sniff(const char *data, size_t len)
{
	long first;
	size_t skip;
	enum shape sh = find_shape(data, len, 8192, &first, &skip);

	if (sh == S_JSON) {
		size_t n = len < 65536 ? len : 65536;

		return hpa_mem_find(data, n, "\"HorizontalPodAutoscaler\"") != NULL ||
		    hpa_mem_find(data, n, "\"currentReplicas\"") != NULL;
	}
	if (sh == S_YAML) {
		size_t n = len < 65536 ? len : 65536;

		return hpa_mem_find(data, n, "HorizontalPodAutoscaler") != NULL ||
		    hpa_mem_find(data, n, "currentReplicas:") != NULL;
	}
	return sh != S_NONE;
}

/* Date lines before a YAML or JSON document: read, then blanked so lines keep their numbers. */
static char *
prefix_blanked(struct hctx *h, size_t skip)
{
	char *copy = xmalloc(h->len + 1);
	struct line ln;
	size_t i;

	memcpy(copy, h->data, h->len);
	copy[h->len] = '\0';
	while (h->off < skip && hpa_next_line(h, &ln) == 1)
		hpa_take_date(h, &ln);
	for (i = 0; i < skip && i < h->len; i++)
		if (copy[i] != '\n')
			copy[i] = ' ';
	return copy;
}

/* The first occurrence of the NUL-terminated needle in [p, end), or NULL: the input is not NUL-terminated. */
static const char *
find(const char *p, const char *end, const char *needle)
{
	size_t k = strlen(needle);

	for (; p && (size_t)(end - p) >= k; p++) {
		p = memchr(p, needle[0], (size_t)(end - p) - k + 1);
		if (p == NULL)
			return NULL;
		if (memcmp(p, needle, k) == 0)
			return p;
	}
	return NULL;
}

/* How many `# captured_at:` lines the text has. */
static int
count_records(const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	int n = 0;

	while ((p = find(p, end, "# captured_at:")) != NULL) {
		if (p == data || p[-1] == '\n')
			n++;
		p += 14;
	}
	return n;
}

/*
 * What `sloproof capture` writes: records of a `# captured_at: T` line and
 * one JSON document (or `# error: ...` when kubectl failed). Each document
 * is imported on its own, at its own time, from a copy of the text with
 * everything else blanked so that line numbers stay those of the file.
 * Returns the number of records read, or -1.
 */
static int
import_json_records(struct hctx *h)
{
	const char *p = h->data, *end = h->data + h->len, *rec, *next, *eol;
	static const char tag[] = "# captured_at:";
	size_t tlen = sizeof tag - 1;
	int n = 0;

	while ((rec = find(p, end, tag)) != NULL) {
		int64_t t;
		const char *v, *body;
		char *copy;

		if (rec != h->data && rec[-1] != '\n') {
			p = rec + tlen;
			continue;
		}
		eol = memchr(rec, '\n', (size_t)(end - rec));
		if (eol == NULL)
			break;
		for (v = rec + tlen; v < eol && *v == ' '; v++)
			;
		next = eol + 1;
		while ((next = find(next, end, tag)) != NULL && next[-1] != '\n')
			next += tlen;
		if (next == NULL)
			next = end;
		for (body = eol + 1; body < next && hpa_is_ws(*body); body++)
			;
		if (time_parse_rfc3339(v, (size_t)(eol - v), &t, NULL) == 0 && body < next &&
		    *body == '{') {
			copy = xmalloc(h->len + 1);
			memcpy(copy, h->data, h->len);
			copy[h->len] = '\0';
			size_t from = (size_t)(body - h->data), to = (size_t)(next - h->data), i;

			for (i = 0; i < h->len; i++)
				if ((i < from || i >= to) && copy[i] != '\n')
					copy[i] = ' ';
			h->have_anchor = 1;
			h->anchor = t;
			h->anchor_seq++;
			if (hpa_import_json(h, copy, h->len) == -1) {
				free(copy);
				return -1;
			}
			free(copy);
			n++;
		}
		p = next;
	}
	return n;
}

/* A `# captured_at:` comment anywhere in a YAML file anchors it too. */
static void
yaml_comment_anchor(struct hctx *h)
{
	struct line ln;

	while (hpa_next_line(h, &ln) == 1)
		if (ln.n > 0 && !hpa_is_ws(ln.s[0]) && ln.s[0] == '#')
			hpa_take_date(h, &ln);
}

int
in_hpa_import(struct run *run, int src, const struct import_opts *opts, const char *path,
    const char *data, size_t len)
{
	struct hctx h;
	enum shape sh;
	long first;
	size_t skip, i;
	char *copy;
	int rc, untimed = 0;

	memset(&h, 0, sizeof h);
	h.run = run;
	h.src = src;
	h.path = path;
	h.data = data;
	h.len = len;
	if (opts && opts->have_captured_at) {
		h.fixed = h.have_anchor = 1;
		h.anchor = opts->captured_at;
		h.anchor_seq = 1;
	}
	sh = find_shape(data, len, len, &first, &skip);
	switch (sh) {
	case S_DESCRIBE:
		run->sources[src].format = arena_strdup(&run->arena, "kubectl-describe-hpa");
		rc = hpa_import_describe(&h);
		break;
	case S_GET:
		rc = hpa_import_get(&h);
		break;
	case S_YAML:
	case S_JSON:
		run->sources[src].format = arena_strdup(&run->arena, sh == S_YAML ?
		    "kubectl-get-hpa-yaml" : "kubectl-get-hpa-json");
		if (sh == S_JSON && count_records(data, len) > 1) {
			rc = import_json_records(&h) == -1 ? -1 : 0;
			break;
		}
		copy = prefix_blanked(&h, skip);
		if (sh == S_YAML)
			yaml_comment_anchor(&h);
		/* States are observed when captured; lastScaleTime needs no anchor. */
		rc = sh == S_YAML ? hpa_import_yaml(&h, copy, len) : hpa_import_json(&h, copy, len);
		free(copy);
		break;
	case S_NONE:
	default:
		diag_error(path, first ? first : 1, 1, "%s", NOTHPA);
		rc = -1;
		break;
	}
	free(h.trk);
	if (rc == -1)
		return -1;
	for (i = 0; i < run->nscale_events; i++)
		if (run->scale_events[i].origin.src == src && !run->scale_events[i].have_t)
			untimed++;
	if (untimed)
		diag_warning(path, 0, 0, "ages are relative and no capture time is known; give "
		    "captured_at in the drill file (%d scale event%s without a time)", untimed,
		    untimed == 1 ? "" : "s");
	return 0;
}
