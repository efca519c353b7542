/*
 * timeutil.c — calendar arithmetic without the C library's time zone state
 * (no timegm, no TZ): Howard Hinnant's days-from-civil algorithm, written
 * from its published description. Depends on libc only.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "util/timeutil.h"

int64_t
time_days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
time_civil_from_days(int64_t z, int64_t *yp, int *mp, int *dp)
{
	int64_t era, doe, yoe, doy, mp0, y;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp0 = (5 * doy + 2) / 153;
	*dp = (int)(doy - (153 * mp0 + 2) / 5 + 1);
	*mp = (int)(mp0 < 10 ? mp0 + 3 : mp0 - 9);
	*yp = y + (*mp <= 2);
}

static int
digits(const char *s, size_t n, size_t at, int count, int *out)
{
	int v = 0, i;

	if (at + (size_t)count > n)
		return -1;
	for (i = 0; i < count; i++) {
		if (s[at + i] < '0' || s[at + i] > '9')
			return -1;
		v = v * 10 + (s[at + i] - '0');
	}
	*out = v;
	return 0;
}

static int
days_in_month(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 ? 28 + leap : dm[m - 1];
}

static int
parse_date(const char *s, size_t n, int *y, int *m, int *d, size_t *err)
{
	if (digits(s, n, 0, 4, y) == -1) { *err = 1; return -1; }
	if (n < 5 || s[4] != '-') { *err = 5; return -1; }
	if (digits(s, n, 5, 2, m) == -1 || *m < 1 || *m > 12) { *err = 6; return -1; }
	if (n < 8 || s[7] != '-') { *err = 8; return -1; }
	if (digits(s, n, 8, 2, d) == -1 || *d < 1 || *d > days_in_month(*y, *m)) {
		*err = 9;
		return -1;
	}
	return 0;
}

int
time_parse_date(const char *s, size_t n, int64_t *ms)
{
	int y, m, d;
	size_t err;

	if (n != 10 || parse_date(s, n, &y, &m, &d, &err) == -1)
		return -1;
	*ms = time_days_from_civil(y, m, d) * 86400000;
	return 0;
}

int
time_parse_rfc3339(const char *s, size_t n, int64_t *out, size_t *errcol)
{
	int y, mo, d, h, mi, sec, oh, om, frac = 0, fdig = 0;
	size_t i = 19, dummy;
	int64_t off = 0;

	if (errcol == NULL)
		errcol = &dummy;
	if (parse_date(s, n, &y, &mo, &d, errcol) == -1)
		return -1;
	if (n < 11 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ')) { *errcol = 11; return -1; }
	if (digits(s, n, 11, 2, &h) == -1 || h > 23) { *errcol = 12; return -1; }
	if (n < 14 || s[13] != ':') { *errcol = 14; return -1; }
	if (digits(s, n, 14, 2, &mi) == -1 || mi > 59) { *errcol = 15; return -1; }
	if (n < 17 || s[16] != ':') { *errcol = 17; return -1; }
	/* 60 is a leap second: it reads as :59.999 of that minute. */
	if (digits(s, n, 17, 2, &sec) == -1 || sec > 60) { *errcol = 18; return -1; }
	if (i < n && s[i] == '.') {
		i++;
		if (i >= n || s[i] < '0' || s[i] > '9') { *errcol = i + 1; return -1; }
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, fdig++)
			if (fdig < 3)
				frac = frac * 10 + (s[i] - '0');
		while (fdig < 3) {
			frac *= 10;
			fdig++;
		}
	}
	if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
		i++;
	} else if (i < n && (s[i] == '+' || s[i] == '-')) {
		if (digits(s, n, i + 1, 2, &oh) == -1 || oh > 23 || i + 3 >= n ||
		    s[i + 3] != ':' || digits(s, n, i + 4, 2, &om) == -1 || om > 59) {
			*errcol = i + 2;
			return -1;
		}
		off = (int64_t)(oh * 60 + om) * 60000;
		if (s[i] == '+')
			off = -off;
		i += 6;
	} else {
		*errcol = i + 1;
		return -1;
	}
	if (i != n) {
		*errcol = i + 1;
		return -1;
	}
	if (sec == 60) {
		sec = 59;
		frac = 999;
	}
	*out = ((time_days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60000 +
	    (int64_t)sec * 1000 + frac + off;
	return 0;
}

static void
split(int64_t ms, int64_t *days, int *rem)
{
	*days = ms / 86400000;
	*rem = (int)(ms % 86400000);
	if (*rem < 0) {
		*rem += 86400000;
		(*days)--;
	}
}

void
time_fmt_utc(int64_t ms, char *dst, size_t n)
{
	int64_t days, y;
	int rem, m, d;

	split(ms, &days, &rem);
	time_civil_from_days(days, &y, &m, &d);
	if (rem % 1000)
		snprintf(dst, n, "%04" PRId64 "-%02d-%02dT%02d:%02d:%02d.%03dZ", y, m, d,
		    rem / 3600000, rem / 60000 % 60, rem / 1000 % 60, rem % 1000);
	else
		snprintf(dst, n, "%04" PRId64 "-%02d-%02dT%02d:%02d:%02dZ", y, m, d,
		    rem / 3600000, rem / 60000 % 60, rem / 1000 % 60);
}

void
time_fmt_date(int64_t ms, char *dst, size_t n)
{
	int64_t days, y;
	int rem, m, d;

	split(ms, &days, &rem);
	time_civil_from_days(days, &y, &m, &d);
	snprintf(dst, n, "%04" PRId64 "-%02d-%02d", y, m, d);
}

void
time_fmt_span(int64_t ms, char *dst, size_t n)
{
	const char *sign = ms < 0 ? "-" : "";
	int64_t a = ms < 0 ? -ms : ms, s, m;

	/* Rounded, as a person would say it: 65.6 s is 1m06s, 2h01m40s is 2h02m. */
	s = (a + 500) / 1000;
	if (a < 1000)
		snprintf(dst, n, "%s%" PRId64 " ms", sign, a);
	else if (a < 9950 && (a + 50) / 100 % 10 != 0)
		/* Under ten seconds a tenth still matters: a 1.5 s limit is not "2 s". */
		snprintf(dst, n, "%s%" PRId64 ".%" PRId64 " s", sign, (a + 50) / 1000, (a + 50) / 100 % 10);
	else if (s < 60)
		snprintf(dst, n, "%s%" PRId64 " s", sign, s);
	else if (s < 3600)
		snprintf(dst, n, "%s%" PRId64 "m%02" PRId64 "s", sign, s / 60, s % 60);
	else {
		m = (a + 30000) / 60000;
		snprintf(dst, n, "%s%" PRId64 "h%02" PRId64 "m", sign, m / 60, m % 60);
	}
}
