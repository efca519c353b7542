/*
 * eval.h — judging a run against a set of SLO rules. Each rule gets one
 * verdict with everything a reader needs to check it by hand: the value
 * observed, the limit, how many samples stood behind it and the evidence
 * (file:line) that decided it. Evidence missing is "no data", never a pass.
 */
#ifndef EVAL_H
#define EVAL_H

#include <stddef.h>

#include "model/run.h"
#include "in/slo.h"
#include "model/verdict.h"
#include "eval/score.h"

struct verdict {
	const struct slo_rule	*rule;
	enum verdict_state	 state;
	int			 have_observed;
	double			 observed;	/* canonical unit */
	enum unit		 unit;		/* of observed, limit and warn */
	double			 limit;		/* the effective limit, canonical unit */
	enum cmp_op		 op;		/* observed op limit must hold */
	int			 have_warn;
	double			 warn;
	/* A breach in time (series, recovers): when the value left and came back to the healthy side. */
	int			 have_breach, have_breach_end, have_peak;
	int64_t			 breach_start, breach_end, peak_t;
	double			 peak;
	/* alert and hpa rules: when it fired / resolved / reached the target */
	int			 have_event, have_event2;
	int64_t			 event_t, event2_t, event_err;
	/* alert rules: time to fire (from the fault's start) and to resolve (from its end), ms */
	int			 have_fire, have_resolve;
	int64_t			 fire, fire_err, resolve, resolve_err;	/* err: the edge may be up to err earlier */
	int			 have_samples;
	long long		 samples;
	struct origin		 evidence;	/* where observed came from */
	const struct k6_threshold *k6;		/* k6's own verdict on the same metric, if any */
	char			 message[1024];	/* one line: why this verdict */
};

struct verdicts {
	struct verdict	*v;
	size_t		 n;
	struct score	 score;		/* score.h; computed by eval_run */
};

/*
 * Evaluates every rule of set against run into out, which the caller
 * releases whatever the result. 0, or -1 after a diagnostic when a rule
 * cannot be evaluated as written (a limit with a unit on a metric whose
 * unit is unknown); out then holds the verdicts of the other rules.
 */
int	eval_run(const struct run *, const struct slo_set *, struct verdicts *out);
void	verdicts_release(struct verdicts *);

/*
 * Whether the run passed: no FAIL or NODATA, or, when the SLO file sets
 * `score:`, a total at or above its warn level and no key rule failed.
 */
int	verdicts_ok(const struct verdicts *);

/* How many verdicts of vs are in each state, indexed by enum verdict_state. */
void	verdicts_tally(const struct verdicts *, long long tally[4]);

#endif
