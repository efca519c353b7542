/*
 * select.c — quickselect (Hoare partition, median-of-three pivot) over
 * doubles and int64. Depends on nothing. The input's order is not kept.
 * NaN never reaches here: series and samples hold finite values only.
 */
#include "util/select.h"

#define SELECT_BODY(T)							\
	size_t lo = 0, hi = n - 1, i, j, mid;				\
	T p, x;								\
									\
	while (lo < hi) {						\
		mid = lo + (hi - lo) / 2;				\
		/* median of three as pivot: sorted runs stay linear */	\
		if (a[mid] < a[lo]) { x = a[mid]; a[mid] = a[lo]; a[lo] = x; } \
		if (a[hi] < a[lo]) { x = a[hi]; a[hi] = a[lo]; a[lo] = x; } \
		if (a[hi] < a[mid]) { x = a[hi]; a[hi] = a[mid]; a[mid] = x; } \
		p = a[mid];						\
		i = lo;							\
		j = hi;							\
		while (i <= j) {					\
			while (a[i] < p)				\
				i++;					\
			while (p < a[j])				\
				j--;					\
			if (i <= j) {					\
				x = a[i]; a[i] = a[j]; a[j] = x;	\
				i++;					\
				if (j == 0)				\
					break;				\
				j--;					\
			}						\
		}							\
		if (k <= j)						\
			hi = j;						\
		else if (k >= i)					\
			lo = i;						\
		else							\
			break;						\
	}								\
	return a[k];

double
select_double(double *a, size_t n, size_t k)
{
	SELECT_BODY(double)
}

int64_t
select_i64(int64_t *a, size_t n, size_t k)
{
	SELECT_BODY(int64_t)
}
