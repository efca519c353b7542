/*
 * eval.c — turns rules and evidence into verdicts. A rule whose evidence
 * is missing is "no data", never a pass; a rule whose units cannot be
 * reconciled with the evidence is an error, never a guess. Owns the
 * verdict array. Depends on run, slo, units; never on importers or output.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "eval.h"
#include "strnum.h"
#include "xalloc.h"

const char *
verdict_str(enum verdict_state s)
{
	switch (s) {
	case V_PASS:
		return "pass";
	case V_WARN:
		return "warn";
	case V_FAIL:
		return "fail";
	case V_NODATA:
	default:
		return "nodata";
	}
}

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
	size_t i;

	for (i = 0; i < run->nsummaries; i++)
		if (strcmp(run->summaries[i].sel.name, r->sel.name) == 0) {
			snprintf(dst, n, "no %s in the evidence (there is %s; k6 writes a "
			    "sub-metric only when the script has a threshold on it)",
			    r->metric, run->summaries[i].name);
			return;
		}
	snprintf(dst, n, "no metric %s in the evidence", r->metric);
}

static int
eval_metric(const struct run *run, const struct slo_set *set, const struct slo_rule *r,
    struct verdict *v)
{
	const struct summary *s = run_find_summary(run, &r->sel);
	const double *val, *cnt;
	const char *stat;
	char got[64], lim[64], warnbuf[64], stats[256];
	double x, limit = r->limit, warn = r->warn;
	enum unit su;
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
	x = *val;
	su = summary_stat_unit(s, stat);
	if (!s->unit_known && (s->type == MT_TREND || s->type == MT_UNKNOWN ||
	    s->type == MT_GAUGE) && strcmp(stat, "count") != 0) {
		/* The evidence does not say; the rule may. */
		if (r->have_unit) {
			x *= r->metric_scale;
			su = r->metric_unit;
		} else if (r->limit_unit != UNIT_NONE) {
			diag_error(set->path, r->line, r->col,
			    "SLO %s: the limit %s has a unit, but %s does not say what unit "
			    "%s is in; add `unit: ms` (or s, %%, ...) to the rule, or write the "
			    "limit as a plain number", diag_q(r->name, (size_t)-1), r->limit_text,
			    s->origin.src >= 0 ? run->sources[s->origin.src].path : "the evidence",
			    r->metric);
			return -1;
		}
	} else if (r->have_unit && r->metric_unit != su && r->metric_unit != UNIT_NONE) {
		diag_warning(set->path, r->line, r->col,
		    "SLO %s: `unit:` says %s but the evidence says %s; the evidence wins",
		    diag_q(r->name, (size_t)-1), unit_name(r->metric_unit), unit_name(su));
	}
	if (r->limit_unit != UNIT_NONE && r->limit_unit != su) {
		diag_error(set->path, r->line, r->col,
		    "SLO %s: the limit %s is %s, but %s of %s is %s",
		    diag_q(r->name, (size_t)-1), r->limit_text,
		    r->limit_unit == UNIT_MS ? "a duration" : r->limit_unit == UNIT_RATIO ?
		    "a percentage" : "a quantity with a unit", stat, r->metric,
		    su == UNIT_NONE ? "a plain number" : unit_name(su));
		return -1;
	}
	if (r->limit_unit == UNIT_NONE && r->have_unit && !s->unit_known) {
		/* A plain limit is in the metric's own unit, like the values. */
		limit = r->limit * r->metric_scale;
		warn = r->warn * r->metric_scale;
	}
	v->have_observed = 1;
	v->observed = x;
	v->unit = su;
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
		if (eval_metric(run, set, &set->rules[i], v) == -1)
			rc = -1;
	}
	return rc;
}
