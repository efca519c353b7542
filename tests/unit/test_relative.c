/* Unit tests: before/after rules (relative_to: before:FAULT) on series and k6 raw windows. */
#include <stdio.h>
#include <string.h>

#include "util/diag.h"
#include "eval/eval.h"
#include "model/run.h"
#include "in/slo.h"
#include "t.h"

#define T0 1796119200000LL	/* 2026-12-01T10:00:00Z */
#define S(x) ((int64_t)(x) * 1000)

/* 10:04 - 10:06 */
static struct fault faults[] = {
	{(char *)"db-failover", NULL, T0 + S(240), T0 + S(360), 3, 1},
};

static char errbuf[2048];

static int
rules(struct slo_set *set, const char *text)
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

static int
evaluate(struct run *run, struct slo_set *set, struct verdicts *vs)
{
	FILE *f = fmemopen(errbuf, sizeof errbuf - 1, "w");
	int rc;

	memset(errbuf, 0, sizeof errbuf);
	diag_set_stream(f);
	rc = eval_run(run, set, vs);
	fclose(f);
	diag_set_stream(NULL);
	diag_reset();
	return rc;
}

/*
 * latency every 10 s from 10:00 to 10:10: 400 ms alternating with 440 ms
 * (noise), 1500 ms during the fault, 900 ms for the first 40 s after it.
 * k6 raw: http_req_duration per 10 s window, 10 values of 100 ms before,
 * of 350 ms during and of 100 ms after the fault.
 */
static void
make_run(struct run *run, int after_ms)
{
	struct source *src;
	struct series *s;
	int64_t t;
	uint32_t line = 2;
	int i;

	run_init(run);
	run->faults = faults;
	run->nfaults = 1;
	src = run_add_source(run);
	src->path = arena_strdup(&run->arena, "grafana/latency.csv");
	src->kind = arena_strdup(&run->arena, "grafana");
	s = run_add_series(run);
	s->name = arena_strdup(&run->arena, "latency");
	selector_parse(&run->arena, s->name, &s->sel, NULL);
	s->unit = UNIT_MS;
	s->unit_known = 1;
	s->origin.src = 0;
	for (t = T0; t < T0 + S(600); t += S(10)) {
		double v = (t / S(10)) % 2 ? 440 : 400;

		if (t >= T0 + S(240) && t < T0 + S(360))
			v = 1500;
		else if (t >= T0 + S(360) && t < T0 + S(400))
			v = 900;
		else if (t >= T0 + S(400))
			v = after_ms + (v - 400);
		series_add_point(s, t, v, line++);
	}
	series_finish(s);
	run->k6raw_window_ms = 10000;
	for (t = T0; t < T0 + S(600); t += S(10)) {
		struct k6raw_hist *h;

		if (run->nk6raw == run->capk6raw) {
			run->capk6raw = run->capk6raw ? 2 * run->capk6raw : 64;
			run->k6raw = realloc(run->k6raw, run->capk6raw * sizeof *run->k6raw);
		}
		h = &run->k6raw[run->nk6raw++];
		memset(h, 0, sizeof *h);
		h->metric = arena_strdup(&run->arena, "http_req_duration");
		h->type = MT_TREND;
		h->unit = UNIT_MS;
		h->unit_known = 1;
		h->start = t;
		h->origin.src = 0;
		hist_init(&h->h);
		for (i = 0; i < 10; i++)
			hist_add(&h->h, t >= T0 + S(240) && t < T0 + S(360) ? 350 : 100 + i);
	}
}

static void
test_parse_errors(void)
{
	struct slo_set set;

	T_OK(rules(&set, "slos:\n  - {name: a, metric: m, stat: max, window: \"during:f\", "
	    "relative_to: \"before:f\", at_most: 3}\n") == -1, "at_most needs x or a sign");
	T_EQ_STR(errbuf, "sloproof: slo.yaml:2:91: error: at_most: expected a factor like 3x or "
	    "an offset with its sign like +500ms or -10%, found \"3\"\n", "the bad limit is quoted");
	T_OK(rules(&set, "slos:\n  - {name: a, metric: m, stat: max, relative_to: \"before:f\", "
	    "at_most: 3x}\n") == -1, "a relative rule needs a window");
	T_OK(strstr(errbuf, "needs `window: during:FAULT` or `window: after:FAULT`") != NULL,
	    "the missing window is named");
	T_OK(rules(&set, "slos:\n  - {name: a, metric: m, window: \"during:f\", "
	    "relative_to: \"before:f\", at_most: 3x}\n") == -1, "a relative rule needs a stat");
	T_OK(rules(&set, "slos:\n  - {name: a, metric: m, stat: max, window: \"during:f\", "
	    "relative_to: \"after:f\", at_most: 3x}\n") == -1, "relative_to takes before: only");
	T_OK(strstr(errbuf, "relative_to: expected before:FAULT") != NULL, "and says so");
	T_OK(rules(&set, "slos:\n  - {name: a, metric: m, stat: max, window: \"during:f\", "
	    "relative_to: \"before:f\", below: 2s}\n") == -1, "a fixed limit does not mix in");
	T_OK(rules(&set, "slos:\n  - {name: a, metric: m, stat: max, window: \"during:f\", "
	    "relative_to: \"before:f\", settle: 1m}\n") == -1, "settle goes with after: only");
	T_OK(rules(&set, "slos:\n  - {name: a, metric: m, stat: max, window: \"after:f\", "
	    "relative_to: \"before:f\", worse: sideways}\n") == -1, "worse is higher or lower");
	T_OK(rules(&set, "slos:\n  - {name: a, metric: m, stat: max, window: \"after:f\", "
	    "relative_to: \"before:f\", at_least: 0.5x, worse: lower}\n") == -1,
	    "worse does not go with at_least");
}

static void
test_series(void)
{
	struct slo_set set;
	struct run run;
	struct verdicts vs;

	make_run(&run, 400);
	T_OK(rules(&set,
	    "slos:\n"
	    "  - {name: x4, metric: latency, stat: max, window: \"during:db-failover\", relative_to: \"before:db-failover\", at_most: 4x}\n"
	    "  - {name: x3, metric: latency, stat: max, window: \"during:db-failover\", relative_to: \"before:db-failover\", at_most: 3x}\n"
	    "  - {name: plus, metric: latency, stat: avg, window: \"during:db-failover\", relative_to: \"before:db-failover\", at_most: +1s}\n"
	    "  - {name: normal, metric: latency, stat: avg, window: \"after:db-failover\", relative_to: \"before:db-failover\"}\n"
	    "  - {name: settled, metric: latency, stat: avg, window: \"after:db-failover\", settle: 40s, relative_to: \"before:db-failover\"}\n"
	    "  - {name: nofault, metric: latency, stat: avg, window: \"after:db-failover\", relative_to: \"before:nope\"}\n") == 0,
	    "relative rules parse");
	T_OK(evaluate(&run, &set, &vs) == -1, "an unknown fault is an error");
	T_OK(strstr(errbuf, "\"nope\", which the drill does not have") != NULL, "naming the fault");
	/* max before = 440 (the 2 minutes before 10:04), during = 1500: 3.41x */
	T_EQ_INT(vs.v[0].state, V_PASS, "1500 ms is within 4x of 440 ms");
	T_OK(fabs(vs.v[0].limit - 1760) < 1e-9, "the limit is 4 x the before max");
	T_EQ_INT(vs.v[1].state, V_FAIL, "1500 ms is not within 3x of 440 ms");
	T_OK(strstr(vs.v[1].message, "(3.41x)") != NULL, "the message gives the factor");
	T_EQ_INT(vs.v[2].state, V_FAIL, "avg 1500 is not within +1s of 420");
	T_OK(fabs(vs.v[2].limit - 1420) < 1e-9, "the offset adds to the before avg");
	T_EQ_INT(vs.v[3].state, V_FAIL, "right after the fault the recovery tail is not normal");
	T_EQ_INT(vs.v[4].state, V_PASS, "40 s later it is back to normal");
	T_OK(fabs(vs.v[4].limit - 441) < 1e-6, "tolerance: 5 % of 420 = 21 ms (the quarters' spread is 0)");
	verdicts_release(&vs);
	slo_release(&set);
	run_release(&run);

	/* After the fault the level stays 80 ms higher: no longer normal. */
	make_run(&run, 480);
	T_OK(rules(&set, "slos:\n"
	    "  - {name: settled, metric: latency, stat: avg, window: \"after:db-failover\", settle: 40s, relative_to: \"before:db-failover\"}\n"
	    "  - {name: lower, metric: latency, stat: avg, window: \"after:db-failover\", settle: 40s, relative_to: \"before:db-failover\", worse: lower}\n"
	    "  - {name: least, metric: latency, stat: avg, window: \"during:db-failover\", relative_to: \"before:db-failover\", at_least: 2x}\n") == 0,
	    "rules parse");
	T_OK(evaluate(&run, &set, &vs) == 0, "evaluation succeeds");
	T_EQ_INT(vs.v[0].state, V_FAIL, "a lasting +80 ms shift is not back to normal");
	T_EQ_INT(vs.v[1].state, V_PASS, "with worse: lower a rise is no harm");
	T_EQ_INT(vs.v[2].state, V_PASS, "at_least: 2x holds for 1500 vs 420");
	verdicts_release(&vs);
	slo_release(&set);
	run_release(&run);
}

static void
test_k6raw(void)
{
	struct slo_set set;
	struct run run;
	struct verdicts vs;

	make_run(&run, 400);
	T_OK(rules(&set, "slos:\n"
	    "  - {name: p95x3, metric: http_req_duration, stat: p(95), window: \"during:db-failover\", relative_to: \"before:db-failover\", at_most: 3x}\n"
	    "  - {name: p95x4, metric: http_req_duration, stat: p(95), window: \"during:db-failover\", relative_to: \"before:db-failover\", at_most: 4x}\n"
	    "  - {name: back, metric: http_req_duration, stat: p(95), window: \"after:db-failover\", relative_to: \"before:db-failover\"}\n"
	    "  - {name: ms, metric: http_req_duration, stat: p(95), window: \"during:db-failover\", relative_to: \"before:db-failover\", at_most: +200ms}\n") == 0,
	    "rules on k6 raw parse");
	T_OK(evaluate(&run, &set, &vs) == 0, "evaluation succeeds");
	T_EQ_INT(vs.v[0].state, V_FAIL, "k6 raw: 350 ms is more than 3x a 109 ms P95");
	T_EQ_INT(vs.v[1].state, V_PASS, "but within 4x");
	T_EQ_INT(vs.v[0].samples, 120, "12 windows of 10 requests during the fault");
	T_OK(strstr(vs.v[0].message, "over the 2m00s before db-failover") != NULL,
	    "the before window is as long as the fault");
	T_EQ_INT(vs.v[2].state, V_PASS, "after the fault the P95 is as before");
	T_EQ_INT(vs.v[3].state, V_FAIL, "350 ms is more than 109 ms + 200 ms");
	verdicts_release(&vs);
	slo_release(&set);
	run_release(&run);
}

int
main(void)
{
	test_parse_errors();
	test_series();
	test_k6raw();
	return t_done();
}
