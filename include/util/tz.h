/*
 * tz.h — IANA time zones, the only code in sloproof that knows about them.
 * A zone is read from its TZif file (/usr/share/zoneinfo/NAME, or the
 * directory in TZDIR) into a struct tz the caller owns; nothing global
 * (no TZ, no tzset), so zones are pure data and safe to use anywhere.
 */
#ifndef TZ_H
#define TZ_H

#include <stdint.h>

struct tz;

/*
 * Loads zone name ("Asia/Tehran", "UTC"). NULL when the name is not a zone
 * name (absolute, "..", odd bytes) or no valid TZif file has it.
 */
struct tz	*tz_open(const char *name);
void		 tz_close(struct tz *);

/* The zone's offset from UTC, in seconds, at the instant utc_ms. */
long		 tz_offset_at(const struct tz *, int64_t utc_ms);

/*
 * The instants a wall-clock time (local_ms: the local date-time counted
 * as if it were UTC) names in the zone. Returns 1 (one instant, *early),
 * 2 (a repeated hour: *early is the first, daylight, occurrence and *late
 * the second) or 0 (a skipped hour: no such local time; *early and *late
 * are the reading with the offset in force before the gap).
 */
int		 tz_local_to_utc(const struct tz *, int64_t local_ms, int64_t *early,
		    int64_t *late);

#endif
