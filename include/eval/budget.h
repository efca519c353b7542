/*
 * budget.h — judging an OpenSLO objective (a rule of kind SLO_BUDGET):
 * the share of good occurrences or time slices of the drill's series
 * against the objective's target. Owns nothing.
 */
#ifndef BUDGET_H
#define BUDGET_H

#include "eval/eval.h"

/*
 * Fills v; 0 (pass, fail or no data), or -1 after a diagnostic when a
 * metric source stands for no series of the evidence, or the window's
 * fault is unknown.
 */
int	eval_budget(const struct run *, const struct slo_set *, const struct slo_rule *,
	    struct verdict *);

#endif
