/* Unit tests: strnum, timeutil, units, selectors, buf, diag. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"
#include "model/run.h"
#include "util/dynlib.h"
#include "util/select.h"
#include "util/sha256.h"
#include "util/strnum.h"
#include "util/timeutil.h"
#include "model/units.h"
#include "t.h"

static void
test_strnum(void)
{
	double d;
	long long ll;
	char s[64];

	T_OK(strnum_double("1.5", 3, &d) == 0 && d == 1.5, "strnum reads 1.5");
	T_OK(strnum_double("1.5x", 4, &d) == -1, "strnum refuses trailing garbage");
	T_OK(strnum_double(" 1", 2, &d) == -1, "strnum refuses leading space");
	T_OK(strnum_double("nan", 3, &d) == -1, "strnum refuses nan");
	T_OK(strnum_double("0x10", 4, &d) == -1, "strnum refuses hex floats");
	T_OK(strnum_double("1e999", 5, &d) == -1, "strnum refuses overflow to inf");
	T_OK(strnum_ll("-42", 3, &ll) == 0 && ll == -42, "strnum_ll reads -42");
	T_OK(strnum_ll("4.2", 3, &ll) == -1, "strnum_ll refuses a fraction");
	fmt_double(s, sizeof s, 0.1);
	T_EQ_STR(s, "0.1", "fmt_double prints the shortest round-trip form");
	fmt_double(s, sizeof s, 0.21745900204861077);
	T_EQ_STR(s, "0.21745900204861077", "fmt_double keeps all 17 digits when needed");
	fmt_sig(s, sizeof s, 1731.4002, 4);
	T_EQ_STR(s, "1731", "fmt_sig rounds to 4 significant digits");
	fmt_sig(s, sizeof s, 1.5, 4);
	T_EQ_STR(s, "1.5", "fmt_sig drops trailing zeros");
	fmt_sig(s, sizeof s, 0.000123456, 3);
	T_EQ_STR(s, "0.000123", "fmt_sig keeps small values");
	fmt_double_clean(s, sizeof s, 2029.9999999999998);
	T_EQ_STR(s, "2030", "fmt_double_clean drops arithmetic noise");
	fmt_double_clean(s, sizeof s, 1290.4696172000001);
	T_EQ_STR(s, "1290.4696172", "fmt_double_clean keeps real precision");
	fmt_double_clean(s, sizeof s, 0.004991680532445923);
	T_EQ_STR(s, "0.00499168053245", "fmt_double_clean: twelve significant digits");
	unit_fmt(s, sizeof s, 1290.4696172000001, UNIT_NONE);
	T_EQ_STR(s, "1290", "a plain value reads with four significant digits");
}

static void
test_time(void)
{
	int64_t ms;
	size_t col;
	char s[64];

	T_OK(time_parse_rfc3339("2026-11-28T10:12:00Z", 20, &ms, &col) == 0, "RFC 3339 with Z parses");
	T_EQ_INT(ms, 1795860720000LL, "2026-11-28T10:12:00Z is 1795860720000 ms");
	T_OK(time_parse_rfc3339("2026-11-28T13:42:00+03:30", 25, &ms, &col) == 0 &&
	    ms == 1795860720000LL, "+03:30 offset lands on the same instant");
	T_OK(time_parse_rfc3339("2024-08-21T03:13:39.74173671-03:00", 34, &ms, &col) == 0 &&
	    ms == 1724220819741LL, "9 fraction digits truncate to ms, negative offset");
	T_OK(time_parse_rfc3339("2026-02-30T00:00:00Z", 20, &ms, &col) == -1 && col == 9,
	    "February 30th is refused at the day");
	T_OK(time_parse_rfc3339("2026-11-28T10:12:00", 19, &ms, &col) == -1 && col == 20,
	    "a time without zone is refused at the end");
	T_OK(time_parse_rfc3339("1969-12-31T23:59:59.5Z", 22, &ms, &col) == 0 && ms == -500,
	    "times before 1970 are negative");
	time_fmt_utc(1795860720000LL, s, sizeof s);
	T_EQ_STR(s, "2026-11-28T10:12:00Z", "time_fmt_utc prints whole seconds without fraction");
	time_fmt_utc(-500, s, sizeof s);
	T_EQ_STR(s, "1969-12-31T23:59:59.500Z", "time_fmt_utc handles negative times");
	time_fmt_span(125000, s, sizeof s);
	T_EQ_STR(s, "2m05s", "time_fmt_span 125 s");
	time_fmt_span(3040, s, sizeof s);
	T_EQ_STR(s, "3 s", "durations are rounded: 3.04 s is 3 s");
	time_fmt_span(1500, s, sizeof s);
	T_EQ_STR(s, "1.5 s", "under ten seconds a tenth is kept: 1.5 s");
	time_fmt_span(12400, s, sizeof s);
	T_EQ_STR(s, "12 s", "from ten seconds, whole seconds");
	time_fmt_span(65600, s, sizeof s);
	T_EQ_STR(s, "1m06s", "65.6 s rounds to 1m06s, not down to 1m05s");
	time_fmt_span(59600, s, sizeof s);
	T_EQ_STR(s, "1m00s", "59.6 s rounds up into minutes");
	time_fmt_span(7299000, s, sizeof s);
	T_EQ_STR(s, "2h02m", "2h01m39s rounds to 2h02m");
	time_fmt_span(-65000, s, sizeof s);
	T_EQ_STR(s, "-1m05s", "negative spans keep their sign");
	T_OK(time_parse_date("2026-11-28", 10, &ms) == 0 && ms == 1795824000000LL, "date parses to midnight");
}

static void
test_units(void)
{
	struct quantity q;
	char s[64];

	T_OK(unit_parse("1.5s", &q) == 0 && q.v == 1500 && q.unit == UNIT_MS, "1.5s is 1500 ms");
	T_OK(unit_parse("250ms", &q) == 0 && q.v == 250 && q.unit == UNIT_MS, "250ms");
	T_OK(unit_parse("2m", &q) == 0 && q.v == 120000, "2m is two minutes");
	T_OK(unit_parse("1%", &q) == 0 && q.v == 0.01 && q.unit == UNIT_RATIO, "1% is 0.01");
	T_OK(unit_parse("50", &q) == 0 && q.v == 50 && q.unit == UNIT_NONE, "50 is plain");
	T_OK(unit_parse("1.5 s", &q) == 0 && q.v == 1500, "a space before the unit is fine");
	T_OK(unit_parse("1.5x", &q) == -1, "1.5x is refused");
	T_OK(unit_parse("s", &q) == -1, "a unit alone is refused");
	T_OK(unit_parse("1e3ms", &q) == 0 && q.v == 1000, "exponent before a unit");
	unit_fmt(s, sizeof s, 1731.4, UNIT_MS);
	T_EQ_STR(s, "1.731 s", "durations from 1 s print in seconds");
	unit_fmt(s, sizeof s, 873.26, UNIT_MS);
	T_EQ_STR(s, "873.3 ms", "durations under 1 s print in ms");
	unit_fmt(s, sizeof s, 0.0062, UNIT_RATIO);
	T_EQ_STR(s, "0.62 %", "ratios print as percentages");
	unit_fmt(s, sizeof s, 3500, UNIT_BYTES);
	T_EQ_STR(s, "3.5 kB", "bytes print with a decimal prefix");
}

static void
test_selector(void)
{
	struct arena a;
	struct selector s, t;
	size_t pos;
	char txt[128];

	arena_init(&a);
	T_OK(selector_parse(&a, "http_req_duration{scenario:automation}", &s, &pos) == 0,
	    "k6 sub-metric selector parses");
	T_EQ_STR(s.name, "http_req_duration", "selector name");
	T_EQ_INT(s.nlabels, 1, "one label");
	T_EQ_STR(s.labels[0].value, "automation", "label value");
	T_OK(selector_parse(&a, "http_req_failed{status:>=500}", &s, &pos) == 0 &&
	    strcmp(s.labels[0].value, ">=500") == 0, "an operator inside a tag value is kept");
	T_OK(selector_parse(&a, "up{job=\"api\", instance=\"a:9090\"}", &s, &pos) == 0 &&
	    s.nlabels == 2 && strcmp(s.labels[0].key, "instance") == 0 &&
	    strcmp(s.labels[0].value, "a:9090") == 0, "Prometheus labels parse, sorted by key");
	T_OK(selector_parse(&a, "up{instance:a:9090,job:api}", &t, &pos) == 0 &&
	    selector_equal(&s, &t), "both spellings select the same series");
	selector_fmt(&s, txt, sizeof txt);
	T_EQ_STR(txt, "up{instance:a:9090,job:api}", "canonical selector text");
	T_OK(selector_parse(&a, "x{a:b", &s, &pos) == -1, "an unclosed brace is refused");
	T_OK(selector_parse(&a, "x{:b}", &s, &pos) == -1 && pos == 2, "an empty key is refused at its offset");
	T_OK(selector_parse(&a, "x{a:b}y", &s, &pos) == -1 && pos == 6, "text after } is refused");
	arena_release(&a);
}

static void
test_buf_diag(void)
{
	struct buf b;
	char *mem = NULL, hex[65];
	size_t memlen = 0;
	FILE *f;

	buf_init(&b, 8);
	T_OK(buf_addstr(&b, "12345678") == 0, "a buffer fills up to its maximum");
	T_OK(buf_addc(&b, 'x') == -1 && b.len == 8, "a buffer refuses to pass its maximum");
	buf_release(&b);
	f = open_memstream(&mem, &memlen);
	diag_set_stream(f);
	diag_reset();
	diag_error("slo.yaml", 3, 7, "bad limit %s", diag_q("1.5x", (size_t)-1));
	diag_warning("a.json", 0, 0, "odd");
	fclose(f);
	diag_set_stream(NULL);
	T_EQ_STR(mem, "sloproof: slo.yaml:3:7: error: bad limit \"1.5x\"\n"
	    "sloproof: a.json: warning: odd\n", "diagnostics have the file:line:col form");
	T_EQ_INT(diag_status(), 3, "a bad-input error makes status 3");
	diag_reset();
	free(mem);
	T_EQ_STR(diag_q("a\"b\x01", (size_t)-1), "\"a\\\"b\\x01\"", "diag_q escapes quotes and control bytes");
	sha256_hex("abc", 3, hex);
	T_EQ_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "SHA-256 of abc");
}

static int
cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Quickselect gives what a sort puts at each rank: medians and percentiles rely on it. */
static void
test_select(void)
{
	double a[200], b[200];
	int64_t c[7] = {5, 1, 5, 5, 2, 9, 5};
	size_t n, k, i, bad = 0;
	unsigned x = 12345;

	for (n = 1; n <= 200; n += 7)
		for (k = 0; k < n; k += 3) {
			for (i = 0; i < n; i++) {
				x = x * 1103515245u + 12345u;
				a[i] = b[i] = (double)(x >> 16 & (n % 2 ? 7 : 1023));
			}
			qsort(b, n, sizeof *b, cmp_d);
			bad += select_double(a, n, k) != b[k];
			for (i = 0; i < n; i++)
				bad += (i < k && a[i] > b[k]) || (i > k && a[i] < b[k]);
		}
	T_EQ_INT(bad, 0, "select_double: the k-th of random arrays with many ties, partitioned");
	T_EQ_INT(select_i64(c, 7, 3), 5, "select_i64: the median of 5 1 5 5 2 9 5");
	T_EQ_INT(select_i64(c, 7, 0), 1, "select_i64: the smallest");
}

/* A library opened on first use: a missing one is a clear error naming who needs it and the package. */
static void
test_dynlib(void)
{
	static const char *const names[] = {"zlibVersion"};
	static const char *const bad[] = {"no_such_function_xyz"};
	void *fp = NULL;
	void *const slots[] = {&fp};
	char *mem = NULL;
	size_t memlen = 0;
	FILE *f = open_memstream(&mem, &memlen);

	diag_set_stream(f);
	diag_reset();
	T_EQ_INT(dynlib_load("libsloproof-missing.so.9", "capture", "libcurl4", names, slots, 1), -1,
	    "dynlib: a missing library fails");
	T_EQ_INT(diag_status(), 4, "dynlib: ... as a system error (exit 4)");
	T_EQ_INT(dynlib_load("libz.so.1", "test", "zlib1g", bad, slots, 1), -1,
	    "dynlib: a missing function fails");
	diag_reset();
	T_EQ_INT(dynlib_load("libz.so.1", "test", "zlib1g", names, slots, 1), 0,
	    "dynlib: a present library and function load");
	T_OK(fp != NULL, "dynlib: ... into the pointer");
	fclose(f);
	diag_set_stream(NULL);
	T_OK(mem && strstr(mem, "capture needs libsloproof-missing.so.9") &&
	    strstr(mem, "apt-get install libcurl4"), "dynlib: the message says who needs what and how to get it");
	T_OK(mem && strstr(mem, "no_such_function_xyz"), "dynlib: the message names a missing function");
	free(mem);
}

int
main(void)
{
	test_dynlib();
	test_select();
	test_strnum();
	test_time();
	test_units();
	test_selector();
	test_buf_diag();
	return t_done();
}
