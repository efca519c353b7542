/* test_wallclock.c — the bundle's one clock: local times, the offset said once, rewriting. */
#include <stdint.h>

#include "t.h"
#include "util/wallclock.h"

int
main(void)
{
	struct wallclock c;
	char b[256];
	int64_t t = INT64_C(1795860720000);	/* 2026-11-28T10:12:00Z */

	T_EQ_INT(wallclock_init(&c, NULL, t), 0, "no zone is UTC");
	wallclock_label(&c, b, sizeof b);
	T_EQ_STR(b, "UTC", "UTC's label");
	wallclock_fmt(&c, t, b, sizeof b);
	T_EQ_STR(b, "2026-11-28 10:12:00", "a UTC time reads as a wall-clock time");
	wallclock_release(&c);

	if (wallclock_init(&c, "Asia/Tehran", t) == -1) {
		printf("# skip: no zoneinfo for Asia/Tehran (tzdata not installed)\n");
		return t_done();
	}
	wallclock_label(&c, b, sizeof b);
	T_EQ_STR(b, "Asia/Tehran, UTC+03:30", "the label names the zone and its offset once");
	wallclock_fmt(&c, t + 250, b, sizeof b);
	T_EQ_STR(b, "2026-11-28 13:42:00.250", "Tehran's clock, milliseconds kept");
	wallclock_rewrite(&c, "back below 1.5 s (at 2026-11-28T10:15:05Z ±5 s); peak at "
	    "2026-11-28T10:13:30.5Z, not 2026-11-28T10:13Q", b, sizeof b);
	T_EQ_STR(b, "back below 1.5 s (at 2026-11-28 13:45:05 ±5 s); peak at "
	    "2026-11-28 13:43:30.500, not 2026-11-28T10:13Q", "times inside a message move to the clock");
	wallclock_rewrite(&c, "at 2026-11-28T10:15:05Z", b, 8);
	T_EQ_INT(strlen(b) < 8, 1, "rewriting never overflows its buffer");
	wallclock_release(&c);

	if (wallclock_init(&c, "Europe/Berlin", INT64_C(1774828800000)) == 0) {
		/* 2026-03-29T23:00:00Z is after the change to CEST; the document says CET. */
		c.offset = 3600;
		wallclock_fmt(&c, INT64_C(1774825200000), b, sizeof b);
		T_EQ_STR(b, "2026-03-30 01:00:00 +0200", "an offset other than the document's is written out");
		wallclock_release(&c);
	}
	T_OK(wallclock_init(&c, "Mars/Olympus_Mons", t) == -1 && c.zone == NULL, "an unknown zone fails and leaves UTC");
	return t_done();
}
