/*
 * out_inspect.c — the text form of a run for `sloproof inspect`. Shows
 * values in canonical units with their unit, and says "unit unknown" where
 * the evidence did not tell (so nobody mistakes a guess for a fact).
 * Alerts show their window, "~" marking an end known only from a poll or
 * a scrape step. Depends on run, units, timeutil; never on importers.
 */
#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "out/out_inspect.h"
#include "model/run.h"
#include "util/timeutil.h"
#include "model/units.h"

static int
summary_line(struct buf *out, const struct summary *s)
{
	char v[64];
	size_t i;
	int rc = 0;

	rc |= buf_printf(out, "    %-44s %-7s", s->name,
	    s->type == MT_UNKNOWN ? "?" : metric_type_name(s->type));
	for (i = 0; i < s->nstats; i++) {
		unit_fmt(v, sizeof v, s->stats[i].v, summary_stat_unit(s, s->stats[i].name));
		rc |= buf_printf(out, "%s%s=%s", i ? " " : " ", s->stats[i].name, v);
	}
	if (!s->unit_known && s->type != MT_RATE && s->type != MT_COUNTER)
		rc |= buf_addstr(out, "  (unit unknown)");
	rc |= buf_printf(out, "  [line %ld]\n", s->origin.line);
	return rc;
}

/* One alert interval: name, labels but alertname, start, end or "firing at capture". */
static int
alert_line(struct buf *out, const struct alert_interval *a)
{
	char t[64];
	size_t i, k;
	int rc = 0;

	rc |= buf_printf(out, "    %s {", a->name);
	for (i = 0, k = 0; i < a->nlabels; i++)
		if (strcmp(a->labels[i].key, "alertname") != 0)
			rc |= buf_printf(out, "%s%s=\"%s\"", k++ ? ", " : "", a->labels[i].key,
			    a->labels[i].value);
	time_fmt_utc(a->start, t, sizeof t);
	rc |= buf_printf(out, "}\n      %s to ", t);
	if (a->have_end) {
		time_fmt_utc(a->end, t, sizeof t);
		rc |= buf_printf(out, "%s%s", a->end_approx ? "~" : "", t);
	} else {
		rc |= buf_addstr(out, "firing at capture");
	}
	if (a->have_pending) {
		time_fmt_utc(a->pending_since, t, sizeof t);
		rc |= buf_printf(out, ", pending since %s", t);
	}
	if (a->always_firing)
		rc |= buf_addstr(out, ", always firing");
	if (a->annotation_changes)
		rc |= buf_printf(out, ", annotations changed %zu time%s (last kept)", a->annotation_changes,
		    a->annotation_changes == 1 ? "" : "s");
	rc |= buf_printf(out, "  [line %ld]\n", a->origin.line);
	return rc;
}

/* A series: name, labels, unit, how many points, first and last time, range, step. */
static int
series_line(struct buf *out, const struct series *s)
{
	char a[64], b[64], lo[64], hi[64], st[64];
	double mn = 0, mx = 0;
	size_t i;
	int rc = 0;

	rc |= buf_printf(out, "    %s", s->sel.name);
	for (i = 0; i < s->sel.nlabels; i++)
		rc |= buf_printf(out, "%s%s=\"%s\"", i ? ", " : " {", s->sel.labels[i].key,
		    s->sel.labels[i].value);
	rc |= buf_printf(out, "%s  unit %s%s", s->sel.nlabels ? "}" : "",
	    s->unit_known ? (s->unit == UNIT_NONE ? "none" : unit_name(s->unit)) :
	    s->unit_text ? s->unit_text : "unknown", s->unit_text ? " (as written)" : "");
	rc |= buf_printf(out, ", %zu points", s->npts);
	if (s->npts) {
		for (i = 0, mn = mx = s->pts[0].v; i < s->npts; i++) {
			mn = s->pts[i].v < mn ? s->pts[i].v : mn;
			mx = s->pts[i].v > mx ? s->pts[i].v : mx;
		}
		time_fmt_utc(s->pts[0].t, a, sizeof a);
		time_fmt_utc(s->pts[s->npts - 1].t, b, sizeof b);
		unit_fmt(lo, sizeof lo, mn, s->unit_known ? s->unit : UNIT_NONE);
		unit_fmt(hi, sizeof hi, mx, s->unit_known ? s->unit : UNIT_NONE);
		rc |= buf_printf(out, ", %s .. %s, min %s, max %s", a, b, lo, hi);
	}
	if (s->step) {
		time_fmt_span(s->step, st, sizeof st);
		rc |= buf_printf(out, ", step %s", st);
	}
	rc |= buf_printf(out, "  [line %ld]\n", s->origin.line);
	return rc;
}

/* "2026-11-28T10:12:00Z ± 60 s", or "time unknown". */
static void
when(char *dst, size_t n, int have, int64_t t, int64_t err)
{
	char a[40], b[40];

	if (!have) {
		snprintf(dst, n, "time unknown");
		return;
	}
	time_fmt_utc(t, a, sizeof a);
	if (err == 0) {
		snprintf(dst, n, "%s", a);
		return;
	}
	time_fmt_span(err, b, sizeof b);
	snprintf(dst, n, "%s ± %s", a, b);
}

/* kubectl pod lines and events of one source, one line each (in_pods.c). */
static int
pods_section(struct buf *out, const struct run *run, int si)
{
	char t[40];
	size_t i, n = 0;
	int rc = 0;

	for (i = 0; i < run->npod_events; i++)
		n += run->pod_events[i].origin.src == si;
	if (n == 0)
		return 0;
	rc |= buf_printf(out, "  pod lines and events (%zu):\n", n);
	for (i = 0; i < run->npod_events; i++) {
		const struct pod_event *e = &run->pod_events[i];

		if (e->origin.src != si)
			continue;
		time_fmt_utc(e->t, t, sizeof t);
		if (e->kind == POD_K8S_EVENT)
			rc |= buf_printf(out, "    %s%s  %s  %s %s%s%s\n", t, e->t_err ? " ~" : "",
			    e->workload ? e->workload : "-", e->type ? e->type : "-", e->status,
			    e->pod ? " " : "", e->pod ? e->pod : "");
		else
			rc |= buf_printf(out, "    %s  %s  %s %d/%d %s restarts=%d%s\n", t, e->workload,
			    e->pod, e->ready, e->total, e->status, e->restarts,
			    e->kind == POD_DELETED ? " DELETED" : "");
	}
	return rc;
}

static int
hpa_section(struct buf *out, const struct run *run, int si)
{
	char t[128], f[40];
	size_t i, k, nst = 0, nev = 0;
	int rc = 0;

	for (i = 0; i < run->nhpa_states; i++)
		nst += run->hpa_states[i].origin.src == si;
	for (i = 0; i < run->nscale_events; i++)
		nev += run->scale_events[i].origin.src == si;
	if (nst)
		rc |= buf_printf(out, "  hpa states (%zu):\n", nst);
	for (i = 0; i < run->nhpa_states; i++) {
		const struct hpa_state *h = &run->hpa_states[i];

		if (h->origin.src != si)
			continue;
		when(t, sizeof t, h->have_t, h->t, h->t_err);
		rc |= buf_printf(out, "    %s%s%s  %s  at %s  [line %ld]\n",
		    h->namespace ? h->namespace : "", h->namespace ? "/" : "",
		    h->name ? h->name : "(no name)", h->reference ? h->reference : "(no reference)",
		    t, h->origin.line);
		rc |= buf_addstr(out, "      replicas:");
		if (h->have_min)
			rc |= buf_printf(out, " min %d", h->min);
		if (h->have_max)
			rc |= buf_printf(out, " max %d", h->max);
		if (h->have_current)
			rc |= buf_printf(out, " current %d", h->current);
		if (h->have_desired)
			rc |= buf_printf(out, " desired %d", h->desired);
		if (!h->have_min && !h->have_max && !h->have_current && !h->have_desired)
			rc |= buf_addstr(out, " (not shown)");
		rc |= buf_addstr(out, "\n");
		if (h->targets)
			rc |= buf_printf(out, "      targets: %s\n", h->targets);
		for (k = 0; k < h->nmetrics; k++) {
			const struct hpa_metric *m = &h->metrics[k];

			rc |= buf_printf(out, "      metric %s %s: %s%s%s%s / %s  [line %ld]\n",
			    m->kind ? m->kind : "?", m->name ? m->name : "?",
			    m->current ? m->current : "?", m->raw ? " (" : "", m->raw ? m->raw : "",
			    m->raw ? ")" : "", m->target ? m->target : "?", m->origin.line);
		}
		for (k = 0; k < h->nconditions; k++) {
			const struct hpa_condition *c = &h->conditions[k];

			rc |= buf_printf(out, "      condition %s %s %s: %s  [line %ld]\n",
			    c->type ? c->type : "?", c->status ? c->status : "?",
			    c->reason ? c->reason : "?", c->message ? c->message : "", c->origin.line);
		}
	}
	if (nev)
		rc |= buf_printf(out, "  scale events (%zu):\n", nev);
	for (i = 0; i < run->nscale_events; i++) {
		const struct scale_event *e = &run->scale_events[i];

		if (e->origin.src != si)
			continue;
		when(t, sizeof t, e->have_t, e->t, e->t_err);
		if (e->have_from)
			snprintf(f, sizeof f, "%d -> %d", e->from, e->to);
		else
			snprintf(f, sizeof f, "? -> %d", e->to);
		rc |= buf_printf(out, "    %s  %s  at %s", e->target ? e->target : "(no name)", f, t);
		if (e->count > 1) {
			rc |= buf_printf(out, "  (x%d", e->count);
			if (e->have_t) {
				time_fmt_utc(e->first_t, t, sizeof t);
				rc |= buf_printf(out, ", first %s", t);
			}
			rc |= buf_addstr(out, ")");
		}
		if (e->reason)
			rc |= buf_printf(out, "  reason: %s", e->reason);
		rc |= buf_printf(out, "  [line %ld]\n", e->origin.line);
	}
	return rc;
}

int
out_inspect(struct buf *out, const struct run *run)
{
	char t[64], size[32];
	size_t si, i, nth;
	int rc = 0;

	for (si = 0; si < run->nsources; si++) {
		const struct source *src = &run->sources[si];

		unit_fmt(size, sizeof size, (double)src->size, UNIT_BYTES);
		rc |= buf_printf(out, "%s: %s, format %s%s, %s\n", src->path,
		    src->kind, src->format ? src->format : "?", src->gzipped == 2 ? " (zstd)" :
		    src->gzipped ? " (gzip)" : "", size);
		if (src->sha256[0] != '\0')	/* hashed only when asked (--hash) */
			rc |= buf_printf(out, "  sha256 %s\n", src->sha256);
		if (src->format_version)
			rc |= buf_printf(out, "  schema version: %s\n", src->format_version);
		if (src->tool_version)
			rc |= buf_printf(out, "  k6 version: %s\n", src->tool_version);
		if (src->have_generated_at) {
			time_fmt_utc(src->generated_at, t, sizeof t);
			rc |= buf_printf(out, "  generated at: %s\n", t);
		}
		if (src->have_duration) {
			time_fmt_span((long long)src->duration_ms, t, sizeof t);
			rc |= buf_printf(out, "  test run duration: %s\n", t);
		}
		for (i = 0, nth = 0; i < run->nseries; i++)
			if (run->series[i].origin.src == (int)si)
				nth++;
		if (nth) {
			rc |= buf_printf(out, "  series (%zu):\n", nth);
			for (i = 0; i < run->nseries; i++)
				if (run->series[i].origin.src == (int)si)
					rc |= series_line(out, &run->series[i]);
		}
		for (i = 0, nth = 0; i < run->nsummaries; i++)
			if (run->summaries[i].origin.src == (int)si)
				nth++;
		if (nth || strcmp(src->kind, "k6") == 0)
			rc |= buf_printf(out, "  metrics (%zu):\n", nth);
		for (i = 0; i < run->nsummaries; i++)
			if (run->summaries[i].origin.src == (int)si)
				rc |= summary_line(out, &run->summaries[i]);
		for (i = 0, nth = 0; i < run->nsummaries; i++)
			if (run->summaries[i].origin.src == (int)si)
				nth += run->summaries[i].nthresholds;
		if (nth) {
			rc |= buf_printf(out, "  k6 thresholds (%zu):\n", nth);
			for (i = 0; i < run->nsummaries; i++) {
				const struct summary *s = &run->summaries[i];
				size_t k;

				if (s->origin.src != (int)si)
					continue;
				for (k = 0; k < s->nthresholds; k++)
					rc |= buf_printf(out, "    %-44s %-20s %s\n", s->name,
					    s->thresholds[k].expr, !s->thresholds[k].have_result ?
					    "(no result in this format)" :
					    s->thresholds[k].passed ? "passed" : "FAILED");
			}
		}
		for (i = 0, nth = 0; i < run->nchecks; i++)
			if (run->checks[i].origin.src == (int)si)
				nth++;
		if (nth) {
			rc |= buf_printf(out, "  checks (%zu):\n", nth);
			for (i = 0; i < run->nchecks; i++) {
				const struct check *c = &run->checks[i];

				if (c->origin.src != (int)si)
					continue;
				rc |= buf_printf(out, "    %s%s%s  passes=%lld fails=%lld\n",
				    c->group, *c->group ? "::" : "", c->name, c->passes, c->fails);
			}
		}
		for (i = 0, nth = 0; i < run->nalerts; i++)
			if (run->alerts[i].origin.src == (int)si)
				nth++;
		if (nth) {
			rc |= buf_printf(out, "  alerts (%zu):\n", nth);
			for (i = 0; i < run->nalerts; i++)
				if (run->alerts[i].origin.src == (int)si)
					rc |= alert_line(out, &run->alerts[i]);
		}
		rc |= hpa_section(out, run, (int)si);
		rc |= pods_section(out, run, (int)si);
	}
	return rc ? -1 : 0;
}
