/*
 * import.h — bringing evidence into a run. An input is `KIND:PATH` or a
 * bare path whose kind is sniffed from its content (never its name).
 * Each importer lives in its own in_*.c and never sees a renderer.
 */
#ifndef IMPORT_H
#define IMPORT_H

#include <stddef.h>
#include <stdint.h>

struct run;

/* The kinds sloproof reads; "k6" covers all k6 summary shapes, "prometheus" the HTTP API's JSON. */
extern const char *const import_kinds[];

/* What an importer may need besides the bytes: all optional. */
struct import_opts {
	const char	*kind;		/* NULL: sniff from the content */
	const char	*timezone;	/* IANA zone for times written without one (Grafana) */
	const char	*series;	/* the name of a file's single unnamed series */
	const char	*unit;		/* the unit of plain values: ms, s, %, ... */
	int		 have_captured_at;
	int64_t		 captured_at;	/* anchors relative ages (kubectl's "5m") */
	int64_t		 window_ms;	/* k6 raw: histogram window; 0 = 10 s */
	const char	*split_tags;	/* k6 raw: comma list of tags to split by; NULL = default */
	/*
	 * The metric names rules read (`check`): a Grafana series whose name is
	 * none of them is listed but its values are not read. NULL: read all.
	 */
	const char *const *want;
	size_t		 nwant;
	int		 hash;		/* record the SHA-256 of each input (bundle); 0: do not hash */
};

/* Whether o asks for the series or metric name (always, when o->want is NULL or o->series is set). */
int	import_wants(const struct import_opts *o, const char *name);

/* import_file with options; display names the input in diagnostics. */
int	import_file_opts(struct run *, const struct import_opts *, const char *path,
	    const char *display);

/*
 * Reads path and imports it as kind (NULL: sniff) into run, adding one
 * source. display is the name used in diagnostics and evidence (the path
 * as the user wrote it). 0, or -1 after diagnostics (exit 3 or 4).
 */
int	import_file(struct run *, const char *kind, const char *path, const char *display);
/* "k6:run.json" or "run.json": splits and calls import_file. */
int	import_spec(struct run *, const char *spec);
/* The same with options (opts->kind is replaced by the spec's). */
int	import_spec_opts(struct run *, const struct import_opts *, const char *spec);

/*
 * k6 end-of-test summaries (in_k6sum.c): the legacy --summary-export,
 * handleSummary() data, and the v1.5+ machine-readable summary.
 */
int	in_k6sum_sniff(const char *data, size_t len);
int	in_k6sum_import(struct run *, int src, const char *path, const char *data, size_t len);

/*
 * Alertmanager and Prometheus alert evidence (in_alerts.c): webhook
 * payloads (one, NDJSON, concatenated or an array), API v1/v2 alert lists
 * and groups, polled snapshots, ALERTS range queries, amtool tables. One
 * interval per alert and firing episode; an episode matching one from an
 * earlier input of the run (same labels, same start) merges into it. All
 * of run->alerts is left sorted by start, then name.
 */
int	in_alerts_sniff(const char *data, size_t len);
int	in_alerts_import(struct run *, int src, const struct import_opts *, const char *path,
	    const char *data, size_t len);

/*
 * Grafana panel CSV downloads (in_grafana.c): legacy "Export CSV" (series
 * as rows or columns, table panels, the Excel dialect) and 7+'s Inspect →
 * Data → Download CSV, in UTF-8 or UTF-16. o may be NULL.
 */
int	in_grafana_sniff(const char *data, size_t len);
int	in_grafana_import(struct run *, int src, const struct import_opts *, const char *path,
	    const char *data, size_t len);
/*
 * The same for a plain (not gzip, not UTF-16) file, mapped and read in
 * chunks of rows: pages read are given back, and only the values of
 * series o->want names are kept. Sets the source's size.
 */
int	in_grafana_import_path(struct run *, int src, const struct import_opts *,
	    const char *path, const char *display);

/*
 * kubectl HPA output (in_hpa.c): `describe hpa`, `get hpa` (also -w and
 * --no-headers) and `get hpa -o yaml|json`. opts->captured_at anchors
 * relative ages; without it a `date` line or `# captured_at:` comment in
 * the file does.
 */
int	in_hpa_sniff(const char *data, size_t len);
int	in_hpa_import(struct run *, int src, const struct import_opts *, const char *path,
	    const char *data, size_t len);

/*
 * k6 raw NDJSON, `k6 run --out json=F[.gz]` (in_k6raw.c). sniff looks at
 * the first line only. import_path streams the file itself (it may be
 * gigabytes; gzip is inflated on the fly), fills the source src that the
 * caller added (size, sha256, format) and merges the file's histograms
 * into the run's, re-deriving the k6 raw summaries and series.
 */
int	in_k6raw_sniff(const char *head, size_t len);
int	in_k6raw_import_path(struct run *, int src, const struct import_opts *,
	    const char *path, const char *display);
/* The same for bytes in memory (tests, the fuzzer); size and sha256 are left alone. */
int	in_k6raw_import_mem(struct run *, int src, const struct import_opts *,
	    const char *display, const char *data, size_t len);

/*
 * Prometheus HTTP API answers (in_prom.c): query_range ("matrix") and
 * query ("vector") JSON, one series per result.
 */
int	in_prom_sniff(const char *data, size_t len);
int	in_prom_import(struct run *, int src, const char *path, const struct import_opts *,
	    const char *data, size_t len);

#endif
