/*
 * in_k6raw_scan.c — the k6 raw line scanner: the two line shapes (Metric
 * declarations and Points) read without a JSON library, strings by memchr,
 * numbers and times on exact fast paths; each line into its part's tables. Part of the k6
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
char *
k6r_str_decode(const char *s, size_t n, size_t *outlen)
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
		ln->tagset = k6r_tagset_intern(p);
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
			if (esc && (dk = k6r_str_decode(k, kl, &dkl)) != NULL) {
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
	ln->tagset = k6r_tagset_intern(p);
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

void
k6r_bad_line(struct part *p, uint64_t line, enum why why)
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
			if ((s = k6r_str_decode(q + 1, (size_t)(c - q - 1), NULL)) != NULL) {
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
		return k6r_metric_intern(p, s, n);
	if ((d = k6r_str_decode(s, n, &n)) == NULL)
		return -2;
	mi = k6r_metric_intern(p, d, n);
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
		k6r_bad_line(p, line, BAD_JSON);
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
			k6r_bad_line(p, line, BAD_VALUE);
			return;
		}
		if (time_parse(p, ln.time, ln.timel, &ms) == -1) {
			k6r_bad_line(p, line, BAD_TIME);
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
			ln.tagset = k6r_tagset_intern(p);
		}
		w = ms >= 0 ? ms / p->conf->window_ms : -((-ms - 1) / p->conf->window_ms) - 1;
		m = &p->m[mi];
		if (m->c_tagset == ln.tagset && m->c_win == w)
			h = &p->he[m->c_hent].h;
		else if ((h = k6r_hent_get(p, (uint32_t)mi, ln.tagset, w, line)) == NULL) {
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
	k6r_bad_line(p, line, BAD_TYPE);
	return;
fields:
	k6r_bad_line(p, line, BAD_FIELDS);
	return;
truncated:
	k6r_bad_line(p, line, BAD_TRUNCATED);
	return;
bad:
	/* A cut-off line (k6 killed mid-write) no longer ends its object. */
	k6r_bad_line(p, line, e[-1] == '}' ? BAD_JSON : BAD_TRUNCATED);
}

/* Every line of [s, s + n); the last may lack its newline (end of input). */
void
k6r_parse_chunk(struct part *p, const char *s, size_t n)
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
			k6r_bad_line(p, p->lines, BAD_LONG);
		else if (nl > s && !(nl - s == 1 && *s == '\r'))
			parse_line(p, s, nl[-1] == '\r' ? nl - 1 : nl, p->lines);
		s = nl + 1;
	}
}

