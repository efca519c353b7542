/*
 * hist.h — a mergeable log-linear histogram (HDR-like): every power of two
 * is cut into HIST_SUB equal buckets, so a bucket's width is at most 1/64
 * of its lower bound and the middle of a bucket is within 0.79 % of every
 * value in it. Count, sum, min and max are kept exactly. Merging two
 * histograms gives exactly the histogram of all their values, so parts
 * built by threads, windows or load generators combine without loss.
 * A hist owns its bucket arrays (hist_release frees them).
 *
 * The bound holds for |v| in [2^-24, 2^48) (6e-8 .. 2.8e14; ms and bytes
 * of real tests); smaller and larger magnitudes share the end buckets,
 * though min and max stay exact and quantiles never leave [min, max].
 */
#ifndef HIST_H
#define HIST_H

#include <stddef.h>
#include <stdint.h>

#define HIST_SUB_BITS	6
#define HIST_SUB	(1 << HIST_SUB_BITS)
#define HIST_REL_ERR	0.0078125	/* 1/128: the documented worst case */

/* One sign's buckets: counts[i] is bucket lo + i. */
struct hist_store {
	int32_t		 lo;
	uint32_t	 n;
	uint32_t	*counts;
};

struct hist {
	uint64_t	 count;		/* values added */
	uint64_t	 nonzero;	/* values != 0: a k6 rate's passes */
	uint64_t	 zeros;
	double		 sum, min, max;	/* min, max meaningless while count == 0 */
	int64_t		 first_t;	/* times of the earliest and the latest value (hist_add_at) */
	int64_t		 last_t;	/* the latest value is a gauge's current value */
	double		 last_v;
	struct hist_store pos, neg;
};

void	hist_init(struct hist *);
void	hist_release(struct hist *);
void	hist_add(struct hist *, double v);
/* As hist_add, also remembering v as the latest value when t is not before the latest. */
void	hist_add_at(struct hist *, double v, int64_t t);
/* dst += src (src unchanged). */
void	hist_merge(struct hist *dst, const struct hist *src);
/*
 * The q-quantile (0 <= q <= 1) as k6 computes it: the value at rank
 * q * (count - 1), interpolated between neighbours. Within HIST_REL_ERR of
 * the exact value for magnitudes in the range above; NAN when empty.
 */
double	hist_quantile(const struct hist *, double q);
/* Bytes of bucket memory held (for limits and the benchmark). */
size_t	hist_bytes(const struct hist *);

#endif
