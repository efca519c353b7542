/*
 * explain.c — the hint after "no metric X in the evidence" (explain.h).
 * Tried in order: the name is there but no tag set matches (which tag,
 * which value, and the nearest ones there); the name is not there (the
 * nearest names, or the list of names). Depends on model and util only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval/explain.h"
#include "util/suggest.h"
#include "util/xalloc.h"

/* One name and its labels, borrowed from the run. */
struct cand {
	const char		*name;
	const struct label	*labels;
	size_t			 nlabels;
};

static size_t
collect(const struct run *run, enum absent_kind kind, struct cand **out)
{
	struct cand *c;
	size_t n = 0, cap, i;

	cap = run->nsummaries + run->nk6raw + run->nseries + run->nalerts + run->nhpa_states +
	    run->nscale_events + 1;
	c = xcalloc(cap, sizeof *c);
	if (kind == ABSENT_METRIC) {
		for (i = 0; i < run->nsummaries; i++) {
			c[n].name = run->summaries[i].sel.name;
			c[n].labels = run->summaries[i].sel.labels;
			c[n++].nlabels = run->summaries[i].sel.nlabels;
		}
		for (i = 0; i < run->nk6raw; i++) {
			/* Windows repeat the same tag sets: keep one of each run of equals. */
			if (i > 0 && strcmp(run->k6raw[i].metric, run->k6raw[i - 1].metric) == 0 &&
			    run->k6raw[i].tags == run->k6raw[i - 1].tags)
				continue;
			c[n].name = run->k6raw[i].metric;
			c[n].labels = run->k6raw[i].tags;
			c[n++].nlabels = run->k6raw[i].ntags;
		}
	}
	if (kind == ABSENT_METRIC || kind == ABSENT_SERIES)
		for (i = 0; i < run->nseries; i++) {
			c[n].name = run->series[i].sel.name;
			c[n].labels = run->series[i].sel.labels;
			c[n++].nlabels = run->series[i].sel.nlabels;
		}
	if (kind == ABSENT_ALERT)
		for (i = 0; i < run->nalerts; i++) {
			c[n].name = run->alerts[i].name;
			c[n].labels = run->alerts[i].labels;
			c[n++].nlabels = run->alerts[i].nlabels;
		}
	if (kind == ABSENT_HPA) {
		for (i = 0; i < run->nhpa_states; i++)
			c[n++].name = run->hpa_states[i].name;
		for (i = 0; i < run->nscale_events; i++)
			c[n++].name = run->scale_events[i].target;
	}
	*out = c;
	return n;
}

static const char *
kind_word(enum absent_kind kind)
{
	switch (kind) {
	case ABSENT_SERIES:
		return "series";
	case ABSENT_ALERT:
		return "alerts";
	case ABSENT_HPA:
		return "autoscalers";
	case ABSENT_METRIC:
	default:
		return "metrics";
	}
}

static const char *
label_value(const struct label *l, size_t n, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(l[i].key, key) == 0)
			return l[i].value;
	return NULL;
}

/*
 * The name is there: the first wanted label that no candidate of that
 * name has (the key, else the value), with the nearest keys or values.
 */
static int
explain_labels(const struct cand *c, size_t nc, const struct selector *sel, char *dst, size_t n)
{
	const char **names;
	const char *v;
	char hint[768], what[160];
	size_t i, j, k, nn, total = nc;
	int key_seen, r;

	for (i = 0; i < nc; i++)
		total += c[i].nlabels;
	names = xcalloc(total + 1, sizeof *names);
	for (k = 0; k < sel->nlabels; k++) {
		const struct label *want = &sel->labels[k];

		key_seen = 0;
		for (i = 0; i < nc; i++)
			if (strcmp(c[i].name, sel->name) == 0 &&
			    label_value(c[i].labels, c[i].nlabels, want->key) != NULL)
				key_seen = 1;
		nn = 0;
		if (!key_seen) {
			for (i = 0; i < nc; i++)
				if (strcmp(c[i].name, sel->name) == 0)
					for (j = 0; j < c[i].nlabels; j++)
						names[nn++] = c[i].labels[j].key;
			snprintf(what, sizeof what, "tags of %s", sel->name);
			r = suggest(want->key, names, nn, what, hint, sizeof hint);
			snprintf(dst, n, "%s has no tag %s; %s", sel->name, want->key, hint);
			free(names);
			return r;
		}
		for (i = 0; i < nc; i++)
			if (strcmp(c[i].name, sel->name) == 0 &&
			    (v = label_value(c[i].labels, c[i].nlabels, want->key)) != NULL)
				names[nn++] = v;
		for (i = 0; i < nn; i++)
			if (strcmp(names[i], want->value) == 0)
				break;
		if (i < nn)
			continue;	/* this label is there; the combination may not be */
		snprintf(what, sizeof what, "%s values of %s", want->key, sel->name);
		r = suggest(want->value, names, nn, what, hint, sizeof hint);
		snprintf(dst, n, "no %s has %s:%s; %s", sel->name, want->key, want->value, hint);
		free(names);
		return r;
	}
	free(names);
	if (sel->nlabels > 1) {
		snprintf(dst, n, "each of its tags is there, but no %s has them all together",
		    sel->name);
		return 1;
	}
	return 0;
}

int
explain_absent(const struct run *run, const struct selector *sel, enum absent_kind kind,
    char *dst, size_t n)
{
	struct cand *c;
	const char **names;
	size_t nc, i;
	int named = 0, r;

	dst[0] = '\0';
	nc = collect(run, kind, &c);
	for (i = 0; i < nc; i++)
		if (c[i].name && strcmp(c[i].name, sel->name) == 0)
			named = 1;
	if (named) {
		r = explain_labels(c, nc, sel, dst, n);
		free(c);
		return r;
	}
	names = xcalloc(nc + 1, sizeof *names);
	for (i = 0; i < nc; i++)
		names[i] = c[i].name;
	r = suggest(sel->name, names, nc, kind_word(kind), dst, n);
	free(names);
	free(c);
	return r;
}
