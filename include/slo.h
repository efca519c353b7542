/*
 * slo.h — SLO rules as read from slo.yaml (schema: docs/slo.md). A rule
 * says what to measure (a metric and a stat, over a window) and the limit.
 * The set owns its rules; strings live in its arena.
 */
#ifndef SLO_H
#define SLO_H

#include <stddef.h>

#include "arena.h"
#include "run.h"
#include "units.h"

enum slo_kind {
	SLO_METRIC	/* metric + stat compared with a limit */
};

enum cmp_op {
	OP_LT,	/* below: / "<" — the value must be under the limit */
	OP_LE,
	OP_GT,	/* above: / ">" */
	OP_GE,
	OP_EQ
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
};

struct slo_set {
	struct arena	 arena;
	char		*path;		/* as given, for messages and evidence */
	struct slo_rule	*rules;
	size_t		 nrules;
};

/* Reads and validates path; 0, or -1 after diagnostics at path:line:col. */
int	slo_load(struct slo_set *, const char *path);
/* Parses from memory (path only names it in messages). */
int	slo_parse(struct slo_set *, const char *path, const char *text, size_t len);
void	slo_release(struct slo_set *);

/* "<", "<=", ">", ">=", "==" */
const char *cmp_op_str(enum cmp_op);
/* Whether v satisfies op limit. */
int	cmp_holds(enum cmp_op, double v, double limit);

#endif
