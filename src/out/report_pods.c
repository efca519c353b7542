/*
 * report_pods.c — timeline rows from kubectl's pod evidence (in_pods.c):
 * per workload, each pod's readiness changes, restarts, OOM kills and
 * deletions, with how many of the workload's pods were ready after it,
 * and the Warning events (Unhealthy, BackOff, OOMKilling ...). The first
 * listing of a healthy pod (what `get pods -w` prints when it starts) is
 * no event and is left out. Owns nothing.
 */
#include <stdio.h>
#include <string.h>

#include "model/run.h"
#include "out/report.h"

#define MAX_PODS 256

struct seen {
	const char	*pod;
	const char	*workload;
	int		 ready, restarts, gone;
	const char	*status;
};

static void
origin(const struct run *run, const struct origin *o, char *dst, size_t n)
{
	if (o->src < 0 || (size_t)o->src >= run->nsources)
		snprintf(dst, n, "-");
	else
		snprintf(dst, n, "%s:%ld", run->sources[o->src].path, o->line);
}

static void
tally(const struct seen *s, size_t n, const char *workload, size_t *ready, size_t *count)
{
	size_t i;

	*ready = *count = 0;
	for (i = 0; i < n; i++)
		if (!s[i].gone && strcmp(s[i].workload, workload) == 0) {
			(*count)++;
			*ready += s[i].ready != 0;
		}
}

void
report_pod_timeline(const struct run *run, report_tl_add_fn add, void *ctx)
{
	static struct seen s[MAX_PODS];
	size_t n = 0, i, k, nr, nc;
	char what[600], ev[600];

	for (i = 0; i < run->npod_events; i++) {
		const struct pod_event *e = &run->pod_events[i];
		struct seen *p;
		int ready, first;

		origin(run, &e->origin, ev, sizeof ev);
		if (e->kind == POD_K8S_EVENT) {
			if (e->type == NULL || strcmp(e->type, "Warning") != 0)
				continue;
			snprintf(what, sizeof what, "%s: %s%s%s%s%.300s", e->workload ? e->workload : "-",
			    e->status, e->pod ? " pod " : "", e->pod ? e->pod : "",
			    e->message ? ": " : "", e->message ? e->message : "");
			add(ctx, e->t, e->t_err, "pods", what, ev);
			continue;
		}
		for (k = 0; k < n && strcmp(s[k].pod, e->pod) != 0; k++)
			;
		first = k == n;
		if (first) {
			if (n == MAX_PODS)
				continue;
			memset(&s[n], 0, sizeof s[n]);
			s[n].pod = e->pod;
			s[n].workload = e->workload;
			n++;
		}
		p = &s[k];
		ready = e->kind == POD_STATE && e->total > 0 && e->ready == e->total &&
		    strcmp(e->status, "Running") == 0;
		if (e->kind == POD_DELETED || strcmp(e->status, "Terminating") == 0) {
			p->gone = 1;
			p->ready = 0;
			tally(s, n, p->workload, &nr, &nc);
			snprintf(what, sizeof what, "%s: pod %s %s; %zu of %zu pods ready", p->workload,
			    e->pod, e->kind == POD_DELETED ? "deleted" : "terminating", nr, nc);
			add(ctx, e->t, e->t_err, "pods", what, ev);
			continue;
		}
		if (first && ready) {
			p->ready = 1;
			p->restarts = e->restarts;
			p->status = e->status;
			continue;
		}
		if (!first && ready == p->ready && e->restarts == p->restarts &&
		    strcmp(e->status, p->status) == 0)
			continue;
		{
			int restarted = !first && e->restarts > p->restarts;
			const char *st = e->status;

			p->gone = 0;
			p->ready = ready;
			p->restarts = e->restarts;
			p->status = e->status;
			tally(s, n, p->workload, &nr, &nc);
			if (strcmp(st, "OOMKilled") == 0)
				snprintf(what, sizeof what, "%s: pod %s OOM-killed (restarts %d); "
				    "%zu of %zu pods ready", p->workload, e->pod, e->restarts, nr, nc);
			else
				snprintf(what, sizeof what, "%s: pod %s %s%s%s (%d/%d, restarts %d); "
				    "%zu of %zu pods ready", p->workload, e->pod, ready ? "ready" : "not ready",
				    strcmp(st, "Running") != 0 ? ", " : "", strcmp(st, "Running") != 0 ? st : "",
				    e->ready, e->total, e->restarts, nr, nc);
			if (restarted) {
				size_t len = strlen(what);

				snprintf(what + len, sizeof what - len, "; restarted");
			}
			add(ctx, e->t, e->t_err, "pods", what, ev);
		}
	}
}
