/*
 * test_k6raw.c — the k6 raw NDJSON importer: every line shape (key order,
 * tags null / {} / map, escapes, time precisions and offsets, metadata,
 * sub/tainted), corrupt lines reported with their numbers, gzip, files of
 * parallel generators merging exactly, threads giving the same result as
 * one, the tag-set explosion warning, windows, SLO selectors on the
 * derived summaries and series, and every corpus file.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "t.h"

#include "util/buf.h"
#include "util/diag.h"
#include "in/import.h"
#include "model/run.h"
#include "out/out_json.h"
#include "util/splimits.h"
#include "util/timeutil.h"

static FILE	*cap;
static char	*cap_buf;
static size_t	 cap_len;
static char	 tmpdir[] = "/tmp/test_k6raw.XXXXXX";

static void
cap_begin(void)
{
	cap_buf = NULL;
	cap_len = 0;
	cap = open_memstream(&cap_buf, &cap_len);
	diag_set_stream(cap);
	diag_reset();
}

static char *
cap_end(void)
{
	fclose(cap);
	diag_set_stream(NULL);
	return cap_buf;
}

static const char *
tmp(const char *name)
{
	static char p[4][256];
	static int k;

	k = (k + 1) % 4;
	snprintf(p[k], sizeof p[k], "%s/%s", tmpdir, name);
	return p[k];
}

static void
put(const char *name, const char *s, size_t n)
{
	FILE *f = fopen(tmp(name), "w");

	fwrite(s, 1, n, f);
	fclose(f);
}

static void
put_gz(const char *name, const char *s, size_t n)
{
	gzFile g = gzopen(tmp(name), "wb");

	gzwrite(g, s, (unsigned)n);
	gzclose(g);
}

/* Imports files (NULL-terminated) into run; returns the diagnostics (caller frees) and *rc. */
static char *
import(struct run *run, const struct import_opts *o, int *rc, ...)
{
	struct import_opts def;
	const char *f;
	va_list ap;

	memset(&def, 0, sizeof def);
	def.flags = IMPORT_HASH;	/* the tests compare the sources' SHA-256 */
	run_init(run);
	cap_begin();
	*rc = 0;
	va_start(ap, rc);
	while ((f = va_arg(ap, const char *)) != NULL)
		if (import_file_opts(run, o ? o : &def, tmp(f), f) == -1)
			*rc = -1;
	va_end(ap);
	return cap_end();
}

static const double *
stat_of(const struct run *run, const char *sel, const char *stat)
{
	struct selector s;
	struct arena a;
	const struct summary *sum;
	const double *v;

	arena_init(&a);
	selector_parse(&a, sel, &s, NULL);
	sum = run_find_summary(run, &s);
	v = sum ? summary_stat(sum, stat) : NULL;
	arena_release(&a);
	return v;
}

static double
stat_v(const struct run *run, const char *sel, const char *stat)
{
	const double *v = stat_of(run, sel, stat);

	return v ? *v : -12345;
}

static const struct series *
series_of(const struct run *run, const char *sel)
{
	struct selector s;
	struct arena a;
	const struct series *r;

	arena_init(&a);
	selector_parse(&a, sel, &s, NULL);
	r = run_find_series(run, &s);
	arena_release(&a);
	return r;
}

/* Every shape a k6 version has written, in one file. */
static const char shapes[] =
    "{\"type\":\"Metric\",\"data\":{\"type\":\"trend\",\"contains\":\"time\",\"tainted\":null,"
    "\"thresholds\":[\"p(95)\\u003c1500\"],\"submetrics\":null,\"sub\":{\"name\":\"\",\"parent\":\"\","
    "\"suffix\":\"\",\"tags\":null}},\"metric\":\"http_req_duration\"}\n"
    /* 2: metric last, 9 fraction digits, +02:00 */
    "{\"type\":\"Point\",\"data\":{\"time\":\"2026-11-28T12:00:01.123456789+02:00\",\"value\":100,"
    "\"tags\":{\"channel\":\"instagram\",\"status\":\"200\",\"url\":\"https://x/1\"}},\"metric\":\"http_req_duration\"}\n"
    /* 3: metric first, no fraction, Z, metadata */
    "{\"metric\":\"http_req_duration\",\"type\":\"Point\",\"data\":{\"time\":\"2026-11-28T10:00:02Z\","
    "\"value\":200.5,\"tags\":{\"channel\":\"instagram\",\"status\":\"200\"},\"metadata\":{\"trace_id\":\"ab\\\"c\"}}}\n"
    /* 4: keys in another order, escaped tag value (\u0077eb = web), 1 fraction digit, -03:00 */
    "{\"data\":{\"tags\":{\"status\":\"503\",\"channel\":\"\\u0077eb\"},\"value\":3e2,"
    "\"time\":\"2026-11-28T07:00:03.5-03:00\"},\"metric\":\"http_req_duration\",\"type\":\"Point\"}\n"
    /* 5: tags null, a gauge never declared (built-in) */
    "{\"type\":\"Point\",\"data\":{\"time\":\"2026-11-28T10:00:04.000000+00:00\",\"value\":7,\"tags\":null},\"metric\":\"vus\"}\n"
    /* 6: tags {} and a later time for the gauge */
    "{\"metric\":\"vus\",\"type\":\"Point\",\"data\":{\"time\":\"2026-11-28T10:00:14.9+00:00\",\"value\":9,\"tags\":{}}}\n"
    "{\"type\":\"Metric\",\"data\":{\"name\":\"http_req_failed\",\"type\":\"rate\",\"contains\":\"default\","
    "\"thresholds\":[],\"submetrics\":[{\"name\":\"http_req_failed{channel:web}\",\"suffix\":\"channel:web\","
    "\"tags\":{\"channel\":\"web\"}}]},\"metric\":\"http_req_failed\"}\n"
    "{\"metric\":\"http_req_failed\",\"type\":\"Point\",\"data\":{\"time\":\"2026-11-28T10:00:03Z\",\"value\":1,"
    "\"tags\":{\"channel\":\"web\",\"status\":\"503\"}}}\n"
    "{\"metric\":\"http_req_failed\",\"type\":\"Point\",\"data\":{\"time\":\"2026-11-28T10:00:03Z\",\"value\":0,"
    "\"tags\":{\"channel\":\"web\",\"status\":\"200\"}}}\n"
    "{\"type\":\"Metric\",\"data\":{\"name\":\"data_sent\",\"type\":\"counter\",\"contains\":\"data\","
    "\"thresholds\":[],\"submetrics\":null},\"metric\":\"data_sent\"}\n"
    "{\"metric\":\"data_sent\",\"type\":\"Point\",\"data\":{\"time\":\"2026-11-28T10:00:01Z\",\"value\":1000,\"tags\":{}}}\n"
    "{\"metric\":\"data_sent\",\"type\":\"Point\",\"data\":{\"time\":\"2026-11-28T10:00:11Z\",\"value\":500,\"tags\":{}}}\n";

static void
test_shapes(void)
{
	struct run run;
	const struct series *s;
	const struct summary *sum;
	char *d;
	int rc;
	size_t i;

	put("shapes.ndjson", shapes, sizeof shapes - 1);
	d = import(&run, NULL, &rc, "shapes.ndjson", NULL);
	T_EQ_INT(rc, 0, "every line shape imports");
	T_EQ_STR(d, "", "and says nothing");
	T_EQ_STR(run.sources[0].format, "k6-raw-ndjson", "the format is k6 raw NDJSON");
	T_NEAR(stat_v(&run, "http_req_duration", "count"), 3, 0, "three duration points, every key order");
	T_NEAR(stat_v(&run, "http_req_duration", "min"), 100, 0, "the integer value");
	T_NEAR(stat_v(&run, "http_req_duration", "max"), 300, 0, "3e2 is 300");
	T_NEAR(stat_v(&run, "http_req_duration", "avg"), 200.5 / 3 + 400.0 / 3, 1e-9, "avg is exact");
	T_NEAR(stat_v(&run, "http_req_duration{channel:instagram}", "count"), 2, 0,
	    "channel instagram split out");
	T_NEAR(stat_v(&run, "http_req_duration{channel:web}", "max"), 300, 0,
	    "an escaped tag value is decoded (\\u0077eb is web)");
	T_NEAR(stat_v(&run, "http_req_duration{channel:instagram,status:200}", "count"), 2, 0,
	    "the full tag set has a summary too");
	T_OK(stat_of(&run, "http_req_duration{url:https://x/1}", "count") == NULL,
	    "url is not a split tag");
	sum = NULL;
	for (i = 0; i < run.nsummaries; i++)
		if (strcmp(run.summaries[i].name, "http_req_duration") == 0)
			sum = &run.summaries[i];
	T_OK(sum && sum->nthresholds == 1 && strcmp(sum->thresholds[0].expr, "p(95)<1500") == 0,
	    "the threshold \\u003c is decoded to p(95)<1500");
	T_OK(sum && sum->unit == UNIT_MS && sum->unit_known, "contains time: the unit is ms");
	T_NEAR(stat_v(&run, "vus", "value"), 9, 0, "a gauge's value is its latest (tags null and {})");
	T_NEAR(stat_v(&run, "vus", "min"), 7, 0, "and its min");
	T_NEAR(stat_v(&run, "http_req_failed", "rate"), 0.5, 0, "a rate: one failure of two");
	T_NEAR(stat_v(&run, "http_req_failed{status:503}", "passes"), 1, 0, "per status");
	T_NEAR(stat_v(&run, "data_sent", "count"), 1500, 0, "a counter's count is its sum");
	T_NEAR(stat_v(&run, "data_sent", "rate"), 1500.0 / 13.9, 1e-9,
	    "its rate is over the span of all points (10:00:01 to 10:00:14.9)");
	s = series_of(&run, "data_sent");
	T_OK(s && s->npts == 2 && s->pts[0].v == 100 && s->pts[1].v == 50,
	    "counter series: per second in each 10 s window");
	T_OK(s && s->unit == UNIT_BYTES_PER_S, "in bytes per second");
	s = series_of(&run, "http_req_duration:p95{channel:instagram}");
	T_OK(s != NULL && s->npts == 1, "a p95 series per channel");
	if (s) {
		char t[32];

		time_fmt_utc(s->pts[0].t, t, sizeof t);
		T_EQ_STR(t, "2026-11-28T10:00:00Z", "12:00:01.123+02:00 and 10:00:02Z share the window at 10:00:00Z");
		T_NEAR(s->pts[0].v, 195.025, 195.025 * 0.01, "its p95 within 1 %");
	}
	s = series_of(&run, "http_req_duration:p50");
	T_OK(s && s->npts == 1 && s->lines[0] == 2, "a series point cites the first line of its window");
	T_OK(run.nk6raw > 0 && run.k6raw_window_ms == 10000, "histograms are kept in the run, 10 s windows");
	T_OK(strcmp(run.k6raw[0].metric, "data_sent") == 0 && run.k6raw[0].start <
	    run.k6raw[1].start, "sorted by metric and window");
	free(d);
	run_release(&run);
}

static void
test_corrupt(void)
{
	struct run run;
	char *text, *d, *p;
	int rc;
	size_t n, i;

	text = malloc(LIM_K6RAW_LINE + 4096);
	n = 0;
	memcpy(text, shapes, sizeof shapes - 1);
	n = sizeof shapes - 1;				/* lines 1..12 */
	memcpy(text + n, "\x01\x02\xff\xfe binary\n", 13);	/* 13: binary junk */
	n += 13;
	p = text + n;					/* 14: over the length limit */
	memcpy(p, "{\"type\":\"Point\",\"x\":\"", 21);
	for (i = 21; i < LIM_K6RAW_LINE + 10; i++)
		p[i] = 'a';
	p[i++] = '\n';
	n += i;
	n += (size_t)snprintf(text + n, 4096, "%s",
	    "{\"metric\":\"vus\",\"type\":\"Point\",\"data\":{\"time\":\"not a time\",\"value\":1,\"tags\":{}}}\n"
	    "{\"metric\":\"vus\",\"type\":\"Gauge\",\"data\":{}}\n"
	    "\n"
	    "{\"metric\":\"vus\",\"type\":\"Point\",\"data\":{\"time\":\"2026-11-28T10:00:14Z\",\"value\":1,\"tags\":{}}}\n"
	    "{\"metric\":\"http_req_duration\",\"type\":\"Point\",\"data\":{\"time\":\"2026-11-28T10:00:15Z\",\"val");
	put("corrupt.ndjson", text, n);
	d = import(&run, NULL, &rc, "corrupt.ndjson", NULL);
	T_EQ_INT(rc, 0, "corrupt lines never stop the import");
	T_EQ_STR(d,
	    "sloproof: corrupt.ndjson:13: warning: skipped a corrupt line: not a k6 JSON object\n"
	    "sloproof: corrupt.ndjson:14: warning: skipped a corrupt line: longer than the line limit\n"
	    "sloproof: corrupt.ndjson:15: warning: skipped a corrupt line: bad \"time\"\n"
	    "sloproof: corrupt.ndjson:16: warning: skipped a corrupt line: unknown line \"type\"\n"
	    "sloproof: corrupt.ndjson:19: warning: skipped a corrupt line: truncated (the last line of a killed k6?)\n",
	    "binary, over-long, bad time, unknown type and a truncated last line, by line number");
	T_NEAR(stat_v(&run, "vus", "min"), 1, 0, "the good lines around them count (line 18: vus 1)");
	T_NEAR(stat_v(&run, "http_req_duration", "count"), 3, 0, "the truncated point is not counted");
	free(d);
	run_release(&run);

	/* More than five: the first five by number, then a count. */
	n = 0;
	for (i = 0; i < 8; i++)
		n += (size_t)snprintf(text + n, 4096, "%s",
		    "{\"metric\":\"vus\",\"type\":\"Point\",\"data\":{\"time\":\"2026-11-28T10:00:14Z\",\"value\":1,\"tags\":{}}}\n"
		    "{\"metric\":\"vus\",\"type\":\"Point\",\"data\":{\"time\":\"2026-11-28T10:00:14Z\",\"value\":\"x\"}}\n");
	put("many.ndjson", text, n);
	d = import(&run, NULL, &rc, "many.ndjson", NULL);
	T_OK(strstr(d, "many.ndjson:10: warning: skipped a corrupt line: bad \"value\"\n") != NULL &&
	    strstr(d, "many.ndjson:12:") == NULL, "only the first five are listed (2, 4, 6, 8, 10)");
	T_OK(strstr(d, "warning: skipped 8 corrupt lines of 16 in all (8 bad \"value\")\n") != NULL,
	    "then how many in all, and why");
	free(d);
	run_release(&run);

	/* Not k6 output at all, behind a first line that looked like it. */
	n = (size_t)snprintf(text, 4096, "%s",
	    "{\"type\":\"Point\",\"metric\":\"x\",\"data\":{}}\nhello\n");
	put("notk6.ndjson", text, n);
	d = import(&run, NULL, &rc, "notk6.ndjson", NULL);
	T_EQ_INT(rc, -1, "a file with no k6 line is an error");
	T_OK(strstr(d, "sloproof: notk6.ndjson: error: no k6 Point or Metric line in 2 lines; "
	    "expected k6 --out json output\n") != NULL, "saying so");
	free(d);
	run_release(&run);
	free(text);
}

/* A generated run: n requests over 60 s, three channels, deterministic. */
static char *
gen(size_t n, size_t from, size_t step, size_t *len, int many_names)
{
	static const char *const ch[3] = {"web", "instagram", "telegram"};
	size_t sz = n * 400 + 1024, off = 0, i;
	char *s = malloc(sz);

	off += (size_t)snprintf(s + off, sz - off, "%s",
	    "{\"type\":\"Metric\",\"data\":{\"name\":\"http_req_duration\",\"type\":\"trend\",\"contains\":\"time\","
	    "\"thresholds\":[],\"submetrics\":null},\"metric\":\"http_req_duration\"}\n");
	for (i = from; i < n; i += step) {
		char name[64];

		if (many_names)
			snprintf(name, sizeof name, "https://x/users/%zu", i);
		else
			snprintf(name, sizeof name, "send");
		off += (size_t)snprintf(s + off, sz - off,
		    "{\"metric\":\"http_req_duration\",\"type\":\"Point\",\"data\":{\"time\":"
		    "\"2026-11-28T10:00:%02zu.%03zu+00:00\",\"value\":%zu.%03zu,\"tags\":{\"channel\":\"%s\","
		    "\"name\":\"%s\",\"status\":\"200\"}}}\n", i * 60 / n, i % 1000, 50 + (i * 7919) % 900,
		    i % 1000, ch[i % 3], name);
	}
	*len = off;
	return s;
}

static int
same_run(const struct run *a, const struct run *b)
{
	size_t i;

	if (a->nk6raw != b->nk6raw || a->nsummaries != b->nsummaries || a->nseries != b->nseries)
		return 0;
	for (i = 0; i < a->nk6raw; i++)
		if (strcmp(a->k6raw[i].metric, b->k6raw[i].metric) != 0 ||
		    a->k6raw[i].start != b->k6raw[i].start || a->k6raw[i].h.count != b->k6raw[i].h.count ||
		    hist_quantile(&a->k6raw[i].h, 0.95) != hist_quantile(&b->k6raw[i].h, 0.95))
			return 0;
	for (i = 0; i < a->nsummaries; i++)
		if (strcmp(a->summaries[i].name, b->summaries[i].name) != 0 ||
		    a->summaries[i].nstats != b->summaries[i].nstats ||
		    memcmp(a->summaries[i].stats[4].name, b->summaries[i].stats[4].name, 1) != 0 ||
		    a->summaries[i].stats[0].v != b->summaries[i].stats[0].v ||
		    a->summaries[i].stats[5].v != b->summaries[i].stats[5].v)
			return 0;
	return 1;
}

static void
test_merge(void)
{
	struct run one, two, thr, gz;
	size_t n1, n2, n3;
	char *all = gen(30000, 0, 1, &n1, 0), *even = gen(30000, 0, 2, &n2, 0),
	    *odd = gen(30000, 1, 2, &n3, 0), *d;
	int rc;

	put("all.ndjson", all, n1);
	put("even.ndjson", even, n2);
	put("odd.ndjson", odd, n3);
	put_gz("all.ndjson.gz", all, n1);
	free(import(&one, NULL, &rc, "all.ndjson", NULL));
	d = import(&two, NULL, &rc, "even.ndjson", "odd.ndjson", NULL);
	T_EQ_STR(d, "", "two generators' files import quietly");
	free(d);
	T_NEAR(stat_v(&two, "http_req_duration", "count"), 30000, 0, "two files: every point counted once");
	T_OK(same_run(&one, &two), "two files merged equal one file of all points, histogram for histogram");
	T_NEAR(stat_v(&two, "http_req_duration{channel:web}", "p(95)"),
	    stat_v(&one, "http_req_duration{channel:web}", "p(95)"), 0, "p(95) per channel is identical");
	setenv("SLOPROOF_THREADS", "2", 1);
	free(import(&thr, NULL, &rc, "all.ndjson", NULL));
	unsetenv("SLOPROOF_THREADS");
	T_OK(same_run(&one, &thr), "two parsing threads give what one gives");
	T_EQ_STR(thr.sources[0].sha256, one.sources[0].sha256, "and the same SHA-256");
	d = import(&gz, NULL, &rc, "all.ndjson.gz", NULL);
	T_EQ_STR(d, "", "gzip imports quietly");
	free(d);
	T_OK(gz.sources[0].gzipped && same_run(&one, &gz), "gzip gives what the plain file gives");
	T_OK(gz.sources[0].size > 0 && gz.sources[0].size < n1, "its size is the compressed bytes on disk");
	run_release(&one);
	run_release(&two);
	run_release(&thr);
	run_release(&gz);
	free(all);
	free(even);
	free(odd);
}

/*
 * Several raw files of one run (k6-operator runners) are read side by
 * side by import_files: the run, every source and every message (in
 * input order) are what importing them one after the other gives.
 */
static void
test_parallel(void)
{
	static const char *const names[] = {"p1.ndjson", "p2.ndjson.gz", "p-missing.ndjson",
	    "p3.ndjson.gz", "p4.ndjson"};
	struct import_opts o[5];
	const char *paths[5];
	struct run ser, par;
	struct buf js, jp;
	size_t n1, n2, n3, n4, i;
	char *a = gen(20000, 0, 4, &n1, 0), *b = gen(20000, 1, 4, &n2, 0),
	    *c = gen(20000, 2, 4, &n3, 0), *d = gen(20000, 3, 4, &n4, 0), *ds, *dp;
	int rcs = 0, rcp;

	/* A corrupt line in two files: their warnings must come out in file order. */
	memcpy(b + n2 / 2, "{\"metric\":", 10);
	memcpy(d + n4, "{\"metric\":\"http_req", 19);	/* a last line cut short */
	n4 += 19;
	put(names[0], a, n1);
	put_gz(names[1], b, n2);
	put_gz(names[3], c, n3);
	put(names[4], d, n4);
	memset(o, 0, sizeof o);
	for (i = 0; i < 5; i++) {
		o[i].flags = IMPORT_HASH;
		paths[i] = tmp(names[i]);
	}
	run_init(&ser);
	cap_begin();
	for (i = 0; i < 5; i++)
		if (import_file_opts(&ser, &o[i], paths[i], names[i]) == -1)
			rcs = -1;
	ds = cap_end();
	run_init(&par);
	cap_begin();
	rcp = import_files(&par, 5, o, paths, names, 1);
	dp = cap_end();
	T_EQ_INT(rcp, rcs, "side by side: the same result (a missing file is an error)");
	T_EQ_STR(dp, ds, "the same messages in the same order");
	T_OK(strstr(dp, "p2.ndjson.gz") != NULL && strstr(dp, "p4.ndjson:") != NULL &&
	    strstr(dp, "p2.ndjson.gz") < strstr(dp, "p-missing") &&
	    strstr(dp, "p-missing") < strstr(dp, "p4.ndjson:"), "warnings and the error, in input order");
	T_EQ_INT((long long)par.nsources, (long long)ser.nsources, "the same sources");
	for (i = 0; i < par.nsources && i < ser.nsources; i++) {
		T_EQ_STR(par.sources[i].sha256, ser.sources[i].sha256, "each source's SHA-256");
		T_OK(par.sources[i].size == ser.sources[i].size &&
		    par.sources[i].gzipped == ser.sources[i].gzipped, "each source's size and gzip");
	}
	T_OK(same_run(&ser, &par), "the merged histograms are the serial ones");
	buf_init(&js, 1u << 26);
	buf_init(&jp, 1u << 26);
	T_OK(out_json_inspect(&ser, &js) == 0 && out_json_inspect(&par, &jp) == 0 &&
	    js.len == jp.len && memcmp(js.data, jp.data, js.len) == 0,
	    "inspect --json of the two runs is byte for byte the same");
	buf_release(&js);
	buf_release(&jp);
	/* Without all_errors the missing file stops it, as a serial import stops. */
	run_release(&par);
	run_init(&par);
	cap_begin();
	rcp = import_files(&par, 5, o, paths, names, 0);
	free(dp);
	dp = cap_end();
	T_EQ_INT(rcp, -1, "stopping at the first bad input");
	T_EQ_INT((long long)par.nsources, 2, "after the two inputs before it");
	T_OK(strstr(dp, "p4.ndjson:") == NULL, "saying nothing of the inputs after it");
	run_release(&ser);
	run_release(&par);
	free(ds);
	free(dp);
	free(a);
	free(b);
	free(c);
	free(d);
}

static void
test_limits_windows(void)
{
	struct run run;
	struct import_opts o;
	size_t n, i;
	char *s = gen(LIM_K6RAW_TAGSETS + 500, 0, 1, &n, 1), *d;
	const struct series *se;
	int rc;

	put("ids.ndjson", s, n);
	d = import(&run, NULL, &rc, "ids.ndjson", NULL);
	T_EQ_INT(rc, 0, "a tag set explosion is not an error");
	T_EQ_STR(d, "sloproof: ids.ndjson: warning: more than 2000 distinct tag sets: tag \"name\" has "
	    "too many values (IDs in it?); its values past the limit are counted as \"(other)\"; "
	    "split by other tags (split_tags)\n", "the warning names the tag that exploded");
	T_NEAR(stat_v(&run, "http_req_duration", "count"), LIM_K6RAW_TAGSETS + 500, 0,
	    "no point is lost");
	T_OK(stat_v(&run, "http_req_duration{name:(other)}", "count") > 0, "the rest is under (other)");
	free(d);
	run_release(&run);

	memset(&o, 0, sizeof o);
	o.window_ms = 60000;
	o.split_tags = "channel";
	free(import(&run, &o, &rc, "ids.ndjson", NULL));
	T_OK(stat_of(&run, "http_req_duration{name:https://x/users/1}", "count") == NULL,
	    "split_tags: only the tags asked for");
	se = series_of(&run, "http_req_duration:p99{channel:web}");
	T_OK(se && se->npts == 1 && se->step == 60000, "window_ms: one 60 s window");
	run_release(&run);
	free(s);

	/* 09.999 and 10.000 land in neighbouring windows. */
	s = malloc(1024);
	n = 0;
	for (i = 0; i < 2; i++)
		n += (size_t)snprintf(s + n, 1024 - n, "{\"metric\":\"vus\",\"type\":\"Point\",\"data\":"
		    "{\"time\":\"2026-11-28T10:00:%s\",\"value\":%zu,\"tags\":{}}}\n",
		    i ? "10.000Z" : "09.999Z", i + 1);
	put("edge.ndjson", s, n);
	free(import(&run, NULL, &rc, "edge.ndjson", NULL));
	T_OK(run.nk6raw == 2 && run.k6raw[1].start - run.k6raw[0].start == 10000 &&
	    run.k6raw[0].h.max == 1, "10:00:09.999 is in the first window, 10:00:10 in the next");
	run_release(&run);
	free(s);
}

static void
test_corpus(void)
{
	const char *c = t_corpus();
	char dir[1024], path[2048], what[2200];
	struct run run;
	struct dirent *de;
	DIR *dp;
	int n = 0;

	if (c == NULL)
		return;
	snprintf(dir, sizeof dir, "%s/k6-ndjson", c);
	if ((dp = opendir(dir)) == NULL) {
		T_OK(0, "the corpus has k6-ndjson/");
		return;
	}
	while ((de = readdir(dp)) != NULL) {
		const char *f = de->d_name;

		if (f[0] == '.')
			continue;
		n++;
		snprintf(path, sizeof path, "%s/%s", dir, f);
		run_init(&run);
		cap_begin();
		snprintf(what, sizeof what, "corpus %s imports without a diagnostic", f);
		T_OK(import_file(&run, NULL, path, f) == 0 && diag_warnings() == 0, what);
		free(cap_end());
		if (strstr(f, "KirillY")) {
			T_NEAR(stat_v(&run, "http_req_duration", "count"), 21, 0, "KirillY: 21 requests");
			T_NEAR(stat_v(&run, "checks", "passes"), 21, 0, "KirillY: 21 checks passed");
			T_NEAR(stat_v(&run, "vus_max", "value"), 11, 0, "KirillY: vus_max 11");
			T_NEAR(stat_v(&run, "iterations{scenario:main}", "count"), 10, 0,
			    "KirillY: scenario main split out");
		} else if (strstr(f, "rodolfodpk")) {
			T_NEAR(stat_v(&run, "http_reqs", "count"), 32, 0, "rodolfodpk: 32 requests");
			T_NEAR(stat_v(&run, "http_req_failed", "passes"), 6, 0, "rodolfodpk: 6 HTTP 400s");
			T_NEAR(stat_v(&run, "http_req_duration{status:400}", "count"), 6, 0,
			    "rodolfodpk: status 400 split out");
			T_NEAR(stat_v(&run, "http_req_duration", "max"), 221.561, 0, "rodolfodpk: max exact");
		} else if (strstr(f, "mn1809")) {
			T_NEAR(stat_v(&run, "http_req_duration", "count"), 3, 0, "mn1809: 3 requests");
			T_NEAR(stat_v(&run, "http_req_duration", "min"), 447.1, 0.1, "mn1809: min");
			T_OK(run.nk6raw && run.k6raw[0].start % 10000 == 0, "mn1809: windows on 10 s");
		} else if (strstr(f, "u003c")) {
			T_OK(run.nsummaries > 0 && stat_v(&run, "http_req_duration", "avg") == 459.865729,
			    "docs (old): the one duration");
		} else if (strstr(f, "docs-current")) {
			T_NEAR(stat_v(&run, "vus", "value"), 5, 0, "docs: vus 5 (tags null)");
		} else if (strstr(f, "v0.26")) {
			T_NEAR(stat_v(&run, "vus_max", "value"), 2, 0,
			    "v0.26: points before any Metric line count (vus_max 2)");
			T_NEAR(stat_v(&run, "http_req_duration", "max"), 25493.0072, 0, "v0.26: duration");
		}
		run_release(&run);
	}
	closedir(dp);
	T_EQ_INT(n, 6, "every corpus k6-ndjson file was imported");
}

int
main(void)
{
	if (mkdtemp(tmpdir) == NULL)
		return 1;
	test_shapes();
	test_corrupt();
	test_merge();
	test_parallel();
	test_limits_windows();
	test_corpus();
	{
		char cmd[300];

		snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
		if (system(cmd) != 0)
			return 1;
	}
	return t_done();
}
