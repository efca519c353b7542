/* Unit tests: rules over time — windows on series, recovery, alerts, autoscaling. */
#include <stdio.h>
#include <string.h>

#include "util/diag.h"
#include "eval/eval.h"
#include "model/run.h"
#include "in/slo.h"
#include "t.h"

#define T0 1795860000000LL	/* 2026-11-28T10:00:00Z */
#define S(x) ((int64_t)(x) * 1000)

static struct fault faults[] = {
	{(char *)"redis-outage", NULL, T0 + S(720), T0 + S(840), 3, 1},	/* 10:12 - 10:14 */
	{(char *)"channel-spike", NULL, T0 + S(3600), T0 + S(4200), 9, 1},	/* 11:00 - 11:10 */
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
 * api_latency_p95 every 5 s from 10:05 to 10:20 (seconds → ms): 300 ms,
 * above 1.5 s from 10:12:20 to 10:15:00 with a 4.8 s peak at 10:13:30,
 * back below at 10:15:05 for good. queue depth every 15 s, max 44 at 10:13:45.
 */
static void
make_run(struct run *run)
{
	struct source *src;
	struct series *s;
	int64_t t;
	uint32_t line = 2;

	run_init(run);
	run->faults = faults;
	run->nfaults = 2;
	src = run_add_source(run);
	src->path = arena_strdup(&run->arena, "grafana/api-latency.csv");
	src->kind = arena_strdup(&run->arena, "grafana");
	s = run_add_series(run);
	s->name = arena_strdup(&run->arena, "api_latency_p95");
	selector_parse(&run->arena, s->name, &s->sel, NULL);
	s->unit = UNIT_MS;
	s->unit_known = 1;
	s->origin.src = 0;
	s->origin.line = 1;
	for (t = T0 + S(300); t <= T0 + S(1200); t += S(5)) {
		double v = 300;

		if (t >= T0 + S(740) && t < T0 + S(905))
			v = t == T0 + S(810) ? 4800 : 2500;
		if (t == T0 + S(1000))
			continue;	/* one missing sample: not a gap */
		series_add_point(s, t, v, line++);
	}
	series_finish(s);
	s = run_add_series(run);
	s->name = arena_strdup(&run->arena, "automation_queue_depth{namespace=\"xin-prod\",queue=\"automation\"}");
	selector_parse(&run->arena, s->name, &s->sel, NULL);
	s->origin.src = 0;
	s->origin.line = 200;
	s->unit_known = 1;
	line = 201;
	for (t = T0 + S(300); t <= T0 + S(1200); t += S(15))
		series_add_point(s, t, t == T0 + S(825) ? 44 : t > T0 + S(720) && t < T0 + S(900) ? 30 : 5, line++);
	series_finish(s);
}

static void
test_series(void)
{
	struct slo_set set;
	struct run run;
	struct verdicts vs;

	make_run(&run);
	T_OK(rules(&set,
	    "slos:\n"
	    "  - {name: depth, metric: \"automation_queue_depth{queue:automation}\", stat: max, below: 50, window: \"during:redis-outage\"}\n"
	    "  - {name: depth-all, metric: automation_queue_depth, below: 40}\n"
	    "  - {name: latency-outside, metric: api_latency_p95, stat: max, below: 3s, window: outside-faults}\n"
	    "  - {name: latency-after, metric: api_latency_p95, stat: p(95), below: 1.5s, window: \"after:redis-outage\"}\n"
	    "  - {name: recovery, recovers: api_latency_p95, below: 1.5s, within: 2m, hold: 30s, fault: redis-outage}\n"
	    "  - {name: recovery-strict, recovers: api_latency_p95, below: 1.5s, within: 1m, fault: redis-outage}\n"
	    "  - {name: never, recovers: api_latency_p95, below: 100ms, within: 2m, fault: redis-outage}\n"
	    "  - {name: from-start, recovers: api_latency_p95, below: 1.5s, within: 5m, hold: 30s, fault: redis-outage, from: start}\n") == 0,
	    "time rules parse");
	T_OK(evaluate(&run, &set, &vs) == 0, "time rules evaluate");
	T_EQ_STR(verdict_str(vs.v[0].state), "pass", "queue depth max 44 < 50 during the outage");
	T_NEAR(vs.v[0].observed, 44, 0, "observed max depth");
	T_EQ_INT(vs.v[0].peak_t, T0 + S(825), "max reached at 10:13:45");
	T_EQ_INT(vs.v[0].evidence.line, 201 + 35, "evidence cites the line of the max sample");
	T_EQ_STR(vs.v[0].message, "max 44 < 50 (at 2026-11-28T10:13:45Z)", "message says when");
	T_EQ_STR(verdict_str(vs.v[1].state), "fail", "without stat, below: takes the max (44 is not < 40)");
	T_EQ_STR(verdict_str(vs.v[2].state), "pass", "outside the faults the 4.8 s peak does not count");
	T_NEAR(vs.v[2].observed, 2500, 0, "outside the faults: the slow tail after the fault ended");
	T_EQ_STR(verdict_str(vs.v[3].state), "fail", "p95 after the outage includes the slow minute");
	T_EQ_STR(verdict_str(vs.v[4].state), "pass", "recovered within 2 minutes");
	T_NEAR(vs.v[4].observed, 65000, 0, "recovery: 65 s after 10:14:00 (10:15:05)");
	T_OK(vs.v[4].have_breach && vs.v[4].breach_start == T0 + S(740), "breach started at 10:12:20");
	T_OK(vs.v[4].have_peak && vs.v[4].peak == 4800 && vs.v[4].peak_t == T0 + S(810), "peak 4.8 s at 10:13:30");
	T_EQ_STR(vs.v[4].message, "back below 1.5 s 1m05s after redis-outage ended (at 2026-11-28T10:15:05Z ±5 s, held 30 s), within 2m00s; peak 4.8 s at 2026-11-28T10:13:30Z",
	    "recovery message");
	T_EQ_STR(verdict_str(vs.v[5].state), "fail", "65 s is later than 1 minute");
	T_EQ_STR(verdict_str(vs.v[6].state), "fail", "never below 100 ms");
	T_EQ_STR(vs.v[6].message, "not recovered by 2026-11-28T10:20:00Z: api_latency_p95 is not back below 100 ms; peak 4.8 s at 2026-11-28T10:13:30Z",
	    "not recovered names the end of the data");
	T_NEAR(vs.v[7].observed, 185000, 0, "from: start measures from 10:12:00");
	verdicts_release(&vs);
	slo_release(&set);

	T_OK(rules(&set, "slos:\n  - {name: r, recovers: api_latency_p95, below: 1.5s, within: 2m, fault: db-outage}\n") == 0,
	    "a rule naming an unknown fault parses");
	T_OK(evaluate(&run, &set, &vs) == -1, "an unknown fault is an error in the rules");
	T_EQ_STR(errbuf, "sloproof: slo.yaml:2:5: error: SLO \"r\" is measured against the fault \"db-outage\", which the drill does not have; it has: redis-outage, channel-spike\n",
	    "the error lists the drill's faults");
	verdicts_release(&vs);
	slo_release(&set);
	run_release(&run);
}

static void
test_gap(void)
{
	struct slo_set set;
	struct run run;
	struct verdicts vs;
	struct series *s;
	int64_t t;

	run_init(&run);
	run.faults = faults;
	run.nfaults = 1;
	run_add_source(&run)->path = arena_strdup(&run.arena, "lag.csv");
	s = run_add_series(&run);
	s->name = arena_strdup(&run.arena, "lag");
	selector_parse(&run.arena, s->name, &s->sel, NULL);
	s->unit = UNIT_MS;
	s->unit_known = 1;
	for (t = T0 + S(600); t <= T0 + S(1200); t += S(10))
		if (t < T0 + S(850) || t > T0 + S(950))	/* no data 10:14:10 - 10:15:50 */
			series_add_point(s, t, t < T0 + S(840) && t >= T0 + S(720) ? 90000 : 2000, 1);
	series_finish(s);
	T_OK(rules(&set, "slos:\n  - {name: lag, recovers: lag, below: 10s, within: 3m, hold: 30s, fault: redis-outage}\n"
	    "  - {name: lag-max, metric: lag, stat: max, below: 2m}\n") == 0, "gap rules parse");
	T_OK(evaluate(&run, &set, &vs) == 0, "gap rules evaluate");
	T_NEAR(vs.v[0].observed, 120000, 0, "healthy at 10:14:00 but a hole follows: recovery is confirmed only at 10:16:00");
	T_EQ_STR(verdict_str(vs.v[0].state), "pass", "recovers within 3 minutes");
	T_EQ_STR(vs.v[1].message, "max 90 s < 120 s (at 2026-11-28T10:12:00Z); no samples for 2m00s after 2026-11-28T10:14:00Z",
	    "a hole in the data is reported, not treated as healthy");
	verdicts_release(&vs);
	slo_release(&set);
	run_release(&run);
}

static void
test_alerts_hpa(void)
{
	struct slo_set set;
	struct run run;
	struct verdicts vs;
	struct alert_interval *a;
	struct hpa_state *h;
	struct scale_event *e;
	struct source *src;
	int i;

	run_init(&run);
	run.faults = faults;
	run.nfaults = 2;
	src = run_add_source(&run);
	src->path = arena_strdup(&run.arena, "webhook.ndjson");
	src->kind = arena_strdup(&run.arena, "alerts");
	a = run_add_alert(&run);
	a->name = arena_strdup(&run.arena, "RedisDown");
	a->labels = arena_alloc(&run.arena, 2 * sizeof *a->labels);
	a->labels[0].key = arena_strdup(&run.arena, "alertname");
	a->labels[0].value = a->name;
	a->labels[1].key = arena_strdup(&run.arena, "severity");
	a->labels[1].value = arena_strdup(&run.arena, "critical");
	a->nlabels = 2;
	a->start = T0 + S(740);
	a->have_end = 1;
	a->end = T0 + S(875);
	a->origin.src = 0;
	a->origin.line = 3;
	a = run_add_alert(&run);
	a->name = arena_strdup(&run.arena, "Watchdog");
	a->start = T0;
	a->always_firing = 1;
	src = run_add_source(&run);
	src->path = arena_strdup(&run.arena, "hpa.txt");
	src->kind = arena_strdup(&run.arena, "hpa");
	h = run_add_hpa_state(&run);
	h->name = arena_strdup(&run.arena, "gateway");
	h->have_min = h->have_max = 1;
	h->min = 3;
	h->max = 10;
	for (i = 0; i < 3; i++) {
		static const int to[] = {5, 8, 10};

		e = run_add_scale_event(&run);
		e->target = arena_strdup(&run.arena, "gateway");
		e->t = T0 + S(3600 + 60 + 120 * i);	/* 11:01, 11:03, 11:05 */
		e->t_err = S(60);
		e->have_t = 1;
		e->to = to[i];
		e->origin.src = 1;
		e->origin.line = 30 + i;
	}
	T_OK(rules(&set,
	    "slos:\n"
	    "  - {name: redis alert, alert: \"RedisDown{severity:critical}\", fires_within: 1m, resolves_within: 5m, fault: redis-outage}\n"
	    "  - {name: slow alert, alert: RedisDown, fires_within: 10s, fault: redis-outage}\n"
	    "  - {name: no crash, alert: PodCrashLooping, must_not_fire: true}\n"
	    "  - {name: no redis, alert: RedisDown, must_not_fire: true, fault: redis-outage}\n"
	    "  - {name: scales, hpa: gateway, reaches: max, within: 6m, fault: channel-spike}\n"
	    "  - {name: scales fast, hpa: gateway, reaches: max, within: 5m30s, fault: channel-spike}\n"
	    "  - {name: scales 20, hpa: gateway, reaches: 20, within: 5m, fault: channel-spike}\n"
	    "  - {name: other hpa, hpa: orchestrator, reaches: max, within: 5m, fault: channel-spike}\n") == 0,
	    "alert and hpa rules parse");
	T_OK(evaluate(&run, &set, &vs) == 0, "alert and hpa rules evaluate");
	T_EQ_STR(verdict_str(vs.v[0].state), "pass", "RedisDown fired 20 s in and resolved 35 s after");
	T_NEAR(vs.v[0].observed, 20000, 0, "time to alert 20 s");
	T_EQ_STR(vs.v[0].message, "fired 20 s after redis-outage started (at 2026-11-28T10:12:20Z); resolved 35 s after redis-outage ended (at 2026-11-28T10:14:35Z), within 5m00s",
	    "alert message");
	T_EQ_STR(verdict_str(vs.v[1].state), "fail", "20 s is later than 10 s");
	T_EQ_STR(verdict_str(vs.v[2].state), "pass", "an alert absent from Alertmanager evidence did not fire");
	T_EQ_STR(verdict_str(vs.v[3].state), "fail", "must_not_fire fails when it fired during the fault");
	T_EQ_STR(verdict_str(vs.v[4].state), "pass", "max at 11:05 ±1 min: 5 min < 6 min even at worst");
	T_EQ_STR(vs.v[4].message, "reached 10 replicas (max) 5m00s after channel-spike started (at 2026-11-28T11:05:00Z ±1m00s); replicas: 5 at 11:01:00Z~, 8 at 11:03:00Z~, 10 at 11:05:00Z~",
	    "hpa message shows the replica path");
	T_EQ_STR(verdict_str(vs.v[5].state), "warn", "within 5m30s only if the ±1 min error goes our way: warn");
	T_EQ_STR(verdict_str(vs.v[6].state), "fail", "never reached 20");
	T_EQ_STR(verdict_str(vs.v[7].state), "nodata", "no evidence of that HPA is nodata");
	verdicts_release(&vs);
	slo_release(&set);
	run_release(&run);
}

int
main(void)
{
	test_series();
	test_gap();
	test_alerts_hpa();
	return t_done();
}
