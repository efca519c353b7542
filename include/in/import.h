/*
 * import.h — the front door: bringing evidence into a run. An input is
 * `KIND:PATH` or a bare path whose kind is sniffed from its content (never
 * its name). Each input is opened and read once (struct input): the bytes
 * that are parsed are the bytes that are hashed and the bytes a bundle
 * stores. Then one importer, picked from a table by kind or by sniffing,
 * translates that one format into the model; every record it adds knows
 * its source (run->sources: file, size, SHA-256) and line. Importers live
 * each in its own in_*.c, share one signature and never see a renderer.
 */
#ifndef IMPORT_H
#define IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

struct run;

/* The kinds sloproof reads; "k6" covers all k6 summary shapes, "prometheus" the HTTP API's JSON. */
extern const char *const import_kinds[];

/* import_opts.flags */
#define IMPORT_HASH	0x1	/* compute the SHA-256 of the bytes on disk (source.sha256) */
#define IMPORT_KEEP	0x2	/* keep the bytes (or, streamed, the descriptor) for input_store */
#define IMPORT_RAW	0x4	/* input_read only: bytes as they are, no sniffing, no gunzip (attachments) */

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
	unsigned	 flags;		/* IMPORT_HASH, IMPORT_KEEP */
	/*
	 * The metric names rules read (`check`): a Grafana series whose name is
	 * none of them is listed but its values are not read. NULL: read all.
	 */
	const char *const *want;
	size_t		 nwant;
};

/* Whether o asks for the series or metric name (always, when o->want is NULL or o->series is set). */
int	import_wants(const struct import_opts *o, const char *name);

/*
 * One input as the front door read it, from one open(2). A small input is
 * read whole: raw holds the bytes on disk, text what importers parse (raw
 * inflated when it was gzip, else raw itself). A k6 raw NDJSON input, which
 * may be gigabytes, is streamed by its importer from fd instead (streamed
 * set, raw holds only the head that was sniffed). A plain Grafana CSV
 * that is neither hashed nor kept is mapped instead (mapped set, text and
 * len the mapping), and its importer gives back the pages it has read.
 * gzip and zstd (gzipped 1 and 2) are inflated; sha256 is "" unless
 * IMPORT_HASH was asked.
 */
struct input {
	const char	*path;		/* what was opened */
	const char	*display;	/* as the user wrote it: diagnostics and evidence */
	const char	*kind;		/* as named, or as sniffed */
	int		 fd;		/* -1 once closed */
	int		 streamed;	/* k6 raw: the importer reads fd itself */
	int		 gzipped;	/* 1 gzip, 2 zstd */
	int		 mapped;	/* text is a read-only mapping of the whole file */
	unsigned	 flags;		/* IMPORT_HASH, IMPORT_KEEP */
	size_t		 size;		/* bytes on disk */
	char		 sha256[65];	/* of the bytes on disk; "" when not asked */
	struct buf	 raw;		/* the bytes on disk (a streamed input: its head only) */
	struct buf	 inflated;	/* raw inflated, when gzipped */
	const char	*text;		/* what is parsed: raw or inflated */
	size_t		 len;
	void		*ahead;		/* k6 raw: read ahead on another thread (import_files) */
};

/*
 * Every importer has this signature: translate data (len bytes, the input's
 * text) into run as source src, naming display in diagnostics. 0, or -1
 * after diagnostics (bad input: exit 3; out of memory or I/O: exit 4).
 */
typedef int import_fn(struct run *, int src, const struct import_opts *, const char *display,
    const char *data, size_t len);

/* One row of the importer table (import.c): tried in order when sniffing. */
struct importer {
	const char	*kind;		/* what KIND:PATH names */
	int		(*sniff)(const char *head, size_t len);
	import_fn	*import;
	/* A streaming importer reads the input's descriptor itself (k6 raw). */
	int		(*import_fd)(struct run *, int src, const struct import_opts *, struct input *);
	/* An importer that reads a mapped input in chunks, giving pages back (Grafana CSV). */
	int		(*import_mapped)(struct run *, int src, const struct import_opts *,
			    struct input *);
};
extern const struct importer importers[];

/*
 * The front door's single pass over one file: open, read (whole, or the
 * head of a k6 raw stream), inflate, hash when flags say so. kind may be
 * NULL (sniffed later by import_input). 0, or -1 after a diagnostic.
 */
int	input_read(struct input *, const char *path, const char *display, const char *kind,
	    unsigned flags);
/*
 * Writes the input's bytes on disk, exactly as read, to the new file dst:
 * from memory, or, for a streamed input, from its still open descriptor,
 * hashed again as they are copied; a file that changed since it was parsed
 * is an error, so a bundle never stores bytes other than those it checked.
 * Needs IMPORT_KEEP (and, streamed, IMPORT_HASH). 0, or -1.
 */
int	input_store(const struct input *, const char *dst);
void	input_release(struct input *);

/*
 * Imports an input that input_read filled: names or sniffs its kind, adds
 * one source (display, kind, size, gzip, sha256) to run and hands the text
 * (or the descriptor) to the importer of that kind. 0, or -1 after
 * diagnostics.
 */
int	import_input(struct run *, const struct import_opts *, struct input *);
/*
 * The preamble every text importer starts with: at most LIM_INPUT_BYTES,
 * UTF-16 refused ("expected ENCODING"), a UTF-8 byte order mark skipped
 * (*text and *n narrowed), white space alone refused ("empty file;
 * expected EXPECTED"). 0, or -1 after a diagnostic.
 */
int	import_preamble(const char *display, const char **text, size_t *n, const char *encoding,
	    const char *expected);
/* Whether one more input of kind (NULL: to be sniffed) may come in: 0, or -1 after a diagnostic. */
int	import_admit(const struct run *, const char *kind, const char *display);

/* import_file with options; display names the input in diagnostics. */
int	import_file_opts(struct run *, const struct import_opts *, const char *path,
	    const char *display);
/*
 * import_file_opts of n inputs in order (opts[i], paths[i], named
 * displays[i]), with the same run and the same diagnostics in the same
 * order as one call after the other; but the k6 raw files among them
 * (the runners of one k6-operator run) are read in parallel, each on a
 * thread of its own, and merged in input order. With all_errors every
 * input is tried even after one failed. 0, or -1 after diagnostics.
 */
int	import_files(struct run *, size_t n, const struct import_opts *opts,
	    const char *const *paths, const char *const *displays, int all_errors);

/*
 * Reads path and imports it as kind (NULL: sniff) into run, adding one
 * source. display is the name used in diagnostics and evidence (the path
 * as the user wrote it). 0, or -1 after diagnostics (exit 3 or 4).
 */
int	import_file(struct run *, const char *kind, const char *path, const char *display);
/* "k6:run.json" or "run.json": splits and calls import_file. */
int	import_spec(struct run *, const char *spec);
/*
 * Splits "KIND:PATH" into kind (a known kind, else "") and *path (into
 * spec); a word that looks like an unknown kind is an error. 0, or -1.
 */
int	import_spec_split(const char *spec, char kind[32], const char **path);
/* The same with options (opts->kind is replaced by the spec's). */
int	import_spec_opts(struct run *, const struct import_opts *, const char *spec);
/* import_spec_opts of n specs, through import_files (k6 raw files read side by side). */
int	import_specs(struct run *, const struct import_opts *, char *const *specs, size_t n,
	    int all_errors);

/*
 * k6 end-of-test summaries (in_k6sum.c): the legacy --summary-export,
 * handleSummary() data, and the v1.5+ machine-readable summary.
 */
int	in_k6sum_sniff(const char *data, size_t len);
int	in_k6sum_import(struct run *, int src, const struct import_opts *, const char *path,
	    const char *data, size_t len);

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
 * The same for a mapped input (in->mapped: plain, not gzip): read in
 * chunks of rows, pages read given back, and only the values of the
 * series o->want names kept.
 */
int	in_grafana_import_mapped(struct run *, int src, const struct import_opts *, struct input *);

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
 * kubectl pod evidence (in_pods.c): `kubectl get pods -w` with a time in
 * front of each line, and `kubectl get events` / `kubectl events` (ages
 * anchored by opts->captured_at). Fills run->pod_events, sorted by time.
 */
int	in_pods_sniff(const char *data, size_t len);
int	in_pods_import(struct run *, int src, const struct import_opts *, const char *path,
	    const char *data, size_t len);

/*
 * k6 raw NDJSON, `k6 run --out json=F[.gz]` (in_k6raw.c). sniff looks at
 * the first line only. import_fd streams the input's open descriptor from
 * its start (it may be gigabytes; gzip is inflated on the fly), fills the
 * source src that the caller added (size, and sha256 when in->flags has
 * IMPORT_HASH) and merges the file's histograms into the run's; the
 * summaries and series are derived from them by normalize_run.
 */
int	in_k6raw_sniff(const char *head, size_t len);
int	in_k6raw_import_fd(struct run *, int src, const struct import_opts *, struct input *);
/*
 * Reads the k6 raw input in (input_read found it streamed) into in->ahead
 * without touching any run, its diagnostics held back: safe on a thread
 * of its own beside other inputs. in_k6raw_import_fd then only merges it
 * (printing the held diagnostics first); input_release frees what was
 * never merged.
 */
void	in_k6raw_read_ahead(const struct import_opts *, struct input *);
void	in_k6raw_ahead_free(void *);
/* The same for bytes in memory (tests, the fuzzer); size and sha256 are left alone. */
int	in_k6raw_import_mem(struct run *, int src, const struct import_opts *,
	    const char *display, const char *data, size_t len);

/*
 * Prometheus HTTP API answers (in_prom.c): query_range ("matrix") and
 * query ("vector") JSON, one series per result.
 */
int	in_prom_sniff(const char *data, size_t len);
int	in_prom_import(struct run *, int src, const struct import_opts *, const char *path,
	    const char *data, size_t len);

#endif
