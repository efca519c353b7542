/*
 * timeutil.h — times are int64 milliseconds since the Unix epoch, UTC,
 * everywhere inside sloproof; zones exist only when parsing and printing.
 */
#ifndef TIMEUTIL_H
#define TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t	time_days_from_civil(int64_t y, int m, int d);
void	time_civil_from_days(int64_t days, int64_t *y, int *m, int *d);

/*
 * RFC 3339 date-time ("2026-11-28T10:12:00Z", "...T10:12:00.630158+05:30",
 * 'T', 't' or ' ' between date and time, 0-9 fraction digits truncated to
 * ms). 0, or -1 with *errcol set to the 1-based column of the first bad byte.
 */
int	time_parse_rfc3339(const char *s, size_t n, int64_t *ms, size_t *errcol);
/* "YYYY-MM-DD" as midnight UTC. */
int	time_parse_date(const char *s, size_t n, int64_t *ms);

/* "2026-11-28T10:12:00Z" (".123" added when ms is not whole). */
void	time_fmt_utc(int64_t ms, char *dst, size_t n);
/* "2026-11-28" */
void	time_fmt_date(int64_t ms, char *dst, size_t n);
/*
 * A duration for people, rounded to its last unit: "850 ms", "42 s",
 * "2m05s", "1h02m". The one duration format of every document.
 */
void	time_fmt_span(int64_t ms, char *dst, size_t n);

#endif
