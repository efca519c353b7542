/*
 * verdict.h — the four outcomes of a rule, shared by the evaluator that
 * decides them and the bundle reader that reads them back. Nothing else.
 */
#ifndef MODEL_VERDICT_H
#define MODEL_VERDICT_H

#include <stddef.h>

enum verdict_state {
	V_PASS,
	V_WARN,		/* passed, but past the rule's warn level */
	V_FAIL,
	V_NODATA	/* the evidence does not have what the rule needs */
};

/* "pass" "warn" "fail" "nodata": the one spelling used in every document */
const char *verdict_str(enum verdict_state);

/* "3 pass, 1 warn, 0 fail, 0 nodata" from counts indexed by verdict_state. */
void	verdict_tally_text(char *dst, size_t n, const long long tally[4]);

#endif
