/*
 * Unit tests: the drill's capture: block, what bundle merges from the
 * capture folder, --mark, the kubectl runner (a stand-in script), the
 * webhook receiver (a real POST through libcurl) and the Prometheus
 * range importer.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <curl/curl.h>

#include "util/buf.h"
#include "jobs/capture.h"
#include "util/diag.h"
#include "in/drill.h"
#include "util/fsio.h"
#include "in/import.h"
#include "model/run.h"
#include "t.h"

static char errbuf[8192];
static FILE *errf;

static void
capture_diag(void)
{
	memset(errbuf, 0, sizeof errbuf);
	errf = fmemopen(errbuf, sizeof errbuf - 1, "w");
	diag_set_stream(errf);
}

static void
end_diag(void)
{
	fclose(errf);
	diag_set_stream(NULL);
	diag_reset();
}

static int
parse(struct drill *d, const char *text)
{
	int rc;

	capture_diag();
	rc = drill_parse(d, "d/drill.yaml", text, strlen(text));
	end_diag();
	return rc;
}

static void
expect_error(const char *capture, const char *want, const char *what)
{
	struct drill d;
	char text[4096];

	snprintf(text, sizeof text, "drill: x\ncapture:\n%s", capture);
	T_OK(parse(&d, text) == -1, what);
	T_EQ_STR(errbuf, want, what);
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	fputs(text, f);
	fclose(f);
}

static char *
slurp(const char *path)
{
	static char s[65536];
	FILE *f = fopen(path, "r");
	size_t n = 0;

	s[0] = '\0';
	if (f) {
		n = fread(s, 1, sizeof s - 1, f);
		fclose(f);
	}
	s[n] = '\0';
	return s;
}

static void
test_config(void)
{
	struct drill d;

	T_OK(parse(&d,
	    "drill: Redis outage\n"
	    "capture:\n"
	    "  step: 5s\n"
	    "  prometheus:\n"
	    "    url: http://127.0.0.1:9090/\n"
	    "    queries:\n"
	    "      api_latency_p95: histogram_quantile(0.95, sum by (le) (rate(x_bucket[1m])))\n"
	    "      queue: automation_queue_depth\n"
	    "    auth: {bearer_token_env: PROM_TOKEN}\n"
	    "  alertmanager:\n"
	    "    url: https://am.example/\n"
	    "    interval: 2s\n"
	    "    webhook_listen: 127.0.0.1:9999\n"
	    "    auth: {basic_user: sre, basic_password_env: AM_PASSWORD}\n"
	    "  kubectl:\n"
	    "    namespace: xin-prod\n"
	    "    hpas: [gateway, orchestrator]\n"
	    "  output: evidence/live\n") == 0, "a full capture: block parses");
	T_EQ_INT(d.capture.step, 5000, "step: 5s is 5000 ms");
	T_EQ_STR(d.capture.prom_url, "http://127.0.0.1:9090", "the URL loses its trailing slash");
	T_EQ_INT(d.capture.nqueries, 2, "two named queries");
	T_EQ_STR(d.capture.queries[1].name, "queue", "query names in file order");
	T_EQ_STR(d.capture.queries[1].expr, "automation_queue_depth", "the PromQL kept as written");
	T_EQ_STR(d.capture.prom_auth.bearer_token_env, "PROM_TOKEN", "the token's variable NAME is kept");
	T_EQ_STR(d.capture.am_auth.basic_password_env, "AM_PASSWORD", "the password's variable NAME is kept");
	T_EQ_INT(d.capture.am_interval, 2000, "alertmanager interval");
	T_EQ_STR(d.capture.webhook_host, "127.0.0.1", "webhook host");
	T_EQ_INT(d.capture.webhook_port, 9999, "webhook port");
	T_EQ_INT(d.capture.kube_interval, 15000, "kubectl interval defaults to 15 s");
	T_EQ_STR(d.capture.kube_command, "kubectl", "kubectl command defaults to kubectl");
	T_EQ_INT(d.capture.nhpas, 2, "two HPAs");
	T_EQ_STR(d.capture.output, "d/evidence/live", "output is relative to the drill file");
	drill_release(&d);

	T_OK(parse(&d, "drill: x\n") == 0, "a drill without capture: parses");
	T_EQ_STR(d.capture.output, "d/capture", "the capture folder defaults to capture/ beside the drill");
	T_EQ_INT(d.capture.present, 0, "no capture: block");
	drill_release(&d);

	expect_error("  prometheus:\n    url: http://u:secret@127.0.0.1:9090\n",
	    "sloproof: d/drill.yaml:4:10: error: url: the URL carries credentials; name them under `auth:` "
	    "instead (bearer_token_env, bearer_token_file, basic_user + basic_password_env)\n",
	    "credentials in a URL are refused and not quoted");
	expect_error("  prometheus:\n    url: http://x\n    auth: {bearer_token_env: \"eyJhbGciOi.J9\"}\n",
	    "sloproof: d/drill.yaml:5:30: error: bearer_token_env: expected the NAME of an environment "
	    "variable (letters, digits, _), not the secret itself\n",
	    "a pasted token is refused and not quoted");
	expect_error("  alertmanager:\n    url: http://x\n    webhook_listen: 0.0.0.0:9999\n",
	    "sloproof: d/drill.yaml:5:21: error: webhook_listen: \"0.0.0.0\" is not a loopback address; "
	    "the receiver listens on 127.0.0.1, localhost or [::1] only\n",
	    "the webhook receiver is loopback only");
	expect_error("  step: soon\n  kubectl: {hpas: [a]}\n",
	    "sloproof: d/drill.yaml:3:9: error: step: bad interval \"soon\"; expected a duration from 1s "
	    "to 24h, like 5s or 1m\n", "a bad step");
	expect_error("  prometheus:\n    url: http://x\n    queries: {\"../etc\": up}\n",
	    "sloproof: d/drill.yaml:5:15: error: queries: \"../etc\" cannot name a file; use letters, "
	    "digits, _ . - (ALERTS and ALERTS_FOR_STATE are always captured)\n",
	    "a query name that is not a safe file name");
	expect_error("  kubectl: {hpas: [a, a]}\n",
	    "sloproof: d/drill.yaml:3:23: error: hpas: \"a\" is listed twice\n", "an HPA listed twice");
	expect_error("  promethues: {url: http://x}\n",
	    "sloproof: d/drill.yaml:3:3: error: unknown key \"promethues\" in capture; expected one of: "
	    "step, prometheus, alertmanager, kubectl, output\n", "a misspelt section");
	expect_error("  output: x\n",
	    "sloproof: d/drill.yaml:3:3: error: capture: nothing to record; expected prometheus:, "
	    "alertmanager: or kubectl:\n", "a capture with no source");
}

static void
test_mark_and_merge(const char *dir)
{
	char drill[600], cap[256], ev[600];
	struct drill d;
	int64_t t0 = 1795855729000LL;

	snprintf(drill, sizeof drill, "%s/drill.yaml", dir);
	snprintf(cap, sizeof cap, "%s/capture", dir);
	write_file(drill, "drill: Merge\n"
	    "faults:\n"
	    "  - name: drill-own\n    start: 2026-11-28T10:00:00Z\n    end: 2026-11-28T10:01:00Z\n"
	    "evidence:\n  - k6.json\n");
	capture_diag();
	T_EQ_INT(capture_mark(cap, "spike:start", t0), 0, "--mark spike:start");
	T_EQ_INT(capture_mark(cap, "spike:start", t0 + 1000), -1, "a second start is refused");
	T_EQ_INT(capture_mark(cap, "other:end", t0 + 1000), -1, "an end without a start is refused");
	T_EQ_INT(capture_mark(cap, "spike:end", t0 + 15500), 0, "--mark spike:end");
	T_EQ_INT(capture_mark(cap, "drill-own:start", t0), 0, "a mark for a fault the drill has");
	T_EQ_INT(capture_mark(cap, "drill-own:end", t0 + 1), 0, "its end");
	T_EQ_INT(capture_mark(cap, "half:start", t0), 0, "a fault that never ends");
	T_EQ_INT(capture_mark(cap, "bad name:start", t0), -1, "a name with a space");
	end_diag();
	T_OK(strstr(errbuf, "faults.yaml:3:3: error: fault \"spike\" already started at "
	    "2026-11-28T08:48:49Z; give a repeated fault another name\n") != NULL, "the second start's message");
	T_OK(strstr(errbuf, "error: fault \"other\" has no start; run `sloproof capture --mark other:start` first\n")
	    != NULL, "the end-without-start message");
	snprintf(ev, sizeof ev, "%s/faults.yaml", cap);
	T_OK(strstr(slurp(ev),
	    "- name: \"spike\"\n  start: 2026-11-28T08:48:49Z\n  end: 2026-11-28T08:49:04.500Z\n") != NULL,
	    "faults.yaml holds the spike's window to the millisecond");

	snprintf(ev, sizeof ev, "%s/evidence.yaml", cap);
	write_file(ev, "- path: prometheus/q.json\n  kind: prometheus\n  captured_at: 2026-11-28T08:50:00Z\n"
	    "- path: alertmanager/snapshots.ndjson\n  kind: no-such-kind\n"
	    "- path: ../k6.json\n  kind: k6\n");
	capture_diag();
	T_EQ_INT(drill_load(&d, drill), -1, "a captured path outside the folder is refused");
	end_diag();
	T_OK(strstr(errbuf, "evidence.yaml:6:9: error: path: \"../k6.json\" is outside the capture folder") != NULL,
	    "the outside-path message");
	write_file(ev, "- path: prometheus/q.json\n  kind: prometheus\n  captured_at: 2026-11-28T08:50:00Z\n"
	    "- path: alertmanager/snapshots.ndjson\n  kind: no-such-kind\n");
	capture_diag();
	T_EQ_INT(drill_load(&d, drill), 0, "the drill loads with the capture folder");
	end_diag();
	T_EQ_INT(d.nfaults, 2, "the drill's fault and the captured spike; the open one is left out");
	T_EQ_STR(d.faults[1].name, "spike", "the captured fault");
	T_EQ_INT(d.faults[1].start, t0, "its start");
	T_EQ_INT(d.faults[1].end, t0 + 15500, "its end");
	T_EQ_INT(d.faults[0].start, 1795860000000LL, "the drill file's times win for a fault in both");
	T_OK(strstr(errbuf, "drill.yaml:3:5: warning: fault \"drill-own\" is also in ") != NULL,
	    "with a warning at the drill's fault");
	T_OK(strstr(errbuf, "warning: fault \"half\" has a start and no end (no `capture --mark half:end`); "
	    "left out") != NULL, "an unended fault is a warning");
	T_EQ_INT(d.nevidence, 2, "the drill's evidence plus the importable captured file");
	T_EQ_STR(d.evidence[1].kind, "prometheus", "captured evidence keeps its kind");
	T_OK(strstr(d.evidence[1].resolved, "/capture/prometheus/q.json") != NULL, "resolved inside the folder");
	T_EQ_INT(d.evidence[1].have_captured_at, 1, "and its captured_at");
	drill_release(&d);
}

static void
test_kubectl(const char *dir)
{
	char script[512], out[512], cmd[600], err[600];
	const char *s;

	snprintf(script, sizeof script, "%s/kubectl", dir);
	write_file(script, "#!/bin/sh\n"
	    "[ \"$1 $2 $3 $4 $5 $6 $7\" = \"-n ns get hpa gateway -o json\" ] || { echo \"bad args: $*\" >&2; exit 3; }\n"
	    "echo 'W1128 deprecated' >&2\n"
	    "printf '{\\n  \"kind\": \"HorizontalPodAutoscaler\",\\n  \"status\": {\"currentReplicas\": 3}\\n}\\n'\n");
	chmod(script, 0755);
	snprintf(out, sizeof out, "%s/hpa-gateway.txt", dir);
	T_EQ_INT(capture_kubectl_get(script, "ns", "gateway", out, 1795855729000LL, err, sizeof err), 0,
	    "kubectl get through a stand-in script");
	T_EQ_STR(err, "", "a warning on stderr is no failure");
	T_EQ_INT(capture_kubectl_get(script, "other", "gateway", out, 1795855744000LL, err, sizeof err), -1,
	    "a failing kubectl");
	T_OK(strstr(err, "exited with status 3: bad args: -n other get hpa gateway -o json") != NULL,
	    "its status and first stderr line");
	s = slurp(out);
	T_OK(strncmp(s, "# captured_at: 2026-11-28T08:48:49Z\n{", 37) == 0, "each record starts with # captured_at:");
	T_OK(strstr(s, "\n# captured_at: 2026-11-28T08:49:04Z\n# error: ") != NULL, "a failure is recorded as a gap");
	snprintf(cmd, sizeof cmd, "%s/none", dir);
	T_EQ_INT(capture_kubectl_get(cmd, NULL, "gateway", out, 0, err, sizeof err), -1, "a missing kubectl");
	T_OK(strstr(err, "cannot run") != NULL, "says it cannot run");
}

static size_t
sink(char *p, size_t s, size_t n, void *u)
{
	(void)p;
	(void)u;
	return s * n;
}

static long
post(int port, const char *body)
{
	CURL *c = curl_easy_init();
	char url[64];
	long code = 0;

	snprintf(url, sizeof url, "http://127.0.0.1:%d/", port);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 5L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_cleanup(c);
	return code;
}

static void
test_webhook(const char *dir)
{
	char path[512];
	struct webhook *w;
	int p[2], port, status, served = 0, i;
	long codes[2] = {0, 0};
	pid_t pid;

	snprintf(path, sizeof path, "%s/webhook.ndjson", dir);
	capture_diag();
	w = webhook_open("127.0.0.1", 0, path);
	T_OK(w != NULL, "the receiver listens on a free loopback port");
	if (w == NULL) {
		end_diag();
		return;
	}
	port = webhook_port(w);
	if (pipe(p) == -1 || (pid = fork()) == -1)
		return;
	if (pid == 0) {
		webhook_close(w);
		codes[0] = post(port, "{\"status\": \"firing\",\n \"alerts\": [{\"labels\": {\"alertname\": \"A\"}}]}");
		codes[1] = post(port, "not json");
		(void)!write(p[1], codes, sizeof codes);
		_exit(0);
	}
	for (i = 0; i < 50 && served < 1; i++)
		served += webhook_serve(w, 100);
	for (i = 0; i < 10; i++)
		webhook_serve(w, 100);
	waitpid(pid, &status, 0);
	(void)!read(p[0], codes, sizeof codes);
	close(p[0]);
	close(p[1]);
	webhook_close(w);
	T_EQ_INT(served, 1, "one body written");
	T_EQ_INT(codes[0], 200, "a JSON POST gets 200");
	T_EQ_INT(codes[1], 400, "a body that is not JSON gets 400");
	T_EQ_STR(slurp(path), "{\"status\": \"firing\",  \"alerts\": [{\"labels\": {\"alertname\": \"A\"}}]}\n",
	    "the body is appended as one line");
	T_OK(webhook_open("0.0.0.0", 0, path) == NULL, "a non-loopback address is refused");
	end_diag();
	T_OK(strstr(errbuf, "webhook.ndjson: warning: a webhook body that is not JSON was refused\n") != NULL,
	    "a refused body is told");
}

static void
test_prom(const char *dir)
{
	char path[512];
	struct run run;
	struct import_opts o;
	const struct series *s;

	snprintf(path, sizeof path, "%s/api_latency_seconds.json", dir);
	write_file(path, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
	    "{\"metric\":{\"job\":\"api\",\"instance\":\"a:9100\"},\"values\":[[1732788720.5,\"0.231\"],"
	    "[1732788735.5,\"NaN\"],[1732788750.5,\"1.5\"]]},"
	    "{\"metric\":{\"__name__\":\"up\",\"job\":\"b\"},\"values\":[[1732788720,\"1\"]]}]}}");
	run_init(&run);
	capture_diag();
	T_EQ_INT(import_file(&run, NULL, path, path), 0, "a query_range answer is sniffed and imported");
	end_diag();
	T_EQ_STR(run.sources[0].kind, "prometheus", "sniffed as prometheus");
	T_EQ_STR(run.sources[0].format, "prometheus-query-range", "format");
	T_EQ_INT(run.nseries, 2, "one series per result");
	s = &run.series[0];
	T_EQ_STR(s->name, "api_latency_seconds{instance=\"a:9100\",job=\"api\"}", "named after the file, labels sorted");
	T_EQ_INT(s->unit, UNIT_MS, "_seconds is a duration");
	T_EQ_INT(s->npts, 2, "NaN is a gap, not a point");
	T_EQ_INT(s->pts[0].t, 1732788720500LL, "fractional Unix seconds to ms");
	T_NEAR(s->pts[0].v, 231, 1e-9, "seconds to ms");
	T_NEAR(s->pts[1].v, 1500, 1e-9, "second value");
	T_OK(strstr(errbuf, "warning: 1 NaN or infinite samples left out (gaps, not zeros)") != NULL, "NaN is told");
	T_EQ_STR(run.series[1].name, "api_latency_seconds{job=\"b\"}", "the file's name wins over __name__");
	run_release(&run);

	memset(&o, 0, sizeof o);
	o.kind = "prometheus";
	o.series = "depth";
	run_init(&run);
	capture_diag();
	T_EQ_INT(import_file_opts(&run, &o, path, path), 0, "with series: from the evidence entry");
	end_diag();
	T_EQ_STR(run.series[1].name, "depth{job=\"b\"}", "series: names it");
	T_EQ_INT(run.series[1].unit_known, 0, "no unit suffix, no unit");
	run_release(&run);

	write_file(path, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error at char 3\"}");
	run_init(&run);
	capture_diag();
	T_EQ_INT(import_file(&run, "prometheus", path, "q.json"), -1, "an error answer is refused");
	end_diag();
	T_EQ_STR(errbuf, "sloproof: q.json: error: the Prometheus answer is not a success: "
	    "\"parse error at char 3\"\n", "with Prometheus's own message");
	run_release(&run);
	write_file(path, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[\n"
	    "{\"metric\":{},\"values\":[[1,\"x\"]]}]}}");
	run_init(&run);
	capture_diag();
	T_EQ_INT(import_file(&run, "prometheus", path, "q.json"), -1, "a value that is not a number");
	end_diag();
	T_EQ_STR(errbuf, "sloproof: q.json: error: data.result[0].values[0]: \"x\" is not a number\n",
	    "names the result and the sample");
	run_release(&run);
}

int
main(void)
{
	char dir[] = "/tmp/sloproof-capture-test.XXXXXX";

	if (mkdtemp(dir) == NULL)
		return 1;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	test_config();
	test_mark_and_merge(dir);
	test_kubectl(dir);
	test_webhook(dir);
	test_prom(dir);
	curl_global_cleanup();
	fsio_rmtree(dir);
	return t_done();
}
