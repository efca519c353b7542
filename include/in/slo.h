/*
 * slo.h — SLO rules as read from slo.yaml (schema: docs/slo.md). A rule
 * says what to measure (a metric and a stat, over a window) and the limit.
 * The set owns its rules; strings live in its arena.
 */
#ifndef SLO_H
#define SLO_H

#include <stddef.h>

#include "util/arena.h"
#include "model/run.h"
#include "model/units.h"

enum slo_kind {
	SLO_METRIC,	/* a statistic of a metric or series, over a window, against a limit */
	SLO_RECOVERS,	/* a series back on the healthy side within a time after a fault */
	SLO_ALERT,	/* an alert fires (and resolves) within a time of a fault, or never fires */
	SLO_HPA,	/* an autoscaler reaches a replica count within a time of a fault */
	SLO_BUDGET	/* an OpenSLO objective: enough good occurrences or time slices (openslo.c) */
};

/* OpenSLO's budgetingMethod. */
enum budget_method {
	BUDGET_OCCURRENCES,	/* good events / all events >= target */
	BUDGET_TIMESLICES,	/* good slices / all slices >= target */
	BUDGET_RATIO_TIMESLICES	/* the mean of the slices' good ratios >= target */
};

/*
 * One OpenSLO metricSource and the evidence series it stands for
 * (docs/openslo.md): the series an annotation names, else the one
 * `sloproof capture` stored the query under, else the query itself when
 * it is a plain Prometheus selector.
 */
struct budget_source {
	const char	*field;		/* "thresholdMetric", "ratioMetric.good" ... for messages */
	char		*series;	/* metadata.annotations sloproof.io/series...: or NULL */
	char		*capname;	/* the file name capture gives the query (a metric name) */
	char		*query;		/* spec.query as written, or NULL */
	char		*type;		/* Prometheus, or NULL when the document does not say */
	char		*file;		/* the file of the document that holds it (an SLI may be apart) */
	long		 line, col;	/* of the metricSource */
};

/* What an OpenSLO objective adds to a rule (kind SLO_BUDGET). */
struct slo_budget {
	enum budget_method method;
	int		 ratio;		/* ratioMetric; else thresholdMetric (op/limit in the rule) */
	int		 bad;		/* ratio: src[0] counts bad events, not good ones */
	int		 counter;	/* ratio: the series are monotonic counters */
	struct budget_source src[2];	/* threshold: [0]; ratio: [0] good or bad, [1] total */
	double		 target;	/* 0..1 */
	double		 slice_target;	/* timeslices: a slice is good at this ratio or above */
	int64_t		 slice_ms;	/* timeslices: the slice length */
	int64_t		 window_ms;	/* timeWindow's duration (told, not applied: a drill is shorter) */
	int		 rolling;
	char		*slo_name;	/* metadata.name of the SLO document */
	char		*sli_name;	/* of the indicator (inline or referenced) */
	size_t		 doc;		/* the SLO's document index in its stream, from 1 */
};

enum window_kind {
	WIN_ALL,	/* the whole run */
	WIN_DURING,	/* from the fault's start to its end */
	WIN_AFTER,	/* from the fault's end to the end of the data */
	WIN_OUTSIDE	/* outside every fault */
};

enum cmp_op {
	OP_LT,	/* below: / "<" — the value must be under the limit */
	OP_LE,
	OP_GT,	/* above: / ">" */
	OP_GE,
	OP_EQ
};

enum rel_kind {
	REL_FACTOR,	/* at_most: 3x */
	REL_OFFSET,	/* at_most: +500ms */
	REL_NORMAL	/* no limit: back within the before window's own noise */
};

struct slo_rule {
	char		*name;		/* unique in the set; the JUnit testcase name */
	enum slo_kind	 kind;
	char		*metric;	/* selector text as written */
	struct selector	 sel;
	char		 stat[32];	/* canonical (run.h stat_canonical) */
	enum cmp_op	 op;
	double		 limit;		/* canonical unit */
	enum unit	 limit_unit;	/* UNIT_NONE: a plain number */
	char		*limit_text;	/* as written: "1.5s", "rate<0.01" */
	int		 have_warn;
	double		 warn;		/* same unit as limit */
	char		*warn_text;
	int		 k6_form;	/* written as `threshold: p(95)<1500` */
	int		 have_unit;	/* `unit:` says what the metric's plain values are */
	enum unit	 metric_unit;
	double		 metric_scale;	/* value * scale = canonical (e.g. s -> ms: 1000) */
	char		*description;
	long		 line, col;	/* of the rule in the file */
	char		*file;		/* the SLO file it came from */

	/* metric rules over series */
	enum window_kind window;
	char		*window_fault;	/* WIN_DURING, WIN_AFTER */

	/* recovers, alert and hpa rules */
	char		*fault;		/* the fault they are measured against */
	int64_t		 within;	/* ms: recovers, hpa reaches */
	int		 have_hold;
	int64_t		 hold;		/* ms the series must stay healthy */
	int		 from_start;	/* recovers: measure from the fault's start */

	/* alert rules: `alert:` is in metric/sel */
	int		 have_fires_within, have_resolves_within, must_not_fire;
	int64_t		 fires_within, resolves_within;

	/* hpa rules: the HPA's name is in metric */
	int		 reaches_max;	/* reaches: max */
	int		 reaches;	/* reaches: N */
	int		 have_returns, returns_min, returns_to;
	int64_t		 returns_within;
	int		 have_returns_within;

	/*
	 * before/after rules (slo_relative.c, eval/relative.c): the rule's
	 * statistic over its window against the same statistic over an equal
	 * window just before relative_fault.
	 */
	int		 relative;	/* `relative_to: before:FAULT` */
	char		*relative_fault;
	enum rel_kind	 rel_kind;
	double		 rel_value;	/* the factor, or the offset (canonical unit, signed) */
	enum unit	 rel_unit;	/* of an offset; UNIT_NONE: plain, in the metric's unit */
	int		 worse_lower;	/* a drop is the bad direction (`at_least:`, `worse: lower`) */
	int64_t		 settle;	/* ms: an after window starts this long after the fault's end */

	/* `recovers: ready(DEPLOYMENT)` (slo_ready.c, eval/ready.c): the workload is in metric */
	int		 ready;

	/* the score (slo_score.c): weight 1 unless `weight:` says otherwise */
	double		 weight;
	int		 have_weight;
	int		 key;		/* `key: true`: failing it fails the drill, whatever the score */

	/* OpenSLO objectives (in/openslo.c, eval/budget.c); in the set's arena */
	struct slo_budget *budget;
};

/*
 * `score:` at the top of an SLO file: the total score (0-100) a run must
 * reach to pass, and to escape a fail (between warn and pass it is a warn).
 */
struct slo_score {
	int		 have;
	double		 pass, warn;	/* percent */
	char		*file;
	long		 line, col;
};

struct buf;

struct slo_set {
	struct arena	 arena;
	char		*path;		/* as given, for messages and evidence */
	struct slo_rule	*rules;
	size_t		 nrules;
	struct slo_score score;
};

/* Reads and validates path; 0, or -1 after diagnostics at path:line:col. */
int	slo_load(struct slo_set *, const char *path);
/* Reads several files into one set (rule names unique across them). */
int	slo_load_many(struct slo_set *, char *const *paths, size_t n);
/*
 * slo_load_many that also hands back each file's bytes, as read and parsed,
 * in keep[i] (n bufs, initialised by the caller): what a bundle stores.
 */
int	slo_load_many_keep(struct slo_set *, char *const *paths, size_t n, struct buf *keep);
/* Parses from memory (path only names it in messages). */
int	slo_parse(struct slo_set *, const char *path, const char *text, size_t len);
void	slo_release(struct slo_set *);

struct ynode;
/*
 * slo_relative.c: `relative_to:`, `at_most:`, `at_least:`, `worse:` of a
 * metric rule mapping m, in place of `below:`/`above:`; 0, or -1 after a
 * diagnostic.
 */
int	slo_relative_rule(struct slo_set *, const char *path, const struct ynode *m,
	    struct slo_rule *);
/*
 * slo_ready.c: a `recovers: ready(DEPLOYMENT)` rule mapping m (within,
 * hold, fault, from); 0, or -1 after a diagnostic.
 */
int	slo_ready_rule(struct slo_set *, const char *path, const struct ynode *m,
	    struct slo_rule *);
/* slo_score.c: `weight:` and `key:` of rule mapping m; 0, or -1 after a diagnostic. */
int	slo_score_rule(const char *path, const struct ynode *m, struct slo_rule *);
/* slo_score.c: the `score:` mapping n into set->score; 0, or -1 after a diagnostic. */
int	slo_score_policy(struct slo_set *, const char *path, const struct ynode *n);

/*
 * openslo.c: the rules of the OpenSLO documents of file `which` among
 * texts[0..n) (an SLO may name an SLI of any of them), appended to set
 * (its arena, rules and nrules; rules grows with xgrow); 0, or -1 after a
 * diagnostic at the document, field and reason.
 */
int	openslo_rules(struct slo_set *, size_t which, char *const *paths,
	    const char *const *texts, const size_t *lens, size_t n);
/* The line of an `apiVersion: openslo/...` in text, or 0: whether it is OpenSLO. */
long	openslo_line(const char *text, size_t len);

/* "<", "<=", ">", ">=", "==" */
const char *cmp_op_str(enum cmp_op);
/* "all", "during:F", "after:F", "outside-faults" into buf. */
void	window_str(const struct slo_rule *, char *buf, size_t n);
/* Whether v satisfies op limit. */
int	cmp_holds(enum cmp_op, double v, double limit);

#endif
