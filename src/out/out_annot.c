/*
 * out_annot.c — annotations.json (out_annot.h). Each annotation is tagged
 * "sloproof", "drill:SLUG", "date:YYYY-MM-DD", "environment:ENV" (when the
 * drill names one) and what it is ("fault", "alert", "scaling", "breach")
 * with its subject ("fault:redis-outage", "alert:RedisDown",
 * "hpa:gateway", "slo:Gateway P95 latency"), so a dashboard's annotation
 * query can pick one drill or one kind, and `publish` can be undone with
 * Grafana's own tag search. A window (fault, alert episode, breach) has
 * timeEnd; a point in time (scaling event) has none. Alerts still firing
 * when the evidence was captured end at the evidence's end and say so;
 * always-firing alerts (Watchdog) are left out, as in the timeline.
 * Depends on report, eval, run, drill and cJSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "out/out_annot.h"
#include "out/report.h"
#include "eval/eval.h"
#include "in/drill.h"
#include "model/run.h"
#include "util/diag.h"
#include "util/timeutil.h"

struct ann {
	int64_t	 t, end;
	int	 have_end;
	int	 order;		/* fault, alert, scaling, breach: ties in time keep this order */
	size_t	 seq;
	cJSON	*o;
};

struct aw {
	const struct report	*rep;
	struct ann		*a;
	size_t			 n, cap;
	int			 failed;
};

static cJSON *
tags_base(struct aw *w, const char *what, const char *k, const char *subject)
{
	const struct drill *d = w->rep->drill;
	cJSON *tags = cJSON_CreateArray();
	char t[600];

	if (tags == NULL)
		return NULL;
	cJSON_AddItemToArray(tags, cJSON_CreateString("sloproof"));
	snprintf(t, sizeof t, "drill:%s", w->rep->slug);
	cJSON_AddItemToArray(tags, cJSON_CreateString(t));
	snprintf(t, sizeof t, "date:%s", w->rep->date);
	cJSON_AddItemToArray(tags, cJSON_CreateString(t));
	if (d->environment && *d->environment) {
		snprintf(t, sizeof t, "environment:%s", d->environment);
		cJSON_AddItemToArray(tags, cJSON_CreateString(t));
	}
	cJSON_AddItemToArray(tags, cJSON_CreateString(what));
	if (subject) {
		snprintf(t, sizeof t, "%s:%s", k, subject);
		cJSON_AddItemToArray(tags, cJSON_CreateString(t));
	}
	return tags;
}

static void
add(struct aw *w, int order, int64_t t, int have_end, int64_t end, cJSON *tags, const char *text)
{
	cJSON *o = cJSON_CreateObject();
	struct ann *a;

	if (o == NULL || tags == NULL) {
		cJSON_Delete(o);
		cJSON_Delete(tags);
		w->failed = 1;
		return;
	}
	cJSON_AddItemToObject(o, "time", cJSON_CreateNumber((double)t));
	if (have_end)
		cJSON_AddItemToObject(o, "timeEnd", cJSON_CreateNumber((double)end));
	cJSON_AddItemToObject(o, "tags", tags);
	cJSON_AddItemToObject(o, "text", cJSON_CreateString(text));
	if (w->n == w->cap) {
		struct ann *na;

		w->cap = w->cap ? w->cap * 2 : 32;
		if ((na = realloc(w->a, w->cap * sizeof *na)) == NULL) {
			cJSON_Delete(o);
			w->failed = 1;
			return;
		}
		w->a = na;
	}
	a = &w->a[w->n];
	a->t = t;
	a->end = end;
	a->have_end = have_end;
	a->order = order;
	a->seq = w->n++;
	a->o = o;
}

static int
cmp_ann(const void *x, const void *y)
{
	const struct ann *a = x, *b = y;

	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	if (a->order != b->order)
		return a->order - b->order;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* The latest time any evidence speaks of: where a still-firing alert's window stops. */
static int64_t
evidence_end(const struct run *run)
{
	int64_t t = INT64_MIN;
	size_t i;

	for (i = 0; i < run->nseries; i++)
		if (run->series[i].npts && run->series[i].pts[run->series[i].npts - 1].t > t)
			t = run->series[i].pts[run->series[i].npts - 1].t;
	for (i = 0; i < run->nalerts; i++) {
		if (run->alerts[i].start > t)
			t = run->alerts[i].start;
		if (run->alerts[i].have_end && run->alerts[i].end > t)
			t = run->alerts[i].end;
	}
	return t;
}

int
out_annotations(const struct report *rep, struct buf *out)
{
	const struct drill *d = rep->drill;
	const struct run *run = rep->run;
	const struct verdicts *vs = rep->verdicts;
	struct aw w;
	cJSON *arr;
	char text[1600], t1[64];
	char *s;
	size_t i, k;
	int64_t eend = evidence_end(run);
	int rc = 0;

	memset(&w, 0, sizeof w);
	w.rep = rep;
	for (i = 0; i < d->nfaults; i++) {
		const struct fault *f = &d->faults[i];

		snprintf(text, sizeof text, "Fault %s injected (drill \"%s\")%s%s", f->name, d->title,
		    f->script ? ": " : "", f->script ? f->script : "");
		add(&w, 0, f->start, 1, f->end, tags_base(&w, "fault", "fault", f->name), text);
	}
	for (i = 0; i < run->nalerts; i++) {
		const struct alert_interval *x = &run->alerts[i];
		int open = !x->have_end;
		cJSON *tags;

		if (x->always_firing)
			continue;
		tags = tags_base(&w, "alert", "alert", x->name);
		if (tags && x->severity) {
			snprintf(t1, sizeof t1, "severity:%.50s", x->severity);
			cJSON_AddItemToArray(tags, cJSON_CreateString(t1));
		}
		snprintf(text, sizeof text, "Alert %s firing%s%s%s%s", x->name,
		    x->severity ? " (" : "", x->severity ? x->severity : "", x->severity ? ")" : "",
		    open ? "; still firing when the evidence was captured" :
		    x->end_approx ? "; resolved at or before the end shown" : "");
		for (k = 0; k < x->nannotations; k++)
			if (strcmp(x->annotations[k].key, "summary") == 0) {
				size_t len = strlen(text);

				snprintf(text + len, sizeof text - len, ": %s", x->annotations[k].value);
			}
		add(&w, 1, x->start, open ? eend > x->start : 1, open ? eend : x->end, tags, text);
	}
	for (i = 0; i < run->nscale_events; i++) {
		const struct scale_event *e = &run->scale_events[i];

		if (!e->have_t || e->target == NULL)
			continue;
		if (e->have_from)
			snprintf(text, sizeof text, "HPA %s scaled from %d to %d replicas%s%s%s", e->target,
			    e->from, e->to, e->reason ? " (" : "", e->reason ? e->reason : "", e->reason ? ")" : "");
		else
			snprintf(text, sizeof text, "HPA %s at %d replicas%s%s%s", e->target, e->to,
			    e->reason ? " (" : "", e->reason ? e->reason : "", e->reason ? ")" : "");
		if (e->t_err) {
			size_t len = strlen(text);

			time_fmt_span(e->t_err, t1, sizeof t1);
			snprintf(text + len, sizeof text - len, "; time known to within %s", t1);
		}
		add(&w, 2, e->t, 0, 0, tags_base(&w, "scaling", "hpa", e->target), text);
	}
	for (i = 0; i < vs->n; i++) {
		const struct verdict *v = &vs->v[i];
		cJSON *tags;

		if (!v->have_breach)
			continue;
		tags = tags_base(&w, "breach", "slo", v->rule->name);
		if (tags)
			cJSON_AddItemToArray(tags, cJSON_CreateString(verdict_str(v->state)));
		snprintf(text, sizeof text, "SLO %s: outside its limit (verdict %s): %s", v->rule->name,
		    verdict_str(v->state), v->message);
		add(&w, 3, v->breach_start, v->have_breach_end, v->breach_end, tags, text);
	}
	if (w.n)
		qsort(w.a, w.n, sizeof *w.a, cmp_ann);
	if ((arr = cJSON_CreateArray()) == NULL)
		w.failed = 1;
	for (i = 0; i < w.n; i++) {
		if (arr)
			cJSON_AddItemToArray(arr, w.a[i].o);
		else
			cJSON_Delete(w.a[i].o);
	}
	free(w.a);
	s = arr && !w.failed ? cJSON_Print(arr) : NULL;
	cJSON_Delete(arr);
	if (s == NULL || buf_addstr(out, s) == -1 || buf_addc(out, '\n') == -1) {
		diag_syserr(NULL, "annotations.json: out of memory or too large");
		rc = -1;
	}
	free(s);
	return rc;
}
