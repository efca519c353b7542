/*
 * explain.h — why a rule's metric, series, alert or autoscaler is not in
 * the evidence, in words that point at the fix: the nearest names that are
 * there ("did you mean"), a tag or tag value that no tag set has, or the
 * list of what is there. Reads the run; owns nothing.
 */
#ifndef EXPLAIN_H
#define EXPLAIN_H

#include <stddef.h>

#include "model/run.h"

enum absent_kind {
	ABSENT_METRIC,	/* k6 summaries and raw metrics, then series */
	ABSENT_SERIES,	/* time series (Grafana, Prometheus, k6 raw) */
	ABSENT_ALERT,	/* alert names and labels */
	ABSENT_HPA	/* autoscaler names */
};

/*
 * Writes into dst (n bytes) the hint for a selector found nowhere of its
 * kind, without a leading separator: "did you mean gateway_latency?",
 * "gateway_latency has no tag scenaro; did you mean scenario?",
 * "metrics there: a, b". Empty when the run has the selector after all.
 * Returns 1 when it offers near names ("did you mean"), 0 when it lists.
 */
int	explain_absent(const struct run *, const struct selector *, enum absent_kind,
	    char *dst, size_t n);

#endif
