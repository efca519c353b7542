/*
 * cmd_bundle.c — `sloproof bundle DRILL.yaml`: the main job. Prints the
 * verdict table and the bundle's path; exit 1 when an SLO failed (the
 * bundle is still written: evidence of a failure is evidence).
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "util/buf.h"
#include "jobs/bundle.h"
#include "jobs/publish.h"
#include "cmd/cmd.h"
#include "util/diag.h"
#include "util/termsafe.h"
#include "out/out_table.h"
#include "util/splimits.h"

enum {
	OPT_OUT = 'o', OPT_DATE = 256, OPT_SLO, OPT_TEMPLATES, OPT_NO_SUFFIX,
	OPT_NO_COLOR, OPT_LINK_BASE, OPT_SIGN, OPT_ALLOW_ROOT, OPT_PUSH, OPT_INPUT = 'i'
};

static const struct opt bundle_opts[] = {
	{"out", OPT_OUT, "ROOT", "where bundles go (default docs/demos/perf); the bundle is ROOT/DATE/SLUG"},
	{"date", OPT_DATE, "YYYY-MM-DD", "the bundle's date (default: the drill's date:, else the first evidence's)"},
	{"slo", OPT_SLO, "FILE", "SLO rules (or OpenSLO v1 documents) to use instead of the "
	    "drill's slo: (repeatable)"},
	{"input", OPT_INPUT, "KIND:PATH", "more evidence besides the drill's (repeatable)"},
	{"templates", OPT_TEMPLATES, "DIR", "take report.md, index.md ... from DIR where present"},
	{"no-suffix", OPT_NO_SUFFIX, NULL, "fail if the bundle exists, instead of writing SLUG-2"},
	{"no-color", OPT_NO_COLOR, NULL, "no colours in the verdict table"},
	{"link-base", OPT_LINK_BASE, "URL", "where ROOT is published (e.g. https://git.example.com/ops/-/blob/main/docs/demos/perf): every link in the documents becomes absolute, so it works where the text is pasted; the drill's link_base: says the same"},
	{"sign", OPT_SIGN, "KEY", "sign MANIFEST.sha256 with this SSH private key (ssh-keygen -Y sign, namespace sloproof)"},
	{"allow-root", OPT_ALLOW_ROOT, "DIR", "evidence and attachments may also come from under DIR (repeatable)"},
	{"push", OPT_PUSH, "URL", "then PUT results.prom to the Prometheus Pushgateway at URL (group job=sloproof, drill=SLUG, environment)"},
	{NULL, 0, NULL, NULL}
};

static int cmd_bundle(int, char **);

const struct cmd cmd_bundle_spec = {
	"bundle", cmd_bundle,
	"[--out ROOT] [--date YYYY-MM-DD] [--slo FILE] [--input KIND:PATH]... DRILL.yaml",
	"the main job: import, evaluate, write the dated, checksummed bundle",
	"Reads a drill file (docs/drill.md): its title, date, faults, evidence,\n"
	"attachments, manual interventions, follow-ups and notes. Imports the evidence,\n"
	"checks it against the SLO rules and writes, under ROOT/DATE/SLUG/:\n\n"
	"  report.md report.html  the report; the HTML is one page with inline charts\n"
	"  timeline.md       faults, alerts, scaling and breaches, on the drill's clock\n"
	"  status-update.md release-log.md evidence.md review.md\n"
	"                    ready to paste: weekly status, release log, chaos\n"
	"                    evidence page, post-drill review draft\n"
	"  status-update.txt release-log.txt   the same as plain text, for chat\n"
	"  summary.json      verdicts, inputs and every metric (docs/json.md)\n"
	"  junit.xml         one testcase per SLO\n"
	"  results.prom results.om.txt   verdicts, figures and fault windows as\n"
	"                    Prometheus metrics (Pushgateway; promtool backfill)\n"
	"  annotations.json  faults, alerts, scaling, breaches as Grafana annotations\n"
	"  ctrf.json         CTRF test report (ctrf.io), one test per SLO\n"
	"  charts/           NAME.png, NAME.svg and the NAME.csv they plot\n"
	"  slo*.yaml drill.yaml evidence/ attachments/   the inputs, byte for byte\n"
	"  MANIFEST.sha256   checksums of every file (sha256sum -c, sloproof verify)\n\n"
	"and rewrites ROOT/DATE/index.md, the day's list of drills. The bundle appears\n"
	"in one step, complete, or not at all; an existing bundle is never changed: a\n"
	"second run of the same drill writes SLUG-2. With SOURCE_DATE_EPOCH set, the\n"
	"same inputs give byte-identical files.\n\n"
	"Evidence and attachments must be regular files inside the drill's folder, or\n"
	"under a folder named by --allow-root or the drill's allow_roots:; never a\n"
	"device, FIFO, socket or a file of /proc, /sys or /dev (docs/hardening.md).\n"
	"With --sign KEY, MANIFEST.sha256.sig is an SSH signature of the manifest;\n"
	"`sloproof verify --allowed-signers FILE` checks it.",
	bundle_opts,
	"  sloproof bundle samples/drills/redis-outage/drill.yaml\n"
	"  sloproof bundle -o /tmp/perf --input k6:extra.json drill.yaml\n"
	"  sloproof verify docs/demos/perf/2026-11-28/redis-outage\n"
	"  sloproof bundle --sign ~/.ssh/id_ed25519 drill.yaml\n"
	"  sloproof bundle --push http://pushgateway:9091 drill.yaml\n",
	"0\tevery SLO met (pass or warn); the bundle was written\n"
	"1\tan SLO failed or had no data; the bundle was still written (evidence of a\n"
	"\tfailure is evidence)\n"
	"2\tusage error\n"
	"3\tbad input (drill file, SLO rules or evidence); nothing written\n"
	"4\tsystem error (I/O, disk full, out of memory); nothing partial left behind\n",
};

static int
cmd_bundle(int argc, char **argv)
{
	struct opts_state st;
	struct bundle_opts o;
	struct bundle_result res;
	struct buf table;
	char *extra[64], *slo[LIM_SLO_FILES], *roots[64];
	const char *arg, *push = NULL;
	char where[4200];
	int key, r, no_color = 0, status;

	memset(&o, 0, sizeof o);
	o.extra = extra;
	o.slo = slo;
	o.allow_roots = roots;
	opts_init(&st, argc, argv);
	while ((r = opts_next(&st, &cmd_bundle_spec, &key, &arg)) == 1) {
		switch (key) {
		case 'h':
			cmd_help(&cmd_bundle_spec, stdout);
			opts_release(&st);
			return EXIT_MET;
		case OPT_OUT:
			o.root = arg;
			break;
		case OPT_DATE:
			o.date = arg;
			break;
		case OPT_SLO:
			if (o.nslo == LIM_SLO_FILES) {
				opts_release(&st);
				return cmd_usage_error(&cmd_bundle_spec, "more than %d --slo files", LIM_SLO_FILES);
			}
			slo[o.nslo++] = (char *)arg;
			break;
		case OPT_TEMPLATES:
			o.templates = arg;
			break;
		case OPT_NO_SUFFIX:
			o.no_suffix = 1;
			break;
		case OPT_LINK_BASE:
			if (strncmp(arg, "https://", 8) != 0 && strncmp(arg, "http://", 7) != 0) {
				opts_release(&st);
				return cmd_usage_error(&cmd_bundle_spec, "bad --link-base %s; expected an "
				    "http(s) URL where the bundles are published", diag_q(arg, (size_t)-1));
			}
			o.link_base = arg;
			break;
		case OPT_NO_COLOR:
			no_color = 1;
			break;
		case OPT_SIGN:
			o.sign_key = arg;
			break;
		case OPT_ALLOW_ROOT:
			if (o.nallow_roots == sizeof roots / sizeof roots[0]) {
				opts_release(&st);
				return cmd_usage_error(&cmd_bundle_spec, "too many --allow-root options");
			}
			roots[o.nallow_roots++] = (char *)arg;
			break;
		case OPT_PUSH:
			push = arg;
			break;
		case OPT_INPUT:
			if (o.nextra == (int)(sizeof extra / sizeof extra[0])) {
				opts_release(&st);
				return cmd_usage_error(&cmd_bundle_spec, "too many --input options");
			}
			extra[o.nextra++] = (char *)arg;
			break;
		}
	}
	if ((r = opts_end_one(&st, r, &cmd_bundle_spec, "one drill file at a time",
	    "no drill file; name the drill.yaml to bundle")) != 0)
		return r;
	if (o.root) {
		struct stat sb;

		/* A folder, or a symlink to one (followed); anything else is a mistake in the command. */
		if (lstat(o.root, &sb) == 0 && stat(o.root, &sb) == -1) {
			opts_release(&st);
			return cmd_usage_error(&cmd_bundle_spec, "--out %s is a symlink that leads nowhere",
			    o.root);
		}
		if (stat(o.root, &sb) == 0 && !S_ISDIR(sb.st_mode)) {
			opts_release(&st);
			return cmd_usage_error(&cmd_bundle_spec, "--out %s is not a folder", o.root);
		}
	}
	o.color = cmd_color(no_color);
	buf_init(&table, 1u << 24);
	if (bundle_make(st.pos[0], &o, &table, &res) == -1) {
		status = cmd_error_status();
	} else {
		term_fwrite(stdout, buf_str(&table), table.len, o.color);
		printf("\nbundle: %s%s\n", res.path, res.suffixed ?
		    " (an earlier bundle of this drill has the plain name; it was not touched)" : "");
		status = res.slo_ok ? EXIT_MET : EXIT_SLO;
		/* The bundle stands whatever the push does; a failed push is still a failure. */
		if (push) {
			if (publish_push(res.path, push, where, sizeof where) == -1)
				status = cmd_error_status();
			else
				printf("pushed: %s\n", where);
		}
	}
	buf_release(&table);
	opts_release(&st);
	return status;
}
