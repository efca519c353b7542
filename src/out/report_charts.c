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
#include "util/tz.h"
#include "util/xalloc.h"

struct job {
	struct chart_spec	 spec;
	const struct series	*series[LIM_CHART_SERIES];
	const char		*labels[LIM_CHART_SERIES];
	const char		*cats[64];
	const char		*grps[17];
	char			 grpbuf[17][96];
	double			*vals;		/* BARS: owned, freed after painting */
	char			 name[80];
	char			 title[300];
	char			 caption[1400];
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

int
report_charts(const struct report *rep, struct report_chart **out, size_t *nout)
{
	const struct run *run = rep->run;
	const struct drill *d = rep->drill;
	struct chart_band *bands = NULL;
	struct job *jobs = NULL, *j;
	struct report_chart *charts = NULL;
	size_t njobs = 0, capjobs = 0, i, k, nbands = 0, nch = 0;
	struct tz *zone = NULL;
	int offset = 0, rc = 0;
	int64_t tref = 0;

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
		tref = d->faults[0].start;
	}
	/* Times on the axes in the drill's zone, as the team saw the clock. */
	if (d->timezone && (zone = tz_open(d->timezone)) != NULL) {
		if (tref == 0 && run->nseries && run->series[0].npts)
			tref = run->series[0].pts[0].t;
		offset = (int)(tz_offset_at(zone, tref) / 60);
		tz_close(zone);
	}

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
		if (v->op == OP_LT || v->op == OP_LE || v->op == OP_GT || v->op == OP_GE) {
			j->spec.have_limit = 1;	/* plain numbers compare as they are */
			j->spec.limit = r->kind == SLO_RECOVERS ? r->limit *
			    (r->limit_unit == UNIT_NONE && r->have_unit ? r->metric_scale : 1) :
			    v->limit;
		}
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
			METRIC_REQ_LATENCY ":p50", METRIC_REQ_LATENCY ":p95", METRIC_REQ_LATENCY ":p99"
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
				j->labels[m] = ps[m]->name + strlen(METRIC_REQ_LATENCY ":");
			}
			j->spec.kind = CHART_LINES;
			j->spec.series = j->series;
			j->spec.labels = j->labels;
			j->spec.nseries = np;
			for (m = 0; m < rep->verdicts->n; m++) {
				const struct verdict *v = &rep->verdicts->v[m];

				if (strcmp(v->rule->sel.name, METRIC_REQ_LATENCY) == 0 &&
				    v->rule->sel.nlabels == 0 && v->have_observed && v->unit == UNIT_MS) {
					j->spec.have_limit = 1;
					j->spec.limit = v->limit;
					break;
				}
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
			{METRIC_REQ_COUNT, "k6-request-rate", "Requests per second (k6 raw output)",
			    "http_reqs per second, per window, from k6's raw output"},
			{METRIC_REQ_FAILED, "k6-error-rate", "Failed requests (k6 raw output)",
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
			for (v = 0; v < rep->verdicts->n && m == 1; v++)
				if (strcmp(rep->verdicts->v[v].rule->sel.name, METRIC_REQ_FAILED) == 0 &&
				    rep->verdicts->v[v].rule->sel.nlabels == 0 &&
				    rep->verdicts->v[v].unit == UNIT_RATIO) {
					j->spec.have_limit = 1;
					j->spec.limit = rep->verdicts->v[v].limit;
					break;
				}
			snprintf(j->title, sizeof j->title, "%s", rates[m].title);
			snprintf(j->caption, sizeof j->caption, "%s", rates[m].caption);
		}
	}

	/* k6 raw: P95 and error rate per channel, whole run vs each fault. */
	{
		struct channel_stat *cs;
		size_t nc = report_channel_stats(rep, &cs), m, g, ng;

		for (m = 0; m < 2 && nc > 0; m++) {
			ng = cs[0].ngroups < 17 ? cs[0].ngroups : 17;
			j = add_job(&jobs, &njobs, &capjobs, rep, bands, nbands, offset,
			    m == 0 ? "k6-channels-p95" : "k6-channels-errors");
			j->vals = xcalloc(nc * ng, sizeof *j->vals);
			for (k = 0; k < nc && k < 64; k++) {
				j->cats[k] = cs[k].name;
				for (g = 0; g < ng; g++)
					j->vals[k * ng + g] = m == 0 ? cs[k].p95[g] : cs[k].errors[g];
			}
			for (g = 0; g < ng; g++) {
				if (g == 0)
					snprintf(j->grpbuf[g], sizeof j->grpbuf[g], "whole run");
				else
					snprintf(j->grpbuf[g], sizeof j->grpbuf[g], "during %.80s",
					    d->faults[g - 1].name);
				j->grps[g] = j->grpbuf[g];
			}
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
			    "P95 of http_req_duration per channel, whole run and during each fault" :
			    "share of failed requests per channel, whole run and during each fault");
		}
		report_channel_stats_free(cs, nc);
	}

	charts = xcalloc(njobs ? njobs : 1, sizeof *charts);
	for (i = 0; i < njobs && rc == 0; i++) {
		struct chart_plan *plan = NULL;
		struct report_chart *c = &charts[nch];

		j = &jobs[i];
		j->spec.title = j->title;
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
