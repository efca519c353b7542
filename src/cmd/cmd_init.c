/*
 * cmd_init.c — `sloproof init DIR [FILES...]`: a first drill.yaml and
 * slo.yaml from the evidence a person already has (jobs/init.h). Exit 0;
 * 2 usage; 3 when a file is missing or DIR already holds a drill.yaml or
 * slo.yaml (nothing is overwritten); 4 when the files cannot be written.
 */
#include <stdio.h>

#include "cmd/cmd.h"
#include "jobs/init.h"
#include "util/buf.h"

static const struct opt init_opts[] = {
	{NULL, 0, NULL, NULL}
};

static int cmd_init(int, char **);

const struct cmd cmd_init_spec = {
	"init", cmd_init,
	"DIR [FILE...]",
	"start a drill from your own files: a commented drill.yaml and slo.yaml",
	"Looks at each FILE (or, with none, every file under DIR) the way bundle\n"
	"would, and writes DIR/drill.yaml and DIR/slo.yaml:\n\n"
	"  drill.yaml  every file with the kind recognised in it (k6, grafana, alerts,\n"
	"              hpa, prometheus) and what it holds; the files that are not\n"
	"              evidence, with the reason; screenshots and logs as\n"
	"              attachments; the fault to fill in (its start and end)\n"
	"  slo.yaml    a rule for each metric, series and alert found that has a\n"
	"              usual limit (the playbook's: P95 under 1.5 s, under 1 % failed\n"
	"              requests, recovery within 2 min, alerts within 1 min), each\n"
	"              with the value the evidence shows; the rest as comments\n\n"
	"Then write the fault's start and end (the two lines marked EDIT), check the\n"
	"limits, and run `sloproof bundle DIR/drill.yaml`. DIR is created when it is\n"
	"missing. An existing drill.yaml or slo.yaml is never overwritten: init stops\n"
	"before writing anything.",
	init_opts,
	"  sloproof init drills/redis-outage k6/summary.json grafana/*.csv \\\n"
	"      alertmanager/alerts.json\n"
	"  $EDITOR drills/redis-outage/drill.yaml\n"
	"  sloproof bundle drills/redis-outage/drill.yaml\n",
	"0\tdrill.yaml and slo.yaml were written\n"
	"2\tusage error\n"
	"3\ta FILE is missing, or DIR already has a drill.yaml or slo.yaml; nothing written\n"
	"4\tsystem error: the files cannot be written\n",
};

static int
cmd_init(int argc, char **argv)
{
	struct opts_state st;
	struct buf out;
	const char *arg;
	int key, r, status;

	opts_init(&st, argc, argv);
	while ((r = opts_next(&st, &cmd_init_spec, &key, &arg)) == 1)
		if (key == 'h') {
			cmd_help(&cmd_init_spec, stdout);
			opts_release(&st);
			return EXIT_MET;
		}
	if (r == -1 || st.npos == 0) {
		opts_release(&st);
		return r == -1 ? EXIT_USAGE :
		    cmd_usage_error(&cmd_init_spec, "no folder; name the folder the drill goes in");
	}
	buf_init(&out, 1u << 20);
	if (drill_init(st.pos[0], st.pos + 1, (size_t)st.npos - 1, &out) == -1) {
		status = cmd_error_status();
	} else {
		fwrite(buf_str(&out), 1, out.len, stdout);
		status = EXIT_MET;
	}
	buf_release(&out);
	opts_release(&st);
	return status;
}
