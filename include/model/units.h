/*
 * units.h — the few units an SLO talks about, and their canonical form
 * inside sloproof: durations in milliseconds, ratios as fractions (1 % is
 * 0.01), sizes in bytes, rates per second.
 */
#ifndef UNITS_H
#define UNITS_H

#include <stddef.h>

enum unit {
	UNIT_NONE,	/* a plain number: no unit known or needed */
	UNIT_MS,	/* a duration, in milliseconds */
	UNIT_RATIO,	/* a fraction, 0..1 */
	UNIT_BYTES,
	UNIT_PER_S,	/* events per second */
	UNIT_BYTES_PER_S
};

struct quantity {
	double		v;	/* in the canonical unit */
	enum unit	unit;
};

/*
 * "1.5s", "1500ms", "2m", "1h", "250us", "1%", "0.01", "3.5kB", "120/s".
 * Durations: ns us µs ms s m h. 0, or -1 when s is not a quantity.
 */
int		 unit_parse(const char *s, struct quantity *out);
/* For people: "873.2 ms", "1.731 s", "0.62 %", "3.5 MB", "8621 /s", "42". */
void		 unit_fmt(char *dst, size_t n, double v, enum unit);
/* For JSON and CSV: "ms", "ratio", "bytes", "1/s", "" (none). */
const char	*unit_name(enum unit);

#endif
