/*
 * cmd_capture.c — `sloproof capture DRILL.yaml`: records Prometheus
 * ranges, Alertmanager alerts and HPA state while a drill runs, and
 * `--mark FAULT:start|end` from the chaos script. The work is capture.c's;
 * this file is the command line and the exit status.
 */
#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "jobs/capture.h"
#include "cmd/cmd.h"
#include "util/diag.h"
#include "in/drill.h"
#include "util/fsio.h"
#include "util/splimits.h"
#include "model/units.h"

enum { OPT_DURATION = 256, OPT_MARK, OPT_QUIET = 'q' };

static const struct opt capture_opts_spec[] = {
	{"duration", OPT_DURATION, "DURATION", "stop after this long (15m, 90s, 1h); default: at Ctrl-C or SIGTERM"},
	{"mark", OPT_MARK, "FAULT:start|end", "record that a fault starts or ends now, and exit"},
	{"quiet", OPT_QUIET, NULL, "no progress lines (problems with a source are still told)"},
	{NULL, 0, NULL, NULL}
};

static int cmd_capture(int, char **);

const struct cmd cmd_capture_spec = {
	"capture", cmd_capture,
	"[--duration DURATION] DRILL.yaml | --mark FAULT:start|end DRILL.yaml",
	"record Prometheus, Alertmanager and HPA evidence while a drill runs",
	"Start it before the load test and the chaos script; stop it with Ctrl-C (or\n"
	"--duration) once the system has recovered. It reads the drill file's `capture:`\n"
	"block and writes into its capture folder (output:, default capture/ beside the\n"
	"drill file):\n\n"
	"  alertmanager/snapshots.ndjson  GET /api/v2/alerts every interval (5s), one line\n"
	"                                 each: {\"captured_at\": ..., \"alerts\": [...]}, so\n"
	"                                 resolved alerts are not lost\n"
	"  alertmanager/webhook.ndjson    every notification POSTed to webhook_listen\n"
	"                                 (127.0.0.1:PORT; add it as a webhook receiver)\n"
	"  kubectl/hpa-NAME.txt           `kubectl get hpa NAME -o json` every interval\n"
	"                                 (15s), each after a `# captured_at:` line\n"
	"  kubectl/hpa-NAME-describe.txt  `kubectl describe hpa NAME` at the end\n"
	"  prometheus/QUERY.json          query_range of each named query over the whole\n"
	"                                 capture at `step:` (15s), plus ALERTS and\n"
	"                                 ALERTS_FOR_STATE, asked at the end; and the\n"
	"                                 query of each Prometheus metricSource of the\n"
	"                                 drill's OpenSLO files, as SLI_NAME.json\n"
	"                                 (_good/_bad/_total.json for a ratio;\n"
	"                                 docs/openslo.md)\n"
	"  faults.yaml                    the fault marks (--mark)\n"
	"  evidence.yaml                  the list of the above\n\n"
	"`sloproof bundle DRILL.yaml` then adds faults.yaml and evidence.yaml to the\n"
	"drill's own faults and evidence: no editing, no downloads. Every record is\n"
	"appended and flushed to disk as it comes, so a killed capture keeps what it had.\n\n"
	"A source that does not answer (timeouts: 3 s to connect, 10 s in all) gets one\n"
	"line on stderr, a gap record in its file, and is tried again with backoff; the\n"
	"others go on. Tokens and passwords come from environment variables or files the\n"
	"drill file names (auth: bearer_token_env, bearer_token_file, basic_user +\n"
	"basic_password_env) and are never written anywhere.\n\n"
	"An example of the block:\n\n"
	"  capture:\n"
	"    step: 15s\n"
	"    prometheus:\n"
	"      url: http://127.0.0.1:9090\n"
	"      queries:\n"
	"        api_latency_p95: >-\n"
	"          histogram_quantile(0.95,\n"
	"            sum by (le) (rate(http_server_duration_seconds_bucket[1m])))\n"
	"      auth: {bearer_token_env: PROM_TOKEN}\n"
	"    alertmanager:\n"
	"      url: http://127.0.0.1:9093\n"
	"      interval: 5s\n"
	"      webhook_listen: 127.0.0.1:9999\n"
	"    kubectl: {namespace: xin-prod, hpas: [gateway, orchestrator]}",
	capture_opts_spec,
	"  sloproof capture drills/redis/drill.yaml &\n"
	"  sloproof capture --mark redis-outage:start drills/redis/drill.yaml\n"
	"  sloproof capture --mark redis-outage:end drills/redis/drill.yaml\n"
	"  kill -INT %1; wait; sloproof bundle drills/redis/drill.yaml\n",
	"0\tevery source answered at least once\n"
	"1\ta source never answered: its evidence is missing\n"
	"2\tusage error\n"
	"3\tbad drill file or fault mark\n"
	"4\tsystem error (I/O, disk full, out of memory)\n",
};

static int
cmd_capture(int argc, char **argv)
{
	struct opts_state st;
	struct capture_opts o;
	struct quantity q;
	struct drill d;
	struct buf text;
	const char *arg, *mark = NULL;
	int key, r, status;

	memset(&o, 0, sizeof o);
	opts_init(&st, argc, argv);
	while ((r = opts_next(&st, &cmd_capture_spec, &key, &arg)) == 1) {
		switch (key) {
		case 'h':
			cmd_help(&cmd_capture_spec, stdout);
			opts_release(&st);
			return EXIT_MET;
		case OPT_DURATION:
			if (unit_parse(arg, &q) == -1 || q.unit != UNIT_MS || q.v < 1000) {
				opts_release(&st);
				return cmd_usage_error(&cmd_capture_spec,
				    "bad --duration \"%s\"; expected a duration of at least 1s, like 15m", arg);
			}
			o.duration = (int64_t)q.v;
			break;
		case OPT_MARK:
			mark = arg;
			break;
		case OPT_QUIET:
			o.quiet = 1;
			break;
		}
	}
	if ((r = opts_end_one(&st, r, &cmd_capture_spec, "one drill file at a time",
	    "no drill file; name the drill.yaml whose capture: block to record")) != 0)
		return r;
	if (mark && o.duration) {
		opts_release(&st);
		return cmd_usage_error(&cmd_capture_spec, "--mark records one moment; it takes no --duration");
	}
	/* The drill file alone: what an earlier capture left in its folder is not config. */
	buf_init(&text, LIM_RULES_BYTES);
	if (fsio_read(st.pos[0], LIM_RULES_BYTES, &text, NULL, NULL) == -1 ||
	    drill_parse(&d, st.pos[0], buf_str(&text), text.len) == -1) {
		buf_release(&text);
		opts_release(&st);
		return cmd_error_status();
	}
	buf_release(&text);
	if (mark) {
		if (capture_mark(d.capture.output, mark, capture_now()) == -1)
			status = cmd_error_status();
		else
			status = EXIT_MET;
	} else {
		r = capture_run(&d, &o);
		status = r == -1 ? cmd_error_status() : r == 1 ? EXIT_SLO : EXIT_MET;
	}
	drill_release(&d);
	opts_release(&st);
	return status;
}
