/*
 * changepoint.c — E-divisive means (changepoint.h). With d(i,j) = |x_i - x_j|
 * and a split of n observations into L = x[0..t) and R = x[t..n):
 *
 *	Q(t) = t (n - t) / n * ( 2 B / (t (n - t)) - WL / C(t,2) - WR / C(n-t,2) )
 *
 * B the sum of d across the split, WL and WR within each side. Q is large
 * when the sides differ more than they vary inside. As in the paper the
 * right side may end early (x[t..kappa)); all (t, kappa) of one ordering
 * cost O(n^2) with column prefix sums. Significance: the share of random
 * orderings whose best Q is at least the observed best. Owns nothing.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eval/changepoint.h"
#include "util/xalloc.h"

#define MAX_DEPTH	16

/*
 * The best split of x[0..n) into *tau, over every end kappa as Matteson and
 * James do: Q(tau, kappa) compares x[0..tau) with x[tau..kappa), so a shift
 * that is undone later (up, then down again) still stands out. Returns the
 * best Q. d is scratch for 2*n*n doubles: the distances, then per column k
 * the prefix sums P[i][k] = sum of d(j,k) for j < i.
 */
static double
best_split(const double *x, size_t n, double *d, size_t *tau)
{
	double *p = d + n * n, wl = 0, best = -HUGE_VAL;
	size_t i, k, t, kap;

	for (i = 0; i < n; i++)
		for (k = 0; k < n; k++)
			d[i * n + k] = fabs(x[i] - x[k]);
	/* P[i][k] for i < n: enough, kappa - 1 < n */
	for (k = 0; k < n; k++) {
		double run = 0;

		for (i = 0; i < n; i++) {
			p[i * n + k] = run;
			run += d[i * n + k];
		}
	}
	for (t = 1; t < n; t++) {
		double b = 0, wr = 0;

		/* wl: the pairs within x[0..t) */
		wl += p[(t - 1) * n + (t - 1)];
		if (t < CP_MIN_SEGMENT)
			continue;
		for (kap = t + 1; kap <= n; kap++) {
			size_t l = t, r = kap - t, last = kap - 1;
			double q;

			b += p[t * n + last];			/* d(i, last) for i < t */
			wr += p[last * n + last] - p[t * n + last];	/* d(j, last) for t <= j < last */
			if (r < CP_MIN_SEGMENT)
				continue;
			q = (double)l * (double)r / (double)(l + r) * (2 * b / ((double)l * (double)r) -
			    wl / ((double)l * (double)(l - 1) / 2) - wr / ((double)r * (double)(r - 1) / 2));
			if (q > best) {
				best = q;
				*tau = t;
			}
		}
	}
	return best;
}

double
changepoint_q(const double *x, size_t n, size_t tau)
{
	double b = 0, wl = 0, wr = 0;
	size_t i, j, l = tau, r = n - tau;

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++) {
			double dd = fabs(x[i] - x[j]);

			if (j < tau)
				wl += dd;
			else if (i >= tau)
				wr += dd;
			else
				b += dd;
		}
	return (double)l * (double)r / (double)n * (2 * b / ((double)l * (double)r) -
	    (l > 1 ? wl / ((double)l * (double)(l - 1) / 2) : 0) -
	    (r > 1 ? wr / ((double)r * (double)(r - 1) / 2) : 0));
}

static uint64_t
next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
median(const double *x, size_t n, double *scratch)
{
	memcpy(scratch, x, n * sizeof *x);
	qsort(scratch, n, sizeof *scratch, cmp_double);
	return n % 2 ? scratch[n / 2] : (scratch[n / 2 - 1] + scratch[n / 2]) / 2;
}

struct ctx {
	double	*d, *perm, *scratch;
	double	 rel, abs;
	struct changepoint *out;
	size_t	 max, nout;
};

/* Finds change points in x[0..n) (offset: its index in the whole series) and recurses. */
static void
divide(struct ctx *c, const double *x, size_t n, size_t offset, int depth)
{
	size_t tau = 0, ptau, i, k, hits = 0;
	double q, p, before, after, fl;
	uint64_t seed = 0x9e3779b97f4a7c15ull ^ (uint64_t)n ^ ((uint64_t)offset << 32);

	if (n < 2 * CP_MIN_SEGMENT || depth > MAX_DEPTH)
		return;
	q = best_split(x, n, c->d, &tau);
	if (!(q > 0))
		return;
	memcpy(c->perm, x, n * sizeof *x);
	for (k = 0; k < CP_PERMUTATIONS; k++) {
		for (i = n - 1; i > 0; i--) {
			size_t j = (size_t)(next(&seed) % (i + 1));
			double t = c->perm[i];

			c->perm[i] = c->perm[j];
			c->perm[j] = t;
		}
		if (best_split(c->perm, n, c->d, &ptau) >= q)
			hits++;
	}
	p = (double)(hits + 1) / (double)(CP_PERMUTATIONS + 1);
	if (p > CP_ALPHA)
		return;
	divide(c, x, tau, offset, depth + 1);
	before = median(x, tau, c->scratch);
	after = median(x + tau, n - tau, c->scratch);
	fl = fmax(c->rel * fabs(before), c->abs);
	if (fabs(after - before) > fl && c->nout < c->max) {
		struct changepoint *cp = &c->out[c->nout++];

		cp->at = offset + tau;
		cp->p = p;
		cp->before = before;
		cp->after = after;
		cp->magnitude = after - before;
		cp->floor = fl;
	}
	divide(c, x + tau, n - tau, offset + tau, depth + 1);
}

size_t
changepoints(const double *x, size_t n, double rel, double abs, struct changepoint *out,
    size_t max)
{
	struct ctx c;

	if (n < 2 * CP_MIN_SEGMENT)
		return 0;
	memset(&c, 0, sizeof c);
	c.d = xcalloc(2 * n * n, sizeof *c.d);
	c.perm = xcalloc(n, sizeof *c.perm);
	c.scratch = xcalloc(n, sizeof *c.scratch);
	c.rel = rel;
	c.abs = abs;
	c.out = out;
	c.max = max;
	divide(&c, x, n, 0, 0);
	free(c.d);
	free(c.perm);
	free(c.scratch);
	return c.nout;
}
