/*
 * test_norm.c — the normalize pass: one set of alert episodes from all
 * alert evidence of a drill (norm/alerts.c). One drill, written the way
 * each tool writes it: a webhook log, ALERTS ranges at 1 s and 5 s steps,
 * ALERTS_FOR_STATE, nine Alertmanager API snapshot files, Prometheus
 * /api/v1/alerts answers, a log of whole HTTP requests. Every combination
 * must give the episodes and verdicts of the most precise source alone.
 *
 * RedisDown fired at 10:12:20.123Z and resolved at 10:14:35.456Z; the
 * fault ran from 10:12:00Z to 10:14:00Z.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/diag.h"
#include "eval/eval.h"
#include "in/import.h"
#include "model/run.h"
#include "in/slo.h"
#include "norm/normalize.h"
#include "t.h"

#define T0	1795860000000LL		/* 2026-11-28T10:00:00Z */
#define AT(m, s) (T0 + (int64_t)(m) * 60000 + (int64_t)((s) * 1000))
#define FIRE	AT(12, 20.123)
#define RESOLVE	AT(14, 35.456)

static struct fault faults[] = {
	{(char *)"redis-outage", NULL, AT(12, 0), AT(14, 0), 3, 1},
};

static char text[1 << 20];
static char errbuf[8192];

static const char *
iso(int64_t ms)
{
	static char b[4][40];
	static int k;
	int64_t s = ms / 1000;

	k = (k + 1) % 4;
	snprintf(b[k], sizeof b[k], "2026-11-28T%02d:%02d:%02d.%03dZ", (int)(s / 3600 % 24),
	    (int)(s / 60 % 60), (int)(s % 60), (int)(ms % 1000));
	return b[k];
}

#define LABELS "{\"alertname\":\"RedisDown\",\"instance\":\"redis-0:6379\",\"severity\":\"critical\"}"

static const char *
webhook(void)
{
	snprintf(text, sizeof text,
	    "{\"version\":\"4\",\"groupKey\":\"{}:{alertname=\\\"RedisDown\\\"}\",\"truncatedAlerts\":0,"
	    "\"status\":\"firing\",\"receiver\":\"drill\",\"groupLabels\":{},\"commonLabels\":{},"
	    "\"commonAnnotations\":{},\"externalURL\":\"http://am:9093\",\"alerts\":[{\"status\":\"firing\","
	    "\"labels\":" LABELS ",\"annotations\":{\"summary\":\"Redis \\\"main\\\" down\"},\"startsAt\":\"%s\","
	    "\"endsAt\":\"0001-01-01T00:00:00Z\",\"generatorURL\":\"\",\"fingerprint\":\"5a1b\"}]}\n"
	    "{\"version\":\"4\",\"groupKey\":\"{}:{alertname=\\\"RedisDown\\\"}\",\"truncatedAlerts\":0,"
	    "\"status\":\"resolved\",\"receiver\":\"drill\",\"groupLabels\":{},\"commonLabels\":{},"
	    "\"commonAnnotations\":{},\"externalURL\":\"http://am:9093\",\"alerts\":[{\"status\":\"resolved\","
	    "\"labels\":" LABELS ",\"annotations\":{\"summary\":\"Redis \\\"main\\\" down\"},\"startsAt\":\"%s\","
	    "\"endsAt\":\"%s\",\"generatorURL\":\"\",\"fingerprint\":\"5a1b\"}]}\n", iso(FIRE), iso(FIRE),
	    iso(RESOLVE));
	return text;
}

/* The same two notifications as a receiver that logs whole requests keeps them. */
static const char *
http_log(void)
{
	char body[2][4096];
	const char *w = webhook(), *nl = strchr(w, '\n');
	size_t n = (size_t)(nl - w), off = 0;
	int i;

	memcpy(body[0], w, n);
	body[0][n] = '\0';
	snprintf(body[1], sizeof body[1], "%s", nl + 1);
	body[1][strlen(body[1]) - 1] = '\0';
	for (i = 0; i < 2; i++)
		off += (size_t)snprintf(text + off, sizeof text - off,
		    "POST /hooks/drill HTTP/1.1\r\nHost: 127.0.0.1:9099\r\nUser-Agent: Alertmanager/0.25.0\r\n"
		    "Content-Length: %zu\r\nContent-Type: application/json\r\n\r\n%s\r\n", strlen(body[i]),
		    body[i]);
	return text;
}

/*
 * /api/v1/query_range of {__name__=~"ALERTS|ALERTS_FOR_STATE"} over 10:10 - 10:20
 * at step seconds. The rule (for: 10s) evaluates each second, so a sample at t
 * sees what the last evaluation before t saw.
 */
static const char *
range(int step, int with_alerts, int with_for_state)
{
	size_t off = 0;
	int64_t t, pending = FIRE - 10000;
	int k, first;

	off += (size_t)snprintf(text + off, sizeof text - off,
	    "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[");
	for (k = 0; k < 3; k++) {
		if ((k < 2 && !with_alerts) || (k == 2 && !with_for_state))
			continue;
		if (off > 60)
			text[off++] = ',';
		off += (size_t)snprintf(text + off, sizeof text - off, "{\"metric\":{\"__name__\":\"%s\","
		    "%s\"alertname\":\"RedisDown\",\"instance\":\"redis-0:6379\",\"severity\":\"critical\"},"
		    "\"values\":[", k == 2 ? "ALERTS_FOR_STATE" : "ALERTS",
		    k == 0 ? "\"alertstate\":\"pending\"," : k == 1 ? "\"alertstate\":\"firing\"," : "");
		first = 1;
		for (t = AT(10, 0); t <= AT(20, 0); t += step * 1000) {
			int active = t >= pending && t < RESOLVE, firing = t >= FIRE && t < RESOLVE;

			if ((k == 0 && (!active || firing)) || (k == 1 && !firing) || (k == 2 && !active))
				continue;
			off += (size_t)snprintf(text + off, sizeof text - off, "%s[%lld,\"%s\"]",
			    first ? "" : ",", (long long)(t / 1000), k == 2 ? "1795860730.123" : "1");
			first = 0;
		}
		off += (size_t)snprintf(text + off, sizeof text - off, "]}");
	}
	snprintf(text + off, sizeof text - off, "]}}");
	return text;
}

/* GET /api/v2/alerts at t: the alert while it is active, with Alertmanager's extrapolated endsAt. */
static const char *
am_snapshot(int64_t t)
{
	if (t < FIRE || t >= RESOLVE) {
		snprintf(text, sizeof text, "[]\n");
		return text;
	}
	snprintf(text, sizeof text, "[{\"annotations\":{\"summary\":\"Redis down\"},\"endsAt\":\"%s\","
	    "\"fingerprint\":\"5a1b\",\"receivers\":[{\"name\":\"drill\"}],\"startsAt\":\"%s\","
	    "\"status\":{\"inhibitedBy\":[],\"silencedBy\":[],\"state\":\"active\"},\"updatedAt\":\"%s\","
	    "\"generatorURL\":\"\",\"labels\":" LABELS "}]\n", iso(t + 240000), iso(FIRE), iso(t - 1000));
	return text;
}

/* Prometheus GET /api/v1/alerts at t. */
static const char *
prom_snapshot(int64_t t)
{
	const char *state = t >= FIRE && t < RESOLVE ? "firing" : t >= FIRE - 10000 && t < RESOLVE ?
	    "pending" : NULL;

	if (state == NULL)
		snprintf(text, sizeof text, "{\"status\":\"success\",\"data\":{\"alerts\":[]}}");
	else
		snprintf(text, sizeof text, "{\"status\":\"success\",\"data\":{\"alerts\":[{\"labels\":"
		    LABELS ",\"annotations\":{\"summary\":\"Redis down\"},\"state\":\"%s\",\"activeAt\":"
		    "\"%s\",\"value\":\"1e+00\"}]}}", state, iso(FIRE - 10000));
	return text;
}

static int
add(struct run *run, const char *name, const char *data, int64_t captured_at)
{
	struct import_opts o;
	struct source *s;
	FILE *f;
	int rc;

	memset(&o, 0, sizeof o);
	if (captured_at) {
		o.have_captured_at = 1;
		o.captured_at = captured_at;
	}
	s = run_add_source(run);
	s->path = arena_strdup(&run->arena, name);
	s->kind = arena_strdup(&run->arena, "alerts");
	memset(errbuf, 0, sizeof errbuf);
	f = fmemopen(errbuf, sizeof errbuf - 1, "w");
	diag_set_stream(f);
	rc = in_alerts_import(run, (int)run->nsources - 1, &o, name, data, strlen(data));
	fclose(f);
	diag_set_stream(NULL);
	diag_reset();
	if (rc != 0)
		fprintf(stderr, "# %s: %s", name, errbuf);
	return rc;
}

static const int64_t snaps[9] = {
	AT(11, 0), AT(12, 30), AT(13, 0), AT(13, 30), AT(14, 0), AT(14, 30), AT(15, 0), AT(16, 0), AT(17, 0)
};

enum { WEBHOOK = 1, R1 = 2, R5 = 4, SNAPS = 8, HTTP = 16, FORSTATE = 32, PROMAPI = 64, R1FOR = 128 };

static void
build(struct run *run, int which)
{
	char name[64];
	int i;

	run_init(run);
	run->faults = faults;
	run->nfaults = 1;
	if (which & R5)
		T_OK(add(run, "alerts-5s.json", range(5, 1, 0), AT(20, 0)) == 0, "ALERTS at 5 s imports");
	if (which & SNAPS)
		for (i = 0; i < 9; i++) {
			snprintf(name, sizeof name, "am-%d.json", i);
			T_OK(add(run, name, am_snapshot(snaps[i]), snaps[i]) == 0, "API snapshot imports");
		}
	if (which & PROMAPI)
		for (i = 0; i < 9; i++) {
			snprintf(name, sizeof name, "prom-alerts-%d.json", i);
			T_OK(add(run, name, prom_snapshot(snaps[i]), snaps[i]) == 0,
			    "Prometheus /api/v1/alerts imports");
		}
	if (which & R1)
		T_OK(add(run, "alerts-1s.json", range(1, 1, 0), AT(20, 0)) == 0, "ALERTS at 1 s imports");
	if (which & R1FOR)
		T_OK(add(run, "alerts-1s-for.json", range(1, 1, 1), AT(20, 0)) == 0,
		    "ALERTS and ALERTS_FOR_STATE import");
	if (which & FORSTATE)
		T_OK(add(run, "for-state.json", range(5, 0, 1), AT(20, 0)) == 0, "ALERTS_FOR_STATE imports");
	if (which & WEBHOOK)
		T_OK(add(run, "webhook.ndjson", webhook(), 0) == 0, "webhook log imports");
	if (which & HTTP)
		T_OK(add(run, "webhook-http.log", http_log(), 0) == 0, "whole-request webhook log imports");
	T_OK(normalize_run(run) == 0, "normalize");
}

static void
judge(struct run *run, const char *rules, struct verdicts *vs, struct slo_set *set)
{
	FILE *f;

	f = fmemopen(errbuf, sizeof errbuf - 1, "w");
	diag_set_stream(f);
	T_OK(slo_parse(set, "slo.yaml", rules, strlen(rules)) == 0, "rules parse");
	T_OK(eval_run(run, set, vs) == 0, "rules evaluate");
	fclose(f);
	diag_set_stream(NULL);
	diag_reset();
}

static const char rules[] =
    "slos:\n"
    "  - {name: fires, alert: RedisDown, fires_within: 1m, fault: redis-outage}\n"
    "  - {name: resolves-36s, alert: RedisDown, fires_within: 1m, resolves_within: 36s, fault: redis-outage}\n"
    "  - {name: resolves-35s, alert: RedisDown, fires_within: 1m, resolves_within: 35s, fault: redis-outage}\n"
    "  - {name: resolve-only, alert: RedisDown, resolves_within: 36s, fault: redis-outage}\n"
    "  - {name: silent, alert: RedisDown, must_not_fire: true, fault: redis-outage}\n";

static void
test_precise_wins(void)
{
	static const int combos[] = {
		WEBHOOK, WEBHOOK | R5, WEBHOOK | R1, WEBHOOK | R1 | R5, WEBHOOK | R1 | R5 | SNAPS,
		WEBHOOK | SNAPS | PROMAPI | R1FOR, HTTP, HTTP | WEBHOOK | R5,
	};
	struct run run;
	struct verdicts vs;
	struct slo_set set;
	size_t c;
	char what[128];

	for (c = 0; c < sizeof combos / sizeof combos[0]; c++) {
		build(&run, combos[c]);
		snprintf(what, sizeof what, "sources %#x: one episode", combos[c]);
		T_EQ_INT(run.nalerts, 1, what);
		snprintf(what, sizeof what, "sources %#x: fired at the webhook's exact time", combos[c]);
		T_EQ_INT(run.alerts[0].start, FIRE, what);
		T_EQ_INT(run.alerts[0].start_err, 0, what);
		snprintf(what, sizeof what, "sources %#x: resolved at the webhook's exact time", combos[c]);
		T_EQ_INT(run.alerts[0].have_end && run.alerts[0].end == RESOLVE, 1, what);
		T_EQ_INT(run.alerts[0].end_err, 0, what);
		judge(&run, rules, &vs, &set);
		snprintf(what, sizeof what, "sources %#x: verdicts of the webhook alone", combos[c]);
		T_EQ_STR(verdict_str(vs.v[0].state), "pass", what);
		/* Before: a coarser range's later end won and this failed. */
		T_EQ_STR(verdict_str(vs.v[1].state), "pass", what);
		T_EQ_STR(verdict_str(vs.v[2].state), "fail", what);
		T_EQ_STR(verdict_str(vs.v[3].state), "pass", what);
		T_EQ_STR(verdict_str(vs.v[4].state), "fail", what);
		/* A rule failing on its resolve shows the resolve, not a passing time to fire. */
		T_NEAR(vs.v[2].observed, 35456, 0, "failed resolve: observed is the time to resolve");
		T_NEAR(vs.v[2].limit, 35000, 0, "failed resolve: the limit is resolves_within");
		T_OK(vs.v[2].have_fire && vs.v[2].fire == 20123 && vs.v[2].have_resolve &&
		    vs.v[2].resolve == 35456, "time to fire and to resolve, separately");
		T_NEAR(vs.v[3].observed, 35456, 0, "resolves_within alone: observed is the resolve");
		verdicts_release(&vs);
		slo_release(&set);
		run_release(&run);
	}
}

static void
test_coarse_alone(void)
{
	struct run run;
	struct verdicts vs;
	struct slo_set set;

	/* ALERTS at 5 s: fired by the 10:12:25 sample, within 5 s before it. */
	build(&run, R5);
	T_EQ_INT(run.nalerts, 1, "5 s range: one episode");
	T_EQ_INT(run.alerts[0].start, AT(12, 25), "5 s range: first firing sample");
	T_EQ_INT(run.alerts[0].start_err, 5000, "5 s range: fire edge ±5 s");
	T_EQ_INT(run.alerts[0].end, AT(14, 40), "5 s range: gone by the next sample");
	T_EQ_INT(run.alerts[0].end_err, 5000, "5 s range: resolve edge ±5 s");
	judge(&run, rules, &vs, &set);
	T_EQ_STR(verdict_str(vs.v[1].state), "warn", "5 s range: 36 s limit inside 35..40 s is uncertain");
	T_OK(strstr(vs.v[1].message, "\xc2\xb1" "5 s") != NULL, "the message carries the uncertainty");
	verdicts_release(&vs);
	slo_release(&set);
	run_release(&run);

	/* Nine API snapshots: gone from the 10:15 one, so resolved between 10:14:30 and 10:15. */
	build(&run, SNAPS);
	T_EQ_INT(run.nalerts, 1, "snapshots: one episode");
	T_EQ_INT(run.alerts[0].start, FIRE, "snapshots: startsAt is exact");
	T_EQ_INT(run.alerts[0].have_end, 1, "snapshots: not still firing");
	T_EQ_INT(run.alerts[0].end, AT(15, 0), "snapshots: resolved by the first snapshot without it");
	T_EQ_INT(run.alerts[0].end_err, 30000, "snapshots: resolve edge within the 30 s between captures");
	judge(&run, rules, &vs, &set);
	T_EQ_STR(verdict_str(vs.v[0].state), "pass", "snapshots: fired in time");
	T_OK(strstr(vs.v[1].message, "still firing") == NULL, "snapshots: not reported as still firing");
	verdicts_release(&vs);
	slo_release(&set);
	run_release(&run);

	/* Prometheus /api/v1/alerts: activeAt is when it went pending. */
	build(&run, PROMAPI);
	T_EQ_INT(run.nalerts, 1, "Prometheus API snapshots: one episode");
	T_OK(run.alerts[0].start >= FIRE && run.alerts[0].start - run.alerts[0].start_err <= FIRE,
	    "Prometheus API: the fire edge interval holds the true time");
	T_OK(run.alerts[0].have_end && run.alerts[0].end >= RESOLVE &&
	    run.alerts[0].end - run.alerts[0].end_err <= RESOLVE, "Prometheus API: resolved between snapshots");
	T_OK(run.alerts[0].have_pending && run.alerts[0].pending_since == FIRE - 10000,
	    "Prometheus API: pending since activeAt");
	run_release(&run);

	/* ALERTS_FOR_STATE alone: active, so must_not_fire must not pass. */
	build(&run, FORSTATE);
	T_EQ_INT(run.nalerts, 1, "ALERTS_FOR_STATE: one episode (was zero)");
	T_EQ_INT(run.alerts[0].start, FIRE - 10000 + 1000 * 0, "ALERTS_FOR_STATE: active since activeAt");
	judge(&run, rules, &vs, &set);
	T_EQ_STR(verdict_str(vs.v[4].state), "fail", "ALERTS_FOR_STATE: must_not_fire does not pass");
	T_EQ_STR(verdict_str(vs.v[0].state), "warn", "ALERTS_FOR_STATE: firing time not pinned");
	verdicts_release(&vs);
	slo_release(&set);
	run_release(&run);
}

static void
test_http_log(void)
{
	struct run run;

	build(&run, HTTP);
	T_EQ_STR(run.sources[0].format, "alertmanager-webhook-http", "whole requests: format");
	T_EQ_STR(run.nalerts ? run.alerts[0].annotations[0].value : NULL, "Redis \"main\" down",
	    "whole requests: the body's annotations");
	run_release(&run);
}

/* One HPA scaling seen by `get -w` and by `describe` is one event (channel-spike sample). */
static void
test_hpa_dedup(void)
{
	struct import_opts o;
	struct run run;
	size_t i, j, dups = 0, n5 = 0;
	FILE *f;
	int rc;

	run_init(&run);
	memset(&o, 0, sizeof o);
	o.kind = "hpa";
	o.have_captured_at = 1;
	o.captured_at = 1795874280000LL;	/* 2026-11-28T13:58:00Z, when the watch started */
	f = fmemopen(errbuf, sizeof errbuf - 1, "w");
	diag_set_stream(f);
	rc = import_file_opts(&run, &o, "samples/drills/channel-spike/kubectl/hpa-gateway-watch.txt",
	    "hpa-gateway-watch.txt");
	o.have_captured_at = 0;
	if (rc == 0)
		rc = import_file_opts(&run, &o, "samples/drills/channel-spike/kubectl/hpa-gateway-describe.txt",
		    "hpa-gateway-describe.txt");
	fclose(f);
	diag_set_stream(NULL);
	diag_reset();
	if (rc != 0) {
		printf("# skip: channel-spike sample not found (%s)\n", errbuf);
		run_release(&run);
		return;
	}
	T_OK(run.nscale_events > 3, "watch and describe both show the scaling");
	T_OK(normalize_run(&run) == 0, "normalize");
	for (i = 0; i < run.nscale_events; i++) {
		n5 += run.scale_events[i].to == 5;
		for (j = i + 1; j < run.nscale_events; j++)
			dups += run.scale_events[i].to == run.scale_events[j].to &&
			    run.scale_events[i].have_t && run.scale_events[j].have_t &&
			    strcmp(run.scale_events[i].target, run.scale_events[j].target) == 0 &&
			    llabs(run.scale_events[i].t - run.scale_events[j].t) < 60000;
	}
	T_EQ_INT(dups, 0, "one fact, one row: no scaling is listed twice");
	T_EQ_INT(n5, 1, "3 -> 5 is one event");
	for (i = 0; i < run.nscale_events; i++)
		if (run.scale_events[i].to == 5) {
			T_OK(run.scale_events[i].have_from && run.scale_events[i].from == 3,
			    "the merged event keeps the old size from the watch");
			T_OK(run.scale_events[i].reason != NULL, "and the reason from describe");
		}
	run_release(&run);
}

int
main(void)
{
	test_hpa_dedup();
	test_precise_wins();
	test_coarse_alone();
	test_http_log();
	return t_done();
}
