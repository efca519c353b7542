/*
 * units.h — the unit rule, one for every source (docs/slo.md "Units"):
 *
 *   1. A value's unit comes from the evidence when the evidence says it
 *      (k6 `contains: time`, a Prometheus base-unit suffix such as
 *      `_seconds`, `_bytes`, `_ratio`, a Grafana unit or cell suffix, or
 *      `unit:` on the drill's evidence entry), else from `unit:` on the rule.
 *   2. A plain-number limit is in that unit: `below: 1.5` on a `_seconds`
 *      series is 1.5 s, on a k6 time metric 1.5 ms.
 *   3. A limit with a unit is converted; one of another kind (a duration
 *      against a ratio) is an error, and so is a limit with a unit on a
 *      value whose unit nobody said.
 *   4. When the evidence and the rule's `unit:` disagree the evidence wins,
 *      with a warning.
 *
 * Values stay canonical inside sloproof (model/units.h); the rule decides
 * only how the limits are read and in which unit a verdict is told.
 */
#ifndef NORM_UNITS_H
#define NORM_UNITS_H

#include "in/slo.h"
#include "model/run.h"
#include "model/units.h"

/* What the evidence says about one value's unit. */
struct unit_evidence {
	int		known;		/* the evidence says it */
	enum unit	unit;		/* canonical kind */
	double		scale;		/* the evidence's own unit to canonical (s: 1000); 0 reads as 1 */
	int		mixed;		/* cells wrote several scales: a plain limit is ambiguous */
	const char	*where;		/* the file, for messages */
};

/* A value and the rule's limits in one unit, and the unit to tell them in. */
struct value_units {
	double		x, limit, warn;	/* canonical */
	enum unit	unit;
	double		scale;		/* the unit compared in, to canonical */
	const char	*word;		/* "s", "ms", "%", "" */
	double		factor;		/* multiply a raw evidence value by this (rule's unit: on a unitless value) */
};

/* The unit evidence of a series or of one stat of a summary. */
struct unit_evidence unit_of_series(const struct run *, const struct series *);
struct unit_evidence unit_of_stat(const struct run *, const struct summary *, const char *stat,
    int known);

/*
 * Applies the rule to value x of rule r. 0, or -1 after a diagnostic at the
 * rule (a limit that cannot be read against this evidence).
 */
int	unit_rule(const struct slo_set *, const struct slo_rule *, const struct unit_evidence *,
    double x, struct value_units *out);

/* "1.5 s" for canonical value v told in out's unit ("0.62 %" for ratios). */
void	unit_tell(char *dst, size_t n, double v, const struct value_units *);

#endif
