/*
 * test_k6sum.c — the k6 end-of-test summary importer: the three shapes,
 * threshold polarity, units, group paths, the line:col of what was read,
 * every error with its exact wording, the corpus and the samples.
 */
#include <dirent.h>
#include <math.h>
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
#include "util/timeutil.h"

static FILE	*cap;
static char	*cap_buf;
static size_t	 cap_len;

static void
cap_begin(void)
{
	cap_buf = NULL;
	cap_len = 0;
	cap = open_memstream(&cap_buf, &cap_len);
	diag_set_stream(cap);
	diag_reset();
}

/* What was printed; the caller frees it. */
static char *
cap_end(void)
{
	fclose(cap);
	diag_set_stream(NULL);
	return cap_buf;
}

/* Imports n bytes as source 0 of a fresh run; diagnostics into *msgs. */
static int
imp_n(struct run *r, const char *doc, size_t n, char **msgs)
{
	struct source *s;
	int rc;

	run_init(r);
	s = run_add_source(r);
	s->path = arena_strdup(&r->arena, "t.json");
	cap_begin();
	rc = in_k6sum_import(r, 0, "t.json", doc, n);
	*msgs = cap_end();
	return rc;
}

static int
imp(struct run *r, const char *doc, char **msgs)
{
	return imp_n(r, doc, strlen(doc), msgs);
}

static const struct summary *
sum(const struct run *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nsummaries; i++)
		if (strcmp(r->summaries[i].name, name) == 0)
			return &r->summaries[i];
	return NULL;
}

static double
st(const struct summary *s, const char *stat)
{
	const double *v = s ? summary_stat(s, stat) : NULL;

	return v ? *v : NAN;
}

static const struct k6_threshold *
thr(const struct summary *s, const char *expr)
{
	size_t i;

	for (i = 0; s && i < s->nthresholds; i++)
		if (strcmp(s->thresholds[i].expr, expr) == 0)
			return &s->thresholds[i];
	return NULL;
}

static const struct check *
chk(const struct run *r, const char *group, const char *name)
{
	size_t i;

	for (i = 0; i < r->nchecks; i++)
		if (strcmp(r->checks[i].name, name) == 0 &&
		    (group == NULL || strcmp(r->checks[i].group, group) == 0))
			return &r->checks[i];
	return NULL;
}

static const char *
label(const struct summary *s, const char *key)
{
	size_t i;

	for (i = 0; s && i < s->sel.nlabels; i++)
		if (strcmp(s->sel.labels[i].key, key) == 0)
			return s->sel.labels[i].value;
	return NULL;
}

/* 1-based line and column (UTF-8 characters) of the first needle in doc. */
static void
pos_of(const char *doc, const char *needle, long *line, long *col)
{
	const char *p = strstr(doc, needle), *s;

	*line = 1;
	*col = 1;
	if (p == NULL) {
		*line = *col = -1;
		return;
	}
	for (s = doc; s < p; s++) {
		if (*s == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)*s & 0xc0) != 0x80) {
			(*col)++;
		}
	}
}

/* Imports n bytes of doc: it must fail with exactly one diagnostic, msg at line:col (0: none). */
static void
expect_error_lc(const char *what, const char *doc, size_t n, long line, long col, const char *msg)
{
	struct run r;
	char want[400], *got;
	int rc;

	if (line > 0)
		snprintf(want, sizeof want, "sloproof: t.json:%ld:%ld: error: %s\n", line, col, msg);
	else
		snprintf(want, sizeof want, "sloproof: t.json: error: %s\n", msg);
	rc = imp_n(&r, doc, n, &got);
	T_EQ_INT(rc, -1, what);
	T_EQ_STR(got, want, what);
	T_EQ_INT(diag_status(), 3, what);
	free(got);
	run_release(&r);
}

/* The same, the position being that of the first `at` in doc. */
static void
expect_error(const char *what, const char *doc, const char *at, const char *msg)
{
	long line, col;

	pos_of(doc, at, &line, &col);
	expect_error_lc(what, doc, strlen(doc), line, col, msg);
}

static void
expect_warning(const struct run *r, const char *got, const char *doc, const char *at,
    const char *msg, const char *what)
{
	char want[1024];
	long line, col;

	(void)r;
	pos_of(doc, at, &line, &col);
	snprintf(want, sizeof want, "sloproof: t.json:%ld:%ld: warning: %s\n", line, col, msg);
	T_OK(got && strstr(got, want) != NULL, what);
	if (!got || !strstr(got, want))
		printf("#   want: %s#   got:  %s", want, got ? got : "(null)\n");
}

/* ---- legacy --summary-export ------------------------------------------ */

static const char legacy_doc[] =
	"{\n"										/* 1 */
	"  \"metrics\": {\n"								/* 2 */
	"    \"http_req_duration\": {\n"						/* 3 */
	"      \"avg\": 120.5, \"min\": 10, \"med\": 100, \"max\": 900, \"p(90)\": 200, \"p(95)\": 250.25,\n"
	"      \"thresholds\": {\n"							/* 5 */
	"        \"p(95)<200\": true,\n"						/* 6 */
	"        \"avg < 500\": false\n"						/* 7 */
	"      }\n"									/* 8 */
	"    },\n"									/* 9 */
	"    \"http_req_duration{scenario:automation,expected_response:true}\": {\"avg\": 1, \"min\": 1, \"med\": 1, \"max\": 9, \"p(90)\": 2, \"p(95)\": 3.5},\n"
	"    \"http_req_failed\": {\"passes\": 5, \"fails\": 95, \"value\": 0.05, \"thresholds\": {\"rate<0.01\": true}},\n"
	"    \"http_reqs\": {\"count\": 100, \"rate\": 10},\n"				/* 12 */
	"    \"vus\": {\"value\": 1, \"min\": 1, \"max\": 10},\n"			/* 13 */
	"    \"data_received\": {\"count\": 2048, \"rate\": 204.8},\n"			/* 14 */
	"    \"my_trend\": {\"avg\": 5, \"min\": 1, \"med\": 4, \"max\": 9, \"p(90)\": 8, \"p(95)\": 8.5},\n"
	"    \"my_gauge\": {\"value\": 3, \"min\": 1, \"max\": 7},\n"			/* 16 */
	"    \"ws_connecting\": {\"avg\": 2, \"p(99.9)\": 7}\n"			/* 17 */
	"  },\n"									/* 18 */
	"  \"root_group\": {\n"								/* 19 */
	"    \"name\": \"\", \"path\": \"\", \"id\": \"d41d8cd98f00b204e9800998ecf8427e\",\n"
	"    \"groups\": {\n"								/* 21 */
	"      \"webchat\": {\n"							/* 22 */
	"        \"name\": \"webchat\", \"path\": \"::webchat\", \"id\": \"1\",\n"	/* 23 */
	"        \"groups\": {\n"							/* 24 */
	"          \"auth\": {\"name\": \"auth\", \"id\": \"2\", \"groups\": {}, \"checks\": {\n"
	"            \"no path\": {\"name\": \"no path\", \"passes\": 7, \"fails\": 1}\n"
	"          }}\n"								/* 27 */
	"        },\n"									/* 28 */
	"        \"checks\": {\n"							/* 29 */
	"                \"status is 200\": {\"name\": \"status is 200\", \"path\": \"::webchat::status is 200\", \"id\": \"3\", \"passes\": 90, \"fails\": 10}\n"
	"            }\n"								/* 31 */
	"      }\n"									/* 32 */
	"    },\n"									/* 33 */
	"    \"checks\": {\n"								/* 34 */
	"        \"http_req_duration\": {\"name\": \"http_req_duration\", \"path\": \"::http_req_duration\", \"id\": \"4\", \"passes\": 1, \"fails\": 0}\n"
	"    }\n"									/* 36 */
	"  }\n"										/* 37 */
	"}\n";

static void
test_legacy(void)
{
	struct run r;
	const struct summary *d, *sub, *f, *s;
	const struct k6_threshold *t;
	const struct check *c;
	char *msgs;

	T_OK(in_k6sum_sniff(legacy_doc, strlen(legacy_doc)), "legacy: sniffed as a k6 summary");
	T_EQ_INT(imp(&r, legacy_doc, &msgs), 0, "legacy: imports");
	T_EQ_STR(msgs, "", "legacy: no diagnostics");
	T_EQ_STR(r.sources[0].format, "k6-summary-export", "legacy: format");
	T_OK(r.sources[0].tool_version == NULL, "legacy: no tool version");
	T_EQ_INT(r.sources[0].have_duration, 0, "legacy: no duration");
	T_EQ_INT(r.nsummaries, 9, "legacy: 9 metrics");

	d = sum(&r, "http_req_duration");
	T_OK(d != NULL, "legacy: http_req_duration is there");
	T_EQ_INT(d->type, MT_TREND, "legacy: avg/med/p(..) make a trend");
	T_EQ_INT(d->unit, UNIT_MS, "legacy: http_req_duration is in ms");
	T_EQ_INT(d->unit_known, 1, "legacy: a built-in time metric's unit is known");
	T_NEAR(st(d, "p(95)"), 250.25, 0, "legacy: p(95)");
	T_NEAR(st(d, "med"), 100, 0, "legacy: med");
	T_EQ_INT(d->origin.src, 0, "legacy: origin names the source");
	T_EQ_INT(d->origin.line, 3, "legacy: origin is the line of the metric's key");
	T_EQ_INT(d->origin.col, 5, "legacy: origin column is the key's opening quote");
	T_EQ_INT(d->nthresholds, 2, "legacy: two thresholds");
	t = thr(d, "p(95)<200");
	T_OK(t && t->have_result && t->passed == 0, "legacy: threshold true means FAILED");
	T_EQ_INT(t ? t->origin.line : 0, 6, "legacy: threshold origin line");
	t = thr(d, "avg < 500");
	T_OK(t && t->have_result && t->passed == 1, "legacy: threshold false means passed (spaces kept)");

	sub = sum(&r, "http_req_duration{scenario:automation,expected_response:true}");
	T_OK(sub != NULL, "legacy: sub-metric kept under its name as written");
	T_EQ_STR(sub ? sub->sel.name : NULL, "http_req_duration", "legacy: sub-metric selector name");
	T_EQ_INT(sub ? sub->sel.nlabels : 0, 2, "legacy: sub-metric has two labels");
	T_EQ_STR(label(sub, "scenario"), "automation", "legacy: label scenario");
	T_EQ_STR(sub && sub->sel.nlabels ? sub->sel.labels[0].key : NULL, "expected_response",
	    "legacy: labels sorted by key");
	T_EQ_INT(sub ? (int)sub->unit : -1, UNIT_MS, "legacy: a time metric's sub-metric is in ms");
	T_EQ_INT(sub ? sub->origin.line : 0, 10, "legacy: sub-metric origin line");

	f = sum(&r, "http_req_failed");
	T_EQ_INT(f ? (int)f->type : -1, MT_RATE, "legacy: passes/fails/value make a rate");
	T_NEAR(st(f, "rate"), 0.05, 0, "legacy: rate is the value");
	T_NEAR(st(f, "passes"), 5, 0, "legacy: rate passes");
	T_NEAR(st(f, "fails"), 95, 0, "legacy: rate fails");
	T_NEAR(st(f, "count"), 100, 0, "legacy: rate count = passes + fails");
	T_OK(f && summary_stat(f, "value") == NULL, "legacy: a rate's value is stored as rate only");
	T_EQ_INT(f ? f->unit_known : -1, 1, "legacy: a rate's unit is known");
	T_EQ_INT(f ? (int)summary_stat_unit(f, "rate") : -1, UNIT_RATIO, "legacy: a rate's rate is a ratio");
	t = thr(f, "rate<0.01");
	T_OK(t && t->passed == 0, "legacy: rate threshold true = failed");

	s = sum(&r, "http_reqs");
	T_EQ_INT(s ? (int)s->type : -1, MT_COUNTER, "legacy: count+rate make a counter");
	T_EQ_INT(s ? s->unit_known : -1, 1, "legacy: a counter's unit is known");
	T_NEAR(st(s, "count"), 100, 0, "legacy: counter count");
	s = sum(&r, "vus");
	T_EQ_INT(s ? (int)s->type : -1, MT_GAUGE, "legacy: value+min+max make a gauge");
	T_OK(s && s->unit == UNIT_NONE && s->unit_known, "legacy: vus is a known plain number");
	T_NEAR(st(s, "max"), 10, 0, "legacy: gauge max");
	s = sum(&r, "data_received");
	T_OK(s && s->unit == UNIT_BYTES && s->unit_known, "legacy: data_received is in bytes");
	s = sum(&r, "my_trend");
	T_OK(s && s->type == MT_TREND && s->unit == UNIT_NONE && !s->unit_known,
	    "legacy: a custom trend's unit is unknown, not guessed");
	s = sum(&r, "my_gauge");
	T_OK(s && s->type == MT_GAUGE && !s->unit_known, "legacy: a custom gauge's unit is unknown");
	s = sum(&r, "ws_connecting");
	T_NEAR(st(s, "p(99.9)"), 7, 0, "legacy: p(99.9) kept with its digits");
	T_OK(s && s->unit == UNIT_MS, "legacy: ws_connecting is in ms");

	T_EQ_INT(r.nchecks, 3, "legacy: three checks");
	c = chk(&r, "::webchat", "status is 200");
	T_OK(c != NULL, "legacy: check in group ::webchat");
	T_EQ_INT(c ? c->passes : -1, 90, "legacy: check passes");
	T_EQ_INT(c ? c->fails : -1, 10, "legacy: check fails");
	T_EQ_INT(c ? c->origin.line : 0, 30, "legacy: check origin line (over-indented block)");
	T_EQ_INT(c ? c->origin.col : 0, 17, "legacy: check origin column");
	c = chk(&r, "::webchat::auth", "no path");
	T_OK(c != NULL, "legacy: nested group path from the nesting when no path is written");
	c = chk(&r, "", "http_req_duration");
	T_OK(c != NULL, "legacy: root check has group \"\"");
	T_EQ_INT(c ? c->origin.line : 0, 35, "legacy: a check named like a metric cites its own line");
	free(msgs);
	run_release(&r);
}

/* ---- handleSummary() data ---------------------------------------------- */

static const char handle_doc[] =
	"{\n"										/* 1 */
	"  \"root_group\": {\"name\": \"\", \"path\": \"\", \"id\": \"d41\", \"groups\": [\n"
	"    {\"name\": \"automation\", \"path\": \"::automation\", \"id\": \"g1\", \"groups\": [\n"
	"      {\"name\": \"webhook\", \"path\": \"::automation::webhook\", \"id\": \"g2\", \"groups\": [], \"checks\": [\n"
	"        {\"path\": \"::automation::webhook::trigger accepted (202)\", \"name\": \"trigger accepted (202)\", \"id\": \"c1\", \"passes\": 8719, \"fails\": 49}]}],\n"
	"     \"checks\": [{\"name\": \"queue depth < 50\", \"path\": \"::automation::queue depth < 50\", \"id\": \"c2\", \"passes\": 14525, \"fails\": 0}]}],\n"
	"    \"checks\": [{\"name\": \"status is 200\", \"path\": \"::status is 200\", \"id\": \"c3\", \"passes\": 30, \"fails\": 0}]},\n"
	"  \"options\": {\"summaryTrendStats\": [\"avg\", \"p(95)\", \"p(98)\"], \"summaryTimeUnit\": \"\", \"noColor\": false},\n"
	"  \"state\": {\"isStdOutTTY\": false, \"isStdErrTTY\": false, \"testRunDurationMs\": 40803.440334},\n"
	"  \"metrics\": {\n"								/* 10 */
	"    \"http_req_duration\": {\"type\": \"trend\", \"contains\": \"time\",\n"	/* 11 */
	"      \"values\": {\"avg\": 1.5, \"p(95)\": 343.9, \"p(98)\": 400},\n"		/* 12 */
	"      \"thresholds\": {\n"							/* 13 */
	"        \"p(95)<500\": {\"ok\": true},\n"					/* 14 */
	"        \"p(98)<200\": {\"ok\": false}}},\n"					/* 15 */
	"    \"translation_ms\": {\"type\": \"trend\", \"contains\": \"default\", \"values\": {\"avg\": 5, \"p(95)\": 9}},\n"
	"    \"http_req_failed\": {\"values\": {\"rate\": 0.1, \"passes\": 2, \"fails\": 18}, \"type\": \"rate\", \"contains\": \"default\"},\n"
	"    \"data_sent\": {\"type\": \"counter\", \"contains\": \"data\", \"values\": {\"count\": 1000, \"rate\": 10}},\n"
	"    \"vus\": {\"type\": \"gauge\", \"contains\": \"default\", \"values\": {\"value\": 5, \"min\": 1, \"max\": 5}},\n"
	"    \"http_req_failed{status:>=500}\": {\"type\": \"rate\", \"contains\": \"default\", \"values\": {\"rate\": 0, \"passes\": 0, \"fails\": 0}}\n"
	"  }\n"										/* 21 */
	"}";

static void
test_handle(void)
{
	struct run r;
	long line, col;
	const struct summary *d, *s;
	const struct k6_threshold *t;
	const struct check *c;
	char *msgs;

	T_OK(in_k6sum_sniff(handle_doc, strlen(handle_doc)), "handle: sniffed");
	T_EQ_INT(imp(&r, handle_doc, &msgs), 0, "handle: imports");
	T_EQ_STR(msgs, "", "handle: no diagnostics");
	T_EQ_STR(r.sources[0].format, "k6-handle-summary", "handle: format");
	T_EQ_INT(r.sources[0].have_duration, 1, "handle: duration from state.testRunDurationMs");
	T_NEAR(r.sources[0].duration_ms, 40803.440334, 0, "handle: duration in ms");

	d = sum(&r, "http_req_duration");
	T_OK(d && d->type == MT_TREND && d->unit == UNIT_MS && d->unit_known, "handle: contains time = ms");
	T_NEAR(st(d, "p(98)"), 400, 0, "handle: p(98) from summaryTrendStats");
	T_EQ_INT(d ? d->origin.line : 0, 11, "handle: metric origin line");
	t = thr(d, "p(95)<500");
	T_OK(t && t->have_result && t->passed == 1, "handle: ok:true means passed");
	T_EQ_INT(t ? t->origin.line : 0, 14, "handle: threshold origin line");
	t = thr(d, "p(98)<200");
	T_OK(t && t->have_result && t->passed == 0, "handle: ok:false means failed");

	s = sum(&r, "translation_ms");
	T_OK(s && s->type == MT_TREND && s->unit == UNIT_NONE && !s->unit_known,
	    "handle: a trend with contains default has an unknown unit");
	s = sum(&r, "http_req_failed");
	T_OK(s && s->type == MT_RATE && s->unit_known, "handle: rate, unit known");
	T_NEAR(st(s, "rate"), 0.1, 0, "handle: rate");
	T_NEAR(st(s, "count"), 20, 0, "handle: rate count = passes + fails");
	s = sum(&r, "data_sent");
	T_OK(s && s->type == MT_COUNTER && s->unit == UNIT_BYTES && s->unit_known, "handle: contains data = bytes");
	T_EQ_INT(s ? (int)summary_stat_unit(s, "count") : -1, UNIT_BYTES, "handle: data_sent count is bytes");
	s = sum(&r, "vus");
	T_OK(s && s->type == MT_GAUGE && s->unit == UNIT_NONE && s->unit_known, "handle: gauge default is a known plain number");
	s = sum(&r, "http_req_failed{status:>=500}");
	T_EQ_STR(label(s, "status"), ">=500", "handle: an operator inside a label value is kept");
	T_NEAR(st(s, "count"), 0, 0, "handle: a rate that saw no samples has count 0");

	T_EQ_INT(r.nchecks, 3, "handle: three checks");
	c = chk(&r, "::automation::webhook", "trigger accepted (202)");
	T_OK(c && c->passes == 8719 && c->fails == 49, "handle: nested group check");
	pos_of(handle_doc, "\"name\": \"trigger", &line, &col);
	T_EQ_INT(c ? c->origin.line : 0, 5, "handle: check origin is its \"name\" member's line");
	T_EQ_INT(c ? c->origin.col : 0, col, "handle: check origin column is the \"name\" key");
	c = chk(&r, "::automation", "queue depth < 50");
	T_OK(c && c->passes == 14525, "handle: parent group check");
	c = chk(&r, "", "status is 200");
	T_OK(c && c->passes == 30, "handle: root check");
	free(msgs);
	run_release(&r);
}

/* ---- the v1.5+ machine-readable summary ---------------------------------- */

static const char v1_doc[] =
	"{\n"										/* 1 */
	"  \"config\": {\"duration\": 900.5, \"execution\": \"local\", \"script\": \"t.js\"},\n"
	"  \"metadata\": {\"generated_at\": \"2026-11-20T09:15:02Z\", \"k6_version\": \"1.5.0\"},\n"
	"  \"results\": {\n"								/* 4 */
	"    \"checks\": {\n"								/* 5 */
	"      \"metrics\": [{\"contains\": \"default\", \"name\": \"checks_succeeded\", \"type\": \"rate\", \"values\": {\"matches\": 99, \"rate\": 0.99, \"total\": 100}}],\n"
	"      \"results\": [\n"							/* 7 */
	"        {\"fails\": 1, \"name\": \"reply contains \\u003cb\\u003e\", \"passes\": 99},\n"
	"        {\"name\": \"grouped\", \"path\": \"::g1::grouped\", \"passes\": 3, \"fails\": 0}\n"
	"      ]\n"									/* 10 */
	"    },\n"									/* 11 */
	"    \"metrics\": [\n"								/* 12 */
	"      {\"contains\": \"time\", \"name\": \"http_req_duration\", \"type\": \"trend\", \"values\": {\"avg\": 1, \"p90\": 2, \"p95\": 3, \"p(99)\": 4}},\n"
	"      {\"contains\": \"default\", \"name\": \"http_req_failed\", \"type\": \"rate\", \"values\": {\"matches\": 3, \"rate\": 0.03, \"total\": 100}},\n"
	"      {\"contains\": \"default\", \"name\": \"iterations\", \"type\": \"counter\", \"values\": {\"count\": 50}},\n"
	"      {\"contains\": \"time\", \"name\": \"http_req_duration{scenario:chat}\", \"type\": \"trend\", \"values\": {\"p95\": 5}}\n"
	"    ]\n"									/* 17 */
	"  },\n"									/* 18 */
	"  \"version\": \"1.0.0\"\n"							/* 19 */
	"}\n";

static void
test_v1(void)
{
	struct run r;
	long line, col;
	const struct summary *s;
	const struct check *c;
	int64_t want;
	size_t errcol;
	char *msgs;
	size_t i, nth = 0;

	T_OK(in_k6sum_sniff(v1_doc, strlen(v1_doc)), "v1: sniffed");
	T_EQ_INT(imp(&r, v1_doc, &msgs), 0, "v1: imports");
	T_EQ_STR(msgs, "", "v1: no diagnostics");
	T_EQ_STR(r.sources[0].format, "k6-summary-v1", "v1: format");
	T_EQ_STR(r.sources[0].tool_version, "1.5.0", "v1: k6 version from metadata.k6_version");
	time_parse_rfc3339("2026-11-20T09:15:02Z", 20, &want, &errcol);
	T_OK(r.sources[0].have_generated_at && r.sources[0].generated_at == want, "v1: generated_at");
	T_OK(r.sources[0].have_duration, "v1: duration from config.duration");
	T_NEAR(r.sources[0].duration_ms, 900500, 1e-6, "v1: config.duration seconds -> ms");

	s = sum(&r, "http_req_duration");
	T_OK(s && s->type == MT_TREND && s->unit == UNIT_MS && s->unit_known, "v1: trend in ms");
	T_NEAR(st(s, "p(95)"), 3, 0, "v1: p95 -> p(95)");
	T_NEAR(st(s, "p(90)"), 2, 0, "v1: p90 -> p(90)");
	T_NEAR(st(s, "p(99)"), 4, 0, "v1: p(99) accepted as well");
	T_EQ_INT(s ? s->origin.line : 0, 13, "v1: metric origin is its \"name\" line");
	pos_of(v1_doc, "\"name\": \"http_req_duration\"", &line, &col);
	T_EQ_INT(s ? s->origin.col : 0, col, "v1: metric origin column is the \"name\" key");
	s = sum(&r, "http_req_failed");
	T_OK(s && s->type == MT_RATE, "v1: rate");
	T_NEAR(st(s, "rate"), 0.03, 0, "v1: rate");
	T_NEAR(st(s, "passes"), 3, 0, "v1: passes = matches");
	T_NEAR(st(s, "fails"), 97, 0, "v1: fails = total - matches");
	T_NEAR(st(s, "count"), 100, 0, "v1: count = total");
	s = sum(&r, "iterations");
	T_OK(s && s->type == MT_COUNTER, "v1: counter with count only");
	T_NEAR(st(s, "count"), 50, 0, "v1: counter count");
	s = sum(&r, "checks_succeeded");
	T_OK(s != NULL, "v1: results.checks.metrics imported as metrics");
	T_NEAR(st(s, "rate"), 0.99, 0, "v1: checks_succeeded rate");
	s = sum(&r, "http_req_duration{scenario:chat}");
	T_EQ_STR(label(s, "scenario"), "chat", "v1: sub-metric selector");
	for (i = 0; i < r.nsummaries; i++)
		nth += r.summaries[i].nthresholds;
	T_EQ_INT(nth, 0, "v1: no threshold results exist in this format");

	T_EQ_INT(r.nchecks, 2, "v1: two checks");
	c = chk(&r, "", "reply contains <b>");
	T_OK(c && c->passes == 99 && c->fails == 1, "v1: \\u003c decoded in a check name");
	T_EQ_INT(c ? c->origin.line : 0, 8, "v1: check origin line");
	c = chk(&r, "::g1", "grouped");
	T_OK(c != NULL, "v1: a check's group from its path");
	free(msgs);
	run_release(&r);
}

static void
test_v1_upstream_forms(void)
{
	static const char doc[] =
	    "{\"version\": \"1.0.0\", \"config\": {\"duration\": \"15m0.5s\", \"execution\": \"local\"},"
	    " \"metadata\": {\"generatedAt\": \"2026-11-28T11:13:31.5+03:30\", \"k6Version\": \"1.6.0\"},"
	    " \"results\": {\"passed\": true, \"metrics\": [{\"contains\": \"time\", \"name\": \"t\", \"type\": \"trend\","
	    " \"values\": {\"p(90)\": 1, \"p(95)\": 2}}]}}";
	struct run r;
	int64_t want;
	size_t errcol;
	char *msgs;

	T_EQ_INT(imp(&r, doc, &msgs), 0, "v1 upstream: imports");
	T_EQ_STR(msgs, "", "v1 upstream: no diagnostics");
	T_EQ_STR(r.sources[0].tool_version, "1.6.0", "v1 upstream: camelCase k6Version");
	time_parse_rfc3339("2026-11-28T11:13:31.5+03:30", 27, &want, &errcol);
	T_OK(r.sources[0].have_generated_at && r.sources[0].generated_at == want,
	    "v1 upstream: camelCase generatedAt with an offset");
	T_NEAR(r.sources[0].duration_ms, 900500, 1e-6, "v1 upstream: duration string 15m0.5s");
	T_NEAR(st(sum(&r, "t"), "p(95)"), 2, 0, "v1 upstream: p(95) key");
	T_EQ_INT(r.nchecks, 0, "v1 upstream: no checks block, no checks");
	free(msgs);
	run_release(&r);
}

/* Schema 1.0.0 has no groups; should a later one nest checks in them, they are read. */
static void
test_v1_groups(void)
{
	static const char doc[] =
	    "{\"version\": \"1.0.0\", \"results\": {\"metrics\": [], \"groups\": [{\"name\": \"g\", \"path\": \"::g\","
	    " \"checks\": [{\"name\": \"c\", \"passes\": 1, \"fails\": 0}], \"groups\": [{\"name\": \"h\","
	    " \"checks\": {\"results\": [{\"name\": \"d\", \"passes\": 2, \"fails\": 1}]}}]}]}}";
	struct run r;
	const struct check *c;
	char *msgs;

	T_EQ_INT(imp(&r, doc, &msgs), 0, "v1 groups: imports");
	T_EQ_STR(msgs, "", "v1 groups: no diagnostics");
	T_OK(chk(&r, "::g", "c") != NULL, "v1 groups: a check in results.groups");
	c = chk(&r, "::g::h", "d");
	T_OK(c && c->passes == 2 && c->fails == 1, "v1 groups: a nested group's path from the nesting");
	free(msgs);
	run_release(&r);
}

/* ---- details ------------------------------------------------------------ */

static void
test_bom_and_columns(void)
{
	static const char doc[] =
	    "\xef\xbb\xbf{\"metrics\": {}, \"root_group\": {\"checks\": [{\"name\": \"\xf0\x9f\x9f\xa2 ok\", "
	    "\"passes\": 1, \"fails\": 0}, {\"name\": \"b\", \"passes\": 2, \"fails\": 0}]}}";
	struct run r;
	const struct check *c;
	char *msgs;

	T_OK(in_k6sum_sniff(doc, strlen(doc)), "bom: sniffed after a UTF-8 BOM");
	T_EQ_INT(imp(&r, doc, &msgs), 0, "bom: imports after a UTF-8 BOM");
	T_EQ_STR(r.sources[0].format, "k6-handle-summary", "bom: empty metrics, checks array: handleSummary");
	c = chk(&r, "", "b");
	T_EQ_INT(c ? c->origin.line : 0, 1, "columns: line 1");
	T_EQ_INT(c ? c->origin.col : 0, 87, "columns count characters, an emoji as one, the BOM as none");
	free(msgs);
	run_release(&r);
}

static void
test_warnings(void)
{
	static const char dup[] =
	    "{\"metrics\": {\"a\": {\"count\": 1, \"rate\": 1}, \"a\": {\"count\": 2, \"rate\": 2}}}";
	static const char badsel[] =
	    "{\"metrics\": {\"bad{x\": {\"count\": 1, \"rate\": 1}}}";
	static const char unknown[] =
	    "{\"metrics\": {\"t\": {\"avg\": 1, \"p(0)\": 0, \"stddev\": 2}}}";
	static const char old_rate[] =
	    "{\"metrics\": {\"checks\": {\"passes\": 3, \"fails\": 1, \"value\": 0}}}";
	static const char dupcheck[] =
	    "{\"metrics\": {}, \"root_group\": {\"checks\": {\"c\": {\"passes\": 1, \"fails\": 0}, \"c\": {\"passes\": 5, \"fails\": 5}}}}";
	static const char dupkey[] =
	    "{\"metrics\": {\"a\": {\"count\": 1, \"rate\": 1}}, \"metrics\": {},"
	    " \"root_group\": {\"checks\": [{\"name\": \"c\", \"passes\": 1, \"passes\": 2, \"fails\": 0}]}}";
	struct run r;
	const struct summary *s;
	char *msgs;

	T_EQ_INT(imp(&r, dupkey, &msgs), 0, "duplicate keys: imports");
	T_EQ_INT(r.nsummaries, 1, "duplicate keys: the first \"metrics\" is read");
	T_EQ_INT(r.nchecks ? r.checks[0].passes : 0, 1, "duplicate keys: the first \"passes\" is read");
	expect_warning(&r, msgs, dupkey, "\"metrics\": {},",
	    "duplicate key \"metrics\" in the top-level object; the first is kept", "duplicate keys: top level");
	expect_warning(&r, msgs, dupkey, "\"passes\": 2",
	    "duplicate key \"passes\" in a check; the first is kept", "duplicate keys: in a check");
	free(msgs);
	run_release(&r);

	T_EQ_INT(imp(&r, dup, &msgs), 0, "duplicate metric: imports");
	T_EQ_INT(r.nsummaries, 1, "duplicate metric: kept once");
	T_NEAR(st(sum(&r, "a"), "count"), 1, 0, "duplicate metric: the first is kept");
	expect_warning(&r, msgs, dup, "\"a\": {\"count\": 2", "duplicate metric \"a\"; the first is kept",
	    "duplicate metric: warning at the second key");
	free(msgs);
	run_release(&r);

	T_EQ_INT(imp(&r, badsel, &msgs), 0, "bad selector: imports");
	s = sum(&r, "bad{x");
	T_OK(s && strcmp(s->sel.name, "bad{x") == 0 && s->sel.nlabels == 0,
	    "bad selector: the whole name is the selector's name");
	expect_warning(&r, msgs, badsel, "\"bad{x\"",
	    "metric name \"bad{x\" is not a valid selector (at byte 6); it is kept whole as the name",
	    "bad selector: warning names it");
	free(msgs);
	run_release(&r);

	T_EQ_INT(imp(&r, unknown, &msgs), 0, "unknown stat: imports");
	T_OK(summary_stat(sum(&r, "t"), "avg") != NULL, "unknown stat: the known ones are kept");
	expect_warning(&r, msgs, unknown, "\"stddev\"", "metric \"t\": unknown stat \"stddev\" ignored",
	    "unknown stat: warning");
	expect_warning(&r, msgs, unknown, "\"p(0)\"", "metric \"t\": unknown stat \"p(0)\" ignored",
	    "unknown stat: p(0) is not a stat we know");
	T_EQ_INT(diag_status(), 0, "unknown stat: not an error");
	free(msgs);
	run_release(&r);

	T_EQ_INT(imp(&r, old_rate, &msgs), 0, "pre-v0.30 rate: imports");
	T_NEAR(st(sum(&r, "checks"), "rate"), 0.75, 0, "pre-v0.30 rate: recomputed from passes and fails");
	expect_warning(&r, msgs, old_rate, "\"value\"",
	    "metric \"checks\": \"value\" is 0 though \"passes\" is 3 (k6 before v0.30 wrote 0); "
	    "the rate is computed from passes and fails", "pre-v0.30 rate: warning");
	free(msgs);
	run_release(&r);

	T_EQ_INT(imp(&r, dupcheck, &msgs), 0, "duplicate check: imports");
	T_EQ_INT(r.nchecks, 1, "duplicate check: kept once");
	T_EQ_INT(r.nchecks ? r.checks[0].passes : 0, 1, "duplicate check: the first is kept");
	expect_warning(&r, msgs, dupcheck, "\"c\": {\"passes\": 5", "duplicate check \"c\"; the first is kept",
	    "duplicate check: warning");
	free(msgs);
	run_release(&r);
}

static void
test_sniff(void)
{
	static const char ndjson[] =
	    "{\"type\":\"Metric\",\"data\":{\"name\":\"http_reqs\",\"type\":\"counter\"},\"metric\":\"http_reqs\"}\n";
	static const char ws[] = " \n\t{\"root_group\": {}, \"metrics\": {}}";

	T_EQ_INT(in_k6sum_sniff(ndjson, strlen(ndjson)), 0, "sniff: k6 NDJSON is not a summary");
	T_EQ_INT(in_k6sum_sniff(ws, strlen(ws)), 1, "sniff: leading white space");
	T_EQ_INT(in_k6sum_sniff("[{\"metrics\":1,\"root_group\":1}]", 30), 0, "sniff: an array is not");
	T_EQ_INT(in_k6sum_sniff("", 0), 0, "sniff: empty is not");
	T_EQ_INT(in_k6sum_sniff("{\"metrics\": {}}", 15), 0, "sniff: metrics alone is not enough");
	T_EQ_INT(in_k6sum_sniff("{\"metrics\": [], \"results\": {}}", 30), 0,
	    "sniff: results without version is not enough");
	T_EQ_INT(in_k6sum_sniff("{\"x\": \"metrics root_group\"}", 27), 0,
	    "sniff: key names must be quoted strings of their own");
}

/* ---- errors ------------------------------------------------------------- */

static char *
nested(int levels)
{
	size_t n = (size_t)levels * 2 + 64, k = 0;
	char *s = malloc(n);
	int i;

	k += (size_t)snprintf(s, n, "{\"x\": ");
	for (i = 1; i < levels; i++)
		s[k++] = '[';
	for (i = 1; i < levels; i++)
		s[k++] = ']';
	snprintf(s + k, n - k, "}");
	return s;
}

static void
test_errors(void)
{
	static const char trunc[] = "{\n  \"metrics\": {\n    \"a\": {\"count\": 1,";
	static const char bom16[] = "\xff\xfe{\0\"\0";
	static const char nul[] = "{\"metrics\": {}\0}";
	char *deep, name[LIM_NAME + 2], doc[LIM_NAME + 200], *got;
	struct run r;

	expect_error_lc("empty file", "", 0, 0, 0, "empty file; expected a k6 summary");
	expect_error_lc("white space only", " \n\t\n", 4, 0, 0, "empty file; expected a k6 summary");
	expect_error_lc("UTF-16", bom16, sizeof bom16 - 1, 0, 0, "the file is UTF-16; expected UTF-8 JSON");
	/* The end of input is on line 3, just past its last character. */
	expect_error_lc("truncated file", trunc, strlen(trunc), 3, 22,
	    "invalid JSON: unexpected end of input");
	expect_error_lc("unterminated string", "{\"metrics\": {\"a", 15, 1, 16,
	    "invalid JSON: unexpected end of input");
	expect_error_lc("truncated number", "{\"metrics\": 1.", 14, 1, 15,
	    "invalid JSON: unexpected end of input");
	expect_error_lc("trailing comma", "{\"metrics\": {}, }", 17, 1, 17,
	    "invalid JSON: expected a double-quoted key, found \"}\"");
	expect_error_lc("NUL byte", nul, sizeof nul - 1, 1, 15, "invalid JSON: a NUL byte");
	expect_error("single quotes", "{'metrics': {}}", "'",
	    "invalid JSON: expected a double-quoted key, found \"'\"");
	expect_error("missing colon", "{\"metrics\" {}}", "{}",
	    "invalid JSON: expected \":\", found \"{\"");
	expect_error("missing comma", "{\"metrics\": {\"a\": 1 \"b\": 2}}", "\"b\"",
	    "invalid JSON: expected \",\" or \"}\", found \"\\\"\"");
	expect_error("missing bracket", "{\"metrics\": [1, 2}", "}",
	    "invalid JSON: expected \",\" or \"]\", found \"}\"");
	expect_error("content after the document", "{\"metrics\": {}} x", "x",
	    "invalid JSON: unexpected \"x\" after the top-level value");
	expect_error("leading zero", "{\"metrics\": 01}", "01", "invalid JSON: invalid number \"01\"");
	expect_error("bad literal", "{\"metrics\": tru}", "tru", "invalid JSON: expected a value, found \"t\"");
	expect_error("bad escape", "{\"me\\qtrics\": 1}", "\\q",
	    "invalid JSON: invalid escape \"\\\\q\" in a string");
	expect_error("lone surrogate", "{\"a\\udc00\": 1}", "\\udc00",
	    "invalid JSON: unpaired surrogate \"\\\\udc00\" in a string");

	deep = nested(LIM_JSON_DEPTH + 1);
	/* {"x": is 6 characters; the 65th level is the 64th '['. */
	expect_error_lc("nesting past LIM_JSON_DEPTH", deep, strlen(deep), 1, 6 + LIM_JSON_DEPTH,
	    "nesting deeper than 64 levels of arrays and objects");
	free(deep);
	deep = nested(LIM_JSON_DEPTH);
	expect_error("nesting at LIM_JSON_DEPTH is still JSON", deep, "{",
	    "not a k6 summary: no \"metrics\" object");
	free(deep);

	expect_error("top-level array", "[1, 2]", "[",
	    "not a k6 summary: the top-level value is an array, not an object");
	expect_error("no metrics", "{\n  \"root_group\": {}\n}", "{",
	    "not a k6 summary: no \"metrics\" object");
	expect_error("metrics an array", "{\"root_group\": {}, \"metrics\": []}", "[]",
	    "\"metrics\": expected an object, found an array");
	expect_error("v1 metrics a string", "{\"version\": \"1.0.0\", \"results\": {\"metrics\": \"x\"}}", "\"x\"",
	    "\"metrics\": expected an array or an object, found a string");
	expect_error("v1 without metrics", "{\"version\": \"1.0.0\", \"results\": {}}", "\"results\"",
	    "not a k6 summary: no \"metrics\" in \"results\"");
	expect_error("metric a number", "{\"metrics\": {\"x\": 5}}", "5",
	    "metric \"x\": expected an object, found a number");
	expect_error("legacy stat a string", "{\"metrics\": {\"x\": {\"avg\": 1, \"p(95)\": \"2\"}}}", "\"2\"",
	    "metric \"x\" stat \"p(95)\": expected a number, found a string");
	expect_error("legacy stat null", "{\"metrics\": {\"x\": {\"avg\": null}}}", "null",
	    "metric \"x\" stat \"avg\": expected a number, found null");
	expect_error("handle stat a string",
	    "{\"metrics\": {\"x\": {\"type\": \"trend\", \"contains\": \"time\", \"values\": {\"p(95)\": \"1\"}}}}", "\"1\"",
	    "metric \"x\" stat \"p(95)\": expected a number, found a string");
	expect_error("v1 stat a boolean",
	    "{\"version\": \"1.0.0\", \"results\": {\"metrics\": [{\"name\": \"t\", \"type\": \"trend\", \"contains\": \"time\", \"values\": {\"p95\": true}}]}}",
	    "true", "metric \"t\" stat \"p95\": expected a number, found true");
	expect_error("stat out of range", "{\"metrics\": {\"x\": {\"avg\": 1e999}}}", "1e999",
	    "metric \"x\" stat \"avg\": number out of range");
	expect_error("rate passes non-integral", "{\"metrics\": {\"r\": {\"passes\": 1.5, \"fails\": 1, \"value\": 0.5}}}", "1.5",
	    "metric \"r\" stat \"passes\": expected a non-negative integer, found 1.5");
	expect_error("v1 matches over total",
	    "{\"version\": \"1.0.0\", \"results\": {\"metrics\": [{\"name\": \"r\", \"type\": \"rate\", \"contains\": \"default\", \"values\": {\"matches\": 5, \"rate\": 1, \"total\": 3}}]}}",
	    "{\"matches\"", "metric \"r\": \"matches\" (5) is more than \"total\" (3)");
	expect_error("v1 metric without a name",
	    "{\"version\": \"1.0.0\", \"results\": {\"metrics\": [{\"type\": \"trend\", \"values\": {}}]}}",
	    "{\"type\"", "metric entry without a \"name\"");
	expect_error("handle no values", "{\"metrics\": {\"x\": {\"type\": \"trend\", \"contains\": \"time\"}}}", "\"x\"",
	    "metric \"x\": no \"values\" object");
	expect_error("handle bad type", "{\"metrics\": {\"x\": {\"type\": \"histogram\", \"values\": {}}}}", "\"histogram\"",
	    "metric \"x\" \"type\": expected \"trend\", \"counter\", \"rate\" or \"gauge\", found \"histogram\"");
	expect_error("legacy threshold not a boolean",
	    "{\"metrics\": {\"x\": {\"avg\": 1, \"thresholds\": {\"avg<1\": \"yes\"}}}}", "\"yes\"",
	    "metric \"x\" threshold \"avg<1\": expected true or false, found a string");
	expect_error("handle threshold without ok",
	    "{\"metrics\": {\"x\": {\"type\": \"trend\", \"values\": {}, \"thresholds\": {\"avg<1\": {\"passed\": true}}}}}",
	    "{\"passed\"", "metric \"x\" threshold \"avg<1\": no \"ok\"");
	expect_error("handle threshold a bare boolean",
	    "{\"metrics\": {\"x\": {\"type\": \"trend\", \"values\": {}, \"thresholds\": {\"avg<1\": true}}}}",
	    "true", "metric \"x\" threshold \"avg<1\": expected an object with \"ok\", found true");
	expect_error("handle threshold ok not a boolean",
	    "{\"metrics\": {\"x\": {\"type\": \"trend\", \"values\": {}, \"thresholds\": {\"avg<1\": {\"ok\": 1}}}}}",
	    "1}", "metric \"x\" threshold \"avg<1\" \"ok\": expected true or false, found a number");
	expect_error("mixed shapes",
	    "{\"metrics\": {\"a\": {\"count\": 1, \"rate\": 1}, \"b\": {\"type\": \"counter\", \"values\": {}}}}", "\"b\"",
	    "metric \"b\" has the handleSummary shape but metric \"a\" before it has the --summary-export shape");
	expect_error("check passes negative",
	    "{\"metrics\": {}, \"root_group\": {\"checks\": {\"c\": {\"passes\": -1, \"fails\": 0}}}}", "-1",
	    "check \"c\" \"passes\": expected a non-negative integer, found -1");
	expect_error("check fails non-integral",
	    "{\"metrics\": {}, \"root_group\": {\"checks\": [{\"name\": \"c\", \"passes\": 1, \"fails\": 0.5}]}}", "0.5",
	    "check \"c\" \"fails\": expected a non-negative integer, found 0.5");
	expect_error("check passes a string",
	    "{\"metrics\": {}, \"root_group\": {\"checks\": [{\"name\": \"c\", \"passes\": \"1\", \"fails\": 0}]}}", "\"1\"",
	    "check \"c\" \"passes\": expected a non-negative integer, found a string");
	expect_error("check without passes",
	    "{\"metrics\": {}, \"root_group\": {\"checks\": [{\"name\": \"c\", \"fails\": 0}]}}", "\"name\"",
	    "check \"c\": no \"passes\"");
	expect_error("check without a name",
	    "{\"metrics\": {}, \"root_group\": {\"checks\": [{\"passes\": 1, \"fails\": 0}]}}", "{\"passes\"",
	    "check entry without a \"name\"");
	expect_error("checks a string", "{\"metrics\": {}, \"root_group\": {\"checks\": \"none\"}}", "\"none\"",
	    "\"checks\": expected an object or an array, found a string");
	expect_error("v1 check counts negative",
	    "{\"version\": \"1.0.0\", \"results\": {\"metrics\": [], \"checks\": {\"results\": [{\"name\": \"c\", \"passes\": 1, \"fails\": -2}]}}}",
	    "-2", "check \"c\" \"fails\": expected a non-negative integer, found -2");

	memset(name, 'm', sizeof name - 1);
	name[sizeof name - 1] = '\0';
	snprintf(doc, sizeof doc, "{\"metrics\": {\"%s\": {\"count\": 1, \"rate\": 1}}}", name);
	T_EQ_INT(imp(&r, doc, &got), -1, "metric name past LIM_NAME: fails");
	T_OK(got && strncmp(got, "sloproof: t.json:1:14: error: metric name longer than 1024 bytes: \"mmm", 70) == 0,
	    "metric name past LIM_NAME: the error says so");
	free(got);
	run_release(&r);
}

/* More than LIM_METRICS metrics, LIM_CHECKS checks: a clear error, not a slow death. */
static void
test_limits(void)
{
	struct buf b;
	struct run r;
	char *got, want[128];
	long i;

	buf_init(&b, 64u * 1024 * 1024);
	buf_addstr(&b, "{\"metrics\": {");
	for (i = 0; i <= LIM_METRICS; i++)
		buf_printf(&b, "%s\n\"m%ld\": {\"count\": 1, \"rate\": 1}", i ? "," : "", i);
	buf_addstr(&b, "}}");
	imp_n(&r, b.data, b.len, &got);
	snprintf(want, sizeof want, "sloproof: t.json:%ld:1: error: too many metrics: more than %d in one run\n",
	    (long)LIM_METRICS + 2, LIM_METRICS);
	T_EQ_STR(got, want, "LIM_METRICS: the metric past the limit is named by its line");
	free(got);
	run_release(&r);

	buf_reset(&b);
	buf_addstr(&b, "{\"metrics\": {}, \"root_group\": {\"checks\": [");
	for (i = 0; i <= LIM_CHECKS; i++)
		buf_printf(&b, "%s\n{\"name\": \"c%ld\", \"passes\": 1, \"fails\": 0}", i ? "," : "", i);
	buf_addstr(&b, "]}}");
	imp_n(&r, b.data, b.len, &got);
	snprintf(want, sizeof want, "sloproof: t.json:%ld:2: error: too many checks: more than %d in one run\n",
	    (long)LIM_CHECKS + 2, LIM_CHECKS);
	T_EQ_STR(got, want, "LIM_CHECKS: the check past the limit is named by its line");
	free(got);
	run_release(&r);
	buf_release(&b);
}

/* ---- the corpus ----------------------------------------------------------- */

static int
read_into(const char *path, struct buf *b)
{
	int rc;

	buf_init(b, LIM_INPUT_BYTES);
	cap_begin();
	rc = fsio_read(path, LIM_INPUT_BYTES, b, NULL, NULL);
	free(cap_end());
	return rc;
}

/* Imports path into r (initialised here); 0 with no error diagnostics, else -1. */
static int
import_path(struct run *r, const char *path, const char *display, size_t *nwarn)
{
	struct source *s;
	struct buf b;
	char *got;
	int rc;

	run_init(r);
	if (read_into(path, &b) == -1) {
		buf_release(&b);
		return -1;
	}
	s = run_add_source(r);
	s->path = arena_strdup(&r->arena, display);
	cap_begin();
	rc = in_k6sum_import(r, 0, display, b.data ? b.data : "", b.len);
	if (rc == 0 && diag_status() != 0)
		rc = -1;
	if (nwarn)
		*nwarn = diag_warnings();
	got = cap_end();
	if (got && *got)
		printf("# %s", got);
	free(got);
	buf_release(&b);
	return rc;
}

static void
corpus_dir(const char *corpus, const char *sub)
{
	char dir[4096], path[4096 + 256], what[512];
	struct dirent *de;
	struct run r;
	size_t nwarn = 0;
	DIR *d;
	int n = 0;

	snprintf(dir, sizeof dir, "%s/%s", corpus, sub);
	if ((d = opendir(dir)) == NULL) {
		T_OK(0, "corpus directory opens");
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		snprintf(what, sizeof what, "corpus %s/%s imports with 0 errors", sub, de->d_name);
		T_EQ_INT(import_path(&r, path, de->d_name, &nwarn), 0, what);
		snprintf(what, sizeof what, "corpus %s/%s has metrics", sub, de->d_name);
		T_OK(r.nsummaries > 0, what);
		run_release(&r);
		n++;
	}
	closedir(d);
	snprintf(what, sizeof what, "corpus %s has files", sub);
	T_OK(n > 0, what);
}

static int
load(struct run *r, const char *corpus, const char *rel)
{
	char path[4096];

	snprintf(path, sizeof path, "%s/%s", corpus, rel);
	return import_path(r, path, rel, NULL);
}

static void
test_corpus(void)
{
	const char *corpus = t_corpus();
	const struct summary *s;
	const struct k6_threshold *t;
	const struct check *c;
	struct run r;

	if (corpus == NULL)
		return;
	corpus_dir(corpus, "k6-summary-export");
	corpus_dir(corpus, "k6-handle-summary");

	load(&r, corpus, "k6-summary-export/summary-export-failed-threshold-true-dropped-iterations-ratelimiter.json");
	s = sum(&r, "http_req_failed");
	T_EQ_INT(s ? (int)s->type : -1, MT_RATE, "ratelimiter: http_req_failed is a rate");
	T_NEAR(st(s, "passes"), 84495, 0, "ratelimiter: http_req_failed passes (failed requests)");
	T_NEAR(st(s, "fails"), 304061, 0, "ratelimiter: http_req_failed fails");
	T_NEAR(st(s, "rate"), 0.21745900204861077, 0, "ratelimiter: http_req_failed rate");
	t = thr(sum(&r, "http_req_duration"), "p(95)<50");
	T_OK(t && t->have_result && t->passed == 0, "ratelimiter: p(95)<50 true = FAILED");
	s = sum(&r, "http_req_duration{expected_response:true}");
	T_EQ_STR(label(s, "expected_response"), "true", "ratelimiter: sub-metric label expected_response=true");
	T_NEAR(st(s, "p(95)"), 313.885303, 0, "ratelimiter: sub-metric p(95)");
	T_NEAR(st(sum(&r, "dropped_iterations"), "count"), 277, 0, "ratelimiter: dropped_iterations counter");
	run_release(&r);

	load(&r, corpus, "k6-handle-summary/handlesummary-p98-count-trendstats-failed-threshold-quality-time.json");
	s = sum(&r, "http_req_duration");
	T_OK(s && summary_stat(s, "p(98)") != NULL, "quality-time: p(98) present");
	T_OK(s && summary_stat(s, "p(95)") == NULL, "quality-time: no p(95) at all");
	T_NEAR(st(s, "count"), 950, 0, "quality-time: trend count from summaryTrendStats");
	T_NEAR(r.sources[0].duration_ms, 40803.440334, 0, "quality-time: duration_ms");
	t = thr(s, "p(98)<200");
	T_OK(t && t->have_result && t->passed == 0, "quality-time: ok:false = failed");
	T_EQ_INT(r.nchecks, 5, "quality-time: five checks");
	run_release(&r);

	load(&r, corpus, "k6-summary-export/summary-export-nested-groups-habiba2811.json");
	c = chk(&r, "::Main page", "status is 200");
	T_OK(c && c->passes == 1 && c->fails == 0, "nested-groups: check in ::Main page");
	T_EQ_INT(c ? c->origin.line : 0, 127, "nested-groups: check origin line");
	t = thr(sum(&r, "http_req_duration"), "p(95)<1000");
	T_OK(t && t->passed == 1, "nested-groups: p(95)<1000 false = passed");
	T_EQ_INT(sum(&r, "http_req_connecting") ? sum(&r, "http_req_connecting")->origin.line : 0, 3,
	    "nested-groups: metrics before root_group, first metric on line 3");
	run_release(&r);

	load(&r, corpus, "k6-summary-export/summary-export-empty-submetric-status-gte500-counter-threshold-ticketing.json");
	s = sum(&r, "http_req_failed{status:>=500}");
	T_EQ_STR(label(s, "status"), ">=500", "ticketing: selector label value >=500");
	T_OK(s && s->type == MT_RATE && st(s, "count") == 0, "ticketing: empty sub-metric rate, count 0");
	t = thr(sum(&r, "successful_bookings"), "count>100");
	T_OK(t && t->passed == 1, "ticketing: counter threshold count>100 passed");
	c = chk(&r, "", "booking berhasil (201)");
	T_OK(c && c->passes == 1517 && c->fails == 8953, "ticketing: Indonesian check name");
	run_release(&r);

	load(&r, corpus, "k6-summary-export/summary-export-k6-browser-web-vitals-MM12583.json");
	s = sum(&r, "browser_web_vital_lcp");
	T_OK(s && s->unit == UNIT_MS && s->unit_known, "web-vitals: LCP in ms");
	T_NEAR(st(s, "p(95)"), 3133, 0, "web-vitals: LCP p(95)");
	s = sum(&r, "browser_web_vital_cls");
	T_OK(s && s->unit == UNIT_NONE && !s->unit_known, "web-vitals: CLS is not ms");
	s = sum(&r, "browser_http_req_failed");
	T_OK(s && st(s, "passes") == 1 && st(s, "fails") == 241, "web-vitals: browser_http_req_failed 1 of 242");
	run_release(&r);

	load(&r, corpus, "k6-handle-summary/handlesummary-parabank-minified-one-line.json");
	T_EQ_STR(r.sources[0].format, "k6-handle-summary", "parabank: handleSummary");
	T_NEAR(r.sources[0].duration_ms, 11071.2453, 0, "parabank: duration");
	c = chk(&r, "", "status is 200");
	T_OK(c && c->passes == 30, "parabank: check passes");
	T_OK(c && c->origin.line == 1 && c->origin.col == 27, "parabank: one-line file, origin 1:27");
	s = sum(&r, "data_received");
	T_NEAR(st(s, "count"), 168263, 0, "parabank: data_received count");
	T_OK(s && s->origin.line == 1 && s->origin.col == 1961, "parabank: metric origin column in a long line");
	run_release(&r);

	load(&r, corpus, "k6-handle-summary/handlesummary-emoji-check-names-spaced-thresholds-MaribelDS.json");
	c = chk(&r, "", "\xf0\x9f\x9f\xa2 status 201");
	T_OK(c && c->passes == 26148 && c->fails == 0, "emoji: check name with an emoji");
	T_OK(chk(&r, "", "\xe2\x8f\xb1 duraci\xc3\xb3n < 1.5s") != NULL, "emoji: check name with accents and <");
	t = thr(sum(&r, "http_req_duration"), "avg <= 60000");
	T_OK(t && t->passed == 1, "emoji: spaced threshold key");
	T_NEAR(r.sources[0].duration_ms, 3620111.2587, 0, "emoji: a one-hour run");
	run_release(&r);

	load(&r, corpus, "k6-handle-summary/handlesummary-indent2-spaced-threshold-keys-custom-trend-default-mostlyucid.json");
	s = sum(&r, "translation_duration_ms");
	T_OK(s && s->type == MT_TREND && !s->unit_known, "mostlyucid: custom trend contains default, unit unknown");
	t = thr(sum(&r, "http_req_duration"), "p(95) < 5000");
	T_OK(t && t->passed == 0, "mostlyucid: p(95) < 5000 ok:false = failed");
	run_release(&r);
}

/* The same run in three formats (samples/README.md): the same numbers. */
static void
test_samples(void)
{
	static const char *const files[] = {
		"samples/k6/perf-summary.json", "samples/k6/handle-summary.json", "samples/k6/summary-v1.json"
	};
	static const char *const formats[] = { "k6-summary-export", "k6-handle-summary", "k6-summary-v1" };
	struct run r;
	double p95[3], rate[3];
	char what[256];
	int i;
	FILE *f;

	for (i = 0; i < 3; i++) {
		if ((f = fopen(files[i], "r")) == NULL) {
			printf("# skip: %s absent; the three-format samples test not run\n", files[i]);
			return;
		}
		fclose(f);
	}
	for (i = 0; i < 3; i++) {
		snprintf(what, sizeof what, "samples: %s imports", files[i]);
		T_EQ_INT(import_path(&r, files[i], files[i], NULL), 0, what);
		snprintf(what, sizeof what, "samples: %s is %s", files[i], formats[i]);
		T_EQ_STR(r.sources[0].format, formats[i], what);
		p95[i] = st(sum(&r, "gateway_latency"), "p(95)");
		rate[i] = st(sum(&r, "http_req_failed"), "rate");
		snprintf(what, sizeof what, "samples: %s gateway_latency p(95)", files[i]);
		T_NEAR(p95[i], 1111.51587675, 0, what);
		snprintf(what, sizeof what, "samples: %s http_req_failed rate", files[i]);
		T_NEAR(rate[i], 0.0029798832194041776, 0, what);
		run_release(&r);
	}
	T_OK(p95[0] == p95[1] && p95[1] == p95[2], "samples: one p(95) of gateway_latency in all three formats");
	T_OK(rate[0] == rate[1] && rate[1] == rate[2], "samples: one http_req_failed rate in all three formats");
}

/*
 * Every shape of schema 1.0.0 (tests/data/k6v1: the schema's, the published
 * example's, k6's own writer's, metrics grouped by category as arrays and as
 * objects) reads to the same metrics, stats, checks and schema version.
 */
static void
test_v1_shapes(void)
{
	static const char *const files[] = {
		"tests/data/k6v1/example.json", "tests/data/k6v1/writer.json",
		"tests/data/k6v1/category-array.json", "tests/data/k6v1/category-object.json"
	};
	struct run ref, r;
	const struct summary *a, *b;
	const double *v;
	char what[300];
	size_t i, k, f, nwarn;

	if (import_path(&ref, "tests/data/k6v1/schema.json", "schema.json", &nwarn) == -1) {
		printf("# skip: tests/data/k6v1 absent; the v1 shapes test not run\n");
		run_release(&ref);
		return;
	}
	T_EQ_INT(nwarn, 0, "v1 shapes: the schema's shape reads without a warning");
	T_EQ_STR(ref.sources[0].format_version, "1.0.0", "v1 shapes: schema version recorded");
	T_EQ_INT(ref.nsummaries, 11, "v1 shapes: 10 metrics and the checks alias");
	T_EQ_INT(ref.nchecks, 2, "v1 shapes: two checks");
	for (f = 0; f < sizeof files / sizeof files[0]; f++) {
		snprintf(what, sizeof what, "v1 shapes: %s imports without a warning", files[f]);
		T_EQ_INT(import_path(&r, files[f], files[f], &nwarn), 0, what);
		T_EQ_INT(nwarn, 0, what);
		snprintf(what, sizeof what, "v1 shapes: %s: as many metrics", files[f]);
		T_EQ_INT(r.nsummaries, ref.nsummaries, what);
		snprintf(what, sizeof what, "v1 shapes: %s: schema version", files[f]);
		T_EQ_STR(r.sources[0].format_version, "1.0.0", what);
		for (i = 0; i < ref.nsummaries; i++) {
			a = &ref.summaries[i];
			b = sum(&r, a->name);
			snprintf(what, sizeof what, "v1 shapes: %s: metric %s read", files[f], a->name);
			T_OK(b != NULL, what);
			if (b == NULL)
				continue;
			snprintf(what, sizeof what, "v1 shapes: %s: metric %s: type, unit, stat count",
			    files[f], a->name);
			T_OK(a->type == b->type && a->unit == b->unit && a->unit_known == b->unit_known &&
			    a->nstats == b->nstats, what);
			for (k = 0; k < a->nstats; k++) {
				v = summary_stat(b, a->stats[k].name);
				snprintf(what, sizeof what, "v1 shapes: %s: %s %s", files[f], a->name,
				    a->stats[k].name);
				T_NEAR(v ? *v : NAN, a->stats[k].v, 1e-9, what);
			}
		}
		for (i = 0; i < ref.nchecks; i++) {
			const struct check *c = chk(&r, "", ref.checks[i].name);

			snprintf(what, sizeof what, "v1 shapes: %s: check %s passes/fails", files[f],
			    ref.checks[i].name);
			T_OK(c && c->passes == ref.checks[i].passes && c->fails == ref.checks[i].fails, what);
		}
		run_release(&r);
	}
	run_release(&ref);
}

/* A schema version other than 1.0.x is refused at "version"; so is none. */
static void
test_v1_versions(void)
{
	static const char *const bad[] = { "2.0.0", "1.1.0", "0.9.0", "1.0", "1.0.0-rc1", "1.0.01" };
	char doc[256], msg[400];
	size_t i;
	struct run r;
	char *got;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(doc, sizeof doc, "{\"version\": \"%s\", \"results\": {\"metrics\": []}}", bad[i]);
		snprintf(msg, sizeof msg, "k6 summary schema version \"%s\" is not supported: sloproof reads "
		    "version 1.0.0 (and 1.0.x); write the summary with handleSummary() instead, or use a "
		    "sloproof that knows this version", bad[i]);
		expect_error_lc(bad[i], doc, strlen(doc), 1, 13, msg);
	}
	snprintf(doc, sizeof doc, "{\"results\": {\"metrics\": []}, \"metadata\": {\"k6Version\": \"1.5.0\"}}");
	expect_error_lc("v1 without a version", doc, strlen(doc), 1, 1, "k6 machine-readable summary without \"version\"; sloproof reads schema version 1.0.0");
	T_EQ_INT(imp(&r, "{\"version\": \"1.0.3\", \"results\": {\"metrics\": []}}", &got), 0,
	    "v1: a patch release of 1.0 is read");
	T_EQ_STR(r.sources[0].format_version, "1.0.3", "v1: the version read is recorded");
	free(got);
	run_release(&r);
}

/* grafana/k6-summary's example: a rate whose ratio disagrees with its counts is said so. */
static void
test_v1_rate_disagrees(void)
{
	struct run r;
	char *got;

	T_EQ_INT(imp(&r, "{\"version\": \"1.0.0\", \"results\": {\"metrics\": [{\"name\": \"f\", \"type\": \"rate\","
	    " \"contains\": \"default\", \"values\": {\"rate\": 0.02, \"passes\": 1470, \"fails\": 30}}]}}", &got), 0,
	    "rate disagreeing: still read");
	T_OK(got && strstr(got, "warning: metric \"f\": \"rate\" 0.02 disagrees with its counts (0.98 of the "
	    "samples are true); both are kept as written") != NULL, "rate disagreeing: warned");
	T_NEAR(st(sum(&r, "f"), "rate"), 0.02, 0, "rate disagreeing: the rate as written");
	free(got);
	run_release(&r);
}

int
main(void)
{
	test_legacy();
	test_handle();
	test_v1();
	test_v1_upstream_forms();
	test_v1_groups();
	test_bom_and_columns();
	test_warnings();
	test_sniff();
	test_errors();
	test_limits();
	test_corpus();
	test_samples();
	test_v1_shapes();
	test_v1_versions();
	test_v1_rate_disagrees();
	return t_done();
}
