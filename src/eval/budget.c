/*
 * budget.c — OpenSLO objectives (rules of kind SLO_BUDGET, in/openslo.c)
 * against the drill's time series: the share of good occurrences, of
 * good time slices, or the mean of the slices' good ratios, against the
 * objective's target (docs/openslo.md). Settles which evidence series a
 * metricSource stands for; one that stands for none is an error in the
 * rules (exit 3), named at the document's metricSource, with the nearest
 * series names. Owns nothing past a call. Depends on run, slo, units.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/diag.h"
#include "eval/budget.h"
#include "eval/eval_imp.h"
#include "eval/explain.h"
#include "norm/units.h"
#include "util/arena.h"
#include "util/suggest.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

#define MAX_MATCH	64
#define MAX_SLICES	(1L << 22)	/* a year of 10 s slices; more is a mistake, not a drill */

static int
metric_name(const char *s)
{
	if (*s == '\0' || isdigit((unsigned char)*s))
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != ':')
			return 0;
	return 1;
}

/* Every series whose name is name, or whose name and labels include sel's. */
static size_t
collect(const struct run *run, const char *name, const struct selector *sel,
    const struct series **out, size_t n)
{
	size_t i;

	for (i = 0; i < run->nseries && n < MAX_MATCH; i++) {
		const struct series *se = &run->series[i];

		if ((name && strcmp(se->name, name) == 0) || (sel && selector_matches(sel, &se->sel)))
			out[n++] = se;
	}
	return n;
}

/*
 * The series src stands for (docs/openslo.md, "Which evidence"): the
 * annotation's, else the capture name's, else the query's own text or
 * selector. 0 after a diagnostic when none is in the evidence; -1 after
 * another error; else how many.
 */
static long
resolve(const struct run *run, const struct slo_set *set, const struct slo_rule *r,
    const struct budget_source *src, const struct series **out)
{
	struct arena a;
	struct selector sel;
	size_t n = 0, i, nn = 0;
	const char **names;
	char hint[768], tried[1024];
	const char *file = src->file ? src->file : r->file ? r->file : set->path;

	arena_init(&a);
	if (src->series) {
		if (selector_parse(&a, src->series, &sel, NULL) == 0)
			n = collect(run, src->series, &sel, out, 0);
		snprintf(tried, sizeof tried, "the series %s its annotation names",
		    diag_q(src->series, (size_t)-1));
	} else {
		memset(&sel, 0, sizeof sel);
		sel.name = src->capname;
		n = collect(run, NULL, &sel, out, 0);
		if (n == 0 && src->query) {
			n = collect(run, src->query, NULL, out, 0);
			if (n == 0 && selector_parse(&a, src->query, &sel, NULL) == 0 &&
			    metric_name(sel.name) && (strchr(src->query, '{') == NULL ||
			    src->query[strlen(src->query) - 1] == '}'))
				n = collect(run, NULL, &sel, out, 0);
		}
		snprintf(tried, sizeof tried, "%s (the name `sloproof capture` stores its query "
		    "under)%s%s", src->capname, src->query ? " or the query " : "",
		    src->query ? diag_q(src->query, (size_t)-1) : "");
	}
	arena_release(&a);
	if (n > 0)
		return (long)n;
	names = xcalloc(run->nseries + 1, sizeof *names);
	for (i = 0; i < run->nseries; i++)
		names[nn++] = run->series[i].sel.name;
	suggest(src->series ? src->series : src->capname, (const char *const *)names, nn,
	    "series", hint, sizeof hint);
	free(names);
	diag_error(file, src->line, src->col, "SLO %s (document %zu of %s), indicator %s: "
	    "%s.metricSource: no evidence series stands for it; looked for %s; %s (`sloproof "
	    "capture` with this SLO file records it; or name the series with an annotation, "
	    "docs/openslo.md)", diag_q(r->budget->slo_name, (size_t)-1), r->budget->doc,
	    r->file ? r->file : set->path, diag_q(r->budget->sli_name, (size_t)-1), src->field,
	    tried, hint);
	return 0;
}

/* Per-slice sums: good and total (events, or samples of a threshold). */
struct slices {
	int64_t	 first, len;	/* slice index of [0], and the slice length (ms) */
	long	 n;
	double	*good, *total;
};

static int64_t
slice_of(int64_t t, int64_t len)
{
	return t >= 0 ? t / len : -((-t + len - 1) / len);
}

/* The slices covering [lo, hi] (ms), all empty; -1 when there would be too many. */
static int
slices_init(struct slices *s, int64_t lo, int64_t hi, int64_t len)
{
	memset(s, 0, sizeof *s);
	s->len = len;
	s->first = slice_of(lo, len);
	if (slice_of(hi, len) - s->first + 1 > MAX_SLICES)
		return -1;
	s->n = (long)(slice_of(hi, len) - s->first + 1);
	s->good = xcalloc((size_t)s->n, sizeof *s->good);
	s->total = xcalloc((size_t)s->n, sizeof *s->total);
	return 0;
}

static void
slices_add(struct slices *s, int64_t t, double good, double total)
{
	long k = (long)(slice_of(t, s->len) - s->first);

	if (k >= 0 && k < s->n) {
		s->good[k] += good;
		s->total[k] += total;
	}
}

static void
slices_release(struct slices *s)
{
	free(s->good);
	free(s->total);
	memset(s, 0, sizeof *s);
}

static void
pct(char *dst, size_t n, double v)
{
	unit_fmt(dst, n, v, UNIT_RATIO);
}

int
eval_budget(const struct run *run, const struct slo_set *set, const struct slo_rule *r,
    struct verdict *v)
{
	const struct slo_budget *b = r->budget;
	const struct series *ms[2][MAX_MATCH];
	const struct fault *wf = NULL;
	struct value_units vu;
	struct unit_evidence ue;
	struct slices sl;
	size_t nm[2] = {0, 0}, k, i, side, nsrc = b->ratio ? 2 : 1;
	int64_t lo = INT64_MAX, hi = INT64_MIN;
	double good = 0, total = 0, frac, mean = 0;
	long used = 0, okslices = 0, j;
	char what[512], lim[64], tg[32], got[32], st[32], sw[32];
	long r0;

	if ((r->window == WIN_DURING || r->window == WIN_AFTER) &&
	    (wf = need_fault(run, set, r, r->window_fault)) == NULL)
		return -1;
	for (side = 0; side < nsrc; side++) {
		if ((r0 = resolve(run, set, r, &b->src[side], ms[side])) <= 0)
			return -1;
		nm[side] = (size_t)r0;
	}
	v->evidence = ms[0][0]->origin;
	memset(&vu, 0, sizeof vu);
	vu.factor = 1;
	if (!b->ratio) {
		ue = unit_of_series(run, ms[0][0]);
		if (unit_rule(set, r, &ue, 0, &vu) == -1)
			return -1;
	}
	for (side = 0; side < nsrc; side++)
		for (k = 0; k < nm[side]; k++)
			for (i = 0; i < ms[side][k]->npts; i++) {
				int64_t t = ms[side][k]->pts[i].t;

				if (!eval_in_window(run, r, wf, t))
					continue;
				lo = t < lo ? t : lo;
				hi = t > hi ? t : hi;
			}
	if (lo > hi) {
		window_str(r, what, sizeof what);
		snprintf(v->message, sizeof v->message, "%s has no samples in the window %s",
		    r->metric, what);
		return 0;
	}
	if (slices_init(&sl, lo, hi, b->method == BUDGET_OCCURRENCES ? hi - lo + 1 :
	    b->slice_ms) == -1) {
		snprintf(v->message, sizeof v->message, "the evidence spans too many %s slices "
		    "to count", "timeSliceWindow");
		return 0;
	}
	/* Into the slices: good and total samples (threshold), or events (ratio). */
	for (side = 0; side < nsrc; side++)
		for (k = 0; k < nm[side]; k++) {
			const struct series *se = ms[side][k];
			int have_prev = 0;
			double prev = 0;

			for (i = 0; i < se->npts; i++) {
				const struct point *p = &se->pts[i];
				double x = p->v;

				if (!b->ratio) {
					if (!eval_in_window(run, r, wf, p->t))
						continue;
					slices_add(&sl, p->t, cmp_holds(r->op, x * vu.factor, vu.limit), 1);
					continue;
				}
				if (b->counter) {
					/* A counter's events are its increase; a drop is a restart from 0. */
					double inc = !have_prev ? 0 : x >= prev ? x - prev : x;

					have_prev = 1;
					prev = x;
					x = inc;
				}
				if (!eval_in_window(run, r, wf, p->t))
					continue;
				if (side == 0)
					slices_add(&sl, p->t, b->bad ? -x : x, 0);
				else
					slices_add(&sl, p->t, b->bad ? x : 0, x);
			}
		}
	for (j = 0; j < sl.n; j++) {
		good += sl.good[j];
		total += sl.total[j];
		if (sl.total[j] <= 0)
			continue;
		used++;
		frac = sl.good[j] / sl.total[j];
		mean += frac;
		if (b->method == BUDGET_TIMESLICES && frac >= b->slice_target)
			okslices++;
	}
	slices_release(&sl);
	v->have_samples = 1;
	if (total <= 0 || used == 0) {
		v->samples = 0;
		snprintf(v->message, sizeof v->message, "%s counted no %s in the window", r->metric,
		    b->ratio ? "events (total is 0)" : "samples");
		return 0;
	}
	pct(tg, sizeof tg, b->target);
	if (b->slice_ms > 0)
		time_fmt_span(b->slice_ms, sw, sizeof sw);
	if (b->ratio)
		snprintf(lim, sizeof lim, "%s/%s", b->bad ? "(total-bad)" : "good", "total");
	else {
		char l[48];

		unit_tell(l, sizeof l, vu.limit, &vu);
		snprintf(lim, sizeof lim, "%s %s %s", ms[0][0]->sel.name, cmp_op_str(r->op), l);
	}
	switch (b->method) {
	case BUDGET_TIMESLICES:
		frac = (double)okslices / (double)used;
		v->samples = used;
		pct(st, sizeof st, b->slice_target);
		if (b->ratio)
			snprintf(what, sizeof what, "%ld of %ld %s slices good (%s >= %s in a slice)",
			    okslices, used, sw, lim, st);
		else
			snprintf(what, sizeof what, "%ld of %ld %s slices good (at least %s of a "
			    "slice's samples had %s)", okslices, used, sw, st, lim);
		break;
	case BUDGET_RATIO_TIMESLICES:
		frac = mean / (double)used;
		v->samples = used;
		snprintf(what, sizeof what, "the mean over %ld %s slices of %s%s", used, sw,
		    b->ratio ? "" : "the share of samples with ", lim);
		break;
	case BUDGET_OCCURRENCES:
	default:
		frac = good / total;
		v->samples = (long long)(total + 0.5);
		if (b->ratio)
			snprintf(what, sizeof what, "%s over %lld events", lim, v->samples);
		else
			snprintf(what, sizeof what, "the share of %lld samples with %s", v->samples, lim);
		break;
	}
	v->have_observed = 1;
	v->observed = frac < 0 ? 0 : frac;
	v->unit = UNIT_RATIO;
	v->limit = b->target;
	v->op = OP_GE;
	v->have_warn = 0;
	pct(got, sizeof got, v->observed);
	v->state = v->observed >= b->target ? V_PASS : V_FAIL;
	snprintf(v->message, sizeof v->message, "%s: %s, %s target %s", what, got,
	    v->state == V_PASS ? "meets the" : "below the", tg);
	return 0;
}
