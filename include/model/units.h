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
/*
 * A unit word as `unit:` and the evidence write it: ns us µs ms s m h, %,
 * percent, ratio, B bytes kB MB GB KiB MiB GiB, /s, none. *scale converts
 * a value in that unit to the canonical one (s: 1000). 0, or -1 when w is
 * no unit word.
 */
int		 unit_word(const char *w, size_t n, enum unit *u, double *scale);
/* The word for a unit at a scale: (UNIT_MS, 1000) -> "s", (UNIT_RATIO, 0.01) -> "%"; "" for none. */
const char	*unit_word_of(enum unit, double scale);
/* For JSON and CSV: "ms", "ratio", "bytes", "1/s", "" (none). */
const char	*unit_name(enum unit);

#endif
