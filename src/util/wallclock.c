/*
 * wallclock.c — times as the team's clock showed them, for documents.
 * Owns the struct tz it opens; depends on tz and timeutil only.
 */
#include <stdio.h>
#include <string.h>

#include "util/timeutil.h"
#include "util/tz.h"
#include "util/wallclock.h"

static void
offset_name(long off, char *dst, size_t n)
{
	long a = off < 0 ? -off : off;

	if (off == 0)
		snprintf(dst, n, "UTC");
	else if (a % 60)
		snprintf(dst, n, "UTC%c%02ld:%02ld:%02ld", off < 0 ? '-' : '+', a / 3600,
		    a / 60 % 60, a % 60);
	else
		snprintf(dst, n, "UTC%c%02ld:%02ld", off < 0 ? '-' : '+', a / 3600, a / 60 % 60);
}

int
wallclock_init(struct wallclock *c, const char *zone, int64_t ref_ms)
{
	memset(c, 0, sizeof *c);
	snprintf(c->name, sizeof c->name, "UTC");
	if (zone == NULL || *zone == '\0' || strcmp(zone, "UTC") == 0)
		return 0;
	if ((c->zone = tz_open(zone)) == NULL)
		return -1;
	snprintf(c->name, sizeof c->name, "%s", zone);
	c->offset = tz_offset_at(c->zone, ref_ms);
	return 0;
}

void
wallclock_fixed(struct wallclock *c, long offset)
{
	memset(c, 0, sizeof *c);
	c->offset = offset;
	offset_name(offset, c->name, sizeof c->name);
}

void
wallclock_release(struct wallclock *c)
{
	if (c->zone)
		tz_close(c->zone);
	c->zone = NULL;
}

long
wallclock_offset_at(const struct wallclock *c, int64_t ms)
{
	return c->zone ? tz_offset_at(c->zone, ms) : c->offset;
}

void
wallclock_fmt(const struct wallclock *c, int64_t ms, char *dst, size_t n)
{
	long off = wallclock_offset_at(c, ms), a = off < 0 ? -off : off;
	char t[48];
	size_t len;

	/* 2026-11-28T13:42:20Z or ...20.250Z: the local reading in UTC's form. */
	time_fmt_utc(ms + (int64_t)off * 1000, t, sizeof t);
	t[10] = ' ';
	len = strlen(t);
	t[len - 1] = '\0';
	if (off == c->offset)
		snprintf(dst, n, "%s", t);
	else
		snprintf(dst, n, "%s %c%02ld%02ld", t, off < 0 ? '-' : '+', a / 3600, a / 60 % 60);
}

void
wallclock_label(const struct wallclock *c, char *dst, size_t n)
{
	char o[24];

	offset_name(c->offset, o, sizeof o);
	if (c->zone == NULL)
		snprintf(dst, n, "%s", o);
	else
		snprintf(dst, n, "%s, %s", c->name, o);
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The length of an RFC 3339 UTC time at s ("YYYY-MM-DDTHH:MM:SS[.f+]Z"), or 0. */
static size_t
utc_len(const char *s)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd";
	size_t i;

	for (i = 0; shape[i]; i++)
		if (shape[i] == 'd' ? !is_digit(s[i]) : s[i] != shape[i])
			return 0;
	if (s[i] == '.') {
		i++;
		if (!is_digit(s[i]))
			return 0;
		while (is_digit(s[i]))
			i++;
	}
	return s[i] == 'Z' ? i + 1 : 0;
}

void
wallclock_rewrite(const struct wallclock *c, const char *s, char *dst, size_t n)
{
	size_t k = 0, len;

	if (n == 0)
		return;
	while (*s && k + 1 < n) {
		int64_t ms;
		size_t err;

		if ((s[0] == '1' || s[0] == '2') && (len = utc_len(s)) > 0 &&
		    time_parse_rfc3339(s, len, &ms, &err) == 0) {
			char t[48];
			size_t tl;

			wallclock_fmt(c, ms, t, sizeof t);
			tl = strlen(t);
			if (k + tl >= n)
				break;
			memcpy(dst + k, t, tl);
			k += tl;
			s += len;
			continue;
		}
		dst[k++] = *s++;
	}
	dst[k] = '\0';
}
