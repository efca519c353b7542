/*
 * in_k6raw.c — k6 raw output (`k6 run --out json=F[.gz]`, shared corpus
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

#include <zlib.h>
#include <zstd.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/fsio.h"
#include "model/hist.h"
#include "in/import.h"
#include "model/run.h"
#include "util/sha256.h"
#include "util/splimits.h"
#include "util/strnum.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

#define FORMAT		"k6-raw-ndjson"
#define NBAD		5		/* bad lines reported by number */
#define MAXPARTS	8
#define STREAM_BUF	(4u * 1024 * 1024)
#define DROP_BEHIND	(4u * 1024 * 1024)	/* unmap parsed bytes this often: flat RSS */

static const char *const default_split[] = {
	"scenario", "channel", "status", "expected_response", "name", NULL
};

enum why { BAD_JSON, BAD_TRUNCATED, BAD_LONG, BAD_TIME, BAD_VALUE, BAD_TYPE, BAD_FIELDS, NWHY };

static const char *const why_text[NWHY] = {
	"not a k6 JSON object",
	"truncated (the last line of a killed k6?)",
	"longer than the line limit",
	"bad \"time\"",
	"bad \"value\"",
	"unknown line \"type\"",
	"a Point without \"metric\", \"time\" or \"value\"",
};

struct conf {
	int64_t		 window_ms;
	int		 nsplit;
	const char	*split[LIM_K6RAW_SPLIT];
	size_t		 splitlen[LIM_K6RAW_SPLIT];
};

struct metric {
	char		*name;		/* decoded */
	size_t		 len;
	uint64_t	 hash;
	int		 declared;
	enum metric_type type;
	int		 contains;	/* 0 default/unknown, 1 time, 2 data */
	char		**thr;		/* thresholds, decoded */
	size_t		 nthr;
	uint64_t	 decl_line;
	uint32_t	 c_tagset;	/* the last histogram used: most points hit it again */
	int64_t		 c_win;
	uint32_t	 c_hent;
};

/* A split-tag value set: per split tag a uint32 length (UINT32_MAX: absent) and the bytes. */
struct tagset {
	char		*key;
	size_t		 len;
	uint64_t	 hash;
};

struct hent {
	uint32_t	 metric, tagset;
	int64_t		 win;
	uint64_t	 line;		/* first point's line, relative to the part */
	int		 src;		/* the source it came from */
	struct hist	 h;
};

struct table {			/* open addressing over indices + 1 */
	uint32_t	*slot;
	size_t		 cap;
};

struct bad {
	uint64_t	 line;
	enum why	 why;
};

struct part {
	const struct conf *conf;
	int		 src;
	struct metric	*m;
	size_t		 nm, capm;
	struct table	 mt;
	struct tagset	*ts;
	size_t		 nts, capts;
	struct table	 tt;
	struct hent	*he;
	size_t		 nhe, caphe;
	struct table	 ht;

	uint64_t	 lines, points, nbad, bywhy[NWHY];
	struct bad	 bad[NBAD];
	uint64_t	 dropped_points;	/* past LIM_K6RAW_METRICS or LIM_K6RAW_HISTS */
	int		 tag_overflow;		/* tag sets past LIM_K6RAW_TAGSETS were folded */
	int		 exploded;		/* the split tag with the most values then */
	int		 have_t;
	int64_t		 tmin, tmax;
	int		 skip_first;		/* streaming: the chunk starts inside a long line */

	char		 prev_tags[2048];	/* the last tags object, byte for byte */
	size_t		 prev_tags_len;
	uint32_t	 prev_tagset;
	char		 prev_time[48];
	size_t		 prev_time_len;
	int64_t		 prev_time_ms;
	char		 hour_key[13];		/* "YYYY-MM-DDTHH" of the last time */
	int64_t		 hour_ms;

	/* what one line said (parse scratch) */
	const char	*sv[LIM_K6RAW_SPLIT];
	size_t		 sl[LIM_K6RAW_SPLIT];

	/* mapped-file mode */
	const char	*base;
	size_t		 from, to;
	uint64_t	 line0;			/* lines before this part: set after the join */
	_Atomic uint64_t done;			/* bytes and lines parsed, for the progress line */
	_Atomic uint64_t done_lines;
};

/* ---- small tables ----------------------------------------------------- */

static uint64_t
hash_bytes(const void *p, size_t n, uint64_t h)
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

static void
part_init(struct part *p, const struct conf *c)
{
	memset(p, 0, sizeof *p);
	p->conf = c;
	p->exploded = -1;
}

static void
part_release(struct part *p)
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
static long
metric_intern(struct part *p, const char *s, size_t n)
{
	uint64_t h = hash_bytes(s, n, 1);
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

static long
tagset_find(const struct part *p, const char *key, size_t n, uint64_t h)
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

static uint32_t
tagset_add(struct part *p, const char *key, size_t n, uint64_t h)
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
static void
key_values(const struct conf *c, const char *key, const char **v, size_t *l)
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
			key_values(p->conf, p->ts[i].key, v, l);
			for (j = 0; j < i; j++) {
				key_values(p->conf, p->ts[j].key, w, lw);
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
static uint32_t
tagset_intern(struct part *p)
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
	h = hash_bytes(key, n, 7);
	if ((t = tagset_find(p, key, n, h)) >= 0)
		return (uint32_t)t;
	if (p->nts >= LIM_K6RAW_TAGSETS) {
		if (!p->tag_overflow) {
			p->tag_overflow = 1;
			p->exploded = most_varied(p);
		}
		p->sv[p->exploded] = "(other)";
		p->sl[p->exploded] = 7;
		n = key_build(p->conf, p->sv, p->sl, key, sizeof key);
		h = hash_bytes(key, n, 7);
		if ((t = tagset_find(p, key, n, h)) >= 0)
			return (uint32_t)t;
		if (p->nts >= LIM_K6RAW_TAGSETS + LIM_K6RAW_TAGSETS / 4) {
			const char *none[LIM_K6RAW_SPLIT] = {NULL};
			n = key_build(p->conf, none, p->sl, key, sizeof key);
			h = hash_bytes(key, n, 7);
			if ((t = tagset_find(p, key, n, h)) >= 0)
				return (uint32_t)t;
		}
	}
	return tagset_add(p, key, n, h);
}

/* The histogram of (metric, tagset, window); NULL past LIM_K6RAW_HISTS. */
static struct hist *
hent_get(struct part *p, uint32_t m, uint32_t t, int64_t w, uint64_t line)
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

/* ---- the line scanner ------------------------------------------------- */

static inline const char *
ws(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	return p;
}

/* p at an opening quote: the closing quote, or NULL. */
static inline const char *
str_close(const char *p, const char *e)
{
	const char *q = p + 1, *b;

	for (;;) {
		q = memchr(q, '"', (size_t)(e - q));
		if (q == NULL)
			return NULL;
		for (b = q; b > p + 1 && b[-1] == '\\'; b--)
			;
		if (((q - b) & 1) == 0)
			return q;
		q++;
	}
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decodes the JSON string body s[0..n) (escapes, \uXXXX with surrogate
 * pairs) into a new NUL-terminated string; NULL when it is malformed.
 */
static char *
str_decode(const char *s, size_t n, size_t *outlen)
{
	char *d = xmalloc(n + 1), *o = d;
	size_t i;
	long u, u2;
	int k, x;

	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] < 0x20)
			goto bad;
		if (s[i] != '\\') {
			*o++ = s[i];
			continue;
		}
		if (++i >= n)
			goto bad;
		switch (s[i]) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '/': *o++ = '/'; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u':
			for (u = 0, k = 1; k <= 4; k++) {
				if (i + (size_t)k >= n || (x = hexval(s[i + k])) < 0)
					goto bad;
				u = u * 16 + x;
			}
			i += 4;
			if (u >= 0xd800 && u < 0xdc00 && i + 6 < n &&
			    s[i + 1] == '\\' && s[i + 2] == 'u') {
				for (u2 = 0, k = 3; k <= 6; k++) {
					if (i + (size_t)k >= n || (x = hexval(s[i + k])) < 0)
						goto bad;
					u2 = u2 * 16 + x;
				}
				if (u2 >= 0xdc00 && u2 < 0xe000) {
					u = 0x10000 + ((u - 0xd800) << 10) + (u2 - 0xdc00);
					i += 6;
				}
			}
			if (u >= 0xd800 && u < 0xe000)
				u = 0xfffd;
			if (u == 0)
				goto bad;	/* a NUL would cut the string short */
			if (u < 0x80) {
				*o++ = (char)u;
			} else if (u < 0x800) {
				*o++ = (char)(0xc0 | u >> 6);
				*o++ = (char)(0x80 | (u & 0x3f));
			} else if (u < 0x10000) {
				*o++ = (char)(0xe0 | u >> 12);
				*o++ = (char)(0x80 | ((u >> 6) & 0x3f));
				*o++ = (char)(0x80 | (u & 0x3f));
			} else {
				*o++ = (char)(0xf0 | u >> 18);
				*o++ = (char)(0x80 | ((u >> 12) & 0x3f));
				*o++ = (char)(0x80 | ((u >> 6) & 0x3f));
				*o++ = (char)(0x80 | (u & 0x3f));
			}
			break;
		default:
			goto bad;
		}
	}
	*o = '\0';
	if (outlen)
		*outlen = (size_t)(o - d);
	return d;
bad:
	free(d);
	return NULL;
}

static const char *skip_value(const char *p, const char *e, int depth);

static const char *
skip_container(const char *p, const char *e, int depth)
{
	char close = *p == '{' ? '}' : ']';
	int obj = *p == '{';

	if (depth > LIM_JSON_DEPTH)
		return NULL;
	p = ws(p + 1, e);
	if (p < e && *p == close)
		return p + 1;
	for (;;) {
		if (obj) {
			if (p >= e || *p != '"' || (p = str_close(p, e)) == NULL)
				return NULL;
			p = ws(p + 1, e);
			if (p >= e || *p != ':')
				return NULL;
			p = ws(p + 1, e);
		}
		if ((p = skip_value(p, e, depth + 1)) == NULL)
			return NULL;
		p = ws(p, e);
		if (p >= e)
			return NULL;
		if (*p == close)
			return p + 1;
		if (*p != ',')
			return NULL;
		p = ws(p + 1, e);
	}
}

static const char *
skip_value(const char *p, const char *e, int depth)
{
	const char *q;

	if (p >= e)
		return NULL;
	switch (*p) {
	case '"':
		return (q = str_close(p, e)) ? q + 1 : NULL;
	case '{':
	case '[':
		return skip_container(p, e, depth);
	case 't':
		return e - p >= 4 && memcmp(p, "true", 4) == 0 ? p + 4 : NULL;
	case 'f':
		return e - p >= 5 && memcmp(p, "false", 5) == 0 ? p + 5 : NULL;
	case 'n':
		return e - p >= 4 && memcmp(p, "null", 4) == 0 ? p + 4 : NULL;
	default:
		for (q = p; q < e && (strchr("+-.eE", *q) || (*q >= '0' && *q <= '9')); q++)
			;
		return q > p ? q : NULL;
	}
}

static const double pow10tab[23] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

/* A JSON number at p: the end, or NULL. Exact (Clinger's fast path) or strtod. */
static const char *
num_parse(const char *p, const char *e, double *out)
{
	const char *q = p, *d0;
	uint64_t m = 0;
	int neg = 0, digits = 0, frac = 0, ex = 0, exneg = 0, exd = 0;

	if (q < e && *q == '-') {
		neg = 1;
		q++;
	}
	d0 = q;
	while (q < e && *q >= '0' && *q <= '9') {
		if (digits < 19)
			m = m * 10 + (uint64_t)(*q - '0');
		else
			frac--;		/* digits past 19 scale, they do not count */
		digits++;
		q++;
	}
	if (q == d0 || (q - d0 > 1 && *d0 == '0'))
		return NULL;
	if (q < e && *q == '.') {
		q++;
		d0 = q;
		while (q < e && *q >= '0' && *q <= '9') {
			if (digits < 19) {
				m = m * 10 + (uint64_t)(*q - '0');
				frac++;
			}
			digits++;
			q++;
		}
		if (q == d0)
			return NULL;
	}
	if (q < e && (*q == 'e' || *q == 'E')) {
		q++;
		if (q < e && (*q == '+' || *q == '-'))
			exneg = *q++ == '-';
		d0 = q;
		while (q < e && *q >= '0' && *q <= '9') {
			if (ex < 10000)
				ex = ex * 10 + (*q - '0');
			q++;
			exd++;
		}
		if (exd == 0)
			return NULL;
	}
	ex = (exneg ? -ex : ex) - frac;
	if (digits <= 19 && m < (1ull << 53) && ex >= -22 && ex <= 22) {
		*out = ex < 0 ? (double)m / pow10tab[-ex] : (double)m * pow10tab[ex];
		if (neg)
			*out = -*out;
		return q;
	}
	return strnum_double(p, (size_t)(q - p), out) == 0 ? q : NULL;
}

static inline int
d2(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* The time string s[0..n): the fast shape "YYYY-MM-DDTHH:MM:SS[.f*](Z|±HH:MM)", else timeutil. */
static int
time_parse(struct part *p, const char *s, size_t n, int64_t *ms)
{
	int mi, se, oh, om, k, fr = 0;
	size_t i;
	int64_t off, y;
	size_t errcol;

	if (n == p->prev_time_len && memcmp(s, p->prev_time, n) == 0) {
		*ms = p->prev_time_ms;
		return 0;
	}
	if (n < 20 || n > sizeof p->prev_time || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':')
		goto slow;
	if (memcmp(s, p->hour_key, 13) != 0) {
		int mo = d2(s + 5), d = d2(s + 8), h = d2(s + 11), y1 = d2(s), y2 = d2(s + 2);

		if (mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || y1 < 0 || y2 < 0)
			goto slow;
		y = y1 * 100 + y2;
		p->hour_ms = time_days_from_civil(y, mo, d) * 86400000 + (int64_t)h * 3600000;
		memcpy(p->hour_key, s, 13);
	}
	mi = d2(s + 14);
	se = d2(s + 17);
	if (mi < 0 || mi > 59 || se < 0 || se > 60)
		goto slow;
	i = 19;
	if (s[i] == '.') {
		for (i++, k = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++, k++)
			if (k < 3)
				fr = fr * 10 + (s[i] - '0');
		if (k == 0)
			goto slow;
		for (; k < 3; k++)
			fr *= 10;
	}
	if (i + 1 == n && s[i] == 'Z') {
		off = 0;
	} else if (i + 6 == n && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':') {
		oh = d2(s + i + 1);
		om = d2(s + i + 4);
		if (oh < 0 || oh > 23 || om < 0 || om > 59)
			goto slow;
		off = ((int64_t)oh * 60 + om) * 60000;
		if (s[i] == '-')
			off = -off;
	} else {
		goto slow;
	}
	*ms = p->hour_ms + (int64_t)mi * 60000 + (int64_t)se * 1000 + fr - off;
	goto done;
slow:
	if (time_parse_rfc3339(s, n, ms, &errcol) == -1)
		return -1;
	if (n > sizeof p->prev_time)
		return 0;
done:
	memcpy(p->prev_time, s, n);
	p->prev_time_len = n;
	p->prev_time_ms = *ms;
	return 0;
}

/* What one line said, as spans into it. */
struct line {
	const char	*type, *metric, *time, *dtype, *contains, *name, *thr;
	size_t		 typel, metricl, timel, dtypel, containsl, namel, thrl;
	int		 have_value, have_tags;
	double		 value;
	uint32_t	 tagset;
};

#define KEY(k, lit) ((k##l) == sizeof(lit) - 1 && memcmp((k), (lit), sizeof(lit) - 1) == 0)

/* The tags object at *pp ('{' or null): the split tags' values into p->sv, the tag set into ln. */
static int
parse_tags(struct part *p, const char **pp, const char *e, struct line *ln)
{
	const char *s = *pp, *q, *k, *v;
	size_t kl, vl;
	int i, esc;
	char *dk;
	size_t dkl;

	if (*s == 'n') {
		if (e - s < 4 || memcmp(s, "null", 4) != 0)
			return -1;
		*pp = s + 4;
		for (i = 0; i < p->conf->nsplit; i++)
			p->sv[i] = NULL;
		ln->tagset = tagset_intern(p);
		return 0;
	}
	if (*s != '{')
		return -1;
	if (p->prev_tags_len && (size_t)(e - s) >= p->prev_tags_len &&
	    memcmp(s, p->prev_tags, p->prev_tags_len) == 0) {
		*pp = s + p->prev_tags_len;
		ln->tagset = p->prev_tagset;
		return 0;
	}
	for (i = 0; i < p->conf->nsplit; i++)
		p->sv[i] = NULL;
	q = ws(s + 1, e);
	if (q < e && *q == '}') {
		q++;
		goto done;
	}
	for (;;) {
		if (q >= e || *q != '"' || (k = str_close(q, e)) == NULL)
			return -1;
		kl = (size_t)(k - q - 1);
		k = q + 1;
		q = ws(k + kl + 1, e);
		if (q >= e || *q != ':')
			return -1;
		q = ws(q + 1, e);
		if (q < e && *q == '"') {
			if ((v = str_close(q, e)) == NULL)
				return -1;
			vl = (size_t)(v - q - 1);
			v = q + 1;
			q = v + vl + 1;
			esc = memchr(k, '\\', kl) != NULL;
			dk = NULL;
			if (esc && (dk = str_decode(k, kl, &dkl)) != NULL) {
				k = dk;
				kl = dkl;
			}
			for (i = 0; i < p->conf->nsplit; i++)
				if (kl == p->conf->splitlen[i] && memcmp(k, p->conf->split[i], kl) == 0) {
					p->sv[i] = v;
					p->sl[i] = vl;
				}
			free(dk);
		} else if ((q = skip_value(q, e, 2)) == NULL) {
			return -1;	/* a non-string tag value is skipped, a broken one is not */
		}
		q = ws(q, e);
		if (q >= e)
			return -1;
		if (*q == '}') {
			q++;
			break;
		}
		if (*q != ',')
			return -1;
		q = ws(q + 1, e);
	}
done:
	ln->tagset = tagset_intern(p);
	if ((size_t)(q - s) <= sizeof p->prev_tags) {
		memcpy(p->prev_tags, s, (size_t)(q - s));
		p->prev_tags_len = (size_t)(q - s);
		p->prev_tagset = ln->tagset;
	} else {
		p->prev_tags_len = 0;
	}
	*pp = q;
	return 0;
}

static int
parse_data(struct part *p, const char **pp, const char *e, struct line *ln)
{
	const char *q = *pp, *k, *v;
	size_t kl;

	if (q >= e || *q != '{')
		return -1;
	q = ws(q + 1, e);
	if (q < e && *q == '}') {
		*pp = q + 1;
		return 0;
	}
	for (;;) {
		if (q >= e || *q != '"' || (k = str_close(q, e)) == NULL)
			return -1;
		kl = (size_t)(k - q - 1);
		k = q + 1;
		q = ws(k + kl + 1, e);
		if (q >= e || *q != ':')
			return -1;
		q = ws(q + 1, e);
		if (q >= e)
			return -1;
		if (KEY(k, "value")) {
			if ((v = num_parse(q, e, &ln->value)) == NULL) {
				if ((q = skip_value(q, e, 2)) == NULL)
					return -1;
				ln->have_value = -1;
			} else {
				q = v;
				ln->have_value = 1;
			}
		} else if (KEY(k, "time") || KEY(k, "type") || KEY(k, "contains") || KEY(k, "name")) {
			if (*q != '"') {
				if ((q = skip_value(q, e, 2)) == NULL)
					return -1;
				goto next;
			}
			if ((v = str_close(q, e)) == NULL)
				return -1;
			if (KEY(k, "time")) {
				ln->time = q + 1;
				ln->timel = (size_t)(v - q - 1);
			} else if (KEY(k, "type")) {
				ln->dtype = q + 1;
				ln->dtypel = (size_t)(v - q - 1);
			} else if (KEY(k, "contains")) {
				ln->contains = q + 1;
				ln->containsl = (size_t)(v - q - 1);
			} else {
				ln->name = q + 1;
				ln->namel = (size_t)(v - q - 1);
			}
			q = v + 1;
		} else if (KEY(k, "tags")) {
			if (parse_tags(p, &q, e, ln) == -1)
				return -1;
			ln->have_tags = 1;
		} else if (KEY(k, "thresholds")) {
			v = q;
			if ((q = skip_value(q, e, 2)) == NULL)
				return -1;
			ln->thr = v;
			ln->thrl = (size_t)(q - v);
		} else if ((q = skip_value(q, e, 2)) == NULL) {
			return -1;	/* metadata, submetrics, sub, tainted ... */
		}
next:
		q = ws(q, e);
		if (q >= e)
			return -1;
		if (*q == '}') {
			*pp = q + 1;
			return 0;
		}
		if (*q != ',')
			return -1;
		q = ws(q + 1, e);
	}
}

static void
bad_line(struct part *p, uint64_t line, enum why why)
{
	if (p->nbad < NBAD) {
		p->bad[p->nbad].line = line;
		p->bad[p->nbad].why = why;
	}
	p->nbad++;
	p->bywhy[why]++;
}

/* A Metric line: the first declaration of a metric is the one kept. */
static void
declare(struct part *p, long mi, const struct line *ln, uint64_t line)
{
	struct metric *m = &p->m[mi];
	const char *q, *end, *c;

	if (m->declared)
		return;
	m->declared = 1;
	m->decl_line = line;
	m->type = MT_UNKNOWN;
	if (ln->dtype) {
		if (KEY(ln->dtype, "trend"))
			m->type = MT_TREND;
		else if (KEY(ln->dtype, "rate"))
			m->type = MT_RATE;
		else if (KEY(ln->dtype, "counter"))
			m->type = MT_COUNTER;
		else if (KEY(ln->dtype, "gauge"))
			m->type = MT_GAUGE;
	}
	if (ln->contains)
		m->contains = KEY(ln->contains, "time") ? 1 : KEY(ln->contains, "data") ? 2 : 0;
	if (ln->thr && *ln->thr == '[') {
		end = ln->thr + ln->thrl;
		for (q = ws(ln->thr + 1, end); q < end && *q == '"' && m->nthr < LIM_STATS;) {
			char *s;

			if ((c = str_close(q, end)) == NULL)
				break;
			if ((s = str_decode(q + 1, (size_t)(c - q - 1), NULL)) != NULL) {
				m->thr = xreallocarray(m->thr, m->nthr + 1, sizeof *m->thr);
				m->thr[m->nthr++] = s;
			}
			q = ws(c + 1, end);
			if (q < end && *q == ',')
				q = ws(q + 1, end);
		}
	}
}

static long
metric_of(struct part *p, const char *s, size_t n)
{
	char *d;
	long mi;

	if (memchr(s, '\\', n) == NULL)
		return metric_intern(p, s, n);
	if ((d = str_decode(s, n, &n)) == NULL)
		return -2;
	mi = metric_intern(p, d, n);
	free(d);
	return mi;
}

/* One line [s, e), without its newline; line is relative to the part. */
static void
parse_line(struct part *p, const char *s, const char *e, uint64_t line)
{
	struct line ln;
	const char *q = s, *k, *v;
	size_t kl;
	long mi;
	int64_t ms, w;
	struct hist *h;
	struct metric *m;

	memset(&ln, 0, sizeof ln);
	if (q >= e || *q != '{') {
		bad_line(p, line, BAD_JSON);
		return;
	}
	q = ws(q + 1, e);
	for (;;) {
		if (q >= e)
			goto truncated;
		if (*q != '"')
			goto bad;
		if ((k = str_close(q, e)) == NULL)
			goto truncated;
		kl = (size_t)(k - q - 1);
		k = q + 1;
		q = ws(k + kl + 1, e);
		if (q >= e)
			goto truncated;
		if (*q != ':')
			goto bad;
		q = ws(q + 1, e);
		if (q >= e)
			goto truncated;
		if (KEY(k, "type") || KEY(k, "metric")) {
			if (*q != '"')
				goto bad;
			if ((v = str_close(q, e)) == NULL)
				goto truncated;
			if (KEY(k, "type")) {
				ln.type = q + 1;
				ln.typel = (size_t)(v - q - 1);
			} else {
				ln.metric = q + 1;
				ln.metricl = (size_t)(v - q - 1);
			}
			q = v + 1;
		} else if (KEY(k, "data")) {
			if (parse_data(p, &q, e, &ln) == -1)
				goto bad;
		} else if ((q = skip_value(q, e, 1)) == NULL) {
			goto bad;
		}
		q = ws(q, e);
		if (q >= e)
			goto truncated;
		if (*q == '}')
			break;
		if (*q != ',')
			goto bad;
		q = ws(q + 1, e);
	}
	if (ws(q + 1, e) != e)
		goto bad;
	if (ln.type == NULL)
		goto fields;
	if (KEY(ln.type, "Point")) {
		if (ln.metric == NULL || ln.time == NULL || ln.have_value == 0)
			goto fields;
		if (ln.have_value < 0 || !isfinite(ln.value)) {
			bad_line(p, line, BAD_VALUE);
			return;
		}
		if (time_parse(p, ln.time, ln.timel, &ms) == -1) {
			bad_line(p, line, BAD_TIME);
			return;
		}
		if ((mi = metric_of(p, ln.metric, ln.metricl)) < 0) {
			if (mi == -2)
				goto bad;
			p->dropped_points++;
			return;
		}
		if (!ln.have_tags) {
			int i;

			for (i = 0; i < p->conf->nsplit; i++)
				p->sv[i] = NULL;
			ln.tagset = tagset_intern(p);
		}
		w = ms >= 0 ? ms / p->conf->window_ms : -((-ms - 1) / p->conf->window_ms) - 1;
		m = &p->m[mi];
		if (m->c_tagset == ln.tagset && m->c_win == w)
			h = &p->he[m->c_hent].h;
		else if ((h = hent_get(p, (uint32_t)mi, ln.tagset, w, line)) == NULL) {
			p->dropped_points++;
			return;
		}
		hist_add_at(h, ln.value, ms);
		p->points++;
		if (!p->have_t || ms < p->tmin)
			p->tmin = ms;
		if (!p->have_t || ms > p->tmax)
			p->tmax = ms;
		p->have_t = 1;
		return;
	}
	if (KEY(ln.type, "Metric")) {
		if (ln.metric == NULL && ln.name == NULL)
			goto fields;
		mi = ln.metric ? metric_of(p, ln.metric, ln.metricl) : metric_of(p, ln.name, ln.namel);
		if (mi == -2)
			goto bad;
		if (mi >= 0)
			declare(p, mi, &ln, line);
		return;
	}
	bad_line(p, line, BAD_TYPE);
	return;
fields:
	bad_line(p, line, BAD_FIELDS);
	return;
truncated:
	bad_line(p, line, BAD_TRUNCATED);
	return;
bad:
	/* A cut-off line (k6 killed mid-write) no longer ends its object. */
	bad_line(p, line, e[-1] == '}' ? BAD_JSON : BAD_TRUNCATED);
}

/* Every line of [s, s + n); the last may lack its newline (end of input). */
static void
parse_chunk(struct part *p, const char *s, size_t n)
{
	const char *e = s + n, *nl;

	if (p->skip_first) {
		/* The rest of a line already counted as too long. */
		nl = memchr(s, '\n', n);
		if (nl == NULL)
			return;
		s = nl + 1;
		p->skip_first = 0;
	}
	while (s < e) {
		nl = memchr(s, '\n', (size_t)(e - s));
		if (nl == NULL)
			nl = e;
		p->lines++;
		if ((size_t)(nl - s) > LIM_K6RAW_LINE)
			bad_line(p, p->lines, BAD_LONG);
		else if (nl > s && !(nl - s == 1 && *s == '\r'))
			parse_line(p, s, nl[-1] == '\r' ? nl - 1 : nl, p->lines);
		s = nl + 1;
	}
}

/* ---- reading: a mapped file in parallel parts, or a stream ------------ */

static void
drop_pages(const char *base, size_t from, size_t to)
{
	long pg = sysconf(_SC_PAGESIZE);
	uintptr_t a = ((uintptr_t)(base + from) + (uintptr_t)pg - 1) & ~((uintptr_t)pg - 1);
	uintptr_t b = (uintptr_t)(base + to) & ~((uintptr_t)pg - 1);

	if (b > a)
		(void)madvise((void *)a, b - a, MADV_DONTNEED);
}

static void *
part_main(void *arg)
{
	struct part *p = arg;
	size_t off = p->from, end;
	const char *nl;

	while (off < p->to) {
		end = p->to - off > DROP_BEHIND ? off + DROP_BEHIND : p->to;
		if (end < p->to) {
			nl = memchr(p->base + end, '\n', p->to - end);
			end = nl ? (size_t)(nl - p->base) + 1 : p->to;
		}
		parse_chunk(p, p->base + off, end - off);
		drop_pages(p->base, off, end);
		off = end;
		atomic_store_explicit(&p->done_lines, p->lines, memory_order_relaxed);
		atomic_store_explicit(&p->done, off - p->from, memory_order_relaxed);
	}
	return NULL;
}

struct hasher {
	const char	*base;
	size_t		 n;
	char		 hex[65];
	_Atomic uint64_t done;
};

static void *
hash_main(void *arg)
{
	struct hasher *h = arg;
	struct sha256 c;
	size_t off = 0, k;

	sha256_init(&c);
	while (off < h->n) {
		k = h->n - off > DROP_BEHIND ? DROP_BEHIND : h->n - off;
		sha256_update(&c, h->base + off, k);
		drop_pages(h->base, off, off + k);
		off += k;
		atomic_store_explicit(&h->done, off, memory_order_relaxed);
	}
	sha256_final(&c, h->hex);
	return NULL;
}

/* Progress on stderr, when it is a terminal, at most four times a second. */
struct progress {
	int		 on;
	const char	*name;
	uint64_t	 total;
	struct timespec	 t0, last;
};

static double
secs_since(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(b.tv_sec - a->tv_sec) + (double)(b.tv_nsec - a->tv_nsec) / 1e9;
}

static void
progress_init(struct progress *pr, const char *name, uint64_t total)
{
	memset(pr, 0, sizeof *pr);
	pr->on = isatty(2);
	pr->name = name;
	pr->total = total;
	clock_gettime(CLOCK_MONOTONIC, &pr->t0);
	pr->last = pr->t0;
}

static void
progress_show(struct progress *pr, uint64_t done, uint64_t lines)
{
	double el;

	if (!pr->on || secs_since(&pr->last) < 0.25)
		return;
	clock_gettime(CLOCK_MONOTONIC, &pr->last);
	el = secs_since(&pr->t0);
	fprintf(stderr, "\rsloproof: %s: %.1f of %.1f MB, %.1f M lines/s",
	    pr->name, (double)done / 1e6, (double)pr->total / 1e6,
	    el > 0 ? (double)lines / el / 1e6 : 0.0);
	if (done > 0 && done < pr->total)
		fprintf(stderr, ", ETA %.0f s", el * (double)(pr->total - done) / (double)done);
	fputs("\033[K", stderr);
}

static void
progress_end(struct progress *pr)
{
	if (pr->on && secs_since(&pr->t0) >= 0.25)
		fputs("\r\033[K", stderr);
}

static int
nthreads(size_t size)
{
	const char *e = getenv("SLOPROOF_THREADS");
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	long long v;

	if (e && strnum_ll(e, strlen(e), &v) == 0 && v >= 1 && v <= MAXPARTS)
		return (int)v;
	if (size < 4u * 1024 * 1024 || n < 1)
		return 1;
	return n > MAXPARTS ? MAXPARTS : (int)n;
}

/* A regular file: mapped, cut into parts at line boundaries, one thread each, one hashing. */
static int
read_mapped(struct part *parts, int *nparts, int fd, size_t size, const char *display,
    char *sha)
{
	pthread_t th[MAXPARTS], hth;
	struct hasher hs;
	struct progress pr;
	const char *base, *nl;
	size_t cut[MAXPARTS + 1];
	uint64_t done, lines;
	int n = nthreads(size), i, started = 0, hashing;
	struct timespec nap = {0, 50 * 1000 * 1000};

	base = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (base == MAP_FAILED) {
		diag_syserr(display, "cannot map the file: %s", strerror(errno));
		return -1;
	}
	memset(&hs, 0, sizeof hs);
	/* Hashing only when asked (bundle, --hash): it is a pass of its own over every byte. */
	hs.n = sha ? size : 0;
	hs.base = sha ? mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0) : base;
	if (hs.base == MAP_FAILED) {
		munmap((void *)base, size);
		diag_syserr(display, "cannot map the file: %s", strerror(errno));
		return -1;
	}
	cut[0] = 0;
	for (i = 1; i < n; i++) {
		cut[i] = size / (size_t)n * (size_t)i;
		if (cut[i] < cut[i - 1])
			cut[i] = cut[i - 1];
		nl = memchr(base + cut[i], '\n', size - cut[i]);
		cut[i] = nl ? (size_t)(nl - base) + 1 : size;
	}
	cut[n] = size;
	for (i = 0; i < n; i++) {
		parts[i].base = base;
		parts[i].from = cut[i];
		parts[i].to = cut[i] < cut[i + 1] ? cut[i + 1] : cut[i];
	}
	*nparts = n;
	hashing = sha && pthread_create(&hth, NULL, hash_main, &hs) == 0;
	for (i = 0; i < n; i++) {
		if (pthread_create(&th[i], NULL, part_main, &parts[i]) != 0)
			break;
		started++;
	}
	for (i = started; i < n; i++)
		part_main(&parts[i]);	/* no thread: do it here */
	if (!hashing && sha)
		hash_main(&hs);
	progress_init(&pr, display, (uint64_t)size);
	for (;;) {
		done = 0;
		lines = 0;
		for (i = 0; i < n; i++) {
			done += atomic_load_explicit(&parts[i].done, memory_order_relaxed);
			lines += atomic_load_explicit(&parts[i].done_lines, memory_order_relaxed);
		}
		if (done >= size)
			break;
		progress_show(&pr, done, lines);
		nanosleep(&nap, NULL);
	}
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	if (hashing)
		pthread_join(hth, NULL);
	progress_end(&pr);
	if (sha) {
		memcpy(sha, hs.hex, 65);
		munmap((void *)hs.base, size);
	}
	munmap((void *)base, size);
	return 0;
}

/*
 * A stream (gzip, or not a regular file): this thread reads, hashes and
 * inflates into a ring of buffers that end at line boundaries; a second
 * thread parses them. A buffer that fills up without a newline holds part
 * of an over-long line and is handed over marked, unparsed.
 */
#define NSB 4

struct stream {
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	char		*buf[NSB];
	size_t		 len[NSB];
	int		 full[NSB], longl[NSB];
	int		 eof;
	struct part	*p;
};

static void *
stream_main(void *arg)
{
	struct stream *st = arg;
	int i = 0;

	for (;;) {
		pthread_mutex_lock(&st->mu);
		while (!st->full[i] && !st->eof)
			pthread_cond_wait(&st->cv, &st->mu);
		if (!st->full[i]) {
			pthread_mutex_unlock(&st->mu);
			return NULL;
		}
		pthread_mutex_unlock(&st->mu);
		if (st->longl[i]) {
			if (!st->p->skip_first) {
				st->p->lines++;
				bad_line(st->p, st->p->lines, BAD_LONG);
				st->p->skip_first = 1;
			}
		} else {
			parse_chunk(st->p, st->buf[i], st->len[i]);
		}
		atomic_store_explicit(&st->p->done_lines, st->p->lines, memory_order_relaxed);
		pthread_mutex_lock(&st->mu);
		st->full[i] = 0;
		pthread_cond_broadcast(&st->cv);
		pthread_mutex_unlock(&st->mu);
		i = (i + 1) % NSB;
	}
}

/* Hands buffer i (len bytes) to the parser; waits until buffer i is free again when asked. */
static void
stream_put(struct stream *st, int i, size_t len, int longl)
{
	pthread_mutex_lock(&st->mu);
	st->len[i] = len;
	st->longl[i] = longl;
	st->full[i] = 1;
	pthread_cond_broadcast(&st->cv);
	pthread_mutex_unlock(&st->mu);
}

static void
stream_wait_free(struct stream *st, int i)
{
	pthread_mutex_lock(&st->mu);
	while (st->full[i])
		pthread_cond_wait(&st->cv, &st->mu);
	pthread_mutex_unlock(&st->mu);
}

static int
read_stream(struct part *p, int fd, int codec, uint64_t size_hint, const char *display,
    char *sha, size_t *nbytes)
{
	int gz = codec == 1, zs = codec == 2, zpending = 0;
	ZSTD_DCtx *zd = NULL;
	ZSTD_inBuffer zin = {NULL, 0, 0};
	size_t zlast = 0;
	struct stream st;
	struct sha256 c;
	struct progress pr;
	pthread_t th;
	z_stream z;
	unsigned char *in = xmalloc(256 * 1024);
	char *carry = xmalloc(STREAM_BUF);
	size_t carryl = 0, fill, k;
	ssize_t r;
	int i, cur = 0, threaded, zr = Z_OK, rc = 0, in_eof = 0, zdone = 0;
	char *b, *nl;

	memset(&st, 0, sizeof st);
	pthread_mutex_init(&st.mu, NULL);
	pthread_cond_init(&st.cv, NULL);
	for (i = 0; i < NSB; i++)
		st.buf[i] = xmalloc(STREAM_BUF);
	st.p = p;
	memset(&z, 0, sizeof z);
	if (gz && inflateInit2(&z, 15 + 32) != Z_OK) {
		diag_syserr(display, "cannot start gzip decoder");
		rc = -1;
		gz = 0;
		in_eof = 1;
	}
	if (zs && (zd = ZSTD_createDCtx()) == NULL) {
		diag_syserr(display, "cannot start zstd decoder");
		rc = -1;
		zs = 0;
		in_eof = 1;
	}
	sha256_init(&c);
	*nbytes = 0;
	threaded = pthread_create(&th, NULL, stream_main, &st) == 0;
	progress_init(&pr, display, size_hint);
	while (!in_eof || carryl) {
		if (threaded)
			stream_wait_free(&st, cur);
		b = st.buf[cur];
		memcpy(b, carry, carryl);
		fill = carryl;
		carryl = 0;
		while (fill < STREAM_BUF && !in_eof) {
			if (zs && (zin.pos < zin.size || zpending)) {
				/* zstd (a bundle's stored evidence): frames one after another. */
				ZSTD_outBuffer ob = {b + fill, STREAM_BUF - fill, 0};

				zlast = ZSTD_decompressStream(zd, &ob, &zin);
				if (ZSTD_isError(zlast)) {
					diag_warning(display, 0, 0, "corrupt zstd data after %zu bytes (%s); "
					    "the rest of the file is not read", *nbytes, ZSTD_getErrorName(zlast));
					in_eof = 1;
					zlast = 0;
				}
				fill += ob.pos;
				zpending = ob.pos == ob.size;
				continue;
			}
			if (gz && z.avail_in > 0 && !zdone) {
				z.next_out = (unsigned char *)b + fill;
				z.avail_out = (uInt)(STREAM_BUF - fill);
				zr = inflate(&z, Z_NO_FLUSH);
				fill = STREAM_BUF - z.avail_out;
				if (zr == Z_STREAM_END) {
					if (z.avail_in > 0)
						inflateReset(&z);	/* concatenated members */
					else
						zdone = 1;
				} else if (zr != Z_OK && zr != Z_BUF_ERROR) {
					diag_warning(display, 0, 0, "corrupt gzip data after %zu bytes; "
					    "the rest of the file is not read", *nbytes);
					in_eof = 1;
				}
				continue;
			}
			r = gz || zs ? read(fd, in, 256 * 1024) : read(fd, b + fill, STREAM_BUF - fill);
			if (r == -1 && errno == EINTR)
				continue;
			if (r == -1) {
				diag_syserr(display, "cannot read: %s", strerror(errno));
				rc = -1;
				in_eof = 1;
				break;
			}
			if (r == 0) {
				if (gz && !zdone)
					diag_warning(display, 0, 0, "gzip data ends early (a killed k6?); "
					    "read what was there");
				if (zs && zlast != 0)
					diag_warning(display, 0, 0, "zstd data ends early; read what was there");
				in_eof = 1;
				break;
			}
			if (sha)
				sha256_update(&c, gz || zs ? (char *)in : b + fill, (size_t)r);
			*nbytes += (size_t)r;
			if (zs) {
				zin.src = in;
				zin.size = (size_t)r;
				zin.pos = 0;
			} else if (gz) {
				z.next_in = in;
				z.avail_in = (uInt)r;
				if (zdone) {
					inflateReset(&z);
					zdone = 0;
				}
			} else {
				fill += (size_t)r;
			}
		}
		/* Hand over whole lines; the unfinished tail waits for the next buffer. */
		if (!in_eof || carryl) {
			nl = NULL;
			for (k = fill; k > 0; k--)
				if (b[k - 1] == '\n') {
					nl = b + k - 1;
					break;
				}
			if (nl == NULL && fill == STREAM_BUF) {
				if (threaded) {
					stream_put(&st, cur, fill, 1);
				} else if (!p->skip_first) {
					p->lines++;
					bad_line(p, p->lines, BAD_LONG);
					p->skip_first = 1;
				}
				cur = (cur + 1) % NSB;
				progress_show(&pr, *nbytes, atomic_load(&p->done_lines));
				continue;
			}
			if (nl != NULL) {
				size_t tail = fill - (size_t)(nl + 1 - b);

				memcpy(carry, nl + 1, tail);
				carryl = tail;
				fill -= tail;
			}
		}
		if (threaded)
			stream_put(&st, cur, fill, 0);
		else
			parse_chunk(p, b, fill);
		cur = (cur + 1) % NSB;
		progress_show(&pr, *nbytes, atomic_load(&p->done_lines));
		if (in_eof && carryl == 0)
			break;
	}
	if (threaded) {
		pthread_mutex_lock(&st.mu);
		st.eof = 1;
		pthread_cond_broadcast(&st.cv);
		pthread_mutex_unlock(&st.mu);
		pthread_join(th, NULL);
	}
	progress_end(&pr);
	if (gz)
		inflateEnd(&z);
	ZSTD_freeDCtx(zd);
	if (sha)
		sha256_final(&c, sha);
	for (i = 0; i < NSB; i++)
		free(st.buf[i]);
	free(in);
	free(carry);
	pthread_mutex_destroy(&st.mu);
	pthread_cond_destroy(&st.cv);
	return rc;
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
static void
builtin(const char *name, enum metric_type *type, int *contains)
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
		long gm = metric_intern(g, p->m[i].name, p->m[i].len);

		mm[i] = gm < 0 ? UINT32_MAX : (uint32_t)gm;
		if (gm >= 0)
			declare_from(&g->m[gm], &p->m[i], p->line0);
	}
	for (i = 0; i < p->nts; i++) {
		key_values(p->conf, p->ts[i].key, v, l);
		n = 0;
		for (k = 0; k < p->conf->nsplit; k++) {
			dv[k] = NULL;
			if (v[k] && memchr(v[k], '\\', l[k]) && (dv[k] = str_decode(v[k], l[k], &l[k])))
				v[k] = dv[k];
			n += 4 + l[k];
		}
		key = xmalloc(n + 1);
		n = key_build(p->conf, v, l, key, n + 1);
		uint64_t hh = hash_bytes(key, n, 7);
		t = tagset_find(g, key, n, hh);
		tm[i] = t >= 0 ? (uint32_t)t : tagset_add(g, key, n, hh);
		free(key);
		for (k = 0; k < p->conf->nsplit; k++)
			free(dv[k]);
	}
	for (i = 0; i < p->nhe; i++) {
		struct hent *e = &p->he[i];

		if (mm[e->metric] == UINT32_MAX ||
		    (h = hent_get(g, mm[e->metric], tm[e->tagset], e->win, e->line + p->line0)) == NULL) {
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
		if ((gm = metric_intern(g, r->metric, strlen(r->metric))) < 0)
			continue;
		if (r->type != MT_UNKNOWN && !g->m[gm].declared) {
			g->m[gm].declared = 1;
			g->m[gm].type = r->type;
			g->m[gm].contains = r->unit == UNIT_MS ? 1 : r->unit == UNIT_BYTES ? 2 : 0;
		}
		if ((n = key_build(g->conf, v, l, key, sizeof key)) == (size_t)-1)
			continue;
		uint64_t hh = hash_bytes(key, n, 7);
		t = tagset_find(g, key, n, hh);
		if (t < 0)
			t = tagset_add(g, key, n, hh);
		g->src = r->origin.src;
		h = hent_get(g, (uint32_t)gm, (uint32_t)t, r->start / g->conf->window_ms,
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
		if (s->sel.nlabels == 0 && (gm = metric_intern(g, s->sel.name,
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

static int
label_cmp(const void *a, const void *b)
{
	return strcmp(((const struct label *)a)->key, ((const struct label *)b)->key);
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
	uint64_t h = hash_bytes(key, n, 11);
	long t = tagset_find(gr, key, n, h);
	struct group *g;

	if (t >= 0)
		return (uint32_t)t;
	t = tagset_add(gr, key, n, h);
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

	builtin(m->name, &bt, &contains);
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
static void
derive(struct run *run, struct part *g)
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

	part_init(&gr, g->conf);
	for (i = 0; i < g->nhe; i++) {
		struct hent *e = &g->he[i];

		if (!have || e->h.first_t < first)
			first = e->h.first_t;
		if (!have || e->h.last_t > last)
			last = e->h.last_t;
		have = 1;
		key_values(g->conf, g->ts[e->tagset].key, v, l);
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
	part_release(&gr);
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
static void
store(struct run *run, struct part *g)
{
	const char *v[LIM_K6RAW_SPLIT];
	size_t l[LIM_K6RAW_SPLIT], i, n;
	struct label **tl = xcalloc(g->nts + 1, sizeof *tl);
	size_t *ntl = xcalloc(g->nts + 1, sizeof *ntl);
	int c;

	for (i = 0; i < g->nts; i++) {
		key_values(g->conf, g->ts[i].key, v, l);
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

	part_init(&g, conf);
	g.src = src;
	for (i = 0; i < n; i++) {
		parts[i].line0 = line0;
		line0 += parts[i].lines;
		merge_part(&g, &parts[i]);
		part_release(&parts[i]);
	}
	if ((rc = report(&g, display)) == 0) {
		if (g.have_t) {
			run->sources[src].have_duration = 1;
			run->sources[src].duration_ms = (double)(g.tmax - g.tmin);
		}
		run->sources[src].format = arena_strdup(&run->arena, FORMAT);
		if ((rc = absorb_run(&g, run, display)) == 0) {
			derive(run, &g);
			store(run, &g);
		}
	}
	part_release(&g);
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
	part_init(&p, &conf);
	p.src = src;
	parse_chunk(&p, data, len);
	return finish(run, src, &conf, &p, 1, display);
}

int
in_k6raw_import_path(struct run *run, int src, const struct import_opts *o, const char *path,
    const char *display)
{
	struct conf conf;
	struct part parts[MAXPARTS];
	struct stat st;
	unsigned char magic[4];
	size_t nbytes = 0;
	int fd, i, n = 1, gz, rc;
	char sha[65] = "";

	if (conf_init(&conf, o, display) == -1)
		return -1;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 || fstat(fd, &st) == -1) {
		diag_error(display, 0, 0, "cannot open: %s", strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	for (i = 0; i < MAXPARTS; i++) {
		part_init(&parts[i], &conf);
		parts[i].src = src;
	}
	i = (int)pread(fd, magic, 4, 0);
	gz = i >= 2 && magic[0] == 0x1f && magic[1] == 0x8b ? 1 :
	    i == 4 && fsio_is_zstd(magic, 4) ? 2 : 0;
	if (S_ISREG(st.st_mode) && !gz && st.st_size > 0) {
		nbytes = (size_t)st.st_size;
		rc = read_mapped(parts, &n, fd, nbytes, display, o && o->hash ? sha : NULL);
	} else {
		rc = read_stream(&parts[0], fd, gz, S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0,
		    display, o && o->hash ? sha : NULL, &nbytes);
	}
	close(fd);
	run->sources[src].size = nbytes;
	run->sources[src].gzipped = gz;
	memcpy(run->sources[src].sha256, sha, sizeof sha);
	if (rc == 0)
		rc = finish(run, src, &conf, parts, n, display);
	for (i = rc == 0 ? n : 0; i < MAXPARTS; i++)
		part_release(&parts[i]);
	return rc;
}
