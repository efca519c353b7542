/*
 * in_k6raw_derive.c — from merged histograms to the model: the k6 raw
 * summaries per metric and tag set, the per-window series, and the
 * histograms stored in the run for later cuts. Part of the k6
 * raw importer (in/k6raw_imp.h); owns nothing past the import.
 */
#define _GNU_SOURCE	/* madvise, memmem */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/fsio.h"
#include "model/hist.h"
#include "in/import.h"
#include "in/k6raw_imp.h"
#include "model/run.h"
#include "util/sha256.h"
#include "util/splimits.h"
#include "util/strnum.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

/* ---- deriving summaries and series -------------------------------------- */

struct group {
	int		 kind;		/* 0 the whole metric, 1 one tag, 2 a full tag set */
	struct label	*labels;	/* sorted by key, in the arena */
	size_t		 nlabels;
	char		*text;		/* "{channel:instagram}" or "" */
};

struct rec {
	uint32_t	 m, g, e;
	int64_t		 w;
};

static const struct part *sort_part;
static const struct group *sort_groups;

static int
rec_cmp(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;
	int c;

	if (x->m != y->m && (c = strcmp(sort_part->m[x->m].name, sort_part->m[y->m].name)) != 0)
		return c;
	if (x->g != y->g && (c = strcmp(sort_groups[x->g].text, sort_groups[y->g].text)) != 0)
		return c;
	if (x->w != y->w)
		return x->w < y->w ? -1 : 1;
	return x->e < y->e ? -1 : x->e > y->e;
}

/* Appends a label value to a selector's text, quoted when it would not read back. */
static void
fmt_value(struct buf *b, const char *v)
{
	size_t n = strlen(v);

	if (n && !strpbrk(v, ",}\"\\") && v[0] != ' ' && v[n - 1] != ' ') {
		buf_addstr(b, v);
		return;
	}
	buf_addc(b, '"');
	for (; *v; v++) {
		if (*v == '"' || *v == '\\')
			buf_addc(b, '\\');
		buf_addc(b, *v);
	}
	buf_addc(b, '"');
}

static char *
labels_text(struct arena *a, const struct label *l, size_t n)
{
	struct buf b;
	size_t i;
	char *s;

	if (n == 0)
		return arena_strdup(a, "");
	buf_init(&b, 1u << 20);
	buf_addc(&b, '{');
	for (i = 0; i < n; i++) {
		buf_printf(&b, "%s%s:", i ? "," : "", l[i].key);
		fmt_value(&b, l[i].value);
	}
	buf_addc(&b, '}');
	s = arena_strdup(a, buf_str(&b));
	buf_release(&b);
	return s;
}

/* The group of key (interned in gr), built on first sight. */
static uint32_t
group_of(struct part *gr, struct group **groups, size_t *ng, size_t *capg, struct arena *a,
    const char *key, size_t n, int kind, const struct label *l, size_t nl)
{
	uint64_t h = k6r_hash_bytes(key, n, 11);
	long t = k6r_tagset_find(gr, key, n, h);
	struct group *g;

	if (t >= 0)
		return (uint32_t)t;
	t = k6r_tagset_add(gr, key, n, h);
	g = VEC_PUSH(*groups, *ng, *capg);
	g->kind = kind;
	g->nlabels = nl;
	g->labels = arena_alloc(a, (nl ? nl : 1) * sizeof *g->labels);
	if (nl)
		memcpy(g->labels, l, nl * sizeof *l);
	qsort(g->labels, nl, sizeof *l, label_cmp);
	g->text = labels_text(a, g->labels, nl);
	return (uint32_t)t;
}

static void
metric_kind(const struct metric *m, enum metric_type *type, enum unit *unit, int *known)
{
	enum metric_type bt;
	int contains;

	k6r_builtin(m->name, &bt, &contains);
	if (m->declared) {
		*type = m->type;
		contains = m->contains;
		*known = 1;
	} else {
		*type = bt;
		*known = contains >= 0;
	}
	*unit = contains == 1 ? UNIT_MS : contains == 2 ? UNIT_BYTES : UNIT_NONE;
}

static size_t
new_series(struct run *run, const char *metric, const char *suffix, const struct group *g,
    enum unit unit, int known, struct origin o, int64_t step)
{
	struct series *s = run_add_series(run);
	size_t n = strlen(metric) + strlen(suffix) + strlen(g->text) + 1;

	s->sel.name = arena_alloc(&run->arena, strlen(metric) + strlen(suffix) + 1);
	memcpy(s->sel.name, metric, strlen(metric));
	memcpy(s->sel.name + strlen(metric), suffix, strlen(suffix) + 1);
	s->sel.labels = g->labels;
	s->sel.nlabels = g->nlabels;
	s->name = arena_alloc(&run->arena, n);
	snprintf(s->name, n, "%s%s", s->sel.name, g->text);
	s->unit = unit;
	s->unit_known = known;
	s->origin = o;
	s->step = step;
	return run->nseries - 1;
}

static void
new_summary(struct run *run, const struct metric *m, const struct group *g, const struct hist *h,
    double span_s, struct origin o)
{
	struct summary *s = run_add_summary(run);
	size_t n = m->len + strlen(g->text) + 1, k;

	s->sel.name = arena_strdup(&run->arena, m->name);
	s->sel.labels = g->labels;
	s->sel.nlabels = g->nlabels;
	s->name = arena_alloc(&run->arena, n);
	snprintf(s->name, n, "%s%s", m->name, g->text);
	metric_kind(m, &s->type, &s->unit, &s->unit_known);
	s->origin = o;
	switch (s->type) {
	case MT_RATE:
		summary_set_stat(run, s, "rate", (double)h->nonzero / (double)h->count);
		summary_set_stat(run, s, "passes", (double)h->nonzero);
		summary_set_stat(run, s, "fails", (double)(h->count - h->nonzero));
		break;
	case MT_COUNTER:
		summary_set_stat(run, s, "count", h->sum);
		if (span_s > 0)
			summary_set_stat(run, s, "rate", h->sum / span_s);
		break;
	case MT_GAUGE:
		summary_set_stat(run, s, "value", h->last_v);
		summary_set_stat(run, s, "min", h->min);
		summary_set_stat(run, s, "max", h->max);
		break;
	default:
		summary_set_stat(run, s, "avg", h->sum / (double)h->count);
		summary_set_stat(run, s, "min", h->min);
		summary_set_stat(run, s, "med", hist_quantile(h, 0.5));
		summary_set_stat(run, s, "max", h->max);
		summary_set_stat(run, s, "p(90)", hist_quantile(h, 0.9));
		summary_set_stat(run, s, "p(95)", hist_quantile(h, 0.95));
		summary_set_stat(run, s, "p(99)", hist_quantile(h, 0.99));
		summary_set_stat(run, s, "count", (double)h->count);
		break;
	}
	if (g->kind == 0)
		for (k = 0; k < m->nthr; k++)
			summary_add_threshold(run, s, m->thr[k])->origin = o;
}

static const double pq[4] = {0.5, 0.9, 0.95, 0.99};
static const char *const psuffix[4] = {":p50", ":p90", ":p95", ":p99"};

/* Summaries per metric and tag group, series per window, from g's histograms. */
void
k6r_derive(struct run *run, struct part *g)
{
	struct part gr;
	struct group *groups = NULL;
	size_t ng = 0, capg = 0, nrec = 0, caprec = 0, i, j, k, ser[4];
	struct rec *recs = NULL, *r;
	struct label lab[LIM_K6RAW_SPLIT];
	const char *v[LIM_K6RAW_SPLIT];
	size_t l[LIM_K6RAW_SPLIT];
	char key[8192];
	int64_t first = 0, last = 0;
	double span_s, wsec = (double)g->conf->window_ms / 1000;
	int c, np, have = 0;

	k6r_part_init(&gr, g->conf);
	for (i = 0; i < g->nhe; i++) {
		struct hent *e = &g->he[i];

		if (!have || e->h.first_t < first)
			first = e->h.first_t;
		if (!have || e->h.last_t > last)
			last = e->h.last_t;
		have = 1;
		k6r_key_values(g->conf, g->ts[e->tagset].key, v, l);
		for (c = 0, np = 0; c < g->conf->nsplit; c++)
			if (v[c]) {
				lab[np].key = arena_strndup(&run->arena, g->conf->split[c],
				    g->conf->splitlen[c]);
				lab[np].value = arena_strndup(&run->arena, v[c], l[c]);
				key[0] = (char)c;
				memcpy(key + 1, v[c], l[c] < sizeof key - 1 ? l[c] : sizeof key - 1);
				r = VEC_PUSH(recs, nrec, caprec);
				r->m = e->metric;
				r->w = e->win;
				r->e = (uint32_t)i;
				r->g = group_of(&gr, &groups, &ng, &capg, &run->arena, key,
				    1 + (l[c] < sizeof key - 1 ? l[c] : sizeof key - 1), 1, &lab[np], 1);
				np++;
			}
		r = VEC_PUSH(recs, nrec, caprec);
		r->m = e->metric;
		r->w = e->win;
		r->e = (uint32_t)i;
		r->g = group_of(&gr, &groups, &ng, &capg, &run->arena, "", 0, 0, NULL, 0);
		if (np >= 2) {
			uint32_t ts = e->tagset;

			key[0] = (char)0xff;
			memcpy(key + 1, &ts, sizeof ts);
			r = VEC_PUSH(recs, nrec, caprec);
			r->m = e->metric;
			r->w = e->win;
			r->e = (uint32_t)i;
			r->g = group_of(&gr, &groups, &ng, &capg, &run->arena, key, 1 + sizeof ts,
			    2, lab, (size_t)np);
		}
	}
	span_s = (double)(last - first) / 1000;
	sort_part = g;
	sort_groups = groups;
	if (nrec)
		qsort(recs, nrec, sizeof *recs, rec_cmp);
	for (i = 0; i < nrec; i = j) {
		const struct metric *m = &g->m[recs[i].m];
		const struct group *gp = &groups[recs[i].g];
		enum metric_type type;
		enum unit unit;
		int known;
		struct hist tot, wh;
		struct origin o = {g->he[recs[i].e].src, (long)g->he[recs[i].e].line, 0};

		metric_kind(m, &type, &unit, &known);
		np = 0;
		if (gp->kind != 2) {
			if (type == MT_TREND || type == MT_UNKNOWN) {
				for (np = 0; np < 4; np++)
					ser[np] = new_series(run, m->name, psuffix[np], gp, unit, known, o,
					    g->conf->window_ms);
			} else {
				ser[0] = new_series(run, m->name, "", gp,
				    type == MT_RATE ? UNIT_RATIO : type == MT_COUNTER ?
				    (unit == UNIT_BYTES ? UNIT_BYTES_PER_S : UNIT_PER_S) : unit,
				    type == MT_GAUGE ? known : 1, o, g->conf->window_ms);
				np = 1;
			}
		}
		hist_init(&tot);
		for (j = i; j < nrec && recs[j].m == recs[i].m && recs[j].g == recs[i].g; j = k) {
			uint32_t line = (uint32_t)g->he[recs[j].e].line;

			hist_init(&wh);
			for (k = j; k < nrec && recs[k].m == recs[j].m && recs[k].g == recs[j].g &&
			    recs[k].w == recs[j].w; k++) {
				hist_merge(&wh, &g->he[recs[k].e].h);
				if ((uint32_t)g->he[recs[k].e].line < line)
					line = (uint32_t)g->he[recs[k].e].line;
			}
			if (np) {
				int64_t t = recs[j].w * g->conf->window_ms;
				struct series *s = run->series;

				if (type == MT_TREND || type == MT_UNKNOWN) {
					for (c = 0; c < 4; c++)
						series_add_point(&s[ser[c]], t, hist_quantile(&wh, pq[c]), line);
				} else if (type == MT_RATE) {
					series_add_point(&s[ser[0]], t, (double)wh.nonzero / (double)wh.count, line);
				} else if (type == MT_COUNTER) {
					series_add_point(&s[ser[0]], t, wh.sum / wsec, line);
				} else {
					series_add_point(&s[ser[0]], t, wh.max, line);
				}
			}
			hist_merge(&tot, &wh);
			hist_release(&wh);
		}
		for (c = 0; c < np; c++)
			series_finish(&run->series[ser[c]]);
		new_summary(run, m, gp, &tot, span_s, o);
		hist_release(&tot);
	}
	free(recs);
	free(groups);
	k6r_part_release(&gr);
}

static int
hent_cmp(const void *a, const void *b)
{
	const struct k6raw_hist *x = a, *y = b;
	size_t i;
	int c;

	if ((c = strcmp(x->metric, y->metric)) != 0)
		return c;
	for (i = 0; i < x->ntags && i < y->ntags; i++) {
		if ((c = strcmp(x->tags[i].key, y->tags[i].key)) != 0)
			return c;
		if ((c = strcmp(x->tags[i].value, y->tags[i].value)) != 0)
			return c;
	}
	if (x->ntags != y->ntags)
		return x->ntags < y->ntags ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* Moves g's histograms into the run, sorted by metric, tags, window. */
void
k6r_store(struct run *run, struct part *g)
{
	const char *v[LIM_K6RAW_SPLIT];
	size_t l[LIM_K6RAW_SPLIT], i, n;
	struct label **tl = xcalloc(g->nts + 1, sizeof *tl);
	size_t *ntl = xcalloc(g->nts + 1, sizeof *ntl);
	int c;

	for (i = 0; i < g->nts; i++) {
		k6r_key_values(g->conf, g->ts[i].key, v, l);
		tl[i] = arena_alloc(&run->arena, (size_t)(g->conf->nsplit + 1) * sizeof **tl);
		for (c = 0, n = 0; c < g->conf->nsplit; c++)
			if (v[c]) {
				tl[i][n].key = arena_strndup(&run->arena, g->conf->split[c],
				    g->conf->splitlen[c]);
				tl[i][n++].value = arena_strndup(&run->arena, v[c], l[c]);
			}
		qsort(tl[i], n, sizeof **tl, label_cmp);
		ntl[i] = n;
	}
	for (i = 0; i < g->nhe; i++) {
		struct hent *e = &g->he[i];
		struct k6raw_hist *k = VEC_PUSH(run->k6raw, run->nk6raw, run->capk6raw);

		memset(k, 0, sizeof *k);
		k->metric = arena_strdup(&run->arena, g->m[e->metric].name);
		metric_kind(&g->m[e->metric], &k->type, &k->unit, &k->unit_known);
		k->tags = tl[e->tagset];
		k->ntags = ntl[e->tagset];
		k->start = e->win * g->conf->window_ms;
		k->h = e->h;
		memset(&e->h, 0, sizeof e->h);
		k->origin.src = e->src;
		k->origin.line = (long)e->line;
	}
	if (run->nk6raw)
		qsort(run->k6raw, run->nk6raw, sizeof *run->k6raw, hent_cmp);
	run->k6raw_window_ms = g->conf->window_ms;
	free(tl);
	free(ntl);
}

