/*
 * test_out_json.c — the JSON report: what a CI script reading
 * `sloproof check --json` relies on. Key order, nulls for what is missing,
 * numbers that read back exactly and look like numbers people write,
 * strings that survive markup, control characters and bad UTF-8, and the
 * size limit.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "util/buf.h"
#include "util/diag.h"
#include "out/out_json.h"
#include "util/strnum.h"
#include "t.h"
#include "util/utf8.h"

#include "verdicts_fixture.h"

static const char *const keys[] = {
	"name", "verdict", "metric", "stat", "observed", "limit", "op", "warn",
	"unit", "samples", "source", "k6_threshold", "message", "kind"
};

static cJSON *
parse(const struct buf *b)
{
	const char *end = NULL;

	/* The length counts the NUL, which cJSON must see to check that nothing follows. */
	return cJSON_ParseWithLengthOpts(buf_str(b), b->len + 1, &end, 1);
}

static cJSON *
slo(cJSON *doc, int i)
{
	return cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "slos"), i);
}

static cJSON *
field(cJSON *doc, int i, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(slo(doc, i), key);
}

static const char *
sfield(cJSON *doc, int i, const char *key)
{
	cJSON *j = field(doc, i, key);

	return cJSON_IsString(j) ? j->valuestring : NULL;
}

static int
valid_utf8(const char *s, size_t n)
{
	size_t i = 0, k;
	uint32_t cp;

	while (i < n) {
		k = utf8_decode(s + i, n - i, &cp);
		if (cp == UTF8_REPLACEMENT && !(k == 3 && memcmp(s + i, "\xEF\xBF\xBD", 3) == 0))
			return 0;
		i += k;
	}
	return 1;
}

static void
test_shape(void)
{
	struct fixture f;
	struct buf out, again;
	cJSON *doc, *o, *k;
	int i, order_ok;

	fixture_init(&f);
	buf_init(&out, 1 << 20);
	buf_init(&again, 1 << 20);
	T_EQ_INT(out_json_check(&f.vs, &f.run, &out), 0, "json: the fixture renders");
	T_OK(out.len > 2 && strncmp(buf_str(&out), "{\n  \"slos\": [\n    {\n      \"name\": ", 33) == 0,
	    "json: pretty-printed with 2-space indentation, one member a line");
	T_OK(out.len > 7 && strcmp(buf_str(&out) + out.len - 7, "\n  ]\n}\n") == 0,
	    "json: ends with the closing brace and a final newline");
	T_OK(strchr(buf_str(&out), '\t') == NULL, "json: no tabs (cJSON's layout is not used)");

	doc = parse(&out);
	T_OK(doc != NULL, "json: parses back with cJSON");
	T_EQ_INT(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "slos")), 4,
	    "json: one object per verdict");
	T_OK(cJSON_GetArraySize(doc) == 1, "json: the top level has \"slos\" only");

	order_ok = 1;
	for (i = 0; i < 4; i++) {
		size_t n = 0;

		for (k = slo(doc, i) ? slo(doc, i)->child : NULL; k != NULL; k = k->next, n++)
			if (n >= sizeof keys / sizeof keys[0] || strcmp(k->string, keys[n]) != 0)
				order_ok = 0;
		if (n != sizeof keys / sizeof keys[0])
			order_ok = 0;
	}
	T_OK(order_ok, "json: every SLO has the 13 keys in the documented order");

	T_EQ_STR(sfield(doc, 0, "verdict"), "pass", "json: pass verdict");
	T_EQ_STR(sfield(doc, 1, "verdict"), "warn", "json: warn verdict");
	T_EQ_STR(sfield(doc, 2, "verdict"), "fail", "json: fail verdict");
	T_EQ_STR(sfield(doc, 3, "verdict"), "nodata", "json: nodata verdict");

	T_OK(field(doc, 2, "observed") && field(doc, 2, "observed")->valuedouble == 1731.4,
	    "json: observed 1731.4 ms reads back exactly");
	T_OK(field(doc, 0, "observed") && field(doc, 0, "observed")->valuedouble == 0.0062,
	    "json: observed ratio 0.0062 reads back exactly");
	T_OK(strstr(buf_str(&out), "\"observed\": 1731.4,") != NULL,
	    "json: 1731.4 is written as 1731.4");
	T_OK(strstr(buf_str(&out), "\"observed\": 0.0062,") != NULL,
	    "json: a ratio is written as a fraction, 0.0062");
	T_OK(strstr(buf_str(&out), "\"limit\": 1500,") != NULL,
	    "json: a limit of 1500 ms is written 1500, not 1.5e+03");
	T_OK(strstr(buf_str(&out), "\"samples\": 48213,") != NULL,
	    "json: samples is a plain integer");
	T_OK(cJSON_IsNull(field(doc, 3, "observed")), "json: nodata has observed null");
	T_OK(cJSON_IsNull(field(doc, 3, "samples")), "json: unknown samples are null");
	T_OK(cJSON_IsNull(field(doc, 3, "source")), "json: no evidence gives source null");
	T_OK(cJSON_IsNull(field(doc, 0, "warn")), "json: a rule without warn has warn null");
	T_OK(field(doc, 2, "warn") && field(doc, 2, "warn")->valuedouble == 1200,
	    "json: warn level in the limit's unit");
	T_EQ_STR(sfield(doc, 2, "source"), "samples/k6/perf-summary.json:42",
	    "json: source is path:line");
	T_EQ_STR(sfield(doc, 1, "source"), "samples/k6/perf-summary.json",
	    "json: source is the path alone when the line is unknown");
	T_EQ_STR(sfield(doc, 2, "unit"), "ms", "json: durations are in ms");
	T_EQ_STR(sfield(doc, 0, "unit"), "ratio", "json: fractions say ratio");
	T_EQ_STR(sfield(doc, 3, "unit"), "", "json: plain numbers have unit \"\"");
	T_EQ_STR(sfield(doc, 2, "op"), "<", "json: op <");
	T_EQ_STR(sfield(doc, 3, "op"), "<=", "json: op <=");
	T_EQ_STR(sfield(doc, 1, "metric"), "http_req_duration{scenario:checkout}",
	    "json: metric as written in the rule");
	T_EQ_STR(sfield(doc, 1, "stat"), "p(90)", "json: stat in canonical form");

	o = field(doc, 0, "k6_threshold");
	T_OK(cJSON_IsObject(o) && o->child && strcmp(o->child->string, "expr") == 0 &&
	    o->child->next && strcmp(o->child->next->string, "passed") == 0,
	    "json: k6_threshold has expr then passed");
	T_EQ_STR(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "expr")),
	    "rate<0.01", "json: k6 threshold expression as in the script");
	T_OK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "passed")),
	    "json: k6's own result true");
	T_OK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(field(doc, 1, "k6_threshold"), "passed")),
	    "json: k6 threshold without a result has passed null");
	T_OK(cJSON_IsNull(field(doc, 2, "k6_threshold")), "json: no k6 threshold gives null");

	T_EQ_STR(sfield(doc, 2, "name"), FIX_XSS, "json: markup and quotes in a name survive");
	T_EQ_STR(sfield(doc, 3, "name"), "Queue\x01" "depth",
	    "json: a control character survives, escaped");
	T_OK(strstr(buf_str(&out), "\"Queue\\u0001depth\"") != NULL,
	    "json: the control character is written as \\u0001");
	T_EQ_STR(sfield(doc, 2, "message"), "1.731 s is above the limit 1.5 s <b>\"&\"</b>",
	    "json: message as the verdict says");

	T_EQ_INT(out_json_check(&f.vs, &f.run, &again), 0, "json: renders a second time");
	T_OK(again.len == out.len && memcmp(again.data, out.data, out.len) == 0,
	    "json: the same verdicts give the same bytes");

	cJSON_Delete(doc);
	buf_release(&again);
	buf_release(&out);
	fixture_release(&f);
}

static void
test_numbers(void)
{
	static const struct {
		double		 v;
		const char	*text;
	} cases[] = {
		{1731.4, "1731.4"}, {0.0062, "0.0062"}, {1500, "1500"}, {0.01, "0.01"},
		{0.1 + 0.2, "0.30000000000000004"}, {-0.0, "0"}, {-2.5, "-2.5"},
		{1e-6, "0.000001"}, {1.5e-7, "1.5e-7"}, {1e21, "1e+21"},
		{123456789012345680000.0, "123456789012345680000"}, {5e-324, "5e-324"},
		{1.7976931348623157e308, "1.7976931348623157e+308"},
	};
	struct fixture f;
	struct buf out;
	cJSON *doc;
	char tmp[64], what[128];
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		fmt_double_plain(tmp, sizeof tmp, cases[i].v);
		snprintf(what, sizeof what, "fmt_double_plain: %s", cases[i].text);
		T_EQ_STR(tmp, cases[i].text, what);
	}

	fixture_init(&f);
	f.vs.v[0].observed = 0.1 + 0.2;
	f.vs.v[1].observed = NAN;
	f.vs.v[2].samples = 123456789012345LL;
	buf_init(&out, 1 << 20);
	T_EQ_INT(out_json_check(&f.vs, &f.run, &out), 0, "json: awkward numbers render");
	doc = parse(&out);
	T_OK(doc != NULL, "json: awkward numbers still parse");
	T_OK(field(doc, 0, "observed") && field(doc, 0, "observed")->valuedouble == 0.1 + 0.2,
	    "json: 0.1+0.2 reads back exactly (cJSON alone would write 0.3)");
	T_OK(cJSON_IsNull(field(doc, 1, "observed")), "json: a NaN observed value is null");
	T_OK(strstr(buf_str(&out), "\"samples\": 123456789012345,") != NULL,
	    "json: a large sample count has no exponent");
	cJSON_Delete(doc);
	buf_release(&out);
	fixture_release(&f);
}

static void
test_bad_utf8(void)
{
	struct fixture f;
	struct buf out;
	cJSON *doc;

	fixture_init(&f);
	f.set.rules[0].name = arena_strdup(&f.set.arena, "bad\xff\xfe utf8 \xe2\x82");
	snprintf(f.vs.v[0].message, sizeof f.vs.v[0].message, "cut \xc3");
	buf_init(&out, 1 << 20);
	T_EQ_INT(out_json_check(&f.vs, &f.run, &out), 0, "json: ill-formed UTF-8 renders");
	T_OK(valid_utf8(out.data, out.len), "json: the output is valid UTF-8");
	doc = parse(&out);
	T_EQ_STR(sfield(doc, 0, "name"),
	    "bad\xEF\xBF\xBD\xEF\xBF\xBD utf8 \xEF\xBF\xBD",
	    "json: each ill-formed sequence becomes one U+FFFD");
	T_EQ_STR(sfield(doc, 0, "message"), "cut \xEF\xBF\xBD",
	    "json: a cut sequence at the end becomes U+FFFD");
	cJSON_Delete(doc);
	buf_release(&out);
	fixture_release(&f);
}

static void
test_limits(void)
{
	struct fixture f;
	struct verdicts none = {NULL, 0};
	struct buf out;
	FILE *err = tmpfile();
	char msg[256] = "";

	fixture_init(&f);
	buf_init(&out, 100);
	diag_reset();
	diag_set_stream(err);
	T_EQ_INT(out_json_check(&f.vs, &f.run, &out), -1, "json: past the buffer's limit fails");
	diag_set_stream(NULL);
	T_EQ_INT(out.len, 0, "json: nothing is appended when the limit is passed");
	if (err != NULL) {
		rewind(err);
		if (fgets(msg, sizeof msg, err) == NULL)
			msg[0] = '\0';
		fclose(err);
	}
	T_EQ_STR(msg, "sloproof: error: the JSON report is larger than the limit of 100 bytes\n",
	    "json: the limit is reported through diag");
	T_EQ_INT(diag_status(), 3, "json: the limit is an error, status 3");
	diag_reset();
	buf_release(&out);

	buf_init(&out, 1 << 20);
	buf_addstr(&out, "prefix:");
	T_EQ_INT(out_json_check(&none, &f.run, &out), 0, "json: no verdicts render");
	T_EQ_STR(buf_str(&out), "prefix:{\n  \"slos\": []\n}\n",
	    "json: no verdicts give an empty list, appended after what was there");
	buf_release(&out);
	fixture_release(&f);
}

int
main(void)
{
	(void)t_corpus;	/* t.h's helper; these tests need no corpus */
	test_shape();
	test_numbers();
	test_bad_utf8();
	test_limits();
	return t_done();
}
