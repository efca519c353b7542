/*
 * fake_eval.c — stand-ins for verdict_str, verdicts_ok (src/eval.c) and
 * cmp_op_str (src/slo.c), which are written on another branch, so that
 * the writers' tests link before the merge. #included by test programs
 * only, never built on its own.
 *
 * Weak, so that when the real ones are in libsloproof.a and something
 * pulls eval.o or slo.o into the same link, theirs win instead of the
 * link failing; the file can be deleted once they have landed.
 */
#include "eval.h"
#include "slo.h"

__attribute__((weak)) const char *
verdict_str(enum verdict_state s)
{
	switch (s) {
	case V_PASS:
		return "pass";
	case V_WARN:
		return "warn";
	case V_FAIL:
		return "fail";
	case V_NODATA:
		return "nodata";
	}
	return "?";
}

__attribute__((weak)) int
verdicts_ok(const struct verdicts *vs)
{
	size_t i;

	for (i = 0; i < vs->n; i++)
		if (vs->v[i].state == V_FAIL || vs->v[i].state == V_NODATA)
			return 0;
	return 1;
}

__attribute__((weak)) const char *
cmp_op_str(enum cmp_op op)
{
	switch (op) {
	case OP_LT:
		return "<";
	case OP_LE:
		return "<=";
	case OP_GT:
		return ">";
	case OP_GE:
		return ">=";
	case OP_EQ:
		return "==";
	}
	return "?";
}
