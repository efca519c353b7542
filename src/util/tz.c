/*
 * tz.c — IANA zones read from TZif files (RFC 8536): the transition table
 * (the 64-bit block of version 2+ files, else version 1's 32-bit one) and,
 * for instants after the last transition, the POSIX TZ rule in the footer
 * ("CET-1CEST,M3.5.0,M10.5.0/3"). Chosen over setenv("TZ") + mktime so a
 * zone is plain data: no global state, no tzset, the same answer in every
 * thread and test, and a repeated hour whose two readings we can both see
 * (mktime picks one silently).
 *
 * Owns the struct tz it returns. Depends on libc and timeutil only; must
 * not depend on diag (callers say what went wrong and where).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/timeutil.h"
#include "util/tz.h"
#include "util/xalloc.h"

#define TZ_MAX_FILE	(256 * 1024)	/* the largest TZif in tzdata is ~4 KiB */

/* A POSIX TZ rule date: Mm.w.d, Jn or n, at secs local time. */
struct rule {
	char	kind;		/* 'M', 'J' or 'n' */
	int	m, w, d;	/* M: month, week 1-5, weekday 0-6; J/n: d is the day */
	long	secs;
};

struct tz {
	int64_t		*when;		/* transition instants, seconds, ascending */
	unsigned char	*idx;		/* the type in force from when[i] on */
	long		*utoff;		/* per type */
	size_t		 nwhen, ntypes;
	long		 first_off;	/* before the first transition */
	int		 have_rule;	/* the footer was understood */
	long		 std_off, dst_off;	/* seconds east of UTC */
	int		 have_dst;
	struct rule	 start, end;
};

static int64_t
be(const unsigned char *p, int n)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++)
		v = v << 8 | p[i];
	if (n == 4)
		return (int64_t)(int32_t)(uint32_t)v;
	return (int64_t)v;
}

/* ---- the POSIX TZ footer ------------------------------------------------ */

static const char *
p_name(const char *p)
{
	if (*p == '<') {
		while (*p && *p != '>')
			p++;
		return *p == '>' ? p + 1 : NULL;
	}
	if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')))
		return NULL;
	while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
		p++;
	return p;
}

/* [+-]h[h][:mm[:ss]] into seconds. */
static const char *
p_hms(const char *p, long *out)
{
	long sign = 1, v[3] = {0, 0, 0};
	int i;

	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	for (i = 0; i < 3; i++) {
		if (i > 0) {
			if (*p != ':')
				break;
			p++;
		}
		if (*p < '0' || *p > '9')
			return NULL;
		while (*p >= '0' && *p <= '9' && v[i] < 1000)
			v[i] = v[i] * 10 + (*p++ - '0');
	}
	*out = sign * (v[0] * 3600 + v[1] * 60 + v[2]);
	return p;
}

static const char *
p_num(const char *p, int *out)
{
	int v = 0;

	if (*p < '0' || *p > '9')
		return NULL;
	while (*p >= '0' && *p <= '9' && v < 1000)
		v = v * 10 + (*p++ - '0');
	*out = v;
	return p;
}

static const char *
p_rule(const char *p, struct rule *r)
{
	r->secs = 7200;
	if (*p == 'M') {
		r->kind = 'M';
		if ((p = p_num(p + 1, &r->m)) == NULL || *p++ != '.' ||
		    (p = p_num(p, &r->w)) == NULL || *p++ != '.' ||
		    (p = p_num(p, &r->d)) == NULL)
			return NULL;
		if (r->m < 1 || r->m > 12 || r->w < 1 || r->w > 5 || r->d > 6)
			return NULL;
	} else {
		r->kind = *p == 'J' ? 'J' : 'n';
		if (*p == 'J')
			p++;
		if ((p = p_num(p, &r->d)) == NULL || r->d > 365)
			return NULL;
	}
	if (*p == '/' && (p = p_hms(p + 1, &r->secs)) == NULL)
		return NULL;
	return p;
}

static void
parse_footer(struct tz *z, const char *s)
{
	const char *p = s;
	long off;

	if ((p = p_name(p)) == NULL || (p = p_hms(p, &off)) == NULL)
		return;
	z->std_off = -off;
	if (*p == '\0') {
		z->have_rule = 1;
		return;
	}
	if ((p = p_name(p)) == NULL)
		return;
	z->dst_off = z->std_off + 3600;
	if (*p && *p != ',') {
		if ((p = p_hms(p, &off)) == NULL)
			return;
		z->dst_off = -off;
	}
	if (*p++ != ',' || (p = p_rule(p, &z->start)) == NULL || *p++ != ',' ||
	    (p = p_rule(p, &z->end)) == NULL || *p != '\0')
		return;
	z->have_dst = 1;
	z->have_rule = 1;
}

static int
leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Seconds since the epoch, as local wall time, at which rule r fires in year y. */
static int64_t
rule_local(const struct rule *r, int64_t y)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int64_t days;
	int wd, mday, dim;

	if (r->kind == 'M') {
		days = time_days_from_civil(y, r->m, 1);
		wd = (int)(((days + 4) % 7 + 7) % 7);
		mday = 1 + (r->d - wd + 7) % 7 + (r->w - 1) * 7;
		dim = r->m == 2 ? 28 + leap(y) : dm[r->m - 1];
		while (mday > dim)
			mday -= 7;
		days += mday - 1;
	} else if (r->kind == 'J') {
		days = time_days_from_civil(y, 1, 1) + r->d - 1 + (leap(y) && r->d >= 60);
	} else {
		days = time_days_from_civil(y, 1, 1) + r->d;
	}
	return days * 86400 + r->secs;
}

static long
rule_offset(const struct tz *z, int64_t t)
{
	int64_t y, s, e;
	int m, d;

	if (!z->have_dst)
		return z->std_off;
	time_civil_from_days((t + z->std_off) / 86400 - ((t + z->std_off) % 86400 < 0), &y, &m, &d);
	s = rule_local(&z->start, y) - z->std_off;
	e = rule_local(&z->end, y) - z->dst_off;
	if (s < e)
		return t >= s && t < e ? z->dst_off : z->std_off;
	return t >= e && t < s ? z->std_off : z->dst_off;
}

/* ---- the TZif file -------------------------------------------------------- */

static int
parse_tzif(struct tz *z, const unsigned char *b, size_t n)
{
	const unsigned char *p = b, *data;
	int64_t cnt[6];
	size_t i, tsz = 4, blk, k;
	int ver, pass;

	for (pass = 0; pass < 2; pass++) {
		if ((size_t)(b + n - p) < 44 || memcmp(p, "TZif", 4) != 0)
			return -1;
		ver = p[4];
		for (i = 0; i < 6; i++)
			cnt[i] = be(p + 20 + 4 * i, 4);
		for (i = 0; i < 6; i++)
			if (cnt[i] < 0 || cnt[i] > 100000)
				return -1;
		/* isutcnt isstdcnt leapcnt timecnt typecnt charcnt */
		blk = (size_t)cnt[3] * tsz + (size_t)cnt[3] + (size_t)cnt[4] * 6 + (size_t)cnt[5] +
		    (size_t)cnt[2] * (tsz + 4) + (size_t)cnt[1] + (size_t)cnt[0];
		if ((size_t)(b + n - p) - 44 < blk || cnt[4] == 0)
			return -1;
		if (pass == 0 && ver >= '2') {
			p += 44 + blk;
			tsz = 8;
			continue;
		}
		data = p + 44;
		z->nwhen = (size_t)cnt[3];
		z->ntypes = (size_t)cnt[4];
		z->when = xreallocarray(NULL, z->nwhen + 1, sizeof *z->when);
		z->idx = xmalloc(z->nwhen + 1);
		z->utoff = xreallocarray(NULL, z->ntypes, sizeof *z->utoff);
		for (i = 0; i < z->nwhen; i++) {
			z->when[i] = be(data + i * tsz, (int)tsz);
			if (i > 0 && z->when[i] <= z->when[i - 1])
				return -1;
		}
		data += z->nwhen * tsz;
		for (i = 0; i < z->nwhen; i++)
			if ((z->idx[i] = data[i]) >= z->ntypes)
				return -1;
		data += z->nwhen;
		for (k = 0; k < z->ntypes; k++)
			z->utoff[k] = (long)be(data + 6 * k, 4);
		/* RFC 8536: local time before the first transition is type 0's. */
		z->first_off = z->utoff[0];
		p += 44 + blk;
		if (tsz == 8 && p < b + n && *p == '\n') {
			const unsigned char *nl = memchr(p + 1, '\n', (size_t)(b + n - p - 1));
			char foot[128];

			if (nl && (size_t)(nl - p - 1) < sizeof foot) {
				memcpy(foot, p + 1, (size_t)(nl - p - 1));
				foot[nl - p - 1] = '\0';
				parse_footer(z, foot);
			}
		}
		return 0;
	}
	return -1;
}

static int
valid_name(const char *s)
{
	const char *p;

	if (*s == '\0' || *s == '/' || strstr(s, "..") || strlen(s) > 255)
		return 0;
	for (p = s; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("/_+-", *p)))
			return 0;
	return 1;
}

struct tz *
tz_open(const char *name)
{
	const char *dir = getenv("TZDIR");
	unsigned char *b;
	struct tz *z;
	char path[4096];
	size_t n;
	FILE *f;

	if (!valid_name(name))
		return NULL;
	if (dir == NULL || *dir == '\0')
		dir = "/usr/share/zoneinfo";
	if (strlen(dir) + strlen(name) + 2 > sizeof path)
		return NULL;
	n = strlen(dir);
	memcpy(path, dir, n);
	path[n] = '/';
	memcpy(path + n + 1, name, strlen(name) + 1);
	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	b = xmalloc(TZ_MAX_FILE);
	n = fread(b, 1, TZ_MAX_FILE, f);
	fclose(f);
	z = xcalloc(1, sizeof *z);
	if (n == TZ_MAX_FILE || parse_tzif(z, b, n) == -1) {
		free(b);
		tz_close(z);
		return NULL;
	}
	free(b);
	return z;
}

void
tz_close(struct tz *z)
{
	if (z == NULL)
		return;
	free(z->when);
	free(z->idx);
	free(z->utoff);
	free(z);
}

long
tz_offset_at(const struct tz *z, int64_t utc_ms)
{
	int64_t t = utc_ms / 1000 - (utc_ms % 1000 < 0);
	size_t lo = 0, hi = z->nwhen, mid;

	if (z->nwhen == 0 || t < z->when[0])
		return z->nwhen == 0 && z->have_rule ? rule_offset(z, t) : z->first_off;
	if (t >= z->when[z->nwhen - 1] && z->have_rule)
		return rule_offset(z, t);
	/* The last transition at or before t. */
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (z->when[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return z->utoff[z->idx[lo]];
}

int
tz_local_to_utc(const struct tz *z, int64_t local, int64_t *early, int64_t *late)
{
	/* The offsets in force a day either side; transitions are months apart. */
	long before = tz_offset_at(z, local - 86400000), after = tz_offset_at(z, local + 86400000);
	int64_t a = local - (int64_t)before * 1000, b = local - (int64_t)after * 1000;
	int oka = tz_offset_at(z, a) == before, okb = tz_offset_at(z, b) == after;

	if (oka && okb && a != b) {
		*early = a < b ? a : b;
		*late = a < b ? b : a;
		return 2;
	}
	if (oka || okb) {
		*early = *late = oka ? a : b;
		return 1;
	}
	*early = *late = a;
	return 0;
}
