/*
 * strnum.c — strict number parsing and shortest round-trip printing.
 * Owns nothing. Depends on libc only.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strnum.h"

static int
copy(const char *s, size_t n, char *tmp, size_t cap)
{
	if (n == 0 || n >= cap)
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	/* strtod accepts leading space, hex floats, inf and nan: we do not. */
	if (strspn(tmp, "0123456789+-.eE") != n)
		return -1;
	return 0;
}

int
strnum_double(const char *s, size_t n, double *out)
{
	char tmp[64], *end;
	double v;

	if (copy(s, n, tmp, sizeof tmp) == -1)
		return -1;
	errno = 0;
	v = strtod(tmp, &end);
	if (end != tmp + n || (errno == ERANGE && fabs(v) > 1.0) || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

int
strnum_ll(const char *s, size_t n, long long *out)
{
	char tmp[32], *end;
	long long v;

	if (copy(s, n, tmp, sizeof tmp) == -1 || strpbrk(tmp, ".eE"))
		return -1;
	errno = 0;
	v = strtoll(tmp, &end, 10);
	if (end != tmp + n || errno == ERANGE)
		return -1;
	*out = v;
	return 0;
}

void
fmt_double(char *dst, size_t n, double v)
{
	int prec;

	if (v == 0) {
		snprintf(dst, n, "0");
		return;
	}
	for (prec = 1; prec <= 17; prec++) {
		snprintf(dst, n, "%.*g", prec, v);
		if (strtod(dst, NULL) == v)
			return;
	}
}

void
fmt_sig(char *dst, size_t n, double v, int sig)
{
	double a = fabs(v);
	int decimals = 0, mag;
	char *dot, *e;

	if (v == 0 || !isfinite(v)) {
		snprintf(dst, n, isfinite(v) ? "0" : "nan");
		return;
	}
	mag = (int)floor(log10(a));
	if (mag < sig - 1)
		decimals = sig - 1 - mag;
	if (decimals > 9)
		decimals = 9;
	snprintf(dst, n, "%.*f", decimals, v);
	if ((dot = strchr(dst, '.')) != NULL) {
		e = dst + strlen(dst) - 1;
		while (e > dot && *e == '0')
			*e-- = '\0';
		if (e == dot)
			*e = '\0';
	}
	if (strcmp(dst, "-0") == 0)
		snprintf(dst, n, "0");
}

void
fmt_double_clean(char *dst, size_t n, double v)
{
	char t[40];

	if (!isfinite(v)) {
		fmt_double_plain(dst, n, v);
		return;
	}
	snprintf(t, sizeof t, "%.12g", v);
	fmt_double_plain(dst, n, strtod(t, NULL));
}

void
fmt_double_plain(char *dst, size_t n, double v)
{
	char e[48], digits[24], out[48];
	const char *p;
	int prec, nd = 0, point, i;
	size_t o = 0;

	if (v == 0 || !isfinite(v)) {
		snprintf(dst, n, "%s", v == 0 ? "0" : isnan(v) ? "nan" :
		    v < 0 ? "-inf" : "inf");
		return;
	}
	/*
	 * "%.Ne" and strtod agree on the decimal point whatever the locale,
	 * so the round-trip test holds; the layout below is ours and always
	 * writes '.'.
	 */
	for (prec = 1; prec < 17; prec++) {
		snprintf(e, sizeof e, "%.*e", prec - 1, v);
		if (strtod(e, NULL) == v)
			break;
	}
	snprintf(e, sizeof e, "%.*e", prec - 1, v);
	for (p = e; *p != '\0' && *p != 'e' && *p != 'E'; p++)
		if (*p >= '0' && *p <= '9' && nd < (int)sizeof digits)
			digits[nd++] = *p;
	point = (int)strtol(p + (*p != '\0'), NULL, 10) + 1;
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	if (v < 0)
		out[o++] = '-';
	if (nd <= point && point <= 21) {
		for (i = 0; i < point; i++)
			out[o++] = i < nd ? digits[i] : '0';
	} else if (0 < point && point <= 21) {
		for (i = 0; i < nd; i++) {
			if (i == point)
				out[o++] = '.';
			out[o++] = digits[i];
		}
	} else if (-6 < point && point <= 0) {
		out[o++] = '0';
		out[o++] = '.';
		for (i = point; i < 0; i++)
			out[o++] = '0';
		for (i = 0; i < nd; i++)
			out[o++] = digits[i];
	} else {
		out[o++] = digits[0];
		if (nd > 1)
			out[o++] = '.';
		for (i = 1; i < nd; i++)
			out[o++] = digits[i];
		o += (size_t)snprintf(out + o, sizeof out - o, "e%+d", point - 1);
	}
	out[o] = '\0';
	snprintf(dst, n, "%s", out);
}
