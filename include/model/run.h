/*
 * run.h — the model: everything sloproof knows about one load test or
 * drill, as importers found it and before anyone judges it. Importers fill
 * a run; the evaluator and the renderers only read it. A run owns every
 * byte reachable from it (strings in its arena, arrays by run_release), so
 * nothing points into a parser's memory once an import returns.
 *
 * Values are in canonical units (units.h): durations in milliseconds,
 * ratios as fractions. Every record carries its origin (source, line) so a
 * verdict can cite the evidence that decided it. "have" flags tell an
 * absent value from a zero.
 */
#ifndef RUN_H
#define RUN_H

#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "model/hist.h"
#include "model/units.h"

struct origin {
	int	src;		/* index into run.sources, -1 for none */
	long	line, col;	/* 1-based; 0 when unknown */
};

struct label {
	char	*key;
	char	*value;
};

/*
 * A selector: `name` or `name{key:value,...}`. The same syntax picks a k6
 * (sub-)metric, a series by its labels and an alert by its labels; `=` is
 * read like `:` and values may be double-quoted, so a Prometheus header
 * `up{job="api"}` is a selector too. Labels are kept sorted by key.
 */
struct selector {
	char		*name;
	struct label	*labels;
	size_t		 nlabels;
};

enum metric_type {
	MT_UNKNOWN,	/* a legacy summary export does not say; inferred from stats */
	MT_COUNTER,
	MT_GAUGE,
	MT_RATE,
	MT_TREND
};

/* One aggregate value as the tool reported it, under a canonical name. */
struct stat_value {
	char	*name;	/* avg min med max p(95) count rate passes fails value */
	double	 v;
};

/* A threshold k6 itself evaluated, kept as evidence beside our verdicts. */
struct k6_threshold {
	char		*expr;		/* as written in the script: "p(95)<1500" */
	int		 have_result;	/* the v1.5 summary does not carry results */
	int		 passed;
	struct origin	 origin;
};

/* A k6 metric or sub-metric over the whole run (or one file of it). */
struct summary {
	char			*name;		/* as k6 wrote it: http_req_duration{scenario:automation} */
	struct selector		 sel;		/* name and tags parsed from it */
	enum metric_type	 type;
	enum unit		 unit;		/* of value stats; UNIT_NONE when unknown or plain */
	int			 unit_known;	/* the evidence said (k6 "contains"); else a guess is not made */
	struct stat_value	*stats;
	size_t			 nstats;
	struct k6_threshold	*thresholds;
	size_t			 nthresholds;
	struct origin		 origin;
};

struct check {
	char		*name;
	char		*group;		/* "" for the root group, else "::webchat::auth" */
	long long	 passes, fails;
	struct origin	 origin;
};

/* A fault injected during a drill (from the drill file or `capture --mark`). */
struct fault {
	char	*name;
	char	*script;	/* may be NULL */
	int64_t	 start, end;	/* ms UTC */
	long	 line, col;	/* in the drill file */
};

/* One sample of a series. Missing samples are absent, never NaN or zero. */
struct point {
	int64_t	t;	/* ms UTC */
	double	v;	/* canonical unit */
};

/*
 * A time series: a Grafana column or row block, a Prometheus range
 * result, or k6 raw data reduced per window. Points are sorted by time
 * once the importer is done (run_series_finish).
 */
struct series {
	char		*name;		/* as written: api_latency_p95, up{job="api"} */
	struct selector	 sel;		/* name and labels parsed from it */
	enum unit	 unit;
	int		 unit_known;
	char		*unit_text;	/* a unit the cells wrote but sloproof does not convert ("°C"), or NULL */
	struct point	*pts;
	uint32_t	*lines;		/* the input line of each point, parallel to pts */
	size_t		 npts, cappts;
	int64_t		 step;		/* the usual spacing of points, ms; 0 when unknown */
	struct origin	 origin;	/* the header or first line */
};

/* An alert's firing window, merged from every notification or snapshot that mentions it. */
struct alert_interval {
	char		*name;		/* the alertname label */
	char		*fingerprint;	/* NULL when the input has none */
	struct label	*labels;	/* sorted by key */
	size_t		 nlabels;
	struct label	*annotations;	/* the last seen, sorted by key */
	size_t		 nannotations;
	char		*severity;	/* the severity label, or NULL */
	int64_t		 start;
	int		 have_end;	/* 0: still firing when captured */
	int64_t		 end;
	int		 end_approx;	/* end is when it was first seen gone (a poll, a scrape step) */
	int		 have_pending;	/* Prometheus ALERTS{alertstate="pending"} */
	int64_t		 pending_since;
	int		 always_firing;	/* Watchdog, InfoInhibitor: kept out of incident timelines */
	size_t		 annotation_changes;	/* times the annotations differed from the last seen */
	struct origin	 origin;	/* the first evidence of it */
};

/* A change of an autoscaler's replica count, or one observation of its state. */
struct scale_event {
	char		*target;	/* the HPA's name */
	int64_t		 t;		/* ms UTC */
	int64_t		 t_err;		/* 0 when exact; else t is within ±t_err (derived from a relative age) */
	int		 have_from;
	int		 from, to;	/* replicas; `to` is the new size */
	char		*reason;	/* "cpu resource utilization (percentage of request) above target" */
	struct origin	 origin;
	int		 have_t;	/* 0: a relative age with no capture time to anchor it; keep file order */
	int		 count;		/* how often kubectl saw it ("x5 over 8m28s"); 0 or 1: once */
	int64_t		 first_t;	/* count > 1 and have_t: the first occurrence, ± t_err */
};

/* One metric line of an HPA: "resource cpu on pods (as a percentage of request): 186% (372m) / 40%". */
struct hpa_metric {
	char		*kind;		/* resource, containerresource, pods, object, external, or NULL */
	char		*name;		/* cpu, http_requests; NULL when the line does not say */
	char		*current;	/* as written: "186%", "66m", "<unknown>"; NULL when absent */
	char		*target;	/* "40%", "500m"; NULL when absent */
	char		*raw;		/* describe's average in parentheses ("372m"), or NULL */
	int		 have_current, have_target;
	double		 current_v, target_v;	/* a percentage as a fraction (UNIT_RATIO), else the quantity */
	int		 percent;	/* current_v and target_v are utilization fractions */
	struct origin	 origin;
};

/* One row of an HPA's Conditions: AbleToScale True ReadyForNewScale "..." */
struct hpa_condition {
	char		*type, *status, *reason, *message;	/* reason and message may be NULL */
	struct origin	 origin;
};

/* What an HPA said about itself at one moment (kubectl describe/get). */
struct hpa_state {
	char		*name;		/* NULL when an excerpt does not say */
	char		*namespace;	/* or NULL */
	char		*reference;	/* Deployment/gateway */
	int		 have_min, have_max, have_current, have_desired;
	int		 min, max, current, desired;
	int		 have_t;
	int64_t		 t, t_err;	/* when observed */
	struct origin	 origin;
	char		*targets;	/* kubectl get's TARGETS cell as written, or NULL */
	int		 have_created;
	int64_t		 created;	/* describe's CreationTimestamp, ms UTC */
	struct hpa_metric *metrics;	/* in the run's arena */
	size_t		 nmetrics;
	struct hpa_condition *conditions;	/* in the run's arena */
	size_t		 nconditions;
};

/* An input: what it was, where it came from, what it covered. */
struct source {
	char		*path;		/* as the user gave it (display only) */
	char		*kind;		/* k6, grafana, alerts, hpa */
	char		*format;	/* k6-summary-export, k6-handle-summary, k6-summary-v1 ... */
	char		*tool_version;	/* "1.5.0" when the file says; else NULL */
	char		*format_version;	/* the schema version the file declares and was read as ("1.0.0"); else NULL */
	size_t		 size;		/* bytes on disk */
	int		 gzipped;
	char		 sha256[65];
	int		 have_generated_at;
	int64_t		 generated_at;	/* ms, when the file says */
	int		 have_duration;
	double		 duration_ms;	/* of the test run, when the file says */
};

/*
 * k6 raw output (`k6 run --out json`, in_k6raw.c) is reduced to one
 * mergeable histogram per metric x tag set x time window; the summaries
 * and series derived from it are in run.summaries and run.series, and
 * these stay for whatever needs another cut (a fault window's P95 is the
 * merge of the windows inside it). Tags are only the split tags (default
 * scenario, channel, status, expected_response, name) a point carried.
 * Windows are aligned to multiples of k6raw_window_ms since the epoch, so
 * files of parallel load generators line up and merge exactly; records are
 * sorted by metric, tags, start. The run owns the buckets (run_release).
 */
struct k6raw_hist {
	char			*metric;	/* http_req_duration */
	enum metric_type	 type;		/* MT_UNKNOWN when no Metric line declared it */
	enum unit		 unit;		/* from k6 "contains": time -> ms, data -> bytes */
	int			 unit_known;
	struct label		*tags;		/* sorted by key; in the arena */
	size_t			 ntags;
	int64_t			 start;		/* ms UTC; the window is [start, start + window) */
	struct hist		 h;		/* values in the unit above */
	struct origin		 origin;	/* the first point's source and line */
};

struct run {
	struct arena	 arena;
	struct source	*sources;
	size_t		 nsources, capsources;
	struct summary	*summaries;
	size_t		 nsummaries, capsummaries;
	struct check	*checks;
	size_t		 nchecks, capchecks;
	struct series	*series;
	size_t		 nseries, capseries;
	struct alert_interval *alerts;
	size_t		 nalerts, capalerts;
	struct scale_event *scale_events;
	size_t		 nscale_events, capscale_events;
	struct hpa_state *hpa_states;
	size_t		 nhpa_states, caphpa_states;
	const struct fault *faults;	/* the drill's; not owned */
	size_t		 nfaults;
	struct k6raw_hist *k6raw;
	size_t		 nk6raw, capk6raw;
	int64_t		 k6raw_window_ms;	/* 0 until k6 raw data is imported */
};

void	run_init(struct run *);
void	run_release(struct run *);

/* Adds a zeroed record and returns it; strings must come from run->arena. */
struct source	*run_add_source(struct run *);
struct summary	*run_add_summary(struct run *);
struct check	*run_add_check(struct run *);
struct series	*run_add_series(struct run *);
struct alert_interval *run_add_alert(struct run *);
struct scale_event *run_add_scale_event(struct run *);
struct hpa_state *run_add_hpa_state(struct run *);

/* Appends a point (arrays grow as needed); line is the input line it came from. */
void	series_add_point(struct series *, int64_t t, double v, uint32_t line);
/* Sorts points by time (stable: equal times keep input order) and sets step. */
void	series_finish(struct series *);
/* The first series whose selector equals sel, or NULL. */
const struct series *run_find_series(const struct run *, const struct selector *);
/* Whether every label of want is among have's, with the same value. */
int	selector_matches(const struct selector *want, const struct selector *have);
/* The fault of that name, or NULL. */
const struct fault *run_find_fault(const struct run *, const char *name);
/* How many sources of this kind the run has ("alerts", "hpa", ...). */
size_t	run_count_sources(const struct run *, const char *kind);

/* "counter", "gauge", "rate", "trend", or "unknown". */
const char *metric_type_name(enum metric_type);

/* Adds a stat or threshold to a summary (strings copied into the arena). */
void	summary_set_stat(struct run *, struct summary *, const char *name, double v);
struct k6_threshold *summary_add_threshold(struct run *, struct summary *, const char *expr);
/* The stat's value, or NULL when the summary has no such stat. */
const double *summary_stat(const struct summary *, const char *name);
/* The unit of one stat of a summary: count, passes and fails have none, a rate's rate is a ratio. */
enum unit summary_stat_unit(const struct summary *, const char *stat);

/*
 * Parses `name{k:v,...}` into sel, strings in arena. 0, or -1 with *errpos
 * set to the 0-based offset of the first bad byte.
 */
int	selector_parse(struct arena *, const char *s, struct selector *, size_t *errpos);
/* Same name and exactly the same labels. */
int	selector_equal(const struct selector *, const struct selector *);
/* Canonical text: name{k:v,k2:v2}, keys sorted; into dst. */
void	selector_fmt(const struct selector *, char *dst, size_t n);

/* The summary whose selector equals sel, the first one imported; or NULL. */
const struct summary *run_find_summary(const struct run *, const struct selector *);

/*
 * Canonical stat name: "p(95)", "p95", "P95" -> "p(95)"; "p(99.9)" stays;
 * "median" -> "med", "mean" -> "avg". 0, or -1 if it is no known stat.
 */
int	stat_canonical(const char *in, char *out, size_t n);

#endif
