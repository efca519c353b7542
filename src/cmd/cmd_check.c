/*
 * cmd_check.c — `sloproof check`: the CI gate. Reads SLO rules and
 * evidence, prints the verdict table, optionally writes JSON and JUnit,
 * and exits 0 only when every SLO passed or warned. Writes no bundle, and
 * no output file at all when the input is bad.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "cmd/cmd.h"
#include "util/termsafe.h"
#include "util/diag.h"
#include "util/fsio.h"
#include "jobs/pipeline.h"
#include "in/import.h"
#include "out/out_json.h"
#include "out/out_junit.h"
#include "out/out_ctrf.h"
#include "out/out_table.h"
#include "model/run.h"
#include "in/slo.h"
#include "util/splimits.h"
#include "util/timeutil.h"
#include "util/xalloc.h"
#include "in/drill.h"
#include "norm/normalize.h"
#include "eval/eval.h"

enum { OPT_SLO = 's', OPT_JSON = 256, OPT_JUNIT, OPT_NO_COLOR, OPT_FAULT, OPT_TZ, OPT_CTRF, OPT_ANNOT,
	OPT_HASH, OPT_QUIET = 'q' };

static const struct opt check_opts[] = {
	{"slo", OPT_SLO, "FILE", "SLO rules (YAML, docs/slo.md) or OpenSLO v1 documents "
	    "(docs/openslo.md); required, repeatable"},
	{"fault", OPT_FAULT, "NAME=START..END", "a fault window for rules that name one (RFC 3339 times; repeatable)"},
	{"tz", OPT_TZ, "ZONE", "time zone of inputs whose times have none (Grafana CSV), e.g. Asia/Tehran"},
	{"json", OPT_JSON, "FILE", "also write verdicts as JSON (docs/json.md); - for stdout"},
	{"junit", OPT_JUNIT, "FILE", "also write JUnit XML, one testcase per SLO; - for stdout"},
	{"ctrf", OPT_CTRF, "FILE", "also write a CTRF JSON test report (ctrf.io), one test per SLO; - for stdout"},
	{"annotations", OPT_ANNOT, "MODE", "CI annotations on stdout for SLOs not met: auto (GitHub Actions or GitLab CI when their variables say so; the default), github, gitlab, none"},
	{"hash", OPT_HASH, NULL, "record each input's SHA-256 in --json and --junit (a pass over the bytes)"},
	{"no-color", OPT_NO_COLOR, NULL, "no colours (also: NO_COLOR set, or not a terminal)"},
	{"quiet", OPT_QUIET, NULL, "print no table; the exit status says it all"},
	{NULL, 0, NULL, NULL}
};

static int cmd_check(int, char **);

const struct cmd cmd_check_spec = {
	"check", cmd_check,
	"--slo FILE... [OPTION]... INPUT... | [OPTION]... DRILL.yaml",
	"gate CI on SLOs: verdict table, --json, --junit; writes no bundle",
	"Evaluates SLO rules against load-test evidence and prints one row per SLO:\n"
	"its verdict (pass, warn, fail, nodata), the observed value, the limit, the\n"
	"sample count, k6's own threshold result for the same metric, and the file:line\n"
	"of the evidence that decided it. A rule whose metric is missing is nodata,\n"
	"which fails the gate: absent evidence is never a pass.\n\n"
	"INPUT is KIND:PATH or a bare PATH whose kind is recognised from its content\n"
	"(gzip'd files are read as they are). Kinds:\n"
	"  k6          --summary-export JSON, handleSummary() JSON, the v1.5+ machine-\n"
	"              readable summary, or raw output (--out json=FILE[.gz])\n"
	"  grafana     panel CSV downloads, every Grafana version's dialect\n"
	"  alerts      Alertmanager webhook payloads, API v1/v2 alerts, snapshots,\n"
	"              amtool tables, Prometheus ALERTS ranges\n"
	"  hpa         kubectl describe hpa, get hpa [-w], get hpa -o yaml|json\n"
	"  prometheus  /api/v1/query_range and /api/v1/query answers\n\n"
	"SLO files are sloproof rules (`slos:`) or OpenSLO v1 streams (apiVersion:\n"
	"openslo/v1; kinds SLO, SLI, Service): each objective is judged as \"at least\n"
	"`target` of the occurrences (or time slices) in the window are good\", on the\n"
	"series `sloproof capture` stored for its Prometheus query (docs/openslo.md).\n\n"
	"Rules that name a fault (window: during:F, recovers:, alert:, hpa:) need\n"
	"--fault; `sloproof bundle` takes faults from the drill file.\n\n"
	"In GitHub Actions (GITHUB_ACTIONS=true) every SLO not met also prints\n"
	"`::error file=RULES,line=N::` (`::warning` for warn) at its rule and a\n"
	"`::notice` at its evidence line, which GitHub shows on the files; in GitLab CI\n"
	"(GITLAB_CI=true) the same as FILE:LINE: lines in a log section. Elsewhere\n"
	"nothing, unless --annotations says otherwise.\n\n"
	"`check DRILL.yaml` reads everything from a drill file instead: its SLO files,\n"
	"faults, time zone and evidence with each entry's options, as `bundle` does.\n"
	"Every bundle keeps its own drill.yaml: `sloproof check drill.yaml` inside it\n"
	"re-derives the bundle's verdicts.",
	check_opts,
	"  sloproof check --slo slo.yaml perf-summary.json\n"
	"  sloproof check --slo slo.yaml --slo slo-chaos.yaml \\\n"
	"      --fault redis-outage=2026-11-28T10:12:00Z..2026-11-28T10:14:00Z \\\n"
	"      --tz Asia/Tehran k6:perf-summary.json grafana:api-latency.csv\n"
	"  sloproof check --slo slo.yaml --junit slo-junit.xml k6:summary.json\n"
	"  sloproof check --slo slo.yaml --ctrf ctrf/slo.json k6:summary.json\n"
	"  sloproof check --slo samples/openslo.yaml capture/prometheus/*.json\n"
	"  sloproof check samples/drills/redis-outage/drill.yaml\n",
	exit_generic,
};

/*
 * NAME=START..END; the name is kept in argv (owned by main). Times have
 * no '=', so the last one ends the name, which may hold any.
 */
static int
parse_fault(const char *arg, struct fault *f)
{
	size_t n;

	memset(f, 0, sizeof *f);
	if (opt_fault(arg, &n, &f->start, &f->end) == -1 || f->end < f->start)
		return -1;
	/* The name ends at the last '='; argv strings are ours to cut. */
	((char *)arg)[n] = '\0';
	f->name = (char *)arg;
	return 0;
}

/* A drill file names itself by its extension: check DRILL.yaml. */
static int
is_drill_path(const char *p)
{
	size_t n = strlen(p);

	return (n > 5 && strcmp(p + n - 5, ".yaml") == 0) || (n > 4 && strcmp(p + n - 4, ".yml") == 0);
}

/*
 * The JUnit suite when no drill names it: the first SLO file's name without
 * folders or extension, so `--slo ./slo.yaml` and `--slo /ci/slo.yaml`
 * give the same testcase classnames.
 */
static void
suite_name(const char *path, char *dst, size_t n)
{
	const char *base = strrchr(path, '/');
	size_t len;

	base = base ? base + 1 : path;
	len = strlen(base);
	if (len > 5 && strcmp(base + len - 5, ".yaml") == 0)
		len -= 5;
	else if (len > 4 && strcmp(base + len - 4, ".yml") == 0)
		len -= 4;
	snprintf(dst, n, "%.*s", (int)len, base);
}

static int
cmd_check(int argc, char **argv)
{
	struct opts_state st;
	struct pipeline p;
	struct buf table, json, junit, ctrf, annot;
	const char *json_path = NULL, *junit_path = NULL, *ctrf_path = NULL, *tz = NULL, *arg;
	enum ci_kind ci = ci_detect();
	char *slo[LIM_SLO_FILES];
	struct fault faults[LIM_FAULTS];
	struct import_opts io;
	char suite[256];
	size_t nslo = 0, nfaults = 0;
	int key, r, no_color = 0, quiet = 0, status, i, drill_mode = 0, hash = 0;

	opts_init(&st, argc, argv);
	while ((r = opts_next(&st, &cmd_check_spec, &key, &arg)) == 1) {
		switch (key) {
		case 'h':
			cmd_help(&cmd_check_spec, stdout);
			opts_release(&st);
			return EXIT_MET;
		case OPT_SLO:
			if (nslo == LIM_SLO_FILES) {
				opts_release(&st);
				return cmd_usage_error(&cmd_check_spec, "more than %d --slo files", LIM_SLO_FILES);
			}
			slo[nslo++] = (char *)arg;
			break;
		case OPT_FAULT:
			if (nfaults == LIM_FAULTS || parse_fault(arg, &faults[nfaults]) == -1) {
				opts_release(&st);
				return cmd_usage_error(&cmd_check_spec, nfaults == LIM_FAULTS ?
				    "too many --fault options" : "--fault %s: expected NAME=START..END with "
				    "RFC 3339 times, like redis=2026-11-28T10:12:00Z..2026-11-28T10:14:00Z", arg);
			}
			nfaults++;
			break;
		case OPT_TZ:
			tz = arg;
			break;
		case OPT_JSON:
			json_path = arg;
			break;
		case OPT_JUNIT:
			junit_path = arg;
			break;
		case OPT_CTRF:
			ctrf_path = arg;
			break;
		case OPT_ANNOT:
			if (ci_parse(arg, &ci) == -1) {
				opts_release(&st);
				return cmd_usage_error(&cmd_check_spec, "--annotations %s: expected auto, "
				    "github, gitlab or none", arg);
			}
			break;
		case OPT_NO_COLOR:
			no_color = 1;
			break;
		case OPT_QUIET:
			quiet = 1;
			break;
		case OPT_HASH:
			hash = 1;
			break;
		}
	}
	if (r == -1) {
		opts_release(&st);
		return EXIT_USAGE;
	}
	/*
	 * check DRILL.yaml: the rules, faults, time zone and evidence of the
	 * drill file, through the same plan `bundle` makes of it.
	 */
	/* The sources' SHA-256 (in --json and --junit) cost a pass over every byte: only with --hash. */
	pipeline_init(&p, PLAN_NORMALIZE | (hash ? PLAN_HASH : 0));
	if (nslo == 0 && st.npos == 1 && is_drill_path(st.pos[0])) {
		if (nfaults > 0 || tz != NULL) {
			pipeline_release(&p);
			opts_release(&st);
			return cmd_usage_error(&cmd_check_spec, "--fault and --tz come from the drill "
			    "file when checking %s; edit the drill instead", st.pos[0]);
		}
		if (pipeline_load_drill(&p, st.pos[0]) == -1) {
			pipeline_release(&p);
			opts_release(&st);
			return cmd_error_status();
		}
		if (p.drill.nslo == 0 || p.drill.nslo > LIM_SLO_FILES) {
			diag_error(st.pos[0], 0, 0, p.drill.nslo ? "more than %d SLO files" :
			    "no SLO rules: the drill has no `slo:`", LIM_SLO_FILES);
			pipeline_release(&p);
			opts_release(&st);
			return cmd_error_status();
		}
		for (nslo = 0; nslo < p.drill.nslo; nslo++)
			slo[nslo] = p.drill.slo[nslo];
		drill_mode = 1;
	}
	if (nslo == 0 || st.npos == 0) {
		pipeline_release(&p);
		opts_release(&st);
		return cmd_usage_error(&cmd_check_spec, nslo == 0 ?
		    "no SLO rules; give them with --slo FILE, or check a drill file (DRILL.yaml)" :
		    "no input; name one or more evidence files");
	}
	if ((json_path && strcmp(json_path, "-") == 0) + (junit_path && strcmp(junit_path, "-") == 0) +
	    (ctrf_path && strcmp(ctrf_path, "-") == 0) > 1) {
		pipeline_release(&p);
		opts_release(&st);
		return cmd_usage_error(&cmd_check_spec, "only one of --json, --junit and --ctrf can be -");
	}
	p.slo = slo;
	p.nslo = nslo;
	if (drill_mode) {
		snprintf(suite, sizeof suite, "%s", p.drill.title);
	} else {
		/*
		 * Every input is read and every bad one reported, not just the
		 * first; only what the rules read (a Grafana column no rule names
		 * is not parsed).
		 */
		p.want |= PLAN_ALL_ERRORS | PLAN_ONLY_NAMED;
		p.run.faults = faults;
		p.run.nfaults = nfaults;
		memset(&io, 0, sizeof io);
		io.timezone = tz;
		for (i = 0; i < st.npos; i++)
			pipeline_add_spec(&p, st.pos[i], &io);
		suite_name(slo[0], suite, sizeof suite);
	}
	buf_init(&table, 1u << 24);
	buf_init(&json, 1u << 26);
	buf_init(&junit, 1u << 26);
	buf_init(&ctrf, 1u << 26);
	buf_init(&annot, 1u << 24);
	status = pipeline_run(&p) == -1 ? cmd_error_status() : EXIT_MET;
	if (status == EXIT_MET) {
		/* Render everything before writing anything: no partial output. */
		if (out_table(&table, &p.vs, &p.run, cmd_color(no_color)) == -1 ||
		    buf_addstr(&table, "\n") == -1 || out_tally(&table, &p.vs) == -1 ||
		    buf_printf(&table, ": %s\n", !verdicts_ok(&p.vs) ? "SLOs NOT met" :
		    !p.vs.score.policy ? "SLOs met" : p.vs.score.state == V_WARN ?
		    "met on score, with a warning" : "met on score") == -1 ||
		    (json_path && out_json_check(&p.vs, &p.run, &json) == -1) ||
		    (junit_path && out_junit(&p.vs, &p.run, suite, &junit) == -1) ||
		    (ctrf_path && out_ctrf(&p.vs, &p.run, slo[0], 0, 0, NULL, &ctrf) == -1) ||
		    out_ci_annotations(&p.vs, &p.run, ci, &annot) == -1) {
			diag_syserr(NULL, "output too large");
			status = EXIT_SYSTEM;
		}
	}
	if (status == EXIT_MET) {
		if ((json_path && cmd_write_output(json_path, &json) == -1) ||
		    (junit_path && cmd_write_output(junit_path, &junit) == -1) ||
		    (ctrf_path && cmd_write_output(ctrf_path, &ctrf) == -1))
			status = EXIT_SYSTEM;
		else if (!quiet && !(json_path && strcmp(json_path, "-") == 0) &&
		    !(junit_path && strcmp(junit_path, "-") == 0) && !(ctrf_path && strcmp(ctrf_path, "-") == 0))
			term_fwrite(stdout, buf_str(&table), table.len, 1);
		/* After the table, before the exit: the CI reads them from the log, a document on stdout excepted. */
		if (status != EXIT_SYSTEM && annot.len && !(json_path && strcmp(json_path, "-") == 0) &&
		    !(junit_path && strcmp(junit_path, "-") == 0) && !(ctrf_path && strcmp(ctrf_path, "-") == 0))
			fwrite(buf_str(&annot), 1, annot.len, stdout);
		if (status == EXIT_MET && !verdicts_ok(&p.vs))
			status = EXIT_SLO;
	}
	buf_release(&table);
	buf_release(&json);
	buf_release(&junit);
	buf_release(&ctrf);
	buf_release(&annot);
	pipeline_release(&p);
	opts_release(&st);
	return status;
}
