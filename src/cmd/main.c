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
#include "util/suggest.h"
#include "util/version.h"

/* In the order a newcomer meets them: start a drill, then the main job. */
static const struct cmd *const commands[] = {
	&cmd_init_spec,
	&cmd_bundle_spec,
	&cmd_check_spec,
	&cmd_inspect_spec,
	&cmd_chart_spec,
	&cmd_capture_spec,
	&cmd_verify_spec,
	&cmd_compare_spec,
	&cmd_digest_spec,
	&cmd_publish_spec,
	&cmd_help_spec,
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

const struct cmd *const *
cmd_all(size_t *n)
{
	*n = NCOMMANDS;
	return commands;
}

int
cmd_unknown_command(const char *name)
{
	const char *names[NCOMMANDS];
	char hint[512];
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		names[i] = commands[i]->name;
	if (suggest(name, names, NCOMMANDS, "commands", hint, sizeof hint))
		fprintf(stderr, "sloproof: error: unknown command \"%s\"; %s\n", name, hint);
	else
		fprintf(stderr, "sloproof: error: unknown command \"%s\"\n", name);
	fprintf(stderr, "Run 'sloproof help' for the list of commands.\n");
	return EXIT_USAGE;
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
		cmd_list(stderr);
		return EXIT_USAGE;
	}
	name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
		cmd_list(stdout);
		return finish_stdout(EXIT_MET);
	}
	if (strcmp(name, "--version") == 0) {
		printf("sloproof %s\n", SLOPROOF_VERSION);
		return finish_stdout(EXIT_MET);
	}
	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i]->name, name) == 0)
			return finish_stdout(commands[i]->fn(argc - 1, argv + 1));
	return cmd_unknown_command(name);
}
