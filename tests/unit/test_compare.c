/*
 * test_compare.c — the bundle reader (summary.json into struct bsum) and
 * the comparison rules: direction, noise floor, verdict regressions and
 * the median of several baselines.
 */
#include <stdio.h>
#include <string.h>

#include "eval/compare.h"
#include "util/diag.h"
#include "in/in_bundle.h"
#include "t.h"

static const char *
summary(const char *title, const char *slug, const char *date, double p95, const char *verdict,
    double checks)
{
	static char text[4096];

	snprintf(text, sizeof text,
	    "{\"sloproof\":{\"version\":\"0.1.0\",\"schema\":1},\"future_key\":[1,{}],"
	    "\"drill\":{\"title\":\"%s\",\"slug\":\"%s\",\"date\":\"%s\",\"environment\":null},"
	    "\"verdict\":\"%s\",\"tally\":{\"pass\":1,\"warn\":0,\"fail\":1,\"nodata\":0},"
	    "\"slos\":[{\"name\":\"Orchestrator P95\",\"verdict\":\"%s\",\"metric\":\"orchestrator_latency\","
	    "\"stat\":\"p(95)\",\"observed\":%.17g,\"limit\":1500,\"op\":\"<\",\"warn\":1200,\"unit\":\"ms\","
	    "\"samples\":10,\"source\":null,\"k6_threshold\":null,\"message\":\"m\",\"kind\":\"metric\"},"
	    "{\"name\":\"Checks pass rate\",\"verdict\":\"pass\",\"metric\":\"checks\",\"stat\":\"rate\","
	    "\"observed\":%.17g,\"limit\":0.99,\"op\":\">\",\"warn\":null,\"unit\":\"ratio\",\"message\":\"\"}],"
	    "\"metrics\":[{\"name\":\"orchestrator_latency\",\"type\":\"trend\",\"unit\":\"ms\","
	    "\"stats\":{\"p(95)\":%.17g,\"avg\":500,\"p(99)\":null}},"
	    "{\"name\":\"iterations\",\"type\":\"counter\",\"unit\":\"\",\"stats\":{\"rate\":100}}],"
	    "\"followups\":[{\"id\":\"XIN-1\",\"title\":\"t\",\"owner\":null,\"due\":\"2026-12-01\"}]}",
	    title, slug, date, verdict, verdict, p95, checks, p95);
	return text;
}

static int
parse(struct bsum *b, const char *text)
{
	return in_bundle_parse(b, "dir", "summary.json", text, strlen(text));
}

static const struct cmp_row *
row(const struct cmp_report *r, int slo, const char *name, const char *stat)
{
	size_t i;

	for (i = 0; i < r->nrows; i++)
		if (r->rows[i].is_slo == slo && strcmp(r->rows[i].name, name) == 0 &&
		    (stat == NULL || strcmp(r->rows[i].stat, stat) == 0))
			return &r->rows[i];
	return NULL;
}

static void
test_reader(void)
{
	struct bsum b;
	char err[512];
	FILE *f;

	T_EQ_INT(parse(&b, summary("Redis outage", "redis-outage-2", "2026-11-28", 1741.5, "fail", 0.993)),
	    0, "reader: a summary with unknown keys reads");
	T_EQ_STR(b.title, "Redis outage", "reader: drill title");
	T_EQ_STR(b.slug, "redis-outage-2", "reader: slug");
	T_EQ_STR(b.date, "2026-11-28", "reader: date");
	T_OK(b.environment == NULL, "reader: a null environment is absent");
	T_EQ_INT(b.verdict, V_FAIL, "reader: overall verdict");
	T_EQ_INT(b.tally[V_FAIL], 1, "reader: tally of failed SLOs");
	T_EQ_INT(b.nslos, 2, "reader: two SLOs");
	T_NEAR(b.slos[0].observed, 1741.5, 1e-9, "reader: observed value in ms");
	T_EQ_INT(b.slos[0].op, OP_LT, "reader: op <");
	T_EQ_INT(b.slos[0].unit, UNIT_MS, "reader: unit ms");
	T_OK(b.slos[0].have_warn && b.slos[0].warn == 1200, "reader: warn level");
	T_EQ_INT(b.slos[1].kind, SLO_METRIC, "reader: a SLO without kind (older bundle) is a metric rule");
	T_EQ_INT(b.slos[1].op, OP_GT, "reader: op >");
	T_EQ_INT(b.nmetrics, 2, "reader: two metrics");
	T_EQ_INT(b.metrics[0].nstats, 2, "reader: a null stat is left out");
	T_OK(bsum_stat(&b.metrics[0], "avg") && *bsum_stat(&b.metrics[0], "avg") == 500, "reader: avg");
	T_EQ_INT(b.nfollowups, 1, "reader: follow-ups");
	T_EQ_STR(b.followups[0].due, "2026-12-01", "reader: follow-up due date");
	T_OK(b.followups[0].owner == NULL, "reader: a null owner is absent");
	in_bundle_release(&b);

	f = fmemopen(err, sizeof err, "w");
	diag_set_stream(f);
	T_EQ_INT(parse(&b, "{\"drill\":{\"title\":\"x\",\"slug\":\"x\",\"date\":\"2026-11-28\"},"
	    "\"verdict\":\"pass\",\"slos\":[{\"name\":\"a\",\"verdict\":\"pass\"},{\"name\":7}]}"), -1,
	    "reader: a name that is a number is an error");
	in_bundle_release(&b);
	T_EQ_INT(parse(&b, "{\"drill\":{\"title\":\"x\",\"slug\":\"x\",\"date\":\"28.11.2026\"},"
	    "\"verdict\":\"pass\"}"), -1, "reader: a bad date is an error");
	in_bundle_release(&b);
	T_EQ_INT(parse(&b, "{\"drill\":{\"title\":\"x\",\"slug\":\"x\",\"date\":\"2026-11-28\"},\n"
	    "\"verdict\": pass}"), -1, "reader: invalid JSON is an error");
	in_bundle_release(&b);
	fclose(f);
	diag_set_stream(NULL);
	diag_reset();
	T_EQ_STR(err, "sloproof: summary.json: error: key \"slos[1].name\": expected a string, not a number\n"
	    "sloproof: summary.json: error: key \"drill.date\": unknown value \"28.11.2026\"; expected a date YYYY-MM-DD\n"
	    "sloproof: summary.json:2:12: error: invalid JSON; expected a sloproof summary.json\n",
	    "reader: messages name the file, the key and the position");
}

static void
test_rules(void)
{
	struct cmp_row r;
	double v[] = {30, 10, 20, 1000};

	T_EQ_INT(compare_slo_direction(OP_LT), CMP_HIGHER_WORSE, "direction: below: higher is worse");
	T_EQ_INT(compare_slo_direction(OP_GE), CMP_LOWER_WORSE, "direction: above: lower is worse");
	T_EQ_INT(compare_metric_direction("http_req_duration{scenario:x}", MT_TREND), CMP_HIGHER_WORSE,
	    "direction: trends higher-worse");
	T_EQ_INT(compare_metric_direction("http_req_failed", MT_RATE), CMP_HIGHER_WORSE,
	    "direction: a *failed* rate is higher-worse");
	T_EQ_INT(compare_metric_direction("checks", MT_RATE), CMP_LOWER_WORSE, "direction: checks lower-worse");
	T_EQ_INT(compare_metric_direction("llm_fallback_used{status:failed}", MT_RATE), CMP_NEUTRAL,
	    "direction: 'failed' in a tag does not make a failure rate");
	T_EQ_INT(compare_metric_direction("http_reqs", MT_COUNTER), CMP_NEUTRAL, "direction: counters neutral");

	memset(&r, 0, sizeof r);
	r.have_base = r.have_new = 1;
	r.base = 1000;
	r.cur = 1100;
	r.worse = CMP_HIGHER_WORSE;
	compare_judge(&r, 0.10);
	T_EQ_INT(r.result, CMP_SAME, "noise: exactly 10 % worse is within a 10 % floor");
	r.cur = 1101;
	compare_judge(&r, 0.10);
	T_EQ_INT(r.result, CMP_REGRESSION, "noise: 10.1 % worse is a regression");
	T_NEAR(r.pct, 0.101, 1e-12, "noise: change as a fraction");
	compare_judge(&r, 0.20);
	T_EQ_INT(r.result, CMP_SAME, "noise: a wider floor absorbs it");
	r.cur = 800;
	compare_judge(&r, 0.10);
	T_EQ_INT(r.result, CMP_BETTER, "noise: 20 % lower latency is better");
	r.worse = CMP_LOWER_WORSE;
	compare_judge(&r, 0.10);
	T_EQ_INT(r.result, CMP_REGRESSION, "direction: 20 % lower checks rate is a regression");
	r.worse = CMP_NEUTRAL;
	compare_judge(&r, 0.10);
	T_EQ_INT(r.result, CMP_SAME, "direction: a neutral metric is never flagged");
	r.worse = CMP_HIGHER_WORSE;
	r.base = 0;
	r.cur = 0.001;
	compare_judge(&r, 0.10);
	T_EQ_INT(r.result, CMP_REGRESSION, "noise: from 0 to more, the worse way, is a regression");

	r.base = r.cur = 1000;
	r.have_verdicts = 1;
	r.is_slo = 1;
	r.base_verdict = V_PASS;
	r.new_verdict = V_WARN;
	compare_judge(&r, 0.10);
	T_OK(r.result == CMP_REGRESSION && r.verdict_worse, "verdict: pass -> warn is a regression");
	r.base_verdict = V_FAIL;
	r.new_verdict = V_NODATA;
	compare_judge(&r, 0.10);
	T_EQ_INT(r.result, CMP_REGRESSION, "verdict: fail -> nodata is a regression");
	r.base_verdict = V_FAIL;
	r.new_verdict = V_WARN;
	compare_judge(&r, 0.10);
	T_EQ_INT(r.result, CMP_SAME, "verdict: fail -> warn with the same value is no regression");

	T_NEAR(compare_median(v, 3), 20, 0, "median of three");
	T_NEAR(compare_median(v, 4), 25, 0, "median of four: the mean of the middle two");
}

static void
test_bundles(void)
{
	struct bsum b[4];
	const struct bsum *base[3];
	struct cmp_report rep;
	const struct cmp_row *r;

	parse(&b[0], summary("Redis outage", "redis-outage", "2026-11-25", 1000, "pass", 0.995));
	parse(&b[1], summary("Redis outage", "redis-outage", "2026-11-26", 1400, "fail", 0.994));
	parse(&b[2], summary("Redis outage", "redis-outage", "2026-11-27", 1100, "pass", 0.993));
	parse(&b[3], summary("Redis outage", "redis-outage", "2026-11-28", 1250, "fail", 0.992));

	base[0] = &b[2];
	compare_bundles(base, 1, &b[3], 0.10, &rep);
	r = row(&rep, 1, "Orchestrator P95", NULL);
	T_OK(r && r->result == CMP_REGRESSION && r->verdict_worse, "pair: pass -> fail flagged");
	r = row(&rep, 0, "orchestrator_latency", "p(95)");
	T_OK(r && r->result == CMP_REGRESSION, "pair: metric +13.6 % flagged");
	r = row(&rep, 0, "orchestrator_latency", "avg");
	T_OK(r && r->result == CMP_SAME, "pair: an unchanged avg is the same");
	r = row(&rep, 0, "iterations", "rate");
	T_OK(r && r->worse == CMP_NEUTRAL && r->unit == UNIT_PER_S, "pair: a counter's rate, per second, neutral");
	r = row(&rep, 0, "checks", NULL);
	T_OK(r == NULL, "pair: no row for a metric the bundles lack");
	T_EQ_INT(rep.nregressions, 2, "pair: two regressions");
	compare_release(&rep);

	base[0] = &b[0];
	base[1] = &b[1];
	base[2] = &b[2];
	compare_bundles(base, 3, &b[3], 0.10, &rep);
	r = row(&rep, 1, "Orchestrator P95", NULL);
	T_NEAR(r->base, 1100, 0, "baseline: the median of 1000, 1400, 1100");
	T_EQ_INT(r->base_verdict, V_PASS, "baseline: the median verdict of pass, fail, pass");
	T_OK(r->result == CMP_REGRESSION, "baseline: 1250 against 1100 with pass -> fail");
	r = row(&rep, 1, "Checks pass rate", NULL);
	T_NEAR(r->base, 0.994, 1e-12, "baseline: median checks rate");
	T_EQ_INT(r->result, CMP_SAME, "baseline: 0.2 % lower checks rate is noise");
	compare_release(&rep);

	T_OK(bsum_same_family("redis-outage-2", "redis-outage"), "family: -2 is the same drill");
	T_OK(!bsum_same_family("redis-outage-x", "redis-outage"), "family: -x is another drill");
	T_OK(!bsum_same_family("redis", "redis-outage"), "family: a prefix is another drill");
	in_bundle_release(&b[1]);
	parse(&b[1], summary("Redis outage", "redis-outage-10", "2026-11-28", 1, "pass", 1));
	in_bundle_release(&b[2]);
	parse(&b[2], summary("Redis outage", "redis-outage-2", "2026-11-28", 1, "pass", 1));
	T_OK(bsum_cmp_order(&b[2], &b[1]) < 0, "order: -2 before -10 on one day");
	T_OK(bsum_cmp_order(&b[3], &b[2]) < 0, "order: the plain slug before -2");
	T_OK(bsum_cmp_order(&b[0], &b[3]) < 0, "order: earlier date first");
	for (int i = 0; i < 4; i++)
		in_bundle_release(&b[i]);
}

int
main(void)
{
	test_reader();
	test_rules();
	test_bundles();
	return t_done();
}
