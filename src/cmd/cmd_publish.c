/*
 * cmd_publish.c — `sloproof publish BUNDLE --grafana URL | --push URL`:
 * hands a bundle already written to Grafana (its annotations.json, one
 * POST /api/annotations each) and to a Prometheus Pushgateway (its
 * results.prom). The Grafana token comes from the environment only, so it
 * never lands in a shell history or a process list. Exit 0 when all went
 * through, 2 usage, 3 a bundle that does not match its manifest, 4 a
 * network or server error.
 */
#include <stdio.h>
#include <stdlib.h>

#include "jobs/publish.h"
#include "cmd/cmd.h"

enum { OPT_GRAFANA = 256, OPT_PUSH };

static const struct opt publish_opts[] = {
	{"grafana", OPT_GRAFANA, "URL", "POST the bundle's annotations.json to Grafana at URL (token: $SLOPROOF_GRAFANA_TOKEN or $GRAFANA_TOKEN)"},
	{"push", OPT_PUSH, "URL", "PUT the bundle's results.prom to the Prometheus Pushgateway at URL"},
	{NULL, 0, NULL, NULL}
};

static int cmd_publish(int, char **);

const struct cmd cmd_publish_spec = {
	"publish", cmd_publish,
	"[--grafana URL] [--push URL] BUNDLE",
	"send a bundle's annotations to Grafana and its metrics to a Pushgateway",
	"Checks BUNDLE against its MANIFEST.sha256 (what does not match is not\n"
	"published), then:\n\n"
	"  --grafana URL  posts every element of annotations.json to URL/api/annotations:\n"
	"                 faults, alert episodes, scaling events and SLO breaches, each\n"
	"                 tagged sloproof, drill:SLUG, date:DATE and its kind, so a\n"
	"                 dashboard's annotation query (filter by tags) shows them.\n"
	"                 The token is read from SLOPROOF_GRAFANA_TOKEN, else\n"
	"                 GRAFANA_TOKEN (a service account token with the annotations\n"
	"                 writer permission); never from the command line. Posting twice\n"
	"                 adds the annotations twice: Grafana has no key to replace by.\n"
	"  --push URL     PUTs results.prom to the Pushgateway at URL under the group\n"
	"                 job=sloproof, drill=SLUG, environment=ENV, replacing that\n"
	"                 group's previous push.",
	publish_opts,
	"  GRAFANA_TOKEN=glsa_... sloproof publish \\\n"
	"      --grafana https://grafana.example.com BUNDLE\n"
	"  sloproof publish --push http://pushgateway:9091 BUNDLE\n",
	"0\teverything was sent and accepted\n"
	"2\tusage error (no destination, no bundle, no token for --grafana)\n"
	"3\tthe bundle does not match its MANIFEST.sha256 (nothing was sent)\n"
	"4\ta network or server error; the URL is named\n",
};

static int
cmd_publish(int argc, char **argv)
{
	struct opts_state st;
	const char *arg, *grafana = NULL, *push = NULL, *token;
	char where[4200];
	size_t posted;
	int key, r, status = EXIT_MET;

	opts_init(&st, argc, argv);
	while ((r = opts_next(&st, &cmd_publish_spec, &key, &arg)) == 1) {
		switch (key) {
		case 'h':
			cmd_help(&cmd_publish_spec, stdout);
			opts_release(&st);
			return EXIT_MET;
		case OPT_GRAFANA:
			grafana = arg;
			break;
		case OPT_PUSH:
			push = arg;
			break;
		}
	}
	if ((r = opts_end_one(&st, r, &cmd_publish_spec, "one bundle at a time",
	    "no bundle; name a bundle directory")) != 0)
		return r;
	if (grafana == NULL && push == NULL) {
		opts_release(&st);
		return cmd_usage_error(&cmd_publish_spec, "nowhere to publish; give --grafana URL or --push URL");
	}
	token = getenv("SLOPROOF_GRAFANA_TOKEN");
	if (token == NULL || *token == '\0')
		token = getenv("GRAFANA_TOKEN");
	if (grafana && (token == NULL || *token == '\0')) {
		opts_release(&st);
		return cmd_usage_error(&cmd_publish_spec, "no Grafana token: set SLOPROOF_GRAFANA_TOKEN "
		    "or GRAFANA_TOKEN in the environment (never on the command line)");
	}
	if (grafana) {
		if (publish_grafana(st.pos[0], grafana, token, &posted) == -1) {
			status = cmd_error_status();
			if (posted)
				fprintf(stderr, "sloproof: note: %zu annotations were posted before the error\n",
				    posted);
		} else {
			printf("grafana: %zu annotations posted\n", posted);
		}
	}
	if (push && status == EXIT_MET) {
		if (publish_push(st.pos[0], push, where, sizeof where) == -1)
			status = cmd_error_status();
		else
			printf("pushed: %s\n", where);
	}
	opts_release(&st);
	return status;
}
