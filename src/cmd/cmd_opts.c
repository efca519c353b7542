/*
 * cmd_opts.c — option parsing and --help for every subcommand, from the
 * one struct opt table each command declares. Options and positional
 * arguments may be mixed; "--" ends options; --name=value works.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "util/buf.h"
#include "util/fsio.h"
#include "util/timeutil.h"
#include "util/diag.h"
#include "util/xalloc.h"

void
opts_init(struct opts_state *st, int argc, char **argv)
{
	memset(st, 0, sizeof *st);
	st->argc = argc;
	st->argv = argv;
	st->i = 1;
	st->pos = xcalloc((size_t)argc + 1, sizeof *st->pos);
}

void
opts_release(struct opts_state *st)
{
	free(st->pos);
	st->pos = NULL;
}

int
cmd_usage_error(const struct cmd *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "sloproof %s: error: ", c->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: sloproof %s %s\nTry 'sloproof %s --help' for more.\n",
	    c->name, c->usage, c->name);
	return EXIT_USAGE;
}

int
opts_next(struct opts_state *st, const struct cmd *c, int *key, const char **arg)
{
	const struct opt *o;
	const char *a, *eq;
	size_t n;

	while (st->i < st->argc) {
		a = st->argv[st->i++];
		if (st->done || a[0] != '-' || a[1] == '\0') {
			st->pos[st->npos++] = (char *)a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			st->done = 1;
			continue;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			*key = 'h';
			*arg = NULL;
			return 1;
		}
		for (o = c->opts; o && o->name; o++) {
			if (a[1] == '-') {
				eq = strchr(a + 2, '=');
				n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
				if (strlen(o->name) != n || strncmp(o->name, a + 2, n) != 0)
					continue;
			} else if (o->key > 255 || a[1] != o->key || a[2] != '\0') {
				continue;
			} else {
				eq = NULL;
			}
			*key = o->key;
			*arg = NULL;
			if (o->arg == NULL) {
				if (eq) {
					cmd_usage_error(c, "option --%s takes no value", o->name);
					return -1;
				}
				return 1;
			}
			if (eq) {
				*arg = eq + 1;
			} else if (st->i < st->argc) {
				*arg = st->argv[st->i++];
			} else {
				cmd_usage_error(c, "option %s needs a value (%s)", a, o->arg);
				return -1;
			}
			return 1;
		}
		cmd_usage_error(c, "unknown option %s", a);
		return -1;
	}
	return 0;
}

void
opt_label(const struct opt *o, char *dst, size_t n)
{
	if (o->key < 256)
		snprintf(dst, n, "-%c, --%s%s%s", o->key, o->name, o->arg ? " " : "",
		    o->arg ? o->arg : "");
	else
		snprintf(dst, n, "    --%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
}

int
cmd_color(int flag_no_color)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (flag_no_color || (nc && *nc) || (term && strcmp(term, "dumb") == 0))
		return 0;
	return isatty(STDOUT_FILENO);
}

int
cmd_error_status(void)
{
	return diag_status() == 4 ? EXIT_SYSTEM : EXIT_INPUT;
}

int
opt_fault(const char *arg, size_t *namelen, int64_t *start, int64_t *end)
{
	const char *eq = strrchr(arg, '='), *dots;

	if (eq == NULL || eq == arg || (dots = strstr(eq + 1, "..")) == NULL)
		return -1;
	if (time_parse_rfc3339(eq + 1, (size_t)(dots - eq - 1), start, NULL) == -1 ||
	    time_parse_rfc3339(dots + 2, strlen(dots + 2), end, NULL) == -1)
		return -1;
	*namelen = (size_t)(eq - arg);
	return 0;
}

int
opts_end_one(struct opts_state *st, int r, const struct cmd *c, const char *many, const char *none)
{
	if (r == -1) {
		opts_release(st);
		return EXIT_USAGE;
	}
	if (st->npos != 1) {
		opts_release(st);
		return cmd_usage_error(c, "%s", st->npos ? many : none);
	}
	return 0;
}

int
cmd_write_output(const char *path, const struct buf *b)
{
	if (strcmp(path, "-") == 0) {
		fwrite(buf_str(b), 1, b->len, stdout);
		return 0;
	}
	return fsio_write_replace(path, buf_str(b), b->len);
}
