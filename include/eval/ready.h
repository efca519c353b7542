/*
 * ready.h — `recovers: ready(DEPLOYMENT)` rules: how long after a fault
 * every pod of a workload was ready again, from kubectl's pod evidence.
 */
#ifndef EVAL_READY_H
#define EVAL_READY_H

#include "model/run.h"
#include "in/slo.h"

struct verdict;

/* Judges r (r->ready) into v. 0, or -1 after a diagnostic (an unknown fault). */
int	eval_ready(const struct run *, const struct slo_set *, const struct slo_rule *r,
	    struct verdict *v);

#endif
