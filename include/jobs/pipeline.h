/*
 * pipeline.h — the one pipeline every command runs:
 *
 *	inputs → import (read once) → normalize → evaluate → render
 *
 * A plan names the inputs (KIND:PATH specs, or a drill file's evidence),
 * the rule files and the fault windows, and what is wanted besides the
 * verdicts (hashes). check, bundle, chart and inspect build a plan, run
 * it, and differ only in what they render from the result: `check
 * DRILL.yaml` and `bundle DRILL.yaml` both take the drill's plan from
 * pipeline_load_drill, so the re-check command inside a bundle re-derives
 * the bundle's verdicts exactly.
 * The pipeline owns everything it loaded (drill, rules, run, verdicts,
 * inputs) until pipeline_release.
 */
#ifndef JOBS_PIPELINE_H
#define JOBS_PIPELINE_H

#include <stddef.h>

#include "eval/eval.h"
#include "in/drill.h"
#include "in/import.h"
#include "in/slo.h"
#include "model/run.h"
#include "util/buf.h"
#include "util/splimits.h"

/* pipeline.want */
#define PLAN_HASH	0x1	/* SHA-256 of every input (summary.json, junit.xml, inspect show it) */
#define PLAN_KEEP	0x2	/* keep every input's bytes and the rule files' for the bundle */
#define PLAN_ALL_ERRORS	0x4	/* import every input even after one failed, to report them all */
#define PLAN_NORMALIZE	0x8	/* run normalize_run (all but a bare import) */
#define PLAN_NEED_INPUT	0x10	/* a drill's plan without any input is an error (bundle) */
#define PLAN_ONLY_NAMED	0x20	/* read only the series the rules name (Grafana columns) */

struct plan_input {
	const char		*spec;		/* "KIND:PATH" or a path; NULL: path and opts.kind say */
	const char		*path;		/* what is opened */
	struct import_opts	 opts;
	int			 confined;	/* read only from under pipeline.roots (a drill's evidence) */
};

struct pipeline {
	/* The plan. */
	struct plan_input	*inputs;
	size_t			 ninputs, capinputs;
	char *const		*slo;		/* rule files; none: nothing is evaluated */
	size_t			 nslo;
	unsigned		 want;		/* PLAN_* */
	const char		*drill_path;	/* pipeline_load_drill: the drill file */
	const char *const	*roots;		/* set: confined inputs must lie under one (fsio_confine) */
	size_t			 nroots;
	const char		*roots_what;	/* what the roots are, for the diagnostic */
	/* What running it made. */
	struct drill		 drill;		/* valid when drill_path */
	struct slo_set		 set;
	struct buf		 slo_bytes[LIM_SLO_FILES];	/* PLAN_KEEP: each rule file as read */
	struct run		 run;
	struct verdicts		 vs;
	const char		**named;	/* PLAN_ONLY_NAMED: the names the rules read */
	struct input		*read;		/* PLAN_KEEP: one per source of run, in order */
	size_t			 nread, capread;
	int			 have_set;
};

void	pipeline_init(struct pipeline *, unsigned want);
/* An input as the user named it: "KIND:PATH" or a path; base gives the options. */
void	pipeline_add_spec(struct pipeline *, const char *spec, const struct import_opts *base);
/*
 * The plan of a drill file: loads it into pipeline.drill and takes its
 * faults and its evidence entries, each with its own options (kind,
 * series, unit, captured_at) and the drill's time zone, confined to
 * pipeline.roots when those are set. The rules stay the caller's choice
 * (the drill's slo:, or --slo). 0, or -1 after diagnostics.
 */
int	pipeline_load_drill(struct pipeline *, const char *drill_path);
/*
 * Runs the plan: loads the rules, imports every input through the front
 * door, normalizes, evaluates (when there are rules). 0, or -1 after
 * diagnostics (bad input: exit 3; system: exit 4).
 */
int	pipeline_run(struct pipeline *);
/* pipeline_run in its two halves: rules and inputs; then normalize and evaluate. */
int	pipeline_import(struct pipeline *);
int	pipeline_evaluate(struct pipeline *);
void	pipeline_release(struct pipeline *);

#endif
