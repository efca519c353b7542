/*
 * changepoint.h — lasting shifts in a series of observations (an SLO's
 * observed value over the history of comparable bundles), found with the
 * E-divisive means method of Matteson and James (2014, "A nonparametric
 * approach for multiple change point analysis of multivariate data", JASA
 * 109:505), the method of MongoDB's performance CI and Apache Otava:
 * the split that maximises the energy distance between the two sides,
 * kept when a permutation test finds it significant, then the same within
 * each side. A shift is only reported when it is also larger than the
 * noise floor (relative and absolute), so a significant but tiny move is
 * not news. Deterministic: the permutations come from a fixed seed.
 * False-alarm behaviour on synthetic series: docs/digest.md, "Change points".
 */
#ifndef EVAL_CHANGEPOINT_H
#define EVAL_CHANGEPOINT_H

#include <stddef.h>

#define CP_MIN_SEGMENT	3	/* observations on each side of a change */
#define CP_ALPHA	0.05	/* significance of the permutation test */
#define CP_PERMUTATIONS	199

struct changepoint {
	size_t	 at;		/* index of the first observation after the shift */
	double	 p;		/* the permutation test's p-value */
	double	 before, after;	/* medians of the segments either side */
	double	 magnitude;	/* after - before */
	double	 floor;		/* the noise floor it had to pass */
};

/*
 * The change points of x[0..n-1] whose shift passes the noise floor
 * max(rel * |before|, abs), in index order, at most max into out. The count.
 */
size_t	changepoints(const double *x, size_t n, double rel, double abs, struct changepoint *out,
	    size_t max);

/* The energy statistic Q of splitting x[0..n-1] before index tau (for tests). */
double	changepoint_q(const double *x, size_t n, size_t tau);

#endif
