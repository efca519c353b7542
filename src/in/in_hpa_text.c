/*
 * in_hpa_text.c — kubectl's table-like HPA output: `kubectl describe hpa`
 * and `kubectl get hpa` (-w, --no-headers, -A), with the time rules that
 * in_hpa.c's comment sets out. Owns nothing past a call. Depends on the
 * helpers of in_hpa.c (in/hpa_parts.h), run, diag, strnum and timeutil.
 */
#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "util/diag.h"
#include "in/import.h"
#include "in/hpa_parts.h"
#include "model/run.h"
#include "util/splimits.h"
#include "util/strnum.h"
#include "util/timeutil.h"
#include "util/xalloc.h"
#include "util/yamlr.h"

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
size_t
hpa_describe_label(const char *s, size_t n)
{
	size_t i, k;

	if (n == 0 || hpa_is_ws(s[0]))
		return 0;
	for (i = 0; i < n && s[i] != ':'; i++)
		;
	if (i >= n || (i + 1 < n && !hpa_is_ws(s[i + 1])))
		return 0;
	for (k = 0; describe_labels[k]; k++)
		if (hpa_eq(s, i, describe_labels[k]))
			return i;
	if (i > 5 && memcmp(s + i - 5, " pods", 5) == 0 && isupper((unsigned char)s[0]) &&
	    memchr(s, ' ', i - 5) == NULL)
		return i;
	return 0;
}

/* An event row: `Normal|Warning  Reason  Age ...`, indented or not. */
int
hpa_event_row(const char *s, size_t n)
{
	size_t i = 0, ts, tn;

	if (!hpa_tok(s, n, &i, &ts, &tn) || !(hpa_eq(s + ts, tn, "Normal") || hpa_eq(s + ts, tn, "Warning")))
		return 0;
	if (i >= n || !hpa_is_ws(s[i]))
		return 0;
	return hpa_tok(s, n, &i, &ts, &tn) && hpa_tok(s, n, &i, &ts, &tn);
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

	hpa_tok(s, n, &i, &ts, &tn);		/* Normal | Warning */
	hpa_tok(s, n, &i, &rs, &rn);		/* Reason */
	hpa_tok(s, n, &i, &as, &an);		/* Age */
	if (hpa_age_unknown(s + as, an))
		have_age = 0;
	else if (hpa_parse_age(s + as, an, &age, &res) == -1)
		return hpa_bad_age(h, ln->no, (long)as + 1, s + as, an);
	ms = i;
	if (hpa_tok(s, n, &ms, &ts, &tn) && tn > 2 && s[ts] == '(' && s[ts + 1] == 'x') {
		/* "(x5 over 8m28s)" */
		if (!hpa_all_digits(s + ts + 2, tn - 2) || tn - 2 > 9 ||
		    strnum_ll(s + ts + 2, tn - 2, &cnt) == -1 || !hpa_tok(s, n, &ms, &ts, &tn) ||
		    !hpa_eq(s + ts, tn, "over") || !hpa_tok(s, n, &ms, &ts, &tn) || tn < 2 ||
		    s[ts + tn - 1] != ')')
			return hpa_bad_age(h, ln->no, (long)as + 1, s + as, ms - as);
		if (hpa_parse_age(s + ts, tn - 1, &over, &ores) == -1 && !hpa_age_unknown(s + ts, tn - 1))
			return hpa_bad_age(h, ln->no, (long)ts + 1, s + ts, tn - 1);
		i = ms;
	}
	if (!hpa_eq(s + rs, rn, "SuccessfulRescale"))
		return 0;
	hpa_tok(s, n, &i, &ts, &tn);		/* From */
	while (i < n && hpa_is_ws(s[i]))
		i++;
	p = s + i;
	mn = n - i;
	if (!hpa_starts(p, mn, "New size: ")) {
		diag_warning(h->path, ln->no, (long)i + 1, "a SuccessfulRescale event without "
		    "`New size: N`; skipped");
		return 0;
	}
	semi = memchr(p, ';', mn);
	ts = 10;
	tn = (semi ? (size_t)(semi - p) : mn) - ts;
	if (hpa_parse_count(p + ts, tn, &to) == -1)
		return hpa_bad_count(h, ln->no, (long)(i + ts) + 1, p + ts, tn, "`New size: N`");
	if (hpa_count_record(h, ln->no) == -1)
		return -1;
	e = hpa_add_event(h, c->st.name, ln->no, 1);
	e->to = to;
	e->count = (int)cnt;
	if (semi) {
		p = semi + 1;
		mn = (size_t)(s + n - p);
		str_trim(&p, &mn, " \t");
		if (hpa_starts(p, mn, "reason: ")) {
			p += 8;
			mn -= 8;
		}
		e->reason = hpa_dup(h, p, mn);
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
		m->current = hpa_dup(h, s, n);
		return;
	}
	cur = s;
	cn = (size_t)(slash - s);
	tgt = slash + 3;
	tn = n - cn - 3;
	str_trim(&cur, &cn, " \t");
	str_trim(&tgt, &tn, " \t");
	if (cn > 0 && cur[cn - 1] == ')' && (par = memchr(cur, '(', cn)) != NULL) {
		m->raw = hpa_dup(h, par + 1, (size_t)(cur + cn - par) - 2);
		cn = (size_t)(par - cur);
		str_trim(&cur, &cn, " \t");
	}
	m->current = hpa_dup(h, cur, cn);
	m->target = hpa_dup(h, tgt, tn);
	m->have_current = hpa_parse_value(cur, cn, &m->current_v, &pc) == 0;
	m->have_target = hpa_parse_value(tgt, tn, &m->target_v, &pt) == 0;
	m->percent = pc || pt;
}

/* A metric line's label: `resource cpu on pods  (...)`, `"x" on pods`, `"x" on Service/y(...)`, `"x" (target value)`. */
static void
metric_label(struct hctx *h, struct hpa_metric *m, const char *s, size_t n)
{
	size_t i = 0, ts, tn;
	const char *q;

	if (hpa_starts(s, n, "resource ")) {
		i = 9;
		if (hpa_tok(s, n, &i, &ts, &tn))
			m->name = hpa_dup(h, s + ts, tn);
		/* kubectl 1.20+: `resource cpu of container "app" on pods` */
		m->kind = arena_strdup(&h->run->arena, hpa_mem_find(s, n, " of container ") ?
		    "containerresource" : "resource");
		return;
	}
	if (n > 1 && s[0] == '"' && (q = memchr(s + 1, '"', n - 1)) != NULL) {
		m->name = hpa_dup(h, s + 1, (size_t)(q - s) - 1);
		i = (size_t)(q - s) + 1;
		while (i < n && hpa_is_ws(s[i]))
			i++;
		if (hpa_starts(s + i, n - i, "on pods"))
			m->kind = hpa_dup(h, "pods", 4);
		else if (hpa_starts(s + i, n - i, "on "))
			m->kind = hpa_dup(h, "object", 6);
		else
			m->kind = hpa_dup(h, "external", 8);
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
		if (s[i] == ':' && hpa_is_ws(s[i + 1]))
			colon = i + 1;
	if (colon == 0) {
		diag_warning(h->path, ln->no, 1, "a metric line without `NAME:  CURRENT / TARGET`; "
		    "skipped");
		return 0;
	}
	if ((m = hpa_coll_metric(h, c, ln->no)) == NULL)
		return -1;
	ls = 0;
	lnn = colon - 1;
	while (ls < lnn && hpa_is_ws(s[ls]))
		ls++;
	m->origin.col = (long)ls + 1;
	metric_label(h, m, s + ls, lnn - ls);
	for (i = colon; i < n && hpa_is_ws(s[i]); i++)
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
	if (n > 0 && hpa_is_ws(s[0]))
		for (k = 0; k < 3 && hpa_tok(s, n, &i, &ts[k], &tn[k]); k++)
			;
	if (k >= 2 && (hpa_eq(s + ts[0], tn[0], "Type") && hpa_eq(s + ts[1], tn[1], "Status")))
		return 0;
	if (k >= 2 && hpa_starts(s + ts[0], tn[0], "----"))
		return 0;
	if (k >= 2 && (hpa_eq(s + ts[1], tn[1], "True") || hpa_eq(s + ts[1], tn[1], "False") ||
	    hpa_eq(s + ts[1], tn[1], "Unknown"))) {
		if ((cd = hpa_coll_cond(h, c, ln->no)) == NULL)
			return -1;
		cd->origin.col = (long)ts[0] + 1;
		cd->type = hpa_dup(h, s + ts[0], tn[0]);
		cd->status = hpa_dup(h, s + ts[1], tn[1]);
		if (k == 3) {
			cd->reason = hpa_dup(h, s + ts[2], tn[2]);
			while (i < n && hpa_is_ws(s[i]))
				i++;
			cd->message = hpa_dup(h, s + i, n - i);
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
	while (vcol < n && hpa_is_ws(s[vcol]))
		vcol++;
	v = s + vcol;
	vn = n - vcol;
	str_trim(&v, &vn, " \t");
	*sec = D_NONE;
	if (hpa_eq(s, ll, "Name")) {
		if (c->open && hpa_coll_flush(h, c) == -1)
			return -1;
		hpa_coll_start(h, c, ln->no);
		c->st.name = hpa_dup(h, v, vn);
		return 0;
	}
	if (!c->open)
		hpa_coll_start(h, c, ln->no);
	if (hpa_eq(s, ll, "Namespace"))
		c->st.namespace = hpa_dup(h, v, vn);
	else if (hpa_eq(s, ll, "Reference"))
		c->st.reference = hpa_dup(h, v, vn);
	else if (hpa_eq(s, ll, "CreationTimestamp")) {
		if (hpa_parse_rfc1123z(v, vn, &c->st.created) == -1) {
			diag_error(h->path, ln->no, (long)vcol + 1, "cannot read the time %s; "
			    "expected a time like `Mon, 16 Dec 2024 10:20:04 +0100`", diag_q(v, vn));
			return -1;
		}
		c->st.have_created = 1;
	} else if (hpa_eq(s, ll, "Metrics"))
		*sec = D_METRICS;
	else if (hpa_eq(s, ll, "Conditions"))
		*sec = D_CONDITIONS;
	else if (hpa_eq(s, ll, "Events"))
		*sec = hpa_eq(v, vn, "<none>") ? D_NONE : D_EVENTS;
	else if (hpa_eq(s, ll, "Min replicas") || hpa_eq(s, ll, "Min pods")) {
		if (hpa_eq(v, vn, "<unset>"))
			return 0;
		if (hpa_parse_count(v, vn, &c->st.min) == -1)
			return hpa_bad_count(h, ln->no, (long)vcol + 1, v, vn, "a whole number of replicas");
		c->st.have_min = 1;
	} else if (hpa_eq(s, ll, "Max replicas") || hpa_eq(s, ll, "Max pods")) {
		if (hpa_parse_count(v, vn, &c->st.max) == -1)
			return hpa_bad_count(h, ln->no, (long)vcol + 1, v, vn, "a whole number of replicas");
		c->st.have_max = 1;
	} else if (hpa_eq(s, ll, "Target CPU utilization") || hpa_eq(s, ll, "Current CPU utilization")) {
		/* kubectl ≤ 1.6 (autoscaling/v1): the one CPU metric on two lines. */
		for (k = 0; k < c->nm && !(c->m[k].name && strcmp(c->m[k].name, "cpu") == 0); k++)
			;
		if (k < c->nm)
			m = &c->m[k];
		else if ((m = hpa_coll_metric(h, c, ln->no)) == NULL)
			return -1;
		else {
			m->kind = hpa_dup(h, "resource", 8);
			m->name = hpa_dup(h, "cpu", 3);
			m->origin.col = 1;
		}
		if (s[0] == 'T') {
			m->target = hpa_dup(h, v, vn);
			m->have_target = hpa_parse_value(v, vn, &m->target_v, &m->percent) == 0;
		} else {
			m->current = hpa_dup(h, v, vn);
			m->have_current = hpa_parse_value(v, vn, &m->current_v, &m->percent) == 0;
		}
	} else if (ll > 5 && memcmp(s + ll - 5, " pods", 5) == 0) {
		/* "Deployment pods:  1 current / 1 desired" */
		i = vcol;
		for (k = 0; k < 5 && hpa_tok(s, n, &i, &ts[k], &tn[k]); k++)
			;
		if (k < 5 || !hpa_eq(s + ts[1], tn[1], "current") || !hpa_eq(s + ts[2], tn[2], "/") ||
		    !hpa_eq(s + ts[4], tn[4], "desired")) {
			diag_error(h->path, ln->no, (long)vcol + 1, "cannot read %s; expected "
			    "`N current / M desired`", diag_q(v, vn));
			return -1;
		}
		if (hpa_parse_count(s + ts[0], tn[0], &x) == -1)
			return hpa_bad_count(h, ln->no, (long)ts[0] + 1, s + ts[0], tn[0],
			    "`N current / M desired`");
		if (hpa_parse_count(s + ts[3], tn[3], &y) == -1)
			return hpa_bad_count(h, ln->no, (long)ts[3] + 1, s + ts[3], tn[3],
			    "`N current / M desired`");
		c->st.have_current = c->st.have_desired = 1;
		c->st.current = x;
		c->st.desired = y;
	}
	return 0;
}

int
hpa_import_describe(struct hctx *h)
{
	struct coll c;
	struct line ln;
	enum dsec sec = D_NONE;
	long last_ev = -1;	/* the event a wrapped line continues */
	size_t ll;
	int r, rc = 0;

	memset(&c, 0, sizeof c);
	while ((r = hpa_next_line(h, &ln)) == 1) {
		if (hpa_blank(ln.s, ln.n)) {
			sec = D_NONE;
			last_ev = -1;
			continue;
		}
		if ((ll = hpa_describe_label(ln.s, ln.n)) > 0) {
			if ((rc = describe_key(h, &c, &ln, ll, &sec)) == -1)
				break;
			continue;
		}
		if (sec == D_NONE && !hpa_is_ws(ln.s[0]) && hpa_take_date(h, &ln))
			continue;
		if ((sec == D_NONE || sec == D_EVENTS) && hpa_event_row(ln.s, ln.n)) {
			size_t before = h->run->nscale_events;

			/* An Events excerpt may start at its first row. */
			sec = D_EVENTS;
			if ((rc = describe_event(h, &c, &ln)) == -1)
				break;
			last_ev = h->run->nscale_events > before ? (long)h->run->nscale_events - 1 : -1;
			continue;
		}
		if (sec == D_EVENTS && last_ev >= 0 && !hpa_starts(ln.s, ln.n, "  Type ") &&
		    !hpa_starts(ln.s, ln.n, "  ----") && !hpa_starts(ln.s, ln.n, "Type ")) {
			/*
			 * A message hard-wrapped by the terminal it was pasted from:
			 * text from column 1 continues the word, indented text a new one.
			 */
			struct scale_event *e = &h->run->scale_events[last_ev];
			const char *p = ln.s;
			size_t pn = ln.n, old = e->reason ? strlen(e->reason) : 0;
			int glue = hpa_is_ws(ln.s[0]);
			char *joined;

			str_trim(&p, &pn, " \t");
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
		if (sec == D_METRICS && hpa_is_ws(ln.s[0])) {
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
		rc = hpa_coll_flush(h, &c);
	hpa_coll_release(&c);
	return rc;
}

/* ---- kubectl get hpa (-w, --no-headers, -A) ----------------------------- */

/* NAME REFERENCE TARGET(S) MINPODS MAXPODS REPLICAS AGE, maybe after NAMESPACE. */
int
hpa_get_header(const char *s, size_t n, struct gethdr *g)
{
	static const char *const cols[] = {"NAME", "REFERENCE", "", "MINPODS", "MAXPODS",
		"REPLICAS", "AGE"};
	size_t i = 0, ts, tn, k;
	int ns = 0;

	if (!hpa_tok(s, n, &i, &ts, &tn))
		return 0;
	if (hpa_eq(s + ts, tn, "NAMESPACE")) {
		ns = 1;
		if (!hpa_tok(s, n, &i, &ts, &tn))
			return 0;
	}
	for (k = 0; k < 7; k++) {
		if (k > 0 && !hpa_tok(s, n, &i, &ts, &tn))
			return 0;
		if (k == 2 ? !(hpa_eq(s + ts, tn, "TARGETS") || hpa_eq(s + ts, tn, "TARGET")) :
		    !hpa_eq(s + ts, tn, cols[k]))
			return 0;
	}
	g->seen++;
	g->ns = ns;
	return 1;
}

/* Does the line look like a row (so that it is checked, not skipped as noise)? */
int
hpa_get_row_shape(const char *s, size_t n, int ns)
{
	size_t i = 0, ts, tn, k;
	int nt = 0, slash = 0;

	for (k = 0; hpa_tok(s, n, &i, &ts, &tn); k++) {
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
	t->name = hpa_dup(h, name, nn);
	t->ns = nsn ? hpa_dup(h, ns, nsn) : NULL;
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

	while (nt < 64 && hpa_tok(s, n, &i, &ts[nt], &tn[nt]))
		nt++;
	if (nt >= 64) {
		diag_error(h->path, ln->no, 0, "more than 64 cells in a kubectl get hpa row");
		return -1;
	}
	last = nt - 1;
	/* AGE is a single token, unless the paste lost it (the row ends in REPLICAS). */
	if (hpa_age_unknown(s + ts[last], tn[last])) {
		last--;
	} else if (!hpa_all_digits(s + ts[last], tn[last])) {
		if (hpa_parse_age(s + ts[last], tn[last], &age, &res) == -1)
			return hpa_bad_age(h, ln->no, (long)ts[last] + 1, s + ts[last], tn[last]);
		have_age = 1;
		last--;
	}
	if (last < (size_t)ns + 5) {
		diag_error(h->path, ln->no, 1, "expected NAME REFERENCE TARGETS MINPODS MAXPODS "
		    "REPLICAS AGE in this row");
		return -1;
	}
	first_num = last - 2;
	if (hpa_parse_count(s + ts[last], tn[last], &replicas) == -1)
		return hpa_bad_count(h, ln->no, (long)ts[last] + 1, s + ts[last], tn[last],
		    "REPLICAS as a whole number");
	if (hpa_parse_count(s + ts[last - 1], tn[last - 1], &max) == -1)
		return hpa_bad_count(h, ln->no, (long)ts[last - 1] + 1, s + ts[last - 1], tn[last - 1],
		    "MAXPODS as a whole number");
	if (hpa_eq(s + ts[first_num], tn[first_num], "<unset>"))
		have_min = 0;
	else if (hpa_parse_count(s + ts[first_num], tn[first_num], &min) == -1)
		return hpa_bad_count(h, ln->no, (long)ts[first_num] + 1, s + ts[first_num],
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
	if (hpa_starts(s + nms, nmn, "horizontalpodautoscaler") &&
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
	while (tgn > 0 && hpa_is_ws(s[tgs + tgn - 1]))
		tgn--;
	if ((tr = tracker_get(h, s + nss, nsn, s + nms, nmn, ln->no)) == NULL)
		return -1;
	if (hpa_count_record(h, ln->no) == -1)
		return -1;
	st = run_add_hpa_state(h->run);
	st->name = tr->name;
	st->namespace = tr->ns;
	st->reference = hpa_dup(h, s + rfs, rfn);
	st->targets = hpa_dup(h, s + tgs, tgn);
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
		if (hpa_count_record(h, ln->no) == -1)
			return -1;
		e = hpa_add_event(h, tr->name, ln->no, (long)ts[last] + 1);
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

int
hpa_import_get(struct hctx *h)
{
	struct gethdr g;
	struct line ln;
	size_t i;
	int r, multi = 0;

	memset(&g, 0, sizeof g);
	while ((r = hpa_next_line(h, &ln)) == 1) {
		if (hpa_blank(ln.s, ln.n) || hpa_take_date(h, &ln) || hpa_get_header(ln.s, ln.n, &g))
			continue;
		if (!hpa_get_row_shape(ln.s, ln.n, g.ns))
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
