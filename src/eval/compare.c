/*
 * compare.c — the comparison rules: what counts as worse, and when a
 * change is a regression rather than run-to-run noise. Reads bundles
 * (in_bundle's struct bsum) and fills a struct cmp_report that owns
 * everything it says. Must not depend on any renderer.
 *
 * The rules, in one place:
 *  - SLOs are matched by name, metrics by their full name with tags.
 *  - Direction: an SLO's op decides (below: higher is worse; above: lower
 *    is worse); a metric that an SLO measures takes that SLO's op; other
 *    metrics: trends (times) higher-worse, rates named *failed*
 *    higher-worse, checks lower-worse, counters neutral.
 *  - A value change is a regression only when it goes the worse way by
 *    more than the noise floor, relative to the base (from 0 to anything
 *    the worse way counts), and by more than the absolute floor of its
 *    unit (compare_abs_floor: +0.05 ms of http_req_blocked is no news).
 *    A worse SLO verdict is a regression whatever the values say.
 *  - Key stats: trends p(95), p(99), avg; rates and counters: rate.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "eval/compare.h"
#include "in/in_bundle.h"
#include "util/xalloc.h"

enum cmp_dir
compare_slo_direction(enum cmp_op op)
{
	switch (op) {
	case OP_LT:
	case OP_LE:
		return CMP_HIGHER_WORSE;
	case OP_GT:
	case OP_GE:
		return CMP_LOWER_WORSE;
	default:
		return CMP_NEUTRAL;
	}
}

enum cmp_dir
compare_metric_direction(const char *name, enum metric_type type)
{
	size_t base = strcspn(name, "{");

	if (type == MT_TREND)
		return CMP_HIGHER_WORSE;
	if (type != MT_RATE)
		return CMP_NEUTRAL;
	/* The tags are not the name: http_req_duration{status:failed} is no failure rate. */
	{
		char n[256];

		if (base >= sizeof n)
			base = sizeof n - 1;
		memcpy(n, name, base);
		n[base] = '\0';
		if (strstr(n, "failed") != NULL)
			return CMP_HIGHER_WORSE;
		if (strncmp(n, "checks", 6) == 0)
			return CMP_LOWER_WORSE;
	}
	return CMP_NEUTRAL;
}

int
compare_verdict_worse(enum verdict_state a, enum verdict_state b)
{
	/* pass < warn < fail < nodata: no data is the worst news of all. */
	return (int)b > (int)a;
}

void
compare_judge(struct cmp_row *r, double noise)
{
	double worse_by = 0;

	r->have_pct = 0;
	r->value_worse = 0;
	r->verdict_worse = r->have_verdicts && compare_verdict_worse(r->base_verdict, r->new_verdict);
	if (r->have_base && r->have_new) {
		r->delta = r->cur - r->base;
		if (r->base != 0) {
			r->have_pct = 1;
			r->pct = r->delta / fabs(r->base);
			worse_by = r->pct;
		} else {
			worse_by = r->delta > 0 ? HUGE_VAL : r->delta < 0 ? -HUGE_VAL : 0;
		}
		if (r->worse == CMP_LOWER_WORSE)
			worse_by = -worse_by;
		else if (r->worse == CMP_NEUTRAL)
			worse_by = 0;
		if (fabs(r->delta) <= compare_abs_floor(r->unit))
			worse_by = 0;
		r->value_worse = worse_by > noise;
	}
	if (r->verdict_worse || r->value_worse)
		r->result = CMP_REGRESSION;
	else if (!r->have_verdicts && r->is_slo && !r->have_base)
		r->result = CMP_NEW;
	else if (!r->is_slo && !r->have_base && r->have_new)
		r->result = CMP_NEW;
	else if (worse_by < -noise)
		r->result = CMP_BETTER;
	else
		r->result = CMP_SAME;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double
compare_median(double *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int
cmp_state(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return x < y ? -1 : x > y;
}

static struct cmp_row *
add_row(struct cmp_report *out, size_t *cap)
{
	struct cmp_row *r = VEC_PUSH(out->rows, out->nrows, *cap);

	memset(r, 0, sizeof *r);
	return r;
}

static void
slo_row(struct cmp_report *out, struct cmp_row *r, const struct bsum *const *base, size_t nbase,
    const struct bsum_slo *cur, const char *name)
{
	double *vals = xcalloc(nbase + 1, sizeof *vals);
	int *states = xcalloc(nbase + 1, sizeof *states);
	const struct bsum_slo *any = cur;
	size_t i, nv = 0, ns = 0;

	for (i = 0; i < nbase; i++) {
		const struct bsum_slo *s = bsum_find_slo(base[i], name);

		if (s == NULL)
			continue;
		any = any ? any : s;
		states[ns++] = (int)s->verdict;
		if (s->have_observed)
			vals[nv++] = s->observed;
	}
	r->is_slo = 1;
	r->name = arena_strdup(&out->arena, name);
	r->stat = arena_strdup(&out->arena, any->stat);
	r->unit = any->unit;
	r->worse = compare_slo_direction(any->op);
	if (nv) {
		r->have_base = 1;
		r->base = compare_median(vals, nv);
	}
	if (cur && cur->have_observed) {
		r->have_new = 1;
		r->cur = cur->observed;
	}
	if (ns && cur) {
		qsort(states, ns, sizeof *states, cmp_state);
		r->have_verdicts = 1;
		r->base_verdict = (enum verdict_state)states[(ns - 1) / 2];
		r->new_verdict = cur->verdict;
	} else if (ns) {
		qsort(states, ns, sizeof *states, cmp_state);
		r->base_verdict = (enum verdict_state)states[(ns - 1) / 2];
	} else if (cur) {
		r->new_verdict = cur->verdict;
	}
	compare_judge(r, out->noise);
	if (cur == NULL)
		r->result = CMP_GONE;
	else if (ns == 0)
		r->result = CMP_NEW;
	free(vals);
	free(states);
}

/* A metric's type, inferred from its stats when the file did not say (legacy exports). */
static enum metric_type
metric_type_of(const struct bsum_metric *m)
{
	if (m->type != MT_UNKNOWN)
		return m->type;
	if (bsum_stat(m, "p(95)") || bsum_stat(m, "avg"))
		return MT_TREND;
	if (bsum_stat(m, "passes"))
		return MT_RATE;
	if (bsum_stat(m, "count") && bsum_stat(m, "rate"))
		return MT_COUNTER;
	return MT_UNKNOWN;
}

static int
by_metric_name(const void *a, const void *b)
{
	return strcmp((*(const struct bsum_metric *const *)a)->name,
	    (*(const struct bsum_metric *const *)b)->name);
}

static void
metric_rows(struct cmp_report *out, size_t *cap, const struct bsum *const *base, size_t nbase,
    const struct bsum *cur)
{
	static const char *const trend_stats[] = {"p(95)", "p(99)", "avg", NULL};
	static const char *const rate_stats[] = {"rate", NULL};
	const struct bsum_metric **ms = xcalloc(cur->nmetrics + 1, sizeof *ms);
	double *vals = xcalloc(nbase + 1, sizeof *vals);
	size_t i, k, j, nv;

	for (i = 0; i < cur->nmetrics; i++)
		ms[i] = &cur->metrics[i];
	qsort(ms, cur->nmetrics, sizeof *ms, by_metric_name);
	for (i = 0; i < cur->nmetrics; i++) {
		const struct bsum_metric *m = ms[i];
		enum metric_type type = metric_type_of(m);
		const char *const *stats = type == MT_TREND ? trend_stats :
		    type == MT_RATE || type == MT_COUNTER ? rate_stats : NULL;
		enum cmp_dir dir = compare_metric_direction(m->name, type);
		const struct bsum_slo *rule = NULL;

		/* A metric an SLO measures is judged the way the SLO is. */
		for (k = 0; k < cur->nslos && rule == NULL; k++)
			if (cur->slos[k].kind == SLO_METRIC && strcmp(cur->slos[k].metric, m->name) == 0)
				rule = &cur->slos[k];
		if (rule)
			dir = compare_slo_direction(rule->op);
		for (k = 0; stats && stats[k]; k++) {
			const double *v = bsum_stat(m, stats[k]);
			struct cmp_row *r;

			if (v == NULL)
				continue;
			for (j = 0, nv = 0; j < nbase; j++) {
				const struct bsum_metric *bm = bsum_find_metric(base[j], m->name);
				const double *bv = bm ? bsum_stat(bm, stats[k]) : NULL;

				if (bv)
					vals[nv++] = *bv;
			}
			r = add_row(out, cap);
			r->name = arena_strdup(&out->arena, m->name);
			r->stat = arena_strdup(&out->arena, stats[k]);
			r->unit = type == MT_TREND ? m->unit : type == MT_RATE ? UNIT_RATIO :
			    m->unit == UNIT_BYTES ? UNIT_BYTES_PER_S : UNIT_PER_S;
			r->worse = dir;
			r->have_new = 1;
			r->cur = *v;
			if (nv) {
				r->have_base = 1;
				r->base = compare_median(vals, nv);
			}
			compare_judge(r, out->noise);
		}
	}
	free(vals);
	free(ms);
}

static char *
label(struct arena *a, const struct bsum *b)
{
	size_t n = strlen(b->date) + strlen(b->slug) + 2;
	char *s = arena_alloc(a, n);

	memcpy(s, b->date, strlen(b->date));
	s[strlen(b->date)] = '/';
	memcpy(s + strlen(b->date) + 1, b->slug, strlen(b->slug) + 1);
	return s;
}

void
compare_bundles(const struct bsum *const *base, size_t nbase, const struct bsum *cur,
    double noise, struct cmp_report *out)
{
	size_t cap = 0, i, j, k;

	memset(out, 0, sizeof *out);
	arena_init(&out->arena);
	out->noise = noise;
	out->cur = label(&out->arena, cur);
	out->bases = arena_alloc(&out->arena, (nbase + 1) * sizeof *out->bases);
	for (i = 0; i < nbase; i++)
		out->bases[i] = label(&out->arena, base[i]);
	out->nbases = nbase;
	for (i = 0; i < cur->nslos; i++)
		slo_row(out, add_row(out, &cap), base, nbase, &cur->slos[i], cur->slos[i].name);
	/* SLOs the new bundle no longer has: shown, not a regression (the rules changed). */
	for (i = 0; i < nbase; i++)
		for (j = 0; j < base[i]->nslos; j++) {
			const char *name = base[i]->slos[j].name;
			int seen = bsum_find_slo(cur, name) != NULL;

			for (k = 0; k < i && !seen; k++)
				seen = bsum_find_slo(base[k], name) != NULL;
			for (k = 0; k < out->nrows && !seen; k++)
				seen = out->rows[k].is_slo && strcmp(out->rows[k].name, name) == 0;
			if (!seen)
				slo_row(out, add_row(out, &cap), base, nbase, NULL, name);
		}
	metric_rows(out, &cap, base, nbase, cur);
	for (i = 0; i < out->nrows; i++)
		if (out->rows[i].result == CMP_REGRESSION)
			out->nregressions++;
}

double
compare_abs_floor(enum unit u)
{
	switch (u) {
	case UNIT_MS:
		return 1;
	case UNIT_RATIO:
		return 0.001;
	case UNIT_BYTES:
		return 1000;
	default:
		return 0;
	}
}

void
compare_set_not_alike(struct cmp_report *r, const char *why)
{
	r->not_alike = arena_strdup(&r->arena, why);
}

void
compare_add_pick(struct cmp_report *r, const char *label, int picked, const char *why)
{
	struct cmp_pick *p;

	r->picks = xreallocarray(r->picks, r->npicks + 1, sizeof *r->picks);
	p = &r->picks[r->npicks++];
	p->label = arena_strdup(&r->arena, label);
	p->picked = picked;
	p->why = why ? arena_strdup(&r->arena, why) : NULL;
}

void
compare_release(struct cmp_report *r)
{
	free(r->picks);
	free(r->rows);
	arena_release(&r->arena);
	memset(r, 0, sizeof *r);
}

const char *
compare_dir_str(enum cmp_dir d)
{
	return d == CMP_HIGHER_WORSE ? "higher" : d == CMP_LOWER_WORSE ? "lower" : "-";
}

const char *
compare_result_str(enum cmp_result r)
{
	static const char *const names[] = {"same", "better", "regression", "new", "gone"};

	return names[r];
}
