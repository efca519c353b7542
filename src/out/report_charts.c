/*
 * report_charts.c — which charts a bundle gets, drawn in memory: one line
 * chart per series a rule judges (with its limit and every fault window),
 * the alerts as a Gantt chart, each autoscaler's replicas as steps, and
 * k6 raw latency percentiles over time. Each chart comes as PNG, SVG and
 * the CSV of what it plots. Depends on chart (layout and painter), the
 * model, eval's verdicts and tz; never on importers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "chart/chart.h"
#include "util/diag.h"
#include "in/drill.h"
#include "eval/eval.h"
#include "out/report.h"
#include "model/run.h"
#include "in/slo.h"
#include "util/splimits.h"
#include "util/timeutil.h"
#include "util/wallclock.h"
#include "util/xalloc.h"
#include "out/out_table.h"

struct job {
	struct chart_spec	 spec;
	const struct series	*series[LIM_CHART_SERIES];
	const char		*labels[LIM_CHART_SERIES];
	const char		*cats[64];
	const char		*grps[17];
	char			 grpbuf[17][96];
	double			*vals;		/* BARS: owned, freed after painting */
	char			 name[80];
	char			 limit_label[400];
	char			 stat_label[400];
	char			 title[300];
	char			 caption[1400];
	char			 desc[1400];	/* the caption on the bundle's clock: the SVG's <desc> */
};

/* A file name from a rule's name: lowercase ASCII, digits and '-'. */
static void
chart_name(const char *prefix, const char *s, char *out, size_t n)
{
	size_t j = 0;
	int dash = 0;

	j = (size_t)snprintf(out, n, "%s", prefix);
	for (; *s && j + 2 < n && j < 60; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) {
			if (dash && j > strlen(prefix))
				out[j++] = '-';
			out[j++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			dash = 0;
		} else {
			dash = 1;
		}
	}
	out[j] = '\0';
}

static int
taken(struct job *jobs, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(jobs[i].name, name) == 0)
			return 1;
	return 0;
}

static struct job *
add_job(struct job **jobs, size_t *n, size_t *cap, const struct report *rep,
    const struct chart_band *bands, size_t nbands, int offset, const char *name)
{
	struct job *j;
	char unique[80];
	int k;

	snprintf(unique, sizeof unique, "%s", name);
	for (k = 2; taken(*jobs, *n, unique); k++)
		snprintf(unique, sizeof unique, "%.60s-%d", name, k % 1000);
	j = VEC_PUSH(*jobs, *n, *cap);
	memset(j, 0, sizeof *j);
	snprintf(j->name, sizeof j->name, "%s", unique);
	j->spec.bands = bands;
	j->spec.nbands = nbands;
	j->spec.display_offset = offset;
	j->spec.subtitle = NULL;
	(void)rep;
	return j;
}

/*
 * The span a rule's window covers (both 0: the whole axis) and its words:
 * "over the whole run", "during redis-outage", "after redis-outage",
 * "outside faults".
 */
static void
rule_window(const struct slo_rule *r, const struct drill *d, int64_t *t0, int64_t *t1,
    char *words, size_t n)
{
	size_t i;

	*t0 = *t1 = 0;
	switch (r->window) {
	case WIN_DURING:
	case WIN_AFTER:
		snprintf(words, n, "%s %s", r->window == WIN_DURING ? "during" : "after",
		    r->window_fault ? r->window_fault : "the fault");
		for (i = 0; i < d->nfaults && r->window_fault; i++)
			if (strcmp(d->faults[i].name, r->window_fault) == 0) {
				*t0 = r->window == WIN_DURING ? d->faults[i].start : d->faults[i].end;
				*t1 = r->window == WIN_DURING ? d->faults[i].end : INT64_MAX;
			}
		break;
	case WIN_OUTSIDE:
		snprintf(words, n, "outside faults");
		break;
	case WIN_ALL:
	default:
		snprintf(words, n, "over the whole run");
		break;
	}
}

/*
 * The marks of what rule v compares, on a chart of its series. A rule
 * on each point (max, min, a recovery) gets its limit line over the
 * window it applies to; a rule on a statistic (a P95, a rate, a mean)
 * gets that statistic as a solid line beside the limit, so a window of
 * points above the limit is not read as a breach the rule never judged.
 */
static void
rule_marks(struct job *j, const struct verdict *v, const struct drill *d)
{
	const struct slo_rule *r = v->rule;
	char words[128], lim[96];
	int64_t t0, t1;

	if (!(v->op == OP_LT || v->op == OP_LE || v->op == OP_GT || v->op == OP_GE))
		return;
	j->spec.have_limit = 1;
	/* plain numbers compare as they are */
	j->spec.limit = r->kind == SLO_RECOVERS ? r->limit *
	    (r->limit_unit == UNIT_NONE && r->have_unit ? r->metric_scale : 1) : v->limit;
	out_limit_text(v, lim, sizeof lim);
	if (r->kind == SLO_RECOVERS) {
		static const char *const ops[] = {"<", "\xe2\x89\xa4", ">", "\xe2\x89\xa5"};
		char lv[64], w[32];

		unit_fmt(lv, sizeof lv, j->spec.limit, j->series[0] ? j->series[0]->unit : v->unit);
		time_fmt_span(r->within, w, sizeof w);
		snprintf(j->limit_label, sizeof j->limit_label, "recovery limit %s %s (back within %s)",
		    (unsigned)r->op < 4 ? ops[r->op] : "<", lv, w);
		j->spec.limit_label = j->limit_label;
		return;
	}
	rule_window(r, d, &t0, &t1, words, sizeof words);
	j->spec.limit_t0 = t0;
	j->spec.limit_t1 = t1;
	if (strcmp(r->stat, "max") == 0 || strcmp(r->stat, "min") == 0) {
		snprintf(j->limit_label, sizeof j->limit_label, "limit %s for every point%s%s", lim,
		    r->window == WIN_ALL ? "" : " ", r->window == WIN_ALL ? "" : words);
		j->spec.limit_label = j->limit_label;
		return;
	}
	snprintf(j->limit_label, sizeof j->limit_label, "limit %s for the %s %s", lim, r->stat, words);
	j->spec.limit_label = j->limit_label;
	if (!v->have_observed)
		return;
	j->spec.have_stat = 1;
	j->spec.stat = v->observed;
	j->spec.stat_t0 = t0;
	j->spec.stat_t1 = t1;
	snprintf(j->stat_label, sizeof j->stat_label, "%s %s:", r->stat, words);
	j->spec.stat_label = j->stat_label;
}

/* k6 raw windows: [*t0, *t1) is the last one and the data ends at *end. 0 when none is partial. */
static int
k6_partial_window(const struct run *run, int64_t *t0, int64_t *t1, int64_t *end)
{
	int64_t last = INT64_MIN, w = run->k6raw_window_ms;
	size_t i;

	if (run->nk6raw == 0 || w <= 0)
		return 0;
	for (i = 0; i < run->nk6raw; i++)
		if (run->k6raw[i].h.count && run->k6raw[i].h.last_t > last)
			last = run->k6raw[i].h.last_t;
	if (last == INT64_MIN)
		return 0;
	*t0 = last >= 0 ? last / w * w : -((-last - 1) / w) * w - w;
	*t1 = *t0 + w;
	*end = last + 1;
	/* Under a second short of the window's end: as good as full. */
	return *t1 - *end >= 1000;
}

int
report_charts(const struct report *rep, struct report_chart **out, size_t *nout)
{
	const struct run *run = rep->run;
	const struct drill *d = rep->drill;
	struct chart_band *bands = NULL;
	struct job *jobs = NULL, *j;
	struct report_chart *charts = NULL;
	size_t njobs = 0, capjobs = 0, i, k, nbands = 0, nch = 0;
	struct wallclock clk;
	char zone_label[96];
	int offset = 0, rc = 0, have_partial;
	int64_t partial_t0 = 0, partial_t1 = 0, partial_end = 0;

	*out = NULL;
	*nout = 0;
	if (d->nfaults) {
		bands = xcalloc(d->nfaults, sizeof *bands);
		for (i = 0; i < d->nfaults && nbands < LIM_BANDS; i++)
			if (d->faults[i].end > d->faults[i].start) {
				bands[nbands].label = d->faults[i].name;
				bands[nbands].start = d->faults[i].start;
				bands[nbands].end = d->faults[i].end;
				nbands++;
			}
	}
	have_partial = k6_partial_window(run, &partial_t0, &partial_t1, &partial_end);
	/* The axes show the bundle's one clock, as its tables and captions do. */
	report_clock(rep, &clk);
	offset = (int)(clk.offset / 60);
	wallclock_label(&clk, zone_label, sizeof zone_label);

	/* One chart per rule that judges a series: the series, its limit, the faults. */
	for (i = 0; i < rep->verdicts->n; i++) {
		const struct verdict *v = &rep->verdicts->v[i];
		const struct slo_rule *r = v->rule;
		const struct series *exact = NULL;
		size_t ns = 0;

		if (r->kind != SLO_RECOVERS && r->kind != SLO_METRIC)
			continue;
		if (r->kind == SLO_METRIC && run_find_summary(run, &r->sel) != NULL)
			continue;	/* a whole-run summary has no time axis */
		for (k = 0; k < run->nseries; k++)
			if (selector_equal(&r->sel, &run->series[k].sel) && run->series[k].npts)
				exact = &run->series[k];
		for (k = 0; k < run->nseries; k++)
			if (selector_matches(&r->sel, &run->series[k].sel) && run->series[k].npts)
				ns++;
		if (ns == 0)
			continue;
		j = add_job(&jobs, &njobs, &capjobs, rep, bands, nbands, offset, "");
		chart_name("", r->name, j->name, sizeof j->name);
		{
			char base[80];

			snprintf(base, sizeof base, "%s", j->name);
			for (k = 2; taken(jobs, njobs - 1, j->name); k++)
				snprintf(j->name, sizeof j->name, "%.60s-%zu", base, k % 1000);
		}
		if (exact != NULL) {
			j->series[0] = exact;
			j->labels[0] = exact->name;
			ns = 1;
		} else for (k = 0, ns = 0; k < run->nseries && ns < LIM_CHART_SERIES; k++)
			if (selector_matches(&r->sel, &run->series[k].sel) && run->series[k].npts) {
				j->series[ns] = &run->series[k];
				j->labels[ns] = run->series[k].name;
				ns++;
			}
		j->spec.kind = CHART_LINES;
		j->spec.series = j->series;
		j->spec.labels = j->labels;
		j->spec.nseries = ns;
		rule_marks(j, v, d);
		snprintf(j->title, sizeof j->title, "%s", r->name);
		snprintf(j->caption, sizeof j->caption, "%.300s: %.1024s", r->name, v->message);
	}

	/* The alerts, as a Gantt chart, when any alert but the always-firing ones fired. */
	for (i = 0; i < run->nalerts && !run->alerts[i].always_firing; i++)
		;
	for (i = 0, k = 0; i < run->nalerts; i++)
		k += !run->alerts[i].always_firing;
	if (k) {
		j = add_job(&jobs, &njobs, &capjobs, rep, bands, nbands, offset, "alerts");
		j->spec.kind = CHART_GANTT;
		j->spec.alerts = run->alerts;
		j->spec.nalerts = run->nalerts;
		snprintf(j->title, sizeof j->title, "Alerts");
		snprintf(j->caption, sizeof j->caption, "Alerts: %zu firing episode%s, fault windows shaded",
		    k, k == 1 ? "" : "s");
	}

	/* Each autoscaler's replicas. */
	for (i = 0; i < run->nhpa_states + run->nscale_events; i++) {
		const char *hpa = i < run->nhpa_states ? run->hpa_states[i].name :
		    run->scale_events[i - run->nhpa_states].target;
		char name[80];
		size_t m;
		int seen = 0, events = 0;

		if (hpa == NULL)
			continue;
		for (m = 0; m < njobs && !seen; m++)
			seen = jobs[m].spec.kind == CHART_STEPS && strcmp(jobs[m].spec.hpa, hpa) == 0;
		for (m = 0; m < run->nscale_events; m++)
			events += run->scale_events[m].target && run->scale_events[m].have_t &&
			    strcmp(run->scale_events[m].target, hpa) == 0;
		if (seen || events == 0)
			continue;
		chart_name("hpa-", hpa, name, sizeof name);
		j = add_job(&jobs, &njobs, &capjobs, rep, bands, nbands, offset, name);
		j->spec.kind = CHART_STEPS;
		j->spec.hpa = hpa;
		j->spec.events = run->scale_events;
		j->spec.nevents = run->nscale_events;
		j->spec.states = run->hpa_states;
		j->spec.nstates = run->nhpa_states;
		snprintf(j->title, sizeof j->title, "%s replicas", hpa);
		snprintf(j->caption, sizeof j->caption, "%s: replicas over time (kubectl evidence)", hpa);
	}

	/* k6 raw: request latency percentiles over time. */
	{
		static const char *const pct[] = {
			"http_req_duration:p50", "http_req_duration:p95", "http_req_duration:p99"
		};
		const struct series *ps[3];
		size_t np = 0, m;

		for (m = 0; m < 3; m++) {
			struct selector sel;

			memset(&sel, 0, sizeof sel);
			sel.name = (char *)pct[m];
			if ((ps[np] = run_find_series(run, &sel)) != NULL && ps[np]->npts)
				np++;
		}
		if (np) {
			j = add_job(&jobs, &njobs, &capjobs, rep, bands, nbands, offset, "k6-latency");
			for (m = 0; m < np; m++) {
				j->series[m] = ps[m];
				j->labels[m] = ps[m]->name + strlen("http_req_duration:");
			}
			j->spec.kind = CHART_LINES;
			j->spec.series = j->series;
			j->spec.labels = j->labels;
			j->spec.nseries = np;
			/*
			 * Its SLO line: a recovery rule on one of these percentile
			 * series (judged point by point), else a rule on all requests'
			 * latency (judged as one statistic, drawn as such).
			 */
			for (m = 0; m < rep->verdicts->n && !j->spec.have_limit; m++) {
				const struct verdict *v = &rep->verdicts->v[m];
				size_t q;

				for (q = 0; q < np && v->rule->kind == SLO_RECOVERS; q++)
					if (strcmp(v->rule->sel.name, ps[q]->name) == 0 &&
					    v->rule->sel.nlabels == 0)
						rule_marks(j, v, d);
			}
			for (m = 0; m < rep->verdicts->n && !j->spec.have_limit; m++) {
				const struct verdict *v = &rep->verdicts->v[m];

				if (v->rule->kind == SLO_METRIC &&
				    strcmp(v->rule->sel.name, "http_req_duration") == 0 &&
				    v->rule->sel.nlabels == 0 && v->unit == UNIT_MS)
					rule_marks(j, v, d);
			}
			snprintf(j->title, sizeof j->title, "Request latency (k6 raw output)");
			snprintf(j->caption, sizeof j->caption,
			    "http_req_duration percentiles per window, from k6's raw output");
		}
	}

	/* k6 raw: requests per second and the share that failed, per window. */
	{
		static const struct {
			const char *series, *name, *title, *caption;
		} rates[] = {
			{"http_reqs", "k6-request-rate", "Requests per second (k6 raw output)",
			    "http_reqs per second, per window, from k6's raw output"},
			{"http_req_failed", "k6-error-rate", "Failed requests (k6 raw output)",
			    "share of failed requests (http_req_failed) per window, from k6's raw output"},
		};
		size_t m, v;

		for (m = 0; m < sizeof rates / sizeof rates[0] && run->nk6raw > 0; m++) {
			struct selector sel;
			const struct series *se;

			memset(&sel, 0, sizeof sel);
			sel.name = (char *)rates[m].series;
			if ((se = run_find_series(run, &sel)) == NULL || se->npts == 0)
				continue;
			j = add_job(&jobs, &njobs, &capjobs, rep, bands, nbands, offset, rates[m].name);
			j->series[0] = se;
			j->labels[0] = se->name;
			j->spec.kind = CHART_LINES;
			j->spec.series = j->series;
			j->spec.labels = j->labels;
			j->spec.nseries = 1;
			/* The error-rate SLO's limit, when a rule judges the same metric. */
			for (v = 0; v < rep->verdicts->n && m == 1 && !j->spec.have_limit; v++)
				if (rep->verdicts->v[v].rule->kind == SLO_METRIC &&
				    strcmp(rep->verdicts->v[v].rule->sel.name, "http_req_failed") == 0 &&
				    rep->verdicts->v[v].rule->sel.nlabels == 0 &&
				    rep->verdicts->v[v].unit == UNIT_RATIO)
					rule_marks(j, &rep->verdicts->v[v], d);
			snprintf(j->title, sizeof j->title, "%s", rates[m].title);
			snprintf(j->caption, sizeof j->caption, "%s", rates[m].caption);
		}
	}

	/* k6 raw: P95 and error rate per channel, whole run vs each fault. */
	{
		struct channel_stat *cs;
		size_t nc = report_channel_stats(rep, &cs), m, g, ng;

		for (m = 0; m < 2 && nc > 0; m++) {
			/* whole run, outside faults (when there are any), during each fault */
			size_t og = d->nfaults ? 1 : 0;

			ng = cs[0].ngroups < 16 ? cs[0].ngroups : 16;
			j = add_job(&jobs, &njobs, &capjobs, rep, bands, nbands, offset,
			    m == 0 ? "k6-channels-p95" : "k6-channels-errors");
			j->vals = xcalloc(nc * (ng + og), sizeof *j->vals);
			for (k = 0; k < nc && k < 64; k++) {
				j->cats[k] = cs[k].name;
				j->vals[k * (ng + og)] = m == 0 ? cs[k].p95[0] : cs[k].errors[0];
				if (og)
					j->vals[k * (ng + og) + 1] = m == 0 ? cs[k].outside_p95 :
					    cs[k].outside_errors;
				for (g = 1; g < ng; g++)
					j->vals[k * (ng + og) + g + og] = m == 0 ? cs[k].p95[g] :
					    cs[k].errors[g];
			}
			snprintf(j->grpbuf[0], sizeof j->grpbuf[0], "whole run");
			if (og)
				snprintf(j->grpbuf[1], sizeof j->grpbuf[1], "outside faults");
			for (g = 1; g < ng; g++)
				snprintf(j->grpbuf[g + og], sizeof j->grpbuf[g + og], "during %.80s",
				    d->faults[g - 1].name);
			ng += og;
			for (g = 0; g < ng; g++)
				j->grps[g] = j->grpbuf[g];
			j->spec.kind = CHART_BARS;
			j->spec.categories = j->cats;
			j->spec.ncategories = nc < 64 ? nc : 64;
			j->spec.groups = j->grps;
			j->spec.ngroups = ng;
			j->spec.values = j->vals;
			j->spec.bar_unit = m == 0 ? UNIT_MS : UNIT_RATIO;
			j->spec.subtitle = "per channel, from k6's raw output";
			snprintf(j->title, sizeof j->title, m == 0 ? "P95 latency per channel" :
			    "Failed requests per channel");
			snprintf(j->caption, sizeof j->caption, m == 0 ?
			    "P95 of http_req_duration per channel: whole run, outside faults and during each fault" :
			    "share of failed requests per channel: whole run, outside faults and during each fault");
		}
		report_channel_stats_free(cs, nc);
	}

	charts = xcalloc(njobs ? njobs : 1, sizeof *charts);
	for (i = 0; i < njobs && rc == 0; i++) {
		struct chart_plan *plan = NULL;
		struct report_chart *c = &charts[nch];

		j = &jobs[i];
		j->spec.title = j->title;
		if (j->spec.kind == CHART_LINES) {
			/* Alerts fire under the fault shading of every series chart. */
			j->spec.alerts = run->alerts;
			j->spec.nalerts = run->nalerts;
			j->spec.have_partial = have_partial;
			j->spec.partial_t0 = partial_t0;
			j->spec.partial_t1 = partial_t1;
			j->spec.partial_end = partial_end;
		}
		j->spec.zone_label = zone_label;
		wallclock_rewrite(&clk, j->caption, j->desc, sizeof j->desc);
		j->spec.desc = j->desc;
		if (chart_layout(&j->spec, &plan) == -1) {
			/* No data in range and the like: that chart is left out, said once. */
			continue;
		}
		snprintf(c->name, sizeof c->name, "%s", j->name);
		snprintf(c->caption, sizeof c->caption, "%s", j->caption);
		buf_init(&c->png, LIM_INPUT_BYTES);
		buf_init(&c->svg, LIM_INPUT_BYTES);
		buf_init(&c->csv, LIM_INPUT_BYTES);
		if (chart_paint(plan, CHART_PNG, &c->png) == -1 ||
		    chart_paint(plan, CHART_SVG, &c->svg) == -1 ||
		    chart_csv(&j->spec, &c->csv) == -1)
			rc = -1;
		chart_plan_free(plan);
		nch++;
	}
	for (i = 0; i < njobs; i++)
		free(jobs[i].vals);
	free(jobs);
	free(bands);
	wallclock_release(&clk);
	*out = charts;
	*nout = nch;
	if (rc == -1) {
		report_charts_free(charts, nch);
		*out = NULL;
		*nout = 0;
	}
	return rc;
}

void
report_charts_free(struct report_chart *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		buf_release(&c[i].png);
		buf_release(&c[i].svg);
		buf_release(&c[i].csv);
	}
	free(c);
}
