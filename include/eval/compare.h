/*
 * compare.h — two bundles side by side (or one against the median of
 * several earlier ones): every SLO and key metric with its delta, the
 * direction that is worse and whether the change is a regression. A
 * struct cmp_report owns its rows and their strings (one arena); it
 * points into no bundle, so renderers need nothing but this header.
 */
#ifndef COMPARE_H
#define COMPARE_H

#include <stddef.h>

#include "util/arena.h"
#include "eval/eval.h"
#include "model/units.h"

struct bsum;

enum cmp_dir {
	CMP_NEUTRAL,		/* counters, `==` rules: shown, never flagged */
	CMP_HIGHER_WORSE,	/* latency, error rates, recovery times, `below:` rules */
	CMP_LOWER_WORSE		/* checks pass rate, `above:` rules */
};

enum cmp_result {
	CMP_SAME,		/* within the noise floor (or neutral) */
	CMP_BETTER,		/* past the noise floor, the better way */
	CMP_REGRESSION,		/* past the noise floor the worse way, or a worse verdict */
	CMP_NEW,		/* only in the new bundle */
	CMP_GONE		/* only in the base */
};

struct cmp_row {
	int			 is_slo;
	char			*name;		/* the SLO's name, or the metric as k6 wrote it */
	char			*stat;		/* p(95), avg, rate ... */
	enum unit		 unit;
	int			 have_base, have_new;
	double			 base, cur;	/* base: the median when there are several */
	int			 have_pct;	/* base and new known and base != 0 */
	double			 delta;		/* cur - base, when both are known */
	double			 pct;		/* delta / |base|, a fraction */
	enum cmp_dir		 worse;
	int			 have_verdicts;	/* SLO rows present on both sides */
	enum verdict_state	 base_verdict, new_verdict;
	int			 verdict_worse;	/* pass->warn/fail, warn->fail, anything->nodata */
	int			 value_worse;	/* past the noise floor, the worse way */
	enum cmp_result		 result;
};

/* A bundle `--baseline auto` looked at: taken into the baseline, or skipped and why. */
struct cmp_pick {
	char		*label;		/* DATE/SLUG */
	int		 picked;
	char		*why;		/* skipped: the differences; picked: NULL */
};

struct cmp_report {
	struct arena	 arena;
	double		 noise;		/* the floor, a fraction (0.1 = 10 %) */
	char		*not_alike;	/* base and new are not alike (baseline.h): why; else NULL */
	struct cmp_pick	*picks;		/* --baseline auto: the candidates, oldest first */
	size_t		 npicks;
	size_t		 nother;	/* --baseline auto: earlier bundles of other drills, not listed */
	char		*cur;		/* "DATE/SLUG" of the new bundle */
	char		**bases;	/* "DATE/SLUG" of each base bundle, oldest first */
	size_t		 nbases;
	struct cmp_row	*rows;		/* SLOs in the new bundle's order, then gone SLOs, then metrics by name */
	size_t		 nrows;
	size_t		 nregressions;
};

/*
 * Compares cur against base[0..nbase-1] (one bundle, or the last N of the
 * same drill: each value is then their median, and the base verdict the
 * median verdict, the better one of the middle two). noise is a fraction.
 * The caller releases out with compare_release.
 */
void	compare_bundles(const struct bsum *const *base, size_t nbase, const struct bsum *cur,
	    double noise, struct cmp_report *out);
void	compare_release(struct cmp_report *);

/* Notes that base and new are not alike (why, copied); renderers say it first. */
void	compare_set_not_alike(struct cmp_report *, const char *why);
/* Records a candidate of --baseline auto (strings copied). */
void	compare_add_pick(struct cmp_report *, const char *label, int picked, const char *why);

/*
 * The absolute part of the noise floor, in the unit's canonical terms: a
 * change smaller than this is noise whatever its percentage (1 ms for
 * times, 0.1 percentage point for ratios, 1 kB for sizes, 0 otherwise).
 */
double	compare_abs_floor(enum unit);

/* The rules, exposed for tests. */
enum cmp_dir compare_slo_direction(enum cmp_op);
/* For a metric without an SLO: trends higher-worse, *failed* rates higher-worse, checks lower-worse, counters neutral. */
enum cmp_dir compare_metric_direction(const char *name, enum metric_type);
/* Sets delta, pct, value_worse, verdict_worse and result of a filled row. */
void	compare_judge(struct cmp_row *, double noise);
/* The median of v[0..n-1] (sorts v); n > 0. */
double	compare_median(double *v, size_t n);
/* Whether b is a worse verdict than a. */
int	compare_verdict_worse(enum verdict_state a, enum verdict_state b);

const char *compare_dir_str(enum cmp_dir);	/* "higher", "lower", "-" */
const char *compare_result_str(enum cmp_result);	/* "regression", "better", "same", "new", "gone" */

#endif
