/*
 * units.c — parsing and printing quantities. Owns nothing. Depends on
 * strnum only.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util/strnum.h"
#include "model/units.h"

static const struct {
	const char	*suffix;
	double		 factor;
	enum unit	 unit;
} suffixes[] = {
	{"ns", 1e-6, UNIT_MS}, {"us", 1e-3, UNIT_MS}, {"\xc2\xb5s", 1e-3, UNIT_MS},
	{"ms", 1, UNIT_MS}, {"s", 1000, UNIT_MS}, {"m", 60000, UNIT_MS},
	{"h", 3600000, UNIT_MS}, {"%", 0.01, UNIT_RATIO},
	{"B", 1, UNIT_BYTES}, {"kB", 1e3, UNIT_BYTES}, {"KB", 1e3, UNIT_BYTES},
	{"MB", 1e6, UNIT_BYTES}, {"GB", 1e9, UNIT_BYTES},
	{"KiB", 1024, UNIT_BYTES}, {"MiB", 1048576, UNIT_BYTES},
	{"GiB", 1073741824, UNIT_BYTES}, {"/s", 1, UNIT_PER_S},
};

int
unit_parse(const char *s, struct quantity *out)
{
	size_t n = strlen(s), num = 0, i;
	const char *suf;

	while (n > 0 && s[n - 1] == ' ')
		n--;
	while (num < n && strchr("0123456789+-.eE", s[num]) != NULL) {
		/* "1e" followed by a letter is not an exponent. */
		if ((s[num] == 'e' || s[num] == 'E') &&
		    (num + 1 >= n || strchr("0123456789+-", s[num + 1]) == NULL))
			break;
		num++;
	}
	if (strnum_double(s, num, &out->v) == -1)
		return -1;
	suf = s + num;
	while (suf < s + n && *suf == ' ')
		suf++;
	if (suf == s + n) {
		out->unit = UNIT_NONE;
		return 0;
	}
	for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
		if (strlen(suffixes[i].suffix) == (size_t)(s + n - suf) &&
		    memcmp(suffixes[i].suffix, suf, (size_t)(s + n - suf)) == 0) {
			out->v *= suffixes[i].factor;
			out->unit = suffixes[i].unit;
			return 0;
		}
	return -1;
}

void
unit_fmt(char *dst, size_t n, double v, enum unit u)
{
	char num[64];
	const char *suffix = "";

	switch (u) {
	case UNIT_MS:
		if (fabs(v) >= 1000) {
			v /= 1000;
			suffix = " s";
		} else {
			suffix = " ms";
		}
		fmt_sig(num, sizeof num, v, 4);
		break;
	case UNIT_RATIO:
		fmt_sig(num, sizeof num, v * 100, 3);
		suffix = " %";
		break;
	case UNIT_BYTES:
	case UNIT_BYTES_PER_S:
		if (fabs(v) >= 1e9) {
			v /= 1e9;
			suffix = " GB";
		} else if (fabs(v) >= 1e6) {
			v /= 1e6;
			suffix = " MB";
		} else if (fabs(v) >= 1e3) {
			v /= 1e3;
			suffix = " kB";
		} else {
			suffix = " B";
		}
		fmt_sig(num, sizeof num, v, 4);
		if (u == UNIT_BYTES_PER_S) {
			snprintf(dst, n, "%s%s/s", num, suffix);
			return;
		}
		break;
	case UNIT_PER_S:
		fmt_sig(num, sizeof num, v, 4);
		suffix = "/s";
		break;
	case UNIT_NONE:
	default:
		/* 3-4 significant digits, as a person writes them; whole parts stay whole */
		fmt_sig(num, sizeof num, v, 4);
		break;
	}
	snprintf(dst, n, "%s%s", num, suffix);
}

const char *
unit_name(enum unit u)
{
	switch (u) {
	case UNIT_MS:
		return "ms";
	case UNIT_RATIO:
		return "ratio";
	case UNIT_BYTES:
		return "bytes";
	case UNIT_PER_S:
		return "1/s";
	case UNIT_BYTES_PER_S:
		return "bytes/s";
	case UNIT_NONE:
	default:
		return "";
	}
}
