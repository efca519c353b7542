/*
 * eval_imp.h — the evaluator's own helpers, shared by its files only
 * (eval.c: metric and recovery rules; eval_events.c: alert and autoscaler
 * rules). Nothing outside src/eval/ includes it.
 */
#ifndef EVAL_IMP_H
#define EVAL_IMP_H

#include <stddef.h>
#include <stdint.h>

#include "eval/eval.h"
#include "in/slo.h"
#include "model/run.h"

/* The fault of that name; NULL after a diagnostic naming the drill's faults. */
const struct fault *need_fault(const struct run *, const struct slo_set *,
    const struct slo_rule *, const char *name);
/* "2026-11-28T10:12:00Z" */
void	fmt_t(int64_t ms, char *dst, size_t n);
/* Whether a k6 raw histogram's tags include every label of the rule's selector. */
int	hist_matches(const struct k6raw_hist *, const struct slo_rule *);
/* Whether time t lies in the rule's window (wf: the fault it names, for during/after). */
int	eval_in_window(const struct run *, const struct slo_rule *, const struct fault *wf, int64_t t);

int	eval_alert(const struct run *, const struct slo_set *, const struct slo_rule *,
	    struct verdict *);
int	eval_hpa(const struct run *, const struct slo_set *, const struct slo_rule *,
	    struct verdict *);

#endif
