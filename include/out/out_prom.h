/*
 * out_prom.h — a bundle's verdicts, figures and fault windows as
 * Prometheus metrics (docs/formats.md, "results.prom"): the text
 * exposition format 0.0.4 without timestamps, for a Pushgateway or a
 * textfile collector, and OpenMetrics 1.0 with every sample stamped at the
 * drill's time and a final "# EOF", for `promtool tsdb
 * create-blocks-from openmetrics`. Reads the report; owns nothing.
 */
#ifndef OUT_PROM_H
#define OUT_PROM_H

#include <stdint.h>

#include "util/buf.h"

struct report;

enum prom_format {
	PROM_TEXT,		/* results.prom */
	PROM_OPENMETRICS	/* results.om.txt */
};

/* Appends the document to out. 0, or -1 after a diagnostic (out's limit). */
int	out_prom(const struct report *, enum prom_format, struct buf *out);

/* The time every OpenMetrics sample carries: the last fault's end, else the bundle's clock. */
int64_t	out_prom_time(const struct report *);

#endif
