/*
 * eval_events.c — rules about events in time (eval_imp.h): an alert fires
 * and resolves within a time of a fault, or never fires; an autoscaler
 * reaches a replica count. Alert episodes come reconciled from normalize
 * (norm/alerts.h), each edge with its uncertainty: a verdict whose limit
 * falls inside that uncertainty is a warn, never a guessed pass or fail.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/diag.h"
#include "util/timeutil.h"
#include "eval/eval_imp.h"
#include "eval/explain.h"

/* Alerts of this rule: name and labels match. */
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
 * An alert name or label that no episode has at all may be a typo rather
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

static enum verdict_state
worse(enum verdict_state a, enum verdict_state b)
{
	static const int rank[] = {0, 1, 3, 2};	/* pass warn fail nodata */

	return rank[b] > rank[a] ? b : a;
}

/*
 * A time t (± err, the edge lies in [t - err, t]) against a limit: pass
 * when even the latest possible time is within it, fail when even the
 * earliest is past it, warn when the limit falls inside the uncertainty.
 */
static enum verdict_state
timed(int64_t t, int64_t err, int64_t limit)
{
	if (t <= limit)
		return V_PASS;
	if (t - err > limit)
		return V_FAIL;
	return V_WARN;
}

static void
fmt_err(int64_t err, char *dst, size_t n)
{
	char s[32];

	if (err <= 0) {
		dst[0] = '\0';
		return;
	}
	time_fmt_span(err, s, sizeof s);
	snprintf(dst, n, " \xc2\xb1%s", s);
}

static void
append(struct verdict *v, const char *fmt, const char *a, const char *b, const char *c,
    const char *d, const char *e, const char *f)
{
	size_t len = strlen(v->message);

	snprintf(v->message + len, sizeof v->message - len, fmt, a, b, c, d, e, f);
}

static int
must_not_fire(const struct run *run, const struct slo_rule *r, const struct fault *f,
    struct verdict *v)
{
	int64_t lo = f ? f->start : INT64_MIN, hi = f ? f->end : INT64_MAX;
	char a[40], e[40];
	size_t i;

	for (i = 0; i < run->nalerts; i++) {
		const struct alert_interval *x = &run->alerts[i];

		if (!alert_matches(x, r) || (x->have_end && x->end < lo) ||
		    x->start - x->start_err > hi)
			continue;
		v->state = V_FAIL;
		v->evidence = x->origin;
		v->have_event = 1;
		v->event_t = x->start;
		v->event_err = x->start_err;
		fmt_t(x->start, a, sizeof a);
		fmt_err(x->start_err, e, sizeof e);
		if (x->active_only == 1)
			snprintf(v->message, sizeof v->message, "%s was active (pending or firing) "
			    "from %s%s%s; ALERTS_FOR_STATE does not tell pending from firing, so it is "
			    "not shown that it stayed silent", x->name, a, f ? " during " : "",
			    f ? f->name : "");
		else
			snprintf(v->message, sizeof v->message, "%s fired at %s%s%s%s", x->name, a, e,
			    f ? " during " : "", f ? f->name : "");
		return 0;
	}
	v->state = V_PASS;
	snprintf(v->message, sizeof v->message, "%s did not fire%s%s (%zu alert episodes in the "
	    "evidence)", r->metric, f ? " during " : "", f ? f->name : "", run->nalerts);
	alert_absent_hint(run, r, 1, v->message, sizeof v->message);
	return 0;
}

int
eval_alert(const struct run *run, const struct slo_set *set, const struct slo_rule *r,
    struct verdict *v)
{
	const struct fault *f = NULL;
	const struct alert_interval *hit = NULL, *last_end = NULL;
	enum verdict_state fs = V_PASS, rs = V_PASS;
	int64_t fire = 0, res = 0;
	int open_after = 0;
	char a[40], b[40], c[40], d[40], e[40];
	size_t i;

	if (r->fault && (f = need_fault(run, set, r, r->fault)) == NULL)
		return -1;
	v->unit = UNIT_MS;
	v->op = OP_LE;
	v->limit = (double)(r->have_fires_within ? r->fires_within : r->resolves_within);
	if (run_count_sources(run, "alerts") == 0) {
		snprintf(v->message, sizeof v->message, "no Alertmanager evidence: nothing shows whether %s "
		    "fired", r->metric);
		return 0;
	}
	if (r->must_not_fire)
		return must_not_fire(run, r, f, v);
	/*
	 * The episodes still on, or starting, after the fault began (one per
	 * firing: normalize has joined what several inputs saw). The first
	 * decides the firing; the latest end decides the resolve, unless a
	 * firing began after it and is still on.
	 */
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
		v->state = r->have_fires_within ? V_FAIL : V_NODATA;
		snprintf(v->message, sizeof v->message, "%s never fired after %s started (%s)%s",
		    r->metric, f->name, a, r->have_fires_within ? "" : ", so there is no resolve to time");
		alert_absent_hint(run, r, 0, v->message, sizeof v->message);
		return 0;
	}
	v->evidence = hit->origin;
	fire = hit->start > f->start ? hit->start - f->start : 0;
	v->have_fire = 1;
	v->fire = fire;
	v->fire_err = hit->start_err;
	v->have_event = 1;
	v->event_t = hit->start;
	v->event_err = hit->start_err;
	time_fmt_span(fire, b, sizeof b);
	fmt_t(hit->start, c, sizeof c);
	fmt_err(hit->start_err, e, sizeof e);
	if (hit->active_only) {
		/* Only when it became active is known: it fired then or later. */
		fs = r->have_fires_within ? (fire > r->fires_within ? V_FAIL : V_WARN) : V_PASS;
		snprintf(v->message, sizeof v->message, "active %s after %s started (at %s, pending or "
		    "firing; the evidence does not pin when it fired)", b, f->name, c);
	} else {
		if (r->have_fires_within)
			fs = timed(fire, hit->start_err, r->fires_within);
		snprintf(v->message, sizeof v->message, "fired %s after %s started (at %s%s)", b,
		    f->name, c, e);
	}
	if (r->have_fires_within) {
		time_fmt_span(r->fires_within, d, sizeof d);
		append(v, "%s%s%s%s%s%s", fs == V_PASS ? ", within " : fs == V_FAIL ?
		    ", later than " : ", uncertain against ", d, "", "", "", "");
	}
	if (last_end && !open_after) {
		v->have_event2 = 1;
		v->event2_t = last_end->end;
		v->have_resolve = 1;
		v->resolve = last_end->end > f->end ? last_end->end - f->end : 0;
		v->resolve_err = last_end->end_err;
	}
	if (r->have_resolves_within) {
		time_fmt_span(r->resolves_within, c, sizeof c);
		if (last_end == NULL || open_after) {
			rs = V_FAIL;
			append(v, "; still firing when the evidence was captured, so not resolved within "
			    "%s of %s ending%s%s%s%s", c, f->name, "", "", "", "");
		} else {
			res = v->resolve;
			rs = timed(res, last_end->end_err, r->resolves_within);
			time_fmt_span(res, b, sizeof b);
			fmt_t(last_end->end, d, sizeof d);
			fmt_err(last_end->end_err, e, sizeof e);
			append(v, "; resolved %s after %s ended (at %s%s)%s%s", b, f->name, d, e,
			    rs == V_PASS ? ", within " : rs == V_FAIL ? ", later than " :
			    ", uncertain against ", c);
		}
	}
	v->state = worse(fs, rs);
	/* The observed value is what decided: the resolve when it is the worse part. */
	if (r->have_resolves_within && (!r->have_fires_within || worse(fs, rs) != fs)) {
		v->limit = (double)r->resolves_within;
		if (v->have_resolve) {
			v->have_observed = 1;
			v->observed = (double)v->resolve;
			v->evidence = last_end->end_origin;
		}
	} else {
		v->have_observed = 1;
		v->observed = (double)fire;
	}
	return 0;
}

int
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
