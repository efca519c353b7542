/*
 * verdicts.c — counting a set of verdicts: the one tally behind the
 * verdict table, summary.json, JUnit and the report. Depends on eval.h.
 */
#include "eval/eval.h"

void
verdicts_tally(const struct verdicts *vs, long long tally[4])
{
	size_t i;

	tally[V_PASS] = tally[V_WARN] = tally[V_FAIL] = tally[V_NODATA] = 0;
	for (i = 0; i < vs->n; i++)
		tally[vs->v[i].state]++;
}
