/*
 * run.c — the model's storage and look-ups. Owns every record of a run.
 * Depends on arena, xalloc, units; must not depend on importers,
 * evaluation or renderers.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/run.h"
#include "util/select.h"
#include "util/splimits.h"
#include "util/strnum.h"
#include "util/xalloc.h"

void
run_init(struct run *r)
{
	memset(r, 0, sizeof *r);
	arena_init(&r->arena);
}

void
run_release(struct run *r)
{
	size_t i;

	for (i = 0; i < r->nsummaries; i++) {
		free(r->summaries[i].stats);
		free(r->summaries[i].thresholds);
	}
	for (i = 0; i < r->nseries; i++) {
		free(r->series[i].pts);
		free(r->series[i].lines);
	}
	for (i = 0; i < r->nk6raw; i++)
		hist_release(&r->k6raw[i].h);
	free(r->k6raw);
	free(r->sources);
	free(r->summaries);
	free(r->checks);
	free(r->series);
	free(r->alerts);
	free(r->scale_events);
	free(r->hpa_states);
	arena_release(&r->arena);
	memset(r, 0, sizeof *r);
}

struct source *
run_add_source(struct run *r)
{
	struct source *s = VEC_PUSH(r->sources, r->nsources, r->capsources);

	memset(s, 0, sizeof *s);
	return s;
}

struct summary *
run_add_summary(struct run *r)
{
	struct summary *s = VEC_PUSH(r->summaries, r->nsummaries, r->capsummaries);

	memset(s, 0, sizeof *s);
	s->origin.src = -1;
	return s;
}

struct check *
run_add_check(struct run *r)
{
	struct check *c = VEC_PUSH(r->checks, r->nchecks, r->capchecks);

	memset(c, 0, sizeof *c);
	c->origin.src = -1;
	return c;
}

struct series *
run_add_series(struct run *r)
{
	struct series *s = VEC_PUSH(r->series, r->nseries, r->capseries);

	memset(s, 0, sizeof *s);
	s->origin.src = -1;
	return s;
}

struct alert_interval *
run_add_alert(struct run *r)
{
	struct alert_interval *a = VEC_PUSH(r->alerts, r->nalerts, r->capalerts);

	memset(a, 0, sizeof *a);
	a->origin.src = -1;
	return a;
}

struct scale_event *
run_add_scale_event(struct run *r)
{
	struct scale_event *e = VEC_PUSH(r->scale_events, r->nscale_events, r->capscale_events);

	memset(e, 0, sizeof *e);
	e->origin.src = -1;
	return e;
}

struct hpa_state *
run_add_hpa_state(struct run *r)
{
	struct hpa_state *h = VEC_PUSH(r->hpa_states, r->nhpa_states, r->caphpa_states);

	memset(h, 0, sizeof *h);
	h->origin.src = -1;
	return h;
}

void
series_add_point(struct series *s, int64_t t, double v, uint32_t line)
{
	if (s->npts == s->cappts) {
		/* Doubling without zeroing: a million points are written once, not twice. */
		s->cappts = s->cappts ? 2 * s->cappts : 64;
		s->pts = xreallocarray(s->pts, s->cappts, sizeof *s->pts);
		s->lines = xreallocarray(s->lines, s->cappts, sizeof *s->lines);
	}
	s->pts[s->npts].t = t;
	s->pts[s->npts].v = v;
	s->lines[s->npts] = line;
	s->npts++;
}

/* Insertion sort when nearly sorted (the usual case), merge sort otherwise. */
static void
sort_points(struct point *p, uint32_t *l, size_t n)
{
	struct point *tp;
	uint32_t *tl;
	size_t i, j, w, a, b, mid, hi;

	for (i = 1; i < n && p[i - 1].t <= p[i].t; i++)
		;
	if (i == n)
		return;
	tp = xreallocarray(NULL, n, sizeof *tp);
	tl = xreallocarray(NULL, n, sizeof *tl);
	for (w = 1; w < n; w *= 2) {
		for (i = 0; i < n; i += 2 * w) {
			mid = i + w < n ? i + w : n;
			hi = i + 2 * w < n ? i + 2 * w : n;
			for (a = i, b = mid, j = i; j < hi; j++) {
				if (a < mid && (b >= hi || p[a].t <= p[b].t)) {
					tp[j] = p[a];
					tl[j] = l[a++];
				} else {
					tp[j] = p[b];
					tl[j] = l[b++];
				}
			}
		}
		memcpy(p, tp, n * sizeof *p);
		memcpy(l, tl, n * sizeof *l);
	}
	free(tp);
	free(tl);
}

void
series_finish(struct series *s)
{
	int64_t *d;
	size_t i, n = 0;

	sort_points(s->pts, s->lines, s->npts);
	if (s->npts < 2)
		return;
	/* The step is the median spacing: robust to gaps and to the odd duplicate. */
	d = xreallocarray(NULL, s->npts - 1, sizeof *d);
	for (i = 1; i < s->npts; i++) {
		/* Unsigned: two absurd times (a fuzzed file) must not overflow. */
		uint64_t gap = (uint64_t)s->pts[i].t - (uint64_t)s->pts[i - 1].t;

		if (s->pts[i].t > s->pts[i - 1].t && gap <= (uint64_t)INT64_MAX)
			d[n++] = (int64_t)gap;
	}
	if (n)
		s->step = select_i64(d, n, n / 2);
	free(d);
}

int
selector_matches(const struct selector *want, const struct selector *have)
{
	size_t i, j;

	if (strcmp(want->name, have->name) != 0)
		return 0;
	for (i = 0, j = 0; i < want->nlabels; i++) {
		while (j < have->nlabels && strcmp(have->labels[j].key, want->labels[i].key) < 0)
			j++;
		if (j == have->nlabels || strcmp(have->labels[j].key, want->labels[i].key) != 0 ||
		    strcmp(have->labels[j].value, want->labels[i].value) != 0)
			return 0;
	}
	return 1;
}

const struct fault *
run_find_fault(const struct run *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nfaults; i++)
		if (strcmp(r->faults[i].name, name) == 0)
			return &r->faults[i];
	return NULL;
}

size_t
run_count_sources(const struct run *r, const char *kind)
{
	size_t i, n = 0;

	for (i = 0; i < r->nsources; i++)
		n += r->sources[i].kind && strcmp(r->sources[i].kind, kind) == 0;
	return n;
}

const struct series *
run_find_series(const struct run *r, const struct selector *sel)
{
	size_t i;

	for (i = 0; i < r->nseries; i++)
		if (selector_equal(&r->series[i].sel, sel))
			return &r->series[i];
	return NULL;
}

const char *
metric_type_name(enum metric_type t)
{
	switch (t) {
	case MT_COUNTER:
		return "counter";
	case MT_GAUGE:
		return "gauge";
	case MT_RATE:
		return "rate";
	case MT_TREND:
		return "trend";
	case MT_UNKNOWN:
	default:
		return "unknown";
	}
}

void
summary_set_stat(struct run *r, struct summary *s, const char *name, double v)
{
	size_t i;

	for (i = 0; i < s->nstats; i++)
		if (strcmp(s->stats[i].name, name) == 0) {
			s->stats[i].v = v;
			return;
		}
	s->stats = xreallocarray(s->stats, s->nstats + 1, sizeof *s->stats);
	s->stats[s->nstats].name = arena_strdup(&r->arena, name);
	s->stats[s->nstats].v = v;
	s->nstats++;
}

struct k6_threshold *
summary_add_threshold(struct run *r, struct summary *s, const char *expr)
{
	struct k6_threshold *t;

	s->thresholds = xreallocarray(s->thresholds, s->nthresholds + 1, sizeof *s->thresholds);
	t = &s->thresholds[s->nthresholds++];
	memset(t, 0, sizeof *t);
	t->expr = arena_strdup(&r->arena, expr);
	t->origin = s->origin;
	return t;
}

const double *
summary_stat(const struct summary *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->nstats; i++)
		if (strcmp(s->stats[i].name, name) == 0)
			return &s->stats[i].v;
	return NULL;
}

enum unit
summary_stat_unit(const struct summary *s, const char *stat)
{
	if (strcmp(stat, "count") == 0 || strcmp(stat, "passes") == 0 ||
	    strcmp(stat, "fails") == 0)
		return s->unit == UNIT_BYTES && s->type == MT_COUNTER &&
		    strcmp(stat, "count") == 0 ? UNIT_BYTES : UNIT_NONE;
	if (s->type == MT_RATE && (strcmp(stat, "rate") == 0 || strcmp(stat, "value") == 0))
		return UNIT_RATIO;
	if (s->type == MT_COUNTER && strcmp(stat, "rate") == 0)
		return s->unit == UNIT_BYTES ? UNIT_BYTES_PER_S : UNIT_PER_S;
	return s->unit;
}

static int
label_cmp(const void *a, const void *b)
{
	const struct label *x = a, *y = b;

	return strcmp(x->key, y->key);
}

static int
is_name_char(int c)
{
	return isalnum(c) || c == '_' || c == '-' || c == '.' || c == '/' || c == '@';
}

int
selector_parse(struct arena *a, const char *s, struct selector *sel, size_t *errpos)
{
	const char *p = s, *brace = strchr(s, '{'), *ks, *vs;
	struct label lab[64];
	size_t n = 0, klen, vlen, i;
	size_t dummy;
	char *v;
	int quoted;

	if (errpos == NULL)
		errpos = &dummy;
	memset(sel, 0, sizeof *sel);
	if (*s == '\0' || brace == s) {
		*errpos = 0;
		return -1;
	}
	sel->name = arena_strndup(a, s, brace ? (size_t)(brace - s) : strlen(s));
	/* Trailing spaces before '{' are not part of the name. */
	for (i = strlen(sel->name); i > 0 && sel->name[i - 1] == ' '; i--)
		sel->name[i - 1] = '\0';
	if (brace == NULL)
		return 0;
	p = brace + 1;
	for (;;) {
		while (*p == ' ')
			p++;
		if (*p == '}' && n == 0)
			break;
		ks = p;
		while (is_name_char((unsigned char)*p))
			p++;
		klen = (size_t)(p - ks);
		while (*p == ' ')
			p++;
		if (klen == 0 || (*p != ':' && *p != '=')) {
			*errpos = (size_t)(p - s);
			return -1;
		}
		p++;
		while (*p == ' ')
			p++;
		quoted = *p == '"';
		if (quoted) {
			vs = ++p;
			v = arena_alloc(a, strlen(p) + 1);
			vlen = 0;
			while (*p && *p != '"') {
				if (*p == '\\' && p[1])
					p++;
				v[vlen++] = *p++;
			}
			if (*p != '"') {
				*errpos = (size_t)(vs - 1 - s);
				return -1;
			}
			p++;
		} else {
			vs = p;
			while (*p && *p != ',' && *p != '}')
				p++;
			vlen = (size_t)(p - vs);
			while (vlen > 0 && vs[vlen - 1] == ' ')
				vlen--;
			v = arena_strndup(a, vs, vlen);
		}
		if (n == sizeof lab / sizeof lab[0]) {
			*errpos = (size_t)(ks - s);
			return -1;
		}
		lab[n].key = arena_strndup(a, ks, klen);
		lab[n].value = v;
		n++;
		while (*p == ' ')
			p++;
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p == '}')
			break;
		*errpos = (size_t)(p - s);
		return -1;
	}
	if (p[1] != '\0') {
		*errpos = (size_t)(p + 1 - s);
		return -1;
	}
	qsort(lab, n, sizeof lab[0], label_cmp);
	sel->labels = arena_alloc(a, (n ? n : 1) * sizeof *sel->labels);
	memcpy(sel->labels, lab, n * sizeof *lab);
	sel->nlabels = n;
	return 0;
}

int
selector_equal(const struct selector *a, const struct selector *b)
{
	size_t i;

	if (strcmp(a->name, b->name) != 0 || a->nlabels != b->nlabels)
		return 0;
	for (i = 0; i < a->nlabels; i++)
		if (strcmp(a->labels[i].key, b->labels[i].key) != 0 ||
		    strcmp(a->labels[i].value, b->labels[i].value) != 0)
			return 0;
	return 1;
}

void
selector_fmt(const struct selector *sel, char *dst, size_t n)
{
	size_t off, i;

	off = (size_t)snprintf(dst, n, "%s", sel->name);
	for (i = 0; i < sel->nlabels && off < n; i++)
		off += (size_t)snprintf(dst + off, n - off, "%s%s:%s", i ? "," : "{",
		    sel->labels[i].key, sel->labels[i].value);
	if (sel->nlabels && off < n)
		snprintf(dst + off, n - off, "}");
}

const struct summary *
run_find_summary(const struct run *r, const struct selector *sel)
{
	size_t i;

	for (i = 0; i < r->nsummaries; i++)
		if (selector_equal(&r->summaries[i].sel, sel))
			return &r->summaries[i];
	return NULL;
}

int
stat_canonical(const char *in, char *out, size_t n)
{
	static const char *const plain[] = {
		"avg", "min", "med", "max", "count", "rate", "passes", "fails",
		"value", "last", NULL
	};
	const char *num;
	size_t i, len;
	double v;

	for (i = 0; plain[i]; i++)
		if (strcmp(in, plain[i]) == 0) {
			snprintf(out, n, "%s", in);
			return 0;
		}
	if (strcmp(in, "median") == 0 || strcmp(in, "p(50)") == 0) {
		snprintf(out, n, "med");
		return 0;
	}
	if (strcmp(in, "mean") == 0) {
		snprintf(out, n, "avg");
		return 0;
	}
	if (in[0] != 'p' && in[0] != 'P')
		return -1;
	num = in + 1;
	len = strlen(num);
	if (len >= 2 && num[0] == '(' && num[len - 1] == ')') {
		num++;
		len -= 2;
	}
	if (strnum_double(num, len, &v) == -1 || v <= 0 || v > 100)
		return -1;
	/* k6 writes p(99.9) as given by the user; keep their digits. */
	snprintf(out, n, "p(%.*s)", (int)len, num);
	return 0;
}
