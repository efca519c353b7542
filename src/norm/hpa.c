/*
 * hpa.c — autoscaler events de-duplicated across kubectl outputs
 * (norm/hpa.h). Owns nothing.
 */
#include <string.h>

#include "norm/hpa.h"

/* The same scaling: one HPA, one new size, times that can be the same moment. */
static int
same_event(const struct scale_event *a, const struct scale_event *b)
{
	if (!a->have_t || !b->have_t || a->to != b->to || a->origin.src == b->origin.src ||
	    strcmp(a->target, b->target) != 0)
		return 0;
	if (a->have_from && b->have_from && a->from != b->from)
		return 0;
	return a->t - a->t_err <= b->t + b->t_err && b->t - b->t_err <= a->t + a->t_err;
}

static void
merge(struct scale_event *m, const struct scale_event *x)
{
	int64_t lo = m->t - m->t_err, hi = m->t + m->t_err;
	int64_t xlo = x->t - x->t_err, xhi = x->t + x->t_err;

	/* Both bounds hold, so the moment is in their overlap; cite the tighter input. */
	if (x->t_err < m->t_err)
		m->origin = x->origin;
	if (xlo > lo)
		lo = xlo;
	if (xhi < hi)
		hi = xhi;
	m->t = lo + (hi - lo) / 2;
	m->t_err = (hi - lo) / 2;
	if (!m->have_from && x->have_from) {
		m->have_from = 1;
		m->from = x->from;
	}
	if (m->reason == NULL)
		m->reason = x->reason;
	if (x->count > m->count) {
		m->count = x->count;
		m->first_t = x->first_t;
	}
}

int
norm_hpa(struct run *run)
{
	struct scale_event *ev = run->scale_events;
	size_t n = run->nscale_events, i, j, out = 0;

	for (i = 0; i < n; i++) {
		for (j = 0; j < out; j++)
			if (same_event(&ev[j], &ev[i]))
				break;
		if (j < out) {
			merge(&ev[j], &ev[i]);
			continue;
		}
		if (out != i)
			ev[out] = ev[i];
		out++;
	}
	run->nscale_events = out;
	return 0;
}
