/*
 * report.h — everything one bundle's documents are rendered from: the
 * drill, the run, the rules and their verdicts, plus what the bundle adds
 * (its date, its folder name, the files copied into it). Renderers
 * (report.md through templates, summary.json, junit.xml) read a struct
 * report and nothing else. It points at, and owns none of, its parts.
 */
#ifndef REPORT_H
#define REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/splimits.h"

struct drill;
struct run;
struct slo_set;
struct verdicts;
struct tctx;
struct tval;
struct buf;

/* A file copied into the bundle as it is: an evidence input or an attachment. */
struct report_file {
	char	*name;		/* path inside the bundle: evidence/x.json, attachments/y.png */
	char	*src;		/* where it was copied from (never written into the bundle) */
	char	 sha256[65];
	size_t	 size;
	int	 is_image;	/* .png .jpg .jpeg .gif .svg .webp: shown inline */
	int	 zstd;		/* stored compressed as name (which ends in .zst); sha256 and size are the input's */
};

/* One chart of a bundle, drawn: charts/NAME.png, .svg and the .csv it plots. */
struct report_chart {
	char		 name[80];
	char		 caption[1400];
	struct buf	 png, svg, csv;
};

struct report {
	const struct drill	*drill;
	const struct run	*run;
	const struct slo_set	*slo;
	const struct verdicts	*verdicts;
	const char		*root_name;		/* ROOT as given: docs/demos/perf */
	char			 date[11];		/* YYYY-MM-DD */
	char			 slug[LIM_SLUG + 8];	/* the folder name, with any -N suffix */
	int			 have_generated_at;
	int64_t			 generated_at;		/* SOURCE_DATE_EPOCH, or now */
	const char *const	*slo_names;		/* the rules' copies in the bundle: slo.yaml ... */
	size_t			 nslo;
	struct report_file	*attachments;
	size_t			 nattachments;
	const struct report_chart *charts;
	size_t			 ncharts;
};

/* k6 raw figures per channel: group 0 the whole run, group 1 + f during fault f. */
struct channel_stat {
	const char	*name;		/* the channel tag's value (the run's arena) */
	size_t		 ngroups;
	unsigned long long *requests;
	double		*p95;		/* ms; NAN when no request */
	double		*errors;	/* ratio; NAN when unknown */
	/* outside every fault (windows starting in none); requests 0 when the drill has no faults */
	unsigned long long outside_requests;
	double		 outside_p95, outside_errors;
};
size_t	report_channel_stats(const struct report *, struct channel_stat **);
void	report_channel_stats_free(struct channel_stat *, size_t);

/*
 * report_merge.c: the "exact merge" keys (merge_runners, merge_rows,
 * merge_note, merge_warning) when k6 raw output came from two or more
 * runners (the instance_id tag); nothing otherwise.
 */
void	report_merge(struct tctx *, struct tval *root, const struct report *);

/* report_pods.c: timeline rows from kubectl pod evidence, through add. */
typedef void (*report_tl_add_fn)(void *ctx, int64_t t, int64_t err, const char *kind,
    const char *what, const char *evidence);
void	report_pod_timeline(const struct run *, report_tl_add_fn add, void *ctx);

/* Draws the bundle's charts (report_charts.c). 0, or -1 after a diagnostic. */
int	report_charts(const struct report *, struct report_chart **, size_t *);
void	report_charts_free(struct report_chart *, size_t);

struct wallclock;
/*
 * The bundle's one clock: the drill's timezone (its offset at the first
 * fault's start, else at the first evidence), else UTC. Every document
 * and chart of a bundle shows times in it. Release it with wallclock_release.
 */
void	report_clock(const struct report *, struct wallclock *);
int64_t	report_clock_ref(const struct report *);

/* "pass" (all pass), "warn" (all pass or warn), "fail" (any fail or nodata). */
const char *report_overall(const struct report *);

/*
 * The values report templates see (docs/templates.md lists every key).
 * The tree lives in tc. report_keys lists the keys for tmpl_check.
 */
struct tval *report_model(struct tctx *tc, const struct report *);
extern const char *const report_keys[];
/* The keys of index.md (ROOT/<date>/index.md). */
extern const char *const index_keys[];

#endif
