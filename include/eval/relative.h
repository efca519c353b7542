/*
 * relative.h — before/after rules (`relative_to: before:FAULT`): the
 * rule's statistic over its window against the same statistic over an
 * equal window just before a fault. See relative.c and docs/slo.md.
 */
#ifndef EVAL_RELATIVE_H
#define EVAL_RELATIVE_H

#include "model/run.h"
#include "in/slo.h"

struct verdict;

/* Judges rule r (r->relative) into v. 0, or -1 after a diagnostic (an unknown fault, a unit clash). */
int	eval_relative(const struct run *, const struct slo_set *, const struct slo_rule *r,
	    struct verdict *v);

#endif
