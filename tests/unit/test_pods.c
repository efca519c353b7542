/* Unit tests: kubectl pod evidence (get pods -w, get events) and recovers: ready(DEPLOYMENT). */
#include <stdio.h>
#include <string.h>

#include "util/diag.h"
#include "eval/eval.h"
#include "in/import.h"
#include "in/slo.h"
#include "model/run.h"
#include "t.h"

#define T0 1796292000000LL	/* 2026-12-03T10:00:00Z */
#define S(x) ((int64_t)(x) * 1000)

static struct fault faults[] = {
	{(char *)"leak", NULL, T0 + S(600), T0 + S(720), 3, 1},	/* 10:10 - 10:12 */
};

static char errbuf[2048];

static int
import(struct run *run, const char *text, int captured)
{
	FILE *f = fmemopen(errbuf, sizeof errbuf - 1, "w");
	struct import_opts o;
	struct source *s;
	int rc;

	memset(&o, 0, sizeof o);
	o.have_captured_at = captured;
	o.captured_at = T0 + S(900);
	memset(errbuf, 0, sizeof errbuf);
	diag_set_stream(f);
	s = run_add_source(run);
	s->path = arena_strdup(&run->arena, "pods.txt");
	s->kind = arena_strdup(&run->arena, "pods");
	rc = in_pods_import(run, (int)run->nsources - 1, &o, "pods.txt", text, strlen(text));
	fclose(f);
	diag_set_stream(NULL);
	diag_reset();
	return rc;
}

static const char watch[] =
    "2026-12-03T10:05:00Z NAME                       READY   STATUS      RESTARTS      AGE\n"
    "2026-12-03T10:05:00Z gateway-7d9f8b6c5d-m8p7z   1/1     Running     0             2d3h\n"
    "2026-12-03T10:05:00Z gateway-7d9f8b6c5d-x2k4q   1/1     Running     0             2d3h\n"
    "2026-12-03T10:05:00Z redis-0                    1/1     Running     0             9d\n"
    "2026-12-03T10:05:00Z node-exporter-x7k2p        1/1     Running     0             9d\n"
    "2026-12-03T10:11:02Z gateway-7d9f8b6c5d-x2k4q   0/1     OOMKilled   0             2d3h\n"
    "2026-12-03T10:11:03Z gateway-7d9f8b6c5d-x2k4q   0/1     Running     1 (1s ago)    2d3h\n"
    "2026-12-03T10:12:40Z gateway-7d9f8b6c5d-x2k4q   1/1     Running     1 (97s ago)   2d3h\n";

static void
test_import(void)
{
	struct run run;

	run_init(&run);
	T_OK(in_pods_sniff(watch, strlen(watch)), "a timestamped get pods -w is sniffed");
	T_OK(import(&run, watch, 0) == 0, "get pods -w imports");
	T_EQ_INT(run.npod_events, 7, "one event per row");
	T_EQ_STR(run.pod_events[0].workload, "gateway", "deployment pod -> deployment");
	T_EQ_STR(run.pod_events[2].workload, "redis", "statefulset pod -> statefulset");
	T_EQ_STR(run.pod_events[3].workload, "node-exporter", "daemonset pod -> daemonset");
	T_EQ_INT(run.pod_events[5].restarts, 1, "RESTARTS \"1 (1s ago)\" is 1");
	T_EQ_STR(run.pod_events[4].status, "OOMKilled", "the status is kept");
	T_EQ_INT(run.pod_events[4].t, T0 + S(662), "the time in front of the line");
	T_EQ_STR(run.sources[0].format, "kubectl-get-pods", "the format is named");
	run_release(&run);

	run_init(&run);
	T_OK(import(&run, "NAME READY STATUS RESTARTS AGE\ngateway-7d9f8b6c5d-x2k4q 1/1 Running 0 5m\n", 0) == -1,
	    "get pods -w without times is refused");
	T_OK(strstr(errbuf, "pods.txt:2:1: error: no time in front of this line") != NULL,
	    "and the error says how to record one");
	run_release(&run);

	run_init(&run);
	T_OK(import(&run, "2026-12-03T10:05:00Z EVENT   NAME     READY STATUS      RESTARTS AGE\n"
	    "2026-12-03T10:06:00Z DELETED redis-0  0/1   Terminating 3 (2m ago) 9d\n", 0) == 0,
	    "--output-watch-events imports");
	T_EQ_INT(run.pod_events[0].kind, POD_DELETED, "DELETED is a deletion");
	run_release(&run);

	run_init(&run);
	T_OK(import(&run, "LAST SEEN   TYPE      REASON      OBJECT                           MESSAGE\n"
	    "3m58s       Warning   Unhealthy   pod/gateway-7d9f8b6c5d-x2k4q     Readiness probe failed: 503\n"
	    "<unknown>   Normal    Scheduled   pod/gateway-7d9f8b6c5d-x2k4q     Successfully assigned\n"
	    "45m         Normal    ScalingReplicaSet   deployment/gateway    Scaled up replica set gateway-7d9f8b6c5d to 3\n", 1) == 0,
	    "get events imports with captured_at");
	T_EQ_INT(run.npod_events, 2, "an event without a time is left out");
	T_EQ_INT(run.pod_events[1].t, T0 + S(900) - S(238), "LAST SEEN 3m58s before the capture");
	T_EQ_INT(run.pod_events[1].t_err, 1000, "to the second");
	T_EQ_INT(run.pod_events[0].t_err, 60000, "45m: to the minute");
	T_EQ_STR(run.pod_events[0].workload, "gateway", "deployment/gateway");
	T_EQ_STR(run.pod_events[1].message, "Readiness probe failed: 503", "the message is the rest of the line");
	T_EQ_STR(run.pod_events[1].status, "Unhealthy", "the reason");
	run_release(&run);

	run_init(&run);
	T_OK(import(&run, "LAST SEEN   TYPE      REASON      OBJECT        MESSAGE\n"
	    "3m58s       Warning   Unhealthy   pod/x-0       probe\n", 0) == -1,
	    "event ages without captured_at are refused");
	T_OK(strstr(errbuf, "give `captured_at:`") != NULL, "and the error says what to add");
	run_release(&run);
}

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

static void
test_ready(void)
{
	struct run run;
	struct slo_set set;
	struct verdicts vs;

	run_init(&run);
	run.faults = faults;
	run.nfaults = 1;
	T_OK(import(&run, watch, 0) == 0, "imports");
	T_OK(rules(&set, "slos:\n"
	    "  - {name: gw, recovers: ready(gateway), within: 1m, fault: leak}\n"
	    "  - {name: gw-slow, recovers: ready(gateway), within: 30s, fault: leak}\n"
	    "  - {name: redis, recovers: ready(redis), within: 1m, fault: leak}\n"
	    "  - {name: none, recovers: ready(checkout), within: 1m, fault: leak}\n"
	    "  - {name: from-start, recovers: ready(gateway), within: 3m, fault: leak, from: start}\n") == 0,
	    "ready rules parse");
	T_OK(eval_run(&run, &set, &vs) == 0, "evaluation succeeds");
	T_EQ_INT(vs.v[0].state, V_PASS, "gateway ready 40 s after the fault ended");
	T_OK(fabs(vs.v[0].observed - 40000) < 1e-9, "observed 40 s");
	T_EQ_INT(vs.v[0].evidence.line, 8, "the line where the last pod became ready");
	T_EQ_INT(vs.v[1].state, V_FAIL, "later than 30 s");
	T_EQ_INT(vs.v[2].state, V_PASS, "redis never went down: ready at the fault's end");
	T_OK(fabs(vs.v[2].observed) < 1e-9, "observed 0");
	T_EQ_INT(vs.v[3].state, V_NODATA, "no pods of the workload: no data");
	T_EQ_INT(vs.v[4].state, V_PASS, "from the fault's start: 2m40s within 3m");
	T_OK(fabs(vs.v[4].observed - 160000) < 1e-9, "observed 2m40s");
	verdicts_release(&vs);
	slo_release(&set);

	T_OK(rules(&set, "slos:\n  - {name: gw, recovers: ready(), within: 1m, fault: leak}\n") == -1,
	    "ready() needs a name");
	T_OK(rules(&set, "slos:\n  - {name: gw, recovers: ready(gateway), below: 1, within: 1m, fault: leak}\n") == -1,
	    "a ready rule takes no limit");
	run_release(&run);

	/* Never ready again */
	run_init(&run);
	run.faults = faults;
	run.nfaults = 1;
	T_OK(import(&run, "2026-12-03T10:05:00Z NAME READY STATUS RESTARTS AGE\n"
	    "2026-12-03T10:05:00Z gateway-7d9f8b6c5d-x2k4q 1/1 Running 0 1d\n"
	    "2026-12-03T10:11:00Z gateway-7d9f8b6c5d-x2k4q 0/1 CrashLoopBackOff 4 (5s ago) 1d\n", 0) == 0,
	    "imports");
	T_OK(rules(&set, "slos:\n  - {name: gw, recovers: ready(gateway), within: 1m, fault: leak}\n") == 0,
	    "parses");
	T_OK(eval_run(&run, &set, &vs) == 0, "evaluates");
	T_EQ_INT(vs.v[0].state, V_FAIL, "a pod still in CrashLoopBackOff fails");
	T_OK(strstr(vs.v[0].message, "0 of 1 pods ready") != NULL, "and says how many were ready");
	verdicts_release(&vs);
	slo_release(&set);
	run_release(&run);
}

int
main(void)
{
	test_import();
	test_ready();
	return t_done();
}
