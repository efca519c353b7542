/*
 * test_hpa.c — the kubectl HPA importer: describe (objects, metrics,
 * wrapped conditions, events with repeat counts), get (-w misalignment,
 * --no-headers, -A, missing AGE), -o yaml|json, how relative ages become
 * times, every error with its exact wording and line:col, and every file
 * of the corpus with concrete values.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"

#include "util/diag.h"
#include "in/import.h"
#include "model/run.h"
#include "util/timeutil.h"

#define MIN	INT64_C(60000)
#define S	INT64_C(1000)

static FILE	*cap;
static char	*cap_buf;
static size_t	 cap_len;
static int64_t	 C;	/* the capture time the tests give: 2026-11-28T10:20:00Z */

static void
cap_begin(void)
{
	cap_buf = NULL;
	cap_len = 0;
	cap = open_memstream(&cap_buf, &cap_len);
	diag_set_stream(cap);
	diag_reset();
}

static char *
cap_end(void)
{
	fclose(cap);
	diag_set_stream(NULL);
	return cap_buf;
}

static int64_t
ts(const char *s)
{
	int64_t ms = 0;
	size_t col;

	if (time_parse_rfc3339(s, strlen(s), &ms, &col) == -1)
		printf("# bad test time %s\n", s);
	return ms;
}

/* Imports doc as source 0; captured < 0: no captured_at. Diagnostics into *msgs. */
static int
imp(struct run *r, const char *doc, int64_t captured, char **msgs)
{
	struct import_opts o;
	struct source *s;
	int rc;

	memset(&o, 0, sizeof o);
	o.kind = "hpa";
	if (captured >= 0) {
		o.have_captured_at = 1;
		o.captured_at = captured;
	}
	run_init(r);
	s = run_add_source(r);
	s->path = arena_strdup(&r->arena, "t.txt");
	cap_begin();
	rc = in_hpa_import(r, 0, &o, "t.txt", doc, strlen(doc));
	*msgs = cap_end();
	return rc;
}

static void
err_case(const char *doc, const char *want, const char *what)
{
	struct run r;
	char *msgs;

	T_EQ_INT(imp(&r, doc, C, &msgs), -1, what);
	T_EQ_STR(msgs, want, what);
	free(msgs);
	run_release(&r);
	diag_reset();
}

static void
test_describe(void)
{
	static const char doc[] =
	    "Sat Nov 28 10:00:00 UTC 2026\n"
	    "Name:                                                  web\n"
	    "Namespace:                                             shop\n"
	    "Labels:                                                app=web\n"
	    "                                                       tier=front\n"
	    "Annotations:                                           <none>\n"
	    "CreationTimestamp:                                     Mon, 16 Dec 2024 10:20:04 +0100\n"
	    "Reference:                                             Deployment/web\n"
	    "Metrics:                                               ( current / target )\n"
	    "  resource cpu on pods  (as a percentage of request):  186% (372m) / 40%\n"
	    "  \"http_requests\" on pods:                              66m / 100k\n"
	    "Min replicas:                                          2\n"
	    "Max replicas:                                          12\n"
	    "Behavior:\n"
	    "  Scale Up:\n"
	    "    Policies:\n"
	    "      - Type: Pods  Value: 4  Period: 15 seconds\n"
	    "Deployment pods:                                       5 current / 9 desired\n"
	    "Conditions:\n"
	    "  Type           Status  Reason                   Message\n"
	    "  ----           ------  ------                   -------\n"
	    "  AbleToScale    True    SucceededRescale         the HPA controller was able to update the target scale to 9\n"
	    "  ScalingActive  False   FailedGetResourceMetric  unable to get metrics\n"
	    " for resource cpu (get pods.metrics.\n"
	    "k8s.io)\n"
	    "Events:\n"
	    "  Type    Reason             Age                 From                       Message\n"
	    "  ----    ------             ----                ----                       -------\n"
	    "  Normal  SuccessfulRescale  41m                 horizontal-pod-autoscaler  New size: 5; reason: cpu resource utilization (percentage of request) above target\n"
	    "  Normal  SuccessfulRescale  7m28s (x5 over 8m28s)  horizontal-pod-autoscaler  New size: 9; reason: All metrics below target\n"
	    "\n"
	    "Name:                  api\n"
	    "Namespace:             shop\n"
	    "Reference:             Deployment/api\n"
	    "Min replicas:          <unset>\n"
	    "Max replicas:          3\n"
	    "Events:                <none>\n";
	int64_t A = ts("2026-11-28T10:00:00Z");
	const struct hpa_state *h;
	const struct scale_event *e;
	struct run r;
	char *msgs;

	T_EQ_INT(imp(&r, doc, -1, &msgs), 0, "describe: imports");
	T_EQ_STR(msgs, "", "describe: no diagnostics when a date line anchors the ages");
	free(msgs);
	T_EQ_STR(r.sources[0].format, "kubectl-describe-hpa", "describe: format");
	T_EQ_INT(r.nhpa_states, 2, "describe: two objects separated by a blank line");
	h = &r.hpa_states[0];
	T_EQ_STR(h->name, "web", "describe: name");
	T_EQ_STR(h->namespace, "shop", "describe: namespace");
	T_EQ_STR(h->reference, "Deployment/web", "describe: reference");
	T_EQ_INT(h->min, 2, "describe: min replicas");
	T_EQ_INT(h->max, 12, "describe: max replicas");
	T_EQ_INT(h->current, 5, "describe: current from `Deployment pods:`");
	T_EQ_INT(h->desired, 9, "describe: desired from `Deployment pods:`");
	T_EQ_INT(h->have_t, 1, "describe: the state has a time");
	T_EQ_INT(h->t, A, "describe: the state is at the date line");
	T_EQ_INT(h->created, ts("2024-12-16T09:20:04Z"), "describe: CreationTimestamp with +0100");
	T_EQ_INT(h->origin.line, 2, "describe: the state cites its Name: line");
	T_EQ_INT(h->nmetrics, 2, "describe: two metric lines");
	T_EQ_STR(h->metrics[0].name, "cpu", "describe: resource metric name");
	T_NEAR(h->metrics[0].current_v, 1.86, 1e-12, "describe: 186% as a fraction");
	T_EQ_STR(h->metrics[0].raw, "372m", "describe: the raw average in parentheses");
	T_NEAR(h->metrics[0].target_v, 0.40, 1e-12, "describe: target 40%");
	T_EQ_STR(h->metrics[1].kind, "pods", "describe: pods metric kind");
	T_NEAR(h->metrics[1].current_v, 0.066, 1e-12, "describe: 66m is 0.066");
	T_NEAR(h->metrics[1].target_v, 100000, 0, "describe: 100k is 100000");
	T_EQ_INT(h->nconditions, 2, "describe: two condition rows, wrapped lines joined");
	T_EQ_STR(h->conditions[1].message, "unable to get metrics for resource cpu (get pods.metrics.k8s.io)",
	    "describe: a hard-wrapped condition message joins exactly");
	T_EQ_STR(h->conditions[1].reason, "FailedGetResourceMetric", "describe: condition reason");
	T_EQ_INT(r.nscale_events, 2, "describe: two SuccessfulRescale events");
	e = &r.scale_events[0];
	T_EQ_STR(e->target, "web", "describe: event target");
	T_EQ_INT(e->to, 5, "describe: New size");
	T_EQ_INT(e->have_from, 0, "describe: from is unknown");
	T_EQ_STR(e->reason, "cpu resource utilization (percentage of request) above target",
	    "describe: reason");
	T_EQ_INT(e->t, A - 41 * MIN, "describe: 41m ago");
	T_EQ_INT(e->t_err, 60 * S, "describe: 41m is good to a minute");
	e = &r.scale_events[1];
	T_EQ_INT(e->t, A - 7 * MIN - 28 * S, "describe: (x5 over ...) keeps the last time");
	T_EQ_INT(e->t_err, S, "describe: 7m28s is good to a second");
	T_EQ_INT(e->count, 5, "describe: repeat count");
	T_EQ_INT(e->first_t, A - 8 * MIN - 28 * S, "describe: first occurrence 8m28s ago");
	T_EQ_INT(e->origin.line, 30, "describe: event line");
	h = &r.hpa_states[1];
	T_EQ_STR(h->name, "api", "describe: second object");
	T_EQ_INT(h->have_min, 0, "describe: <unset> min");
	T_EQ_INT(h->max, 3, "describe: second object's max");
	run_release(&r);
	diag_reset();
}

static void
test_no_anchor(void)
{
	static const char doc[] =
	    "Events:\n"
	    "  Type    Reason             Age   From                       Message\n"
	    "  Normal  SuccessfulRescale  3d    horizontal-pod-autoscaler  New size: 2; reason: All metrics below target\n";
	struct run r;
	char *msgs;

	T_EQ_INT(imp(&r, doc, -1, &msgs), 0, "no anchor: imports");
	T_EQ_STR(msgs, "sloproof: t.txt: warning: ages are relative and no capture time is known; "
	    "give captured_at in the drill file (1 scale event without a time)\n",
	    "no anchor: one warning");
	free(msgs);
	T_EQ_INT(r.nscale_events, 1, "no anchor: the event is kept");
	T_EQ_INT(r.scale_events[0].have_t, 0, "no anchor: without a time");
	T_EQ_INT(r.nhpa_states, 0, "no anchor: an Events excerpt makes no state");
	run_release(&r);
	diag_reset();

	T_EQ_INT(imp(&r, doc, C, &msgs), 0, "3d: imports");
	free(msgs);
	T_EQ_INT(r.scale_events[0].t, C - 3 * 86400 * S, "3d: three days before capture");
	T_EQ_INT(r.scale_events[0].t_err, 86400 * S, "3d: good to a day");
	run_release(&r);
	diag_reset();

	T_EQ_INT(imp(&r, "# captured_at: 2026-11-28T11:00:00+01:00\n" "Events:\n"
	    "  Normal  SuccessfulRescale  5h43m  horizontal-pod-autoscaler  New size: 4\n", -1, &msgs),
	    0, "captured_at comment: imports");
	T_EQ_STR(msgs, "", "captured_at comment: no warning");
	free(msgs);
	T_EQ_INT(r.scale_events[0].t, ts("2026-11-28T04:17:00Z"), "captured_at comment anchors 5h43m");
	T_EQ_INT(r.scale_events[0].t_err, 60 * S, "5h43m is good to a minute");
	T_EQ_STR(r.scale_events[0].reason, NULL, "no reason when the message has none");
	run_release(&r);
	diag_reset();
}

static void
test_get_watch(void)
{
	/* -w rows are not re-aligned when TARGETS widens. */
	static const char doc[] =
	    "nohup: ignoring input\n"
	    "NAME   REFERENCE        TARGETS       MINPODS   MAXPODS   REPLICAS   AGE\n"
	    "web    Deployment/web   cpu: 5%/50%   2         10        2          76m\n"
	    "web    Deployment/web   cpu: 474%/50%   2         10        2          86m\n"
	    "web    Deployment/web   cpu: 474%/50%   2         10        4          87m\n"
	    "web    Deployment/web   cpu: 474%/50%   2         10        8          87m\n";
	const struct scale_event *e;
	struct run r;
	char *msgs;

	T_EQ_INT(imp(&r, doc, C, &msgs), 0, "watch: imports");
	T_EQ_STR(msgs, "", "watch: shell noise is skipped silently");
	free(msgs);
	T_EQ_STR(r.sources[0].format, "kubectl-get-hpa-watch", "watch: format");
	T_EQ_INT(r.nhpa_states, 4, "watch: each row is a state");
	T_EQ_STR(r.hpa_states[1].targets, "cpu: 474%/50%", "watch: misaligned TARGETS read whole");
	T_EQ_INT(r.hpa_states[1].min, 2, "watch: misaligned MINPODS");
	T_EQ_INT(r.hpa_states[0].t, C, "watch: the first row is at captured_at");
	T_EQ_INT(r.hpa_states[0].t_err, 0, "watch: exactly");
	T_EQ_INT(r.hpa_states[1].t, C + 10 * MIN, "watch: a later row by the AGE difference");
	T_EQ_INT(r.hpa_states[1].t_err, 60 * S, "watch: good to the AGE's minute");
	T_EQ_INT(r.nscale_events, 2, "watch: two replica changes");
	e = &r.scale_events[0];
	T_EQ_INT(e->from, 2, "watch: from");
	T_EQ_INT(e->to, 4, "watch: to");
	T_EQ_INT(e->t, C + 11 * MIN, "watch: at the row that shows it");
	T_EQ_INT(e->t_err, 120 * S, "watch: reaching back to the previous row");
	T_EQ_INT(e->origin.line, 5, "watch: event line");
	e = &r.scale_events[1];
	T_EQ_INT(e->t, C + 11 * MIN, "watch: same AGE, same estimate");
	T_EQ_INT(e->t_err, 60 * S, "watch: an unchanged AGE bounds it by a minute");
	run_release(&r);
	diag_reset();
}

static void
test_get_other(void)
{
	static const char noh[] =
	    "Sat Nov 28 21:12:18 UTC 2026\n"
	    "php-apache   Deployment/php-apache   cpu: 52%/50%   1     10    7     5m56s\n"
	    "Sat Nov 28 21:12:48 UTC 2026\n"
	    "php-apache   Deployment/php-apache   cpu: 0%/50%   1     10    6     6m27s\n";
	static const char all[] =
	    "NAMESPACE   NAME                                        REFERENCE        TARGETS             MINPODS   MAXPODS   REPLICAS   AGE\n"
	    "shop        horizontalpodautoscaler.autoscaling/web    Deployment/web   105%/75%, 10%/75%   <unset>   11        11\n";
	struct run r;
	char *msgs;

	T_EQ_INT(imp(&r, noh, -1, &msgs), 0, "--no-headers loop with date lines: imports");
	T_EQ_STR(msgs, "", "--no-headers: no warning");
	free(msgs);
	T_EQ_STR(r.sources[0].format, "kubectl-get-hpa", "--no-headers: format");
	T_EQ_INT(r.nhpa_states, 2, "--no-headers: two rows");
	T_EQ_INT(r.hpa_states[1].t, ts("2026-11-28T21:12:48Z"), "--no-headers: each date line anchors the next row");
	T_EQ_INT(r.nscale_events, 1, "--no-headers: one change");
	T_EQ_INT(r.scale_events[0].t, ts("2026-11-28T21:12:48Z"), "--no-headers: change seen at the later row");
	T_EQ_INT(r.scale_events[0].t_err, 30 * S, "--no-headers: within the polling gap");
	run_release(&r);
	diag_reset();

	T_EQ_INT(imp(&r, all, C, &msgs), 0, "-A with the AGE lost: imports");
	free(msgs);
	T_EQ_STR(r.hpa_states[0].namespace, "shop", "-A: namespace column");
	T_EQ_STR(r.hpa_states[0].name, "web", "kind-prefixed NAME is stripped");
	T_EQ_STR(r.hpa_states[0].targets, "105%/75%, 10%/75%", "two metrics in TARGETS");
	T_EQ_INT(r.hpa_states[0].have_min, 0, "MINPODS <unset>");
	T_EQ_INT(r.hpa_states[0].current, 11, "REPLICAS when AGE is missing");
	run_release(&r);
	diag_reset();
}

static void
test_yaml_json(void)
{
	static const char yaml[] =
	    "apiVersion: v1\n"
	    "kind: List\n"
	    "items:\n"
	    "- apiVersion: autoscaling/v2\n"
	    "  kind: HorizontalPodAutoscaler\n"
	    "  metadata:\n"
	    "    name: web\n"
	    "    namespace: shop\n"
	    "  spec:\n"
	    "    scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n"
	    "    minReplicas: 2\n"
	    "    maxReplicas: 10\n"
	    "    metrics:\n"
	    "    - type: Resource\n"
	    "      resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}\n"
	    "  status:\n"
	    "    currentReplicas: 4\n"
	    "    desiredReplicas: 6\n"
	    "    lastScaleTime: \"2026-11-28T10:12:00Z\"\n"
	    "    currentMetrics:\n"
	    "    - type: Resource\n"
	    "      resource: {name: cpu, current: {averageUtilization: 95, averageValue: 190m}}\n"
	    "- apiVersion: autoscaling/v1\n"
	    "  kind: HorizontalPodAutoscaler\n"
	    "  metadata:\n"
	    "    name: old\n"
	    "    annotations:\n"
	    "      autoscaling.alpha.kubernetes.io/conditions: '[{\"type\":\"AbleToScale\",\"status\":\"True\",\"reason\":\"ReadyForNewScale\"}]'\n"
	    "  spec: {maxReplicas: 3, targetCPUUtilizationPercentage: 50}\n"
	    "  status: {currentReplicas: 1, desiredReplicas: 1, currentCPUUtilizationPercentage: 12}\n";
	static const char json[] =
	    "{\n"
	    "    \"apiVersion\": \"autoscaling/v2\",\n"
	    "    \"kind\": \"HorizontalPodAutoscaler\",\n"
	    "    \"metadata\": {\"name\": \"api\"},\n"
	    "    \"spec\": {\"maxReplicas\": 5, \"minReplicas\": 1},\n"
	    "    \"status\": {\n"
	    "        \"currentReplicas\": 3,\n"
	    "        \"lastScaleTime\": \"2026-11-28T09:00:00Z\"\n"
	    "    }\n"
	    "}\n";
	const struct hpa_state *h;
	struct run r;
	char *msgs;

	T_EQ_INT(imp(&r, yaml, C, &msgs), 0, "yaml List: imports");
	T_EQ_STR(msgs, "", "yaml List: no diagnostics");
	free(msgs);
	T_EQ_STR(r.sources[0].format, "kubectl-get-hpa-yaml", "yaml: format");
	T_EQ_INT(r.nhpa_states, 2, "yaml: two items");
	h = &r.hpa_states[0];
	T_EQ_STR(h->reference, "Deployment/web", "yaml: reference from scaleTargetRef");
	T_EQ_INT(h->desired, 6, "yaml: desiredReplicas");
	T_EQ_INT(h->t, C, "yaml: observed at captured_at");
	T_EQ_INT(h->nmetrics, 1, "yaml: spec and status metrics merged");
	T_NEAR(h->metrics[0].current_v, 0.95, 1e-12, "yaml: current utilization");
	T_NEAR(h->metrics[0].target_v, 0.60, 1e-12, "yaml: target utilization");
	T_EQ_STR(h->metrics[0].raw, "190m", "yaml: averageValue kept as raw");
	T_EQ_INT(r.nscale_events, 1, "yaml: lastScaleTime is a scale event");
	T_EQ_INT(r.scale_events[0].t, ts("2026-11-28T10:12:00Z"), "yaml: at lastScaleTime exactly");
	T_EQ_INT(r.scale_events[0].t_err, 0, "yaml: exact");
	T_EQ_INT(r.scale_events[0].to, 4, "yaml: to currentReplicas");
	T_EQ_INT(r.scale_events[0].origin.line, 19, "yaml: event line");
	T_EQ_INT(r.scale_events[0].origin.col, 20, "yaml: event col");
	h = &r.hpa_states[1];
	T_EQ_INT(h->nconditions, 1, "yaml v1: conditions from the annotation");
	T_EQ_STR(h->conditions[0].reason, "ReadyForNewScale", "yaml v1: condition reason");
	T_NEAR(h->metrics[0].current_v, 0.12, 1e-12, "yaml v1: currentCPUUtilizationPercentage");
	T_NEAR(h->metrics[0].target_v, 0.50, 1e-12, "yaml v1: targetCPUUtilizationPercentage");
	run_release(&r);
	diag_reset();

	T_EQ_INT(imp(&r, json, -1, &msgs), 0, "json: imports");
	T_EQ_STR(msgs, "", "json: no diagnostics");
	free(msgs);
	T_EQ_STR(r.sources[0].format, "kubectl-get-hpa-json", "json: format");
	T_EQ_STR(r.hpa_states[0].name, "api", "json: name");
	T_EQ_INT(r.hpa_states[0].max, 5, "json: max");
	T_EQ_INT(r.hpa_states[0].have_t, 0, "json: no capture time, no state time");
	T_EQ_INT(r.scale_events[0].origin.line, 8, "json: event cites its line");
	T_EQ_INT(r.scale_events[0].origin.col, 26, "json: and column");
	T_EQ_INT(r.scale_events[0].t, ts("2026-11-28T09:00:00Z"), "json: lastScaleTime");
	run_release(&r);
	diag_reset();
}

static void
test_errors(void)
{
	err_case("hello\nworld\n",
	    "sloproof: t.txt:1:1: error: not kubectl hpa output: expected `Name:` (kubectl describe "
	    "hpa), a NAME REFERENCE TARGETS header (kubectl get hpa), or an HorizontalPodAutoscaler "
	    "object (-o yaml|json)\n", "error: not hpa output");
	err_case("Name:          web\nMin replicas:  two\n",
	    "sloproof: t.txt:2:16: error: replica count is not a number: \"two\"; expected a whole "
	    "number of replicas\n", "error: Min replicas not a number");
	err_case("Name:   web\nDeployment pods:  3 current / x desired\n",
	    "sloproof: t.txt:2:31: error: replica count is not a number: \"x\"; expected `N current "
	    "/ M desired`\n", "error: desired not a number");
	err_case("Events:\n  Normal  SuccessfulRescale  4q  hpa  New size: 2\n",
	    "sloproof: t.txt:2:30: error: cannot read the age \"4q\"; expected kubectl's form like "
	    "41m, 7m28s or 5h43m\n", "error: bad event age");
	err_case("Events:\n  Normal  SuccessfulRescale  4m  hpa  New size: many; reason: x\n",
	    "sloproof: t.txt:2:49: error: replica count is not a number: \"many\"; expected `New "
	    "size: N`\n", "error: New size not a number");
	err_case("NAME  REFERENCE      TARGETS  MINPODS  MAXPODS  REPLICAS  AGE\n"
	    "web   Deployment/web  0%/50%  1  10  3x  5m\n",
	    "sloproof: t.txt:2:38: error: replica count is not a number: \"3x\"; expected REPLICAS as "
	    "a whole number\n", "error: REPLICAS not a number");
	err_case("NAME  REFERENCE      TARGETS  MINPODS  MAXPODS  REPLICAS  AGE\n"
	    "web   Deployment/web  0%/50%  1  10  3  5w\n",
	    "sloproof: t.txt:2:41: error: cannot read the age \"5w\"; expected kubectl's form like "
	    "41m, 7m28s or 5h43m\n", "error: bad AGE");
	err_case("kind: HorizontalPodAutoscaler\nstatus:\n  currentReplicas: two\n",
	    "sloproof: t.txt:3:20: error: replica count is not a number: \"two\"; expected a whole "
	    "number\n", "error: yaml currentReplicas");
	err_case("{\"kind\": \"HorizontalPodAutoscaler\",\n \"spec\": {\"maxReplicas\": \"5\"}}\n",
	    "sloproof: t.txt:2:26: error: replica count is not a number: \"5\"; expected a whole "
	    "number\n", "error: json maxReplicas as a string");
	err_case("kind: Deployment\nspec: {}\n",
	    "sloproof: t.txt:1:7: error: not kubectl hpa output: expected `Name:` (kubectl describe "
	    "hpa), a NAME REFERENCE TARGETS header (kubectl get hpa), or an HorizontalPodAutoscaler "
	    "object (-o yaml|json); found kind \"Deployment\"\n", "error: another kind");
	err_case("Name:  web\nCreationTimestamp:  yesterday\n",
	    "sloproof: t.txt:2:21: error: cannot read the time \"yesterday\"; expected a time like "
	    "`Mon, 16 Dec 2024 10:20:04 +0100`\n", "error: CreationTimestamp");
	err_case("{\"kind\": \"HorizontalPodAutoscaler\", \"spec\": }\n",
	    "sloproof: t.txt:1:45: error: invalid JSON: cannot parse this\n", "error: bad JSON");
}

static void
test_sniff(void)
{
	T_OK(in_hpa_sniff("Name:   web\n", 12), "sniff: describe");
	T_OK(in_hpa_sniff("nohup: ignoring input\nNAME  REFERENCE  TARGETS  MINPODS  MAXPODS  REPLICAS  AGE\n", 80),
	    "sniff: get after noise");
	T_OK(in_hpa_sniff("{\"kind\": \"HorizontalPodAutoscaler\"}", 35), "sniff: json");
	T_OK(!in_hpa_sniff("{\"metrics\": {}}", 15), "sniff: other JSON is not hpa");
	T_OK(!in_hpa_sniff("hello world\n", 12), "sniff: text is not hpa");
}

/* ---- the corpus --------------------------------------------------------- */

static int
load(struct run *r, const char *dir, const char *name)
{
	struct import_opts o;
	char path[4096];
	FILE *null = fopen("/dev/null", "w");
	int rc;

	memset(&o, 0, sizeof o);
	o.kind = "hpa";
	o.have_captured_at = 1;
	o.captured_at = C;
	snprintf(path, sizeof path, "%s/kubectl-hpa/%s", dir, name);
	run_init(r);
	diag_set_stream(null);
	rc = import_file_opts(r, &o, path, name);
	diag_set_stream(NULL);
	if (null)
		fclose(null);
	if (diag_status() != 0)
		rc = -1;
	diag_reset();
	return rc;
}

static void
test_corpus(void)
{
	const char *corpus = t_corpus();
	const struct hpa_state *h;
	const struct scale_event *e;
	char dir[4096], what[512];
	struct dirent *de;
	struct run r;
	DIR *d;
	int n = 0;

	if (corpus == NULL)
		return;
	snprintf(dir, sizeof dir, "%s/kubectl-hpa", corpus);
	if ((d = opendir(dir)) == NULL) {
		T_OK(0, "corpus kubectl-hpa opens");
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(what, sizeof what, "corpus %s imports with 0 errors", de->d_name);
		T_EQ_INT(load(&r, corpus, de->d_name), 0, what);
		snprintf(what, sizeof what, "corpus %s yields HPA data", de->d_name);
		T_OK(r.nhpa_states + r.nscale_events > 0 ||
		    strstr(de->d_name, "events-only") != NULL, what);
		run_release(&r);
		n++;
	}
	closedir(d);
	T_EQ_INT(n, 22, "corpus: 22 kubectl-hpa files");

#define FILE_(x) T_EQ_INT(load(&r, corpus, x), 0, x)
	FILE_("hpa-describe-events-only-unknown-missing-request-EXCERPT-issue79365.txt");
	T_EQ_INT(r.nhpa_states + r.nscale_events, 0, "79365: warnings only, no rescale");
	T_EQ_STR(r.sources[0].format, "kubectl-describe-hpa", "79365: describe");
	run_release(&r);

	FILE_("hpa-describe-events-successfulrescale-external-metric-labelselector-EXCERPT-issue97473.txt");
	T_EQ_INT(r.nscale_events, 4, "97473: four rescales (first row unindented)");
	e = &r.scale_events[0];
	T_EQ_INT(e->to, 2, "97473: New size 2");
	T_EQ_STR(e->reason, "All metrics below target", "97473: reason");
	T_EQ_INT(e->count, 3, "97473: x3");
	T_EQ_INT(e->t, C - 20 * MIN, "97473: 20m ago");
	T_EQ_INT(e->first_t, C - (5 * 60 + 43) * MIN, "97473: first 5h43m ago");
	e = &r.scale_events[1];
	T_EQ_INT(e->to, 3, "97473: New size 3");
	T_EQ_INT(e->t, C - 8 * MIN - 30 * S, "97473: 8m30s ago");
	T_EQ_INT(e->t_err, S, "97473: to the second");
	T_OK(e->reason && strncmp(e->reason, "external metric sqs_approximatenumberofmessages(&LabelSelector{MatchLabels:map[string]string{namespace: ", 104) == 0 &&
	    strstr(e->reason, ",},MatchExpressions:[]LabelSelectorRequirement{},}) above target"),
	    "97473: the Go-printed selector stays whole");
	T_EQ_INT(r.scale_events[3].to, 6, "97473: last New size 6");
	T_EQ_INT(r.scale_events[3].t, C - 5 * MIN - 45 * S, "97473: 5m45s ago");
	run_release(&r);

	FILE_("hpa-describe-k8s-1.10-aks-unknown-wrapped-condition-message-EXCERPT-azuredocs9121.txt");
	h = &r.hpa_states[0];
	T_EQ_STR(h->name, "azure-vote-front", "aks: name");
	T_EQ_INT(h->min, 3, "aks: min 3");
	T_EQ_INT(h->metrics[0].have_current, 0, "aks: <unknown> current");
	T_NEAR(h->metrics[0].target_v, 0.5, 1e-12, "aks: target 50%");
	T_EQ_STR(h->conditions[1].message, "the HPA was unable to compute the replica count: unable "
	    "to get metrics for resource cpu: unable to fetch metrics from API: the server could not "
	    "find the requested resource (get pods.metrics.k8s.io)", "aks: wrapped message joined");
	T_EQ_INT(h->conditions[1].origin.line, 15, "aks: condition line");
	T_EQ_INT(h->created, ts("2018-05-29T06:18:18Z"), "aks: CreationTimestamp +0200");
	run_release(&r);

	FILE_("hpa-describe-k8s-1.11-custom-pods-metric-100k-statefulset-events-none-azure-adapter-issue34.txt");
	h = &r.hpa_states[0];
	T_EQ_STR(h->reference, "StatefulSet/wordpress-database-mariadb-slave", "1.11: StatefulSet");
	T_EQ_STR(h->metrics[0].name, "custom-requestspersecond", "1.11: pods metric name");
	T_NEAR(h->metrics[0].target_v, 100000, 0, "1.11: 100k");
	T_EQ_INT(h->have_current, 0, "1.11: no pods line");
	T_EQ_STR(h->conditions[2].reason, "TooManyReplicas", "1.11: ScalingLimited reason");
	T_EQ_INT(h->t, C, "1.11: observed at captured_at");
	T_EQ_INT(r.nscale_events, 0, "1.11: Events <none>");
	run_release(&r);

	FILE_("hpa-describe-k8s-1.18-behavior-section-external-unknown-EXCERPT-issue97420.txt");
	h = &r.hpa_states[0];
	T_EQ_STR(h->name, NULL, "1.18: excerpt without Name:");
	T_EQ_STR(h->reference, "Deployment/myDeployment", "1.18: reference at a 76-char column");
	T_EQ_INT(h->max, 200, "1.18: max 200");
	T_EQ_INT(h->have_current && h->current == 0 && h->desired == 0, 1, "1.18: 0 current / 0 desired");
	T_EQ_STR(h->metrics[0].kind, "external", "1.18: external metric");
	T_EQ_STR(h->metrics[0].current, "<unknown>", "1.18: unknown current");
	T_EQ_INT(h->nmetrics, 1, "1.18: the Behavior block adds no metric");
	run_release(&r);

	FILE_("hpa-describe-k8s-1.23-v2beta2-deprecation-warning-events-mixed-AhQuanz.txt");
	h = &r.hpa_states[0];
	T_EQ_STR(h->name, "backend", "1.23: name after the kubectl Warning line");
	T_EQ_INT(h->origin.line, 2, "1.23: state line");
	T_EQ_INT(r.nscale_events, 1, "1.23: one rescale among warnings");
	T_EQ_INT(r.scale_events[0].to, 1, "1.23: New size 1");
	T_EQ_INT(r.scale_events[0].t, C - 15 * MIN, "1.23: 15m ago");
	T_EQ_INT(r.scale_events[0].origin.line, 26, "1.23: event line");
	run_release(&r);

	FILE_("hpa-describe-k8s-1.31-memory-huge-millivalue-EXCERPT-issue129228.txt");
	h = &r.hpa_states[0];
	T_EQ_STR(h->metrics[0].name, "memory", "1.31: memory metric");
	T_NEAR(h->metrics[0].current_v, 0.42, 1e-12, "1.31: 42%");
	T_EQ_STR(h->metrics[0].raw, "4503324444m", "1.31: milli-bytes kept as written");
	T_EQ_INT(h->current, 8, "1.31: 8 current");
	T_EQ_STR(h->namespace, "test", "1.31: namespace");
	run_release(&r);

	FILE_("hpa-describe-k8s-1.33-events-successfulrescale-up-and-down-EXCERPT-transcript.txt");
	T_EQ_INT(r.nscale_events, 4, "1.33 events: four rescales");
	T_EQ_INT(r.scale_events[0].to, 4, "1.33 events: up to 4");
	T_EQ_INT(r.scale_events[0].t, C - 6 * MIN - 13 * S, "1.33 events: 6m13s ago");
	T_EQ_INT(r.scale_events[2].to, 6, "1.33 events: down to 6");
	T_EQ_INT(r.scale_events[3].to, 1, "1.33 events: down to 1");
	T_EQ_INT(r.scale_events[3].t, C - 27 * S, "1.33 events: 27s ago");
	T_EQ_INT(r.scale_events[3].t_err, S, "1.33 events: to the second");
	run_release(&r);

	FILE_("hpa-describe-k8s-1.33-metrics-behavior-multi-policy-sed-filtered-EXCERPT-transcript.txt");
	h = &r.hpa_states[0];
	T_NEAR(h->metrics[0].current_v, 0.02, 1e-12, "1.33 metrics: 2%");
	T_EQ_STR(h->metrics[0].raw, "4m", "1.33 metrics: 4m");
	T_EQ_INT(h->current == 1 && h->desired == 1, 1, "1.33 metrics: unaligned pods line");
	run_release(&r);

	FILE_("hpa-describe-k8s-1.9-backoffboth-multiline-labels-EXCERPT-issue56165.txt");
	h = &r.hpa_states[0];
	T_EQ_STR(h->name, "staging-myapp1", "1.9: name");
	T_EQ_INT(h->max, 60, "1.9: max 60");
	T_NEAR(h->metrics[0].current_v, 1.86, 1e-12, "1.9: 186%");
	T_EQ_STR(h->conditions[0].reason, "BackoffBoth", "1.9: BackoffBoth");
	T_EQ_STR(h->conditions[0].status, "False", "1.9: AbleToScale False");
	run_release(&r);

	FILE_("hpa-describe-k8s-2019-custom-metric-annotation-empty-value-EXCERPT-issue78761.txt");
	h = &r.hpa_states[0];
	T_EQ_STR(h->namespace, "paasta", "2019: namespace");
	T_EQ_INT(h->current, 6, "2019: 6 current");
	T_NEAR(h->metrics[0].target_v, 50, 0, "2019: uwsgi target 50");
	T_EQ_STR(h->conditions[0].reason, "ScaleDownStabilized", "2019: ScaleDownStabilized");
	T_EQ_INT(h->created, ts("2019-11-08T01:02:21Z"), "2019: -0800 offset");
	run_release(&r);

	FILE_("hpa-describe-k8s-website-cm-test-2017-pods-metric-rc-empty-events.txt");
	h = &r.hpa_states[0];
	T_EQ_STR(h->reference, "ReplicationController/cm-test", "cm-test: RC reference");
	T_NEAR(h->metrics[0].current_v, 0.066, 1e-12, "cm-test: 66m");
	T_NEAR(h->metrics[0].target_v, 0.5, 1e-12, "cm-test: 500m");
	T_EQ_INT(h->current, 1, "cm-test: ReplicationController pods line");
	run_release(&r);

	FILE_("hpa-describe-object-metric-on-service-wide-padding-EXCERPT-issue91219.txt");
	h = &r.hpa_states[0];
	T_EQ_STR(h->metrics[0].kind, "object", "91219 describe: object metric");
	T_EQ_STR(h->metrics[0].name, "rabbitmq_core_queue_messages_ready", "91219 describe: name");
	T_NEAR(h->metrics[0].target_v, 3, 0, "91219 describe: target 3");
	run_release(&r);

	FILE_("hpa-get-k8s-1.25-two-metrics-unlabeled-targets-age-missing-issue122474.txt");
	h = &r.hpa_states[0];
	T_EQ_STR(h->targets, "105%/75%, 10%/75%", "1.25 get: two metrics");
	T_EQ_INT(h->current, 11, "1.25 get: REPLICAS with AGE missing");
	T_EQ_INT(h->t, C, "1.25 get: at captured_at");
	T_EQ_STR(r.sources[0].format, "kubectl-get-hpa", "1.25 get: format");
	run_release(&r);

	FILE_("hpa-get-k8s-website-walkthrough-legacy-TARGET-column-spaced-0pct.txt");
	T_EQ_STR(r.hpa_states[0].reference, "Deployment/php-apache", "legacy: /scale dropped");
	T_EQ_STR(r.hpa_states[0].targets, "0% / 50%", "legacy: spaced TARGET");
	run_release(&r);

	FILE_("hpa-get-k8s-website-walkthrough-legacy-TARGET-column-spaced-305pct.txt");
	T_EQ_STR(r.hpa_states[0].targets, "305% / 50%", "legacy: 305%");
	T_EQ_INT(r.hpa_states[0].current, 1, "legacy: still 1 replica");
	run_release(&r);

	FILE_("hpa-get-multi-resource-kind-prefixed-cpu-unknown-EXCERPT-transcript.txt");
	T_EQ_STR(r.hpa_states[0].name, "resilient-web", "multi-kind: prefix stripped");
	T_EQ_STR(r.hpa_states[0].targets, "cpu: <unknown>/50%", "multi-kind: targets");
	T_EQ_INT(r.hpa_states[0].max, 6, "multi-kind: MAXPODS 6");
	run_release(&r);

	FILE_("hpa-get-no-headers-polling-loop-scale-down-k8s-1.33-EXCERPT-transcript.txt");
	T_EQ_INT(r.nhpa_states, 6, "polling: six rows between marker lines");
	T_EQ_INT(r.nscale_events, 2, "polling: 7 -> 6 -> 1");
	e = &r.scale_events[0];
	T_EQ_INT(e->from == 7 && e->to == 6, 1, "polling: 7 -> 6");
	T_EQ_INT(e->t, C + 91 * S, "polling: 7m27s - 5m56s after the first row");
	T_EQ_INT(e->t_err, 31 * S, "polling: back to the previous row");
	T_EQ_INT(r.scale_events[1].to, 1, "polling: then 1");
	T_EQ_INT(r.scale_events[1].origin.line, 12, "polling: its line");
	run_release(&r);

	FILE_("hpa-get-o-yaml-status-section-eks-1.25-manifestsio-issue92.yaml");
	h = &r.hpa_states[0];
	T_EQ_INT(h->current == 2 && h->desired == 2, 1, "eks yaml: 2 / 2");
	T_EQ_STR(h->conditions[0].message, "recent recommendations were higher than current one, "
	    "applying the highest recent recommendation", "eks yaml: folded message");
	T_NEAR(h->metrics[0].current_v, 1.5, 1e-12, "eks yaml: 150%");
	T_EQ_STR(h->metrics[0].raw, "301m", "eks yaml: averageValue");
	T_EQ_INT(r.scale_events[0].t, ts("2023-04-02T09:07:40Z"), "eks yaml: lastScaleTime");
	T_EQ_INT(r.scale_events[0].origin.line, 29, "eks yaml: its line");
	run_release(&r);

	FILE_("hpa-get-o-yaml-v2beta2-k8s-website-walkthrough-placeholder.yaml");
	h = &r.hpa_states[0];
	T_EQ_STR(h->name, "php-apache", "walkthrough yaml: name");
	T_EQ_INT(h->max, 10, "walkthrough yaml: max");
	T_NEAR(h->metrics[0].target_v, 0.5, 1e-12, "walkthrough yaml: target 50%");
	T_EQ_INT(r.nscale_events, 0, "walkthrough yaml: <some-time> gives no event");
	run_release(&r);

	FILE_("hpa-get-v2beta2-object-metric-averagevalue-targets-0-of-0-issue91219.txt");
	T_EQ_STR(r.hpa_states[0].targets, "0/0", "91219 get: 0/0");
	T_EQ_STR(r.hpa_states[0].name, "sample-app", "91219 get: name");
	run_release(&r);

	FILE_("hpa-get-watch-k8s-1.30plus-cpu-prefixed-targets-nohup-DhruvRE.txt");
	T_EQ_STR(r.sources[0].format, "kubectl-get-hpa-watch", "watch: format");
	T_EQ_INT(r.nhpa_states, 8, "watch: eight rows");
	T_EQ_INT(r.nscale_events, 3, "watch: 2 -> 4 -> 8 -> 10");
	T_EQ_INT(r.scale_events[2].from == 8 && r.scale_events[2].to == 10, 1, "watch: 8 -> 10");
	T_EQ_INT(r.scale_events[2].t, C + 11 * MIN, "watch: 87m - 76m after the first row");
	T_EQ_INT(r.hpa_states[7].t, C + 12 * MIN, "watch: last row 88m");
	run_release(&r);
#undef FILE_
}

int
main(void)
{
	C = ts("2026-11-28T10:20:00Z");
	test_describe();
	test_no_anchor();
	test_get_watch();
	test_get_other();
	test_yaml_json();
	test_errors();
	test_sniff();
	test_corpus();
	return t_done();
}
