/*
 * in_grafana_text.c — single cells of a Grafana CSV: numbers with units,
 * thousands separators and Excel's apostrophe; unit words and the units
 * series names imply; every time format Grafana writes; UTF-16 text and
 * the delimiter of a header line. Pure functions of their arguments
 * (diagnostics aside); part of the importer (in/grafana_imp.h).
 */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/diag.h"
#include "in/grafana_imp.h"
#include "in/import.h"
#include "model/run.h"
#include "util/splimits.h"
#include "util/strnum.h"
#include "util/timeutil.h"
#include "util/tz.h"
#include "util/xalloc.h"

/* ---- units ------------------------------------------------------------- */

static const struct {
	const char	*w;
	double		 f;
	enum unit	 u;
} unit_words[] = {
	{"ms", 1, UNIT_MS}, {"milliseconds", 1, UNIT_MS}, {"s", 1000, UNIT_MS},
	{"sec", 1000, UNIT_MS}, {"seconds", 1000, UNIT_MS}, {"us", 1e-3, UNIT_MS},
	{"\xc2\xb5s", 1e-3, UNIT_MS}, {"ns", 1e-6, UNIT_MS}, {"min", 60000, UNIT_MS},
	{"m", 60000, UNIT_MS}, {"h", 3600000, UNIT_MS},
	{"%", 0.01, UNIT_RATIO}, {"percent", 0.01, UNIT_RATIO},
	{"percentunit", 1, UNIT_RATIO}, {"ratio", 1, UNIT_RATIO},
	{"B", 1, UNIT_BYTES}, {"bytes", 1, UNIT_BYTES}, {"kB", 1e3, UNIT_BYTES},
	{"KB", 1e3, UNIT_BYTES}, {"KiB", 1024, UNIT_BYTES}, {"MB", 1e6, UNIT_BYTES},
	{"MiB", 1048576, UNIT_BYTES}, {"GB", 1e9, UNIT_BYTES},
	{"GiB", 1073741824, UNIT_BYTES}, {"TB", 1e12, UNIT_BYTES},
	{"TiB", 1099511627776.0, UNIT_BYTES},
};

int
gf_unit_word(const char *s, size_t n, double *f, enum unit *u)
{
	size_t i;

	for (i = 0; i < sizeof unit_words / sizeof unit_words[0]; i++)
		if (strlen(unit_words[i].w) == n && memcmp(unit_words[i].w, s, n) == 0) {
			*f = unit_words[i].f;
			*u = unit_words[i].u;
			return 0;
		}
	return -1;
}

/* The unit a series name implies: Prometheus suffixes, or "(s)" at the end. */
int
gf_name_unit(const char *name, double *f, enum unit *u)
{
	static const struct {
		const char	*suf;
		double		 f;
		enum unit	 u;
	} sufs[] = {
		{"_seconds", 1000, UNIT_MS}, {"_milliseconds", 1, UNIT_MS}, {"_ms", 1, UNIT_MS},
		{"_bytes", 1, UNIT_BYTES}, {"_ratio", 1, UNIT_RATIO},
	};
	size_t n = strlen(name), i, k;
	const char *open;

	for (i = 0; i < sizeof sufs / sizeof sufs[0]; i++) {
		k = strlen(sufs[i].suf);
		if (n > k && strcmp(name + n - k, sufs[i].suf) == 0) {
			*f = sufs[i].f;
			*u = sufs[i].u;
			return 0;
		}
	}
	if (n > 2 && name[n - 1] == ')' && (open = strrchr(name, '(')) != NULL && open > name)
		return gf_unit_word(open + 1, (size_t)(name + n - 1 - open - 1), f, u);
	return -1;
}

int
gf_is_missing(const char *s, size_t n)
{
	return n == 0 || (n == 4 && memcmp(s, "null", 4) == 0) ||
	    (n == 3 && (memcmp(s, "NaN", 3) == 0 || memcmp(s, "nan", 3) == 0)) ||
	    (n == 9 && memcmp(s, "undefined", 9) == 0);
}

/*
 * A plain decimal of at most 15 digits, without an exponent, as strtod
 * reads it: the digits and the power of ten are both exact doubles, so
 * their quotient is the correctly rounded value. -1 for anything else.
 */
static int
fast_decimal(const char *num, size_t k, double *v)
{
	static const double p10[16] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
		1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
	uint64_t m = 0;
	size_t i = 0, nd = 0, fd = 0;
	int neg = 0, dot = 0;

	if (k > 0 && (num[0] == '-' || num[0] == '+')) {
		neg = num[0] == '-';
		i++;
	}
	for (; i < k; i++) {
		if (num[i] == '.' && !dot) {
			dot = 1;
			continue;
		}
		if (num[i] < '0' || num[i] > '9' || ++nd > 15)
			return -1;
		m = m * 10 + (uint64_t)(num[i] - '0');
		fd += (size_t)dot;
	}
	if (nd == 0)
		return -1;
	*v = (double)m / p10[fd];
	if (neg)
		*v = -*v;
	return 0;
}

/*
 * A cell's value: 1 and *v (canonical when the cell had a known unit,
 * unit and known set; an unknown unit's text in ut and utn), 0 for a
 * missing sample, -1 when it is no number.
 */
int
gf_parse_value(const char *s, size_t n, double *v, enum unit *u, int *known, const char **ut,
    size_t *utn, double *scale)
{
	char num[128];
	size_t i = 0, k = 0, digits = 0, group = 0, sp;
	int commas = 0;
	double f;

	*known = 0;
	*ut = NULL;
	*utn = 0;
	str_trim(&s, &n, " \t");
	if (gf_is_missing(s, n))
		return 0;
	/* Excel dialect (Grafana 6.2–6.3): "'-0.007" keeps Excel from reading a formula. */
	if (s[0] == '\'') {
		s++;
		n--;
	}
	if (i < n && (s[i] == '-' || s[i] == '+'))
		num[k++] = s[i++];
	for (; i < n && k < sizeof num - 8; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			num[k++] = s[i];
			digits++;
			group++;
		} else if (s[i] == ',' && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9') {
			/* Locale thousands separators (Grafana 5.4): 1,721,992,142.283 */
			if ((commas == 0 ? group < 1 || group > 3 : group != 3))
				return -1;
			commas++;
			group = 0;
		} else {
			break;
		}
	}
	if (commas && group != 3)
		return -1;
	if (i < n && s[i] == '.') {
		num[k++] = s[i++];
		for (; i < n && s[i] >= '0' && s[i] <= '9' && k < sizeof num - 8; i++, digits++)
			num[k++] = s[i];
	}
	if (digits == 0 || k >= sizeof num - 8)
		return -1;
	if (i + 1 < n && (s[i] == 'e' || s[i] == 'E') && (isdigit((unsigned char)s[i + 1]) ||
	    (i + 2 < n && (s[i + 1] == '-' || s[i + 1] == '+') && isdigit((unsigned char)s[i + 2])))) {
		num[k++] = s[i++];
		if (s[i] == '-' || s[i] == '+')
			num[k++] = s[i++];
		for (; i < n && isdigit((unsigned char)s[i]) && k < sizeof num - 1; i++)
			num[k++] = s[i];
	}
	if (fast_decimal(num, k, v) == -1 && strnum_double(num, k, v) == -1)
		return -1;
	for (sp = i; sp < n && s[sp] == ' '; sp++)
		;
	if (sp == n)
		return 1;
	if (gf_unit_word(s + sp, n - sp, &f, u) == 0) {
		*v *= f;
		*known = 1;
		*scale = f;
		return 1;
	}
	/* "13.7 °C", "12 req/s": a unit we do not convert; the number stands. */
	if (sp == i || n - sp > 16)
		return -1;
	for (k = sp; k < n; k++)
		if (isdigit((unsigned char)s[k]) || s[k] == ' ' || s[k] == '\'' || s[k] == '"')
			return -1;
	*u = UNIT_NONE;
	*ut = s + sp;
	*utn = n - sp;
	return 1;
}

/* ---- times ------------------------------------------------------------- */

int
gf_num_at(const char *s, size_t n, size_t *i, int min, int max, int *out)
{
	int v = 0, c = 0;

	while (*i < n && s[*i] >= '0' && s[*i] <= '9' && c < max) {
		v = v * 10 + (s[(*i)++] - '0');
		c++;
	}
	if (c < min)
		return -1;
	*out = v;
	return 0;
}

static int
mdays(int64_t y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 ? 28 + leap : dm[m - 1];
}

/*
 * A Grafana time cell. T_UTC with *ms for epoch numbers and times with a
 * zone; T_LOCAL with the wall time counted as if UTC for zone-less ones;
 * T_BAD. *clock says a time of day was written (a date alone has none).
 * order tells dotted dates apart: 2 reads 2019.29.09 as year.day.month.
 */
int
gf_time(const char *s, size_t n, int order, int64_t *ms, int *clock)
{
	size_t i = 0, nd;
	int y, a, b, mo, d, h = 0, mi = 0, sec = 0, frac = 0, fd = 0, oh, om = 0;
	int64_t off = 0;
	char sep;
	int zoned = 0;
	double x;

	*clock = 0;
	str_trim(&s, &n, " \t");
	for (nd = 0; nd < n && isdigit((unsigned char)s[nd]); nd++)
		;
	if (nd > 0 && (nd == n || s[nd] == '.') && nd != 4) {
		/* Epoch: 13 digits are ms (7.0, 8+), 10 are seconds; a fraction is dropped. */
		if (nd < n && (nd + 1 == n || strspn(s + nd + 1, "0123456789") < n - nd - 1))
			return T_BAD;
		if (nd < 10 || nd > 14 || strnum_double(s, nd, &x) == -1)
			return T_BAD;
		*ms = nd == 10 ? (int64_t)x * 1000 : (int64_t)x;
		if (nd == 10 && nd < n)
			for (i = nd + 1, fd = 100; i < n && fd > 0; i++, fd /= 10)
				*ms += (s[i] - '0') * fd;
		*clock = 1;
		return T_UTC;
	}
	if (gf_num_at(s, n, &i, 4, 4, &y) == -1 || i >= n || !strchr("-./", s[i]))
		return T_BAD;
	sep = s[i++];
	if (gf_num_at(s, n, &i, 1, 2, &a) == -1 || i >= n || s[i] != sep)
		return T_BAD;
	i++;
	if (gf_num_at(s, n, &i, 1, 2, &b) == -1)
		return T_BAD;
	mo = sep != '-' && order == 2 ? b : a;
	d = sep != '-' && order == 2 ? a : b;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays(y, mo))
		return T_BAD;
	if (i < n) {
		if (s[i] != 'T' && s[i] != 't' && s[i] != ' ')
			return T_BAD;
		i++;
		if (gf_num_at(s, n, &i, 2, 2, &h) == -1 || h > 23 || i >= n || s[i++] != ':' ||
		    gf_num_at(s, n, &i, 2, 2, &mi) == -1 || mi > 59)
			return T_BAD;
		*clock = 1;
		if (i < n && s[i] == ':') {
			i++;
			if (gf_num_at(s, n, &i, 2, 2, &sec) == -1 || sec > 60)
				return T_BAD;
			if (i < n && (s[i] == '.' || s[i] == ',')) {
				i++;
				if (i >= n || !isdigit((unsigned char)s[i]))
					return T_BAD;
				for (; i < n && isdigit((unsigned char)s[i]); i++, fd++)
					if (fd < 3)
						frac = frac * 10 + (s[i] - '0');
				for (; fd < 3; fd++)
					frac *= 10;
			}
		}
		if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
			zoned = 1;
			i++;
		} else if (i < n && (s[i] == '+' || s[i] == '-')) {
			char sign = s[i++];

			if (gf_num_at(s, n, &i, 2, 2, &oh) == -1 || oh > 23)
				return T_BAD;
			if (i < n && s[i] == ':')
				i++;
			if (i < n && gf_num_at(s, n, &i, 2, 2, &om) == -1)
				return T_BAD;
			if (om > 59)
				return T_BAD;
			off = (int64_t)(oh * 60 + om) * 60000;
			if (sign == '+')
				off = -off;
			zoned = 1;
		}
		if (i != n)
			return T_BAD;
	}
	if (sec == 60) {
		sec = 59;
		frac = 999;
	}
	*ms = ((time_days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60000 + sec * 1000 + frac + off;
	return zoned ? T_UTC : T_LOCAL;
}

void
gf_fmt_off(long secs, char *dst, size_t n)
{
	int a = (int)((secs < 0 ? -secs : secs) % 86400);

	snprintf(dst, n, "%c%02d:%02d", secs < 0 ? '-' : '+', a / 3600 % 24, a / 60 % 60);
}

/* ---- the text ------------------------------------------------------------- */

/* UTF-16 with a BOM (Grafana's "Download for Excel") into UTF-8; NULL after a diagnostic. */
char *
gf_from_utf16(const char *path, const unsigned char *d, size_t len, int be, size_t *outlen)
{
	char *o;
	size_t i, k = 0;
	uint32_t c, c2;

	if (len % 2) {
		diag_error(path, 0, 0, "UTF-16 text with an odd number of bytes (%zu)", len);
		return NULL;
	}
	o = xmalloc(len / 2 * 3 + 1);
	for (i = 2; i < len; i += 2) {
		c = be ? (uint32_t)d[i] << 8 | d[i + 1] : (uint32_t)d[i + 1] << 8 | d[i];
		if (c >= 0xD800 && c <= 0xDBFF && i + 3 < len) {
			c2 = be ? (uint32_t)d[i + 2] << 8 | d[i + 3] : (uint32_t)d[i + 3] << 8 | d[i + 2];
			if (c2 < 0xDC00 || c2 > 0xDFFF)
				goto bad;
			c = 0x10000 + ((c - 0xD800) << 10) + (c2 - 0xDC00);
			i += 2;
		} else if (c >= 0xD800 && c <= 0xDFFF) {
			goto bad;
		}
		if (c == 0)
			goto bad;
		if (c < 0x80) {
			o[k++] = (char)c;
		} else if (c < 0x800) {
			o[k++] = (char)(0xC0 | c >> 6);
			o[k++] = (char)(0x80 | (c & 0x3F));
		} else if (c < 0x10000) {
			o[k++] = (char)(0xE0 | c >> 12);
			o[k++] = (char)(0x80 | (c >> 6 & 0x3F));
			o[k++] = (char)(0x80 | (c & 0x3F));
		} else {
			/* A surrogate pair makes 4 UTF-8 bytes of 4 UTF-16 bytes: fits. */
			o[k++] = (char)(0xF0 | c >> 18);
			o[k++] = (char)(0x80 | (c >> 12 & 0x3F));
			o[k++] = (char)(0x80 | (c >> 6 & 0x3F));
			o[k++] = (char)(0x80 | (c & 0x3F));
		}
	}
	o[k] = '\0';
	*outlen = k;
	return o;
bad:
	diag_error(path, 0, 0, "invalid UTF-16 at byte %zu; expected UTF-16 text after its BOM", i + 1);
	free(o);
	return NULL;
}

/* The delimiter a header line uses: the most common of ; TAB , outside quotes. */
unsigned char
gf_guess_delim(const char *s, size_t n)
{
	size_t i, semi = 0, tab = 0, comma = 0;
	int q = 0;

	for (i = 0; i < n && s[i] != '\n' && s[i] != '\r'; i++) {
		if (s[i] == '"')
			q = !q;
		else if (!q && s[i] == ';')
			semi++;
		else if (!q && s[i] == '\t')
			tab++;
		else if (!q && s[i] == ',')
			comma++;
	}
	if (semi == 0 && tab == 0 && comma == 0)
		return 0;
	if (semi >= tab && semi >= comma)
		return ';';
	return tab >= comma ? '\t' : ',';
}

