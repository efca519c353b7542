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
#include "eval/explain.h"
#include "model/hist.h"
#include "util/select.h"
#include "util/strnum.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

int
verdicts_ok(const struct verdicts *vs)
{
	size_t i;

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

/* k6's own threshold on the same statistic, or the metric's first one. */
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
	return s->nthresholds ? &s->thresholds[0] : NULL;
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

struct value_units {
	double		x, limit, warn;
	enum unit	unit;
};

/*
 * Brings a value and the rule's limits into one unit. known: the evidence
 * says the value's unit (su). When it does not, the rule's `unit:` may;
 * if neither does and the limit has a unit, that is an error, not a guess.
 */
static int
reconcile(const struct slo_set *set, const struct slo_rule *r, int known, enum unit su,
    double x, const char *where, struct value_units *out)
{
	out->x = x;
	out->unit = su;
	out->limit = r->limit;
	out->warn = r->warn;
	if (!known) {
		if (r->have_unit) {
			out->x = x * r->metric_scale;
			out->unit = r->metric_unit;
			if (r->limit_unit == UNIT_NONE) {
				/* A plain limit is in the metric's own unit, like the values. */
				out->limit = r->limit * r->metric_scale;
				out->warn = r->warn * r->metric_scale;
			}
		} else if (r->limit_unit != UNIT_NONE) {
			diag_error(set->path, r->line, r->col,
			    "SLO %s: the limit %s has a unit, but %s does not say what unit "
			    "%s is in; add `unit: ms` (or s, %%, ...) to the rule, or write the "
			    "limit as a plain number", diag_q(r->name, (size_t)-1), r->limit_text,
			    where, r->metric);
			return -1;
		} else {
			out->unit = UNIT_NONE;
		}
	} else if (r->have_unit && r->metric_unit != su && r->metric_unit != UNIT_NONE) {
		diag_warning(set->path, r->line, r->col,
		    "SLO %s: `unit:` says %s but the evidence says %s; the evidence wins",
		    diag_q(r->name, (size_t)-1), unit_name(r->metric_unit), unit_name(su));
	}
	if (r->limit_unit != UNIT_NONE && r->limit_unit != out->unit) {
		diag_error(set->path, r->line, r->col,
		    "SLO %s: the limit %s is %s, but %s is %s",
		    diag_q(r->name, (size_t)-1), r->limit_text,
		    r->limit_unit == UNIT_MS ? "a duration" : r->limit_unit == UNIT_RATIO ?
		    "a percentage" : "a quantity with a unit", r->metric,
		    out->unit == UNIT_NONE ? "a plain number" : unit_name(out->unit));
		return -1;
	}
	return 0;
}

/* Sets observed, limit and state of a verdict from a value; the message names stat. */
static int
judge(struct verdict *v, const struct slo_rule *r, double x, enum unit su, double limit,
    double warn, const char *stat)
{
	char got[64], lim[64], warnbuf[64];

	v->have_observed = 1;
	v->observed = x;
	v->unit = su;
	v->limit = limit;
	v->op = r->op;
	v->have_warn = r->have_warn;
	v->warn = warn;
	unit_fmt(got, sizeof got, x, su);
	unit_fmt(lim, sizeof lim, limit, su);
	if (!cmp_holds(r->op, x, limit)) {
		v->state = V_FAIL;
		snprintf(v->message, sizeof v->message, "%s %s is not %s %s", stat, got,
		    cmp_op_str(r->op), lim);
	} else if (r->have_warn && !cmp_holds(r->op, x, warn)) {
		v->state = V_WARN;
		unit_fmt(warnbuf, sizeof warnbuf, warn, su);
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
	if (reconcile(set, r, s->unit_known || !(s->type == MT_TREND || s->type == MT_UNKNOWN ||
	    s->type == MT_GAUGE) || strcmp(stat, "count") == 0, summary_stat_unit(s, stat), *val,
	    s->origin.src >= 0 ? run->sources[s->origin.src].path : "the evidence", &vu) == -1)
		return -1;
	return judge(v, r, vu.x, vu.unit, vu.limit, vu.warn, stat);
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
static const struct fault *
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

static void
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

static int
in_window(const struct run *run, const struct slo_rule *r, const struct fault *wf, int64_t t)
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
	int known;

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
	known = ms[0]->unit_known;
	for (k = 1; k < nm; k++)
		if (ms[k]->unit_known != known || ms[k]->unit != ms[0]->unit) {
			snprintf(v->message, sizeof v->message, "%s matches series in different units "
			    "(%s, %s); name one with labels", r->metric, ms[0]->name, ms[k]->name);
			return 0;
		}
	v->evidence = ms[0]->origin;
	for (k = 0; k < nm; k++)
		for (i = 0; i < ms[k]->npts; i++) {
			const struct point *p = &ms[k]->pts[i];

			if (!in_window(run, r, wf, p->t))
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
	if (reconcile(set, r, known, ms[0]->unit, x, origin_path(run, &ms[0]->origin), &vu) == -1)
		return -1;
	if (v->have_peak)
		v->peak = vu.x;
	judge(v, r, vu.x, vu.unit, vu.limit, vu.warn, stat);
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
	if (reconcile(set, r, se->unit_known, se->unit, 0, origin_path(run, &se->origin), &vu) == -1)
		return -1;
	/* vu.x is unused: convert each sample the same way reconcile would. */
	v->unit = UNIT_MS;
	v->limit = (double)r->within;
	v->op = OP_LE;
	gapmax = se->step > 0 ? 3 * se->step : INT64_MAX;
	for (i = 0; i < se->npts; i++) {
		double x = se->pts[i].v * (!se->unit_known && r->have_unit ? r->metric_scale : 1);
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
	unit_fmt(lim, sizeof lim, vu.limit, vu.unit);
	if (!after) {
		snprintf(v->message, sizeof v->message, "%s has no samples after %s %s (%s)",
		    r->metric, f->name, r->from_start ? "started" : "ended", a);
		return 0;
	}
	if (have_peak) {
		v->have_peak = 1;
		v->peak = peak;
		v->peak_t = se->pts[peak_i].t;
		unit_fmt(pk, sizeof pk, peak, vu.unit);
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

/* Alerts of this rule: name and labels match; always-firing ones only when named. */
static int
alert_matches(const struct alert_interval *a, const struct slo_rule *r)
{
	struct selector have;

	have.name = a->name ? a->name : (char *)"";
	have.labels = a->labels;
	have.nlabels = a->nlabels;
	return selector_matches(&r->sel, &have);
}

/*
 * An alert name or label that no interval has at all may be a typo rather
 * than a quiet alert. near_only: say so only when a near name is there
 * (an alert that must not fire is usually absent).
 */
static void
alert_absent_hint(const struct run *run, const struct slo_rule *r, int near_only, char *msg,
    size_t n)
{
	char hint[768];
	size_t i, len = strlen(msg);

	for (i = 0; i < run->nalerts; i++)
		if (alert_matches(&run->alerts[i], r))
			return;
	if (explain_absent(run, &r->sel, ABSENT_ALERT, hint, sizeof hint) == 0 && near_only)
		return;
	snprintf(msg + len, n - len, "; no alert %s in the evidence: %s", r->metric, hint);
}

static int
eval_alert(const struct run *run, const struct slo_set *set, const struct slo_rule *r,
    struct verdict *v)
{
	const struct fault *f = NULL;
	const struct alert_interval *hit = NULL;
	size_t i;
	int64_t lo = INT64_MIN, hi = INT64_MAX, fire, res = 0;
	char a[40], b[40], c[40], d[40];

	if (r->fault && (f = need_fault(run, set, r, r->fault)) == NULL)
		return -1;
	v->unit = UNIT_MS;
	v->op = OP_LE;
	v->limit = (double)r->fires_within;
	if (run_count_sources(run, "alerts") == 0) {
		snprintf(v->message, sizeof v->message, "no Alertmanager evidence: nothing shows whether %s "
		    "fired", r->metric);
		return 0;
	}
	if (f) {
		lo = f->start;
		hi = f->end;
	}
	if (r->must_not_fire) {
		for (i = 0; i < run->nalerts; i++) {
			const struct alert_interval *x = &run->alerts[i];

			if (!alert_matches(x, r) || (x->have_end && x->end < lo) || x->start > hi)
				continue;
			v->state = V_FAIL;
			v->evidence = x->origin;
			v->have_event = 1;
			v->event_t = x->start;
			fmt_t(x->start, a, sizeof a);
			snprintf(v->message, sizeof v->message, "%s fired at %s%s%s", x->name, a,
			    f ? " during " : "", f ? f->name : "");
			return 0;
		}
		v->state = V_PASS;
		snprintf(v->message, sizeof v->message, "%s did not fire%s%s (%zu alert intervals in the "
		    "evidence)", r->metric, f ? " during " : "", f ? f->name : "", run->nalerts);
		alert_absent_hint(run, r, 1, v->message, sizeof v->message);
		return 0;
	}
	/*
	 * Every firing of the alert that is still on, or starts, after the fault
	 * began. Several inputs may show the same episode differently (an API
	 * snapshot still firing at its capture, a Prometheus range that saw it
	 * end): it fired at the earliest start and resolved at the latest end,
	 * unless some firing began after that end.
	 */
	{
		const struct alert_interval *last_end = NULL;
		int open_after = 0;

		for (i = 0; i < run->nalerts; i++) {
			const struct alert_interval *x = &run->alerts[i];

			if (!alert_matches(x, r) || x->always_firing || (x->have_end && x->end < f->start))
				continue;
			if (hit == NULL || x->start < hit->start)
				hit = x;
			if (x->have_end && (last_end == NULL || x->end > last_end->end))
				last_end = x;
		}
		for (i = 0; last_end && i < run->nalerts; i++) {
			const struct alert_interval *x = &run->alerts[i];

			if (alert_matches(x, r) && !x->always_firing && !x->have_end &&
			    x->start > last_end->end)
				open_after = 1;
		}
		fmt_t(f->start, a, sizeof a);
		if (hit == NULL) {
			v->state = V_FAIL;
			snprintf(v->message, sizeof v->message, "%s never fired after %s started (%s)",
			    r->metric, f->name, a);
			alert_absent_hint(run, r, 0, v->message, sizeof v->message);
			return 0;
		}
		v->evidence = hit->origin;
		fire = hit->start > f->start ? hit->start - f->start : 0;
		v->have_observed = 1;
		v->observed = (double)fire;
		v->have_event = 1;
		v->event_t = hit->start;
		time_fmt_span(fire, b, sizeof b);
		fmt_t(hit->start, c, sizeof c);
		v->state = fire <= r->fires_within ? V_PASS : V_FAIL;
		snprintf(v->message, sizeof v->message, "fired %s after %s started (at %s)%s", b, f->name,
		    c, fire <= r->fires_within ? "" : ", too late");
		if (last_end && !open_after) {
			v->have_event2 = 1;
			v->event2_t = last_end->end;
		}
		if (r->have_resolves_within) {
			size_t len = strlen(v->message);

			if (last_end == NULL || open_after) {
				v->state = V_FAIL;
				snprintf(v->message + len, sizeof v->message - len,
				    "; still firing when the evidence was captured");
			} else {
				res = last_end->end > f->end ? last_end->end - f->end : 0;
				time_fmt_span(res, b, sizeof b);
				fmt_t(last_end->end, d, sizeof d);
				time_fmt_span(r->resolves_within, c, sizeof c);
				if (res > r->resolves_within)
					v->state = V_FAIL;
				snprintf(v->message + len, sizeof v->message - len,
				    "; resolved %s after %s ended (at %s%s)%s%s", b, f->name, d,
				    last_end->end_approx ? ", approximate" : "",
				    res <= r->resolves_within ? ", within " : ", later than ", c);
			}
		}
	}
	return 0;
}

static int
eval_hpa(const struct run *run, const struct slo_set *set, const struct slo_rule *r,
    struct verdict *v)
{
	const struct fault *f;
	int target = r->reaches, have_target = !r->reaches_max, maxr = -1, best_to = 0;
	int64_t when = 0, err = 0;
	const struct origin *why = NULL;
	size_t i;
	int found = 0, any = 0;
	char a[40], b[40], c[40], path[256];
	size_t off = 0;

	if ((f = need_fault(run, set, r, r->fault)) == NULL)
		return -1;
	v->unit = UNIT_MS;
	v->op = OP_LE;
	v->limit = (double)r->within;
	for (i = 0; i < run->nhpa_states; i++) {
		const struct hpa_state *h = &run->hpa_states[i];

		if (strcmp(h->name, r->metric) != 0)
			continue;
		any = 1;
		if (h->have_max)
			maxr = h->max;
	}
	for (i = 0; i < run->nscale_events; i++)
		any |= strcmp(run->scale_events[i].target, r->metric) == 0;
	if (!any) {
		char hint[768];

		explain_absent(run, &r->sel, ABSENT_HPA, hint, sizeof hint);
		snprintf(v->message, sizeof v->message, "no evidence of the HPA %s (kubectl describe/get "
		    "hpa); %s", r->metric, hint);
		return 0;
	}
	if (r->reaches_max) {
		if (maxr < 0) {
			snprintf(v->message, sizeof v->message, "the evidence does not say %s's max replicas",
			    r->metric);
			return 0;
		}
		target = maxr;
		have_target = 1;
	}
	(void)have_target;
	/*
	 * The replica path, and when the target was first reached at or after
	 * the fault's start. Several inputs may witness the same step (a watch
	 * and a describe): of those, the most precise time wins.
	 */
	path[0] = '\0';
	{
		int last_to = -1;
		int64_t last_t = 0;

		for (i = 0; i < run->nscale_events; i++) {
			const struct scale_event *e = &run->scale_events[i];

			if (e->target == NULL || strcmp(e->target, r->metric) != 0 || !e->have_t)
				continue;
			/* The same step seen twice: list it once. */
			if (off < sizeof path && !(e->to == last_to &&
			    (e->t > last_t ? e->t - last_t : last_t - e->t) <= 2 * (e->t_err + 60000))) {
				time_fmt_utc(e->t, a, sizeof a);
				off += (size_t)snprintf(path + off, sizeof path - off, "%s%d at %s%s",
				    off ? ", " : "", e->to, a + 11, e->t_err ? "~" : "");
				last_to = e->to;
				last_t = e->t;
			}
			if (e->to >= target && e->t + e->t_err >= f->start &&
			    (!found || e->t_err < err || (e->t_err == err && e->t < when))) {
				found = 1;
				when = e->t;
				err = e->t_err;
				best_to = e->to;
				why = &e->origin;
			}
		}
	}
	for (i = 0; i < run->nhpa_states && !found; i++) {
		const struct hpa_state *h = &run->hpa_states[i];

		if (strcmp(h->name, r->metric) == 0 && h->have_current && h->have_t &&
		    h->current >= target && h->t >= f->start) {
			found = 1;
			when = h->t;
			err = h->t_err;
			best_to = h->current;
			why = &h->origin;
		}
	}
	fmt_t(f->start, a, sizeof a);
	if (!found) {
		v->state = V_FAIL;
		snprintf(v->message, sizeof v->message, "%s never reached %d replicas%s after %s started "
		    "(replicas: %s)", r->metric, target, r->reaches_max ? " (max)" : "", f->name,
		    path[0] ? path : "no scaling events");
		return 0;
	}
	v->evidence = *why;
	v->have_observed = 1;
	v->observed = (double)(when > f->start ? when - f->start : 0);
	v->have_event = 1;
	v->event_t = when;
	v->event_err = err;
	time_fmt_span((int64_t)v->observed, b, sizeof b);
	fmt_t(when, c, sizeof c);
	if ((int64_t)v->observed <= r->within)
		v->state = (int64_t)v->observed + err > r->within ? V_WARN : V_PASS;
	else
		v->state = (int64_t)v->observed - err <= r->within ? V_WARN : V_FAIL;
	{
		char e[32] = "";

		if (err)
			time_fmt_span(err, e, sizeof e);
		snprintf(v->message, sizeof v->message, "reached %d replicas%s %s after %s started (at %s%s%s)%s; "
		    "replicas: %s", best_to, r->reaches_max ? " (max)" : "", b, f->name, c,
		    err ? " ±" : "", e, v->state == V_WARN ? "; the time is approximate and its error "
		    "bound straddles the limit" : "", path);
	}
	return 0;
}

/* Whether a k6 raw histogram's tags include every label of the rule's selector. */
static int
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
	if (reconcile(set, r, first->unit_known, type == MT_RATE && strcmp(stat, "rate") == 0 ?
	    UNIT_RATIO : first->unit, x, origin_path(run, &first->origin), &vu) == -1)
		return -1;
	judge(v, r, vu.x, vu.unit, vu.limit, vu.warn, stat);
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
		return eval_recovers(run, set, r, v);
	case SLO_ALERT:
		return eval_alert(run, set, r, v);
	case SLO_HPA:
		return eval_hpa(run, set, r, v);
	case SLO_METRIC:
	default:
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
	return rc;
}
