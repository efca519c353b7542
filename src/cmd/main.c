/*
 * main.c — the command table and the process's last word: it runs one
 * subcommand and makes sure what went to stdout really got there (a full
 * disk or a closed pipe is exit 4, not a silent truncation).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "util/version.h"

static const struct cmd *const commands[] = {
	&cmd_bundle_spec,
	&cmd_chart_spec,
	&cmd_capture_spec,
	&cmd_check_spec,
	&cmd_compare_spec,
	&cmd_digest_spec,
	&cmd_inspect_spec,
	&cmd_publish_spec,
	&cmd_verify_spec,
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: sloproof [--version] [--help] COMMAND [ARGS]\n\n"
	    "sloproof turns the evidence of load tests and chaos drills — k6 results,\n"
	    "Grafana CSV exports, Alertmanager alerts, kubectl HPA output, Prometheus\n"
	    "ranges — into SLO verdicts and dated, checksummed report bundles.\n\n"
	    "commands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
	fprintf(f, "\nRun 'sloproof COMMAND --help' for a command's options and examples.\n"
	    "Exit status: 0 all SLOs met, 1 an SLO failed or had no data, 2 usage error,\n"
	    "3 bad input (nothing written), 4 system error.\n");
}

static int
finish_stdout(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "sloproof: error: cannot write to standard output: %s\n",
		    strerror(errno ? errno : EIO));
		return EXIT_SYSTEM;
	}
	if (fclose(stdout) != 0 && errno != EBADF) {
		fprintf(stderr, "sloproof: error: cannot close standard output: %s\n",
		    strerror(errno));
		return EXIT_SYSTEM;
	}
	return status;
}

int
main(int argc, char **argv)
{
	const char *name;
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
		usage(stdout);
		return finish_stdout(EXIT_MET);
	}
	if (strcmp(name, "--version") == 0) {
		printf("sloproof %s\n", SLOPROOF_VERSION);
		return finish_stdout(EXIT_MET);
	}
	if (strcmp(name, "help") == 0 && argc > 2 && strcmp(argv[2], "--man") == 0) {
		cmd_man(stdout, commands, NCOMMANDS, SLOPROOF_VERSION);
		return finish_stdout(EXIT_MET);
	}
	if (strcmp(name, "help") == 0 && argc > 2)
		name = argv[2];
	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i]->name, name) == 0) {
			if (name != argv[1]) {
				cmd_help(commands[i], stdout);
				return finish_stdout(EXIT_MET);
			}
			return finish_stdout(commands[i]->fn(argc - 1, argv + 1));
		}
	fprintf(stderr, "sloproof: error: unknown command \"%s\"\n", name);
	usage(stderr);
	return EXIT_USAGE;
}
