/*
 * strnum.h — numbers in and out, always in the "C" locale (sloproof never
 * calls setlocale, so strtod and printf never see a decimal comma).
 */
#ifndef STRNUM_H
#define STRNUM_H

#include <stddef.h>

/* The n bytes at s are exactly one finite number; 0, or -1. */
int	strnum_double(const char *s, size_t n, double *out);
int	strnum_ll(const char *s, size_t n, long long *out);

/* The shortest "%.Ng" (N = 1..17) that reads back as v; "-0" prints "0". */
void	fmt_double(char *dst, size_t n, double v);
/* v with at most sig significant digits and no trailing zeros ("1.5", "873.2"). */
void	fmt_sig(char *dst, size_t n, double v, int sig);

#endif
