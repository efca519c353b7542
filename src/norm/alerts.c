/*
 * alerts.c — alert episodes reconciled across inputs (norm/alerts.h).
 * Owns nothing past the call: the merged episodes are written back into
 * run->alerts; strings stay in the run's arena.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "norm/alerts.h"

static int
same_labels(const struct alert_interval *a, const struct alert_interval *b)
{
	size_t i;

	if (a->nlabels != b->nlabels || strcmp(a->name, b->name) != 0)
		return 0;
	for (i = 0; i < a->nlabels; i++)
		if (strcmp(a->labels[i].key, b->labels[i].key) != 0 ||
		    strcmp(a->labels[i].value, b->labels[i].value) != 0)
			return 0;
	return 1;
}

static int
cmp_labels(const struct alert_interval *a, const struct alert_interval *b)
{
	size_t i;
	int c;

	if ((c = strcmp(a->name, b->name)) != 0)
		return c;
	for (i = 0; i < a->nlabels && i < b->nlabels; i++)
		if ((c = strcmp(a->labels[i].key, b->labels[i].key)) != 0 ||
		    (c = strcmp(a->labels[i].value, b->labels[i].value)) != 0)
			return c;
	return a->nlabels < b->nlabels ? -1 : a->nlabels > b->nlabels;
}

/* How loosely an interval pins its edges; an unpinned firing counts as worst. */
static int64_t
looseness(const struct alert_interval *a)
{
	int64_t l = a->start_err + (a->have_end ? a->end_err : 0);

	if (a->active_only)
		l += INT64_MAX / 4;
	if (!a->have_end)
		l += INT64_MAX / 8;
	return l;
}

/* Identity, then the most precise first, then input order. */
static int
by_precision(const void *pa, const void *pb)
{
	const struct alert_interval *a = pa, *b = pb;
	int64_t la, lb;
	int c;

	if ((c = cmp_labels(a, b)) != 0)
		return c;
	la = looseness(a);
	lb = looseness(b);
	if (la != lb)
		return la < lb ? -1 : 1;
	if (a->origin.src != b->origin.src)
		return a->origin.src < b->origin.src ? -1 : 1;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a->origin.line < b->origin.line ? -1 : a->origin.line > b->origin.line;
}

static int
by_start(const void *pa, const void *pb)
{
	const struct alert_interval *a = pa, *b = pb;
	int c;

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if ((c = cmp_labels(a, b)) != 0)
		return c;
	if (a->origin.src != b->origin.src)
		return a->origin.src < b->origin.src ? -1 : 1;
	return a->origin.line < b->origin.line ? -1 : a->origin.line > b->origin.line;
}

/* The times an episode may have been active: [earliest fire, latest resolve]. */
static int
overlap(const struct alert_interval *a, const struct alert_interval *b)
{
	int64_t alo = a->start - a->start_err, blo = b->start - b->start_err;
	int64_t ahi = a->have_end ? a->end : INT64_MAX, bhi = b->have_end ? b->end : INT64_MAX;

	return alo <= bhi && blo <= ahi;
}

/* Merges x (less precise, or as precise and later in the run) into m. */
static void
merge(struct alert_interval *m, const struct alert_interval *x)
{
	int64_t seen = m->have_last_seen ? m->last_seen : INT64_MIN;

	if ((m->active_only && !x->active_only) ||
	    (m->active_only == x->active_only && x->start_err < m->start_err)) {
		m->start = x->start;
		m->start_err = x->start_err;
		m->active_only = x->active_only;
		m->origin = x->origin;
	}
	if (x->have_last_seen && (!m->have_last_seen || x->last_seen > m->last_seen)) {
		m->have_last_seen = 1;
		m->last_seen = x->last_seen;
	}
	/*
	 * A resolve: the most precise one, but never one before a time some
	 * input still saw the alert firing (that input saw a later episode).
	 */
	if (x->have_end && x->end >= seen && (!m->have_end || x->end_err < m->end_err)) {
		m->have_end = 1;
		m->end = x->end;
		m->end_err = x->end_err;
		m->end_approx = x->end_err > 0;
		m->end_origin = x->end_origin;
	}
	if (m->have_end && m->have_last_seen && m->end < m->last_seen)
		m->have_end = 0, m->end_err = 0, m->end_approx = 0;
	if (x->have_pending && (!m->have_pending || x->pending_since < m->pending_since)) {
		m->have_pending = 1;
		m->pending_since = x->pending_since;
	}
	if (x->annotations && (m->annotations == NULL || x->origin.src > m->origin.src)) {
		/* the later input's annotations: what was said last */
		m->annotations = x->annotations;
		m->nannotations = x->nannotations;
	}
	if (m->fingerprint == NULL)
		m->fingerprint = x->fingerprint;
	if (m->severity == NULL)
		m->severity = x->severity;
	m->snapshot |= x->snapshot;
	m->nsources += x->nsources ? x->nsources : 1;
}

/* The first capture of an alert snapshot input after t; 0 when none. */
static int
next_capture(const struct run *run, int64_t t, int64_t *next)
{
	size_t i;
	int have = 0;

	for (i = 0; i < run->nsources; i++) {
		const struct source *s = &run->sources[i];

		if (!s->alert_snapshot || !s->have_generated_at || s->generated_at <= t)
			continue;
		if (!have || s->generated_at < *next)
			*next = s->generated_at;
		have = 1;
	}
	return have;
}

int
norm_alerts(struct run *run)
{
	struct alert_interval *in = run->alerts, *out;
	size_t n = run->nalerts, nout = 0, i, j, first;
	int64_t next = 0;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (in[i].nsources == 0)
			in[i].nsources = 1;
	qsort(in, n, sizeof *in, by_precision);
	out = xcalloc(n, sizeof *out);
	for (i = 0; i < n; i = j) {
		first = nout;
		for (j = i; j < n && same_labels(&in[i], &in[j]); j++) {
			size_t k;

			for (k = first; k < nout; k++)
				if (overlap(&out[k], &in[j]))
					break;
			if (k < nout)
				merge(&out[k], &in[j]);
			else
				out[nout++] = in[j];
		}
	}
	/* Seen in a snapshot, missing from the next one: resolved between them. */
	for (i = 0; i < nout; i++) {
		struct alert_interval *a = &out[i];

		if (a->have_end || !a->have_last_seen || !a->snapshot)
			continue;
		if (next_capture(run, a->last_seen, &next)) {
			a->have_end = 1;
			a->end = next;
			a->end_err = next - a->last_seen;
			a->end_approx = 1;
			a->end_origin = a->origin;
		}
	}
	memcpy(in, out, nout * sizeof *out);
	free(out);
	run->nalerts = nout;
	if (nout > 1)
		qsort(run->alerts, nout, sizeof *run->alerts, by_start);
	return 0;
}
