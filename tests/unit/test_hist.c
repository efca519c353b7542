/*
 * test_hist.c — the log-linear histogram: quantiles within the documented
 * relative error of the exact (k6-interpolated) quantiles on random data,
 * exact count/sum/min/max, zeros and negatives, and merging that equals
 * adding everything to one histogram.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "t.h"

#include "model/hist.h"

static uint64_t rng = 88172645463325252ull;

static double
urand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / 9007199254740992.0;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
exact_q(const double *s, size_t n, double q)
{
	double pos = q * (double)(n - 1);
	size_t i = (size_t)pos;

	return i + 1 < n ? s[i] + (s[i + 1] - s[i]) * (pos - (double)i) : s[i];
}

/* Worst relative error over many quantiles of n values drawn by gen. */
static double
worst(double (*gen)(void), size_t n)
{
	double *v = malloc(n * sizeof *v), q, e, w = 0;
	struct hist h;
	size_t i;

	hist_init(&h);
	for (i = 0; i < n; i++) {
		v[i] = gen();
		hist_add(&h, v[i]);
	}
	qsort(v, n, sizeof *v, cmp);
	for (q = 0; q <= 1.0; q += 0.001) {
		double x = exact_q(v, n, q);

		e = fabs(hist_quantile(&h, q) - x) / fabs(x);
		if (e > w)
			w = e;
	}
	hist_release(&h);
	free(v);
	return w;
}

static double gen_lognormal(void) { return 200 * exp(1.2 * sqrt(-2 * log(urand() + 1e-12)) * cos(6.283185307179586 * urand())); }
static double gen_uniform(void) { return 0.001 + 1e6 * urand(); }
static double gen_ms(void) { return round((5 + 3000 * urand() * urand()) * 1000) / 1000; }
static double gen_bytes(void) { return floor(1 + 1e9 * pow(urand(), 4)); }

int
main(void)
{
	struct hist a, b, all;
	double v;
	int i;

	T_OK(worst(gen_lognormal, 200000) <= 0.01, "log-normal latencies: every quantile within 1 %");
	T_OK(worst(gen_uniform, 200000) <= 0.01, "uniform 0.001 .. 1e6: every quantile within 1 %");
	T_OK(worst(gen_ms, 100000) <= HIST_REL_ERR, "k6 ms values (3 decimals): within 1/128");
	T_OK(worst(gen_bytes, 100000) <= 0.01, "byte counts up to 1 GB: within 1 %");

	hist_init(&a);
	for (i = 1; i <= 100; i++)
		hist_add(&a, i);
	T_EQ_INT(a.count, 100, "count is exact");
	T_NEAR(a.sum, 5050, 0, "sum is exact");
	T_NEAR(a.min, 1, 0, "min is exact");
	T_NEAR(a.max, 100, 0, "max is exact");
	T_NEAR(hist_quantile(&a, 0), 1, 0, "p(0) is the minimum");
	T_NEAR(hist_quantile(&a, 1), 100, 0, "p(100) is the maximum");
	T_NEAR(hist_quantile(&a, 0.95), 95.05, 95.05 * 0.01, "p(95) of 1..100 is k6's 95.05 within 1 %");
	hist_release(&a);

	hist_init(&a);
	T_OK(isnan(hist_quantile(&a, 0.5)), "an empty histogram has no quantile");
	for (i = 0; i < 90; i++)
		hist_add(&a, 0);
	for (i = 0; i < 10; i++)
		hist_add(&a, 1);
	T_EQ_INT(a.nonzero, 10, "a rate's passes are the non-zero values");
	T_NEAR(hist_quantile(&a, 0.5), 0, 0, "zeros are exact: the median of 90 % zeros is 0");
	hist_add(&a, -50);
	T_NEAR(hist_quantile(&a, 0), -50, 0, "negative values order below zero");
	hist_release(&a);

	/* Merge: two halves merged give what one histogram of everything gives. */
	hist_init(&a);
	hist_init(&b);
	hist_init(&all);
	for (i = 0; i < 50000; i++) {
		v = i % 2 ? gen_lognormal() : 1e4 + gen_ms();
		hist_add_at(i < 25000 ? &a : &b, v, i);
		hist_add_at(&all, v, i);
	}
	hist_merge(&a, &b);
	T_EQ_INT(a.count, all.count, "merged count equals the whole");
	T_NEAR(a.min, all.min, 0, "merged min equals the whole");
	T_NEAR(a.max, all.max, 0, "merged max equals the whole");
	T_NEAR(a.last_v, all.last_v, 0, "merged latest value is the latest of both");
	T_NEAR(hist_quantile(&a, 0.95), hist_quantile(&all, 0.95), 0, "merged p(95) is identical");
	T_NEAR(hist_quantile(&a, 0.5), hist_quantile(&all, 0.5), 0, "merged median is identical");
	T_OK(hist_bytes(&all) < 64 * 1024, "one histogram of 5 decades stays under 64 KiB");
	hist_release(&a);
	hist_release(&b);
	hist_release(&all);
	return t_done();
}
