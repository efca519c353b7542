/*
 * in_k6raw.c — (with in_k6raw_scan.c, _read.c and _derive.c, sharing
 * in/k6raw_imp.h) k6 raw output (`k6 run --out json=F[.gz]`, shared corpus
 * FORMATS.md §3) into a run: one streaming pass that keeps no points, only
 * mergeable histograms (hist.h) per metric x split-tag set x time window.
 *
 * Speed is the point (a 15-minute run is gigabytes), so lines are not
 * parsed with cJSON: a small scanner knows the two line shapes (keys in any
 * order; strings found with memchr; numbers and RFC 3339 times on fast
 * paths with the general parsers as fallback) and skips what it does not
 * need. Consecutive lines of one request carry the same tags object and
 * time string byte for byte, so both are remembered and re-used when the
 * bytes match. A plain file is mapped and cut at line boundaries into one
 * part per core, each parsed by its own thread into its own tables; one
 * more thread hashes the file (SHA-256). gzip (or a pipe) is inflated by
 * the calling thread and parsed by a second. The parts are merged at the
 * end, then merged into the run's k6raw histograms (so the files of
 * parallel load generators add up exactly), and the summaries and series
 * are derived again from the merged histograms.
 *
 * Parsing threads touch only their part: no diag calls, no run. Bad lines
 * are counted with the first few line numbers and reported afterwards by
 * the calling thread; they never stop the import.
 *
 * Owns nothing past a call: every string kept is copied into run->arena
 * and the histograms move into run->k6raw. Depends on run, hist, diag,
 * sha256, strnum, timeutil, xalloc, zlib and pthreads; must not depend on
 * other importers, evaluation or renderers.
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


static const char *const default_split[] = {
	"scenario", "channel", "status", "expected_response", "name",
	/* k6-operator tags each parallel runner: keeps per-runner figures (report "exact merge") */
	"instance_id", NULL
};


static const char *const why_text[NWHY] = {
	"not a k6 JSON object",
	"truncated (the last line of a killed k6?)",
	"longer than the line limit",
	"bad \"time\"",
	"bad \"value\"",
	"unknown line \"type\"",
	"a Point without \"metric\", \"time\" or \"value\"",
};

/* ---- small tables ----------------------------------------------------- */

uint64_t
k6r_hash_bytes(const void *p, size_t n, uint64_t h)
{
	const unsigned char *s = p;
	uint64_t w;

	h ^= n * 0x9e3779b97f4a7c15ull;
	while (n >= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
		s += 8;
		n -= 8;
	}
	w = 0;
	memcpy(&w, s, n);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	return h ^ (h >> 29);
}

static uint64_t
hash_hent(uint32_t m, uint32_t t, int64_t w)
{
	uint64_t h = ((uint64_t)m << 32 | t) * 0x9e3779b97f4a7c15ull;

	h ^= (uint64_t)w * 0xff51afd7ed558ccdull;
	return h ^ (h >> 31);
}

/* Grows t to twice n slots when it is half full; rehash calls back for each index. */
static void
table_grow(struct table *t, size_t n, uint64_t (*hof)(const void *, size_t), const void *ctx)
{
	size_t cap, i, j;
	uint32_t *s;

	if (t->cap && n * 2 < t->cap)
		return;
	cap = t->cap ? t->cap * 2 : 64;
	s = xcalloc(cap, sizeof *s);
	for (i = 0; i < n; i++) {
		j = hof(ctx, i) & (cap - 1);
		while (s[j])
			j = (j + 1) & (cap - 1);
		s[j] = (uint32_t)i + 1;
	}
	free(t->slot);
	t->slot = s;
	t->cap = cap;
}

static uint64_t
m_hash(const void *ctx, size_t i)
{
	return ((const struct part *)ctx)->m[i].hash;
}

static uint64_t
t_hash(const void *ctx, size_t i)
{
	return ((const struct part *)ctx)->ts[i].hash;
}

static uint64_t
h_hash(const void *ctx, size_t i)
{
	const struct hent *e = &((const struct part *)ctx)->he[i];

	return hash_hent(e->metric, e->tagset, e->win);
}

void
k6r_part_init(struct part *p, const struct conf *c)
{
	memset(p, 0, sizeof *p);
	p->conf = c;
	p->exploded = -1;
}

void
k6r_part_release(struct part *p)
{
	size_t i, k;

	for (i = 0; i < p->nm; i++) {
		free(p->m[i].name);
		for (k = 0; k < p->m[i].nthr; k++)
			free(p->m[i].thr[k]);
		free(p->m[i].thr);
	}
	for (i = 0; i < p->nts; i++)
		free(p->ts[i].key);
	for (i = 0; i < p->nhe; i++)
		hist_release(&p->he[i].h);
	free(p->m);
	free(p->ts);
	free(p->he);
	free(p->mt.slot);
	free(p->tt.slot);
	free(p->ht.slot);
}

/* The metric named by the decoded name s, added if new; -1 past the limit. */
long
k6r_metric_intern(struct part *p, const char *s, size_t n)
{
	uint64_t h = k6r_hash_bytes(s, n, 1);
	size_t j;
	struct metric *m;

	if (p->mt.cap)
		for (j = h & (p->mt.cap - 1); p->mt.slot[j]; j = (j + 1) & (p->mt.cap - 1)) {
			m = &p->m[p->mt.slot[j] - 1];
			if (m->hash == h && m->len == n && memcmp(m->name, s, n) == 0)
				return (long)p->mt.slot[j] - 1;
		}
	if (p->nm >= LIM_K6RAW_METRICS)
		return -1;
	m = VEC_PUSH(p->m, p->nm, p->capm);
	memset(m, 0, sizeof *m);
	m->name = xstrndup(s, n);
	m->len = n;
	m->hash = h;
	m->c_tagset = UINT32_MAX;
	table_grow(&p->mt, p->nm, m_hash, p);
	for (j = h & (p->mt.cap - 1); p->mt.slot[j]; j = (j + 1) & (p->mt.cap - 1))
		;
	p->mt.slot[j] = (uint32_t)p->nm;
	return (long)p->nm - 1;
}

long
k6r_tagset_find(const struct part *p, const char *key, size_t n, uint64_t h)
{
	size_t j;
	const struct tagset *t;

	if (p->tt.cap == 0)
		return -1;
	for (j = h & (p->tt.cap - 1); p->tt.slot[j]; j = (j + 1) & (p->tt.cap - 1)) {
		t = &p->ts[p->tt.slot[j] - 1];
		if (t->hash == h && t->len == n && memcmp(t->key, key, n) == 0)
			return (long)p->tt.slot[j] - 1;
	}
	return -1;
}

uint32_t
k6r_tagset_add(struct part *p, const char *key, size_t n, uint64_t h)
{
	struct tagset *t = VEC_PUSH(p->ts, p->nts, p->capts);
	size_t j;

	t->key = xmalloc(n ? n : 1);
	memcpy(t->key, key, n);
	t->len = n;
	t->hash = h;
	table_grow(&p->tt, p->nts, t_hash, p);
	for (j = h & (p->tt.cap - 1); p->tt.slot[j]; j = (j + 1) & (p->tt.cap - 1))
		;
	p->tt.slot[j] = (uint32_t)p->nts;
	return (uint32_t)p->nts - 1;
}

/* Splits a tag-set key into its values: v[i] NULL when tag i is absent. */
void
k6r_key_values(const struct conf *c, const char *key, const char **v, size_t *l)
{
	uint32_t n;
	int i;

	for (i = 0; i < c->nsplit; i++) {
		memcpy(&n, key, 4);
		key += 4;
		if (n == UINT32_MAX) {
			v[i] = NULL;
			l[i] = 0;
		} else {
			v[i] = key;
			l[i] = n;
			key += n;
		}
	}
}

static size_t
key_build(const struct conf *c, const char *const *v, const size_t *l, char *dst, size_t cap)
{
	size_t off = 0;
	uint32_t n;
	int i;

	for (i = 0; i < c->nsplit; i++) {
		n = v[i] ? (uint32_t)l[i] : UINT32_MAX;
		if (off + 4 + (v[i] ? l[i] : 0) > cap)
			return (size_t)-1;
		memcpy(dst + off, &n, 4);
		off += 4;
		if (v[i]) {
			memcpy(dst + off, v[i], l[i]);
			off += l[i];
		}
	}
	return off;
}

/* The split tag with the most distinct values among the part's tag sets. */
static int
most_varied(const struct part *p)
{
	const char *v[LIM_K6RAW_SPLIT], *w[LIM_K6RAW_SPLIT];
	size_t l[LIM_K6RAW_SPLIT], lw[LIM_K6RAW_SPLIT], i, j, distinct, best = 0;
	int k, arg = 0;

	for (k = 0; k < p->conf->nsplit; k++) {
		distinct = 0;
		/* Quadratic, but once, over at most LIM_K6RAW_TAGSETS sets. */
		for (i = 0; i < p->nts; i++) {
			k6r_key_values(p->conf, p->ts[i].key, v, l);
			for (j = 0; j < i; j++) {
				k6r_key_values(p->conf, p->ts[j].key, w, lw);
				if ((v[k] == NULL) == (w[k] == NULL) &&
				    (v[k] == NULL || (l[k] == lw[k] && memcmp(v[k], w[k], l[k]) == 0)))
					break;
			}
			if (j == i)
				distinct++;
		}
		if (distinct > best) {
			best = distinct;
			arg = k;
		}
	}
	return arg;
}

/* The tag set of the values in p->sv/sl; past the limit the exploded tag reads "(other)". */
uint32_t
k6r_tagset_intern(struct part *p)
{
	char key[8192];
	size_t n;
	uint64_t h;
	long t;

	n = key_build(p->conf, p->sv, p->sl, key, sizeof key);
	if (n == (size_t)-1) {
		/* Absurdly long values: keep the point, under no tags. */
		const char *none[LIM_K6RAW_SPLIT] = {NULL};
		n = key_build(p->conf, none, p->sl, key, sizeof key);
	}
	h = k6r_hash_bytes(key, n, 7);
	if ((t = k6r_tagset_find(p, key, n, h)) >= 0)
		return (uint32_t)t;
	if (p->nts >= LIM_K6RAW_TAGSETS) {
		if (!p->tag_overflow) {
			p->tag_overflow = 1;
			p->exploded = most_varied(p);
		}
		p->sv[p->exploded] = "(other)";
		p->sl[p->exploded] = 7;
		n = key_build(p->conf, p->sv, p->sl, key, sizeof key);
		h = k6r_hash_bytes(key, n, 7);
		if ((t = k6r_tagset_find(p, key, n, h)) >= 0)
			return (uint32_t)t;
		if (p->nts >= LIM_K6RAW_TAGSETS + LIM_K6RAW_TAGSETS / 4) {
			const char *none[LIM_K6RAW_SPLIT] = {NULL};
			n = key_build(p->conf, none, p->sl, key, sizeof key);
			h = k6r_hash_bytes(key, n, 7);
			if ((t = k6r_tagset_find(p, key, n, h)) >= 0)
				return (uint32_t)t;
		}
	}
	return k6r_tagset_add(p, key, n, h);
}

/* The histogram of (metric, tagset, window); NULL past LIM_K6RAW_HISTS. */
struct hist *
k6r_hent_get(struct part *p, uint32_t m, uint32_t t, int64_t w, uint64_t line)
{
	uint64_t h = hash_hent(m, t, w);
	size_t j;
	struct hent *e;

	if (p->ht.cap)
		for (j = h & (p->ht.cap - 1); p->ht.slot[j]; j = (j + 1) & (p->ht.cap - 1)) {
			e = &p->he[p->ht.slot[j] - 1];
			if (e->metric == m && e->tagset == t && e->win == w) {
				p->m[m].c_tagset = t;
				p->m[m].c_win = w;
				p->m[m].c_hent = p->ht.slot[j] - 1;
				return &e->h;
			}
		}
	if (p->nhe >= LIM_K6RAW_HISTS)
		return NULL;
	e = VEC_PUSH(p->he, p->nhe, p->caphe);
	e->metric = m;
	e->tagset = t;
	e->win = w;
	e->line = line;
	e->src = p->src;
	hist_init(&e->h);
	table_grow(&p->ht, p->nhe, h_hash, p);
	for (j = h & (p->ht.cap - 1); p->ht.slot[j]; j = (j + 1) & (p->ht.cap - 1))
		;
	p->ht.slot[j] = (uint32_t)p->nhe;
	p->m[m].c_tagset = t;
	p->m[m].c_win = w;
	p->m[m].c_hent = (uint32_t)p->nhe - 1;
	return &e->h;
}

/* ---- merging parts, files and runs -------------------------------------- */

static int
conf_init(struct conf *c, const struct import_opts *o, const char *display)
{
	const char *s, *comma;
	size_t n;

	memset(c, 0, sizeof *c);
	c->window_ms = o && o->window_ms > 0 ? o->window_ms : 10000;
	if (o == NULL || o->split_tags == NULL) {
		for (c->nsplit = 0; default_split[c->nsplit]; c->nsplit++) {
			c->split[c->nsplit] = default_split[c->nsplit];
			c->splitlen[c->nsplit] = strlen(default_split[c->nsplit]);
		}
		return 0;
	}
	for (s = o->split_tags; *s; s = comma ? comma + 1 : s + n) {
		comma = strchr(s, ',');
		n = comma ? (size_t)(comma - s) : strlen(s);
		if (n == 0)
			continue;
		if (c->nsplit == LIM_K6RAW_SPLIT) {
			diag_error(display, 0, 0, "more than %d tags to split k6 raw data by",
			    LIM_K6RAW_SPLIT);
			return -1;
		}
		c->split[c->nsplit] = s;
		c->splitlen[c->nsplit++] = n;
		if (comma == NULL)
			break;
	}
	return 0;
}

/* k6's built-in metrics, for files that never declare them (old versions, excerpts). */
void
k6r_builtin(const char *name, enum metric_type *type, int *contains)
{
	static const struct { const char *name; enum metric_type type; int contains; } b[] = {
		{"vus", MT_GAUGE, 0}, {"vus_max", MT_GAUGE, 0},
		{"iterations", MT_COUNTER, 0}, {"http_reqs", MT_COUNTER, 0},
		{"dropped_iterations", MT_COUNTER, 0}, {"data_sent", MT_COUNTER, 2},
		{"data_received", MT_COUNTER, 2}, {"checks", MT_RATE, 0},
		{"http_req_failed", MT_RATE, 0}, {"iteration_duration", MT_TREND, 1},
		{"group_duration", MT_TREND, 1}, {"http_req_duration", MT_TREND, 1},
		{"http_req_blocked", MT_TREND, 1}, {"http_req_connecting", MT_TREND, 1},
		{"http_req_tls_handshaking", MT_TREND, 1}, {"http_req_sending", MT_TREND, 1},
		{"http_req_waiting", MT_TREND, 1}, {"http_req_receiving", MT_TREND, 1},
	};
	size_t i;

	for (i = 0; i < sizeof b / sizeof b[0]; i++)
		if (strcmp(b[i].name, name) == 0) {
			*type = b[i].type;
			*contains = b[i].contains;
			return;
		}
	*type = MT_UNKNOWN;
	*contains = -1;
}

static void
declare_from(struct metric *d, const struct metric *s, uint64_t line0)
{
	size_t k;

	if (d->declared || !s->declared)
		return;
	d->declared = 1;
	d->type = s->type;
	d->contains = s->contains;
	d->decl_line = s->decl_line + line0;
	for (k = 0; k < s->nthr; k++) {
		d->thr = xreallocarray(d->thr, d->nthr + 1, sizeof *d->thr);
		d->thr[d->nthr++] = xstrdup(s->thr[k]);
	}
}

/* Moves or merges every histogram of part p into g, decoding its tag values. */
static void
merge_part(struct part *g, struct part *p)
{
	uint32_t *mm = xcalloc(p->nm + 1, sizeof *mm), *tm = xcalloc(p->nts + 1, sizeof *tm);
	const char *v[LIM_K6RAW_SPLIT];
	char *dv[LIM_K6RAW_SPLIT];
	size_t l[LIM_K6RAW_SPLIT], i, n;
	struct hist *h;
	char *key;
	long t;
	int k;

	for (i = 0; i < p->nm; i++) {
		long gm = k6r_metric_intern(g, p->m[i].name, p->m[i].len);

		mm[i] = gm < 0 ? UINT32_MAX : (uint32_t)gm;
		if (gm >= 0)
			declare_from(&g->m[gm], &p->m[i], p->line0);
	}
	for (i = 0; i < p->nts; i++) {
		k6r_key_values(p->conf, p->ts[i].key, v, l);
		n = 0;
		for (k = 0; k < p->conf->nsplit; k++) {
			dv[k] = NULL;
			if (v[k] && memchr(v[k], '\\', l[k]) && (dv[k] = k6r_str_decode(v[k], l[k], &l[k])))
				v[k] = dv[k];
			n += 4 + l[k];
		}
		key = xmalloc(n + 1);
		n = key_build(p->conf, v, l, key, n + 1);
		uint64_t hh = k6r_hash_bytes(key, n, 7);
		t = k6r_tagset_find(g, key, n, hh);
		tm[i] = t >= 0 ? (uint32_t)t : k6r_tagset_add(g, key, n, hh);
		free(key);
		for (k = 0; k < p->conf->nsplit; k++)
			free(dv[k]);
	}
	for (i = 0; i < p->nhe; i++) {
		struct hent *e = &p->he[i];

		if (mm[e->metric] == UINT32_MAX ||
		    (h = k6r_hent_get(g, mm[e->metric], tm[e->tagset], e->win, e->line + p->line0)) == NULL) {
			g->dropped_points += e->h.count;
			continue;
		}
		if (h->count == 0) {
			*h = e->h;	/* move: the part's arrays become g's */
			memset(&e->h, 0, sizeof e->h);
		} else {
			hist_merge(h, &e->h);
		}
	}
	g->lines += p->lines;
	g->points += p->points;
	g->dropped_points += p->dropped_points;
	for (i = 0; i < NBAD && i < p->nbad; i++)
		if (g->nbad + i < NBAD) {
			g->bad[g->nbad + i] = p->bad[i];
			g->bad[g->nbad + i].line += p->line0;
		}
	g->nbad += p->nbad;
	for (k = 0; k < NWHY; k++)
		g->bywhy[k] += p->bywhy[k];
	if (p->tag_overflow && !g->tag_overflow) {
		g->tag_overflow = 1;
		g->exploded = p->exploded;
	}
	if (p->have_t) {
		if (!g->have_t || p->tmin < g->tmin)
			g->tmin = p->tmin;
		if (!g->have_t || p->tmax > g->tmax)
			g->tmax = p->tmax;
		g->have_t = 1;
	}
	free(mm);
	free(tm);
}

static int
is_raw_source(const struct run *run, int src)
{
	return src >= 0 && (size_t)src < run->nsources && run->sources[src].format &&
	    strcmp(run->sources[src].format, FORMAT) == 0;
}

/*
 * Takes the run's histograms from earlier raw files into g (the run's are
 * released) and drops the summaries and series derived from them: they are
 * derived again from everything. k6 thresholds are carried over.
 */
static int
absorb_run(struct part *g, struct run *run, const char *display)
{
	const char *v[LIM_K6RAW_SPLIT];
	size_t l[LIM_K6RAW_SPLIT], i, j, n;
	char key[8192];
	struct hist *h;
	long gm, t;
	int k;

	if (run->nk6raw && run->k6raw_window_ms != g->conf->window_ms) {
		diag_error(display, 0, 0, "k6 raw windows of %lld ms, but earlier raw inputs "
		    "used %lld ms", (long long)g->conf->window_ms, (long long)run->k6raw_window_ms);
		return -1;
	}
	for (i = 0; i < run->nk6raw; i++) {
		struct k6raw_hist *r = &run->k6raw[i];

		for (k = 0; k < g->conf->nsplit; k++)
			v[k] = NULL;
		for (j = 0; j < r->ntags; j++) {
			for (k = 0; k < g->conf->nsplit; k++)
				if (strlen(r->tags[j].key) == g->conf->splitlen[k] &&
				    memcmp(r->tags[j].key, g->conf->split[k], g->conf->splitlen[k]) == 0)
					break;
			if (k == g->conf->nsplit) {
				diag_error(display, 0, 0, "earlier k6 raw inputs were split by tag %s, "
				    "this one is not; split all by the same tags",
				    diag_q(r->tags[j].key, (size_t)-1));
				return -1;
			}
			v[k] = r->tags[j].value;
			l[k] = strlen(r->tags[j].value);
		}
		if ((gm = k6r_metric_intern(g, r->metric, strlen(r->metric))) < 0)
			continue;
		if (r->type != MT_UNKNOWN && !g->m[gm].declared) {
			g->m[gm].declared = 1;
			g->m[gm].type = r->type;
			g->m[gm].contains = r->unit == UNIT_MS ? 1 : r->unit == UNIT_BYTES ? 2 : 0;
		}
		if ((n = key_build(g->conf, v, l, key, sizeof key)) == (size_t)-1)
			continue;
		uint64_t hh = k6r_hash_bytes(key, n, 7);
		t = k6r_tagset_find(g, key, n, hh);
		if (t < 0)
			t = k6r_tagset_add(g, key, n, hh);
		g->src = r->origin.src;
		h = k6r_hent_get(g, (uint32_t)gm, (uint32_t)t, r->start / g->conf->window_ms,
		    (uint64_t)r->origin.line);
		if (h != NULL)
			hist_merge(h, &r->h);
		hist_release(&r->h);
	}
	run->nk6raw = 0;
	/* Thresholds of earlier files live on their whole-metric summaries. */
	for (i = 0, n = 0; i < run->nsummaries; i++) {
		struct summary *s = &run->summaries[i];

		if (!is_raw_source(run, s->origin.src)) {
			run->summaries[n++] = *s;
			continue;
		}
		if (s->sel.nlabels == 0 && (gm = k6r_metric_intern(g, s->sel.name,
		    strlen(s->sel.name))) >= 0 && g->m[gm].nthr == 0)
			for (j = 0; j < s->nthresholds; j++) {
				g->m[gm].thr = xreallocarray(g->m[gm].thr, g->m[gm].nthr + 1,
				    sizeof *g->m[gm].thr);
				g->m[gm].thr[g->m[gm].nthr++] = xstrdup(s->thresholds[j].expr);
			}
		free(s->stats);
		free(s->thresholds);
	}
	run->nsummaries = n;
	for (i = 0, n = 0; i < run->nseries; i++) {
		if (!is_raw_source(run, run->series[i].origin.src)) {
			run->series[n++] = run->series[i];
			continue;
		}
		free(run->series[i].pts);
		free(run->series[i].lines);
	}
	run->nseries = n;
	return 0;
}

/* ---- the entry points ---------------------------------------------------- */

int
in_k6raw_sniff(const char *head, size_t len)
{
	const char *nl, *q;
	size_t n;

	if (head == NULL || len < 2)
		return 0;
	nl = memchr(head, '\n', len);
	n = nl ? (size_t)(nl - head) : len;
	for (q = head; q < head + n && (*q == ' ' || *q == '\t'); q++)
		;
	if (q == head + n || *q != '{')
		return 0;
#define HAS(lit) (memmem(head, n, lit, sizeof(lit) - 1) != NULL)
	return (HAS("\"type\":\"Point\"") || HAS("\"type\":\"Metric\"")) &&
	    HAS("\"metric\":\"") && HAS("\"data\":{");
#undef HAS
}

/* Reports what the parse found; -1 when nothing in it was k6 output. */
static int
report(const struct part *g, const char *display)
{
	uint64_t i;
	int k;

	for (i = 0; i < g->nbad && i < NBAD; i++)
		diag_warning(display, (long)g->bad[i].line, 0, "skipped a corrupt line: %s",
		    why_text[g->bad[i].why]);
	if (g->nbad > NBAD) {
		char list[256];
		size_t off = 0;

		for (k = 0; k < NWHY; k++)
			if (g->bywhy[k] && off < sizeof list)
				off += (size_t)snprintf(list + off, sizeof list - off, "%s%llu %s",
				    off ? ", " : "", (unsigned long long)g->bywhy[k], why_text[k]);
		diag_warning(display, 0, 0, "skipped %llu corrupt lines of %llu in all (%s)",
		    (unsigned long long)g->nbad, (unsigned long long)g->lines, list);
	}
	if (g->tag_overflow)
		diag_warning(display, 0, 0, "more than %d distinct tag sets: tag %s has too many "
		    "values (IDs in it?); its values past the limit are counted as \"(other)\"; "
		    "split by other tags (split_tags)", LIM_K6RAW_TAGSETS,
		    diag_q(g->conf->split[g->exploded], g->conf->splitlen[g->exploded]));
	if (g->dropped_points)
		diag_warning(display, 0, 0, "%llu points not counted: more than %d metrics or "
		    "%d metric x tag set x window histograms", (unsigned long long)g->dropped_points,
		    LIM_K6RAW_METRICS, LIM_K6RAW_HISTS);
	if (g->points == 0 && g->nm == 0) {
		diag_error(display, 0, 0, "no k6 Point or Metric line in %llu lines; expected "
		    "k6 --out json output", (unsigned long long)g->lines);
		return -1;
	}
	return 0;
}

/* Merges the parts into the run and derives; the parts are released. */
static int
finish(struct run *run, int src, const struct conf *conf, struct part *parts, int n,
    const char *display)
{
	struct part g;
	uint64_t line0 = 0;
	int i, rc;

	k6r_part_init(&g, conf);
	g.src = src;
	for (i = 0; i < n; i++) {
		parts[i].line0 = line0;
		line0 += parts[i].lines;
		merge_part(&g, &parts[i]);
		k6r_part_release(&parts[i]);
	}
	if ((rc = report(&g, display)) == 0) {
		if (g.have_t) {
			run->sources[src].have_duration = 1;
			run->sources[src].duration_ms = (double)(g.tmax - g.tmin);
		}
		run->sources[src].format = arena_strdup(&run->arena, FORMAT);
		if ((rc = absorb_run(&g, run, display)) == 0) {
			k6r_derive(run, &g);
			k6r_store(run, &g);
		}
	}
	k6r_part_release(&g);
	return rc;
}

int
in_k6raw_import_mem(struct run *run, int src, const struct import_opts *o, const char *display,
    const char *data, size_t len)
{
	struct conf conf;
	struct part p;

	if (conf_init(&conf, o, display) == -1)
		return -1;
	k6r_part_init(&p, &conf);
	p.src = src;
	k6r_parse_chunk(&p, data, len);
	return finish(run, src, &conf, &p, 1, display);
}

/*
 * One k6 raw file's reading (no run touched): the parts its lines were
 * parsed into, and what was read. Done on the importing thread, or ahead
 * of time on a thread of its own (in_k6raw_read_ahead) while other
 * runners' files are read beside it.
 */
struct k6raw_ahead {
	struct conf		 conf;
	struct part		 parts[MAXPARTS];
	int			 n, rc, gz;
	size_t			 nbytes;
	char			 sha[65];
	char			*msgs;		/* reading's diagnostics, for diag_replay */
	size_t			 nmsgs;
	struct diag_held	 held;
};

static int
read_file(struct k6raw_ahead *a, const struct import_opts *o, struct input *in)
{
	struct stat st;
	const char *display = in->display;
	char *want = in->flags & IMPORT_HASH ? a->sha : NULL;
	int i;

	a->n = 1;
	a->gz = in->gzipped;
	a->sha[0] = '\0';
	for (i = 0; i < MAXPARTS; i++)
		k6r_part_init(&a->parts[i], &a->conf);
	if (conf_init(&a->conf, o, display) == -1)
		return -1;
	if (fstat(in->fd, &st) == -1 || lseek(in->fd, 0, SEEK_SET) == -1) {
		diag_syserr(display, "cannot read: %s", strerror(errno));
		return -1;
	}
	if (S_ISREG(st.st_mode) && !a->gz && st.st_size > 0) {
		a->nbytes = (size_t)st.st_size;
		return k6r_read_mapped(a->parts, &a->n, in->fd, a->nbytes, display, want);
	}
	return k6r_read_stream(&a->parts[0], in->fd, a->gz, S_ISREG(st.st_mode) ?
	    (uint64_t)st.st_size : 0, display, want, &a->nbytes);
}

void
in_k6raw_read_ahead(const struct import_opts *o, struct input *in)
{
	struct k6raw_ahead *a = xcalloc(1, sizeof *a);
	FILE *f = open_memstream(&a->msgs, &a->nmsgs);

	/* Messages wait for their turn; no progress line races another file's. */
	diag_capture(f ? f : stderr);
	k6r_quiet = 1;
	a->rc = read_file(a, o, in);
	k6r_quiet = 0;
	diag_capture_end(&a->held);
	if (f)
		fclose(f);
	in->ahead = a;
}

void
in_k6raw_ahead_free(void *p)
{
	struct k6raw_ahead *a = p;
	int i;

	if (a == NULL)
		return;
	for (i = 0; i < MAXPARTS; i++)
		k6r_part_release(&a->parts[i]);
	free(a->msgs);
	free(a);
}

int
in_k6raw_import_fd(struct run *run, int src, const struct import_opts *o, struct input *in)
{
	struct k6raw_ahead *a = in->ahead;
	int i, rc;

	if (a) {
		in->ahead = NULL;
		diag_replay(a->msgs ? a->msgs : "", a->nmsgs, &a->held);
	} else {
		a = xcalloc(1, sizeof *a);
		a->rc = read_file(a, o, in);
	}
	run->sources[src].size = a->nbytes;
	run->sources[src].gzipped = a->gz;
	memcpy(run->sources[src].sha256, a->sha, sizeof a->sha);
	rc = a->rc;
	if (rc == 0) {
		rc = finish(run, src, &a->conf, a->parts, a->n, in->display);
		/* finish released the parts it merged */
		for (i = 0; i < a->n; i++)
			k6r_part_init(&a->parts[i], &a->conf);
	}
	in_k6raw_ahead_free(a);
	return rc;
}
