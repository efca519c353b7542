/* Unit tests: slo.yaml parsing (rules and every error message) and evaluation. */
#include <stdio.h>
#include <string.h>

#include "util/diag.h"
#include "eval/eval.h"
#include "model/run.h"
#include "in/slo.h"
#include "t.h"

static char errbuf[4096];

/* Parses text; returns 0/-1 and leaves the diagnostics in errbuf. */
static int
parse(struct slo_set *set, const char *text)
{
	FILE *f = fmemopen(errbuf, sizeof errbuf - 1, "w");
	int rc;

	memset(errbuf, 0, sizeof errbuf);
	diag_set_stream(f);
	rc = slo_parse(set, "slo.yaml", text, strlen(text));
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
	T_EQ_STR(errbuf, want, what);
}

static void
test_parse(void)
{
	struct slo_set set;
	const struct slo_rule *r;

	T_OK(parse(&set,
	    "slos:\n"
	    "  - name: Gateway P95 latency\n"
	    "    metric: gateway_latency\n"
	    "    stat: p95\n"
	    "    below: 1.5s\n"
	    "    warn: 1.2s\n"
	    "  - name: Request failures\n"
	    "    metric: http_req_failed\n"
	    "    threshold: rate < 0.01\n"
	    "  - name: Automation\n"
	    "    metric: http_req_duration{scenario:automation}\n"
	    "    stat: p(99.9)\n"
	    "    above: 1%\n") == 0, "a valid SLO file parses");
	T_EQ_INT(set.nrules, 3, "three rules");
	r = &set.rules[0];
	T_EQ_STR(r->stat, "p(95)", "p95 is read as p(95)");
	T_OK(r->op == OP_LT && r->limit == 1500 && r->limit_unit == UNIT_MS, "below: 1.5s is < 1500 ms");
	T_OK(r->have_warn && r->warn == 1200, "warn: 1.2s");
	T_EQ_INT(r->line, 2, "rule line");
	r = &set.rules[1];
	T_OK(r->k6_form && r->op == OP_LT && r->limit == 0.01 && strcmp(r->stat, "rate") == 0,
	    "k6 threshold form rate < 0.01");
	r = &set.rules[2];
	T_OK(r->sel.nlabels == 1 && strcmp(r->sel.labels[0].key, "scenario") == 0, "sub-metric selector");
	T_EQ_STR(r->stat, "p(99.9)", "p(99.9) kept");
	T_OK(r->op == OP_GT && r->limit == 0.01 && r->limit_unit == UNIT_RATIO, "above: 1%");
	slo_release(&set);

	expect_error("", "sloproof: slo.yaml: error: empty SLO file; expected `slos:` with a list of rules\n",
	    "empty file");
	expect_error("slos: [\n", "sloproof: slo.yaml:2:1: error: a value is missing here\n",
	    "broken YAML has line and column");
	expect_error("slo:\n  - name: x\n",
	    "sloproof: slo.yaml:1:1: error: unknown key \"slo\" in the SLO file; expected one of: slos\n",
	    "misspelt top key");
	expect_error("slos:\n  - name: a\n    metric: m\n    stat: p95\n    below: 1.5x\n",
	    "sloproof: slo.yaml:5:12: error: below: bad limit \"1.5x\"; expected a number with an optional unit (ms, s, m, h, %, B, kB, MB), like 1.5s or 1%\n",
	    "bad unit");
	expect_error("slos:\n  - name: a\n    metric: m\n    threshold: rate~0.01\n",
	    "sloproof: slo.yaml:4:16: error: threshold: \"rate~0.01\" has no comparison; expected k6's form STAT OP NUMBER, like p(95)<1500 or rate<0.01\n",
	    "bad operator");
	expect_error("slos:\n  - name: a\n    metric: m\n    threshold: rate<1%\n",
	    "sloproof: slo.yaml:4:16: error: threshold: bad number \"1%\" after <; k6 thresholds compare with plain numbers (milliseconds for time metrics)\n",
	    "k6 thresholds take plain numbers");
	expect_error("slos:\n  - name: a\n    metric: m\n    below: 1\n  - name: a\n    metric: n\n    below: 2\n",
	    "sloproof: slo.yaml:5:11: error: duplicate SLO name \"a\" (first at line 2); names must be unique\n",
	    "duplicate name");
	expect_error("slos:\n  - name: a\n    metric: m\n    stat: [p95]\n    below: 1\n",
	    "sloproof: slo.yaml:4:11: error: stat: expected a value, found a list\n", "wrong type");
	expect_error("slos:\n  - name: a\n    metrc: m\n",
	    "sloproof: slo.yaml:3:5: error: unknown key \"metrc\" in an SLO; expected one of: name, description, metric, recovers, alert, hpa, stat, below, above, warn, threshold, unit, window, within, hold, fault, from, fires_within, resolves_within, must_not_fire, reaches, returns_to, returns_within\n",
	    "unknown rule key");
	expect_error("slos:\n  - name: a\n    metric: m\n    below: 1s\n    above: 2s\n",
	    "sloproof: slo.yaml:5:12: error: SLO \"a\" needs exactly one limit: `below:`, `above:` or `threshold:`\n",
	    "two limits");
	expect_error("slos:\n  - name: a\n    metric: m\n    stat: p95\n    below: 1s\n    warn: 2s\n",
	    "sloproof: slo.yaml:6:11: error: warn: \"2s\" must be on the passing side of the limit <1s\n",
	    "warn past the limit");
	expect_error("slos:\n  - name: a\n    metric: m\n    stat: p95\n    below: 1s\n    warn: 1%\n",
	    "sloproof: slo.yaml:6:11: error: warn: \"1%\" is not in the same kind of unit as the limit \"1s\"\n",
	    "warn in another unit");
	expect_error("slos:\n  - name: a\n    metric: m{a:b\n    below: 1\n",
	    "sloproof: slo.yaml:3:18: error: metric: bad selector \"m{a:b\"; expected NAME or NAME{label:value,...}\n",
	    "bad selector");
	expect_error("slos:\n  - name: a\n    metric: m\n    stat: p95\n    below: 1\n    stat: p99\n",
	    "sloproof: slo.yaml:6:5: error: duplicate key \"stat\" (first at line 4)\n", "duplicate key");
	expect_error("slos:\n  - name: a\n    recovers: api_latency\n",
	    "sloproof: slo.yaml:2:5: error: SLO \"a\" needs `fault:`, the name of the fault it is measured against\n",
	    "a recovers rule needs its fault");
	expect_error("slos:\n  - {name: a, recovers: x, fault: f, below: 1s}\n",
	    "sloproof: slo.yaml:2:5: error: SLO \"a\" needs `within:`, how soon after the fault it must recover (like 2m)\n",
	    "a recovers rule needs within");
	expect_error("slos:\n  - {name: a, metric: m, recovers: x}\n",
	    "sloproof: slo.yaml:2:5: error: SLO \"a\" needs exactly one of `metric:`, `recovers:`, `alert:` or `hpa:` to say what it checks\n",
	    "one kind per rule");
	expect_error("slos:\n  - {name: a, alert: X, fault: f}\n",
	    "sloproof: slo.yaml:2:5: error: SLO \"a\" needs `fires_within:` (how soon after the fault starts it must fire) or `must_not_fire: true`\n",
	    "an alert rule says what it expects");
	expect_error("slos:\n  - {name: a, hpa: gw, reaches: most, within: 5m, fault: f}\n",
	    "sloproof: slo.yaml:2:33: error: reaches: expected max or a replica count, found \"most\"\n",
	    "reaches takes max or a number");
	expect_error("slos:\n  - {name: a, metric: m, below: 1, window: \"during\"}\n",
	    "sloproof: slo.yaml:2:44: error: window: unknown window \"during\"; expected all, during:FAULT, after:FAULT or outside-faults\n",
	    "bad window");
	expect_error("slos:\n  - {name: a, recovers: x, fault: f, below: 1s, within: 2 minutes}\n",
	    "sloproof: slo.yaml:2:57: error: within: bad duration \"2 minutes\"; expected a number with ms, s, m or h, like 2m or 30s\n",
	    "bad duration");
	expect_error("slos: &a\n  - name: x\n    metric: *a\n",
	    "sloproof: slo.yaml:3:13: error: YAML aliases are not supported here; write the value out\n",
	    "aliases refused");
	{
		char deep[400];
		size_t i, off = 0;

		for (i = 0; i < 40; i++)
			off += (size_t)snprintf(deep + off, sizeof deep - off, "[");
		snprintf(deep + off, sizeof deep - off, "\n");
		expect_error(deep, "sloproof: slo.yaml:1:33: error: YAML nested deeper than 32 levels\n",
		    "YAML depth is bounded");
	}
}

/* A hand-made run: the numbers are what a k6 summary would give. */
static void
make_run(struct run *run)
{
	struct source *src;
	struct summary *s;
	struct k6_threshold *t;
	struct arena *a = &run->arena;

	run_init(run);
	src = run_add_source(run);
	src->path = arena_strdup(a, "perf-summary.json");
	s = run_add_summary(run);
	s->name = arena_strdup(a, "gateway_latency");
	selector_parse(a, s->name, &s->sel, NULL);
	s->type = MT_TREND;
	s->unit = UNIT_MS;
	s->unit_known = 1;
	s->origin.src = 0;
	s->origin.line = 40;
	summary_set_stat(run, s, "p(95)", 1290.5);
	summary_set_stat(run, s, "count", 187000);
	t = summary_add_threshold(run, s, "p(95)<1500");
	t->have_result = 1;
	t->passed = 1;
	s = run_add_summary(run);
	s->name = arena_strdup(a, "orchestrator_latency");
	selector_parse(a, s->name, &s->sel, NULL);
	s->type = MT_TREND;	/* legacy export: unit unknown */
	s->origin.src = 0;
	s->origin.line = 60;
	summary_set_stat(run, s, "p(95)", 1731.4);
	s = run_add_summary(run);
	s->name = arena_strdup(a, "http_req_failed");
	selector_parse(a, s->name, &s->sel, NULL);
	s->type = MT_RATE;
	s->unit_known = 1;
	s->origin.src = 0;
	s->origin.line = 80;
	summary_set_stat(run, s, "rate", 0.0062);
	summary_set_stat(run, s, "count", 200000);
	s = run_add_summary(run);
	s->name = arena_strdup(a, "http_req_duration{expected_response:true}");
	selector_parse(a, s->name, &s->sel, NULL);
	s->type = MT_TREND;
	s->unit = UNIT_MS;
	s->unit_known = 1;
	summary_set_stat(run, s, "p(95)", 300);
}

static void
test_eval(void)
{
	struct slo_set set;
	struct run run;
	struct verdicts vs;
	FILE *f;

	make_run(&run);
	T_OK(parse(&set,
	    "slos:\n"
	    "  - {name: gw, metric: gateway_latency, stat: p95, below: 1.5s, warn: 1.2s}\n"
	    "  - {name: gw-pass, metric: gateway_latency, stat: p95, below: 1.5s}\n"
	    "  - {name: orch, metric: orchestrator_latency, stat: p95, below: 1.5s, unit: ms}\n"
	    "  - {name: orch-k6, metric: orchestrator_latency, threshold: p(95)<1500}\n"
	    "  - {name: fail-rate, metric: http_req_failed, below: 1%}\n"
	    "  - {name: fail-rate-k6, metric: http_req_failed, threshold: rate<0.005}\n"
	    "  - {name: missing, metric: \"http_req_duration{scenario:automation}\", stat: p95, below: 5s}\n"
	    "  - {name: no-stat, metric: gateway_latency, stat: p99, below: 5s}\n") == 0,
	    "rules for evaluation parse");
	T_OK(eval_run(&run, &set, &vs) == 0, "evaluation succeeds");
	T_EQ_STR(verdict_str(vs.v[0].state), "warn", "1.29 s against < 1.5 s warn 1.2 s is a warning");
	T_OK(vs.v[0].k6 && vs.v[0].k6->passed, "k6's own threshold is attached to the verdict");
	T_EQ_INT(vs.v[0].samples, 187000, "samples from the trend's count");
	T_EQ_INT(vs.v[0].evidence.line, 40, "evidence line");
	T_EQ_STR(vs.v[0].message, "p(95) 1.29 s is < 1.5 s but past the warning level 1.2 s", "warn message");
	T_EQ_STR(verdict_str(vs.v[1].state), "pass", "without warn it passes");
	T_EQ_STR(verdict_str(vs.v[2].state), "fail", "unit: ms makes the legacy trend comparable; 1.731 s fails");
	T_EQ_STR(vs.v[2].message, "p(95) 1.731 s is not < 1.5 s", "fail message");
	T_EQ_STR(verdict_str(vs.v[3].state), "fail", "k6 form compares plain numbers");
	T_EQ_STR(verdict_str(vs.v[4].state), "pass", "0.62 % < 1 %");
	T_OK(vs.v[4].unit == UNIT_RATIO && vs.v[4].observed == 0.0062, "rate observed as a ratio");
	T_EQ_STR(verdict_str(vs.v[5].state), "fail", "0.0062 is not < 0.005");
	T_EQ_STR(verdict_str(vs.v[6].state), "nodata", "a missing sub-metric is nodata, never a pass");
	T_EQ_STR(vs.v[6].message, "no http_req_duration{scenario:automation} in the evidence (there is "
	    "http_req_duration{expected_response:true}; k6 writes a sub-metric only when the script has a "
	    "threshold on it)", "nodata explains k6's sub-metric rule");
	T_EQ_STR(verdict_str(vs.v[7].state), "nodata", "a missing statistic is nodata");
	T_EQ_STR(vs.v[7].message, "gateway_latency has no p(99) (it has: p(95), count)", "lists the stats there are");
	T_OK(!verdicts_ok(&vs), "a fail makes the run not ok");
	verdicts_release(&vs);
	slo_release(&set);

	T_OK(parse(&set, "slos:\n  - {name: orch, metric: orchestrator_latency, stat: p95, below: 1.5s}\n") == 0,
	    "unit-less rule parses");
	memset(errbuf, 0, sizeof errbuf);
	f = fmemopen(errbuf, sizeof errbuf - 1, "w");
	diag_set_stream(f);
	T_OK(eval_run(&run, &set, &vs) == -1, "a unit on a metric of unknown unit is an error, not a guess");
	fclose(f);
	diag_set_stream(NULL);
	diag_reset();
	T_EQ_STR(errbuf, "sloproof: slo.yaml:2:5: error: SLO \"orch\": the limit 1.5s has a unit, but "
	    "perf-summary.json does not say what unit orchestrator_latency is in; add `unit: ms` (or s, %, "
	    "...) to the rule, or write the limit as a plain number\n", "the error says how to fix it");
	verdicts_release(&vs);
	slo_release(&set);
	run_release(&run);
}

int
main(void)
{
	test_parse();
	test_eval();
	return t_done();
}
