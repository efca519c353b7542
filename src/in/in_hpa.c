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
#include "model/run.h"
#include "util/splimits.h"
#include "util/strnum.h"
#include "util/timeutil.h"
#include "util/xalloc.h"
#include "util/yamlr.h"

#define SEC	INT64_C(1000)
#define NOTHPA	"not kubectl hpa output: expected `Name:` (kubectl describe hpa), " \
		"a NAME REFERENCE TARGETS header (kubectl get hpa), or an " \
		"HorizontalPodAutoscaler object (-o yaml|json)"

struct line {
	const char	*s;
	size_t		 n;
	long		 no;
};

/* One HPA seen by `kubectl get`, across the rows that name it. */
struct tracker {
	char		*ns, *name;	/* arena */
	unsigned	 anchor_seq;	/* the anchor its reference row used */
	int		 have_ref;	/* a row with a known time and age */
	int64_t		 ref_t, ref_age, ref_res;
	int		 have_prev;
	int		 prev_replicas;
	int		 prev_have_t;
	int64_t		 prev_t, prev_err;
	size_t		 rows;
};

struct hctx {
	struct run		*run;
	int			 src;
	const char		*path;
	const char		*data;
	size_t			 len, off;
	long			 lineno;
	int			 fixed;		/* opts->captured_at: date lines are ignored */
	int			 have_anchor;
	int64_t			 anchor;
	unsigned		 anchor_seq;
	size_t			 records;
	struct tracker		*trk;
	size_t			 ntrk, captrk;
};

/* ---- small text helpers ----------------------------------------------- */

static int
is_ws(int c)
{
	return c == ' ' || c == '\t';
}

/* The next line into *ln; 0 at the end, -1 when a line is too long. */
static int
next_line(struct hctx *h, struct line *ln)
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

static int
blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_ws(s[i]))
			return 0;
	return 1;
}

/* The next whitespace-separated token at or after *i; 0 when none. */
static int
tok(const char *s, size_t n, size_t *i, size_t *ts, size_t *tn)
{
	size_t j = *i;

	while (j < n && is_ws(s[j]))
		j++;
	if (j >= n) {
		*i = j;
		return 0;
	}
	*ts = j;
	while (j < n && !is_ws(s[j]))
		j++;
	*tn = j - *ts;
	*i = j;
	return 1;
}

static int
eq(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

static int
starts(const char *s, size_t n, const char *lit)
{
	size_t k = strlen(lit);

	return n >= k && memcmp(s, lit, k) == 0;
}

static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && is_ws(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && is_ws((*s)[*n - 1]))
		(*n)--;
}

static char *
dup(struct hctx *h, const char *s, size_t n)
{
	return arena_strndup(&h->run->arena, s, n);
}

/* memmem, which POSIX lacks. */
static const char *
mem_find(const char *s, size_t n, const char *lit)
{
	size_t k = strlen(lit), i;

	for (i = 0; k <= n && i <= n - k; i++)
		if (memcmp(s + i, lit, k) == 0)
			return s + i;
	return NULL;
}

static int
all_digits(const char *s, size_t n)
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
static int
parse_count(const char *s, size_t n, int *out)
{
	long long v;

	if (!all_digits(s, n) || n > 10 || strnum_ll(s, n, &v) == -1 || v > INT_MAX)
		return -1;
	*out = (int)v;
	return 0;
}

static int
bad_count(struct hctx *h, long line, long col, const char *s, size_t n, const char *what)
{
	diag_error(h->path, line, col, "replica count is not a number: %s; expected %s",
	    diag_q(s, n), what);
	return -1;
}

/*
 * A kubectl age ("41m", "7m28s", "5h43m", "3d", "2y10d") into ms, with res
 * the unit of its last part (its rounding). 0, or -1.
 */
static int
parse_age(const char *s, size_t n, int64_t *ms, int64_t *res)
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

static int
age_unknown(const char *s, size_t n)
{
	return eq(s, n, "<unknown>") || eq(s, n, "<invalid>");
}

static int
bad_age(struct hctx *h, long line, long col, const char *s, size_t n)
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
static int
parse_value(const char *s, size_t n, double *v, int *percent)
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

	if (n != 8 || hms[2] != ':' || hms[5] != ':' || !all_digits(hms, 2) ||
	    !all_digits(hms + 3, 2) || !all_digits(hms + 6, 2))
		return -1;
	if (strnum_ll(hms, 2, &hh) || strnum_ll(hms + 3, 2, &mi) || strnum_ll(hms + 6, 2, &ss) ||
	    hh > 23 || mi > 59 || ss > 60 || mo < 1 || d < 1 || d > 31 || y < 1970 || y > 9999)
		return -1;
	*ms = ((time_days_from_civil(y, mo, (int)d) * 86400) + hh * 3600 + mi * 60 + ss) * SEC;
	return 0;
}

/* describe's CreationTimestamp: "Mon, 16 Dec 2024 10:20:04 +0100" (RFC 1123 with a numeric zone). */
static int
parse_rfc1123z(const char *s, size_t n, int64_t *ms)
{
	size_t i = 0, ts[6], tn[6], k;
	long long d, y, zh, zm;
	int64_t t;

	for (k = 0; k < 6; k++)
		if (!tok(s, n, &i, &ts[k], &tn[k]))
			return -1;
	if (tok(s, n, &i, &ts[0], &tn[0]))
		return -1;
	/* ts[0] "Mon," ts[1] "16" ts[2] "Dec" ts[3] "2024" ts[4] time ts[5] zone */
	if (tn[0] != 4 || s[ts[0] + 3] != ',' || tn[2] != 3 || !all_digits(s + ts[1], tn[1]) ||
	    tn[1] > 2 || tn[3] != 4 || !all_digits(s + ts[3], 4) || tn[5] != 5 ||
	    (s[ts[5]] != '+' && s[ts[5]] != '-') || !all_digits(s + ts[5] + 1, 4))
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

	trim(&s, &n);
	if (starts(s, n, "#")) {
		s++;
		n--;
		trim(&s, &n);
		if (!starts(s, n, "captured_at:"))
			return 0;
		s += 12;
		n -= 12;
		trim(&s, &n);
		if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0]) {
			s++;
			n -= 2;
		}
		return time_parse_rfc3339(s, n, ms, &errcol) == 0;
	}
	if (n >= 19 && isdigit((unsigned char)s[0]) && s[4] == '-')
		return time_parse_rfc3339(s, n, ms, &errcol) == 0;
	for (k = 0; k < 6; k++)
		if (!tok(s, n, &i, &ts[k], &tn[k]))
			return 0;
	if (tok(s, n, &i, &ts[0], &tn[0]))
		return 0;
	if (tn[0] != 3 || tn[1] != 3 || !all_digits(s + ts[2], tn[2]) || tn[2] > 2 ||
	    !(eq(s + ts[4], tn[4], "UTC") || eq(s + ts[4], tn[4], "GMT")) || tn[5] != 4 ||
	    !all_digits(s + ts[5], 4))
		return 0;
	if (strnum_ll(s + ts[2], tn[2], &d) || strnum_ll(s + ts[5], 4, &y))
		return 0;
	return civil_ms(y, month_no(s + ts[1]), d, s + ts[3], tn[3], ms) == 0;
}

/* Takes a date line as the new anchor (unless captured_at was given); 1 when it was one. */
static int
take_date(struct hctx *h, const struct line *ln)
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

static int
count_record(struct hctx *h, long line)
{
	if (++h->records > LIM_HPA_RECORDS) {
		diag_error(h->path, line, 0, "more than %d HPA states and scale events in one input",
		    LIM_HPA_RECORDS);
		return -1;
	}
	return 0;
}

static struct scale_event *
add_event(struct hctx *h, const char *target, long line, long col)
{
	struct scale_event *e = run_add_scale_event(h->run);

	e->target = target ? arena_strdup(&h->run->arena, target) : NULL;
	e->origin.src = h->src;
	e->origin.line = line;
	e->origin.col = col;
	return e;
}

/* ---- metrics and conditions collected for one HPA ----------------------- */

struct coll {
	struct hpa_state	 st;	/* strings in the arena; arrays below */
	struct hpa_metric	*m;
	size_t			 nm, capm;
	struct hpa_condition	*c;
	size_t			 nc, capc;
	int			 open;
};

static struct hpa_metric *
coll_metric(struct hctx *h, struct coll *c, long line)
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

static struct hpa_condition *
coll_cond(struct hctx *h, struct coll *c, long line)
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

static void
coll_start(struct hctx *h, struct coll *c, long line)
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
static int
coll_flush(struct hctx *h, struct coll *c)
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
	if (count_record(h, c->st.origin.line) == -1)
		return -1;
	for (i = 0; i < c->nc; i++) {
		char *msg = c->c[i].message;
		size_t n = msg ? strlen(msg) : 0;

		while (n > 0 && is_ws(msg[n - 1]))
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

static void
coll_release(struct coll *c)
{
	free(c->m);
	free(c->c);
}

/* ---- kubectl describe hpa ----------------------------------------------- */

enum dsec {
	D_NONE,		/* between keys: indented lines are continuations we skip */
	D_METRICS,
	D_CONDITIONS,
	D_EVENTS
};

static const char *const describe_labels[] = {
	"Name", "Namespace", "Labels", "Annotations", "CreationTimestamp", "Reference",
	"Metrics", "Min replicas", "Max replicas", "Behavior", "Conditions", "Events",
	"Target CPU utilization", "Current CPU utilization", "Min pods", "Max pods", NULL
};

/*
 * A top-level `Label:` line: the label's length, or 0. Known labels only
 * (plus "<Kind> pods"), so that a hard-wrapped message that happens to
 * start in column 1 is not taken for a key.
 */
static size_t
describe_label(const char *s, size_t n)
{
	size_t i, k;

	if (n == 0 || is_ws(s[0]))
		return 0;
	for (i = 0; i < n && s[i] != ':'; i++)
		;
	if (i >= n || (i + 1 < n && !is_ws(s[i + 1])))
		return 0;
	for (k = 0; describe_labels[k]; k++)
		if (eq(s, i, describe_labels[k]))
			return i;
	if (i > 5 && memcmp(s + i - 5, " pods", 5) == 0 && isupper((unsigned char)s[0]) &&
	    memchr(s, ' ', i - 5) == NULL)
		return i;
	return 0;
}

/* An event row: `Normal|Warning  Reason  Age ...`, indented or not. */
static int
event_row(const char *s, size_t n)
{
	size_t i = 0, ts, tn;

	if (!tok(s, n, &i, &ts, &tn) || !(eq(s + ts, tn, "Normal") || eq(s + ts, tn, "Warning")))
		return 0;
	if (i >= n || !is_ws(s[i]))
		return 0;
	return tok(s, n, &i, &ts, &tn) && tok(s, n, &i, &ts, &tn);
}

static int
describe_event(struct hctx *h, struct coll *c, const struct line *ln)
{
	const char *s = ln->s;
	size_t n = ln->n, i = 0, ts, tn, as, an, ms, mn;
	size_t rs, rn;
	int64_t age, res, over = 0, ores;
	long long cnt = 0;
	int have_age = 1, to;
	struct scale_event *e;
	const char *p, *semi;

	tok(s, n, &i, &ts, &tn);		/* Normal | Warning */
	tok(s, n, &i, &rs, &rn);		/* Reason */
	tok(s, n, &i, &as, &an);		/* Age */
	if (age_unknown(s + as, an))
		have_age = 0;
	else if (parse_age(s + as, an, &age, &res) == -1)
		return bad_age(h, ln->no, (long)as + 1, s + as, an);
	ms = i;
	if (tok(s, n, &ms, &ts, &tn) && tn > 2 && s[ts] == '(' && s[ts + 1] == 'x') {
		/* "(x5 over 8m28s)" */
		if (!all_digits(s + ts + 2, tn - 2) || tn - 2 > 9 ||
		    strnum_ll(s + ts + 2, tn - 2, &cnt) == -1 || !tok(s, n, &ms, &ts, &tn) ||
		    !eq(s + ts, tn, "over") || !tok(s, n, &ms, &ts, &tn) || tn < 2 ||
		    s[ts + tn - 1] != ')')
			return bad_age(h, ln->no, (long)as + 1, s + as, ms - as);
		if (parse_age(s + ts, tn - 1, &over, &ores) == -1 && !age_unknown(s + ts, tn - 1))
			return bad_age(h, ln->no, (long)ts + 1, s + ts, tn - 1);
		i = ms;
	}
	if (!eq(s + rs, rn, "SuccessfulRescale"))
		return 0;
	tok(s, n, &i, &ts, &tn);		/* From */
	while (i < n && is_ws(s[i]))
		i++;
	p = s + i;
	mn = n - i;
	if (!starts(p, mn, "New size: ")) {
		diag_warning(h->path, ln->no, (long)i + 1, "a SuccessfulRescale event without "
		    "`New size: N`; skipped");
		return 0;
	}
	semi = memchr(p, ';', mn);
	ts = 10;
	tn = (semi ? (size_t)(semi - p) : mn) - ts;
	if (parse_count(p + ts, tn, &to) == -1)
		return bad_count(h, ln->no, (long)(i + ts) + 1, p + ts, tn, "`New size: N`");
	if (count_record(h, ln->no) == -1)
		return -1;
	e = add_event(h, c->st.name, ln->no, 1);
	e->to = to;
	e->count = (int)cnt;
	if (semi) {
		p = semi + 1;
		mn = (size_t)(s + n - p);
		trim(&p, &mn);
		if (starts(p, mn, "reason: ")) {
			p += 8;
			mn -= 8;
		}
		e->reason = dup(h, p, mn);
	}
	if (have_age && h->have_anchor) {
		e->have_t = 1;
		e->t = h->anchor - age;
		e->t_err = res;
		if (cnt > 1 && over >= age)
			e->first_t = h->anchor - over;
	}
	return 0;
}

/* `current / target` of a metric line; "186% (372m) / 40%". */
static void
metric_values(struct hctx *h, struct hpa_metric *m, const char *s, size_t n)
{
	const char *slash = NULL, *cur, *tgt, *par;
	size_t i, cn, tn;
	int pc = 0, pt = 0;

	for (i = 0; i + 2 < n; i++)
		if (s[i] == ' ' && s[i + 1] == '/' && s[i + 2] == ' ')
			slash = s + i;
	if (slash == NULL) {
		m->current = dup(h, s, n);
		return;
	}
	cur = s;
	cn = (size_t)(slash - s);
	tgt = slash + 3;
	tn = n - cn - 3;
	trim(&cur, &cn);
	trim(&tgt, &tn);
	if (cn > 0 && cur[cn - 1] == ')' && (par = memchr(cur, '(', cn)) != NULL) {
		m->raw = dup(h, par + 1, (size_t)(cur + cn - par) - 2);
		cn = (size_t)(par - cur);
		trim(&cur, &cn);
	}
	m->current = dup(h, cur, cn);
	m->target = dup(h, tgt, tn);
	m->have_current = parse_value(cur, cn, &m->current_v, &pc) == 0;
	m->have_target = parse_value(tgt, tn, &m->target_v, &pt) == 0;
	m->percent = pc || pt;
}

/* A metric line's label: `resource cpu on pods  (...)`, `"x" on pods`, `"x" on Service/y(...)`, `"x" (target value)`. */
static void
metric_label(struct hctx *h, struct hpa_metric *m, const char *s, size_t n)
{
	size_t i = 0, ts, tn;
	const char *q;

	if (starts(s, n, "resource ")) {
		i = 9;
		if (tok(s, n, &i, &ts, &tn))
			m->name = dup(h, s + ts, tn);
		/* kubectl 1.20+: `resource cpu of container "app" on pods` */
		m->kind = arena_strdup(&h->run->arena, mem_find(s, n, " of container ") ?
		    "containerresource" : "resource");
		return;
	}
	if (n > 1 && s[0] == '"' && (q = memchr(s + 1, '"', n - 1)) != NULL) {
		m->name = dup(h, s + 1, (size_t)(q - s) - 1);
		i = (size_t)(q - s) + 1;
		while (i < n && is_ws(s[i]))
			i++;
		if (starts(s + i, n - i, "on pods"))
			m->kind = dup(h, "pods", 4);
		else if (starts(s + i, n - i, "on "))
			m->kind = dup(h, "object", 6);
		else
			m->kind = dup(h, "external", 8);
	}
}

static int
describe_metric(struct hctx *h, struct coll *c, const struct line *ln)
{
	const char *s = ln->s;
	size_t n = ln->n, i, colon = 0, ls, lnn;
	struct hpa_metric *m;

	/* The last ": " before the values; labels carry none, values carry no colon. */
	for (i = 0; i + 1 < n; i++)
		if (s[i] == ':' && is_ws(s[i + 1]))
			colon = i + 1;
	if (colon == 0) {
		diag_warning(h->path, ln->no, 1, "a metric line without `NAME:  CURRENT / TARGET`; "
		    "skipped");
		return 0;
	}
	if ((m = coll_metric(h, c, ln->no)) == NULL)
		return -1;
	ls = 0;
	lnn = colon - 1;
	while (ls < lnn && is_ws(s[ls]))
		ls++;
	m->origin.col = (long)ls + 1;
	metric_label(h, m, s + ls, lnn - ls);
	for (i = colon; i < n && is_ws(s[i]); i++)
		;
	metric_values(h, m, s + i, n - i);
	return 0;
}

static int
describe_condition(struct hctx *h, struct coll *c, const struct line *ln)
{
	const char *s = ln->s;
	size_t n = ln->n, i = 0, ts[3], tn[3], k;
	struct hpa_condition *cd;
	char *old;

	k = 0;
	if (n > 0 && is_ws(s[0]))
		for (k = 0; k < 3 && tok(s, n, &i, &ts[k], &tn[k]); k++)
			;
	if (k >= 2 && (eq(s + ts[0], tn[0], "Type") && eq(s + ts[1], tn[1], "Status")))
		return 0;
	if (k >= 2 && starts(s + ts[0], tn[0], "----"))
		return 0;
	if (k >= 2 && (eq(s + ts[1], tn[1], "True") || eq(s + ts[1], tn[1], "False") ||
	    eq(s + ts[1], tn[1], "Unknown"))) {
		if ((cd = coll_cond(h, c, ln->no)) == NULL)
			return -1;
		cd->origin.col = (long)ts[0] + 1;
		cd->type = dup(h, s + ts[0], tn[0]);
		cd->status = dup(h, s + ts[1], tn[1]);
		if (k == 3) {
			cd->reason = dup(h, s + ts[2], tn[2]);
			while (i < n && is_ws(s[i]))
				i++;
			cd->message = dup(h, s + i, n - i);
		}
		return 0;
	}
	/* A terminal's hard wrap: the line continues the previous message as it is. */
	if (c->nc == 0 || c->c[c->nc - 1].message == NULL)
		return 0;
	old = c->c[c->nc - 1].message;
	c->c[c->nc - 1].message = arena_alloc(&h->run->arena, strlen(old) + n + 1);
	memcpy(c->c[c->nc - 1].message, old, strlen(old));
	memcpy(c->c[c->nc - 1].message + strlen(old), s, n);
	return 0;
}

static int
describe_key(struct hctx *h, struct coll *c, const struct line *ln, size_t ll, enum dsec *sec)
{
	const char *s = ln->s, *v;
	size_t n = ln->n, vn, vcol;
	struct hpa_metric *m;
	int x, y;
	size_t i, ts[5], tn[5], k;

	vcol = ll + 1;
	while (vcol < n && is_ws(s[vcol]))
		vcol++;
	v = s + vcol;
	vn = n - vcol;
	trim(&v, &vn);
	*sec = D_NONE;
	if (eq(s, ll, "Name")) {
		if (c->open && coll_flush(h, c) == -1)
			return -1;
		coll_start(h, c, ln->no);
		c->st.name = dup(h, v, vn);
		return 0;
	}
	if (!c->open)
		coll_start(h, c, ln->no);
	if (eq(s, ll, "Namespace"))
		c->st.namespace = dup(h, v, vn);
	else if (eq(s, ll, "Reference"))
		c->st.reference = dup(h, v, vn);
	else if (eq(s, ll, "CreationTimestamp")) {
		if (parse_rfc1123z(v, vn, &c->st.created) == -1) {
			diag_error(h->path, ln->no, (long)vcol + 1, "cannot read the time %s; "
			    "expected a time like `Mon, 16 Dec 2024 10:20:04 +0100`", diag_q(v, vn));
			return -1;
		}
		c->st.have_created = 1;
	} else if (eq(s, ll, "Metrics"))
		*sec = D_METRICS;
	else if (eq(s, ll, "Conditions"))
		*sec = D_CONDITIONS;
	else if (eq(s, ll, "Events"))
		*sec = eq(v, vn, "<none>") ? D_NONE : D_EVENTS;
	else if (eq(s, ll, "Min replicas") || eq(s, ll, "Min pods")) {
		if (eq(v, vn, "<unset>"))
			return 0;
		if (parse_count(v, vn, &c->st.min) == -1)
			return bad_count(h, ln->no, (long)vcol + 1, v, vn, "a whole number of replicas");
		c->st.have_min = 1;
	} else if (eq(s, ll, "Max replicas") || eq(s, ll, "Max pods")) {
		if (parse_count(v, vn, &c->st.max) == -1)
			return bad_count(h, ln->no, (long)vcol + 1, v, vn, "a whole number of replicas");
		c->st.have_max = 1;
	} else if (eq(s, ll, "Target CPU utilization") || eq(s, ll, "Current CPU utilization")) {
		/* kubectl ≤ 1.6 (autoscaling/v1): the one CPU metric on two lines. */
		for (k = 0; k < c->nm && !(c->m[k].name && strcmp(c->m[k].name, "cpu") == 0); k++)
			;
		if (k < c->nm)
			m = &c->m[k];
		else if ((m = coll_metric(h, c, ln->no)) == NULL)
			return -1;
		else {
			m->kind = dup(h, "resource", 8);
			m->name = dup(h, "cpu", 3);
			m->origin.col = 1;
		}
		if (s[0] == 'T') {
			m->target = dup(h, v, vn);
			m->have_target = parse_value(v, vn, &m->target_v, &m->percent) == 0;
		} else {
			m->current = dup(h, v, vn);
			m->have_current = parse_value(v, vn, &m->current_v, &m->percent) == 0;
		}
	} else if (ll > 5 && memcmp(s + ll - 5, " pods", 5) == 0) {
		/* "Deployment pods:  1 current / 1 desired" */
		i = vcol;
		for (k = 0; k < 5 && tok(s, n, &i, &ts[k], &tn[k]); k++)
			;
		if (k < 5 || !eq(s + ts[1], tn[1], "current") || !eq(s + ts[2], tn[2], "/") ||
		    !eq(s + ts[4], tn[4], "desired")) {
			diag_error(h->path, ln->no, (long)vcol + 1, "cannot read %s; expected "
			    "`N current / M desired`", diag_q(v, vn));
			return -1;
		}
		if (parse_count(s + ts[0], tn[0], &x) == -1)
			return bad_count(h, ln->no, (long)ts[0] + 1, s + ts[0], tn[0],
			    "`N current / M desired`");
		if (parse_count(s + ts[3], tn[3], &y) == -1)
			return bad_count(h, ln->no, (long)ts[3] + 1, s + ts[3], tn[3],
			    "`N current / M desired`");
		c->st.have_current = c->st.have_desired = 1;
		c->st.current = x;
		c->st.desired = y;
	}
	return 0;
}

static int
import_describe(struct hctx *h)
{
	struct coll c;
	struct line ln;
	enum dsec sec = D_NONE;
	long last_ev = -1;	/* the event a wrapped line continues */
	size_t ll;
	int r, rc = 0;

	memset(&c, 0, sizeof c);
	while ((r = next_line(h, &ln)) == 1) {
		if (blank(ln.s, ln.n)) {
			sec = D_NONE;
			last_ev = -1;
			continue;
		}
		if ((ll = describe_label(ln.s, ln.n)) > 0) {
			if ((rc = describe_key(h, &c, &ln, ll, &sec)) == -1)
				break;
			continue;
		}
		if (sec == D_NONE && !is_ws(ln.s[0]) && take_date(h, &ln))
			continue;
		if ((sec == D_NONE || sec == D_EVENTS) && event_row(ln.s, ln.n)) {
			size_t before = h->run->nscale_events;

			/* An Events excerpt may start at its first row. */
			sec = D_EVENTS;
			if ((rc = describe_event(h, &c, &ln)) == -1)
				break;
			last_ev = h->run->nscale_events > before ? (long)h->run->nscale_events - 1 : -1;
			continue;
		}
		if (sec == D_EVENTS && last_ev >= 0 && !starts(ln.s, ln.n, "  Type ") &&
		    !starts(ln.s, ln.n, "  ----") && !starts(ln.s, ln.n, "Type ")) {
			/*
			 * A message hard-wrapped by the terminal it was pasted from:
			 * text from column 1 continues the word, indented text a new one.
			 */
			struct scale_event *e = &h->run->scale_events[last_ev];
			const char *p = ln.s;
			size_t pn = ln.n, old = e->reason ? strlen(e->reason) : 0;
			int glue = is_ws(ln.s[0]);
			char *joined;

			trim(&p, &pn);
			joined = arena_alloc(&h->run->arena, old + pn + 2);
			if (old)
				memcpy(joined, e->reason, old);
			if (glue && old)
				joined[old++] = ' ';
			memcpy(joined + old, p, pn);
			joined[old + pn] = '\0';
			e->reason = joined;
			continue;
		}
		if (sec == D_METRICS && is_ws(ln.s[0])) {
			if ((rc = describe_metric(h, &c, &ln)) == -1)
				break;
		} else if (sec == D_CONDITIONS) {
			if ((rc = describe_condition(h, &c, &ln)) == -1)
				break;
		}
		/* Anything else: Labels/Annotations/Behavior lines, the events header, noise. */
	}
	if (r == -1)
		rc = -1;
	if (rc == 0)
		rc = coll_flush(h, &c);
	coll_release(&c);
	return rc;
}

/* ---- kubectl get hpa (-w, --no-headers, -A) ----------------------------- */

struct gethdr {
	int	seen;
	int	ns;		/* a NAMESPACE column first */
};

/* NAME REFERENCE TARGET(S) MINPODS MAXPODS REPLICAS AGE, maybe after NAMESPACE. */
static int
get_header(const char *s, size_t n, struct gethdr *g)
{
	static const char *const cols[] = {"NAME", "REFERENCE", "", "MINPODS", "MAXPODS",
		"REPLICAS", "AGE"};
	size_t i = 0, ts, tn, k;
	int ns = 0;

	if (!tok(s, n, &i, &ts, &tn))
		return 0;
	if (eq(s + ts, tn, "NAMESPACE")) {
		ns = 1;
		if (!tok(s, n, &i, &ts, &tn))
			return 0;
	}
	for (k = 0; k < 7; k++) {
		if (k > 0 && !tok(s, n, &i, &ts, &tn))
			return 0;
		if (k == 2 ? !(eq(s + ts, tn, "TARGETS") || eq(s + ts, tn, "TARGET")) :
		    !eq(s + ts, tn, cols[k]))
			return 0;
	}
	g->seen++;
	g->ns = ns;
	return 1;
}

/* Does the line look like a row (so that it is checked, not skipped as noise)? */
static int
get_row_shape(const char *s, size_t n, int ns)
{
	size_t i = 0, ts, tn, k;
	int nt = 0, slash = 0;

	for (k = 0; tok(s, n, &i, &ts, &tn); k++) {
		nt++;
		if (k == (size_t)ns + 1 && memchr(s + ts, '/', tn))
			slash = 1;
	}
	return slash && nt >= 6 + ns;
}

static struct tracker *
tracker_get(struct hctx *h, const char *ns, size_t nsn, const char *name, size_t nn, long line)
{
	struct tracker *t;
	size_t i;

	for (i = h->ntrk; i-- > 0;) {
		t = &h->trk[i];
		if (strlen(t->name) == nn && memcmp(t->name, name, nn) == 0 &&
		    (t->ns ? strlen(t->ns) == nsn && memcmp(t->ns, ns, nsn) == 0 : nsn == 0))
			return t;
	}
	if (h->ntrk >= LIM_HPA_OBJECTS) {
		diag_error(h->path, line, 0, "more than %d HPAs in one input", LIM_HPA_OBJECTS);
		return NULL;
	}
	t = VEC_PUSH(h->trk, h->ntrk, h->captrk);
	memset(t, 0, sizeof *t);
	t->name = dup(h, name, nn);
	t->ns = nsn ? dup(h, ns, nsn) : NULL;
	return t;
}

static int
get_row(struct hctx *h, const struct line *ln, int ns)
{
	const char *s = ln->s;
	size_t n = ln->n, i = 0, ts[64], tn[64], nt = 0, k, last, first_num;
	size_t nss = 0, nsn = 0, nms, nmn, rfs, rfn, tgs, tgn;
	int min = 0, max, replicas, have_min = 1, have_age = 0;
	int64_t age = 0, res = 0;
	struct tracker *tr;
	struct hpa_state *st;
	struct scale_event *e;
	const char *slash;

	while (nt < 64 && tok(s, n, &i, &ts[nt], &tn[nt]))
		nt++;
	if (nt >= 64) {
		diag_error(h->path, ln->no, 0, "more than 64 cells in a kubectl get hpa row");
		return -1;
	}
	last = nt - 1;
	/* AGE is a single token, unless the paste lost it (the row ends in REPLICAS). */
	if (age_unknown(s + ts[last], tn[last])) {
		last--;
	} else if (!all_digits(s + ts[last], tn[last])) {
		if (parse_age(s + ts[last], tn[last], &age, &res) == -1)
			return bad_age(h, ln->no, (long)ts[last] + 1, s + ts[last], tn[last]);
		have_age = 1;
		last--;
	}
	if (last < (size_t)ns + 5) {
		diag_error(h->path, ln->no, 1, "expected NAME REFERENCE TARGETS MINPODS MAXPODS "
		    "REPLICAS AGE in this row");
		return -1;
	}
	first_num = last - 2;
	if (parse_count(s + ts[last], tn[last], &replicas) == -1)
		return bad_count(h, ln->no, (long)ts[last] + 1, s + ts[last], tn[last],
		    "REPLICAS as a whole number");
	if (parse_count(s + ts[last - 1], tn[last - 1], &max) == -1)
		return bad_count(h, ln->no, (long)ts[last - 1] + 1, s + ts[last - 1], tn[last - 1],
		    "MAXPODS as a whole number");
	if (eq(s + ts[first_num], tn[first_num], "<unset>"))
		have_min = 0;
	else if (parse_count(s + ts[first_num], tn[first_num], &min) == -1)
		return bad_count(h, ln->no, (long)ts[first_num] + 1, s + ts[first_num],
		    tn[first_num], "MINPODS as a whole number");
	k = 0;
	if (ns) {
		nss = ts[0];
		nsn = tn[0];
		k = 1;
	}
	nms = ts[k];
	nmn = tn[k];
	/* `kubectl get deploy,hpa` names it horizontalpodautoscaler.autoscaling/NAME. */
	if (starts(s + nms, nmn, "horizontalpodautoscaler") &&
	    (slash = memchr(s + nms, '/', nmn)) != NULL) {
		nmn -= (size_t)(slash + 1 - (s + nms));
		nms = (size_t)(slash + 1 - s);
	}
	rfs = ts[k + 1];
	rfn = tn[k + 1];
	/* Before kubectl 1.8 the reference ended in the scale subresource. */
	if (rfn > 6 && memcmp(s + rfs + rfn - 6, "/scale", 6) == 0)
		rfn -= 6;
	tgs = ts[k + 2];
	tgn = ts[first_num] - tgs;
	while (tgn > 0 && is_ws(s[tgs + tgn - 1]))
		tgn--;
	if ((tr = tracker_get(h, s + nss, nsn, s + nms, nmn, ln->no)) == NULL)
		return -1;
	if (count_record(h, ln->no) == -1)
		return -1;
	st = run_add_hpa_state(h->run);
	st->name = tr->name;
	st->namespace = tr->ns;
	st->reference = dup(h, s + rfs, rfn);
	st->targets = dup(h, s + tgs, tgn);
	st->have_min = have_min;
	st->min = min;
	st->have_max = st->have_current = 1;
	st->max = max;
	st->current = replicas;
	st->origin.src = h->src;
	st->origin.line = ln->no;
	st->origin.col = 1;
	if (h->have_anchor && tr->anchor_seq != h->anchor_seq) {
		/* The first row after the anchor was printed at it. */
		tr->anchor_seq = h->anchor_seq;
		st->have_t = 1;
		st->t = h->anchor;
		tr->have_ref = have_age;
		tr->ref_t = h->anchor;
		tr->ref_age = age;
		tr->ref_res = res;
	} else if (tr->have_ref && have_age) {
		st->have_t = 1;
		st->t = tr->ref_t + (age - tr->ref_age);
		st->t_err = res > tr->ref_res ? res : tr->ref_res;
	}
	if (tr->have_prev && tr->prev_replicas != replicas) {
		if (count_record(h, ln->no) == -1)
			return -1;
		e = add_event(h, tr->name, ln->no, (long)ts[last] + 1);
		e->have_from = 1;
		e->from = tr->prev_replicas;
		e->to = replicas;
		if (st->have_t) {
			e->have_t = 1;
			e->t = st->t;
			e->t_err = st->t_err;
			/* It happened after the previous row was printed. */
			if (tr->prev_have_t && st->t - (tr->prev_t - tr->prev_err) > e->t_err)
				e->t_err = st->t - (tr->prev_t - tr->prev_err);
		}
	}
	tr->have_prev = 1;
	tr->prev_replicas = replicas;
	tr->prev_have_t = st->have_t;
	tr->prev_t = st->t;
	tr->prev_err = st->t_err;
	tr->rows++;
	return 0;
}

static int
import_get(struct hctx *h)
{
	struct gethdr g;
	struct line ln;
	size_t i;
	int r, multi = 0;

	memset(&g, 0, sizeof g);
	while ((r = next_line(h, &ln)) == 1) {
		if (blank(ln.s, ln.n) || take_date(h, &ln) || get_header(ln.s, ln.n, &g))
			continue;
		if (!get_row_shape(ln.s, ln.n, g.ns))
			continue;	/* shell noise: `nohup: ignoring input`, loop markers */
		if (get_row(h, &ln, g.ns) == -1) {
			r = -1;
			break;
		}
	}
	for (i = 0; i < h->ntrk; i++)
		if (h->trk[i].rows > 1)
			multi = 1;
	h->run->sources[h->src].format = arena_strdup(&h->run->arena, g.seen == 1 && multi ?
	    "kubectl-get-hpa-watch" : "kubectl-get-hpa");
	return r == -1 ? -1 : 0;
}

/* ---- kubectl get hpa -o yaml|json ---------------------------------------- */

static const struct ynode *
ypath(const struct ynode *n, const char *a, const char *b)
{
	if (n == NULL || n->type != Y_MAP)
		return NULL;
	n = ymap_get(n, a);
	if (b == NULL || n == NULL || n->type != Y_MAP)
		return b ? NULL : n;
	return ymap_get(n, b);
}

static const char *
ystr(const struct ynode *n)
{
	return n && n->type == Y_SCALAR && !ynode_is_null(n) ? n->value : NULL;
}

/* A replica count from the tree: 0 (absent or null), 1 (set), -1 (error). */
static int
yint(struct hctx *h, const struct ynode *n, int *out)
{
	if (n == NULL || ynode_is_null(n))
		return 0;
	if (n->type != Y_SCALAR || !n->plain || parse_count(n->value, n->len, out) == -1) {
		if (n->type != Y_SCALAR)
			diag_error(h->path, n->line, n->col, "replica count is not a number: "
			    "found %s; expected a whole number", ynode_what(n));
		else
			bad_count(h, n->line, n->col, n->value, n->len, "a whole number");
		return -1;
	}
	return 1;
}

static char *
ydup(struct hctx *h, const struct ynode *n)
{
	const char *s = ystr(n);

	return s ? arena_strdup(&h->run->arena, s) : NULL;
}

/* The metric's name and the mapping under its type: resource, pods, object, external. */
static const struct ynode *
ymetric_body(const struct ynode *m, const char **kind, const char **name)
{
	static const struct {
		const char	*key, *kind;
	} types[] = {
		{"resource", "resource"}, {"containerResource", "containerresource"},
		{"pods", "pods"}, {"object", "object"}, {"external", "external"},
	};
	const struct ynode *b;
	size_t i;

	for (i = 0; i < sizeof types / sizeof types[0]; i++)
		if ((b = ymap_get(m, types[i].key)) != NULL && b->type == Y_MAP) {
			*kind = types[i].kind;
			*name = ystr(ymap_get(b, "name"));
			if (*name == NULL)
				*name = ystr(ypath(b, "metric", "name"));
			if (*name == NULL)
				*name = ystr(ymap_get(b, "metricName"));	/* v2beta1 */
			return b;
		}
	return NULL;
}

/* {averageUtilization: 150, averageValue: 301m} (v2) or v2beta1's currentAverageUtilization... */
static void
yvalue(struct hctx *h, const struct ynode *b, int target, struct hpa_metric *m)
{
	const struct ynode *v = ymap_get(b, target ? "target" : "current");
	const char *util, *val, *s;
	char pct[64];
	double x;
	int p;

	util = ystr(ymap_get(v, "averageUtilization"));
	val = ystr(ymap_get(v, "averageValue"));
	if (val == NULL)
		val = ystr(ymap_get(v, "value"));
	if (v == NULL) {
		util = ystr(ymap_get(b, target ? "targetAverageUtilization" :
		    "currentAverageUtilization"));
		val = ystr(ymap_get(b, target ? "targetAverageValue" : "currentAverageValue"));
		if (val == NULL)
			val = ystr(ymap_get(b, target ? "targetValue" : "currentValue"));
	}
	if (util && strlen(util) < 32) {
		snprintf(pct, sizeof pct, "%s%%", util);
		s = pct;
		if (!target && val)
			m->raw = arena_strdup(&h->run->arena, val);
	} else if (val) {
		s = val;
	} else {
		return;
	}
	p = 0;
	if (parse_value(s, strlen(s), &x, &p) == 0) {
		if (target) {
			m->have_target = 1;
			m->target_v = x;
		} else {
			m->have_current = 1;
			m->current_v = x;
		}
		m->percent = p;
	}
	if (target)
		m->target = arena_strdup(&h->run->arena, s);
	else
		m->current = arena_strdup(&h->run->arena, s);
}

static int
ymetrics(struct hctx *h, struct coll *c, const struct ynode *list, int target)
{
	const struct ynode *b;
	const char *kind, *name;
	struct hpa_metric *m;
	size_t i, k;

	if (list == NULL || list->type != Y_SEQ)
		return 0;
	for (i = 0; i < list->n; i++) {
		kind = name = NULL;
		if (list->items[i]->type != Y_MAP ||
		    (b = ymetric_body(list->items[i], &kind, &name)) == NULL)
			continue;
		for (k = 0; k < c->nm; k++)
			if (strcmp(c->m[k].kind, kind) == 0 && (c->m[k].name && name ?
			    strcmp(c->m[k].name, name) == 0 : c->m[k].name == name))
				break;
		if (k < c->nm)
			m = &c->m[k];
		else if ((m = coll_metric(h, c, list->items[i]->line)) == NULL)
			return -1;
		else {
			m->origin.col = list->items[i]->col;
			m->kind = arena_strdup(&h->run->arena, kind);
			m->name = name ? arena_strdup(&h->run->arena, name) : NULL;
		}
		yvalue(h, b, target, m);
	}
	return 0;
}

static int
yconditions_json(struct hctx *h, struct coll *c, const struct ynode *ann)
{
	cJSON *root, *it, *f;
	struct hpa_condition *cd;
	const char *s = ystr(ann);
	int reported;

	if (s == NULL)
		return 0;
	root = json_parse(h->path, s, strlen(s), NULL, &reported);
	if (reported)
		return -1;
	if (root == NULL || !cJSON_IsArray(root)) {
		diag_warning(h->path, ann->line, ann->col, "the conditions annotation is not a JSON "
		    "list; ignored");
		cJSON_Delete(root);
		return 0;
	}
	cJSON_ArrayForEach(it, root) {
		if (!cJSON_IsObject(it))
			continue;
		if ((cd = coll_cond(h, c, ann->line)) == NULL) {
			cJSON_Delete(root);
			return -1;
		}
		cd->origin.col = ann->col;
#define JS(field, key) \
		if ((f = cJSON_GetObjectItemCaseSensitive(it, key)) && cJSON_IsString(f)) \
			cd->field = arena_strdup(&h->run->arena, f->valuestring)
		JS(type, "type");
		JS(status, "status");
		JS(reason, "reason");
		JS(message, "message");
#undef JS
	}
	cJSON_Delete(root);
	return 0;
}

static int
yobject(struct hctx *h, const struct ynode *o)
{
	const struct ynode *spec, *status, *ref, *conds, *lst, *n;
	struct coll c;
	struct hpa_condition *cd;
	struct hpa_metric *m;
	const char *kind, *name, *s;
	size_t i, errcol;
	int r, rc = -1;
	int64_t t;
	struct scale_event *e;

	memset(&c, 0, sizeof c);
	coll_start(h, &c, o->line);
	c.st.origin.col = o->col;
	c.st.name = ydup(h, ypath(o, "metadata", "name"));
	c.st.namespace = ydup(h, ypath(o, "metadata", "namespace"));
	spec = ymap_get(o, "spec");
	status = ymap_get(o, "status");
	ref = ypath(spec, "scaleTargetRef", NULL);
	kind = ystr(ypath(ref, "kind", NULL));
	name = ystr(ypath(ref, "name", NULL));
	if (kind && name) {
		c.st.reference = arena_alloc(&h->run->arena, strlen(kind) + strlen(name) + 2);
		memcpy(c.st.reference, kind, strlen(kind));
		c.st.reference[strlen(kind)] = '/';
		memcpy(c.st.reference + strlen(kind) + 1, name, strlen(name));
	}
	if ((r = yint(h, ypath(spec, "minReplicas", NULL), &c.st.min)) == -1)
		goto out;
	c.st.have_min = r;
	if ((r = yint(h, ypath(spec, "maxReplicas", NULL), &c.st.max)) == -1)
		goto out;
	c.st.have_max = r;
	if ((r = yint(h, ypath(status, "currentReplicas", NULL), &c.st.current)) == -1)
		goto out;
	c.st.have_current = r;
	if ((r = yint(h, ypath(status, "desiredReplicas", NULL), &c.st.desired)) == -1)
		goto out;
	c.st.have_desired = r;
	s = ystr(ypath(o, "metadata", "creationTimestamp"));
	if (s && time_parse_rfc3339(s, strlen(s), &c.st.created, &errcol) == 0)
		c.st.have_created = 1;
	if (ymetrics(h, &c, ypath(spec, "metrics", NULL), 1) == -1 ||
	    ymetrics(h, &c, ypath(status, "currentMetrics", NULL), 0) == -1)
		goto out;
	/* autoscaling/v1: one CPU target, conditions packed into an annotation. */
	n = ypath(spec, "targetCPUUtilizationPercentage", NULL);
	if (n == NULL)
		n = ypath(status, "currentCPUUtilizationPercentage", NULL);
	if (n) {
		if ((m = coll_metric(h, &c, n->line)) == NULL)
			goto out;
		m->origin.col = n->col;
		m->kind = arena_strdup(&h->run->arena, "resource");
		m->name = arena_strdup(&h->run->arena, "cpu");
		m->percent = 1;
		if ((s = ystr(ypath(spec, "targetCPUUtilizationPercentage", NULL))) &&
		    strnum_double(s, strlen(s), &m->target_v) == 0) {
			m->have_target = 1;
			m->target_v /= 100;
			m->target = arena_alloc(&h->run->arena, strlen(s) + 2);
			memcpy(m->target, s, strlen(s));
			m->target[strlen(s)] = '%';
		}
		if ((s = ystr(ypath(status, "currentCPUUtilizationPercentage", NULL))) &&
		    strnum_double(s, strlen(s), &m->current_v) == 0) {
			m->have_current = 1;
			m->current_v /= 100;
			m->current = arena_alloc(&h->run->arena, strlen(s) + 2);
			memcpy(m->current, s, strlen(s));
			m->current[strlen(s)] = '%';
		}
	}
	conds = ypath(status, "conditions", NULL);
	for (i = 0; conds && conds->type == Y_SEQ && i < conds->n; i++) {
		if (conds->items[i]->type != Y_MAP)
			continue;
		if ((cd = coll_cond(h, &c, conds->items[i]->line)) == NULL)
			goto out;
		cd->origin.col = conds->items[i]->col;
		cd->type = ydup(h, ymap_get(conds->items[i], "type"));
		cd->status = ydup(h, ymap_get(conds->items[i], "status"));
		cd->reason = ydup(h, ymap_get(conds->items[i], "reason"));
		cd->message = ydup(h, ymap_get(conds->items[i], "message"));
	}
	n = ypath(ypath(o, "metadata", "annotations"), "autoscaling.alpha.kubernetes.io/conditions",
	    NULL);
	if (n && yconditions_json(h, &c, n) == -1)
		goto out;
	lst = ypath(status, "lastScaleTime", NULL);
	if ((s = ystr(lst)) != NULL) {
		if (time_parse_rfc3339(s, strlen(s), &t, &errcol) == -1) {
			diag_warning(h->path, lst->line, lst->col, "lastScaleTime %s is not an RFC 3339 "
			    "time; no scale event recorded", diag_q(s, (size_t)-1));
		} else if (c.st.have_current) {
			if (count_record(h, lst->line) == -1)
				goto out;
			e = add_event(h, c.st.name, lst->line, lst->col);
			e->have_t = 1;
			e->t = t;
			e->to = c.st.current;
		}
	}
	rc = coll_flush(h, &c);
out:
	coll_release(&c);
	return rc;
}

static int
import_tree(struct hctx *h, const struct ynode *root)
{
	const struct ynode *items, *k;
	const char *kind;
	size_t i;

	if (root == NULL || root->type != Y_MAP) {
		diag_error(h->path, root ? root->line : 1, root ? root->col : 1, "%s", NOTHPA);
		return -1;
	}
	kind = ystr(k = ymap_get(root, "kind"));
	items = ymap_get(root, "items");
	if ((kind && strcmp(kind, "List") == 0) || (kind == NULL && items)) {
		if (items == NULL || items->type != Y_SEQ) {
			diag_error(h->path, root->line, root->col, "expected `items:` as a list of "
			    "HorizontalPodAutoscaler objects");
			return -1;
		}
		if (items->n > LIM_HPA_OBJECTS) {
			diag_error(h->path, items->line, items->col, "more than %d HPAs in one input",
			    LIM_HPA_OBJECTS);
			return -1;
		}
		for (i = 0; i < items->n; i++) {
			const struct ynode *it = items->items[i];

			kind = ystr(ymap_get(it, "kind"));
			if (it->type != Y_MAP || (kind && strcmp(kind, "HorizontalPodAutoscaler"))) {
				diag_warning(h->path, it->line, it->col, "a list item that is not an "
				    "HorizontalPodAutoscaler; skipped");
				continue;
			}
			if (yobject(h, it) == -1)
				return -1;
		}
		return 0;
	}
	if (kind && strcmp(kind, "HorizontalPodAutoscaler") != 0) {
		diag_error(h->path, k->line, k->col, "%s; found kind %s", NOTHPA,
		    diag_q(kind, (size_t)-1));
		return -1;
	}
	if (kind == NULL && !ymap_get(root, "spec") && !ymap_get(root, "status")) {
		diag_error(h->path, root->line, root->col, "%s", NOTHPA);
		return -1;
	}
	return yobject(h, root);
}

/*
 * JSON into the same tree as YAML, so one walker reads both. cJSON parses
 * and decodes; a scanner over the (then known-good) text finds where each
 * value starts, in document order, which is the order of a pre-order walk
 * of cJSON's tree.
 */
struct jpos {
	long	line, col;
	size_t	off, len;	/* the value's text, for numbers and literals */
};

static int
jscan(const char *s, size_t n, struct jpos **out, size_t *nout, long *bad_line, long *bad_col)
{
	struct jpos *p = NULL;
	size_t np = 0, cap = 0, i = 0, st;
	long line = 1, col = 1;
	int depth = 0;
	char c;

	while (i < n) {
		c = s[i];
		if (c == '\n') {
			line++;
			col = 1;
			i++;
			continue;
		}
		/* cJSON skips every byte up to ' ' as whitespace, NUL included. */
		if ((unsigned char)c <= ' ' || c == ',' || c == ':') {
			i++;
			col++;
			continue;
		}
		if (c == '}' || c == ']') {
			depth--;
			i++;
			col++;
			continue;
		}
		if (c == '"') {
			/* A key is a string followed by ':'; values are recorded, keys are not. */
			st = i++;
			while (i < n && s[i] != '"') {
				if (s[i] == '\\' && i + 1 < n)
					i++;
				i++;
			}
			if (i < n)
				i++;
			{
				size_t j = i;

				while (j < n && (unsigned char)s[j] <= ' ')
					j++;
				if (j < n && s[j] == ':') {
					for (; st < i; st++)
						if ((s[st] & 0xc0) != 0x80)
							col++;
					continue;
				}
			}
			VEC_PUSH(p, np, cap);
			p[np - 1].line = line;
			p[np - 1].col = col;
			p[np - 1].off = st;
			p[np - 1].len = i - st;
			for (; st < i && st < n; st++)
				if ((s[st] & 0xc0) != 0x80)
					col++;
			continue;
		}
		VEC_PUSH(p, np, cap);
		p[np - 1].line = line;
		p[np - 1].col = col;
		p[np - 1].off = i;
		if (c == '{' || c == '[') {
			if (++depth > LIM_JSON_DEPTH) {
				*bad_line = line;
				*bad_col = col;
				free(p);
				return -1;
			}
			p[np - 1].len = 1;
			i++;
			col++;
			continue;
		}
		st = i++;
		while (i < n && (unsigned char)s[i] > ' ' && s[i] != ',' && s[i] != ':' &&
		    s[i] != ']' && s[i] != '}')
			i++;
		p[np - 1].len = i - st;
		col += (long)(i - st);
	}
	*out = p;
	*nout = np;
	return 0;
}

static struct ynode *
jtree(struct arena *a, const cJSON *j, const char *text, const struct jpos *p, size_t np,
    size_t *k)
{
	struct ynode *y = arena_alloc(a, sizeof *y);
	const cJSON *ch;
	size_t i = 0, cnt = 0;

	if (*k < np) {
		y->line = p[*k].line;
		y->col = p[*k].col;
	}
	(*k)++;
	if (cJSON_IsObject(j) || cJSON_IsArray(j)) {
		cJSON_ArrayForEach(ch, j)
			cnt++;
		y->type = cJSON_IsObject(j) ? Y_MAP : Y_SEQ;
		if (cnt && y->type == Y_MAP)
			y->pairs = arena_alloc(a, cnt * sizeof *y->pairs);
		else if (cnt)
			y->items = arena_alloc(a, cnt * sizeof *y->items);
		cJSON_ArrayForEach(ch, j) {
			struct ynode *v = jtree(a, ch, text, p, np, k);

			if (y->type == Y_SEQ) {
				y->items[i++] = v;
				continue;
			}
			y->pairs[i].key = arena_alloc(a, sizeof *y->pairs[i].key);
			y->pairs[i].key->type = Y_SCALAR;
			y->pairs[i].key->value = arena_strdup(a, ch->string ? ch->string : "");
			y->pairs[i].key->len = strlen(y->pairs[i].key->value);
			y->pairs[i].key->line = v->line;
			y->pairs[i].key->col = v->col;
			y->pairs[i++].value = v;
		}
		y->n = i;
		return y;
	}
	y->type = Y_SCALAR;
	if (cJSON_IsString(j)) {
		y->value = arena_strdup(a, j->valuestring ? j->valuestring : "");
	} else if (*k - 1 < np) {
		y->value = arena_strndup(a, text + p[*k - 1].off, p[*k - 1].len);
		y->plain = 1;
	} else {
		y->value = arena_strdup(a, "");
		y->plain = 1;
	}
	y->len = strlen(y->value);
	return y;
}

static int
import_json(struct hctx *h, const char *text, size_t n)
{
	struct jpos *p = NULL;
	size_t np = 0, k = 0, off;
	long bl, bc, line = 1, col = 1;
	const char *end = NULL;
	cJSON *root;
	struct arena a;
	int rc;

	root = json_parse(h->path, text, n, &end, &rc);
	if (root == NULL && rc)
		return -1;
	if (root == NULL) {
		off = end && end >= text && end <= text + n ? (size_t)(end - text) : 0;
		for (k = 0; k < off; k++)
			if (text[k] == '\n') {
				line++;
				col = 1;
			} else if (((unsigned char)text[k] & 0xc0) != 0x80) {
				col++;
			}
		diag_error(h->path, line, col, "invalid JSON: cannot parse this");
		return -1;
	}
	for (off = (size_t)(end - text); off < n && (unsigned char)text[off] <= ' '; off++)
		;
	if (off < n) {
		cJSON_Delete(root);
		for (k = 0; k < off; k++)
			if (text[k] == '\n') {
				line++;
				col = 1;
			} else if (((unsigned char)text[k] & 0xc0) != 0x80) {
				col++;
			}
		diag_error(h->path, line, col, "invalid JSON: text after the document");
		return -1;
	}
	if (jscan(text, n, &p, &np, &bl, &bc) == -1) {
		cJSON_Delete(root);
		diag_error(h->path, bl, bc, "JSON nested deeper than %d levels", LIM_JSON_DEPTH);
		return -1;
	}
	arena_init(&a);
	k = 0;
	rc = import_tree(h, jtree(&a, root, text, p, np, &k));
	arena_release(&a);
	cJSON_Delete(root);
	free(p);
	return rc;
}

static int
import_yaml(struct hctx *h, const char *text, size_t n)
{
	struct ydoc d;
	int rc;

	if (ydoc_load(&d, h->path, text, n) == -1) {
		ydoc_release(&d);
		return -1;
	}
	rc = import_tree(h, d.root);
	ydoc_release(&d);
	return rc;
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

	if (blank(s, n) || date_line(s, n, &t))
		return S_NONE;
	for (i = 0; i < n && is_ws(s[i]); i++)
		;
	if (s[i] == '{' || s[i] == '[')
		return S_JSON;
	if (s[i] == '#' || starts(s + i, n - i, "---"))
		return S_NONE;
	for (k = 0; yaml_keys[k]; k++)
		if (i == 0 && starts(s, n, yaml_keys[k]) &&
		    (n == strlen(yaml_keys[k]) || is_ws(s[strlen(yaml_keys[k])])))
			return S_YAML;
	memset(&g, 0, sizeof g);
	if (get_header(s, n, &g))
		return S_GET;
	if (describe_label(s, n) || event_row(s, n))
		return S_DESCRIBE;
	if (get_row_shape(s, n, 0)) {
		/* A --no-headers row ends in MINPODS MAXPODS REPLICAS [AGE]. */
		size_t j = 0, ts, tn, nt = 0, ls = 0, lsn = 0, ps = 0, psn = 0;

		while (tok(s, n, &j, &ts, &tn)) {
			ps = ls;
			psn = lsn;
			ls = ts;
			lsn = tn;
			nt++;
		}
		if (all_digits(s + ps, psn) || all_digits(s + ls, lsn))
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
		if (*first_line == 0 && !blank(s, n))
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

		return mem_find(data, n, "\"HorizontalPodAutoscaler\"") != NULL ||
		    mem_find(data, n, "\"currentReplicas\"") != NULL;
	}
	if (sh == S_YAML) {
		size_t n = len < 65536 ? len : 65536;

		return mem_find(data, n, "HorizontalPodAutoscaler") != NULL ||
		    mem_find(data, n, "currentReplicas:") != NULL;
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
	while (h->off < skip && next_line(h, &ln) == 1)
		take_date(h, &ln);
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
		for (body = eol + 1; body < next && is_ws(*body); body++)
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
			if (import_json(h, copy, h->len) == -1) {
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

	while (next_line(h, &ln) == 1)
		if (ln.n > 0 && !is_ws(ln.s[0]) && ln.s[0] == '#')
			take_date(h, &ln);
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
		rc = import_describe(&h);
		break;
	case S_GET:
		rc = import_get(&h);
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
		rc = sh == S_YAML ? import_yaml(&h, copy, len) : import_json(&h, copy, len);
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
