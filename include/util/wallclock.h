/*
 * wallclock.h — the one clock a bundle's documents show times in: the
 * drill's IANA zone when it names one, else UTC. Every human-read time of
 * a bundle (tables, captions, timeline, chart axes) goes through one
 * struct wallclock so no two parts of a report disagree; machine formats
 * (summary.json, junit.xml, CSV, re-check commands) stay RFC 3339 UTC.
 * The caller owns the struct; wallclock_release frees its zone.
 */
#ifndef WALLCLOCK_H
#define WALLCLOCK_H

#include <stddef.h>
#include <stdint.h>

struct tz;

struct wallclock {
	struct tz	*zone;		/* NULL: a fixed offset (UTC when 0) */
	char		 name[64];	/* "Asia/Tehran", "UTC", "UTC+03:30" */
	long		 offset;	/* seconds east of UTC at the reference instant */
};

/*
 * The clock of zone (NULL or "": UTC), its offset taken at ref_ms (the
 * first fault's start, say). 0, or -1 when the zone cannot be loaded
 * (then the clock is UTC and the caller decides whether that is an error).
 */
int	wallclock_init(struct wallclock *, const char *zone, int64_t ref_ms);
/* A fixed offset east of UTC, in seconds (`chart --tz-offset`). */
void	wallclock_fixed(struct wallclock *, long offset);
void	wallclock_release(struct wallclock *);

/* Seconds east of UTC at ms. */
long	wallclock_offset_at(const struct wallclock *, int64_t ms);
/*
 * "2026-11-28 13:42:20" (".250" when there are milliseconds); with the
 * offset (" +0430") appended only when it differs from the reference
 * offset, as across a daylight-saving change.
 */
void	wallclock_fmt(const struct wallclock *, int64_t ms, char *dst, size_t n);
/* "Asia/Tehran, UTC+03:30" or "UTC": what a document says once. */
void	wallclock_label(const struct wallclock *, char *dst, size_t n);
/*
 * s with every RFC 3339 UTC time in it ("2026-11-28T10:12:00Z", with or
 * without fractions) written in the clock, into dst (cut to n - 1 bytes).
 */
void	wallclock_rewrite(const struct wallclock *, const char *s, char *dst, size_t n);

#endif
