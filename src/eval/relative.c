/*
 * relative.c — before/after rules (docs/slo.md, "Before and after"): a
 * statistic over the rule's window (during or after a fault) against the
 * same statistic over an equal window just before a fault, on time series
 * or on k6 raw windows. The limit is a factor of the before value, an
 * offset from it, or, for "back to normal", the before window's own
 * noise: the spread of the statistic over its quarters, and at least 5 %.
 * Reads the run and the rule; owns nothing.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval/eval.h"
#include "eval/eval_imp.h"
#include "eval/relative.h"
#include "model/hist.h"
#include "util/diag.h"
#include "util/strnum.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

#define MAX_SERIES	64
#define NOISE_SLICES	4
#define NOISE_MIN	0.05	/* back to normal tolerates at least 5 % of the before value */

/* The evidence a rule reads: k6 raw histograms, or the series it matches. */
struct evidence {
	const struct run	*run;
	const struct slo_rule	*rule;
	int			 k6raw;
	const struct series	*ms[MAX_SERIES];
	size_t			 nm;
};

/* One window's figure. */
struct figure {
	long long	 n;		/* samples */
	double		 x;
	struct origin	 origin;	/* the first sample's evidence */
	enum unit	 unit;
	int		 unit_known;
};

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The quantile q (0..1) of sorted values, interpolated as k6 does. */
static double
quantile(const double *v, size_t n, double q)
{
	double pos = q * (double)(n - 1);
	size_t i = (size_t)pos;

	return i + 1 < n ? v[i] + (pos - (double)i) * (v[i + 1] - v[i]) : v[n - 1];
}

/* The percentile of "p(95)" as 0.95, "med" as 0.5; -1 for other statistics. */
static double
stat_q(const char *stat)
{
	double q;

	if (strcmp(stat, "med") == 0)
		return 0.5;
	if (stat[0] == 'p' && stat[1] == '(' && strnum_double(stat + 2, strlen(stat) - 3, &q) == 0)
		return q / 100;
	return -1;
}

/*
 * The statistic over [lo, hi). 0 with f->n samples (0: none), or 1 when
 * the statistic does not apply to this evidence.
 */
static int
figure(const struct evidence *e, int64_t lo, int64_t hi, struct figure *f)
{
	const struct slo_rule *r = e->rule;
	const char *stat = r->stat;
	double q = stat_q(stat), *vals = NULL, sum = 0, last = 0;
	size_t i, k, n = 0, cap = 0;
	int64_t last_t = INT64_MIN;

	memset(f, 0, sizeof *f);
	f->origin.src = -1;
	if (e->k6raw) {
		const struct k6raw_hist *first = NULL;
		struct hist h;

		hist_init(&h);
		for (i = 0; i < e->run->nk6raw; i++) {
			const struct k6raw_hist *w = &e->run->k6raw[i];

			if (w->start < lo || w->start >= hi || !hist_matches(w, r))
				continue;
			if (first == NULL)
				first = w;
			hist_merge(&h, &w->h);
		}
		f->n = (long long)h.count;
		if (first != NULL && h.count > 0) {
			int rate = first->type == MT_RATE && strcmp(stat, "rate") == 0;

			f->origin = first->origin;
			f->unit = rate ? UNIT_RATIO : first->unit;
			f->unit_known = rate || first->unit_known;
			if (rate)
				f->x = (double)h.nonzero / (double)h.count;
			else if (strcmp(stat, "count") == 0)
				f->x = (double)h.count;
			else if (strcmp(stat, "avg") == 0)
				f->x = h.sum / (double)h.count;
			else if (strcmp(stat, "min") == 0)
				f->x = h.min;
			else if (strcmp(stat, "max") == 0)
				f->x = h.max;
			else if (q >= 0)
				f->x = hist_quantile(&h, q);
			else {
				hist_release(&h);
				return 1;
			}
		}
		hist_release(&h);
		return 0;
	}
	for (k = 0; k < e->nm; k++)
		for (i = 0; i < e->ms[k]->npts; i++) {
			const struct point *p = &e->ms[k]->pts[i];

			if (p->t < lo || p->t >= hi)
				continue;
			if (n == 0) {
				f->origin = e->ms[k]->origin;
				f->origin.line = (long)e->ms[k]->lines[i];
			}
			xgrow((void **)&vals, &cap, n + 1, sizeof *vals);
			vals[n++] = p->v;
			sum += p->v;
			if (p->t >= last_t) {
				last_t = p->t;
				last = p->v;
			}
		}
	f->n = (long long)n;
	f->unit = e->nm ? e->ms[0]->unit : UNIT_NONE;
	f->unit_known = e->nm ? e->ms[0]->unit_known : 0;
	if (n > 0) {
		qsort(vals, n, sizeof *vals, cmp_double);
		if (strcmp(stat, "max") == 0)
			f->x = vals[n - 1];
		else if (strcmp(stat, "min") == 0)
			f->x = vals[0];
		else if (strcmp(stat, "avg") == 0)
			f->x = sum / (double)n;
		else if (strcmp(stat, "last") == 0)
			f->x = last;
		else if (strcmp(stat, "count") == 0)
			f->x = (double)n;
		else if (q >= 0)
			f->x = quantile(vals, n, q);
		else {
			free(vals);
			return 1;
		}
	}
	free(vals);
	return 0;
}

/* The first and last instant of the rule's evidence, [*lo, *hi). 0, or -1 when there is none. */
static int
extent(const struct evidence *e, int64_t *lo, int64_t *hi)
{
	size_t i, k;

	*lo = INT64_MAX;
	*hi = INT64_MIN;
	if (e->k6raw) {
		for (i = 0; i < e->run->nk6raw; i++) {
			const struct k6raw_hist *w = &e->run->k6raw[i];

			if (!hist_matches(w, e->rule))
				continue;
			if (w->start < *lo)
				*lo = w->start;
			if (w->start + e->run->k6raw_window_ms > *hi)
				*hi = w->start + e->run->k6raw_window_ms;
		}
	} else {
		for (k = 0; k < e->nm; k++) {
			const struct series *s = e->ms[k];
			int64_t step = s->step > 0 ? s->step : 1;

			if (s->npts == 0)
				continue;
			if (s->pts[0].t < *lo)
				*lo = s->pts[0].t;
			if (s->pts[s->npts - 1].t + step > *hi)
				*hi = s->pts[s->npts - 1].t + step;
		}
	}
	return *lo < *hi ? 0 : -1;
}

/*
 * The unit of the figures and the scale into it (the rule's `unit:` when
 * the evidence does not say); 0, or -1 after a diagnostic when an offset
 * with a unit meets a metric whose unit is unknown or different.
 */
static int
units(const struct slo_set *set, const struct slo_rule *r, const struct figure *f,
    enum unit *u, double *scale, double *offset)
{
	*u = f->unit;
	*scale = 1;
	*offset = r->rel_value;
	if (!f->unit_known) {
		*u = UNIT_NONE;
		if (r->have_unit) {
			*u = r->metric_unit;
			*scale = r->metric_scale;
		}
	}
	if (r->rel_kind != REL_OFFSET)
		return 0;
	if (r->rel_unit == UNIT_NONE) {
		*offset = r->rel_value * *scale;
		return 0;
	}
	if (*u != r->rel_unit) {
		if (*u == UNIT_NONE)
			diag_error(r->file ? r->file : set->path, r->line, r->col,
			    "SLO %s: the offset %s has a unit, but %s does not say what unit it is "
			    "in; add `unit:` to the rule or write the offset as a plain number",
			    diag_q(r->name, (size_t)-1), r->limit_text, r->metric);
		else
			diag_error(r->file ? r->file : set->path, r->line, r->col,
			    "SLO %s: the offset %s is %s, but %s is in %s; write the offset in "
			    "that unit or use a factor (like 1.5x)", diag_q(r->name, (size_t)-1),
			    r->limit_text, r->rel_unit == UNIT_MS ? "a duration" :
			    r->rel_unit == UNIT_RATIO ? "a percentage" : "a quantity with a unit",
			    r->metric, unit_name(*u));
		return -1;
	}
	return 0;
}

int
eval_relative(const struct run *run, const struct slo_set *set, const struct slo_rule *r,
    struct verdict *v)
{
	struct evidence e;
	struct figure now, before, slice;
	const struct fault *wf, *bf;
	int64_t lo, hi, blo, bhi, dlo, dhi, len;
	double scale, offset, x, b, limit, tol = 0, noise = 0, smin = 0, smax = 0;
	enum unit u;
	char wname[96], xs[64], bs[64], ls[64], ns[64], span[32], span2[32];
	size_t i, nslices = 0;
	int rc;

	memset(&e, 0, sizeof e);
	e.run = run;
	e.rule = r;
	if ((wf = need_fault(run, set, r, r->window_fault)) == NULL ||
	    (bf = need_fault(run, set, r, r->relative_fault)) == NULL)
		return -1;
	for (i = 0; i < run->nk6raw && !e.k6raw; i++)
		e.k6raw = hist_matches(&run->k6raw[i], r);
	for (i = 0; !e.k6raw && i < run->nseries; i++)
		if (selector_matches(&r->sel, &run->series[i].sel) && e.nm < MAX_SERIES)
			e.ms[e.nm++] = &run->series[i];
	window_str(r, wname, sizeof wname);
	if (r->settle > 0) {
		char st[32];
		size_t wl = strlen(wname);

		time_fmt_span(r->settle, st, sizeof st);
		snprintf(wname + wl, sizeof wname - wl, " from %s on", st);
	}
	if (!e.k6raw && e.nm == 0) {
		snprintf(v->message, sizeof v->message, run_find_summary(run, &r->sel) ?
		    "%s is a k6 end-of-test summary, which covers the whole run; a before/after "
		    "rule needs time series (k6 raw output or Grafana)" :
		    "no series or k6 raw output of %s in the evidence", r->metric);
		return 0;
	}
	if (extent(&e, &dlo, &dhi) == -1) {
		snprintf(v->message, sizeof v->message, "%s has no samples", r->metric);
		return 0;
	}
	lo = r->window == WIN_DURING ? wf->start : wf->end + r->settle;
	hi = r->window == WIN_DURING ? wf->end : dhi;
	len = hi - lo;
	bhi = bf->start;
	blo = bhi - len;
	if (blo < dlo)
		blo = dlo;
	if ((rc = figure(&e, lo, hi, &now)) == 1) {
		snprintf(v->message, sizeof v->message, "the statistic %s does not apply to %s%s",
		    r->stat, e.k6raw ? "k6 raw " : "a time series; use max, min, avg, med, last, "
		    "count or p(N): ", r->metric);
		return 0;
	}
	v->have_samples = 1;
	v->samples = now.n;
	if (len <= 0 || now.n == 0) {
		snprintf(v->message, sizeof v->message, "%s has no samples in the window %s",
		    r->metric, wname);
		return 0;
	}
	v->evidence = now.origin;
	figure(&e, blo, bhi, &before);
	time_fmt_span(bhi - blo, span, sizeof span);
	if (bhi <= blo || before.n == 0) {
		snprintf(v->message, sizeof v->message, "%s has no samples before %s to compare "
		    "the window %s with", r->metric, bf->name, wname);
		return 0;
	}
	if (units(set, r, &now, &u, &scale, &offset) == -1)
		return -1;
	x = now.x * scale;
	b = before.x * scale;
	switch (r->rel_kind) {
	case REL_FACTOR:
		limit = b * r->rel_value;
		break;
	case REL_OFFSET:
		limit = b + offset;
		break;
	case REL_NORMAL:
	default:
		/* The before window's own noise: how much the statistic moves between its quarters. */
		for (i = 0; i < NOISE_SLICES; i++) {
			int64_t s0 = blo + (bhi - blo) * (int64_t)i / NOISE_SLICES;
			int64_t s1 = blo + (bhi - blo) * (int64_t)(i + 1) / NOISE_SLICES;

			figure(&e, s0, s1, &slice);
			if (slice.n == 0)
				continue;
			if (nslices == 0 || slice.x * scale < smin)
				smin = slice.x * scale;
			if (nslices == 0 || slice.x * scale > smax)
				smax = slice.x * scale;
			nslices++;
		}
		noise = nslices > 1 ? smax - smin : 0;
		tol = fmax(noise, NOISE_MIN * fabs(b));
		limit = r->worse_lower ? b - tol : b + tol;
		break;
	}
	v->have_observed = 1;
	v->observed = x;
	v->unit = u;
	v->limit = limit;
	v->op = r->op;
	v->have_warn = 0;
	v->state = cmp_holds(r->op, x, limit) ? V_PASS : V_FAIL;
	unit_fmt(xs, sizeof xs, x, u);
	unit_fmt(bs, sizeof bs, b, u);
	unit_fmt(ls, sizeof ls, limit, u);
	{
		size_t off;

		off = (size_t)snprintf(v->message, sizeof v->message,
		    "%s %s %s vs %s over the %s before %s", r->stat, wname, xs, bs, span, bf->name);
		if (r->rel_kind == REL_FACTOR && b != 0)
			off += (size_t)snprintf(v->message + off, sizeof v->message - off,
			    " (%.2fx)", x / b);
		if (r->rel_kind == REL_NORMAL) {
			unit_fmt(ns, sizeof ns, tol, u);
			off += (size_t)snprintf(v->message + off, sizeof v->message - off,
			    "; back to normal needs %s %s (before %s %s, %s)", cmp_op_str(r->op), ls,
			    r->worse_lower ? "minus" : "plus", ns, nslices > 1 &&
			    noise >= NOISE_MIN * fabs(b) ? "the spread over its quarters" :
			    "5 % of it");
		} else {
			off += (size_t)snprintf(v->message + off, sizeof v->message - off,
			    r->rel_kind == REL_FACTOR ? "; needs %s %s (%s before)" :
			    "; needs %s %s (before %s)", cmp_op_str(r->op), ls, r->limit_text);
		}
		if (bhi - blo < len && off < sizeof v->message) {
			time_fmt_span(len, span2, sizeof span2);
			snprintf(v->message + off, sizeof v->message - off,
			    "; only %s of data before the fault, not the %s of the window", span, span2);
		}
	}
	return 0;
}
