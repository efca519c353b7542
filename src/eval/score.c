/*
 * score.c — the run's total score and the drill verdict it gives (score.h,
 * docs/slo.md "Score"). Reads verdicts only; owns nothing.
 */
#include <string.h>

#include "eval/eval.h"
#include "eval/score.h"
#include "in/slo.h"

double
score_points(const struct verdicts *vs, size_t i)
{
	const struct verdict *v = &vs->v[i];

	switch (v->state) {
	case V_PASS:
		return v->rule->weight > 0 ? v->rule->weight : 1;
	case V_WARN:
		return (v->rule->weight > 0 ? v->rule->weight : 1) / 2;
	case V_FAIL:
	case V_NODATA:
	default:
		return 0;
	}
}

void
score_compute(const struct slo_set *set, struct verdicts *vs)
{
	struct score *s = &vs->score;
	size_t i;
	int any_fail = 0, any_warn = 0;

	memset(s, 0, sizeof *s);
	s->policy = set->score.have;
	s->have = s->policy;
	s->pass = set->score.pass;
	s->warn = set->score.warn;
	for (i = 0; i < vs->n; i++) {
		const struct verdict *v = &vs->v[i];
		/* A rule read before weights existed (a test's hand-made set) weighs 1. */
		double w = v->rule->weight > 0 ? v->rule->weight : 1;

		s->have |= v->rule->have_weight || v->rule->key;
		s->possible += w;
		s->earned += v->state == V_PASS ? w : v->state == V_WARN ? w / 2 : 0;
		if (v->state == V_FAIL || v->state == V_NODATA) {
			any_fail = 1;
			if (v->rule->key && s->nkey_failed++ == 0)
				s->first_key_failed = v->rule->name;
		}
		any_warn |= v->state == V_WARN;
	}
	s->total = s->possible > 0 ? 100 * s->earned / s->possible : 0;
	if (!s->policy)
		s->state = any_fail ? V_FAIL : any_warn ? V_WARN : V_PASS;
	/* 1e-9: 100 * 9 / 10 must not fall short of a pass of 90 by a rounding error */
	else if (s->nkey_failed > 0 || s->total + 1e-9 < s->warn)
		s->state = V_FAIL;
	else if (s->total + 1e-9 < s->pass)
		s->state = V_WARN;
	else
		s->state = V_PASS;
}
