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
};

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
 * Prometheus HTTP API answers (in_prom.c): query_range ("matrix") and
 * query ("vector") JSON, one series per result.
 */
int	in_prom_sniff(const char *data, size_t len);
int	in_prom_import(struct run *, int src, const char *path, const struct import_opts *,
	    const char *data, size_t len);

#endif
