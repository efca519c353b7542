/*
 * Unit tests: OpenSLO v1 documents into rules (in/openslo.c), multi-document
 * YAML streams (util/yamlr.c), and the judging of objectives over series
 * (eval/budget.c): occurrences, time slices, ratio time slices, counters.
 */
#include <stdio.h>
#include <string.h>

#include "util/diag.h"
#include "util/yamlr.h"
#include "eval/eval.h"
#include "model/run.h"
#include "in/slo.h"
#include "t.h"

static char errbuf[4096];

static int
parse(struct slo_set *set, const char *text)
{
	FILE *f = fmemopen(errbuf, sizeof errbuf - 1, "w");
	int rc;

	memset(errbuf, 0, sizeof errbuf);
	diag_set_stream(f);
	rc = slo_parse(set, "o.yaml", text, strlen(text));
	fclose(f);
	diag_set_stream(NULL);
	diag_reset();
	return rc;
}

static void
expect_error(const char *text, const char *want, const char *what)
{
	struct slo_set set;

	T_OK(parse(&set, text) == -1, what);
	T_OK(strstr(errbuf, want) != NULL, what);
	if (strstr(errbuf, want) == NULL)
		printf("# got: %s", errbuf);
}

#define HEAD "apiVersion: openslo/v1\n"
#define SLI_THRESHOLD \
	HEAD "kind: SLI\nmetadata:\n  name: api-p95\nspec:\n  thresholdMetric:\n" \
	"    metricSource:\n      type: Prometheus\n      spec:\n        query: api_p95{job=\"api\"}\n"
#define SLI_RATIO \
	HEAD "kind: SLI\nmetadata:\n  name: api-req\nspec:\n  ratioMetric:\n    counter: true\n" \
	"    good:\n      metricSource:\n        type: Prometheus\n        spec:\n          query: good\n" \
	"    total:\n      metricSource:\n        type: Prometheus\n        spec:\n          query: total\n"

static void
test_stream(void)
{
	struct ydoc d;
	const char *s = "a: 1\n---\n---\nb: 2\n...\n";

	T_EQ_INT(ydoc_load_stream(&d, "s.yaml", s, strlen(s)), 0, "a stream of three documents loads");
	T_EQ_INT((long)d.ndocs, 3, "three documents, one of them empty");
	T_OK(ynode_is_null(d.docs[1]), "the empty one reads as null");
	T_EQ_STR(ymap_get(d.docs[2], "b")->value, "2", "the third document's value");
	ydoc_release(&d);
	diag_set_stream(fopen("/dev/null", "w"));
	T_EQ_INT(ydoc_load(&d, "s.yaml", s, strlen(s)), -1, "ydoc_load still wants one document");
	diag_reset();
}

static void
test_mapping(void)
{
	struct slo_set set;
	const struct slo_rule *r;

	T_OK(parse(&set, SLI_THRESHOLD "---\n" HEAD "kind: SLO\nmetadata:\n  name: api-latency\n"
	    "  displayName: API latency\nspec:\n  description: fast enough\n  service: api\n"
	    "  indicatorRef: api-p95\n  budgetingMethod: Timeslices\n  objectives:\n"
	    "    - op: lte\n      value: 0.3\n      targetPercent: 99.5\n      timeSliceTarget: 0.9\n"
	    "      timeSliceWindow: 5\n"
	    "---\n" HEAD "kind: Service\nmetadata:\n  name: api\n  displayName: Public API\nspec:\n"
	    "  description: the front door\n") == 0, "SLI, SLO and Service in one stream");
	T_EQ_INT((long)set.nrules, 1, "one objective, one rule");
	r = &set.rules[0];
	T_EQ_INT(r->kind, SLO_BUDGET, "an OpenSLO rule");
	T_EQ_STR(r->name, "API latency", "named by its displayName");
	T_EQ_INT(r->op, OP_LE, "lte is <=");
	T_NEAR(r->limit, 0.3, 1e-12, "value is the per-sample limit");
	T_NEAR(r->budget->target, 0.995, 1e-12, "targetPercent 99.5 is 0.995");
	T_NEAR(r->budget->slice_target, 0.9, 1e-12, "timeSliceTarget");
	T_EQ_INT((long)r->budget->slice_ms, 300000, "a bare timeSliceWindow is minutes");
	T_EQ_INT(r->budget->method, BUDGET_TIMESLICES, "Timeslices");
	T_EQ_STR(r->budget->src[0].capname, "api_p95", "capture's name for the query");
	T_EQ_STR(r->budget->src[0].query, "api_p95{job=\"api\"}", "the query kept as written");
	T_EQ_STR(r->description, "fast enough — service api (Public API): the front door",
	    "the description tells the service");
	T_EQ_INT((long)r->line, 23, "the rule points at its objective");
	slo_release(&set);

	T_OK(parse(&set, SLI_RATIO "---\n" HEAD "kind: SLO\nmetadata:\n  name: avail\nspec:\n"
	    "  indicatorRef: api-req\n  budgetingMethod: RatioTimeslices\n  objectives:\n"
	    "    - displayName: tight\n      target: 0.99\n      timeSliceWindow: 1m\n"
	    "    - target: 0.9\n      timeSliceWindow: 30s\n") == 0, "a ratio SLO with two objectives");
	T_EQ_INT((long)set.nrules, 2, "two objectives, two rules");
	T_EQ_STR(set.rules[0].name, "avail: tight", "displayName of the objective");
	T_EQ_STR(set.rules[1].name, "avail #2", "else its position");
	T_OK(set.rules[0].budget->ratio && set.rules[0].budget->counter, "a counter ratio");
	T_EQ_STR(set.rules[0].budget->src[0].capname, "api_req_good", "good under NAME_good");
	T_EQ_STR(set.rules[0].budget->src[1].capname, "api_req_total", "total under NAME_total");
	T_EQ_INT((long)set.rules[1].budget->slice_ms, 30000, "30s slices");
	slo_release(&set);

	T_OK(parse(&set, HEAD "kind: SLO\nmetadata:\n  name: x\n  annotations:\n"
	    "    sloproof.io/window: during:outage\nspec:\n  budgetingMethod: Occurrences\n"
	    "  indicator:\n    metadata:\n      name: dd\n      annotations:\n"
	    "        sloproof.io/series: lat_seconds\n    spec:\n      thresholdMetric:\n"
	    "        metricSource:\n          type: Datadog\n          spec:\n            query: avg:x{*}\n"
	    "  objectives:\n    - op: gt\n      value: 1\n      target: 0.5\n") == 0,
	    "a Datadog source mapped by annotation");
	T_EQ_STR(set.rules[0].metric, "lat_seconds", "the annotation names the series");
	T_EQ_INT(set.rules[0].window, WIN_DURING, "sloproof.io/window sets the window");
	T_EQ_STR(set.rules[0].window_fault, "outage", "during which fault");
	slo_release(&set);
}

static void
test_refusals(void)
{
	expect_error(HEAD "kind: SLO\nmetadata:\n  name: a\nspec:\n  budgetingMethod: Occurrences\n"
	    "  indicatorRef: nope\n  objectives:\n    - target: 0.9\n" "---\n" SLI_RATIO,
	    "o.yaml:7:17: error: SLO \"a\" (document 1): spec.indicatorRef: no SLI document named "
	    "\"nope\"", "an indicatorRef to no SLI");
	expect_error(SLI_THRESHOLD "---\n" HEAD "kind: SLO\nmetadata:\n  name: a\nspec:\n"
	    "  budgetingMethod: Occurrences\n  indicatorRef: api-p95\n  objectives:\n"
	    "    - op: ne\n      value: 1\n      target: 0.9\n",
	    "objectives[].op: unknown operator \"ne\"; expected lt, lte, gt or gte", "an unknown op");
	expect_error(SLI_THRESHOLD "---\n" HEAD "kind: SLO\nmetadata:\n  name: a\nspec:\n"
	    "  budgetingMethod: Occurrences\n  indicatorRef: api-p95\n  objectives:\n"
	    "    - target: 0.9\n", "needs op (lt, lte, gt, gte) and value", "a threshold without op");
	expect_error(SLI_RATIO "---\n" HEAD "kind: SLO\nmetadata:\n  name: a\nspec:\n"
	    "  budgetingMethod: Occurrences\n  indicatorRef: api-req\n  objectives:\n"
	    "    - target: 0.9\n      targetPercent: 90\n", "exactly one of target and targetPercent",
	    "target and targetPercent");
	expect_error(SLI_RATIO "---\n" HEAD "kind: SLO\nmetadata:\n  name: a\nspec:\n"
	    "  budgetingMethod: RatioTimeslices\n  indicatorRef: api-req\n  objectives:\n"
	    "    - target: 0.9\n", "RatioTimeslices needs timeSliceWindow", "slices without a window");
	expect_error(SLI_RATIO "---\n" HEAD "kind: SLO\nmetadata:\n  name: a\nspec:\n"
	    "  budgetingMethod: Timeslices\n  indicatorRef: api-req\n  objectives:\n"
	    "    - target: 0.9\n      timeSliceTarget: 0.9\n      timeSliceWindow: 1M\n",
	    "timeSliceWindow: bad duration \"1M\"", "a month is no slice");
	expect_error(HEAD "kind: SLI\nmetadata:\n  name: a\nspec:\n  thresholdMetric:\n"
	    "    metricSource:\n      type: Prometheus\n", "", "SLI documents alone judge nothing");
	T_OK(strstr(errbuf, "no OpenSLO document of kind SLO") != NULL, "and say so");
	expect_error(HEAD "kind: SLO\nmetadata:\n  name: a\nspec:\n  budgetingMethod: Occurrences\n"
	    "  indicator:\n    spec:\n      thresholdMetric:\n        metricSource:\n"
	    "          type: Prometheus\n  objectives:\n    - op: lt\n      value: 1\n      target: 0.9\n",
	    "thresholdMetric.metricSource has no spec.query", "a source with no query");
	expect_error("apiVersion: openslo/v2alpha\nkind: SLO\nmetadata:\n  name: a\n",
	    "o.yaml:1:13: error: document 1: apiVersion \"openslo/v2alpha\" is not read", "v2alpha");
	expect_error(HEAD "kind: SLO\nmetadata:\n  name: a\nspec:\n  budgetingMethod: Occurrences\n"
	    "  indicatorRef: x\n  objectives: []\n  alertPolicy: []\n",
	    "unknown key \"alertPolicy\"", "a misspelt spec key");
}

/* A run with one threshold series and two counters, one point per 15 s for 10 minutes. */
static void
make_run(struct run *run)
{
	struct source *src;
	struct series *s;
	int i, k;
	static const char *const names[] = {"api_p95{job=\"api\"}", "api_req_good", "api_req_total"};

	run_init(run);
	src = run_add_source(run);
	src->path = arena_strdup(&run->arena, "p.json");
	src->kind = arena_strdup(&run->arena, "prometheus");
	for (k = 0; k < 3; k++) {
		double good = 0, total = 0;

		s = run_add_series(run);
		s->name = arena_strdup(&run->arena, names[k]);
		selector_parse(&run->arena, s->name, &s->sel, NULL);
		s->origin.src = 0;
		s->origin.line = 1;
		for (i = 0; i <= 40; i++) {
			int64_t t = 1795860000000LL + (int64_t)i * 15000;
			/* minutes 4 and 5 (points 16..23) are bad: slow, and half the requests fail */
			int bad = i >= 16 && i < 24;

			if (i > 0) {
				total += 10;
				good += bad ? 5 : 10;
			}
			series_add_point(s, t, k == 0 ? (bad ? 2.0 : 0.2) : k == 1 ? good : total,
			    (uint32_t)(i + 1));
		}
		series_finish(s);
	}
}

static void
judge(const char *rules, enum verdict_state want, double observed, const char *what)
{
	struct slo_set set;
	struct verdicts vs;
	struct run run;

	make_run(&run);
	T_OK(parse(&set, rules) == 0, what);
	if (set.nrules == 0) {
		printf("# %s", errbuf);
		run_release(&run);
		return;
	}
	T_EQ_INT(eval_run(&run, &set, &vs), 0, what);
	T_EQ_INT(vs.v[0].state, want, what);
	T_NEAR(vs.v[0].observed, observed, 1e-9, what);
	verdicts_release(&vs);
	slo_release(&set);
	run_release(&run);
}

static void
test_eval(void)
{
	struct slo_set set;
	struct verdicts vs;
	struct run run;
	FILE *f;

	/* 41 samples, 8 slow: 33/41 good. */
	judge(SLI_THRESHOLD "---\n" HEAD "kind: SLO\nmetadata:\n  name: a\nspec:\n"
	    "  budgetingMethod: Occurrences\n  indicatorRef: api-p95\n  objectives:\n"
	    "    - op: lt\n      value: 1\n      target: 0.8\n", V_PASS, 33.0 / 41, "threshold occurrences");
	/* 11 minute slices (the last holds one sample); minutes 4 and 5 are all slow. */
	judge(SLI_THRESHOLD "---\n" HEAD "kind: SLO\nmetadata:\n  name: a\nspec:\n"
	    "  budgetingMethod: Timeslices\n  indicatorRef: api-p95\n  objectives:\n"
	    "    - op: lt\n      value: 1\n      target: 0.9\n      timeSliceTarget: 0.5\n"
	    "      timeSliceWindow: 1m\n", V_FAIL, 9.0 / 11, "threshold timeslices");
	/* counters: 400 events, 40 lost in minutes 4-5 (the increase lands on the later sample) */
	judge(SLI_RATIO "---\n" HEAD "kind: SLO\nmetadata:\n  name: a\nspec:\n"
	    "  budgetingMethod: Occurrences\n  indicatorRef: api-req\n  objectives:\n"
	    "    - target: 0.9\n", V_PASS, 360.0 / 400, "ratio occurrences from counters");
	judge(SLI_RATIO "---\n" HEAD "kind: SLO\nmetadata:\n  name: a\nspec:\n"
	    "  budgetingMethod: Timeslices\n  indicatorRef: api-req\n  objectives:\n"
	    "    - target: 0.85\n      timeSliceTarget: 0.99\n      timeSliceWindow: 1m\n",
	    V_FAIL, 9.0 / 11, "ratio timeslices: 2 of 11 minutes with events are bad");
	judge(SLI_RATIO "---\n" HEAD "kind: SLO\nmetadata:\n  name: a\nspec:\n"
	    "  budgetingMethod: RatioTimeslices\n  indicatorRef: api-req\n  objectives:\n"
	    "    - target: 0.85\n      timeSliceWindow: 1m\n",
	    V_PASS, (9 * 1.0 + 2 * 0.5) / 11, "ratio timeslices: the mean of the minutes");

	/* A source that stands for no series: an error in the rules, with the nearest name. */
	make_run(&run);
	T_OK(parse(&set, HEAD "kind: SLO\nmetadata:\n  name: a\nspec:\n  budgetingMethod: Occurrences\n"
	    "  indicator:\n    metadata:\n      name: api-p59\n    spec:\n      thresholdMetric:\n"
	    "        metricSource:\n          type: Prometheus\n          spec:\n"
	    "            query: rate(x[1m])\n  objectives:\n    - op: lt\n      value: 1\n"
	    "      target: 0.8\n") == 0, "parses");
	f = fmemopen(errbuf, sizeof errbuf - 1, "w");
	memset(errbuf, 0, sizeof errbuf);
	diag_set_stream(f);
	T_EQ_INT(eval_run(&run, &set, &vs), -1, "no series for the source is an error");
	fclose(f);
	diag_set_stream(NULL);
	diag_reset();
	T_OK(strstr(errbuf, "o.yaml:13:11: error: SLO \"a\" (document 1 of o.yaml), indicator "
	    "\"api-p59\": thresholdMetric.metricSource: no evidence series") != NULL,
	    "named at the metricSource");
	T_OK(strstr(errbuf, "did you mean api_p95?") != NULL, "with the nearest series");
	verdicts_release(&vs);	/* the caller's, even when eval_run fails */
	slo_release(&set);
	run_release(&run);
}

int
main(void)
{
	test_stream();
	test_mapping();
	test_refusals();
	test_eval();
	return t_done();
}
