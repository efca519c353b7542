/*
 * hist.c — the log-linear histogram of hist.h. A bucket index is the top
 * bits of the IEEE-754 double (exponent and HIST_SUB_BITS of mantissa),
 * so adding a value is a shift, a compare and an increment: no log(). Each
 * sign keeps one contiguous run of buckets that grows to cover what it
 * has seen (values of one metric in one window span a few octaves).
 * Owns its arrays; depends on xalloc only.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/hist.h"
#include "util/xalloc.h"

#define SHIFT	(52 - HIST_SUB_BITS)
#define IDX_MIN	((int32_t)((1023 - 24) << HIST_SUB_BITS))
#define IDX_MAX	((int32_t)(((1023 + 48) << HIST_SUB_BITS) - 1))

void
hist_init(struct hist *h)
{
	memset(h, 0, sizeof *h);
}

void
hist_release(struct hist *h)
{
	free(h->pos.counts);
	free(h->neg.counts);
	memset(h, 0, sizeof *h);
}

static int32_t
bucket_of(double a)
{
	uint64_t bits;
	int32_t i;

	memcpy(&bits, &a, sizeof bits);
	i = (int32_t)(bits >> SHIFT);
	if (i < IDX_MIN)
		return IDX_MIN;
	if (i > IDX_MAX)
		return IDX_MAX;
	return i;
}

/* The middle of bucket i: within 1/128 of every value in it. */
static double
bucket_mid(int32_t i)
{
	int e = (i >> HIST_SUB_BITS) - 1023;
	int j = i & (HIST_SUB - 1);

	return ldexp(1.0 + (j + 0.5) / HIST_SUB, e);
}

/* Makes room for bucket i (lo..lo+n-1 grows with slack so that growth is rare). */
static void
store_cover(struct hist_store *s, int32_t i)
{
	int32_t lo, hi, slack = HIST_SUB / 2;
	uint32_t *c;

	if (s->n == 0) {
		lo = i - slack < IDX_MIN ? IDX_MIN : i - slack;
		hi = i + slack > IDX_MAX ? IDX_MAX : i + slack;
	} else {
		lo = s->lo;
		hi = s->lo + (int32_t)s->n - 1;
		if (i < lo)
			lo = i - slack < IDX_MIN ? IDX_MIN : i - slack;
		if (i > hi)
			hi = i + slack > IDX_MAX ? IDX_MAX : i + slack;
	}
	c = xcalloc((size_t)(hi - lo + 1), sizeof *c);
	if (s->n)
		memcpy(c + (s->lo - lo), s->counts, s->n * sizeof *c);
	free(s->counts);
	s->counts = c;
	s->lo = lo;
	s->n = (uint32_t)(hi - lo + 1);
}

static inline void
store_add(struct hist_store *s, int32_t i, uint32_t k)
{
	if (i < s->lo || i >= s->lo + (int32_t)s->n)
		store_cover(s, i);
	/* Saturate: 4e9 values in one bucket of one histogram is past any k6 run. */
	s->counts[i - s->lo] = s->counts[i - s->lo] + k < s->counts[i - s->lo] ?
	    UINT32_MAX : s->counts[i - s->lo] + k;
}

void
hist_add(struct hist *h, double v)
{
	if (h->count == 0 || v < h->min)
		h->min = v;
	if (h->count == 0 || v > h->max)
		h->max = v;
	h->count++;
	h->sum += v;
	if (v > 0) {
		h->nonzero++;
		store_add(&h->pos, bucket_of(v), 1);
	} else if (v < 0) {
		h->nonzero++;
		store_add(&h->neg, bucket_of(-v), 1);
	} else {
		h->zeros++;
	}
}

void
hist_add_at(struct hist *h, double v, int64_t t)
{
	if (h->count == 0 || t > h->last_t || (t == h->last_t && v > h->last_v)) {
		h->last_t = t;
		h->last_v = v;
	}
	if (h->count == 0 || t < h->first_t)
		h->first_t = t;
	hist_add(h, v);
}

static void
store_merge(struct hist_store *d, const struct hist_store *s)
{
	uint32_t i;

	if (s->n == 0)
		return;
	store_add(d, s->lo, 0);
	store_add(d, s->lo + (int32_t)s->n - 1, 0);
	for (i = 0; i < s->n; i++)
		if (s->counts[i])
			store_add(d, s->lo + (int32_t)i, s->counts[i]);
}

void
hist_merge(struct hist *d, const struct hist *s)
{
	if (s->count == 0)
		return;
	if (d->count == 0 || s->last_t > d->last_t ||
	    (s->last_t == d->last_t && s->last_v > d->last_v)) {
		d->last_t = s->last_t;
		d->last_v = s->last_v;
	}
	if (d->count == 0 || s->first_t < d->first_t)
		d->first_t = s->first_t;
	if (d->count == 0 || s->min < d->min)
		d->min = s->min;
	if (d->count == 0 || s->max > d->max)
		d->max = s->max;
	d->count += s->count;
	d->nonzero += s->nonzero;
	d->zeros += s->zeros;
	d->sum += s->sum;
	store_merge(&d->pos, &s->pos);
	store_merge(&d->neg, &s->neg);
}

/* The value of rank r (0-based, ascending), clamped into [min, max]. */
static double
value_at(const struct hist *h, uint64_t r)
{
	uint64_t acc = 0;
	double v = h->max;
	uint32_t i;

	if (r == 0)
		return h->min;
	if (r >= h->count - 1)
		return h->max;
	/* Negatives, most negative first: the highest bucket of |v| first. */
	for (i = h->neg.n; i-- > 0;) {
		acc += h->neg.counts[i];
		if (r < acc) {
			v = -bucket_mid(h->neg.lo + (int32_t)i);
			goto clamp;
		}
	}
	acc += h->zeros;
	if (r < acc)
		return 0;
	for (i = 0; i < h->pos.n; i++) {
		acc += h->pos.counts[i];
		if (r < acc) {
			v = bucket_mid(h->pos.lo + (int32_t)i);
			break;
		}
	}
clamp:
	if (v < h->min)
		v = h->min;
	if (v > h->max)
		v = h->max;
	return v;
}

double
hist_quantile(const struct hist *h, double q)
{
	double pos, frac, a, b;
	uint64_t r;

	if (h->count == 0)
		return NAN;
	if (q <= 0)
		return h->min;
	if (q >= 1)
		return h->max;
	pos = q * (double)(h->count - 1);
	r = (uint64_t)pos;
	frac = pos - (double)r;
	a = value_at(h, r);
	if (frac == 0 || r + 1 >= h->count)
		return a;
	b = value_at(h, r + 1);
	return a + (b - a) * frac;
}

size_t
hist_bytes(const struct hist *h)
{
	return (h->pos.n + h->neg.n) * sizeof(uint32_t);
}
