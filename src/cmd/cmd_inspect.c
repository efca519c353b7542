/*
 * cmd_inspect.c — `sloproof inspect`: what sloproof detected in each input
 * and what it imported, as text or JSON. For debugging a capture before a
 * drill review depends on it. Exit 0, or 3 when an input is bad.
 */
#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "cmd/cmd.h"
#include "util/termsafe.h"
#include "util/diag.h"
#include "jobs/pipeline.h"
#include "out/out_inspect.h"
#include "out/out_json.h"
#include "model/run.h"

enum { OPT_JSON = 256, OPT_HASH };

static const struct opt inspect_opts[] = {
	{"json", OPT_JSON, NULL, "print the imported model as JSON instead of text"},
	{"hash", OPT_HASH, NULL, "also compute each input's SHA-256 (costs a pass over the bytes)"},
	{NULL, 0, NULL, NULL}
};

static int cmd_inspect(int, char **);

const struct cmd cmd_inspect_spec = {
	"inspect", cmd_inspect,
	"[--json] [--hash] INPUT...",
	"show what was detected and imported from inputs",
	"Prints, for each input, the kind and format detected (with the tool version\n"
	"when the file says), its size (and SHA-256 with --hash), and every metric\n"
	"with its type, statistics and unit, k6's own threshold results and the\n"
	"checks with their group. Values are shown in sloproof's units (ms, %);\n"
	"\"unit unknown\" marks a metric whose file does not say its unit (k6's\n"
	"legacy --summary-export).",
	inspect_opts,
	"  sloproof inspect perf-summary.json\n"
	"  sloproof inspect --json k6:summary.json | jq '.summaries[].name'\n",
	"0\tevery input was read\n"
	"2\tusage error\n"
	"3\tbad input: missing, malformed, or not the kind named\n"
	"4\tsystem error (I/O, out of memory)\n",
};

static int
cmd_inspect(int argc, char **argv)
{
	struct opts_state st;
	struct pipeline p;
	struct buf out;
	const char *arg;
	int key, r, json = 0, status = EXIT_MET, i;
	unsigned want = PLAN_ALL_ERRORS;

	opts_init(&st, argc, argv);
	while ((r = opts_next(&st, &cmd_inspect_spec, &key, &arg)) == 1) {
		if (key == 'h') {
			cmd_help(&cmd_inspect_spec, stdout);
			opts_release(&st);
			return EXIT_MET;
		}
		if (key == OPT_JSON)
			json = 1;
		if (key == OPT_HASH)
			want |= PLAN_HASH;
	}
	if (r == -1 || st.npos == 0) {
		opts_release(&st);
		return r == -1 ? EXIT_USAGE :
		    cmd_usage_error(&cmd_inspect_spec, "no input; name one or more evidence files");
	}
	/* What was imported, before normalizing: inspect shows each input as it was read. */
	pipeline_init(&p, want);
	for (i = 0; i < st.npos; i++)
		pipeline_add_spec(&p, st.pos[i], NULL);
	buf_init(&out, 1u << 28);
	if (pipeline_run(&p) == -1)
		status = cmd_error_status();
	if (status == EXIT_MET) {
		if ((json ? out_json_inspect(&p.run, &out) : out_inspect(&out, &p.run)) == -1) {
			diag_syserr(NULL, "output too large");
			status = EXIT_SYSTEM;
		} else {
			term_fwrite(stdout, buf_str(&out), out.len, 0);
		}
	}
	buf_release(&out);
	pipeline_release(&p);
	opts_release(&st);
	return status;
}
