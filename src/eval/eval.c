/*
 * eval.c — turns rules and evidence into verdicts. A rule whose evidence
 * is missing is "no data", never a pass; a rule whose units cannot be
 * reconciled with the evidence is an error, never a guess. Owns the
 * verdict array. Depends on run, slo, units; never on importers or output.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/diag.h"
#include "eval/eval.h"
#include "eval/budget.h"
#include "norm/units.h"
#include "eval/eval_imp.h"
#include "eval/explain.h"
#include "eval/ready.h"
#include "eval/relative.h"
#include "model/hist.h"
#include "util/select.h"
#include "util/strnum.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

int
verdicts_ok(const struct verdicts *vs)
{
	size_t i;

	if (vs->score.policy)
		return vs->score.state != V_FAIL;
	for (i = 0; i < vs->n; i++)
		if (vs->v[i].state == V_FAIL || vs->v[i].state == V_NODATA)
			return 0;
	return 1;
}

void
verdicts_release(struct verdicts *vs)
{
	free(vs->v);
	vs->v = NULL;
	vs->n = 0;
}

static const char *
default_stat(const struct summary *s)
{
	switch (s->type) {
	case MT_RATE:
		return "rate";
	case MT_COUNTER:
		return "count";
	case MT_GAUGE:
		return "value";
	case MT_TREND:
	case MT_UNKNOWN:
	default:
		return NULL;
	}
}

/* k6's own threshold on the same statistic, or NULL. */
static const struct k6_threshold *
k6_threshold_for(const struct summary *s, const char *stat)
{
	char lhs[64], canon[32];
	size_t i, j, k;

	for (i = 0; i < s->nthresholds; i++) {
		const char *e = s->thresholds[i].expr;

		for (j = k = 0; e[j] && strchr("<>=!", e[j]) == NULL && k < sizeof lhs - 1; j++)
			if (e[j] != ' ')
				lhs[k++] = e[j];
		lhs[k] = '\0';
		if (stat_canonical(lhs, canon, sizeof canon) == 0 && strcmp(canon, stat) == 0)
			return &s->thresholds[i];
	}
	/* k6's verdict on another statistic says nothing about this one: the K6 column shows -. */
	return NULL;
}

static void
list_stats(const struct summary *s, char *dst, size_t n)
{
	size_t i, off = 0;

	dst[0] = '\0';
	for (i = 0; i < s->nstats && off < n; i++)
		off += (size_t)snprintf(dst + off, n - off, "%s%s", i ? ", " : "", s->stats[i].name);
}

/* Why the metric is missing, for the message: k6 exports a sub-metric only when a threshold names it. */
static void
explain_missing(const struct run *run, const struct slo_rule *r, char *dst, size_t n)
{
	char hint[768];
	size_t i;

	if (explain_absent(run, &r->sel, ABSENT_METRIC, hint, sizeof hint) == 1) {
		snprintf(dst, n, "no metric %s in the evidence; %s", r->metric, hint);
		return;
	}
	for (i = 0; i < run->nsummaries; i++)
		if (strcmp(run->summaries[i].sel.name, r->sel.name) == 0) {
			snprintf(dst, n, "no %s in the evidence (there is %s; k6 writes a "
			    "sub-metric only when the script has a threshold on it)",
			    r->metric, run->summaries[i].name);
			return;
		}
	snprintf(dst, n, "no metric %s in the evidence; %s", r->metric, hint);
}

/* Sets observed, limit and state of a verdict from a value; the message names stat. */
static int
judge(struct verdict *v, const struct slo_rule *r, const struct value_units *vu, const char *stat)
{
	char got[64], lim[64], warnbuf[64];
	double x = vu->x;

	v->have_observed = 1;
	v->observed = x;
	v->unit = vu->unit;
	v->limit = vu->limit;
	v->op = r->op;
	v->have_warn = r->have_warn;
	v->warn = vu->warn;
	/* Told in the unit it was compared in (norm/units.h). */
	unit_tell(got, sizeof got, x, vu);
	unit_tell(lim, sizeof lim, vu->limit, vu);
	if (!cmp_holds(r->op, x, vu->limit)) {
		v->state = V_FAIL;
		snprintf(v->message, sizeof v->message, "%s %s is not %s %s", stat, got,
		    cmp_op_str(r->op), lim);
	} else if (r->have_warn && !cmp_holds(r->op, x, vu->warn)) {
		v->state = V_WARN;
		unit_tell(warnbuf, sizeof warnbuf, vu->warn, vu);
		snprintf(v->message, sizeof v->message, "%s %s is %s %s but past the warning "
		    "level %s", stat, got, cmp_op_str(r->op), lim, warnbuf);
	} else {
		v->state = V_PASS;
		snprintf(v->message, sizeof v->message, "%s %s %s %s", stat, got,
		    cmp_op_str(r->op), lim);
	}
	return 0;
}

static int
eval_metric(const struct run *run, const struct slo_set *set, const struct slo_rule *r,
    struct verdict *v)
{
	const struct summary *s = run_find_summary(run, &r->sel);
	const double *val, *cnt;
	const char *stat;
	char stats[256];
	struct value_units vu;
	struct unit_evidence ue;
	size_t i, dup = 0;

	if (s == NULL) {
		explain_missing(run, r, v->message, sizeof v->message);
		return 0;
	}
	for (i = 0; i < run->nsummaries; i++)
		dup += selector_equal(&run->summaries[i].sel, &r->sel);
	if (dup > 1)
		diag_warning(set->path, r->line, r->col,
		    "SLO %s: %s is in %zu inputs; summaries cannot be merged, so the first "
		    "(%s) decides", diag_q(r->name, (size_t)-1), r->metric, dup,
		    s->origin.src >= 0 ? run->sources[s->origin.src].path : "?");
	v->evidence = s->origin;
	stat = r->stat[0] ? r->stat : default_stat(s);
	if (stat == NULL) {
		diag_error(set->path, r->line, r->col,
		    "SLO %s: %s is a trend; say which statistic with `stat:` (for example p(95))",
		    diag_q(r->name, (size_t)-1), r->metric);
		return -1;
	}
	v->k6 = k6_threshold_for(s, stat);
	if ((cnt = summary_stat(s, "count")) != NULL && s->type != MT_COUNTER) {
		v->have_samples = 1;
		v->samples = (long long)*cnt;
	}
	if ((val = summary_stat(s, stat)) == NULL) {
		list_stats(s, stats, sizeof stats);
		snprintf(v->message, sizeof v->message, "%s has no %s (it has: %s)",
		    s->name, stat, stats);
		return 0;
	}
	if (v->have_samples && v->samples == 0) {
		snprintf(v->message, sizeof v->message, "%s saw no samples", s->name);
		return 0;
	}
	ue = unit_of_stat(run, s, stat, s->unit_known || !(s->type == MT_TREND ||
	    s->type == MT_UNKNOWN || s->type == MT_GAUGE) || strcmp(stat, "count") == 0);
	if (unit_rule(set, r, &ue, *val, &vu) == -1)
		return -1;
	return judge(v, r, &vu, stat);
}

/* The file an origin points at, for messages; "the evidence" when there is none. */
static const char *
origin_path(const struct run *run, const struct origin *o)
{
	if (o->src < 0 || (size_t)o->src >= run->nsources || run->sources[o->src].path == NULL)
		return "the evidence";
	return run->sources[o->src].path;
}

/* The fault a rule names; an unknown name is an error in the rules, listing the drill's faults. */
const struct fault *
need_fault(const struct run *run, const struct slo_set *set, const struct slo_rule *r,
    const char *name)
{
	const struct fault *f = run_find_fault(run, name);
	char list[256];
	size_t i, off = 0;

	if (f != NULL)
		return f;
	list[0] = '\0';
	for (i = 0; i < run->nfaults && off < sizeof list; i++)
		off += (size_t)snprintf(list + off, sizeof list - off, "%s%s", i ? ", " : "",
		    run->faults[i].name);
	diag_error(r->file ? r->file : set->path, r->line, r->col,
	    "SLO %s is measured against the fault %s, which %s%s", diag_q(r->name, (size_t)-1),
	    diag_q(name, (size_t)-1), run->nfaults ? "the drill does not have; it has: " :
	    "is not known: give faults in the drill file (or --fault NAME=START..END)", list);
	return NULL;
}

void
fmt_t(int64_t ms, char *dst, size_t n)
{
	time_fmt_utc(ms, dst, n);
}

/* The series a rule selects: every series whose labels include the rule's. */
static size_t
match_series(const struct run *run, const struct selector *sel, const struct series **out,
    size_t max)
{
	size_t i, n = 0;

	/* An exact match wins: `lag` means the series lag, not every lag{...} too. */
	for (i = 0; i < run->nseries; i++)
		if (selector_equal(sel, &run->series[i].sel)) {
			if (max > 0)
				out[0] = &run->series[i];
			return 1;
		}
	for (i = 0; i < run->nseries; i++)
		if (selector_matches(sel, &run->series[i].sel)) {
			if (n < max)
				out[n] = &run->series[i];
			n++;
		}
	return n;
}

static void
explain_no_series(const struct run *run, const struct slo_rule *r, char *dst, size_t n)
{
	char hint[768];

	/* A metric: rule looks in k6 summaries too, so its hint does. */
	if (r->kind == SLO_METRIC && (run->nsummaries > 0 || run->nk6raw > 0)) {
		explain_missing(run, r, dst, n);
		return;
	}
	explain_absent(run, &r->sel, ABSENT_SERIES, hint, sizeof hint);
	snprintf(dst, n, "no series %s in the evidence; %s", r->metric, hint);
}

int
eval_in_window(const struct run *run, const struct slo_rule *r, const struct fault *wf, int64_t t)
{
	size_t i;

	switch (r->window) {
	case WIN_DURING:
		return t >= wf->start && t <= wf->end;
	case WIN_AFTER:
		return t >= wf->end;
	case WIN_OUTSIDE:
		for (i = 0; i < run->nfaults; i++)
			if (t >= run->faults[i].start && t <= run->faults[i].end)
				return 0;
		return 1;
	case WIN_ALL:
	default:
		return 1;
	}
}

/* The largest hole in a series inside [lo, hi]: a stretch with no samples longer than 3 steps. */
static int64_t
largest_gap(const struct series *se, int64_t lo, int64_t hi, int64_t *at)
{
	int64_t gap = 0, prev = lo;
	size_t i;
	int started = 0;

	if (se->step <= 0)
		return 0;
	for (i = 0; i < se->npts; i++) {
		int64_t t = se->pts[i].t;

		if (t < lo || t > hi)
			continue;
		if (started && t - prev > 3 * se->step && t - prev > gap) {
			gap = t - prev;
			*at = prev;
		}
		prev = t;
		started = 1;
	}
	return gap;
}

/* A metric rule on time series: a statistic of the samples in the rule's window. */
static int
eval_series_metric(const struct run *run, const struct slo_set *set, const struct slo_rule *r,
    struct verdict *v)
{
	const struct series *ms[64];
	const struct fault *wf = NULL;
	struct value_units vu;
	const char *stat = r->stat[0] ? r->stat : r->op == OP_GT || r->op == OP_GE ? "min" : "max";
	double *vals = NULL, x = 0, sum = 0;
	size_t nm, i, k, n = 0, cap = 0, best = 0, bestk = 0;
	int64_t lo = INT64_MIN, hi = INT64_MAX, gap, gap_at = 0, last_t = INT64_MIN;
	char tb[40], gb[32];
	struct unit_evidence ue;

	if (r->window == WIN_DURING || r->window == WIN_AFTER) {
		if ((wf = need_fault(run, set, r, r->window_fault)) == NULL)
			return -1;
		lo = r->window == WIN_DURING ? wf->start : wf->end;
		hi = r->window == WIN_DURING ? wf->end : INT64_MAX;
	}
	nm = match_series(run, &r->sel, ms, sizeof ms / sizeof ms[0]);
	if (nm == 0) {
		explain_no_series(run, r, v->message, sizeof v->message);
		return 0;
	}
	if (nm > sizeof ms / sizeof ms[0])
		nm = sizeof ms / sizeof ms[0];
	ue = unit_of_series(run, ms[0]);
	for (k = 1; k < nm; k++)
		if (ms[k]->unit_known != ue.known || ms[k]->unit != ms[0]->unit ||
		    (ue.known && unit_of_series(run, ms[k]).scale != ue.scale)) {
			snprintf(v->message, sizeof v->message, "%s matches series in different units "
			    "(%s, %s); name one with labels", r->metric, ms[0]->name, ms[k]->name);
			return 0;
		}
	v->evidence = ms[0]->origin;
	for (k = 0; k < nm; k++)
		for (i = 0; i < ms[k]->npts; i++) {
			const struct point *p = &ms[k]->pts[i];

			if (!eval_in_window(run, r, wf, p->t))
				continue;
			xgrow((void **)&vals, &cap, n + 1, sizeof *vals);
			vals[n] = p->v;
			sum += p->v;
			/* max/min/last decide by one sample: remember which, to cite its line. */
			if (n == 0 || (strcmp(stat, "max") == 0 && p->v > x) ||
			    (strcmp(stat, "min") == 0 && p->v < x) ||
			    (strcmp(stat, "last") == 0 && p->t >= last_t)) {
				x = p->v;
				best = i;
				bestk = k;
				last_t = p->t;
			}
			n++;
		}
	v->have_samples = 1;
	v->samples = (long long)n;
	if (n == 0) {
		char w[96];

		window_str(r, w, sizeof w);
		snprintf(v->message, sizeof v->message, "%s has no samples in the window %s", r->metric, w);
		return 0;
	}
	if (strcmp(stat, "max") == 0 || strcmp(stat, "min") == 0 || strcmp(stat, "last") == 0) {
		v->evidence.line = (long)ms[bestk]->lines[best];
		v->have_peak = 1;
		v->peak = x;
		v->peak_t = ms[bestk]->pts[best].t;
	} else if (strcmp(stat, "avg") == 0) {
		x = sum / (double)n;
	} else if (strcmp(stat, "count") == 0) {
		x = (double)n;
	} else if (strcmp(stat, "med") == 0 || stat[0] == 'p') {
		double q = 50, pos;
		size_t lo_i;
		double a, b;
		size_t j;

		if (stat[0] == 'p')
			strnum_double(stat + 2, strlen(stat) - 3, &q);
		/* The two order statistics around the rank, as a sort would give, in linear time. */
		pos = q / 100.0 * (double)(n - 1);
		lo_i = (size_t)pos;
		a = select_double(vals, n, lo_i);
		for (j = lo_i + 1, b = a; j < n; j++)
			if (j == lo_i + 1 || vals[j] < b)
				b = vals[j];
		x = lo_i + 1 < n ? a + (pos - (double)lo_i) * (b - a) : a;
	} else {
		free(vals);
		snprintf(v->message, sizeof v->message, "the statistic %s does not apply to a time "
		    "series; use max, min, avg, med, last, count or p(N)", stat);
		return 0;
	}
	free(vals);
	if (strcmp(stat, "count") == 0)
		ue.known = 1, ue.unit = UNIT_NONE, ue.scale = 1;
	if (unit_rule(set, r, &ue, x, &vu) == -1)
		return -1;
	if (v->have_peak)
		v->peak = vu.x;
	judge(v, r, &vu, stat);
	/* Say when a max or min was reached, and any hole in the data. */
	if (v->have_peak) {
		size_t len = strlen(v->message);

		fmt_t(v->peak_t, tb, sizeof tb);
		snprintf(v->message + len, sizeof v->message - len, " (at %s)", tb);
	}
	for (k = 0; k < nm; k++) {
		gap = largest_gap(ms[k], lo == INT64_MIN ? ms[k]->pts[0].t : lo,
		    hi == INT64_MAX ? ms[k]->pts[ms[k]->npts - 1].t : hi, &gap_at);
		if (gap > 0) {
			size_t len = strlen(v->message);

			fmt_t(gap_at, tb, sizeof tb);
			time_fmt_span(gap, gb, sizeof gb);
			snprintf(v->message + len, sizeof v->message - len,
			    "; no samples for %s after %s", gb, tb);
			break;
		}
	}
	return 0;
}

/*
 * A recovers rule: the time from the fault's end (or start) until the
 * series is on the healthy side of the limit and stays there for `hold`,
 * with no hole in the data longer than three steps counting as healthy.
 */
static int
eval_recovers(const struct run *run, const struct slo_set *set, const struct slo_rule *r,
    struct verdict *v)
{
	const struct series *ms[2], *se;
	const struct fault *f;
	struct value_units vu;
	struct unit_evidence ue;
	int64_t ref, cand = 0, rec = 0, gapmax;
	double peak = 0;
	size_t nm, i, cand_i = 0, first = 0, peak_i = 0;
	int have_cand = 0, recovered = 0, have_peak = 0, after = 0;
	char a[40], b[40], c[40], d[40], pk[64], lim[64];

	if ((f = need_fault(run, set, r, r->fault)) == NULL)
		return -1;
	ref = r->from_start ? f->start : f->end;
	nm = match_series(run, &r->sel, ms, 2);
	if (nm == 0) {
		explain_no_series(run, r, v->message, sizeof v->message);
		return 0;
	}
	if (nm > 1) {
		snprintf(v->message, sizeof v->message, "%s matches more than one series (%s, %s); "
		    "add labels to pick one", r->metric, ms[0]->name, ms[1]->name);
		return 0;
	}
	se = ms[0];
	v->evidence = se->origin;
	ue = unit_of_series(run, se);
	if (unit_rule(set, r, &ue, 0, &vu) == -1)
		return -1;
	/* vu.x is unused: convert each sample the same way reconcile would. */
	v->unit = UNIT_MS;
	v->limit = (double)r->within;
	v->op = OP_LE;
	gapmax = se->step > 0 ? 3 * se->step : INT64_MAX;
	for (i = 0; i < se->npts; i++) {
		double x = se->pts[i].v * vu.factor;
		int healthy = cmp_holds(r->op, x, vu.limit);

		if (se->pts[i].t >= f->start && !healthy && (!have_peak ||
		    (r->op == OP_LT || r->op == OP_LE ? x > peak : x < peak))) {
			peak = x;
			peak_i = i;
			have_peak = 1;
		}
		if (se->pts[i].t >= f->start && !healthy && !v->have_breach) {
			v->have_breach = 1;
			v->breach_start = se->pts[i].t;
		}
		if (se->pts[i].t < ref)
			continue;
		if (!after) {
			first = i;
			after = 1;
		}
		if (have_cand && i > first && se->pts[i].t - se->pts[i - 1].t > gapmax)
			have_cand = 0;	/* a hole proves nothing: start holding again */
		if (!healthy) {
			have_cand = 0;
			continue;
		}
		if (!have_cand) {
			have_cand = 1;
			cand = se->pts[i].t;
			cand_i = i;
		}
		if (se->pts[i].t - cand >= (r->have_hold ? r->hold : 0)) {
			recovered = 1;
			rec = cand - ref;
			break;
		}
	}
	v->have_samples = 1;
	v->samples = (long long)(after ? se->npts - first : 0);
	fmt_t(f->end, a, sizeof a);
	unit_tell(lim, sizeof lim, vu.limit, &vu);
	if (!after) {
		snprintf(v->message, sizeof v->message, "%s has no samples after %s %s (%s)",
		    r->metric, f->name, r->from_start ? "started" : "ended", a);
		return 0;
	}
	if (have_peak) {
		v->have_peak = 1;
		v->peak = peak;
		v->peak_t = se->pts[peak_i].t;
		unit_tell(pk, sizeof pk, peak, &vu);
		fmt_t(v->peak_t, d, sizeof d);
	}
	if (!recovered) {
		fmt_t(se->pts[se->npts - 1].t, b, sizeof b);
		v->state = V_FAIL;
		v->evidence.line = (long)se->lines[se->npts - 1];
		snprintf(v->message, sizeof v->message, "not recovered by %s: %s is not back %s %s%s%s%s%s",
		    b, r->metric, r->op == OP_LT || r->op == OP_LE ? "below" : "above", lim,
		    have_cand ? " for the whole hold" : "", have_peak ? "; peak " : "",
		    have_peak ? pk : "", have_peak ? "" : "");
		if (have_peak) {
			size_t len = strlen(v->message);

			snprintf(v->message + len, sizeof v->message - len, " at %s", d);
		}
		return 0;
	}
	v->have_observed = 1;
	v->observed = (double)(rec > 0 ? rec : 0);
	v->evidence.line = (long)se->lines[cand_i];
	if (v->have_breach) {
		v->have_breach_end = 1;
		v->breach_end = cand;
	}
	v->state = rec <= r->within ? V_PASS : V_FAIL;
	time_fmt_span(rec > 0 ? rec : 0, b, sizeof b);
	fmt_t(cand, c, sizeof c);
	time_fmt_span(r->within, a, sizeof a);
	{
		char step[32] = "";
		char hold[32];

		if (se->step > 0)
			time_fmt_span(se->step, step, sizeof step);
		time_fmt_span(r->have_hold ? r->hold : 0, hold, sizeof hold);
		snprintf(v->message, sizeof v->message,
		    "back %s %s %s after %s %s (at %s%s%s, held %s)%s %s%s%s%s%s",
		    r->op == OP_LT || r->op == OP_LE ? "below" : "above", lim, b, f->name,
		    r->from_start ? "started" : "ended", c, step[0] ? " ±" : "", step, hold,
		    rec <= r->within ? ", within" : ", later than", a,
		    have_peak ? "; peak " : "", have_peak ? pk : "", have_peak ? " at " : "",
		    have_peak ? d : "");
	}
	return 0;
}

/* Whether a k6 raw histogram's tags include every label of the rule's selector. */
int
hist_matches(const struct k6raw_hist *h, const struct slo_rule *r)
{
	struct selector have;

	have.name = h->metric;
	have.labels = h->tags;
	have.nlabels = h->ntags;
	return selector_matches(&r->sel, &have);
}

/*
 * A metric rule with a window, on k6 raw data: the histograms of every
 * window that starts inside the rule's window, for every tag set that
 * includes the rule's labels, merged; the statistic is read from that.
 * Exact for counts, within the histogram's 1 % for percentiles, and the
 * window's edges are as fine as the windows (10 s by default).
 */
static int
eval_k6raw_window(const struct run *run, const struct slo_set *set, const struct slo_rule *r,
    struct verdict *v)
{
	const struct fault *wf = NULL;
	const struct k6raw_hist *first = NULL;
	struct hist h;
	struct value_units vu;
	struct unit_evidence ue;
	const char *stat = r->stat;
	int64_t lo = INT64_MIN, hi = INT64_MAX, w = run->k6raw_window_ms;
	double x, q;
	size_t i, k;
	char wname[96], ws[32];
	enum metric_type type = MT_UNKNOWN;

	if (r->window == WIN_DURING || r->window == WIN_AFTER) {
		if ((wf = need_fault(run, set, r, r->window_fault)) == NULL)
			return -1;
		lo = r->window == WIN_DURING ? wf->start : wf->end;
		hi = r->window == WIN_DURING ? wf->end : INT64_MAX;
	}
	hist_init(&h);
	for (i = 0; i < run->nk6raw; i++) {
		const struct k6raw_hist *e = &run->k6raw[i];
		int inside = e->start >= lo && e->start < hi;

		if (r->window == WIN_OUTSIDE)
			for (k = 0, inside = 1; k < run->nfaults && inside; k++)
				inside = e->start + w <= run->faults[k].start || e->start >= run->faults[k].end;
		if (!inside || !hist_matches(e, r))
			continue;
		if (first == NULL) {
			first = e;
			type = e->type;
		}
		hist_merge(&h, &e->h);
	}
	window_str(r, wname, sizeof wname);
	if (first == NULL || h.count == 0) {
		hist_release(&h);
		snprintf(v->message, sizeof v->message, "k6 raw output has no samples of %s in the window %s",
		    r->metric, wname);
		return 0;
	}
	v->evidence = first->origin;
	v->have_samples = 1;
	v->samples = (long long)h.count;
	if (stat[0] == '\0')
		stat = type == MT_RATE ? "rate" : type == MT_COUNTER ? "count" : "max";
	if (strcmp(stat, "rate") == 0 && type == MT_RATE)
		x = (double)h.nonzero / (double)h.count;
	else if (strcmp(stat, "count") == 0)
		x = (double)h.count;
	else if (strcmp(stat, "avg") == 0)
		x = h.sum / (double)h.count;
	else if (strcmp(stat, "min") == 0)
		x = h.min;
	else if (strcmp(stat, "max") == 0)
		x = h.max;
	else if (strcmp(stat, "med") == 0)
		x = hist_quantile(&h, 0.5);
	else if (stat[0] == 'p' && strnum_double(stat + 2, strlen(stat) - 3, &q) == 0)
		x = hist_quantile(&h, q / 100);
	else {
		hist_release(&h);
		snprintf(v->message, sizeof v->message, "the statistic %s does not apply to k6 raw %s",
		    stat, r->metric);
		return 0;
	}
	hist_release(&h);
	ue.known = first->unit_known || (type == MT_RATE && strcmp(stat, "rate") == 0) ||
	    strcmp(stat, "count") == 0;
	ue.unit = type == MT_RATE && strcmp(stat, "rate") == 0 ? UNIT_RATIO :
	    strcmp(stat, "count") == 0 ? UNIT_NONE : first->unit;
	ue.scale = 1;
	ue.mixed = 0;
	ue.where = origin_path(run, &first->origin);
	if (unit_rule(set, r, &ue, x, &vu) == -1)
		return -1;
	judge(v, r, &vu, stat);
	time_fmt_span(w, ws, sizeof ws);
	{
		size_t len = strlen(v->message);

		snprintf(v->message + len, sizeof v->message - len, " (k6 raw, %s, %s windows)",
		    wname, ws);
	}
	return 0;
}

static int
eval_rule(const struct run *run, const struct slo_set *set, const struct slo_rule *r,
    struct verdict *v)
{
	switch (r->kind) {
	case SLO_RECOVERS:
		if (r->ready)
			return eval_ready(run, set, r, v);
		return eval_recovers(run, set, r, v);
	case SLO_ALERT:
		return eval_alert(run, set, r, v);
	case SLO_HPA:
		return eval_hpa(run, set, r, v);
	case SLO_BUDGET:
		return eval_budget(run, set, r, v);
	case SLO_METRIC:
	default:
		if (r->relative)
			return eval_relative(run, set, r, v);
		/* k6 summaries first (whole-run figures), else time series. */
		if (r->window != WIN_ALL && run->nk6raw > 0) {
			size_t i;

			for (i = 0; i < run->nk6raw; i++)
				if (hist_matches(&run->k6raw[i], r))
					return eval_k6raw_window(run, set, r, v);
		}
		if (run_find_summary(run, &r->sel) != NULL) {
			if (r->window != WIN_ALL) {
				snprintf(v->message, sizeof v->message, "%s is a k6 end-of-test summary, "
				    "which covers the whole run; a window needs time series (k6 raw "
				    "output or Grafana)", r->metric);
				return 0;
			}
			return eval_metric(run, set, r, v);
		}
		if (match_series(run, &r->sel, NULL, 0) > 0 || run->nseries > 0)
			return eval_series_metric(run, set, r, v);
		if (r->window != WIN_ALL && r->window != WIN_OUTSIDE &&
		    need_fault(run, set, r, r->window_fault) == NULL)
			return -1;
		return eval_metric(run, set, r, v);
	}
}

int
eval_run(const struct run *run, const struct slo_set *set, struct verdicts *out)
{
	size_t i;
	int rc = 0;

	out->v = xcalloc(set->nrules ? set->nrules : 1, sizeof *out->v);
	out->n = set->nrules;
	for (i = 0; i < set->nrules; i++) {
		struct verdict *v = &out->v[i];

		v->rule = &set->rules[i];
		v->state = V_NODATA;
		v->evidence.src = -1;
		v->unit = set->rules[i].limit_unit;
		v->limit = set->rules[i].limit;
		v->op = set->rules[i].op;
		v->have_warn = set->rules[i].have_warn;
		v->warn = set->rules[i].warn;
		if (eval_rule(run, set, &set->rules[i], v) == -1)
			rc = -1;
	}
	score_compute(set, out);
	return rc;
}
