/*
 * test_grafana.c — the Grafana CSV importer: every layout and dialect,
 * times with and without zones (Asia/Tehran, Europe/Berlin across both
 * DST changes), values with units and separators, series names and
 * labels, every error with its exact wording and line:col, and every
 * file of the corpus's grafana-csv/ directory.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"

#include "util/buf.h"
#include "util/diag.h"
#include "util/fsio.h"
#include "in/import.h"
#include "model/run.h"
#include "util/splimits.h"
#include "util/tz.h"

static FILE	*cap;
static char	*cap_buf;
static size_t	 cap_len;
static char	 msgs[8192];

static void
cap_begin(void)
{
	cap_buf = NULL;
	cap_len = 0;
	cap = open_memstream(&cap_buf, &cap_len);
	diag_set_stream(cap);
	diag_reset();
}

static void
cap_end(void)
{
	fclose(cap);
	diag_set_stream(NULL);
	snprintf(msgs, sizeof msgs, "%s", cap_buf ? cap_buf : "");
	free(cap_buf);
}

/* Imports len bytes of csv as t.csv into a fresh run; messages land in msgs. */
static int
imp_opts(struct run *r, const char *csv, size_t len, const struct import_opts *o)
{
	struct source *s;
	int rc;

	run_init(r);
	s = run_add_source(r);
	s->path = arena_strdup(&r->arena, "t.csv");
	s->kind = arena_strdup(&r->arena, "grafana");
	cap_begin();
	rc = in_grafana_import(r, 0, o, "t.csv", csv, len);
	cap_end();
	diag_reset();
	return rc;
}

static int
imp(struct run *r, const char *csv)
{
	return imp_opts(r, csv, strlen(csv), NULL);
}

static int
imp_tz(struct run *r, const char *csv, const char *zone)
{
	struct import_opts o;

	memset(&o, 0, sizeof o);
	o.timezone = zone;
	return imp_opts(r, csv, strlen(csv), &o);
}

/* The error or warning text alone, without "sloproof: " and the trailing newline. */
static const char *
msg(void)
{
	static char m[8192];
	size_t n;

	snprintf(m, sizeof m, "%s", strncmp(msgs, "sloproof: ", 10) == 0 ? msgs + 10 : msgs);
	n = strlen(m);
	if (n && m[n - 1] == '\n')
		m[n - 1] = '\0';
	return m;
}

static const char *
label(const struct series *s, const char *key)
{
	size_t i;

	for (i = 0; i < s->sel.nlabels; i++)
		if (strcmp(s->sel.labels[i].key, key) == 0)
			return s->sel.labels[i].value;
	return NULL;
}

static void
test_layouts(void)
{
	struct run r;

	T_EQ_INT(imp(&r, "Series;Time;Value\nvalA;2015-06-11T11:50:00.000Z;1.1\n"
	    "valA;2015-06-11T11:51:00.000Z;1.2\nvalB;2015-06-11T11:50:00.000Z;2.0\n"), 0,
	    "series as rows imports");
	T_EQ_STR(r.sources[0].format, "grafana-series-as-rows", "format: series as rows");
	T_EQ_INT(r.nseries, 2, "series as rows: one series per block");
	T_EQ_STR(r.series[1].name, "valB", "second block names the second series");
	T_EQ_INT(r.series[0].npts, 2, "valA has 2 points");
	T_EQ_INT(r.series[0].pts[1].t, 1434023460000LL, "valA's last point at 11:51Z");
	T_NEAR(r.series[0].pts[1].v, 1.2, 1e-12, "valA's last value 1.2");
	T_EQ_INT(r.series[1].lines[0], 4, "valB's point came from line 4");
	T_EQ_INT(r.series[1].origin.line, 4, "valB's origin is its first row");
	T_EQ_INT(r.series[0].step, 60000, "step of one minute");
	run_release(&r);

	T_EQ_INT(imp(&r, "Time,a,b\n1704067200000,1,\n1704067215000,null,2\n"), 0,
	    "series as columns imports");
	T_EQ_STR(r.sources[0].format, "grafana-series-as-columns", "format: series as columns");
	T_EQ_INT(r.nseries, 2, "two value columns, two series");
	T_EQ_INT(r.series[0].npts, 1, "null is a missing sample, not a zero");
	T_EQ_INT(r.series[1].npts, 1, "an empty cell is a missing sample");
	T_EQ_INT(r.series[1].pts[0].t, 1704067215000LL, "b's point at the second time");
	T_EQ_INT(r.series[1].lines[0], 3, "b's point from line 3");
	T_EQ_INT(r.series[1].origin.col, 8, "b's origin is its header cell's column");
	run_release(&r);

	/* A table panel: every cell quoted, the time column found by its values. */
	T_EQ_INT(imp(&r, "\"name\";\"id\";\"when\";\"ms\"\n\"api\";\"1\";\"2020-08-28T10:15:01.779825Z\";\"1761\"\n"
	    "\"web\";\"2\";\"2020-08-28T10:16:01Z\";\"5,592\"\n\"api\";\"3\";\"2020-08-28T10:17:01Z\";\"17\"\n"), 0,
	    "table export imports");
	T_EQ_STR(r.sources[0].format, "grafana-table", "format: table");
	T_EQ_INT(r.nseries, 4, "id and ms, for name=api and name=web");
	T_EQ_STR(r.series[1].sel.name, "ms", "the numeric column names the series");
	T_EQ_STR(label(&r.series[1], "name"), "api", "the text column is a label");
	T_EQ_STR(r.series[1].name, "ms{name:api}", "name with the label");
	T_EQ_INT(r.series[1].npts, 2, "api has two ms points");
	T_EQ_INT(r.series[1].pts[0].t, 1598609701779LL, "microseconds are truncated to ms");
	T_NEAR(r.series[3].pts[0].v, 5592, 0, "\"5,592\": a quoted thousands separator");
	run_release(&r);

	T_EQ_INT(imp(&r, "Time,Value,Value,Value 2\n1589324745157.7249,0.5,0.6,0.7\n"), 0,
	    "duplicate names import");
	T_EQ_STR(r.series[1].name, "Value 3", "a duplicate skips a name already taken");
	T_EQ_INT(r.series[0].pts[0].t, 1589324745157LL, "fractional epoch ms: fraction dropped");
	T_EQ_STR(msg(), "t.csv:1:12: warning: duplicate column name \"Value\"; read as \"Value 3\"",
	    "duplicate names are warned about");
	run_release(&r);

	T_EQ_INT(imp(&r, "\"Time\",\"A\"\r\n1000000000000,1\r\n\r\n\"Time\",\"B\"\r\n1000000060000,2\r\n"
	    "1000000120000,3\r\n\r\n"), 0, "several frames import");
	T_EQ_INT(r.nseries, 2, "each frame's series");
	T_EQ_STR(r.series[1].name, "B", "the second frame's header names its series");
	T_EQ_INT(r.series[1].lines[1], 6, "CRLF lines counted once, blank line included");
	run_release(&r);

	T_EQ_INT(imp(&r, "Time\tcpu\n2026-09-10T12:00:00Z\t0.5\n"), 0, "TAB delimiter");
	T_NEAR(r.series[0].pts[0].v, 0.5, 0, "TAB-separated value");
	run_release(&r);

	T_EQ_INT(imp(&r, "\xef\xbb\xbfsep=;\n\"Time\";\"x\";\"y\"\nTime,x,y\n"
	    "\"2019.29.09 17:30:00\";\"'-0.007\";1\n\"2019.29.09 17:15:00\";\"'-0.006\";2\n"), 0,
	    "Excel dialect");
	T_EQ_STR(r.sources[0].format, "grafana-series-as-columns (excel dialect)", "format notes the dialect");
	T_NEAR(r.series[0].pts[1].v, -0.007, 1e-12, "apostrophe negative");
	T_EQ_INT(r.series[0].pts[1].t, 1569778200000LL, "2019.29.09 is year.day.month");
	T_EQ_INT(r.series[0].lines[1], 4, "line 4 after the sep= line and two headers");
	T_OK(strstr(msgs, "t.csv:3:1: warning: the header repeated; line skipped") != NULL,
	    "the comma header copy is skipped with a warning");
	T_OK(strstr(msgs, "t.csv:4:1: warning: dates are written year.day.month") != NULL,
	    "the date order is said");
	run_release(&r);
}

static void
test_encodings(void)
{
	static const char u16[] = "\xff\xfeT\0i\0m\0e\0\t\0\xb0\0C\0\n\0""1\0""7\0""0\0""4\0""0\0""6\0"
	    "7\0""2\0""0\0""0\0""0\0""0\0""0\0\t\0""1\0"".\0""5\0\n\0";
	struct run r;

	T_EQ_INT(imp_opts(&r, u16, sizeof u16 - 1, NULL), 0, "UTF-16LE with BOM imports");
	T_EQ_STR(r.series[0].name, "\xc2\xb0" "C", "non-ASCII header converted to UTF-8");
	T_EQ_INT(r.series[0].pts[0].t, 1704067200000LL, "UTF-16 time");
	T_EQ_STR(r.sources[0].format, "grafana-series-as-columns (utf-16)", "format notes UTF-16");
	T_OK(in_grafana_sniff(u16, sizeof u16 - 1), "UTF-16 is sniffed as Grafana");
	run_release(&r);

	T_EQ_INT(imp(&r, "\xef\xbb\xbf\"Series\";\"Time\";\"Value\"\r\r\n\"a\";\"2020-01-27T15:00:00+01:00\";null\r\r\n"
	    "\"a\";\"2020-01-27T15:10:00+01:00\";21.5\r\r\n"), 0, "BOM and CR CR LF");
	T_EQ_INT(r.series[0].lines[0], 3, "CR CR LF is one line end");
	T_EQ_INT(r.series[0].pts[0].t, 1580134200000LL, "+01:00 offset");
	run_release(&r);

	T_OK(in_grafana_sniff("Time,a\n1,2\n", 11), "a Time header is sniffed");
	T_OK(in_grafana_sniff("\"entity_ts\";\"NO2\"\n\"2021-10-25T02:00:00+02:00\";37\n", 48),
	    "a date in line 2 is sniffed");
	T_OK(!in_grafana_sniff("{\"metrics\": {}}", 15), "JSON is not Grafana");
}

static void
test_times(void)
{
	struct run r;

	T_EQ_INT(imp(&r, "Time,a\n1404067200,1\n2014-06-29 18:40:00.5,2\n2014-06-29T18:41:00+0200,3\n"), 0,
	    "epoch s, naive, +0200");
	T_EQ_INT(r.series[0].pts[0].t, 1404060060000LL, "+0200 offset without colon");
	T_EQ_INT(r.series[0].pts[1].t, 1404067200000LL, "10 digits are epoch seconds");
	T_EQ_INT(r.series[0].pts[2].t, 1404067200500LL, "naive time read as UTC, fraction kept");
	T_EQ_STR(msg(), "t.csv:3:1: warning: times have no time zone (\"2014-06-29 18:40:00.5\"); "
	    "read as UTC since no timezone was given", "one warning names the first zone-less time");
	run_release(&r);

	T_EQ_INT(imp_tz(&r, "Time,a\n2026-03-01 12:00:00,1\n2026-03-01T12:00:00Z,2\n", "Asia/Tehran"), 0,
	    "Asia/Tehran");
	T_EQ_INT(r.series[0].pts[0].t, 1772353800000LL, "12:00 Tehran is 08:30Z (+03:30)");
	T_EQ_INT(r.series[0].pts[1].t, 1772366400000LL, "a time with Z ignores the zone");
	T_EQ_STR(msgs, "", "no warning when the zone is given");
	run_release(&r);

	T_EQ_INT(imp_tz(&r, "Time,a\n2026-10-25 01:30:00,1\n2026-10-25 02:00:00,2\n2026-10-25 02:30:00,3\n"
	    "2026-10-25 02:00:00,4\n2026-10-25 02:30:00,5\n2026-10-25 03:00:00,6\n", "Europe/Berlin"), 0,
	    "Berlin autumn repeated hour");
	T_EQ_INT(r.series[0].npts, 6, "six points");
	T_EQ_INT(r.series[0].pts[2].t, 1792888200000LL, "first 02:30 is +02:00");
	T_EQ_INT(r.series[0].pts[4].t, 1792891800000LL, "second 02:30 is +01:00");
	T_EQ_INT(r.series[0].step, 1800000, "half-hour steps throughout");
	T_EQ_STR(msg(), "t.csv:3:1: warning: local time \"2026-10-25 02:00:00\" occurs twice in "
	    "Europe/Berlin (clocks went back); read in file order: first as +02:00, then as +01:00",
	    "the repeated hour is warned once");
	run_release(&r);

	T_EQ_INT(imp_tz(&r, "Time,a\n2026-03-29 01:30:00,1\n2026-03-29 02:30:00,2\n2026-03-29 03:30:00,3\n",
	    "Europe/Berlin"), 0, "Berlin spring gap");
	T_EQ_INT(r.series[0].pts[1].t, 1774747800000LL, "02:30 (skipped) read with +01:00: 01:30Z");
	T_EQ_INT(r.series[0].pts[2].t, 1774747800000LL, "03:30 CEST is the same instant");
	T_EQ_STR(msg(), "t.csv:3:1: warning: local time \"2026-03-29 02:30:00\" does not exist in "
	    "Europe/Berlin (clocks went forward from +01:00 to +02:00); read as +01:00",
	    "the skipped hour is warned with line:col");
	run_release(&r);

	/* The corpus's DST file: the offset changes inside the file; times stay continuous. */
	T_EQ_INT(imp(&r, "Time;t\n\"2019-03-31T02:55:00+02:00\";5.5\n\"2019-03-31T04:00:00+03:00\";5.3\n"), 0,
	    "offset change");
	T_EQ_INT(r.series[0].step, 300000, "02:55+02:00 to 04:00+03:00 is five minutes");
	run_release(&r);
}

static void
tz_tests(void)
{
	struct tz *z = tz_open("Europe/Berlin");
	int64_t e, l;

	T_OK(z != NULL, "Europe/Berlin loads");
	if (z == NULL)
		return;
	T_EQ_INT(tz_offset_at(z, 1792888200000LL), 7200, "CEST before the autumn change");
	T_EQ_INT(tz_offset_at(z, 1792891800000LL), 3600, "CET after it");
	/* 2100 is past any transition table: the footer rule answers. */
	T_EQ_INT(tz_offset_at(z, 4118313600000LL), 7200, "July 2100 is summer time by the rule");
	T_EQ_INT(tz_local_to_utc(z, 1792895400000LL, &e, &l), 2, "02:30 on 25 Oct 2026 is ambiguous");
	T_EQ_INT(tz_local_to_utc(z, 1774751400000LL, &e, &l), 0, "02:30 on 29 Mar 2026 is skipped");
	tz_close(z);
	T_OK(tz_open("../etc/passwd") == NULL, "a path is no zone name");
	T_OK(tz_open("Mars/Olympus") == NULL, "an unknown zone does not load");
}

static void
test_values(void)
{
	struct run r;
	struct import_opts o;

	T_EQ_INT(imp(&r, "Time;lat;cpu;mem;temp;n\n"
	    "2026-09-10T12:00:00Z;250 ms;45%;3.5 kB;13.7 \xc2\xb0" "C;1,721,992,142.283\n"
	    "2026-09-10T12:00:15Z;1.2 s;NaN;1.2 MiB;14 \xc2\xb0" "F;undefined\n"), 0, "units in cells");
	T_EQ_INT(r.series[0].unit, UNIT_MS, "ms cells: unit ms");
	T_EQ_INT(r.series[0].unit_known, 1, "ms cells: unit known");
	T_NEAR(r.series[0].pts[1].v, 1200, 1e-9, "1.2 s is 1200 ms");
	T_NEAR(r.series[1].pts[0].v, 0.45, 1e-12, "45% is 0.45");
	T_EQ_INT(r.series[1].unit, UNIT_RATIO, "percent: ratio");
	T_EQ_INT(r.series[1].npts, 1, "NaN is missing");
	T_NEAR(r.series[2].pts[1].v, 1258291.2, 1e-6, "1.2 MiB in bytes");
	T_EQ_INT(r.series[3].unit_known, 0, "\xc2\xb0" "C is not converted");
	T_EQ_STR(r.series[3].unit_text, "\xc2\xb0" "C", "its text is kept");
	T_NEAR(r.series[3].pts[0].v, 13.7, 1e-12, "the number stands");
	T_NEAR(r.series[4].pts[0].v, 1721992142.283, 1e-3, "thousands separators with ';'");
	T_EQ_INT(r.series[4].npts, 1, "undefined is missing");
	T_EQ_STR(msg(), "t.csv:3:40: warning: units differ inside series \"temp\": \"14 \xc2\xb0" "F\"; "
	    "values are kept as their cells say", "a unit change inside a series is warned");
	run_release(&r);

	T_EQ_INT(imp(&r, "Time,\"{__name__=\"\"http_req_duration_seconds\"\", job=\"\"api\"\"}\",x_bytes,"
	    "[[tag_host]],\"net.out(device=eth0,)\"\n1704067200000,0.25,10,1,2\n"), 0, "names");
	if (r.nseries < 4) { printf("# %s\n", msgs); return; }
	T_EQ_STR(r.series[0].sel.name, "http_req_duration_seconds", "__name__ becomes the name");
	T_EQ_STR(label(&r.series[0], "job"), "api", "labels from the label set");
	T_EQ_INT(r.series[0].sel.nlabels, 1, "__name__ is not kept as a label");
	T_EQ_INT(r.series[0].unit, UNIT_MS, "_seconds: unit ms");
	T_NEAR(r.series[0].pts[0].v, 250, 1e-9, "0.25 s is 250 ms");
	T_EQ_INT(r.series[1].unit, UNIT_BYTES, "_bytes: bytes");
	T_EQ_STR(r.series[2].sel.name, "[[tag_host]]", "an unexpanded template is a name");
	T_EQ_STR(r.series[3].sel.name, "net.out(device=eth0,)", "not a selector: the whole text");
	T_EQ_INT(r.series[3].sel.nlabels, 0, "not a selector: no labels");
	run_release(&r);

	memset(&o, 0, sizeof o);
	o.unit = "s";
	o.series = "checkout_latency";
	T_EQ_INT(imp_opts(&r, "Time,Value\n1704067200000,0.5\n", 29, &o), 0, "opts unit and series");
	T_EQ_STR(r.series[0].name, "checkout_latency", "the single series takes opts->series");
	T_NEAR(r.series[0].pts[0].v, 500, 1e-9, "unit s: 0.5 is 500 ms");
	T_EQ_INT(r.series[0].unit_known, 1, "opts unit is known");
	run_release(&r);

	o.unit = NULL;
	o.series = "b";
	T_EQ_INT(imp_opts(&r, "Time,a,b\n1704067200000,1,2\n", 27, &o), 0, "opts series naming one column");
	T_EQ_STR(r.series[1].name, "b", "names stay when opts series matches one");
	run_release(&r);
	o.series = "c";
	T_EQ_INT(imp_opts(&r, "Time,a,b\n1704067200000,1,2\n", 27, &o), -1, "opts series matching none");
	T_EQ_STR(msg(), "t.csv: error: series \"c\" names one series but the file has 2: \"a\", \"b\"; "
	    "name one of them", "the error names the columns");
	run_release(&r);
}

static void
err(const char *csv, const char *want, const char *what)
{
	struct run r;

	T_EQ_INT(imp(&r, csv), -1, what);
	T_EQ_STR(msg(), want, what);
	run_release(&r);
}

static void
test_errors(void)
{
	struct run r;
	struct import_opts o;

	err("hello world\n", "t.csv:1:1: error: not a Grafana CSV export: no ',' ';' or TAB in the "
	    "first line; expected a header like Time,<series>...", "not CSV");
	err("a,b\nx,1\n", "t.csv:1:1: error: no time column; expected a column named Time or one "
	    "holding date-times, found: \"a\", \"b\"", "no time column");
	err("Time,a\n2026-09-10T12:00:00Z,1\n2026-13-40 25:00,2\n", "t.csv:3:1: error: time "
	    "\"2026-13-40 25:00\" is not a time Grafana writes; expected epoch ms or YYYY-MM-DD HH:MM:SS",
	    "bad time");
	err("Time;a\n2026-09-10T12:00:00Z;12,5\n", "t.csv:2:22: error: value \"12,5\" of \"a\" is not a "
	    "number; expected a number, null or empty", "decimal comma is no number");
	err("Time,a,b\n1704067200000,1,2\n1704067215000,1\n", "t.csv:3:16: error: 2 fields, expected "
	    "3 as in the header on line 1", "too few fields");
	err("Time,a\n1704067200000,1,2\n", "t.csv:2:17: error: 3 fields, expected 2 as in the header "
	    "on line 1", "too many fields");
	err("Time,a\n1704067200000,\"1\"x\n", "t.csv:2:18: error: malformed CSV quoting; expected a "
	    "field either without quotes or wholly in \"...\" with inner quotes doubled", "bad quoting");
	err("Time,a\n1704067200000,\"1\n", "t.csv:2: error: quoted field not closed before the end of "
	    "the file", "unterminated quote");
	memset(&o, 0, sizeof o);
	o.timezone = "Mars/Olympus";
	T_EQ_INT(imp_opts(&r, "Time,a\n1,2\n", 11, &o), -1, "unknown zone");
	T_EQ_STR(msg(), "t.csv: error: time zone \"Mars/Olympus\" is not in the time zone database "
	    "(/usr/share/zoneinfo); expected an IANA name like Asia/Tehran or UTC", "unknown zone message");
	run_release(&r);
	o.timezone = NULL;
	o.unit = "furlongs";
	T_EQ_INT(imp_opts(&r, "Time,a\n1,2\n", 11, &o), -1, "unknown unit");
	T_EQ_STR(msg(), "t.csv: error: unit \"furlongs\" is not a unit sloproof knows; expected ms, s, "
	    "%, ratio, bytes, kB, MiB ...", "unknown unit message");
	run_release(&r);
}

/* ---- the corpus ----------------------------------------------------------- */

static const struct series *
find(const struct run *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nseries; i++)
		if (strcmp(r->series[i].name, name) == 0)
			return &r->series[i];
	return NULL;
}

static void
corpus_file(const char *dir, const char *f)
{
	char path[4096], what[512];
	struct import_opts o;
	struct run r;
	const struct series *s;
	int rc;

	snprintf(path, sizeof path, "%s/grafana-csv/%s", dir, f);
	memset(&o, 0, sizeof o);
	o.kind = "grafana";
	run_init(&r);
	cap_begin();
	rc = import_file_opts(&r, &o, path, f);
	cap_end();
	snprintf(what, sizeof what, "corpus %s imports without errors", f);
	T_OK(rc == 0 && strstr(msgs, "error") == NULL, what);
	if (rc != 0) {
		printf("# %s\n", msgs);
		run_release(&r);
		diag_reset();
		return;
	}
	diag_reset();
#define HAS(n) ((s = find(&r, (n))) != NULL)
	if (strstr(f, "Agrotech")) {
		T_EQ_STR(r.sources[0].format, "grafana-table", "Agrotech: table");
		T_OK(HAS("PM10") && s->npts == 299, "Agrotech: PM10 has 299 points");
		T_OK(HAS("NO2") && s->pts[0].t == 1635120000000LL && s->pts[0].v == 37,
		    "Agrotech: NO2 37 at 2021-10-25T02:00+02:00");
		T_OK(HAS("NO2") && s->lines[0] == 2 && s->lines[298] == 300, "Agrotech: CR CR LF line numbers");
	} else if (strstr(f, "jimenezict")) {
		T_OK(HAS("executioninmiliseconds{name:bicing}") && s->npts == 238,
		    "jimenezict: bicing execution times");
		T_OK(HAS("executioninmiliseconds{name:bicing}") && s->pts[s->npts - 1].t == 1598631901904LL,
		    "jimenezict: last bicing run at 16:25:01.904Z");
		T_EQ_INT(r.nseries, 27, "jimenezict: 3 numeric columns x 9 systems");
	} else if (strstr(f, "Jinggit")) {
		T_OK(HAS("\xe6\x95\x85\xe9\x9a\x9c\xe6\x8c\x81\xe7\xbb\xad\xe6\x97\xb6\xe9\x97\xb4(s)"
		    "{\xe6\x95\x85\xe9\x9a\x9c\xe7\xb1\xbb\xe5\x9e\x8b:\xe7\xbb\xbf\xe7\x81\xaf\xe5\xb8\xb8\xe4\xba\xae}") &&
		    s->npts == 21 && s->unit == UNIT_MS, "Jinggit: fault duration (s) in ms, 21 faults");
		T_OK(s && s->pts[s->npts - 1].t == 1647884239000LL, "Jinggit: last fault 2022-03-21 17:37:19");
		T_OK(s && find(&r, "x") == NULL && s->lines != NULL, "Jinggit: lines kept");
	} else if (strstr(f, "pr4041-series-as-columns")) {
		T_OK(HAS("valB") && s->npts == 8 && s->pts[7].t == 1434023820000LL && s->pts[7].v == 1.5,
		    "pr4041 columns: valB 1.5 at 11:57Z");
	} else if (strstr(f, "pr4041-series-as-rows")) {
		T_OK(HAS("valB") && s->npts == 8 && s->origin.line == 10 && s->pts[2].v == 2.31,
		    "pr4041 rows: valB from line 10, 2.31 third");
	} else if (strstr(f, "heekof")) {
		T_OK(HAS("net.out_packets_sec.value(device=eth0,hostname=mini-mon,service=monitoring,)") &&
		    s->npts == 299 && s->pts[0].t == 1463657787000LL, "heekof: one series, 299 points");
		T_OK(s && s->pts[0].v == 8.266666666666667, "heekof: first value");
	} else if (strstr(f, "mpawlik")) {
		T_EQ_INT(r.nseries, 5, "mpawlik: 5 numeric-named series");
		T_OK(HAS("128") && s->pts[0].t == 1502821800000LL && s->pts[0].v == 44.229712098875,
		    "mpawlik: 128's first value");
		T_OK(HAS("1024") && s->npts == 1358, "mpawlik: 1024 has 1358 points (undefined skipped)");
	} else if (strstr(f, "issue14578")) {
		T_OK(HAS("[[tag_host]]") && s->npts == 13 && s->pts[0].t == 1544576400000LL &&
		    s->pts[0].v == 1721992142.283, "14578: 1,721,992,142.283 at 12:00+11:00");
	} else if (strstr(f, "DST-offset")) {
		T_OK(HAS("column 3") && s->npts == 26 && s->step == 300000, "DST: continuous 5 min steps");
		T_OK(s && s->pts[25].t == 1553997000000LL && s->pts[25].v == 33.4, "DST: 04:50+03:00 33.4");
		T_OK(s && s->lines[25] == 26, "DST: last point line 26");
	} else if (strstr(f, "sep-line-bom")) {
		T_EQ_STR(r.sources[0].format, "grafana-series-as-columns (excel dialect)", "TenSt: excel dialect");
		T_OK(HAS("C.Gas_boiler_supply") && s->pts[0].t == 1547554200000LL && s->pts[0].v == 37.6 &&
		    s->lines[0] == 4, "TenSt: 37.6 at 14:10+02:00 from line 4");
		T_OK(HAS("C.MeteoST_bme280") && s->npts == 214, "TenSt: bme280 nulls skipped");
	} else if (strstr(f, "visualeditorNL")) {
		T_OK(HAS("AstroPlantExplorer.AppleLokaal.mean") && s->npts == 6 &&
		    s->pts[5].t == 1580312400000LL && s->pts[5].v == 21.82499933242798,
		    "visualeditorNL: 6 values after the nulls, last at 16:40+01:00");
	} else if (strstr(f, "Carditis")) {
		T_EQ_INT(r.nseries, 4, "Carditis: four probes");
		T_OK(HAS("Probe-1") && s->pts[0].t == 1588598978000LL && s->pts[0].v == 48.1875 &&
		    s->lines[0] == 4, "Carditis: Probe-1 48.1875 at 15:29:38+02:00 from line 4");
		T_OK(HAS("Probe-4") && s->origin.line == 4505, "Carditis: Probe-4 starts at line 4505");
	} else if (strstr(f, "issue18196")) {
		T_OK(HAS("Struja") && s->pts[0].t == 1569776400000LL && s->pts[0].v == -0.006,
		    "18196: '-0.006 at 2019.29.09 17:00 (UTC assumed)");
		T_OK(strstr(msgs, "times have no time zone") != NULL, "18196: zone-less times warned");
	} else if (strstr(f, "issue24600")) {
		T_OK(HAS("Value 4") && s->npts == 1 && s->pts[0].v == 0.5 &&
		    s->pts[0].t == 1589324745157LL, "24600: Value 4 is 0.5");
	} else if (strstr(f, "sonda")) {
		T_OK(HAS("{__name__=\"up\", instance=\"localhost:9100\", job=\"node\"}") &&
		    strcmp(s->sel.name, "up") == 0 && s->npts == 10 && s->pts[9].v == 0 &&
		    s->pts[9].t == 1704067335000LL, "sonda: up{job=node} 0 at the last time");
	} else {
		snprintf(what, sizeof what, "corpus %s has assertions", f);
		T_OK(0, what);
	}
	run_release(&r);
}

static void
test_corpus(void)
{
	const char *dir = t_corpus();
	char path[4096];
	struct dirent *e;
	DIR *d;
	int n = 0;

	if (dir == NULL)
		return;
	snprintf(path, sizeof path, "%s/grafana-csv", dir);
	if ((d = opendir(path)) == NULL) {
		T_OK(0, "corpus grafana-csv/ opens");
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		corpus_file(dir, e->d_name);
		n++;
	}
	closedir(d);
	T_EQ_INT(n, 15, "every corpus file was read");
}

/*
 * Long frames are read in chunks of rows (in_grafana.c): a file of many
 * chunks must give every point, in order, with its line, as a short one
 * does; a frame whose layout needs all its rows (dotted dates, a table)
 * is read whole; a column no rule reads is listed but not parsed.
 */
static void
test_streaming(void)
{
	struct run r;
	struct import_opts o;
	struct buf b;
	const char *want[] = {"lat_seconds"};
	size_t i, n = 10000, bad;
	int rc;

	buf_init(&b, (size_t)-1);
	(void)buf_addstr(&b, "\"Time\",\"lat_seconds\",\"depth\",\"other\"\n");
	for (i = 0; i < n; i++)
		(void)buf_printf(&b, "%lld,%zu.%03zu,%zu,%s\n", 1795824000000LL + (long long)i * 1000,
		    i / 1000, i % 1000, i % 97, i % 5 ? "1.5" : "");
	/* a second frame after a blank line, with a repeated header */
	(void)buf_addstr(&b, "\nTime,q\n1795834000000,7\nTime,q\n1795834001000,8\n");
	rc = imp_opts(&r, b.data, b.len, NULL);
	T_EQ_INT(rc, 0, "streaming: a 10000-row file imports");
	T_EQ_INT(r.nseries, 4, "streaming: four series over two frames");
	if (rc == 0 && r.nseries == 4) {
		T_EQ_INT(r.series[0].npts, n, "streaming: every row of the first column");
		for (i = 0, bad = 0; i < n; i++)
			bad += r.series[0].pts[i].t != 1795824000000LL + (long long)i * 1000 ||
			    fabs(r.series[0].pts[i].v - (double)i) > 1e-9 ||
			    r.series[0].lines[i] != i + 2;
		T_EQ_INT(bad, 0, "streaming: times, values and lines of every point across chunks");
		T_EQ_INT(r.series[1].npts, n, "streaming: the second column");
		T_NEAR(r.series[1].pts[9999].v, 9999 % 97, 0, "streaming: last value of a column");
		T_EQ_INT(r.series[2].npts, n - n / 5, "streaming: empty cells are missing samples");
		T_EQ_INT(r.series[2].step, 1000, "streaming: the step of a series read in chunks");
		T_EQ_INT(r.series[3].npts, 2, "streaming: the frame after a long one");
		T_OK(strstr(msgs, "header repeated") != NULL, "streaming: a repeated header is still seen");
	}
	run_release(&r);

	/* The rules read lat_seconds only: the others are listed, with no values. */
	memset(&o, 0, sizeof o);
	o.want = want;
	o.nwant = 1;
	rc = imp_opts(&r, b.data, b.len, &o);
	T_EQ_INT(rc, 0, "want: imports");
	if (rc == 0 && r.nseries == 4) {
		T_EQ_INT(r.series[0].npts, n, "want: the series a rule reads has every point");
		T_EQ_INT(r.series[1].npts, 0, "want: a series no rule reads is listed without values");
		T_EQ_STR(r.series[1].name, "depth", "want: ... and keeps its name");
	}
	run_release(&r);

	/* A bad value in a column no rule reads is not read, so not an error there. */
	buf_reset(&b);
	(void)buf_addstr(&b, "Time,lat_seconds,depth\n1795824000000,1,x\n");
	rc = imp_opts(&r, b.data, b.len, &o);
	T_EQ_INT(rc, 0, "want: an unread column's bad cell is no error");
	run_release(&r);
	rc = imp_opts(&r, b.data, b.len, NULL);
	T_EQ_INT(rc, -1, "want: without rules the same cell is an error");
	run_release(&r);

	/* Dotted dates: their order is decided over the whole frame, which is read whole. */
	buf_reset(&b);
	(void)buf_addstr(&b, "Time,v\n");
	for (i = 0; i < 6000; i++)
		(void)buf_printf(&b, "2019.%02zu.%02zu 10:00:00,%zu\n", 1 + i % 12, 1 + (i / 12) % 12, i);
	(void)buf_addstr(&b, "2019.29.09 10:00:00,1\n");
	rc = imp_opts(&r, b.data, b.len, NULL);
	T_EQ_INT(rc, 0, "streaming: a long frame of dotted dates imports");
	T_OK(strstr(msgs, "year.day.month") != NULL,
	    "streaming: a day past 12 in the last row decides the order of the first");
	if (rc == 0 && r.nseries == 1)
		T_EQ_INT(r.series[0].npts, 6001, "streaming: every dotted row");
	run_release(&r);

	/* Series as rows, many blocks across chunks. */
	buf_reset(&b);
	(void)buf_addstr(&b, "Series;Time;Value\n");
	for (i = 0; i < 9000; i++)
		(void)buf_printf(&b, "s%zu;%lld;%zu\n", i / 3000, 1795824000000LL + (long long)(i % 3000) * 1000, i);
	rc = imp_opts(&r, b.data, b.len, NULL);
	T_EQ_INT(rc, 0, "streaming: series as rows");
	T_EQ_INT(r.nseries, 3, "streaming: three blocks, three series");
	if (rc == 0 && r.nseries == 3)
		T_NEAR(r.series[2].pts[2999].v, 8999, 0, "streaming: the last block's last value");
	run_release(&r);
	buf_release(&b);
}

int
main(void)
{
	test_layouts();
	test_encodings();
	test_times();
	tz_tests();
	test_values();
	test_errors();
	test_corpus();
	test_streaming();
	return t_done();
}
