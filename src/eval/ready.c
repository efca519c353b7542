/*
 * ready.c — `recovers: ready(DEPLOYMENT)` (ready.h). The workload's pods
 * are replayed from kubectl's lines in time order: a pod is ready when its
 * READY column says all its containers are (n/n, n > 0) and its STATUS is
 * Running; a pod that was DELETED or shown Terminating no longer counts.
 * The workload is ready when it has at least one pod and every pod that
 * counts is ready. The verdict is the time from the fault's end (or start)
 * until the workload is ready and stays so for `hold`. Owns nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval/eval.h"
#include "eval/ready.h"
#include "util/diag.h"
#include "util/timeutil.h"

#define MAX_PODS 256

struct pod {
	const char	*name;
	int		 ready;
	int		 gone;
};

struct state {
	struct pod	 pods[MAX_PODS];
	size_t		 n;
};

static void
apply(struct state *s, const struct pod_event *e)
{
	size_t i;

	if (e->pod == NULL || e->kind == POD_K8S_EVENT)
		return;
	for (i = 0; i < s->n && strcmp(s->pods[i].name, e->pod) != 0; i++)
		;
	if (i == s->n) {
		if (s->n == MAX_PODS)
			return;
		s->pods[s->n++].name = e->pod;
	}
	s->pods[i].gone = e->kind == POD_DELETED || strcmp(e->status, "Terminating") == 0 ||
	    strcmp(e->status, "Completed") == 0;
	s->pods[i].ready = e->total > 0 && e->ready == e->total && strcmp(e->status, "Running") == 0;
}

static int
all_ready(const struct state *s, size_t *nready, size_t *ncount)
{
	size_t i;

	*nready = *ncount = 0;
	for (i = 0; i < s->n; i++) {
		if (s->pods[i].gone)
			continue;
		(*ncount)++;
		*nready += s->pods[i].ready != 0;
	}
	return *ncount > 0 && *nready == *ncount;
}

int
eval_ready(const struct run *run, const struct slo_set *set, const struct slo_rule *r,
    struct verdict *v)
{
	const struct fault *f = run_find_fault(run, r->fault);
	struct state st;
	size_t i, k, nready, ncount, seen = 0;
	int64_t from, ok_since = -1, last_t = 0;
	const struct pod_event *ok_ev = NULL;
	char tb[40], sb[32];

	if (f == NULL) {
		diag_error(r->file ? r->file : set->path, r->line, r->col,
		    "SLO %s is measured against the fault %s, which the drill does not have",
		    diag_q(r->name, (size_t)-1), diag_q(r->fault, (size_t)-1));
		return -1;
	}
	from = r->from_start ? f->start : f->end;
	memset(&st, 0, sizeof st);
	v->unit = UNIT_MS;
	v->limit = (double)r->within;
	v->op = OP_LE;
	for (i = 0; i < run->npod_events; i++) {
		const struct pod_event *e = &run->pod_events[i];
		int crossed = seen > 0 && last_t < from && e->t >= from;

		if (e->kind == POD_K8S_EVENT || e->workload == NULL || strcmp(e->workload, r->metric) != 0)
			continue;
		/* The state the fault left behind: ready at `from` already? */
		if (crossed && all_ready(&st, &nready, &ncount))
			ok_since = from;
		seen++;
		apply(&st, e);
		/* Lines of one instant (kubectl prints a burst) are applied together. */
		for (k = i + 1; k < run->npod_events && run->pod_events[k].t == e->t; k++)
			if (run->pod_events[k].kind != POD_K8S_EVENT && run->pod_events[k].workload &&
			    strcmp(run->pod_events[k].workload, r->metric) == 0) {
				apply(&st, &run->pod_events[k]);
				seen++;
			}
		i = k - 1;
		last_t = e->t;
		if (e->t < from)
			continue;
		if (all_ready(&st, &nready, &ncount)) {
			if (ok_since < 0) {
				ok_since = e->t;
				ok_ev = e;
			}
		} else {
			ok_since = -1;
			ok_ev = NULL;
		}
		/* Held long enough: later lines cannot change the answer. */
		if (ok_since >= 0 && r->have_hold && e->t - ok_since >= r->hold)
			break;
	}
	if (seen == 0) {
		snprintf(v->message, sizeof v->message, "no kubectl pod lines of %s in the evidence "
		    "(pods named %s-...)", r->metric, r->metric);
		return 0;
	}
	v->have_samples = 1;
	v->samples = (long long)seen;
	/* Nothing after `from`: kubectl -w prints changes only, so the last state held. */
	if (last_t < from) {
		if (!all_ready(&st, &nready, &ncount)) {
			v->state = V_FAIL;
			snprintf(v->message, sizeof v->message, "%s not ready at the fault's %s and no "
			    "later pod lines: %zu of %zu pods ready", r->metric,
			    r->from_start ? "start" : "end", nready, ncount);
			return 0;
		}
		ok_since = from;
	}
	if (ok_since < 0) {
		all_ready(&st, &nready, &ncount);
		time_fmt_utc(last_t, tb, sizeof tb);
		v->state = V_FAIL;
		snprintf(v->message, sizeof v->message, "%s not ready again by the end of the "
		    "evidence (%s): %zu of %zu pods ready", r->metric, tb, nready, ncount);
		return 0;
	}
	if (ok_ev != NULL)
		v->evidence = ok_ev->origin;
	v->have_observed = 1;
	v->observed = (double)(ok_since < from ? 0 : ok_since - from);
	v->state = v->observed <= (double)r->within ? V_PASS : V_FAIL;
	time_fmt_utc(ok_since, tb, sizeof tb);
	time_fmt_span((int64_t)v->observed, sb, sizeof sb);
	all_ready(&st, &nready, &ncount);
	snprintf(v->message, sizeof v->message, "every pod of %s ready %s after the fault %s "
	    "(at %s)%s", r->metric, sb, r->from_start ? "started" : "ended", tb,
	    v->state == V_PASS ? "" : ", later than allowed");
	return 0;
}
