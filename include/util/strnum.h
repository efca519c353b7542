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
/*
 * The same shortest digits laid out as ECMAScript's Number#toString does:
 * plain notation for 1e-6 <= |v| < 1e21 ("1500", "0.0062", "0.000001"),
 * else "1e+21", "1.5e-7". Valid JSON for every finite v; "-0" prints "0".
 * The decimal point is always '.', whatever LC_NUMERIC says.
 */
void	fmt_double_plain(char *dst, size_t n, double v);
/*
 * Data for spreadsheets (chart CSV): v rounded to 12 significant digits,
 * then written as fmt_double_plain does, so arithmetic noise goes
 * ("2029.9999999999998" is "2030") and real precision stays.
 */
void	fmt_double_clean(char *dst, size_t n, double v);
/* v with at most sig significant digits and no trailing zeros ("1.5", "873.2"). */
void	fmt_sig(char *dst, size_t n, double v, int sig);

#endif
