/*
 * select.h — the k-th smallest of an array in linear expected time
 * (quickselect), for medians and percentiles of a million values without
 * sorting them. The array is reordered; nothing is allocated or kept.
 */
#ifndef SELECT_H
#define SELECT_H

#include <stddef.h>
#include <stdint.h>

/* The value that sorting a[0..n) would put at index k (k < n); afterwards a[i] <= a[k] for i < k and a[i] >= a[k] for i > k. */
double	select_double(double *a, size_t n, size_t k);
int64_t	select_i64(int64_t *a, size_t n, size_t k);

#endif
