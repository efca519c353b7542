/*
 * in_bundle.h — reading bundles sloproof wrote before (their summary.json),
 * for the day's index.md, digests and comparisons. An importer of our own
 * format; it never sees a renderer. A struct bsum owns every byte reachable
 * from it (one arena), so nothing points into cJSON's memory.
 */
#ifndef IN_BUNDLE_H
#define IN_BUNDLE_H

#include <stddef.h>

#include "util/arena.h"
#include "model/verdict.h"
#include "in/slo.h"
#include "model/units.h"

struct bundle_meta {
	char	*slug;		/* the folder name */
	char	*title;
	char	*verdict;	/* pass, warn, fail */
	char	*tally;		/* "3 pass, 1 warn, 1 fail, 0 nodata" */
	char	*environment;	/* "" when absent */
	char	*evidence;	/* the inputs' sha256s, sorted and joined: the same evidence bundled again has the same */
};

/*
 * Every bundle directly under datedir (folders with a summary.json, hidden
 * ones skipped), sorted by folder name. A folder whose summary.json cannot
 * be read is reported as a warning and left out. 0, or -1 (datedir unreadable).
 */
int	in_bundle_scan_day(const char *datedir, struct bundle_meta **, size_t *n);
void	in_bundle_free(struct bundle_meta *, size_t n);

/* One SLO object of summary.json (docs/json.md). */
struct bsum_slo {
	char			*name;
	enum verdict_state	 verdict;
	enum slo_kind		 kind;		/* "metric" when the bundle predates the key */
	char			*metric;	/* selector text as written */
	char			*stat;
	int			 have_observed;
	double			 observed;	/* in unit */
	double			 limit;
	enum cmp_op		 op;
	int			 have_warn;
	double			 warn;
	enum unit		 unit;
	char			*message;
};

struct bsum_stat {
	char	*name;		/* p(95), avg, rate, count ... */
	double	 v;
};

/* One imported metric of summary.json: its statistics in canonical units. */
struct bsum_metric {
	char			*name;	/* as k6 wrote it: http_req_duration{scenario:automation} */
	enum metric_type	 type;
	enum unit		 unit;	/* of value stats (trends); UNIT_NONE when unknown */
	struct bsum_stat	*stats;
	size_t			 nstats;
};

struct bsum_followup {
	char	*id, *title;
	char	*owner, *due, *link;	/* NULL when absent */
};

/* An input or attachment as summary.json records it: where it is stored in the bundle, and its hash. */
struct bsum_file {
	char	*path;		/* relative to the bundle: evidence/..., attachments/... */
	char	*sha256;	/* 64 lowercase hex digits, or NULL when not recorded */
	char	*key;		/* "inputs[3]", for messages */
};

/* A bundle as its summary.json describes it. */
struct bsum {
	struct arena		 arena;
	char			*dir;		/* the bundle folder, as given or found */
	char			*title, *slug, *date;	/* date: YYYY-MM-DD */
	char			*environment;	/* NULL when absent */
	enum verdict_state	 verdict;	/* pass, warn or fail */
	long long		 tally[4];	/* by enum verdict_state */
	struct bsum_slo		*slos;
	size_t			 nslos;
	struct bsum_metric	*metrics;
	size_t			 nmetrics;
	struct bsum_followup	*followups;
	size_t			 nfollowups;
	struct bsum_file	*files;		/* inputs, then attachments */
	size_t			 nfiles;
	char			*evidence;	/* as bundle_meta.evidence; "" when the summary lists no inputs */
	/* what makes two bundles comparable (eval/baseline.c); absent keys leave them empty */
	char			**faults;	/* the faults' names, in the file's order */
	size_t			 nfaults;
	char			**slo_files;	/* the rules' copies in the bundle (drill.slo_files) */
	size_t			 nslo_files;
	int			 have_duration;
	double			 duration_ms;	/* the longest test run among the inputs that say */
};

/*
 * Reads dir/summary.json into b (which the caller releases with
 * in_bundle_release, also after an error). Unknown keys are ignored; a
 * missing file, bad JSON or a key of the wrong type is an error naming
 * the file and the key. 0, or -1 after a diagnostic.
 */
int	in_bundle_read(struct bsum *b, const char *dir);
/* The same from memory; path names the file in diagnostics. */
int	in_bundle_parse(struct bsum *b, const char *dir, const char *path,
	    const char *text, size_t len);
void	in_bundle_release(struct bsum *);

/* The SLO or metric of that name, or NULL. */
const struct bsum_slo *bsum_find_slo(const struct bsum *, const char *name);
const struct bsum_metric *bsum_find_metric(const struct bsum *, const char *name);
/* The stat's value, or NULL. */
const double *bsum_stat(const struct bsum_metric *, const char *name);

/*
 * Every bundle under root whose date folder (YYYY-MM-DD; other names and
 * hidden folders are skipped) lies in since..until (inclusive; NULL: no
 * bound), sorted by date, then slug (redis-outage before redis-outage-2
 * before redis-outage-10). A bundle that cannot be read is a warning and
 * left out. 0, or -1 after a diagnostic (root unreadable: bad input).
 * The caller frees the list with in_bundle_free_list.
 */
int	in_bundle_scan(const char *root, const char *since, const char *until,
	    struct bsum **out, size_t *n);
void	in_bundle_free_list(struct bsum *, size_t n);

/*
 * Whether slug is base or base-N (N >= 2): the same drill bundled again on
 * one day. base is drill_slug(title).
 */
int	bsum_same_family(const char *slug, const char *base);
/* Orders two bundles by date, then slug with -N suffixes compared as numbers. */
int	bsum_cmp_order(const struct bsum *, const struct bsum *);

#endif
