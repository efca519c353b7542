/*
 * score.h — one number for a run: each rule earns its weight when it
 * passes, half of it on a warn and nothing on a fail or no data; the
 * total is the share earned, 0-100 (the scheme of Keptn's quality gates).
 * With `score:` in the SLO file the drill's verdict follows the total
 * (pass at or above `pass:`, warn at or above `warn:`, else fail), except
 * that any `key: true` rule that fails or has no data fails the drill.
 * Without it the score is only reported and every rule must pass.
 */
#ifndef EVAL_SCORE_H
#define EVAL_SCORE_H

#include <stddef.h>

#include "model/verdict.h"

struct verdicts;
struct slo_set;

struct score {
	int		 have;		/* the rules ask for a score: `score:`, a weight or a key */
	int		 policy;	/* `score:` decides the verdict */
	double		 total;		/* 0-100 */
	double		 earned, possible;	/* sums of weights */
	double		 pass, warn;	/* the thresholds (policy only) */
	enum verdict_state state;	/* of the drill, by the rules above */
	size_t		 nkey_failed;	/* key rules that failed or had no data */
	const char	*first_key_failed;	/* the first of them, or NULL */
};

/* The points a verdict earns: its weight, half of it, or 0. */
double	score_points(const struct verdicts *, size_t i);
/* Fills vs->score from the verdicts and set's policy. */
void	score_compute(const struct slo_set *, struct verdicts *vs);

#endif
